//! Officer routes for citizens (công dân): search, get, register.
//!
//! Reads go through the service's scoped, audited reads, as the console's
//! do: a name search lists only the records the officer may read, a read
//! by personal ID outside the officer's scope is 403, and each record
//! returned (or refused) leaves an audit row with its purpose (`api_read`,
//! `api_search`). A registration is checked by the service's one rule
//! (`CitizenRegistration::checked`) and its provenance is the registering
//! officer's; a client that sends `provenance` is refused (422).

use axum::extract::State;
use axum::http::StatusCode;
use cancuoc_core::id::PersonalId;
use cancuoc_core::person::{PartialDate, Sex};
use cancuoc_service::model::{NewCitizen, ReadPurpose};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::wire::{
    CitizenView, CmndText, FieldProvenanceView, FullNameText, PartialDateText, PersonalIdText,
    PhoneText, PlaceText, SexText,
};
use super::{OFFICER, PROBLEM};
use crate::app::App;
use cancuoc_core::i18n::ErrorBody;

use crate::error::{ApiError, ProblemBody};
use crate::extract::{Auth, Json, Path, Query};
use cancuoc_service::{CitizenKey, CitizenRegistration, CitizenSearch, NameMatch, provenance_of};

/// Query of [`search`].
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Họ tên, diacritics and case ignored (`nguyen van` finds `Nguyễn Văn An`);
    /// it must hold a letter or a digit (else 422).
    #[param(min_length = 1)]
    pub name: String,
    /// Ngày sinh `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[param(value_type = Option<PartialDateText>)]
    pub dob: Option<String>,
    /// Match anywhere in the name, not only at its start (slower).
    pub contains: Option<bool>,
    /// At most this many (default 50); 0 reads as 1 and more than 500 as
    /// 500.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// A list of citizens.
#[derive(Debug, Serialize, ToSchema)]
pub struct CitizenList {
    /// The National Population Database records found.
    pub items: Vec<CitizenView>,
}

/// Searches the population database by name and date of birth (tra cứu
/// công dân), diacritic-insensitive, within the officer's read scope:
/// central roles search everyone, any other officer the citizens with an
/// open dossier at an office whose dossiers they may read. The search and
/// each record listed are audited.
#[utoipa::path(get, path = "/api/v1/citizens", tag = OFFICER, params(SearchQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Matching citizens", body = CitizenList),
        (status = 400, description = "Malformed query: missing name, not a date of birth (`request.bad_query`, `date.invalid`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "A name without a letter or a digit", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn search(
    State(app): State<App>,
    Auth(officer): Auth,
    Query(q): Query<SearchQuery>,
) -> Result<Json<CitizenList>, ApiError> {
    let dob = q
        .dob
        .as_deref()
        .map(|d| {
            d.parse::<PartialDate>()
                .map_err(|e| ApiError::field("dob", &e))
        })
        .transpose()?;
    let found = app
        .service()
        .search_citizens_for(
            &officer,
            &CitizenSearch {
                name: q.name,
                dob,
                matching: if q.contains.unwrap_or(false) {
                    NameMatch::Contains
                } else {
                    NameMatch::Prefix
                },
                limit: q.limit.unwrap_or(50),
            },
            ReadPurpose::ApiSearch,
        )
        .await?;
    Ok(Json(CitizenList {
        items: found.citizens.iter().map(CitizenView::from).collect(),
    }))
}

/// One citizen by personal ID (số định danh cá nhân), within the
/// officer's read scope — or any citizen for a reception desk of an office
/// that receives the public, which identifies the applicant by the number
/// they give. The read, or its refusal, is audited.
#[utoipa::path(get, path = "/api/v1/citizens/{personal_id}", tag = OFFICER,
    params(("personal_id" = PersonalIdText, Path, description = "Số định danh cá nhân, 12 digits")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The record", body = CitizenView),
        (status = 400, description = "Malformed personal ID or path (`id.*`, `request.bad_path`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "The citizen is outside the officer's read scope (`service.citizen_out_of_scope`)", body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "No such citizen", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn get_citizen(
    State(app): State<App>,
    Auth(officer): Auth,
    Path(id): Path<String>,
) -> Result<Json<CitizenView>, ApiError> {
    let id = PersonalId::parse(&id)?;
    let c = app
        .service()
        .citizen_for(&officer, &CitizenKey::PersonalId(id), ReadPurpose::ApiRead)
        .await?;
    Ok(Json((&c).into()))
}

/// A citizen to register (đăng ký công dân).
#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterCitizen {
    /// Số định danh cá nhân; leave out to have one assigned.
    #[schema(value_type = Option<PersonalIdText>)]
    pub personal_id: Option<String>,
    /// Họ, chữ đệm và tên: letters and single spaces (else 422).
    #[schema(value_type = FullNameText)]
    pub full_name: String,
    /// Ngày sinh `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[schema(value_type = PartialDateText)]
    pub dob: String,
    /// Giới tính: `male`/`nam` or `female`/`nữ`.
    #[schema(value_type = SexText)]
    pub sex: String,
    /// Quốc tịch (default `Việt Nam`).
    #[schema(value_type = Option<PlaceText>)]
    pub nationality: Option<String>,
    /// Dân tộc (default `Kinh`).
    #[schema(value_type = Option<PlaceText>)]
    pub ethnicity: Option<String>,
    /// Tôn giáo (default `Không`).
    #[schema(value_type = Option<PlaceText>)]
    pub religion: Option<String>,
    /// Quê quán.
    #[schema(value_type = PlaceText)]
    pub place_of_origin: String,
    /// Nơi đăng ký khai sinh.
    #[schema(value_type = PlaceText)]
    pub birth_registration: String,
    /// Mã nơi đăng ký khai sinh (province 001–096, country 101–295): the
    /// prefix of an assigned personal ID; required without `personal_id`
    /// (422 when missing or not a code in use).
    #[schema(minimum = 1, maximum = 295)]
    pub birth_registration_code: Option<u16>,
    /// Nơi thường trú.
    #[schema(value_type = PlaceText)]
    pub permanent_residence: String,
    /// Nơi tạm trú.
    #[schema(value_type = Option<PlaceText>)]
    pub temporary_residence: Option<String>,
    /// Số điện thoại di động.
    #[schema(value_type = Option<PhoneText>)]
    pub phone: Option<String>,
    /// Số CMND cũ.
    #[serde(default)]
    #[schema(value_type = Vec<CmndText>)]
    pub old_cmnd: Vec<String>,
    /// Nguồn gốc dữ liệu: set by the server — every field verified, the
    /// source naming the registering officer's role and office (e.g.
    /// `receptionist:0790`) — and never taken from a client: a request
    /// that sends it is refused (422 `request.read_only_field`).
    #[schema(value_type = Option<FieldProvenanceView>, read_only)]
    pub provenance: Option<serde::de::IgnoredAny>,
}

fn parse_sex(s: &str) -> Result<Sex, ApiError> {
    Sex::parse(s).map_err(|e| ApiError::field("sex", &e))
}

/// Registers a citizen; without a personal ID one is assigned (cấp số định
/// danh) from the per-prefix counter in the same transaction. Checked as
/// the console's registration form is; the provenance is the registering
/// officer's.
#[utoipa::path(post, path = "/api/v1/citizens", tag = OFFICER, request_body = RegisterCitizen,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Registered", body = CitizenView, links(
            ("GetCitizen" = (operation_id = "get_citizen", description = "The record registered", parameters(("personal_id" = "$response.body#/personal_id")))),
            ("OpenDossier" = (operation_id = "open", description = "A dossier for the citizen registered", request_body = json!({"citizen_id": "$response.body#/id"})))
        )),
        (status = 400, description = "A body that is not JSON, a malformed personal ID, date of birth or sex (`request.bad_json`, `id.*`, `date.invalid`, `sex.*`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "Role may not register", body = ProblemBody, content_type = PROBLEM),
        (status = 409, description = "Personal ID already registered", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape (`request.bad_json`); a `provenance` sent (`request.read_only_field`); a field the registration rule refuses, named in the messages: a name that is not letters (`name.*`), a phone that is not a Vietnamese mobile number (`phone.*`), a personal ID that contradicts the date of birth or sex (`id.mismatch.*`), a date of birth after today, a place missing, too long or with markup (`citizen.*`); an old CMND number that is not 9 or 12 digits, no birth registration code to assign a number from, or one not in use (`service.invalid_field`, `store.*`)", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn register(
    State(app): State<App>,
    Auth(officer): Auth,
    Json(b): Json<RegisterCitizen>,
) -> Result<(StatusCode, Json<CitizenView>), ApiError> {
    if b.provenance.is_some() {
        return Err(ApiError::Refused {
            field: "provenance".into(),
            body: ErrorBody {
                code: "request.read_only_field",
                message_vi: "nguồn gốc dữ liệu do máy chủ ghi theo cán bộ đăng ký; không gửi trường provenance".into(),
                message_en: "the provenance is recorded by the server from the registering officer; do not send provenance".into(),
            },
        });
    }
    let personal_id = b
        .personal_id
        .as_deref()
        .map(PersonalId::parse)
        .transpose()?;
    let dob = b
        .dob
        .parse::<PartialDate>()
        .map_err(|e| ApiError::field("dob", &e))?;
    let citizen = NewCitizen {
        personal_id,
        full_name: b.full_name,
        dob,
        sex: parse_sex(&b.sex)?,
        nationality: b.nationality.unwrap_or_else(|| "Việt Nam".into()),
        ethnicity: b.ethnicity.unwrap_or_else(|| "Kinh".into()),
        religion: b.religion.unwrap_or_else(|| "Không".into()),
        place_of_origin: b.place_of_origin,
        birth_registration: b.birth_registration,
        permanent_residence: b.permanent_residence,
        temporary_residence: b.temporary_residence,
        phone: b.phone,
        old_cmnd: b.old_cmnd,
        provenance: provenance_of(&officer),
    };
    let c = app
        .service()
        .register_citizen(
            Some(&officer),
            CitizenRegistration {
                citizen,
                birth_registration_code: b.birth_registration_code,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json((&c).into())))
}
