//! Dossier use cases (nghiệp vụ hồ sơ): open with fee and deadlines from the
//! rules, move through the workflow, record the capture, read, list and
//! watch deadlines.

use cancuoc_core::dossier::capture::CaptureRecord;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::{
    OldDocument, Role, State, TransitionInput, check_start, check_transition,
};
use cancuoc_core::rules::{self, Channel, Exemption, IssueKind, Reason, Receiver, Timeliness};
use cancuoc_store::{
    ChargedFee, Citizen, CitizenId, CodeSource, Dossier, NewDossier, OfficeLevel, Officer, Page,
    StageDeadline, TransitionOutcome, TransitionRequest,
};
use jiff::Timestamp;
use jiff::civil::Date;

use super::{Action, Service, ServiceError};

/// What it takes to open a dossier (lập hồ sơ cấp thẻ).
#[derive(Clone, Debug)]
pub struct OpenDossier {
    /// The applicant, already registered.
    pub citizen: CitizenId,
    /// Loại cấp; `None` = the kind the reason calls for under the regime in
    /// force on the reception date (`rules::default_kind`).
    pub kind: Option<IssueKind>,
    /// Lý do.
    pub reason: Reason,
    /// Claimed fee exemptions (đối tượng miễn lệ phí), each checked against
    /// the applicant's record on the reception date
    /// (`rules::exemptions::check_claim`).
    pub exemptions: Vec<Exemption>,
    /// The document the officer saw for an exemption that needs one
    /// (giấy tờ chứng minh: title, number, date; at most
    /// [`EXEMPTION_DOCUMENT_MAX`] characters), kept with the fee as charged.
    pub exemption_document: Option<String>,
    /// Kênh nộp: in person or online.
    pub channel: Channel,
    /// Ngày tiếp nhận; `None` = today in Vietnam.
    pub received_on: Option<Date>,
    /// First state: [`State::Received`] (walk-in) or [`State::Booked`].
    pub start: State,
    /// Note for the creating event.
    pub note: Option<String>,
    /// A capture record to save right away (thu nhận thông tin).
    pub capture: Option<CaptureRecord>,
    /// When it happened; `None` = now. Seed tools set it in the past.
    pub at: Option<Timestamp>,
    /// The appointment the citizen came with: marked received once the
    /// dossier is opened (own office only; see
    /// [`Service::mark_booking_received`]).
    pub booking: Option<cancuoc_core::booking::BookingCode>,
    /// The officer's idempotency key (a form's key, an API client's
    /// `Idempotency-Key`): a retry opens nothing new and returns the
    /// dossier the first request opened.
    pub idempotency_key: Option<String>,
    /// The citizen's consent to be told of each stage, and where
    /// (nhận thông báo): kept with the dossier; the notifications are
    /// queued in the transactions of the steps themselves.
    pub notify: Option<NotifyChoice>,
}

/// Where a citizen asked to be told of their dossier's stages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotifyChoice {
    /// The phone the messages go to.
    pub phone: cancuoc_core::phone::PhoneNumber,
    /// By text message ([`cancuoc_core::channel::Channel::Sms`]) or by
    /// Zalo ([`cancuoc_core::channel::Channel::Zalo`]: a ZNS template
    /// message where one is configured, else a text message).
    pub channel: cancuoc_core::channel::Channel,
}

impl NotifyChoice {
    /// The stored consent.
    pub(crate) fn consent(&self) -> cancuoc_store::NotifyConsent {
        cancuoc_store::NotifyConsent {
            phone: self.phone.as_str().to_owned(),
            channel: match self.channel {
                cancuoc_core::channel::Channel::Zalo => "zalo",
                _ => "sms",
            }
            .to_owned(),
        }
    }
}

impl OpenDossier {
    /// A walk-in dossier for `citizen` and `reason`, in person, received
    /// today, kind from the rules, no exemption.
    pub fn walk_in(citizen: CitizenId, reason: Reason) -> Self {
        Self {
            citizen,
            kind: None,
            reason,
            exemptions: Vec::new(),
            exemption_document: None,
            channel: Channel::InPerson,
            received_on: None,
            start: State::Received,
            note: None,
            capture: None,
            at: None,
            booking: None,
            idempotency_key: None,
            notify: None,
        }
    }
}

/// A workflow step requested by an officer (yêu cầu chuyển trạng thái).
#[derive(Clone, Debug)]
pub struct TransitionCommand {
    /// Mã hồ sơ.
    pub code: DossierCode,
    /// Target state.
    pub to: State,
    /// Note or reason.
    pub note: Option<String>,
    /// The version the officer saw (optimistic concurrency).
    pub expected_version: i64,
    /// Idempotency key: a retry with the same key returns the first result.
    pub idempotency_key: Option<String>,
    /// Whether population data changed (routes after the slip).
    pub population_data_changed: Option<bool>,
    /// The old document at return.
    pub old_document: Option<OldDocument>,
    /// When; `None` = now.
    pub at: Option<Timestamp>,
}

/// One dossier in a deadline watch list, classified against its promised
/// date.
#[derive(Clone, Debug)]
pub struct WatchItem {
    /// Mã hồ sơ.
    pub code: DossierCode,
    /// Trạng thái.
    pub state: State,
    /// Ngày tiếp nhận.
    pub received_on: Date,
    /// Ngày hẹn trả.
    pub promised_date: Date,
    /// Where it stands (`late`, `at-risk` …) from `rules::classify_with`.
    pub timeliness: Timeliness,
    /// Version, for a follow-up transition.
    pub version: i64,
}

/// Overdue (quá hạn) and at-risk (sắp đến hạn) open dossiers of an office.
#[derive(Clone, Debug)]
pub struct DeadlineWatch {
    /// Số hiệu đơn vị.
    pub office: u16,
    /// The day the watch was computed for.
    pub today: Date,
    /// The at-risk window in working days.
    pub at_risk_working_days: u32,
    /// Past their promised date, oldest promise first.
    pub overdue: Vec<WatchItem>,
    /// Due within the window.
    pub at_risk: Vec<WatchItem>,
}

/// A fee quoted for an application (báo phí): the kind it was priced as
/// (the one asked for, or the reason's default on that day) and the fee
/// with its legal basis.
#[derive(Clone, Debug)]
pub struct FeeQuote {
    /// Loại cấp.
    pub kind: IssueKind,
    /// Lệ phí, with the rule and the law behind it.
    pub fee: cancuoc_core::basis::Explained<rules::Fee>,
}

/// Everything the console shows of one dossier (hồ sơ đầy đủ): the
/// dossier with its events, the applicant, the receiving office, the names
/// of the officers in its log, its capture record and the fee's legal
/// basis.
#[derive(Clone, Debug)]
pub struct DossierFile {
    /// The dossier and its event log.
    pub dossier: Dossier,
    /// The applicant.
    pub citizen: Citizen,
    /// The receiving office, when the office tree knows it.
    pub office: Option<cancuoc_store::Office>,
    /// Names of the officers who acted on it, by id.
    pub actors: std::collections::HashMap<cancuoc_store::OfficerId, String>,
    /// Fingerprints, portrait and features, once recorded.
    pub capture: Option<CaptureRecord>,
    /// The fee as charged when the dossier opened, with its channel, rule
    /// and legal basis; for a dossier opened before fees were kept, as the
    /// rules price its kind, reason and exemption in person on its
    /// reception day (`None` without a reason, e.g. bulk-loaded history).
    pub fee: Option<ChargedFee>,
    /// The card its "printed" step made (from printed on), with its state,
    /// MRZ and QR payload.
    pub card: Option<cancuoc_store::Card>,
}

/// The longest exemption document note kept, in characters.
pub const EXEMPTION_DOCUMENT_MAX: usize = 300;

/// The record's facts the exemption conditions read.
fn applicant_record(c: &Citizen) -> rules::ApplicantRecord<'_> {
    rules::ApplicantRecord {
        dob: c.dob,
        permanent_residence: &c.permanent_residence,
        ethnicity: &c.ethnicity,
    }
}

/// The exemption document as typed, trimmed; `None` when blank. Longer
/// than [`EXEMPTION_DOCUMENT_MAX`] is refused.
fn exemption_document(given: Option<&str>) -> Result<Option<String>, ServiceError> {
    let Some(doc) = given.map(str::trim).filter(|d| !d.is_empty()) else {
        return Ok(None);
    };
    let n = doc.chars().count();
    if n > EXEMPTION_DOCUMENT_MAX {
        return Err(ServiceError::invalid(
            "exemption_document",
            format!(
                "giấy tờ chứng minh đối tượng miễn dài {n} ký tự; tối đa {EXEMPTION_DOCUMENT_MAX} ký tự (tên, số, ngày cấp)"
            ),
            format!(
                "the exemption document note has {n} characters; at most {EXEMPTION_DOCUMENT_MAX} (title, number, date)"
            ),
        ));
    }
    Ok(Some(doc.to_owned()))
}

/// The receipt form the citizen checks and signs (phiếu thu nhận thông
/// tin): the dossier, the applicant in full (the form exists for them to
/// check what the card will print) and the form's official number.
#[derive(Clone, Debug)]
pub struct ReceiptForm {
    /// The dossier and its events.
    pub dossier: Dossier,
    /// The applicant, unmasked.
    pub citizen: Citizen,
    /// The form's number and circular on the reception date.
    pub form: rules::FormRef,
}

/// The fee as charged, kept with the dossier.
fn charged_fee(fee: &cancuoc_core::basis::Explained<rules::Fee>) -> ChargedFee {
    ChargedFee {
        channel: fee.value.channel,
        rule_id: fee.value.rule_id.clone(),
        table_id: fee.value.table_id.clone(),
        base_amount_vnd: fee.value.base_amount_vnd,
        reduction_percent: fee.value.reduction_percent,
        basis: fee
            .basis
            .iter()
            .map(|b| (b.document.to_string(), b.article.to_string()))
            .collect(),
        explanation_vi: fee.explanation_vi.clone(),
        explanation_en: fee.explanation_en.clone(),
        exemption_document: None,
    }
}

/// Roles that open dossiers at their own office.
pub(crate) const OPENERS: &[Role] = &[Role::Receptionist];
/// Refuses an officer whose role opens no dossiers (checked before anything
/// is read for the dossier, the applicant's record included).
pub(crate) fn check_opener(officer: &Officer) -> Result<(), ServiceError> {
    if OPENERS.contains(&officer.role) {
        Ok(())
    } else {
        Err(ServiceError::RoleNotAllowed {
            action: Action::OpenDossier,
            role: officer.role,
            allowed: OPENERS,
        })
    }
}

/// Roles that record the capture.
pub(crate) const CAPTURERS: &[Role] = &[Role::Receptionist];
/// Most dossiers listed per watch category.
const WATCH_LIMIT: u32 = 500;

impl Service {
    /// The fee of an application on `on` (tính lệ phí): the kind asked for
    /// or, without one, the kind the reason calls for that day
    /// (`rules::default_kind`), priced by the fee table in force. The one
    /// rule behind the desk's preview, the portal's calculator and the
    /// API's fee answer.
    pub fn quote_fee(
        &self,
        kind: Option<IssueKind>,
        reason: Reason,
        exemptions: &[Exemption],
        on: Date,
        channel: Channel,
    ) -> Result<FeeQuote, ServiceError> {
        let kind = match kind {
            Some(k) => k,
            None => rules::default_kind(reason, on)?,
        };
        let fee = rules::fee(kind, reason, exemptions, on, channel)?;
        Ok(FeeQuote { kind, fee })
    }

    /// [`Service::quote_fee`] for a known applicant: each claimed exemption
    /// is first checked against `citizen`'s record on `on` (age, residence,
    /// ethnicity; `rules::exemptions::check_record`), so a preview never
    /// shows a fee the opening would refuse. The document seen is asked for
    /// when the dossier opens, not here.
    pub fn quote_fee_for(
        &self,
        citizen: &Citizen,
        kind: Option<IssueKind>,
        reason: Reason,
        exemptions: &[Exemption],
        on: Date,
        channel: Channel,
    ) -> Result<FeeQuote, ServiceError> {
        let record = applicant_record(citizen);
        for &e in exemptions {
            rules::exemptions::check_record(e, &record, on)?;
        }
        self.quote_fee(kind, reason, exemptions, on, channel)
    }

    /// Opens a dossier at the officer's office (lập hồ sơ): checks the start
    /// with the workflow, computes the fee and the deadlines with the rules
    /// engine, draws a random code and stores it (with the capture record
    /// when given). Returns the stored dossier with its first event.
    pub async fn open_dossier(
        &self,
        officer: &Officer,
        req: OpenDossier,
    ) -> Result<Dossier, ServiceError> {
        check_opener(officer)?;
        let tree = self.offices_knowing(officer.office).await?;
        let office = tree.get(officer.office).cloned().ok_or_else(|| {
            ServiceError::invalid(
                "office",
                format!("đơn vị {} của cán bộ không tồn tại", officer.office),
                format!("the officer's office {} does not exist", officer.office),
            )
        })?;
        check_start(
            req.start,
            officer.role,
            tree.scope_for(officer, office.code),
        )?;
        let at = req.at.unwrap_or_else(|| self.now());
        let received_on = req.received_on.unwrap_or_else(|| super::civil_date_vn(at));
        let kind = match req.kind {
            Some(k) => k,
            None => rules::default_kind(req.reason, received_on)?,
        };
        // Every claimed exemption holds for this applicant on the reception
        // day, and those that need one name the document seen.
        let document = exemption_document(req.exemption_document.as_deref())?;
        let document = if req.exemptions.is_empty() {
            None
        } else {
            let citizen = self.store.citizen(req.citizen).await?;
            rules::exemptions::check_claim(
                &req.exemptions,
                &applicant_record(&citizen),
                received_on,
                document.as_deref(),
            )?;
            document.filter(|_| {
                req.exemptions
                    .iter()
                    .any(|e| rules::exemptions::needs_document(*e))
            })
        };
        let fee = rules::fee(kind, req.reason, &req.exemptions, received_on, req.channel)?;
        let by = if office.level == OfficeLevel::NpdCentre {
            Receiver::NpdCentre
        } else {
            Receiver::Office
        };
        let deadlines = rules::deadlines(received_on, by, self.calendar)?.value;
        let stages = deadlines
            .stages
            .iter()
            .map(|s| StageDeadline {
                stage: s.stage,
                due: s.due,
            })
            .collect::<Vec<_>>();
        // The store draws the code's random part, again when a code is
        // taken; the dossier, its first event, the capture record and the
        // idempotency key are one transaction.
        let mut draw = || rand::random_range(0..DossierCode::RANDOM_SPACE);
        let dossier = self
            .store
            .create_dossier(NewDossier {
                code: CodeSource::Random(&mut draw),
                kind,
                reason: Some(req.reason),
                office: office.code,
                citizen: req.citizen,
                fee_vnd: fee.value.amount_vnd,
                exemption: fee.value.exemption,
                received_on,
                deadlines: stages,
                promised_on: deadlines.promised_date,
                state: req.start,
                actor: Some(officer.id),
                note: req.note.clone(),
                charged: Some(ChargedFee {
                    exemption_document: document,
                    ..charged_fee(&fee)
                }),
                capture: req.capture.as_ref(),
                idempotency_key: req.idempotency_key.clone(),
                at: at.as_second(),
                notify: req.notify.as_ref().map(NotifyChoice::consent),
            })
            .await?;
        tracing::info!(
            code = %dossier.code,
            office = office.code,
            officer = officer.id.0,
            state = dossier.state.code(),
            fee_vnd = dossier.fee_vnd,
            "dossier opened"
        );
        if let Some(booking) = &req.booking {
            // After the dossier is committed: the day's list shows the
            // appointment received. A failure here loses nothing (the
            // dossier exists; the list's own button can still mark it),
            // so it is logged, not returned over a dossier that was opened.
            match self.mark_booking_received(officer, booking).await {
                Ok(super::Received::Marked | super::Received::Already) => {}
                Ok(other) => tracing::info!(
                    dossier = %dossier.code,
                    outcome = ?other,
                    "appointment left as it was (another office's, unknown or cancelled)"
                ),
                Err(e) => tracing::warn!(
                    dossier = %dossier.code,
                    error = %e.chain(),
                    "appointment not marked received"
                ),
            }
        }
        Ok(dossier)
    }

    /// Moves a dossier (chuyển trạng thái): the pure workflow check with the
    /// officer's scope from the cached office tree refuses a wrong role or
    /// office at once; everything that depends on the stored state (version,
    /// idempotent replay, requirements such as a complete capture) is
    /// decided by `Store::apply_transition` inside its transaction.
    pub async fn transition(
        &self,
        officer: &Officer,
        cmd: TransitionCommand,
    ) -> Result<TransitionOutcome, ServiceError> {
        let status = self.store.status_by_code_primary(cmd.code).await?;
        let tree = self.offices_knowing(status.office_code).await?;
        let scope = tree.scope_for(officer, status.office_code);
        let input = TransitionInput {
            note: cmd.note.as_deref(),
            capture: None,
            population_data_changed: cmd.population_data_changed,
            old_document: cmd.old_document,
        };
        // Only the refusals about the actor are final here: the state read
        // above may be older than the officer's retry, and the store decides
        // the rest against the row it locks.
        if let Err(e) = check_transition(status.state, cmd.to, officer.role, scope, &input)
            && e.refusal() == cancuoc_core::dossier::workflow::Refusal::Actor
        {
            return Err(e.into());
        }
        let at = cmd.at.unwrap_or_else(|| self.now()).as_second();
        // The card a printed step makes, personalised from the record now;
        // the store inserts it with the step (a replay inserts nothing). A
        // record that cannot make a card (no personal ID, a date of birth
        // known only to the year, a name the MRZ cannot write) does not
        // stop the step: it is printed without a card record, and logged.
        let card = if cmd.to == State::Printed {
            match self.personalise_card(cmd.code, at).await {
                Ok(card) => Some(card),
                Err(e) if e.class() == crate::ErrorClass::Invalid => {
                    // The error's code only: its message may quote the
                    // person's name or date of birth.
                    tracing::warn!(
                        code = %cmd.code,
                        error = cancuoc_core::i18n::Localized::code(&e),
                        "printed without a card record: the record cannot make one"
                    );
                    None
                }
                Err(e) => return Err(e),
            }
        } else {
            None
        };
        let out = self
            .store
            .apply_transition(&TransitionRequest {
                code: cmd.code,
                expected_version: cmd.expected_version,
                to: cmd.to,
                actor: officer.id,
                note: cmd.note,
                population_data_changed: cmd.population_data_changed,
                old_document: cmd.old_document,
                idempotency_key: cmd.idempotency_key,
                card,
                at,
            })
            .await?;
        tracing::info!(
            code = %cmd.code,
            from = out.from.code(),
            to = out.to.code(),
            version = out.version,
            officer = officer.id.0,
            replayed = out.replayed,
            "dossier transition"
        );
        if out.to == State::Returned && !out.replayed {
            // A citizen who asked on their declaration for a level-2
            // account gets it with the card.
            match self.store.dossier(cmd.code).await {
                Ok(d) => self.grant_with_card(d.citizen, d.office).await,
                Err(e) => tracing::warn!(error = %e, "card returned: dossier not re-read"),
            }
        }
        Ok(out)
    }

    /// Saves the capture record (phiếu thu nhận: vân tay, ảnh chân dung,
    /// đặc điểm nhận dạng) of a dossier of the officer's own office, with
    /// its event; returns the dossier's new version (a form opened before
    /// the save is stale).
    pub async fn save_capture(
        &self,
        officer: &Officer,
        code: DossierCode,
        record: &CaptureRecord,
    ) -> Result<i64, ServiceError> {
        self.check_capture(officer, code).await?;
        let version = self
            .store
            .save_capture(code, record, officer.id, self.now_secs())
            .await?;
        tracing::info!(
            code = %code,
            officer = officer.id.0,
            complete = record.is_complete(),
            version,
            "capture saved"
        );
        Ok(version)
    }

    /// Refuses unless `officer` may record the capture of dossier `code`:
    /// reception of the dossier's own office. A front end asks before it
    /// reads a capture form, so a refusal is about who asks, not about the
    /// form.
    pub async fn check_capture(
        &self,
        officer: &Officer,
        code: DossierCode,
    ) -> Result<(), ServiceError> {
        if !CAPTURERS.contains(&officer.role) {
            return Err(ServiceError::RoleNotAllowed {
                action: Action::Capture,
                role: officer.role,
                allowed: CAPTURERS,
            });
        }
        let status = self.store.status_by_code_primary(code).await?;
        if status.office_code != officer.office {
            return Err(ServiceError::OutOfScope {
                action: Action::Capture,
                officer_office: officer.office,
                target_office: status.office_code,
            });
        }
        Ok(())
    }

    /// The capture record of a dossier the officer may read.
    pub async fn capture(
        &self,
        officer: &Officer,
        code: DossierCode,
    ) -> Result<Option<CaptureRecord>, ServiceError> {
        let status = self.store.status_by_code_primary(code).await?;
        self.check_view(officer, status.office_code).await?;
        Ok(self.store.capture(code).await?)
    }

    /// A dossier with its events, for an officer who may read its office.
    pub async fn dossier(
        &self,
        officer: &Officer,
        code: DossierCode,
    ) -> Result<Dossier, ServiceError> {
        let d = self.store.dossier(code).await?;
        self.check_view(officer, d.office).await?;
        Ok(d)
    }

    /// A dossier with its events and its applicant, for an officer who may
    /// read its office (the console's dossier, capture and print pages);
    /// the applicant's record is read as the dossier's (audited, purpose
    /// `dossier`), whether or not the dossier is still open.
    pub async fn dossier_with_citizen(
        &self,
        officer: &Officer,
        code: DossierCode,
    ) -> Result<(Dossier, Citizen), ServiceError> {
        let d = self.dossier(officer, code).await?;
        let c = self.applicant_of(officer, d.citizen).await?;
        Ok((d, c))
    }

    /// The receipt form of dossier `code` (see [`ReceiptForm`]), for the
    /// reception desk of an office that may read the dossier: the
    /// applicant's record is read unmasked and audited as
    /// `ReadPurpose::PrintReceipt`. Screens and logs keep masking.
    pub async fn receipt_form(
        &self,
        officer: &Officer,
        code: DossierCode,
    ) -> Result<ReceiptForm, ServiceError> {
        if !CAPTURERS.contains(&officer.role) {
            return Err(ServiceError::RoleNotAllowed {
                action: Action::Capture,
                role: officer.role,
                allowed: CAPTURERS,
            });
        }
        let dossier = self.dossier(officer, code).await?;
        let citizen = self
            .applicant_read(
                officer,
                dossier.citizen,
                cancuoc_store::ReadPurpose::PrintReceipt,
            )
            .await?;
        let form = rules::receipt_form(dossier.received_on)?;
        Ok(ReceiptForm {
            dossier,
            citizen,
            form,
        })
    }

    /// Everything the console's dossier page shows (see [`DossierFile`]),
    /// for an officer who may read the dossier's office.
    pub async fn dossier_file(
        &self,
        officer: &Officer,
        code: DossierCode,
    ) -> Result<DossierFile, ServiceError> {
        let (dossier, citizen) = self.dossier_with_citizen(officer, code).await?;
        let office = self.office(dossier.office).await.ok();
        let mut actors = std::collections::HashMap::new();
        for id in dossier.events.iter().filter_map(|e| e.actor) {
            if let std::collections::hash_map::Entry::Vacant(slot) = actors.entry(id) {
                let name = self
                    .store
                    .officer(id)
                    .await
                    .map_or_else(|_| format!("#{}", id.0), |o| o.name);
                slot.insert(name);
            }
        }
        let capture = self.store.capture(code).await?;
        let fee = dossier.charged.clone().or_else(|| {
            let reason = dossier.reason?;
            let exemptions: Vec<_> = dossier.exemption.into_iter().collect();
            self.quote_fee(
                Some(dossier.kind),
                reason,
                &exemptions,
                dossier.received_on,
                Channel::InPerson,
            )
            .ok()
            .map(|q| charged_fee(&q.fee))
        });
        let card = self.store.card_of_dossier(code).await?;
        Ok(DossierFile {
            dossier,
            citizen,
            office,
            actors,
            capture,
            fee,
            card,
        })
    }

    /// Dossiers of an office (keyset paging), optionally in one state.
    pub async fn list_dossiers(
        &self,
        officer: &Officer,
        office: u16,
        state: Option<State>,
        page: Page,
    ) -> Result<Vec<Dossier>, ServiceError> {
        self.check_view(officer, office).await?;
        Ok(self.store.list_dossiers(office, state, page).await?)
    }

    /// An open dossier as a deadline watch lists it, classified with
    /// `rules::classify_with` on `today`.
    pub(crate) fn watch_item(&self, d: Dossier, today: Date) -> Result<WatchItem, ServiceError> {
        Ok(WatchItem {
            timeliness: rules::classify_with(
                d.promised_on,
                None,
                today,
                self.at_risk_working_days,
                self.calendar,
            )?,
            code: d.code,
            state: d.state,
            received_on: d.received_on,
            promised_date: d.promised_on,
            version: d.version,
        })
    }

    /// Overdue and at-risk open dossiers of an office (theo dõi hạn xử lý),
    /// each classified with `rules::classify_with` on today's date.
    pub async fn deadline_watch(
        &self,
        officer: &Officer,
        office: u16,
    ) -> Result<DeadlineWatch, ServiceError> {
        self.check_view(officer, office).await?;
        let today = self.today();
        let window = self.at_risk_working_days;
        let horizon = self.at_risk_horizon(today)?;
        let overdue = self.store.overdue(office, today, WATCH_LIMIT).await?;
        let at_risk = self
            .store
            .at_risk(office, today, horizon, WATCH_LIMIT)
            .await?;
        let item = |d: Dossier| self.watch_item(d, today);
        Ok(DeadlineWatch {
            office,
            today,
            at_risk_working_days: window,
            overdue: overdue.into_iter().map(item).collect::<Result<_, _>>()?,
            at_risk: at_risk.into_iter().map(item).collect::<Result<_, _>>()?,
        })
    }
}
