//! Appointments (đặt lịch hẹn, `/dat-lich`) and the online declaration (tờ
//! khai, `/to-khai`).
//!
//! | Path | What |
//! |---|---|
//! | `GET /dat-lich?tinh=&don_vi=&ngay=&gio=` | choose province → office → day → slot, each a plain GET form |
//! | `POST /dat-lich` | name, phone, optional ID → a booking, 303 to its confirmation |
//! | `GET /dat-lich/xac-nhan/{code}` | confirmation: code, date, time, office address and hotline |
//! | `GET/POST /dat-lich/quan-ly` | find a booking with code + phone |
//! | `POST /dat-lich/huy`, `POST /dat-lich/doi` | cancel, move (code + phone again) |
//! | `GET /to-khai`, `POST /to-khai/mo`, `POST /to-khai` | the declaration draft of a booking |
//! | `GET /can-bo/lich-hen?ngay=`, `POST /can-bo/lich-hen/da-den` | officers (console session): the day's bookings of their office, mark arrived |
//! | `GET /api/v1/offices/{code}/bookings?date=` | officers (bearer token): the day's bookings |
//!
//! Days and slots: [`slots`]. Codes and phone numbers: [`code`]. Seats are
//! taken in the store's transaction (`Store::create_booking`), never
//! oversold under concurrency.

pub(crate) mod api;
pub(crate) mod code;
mod declaration;
mod fields;
mod officer;
mod pages;
pub(crate) mod province;
pub(crate) mod slots;

use axum::Router;
use axum::routing::{get, post};

use crate::app::App;
use code::BookingCode;

/// The booking and declaration pages.
pub(crate) fn router() -> Router<App> {
    Router::new()
        .route("/dat-lich", get(pages::book_form).post(pages::book))
        .route("/dat-lich/xac-nhan/{code}", get(pages::confirmation))
        .route(
            "/dat-lich/quan-ly",
            get(pages::manage_form).post(pages::manage),
        )
        .route("/dat-lich/huy", post(pages::cancel))
        .route("/dat-lich/doi", post(pages::reschedule))
        .route(
            "/to-khai",
            get(declaration::open_form).post(declaration::save),
        )
        .route("/to-khai/mo", post(declaration::open))
        .route("/can-bo/lich-hen", get(officer::day_list))
        .route("/can-bo/lich-hen/da-den", post(officer::arrived))
}

/// What reception pre-fills from an appointment's online declaration (tờ
/// khai trực tuyến): the fields as the citizen typed them, checked again at
/// the desk.
#[derive(Debug, Clone, Default)]
pub(crate) struct ReceptionPrefill {
    /// The appointment's code.
    pub booking_code: String,
    /// Whether the citizen filled in the declaration; when false only the
    /// booking's name, phone and ID are set.
    pub declared: bool,
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

/// The declaration saved with appointment `booking_code`, for reception:
/// `None` for a code that is malformed or unknown; for a booking without a
/// declaration, only its name, phone and ID (`declared == false`).
pub(crate) async fn prefill_for(
    app: &App,
    booking_code: &str,
) -> Result<Option<ReceptionPrefill>, crate::error::ApiError> {
    let Ok(code) = BookingCode::parse(booking_code) else {
        return Ok(None);
    };
    let store = app.service().store();
    let booking = match store.booking_by_code(code.as_str()).await {
        Ok(b) => b,
        Err(cancuoc_store::StoreError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let declaration = store.declaration_of(code.as_str()).await?;
    Ok(Some(match declaration {
        Some(d) => ReceptionPrefill {
            booking_code: booking.code,
            declared: true,
            full_name: d.full_name,
            date_of_birth: d.date_of_birth,
            sex: d.sex,
            personal_id: d.personal_id,
            phone: d.phone,
            nationality: d.nationality,
            ethnicity: d.ethnicity,
            religion: d.religion,
            place_of_origin: d.place_of_origin,
            birth_registration: d.birth_registration,
            permanent_residence: d.permanent_residence,
            current_residence: d.current_residence,
        },
        None => ReceptionPrefill {
            booking_code: booking.code,
            declared: false,
            full_name: booking.full_name,
            personal_id: booking.personal_id,
            phone: booking.phone,
            ..ReceptionPrefill::default()
        },
    }))
}

/// The canonical digits of an appointment code typed or linked in any
/// accepted form (grouped or not), `None` when it is malformed.
pub(crate) fn canonical_code(input: &str) -> Option<String> {
    BookingCode::parse(input.trim())
        .ok()
        .map(|c| c.as_str().to_owned())
}

/// What [`mark_received`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Received {
    /// The appointment is now received (đã tiếp nhận).
    Marked,
    /// It was received already (a repeated submit): nothing changed.
    Already,
    /// Malformed or unknown code, or an appointment at another office.
    NotHere,
    /// The appointment was cancelled: it stays cancelled.
    Cancelled,
}

/// Marks appointment `booking_code` received at the desk (đã tiếp nhận),
/// for reception once it has opened the dossier: the citizen can no longer
/// edit the declaration, and the day's list shows it. Only an appointment
/// of the officer's own office (as on the day's list); idempotent: a
/// received one answers [`Received::Already`].
pub(crate) async fn mark_received(
    app: &App,
    officer: &cancuoc_store::Officer,
    booking_code: &str,
) -> Result<Received, cancuoc_store::StoreError> {
    use cancuoc_store::{BookingState, StoreError};
    let Some(code) = canonical_code(booking_code) else {
        return Ok(Received::NotHere);
    };
    let store = app.service().store();
    let state_now = |b: cancuoc_store::Booking| match b.state {
        BookingState::Received => Received::Already,
        BookingState::Cancelled => Received::Cancelled,
        BookingState::Booked => Received::Marked,
    };
    let booking = match store.booking_by_code(&code).await {
        Ok(b) if b.office == officer.office => b,
        Ok(_) | Err(StoreError::NotFound { .. }) => return Ok(Received::NotHere),
        Err(e) => return Err(e),
    };
    if booking.state != BookingState::Booked {
        return Ok(state_now(booking));
    }
    let at = app.service().now().as_second();
    match store.mark_booking_received(&code, at).await {
        Ok(_) => Ok(Received::Marked),
        // Received or cancelled between the read and the write (two
        // submits at once): report what it is now.
        Err(StoreError::Conflict(_)) => Ok(state_now(store.booking_by_code(&code).await?)),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    //! `prefill_for` over a real store (SQLite file).
    use super::*;
    use crate::app::AppConfig;
    use cancuoc_core::id::alloc::Allocator;
    use cancuoc_store::{
        Declaration, NewBooking, NewOffice, OfficeLevel, OpeningHours, SlotKey, SlotRequest, Store,
    };
    use jiff::civil::date;

    #[tokio::test]
    async fn prefill_returns_the_draft_or_the_booking() {
        let dir = std::env::temp_dir().join(format!("cancuoc_prefill_{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let store = Store::connect(&format!("sqlite://{}", dir.join("t.db").display()))
            .await
            .expect("store");
        store
            .create_office(
                &NewOffice {
                    code: 790,
                    name: "Công an Huyện Thử".into(),
                    level: OfficeLevel::District,
                    parent: None,
                    address: "Số 1".into(),
                    hotline: "0900".into(),
                    opening_hours: OpeningHours::usual_with_saturday_morning(),
                    daily_capacity: 10,
                },
                None,
                0,
            )
            .await
            .expect("office");
        let app = App::new(store.clone(), AppConfig::default(), Allocator::new([1; 16]))
            .await
            .expect("app");
        let code = BookingCode::random(&mut rand::rng());
        let slot = SlotRequest {
            key: SlotKey {
                office: 790,
                day: date(2026, 11, 23),
                start_min: 450,
            },
            end_min: 480,
            capacity: 2,
        };
        store
            .create_booking(
                &NewBooking {
                    code: code.to_string(),
                    slot,
                    full_name: "Trần Thị Hẹn".into(),
                    phone: "0912345678".into(),
                    personal_id: Some("079190000001".into()),
                },
                0,
            )
            .await
            .expect("book");
        let p = prefill_for(&app, &code.grouped())
            .await
            .expect("ok")
            .expect("some");
        assert!(!p.declared);
        assert_eq!(p.full_name, "Trần Thị Hẹn");
        assert_eq!(p.personal_id.as_deref(), Some("079190000001"));
        let d = Declaration {
            full_name: "Trần Thị Hẹn".into(),
            date_of_birth: "1990".into(),
            sex: "female".into(),
            nationality: "Việt Nam".into(),
            religion: "Không".into(),
            permanent_residence: "Thôn 1".into(),
            phone: "0912345678".into(),
            ..Declaration::default()
        };
        store
            .save_declaration(code.as_str(), "0912345678", &d, 1)
            .await
            .expect("save");
        let p = prefill_for(&app, code.as_str())
            .await
            .expect("ok")
            .expect("some");
        assert!(p.declared);
        assert_eq!(
            (p.date_of_birth.as_str(), p.sex.as_str()),
            ("1990", "female")
        );
        assert_eq!(p.permanent_residence, "Thôn 1");
        assert!(prefill_for(&app, "123").await.expect("ok").is_none());
        let other = BookingCode::random(&mut rand::rng());
        assert!(
            prefill_for(&app, other.as_str())
                .await
                .expect("ok")
                .is_none()
        );
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
