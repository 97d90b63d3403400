//! The channels' two background loops: the inbox worker (handles kept
//! chat messages one at a time through the service's dialogue) and the
//! dispatcher (delivers the outbox: chat replies through Zalo's and
//! Messenger's APIs, notifications by SMS or Zalo ZNS), plus the hourly
//! sweep that queues the overdue apologies.
//!
//! Delivery is at least once towards the provider and exactly once per
//! outbox row: a row is marked sent only after the provider accepted it; a
//! dispatcher killed between the two leaves the row leased, and it is
//! claimed again when the lease ends, with the same idempotency key
//! (eSMS's `RequestId` and ZNS's `tracking_id` carry the row's id, so the
//! provider drops the repeat). Errors the provider answers with HTTP 200
//! (Zalo) are errors; an expired Zalo access token is refreshed once — the
//! new pair is saved before it is used, since the refresh token is single
//! use.

use std::sync::Arc;
use std::time::Duration;

use cancuoc_channels::{ProviderError, messenger, zalo};
use cancuoc_core::channel::Channel;
use cancuoc_core::channel::notify::zns_params;
use cancuoc_service::channels::{Outbound, OutboundBody};
use cancuoc_service::sms::SmsError;

use super::{ChannelsConfig, ZaloConfig};
use crate::app::App;

/// The stored names of Zalo's rotating tokens.
const ZALO_ACCESS: &str = "zalo.access_token";
const ZALO_REFRESH: &str = "zalo.refresh_token";
/// The configured refresh token the stored pair descends from: when the
/// settings carry another (an admin authorised the app again), the
/// settings win.
const ZALO_GRANT: &str = "zalo.configured_refresh_token";

/// Delivers outbox rows through the providers.
#[derive(Clone)]
pub struct Dispatcher {
    app: App,
    config: Arc<ChannelsConfig>,
}

/// A delivery's failure: what to record, and whether a retry may help.
struct Failure {
    error: String,
    retryable: bool,
}

impl From<ProviderError> for Failure {
    fn from(e: ProviderError) -> Self {
        Failure {
            retryable: e.is_retryable(),
            error: e.to_string(),
        }
    }
}

impl From<SmsError> for Failure {
    fn from(e: SmsError) -> Self {
        Failure {
            retryable: matches!(e, SmsError::Unavailable(_)),
            error: e.to_string(),
        }
    }
}

impl Dispatcher {
    /// A dispatcher for `app`'s channels.
    pub fn new(app: App) -> Self {
        let config = Arc::new(app.config().channels.clone());
        Self { app, config }
    }

    /// Claims and delivers one batch of due rows; returns how many were
    /// claimed (0: nothing was due).
    pub async fn run_once(&self) -> Result<usize, cancuoc_service::ServiceError> {
        // A few rows at a time: each is delivered before the next, and all
        // must be done well within their lease (two minutes), or another
        // dispatcher could take the tail of the batch and send it again.
        let batch = self.app.service().claim_outbound(2).await?;
        let n = batch.len();
        for o in batch {
            match self.deliver(&o).await {
                Ok(()) => self.app.service().outbound_sent(o.id).await?,
                Err(f) => {
                    tracing::warn!(id = %o.id, channel = o.channel.code(), error = %f.error,
                        "delivery failed");
                    self.app
                        .service()
                        .outbound_failed(&o, &f.error, f.retryable)
                        .await?;
                }
            }
        }
        Ok(n)
    }

    async fn deliver(&self, o: &Outbound) -> Result<(), Failure> {
        match (&o.body, o.channel) {
            (OutboundBody::Reply { reply, quote }, Channel::Zalo) => {
                let cfg = self.zalo()?;
                let body = zalo::cs_message(&o.recipient, reply, quote.as_deref());
                self.zalo_call(&cfg, move |client, token| client.send_cs(token, &body))
                    .await
            }
            (OutboundBody::Reply { reply, .. }, Channel::Messenger) => {
                let Some(cfg) = self.config.messenger.clone() else {
                    return Err(off("messenger"));
                };
                let body = messenger::send_body(&o.recipient, reply);
                blocking(move || {
                    messenger::MessengerClient::new(&cfg.graph_base, &cfg.page_token)
                        .send(&body)
                        .map(|_| ())
                })
                .await
            }
            (OutboundBody::Notice { notice, sms }, Channel::Zalo) => {
                let template = self
                    .config
                    .zalo
                    .as_ref()
                    .and_then(|z| z.zns_templates.get(notice.kind()).cloned());
                match (self.zalo(), template) {
                    (Ok(cfg), Some(template)) => {
                        let phone = phone_84(&o.recipient);
                        let params = zns_params(notice);
                        let tracking = o.key.clone();
                        let sent = self
                            .zalo_call(&cfg, move |client, token| {
                                let body = zalo::zns_message(&phone, &template, &params, &tracking);
                                client.send_zns(token, &body)
                            })
                            .await;
                        match sent {
                            // Refused for good (the number has no Zalo, the
                            // night ban, a template out of quota): the
                            // citizen still gets the news, by SMS.
                            Err(f) if !f.retryable => {
                                tracing::info!(id = %o.id, error = %f.error,
                                    "ZNS refused: the notice goes by SMS");
                                Ok(self
                                    .app
                                    .service()
                                    .send_notice_sms(&o.recipient, sms, &o.key)
                                    .await?)
                            }
                            other => other,
                        }
                    }
                    _ => Ok(self
                        .app
                        .service()
                        .send_notice_sms(&o.recipient, sms, &o.key)
                        .await?),
                }
            }
            (OutboundBody::Notice { sms, .. }, _) => Ok(self
                .app
                .service()
                .send_notice_sms(&o.recipient, sms, &o.key)
                .await?),
            (OutboundBody::Reply { .. }, other) => Err(Failure {
                error: format!("no reply path on channel {}", other.code()),
                retryable: false,
            }),
        }
    }

    fn zalo(&self) -> Result<ZaloConfig, Failure> {
        self.config.zalo.clone().ok_or_else(|| off("zalo"))
    }

    /// Calls Zalo with the current access token; on an expired token,
    /// refreshes (saving the new pair first) and tries once more.
    async fn zalo_call<F>(&self, cfg: &ZaloConfig, call: F) -> Result<(), Failure>
    where
        F: Fn(&zalo::ZaloClient, &str) -> Result<String, ProviderError> + Send + Sync + 'static,
    {
        let service = self.app.service();
        let granted = service
            .channel_secret(ZALO_GRANT)
            .await
            .map_err(store_failure)?;
        if granted.as_deref() != Some(cfg.refresh_token.as_str()) {
            // A new grant in the settings: start from it.
            service
                .set_channel_secret(ZALO_ACCESS, &cfg.access_token)
                .await
                .map_err(store_failure)?;
            service
                .set_channel_secret(ZALO_REFRESH, &cfg.refresh_token)
                .await
                .map_err(store_failure)?;
            service
                .set_channel_secret(ZALO_GRANT, &cfg.refresh_token)
                .await
                .map_err(store_failure)?;
        }
        let token = service
            .channel_secret(ZALO_ACCESS)
            .await
            .map_err(store_failure)?
            .unwrap_or_else(|| cfg.access_token.clone());
        let client = Arc::new(client_of(cfg));
        let call = Arc::new(call);
        let (c, f, t) = (Arc::clone(&client), Arc::clone(&call), token);
        match provider_call(move || f(&c, &t)).await {
            Err(ProviderError::TokenExpired) => {}
            other => return other.map(|_| ()).map_err(Failure::from),
        }
        let refresh = service
            .channel_secret(ZALO_REFRESH)
            .await
            .map_err(store_failure)?
            .unwrap_or_else(|| cfg.refresh_token.clone());
        let c = Arc::clone(&client);
        let tokens = blocking(move || c.refresh(&refresh)).await?;
        // The refresh token is single use: keep the new pair before any use.
        service
            .set_channel_secret(ZALO_REFRESH, &tokens.refresh)
            .await
            .map_err(store_failure)?;
        service
            .set_channel_secret(ZALO_ACCESS, &tokens.access)
            .await
            .map_err(store_failure)?;
        tracing::info!("zalo access token refreshed");
        blocking(move || call(&client, &tokens.access))
            .await
            .map(|_| ())
    }
}

fn client_of(cfg: &ZaloConfig) -> zalo::ZaloClient {
    zalo::ZaloClient::new(
        cfg.api_base.clone(),
        cfg.oauth_base.clone(),
        cfg.zns_base.clone(),
        cfg.app_id.clone(),
        cfg.app_secret.clone(),
    )
}

/// Runs a provider call on a blocking thread.
async fn provider_call<T, F>(f: F) -> Result<T, ProviderError>
where
    F: FnOnce() -> Result<T, ProviderError> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| {
        Err(ProviderError::Unavailable(format!(
            "delivery task failed: {e}"
        )))
    })
}

/// [`provider_call`], its error as a delivery failure.
async fn blocking<T, F>(f: F) -> Result<T, Failure>
where
    F: FnOnce() -> Result<T, ProviderError> + Send + 'static,
    T: Send + 'static,
{
    provider_call(f).await.map_err(Failure::from)
}

fn off(channel: &str) -> Failure {
    Failure {
        error: format!("channel {channel} is not configured"),
        retryable: false,
    }
}

fn store_failure(e: cancuoc_service::ServiceError) -> Failure {
    Failure {
        error: format!("store: {e}"),
        retryable: true,
    }
}

/// A Vietnamese mobile number as Zalo wants it: `84` + 9 digits.
fn phone_84(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix('0') {
        Some(rest) => format!("84{rest}"),
        None => digits,
    }
}

/// The channels' background loops; [`Workers::stop`] (or dropping it)
/// stops them, before the store closes.
#[derive(Debug)]
pub struct Workers {
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Workers {
    /// Stops the loops and waits for them to end. A loop stopped mid-way
    /// loses nothing: what it held is leased and taken again later.
    pub async fn stop(mut self) {
        for t in &self.tasks {
            t.abort();
        }
        for t in self.tasks.drain(..) {
            let _ = t.await;
        }
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// Starts the inbox worker, the dispatcher, the hourly overdue sweep and
/// the database's daily housekeeping on the current runtime, until
/// [`Workers::stop`]; a crash between two steps loses nothing (leases).
pub fn spawn_workers(app: App) -> Workers {
    let mut tasks = Vec::with_capacity(4);
    let inbox = app.clone();
    tasks.push(tokio::spawn(async move {
        loop {
            match inbox.service().channel_handle_next().await {
                Ok(Some(_)) => {}
                Ok(None) => inbox.service().channel_wait(Duration::from_secs(1)).await,
                Err(e) => {
                    tracing::error!(error = %e, "inbox worker");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }));
    let dispatcher = Dispatcher::new(app.clone());
    tasks.push(tokio::spawn(async move {
        loop {
            match dispatcher.run_once().await {
                Ok(0) => {
                    dispatcher
                        .app
                        .service()
                        .outbound_wait(Duration::from_millis(200))
                        .await;
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(error = %e, "dispatcher");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }));
    // The database's daily housekeeping (PostgreSQL: the month partitions
    // due, which the store also makes when it connects).
    let housekeeping = app.clone();
    tasks.push(tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(86_400)).await;
            match housekeeping.service().maintain_storage().await {
                Ok(n) if n > 0 => tracing::info!(partitions = n, "month partitions made"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "database housekeeping"),
            }
        }
    }));
    tasks.push(tokio::spawn(async move {
        loop {
            // By day only (8:00–20:00 in Vietnam): an apology is not a
            // message to wake someone with.
            let hour = app
                .service()
                .now()
                .to_zoned(cancuoc_service::vietnam())
                .hour();
            if (8..20).contains(&hour) {
                match app.service().sweep_overdue_notices().await {
                    Ok(n) if n > 0 => tracing::info!(queued = n, "overdue notices queued"),
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "overdue sweep"),
                }
            }
            tokio::time::sleep(Duration::from_secs(1800)).await;
        }
    }));
    Workers { tasks }
}

#[cfg(test)]
mod tests {
    use super::phone_84;

    #[test]
    fn numbers_go_to_zalo_as_84() {
        assert_eq!(phone_84("0912345678"), "84912345678");
        assert_eq!(phone_84("84912345678"), "84912345678");
    }
}
