//! A small synthetic world: an office tree, an officer of every role, and
//! helpers to make citizens and dossiers.

use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::State;
use cancuoc_core::rules::kinds::IssueKind;
use cancuoc_store::*;
use jiff::civil::{Date, date};

/// 2026-11-21 00:00 UTC+7, epoch seconds.
pub const T0: i64 = 1_795_194_000;

pub use cancuoc_testkit::world::{
    CENTRE, COMMUNE, DISTRICT, MINISTRY, OTHER_DISTRICT, PROVINCE, World, citizen,
    complete_capture, office,
};

pub fn today() -> Date {
    date(2026, 11, 21)
}

/// The shared test world, created at [`T0`].
pub async fn world(store: Store) -> World {
    cancuoc_testkit::world::world(store, T0).await
}

/// Registers a man born 17 May 1990 with personal ID `pid`, at [`T0`].
pub async fn add_citizen(store: &Store, name: &str, pid: &str) -> Citizen {
    cancuoc_testkit::world::add_citizen(store, name, pid, T0).await
}

pub fn code(random: u32) -> DossierCode {
    DossierCode::new(u32::from(DISTRICT), today(), random).expect("code")
}

pub fn new_dossier<'a>(
    code: CodeSource<'a>,
    citizen: CitizenId,
    actor: Option<OfficerId>,
    state: State,
    promised_on: Date,
) -> NewDossier<'a> {
    NewDossier {
        code,
        kind: IssueKind::parse("first").unwrap_or(IssueKind::ALL[0]),
        reason: None,
        office: DISTRICT,
        citizen,
        fee_vnd: 0,
        exemption: None,
        received_on: today(),
        deadlines: vec![StageDeadline {
            stage: cancuoc_core::rules::deadline::Stage::TransferToNpd,
            due: date(2026, 11, 24),
        }],
        promised_on,
        state,
        actor,
        note: None,
        charged: None,
        capture: None,
        idempotency_key: None,
        notify: None,
        at: T0,
    }
}

/// A dossier received at DISTRICT by the receptionist.
pub async fn received(w: &World, random: u32, citizen: CitizenId) -> Dossier {
    w.store
        .create_dossier(new_dossier(
            CodeSource::Given(code(random)),
            citizen,
            Some(w.receptionist.id),
            State::Received,
            date(2026, 12, 1),
        ))
        .await
        .expect("dossier")
}

/// Saves a complete capture for the received dossier `d` through `s` (any
/// store on its database: version 1 → 2, a capture event) and moves it to
/// `captured` (version 2 → 3).
pub async fn capture(s: &Store, d: &Dossier, receptionist: &Officer) {
    let v = s
        .save_capture(d.code, &complete_capture(), receptionist.id, T0)
        .await
        .expect("capture");
    assert_eq!(v, 2, "a capture event bumps the version");
    s.apply_transition(&step(d, 2, State::Captured, receptionist))
        .await
        .expect("captured");
}

pub fn step(d: &Dossier, version: i64, to: State, actor: &Officer) -> TransitionRequest {
    TransitionRequest {
        code: d.code,
        expected_version: version,
        to,
        actor: actor.id,
        note: None,
        population_data_changed: None,
        old_document: None,
        idempotency_key: None,
        card: None,
        at: T0 + version * 3600,
    }
}
