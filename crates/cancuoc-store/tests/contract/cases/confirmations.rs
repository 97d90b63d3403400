//! Confirmations of an old CMND number: request, queue, decide (approve
//! only what the record holds, refuse with a reason, one decision of two),
//! the public status, codes unique across dossiers and requests, the
//! audited print read.

use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::State;
use cancuoc_core::id::PersonalId;
use cancuoc_core::person::Sex;
use cancuoc_store::*;
use jiff::civil::date;

use crate::fixtures::*;

/// Registers a citizen holding the old number `old`.
async fn with_old_number(s: &Store, name: &str, pid: &str, old: &str) -> Citizen {
    let mut c = citizen(name, "1985-03-15", Sex::Female, Some(pid));
    c.old_cmnd = vec![old.to_owned()];
    s.register_citizen(&c, IdAssignment::AsGiven, None, T0)
        .await
        .expect("register")
}

fn request<'a>(
    code: CodeSource<'a>,
    pid: &str,
    name: &str,
    old: &str,
    actor: Option<OfficerId>,
) -> NewConfirmation<'a> {
    NewConfirmation {
        code,
        office: DISTRICT,
        personal_id: PersonalId::parse(pid).expect("pid"),
        full_name: name.to_owned(),
        dob: "1985-03-15".parse().expect("dob"),
        old_number: OldNumber::parse(old).expect("old number"),
        channel: if actor.is_some() {
            ConfirmationChannel::Desk
        } else {
            ConfirmationChannel::Portal
        },
        received_on: today(),
        promised_on: date(2026, 12, 1),
        at: T0,
        actor,
        presence: None,
    }
}

fn decision(code: DossierCode, officer: OfficerId, verdict: Verdict) -> ConfirmationDecision {
    ConfirmationDecision {
        code,
        officer,
        verdict,
        at: T0 + 3600,
        on: today(),
    }
}

pub async fn confirmations_request_queue_approve_and_status(s: Store) {
    let w = world(s.clone()).await;
    with_old_number(&s, "Trần Thị Xác Nhận", "079185000011", "023456789").await;
    let mut draw = || 4242u32;
    let r = s
        .request_confirmation(request(
            CodeSource::Random(&mut draw),
            "079185000011",
            "Tran Thi Xac Nhan",
            "023 456 789",
            None,
        ))
        .await
        .expect("request");
    assert_eq!(r.state, ConfirmationState::Requested);
    assert_eq!(r.version, 1);
    assert_eq!(r.events.len(), 1);
    assert_eq!(r.old_number.as_str(), "023456789");
    assert_eq!(r.code.office(), u32::from(DISTRICT));

    // A later request sits behind the first in the queue.
    let later = s
        .request_confirmation(NewConfirmation {
            at: T0 + 60,
            ..request(
                CodeSource::Given(code(7)),
                "079185000012",
                "Lê Văn Chưa Có",
                "123456789012",
                Some(w.receptionist.id),
            )
        })
        .await
        .expect("desk request");
    let q = s.confirmation_queue(DISTRICT, 50).await.expect("queue");
    assert_eq!(
        q.iter().map(|c| c.code).collect::<Vec<_>>(),
        [r.code, later.code]
    );
    assert!(
        s.confirmation_queue(OTHER_DISTRICT, 50)
            .await
            .expect("q")
            .is_empty()
    );

    let st = s.confirmation_status(r.code).await.expect("status");
    assert_eq!(st.state, ConfirmationState::Requested);
    assert_eq!(st.promised_on, date(2026, 12, 1));
    assert!(st.is_overdue(date(2026, 12, 2)) && !st.is_overdue(date(2026, 12, 1)));

    let done = s
        .decide_confirmation(&decision(r.code, w.receptionist.id, Verdict::Approve))
        .await
        .expect("decide");
    let Decided::Done(done) = done else {
        panic!("approved: {done:?}")
    };
    assert_eq!(done.state, ConfirmationState::Approved);
    assert_eq!(done.version, 2);
    assert!(done.citizen.is_some());
    assert_eq!(done.decided_on, Some(today()));
    let st = s.confirmation_status(r.code).await.expect("status");
    assert_eq!(
        (st.state, st.decided_on),
        (ConfirmationState::Approved, Some(today()))
    );
    assert!(!st.is_overdue(date(2027, 1, 1)));
    // Decided ones go after the waiting ones.
    let q = s.confirmation_queue(DISTRICT, 50).await.expect("queue");
    assert_eq!(q[0].code, later.code);

    // The print read gives the record's name and is audited.
    let p = s
        .confirmation_print(r.code, w.receptionist.id, T0 + 7200)
        .await
        .expect("print");
    assert_eq!(p.full_name, "Trần Thị Xác Nhận");
    let log = s.recent_audit(10).await.expect("audit");
    assert!(
        log.iter()
            .any(|e| e.action == "cmnd_confirmation.print" && !e.details.contains("079185000011"))
    );
    assert!(log.iter().all(|e| !e.details.contains("023456789")));
    // Not approved: nothing to print.
    assert!(
        s.confirmation_print(later.code, w.receptionist.id, T0)
            .await
            .is_err()
    );
}

pub async fn confirmations_approval_needs_the_number_on_record(s: Store) {
    let w = world(s.clone()).await;
    with_old_number(&s, "Phạm Thị Hồ Sơ Cũ", "079185000013", "111222333").await;
    let cases = [
        (
            "079185000099",
            "Phạm Thị Hồ Sơ Cũ",
            "111222333",
            RecordGap::NoCitizen,
        ),
        (
            "079185000013",
            "Phạm Thị Khác",
            "111222333",
            RecordGap::NameOrBirthDate,
        ),
        (
            "079185000013",
            "Phạm Thị Hồ Sơ Cũ",
            "999888777",
            RecordGap::OldNumber,
        ),
    ];
    for (i, (pid, name, old, gap)) in cases.into_iter().enumerate() {
        let r = s
            .request_confirmation(request(
                CodeSource::Given(code(100 + i as u32)),
                pid,
                name,
                old,
                None,
            ))
            .await
            .expect("request");
        let d = s
            .decide_confirmation(&decision(r.code, w.receptionist.id, Verdict::Approve))
            .await
            .expect("decide");
        assert!(matches!(d, Decided::NotOnRecord(g) if g == gap), "{d:?}");
        // Nothing changed: it can still be refused, with a reason.
        let blank = s
            .decide_confirmation(&decision(
                r.code,
                w.receptionist.id,
                Verdict::Refuse("  ".into()),
            ))
            .await;
        assert!(matches!(blank, Err(StoreError::Invalid(_))), "{blank:?}");
        let Decided::Done(refused) = s
            .decide_confirmation(&decision(
                r.code,
                w.receptionist.id,
                Verdict::Refuse("Không có thông tin số CMND trong tàng thư".into()),
            ))
            .await
            .expect("refuse")
        else {
            panic!("refused")
        };
        assert_eq!(refused.state, ConfirmationState::Refused);
        assert_eq!(
            refused.events.last().and_then(|e| e.note.as_deref()),
            Some("Không có thông tin số CMND trong tàng thư")
        );
    }
}

pub async fn confirmations_two_decisions_are_one(s: Store) {
    let w = world(s.clone()).await;
    with_old_number(&s, "Đỗ Văn Hai Lần", "079185000014", "222333444").await;
    let r = s
        .request_confirmation(request(
            CodeSource::Given(code(300)),
            "079185000014",
            "Đỗ Văn Hai Lần",
            "222333444",
            None,
        ))
        .await
        .expect("request");
    let approve = decision(r.code, w.receptionist.id, Verdict::Approve);
    let refuse = decision(r.code, w.receptionist.id, Verdict::Refuse("trùng".into()));
    let (a, b) = tokio::join!(
        s.decide_confirmation(&approve),
        s.decide_confirmation(&refuse),
    );
    let ok = [&a, &b]
        .iter()
        .filter(|x| matches!(x, Ok(Decided::Done(_))))
        .count();
    assert_eq!(ok, 1, "{a:?} {b:?}");
    assert!(
        [&a, &b]
            .iter()
            .any(|x| matches!(x, Err(StoreError::Conflict(Conflict::StaleVersion { .. })))),
        "{a:?} {b:?}"
    );
    let now = s.confirmation(r.code).await.expect("get");
    assert_eq!(now.version, 2);
    assert_eq!(now.events.len(), 2);
    // An officer of another office decides nothing.
    let other = s
        .request_confirmation(request(
            CodeSource::Given(code(301)),
            "079185000014",
            "Đỗ Văn Hai Lần",
            "222333444",
            None,
        ))
        .await
        .expect("request");
    let refused = s
        .decide_confirmation(&decision(
            other.code,
            w.other_receptionist.id,
            Verdict::Approve,
        ))
        .await;
    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "{refused:?}"
    );
}

pub async fn confirmation_codes_never_collide_with_dossier_codes(s: Store) {
    let w = world(s.clone()).await;
    let c = add_citizen(&s, "Nguyễn Văn Mã Chung", "079090000031").await;
    let d = received(&w, 500, c.id).await;
    // A drawn code a dossier holds is drawn again.
    let mut draws = [500u32, 501].into_iter();
    let mut draw = move || draws.next().unwrap_or(502);
    let r = s
        .request_confirmation(request(
            CodeSource::Random(&mut draw),
            "079090000031",
            "Nguyễn Văn Mã Chung",
            "333444555",
            None,
        ))
        .await
        .expect("request");
    assert_ne!(r.code, d.code);
    assert_eq!(r.code, code(501));
    // And a dossier cannot take a request's code.
    let taken = s
        .create_dossier(new_dossier(
            CodeSource::Given(code(501)),
            c.id,
            Some(w.receptionist.id),
            State::Received,
            date(2026, 12, 1),
        ))
        .await;
    assert!(
        matches!(taken, Err(StoreError::Conflict(Conflict::Duplicate { .. }))),
        "{taken:?}"
    );
    // A random dossier draw that meets it draws again.
    let mut ddraws = [501u32, 503].into_iter();
    let mut ddraw = move || ddraws.next().unwrap_or(504);
    let d2 = s
        .create_dossier(new_dossier(
            CodeSource::Random(&mut ddraw),
            c.id,
            Some(w.receptionist.id),
            State::Received,
            date(2026, 12, 1),
        ))
        .await
        .expect("dossier");
    assert_eq!(d2.code, code(503));
    // The dossier lookup does not see a request, nor the reverse.
    assert!(s.status_by_code(r.code).await.is_err());
    assert!(s.confirmation_status(d.code).await.is_err());
}
