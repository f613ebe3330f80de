//! Translation status: which items lack a translation, and which translations are stale because
//! their source changed after they were made.
//!
//! A translation records what it was made from in `translation_of`: a hash of its source, the
//! item's primary file (the default language's, else the first language's). The hash covers
//! only what a translator translates, as the build reads it:
//!
//! - `title`, `summary`, `image_alt`, `partners` and `contact.name` (these two only when set),
//!   and `location`: the keys `content::keys::KEYS` marks as translated,
//! - each goal's `title`,
//! - each question's `id`, `kind`, `label`, `help`, `options`, `min_label` and `max_label`,
//! - the Markdown text, with line endings as `\n`, spaces at line ends and blank lines at the
//!   start and end removed.
//!
//! It is the first 16 hex digits of the SHA-256 of those values, as a JSON object in that order
//! ([`source_hash`]). So comments, the order of keys, dates, areas, `slug`, `draft` and
//! `updated` never make a translation stale, and editing a translation never does either:
//! only its source is hashed. Git plays no part.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::key_offset;
use crate::content::{Item, KEYS, Library, QuestionKind, Version};
use crate::diag::Diagnostics;
use crate::messages::Text;

/// The hash a translation of `source` records in `translation_of`: over the keys the key table
/// marks as translated, in its order, then the body.
pub fn source_hash(source: &Version) -> String {
    let mut json = String::from("{");
    for key in KEYS.iter().filter(|k| k.sharing.translated()) {
        if let Some(value) = translated(key.name, source) {
            json.push_str(&format!("{}:{value},", serde_json::Value::from(key.name)));
        }
    }
    let body = serde_json::Value::from(normalized_body(source.markdown()));
    json.push_str(&format!("\"body\":{body}}}"));
    Sha256::digest(json.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("plain text serializes")
}

/// A translated key's value in `source` as JSON, or `None` to leave it out of the hash. Keys
/// added to the hash after it was introduced (`partners`, `contact.name`, `outcome.text`) are left out when
/// unset, so translations made before keep their hash.
fn translated(key: &str, source: &Version) -> Option<String> {
    #[derive(Serialize)]
    struct Question<'a> {
        id: &'a str,
        kind: QuestionKind,
        label: &'a str,
        help: Option<&'a str>,
        options: &'a [String],
        min_label: Option<&'a str>,
        max_label: Option<&'a str>,
    }
    Some(match key {
        "title" => json(&source.title),
        "summary" => json(&source.summary),
        "image_alt" => json(&source.image_alt),
        "partners" if source.partners.is_empty() => return None,
        "partners" => json(&source.partners),
        "contact.name" => json(&source.contact.as_ref()?.name),
        "outcome.text" => json(&source.outcome.as_ref()?.markdown),
        "location" => json(
            &source
                .location
                .as_ref()
                .map(|l| (l.name.as_str(), l.address.as_str())),
        ),
        "goals" => json(
            &source
                .goals
                .iter()
                .map(|g| g.title.as_str())
                .collect::<Vec<_>>(),
        ),
        "questions" => json(
            &source
                .questions
                .iter()
                .map(|q| Question {
                    id: &q.id,
                    kind: q.kind,
                    label: &q.label,
                    help: q.help.as_deref(),
                    options: &q.options,
                    min_label: q.min_label.as_deref(),
                    max_label: q.max_label.as_deref(),
                })
                .collect::<Vec<_>>(),
        ),
        _ => {
            unreachable!("the key table marks `{key}` as translated, but the hash does not read it")
        }
    })
}

fn normalized_body(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    lines.join("\n").trim_matches('\n').to_string()
}

/// Where a translation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// There is no file in this language.
    Missing,
    /// Made from a source that has changed since.
    Stale,
    /// Says nothing of what it was made from: no `translation_of`.
    Untracked,
    Current,
}

/// One item in one language other than its source's.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The item's content path, as `@/` links name it.
    pub item: String,
    pub lang: String,
    pub state: State,
    /// The file translated from.
    pub source: PathBuf,
    /// The translation's file; for a missing one, the file to create.
    pub file: PathBuf,
}

/// Every item in every language of the site but its source's, sorted by state, then file.
pub fn status(lib: &Library, langs: &[String], default_lang: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    for item in &lib.items {
        let primary = item.primary();
        let hash = source_hash(primary);
        for lang in langs.iter().filter(|l| **l != primary.lang) {
            let (state, file) = match item.version(lang) {
                None => (
                    State::Missing,
                    translation_file(&primary.source.path, &primary.lang, lang, default_lang),
                ),
                Some(v) => (state(v, &hash), v.source.path.clone()),
            };
            entries.push(Entry {
                item: item.key.clone(),
                lang: lang.clone(),
                state,
                source: primary.source.path.clone(),
                file,
            });
        }
    }
    entries.sort_by(|a, b| (a.state, &a.file).cmp(&(b.state, &b.file)));
    entries
}

fn state(translation: &Version, source_hash: &str) -> State {
    match &translation.translation_of {
        None => State::Untracked,
        Some(h) if h.trim() == source_hash => State::Current,
        Some(_) => State::Stale,
    }
}

/// The file of a translation into `lang` beside its source, e.g. `content/x.md` (in `nb`) →
/// `content/x.en.md`, and `content/x.en.md` → `content/x.md` when `nb` is the default language.
pub fn translation_file(
    source: &Path,
    source_lang: &str,
    lang: &str,
    default_lang: &str,
) -> PathBuf {
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let stem = name.strip_suffix(".md").unwrap_or(&name);
    let base = if source_lang == default_lang {
        stem
    } else {
        stem.strip_suffix(&format!(".{source_lang}"))
            .unwrap_or(stem)
    };
    let file = if lang == default_lang {
        format!("{base}.md")
    } else {
        format!("{base}.{lang}.md")
    };
    source.with_file_name(file)
}

/// Stale translations, `translation_of` where it means nothing, and text left untranslated.
pub(crate) fn check(lib: &Library, diags: &mut Diagnostics) {
    for item in &lib.items {
        check_item(item, diags);
    }
}

fn check_item(item: &Item, diags: &mut Diagnostics) {
    let primary = item.primary();
    let at = |v: &Version| key_offset(&v.source, v.body_offset, "translation_of").unwrap_or(0);
    if primary.translation_of.is_some() {
        let text = Text::new("check-translation-of-in-source").arg("lang", &primary.lang);
        diags.push(primary.source.warning(at(primary), "").says(text));
    }
    let hash = source_hash(primary);
    let source_body = normalized_body(primary.markdown());
    for v in item.versions.values().skip(1) {
        if state(v, &hash) == State::Stale {
            let text = Text::new("check-translation-stale")
                .arg("primary", primary.source.path.display().to_string())
                .arg("lang", &primary.lang)
                .arg("file", v.source.path.display().to_string());
            diags.push(v.source.warning(at(v), "").says(text));
        }
        if !source_body.is_empty() && normalized_body(v.markdown()) == source_body {
            let text = Text::new("check-translation-same-text")
                .arg("primary", primary.source.path.display().to_string())
                .arg("lang", &v.lang);
            diags.push(v.source.warning(v.body_offset, "").says(text));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_of_a_missing_translation_sits_beside_its_source() {
        let f = |p: &str, from: &str, to: &str| translation_file(Path::new(p), from, to, "nb");
        assert_eq!(
            f("content/om.md", "nb", "en"),
            Path::new("content/om.en.md")
        );
        assert_eq!(
            f("content/om.en.md", "en", "nb"),
            Path::new("content/om.md")
        );
        assert_eq!(
            f("content/nyheter/park/index.md", "nb", "nn"),
            Path::new("content/nyheter/park/index.nn.md")
        );
    }

    #[test]
    fn line_ends_and_trailing_blank_lines_do_not_count() {
        assert_eq!(
            normalized_body("\nEn hage.  \r\nTo linjer.\n\n\n"),
            normalized_body("En hage.\nTo linjer.")
        );
        assert_ne!(
            normalized_body("En hage."),
            normalized_body("En stor hage.")
        );
    }
}
