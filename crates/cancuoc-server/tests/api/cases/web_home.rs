//! The web frame: home page, language choice (query, switch route and
//! cookie), HTML 404 pages beside the API's problem documents, static files.

use cancuoc_store::Store;

use crate::world::{get, page, world};

pub async fn the_home_page_is_vietnamese_by_default_and_links_every_task(store: Store) {
    let w = world(store).await;
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
}

pub async fn english_on_request_wins_for_that_request(store: Store) {
    let w = world(store).await;
    // The switch then leads back to vi.
    let en = page(&w.router, "/?lang=en", &[]).await;
    en.html(
        200,
        &["<html lang=\"en\">", "Dossier status", "/lang/vi?next=%2F"],
    );
    assert!(!en.html.contains("Tra cứu hồ sơ"));
}

pub async fn the_language_switch_stores_the_choice_and_goes_back(store: Store) {
    let w = world(store).await;
    let sw = page(&w.router, "/lang/en?next=%2Fco-quan%3Fx%3D1", &[]).await;
    assert_eq!(sw.status.as_u16(), 303, "{}", sw.html);
    assert_eq!(sw.header("location"), "/co-quan?x=1");
    assert!(
        sw.header("set-cookie").starts_with("lang=en;"),
        "{}",
        sw.header("set-cookie")
    );
}

pub async fn the_language_switch_goes_back_to_a_local_path_only(store: Store) {
    let w = world(store).await;
    for evil in [
        "%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example",
        "%2F%5Cevil.example",
    ] {
        let sw = page(&w.router, &format!("/lang/en?next={evil}"), &[]).await;
        assert_eq!(sw.status.as_u16(), 303, "{evil}: {}", sw.html);
        assert_eq!(sw.header("location"), "/", "open redirect through {evil}");
    }
}

pub async fn a_switch_to_an_unknown_language_is_not_found(store: Store) {
    let w = world(store).await;
    // A page of the site: the HTML 404 page, in both languages, and no
    // cookie set.
    let bad = page(&w.router, "/lang/fr", &[]).await;
    bad.html(
        404,
        &["Không tìm thấy trang này.", "This page does not exist."],
    );
    assert_eq!(bad.headers.get("set-cookie"), None);
}

pub async fn the_language_cookie_keeps_the_choice_and_the_query_still_wins(store: Store) {
    let w = world(store).await;
    let cookie = [("cookie", "theme=x; lang=en")];
    page(&w.router, "/", &cookie)
        .await
        .html(200, &["Dossier status"]);
    page(&w.router, "/?lang=vi", &cookie)
        .await
        .html(200, &["Tra cứu hồ sơ"]);
}

pub async fn an_unknown_page_is_an_html_page_with_both_messages(store: Store) {
    let w = world(store).await;
    let missing = page(&w.router, "/khong-co-trang-nay?lang=en", &[]).await;
    missing.html(
        404,
        &[
            "<html lang=\"en\">",
            "This page does not exist.",
            "Không tìm thấy trang này.",
        ],
    );
}

pub async fn an_unknown_api_route_keeps_its_problem_document(store: Store) {
    let w = world(store).await;
    get(&w.router, "/api/v1/khong-co", None)
        .await
        .problem(404, "request.no_route");
}

pub async fn static_files_come_from_the_binary_with_a_cache_lifetime(store: Store) {
    let w = world(store).await;
    let css = page(&w.router, "/static/site.css", &[]).await;
    assert_eq!(css.status.as_u16(), 200);
    assert!(css.header("content-type").starts_with("text/css"));
    assert!(css.header("cache-control").contains("max-age"));
    assert!(css.html.contains(".tasks"));
}

pub async fn an_unknown_static_file_is_not_found(store: Store) {
    let w = world(store).await;
    page(&w.router, "/static/nope.css?lang=en", &[])
        .await
        .html(404, &["This page does not exist."]);
}
