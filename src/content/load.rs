//! Reading `content/`: one pass over the files, parsed in parallel, grouped into items with their
//! translations, checked (keys, types, references, translations), given URLs, and rendered from
//! Markdown with `@/` links resolved. Every problem found is collected, none stops the others.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use indexmap::IndexMap;
use jiff::ZonedDateTime as Zoned;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use rayon::prelude::*;
use toml::Spanned;
use toml::value::{Datetime, Offset};

use super::frontmatter::{self, FrontMatter, RawQuestion};
use super::*;
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, Source};
use crate::i18n::I18n;
use crate::markdown;

/// What to include when loading.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Include items marked `draft = true`.
    pub drafts: bool,
}

/// One parsed `.md` file.
struct File {
    source: Source,
    lang: String,
    /// Content path of the item or section this file belongs to (language suffix removed).
    key: String,
    name: String,
    section: String,
    is_section: bool,
    /// Folder of a folder item (`<name>/index.md`).
    bundle_dir: Option<PathBuf>,
    fm: FrontMatter,
    front_offset: usize,
    body_offset: usize,
    body_range: std::ops::Range<usize>,
}

impl File {
    fn err(&self, span: Option<std::ops::Range<usize>>, msg: impl Into<String>) -> Diagnostic {
        self.source
            .error(self.front_offset + span.map_or(0, |s| s.start), msg)
    }

    /// Points at the opening `+++` when a required key is missing.
    fn err_top(&self, msg: impl Into<String>) -> Diagnostic {
        self.source.error(0, msg)
    }

    fn body(&self) -> &str {
        &self.source.text[self.body_range.clone()]
    }
}

/// What is kept between loads of the same site so that loading it again after a few files
/// changed costs little: each file's parse (reused while its modification time and size stay
/// the same) and each body's HTML (reused while the file and the URLs its links lead to stay
/// the same).
///
/// A fresh cache gives exactly what a load without one gives; `torget build` uses a fresh one,
/// a long-running process keeps one.
#[derive(Default)]
pub struct Cache {
    /// The languages the files were parsed for: their names' suffixes depend on them.
    langs: Vec<String>,
    files: HashMap<PathBuf, (Stamp, Parsed)>,
    bodies: HashMap<PathBuf, Body>,
}

type Parsed = Result<Arc<File>, Diagnostic>;

impl Cache {
    /// Drops what is kept about `path` (relative to the site root), for when a file may have
    /// changed without its modification time or size changing (coarse clocks, same length).
    pub fn forget(&mut self, path: &Path) {
        self.files.remove(path);
        self.bodies.remove(path);
    }

    /// How many files are kept; for tests and reports.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// When a file last changed, as far as its metadata tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: SystemTime,
    len: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        Some(Stamp {
            modified: m.modified().ok()?,
            len: m.len(),
        })
    }
}

/// A rendered body and the file text it was rendered from.
#[derive(Clone)]
struct Body {
    source: Arc<str>,
    lang: String,
    html: String,
    text: String,
    problems: Vec<Diagnostic>,
    headings: Vec<crate::markdown::Heading>,
    /// Every `@/` link in the body with where it led; the body is stale once one leads
    /// elsewhere.
    links: Vec<(String, Result<String, String>)>,
}

impl Body {
    fn renders(&self, v: &Version) -> bool {
        self.lang == v.lang
            && (Arc::ptr_eq(&self.source, &v.source.text) || *self.source == *v.source.text)
    }
}

/// Reads, checks and renders all content of the site at `root`; fails if any file has an error.
pub fn load(
    root: &Path,
    config: &Config,
    i18n: &I18n,
    opts: &LoadOptions,
) -> Result<(Library, Diagnostics), Diagnostics> {
    load_cached(root, config, i18n, opts, &mut Cache::default())
}

/// [`load`], reusing what `cache` kept from the previous load and keeping this one's.
pub fn load_cached(
    root: &Path,
    config: &Config,
    i18n: &I18n,
    opts: &LoadOptions,
    cache: &mut Cache,
) -> Result<(Library, Diagnostics), Diagnostics> {
    let (lib, diags) = load_all_cached(root, config, i18n, opts, cache);
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok((lib, diags))
    }
}

/// Like [`load`], but keeps going: the library holds every item that could be read, and the
/// diagnostics may include errors. `torget check` uses it to report everything in one run.
pub fn load_all(
    root: &Path,
    config: &Config,
    i18n: &I18n,
    opts: &LoadOptions,
) -> (Library, Diagnostics) {
    load_all_cached(root, config, i18n, opts, &mut Cache::default())
}

/// [`load_all`], reusing what `cache` kept from the previous load and keeping this one's.
pub fn load_all_cached(
    root: &Path,
    config: &Config,
    i18n: &I18n,
    opts: &LoadOptions,
    cache: &mut Cache,
) -> (Library, Diagnostics) {
    let langs = config.language_codes();
    let tz = TimeZone::get(&config.timezone).unwrap_or(TimeZone::UTC);
    let content = root.join("content");
    let mut diags = Diagnostics::default();
    if cache.langs != langs {
        *cache = Cache {
            langs: langs.clone(),
            ..Cache::default()
        };
    }

    let (paths, mut assets) = walk(root, &content, &mut diags);
    let previous = std::mem::take(&mut cache.files);
    let parsed: Vec<(&PathBuf, Option<Stamp>, Parsed)> = paths
        .par_iter()
        .map(|rel| {
            // Stamped before reading: a change while reading shows as a newer stamp next time.
            let stamp = Stamp::of(&root.join(rel));
            if let (Some(now), Some((then, parsed))) = (stamp, previous.get(rel))
                && now == *then
            {
                return (rel, stamp, parsed.clone());
            }
            let parsed = read_file(root, rel, &langs, &config.default_language).map(Arc::new);
            (rel, stamp, parsed)
        })
        .collect();
    drop(previous);
    cache.files = parsed
        .iter()
        .filter_map(|(rel, stamp, p)| Some(((*rel).clone(), ((*stamp)?, p.clone()))))
        .collect();
    let parsed = parsed.into_iter().map(|(_, _, p)| p);
    let mut files = Vec::new();
    let mut drafts = HashSet::new();
    for f in parsed {
        match f {
            Ok(f) if f.fm.draft.as_ref().is_some_and(|d| *d.get_ref()) && !opts.drafts => {
                drafts.insert(f.key.clone());
            }
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }

    // Group files into items and sections, versions in language order.
    let lang_pos = |l: &str| langs.iter().position(|x| x == l).unwrap_or(usize::MAX);
    files.sort_by(|a, b| (&a.key, lang_pos(&a.lang)).cmp(&(&b.key, lang_pos(&b.lang))));
    let mut groups: IndexMap<String, Vec<Arc<File>>> = IndexMap::new();
    for f in files {
        groups.entry(f.key.clone()).or_default().push(f);
    }

    let mut items = Vec::new();
    let mut section_files: BTreeMap<String, Vec<Arc<File>>> = BTreeMap::new();
    for (key, group) in groups {
        if group[0].is_section {
            section_files.insert(group[0].section.clone(), group);
            continue;
        }
        let bundle = group[0].bundle_dir.clone();
        match build_item(key, group, &tz, &mut diags) {
            Some(mut item) => {
                if let Some(dir) = bundle {
                    item.assets = assets.remove(&dir).unwrap_or_default();
                }
                check_images(root, &item, &mut diags);
                items.push(item);
            }
            None => continue,
        }
    }

    let mut sections = build_sections(config, section_files, &items, &langs, i18n, &mut diags);
    assign_urls(config, i18n, &mut sections, &mut items, &mut diags);
    check_references(&items, &drafts, &mut diags);
    let links = render_markdown(&mut items, &mut sections, &langs, cache, &mut diags);

    items.sort_by(|a, b| a.key.cmp(&b.key));
    diags.sort();
    let mut lib = Library::new(items, sections);
    lib.links = links;
    (lib, diags)
}

/// How [`reload`] went.
#[derive(Debug)]
pub enum Reload {
    /// The library holds the new versions of the items whose files changed; `replaced` has the
    /// items they replaced (none when the files were saved unchanged).
    Patched {
        replaced: Vec<Item>,
        warnings: Diagnostics,
    },
    /// The change reaches beyond the changed items' own files, or has errors; the library is
    /// as it was. Says why, for the curious.
    Load(String),
}

/// Reads `paths` (content files, relative to the site root) again and puts the items they
/// belong to into `lib`, when that can be decided from those items alone: every path is a file
/// of an item `lib` has, and the item keeps its URLs, stays published and has no error.
/// Otherwise leaves `lib` alone and answers [`Reload::Load`]: a new, removed or renamed file,
/// a section's `_index` file, a new slug, a draft, or a mistake (so that a full [`load_cached`]
/// reports every mistake of the site together).
pub fn reload(
    root: &Path,
    config: &Config,
    opts: &LoadOptions,
    lib: &mut Library,
    cache: &mut Cache,
    paths: &[PathBuf],
) -> Reload {
    let langs = config.language_codes();
    let tz = TimeZone::get(&config.timezone).unwrap_or(TimeZone::UTC);
    if cache.langs != langs {
        return Reload::Load("the languages changed".into());
    }
    // The changed files, by the item they belong to.
    let mut changed: BTreeMap<String, HashMap<PathBuf, Arc<File>>> = BTreeMap::new();
    for rel in paths {
        if rel.extension().is_none_or(|e| e != "md") {
            return Reload::Load(format!("{} is not a content file", rel.display()));
        }
        let stamp = Stamp::of(&root.join(rel));
        let file = match read_file(root, rel, &langs, &config.default_language) {
            Ok(f) => Arc::new(f),
            Err(_) => return Reload::Load(format!("{} cannot be read or parsed", rel.display())),
        };
        let Some(item) = lib.by_key(&file.key) else {
            return Reload::Load(format!("{} is not an item's file", rel.display()));
        };
        if !item.versions.values().any(|v| v.source.path == *rel) {
            return Reload::Load(format!("{} is a new translation", rel.display()));
        }
        if file.fm.draft.as_ref().is_some_and(|d| *d.get_ref()) && !opts.drafts {
            return Reload::Load(format!("{} is now a draft", rel.display()));
        }
        if let Some(stamp) = stamp {
            cache.files.insert(rel.clone(), (stamp, Ok(file.clone())));
        }
        changed
            .entry(file.key.clone())
            .or_default()
            .insert(rel.clone(), file);
    }

    let mut diags = Diagnostics::default();
    let mut items = Vec::new();
    for (key, mut files) in changed {
        let old = lib.by_key(&key).expect("checked above");
        let mut group = Vec::new();
        for v in old.versions.values() {
            let file = match files.remove(&v.source.path) {
                Some(f) => f,
                None => match cache.files.get(&v.source.path) {
                    Some((_, Ok(f))) => f.clone(),
                    _ => return Reload::Load(format!("{key} has files the cache lost")),
                },
            };
            group.push(file);
        }
        let Some(mut item) = build_item(key.clone(), group, &tz, &mut diags) else {
            return Reload::Load(format!("{key} has mistakes"));
        };
        item.assets = old.assets.clone();
        check_images(root, &item, &mut diags);
        for (v, was) in item.versions.values_mut().zip(old.versions.values()) {
            if v.slug != was.slug {
                return Reload::Load(format!("{key} has a new slug"));
            }
            v.url = was.url.clone();
        }
        items.push(item);
    }
    check_references_to(&items, &lib.items, &HashSet::new(), &mut diags);
    for item in &mut items {
        for v in item.versions.values_mut() {
            let body = render_body(v, &lib.links, &cache.bodies);
            v.html = body.html.clone();
            v.text = body.text.clone();
            v.headings = body.headings.clone();
            diags.extend(body.problems.iter().cloned());
            cache.bodies.insert(v.source.path.clone(), body);
        }
    }
    if diags.has_errors() {
        return Reload::Load("the changed files have mistakes".into());
    }
    diags.sort();
    let mut replaced = Vec::new();
    for item in items {
        let unchanged = lib.by_key(&item.key).is_some_and(|old| {
            old.versions.len() == item.versions.len()
                && old
                    .versions
                    .values()
                    .zip(item.versions.values())
                    .all(|(a, b)| *a.source.text == *b.source.text)
        });
        if !unchanged && let Some(old) = lib.replace(item) {
            replaced.push(old);
        }
    }
    Reload::Patched {
        replaced,
        warnings: diags,
    }
}

/// Folder of a folder item → its files (absolute path, path relative to the folder).
type Assets = HashMap<PathBuf, Vec<(PathBuf, String)>>;

/// Lists the Markdown files (relative to the site root) and the assets of folder items.
fn walk(root: &Path, content: &Path, diags: &mut Diagnostics) -> (Vec<PathBuf>, Assets) {
    let mut md = Vec::new();
    let mut others = Vec::new();
    if !content.is_dir() {
        diags.push(
            Diagnostic::error("content", "the site has no `content` folder").help(
                "create content/_index.md for the home page; docs/content.md explains the layout",
            ),
        );
        return (md, HashMap::new());
    }
    for entry in walkdir::WalkDir::new(content).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| rel(root, p))
                    .unwrap_or_else(|| PathBuf::from("content"));
                diags.push(Diagnostic::error(path, format!("cannot read: {e}")));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') || !entry.file_type().is_file() {
            continue;
        }
        let r = rel(root, entry.path());
        if r.extension().is_some_and(|e| e == "md") {
            md.push(r);
        } else {
            others.push(r);
        }
    }
    // An asset belongs to the nearest folder holding an `index.md`.
    let bundles: HashSet<PathBuf> = md
        .iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("index."))
        })
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    let mut assets: Assets = HashMap::new();
    for o in others {
        if let Some(dir) = o.ancestors().skip(1).find(|a| bundles.contains(*a)) {
            let rel = o
                .strip_prefix(dir)
                .unwrap_or(&o)
                .to_string_lossy()
                .replace('\\', "/");
            assets
                .entry(dir.to_path_buf())
                .or_default()
                .push((root.join(&o), rel));
        }
    }
    (md, assets)
}

fn rel(root: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(root).unwrap_or(p).to_path_buf()
}

fn read_file(
    root: &Path,
    rel_path: &Path,
    langs: &[String],
    default: &str,
) -> Result<File, Diagnostic> {
    let text = std::fs::read(root.join(rel_path))
        .map_err(|e| Diagnostic::error(rel_path, format!("cannot read: {e}")))?;
    let text = String::from_utf8(text).map_err(|e| {
        Diagnostic::error(
            rel_path,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
        .help("save the file as UTF-8 in your editor")
    })?;
    let source = Source::new(rel_path, text);
    let in_content = rel_path.strip_prefix("content").unwrap_or(rel_path);
    let stem = in_content
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let (base, lang) = match stem.rsplit_once('.') {
        Some((base, suffix)) if langs.iter().any(|l| l == suffix) => {
            (base.to_string(), suffix.to_string())
        }
        Some((_, suffix))
            if suffix.len() <= 3 && suffix.chars().all(|c| c.is_ascii_lowercase()) =>
        {
            return Err(source
                .error(
                    0,
                    format!("`.{suffix}` in the file name is not a language of this site"),
                )
                .help(format!(
                    "add `[languages.{suffix}]` to site.toml, or rename the file (configured: {})",
                    langs.join(", ")
                )));
        }
        _ => (stem.clone(), default.to_string()),
    };
    let parent = in_content
        .parent()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let (key, name, section, is_section, bundle_dir) = if base == "_index" {
        (
            format!("{}_index.md", dir_prefix(&parent)),
            String::new(),
            parent.clone(),
            true,
            None,
        )
    } else if base == "index" {
        let (sec, name) = match parent.rsplit_once('/') {
            Some((s, n)) => (s.to_string(), n.to_string()),
            None => (String::new(), parent.clone()),
        };
        if name.is_empty() {
            return Err(source
                .error(0, "`index.md` directly in content/ is not an item")
                .help("the home page is content/_index.md; rename the file"));
        }
        (
            format!("{parent}/index.md"),
            name,
            sec,
            false,
            rel_path.parent().map(Path::to_path_buf),
        )
    } else {
        (
            format!("{}{base}.md", dir_prefix(&parent)),
            base.clone(),
            parent.clone(),
            false,
            None,
        )
    };
    let split = frontmatter::split(&source)?;
    let fm = frontmatter::parse(&source, &split)?;
    let (front_offset, body_offset, body_len) =
        (split.front_offset, split.body_offset, split.body.len());
    Ok(File {
        lang,
        key,
        name,
        section,
        is_section,
        bundle_dir,
        fm,
        front_offset,
        body_offset,
        body_range: body_offset..body_offset + body_len,
        source,
    })
}

fn dir_prefix(parent: &str) -> String {
    if parent.is_empty() {
        String::new()
    } else {
        format!("{parent}/")
    }
}

/// Keys each kind of file may use, besides the common ones.
fn allowed_keys(kind: Kind, is_section: bool) -> &'static [&'static str] {
    if is_section {
        return &["title", "summary", "slug"];
    }
    match kind {
        Kind::Area => &["order"],
        Kind::Page => &["order", "menu"],
        Kind::Project => &[
            "areas", "status", "start", "end", "partners", "contact", "goals",
        ],
        Kind::Event => &[
            "start",
            "end",
            "location",
            "online_url",
            "registration_url",
            "areas",
            "project",
        ],
        Kind::Call => &[
            "opens",
            "closes",
            "areas",
            "project",
            "keep_days",
            "questions",
        ],
    }
}

const COMMON_KEYS: &[&str] = &[
    "title",
    "summary",
    "slug",
    "date",
    "updated",
    "draft",
    "image",
    "image_alt",
    "translation_of",
];

/// Keys whose value is the same in every language: a translation may leave them out.
const SHARED_KEYS: &[&str] = &[
    "areas",
    "status",
    "start",
    "end",
    "partners",
    "contact",
    "order",
    "menu",
    "online_url",
    "registration_url",
    "project",
    "opens",
    "closes",
    "keep_days",
    "date",
    "image",
];

fn span_of<T>(s: &Option<Spanned<T>>) -> Option<usize> {
    s.as_ref().map(|s| s.span().start)
}

/// The keys a file set, with their offsets in the front matter.
fn present_keys(fm: &FrontMatter) -> Vec<(&'static str, usize)> {
    let keys = [
        ("title", span_of(&fm.title)),
        ("summary", span_of(&fm.summary)),
        ("slug", span_of(&fm.slug)),
        ("date", span_of(&fm.date)),
        ("updated", span_of(&fm.updated)),
        ("draft", span_of(&fm.draft)),
        ("image", span_of(&fm.image)),
        ("image_alt", span_of(&fm.image_alt)),
        ("order", span_of(&fm.order)),
        ("menu", span_of(&fm.menu)),
        ("translation_of", span_of(&fm.translation_of)),
        ("areas", span_of(&fm.areas)),
        ("status", span_of(&fm.status)),
        ("start", span_of(&fm.start)),
        ("end", span_of(&fm.end)),
        ("partners", span_of(&fm.partners)),
        ("contact", span_of(&fm.contact)),
        ("goals", span_of(&fm.goals)),
        ("location", span_of(&fm.location)),
        ("online_url", span_of(&fm.online_url)),
        ("registration_url", span_of(&fm.registration_url)),
        ("project", span_of(&fm.project)),
        ("opens", span_of(&fm.opens)),
        ("closes", span_of(&fm.closes)),
        ("keep_days", span_of(&fm.keep_days)),
        ("questions", span_of(&fm.questions)),
    ];
    keys.into_iter()
        .filter_map(|(k, s)| s.map(|s| (k, s)))
        .collect()
}

fn where_key_belongs(key: &str) -> &'static str {
    match key {
        "status" | "partners" | "contact" | "goals" => "content/projects/",
        "location" | "online_url" | "registration_url" => "content/events/",
        "opens" | "closes" | "keep_days" | "questions" => "content/calls/",
        "start" | "end" => "content/projects/ and content/events/",
        "areas" | "project" => "projects, events and calls",
        "menu" => "plain pages",
        "order" => "areas and plain pages",
        _ => "items, not section `_index.md` files",
    }
}

fn check_keys(f: &File, kind: Kind, diags: &mut Diagnostics) {
    let allowed = allowed_keys(kind, f.is_section);
    for (key, offset) in present_keys(&f.fm) {
        let ok = allowed.contains(&key) || (!f.is_section && COMMON_KEYS.contains(&key));
        if !ok {
            let what = if f.is_section {
                "a section's `_index` file".to_string()
            } else {
                format!("a {}", kind.as_str())
            };
            diags.push(
                f.source
                    .error(
                        f.front_offset + offset,
                        format!("`{key}` has no meaning in {what}"),
                    )
                    .help(format!(
                        "`{key}` is used in {}; remove it here",
                        where_key_belongs(key)
                    )),
            );
        }
    }
}

fn required_text(
    f: &File,
    value: &Option<Spanned<String>>,
    key: &str,
    diags: &mut Diagnostics,
) -> String {
    match value {
        Some(v) if !v.get_ref().trim().is_empty() => v.get_ref().trim().to_string(),
        Some(v) => {
            diags.push(
                f.err(Some(v.span()), format!("`{key}` is empty"))
                    .help(format!("write the {key} between the quotes")),
            );
            String::new()
        }
        None => {
            diags.push(
                f.err_top(format!("missing `{key}`"))
                    .help(format!("add `{key} = \"…\"` to the front matter")),
            );
            String::new()
        }
    }
}

fn check_slug(f: &File, slug: &Option<Spanned<String>>, diags: &mut Diagnostics) -> Option<String> {
    let s = slug.as_ref()?;
    let v = s.get_ref();
    if !is_slug(v) {
        diags.push(
            f.err(Some(s.span()), format!("`slug = \"{v}\"` is not a URL segment"))
                .help("use lowercase a–z, digits and `-`, e.g. `slug = \"bike-paths\"` (no æ, ø, å, spaces or /)"),
        );
        return None;
    }
    Some(v.clone())
}

fn to_date(f: &File, key: &str, v: &Spanned<Datetime>, diags: &mut Diagnostics) -> Option<Date> {
    let dt = v.get_ref();
    match (dt.date, dt.time) {
        (Some(d), None) => match Date::new(d.year as i16, d.month as i8, d.day as i8) {
            Ok(date) => Some(date),
            Err(e) => {
                diags.push(f.err(Some(v.span()), format!("`{key}` is not a valid date: {e}")));
                None
            }
        },
        _ => {
            diags.push(
                f.err(
                    Some(v.span()),
                    format!("`{key}` must be a date without a time"),
                )
                .help(format!("write it like `{key} = 2019-08-01`")),
            );
            None
        }
    }
}

/// A TOML date-time as a time in the site's zone. Without an offset it is local time there.
fn to_zoned(
    f: &File,
    key: &str,
    v: &Spanned<Datetime>,
    tz: &TimeZone,
    diags: &mut Diagnostics,
) -> Option<Zoned> {
    let dt = v.get_ref();
    let bad = |diags: &mut Diagnostics, why: String| {
        diags.push(
            f.err(Some(v.span()), format!("`{key}` {why}"))
                .help(format!(
                    "write a local date and time, e.g. `{key} = 2026-12-03T18:00:00` ({} time)",
                    tz.iana_name().unwrap_or("local")
                )),
        );
        None
    };
    let (Some(d), Some(t)) = (dt.date, dt.time) else {
        return bad(diags, "needs both a date and a time".into());
    };
    let civil = match jiff::civil::DateTime::new(
        d.year as i16,
        d.month as i8,
        d.day as i8,
        t.hour as i8,
        t.minute as i8,
        t.second.unwrap_or(0) as i8,
        0,
    ) {
        Ok(c) => c,
        Err(e) => return bad(diags, format!("is not a valid date-time: {e}")),
    };
    let zoned = match dt.offset {
        None => {
            // A local time that the clocks skip when summer time starts never happens.
            let ambiguous = tz.to_ambiguous_zoned_datetime(civil);
            if let jiff::tz::AmbiguousOffset::Gap { .. } = ambiguous.offset() {
                return bad(
                    diags,
                    format!(
                        "is a time that does not exist in {}: the clocks go forward then",
                        tz.iana_name().unwrap_or("this time zone")
                    ),
                );
            }
            ambiguous.compatible()
        }
        Some(offset) => {
            let seconds = match offset {
                Offset::Z => 0,
                Offset::Custom { minutes } => i32::from(minutes) * 60,
            };
            jiff::tz::Offset::from_seconds(seconds)
                .and_then(|o| o.to_timestamp(civil))
                .map(|ts| ts.to_zoned_datetime(tz.clone()))
        }
    };
    match zoned {
        Ok(z) => Some(z),
        Err(e) => bad(diags, format!("is not a valid time: {e}")),
    }
}

fn list_areas(f: &File, diags: &mut Diagnostics, required: bool) -> Vec<String> {
    match &f.fm.areas {
        Some(a) => {
            if required && a.get_ref().is_empty() {
                diags.push(
                    f.err(Some(a.span()), "`areas` is empty")
                        .help("name at least one area, e.g. `areas = [\"byutvikling\"]`"),
                );
            }
            a.get_ref().iter().map(|s| s.get_ref().clone()).collect()
        }
        None if required => {
            diags.push(
                f.err_top("missing `areas`")
                    .help("add the thematic areas, e.g. `areas = [\"byutvikling\"]`"),
            );
            Vec::new()
        }
        None => Vec::new(),
    }
}

fn parse_enum<T: Copy>(
    f: &File,
    key: &str,
    v: &Spanned<String>,
    options: &[(&str, T)],
    diags: &mut Diagnostics,
) -> Option<T> {
    match options.iter().find(|(name, _)| *name == v.get_ref()) {
        Some((_, t)) => Some(*t),
        None => {
            let names: Vec<String> = options.iter().map(|(n, _)| format!("\"{n}\"")).collect();
            diags.push(
                f.err(
                    Some(v.span()),
                    format!("`{key} = \"{}\"` is not a known {key}", v.get_ref()),
                )
                .help(format!("use one of {}", names.join(", "))),
            );
            None
        }
    }
}

const PROJECT_STATUSES: &[(&str, ProjectStatus)] = &[
    ("planned", ProjectStatus::Planned),
    ("active", ProjectStatus::Active),
    ("completed", ProjectStatus::Completed),
];
const GOAL_STATUSES: &[(&str, GoalStatus)] = &[
    ("planned", GoalStatus::Planned),
    ("on-track", GoalStatus::OnTrack),
    ("at-risk", GoalStatus::AtRisk),
    ("achieved", GoalStatus::Achieved),
];
const QUESTION_KINDS: &[(&str, QuestionKind)] = &[
    ("text", QuestionKind::Text),
    ("longtext", QuestionKind::Longtext),
    ("choice", QuestionKind::Choice),
    ("multichoice", QuestionKind::Multichoice),
    ("scale", QuestionKind::Scale),
];

fn check_url(
    f: &File,
    key: &str,
    v: &Option<Spanned<String>>,
    diags: &mut Diagnostics,
) -> Option<String> {
    let v = v.as_ref()?;
    let s = v.get_ref();
    if !(s.starts_with("https://") || s.starts_with("http://")) || s.contains(char::is_whitespace) {
        diags.push(
            f.err(
                Some(v.span()),
                format!("`{key} = \"{s}\"` is not a web address"),
            )
            .help("write the full address, starting with https://"),
        );
        return None;
    }
    Some(s.clone())
}

/// The shared data of an item, from its primary file.
fn build_data(f: &File, kind: Kind, tz: &TimeZone, diags: &mut Diagnostics) -> Option<Data> {
    let before = diags.0.len();
    let fm = &f.fm;
    let data = match kind {
        Kind::Area => Data::Area {
            order: fm.order.as_ref().map_or(i64::MAX, |o| *o.get_ref()),
        },
        Kind::Page => {
            let menu = fm.menu.as_ref().and_then(|m| {
                let v = m.get_ref();
                if v == "main" || v == "footer" {
                    Some(v.clone())
                } else {
                    diags.push(
                        f.err(Some(m.span()), format!("`menu = \"{v}\"` is not a menu"))
                            .help("use `menu = \"main\"` or `menu = \"footer\"`"),
                    );
                    None
                }
            });
            Data::Page {
                menu,
                order: fm.order.as_ref().map_or(i64::MAX, |o| *o.get_ref()),
            }
        }
        Kind::Project => {
            let areas = list_areas(f, diags, true);
            let status = match &fm.status {
                Some(s) => parse_enum(f, "status", s, PROJECT_STATUSES, diags),
                None => {
                    diags.push(
                        f.err_top("missing `status`")
                            .help("add `status = \"planned\"`, `\"active\"` or `\"completed\"`"),
                    );
                    None
                }
            };
            let start = match &fm.start {
                Some(s) => to_date(f, "start", s, diags),
                None => {
                    diags.push(
                        f.err_top("missing `start`")
                            .help("add the start date, e.g. `start = 2019-08-01`"),
                    );
                    None
                }
            };
            let end = fm.end.as_ref().and_then(|e| to_date(f, "end", e, diags));
            if let (Some(s), Some(e), Some(span)) = (start, end, &fm.end)
                && e < s
            {
                diags.push(
                    f.err(Some(span.span()), "`end` is before `start`")
                        .help("check the dates"),
                );
            }
            Data::Project(Project {
                areas,
                status: status?,
                start: start?,
                end,
                partners: fm
                    .partners
                    .as_ref()
                    .map(|p| p.get_ref().clone())
                    .unwrap_or_default(),
                contact: fm.contact.as_ref().map(|c| c.get_ref().clone()),
            })
        }
        Kind::Event => {
            let start = match &fm.start {
                Some(s) => to_zoned(f, "start", s, tz, diags),
                None => {
                    diags.push(
                        f.err_top("missing `start`")
                            .help("add e.g. `start = 2026-12-03T18:00:00`"),
                    );
                    None
                }
            };
            let end = match &fm.end {
                Some(s) => to_zoned(f, "end", s, tz, diags),
                None => {
                    diags.push(
                        f.err_top("missing `end`")
                            .help("add e.g. `end = 2026-12-03T20:00:00`"),
                    );
                    None
                }
            };
            if let (Some(s), Some(e), Some(span)) = (&start, &end, &fm.end)
                && e < s
            {
                diags.push(
                    f.err(Some(span.span()), "`end` is before `start`")
                        .help("an event must end after it starts; check the date and time"),
                );
            }
            if fm.location.is_none() && fm.online_url.is_none() {
                diags.push(f.err_top("missing `location`").help("add `location = { name = \"…\", address = \"…\" }`, or `online_url` for an online event"));
            }
            Data::Event(Event {
                start: start?,
                end: end?,
                online_url: check_url(f, "online_url", &fm.online_url, diags),
                registration_url: check_url(f, "registration_url", &fm.registration_url, diags),
                areas: list_areas(f, diags, false),
                project: fm.project.as_ref().map(|p| p.get_ref().clone()),
            })
        }
        Kind::Call => {
            let opens = match &fm.opens {
                Some(s) => to_zoned(f, "opens", s, tz, diags),
                None => {
                    diags.push(
                        f.err_top("missing `opens`")
                            .help("add when the call opens, e.g. `opens = 2026-01-01T00:00:00`"),
                    );
                    None
                }
            };
            let closes = match &fm.closes {
                Some(s) => to_zoned(f, "closes", s, tz, diags),
                None => {
                    diags.push(
                        f.err_top("missing `closes`")
                            .help("add the deadline, e.g. `closes = 2026-03-01T23:59:00`"),
                    );
                    None
                }
            };
            if let (Some(o), Some(c), Some(span)) = (&opens, &closes, &fm.closes)
                && c <= o
            {
                diags.push(
                    f.err(Some(span.span()), "`closes` is before `opens`")
                        .help("the deadline must come after the call opens; check the dates"),
                );
            }
            let keep_days = fm
                .keep_days
                .as_ref()
                .and_then(|k| match u32::try_from(*k.get_ref()) {
                    Ok(d) if d > 0 => Some(d),
                    _ => {
                        diags.push(
                            f.err(
                                Some(k.span()),
                                "`keep_days` must be a whole number of days above 0",
                            )
                            .help("e.g. `keep_days = 365`"),
                        );
                        None
                    }
                });
            if fm.questions.as_ref().is_none_or(|q| q.get_ref().is_empty()) {
                diags.push(
                    f.err_top("a call for input has no `[[questions]]`").help(
                        "add at least one `[[questions]]` table with `id`, `kind` and `label`",
                    ),
                );
            }
            Data::Call(Call {
                opens: opens?,
                closes: closes?,
                areas: list_areas(f, diags, false),
                project: fm.project.as_ref().map(|p| p.get_ref().clone()),
                keep_days,
            })
        }
    };
    (diags.0.len() == before).then_some(data)
}

fn build_goals(f: &File, diags: &mut Diagnostics) -> Vec<Goal> {
    let Some(goals) = &f.fm.goals else {
        return Vec::new();
    };
    goals
        .get_ref()
        .iter()
        .filter_map(|g| {
            let g = g.get_ref();
            let status = parse_enum(f, "status", &g.status, GOAL_STATUSES, diags)?;
            Some(Goal {
                title: g.title.get_ref().clone(),
                status,
            })
        })
        .collect()
}

fn build_questions(f: &File, diags: &mut Diagnostics) -> Vec<Question> {
    let Some(qs) = &f.fm.questions else {
        return Vec::new();
    };
    let mut seen = HashSet::new();
    qs.get_ref()
        .iter()
        .filter_map(|q| build_question(f, q.get_ref(), &mut seen, diags))
        .collect()
}

fn build_question(
    f: &File,
    q: &RawQuestion,
    seen: &mut HashSet<String>,
    diags: &mut Diagnostics,
) -> Option<Question> {
    let before = diags.0.len();
    let id = q.id.get_ref();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        diags.push(
            f.err(
                Some(q.id.span()),
                format!("question id `{id}` is not a plain identifier"),
            )
            .help("use lowercase a–z, digits, `-` and `_`, e.g. `id = \"favourite-park\"`"),
        );
    } else if ["lang", "website", "form_token"].contains(&id.as_str()) {
        diags.push(
            f.err(
                Some(q.id.span()),
                format!("question id `{id}` is reserved by the answer form"),
            )
            .help("choose another id"),
        );
    } else if !seen.insert(id.clone()) {
        diags.push(
            f.err(
                Some(q.id.span()),
                format!("question id `{id}` is used twice in this call"),
            )
            .help("give every question its own id"),
        );
    }
    let kind = parse_enum(f, "kind", &q.kind, QUESTION_KINDS, diags);
    if q.label.get_ref().trim().is_empty() {
        diags.push(
            f.err(Some(q.label.span()), "the question's `label` is empty")
                .help("write the question residents will read"),
        );
    }
    let options = q
        .options
        .as_ref()
        .map(|o| o.get_ref().clone())
        .unwrap_or_default();
    if let Some(kind) = kind {
        if kind.has_options() && options.len() < 2 {
            diags.push(
                f.err(
                    Some(q.kind.span()),
                    format!(
                        "a `{}` question needs at least two `options`",
                        q.kind.get_ref()
                    ),
                )
                .help("add e.g. `options = [\"Ja\", \"Nei\"]`"),
            );
        }
        if !kind.has_options()
            && let Some(o) = &q.options
        {
            diags.push(
                f.err(
                    Some(o.span()),
                    format!("a `{}` question has no `options`", q.kind.get_ref()),
                )
                .help("remove `options`, or use `kind = \"choice\"`"),
            );
        }
        let mut unique = HashSet::new();
        if options.iter().any(|o| !unique.insert(o)) {
            diags.push(
                f.err(Some(q.kind.span()), "two options have the same text")
                    .help("make every option different"),
            );
        }
        if kind != QuestionKind::Scale
            && let Some(m) = q.min.as_ref().or(q.max.as_ref())
        {
            diags.push(
                f.err(
                    Some(m.span()),
                    "`min` and `max` are only for `kind = \"scale\"`",
                )
                .help("remove them"),
            );
        }
    }
    let min = q.min.as_ref().map_or(1, |m| *m.get_ref());
    let max = q.max.as_ref().map_or(5, |m| *m.get_ref());
    if max <= min || max - min > 20 {
        let span = q.max.as_ref().or(q.min.as_ref()).map(|s| s.span());
        diags.push(
            f.err(span, format!("the scale {min}–{max} is not usable"))
                .help("`max` must be above `min`, with at most 21 steps (the default is 1–5)"),
        );
    }
    let default_len = if kind == Some(QuestionKind::Text) {
        500
    } else {
        MAX_ANSWER_CHARS
    };
    let max_length = match &q.max_length {
        Some(m) if (1..=MAX_ANSWER_CHARS as i64).contains(m.get_ref()) => *m.get_ref() as usize,
        Some(m) => {
            diags.push(f.err(
                Some(m.span()),
                format!("`max_length` must be between 1 and {MAX_ANSWER_CHARS}"),
            ));
            default_len
        }
        None => default_len,
    };
    (diags.0.len() == before).then(|| Question {
        id: id.clone(),
        kind: kind.expect("checked above"),
        label: q.label.get_ref().trim().to_string(),
        help: q.help.clone(),
        options,
        required: q.required,
        min,
        max,
        min_label: q.min_label.clone(),
        max_label: q.max_label.clone(),
        max_length,
    })
}

/// Compares a key a translation repeats with the primary file's value.
macro_rules! same_as_primary {
    ($t:expr, $p:expr, $diags:expr, $primary_lang:expr, [$($key:ident),*]) => {
        $(
            if let Some(tv) = &$t.fm.$key {
                let equal = $p.fm.$key.as_ref().is_some_and(|pv| pv.get_ref() == tv.get_ref());
                if !equal {
                    $diags.push($t.err(Some(tv.span()), format!(
                        "`{}` differs from the {} version ({})",
                        stringify!($key), $primary_lang, $p.source.path.display()
                    )).help(format!(
                        "`{}` is shared by all languages: remove it from this translation, or change both files",
                        stringify!($key)
                    )));
                }
            }
        )*
    };
}

fn build_item(
    key: String,
    group: Vec<Arc<File>>,
    tz: &TimeZone,
    diags: &mut Diagnostics,
) -> Option<Item> {
    let primary = &group[0];
    let kind = Kind::of_section(&primary.section);
    for f in &group {
        check_keys(f, kind, diags);
    }
    if kind == Kind::Area && !primary.section.eq(AREAS) {
        diags.push(
            primary
                .err_top("areas cannot be nested in folders")
                .help("put the file directly in content/areas/"),
        );
    }
    let data = build_data(primary, kind, tz, diags);
    let primary_goals = build_goals(primary, diags);
    let primary_questions = build_questions(primary, diags);
    let mut versions = IndexMap::new();
    for f in &group {
        let title = required_text(f, &f.fm.title, "title", diags);
        let summary = required_text(f, &f.fm.summary, "summary", diags);
        let slug = match check_slug(f, &f.fm.slug, diags) {
            Some(slug) => slug,
            None if f.fm.slug.is_none() && !is_slug(&f.name) => {
                let suggestion = crate::markdown::slugify(&f.name);
                diags.push(
                    f.err_top(format!("the file name `{}` cannot be used in a web address", f.name))
                        .help(format!("rename the file to `{suggestion}.md`, or set `slug = \"{suggestion}\"` (lowercase a–z, digits and `-`)")),
                );
                f.name.clone()
            }
            None => f.name.clone(),
        };
        let is_primary = std::ptr::eq(f, primary);
        if !is_primary {
            same_as_primary!(
                f,
                primary,
                diags,
                primary.lang,
                [
                    areas,
                    status,
                    start,
                    end,
                    partners,
                    contact,
                    order,
                    menu,
                    online_url,
                    registration_url,
                    project,
                    opens,
                    closes,
                    keep_days,
                    date,
                    image
                ]
            );
            let _ = SHARED_KEYS;
        }
        // Residents reading a translation would otherwise meet the other language's text.
        if !is_primary && f.fm.goals.is_none() && !primary_goals.is_empty() {
            diags.push(f.source.warning(
                0,
                format!(
                    "the goals are not translated: this page will show the {} goals",
                    primary.lang
                ),
            ));
        }
        if !is_primary && f.fm.questions.is_none() && !primary_questions.is_empty() {
            diags.push(f.source.warning(
                0,
                format!(
                    "the questions are not translated: this form will ask them in {}",
                    primary.lang
                ),
            ));
        }
        let goals = if is_primary || f.fm.goals.is_none() {
            primary_goals.clone()
        } else {
            let goals = build_goals(f, diags);
            check_goals_match(f, primary, &primary_goals, &goals, diags);
            goals
        };
        let questions = if is_primary || f.fm.questions.is_none() {
            primary_questions.clone()
        } else {
            let qs = build_questions(f, diags);
            check_questions_match(f, primary, &primary_questions, &qs, diags);
            qs
        };
        let image =
            f.fm.image
                .as_ref()
                .or(primary.fm.image.as_ref())
                .map(|s| s.get_ref().clone());
        let image_alt =
            f.fm.image_alt
                .as_ref()
                .map(|s| s.get_ref().trim().to_string())
                .filter(|s| !s.is_empty());
        if image.is_some() && image_alt.is_none() {
            let span = f.fm.image.as_ref().map(|s| s.span());
            diags.push(f.err(span, "`image` has no `image_alt`").help("describe the image for residents who cannot see it: `image_alt = \"…\"` (alt text is required by WCAG)"));
        }
        let date =
            f.fm.date
                .as_ref()
                .or(primary.fm.date.as_ref())
                .and_then(|d| to_date(f, "date", d, diags));
        let updated =
            f.fm.updated
                .as_ref()
                .and_then(|d| to_date(f, "updated", d, diags));
        versions.insert(
            f.lang.clone(),
            Version {
                lang: f.lang.clone(),
                source: f.source.clone(),
                title,
                summary,
                slug,
                url: String::new(),
                date,
                updated,
                image,
                image_alt,
                translation_of: f.fm.translation_of.as_ref().map(|s| s.get_ref().clone()),
                goals,
                questions,
                location: f
                    .fm
                    .location
                    .as_ref()
                    .or(primary.fm.location.as_ref())
                    .map(|l| l.get_ref().clone()),
                html: String::new(),
                text: f.body().to_string(),
                headings: Vec::new(),
                body_offset: f.body_offset,
            },
        );
    }
    Some(Item {
        key,
        name: primary.name.clone(),
        section: primary.section.clone(),
        data: data?,
        versions,
        assets: Vec::new(),
    })
}

fn check_goals_match(f: &File, primary: &File, p: &[Goal], t: &[Goal], diags: &mut Diagnostics) {
    let span = f.fm.goals.as_ref().map(|g| g.span());
    if p.len() != t.len() {
        diags.push(
            f.err(
                span,
                format!(
                    "this translation has {} goals, the {} version has {}",
                    t.len(),
                    primary.lang,
                    p.len()
                ),
            )
            .help(format!(
                "translate the same goals in the same order as {}",
                primary.source.path.display()
            )),
        );
    } else if let Some(i) = p.iter().zip(t).position(|(a, b)| a.status != b.status) {
        diags.push(
            f.err(
                span,
                format!(
                    "goal {} has another `status` than in the {} version",
                    i + 1,
                    primary.lang
                ),
            )
            .help("a goal's status is the same in every language; change both files"),
        );
    }
}

fn check_questions_match(
    f: &File,
    primary: &File,
    p: &[Question],
    t: &[Question],
    diags: &mut Diagnostics,
) {
    let span = f.fm.questions.as_ref().map(|g| g.span());
    let fix = format!(
        "a translation asks the same questions as {}: same ids and kinds in the same order, same number of options",
        primary.source.path.display()
    );
    if p.len() != t.len() {
        diags.push(
            f.err(
                span,
                format!(
                    "this translation has {} questions, the {} version has {}",
                    t.len(),
                    primary.lang,
                    p.len()
                ),
            )
            .help(fix),
        );
        return;
    }
    for (a, b) in p.iter().zip(t) {
        let problem = if a.id != b.id {
            Some(format!(
                "question id `{}` does not match `{}` in the {} version",
                b.id, a.id, primary.lang
            ))
        } else if a.kind != b.kind {
            Some(
                format!(
                    "question `{}` is `{:?}` here but `{:?}` in the {} version",
                    a.id, b.kind, a.kind, primary.lang
                )
                .to_lowercase(),
            )
        } else if a.options.len() != b.options.len() {
            Some(format!(
                "question `{}` has {} options here but {} in the {} version",
                a.id,
                b.options.len(),
                a.options.len(),
                primary.lang
            ))
        } else if (a.required, a.min, a.max, a.max_length)
            != (b.required, b.min, b.max, b.max_length)
        {
            Some(format!(
                "question `{}` differs in `required`, `min`, `max` or `max_length` from the {} version",
                a.id, primary.lang
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            diags.push(f.err(span.clone(), problem).help(fix.clone()));
        }
    }
}

fn check_images(root: &Path, item: &Item, diags: &mut Diagnostics) {
    for v in item.versions.values() {
        let Some(image) = &v.image else { continue };
        let found = if let Some(abs) = image.strip_prefix('/') {
            root.join("static").join(abs).is_file()
        } else if image.starts_with("http://") || image.starts_with("https://") {
            true
        } else {
            item.assets.iter().any(|(_, rel)| rel == image)
        };
        if !found {
            diags.push(v.source.error(0, format!("image `{image}` does not exist"))
                .help("put the image beside the item's index.md (a folder item), or in static/ and write its path from the site root, e.g. `/bilder/x.jpg`"));
        }
    }
}

fn build_sections(
    config: &Config,
    mut files: BTreeMap<String, Vec<Arc<File>>>,
    items: &[Item],
    langs: &[String],
    i18n: &I18n,
    diags: &mut Diagnostics,
) -> Vec<Section> {
    let mut paths: Vec<String> = vec![
        String::new(),
        AREAS.into(),
        PROJECTS.into(),
        EVENTS.into(),
        CALLS.into(),
    ];
    paths.extend(files.keys().cloned());
    paths.extend(items.iter().map(|i| i.section.clone()));
    paths.sort();
    paths.dedup();
    let mut sections = Vec::new();
    for path in paths {
        let kind = Kind::of_section(&path);
        let group = files.remove(&path).unwrap_or_default();
        let folder = PathBuf::from("content").join(&path);
        if kind != Kind::Page && path.contains('/') {
            diags.push(
                Diagnostic::error(
                    &folder,
                    format!("the {}s folder cannot have sub-folders", kind.as_str()),
                )
                .help(format!(
                    "move the files directly into content/{}/",
                    path.split('/').next().unwrap_or_default()
                )),
            );
        }

        for f in &group {
            check_keys(f, kind, diags);
        }
        let mut versions = IndexMap::new();
        for lang in langs {
            let strings = i18n.strings(lang);
            let own = group.iter().find(|f| &f.lang == lang);
            let last = path.rsplit('/').next().unwrap_or(&path).to_string();
            let default_title = strings
                .get(&format!("section.{last}"), &[])
                .unwrap_or_else(|_| last.clone());
            let default_slug = strings
                .get(&format!("slug.{last}"), &[])
                .unwrap_or_else(|_| last.clone());
            let default_title = if path.is_empty() {
                config.title(lang)
            } else {
                default_title
            };
            let v = match own {
                Some(f) => SectionVersion {
                    lang: lang.clone(),
                    title: required_text(f, &f.fm.title, "title", diags),
                    summary: f
                        .fm
                        .summary
                        .as_ref()
                        .map(|s| s.get_ref().trim().to_string())
                        .unwrap_or_default(),
                    slug: check_slug(f, &f.fm.slug, diags).unwrap_or(default_slug),
                    url: String::new(),
                    html: f.body().to_string(),
                    text: String::new(),
                    written: true,
                    source: Some(f.source.clone()),
                    headings: Vec::new(),
                    body_offset: f.body_offset,
                },
                None => SectionVersion {
                    lang: lang.clone(),
                    title: default_title,
                    summary: String::new(),
                    slug: default_slug,
                    url: String::new(),
                    html: String::new(),
                    text: String::new(),
                    written: kind != Kind::Page || path.is_empty(),
                    source: None,
                    headings: Vec::new(),
                    body_offset: 0,
                },
            };
            versions.insert(lang.clone(), v);
        }
        if let Some(v) = versions
            .values()
            .find(|v| !path.is_empty() && !is_slug(&v.slug))
        {
            diags.push(
                Diagnostic::error(
                    &folder,
                    format!(
                        "the folder name `{}` cannot be used in a web address",
                        v.slug
                    ),
                )
                .help(format!(
                    "rename the folder to `{}`, or give it an `_index.md` with a `slug`",
                    crate::markdown::slugify(&v.slug)
                )),
            );
        }
        sections.push(Section {
            path,
            kind,
            versions,
        });
    }
    sections
}

/// Pages torget adds besides content (`thanks`, `withdraw`, `search`, `open_data`), at
/// `slug.<which>` from the language's UI strings.
pub const SPECIAL_PAGES: &[&str] = &["thanks", "withdraw", "search", "open_data"];

pub fn special_url(config: &Config, i18n: &I18n, lang: &str, which: &str) -> String {
    let slug = i18n
        .strings(lang)
        .get(&format!("slug.{which}"), &[])
        .unwrap_or_else(|_| which.to_string());
    format!("{}{slug}/", lang_root(config, lang))
}

/// URL of a language's root: `/` for the default language, `/<code>/` for the others.
pub fn lang_root(config: &Config, lang: &str) -> String {
    if lang == config.default_language {
        "/".to_string()
    } else {
        format!("/{lang}/")
    }
}

fn assign_urls(
    config: &Config,
    i18n: &I18n,
    sections: &mut [Section],
    items: &mut [Item],
    diags: &mut Diagnostics,
) {
    // Section URLs are built from their ancestors' slugs.
    let slugs: HashMap<(String, String), String> = sections
        .iter()
        .flat_map(|s| {
            s.versions
                .values()
                .map(move |v| ((s.path.clone(), v.lang.clone()), v.slug.clone()))
        })
        .collect();
    let section_url = |path: &str, lang: &str| -> String {
        let mut url = lang_root(config, lang);
        if path.is_empty() {
            return url;
        }
        let mut acc = String::new();
        for part in path.split('/') {
            acc = if acc.is_empty() {
                part.to_string()
            } else {
                format!("{acc}/{part}")
            };
            let slug = slugs
                .get(&(acc.clone(), lang.to_string()))
                .cloned()
                .unwrap_or_else(|| part.to_string());
            url.push_str(&slug);
            url.push('/');
        }
        url
    };
    for s in sections.iter_mut() {
        let path = s.path.clone();
        for v in s.versions.values_mut() {
            v.url = section_url(&path, &v.lang);
        }
    }
    // Every URL with what wants it; everything written at a clashing URL gets told.
    let mut claims: HashMap<String, Vec<(String, Option<Source>)>> = HashMap::new();
    for s in sections.iter() {
        for v in s.versions.values() {
            let label = match &v.source {
                Some(src) => src.path.display().to_string(),
                None => format!(
                    "the {} listing",
                    if s.path.is_empty() { "home" } else { &s.path }
                ),
            };
            claims
                .entry(v.url.clone())
                .or_default()
                .push((label, v.source.clone()));
        }
    }
    for lang in config.language_codes() {
        for which in SPECIAL_PAGES {
            let url = special_url(config, i18n, &lang, which);
            claims
                .entry(url)
                .or_default()
                .push((format!("torget's {which} page"), None));
        }
    }
    for item in items.iter_mut() {
        for v in item.versions.values_mut() {
            v.url = format!("{}{}/", section_url(&item.section, &v.lang), v.slug);
            claims
                .entry(v.url.clone())
                .or_default()
                .push((v.source.path.display().to_string(), Some(v.source.clone())));
        }
    }
    let mut clashes: Vec<_> = claims.iter().filter(|(_, c)| c.len() > 1).collect();
    clashes.sort_by_key(|(url, _)| url.as_str());
    for (url, claimants) in clashes {
        for (label, source) in claimants {
            let Some(source) = source else { continue };
            let others: Vec<&str> = claimants
                .iter()
                .filter(|(l, _)| l != label)
                .map(|(l, _)| l.as_str())
                .collect();
            diags.push(
                source
                    .error(
                        0,
                        format!("the URL {url} is also used by {}", others.join(", ")),
                    )
                    .help("give this page another `slug`"),
            );
        }
    }
}

fn check_references(items: &[Item], drafts: &HashSet<String>, diags: &mut Diagnostics) {
    check_references_to(items, items, drafts, diags);
}

/// Checks the areas and projects that `items` name against those in `all`.
fn check_references_to(
    items: &[Item],
    all: &[Item],
    drafts: &HashSet<String>,
    diags: &mut Diagnostics,
) {
    let areas: Vec<&str> = all
        .iter()
        .filter(|i| i.kind() == Kind::Area)
        .map(|i| i.name.as_str())
        .collect();
    let projects: HashSet<&str> = all
        .iter()
        .filter(|i| i.kind() == Kind::Project)
        .map(|i| i.name.as_str())
        .collect();
    for item in items {
        let v = item.primary();
        let src = &v.source;
        let fm_text = &src.text;
        // Point at the key in the file: find `key` at a line start inside the front matter.
        let key_offset = |key: &str| -> usize {
            let mut pos = 0;
            for line in fm_text[..v.body_offset.min(fm_text.len())].split_inclusive('\n') {
                let t = line.trim_start();
                if t.starts_with(key) && t[key.len()..].trim_start().starts_with('=') {
                    return pos + (line.len() - t.len());
                }
                pos += line.len();
            }
            0
        };
        for area in item.data.areas() {
            if !areas.contains(&area.as_str()) {
                diags.push(
                    src.error(
                        key_offset("areas"),
                        format!("unknown area `{area}` in `areas`"),
                    )
                    .help(format!("known areas: {}", areas.join(", "))),
                );
            }
        }
        let project = match &item.data {
            Data::Event(e) => e.project.as_ref(),
            Data::Call(c) => c.project.as_ref(),
            _ => None,
        };
        if let Some(p) = project
            && !projects.contains(p.as_str())
        {
            let draft = drafts.contains(&format!("{PROJECTS}/{p}.md"))
                || drafts.contains(&format!("{PROJECTS}/{p}/index.md"));
            let help = if draft {
                "that project is a draft; publish it or remove `project`".to_string()
            } else {
                format!(
                    "`project` names a file in content/projects/ without `.md`; known: {}",
                    {
                        let mut p: Vec<_> = projects.iter().copied().collect();
                        p.sort();
                        p.join(", ")
                    }
                )
            };
            diags.push(
                src.error(
                    key_offset("project"),
                    format!("unknown project `{p}` in `project`"),
                )
                .help(help),
            );
        }
    }
}

/// Every content path an `@/` link may name, with the URL of its page in each language.
#[derive(Debug, Clone, Default)]
pub struct LinkTargets {
    langs: Vec<String>,
    /// Content path → language → URL, languages in the site's order.
    paths: HashMap<String, IndexMap<String, String>>,
}

impl LinkTargets {
    pub fn new(items: &[Item], sections: &[Section], langs: &[String]) -> LinkTargets {
        let mut paths = HashMap::new();
        for item in items {
            let urls: IndexMap<String, String> = item
                .versions
                .iter()
                .map(|(l, v)| (l.clone(), v.url.clone()))
                .collect();
            // A folder item may be named by its folder: `@/projects/x.md` for `x/index.md`.
            if let Some(k) = item.key.strip_suffix("/index.md") {
                paths.insert(format!("{k}.md"), urls.clone());
            }
            paths.insert(item.key.clone(), urls);
        }
        for s in sections {
            let urls = s
                .versions
                .iter()
                .filter(|(_, v)| v.written)
                .map(|(l, v)| (l.clone(), v.url.clone()))
                .collect();
            let key = if s.path.is_empty() {
                "_index.md".to_string()
            } else {
                format!("{}/_index.md", s.path)
            };
            paths.insert(key, urls);
        }
        LinkTargets {
            langs: langs.to_vec(),
            paths,
        }
    }

    /// The URL, `#anchor` kept, that `@/<target>` leads to from a page in `lang`: the page in
    /// that language, else the item's primary page. The error says what is wrong.
    pub fn resolve(&self, lang: &str, target: &str) -> Result<String, String> {
        let (path, anchor) = match target.split_once('#') {
            Some((p, a)) => (p, format!("#{a}")),
            None => (target, String::new()),
        };
        let path = path.trim_start_matches('/');
        // A link may name a translation file directly: `@/projects/x.en.md`.
        let (path, lang) = match path.strip_suffix(".md").and_then(|p| p.rsplit_once('.')) {
            Some((base, l)) if self.langs.iter().any(|x| x == l) => (format!("{base}.md"), l),
            _ => (path.to_string(), lang),
        };
        let urls = self
            .paths
            .get(&path)
            .ok_or_else(|| format!("the link `@/{path}` points to no content file"))?;
        // The first version is the primary one: versions are kept in the site's language order.
        match urls.get(lang).or_else(|| urls.values().next()) {
            Some(url) => Ok(format!("{url}{anchor}")),
            None => Err(format!("the link `@/{path}` points to no published page")),
        }
    }
}

/// Renders a version's body, or takes it from `bodies` when neither the file nor any link in it
/// changed.
fn render_body(v: &Version, links: &LinkTargets, bodies: &HashMap<PathBuf, Body>) -> Body {
    if let Some(body) = bodies.get(&v.source.path)
        && body.renders(v)
        && body
            .links
            .iter()
            .all(|(target, url)| links.resolve(&v.lang, target) == *url)
    {
        return body.clone();
    }
    let seen = std::cell::RefCell::new(Vec::new());
    let rendered = markdown::render(&v.text, &|t| {
        let url = links.resolve(&v.lang, t);
        seen.borrow_mut().push((t.to_string(), url.clone()));
        url
    });
    let problems = rendered
        .problems
        .into_iter()
        .map(|p| {
            v.source
                .error(v.body_offset + p.offset, p.message)
                .help(p.help)
        })
        .collect();
    Body {
        source: v.source.text.clone(),
        lang: v.lang.clone(),
        html: rendered.html,
        text: rendered.text,
        problems,
        headings: rendered.headings,
        links: seen.into_inner(),
    }
}

fn render_markdown(
    items: &mut [Item],
    sections: &mut [Section],
    langs: &[String],
    cache: &mut Cache,
    diags: &mut Diagnostics,
) -> LinkTargets {
    let links = LinkTargets::new(items, sections, langs);
    let bodies = &cache.bodies;
    let results: Vec<Body> = items
        .par_iter_mut()
        .flat_map_iter(|item| item.versions.values_mut())
        .map(|v| {
            let body = render_body(v, &links, bodies);
            v.html = body.html.clone();
            v.text = body.text.clone();
            v.headings = body.headings.clone();
            body
        })
        .collect();
    let versions = items.iter().flat_map(|item| item.versions.values());
    let mut kept = HashMap::with_capacity(results.len());
    for (v, body) in versions.zip(results) {
        diags.extend(body.problems.iter().cloned());
        kept.insert(v.source.path.clone(), body);
    }
    cache.bodies = kept;
    for s in sections.iter_mut() {
        for v in s.versions.values_mut() {
            if v.html.is_empty() {
                continue;
            }
            let rendered = markdown::render(&v.html, &|t| links.resolve(&v.lang, t));
            if let Some(source) = &v.source {
                for p in rendered.problems {
                    diags.push(
                        source
                            .error(v.body_offset + p.offset, p.message)
                            .help(p.help),
                    );
                }
            }
            v.html = rendered.html;
            v.text = rendered.text;
            v.headings = rendered.headings;
        }
    }
    links
}

/// A URL segment: lowercase ASCII letters, digits and `-`.
fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
