//! Who may read a citizen's record through the API (phạm vi đọc hồ sơ công
//! dân), and the audit row every read leaves. The rule lives in the
//! service (`OfficeTree::citizen_scope`): central roles read everyone;
//! printers and dispatchers no one (they read an applicant only through the
//! dossier in hand); otherwise a citizen is readable by whoever may read one
//! of their open dossiers (its receiving office, the offices above it, the
//! commune police under it, the NPD centre); a receptionist of an office
//! that receives the public may also read the one citizen whose number they
//! are given. A name search lists only the records the officer may read.
//! Reads and refusals are audited without the name, the phone or the full
//! number.

use cancuoc_store::{AuditEntry, Store};

use crate::world::*;

const AN: &str = "079090012345";

/// "Nguyễn Văn An" registered by the receptionist, with no dossier yet;
/// returns his record id.
async fn an(w: &World) -> i64 {
    register(w, "Nguyễn Văn An", AN).await
}

/// An, with a dossier open at DISTRICT.
async fn an_with_dossier(w: &World) -> i64 {
    let id = an(w).await;
    open_dossier(w, id).await;
    id
}

/// The audit rows about citizen `id`, oldest first.
async fn audit_of(w: &World, id: i64) -> Vec<AuditEntry> {
    let mut rows: Vec<AuditEntry> = w
        .store
        .recent_audit(500)
        .await
        .expect("audit")
        .into_iter()
        .filter(|a| a.target == format!("citizen:{id}"))
        .collect();
    rows.reverse();
    rows
}

/// How many citizens a name search by `token` lists.
async fn listed(w: &World, token: &str, query: &str) -> usize {
    get(&w.router, &format!("/api/v1/citizens?{query}"), Some(token))
        .await
        .ok(200)["items"]
        .as_array()
        .expect("items")
        .len()
}

pub async fn a_printer_cannot_read_a_citizen_by_personal_id(store: Store) {
    let w = world(store).await;
    an_with_dossier(&w).await;
    get(
        &w.router,
        &format!("/api/v1/citizens/{AN}"),
        Some(&w.printer),
    )
    .await
    .problem(403, "service.citizen_out_of_scope");
}

pub async fn the_npd_centre_reads_a_citizen_whose_dossier_is_open(store: Store) {
    let w = world(store).await;
    an_with_dossier(&w).await;
    let r = get(
        &w.router,
        &format!("/api/v1/citizens/{AN}"),
        Some(&w.approver),
    )
    .await;
    assert_eq!(r.ok(200)["full_name"], "Nguyễn Văn An");
}

pub async fn commune_police_cannot_read_a_citizen_without_a_dossier_they_verify(store: Store) {
    let w = world(store).await;
    an(&w).await;
    get(
        &w.router,
        &format!("/api/v1/citizens/{AN}"),
        Some(&w.commune_police),
    )
    .await
    .problem(403, "service.citizen_out_of_scope");
}

pub async fn commune_police_read_a_citizen_with_a_dossier_at_the_district_above(store: Store) {
    let w = world(store).await;
    an_with_dossier(&w).await;
    let r = get(
        &w.router,
        &format!("/api/v1/citizens/{AN}"),
        Some(&w.commune_police),
    )
    .await;
    assert_eq!(r.ok(200)["personal_id"], AN);
}

pub async fn a_receptionist_reads_the_applicant_whose_number_they_are_given(store: Store) {
    let w = world(store).await;
    an(&w).await;
    // Another district's desk, no dossier anywhere: the citizen stands at
    // the desk with their number.
    let r = get(
        &w.router,
        &format!("/api/v1/citizens/{AN}"),
        Some(&w.other_receptionist),
    )
    .await;
    assert_eq!(r.ok(200)["full_name"], "Nguyễn Văn An");
}

pub async fn another_district_finds_no_one_by_name_outside_its_scope(store: Store) {
    let w = world(store).await;
    an_with_dossier(&w).await;
    assert_eq!(
        listed(&w, &w.other_receptionist, "name=nguyen%20van").await,
        0
    );
}

pub async fn the_receiving_office_and_the_province_find_their_applicant_by_name(store: Store) {
    let w = world(store).await;
    an_with_dossier(&w).await;
    assert_eq!(listed(&w, &w.receptionist, "name=nguyen%20van").await, 1);
    assert_eq!(
        listed(&w, &w.province_officer, "name=nguyen%20van").await,
        1
    );
}

pub async fn a_citizen_without_an_open_dossier_is_found_by_name_only_centrally(store: Store) {
    let w = world(store).await;
    an(&w).await;
    assert_eq!(listed(&w, &w.receptionist, "name=nguyen%20van").await, 0);
    assert_eq!(listed(&w, &w.admin, "name=nguyen%20van").await, 1);
}

pub async fn a_read_by_personal_id_is_audited_without_name_phone_or_number(store: Store) {
    let w = world(store).await;
    let id = an(&w).await;
    get(&w.router, &format!("/api/v1/citizens/{AN}"), Some(&w.admin))
        .await
        .ok(200);
    let admin = w.app.service().authenticate(&w.admin).await.expect("admin");
    let rows = audit_of(&w, id).await;
    let read = rows
        .iter()
        .find(|a| a.action == "citizen.read")
        .unwrap_or_else(|| panic!("no citizen.read row in {rows:?}"));
    assert_eq!(read.officer, Some(admin.id));
    assert!(read.details.contains("api_read"), "{read:?}");
    for secret in ["Nguyễn", "An", "0900000000", AN] {
        assert!(!read.details.contains(secret), "{secret} in {read:?}");
        assert!(!read.target.contains(secret), "{secret} in {read:?}");
    }
}

pub async fn a_refused_read_is_audited_too(store: Store) {
    let w = world(store).await;
    let id = an(&w).await;
    get(
        &w.router,
        &format!("/api/v1/citizens/{AN}"),
        Some(&w.printer),
    )
    .await
    .problem(403, "service.citizen_out_of_scope");
    let rows = audit_of(&w, id).await;
    assert!(
        rows.iter().any(|a| a.action == "citizen.read_refused"),
        "{rows:?}"
    );
    assert!(!rows.iter().any(|a| a.action == "citizen.read"), "{rows:?}");
}

pub async fn a_name_search_is_audited_with_a_row_per_record_listed(store: Store) {
    let w = world(store).await;
    let id = an(&w).await;
    assert_eq!(listed(&w, &w.admin, "name=nguyen%20van").await, 1);
    let rows = audit_of(&w, id).await;
    assert!(
        rows.iter()
            .any(|a| a.action == "citizen.read" && a.details.contains("search")),
        "{rows:?}"
    );
    let all = w.store.recent_audit(50).await.expect("audit");
    let search = all
        .iter()
        .find(|a| a.action == "citizen.search")
        .unwrap_or_else(|| panic!("no citizen.search row in {all:?}"));
    assert!(search.details.contains("1 listed"), "{search:?}");
    assert!(
        !search.details.to_lowercase().contains("nguyen"),
        "{search:?}"
    );
}

pub async fn opening_a_dossier_by_record_id_is_an_audited_read(store: Store) {
    let w = world(store).await;
    // `POST /api/v1/dossiers` names An by `citizen_id`.
    let id = an_with_dossier(&w).await;
    let rows = audit_of(&w, id).await;
    assert!(
        rows.iter()
            .any(|a| a.action == "citizen.read" && a.details == "open_dossier via record"),
        "{rows:?}"
    );
}
