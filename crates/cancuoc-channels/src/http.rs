//! The providers' HTTP plumbing shared by the clients: one blocking `ureq`
//! agent per client (HTTPS through rustls with ring, as cancuoc-server's
//! SMS client), answers read whatever their status (the providers put
//! their error codes in the body) up to a size limit, and transport
//! failures turned into [`ProviderError::Unavailable`] without the URL
//! (the Graph API's URL carries the Page token).

use std::time::Duration;

use crate::ProviderError;

/// Largest answer read from a provider (theirs are a few hundred bytes).
const ANSWER_LIMIT: u64 = 64 * 1024;

/// How long one request may take, connection to last byte, by default.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// A provider's answer: its HTTP status and body.
pub(crate) struct Answer {
    pub status: u16,
    pub body: String,
}

/// A blocking agent whose every request ends within `timeout` and which
/// hands back 4xx and 5xx answers instead of erring.
pub(crate) fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent("cancuoc")
        .build()
        .new_agent()
}

/// A transport error in words, never with the URL.
fn transport(e: &ureq::Error) -> ProviderError {
    ProviderError::Unavailable(match e {
        ureq::Error::BadUri(_) => "the provider's URL is not valid".to_owned(),
        ureq::Error::Http(_) => "the request could not be written (a header value?)".to_owned(),
        ureq::Error::Timeout(_) => "timed out".to_owned(),
        ureq::Error::Io(io) => format!("connection failed: {}", io.kind()),
        ureq::Error::HostNotFound => "host not found".to_owned(),
        ureq::Error::ConnectionFailed => "connection failed".to_owned(),
        _ => "request failed".to_owned(),
    })
}

/// Reads an answer's status and body.
fn read(
    answer: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<Answer, ProviderError> {
    let mut answer = answer.map_err(|e| transport(&e))?;
    let status = answer.status().as_u16();
    let body = answer
        .body_mut()
        .with_config()
        .limit(ANSWER_LIMIT)
        .read_to_string()
        .map_err(|e| match e {
            ureq::Error::Timeout(_) => ProviderError::Unavailable("timed out".to_owned()),
            _ => ProviderError::Unavailable(format!("HTTP {status}, answer not read")),
        })?;
    Ok(Answer { status, body })
}

/// `POST`s the JSON `body` to `url` with `headers` and `query` pairs.
pub(crate) fn post_json(
    agent: &ureq::Agent,
    url: &str,
    headers: &[(&str, &str)],
    query: &[(&str, &str)],
    body: &serde_json::Value,
) -> Result<Answer, ProviderError> {
    let bytes = serde_json::to_vec(body)
        .map_err(|_| ProviderError::Unavailable("the request could not be written".to_owned()))?;
    let mut req = agent.post(url).content_type("application/json");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    for (k, v) in query {
        req = req.query(*k, *v);
    }
    read(req.send(&bytes[..]))
}

/// `POST`s the form `fields` to `url` with `headers`.
pub(crate) fn post_form(
    agent: &ureq::Agent,
    url: &str,
    headers: &[(&str, &str)],
    fields: &[(&str, &str)],
) -> Result<Answer, ProviderError> {
    let mut req = agent.post(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    read(req.send_form(fields.iter().copied()))
}

/// `base` without trailing slashes, then `path`.
pub(crate) fn join(base: &str, path: &str) -> String {
    format!("{}{path}", base.trim_end_matches('/'))
}
