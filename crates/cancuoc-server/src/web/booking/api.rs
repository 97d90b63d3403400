//! The officers' REST view of appointments: `GET
//! /api/v1/offices/{code}/bookings?date=YYYY-MM-DD` (bearer token, office
//! scope as for the office's dossiers). Phone numbers are masked; personal
//! IDs are masked (first 3 and last 2 digits).

use axum::extract::State;
use cancuoc_store::Booking;
use serde::{Deserialize, Serialize};

use crate::app::App;
use crate::error::{ApiError, ProblemBody};
use crate::extract::{Auth, Json, Path, Query};
use crate::routes::PROBLEM;
use crate::service::ServiceError;

use super::slots::hhmm;

/// `?date=`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DayQuery {
    /// The day, `YYYY-MM-DD` (default: today in Vietnam).
    pub date: Option<String>,
}

/// One appointment of the day.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BookingItem {
    /// Mã lịch hẹn (11 digits).
    pub code: String,
    /// `HH:MM`.
    pub start: String,
    /// `HH:MM`.
    pub end: String,
    /// Họ và tên.
    pub full_name: String,
    /// Phone, last 3 digits only.
    pub phone: String,
    /// Personal ID, masked.
    pub personal_id: Option<String>,
    /// `booked`, `cancelled` or `received`.
    pub state: String,
    /// Whether the online declaration is filled in.
    pub declared: bool,
}

/// The day's appointments of an office.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DayBookings {
    /// Office number.
    pub office: u16,
    /// The day.
    pub date: String,
    /// By start time.
    pub bookings: Vec<BookingItem>,
}

impl From<&Booking> for BookingItem {
    fn from(b: &Booking) -> Self {
        Self {
            code: b.code.clone(),
            start: hhmm(b.start_min),
            end: hhmm(b.end_min),
            full_name: b.full_name.clone(),
            phone: super::code::PhoneNumber::parse(&b.phone)
                .map_or_else(|_| "•••".to_owned(), |p| p.masked()),
            personal_id: b.personal_id.as_deref().map(cancuoc_core::id::mask_any),
            state: b.state.code().to_owned(),
            declared: b.has_declaration,
        }
    }
}

/// The day's bookings of `office`, after the officer's scope check; `day`
/// `None` is today.
pub(crate) async fn day_bookings(
    app: &App,
    officer: &cancuoc_store::Officer,
    office: u16,
    day: Option<jiff::civil::Date>,
) -> Result<(jiff::civil::Date, Vec<Booking>), ServiceError> {
    app.service().check_view(officer, office).await?;
    let day = day.unwrap_or_else(|| app.service().today());
    let list = app.service().store().bookings_on(office, day).await?;
    Ok((day, list))
}

/// Appointments (lịch hẹn) of an office on one day, by start time.
#[utoipa::path(get, path = "/api/v1/offices/{code}/bookings", tag = "officer",
    params(("code" = u16, Path, description = "Office number"), DayQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The day's appointments", body = DayBookings),
        (status = 400, description = "Malformed date", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "Outside the officer's office scope", body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "No such office", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn office_bookings(
    State(app): State<App>,
    Auth(officer): Auth,
    Path(office): Path<u16>,
    Query(q): Query<DayQuery>,
) -> Result<Json<DayBookings>, ApiError> {
    let day = match q.date.as_deref() {
        None | Some("") => None,
        Some(s) => Some(s.parse::<jiff::civil::Date>().map_err(|_| {
            ApiError::from(ServiceError::invalid(
                "date",
                format!("“{s}” không phải ngày dạng YYYY-MM-DD"),
                format!("“{s}” is not a date YYYY-MM-DD"),
            ))
        })?),
    };
    let (day, list) = day_bookings(&app, &officer, office, day).await?;
    Ok(Json(DayBookings {
        office,
        date: day.to_string(),
        bookings: list.iter().map(BookingItem::from).collect(),
    }))
}
