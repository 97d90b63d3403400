//! Confirmations of an old CMND/CCCD number (cấp Giấy xác nhận số Chứng
//! minh nhân dân, số Căn cước công dân): Circular 59/2021/TT-BCA, Art. 12
//! as seed 004 §5 cites it (the issue names Art. 9–10; the seed's text,
//! quoted with the article, is what the rules data cites). A citizen asks
//! on the portal or at the desk of a receiving office; the office checks
//! its records and issues the confirmation, or answers in writing with the
//! reason, within 7 working days of the complete request
//! (`rules::cmnd_number_confirmation`, from `data/rules/deadlines.toml`).
//!
//! - The request: [`ConfirmationRequest::checked`], the one rule of every
//!   front end's form (each bad field a [`FieldProblem`] in both
//!   languages); [`Service::request_confirmation`] for the portal, behind
//!   the booking's doors (a solved captcha [`Presence`], the client's
//!   booking rate; the same form sent twice answers with the request its
//!   first sending made), to an office that receives the public today;
//!   [`Service::request_confirmation_at_desk`] for a receptionist, at their
//!   own office. The answer is the same whether or not the person or the
//!   number is on record: the portal is not an oracle of the population
//!   database; the officer's check is.
//! - Who checks: [`CONFIRMERS`], the receiving office's reception (and its
//!   commune police, which since 2025 are the receiving office of a
//!   commune): the seed makes "the police office receiving card
//!   applications" look the number up in the card records (tàng thư) and
//!   the population database, which is the desk's work, not the NPD
//!   centre's. Their queue ([`Service::confirmation_queue`]) is their own
//!   office's, waiting requests first, oldest first, each with its due
//!   date and whether it is overdue.
//! - The decision ([`Service::decide_confirmation`]): an approval only when
//!   the record holds the person (personal ID, name, date of birth) and
//!   the old number (`citizen_old_cmnd`), else a precise refusal of the
//!   approval telling the officer to refuse with the reason; a refusal
//!   needs its reason; of two decisions only the first counts.
//! - The result is answered by the ordinary status lookup of the code
//!   (`lookups.rs`); the printed confirmation's content is
//!   [`Service::confirmation_document`] (read audited).

use cancuoc_core::basis::Explained;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::Role;
use cancuoc_core::id::PersonalId;
use cancuoc_core::person::{FullName, PartialDate};
use cancuoc_core::rules;
use cancuoc_store::{
    CaptchaCheck, CodeSource, Confirmation, ConfirmationChannel, ConfirmationDecision,
    ConfirmationStatus, Decided, NewConfirmation, Officer, OldNumber, RecordGap, Verdict,
};
use jiff::civil::Date;

use super::{Service, ServiceError};
use crate::booking::Presence;
use crate::error::{Action, Limit};
use crate::guard::Client;
use crate::registration::FieldProblem;

/// Roles that check old numbers and decide (the receiving office's desk).
pub const CONFIRMERS: &[Role] = &[Role::Receptionist, Role::CommunePolice];

/// Roles that take a request at the desk.
pub const CONFIRMATION_DESK: &[Role] = &[Role::Receptionist];

/// How many requests the console's queue shows.
pub const CONFIRMATION_QUEUE_MAX: u32 = 200;

/// The random part of a request's code (the store draws again on a
/// collision).
fn draw() -> u32 {
    rand::random_range(0..DossierCode::RANDOM_SPACE)
}

/// A request's form as typed (the portal's, the desk's, the API's).
#[derive(Clone, Copy, Debug, Default)]
pub struct ConfirmationForm<'a> {
    /// The receiving office's number (the desk's own office when empty at
    /// the desk).
    pub office: &'a str,
    /// Số định danh cá nhân (spaces allowed).
    pub personal_id: &'a str,
    /// Họ và tên.
    pub full_name: &'a str,
    /// Ngày sinh, as people type it (`15-3-1990`, `15/03/1990`, ISO …).
    pub date_of_birth: &'a str,
    /// Số CMND cũ, 9 or 12 digits (spaces allowed).
    pub old_number: &'a str,
}

/// A checked request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfirmationRequest {
    /// The receiving office; `None` at the desk: the officer's own.
    pub office: Option<u16>,
    /// Số định danh cá nhân.
    pub personal_id: PersonalId,
    /// Họ và tên.
    pub full_name: FullName,
    /// Ngày sinh.
    pub dob: PartialDate,
    /// The old number.
    pub old_number: OldNumber,
}

impl ConfirmationRequest {
    /// What this form claims its challenge `id` for: a request about
    /// this personal ID and old number, the fields that make a form the
    /// same form (a digest of them and the id, kept beside the spent
    /// challenge).
    pub fn challenge_claim(&self, id: &str) -> String {
        crate::captcha::claim_of(
            "cmnd-confirmation",
            id,
            &[self.personal_id.as_str(), self.old_number.as_str()],
        )
    }
}

fn problem(field: &'static str, code: &'static str, vi: String, en: String) -> FieldProblem {
    FieldProblem {
        field,
        code,
        message_vi: vi,
        message_en: en,
    }
}

impl ConfirmationRequest {
    /// The form checked on `today`: every bad field named, in both
    /// languages. An empty office is `None` (the desk's own).
    pub fn checked(form: &ConfirmationForm<'_>, today: Date) -> Result<Self, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let office = match form.office.trim() {
            "" => None,
            o => {
                match o.parse::<u16>() {
                    Ok(c) => Some(c),
                    Err(_) => {
                        problems.push(problem(
                        "office",
                        "confirmation.office",
                        format!("không có đơn vị số {o:?}: hãy chọn nơi tiếp nhận trong danh sách"),
                        format!("there is no office {o:?}: choose the receiving office from the list"),
                    ));
                        None
                    }
                }
            }
        };
        let personal_id = match PersonalId::parse_lenient_input(form.personal_id) {
            Ok(p) => Some(p),
            Err(e) => {
                problems.push(FieldProblem::of("personal_id", &e));
                None
            }
        };
        let full_name = match FullName::parse(form.full_name) {
            Ok(n) => Some(n),
            Err(e) => {
                problems.push(FieldProblem::of("full_name", &e));
                None
            }
        };
        let dob = match PartialDate::parse_typed(form.date_of_birth) {
            _ if form.date_of_birth.trim().is_empty() => {
                problems.push(problem(
                    "date_of_birth",
                    "confirmation.dob_missing",
                    "Hãy nhập ngày sinh (ví dụ 15/03/1990).".to_owned(),
                    "Enter the date of birth (e.g. 15/03/1990).".to_owned(),
                ));
                None
            }
            Ok(d) if !after(&d, today) => Some(d),
            Ok(d) => {
                problems.push(problem(
                    "date_of_birth",
                    "confirmation.dob_future",
                    format!("ngày sinh {d} ở sau hôm nay ({today})"),
                    format!("the date of birth {d} is after today ({today})"),
                ));
                None
            }
            Err(e) => {
                problems.push(FieldProblem::of("date_of_birth", &e));
                None
            }
        };
        let old_number = OldNumber::parse(form.old_number);
        if form.old_number.trim().is_empty() {
            problems.push(problem(
                "old_number",
                "confirmation.old_number_missing",
                "Hãy nhập số CMND cũ (9 hoặc 12 chữ số).".to_owned(),
                "Enter the old ID number (9 or 12 digits).".to_owned(),
            ));
        } else if old_number.is_none() {
            problems.push(problem(
                "old_number",
                "confirmation.old_number",
                format!(
                    "Số CMND cũ phải có 9 hoặc 12 chữ số; đã nhập {:?}",
                    form.old_number.trim()
                ),
                format!(
                    "The old ID number must have 9 or 12 digits; you typed {:?}",
                    form.old_number.trim()
                ),
            ));
        }
        match (personal_id, full_name, dob, old_number) {
            (Some(personal_id), Some(full_name), Some(dob), Some(old_number))
                if problems.is_empty() =>
            {
                Ok(Self {
                    office,
                    personal_id,
                    full_name,
                    dob,
                    old_number,
                })
            }
            _ => Err(problems),
        }
    }
}

/// Whether a (partial) date of birth lies after `today`.
fn after(dob: &PartialDate, today: Date) -> bool {
    match *dob {
        PartialDate::Full(d) => d > today,
        PartialDate::YearMonth { year, month } => (year, month) > (today.year(), today.month()),
        PartialDate::Year(y) => y > today.year(),
    }
}

/// One request of an officer's queue.
#[derive(Clone, Debug)]
pub struct QueuedConfirmation {
    /// The request (no events).
    pub confirmation: Confirmation,
    /// Past its due date and not decided.
    pub overdue: bool,
}

/// What a code's public answer is for a confirmation (nothing of the
/// person, as a dossier's).
#[derive(Clone, Debug)]
pub struct PublicConfirmation {
    /// State, dates, the receiving office.
    pub status: ConfirmationStatus,
    /// Past the due date and not decided.
    pub overdue: bool,
}

/// What the printed confirmation carries (Giấy xác nhận số CMND).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfirmationDocument {
    /// The request's code.
    pub code: DossierCode,
    /// Số định danh cá nhân.
    pub personal_id: PersonalId,
    /// Họ và tên, as on record.
    pub full_name: String,
    /// Ngày sinh, as on record.
    pub dob: PartialDate,
    /// The confirmed old number.
    pub old_number: OldNumber,
    /// The issuing (receiving) office's number.
    pub office_code: u16,
    /// Its name.
    pub office_name: String,
    /// Its address.
    pub office_address: String,
    /// The day of the decision.
    pub decided_on: Date,
    /// The deadline rule the request ran under, with its basis.
    pub deadline: Explained<Date>,
}

impl Service {
    /// The due date of a request received on `received`, with its legal
    /// basis (7 working days on the official calendar).
    pub fn confirmation_deadline(&self, received: Date) -> Result<Explained<Date>, ServiceError> {
        Ok(rules::cmnd_number_confirmation(received, self.calendar)?)
    }

    /// Offices a citizen may address a request to today: those that
    /// receive the public, by level then name.
    pub fn confirmation_offices(&self) -> Vec<cancuoc_store::Office> {
        let mut v: Vec<_> = self.offices().receiving_on(self.today()).cloned().collect();
        v.sort_by(|a, b| (a.level, &a.name).cmp(&(b.level, &b.name)));
        v
    }

    /// A citizen's request on the portal: the office must receive the
    /// public today; the captcha is spent (a typo in it costs nothing else),
    /// then the client's booking rate is counted. The same form sent again
    /// answers with the request its first sending made.
    pub async fn request_confirmation(
        &self,
        req: ConfirmationRequest,
        presence: Presence<'_>,
        client: Client,
    ) -> Result<Confirmation, ServiceError> {
        let today = self.today();
        let office = req.office.ok_or_else(|| {
            ServiceError::invalid(
                "office",
                "hãy chọn nơi tiếp nhận yêu cầu",
                "choose the office to receive the request",
            )
        })?;
        let receives = self
            .offices_knowing(office)
            .await?
            .get(office)
            .is_some_and(|o| o.receives_public_on(today));
        if !receives {
            return Err(ServiceError::invalid(
                "office",
                format!("đơn vị số {office} không tiếp nhận công dân hôm nay: hãy chọn nơi khác"),
                format!("office {office} does not receive the public today: choose another"),
            ));
        }
        let (id, answer) = match presence {
            Presence::Captcha { id, answer } => (id, answer),
        };
        // Spent with this form's claim: the same form sent again (after a
        // crash cut it off before its request was stored, too) gets the
        // request its challenge holds, or stores it now.
        let claim = req.challenge_claim(id);
        let (personal_id, old_number) = (req.personal_id, req.old_number.clone());
        let same = |c: &Confirmation| c.personal_id == personal_id && c.old_number == old_number;
        let spent = self.form_challenge(id, answer, &claim).await?;
        if spent.resumable || spent.check == CaptchaCheck::Used {
            if let Some(c) = self.store.confirmation_by_presence(id).await?
                && same(&c)
            {
                return Ok(c);
            }
            if !spent.resumable || !self.claim_held(id, &claim).await? {
                return Err(ServiceError::Captcha(CaptchaCheck::Used));
            }
        } else if spent.check != CaptchaCheck::Solved {
            return Err(ServiceError::Captcha(spent.check));
        }
        let g = &self.guards;
        let made = match g.take(
            &g.bookings,
            Limit::Bookings,
            client,
            self.now().as_millisecond(),
        ) {
            Ok(()) => {
                self.insert_request(req, office, ConfirmationChannel::Portal, None, Some(id))
                    .await
            }
            Err(e) => Err(e),
        };
        match made {
            Ok(c) => Ok(c),
            Err(e) => match self.store.confirmation_by_presence(id).await? {
                // Sent twice at once: the other sending stored it.
                Some(c) if same(&c) => Ok(c),
                Some(_) => Err(ServiceError::Captcha(CaptchaCheck::Used)),
                None => {
                    self.refused_for_good(id, &claim, &e).await;
                    Err(e)
                }
            },
        }
    }

    /// A request taken at the desk by a receptionist, for their own office.
    pub async fn request_confirmation_at_desk(
        &self,
        officer: &Officer,
        req: ConfirmationRequest,
    ) -> Result<Confirmation, ServiceError> {
        allowed(officer, CONFIRMATION_DESK)?;
        if let Some(o) = req.office
            && o != officer.office
        {
            return Err(out_of_scope(officer, o));
        }
        self.insert_request(
            req,
            officer.office,
            ConfirmationChannel::Desk,
            Some(officer),
            None,
        )
        .await
    }

    async fn insert_request(
        &self,
        req: ConfirmationRequest,
        office: u16,
        channel: ConfirmationChannel,
        officer: Option<&Officer>,
        presence: Option<&str>,
    ) -> Result<Confirmation, ServiceError> {
        let today = self.today();
        let due = self.confirmation_deadline(today)?;
        let mut source = draw;
        Ok(self
            .store
            .request_confirmation(NewConfirmation {
                code: CodeSource::Random(&mut source),
                office,
                personal_id: req.personal_id,
                full_name: req.full_name.into_string(),
                dob: req.dob,
                old_number: req.old_number,
                channel,
                received_on: today,
                promised_on: due.value,
                at: self.now_secs(),
                actor: officer.map(|o| o.id),
                presence: presence.filter(|p| !p.is_empty()).map(str::to_owned),
            })
            .await?)
    }

    /// The officer's queue: their office's requests, waiting ones first,
    /// oldest first, then the decided ones.
    pub async fn confirmation_queue(
        &self,
        officer: &Officer,
    ) -> Result<Vec<QueuedConfirmation>, ServiceError> {
        allowed(officer, CONFIRMERS)?;
        let today = self.today();
        Ok(self
            .store
            .confirmation_queue(officer.office, CONFIRMATION_QUEUE_MAX)
            .await?
            .into_iter()
            .map(|c| QueuedConfirmation {
                overdue: c.is_overdue(today),
                confirmation: c,
            })
            .collect())
    }

    /// One request of the officer's office, with its events.
    pub async fn confirmation_for(
        &self,
        officer: &Officer,
        code: DossierCode,
    ) -> Result<Confirmation, ServiceError> {
        allowed(officer, CONFIRMERS)?;
        let c = self.store.confirmation(code).await?;
        if c.office != officer.office {
            return Err(out_of_scope(officer, c.office));
        }
        Ok(c)
    }

    /// Approves or refuses a request (see the module docs). An approval
    /// the record does not support is refused with what is missing and
    /// what to do (refuse with the reason); a second decision is a
    /// conflict.
    pub async fn decide_confirmation(
        &self,
        officer: &Officer,
        code: DossierCode,
        verdict: Verdict,
    ) -> Result<Confirmation, ServiceError> {
        allowed(officer, CONFIRMERS)?;
        if let Verdict::Refuse(r) = &verdict
            && r.trim().is_empty()
        {
            return Err(ServiceError::invalid(
                "reason",
                "từ chối phải nêu rõ lý do (trả lời công dân bằng văn bản)",
                "a refusal must state its reason (the citizen is answered in writing)",
            ));
        }
        // Scope first, so an officer of another office learns nothing of
        // the record.
        self.confirmation_for(officer, code).await?;
        let decided = self
            .store
            .decide_confirmation(&ConfirmationDecision {
                code,
                officer: officer.id,
                verdict,
                at: self.now_secs(),
                on: self.today(),
            })
            .await?;
        match decided {
            Decided::Done(c) => Ok(*c),
            Decided::NotOnRecord(gap) => Err(not_on_record(gap)),
        }
    }

    /// The printed confirmation's content (approved requests only), read
    /// for an officer of the receiving office and audited.
    pub async fn confirmation_document(
        &self,
        code: DossierCode,
        officer: &Officer,
    ) -> Result<ConfirmationDocument, ServiceError> {
        self.confirmation_for(officer, code).await?;
        let p = self
            .store
            .confirmation_print(code, officer.id, self.now_secs())
            .await?;
        let c = p.confirmation;
        let decided_on = c.decided_on.unwrap_or(c.received_on);
        let office = self.office(c.office).await?;
        Ok(ConfirmationDocument {
            code: c.code,
            personal_id: c.personal_id,
            full_name: p.full_name,
            dob: p.dob,
            old_number: c.old_number,
            office_code: c.office,
            office_name: office.name,
            office_address: office.address,
            decided_on,
            deadline: self.confirmation_deadline(c.received_on)?,
        })
    }

    /// The public answer of a confirmation's code, uncounted (the lookups
    /// count before they ask).
    pub(crate) async fn public_confirmation(
        &self,
        code: DossierCode,
    ) -> Result<PublicConfirmation, ServiceError> {
        let status = self.store.confirmation_status(code).await?;
        Ok(PublicConfirmation {
            overdue: status.is_overdue(self.today()),
            status,
        })
    }
}

fn allowed(officer: &Officer, roles: &'static [Role]) -> Result<(), ServiceError> {
    if roles.contains(&officer.role) {
        Ok(())
    } else {
        Err(ServiceError::RoleNotAllowed {
            action: Action::ConfirmCmnd,
            role: officer.role,
            allowed: roles,
        })
    }
}

fn out_of_scope(officer: &Officer, office: u16) -> ServiceError {
    ServiceError::OutOfScope {
        action: Action::ConfirmCmnd,
        officer_office: officer.office,
        target_office: office,
    }
}

/// The refusal of an approval the record does not support: what is
/// missing, and that the request is to be refused with the reason.
fn not_on_record(gap: RecordGap) -> ServiceError {
    let (vi, en) = match gap {
        RecordGap::NoCitizen => (
            "không có công dân mang số định danh này trong cơ sở dữ liệu",
            "no citizen with this personal ID is on record",
        ),
        RecordGap::NameOrBirthDate => (
            "họ tên hoặc ngày sinh trong yêu cầu khác với hồ sơ công dân",
            "the name or date of birth of the request differs from the citizen's record",
        ),
        RecordGap::OldNumber => (
            "số CMND cũ này không có trong hồ sơ của công dân",
            "this old ID number is not on the citizen's record",
        ),
    };
    ServiceError::invalid(
        "old_number",
        format!(
            "Không thể xác nhận: {vi}. Hãy tra cứu tàng thư; nếu không có căn cứ, chọn \"Từ chối\" và nêu rõ lý do."
        ),
        format!(
            "Cannot confirm: {en}. Check the card records; without grounds, choose \"Refuse\" and state the reason."
        ),
    )
}
