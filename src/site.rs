//! The build pipeline: load (config, i18n, content) → render pages → emit the rest → publish
//! atomically. `cmd::build`, `serve` and tests all build through [`build`].

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::urls::page_path;
use crate::content::{self, Library, LoadOptions};
use crate::diag::{ContentErrors, Diagnostics};
use crate::emit;
use crate::i18n::I18n;
use crate::memory;
use crate::output::{self, Sink, Staging};
use crate::render::pages::{self, PageRef, Pages};
use crate::render::{self, Renderer, Theme};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's folder (holds `site.toml` and `content/`).
    pub root: PathBuf,
    /// Output folder; default: `output_dir` from site.toml, under the root.
    pub out: Option<PathBuf>,
    pub drafts: bool,
    /// Overrides `minify` in site.toml; `Some(false)` also leaves the theme's CSS and JS
    /// readable.
    pub minify: Option<bool>,
    /// The moment that decides which calls are open and which events are past.
    pub now: jiff::Timestamp,
    /// Name theme assets by their content (`style.1a2b3c4d.css`) so browsers may cache them
    /// forever. A preview turns it off, so that changing the stylesheet changes no page.
    pub fingerprint: bool,
    /// Build the search index (default: true). Off, the search page says search could not be
    /// loaded and links to the listings.
    pub search: bool,
    /// Where results are kept from one build to the next (see [`crate::cache`]); default
    /// none. `torget build` keeps them in `.torget/cache/` unless `--no-cache`. The output is
    /// the same, byte for byte, with or without.
    pub cache: Option<PathBuf>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            out: None,
            drafts: false,
            minify: None,
            now: jiff::Timestamp::now(),
            fingerprint: true,
            search: true,
            cache: None,
        }
    }
}

/// A loaded, checked site: everything needed to render it.
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub i18n: Arc<I18n>,
    pub lib: Library,
    pub warnings: Diagnostics,
}

/// What a build did.
#[derive(Debug)]
pub struct BuildReport {
    pub out: PathBuf,
    pub pages: usize,
    /// The pages rendered: all of them, but for those a build cache showed were made from
    /// the same inputs as the last build's (left where they were).
    pub rendered: usize,
    pub files: usize,
    pub warnings: Diagnostics,
    pub load_time: Duration,
    pub render_time: Duration,
    pub total_time: Duration,
    /// The search index, unless turned off.
    pub search: Option<SearchReport>,
    /// What changed in the output folder.
    pub published: output::Published,
}

/// What building the search index took and wrote.
#[derive(Debug, Clone)]
pub struct SearchReport {
    /// Records per language.
    pub records: Vec<(String, usize)>,
    pub files: usize,
    pub bytes: usize,
    /// The languages whose index came from the build cache.
    pub reused: Vec<String>,
    /// The languages whose index was updated from the one the build cache kept, each with the
    /// number of its pages read again.
    pub updated: Vec<(String, usize)>,
    /// Building the index and writing its files, after everything else was written: what the
    /// index added to the build's time.
    pub time: Duration,
}

impl SearchReport {
    /// What the index took: its summary, and the time since it was started.
    pub fn new(summary: emit::search::Summary, started: Instant) -> SearchReport {
        SearchReport {
            records: summary.records,
            files: summary.files,
            bytes: summary.bytes,
            reused: summary.reused,
            updated: summary.updated,
            time: started.elapsed(),
        }
    }
}

/// What [`write_site`] wrote.
#[derive(Debug)]
pub struct Written {
    pub pages: usize,
    /// The pages rendered; the rest were left as the last build wrote them.
    pub rendered: usize,
    pub files: usize,
    pub search: Option<SearchReport>,
}

/// Reads and checks the site. Content errors come back as [`ContentErrors`] holding all of them.
pub fn load(root: &Path, drafts: bool) -> Result<Site> {
    load_cached(root, drafts, &mut content::Cache::once())
}

/// [`load`], reusing the parses and rendered bodies of files that did not change since `cache`
/// last saw them.
pub fn load_cached(root: &Path, drafts: bool, cache: &mut content::Cache) -> Result<Site> {
    let (mut site, diags) = load_all_cached(root, drafts, cache)?;
    if diags.has_errors() {
        return Err(ContentErrors(diags).into());
    }
    site.warnings = diags;
    Ok(site)
}

/// Reads and checks the site like [`load`], but keeps every item that could be read even when
/// some content has errors, and returns all diagnostics beside it (`warnings` stays empty).
/// Errors in `site.toml` or the UI strings still stop here, as [`ContentErrors`]: without them
/// there is no site to look at.
pub fn load_all(root: &Path, drafts: bool) -> Result<(Site, Diagnostics)> {
    load_all_cached(root, drafts, &mut content::Cache::once())
}

/// [`load_all`] with a [`content::Cache`].
pub fn load_all_cached(
    root: &Path,
    drafts: bool,
    cache: &mut content::Cache,
) -> Result<(Site, Diagnostics)> {
    let config = Config::load(root).map_err(|d| ContentErrors(Diagnostics(d)))?;
    let langs = config.language_codes();
    let i18n = I18n::load(root, &langs).map_err(|d| ContentErrors(Diagnostics(d)))?;
    let (lib, diags) =
        content::load_all_cached(root, &config, &i18n, &LoadOptions { drafts }, cache);
    let site = Site {
        root: root.to_path_buf(),
        config,
        i18n: Arc::new(i18n),
        lib,
        warnings: Diagnostics::default(),
    };
    Ok((site, diags))
}

/// Fails with [`ContentErrors`] when a call that is not closed at `now` has results or an
/// outcome: loading cannot tell, it does not know the build's time.
pub fn check_closed(site: &Site, now: &jiff::Timestamp) -> Result<()> {
    let diags = content::check_closed(&site.lib, now);
    if diags.has_errors() {
        return Err(ContentErrors(diags).into());
    }
    Ok(())
}

/// Builds the site and publishes it; on any error the previous output stays as it was.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    // The output folder is known from site.toml alone. Made first, a staging folder that
    // remembers the last build checks the output folder against its manifest while the
    // content loads.
    let out = match &opts.out {
        Some(out) => out.clone(),
        None => {
            let config = Config::load(&opts.root).map_err(|d| ContentErrors(Diagnostics(d)))?;
            opts.root.join(&config.output_dir)
        }
    };
    output::check_target(&opts.root, &out)?;
    let staging = match &opts.cache {
        Some(cache) => Staging::remembering(&out, output::manifest::path(cache, &out))?,
        None => Staging::new(&out)?,
    };
    let mut site = load(&opts.root, opts.drafts)?;
    check_closed(&site, &opts.now)?;
    let load_time = started.elapsed();
    memory::note("loaded");
    let render_started = Instant::now();
    let mut written = write_all_but_search(&site, opts, &staging)?;
    let warnings = std::mem::take(&mut site.warnings);
    if opts.search {
        let started = Instant::now();
        let records = emit::search::records(&emit_inputs(&site, &opts.now));
        let langs = site.config.language_codes();
        // The index is made from the records alone, and the library is the largest thing
        // the build holds (a fifth of a GiB at 10,000 items × 2): let it go first.
        drop(site);
        memory::note("library dropped");
        let report = write_index(records, langs, &staging, opts.cache.as_deref(), started)?;
        written.files += report.files;
        written.search = Some(report);
    }
    let render_time = render_started.elapsed();
    let published = staging.publish()?;
    memory::note("published");
    Ok(BuildReport {
        out,
        pages: written.pages,
        rendered: written.rendered,
        files: written.files,
        warnings,
        load_time,
        render_time,
        total_time: started.elapsed(),
        search: written.search,
        published,
    })
}

/// Renders and writes every file of the site into `out`.
pub fn write_site(site: &Site, opts: &BuildOptions, out: &dyn Sink) -> Result<Written> {
    let mut written = write_all_but_search(site, opts, out)?;
    if opts.search {
        let report = write_search(&emit_inputs(site, &opts.now), out, opts.cache.as_deref())?;
        written.files += report.files;
        written.search = Some(report);
    }
    Ok(written)
}

/// Renders and writes every file of the site but the search index into `out`.
///
/// The index comes after everything else, with both cores to itself: built beside the pages,
/// the two took more CPU time together than one after the other, and held both in memory at
/// once.
fn write_all_but_search(site: &Site, opts: &BuildOptions, out: &dyn Sink) -> Result<Written> {
    let prepared = prepare(site, opts)?;
    let mut files = prepared.assets.len();
    write_files(&prepared.assets, out)?;
    let emit = emit_inputs(site, &opts.now);

    let inputs = prepared.page_inputs(site, &opts.now);
    let pages = Pages::new(&inputs);
    let all = pages.list();
    // Only a sink that remembers its files can keep a page; the digests are not worth
    // making for one that cannot.
    let made_from = opts
        .cache
        .is_some()
        .then(|| pages.made_from(&prepared.rendering));
    let rendered = write_pages(&prepared.renderer, &pages, &all, made_from.as_ref(), out)?;
    memory::note("pages written");
    let urls: Vec<String> = all
        .iter()
        .filter(|p| !p.noindex)
        .map(|p| p.url.clone())
        .collect();

    let emitted = emit::all(&emit, &urls)?;
    write_files(&emitted, out)?;
    files += emitted.len();

    files += copy_static(&site.root, out)?;
    files += copy_item_assets(site, out)?;
    memory::note("feeds, data and static files written");
    Ok(Written {
        pages: all.len(),
        rendered,
        files: files + all.len(),
        search: None,
    })
}

/// Builds the search index and writes it into `out`; returns what it took.
pub fn write_search(
    emit: &emit::Inputs<'_>,
    out: &dyn Sink,
    cache: Option<&Path>,
) -> Result<SearchReport> {
    let started = Instant::now();
    let (bundle, summary) = emit::search::all(emit, cache)?;
    memory::note("search index built");
    write_files(&bundle, out)?;
    Ok(SearchReport::new(summary, started))
}

/// Builds the index of `records` and writes it into `out`; `started` is when the records
/// began to be made.
fn write_index(
    records: Vec<emit::search::Record>,
    langs: Vec<String>,
    out: &dyn Sink,
    cache: Option<&Path>,
    started: Instant,
) -> Result<SearchReport> {
    let (bundle, summary) =
        emit::search::index(records, langs, emit::search::Priority::Normal, cache)?;
    memory::note("search index built");
    write_files(&bundle, out)?;
    Ok(SearchReport::new(summary, started))
}

/// What rendering a site needs besides its content: the renderer with the theme's templates,
/// and the theme's assets with the URLs pages link them at.
pub struct Prepared {
    pub renderer: Renderer,
    /// A digest of how pages are rendered: the templates, and whether pages are minified.
    pub rendering: crate::cache::Key,
    /// Theme assets (path under the output folder, bytes), minified when the site is.
    pub assets: Vec<emit::OutFile>,
    pub css_url: String,
    pub js_url: String,
    pub search_js_url: String,
}

impl Prepared {
    pub fn page_inputs<'a>(&self, site: &'a Site, now: &'a jiff::Timestamp) -> pages::Inputs<'a> {
        pages::Inputs {
            config: &site.config,
            i18n: &site.i18n,
            lib: &site.lib,
            now,
            css_url: self.css_url.clone(),
            js_url: self.js_url.clone(),
            search_js_url: self.search_js_url.clone(),
        }
    }
}

/// Loads the site's theme and prepares its assets.
pub fn prepare(site: &Site, opts: &BuildOptions) -> Result<Prepared> {
    let theme = Theme::load(&site.root, &site.config.theme)?;
    // Pages are minified only when asked: it saves 4-5% of a page's gzipped size and took
    // more time than everything else rendering does. The few theme assets always are, unless
    // the build asks for readable output.
    let minify_pages = opts.minify.unwrap_or(site.config.minify);
    let renderer = Renderer::new(&theme, site.i18n.clone(), minify_pages)?;
    let mut rendering = crate::cache::KeyHasher::default();
    rendering.part(&[u8::from(minify_pages)]);
    for (name, template) in &theme.templates {
        rendering.part(name.as_bytes());
        rendering.part(template.as_bytes());
    }
    let minify_assets = opts.minify.unwrap_or(true);
    // Theme assets get a content hash in their name so browsers can cache them forever.
    let mut css_url = String::from("/style.css");
    let mut js_url = String::from("/torget.js");
    let mut search_js_url = String::from("/search.js");
    let mut assets = Vec::new();
    for (name, bytes) in &theme.assets {
        let bytes = if minify_assets {
            minify_asset(name, bytes)
        } else {
            bytes.clone()
        };
        let path = if opts.fingerprint {
            fingerprinted(name, &bytes)
        } else {
            name.clone()
        };
        match name.as_str() {
            "style.css" => css_url = format!("/{path}"),
            "torget.js" => js_url = format!("/{path}"),
            "search.js" => search_js_url = format!("/{path}"),
            _ => {}
        }
        assets.push((path, bytes));
    }
    Ok(Prepared {
        renderer,
        rendering: rendering.finish(),
        assets,
        css_url,
        js_url,
        search_js_url,
    })
}

/// Builds, renders and writes the given pages, in parallel; returns how many it rendered.
///
/// With what the pages are made from (`made_from`), a page the sink keeps as the last build
/// wrote it ([`Sink::keep`]: made from the same inputs, and unchanged since) is not rendered.
pub fn write_pages(
    renderer: &Renderer,
    pages: &Pages<'_>,
    which: &[PageRef<'_>],
    made_from: Option<&pages::MadeFrom>,
    out: &dyn Sink,
) -> Result<usize> {
    let rendered = which
        .par_iter()
        .map(|page| {
            let made_from = made_from.and_then(|m| m.of(page));
            let path = page_path(&page.url);
            if made_from.is_some_and(|m| out.keep(&path, &m)) {
                return Ok(0);
            }
            let page = pages.build(page);
            let html = renderer
                .render(page.template, &page.context)
                .with_context(|| format!("page {}", page.url))?;
            match made_from {
                Some(m) => out.write_made_from(&path, html.as_bytes(), m)?,
                None => out.write(&path, html.as_bytes())?,
            }
            Ok(1)
        })
        .collect::<Result<Vec<usize>>>()?;
    Ok(rendered.iter().sum())
}

pub fn emit_inputs<'a>(site: &'a Site, now: &'a jiff::Timestamp) -> emit::Inputs<'a> {
    emit::Inputs {
        config: &site.config,
        i18n: &site.i18n,
        lib: &site.lib,
        now,
    }
}

/// Writes files in parallel.
pub fn write_files(files: &[emit::OutFile], out: &dyn Sink) -> Result<()> {
    files
        .par_iter()
        .map(|(path, bytes)| out.write(path, bytes))
        .collect::<Result<Vec<()>>>()?;
    Ok(())
}

/// Copies the files beside folder items' `index.md` next to each of their pages.
pub fn copy_item_assets(site: &Site, out: &dyn Sink) -> Result<usize> {
    let mut files = 0;
    for item in &site.lib.items {
        for (asset, rel) in &item.assets {
            for v in item.versions.values() {
                out.copy(asset, &page_path(&format!("{}{rel}", v.url)))?;
                files += 1;
            }
        }
    }
    Ok(files)
}

/// Copies the site's `static/` folder to the root of the output.
pub fn copy_static(root: &Path, out: &dyn Sink) -> Result<usize> {
    let dir = root.join("static");
    if !dir.is_dir() {
        return Ok(0);
    }
    let mut n = 0;
    for entry in walkdir::WalkDir::new(&dir) {
        let entry = entry?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&dir)?;
            out.copy(entry.path(), &rel.to_string_lossy().replace('\\', "/"))?;
            n += 1;
        }
    }
    Ok(n)
}

/// `style.css` → `style.1a2b3c4d.css`.
fn fingerprinted(name: &str, bytes: &[u8]) -> String {
    // FNV-1a: stable across builds and Rust versions, which std's hasher is not.
    let hash = bytes.iter().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
    });
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{:08x}.{ext}", hash as u32),
        None => format!("{name}.{:08x}", hash as u32),
    }
}

/// Minifies CSS and JS through minify-html, which handles both inside their HTML elements.
fn minify_asset(name: &str, bytes: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return bytes.to_vec();
    };
    let (open, close) = match name.rsplit('.').next() {
        Some("css") => ("<style>", "</style>"),
        Some("js") => ("<script>", "</script>"),
        _ => return bytes.to_vec(),
    };
    let html = render::minify_html(&format!("{open}{text}{close}"));
    match html.find(open).zip(html.rfind(close)) {
        Some((a, b)) if a + open.len() <= b => html.as_bytes()[a + open.len()..b].to_vec(),
        _ => bytes.to_vec(),
    }
}
