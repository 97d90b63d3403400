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
//! a bounded cache validated per lookup against the database's change
//! token (`cache.rs`), so a repeated lookup skips SQLite altogether.

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use bytes::Bytes;
use cancuoc_core::dossier::code::DossierCode;
use jiff::civil::Date;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::cache::StatusCache;
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
    cache: Option<StatusCache>,
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
        let cache = (cache_capacity > 0).then(|| StatusCache::new(&path, cache_capacity));
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
        self.shared.cache.as_ref().map_or(0, StatusCache::len)
    }

    /// The status answer for `code` on `today` as the renderer `view`
    /// writes it: from the cache when the database has not changed since
    /// it was rendered by the same renderer for this date, else read
    /// ([`Self::status`]), rendered with `render` and kept. Errors (unknown
    /// code included) are never cached.
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
        let key = (code.to_u64(), view);
        // Read before the query: the tag is never newer than the data.
        let token = cache.token();
        if let Some(t) = token
            && let Some(body) = cache.get(key, t, today)
        {
            return Ok(body);
        }
        let body = render(&self.status(code)?);
        if let Some(t) = token {
            cache.put(key, t, today, body.clone());
        }
        Ok(body)
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
