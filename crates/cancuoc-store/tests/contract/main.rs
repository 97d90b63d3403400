//! The store contract suite: one set of test functions, each taking a fresh
//! [`Store`], run on SQLite (a new temporary file per test) and on
//! PostgreSQL (a new database per test) when `CANCUOC_TEST_PG_URL` is set,
//! both from `cancuoc-testkit`.
//! Without the variable the PostgreSQL variants print a skip line and pass,
//! unless `CANCUOC_REQUIRE_PG` is set (CI sets both; see
//! `scripts/pg-test-server.sh`).
//!
//! Every name, number and address here is synthetic.

mod cases;
mod fixtures;

use std::path::PathBuf;

/// Declares `sqlite::NAME` and `postgres::NAME` tests for each case in
/// `cases`.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    cancuoc_testkit::on_sqlite("cancuoc_store_test", crate::cases::$name).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    cancuoc_testkit::on_postgres(
                        concat!("postgres::", stringify!($name)),
                        "t",
                        crate::cases::$name,
                    )
                    .await;
                }
            )*
        }
    };
}

contract!(
    offices_and_tree,
    an_office_keeps_the_period_it_is_in_force,
    office_errors,
    officers_and_tokens,
    register_and_get_citizen,
    duplicate_personal_id_conflicts,
    search_by_name_key_and_dob,
    a_read_within_scope_is_audited_with_who_and_why,
    a_read_outside_scope_returns_nothing_and_is_audited,
    only_an_open_dossier_puts_a_citizen_in_scope,
    an_unknown_citizen_is_not_found_and_leaves_no_row,
    a_scoped_name_search_lists_only_citizens_in_scope_and_audits_each,
    a_scoped_search_applies_its_limit_after_the_scope,
    a_search_of_everyone_matches_the_plain_search,
    allocation_counter_in_same_transaction,
    allocation_exhaustion_rolls_back,
    assign_personal_id_later,
    bulk_insert_all_or_nothing,
    cards_issue_replace_lose,
    cards_printed_once_returned_active_previous_replaced,
    cards_a_printing_without_a_card_makes_none_and_cancel_voids,
    cards_reported_lost_at_once,
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
    opening_with_the_capture_is_one_transaction,
    the_exemption_document_seen_is_kept_with_the_fee,
    a_retry_under_the_same_key_opens_nothing_new,
    saving_the_capture_is_an_event_that_bumps_the_version,
    bulk_dossiers_with_logs,
    corrupt_urls_and_ping,
    queues_by_scope_urgency_and_pages,
    open_and_finished_timeliness_per_office,
    officer_logins,
    console_sessions_live_and_end,
    bookings_take_seats_and_refuse_when_full,
    a_booking_is_found_by_the_form_that_made_it_and_only_one_per_form,
    concurrent_last_seats_never_overbook,
    booking_lookup_cancel_and_move,
    declaration_draft_round_trip,
    opposite_concurrent_moves_never_fail_or_overbook,
    captcha_single_use_and_verdicts,
    captcha_concurrent_attempts_one_wins,
    captcha_audio_and_purge,
    captcha_spent_for_a_form_keeps_its_claim,
    captcha_concurrent_guesses_for_a_form_one_verdict,
    status_fast_path_matches,
    status_cache_follows_every_writer,
    status_cache_keys_by_date,
    status_cache_keeps_each_renderers_answer,
    status_cache_stays_within_its_bound,
    status_cache_keeps_other_dossiers_across_writes,
    status_cache_sees_another_servers_writes,
    status_cache_flushes_when_its_listener_is_lost,
    status_cache_listener_ends_with_its_store,
    reserve_id_ranges_are_disjoint,
    citizen_load_all_or_nothing,
    accounts_register_lock_and_end_sessions,
    level_two_before_registration_keeps_its_level,
    challenges_are_spent_once_under_concurrent_attempts,
    the_sms_ledger_counts_within_its_window,
    guardians_see_the_children_linked_to_them,
    account_traffic_leaves_the_status_cache_warm,
    a_lock_ends_pending_codes_and_an_officer_lock_takes_over,
    channels_inbound_is_stored_once_and_claimed_again_after_a_crash,
    channels_finish_a_message_twice_and_answer_it_once,
    channels_officers_answer_only_conversations_handed_to_them,
    channels_outbox_retries_buries_and_revives,
    channels_a_step_of_a_consented_dossier_writes_one_notice,
    channels_overdue_sweep_writes_each_notice_once,
    channels_counts_per_channel,
    channels_chat_traffic_leaves_the_status_cache_warm,
    confirmations_request_queue_approve_and_status,
    confirmations_approval_needs_the_number_on_record,
    confirmations_two_decisions_are_one,
    confirmation_codes_never_collide_with_dossier_codes,
    integrity_check_passes_then_names_each_tampering,
    append_only_tables_are_partitioned_by_month_on_postgres,
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
