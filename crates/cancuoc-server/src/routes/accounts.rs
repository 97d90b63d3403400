//! Citizens' electronic identity accounts over REST (tài khoản định danh
//! điện tử, for a mobile app): the captcha, register and confirm, log in
//! with password then SMS code, a new code, log out; the owner's
//! identification data, document wallet, history and sessions, change of
//! password; forgotten password in three steps; lock and unlock by the
//! owner; and the officers' side — read an account, grant level 2 after an
//! in-person check or lower it, lock and unlock.
//!
//! Each handler reads its body, calls one use case of
//! `cancuoc_service::eid` and writes its answer (`account_wire`). What an
//! answer may reveal is the service's to decide: registration, forgotten
//! password and lock answer the same whatever matched, every failed login
//! is one 401. The owner's routes take the bearer token of
//! `POST /api/v1/auth/otp` ([`Owner`], checked by
//! `Service::account_session`); an officer's token is not one, nor is a
//! citizen's token an officer's.

use axum::extract::FromRequestParts;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use cancuoc_core::i18n::ErrorBody;
use cancuoc_core::id::PersonalId;
use cancuoc_service::model::{Citizen, LiveAccountSession, Officer, ReadPurpose, SessionKind};
use cancuoc_service::{
    AccountError, CitizenKey, IdentityProof, LoginRequest, RegisterRequest, ServiceError,
};
use cancuoc_web::client::Caller;

use super::account_wire::{
    AccountView, CaptchaView, ChallengeView, ChangedView, CodeBody, DoneView, ForgotBody,
    ForgotStarted, ForgotVerified, ForgotVerifyBody, HistoryEventView, HistoryView, LevelBody,
    LevelView, LockBody, LoginBody, MeView, OfficerAccountBody, OfficerEventView, PasswordBody,
    ReasonBody, RegisterBody, ResendBody, ResetBody, SessionView, SessionsView, TokenView,
    WalletCardView, WalletView, rfc3339,
};
use super::wire::PersonalIdText;
use super::{ACCOUNT, OFFICER, PROBLEM};
use crate::app::App;
use crate::error::{ApiError, AuthFailure, ProblemBody};
use crate::extract::{Auth, Json, Path};

/// Events shown in the owner's history.
const HISTORY_LIMIT: u32 = 100;

/// The owner of the request's account token (`Authorization: Bearer …`
/// from `POST /api/v1/auth/otp`): a live session, touched now. Missing →
/// 401 `auth.missing_token`; not `Bearer …` → 401
/// `auth.malformed_token`; unknown, ended, timed out or its account
/// locked → 401 `account.session`.
#[derive(Debug, Clone)]
pub struct Owner {
    /// The live session.
    pub session: LiveAccountSession,
    /// The token as presented (for logout).
    pub token: String,
}

impl Owner {
    /// The owner of the token in `headers`.
    async fn of(app: &App, headers: &axum::http::HeaderMap) -> Result<Self, ApiError> {
        let value = headers
            .get(header::AUTHORIZATION)
            .ok_or(ApiError::Unauthorized(AuthFailure::AccountMissing))?;
        let text = value
            .to_str()
            .map_err(|_| ApiError::Unauthorized(AuthFailure::Malformed))?;
        let token = text
            .strip_prefix("Bearer ")
            .or_else(|| text.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ApiError::Unauthorized(AuthFailure::Malformed))?;
        match app.service().account_session(token).await? {
            Some(session) => Ok(Owner {
                session,
                token: token.to_owned(),
            }),
            None => Err(ServiceError::Account(AccountError::Session).into()),
        }
    }
}

impl FromRequestParts<App> for Owner {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        Self::of(app, &parts.headers).await
    }
}

/// The `User-Agent` of a request, as sent (empty when absent or not
/// text).
fn agent(parts: &axum::http::HeaderMap) -> String {
    parts
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A security code (mã xác nhận) for the account forms that ask for one
/// (registration, login, unlock): a distorted image of 5 characters,
/// valid 5 minutes, spent by the first form that carries it.
#[utoipa::path(get, path = "/api/v1/captcha", tag = ACCOUNT,
    responses(
        (status = 200, description = "A new challenge", body = CaptchaView),
        (status = 429, description = "Too many security codes asked for by this client (`limit.captchas`); `Retry-After` says when to try again", body = ProblemBody, content_type = PROBLEM,
            headers(("Retry-After" = u32, description = "Seconds to wait")))
    ))]
pub async fn captcha(
    axum::Extension(web): axum::Extension<cancuoc_web::Web>,
    Caller(client): Caller,
) -> Result<Json<CaptchaView>, ApiError> {
    let (id, image) = web.image_captcha(client).await?;
    Ok(Json(CaptchaView { id, image }))
}

/// Registers a level-1 account (đăng ký tài khoản định danh điện tử mức
/// độ 1). When the number, phone, name, date of birth and card issue date
/// are those of the population record and of a card on record, a 6-digit
/// code goes by SMS to the phone on record; whatever matched, the answer
/// is the same 202 with a challenge (nothing tells whether the number
/// exists or has an account). Confirm with `POST /api/v1/accounts/verify`.
#[utoipa::path(post, path = "/api/v1/accounts", tag = ACCOUNT, request_body = RegisterBody,
    responses(
        (status = 202, description = "A code was sent, or seemed to be: the challenge", body = ChallengeView),
        (status = 400, description = "A body that is not JSON (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape or with an unknown member (`request.bad_json`); fields the form refuses, every one in `errors` (`id.*`, `phone.*`, `account.required`, `date.*`, `account.date_incomplete`, `password.*`); the captcha not solved (`captcha.*`); the SMS provider refused the number (`sms.rejected`)", body = ProblemBody, content_type = PROBLEM),
        (status = 429, description = "Too many account requests from this client (`limit.account_forms`), or too many messages to this number (`otp.cooldown`, `otp.quota`); `Retry-After` says when to try again", body = ProblemBody, content_type = PROBLEM,
            headers(("Retry-After" = u32, description = "Seconds to wait"))),
        (status = 503, description = "The code could not be sent now (`sms.unavailable`), or the service is unavailable", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn register(
    State(app): State<App>,
    Caller(client): Caller,
    Json(b): Json<RegisterBody>,
) -> Result<(StatusCode, Json<ChallengeView>), ApiError> {
    let ticket = app
        .service()
        .register_account(
            &RegisterRequest {
                personal_id: &b.personal_id,
                phone: &b.phone,
                full_name: &b.full_name,
                date_of_birth: &b.date_of_birth,
                card_issue_date: &b.card_issue_date,
                password: &b.password,
                captcha_id: &b.captcha_id,
                captcha_answer: &b.captcha_answer,
            },
            client,
        )
        .await?;
    Ok((StatusCode::ACCEPTED, Json(ticket.into())))
}

/// Confirms a registration with its code (xác thực OTP): the account is
/// made, at level 1 (or an account made with the card gets its password).
#[utoipa::path(post, path = "/api/v1/accounts/verify", tag = ACCOUNT, request_body = CodeBody,
    responses(
        (status = 201, description = "The account", body = LevelView),
        (status = 400, description = "A body that is not JSON (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "The code is wrong (`otp.wrong`), expired (`otp.expired`), dead after 5 wrong entries (`otp.exhausted`) or used (`otp.used`), or the challenge is unknown (`account.challenge`)", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape (`request.bad_json`); a code that is not 6 digits (`otp.format`)", body = ProblemBody, content_type = PROBLEM),
        (status = 429, description = "Too many wrong codes (`limit.account_codes`, `account.codes_locked`); `Retry-After` says when to try again", body = ProblemBody, content_type = PROBLEM,
            headers(("Retry-After" = u32, description = "Seconds to wait")))
    ))]
pub async fn verify(
    State(app): State<App>,
    Caller(client): Caller,
    Json(b): Json<CodeBody>,
) -> Result<(StatusCode, Json<LevelView>), ApiError> {
    let account = app
        .service()
        .verify_registration(&b.challenge_id, &b.otp, client)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(LevelView {
            level: account.level.as_u8(),
        }),
    ))
}

/// Logs in (đăng nhập), step 1: number, password and captcha. When they
/// open an unlocked account a 6-digit code goes by SMS to the phone on
/// record; any failure — unknown number, no account, wrong password, a
/// locked account, a temporary lockout — is the same 401, and a locked
/// account is never sent a code.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = ACCOUNT, request_body = LoginBody,
    responses(
        (status = 202, description = "A code was sent: the challenge", body = ChallengeView),
        (status = 400, description = "A body that is not JSON (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "The number and password open no account (`account.credentials`)", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape (`request.bad_json`); a malformed number or no password, in `errors` (`id.*`, `account.required`); the captcha not solved (`captcha.*`); no usable phone on record (`sms.rejected`)", body = ProblemBody, content_type = PROBLEM),
        (status = 429, description = "Too many wrong passwords (`limit.account_logins`), too many wrong codes lately (`account.codes_locked`), too many messages to the number (`otp.quota`); `Retry-After` says when to try again", body = ProblemBody, content_type = PROBLEM,
            headers(("Retry-After" = u32, description = "Seconds to wait"))),
        (status = 503, description = "The code could not be sent now (`sms.unavailable`), or the service is unavailable", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn login(
    State(app): State<App>,
    Caller(client): Caller,
    Json(b): Json<LoginBody>,
) -> Result<(StatusCode, Json<ChallengeView>), ApiError> {
    let ticket = app
        .service()
        .account_login(
            &LoginRequest {
                personal_id: &b.personal_id,
                password: &b.password,
                captcha_id: &b.captcha_id,
                captcha_answer: &b.captcha_answer,
            },
            client,
        )
        .await?;
    Ok((StatusCode::ACCEPTED, Json(ticket.into())))
}

/// Logs in, step 2: the code. A bearer token for the account's routes,
/// idle timeout 15 minutes, absolute lifetime 12 hours.
#[utoipa::path(post, path = "/api/v1/auth/otp", tag = ACCOUNT, request_body = CodeBody,
    responses(
        (status = 200, description = "The token, shown once", body = TokenView),
        (status = 400, description = "A body that is not JSON (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "The code is wrong, expired, dead or used (`otp.*`), the challenge is unknown (`account.challenge`), or the account was locked meanwhile (`account.credentials`)", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape (`request.bad_json`); a code that is not 6 digits (`otp.format`)", body = ProblemBody, content_type = PROBLEM),
        (status = 429, description = "Too many wrong codes (`limit.account_codes`, `account.codes_locked`); `Retry-After` says when to try again", body = ProblemBody, content_type = PROBLEM,
            headers(("Retry-After" = u32, description = "Seconds to wait")))
    ))]
pub async fn login_code(
    State(app): State<App>,
    Caller(client): Caller,
    headers: axum::http::HeaderMap,
    Json(b): Json<CodeBody>,
) -> Result<Json<TokenView>, ApiError> {
    let login = app
        .service()
        .account_login_code(
            &b.challenge_id,
            &b.otp,
            SessionKind::Api,
            None,
            &agent(&headers),
            client,
        )
        .await?;
    Ok(Json(TokenView {
        token: login.token,
        expires_at: rfc3339(login.expires_at),
    }))
}

/// A new code for an open challenge (gửi lại mã): after 60 seconds, at
/// most 5 messages to a number an hour; the old code stops working.
#[utoipa::path(post, path = "/api/v1/auth/resend", tag = ACCOUNT, request_body = ResendBody,
    responses(
        (status = 202, description = "A new code was sent: the challenge", body = ChallengeView),
        (status = 400, description = "A body that is not JSON (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "The challenge is unknown, used or over (`account.challenge`)", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape (`request.bad_json`); the SMS provider refused the number (`sms.rejected`)", body = ProblemBody, content_type = PROBLEM),
        (status = 429, description = "Too soon (`otp.cooldown`) or too many messages to the number this hour (`otp.quota`); `Retry-After` says when to try again", body = ProblemBody, content_type = PROBLEM,
            headers(("Retry-After" = u32, description = "Seconds to wait"))),
        (status = 503, description = "The code could not be sent now (`sms.unavailable`), or the service is unavailable", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn resend(
    State(app): State<App>,
    Caller(client): Caller,
    Json(b): Json<ResendBody>,
) -> Result<(StatusCode, Json<ChallengeView>), ApiError> {
    let ticket = app.service().resend_code(&b.challenge_id, client).await?;
    Ok((StatusCode::ACCEPTED, Json(ticket.into())))
}

/// Logs out (đăng xuất): the token ends.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = ACCOUNT,
    security(("account" = [])),
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, description = "No live account token (`auth.*`, `account.session`)", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn logout(
    State(app): State<App>,
    Caller(client): Caller,
    owner: Owner,
) -> Result<StatusCode, ApiError> {
    app.service().account_logout(&owner.token, client).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The owner's identification data (thông tin định danh): number, name,
/// date of birth, sex, the account's level, every field of the record
/// marked verified (green) or self-declared (yellow) with its source, and
/// the children under 14 linked to the owner, each with their number.
#[utoipa::path(get, path = "/api/v1/me", tag = ACCOUNT,
    security(("account" = [])),
    responses(
        (status = 200, description = "The identification data", body = MeView),
        (status = 401, description = "No live account token (`auth.*`, `account.session`)", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn me(State(app): State<App>, owner: Owner) -> Result<Json<MeView>, ApiError> {
    let view = app.service().account_identity(&owner.session).await?;
    Ok(Json((&view).into()))
}

/// The owner's document wallet (ví giấy tờ): the active card with its
/// expiry and standing from the rules and its QR payload.
#[utoipa::path(get, path = "/api/v1/me/wallet", tag = ACCOUNT,
    security(("account" = [])),
    responses(
        (status = 200, description = "The wallet", body = WalletView),
        (status = 401, description = "No live account token (`auth.*`, `account.session`)", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn wallet(State(app): State<App>, owner: Owner) -> Result<Json<WalletView>, ApiError> {
    let w = app.service().account_wallet(&owner.session).await?;
    Ok(Json(WalletView {
        cards: w.cards.iter().map(WalletCardView::from).collect(),
    }))
}

/// The account's events, newest first (lịch sử): registration, level
/// changes, logins and failed ones, codes sent and failed, resets, locks,
/// sessions ended.
#[utoipa::path(get, path = "/api/v1/me/history", tag = ACCOUNT,
    security(("account" = [])),
    responses(
        (status = 200, description = "The latest 100 events", body = HistoryView),
        (status = 401, description = "No live account token (`auth.*`, `account.session`)", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn history(State(app): State<App>, owner: Owner) -> Result<Json<HistoryView>, ApiError> {
    let events = app
        .service()
        .account_history(&owner.session, HISTORY_LIMIT)
        .await?;
    Ok(Json(HistoryView {
        events: events.iter().map(HistoryEventView::from).collect(),
    }))
}

/// The account's live sessions and tokens (phiên đăng nhập), this one
/// marked `current`.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = ACCOUNT,
    security(("account" = [])),
    responses(
        (status = 200, description = "The live sessions", body = SessionsView),
        (status = 401, description = "No live account token (`auth.*`, `account.session`)", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn sessions(
    State(app): State<App>,
    owner: Owner,
) -> Result<Json<SessionsView>, ApiError> {
    let list = app.service().account_sessions(&owner.session).await?;
    Ok(Json(SessionsView {
        sessions: list
            .iter()
            .map(|s| SessionView::of(s, &owner.session.handle))
            .collect(),
    }))
}

/// Ends every session and token of the account, this one included.
#[utoipa::path(delete, path = "/api/v1/me/sessions", tag = ACCOUNT,
    security(("account" = [])),
    responses(
        (status = 204, description = "Every session ended"),
        (status = 401, description = "No live account token (`auth.*`, `account.session`)", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn revoke_all(
    State(app): State<App>,
    Caller(client): Caller,
    owner: Owner,
) -> Result<StatusCode, ApiError> {
    app.service()
        .revoke_account_sessions(&owner.session, None, client)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends one session or token of the account by its handle (from
/// `GET /api/v1/me/sessions`); a handle that names none of the owner's
/// live sessions ends nothing, and the answer is the same.
#[utoipa::path(delete, path = "/api/v1/me/sessions/{handle}", tag = ACCOUNT,
    params(("handle" = String, Path, description = "The session's handle", max_length = 128)),
    security(("account" = [])),
    responses(
        (status = 204, description = "That session ended"),
        (status = 400, description = "Malformed path (`request.bad_path`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No live account token (`auth.*`, `account.session`)", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn revoke_one(
    State(app): State<App>,
    Caller(client): Caller,
    owner: Owner,
    Path(handle): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.service()
        .revoke_account_sessions(&owner.session, Some(&handle), client)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Changes the password (đổi mật khẩu): the current one, then the new one
/// under the policy. Every session and token ends, this one too.
#[utoipa::path(post, path = "/api/v1/me/password", tag = ACCOUNT, request_body = PasswordBody,
    security(("account" = [])),
    responses(
        (status = 204, description = "Changed; log in again"),
        (status = 400, description = "A body that is not JSON (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No live account token (`auth.*`, `account.session`), or the current password is wrong (`account.credentials`)", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape (`request.bad_json`); the new password breaks the policy, every rule in `errors` (`password.*`)", body = ProblemBody, content_type = PROBLEM),
        (status = 429, description = "Too many wrong passwords (`limit.account_logins`); `Retry-After` says when to try again", body = ProblemBody, content_type = PROBLEM,
            headers(("Retry-After" = u32, description = "Seconds to wait")))
    ))]
pub async fn change_password(
    State(app): State<App>,
    Caller(client): Caller,
    owner: Owner,
    Json(b): Json<PasswordBody>,
) -> Result<StatusCode, ApiError> {
    app.service()
        .change_account_password(&owner.session, &b.current_password, &b.new_password, client)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Forgotten password (quên mật khẩu), step 1: number and phone. Always a
/// challenge for step 2, whatever matched.
#[utoipa::path(post, path = "/api/v1/auth/forgot", tag = ACCOUNT, request_body = ForgotBody,
    responses(
        (status = 202, description = "The challenge for step 2", body = ForgotStarted),
        (status = 400, description = "A body that is not JSON (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape (`request.bad_json`); a malformed number or phone, in `errors` (`id.*`, `phone.*`)", body = ProblemBody, content_type = PROBLEM),
        (status = 429, description = "Too many account requests from this client (`limit.account_forms`); `Retry-After` says when to try again", body = ProblemBody, content_type = PROBLEM,
            headers(("Retry-After" = u32, description = "Seconds to wait")))
    ))]
pub async fn forgot(
    State(app): State<App>,
    Caller(client): Caller,
    Json(b): Json<ForgotBody>,
) -> Result<(StatusCode, Json<ForgotStarted>), ApiError> {
    let ticket = app
        .service()
        .forgot_start(&b.personal_id, &b.phone, client)
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(ForgotStarted {
            challenge_id: ticket.id,
        }),
    ))
}

/// Forgotten password, step 2: name, date of birth and card issue date.
/// When they are the record's (and the account is not locked) a code goes
/// to the phone on record; otherwise nothing is sent, and the answer is
/// the same.
#[utoipa::path(post, path = "/api/v1/auth/forgot/verify", tag = ACCOUNT, request_body = ForgotVerifyBody,
    responses(
        (status = 202, description = "A code was sent, or seemed to be: the challenge for step 3", body = ForgotVerified),
        (status = 400, description = "A body that is not JSON (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "The challenge is unknown, used, over or past this step (`account.challenge`)", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape (`request.bad_json`); a field missing or malformed, in `errors` (`account.required`, `date.*`, `account.date_incomplete`); the SMS provider refused the number (`sms.rejected`)", body = ProblemBody, content_type = PROBLEM),
        (status = 429, description = "Too many account requests (`limit.account_forms`) or messages to the number (`otp.quota`); `Retry-After` says when to try again", body = ProblemBody, content_type = PROBLEM,
            headers(("Retry-After" = u32, description = "Seconds to wait"))),
        (status = 503, description = "The code could not be sent now (`sms.unavailable`), or the service is unavailable", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn forgot_verify(
    State(app): State<App>,
    Caller(client): Caller,
    Json(b): Json<ForgotVerifyBody>,
) -> Result<(StatusCode, Json<ForgotVerified>), ApiError> {
    let ticket = app
        .service()
        .forgot_verify(
            &b.challenge_id,
            &IdentityProof {
                full_name: Some(&b.full_name),
                date_of_birth: &b.date_of_birth,
                card_issue_date: &b.card_issue_date,
            },
            client,
        )
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(ForgotVerified {
            challenge_id: ticket.id,
            expires_in: ticket.expires_in,
            resend_in: ticket.resend_in,
        }),
    ))
}

/// Forgotten password, step 3: the code and the new password. Every
/// session and token of the account ends; the owner is told by SMS.
#[utoipa::path(post, path = "/api/v1/auth/forgot/reset", tag = ACCOUNT, request_body = ResetBody,
    responses(
        (status = 200, description = "The password is set; log in with it", body = DoneView),
        (status = 400, description = "A body that is not JSON (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "The code is wrong, expired, dead or used (`otp.*`), or the challenge is unknown or used (`account.challenge`)", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape (`request.bad_json`); a code that is not 6 digits (`otp.format`); the new password breaks the policy, every rule in `errors` (`password.*`)", body = ProblemBody, content_type = PROBLEM),
        (status = 429, description = "Too many wrong codes (`limit.account_codes`, `account.codes_locked`); `Retry-After` says when to try again", body = ProblemBody, content_type = PROBLEM,
            headers(("Retry-After" = u32, description = "Seconds to wait")))
    ))]
pub async fn forgot_reset(
    State(app): State<App>,
    Caller(client): Caller,
    Json(b): Json<ResetBody>,
) -> Result<Json<DoneView>, ApiError> {
    app.service()
        .forgot_reset(&b.challenge_id, &b.otp, &b.new_password, client)
        .await?;
    Ok(Json(DoneView::new(
        "Đã đặt mật khẩu mới; mọi phiên đăng nhập đã kết thúc. Hãy đăng nhập bằng mật khẩu mới.",
        "The new password is set and every session has ended. Log in with the new password.",
    )))
}

/// Locks an account at once (khóa tài khoản), as its owner does when the
/// phone is lost: number, phone, date of birth and card issue date, no
/// code. Every session and token ends; the owner is told by SMS. The
/// answer is the same whether anything matched.
#[utoipa::path(post, path = "/api/v1/accounts/lock", tag = ACCOUNT, request_body = LockBody,
    responses(
        (status = 202, description = "Taken (the same words whatever matched)", body = DoneView),
        (status = 400, description = "A body that is not JSON (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape (`request.bad_json`); a field malformed, in `errors` (`id.*`, `phone.*`, `date.*`, `account.date_incomplete`)", body = ProblemBody, content_type = PROBLEM),
        (status = 429, description = "Too many account requests from this client (`limit.account_forms`); `Retry-After` says when to try again", body = ProblemBody, content_type = PROBLEM,
            headers(("Retry-After" = u32, description = "Seconds to wait")))
    ))]
pub async fn lock(
    State(app): State<App>,
    Caller(client): Caller,
    Json(b): Json<LockBody>,
) -> Result<(StatusCode, Json<DoneView>), ApiError> {
    app.service()
        .lock_own_account(
            &b.personal_id,
            &b.phone,
            &IdentityProof {
                full_name: None,
                date_of_birth: &b.date_of_birth,
                card_issue_date: &b.card_issue_date,
            },
            client,
        )
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(DoneView::new(
            "Nếu thông tin khớp với một tài khoản, tài khoản đó đã bị khóa và mọi phiên đăng nhập đã kết thúc.",
            "If the details match an account, it is locked now and every session has ended.",
        )),
    ))
}

/// Unlocks by the owner (mở khóa), step 1: number, password and captcha
/// of an account its owner locked → a code to the phone on record. An
/// officer's lock is lifted by an officer.
#[utoipa::path(post, path = "/api/v1/accounts/unlock", tag = ACCOUNT, request_body = LoginBody,
    responses(
        (status = 202, description = "A code was sent: the challenge", body = ChallengeView),
        (status = 400, description = "A body that is not JSON (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "The number and password open no locked account (`account.credentials`)", body = ProblemBody, content_type = PROBLEM),
        (status = 409, description = "The account was locked by the police (`account.locked_by_officer`)", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape (`request.bad_json`); a malformed number (`id.*`); the captcha not solved (`captcha.*`); no usable phone on record (`sms.rejected`)", body = ProblemBody, content_type = PROBLEM),
        (status = 429, description = "Too many wrong passwords (`limit.account_logins`), wrong codes (`account.codes_locked`) or messages (`otp.quota`); `Retry-After` says when to try again", body = ProblemBody, content_type = PROBLEM,
            headers(("Retry-After" = u32, description = "Seconds to wait"))),
        (status = 503, description = "The code could not be sent now (`sms.unavailable`), or the service is unavailable", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn unlock(
    State(app): State<App>,
    Caller(client): Caller,
    Json(b): Json<LoginBody>,
) -> Result<(StatusCode, Json<ChallengeView>), ApiError> {
    let ticket = app
        .service()
        .unlock_start(
            &LoginRequest {
                personal_id: &b.personal_id,
                password: &b.password,
                captcha_id: &b.captcha_id,
                captcha_answer: &b.captcha_answer,
            },
            client,
        )
        .await?;
    Ok((StatusCode::ACCEPTED, Json(ticket.into())))
}

/// Unlocks by the owner, step 2: the code. The owner is told by SMS; log
/// in as usual afterwards.
#[utoipa::path(post, path = "/api/v1/accounts/unlock/verify", tag = ACCOUNT, request_body = CodeBody,
    responses(
        (status = 200, description = "Unlocked", body = DoneView),
        (status = 400, description = "A body that is not JSON (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "The code is wrong, expired, dead or used (`otp.*`), or the challenge is unknown (`account.challenge`)", body = ProblemBody, content_type = PROBLEM),
        (status = 409, description = "The account is not locked any more (`account.not_locked`)", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape (`request.bad_json`); a code that is not 6 digits (`otp.format`)", body = ProblemBody, content_type = PROBLEM),
        (status = 429, description = "Too many wrong codes (`limit.account_codes`, `account.codes_locked`); `Retry-After` says when to try again", body = ProblemBody, content_type = PROBLEM,
            headers(("Retry-After" = u32, description = "Seconds to wait")))
    ))]
pub async fn unlock_verify(
    State(app): State<App>,
    Caller(client): Caller,
    Json(b): Json<CodeBody>,
) -> Result<Json<DoneView>, ApiError> {
    app.service()
        .unlock_finish(&b.challenge_id, &b.otp, client)
        .await?;
    Ok(Json(DoneView::new(
        "Tài khoản đã được mở khóa; hãy đăng nhập lại.",
        "The account is unlocked; log in again.",
    )))
}

/// The citizen an officer names by personal ID, read within the officer's
/// scope (audited as an API read).
async fn citizen_of(app: &App, officer: &Officer, id: &str) -> Result<Citizen, ApiError> {
    let pid = PersonalId::parse(id)?;
    Ok(app
        .service()
        .citizen_for(officer, &CitizenKey::PersonalId(pid), ReadPurpose::ApiRead)
        .await?)
}

/// A citizen's identity account and its latest events, for a
/// receptionist of an office that receives the public or an
/// administrator (the read is itself an event of the account).
#[utoipa::path(get, path = "/api/v1/citizens/{personal_id}/account", tag = OFFICER,
    params(("personal_id" = PersonalIdText, Path, description = "Số định danh cá nhân, 12 digits")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account (null when none) and its events", body = OfficerAccountBody),
        (status = 400, description = "Malformed personal ID or path (`id.*`, `request.bad_path`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No valid officer token", body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "The role may not manage accounts, or the citizen is outside the officer's read scope (`service.role_not_allowed`, `service.citizen_out_of_scope`)", body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "No such citizen", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn officer_view(
    State(app): State<App>,
    Auth(officer): Auth,
    Caller(client): Caller,
    Path(id): Path<String>,
) -> Result<Json<OfficerAccountBody>, ApiError> {
    let c = citizen_of(&app, &officer, &id).await?;
    let view = app
        .service()
        .officer_account_view(&officer, c.id, client)
        .await?;
    Ok(Json(OfficerAccountBody {
        account: view.account.as_ref().map(AccountView::from),
        events: view.events.iter().map(OfficerEventView::from).collect(),
    }))
}

/// Changes a citizen's level: 2 after checking them in person by portrait
/// or fingerprints (a citizen without an account gets one without a
/// password, which they then register), or back to 1 with a reason. The
/// owner is told by SMS.
#[utoipa::path(post, path = "/api/v1/citizens/{personal_id}/account/level", tag = OFFICER,
    params(("personal_id" = PersonalIdText, Path, description = "Số định danh cá nhân, 12 digits")),
    request_body = LevelBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = AccountView),
        (status = 400, description = "Malformed personal ID, path or body (`id.*`, `request.bad_path`, `request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No valid officer token", body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "The role may not manage accounts, or the citizen is outside the officer's read scope", body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "No such citizen, or (level 1) no account", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape (`request.bad_json`); a level other than 1 or 2, level 2 without `method`, level 1 without `reason` (`account.level`, `service.invalid_field`)", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn officer_level(
    State(app): State<App>,
    Auth(officer): Auth,
    Caller(client): Caller,
    Path(id): Path<String>,
    Json(b): Json<LevelBody>,
) -> Result<Json<AccountView>, ApiError> {
    let refused = |vi: &str, en: &str| ApiError::Refused {
        field: "level".into(),
        body: ErrorBody {
            code: "account.level",
            message_vi: vi.into(),
            message_en: en.into(),
        },
    };
    let c = citizen_of(&app, &officer, &id).await?;
    let account = match (b.level, b.method, b.reason.as_deref()) {
        (2, Some(method), None) => {
            app.service()
                .grant_level_two(&officer, c.id, method.into(), client)
                .await?
        }
        (1, None, reason) => {
            app.service()
                .lower_account_level(&officer, c.id, reason.unwrap_or_default(), client)
                .await?
        }
        (2, _, _) => {
            return Err(refused(
                "mức 2 cần phương thức xác thực trực tiếp (method: portrait hoặc fingerprints) và không kèm lý do",
                "level 2 needs the in-person method (method: portrait or fingerprints) and no reason",
            ));
        }
        (1, _, _) => {
            return Err(refused(
                "hạ về mức 1 cần lý do (reason) và không kèm phương thức",
                "lowering to level 1 needs a reason and no method",
            ));
        }
        _ => {
            return Err(refused(
                "mức tài khoản là 1 hoặc 2",
                "the account level is 1 or 2",
            ));
        }
    };
    Ok(Json((&account).into()))
}

/// Locks a citizen's account (an officer's lock: only an officer lifts
/// it), with a reason; every session and token ends at once and the owner
/// is told by SMS.
#[utoipa::path(post, path = "/api/v1/citizens/{personal_id}/account/lock", tag = OFFICER,
    params(("personal_id" = PersonalIdText, Path, description = "Số định danh cá nhân, 12 digits")),
    request_body = ReasonBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Locked (`changed`: false when it already was)", body = ChangedView),
        (status = 400, description = "Malformed personal ID, path or body (`id.*`, `request.bad_path`, `request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No valid officer token", body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "The role may not manage accounts, or the citizen is outside the officer's read scope", body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "No such citizen or account", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape (`request.bad_json`); no reason (`service.invalid_field`)", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn officer_lock(
    State(app): State<App>,
    Auth(officer): Auth,
    Caller(client): Caller,
    Path(id): Path<String>,
    Json(b): Json<ReasonBody>,
) -> Result<Json<ChangedView>, ApiError> {
    let c = citizen_of(&app, &officer, &id).await?;
    let changed = app
        .service()
        .officer_lock_account(&officer, c.id, &b.reason, client)
        .await?;
    Ok(Json(ChangedView { changed }))
}

/// Unlocks a citizen's account after an identity check at the desk, with
/// a reason; both failure counters start afresh and the owner is told by
/// SMS.
#[utoipa::path(post, path = "/api/v1/citizens/{personal_id}/account/unlock", tag = OFFICER,
    params(("personal_id" = PersonalIdText, Path, description = "Số định danh cá nhân, 12 digits")),
    request_body = ReasonBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Unlocked (`changed`: false when it was not locked)", body = ChangedView),
        (status = 400, description = "Malformed personal ID, path or body (`id.*`, `request.bad_path`, `request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No valid officer token", body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "The role may not manage accounts, or the citizen is outside the officer's read scope", body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "No such citizen or account", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape (`request.bad_json`); no reason (`service.invalid_field`)", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn officer_unlock(
    State(app): State<App>,
    Auth(officer): Auth,
    Caller(client): Caller,
    Path(id): Path<String>,
    Json(b): Json<ReasonBody>,
) -> Result<Json<ChangedView>, ApiError> {
    let c = citizen_of(&app, &officer, &id).await?;
    let changed = app
        .service()
        .officer_unlock_account(&officer, c.id, &b.reason, client)
        .await?;
    Ok(Json(ChangedView { changed }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_agent_is_the_user_agent_header_or_nothing() {
        let mut h = axum::http::HeaderMap::new();
        assert_eq!(agent(&h), "");
        h.insert(
            header::USER_AGENT,
            "cancuoc-app/1.0".parse().expect("value"),
        );
        assert_eq!(agent(&h), "cancuoc-app/1.0");
    }
}
