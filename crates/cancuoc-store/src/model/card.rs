//! Cards (thẻ Căn cước / thẻ CCCD) issued to a citizen. A citizen has at most
//! one active card (a partial unique index enforces it); issuing a new one
//! marks the previous active card replaced in the same transaction.

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
    pub const ALL: [CardState; 4] = [Self::Active, Self::Replaced, Self::Lost, Self::Void];
    /// Stable code stored in the database.
    pub const fn code(self) -> &'static str {
        match self {
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
}
