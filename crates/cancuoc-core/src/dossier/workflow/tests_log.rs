//! Tests of the event log: a long walk through the workflow, replay of
//! tampered logs, and the property test over random attempts.

use super::tests::{input_for, ts};
use super::*;
use crate::dossier::capture::CaptureRecord;
use crate::dossier::capture::tests::complete_with;
use proptest::prelude::*;
use std::collections::HashSet;

/// Walks the longest normal path: booking, commune verification, a
/// rejection, correction, approval, post, undeliverable, pickup.
fn long_walk() -> DossierLog {
    let capture = complete_with(&[]);
    let office = ActorScope::of(Scope::ReceivingOffice);
    let centre = ActorScope::of(Scope::Centre);
    let commune = ActorScope::of(Scope::ResidenceCommune);
    let rec = Actor::new("officer-17", Role::Receptionist);
    let mut log = DossierLog::start(
        State::Booked,
        Actor::new("portal", Role::Citizen),
        ActorScope::of(Scope::Holder),
        ts(0),
        None,
    )
    .unwrap();
    let none = TransitionInput::default();
    let steps: Vec<(State, Actor, ActorScope, TransitionInput<'_>)> = vec![
        (State::Received, rec.clone(), office, none),
        (
            State::Captured,
            rec.clone(),
            office,
            TransitionInput {
                capture: Some(&capture),
                ..none
            },
        ),
        (State::SlipIssued, rec.clone(), office, none),
        (
            State::CommuneVerification,
            rec.clone(),
            office,
            TransitionInput {
                population_data_changed: Some(true),
                ..none
            },
        ),
        (
            State::SentToCentre,
            Actor::new("xa-3", Role::CommunePolice),
            commune,
            none,
        ),
        (
            State::Rejected,
            Actor::new("c06-9", Role::Processor),
            centre,
            TransitionInput::with_note("Ảnh chân dung mờ"),
        ),
        (
            State::Captured,
            rec.clone(),
            office,
            TransitionInput {
                capture: Some(&capture),
                ..none
            },
        ),
        (State::SlipIssued, rec.clone(), office, none),
        (
            State::SentToCentre,
            rec.clone(),
            office,
            TransitionInput {
                population_data_changed: Some(false),
                ..none
            },
        ),
        (
            State::Approved,
            Actor::new("c06-1", Role::Approver),
            centre,
            none,
        ),
        (
            State::Printed,
            Actor::new("c06-p", Role::Printer),
            centre,
            none,
        ),
        (
            State::Dispatched,
            Actor::new("c06-d", Role::Dispatcher),
            centre,
            none,
        ),
        (
            State::Posted,
            Actor::new("tra-2", Role::ReturnOfficer),
            office,
            none,
        ),
        (
            State::ReadyForPickup,
            Actor::new("tra-2", Role::ReturnOfficer),
            office,
            TransitionInput::with_note("Bưu điện trả lại: sai địa chỉ"),
        ),
        (
            State::Returned,
            Actor::new("tra-2", Role::ReturnOfficer),
            office,
            TransitionInput {
                old_document: Some(OldDocument::Collected),
                ..none
            },
        ),
    ];
    for (i, (to, actor, scope, input)) in steps.into_iter().enumerate() {
        let e = log
            .apply(to, actor, scope, &input, ts(60 * (i as i64 + 1)))
            .unwrap();
        assert_eq!(e.to, to);
        assert_eq!(e.seq, i as u64 + 2);
    }
    log
}

#[test]
fn the_long_walk_replays_and_round_trips() {
    let log = long_walk();
    assert_eq!(log.state(), State::Returned);
    assert_eq!(log.version(), 16);
    assert_eq!(replay(log.events()), Ok(State::Returned));
    let json = serde_json::to_string(log.events()).unwrap();
    let back: Vec<DossierEvent> = serde_json::from_str(&json).unwrap();
    assert_eq!(DossierLog::from_events(back).unwrap(), log);
    assert_eq!(log.events()[6].note.as_deref(), Some("Ảnh chân dung mờ"));
    // Terminal: nothing more, not even by an admin.
    let mut done = log.clone();
    let err = done
        .apply(
            State::Cancelled,
            Actor::new("root", Role::Admin),
            ActorScope::NONE,
            &TransitionInput::with_note("x"),
            ts(10_000),
        )
        .unwrap_err();
    assert!(matches!(err, WorkflowError::Terminal { .. }));
    assert_eq!(done, log);
}

#[test]
fn replay_refuses_logs_the_workflow_cannot_produce() {
    let good = long_walk().events().to_vec();
    let tamper = |f: &dyn Fn(&mut Vec<DossierEvent>)| {
        let mut v = good.clone();
        f(&mut v);
        replay(&v)
    };
    assert_eq!(replay(&[]), Err(ReplayError::Empty));
    assert_eq!(
        tamper(&|v| {
            v.remove(3);
        }),
        Err(ReplayError::BadSeq {
            expected: 4,
            found: 5
        })
    );
    assert_eq!(
        tamper(&|v| v[2].at = ts(-5)),
        Err(ReplayError::TimeWentBackwards { seq: 3 })
    );
    assert_eq!(
        tamper(&|v| v[0].actor.role = Role::Approver),
        Err(ReplayError::BadStart {
            seq: 1,
            to: State::Booked,
            role: Role::Approver
        })
    );
    assert_eq!(
        tamper(&|v| v[0].from = Some(State::Booked)),
        Err(ReplayError::BadStart {
            seq: 1,
            to: State::Booked,
            role: Role::Citizen
        })
    );
    assert_eq!(
        tamper(&|v| v[4].from = Some(State::Received)),
        Err(ReplayError::FromMismatch {
            seq: 5,
            expected: State::SlipIssued,
            found: Some(State::Received)
        })
    );
    assert_eq!(
        tamper(&|v| v[10].actor.role = Role::Processor),
        Err(ReplayError::NotInTable {
            seq: 11,
            from: State::SentToCentre,
            to: State::Approved,
            role: Role::Processor
        })
    );
    assert_eq!(
        tamper(&|v| v[6].note = None),
        Err(ReplayError::MissingReason {
            seq: 7,
            to: State::Rejected
        })
    );
    let mut codes = HashSet::new();
    for e in [
        ReplayError::Empty,
        ReplayError::BadSeq {
            expected: 1,
            found: 2,
        },
        ReplayError::TimeWentBackwards { seq: 2 },
        ReplayError::BadStart {
            seq: 1,
            to: State::Printed,
            role: Role::Printer,
        },
        ReplayError::FromMismatch {
            seq: 2,
            expected: State::Booked,
            found: None,
        },
        ReplayError::NotInTable {
            seq: 2,
            from: State::Booked,
            to: State::Printed,
            role: Role::Printer,
        },
        ReplayError::MissingReason {
            seq: 2,
            to: State::Refused,
        },
    ] {
        assert!(codes.insert(e.code()));
        assert!(!e.message_vi().is_empty() && e.message_vi() != e.message_en());
    }
}

#[test]
fn log_refuses_a_step_dated_before_the_last_event() {
    let mut log = DossierLog::start(
        State::Received,
        Actor::new("o", Role::Receptionist),
        ActorScope::of(Scope::ReceivingOffice),
        ts(100),
        Some("  walk-in "),
    )
    .unwrap();
    assert_eq!(log.events()[0].note.as_deref(), Some("walk-in"));
    let err = log
        .apply(
            State::Refused,
            Actor::new("o", Role::Receptionist),
            ActorScope::of(Scope::ReceivingOffice),
            &TransitionInput::with_note("Chưa đủ 14 tuổi"),
            ts(99),
        )
        .unwrap_err();
    assert_eq!(
        err,
        WorkflowError::EarlierThanLastEvent {
            last: ts(100),
            at: ts(99)
        }
    );
    assert_eq!(log.state(), State::Received);
    assert_eq!(log.version(), 1);
}

/// One attempt of the property test, interpreted against the current state.
#[derive(Clone, Debug)]
struct Attempt {
    /// Follow a table row from the current state (else a random pair).
    guided: bool,
    pick: u8,
    to: u8,
    role: u8,
    /// Bits of the actor's scope set (receiving, commune, centre, holder).
    scope_bits: u8,
    /// 0 = as the row needs, else random omissions.
    input_bits: u8,
}

fn attempt() -> impl Strategy<Value = Attempt> {
    (
        any::<bool>(),
        any::<u8>(),
        any::<u8>(),
        any::<u8>(),
        any::<u8>(),
        any::<u8>(),
    )
        .prop_map(|(guided, pick, to, role, scope_bits, input_bits)| Attempt {
            guided,
            pick,
            to,
            role,
            scope_bits,
            input_bits,
        })
}

fn scope_from_bits(bits: u8) -> ActorScope {
    let all = [
        Scope::ReceivingOffice,
        Scope::ResidenceCommune,
        Scope::Centre,
        Scope::Holder,
    ];
    all.iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .fold(ActorScope::NONE, |acc, (_, s)| acc.with(*s))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    /// Random attempts from a fresh dossier: every accepted step is a row of
    /// the table (right state, role and scope), every refusal is classified
    /// consistently with the table, terminal states accept nothing, and the
    /// event log always replays to the current state.
    #[test]
    fn random_attempts_never_leave_the_table(
        start in 0usize..STARTS.len(),
        attempts in proptest::collection::vec(attempt(), 0..60),
    ) {
        let capture = complete_with(&[]);
        let mut incomplete = CaptureRecord::new();
        incomplete.record(crate::dossier::CaptureSlot::FlatRightFour, crate::dossier::SlotOutcome::Captured).unwrap();
        let st = &STARTS[start];
        let mut log = DossierLog::start(st.to, Actor::new("a", st.role), ActorScope::of(st.scope), ts(0), None).unwrap();
        for (i, a) in attempts.iter().enumerate() {
            let current = log.state();
            let rows: Vec<&Transition> = TRANSITIONS.iter().filter(|t| t.from == current).collect();
            let (to, role, scope, mut input) = match rows.get(usize::from(a.pick) % rows.len().max(1)) {
                Some(row) if a.guided => {
                    let scope = if a.scope_bits & 0x80 == 0 { ActorScope::of(row.scope) } else { scope_from_bits(a.scope_bits) };
                    (row.to, row.role, scope, input_for(row, &capture))
                }
                _ => (
                    State::ALL[usize::from(a.to) % State::ALL.len()],
                    Role::ALL[usize::from(a.role) % Role::ALL.len()],
                    scope_from_bits(a.scope_bits),
                    TransitionInput::default(),
                ),
            };
            // Random damage to the input.
            if a.input_bits & 1 != 0 { input.note = None; }
            if a.input_bits & 2 != 0 { input.capture = Some(&incomplete); }
            if a.input_bits & 4 != 0 { input.population_data_changed = input.population_data_changed.map(|b| !b); }
            if a.input_bits & 8 != 0 { input.old_document = None; }
            if a.input_bits & 16 != 0 { input.capture = Some(&capture); input.note = Some("ghi chú"); }
            let before = log.clone();
            let result = log.apply(to, Actor::new(format!("u{i}"), role), scope, &input, ts(i as i64 + 1));
            let matching: Vec<&Transition> = TRANSITIONS.iter().filter(|t| t.from == current && t.to == to).collect();
            match result {
                Ok(event) => {
                    prop_assert!(!current.is_terminal());
                    let row = matching.iter().find(|t| t.role == role);
                    prop_assert!(row.is_some_and(|r| scope.satisfies(r.scope)), "accepted {current} → {to} by {role}");
                    prop_assert_eq!(event.from, Some(current));
                    prop_assert_eq!(log.state(), to);
                    prop_assert_eq!(log.version(), before.version() + 1);
                }
                Err(e) => {
                    prop_assert_eq!(&log, &before, "a refused step changed the log");
                    match e {
                        WorkflowError::Terminal { .. } => prop_assert!(current.is_terminal()),
                        WorkflowError::NotAllowed { allowed, .. } => {
                            prop_assert!(matching.is_empty());
                            prop_assert_eq!(allowed, allowed_next(current));
                        }
                        WorkflowError::WrongRole { .. } => {
                            prop_assert!(!matching.is_empty() && matching.iter().all(|t| t.role != role));
                        }
                        WorkflowError::OutOfScope { .. } => {
                            prop_assert!(matching.iter().filter(|t| t.role == role).all(|t| !scope.satisfies(t.scope)));
                        }
                        _ => {
                            // A missing input: the row itself was allowed.
                            prop_assert!(matching.iter().any(|t| t.role == role && scope.satisfies(t.scope) && !t.requires.is_empty()));
                        }
                    }
                }
            }
            prop_assert_eq!(replay(log.events()), Ok(log.state()));
        }
        if log.state().is_terminal() {
            prop_assert!(allowed_next(log.state()).is_empty());
        }
    }
}
