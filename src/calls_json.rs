//! `data/calls.json`: the contract between the generator, which writes it, and the feedback
//! endpoint, which reads it, as one set of types with a format version and the limits both
//! sides keep.
//!
//! It sits at the bottom of the crate and imports nothing of it, so the pipeline (`content`,
//! `emit`) and the endpoint (`feedback`) can both depend on it without the endpoint depending
//! on the pipeline. Like mdBook's `RenderContext`, one type is serialized on one side of the
//! boundary and deserialized on the other, so the two cannot drift apart; `format` says when
//! they did, because a site built by one torget may be served by another.
//!
//! Besides the calls and their questions, the file carries the endpoint's sentences for each
//! of the site's languages (the `endpoint.*` keys of `i18n/<lang>.toml`), so the endpoint
//! speaks every language the site has, in the site's own words.

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

/// The version of the file's shape; bump it on any change an older reader would misread.
/// 2 added `torget`, `messages` and each language's `opens_text` and `closes_text`.
pub const FORMAT: u32 = 2;

/// Longest text answer the endpoint accepts, whatever a call says.
pub const MAX_ANSWER_CHARS: usize = 10_000;

/// Largest JSON body the endpoint reads, in bytes.
pub const MAX_BODY: usize = 64 * 1024;

/// Largest form post the endpoint reads, in bytes: three times [`MAX_BODY`], because a form
/// percent-encodes each byte outside ASCII as three (`%C3`) where JSON writes it as one, so a
/// form can carry every answer the JSON route accepts (10,000 characters of a three-byte script
/// are 30,000 bytes of JSON and 90,000 of form).
pub const MAX_FORM_BODY: usize = 3 * MAX_BODY;

/// The most answers per minute from one address a call may allow (`rate_limit`).
pub const MAX_RATE_LIMIT: u32 = 10_000;

/// Scale bounds of a question that does not set them.
pub const DEFAULT_SCALE: (i64, i64) = (1, 5);

/// The torget that writes the file, named in it so a reader can say which versions disagree.
const WRITER: &str = concat!("torget ", env!("CARGO_PKG_VERSION"));

/// The whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallsFile {
    pub format: u32,
    /// The torget that wrote the file (`torget 0.1.0`).
    pub torget: String,
    /// The site's address; `url` and `thanks_url` below are paths under it.
    pub base_url: String,
    pub default_language: String,
    pub calls: Vec<CallData>,
    /// The endpoint's sentences by language, then by key (`closed`, `too_long` …): the site's
    /// `endpoint.*` i18n keys, with `{name}` placeholders left in for the endpoint to fill.
    pub messages: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallData {
    pub id: String,
    /// RFC 3339 with the site's UTC offset.
    pub opens: String,
    pub closes: String,
    pub keep_days: Option<u32>,
    /// Answers per minute the endpoint takes from one address for this call, from the call's
    /// `rate_limit`; `None` (or absent, in files written before it): the endpoint's default.
    #[serde(default)]
    pub rate_limit: Option<u32>,
    pub areas: Vec<String>,
    pub project: Option<String>,
    pub languages: BTreeMap<String, CallLang>,
    pub questions: Vec<Question>,
}

/// One language's version of a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallLang {
    pub title: String,
    /// Where the call's page is on the site.
    pub url: String,
    /// Where the endpoint sends a resident after a form post, in this language.
    pub thanks_url: String,
    /// When the call opens and closes, as the site writes dates in this language.
    pub opens_text: String,
    pub closes_text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    Text,
    Longtext,
    Choice,
    Multichoice,
    Scale,
}

impl QuestionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Text => "text",
            QuestionKind::Longtext => "longtext",
            QuestionKind::Choice => "choice",
            QuestionKind::Multichoice => "multichoice",
            QuestionKind::Scale => "scale",
        }
    }

    pub fn has_options(self) -> bool {
        matches!(self, QuestionKind::Choice | QuestionKind::Multichoice)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub kind: QuestionKind,
    pub required: bool,
    /// Scale bounds; null for other kinds.
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// Longest text answer in characters; null for other kinds.
    pub max_length: Option<usize>,
    /// Label per language.
    pub label: BTreeMap<String, String>,
    /// Options per language, in the same order in every language; the default language's text
    /// is the canonical value. Empty for kinds without options.
    pub options: BTreeMap<String, Vec<String>>,
}

impl Question {
    /// The scale's bounds: [`DEFAULT_SCALE`] unless the call sets them.
    pub fn scale(&self) -> (i64, i64) {
        (
            self.min.unwrap_or(DEFAULT_SCALE.0),
            self.max.unwrap_or(DEFAULT_SCALE.1),
        )
    }

    /// Longest accepted text answer in characters; never above [`MAX_ANSWER_CHARS`].
    pub fn max_chars(&self) -> usize {
        self.max_length
            .unwrap_or(MAX_ANSWER_CHARS)
            .min(MAX_ANSWER_CHARS)
    }
}

/// Just enough of any format to tell which one it is and who wrote it.
#[derive(Deserialize)]
struct Header {
    format: u32,
    #[serde(default)]
    torget: Option<String>,
}

impl CallsFile {
    /// A file in this torget's format; `torget` names this binary.
    pub fn new(
        base_url: String,
        default_language: String,
        calls: Vec<CallData>,
        messages: BTreeMap<String, BTreeMap<String, String>>,
    ) -> CallsFile {
        CallsFile {
            format: FORMAT,
            torget: WRITER.to_string(),
            base_url,
            default_language,
            calls,
            messages,
        }
    }

    /// The file's text, as the build writes it.
    pub fn to_json(&self) -> Result<Vec<u8>> {
        Ok(serde_json::to_vec_pretty(self)?)
    }

    /// Reads the file's text. A file of another format is refused with which torget wrote it,
    /// which one reads it, and what to do, before its shape is looked at.
    pub fn parse(text: &str) -> Result<CallsFile> {
        let header: Header = serde_json::from_str(text).context(
            "is not a calls file: it has no `format` (is it data/calls.json of a torget site?)",
        )?;
        if header.format != FORMAT {
            let writer = header
                .torget
                .unwrap_or_else(|| "an older torget".to_string());
            let advice = if header.format > FORMAT {
                format!("upgrade the torget that runs the endpoint to {writer} or later")
            } else {
                format!("build the site again with {WRITER}")
            };
            bail!(
                "was written by {writer} in format {}, but this endpoint is {WRITER} and reads format {FORMAT}: {advice}",
                header.format
            );
        }
        serde_json::from_str(text).context("is not a calls file this endpoint understands")
    }
}

/// Small calls files for the endpoint's unit tests, built from the contract's own types.
#[cfg(test)]
pub(crate) mod sample {
    use super::*;

    /// A file with one call `c`, open 2020–2030, in `nb` (the default) and `en`, and the
    /// endpoint's sentences in both languages from the embedded i18n files.
    pub(crate) fn file(questions: Vec<Question>) -> CallsFile {
        let lang = |url: &str, thanks: &str| CallLang {
            title: "C".into(),
            url: url.into(),
            thanks_url: thanks.into(),
            opens_text: "1. januar 2020".into(),
            closes_text: "1. januar 2030".into(),
        };
        let call = CallData {
            id: "c".into(),
            opens: "2020-01-01T00:00:00+01:00".into(),
            closes: "2030-01-01T00:00:00+01:00".into(),
            keep_days: None,
            rate_limit: Some(300),
            areas: vec![],
            project: None,
            languages: BTreeMap::from([
                ("en".into(), lang("/en/c/", "/en/thanks/")),
                ("nb".into(), lang("/c/", "/takk/")),
            ]),
            questions,
        };
        CallsFile::new(
            "https://site.example".into(),
            "nb".into(),
            vec![call],
            BTreeMap::from([("nb".into(), messages("nb")), ("en".into(), messages("en"))]),
        )
    }

    /// The `[endpoint]` table of the embedded `i18n/<lang>.toml`.
    pub(crate) fn messages(lang: &str) -> BTreeMap<String, String> {
        let text = match lang {
            "nb" => include_str!("../i18n/nb.toml"),
            _ => include_str!("../i18n/en.toml"),
        };
        let table: toml::Table = toml::from_str(text).expect("embedded i18n parses");
        table["endpoint"]
            .as_table()
            .expect("an [endpoint] table")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().expect("a sentence").to_string()))
            .collect()
    }

    fn question(id: &str, kind: QuestionKind) -> Question {
        Question {
            id: id.into(),
            kind,
            required: false,
            min: None,
            max: None,
            max_length: None,
            label: BTreeMap::new(),
            options: BTreeMap::new(),
        }
    }

    /// A choice (or, with `many`, multichoice) question with options in `en` and `nb`.
    pub(crate) fn choice(id: &str, many: bool, en: &[&str], nb: &[&str]) -> Question {
        let kind = if many {
            QuestionKind::Multichoice
        } else {
            QuestionKind::Choice
        };
        let texts = |o: &[&str]| o.iter().map(|s| s.to_string()).collect();
        Question {
            options: BTreeMap::from([("en".into(), texts(en)), ("nb".into(), texts(nb))]),
            ..question(id, kind)
        }
    }

    pub(crate) fn scale(id: &str, min: i64, max: i64) -> Question {
        Question {
            min: Some(min),
            max: Some(max),
            ..question(id, QuestionKind::Scale)
        }
    }

    /// A text (or, with `long`, longtext) question.
    pub(crate) fn text(id: &str, long: bool, max_length: Option<usize>) -> Question {
        let kind = if long {
            QuestionKind::Longtext
        } else {
            QuestionKind::Text
        };
        Question {
            max_length,
            ..question(id, kind)
        }
    }

    pub(crate) fn required(q: Question) -> Question {
        Question {
            required: true,
            ..q
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feedback::calls::Site;

    #[test]
    fn what_the_build_writes_the_endpoint_reads() {
        let written = sample::file(vec![
            sample::required(sample::choice(
                "pick",
                false,
                &["Yes", "No"],
                &["Ja", "Nei"],
            )),
            sample::scale("n", -2, 2),
            sample::text("t", false, Some(200)),
        ]);
        let text = String::from_utf8(written.to_json().unwrap()).unwrap();
        assert_eq!(CallsFile::parse(&text).unwrap(), written);
        let site = Site::parse(&text).unwrap();
        let call = site.call("c").unwrap();
        assert_eq!(call.languages["en"].thanks_url, "/en/thanks/");
        assert_eq!(call.question("n").unwrap().scale(), (-2, 2));
        assert_eq!(call.question("t").unwrap().max_chars(), 200);
        assert_eq!(
            call.canonical_options(call.question("pick").unwrap()),
            ["Ja", "Nei"]
        );
    }

    #[test]
    fn a_file_from_a_newer_torget_is_refused_with_what_to_do() {
        let mut newer = sample::file(vec![]);
        newer.format = FORMAT + 1;
        newer.torget = "torget 9.0.0".into();
        let text = String::from_utf8(newer.to_json().unwrap()).unwrap();
        let err = CallsFile::parse(&text).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            format!(
                "was written by torget 9.0.0 in format 3, but this endpoint is {WRITER} and reads format 2: \
                 upgrade the torget that runs the endpoint to torget 9.0.0 or later"
            )
        );
    }

    #[test]
    fn a_file_from_an_older_torget_asks_for_a_new_build() {
        let err =
            CallsFile::parse(r#"{"format":1,"default_language":"nb","calls":[]}"#).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            format!(
                "was written by an older torget in format 1, but this endpoint is {WRITER} and reads format 2: \
                 build the site again with {WRITER}"
            )
        );
    }
}
