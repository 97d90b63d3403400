//! The citizens' channels as use cases (kênh hỏi đáp): the hotline's voice
//! menu, Zalo and Messenger chat, and the notifications pushed by SMS or
//! Zalo. The adapters (`cancuoc-channels`, routes in `cancuoc-server`)
//! verify, parse and render; this module is what happens in between, the
//! same for every channel:
//!
//! - [`Service::channel_receive`] keeps an inbound message in the inbox,
//!   keyed by the provider's message id, so a retried delivery is
//!   recognised and never answered twice; the adapter acknowledges at once.
//! - [`Service::channel_handle_next`] (a worker loop) takes the oldest
//!   waiting message under a lease, runs the dialogue of
//!   `cancuoc_core::channel::dialogue`, answers its lookups (status by code,
//!   status by ID number and date of birth, offices) and writes, in one
//!   transaction, the handled mark, the conversation, its lines, the
//!   lookups' audit rows and the replies into the outbox.
//! - [`Service::ivr_lookup`]: the hotline's lookups, answered inline (a
//!   call waits for its answer), audited the same way.
//! - The officers' chat inbox: a conversation handed to a human
//!   ([`Service::chat_inbox`], [`Service::chat_reply`],
//!   [`Service::chat_close`]).
//! - The outbox ([`Service::claim_outbound`], [`Service::outbound_sent`],
//!   [`Service::outbound_failed`]): replies and notifications delivered by
//!   the dispatcher with retries and back-off; what keeps failing becomes a
//!   dead letter an admin sees and can retry. Notifications are written by
//!   the store in the transaction of the transition that causes them; the
//!   overdue ones by [`Service::sweep_overdue_notices`].
//!
//! A lookup tells the state and its dates, the office and its hotline,
//! nothing else personal; found or not, it is audited with its channel and
//! counted against the sender ([`ChannelSettings::lookups_per_sender`]).

mod inbox;
mod outbox;

pub use inbox::{ChatConversation, Handled};
pub use outbox::{Outbound, OutboundBody};

use cancuoc_core::channel::{Channel, Need, OfficeFacts, StatusFacts};
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::State;
use cancuoc_core::id::PersonalId;
use cancuoc_core::office::OpeningHours;
use cancuoc_core::text::search_key;
use cancuoc_store::ChannelLookup;

use crate::guard::{Strikes, Window};
use crate::{Service, ServiceError};

/// The channels' settings that are not secrets (those stay with the
/// adapters).
#[derive(Clone, Debug)]
pub struct ChannelSettings {
    /// The portal's address as citizens reach it (`https://host`), for the
    /// links a reply carries (booking, lookup).
    pub public_url: String,
    /// Automatic lookups per sender (a chat user, a caller's number): this
    /// many in the window, then refused until it ends.
    pub lookups_per_sender: Window,
    /// Deliveries of one outbox row before it becomes a dead letter.
    pub max_attempts: u32,
}

impl Default for ChannelSettings {
    fn default() -> Self {
        Self {
            public_url: "http://localhost:8080".to_owned(),
            lookups_per_sender: Window {
                max: 20,
                window_secs: 3600,
            },
            max_attempts: 8,
        }
    }
}

/// The channels' state in the service: settings, per-sender throttles and
/// the inbox worker's wake-up.
#[derive(Debug)]
pub(crate) struct ChannelState {
    pub(crate) settings: ChannelSettings,
    pub(crate) senders: Strikes<(Channel, String)>,
    pub(crate) wake: tokio::sync::Notify,
    /// Wakes the dispatcher when replies were queued.
    pub(crate) outbox_wake: tokio::sync::Notify,
}

impl Default for ChannelState {
    fn default() -> Self {
        Self::new(ChannelSettings::default())
    }
}

impl ChannelState {
    pub(crate) fn new(settings: ChannelSettings) -> Self {
        Self {
            senders: Strikes::new(settings.lookups_per_sender),
            settings,
            wake: tokio::sync::Notify::new(),
            outbox_wake: tokio::sync::Notify::new(),
        }
    }
}

/// A looked-up answer, or the sender's throttle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LookupAnswer {
    /// The status found, or `None` when nothing matched.
    Status(Option<StatusFacts>),
    /// Offices found (at most five).
    Offices(Vec<OfficeFacts>),
    /// Too many lookups from this sender: retry after this many seconds.
    Throttled(u64),
}

impl Service {
    /// Sets the channels' settings (links, throttles, attempts).
    pub fn with_channel_settings(mut self, settings: ChannelSettings) -> Self {
        self.channels = ChannelState::new(settings);
        self
    }

    /// The channels' settings in force.
    pub fn channel_settings(&self) -> &ChannelSettings {
        &self.channels.settings
    }

    /// A stored channel secret that rotates (Zalo's access and refresh
    /// tokens), if one was saved.
    pub async fn channel_secret(&self, name: &str) -> Result<Option<String>, ServiceError> {
        Ok(self.store.channel_setting(name).await?)
    }

    /// Saves a rotating channel secret (before it is used).
    pub async fn set_channel_secret(&self, name: &str, value: &str) -> Result<(), ServiceError> {
        Ok(self
            .store
            .set_channel_setting(name, value, self.now_secs())
            .await?)
    }

    /// Per-channel counts since `since` (epoch seconds) for the dashboard.
    pub async fn channel_counts(
        &self,
        since: i64,
    ) -> Result<cancuoc_store::ChannelCounts, ServiceError> {
        Ok(self.store.channel_counts(since).await?)
    }

    /// Answers a lookup `need` of the dialogue for `sender` on `channel`:
    /// counted against the sender, audited with the channel (the caller
    /// writes the returned audit row: in the inbox's transaction for chat,
    /// at once for the hotline). `None` for a need that is not a lookup.
    pub(crate) async fn answer_need(
        &self,
        channel: Channel,
        sender: &str,
        need: &Need,
    ) -> Result<Option<(LookupAnswer, ChannelLookup, Option<u16>)>, ServiceError> {
        let (kind, target) = match need {
            Need::StatusByCode(code) => ("code", code.to_string()),
            Need::StatusByPerson { number, .. } => ("person", masked_number(number)),
            Need::Offices { place } => ("offices", place.chars().take(60).collect()),
            Need::Nothing | Need::Human => return Ok(None),
        };
        let audit = |found: bool| ChannelLookup {
            at: self.now_secs(),
            channel: channel.code().to_owned(),
            sender: sender.to_owned(),
            kind: kind.to_owned(),
            target: target.clone(),
            found,
        };
        if let Need::Offices { place } = need {
            let offices = self.offices_matching(place);
            let found = !offices.is_empty();
            return Ok(Some((LookupAnswer::Offices(offices), audit(found), None)));
        }
        let key = (channel, sender.to_owned());
        if let Err(secs) = self.channels.senders.reserve(&key, self.now_secs()) {
            return Ok(Some((LookupAnswer::Throttled(secs), audit(false), None)));
        }
        let found = match need {
            Need::StatusByCode(code) => self.facts_by_code(*code, true).await?,
            Need::StatusByPerson { number, dob, name } => {
                self.facts_by_person(number, dob, name.as_deref()).await?
            }
            _ => None,
        };
        let office = found.as_ref().map(|(_, office)| *office);
        let facts = found.map(|(facts, _)| facts);
        let hit = facts.is_some();
        Ok(Some((LookupAnswer::Status(facts), audit(hit), office)))
    }

    /// The hotline's lookup for `caller`: answered and audited at once.
    pub async fn ivr_lookup(
        &self,
        caller: &str,
        need: &Need,
    ) -> Result<Option<LookupAnswer>, ServiceError> {
        let Some((answer, audit, _)) = self.answer_need(Channel::Ivr, caller, need).await? else {
            return Ok(None);
        };
        self.store.record_channel_lookup(&audit).await?;
        Ok(Some(answer))
    }

    /// What a status answer may tell of dossier `code` (`None` when it
    /// does not exist), and the office that answers for it; the code is
    /// read back only when `with_code`.
    async fn facts_by_code(
        &self,
        code: DossierCode,
        with_code: bool,
    ) -> Result<Option<(StatusFacts, u16)>, ServiceError> {
        let (public, _) = match self.public_view(code).await {
            Ok(v) => v,
            Err(e) if e.class() == crate::ErrorClass::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let s = &public.status;
        let today = self.today();
        let tree = self.offices();
        let office = tree
            .answering_for(s.office_code, today)
            .or(tree.get(s.office_code));
        let (office_name, office_hotline) = office
            .map(|o| (o.name.clone(), o.hotline.clone()))
            .unwrap_or_default();
        let office_code = office.map_or(s.office_code, |o| o.code);
        let promised = !matches!(s.state, State::Booked | State::Refused | State::Cancelled);
        Ok(Some((
            StatusFacts {
                code: with_code.then_some(code),
                state: s.state,
                appointment_on: (s.state == State::Booked).then_some(public.received_on),
                promised_on: promised.then_some(s.promised_on),
                ready_on: public.ready_on,
                overdue: s.is_overdue(today),
                office_name,
                office_hotline,
            },
            office_code,
        )))
    }

    /// The latest dossier of the person with ID or CMND `number`, born on
    /// `dob`, named `name` when given (compared folded): `None` unless
    /// all of them match one record with a dossier.
    async fn facts_by_person(
        &self,
        number: &str,
        dob: &cancuoc_core::person::PartialDate,
        name: Option<&str>,
    ) -> Result<Option<(StatusFacts, u16)>, ServiceError> {
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        let ids = if digits.len() == 12 {
            match PersonalId::parse(&digits) {
                Ok(pid) => match self.store.public_citizen_by_personal_id(&pid).await {
                    Ok(c) => vec![c],
                    Err(cancuoc_store::StoreError::NotFound { .. }) => Vec::new(),
                    Err(e) => return Err(e.into()),
                },
                Err(_) => Vec::new(),
            }
        } else {
            let mut found = Vec::new();
            for id in self.store.citizens_by_cmnd(&digits).await? {
                found.push(self.store.public_citizen(id).await?);
            }
            found
        };
        let wanted = name.map(search_key);
        for citizen in ids {
            if citizen.dob != *dob {
                continue;
            }
            if let Some(w) = &wanted
                && search_key(&citizen.full_name) != *w
            {
                continue;
            }
            if let Some(code) = self.store.latest_dossier_of(citizen.id).await? {
                return self.facts_by_code(code, false).await;
            }
        }
        Ok(None)
    }

    /// Offices in force today whose name or address matches `place`
    /// (folded), receiving offices first, at most five.
    fn offices_matching(&self, place: &str) -> Vec<OfficeFacts> {
        let key = search_key(place);
        if key.trim().is_empty() {
            return Vec::new();
        }
        let today = self.today();
        let tree = self.offices();
        let mut hits: Vec<_> = tree
            .in_force_on(today)
            .filter(|o| {
                search_key(&o.name).contains(key.as_str())
                    || search_key(&o.address).contains(key.as_str())
            })
            .collect();
        hits.sort_by_key(|o| (!o.receives_public_on(today), o.code));
        hits.into_iter()
            .take(5)
            .map(|o| OfficeFacts {
                name: o.name.clone(),
                address: o.address.clone(),
                hotline: o.hotline.clone(),
                hours: hours_text(&o.opening_hours),
            })
            .collect()
    }
}

/// A number as an audit row may keep it: the project's one masking rule
/// (`id::mask_any`) over its digits.
fn masked_number(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    cancuoc_core::id::mask_any(&digits)
}

/// Opening hours in one line, consecutive days with the same hours joined:
/// `T2–T6 07:30–11:30, 13:30–17:00; T7 07:30–11:30`.
pub fn hours_text(h: &OpeningHours) -> String {
    use jiff::civil::Weekday::*;
    const DAYS: [(jiff::civil::Weekday, &str); 7] = [
        (Monday, "T2"),
        (Tuesday, "T3"),
        (Wednesday, "T4"),
        (Thursday, "T5"),
        (Friday, "T6"),
        (Saturday, "T7"),
        (Sunday, "CN"),
    ];
    let spans = |d| {
        h.on(d)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < DAYS.len() {
        let s = spans(DAYS[i].0);
        let mut j = i;
        while j + 1 < DAYS.len() && spans(DAYS[j + 1].0) == s {
            j += 1;
        }
        if !s.is_empty() {
            let days = if i == j {
                DAYS[i].1.to_owned()
            } else {
                format!("{}–{}", DAYS[i].1, DAYS[j].1)
            };
            parts.push(format!("{days} {s}"));
        }
        i = j + 1;
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_audit_rows_are_masked() {
        assert_eq!(masked_number("079090001234"), "079*******34");
        assert_eq!(masked_number("079 090 001 234"), "079*******34");
        // A 9-digit CMND number shows nothing (the rule's own choice).
        assert_eq!(masked_number("123456789"), "*********");
        assert_eq!(masked_number("12"), "**");
    }

    #[test]
    fn hours_join_days_with_the_same_hours() {
        let h = OpeningHours::usual_with_saturday_morning();
        let text = hours_text(&h);
        assert!(text.starts_with("T2–T6 "), "{text}");
        assert!(text.contains("; T7 "), "{text}");
        assert!(!text.contains("CN"), "{text}");
    }
}
