//! The reception desk (bàn tiếp nhận, `/can-bo/tiep-nhan`): find the
//! citizen by personal ID, or by name (diacritics and case do not matter:
//! the store's search key; any word may start it, so the given name — tên —
//! alone finds the citizen) and date of birth, the page saying how many
//! matched and, when it lists fewer, asking for the date of birth; register a citizen who is
//! not found (pre-filled from an appointment's online declaration with
//! `?booking=CODE`); then open the dossier (`applicant` page,
//! `/can-bo/tiep-nhan/cong-dan/{ref}`): kind and reason, exemptions, the
//! fee with its legal basis (a preview before the dossier exists, then the
//! dossier page), and the citizen's consent to be told of each stage
//! (đồng ý nhận thông báo: a mobile number, prefilled from the appointment
//! or the citizen's record, and SMS or Zalo).
//!
//! Every read and write goes through the service with the same rules as
//! the REST API: a citizen is read within the officer's scope (a reception
//! desk reads the citizen whose number it is given; a name search lists
//! only the citizens with an open dossier the officer may read), each read
//! audited with its purpose (`reception`, `search`, `open_dossier`); the
//! registration is checked by the service's one rule
//! (`CitizenRegistration::checked`). The applicant page is addressed by an
//! opaque reference the service made for the officer (`Service::citizen_ref`),
//! never by the sequential record id.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use cancuoc_core::channel::Channel as NotifyChannel;
use cancuoc_core::i18n::Localized;
use cancuoc_core::id::{PersonalId, mask};
use cancuoc_core::person::Sex;
use cancuoc_core::phone::PhoneNumber;
use cancuoc_core::rules::{Channel, Exemption, ExemptionRefusal, IssueKind, Reason, RulesError};
use cancuoc_service::model::{Citizen, FieldProvenance, NewCitizen, ReadPurpose};
use serde::Deserialize;

use super::forms::{FieldErrors, form_key, parse_dob, show_dob, show_vnd};
use super::session::Session;
use crate::Web;
use crate::error::{PageError, status_of};
use crate::ui::Ui;
use cancuoc_service::model::Officer;
use cancuoc_service::{
    CitizenKey, CitizenRef, CitizenRegistration, CitizenSearch, ErrorClass, FeeQuote, FieldProblem,
    NameMatch, NotifyChoice, OpenDossier, Service, ServiceError,
};

/// Most citizens listed for one search.
const SEARCH_LIMIT: u32 = 20;

/// A citizen as listed at the desk.
pub(crate) struct Found {
    /// The officer's opaque reference to the record (the applicant page's
    /// link; see `Service::citizen_ref`).
    pub handle: String,
    /// Họ và tên.
    pub name: String,
    /// The 12-digit number, shown in full to the officer (never logged).
    pub personal_id: String,
    /// dd/mm/yyyy.
    pub dob: String,
    /// Nam / Nữ.
    pub sex: Sex,
    /// Nơi thường trú.
    pub residence: String,
}

impl Found {
    /// The citizen as shown (no link: see [`Found::linked`]).
    pub(crate) fn of(c: &Citizen) -> Self {
        Self {
            handle: String::new(),
            name: c.full_name.clone(),
            personal_id: c
                .personal_id
                .as_ref()
                .map_or_else(String::new, |p| p.as_str().to_owned()),
            dob: show_dob(&c.dob),
            sex: c.sex,
            residence: c.permanent_residence.clone(),
        }
    }

    /// The citizen with the officer's reference for the applicant page.
    pub(crate) fn linked(svc: &Service, officer: &Officer, c: &Citizen) -> Self {
        Self {
            handle: svc.citizen_ref(officer, c).to_string(),
            ..Self::of(c)
        }
    }
}

/// The search fields (`GET /can-bo/tiep-nhan?so=…` or `?ten=…&ngay_sinh=…`).
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct DeskQuery {
    /// Số định danh cá nhân.
    #[serde(default)]
    pub so: String,
    /// Họ và tên.
    #[serde(default)]
    pub ten: String,
    /// Ngày sinh.
    #[serde(default)]
    pub ngay_sinh: String,
    /// An appointment's code, to pre-fill from its declaration.
    #[serde(default)]
    pub booking: String,
}

/// The registration form's fields (đăng ký công dân).
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct CitizenForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub ho_ten: String,
    #[serde(default)]
    pub ngay_sinh: String,
    #[serde(default)]
    pub gioi_tinh: String,
    #[serde(default)]
    pub so_dinh_danh: String,
    #[serde(default)]
    pub ma_khai_sinh: String,
    #[serde(default)]
    pub noi_khai_sinh: String,
    #[serde(default)]
    pub que_quan: String,
    #[serde(default)]
    pub thuong_tru: String,
    #[serde(default)]
    pub tam_tru: String,
    #[serde(default)]
    pub quoc_tich: String,
    #[serde(default)]
    pub dan_toc: String,
    #[serde(default)]
    pub ton_giao: String,
    #[serde(default)]
    pub dien_thoai: String,
    #[serde(default)]
    pub booking: String,
}

/// `GET /can-bo/tiep-nhan`.
#[derive(Template, WebTemplate)]
#[template(path = "console/reception.html")]
pub(crate) struct Desk {
    ui: Ui,
    session: Session,
    q: DeskQuery,
    /// Whether a search ran (results, or "not found").
    searched: bool,
    found: Vec<Found>,
    /// How many matched the name search in all (more than `found` when the
    /// list was cut at [`SEARCH_LIMIT`]).
    total: u64,
    /// The name search was held to the officer's scope (not everyone).
    within_scope: bool,
    search_errors: FieldErrors,
    form: CitizenForm,
    form_errors: FieldErrors,
    /// The appointment the form was pre-filled from.
    prefilled_from: Option<String>,
    /// Whether that appointment has an online declaration (otherwise only
    /// its name, phone and ID were filled in).
    declared: bool,
    /// An appointment code was given but no such appointment exists.
    booking_missing: bool,
}

/// A text field of the registration form: name, Vietnamese and English
/// label, value, `autocomplete`.
type TextField<'a> = (
    &'static str,
    &'static str,
    &'static str,
    &'a str,
    &'static str,
);

impl Desk {
    /// What the name search found, in the page's language: how many
    /// matched, and when the list was cut, how many are shown and what
    /// narrows it (the date of birth, or else a fuller name).
    fn count_line(&self) -> String {
        let shown = self.found.len();
        let total = self.total.max(shown as u64);
        let en = self.ui.is_en();
        let mut line = if en {
            format!(
                "{total} citizen{} match{}",
                if total == 1 { "" } else { "s" },
                if total == 1 { "es" } else { "" }
            )
        } else {
            format!("{total} công dân khớp")
        };
        if total > shown as u64 {
            let narrow = match (en, self.q.ngay_sinh.trim().is_empty()) {
                (false, true) => "Hãy nhập ngày sinh để thu hẹp.",
                (false, false) => "Hãy nhập họ tên đầy đủ hơn để thu hẹp.",
                (true, true) => "Add the date of birth to narrow the search.",
                (true, false) => "Type more of the name to narrow the search.",
            };
            if en {
                line.push_str(&format!("; showing the first {shown}. {narrow}"));
            } else {
                line.push_str(&format!("; đang hiện {shown} người đầu tiên. {narrow}"));
            }
        } else {
            line.push('.');
        }
        line
    }

    fn register_fields(&self) -> Vec<TextField<'_>> {
        let f = &self.form;
        vec![
            (
                "ho_ten",
                "Họ, chữ đệm và tên",
                "Full name",
                &f.ho_ten,
                "name",
            ),
            (
                "ngay_sinh",
                "Ngày sinh (dd/mm/yyyy; thiếu ngày: mm/yyyy hoặc yyyy)",
                "Date of birth (dd/mm/yyyy; partial: mm/yyyy or yyyy)",
                &f.ngay_sinh,
                "off",
            ),
            (
                "so_dinh_danh",
                "Số định danh cá nhân (nếu đã có)",
                "Personal ID number (if any)",
                &f.so_dinh_danh,
                "off",
            ),
            (
                "ma_khai_sinh",
                "Mã nơi đăng ký khai sinh (khi chưa có số: tỉnh 001–096, quốc gia 101–295)",
                "Birth registration code (without a number: province 001–096, country 101–295)",
                &f.ma_khai_sinh,
                "off",
            ),
            (
                "noi_khai_sinh",
                "Nơi đăng ký khai sinh",
                "Place of birth registration",
                &f.noi_khai_sinh,
                "off",
            ),
            (
                "que_quan",
                "Quê quán",
                "Place of origin",
                &f.que_quan,
                "off",
            ),
            (
                "thuong_tru",
                "Nơi thường trú",
                "Permanent residence",
                &f.thuong_tru,
                "off",
            ),
            (
                "tam_tru",
                "Nơi ở hiện tại / tạm trú (nếu khác)",
                "Current residence (if different)",
                &f.tam_tru,
                "off",
            ),
            ("quoc_tich", "Quốc tịch", "Nationality", &f.quoc_tich, "off"),
            ("dan_toc", "Dân tộc", "Ethnicity", &f.dan_toc, "off"),
            ("ton_giao", "Tôn giáo", "Religion", &f.ton_giao, "off"),
            (
                "dien_thoai",
                "Số điện thoại",
                "Phone number",
                &f.dien_thoai,
                "tel",
            ),
        ]
    }
}

async fn desk(
    State(app): State<Web>,
    session: Session,
    Query(q): Query<DeskQuery>,
) -> Result<Desk, PageError> {
    let ui = session.ui.clone();
    let mut form = CitizenForm::with_defaults();
    let mut q = q;
    let mut prefilled_from = None;
    let mut booking_missing = false;
    let mut declared = false;
    if !q.booking.trim().is_empty() {
        let prefill = match crate::booking::canonical_code(&q.booking) {
            Some(code) => app
                .service()
                .reception_prefill(&session.officer, &code)
                .await
                .map_err(|e| PageError::service(&ui, e))?,
            None => None,
        };
        match prefill {
            Some(p) => {
                form = CitizenForm::prefilled(&p);
                // Look the declared person up at once.
                if q.so.trim().is_empty() && q.ten.trim().is_empty() {
                    let id = match &p.declaration {
                        Some(d) => d.personal_id.clone(),
                        None => p.booking.personal_id.clone(),
                    };
                    match id {
                        Some(id) => q.so = id,
                        None => {
                            q.ten = form.ho_ten.clone();
                            q.ngay_sinh = form.ngay_sinh.clone();
                        }
                    }
                }
                // Carry the canonical code on (search forms, applicant
                // links), so opening the dossier marks it received.
                q.booking = p.booking.code.clone();
                prefilled_from = Some(p.booking.code.clone());
                declared = p.declaration.is_some();
            }
            None => {
                booking_missing = true;
                q.booking = String::new();
            }
        }
    }
    let mut search_errors = FieldErrors::default();
    let mut found = Vec::new();
    let mut searched = false;
    let mut within_scope = false;
    let mut total = 0;
    let svc = app.service();
    let me = &session.officer;
    if !q.so.trim().is_empty() {
        match PersonalId::parse(q.so.trim()) {
            Err(e) => search_errors.add_localized("so", &e),
            Ok(pid) => {
                searched = true;
                match svc
                    .citizen_for(me, &CitizenKey::PersonalId(pid), ReadPurpose::Reception)
                    .await
                {
                    Ok(c) => found.push(Found::linked(svc, me, &c)),
                    Err(e) if e.class() == ErrorClass::NotFound => {
                        if form.so_dinh_danh.is_empty() {
                            form.so_dinh_danh = pid.as_str().to_owned();
                        }
                    }
                    Err(e) => return Err(PageError::service(&ui, e)),
                }
            }
        }
    } else if !q.ten.trim().is_empty() {
        let dob = if q.ngay_sinh.trim().is_empty() {
            Ok(None)
        } else {
            parse_dob(&q.ngay_sinh).map(Some)
        };
        match dob {
            Err(e) => search_errors.add_localized("ngay_sinh_tim", &e),
            Ok(dob) => {
                searched = true;
                let list = svc
                    .search_citizens_for(
                        me,
                        &CitizenSearch {
                            name: q.ten.clone(),
                            dob,
                            matching: NameMatch::Words,
                            limit: SEARCH_LIMIT,
                        },
                        ReadPurpose::Search,
                    )
                    .await
                    .map_err(|e| PageError::service(&ui, e))?;
                within_scope = list.within_scope;
                total = list.total;
                found.extend(list.citizens.iter().map(|c| Found::linked(svc, me, c)));
                if found.is_empty() && form.ho_ten.is_empty() {
                    form.ho_ten = q.ten.trim().to_owned();
                    form.ngay_sinh = q.ngay_sinh.trim().to_owned();
                }
            }
        }
    }
    Ok(Desk {
        ui,
        session,
        q,
        searched,
        found,
        total,
        within_scope,
        search_errors,
        form,
        form_errors: FieldErrors::default(),
        prefilled_from,
        declared,
        booking_missing,
    })
}

fn parse_sex(s: &str) -> Option<Sex> {
    Sex::parse(s).ok()
}

fn optional(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// The registration form's field for a field of the service's rule.
fn form_field(api: &str) -> &'static str {
    match api {
        "full_name" => "ho_ten",
        "dob" => "ngay_sinh",
        "sex" => "gioi_tinh",
        "personal_id" => "so_dinh_danh",
        "birth_registration_code" => "ma_khai_sinh",
        "birth_registration" => "noi_khai_sinh",
        "place_of_origin" => "que_quan",
        "permanent_residence" => "thuong_tru",
        "temporary_residence" => "tam_tru",
        "nationality" => "quoc_tich",
        "ethnicity" => "dan_toc",
        "religion" => "ton_giao",
        "phone" => "dien_thoai",
        _ => "",
    }
}

/// Reads the registration form and checks it by the service's rule
/// (`CitizenRegistration::checked`, the API's too); every problem is
/// reported next to its field at once. What only a form has — the date as
/// officers type it, the sex buttons, the number's digits, the birth
/// registration code — is read here; when the date or the sex cannot be
/// read, the rule still checks every other field, and its verdicts that
/// depend on them (the date, the number against them) are left out.
fn read_citizen(
    f: &CitizenForm,
    today: jiff::civil::Date,
) -> Result<CitizenRegistration, FieldErrors> {
    let mut errs = FieldErrors::default();
    let dob = match parse_dob(&f.ngay_sinh) {
        Ok(d) => Some(d),
        Err(e) => {
            errs.add_localized("ngay_sinh", &e);
            None
        }
    };
    let sex = parse_sex(&f.gioi_tinh);
    if sex.is_none() {
        errs.add("gioi_tinh", "Hãy chọn giới tính.", "Choose the sex.");
    }
    let personal_id = match optional(&f.so_dinh_danh) {
        None => None,
        Some(s) => match PersonalId::parse(&s) {
            Ok(p) => Some(p),
            Err(e) => {
                errs.add_localized("so_dinh_danh", &e);
                None
            }
        },
    };
    let region = match optional(&f.ma_khai_sinh) {
        None => None,
        Some(s) => match s.parse::<u16>() {
            Ok(n) if (1..=295).contains(&n) => Some(n),
            _ => {
                errs.add(
                    "ma_khai_sinh",
                    format!("Mã nơi đăng ký khai sinh {s:?} không hợp lệ: cần mã tỉnh 001–096 hoặc mã quốc gia 101–295."),
                    format!("Birth registration code {s:?} is invalid: expected a province code 001–096 or a country code 101–295."),
                );
                None
            }
        },
    };
    let readable = dob.is_some() && sex.is_some();
    let reg = CitizenRegistration {
        citizen: NewCitizen {
            personal_id,
            full_name: f.ho_ten.clone(),
            // Stand-ins when unreadable: their verdicts are left out below.
            dob: dob.unwrap_or(cancuoc_core::person::PartialDate::Year(today.year())),
            sex: sex.unwrap_or(Sex::Male),
            nationality: optional(&f.quoc_tich).unwrap_or_else(|| "Việt Nam".into()),
            ethnicity: optional(&f.dan_toc).unwrap_or_else(|| "Kinh".into()),
            religion: optional(&f.ton_giao).unwrap_or_else(|| "Không".into()),
            place_of_origin: f.que_quan.clone(),
            birth_registration: f.noi_khai_sinh.clone(),
            permanent_residence: f.thuong_tru.clone(),
            temporary_residence: optional(&f.tam_tru),
            phone: optional(&f.dien_thoai),
            old_cmnd: Vec::new(),
            // The service records the registering officer instead.
            provenance: FieldProvenance::all_verified("reception"),
        },
        birth_registration_code: if personal_id.is_some() { None } else { region },
    };
    let number_typed = !f.so_dinh_danh.trim().is_empty() || !f.ma_khai_sinh.trim().is_empty();
    let checked = reg.checked(today);
    if let Err(problems) = &checked {
        for p in problems {
            let depends_on_dob_or_sex = matches!(p.field, "dob" | "personal_id");
            let already_said = p.field == "birth_registration_code"
                && number_typed
                && (errs.has("so_dinh_danh") || errs.has("ma_khai_sinh"));
            if (readable || !depends_on_dob_or_sex) && !already_said {
                add_problem(&mut errs, p);
            }
        }
    }
    match checked {
        Ok(reg) if errs.is_empty() => Ok(reg),
        _ => Err(errs),
    }
}

/// Shows a problem of the service's rule beside its form field.
fn add_problem(errs: &mut FieldErrors, p: &FieldProblem) {
    errs.add_localized(form_field(p.field), p);
}

/// The registration form's field a service error is about.
fn field_of(e: &ServiceError) -> &'static str {
    match e {
        ServiceError::Store(s) if s.is_duplicate() => "so_dinh_danh",
        ServiceError::Field(p) => form_field(p.field),
        ServiceError::Invalid { field, .. } => form_field(field),
        _ => "",
    }
}

async fn register(
    State(app): State<Web>,
    session: Session,
    Form(f): Form<CitizenForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let ui = session.ui.clone();
    let again = |session: Session, f: CitizenForm, errs: FieldErrors, status: StatusCode| {
        let page = Desk {
            ui: session.ui.clone(),
            session,
            q: DeskQuery::default(),
            searched: false,
            found: Vec::new(),
            total: 0,
            within_scope: false,
            search_errors: FieldErrors::default(),
            // The hidden field still carries the appointment on.
            prefilled_from: None,
            declared: false,
            booking_missing: false,
            form: f,
            form_errors: errs,
        };
        Ok((status, page).into_response())
    };
    let reg = match read_citizen(&f, app.service().today()) {
        Ok(r) => r,
        Err(errs) => return again(session, f, errs, StatusCode::UNPROCESSABLE_ENTITY),
    };
    match app
        .service()
        .register_citizen(Some(&session.officer), reg)
        .await
    {
        Ok(c) => {
            let to = format!(
                "/can-bo/tiep-nhan/cong-dan/{}?moi=1{}",
                app.service().citizen_ref(&session.officer, &c),
                booking_param(&f.booking, "&")
            );
            Ok((StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response())
        }
        Err(e) if e.is_forbidden() => Err(PageError::service(&ui, e)),
        Err(e) => {
            let field = field_of(&e);
            let status = status_of(e.class());
            if status.is_server_error() {
                return Err(PageError::service(&ui, e));
            }
            let mut errs = FieldErrors::default();
            if e.is_duplicate() {
                errs.add(
                    field,
                    "Số định danh này đã có trong hệ thống: hãy tìm công dân theo số này.",
                    "This personal ID is already registered: search for the citizen by it.",
                );
            } else {
                errs.add_localized(field, &e);
            }
            again(session, f, errs, status)
        }
    }
}

/// The open-dossier form's fields (lập hồ sơ).
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct OpenForm {
    #[serde(default)]
    pub csrf: String,
    /// Loại cấp (empty: the kind the reason calls for).
    #[serde(default)]
    pub loai: String,
    /// Lý do.
    #[serde(default)]
    pub ly_do: String,
    /// Đối tượng miễn lệ phí (repeated).
    #[serde(default)]
    pub mien: Vec<String>,
    /// Giấy tờ chứng minh đối tượng miễn đã xem (title, number, date),
    /// for an exemption that needs one.
    #[serde(default)]
    pub giay_to_mien: String,
    /// Ghi chú.
    #[serde(default)]
    pub ghi_chu: String,
    /// `tinh_phi` (preview the fee) or `lap_ho_so` (open the dossier).
    #[serde(default)]
    pub hanh_dong: String,
    /// The appointment the citizen came with (mã lịch hẹn), marked
    /// received once the dossier is open.
    #[serde(default)]
    pub booking: String,
    /// The form's idempotency key, drawn when the page was shown: a
    /// double submit, or Back and submit again, opens the dossier once.
    #[serde(default)]
    pub khoa: String,
    /// `1` when the citizen agrees to be notified of the dossier's stages.
    #[serde(default)]
    pub thong_bao: String,
    /// The mobile number the notifications go to.
    #[serde(default)]
    pub tb_dien_thoai: String,
    /// `sms` or `zalo`.
    #[serde(default)]
    pub tb_kenh: String,
}

impl OpenForm {
    /// The consent box is ticked.
    pub(crate) fn notify_checked(&self) -> bool {
        !self.thong_bao.trim().is_empty()
    }

    /// The notification channel chosen (SMS unless Zalo was).
    pub(crate) fn notify_zalo(&self) -> bool {
        self.tb_kenh == NotifyChannel::Zalo.code()
    }
}

/// The citizen's consent of the form: `None` when the box is not ticked;
/// a number that is not a Vietnamese mobile number, or a channel other
/// than SMS and Zalo, is an error beside its field.
fn read_notify(f: &OpenForm) -> Result<Option<NotifyChoice>, FieldErrors> {
    if !f.notify_checked() {
        return Ok(None);
    }
    let mut errs = FieldErrors::default();
    let channel = match f.tb_kenh.trim() {
        "" | "sms" => Some(NotifyChannel::Sms),
        "zalo" => Some(NotifyChannel::Zalo),
        other => {
            errs.add(
                "tb_kenh",
                format!("Kênh nhận thông báo “{other}” không hợp lệ: hãy chọn SMS hoặc Zalo."),
                format!("“{other}” is not a notification channel: choose SMS or Zalo."),
            );
            None
        }
    };
    let phone = if f.tb_dien_thoai.trim().is_empty() {
        errs.add(
            "tb_dien_thoai",
            "Hãy nhập số điện thoại di động nhận thông báo, hoặc bỏ chọn ô “Công dân đồng ý nhận thông báo”.",
            "Type the mobile number for the notifications, or untick “The citizen agrees to be notified”.",
        );
        None
    } else {
        match PhoneNumber::parse(&f.tb_dien_thoai) {
            Ok(p) => Some(p),
            Err(e) => {
                errs.add(
                    "tb_dien_thoai",
                    format!("Số điện thoại nhận thông báo: {}", e.message_vi()),
                    format!("Notification phone number: {}", e.message_en()),
                );
                None
            }
        }
    };
    match (phone, channel) {
        (Some(phone), Some(channel)) if errs.is_empty() => {
            Ok(Some(NotifyChoice { phone, channel }))
        }
        _ => Err(errs),
    }
}

/// The consent's form field a service error is about.
fn notify_field(e: &ServiceError) -> Option<&'static str> {
    let field = match e {
        ServiceError::Invalid { field, .. } => *field,
        ServiceError::Field(p) => p.field,
        _ => return None,
    };
    match field {
        "notify.channel" => Some("tb_kenh"),
        f if f.starts_with("notify") => Some("tb_dien_thoai"),
        _ => None,
    }
}

/// The number the consent box is prefilled with: the appointment's, else
/// the citizen's record's (when it is a mobile number).
async fn notify_phone(app: &Web, session: &Session, c: &Citizen, booking: &str) -> String {
    if let Some(code) = crate::booking::canonical_code(booking) {
        match app
            .service()
            .reception_prefill(&session.officer, &code)
            .await
        {
            Ok(Some(p)) if !p.booking.phone.trim().is_empty() => return p.booking.phone,
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e.chain(), "the appointment's phone could not be read")
            }
        }
    }
    c.phone
        .as_deref()
        .and_then(|p| PhoneNumber::parse(p).ok())
        .map_or_else(String::new, |p| p.as_str().to_owned())
}

/// A fee computed before the dossier exists.
pub(crate) struct FeePreview {
    /// The kind the fee is for.
    pub kind: IssueKind,
    /// `70.000 đ`.
    pub amount: String,
    /// Why, in Vietnamese.
    pub explanation_vi: String,
    /// Why, in English.
    pub explanation_en: String,
    /// `document, article` lines.
    pub basis: Vec<String>,
}

/// `GET /can-bo/tiep-nhan/cong-dan/{ref}`: the applicant and the form that
/// opens their dossier; `ref` is the officer's opaque reference to the
/// record (another officer's, a record id or a guess is not found).
#[derive(Template, WebTemplate)]
#[template(path = "console/applicant.html")]
pub(crate) struct Applicant {
    ui: Ui,
    session: Session,
    citizen: Found,
    /// Just registered (a confirmation is shown).
    is_new: bool,
    form: OpenForm,
    errors: FieldErrors,
    preview: Option<FeePreview>,
    /// The citizen's electronic identity account (`account_panel`), on
    /// the page as first shown and after an account change.
    account: Option<super::account_panel::AccountPanel>,
}

impl Applicant {
    fn kinds(&self) -> &'static [IssueKind] {
        IssueKind::ALL
    }
    fn reasons(&self) -> &'static [Reason] {
        Reason::ALL
    }
    fn exemptions(&self) -> &'static [Exemption] {
        Exemption::ALL
    }
    fn exempt_checked(&self, e: &Exemption) -> bool {
        self.form.mien.iter().any(|m| m == e.code())
    }
}

#[derive(Deserialize)]
struct ApplicantQuery {
    moi: Option<String>,
    #[serde(default)]
    booking: String,
    /// The account change just made (`account_panel`).
    tai_khoan: Option<String>,
}

/// `{sep}booking=CODE` for a well-formed appointment code (canonical
/// digits, so nothing needs escaping), else nothing.
pub(crate) fn booking_param(code: &str, sep: &str) -> String {
    crate::booking::canonical_code(code).map_or_else(String::new, |c| format!("{sep}booking={c}"))
}

/// The applicant named by the officer's reference `handle`, read for
/// opening their dossier (audited).
async fn load_citizen(app: &Web, session: &Session, handle: &str) -> Result<Citizen, PageError> {
    app.service()
        .citizen_for(
            &session.officer,
            &CitizenKey::Ref(CitizenRef::presented(handle)),
            ReadPurpose::OpenDossier,
        )
        .await
        .map_err(|e| PageError::service(&session.ui, e))
}

/// The citizen whose account the panel's forms change (an audited read,
/// as for opening their dossier).
pub(crate) async fn account_holder(
    app: &Web,
    session: &Session,
    handle: &str,
) -> Result<Citizen, PageError> {
    load_citizen(app, session, handle).await
}

/// The applicant page of `c` with the account panel `panel` (after a
/// refused account change).
pub(crate) fn applicant_with_panel(
    app: &Web,
    session: Session,
    c: &Citizen,
    panel: super::account_panel::AccountPanel,
) -> Applicant {
    Applicant {
        ui: session.ui.clone(),
        citizen: Found::linked(app.service(), &session.officer, c),
        session,
        is_new: false,
        form: OpenForm {
            ly_do: Reason::FirstIssue.code().to_owned(),
            khoa: form_key(),
            tb_dien_thoai: c
                .phone
                .as_deref()
                .and_then(|p| PhoneNumber::parse(p).ok())
                .map_or_else(String::new, |p| p.as_str().to_owned()),
            ..OpenForm::default()
        },
        errors: FieldErrors::default(),
        preview: None,
        account: Some(panel),
    }
}

async fn applicant(
    State(app): State<Web>,
    session: Session,
    caller: crate::client::Caller,
    Path(handle): Path<String>,
    Query(q): Query<ApplicantQuery>,
) -> Result<Applicant, PageError> {
    let c = load_citizen(&app, &session, &handle).await?;
    let account =
        super::account_panel::load(&app, &session, c.id, q.tai_khoan.as_deref(), caller).await;
    let tb_dien_thoai = notify_phone(&app, &session, &c, &q.booking).await;
    Ok(Applicant {
        account: Some(account),
        ui: session.ui.clone(),
        citizen: Found::linked(app.service(), &session.officer, &c),
        session,
        is_new: q.moi.is_some(),
        form: OpenForm {
            ly_do: Reason::FirstIssue.code().to_owned(),
            booking: crate::booking::canonical_code(&q.booking)
                .map(|c| c.to_string())
                .unwrap_or_default(),
            khoa: form_key(),
            tb_dien_thoai,
            ..OpenForm::default()
        },
        errors: FieldErrors::default(),
        preview: None,
    })
}

/// The form field a refused exemption is shown beside: the document box
/// when the document is missing or too long, else the exemptions.
fn exemption_field(e: &ServiceError) -> Option<&'static str> {
    match e {
        ServiceError::Rules(RulesError::ExemptionNotApplicable {
            why: ExemptionRefusal::DocumentMissing,
            ..
        }) => Some("giay_to_mien"),
        ServiceError::Rules(RulesError::ExemptionNotApplicable { .. }) => Some("mien"),
        ServiceError::Invalid {
            field: "exemption_document",
            ..
        } => Some("giay_to_mien"),
        _ => None,
    }
}

/// The kind, reason and exemptions of the form, and the fee they give
/// today with its legal basis; each exemption checked against the
/// applicant's record (`Service::quote_fee_for`).
fn read_open(
    service: &Service,
    citizen: &Citizen,
    f: &OpenForm,
    today: jiff::civil::Date,
) -> Result<(Option<IssueKind>, Reason, Vec<Exemption>, FeePreview), FieldErrors> {
    let mut errs = FieldErrors::default();
    let reason = match Reason::parse(&f.ly_do) {
        Ok(r) => Some(r),
        Err(e) => {
            errs.add_localized("ly_do", &e);
            None
        }
    };
    let kind = if f.loai.trim().is_empty() {
        None
    } else {
        match IssueKind::parse(&f.loai) {
            Ok(k) => Some(k),
            Err(e) => {
                errs.add_localized("loai", &e);
                None
            }
        }
    };
    let mut exemptions = Vec::new();
    for m in &f.mien {
        match Exemption::parse(m) {
            Ok(e) => exemptions.push(e),
            Err(e) => errs.add_localized("mien", &e),
        }
    }
    let Some(reason) = reason else {
        return Err(errs);
    };
    if !errs.is_empty() {
        return Err(errs);
    }
    match service.quote_fee_for(citizen, kind, reason, &exemptions, today, Channel::InPerson) {
        Ok(FeeQuote { kind: k, fee }) => Ok((
            kind,
            reason,
            exemptions,
            FeePreview {
                kind: k,
                amount: show_vnd(fee.value.amount_vnd),
                explanation_vi: fee.explanation_vi,
                explanation_en: fee.explanation_en,
                basis: fee
                    .basis
                    .iter()
                    .map(|b| format!("{}, {}", b.document, b.article))
                    .collect(),
            },
        )),
        Err(e) => {
            let field =
                exemption_field(&e).unwrap_or(if kind.is_some() { "loai" } else { "ly_do" });
            errs.add_localized(field, &e);
            Err(errs)
        }
    }
}

async fn open(
    State(app): State<Web>,
    session: Session,
    Path(handle): Path<String>,
    Form(f): Form<OpenForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let ui = session.ui.clone();
    let c = load_citizen(&app, &session, &handle).await?;
    let found = Found::linked(app.service(), &session.officer, &c);
    let page = |session: Session, f: OpenForm, errors: FieldErrors, preview| Applicant {
        ui: session.ui.clone(),
        session,
        citizen: found,
        is_new: false,
        form: f,
        errors,
        preview,
        account: None,
    };
    let opening = f.hanh_dong != "tinh_phi";
    let notify = if opening { read_notify(&f) } else { Ok(None) };
    let (kind, reason, exemptions, preview) =
        match read_open(app.service(), &c, &f, app.service().today()) {
            Ok(x) => x,
            Err(mut errs) => {
                if let Err(more) = &notify {
                    errs.0.extend(more.0.iter().cloned());
                }
                return Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    page(session, f, errs, None),
                )
                    .into_response());
            }
        };
    if !opening {
        return Ok(page(session, f, FieldErrors::default(), Some(preview)).into_response());
    }
    let notify = match notify {
        Ok(n) => n,
        Err(errs) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(session, f, errs, Some(preview)),
            )
                .into_response());
        }
    };
    let req = OpenDossier {
        kind,
        exemptions,
        exemption_document: optional(&f.giay_to_mien),
        note: optional(&f.ghi_chu),
        booking: crate::booking::canonical_code(&f.booking),
        idempotency_key: Some(f.khoa.trim())
            .filter(|k| !k.is_empty() && k.len() <= 64)
            .map(str::to_owned),
        notify,
        ..OpenDossier::walk_in(c.id, reason)
    };
    match app.service().open_dossier(&session.officer, req).await {
        Ok(d) => {
            tracing::info!(
                code = %d.code,
                citizen = c.personal_id.as_ref().map(|p| mask(p).as_str().to_owned()),
                "dossier opened at the console"
            );
            Ok((
                StatusCode::SEE_OTHER,
                [(header::LOCATION, format!("/can-bo/ho-so/{}?ok=mo", d.code))],
            )
                .into_response())
        }
        Err(e) if e.is_forbidden() => Err(PageError::service(&ui, e)),
        Err(e) => {
            let status = status_of(e.class());
            if status.is_server_error() {
                return Err(PageError::service(&ui, e));
            }
            let mut errs = FieldErrors::default();
            let field = exemption_field(&e).or_else(|| notify_field(&e));
            errs.add_localized(field.unwrap_or(""), &e);
            Ok((status, page(session, f, errs, Some(preview))).into_response())
        }
    }
}

/// The reception routes.
pub(crate) fn router() -> Router<Web> {
    Router::new()
        .route("/can-bo/tiep-nhan", get(desk))
        .route("/can-bo/tiep-nhan/dang-ky", post(register))
        .route(
            "/can-bo/tiep-nhan/cong-dan/{handle}",
            get(applicant).post(open),
        )
        .route(
            "/can-bo/tiep-nhan/cong-dan/{handle}/tai-khoan",
            post(super::account_panel::change),
        )
}
