//! Bulk loading of citizens in one transaction (nạp công dân hàng loạt),
//! for the seeder: [`Store::begin_citizen_load`] opens a [`CitizenLoad`],
//! which reserves personal ID counter ranges and inserts chunk after chunk
//! inside that one transaction, and [`CitizenLoad::commit`] makes it all
//! visible at once. Dropping the load (an error, an interrupted process)
//! rolls everything back, counters included: the database keeps its old
//! state, never half a load.
//!
//! On an SQLite file the load runs on its own synchronous `rusqlite`
//! connection (the driver `crate::read` also uses; one bundled SQLite), on
//! a blocking thread, with one prepared single-row INSERT reused for every
//! row: no statement journal (a multi-row INSERT needs one to undo itself
//! half-way), no per-batch statement text, no worker-thread handoff per
//! statement as through sqlx. A [`CitizenBatch`] keeps its rows packed:
//! every text column of every row in one buffer, in the order the rows are
//! written, so the load's thread reads its input front to back instead of
//! chasing a dozen heap strings per row. Each chunk is written in personal
//! ID order, so the unique index on `personal_id` takes sorted inserts. When the table is
//! empty at the start, its secondary indexes (read from `sqlite_master`,
//! so they are exactly the migrations') are dropped inside the transaction
//! and built again just before the commit, from sorted data, instead of
//! being updated row by row in random order; a rollback restores them with
//! everything else. The personal ID counters are read once and reserved in
//! memory, and written back just before the commit (`IdCounters`); the
//! load's connection keeps up to 512 MiB of pages, so a load of a million
//! citizens reaches the WAL once, at the commit. Durability is the store's
//! ([`crate::Durability`], as `db::connect` sets it): a crash loses at most
//! the uncommitted load, never corrupts. Other writers wait for the write lock
//! while a load is open.
//!
//! PostgreSQL and in-memory SQLite use the sqlx pool: the same statements as
//! [`Store::bulk_insert_citizens`] (multi-row INSERTs of
//! `BULK_BATCH` rows) on one transaction held across the chunks.

use std::collections::HashMap;

use cancuoc_core::id::PersonalId;
use cancuoc_core::id::alloc::IdPrefix;
use cancuoc_core::person::Sex;
use rusqlite::{Connection, OpenFlags};

use crate::Store;
use crate::db::Db;
use crate::error::{Invalid, StoreError, from_rusqlite};
use crate::model::citizen::{CitizenId, FieldProvenance, NewCitizen};
use crate::model::officer::OfficerId;
use crate::ops::citizens::{BULK_BATCH, bind_citizen, bulk_sql, prepare_row};
use crate::ops::counters::{assign_firsts, check_wants, reserve_sql};
use crate::rows::sex_code;

/// The single-row INSERT the SQLite file path prepares once per load.
const INSERT_ONE: &str = "INSERT INTO citizens (personal_id, full_name, name_key, dob, dob_year, \
     dob_month, dob_day, sex, nationality, ethnicity, religion, place_of_origin, \
     birth_registration, permanent_residence, temporary_residence, phone, provenance, \
     created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
     $17, $18)";

/// The audit row of a load (the macro `ops::audit` is sqlx-only).
const AUDIT_SQL: &str = "INSERT INTO audit_log (at, officer_id, action, target, details) \
     VALUES ($1, $2, $3, $4, $5)";

/// Cache of the load's own connection, in KiB (a ceiling: pages are only
/// held as the load writes them). A load of a million citizens (≈ 270 MB
/// with its indexes) stays in memory until the commit, so each page reaches
/// the WAL once, and the deferred `CREATE INDEX` reads the table from
/// memory instead of from spilled WAL frames (the seed rate of `cancuoc
/// seed --citizens 1000000`, printed with `--json`, is the figure to watch
/// when changing it). Larger loads spill beyond the ceiling.
const LOAD_CACHE_KIB: i64 = 512 * 1024;

/// A bulk load of citizens in progress: one open write transaction.
/// Dropped without [`CitizenLoad::commit`], it rolls back.
pub struct CitizenLoad {
    inner: Inner,
    actor: Option<i64>,
    at: i64,
    inserted: u64,
    reserved: u64,
    /// The SQLite file path's ID counters, read once at the first
    /// reservation and written back at the commit (see [`IdCounters`]).
    counters: Option<IdCounters>,
}

/// The personal ID counters of a file load, held in memory: the load holds
/// the database's write lock from `BEGIN IMMEDIATE` to its commit, so no
/// other writer can move a counter in between, and a reservation needs no
/// database round trip (a million-citizen seed reserves ~10,000 prefixes in
/// every chunk, an upsert each when done in the database). The touched
/// counters are
/// written back in the load's transaction, just before the commit; a
/// rollback forgets them with the rows.
#[derive(Debug, Default)]
struct IdCounters {
    /// By prefix: the next index, and whether this load moved it.
    next: HashMap<String, (i64, bool)>,
}

impl IdCounters {
    /// Reserves `n` indexes of `prefix`; returns the first.
    fn reserve(&mut self, prefix: &str, n: u32) -> Result<u32, StoreError> {
        let (next, touched) = self.next.entry(prefix.to_owned()).or_insert((0, false));
        let first = u32::try_from(*next)
            .map_err(|_| StoreError::corrupt("id_counters.next_index", next.to_string()))?;
        *next += i64::from(n);
        *touched = true;
        Ok(first)
    }

    /// The counters this load moved, with their new values, sorted.
    fn touched(&self) -> Vec<(&str, i64)> {
        let mut out: Vec<(&str, i64)> = self
            .next
            .iter()
            .filter(|(_, (_, t))| *t)
            .map(|(p, (n, _))| (p.as_str(), *n))
            .collect();
        out.sort_unstable();
        out
    }
}

impl std::fmt::Debug for CitizenLoad {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = match &self.inner {
            Inner::File(_) => "sqlite file (rusqlite)",
            Inner::Sqlite(_) => "sqlite (sqlx)",
            Inner::Postgres(_) => "postgres (sqlx)",
        };
        f.debug_struct("CitizenLoad")
            .field("path", &path)
            .field("inserted", &self.inserted)
            .field("reserved", &self.reserved)
            .field(
                "counters_in_memory",
                &self.counters.as_ref().map_or(0, |c| c.next.len()),
            )
            .finish()
    }
}

enum Inner {
    /// `None` only while a blocking task holds it.
    File(Option<Box<FileLoad>>),
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// The SQLite file path: a connection with `BEGIN IMMEDIATE` open.
struct FileLoad {
    conn: Connection,
    /// `CREATE INDEX` statements dropped for this load, run again before
    /// the commit.
    deferred: Vec<String>,
    /// Set once COMMIT succeeded; otherwise dropping rolls back.
    done: bool,
}

impl Drop for FileLoad {
    fn drop(&mut self) {
        if !self.done {
            // Closing the connection would roll back too; say it plainly.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// A blocking task that died (a bug): a database error, not a panic.
fn joined(e: tokio::task::JoinError) -> StoreError {
    StoreError::Database(sqlx::Error::AnyDriverError(Box::new(e)))
}

/// A chunk of citizens checked and with their derived columns computed
/// (name search key, date parts, stored provenance), ready for
/// [`CitizenLoad::insert`]. Preparing is pure computation, so a caller can
/// prepare the next batch on another thread while this one is written.
///
/// The rows are packed (hand-rolled, as no crate packs a row type of ours):
/// all their text in one buffer, row after row, and per row its scalar
/// columns and where each text column ends. The thread that prepares a batch
/// frees the [`NewCitizen`]s it came from; sorting moves small fixed-size
/// rows and then lays the text out again in the new order; and the load's
/// thread walks both buffers in order.
#[derive(Debug)]
pub struct CitizenBatch {
    rows: Vec<Row>,
    text: String,
    /// The stored provenances, by [`Row::provenance`]: usually distinct
    /// (see `PROVENANCES_LOOKED_UP`), and most batches have one.
    provenances: Vec<String>,
}

/// How many of the latest distinct provenances `CitizenBatch::prepare`
/// compares a row's with before serializing it anew.
const PROVENANCES_LOOKED_UP: usize = 8;

/// The text columns of a packed row, in the order they are stored.
const TEXT_COLS: usize = 11;
/// The optional text columns, by position.
const TEMPORARY_RESIDENCE: usize = 9;
const PHONE: usize = 10;

/// One packed row: its scalar columns and where its text lies.
#[derive(Debug, Clone, Copy)]
struct Row {
    personal_id: Option<PersonalId>,
    sex: Sex,
    year: i64,
    month: Option<i64>,
    day: Option<i64>,
    /// Index into [`CitizenBatch::provenances`].
    provenance: u32,
    /// Where the row's text starts in [`CitizenBatch::text`].
    start: usize,
    /// Where each text column ends, counted from `start`.
    ends: [u32; TEXT_COLS],
    /// Bit `i` set: the optional text column `i` is NULL.
    nulls: u16,
}

/// One row's values, borrowed from its batch: what the INSERTs bind.
#[derive(Debug)]
struct RowRef<'a> {
    full_name: &'a str,
    name_key: &'a str,
    dob: &'a str,
    year: i64,
    month: Option<i64>,
    day: Option<i64>,
    sex: Sex,
    nationality: &'a str,
    ethnicity: &'a str,
    religion: &'a str,
    place_of_origin: &'a str,
    birth_registration: &'a str,
    permanent_residence: &'a str,
    temporary_residence: Option<&'a str>,
    phone: Option<&'a str>,
    provenance: &'a str,
}

impl CitizenBatch {
    /// Checks every row (a blank name, old CMND numbers — bulk loads take
    /// none, use [`Store::bulk_insert_citizens`] — are refused, naming the
    /// row's 0-based position) and computes its derived columns.
    pub fn prepare(citizens: Vec<NewCitizen>) -> Result<Self, StoreError> {
        let mut batch = Self {
            rows: Vec::with_capacity(citizens.len()),
            text: String::with_capacity(citizens.len() * 256),
            provenances: Vec::new(),
        };
        // Most rows share one provenance, or one of a few: serialize each
        // once (the last few distinct ones are looked up).
        // `seen[k]` is the value serialized as `batch.provenances[k]`.
        let mut seen: Vec<&FieldProvenance> = Vec::new();
        for (i, c) in citizens.iter().enumerate() {
            let at_row = |e: StoreError| match e {
                StoreError::Invalid(Invalid::Field { field, reason }) => {
                    StoreError::field(field, format!("row {i}: {reason}"))
                }
                other => other,
            };
            if !c.old_cmnd.is_empty() {
                return Err(at_row(StoreError::field(
                    "old_cmnd",
                    "bulk loads take no old CMND numbers (use bulk_insert_citizens)",
                )));
            }
            let known = seen
                .iter()
                .enumerate()
                .rev()
                .take(PROVENANCES_LOOKED_UP)
                .find(|(_, p)| ***p == c.provenance)
                .map(|(k, _)| k);
            // With the text already stored, an empty stand-in spares
            // serializing it again (`p.provenance` is then not used).
            let p = prepare_row(c, known.map(|_| String::new())).map_err(at_row)?;
            let k = match known {
                Some(k) => k,
                None => {
                    batch.provenances.push(p.provenance);
                    seen.push(&c.provenance);
                    seen.len() - 1
                }
            };
            let provenance = u32::try_from(k)
                .map_err(|_| at_row(StoreError::field("provenance", "too many distinct values")))?;
            let texts: [Option<&str>; TEXT_COLS] = [
                Some(p.full_name),
                Some(&p.name_key),
                Some(&p.dob),
                Some(&c.nationality),
                Some(&c.ethnicity),
                Some(&c.religion),
                Some(&c.place_of_origin),
                Some(&c.birth_registration),
                Some(&c.permanent_residence),
                c.temporary_residence.as_deref(),
                c.phone.as_deref(),
            ];
            let start = batch.text.len();
            let mut ends = [0u32; TEXT_COLS];
            let mut nulls = 0u16;
            for (k, t) in texts.into_iter().enumerate() {
                match t {
                    Some(t) => batch.text.push_str(t),
                    None => nulls |= 1 << k,
                }
                ends[k] = u32::try_from(batch.text.len() - start).map_err(|_| {
                    at_row(StoreError::field(
                        "citizen",
                        "more than 4 GiB of text in one row",
                    ))
                })?;
            }
            batch.rows.push(Row {
                personal_id: c.personal_id,
                sex: c.sex,
                year: p.year,
                month: p.month,
                day: p.day,
                provenance,
                start,
                ends,
                nulls,
            });
        }
        Ok(batch)
    }

    /// How many citizens.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Sets the personal ID of the `i`-th citizen (after reserving its
    /// index); `false` when there is no such row.
    pub fn set_personal_id(&mut self, i: usize, id: PersonalId) -> bool {
        match self.rows.get_mut(i) {
            Some(r) => {
                r.personal_id = Some(id);
                true
            }
            None => false,
        }
    }

    /// Puts the rows in personal ID order (rows without one first; they are
    /// refused by [`CitizenLoad::insert`]), the order the SQLite file load
    /// writes them in, and lays their text out again in that order: done
    /// here, on the caller's thread, so the load's thread reads its input
    /// in memory order.
    pub fn sort_by_personal_id(&mut self) {
        if self.rows.is_sorted_by_key(|r| r.personal_id) {
            return;
        }
        // Stable: rows without a personal ID keep their order.
        self.rows.sort_by_key(|r| r.personal_id);
        let mut text = String::with_capacity(self.text.len());
        let mut whole = true;
        for r in &mut self.rows {
            let end = r.start + r.ends[TEXT_COLS - 1] as usize;
            // Always there: the offsets are this batch's own.
            let Some(t) = self.text.get(r.start..end) else {
                whole = false;
                break;
            };
            r.start = text.len();
            text.push_str(t);
        }
        // Were a row's text missing (a bug), no row would unpack (each has a
        // non-blank name key) and the insert would refuse the batch, rather
        // than rows reading their neighbours' text.
        self.text = if whole { text } else { String::new() };
    }

    /// The `i`-th row's values.
    fn row(&self, i: usize) -> Option<(&Row, RowRef<'_>)> {
        let r = self.rows.get(i)?;
        let col = |k: usize| -> Option<&str> {
            let from = if k == 0 { 0 } else { r.ends[k - 1] as usize };
            self.text.get(r.start + from..r.start + r.ends[k] as usize)
        };
        let opt = |k: usize| -> Option<Option<&str>> {
            if r.nulls & (1 << k) != 0 {
                Some(None)
            } else {
                col(k).map(Some)
            }
        };
        Some((
            r,
            RowRef {
                full_name: col(0)?,
                name_key: col(1)?,
                dob: col(2)?,
                year: r.year,
                month: r.month,
                day: r.day,
                sex: r.sex,
                nationality: col(3)?,
                ethnicity: col(4)?,
                religion: col(5)?,
                place_of_origin: col(6)?,
                birth_registration: col(7)?,
                permanent_residence: col(8)?,
                temporary_residence: opt(TEMPORARY_RESIDENCE)?,
                phone: opt(PHONE)?,
                provenance: self.provenances.get(r.provenance as usize)?,
            },
        ))
    }

    /// Every row must have its personal ID before it is inserted.
    fn check_ids(&self) -> Result<(), StoreError> {
        match self.rows.iter().position(|r| r.personal_id.is_none()) {
            None => Ok(()),
            Some(i) => Err(StoreError::field(
                "personal_id",
                format!(
                    "row {i}: a bulk-loaded citizen needs a personal ID (reserve indexes first)"
                ),
            )),
        }
    }
}

/// A packed row that does not unpack: a bug in [`CitizenBatch`], reported
/// as an error rather than a panic.
#[cold]
fn unpacked(i: usize) -> StoreError {
    StoreError::Database(sqlx::Error::Protocol(format!(
        "citizen load: row {i} of the batch does not unpack (a bug in CitizenBatch)"
    )))
}

impl FileLoad {
    fn open(
        path: &std::path::Path,
        durability: crate::Durability,
    ) -> Result<Self, rusqlite::Error> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(crate::db::SQLITE_BUSY_TIMEOUT)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "synchronous", durability.as_str())?;
        conn.pragma_update(None, "cache_size", -LOAD_CACHE_KIB)?;
        // CREATE INDEX sorts in temporary storage: keep it in memory.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let mut load = Self {
            conn,
            deferred: Vec::new(),
            done: false,
        };
        let empty: bool =
            load.conn
                .query_row("SELECT NOT EXISTS (SELECT 1 FROM citizens)", [], |r| {
                    r.get(0)
                })?;
        if empty {
            let indexes: Vec<(String, String)> = {
                let mut st = load.conn.prepare(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' \
                     AND tbl_name = 'citizens' AND sql IS NOT NULL ORDER BY name",
                )?;
                st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<_, _>>()?
            };
            for (name, sql) in indexes {
                // Index names come from our migrations; quote them anyway.
                load.conn
                    .execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
                load.deferred.push(sql);
            }
        }
        Ok(load)
    }

    /// Every personal ID counter, as the load's transaction sees it.
    fn read_counters(&mut self) -> Result<IdCounters, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT prefix, next_index FROM id_counters")
            .map_err(from_rusqlite)?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .map_err(from_rusqlite)?;
        let mut counters = IdCounters::default();
        for r in rows {
            let (prefix, next) = r.map_err(from_rusqlite)?;
            counters.next.insert(prefix, (next, false));
        }
        Ok(counters)
    }

    /// Inserts the rows in personal ID order; returns their ids in input
    /// order.
    fn insert(&mut self, batch: &CitizenBatch, at: i64) -> Result<Vec<CitizenId>, StoreError> {
        let rows = &batch.rows;
        let mut ids = vec![CitizenId(0); rows.len()];
        let mut st = self
            .conn
            .prepare_cached(INSERT_ONE)
            .map_err(from_rusqlite)?;
        let mut put = |i: usize| -> Result<(), StoreError> {
            let (row, r) = batch.row(i).ok_or_else(|| unpacked(i))?;
            st.execute(rusqlite::params![
                row.personal_id.as_ref().map(|i| i.as_str()),
                r.full_name,
                r.name_key,
                r.dob,
                r.year,
                r.month,
                r.day,
                sex_code(r.sex),
                r.nationality,
                r.ethnicity,
                r.religion,
                r.place_of_origin,
                r.birth_registration,
                r.permanent_residence,
                r.temporary_residence,
                r.phone,
                r.provenance,
                at,
            ])
            .map_err(from_rusqlite)?;
            ids[i] = CitizenId(self.conn.last_insert_rowid());
            Ok(())
        };
        // A batch from `CitizenBatch::sort_by_personal_id` is walked as it
        // lies; any other through a sorted permutation.
        if rows.is_sorted_by_key(|r| r.personal_id) {
            (0..rows.len()).try_for_each(&mut put)?;
        } else {
            let mut order: Vec<usize> = (0..rows.len()).collect();
            order.sort_unstable_by_key(|&i| rows[i].personal_id);
            order.into_iter().try_for_each(&mut put)?;
        }
        Ok(ids)
    }

    fn commit(
        mut self,
        counters: Option<IdCounters>,
        audit: (i64, Option<i64>, String),
    ) -> Result<(), StoreError> {
        if let Some(counters) = counters {
            let mut st = self
                .conn
                .prepare(
                    "INSERT INTO id_counters (prefix, next_index) VALUES ($1, $2) \
                     ON CONFLICT (prefix) DO UPDATE SET next_index = excluded.next_index",
                )
                .map_err(from_rusqlite)?;
            for (prefix, next) in counters.touched() {
                st.execute(rusqlite::params![prefix, next])
                    .map_err(from_rusqlite)?;
            }
        }
        for sql in std::mem::take(&mut self.deferred) {
            self.conn.execute_batch(&sql).map_err(from_rusqlite)?;
        }
        self.conn
            .execute(
                AUDIT_SQL,
                rusqlite::params![audit.0, audit.1, "citizen.bulk_load", "citizens", audit.2],
            )
            .map_err(from_rusqlite)?;
        self.conn.execute_batch("COMMIT").map_err(from_rusqlite)?;
        self.done = true;
        Ok(())
    }
}

/// Runs `f` on the file load on a blocking thread and puts it back.
async fn on_file<T: Send + 'static>(
    slot: &mut Option<Box<FileLoad>>,
    f: impl FnOnce(&mut FileLoad) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let Some(mut load) = slot.take() else {
        return Err(StoreError::Database(sqlx::Error::PoolClosed));
    };
    let (load, out) = tokio::task::spawn_blocking(move || {
        let out = f(&mut load);
        (load, out)
    })
    .await
    .map_err(joined)?;
    *slot = Some(load);
    out
}

/// Runs `$body` with `$tx` bound to the sqlx transaction of either
/// backend, `DB` and `SQLITE` set as in `db::with_pool!`.
macro_rules! with_tx {
    ($inner:expr, |$tx:ident| $body:expr) => {
        match $inner {
            Inner::Sqlite($tx) => {
                #[allow(dead_code, clippy::upper_case_acronyms)]
                type DB = sqlx::Sqlite;
                #[allow(dead_code)]
                const SQLITE: bool = true;
                $body
            }
            Inner::Postgres($tx) => {
                #[allow(dead_code, clippy::upper_case_acronyms)]
                type DB = sqlx::Postgres;
                #[allow(dead_code)]
                const SQLITE: bool = false;
                $body
            }
            Inner::File(_) => unreachable_file(),
        }
    };
}

#[cold]
fn unreachable_file<T>() -> Result<T, StoreError> {
    Err(StoreError::Database(sqlx::Error::Protocol(
        "citizen load: the sqlx path was asked for a file load".into(),
    )))
}

impl Store {
    /// Opens a bulk load of citizens (one write transaction until
    /// [`CitizenLoad::commit`]); `actor` and `at` go to its audit row.
    /// On an SQLite file this holds the database's write lock until the
    /// commit or the drop.
    pub async fn begin_citizen_load(
        &self,
        actor: Option<OfficerId>,
        at: i64,
    ) -> Result<CitizenLoad, StoreError> {
        let inner = match (&self.db, &self.fast) {
            (Db::Sqlite(_), Some(fast)) => {
                let path = fast.path().to_path_buf();
                let durability = self.durability;
                let load = tokio::task::spawn_blocking(move || FileLoad::open(&path, durability))
                    .await
                    .map_err(joined)?
                    .map_err(from_rusqlite)?;
                Inner::File(Some(Box::new(load)))
            }
            (Db::Sqlite(pool), None) => Inner::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            (Db::Postgres(pool), _) => Inner::Postgres(pool.begin().await?),
        };
        Ok(CitizenLoad {
            inner,
            actor: actor.map(|o| o.0),
            at,
            inserted: 0,
            reserved: 0,
            counters: None,
        })
    }
}

impl CitizenLoad {
    /// Reserves `count` consecutive indexes of each prefix's counter inside
    /// the load and returns the first of each, in the order asked (as
    /// [`Store::reserve_id_indexes`], but rolled back with the load).
    pub async fn reserve_id_indexes(
        &mut self,
        wants: &[(IdPrefix, u32)],
    ) -> Result<Vec<u32>, StoreError> {
        let position = check_wants(wants)?;
        let asked: Vec<(IdPrefix, u32)> = wants.iter().copied().filter(|w| w.1 > 0).collect();
        let mut first = vec![0u32; wants.len()];
        if asked.is_empty() {
            return Ok(first);
        }
        self.reserved += asked.iter().map(|w| u64::from(w.1)).sum::<u64>();
        let rows: Vec<(String, i64)> = match &mut self.inner {
            Inner::File(slot) => {
                if self.counters.is_none() {
                    self.counters = Some(on_file(slot, |l| l.read_counters()).await?);
                }
                let Some(counters) = self.counters.as_mut() else {
                    return Err(StoreError::Database(sqlx::Error::PoolClosed));
                };
                for (i, (prefix, n)) in wants.iter().enumerate() {
                    if *n > 0 {
                        first[i] = counters.reserve(prefix.as_str(), *n)?;
                    }
                }
                return Ok(first);
            }
            other => with_tx!(other, |tx| {
                let mut rows = Vec::with_capacity(asked.len());
                for chunk in asked.chunks(crate::ops::counters::RESERVE_BATCH) {
                    let sql = reserve_sql(chunk.len(), SQLITE);
                    let mut q = sqlx::query_as::<DB, (String, i64)>(sqlx::AssertSqlSafe(sql));
                    for (prefix, n) in chunk {
                        q = q.bind(prefix.as_str()).bind(i64::from(*n));
                    }
                    rows.extend(q.fetch_all(&mut **tx).await?);
                }
                Ok::<_, StoreError>(rows)
            })?,
        };
        assign_firsts(&rows, &position, wants, &mut first)?;
        Ok(first)
    }

    /// Inserts a prepared batch (each citizen with its personal ID) and
    /// returns the new ids in the batch's order. A row without a personal
    /// ID is refused by position before anything is written; after any
    /// error the load should be dropped (rolled back).
    pub async fn insert(&mut self, batch: CitizenBatch) -> Result<Vec<CitizenId>, StoreError> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        batch.check_ids()?;
        let at = self.at;
        let ids = match &mut self.inner {
            Inner::File(slot) => on_file(slot, move |l| l.insert(&batch, at)).await?,
            other => {
                let mut rows = Vec::with_capacity(batch.len());
                let mut position: HashMap<&str, usize> = HashMap::with_capacity(batch.len());
                for i in 0..batch.len() {
                    let (row, r) = batch.row(i).ok_or_else(|| unpacked(i))?;
                    let pid = row.personal_id.as_ref().map(|p| p.as_str());
                    if let Some(p) = pid {
                        position.insert(p, i);
                    }
                    rows.push((pid, r));
                }
                let mut ids = vec![CitizenId(0); batch.len()];
                with_tx!(other, |tx| {
                    for chunk in rows.chunks(BULK_BATCH) {
                        let mut sql = bulk_sql(chunk.len(), SQLITE);
                        sql.push_str(" RETURNING id, personal_id");
                        let mut q = sqlx::query_as::<DB, (i64, String)>(sqlx::AssertSqlSafe(sql));
                        for (pid, r) in chunk {
                            q = bind_citizen!(q, *pid, r, r.full_name, r, at);
                        }
                        for (id, pid) in q.fetch_all(&mut **tx).await? {
                            let Some(&i) = position.get(pid.as_str()) else {
                                return Err(StoreError::corrupt("citizens.personal_id", pid));
                            };
                            ids[i] = CitizenId(id);
                        }
                    }
                    Ok::<_, StoreError>(())
                })?;
                ids
            }
        };
        self.inserted += ids.len() as u64;
        Ok(ids)
    }

    /// How many citizens this load has inserted so far.
    pub fn inserted(&self) -> u64 {
        self.inserted
    }

    /// Builds any deferred indexes, writes the audit row and commits;
    /// returns how many citizens were inserted.
    pub async fn commit(self) -> Result<u64, StoreError> {
        let details = format!(
            "{} rows, {} ID indexes reserved",
            self.inserted, self.reserved
        );
        let (at, actor, inserted) = (self.at, self.actor, self.inserted);
        let counters = self.counters;
        match self.inner {
            Inner::File(mut slot) => {
                let Some(load) = slot.take() else {
                    return Err(StoreError::Database(sqlx::Error::PoolClosed));
                };
                tokio::task::spawn_blocking(move || load.commit(counters, (at, actor, details)))
                    .await
                    .map_err(joined)??;
            }
            other => with_tx!(other, |tx| {
                let mut tx = tx;
                crate::ops::audit!(tx, at, actor, "citizen.bulk_load", "citizens", details);
                tx.commit().await?;
                Ok::<_, StoreError>(())
            })?,
        }
        Ok(inserted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::citizen::{Provenance, Verification};

    /// Rows whose text columns differ in length and presence.
    fn rows(n: usize) -> Vec<NewCitizen> {
        (0..n)
            .map(|i| {
                let mut provenance = FieldProvenance::all_verified("npd");
                if i % 4 == 1 {
                    provenance.fields.insert(
                        "phone".into(),
                        Provenance {
                            status: Verification::SelfDeclared,
                            source: "citizen".into(),
                        },
                    );
                }
                NewCitizen {
                    personal_id: None,
                    full_name: format!("{}Trần Thị Đóng Gói {i}", " ".repeat(i % 3)),
                    dob: if i % 2 == 0 {
                        "1990-02-03".parse().expect("dob")
                    } else {
                        "1988".parse().expect("dob")
                    },
                    sex: if i % 2 == 0 { Sex::Female } else { Sex::Male },
                    nationality: "Việt Nam".into(),
                    ethnicity: ["Kinh", "Tày", "H'Mông"][i % 3].into(),
                    religion: "Không".into(),
                    place_of_origin: format!("Xã {i}"),
                    birth_registration: "Tỉnh Thử".into(),
                    permanent_residence: "Thôn ".repeat(i % 5 + 1),
                    temporary_residence: (i % 3 == 0).then(|| format!("Phòng {i}")),
                    phone: (i % 2 == 0).then(|| format!("09{i:08}")),
                    old_cmnd: Vec::new(),
                    provenance,
                }
            })
            .collect()
    }

    /// The batch's row `i` holds exactly `c`'s values.
    fn holds(batch: &CitizenBatch, i: usize, c: &NewCitizen) {
        let (row, r) = batch.row(i).expect("row");
        let (year, month, day) = crate::ops::citizens::dob_parts(&c.dob);
        assert_eq!(row.personal_id, c.personal_id, "row {i}");
        assert_eq!(r.full_name, c.full_name.trim(), "row {i}");
        assert_eq!(
            r.name_key,
            cancuoc_core::text::search_key(c.full_name.trim())
        );
        assert_eq!(r.dob, c.dob.to_string(), "row {i}");
        assert_eq!((r.year, r.month, r.day), (year, month, day), "row {i}");
        assert_eq!(r.sex, c.sex, "row {i}");
        assert_eq!(r.nationality, c.nationality, "row {i}");
        assert_eq!(r.ethnicity, c.ethnicity, "row {i}");
        assert_eq!(r.religion, c.religion, "row {i}");
        assert_eq!(r.place_of_origin, c.place_of_origin, "row {i}");
        assert_eq!(r.birth_registration, c.birth_registration, "row {i}");
        assert_eq!(r.permanent_residence, c.permanent_residence, "row {i}");
        assert_eq!(r.temporary_residence, c.temporary_residence.as_deref());
        assert_eq!(r.phone, c.phone.as_deref(), "row {i}");
        assert_eq!(
            r.provenance,
            c.provenance.to_stored().expect("provenance"),
            "row {i}"
        );
    }

    #[test]
    fn a_packed_batch_gives_back_every_column() {
        let input = rows(40);
        let batch = CitizenBatch::prepare(input.clone()).expect("prepare");
        assert_eq!(batch.len(), 40);
        assert_eq!(batch.provenances.len(), 2, "one text per distinct value");
        for (i, c) in input.iter().enumerate() {
            holds(&batch, i, c);
        }
        assert!(batch.row(40).is_none());
    }

    #[test]
    fn sorting_moves_each_row_with_its_text() {
        let mut input = rows(40);
        let mut batch = CitizenBatch::prepare(input.clone()).expect("prepare");
        // Numbers in the reverse of the input order, some rows without one.
        for (i, c) in input.iter_mut().enumerate() {
            if i % 13 != 5 {
                let id = PersonalId::parse(&format!("079090{:06}", 999 - i)).expect("id");
                c.personal_id = Some(id);
                assert!(batch.set_personal_id(i, id));
            }
        }
        assert!(!batch.set_personal_id(40, PersonalId::parse("079090000001").expect("id")));
        batch.sort_by_personal_id();
        input.sort_by_key(|c| c.personal_id);
        assert!(batch.rows.is_sorted_by_key(|r| r.personal_id));
        for (i, c) in input.iter().enumerate() {
            holds(&batch, i, c);
        }
        // Sorting a sorted batch leaves it alone: the text is not laid out
        // again (a new layout is a new buffer).
        let (text, at) = (batch.text.clone(), batch.text.as_ptr());
        batch.sort_by_personal_id();
        assert_eq!(batch.text, text);
        assert_eq!(batch.text.as_ptr(), at);
        assert!(matches!(
            batch.check_ids(),
            Err(StoreError::Invalid(Invalid::Field {
                field: "personal_id",
                ..
            }))
        ));
    }
}
