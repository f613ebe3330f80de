//! The contexts of listings (a section's page; the root section is the home page) and the
//! orders items are listed in, which area pages share.

use serde::Serialize;

use super::Inputs;
use super::results::{OutcomeCard, outcome_cards};
use crate::content::{CallState, Item, Kind, ProjectStatus, Section};
use crate::render::views::{Card, Ctx};

pub(super) fn sort_cards_by<K: Ord>(items: &mut [&Item], key: impl Fn(&Item) -> K) {
    items.sort_by_key(|i| key(i));
}

/// Upcoming events soonest first, past events latest first.
pub(super) fn events_split<'a>(
    inp: &Inputs<'a>,
    pred: &dyn Fn(&Item) -> bool,
) -> (Vec<&'a Item>, Vec<&'a Item>) {
    let (mut upcoming, mut past): (Vec<&Item>, Vec<&Item>) = inp
        .lib
        .of_kind(Kind::Event)
        .filter(|i| pred(i))
        .partition(|i| i.event().is_some_and(|e| e.end.timestamp() >= *inp.now));
    upcoming.sort_by_key(|i| i.event().map(|e| e.start.timestamp()));
    past.sort_by_key(|i| std::cmp::Reverse(i.event().map(|e| e.start.timestamp())));
    (upcoming, past)
}

/// Open calls nearest deadline first, upcoming soonest first, closed latest first.
pub(super) type CallLists<'a> = (Vec<&'a Item>, Vec<&'a Item>, Vec<&'a Item>);
pub(super) fn calls_split<'a>(inp: &Inputs<'a>, pred: &dyn Fn(&Item) -> bool) -> CallLists<'a> {
    let (mut open, mut upcoming, mut closed) = (Vec::new(), Vec::new(), Vec::new());
    for i in inp.lib.of_kind(Kind::Call).filter(|i| pred(i)) {
        match i.call().map(|c| c.state(inp.now)) {
            Some(CallState::Open) => open.push(i),
            Some(CallState::Upcoming) => upcoming.push(i),
            _ => closed.push(i),
        }
    }
    open.sort_by_key(|i| i.call().map(|c| c.closes.timestamp()));
    upcoming.sort_by_key(|i| i.call().map(|c| c.opens.timestamp()));
    closed.sort_by_key(|i| std::cmp::Reverse(i.call().map(|c| c.closes.timestamp())));
    (open, upcoming, closed)
}

pub(super) fn cards(ctx: &Ctx<'_>, items: &[&Item]) -> Vec<Card> {
    items.iter().map(|i| ctx.card(i)).collect()
}

/// A listing's page: the section in the page's language and what its kind lists.
#[derive(Serialize)]
pub(super) struct ListingPage<'a> {
    section: SectionView<'a>,
    #[serde(flatten)]
    kind: ListingView<'a>,
}

/// The section's own text, from its `_index` file or the theme's defaults.
#[derive(Serialize)]
struct SectionView<'a> {
    title: &'a str,
    summary: &'a str,
    html: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ListingView<'a> {
    Home {
        open_calls: Vec<Card>,
        /// The next four.
        upcoming_events: Vec<Card>,
        active_projects: Vec<Card>,
        /// The latest three calls with outcomes.
        outcomes: Vec<OutcomeCard>,
        areas: Vec<Card>,
        links: HomeLinks,
    },
    Areas {
        areas: Vec<Card>,
    },
    Projects {
        groups: Vec<ProjectGroup>,
        by_area: Vec<AreaProjects<'a>>,
    },
    Events {
        upcoming_events: Vec<Card>,
        past_events: Vec<Card>,
    },
    Calls {
        open_calls: Vec<Card>,
        upcoming_calls: Vec<Card>,
        closed_calls: Vec<Card>,
    },
    Section {
        items: Vec<Card>,
    },
}

/// The typed listings' URLs in the page's language, for the home page's "see all" links.
#[derive(Serialize)]
struct HomeLinks {
    calls: Option<String>,
    events: Option<String>,
    projects: Option<String>,
    areas: Option<String>,
    results: String,
}

/// Projects of one status.
#[derive(Serialize)]
struct ProjectGroup {
    status: String,
    label: String,
    projects: Vec<Card>,
}

/// An area with its projects.
#[derive(Serialize)]
struct AreaProjects<'a> {
    title: &'a str,
    url: &'a str,
    name: &'a str,
    projects: Vec<Card>,
}

/// The section's listing page in the page's language: its template and what it shows.
pub(super) fn listing_page<'a>(
    ctx: &Ctx<'_>,
    inp: &Inputs<'a>,
    s: &'a Section,
) -> (&'static str, ListingPage<'a>) {
    let sv = &s.versions[ctx.lang];
    let section = SectionView {
        title: &sv.title,
        summary: &sv.summary,
        html: &sv.html,
        url: &sv.url,
    };
    let (template, kind) = listing(ctx, inp, s);
    (template, ListingPage { section, kind })
}

fn listing<'a>(ctx: &Ctx<'_>, inp: &Inputs<'a>, s: &Section) -> (&'static str, ListingView<'a>) {
    let all = |_: &Item| true;
    let by_title = |items: &mut Vec<&Item>| sort_cards_by(items, |i| ctx.version(i).title.clone());
    if s.path.is_empty() {
        let (open_calls, _, _) = calls_split(inp, &all);
        let (upcoming, _) = events_split(inp, &all);
        let mut active: Vec<&Item> = inp
            .lib
            .of_kind(Kind::Project)
            .filter(|i| {
                i.project()
                    .is_some_and(|p| p.status == ProjectStatus::Active)
            })
            .collect();
        by_title(&mut active);
        let link = |p: &str| {
            inp.lib
                .section(p)
                .and_then(|s| s.versions.get(ctx.lang))
                .map(|v| v.url.clone())
        };
        let home = ListingView::Home {
            open_calls: cards(ctx, &open_calls),
            upcoming_events: cards(ctx, &upcoming[..upcoming.len().min(4)]),
            active_projects: cards(ctx, &active),
            outcomes: outcome_cards(ctx, inp, 3),
            areas: cards(ctx, &inp.lib.areas()),
            links: HomeLinks {
                calls: link("calls"),
                events: link("events"),
                projects: link("projects"),
                areas: link("areas"),
                results: crate::content::special_url(inp.config, inp.i18n, ctx.lang, "results"),
            },
        };
        return ("home.html", home);
    }
    match s.kind {
        Kind::Area => {
            let areas = cards(ctx, &inp.lib.areas());
            ("areas.html", ListingView::Areas { areas })
        }
        Kind::Project => {
            let projects = |pred: &dyn Fn(&Item) -> bool| {
                let mut items: Vec<&Item> =
                    inp.lib.of_kind(Kind::Project).filter(|i| pred(i)).collect();
                by_title(&mut items);
                cards(ctx, &items)
            };
            let groups = [
                ProjectStatus::Active,
                ProjectStatus::Planned,
                ProjectStatus::Completed,
            ]
            .into_iter()
            .map(|status| {
                let (key, label) = ctx.project_status(status);
                ProjectGroup {
                    status: key,
                    label,
                    projects: projects(&|i| i.project().is_some_and(|p| p.status == status)),
                }
            })
            .collect();
            let by_area = inp
                .lib
                .areas()
                .into_iter()
                .map(|a| {
                    let v = ctx.version(a);
                    AreaProjects {
                        title: &v.title,
                        url: &v.url,
                        name: &a.name,
                        projects: projects(&|i| i.data.areas().contains(&a.name)),
                    }
                })
                .collect();
            ("projects.html", ListingView::Projects { groups, by_area })
        }
        Kind::Event => {
            let (upcoming, past) = events_split(inp, &all);
            let events = ListingView::Events {
                upcoming_events: cards(ctx, &upcoming),
                past_events: cards(ctx, &past),
            };
            ("events.html", events)
        }
        Kind::Call => {
            let (open, upcoming, closed) = calls_split(inp, &all);
            let calls = ListingView::Calls {
                open_calls: cards(ctx, &open),
                upcoming_calls: cards(ctx, &upcoming),
                closed_calls: cards(ctx, &closed),
            };
            ("calls.html", calls)
        }
        Kind::Page => {
            let mut items: Vec<&Item> = inp
                .lib
                .items
                .iter()
                .filter(|i| i.section == s.path)
                .collect();
            // Newest first; undated pages after dated ones, by title.
            items.sort_by(|a, b| {
                let (va, vb) = (ctx.version(a), ctx.version(b));
                vb.date.cmp(&va.date).then_with(|| va.title.cmp(&vb.title))
            });
            items.retain(|i| i.version(ctx.lang).is_some());
            let items = cards(ctx, &items);
            ("section.html", ListingView::Section { items })
        }
    }
}
