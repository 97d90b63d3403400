//! The public status lookup through the whole router and middleware stack,
//! in process (no socket): `GET /api/v1/status/{code}` on an SQLite store
//! with a few thousand dossiers, random existing codes, with the status
//! answer cache (the default; every code cached after the first pass) and
//! without it (`Store::with_status_cache(0)`: a read transaction per
//! lookup). The HTTP figure with wrk lives in `bench/lookup.sh`; this one
//! isolates our own cost.
//!
//! The requests carry no client address, so they are all one client
//! (`Client::unknown()`): exempt from the per-client limits, as a trusted
//! integrator is, except in `status_lookup_router_sqlite_cached_limited`,
//! where the client is counted against a lookup rate it never exhausts —
//! the difference with the cached figure is the limiter's cost per request.

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
    for (name, r) in [
        ("status_lookup_router_sqlite_cached", &router),
        ("status_lookup_router_sqlite_cached_limited", &limited),
        ("status_lookup_router_sqlite_uncached", &uncached),
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
