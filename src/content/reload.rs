//! Patching a few changed files' items into a [`Library`] in place, when their URLs stay and
//! they have no mistakes. It reads files, so tests/incremental.rs tests it on fixture sites,
//! against what a fresh load gives.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::tz::TimeZone;

use super::files::{Cache, File, Stamp, read_file};
use super::items::{Absent, build_item, check_images, check_references_to};
use super::links::{render_body, render_outcome};
use super::*;
use crate::config::Config;
use crate::diag::Diagnostics;
use crate::messages::Text;

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
    Load(Text),
}

/// A reason about the file at `rel`.
fn file_reason(id: &'static str, rel: &Path) -> Text {
    Text::new(id).arg("file", rel.display().to_string())
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
        return Reload::Load(Text::new("reload-languages-changed"));
    }
    // The changed files, by the item they belong to.
    let mut changed: BTreeMap<String, HashMap<PathBuf, Arc<File>>> = BTreeMap::new();
    for rel in paths {
        if rel.extension().is_none_or(|e| e != "md") {
            return Reload::Load(file_reason("reload-not-content", rel));
        }
        let stamp = Stamp::of(&root.join(rel));
        let file = match read_file(root, rel, &langs, &config.default_language) {
            Ok(f) => Arc::new(f),
            Err(_) => return Reload::Load(file_reason("reload-unreadable", rel)),
        };
        let Some(item) = lib.by_key(&file.key) else {
            return Reload::Load(file_reason("reload-new-page", rel));
        };
        if !item.versions.values().any(|v| v.source.path == *rel) {
            return Reload::Load(file_reason("reload-new-translation", rel));
        }
        if file.fm.draft.as_ref().is_some_and(|d| *d.get_ref()) && !opts.drafts {
            return Reload::Load(file_reason("reload-now-draft", rel));
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
                    _ => return Reload::Load(Text::new("reload-cache-lost").arg("key", &key)),
                },
            };
            group.push(file);
        }
        let Some(mut item) = build_item(key.clone(), group, &tz, &mut diags) else {
            return Reload::Load(Text::new("reload-mistakes").arg("key", &key));
        };
        item.assets = old.assets.clone();
        check_images(root, &item, &mut diags);
        super::results::attach(root, &mut item, &mut diags);
        for (v, was) in item.versions.values_mut().zip(old.versions.values()) {
            if v.slug != was.slug {
                return Reload::Load(Text::new("reload-new-slug").arg("key", &key));
            }
            v.url = was.url.clone();
        }
        items.push(item);
    }
    check_references_to(&items, &lib.items, &Absent::default(), &mut diags);
    for item in &mut items {
        for v in item.versions.values_mut() {
            let body = render_body(v, &lib.links, &cache.bodies);
            v.html = body.html.clone();
            v.text = body.text.clone();
            v.headings = body.headings.clone();
            diags.extend(body.problems.iter().cloned());
            cache.bodies.insert(v.source.path.clone(), body);
            render_outcome(v, &lib.links, &mut diags);
        }
    }
    if diags.has_errors() {
        return Reload::Load(Text::new("reload-changed-have-mistakes"));
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
