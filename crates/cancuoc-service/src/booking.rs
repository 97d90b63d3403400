//! Appointments (lịch hẹn tiếp nhận) and their online declarations (tờ
//! khai): which offices take bookings, which days and slots are free, book,
//! see, cancel and move with the code and phone, keep the declaration
//! draft, and, for officers, the day's list and marking a citizen received.
//!
//! The day and slot rules are `cancuoc_core::booking::slots` (pure); the
//! seats are taken in the store's transaction (`Store::create_booking`), so
//! a slot is never oversold under concurrency. A wrong phone number answers
//! exactly like an unknown code (not found), so a code alone tells nothing.
//!
//! A public booking cannot hoard a day's seats: it needs a solved captcha
//! ([`Presence`]), counts against its client's booking rate
//! ([`crate::Limits::bookings`]), and is refused when its phone number or
//! its personal ID already holds as many upcoming appointments as one
//! person may ([`crate::Limits::bookings_per_phone`],
//! [`crate::Limits::bookings_per_id`]; counted in the store's transaction,
//! so concurrent bookings cannot slip past it).

use cancuoc_core::booking::BookingCode;
use cancuoc_core::booking::slots::{self, ClosedDay, DayOffer, Desk, SlotChoice};
use cancuoc_core::id::PersonalId;
use cancuoc_core::person::FullName;
use cancuoc_core::phone::PhoneNumber;
use cancuoc_store::{
    Booking, CaptchaCheck, Declaration, HolderCaps, NewBooking, Office, OfficeLevel, Officer,
    Reception, SlotKey, SlotRequest, StoreError, Structure,
};
use jiff::civil::Date;

use super::{Service, ServiceError};
use crate::error::Limit;
use crate::guard::Client;

/// Random codes drawn before giving up: a collision (1 in 9·10⁹ per
/// booking) only costs a draw.
const CODE_DRAWS: u32 = 5;

/// A booking asked for (đăng ký lịch hẹn): the slot and who comes.
#[derive(Clone, Debug)]
pub struct BookingRequest {
    /// The receiving office.
    pub office: u16,
    /// The day.
    pub day: Date,
    /// The slot's start, minutes since midnight.
    pub start: u16,
    /// Họ và tên.
    pub full_name: FullName,
    /// Số điện thoại di động: the second key of the booking.
    pub phone: PhoneNumber,
    /// Số định danh cá nhân, when the citizen has one.
    pub personal_id: Option<PersonalId>,
}

impl BookingRequest {
    /// What this form claims its challenge `id` for: a booking of this
    /// office, day, time and phone, the fields that make a form the same
    /// form (a digest of them and the id, kept beside the spent
    /// challenge).
    pub fn challenge_claim(&self, id: &str) -> String {
        crate::captcha::claim_of(
            "booking",
            id,
            &[
                &self.office.to_string(),
                &self.day.to_string(),
                &self.start.to_string(),
                self.phone.as_str(),
            ],
        )
    }
}

/// What shows a public request comes from a person at a form, not a
/// script: today a captcha the front end showed (its id from
/// [`Service::issue_captcha`]) and the answer typed. Spent once, whatever
/// the verdict.
#[derive(Clone, Copy, Debug)]
pub enum Presence<'a> {
    /// A captcha challenge and its answer.
    Captcha {
        /// The challenge's id.
        id: &'a str,
        /// The answer typed.
        answer: &'a str,
    },
}

/// The days of an office's booking window (see
/// `cancuoc_core::booking::slots`): the open ones with their free slots,
/// and the closed ones with their reason.
#[derive(Clone, Debug)]
pub struct Offers {
    /// Open days, by date (a day with no free slot has an empty list).
    pub open: Vec<DayOffer>,
    /// Closed days and why.
    pub closed: Vec<ClosedDay>,
}

/// What reception pre-fills from an appointment (tờ khai trực tuyến): the
/// declaration as the citizen typed it, to be checked again at the desk,
/// or only the booking's name, phone and ID when none was filled in.
#[derive(Clone, Debug)]
pub struct ReceptionPrefill {
    /// The appointment.
    pub booking: Booking,
    /// Its declaration, when the citizen filled it in.
    pub declaration: Option<Declaration>,
}

/// What [`Service::mark_booking_received`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// The appointment is now received (đã tiếp nhận).
    Marked,
    /// It was received already (a repeated submit): nothing changed.
    Already,
    /// Unknown code, or an appointment at another office.
    NotHere,
    /// The appointment was cancelled: it stays cancelled.
    Cancelled,
}

/// How long a form sent again waits for its first sending's booking
/// (which may still be taking its seat) before trying the seat itself,
/// in milliseconds.
const FORM_REPLAY_WAIT_MS: u64 = 1_000;

impl Service {
    /// The province-level offices in force today, each standing for its
    /// province on the booking page's first step (34 since 01/07/2025).
    pub fn booking_provinces(&self) -> Vec<Office> {
        let today = self.today();
        self.offices()
            .in_force_on(today)
            .filter(|o| o.level == OfficeLevel::Province)
            .cloned()
            .collect()
    }

    /// Offices under `province` that receive citizens today
    /// ([`Office::receives_public_on`], the same rule as the office
    /// directory: since 2025 the province police and the commune police)
    /// and take bookings (a daily capacity), by level then name.
    pub fn receiving_offices(&self, province: u16) -> Vec<Office> {
        let tree = self.offices();
        let mut v: Vec<Office> = tree
            .receiving_on(self.today())
            .filter(|o| o.daily_capacity > 0 && tree.is_within(o.code, province))
            .cloned()
            .collect();
        v.sort_by(|a, b| (a.level, &a.name).cmp(&(b.level, &b.name)));
        v
    }

    /// The administrative structure in force on `day` (cơ cấu đang áp
    /// dụng): which levels receive applications, how many provinces.
    pub fn structure_on(&self, day: Date) -> Structure {
        Structure::on(day)
    }

    /// The booking window of `office` from today: free slots per open day,
    /// and the closed days.
    pub async fn booking_offers(&self, office: &Office) -> Result<Offers, ServiceError> {
        let today = self.today();
        let mut window = slots::window(today);
        let from = window.next().unwrap_or(today);
        let to = window.last().unwrap_or(from);
        let usage = self.store.slot_usage(office.code, from, to).await?;
        let taken = |day: Date, start: u16| {
            usage
                .iter()
                .find(|u| u.day == day && u.start_min == start)
                .map_or(0, |u| u.booked)
        };
        let (mut open, closed) = slots::offers(desk(office), self.calendar, today, taken);
        // Only the days the office receives on: an office that ends (or
        // starts) within the window offers none of the other days.
        open.retain(|d| office.receives_public_on(d.day));
        Ok(Offers { open, closed })
    }

    /// The slot of `office` starting at `start` on `day`, if it is offered
    /// from today (whether a seat is still free is decided when it is
    /// taken).
    pub fn choose_slot(
        &self,
        office: &Office,
        day: Date,
        start: u16,
    ) -> Result<SlotChoice, ServiceError> {
        if !office.receives_public_on(day) {
            return Err(not_in_force(office, day));
        }
        Ok(slots::choose(
            desk(office),
            self.calendar,
            self.today(),
            day,
            start,
        )?)
    }

    /// Books a seat (đặt lịch hẹn): checks the slot against the rules as
    /// of today, draws a code and takes the seat in one store transaction.
    /// A full slot is a conflict; an unknown office or a slot the office
    /// does not offer is invalid input.
    ///
    /// First the slot is checked, then `presence` ([`ServiceError::Captcha`]
    /// when not solved), then the client's booking rate is taken
    /// ([`ServiceError::Limited`]); the seat is refused
    /// when the phone or the personal ID already holds the most upcoming
    /// appointments allowed (a conflict).
    ///
    /// The challenge is spent with this form's claim
    /// ([`BookingRequest::challenge_claim`]): the same form sent again (a double
    /// click, a reload, or after a crash cut its first sending off before
    /// the seat was taken) gets the booking its challenge holds, or takes
    /// the seat now; any other form finds the challenge used. A refusal
    /// for good (a full slot, a cap, the rate) drops the claim, so each
    /// solved challenge buys one attempt.
    pub async fn book(
        &self,
        req: BookingRequest,
        presence: Presence<'_>,
        client: Client,
    ) -> Result<Booking, ServiceError> {
        let g = &self.guards;
        // A slot that is not offered is refused before the captcha is
        // spent: the citizen picks another and keeps the code typed.
        let slot = self.offered_slot(&req).await?;
        let (id, answer) = match presence {
            Presence::Captcha { id, answer } => (id, answer),
        };
        let claim = req.challenge_claim(id);
        let spent = self.form_challenge(id, answer, &claim).await?;
        if spent.resumable {
            // This form was sent before: its booking, once its first
            // sending (maybe still running) has taken the seat; else the
            // seat now, unless a refusal dropped the claim meanwhile.
            if let Some(b) = self.booked_by_form(id, &req).await? {
                return Ok(b);
            }
            if !self.claim_held(id, &claim).await? {
                return Err(ServiceError::Captcha(CaptchaCheck::Used));
            }
        } else if spent.check != CaptchaCheck::Solved {
            // A form whose claim a refusal dropped while its booking was
            // being made still gets its booking.
            if spent.check == CaptchaCheck::Used
                && let Some(b) = self.store.booking_by_presence(id).await?
                && same_form(&b, &req)
            {
                return Ok(b);
            }
            return Err(ServiceError::Captcha(spent.check));
        }
        // Counted once the captcha is solved: a typo in it costs the
        // citizen nothing here (challenges have their own per-client
        // rate), a booking attempt by a solved form does.
        let seat = match g.take(
            &g.bookings,
            Limit::Bookings,
            client,
            self.now().as_millisecond(),
        ) {
            Ok(()) => {
                let caps = HolderCaps {
                    per_phone: g.limits.bookings_per_phone,
                    per_id: g.limits.bookings_per_id,
                    from_day: self.today(),
                };
                self.take_seat(&req, slot, Some(&caps), Some(id)).await
            }
            Err(e) => Err(e),
        };
        match seat {
            Ok(b) => Ok(b),
            Err(e) => match self.store.booking_by_presence(id).await? {
                // Sent twice at once: the other sending took the seat.
                Some(b) if same_form(&b, &req) => Ok(b),
                Some(_) => Err(ServiceError::Captcha(CaptchaCheck::Used)),
                None => {
                    self.refused_for_good(id, &claim, &e).await;
                    Err(e)
                }
            },
        }
    }

    /// The booking the form with challenge `id` made for exactly `req`
    /// (office, day, time, phone), if any. A second sending of a form can
    /// arrive while the first is still taking its seat: it waits for it a
    /// little (at most [`FORM_REPLAY_WAIT_MS`]) before answering none.
    async fn booked_by_form(
        &self,
        id: &str,
        req: &BookingRequest,
    ) -> Result<Option<Booking>, ServiceError> {
        if id.is_empty() {
            return Ok(None);
        }
        let step = FORM_REPLAY_WAIT_MS / 10;
        for attempt in 0..=10 {
            if let Some(b) = self.store.booking_by_presence(id).await? {
                return Ok(same_form(&b, req).then_some(b));
            }
            if attempt < 10 {
                tokio::time::sleep(std::time::Duration::from_millis(step)).await;
            }
        }
        Ok(None)
    }

    /// Books a seat for the operator tools and tests that act as the
    /// system (the demo world, bulk imports): no captcha, rate or holder
    /// caps. Never behind a public door.
    pub async fn book_unchecked(&self, req: BookingRequest) -> Result<Booking, ServiceError> {
        let slot = self.offered_slot(&req).await?;
        self.take_seat(&req, slot, None, None).await
    }

    /// The seat `req` asks for, when its office takes appointments and
    /// offers that slot today.
    async fn offered_slot(&self, req: &BookingRequest) -> Result<SlotRequest, ServiceError> {
        let office = self.office(req.office).await.map_err(|e| match e.class() {
            super::ErrorClass::NotFound => ServiceError::invalid(
                "office",
                format!("không có đơn vị {:04}", req.office),
                format!("there is no office {:04}", req.office),
            ),
            _ => e,
        })?;
        // Only an office that receives the public on the booked day: not an
        // ended district office, not a unit before it starts.
        if !office.receives_public_on(req.day) || office.daily_capacity == 0 {
            return Err(ServiceError::invalid(
                "office",
                format!("{} không nhận đặt lịch hẹn", office.name),
                format!("{} does not take appointments", office.name),
            ));
        }
        let choice = self.choose_slot(&office, req.day, req.start)?;
        Ok(slot_request(office.code, choice))
    }

    /// Draws a code and takes `slot` for `req` (within `caps` when given).
    async fn take_seat(
        &self,
        req: &BookingRequest,
        slot: SlotRequest,
        caps: Option<&HolderCaps>,
        presence: Option<&str>,
    ) -> Result<Booking, ServiceError> {
        let at = self.now_secs();
        let mut draws = 0;
        loop {
            draws += 1;
            let code = BookingCode::from_random(rand::random_range(0..BookingCode::RANDOM_SPACE));
            let new = NewBooking {
                code: code.to_string(),
                slot,
                full_name: req.full_name.as_str().to_owned(),
                phone: req.phone.as_str().to_owned(),
                personal_id: req.personal_id.map(|p| p.as_str().to_owned()),
                presence: presence.map(str::to_owned),
            };
            let made = match caps {
                Some(caps) => self.store.create_booking_capped(&new, at, caps).await,
                None => self.store.create_booking(&new, at).await,
            };
            match made {
                Ok(b) => {
                    tracing::info!(
                        office = b.office,
                        day = %b.day,
                        start = b.start_min,
                        "booking made"
                    );
                    return Ok(b);
                }
                Err(e) if e.is_duplicate() && draws < CODE_DRAWS => {
                    // The challenge already holds a seat (the same form
                    // sent twice at once): no new code changes that.
                    if let Some(p) = presence
                        && self.store.booking_by_presence(p).await?.is_some()
                    {
                        return Err(e.into());
                    }
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// A booking by its code alone, asked by `client`: enough to show the
    /// slot, the office and the state (the confirmation page), never to
    /// change it. Counted against the client's appointment lookups
    /// ([`crate::Limits::booking_lookups`]), so the code space cannot be
    /// walked through it to find codes to lock.
    pub async fn booking(
        &self,
        code: &BookingCode,
        client: Client,
    ) -> Result<Booking, ServiceError> {
        let g = &self.guards;
        g.take(
            &g.booking_lookups,
            Limit::BookingLookups,
            client,
            self.now().as_millisecond(),
        )?;
        Ok(self.store.booking_by_code(code.as_str()).await?)
    }

    /// A booking by its code and the phone it was made with, asked by
    /// `client`; a wrong phone answers like an unknown code.
    ///
    /// Guarded: each ask takes one of the client's appointment lookups
    /// ([`crate::Limits::booking_lookups`]), and wrong phones are counted
    /// as password guesses, before the store is read, so concurrent
    /// guesses cannot slip past ([`crate::Limits::booking_phone`]: per
    /// code and client, per client, and a soft lock per code that still
    /// lets a clean address's right phone in, so a guesser cannot lock
    /// the owner out). Both are [`ServiceError::Limited`]. Every use of a booking's two keys —
    /// the manage page, a move, a cancel, the declaration — goes through
    /// here.
    pub async fn find_booking(
        &self,
        code: &BookingCode,
        phone: &PhoneNumber,
        client: Client,
    ) -> Result<Booking, ServiceError> {
        let g = &self.guards;
        let now_ms = self.now().as_millisecond();
        g.take(&g.booking_lookups, Limit::BookingLookups, client, now_ms)?;
        let now = now_ms.div_euclid(1000);
        let attempt = g
            .booking_phone
            .admit(code.as_str(), client, now)
            .map_err(|secs| ServiceError::limited(Limit::BookingPhone, secs))?;
        match self.store.booking_for(code.as_str(), phone.as_str()).await {
            Ok(b) => {
                g.booking_phone.succeeded(attempt);
                Ok(b)
            }
            Err(e @ StoreError::NotFound { .. }) => {
                tracing::info!("booking not found for the phone given");
                g.booking_phone.failed(attempt);
                Err(e.into())
            }
            Err(e) => {
                g.booking_phone.abandoned(attempt);
                Err(e.into())
            }
        }
    }

    /// Cancels a booking (hủy lịch hẹn) and frees its seat; its keys are
    /// checked as [`Service::find_booking`] does.
    pub async fn cancel_booking(
        &self,
        code: &BookingCode,
        phone: &PhoneNumber,
        client: Client,
    ) -> Result<Booking, ServiceError> {
        self.find_booking(code, phone, client).await?;
        let b = self
            .store
            .cancel_booking(code.as_str(), phone.as_str(), self.now_secs())
            .await?;
        tracing::info!(office = b.office, day = %b.day, "booking cancelled");
        Ok(b)
    }

    /// Moves a booking (đổi lịch hẹn) to another slot of the same office:
    /// the new seat is taken before the old one is freed, in one
    /// transaction; its keys are checked as [`Service::find_booking`] does.
    pub async fn move_booking(
        &self,
        code: &BookingCode,
        phone: &PhoneNumber,
        day: Date,
        start: u16,
        client: Client,
    ) -> Result<Booking, ServiceError> {
        let b = self.find_booking(code, phone, client).await?;
        let office = self.office(b.office).await?;
        let choice = self.choose_slot(&office, day, start)?;
        let moved = self
            .store
            .move_booking(
                code.as_str(),
                phone.as_str(),
                &slot_request(office.code, choice),
                self.now_secs(),
            )
            .await?;
        tracing::info!(office = moved.office, day = %moved.day, "booking moved");
        Ok(moved)
    }

    /// The booking and its declaration draft, if one is saved; its keys
    /// are checked as [`Service::find_booking`] does.
    pub async fn declaration(
        &self,
        code: &BookingCode,
        phone: &PhoneNumber,
        client: Client,
    ) -> Result<(Booking, Option<Declaration>), ServiceError> {
        let b = self.find_booking(code, phone, client).await?;
        let d = self.store.declaration_of(code.as_str()).await?;
        Ok((b, d))
    }

    /// Saves the declaration draft of a booking still booked (a received
    /// or cancelled booking is a conflict); its keys are checked as
    /// [`Service::find_booking`] does.
    pub async fn save_declaration(
        &self,
        code: &BookingCode,
        phone: &PhoneNumber,
        declaration: &Declaration,
        client: Client,
    ) -> Result<Booking, ServiceError> {
        self.find_booking(code, phone, client).await?;
        let saved = self
            .store
            .save_declaration(code.as_str(), phone.as_str(), declaration, self.now_secs())
            .await?;
        if declaration.wants_account
            && let Some(pid) = declaration
                .personal_id
                .as_deref()
                .and_then(|p| cancuoc_core::id::PersonalId::parse(p).ok())
        {
            // Only a citizen on record with this number and name: a
            // declaration cannot ask on someone else's behalf.
            match self.store.citizen_by_personal_id(&pid).await {
                Ok(c) if crate::eid::same_name(&c.full_name, &declaration.full_name) => {
                    self.request_account_with_card(c.id).await?;
                }
                Ok(_) | Err(StoreError::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(saved)
    }

    /// What reception pre-fills from appointment `code` of the officer's
    /// own office; `None` for an unknown code or another office's
    /// appointment (an officer sees only the bookings of their desk).
    pub async fn reception_prefill(
        &self,
        officer: &Officer,
        code: &BookingCode,
    ) -> Result<Option<ReceptionPrefill>, ServiceError> {
        let booking = match self.store.booking_by_code(code.as_str()).await {
            Ok(b) if b.office == officer.office => b,
            Ok(_) | Err(StoreError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let declaration = self.store.declaration_of(code.as_str()).await?;
        Ok(Some(ReceptionPrefill {
            booking,
            declaration,
        }))
    }

    /// Marks appointment `code` received at the desk (đã tiếp nhận), for
    /// reception once it has opened the dossier: the citizen can no longer
    /// edit the declaration, and the day's list shows it. Only an
    /// appointment of the officer's own office; idempotent. One store
    /// transaction reads, decides and writes (two submits at once cannot
    /// both mark it).
    pub async fn mark_booking_received(
        &self,
        officer: &Officer,
        code: &BookingCode,
    ) -> Result<Received, ServiceError> {
        let outcome = self
            .store
            .receive_booking(code.as_str(), officer.office, officer.id, self.now_secs())
            .await?;
        Ok(match outcome {
            Reception::Marked(b) => {
                tracing::info!(
                    office = b.office,
                    officer = officer.id.0,
                    "booking received"
                );
                Received::Marked
            }
            Reception::Already(_) => Received::Already,
            Reception::Cancelled(_) => Received::Cancelled,
            Reception::NotHere => Received::NotHere,
        })
    }

    /// The bookings of `office` on `day` (default today), by start time,
    /// for an officer who may read the office.
    pub async fn day_bookings(
        &self,
        officer: &Officer,
        office: u16,
        day: Option<Date>,
    ) -> Result<(Date, Vec<Booking>), ServiceError> {
        self.check_view(officer, office).await?;
        let day = day.unwrap_or_else(|| self.today());
        let list = self.store.bookings_on(office, day).await?;
        Ok((day, list))
    }
}

/// What the slot rules need of an office.
/// The refusal of a day an office does not receive on: it had ended (a
/// district office after 28/02/2025) or had not started yet.
fn not_in_force(office: &Office, day: Date) -> ServiceError {
    let d = day.strftime("%d/%m/%Y");
    ServiceError::invalid(
        "day",
        format!("{} không tiếp nhận hồ sơ vào ngày {d}", office.name),
        format!("{} does not receive applications on {d}", office.name),
    )
}

fn desk(office: &Office) -> Desk<'_> {
    Desk {
        hours: &office.opening_hours,
        daily_capacity: office.daily_capacity,
    }
}

/// The store's seat request for a chosen slot.
fn slot_request(office: u16, c: SlotChoice) -> SlotRequest {
    SlotRequest {
        key: SlotKey {
            office,
            day: c.day,
            start_min: c.start,
        },
        end_min: c.end,
        capacity: c.capacity,
    }
}

/// Whether booking `b` is the one `req` asks for: office, day, time and
/// phone (a form sent again is the same form).
fn same_form(b: &Booking, req: &BookingRequest) -> bool {
    b.office == req.office
        && b.day == req.day
        && b.start_min == req.start
        && b.phone == req.phone.as_str()
}
