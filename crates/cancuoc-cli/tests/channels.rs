//! The citizens' channels end to end on the real binary: `serve --demo` on
//! a free port (every channel on with demo secrets, the fake provider API
//! in-process), then the simulators as a newcomer runs them —
//! `channels call` on Twilio and Stringee by dossier code and by ID number
//! and date of birth, `channels chat` on Zalo and Messenger with the code
//! and without it — each asserting the spoken or written status of the
//! demo dossier; and the SMS of a notified dossier's next stage in the
//! development sink after an officer takes it.

mod service_support;

use std::time::{Duration, Instant};

use cancuoc_core::channel::speech;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::guidance::guidance;
use cancuoc_core::dossier::workflow::State;
use cancuoc_service::sms::DevSink;
use serde_json::{Value, json};
use service_support::{Server, TempDir, code, get, parse_banner, post, run, stderr, stdout};

/// The demo's `demo.json`.
fn demo_json(dir: &TempDir) -> Value {
    let text = std::fs::read_to_string(dir.path().join("demo.json")).expect("demo.json");
    serde_json::from_str(&text).expect("json")
}

fn state_of(code: &str) -> State {
    State::ALL
        .into_iter()
        .find(|s| s.code() == code)
        .unwrap_or_else(|| panic!("no state {code}"))
}

/// Runs `cancuoc channels ARGS --data-dir DIR`; its stdout (exit 0
/// asserted).
fn channels(dir: &TempDir, args: &[&str]) -> String {
    let mut all = vec!["channels"];
    all.extend_from_slice(&args[..1]);
    all.extend_from_slice(&["--data-dir", dir.arg()]);
    all.extend_from_slice(&args[1..]);
    let o = run(&all);
    assert_eq!(
        code(&o),
        0,
        "{all:?}\nstdout:\n{}\nstderr:\n{}",
        stdout(&o),
        stderr(&o)
    );
    stdout(&o)
}

/// Whether `out` has `line` as one of its lines.
fn has_line(out: &str, line: &str) -> bool {
    out.lines().any(|l| l == line)
}

#[test]
fn the_demo_hotline_and_bots_tell_a_dossiers_status() {
    let dir = TempDir::new("channels-demo");
    let server = Server::start(&dir, &["--demo"]);
    let demo = demo_json(&dir);
    let ch = &demo["channels"];
    let lookup = &ch["lookup"];
    let dossier = lookup["code"].as_str().expect("a dossier to try");
    let state = state_of(lookup["state"].as_str().expect("state"));
    let g = guidance(state);
    let pid = lookup["personal_id"].as_str().expect("pid");
    let born = lookup["date_of_birth"].as_str().expect("born");
    let name = lookup["full_name"].as_str().expect("name");
    assert_eq!(ch["twilio"]["auth_token"], "demo-twilio-token");
    assert_eq!(
        ch["twilio"]["url"],
        format!("{}/channels/ivr/twilio", server.base)
    );
    assert!(
        ch["provider_api"]
            .as_str()
            .is_some_and(|u| u.starts_with("http://127.0.0.1:")),
        "{ch}"
    );
    // The banner says how to try them, with the real address.
    let call_line = format!(
        "cancuoc channels call --data-dir {} --digits 4,1,{dossier}# {}/channels/ivr/twilio",
        dir.arg(),
        server.base
    );
    assert!(
        server.banner.contains(&call_line),
        "{call_line}\n{}",
        server.banner
    );
    assert!(
        server.banner.contains(&format!(
            "cancuoc channels chat --data-dir {} --provider zalo {}/channels/zalo/webhook '{dossier}'",
            dir.arg(),
            server.base
        )),
        "{}",
        server.banner
    );

    // The hotline on Twilio, by code: the greeting, key 4, key 1, the
    // code; then the code read out, the state, and the main menu again.
    let spoken_code = format!(
        "Hồ sơ mã số {}.",
        speech::digits(&DossierCode::parse(dossier).expect("code").grouped())
    );
    let url = format!("{}/channels/ivr/twilio", server.base);
    let digits = format!("4,1,{dossier}#");
    let out = channels(
        &dir,
        &["call", "--digits", &digits, "--from", "+84999000101", &url],
    );
    assert!(has_line(&out, &spoken_code), "{spoken_code}\n{out}");
    assert!(has_line(&out, g.headline_vi), "{}\n{out}", g.headline_vi);
    assert!(has_line(&out, g.next_vi), "{}\n{out}", g.next_vi);
    assert!(has_line(&out, &format!("> {dossier}#")), "{out}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("[gather")).count(),
        4,
        "main, status menu, code, main again:\n{out}"
    );
    assert_eq!(
        out.lines().last(),
        Some("[end: no more keys to press]"),
        "{out}"
    );

    // The same on Stringee (one `talk` per turn).
    let out = channels(
        &dir,
        &[
            "call",
            "--provider",
            "stringee",
            "--digits",
            &digits,
            "--from",
            "+84999000102",
            &server.base,
        ],
    );
    assert!(
        out.lines()
            .any(|l| l.contains(&spoken_code) && l.contains(g.headline_vi)),
        "{out}"
    );
    assert_eq!(
        out.lines().last(),
        Some("[end: no more keys to press]"),
        "{out}"
    );

    // Without the code: key 2, the ID number, the date of birth as ddmmyyyy.
    let keyed_dob = format!("{}{}{}", &born[8..10], &born[5..7], &born[..4]);
    let out = channels(
        &dir,
        &[
            "call",
            "--digits",
            &format!("4,2,{pid}#,{keyed_dob}#"),
            "--from",
            "+84999000103",
            &url,
        ],
    );
    assert!(has_line(&out, g.headline_vi), "{}\n{out}", g.headline_vi);

    // A wrong token is refused by the server, and said so.
    let o = run(&[
        "channels",
        "call",
        "--token",
        "not-the-token",
        "--digits",
        "4",
        &url,
    ]);
    assert_eq!(code(&o), 2, "{}", stdout(&o));
    assert!(stderr(&o).contains("HTTP 403"), "{}", stderr(&o));

    // Zalo, by code: the reply states the status.
    let zalo = format!("{}/channels/zalo/webhook", server.base);
    let out = channels(
        &dir,
        &[
            "chat",
            "--provider",
            "zalo",
            "--sender",
            "6100000000000000101",
            &zalo,
            dossier,
        ],
    );
    assert!(out.starts_with(&format!("> {dossier}\n")), "{out}");
    assert!(out.contains(g.headline_vi), "{}\n{out}", g.headline_vi);
    // Then booking: the link is prefilled with the dossier's office.
    let out = channels(
        &dir,
        &[
            "chat",
            "--provider",
            "zalo",
            "--sender",
            "6100000000000000101",
            &zalo,
            "đặt lịch",
        ],
    );
    assert!(out.contains("/dat-lich?tinh="), "{out}");
    assert!(out.contains("&don_vi="), "{out}");

    // Zalo, without the code: the ID number, the date of birth and the name.
    let dmy = format!("{}/{}/{}", &born[8..10], &born[5..7], &born[..4]);
    let text = format!("{pid}, {dmy}, {name}");
    let out = channels(
        &dir,
        &[
            "chat",
            "--provider",
            "zalo",
            "--sender",
            "6100000000000000102",
            &zalo,
            &text,
        ],
    );
    assert!(out.contains(g.headline_vi), "{}\n{out}", g.headline_vi);

    // Messenger, by code, with the address of the server only.
    let out = channels(
        &dir,
        &["chat", "--provider", "messenger", &server.base, dossier],
    );
    assert!(out.contains(g.headline_vi), "{}\n{out}", g.headline_vi);

    // A bad secret: 403, nothing kept, said so.
    let o = run(&[
        "channels",
        "chat",
        "--data-dir",
        dir.arg(),
        "--provider",
        "zalo",
        "--secret",
        "wrong",
        &zalo,
        dossier,
    ]);
    assert_eq!(code(&o), 2, "{}", stdout(&o));
    assert!(stderr(&o).contains("HTTP 403"), "{}", stderr(&o));
    assert!(server.stop().success());
}

#[test]
fn a_notified_dossiers_next_stage_reaches_the_sms_sink() {
    let dir = TempDir::new("channels-notify");
    let server = Server::start(&dir, &["--demo"]);
    let (tokens, _) = parse_banner(&server.banner);
    let demo = demo_json(&dir);
    let notified = demo["channels"]["notified"].as_array().expect("notified");
    let waiting = notified
        .iter()
        .find(|n| n["state"] == "sent_to_centre")
        .unwrap_or_else(|| panic!("no notified dossier waiting for approval: {notified:?}"));
    let dossier = waiting["code"].as_str().expect("code");
    let phone = waiting["phone"].as_str().expect("phone");
    assert!(
        server.banner.contains(&format!("{dossier} (")),
        "{}",
        server.banner
    );
    let approver = tokens
        .get(&("approver".to_owned(), 2))
        .unwrap_or_else(|| panic!("no approver in\n{}", server.banner));
    let sink = dir.path().join("sms-outbox.jsonl");
    let to_phone = || {
        DevSink::read(&sink)
            .into_iter()
            .filter(|l| l.to == phone)
            .count()
    };
    let (s, d) = get(
        &server.url(&format!("/api/v1/dossiers/{dossier}")),
        Some(approver),
    );
    assert_eq!(s, 200, "{d}");
    let version = d["version"].as_i64().expect("version");
    // The notices of its earlier stages leave first.
    std::thread::sleep(Duration::from_secs(2));
    let before = to_phone();
    let (s, body) = post(
        &server.url(&format!("/api/v1/dossiers/{dossier}/transitions")),
        approver,
        &json!({"to": "approved", "version": version}),
    );
    assert!(s == 200 || s == 201, "{s} {body}");
    let deadline = Instant::now() + Duration::from_secs(15);
    while to_phone() == before {
        assert!(
            Instant::now() < deadline,
            "no SMS to {phone} after the approval: {:?}",
            DevSink::read(&sink)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let last = DevSink::read(&sink)
        .into_iter()
        .rev()
        .find(|l| l.to == phone)
        .expect("a message");
    assert_eq!(last.purpose, "notice", "{}", last.text);
    let grouped = DossierCode::parse(dossier).expect("code").grouped();
    assert!(last.text.contains(&grouped), "{grouped}: {}", last.text);
    assert!(server.stop().success());
}
