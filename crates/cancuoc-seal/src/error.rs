//! What can go wrong reading or making a seal, each with a stable code and a
//! Vietnamese and an English message ([`Localized`]).
//!
//! The codes follow the pipeline from the outside in, so a reader knows how
//! far the text got: `seal.base45` (the QR text itself), `seal.truncated`,
//! `seal.zlib`, `seal.too_large`, `seal.cbor`, `seal.cose`, `seal.alg`,
//! `seal.cwt`, `seal.claim169_missing`, `seal.claim`, then the verdict
//! `seal.unknown_kid` / `seal.signature`. Key files fail with `seal.key`.

use cancuoc_core::i18n::Localized;

/// Why a signed QR text could not be read or does not hold.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SealError {
    /// The text is empty (nothing was scanned).
    #[error("empty text")]
    Empty,
    /// A character outside the base45 alphabet (`0-9 A-Z space $%*+-./:`).
    #[error("character {found:?} at position {position} is not base45")]
    Base45Char {
        /// 1-based character position in the text.
        position: usize,
        /// The offending character.
        found: char,
    },
    /// A base45 group whose value does not fit its bytes (e.g. `:::`).
    #[error("base45 group at position {position} is out of range")]
    Base45Value {
        /// 1-based position of the group's first character.
        position: usize,
    },
    /// The text or the compressed data ends early.
    #[error("truncated: {what}")]
    Truncated {
        /// Which layer ran out, and after how much.
        what: Truncation,
    },
    /// The decoded bytes are not a zlib stream, or it is corrupt.
    #[error("not zlib data: {detail}")]
    Zlib {
        /// What the decompressor said.
        detail: String,
    },
    /// The decompressed data is larger than [`crate::MAX_DECOMPRESSED`].
    #[error("decompressed data exceeds {limit} bytes")]
    TooLarge {
        /// The cap in bytes.
        limit: usize,
    },
    /// The decompressed bytes are not one well-formed CBOR item.
    #[error("not CBOR: {detail}")]
    Cbor {
        /// What the CBOR reader said.
        detail: String,
    },
    /// Well-formed CBOR, but not a COSE_Sign1 structure with a payload.
    #[error("not a COSE_Sign1: {detail}")]
    Cose {
        /// What is wrong with the structure.
        detail: String,
    },
    /// The protected header's algorithm is absent or not EdDSA (-8).
    #[error("unsupported signature algorithm {found}")]
    Algorithm {
        /// The algorithm as found (`absent` when missing).
        found: String,
    },
    /// The COSE payload is not a CWT claims map, or a CWT claim has the
    /// wrong type.
    #[error("bad CWT claims: {detail}")]
    Cwt {
        /// Which claim and what is wrong.
        detail: String,
    },
    /// The CWT carries no claim 169 (identity data).
    #[error("no claim 169 (identity data) in the CWT")]
    Claim169Missing,
    /// An identity-data field has the wrong type or an invalid value.
    #[error("claim 169 key {key}: {detail}")]
    Claim {
        /// The key in the claim-169 map.
        key: i64,
        /// What is wrong.
        detail: String,
    },
    /// The seal names a key (kid) that none of the given keys has.
    #[error("unknown key id {kid}")]
    UnknownKid {
        /// The kid in the header, hex.
        kid: String,
    },
    /// No key was given to verify with.
    #[error("no verification key given")]
    NoKey,
    /// The signature does not hold: wrong key, or the text was altered.
    #[error("signature does not verify")]
    Signature,
    /// A key file or key bytes could not be read.
    #[error("bad key: {detail}")]
    Key {
        /// What is wrong.
        detail: String,
    },
}

/// Which layer of the pipeline ran out of data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Truncation {
    /// The base45 text ends inside a group: it has `3k + 1` characters, or
    /// its final two characters are above one byte's range (a cut triple).
    Base45 {
        /// The number of characters.
        chars: usize,
    },
    /// The zlib stream ends before its end marker and checksum.
    Zlib {
        /// The number of compressed bytes present.
        bytes: usize,
    },
}

impl std::fmt::Display for Truncation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Truncation::Base45 { chars } => {
                write!(f, "base45 text of {chars} characters ends inside a group")
            }
            Truncation::Zlib { bytes } => {
                write!(f, "zlib stream of {bytes} bytes ends early")
            }
        }
    }
}

impl Localized for SealError {
    fn code(&self) -> &'static str {
        match self {
            SealError::Empty => "seal.empty",
            SealError::Base45Char { .. } | SealError::Base45Value { .. } => "seal.base45",
            SealError::Truncated { .. } => "seal.truncated",
            SealError::Zlib { .. } => "seal.zlib",
            SealError::TooLarge { .. } => "seal.too_large",
            SealError::Cbor { .. } => "seal.cbor",
            SealError::Cose { .. } => "seal.cose",
            SealError::Algorithm { .. } => "seal.alg",
            SealError::Cwt { .. } => "seal.cwt",
            SealError::Claim169Missing => "seal.claim169_missing",
            SealError::Claim { .. } => "seal.claim",
            SealError::UnknownKid { .. } => "seal.unknown_kid",
            SealError::NoKey => "seal.no_key",
            SealError::Signature => "seal.signature",
            SealError::Key { .. } => "seal.key",
        }
    }

    fn message_vi(&self) -> String {
        match self {
            SealError::Empty => "Nội dung mã QR trống.".into(),
            SealError::Base45Char { position, found } => format!(
                "Ký tự {found:?} ở vị trí {position} không thuộc bảng mã base45 \
                 (chỉ gồm 0-9, A-Z, dấu cách và $%*+-./:)."
            ),
            SealError::Base45Value { position } => {
                format!("Nhóm ký tự base45 ở vị trí {position} vượt quá giá trị cho phép.")
            }
            SealError::Truncated { what } => match what {
                Truncation::Base45 { chars } => format!(
                    "Nội dung bị cắt cụt: {chars} ký tự, nhóm base45 cuối cùng bị cắt \
                     giữa chừng (hoặc thừa ký tự)."
                ),
                Truncation::Zlib { bytes } => format!(
                    "Nội dung bị cắt cụt: dữ liệu nén ({bytes} byte) kết thúc trước khi hết."
                ),
            },
            SealError::Zlib { detail } => {
                format!("Dữ liệu sau base45 không phải luồng nén zlib hợp lệ ({detail}).")
            }
            SealError::TooLarge { limit } => {
                format!("Dữ liệu giải nén vượt quá {limit} byte (nghi bom nén), đã dừng.")
            }
            SealError::Cbor { detail } => {
                format!("Dữ liệu giải nén không phải CBOR hợp lệ ({detail}).")
            }
            SealError::Cose { detail } => {
                format!("Dữ liệu không phải cấu trúc ký COSE_Sign1 ({detail}).")
            }
            SealError::Algorithm { found } => format!(
                "Thuật toán chữ ký {found} không được hỗ trợ (chỉ chấp nhận EdDSA, -8, \
                 trong phần đầu được bảo vệ)."
            ),
            SealError::Cwt { detail } => format!("Các trường CWT không hợp lệ ({detail})."),
            SealError::Claim169Missing => {
                "Không có trường 169 (dữ liệu nhân thân) trong CWT.".into()
            }
            SealError::Claim { key, detail } => {
                format!("Trường {key} của dữ liệu nhân thân không hợp lệ ({detail}).")
            }
            SealError::UnknownKid { kid } => format!(
                "Không có khóa công khai nào mang mã khóa {kid}: không kiểm tra được chữ ký."
            ),
            SealError::NoKey => "Chưa có khóa công khai nào để kiểm tra chữ ký.".into(),
            SealError::Signature => "Chữ ký KHÔNG hợp lệ: sai khóa hoặc nội dung đã bị sửa.".into(),
            SealError::Key { detail } => format!("Khóa không đọc được ({detail})."),
        }
    }

    fn message_en(&self) -> String {
        match self {
            SealError::Empty => "The QR text is empty.".into(),
            SealError::Base45Char { position, found } => format!(
                "Character {found:?} at position {position} is not in the base45 alphabet \
                 (0-9, A-Z, space and $%*+-./: only)."
            ),
            SealError::Base45Value { position } => {
                format!("The base45 group at position {position} is out of range.")
            }
            SealError::Truncated { what } => match what {
                Truncation::Base45 { chars } => format!(
                    "Truncated text: {chars} characters, the last base45 group is cut \
                     (or there are stray characters)."
                ),
                Truncation::Zlib { bytes } => {
                    format!("Truncated text: the compressed data ({bytes} bytes) ends early.")
                }
            },
            SealError::Zlib { detail } => {
                format!("The data under the base45 is not a valid zlib stream ({detail}).")
            }
            SealError::TooLarge { limit } => {
                format!("The decompressed data exceeds {limit} bytes (zip bomb?); stopped.")
            }
            SealError::Cbor { detail } => {
                format!("The decompressed data is not valid CBOR ({detail}).")
            }
            SealError::Cose { detail } => {
                format!("The data is not a COSE_Sign1 signed structure ({detail}).")
            }
            SealError::Algorithm { found } => format!(
                "Signature algorithm {found} is not supported (EdDSA, -8, in the protected \
                 header only)."
            ),
            SealError::Cwt { detail } => format!("Invalid CWT claims ({detail})."),
            SealError::Claim169Missing => "The CWT has no claim 169 (identity data).".into(),
            SealError::Claim { key, detail } => {
                format!("Identity-data key {key} is invalid ({detail}).")
            }
            SealError::UnknownKid { kid } => {
                format!("No public key has key id {kid}: the signature cannot be checked.")
            }
            SealError::NoKey => "No public key was given to check the signature.".into(),
            SealError::Signature => {
                "The signature does NOT hold: wrong key, or the content was altered.".into()
            }
            SealError::Key { detail } => format!("The key cannot be read ({detail})."),
        }
    }
}
