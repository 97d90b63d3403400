//! The capture record of a dossier over the API: read by anyone who may
//! read the dossier, saved by the reception of its office only, and every
//! record the core refuses left unsaved.

use axum::http::Method;
use cancuoc_store::Store;
use serde_json::{Value, json};

use crate::world::*;

/// A dossier received at DISTRICT; returns its capture route.
async fn capture_route(w: &World) -> String {
    let cid = register(w, "Phạm Minh Châu", "079090012346").await;
    let d = open_dossier(w, cid).await;
    format!(
        "/api/v1/dossiers/{}/capture",
        d["code"].as_str().expect("code")
    )
}

async fn put(w: &World, cap: &str, token: &str, body: Value) -> Res {
    send(&w.router, Method::PUT, cap, Some(token), Some(body), &[]).await
}

/// The saved record as the receptionist reads it.
async fn saved(w: &World, cap: &str) -> Value {
    get(&w.router, cap, Some(&w.receptionist)).await.ok(200)["record"].clone()
}

/// A record the core refuses, after a complete one was saved: 422 with
/// `code`, the message naming `member`, and the saved record unchanged.
async fn refused_after_a_complete_one(store: Store, body: Value, code: &str, member: &str) {
    let w = world(store).await;
    let cap = capture_route(&w).await;
    put(&w, &cap, &w.receptionist, complete_capture())
        .await
        .ok(200);
    let r = put(&w, &cap, &w.receptionist, body).await;
    r.problem(422, code);
    let en = r.body["message_en"].as_str().unwrap_or("");
    assert!(en.starts_with(&format!("Field {member}: ")), "{en}");
    assert_eq!(saved(&w, &cap).await, complete_capture());
}

pub async fn a_new_dossier_has_no_capture_record(store: Store) {
    let w = world(store).await;
    let cap = capture_route(&w).await;
    let r = get(&w.router, &cap, Some(&w.commune_police)).await;
    assert_eq!(r.ok(200)["complete"], false);
    assert!(r.body["record"].is_null(), "{}", r.body);
}

pub async fn the_offices_reception_saves_a_capture_and_reads_it_back(store: Store) {
    let w = world(store).await;
    let cap = capture_route(&w).await;
    let r = put(&w, &cap, &w.receptionist, complete_capture()).await;
    assert_eq!(r.ok(200)["complete"], true);
    assert_eq!(saved(&w, &cap).await, complete_capture());
}

pub async fn another_district_cannot_save_a_capture(store: Store) {
    let w = world(store).await;
    let cap = capture_route(&w).await;
    put(&w, &cap, &w.other_receptionist, complete_capture())
        .await
        .problem(403, "service.out_of_scope");
    assert!(saved(&w, &cap).await.is_null());
}

pub async fn a_role_outside_reception_cannot_save_a_capture(store: Store) {
    let w = world(store).await;
    let cap = capture_route(&w).await;
    put(&w, &cap, &w.printer, complete_capture())
        .await
        .problem(403, "service.role_not_allowed");
    assert!(saved(&w, &cap).await.is_null());
}

pub async fn a_capture_body_of_the_wrong_shape_is_refused(store: Store) {
    let w = world(store).await;
    let cap = capture_route(&w).await;
    put(&w, &cap, &w.receptionist, json!({"fingerprints": "x"}))
        .await
        .problem(422, "request.bad_json");
    assert!(saved(&w, &cap).await.is_null());
}

pub async fn a_missing_finger_without_its_reason_is_refused(store: Store) {
    refused_after_a_complete_one(
        store,
        json!({"fingerprints": ["captured", {"missing": {"other": "  "}}]}),
        "capture.blank_reason",
        "fingerprints[1]",
    )
    .await;
}

pub async fn more_fingerprint_slots_than_thirteen_are_refused(store: Store) {
    refused_after_a_complete_one(
        store,
        json!({"fingerprints": vec!["captured"; 14]}),
        "capture.too_many_fingerprints",
        "fingerprints",
    )
    .await;
}

pub async fn blank_identifying_features_are_refused(store: Store) {
    refused_after_a_complete_one(
        store,
        json!({"fingerprints": [], "features": " "}),
        "capture.features_blank",
        "features",
    )
    .await;
}
