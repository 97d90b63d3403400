//! The store contract suite: one set of test functions, each taking a fresh
//! [`Store`], run on SQLite (a new temporary file per test) and on
//! PostgreSQL (a new database per test) when `CANCUOC_TEST_PG_URL` is set.
//! Without the variable the PostgreSQL variants print a skip line and pass,
//! unless `CANCUOC_REQUIRE_PG` is set (CI sets both; see
//! `scripts/pg-test-server.sh`).
//!
//! Every name, number and address here is synthetic.

mod cases;
mod fixtures;

use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use cancuoc_store::Store;
use sqlx::Connection;

static SEQ: AtomicU32 = AtomicU32::new(0);

fn unique(prefix: &str) -> String {
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

/// Runs `case` on a fresh SQLite file, removed afterwards.
pub async fn on_sqlite<F, Fut>(case: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir: PathBuf = std::env::temp_dir().join(unique("cancuoc_store_test"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}", dir.join("test.db").display());
    let store = Store::connect(&url).await.expect("connect sqlite");
    case(store.clone()).await;
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `case` on a fresh PostgreSQL database, or prints a skip line.
pub async fn on_postgres<F, Fut>(name: &str, case: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let Ok(admin_url) = std::env::var("CANCUOC_TEST_PG_URL") else {
        // CI sets CANCUOC_REQUIRE_PG=1 so a missing server fails instead of
        // silently skipping half the suite.
        assert!(
            std::env::var_os("CANCUOC_REQUIRE_PG").is_none(),
            "CANCUOC_REQUIRE_PG is set but CANCUOC_TEST_PG_URL is not"
        );
        eprintln!(
            "SKIP postgres::{name}: CANCUOC_TEST_PG_URL is not set (scripts/pg-test-server.sh start)"
        );
        return;
    };
    let db = unique("t");
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .expect("connect to CANCUOC_TEST_PG_URL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}")))
        .execute(&mut admin)
        .await
        .expect("create test database");
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url.as_str(), |(b, _)| b);
    let store = Store::connect(&format!("{base}/{db}"))
        .await
        .expect("connect postgres");
    case(store.clone()).await;
    store.close().await;
    let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {db}")))
        .execute(&mut admin)
        .await;
}

/// Declares `sqlite::NAME` and `postgres::NAME` tests for each case in
/// `cases`.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    crate::on_sqlite(crate::cases::$name).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    crate::on_postgres(stringify!($name), crate::cases::$name).await;
                }
            )*
        }
    };
}

contract!(
    offices_and_tree,
    office_errors,
    officers_and_tokens,
    register_and_get_citizen,
    duplicate_personal_id_conflicts,
    search_by_name_key_and_dob,
    allocation_counter_in_same_transaction,
    allocation_exhaustion_rolls_back,
    assign_personal_id_later,
    bulk_insert_all_or_nothing,
    cards_issue_replace_lose,
    create_and_get_dossier,
    random_codes_retry_on_collision,
    status_hot_path,
    list_dossiers_paged,
    full_walk_replays_to_stored_state,
    stale_version_conflicts,
    concurrent_transitions_one_wins,
    idempotent_retry,
    workflow_refusals,
    overdue_and_at_risk,
    stats_counts_and_audit,
    capture_round_trip,
    bulk_dossiers_with_logs,
    corrupt_urls_and_ping,
    queues_by_scope_urgency_and_pages,
    open_and_finished_timeliness_per_office,
    officer_logins,
    console_sessions_live_and_end,
    bookings_take_seats_and_refuse_when_full,
    concurrent_last_seats_never_overbook,
    booking_lookup_cancel_and_move,
    declaration_draft_round_trip,
    opposite_concurrent_moves_never_fail_or_overbook,
    captcha_single_use_and_verdicts,
    captcha_concurrent_attempts_one_wins,
    captcha_audio_and_purge,
    status_fast_path_matches,
    status_cache_follows_every_writer,
    status_cache_keys_by_date,
    status_cache_stays_within_its_bound,
    reserve_id_ranges_are_disjoint,
    citizen_load_all_or_nothing,
);

#[test]
fn migration_folders_have_the_same_versions() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let list = |dialect: &str| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(root.join(dialect))
            .expect("migrations folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let (sqlite, postgres) = (list("sqlite"), list("postgres"));
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "migrations/sqlite and migrations/postgres differ"
    );
}
