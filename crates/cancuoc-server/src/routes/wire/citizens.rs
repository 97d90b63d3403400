//! Citizens on the wire (công dân): the National Population Database record
//! as the REST API writes it, and its per-field provenance, which a
//! registration may also send.

use std::collections::BTreeMap;

use cancuoc_service::model::{Citizen, FieldProvenance, Provenance};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::codes::{SexCode, VerificationCode};

/// Nguồn gốc dữ liệu of one field: checked against a trusted source or
/// self-declared, and the source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProvenanceView {
    /// Verified (đã xác thực) or self-declared (tự khai).
    pub status: VerificationCode,
    /// Nguồn: the source, e.g. `npd`, `birth_certificate`, `citizen`,
    /// `reception`.
    #[schema(example = "npd")]
    pub source: String,
}

/// Nguồn gốc dữ liệu of every field of a citizen record: a default and the
/// fields that differ from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldProvenanceView {
    /// Provenance of every field not listed in `fields`.
    pub default: ProvenanceView,
    /// Per-field exceptions by field name (e.g. `phone`); left out when
    /// there are none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, ProvenanceView>,
}

impl From<&Provenance> for ProvenanceView {
    fn from(p: &Provenance) -> Self {
        Self {
            status: p.status.into(),
            source: p.source.clone(),
        }
    }
}

impl From<ProvenanceView> for Provenance {
    fn from(p: ProvenanceView) -> Self {
        Self {
            status: p.status.into(),
            source: p.source,
        }
    }
}

impl From<&FieldProvenance> for FieldProvenanceView {
    fn from(p: &FieldProvenance) -> Self {
        Self {
            default: (&p.default).into(),
            fields: p
                .fields
                .iter()
                .map(|(k, v)| (k.clone(), v.into()))
                .collect(),
        }
    }
}

impl From<FieldProvenanceView> for FieldProvenance {
    fn from(p: FieldProvenanceView) -> Self {
        Self {
            default: p.default.into(),
            fields: p.fields.into_iter().map(|(k, v)| (k, v.into())).collect(),
        }
    }
}

/// A citizen record of the National Population Database (hồ sơ công dân).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct CitizenView {
    /// The record's id, for `citizen_id` when opening a dossier.
    pub id: i64,
    /// Số định danh cá nhân, 12 digits; `null` when none was assigned.
    #[schema(required = true, example = "079190012347")]
    pub personal_id: Option<String>,
    /// Họ, chữ đệm và tên.
    pub full_name: String,
    /// Ngày sinh: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when only part of it
    /// is known.
    #[schema(example = "1990-05-17")]
    pub dob: String,
    /// Giới tính.
    pub sex: SexCode,
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
    /// Nơi tạm trú, `null` when none.
    #[schema(required = true)]
    pub temporary_residence: Option<String>,
    /// Số điện thoại, `null` when none.
    #[schema(required = true)]
    pub phone: Option<String>,
    /// Số CMND cũ (9 or 12 digits each).
    pub old_cmnd: Vec<String>,
    /// Nguồn gốc dữ liệu of each field.
    pub provenance: FieldProvenanceView,
    /// When the record was created (epoch seconds).
    pub created_at: i64,
}

impl From<&Citizen> for CitizenView {
    fn from(c: &Citizen) -> Self {
        Self {
            id: c.id.0,
            personal_id: c.personal_id.as_ref().map(|p| p.as_str().to_owned()),
            full_name: c.full_name.clone(),
            dob: c.dob.to_string(),
            sex: c.sex.into(),
            nationality: c.nationality.clone(),
            ethnicity: c.ethnicity.clone(),
            religion: c.religion.clone(),
            place_of_origin: c.place_of_origin.clone(),
            birth_registration: c.birth_registration.clone(),
            permanent_residence: c.permanent_residence.clone(),
            temporary_residence: c.temporary_residence.clone(),
            phone: c.phone.clone(),
            old_cmnd: c.old_cmnd.clone(),
            provenance: (&c.provenance).into(),
            created_at: c.created_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cancuoc_core::id::PersonalId;
    use cancuoc_core::person::Sex;
    use cancuoc_service::model::{CitizenId, Verification};
    use serde_json::json;

    fn citizen() -> Citizen {
        let mut provenance = FieldProvenance::all_verified("npd");
        provenance.fields.insert(
            "phone".into(),
            Provenance {
                status: Verification::SelfDeclared,
                source: "citizen".into(),
            },
        );
        Citizen {
            id: CitizenId(7),
            personal_id: Some(PersonalId::parse("079190012347").expect("id")),
            full_name: "Trần Thị Bích".into(),
            dob: "1990-05".parse().expect("dob"),
            sex: Sex::Female,
            nationality: "Việt Nam".into(),
            ethnicity: "Kinh".into(),
            religion: "Không".into(),
            place_of_origin: "Xã A".into(),
            birth_registration: "Tỉnh B".into(),
            permanent_residence: "Thôn 1".into(),
            temporary_residence: None,
            phone: Some("0900000000".into()),
            old_cmnd: vec!["123456789".into()],
            provenance,
            created_at: 1_795_230_000,
        }
    }

    #[test]
    fn a_citizen_writes_the_fields_the_api_always_had() {
        let c = citizen();
        let json = serde_json::to_value(CitizenView::from(&c)).expect("json");
        assert_eq!(
            json,
            json!({
                "id": 7,
                "personal_id": "079190012347",
                "full_name": "Trần Thị Bích",
                "dob": "1990-05",
                "sex": "female",
                "nationality": "Việt Nam",
                "ethnicity": "Kinh",
                "religion": "Không",
                "place_of_origin": "Xã A",
                "birth_registration": "Tỉnh B",
                "permanent_residence": "Thôn 1",
                "temporary_residence": null,
                "phone": "0900000000",
                "old_cmnd": ["123456789"],
                "provenance": {
                    "default": {"status": "verified", "source": "npd"},
                    "fields": {"phone": {"status": "self_declared", "source": "citizen"}}
                },
                "created_at": 1_795_230_000
            })
        );
    }

    #[test]
    fn provenance_reads_back_and_leaves_out_empty_fields() {
        let p = FieldProvenance::all_verified("reception");
        let view = FieldProvenanceView::from(&p);
        assert_eq!(
            serde_json::to_value(&view).expect("json"),
            json!({"default": {"status": "verified", "source": "reception"}})
        );
        let read: FieldProvenanceView = serde_json::from_value(json!({
            "default": {"status": "self_declared", "source": "citizen"},
            "fields": {"dob": {"status": "verified", "source": "birth_certificate"}}
        }))
        .expect("read");
        let p = FieldProvenance::from(read);
        assert_eq!(p.of("dob").status, Verification::Verified);
        assert_eq!(p.of("phone").status, Verification::SelfDeclared);
    }
}
