//! The citizens' information pages: the office directory and the procedure
//! with its fee / deadline / expiry forms (every figure compared with what
//! the rules engine computes) — each in Vietnamese and English, with valid
//! and invalid input. The personal ID decoder is in `web_citizen_id.rs`.

use cancuoc_core::calendar::WorkingCalendar;
use cancuoc_core::person::PartialDate;
use cancuoc_core::rules::{self, Channel, Exemption, Expiry, IssueKind, Reason, Receiver, Regime};
use cancuoc_store::Store;
use jiff::civil::date;

use crate::world::{Page, page, world};

#[track_caller]
pub fn small(p: &Page) {
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

pub async fn the_office_directory_lists_the_receiving_offices_by_province(store: Store) {
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
            "Thứ Hai: 07:30–11:30, 13:30–17:00",
            "Thứ Sáu: 07:30–11:30, 13:30–17:00",
            "Thứ Bảy: 07:30–11:30",
            "Chủ nhật: nghỉ",
            "href=\"#tinh-79\"",
            // Since 01/03/2025 commune police receive applications too.
            "Công an Xã Bình Thử",
        ],
    );
    // The province's own office first, then its districts by number, then
    // its commune police.
    let p = vi.html.find("Số 79 Đường").expect("province office");
    let d1 = vi.html.find("Số 790 Đường").expect("district");
    let d2 = vi.html.find("Số 791 Đường").expect("other district");
    let c = vi.html.find("Số 7901 Đường").expect("commune");
    assert!(p < d1 && d1 < d2 && d2 < c);
    // No reception desk at the ministry or the centre; capacity stays
    // internal.
    for absent in ["Cục Cảnh sát", "Trung tâm DLQG", "200"] {
        assert!(!vi.html.contains(absent), "{absent} listed");
    }
    small(&vi);
}

pub async fn the_office_directory_speaks_english_on_request(store: Store) {
    let w = world(store).await;
    let en = page(&w.router, "/co-quan?lang=en", &[]).await;
    en.html(
        200,
        &[
            "Where to apply",
            "Monday: 07:30–11:30, 13:30–17:00",
            "Thursday: 07:30–11:30, 13:30–17:00",
            "Saturday: 07:30–11:30",
            "Sunday: closed",
            "Hotline",
        ],
    );
    assert!(!en.html.contains("Giờ tiếp nhận"));
    small(&en);
}

pub async fn the_procedure_page_shows_todays_fees_and_budgets_from_the_engine(store: Store) {
    let w = world(store).await;
    let today = date(2026, 11, 21);
    // Steps, fingerprint order, today's fee table and stage budgets.
    let vi = page(&w.router, "/thu-tuc", &[]).await;
    let lost = rules::fee(
        IssueKind::Reissue,
        Reason::Lost,
        &[],
        today,
        Channel::InPerson,
    )
    .expect("fee");
    let lost_amount = format!("{}.000 đồng", lost.value.amount_vnd / 1000);
    let d =
        rules::deadlines(today, Receiver::Office, WorkingCalendar::official()).expect("deadlines");
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
}

pub async fn the_procedure_page_speaks_english_on_request(store: Store) {
    let w = world(store).await;
    let en = page(&w.router, "/thu-tuc?lang=en", &[]).await;
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
}

pub async fn the_fee_form_gives_the_engines_amount_basis_and_explanation(store: Store) {
    let w = world(store).await;
    let today = date(2026, 11, 21);
    let damaged_kind = rules::kind_for(Reason::Damaged, Regime::on(today).expect("regime")).0;
    let f = rules::fee(damaged_kind, Reason::Damaged, &[], today, Channel::Online).expect("fee");
    let p = page(
        &w.router,
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
}

pub async fn an_exemption_on_the_fee_form_makes_it_free(store: Store) {
    let w = world(store).await;
    let today = date(2026, 11, 21);
    let damaged_kind = rules::kind_for(Reason::Damaged, Regime::on(today).expect("regime")).0;
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
        &w.router,
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
}

pub async fn an_unknown_reason_on_the_fee_form_is_named(store: Store) {
    let w = world(store).await;
    // A precise message, the form kept, never a 500.
    page(&w.router, "/thu-tuc?ly_do=teleport", &[])
        .await
        .html(422, &["teleport", "id=\"le-phi-error\""]);
}

pub async fn a_kind_the_reason_does_not_allow_on_the_fee_form_is_refused(store: Store) {
    let w = world(store).await;
    page(&w.router, "/thu-tuc?ly_do=lost&loai=first", &[])
        .await
        .html(422, &["id=\"le-phi-error\"", "value=\"lost\" selected"]);
}

pub async fn an_impossible_date_on_the_fee_form_is_named(store: Store) {
    let w = world(store).await;
    page(
        &w.router,
        "/thu-tuc?ly_do=lost&ngay=2026-02-30&lang=en",
        &[],
    )
    .await
    .html(422, &["2026-02-30", "id=\"le-phi-error\""]);
}

pub async fn an_unknown_exemption_on_the_fee_form_is_named(store: Store) {
    let w = world(store).await;
    page(&w.router, "/thu-tuc?ly_do=lost&mien=nobody", &[])
        .await
        .html(422, &["nobody", "id=\"le-phi-error\""]);
}

pub async fn the_deadline_form_gives_the_promised_date_and_the_days_off_between(store: Store) {
    let w = world(store).await;
    let cal = WorkingCalendar::official();
    // Tết 2027 falls in the window of a dossier received on 3 Feb 2027.
    let got = date(2027, 2, 3);
    let dl = rules::deadlines(got, Receiver::Office, cal).expect("deadlines");
    let tet: Vec<_> = cal
        .holidays(2027)
        .expect("holidays")
        .into_iter()
        .filter(|h| h.date > got && h.date <= dl.value.promised_date)
        .collect();
    assert!(!tet.is_empty(), "Tết is in the window");
    let p = page(
        &w.router,
        "/thu-tuc?ngay_nhan=2027-02-03&noi_nhan=office",
        &[],
    )
    .await;
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
}

pub async fn the_deadline_form_knows_the_npd_centre_as_receiver(store: Store) {
    let w = world(store).await;
    let centre = rules::deadlines(
        date(2026, 11, 21),
        Receiver::NpdCentre,
        WorkingCalendar::official(),
    )
    .expect("centre");
    page(
        &w.router,
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
}

pub async fn a_malformed_receipt_date_on_the_deadline_form_is_named(store: Store) {
    let w = world(store).await;
    page(&w.router, "/thu-tuc?ngay_nhan=21-11-2026", &[])
        .await
        .html(422, &["21-11-2026", "id=\"thoi-han-error\""]);
}

pub async fn an_unknown_receiver_on_the_deadline_form_is_named(store: Store) {
    let w = world(store).await;
    page(
        &w.router,
        "/thu-tuc?ngay_nhan=2026-11-21&noi_nhan=post-office",
        &[],
    )
    .await
    .html(422, &["post-office", "id=\"thoi-han-error\""]);
}

pub async fn the_expiry_form_reads_a_date_of_birth_as_people_write_it(store: Store) {
    let w = world(store).await;
    // Renewal ages with the day each is reached, expiry.
    let e = rules::card_expiry(PartialDate::Full(date(2000, 5, 17)), date(2026, 11, 21))
        .expect("expiry");
    let Expiry::On(until) = e.value else {
        panic!("a 26-year-old's card expires")
    };
    // As people write it, or ISO: the same answer.
    for dob in ["17%2F05%2F2000", "2000-05-17", "+17%2F5%2F2000+"] {
        page(
            &w.router,
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
}

pub async fn a_card_issued_past_sixty_never_expires(store: Store) {
    let w = world(store).await;
    page(
        &w.router,
        "/thu-tuc?ngay_sinh=05%2F1950&ngay_cap=2026-11-21",
        &[],
    )
    .await
    .html(200, &["không thời hạn"]);
    page(
        &w.router,
        "/thu-tuc?ngay_sinh=1950&ngay_cap=2026-11-21&lang=en",
        &[],
    )
    .await
    .html(200, &["never expires", "Renew at age 60 (2010)"]);
}

pub async fn a_date_of_birth_that_is_not_a_date_is_named_on_the_expiry_form(store: Store) {
    let w = world(store).await;
    page(&w.router, "/thu-tuc?ngay_sinh=ngay-sinh", &[])
        .await
        .html(422, &["id=\"het-han-error\"", "value=\"ngay-sinh\""]);
}

pub async fn a_date_of_birth_after_the_issue_is_refused_on_the_expiry_form(store: Store) {
    let w = world(store).await;
    page(
        &w.router,
        "/thu-tuc?ngay_sinh=2030-01-01&ngay_cap=2026-11-21",
        &[],
    )
    .await
    .html(422, &["id=\"het-han-error\""]);
}

pub async fn an_impossible_date_of_birth_on_the_expiry_form_shows_the_format(store: Store) {
    let w = world(store).await;
    page(&w.router, "/thu-tuc?ngay_sinh=31%2F02%2F2000", &[])
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
