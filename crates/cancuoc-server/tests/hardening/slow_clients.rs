//! Slow clients (issue 18, 6b): 20,000 half-sent requests exhausted the
//! file limit and froze new clients (slowloris), since `axum::serve` had
//! no header or body timeout and no connection cap. Each case runs
//! `cancuoc_server::serve` on a loopback socket with short timeouts, and
//! plays the attacker with raw TCP:
//!
//! - a head sent half and left, or trickled a byte at a time, is cut after
//!   the header timeout, while other clients are served meanwhile;
//! - a body that stops arriving gets a 408 after the body timeout (not the
//!   handler timeout's 503 half a minute later) and its connection closed;
//! - past the connection cap, a new client's connection waits in the
//!   kernel's queue, the server holding no more than the cap, and is
//!   served once the idle ones ahead of it are cut;
//! - shutting down is not held up by a stalled client;
//! - and, served this way, each request still carries its peer address
//!   (the per-client limits key on it).

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use cancuoc_core::dossier::code::DossierCode;
use cancuoc_server::{AppConfig, Limits};
use cancuoc_store::Store;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::{World, world_limited};

/// `serve` running on a loopback port.
struct Running {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    served: JoinHandle<std::io::Result<()>>,
    world: World,
}

/// Serves the test world with `config` on a free loopback port.
async fn start(store: Store, config: AppConfig) -> Running {
    start_limited(store, config, Limits::default()).await
}

/// [`start`] with the service's `limits`.
async fn start_limited(store: Store, config: AppConfig, limits: Limits) -> Running {
    let world = world_limited(store, config, limits).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    let (stop, stopped) = oneshot::channel::<()>();
    let served = tokio::spawn(cancuoc_server::serve(
        listener,
        world.app.clone(),
        async move {
            let _ = stopped.await;
        },
    ));
    Running {
        addr,
        stop: Some(stop),
        served,
        world,
    }
}

impl Running {
    /// Stops the server; `serve` must return within `limit`.
    async fn stop_within(mut self, limit: Duration) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let done = tokio::time::timeout(limit, &mut self.served).await;
        assert!(
            matches!(done, Ok(Ok(Ok(())))),
            "serve did not stop within {limit:?}: {done:?}"
        );
    }
}

/// Sends `request` on a new connection and reads the answer to the end
/// (the request says `Connection: close`); the answer and how long it
/// took, or `None` when none came within `limit`.
async fn ask(addr: SocketAddr, request: &str, limit: Duration) -> Option<(String, Duration)> {
    ask_from("127.0.0.1", addr, request, limit).await
}

/// [`ask`] from the local address `from` (any of 127.0.0.0/8).
async fn ask_from(
    from: &str,
    addr: SocketAddr,
    request: &str,
    limit: Duration,
) -> Option<(String, Duration)> {
    let started = Instant::now();
    let socket = TcpSocket::new_v4().expect("socket");
    socket
        .bind(SocketAddr::new(from.parse::<IpAddr>().expect("ip"), 0))
        .expect("bind");
    let mut c = socket.connect(addr).await.expect("connect");
    c.write_all(request.as_bytes()).await.expect("send");
    let mut answer = Vec::new();
    match tokio::time::timeout(limit, c.read_to_end(&mut answer)).await {
        Ok(Ok(_)) => Some((
            String::from_utf8_lossy(&answer).into_owned(),
            started.elapsed(),
        )),
        Ok(Err(e)) => panic!("reading the answer: {e}"),
        Err(_) => None,
    }
}

/// A plain `GET path`, closing after the answer.
fn get(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: cancuoc.test\r\nConnection: close\r\n\r\n")
}

/// Waits until the server closes `c` (end of stream or reset), reading
/// and dropping whatever it sends; when, from `since`, or `None` when it
/// is still open after `limit`.
async fn closed(
    c: &mut tokio::net::tcp::OwnedReadHalf,
    since: Instant,
    limit: Duration,
) -> Option<Duration> {
    let mut buf = [0u8; 1024];
    let read_all = async {
        loop {
            match c.read(&mut buf).await {
                Ok(0) | Err(_) => return since.elapsed(),
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(limit, read_all).await.ok()
}

/// The connections the server holds on `port` (accepted and not closed),
/// from `/proc/net/tcp`: established, local port `port`, owned by a socket
/// (a connection still in the kernel's accept queue has inode 0). `None`
/// where the file cannot be read.
fn held(port: u16) -> Option<usize> {
    let table = std::fs::read_to_string("/proc/net/tcp").ok()?;
    let want = format!(":{port:04X}");
    Some(
        table
            .lines()
            .skip(1)
            .filter(|line| {
                let f: Vec<&str> = line.split_whitespace().collect();
                f.len() > 9 && f[1].ends_with(&want) && f[3] == "01" && f[9] != "0"
            })
            .count(),
    )
}

pub async fn a_half_sent_head_is_cut_while_other_clients_are_served(store: Store) {
    let header = Duration::from_secs(1);
    let s = start(
        store,
        AppConfig {
            header_timeout: header,
            ..AppConfig::default()
        },
    )
    .await;
    let t0 = Instant::now();
    // Half a head, then nothing.
    let (mut stalled, mut stalled_w) = TcpStream::connect(s.addr)
        .await
        .expect("connect")
        .into_split();
    stalled_w
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: cancuoc.test\r\nX-Slow: ")
        .await
        .expect("send");
    // Slowloris proper: a byte of a header line every 100 ms, never the
    // blank line that ends the head.
    let (mut trickled, mut trickle_w) = TcpStream::connect(s.addr)
        .await
        .expect("connect")
        .into_split();
    trickle_w
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: cancuoc.test\r\nX-Slow: ")
        .await
        .expect("send");
    let trickler = tokio::spawn(async move {
        while trickle_w.write_all(b"a").await.is_ok() {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });

    // Meanwhile other clients are served, at once.
    for path in ["/healthz", "/api/v1/offices", "/"] {
        let (answer, took) = ask(s.addr, &get(path), Duration::from_secs(5))
            .await
            .unwrap_or_else(|| panic!("{path}: no answer while a client stalls"));
        assert!(answer.starts_with("HTTP/1.1 200"), "{path}: {answer}");
        assert!(took < header, "{path} took {took:?}");
    }

    for (what, c) in [
        ("half a head", &mut stalled),
        ("a trickled head", &mut trickled),
    ] {
        let cut = closed(c, t0, header + Duration::from_secs(3))
            .await
            .unwrap_or_else(|| {
                panic!(
                    "{what}: still connected {:?} after it began (header timeout {header:?})",
                    header + Duration::from_secs(3)
                )
            });
        assert!(
            cut >= header - Duration::from_millis(50),
            "{what}: cut after {cut:?}, before the header timeout"
        );
    }
    trickler.abort();
    s.stop_within(Duration::from_secs(5)).await;
}

pub async fn a_stalled_body_is_cut_with_a_408(store: Store) {
    let body = Duration::from_millis(500);
    let s = start(
        store,
        AppConfig {
            body_timeout: body,
            ..AppConfig::default()
        },
    )
    .await;
    let token = s.world.staff.receptionist.token.clone();
    let cases = [
        (
            "an API body",
            format!(
                "POST /api/v1/citizens HTTP/1.1\r\nHost: cancuoc.test\r\n\
                 Authorization: Bearer {token}\r\nContent-Type: application/json\r\n\
                 Content-Length: 400\r\n\r\n{{\"full_name\": \"Nguy"
            ),
        ),
        (
            "a page's form",
            "POST /tra-cuu HTTP/1.1\r\nHost: cancuoc.test\r\n\
             Content-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: 300\r\n\r\nma=0790"
                .to_owned(),
        ),
    ];
    for (what, request) in cases {
        let t0 = Instant::now();
        let mut c = TcpStream::connect(s.addr).await.expect("connect");
        c.write_all(request.as_bytes()).await.expect("send");
        // Meanwhile another client is served.
        let (answer, _) = ask(s.addr, &get("/healthz"), Duration::from_secs(5))
            .await
            .expect("served while a body stalls");
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        // The stalled one gets its answer, then the connection closes.
        let mut answer = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(5), c.read_to_end(&mut answer)).await;
        let took = t0.elapsed();
        let answer = String::from_utf8_lossy(&answer).to_lowercase();
        assert!(
            matches!(read, Ok(Ok(_))),
            "{what}: no answer and still open after {took:?} ({read:?}): {answer}"
        );
        assert!(answer.starts_with("http/1.1 408"), "{what}: {answer}");
        assert!(
            took >= body - Duration::from_millis(50),
            "{what}: after {took:?}"
        );
        for h in [
            "content-type: application/problem+json",
            "connection: close",
            "x-content-type-options: nosniff",
            "x-request-id: ",
        ] {
            assert!(answer.contains(h), "{what}: no {h:?} in {answer}");
        }
    }
    s.stop_within(Duration::from_secs(5)).await;
}

pub async fn past_the_cap_a_client_waits_for_a_slot_and_gets_one(store: Store) {
    let header = Duration::from_secs(1);
    let cap = 4;
    let s = start(
        store,
        AppConfig {
            header_timeout: header,
            max_connections: cap,
            ..AppConfig::default()
        },
    )
    .await;
    // Twice the cap of connections that send nothing.
    let mut idle = Vec::new();
    for _ in 0..2 * cap {
        idle.push(TcpStream::connect(s.addr).await.expect("connect"));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    if let Some(n) = held(s.addr.port()) {
        assert_eq!(n, cap, "connections held past the cap");
    }
    // A well-behaved client: its connection waits until the idle ones
    // ahead of it are cut, twice the cap in two rounds of the header
    // timeout, then it is served.
    let watching = tokio::spawn({
        let port = s.addr.port();
        async move {
            let mut most = 0;
            for _ in 0..40 {
                most = most.max(held(port).unwrap_or(0));
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            most
        }
    });
    let (answer, took) = ask(
        s.addr,
        &get("/healthz"),
        2 * header + Duration::from_secs(4),
    )
    .await
    .expect("the new client was never served");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        took >= header / 2,
        "served after {took:?}: the cap did not hold it back"
    );
    let most = watching.await.expect("watcher");
    assert!(
        most <= cap,
        "the server held {most} connections (cap {cap})"
    );
    drop(idle);
    s.stop_within(Duration::from_secs(5)).await;
}

pub async fn shutdown_is_not_held_up_by_stalled_clients(store: Store) {
    let header = Duration::from_millis(800);
    let s = start(
        store,
        AppConfig {
            header_timeout: header,
            ..AppConfig::default()
        },
    )
    .await;
    let _silent = TcpStream::connect(s.addr).await.expect("connect");
    let mut stalled = TcpStream::connect(s.addr).await.expect("connect");
    stalled
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: cancuoc.test\r\nX-Slow: ")
        .await
        .expect("send");
    // A kept-alive connection after one answer.
    let mut kept = TcpStream::connect(s.addr).await.expect("connect");
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: cancuoc.test\r\n\r\n")
        .await
        .expect("send");
    let mut first = [0u8; 12];
    kept.read_exact(&mut first).await.expect("answer");
    assert_eq!(&first, b"HTTP/1.1 200");
    tokio::time::sleep(Duration::from_millis(100)).await;
    s.stop_within(header + Duration::from_secs(3)).await;
}

pub async fn each_request_carries_its_peer_address(store: Store) {
    // Two lookups per client, then 429.
    let mut limits = Limits::default();
    limits.lookups.burst = 2;
    limits.lookups.refill_ms = 3_600_000;
    let s = start_limited(store, AppConfig::default(), limits).await;
    let date = jiff::civil::date(2026, 11, 21);
    let code = DossierCode::new(790, date, 12_345).expect("a code");
    let lookup = get(&format!("/api/v1/status/{code}"));
    let status = |answer: &str| answer.get(9..12).unwrap_or("").to_owned();
    let limit = Duration::from_secs(5);
    for _ in 0..2 {
        let (answer, _) = ask_from("127.0.0.1", s.addr, &lookup, limit)
            .await
            .expect("answer");
        assert_ne!(status(&answer), "429", "{answer}");
    }
    let (answer, _) = ask_from("127.0.0.1", s.addr, &lookup, limit)
        .await
        .expect("answer");
    assert_eq!(
        status(&answer),
        "429",
        "the third lookup from one client: {answer}"
    );
    // Another client, its own bucket.
    let (answer, _) = ask_from("127.0.0.2", s.addr, &lookup, limit)
        .await
        .expect("answer");
    assert_ne!(
        status(&answer),
        "429",
        "another client shares the first one's bucket: {answer}"
    );
    s.stop_within(Duration::from_secs(5)).await;
}
