//! The officers' list of the day's appointments (lịch hẹn trong ngày) at
//! their own office: `GET /can-bo/lich-hen?ngay=YYYY-MM-DD` (default
//! today), each booking linked to the reception desk
//! (`/can-bo/tiep-nhan?booking=CODE`, pre-filled from its declaration), and
//! `POST /can-bo/lich-hen/da-den` to mark a citizen received (the
//! declaration is frozen from then on). Phone numbers and personal IDs are
//! masked.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use cancuoc_service::model::BookingState;
use jiff::ToSpan;
use jiff::civil::Date;

use cancuoc_core::booking::slots::hhmm;
use cancuoc_core::phone::PhoneNumber;
use cancuoc_service::Received;
use cancuoc_service::model::Booking;

use super::fields::{FieldMsg, Fields};
use super::pages::{day_label, see_other};
use crate::Web;
use crate::console::session::Session;
use crate::error::PageError;
use crate::ui::Ui;

/// One appointment of the day's list: the phone and personal ID masked.
pub(crate) struct BookingItem {
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

impl From<&Booking> for BookingItem {
    fn from(b: &Booking) -> Self {
        Self {
            code: b.code.clone(),
            start: hhmm(b.start_min),
            end: hhmm(b.end_min),
            full_name: b.full_name.clone(),
            phone: PhoneNumber::parse(&b.phone).map_or_else(|_| "•••".to_owned(), |p| p.masked()),
            personal_id: b.personal_id.as_deref().map(cancuoc_core::id::mask_any),
            state: b.state.code().to_owned(),
            declared: b.has_declaration,
        }
    }
}

/// `GET /can-bo/lich-hen`.
#[derive(Template, WebTemplate)]
#[template(path = "console/bookings.html")]
pub(crate) struct DayList {
    ui: Ui,
    session: Session,
    office_name: String,
    day: Date,
    day_text: String,
    prev: Date,
    next: Date,
    rows: Vec<BookingItem>,
    booked: usize,
    cancelled: usize,
    received: usize,
    notice: Option<FieldMsg>,
}

/// The day's list; `notice` is shown above it.
async fn list(
    app: &Web,
    session: Session,
    day: Option<Date>,
    notice: Option<FieldMsg>,
) -> Result<DayList, PageError> {
    let ui = session.ui.clone();
    let office = session.officer.office;
    let (day, bookings) = app
        .service()
        .day_bookings(&session.officer, office, day)
        .await
        .map_err(|e| PageError::service(&ui, e))?;
    let count = |s: BookingState| bookings.iter().filter(|b| b.state == s).count();
    let office_name = session.office_name.clone();
    Ok(DayList {
        office_name,
        day_text: day_label(&ui, day),
        prev: day.checked_sub(1.day()).unwrap_or(day),
        next: day.checked_add(1.day()).unwrap_or(day),
        booked: count(BookingState::Booked),
        cancelled: count(BookingState::Cancelled),
        received: count(BookingState::Received),
        rows: bookings.iter().map(BookingItem::from).collect(),
        day,
        notice,
        ui,
        session,
    })
}

/// `GET /can-bo/lich-hen?ngay=`: a malformed day shows today with a note.
pub(crate) async fn day_list(
    State(app): State<Web>,
    session: Session,
    RawQuery(q): RawQuery,
) -> Result<DayList, PageError> {
    let f = Fields::parse(q.unwrap_or_default().as_bytes());
    let (day, notice) = match f.opt("ngay") {
        None => (None, None),
        Some(s) => match s.parse::<Date>() {
            Ok(d) => (Some(d), None),
            Err(_) => (
                None,
                Some(FieldMsg::new(
                    "ngay",
                    format!("“{s}” không phải ngày dạng YYYY-MM-DD; đang hiện hôm nay."),
                    format!("“{s}” is not a date YYYY-MM-DD; showing today."),
                )),
            ),
        },
    };
    list(&app, session, day, notice).await
}

/// `POST /can-bo/lich-hen/da-den` (`csrf`, `ma`, `ngay`): marks the
/// booking received, then back to the day's list (303).
pub(crate) async fn arrived(
    State(app): State<Web>,
    session: Session,
    body: axum::body::Bytes,
) -> Response {
    let f = Fields::parse(&body);
    if let Err(e) = session.check_csrf(f.get("csrf")) {
        return e.into_response();
    }
    let ui = session.ui.clone();
    let day = f.get("ngay").parse::<Date>().ok();
    // The shared path reception uses too: the code as people type it, only
    // an appointment of the officer's own office.
    let received = match super::canonical_code(f.get("ma")) {
        Some(code) => {
            app.service()
                .mark_booking_received(&session.officer, &code)
                .await
        }
        None => Ok(Received::NotHere),
    };
    let refusal = match received {
        Ok(Received::Marked) => None,
        Ok(Received::Already) => Some(FieldMsg::new(
            "ma",
            "Lịch hẹn này đã được tiếp nhận.",
            "This appointment was received already.",
        )),
        Ok(Received::Cancelled) => Some(FieldMsg::new(
            "ma",
            "Lịch hẹn này đã bị hủy.",
            "This appointment was cancelled.",
        )),
        Ok(Received::NotHere) => Some(FieldMsg::new(
            "ma",
            "Không có lịch hẹn này tại đơn vị của bạn.",
            "No such appointment at your office.",
        )),
        Err(e) => return PageError::service(&ui, e).into_response(),
    };
    match refusal {
        None => see_other(&format!(
            "/can-bo/lich-hen?ngay={}",
            day.unwrap_or_else(|| app.service().today())
        )),
        Some(m) => match list(&app, session, day, Some(m)).await {
            Ok(p) => (axum::http::StatusCode::CONFLICT, p).into_response(),
            Err(e) => e.into_response(),
        },
    }
}
