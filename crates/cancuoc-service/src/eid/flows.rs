//! The public flows of the accounts: register and confirm, log in and
//! confirm, a new code, forgotten password (three steps), lock and unlock
//! by the owner, sessions and logout. See the module above for what each
//! answer may and may not reveal.

use cancuoc_core::account::OtpPurpose;
use cancuoc_core::account::otp::{ChallengeState, OtpCode, OtpVerdict, ct_eq};
use cancuoc_core::account::password::{PasswordPolicy, PersonalData};
use cancuoc_core::account::sms::{Notice, notice_text, otp_text};
use cancuoc_core::id::PersonalId;
use cancuoc_core::person::PartialDate;
use cancuoc_core::phone::PhoneNumber;
use cancuoc_core::text::search_key;
use cancuoc_store::{
    Account, AccountActor, AccountRecord, CaptchaCheck, CardState, Challenge, Citizen, FailureKind,
    LiveAccountSession, NewChallenge, SessionKind, StoreError, Token,
};
use jiff::civil::Date;

use super::{
    AccountError, AccountLogin, ChallengeTicket, RESET_WINDOW_SECS, client_text, ctx, fresh_code,
};
use crate::accounts::{DUMMY_HASH, hash_secret, verify_password};
use crate::error::Limit;
use crate::figures::LoginResult;
use crate::guard::{Client, LoginAttempt};
use crate::registration::FieldProblem;
use crate::sms::SmsMessage;
use crate::{Service, ServiceError};

/// Reset steps kept in a challenge: number and phone given; identity
/// confirmed and code sent; identity not confirmed (a decoy from then on).
const RESET_GIVEN: u8 = 0;
const RESET_SENT: u8 = 1;
const RESET_DECOY: u8 = 3;

/// A registration as typed (đăng ký tài khoản mức độ 1).
#[derive(Clone, Copy)]
pub struct RegisterRequest<'a> {
    /// Số định danh cá nhân.
    pub personal_id: &'a str,
    /// The phone number on the population record.
    pub phone: &'a str,
    /// Họ, chữ đệm và tên.
    pub full_name: &'a str,
    /// Ngày sinh.
    pub date_of_birth: &'a str,
    /// Ngày cấp of the card on record.
    pub card_issue_date: &'a str,
    /// The chosen password.
    pub password: &'a str,
    /// The captcha shown with the form.
    pub captcha_id: &'a str,
    /// Its answer.
    pub captcha_answer: &'a str,
}

impl std::fmt::Debug for RegisterRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RegisterRequest(<redacted>)")
    }
}

/// A login (đăng nhập): number, password and the captcha.
#[derive(Clone, Copy)]
pub struct LoginRequest<'a> {
    /// Số định danh cá nhân.
    pub personal_id: &'a str,
    /// Mật khẩu.
    pub password: &'a str,
    /// The captcha shown with the form.
    pub captcha_id: &'a str,
    /// Its answer.
    pub captcha_answer: &'a str,
}

impl std::fmt::Debug for LoginRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LoginRequest(<redacted>)")
    }
}

/// The identity a citizen types to prove who they are without a
/// password: the second step of a forgotten password, and the lock.
#[derive(Clone, Copy, Debug)]
pub struct IdentityProof<'a> {
    /// Họ, chữ đệm và tên (not asked by the lock).
    pub full_name: Option<&'a str>,
    /// Ngày sinh.
    pub date_of_birth: &'a str,
    /// Ngày cấp of the card on record.
    pub card_issue_date: &'a str,
}

/// Collects the problems of a form's fields, so all are answered at once.
#[derive(Default)]
pub(crate) struct Problems(Vec<FieldProblem>);

impl Problems {
    pub fn personal_id(&mut self, field: &'static str, s: &str) -> Option<PersonalId> {
        match PersonalId::parse_lenient_input(s) {
            Ok(p) => Some(p),
            Err(e) => {
                self.0.push(FieldProblem::of(field, &e));
                None
            }
        }
    }

    pub fn phone(&mut self, field: &'static str, s: &str) -> Option<PhoneNumber> {
        match PhoneNumber::parse(s) {
            Ok(p) => Some(p),
            Err(e) => {
                self.0.push(FieldProblem::of(field, &e));
                None
            }
        }
    }

    pub fn date(&mut self, field: &'static str, s: &str) -> Option<Date> {
        match PartialDate::parse_typed(s) {
            Ok(PartialDate::Full(d)) => Some(d),
            Ok(_) => {
                self.0.push(FieldProblem {
                    field,
                    code: "account.date_incomplete",
                    message_vi: "cần đủ ngày, tháng và năm (ví dụ 15/03/1990)".into(),
                    message_en: "the day, month and year are needed (e.g. 15/03/1990)".into(),
                });
                None
            }
            Err(e) => {
                self.0.push(FieldProblem::of(field, &e));
                None
            }
        }
    }

    pub fn required(&mut self, field: &'static str, s: &str) -> Option<String> {
        let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.is_empty() || t.chars().count() > 200 {
            self.0.push(FieldProblem {
                field,
                code: "account.required",
                message_vi: "cần nhập (tối đa 200 ký tự)".into(),
                message_en: "required (at most 200 characters)".into(),
            });
            None
        } else {
            Some(t)
        }
    }

    pub fn password(&mut self, field: &'static str, pw: &str, personal: &PersonalData<'_>) {
        if let Err(problems) = PasswordPolicy::SEED.check(pw, personal) {
            self.0
                .extend(problems.iter().map(|p| FieldProblem::of(field, p)));
        }
    }

    pub fn push(&mut self, p: FieldProblem) {
        self.0.push(p);
    }

    pub fn finish(self) -> Result<(), ServiceError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ServiceError::Fields(self.0))
        }
    }
}

/// The hourly quota a code of `purpose` counts against: `password` for
/// codes asked for with the password, `public` for the public forms'.
pub(crate) fn quota_of(purpose: OtpPurpose) -> &'static str {
    match purpose {
        OtpPurpose::Login | OtpPurpose::Unlock => "password",
        OtpPurpose::Register | OtpPurpose::Reset => "public",
    }
}

/// Personal data to keep out of a password.
pub(crate) fn personal<'a>(pid: &'a str, dob: Option<Date>, phone: &'a str) -> PersonalData<'a> {
    PersonalData {
        personal_id: pid,
        date_of_birth: dob,
        birth_year: dob.map(|d| d.year()),
        phone,
    }
}

/// Whether a typed name is the record's, ignoring case, diacritics and
/// spacing (a citizen typing without diacritics is still themselves).
pub(crate) fn same_name(record: &str, typed: &str) -> bool {
    search_key(record) == search_key(typed)
}

impl Service {
    /// Spends a public form's captcha; anything but solved refuses.
    pub(crate) async fn require_captcha(&self, id: &str, answer: &str) -> Result<(), ServiceError> {
        match self.spend_captcha(id, answer).await? {
            CaptchaCheck::Solved => Ok(()),
            other => Err(ServiceError::Captcha(other)),
        }
    }

    /// Counts a request of the accounts' public forms against `client`.
    fn account_form(&self, client: Client) -> Result<(), ServiceError> {
        let g = &self.guards;
        g.take(
            &g.account_forms,
            Limit::AccountForms,
            client,
            self.now().as_millisecond(),
        )
    }

    /// The citizen with this number, if any.
    async fn citizen_with(&self, pid: &PersonalId) -> Result<Option<Citizen>, ServiceError> {
        match self.store.citizen_by_personal_id(pid).await {
            Ok(c) => Ok(Some(c)),
            Err(StoreError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Whether the citizen holds an active card issued on `issued`.
    async fn has_card_issued(&self, c: &Citizen, issued: Date) -> Result<bool, ServiceError> {
        Ok(self
            .store
            .cards_of(c.id)
            .await?
            .iter()
            .any(|card| card.state == CardState::Active && card.issued_on == issued))
    }

    /// Whether what was typed is the record's: the phone on record (when
    /// given), the name (when given), the full date of birth and the issue
    /// date of the active card.
    async fn matches_record(
        &self,
        c: &Citizen,
        phone: Option<&PhoneNumber>,
        name: Option<&str>,
        dob: Date,
        issued: Date,
    ) -> Result<bool, ServiceError> {
        let phone_ok = phone.is_none_or(|p| c.phone.as_deref() == Some(p.as_str()));
        let name_ok = name.is_none_or(|n| same_name(&c.full_name, n));
        let dob_ok = c.dob == PartialDate::Full(dob);
        // Every check runs, so a mismatch early costs as much as late.
        let card_ok = self.has_card_issued(c, issued).await?;
        Ok(phone_ok && name_ok && dob_ok && card_ok)
    }

    /// The record's phone as a number, if it has a usable one.
    fn record_phone(c: &Citizen) -> Option<PhoneNumber> {
        c.phone.as_deref().and_then(|p| PhoneNumber::parse(p).ok())
    }

    /// Checks the hourly quota of `phone` for codes of `purpose` at `now`
    /// (the cooldown is per challenge: a citizen who registers and then
    /// logs in at once is not kept waiting, see [`Service::resend_code`]).
    ///
    /// Two quotas per number, each of [`OtpRules::sends_per_hour`]: codes
    /// asked for with the password (login, unlock) and codes of the public
    /// forms (registration, forgotten password). The public forms count
    /// their decoys against the number typed, so the quota answers alike
    /// whatever matched; kept apart, a stranger typing someone's number
    /// into those forms can hold up their registration or reset for an
    /// hour, never their login.
    ///
    /// [`OtpRules::sends_per_hour`]: cancuoc_core::account::otp::OtpRules
    async fn may_send_to(
        &self,
        phone: &str,
        purpose: OtpPurpose,
        now: i64,
    ) -> Result<(), ServiceError> {
        // Before anything is matched, so a blocked number is refused alike
        // whether or not the rest of a form matched a record.
        if self.accounts.blocked.contains(phone) {
            return Err(AccountError::Sms(crate::sms::SmsError::Rejected {
                code: "blocked".into(),
                message: "the number is on the service's block list".into(),
            })
            .into());
        }
        let rules = &self.accounts.settings.otp;
        // The hour is (now − 3600, now]: a message sent at `first` leaves
        // it at `first + 3600`, the moment the `Retry-After` below names.
        let (count, first, _) = self
            .store
            .sms_sent_since(phone, quota_of(purpose), now - 3600 + 1)
            .await?;
        rules.may_send(None, count, now).map_err(|r| {
            let wait = first.map_or(3600, |f| (f + 3600 - now).max(1));
            AccountError::Send(r, u64::try_from(wait).unwrap_or(1)).into()
        })
    }

    /// Sends `text` to `to` through the gateway, timing it; records it in
    /// the quota ledger once the provider took it.
    pub(crate) async fn send_sms(
        &self,
        to: &PhoneNumber,
        text: String,
        purpose: &'static str,
    ) -> Result<(), ServiceError> {
        if self.accounts.blocked.contains(to.as_str()) {
            tracing::warn!(purpose, "SMS not sent: the number is blocked");
            return Err(AccountError::Sms(crate::sms::SmsError::Rejected {
                code: "blocked".into(),
                message: "the number is on the service's block list".into(),
            })
            .into());
        }
        let started = std::time::Instant::now();
        let msg = SmsMessage {
            to: to.clone(),
            text,
            purpose,
            key: None,
        };
        let sent = self.accounts.sms.send(&msg).await;
        self.accounts
            .send_timer
            .record(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX));
        match sent {
            // The hourly quota counts codes; a notice follows an event the
            // owner should hear of, however many there were.
            Ok(()) if purpose == "notice" => Ok(()),
            Ok(()) => {
                let class = OtpPurpose::parse(purpose).map_or(purpose, quota_of);
                self.store
                    .record_sms(to.as_str(), class, self.now_secs())
                    .await?;
                Ok(())
            }
            Err(e) => {
                tracing::warn!(purpose, error = %e, "SMS not sent");
                Err(AccountError::Sms(e).into())
            }
        }
    }

    /// What a path that sends nothing does instead: records the "send" in
    /// the quota ledger (so the quota answers alike) and waits about as
    /// long as a send takes.
    async fn pretend_send(
        &self,
        typed: &PhoneNumber,
        purpose: OtpPurpose,
    ) -> Result<(), ServiceError> {
        tokio::time::sleep(self.accounts.send_timer.typical()).await;
        self.store
            .record_sms(typed.as_str(), quota_of(purpose), self.now_secs())
            .await?;
        Ok(())
    }

    /// Sends a fresh code for `purpose` to `to`; its stored hash.
    async fn send_code(
        &self,
        challenge: &Token,
        to: &PhoneNumber,
        purpose: OtpPurpose,
    ) -> Result<String, ServiceError> {
        let code = fresh_code();
        let hash = self.accounts.code_hash(challenge.expose(), code.as_str());
        self.send_sms(to, otp_text(&code, purpose), purpose.code())
            .await?;
        Ok(hash)
    }

    /// A hash no code matches (a decoy's).
    fn decoy_hash(&self, challenge: &Token) -> String {
        self.accounts.code_hash(
            challenge.expose(),
            &format!("decoy-{}", rand::random::<u64>()),
        )
    }

    fn ticket(&self, id: &Token, phone: &PhoneNumber) -> ChallengeTicket {
        let rules = &self.accounts.settings.otp;
        ChallengeTicket {
            id: id.expose().to_owned(),
            expires_in: rules.ttl_secs,
            resend_in: rules.resend_cooldown_secs,
            phone_hint: phone.masked(),
        }
    }

    /// Sends a notice (no code) to a citizen's phone on record; a failure
    /// is logged and written to the account's events, never dropped
    /// silently (the change it reports is already made).
    pub(crate) async fn notify(&self, c: &Citizen, notice: Notice, client: &str) {
        let Some(phone) = Self::record_phone(c) else {
            return;
        };
        if let Err(e) = self.send_sms(&phone, notice_text(notice), "notice").await {
            let _ = self
                .store
                .add_account_event(
                    c.id,
                    "notice_failed",
                    &e.to_string(),
                    ctx(self.now_secs(), client),
                )
                .await;
        }
    }

    /// Registers a level-1 account (đăng ký tài khoản định danh điện tử
    /// mức độ 1): the fields are checked (all problems at once), the
    /// captcha spent, the password hashed; then, when the number, phone,
    /// name, date of birth and card issue date are the record's and the
    /// citizen has no account with a password, a code goes to the phone on
    /// record. Otherwise the answer is the same — a challenge that never
    /// accepts a code — and an owner who already has an account is told
    /// so by SMS.
    pub async fn register_account(
        &self,
        req: &RegisterRequest<'_>,
        client: Client,
    ) -> Result<ChallengeTicket, ServiceError> {
        let mut p = Problems::default();
        let pid = p.personal_id("personal_id", req.personal_id);
        let phone = p.phone("phone", req.phone);
        let name = p.required("full_name", req.full_name);
        let dob = p.date("date_of_birth", req.date_of_birth);
        let issued = p.date("card_issue_date", req.card_issue_date);
        p.password(
            "password",
            req.password,
            &personal(
                pid.as_ref().map_or(req.personal_id, PersonalId::as_str),
                dob,
                req.phone,
            ),
        );
        p.finish()?;
        let (Some(pid), Some(phone), Some(name), Some(dob), Some(issued)) =
            (pid, phone, name, dob, issued)
        else {
            return Err(ServiceError::Internal("checked fields missing".into()));
        };
        self.account_form(client)?;
        self.require_captcha(req.captcha_id, req.captcha_answer)
            .await?;
        let hash = hash_secret(req.password.to_owned()).await?;
        let now = self.now_secs();
        self.may_send_to(phone.as_str(), OtpPurpose::Register, now)
            .await?;
        let citizen = match self.citizen_with(&pid).await? {
            Some(c)
                if self
                    .matches_record(&c, Some(&phone), Some(&name), dob, issued)
                    .await? =>
            {
                Some(c)
            }
            _ => None,
        };
        let account = match &citizen {
            Some(c) => self.store.account(c.id).await?,
            None => None,
        };
        let id = Token::generate();
        // A locked account is sent nothing, not even the notice.
        let locked = account.as_ref().is_some_and(|a| a.account.lock.is_some());
        let real = citizen
            .as_ref()
            .filter(|_| !locked && account.as_ref().is_none_or(|a| !a.account.has_password));
        let code_hash = match (real, &citizen) {
            (Some(_), _) => self.send_code(&id, &phone, OtpPurpose::Register).await?,
            (None, Some(_)) if !locked => {
                // Already registered: the owner hears of the attempt.
                // Counted as a registration's code is (purpose
                // `register`), so the quota answers alike.
                let text = notice_text(Notice::AlreadyRegistered);
                self.send_sms(&phone, text, OtpPurpose::Register.code())
                    .await?;
                self.decoy_hash(&id)
            }
            _ => {
                self.pretend_send(&phone, OtpPurpose::Register).await?;
                self.decoy_hash(&id)
            }
        };
        self.store
            .create_challenge(
                &id,
                &NewChallenge {
                    purpose: OtpPurpose::Register,
                    citizen: real.map(|c| c.id),
                    phone: Some(phone.as_str().to_owned()),
                    code_hash: Some(code_hash),
                    step: 0,
                    pending: real.map(|_| hash),
                    created_at: now,
                    sent_at: Some(now),
                    expires_at: now + RESET_WINDOW_SECS,
                },
            )
            .await?;
        Ok(self.ticket(&id, &phone))
    }

    /// Confirms a registration with its code (xác thực OTP): the account
    /// is made (or an account made at card issuance gets its password).
    pub async fn verify_registration(
        &self,
        challenge: &str,
        otp: &str,
        client: Client,
    ) -> Result<Account, ServiceError> {
        let (_, ch) = self
            .check_code(challenge, otp, OtpPurpose::Register, client)
            .await?;
        let (Some(citizen), Some(pending)) = (ch.citizen, ch.pending.as_deref()) else {
            return Err(AccountError::Challenge.into());
        };
        let who = client_text(client);
        match self
            .store
            .register_account(citizen, pending, ctx(self.now_secs(), &who))
            .await
        {
            Ok(a) => {
                tracing::info!(citizen = citizen.0, "identity account registered");
                Ok(a)
            }
            Err(e) if e.is_duplicate() => Err(AccountError::Challenge.into()),
            Err(e) => Err(e.into()),
        }
    }

    /// Checks a typed code against challenge `challenge` of `purpose`
    /// (counted per account and address before the check, and per
    /// account after it) and spends the challenge when it is right.
    async fn check_code(
        &self,
        challenge: &str,
        typed: &str,
        purpose: OtpPurpose,
        client: Client,
    ) -> Result<(Token, Challenge), ServiceError> {
        let Some(code) = OtpCode::parse(typed) else {
            return Err(ServiceError::Fields(vec![FieldProblem {
                field: "otp",
                code: "otp.format",
                message_vi: "mã xác thực gồm đúng 6 chữ số".into(),
                message_en: "the verification code is exactly 6 digits".into(),
            }]));
        };
        let id = Token::from_presented(challenge);
        let ch = match self.store.challenge(&id).await? {
            Some(ch) if ch.purpose == purpose && ch.code_hash.is_some() => ch,
            _ => return Err(AccountError::Challenge.into()),
        };
        let now = self.now_secs();
        // Whose account a right code would open: none for a decoy (a
        // registration that matched no one, a reset whose identity did not
        // match), which then never accepts a code and never counts against
        // anyone's account.
        let owner = ch
            .citizen
            .filter(|_| !(ch.purpose == OtpPurpose::Reset && ch.step == RESET_DECOY));
        let key = match owner {
            Some(c) => format!("citizen:{}", c.0),
            None => format!("challenge:{}", &challenge.get(..16).unwrap_or(challenge)),
        };
        let guard = &self.guards.account_codes;
        let attempt: LoginAttempt = guard
            .admit(&key, client, now)
            .map_err(|secs| ServiceError::limited(Limit::AccountCodes, secs))?;
        let account = match owner {
            Some(c) => self.store.account(c).await,
            None => Ok(None),
        };
        let account = match account {
            Ok(a) => a,
            Err(e) => {
                guard.abandoned(attempt);
                return Err(e.into());
            }
        };
        let stored = ch.code_hash.as_deref().unwrap_or_default();
        let matches = owner.is_some()
            && ct_eq(
                self.accounts.code_hash(challenge, code.as_str()).as_bytes(),
                stored.as_bytes(),
            );
        let state = ChallengeState {
            created_at: ch.sent_at.unwrap_or(ch.created_at),
            wrong: ch.wrong,
            used: ch.used,
        };
        let rules = &self.accounts.settings.otp;
        let verdict = rules.judge(&state, now, matches);
        // A dead challenge says why first; a live one waits out the
        // account's lockout of wrong codes.
        if matches!(
            verdict,
            OtpVerdict::Expired | OtpVerdict::Exhausted | OtpVerdict::Used
        ) {
            guard.abandoned(attempt);
            return Err(AccountError::Code(verdict).into());
        }
        let lockout = &self.accounts.settings.otp_lockout;
        if let Some(until) = account
            .as_ref()
            .and_then(|a| a.account.otp_failures)
            .and_then(|f| lockout.locked_until(&f))
            .filter(|&u| u > now)
        {
            guard.abandoned(attempt);
            return Err(AccountError::CodesLocked(u64::try_from(until - now).unwrap_or(1)).into());
        }
        match verdict {
            OtpVerdict::Accept => {
                if !self
                    .store
                    .spend_challenge(&id, rules.max_wrong, now)
                    .await?
                {
                    guard.abandoned(attempt);
                    return Err(AccountError::Code(OtpVerdict::Used).into());
                }
                guard.succeeded(attempt);
                if let Some(c) = owner
                    && account.is_some()
                {
                    self.store
                        .clear_account_failures(c, FailureKind::Otp)
                        .await?;
                }
                Ok((id, ch))
            }
            OtpVerdict::Wrong { .. } => {
                guard.failed(attempt);
                let wrong = self.store.challenge_wrong(&id).await?.unwrap_or(u32::MAX);
                let remaining = rules.max_wrong.saturating_sub(wrong);
                if let (Some(c), Some(_)) = (owner, &account) {
                    let who = client_text(client);
                    self.store
                        .record_account_failure(
                            c,
                            FailureKind::Otp,
                            lockout.failure_reset_secs,
                            ctx(now, &who),
                        )
                        .await?;
                }
                Err(AccountError::Code(if remaining == 0 {
                    OtpVerdict::Exhausted
                } else {
                    OtpVerdict::Wrong { remaining }
                })
                .into())
            }
            other => {
                guard.abandoned(attempt);
                Err(AccountError::Code(other).into())
            }
        }
    }

    /// Checks a number and password for a login or an unlock: the
    /// citizen's account when they open it (a locked account only when
    /// `want_locked`), counted per number and address before the check
    /// and per account after it. Every failure is
    /// [`AccountError::Credentials`].
    pub(crate) async fn check_password(
        &self,
        pid: &PersonalId,
        password: &str,
        want_locked: bool,
        client: Client,
    ) -> Result<(Citizen, AccountRecord), ServiceError> {
        let now = self.now_secs();
        let guard = &self.guards.account_passwords;
        // A login's password step is counted in the figures (an unlock's
        // is not a login).
        let counted = (!want_locked).then_some(&self.stats.account_logins);
        let attempt = match guard.admit(pid.as_str(), client, now) {
            Ok(attempt) => attempt,
            Err(secs) => {
                if let Some(c) = counted {
                    c.count(LoginResult::Locked);
                }
                return Err(ServiceError::limited(Limit::AccountLogins, secs));
            }
        };
        let found = async {
            let Some(c) = self.citizen_with(pid).await? else {
                return Ok::<_, ServiceError>(None);
            };
            Ok(self.store.account(c.id).await?.map(|a| (c, a)))
        }
        .await;
        let found = match found {
            Ok(f) => f,
            Err(e) => {
                guard.abandoned(attempt);
                return Err(e);
            }
        };
        let lockout = &self.accounts.settings.password_lockout;
        let held = found
            .as_ref()
            .and_then(|(_, a)| a.account.password_failures)
            .and_then(|f| lockout.locked_until(&f))
            .is_some_and(|u| u > now);
        let hash = match &found {
            Some((_, a)) if !held => a.password_hash.clone(),
            _ => None,
        };
        let ok = match verify_password(password, hash.unwrap_or_else(|| DUMMY_HASH.clone())).await {
            Ok(ok) => ok,
            Err(e) => {
                guard.abandoned(attempt);
                return Err(e);
            }
        };
        match found {
            Some((c, a)) if ok && !held && a.account.lock.is_some() == want_locked => {
                guard.succeeded(attempt);
                if a.account.password_failures.is_some() {
                    self.store
                        .clear_account_failures(c.id, FailureKind::Password)
                        .await?;
                }
                Ok((c, a))
            }
            Some((c, _)) => {
                guard.failed(attempt);
                // The right password for an account held by its lockout
                // or (un)locked otherwise than asked counts as locked.
                if let Some(c) = counted {
                    c.count(if held || ok {
                        LoginResult::Locked
                    } else {
                        LoginResult::Failed
                    });
                }
                if !ok && !held {
                    let who = client_text(client);
                    self.store
                        .record_account_failure(
                            c.id,
                            FailureKind::Password,
                            lockout.failure_reset_secs,
                            ctx(now, &who),
                        )
                        .await?;
                }
                Err(AccountError::Credentials.into())
            }
            None => {
                guard.failed(attempt);
                if let Some(c) = counted {
                    c.count(LoginResult::Failed);
                }
                Err(AccountError::Credentials.into())
            }
        }
    }

    /// Logs in with number, password and captcha (đăng nhập): when they
    /// open an unlocked account, a code goes to the phone on record; every
    /// failure is the same [`AccountError::Credentials`], and a locked
    /// account is never sent a code.
    pub async fn account_login(
        &self,
        req: &LoginRequest<'_>,
        client: Client,
    ) -> Result<ChallengeTicket, ServiceError> {
        let mut p = Problems::default();
        let pid = p.personal_id("personal_id", req.personal_id);
        if req.password.is_empty() {
            p.push(FieldProblem {
                field: "password",
                code: "account.required",
                message_vi: "cần nhập mật khẩu".into(),
                message_en: "the password is required".into(),
            });
        }
        p.finish()?;
        let Some(pid) = pid else {
            return Err(ServiceError::Internal("checked fields missing".into()));
        };
        self.require_captcha(req.captcha_id, req.captcha_answer)
            .await?;
        let (c, _) = self
            .check_password(&pid, req.password, false, client)
            .await?;
        self.challenge_for(&c, OtpPurpose::Login, client).await
    }

    /// Opens a challenge of `purpose` for an account's owner and sends its
    /// code to the phone on record.
    async fn challenge_for(
        &self,
        c: &Citizen,
        purpose: OtpPurpose,
        client: Client,
    ) -> Result<ChallengeTicket, ServiceError> {
        let now = self.now_secs();
        let Some(phone) = Self::record_phone(c) else {
            return Err(AccountError::Sms(crate::sms::SmsError::Rejected {
                code: "no_phone".into(),
                message: "no phone number on the population record".into(),
            })
            .into());
        };
        if let Some(until) = self
            .store
            .account(c.id)
            .await?
            .and_then(|a| a.account.otp_failures)
            .and_then(|f| self.accounts.settings.otp_lockout.locked_until(&f))
            .filter(|&u| u > now)
        {
            return Err(AccountError::CodesLocked(u64::try_from(until - now).unwrap_or(1)).into());
        }
        self.may_send_to(phone.as_str(), purpose, now).await?;
        let id = Token::generate();
        let hash = self.send_code(&id, &phone, purpose).await?;
        self.store
            .create_challenge(
                &id,
                &NewChallenge {
                    purpose,
                    citizen: Some(c.id),
                    phone: Some(phone.as_str().to_owned()),
                    code_hash: Some(hash),
                    step: 0,
                    pending: None,
                    created_at: now,
                    sent_at: Some(now),
                    expires_at: now + RESET_WINDOW_SECS,
                },
            )
            .await?;
        let who = client_text(client);
        self.store
            .add_account_event(c.id, "otp_sent", purpose.code(), ctx(now, &who))
            .await?;
        Ok(self.ticket(&id, &phone))
    }

    /// Confirms a login with its code: a new session (portal) or bearer
    /// token (API), replacing the session `previous` names, if any (a new
    /// id at every login: no fixation).
    pub async fn account_login_code(
        &self,
        challenge: &str,
        otp: &str,
        kind: SessionKind,
        previous: Option<&str>,
        agent: &str,
        client: Client,
    ) -> Result<AccountLogin, ServiceError> {
        let result = self
            .open_login_session(challenge, otp, kind, previous, agent, client)
            .await;
        // The login's second step in the figures: a session opened, a code
        // refused, or codes locked after too many wrong ones.
        let counted = match &result {
            Ok(_) => Some(LoginResult::Ok),
            Err(e) => match e.class() {
                crate::ErrorClass::Unauthenticated => Some(LoginResult::Failed),
                crate::ErrorClass::Limited => Some(LoginResult::Locked),
                _ => None,
            },
        };
        if let Some(r) = counted {
            self.stats.account_logins.count(r);
        }
        result
    }

    /// [`Service::account_login_code`] without the counting.
    async fn open_login_session(
        &self,
        challenge: &str,
        otp: &str,
        kind: SessionKind,
        previous: Option<&str>,
        agent: &str,
        client: Client,
    ) -> Result<AccountLogin, ServiceError> {
        let (_, ch) = self
            .check_code(challenge, otp, OtpPurpose::Login, client)
            .await?;
        let Some(citizen) = ch.citizen else {
            return Err(AccountError::Challenge.into());
        };
        let now = self.now_secs();
        let who = client_text(client);
        if let Some(old) = previous {
            let _ = self
                .store
                .close_account_session(&Token::from_presented(old), ctx(now, &who))
                .await;
        }
        let limits = self.accounts.settings.sessions;
        let opened = match self
            .store
            .open_account_session(citizen, kind, &who, agent, limits, now)
            .await
        {
            Ok(s) => s,
            // Locked between the password and the code.
            Err(StoreError::NotFound { .. }) => return Err(AccountError::Credentials.into()),
            Err(e) => return Err(e.into()),
        };
        tracing::info!(citizen = citizen.0, kind = kind.code(), "account login");
        Ok(AccountLogin {
            token: opened.id.expose().to_owned(),
            csrf: opened.csrf,
            expires_at: now + limits.max_secs,
            citizen,
        })
    }

    /// Sends a new code for an open challenge (gửi lại mã) once the
    /// cooldown is over and within the number's hourly quota; the wrong
    /// count starts again. Never to a locked account.
    pub async fn resend_code(
        &self,
        challenge: &str,
        client: Client,
    ) -> Result<ChallengeTicket, ServiceError> {
        let id = Token::from_presented(challenge);
        let now = self.now_secs();
        let max_wrong = self.accounts.settings.otp.max_wrong;
        let ch = match self.store.challenge(&id).await? {
            // Five wrong entries end a challenge, whatever codes it sent.
            Some(ch) if !ch.used && ch.wrong >= max_wrong => {
                return Err(AccountError::Code(OtpVerdict::Exhausted).into());
            }
            Some(ch)
                if !ch.used
                    && ch.code_hash.is_some()
                    && ch.created_at + RESET_WINDOW_SECS > now =>
            {
                ch
            }
            _ => return Err(AccountError::Challenge.into()),
        };
        let Some(phone) = ch.phone.as_deref().and_then(|p| PhoneNumber::parse(p).ok()) else {
            return Err(AccountError::Challenge.into());
        };
        let sent = ch.sent_at.unwrap_or(ch.created_at);
        let cooldown = self.accounts.settings.otp.resend_cooldown_secs;
        if now - sent < cooldown {
            let wait = cooldown - (now - sent);
            return Err(AccountError::Send(
                cancuoc_core::account::otp::SendRefusal::Cooldown { wait_secs: wait },
                u64::try_from(wait).unwrap_or(1),
            )
            .into());
        }
        self.may_send_to(phone.as_str(), ch.purpose, now).await?;
        let live = match ch.citizen {
            Some(c) => match self.store.account(c).await? {
                // A lock since the challenge began: no code.
                Some(a) if a.account.lock.is_some() && ch.purpose != OtpPurpose::Unlock => None,
                _ => Some(c),
            },
            None => None,
        };
        let decoy = ch.purpose == OtpPurpose::Reset && ch.step == RESET_DECOY;
        let hash = match live {
            Some(_) if !decoy => self.send_code(&id, &phone, ch.purpose).await?,
            _ => {
                self.pretend_send(&phone, ch.purpose).await?;
                self.decoy_hash(&id)
            }
        };
        let ttl = self.accounts.settings.otp.ttl_secs;
        if !self
            .store
            .challenge_sent(
                &id,
                &hash,
                now,
                now + RESET_WINDOW_SECS.max(ttl),
                ch.step,
                None,
            )
            .await?
        {
            return Err(AccountError::Challenge.into());
        }
        let _ = client;
        Ok(self.ticket(&id, &phone))
    }

    /// Step 1 of a forgotten password (quên mật khẩu): number and phone.
    /// Always a challenge for step 2, whatever matched.
    pub async fn forgot_start(
        &self,
        personal_id: &str,
        phone: &str,
        client: Client,
    ) -> Result<ChallengeTicket, ServiceError> {
        let mut p = Problems::default();
        let pid = p.personal_id("personal_id", personal_id);
        let phone = p.phone("phone", phone);
        p.finish()?;
        let (Some(pid), Some(phone)) = (pid, phone) else {
            return Err(ServiceError::Internal("checked fields missing".into()));
        };
        self.account_form(client)?;
        let now = self.now_secs();
        let citizen = match self.citizen_with(&pid).await? {
            Some(c) if c.phone.as_deref() == Some(phone.as_str()) => {
                match self.store.account(c.id).await? {
                    Some(a) if a.account.has_password => Some(c.id),
                    _ => None,
                }
            }
            _ => None,
        };
        let id = Token::generate();
        self.store
            .create_challenge(
                &id,
                &NewChallenge {
                    purpose: OtpPurpose::Reset,
                    citizen,
                    phone: Some(phone.as_str().to_owned()),
                    code_hash: None,
                    step: RESET_GIVEN,
                    // What step 3 checks the new password against, as typed.
                    pending: Some(pid.as_str().to_owned()),
                    created_at: now,
                    sent_at: None,
                    expires_at: now + RESET_WINDOW_SECS,
                },
            )
            .await?;
        let mut t = self.ticket(&id, &phone);
        t.expires_in = RESET_WINDOW_SECS;
        t.resend_in = 0;
        Ok(t)
    }

    /// Step 2 of a forgotten password: name, date of birth and card issue
    /// date. When they are the record's (and the account is not locked) a
    /// code goes to the phone on record; otherwise nothing is sent, and
    /// the answer is the same.
    pub async fn forgot_verify(
        &self,
        challenge: &str,
        proof: &IdentityProof<'_>,
        client: Client,
    ) -> Result<ChallengeTicket, ServiceError> {
        let mut p = Problems::default();
        let name = p.required("full_name", proof.full_name.unwrap_or_default());
        let dob = p.date("date_of_birth", proof.date_of_birth);
        let issued = p.date("card_issue_date", proof.card_issue_date);
        p.finish()?;
        let (Some(name), Some(dob), Some(issued)) = (name, dob, issued) else {
            return Err(ServiceError::Internal("checked fields missing".into()));
        };
        self.account_form(client)?;
        let id = Token::from_presented(challenge);
        let now = self.now_secs();
        let ch = match self.store.challenge(&id).await? {
            Some(ch)
                if ch.purpose == OtpPurpose::Reset
                    && ch.step == RESET_GIVEN
                    && !ch.used
                    && ch.expires_at > now =>
            {
                ch
            }
            _ => return Err(AccountError::Challenge.into()),
        };
        let Some(typed_phone) = ch.phone.as_deref().and_then(|p| PhoneNumber::parse(p).ok()) else {
            return Err(AccountError::Challenge.into());
        };
        self.may_send_to(typed_phone.as_str(), OtpPurpose::Reset, now)
            .await?;
        let real = match ch.citizen {
            Some(cid) => {
                let c = self.store.citizen(cid).await?;
                let unlocked = self
                    .store
                    .account(cid)
                    .await?
                    .is_some_and(|a| a.account.lock.is_none());
                let matched = self
                    .matches_record(&c, None, Some(&name), dob, issued)
                    .await?;
                (matched && unlocked).then_some(c)
            }
            None => None,
        };
        let (hash, step) = match &real {
            Some(c) => {
                let phone = Self::record_phone(c).unwrap_or(typed_phone.clone());
                (
                    self.send_code(&id, &phone, OtpPurpose::Reset).await?,
                    RESET_SENT,
                )
            }
            None => {
                self.pretend_send(&typed_phone, OtpPurpose::Reset).await?;
                (self.decoy_hash(&id), RESET_DECOY)
            }
        };
        let ttl = self.accounts.settings.otp.ttl_secs;
        self.store
            .challenge_sent(
                &id,
                &hash,
                now,
                now + RESET_WINDOW_SECS.max(ttl),
                step,
                Some(&format!(
                    "{}|{dob}",
                    ch.pending.as_deref().unwrap_or_default()
                )),
            )
            .await?;
        if let Some(c) = &real {
            let who = client_text(client);
            self.store
                .add_account_event(c.id, "otp_sent", "reset", ctx(now, &who))
                .await?;
        }
        Ok(self.ticket(&id, &typed_phone))
    }

    /// Step 3 of a forgotten password: the code and the new password. On
    /// success every session and token of the account ends and the owner
    /// is told by SMS.
    pub async fn forgot_reset(
        &self,
        challenge: &str,
        otp: &str,
        new_password: &str,
        client: Client,
    ) -> Result<(), ServiceError> {
        let id = Token::from_presented(challenge);
        let ch = match self.store.challenge(&id).await? {
            Some(ch)
                if ch.purpose == OtpPurpose::Reset
                    && matches!(ch.step, RESET_SENT | RESET_DECOY) =>
            {
                ch
            }
            _ => return Err(AccountError::Challenge.into()),
        };
        // The policy is checked against what was typed at steps 1 and 2
        // (on a real challenge, the record's own data), the same way on a
        // decoy, and before the code, so a refused password does not cost
        // the code; the slow hash runs only once the code is right.
        let (typed_pid, typed_dob) = ch
            .pending
            .as_deref()
            .and_then(|p| p.split_once('|'))
            .unwrap_or_default();
        let dob = typed_dob.parse::<Date>().ok();
        let mut p = Problems::default();
        p.password(
            "new_password",
            new_password,
            &personal(typed_pid, dob, ch.phone.as_deref().unwrap_or_default()),
        );
        p.finish()?;
        let (_, ch) = self
            .check_code(challenge, otp, OtpPurpose::Reset, client)
            .await?;
        let Some(cid) = ch.citizen else {
            return Err(AccountError::Challenge.into());
        };
        // Locked since the code was sent (a lost phone): no reset.
        if self
            .store
            .account(cid)
            .await?
            .is_none_or(|a| a.account.lock.is_some())
        {
            return Err(AccountError::Challenge.into());
        }
        let c = self.store.citizen(cid).await?;
        let hash = hash_secret(new_password.to_owned()).await?;
        let who = client_text(client);
        let ended = self
            .store
            .set_account_password(cid, &hash, "password_reset", ctx(self.now_secs(), &who))
            .await?;
        tracing::info!(citizen = cid.0, ended, "account password reset");
        self.notify(&c, Notice::PasswordReset, &who).await;
        Ok(())
    }

    /// Locks an account at once (khóa tài khoản tạm thời), as its owner
    /// does when the phone is lost: number, phone, date of birth and card
    /// issue date, no code (the phone may be what was lost). Every session
    /// and token ends; the owner is told by SMS. The answer is the same
    /// whether anything matched.
    pub async fn lock_own_account(
        &self,
        personal_id: &str,
        phone: &str,
        proof: &IdentityProof<'_>,
        client: Client,
    ) -> Result<(), ServiceError> {
        let mut p = Problems::default();
        let pid = p.personal_id("personal_id", personal_id);
        let phone = p.phone("phone", phone);
        let dob = p.date("date_of_birth", proof.date_of_birth);
        let issued = p.date("card_issue_date", proof.card_issue_date);
        p.finish()?;
        let (Some(pid), Some(phone), Some(dob), Some(issued)) = (pid, phone, dob, issued) else {
            return Err(ServiceError::Internal("checked fields missing".into()));
        };
        self.account_form(client)?;
        let who = client_text(client);
        let now = self.now_secs();
        let matched = match self.citizen_with(&pid).await? {
            Some(c)
                if self
                    .matches_record(&c, Some(&phone), None, dob, issued)
                    .await? =>
            {
                self.store.account(c.id).await?.map(|_| c)
            }
            _ => None,
        };
        match matched {
            Some(c) => {
                let newly = self
                    .store
                    .lock_account(
                        c.id,
                        AccountActor::Owner,
                        "owner: lost phone",
                        ctx(now, &who),
                    )
                    .await?;
                tracing::info!(citizen = c.id.0, newly, "account locked by its owner");
                if newly {
                    self.notify(&c, Notice::Locked, &who).await;
                } else {
                    tokio::time::sleep(self.accounts.send_timer.typical()).await;
                }
            }
            None => tokio::time::sleep(self.accounts.send_timer.typical()).await,
        }
        Ok(())
    }

    /// Step 1 of unlocking by the owner (mở khóa): number, password and
    /// captcha of a locked account (locked by its owner; an officer's lock
    /// is lifted by an officer) → a code to the phone on record.
    pub async fn unlock_start(
        &self,
        req: &LoginRequest<'_>,
        client: Client,
    ) -> Result<ChallengeTicket, ServiceError> {
        let mut p = Problems::default();
        let pid = p.personal_id("personal_id", req.personal_id);
        p.finish()?;
        let Some(pid) = pid else {
            return Err(ServiceError::Internal("checked fields missing".into()));
        };
        self.require_captcha(req.captcha_id, req.captcha_answer)
            .await?;
        let (c, a) = self
            .check_password(&pid, req.password, true, client)
            .await?;
        if !matches!(
            a.account.lock.as_ref().map(|l| l.by),
            Some(AccountActor::Owner)
        ) {
            return Err(AccountError::LockedByOfficer.into());
        }
        self.challenge_for(&c, OtpPurpose::Unlock, client).await
    }

    /// Step 2 of unlocking: the code. The owner is told by SMS.
    pub async fn unlock_finish(
        &self,
        challenge: &str,
        otp: &str,
        client: Client,
    ) -> Result<(), ServiceError> {
        let (_, ch) = self
            .check_code(challenge, otp, OtpPurpose::Unlock, client)
            .await?;
        let Some(cid) = ch.citizen else {
            return Err(AccountError::Challenge.into());
        };
        let who = client_text(client);
        if !self
            .store
            .unlock_account(
                cid,
                AccountActor::Owner,
                "owner: password and code",
                ctx(self.now_secs(), &who),
            )
            .await?
        {
            return Err(AccountError::NotLocked.into());
        }
        tracing::info!(citizen = cid.0, "account unlocked by its owner");
        let c = self.store.citizen(cid).await?;
        self.notify(&c, Notice::Unlocked, &who).await;
        Ok(())
    }

    /// The live session or token `presented` (a cookie, a bearer token),
    /// touched now; `None` when unknown, timed out, or its account locked.
    pub async fn account_session(
        &self,
        presented: &str,
    ) -> Result<Option<LiveAccountSession>, ServiceError> {
        if presented.is_empty() || presented.len() > 128 {
            return Ok(None);
        }
        Ok(self
            .store
            .account_session(
                &Token::from_presented(presented),
                self.accounts.settings.sessions,
                self.now_secs(),
            )
            .await?)
    }

    /// Ends a session or token (đăng xuất).
    pub async fn account_logout(
        &self,
        presented: &str,
        client: Client,
    ) -> Result<(), ServiceError> {
        let who = client_text(client);
        self.store
            .close_account_session(
                &Token::from_presented(presented),
                ctx(self.now_secs(), &who),
            )
            .await?;
        Ok(())
    }
}
