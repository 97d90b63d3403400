//! The browser harness: finds Debian's `chromium` and `chromedriver`, starts
//! chromedriver on a free loopback port, opens one headless Chromium session
//! per scenario (WebDriver over plain HTTP, no TLS), and gives scenarios a
//! small vocabulary for acting as a person would (type, click, read) plus
//! screenshots under `target/e2e/`.

#![allow(
    dead_code,
    reason = "helpers shared by scenarios that land as the pages do"
)]

use std::collections::HashMap;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow, bail, ensure};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// Width × height of the browser window for the desktop screenshots.
pub const DESKTOP: (u32, u32) = (1280, 900);
/// A phone-sized window for the narrow screenshots.
pub const PHONE: (u32, u32) = (390, 844);
/// How long a wait for an element or a navigation may take.
const WAIT: Duration = Duration::from_secs(15);

/// Writes a line to the real stderr, past libtest's output capture, so a
/// skip or a scenario's timing shows in `cargo test` output.
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The Chromium binary and its driver, if both are installed.
pub struct Tools {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

impl Tools {
    /// `CANCUOC_CHROMIUM` / `CANCUOC_CHROMEDRIVER`, else Debian's paths, else
    /// the `PATH`. Describes what is missing.
    pub fn find() -> std::result::Result<Tools, String> {
        let pick = |var: &str, default: &str, name: &str| -> Option<PathBuf> {
            if let Some(p) = std::env::var_os(var) {
                return Some(PathBuf::from(p)).filter(|p| p.is_file());
            }
            let d = PathBuf::from(default);
            if d.is_file() {
                return Some(d);
            }
            std::env::var_os("PATH").and_then(|path| {
                std::env::split_paths(&path)
                    .map(|dir| dir.join(name))
                    .find(|p| p.is_file())
            })
        };
        let chromium = pick("CANCUOC_CHROMIUM", "/usr/bin/chromium", "chromium");
        let chromedriver = pick(
            "CANCUOC_CHROMEDRIVER",
            "/usr/bin/chromedriver",
            "chromedriver",
        );
        match (chromium, chromedriver) {
            (Some(chromium), Some(chromedriver)) => Ok(Tools {
                chromium,
                chromedriver,
            }),
            (c, d) => {
                let mut missing = Vec::new();
                if c.is_none() {
                    missing.push("chromium");
                }
                if d.is_none() {
                    missing.push("chromedriver (Debian package chromium-driver)");
                }
                Err(missing.join(" and "))
            }
        }
    }
}

/// A free TCP port on 127.0.0.1 (bound, read, released).
fn free_port() -> Result<u16> {
    let l = TcpListener::bind("127.0.0.1:0").context("binding a free port")?;
    Ok(l.local_addr()?.port())
}

/// A running chromedriver, killed on drop.
pub struct Driver {
    child: Option<Child>,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    log: PathBuf,
}

impl Driver {
    /// Starts `chromedriver --port=N` on a free port (logging to `log`) and
    /// waits until it accepts connections.
    pub fn start(tools: &Tools, log: &Path) -> Result<Driver> {
        let mut last = anyhow!("chromedriver did not start");
        for _ in 0..3 {
            let port = free_port()?;
            let out = std::fs::File::create(log).context("chromedriver log file")?;
            let err = out.try_clone()?;
            let child = Command::new(&tools.chromedriver)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(out)
                .stderr(err)
                .spawn()
                .with_context(|| format!("spawning {}", tools.chromedriver.display()))?;
            let mut d = Driver {
                child: Some(child),
                url: format!("http://127.0.0.1:{port}"),
                log: log.to_owned(),
            };
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Ok(d);
                }
                if let Some(c) = d.child.as_mut()
                    && let Ok(Some(status)) = c.try_wait()
                {
                    last = anyhow!("chromedriver exited with {status}:\n{}", d.log_text());
                    break;
                }
                if Instant::now() > deadline {
                    last = anyhow!("chromedriver not listening after 20 s:\n{}", d.log_text());
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Err(last)
    }

    /// What chromedriver printed so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// A new headless Chromium session with a fixed window size.
    pub async fn session(&self, tools: &Tools) -> Result<Client> {
        let (w, h) = DESKTOP;
        let caps = json!({
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:chromeOptions": {
                "binary": tools.chromium.to_str().context("utf-8 chromium path")?,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-extensions",
                    "--disable-sync",
                    "--no-first-run",
                    "--no-default-browser-check",
                    "--hide-scrollbars",
                    "--force-device-scale-factor=1",
                    "--lang=vi-VN",
                    format!("--window-size={w},{h}"),
                ],
            },
        });
        let caps = match caps {
            serde_json::Value::Object(m) => m,
            _ => bail!("capabilities are an object"),
        };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&self.url)
            .await
            .with_context(|| {
                format!(
                    "new WebDriver session; chromedriver log:\n{}",
                    self.log_text()
                )
            })?;
        client.set_window_size(w, h).await?;
        Ok(client)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Where screenshots go: `$CARGO_TARGET_DIR/e2e`, else the `target/` that
/// holds the `cancuoc` binary under test.
pub fn shots_dir() -> PathBuf {
    if let Some(t) = std::env::var_os("CARGO_TARGET_DIR") {
        let t = PathBuf::from(t);
        let t = if t.is_absolute() {
            t
        } else {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(t)
        };
        return t.join("e2e");
    }
    let exe = Path::new(env!("CARGO_BIN_EXE_cancuoc"));
    // target/<profile>/cancuoc → target/
    exe.parent()
        .and_then(Path::parent)
        .map(|t| t.join("e2e"))
        .unwrap_or_else(|| PathBuf::from("target/e2e"))
}

/// What the demo printed: officer tokens by (role, office), sample dossier
/// codes by state, and the raw banner for anything else.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub tokens: HashMap<(String, u16), String>,
    pub codes: HashMap<String, String>,
    /// The shared console password of the demo officers, when printed.
    pub password: Option<String>,
    pub banner: String,
}

impl Facts {
    /// Reads the `serve --demo` banner (same layout as the e2e test reads).
    pub fn parse(banner: &str) -> Facts {
        let (tokens, codes) = crate::service_support::parse_banner(banner);
        // "… (demo password of every officer: PASSWORD):"
        let password = banner.lines().find_map(|l| {
            let (_, rest) = l.split_once("password of every officer: ")?;
            let end = rest.find(')').unwrap_or(rest.len());
            Some(rest[..end].trim().to_owned()).filter(|p| !p.is_empty())
        });
        Facts {
            tokens,
            codes,
            password,
            banner: banner.to_owned(),
        }
    }

    /// The demo officers' console password.
    pub fn password(&self) -> Result<&str> {
        self.password
            .as_deref()
            .ok_or_else(|| anyhow!("no console password in the demo banner:\n{}", self.banner))
    }

    /// The sample dossier code in `state`.
    pub fn code(&self, state: &str) -> Result<&str> {
        self.codes
            .get(state)
            .map(String::as_str)
            .ok_or_else(|| anyhow!("no {state} sample in the demo banner:\n{}", self.banner))
    }
}

/// What a scenario gets: a fresh browser session, the server's address and
/// the demo's facts.
#[derive(Clone)]
pub struct Ctx {
    pub client: Client,
    pub base: Arc<str>,
    pub facts: Arc<Facts>,
    pub shots: Arc<PathBuf>,
    pub scenario: &'static str,
    /// The server's data directory (`demo.json`, `sms-outbox.jsonl`).
    pub data_dir: Arc<PathBuf>,
}

impl Ctx {
    /// `base + path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Opens `path` as if typed in the address bar.
    pub async fn open(&self, path: &str) -> Result<()> {
        self.client
            .goto(&self.url(path))
            .await
            .with_context(|| format!("opening {path}"))
    }

    /// The current path and query.
    pub async fn path(&self) -> Result<String> {
        let u = self.client.current_url().await?;
        Ok(match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_owned(),
        })
    }

    /// Waits for the element matching `css`.
    pub async fn find(&self, css: &str) -> Result<Element> {
        match self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(e) => Ok(e),
            Err(e) => bail!("no element `{css}` on {}: {e}", self.where_am_i().await),
        }
    }

    /// All elements matching `css` (none is fine).
    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        Ok(self.client.find_all(Locator::Css(css)).await?)
    }

    /// The visible text of the element matching `css`.
    pub async fn text(&self, css: &str) -> Result<String> {
        Ok(self.find(css).await?.text().await?)
    }

    /// The visible text of the whole page.
    pub async fn page_text(&self) -> Result<String> {
        self.text("body").await
    }

    /// Fails unless the page's text holds every one of `needles`.
    pub async fn expect_text(&self, needles: &[&str]) -> Result<()> {
        let text = self.page_text().await?;
        for n in needles {
            ensure!(
                text.contains(n),
                "`{n}` not on {}; the page says:\n{text}",
                self.path().await.unwrap_or_default()
            );
        }
        Ok(())
    }

    /// Waits until the page's text holds `needle` (after a navigation).
    pub async fn wait_text(&self, needle: &str) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = match self.client.find(Locator::Css("body")).await {
                Ok(b) => b.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(needle) {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!(
                    "`{needle}` did not appear on {}; the page says:\n{text}",
                    self.path().await.unwrap_or_default()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Types `text` into the field matching `css`, after clearing it.
    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let e = self.find(css).await?;
        e.clear().await?;
        e.send_keys(text)
            .await
            .with_context(|| format!("typing into `{css}`"))
    }

    /// Picks option number `index` (0 is the first) of the `<select>`
    /// matching `css`, as a person would with the keyboard or the mouse.
    pub async fn select_index(&self, css: &str, index: usize) -> Result<()> {
        self.find(css)
            .await?
            .select_by_index(index)
            .await
            .with_context(|| format!("choosing option {index} of `{css}`"))
    }

    /// The `value` of the form field matching `css`.
    pub async fn value(&self, css: &str) -> Result<String> {
        Ok(self
            .find(css)
            .await?
            .prop("value")
            .await?
            .unwrap_or_default())
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) -> Result<()> {
        self.find(css)
            .await?
            .click()
            .await
            .with_context(|| format!("clicking `{css}`"))
    }

    /// Clicks the link whose text is exactly `text`.
    pub async fn click_link(&self, text: &str) -> Result<()> {
        let link = match self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::LinkText(text))
            .await
        {
            Ok(e) => e,
            Err(e) => bail!("no link `{text}` on {}: {e}", self.where_am_i().await),
        };
        link.click()
            .await
            .with_context(|| format!("clicking link `{text}`"))
    }

    /// Waits until the path (without query) is `want`.
    pub async fn wait_path(&self, want: &str) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        loop {
            let u = self.client.current_url().await?;
            if u.path() == want {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("still on {} instead of {want}", u.path());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The `lang` attribute of the page.
    pub async fn html_lang(&self) -> Result<String> {
        self.find("html")
            .await?
            .attr("lang")
            .await?
            .ok_or_else(|| anyhow!("<html> has no lang"))
    }

    /// Resizes the window (the next screenshot shows that size).
    pub async fn window(&self, (w, h): (u32, u32)) -> Result<()> {
        Ok(self.client.set_window_size(w, h).await?)
    }

    /// Fails if the page is wider than the window (a horizontal scrollbar on
    /// a phone).
    pub async fn expect_no_horizontal_overflow(&self) -> Result<()> {
        let v = self
            .client
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await?;
        let (sw, iw) = (v[0].as_f64().unwrap_or(0.0), v[1].as_f64().unwrap_or(0.0));
        ensure!(
            sw <= iw,
            "{} is {sw}px wide in a {iw}px window (horizontal overflow)",
            self.path().await.unwrap_or_default()
        );
        Ok(())
    }

    /// Saves a screenshot of the whole page (the window is stretched to the
    /// page's height, up to 4000 px, then put back) as
    /// `target/e2e/<scenario>-<name>.png`.
    pub async fn shot(&self, name: &str) -> Result<PathBuf> {
        let (w, h) = self.client.get_window_size().await?;
        // The window's outer height includes the browser's own frame: grow
        // it by what the page has beyond the viewport.
        let v = self
            .client
            .execute(
                "return [Math.max(document.documentElement.scrollHeight, document.body.scrollHeight), window.innerHeight];",
                vec![],
            )
            .await?;
        let (full, inner) = (v[0].as_u64().unwrap_or(0), v[1].as_u64().unwrap_or(0));
        let tall = (h + full.saturating_sub(inner)).min(4000);
        if tall > h {
            self.client.set_window_size(w as u32, tall as u32).await?;
        }
        let png = self.client.screenshot().await.context("screenshot");
        if tall > h {
            self.client.set_window_size(w as u32, h as u32).await?;
        }
        let path = self.shots.join(format!("{}-{name}.png", self.scenario));
        std::fs::write(&path, png?).with_context(|| format!("writing {}", path.display()))?;
        Ok(path)
    }

    /// Where the browser is, for error messages.
    async fn where_am_i(&self) -> String {
        match self.client.current_url().await {
            Ok(u) => u.to_string(),
            Err(e) => format!("(no URL: {e})"),
        }
    }
}
