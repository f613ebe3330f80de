//! Splitting a content file into TOML front matter and Markdown body, and parsing the front
//! matter into [`FrontMatter`] with the position of every key kept for error messages.

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use super::mistakes;
use crate::diag::{Diagnostic, Source};
use crate::messages::Text;

/// Every key any content file may have. Which keys a file may use depends on its section;
/// that is checked after parsing so that the message can say where the key belongs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<Spanned<String>>,
    pub summary: Option<Spanned<String>>,
    pub slug: Option<Spanned<String>>,
    pub date: Option<Spanned<Datetime>>,
    pub updated: Option<Spanned<Datetime>>,
    pub draft: Option<Spanned<bool>>,
    pub image: Option<Spanned<String>>,
    pub image_alt: Option<Spanned<String>>,
    pub order: Option<Spanned<i64>>,
    pub menu: Option<Spanned<String>>,
    pub translation_of: Option<Spanned<String>>,

    pub areas: Option<Spanned<Vec<Spanned<String>>>>,
    pub status: Option<Spanned<String>>,
    pub start: Option<Spanned<Datetime>>,
    pub end: Option<Spanned<Datetime>>,
    pub partners: Option<Spanned<Vec<String>>>,
    pub contact: Option<Spanned<RawContact>>,
    pub goals: Option<Spanned<Vec<Spanned<RawGoal>>>>,

    pub location: Option<Spanned<Location>>,
    pub online_url: Option<Spanned<String>>,
    pub registration_url: Option<Spanned<String>>,
    pub project: Option<Spanned<String>>,

    pub opens: Option<Spanned<Datetime>>,
    pub closes: Option<Spanned<Datetime>>,
    pub keep_days: Option<Spanned<i64>>,
    pub rate_limit: Option<Spanned<i64>>,
    pub questions: Option<Spanned<Vec<Spanned<RawQuestion>>>>,
    pub results_expected: Option<Spanned<Datetime>>,
    pub outcome: Option<Spanned<RawOutcome>>,
}

/// A call's `[outcome]`: what came of it. `date` and `projects` are shared, `text` is each
/// language's own.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutcome {
    #[serde(default)]
    pub date: Option<Spanned<Datetime>>,
    #[serde(default)]
    pub text: Option<Spanned<String>>,
    #[serde(default)]
    pub projects: Option<Spanned<Vec<String>>>,
}

/// A project's contact as a file writes it: a translation may leave out `email`, which is the
/// primary file's in every language.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContact {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    pub name: String,
    #[serde(default)]
    pub address: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGoal {
    pub title: Spanned<String>,
    pub status: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: Spanned<String>,
    pub kind: Spanned<String>,
    pub label: Spanned<String>,
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default)]
    pub options: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub min: Option<Spanned<i64>>,
    #[serde(default)]
    pub max: Option<Spanned<i64>>,
    #[serde(default)]
    pub min_label: Option<String>,
    #[serde(default)]
    pub max_label: Option<String>,
    #[serde(default)]
    pub max_length: Option<Spanned<i64>>,
}

/// A content file split in two; offsets are bytes into the file.
#[derive(Debug)]
pub struct Split<'a> {
    pub front: &'a str,
    pub front_offset: usize,
    pub body: &'a str,
    pub body_offset: usize,
}

/// Finds the `+++` fences. The file must start with one.
pub fn split(source: &Source) -> Result<Split<'_>, Diagnostic> {
    let text = &*source.text;
    let text_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[text_start..];
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if rest[..first_line_end].trim_end() != "+++" {
        return Err(source
            .error(text_start, "")
            .says(Text::new("frontmatter-no-start")));
    }
    let front_offset = text_start + first_line_end;
    let mut pos = front_offset;
    for line in text[front_offset..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body_offset = pos + line.len();
            return Ok(Split {
                front: &text[front_offset..pos],
                front_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
        pos += line.len();
    }
    Err(source
        .error(text_start, "")
        .says(Text::new("frontmatter-not-closed")))
}

/// Parses the front matter. Byte spans in the result are relative to the front matter; add
/// `split.front_offset` to get a file offset.
pub fn parse(source: &Source, split: &Split<'_>) -> Result<FrontMatter, Diagnostic> {
    toml::from_str(split.front).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        let message = e.message().trim().replace('\n', " ");
        let text = mistakes::explain(split.front, at, &message).unwrap_or_else(|| {
            let key = key_on_line(split.front, at);
            if let Some(unknown) = mistakes::unknown_key(&message) {
                Text::new("frontmatter-unknown-key").arg("key", unknown)
            } else if message.contains("invalid type") && !key.is_empty() {
                Text::new("frontmatter-wrong-type")
                    .arg("key", key)
                    .arg("problem", message)
            } else {
                Text::new("frontmatter-unreadable").arg("problem", message)
            }
        });
        source.error(split.front_offset + at, "").says(text)
    })
}

/// The key written on the line at byte `at` of the front matter (`title` in `title = …`).
fn key_on_line(front: &str, at: usize) -> &str {
    let at = at.min(front.len());
    let start = front[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &front[start..];
    let line = line.split('\n').next().unwrap_or(line);
    let key = line.split('=').next().unwrap_or("").trim();
    if key.is_empty() || key.contains(char::is_whitespace) || key.starts_with('[') {
        ""
    } else {
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let src = Source::new("a.md", "+++\ntitle = \"A\"\n+++\nBody\n");
        let s = split(&src).unwrap();
        assert_eq!(s.front, "title = \"A\"\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(&src.text[s.body_offset..], "Body\n");
    }

    #[test]
    fn unclosed_front_matter_says_what_to_do() {
        let src = Source::new("a.md", "+++\ntitle = \"A\"\nBody\n");
        let e = split(&src).unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.help.unwrap().contains("closing `+++`"));
    }

    #[test]
    fn toml_errors_point_at_the_line_in_the_file() {
        let src = Source::new("a.md", "+++\ntitle = \"A\"\nsummary = B\n+++\n");
        let s = split(&src).unwrap();
        let e = parse(&src, &s).unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
    }
}
