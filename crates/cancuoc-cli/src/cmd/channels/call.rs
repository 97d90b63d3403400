//! `cancuoc channels call`: the hotline walked like a phone.
//!
//! Twilio: each step is a `POST` of the form fields Twilio sends
//! (`CallSid`, `From`, `To`, `CallStatus`, `Direction`, and `Digits` after
//! a `<Gather>`), signed with `X-Twilio-Signature` over the URL it is
//! posted to; the TwiML answer is read verb by verb. Stringee: a `GET` of
//! the answer URL with the call's `from`, `to` and `uuid`, then a `POST`
//! of the DTMF event JSON (signed with `X-Stringee-Signature`) to each
//! `input` action's `eventUrl`; the SCCO answer is read action by action.
//!
//! Printed: each sentence that would be spoken on its own line, the keys
//! pressed (`> 4`), `[gather …]` for a wait, `[dial NUMBER]`,
//! `[hang up]`. The walk stops when the keys of `--digits` run out and the
//! menu waits again, when the call is handed over or ends, or after
//! [`MAX_STEPS`] requests.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use cancuoc_channels::signature::{stringee_sign, twilio_sign};
use cancuoc_core::i18n::Lang;
use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use super::twiml::{self, Verb};
use super::{
    agent, answer, demo_channels, endpoint, now_ms, random_hex, refused, required, resolve,
};
use crate::Ctx;
use crate::output::{EXIT_OK, pick};

/// Requests at most in one walk.
pub const MAX_STEPS: usize = 20;

/// The telephony provider whose requests are played.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Provider {
    /// Twilio's TwiML webhook (`/channels/ivr/twilio`).
    Twilio,
    /// Stringee's SCCO answer and event URLs (`/channels/ivr/stringee/answer`).
    Stringee,
}

/// Walk the hotline's voice menu like a phone.
#[derive(Args, Debug)]
pub struct CallArgs {
    /// The server (`http://127.0.0.1:8080`) or the endpoint's URL
    /// (`…/channels/ivr/twilio`, `…/channels/ivr/stringee/answer`).
    #[arg(value_name = "URL")]
    url: String,
    /// Which provider's requests to play.
    #[arg(long, value_enum, default_value_t = Provider::Twilio)]
    provider: Provider,
    /// The keys to press at each wait, comma-separated; `#` ends an entry
    /// (e.g. `4,1,0101260105123456#`: status, by code, the code). An
    /// empty entry is a wait with nothing pressed.
    #[arg(long, value_name = "KEYS", default_value = "")]
    digits: String,
    /// The caller's number.
    #[arg(long, value_name = "NUMBER", default_value = "+84999000001")]
    from: String,
    /// The number called.
    #[arg(long, value_name = "NUMBER", default_value = "19000368")]
    to: String,
    /// Twilio's auth token, or (with `--provider stringee`) the signing
    /// secret [default: from DATA_DIR/demo.json].
    #[arg(long, visible_alias = "secret", value_name = "SECRET")]
    token: Option<String>,
    /// Where `demo.json` is looked for [env: CANCUOC_DATA_DIR]
    /// [default: ./cancuoc-data].
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
}

/// An entry of `--digits`: the keys as typed, and as the provider passes
/// them on (without the finishing `#`, as neither provider passes it).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    typed: String,
    digits: String,
}

/// The entries of `--digits`: each of `0`–`9`, `*`, with an optional
/// final `#`.
fn entries(digits: &str) -> anyhow::Result<Vec<Entry>> {
    if digits.trim().is_empty() {
        return Ok(Vec::new());
    }
    digits
        .split(',')
        .map(|e| {
            let e = e.trim();
            let keys = e.strip_suffix('#').unwrap_or(e);
            match keys.chars().find(|c| !c.is_ascii_digit() && *c != '*') {
                Some(c) => bail!("--digits: {e:?} has {c:?}; keys are 0-9, * and a final #"),
                None => Ok(Entry {
                    typed: e.to_owned(),
                    digits: keys.to_owned(),
                }),
            }
        })
        .collect()
}

/// What a wait for keys looks like: `[gather 1 key, 5 s]`,
/// `[gather keys until #, 15 s]`.
fn gather_line(
    num_digits: Option<u32>,
    finish_on_key: Option<&str>,
    timeout: Option<u32>,
) -> String {
    let keys = match num_digits {
        Some(1) => "1 key".to_owned(),
        Some(n) => format!("{n} keys"),
        None => format!("keys until {}", finish_on_key.unwrap_or("#")),
    };
    match timeout {
        Some(t) => format!("[gather {keys}, {t} s]"),
        None => format!("[gather {keys}]"),
    }
}

/// The next entry of keys, printed as pressed; `None` (and the end
/// printed) when they ran out.
fn press(keys: &mut std::vec::IntoIter<Entry>, out: &mut impl FnMut(String)) -> Option<String> {
    match keys.next() {
        Some(k) => {
            out(format!(
                "> {}",
                if k.typed.is_empty() {
                    "(nothing)"
                } else {
                    &k.typed
                }
            ));
            Some(k.digits)
        }
        None => {
            out("[end: no more keys to press]".to_owned());
            None
        }
    }
}

/// Runs `cancuoc channels call`.
pub fn run(args: CallArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let keys = entries(&args.digits)?;
    let (demo, demo_path) = demo_channels(args.data_dir.as_deref())?;
    let mut out = |line: String| println!("{line}");
    match args.provider {
        Provider::Twilio => {
            let token = required(
                args.token,
                demo.as_ref(),
                "/twilio/auth_token",
                ("mã xác thực Twilio", "Twilio auth token"),
                "--token",
                &demo_path,
                lang,
            )?;
            let url = endpoint(&args.url, "/channels/ivr/twilio")?;
            let call = Call {
                call_id: format!("CA{}", random_hex(32)),
                from: args.from,
                to: args.to,
            };
            twilio(&call, &url, &token, keys, lang, &mut out)?;
        }
        Provider::Stringee => {
            let secret = required(
                args.token,
                demo.as_ref(),
                "/stringee/signing_secret",
                ("khóa ký Stringee", "Stringee signing secret"),
                "--secret",
                &demo_path,
                lang,
            )?;
            let url = endpoint(&args.url, "/channels/ivr/stringee/answer")?;
            let call = Call {
                call_id: format!("call-vn-1-{}", random_hex(16)),
                from: args.from,
                to: args.to,
            };
            stringee(&call, &url, &secret, keys, lang, &mut out)?;
        }
    }
    Ok(EXIT_OK)
}

/// The call being simulated.
struct Call {
    call_id: String,
    from: String,
    to: String,
}

/// Walks a TwiML hotline from `url`.
fn twilio(
    call: &Call,
    url: &str,
    token: &str,
    keys: Vec<Entry>,
    lang: Lang,
    out: &mut impl FnMut(String),
) -> anyhow::Result<()> {
    let mut keys = keys.into_iter();
    let mut url = url.to_owned();
    let mut digits: Option<String> = None;
    out(format!("[call {url} from {}]", call.from));
    for _ in 0..MAX_STEPS {
        let mut params: Vec<(String, String)> = [
            ("CallSid", call.call_id.as_str()),
            ("From", &call.from),
            ("To", &call.to),
            ("CallStatus", "in-progress"),
            ("Direction", "inbound"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        if let Some(d) = digits.take() {
            params.push(("Digits".to_owned(), d));
        }
        let signature = twilio_sign(token, &url, &params);
        let res = agent()
            .post(&url)
            .header("X-Twilio-Signature", &signature)
            .send_form(params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let (status, body) = answer(res, &url, lang)?;
        if status != 200 {
            return Err(refused(status, &body, &url, "--token", lang));
        }
        let verbs = twiml::parse(&body).with_context(|| {
            format!(
                "{url}: {}",
                pick(
                    lang,
                    "câu trả lời không phải TwiML",
                    "the answer is not TwiML"
                )
            )
        })?;
        let mut next = None;
        for verb in verbs {
            match verb {
                Verb::Say(text) => out(text),
                Verb::Play(u) => out(format!("[play {u}]")),
                Verb::Pause(secs) => out(format!("[pause {} s]", secs.unwrap_or(1))),
                Verb::Gather {
                    action,
                    num_digits,
                    finish_on_key,
                    timeout,
                    inner,
                } => {
                    for v in inner {
                        match v {
                            Verb::Say(text) => out(text),
                            Verb::Play(u) => out(format!("[play {u}]")),
                            Verb::Pause(secs) => out(format!("[pause {} s]", secs.unwrap_or(1))),
                            _ => {}
                        }
                    }
                    out(gather_line(num_digits, finish_on_key.as_deref(), timeout));
                    let Some(k) = press(&mut keys, out) else {
                        return Ok(());
                    };
                    digits = Some(k);
                    next = Some(resolve(&url, action.as_deref().unwrap_or(&url)));
                    break;
                }
                Verb::Dial(number) => {
                    out(format!("[dial {number}]"));
                    return Ok(());
                }
                Verb::Hangup => {
                    out("[hang up]".to_owned());
                    return Ok(());
                }
                Verb::Redirect(to) => {
                    next = Some(resolve(&url, &to));
                    break;
                }
                Verb::Other(name) => out(format!("[{name}]")),
            }
        }
        match next {
            Some(n) => url = n,
            None => {
                // A document that ends without a verb that waits: Twilio
                // hangs up.
                out("[hang up]".to_owned());
                return Ok(());
            }
        }
    }
    out(format!("[stopped after {MAX_STEPS} steps]"));
    Ok(())
}

/// Walks a Stringee hotline from its answer URL.
fn stringee(
    call: &Call,
    answer_url: &str,
    secret: &str,
    keys: Vec<Entry>,
    lang: Lang,
    out: &mut impl FnMut(String),
) -> anyhow::Result<()> {
    let mut keys = keys.into_iter();
    out(format!("[call {answer_url} from {}]", call.from));
    // The answer URL is fetched with the call's facts in its query.
    let res = agent()
        .get(answer_url)
        .query("from", &call.from)
        .query("to", &call.to)
        .query("uuid", &call.call_id)
        .query("fromInternal", "false")
        .call();
    let (status, body) = answer(res, answer_url, lang)?;
    if status != 200 {
        return Err(refused(status, &body, answer_url, "--secret", lang));
    }
    let mut scco = body;
    let mut at = answer_url.to_owned();
    for _ in 0..MAX_STEPS {
        let actions: Value = serde_json::from_str(&scco).with_context(|| {
            format!(
                "{at}: {}",
                pick(
                    lang,
                    "câu trả lời không phải SCCO (JSON)",
                    "the answer is not SCCO JSON"
                )
            )
        })?;
        let Some(actions) = actions.as_array() else {
            bail!("{at}: the SCCO is not a JSON array");
        };
        let mut next: Option<(String, String)> = None;
        for a in actions {
            let s = |k: &str| a.get(k).and_then(Value::as_str);
            let n = |k: &str| a.get(k).and_then(Value::as_u64).map(|v| v as u32);
            match s("action").unwrap_or("") {
                "talk" => out(s("text").unwrap_or("").to_owned()),
                "play" => out(format!("[play {}]", s("fileUrl").unwrap_or(""))),
                "input" => {
                    let submit_on_hash = a.get("submitOnHash").and_then(Value::as_bool);
                    out(gather_line(
                        n("maxDigits"),
                        submit_on_hash.filter(|h| *h).map(|_| "#"),
                        n("timeout"),
                    ));
                    let Some(k) = press(&mut keys, out) else {
                        return Ok(());
                    };
                    let event_url = s("eventUrl")
                        .map(|u| resolve(&at, u))
                        .with_context(|| format!("{at}: an input action without eventUrl"))?;
                    next = Some((event_url, k));
                    break;
                }
                "connect" => {
                    let to = a
                        .pointer("/to/number")
                        .and_then(Value::as_str)
                        .unwrap_or("?");
                    out(format!("[dial {to}]"));
                    return Ok(());
                }
                other => out(format!("[{other}]")),
            }
        }
        let Some((event_url, dtmf)) = next else {
            out("[hang up]".to_owned());
            return Ok(());
        };
        let event = json!({
            "time": now_ms().to_string(),
            "dtmf": dtmf,
            "call_id": call.call_id,
            "customField": "",
            "timeout": dtmf.is_empty(),
        })
        .to_string();
        let res = agent()
            .post(&event_url)
            .header("Content-Type", "application/json")
            .header(
                "X-Stringee-Signature",
                &stringee_sign(secret, event.as_bytes()),
            )
            .send(event.as_bytes());
        let (status, body) = answer(res, &event_url, lang)?;
        if status != 200 {
            return Err(refused(status, &body, &event_url, "--secret", lang));
        }
        scco = body;
        at = event_url;
    }
    out(format!("[stopped after {MAX_STEPS} steps]"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_drop_the_final_hash_and_refuse_letters() {
        let sent = |d: &str| -> Vec<(String, String)> {
            entries(d)
                .expect(d)
                .into_iter()
                .map(|e| (e.typed, e.digits))
                .collect()
        };
        let pair = |t: &str, d: &str| (t.to_owned(), d.to_owned());
        assert_eq!(
            sent("4, 1,0101260105123456#"),
            [
                pair("4", "4"),
                pair("1", "1"),
                pair("0101260105123456#", "0101260105123456")
            ]
        );
        assert_eq!(sent(""), []);
        assert_eq!(sent("4,,1"), [pair("4", "4"), pair("", ""), pair("1", "1")]);
        let e = entries("4,1a#").expect_err("letter");
        assert_eq!(
            e.to_string(),
            "--digits: \"1a#\" has 'a'; keys are 0-9, * and a final #"
        );
    }

    #[test]
    fn waits_are_described() {
        assert_eq!(
            gather_line(Some(1), Some("#"), Some(5)),
            "[gather 1 key, 5 s]"
        );
        assert_eq!(
            gather_line(None, None, Some(15)),
            "[gather keys until #, 15 s]"
        );
        assert_eq!(gather_line(Some(8), None, None), "[gather 8 keys]");
    }
}
