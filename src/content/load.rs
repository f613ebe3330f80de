//! Loading `content/`: one pass over the files, parsed in parallel, grouped into items with their
//! translations, checked (keys, types, references, translations), given URLs, and rendered from
//! Markdown with `@/` links resolved. Every problem found is collected, none stops the others.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;
use jiff::tz::TimeZone;
use rayon::prelude::*;

use super::files::{Cache, File, Parsed, Stamp, read_file, walk};
use super::items::{Absent, build_item, check_images, check_references};
use super::links::render_markdown;
use super::sections::build_sections;
use super::urls::assign_urls;
use super::*;
use crate::config::Config;
use crate::diag::Diagnostics;
use crate::i18n::I18n;

/// What to include when loading.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Include items marked `draft = true`.
    pub drafts: bool,
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
            once: cache.once,
            ..Cache::default()
        };
    }
    let once = cache.once;

    let (paths, mut assets) = walk(root, &content, &mut diags);
    let previous = std::mem::take(&mut cache.files);
    let parsed: Vec<(&PathBuf, Option<Stamp>, Parsed)> = paths
        .par_iter()
        .map(|rel| {
            // Stamped before reading: a change while reading shows as a newer stamp next time.
            let stamp = if once {
                None
            } else {
                Stamp::of(&root.join(rel))
            };
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
    let mut absent = Absent::default();
    for f in parsed {
        match f {
            Ok(f) if f.fm.draft.as_ref().is_some_and(|d| *d.get_ref()) && !opts.drafts => {
                absent.drafts.insert(f.key.clone());
            }
            Ok(f) => files.push(f),
            Err(d) => {
                if let Ok(rel) = d.path.strip_prefix("content") {
                    absent
                        .failed
                        .insert(rel.to_string_lossy().replace('\\', "/"));
                }
                diags.push(d);
            }
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
        // Its translations alone would each miss what the primary file says.
        if absent.failed.contains(&key) {
            continue;
        }
        if group[0].is_section {
            section_files.insert(group[0].section.clone(), group);
            continue;
        }
        let bundle = group[0].bundle_dir.clone();
        match build_item(key.clone(), group, &tz, &mut diags) {
            Some(mut item) => {
                if let Some(dir) = bundle {
                    item.assets = assets.remove(&dir).unwrap_or_default();
                }
                check_images(root, &item, &mut diags);
                items.push(item);
            }
            None => {
                absent.failed.insert(key);
            }
        }
    }

    let mut sections = build_sections(config, section_files, &items, &langs, i18n, &mut diags);
    assign_urls(config, i18n, &mut sections, &mut items, &mut diags);
    check_references(&items, &absent, &mut diags);
    let gone: HashSet<String> = absent.drafts.union(&absent.failed).cloned().collect();
    super::results::attach_all(root, &mut items, &gone, &mut diags);
    let links = render_markdown(
        &mut items,
        &mut sections,
        &langs,
        &absent.failed,
        cache,
        &mut diags,
    );

    items.sort_by(|a, b| a.key.cmp(&b.key));
    diags.sort();
    let mut lib = Library::new(items, sections);
    lib.links = links;
    (lib, diags)
}
