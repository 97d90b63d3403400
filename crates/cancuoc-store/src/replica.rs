//! Read replicas (bản sao chỉ đọc) of a PostgreSQL store: the pools of the
//! hot standbys the public read paths (status lookups, the portal's public
//! pages, the channels' lookups) read from, each with its replay lag
//! checked, and the fallback to the primary past the configured lag.
//!
//! An officer's own reads (after a write, or any console page) always go
//! to the primary: only the public paths ask [`crate::Store`] for its
//! public reader.

use crate::db::Db;

/// One replica as the metrics and the readiness probe report it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicaLag {
    /// The replica's URL, password redacted.
    pub url: String,
    /// Seconds of replay lag at the last check; `None` when the replica
    /// could not be asked.
    pub lag_seconds: Option<f64>,
    /// Whether public reads go to it now (reachable and within the lag
    /// bound).
    pub used: bool,
}

/// The replicas of a store.
#[derive(Debug, Default)]
pub(crate) struct Replicas {}

impl Replicas {
    /// The replica a public read goes to now, `None` for the primary.
    pub(crate) fn pick(&self) -> Option<&Db> {
        None
    }

    /// Every replica's lag as last checked.
    pub(crate) fn lags(&self) -> Vec<ReplicaLag> {
        Vec::new()
    }
}
