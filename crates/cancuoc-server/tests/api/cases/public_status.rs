//! The public status lookup (`/api/v1/status/{code}`): what it shows, the
//! code as printed on the slip, and every way a code is refused.

use cancuoc_core::dossier::code::DossierCode;
use cancuoc_store::Store;
use serde_json::{Value, json};

use crate::world::*;

/// A dossier for "Nguyễn Văn An" (079090012345) received at DISTRICT.
async fn an_dossier(w: &World) -> Value {
    let c = register(w, "Nguyễn Văn An", "079090012345").await;
    open_dossier(w, c).await
}

fn code_of(d: &Value) -> String {
    d["code"].as_str().expect("code").to_owned()
}

/// The answer to a code alone: the dossier's state, dates and office, and
/// nothing derived from the person — no name, no initials, no lengths.
pub async fn the_public_status_shows_only_the_public_fields(store: Store) {
    let w = world(store).await;
    let d = an_dossier(&w).await;
    let code = code_of(&d);
    let r = get(&w.router, &format!("/api/v1/status/{code}"), None).await;
    let s = r.ok(200);
    let mut keys: Vec<&str> = s
        .as_object()
        .expect("obj")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "code",
            "office",
            "overdue",
            "promised_date",
            "state",
            "state_label_en",
            "state_label_vi"
        ]
    );
    assert_eq!(s["code"], code.as_str());
    assert_eq!(s["state"], "received");
    assert_eq!(
        s["office"],
        json!({"name": "Công an Huyện Đông Thử", "hotline": "09000790"})
    );
    assert_eq!(s["overdue"], false);
    assert_eq!(s["promised_date"], d["promised_on"]);
    let text = s.to_string();
    for leak in ["079090012345", "Nguyễn", "V**", "A*", "An\""] {
        assert!(!text.contains(leak), "{leak:?} in {text}");
    }
}

pub async fn the_public_status_reads_a_code_as_printed_on_the_slip(store: Store) {
    let w = world(store).await;
    let code = code_of(&an_dossier(&w).await);
    // Spaces and hyphens as printed on the slip are accepted.
    let grouped = format!(
        "{}-{} {} {}",
        &code[..4],
        &code[4..10],
        &code[10..15],
        &code[15..]
    );
    let spaced = grouped.replace(' ', "%20");
    let r = get(&w.router, &format!("/api/v1/status/{spaced}"), None).await;
    assert_eq!(r.ok(200)["code"], code.as_str());
}

pub async fn a_status_code_with_a_wrong_check_digit_is_refused_in_both_languages(store: Store) {
    let w = world(store).await;
    let code = code_of(&an_dossier(&w).await);
    // One wrong digit: the check digit catches it, 400 that says so.
    let last = code.as_bytes()[15] - b'0';
    let wrong = format!("{}{}", &code[..15], (last + 1) % 10);
    let r = get(&w.router, &format!("/api/v1/status/{wrong}"), None).await;
    r.problem(400, "dossier_code.bad_check_digit");
    assert!(
        r.body["message_en"]
            .as_str()
            .unwrap_or("")
            .contains("check digit")
    );
    assert!(
        r.body["message_vi"]
            .as_str()
            .unwrap_or("")
            .contains("kiểm tra")
    );
}

pub async fn a_status_code_with_a_non_digit_is_refused(store: Store) {
    let w = world(store).await;
    get(&w.router, "/api/v1/status/12ab", None)
        .await
        .problem(400, "dossier_code.non_digit");
}

pub async fn a_status_code_of_the_wrong_length_is_refused(store: Store) {
    let w = world(store).await;
    get(&w.router, "/api/v1/status/123", None)
        .await
        .problem(400, "dossier_code.wrong_length");
}

pub async fn a_well_formed_status_code_nobody_was_given_is_not_found(store: Store) {
    let w = world(store).await;
    let code = code_of(&an_dossier(&w).await);
    let real: DossierCode = code.parse().expect("code");
    let other = DossierCode::new(
        real.office(),
        real.date(),
        (real.random() + 1) % DossierCode::RANDOM_SPACE,
    )
    .expect("code");
    get(&w.router, &format!("/api/v1/status/{other}"), None)
        .await
        .problem(404, "store.not_found");
}
