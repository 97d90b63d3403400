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
    the_probes_answer_ok,
    the_spec_lists_exactly_the_documented_routes,
    the_spec_viewer_is_served_from_the_binary,
    an_unknown_route_is_a_problem_document,
    a_wrong_method_is_a_problem_document,
    a_request_id_is_generated_when_absent,
    a_given_request_id_is_echoed,
    a_body_that_is_not_json_is_a_bad_request,
    a_body_without_a_required_member_is_unprocessable,
    a_body_of_another_media_type_is_unsupported,
    a_body_over_the_limit_is_too_large,
    a_malformed_query_is_a_bad_request,
    a_malformed_path_is_a_bad_request,
    a_panic_is_a_generic_internal_error_naming_the_request_id,
    a_slow_handler_is_unavailable_with_a_request_id,
    the_status_route_outside_the_timeout_still_answers_problems,
    a_request_without_a_token_is_unauthorized_with_a_challenge,
    a_token_of_another_scheme_is_malformed,
    an_unknown_token_is_invalid,
    an_officers_token_is_accepted,
    a_deactivated_officers_token_stops_working,
    every_officer_route_refuses_without_a_token,
    the_public_status_shows_only_the_public_fields,
    the_public_status_reads_a_code_as_printed_on_the_slip,
    a_status_code_with_a_wrong_check_digit_is_refused_in_both_languages,
    a_status_code_with_a_non_digit_is_refused,
    a_status_code_of_the_wrong_length_is_refused,
    a_well_formed_status_code_nobody_was_given_is_not_found,
    the_office_list_shows_the_tree_with_opening_hours,
    the_fee_for_a_lost_card_comes_with_its_basis,
    a_first_issue_is_free,
    an_exemption_makes_a_reissue_free,
    the_fee_for_an_unknown_reason_is_refused,
    the_fee_on_an_impossible_date_is_refused,
    the_deadline_rule_gives_the_promised_date_and_its_stages,
    the_deadline_for_an_unknown_receiver_is_refused,
    the_expiry_rule_gives_the_day_of_the_next_renewal_age,
    the_expiry_for_a_malformed_date_of_birth_is_refused,
    eligibility_reads_a_year_only_date_of_birth_at_its_earliest_day,
    status_cache_answers_as_uncached,
    a_citizen_is_registered_with_the_number_given,
    a_citizen_registered_without_a_number_is_assigned_one,
    registering_without_a_number_or_a_birth_registration_code_is_refused,
    registering_a_number_already_on_record_is_a_conflict,
    registering_a_malformed_number_is_a_bad_request,
    registering_an_unknown_sex_is_a_bad_request,
    registering_an_impossible_date_of_birth_is_a_bad_request,
    roles_that_do_not_register_citizens_are_refused,
    the_citizen_search_ignores_diacritics_and_case,
    the_citizen_search_is_narrowed_by_the_year_of_birth,
    the_citizen_search_matches_inside_names_on_request,
    a_blank_citizen_search_is_refused,
    a_citizen_is_read_by_personal_id,
    an_unknown_personal_id_is_not_found,
    a_malformed_personal_id_in_the_path_is_a_bad_request,
    a_dossier_opens_received_with_its_code_promise_and_deadlines,
    opening_a_dossier_without_naming_the_citizen_is_a_bad_request,
    opening_a_dossier_for_an_unknown_reason_is_a_bad_request,
    opening_a_dossier_of_a_kind_its_reason_does_not_allow_is_refused,
    opening_a_dossier_for_an_unknown_citizen_is_not_found,
    roles_that_do_not_open_dossiers_are_refused,
    a_dossier_is_read_by_its_office_province_commune_centre_and_admin,
    another_district_cannot_read_a_dossier,
    reading_a_dossier_code_with_a_wrong_check_digit_is_a_bad_request,
    the_dossier_list_shows_the_own_office_by_default,
    the_dossier_list_pages_by_keyset,
    the_dossier_list_filters_by_state,
    an_unknown_state_in_the_dossier_list_is_a_bad_request,
    listing_another_districts_dossiers_is_refused,
    listing_the_dossiers_of_an_unknown_office_is_not_found,
    a_dossier_for_a_lost_card_opened_by_personal_id_is_a_reissue_with_a_fee,
    opening_a_dossier_with_a_refused_capture_names_the_rule_and_opens_nothing,
    a_new_dossier_has_no_capture_record,
    the_offices_reception_saves_a_capture_and_reads_it_back,
    another_district_cannot_save_a_capture,
    a_role_outside_reception_cannot_save_a_capture,
    a_capture_body_of_the_wrong_shape_is_refused,
    a_missing_finger_without_its_reason_is_refused,
    more_fingerprint_slots_than_thirteen_are_refused,
    blank_identifying_features_are_refused,
    the_deadline_watch_lists_late_and_at_risk_dossiers,
    the_public_status_of_a_late_dossier_says_overdue,
    the_province_reads_a_districts_deadline_watch,
    another_district_cannot_read_the_deadline_watch,
    the_deadline_watch_of_an_unknown_office_is_not_found,
    workflow_walk_received_to_returned,
    a_step_the_state_does_not_allow_is_refused,
    a_rejection_without_a_reason_is_refused,
    a_retry_under_the_same_key_returns_the_first_answer,
    the_same_key_for_another_request_is_refused,
    a_step_on_a_stale_version_is_refused_naming_that_version,
    two_officers_racing_on_one_version_exactly_one_wins,
    a_step_on_an_unknown_dossier_is_not_found,
    a_step_to_an_unknown_state_is_a_bad_request,
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
