//! The page every console route answers with: the skip link, the header (the preview's
//! banner, the navigation, who is signed in, signing out, the language switch), the content,
//! and the headers that keep it out of caches, frames and search engines. Also the refusals
//! (403, 404, 503) as such pages.
//!
//! Hand-written HTML: every value from outside goes through [`escape`]. The page needs no
//! script and no file besides itself.

use axum::extract::{Request, State as AxumState};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::session::{self, Staffer, form_urlencoded_component};
use super::words::Words;
use crate::feedback::errors::Fault;
use crate::feedback::pages::escape;
use crate::feedback::router::AppState;
use crate::feedback::staff::Role;
use crate::feedback::store::StoreError;

/// Which navigation entry a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Calls,
    Search,
    Audit,
    /// Sign-in, setup and refusals: no entry is current.
    None,
}

/// A console page about to be answered.
pub(crate) struct Page<'a> {
    pub words: Words,
    pub staffer: Option<&'a Staffer>,
    pub title: String,
    /// The path and query it is at, for the language switch to come back to.
    pub here: &'a str,
    pub section: Section,
    /// The content of `<main>`, after its `<h1>` (the title).
    pub body: String,
    pub status: StatusCode,
}

impl Page<'_> {
    pub fn render(&self) -> String {
        let w = self.words;
        let mut header = String::new();
        if self.staffer.is_some_and(|s| s.preview) {
            header.push_str(&format!(
                "<p class=\"banner\">{}</p>",
                escape(w.get("preview_banner"))
            ));
        }
        header.push_str(&format!(
            "<p class=\"brand\"><a href=\"/admin/\">{}</a></p>",
            escape(w.get("console"))
        ));
        if let Some(s) = self.staffer {
            header.push_str(&format!(
                "<nav aria-label=\"{}\"><ul>",
                escape(w.get("nav"))
            ));
            let mut entry = |href: &str, key: &str, section: Section| {
                let current = if self.section == section {
                    " aria-current=\"page\""
                } else {
                    ""
                };
                header.push_str(&format!(
                    "<li><a href=\"{href}\"{current}>{}</a></li>",
                    escape(w.get(key))
                ));
            };
            entry("/admin/", "nav_calls", Section::Calls);
            entry("/admin/search", "nav_search", Section::Search);
            if s.role == Role::Admin {
                entry("/admin/audit", "nav_audit", Section::Audit);
            }
            header.push_str("</ul></nav>");
            if !s.preview {
                let role = w.get(match s.role {
                    Role::Admin => "role.admin",
                    Role::Editor => "role.editor",
                });
                let name = if s.name.is_empty() { &s.email } else { &s.name };
                header.push_str(&format!(
                    "<form class=\"who\" method=\"post\" action=\"/admin/logout\"><p>{} \
                     <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
                     <button type=\"submit\">{}</button></p></form>",
                    escape(&w.fill("signed_in_as", &[("name", name), ("role", role)])),
                    escape(&s.csrf),
                    escape(w.get("sign_out")),
                ));
            }
        }
        let other = w.other();
        header.push_str(&format!(
            "<nav aria-label=\"{}\" class=\"langs\"><a href=\"/admin/lang/{}?next={}\" \
             lang=\"{}\" hreflang=\"{}\">{}</a></nav>",
            escape(w.get("lang_switch")),
            other.lang,
            escape(&form_urlencoded_component(self.here)),
            other.lang,
            other.lang,
            escape(other.get("lang_name")),
        ));
        format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title} – {console}</title><style>{STYLE}</style></head><body>\
             <a class=\"skip\" href=\"#main\">{skip}</a><header>{header}</header>\
             <main id=\"main\" tabindex=\"-1\"><h1>{title}</h1>{body}</main></body></html>\n",
            lang = w.lang,
            title = escape(&self.title),
            console = escape(w.get("console")),
            skip = escape(w.get("skip")),
            body = self.body,
        )
    }

    pub fn respond(&self) -> Response {
        with_headers((self.status, Html(self.render())).into_response())
    }
}

/// What every console response carries: never cached or framed, never indexed, no address
/// (a setup link's token) in a `Referer` to another site, and nothing run or loaded from
/// elsewhere.
pub(crate) fn with_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(h, header::CACHE_CONTROL, "no-store");
    // `same-origin`, not `no-referrer`: under `no-referrer` browsers send `Origin: null` with
    // a form post, and the console's own forms failed the origin check. Other sites still
    // never see a console address (a setup link's token) in a `Referer`.
    set(h, header::REFERRER_POLICY, "same-origin");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, HeaderName::from_static("x-robots-tag"), "noindex");
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    res
}

/// Links to the newer and older pages of a list on page `page` (from 1), if there are any;
/// `link` makes a page's address.
pub(crate) fn pager(w: Words, page: u32, older: bool, link: impl Fn(u32) -> String) -> String {
    pager_saying(w, ("newer", "older"), page, older, link)
}

/// [`pager`] with its two links' words (`prev`, `next`) by key, for a list in another order.
pub(crate) fn pager_saying(
    w: Words,
    (prev, next): (&str, &str),
    page: u32,
    more: bool,
    link: impl Fn(u32) -> String,
) -> String {
    if page <= 1 && !more {
        return String::new();
    }
    let mut nav = format!("<nav aria-label=\"{}\"><ul>", escape(w.get("pages")));
    if page > 1 {
        nav.push_str(&format!(
            "<li><a href=\"{}\" rel=\"prev\">{}</a></li>",
            escape(&link(page - 1)),
            escape(w.get(prev))
        ));
    }
    if more {
        nav.push_str(&format!(
            "<li><a href=\"{}\" rel=\"next\">{}</a></li>",
            escape(&link(page + 1)),
            escape(w.get(next))
        ));
    }
    nav.push_str("</ul></nav>");
    nav
}

/// `303 See Other` to a console path.
pub(crate) fn see_other(location: &str) -> Response {
    let location = HeaderValue::from_str(location).unwrap_or(HeaderValue::from_static("/admin/"));
    with_headers((StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response())
}

/// A request the console refuses, as a page: its status, heading and sentence.
pub(crate) struct Refusal {
    status: StatusCode,
    title: &'static str,
    message: &'static str,
}

impl Refusal {
    pub fn new(status: StatusCode, title: &'static str, message: &'static str) -> Refusal {
        Refusal {
            status,
            title,
            message,
        }
    }

    pub fn page(&self, words: Words, staffer: Option<&Staffer>) -> Response {
        Page {
            words,
            staffer,
            title: words.get(self.title).into(),
            here: "/admin/",
            section: Section::None,
            body: format!(
                "<p>{}</p><p><a href=\"/admin/\">{}</a></p>",
                escape(words.get(self.message)),
                escape(words.get("nav_calls")),
            ),
            status: self.status,
        }
        .respond()
    }
}

/// The store failed: 503, nothing said of why; the request log logs the fault.
pub(crate) fn unavailable(words: Words, e: StoreError) -> Response {
    let mut res = Refusal::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable_title",
        "unavailable",
    )
    .page(words, None);
    res.extensions_mut().insert(Fault::Store(e));
    res
}

/// Any other path under `/admin/`.
pub(crate) async fn not_found(AxumState(st): AxumState<AppState>, req: Request) -> Response {
    let words = session::words(&st, req.headers());
    Refusal::new(StatusCode::NOT_FOUND, "not_found_title", "not_found").page(words, None)
}

/// The console's look: system fonts, high contrast (every pair at least 4.5:1), a visible
/// focus ring, tables that scroll on a phone instead of overflowing the page.
const STYLE: &str = "\
*{box-sizing:border-box}\
body{margin:0;font:1rem/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff}\
a{color:#0b4f9c}\
a:focus,button:focus,input:focus,main:focus{outline:3px solid #b35900;outline-offset:2px}\
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}\
header{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;padding:.75rem 1rem;\
border-bottom:1px solid #767676;background:#f3f3f3}\
header p{margin:0}header ul{display:flex;gap:1rem;list-style:none;margin:0;padding:0}\
.brand a{font-weight:700;text-decoration:none;color:#1a1a1a}\
[aria-current=page]{font-weight:700}\
.banner{flex-basis:100%;background:#fff3cd;border:2px solid #8a6d00;padding:.5rem}\
.who,.langs{margin-left:auto}.langs{margin-left:0}\
main{padding:1rem;max-width:72rem}\
table{border-collapse:collapse;margin:1rem 0}caption{text-align:left;font-weight:700}\
th,td{border:1px solid #767676;padding:.35rem .6rem;text-align:left;vertical-align:top}\
td.n{text-align:right}.scroll{overflow-x:auto}\
label{display:block;font-weight:700;margin-top:1rem}\
input[type=email],input[type=password],input[type=text],input[type=search]{font:inherit;padding:.4rem;\
width:100%;max-width:24rem;border:1px solid #1a1a1a}\
button{font:inherit;padding:.4rem 1rem;margin-top:1rem;border:2px solid #0b4f9c;\
background:#0b4f9c;color:#fff;cursor:pointer}.who button{margin:0 0 0 .5rem;padding:.1rem .6rem}\
.error{border-left:4px solid #b00020;padding:.25rem .75rem;color:#8c0019}\
.note{border-left:4px solid #0b4f9c;padding:.25rem .75rem}\
mark{background:#ffe066;color:#1a1a1a}.help{margin:.25rem 0 0;font-size:.95rem}\
.hits li{margin-bottom:1rem}blockquote{margin:.5rem 0 .5rem 1rem}\
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}\
";
