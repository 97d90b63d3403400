//! The status answer cache (bộ nhớ đệm tra cứu): rendered status answers
//! kept per dossier and invalidated per dossier, so officers' writes to
//! some dossiers leave every other cached answer valid. One answer map
//! ([`AnswerCache`]) with two sources of invalidation: on an SQLite file a
//! change log read when the database changed ([`FileCache`], used by
//! `read.rs`); on PostgreSQL, notifications (`listen.rs`).
//!
//! **The answer map.** One bounded concurrent map per store
//! (`quick_cache`, S3-FIFO eviction), shared by the worker threads, keyed
//! by dossier code and the renderer that wrote the answer (a type: the
//! REST JSON and, say, a chat reply are distinct entries, so no front end
//! ever receives another's bytes). Answers are tagged with the civil date
//! they were rendered for (`overdue` changes at midnight in Vietnam), and
//! a hit needs that date to be today. Only found dossiers are cached: an
//! unknown code always asks the database, so a flood of made-up codes
//! cannot evict real answers. To drop a dossier's answers the map removes
//! its code under every renderer type seen so far (a program has two or
//! three).
//!
//! **The race it closes.** A lookup that read a dossier just before a
//! commit must not put its stale answer back after the invalidation of
//! that commit removed the old one. Every invalidation bumps a
//! **generation** (under a write lock); a lookup takes a ticket (the
//! generation) *before* its query, and its answer goes in only if the
//! generation is still the ticket's (checked and inserted under the read
//! lock). An answer that was read before a change is therefore either put
//! before that change's invalidation (which then removes it) or refused.
//! The generations are striped by code ([`STRIPES`] of them, plus one
//! bumped by a flush): an invalidation refuses only the puts of codes in
//! its stripes, so under many writes a miss of an untouched dossier is
//! still kept (with one generation for all, every transition anywhere
//! refused the answers of every lookup in flight).
//!
//! **SQLite files: the change token, then the change log.** A lookup first
//! reads the database's **change token**, the two copies of the WAL-index
//! header at the start of the `-shm` file, which SQLite rewrites on every
//! commit by any connection of any process (its `iChange` counter, last
//! frame and salts change; see the "wal-index format" of SQLite's file
//! format documentation): one `pread` of 96 bytes. When it equals the token
//! the map was last brought up to date with, nothing changed and the map
//! is served as it is. When it differs, one thread catches up (the others
//! wait on a mutex, then find the work done): it reads the token again,
//! then the rows of `status_changes` (migration 0020) added since the last
//! sequence number it saw, removes those codes' answers (a row without a
//! code, an office renamed, empties the map), and records the token. The
//! token is read *before* the log, so the map is never tagged newer than
//! what it was cleaned with; a commit that finished before a lookup began
//! is always seen. Triggers fill the log, so the writers need not know
//! about it: this store, another store on the same file, the CLI, a plain
//! `sqlite3` shell. The log keeps its last 100,000 rows; a reader that
//! fell further behind (a gap between the last sequence number it saw and
//! the oldest kept), or has more than [`LOG_READ_MAX`] rows to read, empties
//! the map instead.
//!
//! Why the `-shm` header and not `PRAGMA data_version`: that pragma opens a
//! read transaction, which is exactly the cost the cache avoids (measured in
//! `ARCHITECTURE.md`, read path). Reading the header with `pread` (instead
//! of mapping it as SQLite does) keeps the store free of `unsafe`; the
//! kernel serves it from the page cache SQLite's own mapping writes to. A
//! torn read (a writer mid-update) only yields a token that matches
//! nothing, i.e. a needless catch-up. The token is only trusted while the
//! header says the WAL-index is initialised and of the known version
//! (3007000); otherwise every lookup goes to the database.

use std::any::TypeId;
use std::fs::File;
use std::hash::Hasher;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError, RwLock};

use bytes::Bytes;
use jiff::civil::Date;

/// Default number of answers a store keeps (≈ 400 bytes each with their
/// JSON body, so ≈ 50 MiB when full).
pub const STATUS_CACHE_DEFAULT: usize = 131_072;

/// Bytes of the WAL-index header read as the change token: both 48-byte
/// copies of `WalIndexHdr`.
const HEADER_BYTES: usize = 96;
/// `WalIndexHdr.iVersion` of every SQLite since 3.7.0.
const WAL_INDEX_VERSION: u32 = 3_007_000;

/// The most change-log rows one catch-up reads; a reader further behind
/// empties its map instead (cheaper than removing that many codes one by
/// one, and it keeps a worker thread from reading a long log inline).
pub(crate) const LOG_READ_MAX: usize = 10_000;

/// The answer cache's counters, for the metrics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Lookups answered from the cache.
    pub hits: u64,
    /// Lookups that read the database (the code was not cached, or its
    /// answer was no longer true).
    pub misses: u64,
    /// Answers held now.
    pub entries: u64,
}

/// What an answer is cached under: the dossier code (as a number) and the
/// renderer's type.
pub(crate) type AnswerKey = (u64, TypeId);

/// A cached answer: what the caller rendered, and for which day.
#[derive(Clone, Debug)]
struct Entry {
    date: Date,
    body: Bytes,
}

/// How many generations the codes are spread over (see the module docs):
/// enough that an invalidation rarely shares a stripe with a lookup in
/// flight, few enough to copy under the lock.
pub(crate) const STRIPES: usize = 64;

/// The stripe of dossier `code`.
fn stripe(code: u64) -> usize {
    // The codes' last digits are random draws (the office and date lead):
    // the remainder spreads them.
    (code % STRIPES as u64) as usize
}

/// The generations: one per stripe of codes, and one bumped by a flush.
#[derive(Debug)]
struct Generations {
    flush: u64,
    stripes: [u64; STRIPES],
}

/// The generations a lookup of one code saw before its query (see the
/// module docs): its answer is kept only if no invalidation of its stripe
/// and no flush happened since.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ticket {
    code: u64,
    flush: u64,
    stripe: u64,
}

/// The answers of one store, with their generation and counters.
#[derive(Debug)]
pub(crate) struct AnswerCache {
    answers: quick_cache::sync::Cache<AnswerKey, Entry>,
    /// Every renderer type an answer was put for: an invalidation removes
    /// a code under each.
    views: RwLock<Vec<TypeId>>,
    /// Bumped by every invalidation (the stripes of its codes) and flush;
    /// puts hold the read lock across their check and insert.
    generation: RwLock<Generations>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl AnswerCache {
    /// An empty cache of at most `capacity` answers.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            answers: quick_cache::sync::Cache::new(capacity.max(1)),
            views: RwLock::new(Vec::new()),
            generation: RwLock::new(Generations {
                flush: 0,
                stripes: [0; STRIPES],
            }),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The generations of dossier `code` now: take them before reading
    /// the database.
    pub(crate) fn ticket(&self, code: u64) -> Ticket {
        let g = self
            .generation
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        Ticket {
            code,
            flush: g.flush,
            stripe: g.stripes[stripe(code)],
        }
    }

    /// The answer cached for `key` on `date`, counted as a hit or a miss.
    pub(crate) fn get(&self, key: AnswerKey, date: Date) -> Option<Bytes> {
        let found = self
            .answers
            .get(&key)
            .filter(|e| e.date == date)
            .map(|e| e.body);
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Counts a lookup that went to the database without asking the map
    /// (the cache could not be trusted for it).
    pub(crate) fn count_miss(&self) {
        self.misses.fetch_add(1, Ordering::Relaxed);
    }

    /// Keeps `body` as the answer for `key` on `date`, read after `ticket`
    /// (of the same code) was taken, unless an invalidation of its stripe
    /// or a flush happened since (then the answer may predate a change and
    /// is dropped). Whether it was kept.
    pub(crate) fn put(&self, key: AnswerKey, date: Date, body: Bytes, ticket: Ticket) -> bool {
        if ticket.code != key.0 {
            debug_assert!(false, "a ticket of {} for {}", ticket.code, key.0);
            return false;
        }
        let known = self
            .views
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(&key.1);
        if !known {
            let mut views = self.views.write().unwrap_or_else(PoisonError::into_inner);
            if !views.contains(&key.1) {
                views.push(key.1);
            }
        }
        let g = self
            .generation
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        if g.flush != ticket.flush || g.stripes[stripe(key.0)] != ticket.stripe {
            return false;
        }
        self.answers.insert(key, Entry { date, body });
        true
    }

    /// Drops every answer of the dossiers `codes`.
    pub(crate) fn invalidate(&self, codes: &[u64]) {
        if codes.is_empty() {
            return;
        }
        let mut g = self
            .generation
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        for code in codes {
            let s = &mut g.stripes[stripe(*code)];
            *s = s.wrapping_add(1);
        }
        let views = self.views.read().unwrap_or_else(PoisonError::into_inner);
        for code in codes {
            for view in views.iter() {
                self.answers.remove(&(*code, *view));
            }
        }
    }

    /// Drops every answer.
    pub(crate) fn flush(&self) {
        let mut g = self
            .generation
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        g.flush = g.flush.wrapping_add(1);
        self.answers.clear();
    }

    /// How many answers are held (at most the capacity).
    pub(crate) fn len(&self) -> usize {
        self.answers.len()
    }

    /// The counters.
    pub(crate) fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries: self.len() as u64,
        }
    }
}

/// What one catch-up read of the change log found, in one read
/// transaction: the oldest and newest sequence numbers kept, and the rows
/// after the last one seen (at most [`LOG_READ_MAX`]; `None` as the code
/// means every answer).
#[derive(Debug, Default)]
pub(crate) struct LogRead {
    pub(crate) min: Option<i64>,
    pub(crate) max: Option<i64>,
    pub(crate) rows: Vec<(i64, Option<i64>)>,
}

/// The answer cache of an SQLite file, kept true by its change token and
/// change log (see the module docs).
#[derive(Debug)]
pub(crate) struct FileCache {
    pub(crate) answers: AnswerCache,
    shm_path: PathBuf,
    shm: OnceLock<File>,
    /// The token the map was last brought up to date with, as
    /// [`stored_token`] stores it (0: never).
    synced: AtomicU64,
    /// The last change-log sequence number applied (`None`: none read
    /// yet); its mutex is the one catch-up at a time.
    last_seq: Mutex<Option<i64>>,
}

/// A token as [`FileCache::synced`] holds it: never 0, which means "not
/// synced" (a token of 0 shares 1's slot: equal with probability 2^-64).
fn stored_token(t: u64) -> u64 {
    t.max(1)
}

impl FileCache {
    /// A cache of at most `capacity` answers for the database at `db_path`.
    pub(crate) fn new(db_path: &Path, capacity: usize) -> Self {
        let mut shm = db_path.as_os_str().to_owned();
        shm.push("-shm");
        Self {
            answers: AnswerCache::new(capacity),
            shm_path: PathBuf::from(shm),
            shm: OnceLock::new(),
            synced: AtomicU64::new(0),
            last_seq: Mutex::new(None),
        }
    }

    /// The database's current change token, `None` when it cannot be read
    /// or is not a WAL-index header this code knows (then nothing is
    /// cached). Call it after the database was opened (the `-shm` file
    /// exists once a WAL connection is open).
    pub(crate) fn token(&self) -> Option<u64> {
        let file = match self.shm.get() {
            Some(f) => f,
            // Opened on first use; a missing file is retried next time.
            None => {
                let f = File::open(&self.shm_path).ok()?;
                self.shm.get_or_init(|| f)
            }
        };
        let mut header = [0u8; HEADER_BYTES];
        file.read_exact_at(&mut header, 0).ok()?;
        token_of(&header)
    }

    /// Brings the map up to date with every commit that finished before
    /// this call, reading the change log with `read_log` (given the last
    /// sequence number seen; `None` when the log cannot be read) when the
    /// database changed. Whether the map may be used for this lookup
    /// (false: no token, or the log could not be read; then the lookup
    /// reads the database and keeps nothing).
    pub(crate) fn catch_up(&self, read_log: impl FnOnce(Option<i64>) -> Option<LogRead>) -> bool {
        self.catch_up_with(|| self.token(), read_log)
    }

    /// [`Self::catch_up`] with the token read by `token` (the tests give
    /// their own).
    fn catch_up_with(
        &self,
        token: impl Fn() -> Option<u64>,
        read_log: impl FnOnce(Option<i64>) -> Option<LogRead>,
    ) -> bool {
        let Some(t) = token() else {
            return false;
        };
        if self.synced.load(Ordering::Acquire) == stored_token(t) {
            return true;
        }
        let mut last = self.last_seq.lock().unwrap_or_else(PoisonError::into_inner);
        // Read again under the lock: at least as new as the first read, so
        // what follows covers every commit before this lookup began, and
        // a thread that caught up while this one waited is seen.
        let Some(t) = token() else {
            return false;
        };
        if self.synced.load(Ordering::Acquire) == stored_token(t) {
            return true;
        }
        // The token is read before the log: the map is never tagged with
        // a token newer than the log it was cleaned with.
        let Some(log) = read_log(*last) else {
            return false;
        };
        match *last {
            Some(seen) if !behind(seen, &log) => {
                let mut codes = Vec::with_capacity(log.rows.len());
                let mut all = false;
                for (_, code) in &log.rows {
                    match code.map(u64::try_from) {
                        Some(Ok(c)) => codes.push(c),
                        // An office changed (or a code that is no code).
                        _ => all = true,
                    }
                }
                if all {
                    self.answers.flush();
                } else {
                    self.answers.invalidate(&codes);
                }
            }
            // The first read, or the log lost rows this reader had not
            // seen: nothing cached can be trusted.
            _ => self.answers.flush(),
        }
        *last = Some(log.max.unwrap_or(last.unwrap_or(0)));
        self.synced.store(stored_token(t), Ordering::Release);
        true
    }
}

/// Whether a reader that last saw sequence number `seen` cannot trust what
/// `log` holds: rows after `seen` were pruned (the oldest kept is past the
/// next), there were more than one read takes, or the log went backwards
/// (the file was replaced by an older copy).
fn behind(seen: i64, log: &LogRead) -> bool {
    log.min.is_some_and(|m| m > seen.saturating_add(1))
        || log.rows.len() >= LOG_READ_MAX
        || log.max.unwrap_or(0) < seen
}

/// The token of a WAL-index header: a hash of both copies, when the header
/// is initialised and of the known version.
fn token_of(header: &[u8; HEADER_BYTES]) -> Option<u64> {
    // Native byte order (the header is in the host's order); `iVersion` at
    // offset 0, `isInit` at offset 12 of each copy.
    let version = |at: usize| {
        let mut b = [0u8; 4];
        b.copy_from_slice(&header[at..at + 4]);
        u32::from_ne_bytes(b)
    };
    let known = version(0) == WAL_INDEX_VERSION
        && version(48) == WAL_INDEX_VERSION
        && header[12] == 1
        && header[60] == 1;
    if !known {
        return None;
    }
    // A fixed-key hash: equal headers give equal tokens; distinct headers
    // collide with probability 2^-64.
    let mut h = std::hash::DefaultHasher::new();
    h.write(header);
    Some(h.finish())
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    fn header(change: u32) -> [u8; HEADER_BYTES] {
        let mut h = [0u8; HEADER_BYTES];
        for copy in [0, 48] {
            h[copy..copy + 4].copy_from_slice(&WAL_INDEX_VERSION.to_ne_bytes());
            h[copy + 8..copy + 12].copy_from_slice(&change.to_ne_bytes());
            h[copy + 12] = 1;
        }
        h
    }

    #[test]
    fn tokens_follow_the_header() {
        assert_eq!(token_of(&header(1)), token_of(&header(1)));
        assert_ne!(token_of(&header(1)), token_of(&header(2)));
        // Not initialised, or another version: no token, nothing cached.
        let mut h = header(1);
        h[12] = 0;
        assert_eq!(token_of(&h), None);
        let mut h = header(1);
        h[48..52].copy_from_slice(&1u32.to_ne_bytes());
        assert_eq!(token_of(&h), None);
    }

    struct A;
    struct B;

    fn day() -> Date {
        jiff::civil::date(2026, 11, 21)
    }

    fn key<V: 'static>(code: u64) -> AnswerKey {
        (code, TypeId::of::<V>())
    }

    fn file_cache() -> FileCache {
        FileCache::new(Path::new("/nonexistent/cancuoc-cache-test.db"), 64)
    }

    fn log(min: i64, max: i64, rows: &[(i64, Option<i64>)]) -> LogRead {
        LogRead {
            min: Some(min),
            max: Some(max),
            rows: rows.to_vec(),
        }
    }

    #[test]
    fn a_put_after_an_invalidation_is_refused() {
        let c = AnswerCache::new(16);
        // A lookup takes its ticket, reads the old answer...
        let ticket = c.ticket(1);
        // ... a commit's invalidation of that dossier runs ...
        c.invalidate(&[1]);
        // ... and its put is refused: it may predate the change.
        assert!(!c.put(key::<A>(1), day(), Bytes::from_static(b"old"), ticket));
        assert_eq!(c.get(key::<A>(1), day()), None);
        // A lookup that started after the invalidation keeps its answer.
        let ticket = c.ticket(1);
        assert!(c.put(key::<A>(1), day(), Bytes::from_static(b"new"), ticket));
        assert_eq!(c.get(key::<A>(1), day()).as_deref(), Some(&b"new"[..]));
        // A code of the same stripe refuses it too (they cannot be told
        // apart), codes of other stripes do not.
        let ticket = c.ticket(1);
        c.invalidate(&[1 + STRIPES as u64]);
        assert!(!c.put(key::<A>(1), day(), Bytes::from_static(b"x"), ticket));
        let ticket = c.ticket(1);
        c.invalidate(&[2, 3, 7, 7 + STRIPES as u64]);
        assert!(c.put(key::<A>(1), day(), Bytes::from_static(b"x"), ticket));
        // A flush refuses every code's.
        let (t1, t2) = (c.ticket(1), c.ticket(2));
        c.flush();
        assert!(!c.put(key::<A>(1), day(), Bytes::from_static(b"x"), t1));
        assert!(!c.put(key::<A>(2), day(), Bytes::from_static(b"x"), t2));
        // Nothing to invalidate: the generations stay, the put goes in.
        let ticket = c.ticket(2);
        c.invalidate(&[]);
        assert!(c.put(key::<A>(2), day(), Bytes::from_static(b"x"), ticket));
    }

    #[test]
    fn an_invalidation_drops_the_code_under_every_renderer_only() {
        let c = AnswerCache::new(16);
        for (code, body) in [(1, "a1"), (2, "a2")] {
            assert!(c.put(key::<A>(code), day(), Bytes::from(body), c.ticket(code)));
        }
        assert!(c.put(key::<B>(1), day(), Bytes::from_static(b"b1"), c.ticket(1)));
        c.invalidate(&[1]);
        assert_eq!(c.get(key::<A>(1), day()), None);
        assert_eq!(c.get(key::<B>(1), day()), None);
        assert_eq!(c.get(key::<A>(2), day()).as_deref(), Some(&b"a2"[..]));
        // Another day: a miss.
        let next = day().tomorrow().expect("date");
        assert_eq!(c.get(key::<A>(2), next), None);
        let s = c.stats();
        assert_eq!((s.hits, s.misses, s.entries), (1, 3, 1));
    }

    #[test]
    fn the_log_drops_only_the_codes_it_names() {
        let f = file_cache();
        let token = Cell::new(10u64);
        // First catch-up: the sequence number is learnt, the map emptied.
        assert!(f.catch_up_with(
            || Some(token.get()),
            |seen| {
                assert_eq!(seen, None);
                Some(log(1, 5, &[]))
            }
        ));
        for code in [1, 2, 3] {
            let t = f.answers.ticket(code);
            assert!(f.answers.put(key::<A>(code), day(), Bytes::from("x"), t));
        }
        // Same token: the log is not read.
        assert!(f.catch_up_with(|| Some(token.get()), |_| panic!("read")));
        // A commit to dossier 2 (and one to a table the answer does not
        // read, which logs nothing).
        token.set(11);
        assert!(f.catch_up_with(
            || Some(token.get()),
            |seen| {
                assert_eq!(seen, Some(5));
                Some(log(1, 6, &[(6, Some(2))]))
            }
        ));
        assert!(f.answers.get(key::<A>(1), day()).is_some());
        assert!(f.answers.get(key::<A>(2), day()).is_none());
        assert!(f.answers.get(key::<A>(3), day()).is_some());
        // An office renamed: every answer.
        token.set(12);
        assert!(f.catch_up_with(
            || Some(token.get()),
            |seen| {
                assert_eq!(seen, Some(6));
                Some(log(1, 7, &[(7, None)]))
            }
        ));
        assert_eq!(f.answers.len(), 0);
        // No token: the map is not used, the log not read.
        assert!(!f.catch_up_with(|| None, |_| panic!("read")));
        // The log unreadable: not used, and tried again next time.
        token.set(13);
        assert!(!f.catch_up_with(|| Some(token.get()), |_| None));
        assert!(f.catch_up_with(
            || Some(token.get()),
            |seen| {
                assert_eq!(seen, Some(7));
                Some(log(1, 7, &[]))
            }
        ));
    }

    #[test]
    fn a_gap_in_the_log_empties_the_map() {
        let f = file_cache();
        let token = Cell::new(1u64);
        assert!(f.catch_up_with(|| Some(token.get()), |_| Some(log(1, 100, &[]))));
        let fill = |f: &FileCache| {
            for code in [1, 2, 3] {
                let t = f.answers.ticket(code);
                assert!(f.answers.put(key::<A>(code), day(), Bytes::from("x"), t));
            }
        };
        fill(&f);
        // The oldest row kept is 102: row 101 was pruned unseen, and it
        // may have named any dossier.
        token.set(2);
        assert!(f.catch_up_with(
            || Some(token.get()),
            |seen| {
                assert_eq!(seen, Some(100));
                Some(log(102, 103, &[(102, Some(9)), (103, Some(9))]))
            }
        ));
        assert_eq!(f.answers.len(), 0, "a gap empties the map");
        // Caught up to 103: the next rows apply one by one again.
        fill(&f);
        token.set(3);
        assert!(f.catch_up_with(
            || Some(token.get()),
            |seen| {
                assert_eq!(seen, Some(103));
                Some(log(102, 104, &[(104, Some(1))]))
            }
        ));
        assert_eq!(f.answers.len(), 2, "only dossier 1 dropped");
        // More rows than one read takes: emptied as well.
        token.set(4);
        let many: Vec<(i64, Option<i64>)> = (0..LOG_READ_MAX as i64)
            .map(|i| (105 + i, Some(500_000 + i)))
            .collect();
        assert!(f.catch_up_with(
            || Some(token.get()),
            |_| { Some(log(102, 104 + LOG_READ_MAX as i64 + 50, &many)) }
        ));
        assert_eq!(f.answers.len(), 0);
        // The log went backwards (an older copy of the file): emptied.
        fill(&f);
        token.set(5);
        assert!(f.catch_up_with(|| Some(token.get()), |_| Some(log(1, 3, &[]))));
        assert_eq!(f.answers.len(), 0);
    }

    #[test]
    fn a_lookup_racing_a_catch_up_keeps_nothing_stale() {
        // The race of the module docs, step by step: a lookup takes its
        // ticket and reads dossier 1 (old state); a commit to dossier 1
        // lands; another lookup sees the new token and catches up; the
        // first lookup's put comes last and must be refused.
        let f = file_cache();
        let token = Cell::new(1u64);
        assert!(f.catch_up_with(|| Some(token.get()), |_| Some(log(1, 1, &[]))));
        let ticket = f.answers.ticket(1);
        let stale = Bytes::from_static(b"received");
        token.set(2);
        assert!(f.catch_up_with(|| Some(token.get()), |_| Some(log(1, 2, &[(2, Some(1))]))));
        assert!(!f.answers.put(key::<A>(1), day(), stale, ticket));
        assert_eq!(f.answers.get(key::<A>(1), day()), None);
    }
}
