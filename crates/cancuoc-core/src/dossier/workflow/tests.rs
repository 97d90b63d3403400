//! Tests of the workflow: the table's shape, every allowed transition, a
//! sample of refused ones, replay, and a property test over random attempts.

use super::check::MAX_NOTE_CHARS;
use super::*;
use crate::dossier::capture::tests::complete_with;
use crate::dossier::capture::{CaptureError, CaptureRecord};
use jiff::Timestamp;
use std::collections::{BTreeSet, HashSet, VecDeque};

pub(super) fn ts(i: i64) -> Timestamp {
    Timestamp::from_second(1_763_700_000 + i).unwrap()
}

/// An input meeting every requirement of `row`.
pub(super) fn input_for<'a>(row: &Transition, capture: &'a CaptureRecord) -> TransitionInput<'a> {
    let mut input = TransitionInput::default();
    for req in row.requires {
        match req {
            Requirement::Reason => input.note = Some("Lý do thử nghiệm"),
            Requirement::CompleteCapture => input.capture = Some(capture),
            Requirement::PopulationChanged => input.population_data_changed = Some(true),
            Requirement::PopulationUnchanged => input.population_data_changed = Some(false),
            Requirement::OldDocument => input.old_document = Some(OldDocument::Collected),
        }
    }
    input
}

#[test]
fn codes_labels_and_parsing_round_trip() {
    for s in State::ALL {
        assert_eq!(s.code().parse::<State>(), Ok(s));
        assert_eq!(serde_json::to_value(s).unwrap(), s.code());
        assert_eq!(s.to_string(), s.code());
        assert!(!s.label_vi().is_empty() && !s.label_en().is_empty());
        assert_ne!(s.label_vi(), s.label_en());
    }
    for r in Role::ALL {
        assert_eq!(format!(" {} ", r.code()).parse::<Role>(), Ok(r));
        assert_eq!(serde_json::to_value(r).unwrap(), r.code());
        assert_ne!(r.label_vi(), r.label_en());
    }
    for s in Scope::ALL {
        assert_eq!(s.code().parse::<Scope>(), Ok(s));
        assert_eq!(serde_json::to_value(s).unwrap(), s.code());
    }
    let e = "sent_to_center".parse::<State>().unwrap_err();
    assert_eq!(e.code(), "workflow.unknown_state");
    assert!(e.message_en().contains("\"sent_to_center\""));
    assert!(e.message_en().contains("sent_to_centre"));
    assert!(e.message_vi().contains("Mã trạng thái không hợp lệ"));
    let e = "Receptionist".parse::<Role>().unwrap_err();
    assert_eq!(e.code(), "workflow.unknown_role");
    assert!(e.message_vi().contains("receptionist, commune_police"));
    assert_eq!(
        State::ALL.len(),
        State::ALL.iter().collect::<HashSet<_>>().len()
    );
}

#[test]
fn table_shape() {
    let mut seen = HashSet::new();
    for t in TRANSITIONS {
        assert!(seen.insert((t.from, t.to, t.role)), "duplicate row {t:?}");
        assert!(!t.from.is_terminal(), "row leaves a terminal state: {t:?}");
        assert_ne!(t.from, t.to, "self-loop {t:?}");
        if matches!(t.to, State::Refused | State::Rejected)
            || (t.to == State::Cancelled && t.role != Role::Citizen)
        {
            assert!(
                t.requires.contains(&Requirement::Reason),
                "no reason required: {t:?}"
            );
        }
        // Only admins act without an office relation; only citizens as holder.
        assert_eq!(t.scope == Scope::Any, t.role == Role::Admin, "{t:?}");
        assert_eq!(t.scope == Scope::Holder, t.role == Role::Citizen, "{t:?}");
    }
    // The admin may cancel every open dossier, and do nothing else.
    for s in State::ALL {
        let admin = next_states(s, Role::Admin);
        if s.is_terminal() {
            assert!(admin.is_empty() && allowed_next(s).is_empty());
        } else {
            assert_eq!(admin, vec![State::Cancelled], "{s}");
        }
    }
    assert_eq!(
        start_states(Role::Receptionist),
        vec![State::Booked, State::Received]
    );
    assert_eq!(start_states(Role::Citizen), vec![State::Booked]);
    assert!(start_states(Role::Approver).is_empty());
}

#[test]
fn every_state_is_reachable_and_every_open_state_can_finish() {
    let mut reached: BTreeSet<State> = STARTS.iter().map(|s| s.to).collect();
    let mut queue: VecDeque<State> = reached.iter().copied().collect();
    while let Some(s) = queue.pop_front() {
        for n in allowed_next(s) {
            if reached.insert(n) {
                queue.push_back(n);
            }
        }
    }
    assert_eq!(reached.len(), State::ALL.len(), "unreachable: {reached:?}");
    // From every open state, the normal path (no admin) reaches a terminal.
    for s in State::ALL.iter().copied().filter(|s| !s.is_terminal()) {
        let mut seen = BTreeSet::from([s]);
        let mut queue = VecDeque::from([s]);
        let mut finishes = false;
        while let Some(c) = queue.pop_front() {
            for t in TRANSITIONS
                .iter()
                .filter(|t| t.from == c && t.role != Role::Admin)
            {
                if t.to == State::Returned {
                    finishes = true;
                }
                if seen.insert(t.to) {
                    queue.push_back(t.to);
                }
            }
        }
        assert!(finishes || s == State::Booked, "{s} cannot reach returned");
    }
}

#[test]
fn every_allowed_transition_passes_with_its_input_and_fails_without_each_part() {
    let capture = complete_with(&[]);
    for row in TRANSITIONS {
        let input = input_for(row, &capture);
        let got = check_transition(
            row.from,
            row.to,
            row.role,
            ActorScope::of(row.scope),
            &input,
        );
        assert_eq!(got, Ok(row), "{row:?}");
        // Scope also satisfied when the actor stands in several scopes.
        let wide = ActorScope::of(row.scope)
            .with(Scope::Centre)
            .with(Scope::ReceivingOffice);
        assert!(check_transition(row.from, row.to, row.role, wide, &input).is_ok());
        for req in row.requires {
            let mut partial = input;
            let want = match req {
                Requirement::Reason => {
                    partial.note = Some("   ");
                    WorkflowError::ReasonRequired { to: row.to }
                }
                Requirement::CompleteCapture => {
                    partial.capture = None;
                    WorkflowError::CaptureRequired
                }
                Requirement::PopulationChanged | Requirement::PopulationUnchanged => {
                    partial.population_data_changed = None;
                    WorkflowError::PopulationChangeUnknown { to: row.to }
                }
                Requirement::OldDocument => {
                    partial.old_document = None;
                    WorkflowError::OldDocumentRequired
                }
            };
            let got = check_transition(
                row.from,
                row.to,
                row.role,
                ActorScope::of(row.scope),
                &partial,
            );
            assert_eq!(got, Err(want), "{row:?} without {req:?}");
        }
        // Outside the scope (except admin rows, which have none).
        if row.scope != Scope::Any {
            let elsewhere = Scope::ALL
                .iter()
                .copied()
                .filter(|s| *s != row.scope && *s != Scope::Any)
                .fold(ActorScope::NONE, ActorScope::with);
            assert!(
                matches!(
                    check_transition(row.from, row.to, row.role, elsewhere, &input),
                    Err(WorkflowError::OutOfScope { .. })
                ),
                "{row:?}"
            );
        }
    }
}

#[test]
fn refused_transitions_table() {
    let capture = complete_with(&[]);
    let mut incomplete = CaptureRecord::new();
    incomplete
        .record(
            crate::dossier::CaptureSlot::FlatRightFour,
            crate::dossier::SlotOutcome::Captured,
        )
        .unwrap();
    let office = ActorScope::of(Scope::ReceivingOffice);
    let centre = ActorScope::of(Scope::Centre);
    let commune = ActorScope::of(Scope::ResidenceCommune);
    let none = TransitionInput::default();
    let pop = |changed| TransitionInput {
        population_data_changed: Some(changed),
        ..TransitionInput::default()
    };
    use Role as R;
    use State as S;
    let long_note = "x".repeat(MAX_NOTE_CHARS + 1);
    let cases: Vec<(S, S, R, ActorScope, TransitionInput<'_>, WorkflowError)> = vec![
        (
            S::Booked,
            S::Approved,
            R::Approver,
            centre,
            none,
            WorkflowError::NotAllowed {
                from: S::Booked,
                to: S::Approved,
                allowed: vec![S::Received, S::Refused, S::Cancelled],
            },
        ),
        (
            S::Received,
            S::SlipIssued,
            R::Receptionist,
            office,
            none,
            WorkflowError::NotAllowed {
                from: S::Received,
                to: S::SlipIssued,
                allowed: vec![S::Refused, S::Captured, S::Cancelled],
            },
        ),
        (
            S::Approved,
            S::Approved,
            R::Approver,
            centre,
            none,
            WorkflowError::NotAllowed {
                from: S::Approved,
                to: S::Approved,
                allowed: vec![S::Printed, S::Cancelled],
            },
        ),
        (
            S::SentToCentre,
            S::Approved,
            R::Processor,
            centre,
            none,
            WorkflowError::WrongRole {
                from: Some(S::SentToCentre),
                to: S::Approved,
                role: R::Processor,
                allowed_roles: vec![R::Approver],
            },
        ),
        (
            S::Booked,
            S::Received,
            R::Citizen,
            ActorScope::of(Scope::Holder),
            none,
            WorkflowError::WrongRole {
                from: Some(S::Booked),
                to: S::Received,
                role: R::Citizen,
                allowed_roles: vec![R::Receptionist],
            },
        ),
        (
            S::SlipIssued,
            S::SentToCentre,
            R::Receptionist,
            commune,
            pop(false),
            WorkflowError::OutOfScope {
                from: Some(S::SlipIssued),
                to: S::SentToCentre,
                role: R::Receptionist,
                required: vec![Scope::ReceivingOffice],
            },
        ),
        (
            S::CommuneVerification,
            S::SentToCentre,
            R::CommunePolice,
            office,
            none,
            WorkflowError::OutOfScope {
                from: Some(S::CommuneVerification),
                to: S::SentToCentre,
                role: R::CommunePolice,
                required: vec![Scope::ResidenceCommune],
            },
        ),
        (
            S::Approved,
            S::Printed,
            R::Printer,
            ActorScope::NONE,
            none,
            WorkflowError::OutOfScope {
                from: Some(S::Approved),
                to: S::Printed,
                role: R::Printer,
                required: vec![Scope::Centre],
            },
        ),
        (
            S::Returned,
            S::Cancelled,
            R::Admin,
            centre,
            TransitionInput::with_note("x"),
            WorkflowError::Terminal {
                state: S::Returned,
                to: S::Cancelled,
            },
        ),
        (
            S::Refused,
            S::Received,
            R::Receptionist,
            office,
            none,
            WorkflowError::Terminal {
                state: S::Refused,
                to: S::Received,
            },
        ),
        (
            S::Received,
            S::Refused,
            R::Receptionist,
            office,
            none,
            WorkflowError::ReasonRequired { to: S::Refused },
        ),
        (
            S::Received,
            S::Refused,
            R::Receptionist,
            office,
            TransitionInput::with_note(" \t"),
            WorkflowError::ReasonRequired { to: S::Refused },
        ),
        (
            S::SentToCentre,
            S::Rejected,
            R::Processor,
            centre,
            none,
            WorkflowError::ReasonRequired { to: S::Rejected },
        ),
        (
            S::Received,
            S::Captured,
            R::Receptionist,
            office,
            none,
            WorkflowError::CaptureRequired,
        ),
        (
            S::Received,
            S::Captured,
            R::Receptionist,
            office,
            TransitionInput {
                capture: Some(&incomplete),
                ..none
            },
            WorkflowError::CaptureIncomplete(incomplete.check_complete().unwrap_err()),
        ),
        (
            S::SlipIssued,
            S::SentToCentre,
            R::Receptionist,
            office,
            pop(true),
            WorkflowError::VerificationRequired {
                to: S::SentToCentre,
            },
        ),
        (
            S::SlipIssued,
            S::CommuneVerification,
            R::Receptionist,
            office,
            pop(false),
            WorkflowError::NoPopulationChange,
        ),
        (
            S::SlipIssued,
            S::SentToCentre,
            R::Receptionist,
            office,
            none,
            WorkflowError::PopulationChangeUnknown {
                to: S::SentToCentre,
            },
        ),
        (
            S::Rejected,
            S::SentToCentre,
            R::Receptionist,
            office,
            TransitionInput {
                note: Some("đã sửa"),
                ..pop(true)
            },
            WorkflowError::VerificationRequired {
                to: S::SentToCentre,
            },
        ),
        (
            S::ReadyForPickup,
            S::Returned,
            R::ReturnOfficer,
            office,
            none,
            WorkflowError::OldDocumentRequired,
        ),
        (
            S::Booked,
            S::Received,
            R::Receptionist,
            office,
            TransitionInput::with_note(&long_note),
            WorkflowError::NoteTooLong {
                len: MAX_NOTE_CHARS + 1,
            },
        ),
    ];
    for (from, to, role, scope, input, want) in cases {
        assert_eq!(
            check_transition(from, to, role, scope, &input),
            Err(want.clone()),
            "{from} → {to} by {role}"
        );
    }
    // The complete record passes where the incomplete one failed.
    let ok = TransitionInput {
        capture: Some(&capture),
        ..TransitionInput::default()
    };
    assert!(
        check_transition(
            State::Received,
            State::Captured,
            Role::Receptionist,
            office,
            &ok
        )
        .is_ok()
    );
}

#[test]
fn start_checks() {
    let office = ActorScope::of(Scope::ReceivingOffice);
    assert!(check_start(State::Received, Role::Receptionist, office).is_ok());
    assert!(check_start(State::Booked, Role::Citizen, ActorScope::of(Scope::Holder)).is_ok());
    assert_eq!(
        check_start(
            State::Approved,
            Role::Approver,
            ActorScope::of(Scope::Centre)
        ),
        Err(WorkflowError::NotAStart {
            to: State::Approved,
            allowed: vec![State::Booked, State::Received]
        })
    );
    assert_eq!(
        check_start(
            State::Received,
            Role::Citizen,
            ActorScope::of(Scope::Holder)
        ),
        Err(WorkflowError::WrongRole {
            from: None,
            to: State::Received,
            role: Role::Citizen,
            allowed_roles: vec![Role::Receptionist]
        })
    );
    assert!(matches!(
        check_start(State::Booked, Role::Citizen, office),
        Err(WorkflowError::OutOfScope { from: None, .. })
    ));
}

#[test]
fn every_error_is_bilingual_with_a_distinct_code() {
    let errs = vec![
        WorkflowError::Terminal {
            state: State::Returned,
            to: State::Cancelled,
        },
        WorkflowError::NotAllowed {
            from: State::Booked,
            to: State::Approved,
            allowed: allowed_next(State::Booked),
        },
        WorkflowError::NotAStart {
            to: State::Printed,
            allowed: vec![State::Booked],
        },
        WorkflowError::WrongRole {
            from: None,
            to: State::Approved,
            role: Role::Printer,
            allowed_roles: vec![Role::Approver],
        },
        WorkflowError::OutOfScope {
            from: None,
            to: State::Printed,
            role: Role::Printer,
            required: vec![Scope::Centre],
        },
        WorkflowError::ReasonRequired { to: State::Refused },
        WorkflowError::NoteTooLong { len: 3000 },
        WorkflowError::CaptureRequired,
        WorkflowError::CaptureIncomplete(CaptureRecord::new().check_complete().unwrap_err()),
        WorkflowError::PopulationChangeUnknown {
            to: State::SentToCentre,
        },
        WorkflowError::NoPopulationChange,
        WorkflowError::VerificationRequired {
            to: State::SentToCentre,
        },
        WorkflowError::OldDocumentRequired,
        WorkflowError::EarlierThanLastEvent {
            last: ts(10),
            at: ts(5),
        },
    ];
    let mut codes = HashSet::new();
    for e in &errs {
        assert!(codes.insert(e.code()), "duplicate {}", e.code());
        assert!(e.code().starts_with("workflow."));
        let (vi, en) = (e.message_vi(), e.message_en());
        assert!(!vi.is_empty() && !en.is_empty() && vi != en, "{e:?}");
        let body = crate::i18n::ErrorBody::of(e);
        assert_eq!(body.code, e.code());
    }
    let e = &errs[1];
    assert!(
        e.message_vi().contains("Đã tiếp nhận (received)"),
        "{}",
        e.message_vi()
    );
    assert!(
        e.message_en().contains("Refused at reception (refused)"),
        "{}",
        e.message_en()
    );
    assert!(
        errs[4]
            .message_vi()
            .contains("Trung tâm dữ liệu quốc gia về dân cư")
    );
    assert!(errs[5].message_vi().contains("lý do"));
    assert!(errs[8].message_en().contains("13 fingerprint slots"));
    assert!(matches!(
        errs[8],
        WorkflowError::CaptureIncomplete(CaptureError::Incomplete { .. })
    ));
}

#[test]
fn waiting_on_matches_who_acts_next() {
    for s in State::ALL {
        match s.waiting_on() {
            None => assert!(s.is_terminal(), "{s}"),
            // In transit: counted against the centre's dispatch stage, though
            // the receiving office books the card in.
            Some(Scope::Centre) if s == State::Dispatched => {}
            Some(scope) => {
                for t in TRANSITIONS
                    .iter()
                    .filter(|t| t.from == s && !matches!(t.role, Role::Admin | Role::Citizen))
                {
                    assert_eq!(t.scope, scope, "{t:?}");
                }
            }
        }
    }
    assert_eq!(State::Dispatched.waiting_on(), Some(Scope::Centre));
    assert_eq!(State::Rejected.waiting_on(), Some(Scope::ReceivingOffice));
}

/// The deadline starts at reception and stops only where the card reaches
/// the citizen's side (ready for pickup or posted, out of `dispatched`), or
/// where the dossier ends without a card.
#[test]
fn the_deadline_runs_from_reception_until_the_card_is_ready() {
    assert!(!State::Booked.deadline_running());
    assert!(State::Received.deadline_running());
    for row in TRANSITIONS {
        let (from, to) = (row.from, row.to);
        if from.deadline_running() && !to.deadline_running() {
            assert!(
                to.is_terminal() || (from == State::Dispatched && to.card_ready()),
                "{from:?} -> {to:?} stops the deadline"
            );
        }
        if !from.deadline_running() && to.deadline_running() {
            assert_eq!(
                from,
                State::Booked,
                "only reception starts it: {from:?} -> {to:?}"
            );
        }
    }
    for s in State::ALL {
        assert!(
            !(s.deadline_running() && s.card_ready()),
            "{s:?} is running and ready"
        );
    }
}
