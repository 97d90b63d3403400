//! Store-level benchmarks on SQLite (the embedded default): bulk citizen
//! insert (bar: ≥ 100,000 citizens/s), the status lookup hot path (one
//! indexed query, single caller and 64 concurrent callers), and a transition.
//! Also prints bytes per citizen on disk with indexes (bar: ≤ 1 KiB).
//! The HTTP-level figures come from `bench/` scripts; these isolate the
//! store's share.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::{Role, State};
use cancuoc_core::person::{PartialDate, Sex};
use cancuoc_core::rules::kinds::IssueKind;
use cancuoc_store::*;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jiff::civil::date;

const T0: i64 = 1_795_194_000;
const DOSSIERS: u32 = 100_000;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

fn temp_db(tag: &str) -> (PathBuf, String) {
    let dir =
        std::env::temp_dir().join(format!("cancuoc_store_bench_{tag}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let url = format!("sqlite://{}", dir.join("bench.db").display());
    (dir, url)
}

const GIVEN: [&str; 8] = ["An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Minh"];
const FAMILY: [&str; 6] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ"];

fn citizens(n: usize, offset: usize) -> Vec<NewCitizen> {
    (0..n)
        .map(|i| {
            let k = i + offset;
            NewCitizen {
                personal_id: None,
                full_name: format!(
                    "{} Văn {} {}",
                    FAMILY[k % 6],
                    GIVEN[k % 8],
                    GIVEN[(k / 8) % 8]
                ),
                dob: PartialDate::Full(date(
                    1950 + (k % 70) as i16,
                    1 + (k % 12) as i8,
                    1 + (k % 28) as i8,
                )),
                sex: if k.is_multiple_of(2) {
                    Sex::Male
                } else {
                    Sex::Female
                },
                nationality: "Việt Nam".into(),
                ethnicity: "Kinh".into(),
                religion: "Không".into(),
                place_of_origin: "Xã Bình Thử, Huyện Đông Thử, Tỉnh Thử Nghiệm".into(),
                birth_registration: "Tỉnh Thử Nghiệm".into(),
                permanent_residence: format!(
                    "Số {} Đường Thử, Phường Một, Quận Hai, Tỉnh Thử Nghiệm",
                    k % 500
                ),
                temporary_residence: None,
                phone: Some(format!("09{:08}", k % 100_000_000)),
                old_cmnd: Vec::new(),
                provenance: FieldProvenance::all_verified("npd"),
            }
        })
        .collect()
}

fn office(code: u16, level: OfficeLevel, parent: Option<u16>) -> NewOffice {
    NewOffice {
        code,
        name: format!("Công an đơn vị {code}"),
        level,
        parent,
        address: "Địa chỉ thử".into(),
        hotline: "0900000000".into(),
        opening_hours: OpeningHours::usual_with_saturday_morning(),
        daily_capacity: 500,
        in_force: cancuoc_store::Period::ALWAYS,
    }
}

fn bulk_citizens(c: &mut Criterion) {
    let rt = rt();
    let (dir, url) = temp_db("bulk");
    let store = rt.block_on(Store::connect(&url)).expect("store");
    // Bytes per citizen: 100k rows, then checkpoint and measure the file.
    rt.block_on(async {
        let rows = citizens(100_000, 0);
        let t = Instant::now();
        store.bulk_insert_citizens(&rows, None, T0).await.expect("bulk");
        let secs = t.elapsed().as_secs_f64();
        if let Db::Sqlite(pool) = store.db() {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(pool).await.expect("checkpoint");
        }
        let bytes = std::fs::metadata(dir.join("bench.db")).map(|m| m.len()).unwrap_or(0);
        eprintln!(
            "store: 100000 citizens in {secs:.2} s ({:.0}/s), {} bytes per citizen on disk with indexes",
            100_000.0 / secs,
            bytes / 100_000
        );
    });
    let batch = citizens(10_000, 100_000);
    let mut g = c.benchmark_group("store_sqlite");
    g.throughput(Throughput::Elements(batch.len() as u64));
    g.sample_size(10);
    g.bench_function("bulk_insert_10k_citizens", |b| {
        b.iter(|| {
            rt.block_on(store.bulk_insert_citizens(&batch, None, T0))
                .expect("bulk")
        })
    });
    g.finish();
    rt.block_on(store.close());
    let _ = std::fs::remove_dir_all(&dir);
}

struct Seeded {
    store: Store,
    codes: Vec<DossierCode>,
    receptionist: Officer,
    citizen: CitizenId,
    dir: PathBuf,
}

fn seeded(rt: &tokio::runtime::Runtime) -> Seeded {
    let (dir, url) = temp_db("lookup");
    rt.block_on(async {
        let store = Store::connect(&url).await.expect("store");
        for o in [
            office(1, OfficeLevel::Ministry, None),
            office(790, OfficeLevel::District, Some(1)),
        ] {
            store.create_office(&o, None, T0).await.expect("office");
        }
        let receptionist = store
            .add_officer(
                &NewOfficer {
                    name: "Lễ Tân".into(),
                    role: Role::Receptionist,
                    office: 790,
                },
                None,
                T0,
            )
            .await
            .expect("officer")
            .officer;
        store
            .bulk_insert_citizens(&citizens(10_000, 0), None, T0)
            .await
            .expect("citizens");
        let mut codes = Vec::with_capacity(DOSSIERS as usize);
        let mut batch = Vec::new();
        for i in 0..DOSSIERS {
            // Spread over 100 days so codes are unique per (office, day, random).
            let day = date(2026, 1, 1)
                .checked_add(jiff::Span::new().days(i64::from(i % 100)))
                .expect("day");
            let code = DossierCode::new(790, day, (i / 100) * 97 % 100_000).expect("code");
            codes.push(code);
            batch.push(SeedDossier {
                code,
                kind: IssueKind::First,
                reason: None,
                office: 790,
                citizen: CitizenId(i64::from(1 + i % 10_000)),
                fee_vnd: 0,
                exemption: None,
                charged: None,
                received_on: day,
                deadlines: Vec::new(),
                promised_on: day
                    .checked_add(jiff::Span::new().days(10))
                    .expect("promise"),
                events: vec![EventRecord {
                    seq: 1,
                    at: T0,
                    actor: Some(receptionist.id),
                    actor_role: Role::Receptionist,
                    from: None,
                    to: State::Received,
                    note: None,
                    kind: cancuoc_store::EventKind::Transition,
                }],
            });
            if batch.len() == 20_000 {
                store
                    .bulk_insert_dossiers(&batch, None, T0)
                    .await
                    .expect("dossiers");
                batch.clear();
            }
        }
        // Shuffle-ish lookup order (stride through the list).
        let n = codes.len();
        let codes = (0..n).map(|i| codes[(i * 7919) % n]).collect();
        Seeded {
            store,
            codes,
            receptionist: receptionist.clone(),
            citizen: CitizenId(1),
            dir,
        }
    })
}

fn lookups(c: &mut Criterion) {
    let rt = rt();
    let s = seeded(&rt);
    let mut g = c.benchmark_group("store_sqlite");
    let mut i = 0usize;
    g.throughput(Throughput::Elements(1));
    g.bench_function("status_by_code_1_caller", |b| {
        b.iter(|| {
            i = (i + 1) % s.codes.len();
            rt.block_on(s.store.status_by_code(s.codes[i]))
                .expect("status")
        })
    });
    const TASKS: usize = 64;
    const PER_TASK: usize = 200;
    g.throughput(Throughput::Elements((TASKS * PER_TASK) as u64));
    g.sample_size(20);
    g.bench_function("status_by_code_64_callers_x200", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for it in 0..iters {
                let t = Instant::now();
                rt.block_on(async {
                    let mut handles = Vec::with_capacity(TASKS);
                    for k in 0..TASKS {
                        let store = s.store.clone();
                        let codes: Vec<DossierCode> = (0..PER_TASK)
                            .map(|j| {
                                s.codes[(it as usize * 131 + k * PER_TASK + j) % s.codes.len()]
                            })
                            .collect();
                        handles.push(tokio::spawn(async move {
                            for code in codes {
                                store.status_by_code(code).await.expect("status");
                            }
                        }));
                    }
                    for h in handles {
                        h.await.expect("join");
                    }
                });
                total += t.elapsed();
            }
            total
        })
    });
    // One transition (received -> refused) on a fresh dossier each time.
    let mut n = 0u32;
    g.throughput(Throughput::Elements(1));
    g.sample_size(50);
    g.bench_function("create_and_refuse_dossier", |b| {
        b.iter(|| {
            n += 1;
            rt.block_on(async {
                let code = DossierCode::new(790, date(2027, 1, 1), n).expect("code");
                let d = s
                    .store
                    .create_dossier(NewDossier {
                        code: CodeSource::Given(code),
                        kind: IssueKind::First,
                        reason: None,
                        office: 790,
                        citizen: s.citizen,
                        fee_vnd: 0,
                        exemption: None,
                        received_on: date(2027, 1, 1),
                        deadlines: Vec::new(),
                        promised_on: date(2027, 1, 12),
                        state: State::Received,
                        actor: Some(s.receptionist.id),
                        note: None,
                        charged: None,
                        capture: None,
                        idempotency_key: None,
                        notify: None,
                        at: T0,
                    })
                    .await
                    .expect("create");
                s.store
                    .apply_transition(&TransitionRequest {
                        code: d.code,
                        expected_version: 1,
                        to: State::Refused,
                        actor: s.receptionist.id,
                        note: Some("Không đủ điều kiện".into()),
                        population_data_changed: None,
                        old_document: None,
                        idempotency_key: Some(format!("bench-{n}")),
                        card: None,
                        at: T0 + 60,
                    })
                    .await
                    .expect("refuse")
            })
        })
    });
    g.finish();
    rt.block_on(s.store.close());
    let _ = std::fs::remove_dir_all(&s.dir);
}

/// The cost of [`Durability::Full`] against `Normal`: one officer write
/// (a citizen registered: one commit) on a database file under Cargo's
/// target folder, so on the disk that holds the build rather than a
/// `/tmp` that may be memory, where a sync costs nothing. Run with
/// `bench/durability.sh`, which prints the two medians and their ratio.
fn durability(c: &mut Criterion) {
    let rt = rt();
    let mut g = c.benchmark_group("store_sqlite_durability");
    g.throughput(Throughput::Elements(1));
    g.sample_size(30);
    for durability in [Durability::Full, Durability::Normal] {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "durability_{}_{}",
            durability.as_str(),
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        let url = format!("sqlite://{}", dir.join("bench.db").display());
        let store = rt
            .block_on(Store::connect_with(&url, durability))
            .expect("store");
        let mut n = 0usize;
        g.bench_function(format!("register_citizen_{}", durability.as_str()), |b| {
            b.iter(|| {
                n += 1;
                let mut c = citizens(1, n).remove(0);
                // 079 (province), 0 (male, 1900s), 90, then six digits.
                c.personal_id = Some(format!("079090{:06}", n % 1_000_000).parse().expect("id"));
                rt.block_on(store.register_citizen(&c, IdAssignment::AsGiven, None, T0))
                    .expect("register")
            })
        });
        rt.block_on(store.close());
        let _ = std::fs::remove_dir_all(&dir);
    }
    g.finish();
}

criterion_group!(benches, bulk_citizens, lookups, durability);
criterion_main!(benches);
