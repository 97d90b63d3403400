//! The card panel of the console's dossier page: from "printed" on, the
//! card's state, dates, model and MRZ lines as stored, the link to its
//! specimen, and the "report lost" form for the officers who may (a
//! reception desk, an administrator) — with the session's CSRF token, a
//! required reason, and the card lost at once. Each case runs on a fresh
//! SQLite file and, when `CANCUOC_TEST_PG_URL` is set, on a fresh
//! PostgreSQL database.
//!
//! Every name and number here is synthetic.

use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::State;
use cancuoc_core::id::PersonalId;
use cancuoc_core::rules::Reason;
use cancuoc_service::{CardStanding, Client, OpenDossier, TransitionCommand};
use cancuoc_store::Store;
use cancuoc_testkit::world::{add_citizen, complete_capture};
use cancuoc_web::WebConfig;

mod support;

use support::{Desk, Env};

/// 2026-11-21 10:00 in Vietnam.
const NOW: &str = "2026-11-21T03:00:00Z";
/// Epoch seconds of [`NOW`].
const T0: i64 = 1_795_230_000;

support::cases!(
    "cancuoc_web_card", "web_card";
    the_dossier_page_shows_the_card_from_printed_on,
    a_desk_reports_the_card_lost_with_a_reason_and_the_csrf_token,
);

async fn env(store: Store) -> Env {
    support::env_with(store, NOW, T0, WebConfig::default()).await
}

fn step(code: DossierCode, to: State, v: i64) -> TransitionCommand {
    TransitionCommand {
        code,
        to,
        note: None,
        expected_version: v,
        idempotency_key: None,
        population_data_changed: (to == State::SentToCentre).then_some(false),
        old_document: None,
        at: None,
    }
}

/// A dossier of `number` walked to approved (version 5).
async fn approved(e: &Env, number: &str) -> DossierCode {
    let w = &e.world;
    let c = add_citizen(&e.store, "Ngô Thị Thẻ", number, T0).await;
    let d = e
        .svc
        .open_dossier(
            &w.receptionist,
            OpenDossier {
                capture: Some(complete_capture()),
                ..OpenDossier::walk_in(c.id, Reason::FirstIssue)
            },
        )
        .await
        .expect("open");
    for (who, to, v) in [
        (&w.receptionist, State::Captured, 1),
        (&w.receptionist, State::SlipIssued, 2),
        (&w.receptionist, State::SentToCentre, 3),
        (&w.approver, State::Approved, 4),
    ] {
        e.svc
            .transition(who, step(d.code, to, v))
            .await
            .expect("step");
    }
    d.code
}

pub async fn the_dossier_page_shows_the_card_from_printed_on(store: Store) {
    let e = env(store).await;
    let code = approved(&e, "079090012371").await;
    let desk = Desk::login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    let uri = format!("/can-bo/ho-so/{code}");
    let before = desk.get(&uri).await;
    before.html(200, &[]);
    assert!(!before.html.contains("/the-mau"), "no card before printing");
    e.svc
        .transition(&e.world.printer, step(code, State::Printed, 5))
        .await
        .expect("printed");
    let card = e
        .svc
        .dossier_card(&e.world.printer, code)
        .await
        .expect("card")
        .expect("a card");
    let mrz = card.mrz.clone().expect("mrz");
    let first = mrz.lines().next().expect("line").replace('<', "&#60;");
    let page = desk.get(&uri).await;
    page.html(
        200,
        &[
            "Đã in, chưa trao cho công dân",
            "21/11/2026",
            "Thẻ Căn cước (mẫu 2024)",
            first.as_str(),
            "Chưa ký",
            &format!("/can-bo/ho-so/{code}/the-mau"),
            &format!("/can-bo/ho-so/{code}/bao-mat"),
        ],
    );
    // The printer sees the card, not the form.
    let printer = Desk::login(&e, &e.world.printer, "bui.in.the").await;
    let p = printer.get(&uri).await;
    p.html(200, &["Đã in, chưa trao cho công dân"]);
    assert!(
        !p.html.contains("/bao-mat"),
        "no report form for the printer"
    );
}

pub async fn a_desk_reports_the_card_lost_with_a_reason_and_the_csrf_token(store: Store) {
    let e = env(store).await;
    let number = "079090012372";
    let code = approved(&e, number).await;
    e.svc
        .transition(&e.world.printer, step(code, State::Printed, 5))
        .await
        .expect("printed");
    let desk = Desk::login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    let uri = format!("/can-bo/ho-so/{code}/bao-mat");
    let csrf = desk.csrf().await;
    let pid = PersonalId::parse(number).expect("id");
    let client = Client::new(std::net::IpAddr::from([10, 9, 0, 1]));
    let standing = || async {
        e.svc
            .card_status(&pid, None, client)
            .await
            .expect("status")
            .status
    };
    // Without the token: refused, nothing changes.
    let no_token = desk.post(&uri, &[("ly_do", "Mất ví")]).await;
    assert_eq!(no_token.status, 403, "{}", no_token.html);
    assert_eq!(standing().await, CardStanding::NotYetIssued);
    // A blank reason: the page again, with the problem.
    let blank = desk
        .post(&uri, &[("csrf", csrf.as_str()), ("ly_do", "  ")])
        .await;
    blank.html(422, &["lý do"]);
    assert_eq!(standing().await, CardStanding::NotYetIssued);
    desk.post(&uri, &[("csrf", csrf.as_str()), ("ly_do", "Mất ví ở chợ")])
        .await
        .redirect(&format!("/can-bo/ho-so/{code}?ok=bao-mat"));
    assert_eq!(standing().await, CardStanding::Lost);
    let page = desk.get(&format!("/can-bo/ho-so/{code}?ok=bao-mat")).await;
    page.html(200, &["Đã báo mất thẻ", "Mất ví ở chợ"]);
    assert!(
        !page
            .html
            .contains("action=\"/can-bo/ho-so/{code}/bao-mat\"")
    );
}
