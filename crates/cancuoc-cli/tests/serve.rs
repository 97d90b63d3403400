//! `cancuoc serve` and `cancuoc officer add` on the real binary: health and
//! readiness probes and the metrics on a free port, the allocator key file, graceful stop
//! on SIGTERM (exit 0), `--demo` declined on a non-empty database, a
//! token from `officer add` that the API accepts, and its console login;
//! the demo's `demo.json` (everything its banner prints) and a demo
//! citizen logging in to their identity account over the API, with the
//! one-time code read from the development SMS sink.

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
    // The metrics, served to loopback by default: the probes above counted
    // under their routes.
    let (s, body) = get(&server.url("/metrics"), None);
    assert_eq!(s, 200, "{body}");
    let text = body.as_str().unwrap_or_default();
    assert!(
        text.contains(
            r#"cancuoc_http_requests_total{method="GET",route="/readyz",status="200"} 1"#
        ),
        "{text}"
    );
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
    // Where the one-time codes go, and where the JSON of it all is.
    let sink = dir.path().join("sms-outbox.jsonl");
    assert!(
        server
            .banner
            .contains(&format!("development sink at {}", sink.display())),
        "{}",
        server.banner
    );
    let json = dir.path().join("demo.json");
    assert!(
        server.banner.contains(&json.display().to_string()),
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

/// POSTs JSON to `url` without a token: status and JSON body.
fn post_public(url: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
    let mut res = service_support::agent()
        .post(url)
        .header("Content-Type", "application/json")
        .send(body.to_string().as_str())
        .expect("POST");
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

/// A fresh captcha and its answer (from the `--test-hooks` route).
fn solved_captcha(server: &Server) -> (String, String) {
    let (s, c) = get(&server.url("/api/v1/captcha"), None);
    assert_eq!(s, 200, "{c}");
    let id = c["id"].as_str().expect("captcha id").to_owned();
    let mut res = service_support::agent()
        .get(&server.url(&format!("/__test/captcha/{id}")))
        .call()
        .expect("GET answer");
    assert_eq!(res.status().as_u16(), 200, "captcha answer");
    let answer = res.body_mut().read_to_string().expect("answer");
    (id, answer.trim().to_owned())
}

/// The last one-time code the development sink holds for `phone`.
fn last_code(sink: &std::path::Path, phone: &str) -> Option<String> {
    let text = std::fs::read_to_string(sink).ok()?;
    text.lines().rev().find_map(|l| {
        let m: serde_json::Value = serde_json::from_str(l).ok()?;
        if m["to"] != phone {
            return None;
        }
        let code = m["text"].as_str()?.get(..6)?;
        code.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| code.to_owned())
    })
}

#[test]
fn demo_json_lists_what_the_banner_prints_and_a_demo_citizen_logs_in() {
    let dir = TempDir::new("serve-demo-json");
    demo_json_and_a_login(&dir, &[]);
}

#[test]
fn demo_json_and_a_login_on_postgres_too() {
    // Dropped (with the database) however the test ends.
    let Some(db) = cancuoc_testkit::PgDatabase::create("demo_json_on_postgres", "demo_pg") else {
        return;
    };
    let dir = TempDir::new("serve-demo-json-pg");
    demo_json_and_a_login(&dir, &["--database-url", db.url()]);
}

/// `serve --demo --test-hooks EXTRA…` in `dir`: `demo.json` holds what the
/// banner prints, and two demo citizens log in over the API.
fn demo_json_and_a_login(dir: &TempDir, extra: &[&str]) {
    use cancuoc_core::phone::PhoneNumber;
    let mut args = vec!["--demo", "--test-hooks"];
    args.extend_from_slice(extra);
    let server = Server::start(dir, &args);
    let path = dir.path().join("demo.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)
            .expect("demo.json")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "it holds bearer tokens");
    }
    let demo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
    let banner = &server.banner;
    assert_eq!(demo["base_url"], server.base.as_str());
    let sink = dir.path().join("sms-outbox.jsonl");
    assert_eq!(demo["sms_outbox"], sink.display().to_string());
    assert_eq!(demo["officer_password"], "cancuoc-demo");

    // The officers, each with the token and login the banner prints.
    let (tokens, codes) = service_support::parse_banner(banner);
    let officers = demo["officers"].as_array().expect("officers");
    assert_eq!(officers.len(), tokens.len(), "{banner}");
    for o in officers {
        let role = o["role"].as_str().expect("role");
        let office = o["office"].as_u64().expect("office") as u16;
        assert_eq!(
            tokens.get(&(role.to_owned(), office)).map(String::as_str),
            o["token"].as_str(),
            "{o}"
        );
        assert_eq!(o["login"], format!("{role}.{office:04}"));
        assert!(banner.contains(o["login"].as_str().expect("login")));
    }
    // The sample dossiers: one per state, as printed.
    let dossiers = demo["dossiers"].as_array().expect("dossiers");
    for d in dossiers.iter().filter(|d| d["former_structure"] == false) {
        let state = d["state"].as_str().expect("state");
        let code = d["code"].as_str().expect("code");
        assert_eq!(code.len(), 16, "{d}");
        if d["overdue"] == false {
            assert_eq!(codes.get(state).map(String::as_str), Some(code), "{d}");
        }
    }
    assert_eq!(
        dossiers
            .iter()
            .filter(|d| d["former_structure"] == true)
            .count(),
        1
    );

    // The citizens: a valid mobile number and a card of 2021–2025 each;
    // accounts at level 1 and 2, and some without one.
    let password = demo["citizen_password"].as_str().expect("password");
    assert!(
        banner.contains(&format!("account password: {password})")),
        "{banner}"
    );
    let citizens = demo["citizens"].as_array().expect("citizens");
    let level = |l: Option<u64>| {
        citizens
            .iter()
            .filter(|c| c["account"].as_u64() == l)
            .count()
    };
    assert_eq!((level(Some(2)), level(Some(1)), level(None)), (2, 2, 3));
    assert_eq!(citizens.len(), 7);
    for c in citizens {
        let pid = c["personal_id"].as_str().expect("personal id");
        assert!(
            pid.len() == 12 && pid.bytes().all(|b| b.is_ascii_digit()),
            "{c}"
        );
        let phone = c["phone"].as_str().expect("phone");
        assert_eq!(
            PhoneNumber::parse(phone).map(|p| p.as_str().to_owned()),
            Ok(phone.to_owned())
        );
        let issued = c["card_issue_date"].as_str().expect("issue date");
        assert!(("2021-01-01".."2026-01-01").contains(&issued), "{c}");
        let born = c["date_of_birth"].as_str().expect("born");
        assert_eq!(born.len(), 10, "{c}");
        // The birth year's century and the sex are in the number: the
        // 4th digit is 0/1 (20th century, male/female) or 2/3 (21st).
        let century = if born < "2000" { 0 } else { 2 };
        let g = pid.as_bytes()[3] - b'0';
        assert!(g == century || g == century + 1, "{c}");
        assert_eq!(&pid[4..6], &born[2..4], "{c}");
        // The banner's row: number, then the name.
        assert!(
            banner.lines().any(|l| l.trim_start().starts_with(pid)
                && l.contains(c["full_name"].as_str().expect("name"))
                && l.contains(phone)),
            "{pid} not in\n{banner}"
        );
    }
    assert!(
        banner.contains("no account (chưa có tài khoản)"),
        "{banner}"
    );
    // The child, linked to a guardian who has an account.
    let children = demo["children"].as_array().expect("children");
    assert_eq!(children.len(), 1, "{demo}");
    let child = &children[0];
    let guardian = citizens
        .iter()
        .find(|c| c["personal_id"] == child["guardian"])
        .expect("the guardian is a demo citizen");
    assert!(guardian["account"].is_u64(), "{guardian}");
    assert_eq!(child["relation"], "mother");
    let child_born = child["date_of_birth"].as_str().expect("child born");
    assert!(
        ("2016-01-01".."2021-01-01").contains(&child_born),
        "{child}"
    );
    assert!(banner.contains(child["personal_id"].as_str().expect("pid")));

    // The level-2 citizen with self-declared fields logs in: password and
    // captcha, the code from the sink, then her identification data.
    let who = citizens
        .iter()
        .find(|c| c["self_declared"].as_array().is_some_and(|f| !f.is_empty()))
        .expect("a citizen with self-declared fields");
    assert_eq!(who["account"], 2);
    let pid = who["personal_id"].as_str().expect("pid");
    let phone = who["phone"].as_str().expect("phone");
    let (captcha_id, captcha_answer) = solved_captcha(&server);
    let (s, ticket) = post_public(
        &server.url("/api/v1/auth/login"),
        &serde_json::json!({
            "personal_id": pid, "password": password,
            "captcha_id": captcha_id, "captcha_answer": captcha_answer,
        }),
    );
    assert_eq!(s, 202, "{ticket}");
    let otp = last_code(&sink, phone).expect("a code in the sink");
    let (s, login) = post_public(
        &server.url("/api/v1/auth/otp"),
        &serde_json::json!({"challenge_id": ticket["challenge_id"], "otp": otp}),
    );
    assert_eq!(s, 200, "{login}");
    let token = login["token"].as_str().expect("token");
    let (s, me) = get(&server.url("/api/v1/me"), Some(token));
    assert_eq!(s, 200, "{me}");
    assert_eq!(me["personal_id"], pid);
    assert_eq!(me["full_name"], who["full_name"]);
    assert_eq!(me["date_of_birth"], who["date_of_birth"]);
    assert_eq!(me["level"], 2);
    let field = |name: &str| {
        me["fields"]
            .as_array()
            .and_then(|f| f.iter().find(|x| x["name"] == name))
            .unwrap_or_else(|| panic!("no {name} in {me}"))
            .clone()
    };
    assert_eq!(field("phone")["value"], phone);
    assert_eq!(field("phone")["verified"], false);
    assert_eq!(field("phone")["source"], "citizen");
    assert_eq!(field("temporary_residence")["verified"], false);
    assert_eq!(field("full_name")["verified"], true);
    assert_eq!(field("full_name")["source"], "npd");

    // The guardian sees her child.
    let gpid = guardian["personal_id"].as_str().expect("pid");
    let (captcha_id, captcha_answer) = solved_captcha(&server);
    let (s, ticket) = post_public(
        &server.url("/api/v1/auth/login"),
        &serde_json::json!({
            "personal_id": gpid, "password": password,
            "captcha_id": captcha_id, "captcha_answer": captcha_answer,
        }),
    );
    assert_eq!(s, 202, "{ticket}");
    let otp = last_code(&sink, guardian["phone"].as_str().expect("phone")).expect("code");
    let (s, login) = post_public(
        &server.url("/api/v1/auth/otp"),
        &serde_json::json!({"challenge_id": ticket["challenge_id"], "otp": otp}),
    );
    assert_eq!(s, 200, "{login}");
    let (s, me) = get(&server.url("/api/v1/me"), login["token"].as_str());
    assert_eq!(s, 200, "{me}");
    assert_eq!(
        me["children"][0]["personal_id"], child["personal_id"],
        "{me}"
    );
    assert!(server.stop().success());
}
