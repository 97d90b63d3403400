//! The public status lookup through the whole router and middleware stack,
//! in process (no socket): `GET /api/v1/status/{code}` on an SQLite store
//! with a few thousand dossiers, random existing codes, with the status
//! answer cache (the default; every code cached after the first pass) and
//! without it (`Store::with_status_cache(0)`: a read transaction per
//! lookup). The HTTP figure with wrk lives in `bench/lookup.sh`; this one
//! isolates our own cost.
//!
//! `status_lookup_router_sqlite_cached_under_writes` is the cached case
//! while another store on the same file (another server process, on a
//! thread of its own) commits a change of another dossier's state every
//! 10 ms (100 commits/s, each a state flip of one of [`WRITTEN`] dossiers
//! never looked up: a plain `UPDATE`, which writes the dossier row and,
//! by migration 0020's trigger, one change-log row, as a transition's
//! commit does for the cache). Every commit moves the database's change
//! token, so each worker reads the change log once per commit; the
//! looked-up answers stay cached (`cache.rs`). Before the per-dossier log,
//! every commit emptied the cache.
//!
//! The requests carry no client address, so they are all one client
//! (`Client::unknown()`): exempt from the per-client limits, as a trusted
//! integrator is, except in `status_lookup_router_sqlite_cached_limited`,
//! where the client is counted against a lookup rate it never exhausts —
//! the difference with the cached figure is the limiter's cost per request.
//! `status_lookup_router_sqlite_cached_no_metrics` is the cached case with
//! the metrics off: the difference is what counting a request (its route,
//! status and latency) costs.

use std::hint::black_box;
use std::time::Instant;

use axum::body::Body;
use axum::http::Request;
use cancuoc_core::dossier::workflow::Role;
use cancuoc_core::id::alloc::Allocator;
use cancuoc_core::person::{PartialDate, Sex};
use cancuoc_core::rules::Reason;
use cancuoc_server::{App, AppConfig, Limits, Service, fixed_clock, router};
use cancuoc_service::{CitizenRegistration, OpenDossier};
use cancuoc_store::{
    FieldProvenance, NewCitizen, NewOffice, NewOfficer, OfficeLevel, OpeningHours, Store,
};
use criterion::{Criterion, criterion_group, criterion_main};
use tower::ServiceExt;

const DOSSIERS: usize = 2_000;

/// Dossiers whose state the writer of the under-writes case flips (the
/// first ones made); the lookups of that case ask the others.
const WRITTEN: usize = 100;

/// The writer's pace: one commit per this interval (100/s).
const WRITE_EVERY: std::time::Duration = std::time::Duration::from_millis(10);

/// Commits a state flip of one of `codes` every [`WRITE_EVERY`] through a
/// store of its own on the database at `url`, on a thread of its own,
/// until `stop`; returns how many it committed.
fn writer(
    url: String,
    codes: Vec<i64>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("writer runtime");
        rt.block_on(async {
            let store = Store::connect(&url).await.expect("writer store");
            let cancuoc_store::Db::Sqlite(pool) = store.db() else {
                panic!("SQLite")
            };
            let mut n = 0u64;
            let mut next = Instant::now();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let code = codes[(n as usize) % codes.len()];
                sqlx::query(
                    "UPDATE dossiers SET version = version + 1, state = CASE state \
                     WHEN 'received' THEN 'captured' ELSE 'received' END WHERE code = $1",
                )
                .bind(code)
                .execute(pool)
                .await
                .expect("write");
                n += 1;
                next += WRITE_EVERY;
                tokio::time::sleep_until(next.into()).await;
            }
            store.close().await;
            n
        })
    })
}

fn office(code: u16, level: OfficeLevel, parent: Option<u16>) -> NewOffice {
    NewOffice {
        code,
        name: format!("Công an thử nghiệm {code}"),
        level,
        parent,
        address: "Số 1 Đường Thử".into(),
        hotline: "0900000000".into(),
        opening_hours: OpeningHours::usual_with_saturday_morning(),
        daily_capacity: 10_000,
        in_force: cancuoc_store::Period::ALWAYS,
    }
}

/// The service over `store` as `cancuoc serve` builds it, with `limits`.
async fn service(store: Store, limits: Limits) -> Service {
    Service::new(
        store,
        Allocator::new([9; 16]),
        fixed_clock("2026-11-21T03:00:00Z".parse().expect("now")),
    )
    .await
    .expect("service")
    .with_limits(limits)
}

/// Requests without an address are 0.0.0.0: exempt, as a trusted
/// integrator is.
fn exempt() -> Limits {
    Limits {
        exempt: vec!["0.0.0.0/32".parse().expect("net")],
        ..Limits::default()
    }
}

/// The client counted, at a lookup rate it never exhausts.
fn counted() -> Limits {
    Limits {
        exempt: Vec::new(),
        lookups: cancuoc_service::guard::Rate {
            burst: u32::MAX,
            refill_ms: 1,
        },
        ..Limits::default()
    }
}

/// The router over the seeded database with the cache, the same without
/// it, the first with the limiter counting, and the codes.
async fn setup(dir: &std::path::Path) -> (axum::Router, axum::Router, axum::Router, Vec<String>) {
    let url = format!("sqlite://{}", dir.join("bench.db").display());
    let store = Store::connect(&url).await.expect("store");
    store
        .create_office(&office(1, OfficeLevel::Ministry, None), None, 0)
        .await
        .expect("o");
    store
        .create_office(&office(79, OfficeLevel::Province, Some(1)), None, 0)
        .await
        .expect("o");
    store
        .create_office(&office(790, OfficeLevel::District, Some(79)), None, 0)
        .await
        .expect("o");
    let officer = store
        .add_officer(
            &NewOfficer {
                name: "Cán Bộ Thử".into(),
                role: Role::Receptionist,
                office: 790,
            },
            None,
            0,
        )
        .await
        .expect("officer")
        .officer;
    let app = App::new(service(store, exempt()).await, AppConfig::default());
    let svc = app.service();
    let mut codes = Vec::with_capacity(DOSSIERS);
    for _ in 0..DOSSIERS {
        let c = svc
            .register_citizen(
                None,
                CitizenRegistration {
                    citizen: NewCitizen {
                        personal_id: None,
                        full_name: "Nguyễn Văn Thử".into(),
                        dob: "1990-05-17".parse::<PartialDate>().expect("dob"),
                        sex: Sex::Male,
                        nationality: "Việt Nam".into(),
                        ethnicity: "Kinh".into(),
                        religion: "Không".into(),
                        place_of_origin: "Xã Thử".into(),
                        birth_registration: "Tỉnh Thử".into(),
                        permanent_residence: "Thôn Thử".into(),
                        temporary_residence: None,
                        phone: None,
                        old_cmnd: Vec::new(),
                        provenance: FieldProvenance::all_verified("bench"),
                    },
                    birth_registration_code: Some(79),
                },
            )
            .await
            .expect("citizen");
        let d = svc
            .open_dossier(
                &officer,
                OpenDossier::walk_in(c.id, Reason::parse("first-issue").expect("r")),
            )
            .await
            .expect("dossier");
        codes.push(d.code.to_string());
    }
    let uncached = Store::connect(&url)
        .await
        .expect("second store")
        .with_status_cache(0);
    let uncached = App::new(service(uncached, exempt()).await, AppConfig::default());
    let limited = Store::connect(&url).await.expect("third store");
    let limited = App::new(service(limited, counted()).await, AppConfig::default());
    (router(app), router(uncached), router(limited), codes)
}

fn status(c: &mut Criterion) {
    // As `cancuoc serve` runs: a subscriber at its default level (INFO),
    // so the request spans (DEBUG) cost what they cost in production.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("info"))
        .with_writer(std::io::sink)
        .try_init();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = std::env::temp_dir().join(format!("cancuoc_bench_status_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let (router, uncached, limited, codes) = rt.block_on(setup(&dir));
    // The cached case with the metrics off (`metrics_networks` empty): the
    // difference with the cached figure is the cost of counting each
    // request (`cancuoc_server::metrics`).
    let quiet = rt.block_on(async {
        let url = format!("sqlite://{}", dir.join("bench.db").display());
        let store = Store::connect(&url).await.expect("fourth store");
        let config = AppConfig {
            metrics_networks: Vec::new(),
            ..AppConfig::default()
        };
        cancuoc_server::router(App::new(service(store, exempt()).await, config))
    });
    for (name, r) in [
        ("status_lookup_router_sqlite_cached", &router),
        ("status_lookup_router_sqlite_cached_limited", &limited),
        ("status_lookup_router_sqlite_uncached", &uncached),
        ("status_lookup_router_sqlite_cached_no_metrics", &quiet),
    ] {
        let mut i = 0usize;
        c.bench_function(name, |b| {
            // The requests of one sample run inside one `block_on`, as on a
            // server's worker thread (entering the runtime per request
            // would cost more than the stack itself).
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let started = Instant::now();
                    for _ in 0..iters {
                        // A cheap stride through the codes (no RNG in the loop).
                        i = (i + 7919) % codes.len();
                        let req = Request::get(format!("/api/v1/status/{}", codes[i]))
                            .body(Body::empty())
                            .expect("request");
                        let res = r.clone().oneshot(req).await.expect("infallible");
                        assert!(res.status().is_success());
                        black_box(res);
                    }
                    started.elapsed()
                })
            })
        });
    }
    // The cached case while another server commits 100 changes a second to
    // other dossiers.
    let url = format!("sqlite://{}", dir.join("bench.db").display());
    let written: Vec<i64> = codes[..WRITTEN]
        .iter()
        .map(|c| c.parse().expect("a code is 16 digits"))
        .collect();
    let asked = &codes[WRITTEN..];
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writes = writer(url, written, stop.clone());
    let started = Instant::now();
    let mut i = 0usize;
    c.bench_function("status_lookup_router_sqlite_cached_under_writes", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let started = Instant::now();
                for _ in 0..iters {
                    i = (i + 7919) % asked.len();
                    let req = Request::get(format!("/api/v1/status/{}", asked[i]))
                        .body(Body::empty())
                        .expect("request");
                    let res = router.clone().oneshot(req).await.expect("infallible");
                    assert!(res.status().is_success());
                    black_box(res);
                }
                started.elapsed()
            })
        })
    });
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let n = writes.join().expect("writer");
    eprintln!(
        "under writes: {n} commits in {:.1} s ({:.0}/s)",
        started.elapsed().as_secs_f64(),
        n as f64 / started.elapsed().as_secs_f64()
    );
    // The same stack answering without the store: the router's own cost.
    c.bench_function("healthz_router", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let started = Instant::now();
                for _ in 0..iters {
                    let req = Request::get("/healthz")
                        .body(Body::empty())
                        .expect("request");
                    black_box(router.clone().oneshot(req).await.expect("infallible"));
                }
                started.elapsed()
            })
        })
    });
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, status);
criterion_main!(benches);
