//! The citizens' channels in the demo (kênh hỏi đáp mẫu): `serve --demo`
//! turns every channel on — the hotline on Twilio and on Stringee, the
//! Zalo OA and the Messenger Page — with clearly labelled demo secrets
//! (`demo-twilio-token`, …), and starts the fake provider API of
//! `cancuoc_channels::fake` in the same process, so the bots' replies and
//! the Zalo notices go to it instead of Zalo or Facebook; the operator is
//! a demo number in the unused 0999 block.
//!
//! [`ChannelTry`] picks what to try from the seeded world: a dossier whose
//! holder has no other dossier (so the lookup without the code finds that
//! one), and the dossier whose citizen asked to be told of each stage by
//! SMS ([`NOTIFIED`]). [`DemoChannels::text`] prints the
//! `cancuoc channels call …` and `cancuoc channels chat …` lines with the
//! real addresses; [`DemoChannels::json`] is the `channels` object of
//! `demo.json`, where the simulators read their default secrets.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{Context, anyhow};
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::State;
use cancuoc_core::i18n::{Lang, Localized};
use cancuoc_core::person::PartialDate;
use cancuoc_core::phone::PhoneNumber;
use cancuoc_service::NotifyChoice;
use cancuoc_store::{Citizen, SeedDossier};
use jiff::civil::Date;
use serde_json::{Value, json};

use crate::config::channels::{
    DEFAULT_IVR_VOICE, DEFAULT_STRINGEE_HOTLINE, DEFAULT_STRINGEE_VOICE, Messenger, Stringee,
    Twilio, Zalo,
};
use crate::config::{Channels, Secret};
use crate::output::pick;

/// Twilio's auth token in the demo.
pub const TWILIO_TOKEN: &str = "demo-twilio-token";
/// Stringee's signing secret in the demo.
pub const STRINGEE_SECRET: &str = "demo-stringee-secret";
/// The Zalo app id in the demo.
pub const ZALO_APP_ID: &str = "demo-zalo-app";
/// The Zalo OA's webhook secret in the demo.
pub const ZALO_WEBHOOK_SECRET: &str = "demo-zalo-webhook-secret";
/// The Zalo app secret (token refresh) in the demo.
pub const ZALO_APP_SECRET: &str = "demo-zalo-app-secret";
/// Messenger's app secret in the demo.
pub const MESSENGER_APP_SECRET: &str = "demo-messenger-app-secret";
/// Messenger's verify token in the demo.
pub const MESSENGER_VERIFY_TOKEN: &str = "demo-messenger-verify-token";
/// Messenger's Page token in the demo.
pub const MESSENGER_PAGE_TOKEN: &str = "demo-messenger-page-token";
/// The operator the demo hotline hands callers to (a number in the 0999
/// block no operator uses).
pub const OPERATOR_NUMBER: &str = "+84999000368";
/// The number notices go to when a notified citizen has no phone.
const FALLBACK_PHONE: &str = "0999000368";

/// The showcase state whose dossier's citizen asked for SMS notices: the
/// one waiting for the approver, so the approval sends a message, and so
/// does each later stage that matters (ready for pickup, posted). One
/// dossier only: the notices of its earlier stages are delivered when the
/// demo starts, one log line each.
pub const NOTIFIED: [State; 1] = [State::SentToCentre];

/// The states a dossier to look up is chosen from, best first: "is my card
/// done?" answered "yes, come and get it" first.
const LOOKUP_STATES: [State; 6] = [
    State::ReadyForPickup,
    State::Dispatched,
    State::Printed,
    State::Approved,
    State::SentToCentre,
    State::Received,
];

/// The notice consent of a demo dossier: by SMS to `phone` (the citizen's
/// own number, else [`FALLBACK_PHONE`]).
pub fn notify_choice(phone: Option<&str>) -> anyhow::Result<NotifyChoice> {
    let typed = phone.unwrap_or(FALLBACK_PHONE);
    let phone = PhoneNumber::parse(typed).map_err(|e| anyhow!("{typed}: {}", e.message_en()))?;
    Ok(NotifyChoice {
        phone,
        channel: cancuoc_core::channel::Channel::Sms,
    })
}

/// A dossier to look up, and its holder.
#[derive(Clone, Debug)]
pub struct TryDossier {
    /// The dossier's code.
    pub code: DossierCode,
    /// Its state.
    pub state: State,
    /// The holder's personal ID number.
    pub personal_id: String,
    /// The holder's full name.
    pub full_name: String,
    /// The holder's date of birth.
    pub date_of_birth: Date,
}

/// What the demo offers to try on the channels.
#[derive(Clone, Debug, Default)]
pub struct ChannelTry {
    /// The dossier to look up by code and by its holder.
    pub lookup: Option<TryDossier>,
    /// The dossiers with SMS notices: code, state, phone.
    pub notified: Vec<(DossierCode, State, String)>,
}

impl ChannelTry {
    /// Picks the dossier to look up among the showcase `samples` (the
    /// `i`th opened for `holders[i]`): the first of [`LOOKUP_STATES`] whose
    /// holder has no dossier in `history` and a full date of birth.
    pub fn pick(
        samples: &[(State, DossierCode, bool)],
        holders: &[Citizen],
        history: &[SeedDossier],
        notified: Vec<(DossierCode, State, String)>,
    ) -> ChannelTry {
        let busy: HashSet<_> = history.iter().map(|d| d.citizen).collect();
        let lookup = LOOKUP_STATES.iter().find_map(|want| {
            samples
                .iter()
                .enumerate()
                .filter(|(_, (state, _, overdue))| state == want && !overdue)
                .find_map(|(i, (state, code, _))| {
                    let h = holders.get(i % holders.len().max(1))?;
                    if busy.contains(&h.id) {
                        return None;
                    }
                    let PartialDate::Full(dob) = h.dob else {
                        return None;
                    };
                    Some(TryDossier {
                        code: *code,
                        state: *state,
                        personal_id: h.personal_id.as_ref()?.as_str().to_owned(),
                        full_name: h.full_name.clone(),
                        date_of_birth: dob,
                    })
                })
        });
        ChannelTry { lookup, notified }
    }
}

impl ChannelTry {
    /// What a seeded run wrote to `demo.json`'s `channels` object (its
    /// `lookup` and `notified`), read back when the demo is served again.
    pub fn from_json(channels: &Value) -> ChannelTry {
        let code = |v: &Value| {
            v.get("code")?
                .as_str()
                .and_then(|c| DossierCode::parse(c).ok())
        };
        let state = |v: &Value| {
            let s = v.get("state")?.as_str()?;
            State::ALL.into_iter().find(|x| x.code() == s)
        };
        let text = |v: &Value, k: &str| v.get(k)?.as_str().map(str::to_owned);
        let lookup = channels.get("lookup").and_then(|l| {
            Some(TryDossier {
                code: code(l)?,
                state: state(l)?,
                personal_id: text(l, "personal_id")?,
                full_name: text(l, "full_name")?,
                date_of_birth: text(l, "date_of_birth")?.parse().ok()?,
            })
        });
        let notified = channels
            .get("notified")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|n| Some((code(n)?, state(n)?, text(n, "phone")?)))
                    .collect()
            })
            .unwrap_or_default();
        ChannelTry { lookup, notified }
    }
}

/// The channels of a running demo: the fake provider API (stopped when
/// this is dropped) and the settings that point at it.
#[derive(Debug)]
pub struct DemoChannels {
    provider: cancuoc_channels::fake::FakeProvider,
    /// Every channel on, with the demo secrets.
    pub settings: Channels,
}

/// `ddmmyyyy`, as a caller keys a date of birth.
fn keyed(d: Date) -> String {
    format!("{:02}{:02}{:04}", d.day(), d.month(), d.year())
}

/// `dd/mm/yyyy`, as a citizen types it.
fn dmy(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

impl DemoChannels {
    /// Starts the fake provider API on loopback (current runtime) and
    /// builds the demo settings over it.
    pub async fn start() -> anyhow::Result<DemoChannels> {
        let provider = cancuoc_channels::fake::spawn_fake_provider()
            .await
            .context("starting the fake provider API of the demo channels")?;
        let api = provider.base_url();
        let settings = Channels {
            twilio: Some(Twilio {
                auth_token: Secret::new(TWILIO_TOKEN),
                voice: DEFAULT_IVR_VOICE.to_owned(),
            }),
            stringee: Some(Stringee {
                signing_secret: Secret::new(STRINGEE_SECRET),
                hotline_number: DEFAULT_STRINGEE_HOTLINE.to_owned(),
                voice: DEFAULT_STRINGEE_VOICE.to_owned(),
            }),
            operator_number: Some(OPERATOR_NUMBER.to_owned()),
            zalo: Some(Zalo {
                app_id: ZALO_APP_ID.to_owned(),
                webhook_secret: Secret::new(ZALO_WEBHOOK_SECRET),
                app_secret: Secret::new(ZALO_APP_SECRET),
                // The fake provider's own first pair (it rotates them).
                access_token: Secret::new(provider.access_token()),
                refresh_token: Secret::new(provider.refresh_token()),
                api_base: api.clone(),
                oauth_base: api.clone(),
                zns_base: api.clone(),
                zns_templates: Default::default(),
            }),
            messenger: Some(Messenger {
                app_secret: Secret::new(MESSENGER_APP_SECRET),
                verify_token: Secret::new(MESSENGER_VERIFY_TOKEN),
                page_token: Secret::new(MESSENGER_PAGE_TOKEN),
                graph_base: api,
            }),
            zalo_verifier: None,
        };
        Ok(DemoChannels { provider, settings })
    }

    /// The fake provider's base URL.
    pub fn provider_api(&self) -> String {
        self.provider.base_url()
    }

    /// The `channels` object of `demo.json` for a server at `base`.
    pub fn json(&self, base: &str, t: Option<&ChannelTry>) -> Value {
        let zalo = self.settings.zalo.as_ref();
        let mut v = json!({
            "provider_api": self.provider_api(),
            "operator_number": OPERATOR_NUMBER,
            "twilio": {
                "url": format!("{base}/channels/ivr/twilio"),
                "auth_token": TWILIO_TOKEN,
            },
            "stringee": {
                "answer_url": format!("{base}/channels/ivr/stringee/answer"),
                "event_url": format!("{base}/channels/ivr/stringee/event"),
                "signing_secret": STRINGEE_SECRET,
                "hotline_number": DEFAULT_STRINGEE_HOTLINE,
            },
            "zalo": {
                "webhook_url": format!("{base}/channels/zalo/webhook"),
                "app_id": ZALO_APP_ID,
                "webhook_secret": ZALO_WEBHOOK_SECRET,
                "app_secret": ZALO_APP_SECRET,
                "access_token": zalo.map(|z| z.access_token.expose()),
                "refresh_token": zalo.map(|z| z.refresh_token.expose()),
            },
            "messenger": {
                "webhook_url": format!("{base}/channels/messenger/webhook"),
                "app_secret": MESSENGER_APP_SECRET,
                "verify_token": MESSENGER_VERIFY_TOKEN,
                "page_token": MESSENGER_PAGE_TOKEN,
            },
        });
        if let (Some(t), Some(obj)) = (t, v.as_object_mut()) {
            obj.extend(try_json(t));
        }
        v
    }

    /// The banner's lines: how to call and chat, with the real addresses;
    /// `data_dir` is added to each command when it is not the default one,
    /// `sink` is where the SMS go.
    pub fn text(
        &self,
        base: &str,
        t: Option<&ChannelTry>,
        data_dir: &Path,
        sink: Option<&Path>,
        lang: Lang,
    ) -> String {
        use std::fmt::Write;
        let p = |vi, en| pick(lang, vi, en);
        let mut s = String::new();
        let _ = writeln!(
            s,
            "\n{} {}):",
            p(
                "Kênh hỏi đáp của công dân (khóa bí mật mẫu; tin trả lời đi tới API nhà cung cấp giả tại",
                "Citizens' channels (demo secrets; replies go to the fake provider API at"
            ),
            self.provider_api()
        );
        let dir = if data_dir == Path::new(crate::config::DEFAULT_DATA_DIR) {
            String::new()
        } else {
            format!(
                " --data-dir {}",
                shell_word(&data_dir.display().to_string())
            )
        };
        let lookup = t.and_then(|t| t.lookup.as_ref());
        let code = lookup.map_or_else(
            || p("<mã hồ sơ>", "<dossier code>").to_owned(),
            |l| l.code.to_string(),
        );
        let mut line = |label: &str, cmd: String| {
            let _ = writeln!(s, "  {label:<26} cancuoc channels {cmd}");
        };
        line(
            p("Gọi tổng đài (Twilio):", "Call the hotline (Twilio):"),
            format!("call{dir} --digits 4,1,{code}# {base}/channels/ivr/twilio"),
        );
        line(
            p("Gọi tổng đài (Stringee):", "Call it (Stringee):"),
            format!(
                "call{dir} --provider stringee --digits 4,1,{code}# {base}/channels/ivr/stringee/answer"
            ),
        );
        if let Some(l) = lookup {
            line(
                p("Gọi, không cần mã:", "Call, without the code:"),
                format!(
                    "call{dir} --digits 4,2,{}#,{}# {base}/channels/ivr/twilio",
                    l.personal_id,
                    keyed(l.date_of_birth)
                ),
            );
        }
        line(
            p("Nhắn Zalo:", "Write on Zalo:"),
            format!("chat{dir} --provider zalo {base}/channels/zalo/webhook '{code}'"),
        );
        if let Some(l) = lookup {
            line(
                p("Zalo, không cần mã:", "Zalo, without the code:"),
                format!(
                    "chat{dir} --provider zalo {base}/channels/zalo/webhook {}",
                    shell_word(&format!(
                        "{}, {}, {}",
                        l.personal_id,
                        dmy(l.date_of_birth),
                        l.full_name
                    ))
                ),
            );
        }
        line(
            p("Nhắn Messenger:", "Write on Messenger:"),
            format!("chat{dir} --provider messenger {base}/channels/messenger/webhook 'tra cứu'"),
        );
        line(
            p("Gặp cán bộ (Zalo):", "Ask for an officer (Zalo):"),
            format!("chat{dir} --provider zalo {base}/channels/zalo/webhook 'gặp cán bộ'"),
        );
        if let Some(l) = lookup {
            let _ = writeln!(
                s,
                "  {} {} ({}): {}, {} {}, {} {}.",
                p("Hồ sơ", "Dossier"),
                l.code,
                pick(lang, l.state.label_vi(), l.state.label_en()),
                l.full_name,
                p("số định danh", "ID number"),
                l.personal_id,
                p("sinh ngày", "born"),
                dmy(l.date_of_birth),
            );
        }
        if let Some(t) = t.filter(|t| !t.notified.is_empty()) {
            let list: Vec<String> = t
                .notified
                .iter()
                .map(|(code, state, phone)| {
                    format!(
                        "{code} ({}, {phone})",
                        pick(lang, state.label_vi(), state.label_en())
                    )
                })
                .collect();
            let _ = writeln!(
                s,
                "  {} {}{}",
                p(
                    "Nhận thông báo qua SMS: mỗi bước cán bộ chuyển hồ sơ",
                    "SMS notices: each step an officer takes on"
                ),
                list.join(p(" và ", " and ")),
                match sink {
                    Some(path) => format!(
                        " {} {}",
                        p("ghi một tin vào", "writes a message to"),
                        path.display()
                    ),
                    None => p(" gửi một tin nhắn", " sends a text message").to_owned(),
                }
            );
        }
        s
    }
}

/// The try fields of `demo.json`'s `channels` object.
fn try_json(t: &ChannelTry) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    if let Some(l) = &t.lookup {
        m.insert(
            "lookup".into(),
            json!({
                "code": l.code.to_string(),
                "state": l.state.code(),
                "personal_id": l.personal_id,
                "full_name": l.full_name,
                "date_of_birth": l.date_of_birth.to_string(),
                "ivr_digits_by_code": format!("4,1,{}#", l.code),
                "ivr_digits_by_person": format!("4,2,{}#,{}#", l.personal_id, keyed(l.date_of_birth)),
                "chat_without_code": format!("{}, {}, {}", l.personal_id, dmy(l.date_of_birth), l.full_name),
            }),
        );
    }
    m.insert(
        "notified".into(),
        Value::Array(
            t.notified
                .iter()
                .map(|(code, state, phone)| {
                    json!({"code": code.to_string(), "state": state.code(), "phone": phone, "channel": "sms"})
                })
                .collect(),
        ),
    );
    m
}

/// `w` quoted for a POSIX shell when it needs it (single quotes; a single
/// quote inside closes, escapes and reopens).
fn shell_word(w: &str) -> String {
    if !w.is_empty()
        && w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=,+@%".contains(&b))
    {
        w.to_owned()
    } else {
        format!("'{}'", w.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_to_try_reads_back_from_its_json() {
        let code = DossierCode::parse("0103261125549603").expect("code");
        let t = ChannelTry {
            lookup: Some(TryDossier {
                code,
                state: State::ReadyForPickup,
                personal_id: "031083560410".into(),
                full_name: "Lê Xuân Thành".into(),
                date_of_birth: Date::constant(1983, 12, 1),
            }),
            notified: vec![(code, State::SentToCentre, "0999074452".into())],
        };
        let v = Value::Object(try_json(&t));
        assert_eq!(
            v["lookup"]["ivr_digits_by_person"],
            "4,2,031083560410#,01121983#"
        );
        assert_eq!(
            v["lookup"]["chat_without_code"],
            "031083560410, 01/12/1983, Lê Xuân Thành"
        );
        let back = ChannelTry::from_json(&v);
        let l = back.lookup.expect("lookup");
        assert_eq!(
            (l.code, l.state, l.personal_id.as_str(), l.date_of_birth),
            (
                code,
                State::ReadyForPickup,
                "031083560410",
                Date::constant(1983, 12, 1)
            )
        );
        assert_eq!(back.notified, t.notified);
        assert!(ChannelTry::from_json(&json!({})).lookup.is_none());
    }

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("/tmp/cancuoc-data"), "/tmp/cancuoc-data");
        assert_eq!(shell_word("a b"), "'a b'");
        assert_eq!(shell_word("Nguyễn Văn An"), "'Nguyễn Văn An'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
    }

    #[test]
    fn keyed_and_typed_dates() {
        let d = Date::constant(1990, 3, 5);
        assert_eq!(keyed(d), "05031990");
        assert_eq!(dmy(d), "05/03/1990");
    }

    #[test]
    fn the_notice_consent_falls_back_to_the_demo_number() {
        let n = notify_choice(None).expect("fallback");
        assert_eq!(n.phone.as_str(), "0999000368");
        let n = notify_choice(Some("0999 123 456")).expect("own");
        assert_eq!(n.phone.as_str(), "0999123456");
        assert!(notify_choice(Some("12ab")).is_err());
    }
}
