//! Confirmations of an old CMND number through the router: the portal's
//! request form (happy path with the captcha, bad fields named in both
//! languages, the answer visible on `/tra-cuu`), and the console (the
//! queue, a desk request, refuse without a reason, approve, the print view
//! with the code and the signed QR, which verifies with the site's public
//! key). Each case runs on a fresh SQLite file and, when
//! `CANCUOC_TEST_PG_URL` is set, on a fresh PostgreSQL database.
//!
//! Every name and number here is synthetic.

use std::sync::Arc;

use axum::http::Method;
use cancuoc_core::person::Sex;
use cancuoc_seal::SigningKey;
use cancuoc_store::{IdAssignment, Store};
use cancuoc_testkit::world::{PROVINCE, citizen};
use cancuoc_web::{SealKeys, WebConfig};

mod support;

use support::{Env, field_value, login, send};

/// 2026-11-23 09:00 in Vietnam (a Monday).
const NOW: &str = "2026-11-23T02:00:00Z";
/// Epoch seconds of [`NOW`].
const T0: i64 = 1_795_399_200;
/// The synthetic seed of the site's signing key.
const SEED: [u8; 32] = [23; 32];

support::cases!(
    "cancuoc_web_confirm", "web_confirm";
    the_portal_form_takes_a_request_and_the_lookup_answers_it,
    a_bad_field_is_named_in_both_languages,
    an_empty_form_names_every_missing_field_with_the_office,
    the_console_queue_decides_and_prints_with_a_signed_qr,
);

async fn env(store: Store) -> Env {
    let config = WebConfig {
        test_hooks: true,
        seal: Some(Arc::new(SealKeys::signing(SigningKey::from_seed(&SEED)))),
        ..WebConfig::default()
    };
    support::env_with(store, NOW, T0, config).await
}

async fn register(store: &Store, name: &str, pid: &str, old: &str) {
    let mut c = citizen(name, "1990-03-15", Sex::Female, Some(pid));
    c.old_cmnd = vec![old.to_owned()];
    store
        .register_citizen(&c, IdAssignment::AsGiven, None, T0)
        .await
        .expect("register");
}

/// The portal form of the province, and its captcha's id and answer.
async fn portal_form(e: &Env, lang: &str) -> (String, String) {
    let p = send(
        &e.router,
        Method::GET,
        &format!("/xac-nhan-so-cmnd?tinh={PROVINCE}&lang={lang}"),
        None,
        "",
    )
    .await;
    p.html(200, &["name=\"so_cmnd\"", "name=\"don_vi\""]);
    let id = field_value(&p.html, "challenge");
    let answer = send(
        &e.router,
        Method::GET,
        &format!("/__test/captcha/{id}"),
        None,
        "",
    )
    .await
    .html;
    (id, answer.trim().to_owned())
}

pub async fn the_portal_form_takes_a_request_and_the_lookup_answers_it(store: Store) {
    let e = env(store.clone()).await;
    register(
        &store,
        "Trần Thị Cổng Thông Tin",
        "079190000031",
        "023456789",
    )
    .await;
    let (id, answer) = portal_form(&e, "vi").await;
    let office = PROVINCE.to_string();
    let p = send(
        &e.router,
        Method::POST,
        "/xac-nhan-so-cmnd",
        Some(&[
            ("tinh", &office),
            ("don_vi", &office),
            ("so_dinh_danh", "0791 9000 0031"),
            ("ho_ten", "Trần Thị Cổng Thông Tin"),
            ("ngay_sinh", "15-3-1990"),
            ("so_cmnd", "023 456 789"),
            ("challenge", &id),
            ("kieu", "anh"),
            ("captcha", &answer),
        ]),
        "",
    )
    .await;
    let due = e
        .svc
        .confirmation_deadline(e.svc.today())
        .expect("due")
        .value;
    let due_text = format!("{:02}/{:02}/{}", due.day(), due.month(), due.year());
    p.html(
        200,
        &[
            "Đã tiếp nhận yêu cầu",
            &due_text,
            "Điều 12, Thông tư 59/2021/TT-BCA",
        ],
    );
    let code = field_value(
        &p.html.replace("data-code=", "name=\"code\" value="),
        "code",
    );
    assert_eq!(code.len(), 16, "{code}");
    assert!(code.starts_with("0079"), "{code}");

    // The ordinary status page answers the request's own state.
    let look = send(&e.router, Method::GET, "/tra-cuu?ma=x", None, "").await;
    let id = field_value(&look.html, "challenge");
    let answer = send(
        &e.router,
        Method::GET,
        &format!("/__test/captcha/{id}"),
        None,
        "",
    )
    .await
    .html;
    let p = send(
        &e.router,
        Method::POST,
        "/tra-cuu",
        Some(&[
            ("ma", &code),
            ("challenge", &id),
            ("kieu", "anh"),
            ("captcha", answer.trim()),
        ]),
        "",
    )
    .await;
    p.html(
        200,
        &[
            "Đã tiếp nhận yêu cầu, đang xác minh",
            "Hạn trả lời",
            &due_text,
        ],
    );
    assert!(!p.html.contains("Cổng Thông Tin"), "nothing of the person");
}

pub async fn a_bad_field_is_named_in_both_languages(store: Store) {
    let e = env(store).await;
    let office = PROVINCE.to_string();
    for (lang, needles) in [
        ("vi", ["Số CMND cũ phải", "Chưa gửi được yêu cầu"]),
        (
            "en",
            [
                "The old ID number must have 9 or 12 digits",
                "The request was not sent",
            ],
        ),
    ] {
        let (id, answer) = portal_form(&e, lang).await;
        let p = send(
            &e.router,
            Method::POST,
            &format!("/xac-nhan-so-cmnd?lang={lang}"),
            Some(&[
                ("tinh", &office),
                ("don_vi", &office),
                ("so_dinh_danh", "079190000032"),
                ("ho_ten", "Lê Văn Sai Số"),
                ("ngay_sinh", "15/03/1990"),
                ("so_cmnd", "12 34"),
                ("challenge", &id),
                ("kieu", "anh"),
                ("captcha", &answer),
            ]),
            &format!("lang={lang}"),
        )
        .await;
        let html = p.html(422, &["href=\"#so_cmnd\"", "aria-invalid=\"true\""]);
        let lower = html.to_lowercase();
        for n in needles {
            assert!(
                lower.contains(&n.to_lowercase()),
                "{lang}: {n:?} missing:\n{html}"
            );
        }
        // What was typed comes back.
        assert!(html.contains("value=\"Lê Văn Sai Số\""));
    }
    // The captcha was not spent by a bad field: nothing was asked.
    assert!(
        e.svc
            .confirmation_offices()
            .iter()
            .any(|o| o.code == PROVINCE)
    );
}

/// A form sent empty names every field it needs at once, the office
/// among them, and never quotes an empty value back (a user test found
/// the office named only after the other fields were right, and
/// "Cannot read the date “”").
pub async fn an_empty_form_names_every_missing_field_with_the_office(store: Store) {
    let e = env(store).await;
    let province = PROVINCE.to_string();
    for (lang, needles) in [
        (
            "vi",
            [
                "Hãy chọn nơi tiếp nhận",
                "Hãy nhập ngày sinh",
                "Hãy nhập số CMND cũ",
            ],
        ),
        (
            "en",
            [
                "Choose the office to receive the request",
                "Enter the date of birth",
                "Enter the old ID number",
            ],
        ),
    ] {
        let (id, answer) = portal_form(&e, lang).await;
        let p = send(
            &e.router,
            Method::POST,
            &format!("/xac-nhan-so-cmnd?lang={lang}"),
            Some(&[
                ("tinh", &province),
                ("don_vi", ""),
                ("so_dinh_danh", ""),
                ("ho_ten", ""),
                ("ngay_sinh", ""),
                ("so_cmnd", ""),
                ("challenge", &id),
                ("kieu", "anh"),
                ("captcha", &answer),
            ]),
            &format!("lang={lang}"),
        )
        .await;
        let html = p.html(
            422,
            &[
                "href=\"#don_vi\"",
                "href=\"#so_dinh_danh\"",
                "href=\"#ho_ten\"",
                "href=\"#ngay_sinh\"",
                "href=\"#so_cmnd\"",
            ],
        );
        for n in needles {
            assert!(html.contains(n), "{lang}: {n:?} missing:\n{html}");
        }
        for empty in ["“”", "&quot;&quot;", "&#34;&#34;"] {
            assert!(
                !html.contains(empty),
                "{lang}: an empty value quoted ({empty}):\n{html}"
            );
        }
    }
}

pub async fn the_console_queue_decides_and_prints_with_a_signed_qr(store: Store) {
    let e = env(store.clone()).await;
    register(
        &store,
        "Phạm Thị Bàn Tiếp Nhận",
        "079190000033",
        "111222333",
    )
    .await;
    let cookie = login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    let get = |uri: String| {
        let r = e.router.clone();
        let c = cookie.clone();
        async move { send(&r, Method::GET, &uri, None, &c).await }
    };
    let queue = get("/can-bo/xac-nhan-cmnd".into()).await;
    queue.html(200, &["Chưa có yêu cầu nào", "Tiếp nhận yêu cầu tại quầy"]);
    let csrf = field_value(&queue.html, "csrf");

    // A desk request without the CSRF token is refused.
    let p = send(
        &e.router,
        Method::POST,
        "/can-bo/xac-nhan-cmnd",
        Some(&[("so_dinh_danh", "079190000033")]),
        &cookie,
    )
    .await;
    assert_eq!(p.status, 403);

    let desk = |number: &'static str| {
        let r = e.router.clone();
        let c = cookie.clone();
        let csrf = csrf.clone();
        async move {
            send(
                &r,
                Method::POST,
                "/can-bo/xac-nhan-cmnd",
                Some(&[
                    ("csrf", &csrf),
                    ("so_dinh_danh", "079 190 000 033"),
                    ("ho_ten", "Phạm Thị Bàn Tiếp Nhận"),
                    ("ngay_sinh", "15.03.1990"),
                    ("so_cmnd", number),
                ]),
                &c,
            )
            .await
        }
    };
    let p = desk("111 222 333").await;
    assert_eq!(p.status, 303, "{}", p.html);
    let at = p.location.clone();
    let code = at
        .trim_start_matches("/can-bo/xac-nhan-cmnd/")
        .split('?')
        .next()
        .expect("code")
        .to_owned();
    get(at).await.html(
        200,
        &["Đã tiếp nhận yêu cầu.", "111222333", "Cấp giấy xác nhận"],
    );
    get("/can-bo/xac-nhan-cmnd".into()).await.html(
        200,
        &[
            &format!("/can-bo/xac-nhan-cmnd/{code}"),
            "Phạm Thị Bàn Tiếp Nhận",
        ],
    );

    // Refusing needs a reason.
    let decide = format!("/can-bo/xac-nhan-cmnd/{code}/quyet-dinh");
    let p = send(
        &e.router,
        Method::POST,
        &decide,
        Some(&[("csrf", &csrf), ("hanh_dong", "tu_choi"), ("ly_do", " ")]),
        &cookie,
    )
    .await;
    p.html(422, &["nêu rõ lý do"]);

    // Not printable before it is approved.
    assert_ne!(
        get(format!("/can-bo/xac-nhan-cmnd/{code}/in")).await.status,
        200
    );

    let p = send(
        &e.router,
        Method::POST,
        &decide,
        Some(&[("csrf", &csrf), ("hanh_dong", "duyet")]),
        &cookie,
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.html);
    get(p.location.clone())
        .await
        .html(200, &["Đã cấp giấy xác nhận số CMND", "In giấy xác nhận"]);

    // The print view: the code, the old number and the seal's QR.
    let print = get(format!("/can-bo/xac-nhan-cmnd/{code}/in")).await;
    let html = print.html(
        200,
        &[
            "GIẤY XÁC NHẬN SỐ CHỨNG MINH NHÂN DÂN",
            &format!("data-code=\"{code}\""),
            "111222333",
            "079190000033",
            "<svg",
            "print-a4",
        ],
    );
    // The QR is the seal the site's key makes of exactly these claims,
    // and the seal verifies with its public key.
    let key = SigningKey::from_seed(&SEED);
    let office = e
        .svc
        .office(e.world.receptionist.office)
        .await
        .expect("office");
    let claims = cancuoc_seal::Confirmation {
        code: code.clone(),
        personal_id: "079190000033".into(),
        full_name: "Phạm Thị Bàn Tiếp Nhận".into(),
        date_of_birth: jiff::civil::date(1990, 3, 15),
        old_id: "111222333".into(),
        decided_on: e.svc.today(),
        office: office.name,
    };
    let text = cancuoc_seal::sign_confirmation(
        &claims,
        &key,
        cancuoc_seal::DEFAULT_ISSUER,
        NOW.parse().expect("now"),
    )
    .expect("seal");
    let label = "Mã QR ký số của giấy xác nhận: quét để kiểm tra tại trang xác minh";
    let svg = cancuoc_render::barcode::qr_svg(&text, label).expect("svg");
    assert!(html.contains(&svg), "the page's QR is the seal");
    let verified = cancuoc_seal::verify(&text, &[key.verifying_key().clone()], e.svc.today())
        .expect("verifies");
    assert!(matches!(
        verified.document,
        cancuoc_seal::Document::Confirmation(ref c) if c.old_id == "111222333"
    ));

    // The PDF beside it carries the same code.
    let pdf = get(format!("/can-bo/xac-nhan-cmnd/{code}/in.pdf")).await;
    assert_eq!(pdf.status, 200);
    assert!(pdf.html.starts_with("%PDF-"));

    // A second decision is refused on the page.
    let p = send(
        &e.router,
        Method::POST,
        &decide,
        Some(&[
            ("csrf", &csrf),
            ("hanh_dong", "tu_choi"),
            ("ly_do", "trùng"),
        ]),
        &cookie,
    )
    .await;
    assert_eq!(p.status, 422, "{}", p.html);

    // An approval the record does not hold comes back with the message.
    let p = desk("999888777").await;
    let code2 = p
        .location
        .trim_start_matches("/can-bo/xac-nhan-cmnd/")
        .split('?')
        .next()
        .expect("code")
        .to_owned();
    let p = send(
        &e.router,
        Method::POST,
        &format!("/can-bo/xac-nhan-cmnd/{code2}/quyet-dinh"),
        Some(&[("csrf", &csrf), ("hanh_dong", "duyet")]),
        &cookie,
    )
    .await;
    p.html(422, &["không có trong hồ sơ của công dân", "Từ chối"]);
}
