//! The outbox (hộp thư đi): replies and notifications waiting for the
//! dispatcher. Rows are written in the transaction of what caused them (a
//! handled message, an officer's answer, a dossier's transition); the
//! dispatcher claims due rows under a lease, delivers them through the
//! channel's provider and marks each sent, to be retried later with
//! back-off, or dead after [`super::ChannelSettings::max_attempts`]
//! deliveries or a refusal that cannot succeed. Nothing is lost: a
//! dispatcher that dies mid-way leaves leased rows that are claimed again
//! when the lease ends (the providers' own idempotency keys — eSMS
//! `RequestId`, the ZNS `tracking_id` — carry the row's dedupe key).

use cancuoc_core::channel::notify::Notice;
use cancuoc_core::channel::{Channel, Reply};
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::State;
use cancuoc_core::phone::PhoneNumber;
use cancuoc_store::{EventKind, OutboxId, OutboxItem};
use serde::Deserialize;

use super::hours_text;
use crate::sms::{SmsError, SmsMessage};
use crate::{Service, ServiceError};

/// Seconds the dispatcher holds a claimed row before another may take it.
const OUTBOX_LEASE_SECS: i64 = 120;

/// What a delivery carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutboundBody {
    /// A chat reply, quoting the message it answers when there is one.
    Reply {
        /// The reply.
        reply: Reply,
        /// The provider's id of the message answered.
        quote: Option<String>,
    },
    /// A notification of a dossier's stage.
    Notice {
        /// What happened.
        notice: Notice,
        /// Its SMS text (ASCII).
        sms: String,
    },
}

/// One delivery the dispatcher must make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outbound {
    /// The outbox row.
    pub id: OutboxId,
    /// The channel it goes out on.
    pub channel: Channel,
    /// The provider's recipient id, or the phone number of a notification.
    pub recipient: String,
    /// What it carries.
    pub body: OutboundBody,
    /// Deliveries tried before this one.
    pub attempts: u32,
    /// The row's dedupe key: the provider's idempotency key.
    pub key: String,
}

#[derive(Deserialize)]
struct ReplyPayload {
    reply: Reply,
    quote: Option<String>,
}

#[derive(Deserialize)]
struct NoticePayload {
    code: String,
    notice: String,
    seq: Option<i64>,
}

impl Service {
    /// Claims up to `limit` due deliveries (leased for two minutes). A row
    /// that cannot be read or whose dossier is gone becomes a dead letter
    /// at once, with the reason.
    pub async fn claim_outbound(&self, limit: u32) -> Result<Vec<Outbound>, ServiceError> {
        let now = self.now_secs();
        let items = self
            .store
            .claim_outbox(now, OUTBOX_LEASE_SECS, limit)
            .await?;
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match self.decode(&item).await {
                Ok(o) => out.push(o),
                Err((reason, retryable)) => {
                    tracing::warn!(id = %item.id, %reason, retryable, "outbox row not readable now");
                    let retry_at = (retryable
                        && item.attempts < self.channels.settings.max_attempts)
                        .then(|| now + backoff_secs(item.attempts));
                    self.store
                        .outbox_failed(item.id, &reason, retry_at, now)
                        .await?;
                }
            }
        }
        Ok(out)
    }

    /// The delivery of a claimed row, or why not and whether a later try
    /// may succeed (the store down: yes; an unreadable row or a dossier
    /// gone: no).
    async fn decode(&self, item: &OutboxItem) -> Result<Outbound, (String, bool)> {
        let dead = |reason: String| (reason, false);
        let channel = Channel::from_code(&item.channel)
            .ok_or_else(|| dead(format!("unknown channel {:?}", item.channel)))?;
        let body = match item.kind.as_str() {
            "reply" => {
                let p: ReplyPayload = serde_json::from_str(&item.payload)
                    .map_err(|e| dead(format!("payload: {e}")))?;
                OutboundBody::Reply {
                    reply: p.reply,
                    quote: p.quote,
                }
            }
            "notify" => {
                let p: NoticePayload = serde_json::from_str(&item.payload)
                    .map_err(|e| dead(format!("payload: {e}")))?;
                let notice = self
                    .notice_of(&p)
                    .await
                    .map_err(|e| {
                        let retryable = e.class() == crate::ErrorClass::Unavailable;
                        (
                            format!("notice: {}", cancuoc_core::i18n::Localized::message_en(&e)),
                            retryable,
                        )
                    })?
                    .ok_or_else(|| dead(format!("no notice for {:?}", p.notice)))?;
                let sms = cancuoc_core::channel::notify::sms_text(&notice);
                OutboundBody::Notice { notice, sms }
            }
            other => return Err(dead(format!("unknown kind {other:?}"))),
        };
        Ok(Outbound {
            id: item.id,
            channel,
            recipient: item.recipient.clone(),
            body,
            attempts: item.attempts.saturating_sub(1),
            key: format!("cancuoc-{}-{}", item.id, item.created_at),
        })
    }

    /// The notice of a notification row, read from the dossier as it is now.
    async fn notice_of(&self, p: &NoticePayload) -> Result<Option<Notice>, ServiceError> {
        let code = DossierCode::parse(&p.code).map_err(|e| {
            ServiceError::Internal(format!(
                "outbox payload code: {}",
                cancuoc_core::i18n::Localized::code(&e)
            ))
        })?;
        let d = self.store.dossier(code).await?;
        let today = self.today();
        let tree = self.offices();
        let office = tree
            .answering_for(d.office, today)
            .or(tree.get(d.office))
            .cloned();
        let (office_name, hotline, hours) = office
            .map(|o| (o.name, o.hotline, hours_text(&o.opening_hours)))
            .unwrap_or_default();
        let reason = p.seq.and_then(|seq| {
            d.events
                .iter()
                .find(|e| e.kind == EventKind::Transition && e.seq == seq)
                .and_then(|e| e.note.clone())
        });
        let state = match p.notice.as_str() {
            "overdue" => {
                let (stage_due, _) = crate::queues::stage_due(&d);
                return Ok(Some(Notice::Overdue {
                    code,
                    new_date: expected_after_delay(self.calendar, d.promised_on, stage_due, today),
                    office_hotline: hotline,
                }));
            }
            s => s.parse::<State>().ok(),
        };
        Ok(match state {
            Some(State::Received) => Some(Notice::Received {
                code,
                promised_on: d.promised_on,
            }),
            Some(State::Approved) => Some(Notice::Approved {
                code,
                promised_on: d.promised_on,
            }),
            Some(State::Rejected) => Some(Notice::Rejected {
                code,
                reason,
                office_hotline: hotline,
            }),
            Some(State::Refused) => Some(Notice::Refused { code, reason }),
            Some(State::ReadyForPickup) => Some(Notice::ReadyForPickup {
                code,
                office_name,
                hours,
            }),
            Some(State::Posted) => Some(Notice::Posted { code }),
            _ => None,
        })
    }

    /// Marks a delivery done.
    pub async fn outbound_sent(&self, id: OutboxId) -> Result<(), ServiceError> {
        Ok(self.store.outbox_sent(id, self.now_secs()).await?)
    }

    /// Marks a delivery failed with `error` (no personal data in it): tried
    /// again after a back-off of 5 s doubling per attempt up to an hour
    /// when `retryable` and attempts remain, else a dead letter.
    pub async fn outbound_failed(
        &self,
        o: &Outbound,
        error: &str,
        retryable: bool,
    ) -> Result<(), ServiceError> {
        let now = self.now_secs();
        let attempts = o.attempts + 1;
        let retry_at = (retryable && attempts < self.channels.settings.max_attempts)
            .then(|| now + backoff_secs(attempts));
        Ok(self.store.outbox_failed(o.id, error, retry_at, now).await?)
    }

    /// Sends a notification's text message through the SMS gateway, with
    /// the outbox row's `key` (a repeat after a crash is dropped by the
    /// gateway).
    pub async fn send_notice_sms(
        &self,
        phone: &str,
        text: &str,
        key: &str,
    ) -> Result<(), SmsError> {
        let to = PhoneNumber::parse(phone).map_err(|_| SmsError::Rejected {
            code: "phone".to_owned(),
            message: "not a Vietnamese mobile number".to_owned(),
        })?;
        self.accounts
            .sms
            .send(&SmsMessage {
                to,
                text: text.to_owned(),
                purpose: "notice",
                key: Some(key.to_owned()),
            })
            .await
    }

    /// Queues the overdue apology of every consented dossier past its
    /// promised date today (once per dossier and promised date); returns
    /// how many were queued.
    pub async fn sweep_overdue_notices(&self) -> Result<u64, ServiceError> {
        Ok(self
            .store
            .enqueue_overdue_notices(self.today(), self.now_secs())
            .await?)
    }

    /// The dead letters, for an admin.
    pub async fn dead_letters(
        &self,
        officer: &cancuoc_store::Officer,
    ) -> Result<Vec<OutboxItem>, ServiceError> {
        self.require_admin(officer)?;
        Ok(self.store.dead_letters(100).await?)
    }

    /// Puts a dead letter back in the queue (an admin, after fixing the
    /// provider's settings).
    pub async fn retry_dead_letter(
        &self,
        officer: &cancuoc_store::Officer,
        id: OutboxId,
    ) -> Result<(), ServiceError> {
        self.require_admin(officer)?;
        Ok(self.store.retry_dead(id, self.now_secs()).await?)
    }

    fn require_admin(&self, officer: &cancuoc_store::Officer) -> Result<(), ServiceError> {
        if officer.role == cancuoc_core::dossier::workflow::Role::Admin {
            Ok(())
        } else {
            Err(ServiceError::RoleNotAllowed {
                action: crate::Action::ManageChannels,
                role: officer.role,
                allowed: &[cancuoc_core::dossier::workflow::Role::Admin],
            })
        }
    }
}

/// The new expected date of an overdue dossier: the remaining stages keep
/// their budgets, so the promised date moves by the working days its
/// current stage is late (at least one), and never to a day before the
/// next working day. `None` outside the calendar's years.
pub(crate) fn expected_after_delay(
    calendar: &cancuoc_core::calendar::WorkingCalendar,
    promised_on: jiff::civil::Date,
    stage_due: jiff::civil::Date,
    today: jiff::civil::Date,
) -> Option<jiff::civil::Date> {
    let late = if today > stage_due {
        calendar.working_days_between(stage_due, today).ok()?
    } else {
        0
    };
    let moved = calendar
        .add_working_days(promised_on, u32::try_from(late.max(1)).ok()?)
        .ok()?;
    let next = calendar.add_working_days(today, 1).ok()?;
    Some(moved.max(next))
}

/// Seconds before the next try after `attempts` failed deliveries: 5 s,
/// 10 s, 20 s … capped at an hour.
pub(crate) fn backoff_secs(attempts: u32) -> i64 {
    5i64.saturating_mul(1i64 << attempts.saturating_sub(1).min(20))
        .min(3600)
}

#[cfg(test)]
mod tests {
    use super::backoff_secs;

    #[test]
    fn an_overdue_dossier_is_expected_later_by_its_stages_delay() {
        use jiff::civil::date;
        let cal = cancuoc_core::calendar::WorkingCalendar::official();
        // Promised Tue 1 Dec 2026; its stage was due Fri 27 Nov; today is
        // Thu 3 Dec: the stage is 4 working days late (Mon 30 Nov to
        // Thu 3 Dec), so the date moves 4 working days: Mon 7 Dec.
        assert_eq!(
            super::expected_after_delay(
                cal,
                date(2026, 12, 1),
                date(2026, 11, 27),
                date(2026, 12, 3)
            ),
            Some(date(2026, 12, 7))
        );
        // A stage not late still moves the date past today.
        assert_eq!(
            super::expected_after_delay(
                cal,
                date(2026, 12, 1),
                date(2026, 12, 4),
                date(2026, 12, 3)
            ),
            Some(date(2026, 12, 4))
        );
    }

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff_secs(1), 5);
        assert_eq!(backoff_secs(2), 10);
        assert_eq!(backoff_secs(3), 20);
        assert_eq!(backoff_secs(12), 3600);
        assert_eq!(backoff_secs(40), 3600);
    }
}
