//! Console logins through `Service` under a password-guessing attack: every
//! attempt is counted before its password is checked, so concurrent
//! guesses stop at the limit; an attacker cannot lock an officer out (the
//! right password from a clean address gets in) but is locked out
//! themselves; one address has a budget across login names. An attempt
//! whose password was checked answers `Failed`, one refused before the
//! check `Locked`, so counting the answers counts the checks.

use std::sync::Arc;

use cancuoc_service::{Client, Limits, Login, LoginOutcome, Password, Service};
use cancuoc_store::Store;
use tokio::task::JoinSet;

use crate::setup;

const PASSWORD: &str = "mat-khau-dang-nhap-1";
const WRONG: &str = "doan-sai-mat-khau";
/// The officer's login name: predictable, as officers' names are.
const NAME: &str = "tiep-nhan.790";

fn client(ip: &str) -> Client {
    Client::new(ip.parse().expect("ip"))
}

/// The service with the receptionist's login set to [`NAME`] and
/// [`PASSWORD`].
async fn with_officer(store: Store) -> Arc<Service> {
    let (w, svc) = setup(store).await;
    svc.set_officer_login(
        w.receptionist.id,
        &Login::parse(NAME).expect("login"),
        &Password::parse(PASSWORD).expect("password"),
        None,
    )
    .await
    .expect("set login");
    Arc::new(svc)
}

/// How many attempts were checked and failed, and how many were refused
/// before the check (with the seconds each was told to wait).
#[derive(Debug, Default, PartialEq, Eq)]
struct Tally {
    failed: usize,
    locked: usize,
    opened: usize,
    waits: Vec<i64>,
}

impl Tally {
    fn add(&mut self, outcome: LoginOutcome) {
        match outcome {
            LoginOutcome::Failed => self.failed += 1,
            LoginOutcome::Locked { seconds } => {
                self.locked += 1;
                if !self.waits.contains(&seconds) {
                    self.waits.push(seconds);
                }
            }
            LoginOutcome::Opened { .. } => self.opened += 1,
        }
    }
}

async fn login(svc: &Service, name: &str, password: &str, from: Client) -> LoginOutcome {
    svc.console_login(name, password, None, from)
        .await
        .expect("login answered")
}

/// `n` attempts at once of `name` with `password` from `from`.
async fn at_once(svc: &Arc<Service>, n: usize, name: &str, password: &str, from: Client) -> Tally {
    let mut set = JoinSet::new();
    for _ in 0..n {
        let svc = Arc::clone(svc);
        let (name, password) = (name.to_owned(), password.to_owned());
        set.spawn(async move { login(&svc, &name, &password, from).await });
    }
    let mut tally = Tally::default();
    while let Some(outcome) = set.join_next().await {
        tally.add(outcome.expect("task"));
    }
    tally
}

pub async fn concurrent_wrong_passwords_reach_the_check_only_up_to_the_limit(store: Store) {
    let svc = with_officer(store).await;
    let max = Limits::default().logins.per_name_and_client.max as usize;
    assert_eq!(max, 5);
    let attacker = client("198.51.100.20");
    let t = at_once(&svc, 60, NAME, WRONG, attacker).await;
    assert_eq!(
        (t.failed, t.locked, t.opened),
        (5, 55, 0),
        "only five passwords checked: {t:?}"
    );
    assert_eq!(t.waits, vec![900], "until the window ends");
    // An unknown login name is counted the same way, so the answers do not
    // tell whether it exists.
    let unknown = at_once(&svc, 60, "khong-ton-tai.790", WRONG, attacker).await;
    assert_eq!((unknown.failed, unknown.locked), (5, 55), "{unknown:?}");
    // The attacker's address stays locked out of the name, right password
    // or not.
    assert!(matches!(
        login(&svc, NAME, PASSWORD, attacker).await,
        LoginOutcome::Locked { .. }
    ));
}

pub async fn an_attacker_cannot_lock_the_officer_out_but_is_locked_out(store: Store) {
    let svc = with_officer(store).await;
    // The officer mistypes four times, then gets in: their address's record
    // for the name is wiped.
    let desk = client("203.0.113.10");
    for _ in 0..4 {
        assert!(matches!(
            login(&svc, NAME, WRONG, desk).await,
            LoginOutcome::Failed
        ));
    }
    assert!(matches!(
        login(&svc, NAME, PASSWORD, desk).await,
        LoginOutcome::Opened { .. }
    ));
    // 100 wrong passwords from four other addresses, 25 each. The
    // officer's typos count for the name too: five from the first address
    // and one from the second fill its count (10); from then on, each
    // address with a clean record for the name is checked once.
    let mut t = Tally::default();
    for n in 1..=4 {
        let from = client(&format!("198.51.100.{n}"));
        for _ in 0..25 {
            t.add(login(&svc, NAME, WRONG, from).await);
        }
    }
    assert_eq!(
        (t.failed, t.locked, t.opened),
        (5 + 1 + 1 + 1, 92, 0),
        "checked: {t:?}"
    );
    // The attackers' addresses are locked out even with the right password.
    for n in 1..=4 {
        let from = client(&format!("198.51.100.{n}"));
        assert!(
            matches!(
                login(&svc, NAME, PASSWORD, from).await,
                LoginOutcome::Locked { .. }
            ),
            "attacker {n}"
        );
    }
    // The officer's right password still gets in, from their desk (its
    // record was wiped by the success) and from a new address…
    for from in [desk, client("203.0.113.11")] {
        assert!(matches!(
            login(&svc, NAME, PASSWORD, from).await,
            LoginOutcome::Opened { .. }
        ));
    }
    // … but a wrong password there is a failure that locks that address out
    // of the name while the name is soft-locked.
    let typo = client("203.0.113.12");
    assert!(matches!(
        login(&svc, NAME, WRONG, typo).await,
        LoginOutcome::Failed
    ));
    assert!(matches!(
        login(&svc, NAME, PASSWORD, typo).await,
        LoginOutcome::Locked { .. }
    ));
}

pub async fn one_address_is_refused_after_twenty_failures_across_login_names(store: Store) {
    let svc = with_officer(store).await;
    let sprayer = client("2001:db8:5:5::1");
    let mut t = Tally::default();
    for i in 0..25 {
        t.add(login(&svc, &format!("can-bo.{i}"), WRONG, sprayer).await);
    }
    assert_eq!((t.failed, t.locked), (20, 5), "{t:?}");
    // Every name is refused from that address (its /64), the officer's own
    // included, and stays open elsewhere.
    assert!(matches!(
        login(&svc, NAME, PASSWORD, client("2001:db8:5:5::2")).await,
        LoginOutcome::Locked { .. }
    ));
    assert!(matches!(
        login(&svc, NAME, PASSWORD, client("2001:db8:5:6::1")).await,
        LoginOutcome::Opened { .. }
    ));
}
