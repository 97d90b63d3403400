//! The readiness verdict of a store (tình trạng sẵn sàng), for `/readyz`:
//! whether it can serve, and when it cannot, which part is down and why,
//! in words an operator can act on ("primary database unreachable
//! (10.0.0.5:5432)"). Replicas are reported beside it and never make a
//! store unready: public reads fall back to the primary.
//!
//! The reasons name a PostgreSQL host as `host:port` only (never a user,
//! a password or a database name), and an SQLite store's part, never its
//! path.

use crate::db::{Db, with_pool};
use crate::error::StoreError;
use crate::failover::HostState;
use crate::replica::ReplicaLag;
use crate::{Store, db};

/// Which database of a store a verdict is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DbPart {
    /// The main database: the PostgreSQL primary, or the SQLite file.
    Primary,
    /// An SQLite file store's accounts database (`<stem>.accounts.db`).
    Accounts,
    /// An SQLite file store's captcha database (`<stem>.captcha.db`).
    Captchas,
}

/// Why a store cannot serve now.
#[derive(Debug)]
pub struct NotReady {
    /// The part that is down.
    pub part: DbPart,
    /// Why, in Vietnamese.
    pub reason_vi: String,
    /// Why, in English.
    pub reason_en: String,
    /// The error the check met, when it met one (a standby answers
    /// without an error).
    pub cause: Option<StoreError>,
}

/// What the readiness probe found.
#[derive(Debug)]
pub struct Readiness {
    /// Why the store cannot serve, `None` when it can.
    pub not_ready: Option<NotReady>,
    /// Every read replica as last checked (they never make the store
    /// unready).
    pub replicas: Vec<ReplicaLag>,
}

impl Store {
    /// Whether this store can serve, and if not which part is down and
    /// why (see [`NotReady`]), with its replicas' state: the primary takes
    /// writes (PostgreSQL: it answers and is not in recovery; several
    /// hosts: each is probed to say what it is), an SQLite file store's
    /// databases answer and its folder takes a write.
    pub async fn readiness(&self) -> Readiness {
        Readiness {
            not_ready: self.check_ready().await.err(),
            replicas: self.replica_lags(),
        }
    }

    async fn check_ready(&self) -> Result<(), NotReady> {
        match &self.db {
            Db::Postgres(pool) => {
                let standby = sqlx::query_scalar::<_, bool>("SELECT pg_is_in_recovery()")
                    .fetch_one(pool)
                    .await;
                match standby {
                    Ok(false) => {}
                    Ok(true) => {
                        let host = self.primary.as_deref().map_or("", |p| p.current_label());
                        return Err(NotReady {
                            part: DbPart::Primary,
                            reason_vi: format!(
                                "cơ sở dữ liệu chính ({host}) là máy chủ dự phòng, không ghi được"
                            ),
                            reason_en: format!(
                                "primary database ({host}) is a standby in recovery and takes no writes"
                            ),
                            cause: None,
                        });
                    }
                    Err(e) => return Err(self.primary_down(e.into()).await),
                }
            }
            Db::Sqlite(pool) => {
                if let Err(e) = sqlx::query("SELECT 1").execute(pool).await {
                    return Err(sqlite_down(DbPart::Primary, e.into()));
                }
            }
        }
        for (part, side) in [
            (DbPart::Accounts, self.accounts.as_ref()),
            (DbPart::Captchas, self.side.as_ref()),
        ] {
            let Some(side) = side else { continue };
            let answered = with_pool!(side, |pool| sqlx::query("SELECT 1")
                .execute(pool)
                .await
                .map(|_| ()));
            if let Err(e) = answered {
                return Err(sqlite_down(part, e.into()));
            }
        }
        if let Some(file) = &self.file {
            let file = file.clone();
            let probed = tokio::task::spawn_blocking(move || db::probe_writable(&file))
                .await
                .map_err(|e| StoreError::Database(sqlx::Error::Io(std::io::Error::other(e))))
                .and_then(|r| r);
            if let Err(e) = probed {
                return Err(NotReady {
                    part: DbPart::Primary,
                    reason_vi: "thư mục cơ sở dữ liệu không ghi được (đĩa đầy hoặc chỉ đọc)".into(),
                    reason_en: "the database folder cannot take a write (disk full or read-only)"
                        .into(),
                    cause: Some(e),
                });
            }
        }
        Ok(())
    }

    /// The verdict on a PostgreSQL primary that gave no answer: what each
    /// of its hosts is, probed now.
    async fn primary_down(&self, cause: StoreError) -> NotReady {
        let Some(primary) = self.primary.as_deref() else {
            return NotReady {
                part: DbPart::Primary,
                reason_vi: "không kết nối được cơ sở dữ liệu chính".into(),
                reason_en: "primary database unreachable".into(),
                cause: Some(cause),
            };
        };
        let hosts = primary.survey().await;
        let (reason_vi, reason_en) = match hosts.as_slice() {
            [(host, HostState::Unreachable)] => (
                format!("không kết nối được cơ sở dữ liệu chính ({host})"),
                format!("primary database unreachable ({host})"),
            ),
            [(host, HostState::Standby)] => (
                format!("cơ sở dữ liệu chính ({host}) là máy chủ dự phòng, không ghi được"),
                format!("primary database ({host}) is a standby in recovery and takes no writes"),
            ),
            [(host, HostState::Writable)] => (
                format!("cơ sở dữ liệu chính ({host}) không cấp kết nối kịp (quá tải)"),
                format!("primary database ({host}) gave no connection in time (overloaded)"),
            ),
            several if several.iter().any(|(_, s)| *s == HostState::Writable) => {
                let now = primary.current_label();
                (
                    format!(
                        "cơ sở dữ liệu chính ({now}) không trả lời; đang chuyển sang máy chủ ghi được: {}",
                        list(several, HostState::label_vi)
                    ),
                    format!(
                        "primary database ({now}) does not answer; switching to the writable host: {}",
                        list(several, HostState::label_en)
                    ),
                )
            }
            several => (
                format!(
                    "không máy chủ nào của cơ sở dữ liệu chính ghi được: {}",
                    list(several, HostState::label_vi)
                ),
                format!(
                    "no host of the primary database takes writes: {}",
                    list(several, HostState::label_en)
                ),
            ),
        };
        NotReady {
            part: DbPart::Primary,
            reason_vi,
            reason_en,
            cause: Some(cause),
        }
    }
}

/// `h1:p (state), h2:p (state)`.
fn list(hosts: &[(String, HostState)], word: fn(HostState) -> &'static str) -> String {
    hosts
        .iter()
        .map(|(h, s)| format!("{h} ({})", word(*s)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The verdict on an SQLite database that gave no answer.
fn sqlite_down(part: DbPart, cause: StoreError) -> NotReady {
    let (vi, en) = match part {
        DbPart::Primary => ("cơ sở dữ liệu", "the database"),
        DbPart::Accounts => ("cơ sở dữ liệu tài khoản", "the accounts database"),
        DbPart::Captchas => ("cơ sở dữ liệu mã xác nhận", "the captcha database"),
    };
    NotReady {
        part,
        reason_vi: format!("{vi} không trả lời"),
        reason_en: format!("{en} does not answer"),
        cause: Some(cause),
    }
}
