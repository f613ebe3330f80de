//! The calls the endpoint accepts answers for, read from the built site's `data/calls.json`.
//!
//! `calls.json` is the contract between the generator and the endpoint: the endpoint never
//! looks at `content/`, so the site can be built anywhere and copied next to it. The file is
//! reread when it changes on disk (a rebuild swaps the whole output folder in at once), and the
//! built thank-you pages are read at the same moment so that pages served by the endpoint match
//! the site they came with.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use anyhow::{Context, Result, bail};
use jiff::Timestamp;
use serde::Deserialize;

use crate::content::MAX_ANSWER_CHARS;

/// The `format` of `calls.json` this endpoint understands.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, Deserialize)]
struct CallsFile {
    format: u32,
    default_language: String,
    calls: Vec<CallFile>,
}

#[derive(Debug, Clone, Deserialize)]
struct CallFile {
    id: String,
    opens: String,
    closes: String,
    #[serde(default)]
    keep_days: Option<u32>,
    languages: BTreeMap<String, CallLang>,
    questions: Vec<Question>,
}

/// One language's version of a call, as far as the endpoint needs it.
#[derive(Debug, Clone, Deserialize)]
pub struct CallLang {
    pub title: String,
    /// Where the call's page is on the site.
    pub url: String,
    /// The site's thank-you page in this language.
    pub thanks_url: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
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
}

#[derive(Debug, Clone, Deserialize)]
pub struct Question {
    pub id: String,
    pub kind: QuestionKind,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    #[serde(default)]
    pub max_length: Option<usize>,
    #[serde(default)]
    pub label: BTreeMap<String, String>,
    /// Options per language, in the same order in every language.
    #[serde(default)]
    pub options: BTreeMap<String, Vec<String>>,
}

impl Question {
    /// The scale's bounds: 1–5 unless the call sets them.
    pub fn scale(&self) -> (i64, i64) {
        (self.min.unwrap_or(1), self.max.unwrap_or(5))
    }

    /// Longest accepted text answer in characters; never above [`MAX_ANSWER_CHARS`].
    pub fn max_chars(&self) -> usize {
        self.max_length
            .unwrap_or(MAX_ANSWER_CHARS)
            .min(MAX_ANSWER_CHARS)
    }
}

/// A call for input with its questions and the moments it opens and closes.
#[derive(Debug, Clone)]
pub struct Call {
    pub id: String,
    pub opens: Timestamp,
    pub closes: Timestamp,
    /// As written in `calls.json`, with the site's UTC offset, for messages to residents.
    pub opens_text: String,
    pub closes_text: String,
    pub keep_days: Option<u32>,
    pub languages: BTreeMap<String, CallLang>,
    pub questions: Vec<Question>,
    /// The language whose option texts are stored, so that answers given in any language are
    /// counted together.
    pub canonical_lang: String,
}

/// Where a call stands at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallState {
    Upcoming,
    Open,
    Closed,
}

impl Call {
    pub fn state(&self, now: Timestamp) -> CallState {
        if now < self.opens {
            CallState::Upcoming
        } else if now < self.closes {
            CallState::Open
        } else {
            CallState::Closed
        }
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The canonical option texts of a choice question (empty for other kinds).
    pub fn canonical_options<'a>(&self, q: &'a Question) -> &'a [String] {
        q.options
            .get(&self.canonical_lang)
            .or_else(|| q.options.values().next())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The index of an option given as its text in `lang`, or in any language of the call.
    pub fn option_index(&self, q: &Question, lang: &str, value: &str) -> Option<usize> {
        if let Some(i) = q
            .options
            .get(lang)
            .and_then(|opts| opts.iter().position(|o| o == value))
        {
            return Some(i);
        }
        q.options
            .values()
            .find_map(|opts| opts.iter().position(|o| o == value))
    }
}

/// Everything the endpoint knows about the built site at one moment.
#[derive(Debug, Default)]
pub struct Site {
    pub default_language: String,
    calls: HashMap<String, Arc<Call>>,
    /// Built thank-you pages by language, used as the frame for pages the endpoint serves.
    pub thanks_pages: HashMap<String, String>,
}

impl Site {
    pub fn call(&self, id: &str) -> Option<&Arc<Call>> {
        self.calls.get(id)
    }

    pub fn calls(&self) -> impl Iterator<Item = &Arc<Call>> {
        self.calls.values()
    }

    /// Reads `data/calls.json` and the thank-you pages from a built site folder.
    pub fn load(site_dir: &Path) -> Result<Site> {
        let path = calls_path(site_dir);
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "cannot read {}: build the site first (`torget build`) and point --site at its output folder",
                path.display()
            )
        })?;
        let mut site = Site::parse(&text).with_context(|| format!("{}", path.display()))?;
        let mut pages = HashMap::new();
        for call in site.calls.values() {
            for (lang, l) in &call.languages {
                if pages.contains_key(lang) {
                    continue;
                }
                if let Some(html) = read_page(site_dir, &l.thanks_url) {
                    pages.insert(lang.clone(), html);
                }
            }
        }
        site.thanks_pages = pages;
        Ok(site)
    }

    /// Parses the text of `calls.json`.
    pub fn parse(text: &str) -> Result<Site> {
        let file: CallsFile =
            serde_json::from_str(text).context("is not a calls file this endpoint understands")?;
        if file.format != FORMAT {
            bail!(
                "has format {}, but this endpoint reads format {FORMAT}: use the same torget version to build the site and run the endpoint",
                file.format
            );
        }
        let mut calls = HashMap::new();
        for c in file.calls {
            let opens: Timestamp = c
                .opens
                .parse()
                .with_context(|| format!("call {}: `opens` is not a time: {}", c.id, c.opens))?;
            let closes: Timestamp = c
                .closes
                .parse()
                .with_context(|| format!("call {}: `closes` is not a time: {}", c.id, c.closes))?;
            let canonical_lang = if c.languages.contains_key(&file.default_language) {
                file.default_language.clone()
            } else {
                c.languages.keys().next().cloned().unwrap_or_default()
            };
            let call = Call {
                id: c.id.clone(),
                opens,
                closes,
                opens_text: c.opens,
                closes_text: c.closes,
                keep_days: c.keep_days,
                languages: c.languages,
                questions: c.questions,
                canonical_lang,
            };
            calls.insert(c.id, Arc::new(call));
        }
        Ok(Site {
            default_language: file.default_language,
            calls,
            thanks_pages: HashMap::new(),
        })
    }
}

pub fn calls_path(site_dir: &Path) -> PathBuf {
    site_dir.join("data").join("calls.json")
}

/// Reads a built page by its site URL (`/takk/` → `takk/index.html`).
fn read_page(site_dir: &Path, url: &str) -> Option<String> {
    let rel = url.trim_start_matches('/');
    if rel.split('/').any(|p| p == "..") {
        return None;
    }
    let mut path = site_dir.join(rel);
    if url.ends_with('/') || rel.is_empty() {
        path = path.join("index.html");
    }
    std::fs::read_to_string(path).ok()
}

/// The current site, swapped whole when `calls.json` changes on disk.
#[derive(Debug)]
pub struct SiteHandle {
    dir: PathBuf,
    current: RwLock<(Arc<Site>, Option<Stamp>)>,
}

/// What tells us the file changed: its modification time and length.
type Stamp = (SystemTime, u64);

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

impl SiteHandle {
    pub fn open(dir: &Path) -> Result<SiteHandle> {
        let st = stamp(&calls_path(dir));
        let site = Site::load(dir)?;
        Ok(SiteHandle {
            dir: dir.to_path_buf(),
            current: RwLock::new((Arc::new(site), st)),
        })
    }

    /// A handle over an already loaded site that never reloads (for tests).
    pub fn fixed(site: Site) -> SiteHandle {
        SiteHandle {
            dir: PathBuf::new(),
            current: RwLock::new((Arc::new(site), None)),
        }
    }

    pub fn get(&self) -> Arc<Site> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .0
            .clone()
    }

    /// Reloads if `calls.json` changed since the last load. A file that does not load keeps
    /// the previous site in service and is reported, so a broken deploy never stops answers.
    pub fn reload_if_changed(&self) -> Result<bool> {
        if self.dir.as_os_str().is_empty() {
            return Ok(false);
        }
        let now = stamp(&calls_path(&self.dir));
        {
            let cur = self.current.read().unwrap_or_else(|e| e.into_inner());
            if cur.1 == now {
                return Ok(false);
            }
        }
        let site = Site::load(&self.dir)?;
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = (Arc::new(site), now);
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{"format":1,"default_language":"nb","calls":[{"id":"c","opens":"2020-01-01T00:00:00+01:00","closes":"2030-01-01T00:00:00+01:00","keep_days":null,"areas":[],"project":null,
      "languages":{"en":{"title":"C","url":"/en/c/","thanks_url":"/en/thanks/"},"nb":{"title":"C","url":"/c/","thanks_url":"/takk/"}},
      "questions":[{"id":"q","kind":"choice","required":true,"min":null,"max":null,"max_length":null,"label":{"en":"Q","nb":"S"},"options":{"en":["Yes","No"],"nb":["Ja","Nei"]}}]}]}"#;

    #[test]
    fn options_are_found_in_any_language_and_stored_in_the_default_one() {
        let site = Site::parse(SAMPLE).unwrap();
        let call = site.call("c").unwrap();
        let q = call.question("q").unwrap();
        assert_eq!(call.option_index(q, "en", "No"), Some(1));
        assert_eq!(call.option_index(q, "nb", "No"), Some(1));
        assert_eq!(call.option_index(q, "en", "Kanskje"), None);
        assert_eq!(call.canonical_options(q), ["Ja", "Nei"]);
    }

    #[test]
    fn a_newer_format_is_refused_with_advice() {
        let err = Site::parse(&SAMPLE.replace("\"format\":1", "\"format\":2")).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "has format 2, but this endpoint reads format 1: use the same torget version to build the site and run the endpoint"
        );
    }

    #[test]
    fn state_follows_opens_and_closes() {
        let site = Site::parse(SAMPLE).unwrap();
        let call = site.call("c").unwrap();
        assert_eq!(
            call.state("2019-12-31T22:59:59Z".parse().unwrap()),
            CallState::Upcoming
        );
        assert_eq!(
            call.state("2019-12-31T23:00:00Z".parse().unwrap()),
            CallState::Open
        );
        assert_eq!(
            call.state("2029-12-31T23:00:00Z".parse().unwrap()),
            CallState::Closed
        );
    }
}
