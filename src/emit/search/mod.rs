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
use std::io::{Read as _, Write as _};
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
    /// The languages whose index was updated from the one the last build kept, each with the
    /// number of its pages read again.
    pub updated: Vec<(String, usize)>,
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
/// the last build gets the files that build made; a changed language's index is updated from
/// the one the last build kept when the same pages come in the same order (only the changed
/// records are read), else built whole; and of its files, those that came out the same are not
/// compressed again.
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
        let (files, made) = bundle(records, cache)?;
        for (lang, made) in made {
            match made {
                Made::Reused => summary.reused.push(lang),
                Made::Updated(pages) => summary.updated.push((lang, pages)),
                Made::Whole => {}
            }
        }
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
    let texts: Vec<[&str; 2]> = records
        .iter()
        .map(|r| [r.meta["title"].as_str(), r.content.as_str()])
        .collect();
    let vocab = words::splits_compounds(lang).then(Vocabulary::norwegian);
    let extra = words::extra_terms(&texts, vocab);
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
        hash_record(&mut h, r);
    }
    h.finish()
}

/// What one record's part of the index is made from: every field of it.
fn record_key(r: &Record) -> cache::Key {
    let mut h = cache::KeyHasher::default();
    hash_record(&mut h, r);
    h.finish()
}

fn hash_record(h: &mut cache::KeyHasher, r: &Record) {
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

/// Byte strings as one, each length first; read back by [`split_parts`].
fn join_parts<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    for part in parts {
        out.extend_from_slice(&(part.len() as u64).to_le_bytes());
        out.extend_from_slice(part);
    }
    out
}

/// The parts [`join_parts`] joined, or `None` if `bytes` are not such.
fn split_parts(mut bytes: &[u8]) -> Option<Vec<&[u8]>> {
    let mut parts = Vec::new();
    while !bytes.is_empty() {
        let len = u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?) as usize;
        parts.push(bytes.get(8..8usize.checked_add(len)?)?);
        bytes = &bytes[8 + len..];
    }
    Some(parts)
}

/// A language's files as the last build made them (stream `search-<lang>`, see
/// [`cache::Stream`]): the [`records_key`] they were made from, how many there are, then each
/// name and its bytes, each length first. Written and read a file at a time, never copied
/// whole.
struct Files;

impl Files {
    fn stream(lang: &str) -> String {
        format!("search-{lang}")
    }

    fn write(
        dir: &Path,
        lang: &str,
        key: &cache::Key,
        files: &[pagefind::api::SyntheticFile],
    ) -> Result<()> {
        let mut out = cache::Stream::create(dir, &Files::stream(lang))?;
        out.write_all(key)?;
        out.write_all(&(files.len() as u64).to_le_bytes())?;
        for f in files {
            write_part(&mut out, f.filename.to_string_lossy().as_bytes())?;
            write_part(&mut out, &f.contents)?;
        }
        out.commit()
    }

    /// The files the last build made from records of this `key`, if it left them whole.
    fn read(dir: &Path, lang: &str, key: &cache::Key) -> Option<Vec<pagefind::api::SyntheticFile>> {
        let mut input = cache::Stream::open(dir, &Files::stream(lang))?;
        let mut made_from = [0; 32];
        input.read_exact(&mut made_from).ok()?;
        if made_from != *key {
            return None;
        }
        let mut n = [0; 8];
        input.read_exact(&mut n).ok()?;
        let mut files = Vec::new();
        for _ in 0..u64::from_le_bytes(n) {
            let name = String::from_utf8(read_part(&mut input)?).ok()?;
            files.push(pagefind::api::SyntheticFile {
                filename: name.into(),
                contents: read_part(&mut input)?,
            });
        }
        // Only now is it known to be whole (see `cache::Stream`).
        matches!(input.read(&mut [0]), Ok(0)).then_some(files)
    }
}

/// Writes a byte string length first, as [`join_parts`] joins them; read by [`read_part`].
fn write_part(out: &mut impl std::io::Write, part: &[u8]) -> std::io::Result<()> {
    out.write_all(&(part.len() as u64).to_le_bytes())?;
    out.write_all(part)
}

/// A byte string written length first, as [`write_part`] writes it.
fn read_part(input: &mut impl std::io::Read) -> Option<Vec<u8>> {
    let mut len = [0; 8];
    input.read_exact(&mut len).ok()?;
    let len = u64::from_le_bytes(len);
    // Up to a megabyte at once, else read as it comes: a damaged length must not ask for
    // gigabytes.
    let mut part = Vec::with_capacity(len.min(1 << 20) as usize);
    input.take(len).read_to_end(&mut part).ok()?;
    (part.len() as u64 == len).then_some(part)
}

/// The index the last build kept of one language (stream `search-kept-<lang>`, see
/// [`cache::Stream`]): each record's URL and [`record_key`] (hidden terms included), in order,
/// then pagefind's merged index as pagefind wrote it (tens of megabytes), read by pagefind only
/// when the index is updated, and then a frame at a time.
struct Kept {
    /// The URLs, one a line.
    urls: String,
    keys: Vec<cache::Key>,
}

impl Kept {
    fn stream(lang: &str) -> String {
        format!("search-kept-{lang}")
    }

    /// A new stream of `lang`'s kept index, its records written; pagefind writes the rest.
    fn create(dir: &Path, lang: &str, urls: &str, keys: &[cache::Key]) -> Result<cache::Stream> {
        let mut out = cache::Stream::create(dir, &Kept::stream(lang))?;
        write_part(
            &mut out,
            &join_parts([urls.as_bytes(), keys.as_flattened()]),
        )?;
        Ok(out)
    }

    /// The records of a kept index, read from its stream, which is left where pagefind's
    /// index starts; `None` if they are damaged.
    fn read(input: &mut impl std::io::Read) -> Option<Kept> {
        let records = read_part(input)?;
        let [urls, keys] = split_parts(&records)?[..] else {
            return None;
        };
        let kept = Kept {
            urls: std::str::from_utf8(urls).ok()?.to_string(),
            keys: keys
                .chunks(32)
                .map(|k| k.try_into().ok())
                .collect::<Option<_>>()?,
        };
        (kept.urls().count() == kept.keys.len()).then_some(kept)
    }

    fn urls(&self) -> impl Iterator<Item = &str> {
        self.urls.split('\n').filter(|_| !self.urls.is_empty())
    }

    /// Which of `records` (with their `keys`) differ from the kept ones, when they are the
    /// same pages in the same order (else pages would be numbered otherwise, and the index is
    /// built whole).
    fn changed(&self, records: &[Record], keys: &[cache::Key]) -> Option<Vec<usize>> {
        if records.len() != self.keys.len()
            || records.iter().zip(self.urls()).any(|(r, url)| r.url != url)
        {
            return None;
        }
        Some(
            keys.iter()
                .zip(&self.keys)
                .enumerate()
                .filter(|(_, (new, old))| new != old)
                .map(|(i, _)| i)
                .collect(),
        )
    }
}

/// A language, and how its index was made.
type LanguageMade = (String, Made);

/// How a language's index was made.
enum Made {
    /// Its files are the last build's: its records did not change.
    Reused,
    /// Updated from the index the last build kept, reading this many pages again.
    Updated(usize),
    /// Built from every record.
    Whole,
}

/// Pagefind's compressed files kept on a shelf under a SHA-256 of their bytes.
struct Compressed(cache::Shelf);

impl pagefind::api::CompressionMemo for Compressed {
    fn compressed(&self, bytes: &[u8], gzip: &dyn Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
        let key = cache::key(&[bytes]);
        if let Some(done) = self.0.get(&key) {
            return done.to_vec();
        }
        let done = gzip(bytes);
        self.0.put(key, done.clone());
        done
    }
}

/// Updating a kept index costs about as much per changed page as building costs per page,
/// plus a pass over the whole index: beyond this share of changed pages, building whole is
/// as quick.
const UPDATE_AT_MOST: f64 = 0.5;

/// One language's files: from the cache when its records are the same as last time; else,
/// when the same pages are there in the same order, the index the last build kept with the
/// changed records' pages replaced; else made by pagefind from every record. What pagefind
/// makes is kept for the next build.
fn language_files(
    lang: &str,
    mut records: Vec<Record>,
    cache: Option<&Path>,
) -> Result<(Vec<pagefind::api::SyntheticFile>, Made)> {
    let Some(dir) = cache else {
        add_terms(lang, &mut records);
        return Ok((index_language(records, None)?.0, Made::Whole));
    };
    let key = records_key(lang, &records);
    if let Some(files) = Files::read(dir, lang, &key) {
        // The language's other files in the cache are left as they are, for when it changes
        // next.
        return Ok((files, Made::Reused));
    }
    let compressed = Compressed(cache::Shelf::open(dir, &format!("search-gzip-{lang}")));
    // The terms of every record, since they follow from the language's whole text: a changed
    // page can change another's.
    add_terms(lang, &mut records);
    let keys: Vec<cache::Key> = records.par_iter().map(record_key).collect();
    let urls = records
        .iter()
        .map(|r| r.url.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let mut updated = None;
    if let Some(mut input) = cache::Stream::open(dir, &Kept::stream(lang))
        && let Some(last) = Kept::read(&mut input)
        && let Some(changed) = last.changed(&records, &keys)
        && changed.len() as f64 <= UPDATE_AT_MOST * records.len() as f64
    {
        drop(last);
        let replaced: Vec<Record> = changed.iter().map(|&i| records[i].clone()).collect();
        let mut keep = Kept::create(dir, lang, &urls, &keys)?;
        updated = update_language(&mut input, replaced, &compressed, &mut keep)?
            .map(|files| (files, Some(keep), Made::Updated(changed.len())));
    }
    let (files, keep, made) = match updated {
        Some(updated) => updated,
        None => {
            let mut keep = Kept::create(dir, lang, &urls, &keys)?;
            let (files, kept) = index_language(records, Some((&compressed, &mut keep)))?;
            (files, kept.then_some(keep), Made::Whole)
        }
    };
    if let Some(keep) = keep {
        // Replacing the one the last build left.
        keep.commit()?;
    }
    crate::memory::note(&format!("search: `{lang}`'s index kept"));
    Files::write(dir, lang, &key, &files)?;
    compressed.0.save()?;
    Ok((files, made))
}

/// Runs pagefind over the records and returns its files under [`BUNDLE_DIR`].
///
/// Each language is indexed by its own pagefind instance, one language after the other, so
/// that only one language's word data is in memory at a time; the vendored pagefind reads,
/// merges and compresses each language's records on all cores. The instances'
/// `pagefind-entry.json` files are merged into one; every other file name carries its language.
/// Also says how each language's index was made.
fn bundle(records: Vec<Record>, cache: Option<&Path>) -> Result<(Vec<OutFile>, Vec<LanguageMade>)> {
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
    let mut made = Vec::new();
    let indexed: Vec<(String, Result<Vec<pagefind::api::SyntheticFile>>)> = by_lang
        .into_iter()
        .map(|(lang, records)| {
            let files = language_files(&lang, records, cache).map(|(files, how)| {
                crate::memory::note(&format!("search: language `{lang}` done"));
                made.push((lang.clone(), how));
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
    Ok((files, made))
}

/// One language's index; with a `memo`, its files compressed through it and pagefind's merged
/// index written into the stream given with it, for [`update_language`] (also says whether it
/// was: not when pagefind cannot keep it). Pagefind is async: it gets a runtime of its own on
/// the calling thread (a worker of the pool [`index`] made). All records go in one call, which
/// reads their words in parallel.
fn index_language(
    records: Vec<Record>,
    mut cache: Option<(&Compressed, &mut cache::Stream)>,
) -> Result<(Vec<pagefind::api::SyntheticFile>, bool)> {
    run_pagefind(|mut index| async move {
        index
            .add_custom_records(records.into_iter().map(custom_record).collect())
            .await?;
        crate::memory::note("search: records added");
        let kept = match &mut cache {
            Some((_, keep)) => index.build_indexes_keeping(&mut **keep).await?,
            None => {
                index.build_indexes().await?;
                false
            }
        };
        crate::memory::note("search: index built");
        let files = match cache {
            Some((memo, _)) => index.get_files_with(memo).await?,
            None => index.get_files().await?,
        };
        Ok((files, kept))
    })
}

/// One language's index from the one the last build kept (read from `kept`), with `records`
/// replacing the records of the same URLs; pagefind reads only their words, and keeps the
/// index again in `keep`. `None` when pagefind cannot update it so (see
/// `PagefindIndex::update_custom_records`; also when `kept` is damaged); the index is then
/// built whole.
fn update_language(
    kept: &mut dyn std::io::Read,
    records: Vec<Record>,
    memo: &Compressed,
    keep: &mut cache::Stream,
) -> Result<Option<Vec<pagefind::api::SyntheticFile>>> {
    run_pagefind(|mut index| async move {
        let records = records.into_iter().map(custom_record).collect();
        if !index.update_custom_records(kept, records, keep).await? {
            return Ok(None);
        }
        crate::memory::note("search: index updated");
        Ok(Some(index.get_files_with(memo).await?))
    })
}

/// Runs `job` on a new pagefind instance, in a runtime of its own on the calling thread.
fn run_pagefind<T, F: std::future::Future<Output = Result<T>>>(
    job: impl FnOnce(pagefind::api::PagefindIndex) -> F,
) -> Result<T> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .context("cannot start the search indexer")?;
    let config = pagefind::options::PagefindServiceConfig::builder()
        .keep_index_url(true)
        .index_chunk_size(INDEX_CHUNK_SIZE)
        .build();
    let index = pagefind::api::PagefindIndex::new(Some(config))?;
    rt.block_on(job(index))
}

fn custom_record(r: Record) -> pagefind::api::CustomRecord {
    pagefind::api::CustomRecord {
        url: r.url,
        content: r.content,
        language: r.lang,
        meta: r.meta,
        filters: r.filters,
        sort: BTreeMap::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(url: &str, title: &str, content: &str, area: &str) -> Record {
        Record {
            url: url.to_string(),
            lang: "nb".to_string(),
            content: content.to_string(),
            meta: BTreeMap::from([
                ("title".to_string(), title.to_string()),
                ("type".to_string(), "Prosjekt".to_string()),
            ]),
            filters: BTreeMap::from([
                ("type".to_string(), vec!["project".to_string()]),
                ("area".to_string(), vec![area.to_string()]),
            ]),
        }
    }

    fn site() -> Vec<Record> {
        vec![
            record(
                "/a/",
                "Kafé på torget",
                "En café ved torget. Kjøkkenhagen vokser.",
                "by",
            ),
            record(
                "/b/",
                "Sykkelveier",
                "Sykkelveier og byrom, en cafè i parken.",
                "by",
            ),
            record(
                "/c/",
                "Skolehage",
                "Skolehagen har en café og et kjøkken.",
                "skole",
            ),
            record("/d/", "Helse", "Velferd og helse i kommunen.", "helse"),
        ]
    }

    /// The files as a build without a cache makes them: the reference.
    fn whole(records: &[Record]) -> Vec<(String, Vec<u8>)> {
        named(language_files("nb", records.to_vec(), None).unwrap().0)
    }

    fn named(files: Vec<pagefind::api::SyntheticFile>) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = files
            .into_iter()
            .map(|f| (f.filename.to_string_lossy().into_owned(), f.contents))
            .collect();
        files.sort();
        files
    }

    /// Builds `before` with a cache, then `after` with it; returns how `after` was made,
    /// having checked its files are those a build without a cache makes.
    fn rebuilt(before: &[Record], after: &[Record]) -> Made {
        let dir = tempfile::tempdir().unwrap();
        let (_, made) = language_files("nb", before.to_vec(), Some(dir.path())).unwrap();
        assert!(matches!(made, Made::Whole));
        let (files, made) = language_files("nb", after.to_vec(), Some(dir.path())).unwrap();
        assert!(
            named(files) == whole(after),
            "files differ from a whole build's"
        );
        made
    }

    #[test]
    fn an_updated_index_is_the_index_built_whole() {
        let before = site();

        let mut body = site();
        body[1].content = "Sykkelveier, byrom og sykkelparkering ved torget.".into();
        assert!(matches!(rebuilt(&before, &body), Made::Updated(1)));

        let mut title = site();
        title[3]
            .meta
            .insert("title".into(), "Helse og omsorg".into());
        title[0]
            .meta
            .insert("title".into(), "Kafè på torget".into());
        assert!(matches!(rebuilt(&before, &title), Made::Updated(2)));

        let mut area = site();
        area[0].filters.insert("area".into(), vec!["helse".into()]);
        area[2]
            .filters
            .insert("area".into(), vec!["by".into(), "skole".into()]);
        assert!(matches!(rebuilt(&before, &area), Made::Updated(2)));

        // The first page with `café` loses it: the variants' order follows the first page
        // each is on, which is now another.
        let mut variants = site();
        variants[0].content = "Kjøkkenhagen vokser.".into();
        assert!(matches!(rebuilt(&before, &variants), Made::Updated(1)));
        let mut variants_back = variants.clone();
        variants_back[0].content = "En cafè og en café.".into();
        assert!(matches!(
            rebuilt(&variants, &variants_back),
            Made::Updated(1)
        ));
    }

    /// A kept index is read as it is used, so damage may show only part of the way through:
    /// it must still give a whole build's files, never a wrong index.
    #[test]
    fn a_damaged_or_cut_short_kept_index_is_built_whole() {
        let before = site();
        let mut after = site();
        after[1].content = "Sykkelveier, byrom og sykkelparkering ved torget.".into();
        let dir = tempfile::tempdir().unwrap();
        language_files("nb", before.clone(), Some(dir.path())).unwrap();
        let kept = dir.path().join("search-kept-nb.bin");
        let sound = std::fs::read(&kept).unwrap();
        let rebuilt = |bytes: &[u8]| {
            std::fs::write(&kept, bytes).unwrap();
            // Not the files the last build made for `after`: the kept index is what is tested.
            let _ = std::fs::remove_file(dir.path().join("search-nb.bin"));
            let (files, made) = language_files("nb", after.clone(), Some(dir.path())).unwrap();
            assert!(
                named(files) == whole(&after),
                "files differ from a whole build's"
            );
            made
        };
        let flipped = |at: usize| {
            let mut bytes = sound.clone();
            bytes[at] ^= 0x20;
            bytes
        };
        // The records part: after the stream's header (60 bytes) and its length (8).
        let records = 68 + u64::from_le_bytes(sound[60..68].try_into().unwrap()) as usize;
        for (damage, bytes) in [
            ("cut short in the records", sound[..records - 3].to_vec()),
            (
                "cut short where the index starts",
                sound[..records].to_vec(),
            ),
            (
                "cut short in the index",
                sound[..(records + sound.len()) / 2].to_vec(),
            ),
            ("cut short by one byte", sound[..sound.len() - 1].to_vec()),
            ("one byte more", [&sound[..], b"\0"].concat()),
            ("a URL changed", flipped(68 + 8 + 1)),
            (
                "a byte of the index changed",
                flipped((records + sound.len()) / 2),
            ),
            ("its last byte changed", flipped(sound.len() - 1)),
        ] {
            assert!(
                matches!(rebuilt(&bytes), Made::Whole),
                "a kept index {damage} was used"
            );
        }
        // The same kept index, sound, is updated: the damage above is what was refused.
        assert!(matches!(rebuilt(&sound), Made::Updated(1)));
    }

    /// The files of an unchanged language are taken as they are: damaged ones must not be.
    #[test]
    fn damaged_files_of_an_unchanged_language_are_made_again() {
        let dir = tempfile::tempdir().unwrap();
        language_files("nb", site(), Some(dir.path())).unwrap();
        let (_, made) = language_files("nb", site(), Some(dir.path())).unwrap();
        assert!(matches!(made, Made::Reused));
        let path = dir.path().join("search-nb.bin");
        let sound = std::fs::read(&path).unwrap();
        let mut changed = sound.clone();
        let middle = sound.len() / 2;
        changed[middle] ^= 0x20;
        for damaged in [changed, sound[..sound.len() - 1].to_vec()] {
            std::fs::write(&path, &damaged).unwrap();
            let (files, made) = language_files("nb", site(), Some(dir.path())).unwrap();
            assert!(!matches!(made, Made::Reused), "damaged files were used");
            assert!(
                named(files) == whole(&site()),
                "files differ from a whole build's"
            );
        }
    }

    #[test]
    fn an_index_that_cannot_be_updated_is_built_whole() {
        let before = site();
        // A page added: pages after it would be numbered otherwise.
        let mut added = site();
        added.insert(1, record("/e/", "Ny", "En ny side.", "by"));
        assert!(matches!(rebuilt(&before, &added), Made::Whole));
        // A page removed.
        let mut removed = site();
        removed.remove(2);
        assert!(matches!(rebuilt(&before, &removed), Made::Whole));
        // A meta field only one page has, gone: every page's field numbers change.
        let mut status = site();
        status[1].meta.insert("status".into(), "Åpen".into());
        let mut no_status = status.clone();
        no_status[1].meta.remove("status");
        assert!(matches!(rebuilt(&status, &no_status), Made::Whole));
        // A page without words would be left out of the index.
        let mut empty = site();
        empty[3].content = String::new();
        assert!(matches!(rebuilt(&before, &empty), Made::Whole));
        // More than half the pages changed.
        let mut most = site();
        for r in &mut most[..3] {
            r.content.push_str(" Endret.");
        }
        assert!(matches!(rebuilt(&before, &most), Made::Whole));
    }
}
