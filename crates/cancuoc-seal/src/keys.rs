//! Ed25519 keys of the seal: generation, PEM files (PKCS#8 `PRIVATE KEY`,
//! SPKI `PUBLIC KEY`, RFC 8410) and the key id (kid).
//!
//! The kid is the first 8 bytes of SHA-256 over the raw 32-byte public key
//! (the EU DCC uses the first 8 bytes of SHA-256 of the signer certificate;
//! there is no certificate here, so the key itself is hashed).

use crate::SealError;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use serde::{Serialize, Serializer};
use sha2::{Digest, Sha256};

/// A key id: the first 8 bytes of SHA-256 of the raw public key. Shown
/// and serialized as 16 lowercase hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Kid(pub [u8; 8]);

impl Kid {
    /// The kid of a raw 32-byte Ed25519 public key.
    pub fn of_public_key(raw: &[u8; 32]) -> Kid {
        let digest = Sha256::digest(raw);
        let mut kid = [0u8; 8];
        kid.copy_from_slice(&digest[..8]);
        Kid(kid)
    }
}

impl std::fmt::Display for Kid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl Serialize for Kid {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Lowercase hex of arbitrary bytes (a kid of foreign length in an error).
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The issuer's private signing key (Ed25519). Its bytes are wiped on drop.
pub struct SigningKey {
    inner: ed25519_dalek::SigningKey,
    public: VerifyingKey,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey(kid {})", self.public.kid)
    }
}

impl SigningKey {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> Result<SigningKey, SealError> {
        use rand::TryRngCore;
        let mut seed = [0u8; 32];
        rand::rngs::OsRng
            .try_fill_bytes(&mut seed)
            .map_err(|e| SealError::Key {
                detail: format!("no OS randomness: {e}"),
            })?;
        let key = SigningKey::from_seed(&seed);
        seed.fill(0);
        Ok(key)
    }

    /// The key of a 32-byte Ed25519 seed (RFC 8032 private key).
    pub fn from_seed(seed: &[u8; 32]) -> SigningKey {
        let inner = ed25519_dalek::SigningKey::from_bytes(seed);
        let public = VerifyingKey::from_dalek(inner.verifying_key());
        SigningKey { inner, public }
    }

    /// Reads a PKCS#8 `-----BEGIN PRIVATE KEY-----` PEM (as written by
    /// [`SigningKey::to_pem`] or `openssl genpkey -algorithm ed25519`).
    pub fn from_pem(pem: &str) -> Result<SigningKey, SealError> {
        let inner =
            ed25519_dalek::SigningKey::from_pkcs8_pem(pem.trim()).map_err(|e| SealError::Key {
                detail: format!("not an Ed25519 PKCS#8 PRIVATE KEY PEM: {e}"),
            })?;
        let public = VerifyingKey::from_dalek(inner.verifying_key());
        Ok(SigningKey { inner, public })
    }

    /// The PKCS#8 PEM of this key (keep it secret: mode 0600).
    pub fn to_pem(&self) -> Result<String, SealError> {
        self.inner
            .to_pkcs8_pem(LineEnding::LF)
            .map(|z| z.as_str().to_owned())
            .map_err(|e| SealError::Key {
                detail: e.to_string(),
            })
    }

    /// The matching public key.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.public
    }

    /// The kid of the matching public key.
    pub fn kid(&self) -> Kid {
        self.public.kid
    }

    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 64] {
        use ed25519_dalek::Signer;
        self.inner.sign(message).to_bytes()
    }
}

/// A public key that verifies seals (Ed25519), with its kid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyingKey {
    inner: ed25519_dalek::VerifyingKey,
    kid: Kid,
}

impl VerifyingKey {
    fn from_dalek(inner: ed25519_dalek::VerifyingKey) -> VerifyingKey {
        let kid = Kid::of_public_key(inner.as_bytes());
        VerifyingKey { inner, kid }
    }

    /// The key of 32 raw bytes (RFC 8032 public key); rejects bytes that are
    /// not a point of the curve.
    pub fn from_bytes(raw: &[u8; 32]) -> Result<VerifyingKey, SealError> {
        ed25519_dalek::VerifyingKey::from_bytes(raw)
            .map(VerifyingKey::from_dalek)
            .map_err(|e| SealError::Key {
                detail: format!("not an Ed25519 public key: {e}"),
            })
    }

    /// Reads an SPKI `-----BEGIN PUBLIC KEY-----` PEM (RFC 8410).
    pub fn from_pem(pem: &str) -> Result<VerifyingKey, SealError> {
        ed25519_dalek::VerifyingKey::from_public_key_pem(pem.trim())
            .map(VerifyingKey::from_dalek)
            .map_err(|e| SealError::Key {
                detail: format!("not an Ed25519 SPKI PUBLIC KEY PEM: {e}"),
            })
    }

    /// The SPKI PEM of this key.
    pub fn to_pem(&self) -> Result<String, SealError> {
        self.inner
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| SealError::Key {
                detail: e.to_string(),
            })
    }

    /// The key id: first 8 bytes of SHA-256 of the raw key.
    pub fn kid(&self) -> Kid {
        self.kid
    }

    /// The raw 32 bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.inner.to_bytes()
    }

    /// Strict RFC 8032 verification (rejects small-order keys and
    /// non-canonical signatures).
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(bytes) = <&[u8; 64]>::try_from(signature) else {
            return false;
        };
        let sig = ed25519_dalek::Signature::from_bytes(bytes);
        self.inner.verify_strict(message, &sig).is_ok()
    }
}
