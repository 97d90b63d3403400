//! Bearer tokens on the officer routes: missing, malformed, unknown, valid,
//! and an officer deactivated.

use axum::http::Method;
use cancuoc_store::{OfficerId, Store};
use serde_json::json;

use crate::world::*;

const SEARCH: &str = "/api/v1/citizens?name=an";

pub async fn a_request_without_a_token_is_unauthorized_with_a_challenge(store: Store) {
    let w = world(store).await;
    let r = get(&w.router, SEARCH, None).await;
    r.problem(401, "auth.missing_token");
    assert!(r.headers.contains_key("www-authenticate"));
}

pub async fn a_token_of_another_scheme_is_malformed(store: Store) {
    let w = world(store).await;
    send(
        &w.router,
        Method::GET,
        SEARCH,
        None,
        None,
        &[("authorization", "Basic Zm9vOmJhcg==")],
    )
    .await
    .problem(401, "auth.malformed_token");
}

pub async fn an_unknown_token_is_invalid(store: Store) {
    let w = world(store).await;
    get(&w.router, SEARCH, Some("not-a-real-token"))
        .await
        .problem(401, "auth.invalid_token");
}

pub async fn an_officers_token_is_accepted(store: Store) {
    let w = world(store).await;
    get(&w.router, SEARCH, Some(&w.receptionist)).await.ok(200);
}

pub async fn a_deactivated_officers_token_stops_working(store: Store) {
    let w = world(store).await;
    let me = w
        .app
        .service()
        .authenticate(&w.printer)
        .await
        .expect("printer");
    w.store
        .set_officer_active(OfficerId(me.id.0), false, None, T0)
        .await
        .expect("deactivate");
    get(&w.router, SEARCH, Some(&w.printer))
        .await
        .problem(401, "auth.invalid_token");
}

pub async fn every_officer_route_refuses_without_a_token(store: Store) {
    let w = world(store).await;
    for (m, uri) in [
        (Method::GET, "/api/v1/citizens/079090012345"),
        (Method::GET, "/api/v1/dossiers"),
        (Method::GET, "/api/v1/dossiers/0790261121000014"),
        (Method::GET, "/api/v1/dossiers/0790261121000014/capture"),
        (Method::GET, "/api/v1/offices/790/overdue"),
    ] {
        send(&w.router, m, uri, None, None, &[])
            .await
            .problem(401, "auth.missing_token");
    }
    for uri in [
        "/api/v1/citizens",
        "/api/v1/dossiers",
        "/api/v1/dossiers/0790261121000014/transitions",
    ] {
        post(&w.router, uri, None, json!({}))
            .await
            .problem(401, "auth.missing_token");
    }
}
