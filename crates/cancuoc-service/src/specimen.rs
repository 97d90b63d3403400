//! The card of a dossier as a `cancuoc_core::card::Card` (thẻ của hồ sơ),
//! for drawing its specimen in the console (`cancuoc-web`'s
//! `/can-bo/ho-so/{code}/the-mau`).
//!
//! The card is built by the one mapping from a record to a card
//! (`cards::card_of_record`, which the printed step uses), with the issue
//! date, expiry and model of the card record the printed step made. A
//! dossier printed before card records existed (older data, the demo's
//! seeded dossiers) has no record: its card is then built as the printed
//! step would have built it on the day of its "printed" event (expiry from
//! the rules for that day, the model of that day). A dossier that never
//! reached "printed" has no card.

use cancuoc_core::card::{Card, CardModel};
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::State;
use cancuoc_core::rules::Expiry;
use cancuoc_store::{Officer, ReadPurpose};

use crate::cards::card_of_record;
use crate::{Service, ServiceError};

impl Service {
    /// The card of dossier `code` and its model, for an officer who may
    /// read the dossier's office (the same scope as the dossier page). The
    /// applicant's record is read in full and audited (purpose `dossier`,
    /// the read of the dossier's applicant). Refused (invalid) before the
    /// dossier reached "printed".
    pub async fn dossier_card_specimen(
        &self,
        officer: &Officer,
        code: DossierCode,
    ) -> Result<(Card, CardModel), ServiceError> {
        let dossier = self.dossier(officer, code).await?;
        let Some(printed) = dossier.events.iter().find(|e| e.to == State::Printed) else {
            return Err(ServiceError::invalid(
                "code",
                format!("thẻ của hồ sơ {} chưa được in", code.grouped()),
                format!("the card of dossier {} is not printed yet", code.grouped()),
            ));
        };
        let printed_at = printed.at;
        let record = self.store.card_of_dossier(code).await?;
        let citizen = self
            .applicant_read(officer, dossier.citizen, ReadPurpose::Dossier)
            .await?;
        let features = self
            .store
            .capture(code)
            .await?
            .and_then(|r| r.features().map(|f| f.as_str().to_owned()))
            .unwrap_or_default();
        let (issued_on, expires_on, model) = match record {
            Some(r) => (
                r.issued_on,
                r.expires_on,
                r.model
                    .unwrap_or_else(|| CardModel::for_issue_date(r.issued_on)),
            ),
            None => {
                let issued_on = jiff::Timestamp::from_second(printed_at)
                    .map(crate::civil_date_vn)
                    .unwrap_or_else(|_| self.today());
                let expires_on = match cancuoc_core::rules::expiry_date(citizen.dob, issued_on)? {
                    Expiry::On(d) => Some(d),
                    Expiry::None => None,
                };
                (issued_on, expires_on, CardModel::for_issue_date(issued_on))
            }
        };
        let card = card_of_record(&citizen, issued_on, expires_on, &features)?;
        tracing::info!(
            code = %code,
            officer = officer.id.0,
            "card specimen read"
        );
        Ok((card, model))
    }
}
