//! The integrity check of a database (kiểm tra toàn vẹn dữ liệu):
//! [`Store::check`], behind `cancuoc check` and run by `cancuoc restore` on
//! the copy it made.
//!
//! What it checks, each an item of the [`CheckReport`]:
//!
//! * [`CheckKind::SqliteIntegrity`], [`CheckKind::ForeignKeys`]: on an
//!   SQLite file, `PRAGMA integrity_check` (or `quick_check`) and
//!   `PRAGMA foreign_key_check` of the main file and of its accounts file;
//!   on PostgreSQL, which enforces its foreign keys, that none of them was
//!   left unvalidated (`NOT VALID`, or a restore that skipped them).
//! * [`CheckKind::DossierLogs`]: every dossier's stored state is the state
//!   its event log replays to, with the core's own
//!   [`cancuoc_core::dossier::workflow::replay`] (so the rule is not copied
//!   here); its events are numbered 1, 2, 3 … and its `version` is their
//!   number; a capture event leaves the state as it was; `is_open` agrees
//!   with the state.
//! * [`CheckKind::ConfirmationLogs`]: the same for the confirmations of an
//!   old CMND number: events 1…n, `version` = n, the state is the last
//!   event's.
//! * [`CheckKind::IdCounters`]: every personal ID counter is within
//!   0…1 000 000 and, given the allocator's key, the next number it would
//!   hand out is not held by anyone. The numbers this store allocated sit
//!   at indexes below their counter, so a counter moved back (a partial
//!   restore, a hand edit) makes the next allocation meet a number already
//!   issued: the allocator then skips it, and fails after a run of them. A
//!   number imported as given sits at a random index of the permutation and
//!   meets the counter only by coincidence (its share of the prefix's
//!   million numbers), which the example line says.
//! * [`CheckKind::RowSequences`] (PostgreSQL): every sequence that numbers
//!   a table's rows (identity columns, and those of the partitioned tables
//!   of migration 0021) is at or past the largest id, or the next insert
//!   fails as a duplicate. A restore from `pg_dump` sets them; a copy of
//!   the rows by other means may not. (SQLite numbers rows from the largest
//!   rowid; it has no sequence to fall behind.)
//! * [`CheckKind::AccountReferences`]: the rows of the accounts and the
//!   channels' conversations name citizens and offices that exist. No
//!   foreign key can say it: on an SQLite file they live in the accounts
//!   file (`<stem>.accounts.db`), and on PostgreSQL the same tables have no
//!   foreign key to `citizens` either (migration 0015).
//! * [`CheckKind::BookingSeats`]: every appointment's slot exists and every
//!   slot's `booked` counts the appointments holding one of its seats
//!   (booked or received; a cancellation frees its seat) — the counter the
//!   conditional update takes seats from.
//! * [`CheckKind::Orphans`]: the references no foreign key declares: a card
//!   replaced by a card that exists (`cards.replaced_by` has no REFERENCES
//!   on SQLite, migration 0018), and every dossier's and confirmation's code
//!   in the `public_codes` registry its trigger fills (a bulk copy that
//!   bypassed the trigger would let a code be drawn twice).
//!
//! Large tables are read in batches of [`CheckOptions::batch`] rows by key,
//! each batch in a read transaction of its own (REPEATABLE READ on
//! PostgreSQL, so a dossier and its events are read from one snapshot even
//! while the server writes), never the whole table at once: the memory
//! used is one batch, whatever the size of the database, and progress is
//! reported after each batch. At most [`CheckOptions::examples`] failures
//! are kept per item, named by dossier code, table and row id, or a masked
//! personal ID: never a full ID number.

use std::collections::{BTreeSet, HashSet};

use cancuoc_core::dossier::workflow::{State, replay};
use cancuoc_core::i18n::{Lang, Localized};
use cancuoc_core::id::PersonalId;
use cancuoc_core::id::alloc::{Allocator, IdPrefix, SERIALS_PER_PREFIX};
use serde::Serialize;

use crate::Store;
use crate::db::{Backend, Db, placeholders, with_pool};
use crate::error::StoreError;
use crate::model::dossier::{EventKind, EventRecord};
use crate::rows::{EventRow, code_of, state_of};

/// One item of the integrity check (mục kiểm tra).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// SQLite's own check of the files' structure.
    SqliteIntegrity,
    /// Declared foreign keys hold.
    ForeignKeys,
    /// Dossiers' stored states replay from their event logs.
    DossierLogs,
    /// Confirmations' stored states agree with their event logs.
    ConfirmationLogs,
    /// Personal ID counters are ahead of the numbers they gave.
    IdCounters,
    /// Row id sequences are ahead of the rows (PostgreSQL).
    RowSequences,
    /// Accounts and conversations name citizens and offices that exist.
    AccountReferences,
    /// Appointment slots count the appointments holding their seats.
    BookingSeats,
    /// References no foreign key declares.
    Orphans,
}

impl CheckKind {
    /// The stable code, as in `--json`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::SqliteIntegrity => "sqlite_integrity",
            Self::ForeignKeys => "foreign_keys",
            Self::DossierLogs => "dossier_logs",
            Self::ConfirmationLogs => "confirmation_logs",
            Self::IdCounters => "id_counters",
            Self::RowSequences => "row_sequences",
            Self::AccountReferences => "account_references",
            Self::BookingSeats => "booking_seats",
            Self::Orphans => "orphans",
        }
    }

    /// What the item checks, in the reader's language.
    pub const fn title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::SqliteIntegrity, Lang::Vi) => "cấu trúc tệp SQLite (integrity_check)",
            (Self::SqliteIntegrity, Lang::En) => "SQLite file structure (integrity_check)",
            (Self::ForeignKeys, Lang::Vi) => "khóa ngoại",
            (Self::ForeignKeys, Lang::En) => "foreign keys",
            (Self::DossierLogs, Lang::Vi) => "trạng thái hồ sơ khớp nhật ký sự kiện",
            (Self::DossierLogs, Lang::En) => "dossier states replay from their event logs",
            (Self::ConfirmationLogs, Lang::Vi) => "trạng thái yêu cầu xác nhận CMND khớp nhật ký",
            (Self::ConfirmationLogs, Lang::En) => "CMND confirmations agree with their event logs",
            (Self::IdCounters, Lang::Vi) => "bộ đếm số định danh đi trước các số đã cấp",
            (Self::IdCounters, Lang::En) => "personal ID counters ahead of the numbers issued",
            (Self::RowSequences, Lang::Vi) => "dãy số khóa chính đi trước các dòng",
            (Self::RowSequences, Lang::En) => "row id sequences ahead of the rows",
            (Self::AccountReferences, Lang::Vi) => {
                "tài khoản và hội thoại trỏ tới công dân, đơn vị có thật"
            }
            (Self::AccountReferences, Lang::En) => {
                "accounts and conversations name existing citizens and offices"
            }
            (Self::BookingSeats, Lang::Vi) => "chỗ của khung giờ khớp số lịch hẹn",
            (Self::BookingSeats, Lang::En) => "slot seats match the appointments holding them",
            (Self::Orphans, Lang::Vi) => "không có dòng mồ côi",
            (Self::Orphans, Lang::En) => "no orphan rows",
        }
    }
}

/// One failure found, with what it is about (a dossier code, a table and
/// row id, a masked number) and what is wrong in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What it is about; never a full personal ID.
    pub subject: String,
    /// What is wrong, in Vietnamese.
    pub vi: String,
    /// What is wrong, in English.
    pub en: String,
}

impl Finding {
    fn new(subject: impl Into<String>, vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            subject: subject.into(),
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// What is wrong in the reader's language.
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

/// The outcome of one item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckItem {
    /// Which item.
    pub kind: CheckKind,
    /// How many things were looked at (rows, dossiers, counters, files).
    pub checked: u64,
    /// How many of them failed.
    pub failed: u64,
    /// The first failures (at most [`CheckOptions::examples`]).
    pub examples: Vec<Finding>,
    /// Why part of the item was not checked (e.g. no allocator key);
    /// `None` when all of it was.
    pub note: Option<Note>,
}

/// A remark on an item, in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    /// In Vietnamese.
    pub vi: String,
    /// In English.
    pub en: String,
}

impl Note {
    /// The remark in the reader's language.
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

impl CheckItem {
    fn new(kind: CheckKind) -> Self {
        Self {
            kind,
            checked: 0,
            failed: 0,
            examples: Vec::new(),
            note: None,
        }
    }

    /// Whether nothing failed.
    pub fn ok(&self) -> bool {
        self.failed == 0
    }

    fn fail(&mut self, keep: usize, f: impl FnOnce() -> Finding) {
        self.failed += 1;
        if self.examples.len() < keep {
            self.examples.push(f());
        }
    }
}

/// The outcome of [`Store::check`]: one item per check that applies to the
/// backend, in a fixed order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// The items.
    pub items: Vec<CheckItem>,
}

impl CheckReport {
    /// Whether every item passed.
    pub fn ok(&self) -> bool {
        self.items.iter().all(CheckItem::ok)
    }

    /// The item of `kind`, if it applies to this backend.
    pub fn item(&self, kind: CheckKind) -> Option<&CheckItem> {
        self.items.iter().find(|i| i.kind == kind)
    }
}

/// How [`Store::check`] runs.
#[derive(Clone, Copy, Debug)]
pub struct CheckOptions<'a> {
    /// Rows read per batch (clamped to 10…50 000).
    pub batch: u32,
    /// Failures kept as examples per item.
    pub examples: usize,
    /// The personal ID allocator (its key), to check that each counter's
    /// next number is free; without it that part is skipped and said so.
    pub allocator: Option<&'a Allocator>,
    /// SQLite's `quick_check` in place of `integrity_check` (it skips the
    /// check of index contents against their tables: minutes instead of
    /// hours on a very large file).
    pub quick: bool,
}

impl Default for CheckOptions<'_> {
    fn default() -> Self {
        Self {
            batch: 1000,
            examples: 10,
            allocator: None,
            quick: false,
        }
    }
}

/// Where a long check is, for a progress bar: the item running and how far
/// through its table it is (`done` of `total`, in the item's own unit —
/// ids of the table read by key, so `done` grows to `total`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckProgress {
    /// The item running.
    pub kind: CheckKind,
    /// How far.
    pub done: u64,
    /// Of how much (0 when unknown).
    pub total: u64,
}

impl CheckProgress {
    /// An item read in id order, done up to row id `after` of `total`
    /// (the largest id).
    fn up_to(kind: CheckKind, after: i64, total: u64) -> Self {
        Self {
            kind,
            done: u64::try_from(after).unwrap_or(0),
            total,
        }
    }
}

/// The rows of `rows` (in owner id order, as the owners are) that belong
/// to owner `id`, taken off its front; rows of owners with no row in the
/// batch (none should exist) are skipped.
fn owned_by<T, I: Iterator<Item = T>>(
    rows: &mut std::iter::Peekable<I>,
    id: i64,
    owner: impl Fn(&T) -> i64,
) -> Vec<T> {
    let mut mine = Vec::new();
    while let Some(r) = rows.next_if(|r| owner(r) <= id) {
        if owner(&r) == id {
            mine.push(r);
        }
    }
    mine
}

/// How a batch's read transaction starts: SQLite's deferred BEGIN takes one
/// snapshot at the first read; PostgreSQL's default READ COMMITTED would
/// take one per statement, so a dossier and its events read by two
/// statements could come from two moments.
const fn begin_read(sqlite: bool) -> &'static str {
    if sqlite {
        "BEGIN"
    } else {
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
    }
}

/// A stored event with the id of its dossier.
#[derive(sqlx::FromRow)]
struct OwnedEventRow {
    dossier_id: i64,
    #[sqlx(flatten)]
    event: EventRow,
}

/// One page of an orphan rule: its last id (none past the end), how many
/// rows it held, and its bad rows (id, the value they point with).
type OrphanPage = (Option<i64>, i64, Vec<(i64, Option<i64>)>);

/// Nonnegative count as u64.
fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

impl Store {
    /// Checks the integrity of the database (see the module documentation
    /// for the items) and returns the report; `progress` is called after
    /// every batch. An error is a failure to read, not a failed check.
    pub async fn check(
        &self,
        opts: &CheckOptions<'_>,
        progress: &(dyn Fn(CheckProgress) + Send + Sync),
    ) -> Result<CheckReport, StoreError> {
        let opts = CheckOptions {
            batch: opts.batch.clamp(10, 50_000),
            ..*opts
        };
        let mut items = Vec::new();
        match self.backend() {
            Backend::Sqlite => {
                items.push(self.check_sqlite_integrity(&opts).await?);
                items.push(self.check_sqlite_foreign_keys(&opts).await?);
            }
            Backend::Postgres => items.push(self.check_pg_foreign_keys(&opts).await?),
        }
        items.push(self.check_dossier_logs(&opts, progress).await?);
        items.push(self.check_confirmation_logs(&opts, progress).await?);
        items.push(self.check_id_counters(&opts, progress).await?);
        if self.backend() == Backend::Postgres {
            items.push(self.check_row_sequences(&opts).await?);
        }
        items.push(self.check_account_references(&opts, progress).await?);
        items.push(self.check_booking_seats(&opts, progress).await?);
        items.push(self.check_orphans(&opts, progress).await?);
        Ok(CheckReport {
            backend: match self.backend() {
                Backend::Sqlite => "sqlite",
                Backend::Postgres => "postgres",
            },
            items,
        })
    }

    /// The SQLite databases of this store with their names: the main file,
    /// and an SQLite file store's accounts file.
    fn sqlite_files(&self) -> Vec<(&'static str, &Db)> {
        let mut v = vec![("main", &self.db)];
        if let Some(a) = &self.accounts {
            v.push(("accounts", a));
        }
        v
    }

    async fn check_sqlite_integrity(
        &self,
        opts: &CheckOptions<'_>,
    ) -> Result<CheckItem, StoreError> {
        let mut item = CheckItem::new(CheckKind::SqliteIntegrity);
        let pragma = if opts.quick {
            "quick_check"
        } else {
            "integrity_check"
        };
        // At most this many messages; "ok" alone when all is well.
        let sql = format!("PRAGMA {pragma}({})", opts.examples.max(1));
        for (name, db) in self.sqlite_files() {
            let Db::Sqlite(pool) = db else { continue };
            let lines: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
                .fetch_all(pool)
                .await?;
            item.checked += 1;
            if lines != ["ok"] {
                for line in lines {
                    item.fail(opts.examples, || {
                        Finding::new(
                            format!("{name} file"),
                            format!("SQLite báo lỗi cấu trúc: {line}"),
                            format!("SQLite reports: {line}"),
                        )
                    });
                }
            }
        }
        Ok(item)
    }

    async fn check_sqlite_foreign_keys(
        &self,
        opts: &CheckOptions<'_>,
    ) -> Result<CheckItem, StoreError> {
        let mut item = CheckItem::new(CheckKind::ForeignKeys);
        for (name, db) in self.sqlite_files() {
            let Db::Sqlite(pool) = db else { continue };
            item.checked += 1;
            // The first few to show, then how many in all (a broken file
            // may have millions of them: never all in memory).
            let shown: Vec<(String, Option<i64>, String)> = sqlx::query_as(
                "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check LIMIT $1",
            )
            .bind(i64::try_from(opts.examples).unwrap_or(i64::MAX))
            .fetch_all(pool)
            .await?;
            if shown.is_empty() {
                continue;
            }
            let all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pragma_foreign_key_check")
                .fetch_one(pool)
                .await?;
            let before = item.failed;
            for (table, rowid, parent) in shown {
                let row = rowid.map_or_else(|| "?".to_owned(), |r| r.to_string());
                item.fail(opts.examples, || {
                    Finding::new(
                        format!("{name} file, {table} row {row}"),
                        format!("trỏ tới một dòng không có trong {parent}"),
                        format!("refers to a row missing from {parent}"),
                    )
                });
            }
            // The rest are counted, not shown.
            item.failed = before + u64::try_from(all).unwrap_or(0);
        }
        Ok(item)
    }

    async fn check_pg_foreign_keys(
        &self,
        opts: &CheckOptions<'_>,
    ) -> Result<CheckItem, StoreError> {
        let mut item = CheckItem::new(CheckKind::ForeignKeys);
        let Db::Postgres(pool) = &self.db else {
            return Ok(item);
        };
        // Partitions carry clones of their parent's keys: count the
        // parent's (conparentid = 0) only.
        let rows: Vec<(String, String, bool)> = sqlx::query_as(
            "SELECT conrelid::regclass::text, conname, convalidated FROM pg_constraint \
             WHERE contype = 'f' AND conparentid = 0 \
             AND connamespace = current_schema()::regnamespace ORDER BY 1, 2",
        )
        .fetch_all(pool)
        .await?;
        for (table, name, valid) in rows {
            item.checked += 1;
            if !valid {
                item.fail(opts.examples, || {
                    Finding::new(
                        format!("{table}.{name}"),
                        "khóa ngoại chưa được kiểm tra (NOT VALID): chạy ALTER TABLE … VALIDATE CONSTRAINT",
                        "foreign key not validated (NOT VALID): run ALTER TABLE … VALIDATE CONSTRAINT",
                    )
                });
            }
        }
        Ok(item)
    }

    async fn check_dossier_logs(
        &self,
        opts: &CheckOptions<'_>,
        progress: &(dyn Fn(CheckProgress) + Send + Sync),
    ) -> Result<CheckItem, StoreError> {
        let kind = CheckKind::DossierLogs;
        let mut item = CheckItem::new(kind);
        let keep = opts.examples;
        let batch = i64::from(opts.batch);
        let mut after = 0i64;
        let total = self.max_id("dossiers").await?;
        loop {
            let (dossiers, events) = with_pool!(&self.db, |pool| {
                let mut tx = pool.begin_with(begin_read(SQLITE)).await?;
                let dossiers: Vec<(i64, i64, String, i64, bool)> =
                    sqlx::query_as::<DB, (i64, i64, String, i64, bool)>(
                        "SELECT id, code, state, version, is_open FROM dossiers \
                         WHERE id > $1 ORDER BY id LIMIT $2",
                    )
                    .bind(after)
                    .bind(batch)
                    .fetch_all(&mut *tx)
                    .await?;
                let events = match (dossiers.first(), dossiers.last()) {
                    (Some(lo), Some(hi)) => {
                        sqlx::query_as::<DB, OwnedEventRow>(
                            "SELECT dossier_id, seq, at, actor_id, actor_role, from_state, \
                             to_state, note, kind FROM dossier_events \
                             WHERE dossier_id >= $1 AND dossier_id <= $2 ORDER BY dossier_id, seq",
                        )
                        .bind(lo.0)
                        .bind(hi.0)
                        .fetch_all(&mut *tx)
                        .await?
                    }
                    _ => Vec::new(),
                };
                tx.commit().await?;
                (dossiers, events)
            });
            let Some(last) = dossiers.last() else { break };
            after = last.0;
            let mut events = events.into_iter().peekable();
            for (id, code, state, version, is_open) in dossiers {
                // Both lists are in dossier id order: take this one's.
                let log = owned_by(&mut events, id, |e| e.dossier_id)
                    .into_iter()
                    .map(|e| e.event)
                    .collect();
                item.checked += 1;
                let subject = code_of(code)
                    .map_or_else(|_| format!("dossier id {id}"), |c| format!("dossier {c}"));
                if let Err(f) = dossier_problem(&state, version, is_open, log) {
                    item.fail(keep, || Finding::new(subject, f.0, f.1));
                }
            }
            progress(CheckProgress::up_to(kind, after, total));
        }
        Ok(item)
    }

    async fn check_confirmation_logs(
        &self,
        opts: &CheckOptions<'_>,
        progress: &(dyn Fn(CheckProgress) + Send + Sync),
    ) -> Result<CheckItem, StoreError> {
        let kind = CheckKind::ConfirmationLogs;
        let mut item = CheckItem::new(kind);
        let batch = i64::from(opts.batch);
        let mut after = 0i64;
        let total = self.max_id("cmnd_confirmations").await?;
        loop {
            let (heads, events) = with_pool!(&self.db, |pool| {
                let mut tx = pool.begin_with(begin_read(SQLITE)).await?;
                let heads: Vec<(i64, i64, String, i64)> =
                    sqlx::query_as::<DB, (i64, i64, String, i64)>(
                        "SELECT id, code, state, version FROM cmnd_confirmations \
                         WHERE id > $1 ORDER BY id LIMIT $2",
                    )
                    .bind(after)
                    .bind(batch)
                    .fetch_all(&mut *tx)
                    .await?;
                let events: Vec<(i64, i64, String)> =
                    match (heads.first(), heads.last()) {
                        (Some(lo), Some(hi)) => sqlx::query_as::<DB, (i64, i64, String)>(
                            "SELECT confirmation_id, seq, to_state FROM cmnd_confirmation_events \
                             WHERE confirmation_id >= $1 AND confirmation_id <= $2 \
                             ORDER BY confirmation_id, seq",
                        )
                        .bind(lo.0)
                        .bind(hi.0)
                        .fetch_all(&mut *tx)
                        .await?,
                        _ => Vec::new(),
                    };
                tx.commit().await?;
                (heads, events)
            });
            let Some(last) = heads.last() else { break };
            after = last.0;
            let mut events = events.into_iter().peekable();
            for (id, code, state, version) in heads {
                let log: Vec<(i64, String)> = owned_by(&mut events, id, |e| e.0)
                    .into_iter()
                    .map(|(_, seq, to)| (seq, to))
                    .collect();
                item.checked += 1;
                let numbered = log
                    .iter()
                    .enumerate()
                    .all(|(i, (seq, _))| *seq == count(i) as i64 + 1);
                let problem = if log.is_empty() {
                    Some(("không có sự kiện nào".to_owned(), "has no event".to_owned()))
                } else if !numbered {
                    Some((
                        "sự kiện không được đánh số liên tục 1, 2, 3 …".to_owned(),
                        "events are not numbered 1, 2, 3 … without a gap or repeat".to_owned(),
                    ))
                } else if version != log.len() as i64 {
                    Some((
                        format!("phiên bản {version} nhưng có {} sự kiện", log.len()),
                        format!("version {version} but {} events", log.len()),
                    ))
                } else if log.first().is_some_and(|(_, to)| to != "requested") {
                    Some((
                        "sự kiện đầu tiên không phải 'requested'".to_owned(),
                        "the first event is not 'requested'".to_owned(),
                    ))
                } else if log.last().is_some_and(|(_, to)| *to != state) {
                    let to = log.last().map_or("", |(_, t)| t.as_str());
                    Some((
                        format!("trạng thái lưu '{state}' nhưng sự kiện cuối là '{to}'"),
                        format!("stored state '{state}' but the last event is '{to}'"),
                    ))
                } else {
                    None
                };
                if let Some((vi, en)) = problem {
                    let subject = code_of(code).map_or_else(
                        |_| format!("confirmation id {id}"),
                        |c| format!("confirmation {c}"),
                    );
                    item.fail(opts.examples, || Finding::new(subject, vi, en));
                }
            }
            progress(CheckProgress::up_to(kind, after, total));
        }
        Ok(item)
    }

    async fn check_id_counters(
        &self,
        opts: &CheckOptions<'_>,
        progress: &(dyn Fn(CheckProgress) + Send + Sync),
    ) -> Result<CheckItem, StoreError> {
        let kind = CheckKind::IdCounters;
        let mut item = CheckItem::new(kind);
        if opts.allocator.is_none() {
            item.note = Some(Note {
                vi: "không có khóa của bộ cấp số định danh: chỉ kiểm tra giới hạn của bộ \
                     đếm, không kiểm tra số tiếp theo còn trống"
                    .to_owned(),
                en: "without the ID allocator's key only the counters' range is checked, \
                     not that their next numbers are free"
                    .to_owned(),
            });
        }
        let batch = i64::from(opts.batch);
        let mut after = String::new();
        loop {
            let rows: Vec<(String, i64)> = with_pool!(&self.db, |pool| {
                sqlx::query_as::<DB, (String, i64)>(
                    "SELECT prefix, next_index FROM id_counters WHERE prefix > $1 \
                     ORDER BY prefix LIMIT $2",
                )
                .bind(&after)
                .bind(batch)
                .fetch_all(pool)
                .await?
            });
            let Some(last) = rows.last() else { break };
            after = last.0.clone();
            // The next number of every counter in range, to look up at once.
            let mut next: Vec<(String, PersonalId)> = Vec::new();
            for (prefix, index) in &rows {
                item.checked += 1;
                let parsed = PersonalId::parse(&format!("{prefix}000000"))
                    .ok()
                    .and_then(|id| IdPrefix::of(&id).ok())
                    .filter(|p| p.as_str() == prefix);
                let Some(parsed) = parsed else {
                    item.fail(opts.examples, || {
                        Finding::new(
                            format!("id_counters {prefix:?}"),
                            "không phải tiền tố số định danh hợp lệ (PPP G YY)",
                            "not a valid personal ID prefix (PPP G YY)",
                        )
                    });
                    continue;
                };
                if !(0..=i64::from(SERIALS_PER_PREFIX)).contains(index) {
                    item.fail(opts.examples, || {
                        Finding::new(
                            format!("id_counters {prefix}"),
                            format!("bộ đếm {index} nằm ngoài 0…1 000 000"),
                            format!("counter {index} is outside 0…1,000,000"),
                        )
                    });
                    continue;
                }
                if let Some(alloc) = opts.allocator
                    && let Ok(i) = u32::try_from(*index)
                    && let Ok(id) = alloc.allocate(parsed, i)
                {
                    next.push((prefix.clone(), id));
                }
            }
            if !next.is_empty() {
                let held = self
                    .held_numbers(next.iter().map(|(_, id)| id.as_str()))
                    .await?;
                for (prefix, id) in &next {
                    if held.contains(id.as_str()) {
                        let masked = cancuoc_core::id::mask(id);
                        item.fail(opts.examples, || {
                            Finding::new(
                                format!("id_counters {prefix}"),
                                format!(
                                    "số tiếp theo của bộ đếm ({masked}) đã cấp cho một công dân: \
                                     bộ đếm bị lùi (hoặc số này được nhập từ nguồn khác)"
                                ),
                                format!(
                                    "the counter's next number ({masked}) is already held by a \
                                     citizen: the counter went back (or the number was imported)"
                                ),
                            )
                        });
                    }
                }
            }
            progress(CheckProgress {
                kind,
                done: item.checked,
                total: 0,
            });
        }
        Ok(item)
    }

    /// Which of `numbers` a citizen holds.
    async fn held_numbers<'a>(
        &self,
        numbers: impl Iterator<Item = &'a str>,
    ) -> Result<HashSet<String>, StoreError> {
        let numbers: Vec<&str> = numbers.collect();
        let mut held = HashSet::new();
        // Well under SQLite's 32,766 parameters per statement.
        for chunk in numbers.chunks(5_000) {
            let found: Vec<String> = with_pool!(&self.db, |pool| {
                let mut sql =
                    String::from("SELECT personal_id FROM citizens WHERE personal_id IN (");
                placeholders(&mut sql, chunk.len(), 1, SQLITE);
                sql.push(')');
                let mut q = sqlx::query_scalar::<DB, String>(sqlx::AssertSqlSafe(sql));
                for n in chunk {
                    q = q.bind(*n);
                }
                q.fetch_all(pool).await?
            });
            held.extend(found);
        }
        Ok(held)
    }

    async fn check_row_sequences(&self, opts: &CheckOptions<'_>) -> Result<CheckItem, StoreError> {
        let mut item = CheckItem::new(CheckKind::RowSequences);
        let Db::Postgres(pool) = &self.db else {
            return Ok(item);
        };
        // Every sequence a column owns: identities ('i') and OWNED BY ('a').
        let owned: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT quote_ident(t.relname), quote_ident(a.attname), \
             quote_ident(s.relname) FROM pg_depend d \
             JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' \
             JOIN pg_class t ON t.oid = d.refobjid \
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid \
             WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass \
             AND d.deptype IN ('a', 'i') AND t.relnamespace = current_schema()::regnamespace \
             ORDER BY 1",
        )
        .fetch_all(pool)
        .await?;
        for (table, column, seq) in owned {
            item.checked += 1;
            // Identifiers quoted by PostgreSQL itself (quote_ident).
            let sql = format!(
                "SELECT (SELECT max({column}) FROM {table}), \
                 (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {seq})"
            );
            let (max, last): (Option<i64>, i64) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .fetch_one(pool)
                .await?;
            if let Some(max) = max
                && last < max
            {
                item.fail(opts.examples, || {
                    Finding::new(
                        format!("{table}.{column}"),
                        format!("dãy {seq} đang ở {last} nhưng đã có dòng số {max}"),
                        format!("sequence {seq} stands at {last} but row {max} exists"),
                    )
                });
            }
        }
        Ok(item)
    }

    async fn check_account_references(
        &self,
        opts: &CheckOptions<'_>,
        progress: &(dyn Fn(CheckProgress) + Send + Sync),
    ) -> Result<CheckItem, StoreError> {
        let kind = CheckKind::AccountReferences;
        let mut item = CheckItem::new(kind);
        let batch = i64::from(opts.batch);
        let total = self.max_id("citizens").await?;
        // The accounts side first, the citizens after: citizens are never
        // deleted, so one created meanwhile only adds to what is found.
        for (table, filter) in [
            ("citizen_accounts", ""),
            ("account_requests", ""),
            ("account_sessions", ""),
            ("account_challenges", " AND citizen_id IS NOT NULL"),
            ("account_events", ""),
        ] {
            let sql = format!(
                "SELECT DISTINCT citizen_id FROM {table} WHERE citizen_id > $1{filter} \
                 ORDER BY citizen_id LIMIT $2"
            );
            let mut after = 0i64;
            loop {
                let ids: Vec<i64> = with_pool!(self.accounts_db(), |pool| {
                    sqlx::query_scalar::<DB, i64>(sqlx::AssertSqlSafe(sql.clone()))
                        .bind(after)
                        .bind(batch)
                        .fetch_all(pool)
                        .await?
                });
                let Some(&last) = ids.last() else { break };
                after = last;
                let found = self.existing_ids("citizens", "id", &ids).await?;
                for id in ids {
                    item.checked += 1;
                    if !found.contains(&id) {
                        item.fail(opts.examples, || {
                            Finding::new(
                                format!("{table}, citizen id {id}"),
                                "công dân này không có trong cơ sở dữ liệu chính",
                                "no such citizen in the main database",
                            )
                        });
                    }
                }
                progress(CheckProgress::up_to(kind, after, total));
            }
        }
        // Conversations name an office (few: one per sender and channel,
        // read in batches all the same).
        let mut after = 0i64;
        loop {
            let rows: Vec<(i64, i64)> = with_pool!(self.accounts_db(), |pool| {
                sqlx::query_as::<DB, (i64, i64)>(
                    "SELECT id, office_code FROM channel_conversations \
                     WHERE id > $1 AND office_code IS NOT NULL ORDER BY id LIMIT $2",
                )
                .bind(after)
                .bind(batch)
                .fetch_all(pool)
                .await?
            });
            let Some(&(last, _)) = rows.last() else { break };
            after = last;
            let offices: Vec<i64> = rows
                .iter()
                .map(|r| r.1)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let found = self.existing_ids("offices", "code", &offices).await?;
            for (id, office) in rows {
                item.checked += 1;
                if !found.contains(&office) {
                    item.fail(opts.examples, || {
                        Finding::new(
                            format!("channel_conversations {id}"),
                            format!("đơn vị {office} không tồn tại"),
                            format!("office {office} does not exist"),
                        )
                    });
                }
            }
        }
        Ok(item)
    }

    /// Which of `ids` are in `table.column` of the main database.
    async fn existing_ids(
        &self,
        table: &'static str,
        column: &'static str,
        ids: &[i64],
    ) -> Result<HashSet<i64>, StoreError> {
        let mut found = HashSet::new();
        for chunk in ids.chunks(5_000) {
            let got: Vec<i64> = with_pool!(&self.db, |pool| {
                let mut sql = format!("SELECT {column} FROM {table} WHERE {column} IN (");
                placeholders(&mut sql, chunk.len(), 1, SQLITE);
                sql.push(')');
                let mut q = sqlx::query_scalar::<DB, i64>(sqlx::AssertSqlSafe(sql));
                for id in chunk {
                    q = q.bind(*id);
                }
                q.fetch_all(pool).await?
            });
            found.extend(got);
        }
        Ok(found)
    }

    async fn check_booking_seats(
        &self,
        opts: &CheckOptions<'_>,
        progress: &(dyn Fn(CheckProgress) + Send + Sync),
    ) -> Result<CheckItem, StoreError> {
        let kind = CheckKind::BookingSeats;
        let mut item = CheckItem::new(kind);
        let batch = i64::from(opts.batch);
        // Slots, by key, with the appointments holding their seats counted
        // in the same snapshot.
        let mut after: (i64, String, i64) = (-1, String::new(), -1);
        loop {
            let rows: Vec<(i64, String, i64, i64, i64)> = with_pool!(&self.db, |pool| {
                let mut tx = pool.begin_with(begin_read(SQLITE)).await?;
                let rows = sqlx::query_as::<DB, (i64, String, i64, i64, i64)>(
                    "SELECT s.office_code, s.day, s.start_min, s.booked, \
                     (SELECT COUNT(*) FROM bookings b WHERE b.office_code = s.office_code \
                      AND b.day = s.day AND b.start_min = s.start_min \
                      AND b.state IN ('booked', 'received')) \
                     FROM booking_slots s WHERE (s.office_code, s.day, s.start_min) > ($1, $2, $3) \
                     ORDER BY s.office_code, s.day, s.start_min LIMIT $4",
                )
                .bind(after.0)
                .bind(&after.1)
                .bind(after.2)
                .bind(batch)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                rows
            });
            let Some(last) = rows.last() else { break };
            after = (last.0, last.1.clone(), last.2);
            for (office, day, start, booked, holders) in rows {
                item.checked += 1;
                if booked != holders {
                    item.fail(opts.examples, || {
                        Finding::new(
                            format!("slot {office:04} {day} {:02}:{:02}", start / 60, start % 60),
                            format!("ghi {booked} chỗ đã đặt nhưng có {holders} lịch hẹn giữ chỗ"),
                            format!(
                                "counts {booked} seats taken but {holders} appointments hold one"
                            ),
                        )
                    });
                }
            }
            progress(CheckProgress {
                kind,
                done: item.checked,
                total: 0,
            });
        }
        // Appointments whose slot is gone (their seats are counted nowhere).
        let mut after = 0i64;
        let total = self.max_id("bookings").await?;
        loop {
            let (hi, missing): (Option<i64>, Vec<(i64, String)>) = with_pool!(&self.db, |pool| {
                let mut tx = pool.begin_with(begin_read(SQLITE)).await?;
                let hi: Option<i64> = sqlx::query_scalar::<DB, Option<i64>>(
                    "SELECT MAX(id) FROM (SELECT id FROM bookings WHERE id > $1 \
                     ORDER BY id LIMIT $2) AS page",
                )
                .bind(after)
                .bind(batch)
                .fetch_one(&mut *tx)
                .await?;
                let missing =
                    match hi {
                        None => Vec::new(),
                        Some(hi) => sqlx::query_as::<DB, (i64, String)>(
                            "SELECT b.id, b.code FROM bookings b WHERE b.id > $1 AND b.id <= $2 \
                             AND NOT EXISTS (SELECT 1 FROM booking_slots s \
                             WHERE s.office_code = b.office_code AND s.day = b.day \
                             AND s.start_min = b.start_min) ORDER BY b.id",
                        )
                        .bind(after)
                        .bind(hi)
                        .fetch_all(&mut *tx)
                        .await?,
                    };
                tx.commit().await?;
                (hi, missing)
            });
            let Some(hi) = hi else { break };
            for (id, code) in missing {
                item.fail(opts.examples, || {
                    Finding::new(
                        format!("booking {code} (id {id})"),
                        "khung giờ của lịch hẹn không tồn tại",
                        "the appointment's slot does not exist",
                    )
                });
            }
            after = hi;
            progress(CheckProgress::up_to(kind, after, total));
        }
        Ok(item)
    }

    async fn check_orphans(
        &self,
        opts: &CheckOptions<'_>,
        progress: &(dyn Fn(CheckProgress) + Send + Sync),
    ) -> Result<CheckItem, StoreError> {
        let kind = CheckKind::Orphans;
        let mut item = CheckItem::new(kind);
        // (table, the rows' problem as SQL over `t` in an id range, what
        // a finding says); each query answers (id, subject value).
        let rules: [(&str, &str, &str, &str); 3] = [
            (
                "cards",
                "SELECT t.id, t.replaced_by FROM cards t WHERE t.id > $1 AND t.id <= $2 \
                 AND t.replaced_by IS NOT NULL \
                 AND NOT EXISTS (SELECT 1 FROM cards r WHERE r.id = t.replaced_by) ORDER BY t.id",
                "thẻ thay thế (replaced_by) không tồn tại",
                "the card it was replaced by (replaced_by) does not exist",
            ),
            (
                "dossiers",
                "SELECT t.id, t.code FROM dossiers t WHERE t.id > $1 AND t.id <= $2 \
                 AND NOT EXISTS (SELECT 1 FROM public_codes p WHERE p.code = t.code) ORDER BY t.id",
                "mã hồ sơ không có trong sổ mã công khai (public_codes)",
                "the dossier's code is missing from the public code registry (public_codes)",
            ),
            (
                "cmnd_confirmations",
                "SELECT t.id, t.code FROM cmnd_confirmations t WHERE t.id > $1 AND t.id <= $2 \
                 AND NOT EXISTS (SELECT 1 FROM public_codes p WHERE p.code = t.code) ORDER BY t.id",
                "mã yêu cầu không có trong sổ mã công khai (public_codes)",
                "the request's code is missing from the public code registry (public_codes)",
            ),
        ];
        for (table, sql, vi, en) in rules {
            let page = format!(
                "SELECT MAX(id), COUNT(*) FROM (SELECT id FROM {table} WHERE id > $1 \
                 ORDER BY id LIMIT $2) AS page"
            );
            let total = self.max_id(table).await?;
            let mut after = 0i64;
            loop {
                let (hi, n, bad): OrphanPage = with_pool!(&self.db, |pool| {
                    let mut tx = pool.begin_with(begin_read(SQLITE)).await?;
                    let (hi, n): (Option<i64>, i64) =
                        sqlx::query_as::<DB, (Option<i64>, i64)>(sqlx::AssertSqlSafe(page.clone()))
                            .bind(after)
                            .bind(i64::from(opts.batch))
                            .fetch_one(&mut *tx)
                            .await?;
                    let bad = match hi {
                        None => Vec::new(),
                        Some(hi) => {
                            sqlx::query_as::<DB, (i64, Option<i64>)>(sqlx::AssertSqlSafe(sql))
                                .bind(after)
                                .bind(hi)
                                .fetch_all(&mut *tx)
                                .await?
                        }
                    };
                    tx.commit().await?;
                    (hi, n, bad)
                });
                let Some(hi) = hi else { break };
                item.checked += u64::try_from(n).unwrap_or(0);
                for (id, value) in bad {
                    let subject = match (table, value) {
                        ("cards", Some(v)) => format!("cards {id} (replaced_by {v})"),
                        (_, Some(code)) => code_of(code).map_or_else(
                            |_| format!("{table} {id}"),
                            |c| format!("{table} {id} ({c})"),
                        ),
                        (_, None) => format!("{table} {id}"),
                    };
                    item.fail(opts.examples, || Finding::new(subject, vi, en));
                }
                after = hi;
                progress(CheckProgress::up_to(kind, after, total));
            }
        }
        Ok(item)
    }

    /// The largest id of `table` in the main database (0 when empty), the
    /// total of a progress bar over it.
    async fn max_id(&self, table: &'static str) -> Result<u64, StoreError> {
        let sql = format!("SELECT MAX(id) FROM {table}");
        let max: Option<i64> = with_pool!(&self.db, |pool| {
            sqlx::query_scalar::<DB, Option<i64>>(sqlx::AssertSqlSafe(sql))
                .fetch_one(pool)
                .await?
        });
        Ok(max.and_then(|m| u64::try_from(m).ok()).unwrap_or(0))
    }
}

/// What is wrong with one dossier, in Vietnamese and English, or `Ok`.
fn dossier_problem(
    state: &str,
    version: i64,
    is_open: bool,
    log: Vec<EventRow>,
) -> Result<(), (String, String)> {
    let state = state_of("dossiers.state", state).map_err(|_| {
        (
            format!("trạng thái lưu '{state}' không đọc được"),
            format!("stored state '{state}' cannot be read"),
        )
    })?;
    let events: Vec<EventRecord> = log
        .into_iter()
        .map(EventRow::into_model)
        .collect::<Result<_, _>>()
        .map_err(|e| {
            (
                format!("một sự kiện không đọc được: {}", e.message_vi()),
                format!("an event cannot be read: {}", e.message_en()),
            )
        })?;
    if events.is_empty() {
        return Err((
            "không có sự kiện nào (thiếu sự kiện tạo hồ sơ)".to_owned(),
            "has no event (the creating event is missing)".to_owned(),
        ));
    }
    if let Some((i, e)) = events
        .iter()
        .enumerate()
        .find(|(i, e)| e.seq != count(*i) as i64 + 1)
    {
        return Err((
            format!(
                "sự kiện thứ {} mang số {} (thiếu hoặc trùng sự kiện)",
                i + 1,
                e.seq
            ),
            format!(
                "event {} is numbered {} (an event lost or repeated)",
                i + 1,
                e.seq
            ),
        ));
    }
    if version != count(events.len()) as i64 {
        return Err((
            format!("phiên bản {version} nhưng có {} sự kiện", events.len()),
            format!("version {version} but {} events", events.len()),
        ));
    }
    // A capture event records the state it happened in, unchanged.
    let mut current: Option<State> = None;
    for e in &events {
        match e.kind {
            EventKind::Transition => current = Some(e.to),
            EventKind::Capture => {
                if e.from != Some(e.to) || current != Some(e.to) {
                    return Err((
                        format!("sự kiện thu nhận {} làm đổi trạng thái", e.seq),
                        format!("capture event {} changes the state", e.seq),
                    ));
                }
            }
        }
    }
    // The workflow steps, renumbered as replay reads them (as
    // `Dossier::workflow_log` does).
    let steps: Vec<_> = events
        .iter()
        .filter(|e| e.kind == EventKind::Transition)
        .enumerate()
        .map(|(i, e)| {
            let mut core = e.to_core();
            core.seq = count(i) + 1;
            core
        })
        .collect();
    match replay(&steps) {
        Err(e) => Err((
            format!("nhật ký không phát lại được: {}", e.message_vi()),
            format!("the log does not replay: {}", e.message_en()),
        )),
        Ok(replayed) if replayed != state => Err((
            format!(
                "trạng thái lưu '{}' nhưng nhật ký phát lại ra '{}'",
                state.code(),
                replayed.code()
            ),
            format!(
                "stored state '{}' but its events replay to '{}'",
                state.code(),
                replayed.code()
            ),
        )),
        Ok(_) if is_open == state.is_terminal() => Err((
            format!(
                "cờ is_open = {is_open} trái với trạng thái '{}'",
                state.code()
            ),
            format!("is_open = {is_open} contradicts state '{}'", state.code()),
        )),
        Ok(_) => Ok(()),
    }
}
