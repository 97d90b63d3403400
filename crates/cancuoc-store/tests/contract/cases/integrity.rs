//! The integrity check (`Store::check`): it passes on a world written
//! through the store, and each tampering a crash, a bad restore or a hand
//! edit could leave is found and named; on PostgreSQL, the month
//! partitions of the append-only tables (migration 0021).

use cancuoc_core::dossier::workflow::State;
use cancuoc_core::id::alloc::{Allocator, IdPrefix};
use cancuoc_core::person::Sex;
use cancuoc_store::*;
use jiff::civil::date;

use crate::fixtures::*;

/// Runs one statement on the main database, whatever the backend.
async fn exec(s: &Store, sql: &str) {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    match s.db() {
        Db::Sqlite(p) => {
            sqlx::query(sql).execute(p).await.expect("tamper");
        }
        Db::Postgres(p) => {
            sqlx::query(sql).execute(p).await.expect("tamper");
        }
    }
}

async fn run(s: &Store, alloc: Option<&Allocator>) -> CheckReport {
    let opts = CheckOptions {
        // The smallest batch: several batches even on this small world.
        batch: 10,
        allocator: alloc,
        ..CheckOptions::default()
    };
    let seen = std::sync::Mutex::new(Vec::new());
    let report = s
        .check(&opts, &|p| seen.lock().expect("lock").push(p.kind))
        .await
        .expect("check");
    assert!(
        seen.lock().expect("lock").contains(&CheckKind::DossierLogs),
        "progress is reported"
    );
    report
}

fn failed(r: &CheckReport, kind: CheckKind) -> &CheckItem {
    let item = r.item(kind).expect("item");
    assert!(!item.ok(), "{kind:?} should fail: {r:#?}");
    assert!(!r.ok());
    item
}

pub async fn integrity_check_passes_then_names_each_tampering(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let alloc = Allocator::new([7; 16]);
    // Dossiers: received, and one captured (a capture event, then a step).
    let mut codes = Vec::new();
    for i in 0..25u32 {
        let c = add_citizen(s, "Kiểm Tra Toàn Vẹn", &format!("0790900{:05}", 100 + i)).await;
        let d = received(&w, 3_000 + i, c.id).await;
        if i == 0 {
            capture(s, &d, &w.receptionist).await;
        }
        codes.push(d.code);
    }
    // Numbers from the allocator (the counter of their prefix moves).
    let mut allocated = Vec::new();
    for name in ["Cấp Số Một", "Cấp Số Hai"] {
        let c = s
            .register_citizen(
                &citizen(name, "1995-03-04", Sex::Female, None),
                IdAssignment::Allocate {
                    allocator: &alloc,
                    region_code: 79,
                },
                None,
                T0,
            )
            .await
            .expect("allocate");
        allocated.push(c);
    }
    // An appointment (a seat taken) and an account.
    s.create_booking(
        &NewBooking {
            code: "10000000077".to_owned(),
            slot: SlotRequest {
                key: SlotKey {
                    office: DISTRICT,
                    day: date(2026, 11, 23),
                    start_min: 480,
                },
                end_min: 510,
                capacity: 3,
            },
            full_name: "Nguyễn Thị Hẹn".to_owned(),
            phone: "0912345678".to_owned(),
            personal_id: None,
            presence: None,
        },
        T0,
    )
    .await
    .expect("booking");
    let ctx = EventContext {
        at: T0,
        officer: None,
        client: "",
    };
    s.register_account(allocated[0].id, "$argon2id$synthetic", ctx)
        .await
        .expect("account");

    let r = run(s, Some(&alloc)).await;
    assert!(r.ok(), "{r:#?}");
    let logs = r.item(CheckKind::DossierLogs).expect("logs");
    assert_eq!(logs.checked, 25);
    assert!(
        r.item(CheckKind::IdCounters)
            .expect("counters")
            .note
            .is_none()
    );
    assert!(r.item(CheckKind::AccountReferences).expect("refs").checked >= 1);
    assert_eq!(r.item(CheckKind::BookingSeats).expect("seats").checked, 1);
    assert_eq!(
        r.item(CheckKind::SqliteIntegrity).is_some(),
        s.backend() == Backend::Sqlite
    );
    assert_eq!(
        r.item(CheckKind::RowSequences).is_some(),
        s.backend() == Backend::Postgres
    );

    // A state that is not its log's replay names the dossier.
    let victim = codes[7];
    exec(
        s,
        &format!(
            "UPDATE dossiers SET state = 'approved' WHERE code = {}",
            victim.to_u64()
        ),
    )
    .await;
    let r = run(s, Some(&alloc)).await;
    let item = failed(&r, CheckKind::DossierLogs);
    assert_eq!(item.failed, 1);
    assert_eq!(item.examples[0].subject, format!("dossier {victim}"));
    assert!(
        item.examples[0].en.contains("replay to 'received'"),
        "{item:?}"
    );
    exec(
        s,
        &format!(
            "UPDATE dossiers SET state = 'received' WHERE code = {}",
            victim.to_u64()
        ),
    )
    .await;
    // A version ahead of its events (a lost event).
    exec(
        s,
        &format!(
            "UPDATE dossiers SET version = version + 1 WHERE code = {}",
            codes[3].to_u64()
        ),
    )
    .await;
    let r = run(s, None).await;
    let item = failed(&r, CheckKind::DossierLogs);
    assert!(
        item.examples[0].en.contains("version 2 but 1 events"),
        "{item:?}"
    );
    exec(
        s,
        &format!(
            "UPDATE dossiers SET version = version - 1 WHERE code = {}",
            codes[3].to_u64()
        ),
    )
    .await;
    assert!(run(s, None).await.ok());

    // A counter behind a number it gave: found with the key, never the
    // full number in the report.
    let prefix = IdPrefix::of(allocated[1].personal_id.as_ref().expect("number")).expect("prefix");
    exec(
        s,
        &format!("UPDATE id_counters SET next_index = next_index - 1 WHERE prefix = '{prefix}'"),
    )
    .await;
    let r = run(s, Some(&alloc)).await;
    let item = failed(&r, CheckKind::IdCounters);
    assert_eq!(item.failed, 1);
    let full = allocated[1].personal_id.expect("number");
    let shown = format!("{item:?}");
    assert!(!shown.contains(full.as_str()), "{shown}");
    assert!(
        shown.contains(cancuoc_core::id::mask(&full).as_str()),
        "{shown}"
    );
    // Without the key only the range is checked, and the report says so.
    let blind = run(s, None).await;
    let counters = blind.item(CheckKind::IdCounters).expect("counters");
    assert!(counters.ok() && counters.note.is_some(), "{counters:?}");
    exec(
        s,
        &format!("UPDATE id_counters SET next_index = next_index + 1 WHERE prefix = '{prefix}'"),
    )
    .await;

    // A slot counting a seat no appointment holds.
    exec(s, "UPDATE booking_slots SET booked = booked + 1").await;
    let item = failed(&run(s, None).await, CheckKind::BookingSeats).clone();
    assert!(
        item.examples[0].en.contains("counts 2 seats taken but 1"),
        "{item:?}"
    );
    exec(s, "UPDATE booking_slots SET booked = booked - 1").await;

    // A dossier code missing from the public code registry.
    exec(
        s,
        &format!(
            "DELETE FROM public_codes WHERE code = {}",
            codes[5].to_u64()
        ),
    )
    .await;
    let item = failed(&run(s, None).await, CheckKind::Orphans).clone();
    assert_eq!(item.failed, 1);
    assert!(
        item.examples[0].subject.contains(&codes[5].to_string()),
        "{item:?}"
    );
    exec(
        s,
        &format!(
            "INSERT INTO public_codes (code) VALUES ({})",
            codes[5].to_u64()
        ),
    )
    .await;

    // An account of a citizen the main database does not have (on an
    // SQLite file they live in another file: no foreign key can say it).
    s.register_account(CitizenId(987_654), "$argon2id$synthetic", ctx)
        .await
        .expect("orphan account");
    let item = failed(&run(s, None).await, CheckKind::AccountReferences).clone();
    assert!(
        item.examples.iter().any(|f| f.subject.contains("987654")),
        "{item:?}"
    );

    if s.backend() == Backend::Postgres {
        // A sequence behind its rows: the next insert would collide.
        exec(s, "SELECT setval('audit_log_id_seq', 1)").await;
        let item = failed(&run(s, None).await, CheckKind::RowSequences).clone();
        assert!(
            item.examples.iter().any(|f| f.subject == "audit_log.id"),
            "{item:?}"
        );
    }
}

/// The rows a PostgreSQL query names, as text.
async fn texts(s: &Store, sql: &str) -> Vec<String> {
    let Db::Postgres(p) = s.db() else {
        return Vec::new();
    };
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_all(p)
        .await
        .expect("query")
}

pub async fn append_only_tables_are_partitioned_by_month_on_postgres(store: Store) {
    if store.backend() == Backend::Sqlite {
        assert_eq!(store.maintain_partitions(T0).await.expect("noop"), 0);
        return;
    }
    let w = world(store).await;
    let s = &w.store;
    for table in [
        "dossier_events",
        "audit_log",
        "account_events",
        "cmnd_confirmation_events",
    ] {
        let kind = texts(
            s,
            &format!("SELECT relkind::text FROM pg_class WHERE relname = '{table}'"),
        )
        .await;
        assert_eq!(kind, ["p"], "{table} is partitioned");
    }
    // The month of T0 (November 2026 in Vietnam) and the three after it.
    s.maintain_partitions(T0).await.expect("maintain");
    let months = texts(
        s,
        "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
         WHERE i.inhparent = 'audit_log'::regclass ORDER BY 1",
    )
    .await;
    for m in [
        "audit_log_2026_11",
        "audit_log_2027_02",
        "audit_log_default",
    ] {
        assert!(months.iter().any(|x| x == m), "{m} in {months:?}");
    }
    // The world's audit rows are in their month.
    let at_t0 = texts(
        s,
        &format!("SELECT DISTINCT tableoid::regclass::text FROM audit_log WHERE at = {T0}"),
    )
    .await;
    assert_eq!(at_t0, ["audit_log_2026_11"]);

    // Rows of months without a partition wait in the default one, then
    // move to their month; the month is Vietnam's: 2040-01-31 17:00 UTC
    // is 1 February in Vietnam.
    let jan = 2_210_716_800; // 2040-01-21 00:00 UTC
    let feb_vn = 2_211_642_000; // 2040-01-31 17:00 UTC
    let c = add_citizen(s, "Phân Vùng Tháng", "079090000099").await;
    for at in [jan, feb_vn, feb_vn - 1] {
        let ctx = EventContext {
            at,
            officer: None,
            client: "",
        };
        s.add_account_event(c.id, "login", "ok", ctx)
            .await
            .expect("event");
    }
    let where_ = "SELECT tableoid::regclass::text FROM account_events WHERE at >= 2210716800 \
                  ORDER BY at";
    assert_eq!(
        texts(s, where_).await,
        [
            "account_events_default",
            "account_events_default",
            "account_events_default"
        ]
    );
    let made = s.maintain_partitions(T0).await.expect("maintain");
    assert_eq!(made, 2, "January and February 2040");
    assert_eq!(
        texts(s, where_).await,
        [
            "account_events_2040_01",
            "account_events_2040_01",
            "account_events_2040_02"
        ]
    );
    assert_eq!(s.maintain_partitions(T0).await.expect("again"), 0);
    // The store reads them back as before.
    let events = s.account_events(c.id, 10).await.expect("events");
    assert_eq!(events.len(), 3);

    // A dossier's log is whole across the partitions, and checks.
    let d = received(&w, 4_444, c.id).await;
    capture(s, &d, &w.receptionist).await;
    let back = s.dossier(d.code).await.expect("dossier");
    assert_eq!((back.version, back.state), (3, State::Captured));
    assert!(
        s.check(&CheckOptions::default(), &|_| {})
            .await
            .expect("check")
            .ok()
    );
}
