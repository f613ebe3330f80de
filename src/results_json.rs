//! A call's published results, `content/calls/<name>.results.json`: the contract between the
//! feedback endpoint, which serves the snapshot staff published (`GET /api/calls/{id}/results`),
//! `torget results pull`, which writes it beside the call, and the build, which reads it. One set
//! of serde types with a format version, like [`crate::calls_json`], and a leaf like it.
//!
//! What the file holds is only what staff chose to publish: the number of responses, counts per
//! option of the choice, multi-choice and scale questions they picked, and themes with a count
//! and a few quotes they picked and may have shortened. Free text is never in it by itself.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The version of the file's shape; bump it on any change an older reader would misread.
pub const FORMAT: u32 = 1;

/// The whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultsFile {
    pub format: u32,
    /// The call's id: its file name in `content/calls/`.
    pub call: String,
    /// When staff published the snapshot.
    pub published: jiff::Timestamp,
    /// How many responses the call had when it was published (hidden answers left out).
    pub responses: u64,
    /// The published questions, in the order staff chose.
    #[serde(default)]
    pub questions: Vec<QuestionCounts>,
    #[serde(default)]
    pub themes: Vec<Theme>,
}

/// One published question: how many answers chose each option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionCounts {
    pub id: String,
    /// Option → answers. Keys are an option's text in the site's default language (as the
    /// endpoint stores answers), or a scale's value as digits (`"1"` … `"5"`).
    pub counts: BTreeMap<String, u64>,
}

/// What staff heard again and again, in their words, with how many answers said it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// Language → label; a language without one shows the default language's.
    pub label: BTreeMap<String, String>,
    pub count: u64,
    #[serde(default)]
    pub quotes: Vec<Quote>,
}

/// A resident's words as staff picked (and perhaps shortened) them, in the language written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    pub lang: String,
    pub text: String,
}

/// Why a text is not a results file this torget reads: what is wrong, what to do, and the line
/// when the JSON itself is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub help: String,
    pub line: Option<usize>,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.help)
    }
}

impl std::error::Error for ParseError {}

/// Only the format, read before anything else so an unknown format is named as such.
#[derive(Deserialize)]
struct Header {
    format: Option<serde_json::Value>,
}

impl ResultsFile {
    /// The file's text as `torget results pull` and the console write it: pretty, one newline
    /// at the end, so a Git diff of two snapshots shows what changed.
    pub fn to_json(&self) -> String {
        let mut text =
            serde_json::to_string_pretty(self).expect("results serialize: string keys only");
        text.push('\n');
        text
    }

    /// Reads a results file's text; a file of another format is refused before its shape is
    /// looked at.
    pub fn parse(text: &str) -> Result<ResultsFile, ParseError> {
        let again =
            "download the results again from the staff console, or run `torget results pull`";
        let broken = |e: serde_json::Error, what: &str| ParseError {
            message: format!("{what}: {e}"),
            help: again.to_string(),
            line: (e.line() > 0).then_some(e.line()),
        };
        let header: Header =
            serde_json::from_str(text).map_err(|e| broken(e, "is not a results file"))?;
        match header.format {
            Some(serde_json::Value::Number(n)) if n.as_u64() == Some(u64::from(FORMAT)) => {}
            Some(other) => {
                let newer = other.as_u64().is_some_and(|n| n > u64::from(FORMAT));
                return Err(ParseError {
                    message: format!(
                        "results format {other}, but this torget reads format {FORMAT}"
                    ),
                    help: if newer {
                        "upgrade torget to the version the feedback endpoint runs".into()
                    } else {
                        format!("{again} with this torget")
                    },
                    line: None,
                });
            }
            None => {
                return Err(ParseError {
                    message: "is not a results file: it has no `format`".into(),
                    help: again.into(),
                    line: None,
                });
            }
        }
        serde_json::from_str(text).map_err(|e| broken(e, "is not a results file torget reads"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUE_EXAMPLE: &str = r#"{"format": 1, "call": "skolestart", "published": "2025-01-15T10:00:00Z", "responses": 412,
 "questions": [{"id": "bydel", "counts": {"Lade": 120, "Midtbyen": 80}},
               {"id": "viktighet", "counts": {"1": 3, "2": 10, "3": 50, "4": 150, "5": 199}}],
 "themes": [{"label": {"nb": "Flere benker", "en": "More benches"}, "count": 57,
             "quotes": [{"lang": "nb", "text": "Flere benker ved lekeplassen."}]}]}"#;

    #[test]
    fn the_example_of_the_contract_reads_and_writes_back_the_same() {
        let file = ResultsFile::parse(ISSUE_EXAMPLE).unwrap();
        assert_eq!(file.call, "skolestart");
        assert_eq!(file.responses, 412);
        assert_eq!(file.questions[1].counts["5"], 199);
        assert_eq!(file.themes[0].label["en"], "More benches");
        assert_eq!(file.published.to_string(), "2025-01-15T10:00:00Z");
        assert_eq!(ResultsFile::parse(&file.to_json()).unwrap(), file);
    }

    #[test]
    fn another_format_is_named_before_the_shape_is_looked_at() {
        let e = ResultsFile::parse(r#"{"format": 2, "call": 7}"#).unwrap_err();
        assert_eq!(
            e.message,
            "results format 2, but this torget reads format 1"
        );
        assert_eq!(
            e.help,
            "upgrade torget to the version the feedback endpoint runs"
        );
        let e = ResultsFile::parse(r#"{"call": "x"}"#).unwrap_err();
        assert_eq!(e.message, "is not a results file: it has no `format`");
    }

    #[test]
    fn broken_json_says_where() {
        let e = ResultsFile::parse("{\"format\": 1,\n \"call\": }").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.starts_with("is not a results file: "), "{e}");
        let e = ResultsFile::parse(r#"{"format": 1, "call": "x", "responses": 1}"#).unwrap_err();
        assert_eq!(
            e.message,
            "is not a results file torget reads: missing field `published` at line 1 column 42"
        );
    }
}
