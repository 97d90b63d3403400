//! Synthetic dossiers (hồ sơ mẫu) with event logs the workflow accepts:
//! each dossier follows the procedure of Circular 60/2021 (booking,
//! reception, capture, fee and slip, commune verification when population
//! data changed, the NPD centre, approval, printing, dispatch, return at the
//! office or by post), with the usual detours — refusal at reception,
//! cancellation, rejection and resubmission, capture left pending, cards
//! never collected, dossiers stuck at the centre past their promised date — at realistic
//! rates. Steps happen on working days during office hours (UTC+7); steps
//! later than "now" are cut off, so recent dossiers are still in progress.
//!
//! Fees, stage deadlines and the promised date come from the rules engine
//! for the reception day (cached per day: a million dossiers share a few
//! hundred days).

use std::collections::{HashMap, HashSet};

use cancuoc_core::calendar::WorkingCalendar;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::{Role, State};
use cancuoc_core::rules::{self, Channel, IssueKind, Reason, Receiver, Regime};
use cancuoc_store::{CitizenId, EventKind, EventRecord, OfficerId, SeedDossier, StageDeadline};
use jiff::civil::Date;
use jiff::tz::{TimeZone, offset};
use rand::Rng;
use rand::rngs::StdRng;

/// Who acts for each role, relative to a receiving office.
#[derive(Clone, Debug, Default)]
pub struct Actors {
    /// Officers by (office, role).
    pub by_post: HashMap<(u16, Role), OfficerId>,
    /// The NPD centre's office number.
    pub centre: u16,
    /// A commune office under each receiving (district) office.
    pub commune_of: HashMap<u16, u16>,
    /// An administrator anywhere.
    pub admin: Option<OfficerId>,
}

impl Actors {
    fn actor(&self, role: Role, office: u16) -> Option<OfficerId> {
        match role {
            Role::Citizen => None,
            Role::Admin => self.admin,
            Role::Processor | Role::Approver | Role::Printer | Role::Dispatcher => {
                self.by_post.get(&(self.centre, role)).copied()
            }
            Role::CommunePolice => self
                .commune_of
                .get(&office)
                .and_then(|c| self.by_post.get(&(*c, role)))
                .copied(),
            _ => self.by_post.get(&(office, role)).copied(),
        }
    }
}

/// When a step happens: a booking some calendar days before reception, or
/// a working-day offset from the reception day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Day {
    BookedBefore(i64),
    Working(u32),
}

/// One step of a planned path.
#[derive(Clone, Copy, Debug)]
struct Step {
    to: State,
    role: Role,
    day: Day,
    note: Option<&'static str>,
}

/// The detours of one path.
#[derive(Clone, Copy, Debug, Default)]
struct Variant {
    booked_by: Option<Role>,
    citizen_cancels: bool,
    refused: bool,
    capture_pending: bool,
    commune: bool,
    commune_rejects: bool,
    centre_rejects: Option<Role>,
    rejection_unresolved: bool,
    admin_cancels: bool,
    stuck_at_centre: bool,
    posted: bool,
    never_collected: bool,
}

impl Variant {
    fn random(rng: &mut StdRng) -> Self {
        let p = |rng: &mut StdRng, per_mille: u32| rng.random_range(0..1000) < per_mille;
        let booked = p(rng, 350);
        Variant {
            booked_by: booked.then(|| {
                if p(rng, 600) {
                    Role::Citizen
                } else {
                    Role::Receptionist
                }
            }),
            citizen_cancels: booked && p(rng, 30),
            refused: p(rng, 15),
            capture_pending: p(rng, 5),
            commune: p(rng, 250),
            commune_rejects: p(rng, 40),
            centre_rejects: p(rng, 30).then(|| {
                if p(rng, 500) {
                    Role::Processor
                } else {
                    Role::Approver
                }
            }),
            rejection_unresolved: p(rng, 150),
            admin_cancels: p(rng, 4),
            stuck_at_centre: p(rng, 8),
            posted: p(rng, 120),
            never_collected: p(rng, 15),
        }
    }

    /// A variant whose path passes through `target`.
    fn through(target: State) -> Self {
        let mut v = Variant::default();
        match target {
            State::Booked => v.booked_by = Some(Role::Citizen),
            State::Cancelled => {
                v.booked_by = Some(Role::Citizen);
                v.citizen_cancels = true;
            }
            State::Refused => v.refused = true,
            State::CommuneVerification => v.commune = true,
            State::Rejected => v.centre_rejects = Some(Role::Approver),
            State::Posted => v.posted = true,
            _ => {}
        }
        v
    }

    fn steps(&self) -> Vec<Step> {
        use State as S;
        let step = |to, role, wd, note| Step {
            to,
            role,
            day: Day::Working(wd),
            note,
        };
        let mut out = Vec::with_capacity(12);
        if let Some(by) = self.booked_by {
            out.push(Step {
                to: S::Booked,
                role: by,
                day: Day::BookedBefore(3),
                note: None,
            });
            if self.citizen_cancels {
                out.push(Step {
                    to: S::Cancelled,
                    role: Role::Citizen,
                    day: Day::BookedBefore(1),
                    note: Some("Công dân hủy lịch hẹn"),
                });
                return out;
            }
        }
        if self.refused {
            if self.booked_by.is_none() {
                out.push(step(S::Received, Role::Receptionist, 0, None));
            }
            out.push(step(
                S::Refused,
                Role::Receptionist,
                0,
                Some("Chưa đủ điều kiện cấp thẻ: thiếu giấy tờ chứng minh nơi thường trú"),
            ));
            return out;
        }
        out.push(step(S::Received, Role::Receptionist, 0, None));
        if self.capture_pending {
            // The citizen must come back (fingerprints could not be taken).
            return out;
        }
        out.push(step(S::Captured, Role::Receptionist, 0, None));
        out.push(step(S::SlipIssued, Role::Receptionist, 0, None));
        let mut wd = 1;
        if self.commune {
            out.push(step(S::CommuneVerification, Role::Receptionist, 0, None));
            if self.commune_rejects {
                out.push(step(
                    S::Rejected,
                    Role::CommunePolice,
                    1,
                    Some("Nơi thường trú khai báo chưa khớp Cơ sở dữ liệu quốc gia về dân cư"),
                ));
                out.push(step(
                    S::CommuneVerification,
                    Role::Receptionist,
                    2,
                    Some("Đã bổ sung xác nhận thông tin cư trú"),
                ));
                wd = 3;
            }
            out.push(step(S::SentToCentre, Role::CommunePolice, wd, None));
        } else {
            out.push(step(S::SentToCentre, Role::Receptionist, 0, None));
        }
        if self.stuck_at_centre {
            return out;
        }
        if let Some(role) = self.centre_rejects {
            out.push(step(
                S::Rejected,
                role,
                wd + 1,
                Some("Ảnh chân dung không đạt yêu cầu (đeo kính)"),
            ));
            if self.rejection_unresolved {
                // The citizen has not come back for a new photo yet.
                return out;
            }
            out.push(step(
                S::SentToCentre,
                Role::Receptionist,
                wd + 2,
                Some("Đã chụp lại ảnh chân dung"),
            ));
            wd += 2;
        }
        if self.admin_cancels {
            out.push(step(
                S::Cancelled,
                Role::Admin,
                wd + 1,
                Some("Hủy theo đề nghị của công dân (trùng hồ sơ)"),
            ));
            return out;
        }
        out.push(step(S::Approved, Role::Approver, wd + 2, None));
        out.push(step(S::Printed, Role::Printer, wd + 3, None));
        out.push(step(S::Dispatched, Role::Dispatcher, wd + 4, None));
        if self.posted {
            out.push(step(S::Posted, Role::ReturnOfficer, wd + 6, None));
            out.push(step(S::Returned, Role::ReturnOfficer, wd + 8, None));
        } else {
            out.push(step(S::ReadyForPickup, Role::ReturnOfficer, wd + 6, None));
            if !self.never_collected {
                out.push(step(S::Returned, Role::ReturnOfficer, wd + 9, None));
            }
        }
        out
    }
}

/// Reason weights (lý do) in percent, for dossiers of every kind.
const REASONS: &[(Reason, u32)] = &[
    (Reason::Age, 30),
    (Reason::FirstIssue, 22),
    (Reason::CmndConversion, 14),
    (Reason::Lost, 12),
    (Reason::Damaged, 6),
    (Reason::OnRequest, 6),
    (Reason::CardError, 4),
    (Reason::NameChange, 2),
    (Reason::FeaturesChange, 2),
    (Reason::BoundaryChange, 2),
];

/// Draws dossiers; caches the rules' answers per day.
pub struct DossierGen<'a> {
    cal: &'a WorkingCalendar,
    actors: Actors,
    offices: Vec<u16>,
    now: i64,
    deadlines: HashMap<Date, Option<(Vec<StageDeadline>, Date)>>,
    fees: HashMap<(Reason, Date), Option<(IssueKind, u32)>>,
    codes: HashSet<u64>,
    reasons: Vec<Reason>,
    reason_weights: rand::distr::weighted::WeightedIndex<u32>,
}

fn local(date: Date, minute: u16) -> i64 {
    let dt = date.at((minute / 60) as i8, (minute % 60) as i8, 0, 0);
    dt.to_zoned(TimeZone::fixed(offset(7)))
        .map_or(0, |z| z.timestamp().as_second())
}

impl<'a> DossierGen<'a> {
    /// A generator receiving at `offices`, with events no later than `now`
    /// (epoch seconds).
    pub fn new(
        cal: &'a WorkingCalendar,
        actors: Actors,
        offices: Vec<u16>,
        now: i64,
    ) -> anyhow::Result<Self> {
        let (reasons, weights): (Vec<Reason>, Vec<u32>) = REASONS.iter().copied().unzip();
        Ok(Self {
            cal,
            actors,
            offices,
            now,
            deadlines: HashMap::new(),
            fees: HashMap::new(),
            codes: HashSet::new(),
            reasons,
            reason_weights: rand::distr::weighted::WeightedIndex::new(weights)?,
        })
    }

    fn deadlines_on(&mut self, d: Date) -> Option<(Vec<StageDeadline>, Date)> {
        let cal = self.cal;
        self.deadlines
            .entry(d)
            .or_insert_with(|| {
                let e = rules::deadlines(d, Receiver::Office, cal).ok()?;
                let stages = e
                    .value
                    .stages
                    .iter()
                    .map(|s| StageDeadline {
                        stage: s.stage,
                        due: s.due,
                    })
                    .collect();
                Some((stages, e.value.promised_date))
            })
            .clone()
    }

    fn fee_on(&mut self, reason: Reason, d: Date) -> Option<(IssueKind, u32)> {
        *self.fees.entry((reason, d)).or_insert_with(|| {
            let regime = Regime::on(d).ok()?;
            let (kind, _) = rules::kind_for(reason, regime);
            let f = rules::fee(kind, reason, &[], d, Channel::InPerson).ok()?;
            Some((kind, f.value.amount_vnd))
        })
    }

    /// A dossier for `citizen` received on a working day `received` at a
    /// random office, following a random path; `None` when nothing of its
    /// path has happened yet, or the day is outside the rules' range.
    pub fn random(
        &mut self,
        rng: &mut StdRng,
        citizen: CitizenId,
        received: Date,
    ) -> Option<SeedDossier> {
        let v = Variant::random(rng);
        let office = self.offices[rng.random_range(0..self.offices.len())];
        self.build(rng, citizen, office, received, &v.steps())
    }

    /// A dossier in state `target` (its path cut after the first step into
    /// it), received on `received` at `office`.
    pub fn in_state(
        &mut self,
        rng: &mut StdRng,
        citizen: CitizenId,
        office: u16,
        received: Date,
        target: State,
    ) -> Option<SeedDossier> {
        let mut steps = Variant::through(target).steps();
        let cut = steps.iter().position(|s| s.to == target)?;
        steps.truncate(cut + 1);
        self.build(rng, citizen, office, received, &steps)
    }

    fn build(
        &mut self,
        rng: &mut StdRng,
        citizen: CitizenId,
        office: u16,
        received: Date,
        steps: &[Step],
    ) -> Option<SeedDossier> {
        let (deadlines, promised_on) = self.deadlines_on(received)?;
        let mut reason = self.reasons[rand::distr::Distribution::sample(&self.reason_weights, rng)];
        let (kind, fee) = match self.fee_on(reason, received) {
            Some(k) => k,
            None => {
                reason = Reason::Age;
                self.fee_on(reason, received)?
            }
        };
        let mut events = Vec::with_capacity(steps.len());
        let mut last: Option<(Date, u16)> = None;
        let mut from = None;
        for (i, s) in steps.iter().enumerate() {
            let date = match s.day {
                Day::BookedBefore(n) => received.checked_sub(jiff::Span::new().days(n)).ok()?,
                Day::Working(0) => received,
                Day::Working(n) => self.cal.add_working_days(received, n).ok()?,
            };
            let minute = match last {
                Some((d, m)) if d == date => (m + rng.random_range(5..40)).min(23 * 60),
                _ => rng.random_range(450..960),
            };
            last = Some((date, minute));
            let at = local(date, minute);
            if at > self.now {
                break;
            }
            events.push(EventRecord {
                seq: i as i64 + 1,
                at,
                actor: self.actors.actor(s.role, office),
                actor_role: s.role,
                from,
                to: s.to,
                note: s.note.map(str::to_owned),
                kind: EventKind::Transition,
            });
            from = Some(s.to);
        }
        if events.is_empty() {
            return None;
        }
        let code = loop {
            let c = DossierCode::new(
                u32::from(office),
                received,
                rng.random_range(0..DossierCode::RANDOM_SPACE),
            )
            .ok()?;
            if self.codes.insert(c.to_u64()) {
                break c;
            }
        };
        Some(SeedDossier {
            code,
            kind,
            reason: Some(reason),
            office,
            citizen,
            fee_vnd: fee,
            exemption: None,
            charged: None,
            received_on: received,
            deadlines,
            promised_on,
            events,
        })
    }

    /// A random working day between `from` and `to` (inclusive), or `to`.
    pub fn working_day_between(&self, rng: &mut StdRng, from: Date, to: Date) -> Date {
        let span = (to - from).get_days().max(0);
        for _ in 0..16 {
            let d = from
                .checked_add(jiff::Span::new().days(rng.random_range(0..=span)))
                .unwrap_or(to);
            if self.cal.is_working_day(d).is_ok_and(|s| s.working) {
                return d;
            }
        }
        to
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cancuoc_core::dossier::workflow::replay;
    use rand::SeedableRng;

    fn gen_at(now_date: Date) -> DossierGen<'static> {
        DossierGen::new(
            WorkingCalendar::official(),
            Actors::default(),
            vec![11, 12],
            // Mid-morning: today's dossiers are part-way through reception.
            local(now_date, 10 * 60),
        )
        .expect("gen")
    }

    #[test]
    fn random_paths_replay_and_cover_every_state() {
        let today = Date::new(2026, 11, 20).expect("date");
        let mut g = gen_at(today);
        let mut rng = StdRng::seed_from_u64(1);
        let from = Date::new(2026, 10, 20).expect("date");
        // Up to a week ahead: appointments booked but not yet due.
        let until = Date::new(2026, 11, 27).expect("date");
        let mut states = HashSet::new();
        for i in 0..5000 {
            let d = g.working_day_between(&mut rng, from, until);
            let Some(s) = g.random(&mut rng, CitizenId(i), d) else {
                continue;
            };
            let core: Vec<_> = s.events.iter().map(EventRecord::to_core).collect();
            let state = replay(&core).expect("replays");
            states.insert(state);
            assert!(s.events.iter().all(|e| e.at <= g.now));
            assert_eq!(u32::from(s.office), s.code.office());
        }
        for st in State::ALL {
            assert!(states.contains(&st), "{st:?} never reached");
        }
    }

    #[test]
    fn in_state_ends_in_the_target() {
        let today = Date::new(2026, 11, 20).expect("date");
        let mut g = gen_at(today);
        let mut rng = StdRng::seed_from_u64(2);
        for target in State::ALL {
            let received = g
                .cal
                .add_working_days(Date::new(2026, 10, 1).expect("date"), 1)
                .expect("wd");
            let s = g
                .in_state(&mut rng, CitizenId(1), 11, received, target)
                .unwrap_or_else(|| panic!("{}", target.code()));
            let core: Vec<_> = s.events.iter().map(EventRecord::to_core).collect();
            assert_eq!(replay(&core).expect("replays"), target);
        }
    }
}
