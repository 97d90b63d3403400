//! Work queues and deadline overviews (hàng đợi công việc, tổng hợp hạn xử
//! lý): the dossiers waiting in one state within an office scope, most
//! urgent first, with keyset paging; how many wait per state; and per-office
//! counts of open dossiers against their promised dates, the longest
//! overdue of them, and the dossiers handed over since a given instant, for
//! the overdue dashboard.
//!
//! Each query exists in three forms, one per [`OfficeScope`]: no office
//! filter, one office, or an office's subtree (a recursive CTE over
//! `offices.parent_code`, the same text on both databases). The office
//! parameter is always the last one, bound only when the form uses it.

use cancuoc_core::dossier::workflow::State;
use jiff::civil::Date;

use crate::Store;
use crate::db::with_pool;
use crate::error::StoreError;
use crate::model::dossier::Dossier;
use crate::model::queues::{FinishedGroup, OfficeScope, OpenTimeliness, QueueCursor, QueueEntry};
use crate::ops::{cap_limit, deadline_stopped_open_states};
use crate::rows::{DossierRow, date_of, u16_of};

/// The SQL text of a query for an office scope: `$head` is the statement up
/// to its `WHERE` conditions (the dossiers table aliased `d`), `$tail` what
/// follows them (grouping, order, limit), `$n` the office parameter's number.
macro_rules! scoped {
    ($scope:expr, [$($head:expr),+ $(,)?], [$($tail:expr),* $(,)?], $n:literal) => {
        match $scope {
            OfficeScope::All => concat!($($head,)+ $($tail,)*),
            OfficeScope::Office(_) => concat!($($head,)+ " AND d.office_code = $", $n, $($tail,)*),
            OfficeScope::Subtree(_) => concat!(
                "WITH RECURSIVE scope (code) AS (SELECT code FROM offices WHERE code = $", $n,
                " UNION ALL SELECT o.code FROM offices o JOIN scope s ON o.parent_code = s.code) ",
                $($head,)+ " AND d.office_code IN (SELECT code FROM scope)", $($tail,)*
            ),
        }
    };
}

/// The office parameter of a scope, if its SQL form has one.
fn office_param(scope: OfficeScope) -> Option<i64> {
    match scope {
        OfficeScope::All => None,
        OfficeScope::Office(o) | OfficeScope::Subtree(o) => Some(i64::from(o)),
    }
}

/// A dossier row joined with the applicant's name.
#[derive(sqlx::FromRow)]
struct QueueRow {
    #[sqlx(flatten)]
    dossier: DossierRow,
    full_name: String,
}

/// Seconds in a civil day.
const DAY: i64 = 86_400;

impl Store {
    /// The dossiers in `state` within `scope` (hàng đợi), most urgent first:
    /// by promised date, then by id (the order they arrived). Pass the
    /// cursor after the last item of a page for the next one; `limit` is
    /// capped at 500.
    pub async fn queue(
        &self,
        scope: OfficeScope,
        state: State,
        after: Option<QueueCursor>,
        limit: u32,
    ) -> Result<Vec<QueueEntry>, StoreError> {
        let sql = scoped!(
            scope,
            [
                "SELECT d.id, d.code, d.kind, d.reason, d.office_code, d.citizen_id, d.fee_vnd, ",
                "d.exemption, d.received_on, d.deadlines, d.promised_on, d.state, d.version, ",
                "d.created_at, d.updated_at, c.full_name ",
                "FROM dossiers d JOIN citizens c ON c.id = d.citizen_id ",
                "WHERE d.state = $1 AND (d.promised_on > $2 OR (d.promised_on = $2 AND d.id > $3))"
            ],
            [" ORDER BY d.promised_on, d.id LIMIT $4"],
            5
        );
        let (from_date, from_id) =
            after.map_or((String::new(), 0), |c| (c.promised_on.to_string(), c.id.0));
        let office = office_param(scope);
        let rows: Vec<QueueRow> = with_pool!(&self.db, |pool| {
            let mut q = sqlx::query_as::<DB, QueueRow>(sql)
                .bind(state.code())
                .bind(&from_date)
                .bind(from_id)
                .bind(cap_limit(limit));
            if let Some(o) = office {
                q = q.bind(o);
            }
            q.fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(QueueEntry {
                    dossier: r.dossier.into_model(Vec::new())?,
                    citizen_name: r.full_name,
                })
            })
            .collect()
    }

    /// How many dossiers wait in each of `states` within `scope`, in the
    /// order given (one read transaction, one indexed count per state).
    pub async fn queue_counts(
        &self,
        scope: OfficeScope,
        states: &[State],
    ) -> Result<Vec<(State, i64)>, StoreError> {
        let sql = scoped!(
            scope,
            ["SELECT COUNT(*) FROM dossiers d WHERE d.state = $1"],
            [],
            2
        );
        let office = office_param(scope);
        let counts: Vec<i64> = with_pool!(&self.db, |pool| {
            let mut tx = pool.begin().await?;
            let mut counts = Vec::with_capacity(states.len());
            for s in states {
                let mut q = sqlx::query_scalar::<DB, i64>(sql).bind(s.code());
                if let Some(o) = office {
                    q = q.bind(o);
                }
                counts.push(q.fetch_one(&mut *tx).await?);
            }
            tx.commit().await?;
            counts
        });
        Ok(states.iter().copied().zip(counts).collect())
    }

    /// The open dossiers within `scope` promised before `today` (quá hạn),
    /// the longest overdue first (by promised date, then code), at most
    /// `limit` (capped at 500): the overdue dashboard's list, in one query
    /// for the whole scope instead of one per office.
    pub async fn overdue_in_scope(
        &self,
        scope: OfficeScope,
        today: Date,
        limit: u32,
    ) -> Result<Vec<Dossier>, StoreError> {
        let sql = scoped!(
            scope,
            [
                "SELECT d.id, d.code, d.kind, d.reason, d.office_code, d.citizen_id, d.fee_vnd, ",
                "d.exemption, d.received_on, d.deadlines, d.promised_on, d.state, d.version, ",
                "d.created_at, d.updated_at ",
                "FROM dossiers d WHERE d.is_open = TRUE AND d.state NOT IN ",
                deadline_stopped_open_states!(),
                " AND d.promised_on < $1"
            ],
            [" ORDER BY d.promised_on, d.id LIMIT $2"],
            3
        );
        let office = office_param(scope);
        let rows: Vec<DossierRow> = with_pool!(&self.db, |pool| {
            let mut q = sqlx::query_as::<DB, DossierRow>(sql)
                .bind(today.to_string())
                .bind(cap_limit(limit));
            if let Some(o) = office {
                q = q.bind(o);
            }
            q.fetch_all(pool).await?
        });
        rows.into_iter().map(|r| r.into_model(Vec::new())).collect()
    }

    /// Open dossiers per receiving office within `scope`, counted against
    /// their promised dates on `today`: late (promised before `today`) and
    /// at risk (promised from `today` up to `horizon`, both included). The
    /// caller computes the horizon in working days, as for
    /// [`Store::at_risk`]. Offices without open dossiers are left out;
    /// ordered by office.
    pub async fn open_timeliness(
        &self,
        scope: OfficeScope,
        today: Date,
        horizon: Date,
    ) -> Result<Vec<OpenTimeliness>, StoreError> {
        let sql = scoped!(
            scope,
            [
                "SELECT d.office_code, COUNT(*), ",
                "SUM(CASE WHEN d.promised_on < $1 AND d.state NOT IN ",
                deadline_stopped_open_states!(),
                " THEN 1 ELSE 0 END), ",
                "SUM(CASE WHEN d.promised_on >= $1 AND d.promised_on <= $2 AND d.state NOT IN ",
                deadline_stopped_open_states!(),
                " THEN 1 ELSE 0 END), ",
                "SUM(CASE WHEN d.state IN ('ready_for_pickup', 'posted') THEN 1 ELSE 0 END), ",
                "SUM(CASE WHEN d.state = 'booked' THEN 1 ELSE 0 END) ",
                "FROM dossiers d WHERE d.is_open = TRUE"
            ],
            [" GROUP BY d.office_code ORDER BY d.office_code"],
            3
        );
        let office = office_param(scope);
        let rows: Vec<(i64, i64, i64, i64, i64, i64)> = with_pool!(&self.db, |pool| {
            let mut q = sqlx::query_as::<DB, (i64, i64, i64, i64, i64, i64)>(sql)
                .bind(today.to_string())
                .bind(horizon.to_string());
            if let Some(o) = office {
                q = q.bind(o);
            }
            q.fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(office, open, late, at_risk, awaiting_pickup, booked)| {
                Ok(OpenTimeliness {
                    office: u16_of("dossiers.office_code", office)?,
                    open,
                    late,
                    at_risk,
                    awaiting_pickup,
                    booked,
                })
            })
            .collect()
    }

    /// Dossiers whose card became ready for the citizen (the transition out
    /// of `dispatched`, to ready for pickup or posted: once per dossier) at
    /// or after epoch second `since` within `scope`, grouped by office,
    /// promised date and the civil day it became ready at
    /// `utc_offset_secs` (Vietnam: +25 200), so the caller can tell on time
    /// from late without a date function in SQL. When the citizen then
    /// collected the card does not count: that delay is theirs.
    pub async fn finished_since(
        &self,
        scope: OfficeScope,
        since: i64,
        utc_offset_secs: i32,
    ) -> Result<Vec<FinishedGroup>, StoreError> {
        let sql = scoped!(
            scope,
            [
                "SELECT d.office_code, d.promised_on, (e.at + $1) / 86400, COUNT(*) ",
                "FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id ",
                "WHERE e.from_state = $3 AND e.to_state IN ('ready_for_pickup', 'posted') ",
                "AND e.at >= $2"
            ],
            [" GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"],
            4
        );
        let office = office_param(scope);
        let rows: Vec<(i64, String, i64, i64)> = with_pool!(&self.db, |pool| {
            let mut q = sqlx::query_as::<DB, (i64, String, i64, i64)>(sql)
                .bind(i64::from(utc_offset_secs))
                .bind(since)
                .bind(State::Dispatched.code());
            if let Some(o) = office {
                q = q.bind(o);
            }
            q.fetch_all(pool).await?
        });
        let epoch = jiff::civil::date(1970, 1, 1);
        rows.into_iter()
            .map(|(office, promised, day, count)| {
                let finished_on = jiff::Span::new()
                    .try_days(day)
                    .and_then(|span| epoch.checked_add(span))
                    .map_err(|_| {
                        StoreError::corrupt(
                            "dossiers.updated_at",
                            day.saturating_mul(DAY).to_string(),
                        )
                    })?;
                Ok(FinishedGroup {
                    office: u16_of("dossiers.office_code", office)?,
                    promised_on: date_of("dossiers.promised_on", &promised)?,
                    finished_on,
                    count,
                })
            })
            .collect()
    }
}
