//! Appointments (lịch hẹn tiếp nhận) and their online declarations (tờ khai
//! trực tuyến, mẫu CC01): the seats of an office's time slots, a booking
//! holding one seat, and the declaration draft saved with a booking.
//!
//! Capacity is decided by the caller (the web layer spreads an office's
//! daily capacity over the day's slots) and passed with every booking; the
//! store only guarantees that a slot never holds more bookings than the
//! capacity given when each seat was taken.

use std::fmt;
use std::str::FromStr;

use cancuoc_core::person::{PartialDate, Sex};
use cancuoc_core::phone::PhoneNumber;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::error::StoreError;

/// One time slot of one office on one day (khung giờ tiếp nhận).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SlotKey {
    /// The office (số hiệu đơn vị).
    pub office: u16,
    /// The day (ngày hẹn).
    pub day: Date,
    /// Start, minutes since midnight (Vietnam time).
    pub start_min: u16,
}

/// A seat request: the slot, when it ends, and how many seats it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlotRequest {
    /// Which slot.
    pub key: SlotKey,
    /// End, minutes since midnight (kept with the booking for display).
    pub end_min: u16,
    /// Seats of the slot (sức chứa), as the caller computes it now.
    pub capacity: u32,
}

/// Where a booking stands (trạng thái lịch hẹn).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingState {
    /// Đã đặt: holds a seat.
    Booked,
    /// Đã hủy: cancelled by the citizen, the seat is free again.
    Cancelled,
    /// Đã tiếp nhận: the citizen came; the declaration is frozen.
    Received,
}

impl BookingState {
    /// Every state.
    pub const ALL: [BookingState; 3] = [Self::Booked, Self::Cancelled, Self::Received];
    /// Stable code stored in the database.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Cancelled => "cancelled",
            Self::Received => "received",
        }
    }
}

impl fmt::Display for BookingState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for BookingState {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|x| x.code() == s)
            .ok_or_else(|| StoreError::corrupt("bookings.state", s))
    }
}

/// Input for [`crate::Store::create_booking`]. The code, phone and ID are
/// already parsed by the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewBooking {
    /// Mã lịch hẹn: the caller's random code (a collision is a
    /// [`crate::Conflict::Duplicate`]; draw again).
    pub code: String,
    /// The seat asked for.
    pub slot: SlotRequest,
    /// Họ và tên.
    pub full_name: String,
    /// Số điện thoại di động, normalised (`0` + 9 digits).
    pub phone: String,
    /// Số định danh cá nhân, when the citizen gave one.
    pub personal_id: Option<String>,
    /// The one-time captcha challenge of the form that asked for it (public
    /// bookings): at most one booking per challenge, found again by
    /// [`crate::Store::booking_by_presence`] when the form is sent twice.
    pub presence: Option<String>,
}

/// How many active appointments (booked, on [`HolderCaps::from_day`] or
/// later) one phone number and one personal ID may hold
/// ([`crate::Store::create_booking_capped`]): the rule against one person
/// or one script taking a day's seats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HolderCaps {
    /// Active appointments per phone number (a parent may book for
    /// children on one phone).
    pub per_phone: u32,
    /// Active appointments per personal ID.
    pub per_id: u32,
    /// Today: appointments before it no longer count.
    pub from_day: Date,
}

/// A stored appointment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Booking {
    /// Row id.
    pub id: i64,
    /// Mã lịch hẹn.
    pub code: String,
    /// Đơn vị tiếp nhận.
    pub office: u16,
    /// Ngày hẹn.
    pub day: Date,
    /// Giờ bắt đầu (minutes since midnight).
    pub start_min: u16,
    /// Giờ kết thúc (minutes since midnight).
    pub end_min: u16,
    /// Họ và tên.
    pub full_name: String,
    /// Số điện thoại.
    pub phone: String,
    /// Số định danh cá nhân.
    pub personal_id: Option<String>,
    /// Trạng thái.
    pub state: BookingState,
    /// Whether an online declaration is saved with it.
    pub has_declaration: bool,
    /// Created, epoch seconds.
    pub created_at: i64,
    /// Last changed, epoch seconds.
    pub updated_at: i64,
}

impl Booking {
    /// The slot it holds.
    pub fn slot_key(&self) -> SlotKey {
        SlotKey {
            office: self.office,
            day: self.day,
            start_min: self.start_min,
        }
    }
}

/// What [`crate::Store::receive_booking`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reception {
    /// It was booked and is now received (đã tiếp nhận).
    Marked(Booking),
    /// It was received already: nothing changed.
    Already(Booking),
    /// It is cancelled: it stays cancelled.
    Cancelled(Booking),
    /// No such code, or a booking of another office.
    NotHere,
}

/// Seats taken in one slot (for showing free slots).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlotUsage {
    /// The day.
    pub day: Date,
    /// Start, minutes since midnight.
    pub start_min: u16,
    /// Seats taken.
    pub booked: u32,
}

/// The online declaration (tờ khai Căn cước, mẫu CC01), as the citizen
/// typed it and the form checked it. Text fields are stored as given
/// (trimmed); the officer at reception checks them again against the
/// documents. Stored as JSON (dates of birth as `YYYY-MM-DD`, `YYYY-MM` or
/// `YYYY`, sex as `male`/`female`, the phone as `0` + 9 digits).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    /// Họ, chữ đệm và tên.
    pub full_name: String,
    /// Ngày sinh, possibly only the year or the month.
    pub date_of_birth: PartialDate,
    /// Giới tính.
    pub sex: Sex,
    /// Số định danh cá nhân, when the citizen has one.
    pub personal_id: Option<String>,
    /// Quốc tịch.
    pub nationality: String,
    /// Dân tộc.
    pub ethnicity: String,
    /// Tôn giáo.
    pub religion: String,
    /// Quê quán.
    pub place_of_origin: String,
    /// Nơi đăng ký khai sinh.
    pub birth_registration: String,
    /// Nơi thường trú.
    pub permanent_residence: String,
    /// Nơi ở hiện tại.
    pub current_residence: String,
    /// Số điện thoại di động.
    pub phone: PhoneNumber,
    /// Thư điện tử.
    #[serde(default)]
    pub email: Option<String>,
    /// Nghề nghiệp.
    #[serde(default)]
    pub occupation: Option<String>,
    /// Họ tên cha.
    #[serde(default)]
    pub father_name: Option<String>,
    /// Họ tên mẹ.
    #[serde(default)]
    pub mother_name: Option<String>,
    /// Họ tên vợ/chồng.
    #[serde(default)]
    pub spouse_name: Option<String>,
    /// How the card is to be received (absent in drafts saved before the
    /// choice existed: at the office).
    #[serde(default)]
    pub delivery: CardDelivery,
    /// Asks for a level-2 electronic identity account with the card
    /// (đề nghị kích hoạt tài khoản định danh điện tử mức độ 2): granted
    /// when the card is handed over.
    #[serde(default)]
    pub wants_account: bool,
}

/// How the citizen wants to receive the card (hình thức nhận thẻ): at the
/// office that received the application, or by post (chuyển phát qua bưu
/// chính) to an address. In JSON `{"kind":"at_office"}` or
/// `{"kind":"by_post","address":"…"}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CardDelivery {
    /// Nhận tại cơ quan tiếp nhận.
    #[default]
    AtOffice,
    /// Chuyển phát đến địa chỉ.
    ByPost {
        /// The postal address, as typed.
        address: String,
    },
}
