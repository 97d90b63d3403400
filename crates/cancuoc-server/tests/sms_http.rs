//! `EsmsGateway` against a real HTTP server on loopback: a small axum app
//! that plays the eSMS provider from a script of answers and keeps every
//! body it was sent.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cancuoc_core::phone::PhoneNumber;
use cancuoc_server::sms_http::{EsmsGateway, EsmsSettings};
use cancuoc_service::sms::{SmsError, SmsGateway, SmsMessage};
use serde_json::Value;

const TEXT: &str = "173825 la ma xac thuc dang nhap tren cong dich vu cong quoc gia. ma co hieu luc trong vong 2 phut";

/// The fake provider: answers from `script` in order (the last one again
/// when it runs out), after `delay`.
struct Provider {
    seen: Mutex<Vec<Value>>,
    script: Mutex<VecDeque<(u16, &'static str)>>,
    delay: Duration,
}

async fn provider(State(p): State<Arc<Provider>>, Json(body): Json<Value>) -> (StatusCode, String) {
    p.seen.lock().expect("lock").push(body);
    tokio::time::sleep(p.delay).await;
    let (status, answer) = {
        let mut script = p.script.lock().expect("lock");
        if script.len() > 1 {
            script.pop_front().expect("answer")
        } else {
            *script.front().expect("answer")
        }
    };
    (
        StatusCode::from_u16(status).expect("status"),
        answer.to_owned(),
    )
}

/// Starts a provider answering `script`; its URL and its state.
async fn start(script: &[(u16, &'static str)], delay: Duration) -> (String, Arc<Provider>) {
    logs();
    let state = Arc::new(Provider {
        seen: Mutex::new(Vec::new()),
        script: Mutex::new(script.iter().copied().collect()),
        delay,
    });
    let app = axum::Router::new()
        .route(
            "/MainService.svc/json/SendMultipleMessage_V4_post_json/",
            axum::routing::post(provider),
        )
        .with_state(Arc::clone(&state));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        axum::serve(listener, app).await.expect("serve");
    });
    (
        format!("http://{addr}/MainService.svc/json/SendMultipleMessage_V4_post_json/"),
        state,
    )
}

fn gateway(url: &str) -> EsmsGateway {
    EsmsGateway::new(EsmsSettings {
        timeout: Duration::from_secs(5),
        backoff: Duration::from_millis(5),
        ..EsmsSettings::new(url, "API-KEY-1", "SECRET-KEY-2", "CANCUOC")
    })
}

fn message() -> SmsMessage {
    SmsMessage {
        to: PhoneNumber::parse("0912 345 678").expect("phone"),
        text: TEXT.to_owned(),
        purpose: "login",
        key: None,
    }
}

fn seen(p: &Provider) -> Vec<Value> {
    p.seen.lock().expect("lock").clone()
}

const ACCEPTED: &str = r#"{"CodeResult":"100","CountRegenerate":0,"SMSID":"c1d0-42"}"#;

#[tokio::test]
async fn an_accepted_message_sends_the_fields_as_specified() {
    let (url, p) = start(&[(200, ACCEPTED)], Duration::ZERO).await;
    gateway(&url).send(&message()).await.expect("accepted");
    let seen = seen(&p);
    assert_eq!(seen.len(), 1);
    let body = seen[0].as_object().expect("a JSON object");
    let mut keys: Vec<&str> = body.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "ApiKey",
            "Brandname",
            "Content",
            "IsUnicode",
            "Phone",
            "RequestId",
            "SecretKey",
            "SmsType"
        ]
    );
    assert_eq!(body["ApiKey"], "API-KEY-1");
    assert_eq!(body["SecretKey"], "SECRET-KEY-2");
    assert_eq!(body["Phone"], "0912345678");
    assert_eq!(body["Content"], TEXT);
    assert_eq!(body["Brandname"], "CANCUOC");
    assert_eq!(body["SmsType"], "2");
    assert_eq!(body["IsUnicode"], "0");
    let id = body["RequestId"].as_str().expect("a string");
    assert!(
        id.len() == 36 && id.chars().all(|c| c == '-' || c.is_ascii_hexdigit()),
        "{id}"
    );
}

#[tokio::test]
async fn each_message_gets_its_own_request_id_and_unicode_is_flagged() {
    let (url, p) = start(&[(200, ACCEPTED)], Duration::ZERO).await;
    let g = gateway(&url);
    g.send(&message()).await.expect("first");
    let accented = SmsMessage {
        text: "173825 là mã xác thực".to_owned(),
        ..message()
    };
    g.send(&accented).await.expect("second");
    let seen = seen(&p);
    assert_ne!(seen[0]["RequestId"], seen[1]["RequestId"]);
    assert_eq!(seen[1]["IsUnicode"], "1");
}

#[tokio::test]
async fn a_duplicate_request_id_counts_as_accepted() {
    let (url, _p) = start(&[(200, r#"{"CodeResult":"124"}"#)], Duration::ZERO).await;
    gateway(&url)
        .send(&message())
        .await
        .expect("124: already accepted");
}

#[tokio::test]
async fn a_rejection_surfaces_at_once_without_retry() {
    let (url, p) = start(
        &[(
            200,
            r#"{"CodeResult":"146","ErrorMessage":"Template not registered"}"#,
        )],
        Duration::ZERO,
    )
    .await;
    let e = gateway(&url).send(&message()).await.expect_err("146");
    // The service's setup is at fault, not the citizen's number: the
    // provider is unusable until it is fixed, and retrying will not help.
    match e {
        SmsError::Unavailable(why) => assert!(why.contains("template"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(seen(&p).len(), 1, "no retry");
    let (url, p) = start(&[(200, r#"{"CodeResult":"108"}"#)], Duration::ZERO).await;
    let e = gateway(&url).send(&message()).await.expect_err("108");
    assert!(
        matches!(&e, SmsError::Rejected { code, message } if code == "108" && message.contains("phone number")),
        "{e:?}"
    );
    assert_eq!(seen(&p).len(), 1, "no retry");
}

#[tokio::test]
async fn server_errors_are_retried_with_the_same_request_id() {
    let (url, p) = start(
        &[(500, "oops"), (500, "oops"), (200, ACCEPTED)],
        Duration::ZERO,
    )
    .await;
    gateway(&url)
        .send(&message())
        .await
        .expect("accepted on the third attempt");
    let seen = seen(&p);
    assert_eq!(seen.len(), 3);
    assert!(seen.iter().all(|b| b["RequestId"] == seen[0]["RequestId"]));
    assert!(
        seen.iter().all(|b| b == &seen[0]),
        "the same body each time"
    );
}

#[tokio::test]
async fn a_provider_that_keeps_failing_is_unavailable_after_the_retries() {
    let (url, p) = start(&[(502, "bad gateway")], Duration::ZERO).await;
    let started = std::time::Instant::now();
    let e = gateway(&url).send(&message()).await.expect_err("all 502");
    assert!(
        matches!(&e, SmsError::Unavailable(why) if why.contains("502")),
        "{e:?}"
    );
    assert_eq!(seen(&p).len(), 4, "retries + 1 requests");
    // 5 + 10 + 20 ms of back-off.
    assert!(started.elapsed() >= Duration::from_millis(35));

    let (url, p) = start(&[(500, "")], Duration::ZERO).await;
    let g = EsmsGateway::new(EsmsSettings {
        retries: 1,
        ..gateway(&url).settings().clone()
    });
    assert!(matches!(
        g.send(&message()).await,
        Err(SmsError::Unavailable(_))
    ));
    assert_eq!(seen(&p).len(), 2, "retries = 1: two requests");
}

#[tokio::test]
async fn the_default_back_off_is_200_400_800_ms() {
    let (url, p) = start(&[(500, "")], Duration::ZERO).await;
    let g = EsmsGateway::new(EsmsSettings::new(&url, "k", "s", "B"));
    assert_eq!(g.settings().retries, 3);
    let started = std::time::Instant::now();
    assert!(g.send(&message()).await.is_err());
    let took = started.elapsed();
    assert_eq!(seen(&p).len(), 4);
    assert!(
        took >= Duration::from_millis(1400) && took < Duration::from_secs(5),
        "{took:?}"
    );
}

#[tokio::test]
async fn timeouts_and_refused_connections_are_retried() {
    // Every answer comes after the timeout.
    let (url, p) = start(&[(200, ACCEPTED)], Duration::from_millis(600)).await;
    let g = EsmsGateway::new(EsmsSettings {
        timeout: Duration::from_millis(200),
        retries: 1,
        ..gateway(&url).settings().clone()
    });
    let e = g.send(&message()).await.expect_err("too slow twice");
    assert!(matches!(e, SmsError::Unavailable(_)), "{e:?}");
    assert_eq!(seen(&p).len(), 2);

    // Nobody listens on a port just released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let g = gateway(&format!("http://127.0.0.1:{port}/send"));
    let e = g.send(&message()).await.expect_err("refused");
    assert!(matches!(e, SmsError::Unavailable(_)), "{e:?}");
}

#[tokio::test]
async fn https_is_spoken() {
    // The plain-HTTP provider cannot complete a TLS handshake: the send
    // fails as unavailable (no panic for a missing TLS provider) and the
    // provider never sees a request.
    let (url, p) = start(&[(200, ACCEPTED)], Duration::ZERO).await;
    let g = EsmsGateway::new(EsmsSettings {
        retries: 0,
        ..gateway(&url.replacen("http://", "https://", 1))
            .settings()
            .clone()
    });
    let e = g.send(&message()).await.expect_err("no TLS there");
    assert!(matches!(e, SmsError::Unavailable(_)), "{e:?}");
    assert!(seen(&p).is_empty());
}

/// Every log line of this test binary: one global subscriber, installed
/// before any test sends (a thread's own subscriber would miss events
/// whose callsite another test's thread met first, without one).
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn logs() -> &'static Logs {
    static LOGS: OnceLock<Logs> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Logs::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
        logs
    })
}

#[tokio::test]
async fn logs_carry_neither_the_text_nor_the_number_nor_the_keys() {
    let (url, _p) = start(
        &[(500, ""), (200, ACCEPTED), (200, r#"{"CodeResult":"108"}"#)],
        Duration::ZERO,
    )
    .await;
    let g = gateway(&url);
    g.send(&message()).await.expect("accepted");
    assert!(g.send(&message()).await.is_err());
    // Every test's lines so far, this one's included.
    let text = String::from_utf8(logs().0.lock().expect("lock").clone()).expect("utf-8");
    assert!(text.contains("SMS accepted by the provider"), "{text}");
    assert!(
        text.contains("retrying") && text.contains("refused"),
        "{text}"
    );
    assert!(text.contains("678"), "the masked number: {text}");
    for secret in [
        "173825",
        "0912345678",
        "912345678",
        "API-KEY-1",
        "SECRET-KEY-2",
    ] {
        assert!(!text.contains(secret), "{secret} in the logs: {text}");
    }
}
