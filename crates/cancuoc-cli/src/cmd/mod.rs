//! One module per top-level subcommand.

pub mod calendar;
pub mod id;
pub mod mrz;
pub mod qr;
pub mod rules;
