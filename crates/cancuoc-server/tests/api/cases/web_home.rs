//! The web frame: home page, language choice (query, switch route and
//! cookie), HTML 404 pages beside the API's problem documents, static files.

use cancuoc_store::Store;

use crate::world::{get, page, world};

pub async fn web_home_language_and_errors(store: Store) {
    let w = world(store).await;

    // Vietnamese by default, every task linked, the switch leads to English.
    let home = page(&w.router, "/", &[]).await;
    home.html(
        200,
        &[
            "<html lang=\"vi\">",
            "Tra cứu hồ sơ",
            "href=\"/tra-cuu\"",
            "href=\"/dat-lich\"",
            "href=\"/so-dinh-danh\"",
            "href=\"/lang/en?next=%2F\"",
        ],
    );
    assert!(home.html.len() < 100 * 1024, "home page over 100 KB");

    // `?lang=en` wins for this request; the switch then leads back to vi.
    let en = page(&w.router, "/?lang=en", &[]).await;
    en.html(
        200,
        &["<html lang=\"en\">", "Dossier status", "/lang/vi?next=%2F"],
    );
    assert!(!en.html.contains("Tra cứu hồ sơ"));

    // The switch route stores the choice and goes back to a local path only.
    let sw = page(&w.router, "/lang/en?next=%2Fco-quan%3Fx%3D1", &[]).await;
    assert_eq!(sw.status.as_u16(), 303);
    assert_eq!(sw.header("location"), "/co-quan?x=1");
    assert!(
        sw.header("set-cookie").starts_with("lang=en;"),
        "{}",
        sw.header("set-cookie")
    );
    for evil in [
        "%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example",
        "%2F%5Cevil.example",
    ] {
        let sw = page(&w.router, &format!("/lang/en?next={evil}"), &[]).await;
        assert_eq!(sw.header("location"), "/", "open redirect through {evil}");
    }
    let bad = page(&w.router, "/lang/fr", &[]).await;
    assert_eq!(bad.status.as_u16(), 404);

    // The cookie keeps the choice on later pages; the query still wins.
    let cookie = [("cookie", "theme=x; lang=en")];
    page(&w.router, "/", &cookie)
        .await
        .html(200, &["Dossier status"]);
    page(&w.router, "/?lang=vi", &cookie)
        .await
        .html(200, &["Tra cứu hồ sơ"]);

    // Unknown pages: an HTML page in the chosen language with both messages;
    // unknown API routes keep their problem document.
    let missing = page(&w.router, "/khong-co-trang-nay?lang=en", &[]).await;
    missing.html(
        404,
        &["This page does not exist.", "Không tìm thấy trang này."],
    );
    get(&w.router, "/api/v1/khong-co", None)
        .await
        .problem(404, "request.no_route");

    // Static files come from the binary, with a cache lifetime.
    let css = page(&w.router, "/static/site.css", &[]).await;
    assert_eq!(css.status.as_u16(), 200);
    assert!(css.header("content-type").starts_with("text/css"));
    assert!(css.header("cache-control").contains("max-age"));
    assert!(css.html.contains(".tasks"));
    let none = page(&w.router, "/static/nope.css", &[]).await;
    assert_eq!(none.status.as_u16(), 404);
}
