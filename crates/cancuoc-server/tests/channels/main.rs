//! The channels end to end through the router: the hotline's TwiML and
//! SCCO webhooks, the Zalo and Messenger webhooks with the inbox worker and
//! the dispatcher delivering to a fake provider API (a real HTTP listener
//! on loopback, `cancuoc_channels::fake`), and the notifications of a
//! dossier's stages. Each case runs on a fresh SQLite file and, with
//! `CANCUOC_TEST_PG_URL`, on a fresh PostgreSQL database.
//!
//! Every name, number and secret here is synthetic.

mod cases;
mod harness;

/// Declares `sqlite::NAME` and `postgres::NAME` tests for each case.
macro_rules! channel_cases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    cancuoc_testkit::on_sqlite("cancuoc_channels_test", crate::cases::$name).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    cancuoc_testkit::on_postgres(
                        concat!("postgres::", stringify!($name)),
                        "chan",
                        crate::cases::$name,
                    )
                    .await;
                }
            )*
        }
    };
}

channel_cases!(
    a_channel_without_secrets_is_not_found,
    the_hotline_reads_a_status_by_code,
    the_hotline_reads_a_status_by_id_number_and_birth_date,
    the_hotline_names_a_wrong_check_digit_and_hands_over_after_three,
    the_hotline_says_not_found_for_an_unknown_code,
    outside_opening_hours_the_operator_key_speaks_the_hours,
    a_twilio_request_with_a_bad_signature_is_refused,
    the_stringee_menu_walks_to_a_status,
    a_stringee_event_with_a_bad_signature_is_refused,
    zalo_answers_a_code_once_even_when_delivered_twice,
    a_zalo_event_with_a_bad_signature_changes_nothing,
    an_expired_zalo_token_is_refreshed_and_the_new_pair_kept,
    messenger_verifies_the_handshake,
    messenger_answers_without_the_code_and_ignores_echoes,
    asking_for_an_officer_puts_the_chat_in_the_inbox,
    a_failing_provider_is_retried_then_dead_lettered,
    notifications_follow_the_stages_exactly_once,
    a_dispatcher_crash_mid_delivery_sends_once,
    a_sender_asking_too_often_is_throttled,
    a_notice_by_zalo_goes_as_a_zns_template_where_configured,
    outside_hours_a_chat_waits_for_an_officer_while_the_bot_answers,
    only_reception_and_admins_answer_chats,
    an_overdue_dossier_gets_one_apology_with_a_new_date,
    zalos_verification_file_is_served_at_the_root_when_set,
);
