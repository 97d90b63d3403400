//! `cancuoc officer add`: adds an officer (cán bộ) at an office with a role,
//! a console login (tên đăng nhập) and password (mật khẩu), and prints the
//! bearer token (mã truy cập) once; only hashes are stored (SHA-256 of the
//! token, Argon2id of the password).
//!
//! The password is typed twice on a terminal (not echoed; empty = generate
//! one), read from the first line of standard input with
//! `--password-stdin`, or otherwise generated and printed once.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::bail;
use cancuoc_core::dossier::workflow::Role;
use cancuoc_core::i18n::{Lang, Localized};
use cancuoc_core::text::search_key;
use cancuoc_service::{Login, Password, hash_password};
use cancuoc_store::NewOfficer;
use clap::{Args, Subcommand};

use crate::Ctx;
use crate::config::{DbArgs, Layer, Settings, now_secs, runtime};
use crate::output::{EXIT_INVALID, EXIT_OK, pick, print_json};

/// Officers and their access tokens (cán bộ, mã truy cập).
#[derive(Args, Debug)]
pub struct OfficerArgs {
    #[command(subcommand)]
    command: OfficerCommand,
}

#[derive(Subcommand, Debug)]
enum OfficerCommand {
    /// Add an officer with a console login and password, and print their
    /// bearer token (shown only this once).
    Add(AddArgs),
}

#[derive(Args, Debug)]
struct AddArgs {
    /// Office number (số hiệu đơn vị), e.g. 11 or 0011.
    #[arg(long, value_name = "CODE")]
    office: u16,
    /// Role: receptionist, commune_police, processor, approver, printer,
    /// dispatcher, return_officer, admin.
    #[arg(long, value_name = "ROLE", value_parser = parse_role)]
    role: Role,
    /// Full name (họ và tên).
    #[arg(long, value_name = "NAME")]
    name: String,
    /// Console login name (tên đăng nhập): 3–32 of a–z, 0–9, '.', '_', '-'.
    /// Default: the name without diacritics, words joined by dots
    /// ("Trần Thị Mai" → tran.thi.mai).
    #[arg(long, value_name = "LOGIN")]
    login: Option<String>,
    /// Read the password from the first line of standard input (scripts).
    /// Without it the password is asked twice on a terminal, or generated
    /// and printed once when there is no terminal.
    #[arg(long)]
    password_stdin: bool,
    /// Print {"officer": …, "token": …} as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArgs,
}

/// A role by its code (`return_officer` or `return-officer`); `citizen` is
/// not an officer role.
fn parse_role(s: &str) -> Result<Role, crate::usage::ArgError> {
    let code = s.trim().replace('-', "_");
    Role::ALL
        .into_iter()
        .filter(|r| *r != Role::Citizen)
        .find(|r| r.code() == code)
        .ok_or_else(|| {
            let all: Vec<&str> = Role::ALL
                .iter()
                .filter(|r| **r != Role::Citizen)
                .map(|r| r.code())
                .collect();
            let all = all.join(", ");
            crate::usage::ArgError::new(
                "arg.unknown_role",
                format!("không có vai trò này; các vai trò: {all}"),
                format!("no such role; one of: {all}"),
            )
        })
}

/// Runs `cancuoc officer …`.
pub fn run(args: OfficerArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match args.command {
        OfficerCommand::Add(a) => add(a, ctx),
    }
}

/// The login made from a name: diacritics off, lower case, words joined by
/// dots, other characters dropped.
fn login_from_name(name: &str) -> String {
    search_key(name)
        .split(' ')
        .map(|w| {
            w.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(".")
}

/// Where the password came from.
enum Chosen {
    /// Typed or piped in: not printed.
    Given(Password),
    /// Generated here: printed once.
    Generated(Password),
}

/// Reads or generates the password (see the module docs).
fn choose_password(password_stdin: bool, lang: Lang) -> anyhow::Result<Chosen> {
    let parse = |s: &str| Password::parse(s).map_err(|e| anyhow::anyhow!("{}", e.message(lang)));
    if password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let line = line.trim_end_matches(['\r', '\n']);
        return Ok(Chosen::Given(parse(line)?));
    }
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Ok(Chosen::Generated(Password::generate()));
    }
    let term = console::Term::stderr();
    term.write_line(pick(
        lang,
        "Mật khẩu đăng nhập bảng điều khiển (để trống = tạo ngẫu nhiên):",
        "Console password (leave empty to generate one):",
    ))?;
    let first = term.read_secure_line()?;
    if first.is_empty() {
        return Ok(Chosen::Generated(Password::generate()));
    }
    let password = parse(&first)?;
    term.write_line(pick(lang, "Nhập lại mật khẩu:", "Repeat the password:"))?;
    if term.read_secure_line()? != first {
        bail!(
            "{}",
            pick(
                lang,
                "hai lần nhập mật khẩu không khớp",
                "the two passwords do not match"
            )
        );
    }
    Ok(Chosen::Given(password))
}

fn add(a: AddArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    if a.name.trim().is_empty() {
        bail!(
            "{}",
            pick(
                ctx.lang,
                "--name không được để trống",
                "--name must not be blank"
            )
        );
    }
    let login_text = a.login.clone().unwrap_or_else(|| login_from_name(&a.name));
    let login = match Login::parse(&login_text) {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "{} {}",
                e.message(ctx.lang),
                pick(ctx.lang, "(chọn bằng --login)", "(choose one with --login)")
            );
            return Ok(EXIT_INVALID);
        }
    };
    let chosen = match choose_password(a.password_stdin, ctx.lang) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return Ok(EXIT_INVALID);
        }
    };
    let password = match &chosen {
        Chosen::Given(p) | Chosen::Generated(p) => p,
    };
    let settings = Settings::for_db(&a.db, Layer::default())?;
    runtime()?.block_on(async {
        let hash = hash_password(password)
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.message(ctx.lang)))?;
        let store = settings.open_store(ctx.lang).await?;
        let result = match store.office(a.office).await {
            Err(e) => Err(e),
            Ok(_) => {
                store
                    .add_officer_with_login(
                        &NewOfficer {
                            name: a.name.trim().to_owned(),
                            role: a.role,
                            office: a.office,
                        },
                        login.as_str(),
                        &hash,
                        None,
                        now_secs(),
                    )
                    .await
            }
        };
        store.close().await;
        let issued = match result {
            Ok(i) => i,
            Err(e) if e.is_duplicate() => {
                eprintln!(
                    "{} {:?} {}",
                    pick(ctx.lang, "Tên đăng nhập", "The login name"),
                    login.as_str(),
                    pick(
                        ctx.lang,
                        "đã có người dùng; chọn tên khác bằng --login.",
                        "is taken; choose another with --login."
                    )
                );
                return Ok(EXIT_INVALID);
            }
            Err(e) => {
                eprintln!("{}", e.message(ctx.lang));
                return Ok(EXIT_INVALID);
            }
        };
        let generated = match &chosen {
            Chosen::Generated(p) => Some(p.expose()),
            Chosen::Given(_) => None,
        };
        if a.json {
            let mut v = serde_json::json!({
                "officer": issued.officer,
                "login": login.as_str(),
                "token": issued.token.expose(),
            });
            if let Some(p) = generated {
                v["password"] = serde_json::json!(p);
            }
            print_json(&v)?;
        } else {
            let o = &issued.officer;
            println!(
                "{} #{} {} ({}) {} {:04}.",
                pick(ctx.lang, "Đã thêm cán bộ", "Added officer"),
                o.id.0,
                o.name,
                pick(ctx.lang, o.role.label_vi(), o.role.label_en()),
                pick(ctx.lang, "tại đơn vị", "at office"),
                o.office
            );
            println!(
                "{} {}",
                pick(
                    ctx.lang,
                    "Tên đăng nhập (/can-bo):",
                    "Console login (/can-bo):"
                ),
                login.as_str()
            );
            if let Some(p) = generated {
                println!(
                    "{} {p}",
                    pick(
                        ctx.lang,
                        "Mật khẩu được tạo (chỉ hiển thị một lần):",
                        "Generated password (shown only once):"
                    )
                );
            }
            println!(
                "{}",
                pick(
                    ctx.lang,
                    "Mã truy cập (chỉ hiển thị một lần, hãy lưu lại):",
                    "Bearer token (shown only once, keep it safe):"
                )
            );
            println!("{}", issued.token.expose());
        }
        Ok(EXIT_OK)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_with_either_separator_and_citizen_is_refused() {
        assert_eq!(parse_role("return-officer"), Ok(Role::ReturnOfficer));
        assert_eq!(parse_role("commune_police"), Ok(Role::CommunePolice));
        assert_eq!(
            parse_role("citizen").expect_err("citizen").code(),
            "arg.unknown_role"
        );
        let e = parse_role("boss").expect_err("unknown");
        assert_eq!(e.code(), "arg.unknown_role");
        assert!(e.message_vi().contains("vai trò") && e.message_vi().contains("receptionist"));
        assert!(e.message_en().contains("receptionist"), "{e}");
    }

    #[test]
    fn logins_come_from_names_without_diacritics() {
        assert_eq!(login_from_name("Trần Thị Mai"), "tran.thi.mai");
        assert_eq!(login_from_name("  Đỗ  Văn-Đức "), "do.vanduc");
        assert!(Login::parse(&login_from_name("Lê Văn Hùng")).is_ok());
    }
}
