//! End to end in a real browser: the real `cancuoc` binary
//! (`serve --demo --test-hooks` on a free port) driven through Debian's
//! headless Chromium over WebDriver (chromedriver + fantoccini), as a
//! citizen and as officers would use it: typing, clicking, submitting.
//!
//! One server and one chromedriver serve every scenario; each scenario gets
//! its own browser session (fresh cookies) and saves screenshots under
//! `target/e2e/<scenario>-*.png`. A failing scenario saves
//! `<scenario>-failure.png`, the others still run, and the test fails at
//! the end naming every failure.
//!
//! Without `chromium` and `chromedriver` the test says so and passes,
//! unless `CANCUOC_REQUIRE_BROWSER=1` (set by `scripts/test`, so CI always
//! runs it). `CANCUOC_BROWSER_ONLY=home,citizen` runs only those scenarios
//! (`accounts`: the citizens' identity accounts, with codes read from the
//! server's SMS sink).

#[path = "../service_support/mod.rs"]
mod service_support;

mod accounts;
mod console;
mod csp;
mod harness;
mod portal;
mod tour;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use harness::{Ctx, Driver, Facts, Tools, say};
use service_support::{Server, TempDir};

type Run = fn(Ctx) -> Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send>>;

/// Every scenario, in the order they run.
const SCENARIOS: &[(&str, Run)] = &[
    ("home", |c| Box::pin(portal::home(c))),
    ("booking", |c| Box::pin(portal::booking(c))),
    ("citizen", |c| Box::pin(portal::citizen_lookup(c))),
    ("officer", |c| Box::pin(console::officer(c))),
    ("accounts", |c| Box::pin(accounts::accounts(c))),
    ("tour", |c| Box::pin(tour::tour(c))),
    ("csp", |c| Box::pin(csp::policy_held(c))),
];

/// A scenario may take this long before it counts as hung.
const SCENARIO_LIMIT: Duration = Duration::from_secs(90);
/// The tour's limit: in review mode (`CANCUOC_TOUR_SHOTS=1`) it saves
/// about 300 screenshots.
const TOUR_LIMIT: Duration = Duration::from_secs(500);
/// The accounts scenario's limit: a dozen forms, three codes and each of
/// their pages at two widths.
const ACCOUNTS_LIMIT: Duration = Duration::from_secs(150);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenarios_in_a_real_browser() {
    let required = std::env::var("CANCUOC_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let tools = match Tools::find() {
        Ok(t) => t,
        Err(missing) if required => {
            panic!("CANCUOC_REQUIRE_BROWSER=1 but {missing} is not installed")
        }
        Err(missing) => {
            say(&format!(
                "browser tests SKIPPED: {missing} not installed \
                 (apt-get install chromium chromium-driver, or run scripts/test)"
            ));
            return;
        }
    };
    let only: Option<Vec<String>> = std::env::var("CANCUOC_BROWSER_ONLY")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_owned()).collect());
    let chosen: Vec<&(&str, Run)> = SCENARIOS
        .iter()
        .filter(|(name, _)| only.as_ref().is_none_or(|o| o.iter().any(|x| x == name)))
        .collect();
    assert!(
        !chosen.is_empty(),
        "CANCUOC_BROWSER_ONLY matches no scenario"
    );

    let shots = harness::shots_dir();
    std::fs::create_dir_all(&shots).expect("create target/e2e");
    for (name, _) in &chosen {
        // Stale pictures of a scenario would mislead whoever looks at them.
        if let Ok(dir) = std::fs::read_dir(&shots) {
            for e in dir.flatten() {
                let f = e.file_name();
                let f = f.to_string_lossy();
                if f.starts_with(&format!("{name}-")) && f.ends_with(".png") {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
    }

    let dir = TempDir::new("browser");
    let started = Instant::now();
    // One browser on one address plays every citizen of every scenario, a
    // few hundred pages and captchas in a minute: the per-client rates
    // (captchas, lookups) would stop it as they stop one person asking that
    // much, so the loopback address is exempt, as a load test is. The
    // per-number and per-account guards of logins and codes are never
    // exempt, and the scenarios meet them as a citizen would.
    let config = dir.path().join("browser.toml");
    std::fs::write(&config, "rate_limit_exempt = [\"127.0.0.1\", \"::1\"]\n")
        .expect("browser config");
    let config = config.to_string_lossy().into_owned();
    let server = Server::start(&dir, &["--demo", "--test-hooks", "--config", &config]);
    let facts = Arc::new(Facts::parse(&server.banner));
    let driver = Driver::start(&tools, &dir.path().join("chromedriver.log"))
        .unwrap_or_else(|e| panic!("{e:#}"));
    say(&format!(
        "browser: server and chromedriver up in {:.1} s; screenshots in {}",
        started.elapsed().as_secs_f64(),
        shots.display()
    ));

    let mut failures = Vec::new();
    for (name, run) in chosen {
        let t = Instant::now();
        let client = match driver.session(&tools).await {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{name}: {e:#}"));
                continue;
            }
        };
        let ctx = Ctx {
            client: client.clone(),
            base: server.base.clone().into(),
            facts: facts.clone(),
            shots: Arc::new(shots.clone()),
            scenario: name,
            data_dir: Arc::new(dir.path().to_owned()),
        };
        // A task of its own, so a panic inside is a failure of this
        // scenario and the session is still closed.
        let limit = match *name {
            "tour" => TOUR_LIMIT,
            "accounts" => ACCOUNTS_LIMIT,
            _ => SCENARIO_LIMIT,
        };
        let outcome = tokio::time::timeout(limit, tokio::spawn((run)(ctx.clone()))).await;
        let failed = match outcome {
            Ok(Ok(Ok(()))) => None,
            Ok(Ok(Err(e))) => Some(format!("{e:#}")),
            Ok(Err(join)) => Some(format!("panicked: {join}")),
            Err(_) => Some(format!("hung for {} s", limit.as_secs())),
        };
        if let Some(why) = failed {
            let shot = match ctx.shot("failure").await {
                Ok(p) => p.display().to_string(),
                Err(e) => format!("(no screenshot: {e:#})"),
            };
            say(&format!(
                "browser: scenario {name} FAILED after {:.1} s; {shot}",
                t.elapsed().as_secs_f64()
            ));
            failures.push(format!("{name}: {why}\n  screenshot: {shot}"));
        } else {
            say(&format!(
                "browser: scenario {name} ok in {:.1} s",
                t.elapsed().as_secs_f64()
            ));
        }
        let _ = client.close().await;
    }
    drop(driver);
    assert!(server.stop().success(), "server exit status");
    say(&format!(
        "browser: all done in {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    assert!(
        failures.is_empty(),
        "{} browser scenario(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
