//! `cancuoc serve` and `cancuoc officer add` on the real binary: health and
//! readiness probes on a free port, the allocator key file, graceful stop
//! on SIGTERM (exit 0), `--demo` declined on a non-empty database, a
//! token from `officer add` that the API accepts, and its console login.

mod service_support;

use service_support::{Server, TempDir, code, command, get, run, stderr, stdout};

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
fn demo_prints_its_summary_without_a_wall_of_log_lines() {
    let dir = TempDir::new("serve-demo-quiet");
    let log = dir.path().join("serve.log");
    let server = Server::start_logging(&dir, &["--demo"], Some(&log));
    // The summary: logins, tokens and one code per state, on stdout.
    assert!(server.banner.contains("cancuoc-demo"), "{}", server.banner);
    assert!(
        server.banner.contains("receptionist.0101"),
        "{}",
        server.banner
    );
    assert!(server.stop().success());
    let log = std::fs::read_to_string(&log).expect("log");
    // 200 citizens and a dossier walked through every state, yet no line
    // per citizen or step: a handful of lines (key, database, seeded,
    // listening, stopping).
    assert!(!log.contains("citizen registered"), "{log}");
    assert!(!log.contains("dossier transition"), "{log}");
    assert!(log.contains("demo world seeded"), "{log}");
    assert!(
        log.lines().count() <= 10,
        "{} lines:\n{log}",
        log.lines().count()
    );
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
    let o = officer_add(&dir, "11", "receptionist", "Trần Thị Mai", &[]);
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
    let o = officer_add(&dir, "2", "approver", "Lê Văn Hùng", &["--json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["officer"]["role"], "approver");
    assert_eq!(v["officer"]["office"], 2);
    assert_eq!(v["token"].as_str().map(str::len), Some(64));
    let o = officer_add(&dir, "9999", "approver", "Lê Văn Hùng", &[]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(stderr(&o).contains("9999"), "{}", stderr(&o));
    let o = officer_add(&dir, "11", "citizen", "X", &[]);
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
    // A data folder that cannot be made is named, in the reader's language.
    let o = run(&["--lang", "vi", "serve", "--data-dir", "/proc/cancuoc-none"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("lỗi: không tạo được thư mục dữ liệu /proc/cancuoc-none"),
        "{}",
        stderr(&o)
    );
    let o = run(&["serve", "--data-dir", "/proc/cancuoc-none"]);
    assert!(
        stderr(&o).starts_with("error: cannot create data directory /proc/cancuoc-none"),
        "{}",
        stderr(&o)
    );
}

/// POSTs the console login form; the status and the `Set-Cookie` header.
/// `cancuoc officer add --office OFFICE --role ROLE --name NAME EXTRA…
/// --data-dir DIR`.
fn officer_add(
    dir: &TempDir,
    office: &str,
    role: &str,
    name: &str,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "officer", "add", "--office", office, "--role", role, "--name", name,
    ];
    args.extend_from_slice(extra);
    args.extend(["--data-dir", dir.arg()]);
    run(&args)
}

fn console_login(server: &Server, login: &str, password: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let body = format!("login={login}&password={password}&next=%2Fcan-bo");
    let res = agent
        .post(&server.url("/can-bo/dang-nhap"))
        .header("content-type", "application/x-www-form-urlencoded")
        .send(body)
        .expect("POST login");
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (res.status().as_u16(), cookie)
}

#[test]
fn officer_add_sets_a_console_password() {
    use std::io::Write;
    let dir = TempDir::new("serve-officer-login");
    let o = run(&["seed", "--citizens", "1", "--data-dir", dir.arg()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    // From standard input: not printed; the login defaults to the folded name.
    let mut child = command()
        .args([
            "officer",
            "add",
            "--office",
            "11",
            "--role",
            "receptionist",
            "--name",
            "Trần Thị Mai",
            "--password-stdin",
            "--data-dir",
            dir.arg(),
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"mat-khau-thu-nghiem-9\n")
        .expect("write");
    let o = child.wait_with_output().expect("wait");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("tran.thi.mai"), "{out}");
    assert!(
        !out.contains("mat-khau-thu-nghiem-9"),
        "password echoed: {out}"
    );

    // Generated: printed once in the JSON; a taken login is refused.
    let o = officer_add(
        &dir,
        "11",
        "return_officer",
        "Lê Văn Hùng",
        &["--login", "hung.tra.the", "--json"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["login"], "hung.tra.the");
    let generated = v["password"]
        .as_str()
        .expect("generated password")
        .to_owned();
    assert_eq!(generated.chars().count(), 16);
    let o = officer_add(&dir, "11", "receptionist", "Trần Thị Mai", &[]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(stderr(&o).contains("--login"), "{}", stderr(&o));
    let o = officer_add(&dir, "11", "receptionist", "X", &["--login", "Lê"]);
    assert_eq!(code(&o), 1, "bad login: {}", stdout(&o));

    // Both passwords open a console session on the real server.
    let server = Server::start(&dir, &[]);
    let (s, cookie) = console_login(&server, "tran.thi.mai", "mat-khau-thu-nghiem-9");
    assert_eq!(s, 303);
    assert!(
        cookie.starts_with("cancuoc_can_bo=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let (s, _) = console_login(&server, "hung.tra.the", &generated);
    assert_eq!(s, 303);
    let (s, cookie) = console_login(&server, "tran.thi.mai", "sai-mat-khau-000");
    assert_eq!(s, 401);
    assert_eq!(cookie, "");
    assert!(server.stop().success());
}
