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
//!
//! Days and slots are `cancuoc_core::booking::slots`; codes and phone
//! numbers `cancuoc_core::booking::BookingCode` and
//! `cancuoc_core::phone::PhoneNumber`. Every page calls one use case of
//! `cancuoc_service` (booking, moving, the declaration, the day's list);
//! seats are taken in the store's transaction, never oversold under
//! concurrency.

mod declaration;
pub(crate) mod fields;
mod officer;
mod pages;
pub(crate) mod province;

pub(crate) use pages::weekday_names;

use axum::Router;
use axum::routing::{get, post};

use cancuoc_core::booking::BookingCode;

use crate::Web;

/// The booking and declaration pages.
pub(crate) fn router() -> Router<Web> {
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

/// The canonical digits of an appointment code typed or linked in any
/// accepted form (grouped or not), `None` when it is malformed.
pub(crate) fn canonical_code(input: &str) -> Option<BookingCode> {
    BookingCode::parse(input).ok()
}
