//! API tests through the router without a socket (`tower::ServiceExt::oneshot`):
//! every route, every role and office scope allowed and refused, the
//! problem+json shape, the OpenAPI spec, and one dossier walked through the
//! whole workflow. Each case runs on a fresh SQLite file, and on a fresh
//! PostgreSQL database when `CANCUOC_TEST_PG_URL` is set (see
//! `scripts/pg-test-server.sh`); without it the PostgreSQL variants print a
//! skip line and pass.
//!
//! Every name, number and address here is synthetic.

mod cases;
mod world;

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
    let dir: PathBuf = std::env::temp_dir().join(unique("cancuoc_api_test"));
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
        eprintln!(
            "SKIP postgres::{name}: CANCUOC_TEST_PG_URL is not set (scripts/pg-test-server.sh start)"
        );
        return;
    };
    let db = unique("api");
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

/// Declares `sqlite::NAME` and `postgres::NAME` tests for each case.
macro_rules! api_cases {
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

api_cases!(
    probes_spec_and_docs,
    problem_documents_and_request_ids,
    handler_timeout,
    bearer_tokens,
    public_status,
    status_cache_answers_as_uncached,
    offices_and_rules,
    citizens_register_search_get,
    dossiers_open_read_list_scope,
    deadline_watch,
    workflow_walk_received_to_returned,
    concurrency_and_idempotency,
    web_home_language_and_errors,
    web_console_login_sessions_csrf,
    web_console_idle_timeout_throttle_deactivation,
    web_console_reception_and_dossier_walk,
    web_console_refusals_and_stale_pages,
    web_booking_flow_vi_en,
    web_booking_closed_days_and_full_slots,
    web_booking_manage_cancel_move,
    web_booking_officer_list,
    web_declaration_validation_and_draft,
    web_booking_console_day_list,
    web_reception_marks_booking_received,
    web_booking_provinces_by_name,
    web_citizen_status_lookup,
    web_citizen_captcha_expiry_and_alternatives,
    web_citizen_rate_limit_and_test_hook,
    web_citizen_offices,
    web_citizen_procedures,
    web_citizen_id_decoder,
    web_queues_roles_see_their_work_in_their_scope,
    web_queues_days_left_follow_the_calendar,
    web_queues_bulk_print_and_dispatch,
    web_queues_pages,
    web_dashboard_counts_chart_and_late_list,
);
