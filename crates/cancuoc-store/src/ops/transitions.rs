//! Applying a workflow transition (chuyển trạng thái hồ sơ) in one
//! transaction: idempotency replay, optimistic version check, the workflow
//! check re-run against the state loaded inside the transaction, the state
//! update, the appended event, the citizen's notification in the outbox
//! (when they consented and the new state is notified), the card's step
//! (made at "printed", active at "returned" with the previous card
//! replaced, void at "cancelled"), the audit row and the stored idempotent
//! answer.

use cancuoc_core::dossier::capture::CaptureRecord;
use cancuoc_core::dossier::workflow::{State, TransitionInput, check_transition};
use sha2::{Digest, Sha256};

use crate::Store;
use crate::db::with_pool;
use crate::error::{Conflict, Entity, StoreError};
use crate::model::dossier::{TransitionOutcome, TransitionRequest};
use crate::model::officer::hex;
use crate::ops::audit;
use crate::ops::channels::{enqueue_notice, notice};
use crate::ops::dossiers::{load_actor, workflow_err};
use crate::rows::{code_value, json_of, state_of, to_json};

/// A digest of everything that makes two requests "the same" for an
/// idempotency key (not the time: a retry comes later).
fn request_hash(r: &TransitionRequest) -> String {
    let canonical = format!(
        "v1|{}|{}|{}|{:?}|{:?}|{:?}",
        r.code,
        r.expected_version,
        r.to.code(),
        r.note.as_deref().map(str::trim),
        r.population_data_changed,
        r.old_document,
    );
    hex(&Sha256::digest(canonical.as_bytes()))
}

/// Looks up a stored answer for `($officer, $key)` on `$tx`: the stored
/// outcome (marked replayed) for the same request, a conflict for another.
macro_rules! replay_key {
    ($tx:ident, $officer:expr, $key:expr, $hash:expr) => {{
        let row: Option<(String, String)> = sqlx::query_as::<DB, (String, String)>(
            "SELECT request_hash, response FROM idempotency_keys \
             WHERE officer_id = $1 AND key = $2",
        )
        .bind($officer)
        .bind($key)
        .fetch_optional(&mut *$tx)
        .await?;
        match row {
            None => None,
            Some((stored, _)) if stored != $hash => {
                return Err(StoreError::Conflict(Conflict::IdempotencyKeyReused {
                    key: $key.to_owned(),
                }));
            }
            Some((_, response)) => {
                let mut out: TransitionOutcome = json_of("idempotency_keys.response", &response)?;
                out.replayed = true;
                Some(out)
            }
        }
    }};
}

impl Store {
    /// Moves a dossier to `req.to` (chuyển trạng thái) in one transaction:
    ///
    /// 1. with an idempotency key already used by this officer for the same
    ///    request, returns the stored outcome (`replayed = true`) and changes
    ///    nothing; for a different request, a conflict;
    /// 2. a stored version other than `expected_version` is
    ///    [`Conflict::StaleVersion`] (two officers racing on one version:
    ///    exactly one wins);
    /// 3. re-checks the step with `workflow::check_transition` against the
    ///    state, the officer's role and office scope and the stored capture
    ///    record as loaded inside the transaction;
    /// 4. updates state and version, appends the event, writes the
    ///    citizen's notice to the outbox when the dossier has a consent and
    ///    the new state is one of [`crate::NOTIFIED_STATES`] (dedupe key
    ///    `notify:<code>:<seq>`), writes the audit row and stores the
    ///    outcome under the idempotency key;
    /// 5. the card: into [`State::Printed`] with `req.card`, inserts the
    ///    card in state printed (its number must be the dossier's citizen's
    ///    personal ID; one card per dossier); into [`State::Returned`],
    ///    the dossier's printed card becomes active and the citizen's
    ///    previous active card replaced by it; into [`State::Cancelled`],
    ///    a printed card of the dossier becomes void. Each is audited. A
    ///    replayed request (step 1) touches no card.
    ///
    /// Then this store's cached status answers of the dossier are dropped
    /// (`listen.rs`: on PostgreSQL the database's announcement would
    /// arrive a moment later), whether the transaction committed or not.
    pub async fn apply_transition(
        &self,
        req: &TransitionRequest,
    ) -> Result<TransitionOutcome, StoreError> {
        let out = self.apply_transition_tx(req).await;
        self.note_status_change(req.code);
        out
    }

    /// [`Store::apply_transition`]'s transaction.
    async fn apply_transition_tx(
        &self,
        req: &TransitionRequest,
    ) -> Result<TransitionOutcome, StoreError> {
        let hash = request_hash(req);
        let key = req
            .idempotency_key
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty());
        let note = req.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
        let code = code_value(&req.code);
        with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            if let Some(key) = key
                && let Some(out) = replay_key!(tx, req.actor.0, key, hash)
            {
                return Ok(out);
            }
            let row: Option<(i64, String, i64, i64, Option<String>)> =
                sqlx::query_as::<DB, (i64, String, i64, i64, Option<String>)>(
                    "SELECT d.id, d.state, d.version, d.office_code, c.record FROM dossiers d \
                     LEFT JOIN dossier_capture c ON c.dossier_id = d.id WHERE d.code = $1",
                )
                .bind(code)
                .fetch_optional(&mut *tx)
                .await?;
            let (id, state, version, office, capture) =
                row.ok_or_else(|| StoreError::not_found(Entity::Dossier, req.code.to_string()))?;
            if version != req.expected_version {
                // PostgreSQL, READ COMMITTED: our own retry may have
                // committed between the key's check above and this read
                // (each statement sees the latest commits); its key is
                // there now, and the retry gets its answer.
                if let Some(key) = key
                    && let Some(out) = replay_key!(tx, req.actor.0, key, hash)
                {
                    return Ok(out);
                }
                return Err(StoreError::Conflict(Conflict::StaleVersion {
                    code: req.code.to_string(),
                    expected: req.expected_version,
                    actual: version,
                }));
            }
            let from = state_of("dossiers.state", &state)?;
            let actor = load_actor!(tx, req.actor.0)
                .ok_or_else(|| StoreError::not_found(Entity::Officer, req.actor.0.to_string()))?;
            let role = actor.role()?;
            let capture: Option<CaptureRecord> = capture
                .map(|c| json_of("dossier_capture.record", &c))
                .transpose()?;
            let input = TransitionInput {
                note,
                capture: capture.as_ref(),
                population_data_changed: req.population_data_changed,
                old_document: req.old_document,
            };
            check_transition(from, req.to, role, actor.scope_for(office), &input)
                .map_err(|e| workflow_err(&e))?;
            let next = version + 1;
            let updated = sqlx::query(
                "UPDATE dossiers SET state = $1, is_open = $2, version = $3, updated_at = $4 \
                 WHERE id = $5 AND version = $6",
            )
            .bind(req.to.code())
            .bind(!req.to.is_terminal())
            .bind(next)
            .bind(req.at)
            .bind(id)
            .bind(version)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                // PostgreSQL, READ COMMITTED: a concurrent transaction moved
                // the row after we read it. If it was our own retry, answer
                // with its result; otherwise the caller is stale.
                drop(tx);
                if let Some(key) = key {
                    let mut tx = pool.begin().await?;
                    if let Some(out) = replay_key!(tx, req.actor.0, key, hash) {
                        return Ok(out);
                    }
                }
                return Err(StoreError::Conflict(Conflict::StaleVersion {
                    code: req.code.to_string(),
                    expected: req.expected_version,
                    actual: next,
                }));
            }
            sqlx::query(
                "INSERT INTO dossier_events (dossier_id, seq, at, actor_id, actor_role, \
                 from_state, to_state, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(next)
            .bind(req.at)
            .bind(req.actor.0)
            .bind(role.code())
            .bind(from.code())
            .bind(req.to.code())
            .bind(note)
            .execute(&mut *tx)
            .await?;
            // The citizen's notice of this step, if they consented: in
            // this transaction, once per event.
            if let Some((payload, dedupe)) = notice(&req.code, req.to, next) {
                enqueue_notice!(tx, id, payload, dedupe, req.at);
            }
            // The card's own step, in this transaction.
            match req.to {
                State::Printed => {
                    if let Some(card) = &req.card {
                        let pid: Option<String> = sqlx::query_scalar::<DB, Option<String>>(
                            "SELECT c.personal_id FROM dossiers d \
                             JOIN citizens c ON c.id = d.citizen_id WHERE d.id = $1",
                        )
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                        if pid.as_deref() != Some(card.number.as_str()) {
                            return Err(StoreError::field(
                                "card.number",
                                "is not the personal ID of the dossier's citizen",
                            ));
                        }
                        if card.expires_on.is_some_and(|e| e <= card.issued_on) {
                            return Err(StoreError::field(
                                "card.expires_on",
                                "must be after the issue date",
                            ));
                        }
                        let card_id: i64 = sqlx::query_scalar::<DB, i64>(
                            "INSERT INTO cards (number, citizen_id, issued_on, expires_on, state, \
                             dossier_id, model, mrz, qr_payload, sod_digest, printed_at, \
                             state_changed_at) SELECT $1, d.citizen_id, $2, $3, 'printed', d.id, \
                             $4, $5, $6, $7, $8, $8 FROM dossiers d WHERE d.id = $9 RETURNING id",
                        )
                        .bind(&card.number)
                        .bind(card.issued_on.to_string())
                        .bind(card.expires_on.map(|d| d.to_string()))
                        .bind(card.model.as_str())
                        .bind(&card.mrz)
                        .bind(&card.qr_payload)
                        .bind(card.sod_digest.map(|d| hex(&d)))
                        .bind(req.at)
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                        audit!(
                            tx,
                            req.at,
                            Some(req.actor.0),
                            "card.print",
                            format!("card:{card_id}"),
                            format!(
                                "dossier:{} model={} signed={}",
                                req.code,
                                card.model.as_str(),
                                card.sod_digest.is_some()
                            )
                        );
                    }
                }
                State::Returned => {
                    let printed: Option<(i64, i64)> = sqlx::query_as::<DB, (i64, i64)>(
                        "SELECT id, citizen_id FROM cards WHERE dossier_id = $1 \
                         AND state = 'printed'",
                    )
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if let Some((card_id, citizen)) = printed {
                        let previous: Vec<i64> = sqlx::query_scalar::<DB, i64>(
                            "UPDATE cards SET state = 'replaced', replaced_by = $1, \
                             state_changed_at = $2 WHERE citizen_id = $3 AND state = 'active' \
                             RETURNING id",
                        )
                        .bind(card_id)
                        .bind(req.at)
                        .bind(citizen)
                        .fetch_all(&mut *tx)
                        .await?;
                        sqlx::query(
                            "UPDATE cards SET state = 'active', activated_at = $1, \
                             state_changed_at = $1 WHERE id = $2",
                        )
                        .bind(req.at)
                        .bind(card_id)
                        .execute(&mut *tx)
                        .await?;
                        let replaced = previous
                            .iter()
                            .map(|p| format!("card:{p}"))
                            .collect::<Vec<_>>()
                            .join(",");
                        audit!(
                            tx,
                            req.at,
                            Some(req.actor.0),
                            "card.activate",
                            format!("card:{card_id}"),
                            format!("dossier:{} replaced=[{replaced}]", req.code)
                        );
                    }
                }
                State::Cancelled => {
                    let voided: Vec<i64> = sqlx::query_scalar::<DB, i64>(
                        "UPDATE cards SET state = 'void', state_changed_at = $1 \
                         WHERE dossier_id = $2 AND state = 'printed' RETURNING id",
                    )
                    .bind(req.at)
                    .bind(id)
                    .fetch_all(&mut *tx)
                    .await?;
                    for card_id in voided {
                        audit!(
                            tx,
                            req.at,
                            Some(req.actor.0),
                            "card.state",
                            format!("card:{card_id}"),
                            "void"
                        );
                    }
                }
                _ => {}
            }
            audit!(
                tx,
                req.at,
                Some(req.actor.0),
                "dossier.transition",
                format!("dossier:{}", req.code),
                format!("{} -> {} v{next}", from.code(), req.to.code())
            );
            let out = TransitionOutcome {
                code: req.code.to_string(),
                from,
                to: req.to,
                version: next,
                at: req.at,
                replayed: false,
            };
            if let Some(key) = key {
                sqlx::query(
                    "INSERT INTO idempotency_keys (officer_id, key, request_hash, response, \
                     created_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(req.actor.0)
                .bind(key)
                .bind(&hash)
                .bind(to_json("response", &out)?)
                .bind(req.at)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(out)
        })
    }

    /// Deletes idempotency keys older than `before` (epoch seconds); returns
    /// how many. Run it periodically: a retry comes within minutes, not days.
    pub async fn purge_idempotency_keys(&self, before: i64) -> Result<u64, StoreError> {
        with_pool!(&self.db, |pool| {
            Ok(
                sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
                    .bind(before)
                    .execute(pool)
                    .await?
                    .rows_affected(),
            )
        })
    }
}
