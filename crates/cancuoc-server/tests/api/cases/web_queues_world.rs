//! Helpers of the queue and dashboard cases: an officer's console session
//! (log in, then GET and POST with its cookie and CSRF token), and dossiers
//! seeded straight into any state of the workflow with their event logs
//! (the store replays each log), with the stage deadlines of the rules
//! engine or given ones.

use axum::Router;
use axum::http::Method;
use cancuoc_core::calendar::WorkingCalendar;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::State;
use cancuoc_core::rules::{self, Receiver, deadline::Stage};
use cancuoc_store::{
    CitizenId, EventRecord, IdAssignment, Officer, SeedDossier, StageDeadline, Store, Token,
};
use jiff::civil::{Date, date};

use super::web_console::{console_login, csrf_of, give_login};
use crate::world::*;

/// A logged-in officer at the console.
pub struct Desk {
    /// Headers every request carries (the session cookie).
    pub headers: Vec<(String, String)>,
    /// The session's CSRF token for forms.
    pub csrf: String,
}

impl Desk {
    fn headers(&self) -> Vec<(&str, &str)> {
        self.headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    /// `GET` a console page.
    pub async fn get(&self, router: &Router, uri: &str) -> Page {
        web(router, Method::GET, uri, None, &self.headers()).await
    }

    /// `POST` a form to the console.
    pub async fn post(&self, router: &Router, uri: &str, fields: &[(String, String)]) -> Page {
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        web(router, Method::POST, uri, Some(&pairs), &self.headers()).await
    }
}

/// Logs the officer holding `token` in to the console of `router` (a
/// login and the test password first), and reads the session's CSRF token
/// off the console's home page.
pub async fn login(w: &World, router: &Router, token: &str) -> Desk {
    let o = w.app.service().authenticate(token).await.expect("officer");
    let name = format!("can.bo.{}", o.id.0);
    give_login(w, token, &name).await;
    let cookie = console_login(router, &name).await;
    let home = web(router, Method::GET, "/can-bo", None, &[("cookie", &cookie)]).await;
    assert_eq!(home.status.as_u16(), 200, "{}", home.html);
    Desk {
        csrf: csrf_of(&home.html),
        headers: vec![("cookie".to_owned(), cookie)],
    }
}

/// A seeded dossier: its code and the version it was left at.
#[derive(Clone, Debug)]
pub struct Seeded {
    pub code: DossierCode,
    pub version: i64,
}

/// The officers of the world (as the store knows them) and one citizen.
pub struct Fixture {
    pub store: Store,
    pub citizen: CitizenId,
    receptionist: Officer,
    other_receptionist: Officer,
    approver: Officer,
    printer: Officer,
    dispatcher: Officer,
    return_officer: Officer,
}

/// The day every seeded dossier was received (a Monday).
pub const RECEIVED: Date = date(2026, 11, 16);

impl Fixture {
    pub async fn new(w: &World) -> Self {
        let officer = |t: &str| {
            let store = w.store.clone();
            let t = t.to_owned();
            async move {
                store
                    .officer_by_token(&Token::from_presented(&t))
                    .await
                    .expect("officer")
            }
        };
        let pid = cancuoc_core::id::PersonalId::parse("079190000051").expect("synthetic id");
        let citizen = w
            .store
            .register_citizen(
                &cancuoc_store::NewCitizen {
                    personal_id: Some(pid),
                    full_name: "Nguyễn Thị Hàng Đợi".into(),
                    dob: "1990-01-01".parse().expect("dob"),
                    sex: cancuoc_core::person::Sex::Female,
                    nationality: "Việt Nam".into(),
                    ethnicity: "Kinh".into(),
                    religion: "Không".into(),
                    place_of_origin: "Xã Bình Thử, Huyện Đông Thử".into(),
                    birth_registration: "Tỉnh Thử Nghiệm".into(),
                    permanent_residence: "Thôn 1, Xã Bình Thử".into(),
                    temporary_residence: None,
                    phone: None,
                    old_cmnd: Vec::new(),
                    provenance: cancuoc_store::FieldProvenance::all_verified("npd"),
                },
                IdAssignment::AsGiven,
                None,
                T0,
            )
            .await
            .expect("citizen");
        Self {
            store: w.store.clone(),
            citizen: citizen.id,
            receptionist: officer(&w.receptionist).await,
            other_receptionist: officer(&w.other_receptionist).await,
            approver: officer(&w.approver).await,
            printer: officer(&w.printer).await,
            dispatcher: officer(&w.dispatcher).await,
            return_officer: officer(&w.return_officer).await,
        }
    }

    /// The walk from reception to `state` at `office`, by the officers
    /// whose role takes each step.
    fn path(&self, office: u16, state: State) -> Vec<(State, &Officer)> {
        let r = if office == OTHER_DISTRICT {
            &self.other_receptionist
        } else {
            &self.receptionist
        };
        if state == State::Booked {
            return vec![(State::Booked, r)];
        }
        let mut p = vec![(State::Received, r)];
        let main = [
            (State::Captured, r),
            (State::SlipIssued, r),
            (State::SentToCentre, r),
            (State::Approved, &self.approver),
            (State::Printed, &self.printer),
            (State::Dispatched, &self.dispatcher),
            (State::ReadyForPickup, &self.return_officer),
            (State::Returned, &self.return_officer),
        ];
        match state {
            State::Received => {}
            State::CommuneVerification => {
                p.extend(&main[..2]);
                p.push((State::CommuneVerification, r));
            }
            State::Rejected => {
                p.extend(&main[..3]);
                p.push((State::Rejected, &self.approver));
            }
            State::Posted => {
                p.extend(&main[..6]);
                p.push((State::Posted, &self.return_officer));
            }
            s => {
                let n = main
                    .iter()
                    .position(|(m, _)| *m == s)
                    .expect("on the main line");
                p.extend(&main[..=n]);
            }
        }
        p
    }

    /// A seed of a dossier of `office` walked to `state`, its last event at
    /// `last_at`, promised for `promised`, with `deadlines`.
    pub fn dossier(
        &self,
        office: u16,
        random: u32,
        state: State,
        promised: Date,
        deadlines: Vec<StageDeadline>,
        last_at: i64,
    ) -> SeedDossier {
        let path = self.path(office, state);
        let n = path.len() as i64;
        let events = path
            .iter()
            .enumerate()
            .map(|(i, (to, who))| {
                let i = i as i64;
                EventRecord {
                    seq: i + 1,
                    at: last_at - (n - 1 - i) * 60,
                    actor: Some(who.id),
                    actor_role: who.role,
                    from: (i > 0).then(|| path[i as usize - 1].0),
                    to: *to,
                    note: (*to == State::Rejected).then(|| "Ảnh chưa đạt (thử)".to_owned()),
                    kind: cancuoc_store::EventKind::Transition,
                }
            })
            .collect();
        SeedDossier {
            code: DossierCode::new(u32::from(office), RECEIVED, random).expect("code"),
            kind: rules::IssueKind::First,
            reason: None,
            office,
            citizen: self.citizen,
            fee_vnd: 0,
            exemption: None,
            charged: None,
            received_on: RECEIVED,
            deadlines,
            promised_on: promised,
            events,
        }
    }

    /// The stage deadlines of the rules for a dossier received on
    /// [`RECEIVED`] at an office.
    pub fn rule_deadlines() -> Vec<StageDeadline> {
        rules::deadlines(RECEIVED, Receiver::Office, WorkingCalendar::official())
            .expect("deadlines")
            .value
            .stages
            .iter()
            .map(|s| StageDeadline {
                stage: s.stage,
                due: s.due,
            })
            .collect()
    }

    /// Inserts seeds, returning each one's code and version.
    pub async fn insert(&self, seeds: Vec<SeedDossier>) -> Vec<Seeded> {
        self.store
            .bulk_insert_dossiers(&seeds, None, T0)
            .await
            .expect("seed dossiers");
        seeds
            .iter()
            .map(|s| Seeded {
                code: s.code,
                version: s.events.len() as i64,
            })
            .collect()
    }

    /// One dossier of `office` in `state`, promised for `promised`, with
    /// the rules' stage deadlines, last touched an hour before the world's
    /// now.
    pub async fn seed(&self, office: u16, random: u32, state: State, promised: Date) -> Seeded {
        let d = self.dossier(
            office,
            random,
            state,
            promised,
            Self::rule_deadlines(),
            T0 - 3600,
        );
        self.insert(vec![d]).await.remove(0)
    }

    /// One dossier whose central processing (approval and printing) is due
    /// on `due`, promised two working days later.
    pub async fn seed_due(&self, office: u16, random: u32, state: State, due: Date) -> Seeded {
        let promised = WorkingCalendar::official()
            .add_working_days(due, 2)
            .expect("calendar");
        let d = self.dossier(
            office,
            random,
            state,
            promised,
            vec![StageDeadline {
                stage: Stage::CentralProcessing,
                due,
            }],
            T0 - 3600,
        );
        self.insert(vec![d]).await.remove(0)
    }

    /// Many dossiers at once.
    pub async fn seed_many(
        &self,
        office: u16,
        randoms: std::ops::Range<u32>,
        state: State,
        promised: Date,
    ) -> Vec<Seeded> {
        let seeds = randoms
            .map(|r| {
                self.dossier(
                    office,
                    r,
                    state,
                    promised,
                    Self::rule_deadlines(),
                    T0 - 3600,
                )
            })
            .collect();
        self.insert(seeds).await
    }

    /// The stored state and version of a seeded dossier.
    pub async fn state(&self, s: &Seeded) -> (State, i64) {
        let d = self.store.dossier(s.code).await.expect("dossier");
        (d.state, d.version)
    }
}
