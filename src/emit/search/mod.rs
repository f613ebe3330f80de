//! The search index: pagefind's browser runtime and one index per language under `/pagefind/`,
//! written at build time so that search works on any static host.
//!
//! Records come from the library, not from the rendered HTML: the index holds only a page's main
//! content (never menus, footers or the language switcher) by construction, and pagefind's
//! quadratic duplicate check for HTML files is avoided. Each record also carries hidden `terms`
//! (see [`words`]): æøå-free spellings and the parts of Norwegian compounds. They live in a
//! metadata field, which pagefind searches but never shows in an excerpt.

mod pages;
pub mod words;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use rayon::prelude::*;

use super::{Inputs, OutFile};
use crate::cache;
use crate::content::{CallState, Data, Item, Kind};
use crate::render::views::Ctx;
use words::Vocabulary;

/// The folder of the bundle under the output folder.
pub use crate::render::pages::SEARCH_BUNDLE_DIR as BUNDLE_DIR;

/// Pagefind's own search widgets: the theme has its own search page, so they are not shipped.
/// Nor is the web worker: the search page runs pagefind without it (`noWorker`), since the
/// worker repeats the whole runtime, 13 KB more before the first results.
const UNUSED: &[&str] = &[
    "pagefind-worker.js",
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
];

/// Word locations per index chunk (pagefind's default is 20,000). A first search fetches the
/// chunks its words fall in, and the metadata lists every chunk: on the 10,000-item corpus a
/// rare word's chunk went from 21.0 to 5.7 KiB (gzipped) and the metadata from 17.5 to 22.8.
const INDEX_CHUNK_SIZE: usize = 5_000;

/// One searchable page in one language.
#[derive(Debug, Clone)]
pub struct Record {
    pub url: String,
    pub lang: String,
    /// What the excerpt is cut from: summary, body text and the page's other main content.
    pub content: String,
    /// Shown with a result: `title`, `type`, `areas`, `status`, `when`; and the hidden `terms`.
    pub meta: BTreeMap<String, String>,
    /// `type` (area, project, event, call, page), `area` (one value per area, by name) and, for
    /// calls, `status` (upcoming, open, closed at build time).
    pub filters: BTreeMap<String, Vec<String>>,
}

/// What building the index did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Records per language, in the site's language order.
    pub records: Vec<(String, usize)>,
    pub files: usize,
    pub bytes: usize,
    /// The languages whose files came from the build cache, unchanged since the last build.
    pub reused: Vec<String>,
}

/// The search bundle's files and what went into them.
pub fn all(inp: &Inputs<'_>, cache: Option<&Path>) -> Result<(Vec<OutFile>, Summary)> {
    index(
        records(inp),
        inp.config.language_codes(),
        Priority::Normal,
        cache,
    )
}

/// The search bundle's files for `records` (made by [`records`]), counted per language in the
/// order of `langs`. Needs nothing of the library, so it can run on a thread of its own.
///
/// Pagefind runs in a rayon pool of its own, never in the caller's: a build started inside a
/// tokio runtime (the dev server, tests) still works, since pagefind's own runtime starts on a
/// pool thread, and with `Priority::Background` the pool's threads yield the cores to
/// everything else the process does (the preview's next rebuild).
///
/// With a `cache` folder (see [`crate::cache`]), a language whose records are the same as in
/// the last build gets the files that build made, and of a changed language's files those that
/// came out the same are not compressed again.
pub fn index(
    records: Vec<Record>,
    langs: Vec<String>,
    priority: Priority,
    cache: Option<&Path>,
) -> Result<(Vec<OutFile>, Summary)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("torget-search-{i}"))
        .start_handler(move |_| {
            if priority == Priority::Background {
                lower_this_threads_priority();
            }
        })
        .build()
        .context("cannot start threads for the search index")?;
    crate::memory::note("search: indexing starts");
    pool.install(|| {
        let mut summary = Summary::default();
        for lang in langs {
            let n = records.iter().filter(|r| r.lang == lang).count();
            summary.records.push((lang, n));
        }
        let (files, reused) = bundle(records, cache)?;
        summary.reused = reused;
        summary.files = files.len();
        summary.bytes = files.iter().map(|(_, b)| b.len()).sum();
        Ok((files, summary))
    })
}

/// Whether the index may use the cores as much as anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    /// `torget build`: the index is what the build waits for.
    Normal,
    /// `torget serve`: the index follows edits; rebuilding pages comes first.
    Background,
}

/// The lowest scheduling priority (nice 19) for the calling thread only, where the system
/// allows it; on Linux a thread's priority is its own.
fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    {
        let tid = rustix::thread::gettid();
        // Not being allowed to lower it only makes the index compete a little harder.
        let _ = rustix::process::setpriority_process(Some(tid), 19);
    }
}

/// One record per item version and per written section version.
pub fn records(inp: &Inputs<'_>) -> Vec<Record> {
    let mut out: Vec<Record> = inp
        .lib
        .items
        .par_iter()
        .flat_map_iter(|item| {
            item.versions
                .keys()
                .map(|lang| item_record(inp, item, lang))
                .collect::<Vec<_>>()
        })
        .collect();
    for s in &inp.lib.sections {
        for v in s.versions.values().filter(|v| v.written) {
            let mut meta = BTreeMap::new();
            meta.insert("title".to_string(), v.title.clone());
            meta.insert(
                "type".to_string(),
                inp.i18n
                    .strings(&v.lang)
                    .get("kind.page", &[])
                    .unwrap_or_default(),
            );
            out.push(Record {
                url: v.url.clone(),
                lang: v.lang.clone(),
                content: join_text(&[&v.summary, &v.text]),
                meta,
                filters: BTreeMap::from([("type".to_string(), vec!["page".to_string()])]),
            });
        }
    }
    out
}

fn item_record(inp: &Inputs<'_>, item: &Item, lang: &str) -> Record {
    let ctx = Ctx {
        lib: inp.lib,
        strings: inp.i18n.strings(lang),
        lang,
        now: inp.now,
    };
    let v = &item.versions[lang];
    let card = ctx.card(item);
    let mut meta = BTreeMap::new();
    meta.insert("title".to_string(), v.title.clone());
    meta.insert("type".to_string(), card.kind_label.clone());
    if !card.areas.is_empty() {
        let titles: Vec<&str> = card.areas.iter().map(|a| a.title.as_str()).collect();
        meta.insert("areas".to_string(), titles.join(", "));
    }
    if !card.status_label.is_empty() {
        meta.insert("status".to_string(), card.status_label.clone());
    }
    if !card.when.is_empty() {
        meta.insert("when".to_string(), card.when.clone());
    }

    let mut filters = BTreeMap::new();
    filters.insert("type".to_string(), vec![item.kind().as_str().to_string()]);
    let areas: Vec<String> = match item.kind() {
        Kind::Area => vec![item.name.clone()],
        _ => item.data.areas().to_vec(),
    };
    if !areas.is_empty() {
        filters.insert("area".to_string(), areas);
    }
    if let Some(c) = item.call() {
        let (state, _) = ctx.call_state(c.state(inp.now));
        filters.insert("status".to_string(), vec![state]);
    }

    // What the page shows as its main content beside the body.
    let mut more: Vec<String> = Vec::new();
    match &item.data {
        Data::Project(_) => {
            more.extend(v.partners.iter().cloned());
            more.extend(v.goals.iter().map(|g| g.title.clone()));
        }
        Data::Event(_) => {
            if let Some(l) = &v.location {
                more.push(l.name.clone());
                more.push(l.address.clone());
            }
        }
        Data::Call(c) => {
            for q in &v.questions {
                more.push(q.label.clone());
                more.extend(q.help.iter().cloned());
            }
            // "What we did", shown once the call is closed.
            if c.outcome.is_some() && c.state(inp.now) == CallState::Closed {
                more.extend(v.outcome.as_ref().map(|o| o.text.clone()));
            }
        }
        _ => {}
    }
    let mut parts: Vec<&str> = vec![&v.summary, &v.text];
    parts.extend(more.iter().map(String::as_str));
    Record {
        url: v.url.clone(),
        lang: lang.to_string(),
        content: join_text(&parts),
        meta,
        filters,
    }
}

fn join_text(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Adds the hidden `terms` to one language's records, so that compounds are split with the
/// vocabulary of that language's own text.
fn add_terms(lang: &str, records: &mut [Record]) {
    let texts: Vec<String> = records
        .iter()
        .map(|r| format!("{}\n{}", r.meta["title"], r.content))
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let vocab = words::splits_compounds(lang).then(Vocabulary::norwegian);
    let extra = words::extra_terms(&refs, vocab);
    for (r, terms) in records.iter_mut().zip(extra) {
        if !terms.is_empty() {
            r.meta.insert("terms".to_string(), terms.join(" "));
        }
    }
}

/// What one language's index is made from: its records as they come from the library (the
/// hidden terms follow from them), in order.
fn records_key(lang: &str, records: &[Record]) -> cache::Key {
    let mut h = cache::KeyHasher::default();
    h.part(lang.as_bytes());
    for r in records {
        h.part(r.url.as_bytes());
        h.part(r.lang.as_bytes());
        h.part(r.content.as_bytes());
        h.part(&r.meta.len().to_le_bytes());
        for (k, v) in &r.meta {
            h.part(k.as_bytes());
            h.part(v.as_bytes());
        }
        h.part(&r.filters.len().to_le_bytes());
        for (k, vs) in &r.filters {
            h.part(k.as_bytes());
            h.part(&vs.len().to_le_bytes());
            for v in vs {
                h.part(v.as_bytes());
            }
        }
    }
    h.finish()
}

/// A language's files as kept on the shelf: each name and its bytes, length first.
fn encode_files(files: &[pagefind::api::SyntheticFile]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in files {
        let name = f.filename.to_string_lossy();
        for part in [name.as_bytes(), f.contents.as_slice()] {
            out.extend_from_slice(&(part.len() as u64).to_le_bytes());
            out.extend_from_slice(part);
        }
    }
    out
}

fn decode_files(mut bytes: &[u8]) -> Option<Vec<pagefind::api::SyntheticFile>> {
    let take = |bytes: &mut &[u8]| -> Option<Vec<u8>> {
        let len = u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?) as usize;
        let part = bytes.get(8..8usize.checked_add(len)?)?.to_vec();
        *bytes = &bytes[8 + len..];
        Some(part)
    };
    let mut files = Vec::new();
    while !bytes.is_empty() {
        let name = String::from_utf8(take(&mut bytes)?).ok()?;
        let contents = take(&mut bytes)?;
        files.push(pagefind::api::SyntheticFile {
            filename: name.into(),
            contents,
        });
    }
    Some(files)
}

/// Pagefind's compressed files kept on a shelf under a SHA-256 of their bytes.
struct Compressed(cache::Shelf);

impl pagefind::api::CompressionMemo for Compressed {
    fn compressed(&self, bytes: &[u8], gzip: &dyn Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
        let key = cache::key(&[bytes]);
        if let Some(done) = self.0.get(&key) {
            return done;
        }
        let done = gzip(bytes);
        self.0.put(key, done.clone());
        done
    }
}

/// One language's files: from the cache when its records are the same as last time (then
/// also `true`), else made by pagefind (and kept).
fn language_files(
    lang: &str,
    mut records: Vec<Record>,
    cache: Option<&Path>,
) -> Result<(Vec<pagefind::api::SyntheticFile>, bool)> {
    let Some(dir) = cache else {
        add_terms(lang, &mut records);
        return Ok((index_language(records, None)?, false));
    };
    let shelf = cache::Shelf::open(dir, &format!("search-{lang}"));
    let compressed = Compressed(cache::Shelf::open(dir, &format!("search-gzip-{lang}")));
    let key = records_key(lang, &records);
    if let Some(files) = shelf.get(&key).as_deref().and_then(decode_files) {
        // Kept for when this language changes next.
        compressed.0.keep_all();
        compressed.0.save()?;
        shelf.save()?;
        return Ok((files, true));
    }
    add_terms(lang, &mut records);
    let files = index_language(records, Some(&compressed))?;
    shelf.put(key, encode_files(&files));
    shelf.save()?;
    compressed.0.save()?;
    Ok((files, false))
}

/// Runs pagefind over the records and returns its files under [`BUNDLE_DIR`].
///
/// Each language is indexed by its own pagefind instance, one language after the other, so
/// that only one language's word data is in memory at a time; the vendored pagefind reads,
/// merges and compresses each language's records on all cores. The instances'
/// `pagefind-entry.json` files are merged into one; every other file name carries its language.
/// Also says which languages' files came from the cache.
fn bundle(records: Vec<Record>, cache: Option<&Path>) -> Result<(Vec<OutFile>, Vec<String>)> {
    let mut by_lang: Vec<(String, Vec<Record>)> = Vec::new();
    for r in records {
        match by_lang.iter_mut().find(|(l, _)| *l == r.lang) {
            Some((_, rs)) => rs.push(r),
            None => by_lang.push((r.lang.clone(), vec![r])),
        }
    }
    if by_lang.is_empty() {
        // No pages: still the runtime, so the search page says "no results", not "broken".
        by_lang.push((String::new(), Vec::new()));
    }
    let mut reused = Vec::new();
    let indexed: Vec<(String, Result<Vec<pagefind::api::SyntheticFile>>)> = by_lang
        .into_iter()
        .map(|(lang, records)| {
            let files = language_files(&lang, records, cache).map(|(files, cached)| {
                crate::memory::note(&format!("search: language `{lang}` done"));
                if cached {
                    reused.push(lang.clone());
                }
                files
            });
            (lang, files)
        })
        .collect();
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut entry: Option<serde_json::Value> = None;
    for (lang, result) in indexed {
        let mut indexed = result
            .with_context(|| format!("cannot build the search index for language `{lang}`"))?;
        pages::split(&mut indexed)
            .with_context(|| format!("cannot write the search index for language `{lang}`"))?;
        for f in indexed {
            let name = f.filename.to_string_lossy().replace('\\', "/");
            if name == "pagefind-entry.json" {
                let this: serde_json::Value = serde_json::from_slice(&f.contents)
                    .context("pagefind wrote an unreadable pagefind-entry.json")?;
                match &mut entry {
                    None => entry = Some(this),
                    Some(e) => {
                        if let (Some(all), Some(more)) = (
                            e.get_mut("languages").and_then(|l| l.as_object_mut()),
                            this.get("languages").and_then(|l| l.as_object()),
                        ) {
                            all.extend(more.clone());
                        }
                    }
                }
            } else if !UNUSED.contains(&name.as_str()) {
                files.insert(name, f.contents);
            }
        }
    }
    if let Some(e) = entry {
        files.insert("pagefind-entry.json".into(), serde_json::to_vec(&e)?);
    }
    let files = files
        .into_iter()
        .map(|(name, bytes)| (format!("{BUNDLE_DIR}/{name}"), bytes))
        .collect();
    Ok((files, reused))
}

/// One language's index. Pagefind is async: it gets a runtime of its own on the calling thread
/// (a worker of the pool [`index`] made). All records go in one call, which reads their words
/// in parallel.
fn index_language(
    records: Vec<Record>,
    memo: Option<&Compressed>,
) -> Result<Vec<pagefind::api::SyntheticFile>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .context("cannot start the search indexer")?;
    rt.block_on(async move {
        let config = pagefind::options::PagefindServiceConfig::builder()
            .keep_index_url(true)
            .index_chunk_size(INDEX_CHUNK_SIZE)
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(config))?;
        let records = records
            .into_iter()
            .map(|r| pagefind::api::CustomRecord {
                url: r.url,
                content: r.content,
                language: r.lang,
                meta: r.meta,
                filters: r.filters,
                sort: BTreeMap::new(),
            })
            .collect();
        index.add_custom_records(records).await?;
        crate::memory::note("search: records' words read");
        index.build_indexes().await?;
        crate::memory::note("search: index built");
        match memo {
            Some(memo) => index.get_files_with(memo).await,
            None => index.get_files().await,
        }
    })
}
