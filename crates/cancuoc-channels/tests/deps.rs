//! Architecture invariant: `cancuoc-channels` is the channels' wire layer
//! and sits beside the service, not on it (ARCHITECTURE.md): it knows
//! core's shared channel types, never the store, the SQL driver, the
//! service or the HTTP shell.

use cancuoc_testkit::deps::{assert_none, closure, direct};

#[test]
fn below_the_service() {
    let all = closure("cancuoc-channels");
    assert!(
        all.contains("cancuoc-core") && all.contains("ureq"),
        "{all:?}"
    );
    assert_none(
        "cancuoc-channels",
        &all,
        &[
            "cancuoc-store",
            "cancuoc-service",
            "cancuoc-server",
            "cancuoc-web",
            "sqlx",
        ],
    );
    assert!(direct("cancuoc-channels").contains("cancuoc-core"));
}
