//! The status answer cache of a PostgreSQL store (bộ nhớ đệm tra cứu trên
//! PostgreSQL), kept true by LISTEN/NOTIFY: [`crate::Store::status_answer`].
//!
//! Migration 0020's triggers announce on the channel `cancuoc_status`, when
//! a dossier's public answer changes, its code (or `*` when an office's
//! name or hotline changed: every answer). NOTIFY is transactional, so the
//! announcement arrives when the change is committed and visible, whoever
//! committed it: this server, another server on the same database, a
//! `psql` session. A task per store listens on its own connection to the
//! **primary** (a hot standby cannot LISTEN) and drops the answers named;
//! the answer map, its generation check against lookups racing a change
//! and its counters are the SQLite file's (`cache.rs`). The store's own
//! transitions also drop their dossier's answers as soon as they commit
//! (`Store::note_status_change`), so a server reads its own writes at once.
//!
//! **Never stale because the listener is.** The cache is only used while
//! the listener is connected and listening ([`PgCache::is_live`]); before
//! that, and from the moment its connection is lost until it is back,
//! lookups read the database and keep nothing. On (re)connecting, after
//! LISTEN took effect, the whole map is emptied: changes made while no one
//! listened were not announced to it. A lost connection (the server
//! restarted, the backend terminated, the network cut) empties it too, and
//! the generation bump refuses any answer read before.
//!
//! **Replicas lag.** A replica may still show a dossier's old state after
//! the primary announced its change. For [`PRIMARY_WINDOW`] after a
//! dossier's announcement (after an office's, or the listener's
//! (re)connection, for every dossier), its lookups read the primary, so
//! what they cache is never older than the change; other lookups read
//! as `Store::status_by_code` does (a replica within its lag bound, else
//! the primary, which also answers when the replica fails or lacks the
//! row).
//!
//! **What remains.** A lookup that starts after a commit but before its
//! announcement reached this task (sub-millisecond on loopback, a network
//! round trip across machines) can still be served the old answer, as a
//! lookup that started just before the commit would be. A connection that
//! died without the kernel noticing (no FIN, no RST: a cable cut) goes
//! unseen until TCP gives up; PostgreSQL's `tcp_keepalives_*` settings
//! bound that.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use bytes::Bytes;
use cancuoc_core::dossier::code::DossierCode;
use jiff::civil::Date;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions};
use tokio::sync::watch;

use crate::cache::AnswerCache;
use crate::error::StoreError;
use crate::model::dossier::DossierStatus;
use crate::{Db, Store};

/// The channel migration 0020's triggers notify.
const CHANNEL: &str = "cancuoc_status";

/// The `application_name` of the listener's connection (so an operator,
/// or a test, can tell it apart in `pg_stat_activity`).
pub const STATUS_LISTENER_APPLICATION: &str = "cancuoc-status-listener";

/// How long after a dossier's change its lookups read the primary rather
/// than a replica: longer than the replica lag bound plus its check period
/// (`replica.rs`), so a replica still behind the change is never read for
/// it (past the bound, the replica is not used at all).
pub(crate) const PRIMARY_WINDOW: Duration = Duration::from_secs(10);

/// The first wait before connecting the listener again after a failure;
/// doubled after each further failure, up to [`RETRY_MAX`].
const RETRY_FIRST: Duration = Duration::from_millis(100);
/// The longest wait between two connection attempts.
const RETRY_MAX: Duration = Duration::from_secs(5);
/// How long one connection attempt of the listener may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How often the listener checks that the store's pool still connects to
/// the server it listens on.
const FOLLOW_EVERY: Duration = Duration::from_secs(1);
/// How many recently changed codes are kept before the expired ones are
/// swept out.
const RECENT_SWEEP: usize = 4096;

/// The dossiers changed within [`PRIMARY_WINDOW`].
#[derive(Debug, Default)]
struct Recent {
    /// When each dossier's change was heard.
    codes: HashMap<u64, Instant>,
    /// Until when every dossier counts as changed (an office's change, the
    /// listener's (re)connection).
    all_until: Option<Instant>,
}

/// The answer cache of a PostgreSQL store and the state of its listener.
#[derive(Debug)]
pub(crate) struct PgCache {
    pub(crate) answers: AnswerCache,
    /// The listener is connected and listening, and the map was emptied
    /// since it connected.
    live: AtomicBool,
    /// The listener task was spawned.
    started: AtomicBool,
    recent: Mutex<Recent>,
    /// `true` (or dropped, with this cache): the listener task ends.
    stop: watch::Sender<bool>,
}

impl PgCache {
    /// An empty cache of at most `capacity` answers, its listener not
    /// started.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            answers: AnswerCache::new(capacity),
            live: AtomicBool::new(false),
            started: AtomicBool::new(false),
            recent: Mutex::new(Recent::default()),
            stop: watch::channel(false).0,
        }
    }

    /// Starts the listener on its own connection to the primary behind
    /// `pool`, once (on the first lookup, so stores that never serve one,
    /// such as the CLI's, open no connection for it). Needs a tokio
    /// runtime; a closed store starts nothing.
    pub(crate) fn start(self: &Arc<Self>, pool: &PgPool) {
        if self.started.load(Ordering::Acquire) || *self.stop.borrow() {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        if self.started.swap(true, Ordering::AcqRel) {
            return;
        }
        runtime.spawn(listen(
            Arc::downgrade(self),
            pool.clone(),
            self.stop.subscribe(),
        ));
    }

    /// Whether lookups may be answered from the map now.
    pub(crate) fn is_live(&self) -> bool {
        self.live.load(Ordering::Acquire)
    }

    /// Ends the listener (the store is closing); the map is no longer used.
    pub(crate) fn stop(&self) {
        self.stop.send_replace(true);
        self.live.store(false, Ordering::Release);
        self.answers.flush();
    }

    /// The dossier `code`'s public answer changed: its answers are dropped
    /// and its lookups read the primary for [`PRIMARY_WINDOW`].
    ///
    /// Marked recent *before* the generation is bumped: a lookup whose
    /// ticket is newer than the bump then sees the mark and reads the
    /// primary (one with an older ticket keeps nothing).
    pub(crate) fn changed(&self, code: u64) {
        {
            let now = Instant::now();
            let mut recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
            recent.codes.insert(code, now);
            if recent.codes.len() > RECENT_SWEEP {
                recent
                    .codes
                    .retain(|_, at| now.duration_since(*at) < PRIMARY_WINDOW);
            }
        }
        self.answers.invalidate(&[code]);
    }

    /// Every answer may have changed (or changes may have been missed):
    /// all are dropped, and every lookup reads the primary for
    /// [`PRIMARY_WINDOW`].
    /// Marked before the flush, as in [`Self::changed`].
    fn changed_all(&self) {
        {
            let mut recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
            recent.codes.clear();
            recent.all_until = Some(Instant::now() + PRIMARY_WINDOW);
        }
        self.answers.flush();
    }

    /// Whether a lookup of `code` must read the primary (see
    /// [`PRIMARY_WINDOW`]).
    pub(crate) fn primary_only(&self, code: u64) -> bool {
        let now = Instant::now();
        let recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
        recent.all_until.is_some_and(|until| now < until)
            || recent
                .codes
                .get(&code)
                .is_some_and(|at| now.duration_since(*at) < PRIMARY_WINDOW)
    }

    /// One notification's payload: a dossier code, or `*` for all.
    fn notified(&self, payload: &str) {
        match payload.parse::<u64>() {
            Ok(code) => self.changed(code),
            // `*`, or anything this version does not know: all.
            Err(_) => self.changed_all(),
        }
    }

    /// The listener is listening again: what it may have missed is
    /// dropped, then the map may serve.
    fn went_live(&self) {
        self.changed_all();
        self.live.store(true, Ordering::Release);
    }

    /// The listener's connection was lost: the map is not used until it is
    /// back, and what it holds is dropped.
    fn went_dark(&self) {
        self.live.store(false, Ordering::Release);
        self.changed_all();
    }
}

/// A connection of its own to the server `opts` names (a pool of one, not
/// the store's: the listener holds it for as long as it listens),
/// listening on [`CHANNEL`].
async fn connect(opts: &PgConnectOptions) -> Result<(PgPool, PgListener), sqlx::Error> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(CONNECT_TIMEOUT)
        .idle_timeout(None)
        .max_lifetime(None)
        .connect_lazy_with(opts.clone().application_name(STATUS_LISTENER_APPLICATION));
    let mut listener = PgListener::connect_with(&pool).await?;
    // A lost connection is reported at once (`Ok(None)`), not after a
    // reconnection the task would not see.
    listener.eager_reconnect(false);
    listener.listen(CHANNEL).await?;
    Ok((pool, listener))
}

/// The listener task of `cache`: connects to the server the store's pool
/// `primary` connects to, marks the cache live, applies every
/// notification, and on a lost connection marks it dark and connects
/// again (waiting longer after each failure). When the pool is pointed at
/// another host (failover, `failover.rs`), the listener follows within
/// [`FOLLOW_EVERY`], as after a lost connection: the old server may still
/// answer but no longer hears the writes. Ends when the store is closed or
/// dropped (`stop`), holding the cache only while it applies a
/// notification.
async fn listen(cache: Weak<PgCache>, primary: PgPool, mut stop: watch::Receiver<bool>) {
    let mut retry = RETRY_FIRST;
    loop {
        let opts = primary.connect_options();
        let connected = tokio::select! {
            _ = stop.wait_for(|s| *s) => return,
            c = connect(&opts) => c,
        };
        let (pool, mut listener) = match connected {
            Ok(c) => c,
            Err(_) => {
                tokio::select! {
                    _ = stop.wait_for(|s| *s) => return,
                    () = tokio::time::sleep(retry) => {}
                }
                retry = (retry * 2).min(RETRY_MAX);
                continue;
            }
        };
        retry = RETRY_FIRST;
        match cache.upgrade() {
            Some(c) => c.went_live(),
            None => return,
        }
        let mut follow = tokio::time::interval(FOLLOW_EVERY);
        follow.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let stopped = loop {
            // `try_recv` is cancel safe (sqlx reads whole messages only),
            // so the other branches may interrupt it.
            let next = tokio::select! {
                _ = stop.wait_for(|s| *s) => break true,
                _ = follow.tick() => {
                    if Arc::ptr_eq(&opts, &primary.connect_options()) {
                        continue;
                    }
                    None
                }
                n = listener.try_recv() => Some(n),
            };
            let Some(c) = cache.upgrade() else {
                break true;
            };
            match next {
                Some(Ok(Some(n))) => c.notified(n.payload()),
                // Lost (`None`), failed, or the primary moved:
                // announcements may be missed from now on.
                Some(Ok(None) | Err(_)) | None => {
                    c.went_dark();
                    break false;
                }
            }
        };
        drop(listener);
        pool.close().await;
        if stopped {
            return;
        }
    }
}

impl Store {
    /// [`Store::status_answer`] on PostgreSQL with the answer cache `pg`:
    /// from the map while the listener is live, else read (see the module
    /// docs for where); kept when no change was heard during the read.
    pub(crate) async fn status_answer_pg(
        &self,
        pg: &Arc<PgCache>,
        code: DossierCode,
        today: Date,
        view: std::any::TypeId,
        render: impl FnOnce(&DossierStatus) -> Bytes,
    ) -> Result<Bytes, StoreError> {
        if let Db::Postgres(pool) = &self.db {
            pg.start(pool);
        }
        let number = code.to_u64();
        // Where a miss reads, asked after the ticket is taken (see
        // `PgCache::changed`): the primary for a code changed a moment
        // ago, else a fresh replica with the primary behind it when the
        // replica fails or lacks the row (`Store::status_by_code`).
        let read = |pg: &PgCache| {
            let primary = pg.primary_only(number);
            async move {
                if primary {
                    self.status_by_code_primary(code).await
                } else {
                    self.status_by_code(code).await
                }
            }
        };
        if !pg.is_live() {
            pg.answers.count_miss();
            return Ok(render(&read(pg).await?));
        }
        let key = (number, view);
        if let Some(body) = pg.answers.get(key, today) {
            return Ok(body);
        }
        // Taken on a miss, before the query: an announcement heard while
        // it runs refuses its answer (a hit needs no ticket).
        let ticket = pg.answers.ticket(number);
        let body = render(&read(pg).await?);
        pg.answers.put(key, today, body.clone(), ticket);
        Ok(body)
    }

    /// A write of this store changed dossier `code`'s public answer (or
    /// may have: called whether its transaction committed or not): on
    /// PostgreSQL its cached answers are dropped now rather than when the
    /// announcement arrives, so this server's next lookup shows its own
    /// write. SQLite files need nothing (the change log is read on the
    /// next lookup).
    pub(crate) fn note_status_change(&self, code: DossierCode) {
        if let Some(pg) = &self.pg_cache {
            pg.changed(code.to_u64());
        }
    }
}
