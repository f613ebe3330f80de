//! Deciding what a change reaches: [`scope`] sorts changed paths, [`diff`] finds the items
//! two loads differ in, and [`touch`] names the pages and files a content change reaches.

use std::collections::BTreeSet;
use std::path::{Component, PathBuf};
use std::sync::Arc;

use crate::content::{Item, Kind, Library};
use crate::render::pages::Pages;

/// What a set of changed paths (relative to the site root) reaches.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Templates, translations or settings changed: every page may change.
    pub everything: bool,
    /// Theme assets or `static/` files changed.
    pub assets: bool,
    /// Files under `content/` that changed, were added or were removed.
    pub content: Vec<PathBuf>,
}

impl Scope {
    pub fn is_empty(&self) -> bool {
        !self.everything && !self.assets && self.content.is_empty()
    }
}

/// Sorts changed paths by what they reach; `theme` is the site's theme folder name.
pub fn scope(paths: &[PathBuf], theme: &str) -> Scope {
    let mut s = Scope::default();
    for p in paths {
        let parts: Vec<&str> = p
            .components()
            .filter_map(|c| match c {
                Component::Normal(n) => n.to_str(),
                _ => None,
            })
            .collect();
        match parts.as_slice() {
            ["site.toml"] => s.everything = true,
            ["i18n", ..] | ["templates", ..] => s.everything = true,
            ["themes", t, "templates", ..] if *t == theme => s.everything = true,
            ["themes", t, "static", ..] if *t == theme => s.assets = true,
            ["static", ..] => s.assets = true,
            ["content", ..] => s.content.push(p.clone()),
            _ => {}
        }
    }
    s.content.sort();
    s.content.dedup();
    s
}

/// Which pages and files a content change reaches.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Touch {
    /// Why every page must be rendered again, when it must.
    pub everything: Option<String>,
    /// Items whose own pages changed (keys): rendered and reloaded first.
    pub own: BTreeSet<String>,
    /// Items whose pages show a changed item: its areas, its project, a project's events and
    /// calls.
    pub items: BTreeSet<String>,
    /// Sections whose listing shows a changed item (`""` is the home page).
    pub sections: BTreeSet<String>,
    pub feeds: bool,
    pub calendars: bool,
    pub projects_json: bool,
    pub events_json: bool,
    pub calls_json: bool,
    /// The open-data pages, which show each dataset's last change (`updated` too, which no
    /// card shows): after any change to a project, event or call.
    pub open_data: bool,
    /// The results pages, which list calls with outcomes.
    pub results: bool,
    /// Pages were added or removed or moved: the sitemap and every file's place may change.
    pub urls: bool,
}

/// One changed item: before and after (none when added or removed).
pub type Change<'a> = (Option<&'a Item>, Option<&'a Item>);

/// What `changes` reach in the site whose pages are now `pages`: the changed items' own pages,
/// and when other pages show them differently ([`Pages::shown`]), those pages
/// ([`Pages::showing`], before and after the change).
pub fn touch(changes: &[Change<'_>], pages: &Pages<'_>) -> Touch {
    let mut t = Touch::default();
    for &(old, new) in changes {
        let Some(any) = new.or(old) else { continue };
        let kind = any.kind();
        t.feeds |= kind != Kind::Area;
        match kind {
            Kind::Project => t.projects_json = true,
            Kind::Event => {
                t.events_json = true;
                t.calendars = true;
            }
            Kind::Call => t.calls_json = true,
            _ => {}
        }
        t.open_data |= matches!(kind, Kind::Project | Kind::Event | Kind::Call);
        if let (Some(o), Some(n)) = (old, new)
            && pages.shown(o) == pages.shown(n)
        {
            // Only its own pages (and the feeds and files that hold its text) change.
            t.own.insert(n.key.clone());
            continue;
        }
        let urls = |i: Option<&Item>| -> Vec<(String, String)> {
            i.map(|i| {
                i.versions
                    .iter()
                    .map(|(l, v)| (l.clone(), v.url.clone()))
                    .collect()
            })
            .unwrap_or_default()
        };
        if urls(old) != urls(new) {
            t.urls = true;
        }
        if let Some(n) = new {
            t.own.insert(n.key.clone());
        }
        for i in old.into_iter().chain(new) {
            let showing = pages.showing(i);
            if let Some(why) = showing.everywhere {
                t.everything = Some(why);
                return t;
            }
            t.items.extend(showing.items);
            t.sections.extend(showing.sections);
            t.results |= showing.results;
        }
    }
    for key in &t.own {
        t.items.remove(key);
    }
    t
}

/// The items that differ between two loads of a site, and whether any section differs.
pub fn diff<'a>(old: &'a Library, new: &'a Library) -> (Vec<Change<'a>>, bool) {
    let mut changes = Vec::new();
    for n in &new.items {
        match old.by_key(&n.key) {
            Some(o) if same_item(o, n) => {}
            o => changes.push((o, Some(n))),
        }
    }
    for o in &old.items {
        if new.by_key(&o.key).is_none() {
            changes.push((Some(o), None));
        }
    }
    let sections_changed = old.sections.len() != new.sections.len()
        || old.sections.iter().zip(&new.sections).any(|(a, b)| {
            a.path != b.path
                || a.versions.len() != b.versions.len()
                || a.versions.values().zip(b.versions.values()).any(|(x, y)| {
                    (&x.lang, &x.title, &x.summary, &x.url, &x.html, x.written)
                        != (&y.lang, &y.title, &y.summary, &y.url, &y.html, y.written)
                })
        });
    (changes, sections_changed)
}

fn same_item(a: &Item, b: &Item) -> bool {
    a.versions.len() == b.versions.len()
        && a.assets == b.assets
        // A call's results file is data beside its files.
        && a.data == b.data
        && a.versions.values().zip(b.versions.values()).all(|(x, y)| {
            x.lang == y.lang
                && x.url == y.url
                && (Arc::ptr_eq(&x.source.text, &y.source.text) || x.source.text == y.source.text)
                && x.html == y.html
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Data;
    use crate::site::{self, Site};

    fn fixture() -> Site {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        site::load(&root, false).unwrap()
    }

    /// What `changes` touch in `site` as it is.
    fn touch_in(site: &Site, changes: &[Change<'_>]) -> Touch {
        let now = jiff::Timestamp::UNIX_EPOCH;
        let inputs = crate::render::pages::Inputs {
            config: &site.config,
            i18n: &site.i18n,
            lib: &site.lib,
            now: &now,
            css_url: "/style.css".into(),
            js_url: "/torget.js".into(),
            search_js_url: "/search.js".into(),
        };
        touch(changes, &Pages::new(&inputs))
    }

    fn keys(set: &BTreeSet<String>) -> Vec<&str> {
        set.iter().map(String::as_str).collect()
    }

    /// What editing the title of the item at `key` touches.
    fn edit(site: &Site, key: &str) -> Touch {
        let old = site.lib.by_key(key).unwrap();
        let mut new = old.clone();
        new.versions[0].title.push_str(" (ny)");
        touch_in(site, &[(Some(old), Some(&new))])
    }

    #[test]
    fn a_body_edit_touches_only_the_items_own_pages() {
        let site = fixture();
        for key in ["events/hagedag.md", "areas/byutvikling.md", "om.md"] {
            let old = site.lib.by_key(key).unwrap();
            let mut new = old.clone();
            new.versions[0].html.push_str("<p>Mer.</p>");
            let t = touch_in(&site, &[(Some(old), Some(&new))]);
            assert_eq!(t.everything, None, "{key}");
            assert_eq!(keys(&t.own), [key]);
            assert!(t.items.is_empty() && t.sections.is_empty(), "{key}: {t:?}");
        }
        let old = site.lib.by_key("events/hagedag.md").unwrap();
        let t = touch_in(&site, &[(Some(old), Some(old))]);
        assert!(
            t.feeds && t.calendars && t.events_json,
            "an event's text is in its calendar"
        );
    }

    #[test]
    fn an_event_touches_its_listing_home_areas_project_and_calendars() {
        let site = fixture();
        let t = edit(&site, "events/hagedag.md");
        assert_eq!(t.everything, None);
        assert_eq!(keys(&t.own), ["events/hagedag.md"]);
        assert_eq!(keys(&t.sections), ["", "events"]);
        assert_eq!(
            keys(&t.items),
            ["areas/byutvikling.md", "projects/skolehage.md"]
        );
        assert!(t.feeds && t.calendars && t.events_json);
        assert!(!t.projects_json && !t.calls_json && !t.urls);
    }

    #[test]
    fn a_project_touches_its_events_and_calls() {
        let site = fixture();
        let t = edit(&site, "projects/skolehage.md");
        assert_eq!(keys(&t.sections), ["", "projects"]);
        assert_eq!(
            keys(&t.items),
            [
                "areas/byutvikling.md",
                "calls/hagen.md",
                "events/hagedag.md"
            ]
        );
        assert!(t.projects_json && !t.calendars && !t.events_json);
    }

    #[test]
    fn a_call_touches_calls_json() {
        let site = fixture();
        let t = edit(&site, "calls/hagen.md");
        assert_eq!(keys(&t.sections), ["", "calls"]);
        assert!(t.calls_json && !t.calendars);
    }

    #[test]
    fn a_moved_item_touches_its_old_and_new_neighbours() {
        let site = fixture();
        let old = site.lib.by_key("events/hagedag.md").unwrap();
        let mut new = old.clone();
        if let Data::Event(e) = &mut new.data {
            e.project = None;
            e.areas.clear();
        }
        let t = touch_in(&site, &[(Some(old), Some(&new))]);
        assert_eq!(
            keys(&t.items),
            ["areas/byutvikling.md", "projects/skolehage.md"]
        );
        // Moved to another URL: the sitemap and the old page's file change too.
        new.versions["nb"].url = "/arrangementer/hagedagen/".into();
        assert!(touch_in(&site, &[(Some(old), Some(&new))]).urls);
        assert!(touch_in(&site, &[(None, Some(old))]).urls);
        let removed = touch_in(&site, &[(Some(old), None)]);
        assert!(removed.urls && removed.own.is_empty());
        assert_eq!(keys(&removed.sections), ["", "events"]);
    }

    #[test]
    fn a_removed_translation_touches_listings_showing_the_fallback_card() {
        let site = fixture();
        let old = site.lib.by_key("events/hagedag.md").unwrap();
        let mut new = old.clone();
        new.versions.shift_remove("en");
        let t = touch_in(&site, &[(Some(old), Some(&new))]);
        assert_eq!(keys(&t.sections), ["", "events"]);
        assert!(t.urls, "the English page is gone");
    }

    #[test]
    fn areas_and_menu_pages_touch_everything() {
        let site = fixture();
        let area = edit(&site, "areas/byutvikling.md");
        assert!(area.everything.unwrap().contains("area"));
        // `om.md` is in the main menu.
        let menu = edit(&site, "om.md");
        assert!(menu.everything.unwrap().contains("menu"));
        // A page outside any menu, in a section, touches its section's listing only.
        let mut page = site.lib.by_key("om.md").unwrap().clone();
        page.data = Data::Page {
            menu: None,
            order: 0,
        };
        page.section = "nyheter".into();
        let mut retitled = page.clone();
        retitled.versions[0].title.push_str(" (ny)");
        let t = touch_in(&site, &[(Some(&page), Some(&retitled))]);
        assert_eq!(t.everything, None);
        assert_eq!(keys(&t.sections), ["nyheter"]);
        assert!(t.items.is_empty() && t.feeds && !t.calendars);
    }

    #[test]
    fn diff_finds_changed_added_and_removed_items() {
        let a = fixture();
        let b = fixture();
        let (changes, sections) = diff(&a.lib, &b.lib);
        assert!(
            changes.is_empty() && !sections,
            "two loads of the same files are the same"
        );
        let mut items = b.lib.items.clone();
        items.retain(|i| i.key != "om.md");
        items
            .iter_mut()
            .find(|i| i.key == "events/hagedag.md")
            .unwrap()
            .versions["nb"]
            .html
            .push_str("<p>mer</p>");
        let c = Library::new(items, b.lib.sections.clone());
        let (changes, sections) = diff(&a.lib, &c);
        assert!(!sections);
        let names: Vec<(Option<&str>, Option<&str>)> = changes
            .iter()
            .map(|(o, n)| (o.map(|i| i.key.as_str()), n.map(|i| i.key.as_str())))
            .collect();
        assert_eq!(
            names,
            [
                (Some("events/hagedag.md"), Some("events/hagedag.md")),
                (Some("om.md"), None)
            ]
        );
    }

    #[test]
    fn changed_paths_are_sorted_by_what_they_reach() {
        let s = |paths: &[&str]| {
            scope(
                &paths.iter().map(PathBuf::from).collect::<Vec<_>>(),
                "kommune",
            )
        };
        assert!(s(&["site.toml"]).everything);
        assert!(s(&["i18n/nb.toml"]).everything);
        assert!(s(&["templates/page.html"]).everything);
        assert!(s(&["themes/kommune/templates/page.html"]).everything);
        assert!(s(&["themes/other/templates/page.html"]).is_empty());
        assert!(s(&["themes/kommune/static/style.css"]).assets);
        assert!(s(&["static/logo.svg"]).assets);
        let c = s(&["content/a.md", "content/a.md", "static/x.css"]);
        assert_eq!(c.content, [PathBuf::from("content/a.md")]);
        assert!(c.assets && !c.everything);
    }
}
