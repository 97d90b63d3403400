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
use cancuoc_core::i18n::Localized;
use cancuoc_store::{BookingState, StoreError};
use jiff::ToSpan;
use jiff::civil::Date;

use super::api::{BookingItem, day_bookings};
use super::fields::{FieldMsg, Fields};
use super::pages::{day_label, see_other};
use crate::app::App;
use crate::web::console::session::Session;
use crate::web::error::PageError;
use crate::web::ui::Ui;

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
    app: &App,
    session: Session,
    day: Option<Date>,
    notice: Option<FieldMsg>,
) -> Result<DayList, PageError> {
    let ui = session.ui.clone();
    let office = session.officer.office;
    let (day, bookings) = day_bookings(app, &session.officer, office, day)
        .await
        .map_err(|e| PageError::api(&ui, e))?;
    let count = |s: BookingState| bookings.iter().filter(|b| b.state == s).count();
    let office_name = app
        .service()
        .offices()
        .get(office)
        .map_or_else(|| format!("{office:04}"), |o| o.name.clone());
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
    State(app): State<App>,
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
    State(app): State<App>,
    session: Session,
    body: axum::body::Bytes,
) -> Response {
    let f = Fields::parse(&body);
    if let Err(e) = session.check_csrf(f.get("csrf")) {
        return e.into_response();
    }
    let ui = session.ui.clone();
    let day = f.get("ngay").parse::<Date>().ok();
    let code = f.get("ma");
    let store = app.service().store();
    // Only a booking of the officer's own office.
    let refusal = match store.booking_by_code(code).await {
        Ok(b) if b.office == session.officer.office => {
            match store
                .mark_booking_received(code, app.service().now().as_second())
                .await
            {
                Ok(_) => None,
                Err(e @ StoreError::Conflict(_)) => {
                    Some(FieldMsg::new("ma", e.message_vi(), e.message_en()))
                }
                Err(e) => return PageError::api(&ui, e).into_response(),
            }
        }
        Ok(_) | Err(StoreError::NotFound { .. }) => Some(FieldMsg::new(
            "ma",
            "Không có lịch hẹn này tại đơn vị của bạn.",
            "No such appointment at your office.",
        )),
        Err(e) => return PageError::api(&ui, e).into_response(),
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
