//! Appointments (lịch hẹn) and their declarations (tờ khai): take a seat,
//! look up by code and phone, cancel, move, the day's list of an office,
//! and the declaration draft.
//!
//! No overbooking under concurrency: a seat is taken with one conditional
//! update of the slot's counter row (`booked = booked + 1 WHERE booked <
//! capacity`) in the same transaction as the booking's insert, and the
//! number of rows it touched decides. On SQLite the transaction holds the
//! write lock from its start (`BEGIN IMMEDIATE`); on PostgreSQL the update
//! takes the row lock and re-checks its `WHERE` once a concurrent holder
//! commits, so the last seat goes to exactly one caller on both.
//!
//! No deadlock between opposite moves: a move touches two slot rows, and
//! two citizens moving X→Y and Y→X at the same moment would each hold one
//! and wait for the other (PostgreSQL then aborts one, SQLSTATE 40P01). So
//! a move locks both rows first, in one fixed order (office, day, start),
//! with `SELECT … FOR UPDATE`; the second mover waits for the first
//! instead. As a second line, the writes of this module run again (at most
//! [`ATTEMPTS`] times in all) when PostgreSQL reports a deadlock or a
//! serialization failure (40P01, 40001), which roll the transaction back
//! whole.
//!
//! A wrong phone number answers exactly like an unknown code
//! ([`StoreError::NotFound`] with the code as key): nothing tells which of
//! the two was wrong.

use jiff::civil::Date;

use crate::Store;
use crate::db::with_pool;
use crate::error::{Conflict, Entity, StoreError};
use crate::model::booking::{
    Booking, BookingState, Declaration, HolderCaps, NewBooking, Reception, SlotKey, SlotRequest,
    SlotUsage,
};
use crate::model::officer::OfficerId;
use crate::ops::audit;
use crate::replica::public_read;
use crate::rows::{date_of, json_of, to_json, u16_of, u32_of};

/// The columns of [`BookingRow`], `b` being `bookings`.
macro_rules! booking_cols {
    () => {
        "b.id, b.code, b.office_code, b.day, b.start_min, b.end_min, b.full_name, b.phone, \
         b.personal_id, b.state, \
         EXISTS (SELECT 1 FROM booking_declarations d WHERE d.booking_id = b.id) AS has_declaration, \
         b.created_at, b.updated_at"
    };
}

#[derive(sqlx::FromRow)]
struct BookingRow {
    id: i64,
    code: String,
    office_code: i64,
    day: String,
    start_min: i64,
    end_min: i64,
    full_name: String,
    phone: String,
    personal_id: Option<String>,
    state: String,
    has_declaration: bool,
    created_at: i64,
    updated_at: i64,
}

impl BookingRow {
    fn into_model(self) -> Result<Booking, StoreError> {
        Ok(Booking {
            id: self.id,
            code: self.code,
            office: u16_of("bookings.office_code", self.office_code)?,
            day: date_of("bookings.day", &self.day)?,
            start_min: u16_of("bookings.start_min", self.start_min)?,
            end_min: u16_of("bookings.end_min", self.end_min)?,
            full_name: self.full_name,
            phone: self.phone,
            personal_id: self.personal_id,
            state: self.state.parse()?,
            has_declaration: self.has_declaration,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The slot of an audit row: `office 0790 2026-11-23 07:30` (no name, no
/// phone: the audit log carries no personal data).
fn slot_text(k: &SlotKey) -> String {
    format!("office {:04} {} {}", k.office, k.day, hhmm(k.start_min))
}

fn hhmm(min: u16) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

fn slot_full(key: &SlotKey) -> StoreError {
    StoreError::Conflict(Conflict::SlotFull {
        office: key.office,
        day: key.day.to_string(),
        start: hhmm(key.start_min),
    })
}

fn check_slot(s: &SlotRequest) -> Result<(), StoreError> {
    if s.key.start_min >= s.end_min || s.end_min > 24 * 60 {
        return Err(StoreError::field(
            "slot",
            format!(
                "slot {}–{} is empty or past midnight",
                hhmm(s.key.start_min),
                hhmm(s.end_min)
            ),
        ));
    }
    Ok(())
}

/// Takes one seat of slot `$req` on `$tx`, or returns `SlotFull` from the
/// enclosing function (the caller's transaction is rolled back on drop).
macro_rules! take_seat {
    ($tx:ident, $req:expr) => {{
        let req: &SlotRequest = $req;
        let day = req.key.day.to_string();
        sqlx::query(
            "INSERT INTO booking_slots (office_code, day, start_min, capacity, booked) \
             VALUES ($1, $2, $3, $4, 0) \
             ON CONFLICT (office_code, day, start_min) DO NOTHING",
        )
        .bind(i64::from(req.key.office))
        .bind(&day)
        .bind(i64::from(req.key.start_min))
        .bind(i64::from(req.capacity))
        .execute(&mut *$tx)
        .await?;
        let taken = sqlx::query(
            "UPDATE booking_slots SET booked = booked + 1, capacity = $4 \
             WHERE office_code = $1 AND day = $2 AND start_min = $3 AND booked < $4",
        )
        .bind(i64::from(req.key.office))
        .bind(&day)
        .bind(i64::from(req.key.start_min))
        .bind(i64::from(req.capacity))
        .execute(&mut *$tx)
        .await?
        .rows_affected();
        if taken != 1 {
            return Err(slot_full(&req.key));
        }
    }};
}

/// Locks the two slot rows of a move — the booking `$b`'s and the target
/// `$to`'s, the target created first when it has no row yet — in the order
/// (office, day, start) on PostgreSQL, so opposite moves queue instead of
/// deadlocking. On SQLite `BEGIN IMMEDIATE` has already serialized the
/// writers.
macro_rules! lock_move_slots {
    ($tx:ident, $b:expr, $to:expr) => {{
        let b: &Booking = $b;
        let to: &SlotRequest = $to;
        sqlx::query(
            "INSERT INTO booking_slots (office_code, day, start_min, capacity, booked) \
             VALUES ($1, $2, $3, $4, 0) \
             ON CONFLICT (office_code, day, start_min) DO NOTHING",
        )
        .bind(i64::from(to.key.office))
        .bind(to.key.day.to_string())
        .bind(i64::from(to.key.start_min))
        .bind(i64::from(to.capacity))
        .execute(&mut *$tx)
        .await?;
        if !SQLITE {
            let mut keys = [
                (b.office, b.day, b.start_min),
                (to.key.office, to.key.day, to.key.start_min),
            ];
            keys.sort_unstable();
            for (office, day, start_min) in keys {
                sqlx::query(
                    "SELECT booked FROM booking_slots \
                     WHERE office_code = $1 AND day = $2 AND start_min = $3 FOR UPDATE",
                )
                .bind(i64::from(office))
                .bind(day.to_string())
                .bind(i64::from(start_min))
                .fetch_optional(&mut *$tx)
                .await?;
            }
        }
    }};
}

/// Frees one seat of the slot of booking `$b` on `$tx`.
macro_rules! free_seat {
    ($tx:ident, $b:expr) => {{
        let b: &Booking = $b;
        sqlx::query(
            "UPDATE booking_slots SET booked = booked - 1 \
             WHERE office_code = $1 AND day = $2 AND start_min = $3 AND booked > 0",
        )
        .bind(i64::from(b.office))
        .bind(b.day.to_string())
        .bind(i64::from(b.start_min))
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Reads the booking `$code` + `$phone` on `$tx`, locking it on PostgreSQL.
macro_rules! load_for_update {
    ($tx:ident, $code:expr, $phone:expr) => {{
        let sql = if SQLITE {
            concat!(
                "SELECT ",
                booking_cols!(),
                " FROM bookings b WHERE b.code = $1 AND b.phone = $2"
            )
        } else {
            concat!(
                "SELECT ",
                booking_cols!(),
                " FROM bookings b WHERE b.code = $1 AND b.phone = $2 FOR UPDATE OF b"
            )
        };
        let row: Option<BookingRow> = sqlx::query_as::<DB, BookingRow>(sql)
            .bind($code)
            .bind($phone)
            .fetch_optional(&mut *$tx)
            .await?;
        row.ok_or_else(|| StoreError::not_found(Entity::Booking, $code.to_owned()))?
            .into_model()?
    }};
}

fn require_open(b: &Booking) -> Result<(), StoreError> {
    if b.state == BookingState::Booked {
        Ok(())
    } else {
        Err(StoreError::Conflict(Conflict::BookingClosed {
            state: b.state.code(),
        }))
    }
}

/// How many times a write of this module runs when PostgreSQL rolls it
/// back for a deadlock or a serialization failure.
const ATTEMPTS: u32 = 3;

/// Whether `e` is a deadlock (40P01) or a serialization failure (40001):
/// the transaction was rolled back whole, so running it again is safe.
fn is_transient(e: &StoreError) -> bool {
    match e {
        StoreError::Database(sqlx::Error::Database(db)) => {
            matches!(db.code().as_deref(), Some("40001" | "40P01"))
        }
        _ => false,
    }
}

/// Runs `op` up to [`ATTEMPTS`] times while it fails with a transient
/// error; any other answer is returned at once.
async fn retrying<T, F, Fut>(mut op: F) -> Result<T, StoreError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, StoreError>>,
{
    let mut attempt = 1;
    loop {
        match op().await {
            Err(e) if is_transient(&e) && attempt < ATTEMPTS => attempt += 1,
            other => return other,
        }
    }
}

impl Store {
    /// Seats taken in every slot of `office` with a booking between `from`
    /// and `to` (both included), by day and start: the booking page's free
    /// seats, read on a replica when one is fresh (see `replica.rs`; the
    /// booking itself takes its seat on the primary).
    pub async fn slot_usage(
        &self,
        office: u16,
        from: Date,
        to: Date,
    ) -> Result<Vec<SlotUsage>, StoreError> {
        let rows: Vec<(String, i64, i64)> = public_read!(self, |db| async {
            Ok::<_, StoreError>(with_pool!(db, |pool| {
                sqlx::query_as::<DB, (String, i64, i64)>(
                    "SELECT day, start_min, booked FROM booking_slots \
                     WHERE office_code = $1 AND day >= $2 AND day <= $3 AND booked > 0 \
                     ORDER BY day, start_min",
                )
                .bind(i64::from(office))
                .bind(from.to_string())
                .bind(to.to_string())
                .fetch_all(pool)
                .await?
            }))
        }
        .await)?;
        rows.into_iter()
            .map(|(day, start, booked)| {
                Ok(SlotUsage {
                    day: date_of("booking_slots.day", &day)?,
                    start_min: u16_of("booking_slots.start_min", start)?,
                    booked: u32_of("booking_slots.booked", booked)?,
                })
            })
            .collect()
    }

    /// Books a seat (đặt lịch): takes a seat of the slot and stores the
    /// booking, in one transaction. A full slot is
    /// [`Conflict::SlotFull`]; a taken code is [`Conflict::Duplicate`]
    /// (nothing is kept: draw another code and call again).
    pub async fn create_booking(&self, new: &NewBooking, at: i64) -> Result<Booking, StoreError> {
        self.book_seat(new, at, None).await
    }

    /// [`Store::create_booking`] for the public: in the same transaction,
    /// refused with [`Conflict::HolderLimit`] when the booking's phone, or
    /// its personal ID, already holds `caps` active appointments. On
    /// PostgreSQL the phone's and the ID's transaction-scoped advisory locks
    /// are taken first, so concurrent bookings for one person are counted
    /// one after the other (SQLite's `BEGIN IMMEDIATE` already serializes
    /// writers).
    pub async fn create_booking_capped(
        &self,
        new: &NewBooking,
        at: i64,
        caps: &HolderCaps,
    ) -> Result<Booking, StoreError> {
        self.book_seat(new, at, Some(caps)).await
    }

    async fn book_seat(
        &self,
        new: &NewBooking,
        at: i64,
        caps: Option<&HolderCaps>,
    ) -> Result<Booking, StoreError> {
        check_slot(&new.slot)?;
        if new.full_name.trim().is_empty() {
            return Err(StoreError::field("full_name", "must not be blank"));
        }
        let key = new.slot.key;
        let id: i64 = with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            if let Some(caps) = caps {
                let from = caps.from_day.to_string();
                let holders = [
                    ("phone", Some(new.phone.as_str()), caps.per_phone),
                    ("personal_id", new.personal_id.as_deref(), caps.per_id),
                ];
                for (by, value, limit) in holders {
                    let Some(value) = value else { continue };
                    if !SQLITE {
                        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
                            .bind(format!("booking.{by}:{value}"))
                            .execute(&mut *tx)
                            .await?;
                    }
                    let sql = if by == "phone" {
                        "SELECT COUNT(*) FROM bookings \
                         WHERE phone = $1 AND state = 'booked' AND day >= $2"
                    } else {
                        "SELECT COUNT(*) FROM bookings \
                         WHERE personal_id = $1 AND state = 'booked' AND day >= $2"
                    };
                    let (held,): (i64,) = sqlx::query_as(sql)
                        .bind(value)
                        .bind(&from)
                        .fetch_one(&mut *tx)
                        .await?;
                    if held >= i64::from(limit) {
                        return Err(StoreError::Conflict(Conflict::HolderLimit { by, limit }));
                    }
                }
            }
            take_seat!(tx, &new.slot);
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO bookings (code, office_code, day, start_min, end_min, full_name, \
                 phone, personal_id, state, created_at, updated_at, presence) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'booked', $9, $9, $10) RETURNING id",
            )
            .bind(&new.code)
            .bind(i64::from(key.office))
            .bind(key.day.to_string())
            .bind(i64::from(key.start_min))
            .bind(i64::from(new.slot.end_min))
            .bind(new.full_name.trim())
            .bind(&new.phone)
            .bind(&new.personal_id)
            .bind(at)
            .bind(&new.presence)
            .fetch_one(&mut *tx)
            .await?;
            audit!(
                tx,
                at,
                None::<i64>,
                "booking.create",
                format!("booking:{id}"),
                slot_text(&key)
            );
            tx.commit().await?;
            id
        });
        Ok(Booking {
            id,
            code: new.code.clone(),
            office: key.office,
            day: key.day,
            start_min: key.start_min,
            end_min: new.slot.end_min,
            full_name: new.full_name.trim().to_owned(),
            phone: new.phone.clone(),
            personal_id: new.personal_id.clone(),
            state: BookingState::Booked,
            has_declaration: false,
            created_at: at,
            updated_at: at,
        })
    }

    /// The booking with `code` whose phone is `phone` (tra cứu lịch hẹn). A
    /// wrong phone is the same [`StoreError::NotFound`] as an unknown code.
    pub async fn booking_for(&self, code: &str, phone: &str) -> Result<Booking, StoreError> {
        let row: Option<BookingRow> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, BookingRow>(concat!(
                "SELECT ",
                booking_cols!(),
                " FROM bookings b WHERE b.code = $1 AND b.phone = $2"
            ))
            .bind(code)
            .bind(phone)
            .fetch_optional(pool)
            .await?
        });
        row.ok_or_else(|| StoreError::not_found(Entity::Booking, code))?
            .into_model()
    }

    /// The booking with `code`, for officers (reception, the day's list).
    pub async fn booking_by_code(&self, code: &str) -> Result<Booking, StoreError> {
        let row: Option<BookingRow> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, BookingRow>(concat!(
                "SELECT ",
                booking_cols!(),
                " FROM bookings b WHERE b.code = $1"
            ))
            .bind(code)
            .fetch_optional(pool)
            .await?
        });
        row.ok_or_else(|| StoreError::not_found(Entity::Booking, code))?
            .into_model()
    }

    /// The booking made with the one-time captcha challenge `presence`, if
    /// any (see [`NewBooking::presence`]).
    pub async fn booking_by_presence(&self, presence: &str) -> Result<Option<Booking>, StoreError> {
        let row: Option<BookingRow> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, BookingRow>(concat!(
                "SELECT ",
                booking_cols!(),
                " FROM bookings b WHERE b.presence = $1"
            ))
            .bind(presence)
            .fetch_optional(pool)
            .await?
        });
        row.map(BookingRow::into_model).transpose()
    }

    /// Every booking of `office` on `day` (cancelled ones included), by
    /// start time then creation.
    pub async fn bookings_on(&self, office: u16, day: Date) -> Result<Vec<Booking>, StoreError> {
        let rows: Vec<BookingRow> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, BookingRow>(concat!(
                "SELECT ",
                booking_cols!(),
                " FROM bookings b WHERE b.office_code = $1 AND b.day = $2 \
                  ORDER BY b.start_min, b.id"
            ))
            .bind(i64::from(office))
            .bind(day.to_string())
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(BookingRow::into_model).collect()
    }

    /// Cancels a booking (hủy lịch hẹn) and frees its seat, in one
    /// transaction. Cancelled or received already: [`Conflict::BookingClosed`].
    pub async fn cancel_booking(
        &self,
        code: &str,
        phone: &str,
        at: i64,
    ) -> Result<Booking, StoreError> {
        retrying(|| self.cancel_booking_once(code, phone, at)).await
    }

    async fn cancel_booking_once(
        &self,
        code: &str,
        phone: &str,
        at: i64,
    ) -> Result<Booking, StoreError> {
        let booking = with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let mut b = load_for_update!(tx, code, phone);
            require_open(&b)?;
            free_seat!(tx, &b);
            sqlx::query("UPDATE bookings SET state = 'cancelled', updated_at = $2 WHERE id = $1")
                .bind(b.id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            audit!(
                tx,
                at,
                None::<i64>,
                "booking.cancel",
                format!("booking:{}", b.id),
                slot_text(&b.slot_key())
            );
            tx.commit().await?;
            b.state = BookingState::Cancelled;
            b.updated_at = at;
            b
        });
        Ok(booking)
    }

    /// Moves a booking to another slot (đổi lịch hẹn), in one transaction:
    /// the new seat is taken first, and the old one is freed only if that
    /// succeeded. A full target is [`Conflict::SlotFull`] and the booking
    /// keeps its old seat. Moving to the slot it holds changes nothing.
    pub async fn move_booking(
        &self,
        code: &str,
        phone: &str,
        to: &SlotRequest,
        at: i64,
    ) -> Result<Booking, StoreError> {
        check_slot(to)?;
        retrying(|| self.move_booking_once(code, phone, to, at)).await
    }

    async fn move_booking_once(
        &self,
        code: &str,
        phone: &str,
        to: &SlotRequest,
        at: i64,
    ) -> Result<Booking, StoreError> {
        let booking = with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let mut b = load_for_update!(tx, code, phone);
            require_open(&b)?;
            let same =
                b.office == to.key.office && b.day == to.key.day && b.start_min == to.key.start_min;
            if !same {
                lock_move_slots!(tx, &b, to);
                take_seat!(tx, to);
                free_seat!(tx, &b);
                sqlx::query(
                    "UPDATE bookings SET office_code = $2, day = $3, start_min = $4, \
                     end_min = $5, updated_at = $6 WHERE id = $1",
                )
                .bind(b.id)
                .bind(i64::from(to.key.office))
                .bind(to.key.day.to_string())
                .bind(i64::from(to.key.start_min))
                .bind(i64::from(to.end_min))
                .bind(at)
                .execute(&mut *tx)
                .await?;
                audit!(
                    tx,
                    at,
                    None::<i64>,
                    "booking.move",
                    format!("booking:{}", b.id),
                    format!("{} -> {}", slot_text(&b.slot_key()), slot_text(&to.key))
                );
                tx.commit().await?;
                b.office = to.key.office;
                b.day = to.key.day;
                b.start_min = to.key.start_min;
                b.end_min = to.end_min;
                b.updated_at = at;
            }
            b
        });
        Ok(booking)
    }

    /// Receives the booking `code` at the desk of `office` (đã tiếp nhận),
    /// in one transaction: the booking is read and locked, then marked
    /// received when it is booked at that office (its declaration is frozen
    /// from then on), and the officer's act audited. An unknown code or
    /// another office's booking is [`Reception::NotHere`]; a received or
    /// cancelled one is reported as it is, unchanged.
    pub async fn receive_booking(
        &self,
        code: &str,
        office: u16,
        officer: OfficerId,
        at: i64,
    ) -> Result<Reception, StoreError> {
        retrying(|| self.receive_booking_once(code, office, officer, at)).await
    }

    async fn receive_booking_once(
        &self,
        code: &str,
        office: u16,
        officer: OfficerId,
        at: i64,
    ) -> Result<Reception, StoreError> {
        let outcome = with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let sql = if SQLITE {
                concat!(
                    "SELECT ",
                    booking_cols!(),
                    " FROM bookings b WHERE b.code = $1"
                )
            } else {
                concat!(
                    "SELECT ",
                    booking_cols!(),
                    " FROM bookings b WHERE b.code = $1 FOR UPDATE OF b"
                )
            };
            let row: Option<BookingRow> = sqlx::query_as::<DB, BookingRow>(sql)
                .bind(code)
                .fetch_optional(&mut *tx)
                .await?;
            match row.map(BookingRow::into_model).transpose()? {
                None => Reception::NotHere,
                Some(b) if b.office != office => Reception::NotHere,
                Some(b) if b.state == BookingState::Received => Reception::Already(b),
                Some(b) if b.state == BookingState::Cancelled => Reception::Cancelled(b),
                Some(mut b) => {
                    sqlx::query(
                        "UPDATE bookings SET state = 'received', updated_at = $2 WHERE id = $1",
                    )
                    .bind(b.id)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                    audit!(
                        tx,
                        at,
                        Some(officer.0),
                        "booking.receive",
                        format!("booking:{}", b.id),
                        slot_text(&b.slot_key())
                    );
                    tx.commit().await?;
                    b.state = BookingState::Received;
                    b.updated_at = at;
                    Reception::Marked(b)
                }
            }
        });
        Ok(outcome)
    }

    /// Saves (creates or replaces) the declaration draft of the booking
    /// `code` + `phone`. Only while the booking is booked: once cancelled or
    /// received it is [`Conflict::BookingClosed`].
    pub async fn save_declaration(
        &self,
        code: &str,
        phone: &str,
        declaration: &Declaration,
        at: i64,
    ) -> Result<Booking, StoreError> {
        let data = to_json("declaration", declaration)?;
        let booking = with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let mut b = load_for_update!(tx, code, phone);
            require_open(&b)?;
            sqlx::query(
                "INSERT INTO booking_declarations (booking_id, data, updated_at) \
                 VALUES ($1, $2, $3) \
                 ON CONFLICT (booking_id) DO UPDATE SET data = excluded.data, \
                 updated_at = excluded.updated_at",
            )
            .bind(b.id)
            .bind(&data)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                at,
                None::<i64>,
                "booking.declaration",
                format!("booking:{}", b.id),
                if b.has_declaration {
                    "replaced"
                } else {
                    "created"
                }
            );
            tx.commit().await?;
            b.has_declaration = true;
            b
        });
        Ok(booking)
    }

    /// The declaration saved with booking `code`, if any (for the citizen
    /// after [`Store::booking_for`], and for reception). Unknown code: not
    /// found.
    pub async fn declaration_of(&self, code: &str) -> Result<Option<Declaration>, StoreError> {
        let row: Option<(Option<String>,)> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, (Option<String>,)>(
                "SELECT d.data FROM bookings b \
                 LEFT JOIN booking_declarations d ON d.booking_id = b.id WHERE b.code = $1",
            )
            .bind(code)
            .fetch_optional(pool)
            .await?
        });
        match row {
            None => Err(StoreError::not_found(Entity::Booking, code)),
            Some((None,)) => Ok(None),
            Some((Some(data),)) => json_of("booking_declarations.data", &data).map(Some),
        }
    }
}
