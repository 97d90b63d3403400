//! Architecture invariants of `cancuoc-web` (ARCHITECTURE.md): the pages
//! reach data through `cancuoc-service` only — never the store, its SQL
//! drivers or the REST shell — and draw images through `cancuoc-render`.

use cancuoc_testkit::deps::{assert_none, closure, direct};

#[test]
fn the_store_is_reached_through_the_service_only() {
    assert_none(
        "cancuoc-web (direct)",
        &direct("cancuoc-web"),
        &[
            "cancuoc-store",
            "sqlx",
            "rusqlite",
            "cancuoc-server",
            "captcha",
            "barcoders",
            "utoipa",
        ],
    );
}

#[test]
fn the_rest_shell_is_not_underneath() {
    assert_none(
        "cancuoc-web",
        &closure("cancuoc-web"),
        &["cancuoc-server", "utoipa", "utoipa-swagger-ui"],
    );
}
