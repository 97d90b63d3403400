//! The application state shared by every handler (trạng thái ứng dụng): the
//! [`Service`] and the HTTP settings. The service is built by whoever
//! composes the program (`cancuoc serve`, a test) from its store; the
//! HTTP shell never sees the store.

use std::sync::Arc;
use std::time::Duration;

use cancuoc_service::Service;

use crate::metrics::Metrics;

/// HTTP settings of the service. The bind address is the caller's (the
/// CLI's `serve --bind`); nothing here opens a socket.
#[derive(Clone)]
pub struct AppConfig {
    /// Longest time a request may take before a 503 problem (default 30 s).
    pub request_timeout: Duration,
    /// Largest request body accepted, in bytes (default 1 MiB); larger is 413.
    pub body_limit: usize,
    /// Test hooks (`GET /api/v1/__test/panic`, and the web pages' hooks
    /// such as reading a captcha's answer): off unless a test turns them on
    /// (`cancuoc serve --test-hooks` for the browser tests). Never enable in
    /// production.
    pub test_hooks: bool,
    /// Proxies whose `X-Forwarded-For` names the client (a TLS terminator
    /// or load balancer in front of the service); from any other peer the
    /// header is ignored and the peer is the client. Empty by default.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Served over HTTPS, directly or by a TLS-terminating proxy: cookies
    /// are `Secure` and answers carry `Strict-Transport-Security`. Off by
    /// default (a plain-HTTP development server would lose its cookies).
    pub behind_tls: bool,
    /// The portal's address as citizens reach it (`https://host`), printed
    /// on appointment slips; `None`: the address the officer's browser
    /// used.
    pub public_url: Option<String>,
    /// Longest a connection may keep [`crate::serve`] waiting for a
    /// request head (default 10 s): counted from the accept, from the end
    /// of the previous answer, or from the last byte of an answer the
    /// client read. A client that sends half a head and stalls
    /// (slowloris), keeps an idle connection open, or stops reading its
    /// answer is disconnected after it.
    pub header_timeout: Duration,
    /// Longest a request body may take to arrive once its handler starts
    /// reading it (default 20 s, below [`AppConfig::request_timeout`]);
    /// later, [`crate::serve`] answers 408 and closes the connection.
    pub body_timeout: Duration,
    /// Most connections [`crate::serve`] holds at once (default 1,024,
    /// lowered to the process's open-file limit less 128 when that is
    /// lower); the next ones wait, in the kernel's accept queue, for one
    /// to close.
    pub max_connections: usize,
    /// The citizens' channels that are on, with their secrets (all off by
    /// default; see [`crate::channels`]).
    pub channels: crate::channels::ChannelsConfig,
    /// The signed QR's keys of the pages (the office's signing key and the
    /// keys the verification page trusts); `None`: nothing is signed and
    /// every seal shows as not verified.
    pub seal: Option<std::sync::Arc<cancuoc_web::seal::SealKeys>>,
    /// The clients that may read `GET /metrics` ([`crate::metrics`]),
    /// judged as [`crate::client_ip`] decides the client (behind
    /// `trusted_proxies`); any other gets a 404. Default: loopback
    /// (`127.0.0.0/8`, `::1`). Empty: metrics off, nothing counted.
    pub metrics_networks: Vec<ipnet::IpNet>,
}

/// The default of [`AppConfig::metrics_networks`]: loopback.
pub(crate) fn loopback_networks() -> Vec<ipnet::IpNet> {
    vec![
        ipnet::IpNet::V4(ipnet::Ipv4Net::new_assert(
            std::net::Ipv4Addr::new(127, 0, 0, 0),
            8,
        )),
        ipnet::IpNet::V6(ipnet::Ipv6Net::new_assert(
            std::net::Ipv6Addr::LOCALHOST,
            128,
        )),
    ]
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            body_limit: 1 << 20,
            test_hooks: false,
            trusted_proxies: Vec::new(),
            behind_tls: false,
            public_url: None,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(20),
            max_connections: 1024,
            channels: crate::channels::ChannelsConfig::default(),
            seal: None,
            metrics_networks: loopback_networks(),
        }
    }
}

impl std::fmt::Debug for AppConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppConfig")
            .field("request_timeout", &self.request_timeout)
            .field("body_limit", &self.body_limit)
            .field("test_hooks", &self.test_hooks)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("behind_tls", &self.behind_tls)
            .field("header_timeout", &self.header_timeout)
            .field("body_timeout", &self.body_timeout)
            .field("max_connections", &self.max_connections)
            .field("channels", &self.channels)
            .field("metrics_networks", &self.metrics_networks)
            .finish_non_exhaustive()
    }
}

/// The application: the use cases and the HTTP settings, cheap to clone
/// (one `Arc`).
#[derive(Clone, Debug)]
pub struct App {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    service: Arc<Service>,
    config: AppConfig,
    /// This app's own metrics (`None`: off); see [`crate::metrics`] for
    /// why each app has its own recorder.
    metrics: Option<Arc<Metrics>>,
}

impl App {
    /// The application over `service` (its clock, limits and at-risk
    /// setting are the service's own: `Service::new` and its `with_*`).
    pub fn new(service: Service, config: AppConfig) -> Self {
        Self::over(Arc::new(service), config)
    }

    /// The application over a service shared with another front end.
    pub fn over(service: Arc<Service>, config: AppConfig) -> Self {
        let metrics = Metrics::new(&config.metrics_networks, &config.trusted_proxies);
        Self {
            inner: Arc::new(Inner {
                service,
                config,
                metrics,
            }),
        }
    }

    /// The use cases.
    pub fn service(&self) -> &Service {
        &self.inner.service
    }

    /// The use cases, shared (for the web pages beside the API).
    pub fn shared_service(&self) -> Arc<Service> {
        Arc::clone(&self.inner.service)
    }

    /// The settings.
    pub fn config(&self) -> &AppConfig {
        &self.inner.config
    }

    /// The metrics of this app (`None`: off).
    pub fn metrics(&self) -> Option<&Arc<Metrics>> {
        self.inner.metrics.as_ref()
    }
}
