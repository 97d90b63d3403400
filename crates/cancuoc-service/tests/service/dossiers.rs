//! Opening dossiers and moving them through the workflow, as the console
//! and the API do it: through `Service`, with the refusals each front end
//! maps by class.

use cancuoc_core::booking::BookingCode;
use cancuoc_core::calendar::WorkingCalendar;
use cancuoc_core::dossier::workflow::State;
use cancuoc_core::person::FullName;
use cancuoc_core::rules::{self, Channel, IssueKind, Reason, Receiver};
use cancuoc_service::model::{BookingState, EventKind, Page};
use cancuoc_service::{
    BookingRequest, ErrorClass, OpenDossier, Received, ServiceError, TransitionCommand,
};
use cancuoc_store::Store;
use cancuoc_testkit::world::{DISTRICT, add_citizen, complete_capture};
use jiff::civil::date;

use crate::{T0, setup};

/// The class of a refusal, or a panic naming what came instead.
#[track_caller]
fn class_of<T: std::fmt::Debug>(r: Result<T, ServiceError>) -> ErrorClass {
    match r {
        Err(e) => e.class(),
        Ok(v) => panic!("expected a refusal, got {v:?}"),
    }
}

pub async fn opening_prices_and_schedules_from_the_rules(store: Store) {
    let (w, svc) = setup(store).await;
    let c = add_citizen(&w.store, "Nguyễn Văn Mở", "079090000101", T0).await;
    let today = svc.today();
    assert_eq!(today, date(2026, 11, 23));
    // Lost card, kind left to the rules: a re-issue, priced and scheduled
    // by the rules in force today, the fee kept as charged.
    let d = svc
        .open_dossier(&w.receptionist, OpenDossier::walk_in(c.id, Reason::Lost))
        .await
        .expect("open");
    let kind = rules::default_kind(Reason::Lost, today).expect("kind");
    assert_eq!(kind, IssueKind::Reissue);
    let fee = rules::fee(kind, Reason::Lost, &[], today, Channel::InPerson).expect("fee");
    let plan = rules::deadlines(today, Receiver::Office, WorkingCalendar::official())
        .expect("deadlines")
        .value;
    assert_eq!(
        (d.kind, d.state, d.office, d.received_on, d.version),
        (kind, State::Received, DISTRICT, today, 1)
    );
    assert_eq!(d.fee_vnd, fee.value.amount_vnd);
    assert!(d.fee_vnd > 0, "a re-issue after a loss is not free");
    assert_eq!(d.promised_on, plan.promised_date);
    let stages: Vec<_> = d.deadlines.iter().map(|s| (s.stage, s.due)).collect();
    let want: Vec<_> = plan.stages.iter().map(|s| (s.stage, s.due)).collect();
    assert_eq!(stages, want);
    let charged = d.charged.as_ref().expect("fee kept as charged");
    assert_eq!(
        (charged.channel, charged.rule_id.as_str()),
        (Channel::InPerson, fee.value.rule_id.as_str())
    );
    // The console's file shows that fee, read back from the store.
    let file = svc
        .dossier_file(&w.receptionist, d.code)
        .await
        .expect("file");
    assert_eq!(file.fee.as_ref(), Some(charged));
    // The office code is the code's first four digits.
    assert_eq!(d.code.office(), u32::from(DISTRICT));
}

pub async fn opening_keeps_capture_fee_and_appointment_together(store: Store) {
    let (w, svc) = setup(store).await;
    let c = add_citizen(&w.store, "Trần Thị Hẹn", "079190000102", T0).await;
    // An appointment tomorrow at the receptionist's desk.
    let booking = svc
        .book_unchecked(BookingRequest {
            office: DISTRICT,
            day: date(2026, 11, 24),
            start: 450,
            full_name: FullName::parse("Trần Thị Hẹn").expect("name"),
            phone: "0912 345 678".parse().expect("phone"),
            personal_id: None,
        })
        .await
        .expect("book");
    let code = BookingCode::parse(&booking.code).expect("code");
    let d = svc
        .open_dossier(
            &w.receptionist,
            OpenDossier {
                capture: Some(complete_capture()),
                booking: Some(code),
                ..OpenDossier::walk_in(c.id, Reason::FirstIssue)
            },
        )
        .await
        .expect("open");
    // One event: the capture was kept with the opening, not after it.
    let file = svc
        .dossier_file(&w.receptionist, d.code)
        .await
        .expect("file");
    assert_eq!(file.dossier.events.len(), 1);
    assert_eq!(file.capture, Some(complete_capture()));
    // The appointment is received (and stays so).
    assert_eq!(
        svc.booking(&code, cancuoc_service::Client::unknown())
            .await
            .expect("booking")
            .state,
        BookingState::Received
    );
    assert_eq!(
        svc.mark_booking_received(&w.receptionist, &code)
            .await
            .expect("again"),
        Received::Already
    );
}

pub async fn opening_twice_under_one_key_opens_once(store: Store) {
    let (w, svc) = setup(store).await;
    let c = add_citizen(&w.store, "Lê Bấm Hai", "079090000103", T0).await;
    let open = || OpenDossier {
        idempotency_key: Some("form-7f3a".into()),
        ..OpenDossier::walk_in(c.id, Reason::FirstIssue)
    };
    let first = svc
        .open_dossier(&w.receptionist, open())
        .await
        .expect("first");
    let again = svc
        .open_dossier(&w.receptionist, open())
        .await
        .expect("retry");
    assert_eq!(again.code, first.code);
    let list = svc
        .list_dossiers(
            &w.receptionist,
            DISTRICT,
            None,
            Page {
                after: None,
                limit: 50,
            },
        )
        .await
        .expect("list");
    assert_eq!(list.len(), 1, "one dossier for two submits");
}

pub async fn only_reception_opens_dossiers(store: Store) {
    let (w, svc) = setup(store).await;
    let c = add_citizen(&w.store, "Phạm Văn Chờ", "079090000104", T0).await;
    for officer in [&w.approver, &w.commune_police, &w.admin] {
        let r = svc
            .open_dossier(officer, OpenDossier::walk_in(c.id, Reason::FirstIssue))
            .await;
        assert!(
            matches!(r, Err(ServiceError::RoleNotAllowed { .. })),
            "{r:?}"
        );
        assert_eq!(class_of(r), ErrorClass::Forbidden);
    }
    // A kind the reason does not belong to: invalid input, nothing opened.
    let r = svc
        .open_dossier(
            &w.receptionist,
            OpenDossier {
                kind: Some(IssueKind::First),
                ..OpenDossier::walk_in(c.id, Reason::Lost)
            },
        )
        .await;
    assert_eq!(class_of(r), ErrorClass::Invalid);
    let list = svc
        .list_dossiers(
            &w.receptionist,
            DISTRICT,
            None,
            Page {
                after: None,
                limit: 50,
            },
        )
        .await
        .expect("list");
    assert!(list.is_empty());
}

fn step(code: cancuoc_core::dossier::code::DossierCode, to: State, v: i64) -> TransitionCommand {
    TransitionCommand {
        code,
        to,
        note: None,
        expected_version: v,
        idempotency_key: None,
        population_data_changed: None,
        old_document: None,
        at: None,
    }
}

pub async fn a_transition_outside_the_officers_scope_is_forbidden(store: Store) {
    let (w, svc) = setup(store).await;
    let c = add_citizen(&w.store, "Hoàng Ngoài Vùng", "079090000105", T0).await;
    let d = svc
        .open_dossier(
            &w.receptionist,
            OpenDossier {
                capture: Some(complete_capture()),
                ..OpenDossier::walk_in(c.id, Reason::FirstIssue)
            },
        )
        .await
        .expect("open");
    // Reception of another district, and a role the step is not for.
    let other = svc
        .transition(&w.other_receptionist, step(d.code, State::Captured, 1))
        .await;
    assert_eq!(class_of(other), ErrorClass::Forbidden);
    let wrong_role = svc
        .transition(&w.approver, step(d.code, State::Captured, 1))
        .await;
    assert_eq!(class_of(wrong_role), ErrorClass::Forbidden);
    // A step the state does not allow: a conflict, whoever asks.
    let early = svc
        .transition(&w.receptionist, step(d.code, State::Printed, 1))
        .await;
    assert_eq!(class_of(early), ErrorClass::Conflict);
    // The right officer: done, and the dossier moved once.
    let out = svc
        .transition(&w.receptionist, step(d.code, State::Captured, 1))
        .await
        .expect("captured");
    assert_eq!(
        (out.from, out.to, out.version),
        (State::Received, State::Captured, 2)
    );
}

pub async fn a_transition_on_a_stale_version_is_a_conflict(store: Store) {
    let (w, svc) = setup(store).await;
    let c = add_citizen(&w.store, "Vũ Hai Tab", "079090000106", T0).await;
    let d = svc
        .open_dossier(
            &w.receptionist,
            OpenDossier {
                capture: Some(complete_capture()),
                ..OpenDossier::walk_in(c.id, Reason::FirstIssue)
            },
        )
        .await
        .expect("open");
    svc.transition(&w.receptionist, step(d.code, State::Captured, 1))
        .await
        .expect("first tab");
    let second = svc
        .transition(&w.receptionist, step(d.code, State::Captured, 1))
        .await;
    match &second {
        Err(e) => assert!(e.is_stale_version(), "{e:?}"),
        Ok(o) => panic!("a stale step went through: {o:?}"),
    }
    assert_eq!(class_of(second), ErrorClass::Conflict);
}

pub async fn the_capture_is_an_event_and_needs_the_desk(store: Store) {
    let (w, svc) = setup(store).await;
    let c = add_citizen(&w.store, "Đỗ Vân Tay", "079090000107", T0).await;
    let d = svc
        .open_dossier(
            &w.receptionist,
            OpenDossier::walk_in(c.id, Reason::FirstIssue),
        )
        .await
        .expect("open");
    let rec = complete_capture();
    // Only reception of the dossier's own office records it.
    let r = svc.save_capture(&w.other_receptionist, d.code, &rec).await;
    assert_eq!(class_of(r), ErrorClass::Forbidden);
    let r = svc.save_capture(&w.return_officer, d.code, &rec).await;
    assert_eq!(class_of(r), ErrorClass::Forbidden);
    let v = svc
        .save_capture(&w.receptionist, d.code, &rec)
        .await
        .expect("save");
    assert_eq!(v, 2);
    let file = svc
        .dossier_file(&w.receptionist, d.code)
        .await
        .expect("file");
    assert_eq!(file.dossier.events[1].kind, EventKind::Capture);
    assert_eq!(
        file.actors.get(&w.receptionist.id).map(String::as_str),
        Some("Lê Tiếp Nhận")
    );
    // The public timeline does not show it: one stage, received.
    let answer = svc
        .lookup_dossier(d.code, None, cancuoc_service::Client::unknown())
        .await
        .expect("public");
    let states: Vec<_> = answer.public.stages.iter().map(|s| s.state).collect();
    assert_eq!(states, [State::Received]);
}

pub async fn an_exemption_is_checked_against_the_applicant_and_keeps_its_document(store: Store) {
    use cancuoc_core::rules::{Exemption, ExemptionRefusal, RulesError};
    let (w, svc) = setup(store).await;
    // Born 17 May 1990: 36 on 23 Nov 2026.
    let c = add_citizen(&w.store, "Lê Văn Miễn", "079090000107", T0).await;
    let claim = |e: Exemption, doc: Option<&str>| OpenDossier {
        exemptions: vec![e],
        exemption_document: doc.map(str::to_owned),
        ..OpenDossier::walk_in(c.id, Reason::Lost)
    };
    match svc
        .open_dossier(&w.receptionist, claim(Exemption::Child, None))
        .await
    {
        Err(ServiceError::Rules(RulesError::ExemptionNotApplicable {
            exemption: Exemption::Child,
            why:
                ExemptionRefusal::TooOld {
                    min_age: 36,
                    under: 16,
                    on,
                    ..
                },
        })) => assert_eq!(on, date(2026, 11, 23)),
        other => panic!("expected the child exemption refused, got {other:?}"),
    }
    // The preview refuses it too, with the same error.
    let preview = svc.quote_fee_for(
        &c,
        None,
        Reason::Lost,
        &[Exemption::Child],
        svc.today(),
        Channel::InPerson,
    );
    assert!(
        matches!(
            preview,
            Err(ServiceError::Rules(
                RulesError::ExemptionNotApplicable { .. }
            ))
        ),
        "{preview:?}"
    );
    // A documentary exemption needs the document named …
    match svc
        .open_dossier(&w.receptionist, claim(Exemption::PoorHousehold, Some("  ")))
        .await
    {
        Err(e @ ServiceError::Rules(RulesError::ExemptionNotApplicable { .. })) => {
            assert_eq!(e.class(), ErrorClass::Invalid);
            assert!(e.to_string().contains("DocumentMissing"), "{e}");
        }
        other => panic!("expected the document asked for, got {other:?}"),
    }
    // … and keeps it with the fee as charged.
    let proof = "Giấy chứng nhận hộ nghèo số 12/GCN-UBND";
    let d = svc
        .open_dossier(
            &w.receptionist,
            claim(Exemption::PoorHousehold, Some(proof)),
        )
        .await
        .expect("open");
    assert_eq!(
        (d.fee_vnd, d.exemption),
        (0, Some(Exemption::PoorHousehold))
    );
    let file = svc
        .dossier_file(&w.receptionist, d.code)
        .await
        .expect("file");
    assert_eq!(
        file.fee.and_then(|f| f.exemption_document).as_deref(),
        Some(proof)
    );
}
