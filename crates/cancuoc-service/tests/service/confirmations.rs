//! Confirmations of an old CMND number through the service: a portal
//! request behind the captcha, the desk, the queue of the receiving
//! office, approve (only what the record holds), refuse with a reason, one
//! decision of two, the answer of the ordinary status lookup, the due date
//! over Tết, and the printed confirmation's content.

use bytes::Bytes;
use cancuoc_core::i18n::Localized;
use cancuoc_core::person::Sex;
use cancuoc_service::model::{ConfirmationState, ConfirmationStatus, DossierStatus, Verdict};
use cancuoc_service::{
    Client, CodeAnswer, ConfirmationForm, ConfirmationRequest, ErrorClass, Presence, Service,
    ServiceError, StatusRenderer,
};
use cancuoc_store::{IdAssignment, Store};
use cancuoc_testkit::world::{PROVINCE, citizen};
use jiff::civil::date;

use crate::{setup, setup_at};

fn client(last: u8) -> Client {
    Client::new(std::net::IpAddr::from([198, 51, 100, last]))
}

/// A renderer that writes the state's code, so the test sees which path
/// answered.
struct Probe;

impl StatusRenderer for Probe {
    fn render(s: &DossierStatus, _overdue: bool) -> Bytes {
        Bytes::from(format!("dossier:{}", s.state.code()))
    }
    fn render_confirmation(s: &ConfirmationStatus, overdue: bool) -> Bytes {
        Bytes::from(format!(
            "confirmation:{}:{}:{}",
            s.state.code(),
            s.promised_on,
            overdue
        ))
    }
}

async fn register(store: &Store, name: &str, pid: &str, old: &str) {
    let mut c = citizen(name, "1990-03-15", Sex::Female, Some(pid));
    c.old_cmnd = vec![old.to_owned()];
    store
        .register_citizen(&c, IdAssignment::AsGiven, None, crate::T0)
        .await
        .expect("register");
}

fn form<'a>(office: &'a str, pid: &'a str, name: &'a str, old: &'a str) -> ConfirmationForm<'a> {
    ConfirmationForm {
        office,
        personal_id: pid,
        full_name: name,
        date_of_birth: "15-3-1990",
        old_number: old,
    }
}

async fn portal(
    svc: &Service,
    f: &ConfirmationForm<'_>,
    from: Client,
) -> Result<cancuoc_service::model::Confirmation, ServiceError> {
    let req = ConfirmationRequest::checked(f, svc.today()).expect("form");
    let id = svc.issue_captcha("42", None, from).await.expect("captcha");
    svc.request_confirmation(
        req,
        Presence::Captcha {
            id: &id,
            answer: "42",
        },
        from,
    )
    .await
}

pub async fn a_portal_request_is_approved_and_the_status_lookup_says_so(store: Store) {
    let (w, svc) = setup(store.clone()).await;
    register(&store, "Trần Thị Số Cũ", "079190000021", "023456789").await;
    let office = PROVINCE.to_string();
    let r = portal(
        &svc,
        &form(&office, "0791 9000 0021", "Trần Thị Số Cũ", "023 456 789"),
        client(1),
    )
    .await
    .expect("request");
    assert_eq!(r.state, ConfirmationState::Requested);
    assert_eq!(r.code.office(), u32::from(PROVINCE));
    let due = svc.confirmation_deadline(svc.today()).expect("due");
    assert_eq!(r.promised_on, due.value);

    // The ordinary lookup answers the request's own state.
    let body = svc
        .status_answer::<Probe>(r.code, client(2))
        .await
        .expect("status");
    assert_eq!(
        body,
        format!("confirmation:requested:{}:false", r.promised_on)
    );
    let Ok(CodeAnswer::Confirmation(public)) = svc.lookup_code(r.code, None, client(2)).await
    else {
        panic!("a confirmation answer")
    };
    assert_eq!(public.status.state, ConfirmationState::Requested);

    // The province's reception checks it; the district's sees nothing.
    let q = svc
        .confirmation_queue(&w.province_officer)
        .await
        .expect("queue");
    assert_eq!(q.len(), 1);
    assert!(!q[0].overdue);
    assert!(
        svc.confirmation_queue(&w.receptionist)
            .await
            .expect("queue")
            .is_empty()
    );
    let e = svc
        .decide_confirmation(&w.receptionist, r.code, Verdict::Approve)
        .await
        .expect_err("other office");
    assert_eq!(e.class(), ErrorClass::Forbidden);
    let e = svc
        .confirmation_queue(&w.printer)
        .await
        .expect_err("printer");
    assert_eq!(e.class(), ErrorClass::Forbidden);

    let done = svc
        .decide_confirmation(&w.province_officer, r.code, Verdict::Approve)
        .await
        .expect("approve");
    assert_eq!(done.state, ConfirmationState::Approved);
    // Visible at once through the same path.
    let body = svc
        .status_answer::<Probe>(r.code, client(2))
        .await
        .expect("status");
    assert_eq!(
        body,
        format!("confirmation:approved:{}:false", r.promised_on)
    );

    let doc = svc
        .confirmation_document(r.code, &w.province_officer)
        .await
        .expect("document");
    assert_eq!(doc.full_name, "Trần Thị Số Cũ");
    assert_eq!(doc.old_number.as_str(), "023456789");
    assert_eq!(doc.personal_id.as_str(), "079190000021");
    assert_eq!(doc.dob.to_string(), "1990-03-15");
    assert_eq!(doc.decided_on, svc.today());
    assert_eq!(doc.office_code, PROVINCE);
    assert_eq!(doc.deadline.basis[0].article, "Điều 12");
}

pub async fn an_approval_the_record_does_not_hold_is_refused_and_a_refusal_needs_a_reason(
    store: Store,
) {
    let (w, svc) = setup(store.clone()).await;
    register(&store, "Phạm Văn Không Khớp", "079090000022", "111222333").await;
    let req = ConfirmationRequest::checked(
        &form("", "079090000022", "Phạm Văn Không Khớp", "999888777"),
        svc.today(),
    )
    .expect("form");
    let r = svc
        .request_confirmation_at_desk(&w.receptionist, req)
        .await
        .expect("desk");
    assert_eq!(r.code.office(), u32::from(w.receptionist.office));
    let e = svc
        .decide_confirmation(&w.receptionist, r.code, Verdict::Approve)
        .await
        .expect_err("not on record");
    assert_eq!(e.class(), ErrorClass::Invalid);
    let msg = format!("{e}");
    assert!(msg.contains("old_number"), "{msg}");
    let ServiceError::Invalid {
        reason_vi,
        reason_en,
        ..
    } = &e
    else {
        panic!("{e:?}")
    };
    assert!(reason_en.contains("not on the citizen's record") && reason_en.contains("Refuse"));
    assert!(reason_vi.contains("Từ chối"));
    // Nothing changed.
    let q = svc
        .confirmation_queue(&w.receptionist)
        .await
        .expect("queue");
    assert_eq!(q[0].confirmation.state, ConfirmationState::Requested);

    let e = svc
        .decide_confirmation(&w.receptionist, r.code, Verdict::Refuse(" ".into()))
        .await
        .expect_err("no reason");
    assert_eq!(e.class(), ErrorClass::Invalid);
    let done = svc
        .decide_confirmation(
            &w.receptionist,
            r.code,
            Verdict::Refuse("Không có số CMND này trong tàng thư".into()),
        )
        .await
        .expect("refuse");
    assert_eq!(done.state, ConfirmationState::Refused);
    assert_eq!(
        done.refusal.as_deref(),
        Some("Không có số CMND này trong tàng thư")
    );
    // A second decision is one too many.
    let e = svc
        .decide_confirmation(&w.receptionist, r.code, Verdict::Approve)
        .await
        .expect_err("decided");
    assert_eq!(e.class(), ErrorClass::Conflict);
    let body = svc
        .status_answer::<Probe>(r.code, client(3))
        .await
        .expect("status");
    assert!(body.starts_with(b"confirmation:refused:"));
    // A refused request prints nothing.
    assert!(
        svc.confirmation_document(r.code, &w.receptionist)
            .await
            .is_err()
    );
    // Only reception takes requests at the desk.
    let req = ConfirmationRequest::checked(
        &form("", "079090000022", "Phạm Văn Không Khớp", "111222333"),
        svc.today(),
    )
    .expect("form");
    let e = svc
        .request_confirmation_at_desk(&w.return_officer, req)
        .await
        .expect_err("role");
    assert_eq!(e.class(), ErrorClass::Forbidden);
}

pub async fn the_due_date_is_seven_working_days_over_tet(store: Store) {
    // Thursday 12 February 2026, the week before Tết Bính Ngọ.
    let (_w, svc) = setup_at(store.clone(), "2026-02-12T02:00:00Z").await;
    register(&store, "Lê Thị Tết", "079190000023", "123456789012").await;
    let office = PROVINCE.to_string();
    let r = portal(
        &svc,
        &form(&office, "079190000023", "Lê Thị Tết", "123456789012"),
        client(4),
    )
    .await
    .expect("request");
    assert_eq!(r.received_on, date(2026, 2, 12));
    // Seven weekdays would be 23 February; the Tết holiday pushes it to
    // 2 March (data/holidays, the rules' deadlines.toml).
    assert_eq!(r.promised_on, date(2026, 3, 2));
    let due = svc.confirmation_deadline(r.received_on).expect("due");
    assert_eq!(due.basis[0].document, "Thông tư 59/2021/TT-BCA");
}

pub async fn a_portal_request_needs_a_solved_captcha_and_an_office_that_receives(store: Store) {
    let (_w, svc) = setup(store.clone()).await;
    let f = form("2", "079190000024", "Ngô Thị Cổng", "123456789");
    let req = ConfirmationRequest::checked(&f, svc.today()).expect("form");
    // The NPD centre does not receive the public.
    let id = svc.issue_captcha("42", None, client(5)).await.expect("c");
    let e = svc
        .request_confirmation(
            req.clone(),
            Presence::Captcha {
                id: &id,
                answer: "42",
            },
            client(5),
        )
        .await
        .expect_err("centre");
    assert_eq!(e.class(), ErrorClass::Invalid);
    let req = ConfirmationRequest {
        office: Some(PROVINCE),
        ..req
    };
    let e = svc
        .request_confirmation(
            req.clone(),
            Presence::Captcha {
                id: &id,
                answer: "41",
            },
            client(5),
        )
        .await
        .expect_err("wrong captcha");
    assert_eq!(e.code(), "captcha.wrong");
    // The same form sent twice is one request.
    let id = svc.issue_captcha("42", None, client(5)).await.expect("c");
    let p = Presence::Captcha {
        id: &id,
        answer: "42",
    };
    let a = svc
        .request_confirmation(req.clone(), p, client(5))
        .await
        .expect("first");
    let b = svc
        .request_confirmation(req.clone(), p, client(5))
        .await
        .expect("again");
    assert_eq!(a.code, b.code);
    // Cut off after its challenge was spent and before its request was
    // stored: another person's form with the challenge is refused as used;
    // the same form sent again stores it, once.
    let id = svc.issue_captcha("42", None, client(5)).await.expect("c");
    let p = Presence::Captcha {
        id: &id,
        answer: "42",
    };
    let mine = ConfirmationRequest::checked(
        &form("1", "079190000026", "Ngô Thị Cắt", "123456780"),
        svc.today(),
    )
    .expect("form");
    let mine = ConfirmationRequest {
        office: Some(PROVINCE),
        ..mine
    };
    crate::booking::cut_after_spending(&svc, &store, &id, &mine.challenge_claim(&id)).await;
    let other = ConfirmationRequest {
        office: Some(PROVINCE),
        ..ConfirmationRequest::checked(
            &form("1", "079190000025", "Ngô Văn Khác", "987654321"),
            svc.today(),
        )
        .expect("form")
    };
    let e = svc
        .request_confirmation(other, p, client(5))
        .await
        .expect_err("another form with the challenge");
    assert_eq!(e.code(), "captcha.used");
    let c = svc
        .request_confirmation(mine.clone(), p, client(5))
        .await
        .expect("sent again after the cut");
    let d = svc
        .request_confirmation(mine, p, client(5))
        .await
        .expect("and again");
    assert_eq!(c.code, d.code);

    // Every bad field is named.
    let bad = ConfirmationRequest::checked(
        &ConfirmationForm {
            office: "x",
            personal_id: "12",
            full_name: "",
            date_of_birth: "32-13-1990",
            old_number: "12345",
        },
        svc.today(),
    )
    .expect_err("bad");
    let fields: Vec<&str> = bad.iter().map(|p| p.field).collect();
    assert_eq!(
        fields,
        [
            "office",
            "personal_id",
            "full_name",
            "date_of_birth",
            "old_number"
        ]
    );
    assert!(
        bad.iter()
            .all(|p| !p.message_vi.is_empty() && !p.message_en.is_empty())
    );
}
