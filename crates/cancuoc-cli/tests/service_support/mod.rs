//! Shared helpers for the service tests on the real binary: a temporary data
//! directory, running `cancuoc` database commands, and a `cancuoc serve`
//! child on a free port (`--bind 127.0.0.1:0`, address read from stdout),
//! stopped with SIGTERM (or killed with SIGKILL, and started again on the
//! same port: `tests/crash.rs`).
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let p =
            std::env::temp_dir().join(format!("cancuoc-test-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("create temp dir");
        Self(p)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
    pub fn arg(&self) -> &str {
        self.0.to_str().expect("utf-8 temp path")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A `cancuoc` command with a clean environment and English messages.
pub fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cancuoc"));
    for (k, _) in std::env::vars() {
        if k.starts_with("CANCUOC_") {
            c.env_remove(k);
        }
    }
    c.env("CANCUOC_LOG", "warn");
    // English unless a test passes `--lang vi` (the flag beats the variable).
    c.env("CANCUOC_LANG", "en");
    c
}

/// Runs `cancuoc ARGS` to completion.
pub fn run(args: &[&str]) -> Output {
    command()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run cancuoc")
}

pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

/// Writes `text` to `dir/name` and returns the path as a string.
pub fn write_file(dir: &TempDir, name: &str, text: &str) -> String {
    let p = dir.path().join(name);
    let mut f = std::fs::File::create(&p).expect("create file");
    f.write_all(text.as_bytes()).expect("write file");
    p.to_str().expect("utf-8").to_owned()
}

/// A running `cancuoc serve`.
pub struct Server {
    child: Option<Child>,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Everything printed on stdout up to the "listening" line.
    pub banner: String,
}

impl Server {
    /// Starts `cancuoc serve --bind 127.0.0.1:0 --data-dir DIR EXTRA…` and
    /// waits for its "listening on" line.
    pub fn start(data_dir: &TempDir, extra: &[&str]) -> Server {
        Self::start_logging(data_dir, extra, None)
    }

    /// [`Server::start`] with the server's log (stderr) at INFO written to
    /// `log` instead of the test's own stderr.
    pub fn start_logging(data_dir: &TempDir, extra: &[&str], log: Option<&Path>) -> Server {
        Self::start_on(data_dir, "127.0.0.1:0", extra, log)
    }

    /// [`Server::start_logging`] listening on `bind` (`HOST:PORT`): a
    /// restart on the port of a server killed before.
    pub fn start_on(data_dir: &TempDir, bind: &str, extra: &[&str], log: Option<&Path>) -> Server {
        let mut cmd = command();
        let stderr = match log {
            Some(p) => {
                cmd.env("CANCUOC_LOG", "info");
                Stdio::from(std::fs::File::create(p).expect("log file"))
            }
            None => Stdio::inherit(),
        };
        let mut child = cmd
            .args(["serve", "--bind", bind, "--data-dir", data_dir.arg()])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("spawn cancuoc serve");
        let out = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel::<String>();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut banner = String::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = match rx.recv_timeout(left) {
                Ok(l) => l,
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("server did not start ({e}); stdout so far:\n{banner}");
                }
            };
            banner.push_str(&line);
            banner.push('\n');
            if let Some(i) = line.find("listening on http://") {
                let rest = &line[i + "listening on ".len()..];
                let base = rest.split_whitespace().next().expect("url").to_owned();
                // Keep draining stdout so the child never blocks on a full pipe.
                std::thread::spawn(move || for _ in rx {});
                return Server {
                    child: Some(child),
                    base,
                    banner,
                };
            }
        }
    }

    /// Sends SIGTERM and waits (up to 30 s) for the exit status.
    pub fn stop(mut self) -> ExitStatus {
        let mut child = self.child.take().expect("child");
        let pid = child.id().to_string();
        let ok = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("run kill");
        assert!(ok.success(), "kill -TERM {pid}");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(s) = child.try_wait().expect("wait") {
                return s;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("server did not stop within 30 s of SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Kills the server with SIGKILL (no shutdown of any kind: a crash)
    /// and waits for it; the exit status.
    pub fn kill(mut self) -> ExitStatus {
        let mut child = self.child.take().expect("child");
        // `Child::kill` is SIGKILL on Unix.
        child.kill().expect("SIGKILL the server");
        child.wait().expect("wait for the killed server")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// An HTTP client that returns every status as a response.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// GET `url` (with an optional bearer token): status and JSON body.
pub fn get(url: &str, token: Option<&str>) -> (u16, serde_json::Value) {
    let mut req = agent().get(url);
    if let Some(t) = token {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    let mut res = req.call().expect("GET");
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

/// POST JSON to `url` with a bearer token: status and JSON body.
pub fn post(url: &str, token: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
    send("POST", url, token, body)
}

/// PUT JSON to `url` with a bearer token: status and JSON body.
pub fn put(url: &str, token: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
    send("PUT", url, token, body)
}

fn send(
    method: &str,
    url: &str,
    token: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let a = agent();
    let auth = format!("Bearer {token}");
    let text = body.to_string();
    let mut res = match method {
        "PUT" => a
            .put(url)
            .header("Authorization", &auth)
            .header("Content-Type", "application/json")
            .send(text.as_str()),
        _ => a
            .post(url)
            .header("Authorization", &auth)
            .header("Content-Type", "application/json")
            .send(text.as_str()),
    }
    .expect("send");
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

/// `role office → token` and `state → code` from the demo banner.
pub fn parse_banner(banner: &str) -> (HashMap<(String, u16), String>, HashMap<String, String>) {
    let mut tokens = HashMap::new();
    let mut codes = HashMap::new();
    for line in banner.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() >= 3 {
            let last = f[f.len() - 1];
            if last.len() == 64 && last.bytes().all(|b| b.is_ascii_hexdigit()) {
                if let Ok(office) = f[1].parse::<u16>() {
                    tokens.insert((f[0].to_owned(), office), last.to_owned());
                }
            } else if f[1].len() == 16 && f[1].bytes().all(|b| b.is_ascii_digit()) {
                codes
                    .entry(f[0].to_owned())
                    .or_insert_with(|| f[1].to_owned());
            }
        }
    }
    (tokens, codes)
}
