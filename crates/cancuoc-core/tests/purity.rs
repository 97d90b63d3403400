//! Architecture invariant: `cancuoc-core` depends on no IO, async, SQL or HTTP
//! crate (DESIGN.md §3). Checks the direct dependency list against an
//! allow-list and the whole transitive closure (from `Cargo.lock`) against a
//! deny-list, so a new dependency is a deliberate, reviewed change.

use std::collections::{BTreeSet, HashMap};

const MANIFEST: &str = include_str!("../Cargo.toml");
const LOCKFILE: &str = include_str!("../../../Cargo.lock");

/// Direct dependencies core may have: pure computation only.
const ALLOWED_DIRECT: &[&str] = &[
    "jiff",
    "serde",
    "siphasher",
    "thiserror",
    "toml",
    "unicode-normalization",
];

/// Crates that mean IO, async runtimes, SQL or HTTP: never in core's closure.
const FORBIDDEN: &[&str] = &[
    "async-std",
    "axum",
    "diesel",
    "futures",
    "http",
    "hyper",
    "libsqlite3-sys",
    "mio",
    "postgres",
    "reqwest",
    "rusqlite",
    "sea-orm",
    "smol",
    "socket2",
    "sqlx",
    "tokio",
    "tower",
    "ureq",
];

fn table(text: &str) -> toml::Table {
    text.parse().expect("valid TOML")
}

fn direct_deps() -> BTreeSet<String> {
    let manifest = table(MANIFEST);
    manifest
        .get("dependencies")
        .and_then(|d| d.as_table())
        .map(|d| d.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn direct_dependencies_are_allow_listed() {
    let deps = direct_deps();
    assert!(!deps.is_empty(), "the manifest was read");
    let unexpected: Vec<_> = deps
        .iter()
        .filter(|d| !ALLOWED_DIRECT.contains(&d.as_str()))
        .collect();
    assert!(
        unexpected.is_empty(),
        "cancuoc-core must stay pure; review and allow-list these deliberately: {unexpected:?}"
    );
}

#[test]
fn no_io_async_sql_or_http_crate_in_the_closure() {
    let lock = table(LOCKFILE);
    let packages = lock["package"].as_array().expect("package list");
    // name -> dependency names (a lockfile dependency entry is "name" or "name version").
    let mut graph: HashMap<String, Vec<String>> = HashMap::new();
    for p in packages {
        let name = p["name"].as_str().expect("name").to_owned();
        let deps = p
            .get("dependencies")
            .and_then(|d| d.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|d| d.as_str())
                    .map(|d| d.split(' ').next().unwrap_or(d).to_owned())
                    .collect()
            })
            .unwrap_or_default();
        graph.entry(name).or_default().extend::<Vec<String>>(deps);
    }
    // Normal dependencies only: start from the manifest's [dependencies], not
    // the lockfile entry of cancuoc-core (which also lists dev-dependencies).
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = direct_deps().into_iter().collect();
    while let Some(n) = stack.pop() {
        if seen.insert(n.clone())
            && let Some(ds) = graph.get(&n)
        {
            stack.extend(ds.iter().cloned());
        }
    }
    assert!(seen.contains("serde"), "closure computed: {seen:?}");
    let bad: Vec<_> = seen
        .iter()
        .filter(|n| FORBIDDEN.contains(&n.as_str()))
        .collect();
    assert!(
        bad.is_empty(),
        "forbidden crates reachable from core: {bad:?}"
    );
}
