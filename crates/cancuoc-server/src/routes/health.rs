//! Probes (kiểm tra tình trạng): liveness and readiness. Readiness says
//! which part of the store is down and why (the PostgreSQL primary
//! unreachable or a standby, naming its `host:port`; an SQLite folder that
//! cannot take a write), and reports the read replicas, which never make
//! the server unready: public reads fall back to the primary.
//!
//! The details (hosts, ports, replicas) are for operators: the clients of
//! `AppConfig::metrics_networks`, as for `/metrics`. Anyone else (a load
//! balancer's probe needs only the status) reads which part is down, in
//! words that name no host, and no replicas; the full reason goes to the
//! log.

use axum::extract::{Request, State};
use cancuoc_service::{DbPart, NotReady};
use cancuoc_web::client::ClientIp;
use serde::Serialize;
use utoipa::ToSchema;

use super::{OPS, PROBLEM};
use crate::app::App;
use crate::error::{ApiError, ProblemBody};
use crate::extract::Json;
use crate::metrics::peer_of;

/// A probe's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
    /// The read replicas (PostgreSQL), when the server has any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    pub replicas: Vec<ReplicaHealth>,
}

/// A read replica as the readiness probe reports it (bản sao chỉ đọc).
#[derive(Debug, Serialize, ToSchema)]
pub struct ReplicaHealth {
    /// The replica's `host:port`.
    pub host: String,
    /// Seconds of replay lag at the last check (at most a second ago);
    /// absent when the replica could not be asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub lag_seconds: Option<f64>,
    /// Whether public reads go to it now (reachable, within the lag
    /// bound).
    pub used: bool,
    /// Whether it answered as a primary (promoted): still read, no longer
    /// following this server's primary.
    pub promoted: bool,
}

/// The `host:port` of a database URL (its password already redacted):
/// the authority after any user, before the path.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    authority
        .rsplit_once('@')
        .map_or(authority, |(_, h)| h)
        .to_owned()
}

/// The process is up (tiến trình đang chạy).
#[utoipa::path(get, path = "/healthz", tag = OPS,
    responses((status = 200, description = "The process is up", body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok",
        replicas: Vec::new(),
    })
}

/// What a client outside the operators' networks reads of a part that is
/// down: the part, no host, no cause.
fn undisclosed(down: NotReady) -> NotReady {
    let cause = down.cause.as_ref().map(|c| cancuoc_service::cause_chain(c));
    tracing::warn!(reason = %down.reason_en, cause = ?cause, "not ready");
    let (vi, en) = match down.part {
        DbPart::Accounts => (
            "cơ sở dữ liệu tài khoản không sẵn sàng",
            "the accounts database is not ready",
        ),
        DbPart::Captchas => (
            "cơ sở dữ liệu mã xác nhận không sẵn sàng",
            "the captcha database is not ready",
        ),
        _ => (
            "cơ sở dữ liệu chính không sẵn sàng",
            "the main database is not ready",
        ),
    };
    NotReady {
        part: down.part,
        reason_vi: vi.to_owned(),
        reason_en: en.to_owned(),
        cause: None,
    }
}

/// The database takes writes (cơ sở dữ liệu sẵn sàng); 503 naming the part
/// that is down when it does not. Hosts, causes and the replicas are told
/// to the operators' networks only (`metrics_networks`).
#[utoipa::path(get, path = "/readyz", tag = OPS,
    responses(
        (status = 200, description = "The database takes writes; to the operators' networks, the read replicas' state beside it", body = Health),
        (status = 503, description = "A part of the database is down: the message says which, and to the operators' networks why (the host that is down)", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn readyz(State(app): State<App>, req: Request) -> Result<Json<Health>, ApiError> {
    let operator = app.metrics().is_some_and(|m| {
        let client = req.extensions().get::<ClientIp>().map(|c| c.0);
        m.allows(peer_of(req.extensions()), client, req.headers())
    });
    let r = app.service().readiness().await;
    if let Some(down) = r.not_ready {
        let down = if operator { down } else { undisclosed(down) };
        return Err(ApiError::NotReady(Box::new(down)));
    }
    Ok(Json(Health {
        status: "ok",
        replicas: r
            .replicas
            .into_iter()
            .filter(|_| operator)
            .map(|l| ReplicaHealth {
                host: host_of(&l.url),
                lag_seconds: l.lag_seconds,
                used: l.used,
                promoted: l.promoted,
            })
            .collect(),
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_replica_is_named_by_its_host_and_port_only() {
        for (url, want) in [
            ("postgres://u:***@10.0.0.5:5432/cancuoc", "10.0.0.5:5432"),
            ("postgres://replica:5433/db?sslmode=require", "replica:5433"),
            ("postgresql://u@[::1]:5432", "[::1]:5432"),
        ] {
            assert_eq!(super::host_of(url), want, "{url}");
        }
    }
}
