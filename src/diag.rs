//! Diagnostics a content writer can act on: which file, which line, what is wrong, what to do.
//!
//! Every check in the pipeline reports through [`Diagnostic`] so that the build can collect all
//! problems of a site and print them together instead of stopping at the first one.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::messages::{Lang, Text};

/// How bad a problem is: errors stop the build, warnings are printed and the build goes on.
/// Notes are things worth knowing that are not wrong (`torget check` tells of calls that close
/// soon); they never fail anything, not even with `--deny-warnings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as the writer knows it: relative to the site root.
    pub path: PathBuf,
    /// 1-based line and column, when the problem has a place in the file.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// In English, as scripts read it.
    pub message: String,
    /// What to do about it, in English.
    pub help: Option<String>,
    /// The message and its help as the catalogues say them, for the writer's language; for
    /// scripts, its id is the diagnostic's `code` (boxed: diagnostics travel in `Result`s).
    #[serde(rename = "code", serialize_with = "serialize_code")]
    pub text: Option<Box<Text>>,
}

fn serialize_code<S: serde::Serializer>(text: &Option<Box<Text>>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_some(&text.as_ref().map(|t| t.id))
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
            text: None,
        }
    }

    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    pub fn note(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(path, message)
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The message (and its `.help`) from the catalogues; its id becomes the `code`.
    pub fn says(mut self, text: Text) -> Self {
        self.message = text.say(Lang::En);
        self.help = text.help(Lang::En);
        self.text = Some(Box::new(text));
        self
    }

    /// A stable name for scripts: the message's id in the catalogues (`locales/`), when the
    /// message comes from them.
    pub fn code(&self) -> Option<&'static str> {
        self.text.as_ref().map(|t| t.id)
    }

    /// The message in `lang` (English for a message not yet in the catalogues).
    pub fn message_in(&self, lang: Lang) -> String {
        match &self.text {
            Some(t) => t.say(lang),
            None => self.message.clone(),
        }
    }

    /// The help in `lang` (English for a message not yet in the catalogues).
    pub fn help_in(&self, lang: Lang) -> Option<String> {
        match &self.text {
            Some(t) => t.help(lang),
            None => self.help.clone(),
        }
    }

    /// `path:line:col: error: message` and the help, in `lang`.
    pub fn show(&self, lang: Lang) -> String {
        let mut out = self.path.display().to_string();
        if let Some(line) = self.line {
            out.push_str(&format!(":{line}"));
            if let Some(column) = self.column {
                out.push_str(&format!(":{column}"));
            }
        }
        let severity = Text::new(match self.severity {
            Severity::Error => "level-error",
            Severity::Warning => "level-warning",
            Severity::Note => "level-note",
        });
        out.push_str(&format!(
            ": {}: {}",
            severity.say(lang),
            self.message_in(lang)
        ));
        if let Some(help) = self.help_in(lang) {
            let name = Text::new("level-help").say(lang);
            out.push_str(&format!("\n  {name}: {help}"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.show(Lang::En))
    }
}

/// All problems found in a site; an error when at least one is an error.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Warning)
    }

    /// How many diagnostics have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.0.iter().filter(|d| d.severity == severity).count()
    }

    /// Sorted by file and line so the report reads top to bottom.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message))
        });
        self.0.dedup();
    }
}

/// The build stopped because the content has errors; carries every diagnostic found.
#[derive(Debug, Clone)]
pub struct ContentErrors(pub Diagnostics);

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors: Vec<_> = self.0.errors().collect();
        for d in &errors {
            writeln!(f, "{d}")?;
        }
        let n = errors.len();
        write!(
            f,
            "the site has {n} content {}; nothing was published",
            if n == 1 { "error" } else { "errors" }
        )
    }
}

impl std::error::Error for ContentErrors {}

/// A file's text, kept so that byte offsets found while parsing can be told as line and column.
#[derive(Debug, Clone)]
pub struct Source {
    /// Relative to the site root, as shown in messages.
    pub path: PathBuf,
    pub text: Arc<str>,
}

impl Source {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        Source {
            path: path.into(),
            text: text.into(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..floor_char_boundary(&self.text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }

    pub fn error(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let (line, column) = self.line_col(offset);
        Diagnostic::error(&self.path, message).at(line, column)
    }

    pub fn error_span(&self, span: &Range<usize>, message: impl Into<String>) -> Diagnostic {
        self.error(span.start, message)
    }

    pub fn warning(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let (line, column) = self.line_col(offset);
        Diagnostic::warning(&self.path, message).at(line, column)
    }

    pub fn note(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let (line, column) = self.line_col(offset);
        Diagnostic::note(&self.path, message).at(line, column)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let src = Source::new("x.md", "første\nlinje æøå x");
        assert_eq!(src.line_col(0), (1, 1));
        let x = src.text.rfind('x').unwrap();
        assert_eq!(src.line_col(x), (2, 11));
    }

    #[test]
    fn display_names_path_line_and_help() {
        let d = Diagnostic::error("content/a.md", "missing `title`")
            .at(2, 1)
            .help("add `title = \"…\"`");
        assert_eq!(
            d.to_string(),
            "content/a.md:2:1: error: missing `title`\n  help: add `title = \"…\"`"
        );
    }
}
