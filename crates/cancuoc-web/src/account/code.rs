//! The code page of every account flow (nhập mã xác thực): the challenge
//! in a hidden field (never in an address), where the code went (the
//! masked number), until when it is valid, and a new code once the
//! cooldown is over — the button says from what time (Vietnam time) it may
//! be pressed, and `static/site.js` counts down to it. By the flow, the
//! right code makes the account, opens a session (the cookie, a new id
//! every time), unlocks the account, or sets the new password of a
//! forgotten one.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cancuoc_service::model::SessionKind;
use cancuoc_service::{ChallengeTicket, ServiceError};

use super::form::{Errs, Fields, Input, Refusal, clock_vn, refusal};
use super::public::{DonePage, Link, now};
use super::session::{COOKIE, PATH, session_cookie};
use crate::Web;
use crate::citizen::captcha::Kind;
use crate::client::Caller;
use crate::console::session::cookie;
use crate::error::PageError;
use crate::ui::Ui;

/// The flows a code page serves (hidden `muc_dich`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Confirming a registration.
    Register,
    /// The second factor of a login.
    Login,
    /// Unlocking by the owner.
    Unlock,
    /// The third step of a forgotten password (with the new password).
    Reset,
}

impl Purpose {
    /// The hidden field's value.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::Register => "dang_ky",
            Self::Login => "dang_nhap",
            Self::Unlock => "mo_khoa",
            Self::Reset => "dat_lai",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Self::Register, Self::Login, Self::Unlock, Self::Reset]
            .into_iter()
            .find(|p| p.code() == s)
    }

    /// The page where the flow starts again.
    fn start(self) -> &'static str {
        match self {
            Self::Register => "/tai-khoan/dang-ky",
            Self::Login => "/tai-khoan/dang-nhap",
            Self::Unlock => "/tai-khoan/mo-khoa",
            Self::Reset => "/tai-khoan/quen-mat-khau",
        }
    }
}

/// The code page (`templates/account/code.html`).
#[derive(Template, WebTemplate)]
#[template(path = "account/code.html")]
pub(crate) struct CodePage {
    ui: Ui,
    purpose: Purpose,
    /// The challenge's id (hidden).
    challenge: String,
    /// Where the code went, masked.
    phone_hint: String,
    /// How long a code lasts, seconds.
    ttl: i64,
    /// When this code stops working, epoch seconds.
    expires_at: i64,
    /// When a new code may be asked for, epoch seconds.
    resend_at: i64,
    /// The service's clock, epoch seconds.
    now: i64,
    inputs: Vec<Input>,
    errors: Errs,
    /// Good news on top (a new code was sent).
    notice: Option<String>,
}

impl CodePage {
    /// A page for a code just sent.
    pub(crate) fn sent(app: &Web, ui: &Ui, purpose: Purpose, t: &ChallengeTicket) -> Self {
        let now = app.service().now().as_second();
        let mut ui = ui.clone();
        // The language switch leads to the start of the flow: the code
        // page itself holds a challenge no address should carry.
        ui.here = purpose.start().to_owned();
        Self {
            purpose,
            challenge: t.id.clone(),
            phone_hint: t.phone_hint.clone(),
            ttl: t.expires_in,
            expires_at: now + t.expires_in,
            resend_at: now + t.resend_in,
            now,
            inputs: Self::inputs(&ui, purpose, &Errs::new(&ui)),
            errors: Errs::new(&ui),
            notice: None,
            ui,
        }
    }

    /// The page again from its hidden fields, with `errs`.
    fn again(app: &Web, ui: &Ui, purpose: Purpose, f: &Fields, errs: Errs) -> Self {
        let now = app.service().now().as_second();
        let num = |n: &str| f.get(n).parse::<i64>().unwrap_or(now);
        let mut ui = ui.clone();
        ui.here = purpose.start().to_owned();
        Self {
            purpose,
            challenge: f.get("challenge").to_owned(),
            phone_hint: f.get("so").chars().take(40).collect(),
            ttl: f.get("hieu_luc").parse().unwrap_or(120),
            expires_at: num("het_han_luc"),
            resend_at: num("gui_lai_luc"),
            now,
            inputs: Self::inputs(&ui, purpose, &errs),
            errors: errs,
            notice: None,
            ui,
        }
    }

    fn inputs(ui: &Ui, purpose: Purpose, errs: &Errs) -> Vec<Input> {
        let mut v = vec![Input {
            inputmode: "numeric",
            autocomplete: "one-time-code",
            maxlength: 6,
            hint: ui
                .t(
                    "Gồm 6 chữ số, trong tin nhắn SMS.",
                    "6 digits, in the text message.",
                )
                .to_owned(),
            ..Input::text(
                ui,
                "ma_otp",
                ("Mã xác thực (OTP)", "Verification code (OTP)"),
                "",
            )
        }];
        if purpose == Purpose::Reset {
            v.push(Input::password(
                ui,
                "mat_khau_moi",
                ("Mật khẩu mới", "New password"),
                true,
            ));
            v.push(Input::password(
                ui,
                "mat_khau_moi_2",
                ("Nhập lại mật khẩu mới", "New password again"),
                false,
            ));
        }
        v.into_iter().map(|i| i.with(errs)).collect()
    }

    fn title(&self) -> &str {
        match self.purpose {
            Purpose::Register => self.ui.t("Xác thực đăng ký", "Confirm the registration"),
            Purpose::Login => self.ui.t("Xác thực đăng nhập", "Confirm the login"),
            Purpose::Unlock => self.ui.t("Xác thực mở khóa", "Confirm the unlock"),
            Purpose::Reset => self.ui.t(
                "Quên mật khẩu: đặt mật khẩu mới",
                "Forgotten password: choose a new one",
            ),
        }
    }

    /// Where the code went. A registration and a forgotten password
    /// answer the same whether the details matched (the service's rule),
    /// so their page says the code went only if they did.
    fn sent_text(&self) -> &str {
        match self.purpose {
            Purpose::Register | Purpose::Reset => self.ui.t(
                "Nếu thông tin khớp với hồ sơ, mã xác thực gồm 6 chữ số đã được gửi bằng tin nhắn tới số",
                "If the details match the record, a 6-digit verification code was sent by text message to",
            ),
            Purpose::Login | Purpose::Unlock => self.ui.t(
                "Mã xác thực gồm 6 chữ số đã được gửi bằng tin nhắn tới số",
                "A 6-digit verification code was sent by text message to",
            ),
        }
    }

    fn submit(&self) -> &str {
        match self.purpose {
            Purpose::Reset => self.ui.t("Đặt mật khẩu mới", "Set the new password"),
            _ => self.ui.t("Xác nhận", "Confirm"),
        }
    }

    fn start(&self) -> &'static str {
        self.purpose.start()
    }

    /// How long a code lasts, in words.
    fn ttl_text(&self) -> String {
        if self.ttl % 60 == 0 {
            format!("{} {}", self.ttl / 60, self.ui.t("phút", "minutes"))
        } else {
            format!("{} {}", self.ttl, self.ui.t("giây", "seconds"))
        }
    }

    fn expires_clock(&self) -> String {
        clock_vn(self.expires_at)
    }

    fn resend_clock(&self) -> String {
        clock_vn(self.resend_at)
    }

    /// Seconds until a new code may be asked for (0: now).
    fn resend_in(&self) -> i64 {
        (self.resend_at - self.now).max(0)
    }

    fn summary(&self) -> crate::summary::ErrorSummary {
        self.errors.summary(
            &self.ui,
            "Chưa xác thực được:",
            "Not confirmed yet:",
            &self.inputs,
        )
    }
}

/// `GET /tai-khoan/xac-thuc`: the code page cannot be opened by its
/// address (the challenge is never in one): the way back to each flow.
pub(crate) async fn code_lost(ui: Ui) -> (StatusCode, DonePage) {
    let links = vec![
        Link::new(&ui, "/tai-khoan/dang-nhap", ("Đăng nhập", "Log in")),
        Link::new(&ui, "/tai-khoan/dang-ky", ("Đăng ký", "Register")),
        Link::new(
            &ui,
            "/tai-khoan/quen-mat-khau",
            ("Quên mật khẩu", "Forgotten password"),
        ),
    ];
    (
        StatusCode::OK,
        DonePage::new(
            &ui,
            ("Nhập mã xác thực", "Enter the verification code"),
            false,
            &[(
                "Trang nhập mã chỉ mở được ngay sau khi gửi biểu mẫu (mã gắn với lần gửi đó). Hãy bắt đầu lại từ trang bạn đang làm.",
                "The code page opens only right after sending a form (the code belongs to that sending). Please start again from the page you were on.",
            )],
            links,
        ),
    )
}

/// `POST /tai-khoan/xac-thuc`: the code (and, for a reset, the new
/// password twice) for the challenge in the hidden field; by the flow:
/// the account made, a session opened (cookie, 303 to `/tai-khoan`), the
/// account unlocked, or the password reset.
pub(crate) async fn verify(
    State(app): State<Web>,
    ui: Ui,
    Caller(client): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // Another site's post would log the browser into the sender's account.
    if !crate::console::session::same_origin_headers(&headers) {
        return crate::console::session::cross_site(&ui).into_response();
    }
    let f = Fields::parse(&body);
    let (Some(purpose), false) = (
        Purpose::parse(f.get("muc_dich")),
        f.get("challenge").is_empty(),
    ) else {
        return code_lost(ui).await.into_response();
    };
    let challenge = f.get("challenge");
    let otp = f.get("ma_otp");
    let service = app.service();
    let mut errs = Errs::new(&ui);
    let result: Result<Response, ServiceError> = match purpose {
        Purpose::Register => service
            .verify_registration(challenge, otp, client)
            .await
            .map(|_| {
                DonePage::new(
                    &ui,
                    ("Đã đăng ký tài khoản", "Account registered"),
                    true,
                    &[(
                        "Tài khoản định danh điện tử mức độ 1 của bạn đã được tạo. Hãy đăng nhập bằng số định danh cá nhân và mật khẩu vừa đặt.",
                        "Your level-1 electronic identity account is ready. Log in with your personal ID number and the password you chose.",
                    )],
                    vec![Link::new(&ui, "/tai-khoan/dang-nhap", ("Đăng nhập", "Log in"))],
                )
                .into_response()
            }),
        Purpose::Login => {
            let previous = cookie(&headers, COOKIE);
            let agent = headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            service
                .account_login_code(challenge, otp, SessionKind::Web, previous, agent, client)
                .await
                .map(|login| {
                    let mut res =
                        (StatusCode::SEE_OTHER, [(header::LOCATION, PATH)]).into_response();
                    if let Some(c) = session_cookie(&login.token) {
                        res.headers_mut().insert(header::SET_COOKIE, c);
                    }
                    res
                })
        }
        Purpose::Unlock => service
            .unlock_finish(challenge, otp, client)
            .await
            .map(|()| {
                DonePage::new(
                    &ui,
                    ("Đã mở khóa tài khoản", "Account unlocked"),
                    true,
                    &[(
                        "Tài khoản đã được mở khóa; một tin nhắn báo đã được gửi tới số điện thoại của bạn. Hãy đăng nhập lại.",
                        "The account is unlocked; a text message telling so went to your phone. Please log in again.",
                    )],
                    vec![Link::new(&ui, "/tai-khoan/dang-nhap", ("Đăng nhập", "Log in"))],
                )
                .into_response()
            }),
        Purpose::Reset => {
            if f.raw("mat_khau_moi") != f.raw("mat_khau_moi_2") {
                errs.add(
                    "mat_khau_moi_2",
                    "Mật khẩu mới nhập lại không khớp.",
                    "The new password typed again does not match.",
                );
                let page = CodePage::again(&app, &ui, purpose, &f, errs);
                return (StatusCode::UNPROCESSABLE_ENTITY, page).into_response();
            }
            service
                .forgot_reset(challenge, otp, f.raw("mat_khau_moi"), client)
                .await
                .map(|()| {
                    DonePage::new(
                        &ui,
                        ("Đã đặt mật khẩu mới", "New password set"),
                        true,
                        &[(
                            "Mật khẩu mới đã có hiệu lực; mọi phiên đăng nhập cũ đã kết thúc và một tin nhắn báo đã được gửi tới số điện thoại của bạn.",
                            "The new password is in force; every earlier session has ended and a text message telling so went to your phone.",
                        )],
                        vec![Link::new(&ui, "/tai-khoan/dang-nhap", ("Đăng nhập", "Log in"))],
                    )
                    .into_response()
                })
        }
    };
    match result {
        Ok(res) => res,
        Err(e) => code_refused(&app, &ui, purpose, &f, errs, e),
    }
}

/// The code page again after a refusal.
fn code_refused(
    app: &Web,
    ui: &Ui,
    purpose: Purpose,
    f: &Fields,
    mut errs: Errs,
    e: ServiceError,
) -> Response {
    match refusal(&mut errs, &e, Kind::Image, "ma_otp", now(app)) {
        Refusal::Form(status) => {
            (status, CodePage::again(app, ui, purpose, f, errs)).into_response()
        }
        Refusal::Page => PageError::service(ui, e).into_response(),
    }
}

/// `POST /tai-khoan/gui-lai-ma`: a new code for the challenge once the
/// cooldown is over (`Service::resend_code`), the code page again.
pub(crate) async fn resend(
    State(app): State<Web>,
    ui: Ui,
    Caller(client): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !crate::console::session::same_origin_headers(&headers) {
        return crate::console::session::cross_site(&ui).into_response();
    }
    let f = Fields::parse(&body);
    let (Some(purpose), false) = (
        Purpose::parse(f.get("muc_dich")),
        f.get("challenge").is_empty(),
    ) else {
        return code_lost(ui).await.into_response();
    };
    match app.service().resend_code(f.get("challenge"), client).await {
        Ok(t) => {
            let mut page = CodePage::sent(&app, &ui, purpose, &t);
            page.notice = Some(
                ui.t(
                    "Đã gửi mã xác thực mới; mã cũ không còn dùng được.",
                    "A new verification code was sent; the old one no longer works.",
                )
                .to_owned(),
            );
            page.into_response()
        }
        Err(e) => code_refused(&app, &ui, purpose, &f, Errs::new(&ui), e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_purpose_reads_back_and_starts_again_on_its_own_page() {
        for p in [
            Purpose::Register,
            Purpose::Login,
            Purpose::Unlock,
            Purpose::Reset,
        ] {
            assert_eq!(Purpose::parse(p.code()), Some(p));
        }
        assert_eq!(Purpose::parse("x"), None);
        assert_eq!(Purpose::Reset.start(), "/tai-khoan/quen-mat-khau");
        assert_eq!(Purpose::Login.start(), "/tai-khoan/dang-nhap");
    }
}
