//! One dossier walked through the whole workflow over the API with the
//! right officers (and the wrong ones refused at each step); then, one case
//! each, a step the state does not allow, a rejection without a reason,
//! idempotent retries, optimistic concurrency, an unknown dossier and an
//! unknown target state.

use axum::http::Method;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_store::Store;
use serde_json::{Value, json};

use crate::world::*;

async fn step(w: &World, token: &str, code: &str, body: Value) -> Res {
    post(
        &w.router,
        &format!("/api/v1/dossiers/{code}/transitions"),
        Some(token),
        body,
    )
    .await
}

/// Applies a step that must succeed; returns the new version.
async fn ok_step(w: &World, token: &str, code: &str, body: Value, to: &str) -> i64 {
    let r = step(w, token, code, body).await;
    let v = r.ok(200);
    assert_eq!(v["to"], to, "{v}");
    assert_eq!(v["replayed"], false);
    v["version"].as_i64().expect("version")
}

async fn state_of(w: &World, code: &str) -> Value {
    get(&w.router, &format!("/api/v1/status/{code}"), None)
        .await
        .ok(200)["state"]
        .clone()
}

pub async fn workflow_walk_received_to_returned(store: Store) {
    let w = world(store).await;
    let cid = register(&w, "Đinh Quốc Bảo", "079090012348").await;
    let d = open_dossier(&w, cid).await;
    let code = d["code"].as_str().expect("code").to_owned();
    let code = code.as_str();

    // received → captured needs a complete capture record (422 without).
    step(
        &w,
        &w.receptionist,
        code,
        json!({"to": "captured", "version": 1}),
    )
    .await
    .problem(422, "workflow.capture_required");
    let r = send(
        &w.router,
        Method::PUT,
        &format!("/api/v1/dossiers/{code}/capture"),
        Some(&w.receptionist),
        Some(complete_capture()),
        &[],
    )
    .await;
    // Saving the capture is an event of the dossier: version 1 → 2.
    let v = r.ok(200)["version"].as_i64().expect("version");
    assert_eq!(v, 2);
    // Another district's receptionist: out of scope. The approver: wrong role.
    step(
        &w,
        &w.other_receptionist,
        code,
        json!({"to": "captured", "version": v}),
    )
    .await
    .problem(403, "workflow.out_of_scope");
    step(
        &w,
        &w.approver,
        code,
        json!({"to": "captured", "version": v}),
    )
    .await
    .problem(403, "workflow.wrong_role");
    let v = ok_step(
        &w,
        &w.receptionist,
        code,
        json!({"to": "captured", "version": v}),
        "captured",
    )
    .await;
    let v = ok_step(
        &w,
        &w.receptionist,
        code,
        json!({"to": "slip_issued", "version": v}),
        "slip_issued",
    )
    .await;
    // After the slip: say whether population data changed.
    step(
        &w,
        &w.receptionist,
        code,
        json!({"to": "commune_verification", "version": v}),
    )
    .await
    .problem(422, "workflow.population_change_unknown");
    let v = ok_step(
        &w,
        &w.receptionist,
        code,
        json!({"to": "commune_verification", "version": v, "population_data_changed": true}),
        "commune_verification",
    )
    .await;
    // Commune police of the residence commune verify; the centre cannot.
    step(
        &w,
        &w.processor,
        code,
        json!({"to": "sent_to_centre", "version": v}),
    )
    .await
    .problem(403, "workflow.wrong_role");
    let v = ok_step(
        &w,
        &w.commune_police,
        code,
        json!({"to": "sent_to_centre", "version": v, "note": "Đã xác minh"}),
        "sent_to_centre",
    )
    .await;
    assert_eq!(state_of(&w, code).await, "sent_to_centre");
    // Only an approver approves.
    step(
        &w,
        &w.processor,
        code,
        json!({"to": "approved", "version": v}),
    )
    .await
    .problem(403, "workflow.wrong_role");
    let v = ok_step(
        &w,
        &w.approver,
        code,
        json!({"to": "approved", "version": v}),
        "approved",
    )
    .await;
    step(
        &w,
        &w.dispatcher,
        code,
        json!({"to": "printed", "version": v}),
    )
    .await
    .problem(403, "workflow.wrong_role");
    let v = ok_step(
        &w,
        &w.printer,
        code,
        json!({"to": "printed", "version": v}),
        "printed",
    )
    .await;
    let v = ok_step(
        &w,
        &w.dispatcher,
        code,
        json!({"to": "dispatched", "version": v}),
        "dispatched",
    )
    .await;
    // Return at the receiving office: its return officer, not the centre.
    step(
        &w,
        &w.dispatcher,
        code,
        json!({"to": "ready_for_pickup", "version": v}),
    )
    .await
    .problem(403, "workflow.wrong_role");
    let v = ok_step(
        &w,
        &w.return_officer,
        code,
        json!({"to": "ready_for_pickup", "version": v}),
        "ready_for_pickup",
    )
    .await;
    step(
        &w,
        &w.return_officer,
        code,
        json!({"to": "returned", "version": v}),
    )
    .await
    .problem(422, "workflow.old_document_required");
    let v = ok_step(
        &w,
        &w.return_officer,
        code,
        json!({"to": "returned", "version": v, "old_document": "collected"}),
        "returned",
    )
    .await;
    // Ten steps and the capture: eleven events.
    assert_eq!(v, 11);
    // Final state: nothing moves any more.
    step(
        &w,
        &w.admin,
        code,
        json!({"to": "cancelled", "version": v, "note": "thử"}),
    )
    .await
    .problem(409, "workflow.terminal_state");
    let s = get(&w.router, &format!("/api/v1/status/{code}"), None).await;
    let s = s.ok(200);
    assert_eq!(s["state"], "returned");
    assert_eq!(s["state_label_en"].as_str().map(str::is_empty), Some(false));
    assert_eq!(s["overdue"], false);
    // The event log: one event per step, from → to in order, and the
    // capture recorded as an event of its own, the state unchanged.
    let full = get(
        &w.router,
        &format!("/api/v1/dossiers/{code}"),
        Some(&w.admin),
    )
    .await;
    let events = full.ok(200)["events"].as_array().expect("events").clone();
    assert_eq!(events[1]["kind"], "capture");
    assert_eq!(
        (events[1]["from"].clone(), events[1]["to"].clone()),
        (json!("received"), json!("received"))
    );
    let path: Vec<&str> = events
        .iter()
        .filter(|e| e["kind"] == "transition")
        .filter_map(|e| e["to"].as_str())
        .collect();
    assert_eq!(
        path,
        [
            "received",
            "captured",
            "slip_issued",
            "commune_verification",
            "sent_to_centre",
            "approved",
            "printed",
            "dispatched",
            "ready_for_pickup",
            "returned"
        ]
    );
    assert_eq!(events[5]["note"], "Đã xác minh");
    assert_eq!(full.body["version"], 11);
}

/// A registered citizen's dossier, received at DISTRICT, with its complete
/// capture saved (version 2); returns its code.
async fn captured_record(w: &World, name: &str, pid: &str) -> String {
    let cid = register(w, name, pid).await;
    let d = open_dossier(w, cid).await;
    let code = d["code"].as_str().expect("code").to_owned();
    send(
        &w.router,
        Method::PUT,
        &format!("/api/v1/dossiers/{code}/capture"),
        Some(&w.receptionist),
        Some(complete_capture()),
        &[],
    )
    .await
    .ok(200);
    code
}

/// The dossier's version and the number of its events, as its office
/// reads them.
async fn version_and_events(w: &World, code: &str) -> (Value, Option<usize>) {
    let full = get(
        &w.router,
        &format!("/api/v1/dossiers/{code}"),
        Some(&w.receptionist),
    )
    .await;
    let v = full.ok(200);
    assert_eq!(v["events"][1]["kind"], "capture", "{v}");
    (v["version"].clone(), v["events"].as_array().map(Vec::len))
}

/// A well-formed dossier code of the same office and day nobody was given.
fn unknown_code_beside(code: &str) -> DossierCode {
    let real: DossierCode = code.parse().expect("code");
    DossierCode::new(
        real.office(),
        real.date(),
        (real.random() + 1) % DossierCode::RANDOM_SPACE,
    )
    .expect("code")
}

pub async fn a_step_the_state_does_not_allow_is_refused(store: Store) {
    let w = world(store).await;
    let cid = register(&w, "Đinh Quốc Bảo", "079090012348").await;
    let d = open_dossier(&w, cid).await;
    let code = d["code"].as_str().expect("code");
    capture_and_advance(&w, code).await;
    // Captured (version 3) cannot go straight to approved, whoever asks.
    step(
        &w,
        &w.approver,
        code,
        json!({"to": "approved", "version": 3}),
    )
    .await
    .problem(409, "workflow.not_allowed");
    assert_eq!(state_of(&w, code).await, "captured");
}

pub async fn a_rejection_without_a_reason_is_refused(store: Store) {
    let w = world(store).await;
    let cid = register(&w, "Đinh Quốc Bảo", "079090012348").await;
    let d = open_dossier(&w, cid).await;
    let code = d["code"].as_str().expect("code");
    capture_and_advance(&w, code).await;
    let v = ok_step(
        &w,
        &w.receptionist,
        code,
        json!({"to": "slip_issued", "version": 3}),
        "slip_issued",
    )
    .await;
    let v = ok_step(
        &w,
        &w.receptionist,
        code,
        json!({"to": "commune_verification", "version": v, "population_data_changed": true}),
        "commune_verification",
    )
    .await;
    let v = ok_step(
        &w,
        &w.commune_police,
        code,
        json!({"to": "sent_to_centre", "version": v}),
        "sent_to_centre",
    )
    .await;
    step(
        &w,
        &w.processor,
        code,
        json!({"to": "rejected", "version": v}),
    )
    .await
    .problem(422, "workflow.reason_required");
    assert_eq!(state_of(&w, code).await, "sent_to_centre");
}

pub async fn a_retry_under_the_same_key_returns_the_first_answer(store: Store) {
    let w = world(store).await;
    let code = captured_record(&w, "Mai Thanh Tâm", "079090012349").await;
    // The capture was event 2; the step names version 2.
    let uri = format!("/api/v1/dossiers/{code}/transitions");
    let body = json!({"to": "captured", "version": 2});
    let key = [("idempotency-key", "k-0001")];
    let first = send(
        &w.router,
        Method::POST,
        &uri,
        Some(&w.receptionist),
        Some(body.clone()),
        &key,
    )
    .await;
    assert_eq!(first.ok(200)["version"], 3);
    assert_eq!(first.body["replayed"], false);
    // The retry returns the same result and changes nothing.
    let retry = send(
        &w.router,
        Method::POST,
        &uri,
        Some(&w.receptionist),
        Some(body),
        &key,
    )
    .await;
    let r = retry.ok(200);
    assert_eq!(r["version"], 3);
    assert_eq!(r["replayed"], true);
    assert_eq!(retry.headers["idempotent-replayed"], "true");
    assert_eq!(r["at"], first.body["at"]);
    assert_eq!(version_and_events(&w, &code).await, (json!(3), Some(3)));
}

pub async fn the_same_key_for_another_request_is_refused(store: Store) {
    let w = world(store).await;
    let code = captured_record(&w, "Mai Thanh Tâm", "079090012349").await;
    let uri = format!("/api/v1/dossiers/{code}/transitions");
    let key = [("idempotency-key", "k-0001")];
    send(
        &w.router,
        Method::POST,
        &uri,
        Some(&w.receptionist),
        Some(json!({"to": "captured", "version": 2})),
        &key,
    )
    .await
    .ok(200);
    send(
        &w.router,
        Method::POST,
        &uri,
        Some(&w.receptionist),
        Some(json!({"to": "slip_issued", "version": 3})),
        &key,
    )
    .await
    .problem(409, "store.idempotency_key_reused");
    assert_eq!(version_and_events(&w, &code).await, (json!(3), Some(3)));
}

pub async fn a_step_on_a_stale_version_is_refused_naming_that_version(store: Store) {
    let w = world(store).await;
    let code = captured_record(&w, "Mai Thanh Tâm", "079090012349").await;
    let uri = format!("/api/v1/dossiers/{code}/transitions");
    let body = json!({"to": "captured", "version": 2});
    post(&w.router, &uri, Some(&w.receptionist), body.clone())
        .await
        .ok(200);
    // Without a key, the same request again is stale: 409, version named.
    let stale = post(&w.router, &uri, Some(&w.receptionist), body).await;
    stale.problem(409, "store.stale_version");
    assert!(
        stale.body["message_en"]
            .as_str()
            .unwrap_or("")
            .contains("expected version 2"),
        "{}",
        stale.body
    );
    assert_eq!(version_and_events(&w, &code).await, (json!(3), Some(3)));
}

pub async fn two_officers_racing_on_one_version_exactly_one_wins(store: Store) {
    let w = world(store).await;
    let code = captured_record(&w, "Mai Thanh Tâm", "079090012349").await;
    capture_and_advance_from_saved(&w, &code).await;
    let uri = format!("/api/v1/dossiers/{code}/transitions");
    let a = post(
        &w.router,
        &uri,
        Some(&w.receptionist),
        json!({"to": "slip_issued", "version": 3}),
    );
    let b = post(
        &w.router,
        &uri,
        Some(&w.admin),
        json!({"to": "cancelled", "version": 3, "note": "trùng hồ sơ"}),
    );
    let (a, b) = tokio::join!(a, b);
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{} / {}", a.body, b.body);
    // The loser is told it was late, whichever it was.
    let loser = if a.status.as_u16() == 409 { &a } else { &b };
    loser.problem(409, "store.stale_version");
    assert_eq!(version_and_events(&w, &code).await, (json!(4), Some(4)));
}

/// Moves a dossier whose capture is saved (version 2) to `captured`.
async fn capture_and_advance_from_saved(w: &World, code: &str) {
    ok_step(
        w,
        &w.receptionist,
        code,
        json!({"to": "captured", "version": 2}),
        "captured",
    )
    .await;
}

pub async fn a_step_on_an_unknown_dossier_is_not_found(store: Store) {
    let w = world(store).await;
    let code = captured_record(&w, "Mai Thanh Tâm", "079090012349").await;
    // A well-formed code nobody was given.
    let other = unknown_code_beside(&code);
    post(
        &w.router,
        &format!("/api/v1/dossiers/{other}/transitions"),
        Some(&w.receptionist),
        json!({"to": "captured", "version": 1}),
    )
    .await
    .problem(404, "store.not_found");
}

pub async fn a_step_to_an_unknown_state_is_a_bad_request(store: Store) {
    let w = world(store).await;
    let code = captured_record(&w, "Mai Thanh Tâm", "079090012349").await;
    capture_and_advance_from_saved(&w, &code).await;
    post(
        &w.router,
        &format!("/api/v1/dossiers/{code}/transitions"),
        Some(&w.receptionist),
        json!({"to": "teleported", "version": 3}),
    )
    .await
    .problem(400, "workflow.unknown_state");
    assert_eq!(version_and_events(&w, &code).await, (json!(3), Some(3)));
}
