//! `GET /metrics` scraped over a real socket (issue 16, part 5): the
//! server runs `cancuoc_server::serve` on a loopback port, a few requests
//! go through it — a status lookup that finds its dossier twice, a code
//! nobody holds, a path no route has, a console login with a wrong
//! password and one with the right one — and the scrape, parsed as
//! Prometheus text, must show each counted once under its route
//! *template* (never a dossier code), the latency histogram's buckets,
//! the login counters, and the store's figures (pools, cache, queues) as
//! the store reports them. A client outside `metrics_networks`, or one
//! that came through a proxy that is not trusted, gets a 404; with no
//! networks the metrics are off.
//!
//! Each case runs on a fresh SQLite file, and on a fresh PostgreSQL
//! database when `CANCUOC_TEST_PG_URL` is set. Every name and number here
//! is synthetic.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::id::alloc::Allocator;
use cancuoc_core::rules::Reason;
use cancuoc_server::{App, AppConfig, Service, fixed_clock};
use cancuoc_service::{Login, OpenDossier, Password};
use cancuoc_store::Store;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// 2026-11-21 10:00 in Vietnam (UTC+7).
const NOW: &str = "2026-11-21T03:00:00Z";
/// Epoch seconds of [`NOW`].
const T0: i64 = 1_795_230_000;
/// The synthetic console password of the test officer.
const PASSWORD: &str = "mat-khau-thu-nghiem-1";
/// The synthetic personal ID of the test citizen.
const PID: &str = "079090012345";

macro_rules! on_both {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    cancuoc_testkit::on_sqlite("cancuoc_metrics", crate::$case).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    cancuoc_testkit::on_postgres(
                        concat!("metrics::", stringify!($case)),
                        "metrics",
                        crate::$case,
                    )
                    .await;
                }
            )*
        }
    };
}

on_both!(
    a_scrape_counts_requests_by_route_template_and_reports_the_store,
    only_the_configured_networks_may_scrape,
);

/// `serve` on a free loopback port.
struct Running {
    addr: SocketAddr,
    app: App,
    stop: Option<oneshot::Sender<()>>,
    served: JoinHandle<std::io::Result<()>>,
}

/// The test world's offices and officers in `store`, and an app over it
/// with `config`.
async fn world_app(store: Store, config: AppConfig) -> (App, cancuoc_testkit::world::World) {
    let world = cancuoc_testkit::world::world(store.clone(), T0).await;
    (app_over(store, config).await, world)
}

/// An app over `store` with `config`.
async fn app_over(store: Store, config: AppConfig) -> App {
    let service = Service::new(
        store,
        Allocator::new([42; 16]),
        fixed_clock(NOW.parse().expect("now")),
    )
    .await
    .expect("service");
    App::new(service, config)
}

/// Serves `app` on a free loopback port.
async fn start(app: App) -> Running {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    let (stop, stopped) = oneshot::channel::<()>();
    let served = tokio::spawn(cancuoc_server::serve(listener, app.clone(), async move {
        let _ = stopped.await;
    }));
    Running {
        addr,
        app,
        stop: Some(stop),
        served,
    }
}

impl Running {
    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let done = tokio::time::timeout(Duration::from_secs(5), &mut self.served).await;
        assert!(
            matches!(done, Ok(Ok(Ok(())))),
            "serve did not stop: {done:?}"
        );
    }
}

/// One answer read off the socket.
#[derive(Debug)]
struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    /// The value of header `name` ("" when absent).
    fn header(&self, name: &str) -> &str {
        self.head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map_or("", |(_, v)| v.trim())
    }
}

/// Sends `request` (which says `Connection: close`) from the local address
/// `from` and reads the answer to the end. Bodies here are never chunked:
/// every answer of the service has a length.
async fn ask_from(from: &str, addr: SocketAddr, request: &str) -> Answer {
    let socket = TcpSocket::new_v4().expect("socket");
    socket
        .bind(SocketAddr::new(from.parse::<IpAddr>().expect("ip"), 0))
        .expect("bind");
    let mut c = socket.connect(addr).await.expect("connect");
    c.write_all(request.as_bytes()).await.expect("send");
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), c.read_to_end(&mut raw))
        .await
        .expect("an answer within 10 s")
        .expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("a head");
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "{head}"
    );
    let status = head
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    Answer {
        status,
        head: head.to_owned(),
        body: body.to_owned(),
    }
}

fn get(path: &str, extra: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: cancuoc.test\r\n{extra}Connection: close\r\n\r\n")
}

fn post_form(path: &str, form: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: cancuoc.test\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    )
}

/// A parsed scrape: every sample by metric name and its labels (sorted).
/// A hand-written reader of the text format (no parser crate is in the
/// tree, and a test needs only samples: `name{k="v",…} value`, with the
/// format's three escapes in label values); `# HELP` and `# TYPE` lines
/// are kept apart.
#[derive(Debug, Default)]
struct Scrape {
    samples: BTreeMap<(String, Vec<(String, String)>), f64>,
    types: BTreeMap<String, String>,
}

impl Scrape {
    fn parse(text: &str) -> Self {
        let mut s = Self::default();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                let (name, kind) = rest.split_once(' ').expect("TYPE name kind");
                s.types.insert(name.to_owned(), kind.to_owned());
                continue;
            }
            if line.starts_with('#') {
                continue;
            }
            let (series, value) = line.rsplit_once(' ').expect("sample value");
            let value = match value {
                "NaN" => f64::NAN,
                "+Inf" => f64::INFINITY,
                v => v
                    .parse::<f64>()
                    .unwrap_or_else(|_| panic!("a number: {line}")),
            };
            let (name, labels) = match series.split_once('{') {
                None => (series.to_owned(), Vec::new()),
                Some((name, rest)) => {
                    let body = rest.strip_suffix('}').expect("closing brace");
                    (name.to_owned(), labels_of(body, line))
                }
            };
            let mut labels = labels;
            labels.sort();
            assert!(
                s.samples.insert((name, labels), value).is_none(),
                "a series twice: {line}"
            );
        }
        s
    }

    /// The sample `name{labels}`, `None` when absent.
    fn get(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        let mut l: Vec<(String, String)> = labels
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        l.sort();
        self.samples.get(&(name.to_owned(), l)).copied()
    }

    /// [`Scrape::get`], 0 when absent (a counter never incremented).
    fn count(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.get(name, labels).unwrap_or(0.0)
    }

    /// Every label value of every sample.
    fn label_values(&self) -> impl Iterator<Item = &str> {
        self.samples
            .keys()
            .flat_map(|(_, l)| l.iter().map(|(_, v)| v.as_str()))
    }
}

/// `k="v",k2="v2"` (values with `\\`, `\"` and `\n` escaped).
fn labels_of(body: &str, line: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = body.chars().peekable();
    loop {
        let key: String = chars.by_ref().take_while(|&c| c != '=').collect();
        if key.is_empty() {
            break;
        }
        assert_eq!(chars.next(), Some('"'), "a quoted value: {line}");
        let mut value = String::new();
        loop {
            match chars.next() {
                Some('\\') => match chars.next() {
                    Some('n') => value.push('\n'),
                    Some(c) => value.push(c),
                    None => panic!("a dangling escape: {line}"),
                },
                Some('"') => break,
                Some(c) => value.push(c),
                None => panic!("an unterminated value: {line}"),
            }
        }
        out.push((key.trim_start_matches(',').to_owned(), value));
        if chars.peek() == Some(&',') {
            chars.next();
        }
    }
    out
}

/// Scrapes `/metrics` from 127.0.0.1 and parses it.
async fn scrape(addr: SocketAddr) -> Scrape {
    let a = ask_from("127.0.0.1", addr, &get("/metrics", "")).await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(
        a.header("content-type"),
        "text/plain; version=0.0.4; charset=utf-8"
    );
    Scrape::parse(&a.body)
}

const REQUESTS: &str = "cancuoc_http_requests_total";
const DURATION: &str = "cancuoc_http_request_duration_seconds";
const STATUS_ROUTE: &str = "/api/v1/status/{code}";

pub async fn a_scrape_counts_requests_by_route_template_and_reports_the_store(store: Store) {
    let (app, world) = world_app(store.clone(), AppConfig::default()).await;
    let s = start(app).await;
    let svc = s.app.service();
    let citizen = cancuoc_testkit::world::add_citizen(&store, "Nguyễn Văn Thử", PID, T0).await;
    let dossier = svc
        .open_dossier(
            &world.receptionist,
            OpenDossier::walk_in(citizen.id, Reason::parse("first-issue").expect("reason")),
        )
        .await
        .expect("dossier");
    let code = dossier.code.to_string();
    svc.set_officer_login(
        world.receptionist.officer.id,
        &Login::parse("reception.790").expect("login"),
        &Password::parse(PASSWORD).expect("password"),
        None,
    )
    .await
    .expect("console login");

    // The requests: a lookup found twice, a code nobody holds, a path no
    // route has, a console login refused and one accepted.
    for _ in 0..2 {
        let a = ask_from(
            "127.0.0.1",
            s.addr,
            &get(&format!("/api/v1/status/{code}"), ""),
        )
        .await;
        assert_eq!(a.status, 200, "{a:?}");
    }
    let nobody = DossierCode::new(790, jiff::civil::date(2026, 11, 21), 99_999).expect("a code");
    assert_ne!(nobody.to_string(), code);
    let a = ask_from(
        "127.0.0.1",
        s.addr,
        &get(&format!("/api/v1/status/{nobody}"), ""),
    )
    .await;
    assert_eq!(a.status, 404, "{a:?}");
    let a = ask_from("127.0.0.1", s.addr, &get(&format!("/khong-co/{PID}"), "")).await;
    assert_eq!(a.status, 404, "{a:?}");
    let wrong = ask_from(
        "127.0.0.1",
        s.addr,
        &post_form(
            "/can-bo/dang-nhap",
            "login=reception.790&password=sai-mat-khau-1",
        ),
    )
    .await;
    assert_eq!(wrong.status, 401, "{wrong:?}");
    let right = ask_from(
        "127.0.0.1",
        s.addr,
        &post_form(
            "/can-bo/dang-nhap",
            &format!("login=reception.790&password={PASSWORD}&next=/can-bo"),
        ),
    )
    .await;
    assert_eq!(right.status, 303, "{right:?}");

    let m = scrape(s.addr).await;
    let get_status = |status: &str| {
        m.count(
            REQUESTS,
            &[
                ("method", "GET"),
                ("route", STATUS_ROUTE),
                ("status", status),
            ],
        )
    };
    assert_eq!(get_status("200"), 2.0, "{m:#?}");
    assert_eq!(get_status("404"), 1.0, "{m:#?}");
    assert_eq!(
        m.count(
            REQUESTS,
            &[("method", "GET"), ("route", "unmatched"), ("status", "404")]
        ),
        1.0
    );
    assert_eq!(
        m.count(
            REQUESTS,
            &[
                ("method", "POST"),
                ("route", "/can-bo/dang-nhap"),
                ("status", "401")
            ]
        ),
        1.0
    );
    assert_eq!(
        m.count(
            REQUESTS,
            &[
                ("method", "POST"),
                ("route", "/can-bo/dang-nhap"),
                ("status", "303")
            ]
        ),
        1.0
    );
    assert_eq!(m.types.get(REQUESTS).map(String::as_str), Some("counter"));
    // No dossier code or personal ID became a label: only templates.
    for v in m.label_values() {
        assert!(
            !v.contains(&code) && !v.contains(&nobody.to_string()) && !v.contains(PID),
            "a label carries a code or number: {v}"
        );
    }

    // The latency histogram of the lookup route: three answers, in
    // cumulative buckets from 0.5 ms to 5 s.
    assert_eq!(m.types.get(DURATION).map(String::as_str), Some("histogram"));
    let lookup = [("method", "GET"), ("route", STATUS_ROUTE)];
    assert_eq!(m.get(&format!("{DURATION}_count"), &lookup), Some(3.0));
    let bucket = |le: &str| {
        m.get(
            &format!("{DURATION}_bucket"),
            &[("method", "GET"), ("route", STATUS_ROUTE), ("le", le)],
        )
    };
    let bounds = [
        "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1",
        "2.5", "5", "+Inf",
    ];
    let counts: Vec<f64> = bounds
        .iter()
        .map(|le| bucket(le).unwrap_or_else(|| panic!("bucket le={le}: {m:#?}")))
        .collect();
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
    assert_eq!(counts.last(), Some(&3.0));
    let sum = m.get(&format!("{DURATION}_sum"), &lookup).expect("sum");
    assert!(sum > 0.0 && sum.is_finite(), "{sum}");

    // Logins: the officer's refused and accepted console logins.
    // Every series is written, zeros included (a missing one is a fault,
    // not a zero).
    let logins = |who: &str, outcome: &str| {
        m.get(
            "cancuoc_logins_total",
            &[("who", who), ("outcome", outcome)],
        )
    };
    assert_eq!(logins("officer", "failed"), Some(1.0));
    assert_eq!(logins("officer", "ok"), Some(1.0));
    assert_eq!(logins("officer", "locked"), Some(0.0));
    for outcome in ["ok", "failed", "locked"] {
        assert_eq!(logins("account", outcome), Some(0.0), "account {outcome}");
    }

    // The store's figures, as the store reports them.
    for p in store.pool_use() {
        for state in ["idle", "in_use"] {
            assert!(
                m.get(
                    "cancuoc_db_pool_connections",
                    &[("pool", p.pool), ("state", state)]
                )
                .is_some(),
                "pool {} {state}: {m:#?}",
                p.pool
            );
        }
    }
    let main_open = m.count(
        "cancuoc_db_pool_connections",
        &[("pool", "main"), ("state", "idle")],
    ) + m.count(
        "cancuoc_db_pool_connections",
        &[("pool", "main"), ("state", "in_use")],
    );
    assert!(main_open >= 1.0, "the main pool has served: {m:#?}");
    if store.backend() == cancuoc_store::Backend::Sqlite {
        for pool in ["accounts", "captcha"] {
            assert!(
                m.get(
                    "cancuoc_db_pool_connections",
                    &[("pool", pool), ("state", "idle")]
                )
                .is_some(),
                "{pool}"
            );
        }
    }
    let cache = store.cache_stats();
    let hits = m.count("cancuoc_status_cache_hits_total", &[]);
    let misses = m.count("cancuoc_status_cache_misses_total", &[]);
    assert_eq!((hits, misses), (cache.hits as f64, cache.misses as f64));
    assert!(
        hits + misses >= 2.0,
        "the lookups reached the cache: {m:#?}"
    );
    if store.backend() == cancuoc_store::Backend::Sqlite {
        // The dossier found twice: read once, then served from the cache
        // (on PostgreSQL the cache serves only once its listener is up).
        assert!(hits >= 1.0 && misses >= 1.0, "{hits} hits, {misses} misses");
    }
    assert_eq!(
        m.get("cancuoc_status_cache_entries", &[]),
        Some(cache.entries as f64)
    );
    // The queues: the one dossier opened waits at reception (received).
    let depths = store.depths().await.expect("depths");
    assert_eq!(
        m.get("cancuoc_open_dossiers", &[("state", "received")]),
        Some(1.0)
    );
    for (state, n) in &depths.open_dossiers {
        assert_eq!(
            m.get("cancuoc_open_dossiers", &[("state", state.code())]),
            Some(*n as f64),
            "{state:?}"
        );
    }
    assert_eq!(
        m.get("cancuoc_open_dossiers", &[("state", "returned")]),
        None
    );
    for (state, n) in [
        ("pending", depths.outbox_pending),
        ("dead", depths.outbox_dead),
    ] {
        assert_eq!(
            m.get("cancuoc_channel_outbox_messages", &[("state", state)]),
            Some(n as f64)
        );
    }
    assert_eq!(
        m.get("cancuoc_channel_inbox_unhandled", &[]),
        Some(depths.inbox_unhandled as f64)
    );
    // No replicas configured: no replica series.
    assert!(
        !m.samples
            .keys()
            .any(|(n, _)| n.starts_with("cancuoc_replica_")),
        "{m:#?}"
    );

    // The scrape counts itself, as any route.
    let again = scrape(s.addr).await;
    assert_eq!(
        again.count(
            REQUESTS,
            &[("method", "GET"), ("route", "/metrics"), ("status", "200")]
        ),
        1.0
    );
    assert_eq!(
        again.count(
            REQUESTS,
            &[
                ("method", "GET"),
                ("route", STATUS_ROUTE),
                ("status", "200")
            ]
        ),
        2.0
    );
    s.stop().await;
}

pub async fn only_the_configured_networks_may_scrape(store: Store) {
    let config = AppConfig {
        metrics_networks: vec!["127.0.0.1/32".parse().expect("net")],
        ..AppConfig::default()
    };
    let (app, _) = world_app(store.clone(), config).await;
    let s = start(app).await;
    // Another loopback address, outside the one network: a 404 problem,
    // as for a path that does not exist.
    let outside = ask_from("127.0.0.2", s.addr, &get("/metrics", "")).await;
    assert_eq!(outside.status, 404, "{outside:?}");
    assert_eq!(outside.header("content-type"), "application/problem+json");
    assert!(
        outside.body.contains("request.no_route"),
        "{}",
        outside.body
    );
    assert!(!outside.body.contains("cancuoc_"), "{}", outside.body);
    // Inside it, through a proxy nobody configured (it added
    // X-Forwarded-For): refused too.
    let proxied = ask_from(
        "127.0.0.1",
        s.addr,
        &get("/metrics", "X-Forwarded-For: 198.51.100.7\r\n"),
    )
    .await;
    assert_eq!(proxied.status, 404, "{proxied:?}");
    // Inside it, directly: served, and the refusals were counted like any
    // answer.
    let m = scrape(s.addr).await;
    assert_eq!(
        m.count(
            REQUESTS,
            &[("method", "GET"), ("route", "/metrics"), ("status", "404")]
        ),
        2.0,
        "{m:#?}"
    );
    s.stop().await;

    // No networks: metrics off, for everyone.
    let off = AppConfig {
        metrics_networks: Vec::new(),
        ..AppConfig::default()
    };
    let s = start(app_over(store, off).await).await;
    assert!(s.app.metrics().is_none());
    let a = ask_from("127.0.0.1", s.addr, &get("/metrics", "")).await;
    assert_eq!(a.status, 404, "{a:?}");
    s.stop().await;
}
