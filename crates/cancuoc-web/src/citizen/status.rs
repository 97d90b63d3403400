//! `/tra-cuu`: where a dossier stands (tra cứu tình trạng hồ sơ), by the
//! code on the appointment slip and a captcha.
//!
//! Order of checks on a lookup: the client's rate limit; the dossier code
//! (length and Damm check digit, by `DossierCode::parse`) — a mistyped code
//! is answered before any lookup and without spending the captcha; the
//! captcha (wrong, expired, already used, unknown: each its own message);
//! then the lookup. Every form shown carries a new challenge. The result
//! shows the state, the dated stages of the event log (no officer names, no
//! notes), the promised date, on time or late, the office's name and
//! hotline and the citizen's masked name only.

use askama::Template;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::Form;
use axum_extra::extract::FormRejection;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::rules::Timeliness;
use cancuoc_service::{CaptchaCheck, ErrorClass, ServiceError};
use serde::Deserialize;

use super::captcha::{self, Challenge, Kind};
use super::{Msg, Peer, dmy, tel};
use crate::Web;
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
    promised: String,
    timeliness: Option<(bool, Msg)>,
    office_name: String,
    hotline: String,
    hotline_tel: String,
    masked_name: String,
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
            captcha_error: None,
            challenge: None,
            not_found: None,
            found: None,
        }
    }

    fn is_kind(&self, k: &str) -> bool {
        self.challenge.as_ref().is_some_and(|c| c.kind.code() == k)
    }

    /// A link to the form with another kind of challenge, keeping the code.
    fn kind_href(&self, k: &str) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("kieu", k);
        if !self.ma.is_empty() {
            q.append_pair("ma", &self.ma);
        }
        format!("/tra-cuu?{}", q.finish())
    }

    fn respond(self, status: StatusCode) -> Response {
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

fn kind_of(s: Option<&str>) -> Kind {
    match s {
        Some("nghe") => Kind::Audio,
        Some("chu") => Kind::Text,
        _ => Kind::Image,
    }
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
}

/// Takes one request from the client's bucket, or the 429 page.
fn limit(app: &Web, ui: &Ui, peer: Peer) -> Result<(), Box<Response>> {
    let now_ms = app.service().now().as_millisecond();
    app.citizen()
        .limiter
        .take(peer.0, now_ms)
        .map_err(|secs| {
            let mut res = PageError::new(
                ui,
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "Bạn đã tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau {secs} giây."
                ),
                format!("Too many lookups in a short time. Please try again in {secs} seconds."),
            )
            .into_response();
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Box::new(res)
        })
}

/// Renders the form (with a new challenge of `kind`) and whatever `page`
/// already says.
async fn with_form(app: &Web, mut page: StatusPage, kind: Kind, status: StatusCode) -> Response {
    match captcha::new_challenge(app, kind).await {
        Ok(c) => page.challenge = Some(c),
        Err(e) => return PageError::service(&page.ui, e).into_response(),
    }
    page.respond(status)
}

/// `GET /tra-cuu[?kieu=anh|nghe|chu][&ma=…]`: the form.
pub(crate) async fn form(
    State(app): State<Web>,
    ui: Ui,
    peer: Peer,
    Query(q): Query<FormQuery>,
) -> Response {
    if let Err(res) = limit(&app, &ui, peer) {
        return *res;
    }
    let mut page = StatusPage::new(ui);
    page.ma = q.ma.unwrap_or_default().chars().take(40).collect();
    with_form(&app, page, kind_of(q.kieu.as_deref()), StatusCode::OK).await
}

fn captcha_message(check: CaptchaCheck, kind: Kind) -> Msg {
    match check {
        CaptchaCheck::Wrong if kind == Kind::Text => Msg::new(
            "Câu trả lời chưa đúng. Hãy trả lời câu hỏi mới bên dưới (bằng chữ số).",
            "That answer is not right. Please answer the new question below (in digits).",
        ),
        CaptchaCheck::Wrong => Msg::new(
            "Mã xác nhận chưa đúng. Hãy nhập các ký tự của mã mới bên dưới (không phân biệt chữ hoa, chữ thường).",
            "The security code is not right. Please type the characters of the new code below (upper or lower case alike).",
        ),
        CaptchaCheck::Expired => Msg::new(
            format!(
                "Mã xác nhận đã hết hạn (mỗi mã chỉ dùng được trong {} phút). Hãy nhập mã mới bên dưới.",
                captcha::CHALLENGE_TTL_SECS / 60
            ),
            format!(
                "The security code has expired (each code lasts {} minutes). Please type the new code below.",
                captcha::CHALLENGE_TTL_SECS / 60
            ),
        ),
        CaptchaCheck::Used => Msg::new(
            "Mã xác nhận này đã được dùng (mỗi mã chỉ dùng một lần). Hãy nhập mã mới bên dưới.",
            "This security code was already used (each code works once). Please type the new code below.",
        ),
        CaptchaCheck::Unknown | CaptchaCheck::Solved => Msg::new(
            "Không tìm thấy mã xác nhận của biểu mẫu này. Hãy nhập mã mới bên dưới.",
            "The security code of this form was not found. Please type the new code below.",
        ),
    }
}

/// `POST /tra-cuu`: checks the code, then the captcha, then looks up.
pub(crate) async fn lookup(
    State(app): State<Web>,
    ui: Ui,
    peer: Peer,
    form: Result<Form<LookupForm>, FormRejection>,
) -> Response {
    if let Err(res) = limit(&app, &ui, peer) {
        return *res;
    }
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
    // 1. The code, before anything is looked up or spent.
    let code = match DossierCode::parse(&f.ma) {
        Ok(c) => c,
        Err(e) => {
            let m = Msg::of(&e);
            page.ma_error = Some(Msg::new(
                format!("{}. Mã xác nhận chưa bị dùng.", m.vi),
                format!("{}. Your security code was not used.", m.en),
            ));
            return with_form(&app, page, kind, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
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
            return with_form(&app, page, kind, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Some(other) => {
            page.captcha_error = Some(captcha_message(other, kind));
            return with_form(&app, page, kind, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    }
    // 3. The lookup.
    match found(&app, code).await {
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
            with_form(&app, page, kind, StatusCode::NOT_FOUND).await
        }
        Err(e) => PageError::service(&page.ui, e).into_response(),
    }
}

/// The public view of a dossier: status row, event log, timeliness.
async fn found(app: &Web, code: DossierCode) -> Result<Found, ServiceError> {
    let d = app.service().public_dossier(code).await?;
    let s = d.status;
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
        promised: dmy(s.promised_on),
        timeliness: d.timeliness.map(timeliness),
        hotline_tel: tel(&s.office_hotline),
        office_name: s.office_name,
        hotline: s.office_hotline,
        masked_name: s.masked_name,
    })
}

/// On time or late, in words; `true` when late.
fn timeliness(t: Timeliness) -> (bool, Msg) {
    match t {
        Timeliness::OnTime {
            finished,
            working_days_early,
        } => (
            false,
            Msg::new(
                format!(
                    "Đúng hạn: thẻ đã xong ngày {}, sớm {working_days_early} ngày làm việc so với ngày hẹn.",
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
                    "Trễ hạn: thẻ xong ngày {}, chậm {working_days_late} ngày làm việc so với ngày hẹn.",
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

/// `GET /tra-cuu/ma-xac-nhan/{id}/nghe.wav`: the spoken challenge.
pub(crate) async fn audio(State(app): State<Web>, ui: Ui, Path(id): Path<String>) -> Response {
    match app.service().captcha_audio(&id).await {
        Ok(Some(wav)) => (
            [
                (header::CONTENT_TYPE, "audio/wav"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            Body::from(wav),
        )
            .into_response(),
        Ok(None) => PageError::new(
            &ui,
            StatusCode::NOT_FOUND,
            "Mã xác nhận dạng âm thanh này không còn: hãy mở lại trang tra cứu để nhận mã mới.",
            "This spoken security code is gone: open the lookup page again for a new one.",
        )
        .into_response(),
        Err(e) => PageError::service(&ui, e).into_response(),
    }
}

/// `GET /__test/captcha/{id}` (test hooks only): the answer, plain text.
pub(crate) async fn test_answer(State(app): State<Web>, Path(id): Path<String>) -> Response {
    match app.citizen().test_answers.get(&id) {
        Some(a) => ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], a).into_response(),
        None => (StatusCode::NOT_FOUND, "unknown challenge").into_response(),
    }
}
