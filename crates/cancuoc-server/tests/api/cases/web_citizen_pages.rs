//! The citizens' information pages: the office directory, the procedure
//! with its fee / deadline / expiry forms (every figure compared with what
//! the rules engine computes), and the personal ID decoder — each in
//! Vietnamese and English, with valid and invalid input.

use axum::http::Method;
use cancuoc_core::calendar::WorkingCalendar;
use cancuoc_core::person::PartialDate;
use cancuoc_core::rules::{self, Channel, Exemption, Expiry, IssueKind, Reason, Receiver, Regime};
use cancuoc_store::Store;
use jiff::civil::date;

use crate::world::{Page, page, web, world};

#[track_caller]
fn small(p: &Page) {
    assert!(
        p.html.len() < 100 * 1024,
        "page over 100 KB: {}",
        p.html.len()
    );
}

/// `s` as askama writes it into HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

fn dmy(d: jiff::civil::Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

pub async fn web_citizen_offices(store: Store) {
    let w = world(store).await;
    let vi = page(&w.router, "/co-quan", &[]).await;
    vi.html(
        200,
        &[
            "Cơ quan tiếp nhận hồ sơ",
            // Grouped under the province's name; its office is listed.
            "<h2 id=\"tinh-79-h\">Tỉnh Thử Nghiệm</h2>",
            "<h3>Công an Tỉnh Thử Nghiệm <span",
            "Công an Huyện Đông Thử",
            "Công an Huyện Tây Thử",
            "Số 790 Đường Thử Nghiệm",
            "href=\"tel:09000790\"",
            "Thứ Hai – Thứ Sáu: 07:30–11:30, 13:30–17:00",
            "Thứ Bảy: buổi sáng, 07:30–11:30",
            "Chủ nhật: nghỉ",
            "href=\"#tinh-79\"",
        ],
    );
    // The province's own office first, then its districts by number.
    let p = vi.html.find("Số 79 Đường").expect("province office");
    let d1 = vi.html.find("Số 790 Đường").expect("district");
    let d2 = vi.html.find("Số 791 Đường").expect("other district");
    assert!(p < d1 && d1 < d2);
    // No reception desk at the ministry, the centre or a commune; capacity
    // stays internal.
    for absent in [
        "Cục Cảnh sát",
        "Trung tâm DLQG",
        "Công an Xã Bình Thử",
        "200",
    ] {
        assert!(!vi.html.contains(absent), "{absent} listed");
    }
    small(&vi);
    let en = page(&w.router, "/co-quan?lang=en", &[]).await;
    en.html(
        200,
        &[
            "Where to apply",
            "Monday – Friday: 07:30–11:30, 13:30–17:00",
            "Saturday: morning only, 07:30–11:30",
            "Sunday: closed",
            "Hotline",
        ],
    );
    assert!(!en.html.contains("Giờ tiếp nhận"));
    small(&en);
}

pub async fn web_citizen_procedures(store: Store) {
    let w = world(store).await;
    let r = &w.router;
    let today = date(2026, 11, 21);
    let cal = WorkingCalendar::official();

    // The procedure: steps, fingerprint order, today's fee table and stage
    // budgets, all from the engine.
    let vi = page(r, "/thu-tuc", &[]).await;
    let lost = rules::fee(
        IssueKind::Reissue,
        Reason::Lost,
        &[],
        today,
        Channel::InPerson,
    )
    .expect("fee");
    let lost_amount = format!("{}.000 đồng", lost.value.amount_vnd / 1000);
    let d = rules::deadlines(today, Receiver::Office, cal).expect("deadlines");
    vi.html(
        200,
        &[
            "Thủ tục cấp thẻ Căn cước",
            "21/11/2026",
            "bị mất thẻ",
            &lost_amount,
            "lăn ngón cái phải",
            &format!(
                "Tổng cộng không quá {} ngày làm việc",
                d.value.cap_working_days
            ),
            "<label for=\"ly_do\">",
            "<label for=\"ngay_nhan\">",
            "<label for=\"ngay_sinh\">",
        ],
    );
    small(&vi);
    let en = page(r, "/thu-tuc?lang=en", &[]).await;
    en.html(
        200,
        &[
            "How to get an identity card",
            "card lost",
            "Work out the fee",
        ],
    );
    assert!(!en.html.contains("Tính lệ phí"));
    small(&en);

    // The fee form: amount, basis and explanation as the engine says.
    let damaged_kind = rules::kind_for(Reason::Damaged, Regime::on(today).expect("regime")).0;
    let f = rules::fee(damaged_kind, Reason::Damaged, &[], today, Channel::Online).expect("fee");
    let p = page(
        r,
        "/thu-tuc?ly_do=damaged&loai=&kenh=online&ngay=2026-11-21",
        &[],
    )
    .await;
    let amount = format!("Lệ phí: {}.000 đồng", f.value.amount_vnd / 1000);
    p.html(
        200,
        &[
            &amount,
            &esc(&f.explanation_vi),
            &esc(&f.basis[0].document),
            "value=\"damaged\" selected",
            "value=\"online\" checked",
        ],
    );
    small(&p);
    // An exemption makes it free.
    let free = rules::fee(
        damaged_kind,
        Reason::Damaged,
        &[Exemption::PoorHousehold],
        today,
        Channel::InPerson,
    )
    .expect("free");
    assert_eq!(free.value.amount_vnd, 0);
    page(
        r,
        "/thu-tuc?ly_do=damaged&ngay=2026-11-21&mien=poor-household&mien=orphan&lang=en",
        &[],
    )
    .await
    .html(
        200,
        &[
            "No fee (0 VND)",
            &esc(&free.explanation_en),
            "value=\"poor-household\" checked",
            "value=\"orphan\" checked",
        ],
    );
    // Bad input: a precise message, the form kept, never a 500.
    page(r, "/thu-tuc?ly_do=teleport", &[])
        .await
        .html(422, &["teleport", "id=\"le-phi-error\""]);
    page(r, "/thu-tuc?ly_do=lost&loai=first", &[])
        .await
        .html(422, &["id=\"le-phi-error\"", "value=\"lost\" selected"]);
    page(r, "/thu-tuc?ly_do=lost&ngay=2026-02-30&lang=en", &[])
        .await
        .html(422, &["2026-02-30", "id=\"le-phi-error\""]);
    page(r, "/thu-tuc?ly_do=lost&mien=nobody", &[])
        .await
        .html(422, &["nobody"]);

    // The deadline form: the promised date and the days off in between
    // (Tết 2027 falls in the window of a dossier received on 3 Feb 2027).
    let got = date(2027, 2, 3);
    let dl = rules::deadlines(got, Receiver::Office, cal).expect("deadlines");
    let tet: Vec<_> = cal
        .holidays(2027)
        .expect("holidays")
        .into_iter()
        .filter(|h| h.date > got && h.date <= dl.value.promised_date)
        .collect();
    assert!(!tet.is_empty(), "Tết is in the window");
    let p = page(r, "/thu-tuc?ngay_nhan=2027-02-03&noi_nhan=office", &[]).await;
    p.html(
        200,
        &[
            &format!("Ngày hẹn trả kết quả: {}", dmy(dl.value.promised_date)),
            &esc(&format!("{}: nghỉ {}", dmy(tet[0].date), tet[0].name_vi)),
            &dmy(dl.value.stages[0].due),
            &esc(&dl.explanation_vi),
        ],
    );
    small(&p);
    let centre = rules::deadlines(today, Receiver::NpdCentre, cal).expect("centre");
    page(
        r,
        "/thu-tuc?ngay_nhan=2026-11-21&noi_nhan=npd-centre&lang=en",
        &[],
    )
    .await
    .html(
        200,
        &[&format!(
            "Promised date: {}",
            dmy(centre.value.promised_date)
        )],
    );
    page(r, "/thu-tuc?ngay_nhan=21-11-2026", &[])
        .await
        .html(422, &["21-11-2026", "id=\"thoi-han-error\""]);
    page(r, "/thu-tuc?ngay_nhan=2026-11-21&noi_nhan=post-office", &[])
        .await
        .html(422, &["post-office"]);

    // The expiry form: renewal ages with the day each is reached, expiry.
    let e = rules::card_expiry(PartialDate::Full(date(2000, 5, 17)), date(2026, 11, 21))
        .expect("expiry");
    let Expiry::On(until) = e.value else {
        panic!("a 26-year-old's card expires")
    };
    // The date of birth as people write it, or ISO: the same answer.
    for dob in ["17%2F05%2F2000", "2000-05-17", "+17%2F5%2F2000+"] {
        page(
            r,
            &format!("/thu-tuc?ngay_sinh={dob}&ngay_cap=2026-11-21"),
            &[],
        )
        .await
        .html(
            200,
            &[
                &format!("có giá trị đến ngày {}", dmy(until)),
                "Đổi thẻ khi đủ 40 tuổi (17/05/2040)",
                "Đổi thẻ khi đủ 14 tuổi (17/05/2014)",
                &esc(&e.explanation_vi),
            ],
        );
    }
    page(r, "/thu-tuc?ngay_sinh=05%2F1950&ngay_cap=2026-11-21", &[])
        .await
        .html(200, &["không thời hạn"]);
    page(
        r,
        "/thu-tuc?ngay_sinh=1950&ngay_cap=2026-11-21&lang=en",
        &[],
    )
    .await
    .html(200, &["never expires", "Renew at age 60 (2010)"]);
    page(r, "/thu-tuc?ngay_sinh=ngay-sinh", &[])
        .await
        .html(422, &["id=\"het-han-error\"", "value=\"ngay-sinh\""]);
    page(r, "/thu-tuc?ngay_sinh=2030-01-01&ngay_cap=2026-11-21", &[])
        .await
        .html(422, &["id=\"het-han-error\""]);
    page(r, "/thu-tuc?ngay_sinh=31%2F02%2F2000", &[])
        .await
        .html(
            422,
            &[
                "id=\"het-han-error\"",
                "value=\"31/02/2000\"",
                "ngày/tháng/năm (17/05/1990)",
            ],
        );
}

async fn decode(w: &crate::world::World, so: &str, mode: &str, lang: &str) -> Page {
    web(
        &w.router,
        Method::POST,
        &format!("/so-dinh-danh?lang={lang}"),
        Some(&[("so", so), ("che_do", mode)]),
        &[],
    )
    .await
}

pub async fn web_citizen_id_decoder(store: Store) {
    let w = world(store).await;
    let form = page(&w.router, "/so-dinh-danh", &[]).await;
    form.html(
        200,
        &[
            "Số định danh cá nhân nói gì?",
            "<label for=\"so\">",
            "value=\"nghiem-ngat\" checked",
            "01/07/2024",
            "method=\"post\"",
        ],
    );
    small(&form);
    page(&w.router, "/so-dinh-danh?lang=en", &[])
        .await
        .html(200, &["What does a personal ID number say?", "Lenient"]);

    // Grouped input through the lenient input parser.
    let p = decode(&w, "001 099 012345", "nghiem-ngat", "vi").await;
    p.html(
        200,
        &[
            "001 0 99 012345",
            "Hà Nội",
            "tỉnh, thành phố nơi đăng ký khai sinh",
            "thế kỷ 20 (năm 1900–1999)",
            "Nam",
            "1999",
            "012345",
        ],
    );
    small(&p);
    decode(&w, "079-301-000123", "nghiem-ngat", "en")
        .await
        .html(200, &["Hồ Chí Minh", "21st century", "female", "2001"]);
    decode(&w, "102090000001", "nghiem-ngat", "vi")
        .await
        .html(200, &["Ai Cập", "quốc gia nơi đăng ký khai sinh"]);
    decode(&w, "001999000001", "nghiem-ngat", "vi")
        .await
        .html(200, &["2399", "năm này chưa tới"]);

    // Precise errors, the input kept.
    decode(&w, "00109901234", "nghiem-ngat", "vi").await.html(
        422,
        &[
            "quá ngắn: có 11 chữ số, cần đúng 12",
            "value=\"00109901234\"",
        ],
    );
    decode(&w, "00109901234a", "nghiem-ngat", "en")
        .await
        .html(422, &["position 12", "aria-invalid=\"true\""]);
    decode(&w, "００1099012345", "nghiem-ngat", "vi")
        .await
        .html(422, &["Chữ số không phải ASCII", "U+FF10", "vị trí 1"]);
    decode(&w, "0010990123456", "nghiem-ngat", "vi")
        .await
        .html(422, &["quá dài: có 13 chữ số"]);
    decode(&w, "", "nghiem-ngat", "vi")
        .await
        .html(422, &["trống"]);
    // An unknown region: an error in strict mode, with the way out …
    decode(&w, "999099012345", "nghiem-ngat", "vi")
        .await
        .html(422, &["999", "không phải mã tỉnh", "chế độ khoan dung"]);
    // … and "unknown" in lenient mode.
    decode(&w, "999099012345", "khoan-dung", "en").await.html(
        200,
        &[
            "unknown (the code is in neither",
            "value=\"khoan-dung\" checked",
        ],
    );
    // Not a form: an error page, not a 500.
    let bad = web(&w.router, Method::POST, "/so-dinh-danh", None, &[]).await;
    assert!(bad.status.is_client_error(), "{}", bad.status);
}
