//! `torget serve`: the site built into a folder of its own and served on 127.0.0.1, rebuilt
//! as its sources change, with open pages told to reload (or to show what is wrong), and the
//! feedback endpoint on the same origin so the call forms work (answers go to
//! `.torget/feedback.sqlite`).
//!
//! Three threads of work: the HTTP server (tokio, axum) serves the folder, the event stream
//! and the endpoint's `/api/` routes; the rebuild thread owns the [`rebuild::Rebuilder`] and
//! waits on the [`watch::Watcher`]; the caller waits for Ctrl-C and calls [`Running::stop`].
//! They share only the [`reload::Live`] state (what pages are told), the endpoint's calls
//! (reloaded after a rebuild that changed `data/calls.json`) and the folder on disk, which the
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
use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::get;
use tokio::sync::watch as signal;

use crate::calls_json::CallsFile;
use crate::feedback::calls::SiteHandle;
use crate::feedback::store::{self, DbSpec, IfMissing};
use crate::messages::{Lang, Text};
use crate::site::{BuildOptions, SearchReport};
use rebuild::{Failure, Outcome, Rebuilder, SearchJob};
use reload::{Live, Problem};

/// How to serve.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site's folder.
    pub root: PathBuf,
    /// Where the preview is built; default `<root>/.torget/serve`. Emptied on start.
    pub out: Option<PathBuf>,
    pub listen: SocketAddr,
    /// Include drafts, each page of one with a banner saying it is not published (as
    /// `torget build --drafts` makes them). `torget serve` does unless `--no-drafts`, so a
    /// writer sees the page they are writing.
    pub drafts: bool,
    /// Build as if it were this moment; default: the time of each full rebuild.
    pub now: Option<jiff::Timestamp>,
    /// The feedback endpoint's database; default the SQLite file `<root>/.torget/feedback.sqlite`.
    pub db: Option<DbSpec>,
    /// Keep a search index: built after the first build and again after each rebuild.
    pub search: bool,
    /// The language of the terminal's lines and the box over the page.
    pub lang: Lang,
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
    let root = opts.root.canonicalize().with_context(|| {
        let said = Text::new("translation-no-site").arg("root", opts.root.display().to_string());
        said.say(opts.lang)
    })?;
    let out = opts
        .out
        .clone()
        .unwrap_or_else(|| root.join(".torget").join("serve"));
    check_out(&root, &out, opts.lang)?;
    // Bound first, so that a port in use is said before a long first build.
    let listener = std::net::TcpListener::bind(opts.listen).with_context(|| {
        let said = Text::new("serve-cannot-listen")
            .arg("address", opts.listen.to_string())
            .arg("port", opts.listen.port().to_string());
        said.say(opts.lang)
    })?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;

    let instance = jiff::Timestamp::now().as_millisecond().to_string();
    let live = Arc::new(Live::new(&instance, opts.lang));
    let (stop, stopping) = signal::channel(false);

    let mut watcher = watch::Watcher::new(&root)?;
    let mut build = BuildOptions::new(&root);
    build.drafts = opts.drafts;
    // A preview favours fast rebuilds and readable source over small files, and keeps asset
    // names stable so a stylesheet edit changes no page.
    build.minify = Some(false);
    build.fingerprint = false;
    build.search = opts.search;
    let mut rebuilder = Rebuilder::new(build, opts.now, &out)?;
    crate::fsx::write(
        &out.join(MARKER),
        "torget serve builds here; torget may empty this folder\n",
    )?;
    let out = out.canonicalize()?;
    let said = Text::new("serve-building").arg("root", root.display().to_string());
    eprintln!("{}", said.say(opts.lang));
    // The first index is built before the server starts: search works from the first page.
    if handle(&mut rebuilder, &live, &[], None) {
        say_search(rebuilder.refresh_search(), opts.lang);
    }

    // The feedback endpoint, reading the calls from the preview's own build.
    let calls = Arc::new(open_calls(&out)?);
    let db = match opts.db.clone() {
        Some(db) => db,
        None => {
            let dir = root.join(".torget");
            crate::fsx::create_dir_all(&dir)?;
            DbSpec::Sqlite(dir.join("feedback.sqlite"))
        }
    };
    let store = store::open(&db, IfMissing::Create)?;
    let feedback = crate::feedback::Options {
        site: out.clone(),
        db,
        listen: addr,
        // The preview's own origin and localhost.
        origins: Vec::new(),
        // The endpoint's own limit, and each call's `rate_limit`, so that a writer meets a limit
        // in the preview before residents meet it on the site.
        rate_limit: crate::feedback::abuse::DEFAULT_RATE_LIMIT,
        rate_limit_clients: crate::feedback::abuse::MAX_CLIENTS,
        min_fill: Duration::from_secs(3),
        max_form_age: Duration::from_secs(12 * 60 * 60),
        admin_token: std::env::var("TORGET_ADMIN_TOKEN").ok(),
        form_secret: None,
        real_ip_header: None,
        trusted_proxies: 0,
        limits: Default::default(),
        // The preview listens on loopback for the writer alone: the console asks no sign-in.
        console: crate::feedback::console::Settings {
            sign_in: crate::feedback::console::SignIn::Preview,
            ..Default::default()
        },
    }
    .state(calls.clone(), store.clone())?;

    let mut threads = Vec::new();
    let rebuild_live = live.clone();
    let rebuild_stopping = stopping.clone();
    threads.push(
        std::thread::Builder::new()
            .name("torget-rebuild".into())
            .spawn(move || {
                // The search index is built on a thread of its own and never delays a
                // rebuild: edits made while it is built are rebuilt at once, and one more
                // index follows when it is done.
                let mut search: Option<SearchJob> = None;
                let mut search_wanted = false;
                while !*rebuild_stopping.borrow() {
                    if let Some(paths) = watcher.next(Duration::from_millis(100)) {
                        search_wanted |=
                            handle(&mut rebuilder, &rebuild_live, &paths, Some(&calls));
                    }
                    if search.as_ref().is_some_and(SearchJob::is_finished) {
                        let job = search.take().expect("checked");
                        say_search(rebuilder.finish_search(job).map(Some), rebuild_live.lang);
                    }
                    if search.is_none() && search_wanted {
                        search = rebuilder.start_search();
                        search_wanted = false;
                    }
                }
            })?,
    );

    let app = app(
        &live,
        stopping.clone(),
        &out,
        crate::feedback::router::router(feedback),
    );
    let mut server_stopping = stopping;
    let lang = opts.lang;
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
                        let said = Text::new("serve-cannot-start").arg("error", e.to_string());
                        eprintln!("{}", said.say(lang));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => l,
                        Err(e) => {
                            let said = Text::new("serve-cannot-start").arg("error", e.to_string());
                            eprintln!("{}", said.say(lang));
                            return;
                        }
                    };
                    // The endpoint's own accept loop: its timeouts and connection cap.
                    // The event stream is quiet for up to 15 s between keep-alives.
                    let limits = crate::feedback::server::Limits {
                        idle_timeout: None,
                        ..Default::default()
                    };
                    let cap = crate::feedback::server::connection_cap(limits.max_connections);
                    let server = tokio::spawn(crate::feedback::server::serve(
                        listener,
                        app,
                        limits,
                        cap,
                        server_stopping.clone(),
                    ));
                    let _ = server_stopping.wait_for(|s| *s).await;
                    // Open event streams end on the same signal; anything else gets a moment.
                    let _ = tokio::time::timeout(Duration::from_secs(3), server).await;
                    // Answers being written are finished before the process ends.
                    store.close().await;
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

/// The routes: the event stream and script, the feedback endpoint's routes, then the built
/// site for everything else.
fn app(live: &Arc<Live>, stopping: signal::Receiver<bool>, out: &Path, feedback: Router) -> Router {
    let events = Router::new()
        .route(reload::EVENTS_PATH, get(reload::events))
        .with_state(reload::Events {
            live: live.clone(),
            stopping,
        });
    let rest = Router::new()
        .route(reload::SCRIPT_PATH, get(reload::script))
        .fallback(dispatch)
        .with_state(Arc::new(Rest {
            feedback,
            site: Arc::new(r#static::Site {
                root: out.to_path_buf(),
                placeholder: PLACEHOLDER.to_string(),
            }),
        }));
    events.merge(rest)
}

/// The endpoint's routes and the site's files.
struct Rest {
    feedback: Router,
    site: Arc<r#static::Site>,
}

/// Sends the endpoint's paths to its router, everything else to the files. (Both routers
/// have their own fallback, so they cannot be merged; nesting would strip `/api` from the
/// paths, and mounting it under `/api/{*rest}` would add a path parameter its handlers do
/// not expect.)
async fn dispatch(State(rest): State<Arc<Rest>>, request: Request) -> Response {
    let path = request.uri().path();
    if path.starts_with("/api/")
        || path == "/healthz"
        || path == "/admin"
        || path.starts_with("/admin/")
    {
        return match tower::ServiceExt::oneshot(rest.feedback.clone(), request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
    }
    r#static::serve(State(rest.site.clone()), request).await
}

/// The endpoint's view of the built calls. Before a first successful build there are none;
/// an empty `calls.json` stands in until the build writes the real one.
fn open_calls(out: &Path) -> Result<SiteHandle> {
    let path = crate::feedback::calls::calls_path(out);
    if !path.exists() {
        let none = CallsFile::new(String::new(), "nb".into(), Vec::new(), Default::default());
        crate::fsx::write(&path, none.to_json()?)?;
    }
    SiteHandle::open(out)
}

/// Shown while no build has succeeded; the overlay says why.
const PLACEHOLDER: &str = "<!DOCTYPE html><html lang=\"nb\"><head><meta charset=\"utf-8\"><title>Torget</title></head><body><main><h1>Torget</h1><p lang=\"nb\">Nettstedet har feil og kan ikke vises ennå. Rett feilene, så vises det her.</p><p lang=\"en\">The site has mistakes and cannot be shown yet. Fix them and it appears here.</p></main></body></html>";

/// Refuses an output folder that holds the site's sources or sits inside them (the watcher
/// would see every write), or one that torget did not make (it is emptied).
fn check_out(root: &Path, out: &Path, lang: Lang) -> Result<()> {
    let abs = if out.is_absolute() {
        out.to_path_buf()
    } else {
        std::env::current_dir()?.join(out)
    };
    crate::output::check_target(root, &abs)?;
    for folder in watch::FOLDERS {
        if abs.starts_with(root.join(folder)) {
            let said = Text::new("serve-out-in-sources")
                .arg("out", out.display().to_string())
                .arg("folder", *folder);
            bail!("{}", said.say(lang));
        }
    }
    let empty = abs
        .read_dir()
        .map(|mut d| d.next().is_none())
        .unwrap_or(true);
    if !empty && !abs.join(MARKER).exists() {
        let said = Text::new("serve-out-not-empty").arg("out", out.display().to_string());
        bail!("{}", said.say(lang));
    }
    Ok(())
}

/// Rebuilds after `paths` changed (none: everything), tells the pages, the endpoint and the
/// terminal. Returns whether the search index should follow.
fn handle(
    rebuilder: &mut Rebuilder,
    live: &Live,
    paths: &[PathBuf],
    calls: Option<&SiteHandle>,
) -> bool {
    let started = Instant::now();
    let mut told: Vec<String> = Vec::new();
    let mut tell = |pages: &[String]| {
        // Pages are written only after the content loaded: whatever was wrong is fixed.
        live.succeeded();
        live.reload(pages, false);
        told.extend_from_slice(pages);
    };
    let result = rebuilder.rebuild(paths, &mut tell);
    let lang = live.lang;
    let what = describe(paths, lang);
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
            if outcome.calls
                && let Some(calls) = calls
                && let Err(e) = calls.reload_if_changed()
            {
                let said = Text::new("serve-calls-kept").arg("error", format!("{e:#}"));
                eprintln!("{}", said.say(lang));
            }
            report(&what, &outcome, started, lang);
            !outcome.how.is_empty() || !outcome.pages.is_empty()
        }
        Err(failure) => {
            let problems = match &failure {
                Failure::Content(diags) => {
                    for d in diags {
                        eprintln!("{}", d.show(lang));
                    }
                    diags.iter().map(|d| Problem::new(d, lang)).collect()
                }
                Failure::Other(e) => {
                    let said = Text::new("main-error").arg("error", format!("{e:#}"));
                    eprintln!("{}", said.say(lang));
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
            let said = Text::new("serve-failed")
                .arg("what", what)
                .arg("problems", problems.len());
            eprintln!("{}", said.say(lang));
            live.failed(problems);
            false
        }
    }
}

/// Tells the terminal what updating the search index did.
fn say_search(result: Result<Option<SearchReport>>, lang: Lang) {
    let said = match result {
        Ok(Some(s)) => Text::new("serve-search-index")
            .arg("pages", s.records.iter().map(|(_, n)| n).sum::<usize>())
            .arg("ms", s.time.as_millis() as usize),
        Ok(None) => return,
        Err(e) => Text::new("serve-search-failed").arg("error", format!("{e:#}")),
    };
    eprintln!("{}", said.say(lang));
}

fn describe(paths: &[PathBuf], lang: Lang) -> String {
    match paths {
        [] => Text::new("serve-what-site").say(lang),
        [one] => one.display().to_string(),
        [one, rest @ ..] => Text::new("serve-what-more")
            .arg("file", one.display().to_string())
            .arg("more", rest.len())
            .say(lang),
    }
}

fn report(what: &str, o: &Outcome, started: Instant, lang: Lang) {
    for w in &o.warnings {
        eprintln!("{}", w.show(lang));
    }
    if o.how.is_empty() && o.pages.is_empty() && o.css.is_empty() {
        return;
    }
    let said = match o.first {
        Some(first) => Text::new("serve-rebuilt-first").arg("first", first.as_millis() as usize),
        None => Text::new("serve-rebuilt"),
    };
    let said = said
        .arg("what", what)
        .arg(
            "how",
            o.how
                .iter()
                .map(|t| t.say(lang))
                .collect::<Vec<_>>()
                .join("; "),
        )
        .arg("pages", o.pages.len())
        .arg("ms", started.elapsed().as_millis() as usize);
    eprintln!("{}", said.say(lang));
}
