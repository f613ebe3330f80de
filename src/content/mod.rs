//! The site's content: typed items (areas, projects, events, calls, pages) and sections, each in
//! the languages it is written in, with references between them checked and URLs assigned.
//!
//! [`load`] reads `content/` once; everything after it works on the [`Library`].

mod files;
mod frontmatter;
mod items;
mod keys;
mod kinds;
mod links;
mod load;
mod mistakes;
mod questions;
mod reload;
mod results;
mod sections;
mod translations;
pub mod urls;

use std::collections::HashMap;
use std::path::PathBuf;

use indexmap::IndexMap;
use jiff::ZonedDateTime as Zoned;
use jiff::civil::Date;
use serde::Serialize;

use crate::diag::Source;
use crate::markdown::Heading;
pub use files::Cache;
pub use frontmatter::{Contact, Location, Split, split as split_front_matter};
pub(crate) use keys::KEYS;
pub use links::LinkTargets;
pub use load::{LoadOptions, load, load_all, load_all_cached, load_cached};
pub use reload::{Reload, reload};
pub use results::{check_closed, check_results, results_path};
pub use urls::{SPECIAL_PAGES, lang_root, special_url};

/// The typed sections: their folder under `content/` decides the kind of their items.
pub const AREAS: &str = "areas";
pub const PROJECTS: &str = "projects";
pub const EVENTS: &str = "events";
pub const CALLS: &str = "calls";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Area,
    Project,
    Event,
    Call,
    Page,
}

impl Kind {
    pub fn of_section(section: &str) -> Kind {
        match section.split('/').next().unwrap_or("") {
            AREAS => Kind::Area,
            PROJECTS => Kind::Project,
            EVENTS => Kind::Event,
            CALLS => Kind::Call,
            _ => Kind::Page,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Area => "area",
            Kind::Project => "project",
            Kind::Event => "event",
            Kind::Call => "call",
            Kind::Page => "page",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProjectStatus {
    Active,
    Planned,
    Completed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GoalStatus {
    Planned,
    OnTrack,
    AtRisk,
    Achieved,
}

/// A question's kind and the longest text answer are part of the contract with the feedback
/// endpoint; content uses them from there.
pub use crate::calls_json::{MAX_ANSWER_CHARS, QuestionKind};

/// Where a call stands at build time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CallState {
    Upcoming,
    Open,
    Closed,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub areas: Vec<String>,
    pub status: ProjectStatus,
    pub start: Date,
    pub end: Option<Date>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub start: Zoned,
    pub end: Zoned,
    pub online_url: Option<String>,
    pub registration_url: Option<String>,
    pub areas: Vec<String>,
    pub project: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub opens: Zoned,
    pub closes: Zoned,
    pub areas: Vec<String>,
    pub project: Option<String>,
    pub keep_days: Option<u32>,
    /// Answers per minute the endpoint takes from one address for this call; `None`: its default.
    pub rate_limit: Option<u32>,
    /// When results are expected, said on its page while it is closed without them.
    pub results_expected: Option<Date>,
    /// What came of it (`[outcome]`): shown once it is closed.
    pub outcome: Option<Outcome>,
    /// The published results, from `<name>.results.json` beside the call, checked against its
    /// questions.
    pub results: Option<std::sync::Arc<crate::results_json::ResultsFile>>,
}

/// A call's `[outcome]`, the parts shared by every language; each version's text is
/// [`Version::outcome`].
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub date: Date,
    /// Projects started or changed because of the call, by name.
    pub projects: Vec<String>,
}

/// One language's text of a call's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeText {
    /// The language the text is written in: the version's own, or the primary file's when the
    /// translation leaves it out.
    pub lang: String,
    pub markdown: String,
    /// Where `markdown` starts in the version's source, for messages about its links.
    pub offset: usize,
    pub html: String,
    pub text: String,
}

impl Call {
    pub fn state(&self, now: &jiff::Timestamp) -> CallState {
        if *now < self.opens.timestamp() {
            CallState::Upcoming
        } else if *now < self.closes.timestamp() {
            CallState::Open
        } else {
            CallState::Closed
        }
    }
}

/// What an item is, with the data that is the same in every language.
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    Area { order: i64 },
    Project(Project),
    Event(Event),
    Call(Call),
    Page { menu: Option<String>, order: i64 },
}

impl Data {
    pub fn kind(&self) -> Kind {
        match self {
            Data::Area { .. } => Kind::Area,
            Data::Project(_) => Kind::Project,
            Data::Event(_) => Kind::Event,
            Data::Call(_) => Kind::Call,
            Data::Page { .. } => Kind::Page,
        }
    }

    pub fn areas(&self) -> &[String] {
        match self {
            Data::Project(p) => &p.areas,
            Data::Event(e) => &e.areas,
            Data::Call(c) => &c.areas,
            _ => &[],
        }
    }

    /// The projects a call's outcome names.
    pub fn outcome_projects(&self) -> &[String] {
        match self {
            Data::Call(Call {
                outcome: Some(o), ..
            }) => &o.projects,
            _ => &[],
        }
    }

    /// The project an event or call belongs to.
    pub fn project(&self) -> Option<&String> {
        match self {
            Data::Event(e) => e.project.as_ref(),
            Data::Call(c) => c.project.as_ref(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Goal {
    pub title: String,
    pub status: GoalStatus,
}

#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub id: String,
    pub kind: QuestionKind,
    pub label: String,
    pub help: Option<String>,
    pub options: Vec<String>,
    pub required: bool,
    /// Scale bounds (1–5 unless given).
    pub min: i64,
    pub max: i64,
    pub min_label: Option<String>,
    pub max_label: Option<String>,
    /// Longest accepted text answer, in characters.
    pub max_length: usize,
}

/// One language's version of an item: its own file.
#[derive(Debug, Clone)]
pub struct Version {
    pub lang: String,
    pub source: Source,
    pub title: String,
    pub summary: String,
    pub slug: String,
    pub url: String,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    /// Hash of the source-language file this translation was made from (`torget translation mark`).
    pub translation_of: Option<String>,
    pub goals: Vec<Goal>,
    pub questions: Vec<Question>,
    pub location: Option<Location>,
    /// A project's partners in this language: the file's own, else the primary file's.
    pub partners: Vec<String>,
    /// A project's contact: the name in this language (the file's own, else the primary
    /// file's), the primary file's e-mail address.
    pub contact: Option<Contact>,
    /// The body rendered to HTML, links resolved.
    pub html: String,
    /// The body as plain text, for feeds and search.
    pub text: String,
    /// The body's headings with their anchor ids, for links to `#anchors`.
    pub headings: Vec<Heading>,
    /// Where the Markdown body starts in `source`.
    pub body_offset: usize,
    /// A call's `[outcome]` text in this language (or the primary file's).
    pub outcome: Option<OutcomeText>,
    /// Its file says `draft = true`: only loaded when drafts are included (the preview,
    /// `--drafts`), and then its page says it is not published.
    pub draft: bool,
}

impl Version {
    /// The body as written: Markdown.
    pub fn markdown(&self) -> &str {
        self.source.text.get(self.body_offset..).unwrap_or_default()
    }
}

/// One piece of content in all the languages it is written in.
#[derive(Debug, Clone)]
pub struct Item {
    /// Content path of the item, e.g. `projects/universitetsskolen.md`; `@/` links use it.
    pub key: String,
    /// The id other content refers to it by: its file (or folder) name.
    pub name: String,
    /// Folder under `content/`, e.g. `projects` or `nyheter`; empty for top-level pages.
    pub section: String,
    pub data: Data,
    /// In the site's language order.
    pub versions: IndexMap<String, Version>,
    /// Files beside a folder item's `index.md` (absolute path, path relative to the folder),
    /// copied next to its pages with the same relative path.
    pub assets: Vec<(PathBuf, String)>,
}

impl Item {
    pub fn kind(&self) -> Kind {
        self.data.kind()
    }

    /// The version in `lang`, if the item is translated to it.
    pub fn version(&self, lang: &str) -> Option<&Version> {
        self.versions.get(lang)
    }

    /// The version that holds the item's shared data: the default language's, else the first.
    pub fn primary(&self) -> &Version {
        self.versions
            .values()
            .next()
            .expect("an item has at least one version")
    }

    pub fn project(&self) -> Option<&Project> {
        match &self.data {
            Data::Project(p) => Some(p),
            _ => None,
        }
    }

    pub fn event(&self) -> Option<&Event> {
        match &self.data {
            Data::Event(e) => Some(e),
            _ => None,
        }
    }

    pub fn call(&self) -> Option<&Call> {
        match &self.data {
            Data::Call(c) => Some(c),
            _ => None,
        }
    }

    /// Newest date worth telling a feed reader.
    pub fn feed_date(&self, v: &Version) -> Option<jiff::Timestamp> {
        let tz = jiff::tz::TimeZone::UTC;
        let date = |d: Date| d.to_zoned_datetime(tz.clone()).ok().map(|z| z.timestamp());
        v.updated
            .and_then(date)
            .or_else(|| v.date.and_then(date))
            .or_else(|| match &self.data {
                Data::Event(e) => Some(e.start.timestamp()),
                Data::Call(c) => Some(c.opens.timestamp()),
                Data::Project(p) => date(p.start),
                _ => None,
            })
    }
}

/// One language's description of a section, from `_index.<lang>.md`.
#[derive(Debug, Clone)]
pub struct SectionVersion {
    pub lang: String,
    pub title: String,
    pub summary: String,
    pub slug: String,
    pub url: String,
    /// The body rendered to HTML, links resolved; empty without an `_index` file.
    pub html: String,
    /// The body as plain text, for search.
    pub text: String,
    /// False when no `_index` file exists for the language and the section is described by the
    /// theme's defaults.
    pub written: bool,
    /// The `_index` file, when there is one, for messages about its body.
    pub source: Option<Source>,
    /// The body's headings with their anchor ids.
    pub headings: Vec<Heading>,
    pub body_offset: usize,
}

impl SectionVersion {
    /// The body as written: Markdown; empty without an `_index` file.
    pub fn markdown(&self) -> &str {
        self.source
            .as_ref()
            .and_then(|s| s.text.get(self.body_offset..))
            .unwrap_or_default()
    }
}

/// A folder under `content/`; the root (`""`) is the home page.
#[derive(Debug, Clone)]
pub struct Section {
    pub path: String,
    pub kind: Kind,
    pub versions: IndexMap<String, SectionVersion>,
}

/// All content, loaded and checked.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub items: Vec<Item>,
    pub sections: Vec<Section>,
    /// (kind, name) → position in `items`, so lookups stay constant-time on large sites.
    index: HashMap<(Kind, String), usize>,
    /// Project name → positions of the events and calls that name it.
    by_project: HashMap<String, Vec<usize>>,
    /// Content path → position in `items`.
    by_key: HashMap<String, usize>,
    /// Where `@/` links lead; the bodies were rendered with these.
    pub(crate) links: LinkTargets,
}

impl Library {
    pub fn new(items: Vec<Item>, sections: Vec<Section>) -> Library {
        let mut lib = Library {
            items,
            sections,
            ..Library::default()
        };
        lib.reindex();
        lib
    }

    fn reindex(&mut self) {
        let items = &self.items;
        self.index = items
            .iter()
            .enumerate()
            .map(|(i, item)| ((item.kind(), item.name.clone()), i))
            .collect();
        self.by_key = items
            .iter()
            .enumerate()
            .map(|(i, item)| (item.key.clone(), i))
            .collect();
        self.by_project = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(p) = item.data.project() {
                self.by_project.entry(p.clone()).or_default().push(i);
            }
        }
    }

    /// The item at a content path, e.g. `projects/universitetsskolen.md`.
    pub fn by_key(&self, key: &str) -> Option<&Item> {
        self.by_key.get(key).map(|&i| &self.items[i])
    }

    /// Puts `item` in place of the item with the same key; returns the one it replaced.
    pub(crate) fn replace(&mut self, item: Item) -> Option<Item> {
        let &i = self.by_key.get(&item.key)?;
        let old = std::mem::replace(&mut self.items[i], item);
        let new = &self.items[i];
        if old.name != new.name
            || old.kind() != new.kind()
            || old.data.project() != new.data.project()
        {
            self.reindex();
        }
        Some(old)
    }

    /// Events and calls that belong to a project.
    pub fn of_project(&self, name: &str) -> impl Iterator<Item = &Item> {
        self.by_project
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| &self.items[i])
    }

    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(move |i| i.kind() == kind)
    }

    pub fn by_name(&self, kind: Kind, name: &str) -> Option<&Item> {
        self.index
            .get(&(kind, name.to_string()))
            .map(|&i| &self.items[i])
    }

    pub fn section(&self, path: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.path == path)
    }

    /// Areas in their display order.
    pub fn areas(&self) -> Vec<&Item> {
        let mut areas: Vec<&Item> = self.of_kind(Kind::Area).collect();
        areas.sort_by_key(|a| match a.data {
            Data::Area { order } => (order, a.name.clone()),
            _ => (0, a.name.clone()),
        });
        areas
    }
}
