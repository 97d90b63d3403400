//! Dossiers (hồ sơ cấp thẻ), their append-only event log (nhật ký) and the
//! shapes the use cases take and return.

use cancuoc_core::dossier::capture::CaptureRecord;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::{Actor, DossierEvent, OldDocument, Role, State};
use cancuoc_core::rules::deadline::Stage;
use cancuoc_core::rules::kinds::{Channel, Exemption, IssueKind, Reason};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::citizen::CitizenId;
use super::officer::OfficerId;

/// The database id of a dossier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct DossierId(pub i64);

/// One stage deadline (thời hạn từng khâu), computed by the rules engine and
/// stored as given (in JSON, the stage by its code, e.g.
/// `{"stage":"transfer-to-npd","due":"2026-11-24"}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageDeadline {
    /// The stage.
    #[serde(with = "stage_code")]
    pub stage: Stage,
    /// Last working day of the stage.
    pub due: Date,
}

/// A [`Stage`] as its stable code in stored JSON.
mod stage_code {
    use cancuoc_core::rules::deadline::Stage;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(stage: &Stage, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(stage.code())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Stage, D::Error> {
        let code = String::deserialize(d)?;
        Stage::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// Where a new dossier's code comes from.
pub enum CodeSource<'a> {
    /// The caller made the code (e.g. printed on a pre-issued slip).
    Given(DossierCode),
    /// The store draws the random part from this closure (values in
    /// `0..DossierCode::RANDOM_SPACE`) for the office and the received date,
    /// drawing again when the code is taken. `Sync` too, so that a future
    /// holding the input can move between threads.
    Random(&'a mut (dyn FnMut() -> u32 + Send + Sync)),
}

impl std::fmt::Debug for CodeSource<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodeSource::Given(c) => write!(f, "Given({c})"),
            CodeSource::Random(_) => f.write_str("Random(..)"),
        }
    }
}

/// The fee as it was charged when a dossier opened (lệ phí đã thu): the
/// rule that priced it, the channel it was priced for and its legal basis,
/// kept with the dossier so the console shows the fee actually charged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargedFee {
    /// How the application was filed, which some reductions depend on.
    #[serde(with = "channel_code")]
    pub channel: Channel,
    /// The rule that produced the amount (`<table>:rate`, `<table>:free`,
    /// `<table>:exempt` or a reduction's id).
    pub rule_id: String,
    /// The fee table in force.
    pub table_id: String,
    /// The table amount before exemptions and reductions, in đồng.
    pub base_amount_vnd: u32,
    /// The reduction applied, in percent (0 when none).
    pub reduction_percent: u8,
    /// The legal sources, most specific first: `(document, article)`.
    pub basis: Vec<(String, String)>,
    /// Why this amount, in Vietnamese.
    pub explanation_vi: String,
    /// Why this amount, in English.
    pub explanation_en: String,
    /// The document the officer saw for a claimed exemption that needs one
    /// (giấy tờ chứng minh đối tượng miễn: title, number, date), as typed;
    /// `None` without such a claim, and for fees kept before it was asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemption_document: Option<String>,
}

/// A [`Channel`] as its stable code in stored JSON.
mod channel_code {
    use cancuoc_core::rules::Channel;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(c: &Channel, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(c.code())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Channel, D::Error> {
        let code = String::deserialize(d)?;
        Channel::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// Input for [`crate::Store::create_dossier`].
#[derive(Debug)]
pub struct NewDossier<'a> {
    /// Where the code comes from.
    pub code: CodeSource<'a>,
    /// Loại cấp.
    pub kind: IssueKind,
    /// Lý do.
    pub reason: Option<Reason>,
    /// Đơn vị tiếp nhận.
    pub office: u16,
    /// The citizen applying.
    pub citizen: CitizenId,
    /// Lệ phí, VND (after exemption/reduction), from the rules engine.
    pub fee_vnd: u32,
    /// Ground of exemption, if any.
    pub exemption: Option<Exemption>,
    /// Ngày tiếp nhận (or the appointment day for a booking).
    pub received_on: Date,
    /// Stage deadlines from the rules engine.
    pub deadlines: Vec<StageDeadline>,
    /// Ngày hẹn trả kết quả, from the rules engine.
    pub promised_on: Date,
    /// First state (booked, or received for a walk-in); checked with
    /// `workflow::check_start`.
    pub state: State,
    /// The officer creating it; `None` for a citizen's own booking.
    pub actor: Option<OfficerId>,
    /// Note for the creating event.
    pub note: Option<String>,
    /// The fee as priced (`None` for bulk-loaded history).
    pub charged: Option<ChargedFee>,
    /// A capture record saved in the same transaction (thu nhận thông tin
    /// at the desk, before the dossier exists).
    pub capture: Option<&'a CaptureRecord>,
    /// The officer's idempotency key: a retry with the same key and the
    /// same request returns the dossier the first one opened, instead of
    /// opening a second; with another request, a conflict.
    pub idempotency_key: Option<String>,
    /// The citizen's consent to notifications (number and channel), kept
    /// with the dossier in the same transaction; a dossier opened
    /// `received` also writes its reception notice to the outbox.
    pub notify: Option<super::channel::NotifyConsent>,
    /// Epoch seconds.
    pub at: i64,
}

/// What an event of a dossier's log records (loại sự kiện).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A workflow step (chuyển trạng thái), the creating one included.
    #[default]
    Transition,
    /// The capture record was saved or changed (thu nhận vân tay, ảnh,
    /// đặc điểm nhận dạng); the state is unchanged.
    Capture,
}

impl EventKind {
    /// Stable code stored in the database.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Transition => "transition",
            Self::Capture => "capture",
        }
    }
}

/// One event of a dossier's log as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventRecord {
    /// 1, 2, 3 …; equals the dossier version after the event.
    pub seq: i64,
    /// Epoch seconds.
    pub at: i64,
    /// The officer, or `None` for the citizen (portal).
    pub actor: Option<OfficerId>,
    /// The role the step was taken in.
    pub actor_role: Role,
    /// State before (`None` for the creating event).
    pub from: Option<State>,
    /// State after.
    pub to: State,
    /// Note or reason.
    pub note: Option<String>,
    /// What the event records.
    pub kind: EventKind,
}

impl EventRecord {
    /// The core form, for `workflow::replay` (meaningful for transitions;
    /// a capture event is a step from a state to itself, which replay
    /// refuses: filter by [`EventRecord::kind`] first).
    pub fn to_core(&self) -> DossierEvent {
        let actor_id = self
            .actor
            .map_or_else(|| "portal".to_owned(), |o| format!("officer:{}", o.0));
        DossierEvent {
            seq: u64::try_from(self.seq).unwrap_or(0),
            at: jiff::Timestamp::from_second(self.at).unwrap_or(jiff::Timestamp::UNIX_EPOCH),
            actor: Actor::new(actor_id, self.actor_role),
            from: self.from,
            to: self.to,
            note: self.note.clone(),
        }
    }
}

/// A dossier with its events (the officer's full view).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Dossier {
    /// Database id.
    pub id: DossierId,
    /// Mã hồ sơ.
    pub code: DossierCode,
    /// Loại cấp.
    pub kind: IssueKind,
    /// Lý do.
    pub reason: Option<Reason>,
    /// Đơn vị tiếp nhận.
    pub office: u16,
    /// The citizen.
    pub citizen: CitizenId,
    /// Lệ phí, VND.
    pub fee_vnd: u32,
    /// Ground of exemption.
    pub exemption: Option<Exemption>,
    /// The fee as charged at opening, with its rule and basis (`None` for
    /// bulk-loaded history and in list views).
    pub charged: Option<ChargedFee>,
    /// Ngày tiếp nhận.
    pub received_on: Date,
    /// Stage deadlines.
    pub deadlines: Vec<StageDeadline>,
    /// Ngày hẹn trả kết quả.
    pub promised_on: Date,
    /// Trạng thái.
    pub state: State,
    /// Optimistic-concurrency version = number of events.
    pub version: i64,
    /// Epoch seconds.
    pub created_at: i64,
    /// Epoch seconds.
    pub updated_at: i64,
    /// The event log, oldest first (empty in list views).
    pub events: Vec<EventRecord>,
}

impl Dossier {
    /// The workflow steps of its log in core form, numbered 1, 2, 3 … as
    /// `workflow::replay` reads them: capture events, which leave the
    /// state as it was, are left out.
    pub fn workflow_log(&self) -> Vec<DossierEvent> {
        self.events
            .iter()
            .filter(|e| e.kind == EventKind::Transition)
            .enumerate()
            .map(|(i, e)| {
                let mut core = e.to_core();
                core.seq = i as u64 + 1;
                core
            })
            .collect()
    }
}

/// The public status of a dossier (tra cứu tình trạng hồ sơ): nothing
/// derived from the person — state, dates and the receiving office only,
/// so a code guessed or walked tells nothing about anyone. Served by the
/// hot path
/// [`crate::Store::status_by_code`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DossierStatus {
    /// Mã hồ sơ.
    pub code: DossierCode,
    /// Trạng thái.
    pub state: State,
    /// Ngày hẹn trả kết quả.
    pub promised_on: Date,
    /// Receiving office number.
    pub office_code: u16,
    /// Receiving office name.
    pub office_name: String,
    /// Receiving office hotline.
    pub office_hotline: String,
}

impl DossierStatus {
    /// Whether the promised date has passed on `today` while the offices'
    /// deadline is still running (quá hạn; `State::deadline_running`): a
    /// card ready for pickup or posted is not overdue, however long it
    /// waits for its citizen.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.state.deadline_running() && self.promised_on < today
    }
}

/// A dossier row in list views (no events).
pub type DossierSummary = Dossier;

/// A page of results (phân trang): `after` is the last id of the previous
/// page (keyset paging, stable under inserts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// Only rows with id greater than this.
    pub after: Option<DossierId>,
    /// At most this many rows (capped at 500).
    pub limit: u32,
}

/// A request to move a dossier to another state (chuyển trạng thái).
#[derive(Clone, Debug)]
pub struct TransitionRequest {
    /// Mã hồ sơ.
    pub code: DossierCode,
    /// The version the officer saw; a different stored version is a
    /// conflict.
    pub expected_version: i64,
    /// Target state.
    pub to: State,
    /// The acting officer (role and office are read from the store).
    pub actor: OfficerId,
    /// Note or reason.
    pub note: Option<String>,
    /// Whether population data changed (steps that route on it).
    pub population_data_changed: Option<bool>,
    /// What happened to the old document (steps into returned).
    pub old_document: Option<OldDocument>,
    /// Idempotency key (Idempotency-Key header): the same officer and key
    /// replay the first result instead of applying twice.
    pub idempotency_key: Option<String>,
    /// The card a step into [`State::Printed`] makes, personalised by the
    /// service (ignored for any other target; a replayed step inserts
    /// nothing). `None` into printed makes no card row (seed data).
    pub card: Option<crate::model::card::NewCard>,
    /// Epoch seconds.
    pub at: i64,
}

/// The result of a transition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransitionOutcome {
    /// Mã hồ sơ (as text).
    pub code: String,
    /// State before.
    pub from: State,
    /// State after.
    pub to: State,
    /// New version (= seq of the appended event).
    pub version: i64,
    /// Epoch seconds of the event.
    pub at: i64,
    /// True when this is the stored answer to an earlier request with the
    /// same idempotency key.
    #[serde(default)]
    pub replayed: bool,
}

/// A dossier with its whole event log, for
/// [`crate::Store::bulk_insert_dossiers`] (seeding, import). Its state and
/// version are derived from the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedDossier {
    /// Mã hồ sơ (its office must be `office`).
    pub code: DossierCode,
    /// Loại cấp.
    pub kind: IssueKind,
    /// Lý do.
    pub reason: Option<Reason>,
    /// Đơn vị tiếp nhận.
    pub office: u16,
    /// The citizen.
    pub citizen: CitizenId,
    /// Lệ phí, VND.
    pub fee_vnd: u32,
    /// Ground of exemption.
    pub exemption: Option<Exemption>,
    /// The fee as charged at opening, with its rule and basis (`None` for
    /// bulk-loaded history and in list views).
    pub charged: Option<ChargedFee>,
    /// Ngày tiếp nhận.
    pub received_on: Date,
    /// Stage deadlines.
    pub deadlines: Vec<StageDeadline>,
    /// Ngày hẹn trả kết quả.
    pub promised_on: Date,
    /// The event log, `seq` 1, 2, 3 …; must replay.
    pub events: Vec<EventRecord>,
}

/// Dossier counts of one office (thống kê).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OfficeStats {
    /// Count per state, in `State::ALL` order, states with none left out.
    pub by_state: Vec<(State, i64)>,
    /// Open dossiers past their promised date.
    pub overdue: i64,
}

/// Whole-database counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Offices.
    pub offices: i64,
    /// Officers.
    pub officers: i64,
    /// Citizens.
    pub citizens: i64,
    /// Dossiers.
    pub dossiers: i64,
    /// Dossier events.
    pub events: i64,
}
