//! DG13 of the Vietnamese chip card: the national fields 1–16 (research
//! `card.md` §1.1–1.2).
//!
//! ```text
//! 6D L
//!   30 L                         SEQUENCE
//!     02 01 01                   INTEGER version 1
//!     06 06 28 D3 16 01 00 08    OID 1.0.10646.1.0.8 (UTF-8 transformation format)
//!     31 L                       SET of entries SEQUENCE { INTEGER n, value }
//! ```
//!
//! The decoder is a real BER parser keyed by the INTEGER field number (never
//! by byte prefixes: prefix readers hard-code lengths and so read "Nam"
//! (3 bytes) but not "Nữ" (4 bytes)). It accepts UTF8String, PrintableString
//! and IA5String for every text field, keeps unknown field numbers, treats
//! every field as optional, and NFC-normalises text.
//!
//! The writer follows the types the open readers expect: 1, 3, 11 and 15 as
//! PrintableString, the rest as UTF8String; 12 (expiry) is UTF8String
//! `dd/mm/yyyy`, or `Không thời hạn` (as printed on the card) when the card
//! has no expiry — what real cards store then is unconfirmed (research §1.2).
//! 13 is `SEQUENCE { father, mother }` (an empty UTF8String for an unknown
//! parent), 14 is `SEQUENCE { spouse }` or the bare INTEGER when there is
//! none, 15 (old CMND number) is absent without one, and 16 (meaning
//! unconfirmed) is never written. Fields 6 and 7 are written only when known.

use crate::ChipError;
use crate::tlv::{self, Tlv};
use cancuoc_core::card::{Card, ddmmyyyy};
use jiff::civil::Date;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

/// The outer tag of EF.DG13 (APPLICATION 13).
pub const TAG_DG13: u32 = 0x6D;
/// 1.0.10646.1.0.8, "ISO/IEC 10646 transformation format UTF-8".
pub const UTF8_OID: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("1.0.10646.1.0.8");
/// The text written in field 12 for a card without expiry.
pub const NO_EXPIRY_TEXT: &str = "Không thời hạn";

/// A date field as read, and parsed when it is `dd/mm/yyyy`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DateField {
    /// The text exactly as read (NFC).
    pub text: String,
    /// The date, when the text is a valid `dd/mm/yyyy`.
    pub date: Option<Date>,
}

impl DateField {
    fn new(text: String) -> Self {
        let date = parse_ddmmyyyy(&text);
        DateField { text, date }
    }
}

fn parse_ddmmyyyy(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[2] != b'/' || b[5] != b'/' {
        return None;
    }
    let d: i8 = s.get(0..2)?.parse().ok()?;
    let m: i8 = s.get(3..5)?.parse().ok()?;
    let y: i16 = s.get(6..10)?.parse().ok()?;
    Date::new(y, m, d).ok()
}

/// The decoded DG13. Every field is optional (absent on the chip → `None`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Dg13 {
    /// The version INTEGER of the structure (1 on known cards).
    pub version: Option<u64>,
    /// The object identifier after the version, dotted (`1.0.10646.1.0.8`).
    pub charset_oid: Option<String>,
    /// 1: the 12-digit personal ID.
    pub personal_id: Option<String>,
    /// 2: full name.
    pub full_name: Option<String>,
    /// 3: date of birth.
    pub date_of_birth: Option<DateField>,
    /// 4: sex as written (`Nam` / `Nữ`).
    pub sex: Option<String>,
    /// 5: nationality.
    pub nationality: Option<String>,
    /// 6: ethnicity (dân tộc).
    pub ethnicity: Option<String>,
    /// 7: religion (tôn giáo).
    pub religion: Option<String>,
    /// 8: place of origin (quê quán).
    pub place_of_origin: Option<String>,
    /// 9: place of residence (nơi thường trú).
    pub residence: Option<String>,
    /// 10: identifying features (đặc điểm nhận dạng).
    pub identifying_features: Option<String>,
    /// 11: date of issue.
    pub issue_date: Option<DateField>,
    /// 12: date of expiry (text `Không thời hạn` when none).
    pub expiry_date: Option<DateField>,
    /// 13: father's name.
    pub father_name: Option<String>,
    /// 13: mother's name.
    pub mother_name: Option<String>,
    /// 14: spouse's name.
    pub spouse_name: Option<String>,
    /// 15: old CMND number.
    pub old_id: Option<String>,
    /// 16: a 16-character value of unconfirmed meaning.
    pub field_16: Option<String>,
    /// Fields with other numbers: (number, text or hex of the value).
    pub unknown: Vec<(u32, String)>,
}

fn printable(s: &str) -> Vec<u8> {
    tlv::encode(0x13, s.as_bytes())
}

fn utf8(s: &str) -> Vec<u8> {
    let s: String = s.nfc().collect();
    tlv::encode(0x0C, s.as_bytes())
}

fn entry(n: u64, value: &[u8]) -> Vec<u8> {
    tlv::encode_parts(0x30, &[&tlv::der_uint(n), value])
}

/// Encodes DG13 for `card` (see the module documentation for the choices).
pub fn encode_card(card: &Card) -> Vec<u8> {
    let mut e: Vec<Vec<u8>> = vec![
        entry(1, &printable(card.personal_id.as_str())),
        entry(2, &utf8(&card.full_name)),
        entry(3, &printable(&ddmmyyyy(card.date_of_birth))),
        entry(4, &utf8(card.sex.label_vi())),
        entry(5, &utf8(&card.nationality)),
    ];
    if let Some(v) = &card.ethnicity {
        e.push(entry(6, &utf8(v)));
    }
    if let Some(v) = &card.religion {
        e.push(entry(7, &utf8(v)));
    }
    e.push(entry(8, &utf8(&card.place_of_origin)));
    e.push(entry(9, &utf8(&card.residence)));
    e.push(entry(10, &utf8(&card.identifying_features)));
    e.push(entry(11, &printable(&ddmmyyyy(card.issue_date))));
    let expiry = card
        .expiry_date
        .map(ddmmyyyy)
        .unwrap_or_else(|| NO_EXPIRY_TEXT.to_string());
    e.push(entry(12, &utf8(&expiry)));
    let parents = tlv::encode_parts(
        0x30,
        &[
            &utf8(card.father_name.as_deref().unwrap_or("")),
            &utf8(card.mother_name.as_deref().unwrap_or("")),
        ],
    );
    e.push(entry(13, &parents));
    match &card.spouse_name {
        Some(s) => e.push(entry(14, &tlv::encode(0x30, &utf8(s)))),
        None => e.push(tlv::encode(0x30, &tlv::der_uint(14))),
    }
    if let Some(old) = &card.old_id {
        e.push(entry(15, &printable(old.as_str())));
    }
    encode_entries(&e)
}

/// Wraps already encoded entries as `6D { 30 { 02 01 01, OID, 31 {…} } }`.
/// The entries keep their order (the SET is written in field order, as
/// the open readers' fixtures do).
pub fn encode_entries(entries: &[Vec<u8>]) -> Vec<u8> {
    let set = tlv::encode(0x31, &entries.concat());
    let body = tlv::encode_parts(
        0x30,
        &[
            &tlv::der_uint(1),
            &tlv::encode(0x06, UTF8_OID.as_bytes()),
            &set,
        ],
    );
    tlv::encode(TAG_DG13, &body)
}

/// The text of a string TLV: UTF8String, PrintableString or IA5String, NFC.
fn text(t: &Tlv<'_>, field: u64) -> Result<String, ChipError> {
    let s = match t.tag {
        0x0C => std::str::from_utf8(t.value).map_err(|_| {
            ChipError::Structure(format!("DG13 field {field}: UTF8String is not valid UTF-8"))
        })?,
        0x13 | 0x16 => {
            if !t.value.is_ascii() {
                return Err(ChipError::Structure(format!(
                    "DG13 field {field}: PrintableString/IA5String has a non-ASCII byte"
                )));
            }
            std::str::from_utf8(t.value)
                .map_err(|_| ChipError::Structure(format!("DG13 field {field}: bad string")))?
        }
        other => {
            return Err(ChipError::Structure(format!(
                "DG13 field {field}: value tag {other:X} is not a string"
            )));
        }
    };
    Ok(s.nfc().collect())
}

/// The strings of a field's value TLVs, one level of SEQUENCE flattened.
fn texts(values: &[Tlv<'_>], field: u64) -> Result<Vec<String>, ChipError> {
    let mut out = Vec::new();
    for v in values {
        if v.tag == 0x30 {
            for c in v.children()? {
                out.push(text(&c, field)?);
            }
        } else {
            out.push(text(v, field)?);
        }
    }
    Ok(out)
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Dotted form of a DER OID's content bytes, if well formed.
pub(crate) fn oid_dotted(content: &[u8]) -> Option<String> {
    der::asn1::ObjectIdentifier::from_bytes(content)
        .ok()
        .map(|o| o.to_string())
}

/// Decodes EF.DG13 (see the module documentation).
pub fn decode(bytes: &[u8]) -> Result<Dg13, ChipError> {
    let outer = tlv::expect(bytes, TAG_DG13, "DG13")?;
    let seq = tlv::expect(outer.value, 0x30, "DG13 body")?;
    let mut out = Dg13::default();
    let mut entries = None;
    for c in seq.children()? {
        match c.tag {
            0x02 if out.version.is_none() => out.version = tlv::read_uint(&c),
            0x06 if out.charset_oid.is_none() => out.charset_oid = oid_dotted(c.value),
            0x31 | 0x30 if entries.is_none() => entries = Some(c),
            other => {
                return Err(ChipError::Structure(format!(
                    "DG13 body: unexpected tag {other:X}"
                )));
            }
        }
    }
    let entries = entries.ok_or_else(|| ChipError::Structure("DG13: no field list".into()))?;
    let mut seen = std::collections::BTreeSet::new();
    for e in entries.children()? {
        if e.tag != 0x30 {
            return Err(ChipError::Structure(format!(
                "DG13 field list: entry tag {:X} is not a SEQUENCE",
                e.tag
            )));
        }
        let parts = e.children()?;
        let (num, values) = match parts.split_first() {
            Some((n, rest)) => (
                tlv::read_uint(n)
                    .filter(|v| *v <= u64::from(u32::MAX))
                    .ok_or_else(|| {
                        ChipError::Structure("DG13 entry: field number is not an INTEGER".into())
                    })?,
                rest,
            ),
            None => return Err(ChipError::Structure("DG13 entry: empty SEQUENCE".into())),
        };
        if !seen.insert(num) {
            return Err(ChipError::Structure(format!(
                "DG13: field {num} appears twice"
            )));
        }
        let one = |values: &[Tlv<'_>]| -> Result<Option<String>, ChipError> {
            Ok(texts(values, num)?.into_iter().next())
        };
        match num {
            1 => out.personal_id = one(values)?,
            2 => out.full_name = one(values)?,
            3 => out.date_of_birth = one(values)?.map(DateField::new),
            4 => out.sex = one(values)?,
            5 => out.nationality = one(values)?,
            6 => out.ethnicity = one(values)?,
            7 => out.religion = one(values)?,
            8 => out.place_of_origin = one(values)?,
            9 => out.residence = one(values)?,
            10 => out.identifying_features = one(values)?,
            11 => out.issue_date = one(values)?.map(DateField::new),
            12 => out.expiry_date = one(values)?.map(DateField::new),
            13 => {
                let mut t = texts(values, num)?.into_iter();
                out.father_name = t.next().filter(|s| !s.is_empty());
                out.mother_name = t.next().filter(|s| !s.is_empty());
            }
            14 => out.spouse_name = one(values)?.filter(|s| !s.is_empty()),
            15 => out.old_id = one(values)?,
            16 => out.field_16 = one(values)?,
            n => {
                let v = match texts(values, n) {
                    Ok(t) => t.join(" / "),
                    Err(_) => hex(&values
                        .iter()
                        .flat_map(|v| v.raw.to_vec())
                        .collect::<Vec<_>>()),
                };
                out.unknown.push((n as u32, v));
            }
        }
    }
    Ok(out)
}
