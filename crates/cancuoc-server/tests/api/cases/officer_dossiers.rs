//! Officer routes for dossiers: opening one (and every refusal), reading
//! one within the office scope, and the lists with their filters, pages and
//! scope.

use cancuoc_store::Store;
use serde_json::{Value, json};

use crate::world::*;

/// A citizen registered as "Phạm Minh Châu" (079090012346); their id.
async fn chau(w: &World) -> i64 {
    register(w, "Phạm Minh Châu", "079090012346").await
}

/// Opens a dossier as `token`, from `body`.
async fn open(w: &World, token: &str, body: Value) -> Res {
    post(&w.router, "/api/v1/dossiers", Some(token), body).await
}

/// How many dossiers of its own office the receptionist lists.
async fn own_office_count(w: &World) -> Option<usize> {
    let r = get(&w.router, "/api/v1/dossiers", Some(&w.receptionist)).await;
    r.ok(200)["items"].as_array().map(Vec::len)
}

/// Two dossiers for one citizen at DISTRICT (a first issue, a lost card);
/// returns the first one's code.
async fn two_dossiers(w: &World) -> String {
    let cid = chau(w).await;
    let d = open_dossier(w, cid).await;
    open(
        w,
        &w.receptionist,
        json!({"citizen_id": cid, "reason": "lost"}),
    )
    .await
    .ok(201);
    d["code"].as_str().expect("code").to_owned()
}

pub async fn a_dossier_opens_received_with_its_code_promise_and_deadlines(store: Store) {
    let w = world(store).await;
    let cid = chau(&w).await;
    let d = open_dossier(&w, cid).await;
    let code = d["code"].as_str().expect("code").to_owned();
    assert_eq!(code.len(), 16);
    assert!(code.starts_with("0790261121"), "{code}");
    assert_eq!(d["office"], 790);
    assert_eq!(d["state"], "received");
    assert_eq!(d["version"], 1);
    assert_eq!(d["kind"], "first");
    assert_eq!(d["fee_vnd"], 0);
    assert_eq!(d["received_on"], "2026-11-21");
    assert!(
        d["promised_on"].as_str().is_some_and(|p| p > "2026-11-25"),
        "{d}"
    );
    let stages: Vec<&str> = d["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .filter_map(|s| s["stage"].as_str())
        .collect();
    assert!(
        stages.contains(&"transfer-to-npd") && stages.contains(&"dispatch"),
        "{stages:?}"
    );
    assert_eq!(d["events"][0]["to"], "received");
}

pub async fn a_dossier_for_a_lost_card_opened_by_personal_id_is_a_reissue_with_a_fee(store: Store) {
    let w = world(store).await;
    chau(&w).await;
    let r = open(
        &w,
        &w.receptionist,
        json!({"personal_id": "079090012346", "reason": "lost"}),
    )
    .await;
    let lost = r.ok(201);
    assert_eq!(lost["kind"], "reissue");
    assert!(lost["fee_vnd"].as_u64().unwrap_or(0) > 0, "{lost}");
}

pub async fn opening_a_dossier_without_naming_the_citizen_is_a_bad_request(store: Store) {
    let w = world(store).await;
    chau(&w).await;
    open(&w, &w.receptionist, json!({"reason": "lost"}))
        .await
        .problem(400, "request.invalid_field");
    assert_eq!(own_office_count(&w).await, Some(0));
}

pub async fn opening_a_dossier_for_an_unknown_reason_is_a_bad_request(store: Store) {
    let w = world(store).await;
    let cid = chau(&w).await;
    open(
        &w,
        &w.receptionist,
        json!({"citizen_id": cid, "reason": "stolen"}),
    )
    .await
    .problem(400, "rules.unknown_code");
    assert_eq!(own_office_count(&w).await, Some(0));
}

pub async fn opening_a_dossier_of_a_kind_its_reason_does_not_allow_is_refused(store: Store) {
    let w = world(store).await;
    let cid = chau(&w).await;
    open(
        &w,
        &w.receptionist,
        json!({"citizen_id": cid, "reason": "lost", "kind": "first"}),
    )
    .await
    .problem(422, "rules.reason_not_for_kind");
    assert_eq!(own_office_count(&w).await, Some(0));
}

pub async fn opening_a_dossier_for_an_unknown_citizen_is_not_found(store: Store) {
    let w = world(store).await;
    chau(&w).await;
    open(
        &w,
        &w.receptionist,
        json!({"citizen_id": 999_999, "reason": "lost"}),
    )
    .await
    .problem(404, "store.not_found");
    assert_eq!(own_office_count(&w).await, Some(0));
}

pub async fn opening_a_dossier_with_a_refused_capture_names_the_rule_and_opens_nothing(
    store: Store,
) {
    let w = world(store).await;
    let cid = chau(&w).await;
    // 422 with the rule's own code, the member named in both languages.
    let mut glasses = complete_capture();
    glasses["portrait"]["no_glasses"] = json!(false);
    let r = open(
        &w,
        &w.receptionist,
        json!({"citizen_id": cid, "reason": "lost", "capture": glasses}),
    )
    .await;
    r.problem(422, "capture.portrait_refused");
    let vi = r.body["message_vi"].as_str().unwrap_or("");
    assert!(
        vi.starts_with("Trường capture.portrait:") && vi.contains("có đeo kính"),
        "{vi}"
    );
    let en = r.body["message_en"].as_str().unwrap_or("");
    assert!(
        en.starts_with("Field capture.portrait:") && en.contains("glasses worn"),
        "{en}"
    );
    assert_eq!(own_office_count(&w).await, Some(0));
}

pub async fn roles_that_do_not_open_dossiers_are_refused(store: Store) {
    let w = world(store).await;
    let cid = chau(&w).await;
    for t in [&w.approver, &w.printer, &w.commune_police] {
        open(&w, t, json!({"citizen_id": cid, "reason": "lost"}))
            .await
            .problem(403, "service.role_not_allowed");
    }
    assert_eq!(own_office_count(&w).await, Some(0));
}

pub async fn a_dossier_is_read_by_its_office_province_commune_centre_and_admin(store: Store) {
    let w = world(store).await;
    let cid = chau(&w).await;
    let d = open_dossier(&w, cid).await;
    let code = d["code"].as_str().expect("code");
    let uri = format!("/api/v1/dossiers/{code}");
    for t in [
        &w.receptionist,
        &w.province_officer,
        &w.commune_police,
        &w.approver,
        &w.admin,
    ] {
        let r = get(&w.router, &uri, Some(t)).await;
        assert_eq!(r.ok(200)["code"], code);
    }
}

pub async fn another_district_cannot_read_a_dossier(store: Store) {
    let w = world(store).await;
    let cid = chau(&w).await;
    let d = open_dossier(&w, cid).await;
    let code = d["code"].as_str().expect("code");
    get(
        &w.router,
        &format!("/api/v1/dossiers/{code}"),
        Some(&w.other_receptionist),
    )
    .await
    .problem(403, "service.out_of_scope");
}

pub async fn reading_a_dossier_code_with_a_wrong_check_digit_is_a_bad_request(store: Store) {
    let w = world(store).await;
    let cid = chau(&w).await;
    let d = open_dossier(&w, cid).await;
    let code = d["code"].as_str().expect("code");
    let last = code.as_bytes()[15] - b'0';
    let wrong = format!("{}{}", &code[..15], (last + 1) % 10);
    get(
        &w.router,
        &format!("/api/v1/dossiers/{wrong}"),
        Some(&w.receptionist),
    )
    .await
    .problem(400, "dossier_code.bad_check_digit");
}

pub async fn the_dossier_list_shows_the_own_office_by_default(store: Store) {
    let w = world(store).await;
    two_dossiers(&w).await;
    assert_eq!(own_office_count(&w).await, Some(2));
    let theirs = get(&w.router, "/api/v1/dossiers", Some(&w.other_receptionist)).await;
    assert_eq!(theirs.ok(200)["items"].as_array().map(Vec::len), Some(0));
}

pub async fn the_dossier_list_pages_by_keyset(store: Store) {
    let w = world(store).await;
    two_dossiers(&w).await;
    let r = get(
        &w.router,
        "/api/v1/dossiers?office=790&state=received&limit=1",
        Some(&w.approver),
    )
    .await;
    let page = r.ok(200).clone();
    assert_eq!(page["items"].as_array().map(Vec::len), Some(1));
    let after = page["next_after"].as_i64().expect("next page");
    let r = get(
        &w.router,
        &format!("/api/v1/dossiers?office=790&limit=1&after={after}"),
        Some(&w.approver),
    )
    .await;
    assert_eq!(r.ok(200)["items"].as_array().map(Vec::len), Some(1));
    assert_ne!(r.body["items"][0]["code"], page["items"][0]["code"]);
}

pub async fn the_dossier_list_filters_by_state(store: Store) {
    let w = world(store).await;
    two_dossiers(&w).await;
    let r = get(
        &w.router,
        "/api/v1/dossiers?state=approved",
        Some(&w.receptionist),
    )
    .await;
    assert_eq!(r.ok(200)["items"].as_array().map(Vec::len), Some(0));
    let r = get(
        &w.router,
        "/api/v1/dossiers?state=received",
        Some(&w.receptionist),
    )
    .await;
    assert_eq!(r.ok(200)["items"].as_array().map(Vec::len), Some(2));
}

pub async fn an_unknown_state_in_the_dossier_list_is_a_bad_request(store: Store) {
    let w = world(store).await;
    get(
        &w.router,
        "/api/v1/dossiers?state=lost_in_space",
        Some(&w.receptionist),
    )
    .await
    .problem(400, "workflow.unknown_state");
}

pub async fn listing_another_districts_dossiers_is_refused(store: Store) {
    let w = world(store).await;
    get(
        &w.router,
        "/api/v1/dossiers?office=791",
        Some(&w.receptionist),
    )
    .await
    .problem(403, "service.out_of_scope");
}

pub async fn listing_the_dossiers_of_an_unknown_office_is_not_found(store: Store) {
    let w = world(store).await;
    get(&w.router, "/api/v1/dossiers?office=4242", Some(&w.admin))
        .await
        .problem(404, "store.not_found");
}
