//! The synchronous read path of the public status lookup on an SQLite file
//! (đường đọc nhanh): [`crate::Store::status_now`].
//!
//! Why it exists: sqlx's SQLite driver runs every statement on a worker
//! thread of its own connection and sends the rows back over a channel, so a
//! point query costs two thread handoffs, which measured as most of a status
//! lookup (≈ 15,700 lookups/s through sqlx against well over 100,000/s for
//! the query itself). Here each thread that asks (the tokio workers) keeps
//! its own read-only `rusqlite` connection to the same file in a
//! thread-local slot, with the statement prepared once and cached, and runs
//! the indexed point query inline: a few microseconds, no handoff, no pool,
//! no lock shared between threads. Under WAL readers never wait for the
//! writer, so running it on an async worker does not stall the runtime.
//!
//! `rusqlite` shares sqlx's `libsqlite3-sys` (one bundled SQLite in the
//! binary; `cargo tree -i libsqlite3-sys` shows one version). The SQL text
//! and the row decoding are the ones `Store::status_by_code` uses, and a
//! contract test compares both paths on the same data. PostgreSQL and
//! in-memory SQLite have no fast path: there [`crate::Store::status_now`]
//! answers `None` and callers use the async query.
//!
//! On top of it, [`crate::Store::status_cached`] keeps rendered answers in
//! a bounded cache kept true per dossier (`cache.rs`): a lookup reads the
//! database's change token, and only when it moved reads the change log
//! (`status_changes`, [`LOG_SQL`]) on this same connection and drops the
//! answers of the dossiers named there. A repeated lookup of a dossier no
//! one changed skips SQLite altogether, however busy the officers are.

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use bytes::Bytes;
use cancuoc_core::dossier::code::DossierCode;
use jiff::civil::Date;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::cache::{CacheStats, FileCache, LOG_READ_MAX, LogRead};
use crate::error::{Entity, StoreError, from_rusqlite};
use crate::model::dossier::DossierStatus;
use crate::rows::{StatusRow, code_value};

/// The status query, shared with the async path.
/// Nothing of the citizen: the public answer to a code carries nothing
/// derived from the person.
pub(crate) const STATUS_SQL: &str = "SELECT d.code, d.state, d.promised_on, \
     o.code AS office_code, o.name AS office_name, o.hotline AS office_hotline \
     FROM dossiers d \
     JOIN offices o ON o.code = d.office_code \
     WHERE d.code = $1";

/// The change log's bounds: the oldest and newest sequence numbers kept
/// (two subqueries, so each is one step down the rowid B-tree; one
/// `SELECT min(seq), max(seq)` would scan the table).
const LOG_BOUNDS_SQL: &str = "SELECT (SELECT min(seq) FROM status_changes), \
     (SELECT max(seq) FROM status_changes)";

/// The change log's rows after a sequence number, oldest first: the
/// dossier codes whose public answer changed (`NULL`: every answer, an
/// office changed). Migration 0020's triggers write them.
pub(crate) const LOG_SQL: &str =
    "SELECT seq, code FROM status_changes WHERE seq > $1 ORDER BY seq LIMIT $2";

/// How long a reader waits on a locked database (WAL recovery, a checkpoint
/// resetting the log) before failing: short, as it blocks a worker thread.
const READ_BUSY_TIMEOUT: Duration = Duration::from_secs(2);

/// What the clones of one store share: the database file, whether the
/// store was closed, and the status answer cache (none when its capacity
/// is 0).
#[derive(Debug)]
struct Shared {
    path: PathBuf,
    closed: AtomicBool,
    cache: Option<FileCache>,
}

/// The fast read path of one SQLite file store (cheap to clone).
#[derive(Clone, Debug)]
pub(crate) struct FastReader {
    shared: Arc<Shared>,
}

thread_local! {
    /// This thread's read connections, one per open store (a process
    /// normally has one; tests open many). Entries of dropped stores are
    /// removed when the next one is opened.
    static CONNECTIONS: RefCell<Vec<(Weak<Shared>, Connection)>> =
        const { RefCell::new(Vec::new()) };
}

fn open(path: &std::path::Path) -> Result<Connection, rusqlite::Error> {
    // Read-write open with `query_only`: a read-only open of a WAL database
    // fails when the `-shm` file has to be created.
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(READ_BUSY_TIMEOUT)?;
    conn.pragma_update(None, "query_only", true)?;
    // As the pool's connections (see `db::connect`): memory-mapped pages.
    conn.pragma_update(
        None,
        "mmap_size",
        i64::try_from(crate::db::SQLITE_MMAP_BYTES).unwrap_or(0),
    )?;
    conn.pragma_update(None, "cache_size", -8192)?;
    conn.set_prepared_statement_cache_capacity(8);
    Ok(conn)
}

impl FastReader {
    /// The reader of an SQLite file at `path`, caching at most
    /// `cache_capacity` status answers (0: no cache).
    pub(crate) fn new(path: PathBuf, cache_capacity: usize) -> Self {
        let cache = (cache_capacity > 0).then(|| FileCache::new(&path, cache_capacity));
        Self {
            shared: Arc::new(Shared {
                path,
                closed: AtomicBool::new(false),
                cache,
            }),
        }
    }

    /// The same database with a cache of `capacity` answers (0: none),
    /// for a store being built (nothing cached yet).
    pub(crate) fn with_cache_capacity(&self, capacity: usize) -> Self {
        Self::new(self.shared.path.clone(), capacity)
    }

    /// How many status answers are cached.
    pub(crate) fn cached_answers(&self) -> usize {
        self.shared.cache.as_ref().map_or(0, |c| c.answers.len())
    }

    /// The cache's counters (zeros without a cache).
    pub(crate) fn cache_stats(&self) -> CacheStats {
        self.shared
            .cache
            .as_ref()
            .map_or_else(CacheStats::default, |c| c.answers.stats())
    }

    /// Whether lookups may be answered from the cache now: there is one
    /// and the database's change token can be read.
    pub(crate) fn cache_live(&self) -> bool {
        self.shared
            .cache
            .as_ref()
            .is_some_and(|c| c.token().is_some())
    }

    /// The status answer for `code` on `today` as the renderer `view`
    /// writes it: from the cache when no commit changed the dossier (or
    /// its office) since it was rendered by the same renderer for this
    /// date, else read ([`Self::status`]), rendered with `render` and kept.
    /// Errors (unknown code included) are never cached.
    pub(crate) fn status_cached(
        &self,
        code: DossierCode,
        today: Date,
        view: std::any::TypeId,
        render: impl FnOnce(&DossierStatus) -> Bytes,
    ) -> Result<Bytes, StoreError> {
        let Some(cache) = &self.shared.cache else {
            return Ok(render(&self.status(code)?));
        };
        // Every commit before this lookup began is applied to the map
        // first (see `cache.rs`).
        if !cache.catch_up(|seen| self.read_log(seen)) {
            cache.answers.count_miss();
            return Ok(render(&self.status(code)?));
        }
        let key = (code.to_u64(), view);
        if let Some(body) = cache.answers.get(key, today) {
            return Ok(body);
        }
        // Taken on a miss, before the query: a commit's invalidation that
        // runs while this lookup reads refuses its answer (a hit needs no
        // ticket).
        let ticket = cache.answers.ticket(key.0);
        let body = render(&self.status(code)?);
        cache.answers.put(key, today, body.clone(), ticket);
        Ok(body)
    }

    /// The change log after sequence number `seen` (only its bounds when
    /// `None`), read in one read transaction on this thread's connection;
    /// `None` when it cannot be read (then the lookup goes uncached).
    fn read_log(&self, seen: Option<i64>) -> Option<LogRead> {
        self.with_conn(|conn| {
            let tx = conn.unchecked_transaction()?;
            let (min, max) = tx.query_row(LOG_BOUNDS_SQL, [], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let mut rows = Vec::new();
            if let Some(seen) = seen {
                let mut stmt = tx.prepare_cached(LOG_SQL)?;
                let limit = i64::try_from(LOG_READ_MAX).unwrap_or(i64::MAX);
                for row in stmt.query_map([seen, limit], |r| Ok((r.get(0)?, r.get(1)?)))? {
                    rows.push(row?);
                }
            }
            // Read only: ending it either way releases the snapshot.
            tx.commit()?;
            Ok(LogRead { min, max, rows })
        })
        .ok()
    }

    /// No more reads through this path (the store is closing).
    pub(crate) fn close(&self) {
        self.shared.closed.store(true, Ordering::Release);
    }

    /// The database file (the bulk citizen load opens its own connection
    /// to it).
    pub(crate) fn path(&self) -> &std::path::Path {
        &self.shared.path
    }

    /// Whether [`Self::close`] was called.
    pub(crate) fn is_closed(&self) -> bool {
        self.shared.closed.load(Ordering::Acquire)
    }

    /// Runs `f` on this thread's connection to the store, opening it on
    /// first use.
    fn with_conn<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, rusqlite::Error>,
    ) -> Result<T, rusqlite::Error> {
        CONNECTIONS.with(|cell| {
            let mut conns = cell.borrow_mut();
            let me = Arc::as_ptr(&self.shared);
            // A dead `Weak` keeps its allocation, so a live store never
            // shares an address with a dropped one still listed here.
            if let Some((_, conn)) = conns.iter().find(|(w, _)| std::ptr::eq(w.as_ptr(), me)) {
                return f(conn);
            }
            conns.retain(|(w, _)| w.strong_count() > 0);
            let conn = open(&self.shared.path)?;
            conns.push((Arc::downgrade(&self.shared), conn));
            match conns.last() {
                Some((_, conn)) => f(conn),
                None => Err(rusqlite::Error::InvalidQuery),
            }
        })
    }

    /// The public status of the dossier with `code`, as
    /// `Store::status_by_code` answers it.
    pub(crate) fn status(&self, code: DossierCode) -> Result<DossierStatus, StoreError> {
        let row = self
            .with_conn(|conn| {
                let mut stmt = conn.prepare_cached(STATUS_SQL)?;
                stmt.query_row([code_value(&code)], |r| {
                    Ok(StatusRow {
                        code: r.get(0)?,
                        state: r.get(1)?,
                        promised_on: r.get(2)?,
                        office_code: r.get(3)?,
                        office_name: r.get(4)?,
                        office_hotline: r.get(5)?,
                    })
                })
                .optional()
            })
            .map_err(from_rusqlite)?;
        row.ok_or_else(|| StoreError::not_found(Entity::Dossier, code.to_string()))?
            .into_model()
    }
}
