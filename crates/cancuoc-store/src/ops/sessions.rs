//! Officer logins and console sessions (đăng nhập, phiên làm việc): add an
//! officer with a login, set a login and password hash, read the credentials of a login, open, use and
//! close a session. Password hashing is the caller's (the service, with
//! Argon2id); the store only keeps the PHC string.

use crate::Store;
use crate::db::with_pool;
use crate::error::{Entity, StoreError};
use crate::model::officer::{IssuedOfficer, NewOfficer, OfficerId, Token, hex};
use crate::model::session::{ConsoleSession, OfficerCredentials, OpenedSession, SessionLimits};
use crate::ops::audit;
use crate::rows::OfficerRow;

/// Officer columns prefixed with the `o` alias, in [`OfficerRow`]'s order.
macro_rules! officer_cols_o {
    () => {
        "o.id, o.name, o.role, o.office_code, o.active, o.created_at"
    };
}

#[derive(sqlx::FromRow)]
struct CredentialsRow {
    #[sqlx(flatten)]
    officer: OfficerRow,
    login: String,
    password_hash: String,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    officer: OfficerRow,
    csrf: String,
    s_created_at: i64,
    last_seen: i64,
}

impl Store {
    /// Gives an officer a login name (tên đăng nhập) and a password hash
    /// (a PHC string made by the caller), replacing any earlier ones, and
    /// closes the officer's console sessions (a new password logs every
    /// browser out). A login taken by another officer is a duplicate
    /// conflict; an unknown officer is not found.
    pub async fn set_officer_login(
        &self,
        officer: OfficerId,
        login: &str,
        password_hash: &str,
        actor: Option<OfficerId>,
        at: i64,
    ) -> Result<(), StoreError> {
        let login = login.trim();
        if login.is_empty() {
            return Err(StoreError::field("login", "must not be blank"));
        }
        if password_hash.is_empty() {
            return Err(StoreError::field("password_hash", "must not be blank"));
        }
        with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let n = sqlx::query(
                "UPDATE officers SET login = $1, password_hash = $2, password_set_at = $3 \
                 WHERE id = $4",
            )
            .bind(login)
            .bind(password_hash)
            .bind(at)
            .bind(officer.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::not_found(
                    Entity::Officer,
                    officer.0.to_string(),
                ));
            }
            sqlx::query("DELETE FROM console_sessions WHERE officer_id = $1")
                .bind(officer.0)
                .execute(&mut *tx)
                .await?;
            audit!(
                tx,
                at,
                actor.map(|o| o.0),
                "officer.set_login",
                format!("officer:{}", officer.0),
                format!("login={login}")
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// Adds an officer with a login name and password hash in one
    /// transaction (nothing is added when the login is taken: duplicate
    /// conflict), and returns it with a fresh bearer token as
    /// [`Store::add_officer`] does.
    pub async fn add_officer_with_login(
        &self,
        new: &NewOfficer,
        login: &str,
        password_hash: &str,
        actor: Option<OfficerId>,
        at: i64,
    ) -> Result<IssuedOfficer, StoreError> {
        let login = login.trim();
        if login.is_empty() {
            return Err(StoreError::field("login", "must not be blank"));
        }
        if password_hash.is_empty() {
            return Err(StoreError::field("password_hash", "must not be blank"));
        }
        self.insert_officer(new, Some((login, password_hash)), actor, at)
            .await
    }

    /// The credentials of an active officer by login name, or `None` when
    /// no active officer has that login (unknown and deactivated look the
    /// same to the caller).
    pub async fn officer_credentials(
        &self,
        login: &str,
    ) -> Result<Option<OfficerCredentials>, StoreError> {
        let row: Option<CredentialsRow> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, CredentialsRow>(concat!(
                "SELECT ",
                officer_cols_o!(),
                ", o.login, o.password_hash FROM officers o \
                 WHERE o.login = $1 AND o.active = TRUE AND o.password_hash IS NOT NULL"
            ))
            .bind(login.trim())
            .fetch_optional(pool)
            .await?
        });
        row.map(|r| {
            Ok(OfficerCredentials {
                officer: r.officer.into_model()?,
                login: r.login,
                password_hash: r.password_hash,
            })
        })
        .transpose()
    }

    /// The login name of an officer, if one was set.
    pub async fn officer_login(&self, officer: OfficerId) -> Result<Option<String>, StoreError> {
        let login: Option<Option<String>> = with_pool!(&self.db, |pool| {
            sqlx::query_scalar::<DB, Option<String>>("SELECT login FROM officers WHERE id = $1")
                .bind(officer.0)
                .fetch_optional(pool)
                .await?
        });
        login.ok_or_else(|| StoreError::not_found(Entity::Officer, officer.0.to_string()))
    }

    /// Opens a console session for an active officer at `at`: a fresh
    /// random id (only its hash is stored) and CSRF token. Sessions past
    /// `limits` are purged in the same transaction. A deactivated or
    /// unknown officer is not found.
    pub async fn open_console_session(
        &self,
        officer: OfficerId,
        limits: SessionLimits,
        at: i64,
    ) -> Result<OpenedSession, StoreError> {
        let id = Token::generate();
        let csrf = hex(&rand::random::<[u8; 32]>());
        with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let active: Option<bool> =
                sqlx::query_scalar::<DB, bool>("SELECT active FROM officers WHERE id = $1")
                    .bind(officer.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            if active != Some(true) {
                return Err(StoreError::not_found(
                    Entity::Officer,
                    officer.0.to_string(),
                ));
            }
            sqlx::query("DELETE FROM console_sessions WHERE last_seen < $1 OR created_at < $2")
                .bind(at - limits.idle_secs)
                .bind(at - limits.max_secs)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO console_sessions (id_hash, officer_id, csrf, created_at, last_seen) \
                 VALUES ($1, $2, $3, $4, $4)",
            )
            .bind(id.hash())
            .bind(officer.0)
            .bind(&csrf)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                at,
                Some(officer.0),
                "console.login",
                format!("officer:{}", officer.0),
                ""
            );
            tx.commit().await?;
        });
        Ok(OpenedSession { id, csrf })
    }

    /// The live session with this id at `now`, marked as used now; `None`
    /// when there is no such session, it is past its idle timeout or
    /// absolute lifetime (then it is deleted), or its officer was
    /// deactivated.
    pub async fn console_session(
        &self,
        id: &Token,
        limits: SessionLimits,
        now: i64,
    ) -> Result<Option<ConsoleSession>, StoreError> {
        let hash = id.hash();
        let row: Option<SessionRow> = with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let row = sqlx::query_as::<DB, SessionRow>(concat!(
                "SELECT ",
                officer_cols_o!(),
                ", s.csrf, s.created_at AS s_created_at, s.last_seen \
                 FROM console_sessions s JOIN officers o ON o.id = s.officer_id \
                 WHERE s.id_hash = $1"
            ))
            .bind(&hash)
            .fetch_optional(&mut *tx)
            .await?;
            let live = row.filter(|r| {
                r.officer.active
                    && r.last_seen >= now - limits.idle_secs
                    && r.s_created_at >= now - limits.max_secs
            });
            if live.is_some() {
                sqlx::query(
                    "UPDATE console_sessions SET last_seen = $1 \
                     WHERE id_hash = $2 AND last_seen < $1",
                )
                .bind(now)
                .bind(&hash)
                .execute(&mut *tx)
                .await?;
            } else {
                sqlx::query("DELETE FROM console_sessions WHERE id_hash = $1")
                    .bind(&hash)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            live
        });
        row.map(|r| {
            Ok(ConsoleSession {
                officer: r.officer.into_model()?,
                csrf: r.csrf,
                created_at: r.s_created_at,
                last_seen: r.last_seen.max(now),
            })
        })
        .transpose()
    }

    /// Ends a session (đăng xuất); whether there was one to end.
    pub async fn close_console_session(&self, id: &Token, at: i64) -> Result<bool, StoreError> {
        let hash = id.hash();
        let closed = with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let officer: Option<i64> = sqlx::query_scalar::<DB, i64>(
                "DELETE FROM console_sessions WHERE id_hash = $1 RETURNING officer_id",
            )
            .bind(&hash)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(o) = officer {
                audit!(
                    tx,
                    at,
                    Some(o),
                    "console.logout",
                    format!("officer:{o}"),
                    ""
                );
            }
            tx.commit().await?;
            officer.is_some()
        });
        Ok(closed)
    }
}
