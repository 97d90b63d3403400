//! Citizens' electronic identity accounts in a real browser: a demo
//! citizen without an account (from `demo.json` in the data directory)
//! registers a level-1 account with the code read from the development SMS
//! sink (`sms-outbox.jsonl`, as `serve --demo` writes it), logs in (the
//! captcha's answer from the test hook, the code from the sink) and sees
//! the identification page; the demo citizen whose phone and temporary
//! residence are self-declared shows the green and yellow marks; then the
//! first citizen locks the account from the lock page, fails to log in,
//! unlocks it with password and code, and logs in again.
//!
//! The 60-second cooldown is per challenge (a new code for the same
//! login), so a citizen who registers and then logs in at once is not kept
//! waiting, and neither is this scenario.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail, ensure};
use cancuoc_service::sms::DevSink;

use crate::harness::{Ctx, DESKTOP, PHONE};

/// A demo citizen as `demo.json` lists them.
#[derive(Clone, Debug)]
pub struct DemoCitizen {
    pub personal_id: String,
    pub full_name: String,
    pub phone: String,
    /// `dd/mm/yyyy`, as a person types it.
    pub date_of_birth: String,
    /// `dd/mm/yyyy`.
    pub card_issue_date: String,
    pub account: Option<u64>,
    pub self_declared: Vec<String>,
}

/// What the scenarios need of `demo.json`.
#[derive(Clone, Debug)]
pub struct Demo {
    pub citizens: Vec<DemoCitizen>,
    pub password: String,
    /// The personal ID numbers of the children's guardians.
    pub guardians: Vec<String>,
}

/// `YYYY-MM-DD` → `dd/mm/yyyy`.
fn dmy(iso: &str) -> String {
    let p: Vec<&str> = iso.split('-').collect();
    match p.as_slice() {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => iso.to_owned(),
    }
}

impl Demo {
    /// Reads `demo.json` from the server's data directory.
    pub fn read(c: &Ctx) -> Result<Demo> {
        let path = c.data_dir.join("demo.json");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {} (written by serve --demo)", path.display()))?;
        let v: serde_json::Value = serde_json::from_str(&text)?;
        let s = |v: &serde_json::Value, k: &str| -> Result<String> {
            v[k].as_str()
                .map(str::to_owned)
                .ok_or_else(|| anyhow!("no {k} in a citizen of demo.json"))
        };
        let citizens = v["citizens"]
            .as_array()
            .ok_or_else(|| anyhow!("no citizens in demo.json"))?
            .iter()
            .map(|c| {
                Ok(DemoCitizen {
                    personal_id: s(c, "personal_id")?,
                    full_name: s(c, "full_name")?,
                    phone: s(c, "phone")?,
                    date_of_birth: dmy(&s(c, "date_of_birth")?),
                    card_issue_date: dmy(&s(c, "card_issue_date")?),
                    account: c["account"].as_u64(),
                    self_declared: c["self_declared"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|x| x.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Demo {
            citizens,
            password: v["citizen_password"]
                .as_str()
                .ok_or_else(|| anyhow!("no citizen_password in demo.json"))?
                .to_owned(),
            guardians: v["children"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|c| c["guardian"].as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        })
    }

    /// The first citizen that `pick` accepts.
    pub fn find(&self, what: &str, pick: impl Fn(&DemoCitizen) -> bool) -> Result<DemoCitizen> {
        self.citizens
            .iter()
            .find(|c| pick(c))
            .cloned()
            .ok_or_else(|| anyhow!("no demo citizen {what} in demo.json"))
    }
}

/// The development SMS sink of the server.
pub fn sink(c: &Ctx) -> PathBuf {
    c.data_dir.join("sms-outbox.jsonl")
}

/// How many messages went to `phone` so far.
fn count_to(c: &Ctx, phone: &str) -> usize {
    DevSink::read(sink(c))
        .iter()
        .filter(|l| l.to == phone)
        .count()
}

/// The code the sink received for `phone` after `before` messages to it.
pub async fn code_after(c: &Ctx, phone: &str, before: usize) -> Result<String> {
    for _ in 0..100 {
        if count_to(c, phone) > before {
            return DevSink::last_code_for(sink(c), phone)
                .ok_or_else(|| anyhow!("the last message to {phone} holds no code"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!(
        "no new message to {phone} in the SMS sink {}",
        sink(c).display()
    )
}

/// Types the current form's captcha answer (read through the test hook).
pub async fn solve_captcha(c: &Ctx) -> Result<()> {
    let challenge = c.value("fieldset.captcha input[name=challenge]").await?;
    let answer = crate::portal::captcha_answer(c, &challenge)?;
    c.type_into("#captcha", &answer).await
}

/// Presses the form's main button.
pub async fn submit(c: &Ctx) -> Result<()> {
    c.click("form.account button[type=submit]:not(.as-link)")
        .await
}

/// Fills and sends the login form for `who` with `password` (a right
/// password sends a code).
pub async fn login_form(c: &Ctx, who: &DemoCitizen, password: &str) -> Result<()> {
    c.open("/tai-khoan/dang-nhap").await?;
    c.type_into("#so_dinh_danh", &who.personal_id).await?;
    c.type_into("#mat_khau", password).await?;
    solve_captcha(c).await?;
    submit(c).await
}

/// Logs `who` in through both steps; ends on the identification page.
pub async fn log_in(c: &Ctx, who: &DemoCitizen, password: &str, shot: Option<&str>) -> Result<()> {
    let before = count_to(c, &who.phone);
    login_form(c, who, password).await?;
    c.find("#ma_otp").await?;
    if let Some(name) = shot {
        c.shot(name).await?;
    }
    let code = code_after(c, &who.phone, before).await?;
    c.type_into("#ma_otp", &code).await?;
    submit(c).await?;
    c.wait_path("/tai-khoan").await?;
    c.find(".identity").await?;
    Ok(())
}

/// Logs out with the button of the account's navigation.
pub async fn log_out(c: &Ctx) -> Result<()> {
    c.click("form.logout button[type=submit]").await?;
    c.wait_path("/tai-khoan/dang-nhap").await
}

/// Screenshots of the current page at the phone and the desktop width.
async fn both_widths(c: &Ctx, name: &str) -> Result<()> {
    c.window(PHONE).await?;
    c.expect_no_horizontal_overflow().await?;
    c.shot(&format!("{name}-phone")).await?;
    c.window(DESKTOP).await?;
    c.shot(&format!("{name}-desktop")).await?;
    Ok(())
}

/// The whole walk (see the module documentation).
pub async fn accounts(c: Ctx) -> Result<()> {
    let demo = Demo::read(&c)?;
    let a = demo.find("without an account", |x| x.account.is_none())?;
    let marked = demo.find("with self-declared fields", |x| {
        x.account.is_some() && !x.self_declared.is_empty()
    })?;

    // Register, from the home page's link.
    c.open("/").await?;
    c.click("a[href='/tai-khoan/dang-nhap']").await?;
    c.wait_path("/tai-khoan/dang-nhap").await?;
    c.click_link("Chưa có tài khoản? Đăng ký").await?;
    c.wait_path("/tai-khoan/dang-ky").await?;
    for (field, value) in [
        ("#so_dinh_danh", a.personal_id.as_str()),
        ("#dien_thoai", a.phone.as_str()),
        ("#ho_ten", a.full_name.as_str()),
        ("#ngay_sinh", a.date_of_birth.as_str()),
        ("#ngay_cap", a.card_issue_date.as_str()),
        ("#mat_khau", demo.password.as_str()),
        ("#mat_khau_2", demo.password.as_str()),
    ] {
        c.type_into(field, value).await?;
    }
    solve_captcha(&c).await?;
    c.shot("register").await?;
    let before = count_to(&c, &a.phone);
    submit(&c).await?;
    c.find("#ma_otp").await?;
    c.expect_text(&["Mã có hiệu lực trong 2 phút"]).await?;
    // The resend button waits for the cooldown (site.js counts down).
    let resend = c.find("form.resend button").await?;
    ensure!(
        !resend.is_enabled().await?,
        "the resend button is disabled during the cooldown"
    );
    both_widths(&c, "code").await?;
    let code = code_after(&c, &a.phone, before).await?;
    c.type_into("#ma_otp", &code).await?;
    submit(&c).await?;
    c.wait_text("Đã đăng ký tài khoản").await?;

    // Log in: the identification page.
    log_in(&c, &a, &demo.password, Some("login-code")).await?;
    c.expect_text(&[
        "Thông tin định danh",
        &a.personal_id,
        "Mức độ 1",
        "Đã xác thực",
    ])
    .await?;
    both_widths(&c, "identity").await?;
    log_out(&c).await?;

    // Green and yellow marks: the demo citizen who declared her phone.
    log_in(&c, &marked, &demo.password, None).await?;
    ensure!(
        !c.find_all(".mark.verified").await?.is_empty()
            && !c.find_all(".mark.declared").await?.is_empty(),
        "both marks on the identification page"
    );
    c.expect_text(&["Tự khai", "Đã xác thực", "Mức độ 2"])
        .await?;
    both_widths(&c, "marks").await?;
    c.click("nav.account-nav a[href='/tai-khoan/vi']").await?;
    c.find(".card-qr svg").await?;
    both_widths(&c, "wallet").await?;
    log_out(&c).await?;

    // Lock (no code), then the login fails as a wrong password would.
    c.open("/tai-khoan/khoa").await?;
    for (field, value) in [
        ("#so_dinh_danh", a.personal_id.as_str()),
        ("#dien_thoai", a.phone.as_str()),
        ("#ngay_sinh", a.date_of_birth.as_str()),
        ("#ngay_cap", a.card_issue_date.as_str()),
    ] {
        c.type_into(field, value).await?;
    }
    solve_captcha(&c).await?;
    submit(&c).await?;
    c.wait_text("Đã nhận yêu cầu khóa tài khoản").await?;
    c.shot("locked").await?;
    let before = count_to(&c, &a.phone);
    login_form(&c, &a, &demo.password).await?;
    c.wait_text("Số định danh cá nhân hoặc mật khẩu không đúng")
        .await?;
    ensure!(
        c.find_all("#ma_otp").await?.is_empty(),
        "no code page for a locked account"
    );
    c.shot("login-refused").await?;

    // Unlock with password and code, then log in again.
    c.open("/tai-khoan/mo-khoa").await?;
    c.type_into("#so_dinh_danh", &a.personal_id).await?;
    c.type_into("#mat_khau", &demo.password).await?;
    solve_captcha(&c).await?;
    submit(&c).await?;
    c.find("#ma_otp").await?;
    let code = code_after(&c, &a.phone, before).await?;
    c.type_into("#ma_otp", &code).await?;
    submit(&c).await?;
    c.wait_text("Đã mở khóa tài khoản").await?;
    c.shot("unlocked").await?;
    log_in(&c, &a, &demo.password, None).await?;
    c.expect_text(&[&a.personal_id]).await?;
    log_out(&c).await?;
    Ok(())
}
