//! What templates see: view structs built for them from the library, with dates already
//! formatted in the page's language, so the model can change without breaking themes.

use jiff::{Timestamp, ZonedDateTime as Zoned};
use serde::Serialize;

use crate::content::{
    CallState, Data, GoalStatus, Item, Kind, Library, ProjectStatus, QuestionKind, Version,
};
use crate::i18n::Strings;

/// A link with a title.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
    pub current: bool,
}

/// A short view of an item, for listings and the home page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    pub kind: Kind,
    pub kind_label: String,
    pub name: String,
    pub title: String,
    pub summary: String,
    pub url: String,
    /// `active`, `open`, `upcoming`… as a CSS hook; `status_label` is the words.
    pub status: String,
    pub status_label: String,
    pub areas: Vec<Link>,
    /// When, in words: an event's time, a call's deadline, a project's period, a page's date.
    pub when: String,
    /// The same moment for `<time datetime>`.
    pub when_iso: String,
    /// The language the card's text is in.
    pub lang: String,
    /// True when the item has no version in the page's language and the card shows another.
    pub fallback: bool,
}

pub struct Ctx<'a> {
    pub lib: &'a Library,
    pub strings: &'a Strings,
    pub lang: &'a str,
    pub now: &'a Timestamp,
}

impl Ctx<'_> {
    pub fn t(&self, key: &str) -> String {
        self.strings.get(key, &[]).unwrap_or_else(|e| e)
    }

    pub fn t_with(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.strings.get(key, args).unwrap_or_else(|e| e)
    }

    /// The item's version in this language, else the primary one.
    pub fn version<'i>(&self, item: &'i Item) -> &'i Version {
        item.version(self.lang).unwrap_or_else(|| item.primary())
    }

    pub fn area_links(&self, names: &[String]) -> Vec<Link> {
        names
            .iter()
            .filter_map(|n| self.lib.by_name(Kind::Area, n))
            .map(|a| {
                let v = self.version(a);
                Link {
                    title: v.title.clone(),
                    url: v.url.clone(),
                    current: false,
                }
            })
            .collect()
    }

    pub fn project_link(&self, name: Option<&String>) -> Option<Link> {
        let p = self.lib.by_name(Kind::Project, name?)?;
        let v = self.version(p);
        Some(Link {
            title: v.title.clone(),
            url: v.url.clone(),
            current: false,
        })
    }

    pub fn project_status(&self, s: ProjectStatus) -> (String, String) {
        let key = match s {
            ProjectStatus::Planned => "planned",
            ProjectStatus::Active => "active",
            ProjectStatus::Completed => "completed",
        };
        (key.to_string(), self.t(&format!("status.project.{key}")))
    }

    pub fn goal_status(&self, s: GoalStatus) -> (String, String) {
        let key = match s {
            GoalStatus::Planned => "planned",
            GoalStatus::OnTrack => "on-track",
            GoalStatus::AtRisk => "at-risk",
            GoalStatus::Achieved => "achieved",
        };
        (key.to_string(), self.t(&format!("status.goal.{key}")))
    }

    pub fn call_state(&self, s: CallState) -> (String, String) {
        let key = match s {
            CallState::Upcoming => "upcoming",
            CallState::Open => "open",
            CallState::Closed => "closed",
        };
        (key.to_string(), self.t(&format!("status.call.{key}")))
    }

    pub fn iso(z: &Zoned) -> String {
        z.timestamp().display_with_offset(z.offset()).to_string()
    }

    pub fn card(&self, item: &Item) -> Card {
        let v = self.version(item);
        let (status, status_label, when, when_iso) = match &item.data {
            Data::Project(p) => {
                let (s, l) = self.project_status(p.status);
                let when = match p.end {
                    Some(end) => format!(
                        "{} – {}",
                        self.strings.date(p.start),
                        self.strings.date(end)
                    ),
                    None => self.t_with("project.since", &[("date", &self.strings.date(p.start))]),
                };
                (s, l, when, p.start.to_string())
            }
            Data::Event(e) => {
                let past = e.end.timestamp() < *self.now;
                let s = if past { "past" } else { "upcoming" };
                (
                    s.to_string(),
                    self.t(&format!("status.event.{s}")),
                    self.strings.span(&e.start, &e.end),
                    Self::iso(&e.start),
                )
            }
            Data::Call(c) => {
                let state = c.state(self.now);
                let (s, l) = self.call_state(state);
                let when = match state {
                    CallState::Upcoming => self.t_with(
                        "call.opens_on",
                        &[("date", &self.strings.datetime(&c.opens))],
                    ),
                    CallState::Open => self.t_with(
                        "call.deadline",
                        &[("date", &self.strings.datetime(&c.closes))],
                    ),
                    CallState::Closed => self.t_with(
                        "call.closed_on",
                        &[("date", &self.strings.date(c.closes.date()))],
                    ),
                };
                let iso = if state == CallState::Upcoming {
                    Self::iso(&c.opens)
                } else {
                    Self::iso(&c.closes)
                };
                (s, l, when, iso)
            }
            Data::Area { .. } | Data::Page { .. } => {
                let date = v.updated.or(v.date);
                (
                    String::new(),
                    String::new(),
                    date.map(|d| self.strings.date(d)).unwrap_or_default(),
                    date.map(|d| d.to_string()).unwrap_or_default(),
                )
            }
        };
        Card {
            kind: item.kind(),
            kind_label: self.t(&format!("kind.{}", item.kind().as_str())),
            name: item.name.clone(),
            title: v.title.clone(),
            summary: v.summary.clone(),
            url: v.url.clone(),
            status,
            status_label,
            areas: self.area_links(item.data.areas()),
            when,
            when_iso,
            lang: v.lang.clone(),
            fallback: v.lang != self.lang,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct GoalView {
    pub title: String,
    pub status: String,
    pub status_label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OptionView {
    pub value: String,
    pub label: String,
    pub field_id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    pub id: String,
    pub field_id: String,
    pub kind: QuestionKind,
    pub label: String,
    pub help: Option<String>,
    pub required: bool,
    pub options: Vec<OptionView>,
    pub min: i64,
    pub max: i64,
    pub min_label: Option<String>,
    pub max_label: Option<String>,
    pub max_length: usize,
}

pub fn question_views(v: &Version) -> Vec<QuestionView> {
    v.questions
        .iter()
        .map(|q| {
            let field_id = format!("q-{}", q.id);
            let options: Vec<OptionView> = if q.kind == QuestionKind::Scale {
                (q.min..=q.max)
                    .map(|n| OptionView {
                        value: n.to_string(),
                        label: n.to_string(),
                        field_id: format!("{field_id}-{n}"),
                    })
                    .collect()
            } else {
                q.options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| OptionView {
                        value: o.clone(),
                        label: o.clone(),
                        field_id: format!("{field_id}-{}", i + 1),
                    })
                    .collect()
            };
            QuestionView {
                id: q.id.clone(),
                field_id,
                kind: q.kind,
                label: q.label.clone(),
                help: q.help.clone(),
                required: q.required,
                options,
                min: q.min,
                max: q.max,
                min_label: q.min_label.clone(),
                max_label: q.max_label.clone(),
                max_length: q.max_length,
            }
        })
        .collect()
}

/// schema.org `Event` for search engines, as JSON safe to put in a `<script>` element.
pub fn event_json_ld(item: &Item, v: &Version, base: &str, organizer: &str) -> String {
    let Some(e) = item.event() else {
        return String::new();
    };
    let mut ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": v.title,
        "description": v.summary,
        "startDate": Ctx::iso(&e.start),
        "endDate": Ctx::iso(&e.end),
        "url": format!("{base}{}", v.url),
        "inLanguage": v.lang,
        "eventStatus": "https://schema.org/EventScheduled",
        "organizer": { "@type": "Organization", "name": organizer },
    });
    let physical = v
        .location
        .as_ref()
        .map(|l| serde_json::json!({ "@type": "Place", "name": l.name, "address": l.address }));
    let online = e
        .online_url
        .as_ref()
        .map(|u| serde_json::json!({ "@type": "VirtualLocation", "url": u }));
    let (mode, location) = match (physical, online) {
        (Some(p), Some(o)) => ("MixedEventAttendanceMode", serde_json::json!([p, o])),
        (Some(p), None) => ("OfflineEventAttendanceMode", p),
        (None, Some(o)) => ("OnlineEventAttendanceMode", o),
        (None, None) => ("OfflineEventAttendanceMode", serde_json::Value::Null),
    };
    ld["eventAttendanceMode"] = format!("https://schema.org/{mode}").into();
    ld["location"] = location;
    serde_json::to_string(&ld)
        .unwrap_or_default()
        .replace("</", "<\\/")
}
