//! Officer routes for citizens: registration (with a number or one
//! assigned), its refusals, the name search and the read by personal ID.

use cancuoc_store::Store;
use serde_json::json;

use crate::world::*;

/// Registers "Nguyễn Văn An" (079090012345, by the receptionist) and
/// "Trần Thị Bình" (number assigned, by the commune police); returns
/// Bình's assigned number.
async fn an_and_binh(w: &World) -> String {
    register(w, "Nguyễn Văn An", "079090012345").await;
    let r = post(
        &w.router,
        "/api/v1/citizens",
        Some(&w.commune_police),
        citizen_body("Trần Thị Bình", None),
    )
    .await;
    r.ok(201)["personal_id"]
        .as_str()
        .expect("assigned")
        .to_owned()
}

/// The number of citizens a search as the administrator finds (a central
/// role: every citizen, with or without a dossier; the scopes of the other
/// roles are `officer_citizen_scope`'s).
async fn found(w: &World, query: &str) -> Option<usize> {
    let r = get(
        &w.router,
        &format!("/api/v1/citizens?{query}"),
        Some(&w.admin),
    )
    .await;
    r.ok(200)["items"].as_array().map(Vec::len)
}

pub async fn a_citizen_is_registered_with_the_number_given(store: Store) {
    let w = world(store).await;
    let r = post(
        &w.router,
        "/api/v1/citizens",
        Some(&w.receptionist),
        citizen_body("Nguyễn Văn An", Some("079090012345")),
    )
    .await;
    let c = r.ok(201);
    assert_eq!(c["personal_id"], "079090012345");
    assert_eq!(c["full_name"], "Nguyễn Văn An");
}

pub async fn a_citizen_registered_without_a_number_is_assigned_one(store: Store) {
    let w = world(store).await;
    // Province 079, male born 1990.
    let r = post(
        &w.router,
        "/api/v1/citizens",
        Some(&w.commune_police),
        citizen_body("Trần Thị Bình", None),
    )
    .await;
    let pid = r.ok(201)["personal_id"]
        .as_str()
        .expect("assigned")
        .to_owned();
    assert_eq!(pid.len(), 12);
    assert!(pid.starts_with("079090"), "{pid}");
}

pub async fn registering_without_a_number_or_a_birth_registration_code_is_refused(store: Store) {
    let w = world(store).await;
    // The service refuses the request it read (422), naming the field.
    let mut b = citizen_body("Lê Văn Cường", None);
    b.as_object_mut()
        .expect("obj")
        .remove("birth_registration_code");
    post(&w.router, "/api/v1/citizens", Some(&w.receptionist), b)
        .await
        .problem(422, "service.invalid_field");
}

pub async fn registering_a_number_already_on_record_is_a_conflict(store: Store) {
    let w = world(store).await;
    register(&w, "Nguyễn Văn An", "079090012345").await;
    post(
        &w.router,
        "/api/v1/citizens",
        Some(&w.receptionist),
        citizen_body("Nguyễn Văn Khác", Some("079090012345")),
    )
    .await
    .problem(409, "store.duplicate");
}

pub async fn registering_a_malformed_number_is_a_bad_request(store: Store) {
    let w = world(store).await;
    post(
        &w.router,
        "/api/v1/citizens",
        Some(&w.receptionist),
        citizen_body("Sai Số", Some("07909001234")),
    )
    .await
    .problem(400, "id.too_short");
}

pub async fn registering_an_unknown_sex_is_a_bad_request(store: Store) {
    let w = world(store).await;
    let mut b = citizen_body("Sai Giới", Some("079090099999"));
    b["sex"] = json!("x");
    post(&w.router, "/api/v1/citizens", Some(&w.receptionist), b)
        .await
        .problem(400, "sex.invalid");
}

pub async fn registering_an_impossible_date_of_birth_is_a_bad_request(store: Store) {
    let w = world(store).await;
    let mut b = citizen_body("Sai Ngày", Some("079090099998"));
    b["dob"] = json!("1990-02-30");
    post(&w.router, "/api/v1/citizens", Some(&w.receptionist), b)
        .await
        .problem(400, "date.invalid");
}

pub async fn roles_that_do_not_register_citizens_are_refused(store: Store) {
    let w = world(store).await;
    for t in [&w.printer, &w.approver, &w.dispatcher] {
        post(
            &w.router,
            "/api/v1/citizens",
            Some(t),
            citizen_body("Không Được", Some("079090055555")),
        )
        .await
        .problem(403, "service.role_not_allowed");
    }
    get(
        &w.router,
        "/api/v1/citizens/079090055555",
        Some(&w.receptionist),
    )
    .await
    .problem(404, "store.not_found");
}

pub async fn the_citizen_search_ignores_diacritics_and_case(store: Store) {
    let w = world(store).await;
    an_and_binh(&w).await;
    let r = get(
        &w.router,
        "/api/v1/citizens?name=nguyen%20van",
        Some(&w.admin),
    )
    .await;
    let items = r.ok(200)["items"].as_array().expect("items").clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["full_name"], "Nguyễn Văn An");
    assert_eq!(found(&w, "name=TRAN%20THI").await, Some(1));
}

pub async fn the_citizen_search_is_narrowed_by_the_year_of_birth(store: Store) {
    let w = world(store).await;
    an_and_binh(&w).await;
    assert_eq!(found(&w, "name=TRAN%20THI&dob=1990").await, Some(1));
    assert_eq!(found(&w, "name=an&dob=1991").await, Some(0));
}

pub async fn the_citizen_search_matches_inside_names_on_request(store: Store) {
    let w = world(store).await;
    an_and_binh(&w).await;
    assert_eq!(found(&w, "name=van&contains=true").await, Some(1));
}

pub async fn a_blank_citizen_search_is_refused(store: Store) {
    let w = world(store).await;
    get(
        &w.router,
        "/api/v1/citizens?name=%20",
        Some(&w.receptionist),
    )
    .await
    .problem(422, "store.invalid_field");
}

pub async fn a_citizen_is_read_by_personal_id(store: Store) {
    let w = world(store).await;
    let pid = an_and_binh(&w).await;
    let r = get(
        &w.router,
        &format!("/api/v1/citizens/{pid}"),
        Some(&w.receptionist),
    )
    .await;
    assert_eq!(r.ok(200)["full_name"], "Trần Thị Bình");
}

pub async fn an_unknown_personal_id_is_not_found(store: Store) {
    let w = world(store).await;
    an_and_binh(&w).await;
    get(
        &w.router,
        "/api/v1/citizens/079090077777",
        Some(&w.receptionist),
    )
    .await
    .problem(404, "store.not_found");
}

pub async fn a_malformed_personal_id_in_the_path_is_a_bad_request(store: Store) {
    let w = world(store).await;
    get(
        &w.router,
        "/api/v1/citizens/07909007777x",
        Some(&w.receptionist),
    )
    .await
    .problem(400, "id.invalid_char");
}
