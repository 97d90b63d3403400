//! `/xac-nhan-so-cmnd`: a citizen asks for the confirmation of an old CMND
//! number (đề nghị cấp Giấy xác nhận số Chứng minh nhân dân; Circular
//! 59/2021/TT-BCA, Art. 12 as seed 004 §5 cites it).
//!
//! Two steps in one page without script: the province (a GET form, which
//! lists that province's receiving offices), then the request: office,
//! personal ID, full name, date of birth, the old number (9 or 12 digits)
//! and a captcha. Fields are read as people type them (spaces in numbers,
//! `15-3-1990`): `ConfirmationRequest::checked`, the one rule of every
//! front end; every bad field is named beside its input and in the summary
//! on top, in the page's language, and the captcha is not spent then. The
//! service spends the captcha and counts the client as a booking would;
//! the answer is the request's code (which the ordinary status lookup
//! `/tra-cuu` answers), its due date and the office — the same whether or
//! not the number is on record: the office checks it.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cancuoc_service::{
    Client, ConfirmationForm, ConfirmationRequest, ErrorClass, FieldProblem, Presence, ServiceError,
};

use super::captcha::{self, Challenge, Kind, kind_of};
use super::{Msg, dmy, tel};
use crate::Web;
use crate::booking::fields::{Errors, FieldMsg, Fields};
use crate::booking::province::province_label;
use crate::client::Caller;
use crate::error::PageError;
use crate::ui::Ui;

/// The page's path.
pub(crate) const PATH: &str = "/xac-nhan-so-cmnd";

/// One `<option>`.
pub(crate) struct Opt {
    value: String,
    label: String,
    selected: bool,
}

/// What the page answers once the request is kept.
pub(crate) struct Done {
    code: String,
    code_digits: String,
    promised: Msg,
    office_name: String,
    hotline: String,
    hotline_tel: String,
    basis: String,
}

/// `GET/POST /xac-nhan-so-cmnd`.
#[derive(Template, WebTemplate)]
#[template(path = "citizen/confirmation.html")]
pub(crate) struct ConfirmPage {
    ui: Ui,
    provinces: Vec<Opt>,
    province: Option<u16>,
    offices: Vec<Opt>,
    personal_id: String,
    full_name: String,
    dob: String,
    old_number: String,
    errors: Errors,
    captcha_error: Option<Msg>,
    challenge: Option<Challenge>,
    done: Option<Done>,
}

impl ConfirmPage {
    fn is_kind(&self, k: &str) -> bool {
        self.challenge.as_ref().is_some_and(|c| c.kind.code() == k)
    }

    fn kind_switch_in_form(&self) -> bool {
        false
    }

    fn kind_href(&self, k: &str) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("kieu", k);
        if let Some(p) = self.province {
            q.append_pair("tinh", &p.to_string());
        }
        format!("{PATH}?{}", q.finish())
    }
}

/// The form field of a service field name.
fn form_field(service_field: &str) -> &'static str {
    match service_field {
        "office" => "don_vi",
        "personal_id" => "so_dinh_danh",
        "full_name" => "ho_ten",
        "date_of_birth" => "ngay_sinh",
        "old_number" => "so_cmnd",
        _ => "",
    }
}

fn push_problem(errors: &mut Errors, p: &FieldProblem) {
    errors.push(FieldMsg::new(
        form_field(p.field),
        p.message_vi.clone(),
        p.message_en.clone(),
    ));
}

/// The page for `province` (its offices, `office` selected), with what
/// was typed in `f` and a new challenge of `kind`.
async fn page(
    app: &Web,
    ui: Ui,
    f: &Fields,
    kind: Kind,
    client: Client,
) -> Result<ConfirmPage, PageError> {
    let svc = app.service();
    let province: Option<u16> = f.get("tinh").parse().ok();
    let office: Option<u16> = f.get("don_vi").parse().ok();
    let provinces = svc
        .booking_provinces()
        .into_iter()
        .map(|o| Opt {
            value: o.code.to_string(),
            label: province_label(&o.name),
            selected: Some(o.code) == province,
        })
        .collect();
    let offices = match province {
        Some(p) => svc
            .confirmation_offices()
            .into_iter()
            .filter(|o| svc.offices().is_within(o.code, p))
            .map(|o| Opt {
                value: o.code.to_string(),
                selected: Some(o.code) == office,
                label: o.name,
            })
            .collect(),
        None => Vec::new(),
    };
    let challenge = captcha::new_challenge(app, kind, client)
        .await
        .map_err(|e| PageError::service(&ui, e))?;
    Ok(ConfirmPage {
        errors: Errors::new(&ui),
        ui,
        provinces,
        province,
        offices,
        personal_id: f.get("so_dinh_danh").to_owned(),
        full_name: f.get("ho_ten").to_owned(),
        dob: f.get("ngay_sinh").to_owned(),
        old_number: f.get("so_cmnd").to_owned(),
        captcha_error: None,
        challenge: Some(challenge),
        done: None,
    })
}

/// `GET /xac-nhan-so-cmnd[?tinh=…][&kieu=…]`: the form.
pub(crate) async fn form(
    State(app): State<Web>,
    ui: Ui,
    Caller(client): Caller,
    RawQuery(q): RawQuery,
) -> Result<ConfirmPage, PageError> {
    let f = Fields::parse(q.unwrap_or_default().as_bytes());
    let kind = kind_of(Some(f.get("kieu")));
    page(&app, ui, &f, kind, client).await
}

/// `POST /xac-nhan-so-cmnd`: checks every field, then asks the service
/// (captcha, rate, office); the answer, or the form again with the
/// messages (422) and a new challenge.
pub(crate) async fn submit(
    State(app): State<Web>,
    ui: Ui,
    Caller(client): Caller,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let kind = kind_of(Some(f.get("kieu")));
    let again = |errors: Errors, captcha_error: Option<Msg>, status: StatusCode| {
        let app = app.clone();
        let ui = ui.clone();
        let f = f.clone();
        async move {
            match page(&app, ui, &f, kind, client).await {
                Ok(mut p) => {
                    p.errors = errors;
                    p.captcha_error = captcha_error;
                    (status, p).into_response()
                }
                Err(e) => e.into_response(),
            }
        }
    };
    let form = ConfirmationForm {
        office: f.get("don_vi"),
        personal_id: f.get("so_dinh_danh"),
        full_name: f.get("ho_ten"),
        date_of_birth: f.get("ngay_sinh"),
        old_number: f.get("so_cmnd"),
    };
    let mut errors = Errors::new(&ui);
    let req = match ConfirmationRequest::checked(&form, app.service().today()) {
        Ok(r) if r.office.is_some() => r,
        Ok(_) => {
            errors.push(FieldMsg::new(
                "don_vi",
                "Hãy chọn nơi tiếp nhận yêu cầu.",
                "Choose the office to receive the request.",
            ));
            return again(errors, None, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Err(problems) => {
            // The office is the form's first field: named with the others,
            // not only once they are right.
            if form.office.trim().is_empty() {
                errors.push(FieldMsg::new(
                    "don_vi",
                    "Hãy chọn nơi tiếp nhận yêu cầu.",
                    "Choose the office to receive the request.",
                ));
            }
            for p in &problems {
                push_problem(&mut errors, p);
            }
            return again(errors, None, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    if f.get("captcha").is_empty() {
        let m = Msg::new("Hãy nhập mã xác nhận.", "Please type the security code.");
        return again(errors, Some(m), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let svc = app.service();
    let presence = Presence::Captcha {
        id: f.get("challenge"),
        answer: f.get("captcha"),
    };
    match svc.request_confirmation(req, presence, client).await {
        Ok(c) => {
            let office = svc.office(c.office).await.ok();
            let basis = svc
                .confirmation_deadline(c.received_on)
                .ok()
                .and_then(|d| {
                    d.basis
                        .first()
                        .map(|b| format!("{}, {}", b.article, b.document))
                })
                .unwrap_or_default();
            let (wd_vi, wd_en) = crate::booking::weekday_names(c.promised_on);
            let (office_name, hotline) =
                office.map_or_else(|| (String::new(), String::new()), |o| (o.name, o.hotline));
            let done = Done {
                code: c.code.grouped(),
                code_digits: c.code.to_string(),
                promised: Msg::new(
                    format!("{wd_vi} {}", dmy(c.promised_on)),
                    format!("{wd_en} {}", dmy(c.promised_on)),
                ),
                hotline_tel: tel(&hotline),
                office_name,
                hotline,
                basis,
            };
            let mut p = match page(&app, ui.clone(), &Fields::default(), kind, client).await {
                Ok(p) => p,
                Err(e) => return e.into_response(),
            };
            p.challenge = None;
            p.done = Some(done);
            (StatusCode::OK, p).into_response()
        }
        Err(ServiceError::Captcha(check)) => {
            let m = captcha::captcha_message(check, kind);
            again(errors, Some(m), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(ServiceError::Invalid {
            field,
            reason_vi,
            reason_en,
        }) => {
            errors.push(FieldMsg::new(form_field(field), reason_vi, reason_en));
            again(errors, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) if e.class() == ErrorClass::Invalid => {
            errors.push(FieldMsg::new(
                "",
                cancuoc_core::i18n::Localized::message_vi(&e),
                cancuoc_core::i18n::Localized::message_en(&e),
            ));
            again(errors, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => PageError::service(&ui, e).into_response(),
    }
}
