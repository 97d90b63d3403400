//! The officers' REST view of appointments: `GET
//! /api/v1/offices/{code}/bookings?date=YYYY-MM-DD` (bearer token, office
//! scope as for the office's dossiers). Phone numbers are masked; personal
//! IDs are masked (first 3 and last 2 digits).

use axum::extract::State;
use cancuoc_core::booking::slots::hhmm;
use cancuoc_core::calendar::parse_date;
use cancuoc_core::phone::PhoneNumber;
use cancuoc_service::model::{Booking, BookingState};
use serde::{Deserialize, Serialize};

use super::PROBLEM;
use crate::app::App;
use crate::error::{ApiError, ProblemBody};
use crate::extract::{Auth, Json, Path, Query};

/// `?date=`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DayQuery {
    /// The day, `YYYY-MM-DD` (default, also when empty: today in
    /// Vietnam).
    #[param(value_type = Option<String>, format = Date)]
    pub date: Option<String>,
}

/// Where an appointment stands.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BookingStateView {
    /// Đã đặt: holds a seat.
    Booked,
    /// Đã hủy.
    Cancelled,
    /// Đã tiếp nhận: the citizen came.
    Received,
}

impl From<BookingState> for BookingStateView {
    fn from(s: BookingState) -> Self {
        match s {
            BookingState::Booked => Self::Booked,
            BookingState::Cancelled => Self::Cancelled,
            BookingState::Received => Self::Received,
        }
    }
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
    /// Where it stands.
    pub state: BookingStateView,
    /// Whether the online declaration is filled in.
    pub declared: bool,
}

/// The day's appointments of an office.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DayBookings {
    /// Office number.
    pub office: u16,
    /// The day, `YYYY-MM-DD`.
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
            phone: PhoneNumber::parse(&b.phone).map_or_else(|_| "•••".to_owned(), |p| p.masked()),
            personal_id: b.personal_id.as_deref().map(cancuoc_core::id::mask_any),
            state: b.state.into(),
            declared: b.has_declaration,
        }
    }
}

/// Appointments (lịch hẹn) of an office on one day, by start time.
#[utoipa::path(get, path = "/api/v1/offices/{code}/bookings", tag = "officer",
    params(("code" = u16, Path, minimum = 0, maximum = 9999, description = "Office number, 0–9999"), DayQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The day's appointments", body = DayBookings),
        (status = 400, description = "Not a real date, or the office is not a number from 0 to 65535 (`date.*`, `request.bad_path`)", body = ProblemBody, content_type = PROBLEM),
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
        Some(s) => Some(parse_date(s).map_err(|e| ApiError::field("date", &e))?),
    };
    let (day, list) = app.service().day_bookings(&officer, office, day).await?;
    Ok(Json(DayBookings {
        office,
        date: day.to_string(),
        bookings: list.iter().map(BookingItem::from).collect(),
    }))
}
