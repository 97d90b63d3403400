//! The citizens' channels in the store: a retried delivery stored once, a
//! claimed message leased and claimed again after its handler crashed,
//! finished once however often it is finished, the officers' chat inbox,
//! the outbox's claims, retries, dead letters and second chances (also
//! under concurrent dispatchers), the notices written in the transaction of
//! a dossier's step (once per event, none without consent, none on a
//! replay), the overdue sweep run twice, the per-channel counts, and (on
//! an SQLite file) chat traffic that leaves the status answer cache warm
//! because it lives beside the main file.

use std::collections::HashSet;

use cancuoc_core::dossier::workflow::State;
use cancuoc_store::*;
use jiff::civil::date;

use super::assert_not_found;
use super::cache::ask;
use crate::fixtures::*;

/// An instant after every other of these tests.
const FAR: i64 = T0 + 10_000_000;

fn msg(channel: &str, id: &str, sender: &str, text: &str, at: i64) -> InboundMessage {
    InboundMessage {
        channel: channel.into(),
        message_id: id.into(),
        sender: sender.into(),
        text: text.into(),
        received_at: at,
    }
}

fn update(item: &InboxItem, state: &str, office: Option<u16>, human: bool) -> ConversationUpdate {
    ConversationUpdate {
        channel: item.channel.clone(),
        sender: item.sender.clone(),
        state: state.into(),
        office_code: office,
        human,
    }
}

fn line(at: i64, inbound: bool, author: &str, text: &str) -> ChatLine {
    ChatLine {
        at,
        inbound,
        author: author.into(),
        text: text.into(),
    }
}

fn reply(channel: &str, to: &str, key: &str, text: &str) -> NewOutbound {
    NewOutbound {
        channel: channel.into(),
        recipient: to.into(),
        kind: "reply".into(),
        payload: format!(r#"{{"text":"{text}"}}"#),
        dedupe_key: key.into(),
    }
}

fn lookup(channel: &str, sender: &str, kind: &str, target: &str, found: bool) -> ChannelLookup {
    ChannelLookup {
        at: T0,
        channel: channel.into(),
        sender: sender.into(),
        kind: kind.into(),
        target: target.into(),
        found,
    }
}

fn sms(phone: &str) -> NotifyConsent {
    NotifyConsent {
        phone: phone.into(),
        channel: "sms".into(),
    }
}

/// Whether replies live in a database of their own (an SQLite file).
fn split(s: &Store) -> bool {
    s.backend() == Backend::Sqlite
}

/// Claims one message, which must be there.
async fn claim(s: &Store, now: i64) -> InboxItem {
    s.claim_inbound(now, 60)
        .await
        .expect("claim")
        .expect("a message to handle")
}

/// Every due pending outbox row, left claimable (a lease of 0 seconds).
async fn pending(s: &Store) -> Vec<OutboxItem> {
    s.claim_outbox(FAR, 0, 100).await.expect("claim outbox")
}

pub async fn channels_inbound_is_stored_once_and_claimed_again_after_a_crash(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    assert_eq!(s.claim_inbound(T0, 60).await.expect("empty"), None);
    let first = msg("zalo", "mid-1", "u-100", "0790 2611 2100 0019", T0);
    assert!(s.receive_inbound(&first).await.expect("receive"));
    // Zalo retries a delivery it did not see acknowledged in time.
    let mut again = first.clone();
    again.received_at = T0 + 5;
    again.text = "changed on the way".into();
    assert!(!s.receive_inbound(&again).await.expect("retry"));
    // The same id on another channel is another message.
    assert!(
        s.receive_inbound(&msg("messenger", "mid-1", "p-1", "hi", T0 + 1))
            .await
            .expect("other channel")
    );
    let item = claim(s, T0 + 10).await;
    assert_eq!(
        item,
        InboxItem {
            id: item.id,
            channel: "zalo".into(),
            message_id: "mid-1".into(),
            sender: "u-100".into(),
            text: "0790 2611 2100 0019".into(),
            received_at: T0,
            attempts: 1,
        }
    );
    // Leased: the next handler takes the next message, then nothing.
    let other = s
        .claim_inbound(T0 + 11, 10_000)
        .await
        .expect("claim")
        .expect("the other");
    assert_eq!((other.channel.as_str(), other.attempts), ("messenger", 1));
    assert_eq!(s.claim_inbound(T0 + 12, 60).await.expect("leased"), None);
    // The first handler crashed; its lease runs out and the message is
    // claimed again, the attempt counted.
    assert_eq!(s.claim_inbound(T0 + 69, 60).await.expect("not yet"), None);
    let retaken = claim(s, T0 + 70).await;
    assert_eq!((retaken.id, retaken.attempts), (item.id, 2));
    // Two handlers at once take different messages.
    for n in 0..4 {
        let m = msg("zalo", &format!("burst-{n}"), "u-200", "tra cứu", T0 + 90);
        assert!(s.receive_inbound(&m).await.expect("burst"));
    }
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            s.claim_inbound(T0 + 100, 600).await.expect("claim")
        }));
    }
    let mut ids = HashSet::new();
    for t in tasks {
        let got = t.await.expect("join").expect("one each");
        assert!(got.message_id.starts_with("burst-"), "{got:?}");
        assert!(ids.insert(got.id), "claimed twice: {got:?}");
    }
    assert_eq!(
        s.claim_inbound(T0 + 101, 60).await.expect("all taken"),
        None
    );
    // Bad input is named, not stored.
    let blank = msg("zalo", " ", "u-1", "x", T0);
    match s.receive_inbound(&blank).await {
        Err(StoreError::Invalid(Invalid::Field { field, .. })) => assert_eq!(field, "message_id"),
        other => panic!("expected a field error, got {other:?}"),
    }
}

pub async fn channels_finish_a_message_twice_and_answer_it_once(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    s.receive_inbound(&msg("zalo", "m-1", "u-1", "tra cứu", T0))
        .await
        .expect("receive");
    let item = claim(s, T0).await;
    let lines = [
        line(T0, true, "citizen", "tra cứu"),
        line(T0 + 1, false, "bot", "Nhập mã hồ sơ"),
    ];
    let replies = [reply("zalo", "u-1", "reply:m-1:1", "Nhập mã hồ sơ")];
    let lookups = [lookup(
        "zalo",
        "u-1",
        "person",
        "079090000075 17/05/1990",
        false,
    )];
    let up = update(&item, r#"{"step":"ask_code"}"#, None, false);
    let id = s
        .finish_inbound(item.id, &up, &lines, &replies, &lookups, T0 + 1)
        .await
        .expect("finish");
    // A second handler whose lease had expired finishes it again: nothing
    // more is written, and it is told the conversation.
    let later = update(&item, r#"{"step":"other"}"#, Some(DISTRICT), true);
    let twice = s
        .finish_inbound(
            item.id,
            &later,
            &lines,
            &[reply("zalo", "u-1", "reply:m-1:x", "again")],
            &lookups,
            T0 + 90,
        )
        .await
        .expect("finish again");
    assert_eq!(twice, id);
    let c = s
        .conversation("zalo", "u-1")
        .await
        .expect("read")
        .expect("made");
    assert_eq!(
        c,
        ConversationRecord {
            id,
            channel: "zalo".into(),
            sender: "u-1".into(),
            state: r#"{"step":"ask_code"}"#.into(),
            office_code: None,
            human: false,
            opened_at: T0 + 1,
            updated_at: T0 + 1,
        }
    );
    assert_eq!(s.conversation_by_id(id).await.expect("by id"), c);
    assert_eq!(s.chat_lines(id, 50).await.expect("lines"), lines);
    let out = pending(s).await;
    assert_eq!(out.len(), 1, "{out:?}");
    assert_eq!(
        (
            out[0].id.side,
            out[0].kind.as_str(),
            out[0].recipient.as_str()
        ),
        (split(s), "reply", "u-1")
    );
    assert_eq!(out[0].payload, r#"{"text":"Nhập mã hồ sơ"}"#);
    // Handled: nobody claims it again, even after the lease.
    assert_eq!(s.claim_inbound(FAR, 60).await.expect("handled"), None);
    // The lookup was audited masked: one, not found.
    let counts = s.channel_counts(0).await.expect("counts");
    assert_eq!(
        (counts.rows[0].lookups, counts.rows[0].lookups_found),
        (1, 0)
    );
    // The next message of the same sender continues the conversation.
    s.receive_inbound(&msg("zalo", "m-2", "u-1", "0790", T0 + 100))
        .await
        .expect("receive");
    let next = claim(s, T0 + 100).await;
    let same = s
        .finish_inbound(
            next.id,
            &update(&next, "{}", Some(DISTRICT), false),
            &[line(T0 + 100, true, "citizen", "0790")],
            &[],
            &[],
            T0 + 100,
        )
        .await
        .expect("continue");
    assert_eq!(same, id);
    assert_eq!(s.chat_lines(id, 50).await.expect("lines").len(), 3);
    // Errors: an unknown message, another sender's conversation, a bad author.
    assert_not_found(
        s.finish_inbound(999_999, &up, &[], &[], &[], T0).await,
        Entity::InboundMessage,
    );
    s.receive_inbound(&msg("zalo", "m-3", "u-3", "x", T0 + 200))
        .await
        .expect("receive");
    let third = claim(s, T0 + 200).await;
    assert!(matches!(
        s.finish_inbound(third.id, &up, &[], &[], &[], T0 + 200)
            .await,
        Err(StoreError::Invalid(Invalid::Field {
            field: "update",
            ..
        }))
    ));
    let up3 = update(&third, "{}", None, false);
    assert!(matches!(
        s.finish_inbound(
            third.id,
            &up3,
            &[line(T0, true, "someone", "x")],
            &[],
            &[],
            T0 + 200
        )
        .await,
        Err(StoreError::Invalid(Invalid::Field {
            field: "line.author",
            ..
        }))
    ));
    assert_eq!(s.conversation("zalo", "u-3").await.expect("read"), None);
    assert_not_found(s.conversation_by_id(999_999).await, Entity::Conversation);
    assert_not_found(s.chat_lines(999_999, 10).await, Entity::Conversation);
}

pub async fn channels_officers_answer_only_conversations_handed_to_them(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let open =
        |channel: &'static str, sender: &'static str, human: bool, office: Option<u16>, at: i64| {
            let s = s.clone();
            async move {
                s.receive_inbound(&msg(
                    channel,
                    &format!("{sender}-m"),
                    sender,
                    "gặp cán bộ",
                    at,
                ))
                .await
                .expect("receive");
                let item = claim(&s, at).await;
                s.finish_inbound(
                    item.id,
                    &update(&item, "{}", office, human),
                    &[
                        line(at, true, "citizen", "gặp cán bộ"),
                        line(at, false, "bot", "Đã chuyển cho cán bộ"),
                    ],
                    &[],
                    &[],
                    at,
                )
                .await
                .expect("finish")
            }
        };
    let mine = open("zalo", "u-1", true, Some(DISTRICT), T0 + 10).await;
    let bot = open("zalo", "u-2", false, None, T0 + 20).await;
    let elsewhere = open("messenger", "p-3", true, Some(OTHER_DISTRICT), T0 + 30).await;
    let ids = |v: Vec<ConversationRecord>| v.into_iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(
        ids(s
            .conversations(true, Some(DISTRICT), 10)
            .await
            .expect("inbox")),
        [mine]
    );
    // A conversation about no office is not listed for an office.
    assert_eq!(
        ids(s
            .conversations(false, Some(DISTRICT), 10)
            .await
            .expect("all here")),
        [mine]
    );
    assert_eq!(
        ids(s.conversations(false, None, 10).await.expect("all")),
        [elsewhere, bot, mine]
    );
    assert_eq!(
        ids(s.conversations(true, None, 1).await.expect("one")),
        [elsewhere]
    );
    // The bot's conversation is not an officer's to answer.
    let r = reply("zalo", "u-2", "officer:u-2:1", "Chào anh");
    match s
        .officer_reply(bot, w.receptionist.id, "Chào anh", &r, T0 + 40)
        .await
    {
        Err(StoreError::Conflict(Conflict::NotWithHuman { conversation })) => {
            assert_eq!(conversation, bot)
        }
        other => panic!("expected NotWithHuman, got {other:?}"),
    }
    assert_not_found(
        s.officer_reply(999_999, w.receptionist.id, "x", &r, T0)
            .await,
        Entity::Conversation,
    );
    assert!(
        pending(s).await.is_empty(),
        "a refused reply writes nothing"
    );
    let r = reply("zalo", "u-1", "officer:u-1:1", "Hồ sơ của anh đang in");
    s.officer_reply(
        mine,
        w.receptionist.id,
        "Hồ sơ của anh đang in",
        &r,
        T0 + 50,
    )
    .await
    .expect("reply");
    let officer = format!("officer:{}", w.receptionist.id.0);
    assert_eq!(
        s.chat_lines(mine, 2).await.expect("last two"),
        [
            line(T0 + 10, false, "bot", "Đã chuyển cho cán bộ"),
            line(T0 + 50, false, &officer, "Hồ sơ của anh đang in"),
        ]
    );
    assert_eq!(s.chat_lines(mine, 10).await.expect("all").len(), 3);
    let c = s.conversation_by_id(mine).await.expect("read");
    assert_eq!((c.human, c.updated_at), (true, T0 + 50));
    let out = pending(s).await;
    assert_eq!(out.len(), 1);
    assert_eq!(
        (out[0].recipient.as_str(), out[0].payload.as_str()),
        ("u-1", r#"{"text":"Hồ sơ của anh đang in"}"#)
    );
    // Closed: back to the bot, and officers' replies are refused.
    s.close_conversation(mine, r#"{"step":"menu"}"#, T0 + 60)
        .await
        .expect("close");
    let c = s.conversation_by_id(mine).await.expect("read");
    assert_eq!(
        (c.human, c.state.as_str(), c.updated_at),
        (false, r#"{"step":"menu"}"#, T0 + 60)
    );
    assert!(matches!(
        s.officer_reply(mine, w.receptionist.id, "x", &r, T0 + 70)
            .await,
        Err(StoreError::Conflict(Conflict::NotWithHuman { .. }))
    ));
    assert!(
        s.conversations(true, Some(DISTRICT), 10)
            .await
            .expect("empty")
            .is_empty()
    );
    assert_not_found(
        s.close_conversation(999_999, "{}", T0).await,
        Entity::Conversation,
    );
}

pub async fn channels_outbox_retries_buries_and_revives(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let side = split(s);
    s.receive_inbound(&msg("zalo", "m-1", "u-1", "hi", T0))
        .await
        .expect("receive");
    let item = claim(s, T0).await;
    let replies: Vec<NewOutbound> = (1..=5)
        .map(|n| {
            reply(
                "zalo",
                "u-1",
                &format!("reply:m-1:{n}"),
                &format!("part {n}"),
            )
        })
        .collect();
    s.finish_inbound(
        item.id,
        &update(&item, "{}", None, false),
        &[],
        &replies,
        &[],
        T0,
    )
    .await
    .expect("finish");
    // Two dispatchers at once share the five, none twice.
    let (a, b) = (s.clone(), s.clone());
    let ta = tokio::spawn(async move { a.claim_outbox(T0 + 1, 30, 3).await.expect("a") });
    let tb = tokio::spawn(async move { b.claim_outbox(T0 + 1, 30, 3).await.expect("b") });
    let (ra, rb) = (ta.await.expect("join"), tb.await.expect("join"));
    let mut seen: Vec<OutboxId> = ra.iter().chain(&rb).map(|o| o.id).collect();
    assert_eq!(ra.len() + rb.len(), 5, "{ra:?} {rb:?}");
    seen.sort_by_key(|i| i.id);
    seen.dedup();
    assert_eq!(seen.len(), 5);
    assert!(seen.iter().all(|i| i.side == side));
    // Leased: nothing to claim until the lease ends.
    assert!(
        s.claim_outbox(T0 + 2, 30, 10)
            .await
            .expect("leased")
            .is_empty()
    );
    let all = s.claim_outbox(T0 + 31, 30, 10).await.expect("lease over");
    assert_eq!(all.len(), 5);
    assert!(all.iter().all(|o| o.attempts == 2), "{all:?}");
    assert_eq!(all[0].payload, r#"{"text":"part 1"}"#);
    let (first, second, third) = (all[0].id, all[1].id, all[2].id);
    s.outbox_sent(first, T0 + 32).await.expect("sent");
    s.outbox_failed(
        second,
        "HTTP 200, error -216: access token invalid",
        Some(T0 + 100),
        T0 + 32,
    )
    .await
    .expect("retry later");
    s.outbox_failed(third, "user blocked the OA", None, T0 + 32)
        .await
        .expect("give up");
    // The other two: sent.
    s.outbox_sent(all[3].id, T0 + 32).await.expect("sent");
    s.outbox_sent(all[4].id, T0 + 32).await.expect("sent");
    assert!(
        s.claim_outbox(T0 + 99, 30, 10)
            .await
            .expect("not due")
            .is_empty()
    );
    let due = s.claim_outbox(T0 + 100, 30, 10).await.expect("due");
    assert_eq!(due.len(), 1);
    assert_eq!(
        (
            due[0].id,
            due[0].attempts,
            due[0].next_at,
            due[0].last_error.as_deref()
        ),
        (
            second,
            3,
            T0 + 100,
            Some("HTTP 200, error -216: access token invalid")
        )
    );
    s.outbox_failed(second, "still failing", None, T0 + 101)
        .await
        .expect("give up");
    let dead = s.dead_letters(10).await.expect("dead");
    let dead_ids: Vec<OutboxId> = dead.iter().map(|o| o.id).collect();
    assert_eq!(dead_ids, [third, second]);
    assert_eq!(
        (dead[1].state.as_str(), dead[1].last_error.as_deref()),
        ("dead", Some("still failing"))
    );
    // The console writes and reads the ids.
    assert_eq!(
        second.to_string().parse::<OutboxId>().expect("parse"),
        second
    );
    // An admin sends one again: pending, due now, attempts from zero.
    s.retry_dead(third, T0 + 200).await.expect("revive");
    s.retry_dead(third, T0 + 201)
        .await
        .expect("a second click changes nothing");
    let back = s.claim_outbox(T0 + 200, 30, 10).await.expect("revived");
    assert_eq!(back.len(), 1);
    assert_eq!(
        (back[0].id, back[0].attempts, back[0].state.as_str()),
        (third, 1, "pending")
    );
    s.outbox_sent(third, T0 + 201).await.expect("sent at last");
    // A late failure report of a sent message changes nothing.
    s.outbox_failed(third, "late", None, T0 + 202)
        .await
        .expect("no-op");
    assert_eq!(s.dead_letters(10).await.expect("dead").len(), 1);
    assert!(pending(s).await.is_empty());
    // Unknown rows are named.
    let unknown = OutboxId {
        side: false,
        id: 999_999,
    };
    assert_not_found(s.outbox_sent(unknown, T0).await, Entity::OutboundMessage);
    assert_not_found(
        s.outbox_failed(unknown, "x", None, T0).await,
        Entity::OutboundMessage,
    );
    assert_not_found(s.retry_dead(unknown, T0).await, Entity::OutboundMessage);
    assert!("x:12".parse::<OutboxId>().is_err());
    assert!("m:-1".parse::<OutboxId>().is_err());
    // A bad kind is refused before anything is written.
    s.receive_inbound(&msg("zalo", "m-2", "u-1", "hi", T0))
        .await
        .expect("receive");
    let item = claim(s, T0 + 300).await;
    let mut bad = reply("zalo", "u-1", "k", "x");
    bad.kind = "spam".into();
    assert!(matches!(
        s.finish_inbound(
            item.id,
            &update(&item, "{}", None, false),
            &[],
            &[bad],
            &[],
            T0
        )
        .await,
        Err(StoreError::Invalid(Invalid::Field {
            field: "outbound.kind",
            ..
        }))
    ));
}

pub async fn channels_a_step_of_a_consented_dossier_writes_one_notice(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Trần Thị Báo", "079190000081").await;
    // Opened received with a consent: the reception notice, event 1.
    let mut n = new_dossier(
        CodeSource::Given(code(41_001)),
        c.id,
        Some(w.receptionist.id),
        State::Received,
        date(2026, 12, 1),
    );
    n.notify = Some(sms(" 0912345678 "));
    let d1 = s.create_dossier(n).await.expect("consented");
    assert_eq!(
        s.notify_consent(d1.code).await.expect("consent"),
        Some(sms("0912345678"))
    );
    let out = pending(s).await;
    assert_eq!(out.len(), 1, "{out:?}");
    assert_eq!(
        (
            out[0].id.side,
            out[0].channel.as_str(),
            out[0].recipient.as_str(),
            out[0].kind.as_str(),
            out[0].payload.clone(),
            out[0].next_at,
        ),
        (
            false,
            "sms",
            "0912345678",
            "notify",
            format!(r#"{{"code":"{}","notice":"received","seq":1}}"#, d1.code),
            T0,
        )
    );
    // A step that is not notified writes nothing.
    capture(s, &d1, &w.receptionist).await;
    assert_eq!(pending(s).await.len(), 1);
    // A refusal of a dossier that consented by Zalo: one notice, and a
    // replay of the same request none.
    let mut n = new_dossier(
        CodeSource::Given(code(41_002)),
        c.id,
        Some(w.receptionist.id),
        State::Received,
        date(2026, 12, 1),
    );
    n.notify = Some(NotifyConsent {
        phone: "0987654321".into(),
        channel: "zalo".into(),
    });
    let d2 = s.create_dossier(n).await.expect("consented by zalo");
    let mut r = step(&d2, 1, State::Refused, &w.receptionist);
    r.note = Some("Thiếu giấy khai sinh".into());
    r.idempotency_key = Some("refuse-41002".into());
    assert!(!s.apply_transition(&r).await.expect("refuse").replayed);
    assert!(s.apply_transition(&r).await.expect("replay").replayed);
    // A dossier without consent: its refusal notifies nobody.
    let d3 = received(&w, 41_003, c.id).await;
    let mut r3 = step(&d3, 1, State::Refused, &w.receptionist);
    r3.note = Some("Sai mẫu".into());
    s.apply_transition(&r3).await.expect("refuse unconsented");
    let mut got: Vec<(String, String, String)> = pending(s)
        .await
        .into_iter()
        .map(|o| (o.recipient, o.channel, o.payload))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            (
                "0912345678".to_owned(),
                "sms".to_owned(),
                format!(r#"{{"code":"{}","notice":"received","seq":1}}"#, d1.code)
            ),
            (
                "0987654321".to_owned(),
                "zalo".to_owned(),
                format!(r#"{{"code":"{}","notice":"received","seq":1}}"#, d2.code)
            ),
            (
                "0987654321".to_owned(),
                "zalo".to_owned(),
                format!(r#"{{"code":"{}","notice":"refused","seq":2}}"#, d2.code)
            ),
        ]
    );
    // Consent recorded later, and read back; errors are precise.
    assert_eq!(s.notify_consent(d3.code).await.expect("none"), None);
    s.set_notify_consent(d3.code, &sms("0911111111"), T0 + 5)
        .await
        .expect("set");
    s.set_notify_consent(d3.code, &sms("0922222222"), T0 + 6)
        .await
        .expect("replace");
    assert_eq!(
        s.notify_consent(d3.code).await.expect("set"),
        Some(sms("0922222222"))
    );
    let unknown = code(41_999);
    assert_not_found(s.notify_consent(unknown).await, Entity::Dossier);
    assert_not_found(
        s.set_notify_consent(unknown, &sms("0911111111"), T0).await,
        Entity::Dossier,
    );
    let email = NotifyConsent {
        phone: "0911111111".into(),
        channel: "email".into(),
    };
    assert!(matches!(
        s.set_notify_consent(d3.code, &email, T0).await,
        Err(StoreError::Invalid(Invalid::Field {
            field: "notify.channel",
            ..
        }))
    ));
    let mut n = new_dossier(
        CodeSource::Given(code(41_004)),
        c.id,
        Some(w.receptionist.id),
        State::Received,
        date(2026, 12, 1),
    );
    n.notify = Some(email);
    assert!(matches!(
        s.create_dossier(n).await,
        Err(StoreError::Invalid(Invalid::Field {
            field: "notify.channel",
            ..
        }))
    ));
    assert_not_found(s.dossier(code(41_004)).await, Entity::Dossier);
}

pub async fn channels_overdue_sweep_writes_each_notice_once(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Lê Văn Chờ", "079090000082").await;
    let consented = |random: u32, state: State, actor: Option<OfficerId>| {
        let mut n = new_dossier(
            CodeSource::Given(code(random)),
            c.id,
            actor,
            state,
            date(2026, 12, 1),
        );
        n.notify = Some(sms("0912345678"));
        n
    };
    let late = s
        .create_dossier(consented(42_001, State::Received, Some(w.receptionist.id)))
        .await
        .expect("late");
    // Booked: the deadline does not run yet.
    s.create_dossier(consented(42_002, State::Booked, None))
        .await
        .expect("booked");
    // Closed: refused.
    let refused = s
        .create_dossier(consented(42_003, State::Received, Some(w.receptionist.id)))
        .await
        .expect("refused");
    let mut r = step(&refused, 1, State::Refused, &w.receptionist);
    r.note = Some("Sai mẫu".into());
    s.apply_transition(&r).await.expect("refuse");
    // Late but no consent.
    received(&w, 42_004, c.id).await;
    let before = pending(s).await.len();
    assert_eq!(before, 3, "two reception notices and one refusal");
    // On the promised day it is not late yet.
    assert_eq!(
        s.enqueue_overdue_notices(date(2026, 12, 1), T0 + 10)
            .await
            .expect("on time"),
        0
    );
    assert_eq!(
        s.enqueue_overdue_notices(date(2026, 12, 2), T0 + 20)
            .await
            .expect("sweep"),
        1
    );
    assert_eq!(
        s.enqueue_overdue_notices(date(2026, 12, 3), T0 + 30)
            .await
            .expect("again"),
        0,
        "once per promised date"
    );
    let out = pending(s).await;
    assert_eq!(out.len(), before + 1);
    let notice = out
        .iter()
        .find(|o| o.payload.contains("overdue"))
        .expect("the overdue notice");
    assert_eq!(
        notice.payload,
        format!(
            r#"{{"code":"{}","notice":"overdue","promised_on":"2026-12-01"}}"#,
            late.code
        )
    );
    assert!(
        notice.payload.contains(r#""code":"0790"#),
        "16 digits, zero first"
    );
    assert_eq!(
        (
            notice.recipient.as_str(),
            notice.kind.as_str(),
            notice.created_at
        ),
        ("0912345678", "notify", T0 + 20)
    );
}

pub async fn channels_counts_per_channel(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let t = T0 + 1000;
    for (ch, id, sender) in [
        ("zalo", "z1", "u-1"),
        ("zalo", "z2", "u-2"),
        ("zalo", "z1", "u-1"),
        ("messenger", "f1", "p-1"),
    ] {
        s.receive_inbound(&msg(ch, id, sender, "x", t))
            .await
            .expect("receive");
    }
    let z1 = claim(s, t).await;
    s.finish_inbound(
        z1.id,
        &update(&z1, "{}", None, false),
        &[line(t, true, "citizen", "x")],
        &[reply("zalo", "u-1", "r1", "a")],
        &[
            lookup("zalo", "u-1", "code", "0790261121000019", true),
            lookup("zalo", "u-1", "person", "079090000075", false),
        ],
        t,
    )
    .await
    .expect("z1");
    let z2 = claim(s, t).await;
    let conv = s
        .finish_inbound(
            z2.id,
            &update(&z2, "{}", Some(DISTRICT), true),
            &[],
            &[reply("zalo", "u-2", "r2", "b")],
            &[lookup("zalo", "u-2", "code", "0790261121000027", true)],
            t,
        )
        .await
        .expect("z2");
    s.officer_reply(
        conv,
        w.receptionist.id,
        "chào",
        &reply("zalo", "u-2", "r3", "chào"),
        t + 1,
    )
    .await
    .expect("officer");
    let mut ivr = lookup("ivr", "0912000111", "person", "079090000075", true);
    ivr.at = t;
    s.record_channel_lookup(&ivr).await.expect("ivr lookup");
    let out = s.claim_outbox(t + 2, 30, 10).await.expect("claim");
    assert_eq!(out.len(), 3);
    s.outbox_sent(out[0].id, t + 3).await.expect("sent");
    s.outbox_failed(out[1].id, "timeout", Some(t + 60), t + 3)
        .await
        .expect("retry");
    s.outbox_failed(out[2].id, "blocked", None, t + 3)
        .await
        .expect("dead");
    let counts = s.channel_counts(T0).await.expect("counts");
    assert_eq!(
        counts.rows,
        [
            ChannelCountRow {
                channel: "ivr".into(),
                lookups: 1,
                lookups_found: 1,
                ..ChannelCountRow::default()
            },
            ChannelCountRow {
                channel: "messenger".into(),
                inbound: 1,
                ..ChannelCountRow::default()
            },
            ChannelCountRow {
                channel: "zalo".into(),
                inbound: 2,
                lookups: 3,
                lookups_found: 2,
                human_conversations: 1,
                officer_replies: 1,
                sent: 1,
                failed_pending: 1,
                dead: 1,
            },
        ]
    );
    assert_eq!(
        s.channel_counts(FAR).await.expect("later"),
        ChannelCounts::default()
    );
    // The settings the Zalo adapter rotates.
    assert_eq!(
        s.channel_setting("zalo.refresh_token").await.expect("none"),
        None
    );
    s.set_channel_setting("zalo.refresh_token", "rt-1", t)
        .await
        .expect("set");
    s.set_channel_setting("zalo.refresh_token", "rt-2", t + 1)
        .await
        .expect("rotate");
    assert_eq!(
        s.channel_setting("zalo.refresh_token")
            .await
            .expect("read")
            .as_deref(),
        Some("rt-2")
    );
}

pub async fn channels_chat_traffic_leaves_the_status_cache_warm(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Đỗ Văn Nhắn", "079090000083").await;
    let d = received(&w, 43_001, c.id).await;
    let day = today();
    let pg = s.backend() == Backend::Postgres;
    let (_, first) = ask(s, d.code, day).await;
    assert!(first, "the first answer is rendered");
    // A conversation end to end: received, claimed, finished with a
    // reply and a lookup, handed to an officer who answers, the replies
    // sent, a setting rotated, a hotline lookup audited, and the
    // dispatcher polling the (empty) notifications.
    s.receive_inbound(&msg("zalo", "w-1", "u-9", &d.code.to_string(), T0))
        .await
        .expect("receive");
    let item = claim(s, T0).await;
    let conv = s
        .finish_inbound(
            item.id,
            &update(&item, "{}", Some(DISTRICT), true),
            &[line(T0, true, "citizen", "x")],
            &[reply("zalo", "u-9", "w-1:1", "đang xử lý")],
            &[lookup("zalo", "u-9", "code", &d.code.to_string(), true)],
            T0,
        )
        .await
        .expect("finish");
    s.officer_reply(
        conv,
        w.receptionist.id,
        "chào",
        &reply("zalo", "u-9", "w-1:2", "chào"),
        T0 + 1,
    )
    .await
    .expect("officer");
    s.record_channel_lookup(&lookup(
        "ivr",
        "0912000111",
        "code",
        &d.code.to_string(),
        true,
    ))
    .await
    .expect("ivr");
    s.set_channel_setting("zalo.access_token", "at", T0)
        .await
        .expect("setting");
    for o in s.claim_outbox(T0 + 2, 30, 10).await.expect("claim") {
        assert_eq!(o.id.side, !pg, "replies live beside the main file");
        s.outbox_sent(o.id, T0 + 3).await.expect("sent");
    }
    assert!(
        s.claim_outbox(T0 + 4, 30, 10)
            .await
            .expect("none")
            .is_empty()
    );
    let (_, miss) = ask(s, d.code, day).await;
    assert_eq!(miss, pg, "chat writes do not drop cached answers");
    // A notice consent is written to the main file, but no answer shows
    // it: the answer stays (invalidation is per dossier, `cache.rs`).
    s.set_notify_consent(d.code, &sms("0912345678"), T0 + 5)
        .await
        .expect("consent");
    let (_, miss) = ask(s, d.code, day).await;
    assert_eq!(miss, pg, "a consent does not drop the cached answer");
    // The dossier's step does.
    capture(s, &d, &w.receptionist).await;
    let (answer, miss) = ask(s, d.code, day).await;
    assert!(miss, "a step of the dossier is seen");
    let answer = answer.expect("known");
    assert!(
        std::str::from_utf8(&answer)
            .expect("utf-8")
            .contains("|captured|")
    );
}
