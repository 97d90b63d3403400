//! Property test of the persisted workflow: random sequences of transition
//! attempts by officers of every role, applied through the store, are
//! accepted exactly when the pure core check accepts them; the stored state
//! and version follow the model; and the stored event log always replays
//! (`workflow::replay`) to the stored state, so no illegal state is ever
//! reached. Runs on an in-memory SQLite database (the contract suite covers
//! PostgreSQL for the same code path).

use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::{
    ActorScope, OldDocument, Role, Scope, State, TRANSITIONS, TransitionInput, check_transition,
    replay,
};
use cancuoc_core::person::{PartialDate, Sex};
use cancuoc_core::rules::kinds::IssueKind;
use cancuoc_store::*;
use jiff::civil::date;
use proptest::prelude::*;

const T0: i64 = 1_795_194_000;

/// One attempt: target state, which officer, and the optional inputs.
/// A guided attempt picks a step of the table from the current state (and
/// an officer of the row's role), so sequences walk deep into the workflow;
/// an unguided one is any state by any officer, mostly refused.
#[derive(Clone, Debug)]
struct Attempt {
    guided: bool,
    to: usize,
    officer: usize,
    note: bool,
    population_changed: Option<bool>,
    old_document: bool,
}

fn attempt() -> impl Strategy<Value = Attempt> {
    (
        proptest::bool::weighted(0.8),
        0..State::ALL.len(),
        0..7usize,
        any::<bool>(),
        proptest::option::of(any::<bool>()),
        any::<bool>(),
    )
        .prop_map(
            |(guided, to, officer, note, population_changed, old_document)| Attempt {
                guided,
                to,
                officer,
                note,
                population_changed,
                old_document,
            },
        )
}

fn office(code: u16, level: OfficeLevel, parent: Option<u16>) -> NewOffice {
    NewOffice {
        code,
        name: format!("Đơn vị thử {code}"),
        level,
        parent,
        address: "Địa chỉ thử".into(),
        hotline: "0900000000".into(),
        opening_hours: OpeningHours::usual_with_saturday_morning(),
        daily_capacity: 10,
        in_force: cancuoc_store::Period::ALWAYS,
    }
}

async fn run(attempts: Vec<Attempt>) -> Result<(), TestCaseError> {
    let s = Store::connect("sqlite::memory:").await.expect("store");
    for o in [
        office(1, OfficeLevel::Ministry, None),
        office(2, OfficeLevel::NpdCentre, Some(1)),
        office(790, OfficeLevel::District, Some(1)),
        office(7901, OfficeLevel::Commune, Some(790)),
        office(791, OfficeLevel::District, Some(1)),
    ] {
        s.create_office(&o, None, T0).await.expect("office");
    }
    // (role, office, the scope the store must derive for a dossier at 790)
    let cast = [
        (
            Role::Receptionist,
            790,
            ActorScope::of(Scope::ReceivingOffice),
        ),
        (
            Role::CommunePolice,
            7901,
            ActorScope::of(Scope::ResidenceCommune),
        ),
        (Role::Processor, 2, ActorScope::of(Scope::Centre)),
        (Role::Approver, 2, ActorScope::of(Scope::Centre)),
        (Role::Printer, 2, ActorScope::of(Scope::Centre)),
        (Role::Dispatcher, 2, ActorScope::of(Scope::Centre)),
        (
            Role::ReturnOfficer,
            790,
            ActorScope::of(Scope::ReceivingOffice),
        ),
    ];
    let mut officers = Vec::new();
    for (role, office, _) in cast {
        let o = s
            .add_officer(
                &NewOfficer {
                    name: format!("Cán bộ {role}"),
                    role,
                    office,
                },
                None,
                T0,
            )
            .await
            .expect("officer");
        officers.push(o.officer);
    }
    let admin = s
        .add_officer(
            &NewOfficer {
                name: "Quản trị".into(),
                role: Role::Admin,
                office: 1,
            },
            None,
            T0,
        )
        .await
        .expect("admin")
        .officer;
    let citizen = s
        .register_citizen(
            &NewCitizen {
                personal_id: None,
                full_name: "Thuộc Tính Ngẫu Nhiên".into(),
                dob: "1999".parse::<PartialDate>().expect("dob"),
                sex: Sex::Female,
                nationality: "Việt Nam".into(),
                ethnicity: "Kinh".into(),
                religion: "Không".into(),
                place_of_origin: "Xã Thử".into(),
                birth_registration: "Tỉnh Thử".into(),
                permanent_residence: "Thôn Thử".into(),
                temporary_residence: None,
                phone: None,
                old_cmnd: Vec::new(),
                provenance: FieldProvenance::all_verified("npd"),
            },
            IdAssignment::AsGiven,
            None,
            T0,
        )
        .await
        .expect("citizen");
    let code = DossierCode::new(790, date(2026, 11, 21), 4242).expect("code");
    // Opened with a complete capture in the same transaction (version 1).
    let rec = cancuoc_testkit::world::complete_capture();
    s.create_dossier(NewDossier {
        code: CodeSource::Given(code),
        kind: IssueKind::First,
        reason: None,
        office: 790,
        citizen: citizen.id,
        fee_vnd: 0,
        exemption: None,
        received_on: date(2026, 11, 21),
        deadlines: Vec::new(),
        promised_on: date(2026, 12, 1),
        state: State::Received,
        actor: Some(officers[0].id),
        note: None,
        charged: None,
        capture: Some(&rec),
        idempotency_key: None,
        notify: None,
        at: T0,
    })
    .await
    .expect("dossier");

    let (mut state, mut version) = (State::Received, 1i64);
    for (i, a) in attempts.iter().enumerate() {
        // Guided steps mostly avoid the dead ends (refused, cancelled) so
        // sequences reach printing and return; 1 in 14 may take one.
        let dead_end_ok = a.note && a.officer == 0;
        let rows: Vec<_> = TRANSITIONS
            .iter()
            .filter(|t| t.from == state)
            .filter(|t| dead_end_ok || !t.to.is_terminal() || t.to == State::Returned)
            .collect();
        let (to, who) = if a.guided && !rows.is_empty() {
            let row = rows[(a.to * 7 + a.officer) % rows.len()];
            let who = cast
                .iter()
                .position(|c| c.0 == row.role)
                .unwrap_or(usize::MAX);
            (row.to, who)
        } else {
            (State::ALL[a.to], a.officer)
        };
        // Anyone outside the cast (the admin rows), or officer 6 half the
        // time, acts as the system administrator.
        let (officer, role, scope) = if who >= cast.len() || (who == 6 && !a.guided && a.note) {
            (admin.id, Role::Admin, ActorScope::NONE)
        } else {
            let (role, _, scope) = cast[who];
            (officers[who].id, role, scope)
        };
        let note = a.note.then(|| format!("Lý do {i}"));
        let old = a.old_document.then_some(OldDocument::Collected);
        let input = TransitionInput {
            note: note.as_deref(),
            capture: Some(&rec),
            population_data_changed: a.population_changed,
            old_document: old,
        };
        let allowed = check_transition(state, to, role, scope, &input).is_ok();
        let got = s
            .apply_transition(&TransitionRequest {
                code,
                expected_version: version,
                to,
                actor: officer,
                note,
                population_data_changed: a.population_changed,
                old_document: old,
                idempotency_key: None,
                card: None,
                at: T0 + 60 * (i as i64 + 1),
            })
            .await;
        match got {
            Ok(out) => {
                prop_assert!(
                    allowed,
                    "store applied {state:?} -> {to:?} by {role:?}, core refuses"
                );
                prop_assert_eq!(out.version, version + 1);
                state = to;
                version += 1;
            }
            Err(StoreError::Invalid(Invalid::Transition { .. })) => {
                prop_assert!(
                    !allowed,
                    "store refused {state:?} -> {to:?} by {role:?}, core allows"
                );
            }
            Err(e) => return Err(TestCaseError::fail(format!("unexpected error {e:?}"))),
        }
    }
    let d = s.dossier(code).await.expect("dossier");
    prop_assert_eq!(d.state, state);
    prop_assert_eq!(d.version, version);
    prop_assert_eq!(d.events.len() as i64, version);
    let events = d.workflow_log();
    prop_assert_eq!(replay(&events).expect("log replays"), d.state);
    s.close().await;
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn stored_workflow_follows_the_core_model(attempts in proptest::collection::vec(attempt(), 1..40)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(run(attempts))?;
    }
}
