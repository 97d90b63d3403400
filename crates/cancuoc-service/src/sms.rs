//! Text messages to citizens (tin nhắn SMS): one [`SmsGateway`] interface
//! for every sender of the service — the one-time codes of the citizens'
//! accounts now, the notifications of the channels later. The service
//! never talks to a provider directly: a deployment hands it a gateway,
//! tests a recording one.
//!
//! The gateways:
//!
//! - [`DevSink`], the development sink (hộp thư phát triển): each message
//!   is one JSON line appended to a file
//!   (`{"to":"0912345678","text":"…","purpose":"login","at":"2026-12-06T09:31:09Z"}`),
//!   which a developer reads to log in and the browser tests read back
//!   ([`DevSink::read`], [`DevSink::last_code_for`]). The file is created
//!   with mode 0600 (it holds live one-time codes); each line is one
//!   `write_all` on a file opened for appending, under a lock, on a
//!   blocking thread, so concurrent sends never interleave. `cancuoc serve`
//!   uses it when no provider is configured.
//! - An HTTP provider: the eSMS.vn client lives in the HTTP shell
//!   (`cancuoc_server::sms_http::EsmsGateway`), since this crate knows no
//!   HTTP.
//! - [`MemoryGateway`], for tests: keeps what was sent, fails on demand.
//!
//! A message's text may hold a one-time code and its number is personal:
//! no gateway logs the text, and a number only as [`PhoneNumber::masked`].

use std::fmt;
use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};

use cancuoc_core::phone::PhoneNumber;

/// One message to send.
#[derive(Clone, PartialEq, Eq)]
pub struct SmsMessage {
    /// The recipient.
    pub to: PhoneNumber,
    /// The text, as the carrier will show it (OTP texts are ASCII, one
    /// GSM-7 segment).
    pub text: String,
    /// Why it is sent: `register`, `login`, `reset`, `unlock`, `notice`.
    pub purpose: &'static str,
    /// The sender's idempotency key, if it may send the same message again
    /// (the channels' dispatcher after a crash: the outbox row's key). A
    /// gateway treats a second message with a key it has seen as already
    /// sent: eSMS's `RequestId` (its code 124), the development sink and
    /// the memory gateway keep one copy.
    pub key: Option<String>,
}

impl fmt::Debug for SmsMessage {
    // The text may hold a one-time code: never in a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmsMessage")
            .field("to", &self.to.masked())
            .field("purpose", &self.purpose)
            .finish_non_exhaustive()
    }
}

/// Why a message was not sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SmsError {
    /// The provider refused this message for good (a bad or blocked
    /// number, a text not matching a registered template…): retrying will
    /// not help. `code` is the provider's.
    #[error("the SMS provider refused the message ({code}): {message}")]
    Rejected {
        /// The provider's code.
        code: String,
        /// The provider's words.
        message: String,
    },
    /// The provider could not be reached or failed, after the retries.
    #[error("the SMS provider is unavailable: {0}")]
    Unavailable(String),
}

/// The future a gateway's `send` returns.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), SmsError>> + Send + 'a>>;

/// Something that delivers text messages.
pub trait SmsGateway: Send + Sync + fmt::Debug {
    /// Sends one message; `Ok` once the provider accepted it.
    fn send<'a>(&'a self, message: &'a SmsMessage) -> SendFuture<'a>;
}

/// The development sink: every message appended to a file as one JSON
/// line (see the module docs). Never a production gateway: nothing is
/// delivered.
#[derive(Clone, Debug)]
pub struct DevSink {
    path: PathBuf,
}

/// One sink writer at a time in the process, whichever sink and file (the
/// lines of concurrent sends never mix).
static SINK_WRITER: Mutex<()> = Mutex::new(());

/// A line of the development sink's file, as [`DevSink::read`] returns it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct SinkLine {
    /// The number, `0` + 9 digits ([`PhoneNumber::as_str`]).
    pub to: String,
    /// The text as sent.
    pub text: String,
    /// The message's purpose ([`SmsMessage::purpose`]).
    pub purpose: String,
    /// Its idempotency key ([`SmsMessage::key`]), if it had one.
    #[serde(default)]
    pub key: Option<String>,
    /// When it was written (system clock, whole seconds, UTC).
    pub at: jiff::Timestamp,
}

/// A line as written (borrowing the message).
#[derive(serde::Serialize)]
struct OutLine<'a> {
    to: &'a str,
    text: &'a str,
    purpose: &'a str,
    at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<&'a str>,
}

impl DevSink {
    /// A sink appending to `path` (created on the first message, with its
    /// directory).
    pub fn new(path: PathBuf) -> Self {
        Self { path }
    }

    /// The file the messages go to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every well-formed line of a sink's file, oldest first; none when
    /// the file does not exist. For tests and developers.
    pub fn read(path: impl AsRef<Path>) -> Vec<SinkLine> {
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// The 6-digit one-time code that starts the newest message to `phone`
    /// (as typed: `0912 345 678`, `+84912345678`…) in a sink's file, if
    /// any.
    pub fn last_code_for(path: impl AsRef<Path>, phone: &str) -> Option<String> {
        let to = PhoneNumber::parse(phone)
            .map_or_else(|_| phone.trim().to_owned(), |p| p.as_str().to_owned());
        Self::read(path)
            .iter()
            .rev()
            .find(|l| l.to == to)
            .and_then(|l| leading_code(&l.text))
    }
}

/// The 6-digit code a text starts with (`173825 la ma xac thuc…`).
fn leading_code(text: &str) -> Option<String> {
    let b = text.as_bytes();
    (b.len() >= 6
        && b[..6].iter().all(u8::is_ascii_digit)
        && !b.get(6).is_some_and(u8::is_ascii_digit))
    .then(|| text[..6].to_owned())
}

/// Appends `line` (one JSON line with its newline) to `path` in one write,
/// creating the file with mode 0600.
fn append_line(path: &Path, line: &[u8]) -> std::io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut file = match opts.open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            opts.open(path)?
        }
        other => other?,
    };
    file.write_all(line)
}

impl SmsGateway for DevSink {
    fn send<'a>(&'a self, message: &'a SmsMessage) -> SendFuture<'a> {
        Box::pin(async move {
            let at = jiff::Timestamp::from_second(jiff::Timestamp::now().as_second())
                .map_err(|e| SmsError::Unavailable(format!("clock: {e}")))?;
            let mut line = serde_json::to_vec(&OutLine {
                to: message.to.as_str(),
                text: &message.text,
                purpose: message.purpose,
                at: at.to_string(),
                key: message.key.as_deref(),
            })
            .map_err(|e| SmsError::Unavailable(format!("development sink: {e}")))?;
            line.push(b'\n');
            let path = self.path.clone();
            let key = message.key.clone();
            let written = tokio::task::spawn_blocking(move || {
                let _one_writer = SINK_WRITER.lock().unwrap_or_else(PoisonError::into_inner);
                if let Some(key) = key
                    && Self::read(&path)
                        .iter()
                        .any(|l| l.key.as_deref() == Some(&key))
                {
                    // Sent already (a dispatcher retried after a crash).
                    return Ok(());
                }
                append_line(&path, &line)
            })
            .await
            .map_err(|e| SmsError::Unavailable(format!("development sink: {e}")))?;
            match written {
                Ok(()) => {
                    tracing::info!(
                        to = %message.to.masked(),
                        purpose = message.purpose,
                        sink = %self.path.display(),
                        "SMS written to the development sink"
                    );
                    Ok(())
                }
                Err(e) => {
                    tracing::warn!(
                        to = %message.to.masked(),
                        purpose = message.purpose,
                        sink = %self.path.display(),
                        error = %e,
                        "SMS development sink not writable"
                    );
                    Err(SmsError::Unavailable(format!(
                        "development sink {}: {e}",
                        self.path.display()
                    )))
                }
            }
        })
    }
}

/// A gateway for tests: keeps every message it accepts, or fails every
/// send with the error set by [`MemoryGateway::fail_with`].
#[derive(Debug, Default)]
pub struct MemoryGateway {
    sent: Mutex<Vec<SmsMessage>>,
    failure: Mutex<Option<SmsError>>,
}

impl MemoryGateway {
    /// An empty gateway that accepts everything.
    pub fn new() -> Self {
        Self::default()
    }

    /// The messages accepted so far, oldest first.
    pub fn sent(&self) -> Vec<SmsMessage> {
        self.sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// From now on every send fails with `error` (`None`: sends succeed
    /// again). A failed send is not kept.
    pub fn fail_with(&self, error: Option<SmsError>) {
        *self.failure.lock().unwrap_or_else(PoisonError::into_inner) = error;
    }

    /// The 6-digit code that starts the newest accepted message to `phone`
    /// (as typed), if any.
    pub fn last_code_for(&self, phone: &str) -> Option<String> {
        let to = PhoneNumber::parse(phone).ok()?;
        self.sent()
            .iter()
            .rev()
            .find(|m| m.to == to)
            .and_then(|m| leading_code(&m.text))
    }
}

impl SmsGateway for MemoryGateway {
    fn send<'a>(&'a self, message: &'a SmsMessage) -> SendFuture<'a> {
        Box::pin(async move {
            if let Some(e) = self
                .failure
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone()
            {
                return Err(e);
            }
            let mut sent = self.sent.lock().unwrap_or_else(PoisonError::into_inner);
            if message.key.is_none() || !sent.iter().any(|m| m.key == message.key) {
                sent.push(message.clone());
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn temp_file(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("cancuoc-sms-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d.join("sms-outbox.jsonl")
    }

    fn message(to: &str, text: &str) -> SmsMessage {
        SmsMessage {
            to: PhoneNumber::parse(to).expect("phone"),
            text: text.to_owned(),
            purpose: "login",
            key: None,
        }
    }

    #[tokio::test]
    async fn the_sink_writes_one_json_line_per_message() {
        let path = temp_file("lines");
        let sink = DevSink::new(path.clone());
        let before = jiff::Timestamp::now().as_second();
        let text = "173825 la ma xac thuc dang nhap. \"Ma\" co hieu luc 2 phut";
        sink.send(&message("0912 345 678", text))
            .await
            .expect("sent");
        sink.send(&message("+84 38 123 4567", "654321 la ma"))
            .await
            .expect("sent");
        let raw = std::fs::read_to_string(&path).expect("file");
        assert!(raw.ends_with('\n') && raw.lines().count() == 2, "{raw}");
        let first: serde_json::Value =
            serde_json::from_str(raw.lines().next().expect("line")).expect("JSON");
        assert_eq!(first["to"], "0912345678");
        assert_eq!(first["text"], text);
        assert_eq!(first["purpose"], "login");
        let at = first["at"].as_str().expect("at");
        assert!(
            at.len() == 20 && at.ends_with('Z') && at.as_bytes()[10] == b'T',
            "{at}"
        );
        let lines = DevSink::read(&path);
        assert_eq!(lines.len(), 2);
        assert!(lines[0].at.as_second() >= before);
        assert_eq!(lines[1].to, "0381234567");
        assert_eq!(
            DevSink::last_code_for(&path, "0912345678").as_deref(),
            Some("173825")
        );
        assert_eq!(
            DevSink::last_code_for(&path, "+84381234567").as_deref(),
            Some("654321")
        );
        assert_eq!(DevSink::last_code_for(&path, "0987654321"), None);
        sink.send(&message("0912345678", "000111 la ma moi"))
            .await
            .expect("sent");
        assert_eq!(
            DevSink::last_code_for(&path, "0912345678").as_deref(),
            Some("000111"),
            "the newest line wins"
        );
        assert!(DevSink::read(path.with_extension("none")).is_empty());
        let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn fifty_concurrent_sends_give_fifty_whole_lines() {
        let path = temp_file("concurrent");
        let sink = Arc::new(DevSink::new(path.clone()));
        // Long texts, so an interleaved write would show.
        let tasks: Vec<_> = (0..50)
            .map(|i| {
                let sink = Arc::clone(&sink);
                tokio::spawn(async move {
                    let text = format!("{i:06} {}", "x".repeat(4000 + i));
                    sink.send(&message("0912345678", &text)).await
                })
            })
            .collect();
        for t in tasks {
            t.await.expect("task").expect("sent");
        }
        let raw = std::fs::read_to_string(&path).expect("file");
        assert_eq!(raw.lines().count(), 50);
        let lines = DevSink::read(&path);
        assert_eq!(lines.len(), 50, "every line is whole JSON");
        let mut codes: Vec<usize> = lines
            .iter()
            .map(|l| {
                let n: usize = l.text[..6].parse().expect("code");
                assert_eq!(l.text.len(), 7 + 4000 + n);
                n
            })
            .collect();
        codes.sort_unstable();
        assert_eq!(codes, (0..50).collect::<Vec<_>>());
        let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn the_sink_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let path = temp_file("mode");
        DevSink::new(path.clone())
            .send(&message("0912345678", "123456"))
            .await
            .expect("sent");
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
    }

    #[tokio::test]
    async fn an_unwritable_sink_is_unavailable() {
        let path = temp_file("unwritable");
        std::fs::create_dir_all(&path).expect("a directory where the file goes");
        let e = DevSink::new(path.clone())
            .send(&message("0912345678", "123456"))
            .await
            .expect_err("a directory is not a file");
        assert!(matches!(e, SmsError::Unavailable(_)), "{e:?}");
        let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
    }

    #[tokio::test]
    async fn the_memory_gateway_keeps_messages_and_fails_on_demand() {
        let g = MemoryGateway::new();
        g.send(&message("0912345678", "123456 la ma"))
            .await
            .expect("sent");
        let refused = SmsError::Rejected {
            code: "146".into(),
            message: "template".into(),
        };
        g.fail_with(Some(refused.clone()));
        assert_eq!(g.send(&message("0912345678", "999999")).await, Err(refused));
        g.fail_with(None);
        g.send(&message("0381234567", "654321 la ma"))
            .await
            .expect("sent");
        let sent = g.sent();
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[1].to.as_str(), "0381234567");
        assert_eq!(g.last_code_for("0912 345 678").as_deref(), Some("123456"));
        assert_eq!(g.last_code_for("0987654321"), None);
        assert!(!format!("{:?}", sent[0]).contains("123456"));
    }
}
