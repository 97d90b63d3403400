//! `cancuoc-server` is the HTTP shell of cancuoc (máy chủ HTTP): the REST
//! API over the use cases of `cancuoc-service` ([`router`]): `/api/v1` JSON
//! routes with their own response types, described by an OpenAPI 3 spec at
//! `/api/openapi.json`, an offline Swagger UI at `/api/docs`, and
//! `/healthz` / `/readyz` probes; beside them the web pages of
//! `cancuoc-web` over the same service; the edge middleware every request
//! passes ([`middleware`]); and [`serve`], which runs it all on a listener
//! with the client addresses the portal's rate limit keys on, a cap on
//! connections and timeouts for clients that stall (slowloris).
//!
//! A handler parses its input, calls one service method and renders the
//! answer; it never reaches the store. Every error is one [`ApiError`]
//! answered as an RFC 9457 problem document with Vietnamese and English
//! messages and the request id; a service error's status comes from its
//! class.
//!
//! ```no_run
//! use cancuoc_server::{App, AppConfig, Service, serve};
//!
//! // The program's composition root (`cancuoc serve`) opens the database
//! // and builds the service; the HTTP shell takes the service only.
//! async fn run(service: Service) -> Result<(), Box<dyn std::error::Error>> {
//!     let app = App::new(service, AppConfig::default());
//!     let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//!     // Runs until the future given resolves (here: a message on `stop`),
//!     // then finishes the requests in flight.
//!     let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
//! #     drop(stop);
//!     serve(listener, app, async {
//!         let _ = stopped.await;
//!     })
//!     .await?;
//!     Ok(())
//! }
//! ```
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

mod app;
pub mod channels;
pub mod client_ip;
pub mod error;
mod extract;
pub mod metrics;
pub mod middleware;
mod routes;
mod serving;
pub mod sms_http;

pub use app::{App, AppConfig};
pub use cancuoc_service::{Clock, Limits, Service, ServiceError, fixed_clock, system_clock};
pub use error::{ApiError, ProblemBody};
pub use routes::{openapi, router};
pub use serving::serve;
