//! Citizens' identity accounts (tài khoản định danh điện tử): the account
//! rows, their one-time-code challenges, the SMS quota ledger, sessions,
//! events and the level-2 requests of declarations — all in the accounts
//! database (`Store::accounts_db`) — and the guardian links of the
//! population record (main database). Every change writes its event in its
//! own transaction; a lock or a password change ends every session of the
//! account in that transaction, so no request after it finds one.

use cancuoc_core::account::lockout::Failures;
use cancuoc_core::account::{AccountLevel, LevelMethod, OtpPurpose};

use crate::Store;
use crate::db::with_pool;
use crate::error::{Conflict, Entity, StoreError};
use crate::model::account::{
    Account, AccountActor, AccountEvent, AccountLock, AccountRecord, AccountSessionInfo, Challenge,
    EventContext, FailureKind, LevelGrant, LiveAccountSession, NewChallenge, SessionKind,
};
use crate::model::citizen::{Citizen, CitizenId};
use crate::model::officer::{OfficerId, Token, hex};
use crate::model::session::{OpenedSession, SessionLimits};

/// Challenges are kept this long after they end, then purged.
const CHALLENGE_KEEP_SECS: i64 = 3600;
/// Sends older than this are purged from the quota ledger.
const SMS_KEEP_SECS: i64 = 24 * 3600;
/// Characters of a session's public handle (hex of its id hash).
const HANDLE_CHARS: usize = 12;
/// Longest user agent kept.
const AGENT_MAX: usize = 200;

#[derive(sqlx::FromRow)]
struct AccountRow {
    citizen_id: i64,
    password_hash: Option<String>,
    level: i64,
    level_method: Option<String>,
    level_officer: Option<i64>,
    level_office: Option<i64>,
    level_at: Option<i64>,
    locked_at: Option<i64>,
    locked_by: Option<String>,
    lock_reason: Option<String>,
    pw_failures: i64,
    pw_failed_at: Option<i64>,
    otp_failures: i64,
    otp_failed_at: Option<i64>,
    created_at: i64,
    password_set_at: Option<i64>,
}

macro_rules! account_cols {
    () => {
        "citizen_id, password_hash, level, level_method, level_officer, level_office, \
         level_at, locked_at, locked_by, lock_reason, pw_failures, pw_failed_at, otp_failures, \
         otp_failed_at, created_at, password_set_at"
    };
}

fn failures(count: i64, at: Option<i64>) -> Option<Failures> {
    match (u32::try_from(count), at) {
        (Ok(count), Some(last_at)) if count > 0 => Some(Failures { count, last_at }),
        _ => None,
    }
}

impl AccountRow {
    fn into_record(self) -> Result<AccountRecord, StoreError> {
        let level = u8::try_from(self.level)
            .ok()
            .and_then(AccountLevel::from_u8)
            .ok_or_else(|| StoreError::corrupt("citizen_accounts.level", self.level.to_string()))?;
        let grant = match (self.level_method, self.level_at) {
            (Some(m), Some(at)) => Some(LevelGrant {
                method: LevelMethod::parse(&m)
                    .ok_or_else(|| StoreError::corrupt("citizen_accounts.level_method", m))?,
                officer: self.level_officer.map(OfficerId),
                office: self.level_office.and_then(|o| u16::try_from(o).ok()),
                at,
            }),
            _ => None,
        };
        let lock = match (self.locked_at, self.locked_by) {
            (Some(at), Some(by)) => Some(AccountLock {
                at,
                by: AccountActor::parse(&by)?,
                reason: self.lock_reason.unwrap_or_default(),
            }),
            _ => None,
        };
        Ok(AccountRecord {
            account: Account {
                citizen: CitizenId(self.citizen_id),
                level,
                grant,
                has_password: self.password_hash.is_some(),
                lock,
                password_failures: failures(self.pw_failures, self.pw_failed_at),
                otp_failures: failures(self.otp_failures, self.otp_failed_at),
                created_at: self.created_at,
                password_set_at: self.password_set_at,
            },
            password_hash: self.password_hash,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ChallengeRow {
    purpose: String,
    citizen_id: Option<i64>,
    phone: Option<String>,
    code_hash: Option<String>,
    step: i64,
    pending: Option<String>,
    created_at: i64,
    sent_at: Option<i64>,
    expires_at: i64,
    wrong: i64,
    used_at: Option<i64>,
}

impl ChallengeRow {
    fn into_model(self) -> Result<Challenge, StoreError> {
        Ok(Challenge {
            purpose: OtpPurpose::parse(&self.purpose)
                .ok_or_else(|| StoreError::corrupt("account_challenges.purpose", self.purpose))?,
            citizen: self.citizen_id.map(CitizenId),
            phone: self.phone,
            code_hash: self.code_hash,
            step: u8::try_from(self.step).unwrap_or(u8::MAX),
            pending: self.pending,
            created_at: self.created_at,
            sent_at: self.sent_at,
            expires_at: self.expires_at,
            wrong: u32::try_from(self.wrong).unwrap_or(u32::MAX),
            used: self.used_at.is_some(),
        })
    }
}

/// Writes one account event inside the transaction `$tx`.
macro_rules! event {
    ($tx:expr, $citizen:expr, $kind:expr, $ctx:expr, $details:expr) => {
        sqlx::query(
            "INSERT INTO account_events (citizen_id, at, kind, officer_id, client, details) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($citizen)
        .bind($ctx.at)
        .bind($kind)
        .bind($ctx.officer.map(|o: OfficerId| o.0))
        .bind($ctx.client)
        .bind($details)
        .execute(&mut *$tx)
        .await?
    };
}

impl Store {
    /// A citizen's account with its password hash, if they have one.
    pub async fn account(&self, citizen: CitizenId) -> Result<Option<AccountRecord>, StoreError> {
        let row: Option<AccountRow> = with_pool!(self.accounts_db(), |pool| {
            sqlx::query_as::<DB, AccountRow>(concat!(
                "SELECT ",
                account_cols!(),
                " FROM citizen_accounts WHERE citizen_id = $1"
            ))
            .bind(citizen.0)
            .fetch_optional(pool)
            .await?
        });
        row.map(AccountRow::into_record).transpose()
    }

    /// Registers a level-1 account with `password_hash` (đăng ký), or sets
    /// the first password of an account made without one (at card
    /// issuance or by an officer), keeping its level. An account that
    /// already has a password is a duplicate conflict.
    pub async fn register_account(
        &self,
        citizen: CitizenId,
        password_hash: &str,
        ctx: EventContext<'_>,
    ) -> Result<Account, StoreError> {
        with_pool!(self.accounts_db(), |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let has: Option<Option<String>> = sqlx::query_scalar::<DB, Option<String>>(
                "SELECT password_hash FROM citizen_accounts WHERE citizen_id = $1",
            )
            .bind(citizen.0)
            .fetch_optional(&mut *tx)
            .await?;
            match has {
                Some(Some(_)) => {
                    return Err(StoreError::Conflict(Conflict::Duplicate {
                        detail: "citizen_accounts.citizen_id".into(),
                    }));
                }
                Some(None) => {
                    sqlx::query(
                        "UPDATE citizen_accounts SET password_hash = $2, password_set_at = $3 \
                         WHERE citizen_id = $1",
                    )
                    .bind(citizen.0)
                    .bind(password_hash)
                    .bind(ctx.at)
                    .execute(&mut *tx)
                    .await?;
                    event!(tx, citizen.0, "register", ctx, "activated");
                }
                None => {
                    sqlx::query(
                        "INSERT INTO citizen_accounts \
                         (citizen_id, password_hash, level, created_at, password_set_at) \
                         VALUES ($1, $2, 1, $3, $3)",
                    )
                    .bind(citizen.0)
                    .bind(password_hash)
                    .bind(ctx.at)
                    .execute(&mut *tx)
                    .await?;
                    event!(tx, citizen.0, "register", ctx, "level 1");
                }
            }
            tx.commit().await?;
        });
        self.account(citizen)
            .await?
            .map(|r| r.account)
            .ok_or_else(|| StoreError::not_found(Entity::Account, citizen.0.to_string()))
    }

    /// Counts a failure of `kind` at `ctx.at` with its event, and answers
    /// the count: one more than before, or 1 when the last failure is
    /// `reset_secs` or more ago — Keycloak's failure reset, as
    /// `cancuoc_core::account::lockout::TemporaryLockout::after_failure`
    /// computes it (a contract test holds the two equal). Counted in SQL,
    /// so concurrent failures from many addresses are all counted.
    pub async fn record_account_failure(
        &self,
        citizen: CitizenId,
        kind: FailureKind,
        reset_secs: i64,
        ctx: EventContext<'_>,
    ) -> Result<Failures, StoreError> {
        let (sql, event) = match kind {
            FailureKind::Password => (
                "UPDATE citizen_accounts SET pw_failures = CASE \
                 WHEN pw_failed_at IS NOT NULL AND $2 - pw_failed_at < $3 THEN pw_failures + 1 \
                 ELSE 1 END, pw_failed_at = $2 WHERE citizen_id = $1 \
                 RETURNING pw_failures",
                "login_failed",
            ),
            FailureKind::Otp => (
                "UPDATE citizen_accounts SET otp_failures = CASE \
                 WHEN otp_failed_at IS NOT NULL AND $2 - otp_failed_at < $3 THEN otp_failures + 1 \
                 ELSE 1 END, otp_failed_at = $2 WHERE citizen_id = $1 \
                 RETURNING otp_failures",
                "otp_failed",
            ),
        };
        let count: Option<i64> = with_pool!(self.accounts_db(), |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let count = sqlx::query_scalar::<DB, i64>(sql)
                .bind(citizen.0)
                .bind(ctx.at)
                .bind(reset_secs)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(n) = count {
                event!(tx, citizen.0, event, ctx, format!("failure {n}"));
            }
            tx.commit().await?;
            count
        });
        let count =
            count.ok_or_else(|| StoreError::not_found(Entity::Account, citizen.0.to_string()))?;
        Ok(Failures {
            count: u32::try_from(count).unwrap_or(u32::MAX),
            last_at: ctx.at,
        })
    }

    /// Clears the failures of `kind` (after a success).
    pub async fn clear_account_failures(
        &self,
        citizen: CitizenId,
        kind: FailureKind,
    ) -> Result<(), StoreError> {
        let sql = match kind {
            FailureKind::Password => {
                "UPDATE citizen_accounts SET pw_failures = 0, pw_failed_at = NULL \
                 WHERE citizen_id = $1 AND pw_failures <> 0"
            }
            FailureKind::Otp => {
                "UPDATE citizen_accounts SET otp_failures = 0, otp_failed_at = NULL \
                 WHERE citizen_id = $1 AND otp_failures <> 0"
            }
        };
        with_pool!(self.accounts_db(), |pool| {
            sqlx::query(sql).bind(citizen.0).execute(pool).await?;
        });
        Ok(())
    }

    /// Sets a new password (đặt lại / đổi mật khẩu), clears the password
    /// failures and ends every session of the account, in one transaction;
    /// `kind` is the event (`password_reset`, `password_changed`). How many
    /// sessions ended.
    pub async fn set_account_password(
        &self,
        citizen: CitizenId,
        password_hash: &str,
        kind: &str,
        ctx: EventContext<'_>,
    ) -> Result<u64, StoreError> {
        Ok(with_pool!(self.accounts_db(), |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let n = sqlx::query(
                "UPDATE citizen_accounts SET password_hash = $2, password_set_at = $3, \
                 pw_failures = 0, pw_failed_at = NULL WHERE citizen_id = $1",
            )
            .bind(citizen.0)
            .bind(password_hash)
            .bind(ctx.at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::not_found(
                    Entity::Account,
                    citizen.0.to_string(),
                ));
            }
            let ended = sqlx::query("DELETE FROM account_sessions WHERE citizen_id = $1")
                .bind(citizen.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            // A login code asked for with the old password dies with it.
            sqlx::query("DELETE FROM account_challenges WHERE citizen_id = $1")
                .bind(citizen.0)
                .execute(&mut *tx)
                .await?;
            event!(tx, citizen.0, kind, ctx, format!("{ended} sessions ended"));
            tx.commit().await?;
            ended
        }))
    }

    /// Locks an account (khóa tài khoản) and ends every session, token and
    /// pending code of it in the same transaction. Whether the lock
    /// changed: it was unlocked, or an officer's lock took over the
    /// owner's (a second lock otherwise keeps the first one's time and
    /// reason). No account is not found.
    pub async fn lock_account(
        &self,
        citizen: CitizenId,
        by: AccountActor,
        reason: &str,
        ctx: EventContext<'_>,
    ) -> Result<bool, StoreError> {
        Ok(with_pool!(self.accounts_db(), |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let exists: Option<Option<i64>> = sqlx::query_scalar::<DB, Option<i64>>(
                "SELECT locked_at FROM citizen_accounts WHERE citizen_id = $1",
            )
            .bind(citizen.0)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(was) = exists else {
                return Err(StoreError::not_found(
                    Entity::Account,
                    citizen.0.to_string(),
                ));
            };
            // An officer's lock takes over the owner's: only an officer
            // lifts it then. Any other second lock keeps the first.
            let by_owner: Option<String> = sqlx::query_scalar::<DB, Option<String>>(
                "SELECT locked_by FROM citizen_accounts WHERE citizen_id = $1",
            )
            .bind(citizen.0)
            .fetch_one(&mut *tx)
            .await?;
            let takes_over = was.is_some()
                && matches!(by, AccountActor::Officer(_))
                && by_owner.as_deref() == Some("owner");
            if was.is_none() || takes_over {
                sqlx::query(
                    "UPDATE citizen_accounts SET locked_at = $2, locked_by = $3, lock_reason = $4 \
                     WHERE citizen_id = $1",
                )
                .bind(citizen.0)
                .bind(ctx.at)
                .bind(by.code())
                .bind(reason)
                .execute(&mut *tx)
                .await?;
            }
            let ended = sqlx::query("DELETE FROM account_sessions WHERE citizen_id = $1")
                .bind(citizen.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            // Codes asked for before the lock die with it (an unlock's
            // challenge begins after it).
            sqlx::query(
                "DELETE FROM account_challenges WHERE citizen_id = $1 AND purpose <> 'unlock'",
            )
            .bind(citizen.0)
            .execute(&mut *tx)
            .await?;
            event!(
                tx,
                citizen.0,
                "lock",
                ctx,
                format!("by {}; {ended} sessions ended; {reason}", by.code())
            );
            tx.commit().await?;
            was.is_none() || takes_over
        }))
    }

    /// Unlocks an account (mở khóa) and clears both failure counters.
    /// Whether it was locked.
    pub async fn unlock_account(
        &self,
        citizen: CitizenId,
        by: AccountActor,
        reason: &str,
        ctx: EventContext<'_>,
    ) -> Result<bool, StoreError> {
        Ok(with_pool!(self.accounts_db(), |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let n = sqlx::query(
                "UPDATE citizen_accounts SET locked_at = NULL, locked_by = NULL, \
                 lock_reason = NULL, pw_failures = 0, pw_failed_at = NULL, otp_failures = 0, \
                 otp_failed_at = NULL WHERE citizen_id = $1 AND locked_at IS NOT NULL",
            )
            .bind(citizen.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n > 0 {
                event!(
                    tx,
                    citizen.0,
                    "unlock",
                    ctx,
                    format!("by {}; {reason}", by.code())
                );
            }
            tx.commit().await?;
            n > 0
        }))
    }

    /// Sets an account's level (nâng / hạ mức độ) with how level 2 was
    /// granted (`None` when lowering to 1), making the account (without a
    /// password, for its owner to register) when the citizen has none yet.
    pub async fn set_account_level(
        &self,
        citizen: CitizenId,
        level: AccountLevel,
        grant: Option<LevelGrant>,
        reason: &str,
        ctx: EventContext<'_>,
    ) -> Result<Account, StoreError> {
        with_pool!(self.accounts_db(), |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            sqlx::query(
                "INSERT INTO citizen_accounts (citizen_id, level, created_at) VALUES ($1, 1, $2) \
                 ON CONFLICT (citizen_id) DO NOTHING",
            )
            .bind(citizen.0)
            .bind(ctx.at)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE citizen_accounts SET level = $2, level_method = $3, level_officer = $4, \
                 level_office = $5, level_at = $6 WHERE citizen_id = $1",
            )
            .bind(citizen.0)
            .bind(i64::from(level.as_u8()))
            .bind(grant.map(|g| g.method.code()))
            .bind(grant.and_then(|g| g.officer.map(|o| o.0)))
            .bind(grant.and_then(|g| g.office.map(i64::from)))
            .bind(grant.map(|g| g.at))
            .execute(&mut *tx)
            .await?;
            let method = grant.map_or("", |g| g.method.code());
            event!(
                tx,
                citizen.0,
                "level_change",
                ctx,
                format!("level {} {method}; {reason}", level.as_u8())
            );
            tx.commit().await?;
        });
        self.account(citizen)
            .await?
            .map(|r| r.account)
            .ok_or_else(|| StoreError::not_found(Entity::Account, citizen.0.to_string()))
    }

    /// Appends an event to an account's log (a login, a code sent…).
    pub async fn add_account_event(
        &self,
        citizen: CitizenId,
        kind: &str,
        details: &str,
        ctx: EventContext<'_>,
    ) -> Result<(), StoreError> {
        with_pool!(self.accounts_db(), |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            event!(tx, citizen.0, kind, ctx, details);
            tx.commit().await?;
        });
        Ok(())
    }

    /// An account's events, newest first, at most `limit`.
    pub async fn account_events(
        &self,
        citizen: CitizenId,
        limit: u32,
    ) -> Result<Vec<AccountEvent>, StoreError> {
        let rows: Vec<(i64, String, Option<i64>, String, String)> =
            with_pool!(self.accounts_db(), |pool| {
                sqlx::query_as::<DB, (i64, String, Option<i64>, String, String)>(
                    "SELECT at, kind, officer_id, client, details FROM account_events \
                     WHERE citizen_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
                )
                .bind(citizen.0)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?
            });
        Ok(rows
            .into_iter()
            .map(|(at, kind, officer, client, details)| AccountEvent {
                at,
                kind,
                officer: officer.map(OfficerId),
                client,
                details,
            })
            .collect())
    }

    /// Stores a new challenge under `id` (only its hash is kept) and
    /// purges those ended more than an hour ago.
    pub async fn create_challenge(&self, id: &Token, new: &NewChallenge) -> Result<(), StoreError> {
        with_pool!(self.accounts_db(), |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            sqlx::query("DELETE FROM account_challenges WHERE expires_at < $1")
                .bind(new.created_at - CHALLENGE_KEEP_SECS)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO account_challenges (id_hash, purpose, citizen_id, phone, code_hash, \
                 step, pending, created_at, sent_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(id.hash())
            .bind(new.purpose.code())
            .bind(new.citizen.map(|c| c.0))
            .bind(new.phone.as_deref())
            .bind(new.code_hash.as_deref())
            .bind(i64::from(new.step))
            .bind(new.pending.as_deref())
            .bind(new.created_at)
            .bind(new.sent_at)
            .bind(new.expires_at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The challenge with this id, spent or not.
    pub async fn challenge(&self, id: &Token) -> Result<Option<Challenge>, StoreError> {
        let row: Option<ChallengeRow> = with_pool!(self.accounts_db(), |pool| {
            sqlx::query_as::<DB, ChallengeRow>(
                "SELECT purpose, citizen_id, phone, code_hash, step, pending, created_at, \
                 sent_at, expires_at, wrong, used_at FROM account_challenges WHERE id_hash = $1",
            )
            .bind(id.hash())
            .fetch_optional(pool)
            .await?
        });
        row.map(ChallengeRow::into_model).transpose()
    }

    /// Counts a wrong code against an unspent challenge; the new count
    /// (`None`: spent or unknown). One `UPDATE … RETURNING`, so concurrent
    /// wrong codes are all counted.
    pub async fn challenge_wrong(&self, id: &Token) -> Result<Option<u32>, StoreError> {
        let n: Option<i64> = with_pool!(self.accounts_db(), |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let n = sqlx::query_scalar::<DB, i64>(
                "UPDATE account_challenges SET wrong = wrong + 1 \
                 WHERE id_hash = $1 AND used_at IS NULL RETURNING wrong",
            )
            .bind(id.hash())
            .fetch_optional(&mut *tx)
            .await?;
            tx.commit().await?;
            n
        });
        Ok(n.map(|n| u32::try_from(n).unwrap_or(u32::MAX)))
    }

    /// Spends a challenge at `now` if it is unspent and has fewer than
    /// `max_wrong` wrong codes: whether this call spent it (single use even
    /// under concurrent attempts).
    pub async fn spend_challenge(
        &self,
        id: &Token,
        max_wrong: u32,
        now: i64,
    ) -> Result<bool, StoreError> {
        Ok(with_pool!(self.accounts_db(), |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let n = sqlx::query(
                "UPDATE account_challenges SET used_at = $2 \
                 WHERE id_hash = $1 AND used_at IS NULL AND wrong < $3",
            )
            .bind(id.hash())
            .bind(now)
            .bind(i64::from(max_wrong))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            n == 1
        }))
    }

    /// Records a (new) code sent for an unspent challenge: its hash, when
    /// it was sent, the challenge's new end and step, and what the flow
    /// keeps (`pending`, unchanged when `None`). The wrong entries stay
    /// counted: a challenge allows five, whatever the codes sent for it.
    /// Whether the challenge was there to update.
    pub async fn challenge_sent(
        &self,
        id: &Token,
        code_hash: &str,
        sent_at: i64,
        expires_at: i64,
        step: u8,
        pending: Option<&str>,
    ) -> Result<bool, StoreError> {
        Ok(with_pool!(self.accounts_db(), |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let n = sqlx::query(
                "UPDATE account_challenges SET code_hash = $2, sent_at = $3, expires_at = $4, \
                 step = $5, pending = COALESCE($6, pending) \
                 WHERE id_hash = $1 AND used_at IS NULL",
            )
            .bind(id.hash())
            .bind(code_hash)
            .bind(sent_at)
            .bind(expires_at)
            .bind(i64::from(step))
            .bind(pending)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            n == 1
        }))
    }

    /// Records a message of quota `class` sent to `phone` (the hourly
    /// quota's ledger) and purges entries older than a day.
    pub async fn record_sms(&self, phone: &str, class: &str, at: i64) -> Result<(), StoreError> {
        with_pool!(self.accounts_db(), |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            sqlx::query("DELETE FROM sms_sends WHERE at < $1")
                .bind(at - SMS_KEEP_SECS)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO sms_sends (phone, at, purpose) VALUES ($1, $2, $3)")
                .bind(phone)
                .bind(at)
                .bind(class)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// How many messages of quota `class` went to `phone` since `since`,
    /// and when the first and the last of them did.
    pub async fn sms_sent_since(
        &self,
        phone: &str,
        class: &str,
        since: i64,
    ) -> Result<(u32, Option<i64>, Option<i64>), StoreError> {
        let (n, first, last): (i64, Option<i64>, Option<i64>) =
            with_pool!(self.accounts_db(), |pool| {
                sqlx::query_as::<DB, (i64, Option<i64>, Option<i64>)>(
                    "SELECT COUNT(*), MIN(at), MAX(at) FROM sms_sends \
                     WHERE phone = $1 AND purpose = $2 AND at >= $3",
                )
                .bind(phone)
                .bind(class)
                .bind(since)
                .fetch_one(pool)
                .await?
            });
        Ok((u32::try_from(n).unwrap_or(u32::MAX), first, last))
    }

    /// Opens a session of an unlocked account with a password (a locked,
    /// unknown or password-less account is not found), purging the
    /// account's sessions past `limits`.
    pub async fn open_account_session(
        &self,
        citizen: CitizenId,
        kind: SessionKind,
        client: &str,
        agent: &str,
        limits: SessionLimits,
        at: i64,
    ) -> Result<OpenedSession, StoreError> {
        let id = Token::generate();
        let csrf = hex(&rand::random::<[u8; 32]>());
        let agent: String = agent.chars().take(AGENT_MAX).collect();
        with_pool!(self.accounts_db(), |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let open: Option<i64> = sqlx::query_scalar::<DB, i64>(
                "SELECT citizen_id FROM citizen_accounts WHERE citizen_id = $1 \
                 AND locked_at IS NULL AND password_hash IS NOT NULL",
            )
            .bind(citizen.0)
            .fetch_optional(&mut *tx)
            .await?;
            if open.is_none() {
                return Err(StoreError::not_found(
                    Entity::Account,
                    citizen.0.to_string(),
                ));
            }
            sqlx::query(
                "DELETE FROM account_sessions WHERE citizen_id = $1 \
                 AND (last_seen < $2 OR created_at < $3)",
            )
            .bind(citizen.0)
            .bind(at - limits.idle_secs)
            .bind(at - limits.max_secs)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO account_sessions \
                 (id_hash, citizen_id, kind, csrf, created_at, last_seen, client, agent) \
                 VALUES ($1, $2, $3, $4, $5, $5, $6, $7)",
            )
            .bind(id.hash())
            .bind(citizen.0)
            .bind(kind.code())
            .bind(&csrf)
            .bind(at)
            .bind(client)
            .bind(&agent)
            .execute(&mut *tx)
            .await?;
            let ctx = EventContext {
                at,
                officer: None,
                client,
            };
            event!(tx, citizen.0, "login", ctx, kind.code());
            tx.commit().await?;
        });
        Ok(OpenedSession { id, csrf })
    }

    /// The live session with this id at `now`, touched; `None` when
    /// unknown, past `limits` (then deleted) or its account locked.
    pub async fn account_session(
        &self,
        id: &Token,
        limits: SessionLimits,
        now: i64,
    ) -> Result<Option<LiveAccountSession>, StoreError> {
        let hash = id.hash();
        let row: Option<(i64, String, String, i64, i64, Option<i64>)> = with_pool!(
            self.accounts_db(),
            |pool| {
                let mut tx = pool.begin_with(BEGIN_WRITE).await?;
                let row = sqlx::query_as::<DB, (i64, String, String, i64, i64, Option<i64>)>(
                    "SELECT s.citizen_id, s.kind, s.csrf, s.created_at, s.last_seen, a.locked_at \
                     FROM account_sessions s JOIN citizen_accounts a ON a.citizen_id = s.citizen_id \
                     WHERE s.id_hash = $1",
                )
                .bind(&hash)
                .fetch_optional(&mut *tx)
                .await?;
                let live = row.filter(|r| {
                    r.5.is_none() && r.4 >= now - limits.idle_secs && r.3 >= now - limits.max_secs
                });
                if live.is_some() {
                    sqlx::query(
                        "UPDATE account_sessions SET last_seen = $1 \
                         WHERE id_hash = $2 AND last_seen < $1",
                    )
                    .bind(now)
                    .bind(&hash)
                    .execute(&mut *tx)
                    .await?;
                } else {
                    sqlx::query("DELETE FROM account_sessions WHERE id_hash = $1")
                        .bind(&hash)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                live
            }
        );
        row.map(|(citizen, kind, csrf, created_at, last_seen, _)| {
            Ok(LiveAccountSession {
                citizen: CitizenId(citizen),
                kind: SessionKind::parse(&kind)?,
                csrf,
                handle: hash[..HANDLE_CHARS].to_owned(),
                created_at,
                last_seen: last_seen.max(now),
            })
        })
        .transpose()
    }

    /// Ends the session with this id (đăng xuất); whether there was one.
    pub async fn close_account_session(
        &self,
        id: &Token,
        ctx: EventContext<'_>,
    ) -> Result<bool, StoreError> {
        Ok(with_pool!(self.accounts_db(), |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let citizen: Option<i64> = sqlx::query_scalar::<DB, i64>(
                "DELETE FROM account_sessions WHERE id_hash = $1 RETURNING citizen_id",
            )
            .bind(id.hash())
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(c) = citizen {
                event!(tx, c, "logout", ctx, "");
            }
            tx.commit().await?;
            citizen.is_some()
        }))
    }

    /// An account's live sessions at `now`, newest first.
    pub async fn account_sessions(
        &self,
        citizen: CitizenId,
        limits: SessionLimits,
        now: i64,
    ) -> Result<Vec<AccountSessionInfo>, StoreError> {
        let rows: Vec<(String, String, i64, i64, String, String)> =
            with_pool!(self.accounts_db(), |pool| {
                sqlx::query_as::<DB, (String, String, i64, i64, String, String)>(
                    "SELECT id_hash, kind, created_at, last_seen, client, agent \
                     FROM account_sessions WHERE citizen_id = $1 AND last_seen >= $2 \
                     AND created_at >= $3 ORDER BY created_at DESC",
                )
                .bind(citizen.0)
                .bind(now - limits.idle_secs)
                .bind(now - limits.max_secs)
                .fetch_all(pool)
                .await?
            });
        rows.into_iter()
            .map(|(hash, kind, created_at, last_seen, client, agent)| {
                Ok(AccountSessionInfo {
                    handle: hash[..HANDLE_CHARS.min(hash.len())].to_owned(),
                    kind: SessionKind::parse(&kind)?,
                    created_at,
                    last_seen,
                    client,
                    agent,
                })
            })
            .collect()
    }

    /// Ends one session of the account by its handle, or all of them
    /// (`None`); how many ended.
    pub async fn revoke_account_sessions(
        &self,
        citizen: CitizenId,
        handle: Option<&str>,
        ctx: EventContext<'_>,
    ) -> Result<u64, StoreError> {
        // A handle is hex; anything else would be a LIKE pattern.
        if let Some(h) = handle
            && (h.len() != HANDLE_CHARS || !h.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            return Ok(0);
        }
        Ok(with_pool!(self.accounts_db(), |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let n = match handle {
                Some(h) => sqlx::query(
                    "DELETE FROM account_sessions WHERE citizen_id = $1 AND id_hash LIKE $2",
                )
                .bind(citizen.0)
                .bind(format!("{}%", h.to_ascii_lowercase()))
                .execute(&mut *tx)
                .await?
                .rows_affected(),
                None => sqlx::query("DELETE FROM account_sessions WHERE citizen_id = $1")
                    .bind(citizen.0)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected(),
            };
            if n > 0 {
                event!(tx, citizen.0, "session_revoked", ctx, format!("{n}"));
            }
            tx.commit().await?;
            n
        }))
    }

    /// Records that a citizen asked on a declaration for a level-2 account
    /// with their card.
    pub async fn request_account(&self, citizen: CitizenId, at: i64) -> Result<(), StoreError> {
        with_pool!(self.accounts_db(), |pool| {
            sqlx::query(
                "INSERT INTO account_requests (citizen_id, requested_at) VALUES ($1, $2) \
                 ON CONFLICT (citizen_id) DO NOTHING",
            )
            .bind(citizen.0)
            .bind(at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Takes a citizen's request for a level-2 account, if there is one
    /// (once: a second call finds none).
    pub async fn take_account_request(&self, citizen: CitizenId) -> Result<bool, StoreError> {
        Ok(with_pool!(self.accounts_db(), |pool| {
            sqlx::query("DELETE FROM account_requests WHERE citizen_id = $1")
                .bind(citizen.0)
                .execute(pool)
                .await?
                .rows_affected()
                == 1
        }))
    }

    /// Links a child to a parent or guardian on the population record
    /// (`relation`: `father`, `mother`, `guardian`); linking again changes
    /// the relation.
    pub async fn link_guardian(
        &self,
        child: CitizenId,
        guardian: CitizenId,
        relation: &str,
    ) -> Result<(), StoreError> {
        if !matches!(relation, "father" | "mother" | "guardian") {
            return Err(StoreError::field(
                "relation",
                "must be father, mother or guardian",
            ));
        }
        if child == guardian {
            return Err(StoreError::field(
                "guardian",
                "a citizen cannot be their own guardian",
            ));
        }
        with_pool!(&self.db, |pool| {
            sqlx::query(
                "INSERT INTO citizen_guardians (child_id, guardian_id, relation) \
                 VALUES ($1, $2, $3) ON CONFLICT (child_id, guardian_id) \
                 DO UPDATE SET relation = excluded.relation",
            )
            .bind(child.0)
            .bind(guardian.0)
            .bind(relation)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// The children linked to a guardian on the population record, with
    /// the relation, ordered by record id.
    pub async fn children_of(
        &self,
        guardian: CitizenId,
    ) -> Result<Vec<(Citizen, String)>, StoreError> {
        let links: Vec<(i64, String)> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, (i64, String)>(
                "SELECT child_id, relation FROM citizen_guardians WHERE guardian_id = $1 \
                 ORDER BY child_id",
            )
            .bind(guardian.0)
            .fetch_all(pool)
            .await?
        });
        let mut out = Vec::with_capacity(links.len());
        for (child, relation) in links {
            out.push((self.citizen(CitizenId(child)).await?, relation));
        }
        Ok(out)
    }
}
