//! Architecture invariant of `cancuoc-render` (ARCHITECTURE.md): images and
//! documents only. It knows no HTTP, database or async runtime, so the
//! service and the pages never rebuild with its imaging dependencies and
//! it never reaches data itself.

use cancuoc_testkit::deps::{assert_none, closure};

#[test]
fn no_http_database_or_runtime_in_the_closure() {
    assert_none(
        "cancuoc-render",
        &closure("cancuoc-render"),
        &[
            "axum",
            "hyper",
            "http",
            "sqlx",
            "rusqlite",
            "tokio",
            "cancuoc-store",
            "cancuoc-service",
            "cancuoc-web",
            "cancuoc-server",
        ],
    );
}
