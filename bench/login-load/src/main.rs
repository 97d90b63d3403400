//! Login load for `bench/accounts.sh`: CLIENTS threads, each a citizen of
//! the demo logging in again and again for SECONDS — `GET /api/v1/captcha`,
//! the answer from the test hook `GET /__test/captcha/{id}` (the server
//! runs with `--test-hooks`), then `POST /api/v1/auth/login` with the
//! demo password — and counts the password checks the server completed
//! per second. A login whose password was right is answered 202 (a code
//! sent) or, once the number's one-time-code cooldown or hourly quota is
//! reached, 429 `otp.cooldown` / `otp.quota`: both come after the Argon2id
//! check, so both count; a refusal before the check (`limit.*`) or any
//! other answer does not, and is reported.
//!
//! The accounts and their password come from the demo's `demo.json`.
//! Client threads are spread over the accounts round robin: the server
//! reserves a password attempt per (number, address) before checking it,
//! 5 at once per number from one address and 20 per address, so keep
//! CLIENTS ≤ 4 × accounts and ≤ 20 (one address: 127.0.0.1).
//!
//! Usage: `cancuoc-bench-login-load URL DEMO_JSON [CLIENTS] [SECONDS]`
//! (defaults 16 and 10). Prints a summary on stderr and one JSON object
//! on stdout.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// One worker's counts.
#[derive(Default)]
struct Tally {
    /// Answers by kind: `202`, `429 otp.cooldown`, `401 account.credentials`…
    answers: BTreeMap<String, u64>,
    /// Password checks completed (202 and the one-time-code refusals).
    checks: u64,
    /// Milliseconds of each login request.
    login_ms: Vec<f64>,
    /// Milliseconds of each captcha (challenge and answer).
    captcha_ms: Vec<f64>,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// GET `url`: status and body.
fn get(a: &ureq::Agent, url: &str) -> Result<(u16, String), ureq::Error> {
    let mut res = a.get(url).call()?;
    let status = res.status().as_u16();
    Ok((status, res.body_mut().read_to_string()?))
}

/// The error code of a problem+json body (`code`), if any.
fn error_code(body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v.get("code").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_else(|| "-".to_owned())
}

/// One client: logs in as `pid` until `deadline`.
fn client(base: &str, pid: &str, password: &str, deadline: Instant) -> Tally {
    let a = agent();
    let mut t = Tally::default();
    let note = |t: &mut Tally, k: String| *t.answers.entry(k).or_default() += 1;
    while Instant::now() < deadline {
        let started = Instant::now();
        let id = match get(&a, &format!("{base}/api/v1/captcha")) {
            Ok((200, body)) => match serde_json::from_str::<Value>(&body)
                .ok()
                .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_owned))
            {
                Some(id) => id,
                None => {
                    note(&mut t, "captcha: no id".into());
                    continue;
                }
            },
            Ok((s, body)) => {
                note(&mut t, format!("captcha {s} {}", error_code(&body)));
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
            Err(e) => {
                note(&mut t, format!("captcha: {e}"));
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        let answer = match get(&a, &format!("{base}/__test/captcha/{id}")) {
            Ok((200, body)) => body.trim().to_owned(),
            Ok((s, _)) => {
                note(&mut t, format!("captcha answer {s}"));
                continue;
            }
            Err(e) => {
                note(&mut t, format!("captcha answer: {e}"));
                continue;
            }
        };
        let login_at = Instant::now();
        t.captcha_ms.push((login_at - started).as_secs_f64() * 1e3);
        let body = json!({
            "personal_id": pid,
            "password": password,
            "captcha_id": id,
            "captcha_answer": answer,
        })
        .to_string();
        let res = a
            .post(&format!("{base}/api/v1/auth/login"))
            .header("Content-Type", "application/json")
            .send(body.as_str());
        let (status, text) = match res {
            Ok(mut r) => {
                let s = r.status().as_u16();
                (s, r.body_mut().read_to_string().unwrap_or_default())
            }
            Err(e) => {
                note(&mut t, format!("login: {e}"));
                continue;
            }
        };
        t.login_ms.push(login_at.elapsed().as_secs_f64() * 1e3);
        let key = if status == 202 {
            "202".to_owned()
        } else {
            format!("{status} {}", error_code(&text))
        };
        let checked = status == 202
            || (status == 429
                && matches!(
                    error_code(&text).as_str(),
                    "otp.cooldown" | "otp.quota" | "account.codes_locked"
                ));
        if checked {
            t.checks += 1;
        }
        note(&mut t, key);
    }
    t
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: cancuoc-bench-login-load URL DEMO_JSON [CLIENTS] [SECONDS]");
        std::process::exit(2);
    }
    let base = args[1].trim_end_matches('/').to_owned();
    let clients: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(16);
    let seconds: f64 = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(10.0);
    let demo: Value = match std::fs::read_to_string(&args[2])
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(v) => v,
        Err(e) => {
            eprintln!("cannot read {}: {e}", args[2]);
            std::process::exit(2);
        }
    };
    let password = demo["citizen_password"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let accounts: Vec<String> = demo["citizens"]
        .as_array()
        .map(|v| {
            v.iter()
                .filter(|c| !c["account"].is_null())
                .filter_map(|c| c["personal_id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if accounts.is_empty() || password.is_empty() {
        eprintln!(
            "{}: no citizen with an account, or no citizen_password",
            args[2]
        );
        std::process::exit(2);
    }
    if clients > 4 * accounts.len() || clients > 20 {
        eprintln!(
            "warning: {clients} clients over {} accounts from one address: the server's \
             password-attempt reservations (5 per number, 20 per address) will refuse some",
            accounts.len()
        );
    }
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let results = Arc::new(Mutex::new(Vec::new()));
    let threads: Vec<_> = (0..clients)
        .map(|i| {
            let base = base.clone();
            let pid = accounts[i % accounts.len()].clone();
            let password = password.clone();
            let results = Arc::clone(&results);
            std::thread::spawn(move || {
                let t = client(&base, &pid, &password, deadline);
                results.lock().unwrap_or_else(|p| p.into_inner()).push(t);
            })
        })
        .collect();
    for t in threads {
        let _ = t.join();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let results = std::mem::take(&mut *results.lock().unwrap_or_else(|p| p.into_inner()));
    let mut answers: BTreeMap<String, u64> = BTreeMap::new();
    let mut checks = 0;
    let mut login_ms = Vec::new();
    let mut captcha_ms = Vec::new();
    for t in results {
        checks += t.checks;
        for (k, n) in t.answers {
            *answers.entry(k).or_default() += n;
        }
        login_ms.extend(t.login_ms);
        captcha_ms.extend(t.captcha_ms);
    }
    login_ms.sort_by(f64::total_cmp);
    let captcha_mean = if captcha_ms.is_empty() {
        0.0
    } else {
        captcha_ms.iter().sum::<f64>() / captcha_ms.len() as f64
    };
    let per_second = checks as f64 / elapsed;
    let summary = json!({
        "seconds": (elapsed * 100.0).round() / 100.0,
        "clients": clients,
        "accounts": accounts.len(),
        "password_checks": checks,
        "per_second": (per_second * 10.0).round() / 10.0,
        "login_p50_ms": (percentile(&login_ms, 0.5) * 10.0).round() / 10.0,
        "login_p99_ms": (percentile(&login_ms, 0.99) * 10.0).round() / 10.0,
        "captcha_mean_ms": (captcha_mean * 10.0).round() / 10.0,
        "answers": answers,
    });
    eprintln!(
        "login load: {checks} password checks in {elapsed:.1} s = {per_second:.1}/s \
         ({clients} clients, {} accounts); login p50 {:.0} ms, p99 {:.0} ms; answers {}",
        accounts.len(),
        percentile(&login_ms, 0.5),
        percentile(&login_ms, 0.99),
        summary["answers"]
    );
    println!("{summary}");
}
