//! `cancuoc channels chat`: one chat message sent as the provider sends
//! it, and the bot's reply read back.
//!
//! Zalo: a `user_send_text` event (a fresh `msg_id`, the timestamp in
//! epoch milliseconds) signed with `X-ZEvent-Signature: mac=…` over the
//! app id, the raw body, the timestamp and the webhook secret. Messenger:
//! an `object: page` event with a fresh `mid`, signed with
//! `X-Hub-Signature-256`. The server keeps the message and answers at
//! once; the reply leaves later through the provider's API. This command
//! then polls the provider API's record of what it was sent —
//! `GET {provider_api}/__captured?since=N` of the fake provider of
//! `serve --demo` — until a message to the same sender arrives (and any
//! that follow it within half a second), or the timeout passes.
//!
//! The default sender is fixed per provider, so several runs are one
//! conversation (the bot remembers what it asked); `--sender` starts
//! another.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use cancuoc_channels::signature::{messenger_sign, zalo_sign};
use cancuoc_core::i18n::Lang;
use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use super::{agent, answer, demo_channels, endpoint, now_ms, random_hex, refused, required};
use crate::Ctx;
use crate::output::{EXIT_OK, pick};

/// The chat platform whose webhook is played.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Provider {
    /// Zalo Official Account v3 (`/channels/zalo/webhook`).
    Zalo,
    /// Facebook Messenger (`/channels/messenger/webhook`).
    Messenger,
}

/// The demo OA's id (the `recipient` of a Zalo event).
const OA_ID: &str = "4000000000000000368";
/// The demo Page's id.
const PAGE_ID: &str = "5000000000000000368";
/// The sender when none is given: one conversation across runs.
const DEFAULT_ZALO_SENDER: &str = "6100000000000000001";
/// The Messenger sender (PSID) when none is given.
const DEFAULT_MESSENGER_SENDER: &str = "7100000000000000001";
/// How long more replies are waited for after the first.
const SETTLE: Duration = Duration::from_millis(500);

/// Send a chat message to the bot and print its reply.
#[derive(Args, Debug)]
pub struct ChatArgs {
    /// The server (`http://127.0.0.1:8080`) or the webhook's URL.
    #[arg(value_name = "URL")]
    url: String,
    /// What the citizen writes.
    #[arg(value_name = "TEXT")]
    text: String,
    /// Which platform's webhook to play.
    #[arg(long, value_enum)]
    provider: Provider,
    /// The citizen's id on the platform (Zalo's user id, Messenger's PSID)
    /// [default: one fixed id per platform, so runs continue one
    /// conversation].
    #[arg(long, value_name = "ID")]
    sender: Option<String>,
    /// The provider API the server replies through, where the reply is
    /// read (the demo's fake provider) [default: from DATA_DIR/demo.json].
    #[arg(long, value_name = "URL")]
    provider_api: Option<String>,
    /// The Zalo app id [default: from DATA_DIR/demo.json].
    #[arg(long, value_name = "ID")]
    app_id: Option<String>,
    /// Zalo's webhook secret or Messenger's app secret [default: from
    /// DATA_DIR/demo.json].
    #[arg(long, value_name = "SECRET")]
    secret: Option<String>,
    /// Seconds to wait for the reply.
    #[arg(long, value_name = "SECS", default_value_t = 10)]
    timeout: u64,
    /// Where `demo.json` is looked for [env: CANCUOC_DATA_DIR]
    /// [default: ./cancuoc-data].
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
}

/// A reply as the provider API received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BotReply {
    /// The text.
    pub text: String,
    /// The buttons (Zalo) or quick replies (Messenger): title, payload.
    pub choices: Vec<(String, String)>,
}

/// Runs `cancuoc channels chat`.
pub fn run(args: ChatArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let (demo, demo_path) = demo_channels(args.data_dir.as_deref())?;
    let demo = demo.as_ref();
    let provider_api = required(
        args.provider_api,
        demo,
        "/provider_api",
        ("địa chỉ API nhà cung cấp", "provider API address"),
        "--provider-api",
        &demo_path,
        lang,
    )?;
    let provider_api = provider_api.trim_end_matches('/').to_owned();
    let (url, sender, body, headers) = match args.provider {
        Provider::Zalo => {
            let app_id = required(
                args.app_id,
                demo,
                "/zalo/app_id",
                ("mã ứng dụng Zalo", "Zalo app id"),
                "--app-id",
                &demo_path,
                lang,
            )?;
            let secret = required(
                args.secret,
                demo,
                "/zalo/webhook_secret",
                ("khóa webhook Zalo", "Zalo webhook secret"),
                "--secret",
                &demo_path,
                lang,
            )?;
            let sender = args
                .sender
                .unwrap_or_else(|| DEFAULT_ZALO_SENDER.to_owned());
            let timestamp = now_ms().to_string();
            let body = zalo_event(&app_id, &sender, &args.text, &random_hex(20), &timestamp);
            let signature = zalo_sign(&app_id, body.as_bytes(), &timestamp, &secret);
            let url = endpoint(&args.url, "/channels/zalo/webhook")?;
            (url, sender, body, vec![("X-ZEvent-Signature", signature)])
        }
        Provider::Messenger => {
            let secret = required(
                args.secret,
                demo,
                "/messenger/app_secret",
                ("khóa ứng dụng Messenger", "Messenger app secret"),
                "--secret",
                &demo_path,
                lang,
            )?;
            let sender = args
                .sender
                .unwrap_or_else(|| DEFAULT_MESSENGER_SENDER.to_owned());
            let body = messenger_event(
                &sender,
                &args.text,
                &format!("m_{}", random_hex(24)),
                now_ms(),
            );
            let signature = messenger_sign(&secret, body.as_bytes());
            let url = endpoint(&args.url, "/channels/messenger/webhook")?;
            (url, sender, body, vec![("X-Hub-Signature-256", signature)])
        }
    };
    // What the provider API holds before the message: the reply comes
    // after it.
    let before = captured(&provider_api, 0, lang)?.0;
    let mut req = agent()
        .post(&url)
        .header("Content-Type", "application/json");
    for (k, v) in &headers {
        req = req.header(*k, v);
    }
    let (status, text) = answer(req.send(body.as_bytes()), &url, lang)?;
    if status != 200 {
        return Err(refused(status, &text, &url, "--secret", lang));
    }
    println!("> {}", args.text);
    let replies = wait_for_replies(
        &provider_api,
        args.provider,
        &sender,
        before,
        Duration::from_secs(args.timeout),
        lang,
    )?;
    for r in &replies {
        for line in r.text.lines() {
            println!("{line}");
        }
        for (title, payload) in &r.choices {
            if title == payload {
                println!("  [{title}]");
            } else {
                println!("  [{title}] → {payload}");
            }
        }
    }
    Ok(EXIT_OK)
}

/// A Zalo OA `user_send_text` webhook body.
fn zalo_event(app_id: &str, sender: &str, text: &str, msg_id: &str, timestamp: &str) -> String {
    json!({
        "app_id": app_id,
        "user_id_by_app": sender,
        "sender": {"id": sender},
        "recipient": {"id": OA_ID},
        "event_name": "user_send_text",
        "message": {"text": text, "msg_id": msg_id},
        "timestamp": timestamp,
    })
    .to_string()
}

/// A Messenger `object: page` webhook body with one text message.
fn messenger_event(sender: &str, text: &str, mid: &str, now_ms: i64) -> String {
    json!({
        "object": "page",
        "entry": [{
            "id": PAGE_ID,
            "time": now_ms,
            "messaging": [{
                "sender": {"id": sender},
                "recipient": {"id": PAGE_ID},
                "timestamp": now_ms,
                "message": {"mid": mid, "text": text},
            }],
        }],
    })
    .to_string()
}

/// How many requests the provider API holds, and those from the
/// `since`th on.
fn captured(api: &str, since: usize, lang: Lang) -> anyhow::Result<(usize, Vec<Value>)> {
    let url = format!("{api}/__captured?since={since}");
    let (status, text) = answer(agent().get(&url).call(), &url, lang)?;
    if status != 200 {
        bail!(
            "{url}: HTTP {status}: {}",
            pick(
                lang,
                "đây không phải API nhà cung cấp giả của `serve --demo`",
                "this is not the fake provider API of `serve --demo`"
            )
        );
    }
    let v: Value = serde_json::from_str(&text).with_context(|| format!("{url}: not JSON"))?;
    let count = v
        .get("count")
        .and_then(Value::as_u64)
        .with_context(|| format!("{url}: no count"))?;
    let items = v
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    Ok((usize::try_from(count).unwrap_or(usize::MAX), items))
}

/// The reply in a captured request, when it is a message to `sender`
/// through `provider`'s API.
pub fn reply_to(provider: Provider, sender: &str, item: &Value) -> Option<BotReply> {
    let path = item.get("path").and_then(Value::as_str)?;
    let body = item.get("body")?;
    let (to, choices) = match provider {
        Provider::Zalo if path.ends_with("/oa/message/cs") => (
            body.pointer("/recipient/user_id"),
            body.pointer("/message/attachment/payload/buttons"),
        ),
        Provider::Messenger if path.ends_with("/messages") => (
            body.pointer("/recipient/id"),
            body.pointer("/message/quick_replies"),
        ),
        _ => return None,
    };
    if to.and_then(Value::as_str) != Some(sender) {
        return None;
    }
    let text = body
        .pointer("/message/text")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let choices = choices
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|c| {
                    let title = c.get("title").and_then(Value::as_str).unwrap_or("");
                    let payload = match c.get("payload") {
                        Some(Value::String(s)) => s.clone(),
                        Some(other) => other.to_string(),
                        None => String::new(),
                    };
                    (title.to_owned(), payload)
                })
                .collect()
        })
        .unwrap_or_default();
    Some(BotReply { text, choices })
}

/// Polls the provider API until a reply to `sender` arrives after the
/// `before`th request (then waits [`SETTLE`] for more), or `timeout`
/// passes (an error).
fn wait_for_replies(
    api: &str,
    provider: Provider,
    sender: &str,
    before: usize,
    timeout: Duration,
    lang: Lang,
) -> anyhow::Result<Vec<BotReply>> {
    let started = Instant::now();
    let mut replies: Vec<BotReply> = Vec::new();
    let mut seen = before;
    let mut last_new = None::<Instant>;
    loop {
        let (count, items) = captured(api, seen, lang)?;
        for item in &items {
            // A delivery the server retries is the same reply: shown once.
            if let Some(r) = reply_to(provider, sender, item)
                && replies.last() != Some(&r)
            {
                replies.push(r);
                last_new = Some(Instant::now());
            }
        }
        seen = count.max(seen);
        match last_new {
            Some(t) if t.elapsed() >= SETTLE => return Ok(replies),
            None if started.elapsed() >= timeout => bail!(
                "{} {} {}",
                pick(
                    lang,
                    "không có tin trả lời nào trong",
                    "no reply arrived within"
                ),
                timeout.as_secs(),
                pick(
                    lang,
                    "giây (máy chủ có đang chạy các tiến trình kênh không? xem nhật ký của nó)",
                    "s (are the server's channel workers running? see its log)"
                )
            ),
            _ => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_webhooks_are_signed_as_the_server_checks() {
        let body = zalo_event("app-1", "u-1", "Tra cứu", "abc", "1700000000000");
        let sig = zalo_sign("app-1", body.as_bytes(), "1700000000000", "s3cret");
        assert!(cancuoc_channels::signature::zalo_valid(
            "app-1",
            body.as_bytes(),
            "1700000000000",
            "s3cret",
            &sig
        ));
        let v: Value = serde_json::from_str(&body).expect("json");
        assert_eq!(v["event_name"], "user_send_text");
        assert_eq!(v["message"]["text"], "Tra cứu");
        assert_eq!(v["sender"]["id"], "u-1");
        let body = messenger_event("p-1", "menu", "m_1", 1_700_000_000_000);
        let sig = messenger_sign("app-secret", body.as_bytes());
        assert!(cancuoc_channels::signature::messenger_valid(
            "app-secret",
            body.as_bytes(),
            &sig
        ));
        let v: Value = serde_json::from_str(&body).expect("json");
        assert_eq!(v["entry"][0]["messaging"][0]["message"]["mid"], "m_1");
    }

    #[test]
    fn replies_are_read_per_provider_and_sender() {
        let zalo = json!({"path": "/v3.0/oa/message/cs", "body": {
            "recipient": {"user_id": "u-1"},
            "message": {"text": "Xin chào", "attachment": {"type": "template", "payload": {
                "buttons": [{"title": "Tra cứu hồ sơ", "type": "oa.query.show", "payload": "tra cứu"}]}}}}});
        assert_eq!(
            reply_to(Provider::Zalo, "u-1", &zalo),
            Some(BotReply {
                text: "Xin chào".into(),
                choices: vec![("Tra cứu hồ sơ".into(), "tra cứu".into())]
            })
        );
        assert_eq!(reply_to(Provider::Zalo, "u-2", &zalo), None);
        assert_eq!(reply_to(Provider::Messenger, "u-1", &zalo), None);
        let fb = json!({"path": "/v25.0/me/messages", "body": {
            "recipient": {"id": "p-1"}, "messaging_type": "RESPONSE",
            "message": {"text": "Hi", "quick_replies": [{"content_type": "text", "title": "Menu", "payload": "menu"}]}}});
        assert_eq!(
            reply_to(Provider::Messenger, "p-1", &fb),
            Some(BotReply {
                text: "Hi".into(),
                choices: vec![("Menu".into(), "menu".into())]
            })
        );
    }
}
