//! The card routes: a dossier walked to "printed" over the API has a card
//! not yet issued, "returned" makes it valid, an officer's report of loss
//! shows at once; the public answer carries the masked number, the
//! standing and dates only; malformed numbers and dates are 400 problems.

use cancuoc_store::Store;
use serde_json::{Value, json};

use crate::world::*;

async fn step(w: &World, token: &str, code: &str, body: Value) -> i64 {
    let r = post(
        &w.router,
        &format!("/api/v1/dossiers/{code}/transitions"),
        Some(token),
        body,
    )
    .await;
    r.ok(200)["version"].as_i64().expect("version")
}

async fn card(w: &World, uri: &str) -> Value {
    get(&w.router, uri, None).await.ok(200).clone()
}

pub async fn a_card_is_printed_handed_over_and_reported_lost_at_once(store: Store) {
    let w = world(store).await;
    let number = "079090012361";
    let cid = register(&w, "Phan Thị Thẻ", number).await;
    let d = open_dossier(&w, cid).await;
    let code = d["code"].as_str().expect("code").to_owned();
    let code = code.as_str();
    let uri = format!("/api/v1/cards/{number}/status");
    assert_eq!(card(&w, &uri).await["status"], "unknown");
    capture_and_advance(&w, code).await;
    let v = step(
        &w,
        &w.receptionist,
        code,
        json!({"to": "slip_issued", "version": 3}),
    )
    .await;
    let v = step(
        &w,
        &w.receptionist,
        code,
        json!({"to": "sent_to_centre", "version": v, "population_data_changed": false}),
    )
    .await;
    let v = step(
        &w,
        &w.approver,
        code,
        json!({"to": "approved", "version": v}),
    )
    .await;
    let v = step(&w, &w.printer, code, json!({"to": "printed", "version": v})).await;
    let s = card(&w, &uri).await;
    assert_eq!(s["status"], "not_yet_issued");
    assert_eq!(s["since"], "2026-11-21");
    let v = step(
        &w,
        &w.dispatcher,
        code,
        json!({"to": "dispatched", "version": v}),
    )
    .await;
    let v = step(
        &w,
        &w.return_officer,
        code,
        json!({"to": "ready_for_pickup", "version": v}),
    )
    .await;
    step(
        &w,
        &w.return_officer,
        code,
        json!({"to": "returned", "version": v, "old_document": "collected"}),
    )
    .await;
    let s = card(&w, &uri).await;
    let mut keys: Vec<&str> = s
        .as_object()
        .expect("obj")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["checked_at", "number_masked", "since", "status"]);
    assert_eq!(s["number_masked"], "079*******61");
    assert_eq!(s["status"], "valid");
    assert_eq!(s["since"], "2026-11-21");
    assert_eq!(s["checked_at"], "2026-11-21T03:00:00Z");
    let text = s.to_string();
    for leak in [number, "Phan", "Thẻ", "1990"] {
        assert!(!text.contains(leak), "{leak:?} in {text}");
    }
    // The issue date selects the card; another day knows none.
    let dated = card(&w, &format!("{uri}?issued=2026-11-21")).await;
    assert_eq!(dated["status"], "valid");
    let other = card(&w, &format!("{uri}?issued=2020-01-01")).await;
    assert_eq!(
        (other["status"].clone(), other["since"].clone()),
        (json!("unknown"), Value::Null)
    );

    // Reporting the loss: not the printer; a reason; then lost at once.
    let lost = format!("/api/v1/cards/{number}/lost");
    post(&w.router, &lost, Some(&w.printer), json!({"reason": "mất"}))
        .await
        .problem(403, "service.role_not_allowed");
    post(&w.router, &lost, None, json!({"reason": "mất"}))
        .await
        .ok(401);
    let blank = post(
        &w.router,
        &lost,
        Some(&w.receptionist),
        json!({"reason": "  "}),
    )
    .await;
    assert_eq!(blank.status.as_u16(), 422, "{}", blank.body);
    let r = post(
        &w.router,
        &lost,
        Some(&w.receptionist),
        json!({"reason": "Mất ví ở bến xe", "issued": "2026-11-21"}),
    )
    .await;
    let body = r.ok(200);
    assert_eq!(body["status"], "lost");
    assert_eq!(body["since"], "2026-11-21");
    assert_eq!(card(&w, &uri).await["status"], "lost");
    // No such card to lose.
    let none = post(
        &w.router,
        "/api/v1/cards/079090012362/lost",
        Some(&w.admin),
        json!({"reason": "mất"}),
    )
    .await;
    assert_eq!(none.status.as_u16(), 404, "{}", none.body);
}

pub async fn a_malformed_card_number_or_date_is_a_bad_request(store: Store) {
    let w = world(store).await;
    for bad in ["07909001236", "0790900123611", "07909001236x"] {
        let r = get(&w.router, &format!("/api/v1/cards/{bad}/status"), None).await;
        assert_eq!(r.status.as_u16(), 400, "{bad}: {}", r.body);
        assert_problem_shape(&r.body);
        assert!(
            r.body["code"]
                .as_str()
                .is_some_and(|c| c.starts_with("id.")),
            "{}",
            r.body
        );
    }
    let r = get(
        &w.router,
        "/api/v1/cards/079090012361/status?issued=2026-02-30",
        None,
    )
    .await;
    assert_eq!(r.status.as_u16(), 400, "{}", r.body);
    assert_problem_shape(&r.body);
}
