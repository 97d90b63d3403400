//! The SQLite store on a real small file system, filled to the last byte
//! and emptied, or turned read-only by the kernel under the open database:
//! a write that fails for lack of space or of a writable disk is refused as
//! "unavailable, try again" and nothing of it lasts; the pool hands out no
//! connection left inside a failed transaction, so writes succeed again by
//! themselves once the space is back; `Store::ping` (the readiness probe)
//! says the database cannot write while it cannot; no acknowledged write is
//! lost. Needs root to mount (`cancuoc-testkit`'s `FaultFs`; a skip line
//! otherwise, a failure under `CANCUOC_REQUIRE_FAULTS`).

use cancuoc_store::{IdAssignment, Store, StoreError};
use cancuoc_testkit::faults::FaultFs;
use cancuoc_testkit::world::{citizen, world};

/// Registers citizen number `n` (a fresh personal ID each), as a write.
async fn register(s: &Store, n: u32) -> Result<(), StoreError> {
    let pid = format!("0790900{n:05}");
    s.register_citizen(
        &citizen(
            &format!("Lê Văn Đầy {n}"),
            "1990-01-01",
            cancuoc_core::person::Sex::Male,
            Some(&pid),
        ),
        IdAssignment::AsGiven,
        None,
        0,
    )
    .await
    .map(|_| ())
}

/// Writes until the full disk refuses one; the number of refusals seen in
/// `tries` attempts (the first few may still fit in free pages).
async fn refused_writes(s: &Store, from: u32, tries: u32) -> Vec<StoreError> {
    let mut refused = Vec::new();
    for n in from..from + tries {
        if let Err(e) = register(s, n).await {
            refused.push(e);
        }
    }
    refused
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_and_they_recover_when_space_returns() {
    let Some(fs) = FaultFs::tmpfs("a_full_disk_refuses_writes", 24) else {
        return;
    };
    let url = format!("sqlite://{}", fs.path().join("cancuoc.db").display());
    let store = Store::connect(&url).await.expect("connect");
    world(store.clone(), 0).await;
    store.ping().await.expect("ready with space");

    fs.fill();
    let refused = refused_writes(&store, 0, 40).await;
    assert!(!refused.is_empty(), "a write went through a full disk");
    for e in &refused {
        assert!(
            e.is_unavailable(),
            "a full disk is 'unavailable, try again', not {e:?}"
        );
    }
    match store.ping().await {
        Err(e) => assert!(e.is_unavailable(), "{e:?}"),
        Ok(()) => panic!("ping says ready on a full disk"),
    }

    fs.empty();
    // Every connection of the pool takes writes again, without a restart:
    // more writes than the pool has connections, none refused.
    for n in 1000..1040 {
        register(&store, n)
            .await
            .unwrap_or_else(|e| panic!("write {n} after the space came back: {e:?}"));
    }
    store.ping().await.expect("ready again");
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_system_gone_read_only_is_not_ready_and_loses_nothing() {
    let Some(fs) = FaultFs::ext4("a_file_system_gone_read_only", 32) else {
        return;
    };
    let url = format!("sqlite://{}", fs.path().join("cancuoc.db").display());
    let store = Store::connect(&url).await.expect("connect");
    world(store.clone(), 0).await;
    for n in 0..10 {
        register(&store, n).await.expect("a write before the fault");
    }
    let before = store.counts().await.expect("counts");

    fs.fail_read_only();
    match store.ping().await {
        Err(e) => assert!(e.is_unavailable(), "{e:?}"),
        Ok(()) => panic!("ping says ready on a read-only file system"),
    }
    let refused = refused_writes(&store, 10, 20).await;
    assert_eq!(refused.len(), 20, "a write went through a read-only disk");
    for e in &refused {
        assert!(e.is_unavailable(), "{e:?}");
    }
    // Reads still answer, and see every acknowledged write.
    assert_eq!(store.counts().await.expect("reads stay up"), before);

    // The operator's remedy: stop, repair, start on the same file.
    store.close().await;
    drop(store);
    fs.repair();
    let store = Store::connect(&url)
        .await
        .expect("connect after the repair");
    assert_eq!(
        store.counts().await.expect("counts"),
        before,
        "a write lost"
    );
    store.ping().await.expect("ready after the repair");
    for n in 100..140 {
        register(&store, n)
            .await
            .unwrap_or_else(|e| panic!("write {n} after the repair: {e:?}"));
    }
    store.close().await;
}
