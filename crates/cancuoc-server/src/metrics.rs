//! The operators' metrics (số liệu giám sát): `GET /metrics` in the
//! Prometheus text format, served only to the networks of
//! `AppConfig::metrics_networks` (loopback by default; elsewhere a 404
//! problem, as for a path that does not exist: the route is in the public
//! API spec, so there is no existence to hide, only the figures).
//!
//! What it reports:
//!
//! | metric | type | labels |
//! |---|---|---|
//! | `cancuoc_http_requests_total` | counter | `method`, `route`, `status` |
//! | `cancuoc_http_request_duration_seconds` | histogram (0.5 ms … 5 s) | `method`, `route` |
//! | `cancuoc_db_pool_connections` | gauge | `pool` (`main`, `accounts`, `captcha`), `state` (`idle`, `in_use`) |
//! | `cancuoc_status_cache_hits_total`, `cancuoc_status_cache_misses_total` | counter | |
//! | `cancuoc_status_cache_entries` | gauge | |
//! | `cancuoc_replica_lag_seconds` (NaN: not answering), `cancuoc_replica_used` (0/1) | gauge | `replica` (its URL without password) |
//! | `cancuoc_channel_outbox_messages` | gauge | `state` (`pending`, `dead`) |
//! | `cancuoc_channel_inbox_unhandled` | gauge | |
//! | `cancuoc_open_dossiers` | gauge | `state` (each open workflow state) |
//! | `cancuoc_logins_total` | counter | `who` (`officer`, `account`), `outcome` (`ok`, `failed`, `locked`) |
//!
//! The request metrics are recorded by the edge layer
//! ([`crate::middleware::EdgeLayer`]) around every route, labelled with
//! the route's template as axum matched it (`/api/v1/status/{code}`), never
//! the path itself: a dossier code or a personal ID never becomes a label,
//! and the number of series stays bounded. A request no route matched is
//! `route="unmatched"`; a method outside the standard ones is
//! `method="other"`. Answers given outside the router (hyper's own 400,
//! 414 and 431, `serve`'s 408) are not counted. The other figures are read
//! at scrape time from the service ([`cancuoc_service::Figures`]; the
//! queue depths are counts it keeps ten seconds), so a scrape is as fresh
//! as they are and costs the database at most three indexed counts every
//! ten seconds. The queue depths are NaN when the database did not answer.
//!
//! One recorder per [`crate::App`], not the process-global one of
//! `metrics::set_global_recorder` (what `PrometheusBuilder::install_recorder`
//! does): several apps in one process — the test suites build one per
//! case, a test may serve two — would otherwise count into one set of
//! counters, and only the first could install it.
//! `metrics::with_local_recorder` does not fit either: it covers a
//! synchronous closure on one thread, while a request's future moves
//! between threads. So the edge records through the recorder's own
//! handles, registered once per route, method and status and kept by the
//! route's edge ([`EndpointMetrics`]): the hot path is a read lock, a
//! short scan, a counter and a histogram sample, with no allocation and no
//! key to build or hash: about 0.1 µs a request in the router benchmark
//! (`status_lookup_router_sqlite_cached` 2.54–2.59 µs against 2.45–2.47 µs
//! for `…_no_metrics`; README, Benchmarks). The `metrics` macros are not
//! used.
//!
//! The latency histogram keeps its samples in memory until they are folded
//! into the buckets, at each scrape and, so that a server nobody scrapes
//! does not grow, every [`UPKEEP_EVERY`] by a task that ends with the app.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock, PoisonError, RwLock, Weak};
use std::time::Duration;

use axum::extract::{ConnectInfo, MatchedPath};
use axum::http::{HeaderMap, Method, header};
use cancuoc_service::{Figures, LoginCounts};
use ipnet::IpNet;
use metrics::{Counter, Gauge, Histogram, Key, Label, Level, Metadata, Recorder};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};

/// Requests answered, by method, route template and status.
pub const REQUESTS: &str = "cancuoc_http_requests_total";
/// Time from the request reaching the edge to its answer's head.
pub const DURATION: &str = "cancuoc_http_request_duration_seconds";
/// The bounds of [`DURATION`]'s buckets, in seconds: from half a
/// millisecond (a cached lookup takes a few microseconds in process, tens
/// of them over a socket) to five seconds (past the slow clients' and
/// database timeouts, a request is a failure anyway).
pub const DURATION_BUCKETS: [f64; 13] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];
/// The media type of the answer (the Prometheus text format 0.0.4).
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";
/// How often the latency samples are folded into the buckets when nobody
/// scrapes.
pub const UPKEEP_EVERY: Duration = Duration::from_secs(5);
/// The `route` of a request no route matched.
pub const UNMATCHED: &str = "unmatched";
/// Most label sets one route's edge keeps handles for (methods × statuses
/// seen); past it, a new one is still counted, through the recorder's
/// registry (slower, never lost).
const SERIES_PER_ENDPOINT: usize = 64;

/// The metrics of one app: its recorder and who may read it.
pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    networks: Vec<IpNet>,
    trusted_proxies: Vec<IpNet>,
    /// Set once the upkeep task runs.
    upkeep: OnceLock<()>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics")
            .field("networks", &self.networks)
            .finish_non_exhaustive()
    }
}

/// The metadata every registration carries (the Prometheus recorder
/// ignores it; the `Recorder` trait asks for one).
static META: Metadata<'static> = Metadata::new(module_path!(), Level::INFO, Some(module_path!()));

/// The label of a method: the standard ones by name, any other as
/// `other` (a client could send any token, and each would be a series).
pub fn method_label(m: &Method) -> &'static str {
    const KNOWN: [(&Method, &str); 9] = [
        (&Method::GET, "GET"),
        (&Method::HEAD, "HEAD"),
        (&Method::POST, "POST"),
        (&Method::PUT, "PUT"),
        (&Method::DELETE, "DELETE"),
        (&Method::PATCH, "PATCH"),
        (&Method::OPTIONS, "OPTIONS"),
        (&Method::CONNECT, "CONNECT"),
        (&Method::TRACE, "TRACE"),
    ];
    KNOWN
        .iter()
        .find(|(k, _)| *k == m)
        .map_or("other", |(_, name)| name)
}

impl Metrics {
    /// The metrics of an app, readable from `networks` (clients as
    /// [`crate::client_ip`] decides them, behind `trusted_proxies`); `None`
    /// when `networks` is empty: metrics off, nothing recorded.
    pub fn new(networks: &[IpNet], trusted_proxies: &[IpNet]) -> Option<Arc<Self>> {
        if networks.is_empty() {
            return None;
        }
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(DURATION.to_owned()), &DURATION_BUCKETS);
        // The buckets are a non-empty constant: the one error cannot occur.
        let builder = builder.unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        let m = Self {
            recorder,
            handle,
            networks: networks.to_vec(),
            trusted_proxies: trusted_proxies.to_vec(),
            upkeep: OnceLock::new(),
        };
        m.describe();
        Some(Arc::new(m))
    }

    fn describe(&self) {
        let r = &self.recorder;
        let counters = [
            (
                REQUESTS,
                "Requests answered, by method, route template and status.",
            ),
            (
                "cancuoc_status_cache_hits_total",
                "Status lookups answered from the answer cache.",
            ),
            (
                "cancuoc_status_cache_misses_total",
                "Status lookups that read the database.",
            ),
            (
                "cancuoc_logins_total",
                "Login attempts of officers (console) and citizens' accounts, by outcome.",
            ),
        ];
        for (name, help) in counters {
            r.describe_counter(name.into(), None, help.into());
        }
        r.describe_histogram(
            DURATION.into(),
            Some(metrics::Unit::Seconds),
            "Time from a request reaching the service to its answer, by method and route template."
                .into(),
        );
        let gauges = [
            (
                "cancuoc_db_pool_connections",
                "Open database connections by pool, idle or in use.",
            ),
            (
                "cancuoc_status_cache_entries",
                "Answers held by the status answer cache.",
            ),
            (
                "cancuoc_replica_lag_seconds",
                "Replay lag of each read replica at its last check; NaN when it did not answer.",
            ),
            (
                "cancuoc_replica_used",
                "1 when public reads go to the replica now, else 0.",
            ),
            (
                "cancuoc_channel_outbox_messages",
                "Channel messages waiting to be sent (pending) or given up (dead).",
            ),
            (
                "cancuoc_channel_inbox_unhandled",
                "Inbound channel messages not handled yet.",
            ),
            (
                "cancuoc_open_dossiers",
                "Open dossiers by workflow state (the offices' work).",
            ),
        ];
        for (name, help) in gauges {
            r.describe_gauge(name.into(), None, help.into());
        }
    }

    /// Whether a request may read the metrics: its client (as
    /// [`crate::client_ip`] decided it) is in the configured networks, and
    /// it did not come through a proxy that is not trusted (a request
    /// carrying `X-Forwarded-For` or `Forwarded` from any other peer: a
    /// reverse proxy on the same host would otherwise make every Internet
    /// client look like loopback). A request without a peer address (a
    /// router driven in process) may not.
    pub fn allows(
        &self,
        peer: Option<IpAddr>,
        client: Option<IpAddr>,
        headers: &HeaderMap,
    ) -> bool {
        let (Some(peer), Some(client)) = (peer, client) else {
            return false;
        };
        let peer = peer.to_canonical();
        let forwarded =
            headers.contains_key("x-forwarded-for") || headers.contains_key(header::FORWARDED);
        if forwarded && !self.trusted_proxies.iter().any(|n| n.contains(&peer)) {
            return false;
        }
        let client = client.to_canonical();
        self.networks.iter().any(|n| n.contains(&client))
    }

    /// The metrics as Prometheus text, with `figures` read now.
    pub fn render(&self, figures: &Figures) -> String {
        self.set_figures(figures);
        self.handle.render()
    }

    fn counter(&self, name: &'static str, labels: Vec<Label>) -> Counter {
        self.recorder
            .register_counter(&Key::from_parts(name, labels), &META)
    }

    fn gauge(&self, name: &'static str, labels: Vec<Label>) -> Gauge {
        self.recorder
            .register_gauge(&Key::from_parts(name, labels), &META)
    }

    /// The handles of one label set of the request metrics.
    fn series(&self, method: &'static str, route: &str, status: u16) -> Series {
        let route: Arc<str> = Arc::from(route);
        let requests = self.counter(
            REQUESTS,
            vec![
                Label::new("method", method),
                Label::new("route", route.to_string()),
                Label::new("status", status.to_string()),
            ],
        );
        let duration = self.recorder.register_histogram(
            &Key::from_parts(
                DURATION,
                vec![
                    Label::new("method", method),
                    Label::new("route", route.to_string()),
                ],
            ),
            &META,
        );
        Series {
            method,
            route,
            status,
            requests,
            duration,
        }
    }

    /// Sets the scrape-time figures on the recorder.
    fn set_figures(&self, f: &Figures) {
        for p in &f.pools {
            for (state, n) in [("idle", p.idle), ("in_use", p.in_use())] {
                self.gauge(
                    "cancuoc_db_pool_connections",
                    vec![Label::new("pool", p.pool), Label::new("state", state)],
                )
                .set(f64::from(n));
            }
        }
        self.counter("cancuoc_status_cache_hits_total", Vec::new())
            .absolute(f.cache.hits);
        self.counter("cancuoc_status_cache_misses_total", Vec::new())
            .absolute(f.cache.misses);
        self.gauge("cancuoc_status_cache_entries", Vec::new())
            .set(f.cache.entries as f64);
        for r in &f.replicas {
            let label = || vec![Label::new("replica", r.url.clone())];
            self.gauge("cancuoc_replica_lag_seconds", label())
                .set(r.lag_seconds.unwrap_or(f64::NAN));
            self.gauge("cancuoc_replica_used", label())
                .set(if r.used { 1.0 } else { 0.0 });
        }
        let d = f.depths.as_ref();
        let depth = |n: Option<u64>| n.map_or(f64::NAN, |n| n as f64);
        for (state, n) in [
            ("pending", d.map(|d| d.outbox_pending)),
            ("dead", d.map(|d| d.outbox_dead)),
        ] {
            self.gauge(
                "cancuoc_channel_outbox_messages",
                vec![Label::new("state", state)],
            )
            .set(depth(n));
        }
        self.gauge("cancuoc_channel_inbox_unhandled", Vec::new())
            .set(depth(d.map(|d| d.inbox_unhandled)));
        // Every open state is listed, so that a failed count shows as NaN
        // for each rather than leave the last figures standing.
        for state in cancuoc_core::dossier::workflow::State::ALL
            .iter()
            .filter(|s| !s.is_terminal())
        {
            let n = d.and_then(|d| {
                d.open_dossiers
                    .iter()
                    .find(|(s, _)| s == state)
                    .map(|(_, n)| *n)
            });
            self.gauge(
                "cancuoc_open_dossiers",
                vec![Label::new("state", state.code())],
            )
            .set(depth(n));
        }
        for (who, c) in [("officer", f.officer_logins), ("account", f.account_logins)] {
            let LoginCounts { ok, failed, locked } = c;
            for (outcome, n) in [("ok", ok), ("failed", failed), ("locked", locked)] {
                self.counter(
                    "cancuoc_logins_total",
                    vec![Label::new("who", who), Label::new("outcome", outcome)],
                )
                .absolute(n);
            }
        }
    }

    /// Starts, once, the task that folds latency samples into their
    /// buckets every [`UPKEEP_EVERY`]; it ends once the app is gone. No
    /// task outside a Tokio runtime (the samples then wait for a scrape).
    fn keep_up(self: &Arc<Self>) {
        if self.upkeep.get().is_some() {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        if self.upkeep.set(()).is_err() {
            return;
        }
        let weak: Weak<Self> = Arc::downgrade(self);
        runtime.spawn(async move {
            let mut tick = tokio::time::interval(UPKEEP_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match weak.upgrade() {
                    Some(m) => m.handle.run_upkeep(),
                    None => break,
                }
            }
        });
    }
}

/// The handles of one (method, route, status) of the request metrics.
struct Series {
    method: &'static str,
    route: Arc<str>,
    status: u16,
    requests: Counter,
    duration: Histogram,
}

/// What the edge of one route records into: the app's [`Metrics`] and the
/// handles of the label sets this route has answered with, so a request
/// finds its handles by a short scan instead of building and hashing a
/// key. Correct for any route: the route template is compared, not
/// assumed (the edge is layered per route by `Router::layer`, so one
/// route's edge sees one template, and the unmatched fallback none).
pub struct EndpointMetrics {
    metrics: Arc<Metrics>,
    series: RwLock<Vec<Series>>,
}

impl std::fmt::Debug for EndpointMetrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EndpointMetrics").finish_non_exhaustive()
    }
}

impl EndpointMetrics {
    /// A route's recorder into `metrics`.
    pub fn new(metrics: Arc<Metrics>) -> Self {
        Self {
            metrics,
            series: RwLock::new(Vec::new()),
        }
    }

    /// Records one answer: `status` to a `method` request on `route` (its
    /// template; `None`: no route matched), `latency` after it arrived.
    pub fn record(
        &self,
        method: &'static str,
        route: Option<&MatchedPath>,
        status: u16,
        latency: Duration,
    ) {
        let route = route.map_or(UNMATCHED, MatchedPath::as_str);
        let secs = latency.as_secs_f64();
        {
            let series = self.series.read().unwrap_or_else(PoisonError::into_inner);
            if let Some(s) = series
                .iter()
                .find(|s| s.status == status && s.method == method && &*s.route == route)
            {
                s.requests.increment(1);
                s.duration.record(secs);
                return;
            }
        }
        // First answer of this label set here: register it (and start the
        // upkeep on the app's first answer).
        self.metrics.keep_up();
        let s = self.metrics.series(method, route, status);
        s.requests.increment(1);
        s.duration.record(secs);
        let mut series = self.series.write().unwrap_or_else(PoisonError::into_inner);
        let known = series
            .iter()
            .any(|k| k.status == status && k.method == method && &*k.route == route);
        if !known && series.len() < SERIES_PER_ENDPOINT {
            series.push(s);
        }
    }
}

/// The peer of a request, when it came over a socket.
pub(crate) fn peer_of(extensions: &axum::http::Extensions) -> Option<IpAddr> {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics(networks: &[&str], proxies: &[&str]) -> Arc<Metrics> {
        let nets = |v: &[&str]| {
            v.iter()
                .map(|n| n.parse().expect("net"))
                .collect::<Vec<IpNet>>()
        };
        Metrics::new(&nets(networks), &nets(proxies)).expect("on")
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().expect("ip"))
    }

    #[test]
    fn no_networks_is_metrics_off() {
        assert!(Metrics::new(&[], &[]).is_none());
    }

    #[test]
    fn only_clients_in_the_networks_may_scrape() {
        let m = metrics(&["127.0.0.0/8", "::1/128"], &[]);
        let none = HeaderMap::new();
        assert!(m.allows(ip("127.0.0.1"), ip("127.0.0.1"), &none));
        assert!(m.allows(ip("::1"), ip("::1"), &none));
        // An IPv4 client seen on an IPv6 socket.
        assert!(m.allows(ip("::ffff:127.0.0.9"), ip("::ffff:127.0.0.9"), &none));
        assert!(!m.allows(ip("192.0.2.1"), ip("192.0.2.1"), &none));
        // No address: a router driven in process.
        assert!(!m.allows(None, None, &none));
    }

    #[test]
    fn a_request_through_an_unknown_proxy_may_not_scrape() {
        let mut fwd = HeaderMap::new();
        fwd.insert("x-forwarded-for", "198.51.100.7".parse().expect("value"));
        let m = metrics(&["127.0.0.0/8"], &[]);
        // A reverse proxy on loopback, not configured: refused.
        assert!(!m.allows(ip("127.0.0.1"), ip("127.0.0.1"), &fwd));
        let mut std_fwd = HeaderMap::new();
        std_fwd.insert(
            header::FORWARDED,
            "for=198.51.100.7".parse().expect("value"),
        );
        assert!(!m.allows(ip("127.0.0.1"), ip("127.0.0.1"), &std_fwd));
        // Configured: the client it names is judged.
        let m = metrics(&["10.1.0.0/16"], &["127.0.0.1/32"]);
        assert!(m.allows(ip("127.0.0.1"), ip("10.1.2.3"), &fwd));
        assert!(!m.allows(ip("127.0.0.1"), ip("198.51.100.7"), &fwd));
    }

    #[test]
    fn odd_methods_share_one_label() {
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(method_label(&Method::DELETE), "DELETE");
        let odd = Method::from_bytes(b"BREW").expect("method");
        assert_eq!(method_label(&odd), "other");
    }

    #[test]
    fn an_endpoint_counts_each_label_set_apart() {
        let m = metrics(&["127.0.0.0/8"], &[]);
        let e = EndpointMetrics::new(Arc::clone(&m));
        let ms = Duration::from_millis(1);
        for _ in 0..3 {
            e.record("GET", None, 404, ms);
        }
        e.record("GET", None, 200, ms);
        e.record("POST", None, 404, ms);
        let text = m.handle.render();
        let line = |labels: &str| {
            text.lines()
                .find(|l| l.starts_with(&format!("{REQUESTS}{{{labels}}} ")))
                .and_then(|l| l.rsplit(' ').next())
                .map(str::to_owned)
        };
        assert_eq!(
            line(r#"method="GET",route="unmatched",status="404""#).as_deref(),
            Some("3"),
            "{text}"
        );
        assert_eq!(
            line(r#"method="GET",route="unmatched",status="200""#).as_deref(),
            Some("1"),
            "{text}"
        );
        assert_eq!(
            line(r#"method="POST",route="unmatched",status="404""#).as_deref(),
            Some("1"),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                r#"{DURATION}_count{{method="GET",route="unmatched"}} 4"#
            )),
            "{text}"
        );
    }
}
