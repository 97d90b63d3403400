//! One module per top-level subcommand.

pub mod calendar;
pub mod channels;
pub mod id;
pub mod import;
pub mod mrz;
pub mod officer;
pub mod qr;
pub mod rules;
pub mod seed;
pub mod serve;
