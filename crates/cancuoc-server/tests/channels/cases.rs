//! The cases, one behaviour each (a walk through the menu keeps its steps
//! together).

use axum::http::{Method, StatusCode};
use cancuoc_core::channel::speech;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::guidance::guidance;
use cancuoc_core::dossier::workflow::State;
use cancuoc_server::channels::ChannelsConfig;
use cancuoc_service::TransitionCommand;
use cancuoc_store::Store;
use serde_json::json;

use crate::harness::*;

const CALLER: &str = "+84912000001";

/// A code with its check digit changed.
fn wrong_check_digit(code: DossierCode) -> String {
    let mut s = code.to_string();
    let last = s.pop().expect("digit");
    let other = if last == '0' { '1' } else { '0' };
    s.push(other);
    s
}

pub async fn a_channel_without_secrets_is_not_found(store: Store) {
    let w = world_at(store, T0, Some(Default::default())).await;
    for (method, uri) in [
        (Method::POST, "/channels/ivr/twilio"),
        (Method::GET, "/channels/ivr/stringee/answer"),
        (Method::POST, "/channels/ivr/stringee/event"),
        (Method::POST, "/channels/zalo/webhook"),
        (Method::GET, "/channels/messenger/webhook"),
        (Method::POST, "/channels/messenger/webhook"),
    ] {
        let (status, _) = w.raw(method.clone(), uri, b"{}".to_vec(), &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {uri}");
    }
}

pub async fn the_hotline_reads_a_status_by_code(store: Store) {
    let w = world(store).await;
    let d = w
        .dossier("Võ Thị Hoa", "079190012347", "1990-05-17", None)
        .await;
    let docs = w.call(&["4", "1", &format!("{}#", d.code)], CALLER).await;
    assert!(docs[0].contains("<Gather"), "{}", docs[0]);
    assert!(docs[0].contains("numDigits=\"1\""), "{}", docs[0]);
    let answer = said(docs.last().expect("answer"));
    assert!(
        answer.contains(guidance(State::Received).headline_vi),
        "{answer}"
    );
    assert!(answer.contains(&speech::date(d.promised_on)), "{answer}");
    // The code is read back digit by digit, since the caller gave it.
    assert!(
        answer.contains(&speech::digits(&d.code.grouped())),
        "{answer}"
    );
    // Back to the menu: the answer ends in a wait for a key.
    assert!(docs.last().expect("doc").contains("<Gather"));
}

pub async fn the_hotline_reads_a_status_by_id_number_and_birth_date(store: Store) {
    let w = world(store).await;
    let d = w
        .dossier("Võ Thị Hoa", "079190012347", "1990-05-17", None)
        .await;
    let docs = w
        .call(&["4", "2", "079190012347#", "17051990#"], CALLER)
        .await;
    let answer = said(docs.last().expect("answer"));
    assert!(
        answer.contains(guidance(State::Received).headline_vi),
        "{answer}"
    );
    assert!(answer.contains(&speech::date(d.promised_on)), "{answer}");
    // Found without the code: the code is not read out.
    assert!(
        !answer.contains(&speech::digits(&d.code.grouped())),
        "{answer}"
    );
    // A wrong birth date finds nothing, and says so without saying which.
    let docs = w
        .call(&["4", "2", "079190012347#", "18051990#"], "+84912000002")
        .await;
    let answer = said(docs.last().expect("answer"));
    assert!(
        !answer.contains(guidance(State::Received).headline_vi),
        "{answer}"
    );
    assert!(answer.to_lowercase().contains("không tìm thấy"), "{answer}");
}

pub async fn the_hotline_names_a_wrong_check_digit_and_hands_over_after_three(store: Store) {
    let w = world(store).await;
    let d = w
        .dossier("Võ Thị Hoa", "079190012347", "1990-05-17", None)
        .await;
    let bad = format!("{}#", wrong_check_digit(d.code));
    let docs = w.call(&["4", "1", &bad], CALLER).await;
    let first = said(docs.last().expect("doc"));
    assert!(first.contains("kiểm tra"), "{first}");
    assert!(!docs.last().expect("doc").contains("<Dial"));
    let docs = w.call(&["4", "1", &bad, &bad, &bad], CALLER).await;
    let last = docs.last().expect("doc");
    assert!(last.contains("<Dial"), "{last}");
    assert!(last.contains(OPERATOR), "{last}");
}

pub async fn the_hotline_says_not_found_for_an_unknown_code(store: Store) {
    let w = world(store).await;
    let d = w
        .dossier("Võ Thị Hoa", "079190012347", "1990-05-17", None)
        .await;
    // Another well-formed code of the same office and day.
    let other = DossierCode::new(
        d.code.office(),
        d.code.date(),
        (d.code.random() + 1) % 100_000,
    )
    .expect("code");
    let docs = w.call(&["4", "1", &format!("{other}#")], CALLER).await;
    let answer = said(docs.last().expect("answer"));
    assert!(answer.to_lowercase().contains("không tìm thấy"), "{answer}");
    assert!(
        !answer.contains(guidance(State::Received).headline_vi),
        "{answer}"
    );
}

pub async fn outside_opening_hours_the_operator_key_speaks_the_hours(store: Store) {
    // 22:00 in Vietnam: after the hotline's 20:00.
    let w = world_at(store, T0 + 12 * 3600, None).await;
    let menu = cancuoc_core::channel::hotline::menu_on(jiff::civil::date(2026, 11, 23));
    let key = menu
        .items
        .iter()
        .find(|i| i.action == cancuoc_core::channel::hotline::MenuAction::Operator)
        .expect("an operator key")
        .key;
    let docs = w.call(&[&key.to_string()], CALLER).await;
    let last = docs.last().expect("doc");
    assert!(!last.contains("<Dial"), "{last}");
    // The hours, read the Vietnamese way (7:30–20:00).
    assert!(said(last).contains("hai mươi giờ"), "{last}");
    // Inside the hours the same key connects.
    let docs_day = {
        w.advance(-12 * 3600);
        w.call(&[&key.to_string()], CALLER).await
    };
    assert!(docs_day.last().expect("doc").contains("<Dial"));
}

pub async fn a_twilio_request_with_a_bad_signature_is_refused(store: Store) {
    let w = world(store).await;
    let body = b"CallSid=CA1&From=%2B84912000001&Digits=4".to_vec();
    let (status, _) = w
        .raw(
            Method::POST,
            "/channels/ivr/twilio",
            body.clone(),
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("x-twilio-signature", "0/KCTR6DLpKmkAf8muzZqo1nDgQ="),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = w
        .raw(
            Method::POST,
            "/channels/ivr/twilio",
            body,
            &[("content-type", "application/x-www-form-urlencoded")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Signed over another host than the configured public URL: refused.
    let params = vec![("From".to_owned(), CALLER.to_owned())];
    let sig = cancuoc_channels::signature::twilio_sign(
        TWILIO_TOKEN,
        "http://localhost/channels/ivr/twilio",
        &params,
    );
    let (status, _) = w
        .raw(
            Method::POST,
            "/channels/ivr/twilio",
            b"From=%2B84912000001".to_vec(),
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("x-twilio-signature", &sig),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// Follows an SCCO's `input.eventUrl` with `dtmf`.
async fn stringee_step(w: &W, scco: &serde_json::Value, dtmf: &str) -> serde_json::Value {
    let event = scco
        .as_array()
        .expect("an SCCO array")
        .iter()
        .find(|a| a["action"] == "input")
        .and_then(|a| a["eventUrl"].as_str())
        .expect("an input with an event URL")
        .strip_prefix(PUBLIC)
        .expect("under the public URL")
        .to_owned();
    let body = json!({"time": "1795230000000", "dtmf": dtmf, "call_id": "call-vn-1-TEST",
        "customField": "", "timeout": false})
    .to_string();
    let sig = cancuoc_channels::signature::stringee_sign(STRINGEE_SECRET, body.as_bytes());
    let (status, text) = w
        .raw(
            Method::POST,
            &event,
            body.into_bytes(),
            &[
                ("content-type", "application/json"),
                ("x-stringee-signature", &sig),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).expect("SCCO JSON")
}

fn talked(scco: &serde_json::Value) -> String {
    scco.as_array()
        .expect("array")
        .iter()
        .filter(|a| a["action"] == "talk")
        .filter_map(|a| a["text"].as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

pub async fn the_stringee_menu_walks_to_a_status(store: Store) {
    let w = world(store).await;
    let d = w
        .dossier("Võ Thị Hoa", "079190012347", "1990-05-17", None)
        .await;
    let (status, text) = w
        .raw(
            Method::GET,
            "/channels/ivr/stringee/answer?from=84912000001&to=19000368&uuid=u1",
            Vec::new(),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let scco: serde_json::Value = serde_json::from_str(&text).expect("SCCO");
    assert_eq!(scco[0]["action"], "talk", "{scco}");
    let scco = stringee_step(&w, &scco, "4").await;
    // The state in the event URL is signed: edited, it is refused.
    let event = scco
        .as_array()
        .expect("array")
        .iter()
        .find(|a| a["action"] == "input")
        .and_then(|a| a["eventUrl"].as_str())
        .expect("event URL")
        .strip_prefix(PUBLIC)
        .expect("public")
        .replacen("node=status_menu", "node=birth", 1);
    let body = json!({"dtmf": "17051990", "call_id": "c", "timeout": false}).to_string();
    let sig = cancuoc_channels::signature::stringee_sign(STRINGEE_SECRET, body.as_bytes());
    let (status, _) = w
        .raw(
            Method::POST,
            &event,
            body.into_bytes(),
            &[("x-stringee-signature", &sig)],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{event}");
    let scco = stringee_step(&w, &scco, "1").await;
    let scco = stringee_step(&w, &scco, &d.code.to_string()).await;
    let answer = talked(&scco);
    assert!(
        answer.contains(guidance(State::Received).headline_vi),
        "{answer}"
    );
}

pub async fn a_stringee_event_with_a_bad_signature_is_refused(store: Store) {
    let w = world(store).await;
    let (status, _) = w
        .raw(
            Method::POST,
            "/channels/ivr/stringee/event?node=code",
            br#"{"dtmf":"1","call_id":"c","timeout":false}"#.to_vec(),
            &[("x-stringee-signature", "AAAA")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// The texts of the CS messages the fake Zalo API received for `user`.
fn zalo_texts(w: &W, user: &str) -> Vec<String> {
    w.fake
        .captured()
        .iter()
        .filter(|c| c.path.ends_with("/oa/message/cs"))
        // Accepted: answered 200 with the token in force (a refused call
        // is recorded too).
        .filter(|c| c.status == 200 && c.header("access_token") == Some(&w.fake.access_token()))
        .filter(|c| c.body["recipient"]["user_id"] == user)
        .filter_map(|c| c.body["message"]["text"].as_str().map(str::to_owned))
        .collect()
}

pub async fn zalo_answers_a_code_once_even_when_delivered_twice(store: Store) {
    let w = world(store).await;
    let d = w
        .dossier("Võ Thị Hoa", "079190012347", "1990-05-17", None)
        .await;
    // As people type it: grouped with spaces.
    let typed = d.code.grouped();
    let (status, _) = w.zalo("msg-1", "user-1", &typed).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = w.zalo("msg-1", "user-1", &typed).await;
    assert_eq!(status, StatusCode::OK, "a retried delivery is acknowledged");
    w.settle().await;
    let texts = zalo_texts(&w, "user-1");
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(
        texts[0].contains(guidance(State::Received).headline_vi),
        "{}",
        texts[0]
    );
    // The reply quotes the message it answers.
    let cs = w
        .fake
        .captured()
        .into_iter()
        .find(|c| c.path.ends_with("/oa/message/cs"))
        .expect("a CS message");
    assert_eq!(
        cs.body["message"]["quote_message_id"], "msg-1",
        "{}",
        cs.body
    );
}

pub async fn a_zalo_event_with_a_bad_signature_changes_nothing(store: Store) {
    let w = world(store).await;
    let body = json!({"app_id": ZALO_APP, "sender": {"id": "u"}, "recipient": {"id": "oa"},
        "event_name": "user_send_text", "message": {"text": "tra cứu", "msg_id": "m"},
        "timestamp": "1"})
    .to_string();
    let (status, _) = w
        .raw(
            Method::POST,
            "/channels/zalo/webhook",
            body.into_bytes(),
            &[("x-zevent-signature", "mac=00")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        w.service()
            .channel_handle_next()
            .await
            .expect("inbox")
            .is_none(),
        "nothing was kept"
    );
}

pub async fn an_expired_zalo_token_is_refreshed_and_the_new_pair_kept(store: Store) {
    let w = world(store).await;
    w.fake.expire_token_once();
    w.zalo("msg-2", "user-2", "xin chào").await;
    w.settle().await;
    assert_eq!(zalo_texts(&w, "user-2").len(), 1, "sent after the refresh");
    let refreshed = w
        .service()
        .channel_secret("zalo.refresh_token")
        .await
        .expect("store");
    assert!(
        refreshed.as_deref().is_some_and(|t| t != "refresh-1"),
        "the rotated refresh token is kept: {refreshed:?}"
    );
    assert!(
        w.fake
            .captured()
            .iter()
            .any(|c| c.path.ends_with("/oa/access_token")),
        "a refresh was asked"
    );
}

pub async fn messenger_verifies_the_handshake(store: Store) {
    let w = world(store).await;
    let (status, body) = w
        .raw(
            Method::GET,
            &format!(
                "/channels/messenger/webhook?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1158201444"
            ),
            Vec::new(),
            &[],
        )
        .await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "1158201444"));
    let (status, _) = w
        .raw(
            Method::GET,
            "/channels/messenger/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1",
            Vec::new(),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

fn messenger_texts(w: &W, psid: &str) -> Vec<serde_json::Value> {
    w.fake
        .captured()
        .into_iter()
        .filter(|c| c.path.contains("/messages") && c.status == 200)
        .filter(|c| c.body["recipient"]["id"] == psid)
        .map(|c| c.body)
        .collect()
}

pub async fn messenger_answers_without_the_code_and_ignores_echoes(store: Store) {
    let w = world(store).await;
    let d = w
        .dossier("Võ Thị Hoa", "079190012347", "1990-05-17", None)
        .await;
    let form = "Họ tên: Vo Thi Hoa\nNgày sinh: 17/05/1990\nSố CCCD: 079 190 012 347";
    let (status, _) = w
        .messenger(json!([
            {"sender": {"id": "PSID-1"}, "recipient": {"id": "PAGE"}, "timestamp": 1,
             "message": {"mid": "m_1", "text": form}},
            {"sender": {"id": "PAGE"}, "recipient": {"id": "PSID-1"}, "timestamp": 2,
             "message": {"mid": "m_2", "text": "echo", "is_echo": true}}
        ]))
        .await;
    assert_eq!(status, StatusCode::OK);
    w.settle().await;
    let sent = messenger_texts(&w, "PSID-1");
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["messaging_type"], "RESPONSE");
    let text = sent[0]["message"]["text"].as_str().expect("text");
    assert!(
        text.contains(guidance(State::Received).headline_vi),
        "{text}"
    );
    assert!(
        !text.contains(&d.code.grouped()),
        "no code read back: {text}"
    );
    assert!(!text.contains("079190012347"), "no ID number: {text}");
}

pub async fn asking_for_an_officer_puts_the_chat_in_the_inbox(store: Store) {
    let w = world(store).await;
    // Without a lookup the conversation is about no office: an admin's.
    w.zalo("msg-3a", "user-3a", "Gặp cán bộ").await;
    w.settle().await;
    let admin_sees = w.service().chat_inbox(&w.admin, true).await.expect("inbox");
    let lone = admin_sees
        .iter()
        .find(|c| c.sender == "user-3a")
        .expect("in the admin's inbox");
    assert!(
        w.service()
            .chat_inbox(&w.receptionist, true)
            .await
            .expect("inbox")
            .iter()
            .all(|c| c.sender != "user-3a"),
        "not in every receptionist's inbox"
    );
    assert!(
        w.service()
            .chat_conversation(&w.receptionist, lone.id)
            .await
            .is_err()
    );
    // After a lookup of a dossier of the district, its reception answers.
    let d = w
        .dossier("Võ Thị Hoa", "079190012347", "1990-05-17", None)
        .await;
    w.zalo("msg-3b", "user-3", &d.code.to_string()).await;
    w.zalo("msg-3", "user-3", "Gặp cán bộ").await;
    w.settle().await;
    let inbox = w
        .service()
        .chat_inbox(&w.receptionist, true)
        .await
        .expect("inbox");
    let conv = inbox
        .iter()
        .find(|c| c.sender == "user-3")
        .expect("the conversation is in the inbox");
    assert!(conv.human);
    // While with a human, the bot stays silent; the transcript keeps no
    // full ID number.
    w.zalo("msg-4", "user-3", "Xin hỏi hồ sơ của tôi").await;
    w.zalo("msg-4b", "user-3", "Số CCCD 079190012347").await;
    w.settle().await;
    let before = zalo_texts(&w, "user-3").len();
    w.service()
        .chat_reply(
            &w.receptionist,
            conv.id,
            "Chào anh, tôi là cán bộ tiếp nhận.",
        )
        .await
        .expect("reply");
    w.settle().await;
    let texts = zalo_texts(&w, "user-3");
    assert_eq!(texts.len(), before + 1, "{texts:?}");
    assert_eq!(
        texts.last().map(String::as_str),
        Some("Chào anh, tôi là cán bộ tiếp nhận.")
    );
    let lines = w
        .service()
        .chat_conversation(&w.receptionist, conv.id)
        .await
        .expect("conversation")
        .lines;
    assert!(lines.iter().any(|l| l.text == "Xin hỏi hồ sơ của tôi"));
    assert!(
        lines.iter().all(|l| !l.text.contains("079190012347")),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l.text.starts_with("Số CCCD 079")));
    assert!(lines.iter().any(|l| l.author.starts_with("officer:")));
    w.service()
        .chat_close(&w.receptionist, conv.id)
        .await
        .expect("close");
    assert!(
        w.service()
            .chat_inbox(&w.receptionist, true)
            .await
            .expect("inbox")
            .iter()
            .all(|c| c.sender != "user-3")
    );
}

pub async fn a_failing_provider_is_retried_then_dead_lettered(store: Store) {
    let w = world(store).await;
    w.fake.fail_next(100);
    w.zalo("msg-5", "user-5", "tra cứu").await;
    w.settle().await;
    assert!(zalo_texts(&w, "user-5").is_empty());
    // Each retry waits its back-off; the row dies after the last attempt.
    for _ in 0..12 {
        w.advance(3600);
        w.settle().await;
    }
    let dead = w
        .service()
        .dead_letters(&w.admin)
        .await
        .expect("dead letters");
    assert_eq!(dead.len(), 1, "{dead:?}");
    assert!(dead[0].last_error.is_some());
    // An admin puts it back once the provider works again.
    w.fake.fail_next(0);
    w.service()
        .retry_dead_letter(&w.admin, dead[0].id)
        .await
        .expect("retry");
    w.settle().await;
    assert_eq!(zalo_texts(&w, "user-5").len(), 1);
    assert!(
        w.service().dead_letters(&w.receptionist).await.is_err(),
        "admins only"
    );
}

async fn step(
    w: &W,
    officer: &cancuoc_store::Officer,
    code: DossierCode,
    to: State,
    note: Option<&str>,
) {
    let d = w.store.dossier(code).await.expect("dossier");
    w.service()
        .transition(
            officer,
            TransitionCommand {
                code,
                to,
                note: note.map(str::to_owned),
                expected_version: d.version,
                idempotency_key: Some(format!("{code}-{}-{}", to.code(), d.version)),
                population_data_changed: Some(false),
                old_document: None,
                at: None,
            },
        )
        .await
        .expect("step");
}

pub async fn notifications_follow_the_stages_exactly_once(store: Store) {
    let w = world(store).await;
    let with = w
        .dossier(
            "Võ Thị Hoa",
            "079190012347",
            "1990-05-17",
            Some("0912345678"),
        )
        .await;
    let without = w
        .dossier("Lý Thị Lan", "079190012348", "1990-05-17", None)
        .await;
    w.settle().await;
    let sent = w.sms.sent();
    assert_eq!(sent.len(), 1, "one SMS at reception: {sent:?}");
    assert_eq!(sent[0].to.as_str(), "0912345678");
    let text = &sent[0].text;
    assert!(
        text.contains(&with.code.to_string()) || text.contains(&with.code.grouped()),
        "{text}"
    );
    assert!(text.is_ascii(), "{text}");
    assert!(cancuoc_core::account::sms::segments(text) <= 2, "{text}");
    // Through the workflow: rejected (with the reason), back, approved,
    // printed, dispatched, ready for pickup.
    for code in [with.code, without.code] {
        step(&w, &w.receptionist, code, State::Captured, None).await;
        step(&w, &w.receptionist, code, State::SlipIssued, None).await;
        step(&w, &w.receptionist, code, State::SentToCentre, None).await;
        step(
            &w,
            &w.processor,
            code,
            State::Rejected,
            Some("Anh chan dung bi mo"),
        )
        .await;
        step(
            &w,
            &w.receptionist,
            code,
            State::SentToCentre,
            Some("Chup lai anh"),
        )
        .await;
        step(&w, &w.approver, code, State::Approved, None).await;
        step(&w, &w.printer, code, State::Printed, None).await;
        step(&w, &w.dispatcher, code, State::Dispatched, None).await;
        step(&w, &w.return_officer, code, State::ReadyForPickup, None).await;
    }
    // A retried step (same idempotency key) is a replay: nothing new.
    let d = w.store.dossier(with.code).await.expect("dossier");
    let replay = w
        .service()
        .transition(
            &w.return_officer,
            TransitionCommand {
                code: with.code,
                to: State::ReadyForPickup,
                note: None,
                expected_version: d.version - 1,
                idempotency_key: Some(format!(
                    "{}-{}-{}",
                    with.code,
                    State::ReadyForPickup.code(),
                    d.version - 1
                )),
                population_data_changed: Some(false),
                old_document: None,
                at: None,
            },
        )
        .await
        .expect("replay");
    assert!(replay.replayed);
    w.settle().await;
    w.settle().await;
    let sent = w.sms.sent();
    let texts: Vec<&str> = sent.iter().map(|m| m.text.as_str()).collect();
    // Received, rejected, approved, ready for pickup: once each, all to
    // the consenting citizen, none for the other dossier.
    assert_eq!(sent.len(), 4, "{texts:#?}");
    assert!(sent.iter().all(|m| m.to.as_str() == "0912345678"));
    assert!(texts[1].contains("Anh chan dung bi mo"), "{texts:#?}");
    for t in &texts {
        assert!(t.is_ascii(), "{t}");
        assert!(cancuoc_core::account::sms::segments(t) <= 2, "{t}");
    }
}

pub async fn a_dispatcher_crash_mid_delivery_sends_once(store: Store) {
    let w = world(store).await;
    let d = w
        .dossier(
            "Võ Thị Hoa",
            "079190012347",
            "1990-05-17",
            Some("0912345678"),
        )
        .await;
    // A dispatcher claims the row, delivers it and dies before marking it
    // sent: the row stays leased.
    let claimed = w.service().claim_outbound(16).await.expect("claim");
    assert_eq!(claimed.len(), 1);
    let o = &claimed[0];
    let cancuoc_service::channels::OutboundBody::Notice { sms, .. } = &o.body else {
        panic!("a notice: {o:?}");
    };
    w.service()
        .send_notice_sms(&o.recipient, sms, &o.key)
        .await
        .expect("delivered before the crash");
    // A new dispatcher sees nothing while the lease holds…
    assert!(
        w.service()
            .claim_outbound(16)
            .await
            .expect("claim")
            .is_empty()
    );
    // … and delivers it again after: the gateway drops the repeat by key.
    w.advance(600);
    w.settle().await;
    let sent = w.sms.sent();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].text.contains(&d.code.to_string()) || sent[0].text.contains(&d.code.grouped()));
    w.advance(600);
    assert!(
        w.service()
            .claim_outbound(16)
            .await
            .expect("claim")
            .is_empty()
    );
}

pub async fn a_sender_asking_too_often_is_throttled(store: Store) {
    let w = world(store).await;
    let d = w
        .dossier("Võ Thị Hoa", "079190012347", "1990-05-17", None)
        .await;
    let max = w.service().channel_settings().lookups_per_sender.max;
    for i in 0..=max {
        w.zalo(&format!("msg-t{i}"), "user-t", &d.code.to_string())
            .await;
    }
    w.settle().await;
    let texts = zalo_texts(&w, "user-t");
    assert_eq!(texts.len(), max as usize + 1);
    let headline = guidance(State::Received).headline_vi;
    assert!(texts[..max as usize].iter().all(|t| t.contains(headline)));
    let last = texts.last().expect("last");
    assert!(!last.contains(headline), "{last}");
    assert!(last.contains("thử lại"), "{last}");
    // Another sender is not held back.
    w.zalo("msg-t-other", "user-t2", &d.code.to_string()).await;
    w.settle().await;
    assert!(zalo_texts(&w, "user-t2")[0].contains(headline));
}

pub async fn a_notice_by_zalo_goes_as_a_zns_template_where_configured(store: Store) {
    let w = world_with(store, T0, |base| {
        let mut config = channels(base);
        if let Some(z) = config.zalo.as_mut() {
            z.zns_templates
                .insert("received".to_owned(), "tpl-received-TEST".to_owned());
        }
        config
    })
    .await;
    let mut c = cancuoc_testkit::world::citizen(
        "Võ Thị Hoa",
        "1990-05-17",
        cancuoc_core::person::Sex::Female,
        Some("079190012347"),
    );
    c.phone = Some("0900000000".to_owned());
    let id = w
        .store
        .register_citizen(&c, cancuoc_store::IdAssignment::AsGiven, None, T0 - 3600)
        .await
        .expect("citizen")
        .id;
    w.service()
        .open_dossier(
            &w.receptionist,
            cancuoc_service::OpenDossier {
                notify: Some(cancuoc_service::NotifyChoice {
                    phone: cancuoc_core::phone::PhoneNumber::parse("0912345678").expect("phone"),
                    channel: cancuoc_core::channel::Channel::Zalo,
                }),
                ..cancuoc_service::OpenDossier::walk_in(
                    id,
                    cancuoc_core::rules::Reason::parse("first-issue").expect("reason"),
                )
            },
        )
        .await
        .expect("dossier");
    w.settle().await;
    assert!(w.sms.sent().is_empty(), "not by SMS: {:?}", w.sms.sent());
    let zns: Vec<_> = w
        .fake
        .captured()
        .into_iter()
        .filter(|c| c.path.ends_with("/message/template"))
        .collect();
    assert_eq!(zns.len(), 1);
    assert_eq!(zns[0].body["phone"], "84912345678");
    assert_eq!(zns[0].body["template_id"], "tpl-received-TEST");
    assert!(
        zns[0].body["tracking_id"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
}

pub async fn outside_hours_a_chat_waits_for_an_officer_while_the_bot_answers(store: Store) {
    // 22:00 in Vietnam.
    let w = world_at(store, T0 + 12 * 3600, None).await;
    let d = w
        .dossier("Võ Thị Hoa", "079190012347", "1990-05-17", None)
        .await;
    w.zalo("msg-n1", "user-n", "gặp cán bộ").await;
    w.settle().await;
    assert!(
        w.service()
            .chat_inbox(&w.admin, true)
            .await
            .expect("inbox")
            .iter()
            .any(|c| c.sender == "user-n"),
        "kept for the officers"
    );
    w.zalo("msg-n2", "user-n", &d.code.to_string()).await;
    w.settle().await;
    let texts = zalo_texts(&w, "user-n");
    assert!(
        texts
            .last()
            .is_some_and(|t| t.contains(guidance(State::Received).headline_vi)),
        "{texts:?}"
    );
}

pub async fn only_reception_and_admins_answer_chats(store: Store) {
    let w = world(store).await;
    w.zalo("msg-r1", "user-r", "gặp cán bộ").await;
    w.settle().await;
    let id = w
        .service()
        .chat_inbox(&w.admin, true)
        .await
        .expect("inbox")
        .first()
        .expect("a conversation")
        .id;
    let refused = w
        .service()
        .chat_reply(&w.printer, id, "xin chào")
        .await
        .expect_err("a printer does not answer chats");
    assert_eq!(refused.class(), cancuoc_service::ErrorClass::Forbidden);
    assert!(w.service().chat_inbox(&w.printer, true).await.is_err());
}

pub async fn an_overdue_dossier_gets_one_apology_with_a_new_date(store: Store) {
    let w = world(store).await;
    let d = w
        .dossier(
            "Võ Thị Hoa",
            "079190012347",
            "1990-05-17",
            Some("0912345678"),
        )
        .await;
    w.settle().await;
    assert_eq!(w.sms.sent().len(), 1, "the reception notice");
    // Nothing is overdue yet.
    assert_eq!(w.service().sweep_overdue_notices().await.expect("sweep"), 0);
    // Ten days after the promised date, still at reception.
    let days = (d.promised_on - jiff::civil::date(2026, 11, 23)).get_days() + 10;
    w.advance(i64::from(days) * 86_400);
    assert_eq!(w.service().sweep_overdue_notices().await.expect("sweep"), 1);
    assert_eq!(w.service().sweep_overdue_notices().await.expect("sweep"), 0);
    w.settle().await;
    let sent = w.sms.sent();
    assert_eq!(sent.len(), 2, "{sent:?}");
    let text = &sent[1].text;
    assert!(text.starts_with("Xin loi ban"), "{text}");
    assert!(text.contains("Ngay tra du kien moi"), "{text}");
    assert!(cancuoc_core::account::sms::segments(text) <= 2, "{text}");
}

pub async fn zalos_verification_file_is_served_at_the_root_when_set(store: Store) {
    let w = world_with(store, T0, |base| ChannelsConfig {
        zalo_verifier: Some(cancuoc_server::channels::ZaloVerifier {
            file_name: "zalo_verifierAbC123.html".to_owned(),
            html: "<html>zalo-verification TEST</html>".to_owned(),
        }),
        ..channels(base)
    })
    .await;
    let (status, body) = w
        .raw(Method::GET, "/zalo_verifierAbC123.html", Vec::new(), &[])
        .await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "<html>zalo-verification TEST</html>")
    );
    let (status, _) = w
        .raw(Method::GET, "/zalo_verifierOTHER.html", Vec::new(), &[])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
