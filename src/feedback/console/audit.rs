//! `GET /admin/audit?page=N`: the audit log, newest first, [`PER_PAGE`] lines a page, for
//! admins only (an editor gets 403). It says who did what, to which call, and when; the store
//! keeps no answer text in it, so none can show.

use axum::extract::{RawQuery, State as AxumState};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::tz::TimeZone;

use super::layout::{self, Page, Refusal, Section};
use super::session::{Staffer, page_number, query};
use crate::feedback::pages::escape;
use crate::feedback::router::AppState;
use crate::feedback::staff::Role;

/// Lines of the log on one page.
pub const PER_PAGE: u32 = 50;

/// Norway's time zone, which staff read times in.
pub(crate) fn oslo() -> TimeZone {
    TimeZone::get("Europe/Oslo").unwrap_or(TimeZone::UTC)
}

/// When, in Norway's time, as staff read it.
pub(crate) fn when(at: jiff::Timestamp) -> String {
    at.to_zoned_datetime(oslo())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

pub(crate) async fn log(
    AxumState(st): AxumState<AppState>,
    staffer: Staffer,
    RawQuery(q): RawQuery,
) -> Response {
    let w = staffer.words;
    if staffer.role != Role::Admin {
        return Refusal::new(StatusCode::FORBIDDEN, "refused_title", "admins_only")
            .page(w, Some(&staffer));
    }
    let page = page_number(&query(q));
    // One line more than a page says whether there is an older page.
    let mut lines = match st.store.audit_log(page - 1, PER_PAGE + 1).await {
        Ok(lines) => lines,
        Err(e) => return layout::unavailable(w, e),
    };
    let older = lines.len() > PER_PAGE as usize;
    lines.truncate(PER_PAGE as usize);
    let here = format!("/admin/audit?page={page}");
    let mut body = format!("<p>{}</p>", escape(w.get("audit_intro")));
    let mut status = StatusCode::OK;
    if lines.is_empty() && page > 1 {
        status = StatusCode::NOT_FOUND;
        body.push_str(&format!(
            "<p class=\"error\">{}</p><p><a href=\"/admin/audit\">{}</a></p>",
            escape(&w.fill("audit_past_end", &[("page", &page.to_string())])),
            escape(w.get("first_page")),
        ));
    } else if lines.is_empty() {
        body.push_str(&format!(
            "<p class=\"note\">{}</p>",
            escape(w.get("audit_empty"))
        ));
    } else {
        body.push_str(&format!(
            "<div class=\"scroll\"><table><caption>{} ({})</caption><thead><tr>\
             <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
             <th scope=\"col\">{}</th></tr></thead><tbody>",
            escape(w.get("audit_caption")),
            escape(&w.fill("page_n", &[("page", &page.to_string())])),
            escape(w.get("col_when")),
            escape(w.get("col_who")),
            escape(w.get("col_action")),
            escape(w.get("col_detail")),
        ));
        for l in &lines {
            let concerning = [l.call.as_deref().unwrap_or(""), l.detail.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(": ");
            body.push_str(&format!(
                "<tr><td><time datetime=\"{}\">{}</time></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&l.at.to_string()),
                escape(&when(l.at)),
                escape(&l.who),
                escape(&w.action(&l.action)),
                escape(&concerning),
            ));
        }
        body.push_str("</tbody></table></div>");
        body.push_str(&layout::pager(w, page, older, |p| {
            format!("/admin/audit?page={p}")
        }));
    }
    Page {
        words: w,
        staffer: Some(&staffer),
        title: w.get("audit_title").into(),
        here: &here,
        section: Section::Audit,
        body,
        status,
    }
    .respond()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_norway() {
        let at: jiff::Timestamp = "2026-07-01T10:00:00Z".parse().unwrap();
        assert_eq!(when(at), "2026-07-01 12:00");
    }
}
