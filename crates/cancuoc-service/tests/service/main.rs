//! The use cases through `Service`, over a real store: opening a dossier
//! (fee, deadlines, the capture and the appointment in one go, a retry
//! under the same key), transitions (who may, stale versions), the capture
//! as an event, appointments (booking, moving, receiving) and console
//! logins, citizens' identity accounts. Each case runs on a fresh SQLite file, and on a fresh
//! PostgreSQL database when `CANCUOC_TEST_PG_URL` is set (`cancuoc-testkit`).
//! Every name and number is synthetic.

mod accounts;
mod booking;
mod cards;
mod confirmations;
mod dossiers;
mod logins;
mod structure;

use cancuoc_core::id::alloc::Allocator;
use cancuoc_service::{Service, fixed_clock};
use cancuoc_store::Store;
use cancuoc_testkit::world::{World, world};

/// 2026-11-23 09:00 in Vietnam (a Monday), as an instant.
pub const NOW: &str = "2026-11-23T02:00:00Z";
/// Epoch seconds of [`NOW`].
pub const T0: i64 = 1_795_399_200;

/// The shared world in `store`, and a service over it whose clock stands
/// at [`NOW`].
pub async fn setup(store: Store) -> (World, Service) {
    setup_at(store, NOW).await
}

/// [`setup`] with the clock at `now`.
pub async fn setup_at(store: Store, now: &str) -> (World, Service) {
    let w = world(store.clone(), T0).await;
    let svc = Service::new(
        store,
        Allocator::new([9; 16]),
        fixed_clock(now.parse().expect("instant")),
    )
    .await
    .expect("service");
    (w, svc)
}

/// Declares `sqlite::NAME` and `postgres::NAME` tests for each case.
macro_rules! service_cases {
    ($($module:ident :: $name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    cancuoc_testkit::on_sqlite("cancuoc_service_test", crate::$module::$name).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    cancuoc_testkit::on_postgres(
                        concat!("postgres::", stringify!($name)),
                        "svc",
                        crate::$module::$name,
                    )
                    .await;
                }
            )*
        }
    };
}

service_cases!(
    confirmations::a_portal_request_is_approved_and_the_status_lookup_says_so,
    confirmations::an_approval_the_record_does_not_hold_is_refused_and_a_refusal_needs_a_reason,
    confirmations::the_due_date_is_seven_working_days_over_tet,
    confirmations::a_portal_request_needs_a_solved_captcha_and_an_office_that_receives,
    cards::a_printed_dossier_has_its_card_with_the_exact_mrz_and_qr,
    cards::without_a_personalizer_the_card_has_no_chip_digest,
    cards::a_returned_card_is_active_and_the_previous_one_replaced,
    cards::a_card_reported_lost_is_lost_at_once,
    cards::a_card_is_valid_through_its_expiry_then_must_be_renewed,
    cards::an_unknown_card_is_unknown_and_lookups_are_rated,
    accounts::a_citizen_registers_logs_in_and_sees_their_data,
    accounts::the_holder_reports_their_own_card_lost,
    accounts::registration_answers_alike_whatever_matched,
    accounts::five_wrong_codes_kill_the_challenge_and_a_code_is_single_use,
    accounts::a_code_lives_120_seconds_and_a_new_one_waits_60,
    accounts::a_number_gets_five_login_codes_an_hour_whatever_strangers_type,
    accounts::a_locked_account_answers_like_a_wrong_password_and_gets_no_code,
    accounts::password_guesses_and_code_guesses_are_counted_apart,
    accounts::a_forgotten_password_is_reset_in_three_steps,
    accounts::level_two_is_granted_in_person_by_reception_only,
    accounts::the_card_handed_over_brings_level_two_when_asked_for,
    accounts::a_blocked_number_is_refused_alike_whatever_matched,
    accounts::the_figures_count_account_logins_by_outcome,
    dossiers::opening_prices_and_schedules_from_the_rules,
    dossiers::opening_keeps_capture_fee_and_appointment_together,
    dossiers::opening_twice_under_one_key_opens_once,
    dossiers::only_reception_opens_dossiers,
    dossiers::a_transition_outside_the_officers_scope_is_forbidden,
    dossiers::a_transition_on_a_stale_version_is_a_conflict,
    dossiers::the_capture_is_an_event_and_needs_the_desk,
    dossiers::an_exemption_is_checked_against_the_applicant_and_keeps_its_document,
    booking::booking_takes_a_seat_of_an_offered_slot_only,
    booking::moving_and_cancelling_need_the_phone,
    booking::reception_receives_its_own_appointments_once,
    booking::a_client_cannot_hoard_a_days_seats,
    booking::a_form_sent_twice_books_once_and_both_get_the_booking,
    booking::a_form_cut_after_its_challenge_was_spent_gets_its_booking,
    booking::guesses_sent_at_once_get_one_verdict,
    booking::concurrent_bookings_of_one_phone_stop_at_the_cap,
    booking::cancelled_appointments_free_the_cap,
    booking::concurrent_phone_guesses_of_a_code_stop_at_five,
    structure::a_commune_police_unit_takes_bookings_and_an_ended_district_does_not,
    structure::a_unit_is_offered_only_from_the_day_it_opens,
    structure::the_offices_in_force_follow_the_date,
    logins::concurrent_wrong_passwords_reach_the_check_only_up_to_the_limit,
    logins::an_attacker_cannot_lock_the_officer_out_but_is_locked_out,
    logins::one_address_is_refused_after_twenty_failures_across_login_names,
);

#[test]
fn the_clock_constant_is_the_instant() {
    let at: jiff::Timestamp = NOW.parse().expect("instant");
    assert_eq!(at.as_second(), T0);
}
