//! `cancuoc serve` and `cancuoc officer add` on the real binary: health and
//! readiness probes on a free port, the allocator key file, graceful stop
//! on SIGTERM (exit 0), `--demo` declined on a non-empty database, and a
//! token from `officer add` that the API accepts.

mod service_support;

use service_support::{Server, TempDir, code, get, run, stderr, stdout};

#[test]
fn answers_probes_creates_private_key_and_stops_on_sigterm() {
    let dir = TempDir::new("serve-probes");
    let server = Server::start(&dir, &[]);
    let (s, body) = get(&server.url("/healthz"), None);
    assert_eq!(s, 200, "{body}");
    let (s, body) = get(&server.url("/readyz"), None);
    assert_eq!(s, 200, "{body}");
    let (s, _) = get(&server.url("/api/openapi.json"), None);
    assert_eq!(s, 200);
    assert!(
        dir.path().join("cancuoc.db").exists(),
        "default SQLite file"
    );
    let key = std::fs::read_to_string(dir.path().join("id-allocator.key")).expect("key file");
    assert_eq!(key.trim().len(), 32, "128-bit hex key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("id-allocator.key"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let status = server.stop();
    assert!(status.success(), "exit after SIGTERM: {status:?}");
}

#[test]
fn demo_is_declined_on_a_non_empty_database() {
    let dir = TempDir::new("serve-nonempty");
    let o = run(&["seed", "--citizens", "5", "--data-dir", dir.arg()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let server = Server::start(&dir, &["--demo"]);
    assert!(
        server.banner.contains("--demo: the database is not empty"),
        "{}",
        server.banner
    );
    assert!(
        !server.banner.contains("bearer tokens"),
        "{}",
        server.banner
    );
    let (s, _) = get(&server.url("/readyz"), None);
    assert_eq!(s, 200, "still serving");
    assert!(server.stop().success());
}

#[test]
fn officer_add_prints_a_token_the_api_accepts() {
    let dir = TempDir::new("serve-officer");
    // Offices come from the seeder's demo tree (it creates one when empty).
    let o = run(&["seed", "--citizens", "1", "--data-dir", dir.arg()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run(&[
        "officer",
        "add",
        "--office",
        "11",
        "--role",
        "receptionist",
        "--name",
        "Trần Thị Mai",
        "--data-dir",
        dir.arg(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    let token = out.lines().last().expect("token line").trim().to_owned();
    assert_eq!(token.len(), 64, "{out}");
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()), "{out}");
    assert!(out.contains("Trần Thị Mai"), "{out}");

    let server = Server::start(&dir, &[]);
    let (s, body) = get(&server.url("/api/v1/dossiers?office=11"), Some(&token));
    assert_eq!(s, 200, "{body}");
    assert!(body["items"].is_array(), "{body}");
    let (s, _) = get(
        &server.url("/api/v1/dossiers?office=11"),
        Some(&"0".repeat(64)),
    );
    assert_eq!(s, 401, "unknown token");
    let (s, _) = get(&server.url("/api/v1/dossiers?office=11"), None);
    assert_eq!(s, 401, "no token");
    assert!(server.stop().success());

    // JSON form, unknown office (invalid input: 1), unknown role (usage: 2).
    let o = run(&[
        "officer",
        "add",
        "--office",
        "2",
        "--role",
        "approver",
        "--name",
        "Lê Văn Hùng",
        "--json",
        "--data-dir",
        dir.arg(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["officer"]["role"], "approver");
    assert_eq!(v["officer"]["office"], 2);
    assert_eq!(v["token"].as_str().map(str::len), Some(64));
    let o = run(&[
        "officer",
        "add",
        "--office",
        "9999",
        "--role",
        "approver",
        "--name",
        "Lê Văn Hùng",
        "--data-dir",
        dir.arg(),
    ]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(stderr(&o).contains("9999"), "{}", stderr(&o));
    let o = run(&[
        "officer",
        "add",
        "--office",
        "11",
        "--role",
        "citizen",
        "--name",
        "X",
        "--data-dir",
        dir.arg(),
    ]);
    assert_eq!(code(&o), 2);
}

#[test]
fn settings_errors_are_usage_errors() {
    let dir = TempDir::new("serve-config");
    let bad = service_support::write_file(&dir, "c.toml", "bind = 5\n");
    let o = run(&["serve", "--config", &bad, "--data-dir", dir.arg()]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("c.toml"), "{}", stderr(&o));
    let o = run(&["serve", "--bind", "nowhere", "--data-dir", dir.arg()]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let o = run(&[
        "serve",
        "--database-url",
        "mysql://x/y",
        "--data-dir",
        dir.arg(),
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
}
