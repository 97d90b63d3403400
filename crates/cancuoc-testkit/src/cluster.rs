//! A PostgreSQL primary and its streaming hot standby for one test
//! (`scripts/pg-cluster.sh` with its own folder), which the test may stop,
//! restart and promote, and whose standby it may stop replaying: the read
//! replica and failover tests. Stopped and removed when dropped.
//!
//! Without PostgreSQL binaries a test prints a skip line and passes,
//! unless `CANCUOC_REQUIRE_PG` is set (CI), as for
//! [`crate::faults::PgServer`].

use std::path::{Path, PathBuf};
use std::process::Command;

use sqlx::Connection;

use crate::{on_own_thread, unique};

/// A primary and a hot standby streaming from it.
#[derive(Debug)]
pub struct PgCluster {
    state: PathBuf,
    primary: String,
    replica: String,
    both: String,
}

impl PgCluster {
    /// The script, from the workspace root.
    fn script() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/pg-cluster.sh")
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        Command::new(Self::script())
            .args(args)
            .env("CANCUOC_PG_STATE_DIR", &self.state)
            .output()
            .expect("run scripts/pg-cluster.sh")
    }

    fn must(&self, args: &[&str]) {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "pg-cluster.sh {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Starts a new cluster, or prints a skip line for `test` and returns
    /// `None` when this machine has no PostgreSQL binaries (panics instead
    /// when `CANCUOC_REQUIRE_PG` is set).
    pub fn start(test: &str) -> Option<PgCluster> {
        let mut cluster = PgCluster {
            state: std::env::temp_dir().join(unique("cancuoc_pg_cluster")),
            primary: String::new(),
            replica: String::new(),
            both: String::new(),
        };
        let out = cluster.run(&["start"]);
        let text = String::from_utf8_lossy(&out.stdout);
        let line = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{name}=")))
                .map(str::to_owned)
        };
        match (
            line("CANCUOC_PG_PRIMARY_URL"),
            line("CANCUOC_PG_REPLICA_URL"),
            line("CANCUOC_PG_CLUSTER_URL"),
        ) {
            (Some(p), Some(r), Some(b)) if out.status.success() => {
                cluster.primary = p;
                cluster.replica = r;
                cluster.both = b;
                Some(cluster)
            }
            _ => {
                assert!(
                    std::env::var_os(crate::REQUIRE_PG_VAR).is_none(),
                    "{} is set but a PostgreSQL cluster could not be started: {}",
                    crate::REQUIRE_PG_VAR,
                    String::from_utf8_lossy(&out.stderr)
                );
                eprintln!("SKIP {test}: no PostgreSQL server binaries here");
                None
            }
        }
    }

    /// The primary's URL.
    pub fn primary_url(&self) -> &str {
        &self.primary
    }

    /// The standby's URL (a primary itself after [`PgCluster::promote`]).
    pub fn replica_url(&self) -> &str {
        &self.replica
    }

    /// Both hosts in one libpq-style URL, the primary first.
    pub fn both_url(&self) -> &str {
        &self.both
    }

    /// Stops the primary (a fast shutdown: sessions are ended, the data
    /// kept, every committed record handed to the standby).
    pub fn stop_primary(&self) {
        self.must(&["pause", "primary"]);
    }

    /// Starts the primary again on its port.
    pub fn start_primary(&self) {
        self.must(&["resume", "primary"]);
    }

    /// Stops the standby server.
    pub fn stop_replica(&self) {
        self.must(&["pause", "standby"]);
    }

    /// Starts the standby server again.
    pub fn start_replica(&self) {
        self.must(&["resume", "standby"]);
    }

    /// Stops the primary and promotes the standby to primary.
    pub fn promote(&self) {
        self.must(&["promote"]);
    }

    /// Runs `sql` on the standby (`pg_wal_replay_pause()`, …), ignoring
    /// its rows.
    fn on_replica(&self, sql: &'static str) {
        let url = self.replica.clone();
        on_own_thread(async move {
            let mut conn = sqlx::PgConnection::connect(&url)
                .await
                .unwrap_or_else(|e| panic!("connect to the standby: {e}"));
            sqlx::raw_sql(sql)
                .execute(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{sql} on the standby: {e}"));
        });
    }

    /// Stops the standby's replay (it keeps receiving WAL): its lag grows
    /// with every commit on the primary.
    pub fn pause_replay(&self) {
        self.on_replica("SELECT pg_wal_replay_pause()");
    }

    /// Waits (at most 20 s) until the standby has replayed everything the
    /// primary has written so far.
    pub fn wait_replayed(&self) {
        let (primary, replica) = (self.primary.clone(), self.replica.clone());
        on_own_thread(async move {
            let mut conn = sqlx::PgConnection::connect(&primary)
                .await
                .unwrap_or_else(|e| panic!("connect to the primary: {e}"));
            let lsn: String = sqlx::query_scalar("SELECT pg_current_wal_lsn()::text")
                .fetch_one(&mut conn)
                .await
                .expect("the primary's WAL position");
            let mut standby = sqlx::PgConnection::connect(&replica)
                .await
                .unwrap_or_else(|e| panic!("connect to the standby: {e}"));
            let start = std::time::Instant::now();
            loop {
                let done: bool =
                    sqlx::query_scalar("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn")
                        .bind(&lsn)
                        .fetch_one(&mut standby)
                        .await
                        .expect("the standby's replay position");
                if done {
                    return;
                }
                assert!(
                    start.elapsed() < std::time::Duration::from_secs(20),
                    "the standby has not replayed {lsn} after 20 s"
                );
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        });
    }

    /// Lets the standby replay again.
    pub fn resume_replay(&self) {
        self.on_replica("SELECT pg_wal_replay_resume()");
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let _ = self.run(&["stop"]);
    }
}
