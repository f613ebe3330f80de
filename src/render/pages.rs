//! The list of pages a site has, each with its template and context: items in every language
//! they exist in, home pages, listings, area pages and the endpoint's companion pages.

use std::collections::HashMap;

use serde::Serialize;
use tera::Context;

use super::views::{Card, Ctx, GoalView, Link, event_json_ld, question_views};
use crate::config::Config;
use crate::content::{CallState, Data, Item, Kind, Library, Section, lang_root};
use crate::i18n::I18n;

/// One HTML page to write.
pub struct Page {
    /// URL path, ending in `/` (written as `index.html`) or a file name.
    pub url: String,
    pub template: &'static str,
    pub context: Context,
    /// Kept out of search engines and the sitemap (404, thank-you, withdraw and search pages).
    pub noindex: bool,
}

/// A language in the switcher and in `hreflang` links.
#[derive(Debug, Clone, Serialize)]
pub struct LangLink {
    pub lang: String,
    pub name: String,
    pub url: String,
    pub abs_url: String,
    /// False when the page has no version in that language and the link leads to a fallback.
    pub translated: bool,
    pub current: bool,
    /// Said in that language when not translated, e.g. "This page is not available in English".
    pub note: String,
}

/// What every page of a language shares: site name, menus, asset URLs.
#[derive(Debug, Clone, Serialize)]
pub struct Chrome {
    pub site_title: String,
    pub site_description: String,
    pub base_url: String,
    pub home_url: String,
    pub nav: Vec<Link>,
    pub footer: Vec<Link>,
    pub css_url: String,
    pub js_url: String,
    pub feed_url: String,
    pub calendar_url: String,
    pub endpoint: String,
    pub thanks_url: String,
    pub withdraw_url: String,
    /// Where the search field in the header sends its query (`?q=`).
    pub search_url: String,
    /// The open-data page, linked from the footer; none without `[open_data]`.
    pub open_data_url: Option<String>,
}

pub struct Inputs<'a> {
    pub config: &'a Config,
    pub i18n: &'a I18n,
    pub lib: &'a Library,
    pub now: &'a jiff::Timestamp,
    pub css_url: String,
    pub js_url: String,
    /// The search page's script; no other page loads it.
    pub search_js_url: String,
}

/// The folder under the output folder that holds the search index and pagefind's runtime.
pub const SEARCH_BUNDLE_DIR: &str = "pagefind";

/// The content types the search page filters by, in its order; the index uses the same names.
pub const SEARCH_TYPES: &[Kind] = &[
    Kind::Project,
    Kind::Event,
    Kind::Call,
    Kind::Area,
    Kind::Page,
];

/// URLs of pages torget adds besides content, per language.
pub use crate::content::special_url;

pub fn feed_url(config: &Config, lang: &str) -> String {
    format!("{}atom.xml", lang_root(config, lang))
}

pub fn calendar_url(config: &Config, lang: &str) -> String {
    format!("{}calendar.ics", lang_root(config, lang))
}

fn chrome(inp: &Inputs<'_>, lang: &str) -> Chrome {
    let c = inp.config;
    let lc = &c.languages[lang];
    let section_link = |path: &str| {
        inp.lib
            .section(path)
            .and_then(|s| s.versions.get(lang))
            .map(|v| Link {
                title: v.title.clone(),
                url: v.url.clone(),
                current: false,
            })
    };
    let mut nav: Vec<Link> = ["calls", "projects", "events", "areas"]
        .iter()
        .filter_map(|p| section_link(p))
        .collect();
    let mut footer = Vec::new();
    let mut pages: Vec<&Item> = inp
        .lib
        .of_kind(Kind::Page)
        .filter(|i| i.section.is_empty())
        .collect();
    pages.sort_by_key(|i| match i.data {
        Data::Page { order, .. } => (order, i.name.clone()),
        _ => (0, i.name.clone()),
    });
    for item in pages {
        let Data::Page { menu, .. } = &item.data else {
            continue;
        };
        let Some(v) = item.version(lang) else {
            continue;
        };
        let link = Link {
            title: v.title.clone(),
            url: v.url.clone(),
            current: false,
        };
        match menu.as_deref() {
            Some("main") => nav.push(link),
            Some("footer") => footer.push(link),
            _ => {}
        }
    }
    for s in &inp.lib.sections {
        if s.kind == Kind::Page
            && !s.path.is_empty()
            && !s.path.contains('/')
            && let Some(v) = s.versions.get(lang).filter(|v| v.written)
        {
            footer.push(Link {
                title: v.title.clone(),
                url: v.url.clone(),
                current: false,
            });
        }
    }
    Chrome {
        site_title: c.title(lang),
        site_description: lc.description.clone(),
        base_url: c.base().to_string(),
        home_url: lang_root(c, lang),
        nav,
        footer,
        css_url: inp.css_url.clone(),
        js_url: inp.js_url.clone(),
        feed_url: feed_url(c, lang),
        calendar_url: calendar_url(c, lang),
        endpoint: c.endpoint().to_string(),
        thanks_url: special_url(c, inp.i18n, lang, "thanks"),
        withdraw_url: special_url(c, inp.i18n, lang, "withdraw"),
        search_url: special_url(c, inp.i18n, lang, "search"),
        open_data_url: (c.open_data.is_some()).then(|| special_url(c, inp.i18n, lang, "open_data")),
    }
}

/// Builds the switcher for a page that exists at `urls` (lang → URL); for a missing language
/// `fallback(lang)` gives the nearest page that exists.
fn switcher(
    inp: &Inputs<'_>,
    current: &str,
    urls: &[(String, String)],
    fallback: &dyn Fn(&str) -> String,
) -> Vec<LangLink> {
    inp.config
        .language_codes()
        .into_iter()
        .map(|lang| {
            let strings = inp.i18n.strings(&lang);
            let name = inp.config.languages[&lang].name.clone().unwrap_or_else(|| {
                strings
                    .get("lang.name", &[])
                    .unwrap_or_else(|_| lang.clone())
            });
            let found = urls
                .iter()
                .find(|(l, _)| *l == lang)
                .map(|(_, u)| u.clone());
            let translated = found.is_some();
            let url = found.unwrap_or_else(|| fallback(&lang));
            LangLink {
                abs_url: format!("{}{}", inp.config.base(), url),
                note: if translated {
                    String::new()
                } else {
                    strings.get("lang.not_translated", &[]).unwrap_or_default()
                },
                current: lang == current,
                lang,
                name,
                url,
                translated,
            }
        })
        .collect()
}

fn base_context(
    inp: &Inputs<'_>,
    chrome: &Chrome,
    lang: &str,
    url: &str,
    switch: Vec<LangLink>,
) -> Context {
    let mut ctx = Context::new();
    ctx.insert("lang", lang);
    ctx.insert("chrome", chrome);
    ctx.insert("url", url);
    ctx.insert("canonical", &format!("{}{}", inp.config.base(), url));
    let alternates: Vec<&LangLink> = switch.iter().filter(|l| l.translated).collect();
    let x_default = alternates
        .first()
        .map(|l| l.abs_url.clone())
        .unwrap_or_default();
    ctx.insert("alternates", &alternates);
    ctx.insert("x_default", &x_default);
    ctx.insert("languages", &switch);
    ctx
}

fn section_urls(s: &Section) -> Vec<(String, String)> {
    s.versions
        .iter()
        .filter(|(_, v)| v.written)
        .map(|(l, v)| (l.clone(), v.url.clone()))
        .collect()
}

/// What a page shows.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    Item(&'a Item),
    /// A section's listing; the root section is the home page.
    Section(&'a Section),
    /// The page the feedback endpoint sends a resident to after answering.
    Thanks,
    /// Where a resident withdraws an answer with their receipt.
    Withdraw,
    /// The search page; the browser searches the index of the page's own language.
    Search,
    /// The site's open data: datasets, files, columns, licence (`super::open_data`).
    OpenData,
    NotFound,
}

/// A page before its context is built: cheap, so the whole site can be listed and a few of
/// its pages built.
#[derive(Debug, Clone)]
pub struct PageRef<'a> {
    pub lang: String,
    pub source: Source<'a>,
    pub url: String,
    /// Kept out of search engines and the sitemap.
    pub noindex: bool,
}

/// Lists a site's pages and builds their contexts, one by one or all together.
pub struct Pages<'a> {
    inp: &'a Inputs<'a>,
    chrome: HashMap<String, Chrome>,
}

impl<'a> Pages<'a> {
    pub fn new(inp: &'a Inputs<'a>) -> Pages<'a> {
        let chrome = inp
            .config
            .language_codes()
            .into_iter()
            .map(|lang| {
                let c = chrome(inp, &lang);
                (lang, c)
            })
            .collect();
        Pages { inp, chrome }
    }

    /// Every page of the site, language by language.
    pub fn list(&self) -> Vec<PageRef<'a>> {
        let inp = self.inp;
        let lib: &'a Library = inp.lib;
        let mut pages = Vec::new();
        for lang in inp.config.language_codes() {
            // Items, in the languages they are written in.
            pages.extend(lib.items.iter().filter_map(|i| self.item_page(i, &lang)));
            // Sections: home, typed listings and plain sections.
            pages.extend(
                lib.sections
                    .iter()
                    .filter_map(|s| self.section_page(s, &lang)),
            );
            let page = |source, url: String| PageRef {
                lang: lang.clone(),
                source,
                url,
                noindex: true,
            };
            // Pages the feedback endpoint sends residents to, and the search page.
            for (which, source) in [
                ("thanks", Source::Thanks),
                ("withdraw", Source::Withdraw),
                ("search", Source::Search),
            ] {
                pages.push(page(
                    source,
                    special_url(inp.config, inp.i18n, &lang, which),
                ));
            }
            if inp.config.open_data.is_some() {
                pages.push(PageRef {
                    lang: lang.clone(),
                    source: Source::OpenData,
                    url: special_url(inp.config, inp.i18n, &lang, "open_data"),
                    noindex: false,
                });
            }
            // A 404 page per language; the default language's is `/404.html`, what hosts
            // look for.
            let url = format!("{}404.html", lang_root(inp.config, &lang));
            pages.push(page(Source::NotFound, url));
        }
        pages
    }

    /// An item's pages, one per language it is written in.
    pub fn of_item(&self, item: &'a Item) -> Vec<PageRef<'a>> {
        item.versions
            .keys()
            .filter_map(|lang| self.item_page(item, lang))
            .collect()
    }

    /// A section's listing pages, one per language it has one in.
    pub fn of_section(&self, section: &'a Section) -> Vec<PageRef<'a>> {
        section
            .versions
            .keys()
            .filter_map(|lang| self.section_page(section, lang))
            .collect()
    }

    fn item_page(&self, item: &'a Item, lang: &str) -> Option<PageRef<'a>> {
        item.version(lang).map(|v| PageRef {
            lang: lang.to_string(),
            source: Source::Item(item),
            url: v.url.clone(),
            noindex: false,
        })
    }

    fn section_page(&self, s: &'a Section, lang: &str) -> Option<PageRef<'a>> {
        s.versions.get(lang).filter(|v| v.written).map(|v| PageRef {
            lang: lang.to_string(),
            source: Source::Section(s),
            url: v.url.clone(),
            noindex: false,
        })
    }

    /// The page's template and context.
    pub fn build(&self, page: &PageRef<'a>) -> Page {
        let inp = self.inp;
        let lang = page.lang.as_str();
        let langs = inp.config.language_codes();
        let chrome = &self.chrome[lang];
        let ctx = Ctx {
            lib: inp.lib,
            strings: inp.i18n.strings(lang),
            lang,
            now: inp.now,
        };
        let home = |l: &str| lang_root(inp.config, l);
        let (template, context) = match page.source {
            Source::Item(item) => {
                let section_or_home = |l: &str| {
                    inp.lib
                        .section(&item.section)
                        .and_then(|s| s.versions.get(l))
                        .filter(|v| v.written)
                        .map(|v| v.url.clone())
                        .unwrap_or_else(|| lang_root(inp.config, l))
                };
                let urls: Vec<(String, String)> = item
                    .versions
                    .iter()
                    .map(|(l, v)| (l.clone(), v.url.clone()))
                    .collect();
                let switch = switcher(inp, lang, &urls, &section_or_home);
                let mut c = base_context(inp, chrome, lang, &page.url, switch);
                let template = item_context(&ctx, inp, item, &mut c);
                (template, c)
            }
            Source::Section(s) => {
                let sv = &s.versions[lang];
                let switch = switcher(inp, lang, &section_urls(s), &home);
                let mut c = base_context(inp, chrome, lang, &page.url, switch);
                c.insert(
                    "section",
                    &serde_json::json!({
                        "title": sv.title, "summary": sv.summary, "html": sv.html, "url": sv.url,
                    }),
                );
                let template = section_context(&ctx, inp, s, &mut c);
                (template, c)
            }
            Source::Thanks | Source::Withdraw | Source::Search => {
                let (which, template) = match page.source {
                    Source::Thanks => ("thanks", "thanks.html"),
                    Source::Withdraw => ("withdraw", "withdraw.html"),
                    _ => ("search", "search.html"),
                };
                let urls: Vec<(String, String)> = langs
                    .iter()
                    .map(|l| (l.clone(), special_url(inp.config, inp.i18n, l, which)))
                    .collect();
                let switch = switcher(inp, lang, &urls, &home);
                let mut c = base_context(inp, chrome, lang, &page.url, switch);
                c.insert("noindex", &true);
                if let Source::Search = page.source {
                    c.insert("search", &search_view(inp, &ctx));
                }
                (template, c)
            }
            Source::OpenData => {
                let urls: Vec<(String, String)> = langs
                    .iter()
                    .map(|l| (l.clone(), special_url(inp.config, inp.i18n, l, "open_data")))
                    .collect();
                let switch = switcher(inp, lang, &urls, &home);
                let mut c = base_context(inp, chrome, lang, &page.url, switch);
                c.insert("open_data", &super::open_data::view(inp, lang));
                ("open_data.html", c)
            }
            Source::NotFound => {
                let urls: Vec<(String, String)> = langs
                    .iter()
                    .map(|l| (l.clone(), lang_root(inp.config, l)))
                    .collect();
                let switch = switcher(inp, lang, &urls, &home);
                let mut c = base_context(inp, chrome, lang, &page.url, switch);
                c.insert("noindex", &true);
                ("404.html", c)
            }
        };
        Page {
            url: page.url.clone(),
            template,
            context,
            noindex: page.noindex,
        }
    }
}

/// Every page of the site, with its context.
pub fn all(inp: &Inputs<'_>) -> Vec<Page> {
    let pages = Pages::new(inp);
    pages.list().iter().map(|p| pages.build(p)).collect()
}

/// What the search page offers: its filters with their labels, the listings to fall back on,
/// and the words its script needs.
fn search_view(inp: &Inputs<'_>, ctx: &Ctx<'_>) -> serde_json::Value {
    let option = |value: &str, label: String| serde_json::json!({ "value": value, "label": label });
    let types: Vec<_> = SEARCH_TYPES
        .iter()
        .map(|k| option(k.as_str(), ctx.t(&format!("kind.{}", k.as_str()))))
        .collect();
    let areas: Vec<_> = inp
        .lib
        .areas()
        .into_iter()
        .map(|a| option(&a.name, ctx.version(a).title.clone()))
        .collect();
    let statuses: Vec<_> = [CallState::Open, CallState::Upcoming, CallState::Closed]
        .into_iter()
        .map(|s| {
            let (value, label) = ctx.call_state(s);
            option(&value, label)
        })
        .collect();
    let listings: Vec<Link> = ["projects", "events", "calls", "areas"]
        .iter()
        .filter_map(|p| inp.lib.section(p)?.versions.get(ctx.lang))
        .filter(|v| v.written)
        .map(|v| Link {
            title: v.title.clone(),
            url: v.url.clone(),
            current: false,
        })
        .collect();
    serde_json::json!({
        "script_url": inp.search_js_url,
        "bundle_url": format!("/{SEARCH_BUNDLE_DIR}/pagefind.js"),
        "types": types,
        "areas": areas,
        "statuses": statuses,
        "listings": listings,
        // JSON for the script: it picks the form with `Intl.PluralRules`.
        "count_forms": serde_json::to_string(&ctx.strings.plural_forms("count.results"))
            .unwrap_or_default(),
    })
}

fn sort_cards_by<K: Ord>(items: &mut [&Item], key: impl Fn(&Item) -> K) {
    items.sort_by_key(|i| key(i));
}

fn item_context(ctx: &Ctx<'_>, inp: &Inputs<'_>, item: &Item, c: &mut Context) -> &'static str {
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

/// Upcoming events soonest first, past events latest first.
fn events_split<'a>(
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
type CallLists<'a> = (Vec<&'a Item>, Vec<&'a Item>, Vec<&'a Item>);
fn calls_split<'a>(inp: &Inputs<'a>, pred: &dyn Fn(&Item) -> bool) -> CallLists<'a> {
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

fn cards(ctx: &Ctx<'_>, items: &[&Item]) -> Vec<Card> {
    items.iter().map(|i| ctx.card(i)).collect()
}

fn section_context(ctx: &Ctx<'_>, inp: &Inputs<'_>, s: &Section, c: &mut Context) -> &'static str {
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
