//! Scoped, audited reads of citizen records (truy cập hồ sơ công dân): one
//! citizen ([`Store::citizen_for`]) or a name search
//! ([`Store::search_citizens_for`], with [`Store::count_citizens_for`] for
//! how many matched in all), each in one write transaction that
//! applies the reader's [`CitizenScope`] in SQL and appends the audit rows —
//! who, which record, why — before it commits, so no record leaves the store
//! without its row. A refused read is audited too (`citizen.read_refused`),
//! so a walk over numbers leaves a trace. Audit rows name the record by id
//! and carry the purpose; never a name, a phone or a full personal ID.

use cancuoc_core::text::search_key;

use crate::Store;
use crate::db::with_pool;
use crate::error::{Entity, StoreError};
use crate::model::citizen::{Citizen, CitizenQuery, NameMatch};
use crate::model::citizen_access::{CitizenAccess, CitizenKey, CitizenRead, CitizenScope};
use crate::ops::citizens::{dob_parts, like_contains, like_prefix, like_word, prefix_upper};
use crate::ops::{audit, cap_limit};
use crate::rows::{CitizenRow, citizen_cols};

/// Appends to query builder `$qb` the condition that citizen `$citizen`
/// (an SQL expression) lies within `$scope`: nothing for every citizen, an
/// `EXISTS` over the open dossiers otherwise (the `dossiers_citizen`
/// index). Starts with ` AND `.
macro_rules! push_scope {
    ($qb:expr, $scope:expr, $citizen:literal) => {
        match $scope {
            CitizenScope::All => {}
            CitizenScope::OpenDossierAt(offices) if offices.is_empty() => {
                $qb.push(" AND 1 = 0");
            }
            scope => {
                $qb.push(concat!(
                    " AND EXISTS (SELECT 1 FROM dossiers d WHERE d.citizen_id = ",
                    $citizen,
                    " AND d.is_open = TRUE"
                ));
                if let CitizenScope::OpenDossierAt(offices) = scope {
                    $qb.push(" AND d.office_code IN (");
                    let mut sep = $qb.separated(", ");
                    for o in offices {
                        sep.push_bind(i64::from(*o));
                    }
                    $qb.push(")");
                }
                $qb.push(")");
            }
        }
    };
}

/// Appends to query builder `$qb` (after `WHERE `) the conditions of a
/// name search: the name key matched by `$matching`, the date of birth
/// parts `($year, $month, $day)` when given (a stored date missing a part
/// matches any), and `$scope` (see `push_scope!`). The one condition of
/// [`Store::search_citizens_for`] and [`Store::count_citizens_for`].
macro_rules! push_search {
    ($qb:expr, $key:expr, $matching:expr, ($year:expr, $month:expr, $day:expr), $scope:expr) => {
        match $matching {
            NameMatch::Prefix => {
                $qb.push("c.name_key >= ")
                    .push_bind($key.clone())
                    .push(" AND c.name_key < ")
                    .push_bind(prefix_upper(&$key));
            }
            NameMatch::Contains => {
                $qb.push("c.name_key LIKE ")
                    .push_bind(like_contains(&$key))
                    .push(" ESCAPE '\\'");
            }
            NameMatch::Words => {
                $qb.push("(c.name_key LIKE ")
                    .push_bind(like_prefix(&$key))
                    .push(" ESCAPE '\\' OR c.name_key LIKE ")
                    .push_bind(like_word(&$key))
                    .push(" ESCAPE '\\')");
            }
        }
        if let Some(y) = $year {
            $qb.push(" AND c.dob_year = ").push_bind(y);
        }
        if let Some(m) = $month {
            $qb.push(" AND (c.dob_month IS NULL OR c.dob_month = ")
                .push_bind(m)
                .push(")");
        }
        if let Some(d) = $day {
            $qb.push(" AND (c.dob_day IS NULL OR c.dob_day = ")
                .push_bind(d)
                .push(")");
        }
        push_scope!($qb, $scope, "c.id");
    };
}

impl Store {
    /// One citizen for `access` (đọc hồ sơ công dân), in one transaction:
    /// the record by `key`; whether it lies within `access.scope`; then
    /// either the record with its old CMND numbers and a `citizen.read`
    /// audit row, or [`CitizenRead::OutOfScope`] and a
    /// `citizen.read_refused` row. An unknown key is
    /// [`StoreError::NotFound`] (nothing read, nothing audited).
    pub async fn citizen_for(
        &self,
        key: CitizenKey,
        access: &CitizenAccess<'_>,
    ) -> Result<CitizenRead, StoreError> {
        let details = format!("{} via {}", access.purpose.code(), key.kind());
        let (row, cmnd) = with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let row: Option<CitizenRow> = match key {
                CitizenKey::Id(id) => {
                    sqlx::query_as::<DB, CitizenRow>(concat!(
                        "SELECT ",
                        citizen_cols!(),
                        " FROM citizens WHERE id = $1"
                    ))
                    .bind(id.0)
                    .fetch_optional(&mut *tx)
                    .await?
                }
                CitizenKey::PersonalId(pid) => {
                    sqlx::query_as::<DB, CitizenRow>(concat!(
                        "SELECT ",
                        citizen_cols!(),
                        " FROM citizens WHERE personal_id = $1"
                    ))
                    .bind(pid.as_str())
                    .fetch_optional(&mut *tx)
                    .await?
                }
            };
            let Some(row) = row else {
                let shown = match key {
                    CitizenKey::Id(id) => id.0.to_string(),
                    CitizenKey::PersonalId(pid) => cancuoc_core::id::mask(&pid).as_str().to_owned(),
                };
                return Err(StoreError::not_found(Entity::Citizen, shown));
            };
            let allowed = match access.scope {
                CitizenScope::All => true,
                CitizenScope::OpenDossierAt(offices) if offices.is_empty() => false,
                scope => {
                    let mut qb = sqlx::QueryBuilder::<DB>::new(
                        "SELECT EXISTS (SELECT 1 FROM citizens c WHERE c.id = ",
                    );
                    qb.push_bind(row.id);
                    push_scope!(qb, scope, "c.id");
                    qb.push(")");
                    qb.build_query_scalar::<bool>().fetch_one(&mut *tx).await?
                }
            };
            let target = format!("citizen:{}", row.id);
            if !allowed {
                audit!(
                    tx,
                    access.at,
                    Some(access.officer.0),
                    "citizen.read_refused",
                    target.as_str(),
                    details.as_str()
                );
                tx.commit().await?;
                return Ok(CitizenRead::OutOfScope);
            }
            let cmnd: Vec<String> = sqlx::query_scalar::<DB, String>(
                "SELECT number FROM citizen_old_cmnd WHERE citizen_id = $1 ORDER BY number",
            )
            .bind(row.id)
            .fetch_all(&mut *tx)
            .await?;
            audit!(
                tx,
                access.at,
                Some(access.officer.0),
                "citizen.read",
                target.as_str(),
                details.as_str()
            );
            tx.commit().await?;
            (row, cmnd)
        });
        Ok(CitizenRead::Granted(row.into_model(cmnd)?))
    }

    /// How many citizens match `q` within `scope` (the same condition as
    /// [`Store::search_citizens_for`], without its limit): what a front end
    /// says when a search lists fewer than matched. Reads no record, so it
    /// writes no audit row.
    pub async fn count_citizens_for(
        &self,
        q: &CitizenQuery,
        scope: &CitizenScope,
    ) -> Result<u64, StoreError> {
        let key = search_key(&q.name);
        if key.is_empty() {
            return Err(StoreError::field(
                "name",
                "must contain at least one letter or digit",
            ));
        }
        let (year, month, day) = q.dob.as_ref().map_or((None, None, None), |d| {
            let (y, m, d) = dob_parts(d);
            (Some(y), m, d)
        });
        let n: i64 = with_pool!(&self.db, |pool| {
            let mut qb = sqlx::QueryBuilder::<DB>::new("SELECT COUNT(*) FROM citizens c WHERE ");
            push_search!(qb, key, q.matching, (year, month, day), scope);
            qb.build_query_scalar::<i64>().fetch_one(pool).await?
        });
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// A name search for `access` (tra cứu công dân), in one transaction:
    /// the citizens matching `q` (as [`Store::search_citizens`] matches)
    /// that lie within `access.scope`, ordered by name key then id, with
    /// their old CMND numbers; one `citizen.search` audit row (how many were
    /// listed and how the name was matched, never the name) and one
    /// `citizen.read` row per citizen listed.
    pub async fn search_citizens_for(
        &self,
        q: &CitizenQuery,
        access: &CitizenAccess<'_>,
    ) -> Result<Vec<Citizen>, StoreError> {
        let key = search_key(&q.name);
        if key.is_empty() {
            return Err(StoreError::field(
                "name",
                "must contain at least one letter or digit",
            ));
        }
        let limit = cap_limit(q.limit);
        let (year, month, day) = q.dob.as_ref().map_or((None, None, None), |d| {
            let (y, m, d) = dob_parts(d);
            (Some(y), m, d)
        });
        let purpose = access.purpose.code();
        let (rows, pairs) = with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let mut qb = sqlx::QueryBuilder::<DB>::new(concat!(
                "SELECT ",
                citizen_cols!(),
                " FROM citizens c WHERE "
            ));
            push_search!(qb, key, q.matching, (year, month, day), access.scope);
            qb.push(" ORDER BY c.name_key, c.id LIMIT ")
                .push_bind(limit);
            let rows: Vec<CitizenRow> = qb
                .build_query_as::<CitizenRow>()
                .fetch_all(&mut *tx)
                .await?;
            let mut pairs: Vec<(i64, String)> = Vec::new();
            if !rows.is_empty() {
                let mut cmnd = sqlx::QueryBuilder::<DB>::new(
                    "SELECT citizen_id, number FROM citizen_old_cmnd WHERE citizen_id IN (",
                );
                let mut sep = cmnd.separated(", ");
                for r in &rows {
                    sep.push_bind(r.id);
                }
                cmnd.push(") ORDER BY citizen_id, number");
                pairs = cmnd
                    .build_query_as::<(i64, String)>()
                    .fetch_all(&mut *tx)
                    .await?;
            }
            audit!(
                tx,
                access.at,
                Some(access.officer.0),
                "citizen.search",
                "citizens",
                format!(
                    "{purpose}: {} listed, {} match{}",
                    rows.len(),
                    match q.matching {
                        NameMatch::Prefix => "prefix",
                        NameMatch::Contains => "contains",
                        NameMatch::Words => "word",
                    },
                    if q.dob.is_some() {
                        ", with date of birth"
                    } else {
                        ""
                    }
                )
            );
            if !rows.is_empty() {
                let mut reads = sqlx::QueryBuilder::<DB>::new(
                    "INSERT INTO audit_log (at, officer_id, action, target, details) ",
                );
                reads.push_values(&rows, |mut b, r| {
                    b.push_bind(access.at)
                        .push_bind(access.officer.0)
                        .push_bind("citizen.read")
                        .push_bind(format!("citizen:{}", r.id))
                        .push_bind(format!("{purpose} via search"));
                });
                reads.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            (rows, pairs)
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
}
