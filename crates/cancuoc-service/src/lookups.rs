//! Public lookups (tra cứu công khai): where a dossier stands, by its code,
//! for anyone who has the slip — the hot status answer of the REST API
//! and the fuller view of the portal's lookup page. Nothing personal
//! beyond a masked name.

use bytes::Bytes;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::State;
use cancuoc_core::rules::{self, Timeliness};
use cancuoc_store::{DossierStatus, EventKind};
use jiff::civil::Date;

use super::{Service, ServiceError, civil_date_vn};

/// A front end's way of writing the public status answer: the REST API's
/// JSON, a chat reply, a line read by the hotline. The service caches
/// rendered answers per renderer type, so one front end never receives
/// another's bytes; a renderer must depend only on its arguments.
pub trait StatusRenderer: 'static {
    /// The answer for `status`, `overdue` on today's date.
    fn render(status: &DossierStatus, overdue: bool) -> Bytes;
}

/// One dated stage of a dossier's public timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicStage {
    /// The state reached.
    pub state: State,
    /// The day it was reached, in Vietnam.
    pub on: Date,
}

/// What the portal shows of a dossier (tình trạng hồ sơ): its status row,
/// the dated stages of its event log (no officer, no note) and whether it
/// is on time.
#[derive(Clone, Debug)]
pub struct PublicDossier {
    /// State, promised date, the receiving office and the masked name.
    pub status: DossierStatus,
    /// The stages reached, oldest first.
    pub stages: Vec<PublicStage>,
    /// On time, at risk or late against the promised date; `None` while
    /// only booked, and for a refused or cancelled dossier.
    pub timeliness: Option<Timeliness>,
}

impl Service {
    /// The public status of a dossier (tra cứu tình trạng hồ sơ) and whether
    /// it is overdue today: the hot path, one indexed store query, run
    /// inline on SQLite files (`Store::status_now`: no driver thread
    /// handoff), through the async pool elsewhere.
    pub async fn status(
        &self,
        code: DossierCode,
    ) -> Result<(cancuoc_store::DossierStatus, bool), ServiceError> {
        let s = match self.store.status_now(code) {
            Some(answer) => answer?,
            None => self.store.status_by_code(code).await?,
        };
        let overdue = s.is_overdue(self.today());
        Ok((s, overdue))
    }

    /// The public status answer of a dossier as renderer `R` writes it
    /// (the status lookup's body): cached on SQLite files per renderer
    /// (`Store::status_cached`, valid across processes and keyed by today's
    /// date in Vietnam), read through the async pool on PostgreSQL
    /// (uncached there: other servers may share the database and no cheap
    /// change signal covers them).
    pub async fn status_answer<R: StatusRenderer>(
        &self,
        code: DossierCode,
    ) -> Result<Bytes, ServiceError> {
        let today = self.today();
        let render = |s: &DossierStatus| R::render(s, s.is_overdue(today));
        match self.store.status_cached::<R>(code, today, render) {
            Some(answer) => Ok(answer?),
            None => Ok(render(&self.store.status_by_code(code).await?)),
        }
    }

    /// The portal's view of a dossier (see [`PublicDossier`]).
    pub async fn public_dossier(&self, code: DossierCode) -> Result<PublicDossier, ServiceError> {
        let (status, _) = self.status(code).await?;
        let d = self.store.dossier(code).await?;
        let day = |at: i64| jiff::Timestamp::from_second(at).ok().map(civil_date_vn);
        let stages = d
            .events
            .iter()
            .filter(|e| e.kind == EventKind::Transition)
            .filter_map(|e| {
                Some(PublicStage {
                    state: e.to,
                    on: day(e.at)?,
                })
            })
            .collect();
        let done = d
            .events
            .iter()
            .find(|e| matches!(e.to, State::ReadyForPickup | State::Posted))
            .and_then(|e| day(e.at));
        let timeliness = match status.state {
            State::Booked | State::Refused | State::Cancelled => None,
            _ => Some(rules::classify(
                status.promised_on,
                done,
                self.today(),
                self.calendar,
            )?),
        };
        Ok(PublicDossier {
            status,
            stages,
            timeliness,
        })
    }
}
