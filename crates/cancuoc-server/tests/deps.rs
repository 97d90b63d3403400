//! Architecture invariants of `cancuoc-server` (ARCHITECTURE.md): the HTTP
//! shell writes JSON, not HTML (that is `cancuoc-web`'s), and draws no
//! images (`cancuoc-render`'s); the template engine and the imaging crates
//! are not its own dependencies. It reaches data through `cancuoc-service`
//! only: the store and the SQL driver are not its dependencies either
//! (tests open a store as a dev-dependency).

use cancuoc_testkit::deps::{assert_none, direct};

#[test]
fn html_and_images_belong_to_other_crates() {
    assert_none(
        "cancuoc-server (direct)",
        &direct("cancuoc-server"),
        &[
            "askama",
            "askama_web",
            "axum-extra",
            "captcha",
            "barcoders",
            "argon2",
            "cancuoc-store",
            "sqlx",
        ],
    );
}
