//! Bulk loading of dossiers with their event logs, for the seeder and
//! importers: batched multi-row INSERTs in one transaction, no per-row round
//! trip. Each dossier's log is checked with `workflow::replay` before
//! anything is written, and its state and version are derived from the log,
//! so the invariant "the event log replays to the stored state" holds for
//! bulk-loaded data too.

use std::sync::OnceLock;

use cancuoc_core::dossier::workflow::{Refusal, replay};

use crate::Store;
use crate::db::{placeholders, with_pool};
use crate::error::{Invalid, StoreError};
use crate::model::dossier::SeedDossier;
use crate::model::officer::OfficerId;
use crate::ops::audit;
use crate::ops::dossiers::refused;
use crate::rows::{code_value, to_json};

/// Dossier rows per INSERT: 500 × 15 parameters.
const DOSSIER_BATCH: usize = 500;
const DOSSIER_COLS: usize = 15;
/// Event rows per INSERT: 1000 × 8 parameters.
const EVENT_BATCH: usize = 1000;
const EVENT_COLS: usize = 8;

fn dossier_sql(rows: usize, sqlite: bool) -> String {
    let mut sql = String::from(
        "INSERT INTO dossiers (code, kind, reason, office_code, citizen_id, fee_vnd, exemption, \
         received_on, deadlines, promised_on, state, is_open, version, created_at, updated_at) \
         VALUES ",
    );
    placeholders(&mut sql, rows, DOSSIER_COLS, sqlite);
    sql
}

/// Events are joined to their dossier by code (the ids are the database's).
fn event_sql(rows: usize, sqlite: bool) -> String {
    let mut sql = String::from(
        "INSERT INTO dossier_events (dossier_id, seq, at, actor_id, actor_role, from_state, \
         to_state, note) SELECT d.id, v.column2, v.column3, v.column4, v.column5, v.column6, \
         v.column7, v.column8 FROM (VALUES ",
    );
    placeholders(&mut sql, rows, EVENT_COLS, sqlite);
    sql.push_str(") AS v JOIN dossiers d ON d.code = v.column1");
    sql
}

/// The full-batch statements, built once per dialect so every batch reuses
/// one prepared statement.
fn full_dossier_sql(sqlite: bool) -> &'static str {
    static SQL: [OnceLock<String>; 2] = [OnceLock::new(), OnceLock::new()];
    SQL[usize::from(sqlite)].get_or_init(|| dossier_sql(DOSSIER_BATCH, sqlite))
}

fn full_event_sql(sqlite: bool) -> &'static str {
    static SQL: [OnceLock<String>; 2] = [OnceLock::new(), OnceLock::new()];
    SQL[usize::from(sqlite)].get_or_init(|| event_sql(EVENT_BATCH, sqlite))
}

/// One event row ready to bind.
struct EventBind<'a> {
    code: i64,
    seq: i64,
    at: i64,
    actor: Option<i64>,
    role: &'static str,
    from: Option<&'static str>,
    to: &'static str,
    note: Option<&'a str>,
}

impl Store {
    /// Inserts many dossiers with their event logs in one transaction
    /// (all or nothing) and returns how many dossiers were inserted. Each
    /// log must replay (`workflow::replay`: a valid start, steps of the
    /// table for the recorded roles, reasons where required, time not going
    /// backwards); the dossier's state is where it leads, its version the
    /// number of events. A bad log is refused before anything is written,
    /// naming the dossier's position; a taken code is a conflict.
    pub async fn bulk_insert_dossiers(
        &self,
        dossiers: &[SeedDossier],
        actor: Option<OfficerId>,
        at: i64,
    ) -> Result<u64, StoreError> {
        let mut rows = Vec::with_capacity(dossiers.len());
        let mut events = Vec::new();
        for (i, d) in dossiers.iter().enumerate() {
            let core: Vec<_> = d.events.iter().map(|e| e.to_core()).collect();
            let state = replay(&core).map_err(|e| match refused(&e, Refusal::State) {
                StoreError::Invalid(Invalid::Transition {
                    refusal,
                    code,
                    message_vi,
                    message_en,
                }) => StoreError::Invalid(Invalid::Transition {
                    refusal,
                    code,
                    message_vi: format!("Hồ sơ thứ {i}: {message_vi}"),
                    message_en: format!("Dossier {i}: {message_en}"),
                }),
                other => other,
            })?;
            let code = code_value(&d.code);
            if u32::from(d.office) != d.code.office() {
                return Err(StoreError::field(
                    "code",
                    format!("dossier {i}: code {} is not of office {}", d.code, d.office),
                ));
            }
            let first = d.events.first().map_or(0, |e| e.at);
            let last = d.events.last().map_or(0, |e| e.at);
            rows.push((
                d,
                code,
                state,
                first,
                last,
                to_json("deadlines", &d.deadlines)?,
            ));
            for e in &d.events {
                events.push(EventBind {
                    code,
                    seq: e.seq,
                    at: e.at,
                    actor: e.actor.map(|o| o.0),
                    role: e.actor_role.code(),
                    from: e.from.map(|s| s.code()),
                    to: e.to.code(),
                    note: e.note.as_deref(),
                });
            }
        }
        let mut inserted = 0u64;
        with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            for chunk in rows.chunks(DOSSIER_BATCH) {
                let tail;
                let sql: &str = if chunk.len() == DOSSIER_BATCH {
                    full_dossier_sql(SQLITE)
                } else {
                    tail = dossier_sql(chunk.len(), SQLITE);
                    &tail
                };
                let mut q = sqlx::query::<DB>(sqlx::AssertSqlSafe(sql));
                for (d, code, state, first, last, deadlines) in chunk {
                    q = q
                        .bind(*code)
                        .bind(d.kind.code())
                        .bind(d.reason.map(|r| r.code()))
                        .bind(i64::from(d.office))
                        .bind(d.citizen.0)
                        .bind(i64::from(d.fee_vnd))
                        .bind(d.exemption.map(|e| e.code()))
                        .bind(d.received_on.to_string())
                        .bind(deadlines.as_str())
                        .bind(d.promised_on.to_string())
                        .bind(state.code())
                        .bind(!state.is_terminal())
                        .bind(i64::try_from(d.events.len()).unwrap_or(i64::MAX))
                        .bind(*first)
                        .bind(*last);
                }
                inserted += q.execute(&mut *tx).await?.rows_affected();
            }
            for chunk in events.chunks(EVENT_BATCH) {
                let tail;
                let sql: &str = if chunk.len() == EVENT_BATCH {
                    full_event_sql(SQLITE)
                } else {
                    tail = event_sql(chunk.len(), SQLITE);
                    &tail
                };
                let mut q = sqlx::query::<DB>(sqlx::AssertSqlSafe(sql));
                for e in chunk {
                    q = q
                        .bind(e.code)
                        .bind(e.seq)
                        .bind(e.at)
                        .bind(e.actor)
                        .bind(e.role)
                        .bind(e.from)
                        .bind(e.to)
                        .bind(e.note);
                }
                q.execute(&mut *tx).await?;
            }
            audit!(
                tx,
                at,
                actor.map(|o| o.0),
                "dossier.bulk_insert",
                "dossiers",
                format!("{inserted} dossiers, {} events", events.len())
            );
            tx.commit().await?;
        });
        Ok(inserted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_number_every_placeholder() {
        let d = dossier_sql(2, false);
        assert_eq!(d.matches('$').count(), 2 * DOSSIER_COLS);
        assert!(d.ends_with(&format!("${})", 2 * DOSSIER_COLS)));
        let d = dossier_sql(2, true);
        assert_eq!(d.matches('?').count(), 2 * DOSSIER_COLS);
        assert!(!d.contains('$'));
        let e = event_sql(3, false);
        assert_eq!(e.matches('$').count(), 3 * EVENT_COLS);
        assert!(e.ends_with("v.column1"));
    }
}
