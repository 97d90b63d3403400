//! Officers' console scenario: a receptionist logs in, registers a citizen
//! at the desk, opens a dossier (with the fee preview), fills the capture
//! checklist, issues the appointment slip and looks at its print view; then
//! officers of the centre and of the commune police, each logging in in turn, push
//! the dossier through to returned.

use anyhow::{Context as _, Result, bail, ensure};

use crate::harness::Ctx;

/// Logs in at the login form (the browser is on it, or is sent to it).
async fn log_in(c: &Ctx, login: &str) -> Result<()> {
    c.open("/can-bo").await?;
    c.wait_path("/can-bo/dang-nhap").await?;
    c.type_into("#login", login).await?;
    c.type_into("#password", c.facts.password()?).await?;
    c.click("form[action^='/can-bo/dang-nhap'] button[type=submit]")
        .await?;
    c.wait_path("/can-bo").await?;
    c.find(".console-nav .who").await?;
    Ok(())
}

/// Logs out with the button in the console's navigation.
async fn log_out(c: &Ctx) -> Result<()> {
    c.click("form.logout button[type=submit]").await?;
    c.wait_path("/can-bo/dang-nhap").await?;
    Ok(())
}

/// Opens a dossier from the console home's "open by code" form.
async fn open_dossier(c: &Ctx, code: &str) -> Result<()> {
    c.click(".console-nav a[href='/can-bo']").await?;
    c.wait_path("/can-bo").await?;
    c.type_into("form.find-dossier #ma", code).await?;
    c.click("form.find-dossier button[type=submit]").await?;
    c.wait_path(&format!("/can-bo/ho-so/{code}")).await?;
    Ok(())
}

/// The state shown on the dossier page (its code, from the CSS class).
async fn state(c: &Ctx) -> Result<String> {
    let class = c
        .find("p.state")
        .await?
        .attr("class")
        .await?
        .unwrap_or_default();
    class
        .split_whitespace()
        .find_map(|k| k.strip_prefix("state-"))
        .map(str::to_owned)
        .with_context(|| format!("no state-* class in {class:?}"))
}

/// Takes the step to `to` with its own form's button on the dossier page,
/// after filling what that step asks for, and waits for the new state.
async fn step(c: &Ctx, to: &str) -> Result<()> {
    let form = format!("form.step:has(input[name=to][value={to}])");
    if to == "returned" {
        c.click(&format!("{form} input[name=giay_to_cu][value=collected]"))
            .await?;
    }
    c.type_into(&format!("{form} textarea"), &format!("kiểm thử: {to}"))
        .await?;
    c.click(&format!("{form} button[type=submit]")).await?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        if let Ok(now) = state(c).await
            && now == to
        {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            let problem = match c.find_all("#loi").await?.first() {
                Some(e) => e.text().await?,
                None => String::new(),
            };
            bail!(
                "the dossier did not reach {to}; it is {:?}. {problem}",
                state(c).await.ok()
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The whole desk-to-return walk in the console.
pub async fn officer(c: Ctx) -> Result<()> {
    // The console sends an anonymous visitor to the login form.
    c.open("/can-bo").await?;
    c.wait_path("/can-bo/dang-nhap").await?;
    c.shot("login").await?;
    // A wrong password is refused, and the login name stays.
    c.type_into("#login", "receptionist.0101").await?;
    c.type_into("#password", "khong-dung-mat-khau").await?;
    c.click("form[action^='/can-bo/dang-nhap'] button[type=submit]")
        .await?;
    c.find("#login-error").await?;
    ensure!(
        c.value("#login").await? == "receptionist.0101",
        "the login name is kept"
    );
    log_in(&c, "receptionist.0101").await?;
    c.shot("home").await?;

    // Reception: register a synthetic citizen who is not on record.
    c.click(".console-nav a[href='/can-bo/tiep-nhan']").await?;
    c.wait_path("/can-bo/tiep-nhan").await?;
    for (field, value) in [
        ("#ho_ten", "Phạm Thị Kiểm Thử"),
        ("#ngay_sinh", "15/03/1990"),
        ("#ma_khai_sinh", "001"),
        ("#noi_khai_sinh", "Quận Ba Đình, Hà Nội"),
        ("#que_quan", "Hà Nội"),
        ("#thuong_tru", "12 Phố Mẫu, Phường Ba Đình, Hà Nội"),
        ("#quoc_tich", "Việt Nam"),
        ("#dan_toc", "Kinh"),
        ("#ton_giao", "Không"),
    ] {
        c.type_into(field, value).await?;
    }
    c.click("form.register input[name=gioi_tinh][value=female]")
        .await?;
    c.shot("reception").await?;
    c.click("form.register button[type=submit]").await?;
    c.wait_text("Lập hồ sơ cấp thẻ").await?;

    // The fee preview, then the dossier.
    c.click("button[name=hanh_dong][value=tinh_phi]").await?;
    c.find("section.fee .amount").await?;
    c.shot("fee").await?;
    c.click("button[name=hanh_dong][value=lap_ho_so]").await?;
    let h1 = c.find("h1 .num").await?.text().await?;
    let code: String = h1.chars().filter(char::is_ascii_digit).collect();
    ensure!(code.len() == 16, "a 16-digit dossier code: {h1:?}");
    ensure!(state(&c).await? == "received", "a new dossier is received");
    c.shot("dossier-received").await?;

    // Capture: every finger captured, the portrait checklist, features.
    c.click(&format!("a[href='/can-bo/ho-so/{code}/thu-nhan']"))
        .await?;
    c.wait_path(&format!("/can-bo/ho-so/{code}/thu-nhan"))
        .await?;
    let fingers = c
        .find_all("form.capture input[type=radio][value=captured]")
        .await?;
    ensure!(fingers.len() == 13, "13 slots, found {}", fingers.len());
    for f in fingers {
        f.click().await?;
    }
    for b in c
        .find_all("form.capture input[type=checkbox][name^=p_]")
        .await?
    {
        if !b.is_selected().await? {
            b.click().await?;
        }
    }
    c.type_into("#dac_diem", "Nốt ruồi C: 1 cm trên đuôi mày trái")
        .await?;
    c.shot("capture").await?;
    c.click("form.capture button[type=submit]").await?;
    c.wait_path(&format!("/can-bo/ho-so/{code}")).await?;
    c.wait_text("Phiếu thu nhận đầy đủ").await?;

    step(&c, "captured").await?;
    step(&c, "slip_issued").await?;
    c.shot("dossier-slip-issued").await?;
    // The print views, as the officer opens them before printing.
    c.click(&format!("a[href='/can-bo/ho-so/{code}/in/giay-hen']"))
        .await?;
    c.wait_path(&format!("/can-bo/ho-so/{code}/in/giay-hen"))
        .await?;
    let slip = c.page_text().await?;
    let spaced: String = slip.chars().filter(char::is_ascii_digit).collect();
    ensure!(spaced.contains(&code), "the slip shows the dossier code");
    c.shot("print-slip").await?;
    c.client.back().await?;
    c.wait_path(&format!("/can-bo/ho-so/{code}")).await?;
    c.click(&format!("a[href='/can-bo/ho-so/{code}/in/bien-nhan']"))
        .await?;
    c.wait_path(&format!("/can-bo/ho-so/{code}/in/bien-nhan"))
        .await?;
    c.shot("print-receipt").await?;
    c.client.back().await?;
    c.wait_path(&format!("/can-bo/ho-so/{code}")).await?;
    step(&c, "sent_to_centre").await?;
    log_out(&c).await?;

    // The centre approves, prints and dispatches; the commune police return.
    for (login, steps) in [
        ("approver.0002", &["approved"][..]),
        ("printer.0002", &["printed"][..]),
        ("dispatcher.0002", &["dispatched"][..]),
        ("return_officer.0101", &["ready_for_pickup", "returned"][..]),
    ] {
        log_in(&c, login).await?;
        open_dossier(&c, &code).await?;
        for to in steps {
            step(&c, to).await?;
        }
        if login.starts_with("return_officer") {
            c.shot("dossier-returned").await?;
        }
        log_out(&c).await?;
    }
    c.wait_text("Bạn đã đăng xuất").await?;
    Ok(())
}
