//! Appointments (đặt lịch hẹn, `/dat-lich`) and the online declaration (tờ
//! khai, `/to-khai`).

use axum::Router;

use crate::app::{App, AppConfig};

/// Per-process state of the booking pages.
#[derive(Debug, Default)]
pub(crate) struct BookingState {}

impl BookingState {
    /// Fresh state.
    pub(crate) fn new(_config: &AppConfig) -> Self {
        Self::default()
    }
}

/// The booking and declaration pages.
pub(crate) fn router() -> Router<App> {
    Router::new()
}

/// What reception pre-fills from an appointment's online declaration (tờ
/// khai trực tuyến): the fields as the citizen typed them, checked again at
/// the desk.
#[derive(Debug, Clone, Default)]
#[expect(dead_code, reason = "filled in by the declaration store")]
pub(crate) struct ReceptionPrefill {
    /// The appointment's code.
    pub booking_code: String,
    /// Full name (họ, chữ đệm và tên).
    pub full_name: String,
    /// Date of birth as declared (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    pub date_of_birth: String,
    /// `male` or `female`.
    pub sex: String,
    /// The 12-digit personal ID, when the citizen has one.
    pub personal_id: Option<String>,
    /// Phone number.
    pub phone: String,
    /// Nationality (quốc tịch).
    pub nationality: String,
    /// Ethnicity (dân tộc).
    pub ethnicity: String,
    /// Religion (tôn giáo).
    pub religion: String,
    /// Place of origin (quê quán).
    pub place_of_origin: String,
    /// Place of birth registration (nơi đăng ký khai sinh).
    pub birth_registration: String,
    /// Permanent residence (nơi thường trú).
    pub permanent_residence: String,
    /// Current residence (nơi ở hiện tại), when different.
    pub current_residence: String,
}

/// The declaration saved with appointment `booking_code`, for reception.
/// Until appointments are stored there is nothing to pre-fill.
pub(crate) async fn prefill_for(
    _app: &App,
    _booking_code: &str,
) -> Result<Option<ReceptionPrefill>, crate::error::ApiError> {
    Ok(None)
}
