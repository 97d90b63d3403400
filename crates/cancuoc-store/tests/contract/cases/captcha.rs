//! Captcha challenges: single use, case-insensitive answers, expiry, the
//! spoken alternative, and the purge of long-expired challenges.

use cancuoc_store::*;

/// The instant the challenges are made at (also used by `cache.rs`).
pub(super) const T: i64 = 1_795_230_000;

/// A challenge made at `T`, open for five minutes.
pub(super) fn new<'a>(id: &'a str, answer: &'a str, spoken: Option<&'a str>) -> NewCaptcha<'a> {
    NewCaptcha {
        id,
        answer,
        created_at: T,
        expires_at: T + 300,
        spoken,
    }
}

pub async fn captcha_single_use_and_verdicts(store: Store) {
    let s = &store;
    s.create_captcha(&new("c1", "AbC7x", None))
        .await
        .expect("create");
    // A taken id is a conflict, not a silent overwrite.
    assert!(matches!(
        s.create_captcha(&new("c1", "other", None)).await,
        Err(StoreError::Conflict(_))
    ));
    // Case and surrounding spaces do not matter; the first attempt spends it.
    assert_eq!(
        s.spend_captcha("c1", " abc7X ", T + 10)
            .await
            .expect("spend"),
        CaptchaCheck::Solved
    );
    assert_eq!(
        s.spend_captcha("c1", "abc7x", T + 11).await.expect("again"),
        CaptchaCheck::Used
    );

    // A wrong answer spends the challenge too: the right one later is "used".
    s.create_captcha(&new("c2", "QWERT", None))
        .await
        .expect("c2");
    assert_eq!(
        s.spend_captcha("c2", "QWERF", T + 1).await.expect("wrong"),
        CaptchaCheck::Wrong
    );
    assert_eq!(
        s.spend_captcha("c2", "QWERT", T + 2).await.expect("used"),
        CaptchaCheck::Used
    );

    // At or after the expiry instant, even the right answer is "expired".
    s.create_captcha(&new("c3", "ZZZZZ", None))
        .await
        .expect("c3");
    assert_eq!(
        s.spend_captcha("c3", "zzzzz", T + 300)
            .await
            .expect("expired"),
        CaptchaCheck::Expired
    );
    s.create_captcha(&new("c4", "YYYYY", None))
        .await
        .expect("c4");
    assert_eq!(
        s.spend_captcha("c4", "yyyyy", T + 299)
            .await
            .expect("last second"),
        CaptchaCheck::Solved
    );

    // Unknown ids, empty and absurd ones.
    for id in ["nope", "", &"x".repeat(65)] {
        assert_eq!(
            s.spend_captcha(id, "abc", T).await.expect("unknown"),
            CaptchaCheck::Unknown,
            "{id:?}"
        );
    }
    // Bad input is refused before any write.
    let refused = |r: Result<(), StoreError>| match r {
        Err(StoreError::Invalid(Invalid::Field { field, .. })) => field,
        other => panic!("expected an invalid field, got {other:?}"),
    };
    assert_eq!(
        refused(s.create_captcha(&new("", "abc", None)).await),
        "captcha.id"
    );
    assert_eq!(
        refused(s.create_captcha(&new("c5", "  ", None)).await),
        "captcha.answer"
    );
    let mut backwards = new("c6", "abc", None);
    backwards.expires_at = T;
    assert_eq!(
        refused(s.create_captcha(&backwards).await),
        "captcha.expires_at"
    );
}

pub async fn captcha_concurrent_attempts_one_wins(store: Store) {
    store
        .create_captcha(&new("race", "RIGHT", None))
        .await
        .expect("create");
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            s.spend_captcha("race", "right", T + 5)
                .await
                .expect("spend")
        }));
    }
    let mut verdicts = Vec::new();
    for t in tasks {
        verdicts.push(t.await.expect("join"));
    }
    let solved = verdicts
        .iter()
        .filter(|v| **v == CaptchaCheck::Solved)
        .count();
    assert_eq!(solved, 1, "{verdicts:?}");
    assert!(
        verdicts
            .iter()
            .all(|v| matches!(v, CaptchaCheck::Solved | CaptchaCheck::Used)),
        "{verdicts:?}"
    );
}

pub async fn captcha_audio_and_purge(store: Store) {
    let s = &store;
    s.create_captcha(&new("a1", "HELLO", Some("HELLO")))
        .await
        .expect("create");
    s.create_captcha(&new("a2", "WORLD", None))
        .await
        .expect("a2");
    assert_eq!(
        s.captcha_spoken("a1", T + 1)
            .await
            .expect("spoken")
            .as_deref(),
        Some("HELLO")
    );
    assert_eq!(s.captcha_spoken("a2", T + 1).await.expect("none"), None);
    assert_eq!(s.captcha_spoken("zz", T + 1).await.expect("unknown"), None);
    // Gone once expired, and once spent.
    assert_eq!(
        s.captcha_spoken("a1", T + 300).await.expect("expired"),
        None
    );
    assert_eq!(
        s.spend_captcha("a1", "hello", T + 2).await.expect("spend"),
        CaptchaCheck::Solved
    );
    assert_eq!(s.captcha_spoken("a1", T + 3).await.expect("spent"), None);

    // An expired challenge is still told apart from an unknown one for an
    // hour; a challenge created after that purges it.
    let later = T + 300 + CAPTCHA_KEEP_AFTER_EXPIRY_SECS;
    let fresh = NewCaptcha {
        id: "a3",
        answer: "LATER",
        created_at: later,
        expires_at: later + 300,
        spoken: None,
    };
    s.create_captcha(&fresh).await.expect("a3");
    assert_eq!(
        s.spend_captcha("a2", "world", later).await.expect("purged"),
        CaptchaCheck::Unknown
    );
    assert_eq!(
        s.spend_captcha("a1", "hello", later)
            .await
            .expect("purged too"),
        CaptchaCheck::Unknown
    );
    assert_eq!(
        s.spend_captcha("a3", "later", later + 1)
            .await
            .expect("fresh"),
        CaptchaCheck::Solved
    );
}

/// `spend_captcha_for`: one atomic spend as `spend_captcha`, and a right
/// answer keeps its form's claim. Later spends with the same claim are
/// `Used` but resumable, with another claim (or none) plainly `Used`; a
/// wrong or late answer keeps no claim; a released claim resumes nothing.
pub async fn captcha_spent_for_a_form_keeps_its_claim(store: Store) {
    let s = &store;
    for id in ["f1", "f2", "f3", "f4"] {
        s.create_captcha(&new(id, "Mn4Pq", None))
            .await
            .expect("create");
    }
    let spend = |id: &'static str, answer: &'static str, at: i64, claim: &'static str| async move {
        s.spend_captcha_for(id, answer, at, claim)
            .await
            .expect("spend")
    };
    let first = spend("f1", " mn4pQ ", T + 5, "booking:a").await;
    assert_eq!(
        (first.check, first.resumable),
        (CaptchaCheck::Solved, false)
    );
    let again = spend("f1", "mn4pq", T + 6, "booking:a").await;
    assert_eq!((again.check, again.resumable), (CaptchaCheck::Used, true));
    // Even with a wrong answer: the claim is the form's, decided by the
    // first spend.
    let again = spend("f1", "zzz", T + 6, "booking:a").await;
    assert_eq!((again.check, again.resumable), (CaptchaCheck::Used, true));
    for claim in ["booking:b", "cmnd-confirmation:a"] {
        let other = spend("f1", "mn4pq", T + 6, claim).await;
        assert_eq!(
            (other.check, other.resumable),
            (CaptchaCheck::Used, false),
            "{claim}"
        );
    }
    assert_eq!(
        s.spend_captcha("f1", "mn4pq", T + 6).await.expect("plain"),
        CaptchaCheck::Used
    );
    // Released: used, and nothing to resume.
    s.release_captcha_claim("f1", "booking:b")
        .await
        .expect("not its claim");
    assert!(spend("f1", "mn4pq", T + 7, "booking:a").await.resumable);
    s.release_captcha_claim("f1", "booking:a")
        .await
        .expect("release");
    let gone = spend("f1", "mn4pq", T + 7, "booking:a").await;
    assert_eq!((gone.check, gone.resumable), (CaptchaCheck::Used, false));

    // Wrong, then late: spent without a claim.
    let wrong = spend("f2", "mn4pr", T + 5, "booking:a").await;
    assert_eq!((wrong.check, wrong.resumable), (CaptchaCheck::Wrong, false));
    assert!(!spend("f2", "mn4pq", T + 6, "booking:a").await.resumable);
    let late = spend("f3", "mn4pq", T + 300, "booking:a").await;
    assert_eq!(late.check, CaptchaCheck::Expired);
    assert!(!spend("f3", "mn4pq", T + 301, "booking:a").await.resumable);
    // A plain spend keeps no claim either.
    assert_eq!(
        s.spend_captcha("f4", "mn4pq", T + 5).await.expect("plain"),
        CaptchaCheck::Solved
    );
    assert!(!spend("f4", "mn4pq", T + 6, "booking:a").await.resumable);
    // Unknown ids.
    for id in ["", "nope"] {
        let u = s
            .spend_captcha_for(id, "x", T, "booking:a")
            .await
            .expect("unknown");
        assert_eq!((u.check, u.resumable), (CaptchaCheck::Unknown, false));
    }
}

/// Concurrent guesses with claims: one verdict between them.
pub async fn captcha_concurrent_guesses_for_a_form_one_verdict(store: Store) {
    store
        .create_captcha(&new("g1", "17", None))
        .await
        .expect("create");
    let mut tasks = Vec::new();
    for guess in 1..=20 {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            s.spend_captcha_for("g1", &guess.to_string(), T + 1, "booking:a")
                .await
                .expect("spend")
        }));
    }
    let mut verdicts = Vec::new();
    for t in tasks {
        let r = t.await.expect("task");
        if r.check != CaptchaCheck::Used {
            verdicts.push(r.check);
        }
    }
    assert_eq!(verdicts.len(), 1, "{verdicts:?}");
}
