//! The booking pages: choose a slot step by step, confirm, and manage the
//! booking (see, cancel, move) with its code and phone number.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use cancuoc_core::booking::BookingCode;
use cancuoc_core::booking::slots::{ClosedDay, DayOffer, FreeSlot, hhmm, parse_hhmm};
use cancuoc_core::i18n::Localized;
use cancuoc_core::id::PersonalId;
use cancuoc_core::person::FullName;
use cancuoc_core::phone::PhoneNumber;
use cancuoc_core::text::search_key;
use cancuoc_service::model::{Booking, BookingState, Office};
use cancuoc_service::{BookingRequest, Client, ErrorClass, Presence, ServiceError};
use jiff::civil::Date;

use super::fields::{Errors, FieldMsg, Fields};
use super::province::province_label;
use crate::Web;
use crate::citizen::Msg;
use crate::citizen::captcha::{self, Challenge, Kind, kind_of};
use crate::client::Caller;
use crate::error::PageError;
use crate::ui::Ui;

/// One `<option>`.
pub(crate) struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The weekday of `d` in Vietnamese and English.
pub(crate) fn weekday_names(d: Date) -> (&'static str, &'static str) {
    use jiff::civil::Weekday::*;
    match d.weekday() {
        Monday => ("Thứ Hai", "Monday"),
        Tuesday => ("Thứ Ba", "Tuesday"),
        Wednesday => ("Thứ Tư", "Wednesday"),
        Thursday => ("Thứ Năm", "Thursday"),
        Friday => ("Thứ Sáu", "Friday"),
        Saturday => ("Thứ Bảy", "Saturday"),
        Sunday => ("Chủ nhật", "Sunday"),
    }
}

/// A day's name in the page's language: `Thứ Hai 23/11/2026`.
pub(crate) fn day_label(ui: &Ui, d: Date) -> String {
    let (vi, en) = weekday_names(d);
    format!("{} {}", ui.t(vi, en), d.strftime("%d/%m/%Y"))
}

/// A day of the booking window: `Thứ Hai 23/11`.
fn short_day_label(ui: &Ui, d: Date) -> String {
    let long = day_label(ui, d);
    // `day_label` ends with `dd/mm/yyyy`: drop `/yyyy`.
    long.get(..long.len().saturating_sub(5))
        .map_or_else(|| long.clone(), str::to_owned)
}

/// A free slot as an `<option>`: `07:30–08:00 (13 chỗ trống)`.
fn slot_opt(ui: &Ui, s: &FreeSlot, selected: bool) -> Opt {
    Opt {
        value: s.start_hhmm(),
        label: format!(
            "{} ({} {})",
            s.label(),
            s.free,
            ui.t("chỗ trống", "seats left")
        ),
        selected,
    }
}

/// What the citizen has chosen so far (query of `GET /dat-lich`, hidden
/// fields of the details form).
#[derive(Default)]
struct Choice {
    province: Option<u16>,
    office: Option<u16>,
    day: Option<Date>,
    start: Option<u16>,
}

impl Choice {
    fn read(f: &Fields) -> Self {
        Self {
            province: f.get("tinh").parse().ok(),
            office: f.get("don_vi").parse().ok(),
            day: f.get("ngay").parse().ok(),
            start: parse_hhmm(f.get("gio")),
        }
    }
}

/// `GET /dat-lich` and the re-rendered details form.
#[derive(Template, WebTemplate)]
#[template(path = "booking/book.html")]
pub(crate) struct BookPage {
    ui: Ui,
    provinces: Vec<Opt>,
    province: Option<u16>,
    offices: Vec<Opt>,
    office: Option<Office>,
    days: Vec<Opt>,
    closed: Vec<String>,
    day: Option<Date>,
    slots: Vec<Opt>,
    slot: Option<FreeSlot>,
    /// A message at the top (a choice no longer available, a slot just
    /// taken), in both languages.
    notice: Option<FieldMsg>,
    name: String,
    phone: String,
    personal_id: String,
    errors: Errors,
    /// The captcha of the details form (shown with the details).
    challenge: Option<Challenge>,
    /// Why the last answer to it was refused.
    captcha_error: Option<Msg>,
}

impl BookPage {
    /// Whether the captcha shown is of kind `k` (`anh`, `nghe`, `chu`).
    fn is_kind(&self, k: &str) -> bool {
        self.challenge.as_ref().is_some_and(|c| c.kind.code() == k)
    }

    /// The details form switches captcha kinds by resubmitting itself
    /// (`POST /dat-lich` with `kieu_moi`: the form comes back with the
    /// slot, name, phone and ID filled in and nothing booked; a POST, so
    /// none of them lands in a URL).
    fn kind_switch_in_form(&self) -> bool {
        true
    }

    /// This page with another kind of captcha, keeping the chosen slot.
    fn kind_href(&self, k: &str) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        if let Some(p) = self.province {
            q.append_pair("tinh", &p.to_string());
        }
        if let Some(o) = &self.office {
            q.append_pair("don_vi", &o.code.to_string());
        }
        if let Some(d) = self.day {
            q.append_pair("ngay", &d.to_string());
        }
        if let Some(s) = self.slot {
            q.append_pair("gio", &s.start_hhmm());
        }
        q.append_pair("kieu", k);
        if self.ui.is_en() {
            q.append_pair("lang", "en");
        }
        format!("/dat-lich?{}#details-h", q.finish())
    }

    /// Adds a new captcha of `kind` for `client` when the details form is
    /// shown.
    async fn with_challenge(
        mut self,
        app: &Web,
        kind: Kind,
        client: Client,
    ) -> Result<Self, PageError> {
        if self.slot.is_some() {
            let c = captcha::new_challenge(app, kind, client)
                .await
                .map_err(|e| PageError::service(&self.ui, e))?;
            self.challenge = Some(c);
        }
        Ok(self)
    }
}

/// The days of the window with free slots at `office`, and the closed days.
async fn offers(
    app: &Web,
    ui: &Ui,
    office: &Office,
) -> Result<(Vec<DayOffer>, Vec<ClosedDay>), PageError> {
    let o = app
        .service()
        .booking_offers(office)
        .await
        .map_err(|e| PageError::service(ui, e))?;
    Ok((o.open, o.closed))
}

/// Builds the booking page for a choice: each step is shown once the one
/// before it is chosen and valid; a choice that is not (or no longer)
/// available is dropped with a notice.
async fn book_page(app: &Web, ui: Ui, choice: Choice) -> Result<BookPage, PageError> {
    let mut notice = None;
    // Each province office under the province's own name, in alphabetical
    // order without diacritics (Bắc Ninh before Cà Mau before Đà Nẵng).
    let province_offices = app.service().booking_provinces();
    let mut provinces: Vec<(String, &Office)> = province_offices
        .iter()
        .map(|o| (province_label(&o.name), o))
        .collect();
    provinces.sort_by_cached_key(|(label, o)| (search_key(label), o.code));
    let province = choice
        .province
        .filter(|p| provinces.iter().any(|(_, o)| o.code == *p));
    let mut page = BookPage {
        provinces: provinces
            .iter()
            .map(|(label, o)| Opt {
                value: o.code.to_string(),
                label: label.clone(),
                selected: Some(o.code) == province,
            })
            .collect(),
        province,
        offices: Vec::new(),
        office: None,
        days: Vec::new(),
        closed: Vec::new(),
        day: None,
        slots: Vec::new(),
        slot: None,
        notice: None,
        name: String::new(),
        phone: String::new(),
        personal_id: String::new(),
        errors: Errors::new(&ui),
        challenge: None,
        captcha_error: None,
        ui,
    };
    let Some(province) = province else {
        return Ok(page);
    };
    let offices = app.service().receiving_offices(province);
    let office = choice
        .office
        .and_then(|c| offices.iter().find(|o| o.code == c).cloned());
    page.offices = offices
        .iter()
        .map(|o| Opt {
            value: o.code.to_string(),
            label: o.name.clone(),
            selected: Some(o.code) == office.as_ref().map(|o| o.code),
        })
        .collect();
    let Some(office) = office else {
        return Ok(page);
    };
    let (open, closed) = offers(app, &page.ui, &office).await?;
    page.closed = closed
        .iter()
        .map(|c| {
            format!(
                "{}: {}",
                day_label(&page.ui, c.day),
                page.ui.t(&c.reason_vi, &c.reason_en)
            )
        })
        .collect();
    let day = choice
        .day
        .and_then(|d| open.iter().find(|o| o.day == d && !o.slots.is_empty()));
    if choice.day.is_some() && day.is_none() {
        notice = Some(FieldMsg::new(
            "ngay",
            "Ngày đã chọn không còn khung giờ trống hoặc đơn vị không làm việc; hãy chọn ngày khác.",
            "The chosen day has no free slot or the office is closed; choose another day.",
        ));
    }
    page.days = open
        .iter()
        .filter(|o| !o.slots.is_empty())
        .map(|o| Opt {
            value: o.day.to_string(),
            // Short enough for a closed select on a 360 px phone: the
            // window is 7 days, so the year says nothing.
            label: format!(
                "{} ({} {})",
                short_day_label(&page.ui, o.day),
                o.slots.len(),
                page.ui.t("khung trống", "free slots")
            ),
            selected: Some(o.day) == day.map(|d| d.day),
        })
        .collect();
    page.office = Some(office);
    let Some(day) = day else {
        page.notice = notice;
        return Ok(page);
    };
    page.day = Some(day.day);
    let slot = choice
        .start
        .and_then(|s| day.slots.iter().find(|f| f.start == s).copied());
    if choice.start.is_some() && slot.is_none() {
        notice = Some(FieldMsg::new(
            "gio",
            "Khung giờ đã chọn đã hết chỗ hoặc không có; hãy chọn khung giờ khác.",
            "The chosen time slot is full or does not exist; choose another one.",
        ));
    }
    page.slots = day
        .slots
        .iter()
        .map(|s| slot_opt(&page.ui, s, Some(s.start) == slot.map(|x| x.start)))
        .collect();
    page.slot = slot;
    page.notice = notice;
    Ok(page)
}

/// `GET /dat-lich`.
pub(crate) async fn book_form(
    State(app): State<Web>,
    ui: Ui,
    Caller(client): Caller,
    RawQuery(q): RawQuery,
) -> Result<BookPage, PageError> {
    let f = Fields::parse(q.unwrap_or_default().as_bytes());
    let kind = kind_of(Some(f.get("kieu")));
    let mut page = book_page(&app, ui, Choice::read(&f))
        .await?
        .with_challenge(&app, kind, client)
        .await?;
    // Details typed before a slot ran out come back through the steps.
    page.name = f.get("ho_ten").to_owned();
    page.phone = f.get("dien_thoai").to_owned();
    page.personal_id = f.get("so_dinh_danh").to_owned();
    Ok(page)
}

/// `POST /dat-lich`: reads the details, then books the slot exactly as the
/// form names it (the service re-checks it and takes the seat); 303 to the
/// confirmation, or the form again with the messages.
pub(crate) async fn book(
    State(app): State<Web>,
    ui: Ui,
    Caller(client): Caller,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let choice = Choice::read(&f);
    // `kieu_moi`: a switch of the captcha's kind, which also sends the
    // kind shown (`kieu`).
    let switch = f.opt("kieu_moi");
    let kind = kind_of(Some(switch.unwrap_or(f.get("kieu"))));
    let mut errors = Errors::new(&ui);
    let name = FullName::parse(f.get("ho_ten")).map_err(|e| {
        errors.push(FieldMsg::new("ho_ten", e.message_vi(), e.message_en()));
    });
    let phone = PhoneNumber::parse(f.get("dien_thoai")).map_err(|e| {
        errors.push(FieldMsg::new("dien_thoai", e.message_vi(), e.message_en()));
    });
    let pid = match f.opt("so_dinh_danh") {
        None => Ok(None),
        Some(s) => PersonalId::parse_lenient_input(s).map(Some).map_err(|e| {
            errors.push(FieldMsg::new(
                "so_dinh_danh",
                e.message_vi(),
                e.message_en(),
            ));
        }),
    };
    // The form again, with a new captcha (the one sent, if any, is spent
    // or was never checked: a fresh one either way).
    let rerender = |errors: Errors,
                    notice: Option<FieldMsg>,
                    captcha_error: Option<Msg>,
                    status: StatusCode| {
        let app = app.clone();
        let ui = ui.clone();
        let f = f.clone();
        async move {
            let page = match book_page(&app, ui, Choice::read(&f)).await {
                Ok(p) => p.with_challenge(&app, kind, client).await,
                Err(e) => Err(e),
            };
            match page {
                Ok(mut page) => {
                    page.name = f.get("ho_ten").to_owned();
                    page.phone = f.get("dien_thoai").to_owned();
                    page.personal_id = f.get("so_dinh_danh").to_owned();
                    page.errors = errors;
                    page.captcha_error = captcha_error;
                    if notice.is_some() {
                        page.notice = notice;
                    }
                    (status, page).into_response()
                }
                Err(e) => e.into_response(),
            }
        }
    };
    if switch.is_some() || f.opt("buoc").is_some() {
        // Another kind of captcha, or the days and times of a changed
        // choice, asked for: the form again, as typed, nothing checked or
        // booked.
        return rerender(Errors::new(&ui), None, None, StatusCode::OK).await;
    }
    let (Some(province), Some(office), Some(day), Some(start)) =
        (choice.province, choice.office, choice.day, choice.start)
    else {
        let m = FieldMsg::new(
            "gio",
            "Hãy chọn tỉnh, đơn vị, ngày và khung giờ.",
            "Choose a province, an office, a day and a time slot.",
        );
        return rerender(errors, Some(m), None, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    // The steps are one form: a province changed without "Tiếp tục" still
    // sends the office of the one before. Book only what fits together.
    if !app
        .service()
        .receiving_offices(province)
        .iter()
        .any(|o| o.code == office)
    {
        let m = FieldMsg::new(
            "don_vi",
            "Cơ quan đã chọn không thuộc tỉnh, thành phố đã chọn. Hãy chọn lại cơ quan tiếp nhận, ngày và giờ rồi bấm Đặt lịch; chưa có lịch hẹn nào được đặt.",
            "The chosen office is not in the chosen province. Choose the receiving office, day and time again, then press Book; nothing has been booked.",
        );
        return rerender(errors, Some(m), None, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let (Ok(full_name), Ok(phone), Ok(personal_id)) = (name, phone, pid) else {
        // The captcha is not spent: the citizen fixes the fields and
        // answers the new one shown.
        return rerender(errors, None, None, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let req = BookingRequest {
        office,
        day,
        start,
        full_name,
        phone,
        personal_id,
    };
    let presence = Presence::Captcha {
        id: f.get("challenge"),
        answer: f.get("captcha"),
    };
    match app.service().book(req, presence, client).await {
        Ok(b) => see_other(&format!("/dat-lich/xac-nhan/{}", b.code)),
        Err(ServiceError::Captcha(check)) => {
            let m = if f.get("captcha").trim().is_empty() {
                Msg::new("Hãy nhập mã xác nhận.", "Please type the security code.")
            } else {
                captcha::captcha_message(check, kind)
            };
            rerender(errors, None, Some(m), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => match e.class() {
            ErrorClass::Invalid | ErrorClass::Conflict => {
                let status = crate::error::status_of(e.class());
                let field = match e.code() {
                    "store.holder_limit.phone" => "dien_thoai",
                    "store.holder_limit.personal_id" => "so_dinh_danh",
                    _ => "gio",
                };
                let notice = FieldMsg::new(field, e.message_vi(), e.message_en());
                rerender(errors, Some(notice), None, status).await
            }
            _ => PageError::service(&ui, e).into_response(),
        },
    }
}

/// A booking as the pages show it.
pub(crate) struct BookingView {
    pub code: String,
    pub grouped: String,
    pub day: String,
    pub time: String,
    pub office_name: String,
    pub address: String,
    pub hotline: String,
    pub state: BookingState,
    pub state_text: String,
    pub declared: bool,
    pub name: String,
    pub phone_masked: String,
}

impl BookingView {
    pub(crate) fn of(app: &Web, ui: &Ui, b: &Booking) -> Self {
        let office = app.service().offices().get(b.office).cloned();
        let grouped = BookingCode::parse(&b.code).map_or_else(|_| b.code.clone(), |c| c.grouped());
        Self {
            code: b.code.clone(),
            grouped,
            day: day_label(ui, b.day),
            time: format!("{}–{}", hhmm(b.start_min), hhmm(b.end_min)),
            office_name: office
                .as_ref()
                .map_or_else(|| b.office.to_string(), |o| o.name.clone()),
            address: office
                .as_ref()
                .map_or_else(String::new, |o| o.address.clone()),
            hotline: office
                .as_ref()
                .map_or_else(String::new, |o| o.hotline.clone()),
            state: b.state,
            state_text: ui
                .t(
                    match b.state {
                        BookingState::Booked => "Đã đặt",
                        BookingState::Cancelled => "Đã hủy",
                        BookingState::Received => "Đã tiếp nhận",
                    },
                    match b.state {
                        BookingState::Booked => "Booked",
                        BookingState::Cancelled => "Cancelled",
                        BookingState::Received => "Received",
                    },
                )
                .to_owned(),
            declared: b.has_declaration,
            name: b.full_name.clone(),
            phone_masked: PhoneNumber::parse(&b.phone)
                .map_or_else(|_| String::new(), |p| p.masked()),
        }
    }

    /// Whether it still holds a seat.
    pub(crate) fn is_booked(&self) -> bool {
        self.state == BookingState::Booked
    }
}

/// `GET /dat-lich/xac-nhan/{code}`.
#[derive(Template, WebTemplate)]
#[template(path = "booking/confirm.html")]
pub(crate) struct ConfirmPage {
    ui: Ui,
    b: BookingView,
    /// Just after the declaration was saved (`?to_khai=da_luu`).
    saved: bool,
}

/// `GET /dat-lich/xac-nhan/{code}`: the code, date, time, office address
/// and hotline (no name or phone: the code alone shows only the slot).
pub(crate) async fn confirmation(
    State(app): State<Web>,
    ui: Ui,
    Caller(client): Caller,
    Path(code): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<ConfirmPage, PageError> {
    let saved = Fields::parse(q.unwrap_or_default().as_bytes()).get("to_khai") == "da_luu";
    let code = BookingCode::parse(&code).map_err(|_| PageError::not_found(&ui))?;
    let b = match app.service().booking(&code, client).await {
        Ok(b) => b,
        Err(e) if e.class() == ErrorClass::NotFound => return Err(PageError::not_found(&ui)),
        Err(e) => return Err(PageError::service(&ui, e)),
    };
    Ok(ConfirmPage {
        b: BookingView::of(&app, &ui, &b),
        ui,
        saved,
    })
}

/// `GET/POST /dat-lich/quan-ly` and the answers of cancel and move.
#[derive(Template, WebTemplate)]
#[template(path = "booking/manage.html")]
pub(crate) struct ManagePage {
    ui: Ui,
    code: String,
    phone: String,
    errors: Errors,
    notice: Option<FieldMsg>,
    found: Option<BookingView>,
    /// The days a move may go to (the booking window), for the date
    /// picker's bounds.
    first_day: Option<Date>,
    last_day: Option<Date>,
    /// The window in words: `23/11/2026 đến 28/11/2026`.
    window_text: String,
    /// The day whose free times are shown.
    move_day: Option<Date>,
    /// That day in words (weekday and dd/mm/yyyy).
    move_day_text: String,
    /// Free slots of `move_day` (`HH:MM` → label), the booking's own slot
    /// left out.
    move_slots: Vec<Opt>,
    /// The other days with free slots, in words: a hint when the day
    /// picked has none.
    other_days: Vec<String>,
    /// "Cancel?" asked: the page shows the confirmation instead of the
    /// forms.
    confirm_cancel: bool,
}

impl ManagePage {
    fn new(ui: Ui) -> Self {
        Self {
            errors: Errors::new(&ui),
            ui,
            code: String::new(),
            phone: String::new(),
            notice: None,
            found: None,
            first_day: None,
            last_day: None,
            window_text: String::new(),
            move_day: None,
            move_day_text: String::new(),
            move_slots: Vec::new(),
            other_days: Vec::new(),
            confirm_cancel: false,
        }
    }
}

/// A day typed in the move form: `YYYY-MM-DD` (what a date picker sends)
/// or day/month/year as people type it where the browser has no picker
/// (`PartialDate::parse_typed`, the one lenient date reader); only a full
/// date names a day.
fn typed_day(input: &str) -> Option<Date> {
    match cancuoc_core::person::PartialDate::parse_typed(input) {
        Ok(cancuoc_core::person::PartialDate::Full(d)) => Some(d),
        _ => None,
    }
}

/// The single answer for an unknown code and for a wrong phone.
fn not_found_msg() -> FieldMsg {
    FieldMsg::new(
        "ma",
        "Không tìm thấy lịch hẹn với mã và số điện thoại này. Hãy kiểm tra cả hai.",
        "No appointment found with this code and phone number. Check both.",
    )
}

/// `GET /dat-lich/quan-ly?ma=`.
pub(crate) async fn manage_form(ui: Ui, RawQuery(q): RawQuery) -> ManagePage {
    let f = Fields::parse(q.unwrap_or_default().as_bytes());
    let mut page = ManagePage::new(ui);
    page.code = f.get("ma").to_owned();
    page
}

/// A booking found with its two keys.
pub(crate) struct Found {
    pub booking: Booking,
    pub code: BookingCode,
    pub phone: PhoneNumber,
    /// Who asked (the limits count it).
    pub client: Client,
}

/// Why [`find`] found no booking.
pub(crate) enum Missed {
    /// A malformed key or no such booking: the form again, with its status
    /// and the messages.
    Form(StatusCode, Errors),
    /// The service failed: a server error page.
    Failed(PageError),
}

/// Reads and checks `ma` + `dien_thoai`, then finds the booking; on any
/// failure what to show instead.
pub(crate) async fn find(app: &Web, ui: &Ui, f: &Fields, client: Client) -> Result<Found, Missed> {
    let mut errors = Errors::new(ui);
    let code = BookingCode::parse(f.get("ma"))
        .map_err(|e| errors.push(FieldMsg::new("ma", e.message_vi(), e.message_en())));
    let phone = PhoneNumber::parse(f.get("dien_thoai"))
        .map_err(|e| errors.push(FieldMsg::new("dien_thoai", e.message_vi(), e.message_en())));
    let (Ok(code), Ok(phone)) = (code, phone) else {
        return Err(Missed::Form(StatusCode::UNPROCESSABLE_ENTITY, errors));
    };
    match app.service().find_booking(&code, &phone, client).await {
        Ok(booking) => Ok(Found {
            booking,
            code,
            phone,
            client,
        }),
        Err(e) if e.class() == ErrorClass::NotFound => {
            errors.push(not_found_msg());
            Err(Missed::Form(StatusCode::NOT_FOUND, errors))
        }
        Err(e) => Err(Missed::Failed(PageError::service(ui, e))),
    }
}

/// The manage page for a found booking, with the free slots to move to on
/// the day asked for (`ngay`), else on the first day that has any.
async fn manage_page(
    app: &Web,
    ui: Ui,
    f: &Fields,
    b: &Booking,
    notice: Option<FieldMsg>,
) -> Result<ManagePage, PageError> {
    let mut page = ManagePage::new(ui);
    page.code = f.get("ma").to_owned();
    page.phone = f.get("dien_thoai").to_owned();
    page.notice = notice;
    if b.state == BookingState::Booked
        && let Some(office) = app.service().offices().get(b.office).cloned()
    {
        let (open, _) = offers(app, &page.ui, &office).await?;
        let free = |d: &DayOffer| -> Vec<FreeSlot> {
            d.slots
                .iter()
                .filter(|s| !(d.day == b.day && s.start == b.start_min))
                .copied()
                .collect()
        };
        page.first_day = open.first().map(|d| d.day);
        page.last_day = open.last().map(|d| d.day);
        if let (Some(a), Some(z)) = (page.first_day, page.last_day) {
            page.window_text = format!(
                "{} {} {}",
                crate::citizen::dmy(a),
                page.ui.t("đến", "to"),
                crate::citizen::dmy(z)
            );
        }
        let asked = f.opt("ngay").map(|t| (t, typed_day(t)));
        let day = match asked {
            Some((_, Some(d))) => Some(d),
            Some((t, None)) => {
                page.notice = Some(FieldMsg::new(
                    "ngay",
                    format!(
                        "\"{t}\" không phải một ngày; hãy chọn ngày trên lịch hoặc gõ ngày/tháng/năm, ví dụ 25/11/2026."
                    ),
                    format!(
                        "\"{t}\" is not a date; pick a day on the calendar or type day/month/year, e.g. 25/11/2026."
                    ),
                ));
                None
            }
            None => open.iter().find(|d| !free(d).is_empty()).map(|d| d.day),
        };
        if let Some(day) = day {
            page.move_day = Some(day);
            page.move_day_text = day_label(&page.ui, day);
            let offer = open.iter().find(|d| d.day == day);
            page.move_slots = offer
                .map(&free)
                .unwrap_or_default()
                .iter()
                .map(|s| slot_opt(&page.ui, s, false))
                .collect();
            if page.move_slots.is_empty() {
                page.other_days = open
                    .iter()
                    .filter(|d| d.day != day && !free(d).is_empty())
                    .map(|d| day_label(&page.ui, d.day))
                    .collect();
            }
        }
    }
    page.found = Some(BookingView::of(app, &page.ui, b));
    Ok(page)
}

fn lookup_failed(ui: Ui, f: &Fields, missed: Missed) -> Response {
    let (status, errors) = match missed {
        Missed::Form(status, errors) => (status, errors),
        Missed::Failed(page) => return page.into_response(),
    };
    let mut page = ManagePage::new(ui);
    page.code = f.get("ma").to_owned();
    page.phone = f.get("dien_thoai").to_owned();
    page.errors = errors;
    (status, page).into_response()
}

/// `POST /dat-lich/quan-ly`: the booking for code + phone.
pub(crate) async fn manage(
    State(app): State<Web>,
    ui: Ui,
    Caller(client): Caller,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    match find(&app, &ui, &f, client).await {
        Ok(found) => match manage_page(&app, ui, &f, &found.booking, None).await {
            Ok(p) => p.into_response(),
            Err(e) => e.into_response(),
        },
        Err(missed) => lookup_failed(ui, &f, missed),
    }
}

/// A refusal of cancel or move shown on the manage page: a conflict (a
/// slot just taken, a booking already received) or a slot not offered
/// beside the form; anything else as an error page.
async fn refused(app: &Web, ui: Ui, f: &Fields, e: ServiceError, client: Client) -> Response {
    let class = e.class();
    if !matches!(class, ErrorClass::Conflict | ErrorClass::Invalid) {
        return PageError::service(&ui, e).into_response();
    }
    let status = crate::error::status_of(class);
    let notice = FieldMsg::new("gio", e.message_vi(), e.message_en());
    let b = match find(app, &ui, f, client).await {
        Ok(found) => found.booking,
        Err(missed) => return lookup_failed(ui, f, missed),
    };
    match manage_page(app, ui, f, &b, Some(notice)).await {
        Ok(p) => (status, p).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `POST /dat-lich/huy`: asks first (the manage page with "Cancel this
/// appointment?"), then, with `xac_nhan=1`, cancels and 303s to the
/// confirmation page.
pub(crate) async fn cancel(
    State(app): State<Web>,
    ui: Ui,
    Caller(client): Caller,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let found = match find(&app, &ui, &f, client).await {
        Ok(x) => x,
        Err(missed) => return lookup_failed(ui, &f, missed),
    };
    if f.get("xac_nhan") != "1" {
        return match manage_page(&app, ui, &f, &found.booking, None).await {
            Ok(mut p) => {
                p.confirm_cancel = p.found.as_ref().is_some_and(BookingView::is_booked);
                p.into_response()
            }
            Err(e) => e.into_response(),
        };
    }
    match app
        .service()
        .cancel_booking(&found.code, &found.phone, found.client)
        .await
    {
        Ok(b) => see_other(&format!("/dat-lich/xac-nhan/{}", b.code)),
        Err(e) => refused(&app, ui, &f, e, client).await,
    }
}

/// `POST /dat-lich/doi` (`ngay`, `gio`): moves to exactly the day and time
/// the form shows, at the same office, then 303 to the confirmation page;
/// a time not free on that day is refused on the manage page.
pub(crate) async fn reschedule(
    State(app): State<Web>,
    ui: Ui,
    Caller(client): Caller,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let found = match find(&app, &ui, &f, client).await {
        Ok(x) => x,
        Err(missed) => return lookup_failed(ui, &f, missed),
    };
    let day = typed_day(f.get("ngay"));
    let start = parse_hhmm(f.get("gio"));
    let (Some(day), Some(start)) = (day, start) else {
        let m = FieldMsg::new(
            "gio",
            "Hãy chọn ngày và khung giờ mới.",
            "Choose the new day and time slot.",
        );
        return match manage_page(&app, ui, &f, &found.booking, Some(m)).await {
            Ok(p) => (StatusCode::UNPROCESSABLE_ENTITY, p).into_response(),
            Err(e) => e.into_response(),
        };
    };
    match app
        .service()
        .move_booking(&found.code, &found.phone, day, start, found.client)
        .await
    {
        Ok(b) => see_other(&format!("/dat-lich/xac-nhan/{}", b.code)),
        Err(e) => refused(&app, ui, &f, e, client).await,
    }
}

/// A 303 to a local path.
pub(crate) fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response()
}
