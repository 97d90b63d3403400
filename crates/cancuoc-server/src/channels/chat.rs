//! The chat webhooks: Zalo OA and Messenger. Each verifies the provider's
//! signature over the raw body, keeps the citizens' text messages in the
//! service's inbox (a retried delivery is recognised there) and answers at
//! once; the inbox loop replies later through the provider's API.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use cancuoc_channels::{messenger, signature, zalo};
use cancuoc_core::channel::Channel;

use super::{forbidden, off};
use crate::app::App;

fn bad_body(channel: &str, e: impl std::fmt::Display) -> Response {
    (
        StatusCode::BAD_REQUEST,
        format!("unreadable {channel} event: {e}\n"),
    )
        .into_response()
}

/// A store failure while keeping a message: 503, so the provider delivers
/// it again later (nothing is lost).
fn unavailable(e: &cancuoc_service::ServiceError) -> Response {
    tracing::error!(error = %e, "an inbound chat message could not be kept");
    (StatusCode::SERVICE_UNAVAILABLE, "try again later\n").into_response()
}

/// `POST /channels/zalo/webhook`.
pub(super) async fn zalo(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(cfg) = app.config().channels.zalo.clone() else {
        return off();
    };
    let given = headers
        .get("x-zevent-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // Signed over our app id, the raw body and the body's timestamp: an
    // event for another app, or an unreadable one, fails.
    if !zalo::verify(&cfg.app_id, &cfg.webhook_secret, &body, given) {
        return forbidden("zalo");
    }
    match zalo::parse(&body) {
        Ok(zalo::ZaloEvent::Text {
            sender,
            msg_id,
            text,
            ..
        }) => {
            if let Err(e) = app
                .service()
                .channel_receive(Channel::Zalo, &msg_id, &sender, &text)
                .await
            {
                return unavailable(&e);
            }
        }
        Ok(_) => {}
        Err(e) => return bad_body("Zalo", e),
    }
    (
        StatusCode::OK,
        axum::Json(serde_json::json!({ "error": 0 })),
    )
        .into_response()
}

/// `GET /channels/messenger/webhook`: the subscription handshake.
pub(super) async fn messenger_verify(
    State(app): State<App>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Some(cfg) = app.config().channels.messenger.clone() else {
        return off();
    };
    let get = |k: &str| q.get(k).map_or("", String::as_str);
    match messenger::verify_handshake(
        get("hub.mode"),
        get("hub.verify_token"),
        get("hub.challenge"),
        &cfg.verify_token,
    ) {
        Some(challenge) => (StatusCode::OK, challenge).into_response(),
        None => forbidden("messenger"),
    }
}

/// `POST /channels/messenger/webhook`.
pub(super) async fn messenger(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(cfg) = app.config().channels.messenger.clone() else {
        return off();
    };
    let given = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !signature::messenger_valid(&cfg.app_secret, &body, given) {
        return forbidden("messenger");
    }
    let events = match messenger::parse(&body) {
        Ok(e) => e,
        Err(e) => return bad_body("Messenger", e),
    };
    for event in events {
        if let messenger::MessengerEvent::Text {
            sender,
            mid,
            text,
            quick_reply_payload,
            ..
        } = event
        {
            let text = quick_reply_payload.unwrap_or(text);
            if let Err(e) = app
                .service()
                .channel_receive(Channel::Messenger, &mid, &sender, &text)
                .await
            {
                return unavailable(&e);
            }
        }
    }
    (StatusCode::OK, "EVENT_RECEIVED").into_response()
}
