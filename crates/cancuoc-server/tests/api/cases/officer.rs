//! The deadline watch of an office (`/api/v1/offices/{code}/overdue`): late
//! and at-risk dossiers, the public status of a late one, and its scope.
//! Citizens, dossiers and captures are in `officer_*.rs`.

use cancuoc_core::dossier::workflow::State;
use cancuoc_core::rules::Reason;
use cancuoc_service::OpenDossier;
use cancuoc_store::{CitizenId, Dossier, Store};
use jiff::civil::{Date, date};

use crate::world::*;

/// A first-issue dossier at DISTRICT received on `day`, opened through the
/// service (the API receives today only).
async fn received_on(w: &World, cid: i64, day: Date) -> Dossier {
    let svc = w.app.service();
    let me = svc
        .authenticate(&w.receptionist)
        .await
        .expect("receptionist");
    let d = OpenDossier {
        received_on: Some(day),
        ..OpenDossier::walk_in(
            CitizenId(cid),
            Reason::parse("first-issue").expect("reason"),
        )
    };
    svc.open_dossier(&me, d).await.expect("dossier")
}

/// Received a month ago: long overdue.
async fn late_dossier(w: &World) -> Dossier {
    let cid = register(w, "Võ Thị Hoa", "079190012347").await;
    let late = received_on(w, cid, date(2026, 10, 20)).await;
    assert_eq!(late.state, State::Received);
    late
}

pub async fn the_deadline_watch_lists_late_and_at_risk_dossiers(store: Store) {
    let w = world(store).await;
    let late = late_dossier(&w).await;
    let cid = late.citizen.0;
    // Received a few working days ago: due within the at-risk window.
    let mut at_risk = None;
    for back in 1..=12 {
        let day = date(2026, 11, 21) - jiff::Span::new().days(back);
        let d = received_on(&w, cid, day).await;
        if d.promised_on >= date(2026, 11, 21) && d.promised_on <= date(2026, 11, 23) {
            at_risk = Some(d);
            break;
        }
    }
    let at_risk = at_risk.expect("a dossier due within a working day");
    let r = get(
        &w.router,
        "/api/v1/offices/790/overdue",
        Some(&w.receptionist),
    )
    .await;
    let v = r.ok(200);
    assert_eq!(v["office"], 790);
    assert_eq!(v["today"], "2026-11-21");
    let overdue: Vec<&str> = v["overdue"]
        .as_array()
        .expect("overdue")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(overdue.contains(&late.code.to_string().as_str()), "{v}");
    assert_eq!(v["overdue"][0]["timeliness"]["status"], "late");
    let risky: Vec<&str> = v["at_risk"]
        .as_array()
        .expect("at_risk")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(risky.contains(&at_risk.code.to_string().as_str()), "{v}");
    assert!(!risky.contains(&late.code.to_string().as_str()));
}

pub async fn the_public_status_of_a_late_dossier_says_overdue(store: Store) {
    let w = world(store).await;
    let late = late_dossier(&w).await;
    let s = get(&w.router, &format!("/api/v1/status/{}", late.code), None).await;
    assert_eq!(s.ok(200)["overdue"], true);
}

pub async fn the_province_reads_a_districts_deadline_watch(store: Store) {
    let w = world(store).await;
    let late = late_dossier(&w).await;
    let r = get(
        &w.router,
        "/api/v1/offices/790/overdue",
        Some(&w.province_officer),
    )
    .await;
    assert_eq!(r.ok(200)["overdue"][0]["code"], late.code.to_string());
}

pub async fn another_district_cannot_read_the_deadline_watch(store: Store) {
    let w = world(store).await;
    late_dossier(&w).await;
    get(
        &w.router,
        "/api/v1/offices/790/overdue",
        Some(&w.other_receptionist),
    )
    .await
    .problem(403, "service.out_of_scope");
}

pub async fn the_deadline_watch_of_an_unknown_office_is_not_found(store: Store) {
    let w = world(store).await;
    get(&w.router, "/api/v1/offices/4242/overdue", Some(&w.admin))
        .await
        .problem(404, "store.not_found");
}
