//! The client's address (địa chỉ máy khách), decided once per request at
//! the edge and left as a `cancuoc_web::client::ClientIp` extension for
//! every limit the service keeps per client (lookups, bookings, captchas,
//! logins).
//!
//! The client is the connection's peer, unless the peer is one of the
//! configured trusted proxies (`AppConfig::trusted_proxies`: the TLS
//! terminator or load balancer in front of the service). Then the client
//! is read from `X-Forwarded-For`, right to left: each proxy appends the
//! address it received the request from, so the rightmost address that is
//! not itself a trusted proxy is the one the last trusted hop saw — the
//! only one no client can forge. Everything left of it is whatever the
//! client claimed. A malformed entry before that address, or a header that
//! names only trusted proxies, leaves the peer as the client. Without
//! trusted proxies the header is ignored altogether: a client cannot pick
//! its own rate-limit bucket by sending it.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use cancuoc_web::client::ClientIp;
use ipnet::IpNet;

/// The client of a request from `peer` carrying `headers`, given the
/// `trusted` proxies.
pub fn client_of(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    // A server bound to `[::]` sees IPv4 peers as `::ffff:a.b.c.d`: judge
    // them as the IPv4 addresses the settings name.
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    if trusted.is_empty() || !is_trusted(&peer) {
        return peer;
    }
    // Several headers are one list, in order.
    let hops = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            return peer;
        };
        let ip = ip.to_canonical();
        if !is_trusted(&ip) {
            return ip;
        }
    }
    peer
}

/// One `X-Forwarded-For` entry: an IPv4 or IPv6 address, possibly with a
/// port (`192.0.2.1:4711`, `[2001:db8::1]:4711`) as some proxies write it.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(|ip| match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        })
}

/// `router` with the client address decided for every request (see the
/// module documentation). Requests without a peer address (a router driven
/// in-process) get no [`ClientIp`]; the pages and routes then count them as
/// one unknown client.
pub fn layer(router: Router, trusted: &[IpNet]) -> Router {
    let trusted: Arc<[IpNet]> = trusted.into();
    router.layer(axum::middleware::from_fn(
        move |mut req: Request, next: Next| {
            let trusted = Arc::clone(&trusted);
            async move {
                let peer = req
                    .extensions()
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|c| c.0.ip());
                if let Some(peer) = peer {
                    let ip = client_of(peer, req.headers(), &trusted);
                    req.extensions_mut().insert(ClientIp(ip));
                }
                let res: Response = next.run(req).await;
                res
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", v.parse().expect("header"));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn the_client_is_the_rightmost_untrusted_hop_behind_trusted_proxies() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().expect("net")];
        let proxy = ip("10.0.0.5");
        let cases: &[(&[&str], &str)] = &[
            // No header: the peer.
            (&[], "10.0.0.5"),
            // One client behind one proxy.
            (&["198.51.100.7"], "198.51.100.7"),
            // A client claiming an address: the proxy appended the real one.
            (&["1.2.3.4, 198.51.100.7"], "198.51.100.7"),
            // Two trusted proxies in a row.
            (&["198.51.100.7, 10.1.1.1"], "198.51.100.7"),
            // Several header lines are one list.
            (&["1.2.3.4", "198.51.100.7"], "198.51.100.7"),
            // A port, IPv6 with a port, an IPv4-mapped address.
            (&["198.51.100.7:4711"], "198.51.100.7"),
            (&["[2001:db8::9]:4711"], "2001:db8::9"),
            (&["::ffff:198.51.100.8"], "198.51.100.8"),
            // A malformed entry before any untrusted one: the peer.
            (&["198.51.100.7, garbage"], "10.0.0.5"),
            // Only trusted hops: the peer.
            (&["10.2.2.2"], "10.0.0.5"),
        ];
        for (h, want) in cases {
            assert_eq!(client_of(proxy, &headers(h), &trusted), ip(want), "{h:?}");
        }
    }

    #[test]
    fn an_ipv4_peer_seen_as_ipv6_is_judged_as_ipv4() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().expect("net")];
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "198.51.100.7".parse().expect("value"));
        let mapped: IpAddr = "::ffff:10.0.0.5".parse().expect("ip");
        assert_eq!(
            client_of(mapped, &h, &trusted),
            "198.51.100.7".parse::<IpAddr>().expect("ip")
        );
        let direct: IpAddr = "::ffff:203.0.113.9".parse().expect("ip");
        assert_eq!(
            client_of(direct, &h, &trusted),
            "203.0.113.9".parse::<IpAddr>().expect("ip")
        );
    }

    #[test]
    fn the_header_is_ignored_from_an_untrusted_peer_or_without_proxies() {
        let h = headers(&["198.51.100.7"]);
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().expect("net")];
        assert_eq!(
            client_of(ip("203.0.113.9"), &h, &trusted),
            ip("203.0.113.9")
        );
        assert_eq!(client_of(ip("10.0.0.5"), &h, &[]), ip("10.0.0.5"));
    }
}
