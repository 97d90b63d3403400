//! `/tra-cuu`: the dossier status page behind a captcha — the form in both
//! languages, a lookup that works, every way it can be refused (bad code
//! before the captcha is spent, wrong / reused / expired / unknown
//! captcha, unknown dossier), the audio and text alternatives, the
//! per-client rate limit, and the test hook only when switched on.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request};
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::id::alloc::Allocator;
use cancuoc_server::{App, AppConfig, Clock, router};
use cancuoc_store::Store;
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

use crate::world::{
    Page, T0, World, capture_and_advance, open_dossier, page, register, send, world,
};

/// Sends a web request from client `ip` (as `ConnectInfo`, the way
/// `cancuoc serve` provides it).
async fn from(
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
fn challenge_of(p: &Page) -> String {
    let at = p
        .html
        .find("name=\"challenge\" value=\"")
        .unwrap_or_else(|| panic!("no challenge in page:\n{}", p.html));
    let rest = &p.html[at + "name=\"challenge\" value=\"".len()..];
    rest[..rest.find('"').expect("end")].to_owned()
}

/// The answer of a challenge, through the test hook.
async fn answer_of(router: &Router, id: &str) -> String {
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
fn small(p: &Page) {
    assert!(size_before_images(p) < 100 * 1024, "page over 100 KB");
    assert!(p.html.len() < 100 * 1024, "page with its image over 100 KB");
}

/// A dossier received at the district and captured; returns its code.
async fn captured_dossier(w: &World) -> String {
    let c = register(w, "Nguyễn Văn An", "079090012345").await;
    let d = open_dossier(w, c).await;
    let code = d["code"].as_str().expect("code").to_owned();
    capture_and_advance(w, &code).await;
    code
}

/// Shows the form to `ip` and returns the challenge id and its answer.
async fn fresh(router: &Router, ip: &str) -> (String, String) {
    let form = from(router, ip, Method::GET, "/tra-cuu", None).await;
    form.html(200, &["name=\"challenge\""]);
    let id = challenge_of(&form);
    let answer = answer_of(router, &id).await;
    (id, answer)
}

async fn submit(router: &Router, ip: &str, ma: &str, id: &str, answer: &str) -> Page {
    from(
        router,
        ip,
        Method::POST,
        "/tra-cuu",
        Some(&[("ma", ma), ("challenge", id), ("captcha", answer)]),
    )
    .await
}

pub async fn web_citizen_status_lookup(store: Store) {
    let w = world(store).await;
    let r = &w.router;
    let code = captured_dossier(&w).await;
    let ip = "192.0.2.10";

    // The form, in Vietnamese and in English.
    let vi = from(r, ip, Method::GET, "/tra-cuu", None).await;
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
    let en = from(r, ip, Method::GET, "/tra-cuu?lang=en", None).await;
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

    // A lookup that works: state, dated stages, promised date, on time,
    // office and hotline, masked name; nothing about officers or the ID.
    let (id, answer) = fresh(r, ip).await;
    let spaced = format!("{} {} {}", &code[..4], &code[4..10], &code[10..]);
    let ok = submit(r, ip, &spaced, &id, &answer.to_lowercase()).await;
    let dossier = get_json(&w, &code).await;
    let promised = dmy(dossier["promised_on"].as_str().expect("promised"));
    ok.html(
        200,
        &[
            "Nguyễn V** A*",
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
    for secret in ["079090012345", "Lê Tiếp Nhận", "Nguyễn Văn An"] {
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

    // The same challenge again: already used.
    submit(r, ip, &code, &id, &answer)
        .await
        .html(422, &["đã được dùng", "name=\"challenge\""]);

    // A wrong answer spends the challenge: the right one afterwards is "used".
    let (id, answer) = fresh(r, ip).await;
    let wrong = submit(r, ip, &code, &id, "zzzzz").await;
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
    submit(r, ip, &code, &id, &answer)
        .await
        .html(422, &["đã được dùng"]);

    // A mistyped code is caught before the lookup and keeps the captcha.
    let (id, answer) = fresh(r, ip).await;
    let last = code.as_bytes()[15] - b'0';
    let mistyped = format!("{}{}", &code[..15], (last + 1) % 10);
    submit(r, ip, &mistyped, &id, &answer).await.html(
        422,
        &[
            "Chữ số kiểm tra không đúng",
            "Mã xác nhận chưa bị dùng",
            "id=\"ma-error\"",
        ],
    );
    submit(r, ip, &code[..15], &id, &answer)
        .await
        .html(422, &["phải có 16 chữ số", "nhập 15 chữ số"]);
    submit(r, ip, "0790-abc", &id, &answer)
        .await
        .html(422, &["không phải chữ số"]);
    // … so the same challenge still works.
    submit(r, ip, &code, &id, &answer)
        .await
        .html(200, &["Đã thu nhận thông tin"]);

    // No answer typed: asked for, nothing spent.
    let (id, answer) = fresh(r, ip).await;
    submit(r, ip, &code, &id, "  ")
        .await
        .html(422, &["Hãy nhập mã xác nhận"]);
    // An unknown challenge id.
    submit(r, ip, &code, "not-a-challenge", &answer)
        .await
        .html(422, &["Không tìm thấy mã xác nhận"]);

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
    let nf = submit(r, ip, &unknown, &id, &answer).await;
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
    // In English, with an office the code names but nobody has.
    let (id, answer) = fresh(r, ip).await;
    let nowhere = DossierCode::new(4321, parsed.date(), 1)
        .expect("code")
        .to_string();
    from(
        r,
        ip,
        Method::POST,
        "/tra-cuu?lang=en",
        Some(&[("ma", &nowhere), ("challenge", &id), ("captcha", &answer)]),
    )
    .await
    .html(
        404,
        &["No dossier found", "the office list", "cannot help you"],
    );
    let (id, _) = fresh(r, ip).await;
    from(
        r,
        ip,
        Method::POST,
        "/tra-cuu?lang=en",
        Some(&[("ma", &code), ("challenge", &id), ("captcha", "nope")]),
    )
    .await
    .html(422, &["The security code is not right"]);

    // A body that is not a form: an error page, not a 500.
    let bad = send(
        r,
        Method::POST,
        "/tra-cuu",
        None,
        Some(json!({"ma": code})),
        &[],
    )
    .await;
    assert!(bad.status.is_client_error(), "{}", bad.status);
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
async fn with_clock(w: &World, hooks: bool) -> (Router, Arc<AtomicI64>) {
    let now = Arc::new(AtomicI64::new(T0));
    let at = Arc::clone(&now);
    let clock: Clock =
        Arc::new(move || jiff::Timestamp::from_second(at.load(Ordering::SeqCst)).expect("time"));
    let app = App::new(
        w.store.clone(),
        AppConfig {
            clock,
            test_hooks: hooks,
            ..AppConfig::default()
        },
        Allocator::new([42; 16]),
    )
    .await
    .expect("app");
    (router(app), now)
}

pub async fn web_citizen_captcha_expiry_and_alternatives(store: Store) {
    let w = world(store).await;
    let code = captured_dossier(&w).await;
    let (r, now) = with_clock(&w, true).await;
    let r = &r;
    let ip = "192.0.2.20";

    // Expired: five minutes after the form was shown, even the right answer.
    let (id, answer) = fresh(r, ip).await;
    now.fetch_add(300, Ordering::SeqCst);
    submit(r, ip, &code, &id, &answer)
        .await
        .html(422, &["Mã xác nhận đã hết hạn", "5 phút"]);
    // One second before the end it still works.
    let (id, answer) = fresh(r, ip).await;
    now.fetch_add(299, Ordering::SeqCst);
    submit(r, ip, &code, &id, &answer)
        .await
        .html(200, &["Đã thu nhận thông tin"]);

    // The spoken alternative: an audio player and a WAV for this challenge.
    let form = from(r, ip, Method::GET, "/tra-cuu?kieu=nghe&ma=0790", None).await;
    form.html(
        200,
        &[
            "<audio controls",
            "/nghe.wav",
            "data:image/png;base64,",
            "value=\"0790\"",
            "name=\"kieu\" value=\"nghe\"",
        ],
    );
    small(&form);
    let id = challenge_of(&form);
    let wav_uri = format!("/tra-cuu/ma-xac-nhan/{id}/nghe.wav");
    let wav = page(r, &wav_uri, &[]).await;
    assert_eq!(wav.status.as_u16(), 200);
    assert_eq!(wav.header("content-type"), "audio/wav");
    assert!(wav.html.starts_with("RIFF"));
    let answer = answer_of(r, &id).await;
    from(
        r,
        ip,
        Method::POST,
        "/tra-cuu",
        Some(&[
            ("ma", &code),
            ("challenge", &id),
            ("captcha", &answer),
            ("kieu", "nghe"),
        ]),
    )
    .await
    .html(200, &["Đã thu nhận thông tin"]);
    // Spent: the audio is gone too.
    page(r, &wav_uri, &[]).await.html(404, &["không còn"]);
    page(r, "/tra-cuu/ma-xac-nhan/khong-co/nghe.wav?lang=en", &[])
        .await
        .html(404, &["is gone"]);

    // The text alternative: a sum in words, answered in digits.
    let form = from(r, ip, Method::GET, "/tra-cuu?kieu=chu&lang=en", None).await;
    form.html(200, &["plus", "Answer in digits", "Your answer (digits)"]);
    assert!(
        !form.html.contains("data:image/png"),
        "no image for the text question"
    );
    let id = challenge_of(&form);
    let answer = answer_of(r, &id).await;
    assert!(answer.parse::<u8>().is_ok(), "{answer}");
    let wrong = (answer.parse::<u8>().expect("n") + 1).to_string();
    let retry = from(
        r,
        ip,
        Method::POST,
        "/tra-cuu",
        Some(&[
            ("ma", &code),
            ("challenge", &id),
            ("captcha", &wrong),
            ("kieu", "chu"),
        ]),
    )
    .await;
    retry.html(422, &["Câu trả lời chưa đúng", "cộng"]);
    let id = challenge_of(&retry);
    let answer = answer_of(r, &id).await;
    from(
        r,
        ip,
        Method::POST,
        "/tra-cuu",
        Some(&[
            ("ma", &code),
            ("challenge", &id),
            ("captcha", &answer),
            ("kieu", "chu"),
        ]),
    )
    .await
    .html(200, &["Đã thu nhận thông tin"]);
}

pub async fn web_citizen_rate_limit_and_test_hook(store: Store) {
    let w = world(store).await;
    let (r, now) = with_clock(&w, false).await;
    let r = &r;

    // 30 requests in a burst, then a bilingual 429 with Retry-After.
    for i in 0..30 {
        let p = from(r, "198.51.100.7", Method::GET, "/tra-cuu", None).await;
        assert_eq!(p.status.as_u16(), 200, "request {i}");
    }
    let limited = from(r, "198.51.100.7", Method::GET, "/tra-cuu", None).await;
    limited.html(429, &["quá nhiều lần", "Too many lookups", "2 giây"]);
    assert_eq!(limited.header("retry-after"), "2");
    let posted = from(
        r,
        "198.51.100.7",
        Method::POST,
        "/tra-cuu?lang=en",
        Some(&[("ma", "1"), ("challenge", "x"), ("captcha", "y")]),
    )
    .await;
    posted.html(
        429,
        &["<html lang=\"en\">", "Too many lookups", "quá nhiều lần"],
    );
    small(&posted);
    // Another client is not affected; the first earns a request back after
    // two seconds.
    from(r, "198.51.100.8", Method::GET, "/tra-cuu", None)
        .await
        .html(200, &["name=\"challenge\""]);
    now.fetch_add(2, Ordering::SeqCst);
    from(r, "198.51.100.7", Method::GET, "/tra-cuu", None)
        .await
        .html(200, &["name=\"challenge\""]);
    assert_eq!(
        from(r, "198.51.100.7", Method::GET, "/tra-cuu", None)
            .await
            .status
            .as_u16(),
        429
    );

    // Without test hooks the captcha hook does not exist: the HTML 404.
    let form = from(r, "198.51.100.9", Method::GET, "/tra-cuu", None).await;
    let id = challenge_of(&form);
    page(r, &format!("/__test/captcha/{id}"), &[])
        .await
        .html(404, &["Không tìm thấy trang này."]);
    // With them, an unknown id is a plain 404.
    let hook = page(&w.router, "/__test/captcha/khong-co", &[]).await;
    assert_eq!(hook.status.as_u16(), 404);
}
