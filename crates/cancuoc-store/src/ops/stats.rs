//! Counts and per-office statistics (thống kê).

use cancuoc_core::dossier::workflow::State;
use jiff::civil::Date;

use crate::Store;
use crate::db::with_pool;
use crate::error::StoreError;
use crate::model::audit::AuditEntry;
use crate::model::dossier::{Counts, OfficeStats};
use crate::model::officer::OfficerId;
use crate::ops::{cap_limit, deadline_stopped_open_states};
use crate::rows::state_of;

impl Store {
    /// Row counts of the main tables, in one read transaction.
    pub async fn counts(&self) -> Result<Counts, StoreError> {
        let row: (i64, i64, i64, i64, i64) = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, (i64, i64, i64, i64, i64)>(
                "SELECT (SELECT COUNT(*) FROM offices), (SELECT COUNT(*) FROM officers), \
                 (SELECT COUNT(*) FROM citizens), (SELECT COUNT(*) FROM dossiers), \
                 (SELECT COUNT(*) FROM dossier_events)",
            )
            .fetch_one(pool)
            .await?
        });
        Ok(Counts {
            offices: row.0,
            officers: row.1,
            citizens: row.2,
            dossiers: row.3,
            events: row.4,
        })
    }

    /// Dossier counts per state of one office, and how many open ones are
    /// past their promised date on `today`.
    pub async fn office_stats(&self, office: u16, today: Date) -> Result<OfficeStats, StoreError> {
        let (rows, overdue) = with_pool!(&self.db, |pool| {
            let mut tx = pool.begin().await?;
            let rows: Vec<(String, i64)> = sqlx::query_as::<DB, (String, i64)>(
                "SELECT state, COUNT(*) FROM dossiers WHERE office_code = $1 GROUP BY state",
            )
            .bind(i64::from(office))
            .fetch_all(&mut *tx)
            .await?;
            let overdue: i64 = sqlx::query_scalar::<DB, i64>(concat!(
                "SELECT COUNT(*) FROM dossiers WHERE office_code = $1 AND is_open = TRUE ",
                "AND state NOT IN ",
                deadline_stopped_open_states!(),
                " AND promised_on < $2"
            ))
            .bind(i64::from(office))
            .bind(today.to_string())
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            (rows, overdue)
        });
        let mut by_state = rows
            .iter()
            .map(|(s, n)| Ok((state_of("dossiers.state", s)?, *n)))
            .collect::<Result<Vec<(State, i64)>, StoreError>>()?;
        by_state.sort_by_key(|(s, _)| State::ALL.iter().position(|x| x == s));
        Ok(OfficeStats { by_state, overdue })
    }

    /// The most recent audit-log entries, newest first.
    pub async fn recent_audit(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let rows: Vec<(i64, Option<i64>, String, String, String)> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, (i64, Option<i64>, String, String, String)>(
                "SELECT at, officer_id, action, target, details FROM audit_log \
                 ORDER BY id DESC LIMIT $1",
            )
            .bind(cap_limit(limit))
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(at, officer, action, target, details)| AuditEntry {
                at,
                officer: officer.map(OfficerId),
                action,
                target,
                details,
            })
            .collect())
    }
}
