//! Read replicas on a real primary and hot standby (`cancuoc-testkit`'s
//! `PgCluster`, `scripts/pg-cluster.sh`): a public read goes to a replica
//! within the lag bound — proved by stopping the standby's replay and
//! moving a dossier on the primary, after which the replica still answers
//! the old state — and to the primary once the lag passes the bound or the
//! replica is down, without an error; an officer's read always goes to the
//! primary; a replica down never makes the store unready.

#[allow(dead_code, unused_imports)]
#[path = "contract/fixtures.rs"]
mod fixtures;

use std::time::{Duration, Instant};

use cancuoc_core::dossier::workflow::State;
use cancuoc_store::Store;
use cancuoc_testkit::cluster::PgCluster;

/// Waits (polling every 100 ms, at most 20 s) until `ok` holds.
async fn until<F: AsyncFnMut() -> bool>(what: &str, mut ok: F) {
    let start = Instant::now();
    while !ok().await {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "still not true after 20 s: {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_reads_go_to_a_fresh_replica_and_to_the_primary_past_the_lag_bound() {
    let Some(cluster) = PgCluster::start("public_reads_go_to_a_fresh_replica") else {
        return;
    };
    let primary = Store::connect(cluster.primary_url())
        .await
        .expect("primary");
    let w = fixtures::world(primary.clone()).await;
    let citizen = fixtures::add_citizen(&primary, "Lê Văn Bản", "079090012345").await;
    let d = fixtures::received(&w, 7, citizen.id).await;

    let replica = [cluster.replica_url().to_owned()];
    // The same replica under two bounds: an hour (always read while it
    // answers) and one second.
    let loose = Store::connect(cluster.primary_url())
        .await
        .expect("connect")
        .with_replicas(&replica, Duration::from_secs(3600))
        .expect("replicas");
    let strict = Store::connect(cluster.primary_url())
        .await
        .expect("connect")
        .with_replicas(&replica, Duration::from_secs(1))
        .expect("replicas");
    until(
        "the replica is in use and has replayed the dossier",
        async || {
            strict.replica_lags()[0].used
                && loose.replica_lags()[0].used
                && loose.status_by_code(d.code).await.is_ok()
        },
    )
    .await;
    let lag = &strict.replica_lags()[0];
    assert!(!lag.promoted, "{lag:?}");
    assert_eq!(lag.url, cluster.replica_url(), "no password to redact");

    // Replay stopped (once it has replayed everything, so it holds no
    // lock of a half-replayed transaction), then the dossier moves on the
    // primary: the replica keeps the old state and its lag grows.
    cluster.wait_replayed();
    cluster.pause_replay();
    fixtures::capture(&primary, &d, &w.receptionist.officer).await;
    until("the one-second bound drops the replica", async || {
        !strict.replica_lags()[0].used
    })
    .await;
    let lag = strict.replica_lags()[0]
        .lag_seconds
        .expect("a measured lag");
    assert!(lag > 1.0, "lag {lag} s");
    assert_eq!(
        loose.status_by_code(d.code).await.expect("status").state,
        State::Received,
        "within the hour's bound the lookup reads the paused replica"
    );
    assert_eq!(
        loose.public_dossier(d.code).await.expect("dossier").version,
        1,
        "the public view reads the replica too"
    );
    assert_eq!(
        strict.status_by_code(d.code).await.expect("status").state,
        State::Captured,
        "past the bound the lookup reads the primary"
    );
    assert_eq!(
        loose
            .status_by_code_primary(d.code)
            .await
            .expect("status")
            .state,
        State::Captured,
        "an officer's read goes to the primary whatever the replica"
    );
    assert_eq!(loose.dossier(d.code).await.expect("dossier").version, 3);

    // Replay resumed: the replica catches up and is read again.
    cluster.resume_replay();
    until("the replica catches up and is in use again", async || {
        strict.replica_lags()[0].used
            && loose
                .status_by_code(d.code)
                .await
                .is_ok_and(|s| s.state == State::Captured)
    })
    .await;

    // The replica stops: reads in flight fall back to the primary, and
    // the next check takes it out of use; the store stays ready.
    cluster.stop_replica();
    for _ in 0..5 {
        let s = loose
            .status_by_code(d.code)
            .await
            .expect("a replica down falls back to the primary");
        assert_eq!(s.state, State::Captured);
    }
    until("the replica reads as down", async || {
        let l = &loose.replica_lags()[0];
        l.lag_seconds.is_none() && !l.used
    })
    .await;
    let ready = loose.readiness().await;
    assert!(ready.not_ready.is_none(), "{:?}", ready.not_ready);
    assert_eq!(ready.replicas.len(), 1);
    assert!(!ready.replicas[0].used);

    for s in [&loose, &strict, &primary] {
        s.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_beside_an_sqlite_store_is_refused() {
    let s = Store::connect("sqlite::memory:").await.expect("sqlite");
    let e = s
        .with_replicas(&["postgres://u@h/db".into()], Duration::from_secs(5))
        .expect_err("sqlite has no replicas");
    assert!(format!("{e}").contains("replica_urls"), "{e}");
    let s = Store::connect("sqlite::memory:").await.expect("sqlite");
    let s = s
        .with_replicas(&[], Duration::from_secs(5))
        .expect("no replicas: as it was");
    assert!(s.replica_lags().is_empty());
}
