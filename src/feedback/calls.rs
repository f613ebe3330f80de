//! The calls the endpoint accepts answers for, read from the built site's `data/calls.json`.
//!
//! `calls.json` is the contract between the generator and the endpoint ([`crate::calls_json`]):
//! the endpoint never looks at `content/`, so the site can be built anywhere and copied next to
//! it. Besides the calls, it brings the endpoint's sentences in each of the site's languages.
//! The file is reread when it changes on disk (a rebuild swaps the whole output folder in at
//! once), and the built thank-you pages are read at the same moment so that pages served by the
//! endpoint match the site they came with.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use anyhow::{Context, Result};
use jiff::Timestamp;

use crate::calls_json::{CallData, CallsFile};
pub use crate::calls_json::{CallLang, Question, QuestionKind};

use super::messages::Sentences;

/// A call for input with its questions and the moments it opens and closes.
#[derive(Debug, Clone)]
pub struct Call {
    pub id: String,
    pub opens: Timestamp,
    pub closes: Timestamp,
    pub keep_days: Option<u32>,
    /// Answers per minute from one address for this call; `None`: the endpoint's default.
    pub rate_limit: Option<u32>,
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

    /// When the call opens, as the site writes it in `lang` (else in the canonical language).
    pub fn opens_text(&self, lang: &str) -> String {
        self.lang_or_canonical(lang)
            .map_or_else(|| self.opens.to_string(), |l| l.opens_text.clone())
    }

    /// When the call closes, as the site writes it in `lang` (else in the canonical language).
    pub fn closes_text(&self, lang: &str) -> String {
        self.lang_or_canonical(lang)
            .map_or_else(|| self.closes.to_string(), |l| l.closes_text.clone())
    }

    fn lang_or_canonical(&self, lang: &str) -> Option<&CallLang> {
        self.languages
            .get(lang)
            .or_else(|| self.languages.get(&self.canonical_lang))
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
    /// The site's address (`https://example.no`), for links from the console to its pages.
    pub base_url: String,
    calls: HashMap<String, Arc<Call>>,
    /// What the endpoint says, in each of the site's languages.
    pub sentences: Sentences,
    /// Built thank-you pages by language, used as the frame for pages the endpoint serves.
    pub thanks_pages: HashMap<String, String>,
    /// Built call pages by call id and language: an answer with mistakes comes back as its
    /// call's form, filled in, for residents without JavaScript.
    pub call_pages: HashMap<(String, String), String>,
}

impl Site {
    pub fn call(&self, id: &str) -> Option<&Arc<Call>> {
        self.calls.get(id)
    }

    pub fn calls(&self) -> impl Iterator<Item = &Arc<Call>> {
        self.calls.values()
    }

    /// The built page of call `id` in `lang`, if the site has it.
    pub fn call_page(&self, id: &str, lang: &str) -> Option<&str> {
        self.call_pages
            .get(&(id.to_string(), lang.to_string()))
            .map(String::as_str)
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
        let mut call_pages = HashMap::new();
        for call in site.calls.values() {
            for (lang, l) in &call.languages {
                if let Some(html) = read_page(site_dir, &l.url) {
                    call_pages.insert((call.id.clone(), lang.clone()), html);
                }
                if pages.contains_key(lang) {
                    continue;
                }
                if let Some(html) = read_page(site_dir, &l.thanks_url) {
                    pages.insert(lang.clone(), html);
                }
            }
        }
        site.thanks_pages = pages;
        site.call_pages = call_pages;
        Ok(site)
    }

    /// Parses the text of `calls.json`.
    pub fn parse(text: &str) -> Result<Site> {
        Site::from_file(CallsFile::parse(text)?)
    }

    /// The site a calls file describes.
    pub fn from_file(file: CallsFile) -> Result<Site> {
        let mut calls = HashMap::new();
        for c in file.calls {
            let call = Call::from_data(c, &file.default_language)?;
            calls.insert(call.id.clone(), Arc::new(call));
        }
        Ok(Site {
            sentences: Sentences::new(&file.default_language, file.messages),
            default_language: file.default_language,
            base_url: file.base_url,
            calls,
            thanks_pages: HashMap::new(),
            call_pages: HashMap::new(),
        })
    }
}

impl Call {
    fn from_data(c: CallData, default_language: &str) -> Result<Call> {
        let opens: Timestamp = c
            .opens
            .parse()
            .with_context(|| format!("call {}: `opens` is not a time: {}", c.id, c.opens))?;
        let closes: Timestamp = c
            .closes
            .parse()
            .with_context(|| format!("call {}: `closes` is not a time: {}", c.id, c.closes))?;
        let canonical_lang = if c.languages.contains_key(default_language) {
            default_language.to_string()
        } else {
            c.languages.keys().next().cloned().unwrap_or_default()
        };
        Ok(Call {
            id: c.id,
            opens,
            closes,
            keep_days: c.keep_days,
            rate_limit: c.rate_limit,
            languages: c.languages,
            questions: c.questions,
            canonical_lang,
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

/// The call `c` of [`crate::calls_json::sample::file`] with `questions`, for unit tests.
#[cfg(test)]
pub(crate) fn sample_call(questions: Vec<Question>) -> Arc<Call> {
    let file = crate::calls_json::sample::file(questions);
    let site = Site::from_file(file).expect("a sample calls file");
    site.call("c").expect("the sample call").clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls_json::sample;

    #[test]
    fn options_are_found_in_any_language_and_stored_in_the_default_one() {
        let call = sample_call(vec![sample::choice(
            "q",
            false,
            &["Yes", "No"],
            &["Ja", "Nei"],
        )]);
        let q = call.question("q").unwrap();
        assert_eq!(call.option_index(q, "en", "No"), Some(1));
        assert_eq!(call.option_index(q, "nb", "No"), Some(1));
        assert_eq!(call.option_index(q, "en", "Kanskje"), None);
        assert_eq!(call.canonical_options(q), ["Ja", "Nei"]);
    }

    #[test]
    fn a_broken_calls_file_names_itself() {
        let err = Site::parse("{").unwrap_err();
        assert!(
            format!("{err:#}").starts_with("is not a calls file: it has no `format`"),
            "{err:#}"
        );
    }

    #[test]
    fn state_follows_opens_and_closes() {
        let call = sample_call(vec![]);
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
