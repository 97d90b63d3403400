//! The card status answer of `GET /api/v1/cards/{number}/status` and the
//! reports of loss: a standing, a date and the masked number — never a
//! name, a birth date or anything else about the holder.

use cancuoc_service::{CardStanding, CardStatus};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A card's standing for a relying party (tình trạng thẻ).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CardStatusCode {
    /// Còn giá trị sử dụng.
    Valid,
    /// Phải đổi thẻ: past its printed expiry (the holder reached a
    /// renewal age), no longer valid.
    MustRenew,
    /// Hết hạn / hết giá trị under the rules.
    Expired,
    /// Đã báo mất: hotlisted, refuse it.
    Lost,
    /// Replaced by a newer card: refuse it.
    Replaced,
    /// Printed, not yet handed over to the holder.
    NotYetIssued,
    /// No card with this number (and issue date) is known as valid.
    Unknown,
}

impl From<CardStanding> for CardStatusCode {
    fn from(s: CardStanding) -> Self {
        match s {
            CardStanding::Valid => Self::Valid,
            CardStanding::MustRenew => Self::MustRenew,
            CardStanding::Expired => Self::Expired,
            CardStanding::Lost => Self::Lost,
            CardStanding::Replaced => Self::Replaced,
            CardStanding::NotYetIssued => Self::NotYetIssued,
            CardStanding::Unknown => Self::Unknown,
        }
    }
}

/// The public status of a card.
#[derive(Debug, Serialize, ToSchema)]
pub struct CardStatusView {
    /// The number asked about, masked: first 3 and last 2 digits
    /// (`079*******45`).
    #[schema(example = "079*******45", pattern = "^[0-9]{3}\\*{7}[0-9]{2}$")]
    pub number_masked: String,
    /// The card's standing today.
    pub status: CardStatusCode,
    /// Since when (Vietnam's date): the hand-over of a valid card, the
    /// first invalid day of one to renew or expired, the report of a lost
    /// one, the change of a replaced one, the printing of one not yet
    /// issued; `null` when unknown.
    #[schema(value_type = Option<String>, format = Date)]
    pub since: Option<Date>,
    /// When this answer was made (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub checked_at: String,
}

impl CardStatusView {
    /// The view of `status` for `number_masked`, checked at `checked_at`.
    pub fn new(number_masked: String, status: CardStatus, checked_at: jiff::Timestamp) -> Self {
        Self {
            number_masked,
            status: status.status.into(),
            since: status.since,
            checked_at: checked_at
                .round(jiff::Unit::Second)
                .unwrap_or(checked_at)
                .to_string(),
        }
    }
}

/// A report of a lost card (báo mất thẻ).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LostCardBody {
    /// Lý do / hoàn cảnh mất thẻ: required, at most 500 characters (else
    /// 422).
    #[schema(min_length = 1, max_length = 500, example = "Mất ví ở bến xe")]
    pub reason: String,
    /// The issue date of the card lost (`YYYY-MM-DD`); without it, the
    /// holder's active card, else their printed one.
    #[schema(value_type = Option<String>, format = Date, nullable = false)]
    pub issued: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_standing_has_its_snake_case_code() {
        for s in CardStanding::ALL {
            let json = serde_json::to_value(CardStatusCode::from(s)).expect("json");
            assert_eq!(json, serde_json::Value::String(s.code().to_owned()));
        }
    }
}
