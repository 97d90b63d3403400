//! Officers: add (the token is returned once), look up by token or id,
//! deactivate (which also ends their console sessions; logins and sessions
//! are in `sessions.rs`).

use crate::Store;
use crate::db::with_pool;
use crate::error::{Entity, StoreError};
use crate::model::officer::{IssuedOfficer, NewOfficer, Officer, OfficerId, Token};
use crate::ops::audit;
use crate::rows::{OfficerRow, officer_cols};

impl Store {
    /// Adds an officer at an office and returns it with a fresh bearer
    /// token; only the token's SHA-256 is stored, so this is the only time
    /// the token can be read. Unknown office: invalid reference.
    pub async fn add_officer(
        &self,
        new: &NewOfficer,
        actor: Option<OfficerId>,
        at: i64,
    ) -> Result<IssuedOfficer, StoreError> {
        self.insert_officer(new, None, actor, at).await
    }

    /// The one insert path of officers: with `login = Some((name, hash))`
    /// the console login and password hash are set in the same
    /// transaction ([`Store::add_officer_with_login`]). Returns the officer
    /// with a fresh bearer token.
    pub(crate) async fn insert_officer(
        &self,
        new: &NewOfficer,
        login: Option<(&str, &str)>,
        actor: Option<OfficerId>,
        at: i64,
    ) -> Result<IssuedOfficer, StoreError> {
        let name = new.name.trim();
        if name.is_empty() {
            return Err(StoreError::field("name", "must not be blank"));
        }
        let token = Token::generate();
        let (login_name, password_hash) = login.unzip();
        let password_set_at = login.map(|_| at);
        let details = match login_name {
            Some(l) => format!("role={} office={} login={l}", new.role.code(), new.office),
            None => format!("role={} office={}", new.role.code(), new.office),
        };
        let id: i64 = with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let id: i64 = sqlx::query_scalar::<DB, i64>(
                "INSERT INTO officers (name, role, office_code, token_hash, active, created_at, \
                 login, password_hash, password_set_at) \
                 VALUES ($1, $2, $3, $4, TRUE, $5, $6, $7, $8) RETURNING id",
            )
            .bind(name)
            .bind(new.role.code())
            .bind(i64::from(new.office))
            .bind(token.hash())
            .bind(at)
            .bind(login_name)
            .bind(password_hash)
            .bind(password_set_at)
            .fetch_one(&mut *tx)
            .await?;
            audit!(
                tx,
                at,
                actor.map(|o| o.0),
                "officer.add",
                format!("officer:{id}"),
                details
            );
            tx.commit().await?;
            id
        });
        Ok(IssuedOfficer {
            officer: Officer {
                id: OfficerId(id),
                name: name.to_owned(),
                role: new.role,
                office: new.office,
                active: true,
                created_at: at,
            },
            token,
        })
    }

    /// The active officer holding this bearer token; an unknown token or a
    /// deactivated officer is not found.
    pub async fn officer_by_token(&self, token: &Token) -> Result<Officer, StoreError> {
        let hash = token.hash();
        let row: Option<OfficerRow> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, OfficerRow>(concat!(
                "SELECT ",
                officer_cols!(),
                " FROM officers WHERE token_hash = $1 AND active = TRUE"
            ))
            .bind(&hash)
            .fetch_optional(pool)
            .await?
        });
        row.ok_or_else(|| StoreError::not_found(Entity::Officer, "token"))?
            .into_model()
    }

    /// One officer by id (active or not).
    pub async fn officer(&self, id: OfficerId) -> Result<Officer, StoreError> {
        let row: Option<OfficerRow> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, OfficerRow>(concat!(
                "SELECT ",
                officer_cols!(),
                " FROM officers WHERE id = $1"
            ))
            .bind(id.0)
            .fetch_optional(pool)
            .await?
        });
        row.ok_or_else(|| StoreError::not_found(Entity::Officer, id.0.to_string()))?
            .into_model()
    }

    /// The officers of one office, by id.
    pub async fn officers_of_office(&self, office: u16) -> Result<Vec<Officer>, StoreError> {
        let rows: Vec<OfficerRow> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, OfficerRow>(concat!(
                "SELECT ",
                officer_cols!(),
                " FROM officers WHERE office_code = $1 ORDER BY id"
            ))
            .bind(i64::from(office))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(OfficerRow::into_model).collect()
    }

    /// Activates or deactivates an officer (a deactivated token stops
    /// working at once, and the officer's console sessions are deleted).
    pub async fn set_officer_active(
        &self,
        id: OfficerId,
        active: bool,
        actor: Option<OfficerId>,
        at: i64,
    ) -> Result<(), StoreError> {
        with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let n = sqlx::query("UPDATE officers SET active = $1 WHERE id = $2")
                .bind(active)
                .bind(id.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::not_found(Entity::Officer, id.0.to_string()));
            }
            if !active {
                // A deactivated officer's console sessions end with it.
                sqlx::query("DELETE FROM console_sessions WHERE officer_id = $1")
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
            }
            audit!(
                tx,
                at,
                actor.map(|o| o.0),
                if active {
                    "officer.activate"
                } else {
                    "officer.deactivate"
                },
                format!("officer:{}", id.0),
                ""
            );
            tx.commit().await?;
        });
        Ok(())
    }
}
