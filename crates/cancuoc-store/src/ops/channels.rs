//! The citizens' channels (kênh hỏi đáp): the inbox of inbound messages
//! (a retried delivery recognized by its provider's message id, claimed
//! with a lease so a crashed handler's message is claimed again, finished
//! once), the conversations and their transcript with the officers' chat
//! inbox, the audit of automatic lookups, the channels' settings, the
//! transactional outbox of replies and notifications with its dispatcher's
//! claims, retries and dead letters, a dossier's consent to notifications,
//! the overdue sweep and the dashboard's counts.
//!
//! Where: the conversations, lookups, settings and chat replies in
//! `Store::accounts_db` (on an SQLite file the accounts database beside the
//! main file, so chat traffic leaves the status answer cache warm); the
//! consent and the notifications in the main database, the notifications
//! written in the transaction of the dossier's step (`create_dossier`,
//! `apply_transition`, through [`notice`] and `enqueue_notice!`). The
//! outbox is read from both databases when they are two, never from one
//! database twice.

use std::collections::BTreeMap;

use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::State;
use cancuoc_core::id::mask_numbers;
use jiff::civil::Date;

use crate::Store;
use crate::db::{Db, with_pool};
use crate::error::{Conflict, Entity, StoreError};
use crate::model::channel::{
    ChannelCountRow, ChannelCounts, ChannelLookup, ChatLine, ConversationRecord,
    ConversationUpdate, InboundMessage, InboxItem, NOTIFIED_STATES, NewOutbound, NotifyConsent,
    OutboxId, OutboxItem,
};
use crate::model::officer::OfficerId;
use crate::ops::{cap_limit, deadline_stopped_open_states};
use crate::rows::code_value;

/// Longest provider error kept with an outbox row, in characters.
const ERROR_MAX: usize = 500;

/// The payload and dedupe key of the notice of a dossier's step to
/// `state` (event `seq`), when that state is notified
/// ([`NOTIFIED_STATES`]): `{"code":"<16 digits>","notice":"<state>",
/// "seq":<seq>}` under `notify:<code>:<seq>`, one row per event.
pub(crate) fn notice(code: &DossierCode, state: State, seq: i64) -> Option<(String, String)> {
    if !NOTIFIED_STATES.contains(&state) {
        return None;
    }
    let payload = serde_json::json!({
        "code": code.to_string(),
        "notice": state.code(),
        "seq": seq,
    })
    .to_string();
    Some((payload, format!("notify:{code}:{seq}")))
}

/// Writes, inside the main database's transaction `$tx`, the outbox row of
/// a notice ([`notice`]) to the number dossier `$dossier` consented with,
/// if it did; a second write of the same event is ignored.
macro_rules! enqueue_notice {
    ($tx:ident, $dossier:expr, $payload:expr, $dedupe:expr, $at:expr) => {
        sqlx::query(
            "INSERT INTO channel_outbox (channel, recipient, kind, payload, dedupe_key, \
             created_at, next_at, lease_until, attempts, state) \
             SELECT channel, phone, 'notify', $2, $3, $4, $4, 0, 0, 'pending' \
             FROM dossier_notify WHERE dossier_id = $1 \
             ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind($dossier)
        .bind($payload)
        .bind($dedupe)
        .bind($at)
        .execute(&mut *$tx)
        .await?
    };
}
pub(crate) use enqueue_notice;

/// Writes one outbox row inside the transaction `$tx`; a row with the
/// same dedupe key already there is kept and this one dropped.
macro_rules! insert_outbound {
    ($tx:ident, $o:expr, $at:expr) => {
        sqlx::query(
            "INSERT INTO channel_outbox (channel, recipient, kind, payload, dedupe_key, \
             created_at, next_at, lease_until, attempts, state) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, 0, 0, 'pending') \
             ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind(&$o.channel)
        .bind(&$o.recipient)
        .bind(&$o.kind)
        .bind(&$o.payload)
        .bind(&$o.dedupe_key)
        .bind($at)
        .execute(&mut *$tx)
        .await?
    };
}

/// Writes one lookup of the audit inside the transaction `$tx` (target
/// already masked).
macro_rules! insert_lookup {
    ($tx:ident, $l:expr, $target:expr) => {
        sqlx::query(
            "INSERT INTO channel_lookups (at, channel, sender, kind, target, found) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($l.at)
        .bind(&$l.channel)
        .bind(&$l.sender)
        .bind(&$l.kind)
        .bind($target)
        .bind($l.found)
        .execute(&mut *$tx)
        .await?
    };
}

/// Claims the oldest unhandled inbound message whose lease is past;
/// `$lock` is PostgreSQL's row lock clause (empty on SQLite, where the
/// write transaction is the lock).
macro_rules! claim_inbox_sql {
    ($lock:literal) => {
        concat!(
            "UPDATE channel_inbox SET lease_until = $2, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM channel_inbox \
             WHERE handled_at IS NULL AND lease_until <= $1 ORDER BY id LIMIT 1",
            $lock,
            ") RETURNING id, channel, message_id, sender, text, received_at, attempts"
        )
    };
}

/// The columns of an [`OutboxRow`].
macro_rules! outbox_cols {
    () => {
        "id, channel, recipient, kind, payload, attempts, created_at, next_at, last_error, state"
    };
}

/// Claims up to `$3` due pending outbox rows whose lease is past (see
/// [`claim_inbox_sql`] for `$lock`).
macro_rules! claim_outbox_sql {
    ($lock:literal) => {
        concat!(
            "UPDATE channel_outbox SET lease_until = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM channel_outbox WHERE state = 'pending' \
             AND next_at <= $1 AND lease_until <= $1 ORDER BY next_at, id LIMIT $3",
            $lock,
            ") RETURNING ",
            outbox_cols!()
        )
    };
}

/// The overdue sweep's INSERT … SELECT; `$code` is the dialect's
/// expression of the dossier's code as its 16 digits.
macro_rules! overdue_sql {
    ($code:literal) => {
        concat!(
            "INSERT INTO channel_outbox (channel, recipient, kind, payload, dedupe_key, \
             created_at, next_at, lease_until, attempts, state) \
             SELECT n.channel, n.phone, 'notify', \
             '{\"code\":\"' || ",
            $code,
            " || '\",\"notice\":\"overdue\",\"promised_on\":\"' || d.promised_on || '\"}', \
             'overdue:' || ",
            $code,
            " || ':' || d.promised_on, $2, $2, 0, 0, 'pending' \
             FROM dossiers d JOIN dossier_notify n ON n.dossier_id = d.id \
             WHERE d.is_open = TRUE AND d.state NOT IN ",
            deadline_stopped_open_states!(),
            " AND d.promised_on < $1 ON CONFLICT (dedupe_key) DO NOTHING"
        )
    };
}

/// The columns of a [`ConversationRow`].
macro_rules! conversation_cols {
    () => {
        "id, channel, sender, state, office_code, human, opened_at, updated_at"
    };
}

#[derive(sqlx::FromRow)]
struct InboxRow {
    id: i64,
    channel: String,
    message_id: String,
    sender: String,
    text: String,
    received_at: i64,
    attempts: i64,
}

impl InboxRow {
    fn into_item(self) -> InboxItem {
        InboxItem {
            id: self.id,
            channel: self.channel,
            message_id: self.message_id,
            sender: self.sender,
            text: self.text,
            received_at: self.received_at,
            attempts: u32::try_from(self.attempts).unwrap_or(u32::MAX),
        }
    }
}

#[derive(sqlx::FromRow)]
struct ConversationRow {
    id: i64,
    channel: String,
    sender: String,
    state: String,
    office_code: Option<i64>,
    human: bool,
    opened_at: i64,
    updated_at: i64,
}

impl ConversationRow {
    fn into_record(self) -> Result<ConversationRecord, StoreError> {
        let office_code = self
            .office_code
            .map(|o| {
                u16::try_from(o).map_err(|_| {
                    StoreError::corrupt("channel_conversations.office_code", o.to_string())
                })
            })
            .transpose()?;
        Ok(ConversationRecord {
            id: self.id,
            channel: self.channel,
            sender: self.sender,
            state: self.state,
            office_code,
            human: self.human,
            opened_at: self.opened_at,
            updated_at: self.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: i64,
    channel: String,
    recipient: String,
    kind: String,
    payload: String,
    attempts: i64,
    created_at: i64,
    next_at: i64,
    last_error: Option<String>,
    state: String,
}

impl OutboxRow {
    fn into_item(self, side: bool) -> OutboxItem {
        OutboxItem {
            id: OutboxId { side, id: self.id },
            channel: self.channel,
            recipient: self.recipient,
            kind: self.kind,
            payload: self.payload,
            attempts: u32::try_from(self.attempts).unwrap_or(u32::MAX),
            created_at: self.created_at,
            next_at: self.next_at,
            last_error: self.last_error,
            state: self.state,
        }
    }
}

/// A count read from the database, never negative.
fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// The counts of channel `ch`, made empty when first met.
fn row(by: &mut BTreeMap<String, ChannelCountRow>, ch: String) -> &mut ChannelCountRow {
    by.entry(ch.clone()).or_insert_with(|| ChannelCountRow {
        channel: ch,
        ..ChannelCountRow::default()
    })
}

/// Refuses a blank value.
fn required(field: &'static str, value: &str) -> Result<(), StoreError> {
    if value.trim().is_empty() {
        return Err(StoreError::field(field, "must not be blank"));
    }
    Ok(())
}

fn check_outbound(o: &NewOutbound) -> Result<(), StoreError> {
    required("outbound.channel", &o.channel)?;
    required("outbound.recipient", &o.recipient)?;
    required("outbound.dedupe_key", &o.dedupe_key)?;
    if !matches!(o.kind.as_str(), "reply" | "notify") {
        return Err(StoreError::field(
            "outbound.kind",
            format!("{:?} is not \"reply\" or \"notify\"", o.kind),
        ));
    }
    Ok(())
}

/// Whether `author` is `citizen`, `bot` or `officer:<id>`.
fn valid_author(author: &str) -> bool {
    matches!(author, "citizen" | "bot")
        || author
            .strip_prefix("officer:")
            .is_some_and(|n| n.parse::<i64>().is_ok())
}

fn check_line(l: &ChatLine) -> Result<(), StoreError> {
    if !valid_author(&l.author) {
        return Err(StoreError::field(
            "line.author",
            format!(
                "{:?} is not \"citizen\", \"bot\" or \"officer:<id>\"",
                l.author
            ),
        ));
    }
    Ok(())
}

fn check_lookup(l: &ChannelLookup) -> Result<(), StoreError> {
    required("lookup.channel", &l.channel)?;
    if !matches!(l.kind.as_str(), "code" | "person" | "offices") {
        return Err(StoreError::field(
            "lookup.kind",
            format!("{:?} is not \"code\", \"person\" or \"offices\"", l.kind),
        ));
    }
    Ok(())
}

/// A lookup's target as audited: a dossier code (16 digits) looked up by
/// code as is, anything else with every number of 9 digits or more masked
/// (an ID number's first 3 and last 2 digits kept), whatever the caller
/// passed.
fn audited_target(l: &ChannelLookup) -> String {
    let t = l.target.trim();
    if l.kind == "code" && t.len() == 16 && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.to_owned();
    }
    mask_numbers(t).into_owned()
}

/// The first [`ERROR_MAX`] characters of a provider's error.
fn short_error(e: &str) -> String {
    e.chars().take(ERROR_MAX).collect()
}

impl Store {
    /// The databases the outbox lives in, each once, with whether it is
    /// the side one: the side database first (chat replies: a citizen is
    /// waiting), then the main one (notifications).
    fn outbox_dbs(&self) -> Vec<(&Db, bool)> {
        match &self.accounts {
            Some(side) => vec![(side, true), (&self.db, false)],
            None => vec![(&self.db, false)],
        }
    }

    /// The database of an outbox row.
    fn outbox_db(&self, id: OutboxId) -> Result<&Db, StoreError> {
        match (id.side, &self.accounts) {
            (false, _) => Ok(&self.db),
            (true, Some(side)) => Ok(side),
            (true, None) => Err(StoreError::not_found(
                Entity::OutboundMessage,
                id.to_string(),
            )),
        }
    }

    /// Stores an inbound message in the inbox (hộp thư đến). `true`: it is
    /// new; `false`: a retried delivery of a message already stored (same
    /// channel and provider message id), and nothing changed — the
    /// webhook acknowledges it and it is not answered twice.
    pub async fn receive_inbound(&self, m: &InboundMessage) -> Result<bool, StoreError> {
        required("channel", &m.channel)?;
        required("message_id", &m.message_id)?;
        required("sender", &m.sender)?;
        with_pool!(self.accounts_db(), |pool| {
            let added = sqlx::query(
                "INSERT INTO channel_inbox (channel, message_id, sender, text, received_at, \
                 lease_until, attempts) VALUES ($1, $2, $3, $4, $5, 0, 0) \
                 ON CONFLICT (channel, message_id) DO NOTHING",
            )
            .bind(&m.channel)
            .bind(&m.message_id)
            .bind(&m.sender)
            .bind(&m.text)
            .bind(m.received_at)
            .execute(pool)
            .await?
            .rows_affected();
            Ok(added == 1)
        })
    }

    /// Claims the oldest unhandled inbound message whose lease is past
    /// (none yet, or its handler crashed): sets its lease to `now +
    /// lease_secs` and counts the attempt, atomically (PostgreSQL: `FOR
    /// UPDATE SKIP LOCKED`, so concurrent handlers take different
    /// messages; SQLite: one write transaction). `None`: nothing to do.
    pub async fn claim_inbound(
        &self,
        now: i64,
        lease_secs: i64,
    ) -> Result<Option<InboxItem>, StoreError> {
        let until = now.saturating_add(lease_secs.max(0));
        let row: Option<InboxRow> = with_pool!(self.accounts_db(), |pool| {
            let sql = if SQLITE {
                claim_inbox_sql!("")
            } else {
                claim_inbox_sql!(" FOR UPDATE SKIP LOCKED")
            };
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let row = sqlx::query_as::<DB, InboxRow>(sql)
                .bind(now)
                .bind(until)
                .fetch_optional(&mut *tx)
                .await?;
            tx.commit().await?;
            row
        });
        Ok(row.map(InboxRow::into_item))
    }

    /// The conversation of `sender` on `channel`, if there is one.
    pub async fn conversation(
        &self,
        channel: &str,
        sender: &str,
    ) -> Result<Option<ConversationRecord>, StoreError> {
        let row: Option<ConversationRow> = with_pool!(self.accounts_db(), |pool| {
            sqlx::query_as::<DB, ConversationRow>(concat!(
                "SELECT ",
                conversation_cols!(),
                " FROM channel_conversations WHERE channel = $1 AND sender = $2"
            ))
            .bind(channel)
            .bind(sender)
            .fetch_optional(pool)
            .await?
        });
        row.map(ConversationRow::into_record).transpose()
    }

    /// A conversation by its id; [`Entity::Conversation`] not found.
    pub async fn conversation_by_id(&self, id: i64) -> Result<ConversationRecord, StoreError> {
        let row: Option<ConversationRow> = with_pool!(self.accounts_db(), |pool| {
            sqlx::query_as::<DB, ConversationRow>(concat!(
                "SELECT ",
                conversation_cols!(),
                " FROM channel_conversations WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        row.ok_or_else(|| StoreError::not_found(Entity::Conversation, id.to_string()))?
            .into_record()
    }

    /// Finishes the handling of inbox message `inbox_id` in one
    /// transaction of the side database: marks it handled (and empties
    /// its text: what is kept is the transcript's `lines`), creates or
    /// replaces its conversation with `update`, appends `lines`, audits
    /// `lookups` and writes `replies` to the outbox (a reply whose dedupe
    /// key is already there is dropped). Returns the conversation's id.
    ///
    /// A message already handled (a second handler whose lease had
    /// expired, a retry) changes nothing and returns its conversation's
    /// id: a message is never answered twice. `update` must be the
    /// message's channel and sender.
    pub async fn finish_inbound(
        &self,
        inbox_id: i64,
        update: &ConversationUpdate,
        lines: &[ChatLine],
        replies: &[NewOutbound],
        lookups: &[ChannelLookup],
        at: i64,
    ) -> Result<i64, StoreError> {
        for l in lines {
            check_line(l)?;
        }
        for r in replies {
            check_outbound(r)?;
        }
        for l in lookups {
            check_lookup(l)?;
        }
        let targets: Vec<String> = lookups.iter().map(audited_target).collect();
        let office = update.office_code.map(i64::from);
        with_pool!(self.accounts_db(), |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let row: Option<(String, String)> = sqlx::query_as::<DB, (String, String)>(
                "SELECT channel, sender FROM channel_inbox WHERE id = $1",
            )
            .bind(inbox_id)
            .fetch_optional(&mut *tx)
            .await?;
            let (channel, sender) = row.ok_or_else(|| {
                StoreError::not_found(Entity::InboundMessage, inbox_id.to_string())
            })?;
            if channel != update.channel || sender != update.sender {
                return Err(StoreError::field(
                    "update",
                    format!(
                        "the conversation must be the message's: channel {channel:?} and its sender"
                    ),
                ));
            }
            let handled = sqlx::query(
                "UPDATE channel_inbox SET handled_at = $2, text = '' \
                 WHERE id = $1 AND handled_at IS NULL",
            )
            .bind(inbox_id)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if handled == 0 {
                // Finished before (by this handler's retry, or by another
                // whose lease had expired): its answer stands.
                let id: Option<i64> = sqlx::query_scalar::<DB, i64>(
                    "SELECT id FROM channel_conversations WHERE channel = $1 AND sender = $2",
                )
                .bind(&channel)
                .bind(&sender)
                .fetch_optional(&mut *tx)
                .await?;
                tx.rollback().await?;
                return id.ok_or_else(|| {
                    StoreError::not_found(Entity::Conversation, format!("{channel}:{inbox_id}"))
                });
            }
            let id: i64 = sqlx::query_scalar::<DB, i64>(
                "INSERT INTO channel_conversations (channel, sender, state, office_code, human, \
                 human_at, opened_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 THEN $6 ELSE NULL END, $6, $6) \
                 ON CONFLICT (channel, sender) DO UPDATE SET state = excluded.state, \
                 office_code = excluded.office_code, human = excluded.human, \
                 human_at = CASE WHEN excluded.human AND NOT channel_conversations.human \
                 THEN excluded.updated_at ELSE channel_conversations.human_at END, \
                 updated_at = excluded.updated_at \
                 RETURNING id",
            )
            .bind(&update.channel)
            .bind(&update.sender)
            .bind(&update.state)
            .bind(office)
            .bind(update.human)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            for l in lines {
                sqlx::query(
                    "INSERT INTO channel_messages (conversation_id, at, direction, author, text) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(l.at)
                .bind(if l.inbound { "in" } else { "out" })
                .bind(&l.author)
                .bind(&l.text)
                .execute(&mut *tx)
                .await?;
            }
            for (l, target) in lookups.iter().zip(&targets) {
                insert_lookup!(tx, l, target);
            }
            for r in replies {
                insert_outbound!(tx, r, at);
            }
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Conversations, the most recently changed first: only those an
    /// officer has when `human_only`; with `office`, only those about that
    /// office (a conversation about no office yet is an administrator's:
    /// its transcript may hold a stranger's personal data).
    pub async fn conversations(
        &self,
        human_only: bool,
        office: Option<u16>,
        limit: u32,
    ) -> Result<Vec<ConversationRecord>, StoreError> {
        let rows: Vec<ConversationRow> = with_pool!(self.accounts_db(), |pool| {
            sqlx::query_as::<DB, ConversationRow>(concat!(
                "SELECT ",
                conversation_cols!(),
                " FROM channel_conversations WHERE ($1 = FALSE OR human = TRUE)",
                " AND ($2 IS NULL OR office_code = $2)",
                " ORDER BY updated_at DESC, id DESC LIMIT $3"
            ))
            .bind(human_only)
            .bind(office.map(i64::from))
            .bind(cap_limit(limit))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(ConversationRow::into_record).collect()
    }

    /// The last `limit` lines of a conversation's transcript, oldest
    /// first; [`Entity::Conversation`] not found.
    pub async fn chat_lines(
        &self,
        conversation: i64,
        limit: u32,
    ) -> Result<Vec<ChatLine>, StoreError> {
        let rows: Option<Vec<(i64, String, String, String)>> =
            with_pool!(self.accounts_db(), |pool| {
                let mut tx = pool.begin().await?;
                let known: Option<i64> = sqlx::query_scalar::<DB, i64>(
                    "SELECT id FROM channel_conversations WHERE id = $1",
                )
                .bind(conversation)
                .fetch_optional(&mut *tx)
                .await?;
                let rows = match known {
                    None => None,
                    Some(_) => Some(
                        sqlx::query_as::<DB, (i64, String, String, String)>(
                            "SELECT at, direction, author, text FROM (SELECT id, at, direction, \
                             author, text FROM channel_messages WHERE conversation_id = $1 \
                             ORDER BY id DESC LIMIT $2) last ORDER BY id",
                        )
                        .bind(conversation)
                        .bind(cap_limit(limit))
                        .fetch_all(&mut *tx)
                        .await?,
                    ),
                };
                tx.commit().await?;
                rows
            });
        let rows = rows
            .ok_or_else(|| StoreError::not_found(Entity::Conversation, conversation.to_string()))?;
        rows.into_iter()
            .map(|(at, direction, author, text)| {
                let inbound = match direction.as_str() {
                    "in" => true,
                    "out" => false,
                    _ => return Err(StoreError::corrupt("channel_messages.direction", direction)),
                };
                Ok(ChatLine {
                    at,
                    inbound,
                    author,
                    text,
                })
            })
            .collect()
    }

    /// An officer's reply (cán bộ trả lời) in one transaction: the line
    /// (author `officer:<id>`), the outbox row `reply` and the
    /// conversation's `updated_at`. A conversation no officer has (the bot
    /// answers it, or it was closed) is [`Conflict::NotWithHuman`].
    pub async fn officer_reply(
        &self,
        conversation: i64,
        officer: OfficerId,
        text: &str,
        reply: &NewOutbound,
        at: i64,
    ) -> Result<(), StoreError> {
        required("text", text)?;
        check_outbound(reply)?;
        let author = format!("officer:{}", officer.0);
        with_pool!(self.accounts_db(), |pool| {
            let sql = if SQLITE {
                "SELECT human FROM channel_conversations WHERE id = $1"
            } else {
                "SELECT human FROM channel_conversations WHERE id = $1 FOR UPDATE"
            };
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let human: Option<bool> = sqlx::query_scalar::<DB, bool>(sql)
                .bind(conversation)
                .fetch_optional(&mut *tx)
                .await?;
            match human {
                None => {
                    return Err(StoreError::not_found(
                        Entity::Conversation,
                        conversation.to_string(),
                    ));
                }
                Some(false) => {
                    return Err(StoreError::Conflict(Conflict::NotWithHuman {
                        conversation,
                    }));
                }
                Some(true) => {}
            }
            sqlx::query(
                "INSERT INTO channel_messages (conversation_id, at, direction, author, text) \
                 VALUES ($1, $2, 'out', $3, $4)",
            )
            .bind(conversation)
            .bind(at)
            .bind(&author)
            .bind(text)
            .execute(&mut *tx)
            .await?;
            insert_outbound!(tx, reply, at);
            sqlx::query("UPDATE channel_conversations SET updated_at = $2 WHERE id = $1")
                .bind(conversation)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Sets a conversation's dialogue state (the officer took it over: the
    /// bot stays silent); [`Entity::Conversation`] not found.
    pub async fn set_conversation_state(
        &self,
        conversation: i64,
        state: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        self.update_conversation(conversation, state, at, false)
            .await
    }

    /// Gives a conversation back to the bot (đóng): no officer has it any
    /// more, its dialogue `state` reset; [`Entity::Conversation`] not found.
    pub async fn close_conversation(
        &self,
        conversation: i64,
        state: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        self.update_conversation(conversation, state, at, true)
            .await
    }

    /// Sets a conversation's state, and gives it back to the bot when
    /// `close`.
    async fn update_conversation(
        &self,
        conversation: i64,
        state: &str,
        at: i64,
        close: bool,
    ) -> Result<(), StoreError> {
        let changed = with_pool!(self.accounts_db(), |pool| {
            sqlx::query(
                "UPDATE channel_conversations SET state = $2, updated_at = $3, \
                 human = CASE WHEN $4 THEN FALSE ELSE human END WHERE id = $1",
            )
            .bind(conversation)
            .bind(state)
            .bind(at)
            .bind(close)
            .execute(pool)
            .await?
            .rows_affected()
        });
        if changed == 0 {
            return Err(StoreError::not_found(
                Entity::Conversation,
                conversation.to_string(),
            ));
        }
        Ok(())
    }

    /// Claims up to `limit` outbox rows to send: pending, due (`next_at
    /// <= now`) and not leased; sets their lease to `now + lease_secs` and
    /// counts the attempt, atomically in each database (PostgreSQL: `FOR
    /// UPDATE SKIP LOCKED`). From both databases when they are two (chat
    /// replies first), each once. Oldest due first within a database.
    pub async fn claim_outbox(
        &self,
        now: i64,
        lease_secs: i64,
        limit: u32,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        let until = now.saturating_add(lease_secs.max(0));
        let mut out = Vec::new();
        for (db, side) in self.outbox_dbs() {
            let want = i64::from(limit) - i64::try_from(out.len()).unwrap_or(i64::MAX);
            if want <= 0 {
                break;
            }
            let mut rows: Vec<OutboxRow> = with_pool!(db, |pool| {
                let sql = if SQLITE {
                    claim_outbox_sql!("")
                } else {
                    claim_outbox_sql!(" FOR UPDATE SKIP LOCKED")
                };
                // A read first: a dispatcher polling an empty outbox takes
                // no write lock, so it never waits on the officers' writes
                // nor holds them up.
                let due: bool = sqlx::query_scalar::<DB, bool>(
                    "SELECT EXISTS (SELECT 1 FROM channel_outbox WHERE state = 'pending' \
                     AND next_at <= $1 AND lease_until <= $1)",
                )
                .bind(now)
                .fetch_one(pool)
                .await?;
                if due {
                    let mut tx = pool.begin_with(BEGIN_WRITE).await?;
                    let rows = sqlx::query_as::<DB, OutboxRow>(sql)
                        .bind(now)
                        .bind(until)
                        .bind(want)
                        .fetch_all(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    rows
                } else {
                    Vec::new()
                }
            });
            rows.sort_by_key(|r| (r.next_at, r.id));
            out.extend(rows.into_iter().map(|r| r.into_item(side)));
        }
        Ok(out)
    }

    /// Marks an outbox row sent at `at`.
    pub async fn outbox_sent(&self, id: OutboxId, at: i64) -> Result<(), StoreError> {
        let changed = with_pool!(self.outbox_db(id)?, |pool| {
            sqlx::query(
                "UPDATE channel_outbox SET state = 'sent', sent_at = $2, lease_until = 0 \
                 WHERE id = $1",
            )
            .bind(id.id)
            .bind(at)
            .execute(pool)
            .await?
            .rows_affected()
        });
        if changed == 0 {
            return Err(StoreError::not_found(
                Entity::OutboundMessage,
                id.to_string(),
            ));
        }
        Ok(())
    }

    /// Records a failed sending of a pending outbox row at `at`, with the
    /// provider's `error` (its first 500 characters): tried again from
    /// `retry_at`, or given up (a dead letter) when `None`. A row no
    /// longer pending (sent meanwhile by another dispatcher) is left as
    /// it is.
    pub async fn outbox_failed(
        &self,
        id: OutboxId,
        error: &str,
        retry_at: Option<i64>,
        at: i64,
    ) -> Result<(), StoreError> {
        let error = short_error(error);
        let changed = with_pool!(self.outbox_db(id)?, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let exists: Option<i64> =
                sqlx::query_scalar::<DB, i64>("SELECT id FROM channel_outbox WHERE id = $1")
                    .bind(id.id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if exists.is_some() {
                match retry_at {
                    Some(next) => {
                        sqlx::query(
                            "UPDATE channel_outbox SET next_at = $3, lease_until = $4, \
                             last_error = $2 WHERE id = $1 AND state = 'pending'",
                        )
                        .bind(id.id)
                        .bind(&error)
                        .bind(next)
                        .bind(at)
                        .execute(&mut *tx)
                        .await?;
                    }
                    None => {
                        sqlx::query(
                            "UPDATE channel_outbox SET state = 'dead', lease_until = $3, \
                             last_error = $2 WHERE id = $1 AND state = 'pending'",
                        )
                        .bind(id.id)
                        .bind(&error)
                        .bind(at)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
            tx.commit().await?;
            exists.is_some()
        });
        if !changed {
            return Err(StoreError::not_found(
                Entity::OutboundMessage,
                id.to_string(),
            ));
        }
        Ok(())
    }

    /// The dead letters (thư không gửi được) of both databases, the
    /// newest first, at most `limit`.
    pub async fn dead_letters(&self, limit: u32) -> Result<Vec<OutboxItem>, StoreError> {
        let mut out = Vec::new();
        for (db, side) in self.outbox_dbs() {
            let rows: Vec<OutboxRow> = with_pool!(db, |pool| {
                sqlx::query_as::<DB, OutboxRow>(concat!(
                    "SELECT ",
                    outbox_cols!(),
                    " FROM channel_outbox WHERE state = 'dead' ORDER BY id DESC LIMIT $1"
                ))
                .bind(cap_limit(limit))
                .fetch_all(pool)
                .await?
            });
            out.extend(rows.into_iter().map(|r| r.into_item(side)));
        }
        out.sort_by(|a, b| {
            (b.created_at, b.id.side, b.id.id).cmp(&(a.created_at, a.id.side, a.id.id))
        });
        out.truncate(usize::try_from(cap_limit(limit)).unwrap_or(usize::MAX));
        Ok(out)
    }

    /// Puts a dead letter back in the queue (gửi lại), due at `at`, its
    /// attempts counted from zero again. A row that is not dead (a second
    /// click) is left as it is.
    pub async fn retry_dead(&self, id: OutboxId, at: i64) -> Result<(), StoreError> {
        let known = with_pool!(self.outbox_db(id)?, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let exists: Option<i64> =
                sqlx::query_scalar::<DB, i64>("SELECT id FROM channel_outbox WHERE id = $1")
                    .bind(id.id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if exists.is_some() {
                sqlx::query(
                    "UPDATE channel_outbox SET state = 'pending', next_at = $2, lease_until = 0, \
                     attempts = 0 WHERE id = $1 AND state = 'dead'",
                )
                .bind(id.id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            exists.is_some()
        });
        if !known {
            return Err(StoreError::not_found(
                Entity::OutboundMessage,
                id.to_string(),
            ));
        }
        Ok(())
    }

    /// Records (or replaces) a dossier's consent to notifications, at
    /// `at` (main database).
    pub async fn set_notify_consent(
        &self,
        code: DossierCode,
        consent: &NotifyConsent,
        at: i64,
    ) -> Result<(), StoreError> {
        consent.check()?;
        let changed = with_pool!(&self.db, |pool| {
            sqlx::query(
                "INSERT INTO dossier_notify (dossier_id, phone, channel, consented_at) \
                 SELECT id, $2, $3, $4 FROM dossiers WHERE code = $1 \
                 ON CONFLICT (dossier_id) DO UPDATE SET phone = excluded.phone, \
                 channel = excluded.channel, consented_at = excluded.consented_at",
            )
            .bind(code_value(&code))
            .bind(consent.phone.trim())
            .bind(&consent.channel)
            .bind(at)
            .execute(pool)
            .await?
            .rows_affected()
        });
        if changed == 0 {
            return Err(StoreError::not_found(Entity::Dossier, code.to_string()));
        }
        Ok(())
    }

    /// A dossier's consent to notifications, if it has one;
    /// [`Entity::Dossier`] not found for an unknown code.
    pub async fn notify_consent(
        &self,
        code: DossierCode,
    ) -> Result<Option<NotifyConsent>, StoreError> {
        let row: Option<(i64, Option<String>, Option<String>)> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, (i64, Option<String>, Option<String>)>(
                "SELECT d.id, n.phone, n.channel FROM dossiers d \
                 LEFT JOIN dossier_notify n ON n.dossier_id = d.id WHERE d.code = $1",
            )
            .bind(code_value(&code))
            .fetch_optional(pool)
            .await?
        });
        match row {
            None => Err(StoreError::not_found(Entity::Dossier, code.to_string())),
            Some((_, Some(phone), Some(channel))) => Ok(Some(NotifyConsent { phone, channel })),
            Some(_) => Ok(None),
        }
    }

    /// The overdue sweep (thông báo trễ hẹn), one statement: for every
    /// open dossier whose deadline is running, promised before `today`,
    /// with a consent, an outbox row `notify` with payload
    /// `{"code":"<16 digits>","notice":"overdue","promised_on":"YYYY-MM-DD"}`
    /// under `overdue:<code>:<promised_on>` — once per promised date, so
    /// the sweep can run as often as wanted. Returns the rows written.
    pub async fn enqueue_overdue_notices(&self, today: Date, at: i64) -> Result<u64, StoreError> {
        with_pool!(&self.db, |pool| {
            let sql = if SQLITE {
                overdue_sql!("printf('%016d', d.code)")
            } else {
                overdue_sql!("lpad(d.code::text, 16, '0')")
            };
            Ok(sqlx::query(sql)
                .bind(today.to_string())
                .bind(at)
                .execute(pool)
                .await?
                .rows_affected())
        })
    }

    /// Audits one automatic lookup made outside a chat (the hotline, which
    /// has no inbox message); its target is masked as
    /// [`Store::finish_inbound`] masks it.
    pub async fn record_channel_lookup(&self, l: &ChannelLookup) -> Result<(), StoreError> {
        check_lookup(l)?;
        let target = audited_target(l);
        with_pool!(self.accounts_db(), |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            insert_lookup!(tx, l, &target);
            tx.commit().await?;
        });
        Ok(())
    }

    /// A channel's stored setting (Zalo's current access and refresh
    /// tokens), if set.
    pub async fn channel_setting(&self, name: &str) -> Result<Option<String>, StoreError> {
        with_pool!(self.accounts_db(), |pool| {
            Ok(sqlx::query_scalar::<DB, String>(
                "SELECT value FROM channel_settings WHERE name = $1",
            )
            .bind(name)
            .fetch_optional(pool)
            .await?)
        })
    }

    /// Stores a channel's setting (replacing it), at `at`: a rotated
    /// refresh token is saved before it is used.
    pub async fn set_channel_setting(
        &self,
        name: &str,
        value: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        required("name", name)?;
        with_pool!(self.accounts_db(), |pool| {
            sqlx::query(
                "INSERT INTO channel_settings (name, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value, \
                 updated_at = excluded.updated_at",
            )
            .bind(name)
            .bind(value)
            .bind(at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// The dashboard's counts per channel since `since` (epoch seconds):
    /// messages received, automatic lookups and those that found
    /// something, conversations handed to an officer, officers' replies,
    /// and of the outbox (both databases) the messages sent, and of those
    /// written since, the ones pending after a failure and the dead ones.
    pub async fn channel_counts(&self, since: i64) -> Result<ChannelCounts, StoreError> {
        let mut by: BTreeMap<String, ChannelCountRow> = BTreeMap::new();
        type Counts = (
            Vec<(String, i64)>,
            Vec<(String, i64, i64)>,
            Vec<(String, i64)>,
            Vec<(String, i64)>,
        );
        let (inbound, lookups, human, replies): Counts = with_pool!(self.accounts_db(), |pool| {
            let mut tx = pool.begin().await?;
            let inbound = sqlx::query_as::<DB, (String, i64)>(
                "SELECT channel, COUNT(*) FROM channel_inbox WHERE received_at >= $1 \
                 GROUP BY channel",
            )
            .bind(since)
            .fetch_all(&mut *tx)
            .await?;
            let lookups = sqlx::query_as::<DB, (String, i64, i64)>(
                "SELECT channel, COUNT(*), COUNT(*) FILTER (WHERE found) FROM channel_lookups \
                 WHERE at >= $1 GROUP BY channel",
            )
            .bind(since)
            .fetch_all(&mut *tx)
            .await?;
            let human = sqlx::query_as::<DB, (String, i64)>(
                "SELECT channel, COUNT(*) FROM channel_conversations WHERE human_at >= $1 \
                 GROUP BY channel",
            )
            .bind(since)
            .fetch_all(&mut *tx)
            .await?;
            let replies = sqlx::query_as::<DB, (String, i64)>(
                "SELECT c.channel, COUNT(*) FROM channel_messages m \
                 JOIN channel_conversations c ON c.id = m.conversation_id \
                 WHERE m.at >= $1 AND m.author LIKE 'officer:%' GROUP BY c.channel",
            )
            .bind(since)
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            (inbound, lookups, human, replies)
        });
        for (ch, n) in inbound {
            row(&mut by, ch).inbound = count(n);
        }
        for (ch, n, found) in lookups {
            let r = row(&mut by, ch);
            r.lookups = count(n);
            r.lookups_found = count(found);
        }
        for (ch, n) in human {
            row(&mut by, ch).human_conversations = count(n);
        }
        for (ch, n) in replies {
            row(&mut by, ch).officer_replies = count(n);
        }
        for (db, _) in self.outbox_dbs() {
            let rows: Vec<(String, i64, i64, i64)> = with_pool!(db, |pool| {
                sqlx::query_as::<DB, (String, i64, i64, i64)>(
                    "SELECT channel, \
                     COUNT(*) FILTER (WHERE state = 'sent' AND sent_at >= $1), \
                     COUNT(*) FILTER (WHERE state = 'pending' AND attempts > 0 \
                     AND last_error IS NOT NULL AND created_at >= $1), \
                     COUNT(*) FILTER (WHERE state = 'dead' AND created_at >= $1) \
                     FROM channel_outbox WHERE created_at >= $1 OR sent_at >= $1 \
                     GROUP BY channel",
                )
                .bind(since)
                .fetch_all(pool)
                .await?
            });
            for (ch, sent, failed, dead) in rows {
                let r = row(&mut by, ch);
                r.sent += count(sent);
                r.failed_pending += count(failed);
                r.dead += count(dead);
            }
        }
        Ok(ChannelCounts {
            rows: by.into_values().collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(kind: &str, target: &str) -> ChannelLookup {
        ChannelLookup {
            at: 0,
            channel: "zalo".into(),
            sender: "u1".into(),
            kind: kind.into(),
            target: target.into(),
            found: true,
        }
    }

    #[test]
    fn audited_targets_keep_codes_and_mask_id_numbers() {
        assert_eq!(
            audited_target(&lookup("code", "0790261121000019")),
            "0790261121000019"
        );
        assert_eq!(
            audited_target(&lookup("person", "079090000075 1990-05-17")),
            // The date's digits run on from the number's (a space and
            // dashes are gaps inside one number to the masking rule).
            "079********* ****-**-17"
        );
        // A 12-digit number typed where a code was expected is an ID.
        assert_eq!(
            audited_target(&lookup("code", "079090000075")),
            "079*******75"
        );
        assert_eq!(audited_target(&lookup("offices", "79")), "79");
    }

    #[test]
    fn notices_only_for_the_notified_states() {
        let code = DossierCode::parse("0790261121000019")
            .or_else(|_| DossierCode::new(790, jiff::civil::date(2026, 11, 21), 1));
        let code = code.expect("code");
        let (payload, key) = notice(&code, State::ReadyForPickup, 7).expect("notified");
        assert_eq!(
            payload,
            format!(r#"{{"code":"{code}","notice":"ready_for_pickup","seq":7}}"#)
        );
        assert_eq!(key, format!("notify:{code}:7"));
        assert_eq!(notice(&code, State::Captured, 3), None);
        assert_eq!(notice(&code, State::Returned, 9), None);
    }

    #[test]
    fn authors_and_errors() {
        for ok in ["citizen", "bot", "officer:12"] {
            assert!(valid_author(ok), "{ok}");
        }
        for bad in ["", "officer:", "officer:x", "admin"] {
            assert!(!valid_author(bad), "{bad}");
        }
        assert_eq!(short_error(&"é".repeat(600)).chars().count(), ERROR_MAX);
    }
}
