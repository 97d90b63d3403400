//! Who is asking (máy khách): the client address every limit of the
//! service counts under (`cancuoc_service::Client`), for the pages here and
//! the REST routes of `cancuoc-server` alike.
//!
//! The edge (`cancuoc-server`'s middleware) decides the address once per
//! request and leaves it as a [`ClientIp`] extension: the peer's address,
//! or — only when the peer is one of the configured trusted proxies — the
//! address that proxy put in `X-Forwarded-For`. [`Caller`] reads it; a
//! request without it (the router driven in-process, without the edge)
//! falls back to `ConnectInfo`, then to one shared unknown client, so a
//! limit is never silently off.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use cancuoc_service::Client;

/// The client's address as the edge decided it (a request extension).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// The client of a request, for the service's limits.
#[derive(Clone, Copy, Debug)]
pub struct Caller(pub Client);

impl Caller {
    /// The client of a request's parts.
    pub fn of(parts: &Parts) -> Self {
        let ip = parts.extensions.get::<ClientIp>().map(|c| c.0).or_else(|| {
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip())
        });
        Caller(ip.map_or_else(Client::unknown, Client::new))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::of(parts))
    }
}
