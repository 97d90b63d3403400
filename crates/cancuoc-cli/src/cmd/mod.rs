//! One module per top-level subcommand.

pub mod backup;
pub mod calendar;
pub mod card;
pub mod channels;
pub mod check;
pub mod chip;
pub mod id;
pub mod import;
pub mod mrz;
pub mod officer;
pub mod pki;
pub mod qr;
pub mod rules;
pub mod seed;
pub mod serve;
