//! Officer routes for citizens (công dân): search, get, register.

use axum::extract::State;
use axum::http::StatusCode;
use cancuoc_core::id::PersonalId;
use cancuoc_core::person::{PartialDate, Sex};
use cancuoc_service::model::{FieldProvenance, NewCitizen};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::wire::{CitizenView, FieldProvenanceView};
use super::{OFFICER, PROBLEM};
use crate::app::App;
use crate::error::{ApiError, ProblemBody};
use crate::extract::{Auth, Json, Path, Query};
use cancuoc_service::{CitizenRegistration, CitizenSearch};

/// Query of [`search`].
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Họ tên, diacritics and case ignored (`nguyen van` finds `Nguyễn Văn An`).
    pub name: String,
    /// Ngày sinh `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub dob: Option<String>,
    /// Match anywhere in the name, not only at its start (slower).
    pub contains: Option<bool>,
    /// At most this many (default 50, at most 500).
    pub limit: Option<u32>,
}

/// A list of citizens.
#[derive(Debug, Serialize, ToSchema)]
pub struct CitizenList {
    /// The National Population Database records found.
    pub items: Vec<CitizenView>,
}

/// Searches the population database by name and date of birth (tra cứu
/// công dân), diacritic-insensitive.
#[utoipa::path(get, path = "/api/v1/citizens", tag = OFFICER, params(SearchQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Matching citizens", body = CitizenList),
        (status = 400, description = "Bad name or date", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn search(
    State(app): State<App>,
    Auth(_officer): Auth,
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
    let items = app
        .service()
        .search_citizens(&CitizenSearch {
            name: q.name,
            dob,
            contains: q.contains.unwrap_or(false),
            limit: q.limit.unwrap_or(50),
        })
        .await?;
    Ok(Json(CitizenList {
        items: items.iter().map(CitizenView::from).collect(),
    }))
}

/// One citizen by personal ID (số định danh cá nhân).
#[utoipa::path(get, path = "/api/v1/citizens/{personal_id}", tag = OFFICER,
    params(("personal_id" = String, Path, description = "12 digits")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The record", body = CitizenView),
        (status = 400, description = "Malformed personal ID", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "No such citizen", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn get_citizen(
    State(app): State<App>,
    Auth(_officer): Auth,
    Path(id): Path<String>,
) -> Result<Json<CitizenView>, ApiError> {
    let id = PersonalId::parse(&id)?;
    Ok(Json((&app.service().citizen(&id).await?).into()))
}

/// A citizen to register (đăng ký công dân).
#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterCitizen {
    /// Số định danh cá nhân; leave out to have one assigned.
    pub personal_id: Option<String>,
    /// Họ, chữ đệm và tên.
    pub full_name: String,
    /// Ngày sinh `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub dob: String,
    /// Giới tính: `male`/`nam` or `female`/`nữ`.
    pub sex: String,
    /// Quốc tịch (default `Việt Nam`).
    pub nationality: Option<String>,
    /// Dân tộc (default `Kinh`).
    pub ethnicity: Option<String>,
    /// Tôn giáo (default `Không`).
    pub religion: Option<String>,
    /// Quê quán.
    pub place_of_origin: String,
    /// Nơi đăng ký khai sinh.
    pub birth_registration: String,
    /// Mã nơi đăng ký khai sinh (province 001–096, country 101–295): the
    /// prefix of an assigned personal ID; required without `personal_id`.
    pub birth_registration_code: Option<u16>,
    /// Nơi thường trú.
    pub permanent_residence: String,
    /// Nơi tạm trú.
    pub temporary_residence: Option<String>,
    /// Số điện thoại.
    pub phone: Option<String>,
    /// Số CMND cũ.
    #[serde(default)]
    pub old_cmnd: Vec<String>,
    /// Nguồn gốc dữ liệu of each field; default: every field verified
    /// from the documents shown at reception (`reception`).
    pub provenance: Option<FieldProvenanceView>,
}

fn parse_sex(s: &str) -> Result<Sex, ApiError> {
    Sex::parse(s).map_err(|e| ApiError::field("sex", &e))
}

/// Registers a citizen; without a personal ID one is assigned (cấp số định
/// danh) from the per-prefix counter in the same transaction.
#[utoipa::path(post, path = "/api/v1/citizens", tag = OFFICER, request_body = RegisterCitizen,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Registered", body = CitizenView),
        (status = 400, description = "Malformed field", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "Role may not register", body = ProblemBody, content_type = PROBLEM),
        (status = 409, description = "Personal ID already registered", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn register(
    State(app): State<App>,
    Auth(officer): Auth,
    Json(b): Json<RegisterCitizen>,
) -> Result<(StatusCode, Json<CitizenView>), ApiError> {
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
        provenance: b.provenance.map_or_else(
            || FieldProvenance::all_verified("reception"),
            FieldProvenance::from,
        ),
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
