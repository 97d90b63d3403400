//! The look-over (xem toàn bộ giao diện): every citizen page (the
//! identity account's too) and every console page, in Vietnamese and in
//! English, at a 360 px phone width and
//! at the desktop width. Each view must fit its window (no horizontal
//! scrolling), must be in the chosen language (`<html lang>`), and must
//! label every visible form field; and a reviewer can
//! look at all of them in one place.
//!
//! By default (CI) the tour walks at the phone width only and checks,
//! without screenshots (about 20 s). `CANCUOC_TOUR_SHOTS=1` is the review
//! mode: each view at both widths, each saved as
//! `target/e2e/tour-<lang>-<page>-<phone|desktop>.png` (about 2 minutes):
//! `CANCUOC_TOUR_SHOTS=1 CANCUOC_BROWSER_ONLY=tour cargo test -p cancuoc-cli --test browser`.

use anyhow::{Context as _, Result, ensure};

use crate::harness::{Ctx, DESKTOP};

/// The narrowest phone we design for.
const NARROW: (u32, u32) = (360, 780);

/// Checks and photographs the current page at both widths.
async fn look(c: &Ctx, lang: &str, name: &str) -> Result<()> {
    ensure!(
        c.html_lang().await? == lang,
        "{name} is not in {lang} ({})",
        c.path().await?
    );
    // Every visible field has a label (its own <label for>, a wrapping
    // <label>, or an aria-label).
    let unlabelled = c
        .client
        .execute(
            "return Array.from(document.querySelectorAll('input,select,textarea'))\
               .filter(e => e.type !== 'hidden' && e.offsetParent !== null)\
               .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))\
               .map(e => e.name || e.id);",
            vec![],
        )
        .await?;
    ensure!(
        unlabelled.as_array().is_none_or(Vec::is_empty),
        "{name} ({lang}): fields without a label: {unlabelled}"
    );
    if !review() {
        // The window stays at the phone width for the whole tour.
        return c
            .expect_no_horizontal_overflow()
            .await
            .with_context(|| format!("{name} ({lang}, phone)"));
    }
    for (width, size) in [("phone", NARROW), ("desktop", DESKTOP)] {
        c.window(size).await?;
        c.expect_no_horizontal_overflow()
            .await
            .with_context(|| format!("{name} ({lang}, {width})"))?;
        c.shot(&format!("{lang}-{name}-{width}")).await?;
    }
    c.window(NARROW).await?;
    Ok(())
}

/// Whether screenshots are wanted (`CANCUOC_TOUR_SHOTS=1`).
fn review() -> bool {
    std::env::var("CANCUOC_TOUR_SHOTS").is_ok_and(|v| v == "1")
}

/// Submits the form whose action starts with `action`.
async fn submit(c: &Ctx, action: &str) -> Result<()> {
    c.click(&format!("form[action^='{action}'] button[type=submit]"))
        .await
}

/// Picks `value` in `select`, then waits for `next` (pressing "Continue"
/// when the page's script did not submit the step).
async fn choose(c: &Ctx, select: &str, value: &str, next: &str) -> Result<()> {
    c.find(select).await?.select_by_value(value).await?;
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

/// The citizens' pages in `lang`; returns the booking made on the way
/// (code, day).
async fn portal(c: &Ctx, lang: &str) -> Result<(String, String)> {
    const PHONE_NO: &str = "0912000999";
    c.open(&format!("/lang/{lang}?next=/")).await?;
    look(c, lang, "home").await?;
    c.open("/co-quan").await?;
    look(c, lang, "offices").await?;
    // The offices as they were before the district police were dissolved.
    c.open("/co-quan?ngay=2025-02-28").await?;
    look(c, lang, "offices-before-2025").await?;
    c.open("/thu-tuc").await?;
    look(c, lang, "procedures").await?;
    c.open("/thu-tuc?ly_do=lost&kenh=online#le-phi").await?;
    c.find("#le-phi").await?;
    look(c, lang, "procedures-fee").await?;

    c.open("/so-dinh-danh").await?;
    look(c, lang, "decoder").await?;
    c.type_into("#so", "079190012345").await?;
    submit(c, "/so-dinh-danh").await?;
    c.wait_text("079").await?;
    look(c, lang, "decoder-result").await?;

    c.open("/tra-cuu").await?;
    c.find("#ma").await?;
    look(c, lang, "status-form").await?;
    let code = c.facts.code("dispatched")?.to_owned();
    c.type_into("#ma", &code).await?;
    let challenge = c.value("input[name=challenge]").await?;
    let answer = crate::portal::captcha_answer(c, &challenge)?;
    c.type_into("#captcha", &answer).await?;
    submit(c, "/tra-cuu").await?;
    c.find("#result-title").await?;
    look(c, lang, "status-result").await?;
    // Each state says what happened, its date and what to do next.
    for state in [
        "booked",
        "refused",
        "rejected",
        "ready_for_pickup",
        "returned",
    ] {
        c.open("/tra-cuu").await?;
        c.type_into("#ma", c.facts.code(state)?).await?;
        let challenge = c.value("input[name=challenge]").await?;
        let answer = crate::portal::captcha_answer(c, &challenge)?;
        c.type_into("#captcha", &answer).await?;
        submit(c, "/tra-cuu").await?;
        c.find(".next-step").await?;
        look(c, lang, &format!("status-{state}")).await?;
    }
    // An ID number typed in the dossier box: pointed to the right page.
    c.open("/tra-cuu").await?;
    c.type_into("#ma", "079190012345").await?;
    submit(c, "/tra-cuu").await?;
    c.find("#ma-error a[href='/so-dinh-danh']").await?;
    look(c, lang, "status-id-number").await?;

    // Booking, step by step: Hà Nội (the demo's province office 10), the
    // commune police of Phường Ba Đình (office 101), the first free day and
    // slot.
    c.open("/dat-lich").await?;
    look(c, lang, "booking-1").await?;
    choose(c, "#tinh", "10", "#don_vi").await?;
    look(c, lang, "booking-2").await?;
    choose(c, "#don_vi", "101", "#ngay").await?;
    look(c, lang, "booking-3").await?;
    c.select_index("#ngay", 1).await?;
    let day = c.value("#ngay").await?;
    choose(c, "#ngay", &day, "#gio").await?;
    look(c, lang, "booking-4").await?;
    c.select_index("#gio", 1).await?;
    let slot = c.value("#gio").await?;
    choose(c, "#gio", &slot, "#ho_ten").await?;
    c.type_into("#ho_ten", "Lê Thị Xem Thử").await?;
    c.type_into("#dien_thoai", PHONE_NO).await?;
    let challenge = c.value(".booking-details input[name=challenge]").await?;
    let answer = crate::portal::captcha_answer(c, &challenge)?;
    c.type_into("#captcha", &answer).await?;
    look(c, lang, "booking-5").await?;
    c.click(".booking-details button[type=submit]").await?;
    let grouped = c.text("dd.code").await?;
    let booking: String = grouped.chars().filter(char::is_ascii_digit).collect();
    look(c, lang, "booking-confirmation").await?;

    c.open(&format!("/dat-lich/quan-ly?ma={booking}")).await?;
    look(c, lang, "booking-manage-form").await?;
    c.type_into("#ma", &booking).await?;
    c.type_into("#dien_thoai", PHONE_NO).await?;
    submit(c, "/dat-lich/quan-ly").await?;
    c.find("form[action^='/dat-lich/huy']").await?;
    look(c, lang, "booking-manage").await?;
    // Cancelling asks first; "No, keep it" keeps it.
    submit(c, "/dat-lich/huy").await?;
    c.find("button[name=xac_nhan]").await?;
    look(c, lang, "booking-cancel-asked").await?;
    c.click("form[action^='/dat-lich/huy'] button[type=submit]")
        .await?;
    c.find("#move-h").await?;

    c.open(&format!("/to-khai?ma={booking}")).await?;
    look(c, lang, "declaration-open").await?;
    c.type_into("#dien_thoai", PHONE_NO).await?;
    submit(c, "/to-khai/mo").await?;
    c.find("form.declaration").await?;
    look(c, lang, "declaration").await?;
    Ok((booking, day))
}

/// The console's pages in `lang`, as the demo's receptionist of office 101:
/// the day's appointments, the booked citizen received from there (the
/// desk pre-filled from the booking, registration, the fee, the dossier),
/// its capture and print views, the appointment then shown received, and
/// the queues and the overdue dashboard.
async fn console(c: &Ctx, lang: &str, booking: &str, day: &str) -> Result<()> {
    let en = lang == "en";
    c.open(&format!("/lang/{lang}?next=/can-bo")).await?;
    c.wait_path("/can-bo/dang-nhap").await?;
    look(c, lang, "console-login").await?;
    c.type_into("#login", "receptionist.0101").await?;
    c.type_into("#password", c.facts.password()?).await?;
    submit(c, "/can-bo/dang-nhap").await?;
    c.wait_path("/can-bo").await?;
    look(c, lang, "console-home").await?;
    c.open("/can-bo/tiep-nhan").await?;
    look(c, lang, "reception").await?;

    let row = format!("#b-{booking}");
    c.open(&format!("/can-bo/lich-hen?ngay={day}")).await?;
    c.find(&row).await?;
    look(c, lang, "bookings").await?;
    c.click(&format!(
        "{row} a[href='/can-bo/tiep-nhan?booking={booking}']"
    ))
    .await?;
    c.wait_path("/can-bo/tiep-nhan").await?;
    ensure!(
        c.value("#quoc_tich").await? == "Việt Nam",
        "the desk keeps the default nationality for an undeclared booking"
    );
    look(c, lang, "reception-booking").await?;
    for (field, value) in [
        ("#ngay_sinh", "15/03/1990"),
        ("#ma_khai_sinh", "001"),
        ("#noi_khai_sinh", "Quận Ba Đình, Hà Nội"),
        ("#que_quan", "Hà Nội"),
        ("#thuong_tru", "12 Phố Mẫu, Phường Ba Đình, Hà Nội"),
    ] {
        c.type_into(field, value).await?;
    }
    c.click("form.register input[name=gioi_tinh][value=female]")
        .await?;
    c.click("form.register button[type=submit]").await?;
    c.find("button[name=hanh_dong][value=tinh_phi]").await?;
    look(c, lang, "applicant").await?;
    c.click("button[name=hanh_dong][value=tinh_phi]").await?;
    c.find("section.fee .amount").await?;
    look(c, lang, "applicant-fee").await?;
    c.click("button[name=hanh_dong][value=lap_ho_so]").await?;
    let h1 = c.find("h1 .num").await?.text().await?;
    let code: String = h1.chars().filter(char::is_ascii_digit).collect();
    ensure!(code.len() == 16, "a 16-digit dossier code: {h1:?}");
    look(c, lang, "dossier").await?;
    for (name, path) in [
        ("capture", format!("/can-bo/ho-so/{code}/thu-nhan")),
        (
            "print-receipt",
            format!("/can-bo/ho-so/{code}/in/bien-nhan"),
        ),
        ("print-slip", format!("/can-bo/ho-so/{code}/in/giay-hen")),
    ] {
        c.open(&path).await?;
        c.find("h1").await?;
        look(c, lang, name).await?;
    }

    // Opening the dossier marked the appointment received.
    c.open(&format!("/can-bo/lich-hen?ngay={day}")).await?;
    let state = c.text(&format!("{row} td[class^=state-]")).await?;
    let want = if en { "Received" } else { "Đã tiếp nhận" };
    ensure!(
        state == want,
        "the appointment shows {state:?}, not {want:?}"
    );
    look(c, lang, "bookings-received").await?;

    for (name, path) in [
        ("queues", "/can-bo/hang-doi"),
        ("overdue", "/can-bo/qua-han"),
        ("chats", "/can-bo/tin-nhan"),
    ] {
        c.open(path).await?;
        c.find("h1").await?;
        look(c, lang, name).await?;
    }
    c.click("form.logout button[type=submit]").await?;
    c.wait_path("/can-bo/dang-nhap").await?;
    Ok(())
}

/// The account pages in `lang`: the public forms (and a refused
/// registration), the forgotten password's steps up to its code page (for
/// a number nobody has: nothing is sent), then, logged in as the demo's
/// guardian (once: the session lasts across the language switch), every
/// page of the account.
async fn account_pages(c: &Ctx, lang: &str) -> Result<()> {
    use crate::accounts::{Demo, log_in, solve_captcha, submit};
    let demo = Demo::read(c)?;
    let guardian = demo.find("guardian of a child", |x| {
        x.account.is_some() && demo.guardians.contains(&x.personal_id)
    })?;
    c.open("/tai-khoan/dang-nhap").await?;
    look(c, lang, "account-login").await?;
    c.open("/tai-khoan/dang-ky").await?;
    look(c, lang, "account-register").await?;
    for (field, value) in [
        ("#so_dinh_danh", "12345"),
        ("#dien_thoai", "0912"),
        ("#ngay_sinh", "31/02/1990"),
        ("#mat_khau", "abc"),
        ("#mat_khau_2", "abd"),
    ] {
        c.type_into(field, value).await?;
    }
    submit(c).await?;
    c.find("#error-summary").await?;
    look(c, lang, "account-register-refused").await?;
    c.open("/tai-khoan/quen-mat-khau").await?;
    look(c, lang, "account-forgot-1").await?;
    c.type_into("#so_dinh_danh", "001099012345").await?;
    c.type_into(
        "#dien_thoai",
        if lang == "en" {
            "0912345002"
        } else {
            "0912345001"
        },
    )
    .await?;
    solve_captcha(c).await?;
    submit(c).await?;
    c.find("#ho_ten").await?;
    look(c, lang, "account-forgot-2").await?;
    c.type_into("#ho_ten", "Không Có Ai").await?;
    c.type_into("#ngay_sinh", "01/01/1999").await?;
    c.type_into("#ngay_cap", "01/07/2024").await?;
    submit(c).await?;
    c.find("#ma_otp").await?;
    look(c, lang, "account-code").await?;
    c.open("/tai-khoan/khoa").await?;
    look(c, lang, "account-lock").await?;
    c.open("/tai-khoan/mo-khoa").await?;
    look(c, lang, "account-unlock").await?;

    c.open("/tai-khoan").await?;
    if c.path().await?.starts_with("/tai-khoan/dang-nhap") {
        log_in(c, &guardian, &demo.password, None).await?;
    }
    c.find(".identity").await?;
    look(c, lang, "account-identity").await?;
    for (name, path, wait) in [
        ("account-wallet", "/tai-khoan/vi", "h1"),
        ("account-history", "/tai-khoan/lich-su", ".events"),
        ("account-sessions", "/tai-khoan/phien", ".sessions"),
        (
            "account-password",
            "/tai-khoan/doi-mat-khau",
            "#mat_khau_moi",
        ),
    ] {
        c.open(path).await?;
        c.find(wait).await?;
        look(c, lang, name).await?;
    }
    Ok(())
}

/// The card's pages in `lang`: the portal's check of a signed QR (the
/// form, and its answer to a text cut short), then the specimen of the
/// demo's printed dossier's card, seen by a receptionist of its office.
/// (A verified seal needs the demo's signing key, which `serve --demo`
/// configures; the form and its errors need none.)
async fn card_pages(c: &Ctx, lang: &str) -> Result<()> {
    c.open(&format!("/lang/{lang}?next=/xac-minh")).await?;
    c.wait_path("/xac-minh").await?;
    look(c, lang, "verify").await?;
    c.type_into("#ma", "NCFOXNT").await?;
    submit(c, "/xac-minh").await?;
    c.find("#ma-error").await?;
    look(c, lang, "verify-error").await?;

    let printed = c.facts.code("printed")?.to_owned();
    let office = printed.get(..4).context("a 16-digit code")?.to_owned();
    c.open("/can-bo/dang-nhap").await?;
    c.type_into("#login", &format!("receptionist.{office}"))
        .await?;
    c.type_into("#password", c.facts.password()?).await?;
    submit(c, "/can-bo/dang-nhap").await?;
    c.wait_path("/can-bo").await?;
    c.open(&format!("/can-bo/ho-so/{printed}/the-mau")).await?;
    c.find("figure.specimen-card[data-side=back] svg").await?;
    look(c, lang, "specimen").await?;
    c.click("form.logout button[type=submit]").await?;
    c.wait_path("/can-bo/dang-nhap").await?;
    Ok(())
}

/// The confirmation of an old CMND number in `lang`: the portal's request
/// form (the province step, then the request for Hà Nội, the demo's
/// province office 10, and that request sent empty: every field named, no
/// captcha spent), then the office's queue of requests, seen by the
/// receptionist of office 101 (it may be empty in the demo; it renders
/// with the desk's own request form either way).
async fn confirmation_pages(c: &Ctx, lang: &str) -> Result<()> {
    const REQUEST: &str = "form[method=post][action='/xac-nhan-so-cmnd']";
    c.open(&format!("/lang/{lang}?next=/xac-nhan-so-cmnd"))
        .await?;
    c.wait_path("/xac-nhan-so-cmnd").await?;
    c.find("#tinh").await?;
    look(c, lang, "confirmation").await?;
    c.open("/xac-nhan-so-cmnd?tinh=10").await?;
    c.find("#don_vi").await?;
    ensure!(
        c.find_all("#don_vi option").await?.len() > 1,
        "Hà Nội lists offices receiving the request"
    );
    look(c, lang, "confirmation-form").await?;
    c.click(&format!("{REQUEST} button[type=submit]")).await?;
    c.find("#error-summary").await?;
    ensure!(
        c.find_all("#captcha-error").await?.is_empty(),
        "an empty request is refused for its fields, not its captcha"
    );
    look(c, lang, "confirmation-error").await?;

    c.open("/can-bo/dang-nhap").await?;
    c.type_into("#login", "receptionist.0101").await?;
    c.type_into("#password", c.facts.password()?).await?;
    submit(c, "/can-bo/dang-nhap").await?;
    c.wait_path("/can-bo").await?;
    c.open("/can-bo/xac-nhan-cmnd").await?;
    c.find("h1").await?;
    c.find("form[action='/can-bo/xac-nhan-cmnd'] #so_cmnd")
        .await?;
    look(c, lang, "console-confirmations").await?;
    c.click("form.logout button[type=submit]").await?;
    c.wait_path("/can-bo/dang-nhap").await?;
    Ok(())
}

/// Every page, both languages, both widths.
pub async fn tour(c: Ctx) -> Result<()> {
    c.window(NARROW).await?;
    for lang in ["vi", "en"] {
        let (booking, day) = portal(&c, lang).await?;
        account_pages(&c, lang).await?;
        console(&c, lang, &booking, &day).await?;
        card_pages(&c, lang).await?;
        confirmation_pages(&c, lang).await?;
    }
    c.window(DESKTOP).await?;
    Ok(())
}
