//! Finding and reading content files: the walk over `content/`, one parsed [`File`] per `.md`
//! file with its language and content path, and the [`Cache`] of parses kept between loads.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use super::frontmatter::{self, FrontMatter};
use super::links::Body;
use crate::diag::{Diagnostic, Diagnostics, Source};
use crate::messages::Text;

/// One parsed `.md` file.
pub(super) struct File {
    pub(super) source: Source,
    pub(super) lang: String,
    /// Content path of the item or section this file belongs to (language suffix removed).
    pub(super) key: String,
    pub(super) name: String,
    pub(super) section: String,
    pub(super) is_section: bool,
    /// Folder of a folder item (`<name>/index.md`).
    pub(super) bundle_dir: Option<PathBuf>,
    pub(super) fm: FrontMatter,
    pub(super) front_offset: usize,
    pub(super) body_offset: usize,
}

impl File {
    pub(super) fn err(
        &self,
        span: Option<std::ops::Range<usize>>,
        msg: impl Into<String>,
    ) -> Diagnostic {
        self.source
            .error(self.front_offset + span.map_or(0, |s| s.start), msg)
    }

    /// Points at the opening `+++` when a required key is missing.
    pub(super) fn err_top(&self, msg: impl Into<String>) -> Diagnostic {
        self.source.error(0, msg)
    }
}

/// What is kept between loads of the same site so that loading it again after a few files
/// changed costs little: each file's parse (reused while its modification time and size stay
/// the same) and each body's HTML (reused while the file and the URLs its links lead to stay
/// the same).
///
/// A fresh cache gives exactly what a load without one gives; a long-running process keeps
/// one, and `torget build`, which loads once, uses [`Cache::once`].
#[derive(Default)]
pub struct Cache {
    /// The languages the files were parsed for: their names' suffixes depend on them.
    pub(super) langs: Vec<String>,
    pub(super) files: HashMap<PathBuf, (Stamp, Parsed)>,
    pub(super) bodies: HashMap<PathBuf, Body>,
    /// For one load only: nothing is kept (see [`Cache::once`]).
    pub(super) once: bool,
}

pub(super) type Parsed = Result<Arc<File>, Diagnostic>;

impl Cache {
    /// A cache for a process that loads the site once: it keeps nothing, so no file is
    /// stamped and no body copied for a next load that never comes (some 60 MB of HTML and
    /// text at 10,000 items × 2).
    pub fn once() -> Cache {
        Cache {
            once: true,
            ..Cache::default()
        }
    }

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
pub(super) struct Stamp {
    pub(super) modified: SystemTime,
    pub(super) len: u64,
}

impl Stamp {
    pub(super) fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        Some(Stamp {
            modified: m.modified().ok()?,
            len: m.len(),
        })
    }
}

/// Folder of a folder item → its files (absolute path, path relative to the folder).
pub(super) type Assets = HashMap<PathBuf, Vec<(PathBuf, String)>>;

/// Lists the Markdown files (relative to the site root) and the assets of folder items.
pub(super) fn walk(root: &Path, content: &Path, diags: &mut Diagnostics) -> (Vec<PathBuf>, Assets) {
    let mut md = Vec::new();
    let mut others = Vec::new();
    if !content.is_dir() {
        diags.push(Diagnostic::error("content", "").says(Text::new("files-no-content-folder")));
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
                let text = Text::new("files-cannot-read").arg("problem", e.to_string());
                diags.push(Diagnostic::error(path, "").says(text));
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

pub(super) fn rel(root: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(root).unwrap_or(p).to_path_buf()
}

pub(super) fn read_file(
    root: &Path,
    rel_path: &Path,
    langs: &[String],
    default: &str,
) -> Result<File, Diagnostic> {
    let text = std::fs::read(root.join(rel_path)).map_err(|e| {
        let text = Text::new("files-cannot-read").arg("problem", e.to_string());
        Diagnostic::error(rel_path, "").says(text)
    })?;
    let text = String::from_utf8(text).map_err(|e| {
        let text = Text::new("files-not-utf8").arg("offset", e.utf8_error().valid_up_to());
        Diagnostic::error(rel_path, "").says(text)
    })?;
    parse_file(Source::new(rel_path, text), langs, default)
}

/// Parses a content file's text: its language and content path from its name, its front matter.
pub(super) fn parse_file(
    source: Source,
    langs: &[String],
    default: &str,
) -> Result<File, Diagnostic> {
    let rel_path = source.path.clone();
    let rel_path = rel_path.as_path();
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
            let text = Text::new("files-unknown-language")
                .arg("suffix", suffix)
                .arg("langs", langs.join(", "));
            return Err(source.error(0, "").says(text));
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
            return Err(source.error(0, "").says(Text::new("files-index-at-top")));
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
    let (front_offset, body_offset) = (split.front_offset, split.body_offset);
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
        source,
    })
}

pub(super) fn dir_prefix(parent: &str) -> String {
    if parent.is_empty() {
        String::new()
    } else {
        format!("{parent}/")
    }
}

/// A file of a site in `nb` (the default) and `en` at `path`, with front matter `front`.
#[cfg(test)]
pub(super) fn test_file(path: &str, front: &str) -> File {
    let langs = ["nb".to_string(), "en".to_string()];
    parse_file(
        Source::new(path, format!("+++\n{front}+++\nBody\n")),
        &langs,
        "nb",
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Each diagnostic as a writer reads it: `line: message (help)`.
#[cfg(test)]
pub(super) fn messages(diags: &crate::diag::Diagnostics) -> Vec<String> {
    diags
        .0
        .iter()
        .map(|d| {
            let at = d.line.unwrap_or(0);
            match &d.help {
                Some(h) => format!("{at}: {} ({h})", d.message),
                None => format!("{at}: {}", d.message),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(path: &str) -> Result<File, Diagnostic> {
        let langs = ["nb".to_string(), "en".to_string()];
        parse_file(
            Source::new(path, "+++\ntitle = \"A\"\n+++\nBody\n"),
            &langs,
            "nb",
        )
    }

    #[test]
    fn a_translation_is_named_by_its_language_suffix() {
        let f = parse("content/projects/hage.en.md").unwrap();
        assert_eq!(
            (f.key.as_str(), f.name.as_str(), f.lang.as_str()),
            ("projects/hage.md", "hage", "en")
        );
        assert_eq!(f.section, "projects");
        assert_eq!(&f.source.text[f.body_offset..], "Body\n");
    }

    #[test]
    fn a_folder_item_is_named_by_its_folder() {
        let f = parse("content/projects/hage/index.md").unwrap();
        assert_eq!(
            (f.key.as_str(), f.name.as_str(), f.lang.as_str()),
            ("projects/hage/index.md", "hage", "nb")
        );
        assert_eq!(f.bundle_dir, Some(PathBuf::from("content/projects/hage")));
    }

    #[test]
    fn a_section_file_belongs_to_its_folder() {
        let f = parse("content/nyheter/_index.en.md").unwrap();
        assert!(f.is_section);
        assert_eq!(
            (f.key.as_str(), f.section.as_str()),
            ("nyheter/_index.md", "nyheter")
        );
    }

    #[test]
    fn an_unknown_language_suffix_says_how_to_add_the_language() {
        let Err(e) = parse("content/om.de.md") else {
            panic!("parsed")
        };
        assert_eq!(
            e.message,
            "`.de` in the file name is not a language of this site"
        );
        assert_eq!(
            e.help.as_deref(),
            Some("add `[languages.de]` to site.toml, or rename the file (configured: nb, en)")
        );
    }

    #[test]
    fn index_md_directly_in_content_is_not_an_item() {
        let Err(e) = parse("content/index.md") else {
            panic!("parsed")
        };
        assert_eq!(e.message, "`index.md` directly in content/ is not an item");
    }
}
