//! Rebuilding after a change, touching only what the change reaches.
//!
//! [`scope`] sorts changed paths: templates, translations and `site.toml` reach every page;
//! stylesheets and other static files reach no page; content reaches the pages that show the
//! changed items. [`touch`] says which: an item's own pages, its section's listing, the home
//! page, its old and new areas' pages, its project's page (or, for a project, its events' and
//! calls' pages), and the feeds, calendars and data files it is in. An area or a menu page is
//! on every page, so changing one renders everything. [`Rebuilder`] carries it out:
//!
//! 1. content: [`content::reload`] patches the changed items in place when their URLs stay;
//!    otherwise a full [`site::load_cached`] (cheap for unchanged files) and a [`diff`] of the
//!    old and new library find what changed;
//! 2. the changed items' own pages are written, and the caller is told at once so the page
//!    being edited reloads;
//! 3. the pages that show them, then the feeds, calendars, data and sitemap they are in.
//!
//! Files are written through an [`output::Mirror`], which skips files whose bytes did not
//! change, so "what changed" for the browser is what was actually written.

use std::collections::{BTreeSet, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::content::{self, Data, Item, Kind, Library, LoadOptions, Reload};
use crate::diag::{ContentErrors, Diagnostic};
use crate::emit::{self, OutFile};
use crate::output::{Mirror, Sink};
use crate::render::pages::{PageRef, Pages};
use crate::site::{self, BuildOptions, Prepared, SearchReport, Site};

/// What a set of changed paths (relative to the site root) reaches.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Templates, translations or settings changed: every page may change.
    pub everything: bool,
    /// Theme assets or `static/` files changed.
    pub assets: bool,
    /// Files under `content/` that changed, were added or were removed.
    pub content: Vec<PathBuf>,
}

impl Scope {
    pub fn is_empty(&self) -> bool {
        !self.everything && !self.assets && self.content.is_empty()
    }
}

/// Sorts changed paths by what they reach; `theme` is the site's theme folder name.
pub fn scope(paths: &[PathBuf], theme: &str) -> Scope {
    let mut s = Scope::default();
    for p in paths {
        let parts: Vec<&str> = p
            .components()
            .filter_map(|c| match c {
                Component::Normal(n) => n.to_str(),
                _ => None,
            })
            .collect();
        match parts.as_slice() {
            ["site.toml"] => s.everything = true,
            ["i18n", ..] | ["templates", ..] => s.everything = true,
            ["themes", t, "templates", ..] if *t == theme => s.everything = true,
            ["themes", t, "static", ..] if *t == theme => s.assets = true,
            ["static", ..] => s.assets = true,
            ["content", ..] => s.content.push(p.clone()),
            _ => {}
        }
    }
    s.content.sort();
    s.content.dedup();
    s
}

/// Which pages and files a content change reaches.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Touch {
    /// Why every page must be rendered again, when it must.
    pub everything: Option<String>,
    /// Items whose own pages changed (keys): rendered and reloaded first.
    pub own: BTreeSet<String>,
    /// Items whose pages show a changed item: its areas, its project, a project's events and
    /// calls.
    pub items: BTreeSet<String>,
    /// Sections whose listing shows a changed item (`""` is the home page).
    pub sections: BTreeSet<String>,
    pub feeds: bool,
    pub calendars: bool,
    pub projects_json: bool,
    pub events_json: bool,
    pub calls_json: bool,
    /// Pages were added or removed or moved: the sitemap and every file's place may change.
    pub urls: bool,
}

/// One changed item: before and after (none when added or removed).
pub type Change<'a> = (Option<&'a Item>, Option<&'a Item>);

/// What `changes` reach in the site whose library is now `lib`.
pub fn touch(changes: &[Change<'_>], lib: &Library) -> Touch {
    let mut t = Touch::default();
    for &(old, new) in changes {
        let Some(any) = new.or(old) else { continue };
        let both = || old.into_iter().chain(new);
        let kind = any.kind();
        t.feeds |= kind != Kind::Area;
        match kind {
            Kind::Project => t.projects_json = true,
            Kind::Event => {
                t.events_json = true;
                t.calendars = true;
            }
            Kind::Call => t.calls_json = true,
            _ => {}
        }
        if let (Some(o), Some(n)) = (old, new)
            && shown_alike(o, n)
        {
            // Other pages show an item by its card and links: unchanged, so only its own
            // pages (and the feeds and files that hold its text) change.
            t.own.insert(n.key.clone());
            continue;
        }
        if kind == Kind::Area {
            t.everything = Some(format!(
                "{} is an area, named on every page that lists its items",
                any.key
            ));
            return t;
        }
        let in_menu = |i: &Item| matches!(&i.data, Data::Page { menu: Some(_), .. });
        if kind == Kind::Page && both().any(in_menu) {
            t.everything = Some(format!("{} is in a menu, shown on every page", any.key));
            return t;
        }
        let urls = |i: Option<&Item>| -> Vec<(String, String)> {
            i.map(|i| {
                i.versions
                    .iter()
                    .map(|(l, v)| (l.clone(), v.url.clone()))
                    .collect()
            })
            .unwrap_or_default()
        };
        if urls(old) != urls(new) {
            t.urls = true;
        }
        if let Some(n) = new {
            t.own.insert(n.key.clone());
        }
        for i in both() {
            match i.kind() {
                Kind::Project | Kind::Event | Kind::Call => {
                    t.sections.insert(i.section.clone());
                    t.sections.insert(String::new());
                }
                _ if !i.section.is_empty() => {
                    t.sections.insert(i.section.clone());
                }
                _ => {}
            }
            for area in i.data.areas() {
                if let Some(a) = lib.by_name(Kind::Area, area) {
                    t.items.insert(a.key.clone());
                }
            }
            if let Some(p) = i.data.project().and_then(|p| lib.by_name(Kind::Project, p)) {
                t.items.insert(p.key.clone());
            }
            if i.kind() == Kind::Project {
                t.items
                    .extend(lib.of_project(&i.name).map(|e| e.key.clone()));
            }
        }
    }
    for key in &t.own {
        t.items.remove(key);
    }
    t
}

/// Whether two versions of an item look the same where other pages show it: in cards (title,
/// summary, dates, status, areas), links (title, URL) and the order of listings.
fn shown_alike(a: &Item, b: &Item) -> bool {
    a.data == b.data
        && a.versions.len() == b.versions.len()
        && a.versions.values().zip(b.versions.values()).all(|(x, y)| {
            (&x.lang, &x.title, &x.summary, &x.url, x.date, x.updated)
                == (&y.lang, &y.title, &y.summary, &y.url, y.date, y.updated)
        })
}

/// The items that differ between two loads of a site, and whether any section differs.
pub fn diff<'a>(old: &'a Library, new: &'a Library) -> (Vec<Change<'a>>, bool) {
    let mut changes = Vec::new();
    for n in &new.items {
        match old.by_key(&n.key) {
            Some(o) if same_item(o, n) => {}
            o => changes.push((o, Some(n))),
        }
    }
    for o in &old.items {
        if new.by_key(&o.key).is_none() {
            changes.push((Some(o), None));
        }
    }
    let sections_changed = old.sections.len() != new.sections.len()
        || old.sections.iter().zip(&new.sections).any(|(a, b)| {
            a.path != b.path
                || a.versions.len() != b.versions.len()
                || a.versions.values().zip(b.versions.values()).any(|(x, y)| {
                    (&x.lang, &x.title, &x.summary, &x.url, &x.html, x.written)
                        != (&y.lang, &y.title, &y.summary, &y.url, &y.html, y.written)
                })
        });
    (changes, sections_changed)
}

fn same_item(a: &Item, b: &Item) -> bool {
    a.versions.len() == b.versions.len()
        && a.assets == b.assets
        && a.versions.values().zip(b.versions.values()).all(|(x, y)| {
            x.lang == y.lang
                && x.url == y.url
                && (Arc::ptr_eq(&x.source.text, &y.source.text) || x.source.text == y.source.text)
                && x.html == y.html
        })
}

/// Why a rebuild failed; the pages keep showing the last good build.
#[derive(Debug)]
pub enum Failure {
    /// Mistakes in the content, settings or translations: every one of them.
    Content(Vec<Diagnostic>),
    /// Anything else, e.g. a template that cannot be rendered.
    Other(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        match e.downcast::<ContentErrors>() {
            Ok(ContentErrors(d)) => Failure::Content(d.errors().cloned().collect()),
            Err(e) => Failure::Other(e),
        }
    }
}

/// What a rebuild did, for the terminal and the browser.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Pages (URLs) written or removed, in the order they were written.
    pub pages: Vec<String>,
    /// Something pages embed changed (a script, an image): reload every page.
    pub all: bool,
    /// Stylesheets that changed, as URLs with a query that changes with their content.
    pub css: Vec<String>,
    /// `data/calls.json` changed: the feedback endpoint must read it again.
    pub calls: bool,
    /// Warnings in the changed files (all of them after a full build).
    pub warnings: Vec<Diagnostic>,
    /// How the change was handled, e.g. "2 pages patched".
    pub how: String,
    /// Until the first pages (the changed items' own) were written.
    pub first: Option<Duration>,
    pub total: Duration,
}

/// A search index being built on a thread of its own; see [`Rebuilder::start_search`].
pub struct SearchJob {
    handle: std::io::Result<std::thread::JoinHandle<Result<Indexed>>>,
    started: Instant,
}

/// The search bundle's files and what went into them.
type Indexed = (Vec<OutFile>, emit::search::Summary);

impl SearchJob {
    /// Whether [`Rebuilder::finish_search`] would not wait.
    pub fn is_finished(&self) -> bool {
        self.handle.as_ref().map_or(true, |h| h.is_finished())
    }
}

/// Keeps a site built in a [`Mirror`] and rebuilds it after changes.
pub struct Rebuilder {
    opts: BuildOptions,
    /// `--now`, when given; otherwise each full rebuild takes the time it starts at.
    fixed_now: Option<jiff::Timestamp>,
    cache: content::Cache,
    built: Option<(Site, Prepared)>,
    mirror: Mirror,
    /// Files the mirror changed that are not pages, not yet reported.
    unreported: Mutex<Vec<String>>,
    /// The last rebuild failed: the next one must load everything, so that it reports the
    /// mistakes still there, not only look at the file saved last.
    failing: bool,
    /// The search index's files, kept when the rest of the site is tidied.
    search: HashSet<String>,
}

impl Rebuilder {
    /// `opts.root` is the site; `out` is where it is built (emptied first).
    pub fn new(opts: BuildOptions, fixed_now: Option<jiff::Timestamp>, out: &Path) -> Result<Self> {
        Ok(Rebuilder {
            opts,
            fixed_now,
            cache: content::Cache::default(),
            built: None,
            mirror: Mirror::new(out)?,
            unreported: Mutex::default(),
            failing: false,
            search: HashSet::new(),
        })
    }

    pub fn site(&self) -> Option<&Site> {
        self.built.as_ref().map(|(s, _)| s)
    }

    fn theme(&self) -> String {
        self.site()
            .map(|s| s.config.theme.clone())
            .unwrap_or_else(|| "default".into())
    }

    /// Rebuilds after `paths` (relative to the site root) changed; `told(pages)` hears about
    /// pages as soon as they are written, before the rest of the rebuild. No paths: build
    /// everything.
    pub fn rebuild(
        &mut self,
        paths: &[PathBuf],
        told: &mut dyn FnMut(&[String]),
    ) -> Result<Outcome, Failure> {
        let result = self.try_rebuild(paths, told);
        self.failing = result.is_err();
        result
    }

    fn try_rebuild(
        &mut self,
        paths: &[PathBuf],
        told: &mut dyn FnMut(&[String]),
    ) -> Result<Outcome, Failure> {
        let started = Instant::now();
        for p in paths {
            self.cache.forget(p);
        }
        let scope = scope(paths, &self.theme());
        // A removed static file may have covered a file the build makes, e.g. robots.txt.
        let asset_removed = scope.assets
            && paths.iter().any(|p| {
                !p.starts_with("content") && self.opts.root.join(p).symlink_metadata().is_err()
            });
        let mut outcome = if paths.is_empty() || scope.everything || self.built.is_none() {
            self.everything()?
        } else if asset_removed {
            let mut o = self.everything()?;
            o.how = format!("a static file was removed; {}", o.how);
            o
        } else if !scope.content.is_empty() || self.failing {
            // An editor's temporary file, written and renamed away within the burst, is no
            // change to the site; it would only make the rebuild a full one.
            let content: Vec<PathBuf> = scope
                .content
                .iter()
                .filter(|p| self.opts.root.join(p).exists() || self.known(p))
                .cloned()
                .collect();
            if content.is_empty() && !scope.assets && !self.failing {
                return Ok(Outcome::default());
            }
            // After a failure the content is loaded whatever changed, so a stylesheet saved
            // while a page is broken does not pass for the fix.
            let mut o = if content.is_empty() && !self.failing {
                Outcome::default()
            } else {
                self.content(&content, started, told)?
            };
            if scope.assets {
                self.assets()?;
            }
            o.warnings.retain(|w| paths.contains(&w.path));
            o
        } else if scope.assets {
            self.assets()?
        } else {
            return Ok(Outcome::default());
        };
        self.collect_changes(&mut outcome);
        outcome.total = started.elapsed();
        Ok(outcome)
    }

    /// Whether the built site was made from `path` (relative to the root), or from files in
    /// it if it is a folder.
    fn known(&self, path: &Path) -> bool {
        let Some(site) = self.site() else {
            return false;
        };
        let abs = site.root.join(path);
        site.lib.items.iter().any(|i| {
            i.versions.values().any(|v| v.source.path.starts_with(path))
                || i.assets.iter().any(|(a, _)| a.starts_with(&abs))
        }) || site.lib.sections.iter().any(|s| {
            s.versions.values().any(|v| {
                v.source
                    .as_ref()
                    .is_some_and(|src| src.path.starts_with(path))
            })
        })
    }

    /// Loads and renders the whole site (unchanged files are still not written again).
    fn everything(&mut self) -> Result<Outcome, Failure> {
        let mut opts = self.opts.clone();
        opts.now = self.fixed_now.unwrap_or_else(jiff::Timestamp::now);
        let site = site::load_cached(&opts.root, opts.drafts, &mut self.cache)?;
        let prepared = site::prepare(&site, &opts)?;
        let pages = {
            let inputs = prepared.page_inputs(&site, &opts.now);
            let pages = Pages::new(&inputs);
            let all = pages.list();
            site::write_pages(&prepared.renderer, &pages, &all, &self.mirror)?;
            all.len()
        };
        let warnings = site.warnings.0.clone();
        self.opts = opts;
        self.built = Some((site, prepared));
        self.finish_structure()?;
        Ok(Outcome {
            how: format!("{pages} pages built"),
            warnings,
            ..Outcome::default()
        })
    }

    /// Writes the theme's assets and `static/` again.
    fn assets(&mut self) -> Result<Outcome, Failure> {
        let (site, old) = self.built.as_ref().expect("built before");
        let prepared = site::prepare(site, &self.opts)?;
        // Pages link the theme's assets by name: a new name is a change to every page.
        let renamed = (&old.css_url, &old.js_url) != (&prepared.css_url, &prepared.js_url);
        site::write_files(&prepared.assets, &self.mirror)?;
        site::copy_static(&site.root, &self.mirror)?;
        if let Some((_, p)) = self.built.as_mut() {
            *p = prepared;
        }
        if renamed {
            return self.everything();
        }
        Ok(Outcome {
            how: "assets copied".into(),
            ..Outcome::default()
        })
    }

    /// After content files changed.
    fn content(
        &mut self,
        paths: &[PathBuf],
        started: Instant,
        told: &mut dyn FnMut(&[String]),
    ) -> Result<Outcome, Failure> {
        let root = self.opts.root.clone();
        let opts = LoadOptions {
            drafts: self.opts.drafts,
        };
        let (site, _) = self.built.as_mut().expect("built before");
        let reload = if self.failing {
            Reload::Load("the last rebuild failed".into())
        } else if !paths.iter().all(|p| root.join(p).is_file()) {
            Reload::Load("files were added or removed".into())
        } else {
            content::reload(
                &root,
                &site.config,
                &opts,
                &mut site.lib,
                &mut self.cache,
                paths,
            )
        };
        match reload {
            Reload::Patched { replaced, warnings } => {
                let t = {
                    let lib = &self.site().expect("built before").lib;
                    let changes: Vec<Change<'_>> = replaced
                        .iter()
                        .map(|old| (Some(old), lib.by_key(&old.key)))
                        .collect();
                    touch(&changes, lib)
                };
                if let Some(why) = t.everything {
                    let mut o = self.everything()?;
                    o.how = format!("{why}; {}", o.how);
                    return Ok(o);
                }
                let mut o = self.render_touched(&t, started, told)?;
                o.how = format!("{} item(s) patched", replaced.len());
                o.warnings = warnings.0;
                Ok(o)
            }
            Reload::Load(why) => {
                let new = site::load_cached(&root, opts.drafts, &mut self.cache)?;
                let (t, n) = {
                    let old = &self.site().expect("built before").lib;
                    let (changes, sections_changed) = diff(old, &new.lib);
                    let mut t = touch(&changes, &new.lib);
                    if sections_changed && t.everything.is_none() {
                        t.everything = Some("a section changed".into());
                    }
                    (t, changes.len())
                };
                let warnings = new.warnings.0.clone();
                if let Some((site, _)) = self.built.as_mut() {
                    *site = new;
                }
                if let Some(everything) = t.everything {
                    let mut o = self.everything()?;
                    o.how = format!("{everything}; {}", o.how);
                    return Ok(o);
                }
                let mut o = self.render_touched(&t, started, told)?;
                // Pages moved, or a folder item's image changed, came or went (no page needs
                // to change for that, but the copies beside its pages do).
                let files_changed = paths
                    .iter()
                    .any(|p| p.extension().is_none_or(|e| e != "md"));
                if t.urls || files_changed {
                    self.finish_structure()?;
                }
                o.how = format!("{n} item(s) changed, content loaded again ({why})");
                o.warnings = warnings;
                Ok(o)
            }
        }
    }

    /// Renders the pages `t` names, own pages first, then emits the files it names.
    fn render_touched(
        &self,
        t: &Touch,
        started: Instant,
        told: &mut dyn FnMut(&[String]),
    ) -> Result<Outcome, Failure> {
        let (site, prepared) = self.built.as_ref().expect("built before");
        let mut outcome = Outcome::default();
        let inputs = prepared.page_inputs(site, &self.opts.now);
        let pages = Pages::new(&inputs);
        // Only the pages asked for are listed: listing all 20,000 of a large site costs more
        // than rendering an item's own two.
        let items = |keys: &BTreeSet<String>| -> Vec<PageRef<'_>> {
            keys.iter()
                .filter_map(|k| site.lib.by_key(k))
                .flat_map(|i| pages.of_item(i))
                .collect()
        };
        let own = items(&t.own);
        let mut showing = items(&t.items);
        showing.extend(
            site.lib
                .sections
                .iter()
                .filter(|s| t.sections.contains(&s.path))
                .flat_map(|s| pages.of_section(s)),
        );
        for (batch, first) in [(own, true), (showing, false)] {
            if batch.is_empty() {
                continue;
            }
            site::write_pages(&prepared.renderer, &pages, &batch, &self.mirror)?;
            if first {
                outcome.first = Some(started.elapsed());
            }
            let urls = self.changed_pages();
            if !urls.is_empty() {
                told(&urls);
            }
            outcome.pages.extend(urls);
        }
        let emit = site::emit_inputs(site, &self.opts.now);
        let mut files: Vec<OutFile> = Vec::new();
        if t.feeds {
            files.extend(emit::feeds::all(&emit)?);
        }
        if t.calendars {
            files.extend(emit::calendar::all(&emit));
        }
        if t.projects_json {
            files.extend(emit::data::files(&emit, "projects")?);
        }
        if t.events_json {
            files.extend(emit::data::files(&emit, "events")?);
        }
        if t.calls_json {
            files.extend(emit::data::files(&emit, "calls")?);
        }
        if t.projects_json || t.events_json || t.calls_json {
            files.extend(emit::catalog::all(&emit)?);
        }
        site::write_files(&files, &self.mirror)?;
        Ok(outcome)
    }

    /// Writes everything besides pages and removes every file the site no longer has; the
    /// pages must be written already.
    fn finish_structure(&mut self) -> Result<(), Failure> {
        let (site, prepared) = self.built.as_ref().expect("built before");
        let inputs = prepared.page_inputs(site, &self.opts.now);
        let all = Pages::new(&inputs).list();
        let urls: Vec<String> = all
            .iter()
            .filter(|p| !p.noindex)
            .map(|p| p.url.clone())
            .collect();
        let emitted = emit::all(&site::emit_inputs(site, &self.opts.now), &urls)?;
        site::write_files(&emitted, &self.mirror)?;
        site::write_files(&prepared.assets, &self.mirror)?;
        // Static files and folder items' files, with the paths they are copied to.
        let copied = Keep::default();
        site::copy_static(&site.root, &copied)?;
        site::copy_item_assets(site, &copied)?;
        let copied = copied.files.into_inner().expect("not poisoned");
        site::write_files(&copied, &self.mirror)?;
        let mut expected: HashSet<String> = all.iter().map(|p| site::page_path(&p.url)).collect();
        expected.extend(emitted.into_iter().map(|(p, _)| p));
        expected.extend(prepared.assets.iter().map(|(p, _)| p.clone()));
        expected.extend(copied.into_iter().map(|(p, _)| p));
        expected.extend(self.search.iter().cloned());
        self.mirror.retain(&expected)?;
        Ok(())
    }

    /// Builds the search index of the site as built now, unless the options leave it out, and
    /// puts it in place (see [`Rebuilder::finish_search`]).
    pub fn refresh_search(&mut self) -> Result<Option<SearchReport>> {
        match self.start_search() {
            Some(job) => self.finish_search(job).map(Some),
            None => Ok(None),
        }
    }

    /// Starts building the search index of the site as built now on a thread of its own,
    /// unless the options leave it out. Only the records are made here (milliseconds);
    /// pagefind's work, seconds on a large site, runs beside the next rebuilds.
    pub fn start_search(&self) -> Option<SearchJob> {
        let (site, _) = self.built.as_ref().filter(|_| self.opts.search)?;
        let started = Instant::now();
        let records = emit::search::records(&site::emit_inputs(site, &self.opts.now));
        let langs = site.config.language_codes();
        let handle = std::thread::Builder::new()
            .name("torget-search".into())
            .spawn(move || emit::search::index(records, langs, emit::search::Priority::Background));
        Some(SearchJob { handle, started })
    }

    /// Writes a finished index's files and removes the previous index's files that the new
    /// one does not have. Its files are not reported as changes: no page embeds them.
    pub fn finish_search(&mut self, job: SearchJob) -> Result<SearchReport> {
        let (bundle, summary) = job
            .handle?
            .join()
            .map_err(|_| anyhow::anyhow!("the search indexer crashed"))??;
        site::write_files(&bundle, &self.mirror)?;
        let paths: HashSet<String> = bundle.into_iter().map(|(p, _)| p).collect();
        let keep: HashSet<String> = self
            .mirror
            .files()
            .into_iter()
            .filter(|f| paths.contains(f) || !self.search.contains(f))
            .collect();
        self.mirror.retain(&keep)?;
        self.search = paths;
        self.mirror.take_changed();
        Ok(SearchReport::new(summary, job.started))
    }

    /// The page URLs among the files changed since last asked; keeps the other files for
    /// [`Rebuilder::collect_changes`].
    fn changed_pages(&self) -> Vec<String> {
        let mut urls = Vec::new();
        let mut rest = self.unreported.lock().expect("not poisoned");
        for f in self.mirror.take_changed() {
            match page_url(&f) {
                Some(u) => urls.push(u),
                None => rest.push(f),
            }
        }
        urls
    }

    fn collect_changes(&self, outcome: &mut Outcome) {
        let mut changed = std::mem::take(&mut *self.unreported.lock().expect("not poisoned"));
        changed.extend(self.mirror.take_changed());
        for f in changed {
            if let Some(url) = page_url(&f) {
                outcome.pages.push(url);
            } else if f.ends_with(".css") {
                match self.mirror.hash(&f) {
                    Some(hash) => outcome.css.push(format!("/{f}?v={hash:x}")),
                    // A removed stylesheet: only a reload tells the page.
                    None => outcome.all = true,
                }
            } else if f == "data/calls.json" {
                outcome.calls = true;
            } else if ![".json", ".xml", ".ics", ".txt", ".csv", ".ttl", ".jsonld"]
                .iter()
                .any(|e| f.ends_with(e))
            {
                outcome.all = true;
            }
        }
    }
}

/// `prosjekter/x/index.html` → `/prosjekter/x/`; `404.html` → `/404.html`.
fn page_url(file: &str) -> Option<String> {
    if let Some(dir) = file.strip_suffix("index.html") {
        return Some(format!("/{dir}"));
    }
    file.ends_with(".html").then(|| format!("/{file}"))
}

/// A sink that keeps what is written, to learn which files a step makes.
#[derive(Default)]
struct Keep {
    files: std::sync::Mutex<Vec<(String, Vec<u8>)>>,
}

impl Sink for Keep {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.files
            .lock()
            .expect("not poisoned")
            .push((rel.to_string(), bytes.to_vec()));
        Ok(())
    }

    fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        let bytes = std::fs::read(from)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", from.display()))?;
        self.write(rel, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Site {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        site::load(&root, false).unwrap()
    }

    fn keys(set: &BTreeSet<String>) -> Vec<&str> {
        set.iter().map(String::as_str).collect()
    }

    /// What editing the title of the item at `key` touches.
    fn edit(site: &Site, key: &str) -> Touch {
        let old = site.lib.by_key(key).unwrap();
        let mut new = old.clone();
        new.versions[0].title.push_str(" (ny)");
        touch(&[(Some(old), Some(&new))], &site.lib)
    }

    #[test]
    fn a_body_edit_touches_only_the_items_own_pages() {
        let site = fixture();
        for key in ["events/hagedag.md", "areas/byutvikling.md", "om.md"] {
            let old = site.lib.by_key(key).unwrap();
            let mut new = old.clone();
            new.versions[0].html.push_str("<p>Mer.</p>");
            let t = touch(&[(Some(old), Some(&new))], &site.lib);
            assert_eq!(t.everything, None, "{key}");
            assert_eq!(keys(&t.own), [key]);
            assert!(t.items.is_empty() && t.sections.is_empty(), "{key}: {t:?}");
        }
        let old = site.lib.by_key("events/hagedag.md").unwrap();
        let t = touch(&[(Some(old), Some(old))], &site.lib);
        assert!(
            t.feeds && t.calendars && t.events_json,
            "an event's text is in its calendar"
        );
    }

    #[test]
    fn an_event_touches_its_listing_home_areas_project_and_calendars() {
        let site = fixture();
        let t = edit(&site, "events/hagedag.md");
        assert_eq!(t.everything, None);
        assert_eq!(keys(&t.own), ["events/hagedag.md"]);
        assert_eq!(keys(&t.sections), ["", "events"]);
        assert_eq!(
            keys(&t.items),
            ["areas/byutvikling.md", "projects/skolehage.md"]
        );
        assert!(t.feeds && t.calendars && t.events_json);
        assert!(!t.projects_json && !t.calls_json && !t.urls);
    }

    #[test]
    fn a_project_touches_its_events_and_calls() {
        let site = fixture();
        let t = edit(&site, "projects/skolehage.md");
        assert_eq!(keys(&t.sections), ["", "projects"]);
        assert_eq!(
            keys(&t.items),
            [
                "areas/byutvikling.md",
                "calls/hagen.md",
                "events/hagedag.md"
            ]
        );
        assert!(t.projects_json && !t.calendars && !t.events_json);
    }

    #[test]
    fn a_call_touches_calls_json() {
        let site = fixture();
        let t = edit(&site, "calls/hagen.md");
        assert_eq!(keys(&t.sections), ["", "calls"]);
        assert!(t.calls_json && !t.calendars);
    }

    #[test]
    fn a_moved_item_touches_its_old_and_new_neighbours() {
        let site = fixture();
        let old = site.lib.by_key("events/hagedag.md").unwrap();
        let mut new = old.clone();
        if let Data::Event(e) = &mut new.data {
            e.project = None;
            e.areas.clear();
        }
        let t = touch(&[(Some(old), Some(&new))], &site.lib);
        assert_eq!(
            keys(&t.items),
            ["areas/byutvikling.md", "projects/skolehage.md"]
        );
        // Moved to another URL: the sitemap and the old page's file change too.
        new.versions["nb"].url = "/arrangementer/hagedagen/".into();
        assert!(touch(&[(Some(old), Some(&new))], &site.lib).urls);
        assert!(touch(&[(None, Some(old))], &site.lib).urls);
        let removed = touch(&[(Some(old), None)], &site.lib);
        assert!(removed.urls && removed.own.is_empty());
        assert_eq!(keys(&removed.sections), ["", "events"]);
    }

    #[test]
    fn areas_and_menu_pages_touch_everything() {
        let site = fixture();
        let area = edit(&site, "areas/byutvikling.md");
        assert!(area.everything.unwrap().contains("area"));
        // `om.md` is in the main menu.
        let menu = edit(&site, "om.md");
        assert!(menu.everything.unwrap().contains("menu"));
        // A page outside any menu, in a section, touches its section's listing only.
        let mut page = site.lib.by_key("om.md").unwrap().clone();
        page.data = Data::Page {
            menu: None,
            order: 0,
        };
        page.section = "nyheter".into();
        let mut retitled = page.clone();
        retitled.versions[0].title.push_str(" (ny)");
        let t = touch(&[(Some(&page), Some(&retitled))], &site.lib);
        assert_eq!(t.everything, None);
        assert_eq!(keys(&t.sections), ["nyheter"]);
        assert!(t.items.is_empty() && t.feeds && !t.calendars);
    }

    #[test]
    fn diff_finds_changed_added_and_removed_items() {
        let a = fixture();
        let b = fixture();
        let (changes, sections) = diff(&a.lib, &b.lib);
        assert!(
            changes.is_empty() && !sections,
            "two loads of the same files are the same"
        );
        let mut items = b.lib.items.clone();
        items.retain(|i| i.key != "om.md");
        items
            .iter_mut()
            .find(|i| i.key == "events/hagedag.md")
            .unwrap()
            .versions["nb"]
            .html
            .push_str("<p>mer</p>");
        let c = Library::new(items, b.lib.sections.clone());
        let (changes, sections) = diff(&a.lib, &c);
        assert!(!sections);
        let names: Vec<(Option<&str>, Option<&str>)> = changes
            .iter()
            .map(|(o, n)| (o.map(|i| i.key.as_str()), n.map(|i| i.key.as_str())))
            .collect();
        assert_eq!(
            names,
            [
                (Some("events/hagedag.md"), Some("events/hagedag.md")),
                (Some("om.md"), None)
            ]
        );
    }

    #[test]
    fn changed_paths_are_sorted_by_what_they_reach() {
        let s = |paths: &[&str]| {
            scope(
                &paths.iter().map(PathBuf::from).collect::<Vec<_>>(),
                "kommune",
            )
        };
        assert!(s(&["site.toml"]).everything);
        assert!(s(&["i18n/nb.toml"]).everything);
        assert!(s(&["templates/page.html"]).everything);
        assert!(s(&["themes/kommune/templates/page.html"]).everything);
        assert!(s(&["themes/other/templates/page.html"]).is_empty());
        assert!(s(&["themes/kommune/static/style.css"]).assets);
        assert!(s(&["static/logo.svg"]).assets);
        let c = s(&["content/a.md", "content/a.md", "static/x.css"]);
        assert_eq!(c.content, [PathBuf::from("content/a.md")]);
        assert!(c.assets && !c.everything);
    }
}
