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
use crate::site;

pub fn status(args: StatusArgs) -> Result<()> {
    let (site, diags) = site::load_all(&args.root, args.drafts)?;
    let langs = site.config.language_codes();
    if let Some(l) = &args.lang
        && !langs.contains(l)
    {
        bail!(
            "`{l}` is not a language of this site (it has {})",
            langs.join(", ")
        );
    }
    let entries: Vec<Entry> =
        translations::status(&site.lib, &langs, &site.config.default_language)
            .into_iter()
            .filter(|e| args.lang.as_ref().is_none_or(|l| *l == e.lang))
            .collect();
    let errors = diags.errors().count();
    if errors > 0 {
        eprintln!(
            "note: {errors} content {} hide what they are in from this list; `torget check` shows them",
            if errors == 1 { "error" } else { "errors" }
        );
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
        (
            State::Missing,
            "missing: write these files (`torget new <kind> \"<title>\" --lang <lang> --name <name>` starts one)",
        ),
        (
            State::Stale,
            "stale: their source changed after they were made; update them, then run `torget translation mark <file>`",
        ),
        (
            State::Untracked,
            "untracked: no `translation_of`; run `torget translation mark <file>` on those that are up to date",
        ),
    ];
    for (state, title) in groups {
        let list: Vec<&Entry> = of(state).collect();
        if list.is_empty() {
            continue;
        }
        out.push_str(title);
        out.push('\n');
        for e in list {
            out.push_str(&format!("  {}  {}", e.lang, e.file.display()));
            if state != State::Untracked {
                out.push_str(&format!("  (from {})", e.source.display()));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    let count = |s| of(s).count();
    out.push_str(&format!(
        "{} missing, {} stale, {} untracked, {} up to date\n",
        count(State::Missing),
        count(State::Stale),
        count(State::Untracked),
        count(State::Current)
    ));
    out
}

pub fn mark(args: MarkArgs) -> Result<()> {
    // Drafts too: a translation is often marked before it is published.
    let (site, _) = site::load_all(&args.root, true)?;
    for file in &args.files {
        let rel = in_site(&args.root, file)?;
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
                anyhow!(
                    "{}: not a content file of this site, or it has errors (`torget check --drafts` shows them)",
                    rel.display()
                )
            })?;
        let source = item.primary();
        if std::ptr::eq(version, source) {
            bail!(
                "{}: this is the source that translations are made from; mark its translations instead",
                rel.display()
            );
        }
        let hash = source_hash(source);
        let path = site.root.join(&rel);
        let text = fsx::read_to_string(&path)?;
        let marked = set_translation_of(&rel, &text, &hash)?;
        if marked != text {
            fsx::write(&path, &marked)?;
        }
        println!(
            "marked {} as translated from {} ({hash})",
            rel.display(),
            source.source.path.display()
        );
        if text.contains(crate::check::TRANSLATE_MARK) {
            eprintln!(
                "warning: {} still has values marked `# TRANSLATE`",
                rel.display()
            );
        }
    }
    Ok(())
}

/// `file` (as given, relative to the current folder or to the site) relative to the site root.
fn in_site(root: &Path, file: &Path) -> Result<PathBuf> {
    if file.is_relative() && root.join(file).is_file() && !file.is_file() {
        return Ok(file.to_path_buf());
    }
    let abs = file
        .canonicalize()
        .with_context(|| format!("cannot find {}", file.display()))?;
    let root = root
        .canonicalize()
        .with_context(|| format!("cannot find the site folder {}", root.display()))?;
    abs.strip_prefix(&root)
        .map(Path::to_path_buf)
        .map_err(|_| anyhow!("{} is not in the site {}", file.display(), root.display()))
}

/// The file's text with `translation_of = "<hash>"` in its front matter: the value replaced
/// where the key is, else a line added after the other top-level keys. Comments, order and
/// layout stay as they were.
fn set_translation_of(path: &Path, text: &str, hash: &str) -> Result<String> {
    let source = Source::new(path, text);
    let split = split_front_matter(&source).map_err(|d| anyhow!("{d}"))?;
    let mut doc: toml_edit::DocumentMut = split
        .front
        .parse()
        .map_err(|e| anyhow!("{}: invalid front matter: {e}", path.display()))?;
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
