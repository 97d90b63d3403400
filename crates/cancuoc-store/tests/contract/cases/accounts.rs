//! Citizens' identity accounts in the store: one account per citizen and a
//! second registration a conflict, a lock that ends every session in its
//! own transaction, failure counters kept apart, challenges spent once
//! under concurrent attempts, the SMS ledger's window, the guardian links
//! of the population record, and (on an SQLite file) account traffic that
//! leaves the status answer cache warm because it lives in its own file.

use cancuoc_core::account::{AccountLevel, LevelMethod, OtpPurpose};
use cancuoc_store::*;

use super::cache::ask;
use crate::fixtures::*;

const T: i64 = 1_790_000_000;

fn ctx(at: i64) -> EventContext<'static> {
    EventContext {
        at,
        officer: None,
        client: "10.0.0.1",
    }
}

const LIMITS: SessionLimits = SessionLimits {
    idle_secs: 900,
    max_secs: 43_200,
};

pub async fn accounts_register_lock_and_end_sessions(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Phạm Văn Tài", "001090000071").await;
    assert_eq!(s.account(c.id).await.expect("read"), None);
    let a = s
        .register_account(c.id, "$argon2id$fake", ctx(T))
        .await
        .expect("register");
    assert_eq!(
        (a.level, a.has_password, a.lock.clone()),
        (AccountLevel::One, true, None)
    );
    let again = s.register_account(c.id, "$argon2id$other", ctx(T)).await;
    assert!(
        matches!(again, Err(StoreError::Conflict(Conflict::Duplicate { .. }))),
        "{again:?}"
    );
    let web = s
        .open_account_session(c.id, SessionKind::Web, "10.0.0.1", "Firefox", LIMITS, T)
        .await
        .expect("web");
    let api = s
        .open_account_session(c.id, SessionKind::Api, "10.0.0.2", "app", LIMITS, T)
        .await
        .expect("api");
    let live = s
        .account_session(&web.id, LIMITS, T + 10)
        .await
        .expect("read")
        .expect("live");
    assert_eq!(
        (live.citizen, live.kind, live.csrf.clone()),
        (c.id, SessionKind::Web, web.csrf)
    );
    assert_eq!(
        s.account_sessions(c.id, LIMITS, T + 10)
            .await
            .expect("list")
            .len(),
        2
    );
    // Idle past 15 minutes: over.
    assert!(
        s.account_session(&api.id, LIMITS, T + 901)
            .await
            .expect("read")
            .is_none()
    );
    // A lock ends every session in its transaction, and no new one opens.
    assert!(
        s.lock_account(c.id, AccountActor::Owner, "lost phone", ctx(T + 20))
            .await
            .expect("lock")
    );
    assert!(
        !s.lock_account(c.id, AccountActor::Owner, "again", ctx(T + 21))
            .await
            .expect("lock")
    );
    assert!(
        s.account_session(&web.id, LIMITS, T + 30)
            .await
            .expect("read")
            .is_none()
    );
    let refused = s
        .open_account_session(c.id, SessionKind::Web, "", "", LIMITS, T + 30)
        .await;
    assert!(matches!(
        refused,
        Err(StoreError::NotFound {
            what: Entity::Account,
            ..
        })
    ));
    let locked = s
        .account(c.id)
        .await
        .expect("read")
        .expect("account")
        .account;
    let lock = locked.lock.expect("locked");
    assert_eq!(
        (lock.at, lock.by, lock.reason.as_str()),
        (T + 20, AccountActor::Owner, "lost phone")
    );
    // Failures are counted apart, in SQL as the core's lockout counts them
    // (reset after quiet time), and an unlock clears both.
    let policy = cancuoc_core::account::TemporaryLockout::DEFAULT;
    let quiet = policy.failure_reset_secs;
    let mut expected = None;
    for at in [T + 40, T + 41, T + 41 + quiet, T + 42 + quiet] {
        let got = s
            .record_account_failure(c.id, FailureKind::Password, quiet, ctx(at))
            .await
            .expect("pw");
        let want = policy.after_failure(expected, at);
        assert_eq!(got, want, "at {at}");
        expected = Some(want);
    }
    let f = expected.expect("counted");
    assert_eq!(f.count, 2, "reset after quiet time, then one more");
    let r = s
        .account(c.id)
        .await
        .expect("read")
        .expect("account")
        .account;
    assert_eq!((r.password_failures, r.otp_failures), (Some(f), None));
    assert!(
        s.unlock_account(c.id, AccountActor::Owner, "code", ctx(T + 50))
            .await
            .expect("unlock")
    );
    assert!(
        !s.unlock_account(c.id, AccountActor::Owner, "code", ctx(T + 51))
            .await
            .expect("unlock")
    );
    let r = s
        .account(c.id)
        .await
        .expect("read")
        .expect("account")
        .account;
    assert_eq!((r.lock, r.password_failures), (None, None));
    // A new password ends the sessions opened before it.
    let third = s
        .open_account_session(c.id, SessionKind::Api, "", "", LIMITS, T + 60)
        .await
        .expect("open");
    assert_eq!(
        s.set_account_password(c.id, "$argon2id$new", "password_reset", ctx(T + 70))
            .await
            .expect("set"),
        1
    );
    assert!(
        s.account_session(&third.id, LIMITS, T + 71)
            .await
            .expect("read")
            .is_none()
    );
    let kinds: Vec<String> = s
        .account_events(c.id, 50)
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            // The last two failures came after the quiet time, past the
            // reset at T + 70; the log is newest first.
            "login_failed",
            "login_failed",
            "password_reset",
            "login",
            "unlock",
            "login_failed",
            "login_failed",
            "lock",
            "lock",
            "login",
            "login",
            "register"
        ]
    );
}

pub async fn level_two_before_registration_keeps_its_level(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Vũ Thị Hạnh", "001090000072").await;
    let grant = LevelGrant {
        method: LevelMethod::CardIssuance,
        officer: None,
        office: Some(w.receptionist.office),
        at: T,
    };
    let a = s
        .set_account_level(c.id, AccountLevel::Two, Some(grant), "card", ctx(T))
        .await
        .expect("level");
    assert_eq!(
        (a.level, a.has_password, a.grant),
        (AccountLevel::Two, false, Some(grant))
    );
    // No session without a password.
    assert!(
        s.open_account_session(c.id, SessionKind::Web, "", "", LIMITS, T)
            .await
            .is_err()
    );
    let a = s
        .register_account(c.id, "$argon2id$x", ctx(T + 1))
        .await
        .expect("activate");
    assert_eq!((a.level, a.has_password), (AccountLevel::Two, true));
    // A request with the declaration is taken once.
    s.request_account(c.id, T).await.expect("request");
    s.request_account(c.id, T).await.expect("twice is one");
    assert!(s.take_account_request(c.id).await.expect("take"));
    assert!(!s.take_account_request(c.id).await.expect("taken"));
}

pub async fn challenges_are_spent_once_under_concurrent_attempts(store: Store) {
    let s = store;
    let id = Token::generate();
    s.create_challenge(
        &id,
        &NewChallenge {
            purpose: OtpPurpose::Login,
            citizen: Some(CitizenId(7)),
            phone: Some("0912345678".into()),
            code_hash: Some("h1".into()),
            step: 0,
            pending: None,
            created_at: T,
            sent_at: Some(T),
            expires_at: T + 900,
        },
    )
    .await
    .expect("create");
    assert_eq!(s.challenge_wrong(&id).await.expect("wrong"), Some(1));
    let tries: Vec<_> = (0..12)
        .map(|_| {
            let s = s.clone();
            let id = id.clone();
            tokio::spawn(async move { s.spend_challenge(&id, 5, T + 5).await.expect("spend") })
        })
        .collect();
    let mut spent = 0;
    for t in tries {
        spent += usize::from(t.await.expect("task"));
    }
    assert_eq!(spent, 1, "exactly one attempt spends it");
    let ch = s.challenge(&id).await.expect("read").expect("there");
    assert!(ch.used);
    assert_eq!(
        s.challenge_wrong(&id).await.expect("wrong"),
        None,
        "spent: no count"
    );
    assert!(
        !s.challenge_sent(&id, "h2", T + 70, T + 190, 1, None)
            .await
            .expect("sent")
    );
    // Five wrong entries and the right one no longer spends it.
    let other = Token::generate();
    s.create_challenge(
        &other,
        &NewChallenge {
            purpose: OtpPurpose::Register,
            citizen: None,
            phone: None,
            code_hash: Some("h".into()),
            step: 0,
            pending: None,
            created_at: T,
            sent_at: Some(T),
            expires_at: T + 900,
        },
    )
    .await
    .expect("create");
    for n in 1..=5 {
        assert_eq!(s.challenge_wrong(&other).await.expect("wrong"), Some(n));
    }
    assert!(!s.spend_challenge(&other, 5, T + 5).await.expect("spend"));
    // A new code keeps the count (five per challenge) and what the flow
    // keeps, unless given anew.
    assert!(
        s.challenge_sent(&other, "h3", T + 70, T + 190, 0, Some("kept"))
            .await
            .expect("sent")
    );
    assert!(
        s.challenge_sent(&other, "h4", T + 80, T + 190, 1, None)
            .await
            .expect("sent")
    );
    let ch = s.challenge(&other).await.expect("read").expect("there");
    assert_eq!(
        (ch.wrong, ch.sent_at, ch.code_hash.as_deref(), ch.step),
        (5, Some(T + 80), Some("h4"), 1)
    );
    assert_eq!(ch.pending.as_deref(), Some("kept"));
    assert!(
        s.challenge(&Token::generate())
            .await
            .expect("read")
            .is_none()
    );
}

pub async fn the_sms_ledger_counts_within_its_window(store: Store) {
    let s = store;
    for i in 0..3 {
        s.record_sms("0912345678", "password", T + i * 100)
            .await
            .expect("record");
    }
    s.record_sms("0987654321", "password", T + 150)
        .await
        .expect("record");
    s.record_sms("0912345678", "public", T + 160)
        .await
        .expect("record");
    assert_eq!(
        s.sms_sent_since("0912345678", "password", T + 50)
            .await
            .expect("count"),
        (2, Some(T + 100), Some(T + 200))
    );
    assert_eq!(
        s.sms_sent_since("0912345678", "public", T)
            .await
            .expect("count"),
        (1, Some(T + 160), Some(T + 160))
    );
    assert_eq!(
        s.sms_sent_since("0900000001", "password", T)
            .await
            .expect("count"),
        (0, None, None)
    );
}

pub async fn guardians_see_the_children_linked_to_them(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let mother = add_citizen(s, "Đỗ Thị Mai", "001090000073").await;
    let child = add_citizen(s, "Đỗ Minh An", "001218000074").await;
    assert!(s.link_guardian(child.id, child.id, "mother").await.is_err());
    assert!(s.link_guardian(child.id, mother.id, "aunt").await.is_err());
    s.link_guardian(child.id, mother.id, "guardian")
        .await
        .expect("link");
    s.link_guardian(child.id, mother.id, "mother")
        .await
        .expect("relink");
    let kids = s.children_of(mother.id).await.expect("children");
    assert_eq!(kids.len(), 1);
    assert_eq!((kids[0].0.id, kids[0].1.as_str()), (child.id, "mother"));
    assert!(s.children_of(child.id).await.expect("children").is_empty());
}

pub async fn account_traffic_leaves_the_status_cache_warm(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Lý Văn Bền", "079090000075").await;
    let d = received(&w, 31_001, c.id).await;
    let day = today();
    let pg = s.backend() == Backend::Postgres;
    let _ = ask(s, d.code, day).await;
    // A registration, a session, a challenge, a failure, a lock: every
    // write of a login storm.
    s.register_account(c.id, "$argon2id$x", ctx(T))
        .await
        .expect("register");
    let session = s
        .open_account_session(c.id, SessionKind::Web, "", "", LIMITS, T)
        .await
        .expect("open");
    s.create_challenge(
        &Token::generate(),
        &NewChallenge {
            purpose: OtpPurpose::Login,
            citizen: Some(c.id),
            phone: None,
            code_hash: Some("h".into()),
            step: 0,
            pending: None,
            created_at: T,
            sent_at: Some(T),
            expires_at: T + 900,
        },
    )
    .await
    .expect("challenge");
    s.record_sms("0912345678", "password", T)
        .await
        .expect("sms");
    s.lock_account(c.id, AccountActor::Owner, "x", ctx(T))
        .await
        .expect("lock");
    assert!(
        s.account_session(&session.id, LIMITS, T)
            .await
            .expect("read")
            .is_none()
    );
    let (_, miss) = ask(s, d.code, day).await;
    assert_eq!(miss, pg, "account writes do not drop cached answers");
}

pub async fn a_lock_ends_pending_codes_and_an_officer_lock_takes_over(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Tạ Văn Khóa", "001090000076").await;
    s.register_account(c.id, "$argon2id$x", ctx(T))
        .await
        .expect("register");
    let challenge = |purpose| NewChallenge {
        purpose,
        citizen: Some(c.id),
        phone: None,
        code_hash: Some("h".into()),
        step: 0,
        pending: None,
        created_at: T,
        sent_at: Some(T),
        expires_at: T + 900,
    };
    let login = Token::generate();
    s.create_challenge(&login, &challenge(OtpPurpose::Login))
        .await
        .expect("create");
    assert!(
        s.lock_account(c.id, AccountActor::Owner, "lost phone", ctx(T + 1))
            .await
            .expect("lock")
    );
    assert!(
        s.challenge(&login).await.expect("read").is_none(),
        "a code asked for before the lock dies with it"
    );
    // The owner's unlock challenge, made after the lock, survives an
    // officer's lock, which takes over the owner's.
    let unlock = Token::generate();
    s.create_challenge(&unlock, &challenge(OtpPurpose::Unlock))
        .await
        .expect("create");
    let officer = AccountActor::Officer(w.admin.id);
    assert!(
        s.lock_account(c.id, officer, "nghi bị chiếm", ctx(T + 2))
            .await
            .expect("officer lock")
    );
    let lock = s
        .account(c.id)
        .await
        .expect("read")
        .expect("account")
        .account
        .lock
        .expect("locked");
    assert_eq!((lock.by, lock.reason.as_str()), (officer, "nghi bị chiếm"));
    assert!(s.challenge(&unlock).await.expect("read").is_some());
    // The owner's second lock does not undo the officer's.
    assert!(
        !s.lock_account(c.id, AccountActor::Owner, "again", ctx(T + 3))
            .await
            .expect("lock")
    );
    // A new password ends every pending code.
    s.unlock_account(c.id, officer, "checked", ctx(T + 4))
        .await
        .expect("unlock");
    s.create_challenge(&login, &challenge(OtpPurpose::Login))
        .await
        .expect("create");
    s.set_account_password(c.id, "$argon2id$y", "password_changed", ctx(T + 5))
        .await
        .expect("set");
    assert!(s.challenge(&login).await.expect("read").is_none());
    assert!(s.challenge(&unlock).await.expect("read").is_none());
}
