//! The hotline's webhooks: Twilio's TwiML and Stringee's SCCO, both
//! rendered from one walk of the voice menu (`cancuoc_core::channel::ivr`).
//! The call's state travels in the next request's URL; a lookup is answered
//! inline through the service, which throttles and audits it per caller.

use axum::body::Bytes;
use axum::extract::{Query, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use cancuoc_channels::{scco, signature, twiml};
use cancuoc_core::channel::Need;
use cancuoc_core::channel::ivr::{self, IvrState, IvrTurn};
use cancuoc_service::channels::LookupAnswer;
use jiff::civil::DateTime;
use std::collections::HashMap;

use super::{forbidden, off, public_base};
use crate::app::App;

/// Local time in Vietnam now.
fn local_now(app: &App) -> DateTime {
    app.service()
        .now()
        .to_zoned(cancuoc_service::vietnam())
        .datetime()
}

/// The turn after `digits` at `state`, with its lookup answered; `Err`
/// (a 503 for the provider, which then plays its fallback) when the
/// lookup cannot be answered now.
async fn walk(
    app: &App,
    state: &IvrState,
    digits: Option<&str>,
    caller: &str,
) -> Result<IvrTurn, Response> {
    let now = local_now(app);
    let turn = ivr::step(state, digits, now, app.service().calendar());
    if turn.need == Need::Nothing {
        return Ok(turn);
    }
    match app.service().ivr_lookup(caller, &turn.need).await {
        Ok(Some(LookupAnswer::Status(facts))) => {
            Ok(ivr::status_turn(&turn.next, facts.as_ref(), now))
        }
        Ok(Some(LookupAnswer::Throttled(_))) => Ok(ivr::throttled_turn(&turn.next)),
        Ok(_) => Ok(turn),
        Err(e) => {
            tracing::error!(error = %e, "hotline lookup failed");
            Err((StatusCode::SERVICE_UNAVAILABLE, "lookup unavailable\n").into_response())
        }
    }
}

/// Whether the operator may be dialled: only with a number set (the turn
/// asks for it only during opening hours).
fn operator(app: &App) -> Option<&str> {
    app.config().channels.operator_number.as_deref()
}

/// `POST /channels/ivr/twilio`: Twilio's request (form fields, `Digits`
/// after a `<Gather>`), answered with TwiML.
pub(super) async fn twilio(
    State(app): State<App>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(cfg) = app.config().channels.twilio.clone() else {
        return off();
    };
    let params = twiml::parse_form(&body);
    let base = public_base(&app);
    let path_query = uri.path_and_query().map_or(uri.path(), |pq| pq.as_str());
    let url = format!("{base}{path_query}");
    let given = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !signature::twilio_valid(&cfg.auth_token, &url, &params, given) {
        return forbidden("twilio");
    }
    let field = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let state = IvrState::from_query(uri.query().unwrap_or(""));
    let digits = field("Digits").filter(|d| !d.is_empty());
    let caller = field("From").unwrap_or("unknown");
    let turn = match walk(&app, &state, digits, caller).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let action = format!("{base}/channels/ivr/twilio?{}", turn.next.to_query());
    let xml = twiml::render_twiml(&turn, &action, &cfg.voice, operator(&app));
    ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], xml).into_response()
}

/// `GET /channels/ivr/stringee/answer`: a call starts; the first SCCO.
pub(super) async fn stringee_answer(
    State(app): State<App>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Some(cfg) = app.config().channels.stringee.clone() else {
        return off();
    };
    let caller = q.get("from").map_or("unknown", String::as_str);
    let turn = match walk(&app, &IvrState::default(), None, caller).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    scco_answer(&app, &cfg, &turn, caller)
}

/// `POST /channels/ivr/stringee/event`: the keys pressed at an `input`
/// (JSON), answered with the next SCCO.
pub(super) async fn stringee_event(
    State(app): State<App>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(cfg) = app.config().channels.stringee.clone() else {
        return off();
    };
    let given = headers
        .get("x-stringee-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !signature::stringee_valid(&cfg.signing_secret, &body, given) {
        return forbidden("stringee");
    }
    let input = match scco::parse_input(&body) {
        Ok(i) => i,
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                format!("unreadable Stringee event: {e}\n"),
            )
                .into_response();
        }
    };
    let query = query.unwrap_or_default();
    // Stringee signs the body only: the call's state in the event URL is
    // signed by us (`scco_answer`), so it cannot be edited to reset the
    // wrong entries or swap the number being checked.
    let Some(query) = signed_state(&cfg.signing_secret, &query) else {
        return forbidden("stringee");
    };
    let state = IvrState::from_query(query);
    let caller = form_value(query, "from").unwrap_or_else(|| "unknown".to_owned());
    let digits = input
        .dtmf
        .as_deref()
        .filter(|d| !d.is_empty() && !input.timeout);
    let turn = match walk(&app, &state, digits, &caller).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    scco_answer(&app, &cfg, &turn, &caller)
}

fn scco_answer(app: &App, cfg: &super::StringeeConfig, turn: &IvrTurn, caller: &str) -> Response {
    let base = public_base(app);
    let from: String = form_urlencoded::byte_serialize(caller.as_bytes()).collect();
    let state = format!("{}&from={from}", turn.next.to_query());
    let sig: String = form_urlencoded::byte_serialize(
        signature::stringee_sign(&cfg.signing_secret, state.as_bytes()).as_bytes(),
    )
    .collect();
    let event = format!("{base}/channels/ivr/stringee/event?{state}&sig={sig}");
    let body = scco::render_scco(turn, &event, &cfg.voice, &cfg.hotline_number, operator(app));
    axum::Json(body).into_response()
}

/// The state part of an event URL's query when its `sig` (last) signs
/// it with `secret`.
fn signed_state<'q>(secret: &str, query: &'q str) -> Option<&'q str> {
    let (state, sig) = query.rsplit_once("&sig=")?;
    let sig: String = form_urlencoded::parse(format!("s={sig}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())?;
    signature::stringee_valid(secret, state.as_bytes(), &sig).then_some(state)
}

/// One value of a query string.
fn form_value(query: &str, name: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}
