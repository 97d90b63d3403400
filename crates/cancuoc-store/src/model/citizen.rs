//! Citizens (công dân): the National Population Database record (Cơ sở dữ
//! liệu quốc gia về dân cư), with per-field provenance (nguồn gốc dữ liệu):
//! verified against a trusted source, or self-declared.

use cancuoc_core::id::PersonalId;
use cancuoc_core::id::alloc::Allocator;
use cancuoc_core::person::{PartialDate, Sex};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The database id of a citizen record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct CitizenId(pub i64);

/// Whether a field was checked against a trusted source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Đã xác thực: checked against a trusted database or document.
    Verified,
    /// Tự khai: entered by the citizen, not checked.
    SelfDeclared,
}

/// Where one field's value comes from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Provenance {
    /// Verified or self-declared.
    pub status: Verification,
    /// The source, e.g. `npd`, `birth_certificate`, `citizen`.
    pub source: String,
}

/// Provenance of every field of a citizen record: a default plus per-field
/// exceptions (keyed by field name, e.g. `phone`), so the common case costs a
/// few bytes per row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProvenance {
    /// Provenance of the fields not listed in `fields`.
    pub default: Provenance,
    /// Per-field exceptions.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Provenance>,
}

impl FieldProvenance {
    /// Every field verified against the NPD.
    pub fn all_verified(source: &str) -> Self {
        Self {
            default: Provenance {
                status: Verification::Verified,
                source: source.to_owned(),
            },
            fields: BTreeMap::new(),
        }
    }
    /// The provenance of one field.
    pub fn of(&self, field: &str) -> &Provenance {
        self.fields.get(field).unwrap_or(&self.default)
    }

    /// The stored text (cột `provenance`): `STATUS:SOURCE` (e.g.
    /// `verified:npd`) when every field shares the default, the JSON of
    /// the value otherwise. The short form is most rows' case: 12 bytes
    /// instead of 48 per citizen on disk.
    pub(crate) fn to_stored(&self) -> Result<String, serde_json::Error> {
        if self.fields.is_empty() {
            let status = match self.default.status {
                Verification::Verified => "verified",
                Verification::SelfDeclared => "self_declared",
            };
            return Ok(format!("{status}:{}", self.default.source));
        }
        serde_json::to_string(self)
    }

    /// Reads [`Self::to_stored`]'s text back, and the JSON of every value
    /// (rows written before the short form); `None` when it is neither.
    pub(crate) fn from_stored(s: &str) -> Option<Self> {
        if s.starts_with('{') {
            return serde_json::from_str(s).ok();
        }
        let (status, source) = s.split_once(':')?;
        let status = match status {
            "verified" => Verification::Verified,
            "self_declared" => Verification::SelfDeclared,
            _ => return None,
        };
        Some(Self {
            default: Provenance {
                status,
                source: source.to_owned(),
            },
            fields: BTreeMap::new(),
        })
    }
}

/// Input for [`crate::Store::register_citizen`] and
/// [`crate::Store::bulk_insert_citizens`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCitizen {
    /// Số định danh cá nhân, if already assigned (see [`IdAssignment`]).
    pub personal_id: Option<PersonalId>,
    /// Họ, chữ đệm và tên.
    pub full_name: String,
    /// Ngày sinh, possibly partial.
    pub dob: PartialDate,
    /// Giới tính.
    pub sex: Sex,
    /// Quốc tịch.
    pub nationality: String,
    /// Dân tộc.
    pub ethnicity: String,
    /// Tôn giáo.
    pub religion: String,
    /// Quê quán.
    pub place_of_origin: String,
    /// Nơi đăng ký khai sinh.
    pub birth_registration: String,
    /// Nơi thường trú.
    pub permanent_residence: String,
    /// Nơi tạm trú.
    pub temporary_residence: Option<String>,
    /// Số điện thoại.
    pub phone: Option<String>,
    /// Số CMND cũ (9 or 12 digits each).
    pub old_cmnd: Vec<String>,
    /// Nguồn gốc dữ liệu of each field.
    pub provenance: FieldProvenance,
}

/// How [`crate::Store::register_citizen`] treats the personal ID.
#[derive(Clone, Copy, Debug)]
pub enum IdAssignment<'a> {
    /// Keep [`NewCitizen::personal_id`] as given (possibly none).
    AsGiven,
    /// Assign a new number (cấp số định danh) through the allocator, for a
    /// birth registered at `region_code` (province 001–096 or country
    /// 101–295); the per-prefix counter is read and incremented in the same
    /// transaction as the insert. The citizen must have no number yet.
    Allocate {
        /// The allocator holding the secret key.
        allocator: &'a Allocator,
        /// Mã nơi đăng ký khai sinh.
        region_code: u16,
    },
}

/// A stored citizen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Citizen {
    /// Database id.
    pub id: CitizenId,
    /// Số định danh cá nhân.
    pub personal_id: Option<PersonalId>,
    /// Họ, chữ đệm và tên.
    pub full_name: String,
    /// Ngày sinh.
    pub dob: PartialDate,
    /// Giới tính.
    pub sex: Sex,
    /// Quốc tịch.
    pub nationality: String,
    /// Dân tộc.
    pub ethnicity: String,
    /// Tôn giáo.
    pub religion: String,
    /// Quê quán.
    pub place_of_origin: String,
    /// Nơi đăng ký khai sinh.
    pub birth_registration: String,
    /// Nơi thường trú.
    pub permanent_residence: String,
    /// Nơi tạm trú.
    pub temporary_residence: Option<String>,
    /// Số điện thoại.
    pub phone: Option<String>,
    /// Số CMND cũ.
    pub old_cmnd: Vec<String>,
    /// Nguồn gốc dữ liệu.
    pub provenance: FieldProvenance,
    /// When the record was created, epoch seconds.
    pub created_at: i64,
}

/// How a name search matches the diacritic-insensitive key (khóa tìm kiếm).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameMatch {
    /// The key starts with the query's key (uses the index).
    Prefix,
    /// The key contains the query's key anywhere (scans).
    Contains,
    /// A word of the key starts with the query's key (scans): the given
    /// name alone (tên, `an`) finds `Nguyễn Văn An`, and so do `van an`
    /// and `nguyen`.
    Words,
}

/// A citizen search (tra cứu công dân).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CitizenQuery {
    /// The name as typed; folded with `cancuoc_core::text::search_key`.
    pub name: String,
    /// Prefix, word or substring match.
    pub matching: NameMatch,
    /// Optional date of birth: a stored date matches when it agrees on every
    /// part both dates know (a stored year-only date matches any day of it).
    pub dob: Option<PartialDate>,
    /// At most this many results (capped at 500).
    pub limit: u32,
}

/// Masks a full name for public answers (che tên): the family name is kept,
/// each other word keeps its first letter. `Nguyễn Văn An` → `Nguyễn V** A*`.
pub fn mask_name(full_name: &str) -> String {
    let mut out = String::with_capacity(full_name.len());
    for (i, word) in full_name.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if i == 0 {
            out.push_str(word);
            continue;
        }
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first);
        }
        out.extend(chars.map(|_| '*'));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_all_but_family_name_and_initials() {
        let cases = [
            ("Nguyễn Văn An", "Nguyễn V** A*"),
            ("  Trần   Thị Bích Ngọc ", "Trần T** B*** N***"),
            ("Lê", "Lê"),
            ("", ""),
            ("Đặng Đức", "Đặng Đ**"),
        ];
        for (name, want) in cases {
            assert_eq!(mask_name(name), want, "{name}");
        }
    }

    #[test]
    fn provenance_is_compact_by_default() {
        let p = FieldProvenance::all_verified("npd");
        let j = serde_json::to_string(&p).expect("json");
        assert_eq!(j, r#"{"default":{"status":"verified","source":"npd"}}"#);
        let mut q = p.clone();
        q.fields.insert(
            "phone".into(),
            Provenance {
                status: Verification::SelfDeclared,
                source: "citizen".into(),
            },
        );
        assert_eq!(q.of("phone").status, Verification::SelfDeclared);
        assert_eq!(q.of("full_name").status, Verification::Verified);
    }

    #[test]
    fn stored_provenance_is_short_and_reads_back() {
        let p = FieldProvenance::all_verified("npd");
        assert_eq!(p.to_stored().expect("stored"), "verified:npd");
        let mut s = p.clone();
        s.default.status = Verification::SelfDeclared;
        s.default.source = "citizen:form 2".into();
        assert_eq!(
            s.to_stored().expect("stored"),
            "self_declared:citizen:form 2"
        );
        let mut q = p.clone();
        q.fields.insert(
            "phone".into(),
            Provenance {
                status: Verification::SelfDeclared,
                source: "citizen".into(),
            },
        );
        let json = q.to_stored().expect("stored");
        assert!(json.starts_with('{'), "{json}");
        for v in [&p, &s, &q] {
            let text = v.to_stored().expect("stored");
            assert_eq!(
                FieldProvenance::from_stored(&text).as_ref(),
                Some(v),
                "{text}"
            );
        }
        // Rows written before the short form hold JSON.
        let old = serde_json::to_string(&p).expect("json");
        assert_eq!(FieldProvenance::from_stored(&old), Some(p));
        for bad in ["", "npd", "checked:npd", "{\"default\":1}"] {
            assert_eq!(FieldProvenance::from_stored(bad), None, "{bad}");
        }
    }
}
