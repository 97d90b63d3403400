//! The use cases (nghiệp vụ), one module per resource. Each public method
//! opens one transaction (or runs one statement) and is written once for
//! both databases through [`crate::db::with_pool!`].

mod accounts;
mod bookings;
mod bulk;
mod captcha;
mod cards;
pub(crate) mod channels;
pub(crate) mod check;
mod citizen_access;
pub(crate) mod citizen_load;
mod citizens;
pub(crate) mod confirmations;
mod counters;
mod dossiers;
pub(crate) mod gauges;
mod officers;
mod offices;
pub(crate) mod partitions;
mod person_status;
mod queues;
mod sessions;
mod stats;
mod transitions;

/// Appends one audit-log row (nhật ký kiểm tra) inside an open transaction.
/// `details` must already be masked: no full personal ID numbers.
macro_rules! audit {
    ($tx:expr, $at:expr, $officer:expr, $action:expr, $target:expr, $details:expr) => {
        sqlx::query(
            "INSERT INTO audit_log (at, officer_id, action, target, details) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind($at)
        .bind($officer)
        .bind($action)
        .bind($target)
        .bind($details)
        .execute(&mut *$tx)
        .await?
    };
}
pub(crate) use audit;

/// The open states in which the offices' deadline is not running
/// (`State::deadline_running` false, not terminal), as an SQL list: only
/// booked, or the card ready for pickup or posted. An open dossier in one
/// of them is never overdue nor at risk. A literal for `concat!`; the test
/// below keeps it equal to the core's rule.
macro_rules! deadline_stopped_open_states {
    () => {
        "('booked', 'ready_for_pickup', 'posted')"
    };
}
pub(crate) use deadline_stopped_open_states;

/// Caps a caller's page size.
pub(crate) fn cap_limit(limit: u32) -> i64 {
    i64::from(limit.clamp(1, 500))
}

#[cfg(test)]
mod deadline_tests {
    use cancuoc_core::dossier::workflow::State;

    #[test]
    fn the_sql_list_of_stopped_open_states_is_the_cores() {
        let want: Vec<String> = State::ALL
            .iter()
            .filter(|s| !s.is_terminal() && !s.deadline_running())
            .map(|s| format!("'{}'", s.code()))
            .collect();
        assert_eq!(
            deadline_stopped_open_states!(),
            format!("({})", want.join(", "))
        );
    }
}
