//! The application state shared by every handler (trạng thái ứng dụng): the
//! [`Service`] and the HTTP settings.

use std::sync::Arc;
use std::time::Duration;

use cancuoc_core::id::alloc::Allocator;
use cancuoc_store::Store;

use cancuoc_service::{Clock, Service, ServiceError, system_clock};

/// HTTP settings of the service. The bind address is the caller's (the
/// CLI's `serve --bind`); nothing here opens a socket.
#[derive(Clone)]
pub struct AppConfig {
    /// Longest time a request may take before a 503 problem (default 30 s).
    pub request_timeout: Duration,
    /// Largest request body accepted, in bytes (default 1 MiB); larger is 413.
    pub body_limit: usize,
    /// Where "now" comes from (default: the system clock).
    pub clock: Clock,
    /// Working days before the promised date when an open dossier counts as
    /// at risk (default: the rules engine's).
    pub at_risk_working_days: u32,
    /// Test hooks (`GET /api/v1/__test/panic`, and the web pages' hooks
    /// such as reading a captcha's answer): off unless a test turns them on
    /// (`cancuoc serve --test-hooks` for the browser tests). Never enable in
    /// production.
    pub test_hooks: bool,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            body_limit: 1 << 20,
            clock: system_clock(),
            at_risk_working_days: cancuoc_core::rules::DEFAULT_AT_RISK_WORKING_DAYS,
            test_hooks: false,
        }
    }
}

impl std::fmt::Debug for AppConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppConfig")
            .field("request_timeout", &self.request_timeout)
            .field("body_limit", &self.body_limit)
            .field("at_risk_working_days", &self.at_risk_working_days)
            .field("test_hooks", &self.test_hooks)
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
}

impl App {
    /// Builds the application over an open store: loads the office tree and
    /// keeps the personal ID `allocator` (its key is secret).
    pub async fn new(
        store: Store,
        config: AppConfig,
        allocator: Allocator,
    ) -> Result<Self, ServiceError> {
        let service = Service::new(store, allocator, config.clock.clone())
            .await?
            .with_at_risk_working_days(config.at_risk_working_days);
        Ok(Self::over(Arc::new(service), config))
    }

    /// The application over a service built elsewhere.
    pub fn over(service: Arc<Service>, config: AppConfig) -> Self {
        Self {
            inner: Arc::new(Inner { service, config }),
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
}
