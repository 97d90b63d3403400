//! The citizen's electronic identity account on the console's applicant
//! page (`/can-bo/tiep-nhan/cong-dan/{ref}`, section `#tai-khoan`): its
//! level and how level 2 was granted, its lock, its latest events
//! (`Service::officer_account_view`, itself an event of the account), and
//! the officer's forms — grant level 2 after checking the citizen in
//! person (portrait or fingerprints), lower to level 1, lock and unlock,
//! each but the grant with a reason. The forms post to
//! `/can-bo/tiep-nhan/cong-dan/{ref}/tai-khoan` with the console's CSRF
//! token.
//!
//! Who may is the service's rule (an administrator, or a receptionist at a
//! desk receiving the public today): an officer it refuses sees the panel
//! say so, and no form.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use cancuoc_core::account::{AccountLevel, LevelMethod};
use cancuoc_service::model::{AccountActor, CitizenId};
use cancuoc_service::{ErrorClass, ServiceError};

use super::forms::{FieldErrors, show_instant};
use super::session::Session;
use crate::Web;
use crate::client::Caller;
use crate::error::PageError;
use crate::ui::Ui;

/// One event as the panel lists it.
pub(crate) struct PanelEvent {
    pub at: String,
    pub what: String,
    pub details: String,
}

/// The panel's content.
pub(crate) struct AccountPanel {
    /// The officer may see and change accounts.
    pub allowed: bool,
    /// The citizen has an account.
    pub exists: bool,
    /// Its owner has set a password (registered on the portal).
    pub has_password: bool,
    /// `Mức độ 1` / `Mức độ 2`.
    pub level: String,
    pub level_two: bool,
    /// How level 2 was granted, in words.
    pub grant: Option<String>,
    /// The lock, in words, when locked.
    pub lock: Option<String>,
    pub events: Vec<PanelEvent>,
    /// A change just made (`?tai_khoan=`), in words.
    pub done: Option<String>,
    /// The messages of a refused form.
    pub errors: FieldErrors,
    /// The panel could not be read (a server error, logged).
    pub unavailable: bool,
}

impl AccountPanel {
    fn refused() -> Self {
        Self {
            allowed: false,
            exists: false,
            has_password: false,
            level: String::new(),
            level_two: false,
            grant: None,
            lock: None,
            events: Vec::new(),
            done: None,
            errors: FieldErrors::default(),
            unavailable: false,
        }
    }

    /// The methods an officer grants level 2 by (with the card is the
    /// service's own, at card return).
    pub(crate) fn methods(&self) -> [LevelMethod; 2] {
        [LevelMethod::Portrait, LevelMethod::Fingerprints]
    }
}

/// What `?tai_khoan=` says was just done.
fn done_text(ui: &Ui, code: &str) -> Option<String> {
    let (vi, en) = match code {
        "cap_muc_2" => (
            "Đã xác thực tài khoản mức độ 2.",
            "The account is now level 2.",
        ),
        "ha_muc_1" => (
            "Đã hạ tài khoản xuống mức độ 1.",
            "The account is now level 1.",
        ),
        "khoa" => ("Đã khóa tài khoản.", "The account is locked."),
        "mo_khoa" => ("Đã mở khóa tài khoản.", "The account is unlocked."),
        _ => return None,
    };
    Some(ui.t(vi, en).to_owned())
}

/// The panel for `citizen` as `session`'s officer sees it.
pub(crate) async fn load(
    app: &Web,
    session: &Session,
    citizen: CitizenId,
    done: Option<&str>,
    caller: Caller,
) -> AccountPanel {
    let ui = &session.ui;
    let view = match app
        .service()
        .officer_account_view(&session.officer, citizen, caller.0)
        .await
    {
        Ok(v) => v,
        Err(e) if e.class() == ErrorClass::Forbidden => return AccountPanel::refused(),
        Err(e) => {
            tracing::warn!(error = %e.chain(), "the account panel could not be read");
            return AccountPanel {
                allowed: true,
                unavailable: true,
                ..AccountPanel::refused()
            };
        }
    };
    let offices = app.service().offices();
    let mut panel = AccountPanel {
        allowed: true,
        done: done.and_then(|d| done_text(ui, d)),
        ..AccountPanel::refused()
    };
    if let Some(a) = &view.account {
        panel.exists = true;
        panel.has_password = a.has_password;
        panel.level = ui.t(a.level.label_vi(), a.level.label_en()).to_owned();
        panel.level_two = a.level == AccountLevel::Two;
        panel.grant = a.grant.map(|g| {
            let mut s = ui.t(g.method.label_vi(), g.method.label_en()).to_owned();
            if let Some(o) = g.office {
                s.push_str(&format!(" · {}", offices.name_of(o)));
            }
            s.push_str(&format!(" · {}", show_instant(g.at)));
            s
        });
        panel.lock = a.lock.as_ref().map(|l| {
            let by = match l.by {
                AccountActor::Owner => ui.t("chủ tài khoản", "the owner"),
                AccountActor::Officer(_) => ui.t("cán bộ Công an", "a police officer"),
                AccountActor::System => ui.t("hệ thống", "the system"),
            };
            format!(
                "{} {by}, {} · {}: {}",
                ui.t("Khóa bởi", "Locked by"),
                show_instant(l.at),
                ui.t("lý do", "reason"),
                l.reason
            )
        });
    }
    panel.events = view
        .events
        .iter()
        .map(|e| PanelEvent {
            at: show_instant(e.at),
            what: crate::account::event_label(ui, e),
            details: crate::account::event_details(ui, e),
        })
        .collect();
    panel
}

/// A rule's words as a sentence: capitalised, with a full stop.
fn sentence(s: &str) -> String {
    let mut c = s.chars();
    let mut out: String = match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// What a panel form asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Grant,
    Lower,
    Lock,
    Unlock,
}

impl Action {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "cap_muc_2" => Some(Self::Grant),
            "ha_muc_1" => Some(Self::Lower),
            "khoa" => Some(Self::Lock),
            "mo_khoa" => Some(Self::Unlock),
            _ => None,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Self::Grant => "cap_muc_2",
            Self::Lower => "ha_muc_1",
            Self::Lock => "khoa",
            Self::Unlock => "mo_khoa",
        }
    }

    /// The form field its reason (or method) is typed in.
    fn field(self) -> &'static str {
        match self {
            Self::Grant => "tk_phuong_thuc",
            Self::Lower => "tk_ly_do_ha",
            Self::Lock => "tk_ly_do_khoa",
            Self::Unlock => "tk_ly_do_mo",
        }
    }
}

/// `POST /can-bo/tiep-nhan/cong-dan/{ref}/tai-khoan`: one change to the
/// citizen's account; 303 back to the panel, or the page again with the
/// form's message.
pub(crate) async fn change(
    State(app): State<Web>,
    session: Session,
    caller: Caller,
    Path(handle): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f: std::collections::HashMap<String, String> = form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let get = |k: &str| f.get(k).map_or("", |v| v.trim());
    session.check_csrf(get("csrf"))?;
    let ui = session.ui.clone();
    let citizen = super::reception::account_holder(&app, &session, &handle).await?;
    let Some(action) = Action::parse(get("hanh_dong")) else {
        return Err(PageError::new(
            &ui,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Không rõ thao tác với tài khoản.",
            "Unknown account action.",
        ));
    };
    let svc = app.service();
    let officer = &session.officer;
    let id = citizen.id;
    let reason = get(action.field());
    let result: Result<(), ServiceError> = match action {
        Action::Grant => match LevelMethod::parse(reason) {
            Some(m @ (LevelMethod::Portrait | LevelMethod::Fingerprints)) => svc
                .grant_level_two(officer, id, m, caller.0)
                .await
                .map(drop),
            _ => Err(ServiceError::invalid(
                "method",
                "hãy chọn cách đã đối chiếu: ảnh chân dung hoặc vân tay",
                "choose how the citizen was checked: portrait or fingerprints",
            )),
        },
        Action::Lower => svc
            .lower_account_level(officer, id, reason, caller.0)
            .await
            .map(drop),
        Action::Lock => svc
            .officer_lock_account(officer, id, reason, caller.0)
            .await
            .map(drop),
        Action::Unlock => svc
            .officer_unlock_account(officer, id, reason, caller.0)
            .await
            .map(drop),
    };
    match result {
        Ok(()) => {
            tracing::info!(
                officer = officer.id.0,
                citizen = id.0,
                action = action.code(),
                "identity account changed at the console"
            );
            Ok((
                StatusCode::SEE_OTHER,
                [(
                    header::LOCATION,
                    format!(
                        "/can-bo/tiep-nhan/cong-dan/{handle}?tai_khoan={}#tai-khoan",
                        action.code()
                    ),
                )],
            )
                .into_response())
        }
        Err(e) if e.is_forbidden() => Err(PageError::service(&ui, e)),
        Err(e) => {
            let status = crate::error::status_of(e.class());
            if status.is_server_error() {
                return Err(PageError::service(&ui, e));
            }
            let mut panel = load(&app, &session, id, None, caller).await;
            match &e {
                ServiceError::Invalid {
                    reason_vi,
                    reason_en,
                    ..
                } => panel
                    .errors
                    .add(action.field(), sentence(reason_vi), sentence(reason_en)),
                _ => panel.errors.add_localized(action.field(), &e),
            }
            let page = super::reception::applicant_with_panel(&app, session, &citizen, panel);
            Ok((status, page).into_response())
        }
    }
}
