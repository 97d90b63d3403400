//! Officer logins and console sessions: credentials by login, one login per
//! officer, sessions that end on idle timeout, absolute lifetime, logout,
//! a new password and deactivation.

use cancuoc_store::*;

use super::{assert_duplicate, assert_not_found};
use crate::fixtures::{DISTRICT, T0, world};

const LIMITS: SessionLimits = SessionLimits {
    idle_secs: 900,
    max_secs: 12 * 3600,
};

/// Not a real Argon2 hash: the store keeps whatever PHC string it is given.
const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

pub async fn officer_logins(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    assert_eq!(
        s.officer_credentials("le.tiep.nhan").await.expect("read"),
        None
    );
    assert_eq!(
        s.officer_login(w.receptionist.id).await.expect("read"),
        None
    );
    s.set_officer_login(
        w.receptionist.id,
        "le.tiep.nhan",
        HASH,
        Some(w.admin.id),
        T0,
    )
    .await
    .expect("set login");
    let c = s
        .officer_credentials("le.tiep.nhan")
        .await
        .expect("read")
        .expect("credentials");
    assert_eq!(c.officer, w.receptionist.officer);
    assert_eq!(c.login, "le.tiep.nhan");
    assert_eq!(c.password_hash, HASH);
    assert!(!format!("{c:?}").contains("argon2id"), "hash in Debug");
    assert_eq!(
        s.officer_login(w.receptionist.id).await.expect("read"),
        Some("le.tiep.nhan".to_owned())
    );
    // The audit row names the login, never the hash.
    let audit = s.recent_audit(1).await.expect("audit");
    assert_eq!(audit[0].action, "officer.set_login");
    assert!(!audit[0].details.contains("argon2"), "{}", audit[0].details);

    // One officer per login; the first keeps it.
    assert_duplicate(
        s.set_officer_login(w.approver.id, "le.tiep.nhan", HASH, None, T0)
            .await,
    );
    assert_eq!(
        s.officer_credentials("le.tiep.nhan")
            .await
            .expect("read")
            .expect("still there")
            .officer
            .id,
        w.receptionist.id
    );
    assert_not_found(
        s.set_officer_login(OfficerId(99_999), "khong.co", HASH, None, T0)
            .await,
        Entity::Officer,
    );
    assert!(
        s.set_officer_login(w.approver.id, "  ", HASH, None, T0)
            .await
            .is_err()
    );

    // Adding an officer with a login is one transaction: a taken login
    // adds nothing.
    let before = s.officers_of_office(DISTRICT).await.expect("list").len();
    let new = NewOfficer {
        name: "Mai Tiếp Nhận".into(),
        role: cancuoc_core::dossier::workflow::Role::Receptionist,
        office: DISTRICT,
    };
    assert_duplicate(
        s.add_officer_with_login(&new, "le.tiep.nhan", HASH, None, T0)
            .await,
    );
    assert_eq!(
        s.officers_of_office(DISTRICT).await.expect("list").len(),
        before
    );
    let added = s
        .add_officer_with_login(&new, "mai.tiep.nhan", HASH, Some(w.admin.id), T0)
        .await
        .expect("add with login");
    assert_eq!(
        s.officer_by_token(&added.token).await.expect("token"),
        added.officer
    );
    assert_eq!(
        s.officer_credentials("mai.tiep.nhan")
            .await
            .expect("read")
            .map(|c| c.officer.id),
        Some(added.officer.id)
    );

    // A deactivated officer has no credentials to check.
    s.set_officer_active(w.receptionist.id, false, None, T0)
        .await
        .expect("deactivate");
    assert_eq!(
        s.officer_credentials("le.tiep.nhan").await.expect("read"),
        None
    );
}

pub async fn console_sessions_live_and_end(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let me = w.receptionist.id;
    let a = s.open_console_session(me, LIMITS, T0).await.expect("open");
    let b = s.open_console_session(me, LIMITS, T0).await.expect("open");
    assert_ne!(a.id, b.id);
    assert_ne!(a.csrf, b.csrf);
    assert_eq!(a.csrf.len(), 64);

    // Used within the idle timeout: live, and the use moves the window on.
    let live = s
        .console_session(&a.id, LIMITS, T0 + 800)
        .await
        .expect("read")
        .expect("live");
    assert_eq!(live.officer, w.receptionist.officer);
    assert_eq!(live.csrf, a.csrf);
    assert_eq!((live.created_at, live.last_seen), (T0, T0 + 800));
    assert!(
        s.console_session(&a.id, LIMITS, T0 + 1600)
            .await
            .expect("read")
            .is_some(),
        "the window moves with each use"
    );
    // Idle past the timeout: over, and gone for good.
    assert_eq!(
        s.console_session(&b.id, LIMITS, T0 + 901)
            .await
            .expect("read"),
        None
    );
    assert_eq!(
        s.console_session(&b.id, LIMITS, T0 + 10)
            .await
            .expect("read"),
        None,
        "an expired session is deleted, not just hidden"
    );
    // Unknown ids are simply not sessions.
    assert_eq!(
        s.console_session(&Token::from_presented("nope"), LIMITS, T0)
            .await
            .expect("read"),
        None
    );

    // The absolute lifetime ends even a busy session.
    let busy = s.open_console_session(me, LIMITS, T0).await.expect("open");
    let mut t = T0;
    while t < T0 + LIMITS.max_secs - 600 {
        t += 600;
        assert!(
            s.console_session(&busy.id, LIMITS, t)
                .await
                .expect("read")
                .is_some()
        );
    }
    assert_eq!(
        s.console_session(&busy.id, LIMITS, T0 + LIMITS.max_secs + 1)
            .await
            .expect("read"),
        None
    );

    // Logout ends exactly that session.
    let c = s.open_console_session(me, LIMITS, T0).await.expect("open");
    let d = s.open_console_session(me, LIMITS, T0).await.expect("open");
    assert!(s.close_console_session(&c.id, T0).await.expect("close"));
    assert!(!s.close_console_session(&c.id, T0).await.expect("again"));
    assert_eq!(
        s.console_session(&c.id, LIMITS, T0).await.expect("read"),
        None
    );
    assert!(
        s.console_session(&d.id, LIMITS, T0)
            .await
            .expect("read")
            .is_some()
    );
    let audit = s.recent_audit(1).await.expect("audit");
    assert_eq!(audit[0].action, "console.logout");
    assert_eq!(audit[0].officer, Some(me));

    // A new password ends every session of the officer, not others'.
    let other = s
        .open_console_session(w.approver.id, LIMITS, T0)
        .await
        .expect("open");
    s.set_officer_login(me, "le.tiep.nhan", HASH, None, T0)
        .await
        .expect("set login");
    assert_eq!(
        s.console_session(&d.id, LIMITS, T0).await.expect("read"),
        None
    );
    assert!(
        s.console_session(&other.id, LIMITS, T0)
            .await
            .expect("read")
            .is_some()
    );

    // Deactivation ends the officer's sessions and refuses new ones.
    s.set_officer_active(w.approver.id, false, None, T0)
        .await
        .expect("deactivate");
    assert_eq!(
        s.console_session(&other.id, LIMITS, T0)
            .await
            .expect("read"),
        None
    );
    assert_not_found(
        s.open_console_session(w.approver.id, LIMITS, T0).await,
        Entity::Officer,
    );
    assert_not_found(
        s.open_console_session(OfficerId(99_999), LIMITS, T0).await,
        Entity::Officer,
    );
}
