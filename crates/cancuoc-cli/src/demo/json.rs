//! `demo.json`: everything the `serve --demo` banner prints, for scripts
//! (the benchmarks, the browser tests, a newcomer's `jq`): the officers
//! with their logins and bearer tokens, the sample dossiers, the demo
//! citizens with their account level, the child and its guardian, both
//! demo passwords, the server's address and where the SMS go.
//! `channels` (when the channels are on) holds the channels' addresses,
//! the demo secrets the simulators `cancuoc channels call|chat` default
//! to, the fake provider API's address, the dossier to look up with its
//! holder's ID number and date of birth, and the dossiers with notices.
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
    #[serde(skip_serializing_if = "Option::is_none")]
    channels: Option<&'a serde_json::Value>,
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

/// The JSON text of `demo` served at `base`, with the `channels` object
/// when given.
pub fn render<'a>(
    demo: &'a Demo,
    base: &'a str,
    sms_outbox: Option<&Path>,
    channels: Option<&'a serde_json::Value>,
) -> anyhow::Result<String> {
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
        channels,
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
    channels: Option<&serde_json::Value>,
    dir: &Path,
) -> anyhow::Result<PathBuf> {
    let text = render(demo, base, sms_outbox, channels)?;
    write_text(dir, &text)
}

/// A demo served again over its database (not seeded this time): the
/// `demo.json` of `dir`, if there is one, gets the new `base_url` and
/// `channels` (the secrets and addresses of this run; the dossiers to try
/// are kept from the seeded run). `None` when there is no file; else the
/// `channels` object as written.
pub fn update(
    dir: &Path,
    base: &str,
    channels: &serde_json::Value,
) -> anyhow::Result<Option<serde_json::Value>> {
    let path = dir.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let mut doc: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    let Some(obj) = doc.as_object_mut() else {
        anyhow::bail!("{} is not a JSON object", path.display());
    };
    let mut fresh = channels.clone();
    if let (Some(old), Some(new)) = (
        obj.get("channels").and_then(|c| c.as_object()),
        fresh.as_object_mut(),
    ) {
        for key in ["lookup", "notified"] {
            if let Some(v) = old.get(key) {
                new.entry(key).or_insert_with(|| v.clone());
            }
        }
    }
    obj.insert(
        "base_url".into(),
        serde_json::Value::String(base.to_owned()),
    );
    obj.insert("channels".into(), fresh.clone());
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    write_text(dir, &text)?;
    Ok(Some(fresh))
}

/// Writes `text` to `dir/demo.json` with mode 0600, through a temporary
/// file renamed over the old one; returns the path.
fn write_text(dir: &Path, text: &str) -> anyhow::Result<PathBuf> {
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
