//! The context of an item's own page: the item in the page's language, its card and areas,
//! and what its kind adds (a project's goals, events and calls; an event's time and place; a
//! call's questions; an area's projects, events and calls).

use tera::Context;

use super::Inputs;
use super::listings::{calls_split, cards, events_split, sort_cards_by};
use crate::content::{Data, Item, Kind};
use crate::render::views::{Ctx, GoalView, event_json_ld, question_views};

pub(super) fn item_context(
    ctx: &Ctx<'_>,
    inp: &Inputs<'_>,
    item: &Item,
    c: &mut Context,
) -> &'static str {
    let v = ctx.version(item);
    let card = ctx.card(item);
    c.insert("page", &serde_json::json!({
        "title": v.title, "summary": v.summary, "html": v.html, "url": v.url,
        "date": v.date.map(|d| ctx.strings.date(d)), "date_iso": v.date.map(|d| d.to_string()),
        "updated": v.updated.map(|d| ctx.strings.date(d)), "updated_iso": v.updated.map(|d| d.to_string()),
        "image": v.image, "image_alt": v.image_alt, "name": item.name,
    }));
    c.insert("card", &card);
    c.insert("areas", &ctx.area_links(item.data.areas()));
    match &item.data {
        Data::Project(p) => {
            let goals: Vec<GoalView> = v
                .goals
                .iter()
                .map(|g| {
                    let (status, status_label) = ctx.goal_status(g.status);
                    GoalView {
                        title: g.title.clone(),
                        status,
                        status_label,
                    }
                })
                .collect();
            c.insert("project", &serde_json::json!({
                "partners": p.partners, "contact": p.contact,
                "start": ctx.strings.date(p.start), "start_iso": p.start.to_string(),
                "end": p.end.map(|d| ctx.strings.date(d)), "end_iso": p.end.map(|d| d.to_string()),
            }));
            c.insert("goals", &goals);
            let (events, calls): (Vec<&Item>, Vec<&Item>) = inp
                .lib
                .of_project(&item.name)
                .partition(|i| i.kind() == Kind::Event);
            c.insert("events", &cards(ctx, &events));
            c.insert("calls", &cards(ctx, &calls));
            "project.html"
        }
        Data::Event(e) => {
            c.insert("event", &serde_json::json!({
                "when": ctx.strings.span(&e.start, &e.end),
                "start_iso": Ctx::iso(&e.start), "end_iso": Ctx::iso(&e.end),
                "location": v.location, "online_url": e.online_url, "registration_url": e.registration_url,
                "past": e.end.timestamp() < *inp.now,
                "ics_url": format!("{}event.ics", v.url),
                "json_ld": event_json_ld(item, v, inp.config.base(), &inp.config.title(ctx.lang)),
            }));
            c.insert("project", &ctx.project_link(e.project.as_ref()));
            "event.html"
        }
        Data::Call(call) => {
            let state = call.state(inp.now);
            let (state_key, state_label) = ctx.call_state(state);
            c.insert("call", &serde_json::json!({
                "id": item.name,
                "state": state_key, "state_label": state_label,
                "opens": ctx.strings.datetime(&call.opens), "opens_iso": Ctx::iso(&call.opens),
                "closes": ctx.strings.datetime(&call.closes), "closes_iso": Ctx::iso(&call.closes),
                "action": format!("{}/api/calls/{}/responses", inp.config.endpoint(), item.name),
                "summary_url": format!("{}/api/calls/{}/summary", inp.config.endpoint(), item.name),
                "has_required": v.questions.iter().any(|q| q.required),
            }));
            c.insert("questions", &question_views(v));
            c.insert("project", &ctx.project_link(call.project.as_ref()));
            "call.html"
        }
        Data::Area { .. } => {
            let here = |i: &Item| i.data.areas().contains(&item.name);
            let mut projects: Vec<&Item> =
                inp.lib.of_kind(Kind::Project).filter(|i| here(i)).collect();
            sort_cards_by(&mut projects, |i| {
                (i.project().map(|p| p.status), ctx.version(i).title.clone())
            });
            c.insert(
                "projects",
                &projects.iter().map(|i| ctx.card(i)).collect::<Vec<_>>(),
            );
            let (upcoming, past) = events_split(inp, &|i| here(i));
            c.insert(
                "upcoming_events",
                &upcoming.iter().map(|i| ctx.card(i)).collect::<Vec<_>>(),
            );
            c.insert(
                "past_events",
                &past.iter().map(|i| ctx.card(i)).collect::<Vec<_>>(),
            );
            let calls = calls_split(inp, &|i| here(i));
            c.insert(
                "open_calls",
                &calls.0.iter().map(|i| ctx.card(i)).collect::<Vec<_>>(),
            );
            c.insert(
                "upcoming_calls",
                &calls.1.iter().map(|i| ctx.card(i)).collect::<Vec<_>>(),
            );
            c.insert(
                "closed_calls",
                &calls.2.iter().map(|i| ctx.card(i)).collect::<Vec<_>>(),
            );
            c.insert("area_feed_url", &format!("{}atom.xml", v.url));
            c.insert("area_calendar_url", &format!("{}calendar.ics", v.url));
            "area.html"
        }
        Data::Page { .. } => "page.html",
    }
}
