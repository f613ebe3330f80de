//! The context of an item's own page: the item in the page's language, its card and areas,
//! and what its kind adds (a project's goals, events and calls; an event's time and place; a
//! call's questions; an area's projects, events and calls).

use serde::Serialize;

use super::listings::{calls_split, cards, events_split, sort_cards_by};
use super::results::{CallResults, call_results, came_from};
use super::{Inputs, webcal};
use crate::content::{Contact, Data, Item, Kind, Location, Version, urls};
use crate::render::views::{
    Card, Ctx, GoalView, Link, QuestionView, event_json_ld, question_views,
};

/// What an item's page has, whatever its kind.
#[derive(Serialize)]
pub(super) struct ItemPage<'a> {
    page: PageView<'a>,
    card: Card,
    areas: Vec<Link>,
    #[serde(flatten)]
    kind: KindView<'a>,
}

/// The item in the page's language.
#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    summary: &'a str,
    html: &'a str,
    url: &'a str,
    date: Option<String>,
    date_iso: Option<String>,
    updated: Option<String>,
    updated_iso: Option<String>,
    image: &'a Option<String>,
    image_alt: &'a Option<String>,
    name: &'a str,
}

/// What each kind adds to its page.
#[derive(Serialize)]
#[serde(untagged)]
enum KindView<'a> {
    Project {
        project: ProjectView<'a>,
        goals: Vec<GoalView>,
        events: Vec<Card>,
        calls: Vec<Card>,
        /// Closed calls whose outcome started or changed the project.
        came_from: Vec<Link>,
    },
    Event {
        event: EventView<'a>,
        project: Option<Link>,
    },
    Call {
        call: CallView<'a>,
        questions: Vec<QuestionView>,
        project: Option<Link>,
        results: Option<Box<CallResults>>,
    },
    Area {
        projects: Vec<Card>,
        upcoming_events: Vec<Card>,
        past_events: Vec<Card>,
        open_calls: Vec<Card>,
        upcoming_calls: Vec<Card>,
        closed_calls: Vec<Card>,
        area_feed_url: String,
        area_calendar_url: String,
        /// The same calendar as a `webcal://` address, for subscribing.
        area_webcal_url: String,
    },
    Page {},
}

#[derive(Serialize)]
struct ProjectView<'a> {
    partners: &'a [String],
    contact: &'a Option<Contact>,
    start: String,
    start_iso: String,
    end: Option<String>,
    end_iso: Option<String>,
}

#[derive(Serialize)]
struct EventView<'a> {
    when: String,
    start_iso: String,
    end_iso: String,
    location: &'a Option<Location>,
    online_url: &'a Option<String>,
    registration_url: &'a Option<String>,
    past: bool,
    ics_url: String,
    /// schema.org JSON, safe inside `<script>`.
    json_ld: String,
}

#[derive(Serialize)]
struct CallView<'a> {
    id: &'a str,
    state: String,
    state_label: String,
    opens: String,
    opens_iso: String,
    closes: String,
    closes_iso: String,
    /// Where the form posts its answers.
    action: String,
    summary_url: String,
    has_required: bool,
}

impl<'a> PageView<'a> {
    fn new(ctx: &Ctx<'_>, item: &'a Item, v: &'a Version) -> PageView<'a> {
        PageView {
            title: &v.title,
            summary: &v.summary,
            html: &v.html,
            url: &v.url,
            date: v.date.map(|d| ctx.strings.date(d)),
            date_iso: v.date.map(|d| d.to_string()),
            updated: v.updated.map(|d| ctx.strings.date(d)),
            updated_iso: v.updated.map(|d| d.to_string()),
            image: &v.image,
            image_alt: &v.image_alt,
            name: &item.name,
        }
    }
}

/// The item's page: its template and what it shows.
pub(super) fn item_page<'a>(
    ctx: &Ctx<'_>,
    inp: &Inputs<'_>,
    item: &'a Item,
) -> (&'static str, ItemPage<'a>) {
    let v = ctx.version(item);
    let (template, kind) = match &item.data {
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
            let (events, calls): (Vec<&Item>, Vec<&Item>) = inp
                .lib
                .of_project(&item.name)
                .partition(|i| i.kind() == Kind::Event);
            let project = ProjectView {
                partners: &v.partners,
                contact: &v.contact,
                start: ctx.strings.date(p.start),
                start_iso: p.start.to_string(),
                end: p.end.map(|d| ctx.strings.date(d)),
                end_iso: p.end.map(|d| d.to_string()),
            };
            let kind = KindView::Project {
                project,
                goals,
                events: cards(ctx, &events),
                calls: cards(ctx, &calls),
                came_from: came_from(ctx, inp, item),
            };
            ("project.html", kind)
        }
        Data::Event(e) => {
            let event = EventView {
                when: ctx.strings.span(&e.start, &e.end),
                start_iso: Ctx::iso(&e.start),
                end_iso: Ctx::iso(&e.end),
                location: &v.location,
                online_url: &e.online_url,
                registration_url: &e.registration_url,
                past: e.end.timestamp() < *inp.now,
                ics_url: urls::event_calendar_url(&v.url),
                json_ld: event_json_ld(item, v, inp.config.base(), &inp.config.title(ctx.lang)),
            };
            let project = ctx.project_link(e.project.as_ref());
            ("event.html", KindView::Event { event, project })
        }
        Data::Call(call) => {
            let (state, state_label) = ctx.call_state(call.state(inp.now));
            let endpoint = inp.config.endpoint();
            let view = CallView {
                id: &item.name,
                state,
                state_label,
                opens: ctx.strings.datetime(&call.opens),
                opens_iso: Ctx::iso(&call.opens),
                closes: ctx.strings.datetime(&call.closes),
                closes_iso: Ctx::iso(&call.closes),
                action: format!("{endpoint}/api/calls/{}/responses", item.name),
                summary_url: format!("{endpoint}/api/calls/{}/summary", item.name),
                has_required: v.questions.iter().any(|q| q.required),
            };
            let kind = KindView::Call {
                call: view,
                questions: question_views(v),
                project: ctx.project_link(call.project.as_ref()),
                results: call_results(ctx, inp, item).map(Box::new),
            };
            ("call.html", kind)
        }
        Data::Area { .. } => {
            let here = |i: &Item| i.data.areas().contains(&item.name);
            let mut projects: Vec<&Item> =
                inp.lib.of_kind(Kind::Project).filter(|i| here(i)).collect();
            sort_cards_by(&mut projects, |i| {
                (i.project().map(|p| p.status), ctx.version(i).title.clone())
            });
            let (upcoming, past) = events_split(inp, &|i| here(i));
            let (open, upcoming_calls, closed) = calls_split(inp, &|i| here(i));
            let kind = KindView::Area {
                projects: cards(ctx, &projects),
                upcoming_events: cards(ctx, &upcoming),
                past_events: cards(ctx, &past),
                open_calls: cards(ctx, &open),
                upcoming_calls: cards(ctx, &upcoming_calls),
                closed_calls: cards(ctx, &closed),
                area_feed_url: urls::feed_url(&v.url),
                area_calendar_url: urls::calendar_url(&v.url),

                area_webcal_url: webcal(&format!(
                    "{}{}",
                    inp.config.base(),
                    urls::calendar_url(&v.url)
                )),
            };
            ("area.html", kind)
        }
        Data::Page { .. } => ("page.html", KindView::Page {}),
    };
    let page = ItemPage {
        page: PageView::new(ctx, item, v),
        card: ctx.card(item),
        areas: ctx.area_links(item.data.areas()),
        kind,
    };
    (template, page)
}
