//! `torget serve`: the site built into a folder of its own and served on 127.0.0.1, rebuilt
//! as its sources change, with open pages told to reload (or to show what is wrong).
//!
//! Three threads of work: the HTTP server (tokio, axum) serves the folder and the event
//! stream; the rebuild thread owns the [`rebuild::Rebuilder`] and waits on the
//! [`watch::Watcher`]; the caller waits for Ctrl-C and calls [`Running::stop`]. They share
//! only the [`reload::Live`] state (what pages are told) and the folder on disk, which the
//! rebuilder changes one atomically replaced file at a time.
//!
//! - [`static`](mod@r#static): serving files, safely
//! - [`watch`]: which files changed
//! - [`rebuild`]: what a change touches, and rebuilding just that
//! - [`reload`]: the event stream, the injected script, the error overlay's problems

pub mod rebuild;
pub mod reload;
pub mod r#static;
pub mod watch;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use axum::Router;
use axum::routing::get;
use tokio::sync::watch as signal;

use crate::site::BuildOptions;
use rebuild::{Failure, Outcome, Rebuilder};
use reload::{Live, Problem};

/// How to serve.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site's folder.
    pub root: PathBuf,
    /// Where the preview is built; default `<root>/.torget/serve`. Emptied on start.
    pub out: Option<PathBuf>,
    pub listen: SocketAddr,
    /// Include drafts. Off by default, like `torget build`, so the preview shows what would
    /// be published.
    pub drafts: bool,
    /// Build as if it were this moment; default: the time of each full rebuild.
    pub now: Option<jiff::Timestamp>,
}

/// Marks a folder as torget serve's, so that only such a folder is ever emptied.
const MARKER: &str = ".torget-serve";

/// A running preview server.
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Where the preview is built.
    pub out: PathBuf,
    pub live: Arc<Live>,
    stop: signal::Sender<bool>,
    threads: Vec<JoinHandle<()>>,
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Stops serving and watching, and waits until both have stopped.
    pub fn stop(mut self) {
        let _ = self.stop.send(true);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Builds the site, starts watching it and serving it; returns once it is served.
pub fn start(opts: Options) -> Result<Running> {
    let root = opts
        .root
        .canonicalize()
        .with_context(|| format!("cannot find the site folder {}", opts.root.display()))?;
    let out = opts
        .out
        .clone()
        .unwrap_or_else(|| root.join(".torget").join("serve"));
    check_out(&root, &out)?;
    // Bound first, so that a port in use is said before a long first build.
    let listener = std::net::TcpListener::bind(opts.listen).with_context(|| {
        format!(
            "cannot listen on {}; is another server using port {}? Try --port 0 for any free port",
            opts.listen,
            opts.listen.port()
        )
    })?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;

    let instance = jiff::Timestamp::now().as_millisecond().to_string();
    let live = Arc::new(Live::new(&instance));
    let (stop, stopping) = signal::channel(false);

    let mut watcher = watch::Watcher::new(&root)?;
    let mut build = BuildOptions::new(&root);
    build.drafts = opts.drafts;
    // A preview favours fast rebuilds and readable source over small files, and keeps asset
    // names stable so a stylesheet edit changes no page.
    build.minify = Some(false);
    build.fingerprint = false;
    let mut rebuilder = Rebuilder::new(build, opts.now, &out)?;
    crate::fsx::write(
        &out.join(MARKER),
        "torget serve builds here; torget may empty this folder\n",
    )?;
    let out = out.canonicalize()?;
    eprintln!("building {} …", root.display());
    handle(&mut rebuilder, &live, &[]);

    let mut threads = Vec::new();
    let rebuild_live = live.clone();
    let rebuild_stopping = stopping.clone();
    threads.push(
        std::thread::Builder::new()
            .name("torget-rebuild".into())
            .spawn(move || {
                while !*rebuild_stopping.borrow() {
                    if let Some(paths) = watcher.next(Duration::from_millis(200)) {
                        handle(&mut rebuilder, &rebuild_live, &paths);
                    }
                }
            })?,
    );

    let app = app(&live, stopping.clone(), &out);
    let mut server_stopping = stopping;
    threads.push(
        std::thread::Builder::new()
            .name("torget-http".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                {
                    Ok(r) => r,
                    Err(e) => {
                        eprintln!("error: cannot start the server: {e}");
                        return;
                    }
                };
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => l,
                        Err(e) => {
                            eprintln!("error: cannot serve: {e}");
                            return;
                        }
                    };
                    let mut shutdown = server_stopping.clone();
                    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
                        let _ = shutdown.wait_for(|s| *s).await;
                    });
                    let server = tokio::spawn(async move { server.await });
                    let _ = server_stopping.wait_for(|s| *s).await;
                    // Open event streams end on the same signal; anything else gets a moment.
                    let _ = tokio::time::timeout(Duration::from_secs(3), server).await;
                });
            })?,
    );
    Ok(Running {
        addr,
        out,
        live,
        stop,
        threads,
    })
}

/// The routes: the event stream and script, then the built site for everything else.
fn app(live: &Arc<Live>, stopping: signal::Receiver<bool>, out: &Path) -> Router {
    let events = Router::new()
        .route(reload::EVENTS_PATH, get(reload::events))
        .with_state(reload::Events {
            live: live.clone(),
            stopping,
        });
    let files = Router::new()
        .route(reload::SCRIPT_PATH, get(reload::script))
        .fallback(r#static::serve)
        .with_state(Arc::new(r#static::Site {
            root: out.to_path_buf(),
            placeholder: PLACEHOLDER.to_string(),
        }));
    events.merge(files)
}

/// Shown while no build has succeeded; the overlay says why.
const PLACEHOLDER: &str = "<!DOCTYPE html><html lang=\"nb\"><head><meta charset=\"utf-8\"><title>Torget</title></head><body><main><h1>Torget</h1><p lang=\"nb\">Nettstedet har feil og kan ikke vises ennå. Rett feilene, så vises det her.</p><p lang=\"en\">The site has mistakes and cannot be shown yet. Fix them and it appears here.</p></main></body></html>";

/// Refuses an output folder that holds the site's sources or sits inside them (the watcher
/// would see every write), or one that torget did not make (it is emptied).
fn check_out(root: &Path, out: &Path) -> Result<()> {
    let abs = if out.is_absolute() {
        out.to_path_buf()
    } else {
        std::env::current_dir()?.join(out)
    };
    crate::output::check_target(root, &abs)?;
    for folder in watch::FOLDERS {
        if abs.starts_with(root.join(folder)) {
            bail!(
                "the preview folder {} is inside the site's {folder}/ folder; choose another --out",
                out.display()
            );
        }
    }
    let empty = abs
        .read_dir()
        .map(|mut d| d.next().is_none())
        .unwrap_or(true);
    if !empty && !abs.join(MARKER).exists() {
        bail!(
            "{} is not empty and torget serve did not make it; it would be emptied, so choose another --out",
            out.display()
        );
    }
    Ok(())
}

/// Rebuilds after `paths` changed (none: everything), tells the pages and the terminal.
fn handle(rebuilder: &mut Rebuilder, live: &Live, paths: &[PathBuf]) {
    let started = Instant::now();
    let mut told: Vec<String> = Vec::new();
    let mut tell = |pages: &[String]| {
        // Pages are written only after the content loaded: whatever was wrong is fixed.
        live.succeeded();
        live.reload(pages, false);
        told.extend_from_slice(pages);
    };
    let result = rebuilder.rebuild(paths, &mut tell);
    let what = describe(paths);
    match result {
        Ok(outcome) => {
            live.succeeded();
            let rest: Vec<String> = outcome
                .pages
                .iter()
                .filter(|p| !told.contains(p))
                .cloned()
                .collect();
            if outcome.all {
                live.reload(&[], true);
            } else {
                if !rest.is_empty() {
                    live.reload(&rest, false);
                }
                if !outcome.css.is_empty() {
                    live.css(&outcome.css);
                }
            }
            report(&what, &outcome, started);
            // Work that may lag behind the pages (a search index, once there is one) starts
            // here, after the pages were told to reload.
        }
        Err(failure) => {
            let problems = match &failure {
                Failure::Content(diags) => {
                    for d in diags {
                        eprintln!("{d}");
                    }
                    diags.iter().map(Problem::from).collect()
                }
                Failure::Other(e) => {
                    eprintln!("error: {e:#}");
                    vec![Problem::general(format!("{e:#}"))]
                }
            };
            // The file just saved first: the others often only follow from it.
            let mut problems: Vec<Problem> = problems;
            problems.sort_by_key(|p| {
                !paths.iter().any(|c| {
                    p.file.as_deref() == c.to_str().map(|c| c.replace('\\', "/")).as_deref()
                })
            });
            let n = problems.len();
            eprintln!(
                "{what}: {n} {}; the preview still shows the last version that built",
                if n == 1 { "problem" } else { "problems" }
            );
            live.failed(problems);
        }
    }
}

fn describe(paths: &[PathBuf]) -> String {
    match paths {
        [] => "site".to_string(),
        [one] => one.display().to_string(),
        [one, rest @ ..] => format!("{} and {} more", one.display(), rest.len()),
    }
}

fn report(what: &str, o: &Outcome, started: Instant) {
    for w in &o.warnings {
        eprintln!("{w}");
    }
    if o.how.is_empty() && o.pages.is_empty() && o.css.is_empty() {
        return;
    }
    let first = o
        .first
        .map(|f| format!(", first page after {} ms", f.as_millis()))
        .unwrap_or_default();
    eprintln!(
        "{what}: {}; {} page(s) changed in {} ms{first}",
        o.how,
        o.pages.len(),
        started.elapsed().as_millis()
    );
}
