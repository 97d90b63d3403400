//! The keys of the signed QR (`cancuoc-seal`) as the pages use them: the
//! issuer's signing key (for the documents the office prints with a seal,
//! such as the confirmation of an old CMND number) and the public keys the
//! portal's verification page (`/xac-minh`) trusts.
//!
//! Set in [`crate::WebConfig::seal`]; `None` there means the office signs
//! nothing and the verification page can only decode (every seal shows as
//! not verified).

use cancuoc_seal::{SigningKey, VerifyingKey};

/// The signed-QR keys of the pages.
#[derive(Debug)]
pub struct SealKeys {
    /// The issuer's private key; `None` on a verifying-only site.
    pub signing: Option<SigningKey>,
    /// The public keys whose seals verify. [`SealKeys::new`] puts the
    /// signing key's public key first.
    pub trusted: Vec<VerifyingKey>,
    /// The issuer URI written in the `iss` claim of the seals this site
    /// makes (e.g. [`cancuoc_seal::DEFAULT_ISSUER`]).
    pub issuer: String,
}

impl SealKeys {
    /// The keys: `trusted` plus the public key of `signing` (first, once).
    pub fn new(
        signing: Option<SigningKey>,
        trusted: Vec<VerifyingKey>,
        issuer: impl Into<String>,
    ) -> SealKeys {
        let mut all = Vec::with_capacity(trusted.len() + 1);
        if let Some(key) = &signing {
            all.push(key.verifying_key().clone());
        }
        for key in trusted {
            if !all.contains(&key) {
                all.push(key);
            }
        }
        SealKeys {
            signing,
            trusted: all,
            issuer: issuer.into(),
        }
    }

    /// A signing key and its public key, with the default issuer URI.
    pub fn signing(key: SigningKey) -> SealKeys {
        SealKeys::new(Some(key), Vec::new(), cancuoc_seal::DEFAULT_ISSUER)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signing_key_is_trusted_once() {
        let key = SigningKey::from_seed(&[7; 32]);
        let public = key.verifying_key().clone();
        let other = SigningKey::from_seed(&[9; 32]).verifying_key().clone();
        let keys = SealKeys::new(Some(key), vec![other.clone(), public.clone()], "x");
        assert_eq!(keys.trusted, vec![public, other]);
        let none = SealKeys::new(None, Vec::new(), "x");
        assert!(none.trusted.is_empty());
    }
}
