//! Card routes (thẻ): the public status of a card for relying parties
//! (`GET /api/v1/cards/{number}/status`), an officer's report of a lost
//! card (`POST /api/v1/cards/{number}/lost`) and the holder's own
//! (`POST /api/v1/me/card/lost`, account token). Each parses, makes one
//! service call and writes [`CardStatusView`]: a standing, a date and the
//! masked number, nothing else about the holder.

use axum::extract::State;
use cancuoc_core::calendar::parse_date;
use cancuoc_core::id::{PersonalId, mask};
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::IntoParams;

use super::accounts::Owner;
use super::wire::{CardStatusView, LostCardBody, PersonalIdText};
use super::{ACCOUNT, OFFICER, PROBLEM, PUBLIC};
use crate::app::App;
use crate::error::{ApiError, ProblemBody};
use crate::extract::{Auth, Json, Path, Query};
use cancuoc_web::client::Caller;

/// Query of [`card_status`].
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IssuedQuery {
    /// The issue date printed on the card (`YYYY-MM-DD`): answers for that
    /// card (an older, replaced one too); without it, the holder's current
    /// card.
    #[param(value_type = Option<String>, format = Date)]
    pub issued: Option<String>,
}

/// An optional issue date as the client wrote it.
fn issued_of(s: Option<&str>) -> Result<Option<Date>, ApiError> {
    match s.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => parse_date(s)
            .map(Some)
            .map_err(|e| ApiError::field("issued", &e)),
    }
}

/// Whether a card may be relied on (tra cứu tình trạng thẻ), for banks,
/// telecoms and hospitals that read a card or its chip: `valid`,
/// `must_renew`, `expired`, `lost`, `replaced`, `not_yet_issued` or
/// `unknown` (no such card), and since when. Never anything about the
/// holder. A report of loss shows at once (no cache). Counted as a status
/// lookup of the client.
#[utoipa::path(get, path = "/api/v1/cards/{number}/status", tag = PUBLIC,
    params(("number" = PersonalIdText, Path, description = "Số thẻ: the personal ID number printed on the card, 12 digits"), IssuedQuery),
    responses(
        (status = 200, description = "The card's standing", body = CardStatusView),
        (status = 400, description = "Malformed card number, issue date or path (`id.*`, `calendar.*`, `request.bad_query`, `request.bad_path`)", body = ProblemBody, content_type = PROBLEM),
        (status = 429, description = "Too many lookups from this client (`limit.lookups`, `limit.code_walk`); `Retry-After` says when to try again", body = ProblemBody, content_type = PROBLEM,
            headers(("Retry-After" = u32, description = "Seconds to wait before the next lookup")))
    ))]
pub async fn card_status(
    State(app): State<App>,
    Caller(client): Caller,
    Path(number): Path<String>,
    Query(q): Query<IssuedQuery>,
) -> Result<Json<CardStatusView>, ApiError> {
    let number = PersonalId::parse(&number)?;
    let issued = issued_of(q.issued.as_deref())?;
    let svc = app.service();
    let status = svc.card_status(&number, issued, client).await?;
    Ok(Json(CardStatusView::new(
        mask(&number).as_str().to_owned(),
        status,
        svc.now(),
    )))
}

/// Reports a citizen's card lost (báo mất thẻ) for its holder, who stands
/// at the desk: it is hotlisted at once. A reception officer of an office
/// that receives the public today, or an administrator; the card issued on
/// `issued` when given, else the holder's active card, else their printed
/// one. A card already lost answers as it is.
#[utoipa::path(post, path = "/api/v1/cards/{number}/lost", tag = OFFICER,
    params(("number" = PersonalIdText, Path, description = "Số thẻ, 12 digits")),
    request_body = LostCardBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The card's new standing (`lost`)", body = CardStatusView),
        (status = 400, description = "A body that is not JSON, a malformed card number or issue date (`id.*`, `calendar.*`, `request.bad_json`, `request.bad_path`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "The officer's role may not report cards lost (`service.role_not_allowed`)", body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "No active or printed card with this number (and issue date)", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape (`request.bad_json`); a reason missing or over 500 characters; the card is replaced or void", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn report_lost(
    State(app): State<App>,
    Auth(officer): Auth,
    Path(number): Path<String>,
    Json(b): Json<LostCardBody>,
) -> Result<Json<CardStatusView>, ApiError> {
    let number = PersonalId::parse(&number)?;
    let issued = issued_of(b.issued.as_deref())?;
    let svc = app.service();
    let status = svc
        .report_card_lost(&officer, &number, issued, &b.reason)
        .await?;
    Ok(Json(CardStatusView::new(
        mask(&number).as_str().to_owned(),
        status,
        svc.now(),
    )))
}

/// Reports the account owner's own card lost (báo mất thẻ của tôi): it is
/// hotlisted at once, and the account's history records it. The card
/// issued on `issued` when given, else the owner's active card, else their
/// printed one.
#[utoipa::path(post, path = "/api/v1/me/card/lost", tag = ACCOUNT,
    request_body = LostCardBody,
    security(("account" = [])),
    responses(
        (status = 200, description = "The card's new standing (`lost`)", body = CardStatusView),
        (status = 400, description = "A body that is not JSON, or a malformed issue date (`calendar.*`, `request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No live account token (`auth.*`, `account.session`)", body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "No active or printed card of the owner (with this issue date)", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape (`request.bad_json`); a reason missing or over 500 characters; the card is replaced or void", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn report_own_lost(
    State(app): State<App>,
    owner: Owner,
    Caller(client): Caller,
    Json(b): Json<LostCardBody>,
) -> Result<Json<CardStatusView>, ApiError> {
    let issued = issued_of(b.issued.as_deref())?;
    let svc = app.service();
    let (number, status) = svc
        .account_report_card_lost(&owner.session, issued, &b.reason, client)
        .await?;
    Ok(Json(CardStatusView::new(
        mask(&number).as_str().to_owned(),
        status,
        svc.now(),
    )))
}
