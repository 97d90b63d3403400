//! The citizens' channels as stored (kênh hỏi đáp: hotline, Zalo,
//! Messenger, SMS): inbound messages and their inbox, conversations and
//! their transcript, the audit of automatic lookups, the transactional
//! outbox of chat replies and notifications, a dossier's consent to
//! notifications, and the per-channel counts of the dashboard.
//!
//! Channels, kinds and states are their stable codes as plain strings
//! (`zalo`, `reply`, `pending` …): the dialogue and the adapters above
//! decide what they mean. On an SQLite file store the conversations, the
//! lookups, the settings and the replies live in the accounts database
//! beside the main file (`db::connect_accounts`), the notifications and
//! the consent in the main file, written in the transaction of the
//! dossier's step; an [`OutboxId`] says which database its row is in.

use std::fmt;
use std::str::FromStr;

use cancuoc_core::dossier::workflow::State;
use serde::{Deserialize, Serialize};

use crate::error::StoreError;

/// The states whose arrival is notified to a citizen who consented
/// (tiếp nhận, từ chối tiếp nhận, phê duyệt, bị từ chối, chờ trả thẻ, đã
/// gửi bưu điện); an overdue dossier is notified by the sweep
/// ([`crate::Store::enqueue_overdue_notices`]).
pub const NOTIFIED_STATES: [State; 6] = [
    State::Received,
    State::Refused,
    State::Approved,
    State::Rejected,
    State::ReadyForPickup,
    State::Posted,
];

/// The channels a citizen may choose for notifications.
pub const NOTIFY_CHANNELS: [&str; 2] = ["sms", "zalo"];

/// A message as a channel's webhook delivered it, before it is handled
/// ([`crate::Store::receive_inbound`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboundMessage {
    /// The channel's stable code (`zalo`, `messenger` …).
    pub channel: String,
    /// The provider's message id: a retried delivery carries the same one.
    pub message_id: String,
    /// The provider's id of the sender (a Zalo user id, a page-scoped id).
    pub sender: String,
    /// What the citizen wrote (or the payload of the button they tapped).
    pub text: String,
    /// When it was received, epoch seconds.
    pub received_at: i64,
}

/// An inbound message claimed for handling ([`crate::Store::claim_inbound`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InboxItem {
    /// The inbox row, to pass to [`crate::Store::finish_inbound`].
    pub id: i64,
    /// The channel's stable code.
    pub channel: String,
    /// The provider's message id.
    pub message_id: String,
    /// The provider's id of the sender.
    pub sender: String,
    /// What the citizen wrote.
    pub text: String,
    /// When it was received, epoch seconds.
    pub received_at: i64,
    /// How many times it was claimed, this claim included (more than 1:
    /// a handler before this one did not finish it).
    pub attempts: u32,
}

/// A conversation (cuộc trò chuyện) of one sender on one channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConversationRecord {
    /// The conversation's id.
    pub id: i64,
    /// The channel's stable code.
    pub channel: String,
    /// The provider's id of the sender.
    pub sender: String,
    /// The dialogue's state between messages, as the dialogue stored it
    /// (JSON).
    pub state: String,
    /// The office it is about, when the dialogue knows one (whose officers
    /// see it in their inbox).
    pub office_code: Option<u16>,
    /// Whether an officer has it (gặp cán bộ): the bot stays silent.
    pub human: bool,
    /// When it was opened, epoch seconds.
    pub opened_at: i64,
    /// When it last changed, epoch seconds.
    pub updated_at: i64,
}

/// What handling a message makes of its conversation
/// ([`crate::Store::finish_inbound`]): created or replaced with these.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationUpdate {
    /// The channel's stable code (the inbox message's).
    pub channel: String,
    /// The provider's id of the sender (the inbox message's).
    pub sender: String,
    /// The dialogue's state after the message (JSON).
    pub state: String,
    /// The office it is about, if known.
    pub office_code: Option<u16>,
    /// Whether an officer has it now.
    pub human: bool,
}

/// One line of a conversation's transcript.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatLine {
    /// When, epoch seconds.
    pub at: i64,
    /// Whether the citizen wrote it (else it was sent to them).
    pub inbound: bool,
    /// Who wrote it: `citizen`, `bot` or `officer:<id>`.
    pub author: String,
    /// The text, as the officers' console shows it (the service masks
    /// what must not be kept).
    pub text: String,
}

/// A message to send, for the outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOutbound {
    /// The channel's stable code.
    pub channel: String,
    /// Who receives it: the provider's id of the sender, or a phone number.
    pub recipient: String,
    /// `reply` (chat) or `notify` (a dossier's notification).
    pub kind: String,
    /// What the dispatcher renders and sends (JSON).
    pub payload: String,
    /// One row per event: a second message with the same key is not
    /// written (e.g. `reply:<inbox id>:<n>`).
    pub dedupe_key: String,
}

/// The id of an outbox row and the database it lives in. Written `m:12`
/// (the main database) or `s:12` (the channels' side database: the
/// accounts database of an SQLite file store) for the console. Where there
/// is one database (PostgreSQL, in-memory SQLite) every row is `m:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OutboxId {
    /// Whether the row lives in the side database.
    pub side: bool,
    /// The row's id in its database.
    pub id: i64,
}

impl fmt::Display for OutboxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", if self.side { 's' } else { 'm' }, self.id)
    }
}

impl FromStr for OutboxId {
    type Err = StoreError;

    /// Reads `m:<id>` or `s:<id>` (a positive id).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || StoreError::field("outbox_id", format!("{s:?} is not m:<id> or s:<id>"));
        let (db, id) = s.trim().split_once(':').ok_or_else(bad)?;
        let side = match db {
            "m" => false,
            "s" => true,
            _ => return Err(bad()),
        };
        let id: i64 = id.parse().map_err(|_| bad())?;
        if id <= 0 {
            return Err(bad());
        }
        Ok(Self { side, id })
    }
}

impl Serialize for OutboxId {
    /// As its written form, `m:12` or `s:12`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A row of the outbox, claimed for sending or listed as a dead letter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutboxItem {
    /// Its id and database.
    pub id: OutboxId,
    /// The channel's stable code.
    pub channel: String,
    /// Who receives it.
    pub recipient: String,
    /// `reply` or `notify`.
    pub kind: String,
    /// What to render and send (JSON).
    pub payload: String,
    /// How many times it was claimed for sending (this claim included).
    pub attempts: u32,
    /// When it was written, epoch seconds.
    pub created_at: i64,
    /// When it is (or was) due, epoch seconds.
    pub next_at: i64,
    /// The last failure's error, if any.
    pub last_error: Option<String>,
    /// `pending`, `sent` or `dead`.
    pub state: String,
}

/// A citizen's consent to a dossier's notifications (đồng ý nhận thông
/// báo): the number and the channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifyConsent {
    /// The phone number to notify (SMS, or the Zalo account on it).
    pub phone: String,
    /// `sms` or `zalo` (see [`NOTIFY_CHANNELS`]).
    pub channel: String,
}

impl NotifyConsent {
    /// Refuses an empty number or a channel other than `sms` and `zalo`.
    pub(crate) fn check(&self) -> Result<(), StoreError> {
        if self.phone.trim().is_empty() {
            return Err(StoreError::field("notify.phone", "must not be blank"));
        }
        if !NOTIFY_CHANNELS.contains(&self.channel.as_str()) {
            return Err(StoreError::field(
                "notify.channel",
                format!("{:?} is not \"sms\" or \"zalo\"", self.channel),
            ));
        }
        Ok(())
    }
}

/// One automatic lookup a channel made (the audit: tra cứu tự động).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelLookup {
    /// When, epoch seconds.
    pub at: i64,
    /// The channel's stable code.
    pub channel: String,
    /// Who asked (the provider's sender id, the caller's number).
    pub sender: String,
    /// `code` (by dossier code), `person` (by ID number and date of birth)
    /// or `offices`.
    pub kind: String,
    /// What was looked up, masked: a 16-digit dossier code is kept as is,
    /// any other number of 9 digits or more is masked by the store.
    pub target: String,
    /// Whether it found something.
    pub found: bool,
}

/// The dashboard's counts per channel ([`crate::Store::channel_counts`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ChannelCounts {
    /// One row per channel that had anything, by channel code.
    pub rows: Vec<ChannelCountRow>,
}

/// One channel's counts since a given instant.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ChannelCountRow {
    /// The channel's stable code.
    pub channel: String,
    /// Messages received.
    pub inbound: u64,
    /// Automatic lookups made.
    pub lookups: u64,
    /// Of those, the ones that found something.
    pub lookups_found: u64,
    /// Conversations handed to an officer.
    pub human_conversations: u64,
    /// Replies written by officers.
    pub officer_replies: u64,
    /// Messages sent (replies and notifications).
    pub sent: u64,
    /// Messages written since, still pending after a failed try.
    pub failed_pending: u64,
    /// Messages written since that were given up (dead letters).
    pub dead: u64,
}
