//! The search page's view: its filters with their labels, the listings to fall back on, and
//! the words its script needs.

use serde::Serialize;

use super::{Inputs, SEARCH_BUNDLE_DIR, SEARCH_TYPES};
use crate::content::CallState;
use crate::render::views::{Ctx, Link};

/// The search page's view: its filters with their labels, the listings to fall back on, and
/// the words its script needs.
#[derive(Serialize)]
pub(super) struct SearchPage<'a> {
    pub(super) search: SearchView<'a>,
}

#[derive(Serialize)]
pub(super) struct SearchView<'a> {
    script_url: &'a str,
    bundle_url: String,
    types: Vec<FilterOption>,
    areas: Vec<FilterOption>,
    statuses: Vec<FilterOption>,
    listings: Vec<Link>,
    /// JSON for the script: it picks the form with `Intl.PluralRules`.
    count_forms: String,
}

/// A value to filter search results by, and its words.
#[derive(Serialize)]
struct FilterOption {
    value: String,
    label: String,
}

/// What the search page offers.
pub(super) fn search_view<'a>(inp: &'a Inputs<'_>, ctx: &Ctx<'_>) -> SearchView<'a> {
    let option = |value: &str, label: String| FilterOption {
        value: value.to_string(),
        label,
    };
    let types = SEARCH_TYPES
        .iter()
        .map(|k| option(k.as_str(), ctx.t(&format!("kind.{}", k.as_str()))))
        .collect();
    let areas = inp
        .lib
        .areas()
        .into_iter()
        .map(|a| option(&a.name, ctx.version(a).title.clone()))
        .collect();
    let statuses = [CallState::Open, CallState::Upcoming, CallState::Closed]
        .into_iter()
        .map(|s| {
            let (value, label) = ctx.call_state(s);
            option(&value, label)
        })
        .collect();
    let listings = ["projects", "events", "calls", "areas"]
        .iter()
        .filter_map(|p| inp.lib.section(p)?.versions.get(ctx.lang))
        .filter(|v| v.written)
        .map(|v| Link {
            title: v.title.clone(),
            url: v.url.clone(),
            current: false,
        })
        .collect();
    SearchView {
        script_url: &inp.search_js_url,
        bundle_url: format!("/{SEARCH_BUNDLE_DIR}/pagefind.js"),
        types,
        areas,
        statuses,
        listings,
        count_forms: serde_json::to_string(&ctx.strings.plural_forms("count.results"))
            .unwrap_or_default(),
    }
}
