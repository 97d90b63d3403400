//! SQLite-specific connection behaviour: the file and its folder are
//! created, the pragmas the store relies on are set on every connection,
//! migrations apply once and data survives a reconnect.

use cancuoc_store::{Db, Durability, NewOffice, OfficeLevel, OpeningHours, Store};

fn office() -> NewOffice {
    NewOffice {
        code: 42,
        name: "Công an Thử Nghiệm".into(),
        level: OfficeLevel::Province,
        parent: None,
        address: "Địa chỉ thử".into(),
        hotline: "0900000042".into(),
        opening_hours: OpeningHours::usual_with_saturday_morning(),
        daily_capacity: 1,
        in_force: cancuoc_store::Period::ALWAYS,
    }
}

#[tokio::test]
async fn file_folder_pragmas_and_reconnect() {
    let root = std::env::temp_dir().join(format!("cancuoc_sqlite_file_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let path = root.join("nested").join("cancuoc.db");
    let url = format!("sqlite://{}", path.display());
    let store = Store::connect(&url)
        .await
        .expect("connect creates folder and file");
    assert!(path.exists());
    store
        .create_office(&office(), None, 0)
        .await
        .expect("office");
    let Db::Sqlite(pool) = store.db() else {
        panic!("expected SQLite");
    };
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(pool)
        .await
        .expect("pragma");
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(pool)
        .await
        .expect("pragma");
    assert_eq!(fk, 1);
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(pool)
        .await
        .expect("pragma");
    assert_eq!(
        sync, 2,
        "FULL: a commit is synced before it is acknowledged"
    );
    let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(pool)
        .await
        .expect("pragma");
    assert!(busy >= 1000, "{busy}");
    // Driver errors are classified in one place: a CHECK violation is
    // invalid input, not a database failure and not "not found".
    let e = sqlx::query("INSERT INTO offices (code, name, level, address, hotline, opening_hours, daily_capacity) VALUES (7, 'x', 'galaxy', '', '', '{}', 1)")
        .execute(pool)
        .await
        .map_err(cancuoc_store::StoreError::from)
        .expect_err("check constraint");
    assert!(
        matches!(
            e,
            cancuoc_store::StoreError::Invalid(cancuoc_store::Invalid::Constraint { .. })
        ),
        "{e:?}"
    );
    store.close().await;
    // Reconnect: migrations are not re-applied, the data is there; the
    // durability setting lowered to NORMAL reaches every connection.
    let again = Store::connect_with(&url, Durability::Normal)
        .await
        .expect("reconnect");
    assert_eq!(
        again.office(42).await.expect("kept").name,
        "Công an Thử Nghiệm"
    );
    let Db::Sqlite(pool) = again.db() else {
        panic!("expected SQLite");
    };
    // Three connections held at once: three different ones.
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(pool.acquire().await.expect("connection"));
    }
    for conn in &mut held {
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&mut **conn)
            .await
            .expect("pragma");
        assert_eq!(sync, 1, "NORMAL when set");
    }
    drop(held);
    again.close().await;
    let _ = std::fs::remove_dir_all(&root);
}

/// A side database made by an older version (the captcha table of
/// migrations 0002 and 0009, without 0022's `claim`) is brought up to date
/// when a store opens its folder, and two stores opening it at once both
/// start; a challenge can then be spent for a form.
#[tokio::test]
async fn an_older_side_database_gets_the_claim_column() {
    use sqlx::ConnectOptions;
    let root = std::env::temp_dir().join(format!("cancuoc_side_upgrade_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("folder");
    let url = format!("sqlite://{}", root.join("cancuoc.db").display());
    // The main file made and migrated, then its side database replaced
    // by an older one.
    Store::connect(&url)
        .await
        .expect("first start")
        .close()
        .await;
    let side = root.join("cancuoc.captcha.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", side.display()));
    }
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&side)
        .create_if_missing(true)
        .connect()
        .await
        .expect("side file");
    sqlx::raw_sql(concat!(
        include_str!("../migrations/sqlite/0002_captcha.sql"),
        include_str!("../migrations/sqlite/0009_captcha_spoken.sql"),
    ))
    .execute(&mut conn)
    .await
    .expect("the older schema");
    drop(conn);
    let (a, b) = tokio::join!(Store::connect(&url), Store::connect(&url));
    let (a, b) = (a.expect("first store"), b.expect("second store"));
    a.create_captcha(&cancuoc_store::NewCaptcha {
        id: "old-side",
        answer: "7k2p",
        created_at: 100,
        expires_at: 400,
        spoken: None,
    })
    .await
    .expect("create");
    let spent = b
        .spend_captcha_for("old-side", "7K2P", 101, "booking:x")
        .await
        .expect("spend for a form");
    assert_eq!(spent.check, cancuoc_store::CaptchaCheck::Solved);
    assert!(
        a.spend_captcha_for("old-side", "7k2p", 102, "booking:x")
            .await
            .expect("again")
            .resumable
    );
    a.close().await;
    b.close().await;
    let _ = std::fs::remove_dir_all(&root);
}

/// Two stores (two server processes) opening a fresh folder at the same
/// moment both start: one sets the folder up while the other waits.
#[tokio::test]
async fn two_first_starts_at_once_on_a_fresh_folder() {
    for round in 0..5 {
        let root =
            std::env::temp_dir().join(format!("cancuoc_two_starts_{}_{round}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let url = format!(
            "sqlite://{}",
            root.join("data").join("cancuoc.db").display()
        );
        let (a, b) = tokio::join!(Store::connect(&url), Store::connect(&url));
        let (a, b) = (a.expect("first"), b.expect("second"));
        a.create_office(&office(), None, 0).await.expect("office");
        a.close().await;
        b.close().await;
        let _ = std::fs::remove_dir_all(&root);
    }
}
