//! Citizens: register (optionally assigning a personal ID through the
//! allocator, counter and insert in one transaction), get, search by the
//! diacritic-insensitive name key, and bulk insert for the seeder/importer.

use std::sync::OnceLock;

use cancuoc_core::id::alloc::{AllocError, Allocator, IdPrefix};
use cancuoc_core::id::{PersonalId, mask};
use cancuoc_core::person::PartialDate;
use cancuoc_core::text::search_key;

use crate::Store;
use crate::db::{placeholders, with_pool};
use crate::error::{Conflict, Entity, Invalid, StoreError};
use crate::model::citizen::{
    Citizen, CitizenId, CitizenQuery, IdAssignment, NameMatch, NewCitizen,
};
use crate::model::officer::OfficerId;
use crate::ops::{audit, cap_limit};
use crate::replica::public_read;
use crate::rows::{CitizenRow, citizen_cols, sex_code};

/// Rows per multi-row INSERT in [`Store::bulk_insert_citizens`]: 500 × 18
/// parameters stays well under SQLite's 32 766 and PostgreSQL's 65 535.
pub(crate) const BULK_BATCH: usize = 500;
/// Parameters per citizen row in the bulk INSERT.
const BULK_COLS: usize = 18;
/// How many already-taken numbers the allocator may skip before giving up
/// (numbers imported from elsewhere may sit on the allocator's path).
const MAX_ID_SKIPS: u32 = 1000;

/// A citizen row ready to bind: validated, with derived columns.
pub(crate) struct Prepared<'a> {
    pub(crate) c: &'a NewCitizen,
    /// Sorted, without repeats (the order they are read back in).
    pub(crate) old_cmnd: Vec<&'a str>,
    pub(crate) full_name: &'a str,
    pub(crate) name_key: String,
    pub(crate) dob: String,
    pub(crate) year: i64,
    pub(crate) month: Option<i64>,
    pub(crate) day: Option<i64>,
    pub(crate) provenance: String,
}

fn prepare(c: &NewCitizen) -> Result<Prepared<'_>, StoreError> {
    prepare_row(c, None)
}

/// [`prepare`], with the provenance JSON already serialized when the
/// caller has it (bulk loads: most rows share one).
pub(crate) fn prepare_row(
    c: &NewCitizen,
    provenance: Option<String>,
) -> Result<Prepared<'_>, StoreError> {
    let full_name = c.full_name.trim();
    let name_key = search_key(full_name);
    if name_key.is_empty() {
        return Err(StoreError::field("full_name", "must not be blank"));
    }
    for n in &c.old_cmnd {
        if !(n.len() == 9 || n.len() == 12) || !n.bytes().all(|b| b.is_ascii_digit()) {
            return Err(StoreError::field(
                "old_cmnd",
                format!(
                    "{:?} is not a 9- or 12-digit CMND number",
                    cancuoc_core::id::mask_any(n)
                ),
            ));
        }
    }
    let mut old_cmnd: Vec<&str> = c.old_cmnd.iter().map(String::as_str).collect();
    old_cmnd.sort_unstable();
    old_cmnd.dedup();
    let (year, month, day) = dob_parts(&c.dob);
    Ok(Prepared {
        old_cmnd,
        c,
        full_name,
        name_key,
        dob: c.dob.to_string(),
        year,
        month,
        day,
        provenance: match provenance {
            Some(json) => json,
            None => c
                .provenance
                .to_stored()
                .map_err(|e| StoreError::field("provenance", e.to_string()))?,
        },
    })
}

pub(crate) fn dob_parts(d: &PartialDate) -> (i64, Option<i64>, Option<i64>) {
    match *d {
        PartialDate::Full(date) => (
            i64::from(date.year()),
            Some(i64::from(date.month())),
            Some(i64::from(date.day())),
        ),
        PartialDate::YearMonth { year, month } => (i64::from(year), Some(i64::from(month)), None),
        PartialDate::Year(y) => (i64::from(y), None, None),
    }
}

/// The exclusive upper bound of keys starting with `prefix`: the prefix
/// with its last character incremented (keys are folded lower-case text).
pub(super) fn prefix_upper(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = char::from_u32(u32::from(last) + 1) {
            chars.push(next);
            return chars.into_iter().collect();
        }
    }
    // Only reachable for a prefix of U+10FFFF characters: no upper bound.
    char::MAX.to_string().repeat(8)
}

/// `key` with LIKE's `\`, `%` and `_` escaped.
fn like_escaped(key: &str) -> String {
    let mut s = String::with_capacity(key.len() + 2);
    for ch in key.chars() {
        if matches!(ch, '\\' | '%' | '_') {
            s.push('\\');
        }
        s.push(ch);
    }
    s
}

/// `key%` for LIKE (escaped): the key starts with `key`.
pub(super) fn like_prefix(key: &str) -> String {
    format!("{}%", like_escaped(key))
}

/// `% key%` for LIKE (escaped): a later word of the key starts with `key`
/// (search keys are words separated by single spaces).
pub(super) fn like_word(key: &str) -> String {
    format!("% {}%", like_escaped(key))
}

/// `%key%` for LIKE, with `\`, `%` and `_` escaped.
pub(super) fn like_contains(key: &str) -> String {
    let mut s = String::with_capacity(key.len() + 2);
    s.push('%');
    for ch in key.chars() {
        if matches!(ch, '\\' | '%' | '_') {
            s.push('\\');
        }
        s.push(ch);
    }
    s.push('%');
    s
}

fn alloc_err(e: AllocError) -> StoreError {
    StoreError::Invalid(Invalid::Allocation(e))
}

pub(crate) fn bulk_sql(rows: usize, sqlite: bool) -> String {
    let mut sql = String::from(
        "INSERT INTO citizens (personal_id, full_name, name_key, dob, dob_year, dob_month, \
         dob_day, sex, nationality, ethnicity, religion, place_of_origin, birth_registration, \
         permanent_residence, temporary_residence, phone, provenance, created_at) VALUES ",
    );
    placeholders(&mut sql, rows, BULK_COLS, sqlite);
    sql
}

/// Binds one citizen row's 18 values, in the column order of
/// [`bulk_sql`] and the single-row insert, to a sqlx query or query_as:
/// `$pid` the personal ID text, `$c` the [`NewCitizen`] (or anything with
/// its text columns as `String` or `&str`), `$name` the trimmed full name,
/// `$d` the derived columns (anything with `name_key`, `dob`, `year`,
/// `month`, `day`, `provenance`), `$at` the creation instant. A
/// macro because sqlx's `Query` and `QueryAs` share no `bind` trait.
macro_rules! bind_citizen {
    ($q:expr, $pid:expr, $c:expr, $name:expr, $d:expr, $at:expr) => {
        $q.bind($pid)
            .bind($name)
            .bind(&*$d.name_key)
            .bind(&*$d.dob)
            .bind($d.year)
            .bind($d.month)
            .bind($d.day)
            .bind(sex_code($c.sex))
            .bind(&*$c.nationality)
            .bind(&*$c.ethnicity)
            .bind(&*$c.religion)
            .bind(&*$c.place_of_origin)
            .bind(&*$c.birth_registration)
            .bind(&*$c.permanent_residence)
            .bind($c.temporary_residence.as_deref())
            .bind($c.phone.as_deref())
            .bind(&*$d.provenance)
            .bind($at)
    };
}
pub(crate) use bind_citizen;

/// The full-batch statement, built once per dialect so every batch reuses
/// the same prepared statement.
fn full_batch_sql(sqlite: bool) -> &'static str {
    static SQL: [OnceLock<String>; 2] = [OnceLock::new(), OnceLock::new()];
    SQL[usize::from(sqlite)].get_or_init(|| bulk_sql(BULK_BATCH, sqlite))
}

/// Takes the next index of `prefix`'s counter and returns the number it
/// gives, skipping numbers already held; expands to statements on `$tx`.
macro_rules! allocate_in_tx {
    ($tx:ident, $allocator:expr, $prefix:expr) => {{
        let mut skips = 0u32;
        loop {
            let index: i64 = sqlx::query_scalar::<DB, i64>(
                "INSERT INTO id_counters (prefix, next_index) VALUES ($1, 1) \
                 ON CONFLICT (prefix) DO UPDATE SET next_index = id_counters.next_index + 1 \
                 RETURNING next_index - 1",
            )
            .bind($prefix.as_str())
            .fetch_one(&mut *$tx)
            .await?;
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            let id = $allocator.allocate($prefix, index).map_err(alloc_err)?;
            let taken: Option<i64> =
                sqlx::query_scalar::<DB, i64>("SELECT id FROM citizens WHERE personal_id = $1")
                    .bind(id.as_str())
                    .fetch_optional(&mut *$tx)
                    .await?;
            if taken.is_none() {
                break id;
            }
            skips += 1;
            if skips >= MAX_ID_SKIPS {
                return Err(StoreError::Conflict(Conflict::Duplicate {
                    detail: format!("citizens.personal_id: {MAX_ID_SKIPS} allocated numbers in a row already taken"),
                }));
            }
        }
    }};
}

fn prefix_for(c: &NewCitizen, region_code: u16) -> Result<IdPrefix, StoreError> {
    IdPrefix::new(region_code, c.sex, c.dob.year()).map_err(alloc_err)
}

impl Store {
    /// Registers a citizen (đăng ký công dân). With
    /// [`IdAssignment::Allocate`], a new personal ID is allocated from the
    /// per-prefix counter in the same transaction as the insert; the citizen
    /// must then not carry a number already. A personal ID already held is a
    /// conflict.
    pub async fn register_citizen(
        &self,
        new: &NewCitizen,
        assign: IdAssignment<'_>,
        actor: Option<OfficerId>,
        at: i64,
    ) -> Result<Citizen, StoreError> {
        let p = prepare(new)?;
        let prefix = match assign {
            IdAssignment::AsGiven => None,
            IdAssignment::Allocate {
                allocator,
                region_code,
            } => {
                if new.personal_id.is_some() {
                    return Err(StoreError::Conflict(Conflict::AlreadyHasId));
                }
                Some((allocator, prefix_for(new, region_code)?))
            }
        };
        let (id, personal_id) = with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let personal_id: Option<PersonalId> = match prefix {
                None => new.personal_id,
                Some((allocator, prefix)) => Some(allocate_in_tx!(tx, allocator, prefix)),
            };
            let q = sqlx::query_scalar::<DB, i64>(
                "INSERT INTO citizens (personal_id, full_name, name_key, dob, dob_year, dob_month, \
                 dob_day, sex, nationality, ethnicity, religion, place_of_origin, \
                 birth_registration, permanent_residence, temporary_residence, phone, provenance, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
                 $15, $16, $17, $18) RETURNING id",
            );
            let id: i64 = bind_citizen!(
                q,
                personal_id.as_ref().map(|i| i.as_str().to_owned()),
                new,
                p.full_name,
                p,
                at
            )
            .fetch_one(&mut *tx)
            .await?;
            for n in &p.old_cmnd {
                sqlx::query("INSERT INTO citizen_old_cmnd (citizen_id, number) VALUES ($1, $2)")
                    .bind(id)
                    .bind(n)
                    .execute(&mut *tx)
                    .await?;
            }
            audit!(
                tx,
                at,
                actor.map(|o| o.0),
                if prefix.is_some() {
                    "citizen.register_assign_id"
                } else {
                    "citizen.register"
                },
                format!("citizen:{id}"),
                personal_id
                    .as_ref()
                    .map_or_else(String::new, |i| mask(i).as_str().to_owned())
            );
            tx.commit().await?;
            (id, personal_id)
        });
        Ok(Citizen {
            id: CitizenId(id),
            personal_id,
            full_name: p.full_name.to_owned(),
            dob: new.dob,
            sex: new.sex,
            nationality: new.nationality.clone(),
            ethnicity: new.ethnicity.clone(),
            religion: new.religion.clone(),
            place_of_origin: new.place_of_origin.clone(),
            birth_registration: new.birth_registration.clone(),
            permanent_residence: new.permanent_residence.clone(),
            temporary_residence: new.temporary_residence.clone(),
            phone: new.phone.clone(),
            old_cmnd: p.old_cmnd.iter().map(|n| (*n).to_owned()).collect(),
            provenance: new.provenance.clone(),
            created_at: at,
        })
    }

    /// Assigns a personal ID to a registered citizen who has none (cấp số
    /// định danh khi cấp thẻ lần đầu): counter and update in one transaction.
    pub async fn assign_personal_id(
        &self,
        citizen: CitizenId,
        allocator: &Allocator,
        region_code: u16,
        actor: Option<OfficerId>,
        at: i64,
    ) -> Result<PersonalId, StoreError> {
        let current = self.citizen(citizen).await?;
        if current.personal_id.is_some() {
            return Err(StoreError::Conflict(Conflict::AlreadyHasId));
        }
        let prefix =
            IdPrefix::new(region_code, current.sex, current.dob.year()).map_err(alloc_err)?;
        with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let id = allocate_in_tx!(tx, allocator, prefix);
            // Re-checked under the write lock: another request may have won.
            let n = sqlx::query(
                "UPDATE citizens SET personal_id = $1 WHERE id = $2 AND personal_id IS NULL",
            )
            .bind(id.as_str())
            .bind(citizen.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::Conflict(Conflict::AlreadyHasId));
            }
            audit!(
                tx,
                at,
                actor.map(|o| o.0),
                "citizen.assign_id",
                format!("citizen:{}", citizen.0),
                mask(&id).as_str()
            );
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The next index the counter of `prefix` will hand out (0 if unused).
    pub async fn id_counter(&self, prefix: IdPrefix) -> Result<u32, StoreError> {
        let v: Option<i64> = with_pool!(&self.db, |pool| {
            sqlx::query_scalar::<DB, i64>("SELECT next_index FROM id_counters WHERE prefix = $1")
                .bind(prefix.as_str())
                .fetch_optional(pool)
                .await?
        });
        Ok(v.map_or(0, |v| u32::try_from(v).unwrap_or(u32::MAX)))
    }

    /// Sets the counter of `prefix` (e.g. after importing numbers allocated
    /// elsewhere). It may only move forward: lowering it would hand out
    /// numbers again, so a lower value is refused.
    pub async fn advance_id_counter(
        &self,
        prefix: IdPrefix,
        next_index: u32,
        actor: Option<OfficerId>,
        at: i64,
    ) -> Result<(), StoreError> {
        with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let current: Option<i64> = sqlx::query_scalar::<DB, i64>(
                "SELECT next_index FROM id_counters WHERE prefix = $1",
            )
            .bind(prefix.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            if current.is_some_and(|c| c > i64::from(next_index)) {
                return Err(StoreError::field(
                    "next_index",
                    format!(
                        "counter of {prefix} may not move back below {}",
                        current.unwrap_or(0)
                    ),
                ));
            }
            sqlx::query(
                "INSERT INTO id_counters (prefix, next_index) VALUES ($1, $2) \
                 ON CONFLICT (prefix) DO UPDATE SET next_index = excluded.next_index",
            )
            .bind(prefix.as_str())
            .bind(i64::from(next_index))
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                at,
                actor.map(|o| o.0),
                "id_counter.advance",
                format!("prefix:{prefix}"),
                next_index.to_string()
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// One citizen by record id.
    pub async fn citizen(&self, id: CitizenId) -> Result<Citizen, StoreError> {
        self.citizen_where_id(&self.db, id.0, id.0.to_string())
            .await
    }

    /// [`Store::citizen`] for a public door (the second factor of a
    /// status lookup, the channels' lookups by person): read on a replica
    /// when one is fresh (see `replica.rs`).
    pub async fn public_citizen(&self, id: CitizenId) -> Result<Citizen, StoreError> {
        public_read!(self, |db| self
            .citizen_where_id(db, id.0, id.0.to_string())
            .await)
    }

    /// One citizen by personal ID (tra cứu theo số định danh).
    pub async fn citizen_by_personal_id(&self, pid: &PersonalId) -> Result<Citizen, StoreError> {
        self.citizen_by_personal_id_on(&self.db, pid).await
    }

    /// [`Store::citizen_by_personal_id`] for a public door (the channels'
    /// lookups by person): read on a replica when one is fresh.
    pub async fn public_citizen_by_personal_id(
        &self,
        pid: &PersonalId,
    ) -> Result<Citizen, StoreError> {
        public_read!(self, |db| self.citizen_by_personal_id_on(db, pid).await)
    }

    async fn citizen_by_personal_id_on(
        &self,
        db: &crate::Db,
        pid: &PersonalId,
    ) -> Result<Citizen, StoreError> {
        let id: Option<i64> = with_pool!(db, |pool| {
            sqlx::query_scalar::<DB, i64>("SELECT id FROM citizens WHERE personal_id = $1")
                .bind(pid.as_str())
                .fetch_optional(pool)
                .await?
        });
        let masked = mask(pid).as_str().to_owned();
        match id {
            Some(id) => self.citizen_where_id(db, id, masked).await,
            None => Err(StoreError::not_found(Entity::Citizen, masked)),
        }
    }

    async fn citizen_where_id(
        &self,
        db: &crate::Db,
        id: i64,
        key: String,
    ) -> Result<Citizen, StoreError> {
        let (row, cmnd) = with_pool!(db, |pool| {
            let mut tx = pool.begin().await?;
            let row = sqlx::query_as::<DB, CitizenRow>(concat!(
                "SELECT ",
                citizen_cols!(),
                " FROM citizens WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let cmnd: Vec<String> = sqlx::query_scalar::<DB, String>(
                "SELECT number FROM citizen_old_cmnd WHERE citizen_id = $1 ORDER BY number",
            )
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            (row, cmnd)
        });
        row.ok_or_else(|| StoreError::not_found(Entity::Citizen, key))?
            .into_model(cmnd)
    }

    /// Searches citizens by name (diacritic- and case-insensitive) and
    /// optionally date of birth, ordered by name key then id. Old CMND
    /// numbers are loaded in one extra query for the whole page.
    pub async fn search_citizens(&self, q: &CitizenQuery) -> Result<Vec<Citizen>, StoreError> {
        let key = search_key(&q.name);
        if key.is_empty() {
            return Err(StoreError::field(
                "name",
                "must contain at least one letter or digit",
            ));
        }
        let limit = cap_limit(q.limit);
        let (a, b) = match q.matching {
            NameMatch::Prefix => (key.clone(), prefix_upper(&key)),
            NameMatch::Contains => (like_contains(&key), String::new()),
            NameMatch::Words => (like_prefix(&key), like_word(&key)),
        };
        let (year, month, day) = q.dob.as_ref().map_or((None, None, None), |d| {
            let (y, m, d) = dob_parts(d);
            (Some(y), m, d)
        });
        let rows: Vec<CitizenRow> = with_pool!(&self.db, |pool| {
            macro_rules! search_sql {
                ($name_cond:literal) => {
                    concat!(
                        "SELECT ",
                        citizen_cols!(),
                        " FROM citizens WHERE ",
                        $name_cond,
                        " AND ($3 IS NULL OR dob_year = $3)",
                        " AND ($4 IS NULL OR dob_month IS NULL OR dob_month = $4)",
                        " AND ($5 IS NULL OR dob_day IS NULL OR dob_day = $5)",
                        " ORDER BY name_key, id LIMIT $6"
                    )
                };
            }
            let sql = match q.matching {
                NameMatch::Prefix => search_sql!("name_key >= $1 AND name_key < $2"),
                // `$2` is bound to '' so both shapes take the same parameters.
                NameMatch::Contains => search_sql!("name_key LIKE $1 ESCAPE '\\' AND $2 = ''"),
                NameMatch::Words => {
                    search_sql!("(name_key LIKE $1 ESCAPE '\\' OR name_key LIKE $2 ESCAPE '\\')")
                }
            };
            sqlx::query_as::<DB, CitizenRow>(sql)
                .bind(&a)
                .bind(&b)
                .bind(year)
                .bind(month)
                .bind(day)
                .bind(limit)
                .fetch_all(pool)
                .await?
        });
        self.with_old_cmnd(rows).await
    }

    /// Attaches old CMND numbers to a page of rows with one query.
    async fn with_old_cmnd(&self, rows: Vec<CitizenRow>) -> Result<Vec<Citizen>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let pairs: Vec<(i64, String)> = with_pool!(&self.db, |pool| {
            let mut qb = sqlx::QueryBuilder::<DB>::new(
                "SELECT citizen_id, number FROM citizen_old_cmnd WHERE citizen_id IN (",
            );
            let mut sep = qb.separated(", ");
            for r in &rows {
                sep.push_bind(r.id);
            }
            qb.push(") ORDER BY citizen_id, number");
            qb.build_query_as::<(i64, String)>().fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|r| {
                let cmnd = pairs
                    .iter()
                    .filter(|(id, _)| *id == r.id)
                    .map(|(_, n)| n.clone())
                    .collect();
                r.into_model(cmnd)
            })
            .collect()
    }

    /// Inserts many citizens in one transaction with multi-row INSERTs of
    /// `BULK_BATCH` rows (one prepared statement reused per batch, no
    /// per-row round trip), for the seeder and the CSV importer. All or
    /// nothing: any bad row (blank name, duplicate personal ID) rolls the
    /// whole call back; its error names the row's 0-based position when it
    /// was caught before the database. Returns the number inserted.
    pub async fn bulk_insert_citizens(
        &self,
        citizens: &[NewCitizen],
        actor: Option<OfficerId>,
        at: i64,
    ) -> Result<u64, StoreError> {
        let prepared = citizens
            .iter()
            .enumerate()
            .map(|(i, c)| {
                prepare(c).map_err(|e| match e {
                    StoreError::Invalid(Invalid::Field { field, reason }) => {
                        StoreError::field(field, format!("row {i}: {reason}"))
                    }
                    other => other,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let with_cmnd: Vec<&Prepared<'_>> =
            prepared.iter().filter(|p| !p.old_cmnd.is_empty()).collect();
        if with_cmnd.iter().any(|p| p.c.personal_id.is_none()) {
            return Err(StoreError::field(
                "old_cmnd",
                "bulk rows with old CMND numbers need a personal ID (use register_citizen)",
            ));
        }
        let mut inserted = 0u64;
        with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            for chunk in prepared.chunks(BULK_BATCH) {
                let tail_sql;
                let sql: &str = if chunk.len() == BULK_BATCH {
                    full_batch_sql(SQLITE)
                } else {
                    tail_sql = bulk_sql(chunk.len(), SQLITE);
                    &tail_sql
                };
                let mut q = sqlx::query::<DB>(sqlx::AssertSqlSafe(sql));
                for p in chunk {
                    let pid = p.c.personal_id.as_ref().map(|i| i.as_str().to_owned());
                    q = bind_citizen!(q, pid, p.c, p.full_name, p, at);
                }
                inserted += q.execute(&mut *tx).await?.rows_affected();
            }
            // Old CMND numbers, joined to the new rows by personal ID.
            let pairs: Vec<(String, &str)> = with_cmnd
                .iter()
                .flat_map(|p| {
                    let pid =
                        p.c.personal_id
                            .as_ref()
                            .map(|i| i.as_str().to_owned())
                            .unwrap_or_default();
                    p.old_cmnd.iter().map(move |n| (pid.clone(), *n))
                })
                .collect();
            for chunk in pairs.chunks(BULK_BATCH) {
                let mut qb = sqlx::QueryBuilder::<DB>::new(
                    "INSERT INTO citizen_old_cmnd (citizen_id, number) \
                     SELECT c.id, v.column2 FROM (VALUES ",
                );
                let mut first = true;
                for (pid, n) in chunk {
                    qb.push(if first { "(" } else { ", (" });
                    first = false;
                    qb.push_bind(pid.as_str())
                        .push(", ")
                        .push_bind(*n)
                        .push(")");
                }
                qb.push(") AS v JOIN citizens c ON c.personal_id = v.column1");
                qb.build().execute(&mut *tx).await?;
            }
            audit!(
                tx,
                at,
                actor.map(|o| o.0),
                "citizen.bulk_insert",
                "citizens",
                format!("{inserted} rows")
            );
            tx.commit().await?;
        });
        Ok(inserted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_upper_bounds_exactly_the_prefix() {
        assert_eq!(prefix_upper("nguyen"), "nguyeo");
        assert_eq!(prefix_upper("a"), "b");
        for (key, inside) in [("nguyen van", true), ("nguyeo", false), ("nguye", false)] {
            let ok = key >= "nguyen" && key < prefix_upper("nguyen").as_str();
            assert_eq!(ok, inside, "{key}");
        }
    }

    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(like_contains("van an"), "%van an%");
        assert_eq!(like_contains("50%_x\\"), "%50\\%\\_x\\\\%");
        assert_eq!(like_prefix("an_"), "an\\_%");
        assert_eq!(like_word("van an"), "% van an%");
    }

    #[test]
    fn bulk_sql_numbers_every_placeholder() {
        let sql = bulk_sql(2, false);
        assert!(sql.ends_with(&format!("${})", 2 * BULK_COLS)));
        assert_eq!(sql.matches('$').count(), 2 * BULK_COLS);
        let sql = bulk_sql(2, true);
        assert_eq!(sql.matches('?').count(), 2 * BULK_COLS);
        assert!(!sql.contains('$'));
    }
}
