//! Bulk steps from a work queue (`/can-bo/hang-doi/xu-ly`): select all
//! without script, a bulk step with a stale item and a malformed item does
//! the rest and reports those two, a resubmitted form replays, an item in
//! the wrong state is refused with its reason, and CSRF, a wrong role, a
//! step the queue does not offer and an empty selection are refused.

use cancuoc_core::dossier::workflow::State;
use cancuoc_store::Store;
use jiff::civil::date;

use super::web_queues::page_set;
use super::web_queues_world::*;
use crate::world::*;

const BULK: &str = "/can-bo/hang-doi/xu-ly";

/// Three approved dossiers: `a` and `c` at DISTRICT, `b` at OTHER_DISTRICT.
async fn three_approved(f: &Fixture) -> [Seeded; 3] {
    [
        f.seed(DISTRICT, 1, State::Approved, date(2026, 11, 25))
            .await,
        f.seed(OTHER_DISTRICT, 2, State::Approved, date(2026, 11, 26))
            .await,
        f.seed(DISTRICT, 3, State::Approved, date(2026, 11, 27))
            .await,
    ]
}

/// A bulk form from `from` to `to` for `items` at the versions given.
fn form(
    from: &str,
    to: &str,
    batch: &str,
    csrf: &str,
    items: &[(&Seeded, i64)],
) -> Vec<(String, String)> {
    let mut v = vec![
        ("csrf".to_owned(), csrf.to_owned()),
        ("tu".to_owned(), from.to_owned()),
        ("den".to_owned(), to.to_owned()),
        ("lo".to_owned(), batch.to_owned()),
    ];
    for (s, version) in items {
        v.push(("chon".to_owned(), format!("{}:{version}", s.code)));
    }
    v
}

/// A print form for `items` at their seeded versions.
fn print_form(batch: &str, csrf: &str, items: &[&Seeded]) -> Vec<(String, String)> {
    let items: Vec<(&Seeded, i64)> = items.iter().map(|s| (*s, s.version)).collect();
    form("approved", "printed", batch, csrf, &items)
}

/// Each of `items` is still approved, at its seeded version.
async fn untouched(f: &Fixture, items: &[&Seeded]) {
    for s in items {
        assert_eq!(f.state(s).await, (State::Approved, s.version));
    }
}

pub async fn select_all_without_script_ticks_every_box(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    three_approved(&f).await;
    let printer = login(&w, &w.router, &w.printer).await;
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
    plain.html(200, &["chon=tat-ca"]);
    assert_eq!(plain.html.matches(" checked>").count(), 0);
}

pub async fn a_bulk_step_without_the_sessions_csrf_token_is_refused(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    let [a, _, c] = three_approved(&f).await;
    let printer = login(&w, &w.router, &w.printer).await;
    printer
        .post(
            &w.router,
            BULK,
            &print_form("lo1", "not-the-token", &[&a, &c]),
        )
        .await
        .html(403, &["chống giả mạo"]);
    untouched(&f, &[&a, &c]).await;
}

pub async fn a_bulk_step_by_the_wrong_role_is_refused(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    let [a, _, c] = three_approved(&f).await;
    let receptionist = login(&w, &w.router, &w.receptionist).await;
    receptionist
        .post(
            &w.router,
            BULK,
            &print_form("lo1", &receptionist.csrf, &[&a, &c]),
        )
        .await
        .html(403, &["cán bộ in thẻ"]);
    untouched(&f, &[&a, &c]).await;
}

pub async fn a_bulk_step_the_queue_does_not_offer_is_refused(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    let [a, _, c] = three_approved(&f).await;
    let printer = login(&w, &w.router, &w.printer).await;
    printer
        .post(
            &w.router,
            BULK,
            &form(
                "approved",
                "cancelled",
                "lo1",
                &printer.csrf,
                &[(&a, a.version)],
            ),
        )
        .await
        .html(403, &["không được xử lý hàng loạt bước này"]);
    untouched(&f, &[&a, &c]).await;
}

pub async fn a_bulk_print_does_the_rest_and_reports_stale_and_malformed_items(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    let [a, b, c] = three_approved(&f).await;
    let printer = login(&w, &w.router, &w.printer).await;
    // Someone prints `b` meanwhile: the version on the page is now stale.
    post(
        &w.router,
        &format!("/api/v1/dossiers/{}/transitions", b.code),
        Some(&w.printer),
        serde_json::json!({"to": "printed", "version": b.version}),
    )
    .await
    .ok(200);
    // `a` and `c` go through, stale `b` is reported, and a malformed item
    // is reported without stopping anything.
    let mut fields = print_form("lo2", &printer.csrf, &[&a, &b, &c]);
    fields.push(("chon".to_owned(), "1234:x".to_owned()));
    let res = printer.post(&w.router, BULK, &fields).await;
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
}

pub async fn a_resubmitted_bulk_form_is_replayed_not_applied_twice(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    let [a, _, c] = three_approved(&f).await;
    let printer = login(&w, &w.router, &w.printer).await;
    let fields = print_form("lo2", &printer.csrf, &[&a, &c]);
    printer
        .post(&w.router, BULK, &fields)
        .await
        .html(200, &["Thành công: <strong>2</strong>"]);
    // A double click, a reload.
    let again = printer.post(&w.router, BULK, &fields).await;
    again.html(200, &["Đã xử lý trước đó"]);
    assert_eq!(f.state(&a).await, (State::Printed, a.version + 1));
    assert_eq!(f.state(&c).await, (State::Printed, c.version + 1));
}

pub async fn a_bulk_dispatch_refuses_an_item_in_the_wrong_state_with_its_reason(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    // a, b, c printed, plus one still waiting for printing.
    let printed = [
        f.seed(DISTRICT, 1, State::Printed, date(2026, 11, 25))
            .await,
        f.seed(OTHER_DISTRICT, 2, State::Printed, date(2026, 11, 26))
            .await,
        f.seed(DISTRICT, 3, State::Printed, date(2026, 11, 27))
            .await,
    ];
    let d = f
        .seed(DISTRICT, 4, State::Approved, date(2026, 11, 28))
        .await;
    let dispatcher = login(&w, &w.router, &w.dispatcher).await;
    let p = dispatcher
        .get(&w.router, "/can-bo/hang-doi?trang-thai=printed")
        .await;
    assert_eq!(
        page_set(&p.html),
        printed.iter().map(|s| s.code.to_string()).collect()
    );
    let mut items: Vec<(&Seeded, i64)> = printed.iter().map(|s| (s, s.version)).collect();
    items.push((&d, d.version));
    let fields = form("printed", "dispatched", "lo3", &dispatcher.csrf, &items);
    let res = dispatcher
        .post(&w.router, &format!("{BULK}?lang=en"), &fields)
        .await;
    // Three go, one is refused with its reason.
    res.html(
        200,
        &[
            "Done: <strong>3</strong>",
            "Failed: <strong>1</strong>",
            &d.code.grouped(),
        ],
    );
    for s in &printed {
        assert_eq!(f.state(s).await, (State::Dispatched, s.version + 1));
    }
    assert_eq!(f.state(&d).await, (State::Approved, d.version));
}

pub async fn a_bulk_step_with_nothing_ticked_says_so(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    let printed = f
        .seed(DISTRICT, 1, State::Printed, date(2026, 11, 25))
        .await;
    let dispatcher = login(&w, &w.router, &w.dispatcher).await;
    let fields = form("printed", "dispatched", "lo3", &dispatcher.csrf, &[]);
    dispatcher
        .post(&w.router, BULK, &fields)
        .await
        .html(400, &["Chưa chọn hồ sơ nào"]);
    assert_eq!(f.state(&printed).await, (State::Printed, printed.version));
}
