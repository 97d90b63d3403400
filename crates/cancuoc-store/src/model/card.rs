//! Cards (thẻ Căn cước / thẻ CCCD) issued to a citizen. A citizen has at most
//! one active card (a partial unique index enforces it); issuing a new one
//! marks the previous active card replaced in the same transaction.
//!
//! In the workflow (migration 0018) a card is made when its dossier reaches
//! "printed" ([`CardState::Printed`], from a [`NewCard`] the service
//! personalised), becomes active when the dossier is "returned" (the
//! previous active card becomes replaced, naming its successor), and can be
//! reported lost at once; [`CardStatusRow`] is what the relying parties'
//! status lookup reads: state, dates and model, nothing personal.

use cancuoc_core::card::CardModel;
use jiff::civil::Date;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

use super::citizen::CitizenId;
use crate::error::StoreError;

/// The state of a card (tình trạng thẻ).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CardState {
    /// Đã in: made at the printing centre, not yet in the citizen's hands.
    Printed,
    /// Còn hiệu lực: the card in use.
    Active,
    /// Đã được thay thế: superseded by a newer card (renewal, re-issue).
    Replaced,
    /// Đã báo mất.
    Lost,
    /// Đã hủy / thu hồi.
    Void,
}

impl CardState {
    /// Every state.
    pub const ALL: [CardState; 5] = [
        Self::Printed,
        Self::Active,
        Self::Replaced,
        Self::Lost,
        Self::Void,
    ];
    /// Stable code stored in the database.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Printed => "printed",
            Self::Active => "active",
            Self::Replaced => "replaced",
            Self::Lost => "lost",
            Self::Void => "void",
        }
    }
}

impl fmt::Display for CardState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for CardState {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.code() == s)
            .ok_or_else(|| StoreError::corrupt("cards.state", s))
    }
}

/// The database id of a card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct CardId(pub i64);

/// A stored card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Card {
    /// Database id.
    pub id: CardId,
    /// Số thẻ: the personal ID number printed on it.
    pub number: String,
    /// The holder.
    pub citizen: CitizenId,
    /// Ngày cấp.
    pub issued_on: Date,
    /// Có giá trị đến; `None` for a card that does not expire (issued after 60).
    pub expires_on: Option<Date>,
    /// Tình trạng.
    pub state: CardState,
    /// The dossier whose "printed" step made it (`None` for a card issued
    /// outside the workflow: the seeder, older data).
    pub dossier: Option<i64>,
    /// Mẫu thẻ: the 2021 CCCD or the 2024 Căn cước (workflow cards).
    #[serde(serialize_with = "model_code")]
    pub model: Option<CardModel>,
    /// The three MRZ lines as printed, joined by `\n`.
    pub mrz: Option<String>,
    /// The QR payload as printed.
    pub qr_payload: Option<String>,
    /// SHA-256 of the chip's EF.SOD, lowercase hex; `None` when no
    /// document signer was configured when it was printed.
    pub sod_digest: Option<String>,
    /// When it was printed, epoch seconds.
    pub printed_at: Option<i64>,
    /// When it was handed over and became active, epoch seconds.
    pub activated_at: Option<i64>,
    /// When its state last changed, epoch seconds.
    pub state_changed_at: Option<i64>,
    /// When it was reported lost, epoch seconds.
    pub lost_at: Option<i64>,
    /// Why (as the reporter wrote it).
    pub lost_reason: Option<String>,
    /// The officer who recorded the loss (`None`: the holder, or not lost).
    pub lost_by: Option<super::officer::OfficerId>,
    /// The card that replaced it.
    pub replaced_by: Option<CardId>,
}

/// The card a dossier's "printed" step makes (thẻ đã in), as the service
/// personalised it; passed in [`crate::TransitionRequest::card`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCard {
    /// Số thẻ: must be the dossier's citizen's personal ID (checked).
    pub number: String,
    /// Ngày cấp (the printed day in Vietnam).
    pub issued_on: Date,
    /// Có giá trị đến, from the rules; `None` = no expiry.
    pub expires_on: Option<Date>,
    /// Mẫu thẻ.
    pub model: CardModel,
    /// The three MRZ lines joined by `\n`.
    pub mrz: String,
    /// The QR payload.
    pub qr_payload: String,
    /// SHA-256 of the chip's EF.SOD; `None` without a document signer.
    pub sod_digest: Option<[u8; 32]>,
}

/// What the public card status reads of a card: its state, dates and model
/// — no name, no birth date, nothing else about the holder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardStatusRow {
    /// Tình trạng.
    pub state: CardState,
    /// Ngày cấp.
    pub issued_on: Date,
    /// Có giá trị đến; `None` = no expiry.
    pub expires_on: Option<Date>,
    /// Mẫu thẻ, when known.
    pub model: Option<CardModel>,
    /// When it was printed, epoch seconds.
    pub printed_at: Option<i64>,
    /// When it became active, epoch seconds.
    pub activated_at: Option<i64>,
    /// When its state last changed, epoch seconds.
    pub state_changed_at: Option<i64>,
    /// When it was reported lost, epoch seconds.
    pub lost_at: Option<i64>,
}

/// A card model as its code (`2021`, `2024`), for [`Card`]'s serialisation.
fn model_code<S: serde::Serializer>(m: &Option<CardModel>, s: S) -> Result<S::Ok, S::Error> {
    match m {
        Some(m) => s.serialize_some(m.as_str()),
        None => s.serialize_none(),
    }
}
