//! The status answer cache (bộ nhớ đệm tra cứu) of an SQLite file store:
//! [`crate::Store::status_cached`].
//!
//! A status lookup that hits the cache costs one `pread` of 96 bytes and a
//! map probe instead of an SQLite read transaction (two `fcntl` lock pairs,
//! an `fstat`, the process-wide lock mutexes and the B-tree walk). It stays
//! correct across processes: every answer is tagged with the database's
//! **change token**, the two copies of the WAL-index header at the start of
//! the `-shm` file, which SQLite rewrites on every commit by any connection
//! of any process (its `iChange` counter, last frame and salts change; see
//! the "wal-index format" of SQLite's file format documentation). The token
//! is read *before* the query, so an answer is never tagged newer than the
//! data it holds; a hit needs the tag to equal the token read for this
//! request, so a commit that finished before the request began is always
//! seen. Answers are also tagged with the civil date they were rendered for
//! (`overdue` changes at midnight in Vietnam), and a hit needs that date to
//! be today.
//!
//! Why the `-shm` header and not `PRAGMA data_version`: that pragma opens a
//! read transaction, which is exactly the cost the cache avoids (measured in
//! `ARCHITECTURE.md`, read path). Reading the header with `pread` (instead
//! of mapping it as SQLite does) keeps the store free of `unsafe`; the
//! kernel serves it from the page cache SQLite's own mapping writes to. A
//! torn read (a writer mid-update) only yields a token that matches
//! nothing, i.e. a miss. The token is only trusted while the header says the
//! WAL-index is initialised and of the known version (3007000); otherwise
//! every lookup goes to the database.
//!
//! The cache is one bounded concurrent map per store (`quick_cache`, S3-FIFO
//! eviction), shared by the worker threads, keyed by dossier code and the
//! renderer that wrote the answer (a type: the REST JSON and, say, a chat
//! reply are distinct entries, so no front end ever receives another's
//! bytes). Only
//! found dossiers are cached: an unknown code always asks the database, so
//! a flood of made-up codes cannot evict real answers. No in-process write
//! counter is needed: writes through this store go through the same
//! WAL-index and change the token like any other commit.

use std::any::TypeId;
use std::fs::File;
use std::hash::Hasher;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

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

/// A cached answer: what the caller rendered, for which token and day.
#[derive(Clone, Debug)]
struct Entry {
    token: u64,
    date: Date,
    body: Bytes,
}

/// The change token of an SQLite WAL database and the answers cached under
/// it.
#[derive(Debug)]
pub(crate) struct StatusCache {
    shm_path: PathBuf,
    shm: OnceLock<File>,
    answers: quick_cache::sync::Cache<AnswerKey, Entry>,
}

impl StatusCache {
    /// A cache of at most `capacity` answers for the database at `db_path`.
    pub(crate) fn new(db_path: &Path, capacity: usize) -> Self {
        let mut shm = db_path.as_os_str().to_owned();
        shm.push("-shm");
        Self {
            shm_path: PathBuf::from(shm),
            shm: OnceLock::new(),
            answers: quick_cache::sync::Cache::new(capacity.max(1)),
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

    /// The answer cached for `key` under `token` on `date`.
    pub(crate) fn get(&self, key: AnswerKey, token: u64, date: Date) -> Option<Bytes> {
        let e = self.answers.get(&key)?;
        (e.token == token && e.date == date).then_some(e.body)
    }

    /// Keeps `body` as the answer for `key` read under `token` on `date`.
    pub(crate) fn put(&self, key: AnswerKey, token: u64, date: Date, body: Bytes) {
        self.answers.insert(key, Entry { token, date, body });
    }

    /// How many answers are held (at most the capacity).
    pub(crate) fn len(&self) -> usize {
        self.answers.len()
    }
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
}
