//! `torget translation status` lists translations that are missing, stale or untracked;
//! `torget translation mark` records in a translation what it was made from (`translation_of`),
//! changing nothing else in the file.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde::Serialize;

use crate::check::translations::{self, Entry, State, source_hash};
use crate::cli::{Format, MarkArgs, StatusArgs};
use crate::content::split_front_matter;
use crate::diag::Source;
use crate::fsx;
use crate::messages::Text;
use crate::site;

pub fn status(args: StatusArgs) -> Result<()> {
    let (site, diags) = site::load_all(&args.root, args.drafts)?;
    let langs = site.config.language_codes();
    if let Some(l) = &args.lang
        && !langs.contains(l)
    {
        bail!(
            "{}",
            Text::new("translation-unknown-language")
                .arg("lang", l)
                .arg("langs", langs.join(", "))
                .say_here()
        );
    }
    let entries: Vec<Entry> =
        translations::status(&site.lib, &langs, &site.config.default_language)
            .into_iter()
            .filter(|e| args.lang.as_ref().is_none_or(|l| *l == e.lang))
            .collect();
    let errors = diags.errors().count();
    if errors > 0 {
        let said = Text::new("translation-errors-hide").arg("errors", errors);
        eprintln!("{}", said.say_here());
    }
    match args.format {
        Format::Json => {
            #[derive(Serialize)]
            struct Report<'a> {
                languages: &'a [String],
                default_language: &'a str,
                translations: &'a [Entry],
            }
            let report = Report {
                languages: &langs,
                default_language: &site.config.default_language,
                translations: &entries,
            };
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        Format::Human => print!("{}", human(&entries)),
    }
    Ok(())
}

/// Missing, stale and untracked translations with what to do about each, then the counts.
fn human(entries: &[Entry]) -> String {
    let mut out = String::new();
    let of = |state: State| entries.iter().filter(move |e| e.state == state);
    let groups = [
        (State::Missing, Text::new("translation-missing")),
        (State::Stale, Text::new("translation-stale")),
        (State::Untracked, Text::new("translation-untracked")),
    ];
    for (state, title) in groups {
        let list: Vec<&Entry> = of(state).collect();
        if list.is_empty() {
            continue;
        }
        out.push_str(&title.say_here());
        out.push('\n');
        for e in list {
            out.push_str(&format!("  {}  {}", e.lang, e.file.display()));
            if state != State::Untracked {
                let from =
                    Text::new("translation-from").arg("source", e.source.display().to_string());
                out.push_str(&format!("  ({})", from.say_here()));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    let count = |s| of(s).count();
    let counts = Text::new("translation-counts")
        .arg("missing", count(State::Missing))
        .arg("stale", count(State::Stale))
        .arg("untracked", count(State::Untracked))
        .arg("current", count(State::Current));
    out.push_str(&counts.say_here());
    out.push('\n');
    out
}

pub fn mark(args: MarkArgs) -> Result<()> {
    // Drafts too: a translation is often marked before it is published.
    let (site, _) = site::load_all(&args.root, true)?;
    for file in &args.files {
        let rel = in_site(&args.root, file)?;
        if is_section_file(&rel) {
            let said = Text::new("translation-mark-section").arg("file", rel.display().to_string());
            println!("{}", said.say_here());
            continue;
        }
        let (item, version) = site
            .lib
            .items
            .iter()
            .find_map(|i| {
                i.versions
                    .values()
                    .find(|v| v.source.path == rel)
                    .map(|v| (i, v))
            })
            .ok_or_else(|| {
                let said = Text::new("translation-mark-unknown-file");
                anyhow!("{}", said.arg("file", rel.display().to_string()).say_here())
            })?;
        let source = item.primary();
        if std::ptr::eq(version, source) {
            let said = Text::new("translation-mark-source");
            bail!("{}", said.arg("file", rel.display().to_string()).say_here());
        }
        let hash = source_hash(source);
        let path = site.root.join(&rel);
        let text = fsx::read_to_string(&path)?;
        let marked = set_translation_of(&rel, &text, &hash)?;
        if marked != text {
            fsx::write(&path, &marked)?;
        }
        let said = Text::new("translation-marked")
            .arg("file", rel.display().to_string())
            .arg("source", source.source.path.display().to_string())
            .arg("hash", &hash);
        println!("{}", said.say_here());
        if text.contains(crate::check::TRANSLATE_MARK) {
            let said = Text::new("translation-still-to-translate");
            eprintln!("{}", said.arg("file", rel.display().to_string()).say_here());
        }
    }
    Ok(())
}

/// `file` (as given, relative to the current folder or to the site) relative to the site root.
fn in_site(root: &Path, file: &Path) -> Result<PathBuf> {
    if file.is_relative() && root.join(file).is_file() && !file.is_file() {
        return Ok(file.to_path_buf());
    }
    let shown = |p: &Path| p.display().to_string();
    let abs = file.canonicalize().with_context(|| {
        Text::new("translation-no-file")
            .arg("file", shown(file))
            .say_here()
    })?;
    let root = root.canonicalize().with_context(|| {
        Text::new("translation-no-site")
            .arg("root", shown(root))
            .say_here()
    })?;
    abs.strip_prefix(&root).map(Path::to_path_buf).map_err(|_| {
        let said = Text::new("translation-not-in-site")
            .arg("file", shown(file))
            .arg("root", shown(&root));
        anyhow!("{}", said.say_here())
    })
}

/// A section's `_index` file (any language): it has no `translation_of` to set.
fn is_section_file(rel: &Path) -> bool {
    rel.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n == "_index.md" || (n.starts_with("_index.") && n.ends_with(".md")))
}

/// The file's text with `translation_of = "<hash>"` in its front matter: the value replaced
/// where the key is, else a line added after the other top-level keys. Comments, order and
/// layout stay as they were.
fn set_translation_of(path: &Path, text: &str, hash: &str) -> Result<String> {
    let source = Source::new(path, text);
    let split = split_front_matter(&source).map_err(|d| anyhow!("{d}"))?;
    let mut doc: toml_edit::DocumentMut =
        split.front.parse().map_err(|e: toml_edit::TomlError| {
            let said = Text::new("translation-unreadable")
                .arg("file", path.display().to_string())
                .arg("problem", e.to_string());
            anyhow!("{}", said.say_here())
        })?;
    match doc
        .get_mut("translation_of")
        .and_then(toml_edit::Item::as_value_mut)
    {
        Some(value) => {
            // Keep the spaces and any comment around the old value.
            let decor = value.decor().clone();
            *value = hash.into();
            *value.decor_mut() = decor;
        }
        None => {
            doc.insert("translation_of", toml_edit::value(hash));
        }
    }
    let start = split.front_offset;
    let end = start + split.front.len();
    Ok(format!("{}{}{}", &text[..start], doc, &text[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(text: &str) -> String {
        set_translation_of(Path::new("a.en.md"), text, "0123456789abcdef").unwrap()
    }

    #[test]
    fn replaces_the_value_in_place_keeping_its_comment() {
        let text = "+++\n# note\ntitle = \"A\"\ntranslation_of = \"old\"  # from nb\nsummary = \"B\"\n+++\nBody\n";
        assert_eq!(mark(text), text.replace("\"old\"", "\"0123456789abcdef\""));
    }

    #[test]
    fn adds_the_key_before_the_question_tables() {
        let text = "+++\ntitle = \"A\" # the title\nsummary = \"B\"\n\n# The questions\n[[questions]]\nid = \"a\"\n+++\nBody\n";
        assert_eq!(
            mark(text),
            "+++\ntitle = \"A\" # the title\nsummary = \"B\"\ntranslation_of = \"0123456789abcdef\"\n\n# The questions\n[[questions]]\nid = \"a\"\n+++\nBody\n"
        );
    }

    #[test]
    fn every_sample_file_changes_by_one_line_only() {
        let content = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content");
        for entry in walkdir::WalkDir::new(&content) {
            let entry = entry.unwrap();
            if entry.path().extension().is_none_or(|e| e != "md") {
                continue;
            }
            // Sample translations are marked already; start from each file as it was before.
            let text: String = std::fs::read_to_string(entry.path())
                .unwrap()
                .split_inclusive('\n')
                .filter(|l| !l.starts_with("translation_of = "))
                .collect();
            let marked = mark(&text);
            let added: Vec<&str> = marked
                .lines()
                .filter(|l| !text.lines().any(|t| t == *l))
                .collect();
            assert_eq!(
                added,
                ["translation_of = \"0123456789abcdef\""],
                "{}",
                entry.path().display()
            );
            assert_eq!(marked.lines().count(), text.lines().count() + 1);
        }
    }
}
