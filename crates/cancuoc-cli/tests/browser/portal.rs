//! Citizens' portal scenarios: the home page in Vietnamese, the switch to
//! English and back, a page that does not exist, keyboard access, and the
//! layout on a phone-sized window.

use anyhow::{Result, ensure};

use crate::harness::{Ctx, DESKTOP, PHONE};

/// Home page in Vietnamese, switch to English (the choice sticks across
/// pages, including a 404), back to Vietnamese, the skip link on the first
/// Tab, and no horizontal overflow on a phone.
pub async fn home(c: Ctx) -> Result<()> {
    c.open("/").await?;
    ensure!(c.html_lang().await? == "vi", "Vietnamese by default");
    ensure!(
        c.text("h1").await? == "Bạn cần làm gì?",
        "the Vietnamese h1"
    );
    c.expect_text(&[
        "Tra cứu hồ sơ",
        "Đặt lịch hẹn",
        "Bản trình diễn: mọi dữ liệu đều là dữ liệu mô phỏng.",
    ])
    .await?;
    let title = c.client.title().await?;
    ensure!(title.contains("Căn cước"), "title {title:?}");
    c.shot("vi").await?;

    // The first Tab reaches the skip link, which is then visible.
    c.find("body").await?.send_keys("\u{E004}").await?;
    let active = c.client.active_element().await?;
    ensure!(
        active.attr("class").await?.as_deref() == Some("skip"),
        "the first Tab lands on the skip link, not on {:?}",
        active.html(false).await?
    );

    // Switch to English as a person would: the link in the header.
    c.click("header a.lang").await?;
    c.wait_text("What do you need to do?").await?;
    ensure!(c.html_lang().await? == "en", "English after the switch");
    ensure!(
        c.path().await? == "/",
        "the switch comes back to the same page"
    );
    c.expect_text(&["Dossier status", "Book an appointment", "Tiếng Việt"])
        .await?;
    c.shot("en").await?;

    // The choice sticks: a page that does not exist answers in English.
    c.open("/khong-co-trang-nay").await?;
    c.wait_text("Something went wrong (404)").await?;
    c.expect_text(&["This page does not exist.", "Không tìm thấy trang này."])
        .await?;
    ensure!(c.html_lang().await? == "en", "404 in the chosen language");
    c.shot("404-en").await?;
    c.click_link("Back to the home page").await?;
    c.wait_text("What do you need to do?").await?;

    // And back to Vietnamese.
    c.click("header a.lang").await?;
    c.wait_text("Bạn cần làm gì?").await?;
    ensure!(c.html_lang().await? == "vi", "Vietnamese again");

    // A phone-sized window: the tasks stack, nothing runs off the side.
    c.window(PHONE).await?;
    c.open("/").await?;
    c.expect_no_horizontal_overflow().await?;
    c.shot("vi-phone").await?;
    c.open("/khong-co-trang-nay").await?;
    c.wait_text("Có lỗi (404)").await?;
    c.expect_no_horizontal_overflow().await?;
    c.shot("404-vi-phone").await?;
    c.window(DESKTOP).await?;
    Ok(())
}
