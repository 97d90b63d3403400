//! Wording a citizen reads, through the router: the ID decoder in plain
//! words (what the number tells: where the birth was registered, sex, year
//! of birth), a 9-digit old identity card (CMND) number recognised as one
//! and what it tells, a result that fits a phone's width, and the days off
//! of the deadline calculator named once, with dates as people read them.

use cancuoc_store::Store;

use super::web_citizen_id::decode;
use crate::world::{Page, page, world};

fn assert_absent(p: &Page, needles: &[&str]) {
    for n in needles {
        assert!(!p.html.contains(n), "{n:?} in {}", p.html);
    }
}

pub async fn the_decoder_says_what_a_number_tells_in_plain_words(store: Store) {
    let w = world(store).await;
    let p = decode(&w, "079 190 000001", "nghiem-ngat", "vi").await;
    p.html(
        200,
        &[
            "Đăng ký khai sinh tại",
            "Hồ Chí Minh",
            "Giới tính",
            "Nữ",
            "Năm sinh",
            "1990",
            "không mang thông tin gì về bạn",
        ],
    );
    // No pattern jargon, and nothing as wide as a table.
    assert_absent(&p, &["PPP G YY", "RRRRRR", "<table"]);
}

pub async fn a_nine_digit_number_is_recognised_as_an_old_identity_card(store: Store) {
    let w = world(store).await;
    let vi = decode(&w, "020 123 456", "nghiem-ngat", "vi").await;
    vi.html(
        200,
        &[
            "chứng minh nhân dân",
            "Nơi cấp",
            "Hồ Chí Minh",
            "không cho biết giới tính hay năm sinh",
            "hết giá trị",
        ],
    );
    assert_absent(&vi, &["quá ngắn"]);
    let en = decode(&w, "020123456", "nghiem-ngat", "en").await;
    en.html(
        200,
        &[
            "old identity card (CMND) number",
            "Issued in",
            "Hồ Chí Minh",
        ],
    );
}

pub async fn a_nine_digit_number_of_no_known_issuer_says_so(store: Store) {
    let w = world(store).await;
    decode(&w, "990000001", "nghiem-ngat", "en").await.html(
        200,
        &["old identity card (CMND) number", "not in the table"],
    );
}

pub async fn the_decoder_result_fits_a_phone(store: Store) {
    let w = world(store).await;
    let css = page(&w.router, "/static/citizen.css", &[]).await;
    assert!(
        css.html
            .contains("@media (max-width:30rem){.facts{grid-template-columns:1fr}"),
        "{}",
        css.html
    );
}

pub async fn a_compensatory_day_off_is_named_once_with_its_date_as_people_read_it(store: Store) {
    let w = world(store).await;
    // 1 January 2028 is a Saturday: Monday 3 January is the day off in lieu.
    let p = page(
        &w.router,
        "/thu-tuc?ngay_nhan=2027-12-29&noi_nhan=office",
        &[],
    )
    .await;
    p.html(200, &["03/01/2028: Nghỉ bù Tết Dương lịch (01/01/2028)"]);
    assert_absent(&p, &["nghỉ Nghỉ bù", "2028-01-01"]);
    let en = page(
        &w.router,
        "/thu-tuc?ngay_nhan=2027-12-29&noi_nhan=office&lang=en",
        &[],
    )
    .await;
    en.html(200, &["03/01/2028: Compensatory day off for"]);
    assert_absent(&en, &["day off, Compensatory", "2028-01-01"]);
}
