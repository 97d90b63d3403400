//! The signed, offline-verifiable QR of cancuoc (mã QR có chữ ký số): a
//! profile of MOSIP Claim 169 for the citizen identity card and for the
//! confirmation of an old CMND number, signed with Ed25519.
//!
//! The card's own QR is unsigned text anyone can forge; this seal is what a
//! bank, a telecom or a hospital can check offline with the issuer's public
//! key. It goes on the confirmation's printout, on the e-card PDF or a slip,
//! not on the card's 18 mm QR square (too small for it at ECC Q).
//!
//! # Pipeline
//!
//! identity data (claim 169, a CBOR map) → CWT claims `{1 iss, 4 exp,
//! 6 iat, 169}` → COSE_Sign1 (protected header `{1: -8 EdDSA, 4: kid}`,
//! tag 18) → zlib (RFC 1950, best compression) → base45 (RFC 9285) → QR in
//! **alphanumeric mode, ECC level Q** (the EU DCC's recommendation; base45's
//! alphabet is exactly the QR alphanumeric set). The signed specimen card
//! ([`cancuoc_core::card::Card::sample`]) is 578 characters: QR version 19
//! at ECC Q, 93 × 93 modules (`tests/seal.rs` measures it) — about 35 mm
//! wide on paper for a phone camera, so not the card's 18 mm square.
//!
//! Read side: a CWT tag 61 around the COSE and the tag 18 are both
//! optional; the kid may be in the protected or the unprotected header; the
//! algorithm must be EdDSA in the protected header. Base45 is strict (any
//! character outside the alphabet is an error naming its position), the
//! zlib stream must be complete, checksummed and followed by nothing, and
//! it may expand to at most [`MAX_DECOMPRESSED`] bytes. Brotli (allowed by
//! Claim 169 1.2.2) and COSE_Encrypt0 are refused. The signature is checked
//! before the claims are interpreted.
//!
//! # The cancuoc profile
//!
//! CWT claims: `1 iss` a URI naming the issuer (e.g.
//! `https://cancuoc.example/issuer`, configurable), `6 iat` the signing
//! time, `4 exp` the end (23:59:59, UTC+7) of the card's expiry day —
//! absent for a card without expiry and for a confirmation — and `169` the
//! identity data:
//!
//! | key | Claim 169 name | cancuoc field | form |
//! |----:|----------------|---------------|------|
//! | 1 | ID | personal ID (số định danh cá nhân) | 12 digits |
//! | 2 | Version | — | `"1.0"` |
//! | 3 | Language | — | `"vie"` (ISO 639-3) |
//! | 4 | Full Name | full name as printed | text (NFC) |
//! | 7 | Last Name | surname (họ), only when given explicitly | text |
//! | 8 | Date of Birth | date of birth | `YYYYMMDD` |
//! | 9 | Gender | sex | 1 male, 2 female |
//! | 10 | Address | place of residence (nơi thường trú) | text, one line |
//! | 13 | Nationality | nationality | `"VNM"` (ISO 3166-1 alpha-3) |
//! | 23 | Country of issuance | — | `"VNM"` |
//! | 75 | *private* | place of origin (quê quán) | text |
//! | 76 | *private* | old CMND number (số CMND cũ) | 9 or 12 digits |
//! | 77 | *private* | issue date (ngày cấp) | `YYYYMMDD` |
//! | 78 | *private* | printed expiry (có giá trị đến) | `YYYYMMDD` or `"none"` |
//! | 79 | *private* | ethnicity (dân tộc) | text |
//! | 80 | *private* | religion (tôn giáo) | text |
//! | 81 | *private* | card model | `"2021"` (CCCD) or `"2024"` (Căn cước) |
//! | 82 | *private* | document kind | `"card"` or `"cmnd-confirmation"` |
//! | 83 | *private* | dossier code of the confirmation (mã hồ sơ) | 16 digits |
//! | 84 | *private* | place of birth registration (nơi đăng ký khai sinh) | text |
//! | 85 | *private* | day the confirmation was decided | `YYYYMMDD` |
//! | 86 | *private* | confirming office | text |
//!
//! Keys 75–99 are unassigned in Claim 169 1.2.2 and "may be used only in
//! closed ecosystems": a foreign Claim 169 reader shows them as unknown
//! keys, which it must tolerate. Not written: given and middle names (5, 6:
//! the card has one name field, and compound surnames such as *Tôn Nữ* make
//! a split a guess), the photo and biometrics (too large for a legible QR),
//! identifying features and family names (on the chip, not needed to check
//! a card). A card's kind-82 seal carries 1, 4, 8, 9, 10, 77, 78, 81, 82
//! always; a confirmation carries 1, 4, 8, 76, 82, 83, 85, 86.
//!
//! **Dates.** The Claim 169 table gives Date of Birth as `YYYYMMDD`, but
//! its worked example writes `"1984-04-18"`; this profile writes
//! `YYYYMMDD` (as the table and the `claim169` reference test vectors do)
//! and reads both.
//!
//! **Keys.** Ed25519 (RFC 8032); private keys as PKCS#8 `PRIVATE KEY` PEM,
//! public keys as SPKI `PUBLIC KEY` PEM (RFC 8410, what `openssl genpkey
//! -algorithm ed25519` writes). The kid is the first 8 bytes of SHA-256 of
//! the raw 32-byte public key.
//!
//! ```
//! use cancuoc_seal::{SigningKey, sign_card, verify, Document};
//! let key = SigningKey::generate().expect("OS randomness");
//! let card = cancuoc_core::card::Card::sample();
//! let now = jiff::Timestamp::from_second(1_750_000_000).expect("time");
//! let text = sign_card(&card, &key, "https://cancuoc.example/issuer", now).expect("sign");
//! let v = verify(&text, &[key.verifying_key().clone()], jiff::civil::date(2026, 1, 1)).expect("valid");
//! assert!(v.signature_ok && !v.expired);
//! assert!(matches!(v.document, Document::Card(ref c) if c.full_name == card.full_name));
//! ```

mod codec;
mod error;
mod keys;
pub mod profile;

pub use codec::{
    Decoded, MAX_DECOMPRESSED, Verified, decode_unverified, sign_card, sign_confirmation, verify,
};
pub use error::{SealError, Truncation};
pub use keys::{Kid, SigningKey, VerifyingKey};
pub use profile::{CardClaims, Confirmation, Document, Field, Identity};

/// The issuer URI used when none is configured.
pub const DEFAULT_ISSUER: &str = "https://cancuoc.example/issuer";
