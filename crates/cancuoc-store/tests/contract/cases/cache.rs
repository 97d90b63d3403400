//! The status answer cache. `Store::status_cached` (SQLite files): a
//! cached answer is the uncached one, and it is dropped by a commit from
//! this store, from a second store on the same file and from a second
//! process, but not by the portal's captchas (kept in the side database);
//! answers are kept per civil date; the cache never grows past its bound;
//! unknown codes are never cached. On PostgreSQL `status_cached` has no
//! path (`None`), and the async query is the answer.
//!
//! `Store::status_answer` (both databases; on PostgreSQL kept true by
//! LISTEN/NOTIFY): a write to one dossier leaves the others' answers
//! cached (counted as hits) while the written one's next lookup shows the
//! change; an office's change empties the cache; another server's writes
//! are seen (on PostgreSQL within a bounded wait for the announcement); a
//! lost listener connection empties the cache and serves nothing stale;
//! the listener ends with its store. The per-day key, the separation of
//! renderers and the bound are checked through both reads (on
//! PostgreSQL through `status_answer` only).

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

    // The same through `status_answer`, the service's read (both
    // databases; a date no lookup above used): an answer cached for one
    // day is not served on the next.
    let later = promised.checked_add(2.days()).expect("date");
    let _ = answer(s, d.code, promised).await;
    wait_live(s).await;
    warm(s, d.code, promised).await;
    let (body, rendered, plain) = answer(s, d.code, later).await;
    assert!(rendered, "status_answer: a new day renders again");
    assert_eq!(body, plain);
    assert!(flag(&Ok(body)), "overdue two days after");
}

/// A second renderer of the same status (say, a chat reply beside the
/// REST JSON).
struct Reply;

pub async fn status_cache_keeps_each_renderers_answer(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let cit = add_citizen(s, "Vũ Thị Hai Lối", "079090000044").await;
    let d = received(&w, 30_301, cit.id).await;
    let e = received(&w, 30_302, cit.id).await;
    let day = today();
    let reply = |st: &DossierStatus| Bytes::from(format!("Hồ sơ {}: {}", st.code, st.state));

    // Through `status_answer` (both databases), on a dossier of its own:
    // with `Piped`'s answer cached, `Reply`'s first lookup still renders,
    // then is served; neither gets the other's bytes.
    let _ = answer(s, e.code, day).await;
    wait_live(s).await;
    warm(s, e.code, day).await;
    let deadline = std::time::Instant::now() + HEARD_WITHIN;
    let mut first = true;
    loop {
        let rendered = Cell::new(false);
        let text = s
            .status_answer::<Reply>(e.code, day, |st| {
                rendered.set(true);
                reply(st)
            })
            .await
            .expect("known");
        assert!(text.starts_with("Hồ sơ ".as_bytes()), "{text:?}");
        if first {
            assert!(rendered.get(), "Reply was served Piped's entry");
            first = false;
            continue;
        }
        if !rendered.get() {
            break;
        }
        assert!(
            s.backend() == Backend::Postgres && std::time::Instant::now() < deadline,
            "Reply's answer never served from the cache"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_hit(s, e.code, day, "Piped beside Reply").await;
    if s.backend() == Backend::Postgres {
        // `status_cached` is the SQLite files' inline path.
        return;
    }

    // Through `status_cached` (SQLite files), on the other dossier.
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
    assert_eq!(
        s.status_cache_len(),
        4,
        "one entry per renderer, for each of the two dossiers"
    );
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
        assert!(
            answer(&none, *c, day).await.1,
            "status_answer without a cache"
        );
    }
    assert_eq!(none.status_cache_len(), 0);

    // Through `status_answer` (both databases): bounded too, and used.
    let _ = answer(s, codes[0], day).await;
    wait_live(s).await;
    for _ in 0..3 {
        for c in &codes {
            let _ = answer(s, *c, day).await;
            assert!(s.status_cache_len() <= 8, "{} > 8", s.status_cache_len());
        }
    }
    warm(s, codes[39], day).await;
    assert!(s.status_cache_len() > 0, "the cache is used");
}

// The cache as the service uses it (`Store::status_answer`), invalidated
// per dossier: on SQLite files by the change log, on PostgreSQL by the
// listener. A write to one dossier leaves the others' answers cached.

/// How long a PostgreSQL store may take to hear an announcement or to
/// connect its listener again.
const HEARD_WITHIN: std::time::Duration = std::time::Duration::from_secs(5);

/// One lookup through `Store::status_answer`: the answer, whether it was
/// rendered (read from the database), and the answer read uncached right
/// after.
async fn answer(s: &Store, code: DossierCode, day: Date) -> (Bytes, bool, Bytes) {
    let rendered = Cell::new(false);
    let body = s
        .status_answer::<Piped>(code, day, |st| {
            rendered.set(true);
            render(st, day)
        })
        .await
        .expect("known dossier");
    let plain = render(&s.status_by_code(code).await.expect("status"), day);
    (body, rendered.get(), plain)
}

/// A lookup served from the cache: counted as a hit, not rendered, the
/// uncached answer.
async fn assert_hit(s: &Store, code: DossierCode, day: Date, what: &str) {
    let before = s.cache_stats();
    let (body, rendered, plain) = answer(s, code, day).await;
    let after = s.cache_stats();
    assert!(!rendered, "{what}: rendered again");
    assert_eq!(after.hits, before.hits + 1, "{what}: not a hit");
    assert_eq!(after.misses, before.misses, "{what}: counted a miss");
    assert_eq!(
        body, plain,
        "{what}: the cached answer is not the database's"
    );
}

/// Looks `code` up until its answer satisfies `ok`: on SQLite files the
/// first lookup must (the change log is read on the lookup), on
/// PostgreSQL within [`HEARD_WITHIN`] (the announcement travels).
/// Returns the answer, which is also the uncached one.
async fn seen(s: &Store, code: DossierCode, day: Date, ok: impl Fn(&str) -> bool) -> Bytes {
    let deadline = std::time::Instant::now() + HEARD_WITHIN;
    loop {
        let (body, _, plain) = answer(s, code, day).await;
        let text = std::str::from_utf8(&body).expect("utf-8");
        if ok(text) {
            assert_eq!(body, plain, "{code}: the answer is not the database's");
            return body;
        }
        assert!(
            s.backend() == Backend::Postgres && std::time::Instant::now() < deadline,
            "{code}: still {text:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

/// Looks `code` up until it is served from the cache: the second lookup
/// on SQLite files; on PostgreSQL within [`HEARD_WITHIN`] (an answer read
/// while an announcement is being applied is not kept, and the
/// announcement of this store's own last write may still be on its way).
async fn warm(s: &Store, code: DossierCode, day: Date) {
    let deadline = std::time::Instant::now() + HEARD_WITHIN;
    let _ = answer(s, code, day).await;
    loop {
        let (body, rendered, plain) = answer(s, code, day).await;
        if !rendered {
            assert_eq!(
                body, plain,
                "{code}: the cached answer is not the database's"
            );
            return;
        }
        assert!(
            s.backend() == Backend::Postgres && std::time::Instant::now() < deadline,
            "{code}: never served from the cache"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

/// Waits until `s` may serve from its cache (on PostgreSQL its listener,
/// started by the first lookup, is connected).
async fn wait_live(s: &Store) {
    let deadline = std::time::Instant::now() + HEARD_WITHIN;
    while !s.status_cache_live() {
        assert!(
            std::time::Instant::now() < deadline,
            "the status cache did not become live"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

/// A second store on the same database (another server process).
async fn second_store(s: &Store) -> Store {
    let url = match s.db() {
        Db::Sqlite(_) => sqlite_url(s).await,
        Db::Postgres(pool) => {
            let name: String = sqlx::query_scalar("SELECT current_database()")
                .fetch_one(pool)
                .await
                .expect("current_database");
            let admin = std::env::var(cancuoc_testkit::PG_URL_VAR).expect("the test server");
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            format!("{base}/{name}")
        }
    };
    Store::connect(&url).await.expect("second store")
}

fn says(state: &'static str) -> impl Fn(&str) -> bool {
    move |text| text.contains(&format!("|{state}|"))
}

pub async fn status_cache_keeps_other_dossiers_across_writes(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let cit = add_citizen(s, "Hoàng Thị Giữ Lại", "079090000045").await;
    let a = received(&w, 30_401, cit.id).await;
    let b = received(&w, 30_402, cit.id).await;
    let day = today();
    let _ = answer(s, a.code, day).await;
    wait_live(s).await;

    // Both cached.
    for d in [&a, &b] {
        warm(s, d.code, day).await;
    }

    // A transition of A: A's next lookup reads it, B's stays a hit.
    capture(s, &a, &w.receptionist).await;
    assert_hit(s, b.code, day, "B after A's transition").await;
    let before = s.cache_stats();
    let (body, rendered, plain) = answer(s, a.code, day).await;
    assert!(rendered, "A's changed answer is read again");
    assert_eq!(s.cache_stats().misses, before.misses + 1);
    assert_eq!(body, plain);
    assert!(says("captured")(std::str::from_utf8(&body).expect("utf-8")));
    warm(s, a.code, day).await;

    // Many transitions of other dossiers: B stays cached through all.
    let others: Vec<Dossier> = {
        let mut v = Vec::new();
        for i in 0..5 {
            v.push(received(&w, 30_410 + i, cit.id).await);
        }
        v
    };
    for o in &others {
        capture(s, o, &w.receptionist).await;
        assert_hit(s, b.code, day, "B while others move").await;
    }

    // The office's hotline, part of every answer, changed by a plain
    // statement (no store method): every answer goes.
    let hotline_sql = "UPDATE offices SET hotline = '0977000111' WHERE code = $1";
    let changed = match s.db() {
        Db::Sqlite(pool) => sqlx::query(hotline_sql)
            .bind(i64::from(DISTRICT))
            .execute(pool)
            .await
            .map(|r| r.rows_affected()),
        Db::Postgres(pool) => sqlx::query(hotline_sql)
            .bind(i64::from(DISTRICT))
            .execute(pool)
            .await
            .map(|r| r.rows_affected()),
    };
    assert_eq!(changed.expect("update"), 1);
    for d in [&a, &b] {
        seen(s, d.code, day, |t| t.contains("|0977000111|")).await;
    }

    // A change no answer shows (the version alone: a capture saved) logs
    // nothing: B's answer stays.
    warm(s, b.code, day).await;
    let c = received(&w, 30_420, cit.id).await;
    warm(s, c.code, day).await;
    s.save_capture(c.code, &complete_capture(), w.receptionist.id, T0)
        .await
        .expect("capture saved");
    // A barrier: another server's change of a cached dossier, committed
    // after the save, once seen here means any announcement of the save
    // would have arrived too (PostgreSQL delivers them in commit order).
    let d = received(&w, 30_421, cit.id).await;
    warm(s, d.code, day).await;
    let other = second_store(s).await;
    capture(&other, &d, &w.receptionist).await;
    other.close().await;
    seen(s, d.code, day, says("captured")).await;
    assert_hit(s, c.code, day, "C after its version-only write").await;
    assert_hit(s, b.code, day, "B after a version-only write").await;
}

pub async fn status_cache_sees_another_servers_writes(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let cit = add_citizen(s, "Ngô Văn Máy Khác", "079090000046").await;
    let a = received(&w, 30_501, cit.id).await;
    let b = received(&w, 30_502, cit.id).await;
    let day = today();
    let _ = answer(s, a.code, day).await;
    wait_live(s).await;
    for d in [&a, &b] {
        warm(s, d.code, day).await;
    }

    // Another server (its own store, connections and cache) moves B.
    let other = second_store(s).await;
    capture(&other, &b, &w.receptionist).await;
    other.close().await;
    seen(s, b.code, day, says("captured")).await;
    // A was not touched: still served from the cache.
    assert_hit(s, a.code, day, "A after another server moved B").await;
}

pub async fn status_cache_flushes_when_its_listener_is_lost(store: Store) {
    let Db::Postgres(pool) = store.db().clone() else {
        // SQLite files have no listener; their cross-process case is
        // `status_cache_sees_another_servers_writes`.
        println!("not on SQLite: no listener to lose");
        return;
    };
    let w = world(store).await;
    let s = &w.store;
    let cit = add_citizen(s, "Đinh Thị Mất Kết Nối", "079090000047").await;
    let a = received(&w, 30_601, cit.id).await;
    let b = received(&w, 30_602, cit.id).await;
    let day = today();
    let _ = answer(s, a.code, day).await;
    wait_live(s).await;
    for d in [&a, &b] {
        warm(s, d.code, day).await;
    }
    assert_eq!(s.status_cache_len(), 2);

    // The listener's backend is terminated, and at once another server
    // moves A: its announcement may well be lost.
    let killed: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE application_name = $1 AND datname = current_database()",
    )
    .bind(STATUS_LISTENER_APPLICATION)
    .fetch_all(&pool)
    .await
    .expect("terminate the listener");
    assert_eq!(killed, [true], "one listener, terminated");
    let other = second_store(s).await;
    capture(&other, &a, &w.receptionist).await;
    other.close().await;

    // The loss empties the cache (B was not changed, so only a flush
    // removes it), before any lookup is made.
    let deadline = std::time::Instant::now() + HEARD_WITHIN;
    while s.status_cache_len() > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the cache was not emptied"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    // No stale answer, listener back or not.
    let (body, rendered, _) = answer(s, a.code, day).await;
    assert!(rendered);
    assert!(says("captured")(std::str::from_utf8(&body).expect("utf-8")));
    let (_, rendered, _) = answer(s, b.code, day).await;
    assert!(rendered, "B was flushed");

    // The listener connects again, and the cache serves again.
    wait_live(s).await;
    for d in [&a, &b] {
        warm(s, d.code, day).await;
    }
    // ... and is kept true: another server's write is heard.
    let other = second_store(s).await;
    sqlx::query("UPDATE dossiers SET promised_on = '2026-12-24' WHERE code = $1")
        .bind(i64::try_from(b.code.to_u64()).expect("code"))
        .execute(match other.db() {
            Db::Postgres(p) => p,
            Db::Sqlite(_) => unreachable!("PostgreSQL"),
        })
        .await
        .expect("update");
    other.close().await;
    seen(s, b.code, day, |t| t.contains("|2026-12-24|")).await;
    assert_hit(s, a.code, day, "A after B's change").await;
}

/// Closing a PostgreSQL store ends its listener (no connection left).
pub async fn status_cache_listener_ends_with_its_store(store: Store) {
    let Db::Postgres(pool) = store.db().clone() else {
        println!("not on SQLite: no listener to end");
        return;
    };
    let w = world(store).await;
    let cit = add_citizen(&w.store, "Lý Văn Đóng", "079090000048").await;
    let a = received(&w, 30_701, cit.id).await;
    let listeners = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM pg_stat_activity \
             WHERE application_name = $1 AND datname = current_database()",
        )
        .bind(STATUS_LISTENER_APPLICATION)
        .fetch_one(&pool)
        .await
        .expect("count")
    };
    // A second store, its cache off: no listener, uncached answers.
    let off = second_store(&w.store).await.with_status_cache(0);
    let (_, rendered, _) = answer(&off, a.code, today()).await;
    assert!(rendered);
    assert!(answer(&off, a.code, today()).await.1, "no cache");
    assert!(!off.status_cache_live());
    // A store with the cache: one listener once it served a lookup.
    let on = second_store(&w.store).await;
    assert_eq!(listeners().await, 0, "none before the first lookup");
    let _ = answer(&on, a.code, today()).await;
    wait_live(&on).await;
    assert_eq!(listeners().await, 1);
    on.close().await;
    off.close().await;
    let deadline = std::time::Instant::now() + HEARD_WITHIN;
    while listeners().await > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the listener outlived its store"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    // A dropped store (never closed) ends its listener too.
    let dropped = second_store(&w.store).await;
    let _ = answer(&dropped, a.code, today()).await;
    wait_live(&dropped).await;
    assert_eq!(listeners().await, 1);
    drop(dropped);
    let deadline = std::time::Instant::now() + HEARD_WITHIN;
    while listeners().await > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the listener outlived its dropped store"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}
