//! Appointments (lịch hẹn tiếp nhận): the booking code a citizen keeps
//! ([`code`]) and the rules of which days and time slots an office offers
//! ([`slots`]). Pure: today, the seats already taken and random draws come
//! in as arguments.

pub mod code;
pub mod slots;

pub use code::{BookingCode, BookingCodeError};
pub use slots::{ClosedDay, DayOffer, Desk, FreeSlot, SlotChoice, SlotRefusal};
