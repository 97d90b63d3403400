//! Dossiers: create (caller's code, or a random one drawn again on a
//! collision), get with events, the public status hot path, lists by office
//! and state, overdue and at-risk lists, and the capture record.

use cancuoc_core::dossier::capture::CaptureRecord;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::{
    ActorScope, Refusal, Role, Scope, State, WorkflowError, check_start,
};
use cancuoc_core::i18n::Localized;
use jiff::civil::Date;

use crate::Store;
use crate::db::with_pool;
use crate::error::{Conflict, Entity, Invalid, StoreError};
use crate::model::dossier::{
    CodeSource, Dossier, DossierId, DossierStatus, EventKind, EventRecord, NewDossier, Page,
};
use crate::model::officer::OfficerId;
use crate::ops::channels::{enqueue_notice, notice};
use crate::ops::{audit, cap_limit, deadline_stopped_open_states};
use crate::replica::public_read;
use crate::rows::{
    DossierRow, EventRow, StatusRow, code_of, code_value, dossier_cols, json_of, role_of, to_json,
};

/// How many random codes [`Store::create_dossier`] draws before giving up.
const MAX_CODE_DRAWS: u32 = 16;

/// What the store knows about an acting officer, read inside the
/// transaction that uses it.
#[derive(sqlx::FromRow)]
pub(crate) struct ActorRow {
    pub role: String,
    pub office_code: i64,
    pub active: bool,
    pub level: String,
    pub parent_code: Option<i64>,
    pub has_communes: bool,
}

/// Reads an [`ActorRow`] for officer `$id` on `$tx`.
macro_rules! load_actor {
    ($tx:ident, $id:expr) => {
        sqlx::query_as::<DB, crate::ops::dossiers::ActorRow>(
            "SELECT f.role, f.office_code, f.active, o.level, o.parent_code, \
             EXISTS (SELECT 1 FROM offices c WHERE c.parent_code = o.code \
                     AND c.level = 'commune') AS has_communes \
             FROM officers f JOIN offices o ON o.code = f.office_code WHERE f.id = $1",
        )
        .bind($id)
        .fetch_optional(&mut *$tx)
        .await?
    };
}
pub(crate) use load_actor;

impl ActorRow {
    /// The officer's role, refusing a deactivated officer.
    pub fn role(&self) -> Result<Role, StoreError> {
        if !self.active {
            return Err(StoreError::field("actor", "the officer is deactivated"));
        }
        role_of("officers.role", &self.role)
    }

    /// How the officer's office stands relative to a dossier received at
    /// `dossier_office`:
    /// - receiving office: the same office;
    /// - NPD centre: the officer's office is the centre;
    /// - residence commune: a commune office under the receiving office,
    ///   the receiving district itself when it has no commune offices, or
    ///   the receiving commune police itself (from 01/03/2025).
    ///   (The model does not yet link a residence to a commune office; the
    ///   commune under the receiving district stands for it.)
    pub fn scope_for(&self, dossier_office: i64) -> ActorScope {
        let mut s = ActorScope::NONE;
        if self.office_code == dossier_office {
            s = s.with(Scope::ReceivingOffice);
            if self.level == "commune" || (self.level == "district" && !self.has_communes) {
                s = s.with(Scope::ResidenceCommune);
            }
        }
        if self.level == "npd_centre" {
            s = s.with(Scope::Centre);
        }
        if self.level == "commune" && self.parent_code == Some(dossier_office) {
            s = s.with(Scope::ResidenceCommune);
        }
        s
    }
}

/// What opening a dossier did.
enum Opened {
    /// A new dossier: its row id and the opener's role.
    New(i64, Role),
    /// A retry under the same idempotency key: the code the first opened.
    Replayed(DossierCode),
}

/// A digest of what makes two openings "the same" under one idempotency
/// key (not the time, nor the drawn code: a retry comes later and draws
/// again).
fn open_hash(n: &NewDossier<'_>) -> String {
    use sha2::{Digest, Sha256};
    let canonical = format!(
        "open-v1|{}|{}|{:?}|{}|{}|{:?}|{}|{}|{:?}|{:?}",
        n.office,
        n.citizen.0,
        n.reason.map(|r| r.code()),
        n.kind.code(),
        n.fee_vnd,
        n.exemption.map(|e| e.code()),
        n.received_on,
        n.state.code(),
        n.note.as_deref().map(str::trim),
        n.capture.map(CaptureRecord::is_complete),
    );
    crate::model::officer::hex(&Sha256::digest(canonical.as_bytes()))
}

pub(crate) fn workflow_err(e: &WorkflowError) -> StoreError {
    refused(e, e.refusal())
}

/// A refusal of the workflow's, of what it is about.
pub(crate) fn refused(e: &impl Localized, refusal: Refusal) -> StoreError {
    StoreError::Invalid(Invalid::Transition {
        refusal,
        code: e.code(),
        message_vi: e.message_vi(),
        message_en: e.message_en(),
    })
}

impl Store {
    /// Creates a dossier (tạo hồ sơ) in its first state with its creating
    /// event, after checking the start with `workflow::check_start` for the
    /// acting officer's role and scope (no officer = the citizen's own
    /// booking on the portal). With [`CodeSource::Random`] a taken code is
    /// drawn again, up to 16 times. A consent to notifications
    /// (`new.notify`) is kept in the same transaction, and a dossier opened
    /// `received` writes its reception notice to the outbox then.
    pub async fn create_dossier(&self, new: NewDossier<'_>) -> Result<Dossier, StoreError> {
        let mut new = new;
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
            match self.insert_dossier(&new, code).await {
                Err(e) if e.is_duplicate() && matches!(new.code, CodeSource::Random(_)) => {
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

    async fn insert_dossier(
        &self,
        new: &NewDossier<'_>,
        code: DossierCode,
    ) -> Result<Dossier, StoreError> {
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
        let deadlines = to_json("deadlines", &new.deadlines)?;
        let fee_detail = new
            .charged
            .as_ref()
            .map(|c| to_json("fee_detail", c))
            .transpose()?;
        let capture = new.capture.map(|c| to_json("capture", c)).transpose()?;
        if let Some(consent) = &new.notify {
            consent.check()?;
        }
        let note = new.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
        let office = i64::from(new.office);
        // Under an officer's idempotency key, the request must be the same.
        let keyed = match (new.actor, new.idempotency_key.as_deref()) {
            (Some(officer), Some(key)) => Some((officer.0, key, open_hash(new))),
            _ => None,
        };
        let outcome = with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let mut replayed = None;
            if let Some((officer, key, hash)) = &keyed {
                let row: Option<(String, String)> = sqlx::query_as::<DB, (String, String)>(
                    "SELECT request_hash, response FROM idempotency_keys \
                     WHERE officer_id = $1 AND key = $2",
                )
                .bind(*officer)
                .bind(*key)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some((stored, response)) = row {
                    if stored != *hash {
                        return Err(StoreError::Conflict(Conflict::IdempotencyKeyReused {
                            key: (*key).to_owned(),
                        }));
                    }
                    let first: i64 = json_of("idempotency_keys.response", &response)?;
                    replayed = Some(code_of(first)?);
                }
            }
            match replayed {
                Some(first) => Opened::Replayed(first),
                None => {
                    let role = match new.actor {
                        None => {
                            check_start(new.state, Role::Citizen, ActorScope::of(Scope::Holder))
                                .map_err(|e| workflow_err(&e))?;
                            Role::Citizen
                        }
                        Some(officer) => {
                            let actor = load_actor!(tx, officer.0).ok_or_else(|| {
                                StoreError::not_found(Entity::Officer, officer.0.to_string())
                            })?;
                            let role = actor.role()?;
                            check_start(new.state, role, actor.scope_for(office))
                                .map_err(|e| workflow_err(&e))?;
                            role
                        }
                    };
                    let id: i64 = sqlx::query_scalar::<DB, i64>(
                        "INSERT INTO dossiers (code, kind, reason, office_code, citizen_id, \
                         fee_vnd, exemption, received_on, deadlines, promised_on, state, \
                         is_open, version, created_at, updated_at, fee_detail) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, \
                         $13, $14) RETURNING id",
                    )
                    .bind(code_value(&code))
                    .bind(new.kind.code())
                    .bind(new.reason.map(|r| r.code()))
                    .bind(office)
                    .bind(new.citizen.0)
                    .bind(i64::from(new.fee_vnd))
                    .bind(new.exemption.map(|e| e.code()))
                    .bind(new.received_on.to_string())
                    .bind(&deadlines)
                    .bind(new.promised_on.to_string())
                    .bind(new.state.code())
                    .bind(!new.state.is_terminal())
                    .bind(new.at)
                    .bind(fee_detail.as_deref())
                    .fetch_one(&mut *tx)
                    .await?;
                    sqlx::query(
                        "INSERT INTO dossier_events (dossier_id, seq, at, actor_id, actor_role, \
                         from_state, to_state, note) VALUES ($1, 1, $2, $3, $4, NULL, $5, $6)",
                    )
                    .bind(id)
                    .bind(new.at)
                    .bind(new.actor.map(|o| o.0))
                    .bind(role.code())
                    .bind(new.state.code())
                    .bind(note)
                    .execute(&mut *tx)
                    .await?;
                    if let Some(record) = &capture {
                        sqlx::query(
                            "INSERT INTO dossier_capture (dossier_id, record, updated_at) \
                             VALUES ($1, $2, $3)",
                        )
                        .bind(id)
                        .bind(record)
                        .bind(new.at)
                        .execute(&mut *tx)
                        .await?;
                    }
                    if let Some(consent) = &new.notify {
                        sqlx::query(
                            "INSERT INTO dossier_notify (dossier_id, phone, channel, \
                             consented_at) VALUES ($1, $2, $3, $4)",
                        )
                        .bind(id)
                        .bind(consent.phone.trim())
                        .bind(&consent.channel)
                        .bind(new.at)
                        .execute(&mut *tx)
                        .await?;
                        if let Some((payload, dedupe)) = notice(&code, new.state, 1) {
                            enqueue_notice!(tx, id, payload, dedupe, new.at);
                        }
                    }
                    if let Some((officer, key, hash)) = &keyed {
                        sqlx::query(
                            "INSERT INTO idempotency_keys (officer_id, key, request_hash, \
                             response, created_at) VALUES ($1, $2, $3, $4, $5)",
                        )
                        .bind(*officer)
                        .bind(*key)
                        .bind(hash)
                        .bind(to_json("response", &code_value(&code))?)
                        .bind(new.at)
                        .execute(&mut *tx)
                        .await?;
                    }
                    audit!(
                        tx,
                        new.at,
                        new.actor.map(|o| o.0),
                        "dossier.create",
                        format!("dossier:{code}"),
                        format!(
                            "state={} citizen={} capture={}",
                            new.state.code(),
                            new.citizen.0,
                            capture.is_some()
                        )
                    );
                    tx.commit().await?;
                    Opened::New(id, role)
                }
            }
        });
        let (id, role) = match outcome {
            // The first request's dossier, as it is now.
            Opened::Replayed(first) => return self.dossier(first).await,
            Opened::New(id, role) => (id, role),
        };
        Ok(Dossier {
            id: DossierId(id),
            code,
            kind: new.kind,
            reason: new.reason,
            office: new.office,
            citizen: new.citizen,
            fee_vnd: new.fee_vnd,
            exemption: new.exemption,
            charged: new.charged.clone(),
            received_on: new.received_on,
            deadlines: new.deadlines.clone(),
            promised_on: new.promised_on,
            state: new.state,
            version: 1,
            created_at: new.at,
            updated_at: new.at,
            events: vec![EventRecord {
                seq: 1,
                at: new.at,
                actor: new.actor,
                actor_role: role,
                from: None,
                to: new.state,
                note: note.map(str::to_owned),
                kind: EventKind::Transition,
            }],
        })
    }

    /// The full dossier with its event log (hồ sơ và nhật ký), read in one
    /// transaction so the log matches the row.
    pub async fn dossier(&self, code: DossierCode) -> Result<Dossier, StoreError> {
        self.dossier_on(&self.db, code).await
    }

    /// [`Store::dossier`] for a public door (the public view of a dossier
    /// on the portal, the API and the channels): read on a replica when
    /// one is fresh (see `replica.rs`).
    pub async fn public_dossier(&self, code: DossierCode) -> Result<Dossier, StoreError> {
        public_read!(self, |db| self.dossier_on(db, code).await)
    }

    async fn dossier_on(&self, db: &crate::Db, code: DossierCode) -> Result<Dossier, StoreError> {
        let (row, events) = with_pool!(db, |pool| {
            let mut tx = pool.begin().await?;
            let row = sqlx::query_as::<DB, DossierRow>(concat!(
                "SELECT ",
                dossier_cols!(),
                " FROM dossiers WHERE code = $1"
            ))
            .bind(code_value(&code))
            .fetch_optional(&mut *tx)
            .await?;
            let events =
                match &row {
                    None => Vec::new(),
                    Some(r) => sqlx::query_as::<DB, EventRow>(
                        "SELECT seq, at, actor_id, actor_role, from_state, to_state, note, kind \
                         FROM dossier_events WHERE dossier_id = $1 ORDER BY seq",
                    )
                    .bind(r.id)
                    .fetch_all(&mut *tx)
                    .await?,
                };
            tx.commit().await?;
            (row, events)
        });
        let row = row.ok_or_else(|| StoreError::not_found(Entity::Dossier, code.to_string()))?;
        let events = events
            .into_iter()
            .map(EventRow::into_model)
            .collect::<Result<Vec<_>, _>>()?;
        row.into_model(events)
    }

    /// The public status of a dossier (tra cứu tình trạng): one indexed
    /// query joining the office's name and hotline and the citizen's name
    /// (returned masked); no events, nothing else personal. This is the hot
    /// path behind `GET /api/v1/status/{code}`: a single statement, prepared
    /// once per connection and cached by sqlx.
    ///
    /// Read on a replica when one is fresh (see `replica.rs`): for the
    /// public doors; an officer's use case reads
    /// [`Store::status_by_code_primary`].
    pub async fn status_by_code(&self, code: DossierCode) -> Result<DossierStatus, StoreError> {
        public_read!(self, |db| self.status_by_code_on(db, code).await)
    }

    /// [`Store::status_by_code`] read on the primary, for an officer's use
    /// case: it may follow the officer's own write (a dossier just opened,
    /// then moved), which a replica may not have replayed yet.
    pub async fn status_by_code_primary(
        &self,
        code: DossierCode,
    ) -> Result<DossierStatus, StoreError> {
        self.status_by_code_on(&self.db, code).await
    }

    /// [`Store::status_by_code`] read on `db` (the primary, or a replica).
    pub(crate) async fn status_by_code_on(
        &self,
        db: &crate::Db,
        code: DossierCode,
    ) -> Result<DossierStatus, StoreError> {
        let row: Option<StatusRow> = with_pool!(db, |pool| {
            sqlx::query_as::<DB, StatusRow>(crate::read::STATUS_SQL)
                .bind(code_value(&code))
                .fetch_optional(pool)
                .await?
        });
        row.ok_or_else(|| StoreError::not_found(Entity::Dossier, code.to_string()))?
            .into_model()
    }

    /// Dossiers of an office, optionally in one state, by id (keyset paging:
    /// pass the last id of a page as `page.after` for the next).
    pub async fn list_dossiers(
        &self,
        office: u16,
        state: Option<State>,
        page: Page,
    ) -> Result<Vec<Dossier>, StoreError> {
        let after = page.after.map_or(0, |d| d.0);
        let rows: Vec<DossierRow> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, DossierRow>(concat!(
                "SELECT ",
                dossier_cols!(),
                " FROM dossiers WHERE office_code = $1 AND ($2 IS NULL OR state = $2)",
                " AND id > $3 ORDER BY id LIMIT $4"
            ))
            .bind(i64::from(office))
            .bind(state.map(|s| s.code()))
            .bind(after)
            .bind(cap_limit(page.limit))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(|r| r.into_model(Vec::new())).collect()
    }

    /// Open dossiers of an office whose promised date is before `today`
    /// and whose deadline is still running (hồ sơ quá hạn), oldest promise
    /// first: a card ready for pickup or posted is never overdue.
    pub async fn overdue(
        &self,
        office: u16,
        today: Date,
        limit: u32,
    ) -> Result<Vec<Dossier>, StoreError> {
        self.open_by_promise(office, None, today, limit).await
    }

    /// Open dossiers of an office promised from `today` up to and including
    /// `horizon` (hồ sơ sắp đến hạn); the caller computes the horizon in
    /// working days with the rules engine.
    pub async fn at_risk(
        &self,
        office: u16,
        today: Date,
        horizon: Date,
        limit: u32,
    ) -> Result<Vec<Dossier>, StoreError> {
        self.open_by_promise(
            office,
            Some(today),
            horizon.tomorrow().unwrap_or(horizon),
            limit,
        )
        .await
    }

    /// Open dossiers with the deadline running and `from <= promised_on <
    /// before`.
    async fn open_by_promise(
        &self,
        office: u16,
        from: Option<Date>,
        before: Date,
        limit: u32,
    ) -> Result<Vec<Dossier>, StoreError> {
        let rows: Vec<DossierRow> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, DossierRow>(concat!(
                "SELECT ",
                dossier_cols!(),
                " FROM dossiers WHERE office_code = $1 AND is_open = TRUE",
                " AND state NOT IN ",
                deadline_stopped_open_states!(),
                " AND promised_on >= $2 AND promised_on < $3",
                " ORDER BY promised_on, id LIMIT $4"
            ))
            .bind(i64::from(office))
            .bind(from.map_or_else(String::new, |d| d.to_string()))
            .bind(before.to_string())
            .bind(cap_limit(limit))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(|r| r.into_model(Vec::new())).collect()
    }

    /// Saves the capture record of a dossier (fingerprints, portrait,
    /// features), replacing the previous one, in one transaction with its
    /// event: the dossier's version goes up by one and a `capture` event
    /// (state unchanged, the acting officer and role, whether the record
    /// is complete) is appended, so a form opened before it is stale.
    /// Audited. Returns the new version.
    pub async fn save_capture(
        &self,
        code: DossierCode,
        record: &CaptureRecord,
        actor: OfficerId,
        at: i64,
    ) -> Result<i64, StoreError> {
        let json = to_json("capture", record)?;
        let note = if record.is_complete() {
            "complete"
        } else {
            "incomplete"
        };
        let version = with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let row: Option<(i64, String, i64)> = sqlx::query_as::<DB, (i64, String, i64)>(
                "SELECT id, state, version FROM dossiers WHERE code = $1",
            )
            .bind(code_value(&code))
            .fetch_optional(&mut *tx)
            .await?;
            let (id, state, version) =
                row.ok_or_else(|| StoreError::not_found(Entity::Dossier, code.to_string()))?;
            let role = load_actor!(tx, actor.0)
                .ok_or_else(|| StoreError::not_found(Entity::Officer, actor.0.to_string()))?
                .role()?;
            let next = version + 1;
            let moved = sqlx::query(
                "UPDATE dossiers SET version = $1, updated_at = $2 WHERE id = $3 AND version = $4",
            )
            .bind(next)
            .bind(at)
            .bind(id)
            .bind(version)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if moved != 1 {
                return Err(StoreError::Conflict(Conflict::StaleVersion {
                    code: code.to_string(),
                    expected: version,
                    actual: version + 1,
                }));
            }
            sqlx::query(
                "INSERT INTO dossier_events (dossier_id, seq, at, actor_id, actor_role, \
                 from_state, to_state, note, kind) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8)",
            )
            .bind(id)
            .bind(next)
            .bind(at)
            .bind(actor.0)
            .bind(role.code())
            .bind(&state)
            .bind(note)
            .bind(EventKind::Capture.code())
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO dossier_capture (dossier_id, record, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (dossier_id) DO UPDATE SET record = excluded.record, \
                 updated_at = excluded.updated_at",
            )
            .bind(id)
            .bind(&json)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                at,
                Some(actor.0),
                "dossier.capture",
                format!("dossier:{code}"),
                format!("complete={} version={next}", record.is_complete())
            );
            tx.commit().await?;
            next
        });
        Ok(version)
    }

    /// The capture record of a dossier, or `None` if nothing was captured
    /// yet. Unknown dossier: not found.
    pub async fn capture(&self, code: DossierCode) -> Result<Option<CaptureRecord>, StoreError> {
        let row: Option<(i64, Option<String>)> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, (i64, Option<String>)>(
                "SELECT d.id, c.record FROM dossiers d \
                 LEFT JOIN dossier_capture c ON c.dossier_id = d.id WHERE d.code = $1",
            )
            .bind(code_value(&code))
            .fetch_optional(pool)
            .await?
        });
        let (_, record) =
            row.ok_or_else(|| StoreError::not_found(Entity::Dossier, code.to_string()))?;
        record
            .map(|r| json_of("dossier_capture.record", &r))
            .transpose()
    }
}
