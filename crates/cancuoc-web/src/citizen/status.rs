//! `/tra-cuu`: where a dossier stands (tra cứu tình trạng hồ sơ), by the
//! code on the appointment slip and a captcha.
//!
//! Order of checks on a lookup: the dossier code (length and Damm check
//! digit, by `DossierCode::parse`) — a mistyped code is answered before any
//! lookup and without spending the captcha; the second factor's form, if
//! one was given (a date of birth, or four digits); the captcha (wrong,
//! expired, already used, unknown: each its own message); then the lookup,
//! which the service counts for the client (its lookup rate, its walk of
//! codes that do not exist: a 429 page with `Retry-After`). Every form
//! shown carries a new challenge, itself counted per client.
//!
//! The result shows the state, the dated stages of the event log (no
//! officer names, no notes), the promised date, on time or late, the
//! office's name and hotline — nothing of the person. With the date of
//! birth or the last four digits of the ID number (optional fields) it
//! also shows the applicant's masked name; a wrong one says so, and after
//! a few the code's fuller answer locks for a day.

use askama::Template;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::Form;
use axum_extra::extract::FormRejection;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::guidance::{KeyDate, guidance};
use cancuoc_core::rules::Timeliness;
use cancuoc_service::model::ConfirmationState;
use cancuoc_service::{
    CaptchaCheck, Client, CodeAnswer, ErrorClass, Holder, PublicConfirmation, SecondFactor,
    ServiceError,
};
use serde::Deserialize;

use super::captcha::{self, Challenge, Kind, kind_of};
use super::{Msg, dmy, tel};
use crate::Web;
use crate::client::Caller;
use crate::error::PageError;
use crate::ui::Ui;

/// One dated stage of the timeline.
#[derive(Debug)]
pub(crate) struct Stage {
    date: String,
    label: Msg,
}

/// What a successful lookup shows.
#[derive(Debug)]
pub(crate) struct Found {
    code: String,
    state: Msg,
    finished: bool,
    timeline: Vec<Stage>,
    /// What happened and what to do next (`dossier::guidance`).
    headline: Msg,
    next: Msg,
    /// The date the state leads with: its label and the day in words.
    key_date: Option<(Msg, Msg)>,
    timeliness: Option<(bool, Msg)>,
    /// When the citizen collected the card, apart from the deadline.
    collected: Option<Msg>,
    /// The recorded reason of a refusal, rejection or cancellation (with
    /// a matching second factor).
    reason: Option<String>,
    /// The state has a reason, not shown without the second factor.
    reason_needs_factor: bool,
    /// The receiving office has ended: whom to call instead.
    successor: Option<Msg>,
    office_name: String,
    hotline: String,
    hotline_tel: String,
    /// The applicant's masked name, when a second factor matched.
    masked_name: Option<String>,
    /// What the second factor did, when it did not show the name.
    holder_note: Option<Msg>,
}

/// The office a code belongs to (its first 4 digits), for "not found".
#[derive(Debug)]
pub(crate) struct Contact {
    name: String,
    hotline: String,
    hotline_tel: String,
}

/// `GET/POST /tra-cuu`.
#[derive(Template)]
#[template(path = "citizen/status.html")]
pub(crate) struct StatusPage {
    ui: Ui,
    ma: String,
    ma_error: Option<Msg>,
    /// The page that reads what was typed instead of a dossier code.
    ma_link: Option<Link>,
    /// The date of birth typed (kept when the form comes back).
    ngay_sinh: String,
    ngay_sinh_error: Option<Msg>,
    /// The four digits typed (kept when the form comes back).
    so_cuoi: String,
    so_cuoi_error: Option<Msg>,
    captcha_error: Option<Msg>,
    challenge: Option<Challenge>,
    not_found: Option<Option<Contact>>,
    found: Option<Found>,
}

impl StatusPage {
    fn new(ui: Ui) -> Self {
        Self {
            ui,
            ma: String::new(),
            ma_error: None,
            ma_link: None,
            ngay_sinh: String::new(),
            ngay_sinh_error: None,
            so_cuoi: String::new(),
            so_cuoi_error: None,
            captcha_error: None,
            challenge: None,
            not_found: None,
            found: None,
        }
    }

    fn is_kind(&self, k: &str) -> bool {
        self.challenge.as_ref().is_some_and(|c| c.kind.code() == k)
    }

    /// The form's messages on top, each a link to its field
    /// (`templates/_error_summary.html`).
    fn summary(&self) -> crate::summary::ErrorSummary {
        let ui = &self.ui;
        let fields = [
            ("ma", &self.ma_error),
            ("ngay_sinh", &self.ngay_sinh_error),
            ("so_cuoi", &self.so_cuoi_error),
            ("captcha", &self.captcha_error),
        ];
        crate::summary::ErrorSummary::new(
            ui.t(
                "Chưa tra cứu được. Hãy sửa:",
                "Not looked up yet. Please correct:",
            ),
            fields
                .iter()
                .filter_map(|(field, m)| m.as_ref().map(|m| (*field, m.text(ui)))),
        )
    }

    /// A link to the form with another kind of challenge, keeping the code.
    /// The status form switches kinds by links (only the code is typed,
    /// and the links keep it).
    fn kind_switch_in_form(&self) -> bool {
        false
    }

    fn kind_href(&self, k: &str) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("kieu", k);
        if !self.ma.is_empty() {
            q.append_pair("ma", &self.ma);
        }
        format!("/tra-cuu?{}", q.finish())
    }

    fn respond(mut self, status: StatusCode) -> Response {
        // The language switch comes back to the form with the code typed
        // (only the code: the second factor stays out of any URL).
        if self.found.is_none() && !self.ma.trim().is_empty() {
            let mut q = form_urlencoded::Serializer::new(String::new());
            q.append_pair("ma", self.ma.trim());
            if let Some(c) = &self.challenge {
                q.append_pair("kieu", c.kind.code());
            }
            self.ui.here = format!("/tra-cuu?{}", q.finish());
        }
        match self.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => PageError::server(
                &self.ui,
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the status page failed to render: {e}"),
            )
            .into_response(),
        }
    }
}

/// Query of `GET /tra-cuu`: the kind of challenge, and a code to keep.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct FormQuery {
    kieu: Option<String>,
    ma: Option<String>,
}

/// The form of `POST /tra-cuu`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct LookupForm {
    #[serde(default)]
    ma: String,
    #[serde(default)]
    captcha: String,
    #[serde(default)]
    challenge: String,
    #[serde(default)]
    kieu: Option<String>,
    /// Ngày sinh (optional second factor).
    #[serde(default)]
    ngay_sinh: String,
    /// 4 số cuối số định danh (optional second factor).
    #[serde(default)]
    so_cuoi: String,
}

/// What else a number typed in the dossier box may be: what to tell, and
/// a link to the page that reads it — a personal ID number (12 digits), an
/// old CMND number (9 digits), a booking code (11 digits with its check
/// digit). `None` when it looks like none of them (the code's own error is
/// said).
fn other_number(input: &str) -> Option<(Msg, Option<Link>)> {
    let digits: String = input
        .chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '-' | '.')))
        .collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let id_page = || Link {
        label: Msg::new("Số định danh cho biết điều gì", "What an ID number tells"),
        href: "/so-dinh-danh".to_owned(),
    };
    match digits.len() {
        12 => Some((
            Msg::new(
                "Đây có vẻ là số định danh cá nhân (12 chữ số), không phải mã hồ sơ. Mã hồ sơ có 16 chữ số, in dưới mã vạch trên giấy hẹn trả thẻ; không có giấy hẹn, hãy gọi đường dây nóng của nơi đã nộp hồ sơ",
                "This looks like a personal ID number (12 digits), not a dossier code. The dossier code has 16 digits and is printed under the barcode of the appointment slip; without the slip, call the hotline of the office where you applied",
            ),
            Some(id_page()),
        )),
        9 => Some((
            Msg::new(
                "Đây có vẻ là số chứng minh nhân dân cũ (9 chữ số), không phải mã hồ sơ. Mã hồ sơ có 16 chữ số, in dưới mã vạch trên giấy hẹn trả thẻ",
                "This looks like an old identity card (CMND) number (9 digits), not a dossier code. The dossier code has 16 digits and is printed under the barcode of the appointment slip",
            ),
            Some(id_page()),
        )),
        11 => crate::booking::canonical_code(&digits).map(|b| {
            (
                Msg::new(
                    "Đây là mã lịch hẹn (11 chữ số), không phải mã hồ sơ. Mã hồ sơ 16 chữ số chỉ có sau khi hồ sơ được tiếp nhận",
                    "This is a booking code (11 digits), not a dossier code. The 16-digit dossier code exists only once the application is received",
                ),
                Some(Link {
                    label: Msg::new(
                        "Xem, đổi hoặc hủy lịch hẹn này",
                        "See, move or cancel this appointment",
                    ),
                    href: format!("/dat-lich/quan-ly?ma={b}"),
                }),
            )
        }),
        _ => None,
    }
}

/// A link shown beside a message.
#[derive(Debug)]
pub(crate) struct Link {
    label: Msg,
    href: String,
}

/// Renders the form (with a new challenge of `kind` for `client`) and
/// whatever `page` already says.
async fn with_form(
    app: &Web,
    mut page: StatusPage,
    kind: Kind,
    client: Client,
    status: StatusCode,
) -> Response {
    match captcha::new_challenge(app, kind, client).await {
        Ok(c) => page.challenge = Some(c),
        Err(e) => return PageError::service(&page.ui, e).into_response(),
    }
    page.respond(status)
}

/// `GET /tra-cuu[?kieu=anh|nghe|chu][&ma=…]`: the form.
pub(crate) async fn form(
    State(app): State<Web>,
    ui: Ui,
    Caller(client): Caller,
    Query(q): Query<FormQuery>,
) -> Response {
    let mut page = StatusPage::new(ui);
    page.ma = q.ma.unwrap_or_default().chars().take(40).collect();
    with_form(
        &app,
        page,
        kind_of(q.kieu.as_deref()),
        client,
        StatusCode::OK,
    )
    .await
}

/// `POST /tra-cuu`: checks the code, then the captcha, then looks up.
pub(crate) async fn lookup(
    State(app): State<Web>,
    ui: Ui,
    Caller(client): Caller,
    form: Result<Form<LookupForm>, FormRejection>,
) -> Response {
    let Form(f) = match form {
        Ok(f) => f,
        Err(e) => {
            return PageError::new(
                &ui,
                e.status(),
                "Biểu mẫu gửi lên không đọc được; hãy mở lại trang tra cứu.",
                "The form could not be read; please open the lookup page again.",
            )
            .into_response();
        }
    };
    let kind = kind_of(f.kieu.as_deref());
    let mut page = StatusPage::new(ui);
    page.ma = f.ma.chars().take(40).collect();
    page.ngay_sinh = f.ngay_sinh.chars().take(40).collect();
    page.so_cuoi = f.so_cuoi.chars().take(40).collect();
    let unused = |m: Msg| {
        Msg::new(
            format!("{}. Mã xác nhận chưa bị dùng.", m.vi),
            format!("{}. Your security code was not used.", m.en),
        )
    };
    // 1. The code, before anything is looked up or spent.
    let code = match DossierCode::parse(&f.ma) {
        Ok(c) => c,
        Err(e) => {
            page.ma_error = Some(match other_number(&f.ma) {
                Some((pointer, link)) => {
                    page.ma_link = link;
                    unused(pointer)
                }
                None => unused(Msg::of(&e)),
            });
            return with_form(&app, page, kind, client, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    // 1b. The second factor, if one was given: read, not yet checked.
    let factor = if !f.ngay_sinh.trim().is_empty() {
        match crate::console::forms::parse_dob(&f.ngay_sinh) {
            Ok(d) => Some(SecondFactor::BirthDate(d)),
            Err(e) => {
                page.ngay_sinh_error = Some(unused(Msg::of(&e)));
                return with_form(&app, page, kind, client, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        }
    } else if !f.so_cuoi.trim().is_empty() {
        match SecondFactor::id_digits("so_cuoi", &f.so_cuoi) {
            Ok(d) => Some(d),
            Err(e) => {
                page.so_cuoi_error = Some(unused(Msg::new(
                    "Cần đúng 4 chữ số cuối của số định danh (ví dụ 2345)",
                    "Expected exactly the last 4 digits of the ID number (e.g. 2345)",
                )));
                tracing::debug!(error = %e, "second factor unreadable");
                return with_form(&app, page, kind, client, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        }
    } else {
        None
    };
    // 2. The captcha, spent once whatever its verdict.
    let check = if f.captcha.trim().is_empty() {
        None
    } else {
        match app.service().spend_captcha(&f.challenge, &f.captcha).await {
            Ok(c) => Some(c),
            Err(e) => return PageError::service(&page.ui, e).into_response(),
        }
    };
    match check {
        Some(CaptchaCheck::Solved) => {}
        None => {
            page.captcha_error = Some(Msg::new(
                "Hãy nhập mã xác nhận.",
                "Please type the security code.",
            ));
            return with_form(&app, page, kind, client, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Some(other) => {
            page.captcha_error = Some(captcha::captcha_message(other, kind));
            return with_form(&app, page, kind, client, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    }
    // 3. The lookup.
    match found(&app, code, factor.as_ref(), client).await {
        Ok(f) => {
            page.found = Some(f);
            page.respond(StatusCode::OK)
        }
        Err(e) if e.class() == ErrorClass::NotFound => {
            let office = u16::try_from(code.office()).ok();
            let contact = match office {
                Some(o) => app.service().office(o).await.ok().map(|o| Contact {
                    hotline_tel: tel(&o.hotline),
                    name: o.name,
                    hotline: o.hotline,
                }),
                None => None,
            };
            page.not_found = Some(contact);
            with_form(&app, page, kind, client, StatusCode::NOT_FOUND).await
        }
        Err(e) => PageError::service(&page.ui, e).into_response(),
    }
}

/// The public view of a dossier: status row, event log, timeliness; the
/// masked name when `factor` matched.
async fn found(
    app: &Web,
    code: DossierCode,
    factor: Option<&SecondFactor>,
    client: Client,
) -> Result<Found, ServiceError> {
    let answer = match app.service().lookup_code(code, factor, client).await? {
        CodeAnswer::Dossier(a) => *a,
        CodeAnswer::Confirmation(c) => return Ok(found_confirmation(&c)),
    };
    let (masked_name, holder_note) = match answer.holder {
        Holder::NotAsked => (None, None),
        Holder::Verified { masked_name } => (Some(masked_name), None),
        Holder::Mismatch => (
            None,
            Some(Msg::new(
                "Ngày sinh hoặc 4 số cuối số định danh không khớp với hồ sơ này, nên tên người nộp không được hiển thị. Nếu nhập sai nhiều lần, mục này sẽ bị khóa trong một ngày.",
                "The date of birth or the last 4 digits of the ID number do not match this dossier, so the applicant's name is not shown. After several wrong tries this is locked for a day.",
            )),
        ),
        Holder::Locked { retry_after_secs } => (
            None,
            Some(Msg::new(
                format!(
                    "Đã nhập sai ngày sinh hoặc số định danh quá nhiều lần cho mã này: tên người nộp bị khóa, thử lại sau {} giờ.",
                    retry_after_secs.div_ceil(3600)
                ),
                format!(
                    "The date of birth or ID number was entered wrongly too many times for this code: the applicant's name is locked; try again in {} hour(s).",
                    retry_after_secs.div_ceil(3600)
                ),
            )),
        ),
    };
    let d = answer.public;
    let s = d.status;
    let g = guidance(s.state);
    let key_date = match g.key_date {
        KeyDate::Appointment => Some((
            Msg::new("Ngày hẹn đến nộp hồ sơ", "Appointment day"),
            long_day(d.received_on),
        )),
        KeyDate::Promised => Some((
            Msg::new("Ngày hẹn trả", "Promised date"),
            long_day(s.promised_on),
        )),
        KeyDate::PromisedMayChange => Some((
            Msg::new(
                "Ngày hẹn trả (có thể thay đổi)",
                "Promised date (may change)",
            ),
            long_day(s.promised_on),
        )),
        KeyDate::Ready => Some((
            Msg::new("Ngày hẹn trả", "Promised date"),
            long_day(s.promised_on),
        )),
        KeyDate::None => None,
    };
    // Days left mean nothing while the dossier is on hold for a correction:
    // only lateness is said then.
    let timeliness = d.timeliness.filter(|t| {
        g.key_date != KeyDate::PromisedMayChange || matches!(t, Timeliness::Late { .. })
    });
    let collected = match (d.ready_on, d.collected_on) {
        (Some(r), Some(c)) if c > r => Some(Msg::new(
            format!(
                "Bạn nhận thẻ ngày {} (thẻ đã chờ bạn từ ngày {}; thời gian này không tính vào thời hạn của cơ quan).",
                dmy(c),
                dmy(r)
            ),
            format!(
                "You collected the card on {} (it had been waiting for you since {}; that time does not count against the offices' deadline).",
                dmy(c),
                dmy(r)
            ),
        )),
        (_, Some(c)) => Some(Msg::new(
            format!("Bạn nhận thẻ ngày {}.", dmy(c)),
            format!("You collected the card on {}.", dmy(c)),
        )),
        _ => None,
    };
    Ok(Found {
        code: s.code.grouped(),
        state: Msg::new(s.state.label_vi(), s.state.label_en()),
        finished: s.state.is_terminal(),
        timeline: d
            .stages
            .iter()
            .map(|st| Stage {
                date: dmy(st.on),
                label: Msg::new(st.state.label_vi(), st.state.label_en()),
            })
            .collect(),
        headline: Msg::new(g.headline_vi, g.headline_en),
        next: Msg::new(g.next_vi, g.next_en),
        key_date,
        timeliness: timeliness.map(timeliness_msg),
        collected,
        reason_needs_factor: g.has_reason && answer.reason.is_none(),
        successor: d.successor.as_ref().map(|s| {
            let since = s
                .ended_on
                .and_then(|d| d.tomorrow().ok())
                .map(|d| (format!(" từ ngày {}", dmy(d)), format!(" since {}", dmy(d))))
                .unwrap_or_default();
            Msg::new(
                format!(
                    "Cơ quan đã tiếp nhận hồ sơ này không còn hoạt động{} (sắp xếp lại tổ chức Công an năm 2025). Hãy liên hệ {}, đường dây nóng {}.",
                    since.0, s.name, s.hotline
                ),
                format!(
                    "The office that received this dossier no longer exists{} (the 2025 reorganisation of the police). Contact {}, hotline {}.",
                    since.1, s.name, s.hotline
                ),
            )
        }),
        reason: answer.reason,
        hotline_tel: tel(&s.office_hotline),
        office_name: s.office_name,
        hotline: s.office_hotline,
        masked_name,
        holder_note,
    })
}

/// What the page shows of a request to confirm an old CMND number: its
/// state, the due date or the day it was decided, the office — nothing of
/// the person (a refusal's reason is in the written answer, not here).
fn found_confirmation(c: &PublicConfirmation) -> Found {
    let s = &c.status;
    let (headline, next) = match s.state {
        ConfirmationState::Requested => (
            Msg::new(
                "Yêu cầu xác nhận số CMND cũ đã được tiếp nhận; cơ quan Công an đang tra cứu, xác minh.",
                "The request to confirm an old ID number was received; the police office is checking its records.",
            ),
            Msg::new(
                "Chờ kết quả đến hạn trả lời; kết quả được cập nhật tại trang này.",
                "Wait for the answer by the due date; it is shown on this page.",
            ),
        ),
        ConfirmationState::Approved => (
            Msg::new(
                "Giấy xác nhận số CMND cũ đã được cấp.",
                "The confirmation of the old ID number was issued.",
            ),
            Msg::new(
                "Nhận giấy xác nhận tại cơ quan đã tiếp nhận yêu cầu (mang theo mã hồ sơ), hoặc đề nghị chuyển phát đến địa chỉ của bạn (có phí chuyển phát).",
                "Collect the confirmation at the office that received the request (bring the dossier code), or ask for it to be posted to you (postage is charged).",
            ),
        ),
        ConfirmationState::Refused => (
            Msg::new(
                "Cơ quan không có căn cứ để xác nhận số CMND cũ.",
                "The office found no grounds to confirm the old ID number.",
            ),
            Msg::new(
                "Cơ quan trả lời bằng văn bản, nêu rõ lý do. Bạn có thể mang bản chính hoặc bản sao CMND, thẻ Căn cước công dân cũ đến cơ quan để được tra cứu lại.",
                "The office answers in writing with the reason. You may bring the original or a copy of the old ID card to the office to have it checked again.",
            ),
        ),
    };
    let mut timeline = vec![Stage {
        date: dmy(s.received_on),
        label: Msg::new("Đã tiếp nhận yêu cầu", "Request received"),
    }];
    if let Some(d) = s.decided_on {
        timeline.push(Stage {
            date: dmy(d),
            label: Msg::new(s.state.label_vi(), s.state.label_en()),
        });
    }
    let key_date = match s.decided_on {
        Some(d) => (Msg::new("Ngày giải quyết", "Decided on"), long_day(d)),
        None => (
            Msg::new("Hạn trả lời", "Answer due by"),
            long_day(s.promised_on),
        ),
    };
    Found {
        code: s.code.grouped(),
        state: Msg::new(s.state.label_vi(), s.state.label_en()),
        finished: s.state.is_decided(),
        timeline,
        headline,
        next,
        key_date: Some(key_date),
        timeliness: c.overdue.then(|| {
            (
                true,
                Msg::new(
                    format!("Quá hạn trả lời (hạn {}).", dmy(s.promised_on)),
                    format!("Past the due date ({}).", dmy(s.promised_on)),
                ),
            )
        }),
        collected: None,
        reason: None,
        reason_needs_factor: false,
        successor: None,
        office_name: s.office_name.clone(),
        hotline: s.office_hotline.clone(),
        hotline_tel: tel(&s.office_hotline),
        masked_name: None,
        holder_note: None,
    }
}

/// A day as people read it: weekday and dd/mm/yyyy (`Thứ Hai 23/11/2026`).
fn long_day(d: jiff::civil::Date) -> Msg {
    let (vi, en) = crate::booking::weekday_names(d);
    Msg::new(format!("{vi} {}", dmy(d)), format!("{en} {}", dmy(d)))
}

/// On time or late, in words; `true` when late.
fn timeliness_msg(t: Timeliness) -> (bool, Msg) {
    match t {
        Timeliness::OnTime {
            finished,
            working_days_early: 0,
        } => (
            false,
            Msg::new(
                format!("Đúng hạn: thẻ có ngày {}, đúng ngày hẹn.", dmy(finished)),
                format!(
                    "On time: the card was ready on {}, the promised date.",
                    dmy(finished)
                ),
            ),
        ),
        Timeliness::OnTime {
            finished,
            working_days_early,
        } => (
            false,
            Msg::new(
                format!(
                    "Đúng hạn: thẻ có ngày {}, sớm {working_days_early} ngày làm việc so với ngày hẹn.",
                    dmy(finished)
                ),
                format!(
                    "On time: the card was ready on {}, {working_days_early} working day(s) before the promised date.",
                    dmy(finished)
                ),
            ),
        ),
        Timeliness::Late {
            finished: Some(f),
            working_days_late,
            ..
        } => (
            true,
            Msg::new(
                format!(
                    "Trễ hạn: thẻ có ngày {}, chậm {working_days_late} ngày làm việc so với ngày hẹn.",
                    dmy(f)
                ),
                format!(
                    "Late: the card was ready on {}, {working_days_late} working day(s) after the promised date.",
                    dmy(f)
                ),
            ),
        ),
        Timeliness::Late {
            finished: None,
            working_days_late,
            calendar_days_late,
        } => (
            true,
            Msg::new(
                format!(
                    "Quá hạn: đã qua ngày hẹn {calendar_days_late} ngày ({working_days_late} ngày làm việc) mà thẻ chưa xong. Hãy gọi đường dây nóng của cơ quan tiếp nhận bên dưới."
                ),
                format!(
                    "Late: {calendar_days_late} day(s) ({working_days_late} working day(s)) past the promised date and the card is not ready. Please call the receiving office's hotline below."
                ),
            ),
        ),
        Timeliness::AtRisk { working_days_left } | Timeliness::Running { working_days_left } => (
            false,
            Msg::new(
                format!(
                    "Đang xử lý trong hạn: còn {working_days_left} ngày làm việc tới ngày hẹn."
                ),
                format!(
                    "In progress, on schedule: {working_days_left} working day(s) left until the promised date."
                ),
            ),
        ),
    }
}

/// `GET /tra-cuu/ma-xac-nhan/{id}/nghe.wav`: the spoken challenge,
/// synthesised now from the characters the challenge keeps (on a blocking
/// thread: it decodes the sound bank), counted per client.
pub(crate) async fn audio(
    State(app): State<Web>,
    ui: Ui,
    Caller(client): Caller,
    Path(id): Path<String>,
) -> Response {
    let spoken = match app.service().captcha_spoken(&id, client).await {
        Ok(Some(s)) => s,
        Ok(None) => {
            return PageError::new(
                &ui,
                StatusCode::NOT_FOUND,
                "Mã xác nhận dạng âm thanh này không còn: hãy mở lại trang tra cứu để nhận mã mới.",
                "This spoken security code is gone: open the lookup page again for a new one.",
            )
            .into_response();
        }
        Err(e) => return PageError::service(&ui, e).into_response(),
    };
    let wav = tokio::task::spawn_blocking(move || cancuoc_render::captcha::speak(&spoken)).await;
    match wav {
        Ok(Ok(wav)) => (
            [
                (header::CONTENT_TYPE, "audio/wav"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            Body::from(wav),
        )
            .into_response(),
        Ok(Err(e)) => PageError::server(
            &ui,
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("captcha audio: {e}"),
        )
        .into_response(),
        Err(e) => PageError::server(
            &ui,
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("captcha audio task: {e}"),
        )
        .into_response(),
    }
}

/// `GET /__test/captcha/{id}` (test hooks only): the answer, plain text.
pub(crate) async fn test_answer(State(app): State<Web>, Path(id): Path<String>) -> Response {
    match app.citizen().test_answers.get(&id) {
        Some(a) => ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], a).into_response(),
        None => (StatusCode::NOT_FOUND, "unknown challenge").into_response(),
    }
}
