//! Architecture invariant: `cancuoc-service` holds the use cases and knows
//! no HTTP, HTML or wire format (ARCHITECTURE.md). No web framework,
//! template engine, HTTP type or OpenAPI crate may reach it, so front ends
//! (REST, web pages, hotline, chat) sit on top and never underneath.

use cancuoc_testkit::deps::{assert_none, closure, direct};

#[test]
fn no_http_html_or_wire_crate_in_the_closure() {
    let all = closure("cancuoc-service");
    // The walk goes through the store to its driver: the closure is real.
    assert!(all.contains("sqlx") && all.contains("jiff"), "{all:?}");
    assert_none(
        "cancuoc-service",
        &all,
        &[
            "axum",
            "axum-core",
            "axum-extra",
            "askama",
            "askama_web",
            "hyper",
            "http",
            "tower",
            "tower-http",
            "utoipa",
            "cancuoc-server",
            "cancuoc-web",
            "cancuoc-render",
        ],
    );
}

#[test]
fn only_the_store_and_core_below() {
    let d = direct("cancuoc-service");
    assert!(
        d.contains("cancuoc-store") && d.contains("cancuoc-core"),
        "{d:?}"
    );
}
