//! `cancuoc-service` is the service layer of cancuoc (tầng nghiệp vụ): the
//! use cases, combining the pure rules and workflow of `cancuoc-core` with
//! the transactions of `cancuoc-store`. It is the one door every front end
//! uses — the REST shell (`cancuoc-server`), the web pages (`cancuoc-web`),
//! the CLI's demo and seed tools — and it knows no HTTP, HTML or wire
//! format.
//!
//! - [`Service::open_dossier`]: each claimed exemption checked against the
//!   applicant's record and the document seen (`rules::exemptions`), fee
//!   (`rules::fee`), stage deadlines and the
//!   promised date (`rules::deadlines` on the official working calendar, for
//!   the receiving office's level), a random unguessable dossier code.
//! - [`Service::transition`]: the pure workflow check with the officer's
//!   office scope from the cached office tree, then
//!   `Store::apply_transition` (which re-checks inside its transaction).
//! - [`Service::register_citizen`]: checked by the one rule of every
//!   front end ([`CitizenRegistration::checked`]), with personal ID
//!   allocation and the provenance of the registering officer.
//! - [`Service::citizen_for`], [`Service::search_citizens_for`]: citizen
//!   records read within the officer's scope
//!   ([`OfficeTree::citizen_scope`]), each read audited with its purpose;
//!   [`Service::citizen_ref`]: the opaque references the console links by;
//!   [`Service::applicant_to_open`]: the REST API's applicant of a dossier
//!   to open, read the same way once the role may open dossiers.
//! - [`Service::deadline_watch`]: overdue and at-risk dossiers of an office,
//!   classified with `rules::classify`.
//! - [`Service::work_queue`], [`Service::bulk_transition`],
//!   [`Service::overdue_dashboard`]: the officers' work queues per role and
//!   office, bulk steps one dossier at a time, and the overdue dashboard.
//! - [`Service::check_login`], [`Service::set_officer_login`],
//!   [`Service::console_login`], [`Service::console_session`]: officers'
//!   console logins (Argon2id on a bounded pool of blocking threads, each
//!   attempt counted before its check by [`guard::LoginGuard`]) and
//!   sessions.
//! - [`Service::book`], [`Service::move_booking`],
//!   [`Service::cancel_booking`], [`Service::save_declaration`],
//!   [`Service::mark_booking_received`]: appointments and their online
//!   declarations, the slot rules of `cancuoc_core::booking`.
//! - [`Service::status_answer`], [`Service::lookup_dossier`]: the public
//!   lookups; [`Service::issue_captcha`], [`Service::spend_captcha`]: the
//!   captcha challenges a front end shows before a lookup.
//! - [`Service::receipt_form`]: the receipt form the citizen signs, with
//!   their full name and number (reception only, read audited as
//!   `print_receipt`); [`ConsoleAreas`]: what each role may open.
//! - [`Service::request_confirmation`], [`Service::decide_confirmation`],
//!   [`Service::confirmation_document`]: the confirmation of an old CMND
//!   number (request on the portal or at the desk, the receiving office's
//!   queue and decision, the printed paper); its code answers through
//!   [`Service::status_answer`] and [`Service::lookup_code`].
//! - [`Service::quote_fee`]: the fee of an application, the one rule behind
//!   the desk's preview, the portal's calculator and the API.
//! - [`Service::card_status`], [`Service::report_card_lost`]: the card in
//!   the workflow (made at "printed" with its MRZ, QR payload and the chip
//!   digest of a [`CardPersonalizer`], active at "returned"), its public
//!   status for relying parties and reports of loss.
//!
//! Every error is a [`ServiceError`] with a closed [`ErrorClass`] — the
//! only thing front ends decide on. Time comes from an injectable [`Clock`]; civil dates are read in
//! Vietnam's time (UTC+7, no daylight saving).
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

mod accounts;
mod areas;
mod booking;
mod captcha;
mod cards;
pub mod channels;
mod citizen_refs;
mod citizens;
mod confirmations;
mod console;
mod dossiers;
pub mod eid;
mod error;
mod figures;
pub mod guard;
mod lookups;
pub mod model;
mod offices;
mod queues;
mod registration;
pub mod sms;
mod specimen;

pub use accounts::{Login, MIN_PASSWORD_CHARS, Password, hash_password, hasher_permits};
pub use areas::ConsoleAreas;
pub use booking::{BookingRequest, Offers, Presence, Received, ReceptionPrefill};
pub use cancuoc_store::NameMatch;
pub use cancuoc_store::{DbPart, NotReady, Readiness, ReplicaLag};
pub use captcha::{CAPTCHA_TTL_SECS, CaptchaCheck, FormChallenge};
pub use cards::{CardPersonalizer, CardStanding, CardStatus, LOST_REASON_MAX};
pub use citizen_refs::CitizenRef;
pub use citizens::{CitizenKey, CitizenMatches, CitizenSearch};
pub use confirmations::{
    CONFIRMATION_DESK, CONFIRMATION_QUEUE_MAX, CONFIRMERS, ConfirmationDocument, ConfirmationForm,
    ConfirmationRequest, PublicConfirmation, QueuedConfirmation,
};
pub use console::{IDLE_TIMEOUT_SECS, LoginOutcome, MAX_LIFETIME_SECS};
pub use dossiers::{
    DeadlineWatch, DossierFile, EXEMPTION_DOCUMENT_MAX, FeeQuote, NotifyChoice, OpenDossier,
    ReceiptForm, TransitionCommand, WatchItem,
};
pub use eid::{
    AccountError, AccountLogin, AccountSettings, ChallengeTicket, IdentityProof, LoginRequest,
    RegisterRequest,
};
pub use error::{Action, ErrorClass, Limit, ServiceError, cause_chain};
pub use figures::{CacheStats, DEPTHS_TTL, Depths, Figures, LoginCounts, PoolUse};
pub use guard::{Client, Limits};
pub use lookups::{
    CodeAnswer, DossierAnswer, Holder, PublicDossier, PublicStage, SecondFactor, StatusRenderer,
    Successor,
};
pub use offices::OfficeTree;
pub use queues::{
    BULK_MAX, BulkResult, FINISHED_DAYS, LATE_LIST_MAX, LateItem, OfficeLine, OverdueDashboard,
    QUEUE_PAGE, QueueItem, WorkQueue, stage_due,
};
pub use registration::{CitizenRegistration, FieldProblem, MAX_TEXT_CHARS, provenance_of};
pub use sms::{SmsError, SmsGateway, SmsMessage};

use std::sync::{Arc, RwLock};

use cancuoc_core::calendar::WorkingCalendar;
use cancuoc_core::id::alloc::Allocator;
use cancuoc_store::{Office, Officer, Store, StoreError, Token};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{TimeZone, offset};

/// Where "now" comes from: the system clock in production, a fixed or
/// stepping instant in tests.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(Timestamp::now)
}

/// A clock that always answers `at` (tests, demo data).
pub fn fixed_clock(at: Timestamp) -> Clock {
    Arc::new(move || at)
}

/// Vietnam's time zone: UTC+7 all year (giờ Việt Nam).
pub fn vietnam() -> TimeZone {
    TimeZone::fixed(offset(7))
}

/// The civil date of an instant in Vietnam.
pub fn civil_date_vn(at: Timestamp) -> Date {
    at.to_zoned(vietnam()).date()
}

/// The use cases, over one store. Cheap to share behind an `Arc`; the
/// office tree is cached and reloaded when an unknown office shows up.
pub struct Service {
    store: Store,
    allocator: Allocator,
    calendar: &'static WorkingCalendar,
    offices: RwLock<Arc<OfficeTree>>,
    clock: Clock,
    at_risk_working_days: u32,
    console: console::ConsoleState,
    guards: guard::Guards,
    accounts: eid::AccountState,
    channels: channels::ChannelState,
    personalizer: Option<Arc<dyn CardPersonalizer>>,
    /// The login counters and the kept queue depths of [`Service::figures`].
    stats: figures::Stats,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("store", &self.store)
            .field("allocator", &self.allocator)
            .field("at_risk_working_days", &self.at_risk_working_days)
            .finish_non_exhaustive()
    }
}

impl Service {
    /// A service over `store`, allocating personal IDs with `allocator` and
    /// reading time from `clock`; loads the office tree.
    pub async fn new(
        store: Store,
        allocator: Allocator,
        clock: Clock,
    ) -> Result<Self, ServiceError> {
        let tree = OfficeTree::new(store.list_offices().await?);
        Ok(Self {
            store,
            allocator,
            calendar: WorkingCalendar::official(),
            offices: RwLock::new(Arc::new(tree)),
            clock,
            at_risk_working_days: cancuoc_core::rules::DEFAULT_AT_RISK_WORKING_DAYS,
            console: console::ConsoleState::default(),
            guards: guard::Guards::new(Limits::default()),
            accounts: eid::AccountState::default(),
            channels: channels::ChannelState::default(),
            personalizer: None,
            stats: figures::Stats::default(),
        })
    }

    /// Sets the limits of the public doors (the defaults are
    /// [`Limits::default`]; a deployment sets [`Limits::exempt`]). Counters
    /// start afresh.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.guards = guard::Guards::new(limits);
        self
    }

    /// Sends text messages (the accounts' codes and notices) through
    /// `gateway`. Without one every send fails as unavailable: a code is
    /// never silently dropped.
    pub fn with_sms_gateway(mut self, gateway: Arc<dyn SmsGateway>) -> Self {
        self.accounts.sms = gateway;
        self
    }

    /// Sets the accounts' code, lockout and session settings (the
    /// defaults are [`AccountSettings::default`]).
    pub fn with_account_settings(mut self, settings: AccountSettings) -> Self {
        self.accounts.settings = settings;
        self
    }

    /// Numbers no message is ever sent to (opt-outs, numbers reported
    /// abused): a code for one is refused as the provider's refusal is.
    pub fn with_blocked_numbers<I: IntoIterator<Item = cancuoc_core::phone::PhoneNumber>>(
        mut self,
        numbers: I,
    ) -> Self {
        self.accounts.blocked = numbers.into_iter().map(|n| n.as_str().to_owned()).collect();
        self
    }

    /// The accounts' settings in force.
    pub fn account_settings(&self) -> &AccountSettings {
        &self.accounts.settings
    }

    /// Sets the key of the one-time codes' stored HMAC (a random key per
    /// process otherwise: several processes serving one database need the
    /// same key, from the settings).
    pub fn with_otp_key(mut self, key: [u8; 32]) -> Self {
        self.accounts.set_key(key);
        self
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.guards.limits
    }

    /// Sets how many working days before the promised date an open dossier
    /// counts as at risk (sắp đến hạn); the default is the rules engine's.
    pub fn with_at_risk_working_days(mut self, days: u32) -> Self {
        self.at_risk_working_days = days;
        self
    }

    /// Whether the database (and an SQLite file's side database) answers,
    /// for readiness probes.
    pub async fn ready(&self) -> Result<(), ServiceError> {
        Ok(self.store.ping().await?)
    }

    /// Whether the store can serve and, when it cannot, which part is
    /// down and why (the `/readyz` answer), with the read replicas' lag.
    pub async fn readiness(&self) -> Readiness {
        self.store.readiness().await
    }

    /// The database's daily housekeeping: on PostgreSQL, the month
    /// partitions of the append-only tables due by now (the store's
    /// `maintain_partitions`); nothing on SQLite. Returns how many
    /// partitions were made.
    pub async fn maintain_storage(&self) -> Result<u32, ServiceError> {
        Ok(self
            .store
            .maintain_partitions(self.now().as_second())
            .await?)
    }

    /// The official working calendar (lịch làm việc).
    pub fn calendar(&self) -> &'static WorkingCalendar {
        self.calendar
    }

    /// Now, from the clock.
    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// Today in Vietnam.
    pub fn today(&self) -> Date {
        civil_date_vn(self.now())
    }

    /// The cached office tree.
    pub fn offices(&self) -> Arc<OfficeTree> {
        match self.offices.read() {
            Ok(t) => Arc::clone(&t),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Reloads the office tree from the store (after offices were added).
    pub async fn reload_offices(&self) -> Result<Arc<OfficeTree>, ServiceError> {
        let tree = Arc::new(OfficeTree::new(self.store.list_offices().await?));
        match self.offices.write() {
            Ok(mut t) => *t = Arc::clone(&tree),
            Err(poisoned) => *poisoned.into_inner() = Arc::clone(&tree),
        }
        Ok(tree)
    }

    /// The tree, reloaded once if it does not know `code` yet.
    pub async fn offices_knowing(&self, code: u16) -> Result<Arc<OfficeTree>, ServiceError> {
        let tree = self.offices();
        if tree.get(code).is_some() {
            return Ok(tree);
        }
        self.reload_offices().await
    }

    /// One office, from the cache.
    pub async fn office(&self, code: u16) -> Result<Office, ServiceError> {
        self.offices_knowing(code)
            .await?
            .get(code)
            .cloned()
            .ok_or_else(|| {
                ServiceError::Store(StoreError::NotFound {
                    what: cancuoc_store::Entity::Office,
                    key: code.to_string(),
                })
            })
    }

    /// The active officer holding a bearer token (xác thực cán bộ).
    pub async fn authenticate(&self, token: &str) -> Result<Officer, ServiceError> {
        Ok(self
            .store
            .officer_by_token(&Token::from_presented(token))
            .await?)
    }

    /// Refuses unless `officer` may read the dossiers of `office`
    /// ([`OfficeTree::can_view`]).
    pub async fn check_view(&self, officer: &Officer, office: u16) -> Result<(), ServiceError> {
        let tree = self.offices_knowing(office).await?;
        if tree.get(office).is_none() {
            return Err(ServiceError::Store(StoreError::NotFound {
                what: cancuoc_store::Entity::Office,
                key: office.to_string(),
            }));
        }
        if tree.can_view(officer, office) {
            Ok(())
        } else {
            Err(ServiceError::OutOfScope {
                action: Action::ViewOffice,
                officer_office: officer.office,
                target_office: office,
            })
        }
    }

    /// Epoch seconds of now.
    fn now_secs(&self) -> i64 {
        self.now().as_second()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_are_read_at_utc_plus_7() {
        // 2026-11-20 17:00 UTC is already 2026-11-21 00:00 in Vietnam.
        let at: Timestamp = "2026-11-20T17:00:00Z".parse().expect("ts");
        assert_eq!(civil_date_vn(at), jiff::civil::date(2026, 11, 21));
        let before: Timestamp = "2026-11-20T16:59:59Z".parse().expect("ts");
        assert_eq!(civil_date_vn(before), jiff::civil::date(2026, 11, 20));
    }
}
