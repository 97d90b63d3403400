//! Citizens' identity accounts through the service: registration matched
//! to the record, login with password then code, the code's rules (120 s,
//! five wrong entries, single use, cooldown, hourly quota), the answers
//! that must not tell whether a number exists, locks, the forgotten
//! password, and the counters of passwords and codes kept apart. Codes are
//! read from a recording SMS gateway, as the citizen reads their phone.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use cancuoc_core::account::otp::OtpVerdict;
use cancuoc_core::account::{AccountLevel, LevelMethod};
use cancuoc_core::id::alloc::Allocator;
use cancuoc_core::person::Sex;
use cancuoc_service::sms::{SendFuture, SmsGateway, SmsMessage};
use cancuoc_service::{
    AccountError, Client, IdentityProof, LoginCounts, LoginRequest, RegisterRequest, Service,
    ServiceError,
};
use cancuoc_store::{Citizen, IdAssignment, SessionKind, Store};
use cancuoc_testkit::world::{World, citizen, world};
use jiff::Timestamp;

use crate::T0;

/// Every message sent, as the phones would receive them.
#[derive(Debug, Default)]
struct Phones(Mutex<Vec<SmsMessage>>);

impl SmsGateway for Phones {
    fn send<'a>(&'a self, m: &'a SmsMessage) -> SendFuture<'a> {
        self.0.lock().expect("phones").push(m.clone());
        Box::pin(async { Ok(()) })
    }
}

impl Phones {
    fn count(&self) -> usize {
        self.0.lock().expect("phones").len()
    }
    /// The code of the last message to `phone`.
    fn code_for(&self, phone: &str) -> String {
        let sent = self.0.lock().expect("phones");
        let m = sent
            .iter()
            .rev()
            .find(|m| m.to.as_str() == phone)
            .unwrap_or_else(|| panic!("no message to {phone}"));
        let code: String = m.text.chars().take(6).collect();
        assert!(code.chars().all(|c| c.is_ascii_digit()), "{}", m.text);
        code
    }
    fn texts_to(&self, phone: &str) -> Vec<String> {
        self.0
            .lock()
            .expect("phones")
            .iter()
            .filter(|m| m.to.as_str() == phone)
            .map(|m| m.text.clone())
            .collect()
    }
}

const PID: &str = "001090012345";
const PHONE: &str = "0912345678";
const PASSWORD: &str = "Tot@2026Mua";

struct Env {
    w: World,
    svc: Arc<Service>,
    phones: Arc<Phones>,
    clock: Arc<AtomicI64>,
    citizen: Citizen,
}

impl Env {
    fn advance(&self, secs: i64) {
        self.clock.fetch_add(secs, Ordering::SeqCst);
    }
    fn client(n: u8) -> Client {
        Client::new(std::net::IpAddr::from([10, 0, 0, n]))
    }
    async fn captcha(&self) -> (String, String) {
        let id = self
            .svc
            .issue_captcha("ABCD", None, Self::client(200))
            .await
            .expect("captcha");
        (id, "ABCD".into())
    }
}

/// A world, a citizen with phone and active card, a service whose clock
/// moves only when told.
async fn env(store: Store) -> Env {
    let w = world(store.clone(), T0).await;
    let mut c = citizen("Trần Thị Bích", "1990-05-17", Sex::Female, Some(PID));
    c.phone = Some(PHONE.into());
    let c = store
        .register_citizen(&c, IdAssignment::AsGiven, None, T0)
        .await
        .expect("citizen");
    store
        .issue_card(c.id, "2022-03-15".parse().expect("date"), None, None, T0)
        .await
        .expect("card");
    let clock = Arc::new(AtomicI64::new(T0));
    let at = Arc::clone(&clock);
    let phones = Arc::new(Phones::default());
    let svc = Service::new(
        store,
        Allocator::new([9; 16]),
        Arc::new(move || Timestamp::from_second(at.load(Ordering::SeqCst)).expect("instant")),
    )
    .await
    .expect("service")
    .with_sms_gateway(phones.clone() as Arc<dyn SmsGateway>);
    Env {
        w,
        svc: Arc::new(svc),
        phones,
        clock,
        citizen: c,
    }
}

fn registration<'a>(
    pid: &'a str,
    phone: &'a str,
    captcha: &'a (String, String),
) -> RegisterRequest<'a> {
    RegisterRequest {
        personal_id: pid,
        phone,
        full_name: "tran thi bich",
        date_of_birth: "17/5/1990",
        card_issue_date: "2022-03-15",
        password: PASSWORD,
        captcha_id: &captcha.0,
        captcha_answer: &captcha.1,
    }
}

async fn register(e: &Env) {
    let cap = e.captcha().await;
    let t = e
        .svc
        .register_account(&registration(PID, PHONE, &cap), Env::client(1))
        .await
        .expect("register");
    let code = e.phones.code_for(PHONE);
    let a = e
        .svc
        .verify_registration(&t.id, &code, Env::client(1))
        .await
        .expect("verify");
    assert_eq!(a.level, AccountLevel::One);
}

async fn login_ticket(e: &Env, password: &str, n: u8) -> Result<String, ServiceError> {
    let cap = e.captcha().await;
    e.svc
        .account_login(
            &LoginRequest {
                personal_id: PID,
                password,
                captcha_id: &cap.0,
                captcha_answer: &cap.1,
            },
            Env::client(n),
        )
        .await
        .map(|t| t.id)
}

async fn login(e: &Env) -> String {
    let ch = login_ticket(e, PASSWORD, 1).await.expect("password");
    let code = e.phones.code_for(PHONE);
    e.svc
        .account_login_code(&ch, &code, SessionKind::Api, None, "test", Env::client(1))
        .await
        .expect("code")
        .token
}

fn account_error(r: Result<impl std::fmt::Debug, ServiceError>) -> AccountError {
    match r {
        Err(ServiceError::Account(e)) => e,
        other => panic!("expected an account refusal, got {other:?}"),
    }
}

pub async fn a_citizen_registers_logs_in_and_sees_their_data(store: Store) {
    let e = env(store).await;
    register(&e).await;
    let token = login(&e).await;
    let s = e
        .svc
        .account_session(&token)
        .await
        .expect("session")
        .expect("live");
    assert_eq!(s.citizen, e.citizen.id);
    let id = e.svc.account_identity(&s).await.expect("identity");
    assert_eq!(id.value("personal_id"), Some(PID));
    assert_eq!(id.value("date_of_birth"), Some("17/05/1990"));
    assert!(id.fields.iter().all(|f| f.verified && f.source == "npd"));
    let wallet = e.svc.account_wallet(&s).await.expect("wallet");
    assert_eq!(wallet.cards.len(), 1);
    let card = &wallet.cards[0];
    assert_eq!(card.status.code(), "valid");
    // Born 1990: the card issued in 2022 runs to the 40th birthday.
    assert_eq!(card.expires_on, Some("2030-05-17".parse().expect("date")));
    assert!(
        card.qr_payload
            .as_deref()
            .is_some_and(|q| q.starts_with(&format!("{PID}||Trần Thị Bích|17051990|Nữ|"))),
        "{:?}",
        card.qr_payload
    );
    let kinds: Vec<String> = e
        .svc
        .account_history(&s, 50)
        .await
        .expect("history")
        .into_iter()
        .map(|ev| ev.kind)
        .collect();
    assert!(kinds.contains(&"register".to_owned()), "{kinds:?}");
    assert!(kinds.contains(&"login".to_owned()), "{kinds:?}");
    assert!(kinds.contains(&"otp_sent".to_owned()), "{kinds:?}");
}

pub async fn registration_answers_alike_whatever_matched(store: Store) {
    let e = env(store).await;
    let cap1 = e.captcha().await;
    let cap2 = e.captcha().await;
    let cap3 = e.captcha().await;
    // Unknown number, known number with another phone, the real data.
    let unknown = e
        .svc
        .register_account(&registration("001090099999", PHONE, &cap1), Env::client(1))
        .await
        .expect("unknown answers");
    let wrong_phone = e
        .svc
        .register_account(&registration(PID, "0987654321", &cap2), Env::client(2))
        .await
        .expect("wrong phone answers");
    assert_eq!(e.phones.count(), 0, "nothing sent for what did not match");
    let real = e
        .svc
        .register_account(&registration(PID, PHONE, &cap3), Env::client(3))
        .await
        .expect("real");
    assert_eq!(e.phones.count(), 1);
    for t in [&unknown, &wrong_phone, &real] {
        assert_eq!((t.expires_in, t.resend_in, t.id.len()), (120, 60, 64));
    }
    assert_eq!(unknown.phone_hint, real.phone_hint);
    // A decoy never accepts a code, even the real one sent elsewhere.
    let code = e.phones.code_for(PHONE);
    let refused = e
        .svc
        .verify_registration(&unknown.id, &code, Env::client(1))
        .await;
    assert_eq!(
        account_error(refused),
        AccountError::Code(OtpVerdict::Wrong { remaining: 4 })
    );
    // Registering again with the owner's data: the same answer, and the
    // owner is told by SMS instead of being sent a code.
    e.svc
        .verify_registration(&real.id, &code, Env::client(3))
        .await
        .expect("verify");
    let cap4 = e.captcha().await;
    e.advance(61);
    let again = e
        .svc
        .register_account(&registration(PID, PHONE, &cap4), Env::client(4))
        .await
        .expect("answers alike");
    assert_eq!(again.expires_in, 120);
    let last = e.phones.texts_to(PHONE).pop().expect("notice");
    assert!(last.starts_with("Ban da co tai khoan"), "{last}");
}

pub async fn five_wrong_codes_kill_the_challenge_and_a_code_is_single_use(store: Store) {
    let e = env(store).await;
    register(&e).await;
    let ch = login_ticket(&e, PASSWORD, 1).await.expect("password");
    let right = e.phones.code_for(PHONE);
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    for remaining in (1..=4).rev() {
        let r = e
            .svc
            .account_login_code(&ch, wrong, SessionKind::Api, None, "", Env::client(1))
            .await;
        assert_eq!(
            account_error(r),
            AccountError::Code(OtpVerdict::Wrong { remaining })
        );
    }
    let r = e
        .svc
        .account_login_code(&ch, wrong, SessionKind::Api, None, "", Env::client(1))
        .await;
    assert_eq!(account_error(r), AccountError::Code(OtpVerdict::Exhausted));
    let r = e
        .svc
        .account_login_code(&ch, &right, SessionKind::Api, None, "", Env::client(1))
        .await;
    assert_eq!(account_error(r), AccountError::Code(OtpVerdict::Exhausted));
    // A new code does not bring the challenge back.
    e.advance(61);
    let r = e.svc.resend_code(&ch, Env::client(1)).await;
    assert_eq!(account_error(r), AccountError::Code(OtpVerdict::Exhausted));
    // A fresh login: its code works once, then never again.
    e.advance(61);
    let ch = login_ticket(&e, PASSWORD, 1).await.expect("password");
    let code = e.phones.code_for(PHONE);
    e.svc
        .account_login_code(&ch, &code, SessionKind::Api, None, "", Env::client(1))
        .await
        .expect("first use");
    let r = e
        .svc
        .account_login_code(&ch, &code, SessionKind::Api, None, "", Env::client(1))
        .await;
    assert_eq!(account_error(r), AccountError::Code(OtpVerdict::Used));
}

pub async fn a_code_lives_120_seconds_and_a_new_one_waits_60(store: Store) {
    let e = env(store).await;
    register(&e).await;
    e.advance(61);
    let ch = login_ticket(&e, PASSWORD, 1).await.expect("password");
    let first = e.phones.code_for(PHONE);
    e.advance(59);
    let r = e.svc.resend_code(&ch, Env::client(1)).await;
    let err = account_error(r);
    assert_eq!(err.retry_after(), Some(1));
    e.advance(61);
    // 120 s after it was sent, the first code is over.
    let r = e
        .svc
        .account_login_code(&ch, &first, SessionKind::Api, None, "", Env::client(1))
        .await;
    assert_eq!(account_error(r), AccountError::Code(OtpVerdict::Expired));
    e.svc
        .resend_code(&ch, Env::client(1))
        .await
        .expect("resend");
    let second = e.phones.code_for(PHONE);
    if second != first {
        let r = e
            .svc
            .account_login_code(&ch, &first, SessionKind::Api, None, "", Env::client(1))
            .await;
        assert!(matches!(
            account_error(r),
            AccountError::Code(OtpVerdict::Wrong { .. })
        ));
    }
    e.advance(119);
    e.svc
        .account_login_code(&ch, &second, SessionKind::Api, None, "", Env::client(1))
        .await
        .expect("at 119 s the new code is good");
}

pub async fn a_number_gets_five_login_codes_an_hour_whatever_strangers_type(store: Store) {
    let e = env(store).await;
    register(&e).await; // a code of the public forms
    // A stranger types the owner's number into the public forms with made-up
    // numbers: the decoys use up the public forms' quota of that number …
    for n in 0..5u8 {
        let cap = e.captcha().await;
        let pid = format!("00109009990{n}");
        e.svc
            .register_account(&registration(&pid, PHONE, &cap), Env::client(30 + n))
            .await
            .map(|_| ())
            .or_else(|r| match r {
                ServiceError::Account(AccountError::Send(..)) => Ok(()),
                other => Err(other),
            })
            .expect("decoy or quota");
    }
    let cap = e.captcha().await;
    let r = e
        .svc
        .register_account(&registration("001090099995", PHONE, &cap), Env::client(40))
        .await;
    assert!(matches!(account_error(r), AccountError::Send(..)));
    // … but never the owner's login codes: five an hour of their own.
    for _ in 0..5 {
        e.advance(61);
        login_ticket(&e, PASSWORD, 1)
            .await
            .expect("within the quota");
    }
    e.advance(61);
    let err = account_error(login_ticket(&e, PASSWORD, 1).await);
    assert!(matches!(err, AccountError::Send(..)), "{err:?}");
    assert_eq!(
        e.phones.count(),
        6,
        "the registration's code and five logins"
    );
    e.advance(3600);
    login_ticket(&e, PASSWORD, 1).await.expect("an hour later");
}

pub async fn a_locked_account_answers_like_a_wrong_password_and_gets_no_code(store: Store) {
    let e = env(store).await;
    register(&e).await;
    let token = login(&e).await;
    // A code asked for just before the lock …
    e.advance(61);
    let pending = login_ticket(&e, PASSWORD, 1).await.expect("password");
    let pending_code = e.phones.code_for(PHONE);
    let sent = e.phones.count();
    e.svc
        .lock_own_account(
            PID,
            PHONE,
            &IdentityProof {
                full_name: None,
                date_of_birth: "17-05-1990",
                card_issue_date: "15/03/2022",
            },
            Env::client(9),
        )
        .await
        .expect("lock");
    // The live token ended with the lock.
    assert!(e.svc.account_session(&token).await.expect("ok").is_none());
    assert!(
        e.phones
            .texts_to(PHONE)
            .last()
            .is_some_and(|t| t.contains("da bi khoa"))
    );
    let sent = sent + 1;
    // … dies with it.
    let r = e
        .svc
        .account_login_code(
            &pending,
            &pending_code,
            SessionKind::Api,
            None,
            "",
            Env::client(1),
        )
        .await;
    assert_eq!(account_error(r), AccountError::Challenge);
    let locked = account_error(login_ticket(&e, PASSWORD, 2).await);
    let wrong = account_error(login_ticket(&e, "Sai@2026Mua", 3).await);
    assert_eq!(locked, AccountError::Credentials);
    assert_eq!(wrong, AccountError::Credentials);
    // Registering again with the owner's data: nothing, not even the notice.
    let cap = e.captcha().await;
    e.svc
        .register_account(&registration(PID, PHONE, &cap), Env::client(4))
        .await
        .expect("answers alike");
    assert_eq!(e.phones.count(), sent, "no code to a locked account");
    // A lock with data that do not match answers the same and does nothing.
    e.svc
        .lock_own_account(
            "001090099999",
            PHONE,
            &IdentityProof {
                full_name: None,
                date_of_birth: "17-05-1990",
                card_issue_date: "15/03/2022",
            },
            Env::client(9),
        )
        .await
        .expect("same answer");
    // The owner unlocks with password and code.
    let cap = e.captcha().await;
    let t = e
        .svc
        .unlock_start(
            &LoginRequest {
                personal_id: PID,
                password: PASSWORD,
                captcha_id: &cap.0,
                captcha_answer: &cap.1,
            },
            Env::client(2),
        )
        .await
        .expect("unlock step 1");
    let code = e.phones.code_for(PHONE);
    e.svc
        .unlock_finish(&t.id, &code, Env::client(2))
        .await
        .expect("unlock");
    e.advance(61);
    login(&e).await;
}

pub async fn password_guesses_and_code_guesses_are_counted_apart(store: Store) {
    let e = env(store).await;
    register(&e).await;
    // Five wrong passwords from five addresses: the account's temporary
    // lockout begins.
    for n in 10..15 {
        let r = login_ticket(&e, "Sai@2026Mua", n).await;
        assert_eq!(account_error(r), AccountError::Credentials);
    }
    let r = login_ticket(&e, PASSWORD, 20).await;
    assert_eq!(
        account_error(r),
        AccountError::Credentials,
        "held: even the right password"
    );
    e.advance(61);
    // After the wait, the owner's password opens the code step; wrong codes
    // then do not count against the password.
    let ch = login_ticket(&e, PASSWORD, 21)
        .await
        .expect("after the wait");
    for _ in 0..5 {
        let _ = e
            .svc
            .account_login_code(&ch, "999999", SessionKind::Api, None, "", Env::client(21))
            .await;
    }
    e.advance(61);
    let ch = login_ticket(&e, PASSWORD, 21)
        .await
        .expect("wrong codes never hold the password step");
    let _ = ch;
}

pub async fn a_forgotten_password_is_reset_in_three_steps(store: Store) {
    let e = env(store).await;
    register(&e).await;
    let token = login(&e).await;
    let t = e
        .svc
        .forgot_start(PID, PHONE, Env::client(5))
        .await
        .expect("step 1");
    let sent = e.phones.count();
    // A wrong name answers as a right one, and nothing is sent.
    let t_wrong = e
        .svc
        .forgot_start(PID, PHONE, Env::client(6))
        .await
        .expect("step 1");
    let wrong = e
        .svc
        .forgot_verify(
            &t_wrong.id,
            &IdentityProof {
                full_name: Some("Trần Thị Bảo"),
                date_of_birth: "17/05/1990",
                card_issue_date: "15/03/2022",
            },
            Env::client(6),
        )
        .await
        .expect("same answer");
    assert_eq!(e.phones.count(), sent);
    e.advance(61);
    let right = e
        .svc
        .forgot_verify(
            &t.id,
            &IdentityProof {
                full_name: Some("TRAN THI BICH"),
                date_of_birth: "17/05/1990",
                card_issue_date: "15/03/2022",
            },
            Env::client(5),
        )
        .await
        .expect("step 2");
    assert_eq!(
        (wrong.expires_in, wrong.resend_in),
        (right.expires_in, right.resend_in)
    );
    let code = e.phones.code_for(PHONE);
    // The policy names every rule broken, before the code is spent.
    let r = e
        .svc
        .forgot_reset(&t.id, &code, "abc 17051990", Env::client(5))
        .await;
    let Err(ServiceError::Fields(problems)) = r else {
        panic!("expected the policy's problems, got {r:?}");
    };
    let codes: Vec<&str> = problems.iter().map(|p| p.code).collect();
    for c in [
        "password.no_upper",
        "password.no_special",
        "password.forbidden_char",
        "password.personal_data",
    ] {
        assert!(codes.contains(&c), "{c} missing from {codes:?}");
    }
    // The decoy's step 3 answers the policy exactly as the real one.
    let r = e
        .svc
        .forgot_reset(&t_wrong.id, &code, "abc 17051990", Env::client(6))
        .await;
    let Err(ServiceError::Fields(decoy)) = r else {
        panic!("expected the policy's problems, got {r:?}");
    };
    assert_eq!(
        decoy.iter().map(|p| p.code).collect::<Vec<_>>(),
        codes,
        "the same rules broken, match or not"
    );
    e.svc
        .forgot_reset(&t.id, &code, "Moi@2027Nam", Env::client(5))
        .await
        .expect("reset");
    assert!(e.svc.account_session(&token).await.expect("ok").is_none());
    assert!(
        e.phones
            .texts_to(PHONE)
            .last()
            .is_some_and(|t| t.contains("dat lai"))
    );
    // The used reset challenge cannot be replayed: the new password ended
    // every pending challenge of the account, this one included.
    let r = e
        .svc
        .forgot_reset(&t.id, &code, "Khac@2027Nam", Env::client(5))
        .await;
    assert_eq!(account_error(r), AccountError::Challenge);
    e.advance(61);
    assert_eq!(
        account_error(login_ticket(&e, PASSWORD, 7).await),
        AccountError::Credentials
    );
    login_ticket(&e, "Moi@2027Nam", 7)
        .await
        .expect("the new password");
}

pub async fn level_two_is_granted_in_person_by_reception_only(store: Store) {
    let e = env(store).await;
    register(&e).await;
    let printer = &e.w.printer.officer;
    let r = e
        .svc
        .grant_level_two(printer, e.citizen.id, LevelMethod::Portrait, Env::client(1))
        .await;
    assert!(
        matches!(r, Err(ServiceError::RoleNotAllowed { .. })),
        "{r:?}"
    );
    let a = e
        .svc
        .grant_level_two(
            &e.w.receptionist.officer,
            e.citizen.id,
            LevelMethod::Fingerprints,
            Env::client(1),
        )
        .await
        .expect("granted");
    assert_eq!(a.level, AccountLevel::Two);
    let g = a.grant.expect("grant");
    assert_eq!(
        (g.method, g.officer, g.office),
        (
            LevelMethod::Fingerprints,
            Some(e.w.receptionist.officer.id),
            Some(e.w.receptionist.officer.office)
        )
    );
    let r = e
        .svc
        .lower_account_level(&e.w.admin.officer, e.citizen.id, " ", Env::client(1))
        .await;
    assert!(matches!(
        r,
        Err(ServiceError::Invalid {
            field: "reason",
            ..
        })
    ));
    let a = e
        .svc
        .lower_account_level(&e.w.admin.officer, e.citizen.id, "cấp nhầm", Env::client(1))
        .await
        .expect("lowered");
    assert_eq!((a.level, a.grant), (AccountLevel::One, None));
    // An officer's lock is lifted by an officer, not by the owner.
    e.svc
        .officer_lock_account(
            &e.w.admin.officer,
            e.citizen.id,
            "nghi bị lộ",
            Env::client(1),
        )
        .await
        .expect("lock");
    let cap = e.captcha().await;
    let r = e
        .svc
        .unlock_start(
            &LoginRequest {
                personal_id: PID,
                password: PASSWORD,
                captcha_id: &cap.0,
                captcha_answer: &cap.1,
            },
            Env::client(2),
        )
        .await;
    assert_eq!(account_error(r), AccountError::LockedByOfficer);
}

pub async fn the_card_handed_over_brings_level_two_when_asked_for(store: Store) {
    use cancuoc_core::dossier::code::DossierCode;
    use cancuoc_core::dossier::workflow::{OldDocument, State};
    use cancuoc_service::TransitionCommand;
    use cancuoc_store::{EventKind, EventRecord, SeedDossier};

    let e = env(store).await;
    register(&e).await;
    let w = &e.w;
    let desk = &w.receptionist.officer;
    let back = &w.return_officer.officer;
    let path = [
        (State::Received, desk),
        (State::Captured, desk),
        (State::SlipIssued, desk),
        (State::SentToCentre, desk),
        (State::Approved, &w.approver.officer),
        (State::Printed, &w.printer.officer),
        (State::Dispatched, &w.dispatcher.officer),
        (State::ReadyForPickup, back),
    ];
    let seed = |random: u32| SeedDossier {
        code: DossierCode::new(
            u32::from(desk.office),
            "2026-11-02".parse().expect("date"),
            random,
        )
        .expect("code"),
        kind: cancuoc_core::rules::kinds::IssueKind::First,
        reason: None,
        office: desk.office,
        citizen: e.citizen.id,
        fee_vnd: 0,
        exemption: None,
        charged: None,
        received_on: "2026-11-02".parse().expect("date"),
        deadlines: Vec::new(),
        promised_on: "2026-11-20".parse().expect("date"),
        events: path
            .iter()
            .enumerate()
            .map(|(i, (to, who))| EventRecord {
                seq: i as i64 + 1,
                at: T0 - 86_400 + 3600 * i as i64,
                actor: Some(who.id),
                actor_role: who.role,
                from: i.checked_sub(1).map(|p| path[p].0),
                to: *to,
                note: None,
                kind: EventKind::Transition,
            })
            .collect(),
    };
    e.w.store
        .bulk_insert_dossiers(&[seed(11), seed(12)], None, T0)
        .await
        .expect("seed");
    let hand_over = |random: u32| TransitionCommand {
        code: seed(random).code,
        to: State::Returned,
        note: None,
        expected_version: path.len() as i64,
        idempotency_key: None,
        population_data_changed: None,
        old_document: Some(OldDocument::NoneToCollect),
        at: None,
    };
    // Not asked for: the hand-over changes nothing.
    e.svc
        .transition(back, hand_over(11))
        .await
        .expect("returned");
    let level = |s: &Store| {
        let s = s.clone();
        let id = e.citizen.id;
        async move { s.account(id).await.expect("read").expect("account").account }
    };
    assert_eq!(level(&e.w.store).await.level, AccountLevel::One);
    // Asked for on the declaration: level 2 with the card.
    e.w.store
        .request_account(e.citizen.id, T0)
        .await
        .expect("request");
    e.svc
        .transition(back, hand_over(12))
        .await
        .expect("returned");
    let a = level(&e.w.store).await;
    assert_eq!(a.level, AccountLevel::Two);
    let g = a.grant.expect("grant");
    assert_eq!(
        (g.method, g.officer, g.office),
        (LevelMethod::CardIssuance, None, Some(desk.office))
    );
}

pub async fn a_blocked_number_is_refused_alike_whatever_matched(store: Store) {
    let mut e = env(store).await;
    let svc = Arc::try_unwrap(e.svc).expect("one owner");
    e.svc =
        Arc::new(svc.with_blocked_numbers([
            cancuoc_core::phone::PhoneNumber::parse(PHONE).expect("phone"),
        ]));
    let cap = e.captcha().await;
    let unknown = account_error(
        e.svc
            .register_account(&registration("001090099999", PHONE, &cap), Env::client(1))
            .await,
    );
    let cap = e.captcha().await;
    let known = account_error(
        e.svc
            .register_account(&registration(PID, PHONE, &cap), Env::client(1))
            .await,
    );
    assert_eq!(unknown, known);
    assert!(matches!(
        known,
        AccountError::Sms(cancuoc_service::sms::SmsError::Rejected { .. })
    ));
    assert_eq!(e.phones.count(), 0);
}

/// The holder reports their own card lost from their account: lost at once
/// for relying parties, recorded in the account's history; a blank reason
/// is refused and changes nothing.
pub async fn the_holder_reports_their_own_card_lost(store: Store) {
    let e = env(store).await;
    register(&e).await;
    let token = login(&e).await;
    let s = e
        .svc
        .account_session(&token)
        .await
        .expect("session")
        .expect("live");
    let pid = cancuoc_core::id::PersonalId::parse(PID).expect("id");
    let status = |n: u8| {
        let svc = Arc::clone(&e.svc);
        async move {
            svc.card_status(&pid, None, Env::client(n))
                .await
                .expect("status")
                .status
        }
    };
    assert_eq!(status(50).await, cancuoc_service::CardStanding::Valid);
    let blank = e
        .svc
        .account_report_card_lost(&s, None, " ", Env::client(1))
        .await;
    assert_eq!(
        blank.map_err(|e| e.class()).err(),
        Some(cancuoc_service::ErrorClass::Invalid)
    );
    assert_eq!(status(50).await, cancuoc_service::CardStanding::Valid);
    let (number, lost) = e
        .svc
        .account_report_card_lost(&s, None, "Bị móc túi", Env::client(1))
        .await
        .expect("lost");
    assert_eq!(number.as_str(), PID);
    assert_eq!(lost.status, cancuoc_service::CardStanding::Lost);
    assert_eq!(status(50).await, cancuoc_service::CardStanding::Lost);
    let history = e.svc.account_history(&s, 20).await.expect("history");
    assert!(
        history.iter().any(|ev| ev.kind == "card_lost"),
        "{history:?}"
    );
}

pub async fn the_figures_count_account_logins_by_outcome(store: Store) {
    let e = env(store).await;
    register(&e).await;
    let counts = || async { e.svc.figures().await.account_logins };
    assert_eq!(counts().await, LoginCounts::default());
    // Five wrong passwords: failed; then the right one, held by the
    // account's lockout: locked (the citizen sees the same refusal).
    for n in 10..15 {
        let r = login_ticket(&e, "Sai@2026Mua", n).await;
        assert_eq!(account_error(r), AccountError::Credentials);
    }
    let r = login_ticket(&e, PASSWORD, 20).await;
    assert_eq!(account_error(r), AccountError::Credentials);
    assert_eq!(
        counts().await,
        LoginCounts {
            ok: 0,
            failed: 5,
            locked: 1
        }
    );
    // After the wait: the password step passes (not yet a login), a wrong
    // code fails, the right code opens a session.
    e.advance(61);
    let ch = login_ticket(&e, PASSWORD, 21)
        .await
        .expect("after the wait");
    let code = e.phones.code_for(PHONE);
    let r = e
        .svc
        .account_login_code(&ch, "999999", SessionKind::Api, None, "", Env::client(21))
        .await;
    assert!(matches!(account_error(r), AccountError::Code(_)));
    e.svc
        .account_login_code(&ch, &code, SessionKind::Api, None, "", Env::client(21))
        .await
        .expect("the right code");
    assert_eq!(
        counts().await,
        LoginCounts {
            ok: 1,
            failed: 6,
            locked: 1
        }
    );
    // An unlock's password step is no login: not counted.
    let cap = e.captcha().await;
    let _ = e
        .svc
        .unlock_start(
            &LoginRequest {
                personal_id: PID,
                password: "Sai@2026Mua",
                captcha_id: &cap.0,
                captcha_answer: &cap.1,
            },
            Env::client(30),
        )
        .await;
    assert_eq!(counts().await.failed, 6);
    // The officers' counters are apart.
    assert_eq!(e.svc.figures().await.officer_logins, LoginCounts::default());
}
