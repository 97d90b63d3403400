//! Test support shared by the workspace's test suites (never shipped): a
//! fresh store per test, on a new SQLite file or a new PostgreSQL database;
//! the shared synthetic world ([`world`]); the dependency checks of the
//! architecture ([`deps`]); a primary and hot standby to stop and promote
//! ([`cluster`]).
//!
//! PostgreSQL comes from `CANCUOC_TEST_PG_URL`, an admin URL on a
//! throwaway server (`scripts/pg-test-server.sh`). Without it a PostgreSQL
//! test prints a skip line and passes, unless `CANCUOC_REQUIRE_PG` is set,
//! as CI sets it, so that a missing server fails the run instead of
//! silently skipping half the suite. Each database is dropped when its
//! [`PgDatabase`] guard goes, even when the test panicked.

pub mod cluster;
pub mod deps;
pub mod faults;
pub mod world;

use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use cancuoc_store::Store;
use sqlx::Connection;

/// The variable naming the test PostgreSQL server (an admin URL).
pub const PG_URL_VAR: &str = "CANCUOC_TEST_PG_URL";
/// Set (by CI) to fail instead of skipping when there is no server.
pub const REQUIRE_PG_VAR: &str = "CANCUOC_REQUIRE_PG";

static SEQ: AtomicU32 = AtomicU32::new(0);

/// A name no other test of this run, or of a run beside it, uses:
/// `PREFIX_PID_SEQ_NANOS` (lower case, digits and `_`, so it is also a
/// valid unquoted PostgreSQL database name when `prefix` is).
pub fn unique(prefix: &str) -> String {
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

/// Runs `fut` to completion on a fresh thread with its own runtime, so it
/// can be called from synchronous code, from `Drop`, and from inside
/// another runtime alike.
fn on_own_thread<T: Send>(fut: impl Future<Output = T> + Send) -> T {
    std::thread::scope(|s| {
        s.spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a test runtime")
                .block_on(fut)
        })
        .join()
        .unwrap_or_else(|p| std::panic::resume_unwind(p))
    })
}

/// A fresh PostgreSQL database on the test server, dropped (with any
/// connection left to it) when this guard is dropped.
#[derive(Debug)]
pub struct PgDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl PgDatabase {
    /// Creates a database named from `prefix` for the test `test`, or
    /// returns `None` after printing a skip line when no server is
    /// configured. Panics when `CANCUOC_REQUIRE_PG` is set without a
    /// server, or when the server refuses.
    pub fn create(test: &str, prefix: &str) -> Option<PgDatabase> {
        let Ok(admin_url) = std::env::var(PG_URL_VAR) else {
            assert!(
                std::env::var_os(REQUIRE_PG_VAR).is_none(),
                "{REQUIRE_PG_VAR} is set but {PG_URL_VAR} is not"
            );
            eprintln!("SKIP {test}: {PG_URL_VAR} is not set (scripts/pg-test-server.sh start)");
            return None;
        };
        let name = unique(prefix);
        let sql = format!("CREATE DATABASE {name}");
        on_own_thread(async {
            let mut admin = sqlx::PgConnection::connect(&admin_url)
                .await
                .unwrap_or_else(|e| panic!("connect to {PG_URL_VAR}: {e}"));
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut admin)
                .await
                .unwrap_or_else(|e| panic!("create test database: {e}"));
        });
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(b, _)| b);
        let url = format!("{base}/{name}");
        Some(PgDatabase {
            admin_url,
            name,
            url,
        })
    }

    /// The URL of the new database.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        // FORCE ends connections a panicking test left open (PostgreSQL
        // 13+). A failure here only leaves a database on a throwaway server.
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        let admin_url = &self.admin_url;
        on_own_thread(async move {
            if let Ok(mut admin) = sqlx::PgConnection::connect(admin_url).await {
                let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                    .execute(&mut admin)
                    .await;
            }
        });
    }
}

/// Runs `case` on a store over a fresh SQLite file (under a temporary
/// folder named from `prefix`), removed afterwards.
pub async fn on_sqlite<F, Fut>(prefix: &str, case: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir: PathBuf = std::env::temp_dir().join(unique(prefix));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}", dir.join("test.db").display());
    let store = Store::connect(&url).await.expect("connect sqlite");
    case(store.clone()).await;
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `case` on a store over a fresh PostgreSQL database (named from
/// `prefix`), or prints a skip line for the test `test` (see
/// [`PgDatabase::create`]).
pub async fn on_postgres<F, Fut>(test: &str, prefix: &str, case: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let Some(db) = PgDatabase::create(test, prefix) else {
        return;
    };
    let store = Store::connect(db.url()).await.expect("connect postgres");
    case(store.clone()).await;
    store.close().await;
    drop(db);
}
