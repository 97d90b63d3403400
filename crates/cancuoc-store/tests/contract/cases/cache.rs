//! The status answer cache (`Store::status_cached`): a cached answer is the
//! uncached one, and it is dropped by a commit from this store, from a
//! second store on the same file and from a second process, but not by the
//! portal's captchas (kept in the side database); answers are
//! kept per civil date; the cache never grows past its bound; unknown codes
//! are never cached. On PostgreSQL there is no cache (`None`), and the
//! async query is the answer.

use std::cell::Cell;
use std::process::Command;

use bytes::Bytes;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_store::*;
use jiff::ToSpan;
use jiff::civil::Date;

use super::captcha::{T as CAPTCHA_T, new as new_challenge};
use crate::fixtures::*;

/// The env variable naming the database file the helper process writes to.
const WRITE_DB: &str = "CANCUOC_TEST_CACHE_WRITE_DB";

/// The renderer of [`render`]'s answers.
struct Piped;

/// The answer the cache keeps in these tests: every field of the status
/// and the overdue flag of `today`.
fn render(s: &DossierStatus, today: Date) -> Bytes {
    Bytes::from(format!(
        "{}|{}|{}|{}|{}|{}|{}",
        s.code,
        s.state.code(),
        s.promised_on,
        s.office_code,
        s.office_name,
        s.office_hotline,
        s.is_overdue(today),
    ))
}

/// Asks the cache for `code` on `today`; returns the answer and whether
/// it was rendered (a miss) — after checking that it equals the uncached
/// answer.
pub(crate) async fn ask(
    s: &Store,
    code: DossierCode,
    today: Date,
) -> (Result<Bytes, StoreError>, bool) {
    let rendered = Cell::new(false);
    let cached = s.status_cached::<Piped>(code, today, |st| {
        rendered.set(true);
        render(st, today)
    });
    let uncached = s.status_by_code(code).await.map(|st| render(&st, today));
    let Some(cached) = cached else {
        assert_eq!(s.backend(), Backend::Postgres, "SQLite files have a cache");
        return (uncached, true);
    };
    match (&cached, &uncached) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{code}: cached answer differs"),
        (Err(StoreError::NotFound { key: a, .. }), Err(StoreError::NotFound { key: b, .. })) => {
            assert_eq!(a, b)
        }
        _ => panic!("{code}: cached {cached:?} but uncached {uncached:?}"),
    }
    (cached, rendered.get())
}

fn hotline(answer: &Result<Bytes, StoreError>) -> String {
    let bytes = answer.as_ref().expect("known dossier");
    let text = std::str::from_utf8(bytes).expect("utf-8");
    text.split('|').nth(5).expect("hotline field").to_owned()
}

pub async fn status_cache_follows_every_writer(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let cit = add_citizen(s, "Lê Thị Đệm", "079090000041").await;
    let a = received(&w, 30_001, cit.id).await;
    let b = received(&w, 30_002, cit.id).await;
    let day = today();
    let pg = s.backend() == Backend::Postgres;

    // A miss, then a hit with the same bytes (SQLite); PostgreSQL always
    // asks the database.
    let (first, miss) = ask(s, a.code, day).await;
    assert!(miss);
    let (again, miss) = ask(s, a.code, day).await;
    assert_eq!(again.as_ref().ok(), first.as_ref().ok());
    assert_eq!(miss, pg, "second lookup is a hit on SQLite only");

    // Portal traffic (a challenge made, then spent) leaves cached answers
    // alone: on an SQLite file, challenges live in the side database.
    let challenge = |id| new_challenge(id, "7k2p", None);
    s.create_captcha(&challenge("cache-1"))
        .await
        .expect("captcha");
    assert_eq!(
        s.spend_captcha("cache-1", "7K2P", CAPTCHA_T + 1)
            .await
            .expect("spend"),
        CaptchaCheck::Solved
    );
    let (_, miss) = ask(s, a.code, day).await;
    assert_eq!(miss, pg, "captchas do not drop cached answers");

    // A transition through this store: the next lookup sees it.
    capture(s, &a, &w.receptionist).await;
    let (after, miss) = ask(s, a.code, day).await;
    assert!(miss, "a commit drops the cached answer");
    let after = after.expect("known");
    assert!(
        std::str::from_utf8(&after)
            .expect("utf-8")
            .contains("|captured|")
    );

    // Unknown codes: not found, never cached.
    let before = s.status_cache_len();
    let (unknown, _) = ask(s, code(29_999), day).await;
    assert!(matches!(unknown, Err(StoreError::NotFound { .. })));
    assert_eq!(s.status_cache_len(), before);

    if pg {
        return;
    }
    let url = sqlite_url(s).await;

    // A second store on the same file (another server process) agrees on
    // the challenges of the first: the side database is shared too.
    s.create_captcha(&challenge("cache-2"))
        .await
        .expect("captcha");
    let other = Store::connect(&url).await.expect("second store");
    assert_eq!(
        other
            .spend_captcha("cache-2", "7k2p", CAPTCHA_T + 1)
            .await
            .expect("spend"),
        CaptchaCheck::Solved
    );
    assert_eq!(
        s.spend_captcha("cache-2", "7k2p", CAPTCHA_T + 2)
            .await
            .expect("spend"),
        CaptchaCheck::Used
    );
    other.close().await;

    // A write from a second store on the same file (its own connections).
    let (_, _) = ask(s, b.code, day).await;
    assert!(!ask(s, b.code, day).await.1, "cached");
    let other = Store::connect(&url).await.expect("second store");
    capture(&other, &b, &w.receptionist).await;
    other.close().await;
    let (seen, miss) = ask(s, b.code, day).await;
    assert!(miss, "a commit on another connection drops the answer");
    assert!(
        std::str::from_utf8(seen.as_ref().expect("known"))
            .expect("utf-8")
            .contains("|captured|")
    );

    // A write from a second process: the office's hotline, part of the
    // answer, changed by this test binary re-run as a helper.
    assert!(!ask(s, b.code, day).await.1, "cached again");
    let db_path = url.trim_start_matches("sqlite://");
    let exe = std::env::current_exe().expect("test binary");
    let out = Command::new(exe)
        .args([
            "--exact",
            "cases::cache::second_process_writes_a_hotline",
            "--ignored",
            "--nocapture",
        ])
        .env(WRITE_DB, db_path)
        .output()
        .expect("run the helper process");
    assert!(
        out.status.success(),
        "helper failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1 passed"),
        "the helper ran: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let (seen, miss) = ask(s, b.code, day).await;
    assert!(miss, "a commit by another process drops the answer");
    assert_eq!(hotline(&seen), "0911222333");

    // Challenges that a version without the side database left in the main
    // file are cleared when a store opens it (the purge only runs on the
    // side database, so they would stay forever).
    let Db::Sqlite(pool) = s.db() else {
        panic!("not SQLite")
    };
    let main_rows = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM captcha_challenges")
            .fetch_one(pool)
            .await
            .expect("count")
    };
    sqlx::query(
        "INSERT INTO captcha_challenges (id, answer_hash, created_at, expires_at) \
         VALUES ('left-over', 'x', $1, $2)",
    )
    .bind(T0)
    .bind(T0 + 300)
    .execute(pool)
    .await
    .expect("a left-over challenge");
    assert_eq!(main_rows().await, 1);
    Store::connect(&url).await.expect("reopen").close().await;
    assert_eq!(main_rows().await, 0, "cleared on open");
}

/// The database file of an SQLite store (`PRAGMA database_list`).
async fn sqlite_url(s: &Store) -> String {
    let Db::Sqlite(pool) = s.db() else {
        panic!("not SQLite")
    };
    let (_, _, file): (i64, String, String) = sqlx::query_as("PRAGMA database_list")
        .fetch_one(pool)
        .await
        .expect("database_list");
    format!("sqlite://{file}")
}

/// The helper of [`status_cache_follows_every_writer`], run in a process of
/// its own: changes the district office's hotline in the database named by
/// `CANCUOC_TEST_CACHE_WRITE_DB` over a plain SQLite connection.
#[tokio::test]
#[ignore = "run by status_cache_follows_every_writer as a second process"]
async fn second_process_writes_a_hotline() {
    use sqlx::Connection;
    let path = std::env::var(WRITE_DB).expect("CANCUOC_TEST_CACHE_WRITE_DB names the database");
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{path}"))
        .await
        .expect("connect");
    let done = sqlx::query("UPDATE offices SET hotline = '0911222333' WHERE code = $1")
        .bind(i64::from(DISTRICT))
        .execute(&mut conn)
        .await
        .expect("update");
    assert_eq!(done.rows_affected(), 1);
    conn.close().await.expect("close");
}

pub async fn status_cache_keys_by_date(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let cit = add_citizen(s, "Phạm Văn Ngày", "079090000042").await;
    let d = received(&w, 30_101, cit.id).await;
    let promised = s.status_by_code(d.code).await.expect("status").promised_on;
    let next = promised.checked_add(1.day()).expect("date");
    let pg = s.backend() == Backend::Postgres;

    let (on_day, _) = ask(s, d.code, promised).await;
    assert!(
        !ask(s, d.code, promised).await.1 || pg,
        "cached for the day"
    );
    // Midnight in Vietnam: the same dossier, now overdue; the answer of the
    // day before is not served.
    let (day_after, miss) = ask(s, d.code, next).await;
    assert!(miss, "a new day renders again");
    let flag = |a: &Result<Bytes, StoreError>| {
        let b = a.as_ref().expect("known");
        std::str::from_utf8(b).expect("utf-8").ends_with("|true")
    };
    assert!(!flag(&on_day), "not overdue on the promised date");
    assert!(flag(&day_after), "overdue the day after");
}

/// A second renderer of the same status (say, a chat reply beside the
/// REST JSON).
struct Reply;

pub async fn status_cache_keeps_each_renderers_answer(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let cit = add_citizen(s, "Vũ Thị Hai Lối", "079090000044").await;
    let d = received(&w, 30_301, cit.id).await;
    let day = today();
    let reply = |st: &DossierStatus| Bytes::from(format!("Hồ sơ {}: {}", st.code, st.state));
    // Each renderer's first lookup renders, its second is served; neither
    // ever receives the other's bytes.
    for round in 0..2 {
        let (piped, _) = ask(s, d.code, day).await;
        let piped = piped.expect("known");
        let rendered = Cell::new(false);
        let text = s.status_cached::<Reply>(d.code, day, |st| {
            rendered.set(true);
            reply(st)
        });
        let Some(text) = text else {
            assert_eq!(s.backend(), Backend::Postgres, "SQLite files have a cache");
            return;
        };
        let text = text.expect("known");
        assert!(text.starts_with("Hồ sơ ".as_bytes()), "{text:?}");
        assert_ne!(
            text, piped,
            "round {round}: a renderer got another's answer"
        );
        assert_eq!(rendered.get(), round == 0, "round {round}");
    }
    assert_eq!(s.status_cache_len(), 2, "one entry per renderer");
}

pub async fn status_cache_stays_within_its_bound(store: Store) {
    let store = store.with_status_cache(8);
    let w = world(store).await;
    let s = &w.store;
    let cit = add_citizen(s, "Đỗ Thị Giới Hạn", "079090000043").await;
    let mut codes = Vec::new();
    for i in 0..40u32 {
        codes.push(received(&w, 30_200 + i, cit.id).await.code);
    }
    let day = today();
    for _ in 0..3 {
        for c in &codes {
            let (answer, _) = ask(s, *c, day).await;
            assert!(answer.is_ok());
            assert!(s.status_cache_len() <= 8, "{} > 8", s.status_cache_len());
        }
    }
    if s.backend() == Backend::Sqlite {
        assert!(s.status_cache_len() > 0, "the cache is used");
    }
    // No cache at all: every lookup renders, answers unchanged.
    let none = w.store.clone().with_status_cache(0);
    for c in &codes[..5] {
        assert!(ask(&none, *c, day).await.1);
    }
    assert_eq!(none.status_cache_len(), 0);
}
