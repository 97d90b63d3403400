//! Open redirect (issue 18, 6a): `/lang/en?next=/%09/evil.example` sent
//! the browser to `//evil.example` (browsers drop the tab). Every hostile
//! `next` now leads to `/`; the pages' own addresses still lead back.

use cancuoc_store::Store;

use crate::{get, world};

/// `next` values (as they stand in the query, percent-encoded) that must
/// not lead off the site, and what each tries.
const HOSTILE: &[(&str, &str)] = &[
    ("/%09/evil.example", "a tab browsers drop: //evil.example"),
    ("/%0A/evil.example", "a newline browsers drop"),
    ("/%0D%0A/evil.example", "CR LF"),
    ("%09//evil.example", "a leading tab"),
    ("%20//evil.example", "a leading space"),
    ("/%20/evil.example", "a space browsers may trim"),
    ("//evil.example", "scheme-relative"),
    ("%2F%2Fevil.example", "scheme-relative, encoded"),
    ("/%2F/evil.example", "a slash encoded once"),
    ("/%252F%252Fevil.example", "slashes encoded twice"),
    ("/%5Cevil.example", "a backslash browsers read as /"),
    ("%5C%5Cevil.example", "two backslashes"),
    ("/%5C/evil.example", "/\\/"),
    ("/%255Cevil.example", "a backslash encoded twice"),
    ("/%2509/evil.example", "a tab encoded twice"),
    ("https://evil.example", "an absolute URL"),
    ("https:%2F%2Fevil.example", "an absolute URL, encoded"),
    ("https%3A%2F%2Fevil.example", "an absolute URL, all encoded"),
    ("https:evil.example", "a scheme without slashes"),
    ("javascript:alert(1)", "a script URL"),
    ("evil.example", "a relative host name"),
    ("%EF%BC%8F%EF%BC%8Fevil.example", "fullwidth solidi ／／"),
    ("/%EF%BC%8Fevil.example", "a fullwidth solidus after /"),
    ("%E2%88%95%E2%88%95evil.example", "division slashes ∕∕"),
    ("/%E2%80%8B/evil.example", "a zero-width space"),
    ("/%00/evil.example", "a NUL"),
    ("/.//evil.example", "an empty segment"),
    ("", "nothing"),
];

pub async fn every_hostile_next_of_the_language_switch_leads_home(store: Store) {
    let w = world(store).await;
    for (next, what) in HOSTILE {
        let res = get(&w.router, &format!("/lang/en?next={next}"), &[]).await;
        assert_eq!(res.status.as_u16(), 303, "{what} ({next}): {}", res.body);
        assert_eq!(
            res.header("location"),
            "/",
            "open redirect through {what}: next={next}"
        );
        assert!(
            res.header("set-cookie").starts_with("lang=en;"),
            "the language is still switched ({what})"
        );
    }
    // A repeated or malformed `next` is no error page either.
    let res = get(&w.router, "/lang/en?next=/co-quan&next=//evil.example", &[]).await;
    assert_eq!(res.header("location"), "/co-quan");
    let res = get(&w.router, "/lang/en?next=%FF%FE", &[]).await;
    assert_eq!((res.status.as_u16(), res.header("location")), (303, "/"));
}

pub async fn the_language_switch_still_leads_back_to_the_page(store: Store) {
    let w = world(store).await;
    for (next, back) in [
        ("%2Fco-quan%3Fx%3D1", "/co-quan?x=1"),
        ("%2Ftra-cuu%3Fma%3D1%26x%3Da%2Bb", "/tra-cuu?ma=1&x=a+b"),
        ("/thu-tuc", "/thu-tuc"),
        (
            "%2Fcan-bo%2Ftiep-nhan%3Ften%3DNguy%25E1%25BB%2585n",
            "/can-bo/tiep-nhan?ten=Nguy%E1%BB%85n",
        ),
    ] {
        let res = get(&w.router, &format!("/lang/vi?next={next}"), &[]).await;
        assert_eq!(res.status.as_u16(), 303, "{next}");
        assert_eq!(res.header("location"), back, "{next}");
    }
}

pub async fn every_hostile_next_of_the_console_login_stays_in_the_console(store: Store) {
    let w = world(store).await;
    for (next, what) in HOSTILE
        .iter()
        .map(|(n, w)| (format!("/can-bo{n}"), *w))
        .chain(HOSTILE.iter().map(|(n, w)| ((*n).to_owned(), *w)))
    {
        let res = get(&w.router, &format!("/can-bo/dang-nhap?next={next}"), &[]).await;
        assert_eq!(res.status.as_u16(), 200, "{what} ({next})");
        assert!(
            res.body.contains("name=\"next\" value=\"/can-bo\""),
            "the login form leads on to the console home, not {next} ({what}):\n{}",
            res.body
        );
    }
}
