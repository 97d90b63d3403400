//! Chat load for `bench/channels.sh`, against a `cancuoc serve --demo`
//! (its secrets, dossier codes and fake provider API read from the demo's
//! `demo.json`). Two kinds of run:
//!
//! - **throughput** (`--mode zalo|messenger|twilio`): CLIENTS threads, each
//!   sending signed webhooks one after the other, each as soon as the last
//!   was acknowledged, for SECONDS; every message has a fresh message id
//!   and a fresh sender (so neither the per-sender throttle nor the
//!   retried-delivery check answers instead of the real work: verify,
//!   store in the inbox, acknowledge), its text one of a mix of greetings
//!   and the demo's dossier codes. A Twilio "message" is one request of a
//!   call walked like a phone (the menu, key 4, key 1, then a demo code and
//!   `#`: the lookup answered inline), a fresh call and caller each walk.
//!   Counted: acknowledgements (2xx) per second, ack latency p50/p99/max,
//!   the other answers by status. For the chat modes the replies (one a
//!   message) are counted at the fake provider API: those that left
//!   through the queue during the load, then those after it, the queue
//!   working alone, until none has come for a second or `--drain` seconds
//!   passed; what is still queued then is acknowledged minus replied.
//!   `--rate R` paces a chat load at R messages per second in all (each
//!   client its share, no bursts to catch up) instead of as fast as
//!   acknowledged;
//! - **latency** (`--mode latency`): COUNT Zalo messages, one at a time,
//!   each a demo dossier code from a fresh sender; after each, the fake
//!   provider's `GET /__captured?since=N` is polled every 2 ms until the
//!   reply to that sender is there. The figure is webhook sent → reply
//!   received by the provider API (p50/p95/max), through the inbox, the
//!   dialogue, the outbox and the dispatcher.
//!
//! Signatures are computed here, as each provider computes them (see
//! `crates/cancuoc-channels/src/signature.rs`): Zalo `mac=` hex SHA-256 of
//! app id + body + timestamp + webhook secret; Messenger `sha256=` hex
//! HMAC-SHA256 of the body; Twilio base64 HMAC-SHA1 of the public URL and
//! the sorted form parameters (the public URL is the demo's `base_url`).
//!
//! Usage: `cancuoc-bench-chat-load --mode zalo|messenger|twilio [--clients N]
//! [--duration S] [--drain S] [--rate R] [--demo DEMO_JSON] URL` (defaults 16
//! clients, 10 s, 10 s, unpaced, `cancuoc-data/demo.json`);
//! `cancuoc-bench-chat-load --mode latency [--count N] [--demo DEMO_JSON] URL`
//! (default 200). Prints a summary on stderr and one JSON object on stdout.

use std::collections::BTreeMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// What a chat citizen writes besides a code: the greetings and questions
/// of the dialogue's first turn.
const GREETINGS: [&str; 5] = [
    "xin chào",
    "Chào bạn",
    "tra cứu",
    "CCCD của tôi làm xong chưa",
    "menu",
];
/// The demo OA's id (the `recipient` of a Zalo event), as the CLI's chat.
const OA_ID: &str = "4000000000000000368";
/// The demo Page's id.
const PAGE_ID: &str = "5000000000000000368";
/// The hotline number a Twilio call comes in on.
const HOTLINE: &str = "+8419000368";
/// How often the latency run asks the provider API for the reply.
const POLL: Duration = Duration::from_millis(2);
/// How long the latency run waits for one reply.
const REPLY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Zalo,
    Messenger,
    Twilio,
    Latency,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Zalo => "zalo",
            Mode::Messenger => "messenger",
            Mode::Twilio => "twilio",
            Mode::Latency => "latency",
        }
    }
}

/// The command line.
struct Args {
    mode: Mode,
    clients: usize,
    seconds: f64,
    drain: f64,
    rate: f64,
    count: usize,
    demo: String,
    url: String,
}

/// The demo's channel settings and codes, from `demo.json`.
struct Demo {
    /// The public base URL Twilio signs (the demo's `base_url`).
    public_url: String,
    /// The fake provider API.
    provider_api: String,
    zalo_app_id: String,
    zalo_secret: String,
    messenger_secret: String,
    twilio_token: String,
    /// The demo's dossier codes.
    codes: Vec<String>,
}

/// One worker's counts.
#[derive(Default)]
struct Tally {
    /// Acknowledged (2xx) requests.
    acked: u64,
    /// Other answers by kind: `403`, `503`, `error: …`.
    other: BTreeMap<String, u64>,
    /// Milliseconds of each acknowledged request.
    ack_ms: Vec<f64>,
    /// Twilio calls walked to the end (the status read out).
    calls: u64,
}

fn usage() -> ! {
    eprintln!(
        "usage: cancuoc-bench-chat-load --mode zalo|messenger|twilio [--clients N] [--duration S] \
         [--drain S] [--rate R] [--demo DEMO_JSON] URL\n       \
         cancuoc-bench-chat-load --mode latency [--count N] [--demo DEMO_JSON] URL"
    );
    std::process::exit(2);
}

fn parse_args() -> Args {
    let mut a = Args {
        mode: Mode::Zalo,
        clients: 16,
        seconds: 10.0,
        drain: 10.0,
        rate: 0.0,
        count: 200,
        demo: "cancuoc-data/demo.json".to_owned(),
        url: String::new(),
    };
    let mut mode = None;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--mode" => {
                mode = Some(match value().as_str() {
                    "zalo" => Mode::Zalo,
                    "messenger" => Mode::Messenger,
                    "twilio" => Mode::Twilio,
                    "latency" => Mode::Latency,
                    _ => usage(),
                })
            }
            "--clients" => a.clients = value().parse().unwrap_or_else(|_| usage()),
            "--duration" => {
                a.seconds = value()
                    .trim_end_matches('s')
                    .parse()
                    .unwrap_or_else(|_| usage())
            }
            "--drain" => a.drain = value().parse().unwrap_or_else(|_| usage()),
            "--rate" => a.rate = value().parse().unwrap_or_else(|_| usage()),
            "--count" => a.count = value().parse().unwrap_or_else(|_| usage()),
            "--demo" => a.demo = value(),
            s if s.starts_with("--") || !a.url.is_empty() => usage(),
            s => a.url = s.trim_end_matches('/').to_owned(),
        }
    }
    match mode {
        Some(m) if !a.url.is_empty() && a.clients > 0 && a.count > 0 => a.mode = m,
        _ => usage(),
    }
    a
}

fn read_demo(path: &str) -> Result<Demo, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    let s = |p: &str| {
        v.pointer(p)
            .and_then(Value::as_str)
            .map(|s| s.trim_end_matches('/').to_owned())
            .ok_or_else(|| format!("{path}: no {p} (is this `serve --demo` with the channels on?)"))
    };
    let codes: Vec<String> = v["dossiers"]
        .as_array()
        .map(|l| {
            l.iter()
                .filter_map(|d| d["code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if codes.is_empty() {
        return Err(format!("{path}: no dossiers"));
    }
    Ok(Demo {
        public_url: s("/base_url")?,
        provider_api: s("/channels/provider_api")?,
        zalo_app_id: s("/channels/zalo/app_id")?,
        zalo_secret: s("/channels/zalo/webhook_secret")?,
        messenger_secret: s("/channels/messenger/app_secret")?,
        twilio_token: s("/channels/twilio/auth_token")?,
        codes,
    })
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// The lowercase hexadecimal form of `bytes`.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Zalo's `X-ZEvent-Signature`.
fn zalo_sign(app_id: &str, body: &[u8], timestamp: &str, secret: &str) -> String {
    let mut h = Sha256::new();
    h.update(app_id.as_bytes());
    h.update(body);
    h.update(timestamp.as_bytes());
    h.update(secret.as_bytes());
    format!("mac={}", hex(&h.finalize()))
}

/// Meta's `X-Hub-Signature-256`.
fn messenger_sign(secret: &str, body: &[u8]) -> String {
    // HMAC takes a key of any length: this cannot fail.
    let Ok(mut m) = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    m.update(body);
    format!("sha256={}", hex(&m.finalize().into_bytes()))
}

/// Twilio's `X-Twilio-Signature` of a request to `url` with `params`.
fn twilio_sign(token: &str, url: &str, params: &[(String, String)]) -> String {
    let Ok(mut m) = <Hmac<Sha1> as KeyInit>::new_from_slice(token.as_bytes()) else {
        return String::new();
    };
    m.update(url.as_bytes());
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    for (k, v) in sorted {
        m.update(k.as_bytes());
        m.update(v.as_bytes());
    }
    BASE64.encode(m.finalize().into_bytes())
}

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

/// A code as a citizen may type it: as printed on the slip
/// (`0103 261125 12539 6`) every other time, else the 16 digits.
fn typed_code(code: &str, spaced: bool) -> String {
    if !spaced || code.len() != 16 {
        return code.to_owned();
    }
    format!(
        "{} {} {} {}",
        &code[..4],
        &code[4..10],
        &code[10..15],
        &code[15..]
    )
}

/// The `n`th text of a chat sender: greetings and codes, alternately.
fn text_of(demo: &Demo, n: u64) -> String {
    let i = (n / 2) as usize;
    if n.is_multiple_of(2) {
        GREETINGS[i % GREETINGS.len()].to_owned()
    } else {
        typed_code(&demo.codes[i % demo.codes.len()], i % 2 == 1)
    }
}

/// A Zalo OA `user_send_text` event, signed: body and signature.
fn zalo_event(demo: &Demo, sender: &str, msg_id: &str, text: &str) -> (String, String) {
    let timestamp = now_ms().to_string();
    let body = json!({
        "app_id": demo.zalo_app_id,
        "user_id_by_app": sender,
        "sender": {"id": sender},
        "recipient": {"id": OA_ID},
        "event_name": "user_send_text",
        "message": {"text": text, "msg_id": msg_id},
        "timestamp": timestamp,
    })
    .to_string();
    let sig = zalo_sign(
        &demo.zalo_app_id,
        body.as_bytes(),
        &timestamp,
        &demo.zalo_secret,
    );
    (body, sig)
}

/// A Messenger `object: page` event with one text message, signed.
fn messenger_event(demo: &Demo, sender: &str, mid: &str, text: &str) -> (String, String) {
    let now = now_ms();
    let body = json!({
        "object": "page",
        "entry": [{
            "id": PAGE_ID,
            "time": now,
            "messaging": [{
                "sender": {"id": sender},
                "recipient": {"id": PAGE_ID},
                "timestamp": now,
                "message": {"mid": mid, "text": text},
            }],
        }],
    })
    .to_string();
    let sig = messenger_sign(&demo.messenger_secret, body.as_bytes());
    (body, sig)
}

/// POSTs a signed JSON webhook: status, or the transport error.
fn post_json(
    a: &ureq::Agent,
    url: &str,
    header: &str,
    sig: &str,
    body: &str,
) -> Result<u16, String> {
    let mut res = a
        .post(url)
        .header("Content-Type", "application/json")
        .header(header, sig)
        .send(body)
        .map_err(|e| e.to_string())?;
    let status = res.status().as_u16();
    // Read to the end so the connection is reused.
    let _ = res.body_mut().read_to_string();
    Ok(status)
}

/// Counts one answer.
fn note(t: &mut Tally, started: Instant, answer: Result<u16, String>) -> bool {
    match answer {
        Ok(s) if (200..300).contains(&s) => {
            t.acked += 1;
            t.ack_ms.push(started.elapsed().as_secs_f64() * 1e3);
            true
        }
        Ok(s) => {
            *t.other.entry(s.to_string()).or_default() += 1;
            false
        }
        Err(e) => {
            *t.other.entry(format!("error: {e}")).or_default() += 1;
            // A refused connection must not spin.
            std::thread::sleep(Duration::from_millis(50));
            false
        }
    }
}

/// The `<Gather action>` of a TwiML document, unescaped.
fn gather_action(doc: &str) -> Option<String> {
    let start = doc.find("action=\"")? + 8;
    let end = start + doc[start..].find('"')?;
    Some(doc[start..end].replace("&amp;", "&"))
}

/// One chat client: fresh senders until `deadline`.
fn chat_client(
    mode: Mode,
    base: &str,
    demo: &Demo,
    id: &str,
    deadline: Instant,
    every: Option<Duration>,
) -> Tally {
    let a = agent();
    let mut t = Tally::default();
    let (url, header) = match mode {
        Mode::Messenger => (
            format!("{base}/channels/messenger/webhook"),
            "X-Hub-Signature-256",
        ),
        _ => (
            format!("{base}/channels/zalo/webhook"),
            "X-ZEvent-Signature",
        ),
    };
    let mut n = 0u64;
    let mut next = Instant::now();
    while Instant::now() < deadline {
        if let Some(every) = every {
            // Paced: one message every `every`, without bursts to catch up.
            let now = Instant::now();
            if next > now {
                std::thread::sleep(next - now);
            }
            next = next.max(now) + every;
        }
        // Numeric like the platforms' ids; unique per run, thread, message.
        let sender = format!("{id}{n:09}");
        let text = text_of(demo, n);
        let (body, sig) = match mode {
            Mode::Messenger => messenger_event(demo, &sender, &format!("m_bench_{sender}"), &text),
            _ => zalo_event(demo, &sender, &format!("bench{sender}"), &text),
        };
        let started = Instant::now();
        note(&mut t, started, post_json(&a, &url, header, &sig, &body));
        n += 1;
    }
    t
}

/// One hotline client: calls from fresh numbers until `deadline`, each
/// walked menu → 4 → 1 → a demo code.
fn twilio_client(base: &str, demo: &Demo, id: &str, deadline: Instant) -> Tally {
    let a = agent();
    let mut t = Tally::default();
    let mut n = 0u64;
    'calls: while Instant::now() < deadline {
        let code = &demo.codes[(n as usize) % demo.codes.len()];
        let caller = format!("+8490{id}{n:06}");
        let call_sid = format!("CA{id}{n:026}");
        n += 1;
        let mut path = "/channels/ivr/twilio".to_owned();
        for digits in [None, Some("4"), Some("1"), Some(code.as_str())] {
            let mut params: Vec<(String, String)> = [
                ("CallSid", call_sid.as_str()),
                ("From", &caller),
                ("To", HOTLINE),
                ("CallStatus", "in-progress"),
                ("Direction", "inbound"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
            if let Some(d) = digits {
                params.push(("Digits".to_owned(), d.to_owned()));
            }
            let sig = twilio_sign(
                &demo.twilio_token,
                &format!("{}{path}", demo.public_url),
                &params,
            );
            let started = Instant::now();
            let res = a
                .post(&format!("{base}{path}"))
                .header("X-Twilio-Signature", &sig)
                .send_form(params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            let (answer, doc) = match res {
                Ok(mut r) => {
                    let s = r.status().as_u16();
                    (Ok(s), r.body_mut().read_to_string().unwrap_or_default())
                }
                Err(e) => (Err(e.to_string()), String::new()),
            };
            if !note(&mut t, started, answer) {
                continue 'calls;
            }
            // The next request goes where the <Gather> says, under the
            // public URL.
            match gather_action(&doc)
                .and_then(|u| u.strip_prefix(&demo.public_url).map(str::to_owned))
            {
                Some(p) => path = p,
                None => {
                    *t.other.entry("no <Gather action>".to_owned()).or_default() += 1;
                    continue 'calls;
                }
            }
        }
        t.calls += 1;
    }
    t
}

/// How many requests the provider API has recorded, and the recorded ones
/// from the `since`th on.
fn captured(a: &ureq::Agent, api: &str, since: usize) -> Result<(usize, Vec<Value>), String> {
    let url = format!("{api}/__captured?since={since}");
    let mut res = a.get(&url).call().map_err(|e| format!("{url}: {e}"))?;
    let text = res
        .body_mut()
        .read_to_string()
        .map_err(|e| format!("{url}: {e}"))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("{url}: {e}"))?;
    let count = v["count"]
        .as_u64()
        .ok_or_else(|| format!("{url}: no count"))?;
    let items = v["items"].as_array().cloned().unwrap_or_default();
    Ok((usize::try_from(count).unwrap_or(usize::MAX), items))
}

/// The provider API's count only.
fn captured_count(a: &ureq::Agent, api: &str) -> Result<usize, String> {
    captured(a, api, usize::MAX).map(|(c, _)| c)
}

/// Whether a captured request is a Zalo consultation message to `user`.
fn zalo_reply_to(item: &Value, user: &str) -> bool {
    item["path"]
        .as_str()
        .is_some_and(|p| p.ends_with("/oa/message/cs"))
        && item
            .pointer("/body/recipient/user_id")
            .and_then(Value::as_str)
            == Some(user)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn die(msg: &str) -> ! {
    eprintln!("{msg}");
    std::process::exit(1);
}

/// The throughput modes.
fn throughput(args: &Args, demo: &Demo) {
    let probe = agent();
    let before = match args.mode {
        Mode::Twilio => 0,
        _ => captured_count(&probe, &demo.provider_api).unwrap_or_else(|e| die(&e)),
    };
    // Unique senders per run: the run's start, then the thread.
    let run = (now_ms() / 1000) % 1_000_000;
    // Paced: each client sends its share of `--rate`.
    let every = (args.rate > 0.0).then(|| Duration::from_secs_f64(args.clients as f64 / args.rate));
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(args.seconds);
    let results: Vec<Tally> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..args.clients)
            .map(|i| {
                let id = format!("{run:06}{i:03}");
                let base = args.url.as_str();
                s.spawn(move || match args.mode {
                    Mode::Twilio => twilio_client(base, demo, &id[3..], deadline),
                    m => chat_client(m, base, demo, &id, deadline, every),
                })
            })
            .collect();
        threads.into_iter().filter_map(|t| t.join().ok()).collect()
    });
    let elapsed = started.elapsed().as_secs_f64();
    let mut acked = 0;
    let mut calls = 0;
    let mut other: BTreeMap<String, u64> = BTreeMap::new();
    let mut ack_ms = Vec::new();
    for t in results {
        acked += t.acked;
        calls += t.calls;
        for (k, n) in t.other {
            *other.entry(k).or_default() += n;
        }
        ack_ms.extend(t.ack_ms);
    }
    ack_ms.sort_by(f64::total_cmp);
    let non_2xx: u64 = other.values().sum();
    let per_second = acked as f64 / elapsed;
    let mut summary = json!({
        "mode": args.mode.name(),
        "seconds": (elapsed * 100.0).round() / 100.0,
        "clients": args.clients,
        "rate": args.rate,
        "acked": acked,
        "per_second": round1(per_second),
        "ack_p50_ms": round1(percentile(&ack_ms, 0.5)),
        "ack_p99_ms": round1(percentile(&ack_ms, 0.99)),
        "ack_max_ms": round1(ack_ms.last().copied().unwrap_or(0.0)),
        "non_2xx": non_2xx,
        "other": other,
    });
    let mut line = format!(
        "{} load: {acked} acknowledged in {elapsed:.1} s = {per_second:.1}/s ({} clients); \
         ack p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; non-2xx {non_2xx} {}",
        args.mode.name(),
        args.clients,
        percentile(&ack_ms, 0.5),
        percentile(&ack_ms, 0.99),
        ack_ms.last().copied().unwrap_or(0.0),
        summary["other"]
    );
    if args.mode == Mode::Twilio {
        summary["calls"] = json!(calls);
        line.push_str(&format!("; {calls} calls walked to the status"));
    } else {
        // The replies leave through the queue after the acknowledgements
        // (one each): those that came during the load, then those after
        // it, the queue working alone, until none has come for a second.
        let r = drain(&probe, &demo.provider_api, before, args.drain);
        let during = r.at_load_end as f64 / elapsed;
        let after = r.after as f64 / r.after_seconds.max(1e-9);
        let left = acked.saturating_sub((r.at_load_end + r.after) as u64);
        summary["replies_during"] = json!(r.at_load_end);
        summary["replies_during_per_second"] = json!(round1(during));
        summary["replies_after"] = json!(r.after);
        summary["replies_after_per_second"] = json!(round1(after));
        summary["replies_after_seconds"] = json!(round1(r.after_seconds));
        summary["queue_left"] = json!(left);
        line.push_str(&format!(
            "; replies through the queue: {} during the load ({during:.1}/s), {} in the \
             {:.1} s after it ({after:.1}/s), {left} still queued",
            r.at_load_end, r.after, r.after_seconds
        ));
    }
    eprintln!("{line}");
    println!("{summary}");
}

/// The replies of a chat run, counted at the provider API.
struct Replies {
    /// Replies between the start and the load's end.
    at_load_end: usize,
    /// Replies after the load's end.
    after: usize,
    /// Seconds from the load's end to the last of those.
    after_seconds: f64,
}

/// Counts the replies of a chat run after its load: until none has come
/// for a second, or `max` seconds after the load's end.
fn drain(a: &ureq::Agent, api: &str, before: usize, max: f64) -> Replies {
    let load_end = Instant::now();
    let at_end = captured_count(a, api).unwrap_or_else(|e| die(&e));
    let mut last = at_end;
    let mut last_at = 0.0;
    let mut last_change = Instant::now();
    while last_change.elapsed() < Duration::from_secs(1) && load_end.elapsed().as_secs_f64() < max {
        std::thread::sleep(Duration::from_millis(100));
        let c = captured_count(a, api).unwrap_or_else(|e| die(&e));
        if c != last {
            last = c;
            last_at = load_end.elapsed().as_secs_f64();
            last_change = Instant::now();
        }
    }
    Replies {
        at_load_end: at_end.saturating_sub(before),
        after: last - at_end,
        after_seconds: last_at,
    }
}

/// The latency mode.
fn latency(args: &Args, demo: &Demo) {
    let a = agent();
    let url = format!("{}/channels/zalo/webhook", args.url);
    let run = (now_ms() / 1000) % 1_000_000;
    let mut reply_ms = Vec::new();
    let mut ack_ms = Vec::new();
    let mut lost = 0u64;
    let mut other: BTreeMap<String, u64> = BTreeMap::new();
    for n in 0..args.count {
        let sender = format!("{run:06}999{n:010}");
        let code = &demo.codes[n % demo.codes.len()];
        let before = captured_count(&a, &demo.provider_api).unwrap_or_else(|e| die(&e));
        let (body, sig) = zalo_event(demo, &sender, &format!("bench{sender}"), code);
        let sent = Instant::now();
        match post_json(&a, &url, "X-ZEvent-Signature", &sig, &body) {
            Ok(s) if (200..300).contains(&s) => {}
            Ok(s) => {
                *other.entry(s.to_string()).or_default() += 1;
                continue;
            }
            Err(e) => {
                *other.entry(format!("error: {e}")).or_default() += 1;
                continue;
            }
        }
        ack_ms.push(sent.elapsed().as_secs_f64() * 1e3);
        let mut seen = before;
        let got = loop {
            let (count, items) = captured(&a, &demo.provider_api, seen).unwrap_or_else(|e| die(&e));
            if items.iter().any(|i| zalo_reply_to(i, &sender)) {
                break Some(sent.elapsed().as_secs_f64() * 1e3);
            }
            seen = count.max(seen);
            if sent.elapsed() >= REPLY_TIMEOUT {
                break None;
            }
            std::thread::sleep(POLL);
        };
        match got {
            Some(ms) => reply_ms.push(ms),
            None => lost += 1,
        }
    }
    reply_ms.sort_by(f64::total_cmp);
    ack_ms.sort_by(f64::total_cmp);
    let max = reply_ms.last().copied().unwrap_or(0.0);
    let summary = json!({
        "mode": "latency",
        "count": args.count,
        "replies": reply_ms.len(),
        "reply_p50_ms": round1(percentile(&reply_ms, 0.5)),
        "reply_p95_ms": round1(percentile(&reply_ms, 0.95)),
        "reply_max_ms": round1(max),
        "ack_p50_ms": round1(percentile(&ack_ms, 0.5)),
        "no_reply": lost,
        "other": other,
    });
    eprintln!(
        "reply latency: {} of {} Zalo messages answered; webhook sent → reply at the provider \
         API p50 {:.1} ms, p95 {:.1} ms, max {max:.1} ms (ack p50 {:.1} ms; polled every {} ms); \
         no reply within {} s: {lost}; refused {}",
        reply_ms.len(),
        args.count,
        percentile(&reply_ms, 0.5),
        percentile(&reply_ms, 0.95),
        percentile(&ack_ms, 0.5),
        POLL.as_millis(),
        REPLY_TIMEOUT.as_secs(),
        summary["other"]
    );
    println!("{summary}");
}

fn main() {
    let args = parse_args();
    let demo = read_demo(&args.demo).unwrap_or_else(|e| die(&e));
    match args.mode {
        Mode::Latency => latency(&args, &demo),
        _ => throughput(&args, &demo),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vectors of `crates/cancuoc-channels/src/signature.rs` (and the
    /// research file §3.1, §5): the load signs as the server checks.
    #[test]
    fn signatures_match_the_published_and_computed_vectors() {
        let zalo_body = r#"{"app_id":"360846524940903967","sender":{"id":"246845883529197922"},"recipient":{"id":"388613280878808645"},"event_name":"user_send_text","message":{"text":"Tra cứu CCCD","msg_id":"96d3cdf3af150460909"},"timestamp":"1543908534742","user_id_by_app":"552177279717587730"}"#;
        assert_eq!(
            zalo_sign(
                "360846524940903967",
                zalo_body.as_bytes(),
                "1543908534742",
                "oa-secret-TEST"
            ),
            "mac=03c53348e78f36221e38ffec3708b527c41da3399547f9789053afda76ebc5f1"
        );
        let fb_body = br#"{"object":"page","entry":[{"id":"PAGE","time":1,"messaging":[{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1,"message":{"mid":"m_1","text":"Tra c\u1ee9u"}}]}]}"#;
        assert_eq!(
            messenger_sign("app-secret-TEST", fb_body),
            "sha256=f9e509f4dac7a59dbd45ab4dae41eb9a74b4c8d57edb677568a3051b954d03be"
        );
        let params: Vec<(String, String)> = [
            ("To", "+18005551212"),
            ("CallSid", "CA1234567890ABCDE"),
            ("Digits", "1234"),
            ("From", "+12349013030"),
            ("Caller", "+12349013030"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        assert_eq!(
            twilio_sign(
                "12345",
                "https://mycompany.com/myapp.php?foo=1&bar=2",
                &params
            ),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
        );
    }

    #[test]
    fn codes_are_typed_as_printed_every_other_time() {
        assert_eq!(typed_code("0103261125125396", true), "0103 261125 12539 6");
        assert_eq!(typed_code("0103261125125396", false), "0103261125125396");
    }

    #[test]
    fn the_gather_action_is_unescaped() {
        let doc = r#"<Gather input="dtmf" action="http://h/channels/ivr/twilio?node=main&amp;wrong=0" method="POST">"#;
        assert_eq!(
            gather_action(doc).as_deref(),
            Some("http://h/channels/ivr/twilio?node=main&wrong=0")
        );
        assert_eq!(gather_action("<Response/>"), None);
    }
}
