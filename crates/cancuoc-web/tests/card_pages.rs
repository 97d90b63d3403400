//! The card's pages through the router: the portal's check of a signed QR
//! (`/xac-minh`: a valid seal of a card handed over shows valid, then lost
//! the moment the card is reported lost; a tampered seal fails its
//! signature with its claims marked not verified; garbage gets a precise
//! error; an uploaded .txt works), the console's specimen of a printed
//! dossier's card (two SVGs with the mark, PNG and PDF downloads; an
//! earlier dossier and another office refused) and the PDFs of the print
//! views. Each case runs on a fresh SQLite file and, when
//! `CANCUOC_TEST_PG_URL` is set, on a fresh PostgreSQL database.
//!
//! Every name, number and key here is synthetic.

use std::io::{Read as _, Write as _};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request};
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::{OldDocument, State};
use cancuoc_core::id::PersonalId;
use cancuoc_core::rules::Reason;
use cancuoc_seal::SigningKey;
use cancuoc_service::{OpenDossier, TransitionCommand};
use cancuoc_store::Store;
use cancuoc_testkit::world::{Staff, add_citizen, complete_capture};
use cancuoc_web::{SealKeys, WebConfig};
use tower::ServiceExt;

mod support;

use support::Env;

/// 2026-11-21 10:00 in Vietnam.
const NOW: &str = "2026-11-21T03:00:00Z";
/// Epoch seconds of [`NOW`].
const T0: i64 = 1_795_230_000;
/// The seed of the office's (synthetic) signing key.
const SEED: [u8; 32] = [11; 32];

support::cases!(
    "cancuoc_web_card", "web_card";
    a_signed_card_verifies_then_shows_lost_at_once,
    a_tampered_seal_fails_its_signature_and_is_marked_not_verified,
    a_seal_of_an_unknown_key_is_not_verified,
    garbage_gets_a_precise_error_never_a_server_error,
    an_uploaded_text_file_is_checked,
    a_signed_confirmation_shows_its_claims_and_its_code,
    the_specimen_of_a_printed_dossier_has_both_sides_and_downloads,
    the_specimen_is_refused_before_printing_and_to_another_office,
    the_print_views_have_their_pdfs,
);

fn key() -> SigningKey {
    SigningKey::from_seed(&SEED)
}

async fn env(store: Store) -> Env {
    let config = WebConfig {
        seal: Some(Arc::new(SealKeys::signing(key()))),
        ..WebConfig::default()
    };
    support::env_with(store, NOW, T0, config).await
}

/// One answer: status, headers of interest, the body.
struct Answer {
    status: u16,
    content_type: String,
    disposition: String,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    #[track_caller]
    fn html(&self, status: u16, needles: &[&str]) -> String {
        let html = self.text();
        assert_eq!(self.status, status, "{html}");
        for n in needles {
            assert!(html.contains(n), "{n:?} missing from:\n{html}");
        }
        html
    }
}

async fn send(r: &Router, req: Request<Body>) -> Answer {
    let res = r.clone().oneshot(req).await.expect("infallible");
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let (content_type, disposition) = (header("content-type"), header("content-disposition"));
    let status = res.status().as_u16();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .expect("body")
        .to_vec();
    Answer {
        status,
        content_type,
        disposition,
        body,
    }
}

fn get(uri: &str, cookie: &str) -> Request<Body> {
    let mut req = Request::builder().method(Method::GET).uri(uri);
    if !cookie.is_empty() {
        req = req.header("cookie", cookie);
    }
    req.body(Body::empty()).expect("request")
}

fn post_form(uri: &str, pairs: &[(&str, &str)]) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(
            form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs)
                .finish(),
        ))
        .expect("request")
}

/// The verification form as a browser sends it with a file chosen.
fn post_multipart(uri: &str, boxed: &str, file: &[u8]) -> Request<Body> {
    let b = "----cancuoc-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"ma\"\r\n\r\n{boxed}\r\n--{b}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"qr.txt\"\r\nContent-Type: text/plain\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header("content-type", format!("multipart/form-data; boundary={b}"))
        .body(Body::from(body))
        .expect("request")
}

/// Logs `who` into the console: its session cookie.
async fn login(e: &Env, who: &Staff, name: &str) -> String {
    let cookie = support::login(e, who, name).await;
    assert!(cookie.starts_with("cancuoc_can_bo="), "{cookie}");
    cookie
}

fn step(code: DossierCode, to: State, v: i64) -> TransitionCommand {
    TransitionCommand {
        code,
        to,
        note: None,
        expected_version: v,
        idempotency_key: None,
        population_data_changed: None,
        old_document: None,
        at: None,
    }
}

/// A dossier of DISTRICT for a new citizen `number`, received with a
/// complete capture (version 1).
async fn received(e: &Env, name: &str, number: &str) -> DossierCode {
    let c = add_citizen(&e.world.store, name, number, T0).await;
    e.svc
        .open_dossier(
            &e.world.receptionist,
            OpenDossier {
                capture: Some(complete_capture()),
                ..OpenDossier::walk_in(c.id, Reason::FirstIssue)
            },
        )
        .await
        .expect("open")
        .code
}

/// Walks a received dossier to printed (version 6).
async fn to_printed(e: &Env, code: DossierCode) {
    let w = &e.world;
    let svc = &e.svc;
    svc.transition(&w.receptionist, step(code, State::Captured, 1))
        .await
        .expect("captured");
    svc.transition(&w.receptionist, step(code, State::SlipIssued, 2))
        .await
        .expect("slip");
    let mut send = step(code, State::SentToCentre, 3);
    send.population_data_changed = Some(false);
    svc.transition(&w.receptionist, send).await.expect("sent");
    svc.transition(&w.approver, step(code, State::Approved, 4))
        .await
        .expect("approved");
    svc.transition(&w.printer, step(code, State::Printed, 5))
        .await
        .expect("printed");
}

/// Walks a printed dossier to returned: its card becomes active.
async fn hand_over(e: &Env, code: DossierCode) {
    let w = &e.world;
    e.svc
        .transition(&w.dispatcher, step(code, State::Dispatched, 6))
        .await
        .expect("dispatched");
    e.svc
        .transition(&w.return_officer, step(code, State::ReadyForPickup, 7))
        .await
        .expect("ready");
    let mut back = step(code, State::Returned, 8);
    back.old_document = Some(OldDocument::NoneToCollect);
    e.svc
        .transition(&w.return_officer, back)
        .await
        .expect("returned");
}

/// The seal of the card dossier `code` made, signed with `key`.
async fn seal_of(e: &Env, code: DossierCode, key: &SigningKey) -> String {
    let (card, _) = e
        .svc
        .dossier_card_specimen(&e.world.receptionist, code)
        .await
        .expect("the card");
    cancuoc_seal::sign_card(
        &card,
        key,
        cancuoc_seal::DEFAULT_ISSUER,
        NOW.parse().expect("instant"),
    )
    .expect("sign")
}

async fn check(e: &Env, text: &str, lang: &str) -> Answer {
    let uri = if lang == "en" {
        "/xac-minh?lang=en"
    } else {
        "/xac-minh"
    };
    send(&e.router, post_form(uri, &[("ma", text)])).await
}

async fn a_signed_card_verifies_then_shows_lost_at_once(store: Store) {
    let e = env(store).await;
    // The form, in both languages, linked from the home page.
    send(&e.router, get("/xac-minh", "")).await.html(
        200,
        &[
            "Xác minh mã QR có chữ ký số",
            "enctype=\"multipart/form-data\"",
        ],
    );
    send(&e.router, get("/xac-minh?lang=en", "")).await.html(
        200,
        &["Check a signed QR code", "action=\"/xac-minh?lang=en\""],
    );
    send(&e.router, get("/", ""))
        .await
        .html(200, &["href=\"/xac-minh\""]);

    let code = received(&e, "Trần Thị Xác Minh", "079190000301").await;
    to_printed(&e, code).await;
    hand_over(&e, code).await;
    let text = seal_of(&e, code, &key()).await;
    let page = check(&e, &text, "vi").await.html(
        200,
        &[
            "data-verdict=\"verified\"",
            "Hợp lệ: chữ ký số đúng",
            "data-status=\"valid\"",
            "Còn giá trị sử dụng",
            "Trần Thị Xác Minh",
            "079190000301",
            "<dt>Ngày sinh</dt><dd>17/05/1990</dd>",
            "<dt>Ngày cấp</dt><dd>21/11/2026</dd>",
            "<dt>Có giá trị đến</dt><dd>17/05/2030</dd>",
        ],
    );
    assert!(
        !page.contains("CHƯA XÁC THỰC"),
        "a verified seal is not marked"
    );
    check(&e, &text, "en").await.html(
        200,
        &[
            "Valid: the digital signature holds",
            "<dt>Date of birth</dt><dd>17/05/1990</dd>",
            "data-status=\"valid\"",
        ],
    );

    // Reported lost: the same seal shows lost on the next check.
    e.svc
        .report_card_lost(
            &e.world.receptionist,
            &PersonalId::parse("079190000301").expect("id"),
            None,
            "Mất ví ở chợ",
        )
        .await
        .expect("reported lost");
    let lost = check(&e, &text, "vi").await.html(
        200,
        &[
            "data-status=\"lost\"",
            "Đã báo mất",
            "ĐÃ BỊ BÁO MẤT",
            "class=\"seal-warn seal-verdict\"",
        ],
    );
    assert!(!lost.contains("Hợp lệ: chữ ký số đúng"), "{lost}");
    check(&e, &text, "en").await.html(
        200,
        &["data-status=\"lost\"", "Reported lost", "REPORTED LOST"],
    );
}

/// base45 → zlib → CBOR, the full name (claim 169 key 4) replaced, and
/// back: the signature no longer covers the claims.
fn tamper(text: &str) -> String {
    use ciborium::Value;
    let packed = base45::decode(text).expect("base45");
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&packed[..])
        .read_to_end(&mut raw)
        .expect("zlib");
    let v: Value = ciborium::from_reader(&raw[..]).expect("cbor");
    let Value::Tag(18, inner) = v else {
        panic!("a COSE_Sign1 tag")
    };
    let Value::Array(mut a) = *inner else {
        panic!("an array")
    };
    let mut claims: Value =
        ciborium::from_reader(&a[2].as_bytes().expect("payload")[..]).expect("claims");
    let Value::Map(cwt) = &mut claims else {
        panic!("a map")
    };
    let (_, identity) = cwt
        .iter_mut()
        .find(|(k, _)| k.as_integer() == Some(169.into()))
        .expect("claim 169");
    let Value::Map(id) = identity else {
        panic!("a map")
    };
    let (_, name) = id
        .iter_mut()
        .find(|(k, _)| k.as_integer() == Some(4.into()))
        .expect("full name");
    *name = Value::Text("Kẻ Giả Mạo".into());
    let mut payload = Vec::new();
    ciborium::into_writer(&claims, &mut payload).expect("cbor");
    a[2] = Value::Bytes(payload);
    let mut cbor = Vec::new();
    ciborium::into_writer(&Value::Tag(18, Box::new(Value::Array(a))), &mut cbor).expect("cbor");
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&cbor).expect("zlib");
    base45::encode(z.finish().expect("zlib"))
}

async fn a_tampered_seal_fails_its_signature_and_is_marked_not_verified(store: Store) {
    let e = env(store).await;
    let code = received(&e, "Lê Văn Thật", "079090000302").await;
    to_printed(&e, code).await;
    let forged = tamper(&seal_of(&e, code, &key()).await);
    let page = check(&e, &forged, "vi").await.html(
        200,
        &[
            "data-verdict=\"unverified\"",
            "KHÔNG hợp lệ: chữ ký số sai",
            "CHƯA XÁC THỰC",
            "Kẻ Giả Mạo",
        ],
    );
    assert!(
        !page.contains("data-status="),
        "no register status for a forgery"
    );
    check(&e, &forged, "en").await.html(
        200,
        &[
            "NOT valid: the digital signature does not hold",
            "NOT VERIFIED",
        ],
    );
}

async fn a_seal_of_an_unknown_key_is_not_verified(store: Store) {
    let e = env(store).await;
    let code = received(&e, "Đinh Khóa Lạ", "079090000303").await;
    to_printed(&e, code).await;
    let foreign = seal_of(&e, code, &SigningKey::from_seed(&[3; 32])).await;
    check(&e, &foreign, "vi").await.html(
        200,
        &[
            "data-verdict=\"unverified\"",
            "một khóa mà cổng này không biết",
            "CHƯA XÁC THỰC",
            "Đinh Khóa Lạ",
        ],
    );
}

async fn garbage_gets_a_precise_error_never_a_server_error(store: Store) {
    let e = env(store).await;
    // A character outside base45, with its position.
    check(&e, "NCFOXN*TS0B#0", "vi")
        .await
        .html(422, &["Ký tự", "ở vị trí 12", "aria-invalid=\"true\""]);
    check(&e, "NCFOXN*TS0B#0", "en")
        .await
        .html(422, &["Character &#39;#&#39; at position 12"]);
    // The card's own unsigned QR content.
    check(
        &e,
        "079090000302|123456789|Lê Văn Thật|17051990|Nam|Thôn 1|21112026",
        "en",
    )
    .await
    .html(422, &["position 13", "printed on the card (unsigned)"]);
    // Cut short: 3k+1 characters.
    check(&e, "NCFOXNT", "en")
        .await
        .html(422, &["Truncated text"]);
    let code = received(&e, "Vũ Cắt Cụt", "079090000304").await;
    to_printed(&e, code).await;
    let text = seal_of(&e, code, &key()).await;
    let cut = &text[..text.len() / 3 * 3 / 2 / 3 * 3];
    check(&e, cut, "en").await.html(422, &["Truncated text"]);
    // Base45 but not ours.
    check(&e, "ABCDEF", "en")
        .await
        .html(422, &["not a valid zlib stream"]);
    // Nothing.
    check(&e, "  \n", "vi")
        .await
        .html(422, &["Hãy dán nội dung đã quét"]);
    // Too long.
    check(&e, &"A".repeat(9000), "en")
        .await
        .html(422, &["longer than 8192 characters"]);
    // Lower case: the copy changed the letters.
    check(&e, "ncfoxn", "en")
        .await
        .html(422, &["CAPITAL letters"]);
}

async fn an_uploaded_text_file_is_checked(store: Store) {
    let e = env(store).await;
    let code = received(&e, "Hồ Tệp Tin", "079090000305").await;
    to_printed(&e, code).await;
    let text = seal_of(&e, code, &key()).await;
    // A file (with a byte-order mark and a newline, as editors write it)
    // wins over the box.
    let mut file = b"\xEF\xBB\xBF".to_vec();
    file.extend_from_slice(text.as_bytes());
    file.extend_from_slice(b"\r\n");
    send(&e.router, post_multipart("/xac-minh", "rác", &file))
        .await
        .html(
            200,
            &[
                "data-verdict=\"verified\"",
                "Hồ Tệp Tin",
                "data-status=\"not_yet_issued\"",
            ],
        );
    // The box alone, sent as multipart (no file chosen).
    send(&e.router, post_multipart("/xac-minh?lang=en", &text, b""))
        .await
        .html(
            200,
            &["data-verdict=\"verified\"", "Printed, not yet handed over"],
        );
    // A file that is not text.
    send(
        &e.router,
        post_multipart("/xac-minh?lang=en", "", b"NCF\xff\xfe"),
    )
    .await
    .html(422, &["not UTF-8 text (invalid byte at position 4)"]);
}

async fn a_signed_confirmation_shows_its_claims_and_its_code(store: Store) {
    let e = env(store).await;
    // A code with a valid check digit (any 16 digits of the right form).
    let code = (0u32..10)
        .map(|c| format!("079026112112345{c}"))
        .find(|s| DossierCode::parse(s).is_ok())
        .expect("one check digit fits");
    let confirmation = cancuoc_seal::Confirmation {
        code: code.clone(),
        personal_id: "079090000309".into(),
        full_name: "Mai Thị Xác Nhận".into(),
        date_of_birth: jiff::civil::date(1985, 2, 28),
        old_id: "012345678".into(),
        decided_on: jiff::civil::date(2026, 11, 20),
        office: "Công an Huyện Đông Thử".into(),
    };
    let text = cancuoc_seal::sign_confirmation(
        &confirmation,
        &key(),
        cancuoc_seal::DEFAULT_ISSUER,
        NOW.parse().expect("instant"),
    )
    .expect("sign");
    let page = check(&e, &text, "vi").await.html(
        200,
        &[
            "data-verdict=\"verified\"",
            "Giấy xác nhận số chứng minh nhân dân",
            "Mai Thị Xác Nhận",
            "<dt>Số CMND cũ</dt><dd>012345678</dd>",
            "<dt>Ngày xác nhận</dt><dd>20/11/2026</dd>",
            "không thời hạn",
            &format!("href=\"/tra-cuu?ma={code}\""),
        ],
    );
    assert!(
        !page.contains("data-status="),
        "no card status for a confirmation"
    );
    check(&e, &text, "en").await.html(
        200,
        &[
            "Confirmation of an old identity card (CMND) number",
            "<dt>Old ID (CMND)</dt><dd>012345678</dd>",
        ],
    );
}

async fn the_specimen_of_a_printed_dossier_has_both_sides_and_downloads(store: Store) {
    let e = env(store).await;
    let cookie = login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    let code = received(&e, "Ngô Thị Mẫu", "079190000306").await;
    to_printed(&e, code).await;
    let uri = format!("/can-bo/ho-so/{code}/the-mau");
    let html = send(&e.router, get(&uri, &cookie)).await.html(
        200,
        &[
            "data-side=\"front\"",
            "data-side=\"back\"",
            "NGÔ THỊ MẪU",
            "?format=png",
            "?format=pdf",
        ],
    );
    assert_eq!(html.matches("<svg ").count(), 2, "two sides, two SVGs");
    assert!(html.matches("SPECIMEN").count() >= 2, "{html}");
    assert_eq!(
        html.matches("class=\"specimen\"").count(),
        2,
        "a mark per side"
    );
    assert!(!html.contains("id=\"specimen\""), "ids unique in the page");
    send(&e.router, get(&format!("{uri}?lang=en"), &cookie))
        .await
        .html(200, &["Card specimen of dossier", "Front", "Back"]);

    let png = send(&e.router, get(&format!("{uri}?format=png"), &cookie)).await;
    assert_eq!(png.status, 200, "{}", png.text());
    assert_eq!(png.content_type, "image/png");
    assert!(png.body.starts_with(b"\x89PNG\r\n\x1a\n"), "PNG magic");
    assert_eq!(
        png.disposition,
        format!("attachment; filename=\"the-mau-{code}.png\"")
    );
    assert!(!png.disposition.contains("079190000306"));
    let pdf = send(&e.router, get(&format!("{uri}?format=pdf"), &cookie)).await;
    assert_eq!(pdf.status, 200, "{}", pdf.text());
    assert_eq!(pdf.content_type, "application/pdf");
    assert!(pdf.body.starts_with(b"%PDF-"), "PDF magic");
    assert!(pdf.disposition.contains(&format!("the-mau-{code}.pdf")));
    send(&e.router, get(&format!("{uri}?format=gif"), &cookie))
        .await
        .html(400, &["gif"]);
}

async fn the_specimen_is_refused_before_printing_and_to_another_office(store: Store) {
    let e = env(store).await;
    let cookie = login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    let code = received(&e, "Phan Chưa In", "079090000307").await;
    let uri = format!("/can-bo/ho-so/{code}/the-mau");
    send(&e.router, get(&uri, &cookie))
        .await
        .html(409, &["chưa được in", "Đã in thẻ"]);
    send(
        &e.router,
        get(&format!("{uri}?format=png&lang=en"), &cookie),
    )
    .await
    .html(409, &["is not printed yet"]);
    to_printed(&e, code).await;
    let other = login(&e, &e.world.other_receptionist, "pham.tiep.nhan").await;
    let refused = send(&e.router, get(&uri, &other)).await;
    assert_eq!(refused.status, 403, "{}", refused.text());
    assert!(!refused.text().contains("PHAN CHƯA IN"));
    let refused = send(&e.router, get(&format!("{uri}?format=pdf"), &other)).await;
    assert_eq!(refused.status, 403);
    assert!(!refused.body.starts_with(b"%PDF"));
    // Not logged in: to the login page.
    assert_eq!(send(&e.router, get(&uri, "")).await.status, 303);
}

/// The text of a PDF by `pdftotext` (poppler), when installed; else
/// `None` (the test then checks the PDF's form only, and says so).
fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = std::env::temp_dir().join(cancuoc_testkit::unique("cancuoc_web_pdf"));
    std::fs::create_dir_all(&dir).ok()?;
    let path = dir.join("doc.pdf");
    std::fs::write(&path, pdf).ok()?;
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .ok()?;
    let _ = std::fs::remove_dir_all(&dir);
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

async fn the_print_views_have_their_pdfs(store: Store) {
    let e = env(store).await;
    let cookie = login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    let code = received(&e, "Trịnh Văn In", "079090000308").await;
    let digits = code.to_string();
    for (view, pdf, file, needles) in [
        (
            "bien-nhan",
            "bien-nhan.pdf",
            "phieu-thu-nhan",
            &["Trịnh Văn In", "079090000308"][..],
        ),
        ("giay-hen", "giay-hen.pdf", "giay-hen", &["Tr"][..]),
    ] {
        send(
            &e.router,
            get(&format!("/can-bo/ho-so/{code}/in/{view}"), &cookie),
        )
        .await
        .html(200, &[&format!("href=\"/can-bo/ho-so/{code}/in/{pdf}\"")]);
        let a = send(
            &e.router,
            get(&format!("/can-bo/ho-so/{code}/in/{pdf}"), &cookie),
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.text());
        assert_eq!(a.content_type, "application/pdf");
        assert!(a.body.starts_with(b"%PDF-"), "{pdf}: PDF magic");
        assert_eq!(
            a.disposition,
            format!("attachment; filename=\"{file}-{code}.pdf\"")
        );
        match pdf_text(&a.body) {
            Some(text) => {
                let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                assert!(flat.contains(&digits), "{pdf}: the code in\n{text}");
                for n in needles {
                    assert!(text.contains(n), "{pdf}: {n:?} in\n{text}");
                }
            }
            None => eprintln!("pdftotext not installed: the PDFs' text is not checked"),
        }
    }
    // Another office's receptionist gets no PDF.
    let other = login(&e, &e.world.other_receptionist, "pham.tiep.nhan").await;
    let refused = send(
        &e.router,
        get(&format!("/can-bo/ho-so/{code}/in/bien-nhan.pdf"), &other),
    )
    .await;
    assert_eq!(refused.status, 403);
    assert!(!refused.body.starts_with(b"%PDF"));
}
