//! The citizens' account pages (`/tai-khoan`) through the router, as a
//! browser would use them: register and confirm with the code read from
//! the SMS sink, log in with password, captcha and code, the
//! identification data with its marks, the wallet, the history and the
//! sessions; the session cookie (its attributes, a new value at every
//! login, dead after logout, idle timeout), the CSRF token of every
//! logged-in form, and the answers that must not tell an attacker
//! anything (a locked account's login reads as a wrong password's).
//! Shared helpers for `web_account_*` cases ([`AccountWorld`], [`Holder`],
//! [`log_in`]).
//!
//! The service has the development SMS sink (`DevSink`) on a file of its
//! own and a clock the case moves (`AccountWorld::advance`).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request};
use cancuoc_core::id::PersonalId;
use cancuoc_core::id::alloc::Allocator;
use cancuoc_core::person::Sex;
use cancuoc_server::{App, AppConfig, Service, router};
use cancuoc_service::sms::DevSink;
use cancuoc_store::{Citizen, FieldProvenance, IdAssignment, Provenance, Store, Verification};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::world::{Page, T0, World};

/// The password every test holder registers with.
pub const PASSWORD: &str = "Thu@Nghiem2026";

/// The test world with accounts: the usual officers, a service whose SMS
/// go to a sink file and whose clock the case moves.
pub struct AccountWorld {
    pub w: World,
    pub sink: PathBuf,
    clock: Arc<AtomicI64>,
}

impl AccountWorld {
    pub async fn new(store: Store) -> Self {
        Self::with_config(store, AppConfig::default()).await
    }

    /// The world with the web settings `config` (test hooks always on).
    pub async fn with_config(store: Store, config: AppConfig) -> Self {
        let shared = cancuoc_testkit::world::world(store.clone(), T0).await;
        let clock = Arc::new(AtomicI64::new(T0));
        let read = clock.clone();
        let sink = std::env::temp_dir().join(format!(
            "{}.jsonl",
            cancuoc_testkit::unique("cancuoc-sms-web")
        ));
        let service = Service::new(
            store.clone(),
            Allocator::new([42; 16]),
            Arc::new(move || {
                jiff::Timestamp::from_second(read.load(Ordering::SeqCst)).expect("instant")
            }),
        )
        .await
        .expect("service")
        .with_sms_gateway(Arc::new(DevSink::new(sink.clone())));
        let app = App::new(
            service,
            AppConfig {
                test_hooks: true,
                ..config
            },
        );
        let w = World {
            receptionist: shared.receptionist.token,
            other_receptionist: shared.other_receptionist.token,
            commune_police: shared.commune_police.token,
            processor: shared.processor.token,
            approver: shared.approver.token,
            printer: shared.printer.token,
            dispatcher: shared.dispatcher.token,
            return_officer: shared.return_officer.token,
            admin: shared.admin.token,
            province_officer: shared.province_officer.token,
            router: router(app.clone()),
            app,
            store,
        };
        Self { w, sink, clock }
    }

    pub fn router(&self) -> &Router {
        &self.w.router
    }

    /// Moves the service's clock `secs` seconds on.
    pub fn advance(&self, secs: i64) {
        self.clock.fetch_add(secs, Ordering::SeqCst);
    }

    /// The newest code sent to `phone`.
    #[track_caller]
    pub fn code_for(&self, phone: &str) -> String {
        DevSink::last_code_for(&self.sink, phone).expect("a code in the SMS sink")
    }

    /// How many messages went to `phone`.
    pub fn sent_to(&self, phone: &str) -> usize {
        DevSink::read(&self.sink)
            .iter()
            .filter(|l| l.to == phone)
            .count()
    }
}

impl Drop for AccountWorld {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.sink);
    }
}

/// A citizen on record with a phone and an active card.
#[derive(Clone, Debug)]
pub struct Holder {
    pub citizen: Citizen,
    pub pid: &'static str,
    pub phone: &'static str,
    pub name: &'static str,
    /// As typed: `17/05/1990`.
    pub dob: &'static str,
    /// As typed: `01/07/2024`.
    pub issued: &'static str,
}

/// Records a man born 17 May 1990 with `pid`, `phone` (self-declared, as
/// the rest of the record is verified against the population database)
/// and a card issued on 1 July 2024.
pub async fn holder(store: &Store, pid: &'static str, phone: &'static str) -> Holder {
    let name = "Nguyễn Văn Tài Khoản";
    let mut c = cancuoc_testkit::world::citizen(name, "1990-05-17", Sex::Male, Some(pid));
    c.phone = Some(phone.to_owned());
    c.temporary_residence = Some("Số 5 Phố Tạm Trú, Phường Thử".into());
    let mut prov = FieldProvenance::all_verified("npd");
    for field in ["phone", "temporary_residence"] {
        prov.fields.insert(
            field.to_owned(),
            Provenance {
                status: Verification::SelfDeclared,
                source: "citizen".into(),
            },
        );
    }
    c.provenance = prov;
    let citizen = store
        .register_citizen(&c, IdAssignment::AsGiven, None, T0)
        .await
        .expect("citizen");
    assert_eq!(
        citizen.personal_id,
        Some(PersonalId::parse(pid).expect("id"))
    );
    store
        .issue_card(citizen.id, jiff::civil::date(2024, 7, 1), None, None, T0)
        .await
        .expect("card");
    Holder {
        citizen,
        pid,
        phone,
        name,
        dob: "17/05/1990",
        issued: "01/07/2024",
    }
}

/// The first holder of most cases.
pub const PID: &str = "001090000101";
pub const PHONE: &str = "0912000101";

/// One request as a browser sends it: from `ip`, with `cookie` (a
/// `name=value`) when given, the form when given.
pub async fn send(
    router: &Router,
    ip: &str,
    method: Method,
    uri: &str,
    cookie: Option<&str>,
    form: Option<&[(&str, &str)]>,
) -> Page {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let body = match form {
        Some(pairs) => {
            req = req.header("content-type", "application/x-www-form-urlencoded");
            Body::from(
                form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(pairs)
                    .finish(),
            )
        }
        None => Body::empty(),
    };
    let mut req = req.body(body).expect("request");
    let addr: std::net::SocketAddr = format!("{ip}:40000").parse().expect("addr");
    req.extensions_mut().insert(ConnectInfo(addr));
    let res = router.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Page {
        status,
        headers,
        html: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// The value of hidden field `name` on a page.
#[track_caller]
pub fn hidden(p: &Page, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let at = p
        .html
        .find(&key)
        .unwrap_or_else(|| panic!("no hidden {name} on the page:\n{}", p.html));
    let rest = &p.html[at + key.len()..];
    rest[..rest.find('"').expect("end")].to_owned()
}

/// Fills and posts the public form at `path` from `ip`: opens it, adds
/// its captcha's answer (through the test hook) to `pairs`.
pub async fn post_public(router: &Router, ip: &str, path: &str, pairs: &[(&str, &str)]) -> Page {
    let form = send(router, ip, Method::GET, path, None, None).await;
    let form = form.html(200, &[]);
    let challenge = {
        let key = "name=\"challenge\" value=\"";
        let at = form.find(key).expect("a captcha on the form");
        let rest = &form[at + key.len()..];
        rest[..rest.find('"').expect("end")].to_owned()
    };
    let answer = super::web_citizen_status::answer_of(router, &challenge).await;
    let mut all: Vec<(&str, &str)> = pairs.to_vec();
    all.push(("challenge", &challenge));
    all.push(("captcha", &answer));
    let action = path.split('?').next().unwrap_or(path);
    let query = path.split_once('?').map(|(_, q)| format!("?{q}"));
    let to = format!("{action}{}", query.unwrap_or_default());
    send(router, ip, Method::POST, &to, None, Some(&all)).await
}

/// Registers `h` with [`PASSWORD`] and confirms with the code; then moves
/// the clock past the cooldown between two codes to one number.
pub async fn register(a: &AccountWorld, h: &Holder) {
    let ip = "10.1.0.1";
    let code_page = post_public(
        a.router(),
        ip,
        "/tai-khoan/dang-ky",
        &[
            ("so_dinh_danh", h.pid),
            ("dien_thoai", h.phone),
            ("ho_ten", h.name),
            ("ngay_sinh", h.dob),
            ("ngay_cap", h.issued),
            ("mat_khau", PASSWORD),
            ("mat_khau_2", PASSWORD),
        ],
    )
    .await;
    code_page.html(200, &["name=\"muc_dich\" value=\"dang_ky\""]);
    let done = confirm(a, &code_page, &a.code_for(h.phone), None).await;
    done.html(200, &["Đã đăng ký tài khoản"]);
    a.advance(COOLDOWN);
}

/// A little more than the cooldown between two codes to one number.
pub const COOLDOWN: i64 = 61;

/// Sends `code` on a code page (its hidden fields as they are).
pub async fn confirm(a: &AccountWorld, code_page: &Page, code: &str, cookie: Option<&str>) -> Page {
    let mut pairs = Vec::new();
    let fields = [
        "challenge",
        "muc_dich",
        "so",
        "hieu_luc",
        "het_han_luc",
        "gui_lai_luc",
    ];
    let values: Vec<String> = fields.iter().map(|f| hidden(code_page, f)).collect();
    for (f, v) in fields.iter().zip(&values) {
        pairs.push((*f, v.as_str()));
    }
    pairs.push(("ma_otp", code));
    send(
        a.router(),
        "10.1.0.2",
        Method::POST,
        "/tai-khoan/xac-thuc",
        cookie,
        Some(&pairs),
    )
    .await
}

/// Logs `h` in with `password` from `ip` (presenting `cookie`, if any):
/// the login form's answer.
pub async fn login_form(a: &AccountWorld, ip: &str, pid: &str, password: &str) -> Page {
    post_public(
        a.router(),
        ip,
        "/tai-khoan/dang-nhap",
        &[("so_dinh_danh", pid), ("mat_khau", password)],
    )
    .await
}

/// The `name=value` of the account cookie a response sets.
#[track_caller]
pub fn cookie_of(p: &Page) -> String {
    let c = p.header("set-cookie");
    assert!(
        c.starts_with("cancuoc_tai_khoan="),
        "no account cookie: {c:?}\n{}",
        p.html
    );
    c.split(';').next().expect("pair").to_owned()
}

/// Logs `h` in through both steps (then moves the clock past the
/// cooldown); the session cookie (`name=value`).
pub async fn log_in(a: &AccountWorld, h: &Holder, previous: Option<&str>) -> String {
    let code_page = login_form(a, "10.1.0.3", h.pid, PASSWORD).await;
    code_page.html(200, &["name=\"muc_dich\" value=\"dang_nhap\""]);
    let done = confirm(a, &code_page, &a.code_for(h.phone), previous).await;
    assert_eq!(done.status.as_u16(), 303, "{}", done.html);
    assert_eq!(done.header("location"), "/tai-khoan");
    a.advance(COOLDOWN);
    cookie_of(&done)
}

/// A registered, logged-in holder: the world, the holder, the cookie.
pub async fn logged_in(store: Store) -> (AccountWorld, Holder, String) {
    let a = AccountWorld::new(store).await;
    let h = holder(&a.w.store, PID, PHONE).await;
    register(&a, &h).await;
    let cookie = log_in(&a, &h, None).await;
    (a, h, cookie)
}

/// `GET path` with the session cookie.
pub async fn get_with(a: &AccountWorld, path: &str, cookie: &str) -> Page {
    send(
        a.router(),
        "10.1.0.4",
        Method::GET,
        path,
        Some(cookie),
        None,
    )
    .await
}

/// `POST path` with the session cookie and `pairs`.
pub async fn post_with(a: &AccountWorld, path: &str, cookie: &str, pairs: &[(&str, &str)]) -> Page {
    send(
        a.router(),
        "10.1.0.4",
        Method::POST,
        path,
        Some(cookie),
        Some(pairs),
    )
    .await
}

/// The page's error summary and the messages beside the fields, without
/// anything that differs between two renderings of one answer (the
/// captcha's id and image).
pub fn answer_text(p: &Page) -> String {
    let html = &p.html;
    let start = html.find("<main").unwrap_or(0);
    let end = html
        .find("<fieldset class=\"captcha\"")
        .or_else(|| html.find("</main>"))
        .unwrap_or(html.len());
    html[start..end].to_owned()
}

// ------------------------------------------------------------------ cases

pub async fn a_citizen_registers_with_the_code_sent_to_the_phone_on_record(store: Store) {
    let a = AccountWorld::new(store).await;
    let h = holder(&a.w.store, PID, PHONE).await;
    let form = send(
        a.router(),
        "10.0.0.1",
        Method::GET,
        "/tai-khoan/dang-ky",
        None,
        None,
    )
    .await;
    form.html(
        200,
        &[
            "<label for=\"so_dinh_danh\">Số định danh cá nhân</label>",
            "<label for=\"mat_khau\">Mật khẩu</label>",
            "<label for=\"mat_khau_2\">Nhập lại mật khẩu</label>",
            "<label for=\"captcha\">",
            // The policy's rules are listed under the new password.
            "<ul class=\"rules\" id=\"mat_khau-rules\"",
            "<li>Từ 8 đến 20 ký tự</li>",
            "<li>Ít nhất một chữ số (0–9)</li>",
            "aria-describedby=\"mat_khau-rules\"",
        ],
    );
    let code_page = post_public(
        a.router(),
        "10.0.0.1",
        "/tai-khoan/dang-ky",
        &[
            ("so_dinh_danh", h.pid),
            ("dien_thoai", h.phone),
            ("ho_ten", "nguyen van tai khoan"),
            ("ngay_sinh", h.dob),
            ("ngay_cap", h.issued),
            ("mat_khau", PASSWORD),
            ("mat_khau_2", PASSWORD),
        ],
    )
    .await;
    // The code page: where the code went, how long it lasts, the
    // challenge in a hidden field, and when a new code may be asked for
    // (10:00:00 + 60 s, Vietnam time).
    code_page.html(
        200,
        &[
            "Xác thực đăng ký",
            // A registration answers the same whatever matched: so says
            // the page.
            "Nếu thông tin khớp với hồ sơ, mã xác thực gồm 6 chữ số đã được gửi bằng tin nhắn tới số <strong class=\"num\">•••• ••• 101</strong>.",
            "Mã có hiệu lực trong 2 phút (đến 10:02:00, giờ Việt Nam)",
            "name=\"muc_dich\" value=\"dang_ky\"",
            "<label for=\"ma_otp\">Mã xác thực (OTP)</label>",
            "autocomplete=\"one-time-code\"",
            "Có thể yêu cầu mã mới từ <time>10:01:00</time>",
            "data-resend-in=\"60\"",
        ],
    );
    let challenge = hidden(&code_page, "challenge");
    assert_eq!(challenge.len(), 64, "{challenge}");
    assert_eq!(a.sent_to(PHONE), 1);
    let done = confirm(&a, &code_page, &a.code_for(PHONE), None).await;
    done.html(
        200,
        &["Đã đăng ký tài khoản", "href=\"/tai-khoan/dang-nhap\""],
    );
    // The same code again: used.
    let again = confirm(&a, &code_page, &a.code_for(PHONE), None).await;
    again.html(401, &["Mã OTP này đã được sử dụng"]);
    let acc =
        a.w.store
            .account(h.citizen.id)
            .await
            .expect("read")
            .expect("an account");
    assert!(acc.account.has_password);
}

pub async fn a_refused_registration_names_every_field_and_each_broken_password_rule(store: Store) {
    let a = AccountWorld::new(store).await;
    // Passwords that agree: the service's answer, every field at once.
    let p = post_public(
        a.router(),
        "10.0.0.2",
        "/tai-khoan/dang-ky",
        &[
            ("so_dinh_danh", "0010900001"),
            ("dien_thoai", "12345"),
            ("ho_ten", ""),
            ("ngay_sinh", "31/02/1990"),
            ("ngay_cap", "2024"),
            ("mat_khau", "abc"),
            ("mat_khau_2", "abc"),
        ],
    )
    .await;
    p.html(
        422,
        &[
            "Chưa đăng ký được. Hãy sửa:",
            "<a href=\"#so_dinh_danh\">",
            "<a href=\"#dien_thoai\">",
            "<a href=\"#ho_ten\">",
            "<a href=\"#ngay_sinh\">",
            "<a href=\"#ngay_cap\">",
            "<a href=\"#mat_khau\">",
            "id=\"so_dinh_danh-err\"",
            "id=\"ngay_cap-err\"><li>Cần đủ ngày, tháng và năm (ví dụ 15/03/1990).</li>",
        ],
    );
    // One line per broken rule of the password.
    let err = &p.html[p.html.find("id=\"mat_khau-err\"").expect("password errors")..];
    let err = &err[..err.find("</ul>").expect("end")];
    assert!(err.matches("<li>").count() >= 3, "{err}");
    assert!(
        !p.html.contains("value=\"abc\""),
        "a password is never shown back"
    );
    assert_eq!(a.sent_to("0912345678"), 0);
    // Passwords that differ: said beside the second, with the rest.
    let p = post_public(
        a.router(),
        "10.0.0.2",
        "/tai-khoan/dang-ky?lang=en",
        &[
            ("so_dinh_danh", PID),
            ("dien_thoai", PHONE),
            ("ho_ten", "Nguyễn Văn Tài Khoản"),
            ("ngay_sinh", "17/05/1990"),
            ("ngay_cap", "01/07/2024"),
            ("mat_khau", PASSWORD),
            ("mat_khau_2", "Thu@Nghiem2027"),
        ],
    )
    .await;
    p.html(
        422,
        &[
            "Not registered yet. Please correct:",
            "<a href=\"#mat_khau_2\">Password again: The password typed again does not match the password.</a>",
        ],
    );
    assert!(
        !p.html.contains("Chưa đăng ký được"),
        "only the page's language"
    );
    assert_eq!(DevSink::read(&a.sink).len(), 0, "nothing sent");
}

pub async fn a_login_confirmed_by_the_code_opens_a_session_with_a_safe_cookie(store: Store) {
    let a = AccountWorld::new(store).await;
    let h = holder(&a.w.store, PID, PHONE).await;
    register(&a, &h).await;
    let code_page = login_form(&a, "10.0.0.3", PID, PASSWORD).await;
    code_page.html(
        200,
        &[
            "Xác thực đăng nhập",
            "<p class=\"code-sent\">Mã xác thực gồm 6 chữ số đã được gửi bằng tin nhắn tới số <strong class=\"num\">•••• ••• 101</strong>.",
        ],
    );
    let done = confirm(&a, &code_page, &a.code_for(PHONE), None).await;
    assert_eq!(done.status.as_u16(), 303, "{}", done.html);
    assert_eq!(done.header("location"), "/tai-khoan");
    let set = done.header("set-cookie");
    let attrs: Vec<&str> = set.split("; ").skip(1).collect();
    assert_eq!(
        attrs,
        ["Path=/tai-khoan", "HttpOnly", "SameSite=Lax"],
        "{set}"
    );
    let cookie = cookie_of(&done);
    assert!(cookie.len() > "cancuoc_tai_khoan=".len() + 40, "{cookie}");
    let me = get_with(&a, "/tai-khoan", &cookie).await;
    me.html(200, &["Thông tin định danh", PID, "Mức độ 1"]);
}

pub async fn behind_tls_the_session_cookie_is_also_secure(store: Store) {
    let a = AccountWorld::with_config(
        store,
        AppConfig {
            behind_tls: true,
            ..AppConfig::default()
        },
    )
    .await;
    let h = holder(&a.w.store, PID, PHONE).await;
    register(&a, &h).await;
    let code_page = login_form(&a, "10.0.0.4", PID, PASSWORD).await;
    let done = confirm(&a, &code_page, &a.code_for(PHONE), None).await;
    assert_eq!(done.status.as_u16(), 303, "{}", done.html);
    let set = done.header("set-cookie");
    let attrs: Vec<&str> = set.split("; ").skip(1).collect();
    assert_eq!(
        attrs,
        ["Path=/tai-khoan", "HttpOnly", "SameSite=Lax", "Secure"],
        "{set}"
    );
}

pub async fn the_identification_page_marks_each_field_verified_or_self_declared(store: Store) {
    let (a, h, cookie) = logged_in(store).await;
    // A child under 14 linked to the holder.
    let mut child = cancuoc_testkit::world::citizen(
        "Nguyễn Bé Con",
        "2018-03-02",
        Sex::Female,
        Some("001318000202"),
    );
    child.phone = None;
    let child =
        a.w.store
            .register_citizen(&child, IdAssignment::AsGiven, None, T0)
            .await
            .expect("child");
    a.w.store
        .link_guardian(child.id, h.citizen.id, "father")
        .await
        .expect("link");
    let me = get_with(&a, "/tai-khoan", &cookie).await;
    let html = me.html(
        200,
        &[
            "<h1>Thông tin định danh</h1>",
            "Mức độ 1",
            "Nguồn: Cơ sở dữ liệu quốc gia về dân cư",
            "Nguồn: Công dân tự khai",
            "Con dưới 14 tuổi",
            "Nguyễn Bé Con",
            "001318000202",
            "Bạn là cha",
            "href=\"/tai-khoan/vi\"",
            "href=\"/tai-khoan/lich-su\"",
            "href=\"/tai-khoan/phien\"",
            "href=\"/tai-khoan/doi-mat-khau\"",
            "action=\"/tai-khoan/dang-xuat\"",
        ],
    );
    // Each field's mark, in colour and in words: the name verified, the
    // phone self-declared.
    let row = |name: &str| {
        let at = html.find(&format!("id=\"f-{name}\"")).expect(name);
        let rest = &html[at..];
        rest[..rest.find("</div>").expect("end")].to_owned()
    };
    let name = row("full_name");
    assert!(
        name.contains("class=\"mark verified\"") && name.contains("Đã xác thực"),
        "{name}"
    );
    let phone = row("phone");
    assert!(
        phone.contains("class=\"mark declared\"") && phone.contains("Tự khai"),
        "{phone}"
    );
    assert!(phone.contains(PHONE), "{phone}");
    let en = get_with(&a, "/tai-khoan?lang=en", &cookie).await;
    en.html(
        200,
        &[
            "Identification data",
            "Verified",
            "Self-declared",
            "Level 1",
        ],
    );
}

pub async fn the_wallet_shows_the_card_its_standing_and_its_qr_code(store: Store) {
    let (a, _, cookie) = logged_in(store).await;
    let w = get_with(&a, "/tai-khoan/vi", &cookie).await;
    w.html(
        200,
        &[
            "<h1>Ví giấy tờ</h1>",
            "Thẻ Căn cước",
            PID,
            "01/07/2024",
            // Born 1990, so the card lasts until the 40th birthday.
            "17/05/2030",
            "class=\"card-status status-valid\">Còn giá trị sử dụng",
            "<svg role=\"img\" aria-label=\"Mã QR trên thẻ\" class=\"qr\"",
            "Nội dung mã QR",
            "001090000101||Nguyễn Văn Tài Khoản|17051990|Nam|",
        ],
    );
}

pub async fn a_wrong_code_says_how_many_tries_remain_in_both_languages(store: Store) {
    let a = AccountWorld::new(store).await;
    let h = holder(&a.w.store, PID, PHONE).await;
    register(&a, &h).await;
    let code_page = login_form(&a, "10.0.0.5", PID, PASSWORD).await;
    let right = a.code_for(PHONE);
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let p = confirm(&a, &code_page, wrong, None).await;
    p.html(
        401,
        &[
            "Chưa xác thực được:",
            "<a href=\"#ma_otp\">Mã xác thực (OTP): Mã OTP không đúng. Bạn còn 4 lần nhập.</a>",
            "id=\"ma_otp-err\"",
            // The page keeps its challenge and its times (sent at
            // 10:01:01).
            "Mã có hiệu lực trong 2 phút (đến 10:03:01, giờ Việt Nam)",
        ],
    );
    assert_eq!(hidden(&p, "challenge"), hidden(&code_page, "challenge"));
    let mut pairs: Vec<(String, String)> = [
        "challenge",
        "muc_dich",
        "so",
        "hieu_luc",
        "het_han_luc",
        "gui_lai_luc",
    ]
    .iter()
    .map(|f| ((*f).to_owned(), hidden(&code_page, f)))
    .collect();
    pairs.push(("ma_otp".into(), wrong.into()));
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let en = send(
        a.router(),
        "10.0.0.5",
        Method::POST,
        "/tai-khoan/xac-thuc?lang=en",
        None,
        Some(&refs),
    )
    .await;
    en.html(401, &["The code is wrong. 3 tries left."]);
    // A code that is not 6 digits is said beside the field.
    let p = confirm(&a, &code_page, "12a", None).await;
    p.html(422, &["Mã xác thực gồm đúng 6 chữ số."]);
    // The right one still works.
    let ok = confirm(&a, &code_page, &right, None).await;
    assert_eq!(ok.status.as_u16(), 303, "{}", ok.html);
}

pub async fn a_new_code_waits_for_the_cooldown_the_page_counts_down(store: Store) {
    let a = AccountWorld::new(store).await;
    let h = holder(&a.w.store, PID, PHONE).await;
    register(&a, &h).await;
    let code_page = login_form(&a, "10.0.0.6", PID, PASSWORD).await;
    let first = a.code_for(PHONE);
    let fields = [
        "challenge",
        "muc_dich",
        "so",
        "hieu_luc",
        "het_han_luc",
        "gui_lai_luc",
    ];
    let values: Vec<String> = fields.iter().map(|f| hidden(&code_page, f)).collect();
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .zip(&values)
        .map(|(f, v)| (*f, v.as_str()))
        .collect();
    a.advance(20);
    let early = resend_code(&a, &pairs).await;
    early.html(
        429,
        &[
            "Vui lòng đợi 40 giây trước khi yêu cầu gửi lại mã OTP.",
            "Có thể thử lại từ 10:02:01 (giờ Việt Nam).",
            "<span data-countdown>40</span>",
        ],
    );
    assert_eq!(a.code_for(PHONE), first, "nothing sent early");
    a.advance(41);
    let later = resend_code(&a, &pairs).await;
    later.html(
        200,
        &[
            "Đã gửi mã xác thực mới; mã cũ không còn dùng được.",
            "data-resend-in=\"60\"",
        ],
    );
    let second = a.code_for(PHONE);
    // The new code opens the session; the page keeps the same challenge.
    assert_eq!(hidden(&later, "challenge"), hidden(&code_page, "challenge"));
    let ok = confirm(&a, &later, &second, None).await;
    assert_eq!(ok.status.as_u16(), 303, "{}", ok.html);
}

/// Asks for a new code on a code page (its hidden fields in `pairs`).
async fn resend_code(a: &AccountWorld, pairs: &[(&str, &str)]) -> Page {
    send(
        a.router(),
        "10.0.0.6",
        Method::POST,
        "/tai-khoan/gui-lai-ma",
        None,
        Some(pairs),
    )
    .await
}

pub async fn the_code_page_has_no_address_of_its_own(store: Store) {
    let a = AccountWorld::new(store).await;
    let p = send(
        a.router(),
        "10.0.0.7",
        Method::GET,
        "/tai-khoan/xac-thuc",
        None,
        None,
    )
    .await;
    p.html(200, &["Nhập mã xác thực", "href=\"/tai-khoan/dang-nhap\""]);
    let p = send(
        a.router(),
        "10.0.0.7",
        Method::POST,
        "/tai-khoan/xac-thuc",
        None,
        Some(&[("muc_dich", "dang_nhap"), ("ma_otp", "123456")]),
    )
    .await;
    p.html(200, &["Nhập mã xác thực"]);
    assert!(p.header("set-cookie").is_empty());
}

pub async fn a_locked_accounts_login_reads_exactly_as_a_wrong_password(store: Store) {
    let a = AccountWorld::new(store).await;
    let h = holder(&a.w.store, PID, PHONE).await;
    register(&a, &h).await;
    let wrong = login_form(&a, "10.0.0.8", PID, "Sai@MatKhau1").await;
    wrong.html(
        401,
        &[
            "Chưa đăng nhập được. Hãy sửa:",
            "Số định danh cá nhân hoặc mật khẩu không đúng",
        ],
    );
    assert!(wrong.header("set-cookie").is_empty());
    // Locked by its owner, from the lock page.
    let locked = post_public(
        a.router(),
        "10.0.0.9",
        "/tai-khoan/khoa",
        &[
            ("so_dinh_danh", PID),
            ("dien_thoai", PHONE),
            ("ngay_sinh", h.dob),
            ("ngay_cap", h.issued),
        ],
    )
    .await;
    locked.html(200, &["Đã nhận yêu cầu khóa tài khoản"]);
    let sent = a.sent_to(PHONE);
    let right = login_form(&a, "10.0.0.8", PID, PASSWORD).await;
    assert_eq!(right.status, wrong.status);
    assert_eq!(answer_text(&right), answer_text(&wrong));
    assert_eq!(a.sent_to(PHONE), sent, "no code to a locked account");
    // An unknown number reads the same too.
    let unknown = login_form(&a, "10.0.0.8", "001090000999", PASSWORD).await;
    assert_eq!(unknown.status, wrong.status);
    assert_eq!(
        answer_text(&unknown).replace("001090000999", PID),
        answer_text(&wrong)
    );
}

pub async fn the_cookie_changes_at_every_login_and_dies_at_logout(store: Store) {
    let (a, h, first) = logged_in(store).await;
    // A second login presenting the first cookie: a new value, the old
    // one closed (no fixation).
    let second = log_in(&a, &h, Some(&first)).await;
    assert_ne!(first, second);
    let old = get_with(&a, "/tai-khoan", &first).await;
    assert_eq!(old.status.as_u16(), 303, "{}", old.html);
    assert_eq!(old.header("location"), "/tai-khoan/dang-nhap?het_han=1");
    assert!(old.header("set-cookie").contains("Max-Age=0"));
    get_with(&a, "/tai-khoan", &second).await.html(200, &[PID]);
    // Logout: the cookie is removed and no longer accepted.
    let me = get_with(&a, "/tai-khoan", &second).await;
    let csrf = hidden(&me, "csrf");
    let out = post_with(&a, "/tai-khoan/dang-xuat", &second, &[("csrf", &csrf)]).await;
    assert_eq!(out.status.as_u16(), 303, "{}", out.html);
    assert_eq!(out.header("location"), "/tai-khoan/dang-nhap?da_thoat=1");
    assert!(out.header("set-cookie").contains("Max-Age=0"));
    let after = get_with(&a, "/tai-khoan", &second).await;
    assert_eq!(after.status.as_u16(), 303);
    assert!(after.header("location").starts_with("/tai-khoan/dang-nhap"));
    let bye = send(
        a.router(),
        "10.0.0.10",
        Method::GET,
        "/tai-khoan/dang-nhap?da_thoat=1",
        None,
        None,
    )
    .await;
    bye.html(200, &["Bạn đã đăng xuất."]);
    // Without any cookie: to the login page, no notice.
    let anon = send(
        a.router(),
        "10.0.0.10",
        Method::GET,
        "/tai-khoan/vi",
        None,
        None,
    )
    .await;
    assert_eq!(anon.status.as_u16(), 303);
    assert_eq!(anon.header("location"), "/tai-khoan/dang-nhap");
}

pub async fn every_logged_in_form_refuses_a_missing_or_wrong_csrf_token(store: Store) {
    let (a, _, cookie) = logged_in(store).await;
    let me = get_with(&a, "/tai-khoan/phien", &cookie).await;
    let csrf = hidden(&me, "csrf");
    let handle = hidden(&me, "phien");
    let wrong = format!("{}x", &csrf[..csrf.len() - 1]);
    for (path, extra) in [
        ("/tai-khoan/dang-xuat", vec![]),
        ("/tai-khoan/phien/ket-thuc", vec![("tat_ca", "1")]),
        (
            "/tai-khoan/phien/ket-thuc",
            vec![("phien", handle.as_str())],
        ),
        (
            "/tai-khoan/doi-mat-khau",
            vec![
                ("mat_khau", PASSWORD),
                ("mat_khau_moi", "Moi@MatKhau2027"),
                ("mat_khau_moi_2", "Moi@MatKhau2027"),
            ],
        ),
    ] {
        for token in [None, Some(wrong.as_str()), Some("")] {
            let mut pairs = extra.clone();
            if let Some(t) = token {
                pairs.push(("csrf", t));
            }
            let p = post_with(&a, path, &cookie, &pairs).await;
            p.html(
                403,
                &["Biểu mẫu không hợp lệ hoặc đã cũ (sai mã chống giả mạo)."],
            );
        }
        // The right token from another site is refused too.
        let mut pairs = extra.clone();
        pairs.push(("csrf", csrf.as_str()));
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("cookie", cookie.as_str())
            .header("host", "cong.example")
            .header("origin", "http://evil.example")
            .header("content-type", "application/x-www-form-urlencoded");
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish();
        let res = a
            .router()
            .clone()
            .oneshot(req.body(Body::from(body)).expect("request"))
            .await
            .expect("infallible");
        assert_eq!(res.status().as_u16(), 403, "{path} from another site");
    }
    // Nothing happened: the session is live, the password unchanged.
    get_with(&a, "/tai-khoan", &cookie).await.html(200, &[PID]);
    let acc = a.w.store.account(a_citizen(&a).await).await.expect("read");
    assert_eq!(
        acc.expect("account").account.password_set_at,
        Some(T0),
        "the password was not changed"
    );
}

/// The record id of [`PID`].
async fn a_citizen(a: &AccountWorld) -> cancuoc_store::CitizenId {
    a.w.store
        .citizen_by_personal_id(&PersonalId::parse(PID).expect("id"))
        .await
        .expect("citizen")
        .id
}

pub async fn an_idle_session_goes_to_the_login_page_with_a_notice(store: Store) {
    let (a, _, cookie) = logged_in(store).await;
    get_with(&a, "/tai-khoan", &cookie).await.html(200, &[PID]);
    a.advance(14 * 60);
    get_with(&a, "/tai-khoan", &cookie).await.html(200, &[PID]);
    a.advance(15 * 60 + 1);
    let gone = get_with(&a, "/tai-khoan/vi", &cookie).await;
    assert_eq!(gone.status.as_u16(), 303, "{}", gone.html);
    assert_eq!(gone.header("location"), "/tai-khoan/dang-nhap?het_han=1");
    assert!(gone.header("set-cookie").contains("Max-Age=0"));
    let login = send(
        a.router(),
        "10.0.0.11",
        Method::GET,
        gone.header("location"),
        None,
        None,
    )
    .await;
    login.html(
        200,
        &["Phiên đăng nhập đã hết (sau 15 phút không thao tác, hoặc sau 12 giờ). Hãy đăng nhập lại."],
    );
}

pub async fn the_history_and_the_sessions_show_the_logins_in_vietnam_time(store: Store) {
    let (a, h, first) = logged_in(store).await;
    a.advance(5 * 60);
    // A second session, from another browser.
    let second = log_in(&a, &h, None).await;
    let hist = get_with(&a, "/tai-khoan/lich-su", &first).await;
    hist.html(
        200,
        &[
            "Lịch sử đăng nhập và thay đổi",
            // Registered at 10:00, logged in at 10:01 and 10:07.
            "<time>21/11/2026 10:07</time> <strong>Đăng nhập thành công</strong>",
            "<time>21/11/2026 10:01</time> <strong>Đăng nhập thành công</strong>",
            "<time>21/11/2026 10:00</time> <strong>Đăng ký tài khoản</strong>",
            "Gửi mã xác thực",
        ],
    );
    let list = get_with(&a, "/tai-khoan/phien", &second).await;
    let html = list.html(
        200,
        &[
            "Các phiên đăng nhập",
            "phiên này",
            "Kết thúc tất cả các phiên",
        ],
    );
    assert_eq!(html.matches("class=\"end-one\"").count(), 2, "{html}");
    // End the other one (the first login's).
    let csrf = hidden(&list, "csrf");
    // The handles of both, and the current one's (the first after its
    // mark).
    let key = "name=\"phien\" value=\"";
    let handles: Vec<(usize, String)> = html
        .match_indices(key)
        .map(|(at, _)| {
            let rest = &html[at + key.len()..];
            (at, rest[..rest.find('"').expect("end")].to_owned())
        })
        .collect();
    let current = html.find("class=\"current\"").expect("current");
    let mine = handles
        .iter()
        .find(|(at, _)| *at > current)
        .map(|(_, h)| h.clone())
        .expect("the current session's handle");
    let other_handle = handles
        .iter()
        .map(|(_, h)| h.clone())
        .find(|h| *h != mine)
        .expect("another session");
    let ended = post_with(
        &a,
        "/tai-khoan/phien/ket-thuc",
        &second,
        &[("csrf", &csrf), ("phien", &other_handle)],
    )
    .await;
    assert_eq!(ended.status.as_u16(), 303, "{}", ended.html);
    assert_eq!(ended.header("location"), "/tai-khoan/phien");
    assert_eq!(
        get_with(&a, "/tai-khoan", &first).await.status.as_u16(),
        303
    );
    get_with(&a, "/tai-khoan", &second).await.html(200, &[PID]);
    // End all: this one too, to the login page.
    let all = post_with(
        &a,
        "/tai-khoan/phien/ket-thuc",
        &second,
        &[("csrf", &csrf), ("tat_ca", "1")],
    )
    .await;
    assert_eq!(all.status.as_u16(), 303);
    assert_eq!(all.header("location"), "/tai-khoan/dang-nhap?da_thoat=1");
    assert_eq!(
        get_with(&a, "/tai-khoan", &second).await.status.as_u16(),
        303
    );
}

pub async fn changing_the_password_ends_every_session(store: Store) {
    let (a, h, cookie) = logged_in(store).await;
    let form = get_with(&a, "/tai-khoan/doi-mat-khau", &cookie).await;
    form.html(
        200,
        &[
            "<label for=\"mat_khau\">Mật khẩu hiện tại</label>",
            "<label for=\"mat_khau_moi\">Mật khẩu mới</label>",
            "id=\"mat_khau_moi-rules\"",
        ],
    );
    let csrf = hidden(&form, "csrf");
    let new = "Moi@MatKhau2027";
    let p = post_with(
        &a,
        "/tai-khoan/doi-mat-khau",
        &cookie,
        &[
            ("csrf", &csrf),
            ("mat_khau", PASSWORD),
            ("mat_khau_moi", new),
            ("mat_khau_moi_2", "Moi@MatKhau2028"),
        ],
    )
    .await;
    p.html(
        422,
        &["<a href=\"#mat_khau_moi_2\">Nhập lại mật khẩu mới: Mật khẩu mới nhập lại không khớp.</a>"],
    );
    let p = post_with(
        &a,
        "/tai-khoan/doi-mat-khau",
        &cookie,
        &[
            ("csrf", &csrf),
            ("mat_khau", "Sai@MatKhau1"),
            ("mat_khau_moi", new),
            ("mat_khau_moi_2", new),
        ],
    )
    .await;
    p.html(
        422,
        &["<a href=\"#mat_khau\">Mật khẩu hiện tại: Không đúng mật khẩu đang dùng.</a>"],
    );
    let p = post_with(
        &a,
        "/tai-khoan/doi-mat-khau",
        &cookie,
        &[
            ("csrf", &csrf),
            ("mat_khau", PASSWORD),
            ("mat_khau_moi", "12345678"),
            ("mat_khau_moi_2", "12345678"),
        ],
    )
    .await;
    p.html(
        422,
        &["id=\"mat_khau_moi-err\"", "<a href=\"#mat_khau_moi\">"],
    );
    let ok = post_with(
        &a,
        "/tai-khoan/doi-mat-khau",
        &cookie,
        &[
            ("csrf", &csrf),
            ("mat_khau", PASSWORD),
            ("mat_khau_moi", new),
            ("mat_khau_moi_2", new),
        ],
    )
    .await;
    assert_eq!(ok.status.as_u16(), 303, "{}", ok.html);
    assert_eq!(ok.header("location"), "/tai-khoan/dang-nhap?doi_mat_khau=1");
    assert_eq!(
        get_with(&a, "/tai-khoan", &cookie).await.status.as_u16(),
        303
    );
    // The old password no longer opens the account; the new one does.
    login_form(&a, "10.0.0.12", PID, PASSWORD)
        .await
        .html(401, &[]);
    let code_page = login_form(&a, "10.0.0.12", h.pid, new).await;
    let done = confirm(&a, &code_page, &a.code_for(PHONE), None).await;
    assert_eq!(done.status.as_u16(), 303, "{}", done.html);
}

pub async fn another_sites_post_to_the_public_forms_and_the_code_page_is_refused(store: Store) {
    let a = AccountWorld::new(store).await;
    let from_elsewhere = [("host", "cong.test"), ("origin", "http://evil.example")];
    for (path, form) in [
        (
            "/tai-khoan/xac-thuc",
            &[
                ("muc_dich", "dang-nhap"),
                ("challenge", "ab12"),
                ("ma_otp", "123456"),
            ][..],
        ),
        (
            "/tai-khoan/gui-lai-ma",
            &[("muc_dich", "dang-nhap"), ("challenge", "ab12")][..],
        ),
        (
            "/tai-khoan/dang-nhap",
            &[("so_dinh_danh", "001090012345"), ("mat_khau", PASSWORD)][..],
        ),
        ("/tai-khoan/khoa", &[("so_dinh_danh", "001090012345")][..]),
    ] {
        let p =
            crate::world::web(&a.w.router, Method::POST, path, Some(form), &from_elsewhere).await;
        p.html(403, &["trang web khác"]);
        assert_eq!(p.header("set-cookie"), "", "{path}");
    }
    // The same post from the site itself is read (here: a form with
    // problems, answered on its page).
    let p = crate::world::web(
        &a.w.router,
        Method::POST,
        "/tai-khoan/dang-nhap",
        Some(&[("so_dinh_danh", "12"), ("mat_khau", "")]),
        &[("host", "cong.test"), ("origin", "http://cong.test")],
    )
    .await;
    assert_ne!(p.status, 403);
}
