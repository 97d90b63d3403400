//! The contract cases, by area. Each takes a fresh store and checks one use
//! case: happy path, the error it must give, and what must not change.

mod accounts;
mod booking_moves;
mod bookings;
mod cache;
mod captcha;
mod cards;
mod channels;
mod citizen_access;
mod confirmations;
mod console;
mod dossiers;
mod integrity;
mod load;
mod office_periods;
mod opening;
mod perf;
mod queues;
mod registry;
mod workflow;

pub use accounts::*;
pub use booking_moves::*;
pub use bookings::*;
pub use cache::*;
pub use captcha::*;
pub use cards::*;
pub use channels::*;
pub use citizen_access::*;
pub use confirmations::*;
pub use console::*;
pub use dossiers::*;
pub use integrity::*;
pub use load::*;
pub use office_periods::*;
pub use opening::*;
pub use perf::*;
pub use queues::*;
pub use registry::*;
pub use workflow::*;

use cancuoc_store::{Conflict, Entity, StoreError};

/// The synthetic allocator key of the tests.
pub const KEY: [u8; 16] = *b"test-key-synthe!";

fn assert_not_found<T: std::fmt::Debug>(r: Result<T, StoreError>, what: Entity) {
    match r {
        Err(StoreError::NotFound { what: w, .. }) => assert_eq!(w, what),
        other => panic!("expected NotFound({what:?}), got {other:?}"),
    }
}

fn assert_duplicate<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    match r {
        Err(StoreError::Conflict(Conflict::Duplicate { .. })) => {}
        other => panic!("expected Conflict::Duplicate, got {other:?}"),
    }
}
