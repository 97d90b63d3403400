//! `POST /api/v1/citizens` checks a record as the console's registration
//! form does — one rule, in the service (`CitizenRegistration`): a name of
//! letters, a Vietnamese mobile number, a personal ID that agrees with the
//! date of birth and sex — and each refusal names its field in both
//! languages. Where a record comes from (its provenance) is the server's
//! to say, from the officer who registered it, never the client's.

use cancuoc_store::Store;
use serde_json::{Value, json};

use crate::world::*;

/// Posts a registration as the receptionist.
async fn post_citizen(w: &World, body: Value) -> Res {
    post(&w.router, "/api/v1/citizens", Some(&w.receptionist), body).await
}

/// Asserts a 422 naming `field` in both messages, with `code`, and that
/// nothing was registered under `pid`.
#[track_caller]
fn refused(r: &Res, code: &str, field: &str) {
    r.problem(422, code);
    for lang in ["message_vi", "message_en"] {
        let m = r.body[lang].as_str().unwrap_or_default();
        assert!(m.contains(field), "{lang} does not name {field}: {m}");
    }
}

async fn nothing_under(w: &World, pid: &str) {
    get(
        &w.router,
        &format!("/api/v1/citizens/{pid}"),
        Some(&w.admin),
    )
    .await
    .problem(404, "store.not_found");
}

pub async fn a_script_in_a_citizens_name_is_refused_naming_the_field(store: Store) {
    let w = world(store).await;
    let r = post_citizen(
        &w,
        citizen_body("<script>alert(1)</script>", Some("079090012345")),
    )
    .await;
    refused(&r, "name.character", "full_name");
    nothing_under(&w, "079090012345").await;
}

pub async fn a_script_in_a_citizens_phone_is_refused_naming_the_field(store: Store) {
    let w = world(store).await;
    let mut b = citizen_body("Nguyễn Văn An", Some("079090012345"));
    b["phone"] = json!("<script>alert(1)</script>");
    let r = post_citizen(&w, b).await;
    assert!(
        r.body["code"]
            .as_str()
            .unwrap_or_default()
            .starts_with("phone."),
        "{}",
        r.body
    );
    refused(&r, r.body["code"].as_str().unwrap_or_default(), "phone");
    nothing_under(&w, "079090012345").await;
}

pub async fn a_personal_id_that_contradicts_the_sex_is_refused(store: Store) {
    let w = world(store).await;
    // 0 in the fourth digit: a man born in the 1900s; the body says female.
    let mut b = citizen_body("Nguyễn Thị Bình", Some("079090012345"));
    b["sex"] = json!("female");
    let r = post_citizen(&w, b).await;
    refused(&r, "id.mismatch.sex", "personal_id");
    nothing_under(&w, "079090012345").await;
}

pub async fn a_personal_id_that_contradicts_the_birth_year_is_refused(store: Store) {
    let w = world(store).await;
    // The number says 1990; the body says 1991.
    let mut b = citizen_body("Nguyễn Văn An", Some("079090012345"));
    b["dob"] = json!("1991-05-17");
    let r = post_citizen(&w, b).await;
    refused(&r, "id.mismatch.year", "personal_id");
    nothing_under(&w, "079090012345").await;
}

pub async fn a_date_of_birth_in_the_future_is_refused(store: Store) {
    let w = world(store).await;
    let mut b = citizen_body("Nguyễn Văn Mai", None);
    b["dob"] = json!("2027-01-01");
    let r = post_citizen(&w, b).await;
    refused(&r, "citizen.dob_future", "dob");
}

pub async fn markup_in_a_residence_is_refused_naming_the_field(store: Store) {
    let w = world(store).await;
    let mut b = citizen_body("Nguyễn Văn An", Some("079090012345"));
    b["permanent_residence"] = json!("Thôn 1 <img src=x onerror=alert(1)>");
    let r = post_citizen(&w, b).await;
    refused(&r, "citizen.text_character", "permanent_residence");
    nothing_under(&w, "079090012345").await;
}

pub async fn a_client_claimed_provenance_is_refused_naming_the_field(store: Store) {
    let w = world(store).await;
    let mut b = citizen_body("Nguyễn Văn An", Some("079090012345"));
    b["provenance"] = json!({"default": {"status": "verified", "source": "npd"}});
    let r = post_citizen(&w, b).await;
    refused(&r, "request.read_only_field", "provenance");
    nothing_under(&w, "079090012345").await;
}

pub async fn the_server_records_who_registered_a_citizen_as_its_provenance(store: Store) {
    let w = world(store).await;
    let r = post_citizen(&w, citizen_body("Nguyễn Văn An", Some("079090012345"))).await;
    let c = r.ok(201);
    assert_eq!(
        c["provenance"],
        json!({"default": {"status": "verified", "source": "receptionist:0790"}}),
        "{c}"
    );
}

pub async fn a_phone_is_stored_as_the_console_stores_it(store: Store) {
    let w = world(store).await;
    let mut b = citizen_body("Nguyễn Văn An", Some("079090012345"));
    b["phone"] = json!("+84 90 000 0000");
    let r = post_citizen(&w, b).await;
    assert_eq!(r.ok(201)["phone"], "0900000000");
}
