//! The citizens' channels as pure policy (kênh hỏi đáp): the one dialogue
//! every channel speaks — the hotline's voice menu, Zalo and Messenger
//! chat — and the notification texts pushed to citizens. Each channel's
//! adapter (`cancuoc-channels`) only verifies, parses and renders; what is
//! understood, asked and answered is decided here, over data:
//!
//! - [`understand`]: free text as people type it (a code with spaces, no
//!   diacritics, "CCCD của tôi làm xong chưa", the six-line form) → an
//!   [`understand::Intent`];
//! - [`dialogue`]: the chat conversation, a small state machine whose
//!   state is stored between messages; lookups it cannot do itself (the
//!   store's) come back as a [`Need`] the service answers;
//! - [`hotline`]: the Ministry hotline's menus and opening hours as dated
//!   data with their sources, and [`ivr`], the voice menu walked key by
//!   key, rendered by the adapters to TwiML or Stringee SCCO;
//! - [`speech`]: dates, numbers and codes written the way a Vietnamese
//!   voice reads them;
//! - [`answers`]: procedure, fees and deadlines worded from the rules
//!   engine (never hand-copied figures);
//! - [`notify`]: the ASCII texts of the stage notifications.

pub mod answers;
pub mod dialogue;
pub mod hotline;
pub mod ivr;
pub mod notify;
pub mod speech;
pub mod understand;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::dossier::code::DossierCode;
use crate::dossier::workflow::State;
use crate::person::PartialDate;

/// A channel a citizen reaches the offices through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The hotline's voice menu (tổng đài), any telephony provider.
    Ivr,
    /// A Zalo Official Account (Zalo OA).
    Zalo,
    /// A Facebook Page's Messenger.
    Messenger,
    /// Text messages (notifications only).
    Sms,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 4] = [
        Channel::Ivr,
        Channel::Zalo,
        Channel::Messenger,
        Channel::Sms,
    ];

    /// The stable code, as stored and audited: `ivr`, `zalo`, `messenger`, `sms`.
    pub fn code(self) -> &'static str {
        match self {
            Channel::Ivr => "ivr",
            Channel::Zalo => "zalo",
            Channel::Messenger => "messenger",
            Channel::Sms => "sms",
        }
    }

    /// The channel of a stored code.
    pub fn from_code(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// A button or quick reply offered under a reply: what it says, and the
/// text it sends back when tapped (read by [`understand`] like typed text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// The label (at most 20 characters: Messenger cuts quick replies there).
    pub title: String,
    /// What a tap sends back.
    pub payload: String,
}

/// One message of the bot, in the conversation's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// The text (at most 2000 characters: Zalo's and Messenger's limit).
    pub text: String,
    /// Buttons or quick replies offered under it (at most 13).
    pub choices: Vec<Choice>,
}

/// Something a turn of the dialogue needs from outside the pure core (the
/// store, through the service) before it can answer. `Debug` masks the ID
/// number.
#[derive(Clone, PartialEq, Eq)]
pub enum Need {
    /// Nothing: the turn's replies are the whole answer.
    Nothing,
    /// The status of a dossier by its code.
    StatusByCode(DossierCode),
    /// The status of the latest dossier of a person without the code: the
    /// personal ID (12 digits) or old CMND (9 digits) number and the date
    /// of birth, matched against the population record, and in chat the
    /// name the citizen gave (compared without diacritics or case).
    StatusByPerson {
        /// The 12-digit personal ID or 9-digit CMND number, digits only.
        number: String,
        /// The date of birth as typed.
        dob: PartialDate,
        /// The full name, when the channel asked for it.
        name: Option<String>,
    },
    /// The offices (hours, hotline, address) of a province or commune,
    /// found by a search text (folded, as `text::search_key` folds).
    Offices {
        /// What the citizen typed, e.g. `Hoàn Kiếm`, `ha noi`.
        place: String,
    },
    /// A human officer: the conversation goes to the officers' chat inbox.
    Human,
}

impl std::fmt::Debug for Need {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Need::Nothing => f.write_str("Nothing"),
            Need::StatusByCode(c) => f.debug_tuple("StatusByCode").field(c).finish(),
            Need::StatusByPerson { number, dob, name } => f
                .debug_struct("StatusByPerson")
                .field("number", &crate::id::mask_any(number))
                .field("dob", dob)
                .field("name", &name.as_ref().map(|_| "<given>"))
                .finish(),
            Need::Offices { place } => f.debug_struct("Offices").field("place", place).finish(),
            Need::Human => f.write_str("Human"),
        }
    }
}

/// What a status answer may tell, in any channel: the state and its
/// dates, the receiving office's name and hotline — nothing else personal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusFacts {
    /// The dossier code, when the citizen gave it (never read back when
    /// the dossier was found by ID number and date of birth).
    pub code: Option<DossierCode>,
    /// The state.
    pub state: State,
    /// The appointment day while only booked.
    pub appointment_on: Option<Date>,
    /// The promised return date (none while booked, refused, cancelled).
    pub promised_on: Option<Date>,
    /// The day the card became ready or was posted.
    pub ready_on: Option<Date>,
    /// Whether it is past its promised date with the deadline running.
    pub overdue: bool,
    /// The office that answers for the dossier today.
    pub office_name: String,
    /// That office's hotline.
    pub office_hotline: String,
}

/// An office as a channel tells it: where, when, which number to call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfficeFacts {
    /// The office's name.
    pub name: String,
    /// Its address.
    pub address: String,
    /// Its hotline.
    pub hotline: String,
    /// Its opening hours, in words (`Thứ Hai–Thứ Sáu 7:30–11:30, 13:30–17:00`).
    pub hours: String,
}
