//! Chip data of the Vietnamese citizen identity card (thẻ Căn cước công dân
//! gắn chip / thẻ Căn cước): the ICAO Doc 9303 logical data structure (LDS)
//! files EF.COM, DG1 (the MRZ), DG2 (the portrait in an ISO/IEC 19794-5
//! container), DG13 (the Vietnamese fields 1–16) and EF.SOD (a CMS SignedData
//! over the LDS security object), a clearly labelled TEST PKI (CSCA →
//! document signer, ECDSA P-256), and passive authentication as ICAO Doc 9303
//! Part 11 describes it.
//!
//! [`issue`] writes a [`ChipDump`] for a [`Card`]; [`verify::verify`] checks
//! a dump against trusted CSCA certificates and decodes DG1 and DG13. The LDS
//! files use a small hand-rolled BER-TLV codec ([`tlv`]); certificates and
//! algorithm identifiers use the RustCrypto `der` 0.8 generation. Heavy
//! dependencies live here, never in `cancuoc-core`. Sources and traps:
//! `research/card.md` §1, §2, §5.

pub mod dg13;
pub mod lds;
pub mod pki;
pub mod sod;
pub mod tlv;
pub mod verify;

use cancuoc_core::card::Card;
use cancuoc_core::i18n::Localized;
use std::path::{Path, PathBuf};

pub use dg13::Dg13;
pub use pki::DocumentSigner;
pub use verify::{Check, Dg1Info, Verdict, verify};

/// The neutral, synthetic silhouette used as DG2 when no portrait is given
/// (a 120 × 160 JPEG drawn with ImageMagick: two grey ellipses).
pub const SILHOUETTE_JPEG: &[u8] = include_bytes!("../data/silhouette.jpg");

/// The elementary file names a dump may hold, in the order they are written.
pub const KNOWN_FILES: &[&str] = &[
    "EF.COM", "EF.SOD", "DG1", "DG2", "DG3", "DG4", "DG5", "DG6", "DG7", "DG8", "DG9", "DG10",
    "DG11", "DG12", "DG13", "DG14", "DG15", "DG16",
];

/// An error making, reading or parsing chip data.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChipError {
    /// A BER-TLV that cannot be read.
    #[error("malformed TLV: {0}")]
    Tlv(&'static str),
    /// A file whose TLVs are readable but not shaped as expected.
    #[error("unexpected structure: {0}")]
    Structure(String),
    /// The card's MRZ cannot be encoded.
    #[error("MRZ: {0}")]
    Mrz(String),
    /// Key or certificate generation, loading or signing failed.
    #[error("PKI: {0}")]
    Pki(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl ChipError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        ChipError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl Localized for ChipError {
    fn code(&self) -> &'static str {
        match self {
            ChipError::Tlv(_) => "chip.tlv",
            ChipError::Structure(_) => "chip.structure",
            ChipError::Mrz(_) => "chip.mrz",
            ChipError::Pki(_) => "chip.pki",
            ChipError::Io { .. } => "chip.io",
        }
    }

    fn message_vi(&self) -> String {
        match self {
            ChipError::Tlv(m) => format!("Dữ liệu chip sai cấu trúc TLV: {m}"),
            ChipError::Structure(m) => format!("Dữ liệu chip sai cấu trúc: {m}"),
            ChipError::Mrz(m) => format!("Không mã hoá được vùng MRZ: {m}"),
            ChipError::Pki(m) => format!("Lỗi khoá/chứng thư số: {m}"),
            ChipError::Io { path, source } => {
                format!("Không đọc/ghi được {}: {source}", path.display())
            }
        }
    }

    fn message_en(&self) -> String {
        self.to_string()
    }
}

/// The elementary files of one chip, by name (`EF.COM`, `EF.SOD`, `DG1`, …),
/// each exactly as it would be read from the card.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChipDump {
    /// (name, bytes) pairs.
    pub files: Vec<(String, Vec<u8>)>,
}

impl ChipDump {
    /// The bytes of the named file, if present.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
    }

    /// Mutable bytes of the named file (for tests that tamper with a dump).
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Vec<u8>> {
        self.files
            .iter_mut()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b)
    }

    /// SHA-256 of the EF.SOD bytes (kept in the card record), or zeros when
    /// the dump has no SOD.
    pub fn sod_digest(&self) -> [u8; 32] {
        use sha2::Digest;
        self.get("EF.SOD")
            .map(|b| sha2::Sha256::digest(b).into())
            .unwrap_or([0; 32])
    }

    /// Writes one file per elementary file into `dir` (created if missing).
    pub fn write_dir(&self, dir: &Path) -> Result<(), ChipError> {
        std::fs::create_dir_all(dir).map_err(|e| ChipError::io(dir, e))?;
        for (name, bytes) in &self.files {
            let path = dir.join(name);
            std::fs::write(&path, bytes).map_err(|e| ChipError::io(&path, e))?;
        }
        Ok(())
    }

    /// Reads every known elementary file ([`KNOWN_FILES`]) present in `dir`.
    pub fn read_dir(dir: &Path) -> Result<ChipDump, ChipError> {
        if !dir.is_dir() {
            return Err(ChipError::io(
                dir,
                std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
            ));
        }
        let mut files = Vec::new();
        for name in KNOWN_FILES {
            let path = dir.join(name);
            match std::fs::read(&path) {
                Ok(b) => files.push((name.to_string(), b)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(ChipError::io(&path, e)),
            }
        }
        Ok(ChipDump { files })
    }
}

/// Makes the chip files of `card`: DG1 from its MRZ, DG2 from `portrait`
/// (JPEG bytes; the bundled silhouette when `None`), DG13 from its fields,
/// EF.COM listing them, and EF.SOD signed by `signer`.
pub fn issue(
    card: &Card,
    portrait: Option<&[u8]>,
    signer: &DocumentSigner,
) -> Result<ChipDump, ChipError> {
    let mrz = card.mrz().map_err(|e| ChipError::Mrz(e.to_string()))?;
    let dg1 = lds::dg1(&mrz.lines.concat())?;
    let gender = match card.sex {
        cancuoc_core::person::Sex::Male => 1,
        cancuoc_core::person::Sex::Female => 2,
    };
    let dg2 = lds::dg2(portrait.unwrap_or(SILHOUETTE_JPEG), gender);
    let dg13 = dg13::encode_card(card);
    let com = lds::ef_com(&[lds::TAG_DG1, lds::TAG_DG2, lds::TAG_DG13]);
    let sod = sod::write(&[(1, &dg1), (2, &dg2), (13, &dg13)], signer)?;
    Ok(ChipDump {
        files: vec![
            ("EF.COM".into(), com),
            ("EF.SOD".into(), sod),
            ("DG1".into(), dg1),
            ("DG2".into(), dg2),
            ("DG13".into(), dg13),
        ],
    })
}
