//! The card's keys as settings of `serve`: the signed QR's Ed25519 key
//! (`seal_key_file`, default `DATA_DIR/seal.key.pem`, made on first use
//! with mode 0600, like the account code key), the other issuers' public
//! keys the verification page trusts (`seal_trusted_keys`), the issuer URI
//! written in every seal (`seal_issuer`), and the chip's document signer
//! (`card_pki_dir`: `ds.pem` + `ds.key.pem` as `cancuoc pki init` writes
//! them; default `DATA_DIR/pki` when it exists). Without a document signer
//! printed cards are recorded without a chip digest, and `serve` says so.
//! `serve --demo` makes a TEST PKI in `DATA_DIR/pki` when there is none.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;

/// The seal key's file inside the data directory.
pub const SEAL_KEY_FILE: &str = "seal.key.pem";
/// The chip PKI's folder inside the data directory.
pub const PKI_DIR: &str = "pki";

/// The card settings as resolved (paths not yet read).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CardSettings {
    /// The seal's private key file; `None`: `DATA_DIR/seal.key.pem`.
    pub seal_key_file: Option<PathBuf>,
    /// Public keys (PEM) of other issuers whose seals verify here.
    pub seal_trusted_keys: Vec<PathBuf>,
    /// The `iss` claim of the seals made here.
    pub seal_issuer: Option<String>,
    /// The document signer's folder; `None`: `DATA_DIR/pki` if it exists.
    pub card_pki_dir: Option<PathBuf>,
}

impl CardSettings {
    /// The seal keys of the pages: the signing key read (or, at its default
    /// place, made), the trusted public keys read. Errors name the file.
    pub fn seal_keys(
        &self,
        data_dir: &Path,
        public_url: Option<&str>,
    ) -> anyhow::Result<cancuoc_web::seal::SealKeys> {
        let path = self
            .seal_key_file
            .clone()
            .unwrap_or_else(|| data_dir.join(SEAL_KEY_FILE));
        let signing = match std::fs::read_to_string(&path) {
            Ok(pem) => cancuoc_seal::SigningKey::from_pem(&pem)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && self.seal_key_file.is_none() => {
                std::fs::create_dir_all(data_dir)
                    .with_context(|| format!("cannot create {}", data_dir.display()))?;
                let key = cancuoc_seal::SigningKey::generate()
                    .map_err(|e| anyhow::anyhow!("seal key: {e}"))?;
                let pem = key.to_pem().map_err(|e| anyhow::anyhow!("seal key: {e}"))?;
                super::write_private(&path, &pem).with_context(|| path.display().to_string())?;
                tracing::info!(path = %path.display(), "created a new seal key (signed QR)");
                key
            }
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let trusted = self
            .seal_trusted_keys
            .iter()
            .map(|p| {
                let pem = std::fs::read_to_string(p)
                    .with_context(|| format!("seal_trusted_keys: cannot read {}", p.display()))?;
                cancuoc_seal::VerifyingKey::from_pem(&pem)
                    .map_err(|e| anyhow::anyhow!("seal_trusted_keys: {}: {e}", p.display()))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let issuer = self
            .seal_issuer
            .clone()
            .unwrap_or_else(|| match public_url {
                Some(u) => format!("{u}/xac-minh"),
                None => cancuoc_seal::DEFAULT_ISSUER.to_owned(),
            });
        Ok(cancuoc_web::seal::SealKeys::new(
            Some(signing),
            trusted,
            issuer,
        ))
    }

    /// The chip's document signer: `card_pki_dir`, else `DATA_DIR/pki`
    /// when it exists; with `make_test_pki` (the demo) a TEST PKI is made
    /// there first when the folder holds none.
    pub fn document_signer(
        &self,
        data_dir: &Path,
        make_test_pki: bool,
    ) -> anyhow::Result<Option<(PathBuf, cancuoc_chip::pki::DocumentSigner)>> {
        let dir = self
            .card_pki_dir
            .clone()
            .unwrap_or_else(|| data_dir.join(PKI_DIR));
        if make_test_pki && !dir.join("ds.pem").exists() {
            cancuoc_chip::pki::init(&dir, jiff::Timestamp::now(), false)
                .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
            // The demo's banner names the TEST CSCA; one log line less.
            tracing::debug!(dir = %dir.display(), "made a TEST card PKI (CSCA + document signer)");
        }
        if self.card_pki_dir.is_none() && !dir.join("ds.pem").exists() {
            return Ok(None);
        }
        let ds = cancuoc_chip::pki::DocumentSigner::load(&dir)
            .map_err(|e| anyhow::anyhow!("card_pki_dir: {e}"))?;
        Ok(Some((dir, ds)))
    }
}

/// The chip writer behind the service's card record: at "printed" the
/// card's chip files are made and signed, and the SHA-256 of its EF.SOD is
/// kept with the card.
pub struct ChipPersonalizer(pub cancuoc_chip::pki::DocumentSigner);

impl cancuoc_service::CardPersonalizer for ChipPersonalizer {
    fn sod_digest(&self, card: &cancuoc_core::card::Card) -> Result<[u8; 32], String> {
        cancuoc_chip::issue(card, None, &self.0)
            .map(|d| d.sod_digest())
            .map_err(|e| e.to_string())
    }
}

impl ChipPersonalizer {
    /// Over a loaded document signer, shared.
    pub fn shared(
        ds: cancuoc_chip::pki::DocumentSigner,
    ) -> Arc<dyn cancuoc_service::CardPersonalizer> {
        Arc::new(ChipPersonalizer(ds))
    }
}
