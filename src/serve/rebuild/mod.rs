//! Rebuilding after a change, touching only what the change reaches.
//!
//! [`scope`] sorts changed paths: templates, translations and `site.toml` reach every page;
//! stylesheets and other static files reach no page; content reaches the pages that show the
//! changed items. [`touch`] says which: an item's own pages, and the pages that show it
//! differently now, as the page contexts say ([`Pages::shown`], [`Pages::showing`]); and the
//! feeds, calendars and data files it is in. [`Rebuilder`] carries it out:
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
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::content::urls::{page_path, page_url};
use crate::content::{self, LoadOptions, Reload};
use crate::diag::{ContentErrors, Diagnostic};
use crate::emit::{self, OutFile};
use crate::messages::Text;
use crate::output::{Mirror, Sink};
use crate::render::pages::{PageRef, Pages};
use crate::site::{self, BuildOptions, Prepared, SearchReport, Site};

mod touch;

pub use touch::{Change, Scope, Touch, diff, scope, touch};

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
    /// How the change was handled, e.g. "2 item(s) patched", with why when it is worth saying;
    /// the parts are joined with "; " in the writer's language.
    pub how: Vec<Text>,
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
            o.how.insert(0, Text::new("rebuild-static-removed"));
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
        site::check_closed(&site, &opts.now)?;
        let prepared = site::prepare(&site, &opts)?;
        let pages = {
            let inputs = prepared.page_inputs(&site, &opts.now);
            let pages = Pages::new(&inputs);
            let all = pages.list();
            site::write_pages(&prepared.renderer, &pages, &all, None, &self.mirror)?;
            all.len()
        };
        let warnings = site.warnings.0.clone();
        self.opts = opts;
        self.built = Some((site, prepared));
        self.finish_structure()?;
        Ok(Outcome {
            how: vec![Text::new("rebuild-pages-built").arg("pages", pages)],
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
            how: vec![Text::new("rebuild-assets-copied")],
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
            Reload::Load(Text::new("rebuild-last-failed"))
        } else if !paths.iter().all(|p| root.join(p).is_file()) {
            Reload::Load(Text::new("rebuild-files-added-or-removed"))
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
                site::check_closed(
                    &self.built.as_ref().expect("built before").0,
                    &self.opts.now,
                )?;
                let t = {
                    let (site, prepared) = self.built.as_ref().expect("built before");
                    let changes: Vec<Change<'_>> = replaced
                        .iter()
                        .map(|old| (Some(old), site.lib.by_key(&old.key)))
                        .collect();
                    let inputs = prepared.page_inputs(site, &self.opts.now);
                    touch(&changes, &Pages::new(&inputs))
                };
                if let Some(why) = t.everything {
                    let mut o = self.everything()?;
                    o.how.insert(0, Text::new("rebuild-why").arg("why", why));
                    return Ok(o);
                }
                let mut o = self.render_touched(&t, started, told)?;
                o.how = vec![Text::new("rebuild-items-patched").arg("n", replaced.len())];
                o.warnings = warnings.0;
                Ok(o)
            }
            Reload::Load(why) => {
                let new = site::load_cached(&root, opts.drafts, &mut self.cache)?;
                site::check_closed(&new, &self.opts.now)?;
                let (t, n) = {
                    let (old, prepared) = self.built.as_ref().expect("built before");
                    let (changes, sections_changed) = diff(&old.lib, &new.lib);
                    let inputs = prepared.page_inputs(&new, &self.opts.now);
                    let mut t = touch(&changes, &Pages::new(&inputs));
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
                    o.how
                        .insert(0, Text::new("rebuild-why").arg("why", everything));
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
                o.how = vec![
                    Text::new("rebuild-items-changed")
                        .arg("n", n)
                        .arg_each("why", |lang| why.say(lang)),
                ];
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
        if t.open_data {
            showing.extend(pages.of_open_data());
        }
        if t.results {
            showing.extend(pages.of_results());
        }
        for (batch, first) in [(own, true), (showing, false)] {
            if batch.is_empty() {
                continue;
            }
            site::write_pages(&prepared.renderer, &pages, &batch, None, &self.mirror)?;
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
            files.extend(emit::data::files(&emit, "results")?);
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
        let mut expected: HashSet<String> = all.iter().map(|p| page_path(&p.url)).collect();
        expected.extend(emitted.into_iter().map(|(p, _)| p));
        expected.extend(prepared.assets.iter().map(|(p, _)| p.clone()));
        expected.extend(copied.into_iter().map(|(p, _)| p));
        expected.extend(self.search.iter().cloned());
        self.mirror.retain(&expected)?;
        Ok(())
    }

    /// Starts building the search index of the site as built now on a thread of its own,
    /// unless the options leave it out. Only the records are made here (milliseconds);
    /// pagefind's work, seconds on a large site, runs beside the next rebuilds.
    pub fn start_search(&self) -> Option<SearchJob> {
        self.start_search_after(|| {})
    }

    /// [`Rebuilder::start_search`], with the indexing thread first running `wait`.
    pub fn start_search_after(&self, wait: impl FnOnce() + Send + 'static) -> Option<SearchJob> {
        let (site, _) = self.built.as_ref().filter(|_| self.opts.search)?;
        let started = Instant::now();
        let records = emit::search::records(&site::emit_inputs(site, &self.opts.now));
        let langs = site.config.language_codes();
        let handle = std::thread::Builder::new()
            .name("torget-search".into())
            .spawn(move || {
                wait();
                emit::search::index(records, langs, emit::search::Priority::Background, None)
            });
        Some(SearchJob { handle, started })
    }

    /// Writes a finished index's files and removes the previous index's files that the new
    /// one does not have. Its files are not reported as changes: no page embeds them.
    pub fn finish_search(&mut self, job: SearchJob) -> Result<SearchReport> {
        let (bundle, summary) = job
            .handle?
            .join()
            .map_err(|_| anyhow::anyhow!("the search indexer crashed"))??;
        // The entry file last, since the files are written in parallel: a browser (or a test)
        // that finds the new entry finds every file it leads to.
        let (entry, rest): (Vec<_>, Vec<_>) = bundle
            .into_iter()
            .partition(|(p, _)| p.ends_with("/pagefind-entry.json"));
        site::write_files(&rest, &self.mirror)?;
        site::write_files(&entry, &self.mirror)?;
        let bundle = rest.into_iter().chain(entry);
        let paths: HashSet<String> = bundle.map(|(p, _)| p).collect();
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
