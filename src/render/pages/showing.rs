//! Which pages show an item besides its own, and what they show of it: the rule the live
//! preview follows to render only the pages a change reaches. It sits beside the contexts that
//! do the showing, and compares the very cards they show, so a field added to a card reaches
//! the preview without anyone remembering to tell it.

use std::collections::BTreeSet;

use jiff::civil::Date;

use super::Pages;
use crate::content::{Data, Item, Kind};
use crate::render::views::{Card, Ctx};

/// What pages besides an item's own show of it: its card in every language of the site (in
/// listings, on the home page, on its areas' and its project's pages, a project's on its
/// events' and calls' pages, where links show a card's title and URL), and what decides which
/// listings it is in and where. Two versions of an item that are shown alike differ only on
/// their own pages.
#[derive(Debug, PartialEq)]
pub struct Shown<'a> {
    cards: Vec<Card>,
    /// Areas, project, status, dates, menu and order: which listings hold the item and where.
    /// Compared whole: a field no other page shows costs a few pages rendered for nothing.
    data: &'a Data,
    /// Each version's date: a section's pages are listed newest first by it, which their
    /// cards show only when they have no `updated`.
    dates: Vec<Option<Date>>,
    /// Each version's outcome text: the home and results pages show its start.
    outcomes: Vec<Option<&'a str>>,
}

/// The pages besides an item's own that show it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Showing {
    /// Why every page shows it, when they all do.
    pub everywhere: Option<String>,
    /// Items whose pages show it (keys): its areas, its project, a project's events and calls.
    pub items: BTreeSet<String>,
    /// Sections whose listing shows it (`""` is the home page).
    pub sections: BTreeSet<String>,
    /// The results pages list it: a call with an outcome.
    pub results: bool,
}

impl<'a> Pages<'a> {
    /// What pages besides its own show of `item`, which need not be in the site's library
    /// (e.g. the version before an edit).
    pub fn shown<'i>(&self, item: &'i Item) -> Shown<'i> {
        let cards = self
            .inp
            .config
            .language_codes()
            .iter()
            .map(|lang| {
                let ctx = Ctx {
                    lib: self.inp.lib,
                    strings: self.inp.i18n.strings(lang),
                    lang,
                    now: self.inp.now,
                };
                ctx.card(item)
            })
            .collect();
        Shown {
            cards,
            data: &item.data,
            dates: item.versions.values().map(|v| v.date).collect(),
            outcomes: (item.versions.values())
                .map(|v| v.outcome.as_ref().map(|o| o.text.as_str()))
                .collect(),
        }
    }

    /// The pages besides its own that show `item`, in the site as it is now.
    pub fn showing(&self, item: &Item) -> Showing {
        let lib = self.inp.lib;
        let mut s = Showing::default();
        match item.kind() {
            Kind::Area => {
                s.everywhere = Some(format!(
                    "{} is an area, named on every page that lists its items",
                    item.key
                ));
                return s;
            }
            Kind::Page if matches!(&item.data, Data::Page { menu: Some(_), .. }) => {
                s.everywhere = Some(format!("{} is in a menu, shown on every page", item.key));
                return s;
            }
            // Listed in their section and on the home page.
            Kind::Project | Kind::Event | Kind::Call => {
                s.sections.insert(item.section.clone());
                s.sections.insert(String::new());
            }
            // A page outside any section is listed nowhere.
            Kind::Page if !item.section.is_empty() => {
                s.sections.insert(item.section.clone());
            }
            Kind::Page => {}
        }
        for area in item.data.areas() {
            if let Some(a) = lib.by_name(Kind::Area, area) {
                s.items.insert(a.key.clone());
            }
        }
        if let Some(p) = item
            .data
            .project()
            .and_then(|p| lib.by_name(Kind::Project, p))
        {
            s.items.insert(p.key.clone());
        }
        if item.kind() == Kind::Project {
            s.items
                .extend(lib.of_project(&item.name).map(|e| e.key.clone()));
            // The calls whose outcome names it link to it from "What we did".
            s.items.extend(
                (lib.of_kind(Kind::Call))
                    .filter(|c| c.data.outcome_projects().contains(&item.name))
                    .map(|c| c.key.clone()),
            );
        }
        // A call's outcome: its projects link back to it, and the results pages list it.
        for p in item.data.outcome_projects() {
            if let Some(p) = lib.by_name(Kind::Project, p) {
                s.items.insert(p.key.clone());
            }
            s.results = true;
        }
        s.results |= item.call().is_some_and(|c| c.outcome.is_some());
        s
    }
}
