//! Raw rows as the drivers decode them (plain integers and text, the same
//! Rust types on both backends) and their conversion into the model, where a
//! stored value this build cannot read becomes [`StoreError::Corrupt`]
//! instead of a panic.

use cancuoc_core::card::CardModel;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::{Role, State};
use cancuoc_core::id::PersonalId;
use cancuoc_core::person::{PartialDate, Sex};
use cancuoc_core::rules::kinds::{Exemption, IssueKind, Reason};
use jiff::civil::Date;

use crate::error::StoreError;
use crate::model::card::{Card, CardId, CardStatusRow};
use crate::model::citizen::{Citizen, CitizenId, FieldProvenance};
use crate::model::dossier::{Dossier, DossierId, DossierStatus, EventKind, EventRecord};
use crate::model::office::{Office, Period};
use crate::model::officer::{Officer, OfficerId};

pub(crate) fn u16_of(column: &'static str, v: i64) -> Result<u16, StoreError> {
    u16::try_from(v).map_err(|_| StoreError::corrupt(column, v.to_string()))
}

pub(crate) fn u32_of(column: &'static str, v: i64) -> Result<u32, StoreError> {
    u32::try_from(v).map_err(|_| StoreError::corrupt(column, v.to_string()))
}

pub(crate) fn date_of(column: &'static str, s: &str) -> Result<Date, StoreError> {
    s.parse::<Date>()
        .map_err(|_| StoreError::corrupt(column, s))
}

pub(crate) fn state_of(column: &'static str, s: &str) -> Result<State, StoreError> {
    s.parse::<State>()
        .map_err(|_| StoreError::corrupt(column, s))
}

pub(crate) fn role_of(column: &'static str, s: &str) -> Result<Role, StoreError> {
    s.parse::<Role>()
        .map_err(|_| StoreError::corrupt(column, s))
}

pub(crate) fn json_of<T: serde::de::DeserializeOwned>(
    column: &'static str,
    s: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|_| StoreError::corrupt(column, s))
}

pub(crate) fn to_json<T: serde::Serialize>(
    field: &'static str,
    v: &T,
) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::field(field, e.to_string()))
}

pub(crate) fn sex_code(s: Sex) -> &'static str {
    match s {
        Sex::Male => "male",
        Sex::Female => "female",
    }
}

pub(crate) fn code_of(v: i64) -> Result<DossierCode, StoreError> {
    u64::try_from(v)
        .ok()
        .and_then(|u| DossierCode::from_u64(u).ok())
        .ok_or_else(|| StoreError::corrupt("dossiers.code", v.to_string()))
}

pub(crate) fn code_value(c: &DossierCode) -> i64 {
    // 16 digits < 10^16 < i64::MAX.
    i64::try_from(c.to_u64()).unwrap_or(i64::MAX)
}

#[derive(sqlx::FromRow)]
pub(crate) struct OfficeRow {
    pub code: i64,
    pub name: String,
    pub level: String,
    pub parent_code: Option<i64>,
    pub address: String,
    pub hotline: String,
    pub opening_hours: String,
    pub daily_capacity: i64,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
}

/// Column list of `office_cols`, in the row struct's order.
macro_rules! office_cols {
    () => {
        "code, name, level, parent_code, address, hotline, opening_hours, daily_capacity, \
         valid_from, valid_until"
    };
}
pub(crate) use office_cols;

impl OfficeRow {
    pub fn into_model(self) -> Result<Office, StoreError> {
        Ok(Office {
            code: u16_of("offices.code", self.code)?,
            name: self.name,
            level: self
                .level
                .parse()
                .map_err(|_| StoreError::corrupt("offices.level", &self.level))?,
            parent: self
                .parent_code
                .map(|p| u16_of("offices.parent_code", p))
                .transpose()?,
            address: self.address,
            hotline: self.hotline,
            opening_hours: json_of("offices.opening_hours", &self.opening_hours)?,
            daily_capacity: u32_of("offices.daily_capacity", self.daily_capacity)?,
            in_force: {
                let from = self
                    .valid_from
                    .as_deref()
                    .map(|d| date_of("offices.valid_from", d))
                    .transpose()?;
                let until = self
                    .valid_until
                    .as_deref()
                    .map(|d| date_of("offices.valid_until", d))
                    .transpose()?;
                Period::new(from, until)
                    .map_err(|e| StoreError::corrupt("offices.valid_until", e.to_string()))?
            },
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct OfficerRow {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub office_code: i64,
    pub active: bool,
    pub created_at: i64,
}

/// Column list of `officer_cols`, in the row struct's order.
macro_rules! officer_cols {
    () => {
        "id, name, role, office_code, active, created_at"
    };
}
pub(crate) use officer_cols;

impl OfficerRow {
    pub fn into_model(self) -> Result<Officer, StoreError> {
        Ok(Officer {
            id: OfficerId(self.id),
            name: self.name,
            role: role_of("officers.role", &self.role)?,
            office: u16_of("officers.office_code", self.office_code)?,
            active: self.active,
            created_at: self.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct CitizenRow {
    pub id: i64,
    pub personal_id: Option<String>,
    pub full_name: String,
    pub dob: String,
    pub sex: String,
    pub nationality: String,
    pub ethnicity: String,
    pub religion: String,
    pub place_of_origin: String,
    pub birth_registration: String,
    pub permanent_residence: String,
    pub temporary_residence: Option<String>,
    pub phone: Option<String>,
    pub provenance: String,
    pub created_at: i64,
}

/// Column list of `citizen_cols`, in the row struct's order.
macro_rules! citizen_cols {
    () => {
        "id, personal_id, full_name, dob, sex, nationality, \
    ethnicity, religion, place_of_origin, birth_registration, permanent_residence, \
    temporary_residence, phone, provenance, created_at"
    };
}
pub(crate) use citizen_cols;

impl CitizenRow {
    pub fn into_model(self, old_cmnd: Vec<String>) -> Result<Citizen, StoreError> {
        let personal_id = match &self.personal_id {
            None => None,
            Some(s) => Some(PersonalId::parse(s).map_err(|_| {
                StoreError::corrupt("citizens.personal_id", cancuoc_core::id::mask_any(s))
            })?),
        };
        Ok(Citizen {
            id: CitizenId(self.id),
            personal_id,
            full_name: self.full_name,
            dob: self
                .dob
                .parse::<PartialDate>()
                .map_err(|_| StoreError::corrupt("citizens.dob", &self.dob))?,
            sex: match self.sex.as_str() {
                "male" => Sex::Male,
                "female" => Sex::Female,
                other => return Err(StoreError::corrupt("citizens.sex", other)),
            },
            nationality: self.nationality,
            ethnicity: self.ethnicity,
            religion: self.religion,
            place_of_origin: self.place_of_origin,
            birth_registration: self.birth_registration,
            permanent_residence: self.permanent_residence,
            temporary_residence: self.temporary_residence,
            phone: self.phone,
            old_cmnd,
            provenance: FieldProvenance::from_stored(&self.provenance).ok_or_else(|| {
                StoreError::corrupt("citizens.provenance", self.provenance.as_str())
            })?,
            created_at: self.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct CardRow {
    pub id: i64,
    pub number: String,
    pub citizen_id: i64,
    pub issued_on: String,
    pub expires_on: Option<String>,
    pub state: String,
    pub dossier_id: Option<i64>,
    pub model: Option<String>,
    pub mrz: Option<String>,
    pub qr_payload: Option<String>,
    pub sod_digest: Option<String>,
    pub printed_at: Option<i64>,
    pub activated_at: Option<i64>,
    pub state_changed_at: Option<i64>,
    pub lost_at: Option<i64>,
    pub lost_reason: Option<String>,
    pub lost_by: Option<i64>,
    pub replaced_by: Option<i64>,
}

/// Column list of `card_cols`, in the row struct's order.
macro_rules! card_cols {
    () => {
        "id, number, citizen_id, issued_on, expires_on, state, dossier_id, model, mrz, \
         qr_payload, sod_digest, printed_at, activated_at, state_changed_at, lost_at, \
         lost_reason, lost_by, replaced_by"
    };
}
pub(crate) use card_cols;

/// A stored card model code (`2021`, `2024`).
fn card_model_of(v: Option<&str>) -> Result<Option<CardModel>, StoreError> {
    v.map(|m| {
        m.parse::<CardModel>()
            .map_err(|_| StoreError::corrupt("cards.model", m))
    })
    .transpose()
}

impl CardRow {
    pub fn into_model(self) -> Result<Card, StoreError> {
        Ok(Card {
            id: CardId(self.id),
            number: self.number,
            citizen: CitizenId(self.citizen_id),
            issued_on: date_of("cards.issued_on", &self.issued_on)?,
            expires_on: self
                .expires_on
                .as_deref()
                .map(|d| date_of("cards.expires_on", d))
                .transpose()?,
            state: self.state.parse()?,
            dossier: self.dossier_id,
            model: card_model_of(self.model.as_deref())?,
            mrz: self.mrz,
            qr_payload: self.qr_payload,
            sod_digest: self.sod_digest,
            printed_at: self.printed_at,
            activated_at: self.activated_at,
            state_changed_at: self.state_changed_at,
            lost_at: self.lost_at,
            lost_reason: self.lost_reason,
            lost_by: self.lost_by.map(OfficerId),
            replaced_by: self.replaced_by.map(CardId),
        })
    }
}

/// What the public card status reads (no personal data).
#[derive(sqlx::FromRow)]
pub(crate) struct CardStatusDbRow {
    pub state: String,
    pub issued_on: String,
    pub expires_on: Option<String>,
    pub model: Option<String>,
    pub printed_at: Option<i64>,
    pub activated_at: Option<i64>,
    pub state_changed_at: Option<i64>,
    pub lost_at: Option<i64>,
}

/// Column list of [`CardStatusDbRow`].
macro_rules! card_status_cols {
    () => {
        "state, issued_on, expires_on, model, printed_at, activated_at, state_changed_at, lost_at"
    };
}
pub(crate) use card_status_cols;

impl CardStatusDbRow {
    pub fn into_model(self) -> Result<CardStatusRow, StoreError> {
        Ok(CardStatusRow {
            state: self.state.parse()?,
            issued_on: date_of("cards.issued_on", &self.issued_on)?,
            expires_on: self
                .expires_on
                .as_deref()
                .map(|d| date_of("cards.expires_on", d))
                .transpose()?,
            model: card_model_of(self.model.as_deref())?,
            printed_at: self.printed_at,
            activated_at: self.activated_at,
            state_changed_at: self.state_changed_at,
            lost_at: self.lost_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct DossierRow {
    pub id: i64,
    pub code: i64,
    pub kind: String,
    pub reason: Option<String>,
    pub office_code: i64,
    pub citizen_id: i64,
    pub fee_vnd: i64,
    pub exemption: Option<String>,
    pub received_on: String,
    pub deadlines: String,
    pub promised_on: String,
    pub state: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// Only in full reads ([`dossier_cols`]); list views leave it out.
    #[sqlx(default)]
    pub fee_detail: Option<String>,
}

/// Column list of `dossier_cols`, in the row struct's order.
macro_rules! dossier_cols {
    () => {
        "id, code, kind, reason, office_code, citizen_id, fee_vnd, \
    exemption, received_on, deadlines, promised_on, state, version, created_at, updated_at, \
    fee_detail"
    };
}
pub(crate) use dossier_cols;

impl DossierRow {
    pub fn into_model(self, events: Vec<EventRecord>) -> Result<Dossier, StoreError> {
        Ok(Dossier {
            id: DossierId(self.id),
            code: code_of(self.code)?,
            kind: IssueKind::parse(&self.kind)
                .map_err(|_| StoreError::corrupt("dossiers.kind", &self.kind))?,
            reason: self
                .reason
                .as_deref()
                .map(|r| Reason::parse(r).map_err(|_| StoreError::corrupt("dossiers.reason", r)))
                .transpose()?,
            office: u16_of("dossiers.office_code", self.office_code)?,
            citizen: CitizenId(self.citizen_id),
            fee_vnd: u32_of("dossiers.fee_vnd", self.fee_vnd)?,
            exemption: self
                .exemption
                .as_deref()
                .map(|r| {
                    Exemption::parse(r).map_err(|_| StoreError::corrupt("dossiers.exemption", r))
                })
                .transpose()?,
            charged: self
                .fee_detail
                .as_deref()
                .map(|j| json_of("dossiers.fee_detail", j))
                .transpose()?,
            received_on: date_of("dossiers.received_on", &self.received_on)?,
            deadlines: json_of("dossiers.deadlines", &self.deadlines)?,
            promised_on: date_of("dossiers.promised_on", &self.promised_on)?,
            state: state_of("dossiers.state", &self.state)?,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
            events,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct EventRow {
    pub seq: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_role: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub note: Option<String>,
    pub kind: String,
}

impl EventRow {
    pub fn into_model(self) -> Result<EventRecord, StoreError> {
        Ok(EventRecord {
            seq: self.seq,
            at: self.at,
            actor: self.actor_id.map(OfficerId),
            actor_role: role_of("dossier_events.actor_role", &self.actor_role)?,
            from: self
                .from_state
                .as_deref()
                .map(|s| state_of("dossier_events.from_state", s))
                .transpose()?,
            to: state_of("dossier_events.to_state", &self.to_state)?,
            note: self.note,
            kind: match self.kind.as_str() {
                "transition" => EventKind::Transition,
                "capture" => EventKind::Capture,
                other => return Err(StoreError::corrupt("dossier_events.kind", other)),
            },
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct StatusRow {
    pub code: i64,
    pub state: String,
    pub promised_on: String,
    pub office_code: i64,
    pub office_name: String,
    pub office_hotline: String,
}

impl StatusRow {
    pub fn into_model(self) -> Result<DossierStatus, StoreError> {
        Ok(DossierStatus {
            code: code_of(self.code)?,
            state: state_of("dossiers.state", &self.state)?,
            promised_on: date_of("dossiers.promised_on", &self.promised_on)?,
            office_code: u16_of("offices.code", self.office_code)?,
            office_name: self.office_name,
            office_hotline: self.office_hotline,
        })
    }
}
