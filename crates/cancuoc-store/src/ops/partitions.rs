//! The month partitions of the append-only tables on PostgreSQL (phân vùng
//! theo tháng; migration 0021): `dossier_events`, `audit_log`,
//! `account_events` and `cmnd_confirmation_events`, one partition per
//! calendar month in Vietnam.
//!
//! The rule lives in the database, in the migration's PL/pgSQL
//! (`cancuoc_partitions_maintain`), so the migration and this call make
//! partitions the same way: the current month and [`MONTHS_AHEAD`] after
//! it, and a partition for every month whose rows sit in a default
//! partition (moved there first: PostgreSQL refuses to create a partition
//! for rows its default partition holds). [`Store::connect`] calls it at
//! every start and the server once a day, so a month's partition exists
//! months before its first row; a row that lands in a default partition
//! anyway (a clock far off, history loaded later) gets its month at the
//! next call.

use crate::Store;
use crate::db::Db;
use crate::error::StoreError;

/// How many months after the current one get their partitions ahead: a
/// server that misses its daily call for three months still writes into
/// month partitions.
pub(crate) const MONTHS_AHEAD: i32 = 3;

/// Makes the missing month partitions on `pool` for the month of `now`
/// (epoch seconds) and the ones after, and for the rows of the default
/// partitions; returns how many it made.
pub(crate) async fn maintain(pool: &sqlx::PgPool, now: i64) -> Result<u32, StoreError> {
    let made: i32 = sqlx::query_scalar("SELECT cancuoc_partitions_maintain($1, $2)")
        .bind(now)
        .bind(MONTHS_AHEAD)
        .fetch_one(pool)
        .await?;
    Ok(u32::try_from(made).unwrap_or(0))
}

impl Store {
    /// Makes the month partitions of the append-only tables that are due
    /// (PostgreSQL; nothing to do on SQLite): the month of `now` (epoch
    /// seconds) and the three after it, and the months of rows
    /// left in a default partition. Returns how many partitions it made.
    /// Run at start and daily; one caller at a time (the others wait).
    pub async fn maintain_partitions(&self, now: i64) -> Result<u32, StoreError> {
        match &self.db {
            Db::Postgres(pool) => maintain(pool, now).await,
            Db::Sqlite(_) => Ok(0),
        }
    }
}
