//! A clearly labelled TEST PKI for chip data: a country signing CA (CSCA)
//! and a document signer (DS) under it, both ECDSA P-256 with SHA-256.
//!
//! [`init`] writes `csca.pem`, `csca.key.pem`, `ds.pem` and `ds.key.pem`
//! (keys mode 0600) and refuses to overwrite existing keys unless asked.
//! Validity: the CSCA 15 years, the DS 10 years (a card's life; ICAO Doc
//! 9303-12 sizes a DS certificate as its key's usage period plus the
//! validity of the documents it signs). The names say `TEST` and
//! `NOT FOR PRODUCTION` so a dump signed here can never pass for a real card.

use crate::ChipError;
use der::pem::LineEnding;
use der::{Decode, DecodePem, Encode, EncodePem};
use jiff::Timestamp;
use p256::ecdsa::{DerSignature, SigningKey};
use p256::elliptic_curve::Generate;
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use sha2::Digest;
use spki::{SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use std::path::Path;
use std::str::FromStr;
use x509_cert::Certificate;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::certificate::TbsCertificate;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, KeyUsages, SubjectKeyIdentifier,
};
use x509_cert::ext::{Extension, ToExtension};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

/// Subject of the test CSCA.
pub const CSCA_SUBJECT: &str = "CN=cancuoc TEST CSCA — NOT FOR PRODUCTION,O=cancuoc TEST,C=VN";
/// Subject of the test document signer.
pub const DS_SUBJECT: &str =
    "CN=cancuoc TEST Document Signer — NOT FOR PRODUCTION,O=cancuoc TEST,C=VN";
/// CSCA validity in years.
pub const CSCA_YEARS: i16 = 15;
/// Document signer validity in years.
pub const DS_YEARS: i16 = 10;

/// A document signer: its certificate and private key.
#[derive(Clone, Debug)]
pub struct DocumentSigner {
    /// The DS certificate (embedded in every EF.SOD it signs).
    pub cert: Certificate,
    /// The private key.
    pub key: SigningKey,
}

/// A CSCA with its key, and a document signer under it (tests, `pki init`).
#[derive(Clone, Debug)]
pub struct TestPki {
    /// The CSCA certificate (the trust anchor a verifier is given).
    pub csca: Certificate,
    /// The CSCA private key.
    pub csca_key: SigningKey,
    /// The document signer.
    pub ds: DocumentSigner,
}

fn pki_err(what: &str, e: impl std::fmt::Display) -> ChipError {
    ChipError::Pki(format!("{what}: {e}"))
}

/// The certificate profile: CSCA (CA, keyCertSign + cRLSign) or DS
/// (digitalSignature), with subject and authority key identifiers.
struct IcaoProfile {
    subject: Name,
    issuer: Option<Name>,
}

impl BuilderProfile for IcaoProfile {
    fn get_issuer(&self, subject: &Name) -> Name {
        self.issuer.clone().unwrap_or_else(|| subject.clone())
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let mut ext = Vec::new();
        let ski = SubjectKeyIdentifier::try_from(spk)?;
        let aki = SubjectKeyIdentifier::try_from(issuer_spk)?;
        ext.push(
            AuthorityKeyIdentifier {
                key_identifier: Some(aki.0.clone()),
                ..Default::default()
            }
            .to_extension(tbs.subject(), &ext)?,
        );
        ext.push(ski.to_extension(tbs.subject(), &ext)?);
        if self.issuer.is_none() {
            ext.push(
                BasicConstraints {
                    ca: true,
                    path_len_constraint: Some(0),
                }
                .to_extension(tbs.subject(), &ext)?,
            );
            ext.push(
                KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign)
                    .to_extension(tbs.subject(), &ext)?,
            );
        } else {
            ext.push(
                KeyUsage(KeyUsages::DigitalSignature.into()).to_extension(tbs.subject(), &ext)?,
            );
        }
        Ok(ext)
    }
}

fn x509_time(t: Timestamp) -> Result<Time, ChipError> {
    Time::try_from(std::time::SystemTime::from(t)).map_err(|e| pki_err("time", e))
}

fn plus_years(t: Timestamp, years: i16) -> Result<Timestamp, ChipError> {
    t.to_zoned(jiff::tz::TimeZone::UTC)
        .checked_add(jiff::Span::new().years(years))
        .map(|z| z.timestamp())
        .map_err(|e| pki_err("validity", e))
}

fn new_key() -> Result<SigningKey, ChipError> {
    SigningKey::try_generate().map_err(|e| pki_err("key generation", e))
}

fn spki_of(key: &SigningKey) -> Result<SubjectPublicKeyInfoOwned, ChipError> {
    let der = key
        .verifying_key()
        .to_public_key_der()
        .map_err(|e| pki_err("public key", e))?;
    SubjectPublicKeyInfoOwned::from_der(der.as_bytes()).map_err(|e| pki_err("public key", e))
}

/// A positive serial number derived from the public key (unique per key).
fn serial_for(spki: &SubjectPublicKeyInfoOwned) -> Result<SerialNumber, ChipError> {
    let mut bytes: [u8; 8] = sha2::Sha256::digest(spki.subject_public_key.raw_bytes())[..8]
        .try_into()
        .unwrap_or([1; 8]);
    bytes[0] = (bytes[0] & 0x7F) | 0x01;
    SerialNumber::new(&bytes).map_err(|e| pki_err("serial number", e))
}

fn build(
    subject: &str,
    issuer: Option<(&Certificate, &SigningKey)>,
    key: &SigningKey,
    not_before: Timestamp,
    not_after: Timestamp,
) -> Result<Certificate, ChipError> {
    let spki = spki_of(key)?;
    let profile = IcaoProfile {
        subject: Name::from_str(subject).map_err(|e| pki_err("subject", e))?,
        issuer: issuer.map(|(c, _)| c.tbs_certificate().subject().clone()),
    };
    let validity = Validity::new(x509_time(not_before)?, x509_time(not_after)?);
    let serial = serial_for(&spki)?;
    let builder = CertificateBuilder::new(profile, serial, validity, spki)
        .map_err(|e| pki_err("certificate", e))?;
    let signer = issuer.map(|(_, k)| k).unwrap_or(key);
    builder
        .build::<_, DerSignature>(signer)
        .map_err(|e| pki_err("certificate signature", e))
}

/// A new test CSCA valid from `now` for [`CSCA_YEARS`].
pub fn make_csca(now: Timestamp) -> Result<(Certificate, SigningKey), ChipError> {
    let key = new_key()?;
    let cert = build(CSCA_SUBJECT, None, &key, now, plus_years(now, CSCA_YEARS)?)?;
    Ok((cert, key))
}

/// A new document signer under `csca`, valid from `not_before` to `not_after`
/// (tests use this for an expired DS).
pub fn make_ds(
    csca: &Certificate,
    csca_key: &SigningKey,
    not_before: Timestamp,
    not_after: Timestamp,
) -> Result<DocumentSigner, ChipError> {
    let key = new_key()?;
    let cert = build(
        DS_SUBJECT,
        Some((csca, csca_key)),
        &key,
        not_before,
        not_after,
    )?;
    Ok(DocumentSigner { cert, key })
}

/// A fresh CSCA and document signer, in memory.
pub fn make_test_pki(now: Timestamp) -> Result<TestPki, ChipError> {
    let (csca, csca_key) = make_csca(now)?;
    let ds = make_ds(&csca, &csca_key, now, plus_years(now, DS_YEARS)?)?;
    Ok(TestPki { csca, csca_key, ds })
}

/// The four files of a PKI directory.
pub const FILES: [&str; 4] = ["csca.pem", "csca.key.pem", "ds.pem", "ds.key.pem"];

fn write_file(path: &Path, data: &[u8], secret: bool) -> Result<(), ChipError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let io = |e| ChipError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(if secret { 0o600 } else { 0o644 })
        .open(path)
        .map_err(io)?;
    if secret {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(io)?;
    }
    f.write_all(data).map_err(io)
}

fn cert_pem(c: &Certificate) -> Result<String, ChipError> {
    c.to_pem(LineEnding::LF).map_err(|e| pki_err("PEM", e))
}

fn key_pem(k: &SigningKey) -> Result<String, ChipError> {
    k.to_pkcs8_pem(LineEnding::LF)
        .map(|z| z.to_string())
        .map_err(|e| pki_err("PEM", e))
}

/// Makes a test CSCA and document signer in `dir` (created if missing).
/// Refuses when any of [`FILES`] exists there, unless `force`.
pub fn init(dir: &Path, now: Timestamp, force: bool) -> Result<TestPki, ChipError> {
    if let Some(f) = FILES.iter().find(|f| !force && dir.join(f).exists()) {
        return Err(ChipError::Pki(format!(
            "{} already exists; refusing to overwrite (use --force)",
            dir.join(f).display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| ChipError::Io {
        path: dir.to_path_buf(),
        source: e,
    })?;
    let pki = make_test_pki(now)?;
    write_file(
        &dir.join("csca.pem"),
        cert_pem(&pki.csca)?.as_bytes(),
        false,
    )?;
    write_file(
        &dir.join("csca.key.pem"),
        key_pem(&pki.csca_key)?.as_bytes(),
        true,
    )?;
    write_file(
        &dir.join("ds.pem"),
        cert_pem(&pki.ds.cert)?.as_bytes(),
        false,
    )?;
    write_file(
        &dir.join("ds.key.pem"),
        key_pem(&pki.ds.key)?.as_bytes(),
        true,
    )?;
    Ok(pki)
}

fn read(path: &Path) -> Result<String, ChipError> {
    std::fs::read_to_string(path).map_err(|e| ChipError::Io {
        path: path.to_path_buf(),
        source: e,
    })
}

/// Reads every certificate of a PEM file (or one DER certificate).
pub fn load_certificates(path: &Path) -> Result<Vec<Certificate>, ChipError> {
    let bytes = std::fs::read(path).map_err(|e| ChipError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    if bytes.starts_with(b"-----") {
        let certs = Certificate::load_pem_chain(&bytes)
            .map_err(|e| pki_err(&path.display().to_string(), e))?;
        if certs.is_empty() {
            return Err(ChipError::Pki(format!(
                "{}: no certificate",
                path.display()
            )));
        }
        Ok(certs)
    } else {
        Certificate::from_der(&bytes)
            .map(|c| vec![c])
            .map_err(|e| pki_err(&path.display().to_string(), e))
    }
}

impl DocumentSigner {
    /// Loads `ds.pem` and `ds.key.pem` from a directory made by [`init`].
    pub fn load(dir: &Path) -> Result<DocumentSigner, ChipError> {
        let cert_path = dir.join("ds.pem");
        let cert = Certificate::from_pem(read(&cert_path)?.as_bytes())
            .map_err(|e| pki_err(&cert_path.display().to_string(), e))?;
        let key_path = dir.join("ds.key.pem");
        let key = SigningKey::from_pkcs8_pem(&read(&key_path)?)
            .map_err(|e| pki_err(&key_path.display().to_string(), e))?;
        let ds = DocumentSigner { cert, key };
        if ds.cert.tbs_certificate().subject_public_key_info() != &spki_of(&ds.key)? {
            return Err(ChipError::Pki(format!(
                "{}: the key does not match ds.pem",
                key_path.display()
            )));
        }
        Ok(ds)
    }

    /// The certificate's DER bytes.
    pub fn cert_der(&self) -> Result<Vec<u8>, ChipError> {
        self.cert.to_der().map_err(|e| pki_err("certificate", e))
    }
}
