//! `cancuoc-server` is the issuance service of cancuoc (dịch vụ cấp thẻ):
//! the use cases of the card workflow ([`service`]) and the REST API over
//! them ([`router`]): `/api/v1` JSON routes described by an OpenAPI 3 spec
//! at `/api/openapi.json`, an offline Swagger UI at `/api/docs`, and
//! `/healthz` / `/readyz` probes; and the web pages over the same use
//! cases: the citizens' portal and the officers' console (`web`).
//!
//! Only this crate knows HTTP. Rules and the workflow come from
//! `cancuoc-core`, persistence from `cancuoc-store`. Every error is one
//! [`ApiError`] answered as an RFC 9457 problem document with Vietnamese
//! and English messages and the request id.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use cancuoc_server::{App, AppConfig, router};
//! let store = cancuoc_store::Store::connect("sqlite://cancuoc-data/cancuoc.db").await?;
//! let allocator = cancuoc_core::id::alloc::Allocator::new([7; 16]);
//! let app = App::new(store, AppConfig::default(), allocator).await?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, router(app)).await?;
//! # Ok(()) }
//! ```
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

mod app;
pub mod error;
mod extract;
pub mod middleware;
mod routes;
pub mod service;
mod web;

pub use app::{App, AppConfig};
pub use error::{ApiError, ProblemBody};
pub use routes::{openapi, router};
pub use service::{Clock, Service, ServiceError, fixed_clock, system_clock};
