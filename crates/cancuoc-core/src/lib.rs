//! `cancuoc-core` is the pure domain library of cancuoc, the open implementation
//! of Vietnam's citizen identity card system (thẻ Căn cước công dân / thẻ Căn cước).
//!
//! It parses and explains what integrators read off a card — the 12-digit
//! personal identification number ([`id`]), the card's QR payload ([`qr`]), the
//! machine-readable zone ([`mrz`]) — and encodes the legal rules of issuance:
//! the Vietnamese lunar calendar and working days ([`calendar`]), legal regimes,
//! expiry, fees and deadlines ([`rules`]). It also holds the policies of
//! citizens' electronic identity accounts ([`account`]): levels, the
//! password rule, SMS one-time codes and their texts, temporary lockout.
//!
//! The crate does no IO: no files, network, clock or randomness of its own.
//! Time and keys come in as arguments; code tables and rule data are embedded at
//! compile time from `data/`. Every error a person may read has a stable code
//! and a message in Vietnamese and English ([`i18n::Localized`]).
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod account;
pub mod basis;
pub mod booking;
pub mod calendar;
pub mod card;
pub mod channel;
pub mod dossier;
pub mod i18n;
pub mod id;
pub mod lists;
pub mod mrz;
pub mod office;
pub mod person;
pub mod phone;
pub mod qr;
pub mod rules;
pub mod text;
