//! Dependency checks of the workspace's crates (the architecture's
//! invariants that a manifest can break): the direct dependencies of a
//! crate, read from its manifest, and the closure of its normal
//! dependencies, read from the workspace members' manifests and
//! `Cargo.lock`. A test names what must not appear; a new dependency that
//! breaks a layer then fails the suite instead of slipping in.
//!
//! The closure over-approximates on purpose: a registry crate's lock entry
//! lists every dependency any enabled feature may pull in. Workspace
//! members are read from their own manifests, so their dev-dependencies
//! (test support, benchmarks) never count.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The workspace root (the folder of `Cargo.lock`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|p| p.join("Cargo.lock").is_file())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn read(path: &Path) -> toml::Table {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    text.parse()
        .unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
}

/// The `[dependencies]` of the workspace member `name` (a crate folder
/// under `crates/`).
pub fn direct(name: &str) -> BTreeSet<String> {
    let manifest = read(
        &workspace_root()
            .join("crates")
            .join(name)
            .join("Cargo.toml"),
    );
    manifest
        .get("dependencies")
        .and_then(|d| d.as_table())
        .map(|d| d.keys().cloned().collect())
        .unwrap_or_default()
}

/// Every crate the normal dependencies of member `name` reach.
pub fn closure(name: &str) -> BTreeSet<String> {
    let root = workspace_root();
    let lock = read(&root.join("Cargo.lock"));
    let mut graph: HashMap<String, Vec<String>> = HashMap::new();
    for p in lock["package"].as_array().map_or(&[][..], Vec::as_slice) {
        let Some(pkg) = p.get("name").and_then(|n| n.as_str()) else {
            continue;
        };
        let deps = p
            .get("dependencies")
            .and_then(|d| d.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|d| d.as_str())
                    .map(|d| d.split(' ').next().unwrap_or(d).to_owned())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        graph.entry(pkg.to_owned()).or_default().extend(deps);
    }
    let member = |n: &str| n.starts_with("cancuoc-") && root.join("crates").join(n).is_dir();
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = direct(name).into_iter().collect();
    while let Some(n) = stack.pop() {
        if !seen.insert(n.clone()) {
            continue;
        }
        if member(&n) {
            stack.extend(direct(&n));
        } else if let Some(ds) = graph.get(&n) {
            stack.extend(ds.iter().cloned());
        }
    }
    seen
}

/// Panics naming every crate of `forbidden` found in `found`.
pub fn assert_none(what: &str, found: &BTreeSet<String>, forbidden: &[&str]) {
    assert!(!found.is_empty(), "{what}: no dependency read at all");
    let bad: Vec<&str> = forbidden
        .iter()
        .copied()
        .filter(|f| found.contains(*f))
        .collect();
    assert!(
        bad.is_empty(),
        "{what} must not depend on {bad:?} (architecture invariant, see ARCHITECTURE.md)"
    );
}
