//! `cancuoc channels`: try the citizens' channels without a phone or a
//! Zalo account (thử kênh hỏi đáp).
//!
//! - `call` ([`call`]) walks the hotline's voice menu like a phone on
//!   Twilio or Stringee: it posts what the provider would post (signed as
//!   the provider signs), follows each `<Gather action>` / SCCO
//!   `input.eventUrl`, presses the next keys of `--digits`, and prints
//!   what would be said, the waits for keys, the hand-over to the operator
//!   and the hang-up.
//! - `chat` ([`chat`]) sends a correctly signed Zalo OA or Messenger
//!   webhook with the text, then prints the bot's reply (text and
//!   buttons) as the provider API received it — the fake provider API of
//!   `serve --demo`, read at its `GET /__captured`.
//!
//! Secrets and the fake provider's address default to the `channels`
//! object of `DATA_DIR/demo.json`, which `serve --demo` writes; against
//! any other server they are flags. Blocking HTTP (`ureq`): one request at
//! a time, like the providers.

mod call;
mod chat;
mod twiml;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use cancuoc_core::i18n::Lang;
use clap::{Args, Subcommand};
use serde_json::Value;

use crate::Ctx;
use crate::config::DEFAULT_DATA_DIR;
use crate::output::pick;

/// Try the citizens' channels: call the hotline, chat with the bots.
#[derive(Args, Debug)]
pub struct ChannelsArgs {
    #[command(subcommand)]
    command: ChannelsCommand,
}

#[derive(Subcommand, Debug)]
enum ChannelsCommand {
    /// Walk the hotline's voice menu like a phone (Twilio TwiML or
    /// Stringee SCCO) and print what would be said.
    Call(call::CallArgs),
    /// Send a signed Zalo or Messenger message to the bot and print its
    /// reply.
    Chat(chat::ChatArgs),
}

/// Runs `cancuoc channels …`.
pub fn run(args: ChannelsArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match args.command {
        ChannelsCommand::Call(a) => call::run(a, ctx),
        ChannelsCommand::Chat(a) => chat::run(a, ctx),
    }
}

/// The `channels` object of `DATA_DIR/demo.json` (`data_dir`, else
/// `CANCUOC_DATA_DIR`, else the default data directory), when the file
/// exists and has one; its path either way, for the messages.
fn demo_channels(data_dir: Option<&Path>) -> anyhow::Result<(Option<Value>, PathBuf)> {
    let dir = data_dir.map(Path::to_path_buf).unwrap_or_else(|| {
        std::env::var_os("CANCUOC_DATA_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR))
    });
    let path = dir.join(crate::demo::json::FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((None, path)),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let doc: Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    Ok((doc.get("channels").cloned(), path))
}

/// A string at `pointer` (`/twilio/auth_token`) of the demo's channels.
fn demo_str(demo: Option<&Value>, pointer: &str) -> Option<String> {
    demo?
        .pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The flag's value, else the demo's, else an error naming the flag and
/// where the demo file was looked for.
fn required(
    flag: Option<String>,
    demo: Option<&Value>,
    pointer: &str,
    what: (&str, &str),
    flag_name: &str,
    demo_path: &Path,
    lang: Lang,
) -> anyhow::Result<String> {
    if let Some(v) = flag.or_else(|| demo_str(demo, pointer)) {
        return Ok(v);
    }
    bail!(
        "{} {}: {} {flag_name} ({} {})",
        pick(lang, "thiếu", "no"),
        pick(lang, what.0, what.1),
        pick(lang, "hãy truyền", "pass"),
        pick(
            lang,
            "hoặc chạy với máy chủ `serve --demo` có tệp",
            "or use a `serve --demo` server whose file is"
        ),
        demo_path.display()
    )
}

/// `url` with `path` when it names no path (`http://host:port` or
/// `http://host:port/`): the simulators take the server's address or the
/// endpoint's.
fn endpoint(url: &str, path: &str) -> anyhow::Result<String> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .with_context(|| format!("{url:?}: expected an http:// or https:// URL"))?;
    match rest.find('/') {
        None => Ok(format!("{url}{path}")),
        Some(i) if rest[i..] == *"/" => Ok(format!("{}{path}", url.trim_end_matches('/'))),
        Some(_) => Ok(url.to_owned()),
    }
}

/// `link` (absolute, root-relative or relative, as TwiML allows) resolved
/// against the URL `current`.
fn resolve(current: &str, link: &str) -> String {
    if link.starts_with("http://") || link.starts_with("https://") {
        return link.to_owned();
    }
    let scheme_end = current.find("://").map_or(0, |i| i + 3);
    let origin_end = current[scheme_end..]
        .find('/')
        .map_or(current.len(), |i| scheme_end + i);
    if link.starts_with('/') {
        return format!("{}{link}", &current[..origin_end]);
    }
    let path = current[..current.find(['?', '#']).unwrap_or(current.len())].to_owned();
    let dir_end = path
        .rfind('/')
        .filter(|i| *i >= origin_end)
        .map_or(path.len(), |i| i + 1);
    if dir_end == path.len() && !path.ends_with('/') {
        return format!("{path}/{link}");
    }
    format!("{}{link}", &path[..dir_end])
}

/// An HTTP agent that returns every status as an answer, with a deadline.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// A server's answer: status and body text (at most 1 MiB read).
fn answer(
    res: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    url: &str,
    lang: Lang,
) -> anyhow::Result<(u16, String)> {
    let mut res = res.map_err(|e| {
        anyhow::anyhow!(
            "{} {url}: {e}",
            pick(lang, "không kết nối được", "cannot reach")
        )
    })?;
    let status = res.status().as_u16();
    let text = res
        .body_mut()
        .with_config()
        .limit(1 << 20)
        .read_to_string()
        .with_context(|| format!("{url}: unreadable answer"))?;
    Ok((status, text))
}

/// The error of a non-200 answer from a channel's door, with what it
/// usually means.
fn refused(status: u16, body: &str, url: &str, secret_flag: &str, lang: Lang) -> anyhow::Error {
    let why = match status {
        403 => format!(
            "{} {secret_flag}{}",
            pick(
                lang,
                "chữ ký bị từ chối: kiểm tra",
                "the signature was refused: check"
            ),
            pick(
                lang,
                " (và với Twilio, URL phải đúng public_url của máy chủ)",
                " (and for Twilio, that the URL is the server's public_url)"
            )
        ),
        404 => pick(
            lang,
            "kênh này chưa bật trên máy chủ (chưa đặt khóa bí mật) hoặc sai đường dẫn",
            "this channel is off on the server (its secrets are not set) or the path is wrong",
        )
        .to_owned(),
        _ => body.trim().chars().take(200).collect(),
    };
    anyhow::anyhow!("{url}: HTTP {status}: {why}")
}

/// Random lowercase hex of `n` digits (message ids, call ids).
fn random_hex(n: usize) -> String {
    let mut s = String::with_capacity(n);
    while s.len() < n {
        s.push_str(&format!("{:016x}", rand::random::<u64>()));
    }
    s.truncate(n);
    s
}

/// Now in epoch milliseconds.
fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_the_endpoint_path() {
        assert_eq!(
            endpoint("http://127.0.0.1:8080", "/channels/ivr/twilio").expect("bare"),
            "http://127.0.0.1:8080/channels/ivr/twilio"
        );
        assert_eq!(
            endpoint("http://127.0.0.1:8080/", "/channels/ivr/twilio").expect("slash"),
            "http://127.0.0.1:8080/channels/ivr/twilio"
        );
        assert_eq!(
            endpoint("https://cc.example.vn/hotline?x=1", "/channels/ivr/twilio").expect("full"),
            "https://cc.example.vn/hotline?x=1"
        );
        assert!(endpoint("127.0.0.1:8080", "/x").is_err());
    }

    #[test]
    fn links_resolve_as_a_browser_would() {
        let cur = "http://h:1/channels/ivr/twilio?node=main";
        assert_eq!(resolve(cur, "https://x/y"), "https://x/y");
        assert_eq!(resolve(cur, "/a?b=1"), "http://h:1/a?b=1");
        assert_eq!(resolve(cur, "next?n=2"), "http://h:1/channels/ivr/next?n=2");
        assert_eq!(resolve("http://h:1", "next"), "http://h:1/next");
    }

    #[test]
    fn random_ids_have_the_asked_length() {
        let a = random_hex(20);
        assert_eq!(a.len(), 20);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a, random_hex(20));
    }
}
