//! `GET /admin/`: every call on the site (open first, then upcoming, then closed), with its
//! dates, its number of answers (from the store's kept counts, never by reading answers), a
//! small chart of answers per day, a link to its answers and one to its public page.

use axum::extract::State as AxumState;
use axum::http::StatusCode;
use axum::response::Response;

use super::chart;
use super::layout::{self, Page, Section};
use super::session::{self, Staffer};
use crate::feedback::calls::{Call, CallState, Site};
use crate::feedback::pages::escape;
use crate::feedback::router::AppState;
use crate::feedback::store::CountKey;

/// One call as the list shows it.
struct Row<'a> {
    call: &'a Call,
    state: CallState,
    answers: u64,
    /// Visible answers per day, oldest first, as `YYYY-MM-DD`.
    per_day: Vec<(String, u64)>,
}

/// The order staff look for calls in: open ones first, closing soonest; then upcoming ones,
/// opening soonest; then closed ones, the latest closed first.
fn order(a: &Row<'_>, b: &Row<'_>) -> std::cmp::Ordering {
    let rank = |s: CallState| match s {
        CallState::Open => 0,
        CallState::Upcoming => 1,
        CallState::Closed => 2,
    };
    rank(a.state)
        .cmp(&rank(b.state))
        .then_with(|| match a.state {
            CallState::Open => a.call.closes.cmp(&b.call.closes),
            CallState::Upcoming => a.call.opens.cmp(&b.call.opens),
            CallState::Closed => b.call.closes.cmp(&a.call.closes),
        })
}

/// The title of a call in `lang`, else in its canonical language, else its id.
pub(crate) fn title<'a>(call: &'a Call, lang: &str) -> &'a str {
    call.languages
        .get(lang)
        .or_else(|| call.languages.get(&call.canonical_lang))
        .map(|l| l.title.as_str())
        .unwrap_or(&call.id)
}

/// The call's public page in `lang` (else its canonical language): on the site's address,
/// or, in the preview, on the preview's own origin.
fn public_url(site: &Site, call: &Call, lang: &str, preview: bool) -> Option<String> {
    let l = call
        .languages
        .get(lang)
        .or_else(|| call.languages.get(&call.canonical_lang))?;
    if preview || l.url.contains("://") {
        return Some(l.url.clone());
    }
    Some(format!("{}{}", site.base_url.trim_end_matches('/'), l.url))
}

pub(crate) async fn list(AxumState(st): AxumState<AppState>, staffer: Staffer) -> Response {
    let w = staffer.words;
    let site = st.site.get();
    let now = st.clock.now();
    let mut rows = Vec::new();
    for call in site.calls() {
        let counts = match st
            .store
            .counts(call.id.clone(), vec![CountKey::responses()])
            .await
        {
            Ok(c) => c,
            Err(e) => return layout::unavailable(w, e),
        };
        let per_day = match st
            .store
            .per_day(call.id.clone(), super::audit::oslo())
            .await
        {
            Ok(days) => days.into_iter().map(|(d, n)| (d.to_string(), n)).collect(),
            Err(e) => return layout::unavailable(w, e),
        };
        rows.push(Row {
            call,
            state: call.state(now),
            answers: counts.get(&CountKey::responses()),
            per_day,
        });
    }
    rows.sort_by(order);
    let mut body = format!("<p>{}</p>", escape(w.get("calls_intro")));
    if rows.is_empty() {
        body.push_str(&format!(
            "<p class=\"note\">{}</p>",
            escape(w.get("no_calls"))
        ));
    } else {
        body.push_str(&format!(
            "<div class=\"scroll\"><table><caption>{}</caption><thead><tr>\
             <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
             <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
             <th scope=\"col\">{}</th></tr></thead><tbody>",
            escape(w.get("calls_caption")),
            escape(w.get("col_call")),
            escape(w.get("col_status")),
            escape(w.get("col_opens")),
            escape(w.get("col_closes")),
            escape(w.get("col_answers")),
            escape(w.get("col_per_day")),
            escape(w.get("col_public")),
        ));
        for r in &rows {
            let status = w.get(match r.state {
                CallState::Open => "status.open",
                CallState::Upcoming => "status.upcoming",
                CallState::Closed => "status.closed",
            });
            let title = title(r.call, w.lang);
            let public = match public_url(&site, r.call, w.lang, staffer.preview) {
                Some(url) => format!(
                    "<a href=\"{}\">{}<span class=\"visually-hidden\">: {}</span></a>",
                    escape(&url),
                    escape(w.get("public_link")),
                    escape(title),
                ),
                None => String::new(),
            };
            let per_day = chart::per_day(
                &w.fill("per_day_summary", &[("call", title)]),
                w.get("col_day"),
                w.get("col_answers"),
                &r.per_day,
            );
            body.push_str(&format!(
                "<tr><th scope=\"row\"><a href=\"/admin/calls/{}\">{}</a></th><td>{}</td>\
                 <td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
                escape(&session::form_urlencoded_component(&r.call.id)),
                escape(title),
                escape(status),
                escape(&r.call.opens_text(w.lang)),
                escape(&r.call.closes_text(w.lang)),
                r.answers,
                per_day,
                public,
            ));
        }
        body.push_str("</tbody></table></div>");
    }
    Page {
        words: w,
        staffer: Some(&staffer),
        title: w.get("calls_title").into(),
        here: "/admin/",
        section: Section::Calls,
        body,
        status: StatusCode::OK,
    }
    .respond()
}
