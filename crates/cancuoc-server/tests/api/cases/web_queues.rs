//! Work queues (`/can-bo/hang-doi`): each role sees exactly its queue within
//! its office scope, the refusals of the queue page, the days left follow
//! the working calendar as the app's clock moves, and the pages of a long
//! queue. Bulk steps are in `web_queues_bulk.rs`.

use std::collections::BTreeSet;

use cancuoc_core::dossier::workflow::State;
use cancuoc_server::{App, AppConfig, Limits, router};
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

pub fn page_set(html: &str) -> BTreeSet<String> {
    linked_codes(html).into_iter().collect()
}

/// Dossiers in every state at both districts, promised for the 30th.
struct Seeds {
    e_booked: Seeded,
    e_received: Seeded,
    e_slip: Seeded,
    e_verify: Seeded,
    e_centre: Seeded,
    e_approved: Seeded,
    e_printed: Seeded,
    e_dispatched: Seeded,
    e_ready: Seeded,
    e_rejected: Seeded,
    w_received: Seeded,
    w_centre: Seeded,
    w_approved: Seeded,
    w_printed: Seeded,
}

async fn seeds(f: &Fixture) -> Seeds {
    let east = |state, n| f.seed(DISTRICT, n, state, date(2026, 11, 30));
    let west = |state, n| f.seed(OTHER_DISTRICT, n, state, date(2026, 11, 30));
    let s = Seeds {
        e_booked: east(State::Booked, 1).await,
        e_received: east(State::Received, 2).await,
        e_slip: east(State::SlipIssued, 3).await,
        e_verify: east(State::CommuneVerification, 4).await,
        e_centre: east(State::SentToCentre, 5).await,
        e_approved: east(State::Approved, 6).await,
        e_printed: east(State::Printed, 7).await,
        e_dispatched: east(State::Dispatched, 8).await,
        e_ready: east(State::ReadyForPickup, 9).await,
        e_rejected: east(State::Rejected, 10).await,
        w_received: west(State::Received, 21).await,
        w_centre: west(State::SentToCentre, 23).await,
        w_approved: west(State::Approved, 24).await,
        w_printed: west(State::Printed, 25).await,
    };
    // In nobody's queue, or out of the scope of those who look.
    east(State::Returned, 11).await;
    west(State::CommuneVerification, 22).await;
    west(State::Dispatched, 26).await;
    s
}

pub async fn each_role_sees_exactly_its_queue_within_its_scope(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    let Seeds {
        e_booked,
        e_received,
        e_slip,
        e_verify,
        e_centre,
        e_approved,
        e_printed,
        e_dispatched,
        e_ready,
        e_rejected,
        w_received,
        w_centre,
        w_approved,
        w_printed,
    } = seeds(&f).await;
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
    // Every tab is checked; the mismatches are reported together.
    let mut wrong = Vec::new();
    for (who, token, state, want) in cases {
        let s = login(&w, &w.router, token).await;
        let p = s
            .get(
                &w.router,
                &format!("/can-bo/hang-doi?trang-thai={}", state.code()),
            )
            .await;
        let labelled = p.html.contains("<html lang=\"vi\">") && p.html.contains(state.label_vi());
        if p.status.as_u16() != 200 || !labelled {
            wrong.push(format!("{who} / {state}: {} {}", p.status, p.html));
        } else if page_set(&p.html) != set(&want) {
            wrong.push(format!(
                "{who} / {state}: {:?}, not {:?}",
                page_set(&p.html),
                set(&want)
            ));
        }
        assert!(p.html.len() < 100 * 1024, "{who}: page over 100 KB");
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

pub async fn the_default_queue_tab_is_the_first_with_work_waiting(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    let s = seeds(&f).await;
    let desk = login(&w, &w.router, &w.receptionist).await;
    let p = desk.get(&w.router, "/can-bo/hang-doi").await;
    p.html(
        200,
        &["aria-current=\"page\">Đã đặt lịch hẹn <span class=\"count\">1</span>"],
    );
    assert_eq!(page_set(&p.html), set(&[&s.e_booked]));
}

pub async fn every_queue_tab_shows_its_count(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    seeds(&f).await;
    let desk = login(&w, &w.router, &w.return_officer).await;
    let p = desk.get(&w.router, "/can-bo/hang-doi?lang=en").await;
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
}

pub async fn a_step_that_needs_input_per_dossier_has_no_bulk_form(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    let s = seeds(&f).await;
    let desk = login(&w, &w.router, &w.receptionist).await;
    let p = desk
        .get(&w.router, "/can-bo/hang-doi?trang-thai=slip_issued")
        .await;
    p.html(200, &[]);
    assert_eq!(page_set(&p.html), set(&[&s.e_slip]));
    assert!(!p.html.contains("name=\"chon\""));
}

pub async fn a_role_without_a_queue_is_refused_the_queues(store: Store) {
    let w = world(store).await;
    let admin = login(&w, &w.router, &w.admin).await;
    admin
        .get(&w.router, "/can-bo/hang-doi")
        .await
        .html(403, &["quản trị hệ thống"]);
}

pub async fn a_queue_outside_the_roles_work_is_refused(store: Store) {
    let w = world(store).await;
    let printer = login(&w, &w.router, &w.printer).await;
    printer
        .get(&w.router, "/can-bo/hang-doi?trang-thai=printed")
        .await
        .html(422, &["Đã in thẻ"]);
}

pub async fn an_unknown_queue_state_is_a_bad_request(store: Store) {
    let w = world(store).await;
    let printer = login(&w, &w.router, &w.printer).await;
    printer
        .get(&w.router, "/can-bo/hang-doi?trang-thai=in-the")
        .await
        .html(400, &["trang-thai"]);
}

pub async fn a_malformed_queue_cursor_is_a_bad_request(store: Store) {
    let w = world(store).await;
    let printer = login(&w, &w.router, &w.printer).await;
    printer
        .get(
            &w.router,
            "/can-bo/hang-doi?trang-thai=approved&sau=hom-qua",
        )
        .await
        .html(400, &["sau"]);
}

/// Four dossiers whose central processing is due Wed 18 (2 working days
/// late: Thu, Fri), Fri 20 (late, but no working day has passed since),
/// Tue 24 (Mon, Tue: 2 left) and Mon 30 (6), most urgent first.
async fn due_dates(f: &Fixture) -> [Seeded; 4] {
    [
        f.seed_due(DISTRICT, 1, State::Approved, date(2026, 11, 18))
            .await,
        f.seed_due(DISTRICT, 2, State::Approved, date(2026, 11, 20))
            .await,
        f.seed_due(DISTRICT, 3, State::Approved, date(2026, 11, 24))
            .await,
        f.seed_due(DISTRICT, 4, State::Approved, date(2026, 11, 30))
            .await,
    ]
}

pub async fn the_days_left_count_working_days_most_urgent_first(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    // Today is Saturday 21 Nov 2026 (the world's clock).
    let due = due_dates(&f).await;
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
    assert_eq!(
        linked_codes(&p.html),
        due.iter().map(|s| s.code.to_string()).collect::<Vec<_>>()
    );
}

pub async fn the_days_left_follow_the_apps_clock(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    due_dates(&f).await;
    // The same store seen on Monday 23 Nov 10:00 in Vietnam.
    let monday = App::new(
        service_at(w.store.clone(), "2026-11-23T03:00:00Z", Limits::default()).await,
        AppConfig::default(),
    );
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
