//! Logging in and out of the console (đăng nhập, đăng xuất) and the console
//! home page (trang chính).
//!
//! A failed login answers one generic message whatever failed (unknown
//! login, wrong password, deactivated officer). Attempts are counted per
//! login name and client address, per address, and per name (a soft lock
//! that still lets the right password in from a clean address) before the
//! password is checked (`cancuoc_service::guard::LoginGuard`); a refused
//! one is a 429 with `Retry-After` and the minutes to wait, whether the
//! name exists or not. Logs name the officer by id on success and nothing
//! on failure: no login name, password or session id is logged.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use cancuoc_service::LoginOutcome;
use cancuoc_service::model::Office;
use serde::Deserialize;

use super::session::{
    CONSOLE_PATH, LOGIN_PATH, SESSION_COOKIE, Session, clear_cookie, cookie, cross_site, safe_next,
    session_cookie,
};
use crate::Web;
use crate::client::Caller;
use crate::error::PageError;
use crate::ui::Ui;

/// `GET/POST /can-bo/dang-nhap`.
#[derive(Template, WebTemplate)]
#[template(path = "console/login.html")]
pub(crate) struct LoginPage {
    ui: Ui,
    /// Where to go after logging in.
    next: String,
    /// The login name as typed (re-shown after a failure).
    login: String,
    /// What went wrong, if anything.
    problem: Option<LoginProblem>,
    /// The previous session ended (idle timeout, lifetime, deactivation).
    expired: bool,
    /// The officer just logged out.
    logged_out: bool,
}

/// Why a login page is shown again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LoginProblem {
    /// Wrong login name or password (one message for every cause).
    Failed,
    /// Too many failures: locked for this many minutes.
    Locked(i64),
    /// Login name or password left empty.
    Missing,
}

#[derive(Deserialize)]
struct LoginQuery {
    next: Option<String>,
    het_han: Option<String>,
    da_thoat: Option<String>,
}

fn next_or_home(next: Option<&str>) -> String {
    next.filter(|n| safe_next(n))
        .unwrap_or(CONSOLE_PATH)
        .to_owned()
}

async fn login_page(ui: Ui, Query(q): Query<LoginQuery>) -> LoginPage {
    LoginPage {
        ui,
        next: next_or_home(q.next.as_deref()),
        login: String::new(),
        problem: None,
        expired: q.het_han.is_some(),
        logged_out: q.da_thoat.is_some(),
    }
}

/// The login form's fields.
#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

async fn login(
    State(app): State<Web>,
    ui: Ui,
    headers: HeaderMap,
    parts: RequestHead,
    Caller(client): Caller,
    Form(f): Form<LoginForm>,
) -> Response {
    if !parts.same_origin {
        return cross_site(&ui).into_response();
    }
    let login = f.login.trim().to_ascii_lowercase();
    let again = |problem: LoginProblem, status: StatusCode| {
        let page = LoginPage {
            ui: ui.clone(),
            next: next_or_home(Some(&f.next)),
            login: f.login.trim().to_owned(),
            problem: Some(problem),
            expired: false,
            logged_out: false,
        };
        (status, page).into_response()
    };
    if login.is_empty() || f.password.is_empty() {
        return again(LoginProblem::Missing, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let previous = cookie(&headers, SESSION_COOKIE);
    let opened = match app
        .service()
        .console_login(&login, &f.password, previous, client)
        .await
    {
        Ok(LoginOutcome::Opened { session, .. }) => session,
        Ok(LoginOutcome::Failed) => return again(LoginProblem::Failed, StatusCode::UNAUTHORIZED),
        Ok(LoginOutcome::Locked { seconds }) => {
            let mut res = again(
                LoginProblem::Locked((seconds + 59) / 60),
                StatusCode::TOO_MANY_REQUESTS,
            );
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
            return res;
        }
        Err(e) => return PageError::service(&ui, e).into_response(),
    };
    let mut res = (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, next_or_home(Some(&f.next)))],
    )
        .into_response();
    if let Some(c) = session_cookie(&opened.id) {
        res.headers_mut().insert(header::SET_COOKIE, c);
    }
    res
}

/// Whether a request came from this site (see [`super::session::same_origin`]).
struct RequestHead {
    same_origin: bool,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for RequestHead {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self {
            same_origin: super::session::same_origin(parts),
        })
    }
}

/// A form that carries only the CSRF token.
#[derive(Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

async fn logout(
    State(app): State<Web>,
    session: Session,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    app.service()
        .console_logout(&session.id)
        .await
        .map_err(|e| PageError::service(&session.ui, e))?;
    tracing::info!(officer = session.officer.id.0, "console logout");
    let mut res = (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, format!("{LOGIN_PATH}?da_thoat=1"))],
    )
        .into_response();
    res.headers_mut().insert(header::SET_COOKIE, clear_cookie());
    Ok(res)
}

/// `GET /can-bo`.
#[derive(Template, WebTemplate)]
#[template(path = "console/home.html")]
pub(crate) struct ConsoleHome {
    ui: Ui,
    session: Session,
    office: Option<Office>,
    /// The "open a dossier" box as typed, after a typo.
    ma: String,
    /// Why the typed code is not a dossier code (Vietnamese, English).
    ma_error: Option<(String, String)>,
}

/// The console home; with `typed` and its problem after a typo in the
/// "open a dossier" box (`GET /can-bo/ho-so?ma=`), shown beside the box.
pub(crate) async fn home_page(
    app: &Web,
    session: Session,
    typed: Option<(String, (String, String))>,
) -> ConsoleHome {
    let office = app.service().office(session.officer.office).await.ok();
    let (ma, ma_error) = match typed {
        Some((ma, e)) => (ma, Some(e)),
        None => (String::new(), None),
    };
    ConsoleHome {
        ui: session.ui.clone(),
        session,
        office,
        ma,
        ma_error,
    }
}

async fn home(State(app): State<Web>, session: Session) -> ConsoleHome {
    home_page(&app, session, None).await
}

/// The login, logout and home routes.
pub(crate) fn router() -> Router<Web> {
    Router::new()
        .route(CONSOLE_PATH, get(home))
        .route(LOGIN_PATH, get(login_page).post(login))
        .route("/can-bo/dang-xuat", post(logout))
}
