//! Inbound chat messages (tin nhắn đến): kept in the inbox on arrival,
//! handled from it by a worker, and the officers' side of a conversation
//! handed to a human.

use cancuoc_core::channel::dialogue::{self, Context, Conversation, Step};
use cancuoc_core::channel::{Channel, Need, Reply, hotline};
use cancuoc_store::{
    ChatLine, ConversationRecord, ConversationUpdate, InboundMessage, NewOutbound, Officer,
};

use super::LookupAnswer;
use crate::{Service, ServiceError};

/// Seconds a worker holds an inbox message before another may take it
/// (a worker that crashed mid-way).
const INBOX_LEASE_SECS: i64 = 60;

/// Handlings of one inbound message before it is given up on.
const MAX_INBOX_ATTEMPTS: u32 = 5;

/// What handling one inbox message did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handled {
    /// The conversation it belongs to.
    pub conversation: i64,
    /// The replies queued for the sender (none while an officer holds the
    /// conversation).
    pub replies: Vec<Reply>,
}

/// A conversation as the officers' inbox shows it.
#[derive(Clone, Debug)]
pub struct ChatConversation {
    /// The conversation.
    pub record: ConversationRecord,
    /// Its lines, oldest first (the last 200).
    pub lines: Vec<ChatLine>,
}

impl Service {
    /// Keeps an inbound message (already verified by its adapter) in the
    /// inbox: `true` when new, `false` for a retried delivery of one
    /// already kept (acknowledged, never answered twice). Wakes the worker.
    pub async fn channel_receive(
        &self,
        channel: Channel,
        message_id: &str,
        sender: &str,
        text: &str,
    ) -> Result<bool, ServiceError> {
        let text: String = text.chars().take(4000).collect();
        let new = self
            .store
            .receive_inbound(&InboundMessage {
                channel: channel.code().to_owned(),
                message_id: message_id.to_owned(),
                sender: sender.to_owned(),
                text,
                received_at: self.now_secs(),
            })
            .await?;
        if new {
            self.channels.wake.notify_one();
        }
        Ok(new)
    }

    /// Waits until an inbound message may be waiting (or `max` elapses):
    /// the worker's sleep between empty polls.
    pub async fn channel_wait(&self, max: std::time::Duration) {
        let _ = tokio::time::timeout(max, self.channels.wake.notified()).await;
    }

    /// Waits until replies may have been queued (or `max` elapses): the
    /// dispatcher's sleep between empty polls (notifications queued by a
    /// transition are found at the next poll).
    pub async fn outbound_wait(&self, max: std::time::Duration) {
        let _ = tokio::time::timeout(max, self.channels.outbox_wake.notified()).await;
    }

    /// Handles the oldest waiting inbound message, if any (see the module
    /// docs): `None` when the inbox is empty.
    pub async fn channel_handle_next(&self) -> Result<Option<Handled>, ServiceError> {
        let now = self.now_secs();
        let Some(item) = self.store.claim_inbound(now, INBOX_LEASE_SECS).await? else {
            return Ok(None);
        };
        let Some(channel) = Channel::from_code(&item.channel) else {
            return Err(ServiceError::Internal(format!(
                "inbox row {} has an unknown channel",
                item.id
            )));
        };
        let record = self.store.conversation(&item.channel, &item.sender).await?;
        let mut conv: Conversation = record
            .as_ref()
            .and_then(|r| serde_json::from_str(&r.state).ok())
            .unwrap_or_default();
        let mut office = record.as_ref().and_then(|r| r.office_code);
        let mut human = record.as_ref().is_some_and(|r| r.human);
        // The transcript keeps no full ID number (nor any run of 9 digits
        // or more): officers read it, and it outlives the lookup.
        let mut lines = vec![ChatLine {
            at: now,
            inbound: true,
            author: "citizen".to_owned(),
            text: cancuoc_core::id::mask_numbers(&item.text).into_owned(),
        }];
        let mut replies = Vec::new();
        let mut lookups = Vec::new();
        // A message whose handling failed this many times (a bug, a store
        // fault that keeps coming back) is kept in the transcript for the
        // officers and not tried again.
        let poisoned = item.attempts > MAX_INBOX_ATTEMPTS;
        if poisoned {
            tracing::warn!(
                id = item.id,
                attempts = item.attempts,
                "an inbound message failed too often: kept without an answer"
            );
        }
        // An officer holds the conversation: the bot stays silent (outside
        // office hours the conversation waits in the inbox, but the bot
        // keeps answering meanwhile: `dialogue::handoff_reply`).
        if conv.step != Step::Human && !poisoned {
            let base = self.channels.settings.public_url.trim_end_matches('/');
            // Prefilled with the office the conversation is about, when it
            // takes appointments (the booking page reads `tinh`, `don_vi`).
            let booking_url = match office.and_then(|c| self.booking_prefill(c)) {
                Some(query) => format!("{base}/dat-lich?{query}"),
                None => format!("{base}/dat-lich"),
            };
            let lookup_url = format!("{base}/tra-cuu");
            let ctx = Context {
                today: self.today(),
                calendar: self.calendar,
                booking_url: &booking_url,
                lookup_url: &lookup_url,
            };
            let turn = dialogue::respond(&mut conv, &item.text, &ctx);
            replies.extend(turn.replies);
            match &turn.need {
                Need::Nothing => {}
                Need::Human => {
                    human = true;
                    let open = self.officers_on_duty(office);
                    replies.push(dialogue::handoff_reply(&mut conv, open));
                }
                need => {
                    if let Some((answer, audit, found_office)) =
                        self.answer_need(channel, &item.sender, need).await?
                    {
                        lookups.push(audit);
                        office = found_office.or(office);
                        replies.push(match answer {
                            LookupAnswer::Status(facts) => {
                                dialogue::status_reply(&mut conv, facts.as_ref(), &ctx)
                            }
                            LookupAnswer::Offices(list) => {
                                dialogue::offices_reply(&mut conv, &list)
                            }
                            LookupAnswer::Throttled(secs) => dialogue::throttled_reply(&conv, secs),
                        });
                    }
                }
            }
        }
        let mut outbound = Vec::with_capacity(replies.len());
        for (i, reply) in replies.iter().enumerate() {
            lines.push(ChatLine {
                at: now,
                inbound: false,
                author: "bot".to_owned(),
                text: reply.text.clone(),
            });
            outbound.push(reply_row(
                channel,
                &item.sender,
                reply,
                Some(&item.message_id),
                format!("reply:{}:{}:{i}", channel.code(), item.message_id),
            )?);
        }
        let update = ConversationUpdate {
            channel: item.channel.clone(),
            sender: item.sender.clone(),
            state: serde_json::to_string(&conv)
                .map_err(|e| ServiceError::Internal(format!("conversation state: {e}")))?,
            office_code: office,
            human,
        };
        let conversation = self
            .store
            .finish_inbound(item.id, &update, &lines, &outbound, &lookups, now)
            .await?;
        if !outbound.is_empty() {
            self.channels.outbox_wake.notify_one();
        }
        Ok(Some(Handled {
            conversation,
            replies,
        }))
    }

    /// The conversations an officer's inbox shows: those handed to a human,
    /// of the officer's office or not yet given one (every office for an
    /// admin), newest first.
    pub async fn chat_inbox(
        &self,
        officer: &Officer,
        human_only: bool,
    ) -> Result<Vec<ConversationRecord>, ServiceError> {
        require_answerer(officer)?;
        let office = (officer.role != cancuoc_core::dossier::workflow::Role::Admin)
            .then_some(officer.office);
        Ok(self.store.conversations(human_only, office, 100).await?)
    }

    /// One conversation with its lines, for an officer who may see it.
    pub async fn chat_conversation(
        &self,
        officer: &Officer,
        id: i64,
    ) -> Result<ChatConversation, ServiceError> {
        let record = self.store.conversation_by_id(id).await?;
        self.check_chat_scope(officer, &record).await?;
        let lines = self.store.chat_lines(id, 200).await?;
        Ok(ChatConversation { record, lines })
    }

    /// An officer's answer in a conversation handed to a human: a line and
    /// a reply in the outbox, in one transaction.
    pub async fn chat_reply(
        &self,
        officer: &Officer,
        id: i64,
        text: &str,
    ) -> Result<(), ServiceError> {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > 2000 {
            return Err(ServiceError::invalid(
                "text",
                format!(
                    "câu trả lời cần từ 1 đến 2000 ký tự, nhận được {}",
                    text.chars().count()
                ),
                format!(
                    "the answer needs 1 to 2000 characters, got {}",
                    text.chars().count()
                ),
            ));
        }
        let record = self.store.conversation_by_id(id).await?;
        self.check_chat_scope(officer, &record).await?;
        let Some(channel) = Channel::from_code(&record.channel) else {
            return Err(ServiceError::Internal(format!(
                "conversation {id} has an unknown channel"
            )));
        };
        let now = self.now_secs();
        let reply = Reply {
            text: text.to_owned(),
            choices: Vec::new(),
        };
        let row = reply_row(
            channel,
            &record.sender,
            &reply,
            None,
            format!("officer:{id}:{now}:{}", short_hash(text)),
        )?;
        self.store
            .officer_reply(id, officer.id, text, &row, now)
            .await?;
        self.channels.outbox_wake.notify_one();
        // An officer answers: the bot stays silent from now on (a
        // conversation handed over outside office hours kept the bot on).
        let mut conv: Conversation = serde_json::from_str(&record.state).unwrap_or_default();
        if conv.step != Step::Human {
            conv.step = Step::Human;
            let state = serde_json::to_string(&conv)
                .map_err(|e| ServiceError::Internal(format!("conversation state: {e}")))?;
            self.store.set_conversation_state(id, &state, now).await?;
        }
        Ok(())
    }

    /// The booking page's query for office `code` (`tinh=…&don_vi=…`) when
    /// it takes appointments today.
    fn booking_prefill(&self, code: u16) -> Option<String> {
        let tree = self.offices();
        let today = self.today();
        let office = tree.get(code)?;
        if !office.receives_public_on(today) || office.daily_capacity == 0 {
            return None;
        }
        let mut province = office;
        while province.level != cancuoc_store::OfficeLevel::Province {
            province = tree.get(province.parent?)?;
        }
        Some(format!("tinh={}&don_vi={code}", province.code))
    }

    /// Whether officers answer now: the conversation's office open now on
    /// a working day, or without an office, the hotline's operators.
    fn officers_on_duty(&self, office: Option<u16>) -> bool {
        let local = self.now().to_zoned(crate::vietnam());
        let (date, time) = (local.date(), local.datetime());
        let working = self.calendar.is_working_day(date).is_ok_and(|d| d.working);
        let minute = i32::from(time.hour()) * 60 + i32::from(time.minute());
        let open = match office.and_then(|c| self.offices().get(c).cloned()) {
            Some(o) => o
                .opening_hours
                .on(date.weekday())
                .iter()
                .any(|r| i32::from(r.opens()) <= minute && minute < i32::from(r.closes())),
            None => hotline::menu_on(date).open_at(time),
        };
        working && open
    }

    /// Gives a conversation back to the bot (the officer is done).
    pub async fn chat_close(&self, officer: &Officer, id: i64) -> Result<(), ServiceError> {
        let record = self.store.conversation_by_id(id).await?;
        self.check_chat_scope(officer, &record).await?;
        let mut conv: Conversation = serde_json::from_str(&record.state).unwrap_or_default();
        // The bot is back (its words are not sent: the officer said goodbye).
        let _ = dialogue::end_handoff(&mut conv);
        let state = serde_json::to_string(&conv)
            .map_err(|e| ServiceError::Internal(format!("conversation state: {e}")))?;
        self.store
            .close_conversation(id, &state, self.now_secs())
            .await?;
        Ok(())
    }

    /// Refuses unless `officer` may answer `record`: an admin, or an
    /// officer of the conversation's office (or of any office while the
    /// conversation has none).
    async fn check_chat_scope(
        &self,
        officer: &Officer,
        record: &ConversationRecord,
    ) -> Result<(), ServiceError> {
        require_answerer(officer)?;
        match record.office_code {
            Some(office) => self.check_view(officer, office).await,
            // About no office yet: an administrator's (the transcript may
            // hold anyone's personal data).
            None if officer.role == cancuoc_core::dossier::workflow::Role::Admin => Ok(()),
            None => Err(ServiceError::RoleNotAllowed {
                action: crate::Action::AnswerChats,
                role: officer.role,
                allowed: &[cancuoc_core::dossier::workflow::Role::Admin],
            }),
        }
    }
}

/// Refuses unless `officer`'s role answers citizens in the chat inbox.
fn require_answerer(officer: &Officer) -> Result<(), ServiceError> {
    if crate::areas::CHAT_ANSWERERS.contains(&officer.role) {
        Ok(())
    } else {
        Err(ServiceError::RoleNotAllowed {
            action: crate::Action::AnswerChats,
            role: officer.role,
            allowed: crate::areas::CHAT_ANSWERERS,
        })
    }
}

/// The outbox row of a reply to `recipient`.
fn reply_row(
    channel: Channel,
    recipient: &str,
    reply: &Reply,
    quote: Option<&str>,
    dedupe_key: String,
) -> Result<NewOutbound, ServiceError> {
    let payload = serde_json::json!({ "reply": reply, "quote": quote });
    Ok(NewOutbound {
        channel: channel.code().to_owned(),
        recipient: recipient.to_owned(),
        kind: "reply".to_owned(),
        payload: payload.to_string(),
        dedupe_key,
    })
}

/// A short stable digest of a text, for dedupe keys.
fn short_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(text.as_bytes());
    d.iter().take(6).map(|b| format!("{b:02x}")).collect()
}
