//! Officers (cán bộ) and their bearer tokens (mã truy cập).
//!
//! A token is 32 random bytes shown once, hex-encoded, when the officer is
//! added; only its SHA-256 is stored, so a leaked database does not leak
//! working tokens. Tokens carry 256 bits of entropy, so a fast unsalted hash
//! is enough (a slow password hash is for low-entropy passwords, which come
//! later with the portal).

use cancuoc_core::dossier::workflow::Role;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt;

/// The database id of an officer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct OfficerId(pub i64);

/// Input for [`crate::Store::add_officer`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOfficer {
    /// Họ và tên.
    pub name: String,
    /// Vai trò.
    pub role: Role,
    /// Đơn vị công tác: the office whose scope the officer acts in.
    pub office: u16,
}

/// A stored officer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Officer {
    /// Database id.
    pub id: OfficerId,
    /// Họ và tên.
    pub name: String,
    /// Vai trò.
    pub role: Role,
    /// Đơn vị công tác.
    pub office: u16,
    /// Whether the officer may act (đang hoạt động).
    pub active: bool,
    /// When the officer was added, epoch seconds.
    pub created_at: i64,
}

/// A plaintext bearer token (mã truy cập). `Debug` does not print it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// A fresh token from 32 bytes of the operating system's CSPRNG.
    pub fn generate() -> Self {
        let bytes: [u8; 32] = rand::random();
        Self(hex(&bytes))
    }
    /// Wraps a token presented by a client.
    pub fn from_presented(s: &str) -> Self {
        Self(s.trim().to_owned())
    }
    /// The token text, to hand to the officer once.
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// The stored form: hex SHA-256 of the token text.
    pub(crate) fn hash(&self) -> String {
        hex(&Sha256::digest(self.0.as_bytes()))
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// Lower-case hex. Hand-rolled: a dozen lines, not worth a dependency.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

/// An officer just added, with the token to hand over (shown only once).
#[derive(Clone, Debug)]
pub struct IssuedOfficer {
    /// The stored officer.
    pub officer: Officer,
    /// The plaintext token; only its hash is stored.
    pub token: Token,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_distinct_and_hashed() {
        let a = Token::generate();
        let b = Token::generate();
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 64);
        assert_eq!(a.hash().len(), 64);
        assert_ne!(a.hash(), a.expose());
        assert_eq!(format!("{a:?}"), "Token(<redacted>)");
        // Known SHA-256 vector.
        assert_eq!(
            Token::from_presented("abc").hash(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
