//! The card in the workflow (thẻ trong quy trình): personalised when its
//! dossier reaches "printed", active when handed over, reported lost at
//! once, and its public status for relying parties (banks, telecoms,
//! hospitals).
//!
//! - At "printed" ([`Service::transition`] into `State::Printed`) a
//!   `cancuoc_core::card::Card` is built from the dossier's citizen record
//!   ([`card_of_record`], the one mapping from a record to a card — the
//!   wallet's QR uses it too), issued on the printed day in Vietnam, with
//!   the expiry the rules give for that day and the date of birth
//!   (`rules::card_expiry`) and the model of that day
//!   (`CardModel::for_issue_date`); its MRZ ([`Card::mrz`]) and QR payload
//!   ([`Card::qr_payload`]) are stored with the step, in its transaction,
//!   with the SHA-256 of the chip's EF.SOD when a [`CardPersonalizer`] is
//!   set ([`Service::with_personalizer`]; the chip crate is heavy crypto
//!   and stays out of this crate: the composition root wires its document
//!   signer in). Without one the digest is NULL and the record says so;
//!   a personalizer that fails refuses the step (internal error). A record
//!   that cannot make a card (no personal ID, a date of birth known only
//!   in part, a name the MRZ cannot write) is printed without a card
//!   record, logged.
//! - [`Service::card_status`]: the public answer by number (and issue date
//!   when given) — [`CardStanding`] and a date, nothing else — counted per
//!   client in the same buckets as the dossier status lookup. It is read
//!   from the store on every call (no answer cache), so a card reported
//!   lost shows lost on the next request.
//! - [`Service::report_card_lost`]: an officer at a desk (a receptionist
//!   of an office that receives the public today) or an administrator,
//!   with a reason; the holder reports through their account
//!   ([`Service::account_report_card_lost`]).

use std::sync::Arc;

use cancuoc_core::card::{Card, CardModel};
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::Role;
use cancuoc_core::id::PersonalId;
use cancuoc_core::person::PartialDate;
use cancuoc_core::qr::OldId;
use cancuoc_core::rules::{CardExpiry, Document, DocumentStatus, Expiry, document_status};
use cancuoc_store::{CardState, CardStatusRow, Citizen, NewCard, Officer};
use jiff::Timestamp;
use jiff::civil::Date;

use crate::error::Action;
use crate::guard::Client;
use crate::{Service, ServiceError, civil_date_vn};

/// Writes a card's chip and answers the SHA-256 of its EF.SOD (the
/// document security object the document signer signs). Implemented by
/// the composition root over the chip crate's document signer; the
/// service only stores the digest.
pub trait CardPersonalizer: Send + Sync {
    /// The SHA-256 of the EF.SOD of `card`'s chip, or why it could not be
    /// made.
    fn sod_digest(&self, card: &Card) -> Result<[u8; 32], String>;
}

/// The longest reason for a lost card kept, in characters.
pub const LOST_REASON_MAX: usize = 500;

/// Roles that may report a card lost for its holder.
const LOST_REPORTERS: &[Role] = &[Role::Receptionist, Role::Admin];

/// A card's standing for a relying party.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CardStanding {
    /// Còn giá trị sử dụng.
    Valid,
    /// Phải đổi thẻ: the card's term is over (the rules' "must renew").
    MustRenew,
    /// Hết hạn / hết giá trị (the rules' "expired" or "void").
    Expired,
    /// Đã báo mất: hotlisted.
    Lost,
    /// Đã được thay thế bằng thẻ mới.
    Replaced,
    /// Đã in, chưa trao cho công dân: printed, not handed over yet.
    NotYetIssued,
    /// No card with this number (and issue date), a voided card, or one
    /// the rules cannot place.
    Unknown,
}

impl CardStanding {
    /// Every standing.
    pub const ALL: [CardStanding; 7] = [
        Self::Valid,
        Self::MustRenew,
        Self::Expired,
        Self::Lost,
        Self::Replaced,
        Self::NotYetIssued,
        Self::Unknown,
    ];
    /// Stable code.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::MustRenew => "must_renew",
            Self::Expired => "expired",
            Self::Lost => "lost",
            Self::Replaced => "replaced",
            Self::NotYetIssued => "not_yet_issued",
            Self::Unknown => "unknown",
        }
    }
    /// Vietnamese label.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::Valid => "Còn giá trị sử dụng",
            Self::MustRenew => "Phải đổi thẻ",
            Self::Expired => "Hết hạn",
            Self::Lost => "Đã báo mất",
            Self::Replaced => "Đã được thay thế",
            Self::NotYetIssued => "Đã in, chưa trao cho công dân",
            Self::Unknown => "Không xác định",
        }
    }
    /// English label.
    pub const fn label_en(self) -> &'static str {
        match self {
            Self::Valid => "Valid",
            Self::MustRenew => "Must be renewed",
            Self::Expired => "Expired",
            Self::Lost => "Reported lost",
            Self::Replaced => "Replaced",
            Self::NotYetIssued => "Printed, not yet handed over",
            Self::Unknown => "Unknown",
        }
    }
}

/// The public status of a card: its standing and since when, nothing else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CardStatus {
    /// The standing today.
    pub status: CardStanding,
    /// Since when (Vietnam's date): activation for a valid card, the first
    /// invalid day for one to renew or expired, the report for a lost one,
    /// the change for a replaced one, the printing for one not yet issued;
    /// `None` when unknown.
    pub since: Option<Date>,
}

impl CardStatus {
    const UNKNOWN: CardStatus = CardStatus {
        status: CardStanding::Unknown,
        since: None,
    };
}

/// The civil date in Vietnam of epoch seconds.
fn day_of(secs: Option<i64>) -> Option<Date> {
    secs.and_then(|s| Timestamp::from_second(s).ok())
        .map(civil_date_vn)
}

/// The rules' document for a card issued on `issued` (the regime of its
/// issue date: a CCCD to 30/06/2024, a Căn cước from 01/07/2024).
pub(crate) fn document_of(issued: Date, expiry: CardExpiry) -> Document {
    match CardModel::for_issue_date(issued) {
        CardModel::Cccd2021 => Document::Cccd { issued, expiry },
        CardModel::CanCuoc2024 => Document::CanCuoc { issued, expiry },
    }
}

/// The standing of a stored card on `today`: lost, replaced and not yet
/// issued from the record; an active card's validity from the rules
/// (`rules::document_status` over its printed expiry).
pub(crate) fn standing(row: &CardStatusRow, today: Date) -> CardStatus {
    match row.state {
        CardState::Lost => CardStatus {
            status: CardStanding::Lost,
            since: day_of(row.lost_at.or(row.state_changed_at)),
        },
        CardState::Replaced => CardStatus {
            status: CardStanding::Replaced,
            since: day_of(row.state_changed_at),
        },
        CardState::Printed => CardStatus {
            status: CardStanding::NotYetIssued,
            since: day_of(row.printed_at),
        },
        CardState::Void => CardStatus::UNKNOWN,
        CardState::Active => {
            let expiry = CardExpiry::Printed(match row.expires_on {
                Some(d) => Expiry::On(d),
                None => Expiry::None,
            });
            let doc = document_of(row.issued_on, expiry);
            match document_status(doc, today.max(row.issued_on)) {
                Ok(e) => match e.value {
                    DocumentStatus::Valid { .. } => CardStatus {
                        status: CardStanding::Valid,
                        since: day_of(row.activated_at).or(Some(row.issued_on)),
                    },
                    DocumentStatus::MustRenew { since, .. } => CardStatus {
                        status: CardStanding::MustRenew,
                        since: Some(since),
                    },
                    DocumentStatus::Expired { since } | DocumentStatus::Void { since } => {
                        CardStatus {
                            status: CardStanding::Expired,
                            since: Some(since),
                        }
                    }
                },
                Err(e) => {
                    tracing::warn!(error = %e, "card status: the rules cannot place the card");
                    CardStatus::UNKNOWN
                }
            }
        }
    }
}

/// The card a citizen's record gives, issued on `issue_date` with
/// `expiry_date`: the one mapping from a population record to a card (the
/// workflow's printed card and the wallet's QR both use it). Needs the
/// personal ID and a full date of birth; the features come from the
/// capture when there is one.
pub(crate) fn card_of_record(
    c: &Citizen,
    issue_date: Date,
    expiry_date: Option<Date>,
    identifying_features: &str,
) -> Result<Card, ServiceError> {
    let personal_id = c.personal_id.ok_or_else(|| {
        ServiceError::invalid(
            "citizen",
            "công dân chưa có số định danh cá nhân: chưa thể in thẻ",
            "the citizen has no personal ID number yet: no card can be printed",
        )
    })?;
    let PartialDate::Full(date_of_birth) = c.dob else {
        return Err(ServiceError::invalid(
            "date_of_birth",
            "ngày sinh trong hồ sơ chưa đủ ngày, tháng, năm: chưa thể in thẻ",
            "the record's date of birth lacks the day or month: no card can be printed",
        ));
    };
    let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    Ok(Card {
        personal_id,
        full_name: c.full_name.clone(),
        surname: None,
        date_of_birth,
        sex: c.sex,
        nationality: some(&c.nationality).unwrap_or_else(|| "Việt Nam".to_owned()),
        place_of_origin: c.place_of_origin.clone(),
        place_of_birth: some(&c.birth_registration),
        residence: c.permanent_residence.clone(),
        issue_date,
        expiry_date,
        identifying_features: identifying_features.trim().to_owned(),
        old_id: c.old_cmnd.first().and_then(|n| OldId::parse(n).ok()),
        portrait: None,
        ethnicity: some(&c.ethnicity),
        religion: some(&c.religion),
        father_name: None,
        mother_name: None,
        spouse_name: None,
    })
}

/// A field problem of a card's personalisation.
fn card_problem(field: &'static str, vi: &str, en: String) -> ServiceError {
    ServiceError::invalid(
        field,
        format!("không tạo được thẻ: {vi}"),
        format!("cannot make the card: {en}"),
    )
}

impl Service {
    /// Writes each printed card's chip with `personalizer` and keeps the
    /// SHA-256 of its EF.SOD on the card record (without one, the digest
    /// is NULL).
    pub fn with_personalizer(mut self, personalizer: Arc<dyn CardPersonalizer>) -> Self {
        self.personalizer = Some(personalizer);
        self
    }

    /// Whether printed cards get a chip digest ([`Service::with_personalizer`]).
    pub fn personalizes_chips(&self) -> bool {
        self.personalizer.is_some()
    }

    /// The card a step of dossier `code` into printed at `at` (epoch
    /// seconds) makes: the record's card issued on that day in Vietnam,
    /// its expiry from the rules, its MRZ, QR payload and chip digest.
    pub(crate) async fn personalise_card(
        &self,
        code: DossierCode,
        at: i64,
    ) -> Result<NewCard, ServiceError> {
        let dossier = self.store.dossier(code).await?;
        let c = self.store.citizen(dossier.citizen).await?;
        let issued_on = day_of(Some(at)).unwrap_or_else(|| self.today());
        let expires_on = match cancuoc_core::rules::expiry_date(c.dob, issued_on)? {
            Expiry::On(d) => Some(d),
            Expiry::None => None,
        };
        let features = self
            .store
            .capture(code)
            .await?
            .and_then(|r| r.features().map(|f| f.as_str().to_owned()))
            .unwrap_or_default();
        let card = card_of_record(&c, issued_on, expires_on, &features)?;
        let model = CardModel::for_issue_date(issued_on);
        let mrz = card
            .mrz()
            .map_err(|e| card_problem("full_name", "MRZ", e.to_string()))?;
        let qr_payload = card
            .qr_payload(model)
            .map_err(|e| card_problem("residence", "mã QR", e.to_string()))?;
        let sod_digest = match &self.personalizer {
            None => None,
            Some(p) => Some(p.sod_digest(&card).map_err(|e| {
                ServiceError::Internal(format!("chip personalisation failed: {e}"))
            })?),
        };
        Ok(NewCard {
            number: personal_id_text(&card.personal_id),
            issued_on,
            expires_on,
            model,
            mrz: mrz.lines.join("\n"),
            qr_payload,
            sod_digest,
        })
    }

    /// The public status of the card numbered `number` (tra cứu tình trạng
    /// thẻ), issued on `issued_on` when given (else the holder's current
    /// card), for a relying party: its [`CardStanding`] and since when,
    /// nothing about the holder. Counted per client like the dossier
    /// status lookup (the same buckets and limits). Read from the store on
    /// every call: a report of loss shows at once.
    pub async fn card_status(
        &self,
        number: &PersonalId,
        issued_on: Option<Date>,
        client: Client,
    ) -> Result<CardStatus, ServiceError> {
        self.guards.lookup(client, self.now().as_millisecond())?;
        let row = self
            .store
            .card_status_by_number(number.as_str(), issued_on)
            .await?;
        Ok(match row {
            Some(row) => standing(&row, self.today()),
            None => CardStatus::UNKNOWN,
        })
    }

    /// Reports the card numbered `number` lost for its holder (báo mất
    /// thẻ) — issued on `issued_on` when given, else the holder's active
    /// or printed card — at once, with the officer and `reason` (required,
    /// at most [`LOST_REASON_MAX`] characters), audited. Who may: an
    /// administrator, or a receptionist of an office that receives the
    /// public today (the officer the holder stands before). Answers the
    /// card's new status.
    pub async fn report_card_lost(
        &self,
        officer: &Officer,
        number: &PersonalId,
        issued_on: Option<Date>,
        reason: &str,
    ) -> Result<CardStatus, ServiceError> {
        if !self.may_report_card_lost(officer) {
            return Err(ServiceError::RoleNotAllowed {
                action: Action::ReportCardLost,
                role: officer.role,
                allowed: LOST_REPORTERS,
            });
        }
        let reason = lost_reason(reason)?;
        let row = self
            .store
            .report_card_lost(
                number.as_str(),
                issued_on,
                Some(officer.id),
                &reason,
                self.now_secs(),
            )
            .await?;
        tracing::info!(
            card = %cancuoc_core::id::mask(number),
            officer = officer.id.0,
            "card reported lost"
        );
        Ok(standing(&row, self.today()))
    }

    /// Whether `officer` may report a card lost today: an administrator,
    /// or a receptionist of an office that receives the public (the console
    /// shows its form only to them).
    pub fn may_report_card_lost(&self, officer: &Officer) -> bool {
        match officer.role {
            Role::Admin => true,
            Role::Receptionist => self.offices().receives_applicants(officer, self.today()),
            _ => false,
        }
    }

    /// Reports the card dossier `code`'s printed step made lost (the
    /// console's form on the dossier page), as [`Service::report_card_lost`]
    /// does for its number and issue date; the officer must also be able
    /// to read the dossier's office. No card yet is not found.
    pub async fn report_dossier_card_lost(
        &self,
        officer: &Officer,
        code: DossierCode,
        reason: &str,
    ) -> Result<CardStatus, ServiceError> {
        let card = self.dossier_card(officer, code).await?.ok_or_else(|| {
            ServiceError::Store(cancuoc_store::StoreError::NotFound {
                what: cancuoc_store::Entity::Card,
                key: format!("dossier:{code}"),
            })
        })?;
        let number = PersonalId::parse(&card.number).map_err(|_| {
            ServiceError::Internal(format!("card {} has a malformed number", card.id.0))
        })?;
        self.report_card_lost(officer, &number, Some(card.issued_on), reason)
            .await
    }

    /// The card a dossier's printed step made, for an officer who may read
    /// the dossier's office.
    pub async fn dossier_card(
        &self,
        officer: &Officer,
        code: DossierCode,
    ) -> Result<Option<cancuoc_store::Card>, ServiceError> {
        let status = self.store.status_by_code_primary(code).await?;
        self.check_view(officer, status.office_code).await?;
        Ok(self.store.card_of_dossier(code).await?)
    }
}

/// The personal ID as its 12 digits.
fn personal_id_text(id: &PersonalId) -> String {
    id.as_str().to_owned()
}

/// A lost card's reason: trimmed, required, at most [`LOST_REASON_MAX`]
/// characters.
pub(crate) fn lost_reason(reason: &str) -> Result<String, ServiceError> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(ServiceError::invalid(
            "reason",
            "cần ghi lý do báo mất thẻ",
            "a reason for reporting the card lost is required",
        ));
    }
    let n = r.chars().count();
    if n > LOST_REASON_MAX {
        return Err(ServiceError::invalid(
            "reason",
            format!("lý do dài {n} ký tự, tối đa {LOST_REASON_MAX}"),
            format!("the reason is {n} characters long, at most {LOST_REASON_MAX}"),
        ));
    }
    Ok(r.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn row(state: CardState, expires_on: Option<Date>) -> CardStatusRow {
        CardStatusRow {
            state,
            issued_on: date(2022, 3, 15),
            expires_on,
            model: None,
            printed_at: Some(1_647_000_000),
            activated_at: None,
            state_changed_at: None,
            lost_at: None,
        }
    }

    #[test]
    fn an_active_card_is_valid_through_its_expiry_then_must_be_renewed() {
        let r = row(CardState::Active, Some(date(2030, 5, 17)));
        assert_eq!(
            standing(&r, date(2030, 5, 17)),
            CardStatus {
                status: CardStanding::Valid,
                since: Some(date(2022, 3, 15))
            }
        );
        assert_eq!(
            standing(&r, date(2030, 5, 18)),
            CardStatus {
                status: CardStanding::MustRenew,
                since: Some(date(2030, 5, 18))
            }
        );
        let forever = row(CardState::Active, None);
        assert_eq!(
            standing(&forever, date(2090, 1, 1)).status,
            CardStanding::Valid
        );
    }

    #[test]
    fn the_record_decides_lost_replaced_printed_and_void() {
        assert_eq!(
            standing(&row(CardState::Lost, None), date(2026, 1, 1)).status,
            CardStanding::Lost
        );
        assert_eq!(
            standing(&row(CardState::Replaced, None), date(2026, 1, 1)).status,
            CardStanding::Replaced
        );
        let printed = standing(&row(CardState::Printed, None), date(2026, 1, 1));
        assert_eq!(printed.status, CardStanding::NotYetIssued);
        // 1_647_000_000 is 2022-03-11 12:00 UTC, 19:00 in Vietnam.
        assert_eq!(printed.since, Some(date(2022, 3, 11)));
        assert_eq!(
            standing(&row(CardState::Void, None), date(2026, 1, 1)),
            CardStatus::UNKNOWN
        );
    }

    #[test]
    fn a_reason_is_required_and_bounded() {
        assert!(lost_reason("  ").is_err());
        assert!(lost_reason(&"x".repeat(LOST_REASON_MAX + 1)).is_err());
        assert_eq!(lost_reason(" Mất ví ").expect("ok"), "Mất ví");
    }
}
