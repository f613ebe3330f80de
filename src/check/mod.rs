//! `torget check`'s own checks, on top of everything the build checks: links and anchors,
//! images in the text, heading levels, link texts, calls, translations and text that
//! `torget new` left for the writer to fill in.
//!
//! Every check reads the loaded [`Library`](crate::content::Library) and the pages a build would
//! write; none changes them. The pipeline never imports this module.

mod calls;
mod headings;
mod images;
mod link_text;
mod links;
pub mod translations;
mod unfinished;

pub use unfinished::TRANSLATE_MARK;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::Result;

use crate::content::{Item, LinkTargets, Version};
use crate::diag::{Diagnostic, Diagnostics, Source};
use crate::markdown::{self, BodyLink, Heading};
use crate::messages::Text;
use crate::output::{self, Staging};
use crate::site::{self, BuildOptions, Site};

/// What a check run depends on besides the site.
#[derive(Debug, Clone)]
pub struct Options {
    /// The moment that decides which calls are open.
    pub now: jiff::Timestamp,
    /// Tell of open calls that close within this many days.
    pub closing_days: u32,
}

/// Runs every check on a loaded site and returns what they found.
pub fn run(site: &Site, opts: &Options) -> Result<Diagnostics> {
    let mut diags = Diagnostics::default();
    let pages = built_paths(site, opts, &mut diags)?;
    let ctx = Ctx::new(site, pages);
    for body in &ctx.bodies {
        links::check(&ctx, body, &mut diags);
        images::check(&ctx, body, &mut diags);
        link_text::check(body, &mut diags);
        headings::check(body, &mut diags);
    }
    diags.extend(crate::content::check_closed(&site.lib, &opts.now).0);
    for item in &site.lib.items {
        links::check_front_matter(item, &mut diags);
        calls::check(item, opts, &mut diags);
        for v in item.versions.values() {
            unfinished::check(&v.source, v.body_offset, &mut diags);
        }
    }
    translations::check(&site.lib, &mut diags);
    Ok(diags)
}

/// Renders the whole site into a throw-away folder, as a build would, and lists the URL path of
/// every file written (`/prosjekter/x/` for `prosjekter/x/index.html`). Rendering runs the
/// build's last checks (templates, the output folder); if it fails, that is reported and links
/// by URL go unchecked (`None`).
fn built_paths(
    site: &Site,
    opts: &Options,
    diags: &mut Diagnostics,
) -> Result<Option<HashSet<String>>> {
    let out = site.root.join(&site.config.output_dir);
    if let Err(e) = output::check_target(&site.root, &out) {
        diags.push(Diagnostic::error("site.toml", format!("{e:#}")));
    }
    let mut build = BuildOptions::new(&site.root);
    build.now = opts.now;
    build.minify = Some(false);
    // Nothing links into the search index; building it would only make the check slower.
    build.search = false;
    let tmp = tempfile::tempdir()?;
    let staging = Staging::new(&tmp.path().join("public"))?;
    if let Err(e) = site::write_site(site, &build, &staging) {
        diags.push(
            Diagnostic::error("templates", "")
                .says(Text::new("check-cannot-render").arg("problem", format!("{e:#}"))),
        );
        return Ok(None);
    }
    let mut paths = HashSet::new();
    for entry in walkdir::WalkDir::new(staging.dir()) {
        let entry = entry?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(staging.dir())?;
        let url = format!("/{}", rel.to_string_lossy().replace('\\', "/"));
        if let Some(dir) = url.strip_suffix("index.html") {
            paths.insert(dir.to_string());
        }
        paths.insert(url);
    }
    Ok(Some(paths))
}

/// One Markdown text: an item's version, or a section's written `_index` file.
pub(crate) struct Body<'a> {
    pub source: &'a Source,
    /// Where the body starts in the file.
    pub offset: usize,
    pub lang: &'a str,
    /// The page's URL, for links relative to it.
    pub url: &'a str,
    pub headings: &'a [Heading],
    pub links: Vec<BodyLink>,
    /// The item's folder files (for a folder item), by path relative to its folder.
    pub assets: Vec<&'a str>,
}

impl<'a> Body<'a> {
    fn of_version(item: &'a Item, v: &'a Version) -> Body<'a> {
        Body {
            source: &v.source,
            offset: v.body_offset,
            lang: &v.lang,
            url: &v.url,
            headings: &v.headings,
            links: markdown::links(v.markdown()),
            assets: item.assets.iter().map(|(_, rel)| rel.as_str()).collect(),
        }
    }

    /// A diagnostic at a byte offset into the body.
    pub fn error(&self, at: usize, message: impl Into<String>) -> Diagnostic {
        self.source.error(self.offset + at, message)
    }

    pub fn warning(&self, at: usize, message: impl Into<String>) -> Diagnostic {
        self.source.warning(self.offset + at, message)
    }
}

/// A page a link can lead to, with the anchors it has.
pub(crate) struct Page<'a> {
    pub source: &'a Source,
    pub headings: &'a [Heading],
}

/// What the checks share: the bodies to check and where links can lead.
pub(crate) struct Ctx<'a> {
    pub bodies: Vec<Body<'a>>,
    pub targets: LinkTargets,
    /// Pages written from content, by URL, with their headings.
    pub pages: HashMap<&'a str, Page<'a>>,
    /// Every URL path the build writes; `None` when the site could not be rendered.
    pub built: Option<HashSet<String>>,
    /// Ids the theme's templates give elements (`main`, `h-goals` …); anchors may name them.
    pub theme_ids: HashSet<String>,
    pub root: &'a Path,
}

impl<'a> Ctx<'a> {
    fn new(site: &'a Site, built: Option<HashSet<String>>) -> Ctx<'a> {
        let lib = &site.lib;
        let mut bodies = Vec::new();
        let mut pages = HashMap::new();
        for item in &lib.items {
            for v in item.versions.values() {
                bodies.push(Body::of_version(item, v));
                pages.insert(
                    v.url.as_str(),
                    Page {
                        source: &v.source,
                        headings: &v.headings,
                    },
                );
            }
        }
        for s in &lib.sections {
            for v in s.versions.values() {
                let Some(source) = &v.source else { continue };
                bodies.push(Body {
                    source,
                    offset: v.body_offset,
                    lang: &v.lang,
                    url: &v.url,
                    headings: &v.headings,
                    links: markdown::links(&source.text[v.body_offset..]),
                    assets: Vec::new(),
                });
                pages.insert(
                    v.url.as_str(),
                    Page {
                        source,
                        headings: &v.headings,
                    },
                );
            }
        }
        Ctx {
            bodies,
            targets: LinkTargets::new(&lib.items, &lib.sections, &site.config.language_codes()),
            pages,
            built,
            theme_ids: theme_ids(site),
            root: &site.root,
        }
    }
}

/// The literal `id="…"` values in the site's templates.
fn theme_ids(site: &Site) -> HashSet<String> {
    let Ok(theme) = crate::render::Theme::load(&site.root, &site.config.theme) else {
        return HashSet::new();
    };
    let mut ids = HashSet::new();
    for text in theme.templates.values() {
        for part in text.split("id=\"").skip(1) {
            if let Some(id) = part.split('"').next()
                && !id.is_empty()
                && !id.contains(['{', '}', ' '])
            {
                ids.insert(id.to_string());
            }
        }
    }
    ids
}

/// Offset in `source` of the front-matter line that sets `key` (`key = …`), if any.
pub(crate) fn key_offset(source: &Source, body_offset: usize, key: &str) -> Option<usize> {
    let front = &source.text[..body_offset.min(source.text.len())];
    let mut pos = 0;
    for line in front.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return Some(pos + (line.len() - t.len()));
        }
        pos += line.len();
    }
    None
}
