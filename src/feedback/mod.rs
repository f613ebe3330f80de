//! The feedback endpoint: the one moving part next to the static site, where residents'
//! answers to calls for input arrive, are checked, and are stored durably.
//!
//! It reads only the built site (`data/calls.json` and the thank-you pages), never `content/`,
//! and the build pipeline never imports it. Map of the module:
//! - [`calls`]: the calls and their questions from `calls.json`, reloaded on rebuild
//! - [`answers`]: reading form and JSON posts, validating them against a call
//! - [`abuse`]: honeypot, form tokens, rate limit, origin checks
//! - [`posted`]: the checks every post goes through, and its body decoded, as an extractor
//! - [`receipt`]: receipt codes for withdrawal
//! - [`store`]: `--db` as a [`store::DbSpec`], [`store::open`], the [`store::Store`] trait and
//!   its SQLite implementation with group commit
//! - [`export`]: CSV/JSON exports for staff and public summaries
//! - [`staff`]: staff accounts, roles, passwords (Argon2id), setup and session tokens
//! - [`pages`]: HTML pages for residents without JavaScript, framed by the site's own page
//! - [`messages`]: the endpoint's sentences by name, in the words `calls.json` brings from the site's i18n
//! - [`errors`]: the one error enum and how it becomes a response
//! - [`router`]: `router(state) -> Router` and the routes
//! - [`console`]: the staff console at `/admin/`: sign-in, sessions, the calls, the audit log
//! - [`search`]: the staff search over free-text answers (tantivy), kept current from the store
//! - [`server`]: accepting connections with timeouts and a cap below the file limit
//! - this file: running the server, with its background jobs and graceful shutdown

pub mod abuse;
pub mod answers;
pub mod calls;
pub mod console;
pub mod errors;
pub mod export;
pub mod messages;
pub mod pages;
pub(crate) mod posted;
pub mod receipt;
pub mod router;
pub mod search;
pub mod server;
pub mod staff;
pub mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use axum::http::HeaderName;
use jiff::Timestamp;
use sha2::{Digest, Sha256};

use abuse::{ClientAddrs, FormTokens, Origins, RateLimiter};
use calls::SiteHandle;
use router::{AppState, Clock, State};
use store::{DbSpec, Delete, IfMissing};

/// How the server is set up; built from the command line and the environment.
#[derive(Debug, Clone)]
pub struct Options {
    pub site: PathBuf,
    pub db: DbSpec,
    pub listen: SocketAddr,
    /// Origins allowed to post and to call the API from a browser (`https://site.example`).
    pub origins: Vec<String>,
    /// Posts per client per minute; 0 turns the limit off.
    pub rate_limit: u32,
    /// Clients the rate limit remembers at most ([`abuse::MAX_CLIENTS`] by default).
    pub rate_limit_clients: usize,
    pub min_fill: Duration,
    pub max_form_age: Duration,
    pub admin_token: Option<String>,
    pub form_secret: Option<String>,
    pub real_ip_header: Option<String>,
    /// Proxies behind the one that saw the client that also add to `real_ip_header`.
    pub trusted_proxies: usize,
    /// Timeouts and the connection cap.
    pub limits: server::Limits,
    /// The staff console at `/admin/`: how sessions last, and whether it needs signing in.
    pub console: console::Settings,
}

impl Options {
    /// Builds the shared state around a store.
    pub fn state(&self, site: Arc<SiteHandle>, store: Arc<dyn store::Store>) -> Result<AppState> {
        let secret = match &self.form_secret {
            Some(s) if !s.is_empty() => s.as_bytes().to_vec(),
            _ => {
                let mut s = vec![0u8; 32];
                getrandom::fill(&mut s)
                    .map_err(|e| anyhow::anyhow!("no randomness for the form secret: {e}"))?;
                s
            }
        };
        let real_ip_header = self
            .real_ip_header
            .as_deref()
            .map(|h| {
                HeaderName::try_from(h)
                    .with_context(|| format!("--real-ip-header {h:?} is not a header name"))
            })
            .transpose()?;
        let admin_token = match self.admin_token.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => Some(admin_token_hash(t)?),
            _ => None,
        };
        Ok(Arc::new(State {
            site,
            store,
            tokens: FormTokens::new(&secret, self.min_fill, self.max_form_age),
            limiter: RateLimiter::new(self.rate_limit, self.rate_limit_clients),
            origins: Origins::new(self.origins.iter().cloned()),
            admin_token,
            admin_failures: RateLimiter::new(ADMIN_FAILURES_PER_MINUTE, self.rate_limit_clients),
            client_addrs: ClientAddrs {
                header: real_ip_header,
                trusted_proxies: self.trusted_proxies,
            },
            body_timeout: self.limits.body_timeout,
            console: console::Console::new(&secret, &self.console, self.listen),
            clock: Clock::default(),
        }))
    }
}

/// Refuses a shared database without `TORGET_FORM_SECRET`: instances behind one load
/// balancer must accept each other's form tokens, and a secret each made up at start would
/// make a resident's post fail whenever it reached another instance than the form.
fn shared_secret(opts: &Options) -> Result<()> {
    let set = opts
        .form_secret
        .as_deref()
        .is_some_and(|s| !s.trim().is_empty());
    if opts.db.is_shared() && !set {
        anyhow::bail!(
            "TORGET_FORM_SECRET is not set: with a PostgreSQL database several instances may \
             serve the site, and each must accept the form tokens the others made; set the same \
             secret on every instance, e.g. one made with `openssl rand -base64 32`"
        );
    }
    Ok(())
}

/// Shortest admin token accepted: 32 characters of `openssl rand -base64 32` hold 192 bits.
pub const MIN_ADMIN_TOKEN_CHARS: usize = 32;

/// Failed admin token attempts an address may make per minute before it is made to wait.
const ADMIN_FAILURES_PER_MINUTE: u32 = 10;

/// SHA-256 of the admin token, refusing one short enough to guess.
fn admin_token_hash(token: &str) -> Result<[u8; 32]> {
    let chars = token.chars().count();
    if chars < MIN_ADMIN_TOKEN_CHARS {
        anyhow::bail!(
            "TORGET_ADMIN_TOKEN has {chars} characters, fewer than the {MIN_ADMIN_TOKEN_CHARS} \
             needed to resist guessing: make one with `openssl rand -base64 32`"
        );
    }
    Ok(Sha256::digest(token.as_bytes()).into())
}

/// Runs the endpoint until SIGTERM or Ctrl-C, then finishes in-flight answers and stops.
pub async fn serve(opts: Options) -> Result<()> {
    shared_secret(&opts)?;
    let site = Arc::new(SiteHandle::open(&opts.site)?);
    let store = store::open(&opts.db, IfMissing::Create)?;
    let state = opts.state(site, store.clone())?;
    // Built in the background: serving starts at once, and searches say it is being prepared.
    state
        .console
        .search
        .start(state.store.clone(), state.site.clone());
    let listener = tokio::net::TcpListener::bind(opts.listen)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {}: is another server using it? choose another with --listen",
                opts.listen
            )
        })?;
    let addr = listener.local_addr()?;
    if state.admin_token.is_none() {
        tracing::info!("admin routes are off: set TORGET_ADMIN_TOKEN to enable them");
    }
    if opts.rate_limit == 0 {
        tracing::warn!("the rate limit is off (--rate-limit 0): use this for load tests only");
    }
    tracing::info!("listening on http://{addr}");

    let max_connections = server::connection_cap(opts.limits.max_connections);

    let jobs = tokio::spawn(background(state.clone()));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let app = router::router(state.clone());
    let server = tokio::spawn(server::serve(
        listener,
        app,
        opts.limits,
        max_connections,
        stop_rx,
    ));
    shutdown_signal().await;
    tracing::info!("shutting down: finishing answers in flight");
    let _ = stop_tx.send(true);
    // A client that never finishes its request must not hold the shutdown forever.
    match tokio::time::timeout(Duration::from_secs(20), server).await {
        Ok(joined) => joined.context("the server task failed")?,
        Err(_) => tracing::warn!("requests still open after 20 s were dropped"),
    }
    jobs.abort();
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = ctrl_c.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

/// Reloads `calls.json` when the site is rebuilt, and applies `keep_days` once a day.
async fn background(state: AppState) {
    let mut reload = tokio::time::interval(Duration::from_secs(2));
    let mut retention = tokio::time::interval(Duration::from_secs(24 * 60 * 60));
    loop {
        tokio::select! {
            _ = reload.tick() => {
                let site = state.site.clone();
                match tokio::task::spawn_blocking(move || site.reload_if_changed()).await {
                    Ok(Ok(true)) => tracing::info!("the site was rebuilt: calls reloaded"),
                    Ok(Ok(false)) => {}
                    Ok(Err(e)) => tracing::warn!("keeping the previous calls: {e:#}"),
                    Err(e) => tracing::warn!("reloading the calls failed: {e}"),
                }
            }
            _ = retention.tick() => {
                if let Err(e) = apply_retention(&state, state.clock.now()).await {
                    tracing::error!("applying keep_days failed: {e:#}");
                }
            }
        }
    }
}

/// Deletes the responses of every call whose `keep_days` after closing have passed.
pub async fn apply_retention(state: &State, now: Timestamp) -> Result<u64> {
    let site = state.site.get();
    let mut total = 0;
    for call in site.calls() {
        let Some(days) = call.keep_days else { continue };
        let until = call.closes.as_second() + i64::from(days) * 86_400;
        if now.as_second() >= until {
            let n = state
                .store
                .delete(Delete::Call(call.id.clone()))
                .await
                .with_context(|| format!("cannot delete the responses to {}", call.id))?;
            if n > 0 {
                tracing::info!(call = %call.id, deleted = n, keep_days = days, "old responses deleted");
            }
            total += n;
        }
    }
    Ok(total)
}
