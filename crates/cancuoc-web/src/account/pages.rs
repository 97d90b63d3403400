//! The account pages after login: the identification data (thông tin định
//! danh) with each field's mark and source, the level and how level 2 was
//! granted, the children under 14; the wallet (ví giấy tờ) with the card,
//! its standing from the rules and its QR code; the history; the sessions
//! (end one, end all); changing the password; logging out. Every page
//! takes an [`AccountSession`]; every form carries its CSRF token.
//!
//! The marks say it in colour and in words (green "Đã xác thực", yellow
//! "Tự khai"), each with a symbol, so neither colour nor text alone
//! carries the meaning.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use cancuoc_core::account::{AccountLevel, LevelMethod, OtpPurpose};
use cancuoc_render::barcode::qr_svg;
use cancuoc_service::eid::IdentityView;
use cancuoc_service::model::{AccountEvent, AccountSessionInfo, SessionKind};

use super::form::{Errs, Fields, Input, Refusal, refusal};
use super::session::{AccountSession, clear_cookie, to_login};
use crate::Web;
use crate::citizen::captcha::Kind;
use crate::client::Caller;
use crate::console::forms::{show_date, show_instant};
use crate::error::PageError;
use crate::ui::Ui;

/// Where a field's value comes from, in words (`npd` → the national
/// population database; an officer's `role:office`; the citizen).
fn source_label(ui: &Ui, app: &Web, source: &str) -> String {
    match source {
        "npd" => ui
            .t(
                "Cơ sở dữ liệu quốc gia về dân cư",
                "National population database",
            )
            .to_owned(),
        "citizen" | "self" | "declaration" => ui
            .t("Công dân tự khai", "Declared by the citizen")
            .to_owned(),
        "birth_certificate" => ui.t("Giấy khai sinh", "Birth certificate").to_owned(),
        other => match other.split_once(':') {
            Some((_, office)) if office.parse::<u16>().is_ok() => {
                let code = office.parse::<u16>().unwrap_or_default();
                format!(
                    "{} · {}",
                    ui.t("Cán bộ tiếp nhận", "Receiving officer"),
                    app.service().offices().name_of(code)
                )
            }
            _ => other.to_owned(),
        },
    }
}

/// One field of the identification data as shown.
pub(crate) struct FieldRow {
    pub name: &'static str,
    pub label: String,
    pub value: String,
    pub verified: bool,
    pub source: String,
}

/// A child under 14 as shown.
pub(crate) struct ChildRow {
    pub name: String,
    pub personal_id: String,
    pub dob: String,
    pub relation: String,
}

/// `GET /tai-khoan`: thông tin định danh.
#[derive(Template, WebTemplate)]
#[template(path = "account/identity.html")]
pub(crate) struct IdentityPage {
    ui: Ui,
    session: AccountSession,
    fields: Vec<FieldRow>,
    /// `Mức độ 1` / `Mức độ 2`.
    level: String,
    level_two: bool,
    /// How level 2 was granted: method, office and date, in words.
    grant: Option<String>,
    children: Vec<ChildRow>,
}

impl IdentityPage {
    fn of(app: &Web, session: AccountSession, v: IdentityView) -> Self {
        let ui = session.ui.clone();
        let grant = v.account.grant.map(|g| {
            let mut s = ui.t(g.method.label_vi(), g.method.label_en()).to_owned();
            if let Some(o) = g.office {
                s.push_str(&format!(
                    " · {} {}",
                    ui.t("tại", "at"),
                    app.service().offices().name_of(o)
                ));
            }
            s.push_str(&format!(" · {}", show_instant(g.at)));
            s
        });
        let relation = |r: &str| {
            match r {
                "father" => ui.t("Bạn là cha", "You are the father"),
                "mother" => ui.t("Bạn là mẹ", "You are the mother"),
                _ => ui.t("Bạn là người giám hộ", "You are the guardian"),
            }
            .to_owned()
        };
        Self {
            fields: v
                .fields
                .iter()
                .map(|f| FieldRow {
                    name: f.name,
                    label: ui.t(f.label_vi, f.label_en).to_owned(),
                    value: f.value.clone(),
                    verified: f.verified,
                    source: source_label(&ui, app, &f.source),
                })
                .collect(),
            level: ui
                .t(v.account.level.label_vi(), v.account.level.label_en())
                .to_owned(),
            level_two: v.account.level == AccountLevel::Two,
            grant,
            children: v
                .children
                .iter()
                .map(|c| ChildRow {
                    name: c.full_name.clone(),
                    personal_id: c.personal_id.clone().unwrap_or_default(),
                    dob: c.date_of_birth.clone(),
                    relation: relation(&c.relation),
                })
                .collect(),
            ui,
            session,
        }
    }
}

/// `GET /tai-khoan`.
pub(crate) async fn identity(
    State(app): State<Web>,
    session: AccountSession,
) -> Result<IdentityPage, PageError> {
    let v = app
        .service()
        .account_identity(&session.live)
        .await
        .map_err(|e| PageError::service(&session.ui, e))?;
    Ok(IdentityPage::of(&app, session, v))
}

/// A card as the wallet shows it.
pub(crate) struct CardView {
    pub number: String,
    pub kind: String,
    pub issued: String,
    pub expires: String,
    /// `valid`, `must_renew`, `expired` (the CSS class).
    pub status_code: &'static str,
    pub status: String,
    pub explanation: String,
    /// The QR code as inline SVG, when it could be drawn.
    pub qr: Option<String>,
    pub payload: Option<String>,
}

/// `GET /tai-khoan/vi`: ví giấy tờ.
#[derive(Template, WebTemplate)]
#[template(path = "account/wallet.html")]
pub(crate) struct WalletPage {
    ui: Ui,
    session: AccountSession,
    cards: Vec<CardView>,
}

/// `GET /tai-khoan/vi`.
pub(crate) async fn wallet(
    State(app): State<Web>,
    session: AccountSession,
) -> Result<WalletPage, PageError> {
    let ui = session.ui.clone();
    let w = app
        .service()
        .account_wallet(&session.live)
        .await
        .map_err(|e| PageError::service(&ui, e))?;
    let cards = w
        .cards
        .into_iter()
        .map(|c| {
            let label = ui.t("Mã QR trên thẻ", "The card's QR code");
            let qr = c.qr_payload.as_deref().and_then(|p| {
                qr_svg(p, label)
                    .map_err(|e| tracing::warn!(error = %e, "the wallet's QR code was not drawn"))
                    .ok()
            });
            CardView {
                number: c.number,
                kind: match c.kind {
                    "cccd" => ui.t("Thẻ Căn cước công dân", "Citizen identity card (CCCD)"),
                    _ => ui.t("Thẻ Căn cước", "Identity card (Căn cước)"),
                }
                .to_owned(),
                issued: show_date(c.issued_on),
                expires: c
                    .expires_on
                    .map_or_else(|| ui.t("Không thời hạn", "No expiry").to_owned(), show_date),
                status_code: c.status.code(),
                status: ui.t(c.status.label_vi(), c.status.label_en()).to_owned(),
                explanation: ui.t(&c.explanation_vi, &c.explanation_en).to_owned(),
                qr,
                payload: c.qr_payload,
            }
        })
        .collect();
    Ok(WalletPage { ui, session, cards })
}

/// One event as the history lists it.
pub(crate) struct EventRow {
    pub at: String,
    pub what: String,
    pub by_officer: bool,
    pub client: String,
    pub details: String,
}

/// The words of an event kind.
pub(crate) fn event_label(ui: &Ui, e: &AccountEvent) -> String {
    let (vi, en) = match e.kind.as_str() {
        "register" => ("Đăng ký tài khoản", "Account registered"),
        "level_change" => ("Thay đổi mức độ tài khoản", "Account level changed"),
        "login" => ("Đăng nhập thành công", "Logged in"),
        "login_failed" => ("Đăng nhập sai mật khẩu", "Wrong password at login"),
        "otp_sent" => ("Gửi mã xác thực", "Verification code sent"),
        "otp_failed" => ("Nhập sai mã xác thực", "Wrong verification code"),
        "password_reset" => ("Đặt lại mật khẩu", "Password reset"),
        "password_changed" => ("Đổi mật khẩu", "Password changed"),
        "lock" => ("Khóa tài khoản", "Account locked"),
        "unlock" => ("Mở khóa tài khoản", "Account unlocked"),
        "session_revoked" => ("Kết thúc phiên đăng nhập", "Sessions ended"),
        "logout" => ("Đăng xuất", "Logged out"),
        "officer_read" => ("Cán bộ xem tài khoản", "Viewed by an officer"),
        "notice_failed" => ("Chưa gửi được tin nhắn báo", "Notice message not sent"),
        "card_lost" => ("Báo mất thẻ", "Card reported lost"),
        _ => ("", ""),
    };
    if vi.is_empty() {
        e.kind.clone()
    } else {
        ui.t(vi, en).to_owned()
    }
}

/// The details of an event in the page's words, from the store's
/// technical text (`level 2 portrait; reason`, `by owner; 2 sessions
/// ended; reason`, a code's purpose, a session's kind…); the text as it
/// is when its shape is unknown.
pub(crate) fn event_details(ui: &Ui, e: &AccountEvent) -> String {
    let d = e.details.trim();
    let sessions = |n: &str| -> Option<String> {
        let n: u64 = n.trim().parse().ok()?;
        Some(format!(
            "{n} {}",
            ui.t("phiên đăng nhập đã kết thúc", "sessions ended")
        ))
    };
    let by = |code: &str| -> &str {
        match code {
            "owner" => ui.t("chủ tài khoản", "the owner"),
            "system" => ui.t("hệ thống", "the system"),
            _ => ui.t("cán bộ Công an", "a police officer"),
        }
    };
    let shaped = match e.kind.as_str() {
        "login" | "logout" | "register" | "officer_read" => Some(match d {
            "web" => ui.t("trình duyệt", "browser").to_owned(),
            "api" => ui.t("ứng dụng (API)", "app (API)").to_owned(),
            "level 1" => ui
                .t(AccountLevel::One.label_vi(), AccountLevel::One.label_en())
                .to_owned(),
            _ => String::new(),
        }),
        "otp_sent" => OtpPurpose::parse(d).map(|p| ui.t(p.label_vi(), p.label_en()).to_owned()),
        "session_revoked" => sessions(d),
        "password_reset" | "password_changed" => {
            d.strip_suffix(" sessions ended").and_then(sessions)
        }
        "level_change" => d.strip_prefix("level ").map(|rest| {
            let (head, reason) = rest.split_once("; ").unwrap_or((rest, ""));
            let (n, method) = head.split_once(' ').unwrap_or((head, ""));
            let level = AccountLevel::from_u8(n.parse().unwrap_or(0))
                .map_or(n, |l| ui.t(l.label_vi(), l.label_en()));
            let mut parts = vec![level.to_owned()];
            if let Some(m) = LevelMethod::parse(method) {
                parts.push(ui.t(m.label_vi(), m.label_en()).to_owned());
            }
            if !reason.is_empty() {
                parts.push(reason.to_owned());
            }
            parts.join(" · ")
        }),
        "lock" | "unlock" => d.strip_prefix("by ").map(|rest| {
            let mut it = rest.splitn(3, "; ");
            let who = it.next().unwrap_or_default();
            let mut parts = vec![format!("{} {}", ui.t("bởi", "by"), by(who))];
            for p in it {
                match p.strip_suffix(" sessions ended").and_then(sessions) {
                    Some(s) => parts.push(s),
                    None if !p.is_empty() => parts.push(p.to_owned()),
                    None => {}
                }
            }
            parts.join(" · ")
        }),
        _ => None,
    };
    shaped.unwrap_or_else(|| d.to_owned())
}

/// `GET /tai-khoan/lich-su`.
#[derive(Template, WebTemplate)]
#[template(path = "account/history.html")]
pub(crate) struct HistoryPage {
    ui: Ui,
    session: AccountSession,
    events: Vec<EventRow>,
}

/// How many events the history lists.
const HISTORY_LIMIT: u32 = 100;

/// `GET /tai-khoan/lich-su`: the account's events, newest first, in
/// Vietnam time.
pub(crate) async fn history(
    State(app): State<Web>,
    session: AccountSession,
) -> Result<HistoryPage, PageError> {
    let ui = session.ui.clone();
    let events = app
        .service()
        .account_history(&session.live, HISTORY_LIMIT)
        .await
        .map_err(|e| PageError::service(&ui, e))?;
    let events = events
        .iter()
        .map(|e| EventRow {
            at: show_instant(e.at),
            what: event_label(&ui, e),
            by_officer: e.officer.is_some(),
            client: e.client.clone(),
            details: event_details(&ui, e),
        })
        .collect();
    Ok(HistoryPage {
        ui,
        session,
        events,
    })
}

/// One session as listed.
pub(crate) struct SessionRow {
    pub handle: String,
    pub current: bool,
    pub kind: String,
    pub created: String,
    pub last_seen: String,
    pub client: String,
    pub agent: String,
}

/// `GET /tai-khoan/phien`.
#[derive(Template, WebTemplate)]
#[template(path = "account/sessions.html")]
pub(crate) struct SessionsPage {
    ui: Ui,
    session: AccountSession,
    rows: Vec<SessionRow>,
}

fn session_row(ui: &Ui, current: &str, s: &AccountSessionInfo) -> SessionRow {
    SessionRow {
        current: s.handle == current,
        handle: s.handle.clone(),
        kind: match s.kind {
            SessionKind::Web => ui.t("Trình duyệt (cổng thông tin)", "Browser (portal)"),
            SessionKind::Api => ui.t("Ứng dụng (API)", "App (API)"),
        }
        .to_owned(),
        created: show_instant(s.created_at),
        last_seen: show_instant(s.last_seen),
        client: s.client.clone(),
        agent: s.agent.chars().take(80).collect(),
    }
}

/// `GET /tai-khoan/phien`: the live sessions and tokens.
pub(crate) async fn sessions(
    State(app): State<Web>,
    session: AccountSession,
) -> Result<SessionsPage, PageError> {
    let ui = session.ui.clone();
    let list = app
        .service()
        .account_sessions(&session.live)
        .await
        .map_err(|e| PageError::service(&ui, e))?;
    let rows = list
        .iter()
        .map(|s| session_row(&ui, &session.live.handle, s))
        .collect();
    Ok(SessionsPage { ui, session, rows })
}

/// `POST /tai-khoan/phien/ket-thuc` (`phien`: one handle; `tat_ca`: all):
/// ends sessions; when this one ended too, to the login page.
pub(crate) async fn end_sessions(
    State(app): State<Web>,
    session: AccountSession,
    Caller(client): Caller,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = Fields::parse(&body);
    session.check_csrf(f.get("csrf"))?;
    let ui = session.ui.clone();
    let all = !f.get("tat_ca").is_empty();
    let handle = f.get("phien");
    if !all && handle.is_empty() {
        return Err(PageError::new(
            &ui,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Hãy chọn phiên cần kết thúc.",
            "Choose the session to end.",
        ));
    }
    let which = (!all).then_some(handle);
    app.service()
        .revoke_account_sessions(&session.live, which, client)
        .await
        .map_err(|e| PageError::service(&ui, e))?;
    if all || handle == session.live.handle {
        return Ok(to_login(Some("da_thoat"), ui.is_en()));
    }
    Ok((
        StatusCode::SEE_OTHER,
        [(header::LOCATION, "/tai-khoan/phien")],
    )
        .into_response())
}

/// `GET/POST /tai-khoan/doi-mat-khau`.
#[derive(Template, WebTemplate)]
#[template(path = "account/password.html")]
pub(crate) struct PasswordPage {
    ui: Ui,
    session: AccountSession,
    inputs: Vec<Input>,
    errors: Errs,
}

impl PasswordPage {
    fn new(session: AccountSession, errors: Errs) -> Self {
        let ui = session.ui.clone();
        let inputs = vec![
            Input::password(
                &ui,
                "mat_khau",
                ("Mật khẩu hiện tại", "Current password"),
                false,
            ),
            Input::password(&ui, "mat_khau_moi", ("Mật khẩu mới", "New password"), true),
            Input::password(
                &ui,
                "mat_khau_moi_2",
                ("Nhập lại mật khẩu mới", "New password again"),
                false,
            ),
        ]
        .into_iter()
        .map(|i| i.with(&errors))
        .collect();
        Self {
            ui,
            session,
            inputs,
            errors,
        }
    }

    fn summary(&self) -> crate::summary::ErrorSummary {
        self.errors.summary(
            &self.ui,
            "Chưa đổi được mật khẩu. Hãy sửa:",
            "The password is not changed. Please correct:",
            &self.inputs,
        )
    }
}

/// `GET /tai-khoan/doi-mat-khau`.
pub(crate) async fn password_form(session: AccountSession) -> PasswordPage {
    let errs = Errs::new(&session.ui);
    PasswordPage::new(session, errs)
}

/// `POST /tai-khoan/doi-mat-khau`: the current password, the new one
/// twice; every session ends (this one too), and the login page says so.
pub(crate) async fn change_password(
    State(app): State<Web>,
    session: AccountSession,
    Caller(client): Caller,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = Fields::parse(&body);
    session.check_csrf(f.get("csrf"))?;
    let ui = session.ui.clone();
    let mut errs = Errs::new(&ui);
    if f.raw("mat_khau_moi") != f.raw("mat_khau_moi_2") {
        errs.add(
            "mat_khau_moi_2",
            "Mật khẩu mới nhập lại không khớp.",
            "The new password typed again does not match.",
        );
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            PasswordPage::new(session, errs),
        )
            .into_response());
    }
    match app
        .service()
        .change_account_password(
            &session.live,
            f.raw("mat_khau"),
            f.raw("mat_khau_moi"),
            client,
        )
        .await
    {
        Ok(()) => Ok(to_login(Some("doi_mat_khau"), ui.is_en())),
        Err(e) => {
            let now = app.service().now().as_second();
            match refusal(&mut errs, &e, Kind::Image, "", now) {
                Refusal::Form(status) => {
                    // A wrong current password is said beside its field.
                    if let cancuoc_service::ServiceError::Fields(ps) = &e
                        && ps.iter().any(|p| p.field == "current_password")
                    {
                        errs = Errs::new(&ui);
                        errs.add(
                            "mat_khau",
                            "Không đúng mật khẩu đang dùng.",
                            "This is not the password in use.",
                        );
                    }
                    Ok((status, PasswordPage::new(session, errs)).into_response())
                }
                Refusal::Page => Err(PageError::service(&ui, e)),
            }
        }
    }
}

/// `POST /tai-khoan/dang-xuat`: ends this session, removes the cookie.
pub(crate) async fn logout(
    State(app): State<Web>,
    session: AccountSession,
    Caller(client): Caller,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = Fields::parse(&body);
    session.check_csrf(f.get("csrf"))?;
    app.service()
        .account_logout(&session.id, client)
        .await
        .map_err(|e| PageError::service(&session.ui, e))?;
    let mut res = to_login(Some("da_thoat"), session.ui.is_en());
    res.headers_mut().insert(header::SET_COOKIE, clear_cookie());
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cancuoc_core::i18n::Lang;

    fn event(kind: &str, details: &str) -> AccountEvent {
        AccountEvent {
            at: 0,
            kind: kind.into(),
            officer: None,
            client: String::new(),
            details: details.into(),
        }
    }

    #[test]
    fn the_stores_details_read_in_the_pages_words() {
        let vi = Ui::new(Lang::Vi, "/");
        let en = Ui::new(Lang::En, "/");
        let lvl = event("level_change", "level 2 fingerprints; in person");
        assert_eq!(
            event_details(&vi, &lvl),
            "Mức độ 2 · Đối chiếu vân tay · in person"
        );
        assert_eq!(
            event_details(&en, &lvl),
            "Level 2 · Fingerprint comparison · in person"
        );
        let lock = event("lock", "by owner; 2 sessions ended; owner: lost phone");
        assert_eq!(
            event_details(&vi, &lock),
            "bởi chủ tài khoản · 2 phiên đăng nhập đã kết thúc · owner: lost phone"
        );
        assert_eq!(event_details(&en, &event("otp_sent", "login")), "Login");
        assert_eq!(event_details(&vi, &event("login", "web")), "trình duyệt");
        assert_eq!(
            event_details(&en, &event("password_reset", "3 sessions ended")),
            "3 sessions ended"
        );
        assert_eq!(
            event_details(&vi, &event("login_failed", "failure 2")),
            "failure 2"
        );
        assert_eq!(event_label(&en, &event("unlock", "")), "Account unlocked");
        assert_eq!(event_label(&vi, &event("new_kind", "")), "new_kind");
    }
}
