//! `/so-dinh-danh`: the personal ID decoder — the form in both languages,
//! what a number says, every malformed number named precisely with the
//! input kept, and the strict and lenient modes for an unknown region.

use axum::http::Method;
use cancuoc_store::Store;

use super::web_citizen_pages::small;
use crate::world::{Page, World, page, web, world};

pub async fn decode(w: &World, so: &str, mode: &str, lang: &str) -> Page {
    web(
        &w.router,
        Method::POST,
        &format!("/so-dinh-danh?lang={lang}"),
        Some(&[("so", so), ("che_do", mode)]),
        &[],
    )
    .await
}

/// Decodes `so` strictly in Vietnamese.
async fn strict(store: Store, so: &str) -> Page {
    let w = world(store).await;
    decode(&w, so, "nghiem-ngat", "vi").await
}

pub async fn the_id_decoder_form_is_strict_by_default(store: Store) {
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
}

pub async fn the_id_decoder_form_speaks_english_on_request(store: Store) {
    let w = world(store).await;
    page(&w.router, "/so-dinh-danh?lang=en", &[])
        .await
        .html(200, &["What does a personal ID number say?", "Lenient"]);
}

pub async fn a_grouped_number_is_decoded_part_by_part(store: Store) {
    // Through the lenient input parser.
    let p = strict(store, "001 099 012345").await;
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
}

pub async fn a_number_of_this_century_is_decoded_in_english(store: Store) {
    let w = world(store).await;
    decode(&w, "079-301-000123", "nghiem-ngat", "en")
        .await
        .html(200, &["Hồ Chí Minh", "21st century", "female", "2001"]);
}

pub async fn a_number_registered_abroad_names_the_country(store: Store) {
    strict(store, "102090000001")
        .await
        .html(200, &["Ai Cập", "quốc gia nơi đăng ký khai sinh"]);
}

pub async fn a_birth_year_still_to_come_is_said_so(store: Store) {
    strict(store, "001999000001")
        .await
        .html(200, &["2399", "năm này chưa tới"]);
}

pub async fn a_number_too_short_is_named_with_the_input_kept(store: Store) {
    strict(store, "00109901234").await.html(
        422,
        &[
            "quá ngắn: có 11 chữ số, cần đúng 12",
            "value=\"00109901234\"",
        ],
    );
}

pub async fn a_letter_in_the_number_is_named_by_its_position(store: Store) {
    let w = world(store).await;
    decode(&w, "00109901234a", "nghiem-ngat", "en")
        .await
        .html(422, &["position 12", "aria-invalid=\"true\""]);
}

pub async fn full_width_digits_are_named_by_code_point_and_position(store: Store) {
    strict(store, "００1099012345")
        .await
        .html(422, &["Chữ số không phải ASCII", "U+FF10", "vị trí 1"]);
}

pub async fn a_number_too_long_is_named(store: Store) {
    strict(store, "0010990123456")
        .await
        .html(422, &["quá dài: có 13 chữ số"]);
}

pub async fn an_empty_number_is_named(store: Store) {
    strict(store, "").await.html(422, &["trống"]);
}

pub async fn an_unknown_region_is_an_error_in_strict_mode_with_the_way_out(store: Store) {
    strict(store, "999099012345")
        .await
        .html(422, &["999", "không phải mã tỉnh", "chế độ khoan dung"]);
}

pub async fn an_unknown_region_is_unknown_in_lenient_mode(store: Store) {
    let w = world(store).await;
    decode(&w, "999099012345", "khoan-dung", "en").await.html(
        200,
        &[
            "unknown (the code is in neither",
            "value=\"khoan-dung\" checked",
        ],
    );
}

pub async fn a_decoder_post_that_is_not_a_form_is_refused_as_unreadable(store: Store) {
    let w = world(store).await;
    // An error page, not a 500.
    web(&w.router, Method::POST, "/so-dinh-danh", None, &[])
        .await
        .html(415, &["Biểu mẫu gửi lên không đọc được"]);
}
