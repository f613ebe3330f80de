//! The contexts of listings (a section's page; the root section is the home page) and the
//! orders items are listed in, which area pages share.

use tera::Context;

use super::Inputs;
use crate::content::{CallState, Item, Kind, Section};
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

pub(super) fn section_context(
    ctx: &Ctx<'_>,
    inp: &Inputs<'_>,
    s: &Section,
    c: &mut Context,
) -> &'static str {
    let all = |_: &Item| true;
    if s.path.is_empty() {
        let calls = calls_split(inp, &all);
        c.insert("open_calls", &cards(ctx, &calls.0));
        let (upcoming, _) = events_split(inp, &all);
        c.insert(
            "upcoming_events",
            &cards(ctx, &upcoming.into_iter().take(4).collect::<Vec<_>>()),
        );
        let mut active: Vec<&Item> = inp
            .lib
            .of_kind(Kind::Project)
            .filter(|i| {
                i.project()
                    .is_some_and(|p| p.status == crate::content::ProjectStatus::Active)
            })
            .collect();
        sort_cards_by(&mut active, |i| ctx.version(i).title.clone());
        c.insert("active_projects", &cards(ctx, &active));
        c.insert("areas", &cards(ctx, &inp.lib.areas()));
        let link = |p: &str| {
            inp.lib
                .section(p)
                .and_then(|s| s.versions.get(ctx.lang))
                .map(|v| v.url.clone())
        };
        c.insert("links", &serde_json::json!({
            "calls": link("calls"), "events": link("events"), "projects": link("projects"), "areas": link("areas"),
        }));
        return "home.html";
    }
    match s.kind {
        Kind::Area => {
            c.insert("areas", &cards(ctx, &inp.lib.areas()));
            "areas.html"
        }
        Kind::Project => {
            let mut groups = Vec::new();
            for status in [
                crate::content::ProjectStatus::Active,
                crate::content::ProjectStatus::Planned,
                crate::content::ProjectStatus::Completed,
            ] {
                let mut items: Vec<&Item> = inp
                    .lib
                    .of_kind(Kind::Project)
                    .filter(|i| i.project().is_some_and(|p| p.status == status))
                    .collect();
                sort_cards_by(&mut items, |i| ctx.version(i).title.clone());
                let (key, label) = ctx.project_status(status);
                groups.push(serde_json::json!({ "status": key, "label": label, "projects": cards(ctx, &items) }));
            }
            c.insert("groups", &groups);
            let areas: Vec<serde_json::Value> = inp.lib.areas().iter().map(|a| {
                let mut items: Vec<&Item> = inp.lib.of_kind(Kind::Project).filter(|i| i.data.areas().contains(&a.name)).collect();
                sort_cards_by(&mut items, |i| ctx.version(i).title.clone());
                let v = ctx.version(a);
                serde_json::json!({ "title": v.title, "url": v.url, "name": a.name, "projects": cards(ctx, &items) })
            }).collect();
            c.insert("by_area", &areas);
            "projects.html"
        }
        Kind::Event => {
            let (upcoming, past) = events_split(inp, &all);
            c.insert("upcoming_events", &cards(ctx, &upcoming));
            c.insert("past_events", &cards(ctx, &past));
            "events.html"
        }
        Kind::Call => {
            let calls = calls_split(inp, &all);
            c.insert("open_calls", &cards(ctx, &calls.0));
            c.insert("upcoming_calls", &cards(ctx, &calls.1));
            c.insert("closed_calls", &cards(ctx, &calls.2));
            "calls.html"
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
            let items: Vec<&Item> = items
                .into_iter()
                .filter(|i| i.version(ctx.lang).is_some())
                .collect();
            c.insert("items", &cards(ctx, &items));
            "section.html"
        }
    }
}
