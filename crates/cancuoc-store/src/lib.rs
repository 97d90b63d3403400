//! `cancuoc-store` is the persistence layer of cancuoc (lưu trữ): one
//! [`Store`] API over an embedded SQLite database (the default) or
//! PostgreSQL, with migrations embedded per dialect and applied on connect.
//!
//! Every public method is one use case and runs in one transaction. Query
//! bodies are written once with `$1…$n` placeholders and expanded for both
//! drivers (see [`db`]). Domain values are stored as their stable codes
//! (states, roles, kinds), civil dates as ISO text, instants as epoch
//! seconds; time and randomness come in as arguments where a test needs to
//! control them.
//!
//! Only this crate knows SQL. Errors are [`StoreError`], mapped from the
//! driver in one place and localized (Vietnamese / English).
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod backup;
mod cache;
pub mod db;
pub mod error;
mod failover;
mod listen;
pub mod model;
mod ops;
mod read;
mod readiness;
mod replica;
mod rows;

pub use cache::{CacheStats, STATUS_CACHE_DEFAULT};
pub use db::{Backend, Db, Durability};
pub use error::{Conflict, Entity, Invalid, StoreError};
pub use listen::STATUS_LISTENER_APPLICATION;
pub use model::account::{
    Account, AccountActor, AccountEvent, AccountLock, AccountRecord, AccountSessionInfo, Challenge,
    EventContext, FailureKind, LevelGrant, LiveAccountSession, NewChallenge, SessionKind,
};
pub use model::audit::AuditEntry;
pub use model::booking::{
    Booking, BookingState, CardDelivery, Declaration, HolderCaps, NewBooking, Reception, SlotKey,
    SlotRequest, SlotUsage,
};
pub use model::captcha::{CAPTCHA_KEEP_AFTER_EXPIRY_SECS, CaptchaCheck, FormChallenge, NewCaptcha};
pub use model::card::{Card, CardId, CardState, CardStatusRow, NewCard};
pub use model::channel::{
    ChannelCountRow, ChannelCounts, ChannelLookup, ChatLine, ConversationRecord,
    ConversationUpdate, InboundMessage, InboxItem, NOTIFIED_STATES, NOTIFY_CHANNELS, NewOutbound,
    NotifyConsent, OutboxId, OutboxItem,
};
pub use model::citizen::{
    Citizen, CitizenId, CitizenQuery, FieldProvenance, IdAssignment, NameMatch, NewCitizen,
    Provenance, Verification, mask_name,
};
pub use model::citizen_access::{
    CitizenAccess, CitizenKey, CitizenRead, CitizenScope, ReadPurpose,
};
pub use model::confirmation::{
    Confirmation, ConfirmationChannel, ConfirmationDecision, ConfirmationEvent, ConfirmationState,
    ConfirmationStatus, Decided, NewConfirmation, OldNumber, RecordGap, Verdict,
};
pub use model::dossier::{
    ChargedFee, CodeSource, Counts, Dossier, DossierId, DossierStatus, EventKind, EventRecord,
    NewDossier, OfficeStats, Page, SeedDossier, StageDeadline, TransitionOutcome,
    TransitionRequest,
};
pub use model::office::{
    NewOffice, Office, OfficeLevel, OpeningHours, Period, Structure, TimeRange,
};
pub use model::officer::{IssuedOfficer, NewOfficer, Officer, OfficerId, Token};
pub use model::queues::{FinishedGroup, OfficeScope, OpenTimeliness, QueueCursor, QueueEntry};
pub use model::session::{ConsoleSession, OfficerCredentials, OpenedSession, SessionLimits};
pub use ops::check::{
    CheckItem, CheckKind, CheckOptions, CheckProgress, CheckReport, Finding, Note,
};
pub use ops::citizen_load::{CitizenBatch, CitizenLoad};
pub use ops::confirmations::ConfirmationPrint;
pub use ops::gauges::{Depths, PoolUse};
pub use readiness::{DbPart, NotReady, Readiness};
pub use replica::{REPLICA_MAX_LAG_DEFAULT, ReplicaLag};

/// The store: a cheap-to-clone handle on a connection pool.
#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
    /// The synchronous status read path (SQLite files only).
    fast: Option<read::FastReader>,
    /// The side database of an SQLite file store, for captcha challenges
    /// (see `db::side_file`); elsewhere they live in `db`.
    side: Option<Db>,
    /// The accounts database of an SQLite file store (see
    /// `db::connect_accounts`), which also holds the channels'
    /// conversations and chat replies; elsewhere they live in `db`.
    accounts: Option<Db>,
    /// The database file of an SQLite file store, whose folder
    /// [`Store::ping`] checks can take a write.
    file: Option<std::path::PathBuf>,
    /// How an SQLite file's commits are synced (the citizen load follows).
    durability: Durability,
    /// The read replicas of a PostgreSQL store (see `replica.rs`).
    replicas: Option<std::sync::Arc<replica::Replicas>>,
    /// The hosts of a PostgreSQL primary and which one the pool uses (see
    /// `failover.rs`).
    primary: Option<std::sync::Arc<failover::Primary>>,
    /// The status answer cache of a PostgreSQL store, kept true by
    /// LISTEN/NOTIFY (see `listen.rs`; SQLite files keep theirs in
    /// `fast`). `None`: no cache.
    pg_cache: Option<std::sync::Arc<listen::PgCache>>,
}

impl Store {
    /// Opens `sqlite://path` (created if missing; WAL, foreign keys on,
    /// every commit synced: [`Durability::Full`]), `sqlite::memory:` (one
    /// connection) or `postgres://…`, and applies the embedded migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with(url, Durability::default()).await
    }

    /// [`Store::connect`] with the durability of an SQLite file's commits
    /// (ignored for PostgreSQL and in-memory databases).
    pub async fn connect_with(url: &str, durability: Durability) -> Result<Self, StoreError> {
        // An SQLite folder is set up by one process at a time.
        let setting_up = match db::sqlite_file(url) {
            Some(p) => db::setup_lock(&p).await?,
            None => None,
        };
        let (db, primary) = db::connect(url, durability).await?;
        if let Db::Postgres(pool) = &db {
            // The append-only tables' month partitions due now (migration
            // 0021; see ops/partitions.rs).
            ops::partitions::maintain(pool, jiff::Timestamp::now().as_second()).await?;
        }
        let file = db::sqlite_file(url);
        let (side, accounts) = match &file {
            Some(p) => {
                let side = db::connect_side(p).await?;
                db::clear_main_captchas(&db).await?;
                (Some(side), Some(db::connect_accounts(p, durability).await?))
            }
            None => (None, None),
        };
        drop(setting_up);
        let pg_cache = matches!(db, Db::Postgres(_))
            .then(|| std::sync::Arc::new(listen::PgCache::new(cache::STATUS_CACHE_DEFAULT)));
        Ok(Self {
            db,
            fast: file
                .clone()
                .map(|p| read::FastReader::new(p, cache::STATUS_CACHE_DEFAULT)),
            side,
            accounts,
            file,
            durability,
            replicas: None,
            primary,
            pg_cache,
        })
    }

    /// This store with read replicas (bản sao chỉ đọc): hot standbys of
    /// its PostgreSQL primary, one `postgres://` URL each, that the public
    /// read paths read while a replica's replay lag is within `max_lag`
    /// (see `replica.rs` for the paths and how lag is measured). Their
    /// pools connect lazily, so a replica that is down delays nothing; its
    /// lag is checked every second by a task that ends when the store is
    /// closed or dropped. No URLs: the store as it was. Needs a Tokio
    /// runtime. Refused for an SQLite store, and for a URL that is not
    /// PostgreSQL or lists several hosts.
    pub fn with_replicas(
        mut self,
        urls: &[String],
        max_lag: std::time::Duration,
    ) -> Result<Self, StoreError> {
        if urls.is_empty() {
            return Ok(self);
        }
        if self.backend() != Backend::Postgres {
            return Err(StoreError::field(
                "replica_urls",
                "read replicas need a PostgreSQL primary (database_url postgres://…)",
            ));
        }
        self.replicas = Some(replica::Replicas::start(urls, max_lag)?);
        Ok(self)
    }

    /// Every read replica's lag as last checked (empty without replicas).
    pub fn replica_lags(&self) -> Vec<ReplicaLag> {
        self.replicas
            .as_deref()
            .map_or_else(Vec::new, replica::Replicas::lags)
    }

    /// The status answer cache's counters (hits, misses, entries held)
    /// since the store was opened (zeros without a cache). A lookup the
    /// cache could not serve counts as a miss.
    pub fn cache_stats(&self) -> CacheStats {
        match (&self.fast, &self.pg_cache) {
            (Some(f), _) => f.cache_stats(),
            (None, Some(pg)) => pg.answers.stats(),
            (None, None) => CacheStats::default(),
        }
    }

    /// Whether status lookups may be answered from the cache now: on an
    /// SQLite file, the cache is on and the database's change token can be
    /// read; on PostgreSQL, the cache is on and its listener is connected
    /// and listening (it starts with the first [`Store::status_answer`]).
    /// False without a cache and for in-memory SQLite.
    pub fn status_cache_live(&self) -> bool {
        if let Some(f) = &self.fast {
            return !f.is_closed() && f.cache_live();
        }
        self.pg_cache.as_ref().is_some_and(|pg| pg.is_live())
    }

    /// The public status answer of a dossier as `render` writes it, for the
    /// status lookup (the one status read of the service): from the answer
    /// cache when this store keeps one and the dossier (and its office) has
    /// not changed since `V` rendered it for `today`, else read, rendered
    /// and kept. `render` must depend only on the status and `today`.
    ///
    /// - An SQLite file: [`Store::status_cached`] (inline on this thread,
    ///   kept true by the change token and change log, `cache.rs`).
    /// - PostgreSQL: kept true by LISTEN/NOTIFY on the primary
    ///   (`listen.rs`); a miss reads a replica when one is fresh enough,
    ///   or the primary for a dossier changed within the last seconds.
    /// - In-memory SQLite, or [`Store::with_status_cache`]`(0)`: uncached.
    pub async fn status_answer<V: 'static>(
        &self,
        code: cancuoc_core::dossier::code::DossierCode,
        today: jiff::civil::Date,
        render: impl FnOnce(&DossierStatus) -> bytes::Bytes,
    ) -> Result<bytes::Bytes, StoreError> {
        if let Some(pg) = &self.pg_cache {
            return self
                .status_answer_pg(pg, code, today, std::any::TypeId::of::<V>(), render)
                .await;
        }
        // `render` is needed by one branch only; hand it over through an
        // Option so either can take it.
        let mut render = Some(render);
        let cached = self.status_cached::<V>(code, today, |s| match render.take() {
            Some(r) => r(s),
            None => bytes::Bytes::new(),
        });
        match cached {
            Some(answer) => answer,
            None => {
                let s = self.status_by_code(code).await?;
                Ok(render.take().map_or_else(bytes::Bytes::new, |r| r(&s)))
            }
        }
    }

    /// Where the citizens' accounts are kept: the accounts database of an
    /// SQLite file store, else the main one.
    fn accounts_db(&self) -> &Db {
        self.accounts.as_ref().unwrap_or(&self.db)
    }

    /// Where captcha challenges are kept: the side database of an SQLite
    /// file store, else the main one.
    fn captcha_db(&self) -> &Db {
        self.side.as_ref().unwrap_or(&self.db)
    }

    /// This store with a status answer cache of `capacity` answers (0: no
    /// cache, and on PostgreSQL no listener; the default is
    /// [`STATUS_CACHE_DEFAULT`]). SQLite files and PostgreSQL; call it
    /// right after [`Store::connect`] (this handle starts with an empty
    /// cache of its own; clones made before keep theirs).
    pub fn with_status_cache(mut self, capacity: usize) -> Self {
        self.fast = self.fast.map(|f| f.with_cache_capacity(capacity));
        if self.pg_cache.is_some() {
            self.pg_cache =
                (capacity > 0).then(|| std::sync::Arc::new(listen::PgCache::new(capacity)));
        }
        self
    }

    /// How many status answers the cache holds now (0 without a cache).
    pub fn status_cache_len(&self) -> usize {
        match (&self.fast, &self.pg_cache) {
            (Some(f), _) => f.cached_answers(),
            (None, Some(pg)) => pg.answers.len(),
            (None, None) => 0,
        }
    }

    /// The public status answer of a dossier as `render` writes it (the
    /// status lookup's body) on an SQLite file, inline on this thread:
    /// from the cache when no commit changed the dossier or its office
    /// since the same renderer `V` rendered it for the same `today` (see
    /// `cache.rs`: valid across processes, invalidated per dossier); else
    /// as [`Store::status_now`] reads it. Answers are cached per renderer
    /// type `V`: two front ends writing different bodies never share an
    /// entry. `render` must depend only on the status and `today`. `None`
    /// when this store has no such path (PostgreSQL, in-memory SQLite,
    /// closed): use [`Store::status_answer`] (PostgreSQL's cache) or
    /// [`Store::status_by_code`] then.
    pub fn status_cached<V: 'static>(
        &self,
        code: cancuoc_core::dossier::code::DossierCode,
        today: jiff::civil::Date,
        render: impl FnOnce(&DossierStatus) -> bytes::Bytes,
    ) -> Option<Result<bytes::Bytes, StoreError>> {
        let fast = self.fast.as_ref()?;
        if fast.is_closed() {
            return None;
        }
        Some(fast.status_cached(code, today, std::any::TypeId::of::<V>(), render))
    }

    /// The public status of a dossier read synchronously, inline on the
    /// calling thread (the status lookup's hot path on an SQLite file; see
    /// `read.rs`): the same answer as [`Store::status_by_code`], without the
    /// driver's thread handoffs. `None` when this store has no such path
    /// (PostgreSQL, in-memory SQLite, closed): use the async query then.
    pub fn status_now(
        &self,
        code: cancuoc_core::dossier::code::DossierCode,
    ) -> Option<Result<DossierStatus, StoreError>> {
        let fast = self.fast.as_ref()?;
        if fast.is_closed() {
            return None;
        }
        Some(fast.status(code))
    }

    /// Which database this store talks to.
    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// The pool, for health checks and tools.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Whether the database can serve, for readiness probes: it (and an
    /// SQLite file's side database) answers `SELECT 1`, and for an SQLite
    /// file its folder takes a write (see `db::probe_writable`), so a full
    /// disk or a read-only file or file system reads as not ready (an
    /// error for which [`StoreError::is_unavailable`] holds) rather than
    /// ready with every write failing.
    pub async fn ping(&self) -> Result<(), StoreError> {
        for db in self.pools() {
            db::with_pool!(db, |pool| {
                sqlx::query("SELECT 1").execute(pool).await?;
            });
        }
        if let Some(file) = &self.file {
            let file = file.clone();
            tokio::task::spawn_blocking(move || db::probe_writable(&file))
                .await
                .map_err(|e| StoreError::Database(sqlx::Error::Io(std::io::Error::other(e))))??;
        }
        Ok(())
    }

    /// Closes every connection (graceful shutdown).
    pub async fn close(&self) {
        if let Some(f) = &self.fast {
            f.close();
        }
        if let Some(pg) = &self.pg_cache {
            pg.stop();
        }
        if let Some(r) = &self.replicas {
            r.close().await;
        }
        for db in self.pools() {
            db::with_pool!(db, |pool| pool.close().await);
        }
    }

    /// The main pool, then an SQLite file's side database.
    fn pools(&self) -> impl Iterator<Item = &Db> {
        std::iter::once(&self.db)
            .chain(self.side.as_ref())
            .chain(self.accounts.as_ref())
    }
}
