//! API tests through the router without a socket (`tower::ServiceExt::oneshot`):
//! every route, every role and office scope allowed and refused, the
//! problem+json shape, the OpenAPI spec, and one dossier walked through the
//! whole workflow. Each case runs on a fresh SQLite file, and on a fresh
//! PostgreSQL database when `CANCUOC_TEST_PG_URL` is set (see
//! `scripts/pg-test-server.sh`; both from `cancuoc-testkit`); without it the
//! PostgreSQL variants print a skip line and pass, unless
//! `CANCUOC_REQUIRE_PG` is set, as CI sets it.
//!
//! Every name, number and address here is synthetic.

mod cases;
mod world;

/// Declares `sqlite::NAME` and `postgres::NAME` tests for each case.
macro_rules! api_cases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    cancuoc_testkit::on_sqlite("cancuoc_api_test", crate::cases::$name).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    cancuoc_testkit::on_postgres(
                        concat!("postgres::", stringify!($name)),
                        "api",
                        crate::cases::$name,
                    )
                    .await;
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
