//! The reception desk's name search through the router: it says how many
//! citizens matched when it lists fewer, and asks for the date of birth to
//! narrow; the given name (tên, the last word) alone finds the citizen.

use cancuoc_store::Store;

use super::web_console_desk::{Browser, desk_with_dossier};
use crate::world::{World, open_dossier, register, world};

/// `n` citizens named Nguyễn Văn Bình, each with an open dossier at
/// DISTRICT (a name search lists those within the desk's scope).
async fn many_binhs(w: &World, n: u32) {
    for i in 0..n {
        let pid = format!("079090{:06}", 100_000 + i);
        let id = register(w, "Nguyễn Văn Bình", &pid).await;
        open_dossier(w, id).await;
    }
}

pub async fn a_desk_search_that_matches_more_than_it_lists_says_how_many_and_asks_for_the_date(
    store: Store,
) {
    let w = world(store).await;
    many_binhs(&w, 23).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    let p = desk.get("/can-bo/tiep-nhan?ten=nguyen+van+binh").await;
    p.html(
        200,
        &[
            "id=\"so-ket-qua\"",
            "23 công dân khớp",
            "đang hiện 20 người đầu tiên",
            "Hãy nhập ngày sinh để thu hẹp",
        ],
    );
    assert_eq!(p.html.matches("/can-bo/tiep-nhan/cong-dan/").count(), 20);
    let en = desk
        .get("/can-bo/tiep-nhan?ten=nguyen+van+binh&lang=en")
        .await;
    en.html(
        200,
        &[
            "23 citizens match",
            "showing the first 20",
            "Add the date of birth to narrow",
        ],
    );
}

pub async fn a_desk_search_that_lists_everything_says_how_many(store: Store) {
    let w = world(store).await;
    many_binhs(&w, 3).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    let p = desk.get("/can-bo/tiep-nhan?ten=binh").await;
    p.html(200, &["id=\"so-ket-qua\"", "3 công dân khớp"]);
    assert!(!p.html.contains("đang hiện"), "{}", p.html);
}

pub async fn the_desk_finds_a_citizen_by_the_given_name_alone(store: Store) {
    let w = world(store).await;
    let (desk, _, _) = desk_with_dossier(&w, "Nguyễn Văn An", "079090001234").await;
    for typed in ["an", "AN", "Văn An", "nguyen"] {
        let q: String = form_urlencoded::byte_serialize(typed.as_bytes()).collect();
        desk.get(&format!("/can-bo/tiep-nhan?ten={q}"))
            .await
            .html(200, &["Nguyễn Văn An", "1 công dân khớp"]);
    }
    // A word inside another is not a match: "an" is not in "Ngân".
    let id = register(&w, "Trần Thị Ngân", "079190001235").await;
    open_dossier(&w, id).await;
    let p = desk.get("/can-bo/tiep-nhan?ten=an").await;
    assert!(!p.html.contains("Trần Thị Ngân"), "{}", p.html);
}
