//! Crash safety (issue 16, part 4): the real `cancuoc serve` under
//! concurrent load is killed with SIGKILL at random moments, started again
//! on the same database each time, and afterwards nothing it acknowledged
//! is lost, nothing is half-applied, and retries under the same
//! idempotency key (or the same booking form) answer as the first time.
//! Once on an SQLite file (default durability, `synchronous = FULL`) and
//! once on a fresh PostgreSQL database (skipped with a SKIP line without
//! `CANCUOC_TEST_PG_URL`, unless `CANCUOC_REQUIRE_PG` is set).
//!
//! The load, over HTTP as clients send it:
//! - walkers (officers' API): register a citizen, open a dossier for them
//!   (`Idempotency-Key`), then walk it from reception to return, each step
//!   with its own key and the version last answered;
//! - bookers (the citizens' portal): the booking form of a free slot, its
//!   captcha answered through the `--test-hooks` route, sent as a browser
//!   does (the form's challenge is the booking's idempotency: the same form
//!   sent again answers with the booking it made).
//!
//! A request that gets no answer (the server died under it, or was not up
//! yet) is sent again, unchanged, until one comes: the answer then is the
//! first answer that request ever got, and whether the first sending had
//! been applied or not, it must be applied exactly once.
//!
//! The checks: after each kill, before the restart, `cancuoc check` on the
//! database as the crash left it (states replay from their events, booking
//! seats match their appointments, counters, orphans). At the end: every
//! acknowledged citizen, dossier (with exactly the steps answered, in
//! order: none lost, none twice), and appointment is stored, and nothing
//! else; every acknowledged opening, step and booking form sent again
//! answers as the first time and changes nothing; each dossier's state is
//! the replay of its events, as the API and the public status show it; and
//! `cancuoc check` once more after a graceful stop.
//!
//! Only the kill times are random (a seeded generator; the seed is
//! printed, and `CANCUOC_CRASH_SEED=N` replays it); what is asserted is
//! not: every acknowledged write is checked, exactly.

mod service_support;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cancuoc_core::dossier::workflow::{Actor, DossierEvent, Role, State, replay};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use service_support::{Server, TempDir, code, run, stderr, stdout, write_file};

/// Kills per run.
const KILLS: usize = 8;
/// A kill comes this many milliseconds (at random, inclusive) after the
/// server answers again.
const KILL_AFTER_MS: (u64, u64) = (50, 500);
/// Load kept on the last server before the load stops.
const LAST_LEG_MS: u64 = 400;
/// Threads walking dossiers, threads booking.
const WALKERS: usize = 3;
const BOOKERS: usize = 2;
/// The reception office of the load (Công an Phường Ba Đình, of the
/// seeder's demo office tree) and its province as the booking form names
/// it (Hà Nội).
const OFFICE: u16 = 101;
const PROVINCE: &str = "10";
/// How long one request may go unanswered (restarts included) before the
/// test gives up on the server.
const ANSWER_WITHIN: Duration = Duration::from_secs(60);

/// The two runs share the machine's two cores: one at a time, so that each
/// kill lands in its own run's load.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

#[test]
fn sqlite_file_loses_nothing_acknowledged_across_sigkills() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = TempDir::new("crash-sqlite");
    crash_run("sqlite", &dir, &[]);
}

#[test]
fn postgres_loses_nothing_acknowledged_across_sigkills() {
    // Dropped (with the database) however the test ends.
    let Some(db) = cancuoc_testkit::PgDatabase::create(
        "postgres_loses_nothing_acknowledged_across_sigkills",
        "crash_pg",
    ) else {
        return;
    };
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = TempDir::new("crash-pg");
    crash_run("postgres", &dir, &["--database-url", db.url()]);
}

/// The officers the load acts as: their bearer tokens.
struct Officers {
    receptionist: String,
    return_officer: String,
    approver: String,
    printer: String,
    dispatcher: String,
    admin: String,
}

/// Offices (the seeder's demo tree, no citizens) and one officer of each
/// role the walk needs, through the CLI on the database `db` names.
fn setup(dir: &TempDir, db: &[&str]) -> Officers {
    let mut args = vec!["seed", "--citizens", "0", "--data-dir", dir.arg()];
    args.extend_from_slice(db);
    let o = run(&args);
    assert_eq!(code(&o), 0, "seed: {}", stderr(&o));
    let add = |office: &str, role: &str, login: &str| -> String {
        let mut args = vec![
            "officer",
            "add",
            "--office",
            office,
            "--role",
            role,
            "--name",
            "Lê Văn Thử",
            "--login",
            login,
            "--json",
            "--data-dir",
            dir.arg(),
        ];
        args.extend_from_slice(db);
        let o = run(&args);
        assert_eq!(code(&o), 0, "officer add {role}: {}", stderr(&o));
        let v: Value = serde_json::from_str(&stdout(&o)).expect("officer JSON");
        v["token"].as_str().expect("token").to_owned()
    };
    let office = OFFICE.to_string();
    Officers {
        receptionist: add(&office, "receptionist", "crash.tiep.nhan"),
        return_officer: add(&office, "return_officer", "crash.tra.the"),
        approver: add("2", "approver", "crash.phe.duyet"),
        printer: add("2", "printer", "crash.in.the"),
        dispatcher: add("2", "dispatcher", "crash.chuyen.phat"),
        admin: add("1", "admin", "crash.quan.tri"),
    }
}

/// One run on one database: setup, load with kills, then the checks.
fn crash_run(name: &str, dir: &TempDir, db: &[&str]) {
    let t0 = Instant::now();
    let seed = match std::env::var("CANCUOC_CRASH_SEED") {
        Ok(s) => s.parse::<u64>().expect("CANCUOC_CRASH_SEED: a number"),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64),
    };
    println!("crash {name}: seed {seed} (replay the kill times: CANCUOC_CRASH_SEED={seed})");
    let mut rng = StdRng::seed_from_u64(seed);

    let officers = setup(dir, db);
    // The load comes from loopback, exempt from the per-client limits of
    // the public doors (captchas, bookings), as a load test is.
    let config = write_file(dir, "crash.toml", "rate_limit_exempt = [\"127.0.0.0/8\"]\n");
    let mut args = vec!["--test-hooks", "--config", config.as_str()];
    args.extend_from_slice(db);
    let mut server = Server::start(dir, &args);
    let base = server.base.clone();
    let bind = base.trim_start_matches("http://").to_owned();
    let http = Http::new(&base);
    let slots = free_slots(&http);
    assert!(!slots.is_empty(), "no free slot at office {OFFICE}");

    let stop = AtomicBool::new(false);
    let acks = AtomicUsize::new(0);
    let restarts = AtomicUsize::new(0);
    let (logs, server): (Vec<Log>, Server) = std::thread::scope(|s| {
        let mut workers = Vec::new();
        for w in 0..WALKERS {
            let (officers, stop, acks, base) = (&officers, &stop, &acks, &base);
            workers.push(s.spawn(move || walker(w, &Http::new(base), officers, stop, acks)));
        }
        for b in 0..BOOKERS {
            let (slots, stop, acks, restarts, base) = (&slots, &stop, &acks, &restarts, &base);
            workers.push(s.spawn(move || booker(b, &Http::new(base), slots, stop, acks, restarts)));
        }
        for k in 1..=KILLS {
            let after = rng.random_range(KILL_AFTER_MS.0..=KILL_AFTER_MS.1);
            std::thread::sleep(Duration::from_millis(after));
            let before = acks.load(Ordering::SeqCst);
            let status = server.kill();
            println!(
                "crash {name}: kill {k}/{KILLS} {after} ms into the load ({before} answers so far): {status:?}"
            );
            // The database as the crash left it passes the integrity check
            // before anything else opens it.
            let dossiers = check_integrity(dir, db);
            println!(
                "crash {name}: the database after kill {k} passes `cancuoc check` ({dossiers} dossiers)"
            );
            server = Server::start_on(dir, &bind, &args, None);
            restarts.fetch_add(1, Ordering::SeqCst);
            assert_eq!(server.base, base, "restarted on another address");
        }
        std::thread::sleep(Duration::from_millis(LAST_LEG_MS));
        stop.store(true, Ordering::SeqCst);
        let logs = workers
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect();
        (logs, server)
    });
    let log = Log::merge(logs);
    println!(
        "crash {name}: load done after {:.1} s: {} citizens, {} dossiers opened, {} steps, {} bookings acknowledged; sent again: {} cut off by a kill, {} refused while down, {} answered 502-504",
        t0.elapsed().as_secs_f64(),
        log.citizens.len(),
        log.opens.len(),
        log.steps.len(),
        log.bookings.len(),
        log.cut,
        log.refused,
        log.busy,
    );
    assert!(
        log.violations.is_empty(),
        "answers that break the API's promises under crashes:\n{}",
        log.violations.join("\n")
    );
    assert!(
        !log.opens.is_empty() && !log.steps.is_empty() && !log.bookings.is_empty(),
        "the load acknowledged too little to test anything"
    );

    // 1. Everything acknowledged is there, applied exactly once.
    let t1 = Instant::now();
    check_acknowledged(&http, &officers, &log, &slots);
    // 2. Retries under the same key (the same form) answer as before, and
    //    apply nothing: checked again after them.
    check_replays(&http, &officers, &log);
    check_acknowledged(&http, &officers, &log, &slots);
    // 3. Nothing half-applied: every dossier replays to its state, as the
    //    officers' API and the public status show it, and as `cancuoc
    //    check` reads the database once the server has stopped.
    let dossiers = check_states_over_api(&http, &officers);
    assert_eq!(dossiers, log.opens.len(), "dossiers stored vs opened");
    assert!(server.stop().success(), "graceful stop after the run");
    assert_eq!(
        check_integrity(dir, db),
        dossiers,
        "dossiers `cancuoc check` replayed"
    );
    println!(
        "crash {name}: checked in {:.1} s; whole run {:.1} s",
        t1.elapsed().as_secs_f64(),
        t0.elapsed().as_secs_f64()
    );
}

// ---------------------------------------------------------------------
// HTTP: one answer, or none (the server is down).

/// What a request carries.
enum Body<'a> {
    None,
    Json(&'a Value),
    Form(&'a [(String, String)]),
}

/// One request, as sent again after no answer.
struct Request<'a> {
    method: &'static str,
    path: String,
    token: Option<&'a str>,
    key: Option<&'a str>,
    body: Body<'a>,
}

/// An answer: status, the `Location` and `Idempotent-Replayed` headers,
/// the body as JSON when the server says it is JSON, else as a string
/// (a captcha answer of digits only is text, not a number).
#[derive(Clone, Debug)]
struct Answer {
    status: u16,
    location: Option<String>,
    replayed: bool,
    body: Value,
}

/// A blocking HTTP client of the server (its address never changes: the
/// restarts bind the same port).
struct Http {
    agent: ureq::Agent,
    base: String,
}

impl Http {
    fn new(base: &str) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(20)))
            .build()
            .into();
        Self {
            agent,
            base: base.to_owned(),
        }
    }

    /// Sends `r` once: its answer, or the transport error (refused, reset,
    /// closed without an answer).
    fn send(&self, r: &Request<'_>) -> Result<Answer, ureq::Error> {
        let url = format!("{}{}", self.base, r.path);
        let mut res = match (r.method, &r.body) {
            ("GET", _) => {
                let mut q = self.agent.get(&url);
                if let Some(t) = r.token {
                    q = q.header("Authorization", &format!("Bearer {t}"));
                }
                q.call()?
            }
            (_, body) => {
                let mut q = self.agent.post(&url);
                if let Some(t) = r.token {
                    q = q.header("Authorization", &format!("Bearer {t}"));
                }
                if let Some(k) = r.key {
                    q = q.header("Idempotency-Key", k);
                }
                match body {
                    Body::Json(v) => q
                        .header("Content-Type", "application/json")
                        .send(v.to_string().as_str())?,
                    Body::Form(pairs) => q.send_form(pairs.iter().map(|(k, v)| (k, v)))?,
                    Body::None => q.send_empty()?,
                }
            }
        };
        let status = res.status().as_u16();
        let header = |name: &str| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let location = header("location");
        let replayed = header("idempotent-replayed").as_deref() == Some("true");
        let json = header("content-type").is_some_and(|t| t.contains("json"));
        let text = res.body_mut().read_to_string()?;
        let body = if json {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        } else {
            Value::String(text)
        };
        Ok(Answer {
            status,
            location,
            replayed,
            body,
        })
    }

    /// Sends `r` until it is answered, unchanged each time; the answer and
    /// how many sendings went unanswered (no answer, or a 502/503/504 that
    /// says nothing about whether it was applied).
    fn until_answered(&self, r: &Request<'_>) -> (Answer, Sendings) {
        let start = Instant::now();
        let mut sendings = Sendings::default();
        loop {
            match self.send(r) {
                Ok(a) if matches!(a.status, 502..=504) => sendings.busy += 1,
                Ok(a) => return (a, sendings),
                // Not even connected: the server is down (and nothing was
                // sent, but the test does not lean on that).
                Err(ureq::Error::Io(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                    sendings.refused += 1;
                }
                // Cut off: sent (perhaps in part), no answer read.
                Err(_) => sendings.cut += 1,
            }
            assert!(
                start.elapsed() < ANSWER_WITHIN,
                "{} {}: no answer within {ANSWER_WITHIN:?}",
                r.method,
                r.path
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// GET `path` (an officer's token or none) until answered.
    fn get(&self, path: &str, token: Option<&str>) -> Answer {
        let r = Request {
            method: "GET",
            path: path.to_owned(),
            token,
            key: None,
            body: Body::None,
        };
        self.until_answered(&r).0
    }
}

/// Sendings of one request that got no answer it could go by.
#[derive(Clone, Copy, Debug, Default)]
struct Sendings {
    /// Connection refused: the server was down, nothing reached it.
    refused: usize,
    /// Connected, then no answer: the server died under the request.
    cut: usize,
    /// Answered 502, 503 or 504: applied or not, it does not say.
    busy: usize,
}

impl Sendings {
    /// Whether a sending before the answer may have been applied.
    fn lost(self) -> bool {
        self.cut + self.busy > 0
    }
}

// ---------------------------------------------------------------------
// What the load was told.

/// A citizen registered (201).
struct CitizenAck {
    personal_id: String,
    id: i64,
}

/// A dossier opened (201) under an idempotency key.
struct OpenAck {
    key: String,
    body: Value,
    code: String,
    id: i64,
    citizen: i64,
}

/// A workflow step applied (200) under an idempotency key.
struct StepAck {
    key: String,
    token: String,
    code: String,
    body: Value,
    answer: Value,
}

/// An appointment booked (303 to its confirmation).
struct BookingAck {
    form: Vec<(String, String)>,
    location: String,
    code: String,
    name: String,
    day: String,
    time: String,
}

/// One worker's record (then all of them, merged).
#[derive(Default)]
struct Log {
    citizens: Vec<CitizenAck>,
    opens: Vec<OpenAck>,
    steps: Vec<StepAck>,
    bookings: Vec<BookingAck>,
    refused: usize,
    cut: usize,
    busy: usize,
    violations: Vec<String>,
}

impl Log {
    fn count(&mut self, s: Sendings) {
        self.refused += s.refused;
        self.cut += s.cut;
        self.busy += s.busy;
    }

    fn merge(logs: Vec<Log>) -> Log {
        let mut all = Log::default();
        for l in logs {
            all.citizens.extend(l.citizens);
            all.opens.extend(l.opens);
            all.steps.extend(l.steps);
            all.bookings.extend(l.bookings);
            all.refused += l.refused;
            all.cut += l.cut;
            all.busy += l.busy;
            all.violations.extend(l.violations);
        }
        all
    }
}

// ---------------------------------------------------------------------
// The load.

/// The walk from reception to return: target state, who takes it, what
/// else the step needs.
fn steps(o: &Officers) -> [(&'static str, &str, Value); 8] {
    [
        ("captured", &o.receptionist, json!({})),
        ("slip_issued", &o.receptionist, json!({})),
        (
            "sent_to_centre",
            &o.receptionist,
            json!({"population_data_changed": false}),
        ),
        ("approved", &o.approver, json!({})),
        ("printed", &o.printer, json!({})),
        ("dispatched", &o.dispatcher, json!({})),
        ("ready_for_pickup", &o.return_officer, json!({})),
        (
            "returned",
            &o.return_officer,
            json!({"old_document": "none_to_collect"}),
        ),
    ]
}

/// The note of the step to `to` (checked on the stored event).
fn note_of(to: &str) -> String {
    format!("crash test: {to}")
}

/// Walker `w`: citizens registered, dossiers opened and walked, until
/// `stop` (checked between requests; a request under way is always
/// answered first).
fn walker(w: usize, http: &Http, o: &Officers, stop: &AtomicBool, acks: &AtomicUsize) -> Log {
    let mut log = Log::default();
    let capture =
        serde_json::to_value(cancuoc_testkit::world::complete_capture()).expect("capture JSON");
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        // 001 (Hà Nội) · 0 (born in the 1900s, male) · 90 · serial: as
        // the date of birth and sex below say.
        let pid = format!("001090{:06}", w * 100_000 + n);
        n += 1;
        let citizen = json!({
            "personal_id": pid, "full_name": "Lê Văn Thử", "dob": "1990-05-17",
            "sex": "male", "place_of_origin": "Xã Bình Thử",
            "birth_registration": "Hà Nội",
            "permanent_residence": "Thôn 1, Xã Bình Thử", "phone": "0900000000",
        });
        let r = Request {
            method: "POST",
            path: "/api/v1/citizens".into(),
            token: Some(&o.receptionist),
            key: None,
            body: Body::Json(&citizen),
        };
        let (a, s) = http.until_answered(&r);
        log.count(s);
        acks.fetch_add(1, Ordering::SeqCst);
        match a.status {
            201 => log.citizens.push(CitizenAck {
                personal_id: pid.clone(),
                id: a.body["id"].as_i64().unwrap_or(-1),
            }),
            // Registered by a sending that went unanswered.
            409 if s.lost() => {}
            _ => {
                log.violations
                    .push(format!("register {pid}: {} {}", a.status, a.body));
                continue;
            }
        }

        let key = format!("crash-open-{pid}");
        let body = json!({
            "personal_id": pid, "reason": "first-issue", "capture": capture,
        });
        let r = Request {
            method: "POST",
            path: "/api/v1/dossiers".into(),
            token: Some(&o.receptionist),
            key: Some(&key),
            body: Body::Json(&body),
        };
        let (a, s) = http.until_answered(&r);
        log.count(s);
        acks.fetch_add(1, Ordering::SeqCst);
        let (Some(code), Some(id), Some(cid), Some(1)) = (
            a.body["code"].as_str(),
            a.body["id"].as_i64(),
            a.body["citizen"].as_i64(),
            a.body["version"].as_i64(),
        ) else {
            log.violations
                .push(format!("open for {pid}: {} {}", a.status, a.body));
            continue;
        };
        if a.status != 201 {
            log.violations
                .push(format!("open for {pid}: {} {}", a.status, a.body));
            continue;
        }
        let code = code.to_owned();
        log.opens.push(OpenAck {
            key,
            body,
            code: code.clone(),
            id,
            citizen: cid,
        });

        // The opening is version 1; each step answered adds one.
        for (version, (to, token, extra)) in (1..).zip(steps(o)) {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            let mut body = json!({"to": to, "version": version, "note": note_of(to)});
            if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
                b.extend(e.clone());
            }
            let key = format!("crash-step-{code}-{to}");
            let r = Request {
                method: "POST",
                path: format!("/api/v1/dossiers/{code}/transitions"),
                token: Some(token),
                key: Some(&key),
                body: Body::Json(&body),
            };
            let (a, s) = http.until_answered(&r);
            log.count(s);
            acks.fetch_add(1, Ordering::SeqCst);
            // A first answer is never a replay; a sending after one that
            // went unanswered may be (the first was applied).
            if a.status != 200
                || a.body["to"] != to
                || a.body["version"] != version + 1
                || (a.body["replayed"] != false && !s.lost())
                || a.replayed != (a.body["replayed"] == true)
            {
                log.violations.push(format!(
                    "step {code} → {to} at version {version}: {} {}",
                    a.status, a.body
                ));
                break;
            }
            log.steps.push(StepAck {
                key,
                token: token.to_owned(),
                code: code.clone(),
                body,
                answer: a.body,
            });
        }
    }
    log
}

/// The seats of [`OFFICE`] the load books, as the booking form lists its
/// slots: each `(day, time)` once per two free seats (so that no slot
/// fills, however fast the machine: a full slot would be a refusal the
/// test did not cause), round by round across the slots. The first day
/// listed is left out: were the test to run over midnight in Vietnam, it
/// would leave the booking window.
fn free_slots(http: &Http) -> Vec<(String, String)> {
    let page = http.get(&format!("/dat-lich?tinh={PROVINCE}&don_vi={OFFICE}"), None);
    assert_eq!(page.status, 200, "{}", page.body);
    let mut free = Vec::new();
    for (day, _) in options(page.body.as_str().unwrap_or(""), "ngay")
        .into_iter()
        .skip(1)
    {
        let page = http.get(
            &format!("/dat-lich?tinh={PROVINCE}&don_vi={OFFICE}&ngay={day}"),
            None,
        );
        assert_eq!(page.status, 200, "{}", page.body);
        for (time, label) in options(page.body.as_str().unwrap_or(""), "gio") {
            // "07:30–08:00 (8 chỗ trống)": the free seats.
            let seats = label
                .split('(')
                .nth(1)
                .and_then(|r| r.split(' ').next())
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or_else(|| panic!("no free seats in {label:?}"));
            free.push((day.clone(), time, seats / 2));
        }
    }
    let rounds = free.iter().map(|f| f.2).max().unwrap_or(0);
    (0..rounds)
        .flat_map(|r| {
            free.iter()
                .filter(move |f| f.2 > r)
                .map(|(d, t, _)| (d.clone(), t.clone()))
        })
        .collect()
}

/// The non-empty options of `<select name="NAME">` on a page: value and
/// label.
fn options(html: &str, name: &str) -> Vec<(String, String)> {
    let Some(start) = html.find(&format!("name=\"{name}\"")) else {
        return Vec::new();
    };
    let end = html[start..]
        .find("</select>")
        .map_or(html.len(), |e| start + e);
    html[start..end]
        .split("<option value=\"")
        .skip(1)
        .filter_map(|o| {
            let (value, rest) = o.split_once('"')?;
            let label = rest.split_once('>')?.1.split('<').next()?;
            (!value.is_empty()).then(|| (value.to_owned(), label.to_owned()))
        })
        .collect()
}

/// A name of letters for the number `n` (each digit a letter): tells the
/// bookings apart in the office's list, where phones are masked.
fn name_for(n: usize) -> String {
    let word: String = n
        .to_string()
        .bytes()
        .map(|d| char::from(b'a' + (d - b'0')))
        .collect();
    format!("Trần Thị Hẹn B{word}")
}

/// Booker `b`: appointments through the portal's form, until `stop`
/// (`restarts`: how many times the server was started again so far).
fn booker(
    b: usize,
    http: &Http,
    slots: &[(String, String)],
    stop: &AtomicBool,
    acks: &AtomicUsize,
    restarts: &AtomicUsize,
) -> Log {
    let mut log = Log::default();
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        // Every seat this booker may take is taken: its load is done.
        let Some((day, time)) = slots.get(b + n * BOOKERS) else {
            break;
        };
        let serial = b * 100_000 + n;
        n += 1;
        let name = name_for(serial);
        let phone = format!("091{serial:07}");
        // The details form of the slot holds the challenge; its answer
        // comes from the test hook.
        let started = restarts.load(Ordering::SeqCst);
        let page = http.get(
            &format!("/dat-lich?tinh={PROVINCE}&don_vi={OFFICE}&ngay={day}&gio={time}"),
            None,
        );
        let html = page.body.as_str().unwrap_or("");
        let Some(challenge) = html
            .split("name=\"challenge\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .map(str::to_owned)
        else {
            log.violations.push(format!(
                "booking form {day} {time}: {} without a challenge",
                page.status
            ));
            continue;
        };
        let answer = http.get(&format!("/__test/captcha/{challenge}"), None);
        if answer.status == 404 && restarts.load(Ordering::SeqCst) != started {
            // The test hook keeps the answers of the challenges its own
            // process made, in memory: a restart since the form was shown
            // forgets it (the challenge itself is stored). Show a new form.
            continue;
        }
        let Some(text) = answer.body.as_str().filter(|_| answer.status == 200) else {
            log.violations.push(format!(
                "captcha answer {challenge}: {} {}",
                answer.status, answer.body
            ));
            continue;
        };
        let form: Vec<(String, String)> = [
            ("tinh", PROVINCE),
            ("don_vi", &OFFICE.to_string()),
            ("ngay", day),
            ("gio", time),
            ("ho_ten", &name),
            ("dien_thoai", &phone),
            ("so_dinh_danh", ""),
            ("challenge", &challenge),
            ("captcha", text.trim()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let r = Request {
            method: "POST",
            path: "/dat-lich".into(),
            token: None,
            key: None,
            body: Body::Form(&form),
        };
        let (a, s) = http.until_answered(&r);
        log.count(s);
        acks.fetch_add(1, Ordering::SeqCst);
        let code = a
            .location
            .as_deref()
            .and_then(|l| l.strip_prefix("/dat-lich/xac-nhan/"))
            .map(str::to_owned);
        match (a.status, code) {
            (303, Some(code)) => log.bookings.push(BookingAck {
                location: a.location.clone().unwrap_or_default(),
                form,
                code,
                name,
                day: day.clone(),
                time: time.clone(),
            }),
            // Anything else is a broken promise: a form cut off by a kill
            // is answered, sent again, with the booking it made or makes
            // now (its challenge is spent with the form's claim, so after
            // a kill between the spend and the seat the same form takes
            // its seat then, never "used code" with nothing booked).
            (status, _) => log.violations.push(format!(
                "booking {day} {time} {name}: {status} {:?}",
                a.location
            )),
        }
    }
    log
}

// ---------------------------------------------------------------------
// The checks.

/// Every acknowledged write is stored, exactly as acknowledged and once:
/// the citizens; each dossier opened, with precisely the steps answered
/// (so every acknowledged version and event, and no step twice); one
/// dossier per citizen and no other; each appointment booked, under its
/// code, name and time, and no other (none for a refused form).
fn check_acknowledged(http: &Http, o: &Officers, log: &Log, slots: &[(String, String)]) {
    for c in &log.citizens {
        let a = http.get(
            &format!("/api/v1/citizens/{}", c.personal_id),
            Some(&o.admin),
        );
        assert_eq!(
            a.status, 200,
            "citizen {} acknowledged: {}",
            c.personal_id, a.body
        );
        assert_eq!(a.body["id"], c.id, "citizen {}", c.personal_id);
    }

    let mut steps: HashMap<&str, Vec<&StepAck>> = HashMap::new();
    for s in &log.steps {
        steps.entry(s.code.as_str()).or_default().push(s);
    }
    for d in &log.opens {
        let a = http.get(
            &format!("/api/v1/dossiers/{}", d.code),
            Some(&o.receptionist),
        );
        assert_eq!(a.status, 200, "dossier {} acknowledged: {}", d.code, a.body);
        assert_eq!(a.body["id"], d.id, "{}", a.body);
        assert_eq!(a.body["citizen"], d.citizen, "{}", a.body);
        let acked = steps.get(d.code.as_str()).map_or(&[][..], Vec::as_slice);
        let stored: Vec<(i64, String, String)> = a.body["events"]
            .as_array()
            .map(|e| {
                e.iter()
                    .map(|e| {
                        (
                            e["seq"].as_i64().unwrap_or(-1),
                            e["to"].as_str().unwrap_or("").to_owned(),
                            e["note"].as_str().unwrap_or("").to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut want = vec![(1, "received".to_owned(), String::new())];
        for s in acked {
            let to = s.answer["to"].as_str().unwrap_or("").to_owned();
            want.push((
                s.answer["version"].as_i64().unwrap_or(-1),
                to.clone(),
                note_of(&to),
            ));
        }
        assert_eq!(
            stored, want,
            "dossier {}: stored events (seq, to, note) vs the acknowledged opening and steps",
            d.code
        );
        let last = want.last().map(|(v, to, _)| (*v, to.as_str()));
        assert_eq!(
            (a.body["version"].as_i64(), a.body["state"].as_str()),
            (last.map(|l| l.0), last.map(|l| l.1)),
            "dossier {}: version and state",
            d.code
        );
    }

    let listed = office_dossiers(http, o);
    let mut citizens = HashSet::new();
    for d in &listed {
        assert!(
            citizens.insert(d["citizen"].as_i64()),
            "two dossiers for citizen {} (an opening applied twice?)",
            d["citizen"]
        );
    }
    let opened: HashSet<&str> = log.opens.iter().map(|d| d.code.as_str()).collect();
    let stored: HashSet<&str> = listed.iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(stored, opened, "dossiers stored vs dossiers acknowledged");

    let mut booked: BTreeMap<String, Value> = BTreeMap::new();
    let days: std::collections::BTreeSet<&str> = slots.iter().map(|(d, _)| d.as_str()).collect();
    for day in days {
        let a = http.get(
            &format!("/api/v1/offices/{OFFICE}/bookings?date={day}"),
            Some(&o.receptionist),
        );
        assert_eq!(a.status, 200, "{}", a.body);
        for b in a.body["bookings"].as_array().into_iter().flatten() {
            let mut b = b.clone();
            b["date"] = json!(day);
            booked.insert(b["code"].as_str().unwrap_or("").to_owned(), b);
        }
    }
    for b in &log.bookings {
        let stored = booked
            .get(&b.code)
            .unwrap_or_else(|| panic!("booking {} acknowledged, not stored", b.code));
        assert_eq!(
            (
                stored["full_name"].as_str(),
                stored["date"].as_str(),
                stored["start"].as_str(),
                stored["state"].as_str()
            ),
            (
                Some(b.name.as_str()),
                Some(b.day.as_str()),
                Some(b.time.as_str()),
                Some("booked")
            ),
            "booking {}",
            b.code
        );
    }
    let mut names = HashSet::new();
    for b in booked.values() {
        let name = b["full_name"].as_str().unwrap_or("");
        assert!(
            names.insert(name),
            "two bookings for {name}: a form applied twice"
        );
    }
    assert_eq!(
        booked.len(),
        log.bookings.len(),
        "bookings stored vs acknowledged"
    );
}

/// Every acknowledged dossier opening, step and booking sent again, the
/// same way: the same answer (a step's marked replayed), applied again
/// never (`check_acknowledged` runs after).
fn check_replays(http: &Http, o: &Officers, log: &Log) {
    for s in &log.steps {
        let r = Request {
            method: "POST",
            path: format!("/api/v1/dossiers/{}/transitions", s.code),
            token: Some(&s.token),
            key: Some(&s.key),
            body: Body::Json(&s.body),
        };
        let (a, _) = http.until_answered(&r);
        let mut want = s.answer.clone();
        want["replayed"] = json!(true);
        assert_eq!(
            (a.status, &a.body, a.replayed),
            (200, &want, true),
            "step {} sent again under key {}",
            s.code,
            s.key
        );
    }
    for d in &log.opens {
        let r = Request {
            method: "POST",
            path: "/api/v1/dossiers".into(),
            token: Some(&o.receptionist),
            key: Some(&d.key),
            body: Body::Json(&d.body),
        };
        let (a, _) = http.until_answered(&r);
        assert_eq!(
            (a.status, a.body["code"].as_str(), a.body["id"].as_i64()),
            (201, Some(d.code.as_str()), Some(d.id)),
            "opening sent again under key {}: {}",
            d.key,
            a.body
        );
    }
    for b in &log.bookings {
        let r = Request {
            method: "POST",
            path: "/dat-lich".into(),
            token: None,
            key: None,
            body: Body::Form(&b.form),
        };
        let (a, _) = http.until_answered(&r);
        assert_eq!(
            (a.status, a.location.as_deref()),
            (303, Some(b.location.as_str())),
            "booking form of {} sent again",
            b.code
        );
    }
}

/// Every dossier of [`OFFICE`] (their codes and citizens), page by page.
fn office_dossiers(http: &Http, o: &Officers) -> Vec<Value> {
    let mut all = Vec::new();
    let mut after = String::new();
    loop {
        let a = http.get(
            &format!("/api/v1/dossiers?office={OFFICE}&limit=500{after}"),
            Some(&o.receptionist),
        );
        assert_eq!(a.status, 200, "{}", a.body);
        all.extend(a.body["items"].as_array().into_iter().flatten().cloned());
        match a.body["next_after"].as_i64() {
            Some(next) => after = format!("&after={next}"),
            None => return all,
        }
    }
}

/// `cancuoc check --json` on the database (`db` names it; the SQLite file
/// of `dir` without): every item passes — dossier states replay from their
/// event logs, booking seats match the appointments holding them, counters,
/// orphan rows, SQLite's own checks. Returns how many dossier logs it
/// replayed.
fn check_integrity(dir: &TempDir, db: &[&str]) -> usize {
    let mut args = vec!["check", "--json", "--data-dir", dir.arg()];
    args.extend_from_slice(db);
    let o = run(&args);
    let report: Value = serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|e| panic!("cancuoc check: {e}\n{}\n{}", stdout(&o), stderr(&o)));
    assert!(
        code(&o) == 0 && report["ok"] == true,
        "cancuoc check failed ({}): {report:#}",
        code(&o)
    );
    let logs = report["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["kind"] == "dossier_logs"))
        .unwrap_or_else(|| panic!("no dossier_logs item in {report:#}"));
    logs["checked"].as_u64().expect("checked") as usize
}

/// Each dossier's stored state and version, as the officers' API shows
/// them, are what its event log replays to
/// (`cancuoc_core::dossier::workflow::replay`: contiguous sequence, every
/// step one the workflow allows its role), and the public status (and its
/// cache) answers that state. Returns how many dossiers.
fn check_states_over_api(http: &Http, o: &Officers) -> usize {
    let listed = office_dossiers(http, o);
    for d in &listed {
        let code = d["code"].as_str().expect("code");
        let a = http.get(&format!("/api/v1/dossiers/{code}"), Some(&o.receptionist));
        assert_eq!(a.status, 200, "{}", a.body);
        let events = a.body["events"].as_array().expect("events");
        // Capture events leave the state as it is and are not workflow
        // steps: the replay takes the transitions, numbered in turn.
        let mut log = Vec::new();
        let mut seq = 0;
        for (i, e) in events.iter().enumerate() {
            assert_eq!(e["seq"], i + 1, "dossier {code}: event numbers {events:?}");
            if e["kind"] == "capture" {
                assert_eq!(e["from"], e["to"], "dossier {code}: {e}");
                continue;
            }
            seq += 1;
            let state = |v: &Value| v.as_str().map(|s| s.parse::<State>().expect("state"));
            log.push(DossierEvent {
                seq,
                at: jiff::Timestamp::from_second(e["at"].as_i64().expect("at")).expect("time"),
                actor: Actor::new(
                    e["actor"].to_string(),
                    e["actor_role"]
                        .as_str()
                        .and_then(|r| r.parse::<Role>().ok())
                        .expect("role"),
                ),
                from: state(&e["from"]),
                to: state(&e["to"]).expect("to"),
                note: e["note"].as_str().map(str::to_owned),
            });
        }
        let replayed = replay(&log).unwrap_or_else(|e| panic!("dossier {code}: {e:?}"));
        assert_eq!(
            (a.body["state"].as_str(), a.body["version"].as_u64()),
            (Some(replayed.code()), Some(events.len() as u64)),
            "dossier {code}: stored state and version vs its events"
        );
        let status = http.get(&format!("/api/v1/status/{code}"), None);
        assert_eq!(status.status, 200, "{}", status.body);
        assert_eq!(
            status.body["state"].as_str(),
            Some(replayed.code()),
            "dossier {code}: public status vs its events"
        );
    }
    listed.len()
}
