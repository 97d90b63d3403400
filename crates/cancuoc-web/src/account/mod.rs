//! The citizens' electronic identity account pages (tài khoản định danh
//! điện tử, `/tai-khoan`): register a level-1 account, log in with the
//! password then a 6-digit SMS code, the identification data with each
//! field marked verified or self-declared, the document wallet, the
//! account's history and sessions, changing and resetting the password,
//! and locking and unlocking the account. Every page calls one use case
//! of `cancuoc_service::eid` and renders its answer; what an answer may
//! reveal (nothing about whether a number exists or has an account) is the
//! service's rule, and the pages keep it: a refused login, a failed step
//! of a forgotten password and a lock all read the same whatever failed.
//!
//! | Path | What |
//! |---|---|
//! | `GET/POST /tai-khoan/dang-ky` | [`public`]: register (ID, phone, name, dates, password twice, captcha) → the code page |
//! | `GET/POST /tai-khoan/dang-nhap` | [`public`]: log in (ID, password, captcha) → the code page |
//! | `GET/POST /tai-khoan/xac-thuc`, `POST /tai-khoan/gui-lai-ma` | [`code`]: the code page of every flow (challenge in a hidden field), and a new code after the cooldown |
//! | `GET/POST /tai-khoan/quen-mat-khau` | [`public`]: forgotten password, three steps (ID + phone → name and dates → code + new password) |
//! | `GET/POST /tai-khoan/khoa`, `GET/POST /tai-khoan/mo-khoa` | [`public`]: lock (no code) and unlock (password, captcha → code) |
//! | `GET /tai-khoan` | [`pages`]: thông tin định danh |
//! | `GET /tai-khoan/vi`, `/lich-su`, `/phien` | [`pages`]: the wallet, the history, the sessions |
//! | `POST /tai-khoan/phien/ket-thuc`, `GET/POST /tai-khoan/doi-mat-khau`, `POST /tai-khoan/dang-xuat` | [`pages`]: end sessions, change the password, log out |
//!
//! The session cookie ([`session`]) is `HttpOnly; SameSite=Lax;
//! Path=/tai-khoan`, a new id at every login (the old one is closed), and
//! `Secure` when the site is served over TLS (`WebConfig::behind_tls`: the
//! pages' security layer adds it to every cookie, as for the console's).
//! Every POST of a logged-in page carries the session's CSRF token,
//! compared in constant time; a mismatch is a 403 page. The public forms
//! carry a captcha instead (they have no session to ride).

mod code;
mod form;
mod pages;
mod public;
pub(crate) mod session;

pub(crate) use pages::{event_details, event_label};

use axum::Router;
use axum::routing::{get, post};

use crate::Web;

/// The account pages.
pub(crate) fn router() -> Router<Web> {
    Router::new()
        .route(
            "/tai-khoan/dang-ky",
            get(public::register_form).post(public::register),
        )
        .route(
            "/tai-khoan/dang-nhap",
            get(public::login_form).post(public::login),
        )
        .route(
            "/tai-khoan/xac-thuc",
            get(code::code_lost).post(code::verify),
        )
        .route("/tai-khoan/gui-lai-ma", post(code::resend))
        .route(
            "/tai-khoan/quen-mat-khau",
            get(public::forgot_form).post(public::forgot),
        )
        .route("/tai-khoan/khoa", get(public::lock_form).post(public::lock))
        .route(
            "/tai-khoan/mo-khoa",
            get(public::unlock_form).post(public::unlock),
        )
        .route("/tai-khoan", get(pages::identity))
        .route("/tai-khoan/vi", get(pages::wallet))
        .route("/tai-khoan/lich-su", get(pages::history))
        .route("/tai-khoan/phien", get(pages::sessions))
        .route("/tai-khoan/phien/ket-thuc", post(pages::end_sessions))
        .route(
            "/tai-khoan/doi-mat-khau",
            get(pages::password_form).post(pages::change_password),
        )
        .route("/tai-khoan/dang-xuat", post(pages::logout))
}
