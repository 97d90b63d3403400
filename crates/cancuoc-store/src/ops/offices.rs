//! Offices: create, get, list, and tree queries (cây đơn vị).

use crate::db::with_pool;
use crate::error::{Entity, StoreError};
use crate::model::office::{NewOffice, Office};
use crate::ops::audit;
use crate::rows::{OfficeRow, office_cols, to_json};
use crate::{Store, model::officer::OfficerId};

impl Store {
    /// Adds an office. A taken code is a conflict; an unknown parent is
    /// invalid.
    pub async fn create_office(
        &self,
        new: &NewOffice,
        actor: Option<OfficerId>,
        at: i64,
    ) -> Result<Office, StoreError> {
        if new.name.trim().is_empty() {
            return Err(StoreError::field("name", "must not be blank"));
        }
        if new.code > 9999 {
            return Err(StoreError::field("code", "must be 0–9999"));
        }
        let hours = to_json("opening_hours", &new.opening_hours)?;
        with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            sqlx::query(
                "INSERT INTO offices (code, name, level, parent_code, address, hotline, \
                 opening_hours, daily_capacity, valid_from, valid_until) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(i64::from(new.code))
            .bind(new.name.trim())
            .bind(new.level.code())
            .bind(new.parent.map(i64::from))
            .bind(&new.address)
            .bind(&new.hotline)
            .bind(&hours)
            .bind(i64::from(new.daily_capacity))
            .bind(new.in_force.first_day().map(|d| d.to_string()))
            .bind(new.in_force.last_day().map(|d| d.to_string()))
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                at,
                actor.map(|o| o.0),
                "office.create",
                format!("office:{}", new.code),
                new.name.trim()
            );
            tx.commit().await?;
        });
        Ok(Office {
            code: new.code,
            name: new.name.trim().to_owned(),
            level: new.level,
            parent: new.parent,
            address: new.address.clone(),
            hotline: new.hotline.clone(),
            opening_hours: new.opening_hours.clone(),
            daily_capacity: new.daily_capacity,
            in_force: new.in_force,
        })
    }

    /// One office by its code.
    pub async fn office(&self, code: u16) -> Result<Office, StoreError> {
        let row: Option<OfficeRow> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, OfficeRow>(concat!(
                "SELECT ",
                office_cols!(),
                " FROM offices WHERE code = $1"
            ))
            .bind(i64::from(code))
            .fetch_optional(pool)
            .await?
        });
        row.ok_or_else(|| StoreError::not_found(Entity::Office, code.to_string()))?
            .into_model()
    }

    /// Every office, by code.
    pub async fn list_offices(&self) -> Result<Vec<Office>, StoreError> {
        let rows: Vec<OfficeRow> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, OfficeRow>(concat!(
                "SELECT ",
                office_cols!(),
                " FROM offices ORDER BY code"
            ))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(OfficeRow::into_model).collect()
    }

    /// The direct children of an office (đơn vị trực thuộc), by code.
    pub async fn office_children(&self, code: u16) -> Result<Vec<Office>, StoreError> {
        let rows: Vec<OfficeRow> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, OfficeRow>(concat!(
                "SELECT ",
                office_cols!(),
                " FROM offices WHERE parent_code = $1 ORDER BY code"
            ))
            .bind(i64::from(code))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(OfficeRow::into_model).collect()
    }

    /// An office and everything below it, top down (breadth by depth, then
    /// code). Unknown code: not found.
    pub async fn office_subtree(&self, code: u16) -> Result<Vec<Office>, StoreError> {
        let rows: Vec<OfficeRow> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, OfficeRow>(concat!(
                "WITH RECURSIVE sub (code, depth) AS (",
                " SELECT code, 0 FROM offices WHERE code = $1",
                " UNION ALL",
                " SELECT o.code, s.depth + 1 FROM offices o JOIN sub s ON o.parent_code = s.code",
                " WHERE s.depth < 16)",
                " SELECT o.code, o.name, o.level, o.parent_code, o.address, o.hotline,",
                " o.opening_hours, o.daily_capacity, o.valid_from, o.valid_until",
                " FROM sub s JOIN offices o ON o.code = s.code ORDER BY s.depth, o.code"
            ))
            .bind(i64::from(code))
            .fetch_all(pool)
            .await?
        });
        if rows.is_empty() {
            return Err(StoreError::not_found(Entity::Office, code.to_string()));
        }
        rows.into_iter().map(OfficeRow::into_model).collect()
    }

    /// The chain from an office up to the root, starting with the office
    /// itself (đơn vị cấp trên). Unknown code: not found.
    pub async fn office_ancestors(&self, code: u16) -> Result<Vec<Office>, StoreError> {
        let rows: Vec<OfficeRow> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, OfficeRow>(concat!(
                "WITH RECURSIVE up (code, parent_code, depth) AS (",
                " SELECT code, parent_code, 0 FROM offices WHERE code = $1",
                " UNION ALL",
                " SELECT o.code, o.parent_code, u.depth + 1 FROM offices o",
                " JOIN up u ON o.code = u.parent_code WHERE u.depth < 16)",
                " SELECT o.code, o.name, o.level, o.parent_code, o.address, o.hotline,",
                " o.opening_hours, o.daily_capacity, o.valid_from, o.valid_until",
                " FROM up u JOIN offices o ON o.code = u.code ORDER BY u.depth"
            ))
            .bind(i64::from(code))
            .fetch_all(pool)
            .await?
        });
        if rows.is_empty() {
            return Err(StoreError::not_found(Entity::Office, code.to_string()));
        }
        rows.into_iter().map(OfficeRow::into_model).collect()
    }
}
