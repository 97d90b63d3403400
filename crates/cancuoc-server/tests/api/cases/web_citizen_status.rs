//! `/tra-cuu`: the dossier status page behind a captcha — the form in both
//! languages, a lookup that works, and every way it can be refused (bad
//! code before the captcha is spent, wrong / reused / unknown captcha,
//! unknown dossier). Expiry, the audio and text alternatives, the rate
//! limit and the test hook are in `web_citizen_captcha.rs`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request};
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::id::alloc::Allocator;
use cancuoc_server::{App, AppConfig, Clock, Service, router};
use cancuoc_store::Store;
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

use crate::world::{
    Page, T0, World, capture_and_advance, open_dossier, page, register, send, world,
};

/// Sends a web request from client `ip` (as `ConnectInfo`, the way
/// `cancuoc serve` provides it).
pub async fn from(
    router: &Router,
    ip: &str,
    method: Method,
    uri: &str,
    form: Option<&[(&str, &str)]>,
) -> Page {
    let mut req = Request::builder().method(method).uri(uri);
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
    let addr: SocketAddr = format!("{ip}:40000").parse().expect("addr");
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

/// The value of the hidden `challenge` field of a form page.
pub fn challenge_of(p: &Page) -> String {
    let at = p
        .html
        .find("name=\"challenge\" value=\"")
        .unwrap_or_else(|| panic!("no challenge in page:\n{}", p.html));
    let rest = &p.html[at + "name=\"challenge\" value=\"".len()..];
    rest[..rest.find('"').expect("end")].to_owned()
}

/// The answer of a challenge, through the test hook.
pub async fn answer_of(router: &Router, id: &str) -> String {
    let p = page(router, &format!("/__test/captcha/{id}"), &[]).await;
    assert_eq!(p.status.as_u16(), 200, "{}", p.html);
    assert!(p.header("content-type").starts_with("text/plain"));
    p.html
}

/// The page without its inline captcha image: what must stay under 100 KB.
fn size_before_images(p: &Page) -> usize {
    let mut html = p.html.clone();
    while let Some(at) = html.find("data:image/png;base64,") {
        let end = html[at..].find('"').map_or(html.len(), |e| at + e);
        html.replace_range(at..end, "");
    }
    html.len()
}

#[track_caller]
pub fn small(p: &Page) {
    assert!(size_before_images(p) < 100 * 1024, "page over 100 KB");
    assert!(p.html.len() < 100 * 1024, "page with its image over 100 KB");
}

/// A dossier received at the district and captured; returns its code.
pub async fn captured_dossier(w: &World) -> String {
    let c = register(w, "Nguyễn Văn An", "079090012345").await;
    let d = open_dossier(w, c).await;
    let code = d["code"].as_str().expect("code").to_owned();
    capture_and_advance(w, &code).await;
    code
}

/// Shows the form to `ip` and returns the challenge id and its answer.
pub async fn fresh(router: &Router, ip: &str) -> (String, String) {
    let form = from(router, ip, Method::GET, "/tra-cuu", None).await;
    form.html(200, &["name=\"challenge\""]);
    let id = challenge_of(&form);
    let answer = answer_of(router, &id).await;
    (id, answer)
}

pub async fn submit(router: &Router, ip: &str, ma: &str, id: &str, answer: &str) -> Page {
    from(
        router,
        ip,
        Method::POST,
        "/tra-cuu",
        Some(&[("ma", ma), ("challenge", id), ("captcha", answer)]),
    )
    .await
}

const IP: &str = "192.0.2.10";

/// The world with a captured dossier; returns it and the dossier's code.
async fn with_dossier(store: Store) -> (World, String) {
    let w = world(store).await;
    let code = captured_dossier(&w).await;
    (w, code)
}

/// The code with its last (check) digit changed.
fn mistyped(code: &str) -> String {
    let last = code.as_bytes()[15] - b'0';
    format!("{}{}", &code[..15], (last + 1) % 10)
}

/// The challenge `id` still works: the lookup of `code` succeeds.
async fn still_works(r: &Router, code: &str, id: &str, answer: &str) {
    submit(r, IP, code, id, answer)
        .await
        .html(200, &["Đã thu nhận thông tin"]);
}

pub async fn the_status_form_is_labelled_with_a_captcha_and_its_alternatives(store: Store) {
    let w = world(store).await;
    let vi = from(&w.router, IP, Method::GET, "/tra-cuu", None).await;
    vi.html(
        200,
        &[
            "<html lang=\"vi\">",
            "Tra cứu tình trạng hồ sơ",
            "<label for=\"ma\">Mã hồ sơ</label>",
            "<label for=\"captcha\">",
            "data:image/png;base64,iVBOR",
            "name=\"challenge\" value=\"",
            "href=\"/tra-cuu?kieu=nghe\"",
            "href=\"/tra-cuu?kieu=chu\"",
            "không làm mất mã xác nhận",
            "/static/citizen.css",
        ],
    );
    small(&vi);
}

pub async fn the_status_form_speaks_english_with_a_challenge_of_its_own(store: Store) {
    let w = world(store).await;
    let r = &w.router;
    let vi = from(r, IP, Method::GET, "/tra-cuu", None).await;
    let en = from(r, IP, Method::GET, "/tra-cuu?lang=en", None).await;
    en.html(
        200,
        &[
            "<html lang=\"en\">",
            "Where is my card?",
            "Dossier code",
            "Security code",
            "listen to the code",
        ],
    );
    assert!(
        !en.html.contains("Mã hồ sơ"),
        "Vietnamese left on the English page"
    );
    assert_ne!(
        challenge_of(&vi),
        challenge_of(&en),
        "a new challenge per form"
    );
    small(&en);
}

pub async fn a_status_lookup_shows_the_public_progress_and_nothing_private(store: Store) {
    let (w, code) = with_dossier(store).await;
    let r = &w.router;
    // State, dated stages, promised date, on time, office and hotline;
    // nothing of the person (not even a masked name), the officers or the
    // ID.
    let (id, answer) = fresh(r, IP).await;
    let spaced = format!("{} {} {}", &code[..4], &code[4..10], &code[10..]);
    let ok = submit(r, IP, &spaced, &id, &answer.to_lowercase()).await;
    let dossier = get_json(&w, &code).await;
    let promised = dmy(dossier["promised_on"].as_str().expect("promised"));
    ok.html(
        200,
        &[
            "Đã thu nhận thông tin",
            "Đã tiếp nhận",
            "<time>21/11/2026</time>",
            &promised,
            "Đang xử lý trong hạn",
            "Công an Huyện Đông Thử",
            "href=\"tel:09000790\"",
            "Tra cứu hồ sơ khác",
        ],
    );
    let timeline = &ok.html[ok.html.find("class=\"timeline\"").expect("timeline")..];
    let first = timeline.find("Đã tiếp nhận").expect("received");
    let second = timeline.find("Đã thu nhận thông tin").expect("captured");
    assert!(first < second, "timeline oldest first");
    for secret in [
        "079090012345",
        "Lê Tiếp Nhận",
        "Nguyễn Văn An",
        "Nguyễn V** A*",
        "Người nộp",
    ] {
        assert!(
            !ok.html.contains(secret),
            "{secret} shown on the public page"
        );
    }
    assert!(
        !ok.html.contains("name=\"challenge\""),
        "no form on the result"
    );
    small(&ok);
}

/// A lookup with a second factor (`ngay_sinh` or `so_cuoi`) as well.
async fn submit_with(router: &Router, ip: &str, ma: &str, factor: (&str, &str)) -> Page {
    let (id, answer) = fresh(router, ip).await;
    from(
        router,
        ip,
        Method::POST,
        "/tra-cuu",
        Some(&[("ma", ma), ("challenge", &id), ("captcha", &answer), factor]),
    )
    .await
}

pub async fn the_date_of_birth_shows_the_applicants_masked_name(store: Store) {
    let (w, code) = with_dossier(store).await;
    let r = &w.router;
    // As people type it: slashes, hyphens, dots, no leading zeros.
    for typed in ["17/05/1990", "17-5-1990", "17.05.1990", "1990-05-17"] {
        submit_with(r, IP, &code, ("ngay_sinh", typed)).await.html(
            200,
            &["Người nộp", "Nguyễn V** A*", "Đã thu nhận thông tin"],
        );
    }
    submit_with(r, IP, &code, ("so_cuoi", "2345"))
        .await
        .html(200, &["Nguyễn V** A*"]);
}

pub async fn a_wrong_date_of_birth_shows_the_status_without_the_name(store: Store) {
    let (w, code) = with_dossier(store).await;
    let r = &w.router;
    let page = submit_with(r, IP, &code, ("ngay_sinh", "18/05/1990")).await;
    page.html(200, &["Đã thu nhận thông tin", "không khớp"]);
    assert!(
        !page.html.contains("V** A*"),
        "the name behind a wrong date"
    );
    // A date that is not one is refused before the lookup, naming it.
    let bad = submit_with(r, IP, &code, ("ngay_sinh", "31/02/1990")).await;
    bad.html(422, &["Ngày sinh không hợp lệ", "Mã xác nhận chưa bị dùng"]);
    let bad = submit_with(r, IP, &code, ("so_cuoi", "12a")).await;
    bad.html(422, &["4 chữ số cuối"]);
}

pub async fn wrong_dates_of_birth_on_the_portal_lock_the_name(store: Store) {
    let (w, code) = with_dossier(store).await;
    let r = &w.router;
    for day in 1..=5 {
        let ip = format!("192.0.2.{}", 60 + day);
        submit_with(r, &ip, &code, ("ngay_sinh", &format!("{day:02}/01/1990")))
            .await
            .html(200, &["không khớp"]);
    }
    let locked = submit_with(r, "192.0.2.99", &code, ("ngay_sinh", "17/05/1990")).await;
    locked.html(200, &["bị khóa", "Đã thu nhận thông tin"]);
    assert!(!locked.html.contains("V** A*"), "the name behind a lock");
}

pub async fn a_challenge_answered_once_is_refused_as_used(store: Store) {
    let (w, code) = with_dossier(store).await;
    let r = &w.router;
    let (id, answer) = fresh(r, IP).await;
    still_works(r, &code, &id, &answer).await;
    submit(r, IP, &code, &id, &answer)
        .await
        .html(422, &["đã được dùng", "name=\"challenge\""]);
}

pub async fn a_wrong_captcha_answer_spends_the_challenge_and_keeps_the_code(store: Store) {
    let (w, code) = with_dossier(store).await;
    let r = &w.router;
    let (id, answer) = fresh(r, IP).await;
    let wrong = submit(r, IP, &code, &id, "zzzzz").await;
    wrong.html(422, &["Mã xác nhận chưa đúng", "aria-invalid=\"true\""]);
    assert_ne!(
        challenge_of(&wrong),
        id,
        "the form comes back with a new challenge"
    );
    assert!(
        wrong.html.contains(&format!("value=\"{code}\"")),
        "the code is kept"
    );
    // The right answer afterwards: "used".
    submit(r, IP, &code, &id, &answer)
        .await
        .html(422, &["đã được dùng"]);
}

pub async fn a_wrong_check_digit_is_caught_before_the_captcha_is_spent(store: Store) {
    let (w, code) = with_dossier(store).await;
    let r = &w.router;
    let (id, answer) = fresh(r, IP).await;
    submit(r, IP, &mistyped(&code), &id, &answer).await.html(
        422,
        &[
            "Chữ số kiểm tra không đúng",
            "Mã xác nhận chưa bị dùng",
            "id=\"ma-error\"",
        ],
    );
    still_works(r, &code, &id, &answer).await;
}

pub async fn a_code_of_the_wrong_length_is_caught_before_the_captcha_is_spent(store: Store) {
    let (w, code) = with_dossier(store).await;
    let r = &w.router;
    let (id, answer) = fresh(r, IP).await;
    submit(r, IP, &code[..15], &id, &answer)
        .await
        .html(422, &["phải có 16 chữ số", "nhập 15 chữ số"]);
    still_works(r, &code, &id, &answer).await;
}

pub async fn a_code_with_letters_is_caught_before_the_captcha_is_spent(store: Store) {
    let (w, code) = with_dossier(store).await;
    let r = &w.router;
    let (id, answer) = fresh(r, IP).await;
    submit(r, IP, "0790-abc", &id, &answer)
        .await
        .html(422, &["không phải chữ số"]);
    still_works(r, &code, &id, &answer).await;
}

pub async fn an_empty_captcha_answer_is_asked_for_and_spends_nothing(store: Store) {
    let (w, code) = with_dossier(store).await;
    let r = &w.router;
    let (id, answer) = fresh(r, IP).await;
    submit(r, IP, &code, &id, "  ")
        .await
        .html(422, &["Hãy nhập mã xác nhận"]);
    still_works(r, &code, &id, &answer).await;
}

pub async fn an_unknown_challenge_is_refused(store: Store) {
    let (w, code) = with_dossier(store).await;
    let (_, answer) = fresh(&w.router, IP).await;
    submit(&w.router, IP, &code, "not-a-challenge", &answer)
        .await
        .html(422, &["Không tìm thấy mã xác nhận"]);
}

pub async fn an_unknown_dossier_is_not_found_with_its_offices_hotline(store: Store) {
    let (w, code) = with_dossier(store).await;
    let r = &w.router;
    // A well-formed code that no dossier has: "not found", what to do next,
    // the hotline of the office its first four digits name.
    let parsed = DossierCode::parse(&code).expect("code");
    let unknown = DossierCode::new(
        parsed.office(),
        parsed.date(),
        (parsed.random() + 1) % DossierCode::RANDOM_SPACE,
    )
    .expect("unknown code")
    .to_string();
    let (id, answer) = fresh(r, IP).await;
    let nf = submit(r, IP, &unknown, &id, &answer).await;
    nf.html(
        404,
        &[
            "Không tìm thấy hồ sơ",
            "Công an Huyện Đông Thử",
            "href=\"tel:09000790\"",
            "Không có giấy hẹn và mã hồ sơ",
            "name=\"challenge\"",
        ],
    );
    small(&nf);
}

pub async fn a_dossier_of_an_office_nobody_has_points_to_the_office_list(store: Store) {
    let (w, code) = with_dossier(store).await;
    let r = &w.router;
    // In English, with an office the code names but nobody has.
    let parsed = DossierCode::parse(&code).expect("code");
    let nowhere = DossierCode::new(4321, parsed.date(), 1)
        .expect("code")
        .to_string();
    let (id, answer) = fresh(r, IP).await;
    from(
        r,
        IP,
        Method::POST,
        "/tra-cuu?lang=en",
        Some(&[("ma", &nowhere), ("challenge", &id), ("captcha", &answer)]),
    )
    .await
    .html(
        404,
        &["No dossier found", "the office list", "cannot help you"],
    );
}

pub async fn a_wrong_captcha_answer_is_told_in_english(store: Store) {
    let (w, code) = with_dossier(store).await;
    let r = &w.router;
    let (id, _) = fresh(r, IP).await;
    from(
        r,
        IP,
        Method::POST,
        "/tra-cuu?lang=en",
        Some(&[("ma", &code), ("challenge", &id), ("captcha", "nope")]),
    )
    .await
    .html(422, &["The security code is not right"]);
}

pub async fn a_status_lookup_that_is_not_a_form_is_refused_as_unreadable(store: Store) {
    let (w, code) = with_dossier(store).await;
    // An error page, not a 500.
    let json = send(
        &w.router,
        Method::POST,
        "/tra-cuu",
        None,
        Some(json!({"ma": code})),
        &[],
    )
    .await;
    assert_eq!(json.status.as_u16(), 415, "{}", json.body);
    assert!(
        json.body
            .as_str()
            .unwrap_or("")
            .contains("Biểu mẫu gửi lên không đọc được"),
        "{}",
        json.body
    );
}

/// `2026-12-02` → `02/12/2026`.
fn dmy(iso: &str) -> String {
    let p: Vec<&str> = iso.split('-').collect();
    format!("{}/{}/{}", p[2], p[1], p[0])
}

async fn get_json(w: &World, code: &str) -> serde_json::Value {
    send(
        &w.router,
        Method::GET,
        &format!("/api/v1/dossiers/{code}"),
        Some(&w.receptionist),
        None,
        &[],
    )
    .await
    .ok(200)
    .clone()
}

/// A router over the same store whose clock the test moves.
pub async fn with_clock(w: &World, hooks: bool) -> (Router, Arc<AtomicI64>) {
    let now = Arc::new(AtomicI64::new(T0));
    let at = Arc::clone(&now);
    let clock: Clock =
        Arc::new(move || jiff::Timestamp::from_second(at.load(Ordering::SeqCst)).expect("time"));
    let service = Service::new(w.store.clone(), Allocator::new([42; 16]), clock)
        .await
        .expect("service");
    let app = App::new(
        service,
        AppConfig {
            test_hooks: hooks,
            ..AppConfig::default()
        },
    );
    (router(app), now)
}
