//! Which days and time slots an office offers for appointments (ngày, khung
//! giờ có thể đặt), computed from its opening hours, the official working
//! calendar and the seats already taken. Pure: no clock, no store; today
//! and the seats taken come in as arguments.
//!
//! The rules:
//! - **Window**: the 7 days after today (tomorrow to today + 7); today is
//!   not offered, so a citizen never books a slot that has begun or that
//!   the desk cannot prepare for.
//! - **Open days**: a public holiday or compensatory day off of the
//!   official calendar (`WorkingCalendar::official`, Labour Code holidays
//!   and the yearly decisions) is closed whatever the office's hours. A
//!   weekend day the calendar makes a working day (làm bù) uses the office's
//!   weekday hours. Any other Saturday or Sunday uses the office's Saturday
//!   or Sunday hours, which are usually a morning or nothing (seed 001: no
//!   Saturday afternoon, no Sunday).
//! - **Slots**: every span of the day's hours is cut into [`SLOT_MINUTES`]
//!   slots from its opening; a last piece shorter than a slot is not
//!   offered.
//! - **Capacity**: the office's `daily_capacity` is shared by that day's
//!   slots: with `n` slots each gets `⌊C / n⌋` seats and the first `C mod
//!   n` one more, so a day never offers more than `C` seats (a half day
//!   offers the same `C` over fewer slots). A slot with 0 seats is not
//!   offered. Walk-in citizens are not counted against it.

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

use crate::calendar::{NonWorkingReason, WorkingCalendar};
use crate::i18n::Localized;
use crate::office::{OpeningHours, TimeRange};

/// What the rules need to know of an office that takes appointments (bàn
/// tiếp nhận): its opening hours and how many citizens it receives a day.
#[derive(Clone, Copy, Debug)]
pub struct Desk<'a> {
    /// Giờ làm việc.
    pub hours: &'a OpeningHours,
    /// Năng lực tiếp nhận mỗi ngày, shared by the day's slots.
    pub daily_capacity: u32,
}

/// Length of one appointment slot, minutes.
pub const SLOT_MINUTES: u16 = 30;
/// How many days after today can be booked.
pub const WINDOW_DAYS: i32 = 7;

/// One slot of a day with its seats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    /// Start, minutes since midnight.
    pub start: u16,
    /// End, minutes since midnight.
    pub end: u16,
    /// Seats.
    pub capacity: u32,
}

/// A slot still bookable: its seats minus those taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FreeSlot {
    /// Start, minutes since midnight.
    pub start: u16,
    /// End, minutes since midnight.
    pub end: u16,
    /// Seats left.
    pub free: u32,
}

impl FreeSlot {
    /// `07:30`.
    pub fn start_hhmm(&self) -> String {
        hhmm(self.start)
    }
    /// `07:30–08:00`.
    pub fn label(&self) -> String {
        format!("{}–{}", hhmm(self.start), hhmm(self.end))
    }
}

/// A day of the window with its free slots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayOffer {
    /// The day.
    pub day: Date,
    /// Free slots, by start (empty: open but fully booked).
    pub slots: Vec<FreeSlot>,
}

/// A day of the window the office does not receive, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClosedDay {
    /// The day.
    pub day: Date,
    /// Why, in Vietnamese.
    pub reason_vi: String,
    /// Why, in English.
    pub reason_en: String,
}

/// `HH:MM` of minutes since midnight.
pub fn hhmm(min: u16) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

/// Reads `HH:MM` into minutes since midnight.
pub fn parse_hhmm(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// The office's hours on `day`, or why it is closed.
pub fn hours_on<'o>(
    desk: Desk<'o>,
    calendar: &WorkingCalendar,
    day: Date,
) -> Result<&'o [TimeRange], ClosedDay> {
    let closed = |vi: String, en: String| ClosedDay {
        day,
        reason_vi: vi,
        reason_en: en,
    };
    let status = calendar
        .is_working_day(day)
        .map_err(|e| closed(e.message_vi(), e.message_en()))?;
    let hours: &[TimeRange] = if status.working {
        &desk.hours.weekdays
    } else {
        match status.reason {
            Some(r @ NonWorkingReason::Holiday(_)) => {
                return Err(closed(r.message_vi(), r.message_en()));
            }
            _ => match day.weekday() {
                Weekday::Saturday => &desk.hours.saturday,
                Weekday::Sunday => &desk.hours.sunday,
                _ => &[],
            },
        }
    };
    if hours.is_empty() {
        let (vi, en) = match day.weekday() {
            Weekday::Sunday => ("Chủ nhật: không tiếp nhận", "Sunday: closed"),
            Weekday::Saturday => ("Thứ Bảy: không tiếp nhận", "Saturday: closed"),
            _ => ("Không tiếp nhận", "Closed"),
        };
        return Err(closed(vi.to_owned(), en.to_owned()));
    }
    Ok(hours)
}

/// Every slot of `office` on `day` with its seats (those with 0 seats
/// included), or why the day is closed.
pub fn day_slots(
    desk: Desk<'_>,
    calendar: &WorkingCalendar,
    day: Date,
) -> Result<Vec<Slot>, ClosedDay> {
    let hours = hours_on(desk, calendar, day)?;
    let mut spans: Vec<(u16, u16)> = Vec::new();
    for r in hours {
        let mut start = r.opens();
        while start + SLOT_MINUTES <= r.closes() {
            spans.push((start, start + SLOT_MINUTES));
            start += SLOT_MINUTES;
        }
    }
    spans.sort_unstable();
    spans.dedup_by_key(|s| s.0);
    let n = u32::try_from(spans.len()).unwrap_or(u32::MAX).max(1);
    let (base, extra) = (desk.daily_capacity / n, desk.daily_capacity % n);
    Ok(spans
        .into_iter()
        .enumerate()
        .map(|(i, (start, end))| Slot {
            start,
            end,
            capacity: base + u32::from(u32::try_from(i).unwrap_or(u32::MAX) < extra),
        })
        .collect())
}

/// The days that can be booked from `today`: tomorrow to today + 7.
pub fn window(today: Date) -> impl Iterator<Item = Date> {
    (1..=WINDOW_DAYS).filter_map(move |d| today.checked_add(d.days()).ok())
}

/// Whether `day` is inside the booking window of `today`.
pub fn in_window(today: Date, day: Date) -> bool {
    window(today).any(|d| d == day)
}

/// The open days of the window with their free slots, and the closed days
/// with their reasons. `taken(day, start)` is how many seats of the slot
/// starting at `start` (minutes) on `day` are taken.
pub fn offers(
    desk: Desk<'_>,
    calendar: &WorkingCalendar,
    today: Date,
    taken: impl Fn(Date, u16) -> u32,
) -> (Vec<DayOffer>, Vec<ClosedDay>) {
    let mut open = Vec::new();
    let mut closed = Vec::new();
    for day in window(today) {
        match day_slots(desk, calendar, day) {
            Ok(slots) => {
                let free = slots
                    .into_iter()
                    .filter_map(|s| {
                        let free = s.capacity.saturating_sub(taken(day, s.start));
                        (free > 0).then_some(FreeSlot {
                            start: s.start,
                            end: s.end,
                            free,
                        })
                    })
                    .collect();
                open.push(DayOffer { day, slots: free });
            }
            Err(c) => closed.push(c),
        }
    }
    (open, closed)
}

/// A slot that can be asked for: the day, its span and its seats (whether
/// a seat is still free is decided where seats are taken, atomically).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlotChoice {
    /// The day.
    pub day: Date,
    /// Start, minutes since midnight.
    pub start: u16,
    /// End, minutes since midnight.
    pub end: u16,
    /// Seats of the slot.
    pub capacity: u32,
}

/// Why a posted slot cannot be booked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SlotRefusal {
    /// The day is outside the window.
    #[error("the day is outside the booking window")]
    OutsideWindow,
    /// The office is closed that day.
    #[error("the office is closed that day")]
    Closed(ClosedDay),
    /// No slot starts at that time, or it has no seats.
    #[error("no such time slot")]
    NoSuchSlot,
}

impl Localized for SlotRefusal {
    fn code(&self) -> &'static str {
        match self {
            SlotRefusal::OutsideWindow => "booking.outside_window",
            SlotRefusal::Closed(_) => "booking.closed_day",
            SlotRefusal::NoSuchSlot => "booking.no_such_slot",
        }
    }

    fn message_vi(&self) -> String {
        match self {
            SlotRefusal::OutsideWindow => {
                format!("Chỉ đặt được lịch trong {WINDOW_DAYS} ngày tới (từ ngày mai).")
            }
            SlotRefusal::Closed(c) => format!(
                "Đơn vị không tiếp nhận ngày {}: {}.",
                c.day.strftime("%d/%m/%Y"),
                c.reason_vi
            ),
            SlotRefusal::NoSuchSlot => {
                "Đơn vị không có khung giờ này trong ngày đã chọn.".to_owned()
            }
        }
    }
    fn message_en(&self) -> String {
        match self {
            SlotRefusal::OutsideWindow => {
                format!(
                    "Appointments can only be made for the next {WINDOW_DAYS} days (from tomorrow)."
                )
            }
            SlotRefusal::Closed(c) => format!(
                "The office does not receive on {}: {}.",
                c.day.strftime("%d/%m/%Y"),
                c.reason_en
            ),
            SlotRefusal::NoSuchSlot => {
                "The office has no such time slot on the chosen day.".to_owned()
            }
        }
    }
}

/// The slot of `desk` starting at `start` on `day`, if it is offered from
/// `today` (seats still free are decided where seats are taken).
pub fn choose(
    desk: Desk<'_>,
    calendar: &WorkingCalendar,
    today: Date,
    day: Date,
    start: u16,
) -> Result<SlotChoice, SlotRefusal> {
    if !in_window(today, day) {
        return Err(SlotRefusal::OutsideWindow);
    }
    let slots = day_slots(desk, calendar, day).map_err(SlotRefusal::Closed)?;
    let s = slots
        .into_iter()
        .find(|s| s.start == start && s.capacity > 0)
        .ok_or(SlotRefusal::NoSuchSlot)?;
    Ok(SlotChoice {
        day,
        start: s.start,
        end: s.end,
        capacity: s.capacity,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// Usual hours (Saturday morning, no Sunday) and `capacity` a day.
    fn desk(hours: &OpeningHours, capacity: u32) -> Desk<'_> {
        Desk {
            hours,
            daily_capacity: capacity,
        }
    }

    #[test]
    fn weekday_saturday_sunday_and_holidays() {
        let cal = WorkingCalendar::official();
        let h = OpeningHours::usual_with_saturday_morning();
        let o = desk(&h, 30);
        // Monday 2026-11-23: 07:30–11:30 (8 slots) + 13:30–17:00 (7 slots).
        let mon = day_slots(o, cal, date(2026, 11, 23)).expect("open");
        assert_eq!(mon.len(), 15);
        assert_eq!((mon[0].start, mon[0].end), (450, 480));
        assert_eq!(mon[7].start, 660);
        assert_eq!(mon[8].start, 810);
        assert_eq!(mon.last().map(|s| s.end), Some(1020));
        // 30 seats over 15 slots: 2 each; the day never exceeds 30.
        assert_eq!(mon.iter().map(|s| s.capacity).sum::<u32>(), 30);
        // Saturday: morning only, no afternoon slot.
        let sat = day_slots(o, cal, date(2026, 11, 28)).expect("open");
        assert_eq!(sat.len(), 8);
        assert!(sat.iter().all(|s| s.end <= 690));
        assert_eq!(sat.iter().map(|s| s.capacity).sum::<u32>(), 30);
        // Sunday: closed.
        assert_eq!(
            day_slots(o, cal, date(2026, 11, 29)).map_err(|c| c.reason_en),
            Err("Sunday: closed".to_owned())
        );
        // New Year's Day 2027 (a Friday): closed with the holiday's reason.
        let ny = day_slots(o, cal, date(2027, 1, 1)).expect_err("holiday");
        assert!(!ny.reason_en.is_empty());
        // An office that opens on Sunday offers Sunday.
        let mut sunday = OpeningHours::usual_with_saturday_morning();
        sunday.sunday = vec![TimeRange::parse("08:00-10:00").expect("range")];
        assert_eq!(
            day_slots(desk(&sunday, 10), cal, date(2026, 11, 29))
                .expect("open")
                .len(),
            4
        );
    }

    #[test]
    fn capacity_is_spread_with_the_remainder_first() {
        let cal = WorkingCalendar::official();
        let h = OpeningHours::usual_with_saturday_morning();
        let s = day_slots(desk(&h, 17), cal, date(2026, 11, 23)).expect("open");
        let caps: Vec<u32> = s.iter().map(|s| s.capacity).collect();
        assert_eq!(caps, [2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
        // Fewer seats than slots: the later slots have none and are refused.
        let o = desk(&h, 3);
        let today = date(2026, 11, 21);
        assert!(choose(o, cal, today, date(2026, 11, 23), 480).is_ok());
        assert_eq!(
            choose(o, cal, today, date(2026, 11, 23), 600),
            Err(SlotRefusal::NoSuchSlot)
        );
    }

    #[test]
    fn the_window_and_free_seats() {
        let cal = WorkingCalendar::official();
        let h = OpeningHours::usual_with_saturday_morning();
        let o = desk(&h, 15);
        let today = date(2026, 11, 21); // Saturday
        let taken = |d: Date, start: u16| u32::from(d == date(2026, 11, 23) && start == 450);
        let (open, closed) = offers(o, cal, today, taken);
        let days: Vec<Date> = open.iter().map(|d| d.day).collect();
        assert_eq!(
            days,
            [
                date(2026, 11, 23),
                date(2026, 11, 24),
                date(2026, 11, 25),
                date(2026, 11, 26),
                date(2026, 11, 27),
                date(2026, 11, 28)
            ]
        );
        assert_eq!(closed.len(), 1);
        assert_eq!(closed[0].day, date(2026, 11, 22));
        // The full 07:30 slot on Monday is gone, the others have 1 seat.
        assert_eq!(open[0].slots.len(), 14);
        assert_eq!(open[0].slots[0].start, 480);
        assert_eq!(
            choose(o, cal, today, today, 480),
            Err(SlotRefusal::OutsideWindow)
        );
        assert_eq!(
            choose(o, cal, today, date(2026, 11, 29), 480),
            Err(SlotRefusal::OutsideWindow)
        );
        assert!(matches!(
            choose(o, cal, today, date(2026, 11, 22), 480),
            Err(SlotRefusal::Closed(_))
        ));
        assert_eq!(
            choose(o, cal, today, date(2026, 11, 28), 810),
            Err(SlotRefusal::NoSuchSlot)
        );
        assert_eq!(
            choose(o, cal, today, date(2026, 11, 23), 455),
            Err(SlotRefusal::NoSuchSlot)
        );
        assert_eq!(parse_hhmm("07:30"), Some(450));
        assert_eq!(parse_hhmm("7:30"), None);
        assert_eq!(parse_hhmm("24:00"), None);
    }
}
