//! The captcha of `/tra-cuu` beyond the plain lookup: its five-minute
//! expiry (with a clock the test moves), the audio and text alternatives,
//! the per-client rate limit, and the test hook only when switched on.

use std::sync::atomic::Ordering;

use axum::http::Method;
use cancuoc_store::Store;

use super::web_citizen_status::{
    answer_of, captured_dossier, challenge_of, fresh, from, small, submit, with_clock,
};
use crate::world::{get, page, world};

const IP: &str = "192.0.2.20";
const BURST: &str = "198.51.100.7";

pub async fn a_challenge_expires_five_minutes_after_the_form(store: Store) {
    let w = world(store).await;
    let code = captured_dossier(&w).await;
    let (r, now) = with_clock(&w, true).await;
    // Even the right answer.
    let (id, answer) = fresh(&r, IP).await;
    now.fetch_add(300, Ordering::SeqCst);
    submit(&r, IP, &code, &id, &answer)
        .await
        .html(422, &["Mã xác nhận đã hết hạn", "5 phút"]);
}

pub async fn a_challenge_still_works_a_second_before_it_expires(store: Store) {
    let w = world(store).await;
    let code = captured_dossier(&w).await;
    let (r, now) = with_clock(&w, true).await;
    let (id, answer) = fresh(&r, IP).await;
    now.fetch_add(299, Ordering::SeqCst);
    submit(&r, IP, &code, &id, &answer)
        .await
        .html(200, &["Đã thu nhận thông tin"]);
}

pub async fn the_spoken_alternative_plays_the_challenge_as_a_wav(store: Store) {
    let w = world(store).await;
    let code = captured_dossier(&w).await;
    let r = &w.router;
    // An audio player and a WAV for this challenge.
    let form = from(r, IP, Method::GET, "/tra-cuu?kieu=nghe&ma=0790", None).await;
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
        IP,
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
}

pub async fn the_audio_of_an_unknown_challenge_is_gone(store: Store) {
    let w = world(store).await;
    page(
        &w.router,
        "/tra-cuu/ma-xac-nhan/khong-co/nghe.wav?lang=en",
        &[],
    )
    .await
    .html(404, &["is gone"]);
}

pub async fn the_text_alternative_asks_a_question_in_words_answered_in_digits(store: Store) {
    let w = world(store).await;
    let code = captured_dossier(&w).await;
    let r = &w.router;
    let form = from(r, IP, Method::GET, "/tra-cuu?kieu=chu&lang=en", None).await;
    form.html(200, &["Answer in digits", "Your answer (digits)"]);
    assert!(
        !form.html.contains("data:image/png"),
        "no image for the text question"
    );
    let id = challenge_of(&form);
    let answer = answer_of(r, &id).await;
    let n: u8 = answer.parse().unwrap_or_else(|_| panic!("{answer:?}"));
    from(
        r,
        IP,
        Method::POST,
        "/tra-cuu",
        Some(&[
            ("ma", &code),
            ("challenge", &id),
            ("captcha", &n.to_string()),
            ("kieu", "chu"),
        ]),
    )
    .await
    .html(200, &["Đã thu nhận thông tin"]);
}

pub async fn a_wrong_text_answer_asks_a_new_question_in_words(store: Store) {
    let w = world(store).await;
    let code = captured_dossier(&w).await;
    let r = &w.router;
    let form = from(r, IP, Method::GET, "/tra-cuu?kieu=chu&lang=en", None).await;
    let id = challenge_of(&form);
    let answer = answer_of(r, &id).await;
    let n: u8 = answer.parse().unwrap_or_else(|_| panic!("{answer:?}"));
    let wrong = (n + 1).to_string();
    let retry = from(
        r,
        IP,
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
    retry.html(422, &["Câu trả lời chưa đúng", "Trả lời bằng chữ số"]);
    let id = challenge_of(&retry);
    let answer = answer_of(r, &id).await;
    from(
        r,
        IP,
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

/// Thirty forms (each a new security code) from `BURST`, all served.
async fn burst(r: &axum::Router) {
    for i in 0..30 {
        let p = from(r, BURST, Method::GET, "/tra-cuu", None).await;
        assert_eq!(p.status.as_u16(), 200, "request {i}: {}", p.html);
    }
}

pub async fn a_burst_of_security_codes_is_limited_in_both_languages_with_retry_after(store: Store) {
    let w = world(store).await;
    let (r, _) = with_clock(&w, false).await;
    burst(&r).await;
    let limited = from(&r, BURST, Method::GET, "/tra-cuu", None).await;
    limited.html(
        429,
        &["quá nhiều mã xác nhận", "Too many security codes", "2 giây"],
    );
    assert_eq!(limited.header("retry-after"), "2");
    let posted = from(
        &r,
        BURST,
        Method::POST,
        "/tra-cuu?lang=en",
        Some(&[("ma", "1"), ("challenge", "x"), ("captcha", "y")]),
    )
    .await;
    posted.html(
        429,
        &[
            "<html lang=\"en\">",
            "Too many security codes",
            "quá nhiều mã xác nhận",
        ],
    );
    small(&posted);
}

pub async fn another_client_is_not_limited_by_a_burst(store: Store) {
    let w = world(store).await;
    let (r, _) = with_clock(&w, false).await;
    burst(&r).await;
    from(&r, "198.51.100.8", Method::GET, "/tra-cuu", None)
        .await
        .html(200, &["name=\"challenge\""]);
}

pub async fn a_limited_client_earns_a_lookup_back_every_two_seconds(store: Store) {
    let w = world(store).await;
    let (r, now) = with_clock(&w, false).await;
    burst(&r).await;
    from(&r, BURST, Method::GET, "/tra-cuu", None)
        .await
        .html(429, &["quá nhiều mã xác nhận"]);
    now.fetch_add(2, Ordering::SeqCst);
    from(&r, BURST, Method::GET, "/tra-cuu", None)
        .await
        .html(200, &["name=\"challenge\""]);
    from(&r, BURST, Method::GET, "/tra-cuu", None)
        .await
        .html(429, &["quá nhiều mã xác nhận"]);
}

pub async fn the_captcha_hook_does_not_exist_without_test_hooks(store: Store) {
    let w = world(store).await;
    let (r, _) = with_clock(&w, false).await;
    let form = from(&r, "198.51.100.9", Method::GET, "/tra-cuu", None).await;
    let id = challenge_of(&form);
    // The HTML 404.
    page(&r, &format!("/__test/captcha/{id}"), &[])
        .await
        .html(404, &["Không tìm thấy trang này."]);
}

pub async fn the_captcha_hook_knows_no_unknown_challenge(store: Store) {
    let w = world(store).await;
    // With test hooks on: not found, as a problem document.
    get(&w.router, "/__test/captcha/khong-co", None)
        .await
        .problem(404, "request.no_route");
}
