//! Serving on a socket (phục vụ kết nối): [`serve`]'s accept loop and its
//! defences against slow clients (slowloris).
//!
//! `axum::serve` has no setting for any of them, and hyper's own header
//! read timeout would register a timer per request (hyper arms one for
//! every keep-alive wait and drops it once the head is read; a timer per
//! request cost the status lookup about a fifth of its CPU, which is why
//! that route runs without the handler timeout). So `serve` runs hyper's
//! HTTP/1 connection itself, as `axum::serve` does, with:
//!
//! - **A connection cap** ([`crate::AppConfig::max_connections`], lowered to the
//!   process's open-file limit less [`FD_RESERVE`]): the loop takes a slot
//!   before it accepts, so past the cap new connections wait in the
//!   kernel's accept queue, holding no file descriptor of ours, until one
//!   closes. 20,000 half-sent requests no longer exhaust the file limit.
//! - **A header timeout** ([`crate::AppConfig::header_timeout`]): one timer per
//!   connection, a watchdog, moved forward only when it fires. It closes
//!   the connection when no request has been in the service and no byte
//!   of an answer has been written for that long: a head sent half and
//!   stalled (slowloris), an idle keep-alive connection, a client that
//!   stops reading its answer. A request being handled (a slow database,
//!   a body being read) holds it off; the handler timeout bounds those.
//! - **A body timeout** ([`crate::AppConfig::body_timeout`]): once a handler
//!   waits for the request body (only then: a body already in the read
//!   buffer, or none, costs no timer), the rest must arrive within it;
//!   else the handler's read fails, the answer is a 408 problem document
//!   ([`crate::middleware::EdgeLayer`] writes it) and the connection is
//!   closed.
//!
//! Each request carries its peer address as `ConnectInfo<SocketAddr>`
//! (the client address layer, `client_ip`, reads it). On shutdown the
//! loop stops accepting, every connection finishes the request it is
//! serving and closes ([`hyper`]'s graceful shutdown), and `serve` returns
//! once all have closed; a connection stalled in a head is closed by its
//! watchdog at the latest.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::Response;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use pin_project_lite::pin_project;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::time::{Instant, Sleep};
use tower::ServiceExt as _;
use tower::util::Oneshot;

use crate::app::App;
use crate::middleware::{EdgeLayer, X_REQUEST_ID};

/// File descriptors kept free of connections: the database files (each
/// pooled SQLite connection holds three), the logs, the runtime's own.
pub const FD_RESERVE: usize = 128;

/// Serves `app` on `listener` until `shutdown` resolves, then lets the
/// requests in flight finish (graceful shutdown). Each request carries its
/// peer address (`ConnectInfo<SocketAddr>`), which the portal's per-client
/// rate limit keys on; serving [`crate::router`] any other way loses it.
/// Holds at most [`crate::AppConfig::max_connections`] connections and closes
/// those that stall ([`crate::AppConfig::header_timeout`],
/// [`crate::AppConfig::body_timeout`]; see the module documentation).
pub async fn serve(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let config = app.config().clone();
    let limits = Limits {
        header: config.header_timeout,
        body: config.body_timeout,
    };
    let cap = connection_cap(config.max_connections, open_file_limit());
    if cap < config.max_connections {
        tracing::info!(
            max_connections = cap,
            configured = config.max_connections,
            "connection cap lowered to the open-file limit (raise it, e.g. LimitNOFILE, to serve more)"
        );
    }
    let edge = Arc::new(EdgeLayer::new(&config));
    let router = crate::router(app);
    let slots = Arc::new(Semaphore::new(cap));

    // `stop` closes when `shutdown` resolves; every connection watches it.
    let (stop, stopped) = watch::channel(());
    tokio::spawn(async move {
        shutdown.await;
        drop(stopped);
    });
    // Each connection holds a receiver; `serve` returns when all are gone.
    let (done, open) = watch::channel(());

    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            () = stop.closed() => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    accept_error(e).await;
                    continue;
                }
            },
            () = stop.closed() => break,
        };
        let conn = Conn {
            stream,
            peer,
            router: router.clone(),
            edge: Arc::clone(&edge),
            limits,
        };
        let stop = stop.clone();
        let open = open.clone();
        tokio::spawn(async move {
            conn.run(stop).await;
            drop(slot);
            drop(open);
        });
    }
    drop(open);
    drop(listener);
    done.closed().await;
    Ok(())
}

/// An accept error: a connection the peer gave up on is nothing; any
/// other (out of file descriptors, of memory) is logged and the loop waits
/// a second before it accepts again, as hyper 0.14 and axum do.
async fn accept_error(e: io::Error) {
    if matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "accept failed; retrying in 1 s");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// The connection cap: `configured` (at least 1), lowered to the open-file
/// limit less [`FD_RESERVE`] (at least half the limit) when that is known
/// and lower.
fn connection_cap(configured: usize, open_files: Option<usize>) -> usize {
    let cap = configured.max(1);
    match open_files {
        Some(n) => cap.min(n.saturating_sub(FD_RESERVE).max(n / 2).max(1)),
        None => cap,
    }
}

/// The process's soft limit of open files, from `/proc/self/limits`
/// (Linux); `None` elsewhere or when unlimited.
fn open_file_limit() -> Option<usize> {
    parse_open_file_limit(&std::fs::read_to_string("/proc/self/limits").ok()?)
}

fn parse_open_file_limit(limits: &str) -> Option<usize> {
    let rest = limits
        .lines()
        .find_map(|l| l.strip_prefix("Max open files"))?;
    rest.split_whitespace().next()?.parse().ok()
}

/// The timeouts of a connection.
#[derive(Clone, Copy, Debug)]
struct Limits {
    header: Duration,
    body: Duration,
}

/// What a connection's watchdog reads: whether the service is working on
/// a request, and when the client last gave a sign (shared by the socket,
/// the service and the request body of one connection, all polled on the
/// connection's task); and the edge, which writes the 408.
#[derive(Debug)]
struct Activity {
    edge: Arc<EdgeLayer>,
    opened: Instant,
    /// Requests in the service (0 or 1 on HTTP/1).
    busy: AtomicU32,
    /// Nanoseconds from `opened` to the last sign: a request answered, a
    /// byte of an answer written.
    last: AtomicU64,
    /// The body of the request in the service did not arrive in time.
    body_late: AtomicBool,
}

impl Activity {
    fn new(edge: Arc<EdgeLayer>) -> Self {
        Self {
            edge,
            opened: Instant::now(),
            busy: AtomicU32::new(0),
            last: AtomicU64::new(0),
            body_late: AtomicBool::new(false),
        }
    }

    fn touch(&self) {
        let nanos = u64::try_from(self.opened.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.last.store(nanos, Ordering::Relaxed);
    }

    /// When the connection is to be closed if nothing happens before:
    /// `timeout` after the last sign, or `None` while the service works on
    /// a request.
    fn deadline(&self, timeout: Duration) -> Option<Instant> {
        if self.busy.load(Ordering::Relaxed) > 0 {
            return None;
        }
        let last = Duration::from_nanos(self.last.load(Ordering::Relaxed));
        Some(self.opened + last + timeout)
    }
}

/// One accepted connection and what serving it needs.
struct Conn {
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    edge: Arc<EdgeLayer>,
    limits: Limits,
}

impl Conn {
    /// Serves the connection until the client closes it, the watchdog
    /// does, or the server stops (`stop` closes: finish the request being
    /// served, then close).
    async fn run(self, stop: watch::Sender<()>) {
        let activity = Arc::new(Activity::new(self.edge));
        let io = TokioIo::new(Watched {
            stream: self.stream,
            activity: Arc::clone(&activity),
        });
        let service = ConnService {
            router: self.router,
            peer: self.peer,
            body_timeout: self.limits.body,
            activity: Arc::clone(&activity),
        };
        let mut conn = pin!(http1::Builder::new().serve_connection(io, service));
        let mut stopping = pin!(stop.closed());
        let mut stopped = false;
        let mut watchdog = pin!(tokio::time::sleep(self.limits.header));
        loop {
            tokio::select! {
                served = conn.as_mut() => {
                    if let Err(e) = served {
                        tracing::trace!(peer = %self.peer, error = %e, "connection ended");
                    }
                    break;
                }
                () = stopping.as_mut(), if !stopped => {
                    stopped = true;
                    conn.as_mut().graceful_shutdown();
                }
                () = watchdog.as_mut() => {
                    let now = Instant::now();
                    match activity.deadline(self.limits.header) {
                        None => watchdog.as_mut().reset(now + self.limits.header),
                        Some(at) if at > now => watchdog.as_mut().reset(at),
                        Some(_) => {
                            tracing::debug!(
                                peer = %self.peer,
                                "closing a connection that kept the server waiting"
                            );
                            break;
                        }
                    }
                }
            }
        }
    }
}

/// The connection's socket, telling the watchdog of every byte of an
/// answer written.
struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl Watched {
    fn wrote(&self, written: &Poll<io::Result<usize>>) {
        if matches!(written, Poll::Ready(Ok(n)) if *n > 0) {
            self.activity.touch();
        }
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.stream).poll_write(cx, buf);
        self.wrote(&written);
        written
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.wrote(&written);
        written
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// The service of one connection: the router, with the peer address and
/// the timed body on each request.
#[derive(Clone)]
struct ConnService {
    router: Router,
    peer: SocketAddr,
    body_timeout: Duration,
    activity: Arc<Activity>,
}

impl hyper::service::Service<Request<Incoming>> for ConnService {
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn call(&self, req: Request<Incoming>) -> Answer {
        self.activity.busy.fetch_add(1, Ordering::Relaxed);
        self.activity.body_late.store(false, Ordering::Relaxed);
        let mut req = req.map(|body| {
            Body::new(TimedBody {
                inner: body,
                limit: self.body_timeout,
                timer: None,
                activity: Arc::clone(&self.activity),
            })
        });
        req.extensions_mut().insert(ConnectInfo(self.peer));
        Answer {
            inner: self.router.clone().oneshot(req),
            activity: Arc::clone(&self.activity),
        }
    }
}

pin_project! {
    /// The answer of [`ConnService`]: the router's, or a 408 when the
    /// request body was late.
    struct Answer {
        #[pin]
        inner: Oneshot<Router, Request<Body>>,
        activity: Arc<Activity>,
    }
}

impl Future for Answer {
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let res = match this.inner.poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Ok(res)) => res,
            Poll::Ready(Err(never)) => match never {},
        };
        this.activity.busy.fetch_sub(1, Ordering::Relaxed);
        this.activity.touch();
        if !this.activity.body_late.swap(false, Ordering::Relaxed) {
            return Poll::Ready(Ok(res));
        }
        // Whatever the handler made of its failed read, the client was too
        // slow: say so, and close the connection (the rest of the body
        // cannot be told from the next request).
        let request_id = res.headers().get(&X_REQUEST_ID).cloned();
        tracing::debug!(
            request_id = request_id
                .as_ref()
                .and_then(|v| v.to_str().ok())
                .unwrap_or(""),
            "request body not received in time"
        );
        let mut late = this
            .activity
            .edge
            .answer(StatusCode::REQUEST_TIMEOUT, request_id);
        late.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        Poll::Ready(Ok(late))
    }
}

/// A request body that fails once it has been awaited for longer than its
/// limit.
#[derive(Debug, thiserror::Error)]
enum BodyError {
    /// Not all of it arrived in time.
    #[error("the request body did not arrive within {0:?}")]
    Late(Duration),
    /// The connection failed.
    #[error(transparent)]
    Read(#[from] hyper::Error),
}

pin_project! {
    /// The request body, with the body timeout: the timer starts the first
    /// time the handler waits for data.
    struct TimedBody {
        #[pin]
        inner: Incoming,
        limit: Duration,
        timer: Option<Pin<Box<Sleep>>>,
        activity: Arc<Activity>,
    }
}

impl hyper::body::Body for TimedBody {
    type Data = Bytes;
    type Error = BodyError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyError>>> {
        let this = self.project();
        match this.inner.poll_frame(cx) {
            Poll::Ready(frame) => Poll::Ready(frame.map(|f| f.map_err(BodyError::from))),
            Poll::Pending => {
                let limit = *this.limit;
                let timer = this
                    .timer
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
                if timer.as_mut().poll(cx).is_ready() {
                    this.activity.body_late.store(true, Ordering::Relaxed);
                    return Poll::Ready(Some(Err(BodyError::Late(limit))));
                }
                Poll::Pending
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_file_limit_is_read_from_proc() {
        let limits = "Limit                     Soft Limit           Hard Limit           Units     \n\
                      Max processes             63413                63413                processes \n\
                      Max open files            1024                 524288               files     \n";
        assert_eq!(parse_open_file_limit(limits), Some(1024));
        let unlimited =
            "Max open files            unlimited            unlimited            files\n";
        assert_eq!(parse_open_file_limit(unlimited), None);
        assert_eq!(parse_open_file_limit(""), None);
    }

    #[test]
    fn the_cap_leaves_file_descriptors_free() {
        assert_eq!(connection_cap(1024, None), 1024);
        assert_eq!(connection_cap(1024, Some(1024)), 1024 - FD_RESERVE);
        assert_eq!(connection_cap(1024, Some(1_048_576)), 1024);
        assert_eq!(connection_cap(4, Some(1024)), 4);
        assert_eq!(connection_cap(1024, Some(100)), 50);
        assert_eq!(connection_cap(0, None), 1);
    }
}
