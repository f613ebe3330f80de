//! Telling people and scripts about diagnostics: compiler-style reports that quote the line a
//! problem is on (for a terminal), JSON (for scripts), and the one-line count of problems.
//!
//! The plain `path:line:col: error: message` form stays [`Diagnostic`]'s `Display`; this module
//! adds the source line under it, drawn by annotate-snippets, the renderer rustc and cargo use.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::messages::{Lang, Text};

/// Whether to colour reports written to standard error: only on a terminal, and never when
/// `NO_COLOR` is set (<https://no-color.org>).
pub fn color_on_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Every diagnostic with the line it points at, separated by blank lines, in `lang`. Paths are
/// relative to `root`, where the files are read from; a file that cannot be read is named
/// without a quote.
pub fn human(diags: &[Diagnostic], root: &Path, color: bool, lang: Lang) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut sources = Sources::new(root);
    let mut out = String::new();
    for d in diags {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&render_one(&renderer, d, sources.get(&d.path), lang));
    }
    out
}

fn render_one(renderer: &Renderer, d: &Diagnostic, text: Option<&str>, lang: Lang) -> String {
    let (level, name) = match d.severity {
        Severity::Error => (Level::ERROR, Text::new("level-error")),
        Severity::Warning => (Level::WARNING, Text::new("level-warning")),
        Severity::Note => (Level::NOTE, Text::new("level-note")),
    };
    let level = level.with_name(name.say(lang));
    let path = d.path.display().to_string();
    let message = d.message_in(lang);
    let mut group = Group::with_title(level.primary_title(message.as_str()));
    let quoted = d.line.and_then(|line| {
        let source_line = text?.lines().nth(line.checked_sub(1)?)?;
        Some((line, source_line))
    });
    group = match (quoted, d.line) {
        (Some((line, source_line)), _) => {
            let span = underline(source_line, d.column.unwrap_or(1));
            group.element(
                Snippet::source(source_line)
                    .line_start(line)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(span)),
            )
        }
        (None, Some(line)) => {
            let mut origin = Origin::path(path.as_str()).line(line);
            if let Some(column) = d.column {
                origin = origin.char_column(column);
            }
            group.element(origin)
        }
        (None, None) => group.element(Origin::path(path.as_str())),
    };
    let help = d.help_in(lang);
    let help_name = Text::new("level-help").say(lang);
    if let Some(help) = &help {
        group = group.element(
            Level::HELP
                .with_name(help_name.as_str())
                .message(help.as_str()),
        );
    }
    renderer.render(&[group])
}

/// The bytes of `line` to underline for a problem at 1-based character `column`: the link,
/// quoted value or word that starts there.
fn underline(line: &str, column: usize) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let end_of_line = line.trim_end().len().max(start);
    let len = if rest.starts_with('[') || rest.starts_with("![") {
        // A Markdown link or image: through the `)` that closes its address.
        rest.find("](")
            .and_then(|i| rest[i..].find(')').map(|j| i + j + 1))
            .unwrap_or(end_of_line - start)
    } else if rest.starts_with('<') {
        rest.find('>').map_or(end_of_line - start, |i| i + 1)
    } else if rest.starts_with(['"', '[', '{']) {
        end_of_line - start
    } else {
        rest.find(char::is_whitespace).unwrap_or(rest.len())
    };
    if len == 0 {
        // Past the end of the line, or on a blank: point at one place rather than nothing.
        let at = start.min(line.len());
        return at..(at + rest.chars().next().map_or(0, char::len_utf8));
    }
    start..start + len
}

/// The files diagnostics point into, each read once.
struct Sources<'a> {
    root: &'a Path,
    texts: HashMap<PathBuf, Option<String>>,
}

impl<'a> Sources<'a> {
    fn new(root: &'a Path) -> Self {
        Sources {
            root,
            texts: HashMap::new(),
        }
    }

    fn get(&mut self, path: &Path) -> Option<&str> {
        let root = self.root;
        self.texts
            .entry(path.to_path_buf())
            .or_insert_with(|| std::fs::read_to_string(root.join(path)).ok())
            .as_deref()
    }
}

/// "2 errors, 1 warning and 1 note", leaving out what there is none of; "no problems" if empty.
pub fn counts(diags: &Diagnostics, lang: Lang) -> String {
    let parts: Vec<String> = [
        (Severity::Error, Text::new("count-errors")),
        (Severity::Warning, Text::new("count-warnings")),
        (Severity::Note, Text::new("count-notes")),
    ]
    .into_iter()
    .filter_map(|(s, text)| match diags.count(s) {
        0 => None,
        n => Some(text.arg("n", n).say(lang)),
    })
    .collect();
    match parts.as_slice() {
        [] => Text::new("count-no-problems").say(lang),
        [one] => one.clone(),
        [init @ .., last] => Text::new("list-and")
            .arg("init", init.join(", "))
            .arg("last", last)
            .say(lang),
    }
}

/// What `--format json` prints: counts first, so a script can decide without reading the list.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    /// Content files looked at.
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub diagnostics: &'a [Diagnostic],
}

pub fn json(diags: &Diagnostics, files: usize) -> String {
    let report = JsonReport {
        files,
        errors: diags.count(Severity::Error),
        warnings: diags.count(Severity::Warning),
        notes: diags.count(Severity::Note),
        diagnostics: &diags.0,
    };
    serde_json::to_string_pretty(&report).expect("diagnostics serialize")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with(path: &str, text: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        dir
    }

    #[test]
    fn quotes_the_line_and_underlines_the_link() {
        let dir = site_with(
            "content/om.md",
            "+++\ntitle = \"Om\"\n+++\nLes [klikk her](https://example.no) nå.\n",
        );
        let d = Diagnostic::warning("content/om.md", "the link text `klikk her` says nothing")
            .at(4, 5)
            .help("say where the link leads");
        let out = human(&[d], dir.path(), false, Lang::En);
        assert_eq!(
            out,
            "warning: the link text `klikk her` says nothing\n \
             --> content/om.md:4:5\n  \
             |\n\
             4 | Les [klikk her](https://example.no) nå.\n  \
             |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  \
             |\n  \
             = help: say where the link leads"
        );
    }

    #[test]
    fn counts_columns_in_characters_like_the_plain_form() {
        let dir = site_with("content/a.md", "+++\ntitle = \"Sykkelvei på Øya\"\n+++\n");
        let d = Diagnostic::error("content/a.md", "x").at(2, 9);
        let out = human(&[d], dir.path(), false, Lang::En);
        assert!(out.contains("--> content/a.md:2:9"), "{out}");
        assert!(
            out.ends_with(&format!("|         {}", "^".repeat(18))),
            "{out}"
        );
    }

    #[test]
    fn names_the_file_when_there_is_no_line_to_quote() {
        let dir = tempfile::tempdir().unwrap();
        let d = Diagnostic::error("i18n/nn.toml", "missing key `form.submit`");
        let out = human(&[d], dir.path(), false, Lang::En);
        assert_eq!(out, "error: missing key `form.submit`\n--> i18n/nn.toml");
        let d = Diagnostic::error("content/gone.md", "x").at(3, 2);
        assert!(human(&[d], dir.path(), false, Lang::En).contains("--> content/gone.md:3:2"));
    }

    #[test]
    fn counts_read_naturally() {
        let mut d = Diagnostics::default();
        assert_eq!(counts(&d, Lang::En), "no problems");
        d.push(Diagnostic::error("a", "x"));
        assert_eq!(counts(&d, Lang::En), "1 error");
        d.push(Diagnostic::error("a", "y"));
        d.push(Diagnostic::warning("a", "z"));
        d.push(Diagnostic::note("a", "n"));
        assert_eq!(counts(&d, Lang::En), "2 errors, 1 warning and 1 note");
        assert_eq!(counts(&d, Lang::Nb), "2 feil, 1 advarsel og 1 merknad");
        assert_eq!(counts(&Diagnostics::default(), Lang::Nb), "ingen problemer");
    }

    #[test]
    fn a_catalogued_message_is_reported_in_the_writers_language() {
        let dir = site_with(
            "content/a.md",
            "+++\ntitle = \"A\"\nstart = 2026-13-45\n+++\n",
        );
        let text = Text::new("date-no-such-month")
            .arg("key", "start")
            .arg("written", "2026-13-45")
            .arg("month", 13_i64);
        let d = Diagnostic::error("content/a.md", "").at(3, 9).says(text);
        let nb = human(std::slice::from_ref(&d), dir.path(), false, Lang::Nb);
        assert!(
            nb.starts_with("feil: `start = 2026-13-45`: det finnes ingen måned 13\n"),
            "{nb}"
        );
        assert!(nb.contains("= hjelp: måneden står i midten"), "{nb}");
        let en = human(&[d], dir.path(), false, Lang::En);
        assert!(en.contains("there is no month 13"), "{en}");
    }

    #[test]
    fn underline_stays_inside_the_line() {
        assert_eq!(underline("", 1), 0..0);
        assert_eq!(underline("abc", 9), 3..3);
        assert_eq!(underline("+++", 1), 0..3);
        assert_eq!(underline("start = 2026-01-01 # x", 9), 8..18);
    }
}
