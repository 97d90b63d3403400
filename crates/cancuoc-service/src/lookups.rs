//! Public lookups (tra cứu công khai): where a dossier stands, by its code,
//! for anyone who has the slip — the hot status answer of the REST API
//! and the fuller view of the portal's lookup page.
//!
//! The answer to a code alone carries nothing derived from the person: no
//! name, no initials, no lengths — only the dossier's state, dates and
//! receiving office, so that a code guessed or walked tells nothing about
//! anyone. The masked name (the citizen's confirmation that this is their
//! dossier) needs a second factor only the citizen has ([`SecondFactor`]:
//! the date of birth, or the last four digits of the ID number); wrong
//! factors lock the code's fuller answer after a few tries.
//!
//! Every lookup is counted for its [`Client`]: a rate per client, and a
//! walk detector — a client that asks for too many distinct well-formed
//! codes that do not exist is stopped for the rest of the window (see
//! `crate::guard`).
//!
//! The code's random part stays five digits (10⁵ per office and day). The
//! slip's barcode could carry more, but the code is also read aloud on the
//! hotline and typed by hand, the codes already printed must keep working,
//! and with nothing personal in the code-only answer and walks stopped
//! after ten misses an hour per client, a wider code would buy little.

use bytes::Bytes;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::guidance::guidance;
use cancuoc_core::dossier::workflow::State;
use cancuoc_core::person::PartialDate;
use cancuoc_core::rules::{self, Timeliness};
use cancuoc_store::model::citizen::mask_name;
use cancuoc_store::{ConfirmationStatus, DossierStatus, EventKind, StoreError};
use jiff::civil::Date;

use super::{Service, ServiceError, civil_date_vn};
use crate::confirmations::PublicConfirmation;
use crate::guard::Client;

/// A front end's way of writing the public status answer: the REST API's
/// JSON, a chat reply, a line read by the hotline. The service caches
/// rendered answers per renderer type, so one front end never receives
/// another's bytes; a renderer must depend only on its arguments.
pub trait StatusRenderer: 'static {
    /// The answer for `status`, `overdue` on today's date.
    fn render(status: &DossierStatus, overdue: bool) -> Bytes;

    /// The answer for the code of a request to confirm an old CMND number
    /// (`crate::confirmations`): its own states and dates, nothing of the
    /// person either.
    fn render_confirmation(status: &ConfirmationStatus, overdue: bool) -> Bytes;
}

/// What a code answers on the portal's lookup: a dossier, or a request to
/// confirm an old CMND number (both codes share one format and one
/// space, unique across both).
#[derive(Clone, Debug)]
pub enum CodeAnswer {
    /// A dossier (hồ sơ cấp thẻ).
    Dossier(Box<DossierAnswer>),
    /// A confirmation request (yêu cầu xác nhận số CMND).
    Confirmation(PublicConfirmation),
}

/// One dated stage of a dossier's public timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicStage {
    /// The state reached.
    pub state: State,
    /// The day it was reached, in Vietnam.
    pub on: Date,
}

/// What the portal shows of a dossier (tình trạng hồ sơ): its status row,
/// the dated stages of its event log (no officer, no note), the dates that
/// matter in its state and whether it is on time. What to tell the citizen
/// about each state is `cancuoc_core::dossier::guidance`.
#[derive(Clone, Debug)]
pub struct PublicDossier {
    /// State, promised date and the receiving office.
    pub status: DossierStatus,
    /// The stages reached, oldest first.
    pub stages: Vec<PublicStage>,
    /// The reception day; while only booked, the appointment day.
    pub received_on: Date,
    /// The day the card became ready for the citizen or was posted (where
    /// the offices' deadline ends), once it has.
    pub ready_on: Option<Date>,
    /// The day the citizen collected the card, once handed over: after
    /// `ready_on`, the citizen's own delay, never counted late.
    pub collected_on: Option<Date>,
    /// On time, at risk or late against the promised date, measured at
    /// `ready_on` once the card is ready; `None` while only booked, and for
    /// a refused or cancelled dossier.
    pub timeliness: Option<Timeliness>,
    /// When the receiving office is no longer in force today (a district
    /// police office dissolved in 2025): the office that answers for its
    /// dossiers now (`OfficeTree::answering_for`).
    pub successor: Option<Successor>,
}

/// The office that answers for an ended office's dossiers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Successor {
    /// The receiving office's last day in force.
    pub ended_on: Option<Date>,
    /// Its successor's name.
    pub name: String,
    /// Its successor's hotline.
    pub hotline: String,
}

/// What the citizen proves to see more than the code alone shows (yếu tố
/// xác minh thứ hai).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecondFactor {
    /// The date of birth, as precise as it is recorded (a full date, or
    /// month and year, or the year when only that is known).
    BirthDate(PartialDate),
    /// The last four digits of the personal ID number.
    IdDigits(String),
}

impl SecondFactor {
    /// The last four digits of the ID number, checked: exactly four ASCII
    /// digits once spaces are removed.
    pub fn id_digits(field: &'static str, input: &str) -> Result<Self, ServiceError> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(SecondFactor::IdDigits(digits))
        } else {
            Err(ServiceError::invalid(
                field,
                format!("cần đúng 4 chữ số cuối của số định danh, nhận được {input:?}"),
                format!("expected exactly the last 4 digits of the ID number, got {input:?}"),
            ))
        }
    }
}

/// Who the dossier's citizen is, as far as a lookup may tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Holder {
    /// No second factor was given: nothing of the person.
    NotAsked,
    /// The factor matched: the masked name (họ tên đã che: the family
    /// name, then each other word's first letter, `Nguyễn V** A*`).
    Verified {
        /// The masked full name.
        masked_name: String,
    },
    /// The factor did not match (counted against the code).
    Mismatch,
    /// Too many wrong factors for this code: the fuller answer is locked
    /// for this many more seconds, right factor or not.
    Locked {
        /// Seconds until the code's fuller answer opens again.
        retry_after_secs: u64,
    },
}

impl Holder {
    /// The masked name, or why not as an error (for front ends that answer
    /// a refused factor as a refusal, such as the REST API):
    /// [`ServiceError::FactorMismatch`], or `Limited` for a locked code.
    /// `None` when no factor was asked.
    pub fn into_result(self) -> Option<Result<String, ServiceError>> {
        match self {
            Holder::NotAsked => None,
            Holder::Verified { masked_name } => Some(Ok(masked_name)),
            Holder::Mismatch => Some(Err(ServiceError::FactorMismatch)),
            Holder::Locked { retry_after_secs } => Some(Err(ServiceError::limited(
                crate::Limit::SecondFactor,
                retry_after_secs,
            ))),
        }
    }
}

/// A lookup's answer: what the code alone shows, and what the second
/// factor, if any, opened.
#[derive(Clone, Debug)]
pub struct DossierAnswer {
    /// What the code alone shows.
    pub public: PublicDossier,
    /// The person, when a second factor opened it.
    pub holder: Holder,
    /// Why the dossier was refused, sent back or cancelled, as the officer
    /// recorded it: only with a matching second factor (it is written
    /// about the person), and only in those states.
    pub reason: Option<String>,
}

impl Service {
    /// The checks before a lookup of `code` by `client`: stopped for
    /// walking the codes, out of lookups.
    fn lookup_allowed(&self, client: Client) -> Result<(), ServiceError> {
        self.guards.lookup(client, self.now().as_millisecond())
    }

    /// Notes a code `client` asked for that does not exist (for the walk
    /// detector) and passes the error on.
    fn note_miss(&self, client: Client, code: DossierCode, e: ServiceError) -> ServiceError {
        if e.class() == crate::ErrorClass::NotFound {
            self.guards
                .missed(client, code, self.now().as_millisecond());
        }
        e
    }

    /// The public status of a dossier (tra cứu tình trạng hồ sơ): one
    /// indexed store query, run inline on SQLite files (`Store::status_now`:
    /// no driver thread handoff), through the async pool elsewhere. No
    /// client limit: for callers that already counted the lookup. (The
    /// status lookup's own answer is `Service::status_answer`, cached.)
    async fn status(&self, code: DossierCode) -> Result<DossierStatus, ServiceError> {
        Ok(match self.store.status_now(code) {
            Some(answer) => answer?,
            None => self.store.status_by_code(code).await?,
        })
    }

    /// The public status answer of a dossier as renderer `R` writes it
    /// (the status lookup's body), for `client`: counted against its
    /// lookup rate and walk detector first (`ServiceError::Limited`).
    /// Cached per renderer and keyed by today's date in Vietnam
    /// (`Store::status_answer`), and invalidated per dossier, so officers'
    /// writes to other dossiers leave an answer cached: on SQLite files
    /// through the file's change log, valid across processes; on
    /// PostgreSQL through LISTEN/NOTIFY on the primary, valid across
    /// servers sharing the database (a change is seen once its
    /// announcement arrives, at once for this server's own transitions;
    /// while the listener is disconnected nothing is served from the
    /// cache). In-memory SQLite is uncached.
    ///
    /// A code no dossier holds may be a request to confirm an old CMND
    /// number: then its own answer ([`StatusRenderer::render_confirmation`]),
    /// read through the pool every time — such lookups are rare, and a
    /// decision is visible at once with no cache to keep right (the dossier
    /// cache never holds a miss, and the store keeps the two tables' codes
    /// apart). Only a code neither holds counts as a miss.
    pub async fn status_answer<R: StatusRenderer>(
        &self,
        code: DossierCode,
        client: Client,
    ) -> Result<Bytes, ServiceError> {
        self.lookup_allowed(client)?;
        let today = self.today();
        let render = |s: &DossierStatus| R::render(s, s.is_overdue(today));
        let answer = match self.store.status_answer::<R>(code, today, render).await {
            Err(StoreError::NotFound { .. }) => self
                .store
                .confirmation_status(code)
                .await
                .map(|s| R::render_confirmation(&s, s.is_overdue(today))),
            other => other,
        };
        answer
            .map_err(ServiceError::from)
            .map_err(|e| self.note_miss(client, code, e))
    }

    /// What a code answers on the portal's lookup page ([`CodeAnswer`]):
    /// a dossier as [`Service::lookup_dossier`] answers it (with the
    /// second `factor`), or a confirmation request's public status (a
    /// factor is not asked for: its answer carries nothing of the person).
    /// Counted once, as one lookup.
    pub async fn lookup_code(
        &self,
        code: DossierCode,
        factor: Option<&SecondFactor>,
        client: Client,
    ) -> Result<CodeAnswer, ServiceError> {
        self.lookup_allowed(client)?;
        let (public, reason) = match self.public_view(code).await {
            Ok(found) => found,
            Err(e) if e.class() == crate::ErrorClass::NotFound => {
                return match self.public_confirmation(code).await {
                    Ok(c) => Ok(CodeAnswer::Confirmation(c)),
                    Err(e) => Err(self.note_miss(client, code, e)),
                };
            }
            Err(e) => return Err(e),
        };
        let answer = self.answer_holder(code, public, reason, factor).await?;
        Ok(CodeAnswer::Dossier(Box::new(answer)))
    }

    /// A dossier looked up by `client` (see [`DossierAnswer`]): the
    /// public view, counted as [`Service::status_answer`] counts, and with
    /// a second `factor` the citizen's masked name when it matches. A wrong
    /// factor counts against the code, whose fuller answer locks after a
    /// few ([`Holder::Locked`]) for everyone until the window ends; each
    /// attempt is counted before it is checked, so concurrent guesses
    /// cannot all slip under the limit, and a right one takes its count
    /// back.
    pub async fn lookup_dossier(
        &self,
        code: DossierCode,
        factor: Option<&SecondFactor>,
        client: Client,
    ) -> Result<DossierAnswer, ServiceError> {
        self.lookup_allowed(client)?;
        let (public, reason) = self
            .public_view(code)
            .await
            .map_err(|e| self.note_miss(client, code, e))?;
        self.answer_holder(code, public, reason, factor).await
    }

    /// The rest of a dossier's lookup once its public view is read: the
    /// second factor checked (see [`Service::lookup_dossier`]).
    async fn answer_holder(
        &self,
        code: DossierCode,
        public: PublicDossier,
        reason: Option<String>,
        factor: Option<&SecondFactor>,
    ) -> Result<DossierAnswer, ServiceError> {
        let Some(factor) = factor else {
            return Ok(DossierAnswer {
                public,
                holder: Holder::NotAsked,
                reason: None,
            });
        };
        let strikes = &self.guards.second_factor;
        if let Err(retry_after_secs) = strikes.reserve(&code, self.now_secs()) {
            return Ok(DossierAnswer {
                public,
                holder: Holder::Locked { retry_after_secs },
                reason: None,
            });
        }
        let checked = async {
            let holder = self.store.public_dossier(code).await?.citizen;
            let citizen = self.store.public_citizen(holder).await?;
            let right = match factor {
                SecondFactor::BirthDate(d) => *d == citizen.dob,
                SecondFactor::IdDigits(digits) => citizen
                    .personal_id
                    .as_ref()
                    .is_some_and(|p| p.as_str().ends_with(digits.as_str())),
            };
            Ok::<_, ServiceError>(right.then(|| mask_name(&citizen.full_name)))
        }
        .await;
        let holder = match checked {
            Ok(Some(masked_name)) => {
                strikes.forgive(&code);
                Holder::Verified { masked_name }
            }
            Ok(None) => {
                tracing::info!("status lookup: a wrong second factor");
                Holder::Mismatch
            }
            Err(e) => {
                strikes.forgive(&code);
                return Err(e);
            }
        };
        let reason = reason.filter(|_| matches!(holder, Holder::Verified { .. }));
        Ok(DossierAnswer {
            public,
            holder,
            reason,
        })
    }

    /// The portal's view of a dossier, uncounted, and the recorded reason
    /// of its state where the state has one.
    pub(crate) async fn public_view(
        &self,
        code: DossierCode,
    ) -> Result<(PublicDossier, Option<String>), ServiceError> {
        let status = self.status(code).await?;
        let d = self.store.public_dossier(code).await?;
        let day = |at: i64| jiff::Timestamp::from_second(at).ok().map(civil_date_vn);
        let stages = d
            .events
            .iter()
            .filter(|e| e.kind == EventKind::Transition)
            .filter_map(|e| {
                Some(PublicStage {
                    state: e.to,
                    on: day(e.at)?,
                })
            })
            .collect();
        // The offices' deadline ends where the card leaves `dispatched`
        // for the citizen's side (State::deadline_running).
        let ready_on = d
            .events
            .iter()
            .filter(|e| e.kind == EventKind::Transition)
            .find(|e| e.from == Some(State::Dispatched) && e.to.card_ready())
            .and_then(|e| day(e.at));
        let collected_on = d
            .events
            .iter()
            .rfind(|e| e.kind == EventKind::Transition && e.to == State::Returned)
            .and_then(|e| day(e.at));
        let timeliness = match status.state {
            State::Booked | State::Refused | State::Cancelled => None,
            _ => Some(rules::classify(
                status.promised_on,
                ready_on,
                self.today(),
                self.calendar,
            )?),
        };
        let today = self.today();
        let tree = self.offices();
        let successor = tree
            .get(status.office_code)
            .filter(|o| !o.in_force_on(today))
            .and_then(|o| {
                let now = tree.answering_for(o.code, today)?;
                Some(Successor {
                    ended_on: o.in_force.last_day(),
                    name: now.name.clone(),
                    hotline: now.hotline.clone(),
                })
            });
        let reason = if guidance(status.state).has_reason {
            d.events
                .iter()
                .rfind(|e| e.kind == EventKind::Transition && e.to == status.state)
                .and_then(|e| e.note.clone())
        } else {
            None
        };
        Ok((
            PublicDossier {
                status,
                stages,
                received_on: d.received_on,
                ready_on,
                collected_on,
                timeliness,
                successor,
            },
            reason,
        ))
    }
}
