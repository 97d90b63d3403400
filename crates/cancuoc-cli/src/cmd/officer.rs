//! `cancuoc officer add`: adds an officer (cán bộ) at an office with a role
//! and prints the bearer token (mã truy cập) once; only its hash is stored.

use std::process::ExitCode;

use anyhow::bail;
use cancuoc_core::dossier::workflow::Role;
use cancuoc_core::i18n::Localized;
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
    /// Add an officer and print their bearer token (shown only this once).
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
    /// Print {"officer": …, "token": …} as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArgs,
}

/// A role by its code (`return_officer` or `return-officer`); `citizen` is
/// not an officer role.
fn parse_role(s: &str) -> Result<Role, String> {
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
            format!("unknown role {s:?}; one of: {}", all.join(", "))
        })
}

/// Runs `cancuoc officer …`.
pub fn run(args: OfficerArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match args.command {
        OfficerCommand::Add(a) => add(a, ctx),
    }
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
    let settings = Settings::for_db(&a.db, Layer::default())?;
    runtime()?.block_on(async {
        let store = settings.open_store().await?;
        let result = match store.office(a.office).await {
            Err(e) => Err(e),
            Ok(_) => {
                store
                    .add_officer(
                        &NewOfficer {
                            name: a.name.trim().to_owned(),
                            role: a.role,
                            office: a.office,
                        },
                        None,
                        now_secs(),
                    )
                    .await
            }
        };
        store.close().await;
        let issued = match result {
            Ok(i) => i,
            Err(e) => {
                eprintln!("{}", e.message(ctx.lang));
                return Ok(EXIT_INVALID);
            }
        };
        if a.json {
            print_json(&serde_json::json!({
                "officer": issued.officer,
                "token": issued.token.expose(),
            }))?;
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
        assert!(parse_role("citizen").is_err());
        let e = parse_role("boss").expect_err("unknown");
        assert!(e.contains("receptionist"), "{e}");
    }
}
