//! Store errors (lỗi lưu trữ), mapped from the driver in one place
//! ([`From<sqlx::Error>`], and beside it `from_rusqlite` with the same
//! verdicts for the paths that run on `rusqlite`): a unique violation is a [`Conflict`], a foreign-key,
//! check or not-null violation is [`Invalid`], anything else stays a
//! [`StoreError::Database`] error. "Not found" is only ever produced by a
//! method that fetched one row by key and got none; a database failure is
//! never reported as "not found".

use cancuoc_core::i18n::Localized;

/// The kind of record a [`StoreError::NotFound`] or conflict is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Entity {
    /// Đơn vị (office).
    Office,
    /// Cán bộ (officer).
    Officer,
    /// Công dân (citizen).
    Citizen,
    /// Thẻ (card).
    Card,
    /// Hồ sơ (dossier).
    Dossier,
    /// Lịch hẹn (appointment).
    Booking,
    /// Tài khoản định danh điện tử (a citizen's identity account).
    Account,
    /// Cuộc trò chuyện (a conversation on a citizens' channel).
    Conversation,
    /// Tin nhắn đến (a message received on a channel, in the inbox).
    InboundMessage,
    /// Tin nhắn chờ gửi (a reply or notification in the outbox).
    OutboundMessage,
}

impl Entity {
    /// Vietnamese noun.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Entity::Office => "đơn vị",
            Entity::Officer => "cán bộ",
            Entity::Citizen => "công dân",
            Entity::Card => "thẻ",
            Entity::Dossier => "hồ sơ",
            Entity::Booking => "lịch hẹn",
            Entity::Account => "tài khoản định danh điện tử",
            Entity::Conversation => "cuộc trò chuyện",
            Entity::InboundMessage => "tin nhắn đến",
            Entity::OutboundMessage => "tin nhắn chờ gửi",
        }
    }
    /// English noun.
    pub const fn label_en(self) -> &'static str {
        match self {
            Entity::Office => "office",
            Entity::Officer => "officer",
            Entity::Citizen => "citizen",
            Entity::Card => "card",
            Entity::Dossier => "dossier",
            Entity::Booking => "appointment",
            Entity::Account => "identity account",
            Entity::Conversation => "conversation",
            Entity::InboundMessage => "inbound message",
            Entity::OutboundMessage => "outbound message",
        }
    }
}

/// Why a write conflicts with what is stored (xung đột dữ liệu); an HTTP
/// front end answers 409.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Conflict {
    /// Optimistic concurrency: the dossier changed since the caller read it.
    StaleVersion {
        /// The dossier code.
        code: String,
        /// The version the caller expected.
        expected: i64,
        /// The version stored now.
        actual: i64,
    },
    /// A unique key is already taken (duplicate personal ID, dossier code,
    /// office code …). `detail` is the driver's constraint text.
    Duplicate {
        /// The constraint or column, as the database names it.
        detail: String,
    },
    /// An idempotency key was replayed with a different request body.
    IdempotencyKeyReused {
        /// The key.
        key: String,
    },
    /// The citizen already holds a personal ID and one was to be assigned.
    AlreadyHasId,
    /// Every seat of an appointment slot is taken (khung giờ đã hết chỗ).
    SlotFull {
        /// The office.
        office: u16,
        /// The day, ISO.
        day: String,
        /// The slot's start, `HH:MM`.
        start: String,
    },
    /// The appointment is cancelled or already received: it can no longer
    /// be changed.
    BookingClosed {
        /// Its state's stable code.
        state: &'static str,
    },
    /// The phone number or the personal ID already holds as many active
    /// appointments (booked, today or later) as one person may.
    HolderLimit {
        /// `phone` or `personal_id`.
        by: &'static str,
        /// How many it may hold.
        limit: u32,
    },
    /// An officer's reply to a conversation no officer has: the bot
    /// answers it, or it was closed (cuộc trò chuyện không ở chế độ gặp
    /// cán bộ).
    NotWithHuman {
        /// The conversation's id.
        conversation: i64,
    },
}

/// Why input was refused by the store (dữ liệu không hợp lệ); an HTTP front
/// end answers 400 or 422.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Invalid {
    /// A referenced record does not exist (foreign-key violation).
    Reference {
        /// The driver's constraint text.
        detail: String,
    },
    /// A check or not-null constraint refused a value.
    Constraint {
        /// The driver's constraint text.
        detail: String,
    },
    /// A field value the store cannot accept.
    Field {
        /// The field name.
        field: &'static str,
        /// What is wrong, in English (stable, shown in both messages).
        reason: String,
    },
    /// The workflow does not allow this transition (checked with
    /// `cancuoc_core::dossier::workflow`).
    Transition {
        /// What the refusal is about (the actor, the dossier's state, a
        /// missing requirement).
        refusal: cancuoc_core::dossier::workflow::Refusal,
        /// The stable code of the workflow error.
        code: &'static str,
        /// Vietnamese message of the workflow error.
        message_vi: String,
        /// English message of the workflow error.
        message_en: String,
    },
    /// A personal ID could not be allocated (unknown region, year out of
    /// range, prefix exhausted).
    Allocation(cancuoc_core::id::alloc::AllocError),
    /// No free dossier code was found after the given number of draws.
    CodeSpaceExhausted {
        /// How many random codes were tried.
        attempts: u32,
    },
    /// The database URL is not `sqlite:…` or `postgres://…`, or is malformed.
    Url {
        /// The URL with any password redacted.
        url: String,
    },
}

/// Everything a store method can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// No record with this key (không tìm thấy).
    #[error("{}", Localized::message_en(self))]
    NotFound {
        /// What was looked up.
        what: Entity,
        /// The key that was looked up (masked where personal).
        key: String,
    },
    /// The write conflicts with stored data.
    #[error("{}", Localized::message_en(self))]
    Conflict(Conflict),
    /// The input was refused.
    #[error("{}", Localized::message_en(self))]
    Invalid(Invalid),
    /// A stored value could not be read back (a code unknown to this
    /// version, malformed JSON): the database holds data this build does not
    /// understand.
    #[error("{}", Localized::message_en(self))]
    Corrupt {
        /// `table.column`.
        column: &'static str,
        /// The stored text (masked where personal).
        value: String,
    },
    /// Applying the embedded migrations failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Any other database failure (connection, IO, timeout, syntax).
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    /// The one place driver errors are classified.
    fn from(e: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        if let sqlx::Error::Database(db) = &e {
            let detail = db
                .constraint()
                .map_or_else(|| db.message().to_owned(), str::to_owned);
            match db.kind() {
                ErrorKind::UniqueViolation => {
                    return StoreError::Conflict(Conflict::Duplicate { detail });
                }
                ErrorKind::ForeignKeyViolation => {
                    return StoreError::Invalid(Invalid::Reference { detail });
                }
                ErrorKind::NotNullViolation | ErrorKind::CheckViolation => {
                    return StoreError::Invalid(Invalid::Constraint { detail });
                }
                _ => {}
            }
        }
        StoreError::Database(e)
    }
}

/// A `rusqlite` failure classified as [`From<sqlx::Error>`] classifies the
/// same SQLite failure, for the paths that run on `rusqlite` (the status
/// read path and the citizen load on SQLite files). A function, not a
/// `From` impl, so that `rusqlite` stays out of the store's public API.
pub(crate) fn from_rusqlite(e: rusqlite::Error) -> StoreError {
    use rusqlite::ffi;
    if let rusqlite::Error::SqliteFailure(f, msg) = &e {
        let detail = msg.clone().unwrap_or_else(|| f.to_string());
        match f.extended_code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                return StoreError::Conflict(Conflict::Duplicate { detail });
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => {
                return StoreError::Invalid(Invalid::Reference { detail });
            }
            ffi::SQLITE_CONSTRAINT_NOTNULL | ffi::SQLITE_CONSTRAINT_CHECK => {
                return StoreError::Invalid(Invalid::Constraint { detail });
            }
            _ => {}
        }
    }
    StoreError::Database(sqlx::Error::AnyDriverError(Box::new(e)))
}

impl StoreError {
    /// Shorthand for [`StoreError::NotFound`].
    pub(crate) fn not_found(what: Entity, key: impl Into<String>) -> Self {
        StoreError::NotFound {
            what,
            key: key.into(),
        }
    }
    /// Shorthand for [`StoreError::Corrupt`].
    pub(crate) fn corrupt(column: &'static str, value: impl Into<String>) -> Self {
        StoreError::Corrupt {
            column,
            value: value.into(),
        }
    }
    /// Shorthand for an invalid field.
    pub(crate) fn field(field: &'static str, reason: impl Into<String>) -> Self {
        StoreError::Invalid(Invalid::Field {
            field,
            reason: reason.into(),
        })
    }
    /// Whether this is a unique-key conflict (used for retry loops).
    pub fn is_duplicate(&self) -> bool {
        matches!(self, StoreError::Conflict(Conflict::Duplicate { .. }))
    }

    /// Whether the database could not take the request for a reason that
    /// passes by itself or by an operator's hand, not a fault in the
    /// request or the data: it could not be reached or gave no connection
    /// in time (the server is down or restarting, the pool is exhausted or
    /// closed), or it cannot write now (a full disk, a read-only file or
    /// file system, an I/O error, a lock held past the busy timeout). The
    /// write did not happen; front ends answer "unavailable, try again".
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Database(e) => driver_unavailable(e),
            StoreError::Invalid(Invalid::CodeSpaceExhausted { .. }) => true,
            _ => false,
        }
    }
}

/// SQLite's primary result codes that say "cannot write now" rather than
/// "this statement is wrong": BUSY (5), LOCKED (6), READONLY (8), IOERR
/// (10), FULL (13), CANTOPEN (14). Extended codes carry the primary one in
/// their low byte.
fn sqlite_unavailable(extended: i32) -> bool {
    matches!(extended & 0xff, 5 | 6 | 8 | 10 | 13 | 14)
}

/// PostgreSQL's SQLSTATEs that say the server cannot serve now: class 08
/// (connection exception), class 53 (insufficient resources: disk full,
/// out of memory, too many connections), 57P01–57P03 (shut down by an
/// administrator, crash shutdown, cannot connect now: the server is
/// stopping or starting) and 25006 (a read-only transaction: a standby).
fn pg_unavailable(sqlstate: &str) -> bool {
    sqlstate.starts_with("08")
        || sqlstate.starts_with("53")
        || matches!(sqlstate, "57P01" | "57P02" | "57P03" | "25006")
}

fn driver_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                db.code()
                    .and_then(|c| c.parse::<i32>().ok())
                    .is_some_and(sqlite_unavailable)
            } else {
                db.code().is_some_and(|c| pg_unavailable(&c))
            }
        }
        sqlx::Error::AnyDriverError(inner) => match inner.downcast_ref::<rusqlite::Error>() {
            Some(rusqlite::Error::SqliteFailure(f, _)) => sqlite_unavailable(f.extended_code),
            _ => false,
        },
        _ => false,
    }
}

impl Localized for StoreError {
    fn code(&self) -> &'static str {
        match self {
            StoreError::NotFound { .. } => "store.not_found",
            StoreError::Conflict(c) => match c {
                Conflict::StaleVersion { .. } => "store.stale_version",
                Conflict::Duplicate { .. } => "store.duplicate",
                Conflict::IdempotencyKeyReused { .. } => "store.idempotency_key_reused",
                Conflict::AlreadyHasId => "store.already_has_id",
                Conflict::SlotFull { .. } => "store.slot_full",
                Conflict::BookingClosed { .. } => "store.booking_closed",
                Conflict::HolderLimit { by, .. } => {
                    if *by == "phone" {
                        "store.holder_limit.phone"
                    } else {
                        "store.holder_limit.personal_id"
                    }
                }
                Conflict::NotWithHuman { .. } => "store.conversation_not_with_officer",
            },
            StoreError::Invalid(i) => match i {
                Invalid::Reference { .. } => "store.bad_reference",
                Invalid::Constraint { .. } => "store.constraint",
                Invalid::Field { .. } => "store.invalid_field",
                Invalid::Transition { code, .. } => code,
                Invalid::Allocation(a) => a.code(),
                Invalid::CodeSpaceExhausted { .. } => "store.code_space_exhausted",
                Invalid::Url { .. } => "store.bad_url",
            },
            StoreError::Corrupt { .. } => "store.corrupt",
            StoreError::Migrate(_) => "store.migration",
            StoreError::Database(_) => "store.database",
        }
    }

    fn message_vi(&self) -> String {
        match self {
            StoreError::NotFound { what, key } => {
                format!("Không tìm thấy {} với khóa {key}", what.label_vi())
            }
            StoreError::Conflict(c) => match c {
                Conflict::StaleVersion {
                    code,
                    expected,
                    actual,
                } => format!(
                    "Hồ sơ {code} đã bị thay đổi: phiên bản mong đợi {expected}, phiên bản hiện tại {actual}; hãy tải lại và thử lại"
                ),
                Conflict::Duplicate { detail } => {
                    format!("Dữ liệu bị trùng (đã tồn tại): {detail}")
                }
                Conflict::IdempotencyKeyReused { key } => format!(
                    "Khóa chống lặp (Idempotency-Key) {key:?} đã được dùng cho một yêu cầu khác"
                ),
                Conflict::AlreadyHasId => "Công dân đã có số định danh cá nhân".to_owned(),
                Conflict::SlotFull { office, day, start } => format!(
                    "Khung giờ {start} ngày {day} tại đơn vị {office} đã hết chỗ; hãy chọn khung giờ khác"
                ),
                Conflict::BookingClosed { state } => format!(
                    "Lịch hẹn đã {} nên không thể thay đổi",
                    if *state == "cancelled" {
                        "bị hủy"
                    } else {
                        "được tiếp nhận"
                    }
                ),
                Conflict::HolderLimit { by, limit } => {
                    if *by == "phone" {
                        format!(
                            "Số điện thoại này đã có {limit} lịch hẹn chưa đến ngày, là số tối đa; hãy đổi hoặc hủy một lịch hẹn trước khi đặt thêm"
                        )
                    } else {
                        format!(
                            "Số định danh này đã có lịch hẹn chưa đến ngày (tối đa {limit}); hãy đổi lịch hẹn đó thay vì đặt thêm. Nếu bạn không đặt lịch hẹn đó, hãy để trống ô số định danh và báo cơ quan tiếp nhận khi đến"
                        )
                    }
                }
                Conflict::NotWithHuman { conversation } => format!(
                    "Cuộc trò chuyện {conversation} không ở chế độ gặp cán bộ (trả lời tự động đang xử lý hoặc đã đóng); không gửi được trả lời của cán bộ"
                ),
            },
            StoreError::Invalid(i) => match i {
                Invalid::Reference { detail } => {
                    format!("Tham chiếu tới bản ghi không tồn tại: {detail}")
                }
                Invalid::Constraint { detail } => {
                    format!("Giá trị bị ràng buộc dữ liệu từ chối: {detail}")
                }
                Invalid::Field { field, reason } => {
                    format!("Trường {field} không hợp lệ: {reason}")
                }
                Invalid::Transition { message_vi, .. } => message_vi.clone(),
                Invalid::Allocation(a) => a.message_vi(),
                Invalid::CodeSpaceExhausted { attempts } => {
                    format!("Không tìm được mã hồ sơ còn trống sau {attempts} lần thử; hãy thử lại")
                }
                Invalid::Url { url } => format!(
                    "Địa chỉ cơ sở dữ liệu không hợp lệ {url:?}: cần sqlite://đường-dẫn, sqlite::memory: hoặc postgres://…"
                ),
            },
            StoreError::Corrupt { column, value } => format!(
                "Giá trị đã lưu ở cột {column} ({value:?}) không đọc được bằng phiên bản này"
            ),
            StoreError::Migrate(e) => format!("Cập nhật lược đồ cơ sở dữ liệu thất bại: {e}"),
            StoreError::Database(e) => format!("Lỗi cơ sở dữ liệu: {e}"),
        }
    }

    fn message_en(&self) -> String {
        match self {
            StoreError::NotFound { what, key } => {
                format!("No {} found with key {key}", what.label_en())
            }
            StoreError::Conflict(c) => match c {
                Conflict::StaleVersion {
                    code,
                    expected,
                    actual,
                } => format!(
                    "Dossier {code} has changed: expected version {expected}, current version {actual}; reload and retry"
                ),
                Conflict::Duplicate { detail } => format!("Duplicate (already exists): {detail}"),
                Conflict::IdempotencyKeyReused { key } => {
                    format!("Idempotency key {key:?} was already used for a different request")
                }
                Conflict::AlreadyHasId => {
                    "The citizen already has a personal identification number".to_owned()
                }
                Conflict::SlotFull { office, day, start } => format!(
                    "The {start} slot on {day} at office {office} is full; choose another slot"
                ),
                Conflict::BookingClosed { state } => format!(
                    "The appointment is {} and can no longer be changed",
                    if *state == "cancelled" {
                        "cancelled"
                    } else {
                        "already received"
                    }
                ),
                Conflict::HolderLimit { by, limit } => {
                    if *by == "phone" {
                        format!(
                            "This phone number already holds {limit} upcoming appointments, the most allowed; move or cancel one before booking another"
                        )
                    } else {
                        format!(
                            "This personal ID number already has an upcoming appointment (at most {limit}); move that appointment instead of booking another. If you did not make it, leave the ID number blank and tell the receiving office when you come"
                        )
                    }
                }
                Conflict::NotWithHuman { conversation } => format!(
                    "Conversation {conversation} is not with an officer (the bot answers it, or it was closed); an officer's reply cannot be sent"
                ),
            },
            StoreError::Invalid(i) => match i {
                Invalid::Reference { detail } => {
                    format!("Reference to a record that does not exist: {detail}")
                }
                Invalid::Constraint { detail } => {
                    format!("A data constraint refused the value: {detail}")
                }
                Invalid::Field { field, reason } => format!("Invalid field {field}: {reason}"),
                Invalid::Transition { message_en, .. } => message_en.clone(),
                Invalid::Allocation(a) => a.message_en(),
                Invalid::CodeSpaceExhausted { attempts } => {
                    format!("No free dossier code found after {attempts} attempts; try again")
                }
                Invalid::Url { url } => format!(
                    "Invalid database URL {url:?}: expected sqlite://path, sqlite::memory: or postgres://…"
                ),
            },
            StoreError::Corrupt { column, value } => {
                format!("The stored value in {column} ({value:?}) cannot be read by this version")
            }
            StoreError::Migrate(e) => format!("Applying database migrations failed: {e}"),
            StoreError::Database(e) => format!("Database error: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn driver_row_not_found_is_never_not_found() {
        // Only a method that expected one row may say "not found"; a bare
        // driver RowNotFound is a database error.
        let e = StoreError::from(sqlx::Error::RowNotFound);
        assert!(matches!(e, StoreError::Database(_)), "{e:?}");
        assert_eq!(e.code(), "store.database");
        let e = StoreError::from(sqlx::Error::PoolTimedOut);
        assert!(matches!(e, StoreError::Database(_)));
    }

    #[test]
    fn every_variant_has_a_code_and_two_messages() {
        let cases = [
            StoreError::not_found(Entity::Dossier, "0790"),
            StoreError::Conflict(Conflict::StaleVersion {
                code: "0790".into(),
                expected: 1,
                actual: 2,
            }),
            StoreError::Conflict(Conflict::Duplicate {
                detail: "citizens.personal_id".into(),
            }),
            StoreError::Conflict(Conflict::IdempotencyKeyReused { key: "k".into() }),
            StoreError::Conflict(Conflict::AlreadyHasId),
            StoreError::Conflict(Conflict::SlotFull {
                office: 790,
                day: "2026-11-23".into(),
                start: "08:00".into(),
            }),
            StoreError::Conflict(Conflict::BookingClosed { state: "cancelled" }),
            StoreError::Conflict(Conflict::HolderLimit {
                by: "phone",
                limit: 3,
            }),
            StoreError::Conflict(Conflict::NotWithHuman { conversation: 7 }),
            StoreError::Invalid(Invalid::Reference {
                detail: "fk".into(),
            }),
            StoreError::Invalid(Invalid::Constraint {
                detail: "ck".into(),
            }),
            StoreError::field("name", "must not be blank"),
            StoreError::Invalid(Invalid::CodeSpaceExhausted { attempts: 16 }),
            StoreError::Invalid(Invalid::Url { url: "x".into() }),
            StoreError::corrupt("dossiers.state", "flying"),
        ];
        let mut codes = std::collections::HashSet::new();
        for e in &cases {
            assert!(e.code().starts_with("store."), "{}", e.code());
            assert!(codes.insert(e.code()), "duplicate code {}", e.code());
            assert_ne!(e.message_vi(), e.message_en());
            assert_eq!(e.to_string(), e.message_en());
        }
        let stale = &cases[1];
        assert!(
            stale
                .message_en()
                .contains("expected version 1, current version 2")
        );
        assert!(stale.message_vi().contains("phiên bản mong đợi 1"));
    }
}
