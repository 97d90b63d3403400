//! The account pages before login: register, log in, the code page of
//! every flow (and a new code), forgotten password, lock and unlock.
//!
//! Each form carries a captcha (`citizen::captcha`, switchable between
//! image, sound and words by resubmitting the form with `kieu_moi`:
//! nothing is checked or sent then). The formats of the fields are read
//! first, so a typo costs no captcha; then the captcha; then the one use
//! case. What a refusal says is the service's: a login refused for a
//! wrong password reads exactly as one refused for a locked or unknown
//! account; a forgotten password's step 2 and a lock answer the same
//! whatever matched.
//!
//! The code page (`templates/account/code.html`) keeps the challenge in a
//! hidden field (never in an address), says where the code went (the
//! masked number) and until when it is valid, and offers a new code: the
//! button says from what time (Vietnam time) it may be pressed, and
//! `static/site.js` counts down to it.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, RawQuery};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use cancuoc_core::account::{PasswordPolicy, PersonalData};
use cancuoc_core::id::PersonalId;
use cancuoc_core::person::PartialDate;
use cancuoc_core::phone::PhoneNumber;
use cancuoc_service::{
    CaptchaCheck, Client, IdentityProof, LoginRequest, RegisterRequest, ServiceError,
};

use super::code::{CodePage, Purpose};
use super::form::{Errs, Fields, Input, Refusal, refusal};
use crate::Web;
use crate::citizen::captcha::{self, Challenge, Kind, kind_of};
use crate::client::Caller;
use crate::error::PageError;
use crate::ui::Ui;

/// A link under a form or on a result page.
#[derive(Debug, Clone)]
pub(crate) struct Link {
    pub href: String,
    pub label: String,
}

impl Link {
    pub(crate) fn new(ui: &Ui, href: &str, (vi, en): (&str, &str)) -> Self {
        Self {
            href: href.to_owned(),
            label: ui.t(vi, en).to_owned(),
        }
    }
}

/// Which public form a page is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Which {
    Register,
    Login,
    ForgotStart,
    ForgotVerify,
    Lock,
    Unlock,
}

impl Which {
    /// Where the form posts.
    fn action(self) -> &'static str {
        match self {
            Self::Register => "/tai-khoan/dang-ky",
            Self::Login => "/tai-khoan/dang-nhap",
            Self::ForgotStart | Self::ForgotVerify => "/tai-khoan/quen-mat-khau",
            Self::Lock => "/tai-khoan/khoa",
            Self::Unlock => "/tai-khoan/mo-khoa",
        }
    }

    /// Whether the form carries a captcha.
    fn has_captcha(self) -> bool {
        !matches!(self, Self::ForgotVerify)
    }
}

/// A public account form (`templates/account/form.html`).
#[derive(Template, WebTemplate)]
#[template(path = "account/form.html")]
pub(crate) struct FormPage {
    ui: Ui,
    which: Which,
    /// The heading (and title).
    title: String,
    /// What the form is for, one paragraph each.
    intro: Vec<String>,
    /// A notice on top: (whether it is good news, the text).
    notice: Option<(bool, String)>,
    /// Hidden fields.
    hidden: Vec<(&'static str, String)>,
    inputs: Vec<Input>,
    errors: Errs,
    /// The title of the error summary.
    summary_title: (&'static str, &'static str),
    challenge: Option<Challenge>,
    captcha_error: Option<crate::citizen::Msg>,
    /// The submit button's label.
    submit: String,
    links: Vec<Link>,
}

impl FormPage {
    fn action(&self) -> &'static str {
        self.which.action()
    }

    fn is_kind(&self, k: &str) -> bool {
        self.challenge.as_ref().is_some_and(|c| c.kind.code() == k)
    }

    /// The captcha's kinds are switched by resubmitting the form
    /// (`kieu_moi`), keeping what was typed (but passwords) out of any URL.
    fn kind_switch_in_form(&self) -> bool {
        true
    }

    fn kind_href(&self, k: &str) -> String {
        format!("{}?kieu={k}", self.which.action())
    }

    fn summary(&self) -> crate::summary::ErrorSummary {
        self.errors.summary(
            &self.ui,
            self.summary_title.0,
            self.summary_title.1,
            &self.inputs,
        )
    }
}

/// Who asks, in which language, through which pages: the extractor of
/// every public account page.
pub(crate) struct Req {
    app: Web,
    ui: Ui,
    client: Client,
    /// Whether the request came from one of this site's pages (its
    /// `Origin`, else `Referer`): the public forms refuse another site's
    /// posts (a login sent from elsewhere would log the browser into the
    /// sender's account).
    same_origin: bool,
}

impl FromRequestParts<Web> for Req {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, app: &Web) -> Result<Self, Self::Rejection> {
        Ok(Self {
            app: app.clone(),
            ui: Ui::of(parts),
            client: Caller::of(parts).0,
            same_origin: crate::console::session::same_origin(parts),
        })
    }
}

/// The form `which` as typed in `f`, with `errs` beside its fields and a
/// new captcha of `kind` when it has one.
async fn form_page(
    req: &Req,
    which: Which,
    f: &Fields,
    errs: Errs,
    kind: Kind,
) -> Result<FormPage, PageError> {
    let (app, ui, client) = (&req.app, &req.ui, req.client);
    let t = |vi: &str, en: &str| ui.t(vi, en).to_owned();
    let phone_hint = (
        "Số đã đăng ký trong Cơ sở dữ liệu quốc gia về dân cư.",
        "The number on the national population database.",
    );
    let (title, intro, inputs, submit, links, summary_title) = match which {
        Which::Register => (
            t(
                "Đăng ký tài khoản định danh điện tử",
                "Register an electronic identity account",
            ),
            vec![
                t(
                    "Tài khoản mức độ 1 dành cho công dân đã có thẻ Căn cước (hoặc Căn cước công dân) còn hiệu lực. Thông tin phải khớp với Cơ sở dữ liệu quốc gia về dân cư; mã xác thực chỉ gửi tới số điện thoại đã đăng ký ở đó.",
                    "A level-1 account is for citizens holding a valid identity card. The details must match the national population database; the verification code goes only to the phone number registered there.",
                ),
                t(
                    "Mức độ 2 chỉ được cấp trực tiếp tại cơ quan Công an (đối chiếu ảnh chân dung hoặc vân tay) hoặc cùng thủ tục cấp thẻ.",
                    "Level 2 is granted only in person by the police (portrait or fingerprint comparison) or together with the card.",
                ),
            ],
            vec![
                Input::personal_id(ui, f.get("so_dinh_danh")),
                Input::phone(ui, f.get("dien_thoai"), phone_hint),
                Input::full_name(ui, f.get("ho_ten")),
                Input::date_of_birth(ui, f.get("ngay_sinh")),
                Input::card_issue_date(ui, f.get("ngay_cap")),
                Input::password(ui, "mat_khau", ("Mật khẩu", "Password"), true),
                Input::password(
                    ui,
                    "mat_khau_2",
                    ("Nhập lại mật khẩu", "Password again"),
                    false,
                ),
            ],
            t("Đăng ký", "Register"),
            vec![Link::new(
                ui,
                "/tai-khoan/dang-nhap",
                ("Đã có tài khoản? Đăng nhập", "Already registered? Log in"),
            )],
            (
                "Chưa đăng ký được. Hãy sửa:",
                "Not registered yet. Please correct:",
            ),
        ),
        Which::Login => (
            t(
                "Đăng nhập tài khoản định danh điện tử",
                "Log in to your electronic identity account",
            ),
            vec![t(
                "Sau mật khẩu, một mã xác thực 6 chữ số sẽ được gửi tới số điện thoại của bạn.",
                "After the password, a 6-digit verification code is sent to your phone.",
            )],
            vec![
                Input::personal_id(ui, f.get("so_dinh_danh")),
                Input::password(ui, "mat_khau", ("Mật khẩu", "Password"), false),
            ],
            t("Đăng nhập", "Log in"),
            vec![
                Link::new(
                    ui,
                    "/tai-khoan/quen-mat-khau",
                    ("Quên mật khẩu?", "Forgot your password?"),
                ),
                Link::new(
                    ui,
                    "/tai-khoan/dang-ky",
                    ("Chưa có tài khoản? Đăng ký", "No account yet? Register"),
                ),
                Link::new(
                    ui,
                    "/tai-khoan/khoa",
                    (
                        "Mất điện thoại? Khóa tài khoản",
                        "Lost your phone? Lock the account",
                    ),
                ),
                Link::new(
                    ui,
                    "/tai-khoan/mo-khoa",
                    ("Mở khóa tài khoản", "Unlock the account"),
                ),
            ],
            (
                "Chưa đăng nhập được. Hãy sửa:",
                "Not logged in. Please correct:",
            ),
        ),
        Which::ForgotStart => (
            t("Quên mật khẩu", "Forgotten password"),
            vec![t(
                "Bước 1/3: nhập số định danh cá nhân và số điện thoại đã đăng ký. Bước 2: họ tên, ngày sinh, ngày cấp thẻ. Bước 3: mã xác thực và mật khẩu mới.",
                "Step 1 of 3: your personal ID number and registered phone number. Step 2: name, date of birth, card issue date. Step 3: the verification code and the new password.",
            )],
            vec![
                Input::personal_id(ui, f.get("so_dinh_danh")),
                Input::phone(ui, f.get("dien_thoai"), phone_hint),
            ],
            t("Tiếp tục", "Continue"),
            vec![Link::new(
                ui,
                "/tai-khoan/dang-nhap",
                ("Quay lại đăng nhập", "Back to the login"),
            )],
            (
                "Chưa tiếp tục được. Hãy sửa:",
                "Cannot continue yet. Please correct:",
            ),
        ),
        Which::ForgotVerify => (
            t("Quên mật khẩu", "Forgotten password"),
            vec![t(
                "Bước 2/3: nhập họ tên, ngày sinh và ngày cấp thẻ Căn cước. Nếu mọi thông tin khớp với hồ sơ, mã xác thực sẽ được gửi tới số điện thoại đã đăng ký.",
                "Step 2 of 3: your full name, date of birth and the card's issue date. If everything matches the record, a verification code is sent to the registered phone number.",
            )],
            vec![
                Input::full_name(ui, f.get("ho_ten")),
                Input::date_of_birth(ui, f.get("ngay_sinh")),
                Input::card_issue_date(ui, f.get("ngay_cap")),
            ],
            t("Gửi mã xác thực", "Send the code"),
            vec![Link::new(
                ui,
                "/tai-khoan/quen-mat-khau",
                ("Làm lại từ đầu", "Start again"),
            )],
            (
                "Chưa tiếp tục được. Hãy sửa:",
                "Cannot continue yet. Please correct:",
            ),
        ),
        Which::Lock => (
            t("Khóa tài khoản tạm thời", "Lock the account for now"),
            vec![
                t(
                    "Khi mất điện thoại hoặc nghi bị lộ mật khẩu: tài khoản bị khóa ngay, mọi phiên đăng nhập kết thúc. Không cần mã xác thực.",
                    "If your phone is lost or your password may be known: the account is locked at once and every session ends. No verification code is needed.",
                ),
                t(
                    "Mở khóa bằng mật khẩu và mã xác thực (trang Mở khóa), hoặc tại cơ quan Công an.",
                    "Unlock it with your password and a verification code (the Unlock page), or at a police office.",
                ),
            ],
            vec![
                Input::personal_id(ui, f.get("so_dinh_danh")),
                Input::phone(ui, f.get("dien_thoai"), phone_hint),
                Input::date_of_birth(ui, f.get("ngay_sinh")),
                Input::card_issue_date(ui, f.get("ngay_cap")),
            ],
            t("Khóa tài khoản", "Lock the account"),
            vec![Link::new(
                ui,
                "/tai-khoan/mo-khoa",
                ("Mở khóa tài khoản", "Unlock the account"),
            )],
            (
                "Chưa khóa được. Hãy sửa:",
                "Not locked yet. Please correct:",
            ),
        ),
        Which::Unlock => (
            t("Mở khóa tài khoản", "Unlock the account"),
            vec![t(
                "Tài khoản do bạn tự khóa được mở bằng mật khẩu và mã xác thực gửi tới số điện thoại đã đăng ký. Tài khoản do cơ quan Công an khóa chỉ được mở tại cơ quan Công an.",
                "An account you locked yourself is unlocked with your password and a code sent to your registered phone. An account locked by the police is unlocked only at a police office.",
            )],
            vec![
                Input::personal_id(ui, f.get("so_dinh_danh")),
                Input::password(ui, "mat_khau", ("Mật khẩu", "Password"), false),
            ],
            t("Tiếp tục", "Continue"),
            vec![
                Link::new(
                    ui,
                    "/tai-khoan/quen-mat-khau",
                    ("Quên mật khẩu?", "Forgot your password?"),
                ),
                Link::new(ui, "/tai-khoan/dang-nhap", ("Đăng nhập", "Log in")),
            ],
            (
                "Chưa mở khóa được. Hãy sửa:",
                "Not unlocked yet. Please correct:",
            ),
        ),
    };
    let mut hidden = Vec::new();
    match which {
        Which::ForgotStart => hidden.push(("buoc", "1".to_owned())),
        Which::ForgotVerify => {
            hidden.push(("buoc", "2".to_owned()));
            hidden.push(("ma_phien", f.get("ma_phien").to_owned()));
        }
        _ => {}
    }
    let challenge = if which.has_captcha() {
        Some(
            captcha::new_challenge(app, kind, client)
                .await
                .map_err(|e| PageError::service(ui, e))?,
        )
    } else {
        None
    };
    let captcha_error = {
        let lines = errs.lines("captcha");
        (!lines.is_empty()).then(|| {
            let m = lines.join(" ");
            crate::citizen::Msg::new(m.clone(), m)
        })
    };
    Ok(FormPage {
        ui: ui.clone(),
        which,
        title,
        intro,
        notice: None,
        hidden,
        inputs: inputs.into_iter().map(|i| i.with(&errs)).collect(),
        errors: errs,
        summary_title,
        challenge,
        captcha_error,
        submit,
        links,
    })
}

/// `form_page` as a response of `status`, or its error page.
async fn respond(
    req: &Req,
    which: Which,
    f: &Fields,
    errs: Errs,
    kind: Kind,
    status: StatusCode,
) -> Response {
    match form_page(req, which, f, errs, kind).await {
        Ok(p) => (status, p).into_response(),
        Err(e) => e.into_response(),
    }
}

/// The empty form `which`, with a captcha of the kind the query asks for.
async fn empty_form(req: &Req, which: Which, query: Option<&str>) -> Result<FormPage, PageError> {
    let q = Fields::parse(query.unwrap_or_default().as_bytes());
    let kind = kind_of(Some(q.get("kieu")));
    form_page(req, which, &Fields::default(), Errs::new(&req.ui), kind).await
}

/// Reads the formats of the typed fields named in `which` with core's
/// readers (the service's own), so a typo is answered before the captcha
/// is spent; the messages go beside their fields.
fn precheck(errs: &mut Errs, f: &Fields, names: &[&str]) {
    for &name in names {
        let value = f.get(name);
        match name {
            "so_dinh_danh" => {
                if let Err(e) = PersonalId::parse_lenient_input(value) {
                    errs.add_localized(name, &e);
                }
            }
            "dien_thoai" => {
                if let Err(e) = PhoneNumber::parse(value) {
                    errs.add_localized(name, &e);
                }
            }
            "ngay_sinh" | "ngay_cap" if value.is_empty() => errs.add(
                name,
                "cần nhập ngày/tháng/năm (ví dụ 15/03/1990)",
                "required: day/month/year (e.g. 15/03/1990)",
            ),
            "ngay_sinh" | "ngay_cap" => match PartialDate::parse_typed(value) {
                Ok(PartialDate::Full(_)) => {}
                Ok(_) => errs.add(
                    name,
                    "cần đủ ngày, tháng và năm (ví dụ 15/03/1990)",
                    "the day, month and year are needed (e.g. 15/03/1990)",
                ),
                Err(e) => errs.add_localized(name, &e),
            },
            "ho_ten" => {
                let n = value.chars().count();
                if n == 0 || n > 200 {
                    errs.add(
                        name,
                        "cần nhập (tối đa 200 ký tự)",
                        "required (at most 200 characters)",
                    );
                }
            }
            _ => {}
        }
    }
}

/// Whether a POST only switches the captcha's kind (`kieu_moi`): then
/// the kind to show.
fn switch_kind(f: &Fields) -> Option<Kind> {
    let k = f.get("kieu_moi");
    (!k.is_empty()).then(|| kind_of(Some(k)))
}

/// The captcha kind the form showed.
fn shown_kind(f: &Fields) -> Kind {
    kind_of(Some(f.get("kieu")))
}

/// Spends the form's captcha in the pages (for the forms whose use case
/// takes none: the forgotten password's first step, the lock).
async fn spend_captcha(app: &Web, f: &Fields, errs: &mut Errs) -> Result<(), ServiceError> {
    let check = app
        .service()
        .spend_captcha(f.get("challenge"), f.get("captcha"))
        .await?;
    if check == CaptchaCheck::Solved {
        return Ok(());
    }
    let m = if f.get("captcha").is_empty() {
        crate::citizen::Msg::new("Hãy nhập mã xác nhận.", "Please type the security code.")
    } else {
        captcha::captcha_message(check, shown_kind(f))
    };
    errs.add("captcha", m.vi, m.en);
    Ok(())
}

/// A result page (`templates/account/done.html`).
#[derive(Template, WebTemplate)]
#[template(path = "account/done.html")]
pub(crate) struct DonePage {
    ui: Ui,
    title: String,
    /// Whether it is good news (green) or a plain notice.
    ok: bool,
    lines: Vec<String>,
    links: Vec<Link>,
}

impl DonePage {
    pub(crate) fn new(
        ui: &Ui,
        title: (&str, &str),
        ok: bool,
        lines: &[(&str, &str)],
        links: Vec<Link>,
    ) -> Self {
        Self {
            ui: ui.clone(),
            title: ui.t(title.0, title.1).to_owned(),
            ok,
            lines: lines
                .iter()
                .map(|(vi, en)| ui.t(vi, en).to_owned())
                .collect(),
            links,
        }
    }
}

/// The service's clock, epoch seconds.
pub(crate) fn now(app: &Web) -> i64 {
    app.service().now().as_second()
}

/// The form again after a refusal `e` (or its error page).
async fn refused(req: &Req, which: Which, f: &Fields, mut errs: Errs, e: ServiceError) -> Response {
    match refusal(&mut errs, &e, shown_kind(f), "", now(&req.app)) {
        Refusal::Form(status) => respond(req, which, f, errs, shown_kind(f), status).await,
        Refusal::Page => PageError::service(&req.ui, e).into_response(),
    }
}

// ---------------------------------------------------------------- register

/// `GET /tai-khoan/dang-ky`.
pub(crate) async fn register_form(r: Req, RawQuery(q): RawQuery) -> Result<FormPage, PageError> {
    empty_form(&r, Which::Register, q.as_deref()).await
}

/// `POST /tai-khoan/dang-ky`: the two passwords must agree (checked here,
/// with the formats of the other fields, so every problem is said at
/// once and nothing is sent); then `Service::register_account`, and the
/// code page.
pub(crate) async fn register(r: Req, body: Bytes) -> Response {
    if !r.same_origin {
        return crate::console::session::cross_site(&r.ui).into_response();
    }
    let (app, ui, client) = (&r.app, &r.ui, r.client);
    let f = Fields::parse(&body);
    let which = Which::Register;
    if let Some(kind) = switch_kind(&f) {
        return respond(&r, which, &f, Errs::new(ui), kind, StatusCode::OK).await;
    }
    let mut errs = Errs::new(ui);
    if f.raw("mat_khau") != f.raw("mat_khau_2") {
        precheck(
            &mut errs,
            &f,
            &[
                "so_dinh_danh",
                "dien_thoai",
                "ho_ten",
                "ngay_sinh",
                "ngay_cap",
            ],
        );
        let dob = match PartialDate::parse_typed(f.get("ngay_sinh")) {
            Ok(PartialDate::Full(d)) => Some(d),
            _ => None,
        };
        let personal = PersonalData {
            personal_id: f.get("so_dinh_danh"),
            date_of_birth: dob,
            birth_year: dob.map(|d| d.year()),
            phone: f.get("dien_thoai"),
        };
        if let Err(problems) = PasswordPolicy::SEED.check(f.raw("mat_khau"), &personal) {
            for p in &problems {
                errs.add_localized("mat_khau", p);
            }
        }
        errs.add(
            "mat_khau_2",
            "Mật khẩu nhập lại không khớp với mật khẩu.",
            "The password typed again does not match the password.",
        );
        return respond(
            &r,
            which,
            &f,
            errs,
            shown_kind(&f),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let req = RegisterRequest {
        personal_id: f.get("so_dinh_danh"),
        phone: f.get("dien_thoai"),
        full_name: f.get("ho_ten"),
        date_of_birth: f.get("ngay_sinh"),
        card_issue_date: f.get("ngay_cap"),
        password: f.raw("mat_khau"),
        captcha_id: f.get("challenge"),
        captcha_answer: f.get("captcha"),
    };
    match app.service().register_account(&req, client).await {
        Ok(t) => CodePage::sent(app, ui, Purpose::Register, &t).into_response(),
        Err(e) => refused(&r, which, &f, errs, e).await,
    }
}

// ------------------------------------------------------------------- login

/// `GET /tai-khoan/dang-nhap[?het_han=1|da_thoat=1|doi_mat_khau=1]`.
pub(crate) async fn login_form(r: Req, RawQuery(q): RawQuery) -> Result<FormPage, PageError> {
    let ui = &r.ui;
    let query = Fields::parse(q.as_deref().unwrap_or_default().as_bytes());
    let mut page = empty_form(&r, Which::Login, q.as_deref()).await?;
    let notice = |ok: bool, vi: &str, en: &str| Some((ok, ui.t(vi, en).to_owned()));
    page.notice = if !query.get("het_han").is_empty() {
        notice(
            false,
            "Phiên đăng nhập đã hết (sau 15 phút không thao tác, hoặc sau 12 giờ). Hãy đăng nhập lại.",
            "Your session has ended (after 15 idle minutes, or 12 hours). Please log in again.",
        )
    } else if !query.get("da_thoat").is_empty() {
        notice(true, "Bạn đã đăng xuất.", "You have logged out.")
    } else if !query.get("doi_mat_khau").is_empty() {
        notice(
            true,
            "Đã đổi mật khẩu; mọi phiên đăng nhập đã kết thúc. Hãy đăng nhập bằng mật khẩu mới.",
            "The password is changed and every session has ended. Log in with the new password.",
        )
    } else {
        None
    };
    Ok(page)
}

/// `POST /tai-khoan/dang-nhap`: `Service::account_login`, then the code
/// page. A refusal reads the same whatever failed.
pub(crate) async fn login(r: Req, body: Bytes) -> Response {
    if !r.same_origin {
        return crate::console::session::cross_site(&r.ui).into_response();
    }
    let (app, ui, client) = (&r.app, &r.ui, r.client);
    let f = Fields::parse(&body);
    let which = Which::Login;
    if let Some(kind) = switch_kind(&f) {
        return respond(&r, which, &f, Errs::new(ui), kind, StatusCode::OK).await;
    }
    let req = LoginRequest {
        personal_id: f.get("so_dinh_danh"),
        password: f.raw("mat_khau"),
        captcha_id: f.get("challenge"),
        captcha_answer: f.get("captcha"),
    };
    match app.service().account_login(&req, client).await {
        Ok(t) => CodePage::sent(app, ui, Purpose::Login, &t).into_response(),
        Err(e) => refused(&r, which, &f, Errs::new(ui), e).await,
    }
}

// -------------------------------------------------------- forgotten password

/// `GET /tai-khoan/quen-mat-khau`: step 1.
pub(crate) async fn forgot_form(r: Req, RawQuery(q): RawQuery) -> Result<FormPage, PageError> {
    empty_form(&r, Which::ForgotStart, q.as_deref()).await
}

/// `POST /tai-khoan/quen-mat-khau`: step 1 (`buoc=1`: number and phone,
/// with the captcha) → step 2 (`buoc=2`: name and dates) → the code page
/// with the new password. Each answer is the same whatever matched.
pub(crate) async fn forgot(r: Req, body: Bytes) -> Response {
    if !r.same_origin {
        return crate::console::session::cross_site(&r.ui).into_response();
    }
    let (app, ui, client) = (&r.app, &r.ui, r.client);
    let f = Fields::parse(&body);
    let mut errs = Errs::new(ui);
    if f.get("buoc") == "2" {
        let which = Which::ForgotVerify;
        precheck(&mut errs, &f, &["ho_ten", "ngay_sinh", "ngay_cap"]);
        if !errs.is_empty() {
            let s = StatusCode::UNPROCESSABLE_ENTITY;
            return respond(&r, which, &f, errs, Kind::Image, s).await;
        }
        let proof = IdentityProof {
            full_name: Some(f.get("ho_ten")),
            date_of_birth: f.get("ngay_sinh"),
            card_issue_date: f.get("ngay_cap"),
        };
        return match app
            .service()
            .forgot_verify(f.get("ma_phien"), &proof, client)
            .await
        {
            Ok(t) => CodePage::sent(app, ui, Purpose::Reset, &t).into_response(),
            Err(e) => refused(&r, which, &f, errs, e).await,
        };
    }
    let which = Which::ForgotStart;
    if let Some(kind) = switch_kind(&f) {
        return respond(&r, which, &f, errs, kind, StatusCode::OK).await;
    }
    precheck(&mut errs, &f, &["so_dinh_danh", "dien_thoai"]);
    if errs.is_empty()
        && let Err(e) = spend_captcha(app, &f, &mut errs).await
    {
        return refused(&r, which, &f, errs, e).await;
    }
    if !errs.is_empty() {
        let s = StatusCode::UNPROCESSABLE_ENTITY;
        return respond(&r, which, &f, errs, shown_kind(&f), s).await;
    }
    match app
        .service()
        .forgot_start(f.get("so_dinh_danh"), f.get("dien_thoai"), client)
        .await
    {
        Ok(t) => {
            let next = Fields::parse(
                form_urlencoded::Serializer::new(String::new())
                    .append_pair("ma_phien", &t.id)
                    .finish()
                    .as_bytes(),
            );
            respond(
                &r,
                Which::ForgotVerify,
                &next,
                Errs::new(ui),
                Kind::Image,
                StatusCode::OK,
            )
            .await
        }
        Err(e) => refused(&r, which, &f, errs, e).await,
    }
}

// -------------------------------------------------------------------- lock

/// `GET /tai-khoan/khoa`.
pub(crate) async fn lock_form(r: Req, RawQuery(q): RawQuery) -> Result<FormPage, PageError> {
    empty_form(&r, Which::Lock, q.as_deref()).await
}

/// `POST /tai-khoan/khoa`: `Service::lock_own_account`; always the same
/// confirmation.
pub(crate) async fn lock(r: Req, body: Bytes) -> Response {
    if !r.same_origin {
        return crate::console::session::cross_site(&r.ui).into_response();
    }
    let (app, ui, client) = (&r.app, &r.ui, r.client);
    let f = Fields::parse(&body);
    let which = Which::Lock;
    if let Some(kind) = switch_kind(&f) {
        return respond(&r, which, &f, Errs::new(ui), kind, StatusCode::OK).await;
    }
    let mut errs = Errs::new(ui);
    precheck(
        &mut errs,
        &f,
        &["so_dinh_danh", "dien_thoai", "ngay_sinh", "ngay_cap"],
    );
    if errs.is_empty()
        && let Err(e) = spend_captcha(app, &f, &mut errs).await
    {
        return refused(&r, which, &f, errs, e).await;
    }
    if !errs.is_empty() {
        let s = StatusCode::UNPROCESSABLE_ENTITY;
        return respond(&r, which, &f, errs, shown_kind(&f), s).await;
    }
    let proof = IdentityProof {
        full_name: None,
        date_of_birth: f.get("ngay_sinh"),
        card_issue_date: f.get("ngay_cap"),
    };
    match app
        .service()
        .lock_own_account(f.get("so_dinh_danh"), f.get("dien_thoai"), &proof, client)
        .await
    {
        Ok(()) => DonePage::new(
            ui,
            ("Đã nhận yêu cầu khóa tài khoản", "Lock request received"),
            true,
            &[
                (
                    "Nếu thông tin khớp với một tài khoản định danh điện tử, tài khoản đó đã bị khóa ngay và mọi phiên đăng nhập đã kết thúc; chủ tài khoản được báo qua tin nhắn.",
                    "If the details match an electronic identity account, that account is now locked and every session has ended; its owner is told by text message.",
                ),
                (
                    "Để mở khóa: dùng trang Mở khóa tài khoản (mật khẩu và mã xác thực), hoặc đến cơ quan Công an gần nhất.",
                    "To unlock: use the Unlock page (password and verification code), or go to the nearest police office.",
                ),
            ],
            vec![
                Link::new(ui, "/tai-khoan/mo-khoa", ("Mở khóa tài khoản", "Unlock the account")),
                Link::new(ui, "/", ("Về trang chủ", "Back to the home page")),
            ],
        )
        .into_response(),
        Err(e) => refused(&r, which, &f, errs, e).await,
    }
}

// ------------------------------------------------------------------ unlock

/// `GET /tai-khoan/mo-khoa`.
pub(crate) async fn unlock_form(r: Req, RawQuery(q): RawQuery) -> Result<FormPage, PageError> {
    empty_form(&r, Which::Unlock, q.as_deref()).await
}

/// `POST /tai-khoan/mo-khoa`: `Service::unlock_start`, then the code page.
pub(crate) async fn unlock(r: Req, body: Bytes) -> Response {
    if !r.same_origin {
        return crate::console::session::cross_site(&r.ui).into_response();
    }
    let (app, ui, client) = (&r.app, &r.ui, r.client);
    let f = Fields::parse(&body);
    let which = Which::Unlock;
    if let Some(kind) = switch_kind(&f) {
        return respond(&r, which, &f, Errs::new(ui), kind, StatusCode::OK).await;
    }
    let req = LoginRequest {
        personal_id: f.get("so_dinh_danh"),
        password: f.raw("mat_khau"),
        captcha_id: f.get("challenge"),
        captcha_answer: f.get("captcha"),
    };
    match app.service().unlock_start(&req, client).await {
        Ok(t) => CodePage::sent(app, ui, Purpose::Unlock, &t).into_response(),
        Err(e) => refused(&r, which, &f, Errs::new(ui), e).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forgotten_password_posts_both_steps_to_one_address() {
        assert_eq!(Which::ForgotVerify.action(), Which::ForgotStart.action());
        assert!(!Which::ForgotVerify.has_captcha());
        assert!(Which::Lock.has_captcha());
    }

    #[test]
    fn a_typo_is_caught_before_the_captcha() {
        let ui = Ui::new(cancuoc_core::i18n::Lang::Vi, "/");
        let mut errs = Errs::new(&ui);
        let f = Fields::parse("so_dinh_danh=12ab&dien_thoai=0912345678&ngay_sinh=1990".as_bytes());
        precheck(
            &mut errs,
            &f,
            &["so_dinh_danh", "dien_thoai", "ngay_sinh", "ho_ten"],
        );
        assert_eq!(errs.lines("so_dinh_danh").len(), 1);
        assert!(errs.lines("dien_thoai").is_empty());
        assert_eq!(
            errs.lines("ngay_sinh"),
            ["Cần đủ ngày, tháng và năm (ví dụ 15/03/1990)."]
        );
        assert_eq!(errs.lines("ho_ten").len(), 1);
    }
}
