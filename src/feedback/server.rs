//! Accepting connections for the endpoint (and for the preview, which serves it too), so that
//! slow or idle clients cannot use up the server: a deadline for a request's headers (hyper's,
//! which also bounds the wait for a kept-alive connection's next request), one for a post's
//! body (kept by `posted`), an idle timeout (no byte either way while no request is being
//! handled), and a cap on open connections below the process's file limit.
//!
//! At the cap, a new connection displaces the connection that has waited longest without a
//! request in progress (one still sending its headers slowly, or idling), so that a crowd of
//! slow clients cannot keep `/healthz` or a resident out; only when every connection has a
//! request in progress does the new one wait for a free place.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, Semaphore, watch};
use tower::ServiceExt;

/// File descriptors kept back from connections: the database, its WAL, readers, pages, logs.
const RESERVED_FILES: u64 = 64;

/// How long clients may take, and how many may be connected at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// From when the server waits for a request (a new connection, or a kept-alive one after
    /// its last response) until the request's headers have all arrived. Default 5 s.
    pub header_timeout: Duration,
    /// From the headers until a post's whole body has arrived. Default 10 s.
    pub body_timeout: Duration,
    /// How long a connection may go without a byte either way while no request is being
    /// handled (a new connection that says nothing, a kept-alive one between requests, a
    /// client that stopped reading its response). Default 5 s; `None` for the preview, whose
    /// event stream is quiet for longer.
    pub idle_timeout: Option<Duration>,
    /// Connections open at once; `None`: as many as the file limit allows, less a reserve.
    pub max_connections: Option<usize>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(5),
            body_timeout: Duration::from_secs(10),
            idle_timeout: Some(Duration::from_secs(5)),
            max_connections: None,
        }
    }
}

/// Raises the soft file limit to the hard one and says how many connections fit below it,
/// logging what was chosen.
pub fn connection_cap(wanted: Option<usize>) -> usize {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let before = getrlimit(Resource::Nofile);
    let mut files = before.current;
    if before.current != before.maximum {
        let raised = Rlimit {
            current: before.maximum,
            maximum: before.maximum,
        };
        match setrlimit(Resource::Nofile, raised) {
            Ok(()) => files = before.maximum,
            Err(e) => tracing::warn!("cannot raise the file limit to the hard limit: {e}"),
        }
    }
    // `None` is unlimited; a million is more than any machine serves at once.
    let files = files.unwrap_or(1_000_000);
    let fit = usize::try_from(files.saturating_sub(RESERVED_FILES).max(1)).unwrap_or(usize::MAX);
    let cap = wanted.map_or(fit, |w| w.clamp(1, fit));
    tracing::info!(
        file_limit = files,
        soft_limit_was = before.current.unwrap_or(u64::MAX),
        max_connections = cap,
        "serving at most {cap} connections at once (file limit {files})"
    );
    cap
}

/// Serves `app` on `listener` until `stop` turns true, then lets requests in flight finish and
/// returns once every connection has closed.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    max_connections: usize,
    mut stop: watch::Receiver<bool>,
) {
    let places = Arc::new(Semaphore::new(max_connections));
    let open = Arc::new(Open::default());
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stopped(&mut stop) => break,
        };
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // Out of file descriptors, or the peer gave up: wait a moment, then go on.
                tracing::warn!("cannot accept a connection: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let place = match places.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                open.displace_oldest_idle();
                tokio::select! {
                    p = places.clone().acquire_owned() => p.expect("the semaphore is never closed"),
                    _ = stopped(&mut stop) => break,
                }
            }
        };
        let (id, conn_state) = open.add();
        let open = open.clone();
        let app = app.clone();
        let mut stop = stop.clone();
        tokio::spawn(async move {
            let state = conn_state.clone();
            let svc = tower::service_fn(move |mut req: axum::http::Request<Incoming>| {
                let app = app.clone();
                let state = state.clone();
                req.extensions_mut().insert(ConnectInfo(peer));
                async move {
                    state.busy.store(true, Ordering::Relaxed);
                    let res = app.oneshot(req.map(axum::body::Body::new)).await;
                    state.busy.store(false, Ordering::Relaxed);
                    state.touch();
                    Ok::<_, Infallible>(res.unwrap_or_else(|e| match e {}))
                }
            });
            let io = Watched {
                inner: stream,
                state: conn_state.clone(),
            };
            let conn = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .serve_connection(TokioIo::new(io), TowerToHyperService::new(svc));
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = conn_state.displaced.notified() => {}
                _ = idle(&conn_state, limits.idle_timeout) => {}
                _ = stopped(&mut stop) => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
            open.remove(id);
            drop(place);
        });
    }
    // Every place free again means every connection has closed.
    let _ = places.acquire_many(max_connections as u32).await;
}

/// Resolves once `stop` turns true (or its sender is gone).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// The open connections, oldest first, each with whether a request is in progress.
#[derive(Default)]
struct Open {
    conns: Mutex<(u64, BTreeMap<u64, Arc<ConnState>>)>,
}

struct ConnState {
    /// Whether a request is being handled.
    busy: AtomicBool,
    displaced: Notify,
    opened: Instant,
    /// When a byte last went either way, or a request was last handled: ms after `opened`.
    active_ms: AtomicU64,
}

impl ConnState {
    fn touch(&self) {
        let ms = self.opened.elapsed().as_millis() as u64;
        self.active_ms.store(ms, Ordering::Relaxed);
    }

    fn last_active(&self) -> Instant {
        self.opened + Duration::from_millis(self.active_ms.load(Ordering::Relaxed))
    }
}

/// Resolves once the connection has been idle for `limit`: no byte either way and no request
/// being handled. Never, without a limit.
async fn idle(conn: &ConnState, limit: Option<Duration>) {
    let Some(limit) = limit else {
        return std::future::pending().await;
    };
    loop {
        let last = conn.last_active();
        tokio::time::sleep_until((last + limit).into()).await;
        if !conn.busy.load(Ordering::Relaxed) && conn.last_active() <= last {
            return;
        }
    }
}

/// A connection's socket that notes when bytes go either way.
struct Watched {
    inner: TcpStream,
    state: Arc<ConnState>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.state.touch();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.state.touch();
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

impl Open {
    fn add(&self) -> (u64, Arc<ConnState>) {
        let mut g = self.conns.lock().unwrap_or_else(|e| e.into_inner());
        let id = g.0;
        g.0 += 1;
        let state = Arc::new(ConnState {
            busy: AtomicBool::new(false),
            displaced: Notify::new(),
            opened: Instant::now(),
            active_ms: AtomicU64::new(0),
        });
        g.1.insert(id, state.clone());
        (id, state)
    }

    fn remove(&self, id: u64) {
        let mut g = self.conns.lock().unwrap_or_else(|e| e.into_inner());
        g.1.remove(&id);
    }

    /// Closes the oldest connection without a request in progress, if there is one.
    fn displace_oldest_idle(&self) {
        let mut g = self.conns.lock().unwrap_or_else(|e| e.into_inner());
        let oldest =
            g.1.iter()
                .find(|(_, c)| !c.busy.load(Ordering::Relaxed))
                .map(|(id, _)| *id);
        if let Some(c) = oldest.and_then(|id| g.1.remove(&id)) {
            // `notify_one` keeps the wake-up if the task is not waiting yet.
            c.displaced.notify_one();
        }
    }
}
