//! `demo.json`: everything the `serve --demo` banner prints, for scripts
//! (the benchmarks, the browser tests, a newcomer's `jq`): the officers
//! with their logins and bearer tokens, the sample dossiers, the demo
//! citizens with their account level, the child and its guardian, both
//! demo passwords, the server's address and where the SMS go.
//!
//! The file holds live bearer tokens: it is written with mode 0600 (into a
//! temporary file, then renamed over any older one), like the allocator
//! key beside it. Dates are `YYYY-MM-DD`; `account` is `null`, `1` or `2`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use super::{DEMO_PASSWORD, Demo, accounts::CITIZEN_PASSWORD};

/// The file's name in the data directory.
pub const FILE: &str = "demo.json";

#[derive(Serialize)]
struct DemoJson<'a> {
    base_url: &'a str,
    /// The development SMS sink, when the SMS go there.
    sms_outbox: Option<String>,
    officer_password: &'static str,
    citizen_password: &'static str,
    officers: Vec<OfficerJson<'a>>,
    dossiers: Vec<DossierJson>,
    citizens: Vec<CitizenJson<'a>>,
    children: Vec<ChildJson<'a>>,
    counts: Counts,
}

#[derive(Serialize)]
struct OfficerJson<'a> {
    role: &'static str,
    office: u16,
    login: &'a str,
    token: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct DossierJson {
    code: String,
    state: &'static str,
    overdue: bool,
    /// Received by a district police office before 01/03/2025.
    former_structure: bool,
}

#[derive(Serialize)]
struct CitizenJson<'a> {
    personal_id: &'a str,
    full_name: &'a str,
    phone: &'a str,
    date_of_birth: String,
    card_issue_date: String,
    account: Option<u8>,
    self_declared: &'a [&'static str],
}

#[derive(Serialize)]
struct ChildJson<'a> {
    personal_id: &'a str,
    full_name: &'a str,
    date_of_birth: String,
    guardian: &'a str,
    relation: &'static str,
}

#[derive(Serialize)]
struct Counts {
    offices: usize,
    citizens: usize,
    dossiers: usize,
}

/// The JSON text of `demo` served at `base`.
pub fn render(demo: &Demo, base: &str, sms_outbox: Option<&Path>) -> anyhow::Result<String> {
    let officers = demo
        .officers
        .iter()
        .zip(&demo.logins)
        .map(|(o, login)| OfficerJson {
            role: o.role.code(),
            office: o.office,
            login,
            token: o.token.expose(),
            name: &o.name,
        })
        .collect();
    let mut dossiers: Vec<DossierJson> = demo
        .samples
        .iter()
        .map(|(state, code, overdue)| DossierJson {
            code: code.to_string(),
            state: state.code(),
            overdue: *overdue,
            former_structure: false,
        })
        .collect();
    if let Some((code, state)) = demo.before_2025 {
        dossiers.push(DossierJson {
            code: code.to_string(),
            state: state.code(),
            overdue: false,
            former_structure: true,
        });
    }
    let accounts = &demo.accounts;
    let citizens = accounts
        .citizens
        .iter()
        .map(|c| CitizenJson {
            personal_id: &c.personal_id,
            full_name: &c.full_name,
            phone: &c.phone,
            date_of_birth: c.date_of_birth.to_string(),
            card_issue_date: c.card_issue_date.to_string(),
            account: c.account.map(|l| l.as_u8()),
            self_declared: &c.self_declared,
        })
        .collect();
    let children = accounts
        .children
        .iter()
        .map(|c| ChildJson {
            personal_id: &c.personal_id,
            full_name: &c.full_name,
            date_of_birth: c.date_of_birth.to_string(),
            guardian: &c.guardian,
            relation: c.relation,
        })
        .collect();
    let doc = DemoJson {
        base_url: base,
        sms_outbox: sms_outbox.map(|p| p.display().to_string()),
        officer_password: DEMO_PASSWORD,
        citizen_password: CITIZEN_PASSWORD,
        officers,
        dossiers,
        citizens,
        children,
        counts: Counts {
            offices: crate::synth::world::offices().len(),
            citizens: demo.citizens,
            dossiers: demo.dossiers,
        },
    };
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    Ok(text)
}

/// Writes [`render`]'s text to `dir/demo.json` with mode 0600 and returns
/// the path.
pub fn write(
    demo: &Demo,
    base: &str,
    sms_outbox: Option<&Path>,
    dir: &Path,
) -> anyhow::Result<PathBuf> {
    let text = render(demo, base, sms_outbox)?;
    let path = dir.join(FILE);
    let tmp = dir.join(format!(".{FILE}.{}.tmp", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(path)
}
