//! Database faults seen through the API: a full disk under the SQLite
//! file, and PostgreSQL stopped and started while clients write. While the
//! database cannot write, a write answers 503 problem+json quickly (no
//! 500; on PostgreSQL within the pool's one-second wait for a connection)
//! and `/readyz` says not ready;
//! writes work again by themselves when the fault passes; and every write
//! that was answered 201 is there afterwards. Real faults
//! (`cancuoc-testkit`'s `faults`): a tmpfs filled to the last byte (needs
//! root), a PostgreSQL server of the test's own stopped with `pg_ctl`.
//!
//! Failover (`cancuoc-testkit`'s `cluster`): a primary and its hot standby,
//! the server given both hosts in one URL and the standby as its read
//! replica; the primary stops under writing and looking-up clients, and
//! `/readyz` names the host that is down; the standby is promoted, and the
//! server writes to it by itself, without a restart, with every write
//! answered 201 before or after still there.

#[allow(dead_code, unused_imports)]
#[path = "api/world.rs"]
mod world;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use cancuoc_server::{AppConfig, Limits};
use cancuoc_service::guard::Rate;
use cancuoc_store::Store;
use cancuoc_testkit::cluster::PgCluster;
use cancuoc_testkit::faults::{FaultFs, PgServer};
use world::*;

/// How long a 503 may take while the database is down: the PostgreSQL
/// pool waits one second for a connection, where it waited five before.
/// A bound on behaviour (give up soon, do not hang), not a speed figure,
/// with room for a loaded machine.
const FAIL_FAST: Duration = Duration::from_secs(2);

/// A synthetic personal ID for the `n`th write: male, born 1990, province
/// 079, as `citizen_body` declares.
fn pid(n: u32) -> String {
    format!("0790900{n:05}")
}

/// Registers citizen `n` as the receptionist; the answer and its time.
async fn write(w: &World, n: u32) -> (Res, Duration) {
    let t = Instant::now();
    let r = post(
        &w.router,
        "/api/v1/citizens",
        Some(&w.receptionist),
        citizen_body("Lê Văn Ghi", Some(&pid(n))),
    )
    .await;
    (r, t.elapsed())
}

/// A 503 problem document, answered within [`FAIL_FAST`].
fn assert_unavailable(r: &Res, took: Duration, what: &str) {
    assert_eq!(
        r.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{what}: {:?}",
        r.body
    );
    assert!(
        r.content_type().starts_with("application/problem+json"),
        "{what}: {}",
        r.content_type()
    );
    assert_problem_shape(&r.body);
    assert!(took < FAIL_FAST, "{what} took {took:?}");
}

/// Every citizen in `written` reads back.
async fn all_there(w: &World, written: &[u32]) {
    for n in written {
        let r = get(
            &w.router,
            &format!("/api/v1/citizens/{}", pid(*n)),
            Some(&w.receptionist),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "citizen {n} was answered 201 and is gone"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_answers_503_and_writes_return_with_the_space() {
    let Some(fs) = FaultFs::tmpfs("a_full_disk_answers_503", 24) else {
        return;
    };
    let url = format!("sqlite://{}", fs.path().join("cancuoc.db").display());
    let w = world(Store::connect(&url).await.expect("connect")).await;
    let (r, _) = write(&w, 0).await;
    r.ok(201);
    get(&w.router, "/readyz", None).await.ok(200);

    fs.fill();
    let ready = get(&w.router, "/readyz", None).await;
    ready.problem(503, "server.not_ready");
    // The first writes may still fit in free pages of the file.
    let mut refused = 0;
    let mut written = vec![0];
    for n in 1..40 {
        let (r, took) = write(&w, n).await;
        if r.status == StatusCode::CREATED {
            written.push(n);
        } else {
            assert_unavailable(&r, took, &format!("write {n} on a full disk"));
            refused += 1;
        }
    }
    assert!(refused > 0, "every write went through a full disk");

    fs.empty();
    get(&w.router, "/readyz", None).await.ok(200);
    for n in 100..140 {
        let (r, _) = write(&w, n).await;
        r.ok(201);
        written.push(n);
    }
    all_there(&w, &written).await;
    w.store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stopped_under_load_answers_503_quickly_and_loses_nothing() {
    let Some(pg) = PgServer::start("postgres_stopped_under_load") else {
        return;
    };
    let w = Arc::new(world(Store::connect(pg.url()).await.expect("connect")).await);

    // Four clients write without pause, each its own numbers.
    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicU32::new(1));
    let clients = spawn_writers(&w, 4, &stop, &next);
    tokio::time::sleep(Duration::from_millis(300)).await;

    pg.pause();
    let ready = readyz(&w).await;
    ready.problem(503, "server.not_ready");
    let reason = format!("primary database unreachable ({})", host_of(pg.url()));
    assert!(
        ready.body["message_en"]
            .as_str()
            .is_some_and(|m| m.contains(&reason)),
        "/readyz does not say {reason:?}: {:?}",
        ready.body
    );
    // Not to a stranger (no peer address at all, or one outside the
    // operators' networks).
    let host = host_of(pg.url());
    for public in [
        get(&w.router, "/readyz", None).await,
        readyz_from(&w, [203, 0, 113, 9]).await,
    ] {
        assert_host_for_operators_only(&public, &ready, host);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let down_seen = next.load(Ordering::Relaxed);
    pg.resume();
    // Back by itself.
    readyz_until(&w, StatusCode::OK, "PostgreSQL started again").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);

    let (written, refused, after) = tally(clients, down_seen, "with PostgreSQL stopped").await;
    assert!(
        refused > 0,
        "no write was refused while PostgreSQL was stopped"
    );
    assert!(
        after > 0,
        "no write succeeded after PostgreSQL started again"
    );
    all_there(&w, &written).await;
    w.store.close().await;
}

/// The `host:port` of a PostgreSQL URL without a password.
fn host_of(url: &str) -> &str {
    let rest = url.split_once('@').map_or(url, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

/// What one writing client got: each number it wrote, the answer, and
/// how long it took.
type Answers = Vec<(u32, Res, Duration)>;

/// `count` clients writing without pause until `stop`, each the next
/// number of `next`.
fn spawn_writers(
    w: &Arc<World>,
    count: usize,
    stop: &Arc<AtomicBool>,
    next: &Arc<AtomicU32>,
) -> Vec<tokio::task::JoinHandle<Answers>> {
    (0..count)
        .map(|_| {
            let (w, stop, next) = (w.clone(), stop.clone(), next.clone());
            tokio::spawn(async move {
                let mut answers = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let (r, took) = write(&w, n).await;
                    answers.push((n, r, took));
                }
                answers
            })
        })
        .collect()
}

/// The writers' answers once they stopped: the numbers written (201),
/// how many were refused (each a fast 503, `while_down` naming the
/// fault), and how many were written after number `down_seen`, the last
/// taken while the database was down.
async fn tally(
    writers: Vec<tokio::task::JoinHandle<Answers>>,
    down_seen: u32,
    while_down: &str,
) -> (Vec<u32>, usize, usize) {
    let mut written = Vec::new();
    let (mut refused, mut after) = (0, 0);
    for client in writers {
        for (n, r, took) in client.await.expect("writer") {
            if r.status == StatusCode::CREATED {
                written.push(n);
                if n > down_seen {
                    after += 1;
                }
            } else {
                assert_unavailable(&r, took, &format!("write {n} {while_down}"));
                refused += 1;
            }
        }
    }
    (written, refused, after)
}

/// `/readyz` as an operator reads it: from loopback (the default
/// `metrics_networks`), so with the hosts and the replicas.
async fn readyz(w: &World) -> Res {
    readyz_from(w, [127, 0, 0, 1]).await
}

/// `/readyz` asked by a client at `ip` (a real server's peer address).
async fn readyz_from(w: &World, ip: [u8; 4]) -> Res {
    use axum::extract::ConnectInfo;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut req = axum::http::Request::get("/readyz")
        .body(axum::body::Body::empty())
        .expect("request");
    req.extensions_mut()
        .insert(ConnectInfo(std::net::SocketAddr::from((ip, 40_000))));
    let res = w.router.clone().oneshot(req).await.expect("infallible");
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Res {
        status,
        headers,
        body: serde_json::from_slice(&bytes).expect("JSON"),
    }
}

/// The public answer of a part that is down: which part, no host, no
/// replicas, and the operators' answer names `host`.
fn assert_host_for_operators_only(public: &Res, operator: &Res, host: &str) {
    public.problem(503, "server.not_ready");
    let said = public.body.to_string();
    assert!(!said.contains(host), "a stranger reads {host}: {said}");
    assert!(
        public.body["message_en"]
            .as_str()
            .is_some_and(|m| m.contains("the main database is not ready")),
        "{said}"
    );
    assert!(
        public.body["message_vi"]
            .as_str()
            .is_some_and(|m| m.contains("cơ sở dữ liệu chính không sẵn sàng")),
        "{said}"
    );
    let told = operator.body.to_string();
    assert!(
        told.contains(host),
        "an operator is not told {host}: {told}"
    );
}

/// Waits (polling `/readyz` every 100 ms, at most 30 s) until it answers
/// `status`; that answer, as an operator reads it.
async fn readyz_until(w: &World, status: StatusCode, what: &str) -> Res {
    let start = Instant::now();
    loop {
        let r = readyz(w).await;
        if r.status == status {
            return r;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "/readyz not {status} 30 s after {what}: {:?}",
            r.body
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_promoted_standby_takes_over_under_load_without_a_restart() {
    let Some(cluster) = PgCluster::start("a_promoted_standby_takes_over") else {
        return;
    };
    let store = Store::connect(cluster.both_url())
        .await
        .expect("connect to the host list")
        .with_replicas(&[cluster.replica_url().to_owned()], Duration::from_secs(5))
        .expect("the standby as read replica");
    // Lookups without the per-client rate: the load is the point here.
    let limits = Limits {
        lookups: Rate {
            burst: 1_000_000,
            refill_ms: 1,
        },
        ..Limits::default()
    };
    let w = Arc::new(world_limited(store, AppConfig::default(), limits).await);
    let citizen = register(&w, "Lê Văn Tra", "079090099999").await;
    let code = open_dossier(&w, citizen).await["code"]
        .as_str()
        .expect("dossier code")
        .to_owned();
    let status_uri = format!("/api/v1/status/{code}");
    // The standby has the dossier before anyone looks it up.
    cluster.wait_replayed();
    let start = Instant::now();
    loop {
        let r = readyz(&w).await;
        if r.status == StatusCode::OK && r.body["replicas"][0]["used"] == true {
            assert_eq!(r.body["replicas"][0]["promoted"], false);
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the replica is not in use: {:?}",
            r.body
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Two clients write, two look the dossier up, without pause.
    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicU32::new(1));
    let writers = spawn_writers(&w, 2, &stop, &next);
    let mut readers = Vec::new();
    for _ in 0..2 {
        let (w, stop, uri) = (w.clone(), stop.clone(), status_uri.clone());
        readers.push(tokio::spawn(async move {
            let mut answers = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                let r = get(&w.router, &uri, None).await;
                answers.push((Instant::now(), r, t.elapsed()));
                // A lookup the status cache answers never waits, so this
                // loop would hold its worker thread for good (and with it
                // the runtime's timers): pause as a client does.
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            answers
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;

    cluster.stop_primary();
    let ready = readyz_until(&w, StatusCode::SERVICE_UNAVAILABLE, "the primary stopped").await;
    ready.problem(503, "server.not_ready");
    let said = ready.body["message_en"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let primary = host_of(cluster.primary_url());
    assert!(
        said.contains(&format!("{primary} (unreachable)")),
        "/readyz does not name the primary that is down: {said:?}"
    );
    let public = readyz_from(&w, [203, 0, 113, 9]).await;
    if public.status == StatusCode::SERVICE_UNAVAILABLE {
        assert_host_for_operators_only(&public, &ready, primary);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let down_seen = next.load(Ordering::Relaxed);

    cluster.promote();
    let promoted_at = Instant::now();
    readyz_until(&w, StatusCode::OK, "the standby was promoted").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::Relaxed);

    let (written, refused, after) = tally(writers, down_seen, "with no primary").await;
    assert!(
        refused > 0,
        "no write was refused while no host took writes"
    );
    assert!(after > 0, "no write succeeded on the promoted standby");
    let (mut found, mut found_after) = (0, 0);
    for client in readers {
        for (at, r, took) in client.await.expect("reader") {
            if r.status == StatusCode::OK {
                found += 1;
                if at > promoted_at {
                    found_after += 1;
                }
            } else {
                assert_unavailable(&r, took, "a lookup during the failover");
            }
        }
    }
    assert!(
        found > 0 && found_after > 0,
        "lookups: {found} found, {found_after} after"
    );
    all_there(&w, &written).await;

    // The replica is the primary now: still read, reported as promoted.
    let start = Instant::now();
    loop {
        let r = readyz(&w).await;
        if r.body["replicas"][0]["promoted"] == true {
            // A stranger is told it is ready, and nothing of the replicas.
            let public = get(&w.router, "/readyz", None).await;
            assert_eq!(public.status, StatusCode::OK, "{:?}", public.body);
            assert_eq!(public.body, serde_json::json!({"status": "ok"}));
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the promoted replica is not reported: {:?}",
            r.body
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    w.store.close().await;
}
