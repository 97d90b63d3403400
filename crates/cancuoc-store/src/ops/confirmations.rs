//! Confirmations of an old CMND/CCCD number (xác nhận số CMND): request
//! (portal or desk, a code drawn again on a collision with any public
//! code), get, the public status, the office's queue, decide (approve only
//! when the record holds the number; a conditional update, so two
//! decisions are one) and the print read (audited). One transaction per
//! method; every state change appends an event and an audit row.

use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::Refusal;
use cancuoc_core::id::PersonalId;
use cancuoc_core::person::PartialDate;

use crate::Store;
use crate::db::with_pool;
use crate::error::{Conflict, Entity, Invalid, StoreError};
use crate::model::citizen::CitizenId;
use crate::model::confirmation::{
    Confirmation, ConfirmationChannel, ConfirmationDecision, ConfirmationEvent, ConfirmationState,
    ConfirmationStatus, Decided, NewConfirmation, OldNumber, RecordGap, Verdict,
};
use crate::model::dossier::CodeSource;
use crate::model::officer::OfficerId;
use crate::ops::dossiers::refused;
use crate::ops::{audit, cap_limit};
use crate::replica::public_read;
use crate::rows::{code_of, code_value, date_of, u16_of};

/// Refuses, inside transaction `$tx`, an officer who is missing,
/// deactivated or not of office `$office`.
macro_rules! check_officer {
    ($tx:ident, $officer:expr, $office:expr) => {{
        let row: Option<(i64, bool)> = sqlx::query_as::<DB, (i64, bool)>(
            "SELECT office_code, active FROM officers WHERE id = $1",
        )
        .bind($officer.0)
        .fetch_optional(&mut *$tx)
        .await?;
        match row {
            None => {
                return Err(StoreError::not_found(
                    Entity::Officer,
                    $officer.0.to_string(),
                ));
            }
            Some((_, false)) => {
                return Err(StoreError::field("actor", "the officer is deactivated"));
            }
            Some((o, true)) if o != $office => {
                return Err(StoreError::field(
                    "actor",
                    format!(
                        "the officer's office {o} is not the request's office {}",
                        $office
                    ),
                ));
            }
            Some(_) => {}
        }
    }};
}

/// How many random codes a request draws before giving up.
const MAX_CODE_DRAWS: u32 = 16;

/// Column list of [`ConfirmationRow`], in its order.
macro_rules! confirmation_cols {
    () => {
        "c.id, c.code, c.office_code, c.personal_id, c.full_name, c.dob, c.old_number, \
         c.channel, c.state, c.citizen_id, c.refusal, c.received_on, c.promised_on, \
         c.requested_at, c.requested_by, c.decided_at, c.decided_on, c.decided_by, c.version"
    };
}

#[derive(sqlx::FromRow)]
struct ConfirmationRow {
    id: i64,
    code: i64,
    office_code: i64,
    personal_id: String,
    full_name: String,
    dob: String,
    old_number: String,
    channel: String,
    state: String,
    citizen_id: Option<i64>,
    refusal: Option<String>,
    received_on: String,
    promised_on: String,
    requested_at: i64,
    requested_by: Option<i64>,
    decided_at: Option<i64>,
    decided_on: Option<String>,
    decided_by: Option<i64>,
    version: i64,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    seq: i64,
    at: i64,
    actor_id: Option<i64>,
    to_state: String,
    note: Option<String>,
}

fn state_of(s: &str) -> Result<ConfirmationState, StoreError> {
    ConfirmationState::parse(s).ok_or_else(|| StoreError::corrupt("cmnd_confirmations.state", s))
}

impl ConfirmationRow {
    fn into_model(self, events: Vec<ConfirmationEvent>) -> Result<Confirmation, StoreError> {
        Ok(Confirmation {
            code: code_of(self.code)?,
            office: u16_of("cmnd_confirmations.office_code", self.office_code)?,
            personal_id: PersonalId::parse(&self.personal_id).map_err(|_| {
                StoreError::corrupt(
                    "cmnd_confirmations.personal_id",
                    cancuoc_core::id::mask_any(&self.personal_id),
                )
            })?,
            full_name: self.full_name,
            dob: self
                .dob
                .parse::<PartialDate>()
                .map_err(|_| StoreError::corrupt("cmnd_confirmations.dob", &self.dob))?,
            old_number: OldNumber::parse(&self.old_number).ok_or_else(|| {
                StoreError::corrupt(
                    "cmnd_confirmations.old_number",
                    cancuoc_core::id::mask_any(&self.old_number),
                )
            })?,
            channel: ConfirmationChannel::parse(&self.channel)
                .ok_or_else(|| StoreError::corrupt("cmnd_confirmations.channel", &self.channel))?,
            state: state_of(&self.state)?,
            citizen: self.citizen_id.map(CitizenId),
            refusal: self.refusal,
            received_on: date_of("cmnd_confirmations.received_on", &self.received_on)?,
            promised_on: date_of("cmnd_confirmations.promised_on", &self.promised_on)?,
            requested_at: self.requested_at,
            requested_by: self.requested_by.map(OfficerId),
            decided_at: self.decided_at,
            decided_on: self
                .decided_on
                .as_deref()
                .map(|d| date_of("cmnd_confirmations.decided_on", d))
                .transpose()?,
            decided_by: self.decided_by.map(OfficerId),
            version: self.version,
            events,
        })
    }
}

impl EventRow {
    fn into_model(self) -> Result<ConfirmationEvent, StoreError> {
        Ok(ConfirmationEvent {
            seq: self.seq,
            at: self.at,
            actor: self.actor_id.map(OfficerId),
            to: state_of(&self.to_state)?,
            note: self.note,
        })
    }
}

/// Reads the request with `$code` and its events on `$conn`.
macro_rules! load_confirmation {
    ($conn:expr, $code:expr) => {{
        let row: Option<ConfirmationRow> = sqlx::query_as::<DB, ConfirmationRow>(concat!(
            "SELECT ",
            confirmation_cols!(),
            " FROM cmnd_confirmations c WHERE c.code = $1"
        ))
        .bind($code)
        .fetch_optional(&mut *$conn)
        .await?;
        match row {
            None => None,
            Some(row) => {
                let events: Vec<EventRow> = sqlx::query_as::<DB, EventRow>(
                    "SELECT seq, at, actor_id, to_state, note FROM cmnd_confirmation_events \
                     WHERE confirmation_id = $1 ORDER BY seq",
                )
                .bind(row.id)
                .fetch_all(&mut *$conn)
                .await?;
                Some((row, events))
            }
        }
    }};
}

fn assemble(
    found: Option<(ConfirmationRow, Vec<EventRow>)>,
    code: DossierCode,
) -> Result<Confirmation, StoreError> {
    let (row, events) =
        found.ok_or_else(|| StoreError::not_found(Entity::Dossier, code.to_string()))?;
    let events = events
        .into_iter()
        .map(EventRow::into_model)
        .collect::<Result<_, _>>()?;
    row.into_model(events)
}

/// What the printed confirmation carries, read from the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfirmationPrint {
    /// The request, approved.
    pub confirmation: Confirmation,
    /// The citizen's full name on record.
    pub full_name: String,
    /// The citizen's date of birth on record.
    pub dob: PartialDate,
}

impl Store {
    /// Records a request for the confirmation of an old number (tiếp nhận
    /// yêu cầu xác nhận số CMND) in state `requested`, with its first event
    /// and an audit row; a desk officer must be active and of the
    /// receiving office. With [`CodeSource::Random`] a code some dossier or
    /// request already holds is drawn again, up to 16 times. A portal form
    /// sent again (the same `presence`) is refused as a duplicate: look it
    /// up with [`Store::confirmation_by_presence`].
    pub async fn request_confirmation(
        &self,
        new: NewConfirmation<'_>,
    ) -> Result<Confirmation, StoreError> {
        let mut new = new;
        if new.full_name.trim().is_empty() {
            return Err(StoreError::field("full_name", "must not be blank"));
        }
        let mut draws = 0u32;
        loop {
            let code = match &mut new.code {
                CodeSource::Given(c) => *c,
                CodeSource::Random(draw) => {
                    draws += 1;
                    DossierCode::new(u32::from(new.office), new.received_on, draw())
                        .map_err(|e| refused(&e, Refusal::Requirement))?
                }
            };
            match self.insert_confirmation(&new, code).await {
                Err(e)
                    if e.is_duplicate()
                        && matches!(new.code, CodeSource::Random(_))
                        && !self.presence_taken(new.presence.as_deref()).await? =>
                {
                    if draws >= MAX_CODE_DRAWS {
                        return Err(StoreError::Invalid(Invalid::CodeSpaceExhausted {
                            attempts: draws,
                        }));
                    }
                }
                other => return other,
            }
        }
    }

    async fn presence_taken(&self, presence: Option<&str>) -> Result<bool, StoreError> {
        Ok(match presence {
            Some(p) => self.confirmation_by_presence(p).await?.is_some(),
            None => false,
        })
    }

    async fn insert_confirmation(
        &self,
        new: &NewConfirmation<'_>,
        code: DossierCode,
    ) -> Result<Confirmation, StoreError> {
        if u32::from(new.office) != code.office() {
            return Err(StoreError::field(
                "code",
                format!(
                    "code {code} belongs to office {}, not {}",
                    code.office(),
                    new.office
                ),
            ));
        }
        let office = i64::from(new.office);
        with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            if let Some(officer) = new.actor {
                check_officer!(tx, officer, office);
            }
            let id: i64 = sqlx::query_scalar::<DB, i64>(
                "INSERT INTO cmnd_confirmations (code, office_code, personal_id, full_name, dob, \
                 old_number, channel, state, received_on, promised_on, requested_at, \
                 requested_by, presence, version) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'requested', $8, $9, $10, $11, $12, 1) \
                 RETURNING id",
            )
            .bind(code_value(&code))
            .bind(office)
            .bind(new.personal_id.as_str())
            .bind(new.full_name.trim())
            .bind(new.dob.to_string())
            .bind(new.old_number.as_str())
            .bind(new.channel.code())
            .bind(new.received_on.to_string())
            .bind(new.promised_on.to_string())
            .bind(new.at)
            .bind(new.actor.map(|o| o.0))
            .bind(new.presence.as_deref())
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO cmnd_confirmation_events (confirmation_id, seq, at, actor_id, \
                 to_state, note) VALUES ($1, 1, $2, $3, 'requested', NULL)",
            )
            .bind(id)
            .bind(new.at)
            .bind(new.actor.map(|o| o.0))
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                new.at,
                new.actor.map(|o| o.0),
                "cmnd_confirmation.request",
                format!("cmnd_confirmation:{code}"),
                format!(
                    "channel={} personal_id={} old_number={}",
                    new.channel.code(),
                    cancuoc_core::id::mask(&new.personal_id),
                    cancuoc_core::id::mask_any(new.old_number.as_str())
                )
            );
            let found = load_confirmation!(tx, code_value(&code));
            tx.commit().await?;
            assemble(found, code)
        })
    }

    /// The request with `code` and its events.
    pub async fn confirmation(&self, code: DossierCode) -> Result<Confirmation, StoreError> {
        let found = with_pool!(&self.db, |pool| {
            let mut conn = pool.acquire().await?;
            load_confirmation!(conn, code_value(&code))
        });
        assemble(found, code)
    }

    /// The request a portal form with challenge `presence` made, if any.
    pub async fn confirmation_by_presence(
        &self,
        presence: &str,
    ) -> Result<Option<Confirmation>, StoreError> {
        let code: Option<i64> = with_pool!(&self.db, |pool| {
            sqlx::query_scalar::<DB, i64>("SELECT code FROM cmnd_confirmations WHERE presence = $1")
                .bind(presence)
                .fetch_optional(pool)
                .await?
        });
        match code {
            Some(c) => Ok(Some(self.confirmation(code_of(c)?).await?)),
            None => Ok(None),
        }
    }

    /// The public status of the request with `code`: state, dates and the
    /// receiving office, nothing of the person. Not found: no request has
    /// this code ([`Entity::Dossier`], as a dossier code would be). Read
    /// on a replica when one is fresh (see `replica.rs`).
    pub async fn confirmation_status(
        &self,
        code: DossierCode,
    ) -> Result<ConfirmationStatus, StoreError> {
        type Row = (
            i64,
            String,
            String,
            String,
            Option<String>,
            i64,
            String,
            String,
        );
        let row: Option<Row> = public_read!(self, |db| async {
            Ok::<_, StoreError>(with_pool!(db, |pool| {
                sqlx::query_as::<DB, Row>(
                    "SELECT c.code, c.state, c.received_on, c.promised_on, c.decided_on, \
                     o.code, o.name, o.hotline FROM cmnd_confirmations c \
                     JOIN offices o ON o.code = c.office_code WHERE c.code = $1",
                )
                .bind(code_value(&code))
                .fetch_optional(pool)
                .await?
            }))
        }
        .await)?;
        let (code_v, state, received, promised, decided, office, name, hotline) =
            row.ok_or_else(|| StoreError::not_found(Entity::Dossier, code.to_string()))?;
        Ok(ConfirmationStatus {
            code: code_of(code_v)?,
            state: state_of(&state)?,
            received_on: date_of("cmnd_confirmations.received_on", &received)?,
            promised_on: date_of("cmnd_confirmations.promised_on", &promised)?,
            decided_on: decided
                .as_deref()
                .map(|d| date_of("cmnd_confirmations.decided_on", d))
                .transpose()?,
            office_code: u16_of("offices.code", office)?,
            office_name: name,
            office_hotline: hotline,
        })
    }

    /// The office's requests to check (hàng đợi xác nhận số CMND): those
    /// still `requested` first, oldest first, then the decided ones, most
    /// recent decision first; at most `limit` (capped at 500). Events are
    /// not loaded.
    pub async fn confirmation_queue(
        &self,
        office: u16,
        limit: u32,
    ) -> Result<Vec<Confirmation>, StoreError> {
        let rows: Vec<ConfirmationRow> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, ConfirmationRow>(concat!(
                "SELECT ",
                confirmation_cols!(),
                " FROM cmnd_confirmations c WHERE c.office_code = $1 \
                  ORDER BY CASE WHEN c.state = 'requested' THEN 0 ELSE 1 END, \
                  CASE WHEN c.state = 'requested' THEN c.requested_at ELSE -c.decided_at END, \
                  c.id LIMIT $2"
            ))
            .bind(i64::from(office))
            .bind(cap_limit(limit))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(|r| r.into_model(Vec::new())).collect()
    }

    /// Decides a request (quyết định: cấp giấy xác nhận hoặc từ chối) in
    /// one transaction: the officer must be active and of the receiving
    /// office; an approval needs a citizen with the request's personal ID,
    /// the same name (compared without diacritics, case or extra spaces)
    /// and date of birth, and the old number on their record
    /// (`citizen_old_cmnd`), else nothing changes and the gap is answered
    /// ([`Decided::NotOnRecord`]); a refusal needs a reason. The update is
    /// conditional on the request still being `requested`, so of two
    /// decisions only the first counts; the second is
    /// [`Conflict::StaleVersion`] (expected 1, the version now).
    pub async fn decide_confirmation(
        &self,
        d: &ConfirmationDecision,
    ) -> Result<Decided, StoreError> {
        let note = match &d.verdict {
            Verdict::Approve => None,
            Verdict::Refuse(reason) => {
                let r = reason.trim();
                if r.is_empty() {
                    return Err(StoreError::field("reason", "a refusal needs its reason"));
                }
                Some(r.to_owned())
            }
        };
        let to = match d.verdict {
            Verdict::Approve => ConfirmationState::Approved,
            Verdict::Refuse(_) => ConfirmationState::Refused,
        };
        let code_v = code_value(&d.code);
        with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let (id, office, personal_id, full_name, dob, old_number, state, version): (
                i64,
                i64,
                String,
                String,
                String,
                String,
                String,
                i64,
            ) = sqlx::query_as::<DB, (i64, i64, String, String, String, String, String, i64)>(
                "SELECT id, office_code, personal_id, full_name, dob, old_number, state, version \
                 FROM cmnd_confirmations WHERE code = $1",
            )
            .bind(code_v)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::not_found(Entity::Dossier, d.code.to_string()))?;
            check_officer!(tx, d.officer, office);
            if state != ConfirmationState::Requested.code() {
                return Err(StoreError::Conflict(Conflict::StaleVersion {
                    code: d.code.to_string(),
                    expected: 1,
                    actual: version,
                }));
            }
            let mut citizen = None;
            if to == ConfirmationState::Approved {
                let found: Option<(i64, String, String)> =
                    sqlx::query_as::<DB, (i64, String, String)>(
                        "SELECT id, full_name, dob FROM citizens WHERE personal_id = $1",
                    )
                    .bind(&personal_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some((cid, name, birth)) = found else {
                    return Ok(Decided::NotOnRecord(RecordGap::NoCitizen));
                };
                let same_name = cancuoc_core::text::search_key(&name)
                    == cancuoc_core::text::search_key(&full_name);
                if !same_name || birth != dob {
                    return Ok(Decided::NotOnRecord(RecordGap::NameOrBirthDate));
                }
                let held: Option<i64> = sqlx::query_scalar::<DB, i64>(
                    "SELECT citizen_id FROM citizen_old_cmnd WHERE citizen_id = $1 AND number = $2",
                )
                .bind(cid)
                .bind(&old_number)
                .fetch_optional(&mut *tx)
                .await?;
                if held.is_none() {
                    return Ok(Decided::NotOnRecord(RecordGap::OldNumber));
                }
                citizen = Some(cid);
            }
            let changed = sqlx::query(
                "UPDATE cmnd_confirmations SET state = $1, refusal = $2, citizen_id = $3, \
                 decided_at = $4, decided_on = $5, decided_by = $6, version = version + 1 \
                 WHERE id = $7 AND state = 'requested'",
            )
            .bind(to.code())
            .bind(note.as_deref())
            .bind(citizen)
            .bind(d.at)
            .bind(d.on.to_string())
            .bind(d.officer.0)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed != 1 {
                return Err(StoreError::Conflict(Conflict::StaleVersion {
                    code: d.code.to_string(),
                    expected: 1,
                    actual: version + 1,
                }));
            }
            sqlx::query(
                "INSERT INTO cmnd_confirmation_events (confirmation_id, seq, at, actor_id, \
                 to_state, note) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(version + 1)
            .bind(d.at)
            .bind(d.officer.0)
            .bind(to.code())
            .bind(note.as_deref())
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                d.at,
                Some(d.officer.0),
                "cmnd_confirmation.decide",
                format!("cmnd_confirmation:{}", d.code),
                format!("state={}", to.code())
            );
            let found = load_confirmation!(tx, code_v);
            tx.commit().await?;
            Ok(Decided::Done(Box::new(assemble(found, d.code)?)))
        })
    }

    /// What the printed confirmation of an approved request carries, read
    /// for officer `officer` of the receiving office, with an audit row
    /// (`cmnd_confirmation.print`) in the same transaction. A request not
    /// approved is refused (an invalid `state` field, [`StoreError::Invalid`]).
    pub async fn confirmation_print(
        &self,
        code: DossierCode,
        officer: OfficerId,
        at: i64,
    ) -> Result<ConfirmationPrint, StoreError> {
        let code_v = code_value(&code);
        let (found, person) = with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let found = load_confirmation!(tx, code_v);
            let office = found.as_ref().map_or(-1, |(r, _)| r.office_code);
            if found.is_some() {
                check_officer!(tx, officer, office);
            }
            let citizen = found.as_ref().and_then(|(r, _)| r.citizen_id);
            let person: Option<(String, String)> = match citizen {
                Some(cid) => {
                    sqlx::query_as::<DB, (String, String)>(
                        "SELECT full_name, dob FROM citizens WHERE id = $1",
                    )
                    .bind(cid)
                    .fetch_optional(&mut *tx)
                    .await?
                }
                None => None,
            };
            if person.is_some() {
                audit!(
                    tx,
                    at,
                    Some(officer.0),
                    "cmnd_confirmation.print",
                    format!("cmnd_confirmation:{code}"),
                    format!("citizen={}", citizen.unwrap_or_default())
                );
            }
            tx.commit().await?;
            (found, person)
        });
        let confirmation = assemble(found, code)?;
        if confirmation.state != ConfirmationState::Approved {
            return Err(StoreError::field(
                "state",
                format!(
                    "request {code} is {}, only an approved one is printed",
                    confirmation.state.code()
                ),
            ));
        }
        let (full_name, dob) = person.ok_or_else(|| {
            StoreError::corrupt("cmnd_confirmations.citizen_id", code.to_string())
        })?;
        Ok(ConfirmationPrint {
            confirmation,
            full_name,
            dob: dob
                .parse::<PartialDate>()
                .map_err(|_| StoreError::corrupt("citizens.dob", &dob))?,
        })
    }
}
