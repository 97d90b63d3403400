//! The public office list and the rules routes: fee, deadline, expiry and
//! eligibility, with their refusals.

use cancuoc_store::Store;
use serde_json::json;

use crate::world::*;

fn fee(q: &str) -> String {
    format!("/api/v1/rules/fee?{q}")
}

pub async fn the_office_list_shows_the_tree_with_opening_hours(store: Store) {
    let w = world(store).await;
    let r = get(&w.router, "/api/v1/offices", None).await;
    let offices = r.ok(200)["offices"].as_array().expect("list").clone();
    let codes: Vec<i64> = offices.iter().filter_map(|o| o["code"].as_i64()).collect();
    assert_eq!(codes, [1, 2, 79, 790, 791, 7901]);
    let district = &offices[3];
    assert_eq!(district["level"], "district");
    assert_eq!(district["parent"], 79);
    assert_eq!(
        district["opening_hours"]["saturday"],
        json!(["07:30-11:30"])
    );
    assert!(district["address"].as_str().is_some_and(|a| !a.is_empty()));
}

pub async fn the_fee_for_a_lost_card_comes_with_its_basis(store: Store) {
    let w = world(store).await;
    let lost = get(&w.router, &fee("reason=lost&date=2026-11-21"), None).await;
    let v = lost.ok(200);
    assert_eq!(v["value"]["kind"], "reissue");
    assert!(v["value"]["amount_vnd"].as_u64().unwrap_or(0) > 0, "{v}");
    assert!(!v["basis"].as_array().expect("basis").is_empty());
    assert!(v["explanation_vi"].as_str().is_some_and(|s| !s.is_empty()));
}

pub async fn a_first_issue_is_free(store: Store) {
    let w = world(store).await;
    let first = get(&w.router, &fee("reason=first-issue"), None).await;
    assert_eq!(first.ok(200)["value"]["amount_vnd"], 0);
}

pub async fn an_exemption_makes_a_reissue_free(store: Store) {
    let w = world(store).await;
    let exempt = get(
        &w.router,
        &fee("reason=lost&exemption=poor-household&online=true"),
        None,
    )
    .await;
    assert_eq!(exempt.ok(200)["value"]["amount_vnd"], 0);
}

pub async fn the_fee_for_an_unknown_reason_is_refused(store: Store) {
    let w = world(store).await;
    get(&w.router, &fee("reason=stolen"), None)
        .await
        .problem(400, "rules.unknown_code");
}

pub async fn the_fee_on_an_impossible_date_is_refused(store: Store) {
    let w = world(store).await;
    get(&w.router, &fee("reason=lost&date=2026-02-30"), None)
        .await
        .problem(400, "calendar.no_such_date");
}

pub async fn the_deadline_rule_gives_the_promised_date_and_its_stages(store: Store) {
    let w = world(store).await;
    let d = get(
        &w.router,
        "/api/v1/rules/deadline?received=2026-11-20",
        None,
    )
    .await;
    let v = d.ok(200);
    assert_eq!(v["value"]["received"], "2026-11-20");
    assert!(
        v["value"]["promised_date"]
            .as_str()
            .is_some_and(|p| p > "2026-11-20"),
        "{v}"
    );
    assert!(
        v["value"]["stages"]
            .as_array()
            .is_some_and(|s| s.len() >= 3),
        "{v}"
    );
}

pub async fn the_deadline_for_an_unknown_receiver_is_refused(store: Store) {
    let w = world(store).await;
    get(&w.router, "/api/v1/rules/deadline?by=post-office", None)
        .await
        .problem(400, "rules.unknown_code");
}

pub async fn the_expiry_rule_gives_the_day_of_the_next_renewal_age(store: Store) {
    let w = world(store).await;
    let e = get(
        &w.router,
        "/api/v1/rules/expiry?dob=1990-05-17&issued=2026-11-21",
        None,
    )
    .await;
    // Issued at 36: valid until the 40th birthday.
    assert_eq!(e.ok(200)["value"], "2030-05-17", "{}", e.body);
    assert!(!e.body["basis"].as_array().expect("basis").is_empty());
}

pub async fn the_expiry_for_a_malformed_date_of_birth_is_refused(store: Store) {
    let w = world(store).await;
    get(&w.router, "/api/v1/rules/expiry?dob=1990-13", None)
        .await
        .problem(400, "date.invalid");
}

pub async fn eligibility_reads_a_year_only_date_of_birth_at_its_earliest_day(store: Store) {
    let w = world(store).await;
    let el = get(
        &w.router,
        "/api/v1/rules/eligibility?dob=2015&on=2026-11-21",
        None,
    )
    .await;
    // 1 January 2015: eleven on 21 November 2026.
    assert_eq!(el.ok(200)["value"]["age"], 11);
}
