//! The database handle (kết nối cơ sở dữ liệu): one [`Db`] enum over a typed
//! SQLite or PostgreSQL pool, the `with_pool!` macro that writes each query
//! body once for both, connection set-up and the embedded migrations.
//!
//! Why not sqlx's `Any` driver: it cannot bind dates, decodes booleans
//! differently per backend and emits `?` placeholders that PostgreSQL rejects
//! (see `CRATES.md`). Two typed pools behind one enum keep native types and
//! one SQL text: every statement uses `$1…$n`, which SQLite also accepts.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::PgPool;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::error::{Invalid, StoreError};

/// The pool behind a [`crate::Store`]: SQLite (embedded, the default) or
/// PostgreSQL.
#[derive(Clone, Debug)]
pub enum Db {
    /// An embedded SQLite database file (or `sqlite::memory:`).
    Sqlite(SqlitePool),
    /// A PostgreSQL server.
    Postgres(PgPool),
}

/// Runs `$body` once per backend with `$pool` bound to the typed pool and the
/// type alias `DB` set to `sqlx::Sqlite` or `sqlx::Postgres`, and the constant
/// `BEGIN_WRITE` set to the statement that opens a write transaction
/// (`BEGIN IMMEDIATE` on SQLite, so a transaction that reads before it
/// writes takes the write lock up front instead of failing with
/// `SQLITE_BUSY` when it upgrades; plain `BEGIN` on PostgreSQL), and the
/// constant `SQLITE` (whether the arm is SQLite), for the few statements
/// generated at run time (see [`placeholders`]).
///
/// The body is expanded twice, so it is type-checked against both drivers.
macro_rules! with_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => {
                #[allow(dead_code, clippy::upper_case_acronyms)]
                type DB = sqlx::Sqlite;
                #[allow(dead_code)]
                const BEGIN_WRITE: &str = "BEGIN IMMEDIATE";
                #[allow(dead_code)]
                const SQLITE: bool = true;
                $body
            }
            $crate::db::Db::Postgres($pool) => {
                #[allow(dead_code, clippy::upper_case_acronyms)]
                type DB = sqlx::Postgres;
                #[allow(dead_code)]
                const BEGIN_WRITE: &str = "BEGIN";
                #[allow(dead_code)]
                const SQLITE: bool = false;
                $body
            }
        }
    };
}
pub(crate) use with_pool;

/// Appends `rows` parenthesised tuples of `cols` placeholders to `sql`, for
/// multi-row INSERTs built at run time.
///
/// On SQLite they are anonymous `?`: SQLite looks a numbered parameter's
/// name up by a linear scan (`sqlite3_bind_parameter_name`), which the
/// driver calls once per parameter, so a statement with thousands of `$n`
/// costs quadratic time (measured: 91 % of a 10,000-row bulk insert).
/// PostgreSQL needs `$1…$n`.
pub(crate) fn placeholders(sql: &mut String, rows: usize, cols: usize, sqlite: bool) {
    let mut n = 0usize;
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..cols {
            if c > 0 {
                sql.push_str(", ");
            }
            n += 1;
            if sqlite {
                sql.push('?');
            } else {
                sql.push('$');
                sql.push_str(&n.to_string());
            }
        }
        sql.push(')');
    }
}

/// Which database a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite (`sqlite://path`, `sqlite:path`, `sqlite::memory:`).
    Sqlite,
    /// PostgreSQL (`postgres://…`, `postgresql://…`).
    Postgres,
}

impl Backend {
    /// The backend a database URL names, by its scheme.
    pub fn of_url(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(StoreError::Invalid(Invalid::Url {
                url: redact_url(url),
            }))
        }
    }
}

/// The URL with any password replaced by `***`, for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return url.to_owned();
    };
    let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
    let pass = if userinfo.contains(':') { ":***" } else { "" };
    let slash = if rest.contains('/') { "/" } else { "" };
    format!("{scheme}://{user}{pass}@{host}{slash}{path}")
}

/// How an SQLite file store makes a commit durable (bền vững): SQLite's
/// `synchronous` setting in WAL mode. PostgreSQL's own `synchronous_commit`
/// (server-side, `on` by default) plays this part there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous = FULL` (the default): every commit is synced to the
    /// disk before it is acknowledged, so an acknowledged officer write
    /// survives a power loss or a crash of the machine. Costs one WAL
    /// `fsync` per commit (`bench/durability.sh`).
    #[default]
    Full,
    /// `synchronous = NORMAL`: commits are synced at checkpoints only. A
    /// crash of the process loses nothing, but a power loss or a crash of
    /// the machine may lose the last commits (never corrupts). For
    /// throwaway and demo data, or a disk with a battery-backed cache.
    Normal,
}

impl Durability {
    /// The SQLite setting.
    pub(crate) fn synchronous(self) -> SqliteSynchronous {
        match self {
            Durability::Full => SqliteSynchronous::Full,
            Durability::Normal => SqliteSynchronous::Normal,
        }
    }

    /// The setting's word in settings files: `full` or `normal`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Durability::Full => "full",
            Durability::Normal => "normal",
        }
    }
}

impl std::str::FromStr for Durability {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Self, StoreError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "full" => Ok(Durability::Full),
            "normal" => Ok(Durability::Normal),
            _ => Err(StoreError::field(
                "sqlite_synchronous",
                format!("{s:?} is not \"full\" or \"normal\""),
            )),
        }
    }
}

/// Connections in a SQLite file pool. Readers run concurrently under WAL;
/// writers queue on `BEGIN IMMEDIATE` + busy timeout. Sized for the status
/// lookup hot path on a small machine: enough readers to keep every core
/// busy while one writer holds the lock.
fn sqlite_pool_size() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    u32::try_from((cores * 2).clamp(4, 16)).unwrap_or(4)
}

/// The memory map SQLite may use for the database file (the OS shares the
/// pages between connections; it is address space, not resident memory).
pub(crate) const SQLITE_MMAP_BYTES: u64 = 1 << 30;

/// How long a SQLite writer waits for the write lock before `SQLITE_BUSY`.
pub(crate) const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a caller waits for a pooled connection of an SQLite file before
/// the call fails with a database error: fail visibly rather than hang.
/// Longer than PostgreSQL's: writers hold their connection while they wait
/// up to [`SQLITE_BUSY_TIMEOUT`] for the write lock.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a caller waits for a PostgreSQL connection: a free one of the
/// pool, or a new one, which sqlx retries for as long as the server
/// refuses. While the server is down every request waits this long, then
/// answers "unavailable, try again" (503); a pool that stays busy this long
/// is overloaded, and shedding the request is the better answer too.
pub(crate) const PG_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(1);

/// How long [`connect`] waits for a PostgreSQL server that refuses, as one
/// started beside the service (a container, a reboot) does for a moment.
pub(crate) const PG_STARTUP_WAIT: Duration = Duration::from_secs(5);

/// The file of an SQLite URL, `None` for PostgreSQL and in-memory databases
/// (for the synchronous read path, see `crate::read`).
pub(crate) fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    if Backend::of_url(url).ok()? != Backend::Sqlite
        || url.contains(":memory:")
        || url.contains("mode=memory")
    {
        return None;
    }
    let opts = SqliteConnectOptions::from_str(url).ok()?;
    Some(opts.get_filename().to_path_buf())
}

/// The side database of an SQLite file store, beside the main file and
/// named after it (`cancuoc.db` → `cancuoc.captcha.db`); every store opened
/// on the file (the server, and CLI commands such as `seed`) opens it. It
/// holds the portal's captcha challenges, which every status page view
/// creates and every lookup spends: in the main file each would be a
/// commit, and a commit changes the WAL-index header the status answer
/// cache checks (see `cache.rs`), so every page view would make the next
/// lookup read the change log (when the cache emptied on any commit, before
/// that log, portal traffic would have emptied it).
pub(crate) fn side_file(main: &std::path::Path) -> std::path::PathBuf {
    let stem = main
        .file_stem()
        .map_or_else(|| "cancuoc".into(), |s| s.to_string_lossy().into_owned());
    main.with_file_name(format!("{stem}.captcha.db"))
}

/// How much [`probe_writable`] writes: a few pages and their WAL frames,
/// so a disk with less room than one small transaction reads as full.
const PROBE_BYTES: usize = 64 * 1024;

/// Whether the SQLite file `main` can take writes now: it opens for
/// writing (not a read-only file or file system), and its folder takes a
/// small file, synced and removed (not a full disk). A plain `SELECT 1`
/// answers on a full or read-only disk, and SQLite only says so on the
/// next commit; the readiness probe asks the file system instead, which
/// leaves the database and its WAL-index (and so the status cache) alone.
pub(crate) fn probe_writable(main: &std::path::Path) -> Result<(), StoreError> {
    use std::io::Write;
    let io = |e: std::io::Error| StoreError::Database(sqlx::Error::Io(e));
    std::fs::OpenOptions::new()
        .write(true)
        .open(main)
        .map_err(io)?;
    let probe = main.with_extension("ready-probe");
    let written = std::fs::File::create(&probe).and_then(|mut f| {
        f.write_all(&[0u8; PROBE_BYTES])?;
        f.sync_all()
    });
    let removed = std::fs::remove_file(&probe);
    written.map_err(io)?;
    removed.map_err(io)
}

/// The side database's schema: the captcha table of the main file's
/// migration, the one text of it (a later migration that changes the table
/// must change the side database too, as [`SIDE_SPOKEN`] and [`SIDE_CLAIM`] do). Challenges live minutes and are
/// purged an hour after expiry, so the side database has no migration
/// history of its own: the migration runs once, when the table is missing.
const SIDE_SCHEMA: &str = include_str!("../migrations/sqlite/0002_captcha.sql");

/// The main file's later change to the captcha table (the spoken
/// characters in place of a stored WAV), applied to a side database that
/// still has the old `audio` column.
const SIDE_SPOKEN: &str = include_str!("../migrations/sqlite/0009_captcha_spoken.sql");

/// The main file's change that keeps a solved challenge's claim (the form
/// it was spent for), applied to a side database without the column.
const SIDE_CLAIM: &str = include_str!("../migrations/sqlite/0022_captcha_claim.sql");

/// Opens (creating it when missing) the side database of the SQLite file
/// `main`: WAL, as the main file, so several server processes on one data
/// folder agree on every challenge. Always `synchronous = NORMAL`, whatever
/// the main file's [`Durability`]: a challenge lost to a power loss only
/// asks its citizen for a new one.
pub(crate) async fn connect_side(main: &std::path::Path) -> Result<Db, StoreError> {
    let opts = SqliteConnectOptions::new()
        .filename(side_file(main))
        .create_if_missing(true)
        .busy_timeout(SQLITE_BUSY_TIMEOUT)
        .synchronous(SqliteSynchronous::Normal)
        .journal_mode(SqliteJournalMode::Wal);
    let pool = file_pool(4).connect_with(opts).await?;
    let made: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master \
         WHERE type = 'table' AND name = 'captcha_challenges')",
    )
    .fetch_one(&pool)
    .await?;
    if !made {
        sqlx::raw_sql(SIDE_SCHEMA).execute(&pool).await?;
    }
    let old: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM pragma_table_info('captcha_challenges') \
         WHERE name = 'audio')",
    )
    .fetch_one(&pool)
    .await?;
    if old {
        sqlx::raw_sql(SIDE_SPOKEN).execute(&pool).await?;
    }
    let claims: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM pragma_table_info('captcha_challenges') \
         WHERE name = 'claim')",
    )
    .fetch_one(&pool)
    .await?;
    if !claims && let Err(e) = sqlx::raw_sql(SIDE_CLAIM).execute(&pool).await {
        // Another process opening the same folder may have added it
        // between the check and this statement: then it is there.
        let added: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM pragma_table_info('captcha_challenges') \
             WHERE name = 'claim')",
        )
        .fetch_one(&pool)
        .await?;
        if !added {
            return Err(e.into());
        }
    }
    Ok(Db::Sqlite(pool))
}

/// The accounts database's schema: the main file's migration of the
/// citizens' accounts, the one text of it. Applied once, when its tables
/// are missing; a later migration that changes these tables must be
/// applied here too (as [`SIDE_SPOKEN`] is to the side database).
const ACCOUNTS_SCHEMA: &str = include_str!("../migrations/sqlite/0015_accounts.sql");

/// The main file's migration of the citizens' channels, whose first part
/// (up to [`CHANNELS_SIDE_END`]) is the conversations' schema: the one text
/// of it, applied to the accounts database once, when its tables are
/// missing (see [`channels_side_schema`]).
const CHANNELS_SCHEMA: &str = include_str!("../migrations/sqlite/0017_channels.sql");

/// The line of [`CHANNELS_SCHEMA`] that ends the part kept in the accounts
/// database; what follows (the dossiers' notification consent) belongs to
/// the main file only.
pub(crate) const CHANNELS_SIDE_END: &str =
    "-- @@ end of the conversations' part (db::CHANNELS_SIDE_END) @@";

/// The channels' tables an SQLite file keeps in its accounts database:
/// the part of [`CHANNELS_SCHEMA`] before [`CHANNELS_SIDE_END`].
pub(crate) fn channels_side_schema() -> Result<&'static str, StoreError> {
    CHANNELS_SCHEMA
        .split_once(CHANNELS_SIDE_END)
        .map(|(side, _)| side)
        .ok_or_else(|| {
            StoreError::Database(sqlx::Error::Configuration(
                "migration 0017 has lost the end marker of its conversations' part".into(),
            ))
        })
}

/// The accounts database of the SQLite file `main`, beside it.
pub(crate) fn accounts_file(main: &std::path::Path) -> std::path::PathBuf {
    let stem = main
        .file_stem()
        .map_or_else(|| "cancuoc".into(), |s| s.to_string_lossy().into_owned());
    main.with_file_name(format!("{stem}.accounts.db"))
}

/// Opens (creating it when missing) the accounts database of the SQLite
/// file `main`: the citizens' identity accounts, their one-time-code
/// challenges, sessions and events, and the citizens' channels'
/// conversations (the inbox, the conversations and their transcript, the
/// lookups' audit, the channels' settings and the outbox of chat replies;
/// migration 0017's first part). A file of its own because every login and
/// every chat message writes, and a write to the main file moves the
/// token of the status answer cache (`cache.rs`): a login storm or a busy
/// chat would otherwise make lookups read the change log at every commit
/// (and emptied the cache before that log existed). The name stays `accounts` for the files
/// already deployed. WAL, synced as the main file ([`Durability`]:
/// password hashes and unsent replies are not expendable as captchas
/// are). Backups must copy it with the main file.
pub(crate) async fn connect_accounts(
    main: &std::path::Path,
    durability: Durability,
) -> Result<Db, StoreError> {
    let opts = SqliteConnectOptions::new()
        .filename(accounts_file(main))
        .create_if_missing(true)
        .busy_timeout(SQLITE_BUSY_TIMEOUT)
        .synchronous(durability.synchronous())
        .journal_mode(SqliteJournalMode::Wal);
    let pool = file_pool(4).connect_with(opts).await?;
    let made: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master \
         WHERE type = 'table' AND name = 'citizen_accounts')",
    )
    .fetch_one(&pool)
    .await?;
    if !made {
        sqlx::raw_sql(ACCOUNTS_SCHEMA).execute(&pool).await?;
    }
    let channels: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master \
         WHERE type = 'table' AND name = 'channel_inbox')",
    )
    .fetch_one(&pool)
    .await?;
    if !channels {
        sqlx::raw_sql(channels_side_schema()?)
            .execute(&pool)
            .await?;
    }
    Ok(Db::Sqlite(pool))
}

/// Empties the main file's `captcha_challenges` of an SQLite file store,
/// whose challenges now live in the side database: rows a version before
/// the side database left there would otherwise stay forever (the purge
/// runs on the side database). A challenge shown before the upgrade then
/// reads as unknown, and the page offers a new one. Reads first, so a
/// store opened on an already clean file takes no write lock.
pub(crate) async fn clear_main_captchas(db: &Db) -> Result<(), StoreError> {
    if let Db::Sqlite(pool) = db {
        let left: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM captcha_challenges)")
            .fetch_one(pool)
            .await?;
        if left {
            sqlx::query("DELETE FROM captcha_challenges")
                .execute(pool)
                .await?;
        }
    }
    Ok(())
}

/// The pool settings of an SQLite file, the main one or the side one: idle
/// connections closed after ten minutes, every connection renewed hourly,
/// and none handed out still inside a transaction (see
/// [`not_in_transaction`]).
fn file_pool(size: u32) -> SqlitePoolOptions {
    SqlitePoolOptions::new()
        .max_connections(size)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .idle_timeout(Some(Duration::from_secs(600)))
        .max_lifetime(Some(Duration::from_secs(3600)))
        .before_acquire(|conn, _| Box::pin(not_in_transaction(conn)))
}

/// The pool's check before it hands out a connection: one the driver still
/// counts inside a transaction is closed instead. That happens when the
/// database itself ended a transaction the driver then failed to roll
/// back: SQLite rolls back on "database or disk is full", the driver's own
/// ROLLBACK then fails ("no transaction is active") and its depth count
/// stays at one, and every later `begin` on that connection would fail
/// ("attempted to call begin_with at non-zero transaction depth") until a
/// restart. Closing it costs one reconnect; the pool opens a clean
/// connection in its place. Runs at acquire, after the pool's release
/// ping has flushed any pending rollback.
pub(crate) async fn not_in_transaction<C: sqlx::Connection>(
    conn: &mut C,
) -> Result<bool, sqlx::Error> {
    Ok(!conn.is_in_transaction())
}

/// How long a store opening an SQLite folder waits for another process
/// setting the same folder up (see [`setup_lock`]).
const SETUP_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// Holds the folder of the SQLite file `main` for the setting up of its
/// databases (migrations, side and accounts schemas) until dropped: an
/// advisory `flock` on the folder itself, so two server processes started
/// at once on a fresh folder do not both run the migrations (sqlx's
/// SQLite migrator takes no lock, and the second failed with "table …
/// already exists"). The folder, not a database file: a second descriptor
/// on a database file would release SQLite's own POSIX locks when closed.
/// `None` where a folder cannot be opened as a file (not on Linux).
pub(crate) async fn setup_lock(
    main: &std::path::Path,
) -> Result<Option<std::fs::File>, StoreError> {
    let dir = match main.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| StoreError::Database(e.into()))?;
    let Ok(folder) = std::fs::File::open(&dir) else {
        return Ok(None);
    };
    let started = std::time::Instant::now();
    loop {
        match folder.try_lock() {
            Ok(()) => return Ok(Some(folder)),
            Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < SETUP_LOCK_WAIT => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(StoreError::Database(sqlx::Error::Io(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!(
                        "another process has been setting up {} for over {} s",
                        dir.display(),
                        SETUP_LOCK_WAIT.as_secs()
                    ),
                ))));
            }
            // A file system without locks: set up unlocked, as before.
            Err(std::fs::TryLockError::Error(_)) => return Ok(None),
        }
    }
}

/// Opens the database a URL names and applies the embedded migrations;
/// for PostgreSQL also the primary's host list and watcher (see
/// `failover.rs`).
pub(crate) async fn connect(
    url: &str,
    durability: Durability,
) -> Result<(Db, Option<std::sync::Arc<crate::failover::Primary>>), StoreError> {
    match Backend::of_url(url)? {
        Backend::Sqlite => {
            let memory = url.contains(":memory:") || url.contains("mode=memory");
            let opts = SqliteConnectOptions::from_str(url)
                .map_err(|_| {
                    StoreError::Invalid(Invalid::Url {
                        url: redact_url(url),
                    })
                })?
                .create_if_missing(true)
                .foreign_keys(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .synchronous(durability.synchronous())
                .statement_cache_capacity(256)
                // Read pages through a memory map instead of a read()
                // syscall and copy per page (measured: most of a status
                // lookup's kernel time), and keep more of them per
                // connection.
                .pragma("mmap_size", SQLITE_MMAP_BYTES.to_string())
                .pragma("cache_size", "-8192")
                .pragma("temp_store", "memory");
            if !memory {
                // `sqlite://data/cancuoc.db` in a folder that does not exist
                // yet: make it, as `create_if_missing` makes the file.
                if let Some(dir) = opts.get_filename().parent()
                    && !dir.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(dir).map_err(|e| StoreError::Database(e.into()))?;
                }
            }
            let pool = if memory {
                // Every connection to `:memory:` is a separate database, and
                // it lives as long as its one connection.
                SqlitePoolOptions::new()
                    .max_connections(1)
                    .min_connections(1)
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .connect_with(opts)
                    .await?
            } else {
                file_pool(sqlite_pool_size())
                    .connect_with(opts.journal_mode(SqliteJournalMode::Wal))
                    .await?
            };
            sqlx::migrate!("migrations/sqlite").run(&pool).await?;
            Ok((Db::Sqlite(pool), None))
        }
        Backend::Postgres => {
            // One host, or a libpq-style host list (see `failover.rs`).
            let (pool, primary) = crate::failover::connect(url).await?;
            sqlx::migrate!("migrations/postgres").run(&pool).await?;
            Ok((Db::Postgres(pool), Some(primary)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords_only() {
        let cases = [
            (
                "postgres://u:secret@h:5432/db",
                "postgres://u:***@h:5432/db",
            ),
            ("postgres://u@h/db", "postgres://u@h/db"),
            ("sqlite://data/x.db", "sqlite://data/x.db"),
            ("postgres://u:p@h", "postgres://u:***@h"),
        ];
        for (url, want) in cases {
            assert_eq!(redact_url(url), want, "{url}");
        }
    }

    /// The tables a migration text creates, each with its column names.
    fn tables(sql: &str) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        let mut open = false;
        for line in sql.lines().map(str::trim) {
            if let Some(rest) = line.strip_prefix("CREATE TABLE ") {
                let name = rest.split_whitespace().next().expect("table name");
                out.push((name.to_owned(), Vec::new()));
                open = true;
            } else if line.starts_with(");") {
                open = false;
            } else if open
                && let Some(word) = line.split_whitespace().next()
                && !word.starts_with("--")
                && !matches!(word, "UNIQUE" | "CHECK" | "PRIMARY")
                && let Some(last) = out.last_mut()
            {
                last.1.push(word.to_owned());
            }
        }
        out
    }

    #[test]
    fn the_channels_side_part_is_the_conversations_tables_in_both_dialects() {
        let side = channels_side_schema().expect("marker");
        let names: Vec<String> = tables(side).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                "channel_inbox",
                "channel_conversations",
                "channel_messages",
                "channel_lookups",
                "channel_settings",
                "channel_outbox",
            ]
        );
        let rest = &CHANNELS_SCHEMA[side.len()..];
        let main_only: Vec<String> = tables(rest).into_iter().map(|(n, _)| n).collect();
        assert_eq!(main_only, ["dossier_notify"]);
        // The PostgreSQL text creates the same tables with the same
        // columns, split by the same marker.
        let pg = include_str!("../migrations/postgres/0017_channels.sql");
        assert!(pg.contains(CHANNELS_SIDE_END));
        assert_eq!(tables(pg), tables(CHANNELS_SCHEMA));
        assert_eq!(
            tables(CHANNELS_SCHEMA)[0].1,
            [
                "id",
                "channel",
                "message_id",
                "sender",
                "text",
                "received_at",
                "lease_until",
                "attempts",
                "handled_at",
            ]
        );
    }

    #[test]
    fn backend_by_scheme() {
        assert_eq!(
            Backend::of_url("sqlite::memory:").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::of_url("postgresql://x/y").ok(),
            Some(Backend::Postgres)
        );
        assert!(matches!(
            Backend::of_url("mysql://x/y"),
            Err(StoreError::Invalid(Invalid::Url { url })) if url == "mysql://x/y"
        ));
    }
}
