//! Work queues and the overdue dashboard (hàng đợi công việc, bảng theo dõi
//! hồ sơ quá hạn).
//!
//! A role's queue is read off the workflow table: the states from which the
//! role takes a step (cancellations aside), each within the office scope the
//! table requires of it — the receiving office, the commune police's
//! district, or every office for the NPD centre. Each item carries the due
//! date of the stage it waits in and the working days left on the official
//! calendar. Bulk steps (in, chuyển phát, phê duyệt, nhận thẻ về) go through
//! [`Service::transition`] one dossier at a time, each with its own version
//! and idempotency key, so one stale or misplaced item never stops the rest.
//!
//! The dashboard counts open dossiers per office against their promised
//! dates with the same window as [`Service::deadline_watch`], lists the
//! longest overdue of the whole scope with one store query
//! (`Store::overdue_in_scope`), each item classified as `deadline_watch`
//! classifies it, and classifies the hand-overs of the last 30 days with
//! `rules::classify_with`.

use std::collections::BTreeMap;

use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::queue::{
    DueDates, DueKind, QUEUE_ROLES, QueueKind, bulk_roles, may_bulk, queue_kinds,
};
use cancuoc_core::dossier::workflow::{Role, Scope, State};
use cancuoc_core::rules::{self, Timeliness, deadline::Stage};
use cancuoc_store::{
    Dossier, OfficeLevel, OfficeScope, Officer, QueueCursor, QueueEntry, TransitionOutcome,
};
use jiff::civil::Date;

use super::{Action, Service, ServiceError, TransitionCommand, WatchItem};

/// Items per queue page.
pub const QUEUE_PAGE: u32 = 50;
/// Most items in a bulk request.
pub const BULK_MAX: usize = 200;
/// Late dossiers listed on the dashboard (the counts cover all of them).
pub const LATE_LIST_MAX: usize = 100;
/// The dashboard's look-back for finished dossiers, in days.
pub const FINISHED_DAYS: i64 = 30;

/// The due date of the stage `d` waits in, and which deadline it is
/// ([`cancuoc_core::dossier::workflow::queue::stage_due`] on its stored
/// dates).
pub fn stage_due(d: &Dossier) -> (Date, DueKind) {
    let stages: Vec<(Stage, Date)> = d.deadlines.iter().map(|s| (s.stage, s.due)).collect();
    cancuoc_core::dossier::workflow::queue::stage_due(DueDates {
        state: d.state,
        received_on: d.received_on,
        stages: &stages,
        promised_on: d.promised_on,
    })
}

/// One dossier in a work queue.
#[derive(Clone, Debug)]
pub struct QueueItem {
    /// The dossier and the applicant's name.
    pub entry: QueueEntry,
    /// The receiving office's name.
    pub office_name: String,
    /// The due date of its stage.
    pub due: Date,
    /// Which deadline that is.
    pub due_kind: DueKind,
    /// Working days from today to the due date on the official calendar;
    /// negative when past it (`None` outside the calendar's years).
    pub working_days_left: Option<i32>,
    /// Past its due date (quá hạn).
    pub late: bool,
}

/// A page of an officer's work queue.
#[derive(Clone, Debug)]
pub struct WorkQueue {
    /// The officer's role.
    pub role: Role,
    /// The offices covered; `None` when the officer's office is not where
    /// the role works (e.g. an approver outside the NPD centre).
    pub scope: Option<OfficeScope>,
    /// Every kind of work of the role with how many dossiers wait in it.
    pub kinds: Vec<(QueueKind, i64)>,
    /// The kind shown.
    pub selected: Option<QueueKind>,
    /// Its items on this page, most urgent first.
    pub items: Vec<QueueItem>,
    /// Where the next page starts, if there is one.
    pub next: Option<QueueCursor>,
    /// The day the days left are counted from.
    pub today: Date,
}

/// The outcome of one dossier of a bulk request.
#[derive(Debug)]
pub struct BulkResult {
    /// Mã hồ sơ.
    pub code: DossierCode,
    /// The transition, or why it was refused.
    pub outcome: Result<TransitionOutcome, ServiceError>,
}

/// Open and finished dossiers of one office against their promised dates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OfficeLine {
    /// Số hiệu đơn vị.
    pub office: u16,
    /// Tên đơn vị.
    pub name: String,
    /// Open, within schedule (đang xử lý, đúng hạn).
    pub on_time: i64,
    /// Open, due within the at-risk window (sắp đến hạn).
    pub at_risk: i64,
    /// Open, past the promised date (quá hạn).
    pub late: i64,
    /// Cards ready at the office or posted, not yet collected (chờ công dân
    /// nhận): the offices' deadline is met; how long the citizen takes is
    /// theirs, shown apart and never counted late.
    pub awaiting_pickup: i64,
    /// Cards that became ready (for pickup, or posted) in the look-back
    /// window on or before the promised date.
    pub finished_on_time: i64,
    /// Cards that became ready in the look-back window after the promised
    /// date.
    pub finished_late: i64,
}

impl OfficeLine {
    /// Open dossiers whose deadline is running.
    pub fn open(&self) -> i64 {
        self.on_time + self.at_risk + self.late
    }
    /// Finished dossiers.
    pub fn finished(&self) -> i64 {
        self.finished_on_time + self.finished_late
    }
}

/// One late dossier on the dashboard.
#[derive(Clone, Debug)]
pub struct LateItem {
    /// The receiving office's name.
    pub office_name: String,
    /// The receiving office.
    pub office: u16,
    /// The dossier as `deadline_watch` classified it.
    pub item: WatchItem,
}

impl LateItem {
    /// Working and calendar days past the promised date.
    pub fn days_late(&self) -> (u32, u32) {
        match self.item.timeliness {
            Timeliness::Late {
                working_days_late,
                calendar_days_late,
                ..
            } => (working_days_late, calendar_days_late),
            _ => (0, 0),
        }
    }
}

/// The overdue dashboard of an officer (bảng theo dõi hồ sơ quá hạn).
#[derive(Clone, Debug)]
pub struct OverdueDashboard {
    /// The day it was computed for.
    pub today: Date,
    /// The at-risk window in working days.
    pub at_risk_working_days: u32,
    /// The first day of the finished look-back.
    pub finished_since: Date,
    /// The offices covered.
    pub scope: OfficeScope,
    /// One line per office with open or recently finished dossiers, most
    /// late first.
    pub lines: Vec<OfficeLine>,
    /// The sums of every line.
    pub totals: OfficeLine,
    /// Late dossiers, oldest promise first, at most [`LATE_LIST_MAX`].
    pub late: Vec<LateItem>,
}

impl Service {
    /// The offices whose dossiers `officer` works on in a queue: the
    /// workflow scope of the role's steps read on the office tree.
    pub fn queue_scope(&self, officer: &Officer) -> Option<OfficeScope> {
        let tree = self.offices();
        let own = tree.get(officer.office)?;
        let scope = queue_kinds(officer.role)
            .first()
            .and_then(|k| k.steps.first())
            .map(|t| t.scope)?;
        match scope {
            Scope::ReceivingOffice => Some(OfficeScope::Office(own.code)),
            Scope::ResidenceCommune => match own.level {
                OfficeLevel::Commune => own.parent.map(OfficeScope::Office),
                OfficeLevel::District
                    if !tree
                        .all()
                        .any(|o| o.parent == Some(own.code) && o.level == OfficeLevel::Commune) =>
                {
                    Some(OfficeScope::Office(own.code))
                }
                _ => None,
            },
            Scope::Centre => (own.level == OfficeLevel::NpdCentre).then_some(OfficeScope::All),
            Scope::Any => Some(OfficeScope::All),
            Scope::Holder => None,
        }
    }

    /// A page of the officer's work queue (hàng đợi): the counts of every
    /// kind of work of the role, and the items of `state` (default: the
    /// first kind with dossiers waiting) from `after`, most urgent first.
    pub async fn work_queue(
        &self,
        officer: &Officer,
        state: Option<State>,
        after: Option<QueueCursor>,
    ) -> Result<WorkQueue, ServiceError> {
        let kinds = queue_kinds(officer.role);
        if kinds.is_empty() {
            return Err(ServiceError::RoleNotAllowed {
                action: Action::WorkQueue,
                role: officer.role,
                allowed: QUEUE_ROLES,
            });
        }
        if let Some(s) = state
            && !kinds.iter().any(|k| k.state == s)
        {
            return Err(ServiceError::invalid(
                "state",
                format!(
                    "vai trò \"{}\" không xử lý hồ sơ ở trạng thái \"{}\"",
                    officer.role.label_vi(),
                    s.label_vi()
                ),
                format!(
                    "role \"{}\" does not handle dossiers in state \"{}\"",
                    officer.role.label_en(),
                    s.label_en()
                ),
            ));
        }
        let today = self.today();
        let scope = self.queue_scope(officer);
        let Some(scope) = scope else {
            return Ok(WorkQueue {
                role: officer.role,
                scope: None,
                kinds: kinds.into_iter().map(|k| (k, 0)).collect(),
                selected: None,
                items: Vec::new(),
                next: None,
                today,
            });
        };
        let states: Vec<State> = kinds.iter().map(|k| k.state).collect();
        let counts = self.store.queue_counts(scope, &states).await?;
        let kinds: Vec<(QueueKind, i64)> = kinds
            .into_iter()
            .zip(counts)
            .map(|(k, (_, n))| (k, n))
            .collect();
        let selected = match state {
            Some(s) => kinds.iter().find(|(k, _)| k.state == s),
            None => kinds.iter().find(|(_, n)| *n > 0).or_else(|| kinds.first()),
        }
        .map(|(k, _)| k.clone());
        let (items, next) = match &selected {
            None => (Vec::new(), None),
            Some(k) => {
                let page = self.store.queue(scope, k.state, after, QUEUE_PAGE).await?;
                let next = QueueCursor::next(&page, QUEUE_PAGE);
                let tree = self.offices();
                let items = page
                    .into_iter()
                    .map(|entry| {
                        let (due, due_kind) = stage_due(&entry.dossier);
                        QueueItem {
                            office_name: tree
                                .get(entry.dossier.office)
                                .map_or_else(String::new, |o| o.name.clone()),
                            working_days_left: self.calendar.working_days_between(today, due).ok(),
                            late: due < today,
                            due,
                            due_kind,
                            entry,
                        }
                    })
                    .collect();
                (items, next)
            }
        };
        Ok(WorkQueue {
            role: officer.role,
            scope: Some(scope),
            kinds,
            selected,
            items,
            next,
            today,
        })
    }

    /// Moves each of `items` (code and the version the officer saw) from
    /// `from` to `to` (xử lý hàng loạt), one [`Service::transition`] each
    /// with its own version check and the idempotency key
    /// `hang-doi:{batch}:{code}`, so resubmitting the same form replays the
    /// first answers. One item's refusal never stops the others; the
    /// results come back in the order given.
    pub async fn bulk_transition(
        &self,
        officer: &Officer,
        from: State,
        to: State,
        items: &[(DossierCode, i64)],
        batch: &str,
    ) -> Result<Vec<BulkResult>, ServiceError> {
        if !may_bulk(officer.role, from, to) {
            return Err(ServiceError::RoleNotAllowed {
                action: Action::BulkTransition,
                role: officer.role,
                allowed: bulk_roles(from, to),
            });
        }
        if items.is_empty() || items.len() > BULK_MAX {
            return Err(ServiceError::invalid(
                "items",
                format!("chọn từ 1 đến {BULK_MAX} hồ sơ (đã chọn {})", items.len()),
                format!("select 1 to {BULK_MAX} dossiers ({} selected)", items.len()),
            ));
        }
        let mut results = Vec::with_capacity(items.len());
        for &(code, version) in items {
            let outcome = self
                .transition(
                    officer,
                    TransitionCommand {
                        code,
                        to,
                        note: None,
                        expected_version: version,
                        idempotency_key: Some(format!("hang-doi:{batch}:{code}")),
                        population_data_changed: None,
                        old_document: None,
                        at: None,
                    },
                )
                .await;
            results.push(BulkResult { code, outcome });
        }
        let done = results.iter().filter(|r| r.outcome.is_ok()).count();
        tracing::info!(
            officer = officer.id.0,
            from = from.code(),
            to = to.code(),
            asked = items.len(),
            done,
            "bulk transition"
        );
        Ok(results)
    }

    /// The last day of the at-risk window: open dossiers promised from
    /// `today` up to this day are at risk (sắp đến hạn), the window of
    /// [`Service::deadline_watch`].
    pub fn at_risk_horizon(&self, today: Date) -> Result<Date, ServiceError> {
        Ok(self
            .calendar
            .add_working_days(today, self.at_risk_working_days)?)
    }

    /// The offices the officer's dashboard covers: everything for an
    /// administrator or an officer of the ministry or the NPD centre; the
    /// district a commune verifies for; else the officer's office and the
    /// offices below it.
    pub fn dashboard_scope(&self, officer: &Officer) -> OfficeScope {
        let tree = self.offices();
        let Some(own) = tree.get(officer.office) else {
            return OfficeScope::Office(officer.office);
        };
        if officer.role == Role::Admin
            || matches!(own.level, OfficeLevel::Ministry | OfficeLevel::NpdCentre)
        {
            return OfficeScope::All;
        }
        match (own.level, own.parent) {
            (OfficeLevel::Commune, Some(parent)) => OfficeScope::Office(parent),
            _ => OfficeScope::Subtree(own.code),
        }
    }

    /// The overdue dashboard (bảng theo dõi quá hạn) of the offices the
    /// officer oversees ([`Service::dashboard_scope`]): per office, open
    /// dossiers on time, at risk and late today, cards waiting for their
    /// citizen, and the cards that became ready (for pickup, or posted) in
    /// the last [`FINISHED_DAYS`] days on time or late — measured where
    /// the offices' deadline ends (`State::deadline_running`), not at the
    /// citizen's collection; the longest overdue
    /// dossiers themselves, at most [`LATE_LIST_MAX`], classified as
    /// [`Service::deadline_watch`] classifies them.
    pub async fn overdue_dashboard(
        &self,
        officer: &Officer,
    ) -> Result<OverdueDashboard, ServiceError> {
        let now = self.now();
        let today = super::civil_date_vn(now);
        let horizon = self.at_risk_horizon(today)?;
        let scope = self.dashboard_scope(officer);
        let open = self.store.open_timeliness(scope, today, horizon).await?;
        let since_instant = now.as_second() - FINISHED_DAYS * 86_400;
        let finished = self
            .store
            .finished_since(scope, since_instant, VN_OFFSET_SECS)
            .await?;
        let tree = self.offices();
        let mut lines: BTreeMap<u16, OfficeLine> = BTreeMap::new();
        // The tree decides what an officer may read, whatever the scope's
        // SQL returned.
        let viewable = |office: u16| tree.can_view(officer, office);
        let name = |office: u16| {
            tree.get(office)
                .map_or_else(|| office.to_string(), |o| o.name.clone())
        };
        for o in open.iter().filter(|o| viewable(o.office)) {
            let l = line_of(&mut lines, o.office, &name);
            l.late += o.late;
            l.at_risk += o.at_risk;
            l.awaiting_pickup += o.awaiting_pickup;
            l.on_time += o.open - o.late - o.at_risk - o.awaiting_pickup - o.booked;
        }
        for g in finished.iter().filter(|g| viewable(g.office)) {
            let t = rules::classify_with(
                g.promised_on,
                Some(g.finished_on),
                today,
                self.at_risk_working_days,
                self.calendar,
            )?;
            let l = line_of(&mut lines, g.office, &name);
            match t {
                Timeliness::Late { .. } => l.finished_late += g.count,
                _ => l.finished_on_time += g.count,
            }
        }
        let mut lines: Vec<OfficeLine> = lines.into_values().collect();
        lines.sort_by(|a, b| {
            b.late
                .cmp(&a.late)
                .then(b.at_risk.cmp(&a.at_risk))
                .then(a.office.cmp(&b.office))
        });
        let mut totals = OfficeLine::default();
        for l in &lines {
            totals.on_time += l.on_time;
            totals.at_risk += l.at_risk;
            totals.late += l.late;
            totals.awaiting_pickup += l.awaiting_pickup;
            totals.finished_on_time += l.finished_on_time;
            totals.finished_late += l.finished_late;
        }
        // The longest overdue across the scope, in one query (oldest
        // promise first, then code); the tree filters as above, so the
        // query asks for more than the list shows, in case the tree and the
        // database's office rows disagree.
        let mut late = Vec::new();
        for d in self
            .store
            .overdue_in_scope(scope, today, 2 * LATE_LIST_MAX as u32)
            .await?
            .into_iter()
            .filter(|d| viewable(d.office))
            .take(LATE_LIST_MAX)
        {
            late.push(LateItem {
                office_name: name(d.office),
                office: d.office,
                item: self.watch_item(d, today)?,
            });
        }
        Ok(OverdueDashboard {
            today,
            at_risk_working_days: self.at_risk_working_days,
            finished_since: super::civil_date_vn(
                jiff::Timestamp::from_second(since_instant).unwrap_or(now),
            ),
            scope,
            lines,
            totals,
            late,
        })
    }
}

/// The dashboard line of `office`, made on first use.
fn line_of<'a>(
    lines: &'a mut BTreeMap<u16, OfficeLine>,
    office: u16,
    name: &impl Fn(u16) -> String,
) -> &'a mut OfficeLine {
    lines.entry(office).or_insert_with(|| OfficeLine {
        office,
        name: name(office),
        ..OfficeLine::default()
    })
}

/// Vietnam's offset from UTC in seconds (UTC+7 all year).
const VN_OFFSET_SECS: i32 = 7 * 3600;
