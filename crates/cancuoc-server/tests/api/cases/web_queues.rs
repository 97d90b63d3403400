//! Work queues (`/can-bo/hang-doi`) and bulk steps (`/can-bo/hang-doi/xu-ly`):
//! each role sees exactly its queue within its office scope, the days left
//! follow the working calendar as the app's clock moves, a bulk step with a
//! stale item and a misplaced item does the rest and reports those two, a
//! resubmitted form replays, CSRF and a wrong role are refused.

use std::collections::BTreeSet;

use cancuoc_core::dossier::workflow::State;
use cancuoc_core::id::alloc::Allocator;
use cancuoc_server::{App, AppConfig, fixed_clock, router};
use cancuoc_store::Store;
use jiff::civil::date;

use super::web_queues_world::*;
use crate::world::*;

/// The dossier codes linked from a page, in page order.
pub fn linked_codes(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("href=\"/can-bo/ho-so/") {
        rest = &rest[i + "href=\"/can-bo/ho-so/".len()..];
        let code: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if code.len() == 16 && !out.contains(&code) {
            out.push(code);
        }
    }
    out
}

fn set(codes: &[&Seeded]) -> BTreeSet<String> {
    codes.iter().map(|s| s.code.to_string()).collect()
}

fn page_set(html: &str) -> BTreeSet<String> {
    linked_codes(html).into_iter().collect()
}

pub async fn web_queues_roles_see_their_work_in_their_scope(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    let east = |state, n| f.seed(DISTRICT, n, state, date(2026, 11, 30));
    let west = |state, n| f.seed(OTHER_DISTRICT, n, state, date(2026, 11, 30));
    let e_booked = east(State::Booked, 1).await;
    let e_received = east(State::Received, 2).await;
    let e_slip = east(State::SlipIssued, 3).await;
    let e_verify = east(State::CommuneVerification, 4).await;
    let e_centre = east(State::SentToCentre, 5).await;
    let e_approved = east(State::Approved, 6).await;
    let e_printed = east(State::Printed, 7).await;
    let e_dispatched = east(State::Dispatched, 8).await;
    let e_ready = east(State::ReadyForPickup, 9).await;
    let e_rejected = east(State::Rejected, 10).await;
    let _e_returned = east(State::Returned, 11).await;
    let w_received = west(State::Received, 21).await;
    let _w_verify = west(State::CommuneVerification, 22).await;
    let w_centre = west(State::SentToCentre, 23).await;
    let w_approved = west(State::Approved, 24).await;
    let w_printed = west(State::Printed, 25).await;
    let _w_dispatched = west(State::Dispatched, 26).await;

    // (officer, tab, exactly these dossiers)
    let cases: Vec<(&str, &str, State, Vec<&Seeded>)> = vec![
        (
            "receptionist",
            &w.receptionist,
            State::Booked,
            vec![&e_booked],
        ),
        (
            "receptionist",
            &w.receptionist,
            State::Received,
            vec![&e_received],
        ),
        (
            "receptionist",
            &w.receptionist,
            State::SlipIssued,
            vec![&e_slip],
        ),
        (
            "receptionist",
            &w.receptionist,
            State::Rejected,
            vec![&e_rejected],
        ),
        (
            "other receptionist",
            &w.other_receptionist,
            State::Received,
            vec![&w_received],
        ),
        (
            "commune police",
            &w.commune_police,
            State::CommuneVerification,
            vec![&e_verify],
        ),
        (
            "processor",
            &w.processor,
            State::SentToCentre,
            vec![&e_centre, &w_centre],
        ),
        (
            "approver",
            &w.approver,
            State::SentToCentre,
            vec![&e_centre, &w_centre],
        ),
        (
            "printer",
            &w.printer,
            State::Approved,
            vec![&e_approved, &w_approved],
        ),
        (
            "dispatcher",
            &w.dispatcher,
            State::Printed,
            vec![&e_printed, &w_printed],
        ),
        (
            "return officer",
            &w.return_officer,
            State::Dispatched,
            vec![&e_dispatched],
        ),
        (
            "return officer",
            &w.return_officer,
            State::ReadyForPickup,
            vec![&e_ready],
        ),
        // A receptionist of the province receives at the province only.
        (
            "province receptionist",
            &w.province_officer,
            State::Received,
            vec![],
        ),
    ]
    .into_iter()
    .map(|(who, token, state, want)| (who, token.as_str(), state, want))
    .collect();
    for (who, token, state, want) in cases {
        let s = login(&w, &w.router, token).await;
        let p = s
            .get(
                &w.router,
                &format!("/can-bo/hang-doi?trang-thai={}", state.code()),
            )
            .await;
        p.html(200, &["<html lang=\"vi\">", state.label_vi()]);
        assert_eq!(page_set(&p.html), set(&want), "{who} / {state}");
        assert!(p.html.len() < 100 * 1024, "{who}: page over 100 KB");
    }

    // The default tab is the first kind of work with something waiting, and
    // every tab shows its count.
    let s = login(&w, &w.router, &w.receptionist).await;
    let p = s.get(&w.router, "/can-bo/hang-doi").await;
    p.html(
        200,
        &["aria-current=\"page\">Đã đặt lịch hẹn <span class=\"count\">1</span>"],
    );
    assert_eq!(page_set(&p.html), set(&[&e_booked]));
    let s = login(&w, &w.router, &w.return_officer).await;
    let p = s.get(&w.router, "/can-bo/hang-doi?lang=en").await;
    p.html(
        200,
        &[
            "<html lang=\"en\">",
            "Dispatched to the receiving office <span class=\"count\">1</span>",
            "Ready for pickup <span class=\"count\">1</span>",
            "Sent by post <span class=\"count\">0</span>",
            // Booking cards in is a bulk job: checkboxes and two buttons.
            "name=\"chon\"",
            "value=\"ready_for_pickup\"",
            "value=\"posted\"",
        ],
    );

    // A step that needs input per dossier has no bulk form.
    let s = login(&w, &w.router, &w.receptionist).await;
    let p = s
        .get(&w.router, "/can-bo/hang-doi?trang-thai=slip_issued")
        .await;
    assert!(!p.html.contains("name=\"chon\""));

    // A role without a queue, a state outside the role's work, a bad cursor.
    let admin = login(&w, &w.router, &w.admin).await;
    admin
        .get(&w.router, "/can-bo/hang-doi")
        .await
        .html(403, &["quản trị hệ thống"]);
    let printer = login(&w, &w.router, &w.printer).await;
    printer
        .get(&w.router, "/can-bo/hang-doi?trang-thai=printed")
        .await
        .html(422, &["Đã in thẻ"]);
    printer
        .get(&w.router, "/can-bo/hang-doi?trang-thai=in-the")
        .await
        .html(400, &["trang-thai"]);
    printer
        .get(
            &w.router,
            "/can-bo/hang-doi?trang-thai=approved&sau=hom-qua",
        )
        .await
        .html(400, &["sau"]);
}

pub async fn web_queues_days_left_follow_the_calendar(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    // Today is Saturday 21 Nov 2026 (the world's clock). Central processing
    // due: Wed 18 (2 working days late: Thu, Fri), Fri 20 (late, but no
    // working day has passed since), Tue 24 (Mon, Tue: 2 left), Mon 30 (6).
    let late2 = f
        .seed_due(DISTRICT, 1, State::Approved, date(2026, 11, 18))
        .await;
    let late0 = f
        .seed_due(DISTRICT, 2, State::Approved, date(2026, 11, 20))
        .await;
    let left2 = f
        .seed_due(DISTRICT, 3, State::Approved, date(2026, 11, 24))
        .await;
    let left6 = f
        .seed_due(DISTRICT, 4, State::Approved, date(2026, 11, 30))
        .await;
    let s = login(&w, &w.router, &w.printer).await;
    let p = s
        .get(&w.router, "/can-bo/hang-doi?trang-thai=approved")
        .await;
    p.html(
        200,
        &[
            "Quá hạn 2 ngày làm việc",
            "<strong>Quá hạn</strong>",
            "Còn 2 ngày làm việc",
            "Còn 6 ngày làm việc",
            "18/11/2026",
            "xử lý, phê duyệt, in hoàn chỉnh thẻ",
            "class=\"late\"",
        ],
    );
    // Most urgent first.
    assert_eq!(
        linked_codes(&p.html),
        [&late2, &late0, &left2, &left6]
            .iter()
            .map(|s| s.code.to_string())
            .collect::<Vec<_>>()
    );

    // The same store seen on Monday 23 Nov 10:00 in Vietnam.
    let monday = App::new(
        w.store.clone(),
        AppConfig {
            clock: fixed_clock("2026-11-23T03:00:00Z".parse().expect("instant")),
            ..AppConfig::default()
        },
        Allocator::new([42; 16]),
    )
    .await
    .expect("app");
    let r = router(monday);
    let s = login(&w, &r, &w.printer).await;
    let p = s
        .get(&r, "/can-bo/hang-doi?trang-thai=approved&lang=en")
        .await;
    p.html(
        200,
        &[
            "3 working days late",
            "1 working day late",
            "1 working day left",
            "5 working days left",
            // Dates read dd/mm/yyyy in both languages, as on the slip.
            "18/11/2026",
            // The console's header names the officer's office.
            "Identity card · Officers",
            r#"<span class="who-office">Trung tâm DLQG về dân cư (thử nghiệm)</span>"#,
        ],
    );
}

pub async fn web_queues_bulk_print_and_dispatch(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    let a = f
        .seed(DISTRICT, 1, State::Approved, date(2026, 11, 25))
        .await;
    let b = f
        .seed(OTHER_DISTRICT, 2, State::Approved, date(2026, 11, 26))
        .await;
    let c = f
        .seed(DISTRICT, 3, State::Approved, date(2026, 11, 27))
        .await;
    let printer = login(&w, &w.router, &w.printer).await;

    // Select all without script: the same page with every box ticked.
    let p = printer
        .get(
            &w.router,
            "/can-bo/hang-doi?trang-thai=approved&chon=tat-ca",
        )
        .await;
    p.html(200, &["Đánh dấu đã in thẻ", "name=\"csrf\""]);
    assert_eq!(p.html.matches(" checked>").count(), 3);
    let plain = printer
        .get(&w.router, "/can-bo/hang-doi?trang-thai=approved")
        .await;
    assert_eq!(plain.html.matches(" checked>").count(), 0);
    assert!(plain.html.contains("chon=tat-ca"));

    // Someone prints `b` meanwhile: the version on the page is now stale.
    post(
        &w.router,
        &format!("/api/v1/dossiers/{}/transitions", b.code),
        Some(&w.printer),
        serde_json::json!({"to": "printed", "version": b.version}),
    )
    .await
    .ok(200);
    let form = |items: &[&Seeded], to: &str, lo: &str, csrf: &str| -> Vec<(String, String)> {
        let mut v = vec![
            ("csrf".to_owned(), csrf.to_owned()),
            ("tu".to_owned(), "approved".to_owned()),
            ("den".to_owned(), to.to_owned()),
            ("lo".to_owned(), lo.to_owned()),
        ];
        for s in items {
            v.push(("chon".to_owned(), format!("{}:{}", s.code, s.version)));
        }
        v
    };

    // CSRF failure and a wrong role change nothing.
    let bad = printer
        .post(
            &w.router,
            "/can-bo/hang-doi/xu-ly",
            &form(&[&a, &c], "printed", "lo1", "not-the-token"),
        )
        .await;
    assert_eq!(bad.status.as_u16(), 403, "{}", bad.html);
    let receptionist = login(&w, &w.router, &w.receptionist).await;
    let wrong = receptionist
        .post(
            &w.router,
            "/can-bo/hang-doi/xu-ly",
            &form(&[&a, &c], "printed", "lo1", &receptionist.csrf),
        )
        .await;
    wrong.html(403, &["cán bộ in thẻ"]);
    let wrong_step = printer
        .post(
            &w.router,
            "/can-bo/hang-doi/xu-ly",
            &form(&[&a], "cancelled", "lo1", &printer.csrf),
        )
        .await;
    assert_eq!(wrong_step.status.as_u16(), 403, "{}", wrong_step.html);
    for s in [&a, &c] {
        assert_eq!(f.state(s).await, (State::Approved, s.version));
    }

    // The bulk print: `a` and `c` go through, stale `b` is reported, and a
    // malformed item is reported without stopping anything.
    let mut fields = form(&[&a, &b, &c], "printed", "lo2", &printer.csrf);
    fields.push(("chon".to_owned(), "1234:x".to_owned()));
    let res = printer
        .post(&w.router, "/can-bo/hang-doi/xu-ly", &fields)
        .await;
    res.html(
        200,
        &[
            "Thành công: <strong>2</strong>",
            "Không thực hiện được: <strong>2</strong>",
            &a.code.grouped(),
            &b.code.grouped(),
            "store.stale_version",
            "1234:x",
        ],
    );
    assert_eq!(f.state(&a).await, (State::Printed, a.version + 1));
    assert_eq!(f.state(&c).await, (State::Printed, c.version + 1));
    // `b` was printed once, by the API, not again.
    assert_eq!(f.state(&b).await, (State::Printed, b.version + 1));
    assert!(res.html.len() < 100 * 1024);

    // The same form again (a double click, a reload): replayed, nothing
    // applied twice.
    let again = printer
        .post(&w.router, "/can-bo/hang-doi/xu-ly", &fields)
        .await;
    again.html(200, &["Đã xử lý trước đó"]);
    assert_eq!(f.state(&a).await, (State::Printed, a.version + 1));

    // The dispatcher sends a, b, c back, plus one still waiting for
    // printing (wrong state): three go, one is refused with its reason.
    let d = f
        .seed(DISTRICT, 4, State::Approved, date(2026, 11, 28))
        .await;
    let dispatcher = login(&w, &w.router, &w.dispatcher).await;
    let p = dispatcher
        .get(&w.router, "/can-bo/hang-doi?trang-thai=printed")
        .await;
    assert_eq!(
        page_set(&p.html),
        [&a, &b, &c].iter().map(|s| s.code.to_string()).collect()
    );
    let mut fields = vec![
        ("csrf".to_owned(), dispatcher.csrf.clone()),
        ("tu".to_owned(), "printed".to_owned()),
        ("den".to_owned(), "dispatched".to_owned()),
        ("lo".to_owned(), "lo3".to_owned()),
    ];
    for s in [&a, &b, &c] {
        fields.push(("chon".to_owned(), format!("{}:{}", s.code, s.version + 1)));
    }
    fields.push(("chon".to_owned(), format!("{}:{}", d.code, d.version)));
    let res = dispatcher
        .post(&w.router, "/can-bo/hang-doi/xu-ly?lang=en", &fields)
        .await;
    res.html(
        200,
        &[
            "Done: <strong>3</strong>",
            "Failed: <strong>1</strong>",
            &d.code.grouped(),
        ],
    );
    for s in [&a, &b, &c] {
        assert_eq!(f.state(s).await, (State::Dispatched, s.version + 2));
    }
    assert_eq!(f.state(&d).await, (State::Approved, d.version));

    // Nothing ticked: a precise message, nothing done.
    let none = dispatcher
        .post(&w.router, "/can-bo/hang-doi/xu-ly", &fields[..4])
        .await;
    none.html(400, &["Chưa chọn hồ sơ nào"]);
}

pub async fn web_queues_pages(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    let all = f
        .seed_many(
            OTHER_DISTRICT,
            100..160,
            State::Approved,
            date(2026, 11, 25),
        )
        .await;
    let printer = login(&w, &w.router, &w.printer).await;
    let first = printer
        .get(&w.router, "/can-bo/hang-doi?trang-thai=approved")
        .await;
    first.html(200, &["rel=\"next\"", "<span class=\"count\">60</span>"]);
    assert!(first.html.len() < 100 * 1024, "{}", first.html.len());
    let codes1 = linked_codes(&first.html);
    assert_eq!(codes1.len(), 50);
    let next = first
        .html
        .split("href=\"")
        .find_map(|s| {
            let href = s.split('"').next()?;
            href.contains("sau=")
                .then(|| href.replace("&amp;", "&").replace("&#38;", "&"))
        })
        .expect("next link");
    let second = printer.get(&w.router, &next).await;
    second.html(200, &["Về trang đầu"]);
    let codes2 = linked_codes(&second.html);
    assert_eq!(codes2.len(), 10);
    let mut seen: Vec<String> = codes1.into_iter().chain(codes2).collect();
    seen.sort();
    let mut want: Vec<String> = all.iter().map(|s| s.code.to_string()).collect();
    want.sort();
    assert_eq!(seen, want);
}
