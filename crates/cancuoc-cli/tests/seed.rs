//! `cancuoc seed` on the real binary: creates the requested citizens and
//! dossiers (the demo office tree first when there is none), writes codes
//! that the status API then finds, and is deterministic for a seed.

mod service_support;

use service_support::{Server, TempDir, code, get, run, stderr, stdout};

/// Runs `f` on a connection to the SQLite file the seed wrote in `dir`.
fn on_db<R>(dir: &TempDir, f: impl AsyncFnOnce(&mut sqlx::SqliteConnection) -> R) -> R {
    use sqlx::Connection;
    let url = format!("sqlite://{}", dir.path().join("cancuoc.db").display());
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(async {
            let mut c = sqlx::SqliteConnection::connect(&url).await.expect("open");
            f(&mut c).await
        })
}

fn seed(dir: &TempDir, codes: &str, seed: &str) -> serde_json::Value {
    let o = run(&[
        "seed",
        "--citizens",
        "400",
        "--dossiers",
        "300",
        "--seed",
        seed,
        "--today",
        "2026-11-20",
        "--codes-out",
        codes,
        "--json",
        "--data-dir",
        dir.arg(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("json summary")
}

#[test]
fn seeds_citizens_and_dossiers_the_api_finds() {
    let dir = TempDir::new("seed-api");
    let codes = dir.path().join("codes.txt");
    let codes = codes.to_str().expect("utf-8");
    let v = seed(&dir, codes, "7");
    assert_eq!(v["citizens"], 400, "{v}");
    assert_eq!(v["dossiers"], 300, "{v}");
    assert_eq!(v["created_offices"], true, "{v}");
    assert!(v["citizens_per_second"].as_f64().expect("rate") > 0.0);
    let per = v["bytes_per_citizen"].as_f64().expect("bytes per citizen");
    assert!(per > 0.0, "{v}");
    let lines: Vec<String> = std::fs::read_to_string(codes)
        .expect("codes file")
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 3, "code, state, version: {l}");
            assert!(f[2].parse::<u32>().is_ok_and(|v| v >= 1), "{l}");
            f[0].to_owned()
        })
        .collect();
    assert_eq!(lines.len(), 300);
    let server = Server::start(&dir, &[]);
    let mut states = std::collections::HashSet::new();
    for c in lines.iter().step_by(10) {
        assert_eq!(c.len(), 16, "{c}");
        let (s, body) = get(&server.url(&format!("/api/v1/status/{c}")), None);
        assert_eq!(s, 200, "{c}: {body}");
        assert_eq!(
            body["code"].as_str().map(|x| x.replace(' ', "")),
            Some(c.clone())
        );
        states.insert(body["state"].as_str().expect("state").to_owned());
    }
    assert!(states.len() >= 2, "dossiers spread over states: {states:?}");
    // A second seed adds to the same database (offices kept). With the same
    // seed and day it draws the same people, so every personal ID prefix
    // repeats: the reserved counter ranges must continue after the first
    // run's, or the inserts would hit taken numbers.
    let o = run(&[
        "seed",
        "--citizens",
        "50",
        "--seed",
        "7",
        "--today",
        "2026-11-20",
        "--json",
        "--data-dir",
        dir.arg(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["created_offices"], false);
    assert_eq!(v["citizens"], 50, "{v}");
    assert!(server.stop().success());
}

#[test]
fn same_seed_same_dossier_codes() {
    let a = TempDir::new("seed-det-a");
    let b = TempDir::new("seed-det-b");
    let read = |d: &TempDir| {
        let p = d.path().join("codes.txt");
        let p = p.to_str().expect("utf-8").to_owned();
        seed(d, &p, "11");
        std::fs::read_to_string(&p).expect("codes")
    };
    let (ca, cb) = (read(&a), read(&b));
    assert_eq!(ca, cb, "same seed and day, same codes");
    let c = TempDir::new("seed-det-c");
    let p = c.path().join("codes.txt");
    let p = p.to_str().expect("utf-8").to_owned();
    seed(&c, &p, "12");
    assert_ne!(
        std::fs::read_to_string(&p).expect("codes"),
        ca,
        "another seed differs"
    );
}

#[test]
fn dossiers_need_citizens() {
    let dir = TempDir::new("seed-usage");
    let o = run(&[
        "seed",
        "--citizens",
        "0",
        "--dossiers",
        "5",
        "--data-dir",
        dir.arg(),
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("--citizens"), "{}", stderr(&o));
}

/// PostgreSQL takes the same seed: citizens in one load, dossiers the
/// status API then finds; a second seed adds to it; the same seed and day
/// give the same dossier codes as on SQLite.
#[test]
fn seeds_postgres_too() {
    // Dropped (with the database) however the test ends.
    let Some(db) = cancuoc_testkit::PgDatabase::create("seeds_postgres_too", "seed_pg") else {
        return;
    };
    let url = db.url().to_owned();
    let dir = TempDir::new("seed-pg");
    let codes = dir.path().join("codes.txt");
    let codes = codes.to_str().expect("utf-8");
    // The data folder still holds the ID allocator key with PostgreSQL:
    // keep it in the test's folder, not in the working directory.
    let data = dir.path().to_str().expect("utf-8").to_owned();
    let seed_pg = |citizens: &str, dossiers: &str, out: Option<&str>| {
        let mut args = vec![
            "seed",
            "--data-dir",
            &data,
            "--citizens",
            citizens,
            "--dossiers",
            dossiers,
            "--seed",
            "7",
            "--today",
            "2026-11-20",
            "--json",
            "--database-url",
            &url,
        ];
        if let Some(o) = out {
            args.extend(["--codes-out", o]);
        }
        let o = run(&args);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        serde_json::from_str::<serde_json::Value>(&stdout(&o)).expect("json summary")
    };
    let v = seed_pg("400", "300", Some(codes));
    assert_eq!(v["citizens"], 400, "{v}");
    assert_eq!(v["dossiers"], 300, "{v}");
    assert_eq!(v["created_offices"], true, "{v}");
    assert!(v["bytes_per_citizen"].is_null(), "SQLite only: {v}");
    let pg_codes = std::fs::read_to_string(codes).expect("codes");
    assert_eq!(pg_codes.lines().count(), 300);
    let v = seed_pg("50", "0", None);
    assert_eq!(v["citizens"], 50, "{v}");
    assert_eq!(v["created_offices"], false, "{v}");

    let server = Server::start(&dir, &["--database-url", &url]);
    for line in pg_codes.lines().step_by(25) {
        let c = line.split('\t').next().expect("code");
        let (s, body) = get(&server.url(&format!("/api/v1/status/{c}")), None);
        assert_eq!(s, 200, "{c}: {body}");
    }
    assert!(server.stop().success());

    // The same seed and day on SQLite: the same codes, states, versions.
    let lite = TempDir::new("seed-pg-lite");
    let p = lite.path().join("codes.txt");
    let p = p.to_str().expect("utf-8").to_owned();
    seed(&lite, &p, "7");
    assert_eq!(std::fs::read_to_string(&p).expect("codes"), pg_codes);
}

/// A seed killed (SIGKILL) in the middle of its citizen load leaves the
/// database as it was before the load: no citizens, no reserved counter
/// values, and the name index (dropped for the load of the empty table)
/// still there; the next seed then works.
#[test]
fn killed_seed_leaves_the_old_state() {
    let dir = TempDir::new("seed-kill");
    let mut child = service_support::command()
        .args(["seed", "--citizens", "5000000", "--data-dir", dir.arg()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn seed");
    // Wait until the load has written a good part of a chunk to the WAL.
    let wal = dir.path().join("cancuoc.db-wal");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
    loop {
        let size = std::fs::metadata(&wal).map_or(0, |m| m.len());
        if size > 8 << 20 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the load never wrote 8 MiB ({size} bytes)"
        );
        assert!(
            child.try_wait().expect("wait").is_none(),
            "seed ended before it could be killed"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().expect("kill");
    child.wait().expect("reap");

    on_db(&dir, async |c| {
        let citizens: i64 = sqlx::query_scalar("SELECT count(*) FROM citizens")
            .fetch_one(&mut *c)
            .await
            .expect("count");
        assert_eq!(citizens, 0, "no citizen of the killed load");
        let reserved: i64 = sqlx::query_scalar("SELECT count(*) FROM id_counters")
            .fetch_one(&mut *c)
            .await
            .expect("counters");
        assert_eq!(reserved, 0, "no counter of the killed load");
        let offices: i64 = sqlx::query_scalar("SELECT count(*) FROM offices")
            .fetch_one(&mut *c)
            .await
            .expect("offices");
        assert!(offices > 0, "the office tree was committed before the load");
        let index: Option<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'citizens_name_key'",
        )
        .fetch_optional(&mut *c)
        .await
        .expect("sqlite_master");
        assert_eq!(index.as_deref(), Some("citizens_name_key"));
        let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut *c)
            .await
            .expect("integrity");
        assert_eq!(ok, "ok");
    });
    let o = run(&[
        "seed",
        "--citizens",
        "20",
        "--json",
        "--data-dir",
        dir.arg(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["citizens"], 20, "{v}");
    assert_eq!(v["created_offices"], false, "{v}");
}

/// `--citizens 0` (with no dossiers) only makes sure the office tree is
/// there: no bulk load is opened, so no load is audited.
#[test]
fn zero_citizens_open_no_load() {
    let dir = TempDir::new("seed-zero");
    let o = run(&["seed", "--citizens", "0", "--json", "--data-dir", dir.arg()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json summary");
    assert_eq!(v["citizens"], 0, "{v}");
    assert_eq!(v["created_offices"], true, "{v}");
    let (citizens, loads): (i64, i64) = on_db(&dir, async |c| {
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM citizens), \
             (SELECT COUNT(*) FROM audit_log WHERE action = 'citizen.bulk_load')",
        )
        .fetch_one(&mut *c)
        .await
        .expect("counts")
    });
    assert_eq!((citizens, loads), (0, 0));
}
