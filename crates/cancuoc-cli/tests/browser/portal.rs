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

/// The captcha's answer through the server's test hook (`--test-hooks`):
/// the one thing a test cannot read off the page as a person would.
pub(crate) fn captcha_answer(c: &Ctx, challenge: &str) -> Result<String> {
    let mut res = crate::service_support::agent()
        .get(&c.url(&format!("/__test/captcha/{challenge}")))
        .call()?;
    ensure!(
        res.status().as_u16() == 200,
        "test hook answered {} for challenge {challenge}",
        res.status()
    );
    Ok(res.body_mut().read_to_string()?.trim().to_owned())
}

/// A citizen looks up a dossier: from the home page to the form, a mistyped
/// code caught by its check digit (the typed code stays in the field), then
/// the real code with the captcha's answer, and the result with the same
/// state the API reports; the result fits a phone.
pub async fn citizen_lookup(c: Ctx) -> Result<()> {
    let code = c.facts.code("dispatched")?.to_owned();
    let (status, api) =
        crate::service_support::get(&c.url(&format!("/api/v1/status/{code}")), None);
    ensure!(status == 200, "status API: {status} {api}");
    let label = api["state_label_vi"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("no state_label_vi in {api}"))?
        .to_owned();

    c.open("/").await?;
    c.click("a[href='/tra-cuu']").await?;
    c.wait_path("/tra-cuu").await?;
    c.find("#ma").await?;
    c.shot("form").await?;

    // One digit off: the check digit catches it before any lookup.
    let last = code
        .chars()
        .last()
        .and_then(|d| d.to_digit(10))
        .unwrap_or(0);
    let wrong = format!("{}{}", &code[..code.len() - 1], (last + 1) % 10);
    c.type_into("#ma", &wrong).await?;
    c.click("form[action='/tra-cuu'] button[type=submit]")
        .await?;
    let err = c.find("#ma-error").await?;
    ensure!(
        !err.text().await?.is_empty(),
        "the code's error says something"
    );
    let kept: String = c
        .value("#ma")
        .await?
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    ensure!(
        kept == wrong,
        "the typed code is kept ({kept:?} vs {wrong:?})"
    );
    c.shot("wrong-code").await?;

    // The real code, with the captcha answered.
    c.type_into("#ma", &code).await?;
    let challenge = c.value("input[name=challenge]").await?;
    ensure!(!challenge.is_empty(), "a captcha challenge on the form");
    let answer = captcha_answer(&c, &challenge)?;
    c.type_into("#captcha", &answer).await?;
    c.click("form[action='/tra-cuu'] button[type=submit]")
        .await?;
    let title = c.find("#result-title").await?.text().await?;
    let digits: String = title.chars().filter(char::is_ascii_digit).collect();
    ensure!(digits == code, "the result is for {code}: {title:?}");
    c.expect_text(&[&label, "Ngày hẹn trả", "Đường dây nóng"])
        .await?;
    c.shot("found").await?;
    c.window(PHONE).await?;
    c.expect_no_horizontal_overflow().await?;
    c.shot("found-phone").await?;
    c.window(DESKTOP).await?;
    Ok(())
}

/// Picks option `index` of `select`, then goes on as a person would: the
/// page's script may submit the step by itself; if the `next` field has not
/// appeared shortly after, the person presses "Continue".
async fn choose_step(c: &Ctx, select: &str, index: usize, next: &str) -> Result<()> {
    c.select_index(select, index).await?;
    for _ in 0..15 {
        if !c.find_all(next).await?.is_empty() {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    c.click("form.booking-steps button[type=submit]").await?;
    c.find(next).await?;
    Ok(())
}

/// A citizen books an appointment step by step (province, office, day,
/// time, name and phone), changes their mind about the time once the
/// details are typed, reads the booking code off the confirmation (the
/// time last chosen), finds the booking again with code and phone, and
/// cancels it, confirming when asked.
pub async fn booking(c: Ctx) -> Result<()> {
    const PHONE_NO: &str = "0912345678";
    c.open("/").await?;
    c.click("a[href='/dat-lich']").await?;
    c.wait_path("/dat-lich").await?;
    choose_step(&c, "#tinh", 1, "#don_vi").await?;
    choose_step(&c, "#don_vi", 1, "#ngay").await?;
    choose_step(&c, "#ngay", 1, "#gio").await?;
    choose_step(&c, "#gio", 1, "#ho_ten").await?;
    c.type_into("#ho_ten", "Trần Thị Thử").await?;
    c.type_into("#dien_thoai", PHONE_NO).await?;
    // A change of mind: another time, picked after the details were typed.
    // The form shows it (the script resubmits the step, or the person
    // books straight away: either way the time shown is the one booked).
    let before = c.value(".booking-details input[name=challenge]").await?;
    c.select_index("#gio", 2).await?;
    for _ in 0..30 {
        let now = c.value(".booking-details input[name=challenge]").await;
        if now.is_ok_and(|v| v != before) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let chosen = c.text("#gio option:checked").await?;
    let chosen = chosen.split(' ').next().unwrap_or_default().to_owned();
    ensure!(
        c.value("#ho_ten").await? == "Trần Thị Thử",
        "the name typed survives the change of time"
    );
    // The details form holds a captcha: a booking is a person's.
    let challenge = c.value(".booking-details input[name=challenge]").await?;
    ensure!(
        !challenge.is_empty(),
        "a captcha challenge on the booking form"
    );
    let answer = captcha_answer(&c, &challenge)?;
    c.type_into("#captcha", &answer).await?;
    c.shot("details").await?;
    c.click(".booking-details button[type=submit]").await?;
    c.wait_text("Đã đặt lịch hẹn").await?;
    let grouped = c.text("dd.code").await?;
    let code: String = grouped.chars().filter(char::is_ascii_digit).collect();
    ensure!(code.len() == 11, "an 11-digit booking code: {grouped:?}");
    c.expect_text(&["Đã đặt", chosen.as_str()]).await?;
    c.shot("booked").await?;

    // Later: find it with code and phone, and cancel.
    c.click("a[href^='/dat-lich/quan-ly']").await?;
    c.wait_path("/dat-lich/quan-ly").await?;
    if c.value("#ma").await?.is_empty() {
        c.type_into("#ma", &code).await?;
    }
    c.type_into("#dien_thoai", PHONE_NO).await?;
    c.click("form[action^='/dat-lich/quan-ly'] button[type=submit]")
        .await?;
    let cancel = "form[action^='/dat-lich/huy'] button[type=submit]";
    c.find(cancel).await?;
    c.shot("manage").await?;
    c.click(cancel).await?;
    // Asked first; "Có, hủy lịch hẹn" cancels.
    c.wait_text("Hủy lịch hẹn này?").await?;
    c.shot("cancel-asked").await?;
    c.click("button[name=xac_nhan]").await?;
    c.wait_text("Đã hủy").await?;
    let now: String = c
        .text("dd.code")
        .await?
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    ensure!(now == code, "the cancelled booking is {code}, not {now}");
    ensure!(
        c.find_all("a[href^='/dat-lich/quan-ly?ma=']")
            .await?
            .is_empty(),
        "a cancelled booking offers no move or cancel"
    );
    c.shot("cancelled").await?;
    Ok(())
}
