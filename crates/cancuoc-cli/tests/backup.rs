//! `cancuoc backup`, `restore` and `check` on the real binary: a backup
//! taken while another process writes is consistent and holds the accounts
//! file, a restore round-trips and passes the check, the check names what
//! a tampered copy got wrong; and the PostgreSQL path (`pg_dump -Fc`,
//! `pg_restore` with the installed binaries) passes the check too.
//!
//! Every name and number here is synthetic.

mod service_support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::id::alloc::Allocator;
use cancuoc_core::person::Sex;
use cancuoc_store::{
    EventContext, IdAssignment, NewBooking, OfficerId, SlotKey, SlotRequest, Store,
};
use service_support::{TempDir, code, run, stderr, stdout};

/// Seeds `dir` (SQLite) and returns the dossier codes the seed wrote.
fn seed(dir: &TempDir, citizens: &str, dossiers: &str) -> Vec<DossierCode> {
    let codes = dir.path().join("codes.txt");
    let o = run(&[
        "seed",
        "--citizens",
        citizens,
        "--dossiers",
        dossiers,
        "--seed",
        "5",
        "--today",
        "2026-11-20",
        "--codes-out",
        codes.to_str().expect("utf-8"),
        "--data-dir",
        dir.arg(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    std::fs::read_to_string(&codes)
        .expect("codes")
        .lines()
        .map(|l| DossierCode::parse(l.split('\t').next().expect("code")).expect("a code"))
        .collect()
}

fn sqlite_url(p: &Path) -> String {
    format!("sqlite://{}", p.display())
}

/// The allocator of the data folder's key (the seed made it).
fn allocator(dir: &TempDir) -> Allocator {
    let hex = std::fs::read_to_string(dir.path().join("id-allocator.key")).expect("key file");
    let hex = hex.trim();
    let mut key = [0u8; 16];
    for (i, k) in key.iter_mut().enumerate() {
        *k = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex");
    }
    Allocator::new(key)
}

/// Row counts of the tables a backup must carry, main file and accounts
/// file, read without opening a store (which would write).
fn counts(main: &Path) -> Vec<(String, i64)> {
    use sqlx::Connection;
    let accounts = main.with_file_name(format!(
        "{}.accounts.db",
        main.file_stem().expect("stem").to_string_lossy()
    ));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let mut out = Vec::new();
        for (file, tables) in [
            (
                main.to_path_buf(),
                &[
                    "citizens",
                    "dossiers",
                    "dossier_events",
                    "audit_log",
                    "id_counters",
                    "bookings",
                ][..],
            ),
            (accounts, &["citizen_accounts", "account_events"][..]),
        ] {
            let url = format!("sqlite://{}?mode=ro", file.display());
            let mut c = sqlx::SqliteConnection::connect(&url).await.expect("open");
            for t in tables {
                let n: i64 =
                    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {t}")))
                        .fetch_one(&mut c)
                        .await
                        .expect("count");
                out.push(((*t).to_owned(), n));
            }
        }
        out
    })
}

/// Another process's writes, as the server makes them: citizens with
/// allocated numbers (counter, citizen, audit in one transaction), capture
/// events on the seeded dossiers (version and event), appointments (seat
/// and booking), accounts and their events in the accounts file.
struct Writer {
    stop: Arc<AtomicBool>,
    rounds: Arc<AtomicU64>,
    thread: std::thread::JoinHandle<()>,
}

impl Writer {
    fn start(db: &Path, alloc: Allocator, codes: Vec<DossierCode>) -> Writer {
        let url = sqlite_url(db);
        let stop = Arc::new(AtomicBool::new(false));
        let rounds = Arc::new(AtomicU64::new(0));
        let (s, r) = (stop.clone(), rounds.clone());
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let store = Store::connect(&url).await.expect("writer store");
                let mut i = 0u32;
                while !s.load(Ordering::SeqCst) {
                    let at = 1_795_194_000 + i64::from(i);
                    let c = store
                        .register_citizen(
                            &cancuoc_testkit::world::citizen(
                                "Người Ghi Song Song",
                                "1991-06-07",
                                if i.is_multiple_of(2) {
                                    Sex::Male
                                } else {
                                    Sex::Female
                                },
                                None,
                            ),
                            IdAssignment::Allocate {
                                allocator: &alloc,
                                region_code: 1,
                            },
                            None,
                            at,
                        )
                        .await
                        .expect("register");
                    let d = codes[i as usize % codes.len()];
                    store
                        .save_capture(
                            d,
                            &cancuoc_testkit::world::complete_capture(),
                            OfficerId(1),
                            at,
                        )
                        .await
                        .expect("capture");
                    let ctx = EventContext {
                        at,
                        officer: None,
                        client: "",
                    };
                    store
                        .register_account(c.id, "$argon2id$synthetic", ctx)
                        .await
                        .expect("account");
                    store
                        .add_account_event(c.id, "login", "ok", ctx)
                        .await
                        .expect("account event");
                    store
                        .create_booking(
                            &NewBooking {
                                code: format!("2{i:010}"),
                                slot: SlotRequest {
                                    key: SlotKey {
                                        office: 1,
                                        day: jiff::civil::date(2026, 12, 1),
                                        start_min: 450 + 30 * (i % 16) as u16,
                                    },
                                    end_min: 480 + 30 * (i % 16) as u16,
                                    capacity: 1000,
                                },
                                full_name: "Nguyễn Văn Hẹn".to_owned(),
                                phone: "0912345678".to_owned(),
                                personal_id: None,
                                presence: None,
                            },
                            at,
                        )
                        .await
                        .expect("booking");
                    i += 1;
                    r.fetch_add(1, Ordering::SeqCst);
                }
                store.close().await;
            });
        });
        Writer {
            stop,
            rounds,
            thread,
        }
    }

    fn rounds(&self) -> u64 {
        self.rounds.load(Ordering::SeqCst)
    }

    fn wait_for(&self, n: u64) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while self.rounds() < n {
            assert!(std::time::Instant::now() < deadline, "the writer is stuck");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    fn stop(self) -> u64 {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.join().expect("writer thread");
        self.rounds.load(Ordering::SeqCst)
    }
}

fn check(url: &str, dir: &TempDir) -> std::process::Output {
    run(&[
        "check",
        "--json",
        "--database-url",
        url,
        "--data-dir",
        dir.arg(),
    ])
}

fn report(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn a_backup_taken_while_another_process_writes_restores_and_checks() {
    let dir = TempDir::new("backup-live");
    let codes = seed(&dir, "20000", "4000");
    let db = dir.path().join("cancuoc.db");
    let writer = Writer::start(&db, allocator(&dir), codes);
    writer.wait_for(5);
    let before = writer.rounds();
    let out = dir.path().join("backups").join("monday.db");
    let o = run(&[
        "backup",
        "--out",
        out.to_str().expect("utf-8"),
        "--json",
        "--data-dir",
        dir.arg(),
    ]);
    let during = writer.rounds();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let accounts = dir.path().join("backups").join("monday.accounts.db");
    assert_eq!(v["accounts"], accounts.to_str().expect("utf-8"), "{v}");
    assert!(accounts.is_file(), "the accounts file is in the backup");
    assert!(
        !dir.path()
            .join("backups")
            .join("monday.captcha.db")
            .exists(),
        "the captcha side file is not"
    );
    writer.wait_for(during + 3);
    let total = writer.stop();
    assert!(during > before, "the writer wrote while the backup ran");

    // The backup holds the accounts the writer made, and is a consistent
    // cut: every item of the check passes (a state that is its log's
    // replay, counters ahead, no account without its citizen).
    let in_backup = counts(&out);
    let accounts_in_backup = in_backup
        .iter()
        .find(|(t, _)| t == "citizen_accounts")
        .expect("accounts")
        .1;
    assert!(accounts_in_backup >= i64::try_from(before).expect("small"));
    assert!(accounts_in_backup <= i64::try_from(total).expect("small"));

    // Restore to a new place: the same rows, and the check passes.
    let restored = dir.path().join("restored").join("cancuoc.db");
    let o = run(&[
        "restore",
        out.to_str().expect("utf-8"),
        "--to",
        restored.to_str().expect("utf-8"),
        "--json",
        "--data-dir",
        dir.arg(),
    ]);
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
    let v = report(&o);
    assert_eq!(v["check"]["ok"], true, "{v}");
    let logs = v["check"]["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["kind"] == "dossier_logs")
        .expect("dossier logs")
        .clone();
    assert_eq!(logs["checked"], 4000, "{logs}");
    assert_eq!(counts(&restored), in_backup);
    let o = check(&sqlite_url(&restored), &dir);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    // The backup itself opens as a database and passes too.
    let o = check(&sqlite_url(&out), &dir);
    assert_eq!(code(&o), 0, "{}", stdout(&o));

    // A target that exists is refused without --force (exit 2), replaced
    // with it; so is an existing backup.
    let again = [
        "restore",
        out.to_str().expect("utf-8"),
        "--to",
        restored.to_str().expect("utf-8"),
        "--data-dir",
        dir.arg(),
    ];
    let o = run(&again);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    let mut forced = again.to_vec();
    forced.push("--force");
    let o = run(&forced);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run(&[
        "backup",
        "--out",
        out.to_str().expect("utf-8"),
        "--data-dir",
        dir.arg(),
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));

    // With the writer stopped, a backup holds exactly what the source
    // holds.
    let quiet = dir.path().join("backups").join("quiet.db");
    let o = run(&[
        "backup",
        "--out",
        quiet.to_str().expect("utf-8"),
        "--data-dir",
        dir.arg(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(counts(&quiet), counts(&db));
    let citizens = counts(&db)[0].1;
    assert_eq!(citizens, 20_000 + i64::try_from(total).expect("small"));
}

/// A fresh copy of `backup` at `target` (the backup itself stays as it
/// was).
fn fresh_copy(backup: &Path, target: &Path, dir: &TempDir) {
    let o = run(&[
        "restore",
        backup.to_str().expect("utf-8"),
        "--to",
        target.to_str().expect("utf-8"),
        "--force",
        "--data-dir",
        dir.arg(),
    ]);
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
}

/// Runs SQL on an SQLite file directly (foreign keys off, as a hand edit
/// or a broken tool would).
fn tamper(file: &Path, sql: &str) {
    use sqlx::Connection;
    let url = sqlite_url(file);
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(async {
            let mut c = sqlx::SqliteConnection::connect(&url).await.expect("open");
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&mut c)
                .await
                .expect("tamper");
            c.close().await.expect("close");
        });
}

fn failed_item(o: &std::process::Output, kind: &str) -> serde_json::Value {
    assert_eq!(code(o), 1, "{}\n{}", stdout(o), stderr(o));
    let v = report(o);
    assert_eq!(v["ok"], false, "{v}");
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["kind"] == kind)
        .filter(|i| i["failed"].as_u64() > Some(0))
        .unwrap_or_else(|| panic!("{kind} did not fail: {v}"))
        .clone()
}

#[test]
fn check_names_what_a_tampered_copy_got_wrong() {
    let dir = TempDir::new("backup-tamper");
    let codes = seed(&dir, "3000", "600");
    let backup = dir.path().join("b.db");
    let o = run(&[
        "backup",
        "--out",
        backup.to_str().expect("utf-8"),
        "--data-dir",
        dir.arg(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let copy = dir.path().join("copy").join("c.db");
    let url = sqlite_url(&copy);

    // A dossier whose stored state is not its log's replay: named.
    fresh_copy(&backup, &copy, &dir);
    let victim = codes[17];
    tamper(
        &copy,
        &format!(
            "UPDATE dossiers SET state = CASE state WHEN 'approved' THEN 'printed' \
             ELSE 'approved' END WHERE code = {}",
            victim.to_u64()
        ),
    );
    let o = check(&url, &dir);
    let item = failed_item(&o, "dossier_logs");
    assert_eq!(item["failed"], 1, "{item}");
    assert_eq!(item["examples"][0]["subject"], format!("dossier {victim}"));
    // The human report names it too, in the reader's language.
    let o = run(&[
        "check",
        "--database-url",
        &url,
        "--data-dir",
        dir.arg(),
        "--lang",
        "vi",
    ]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains(&format!("dossier {victim}")),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("KHÔNG ĐẠT"), "{}", stdout(&o));

    // An orphan row: an event of no dossier (foreign keys off).
    fresh_copy(&backup, &copy, &dir);
    tamper(
        &copy,
        "PRAGMA foreign_keys = OFF; INSERT INTO dossier_events (dossier_id, seq, at, actor_role, \
         to_state, kind) VALUES (987654321, 1, 0, 'receptionist', 'received', 'transition');",
    );
    let item = failed_item(&check(&url, &dir), "foreign_keys");
    assert!(
        item["examples"][0]["subject"]
            .as_str()
            .is_some_and(|s| s.contains("dossier_events")),
        "{item}"
    );

    // An account whose citizen is not in the main file.
    fresh_copy(&backup, &copy, &dir);
    tamper(
        &copy.with_file_name("c.accounts.db"),
        "INSERT INTO citizen_accounts (citizen_id, level, created_at) VALUES (987654321, 1, 0)",
    );
    let item = failed_item(&check(&url, &dir), "account_references");
    assert!(
        item["examples"][0]["subject"]
            .as_str()
            .is_some_and(|s| s.contains("987654321")),
        "{item}"
    );

    // A counter behind the numbers it gave: found with the data folder's
    // key, and the number shown masked.
    fresh_copy(&backup, &copy, &dir);
    tamper(
        &copy,
        "UPDATE id_counters SET next_index = next_index - 1 WHERE prefix = \
         (SELECT prefix FROM id_counters WHERE next_index > 0 ORDER BY prefix LIMIT 1)",
    );
    let o = check(&url, &dir);
    let item = failed_item(&o, "id_counters");
    assert_eq!(item["failed"], 1, "{item}");
    let text = stdout(&o);
    assert!(
        !text
            .split(|c: char| !c.is_ascii_digit())
            .any(|w| w.len() == 12),
        "no full ID number in the report: {text}"
    );

    // The accounts file gone: a failed check, and not created anew.
    fresh_copy(&backup, &copy, &dir);
    let accounts = copy.with_file_name("c.accounts.db");
    std::fs::remove_file(&accounts).expect("remove");
    let o = check(&url, &dir);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(!accounts.exists(), "check does not create what it checks");

    // A restore from a file that is not a database is refused (exit 2).
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all").expect("write");
    std::fs::write(dir.path().join("junk.accounts.db"), b"nor this").expect("write");
    let o = run(&[
        "restore",
        junk.to_str().expect("utf-8"),
        "--to",
        dir.path().join("x.db").to_str().expect("utf-8"),
        "--data-dir",
        dir.arg(),
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not an SQLite database"),
        "{}",
        stderr(&o)
    );
}

/// The installed PostgreSQL client binaries of the newest version
/// (`/usr/lib/postgresql/N/bin`), or `None`.
fn pg_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("pg_dump").is_file().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, b)| b)
}

/// The documented PostgreSQL path: `pg_dump -Fc` of a seeded database,
/// `pg_restore` into a new one, `cancuoc check` on it; `cancuoc backup`
/// on PostgreSQL prints those commands (exit 2).
#[test]
fn pg_dump_and_pg_restore_give_a_copy_that_checks() {
    let Some(source) = cancuoc_testkit::PgDatabase::create("pg_dump_restore", "bk_src") else {
        return;
    };
    let Some(bin) = pg_bin() else {
        assert!(
            std::env::var_os("CANCUOC_REQUIRE_PG").is_none(),
            "no PostgreSQL binaries under /usr/lib/postgresql"
        );
        eprintln!("SKIP pg_dump_and_pg_restore_give_a_copy_that_checks: no pg_dump");
        return;
    };
    let target = cancuoc_testkit::PgDatabase::create("pg_dump_restore", "bk_dst").expect("target");
    let dir = TempDir::new("backup-pg");
    let o = run(&[
        "seed",
        "--citizens",
        "2000",
        "--dossiers",
        "500",
        "--seed",
        "3",
        "--today",
        "2026-11-20",
        "--data-dir",
        dir.arg(),
        "--database-url",
        source.url(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run(&["backup", "--out", "x.db", "--database-url", source.url()]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("pg_dump --format=custom"),
        "{}",
        stderr(&o)
    );

    let dump = dir.path().join("cancuoc.dump");
    let st = std::process::Command::new(bin.join("pg_dump"))
        .args(["--format=custom", "--file"])
        .arg(&dump)
        .arg(format!("--dbname={}", source.url()))
        .status()
        .expect("pg_dump");
    assert!(st.success(), "pg_dump");
    let st = std::process::Command::new(bin.join("pg_restore"))
        .args(["--no-owner", "--exit-on-error"])
        .arg(format!("--dbname={}", target.url()))
        .arg(&dump)
        .status()
        .expect("pg_restore");
    assert!(st.success(), "pg_restore");

    let o = check(target.url(), &dir);
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
    let v = report(&o);
    assert_eq!(v["backend"], "postgres");
    let count = |url: &str| -> Vec<i64> {
        use sqlx::Connection;
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(async {
                let mut c = sqlx::PgConnection::connect(url).await.expect("connect");
                let mut v = Vec::new();
                for t in [
                    "citizens",
                    "dossiers",
                    "dossier_events",
                    "audit_log",
                    "id_counters",
                ] {
                    v.push(
                        sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!(
                            "SELECT COUNT(*) FROM {t}"
                        )))
                        .fetch_one(&mut c)
                        .await
                        .expect("count"),
                    );
                }
                v
            })
    };
    let (a, b) = (count(source.url()), count(target.url()));
    assert_eq!(a, b);
    assert_eq!(a[1], 500);
    // The events of the restored copy sit in month partitions, and a new
    // audit row continues the restored sequence (no duplicate id).
    let o = run(&[
        "seed",
        "--citizens",
        "10",
        "--data-dir",
        dir.arg(),
        "--database-url",
        target.url(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = check(target.url(), &dir);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
}
