//! The staff search over free-text answers in the console: [`AnswerSearch`], the one
//! [`LiveIndex`] an endpoint holds (built in the background at start, then following the
//! store), `GET /admin/search?q=` over every call, and what a call's page (`?q=`) asks of it.
//!
//! The index is derived from the store, so until its first build is done a search says it
//! is being prepared (503 with `Retry-After`) rather than showing nothing as if nothing
//! matched. Whatever a staff member types is searched: text tantivy's syntax cannot read is
//! searched as words, and a search longer than [`MAX_QUERY_CHARS`] is refused with a 400 page
//! that says so. Hidden answers are found too, and marked.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{RawQuery, State as AxumState};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

use super::answers::{PER_PAGE, question_text};
use super::audit::when;
use super::layout::{self, Page, Refusal, Section};
use super::session::{Fields, Staffer, field, form_urlencoded_component, page_number, query};
use super::words::Words;
use crate::feedback::calls::SiteHandle;
use crate::feedback::errors::Fault;
use crate::feedback::pages::escape;
use crate::feedback::router::{AppState, State};
use crate::feedback::search::{AnswerHit, LiveIndex, MAX_QUERY_CHARS, SearchError};
use crate::feedback::store::{Filter, Store, StoredResponse};

/// How long a search waits for the index's first build before it says it is being prepared:
/// a small store's index is ready well within it, so staff never see the message there.
const WAIT_FOR_BUILD: Duration = Duration::from_secs(2);

/// How often the index reads the store's changes, for those other instances make.
const FOLLOW_EVERY: Duration = Duration::from_secs(1);

/// The endpoint's answer index: not started, being built, ready, or failed to build.
pub struct AnswerSearch {
    status: Arc<tokio::sync::watch::Sender<Status>>,
}

#[derive(Clone)]
enum Status {
    NotStarted,
    Building,
    Ready(Arc<LiveIndex>),
    /// The last build failed (the store could not be read); the next search tries again.
    Failed(String),
}

/// What a search finds the index to be.
enum Index {
    Ready(Arc<LiveIndex>),
    /// Still being built after [`WAIT_FOR_BUILD`].
    Preparing,
    Failed(String),
}

impl Default for AnswerSearch {
    fn default() -> AnswerSearch {
        AnswerSearch {
            status: Arc::new(tokio::sync::watch::Sender::new(Status::NotStarted)),
        }
    }
}

impl std::fmt::Debug for AnswerSearch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let status = match &*self.status.borrow() {
            Status::NotStarted => "not started".to_string(),
            Status::Building => "building".to_string(),
            Status::Ready(live) => format!("{} answer texts", live.len()),
            Status::Failed(e) => format!("failed: {e}"),
        };
        f.debug_tuple("AnswerSearch").field(&status).finish()
    }
}

impl AnswerSearch {
    /// Builds the index from `store` in the background (on the current tokio runtime) and,
    /// once built, follows the store's changes. Does nothing while it is being built or once
    /// it is; after a failed build (logged), it starts another.
    pub fn start(&self, store: Arc<dyn Store>, site: Arc<SiteHandle>) {
        let begin = self.status.send_if_modified(|s| match s {
            Status::NotStarted | Status::Failed(_) => {
                *s = Status::Building;
                true
            }
            Status::Building | Status::Ready(_) => false,
        });
        if !begin {
            return;
        }
        let status = self.status.clone();
        tokio::spawn(async move {
            let began = Instant::now();
            let calls = site.get().calls().map(|c| c.id.clone()).collect();
            let free_text = LiveIndex::free_text_of(site.clone());
            match LiveIndex::build(store, calls, free_text).await {
                Ok(mut live) => {
                    live.watch_calls(Arc::new(move || {
                        site.get().calls().map(|c| c.id.clone()).collect()
                    }));
                    let live = Arc::new(live);
                    // Ends by itself when the index is dropped with the endpoint's state.
                    drop(live.follow(FOLLOW_EVERY));
                    tracing::info!(
                        answers = live.len(),
                        ms = began.elapsed().as_millis() as u64,
                        "the staff search is ready"
                    );
                    status.send_replace(Status::Ready(live));
                }
                Err(e) => {
                    tracing::error!(error = %e, "cannot build the staff search; the next search tries again");
                    let e = format!("the index could not be built: {e}");
                    status.send_replace(Status::Failed(e));
                }
            }
        });
    }

    /// The index, waiting [`WAIT_FOR_BUILD`] at most while it is built (started if it is
    /// not, or built again if the last build failed).
    async fn ready(&self, st: &State) -> Index {
        self.ready_from(&st.store, &st.site).await
    }

    async fn ready_from(&self, store: &Arc<dyn Store>, site: &Arc<SiteHandle>) -> Index {
        self.start(store.clone(), site.clone());
        let mut status = self.status.subscribe();
        let done = |s: &Status| !matches!(s, Status::Building);
        let _ = tokio::time::timeout(WAIT_FOR_BUILD, status.wait_for(done)).await;
        let now = status.borrow().clone();
        match now {
            Status::Ready(live) => Index::Ready(live),
            Status::Failed(e) => Index::Failed(e),
            Status::NotStarted | Status::Building => Index::Preparing,
        }
    }
}

/// The query of a form (`q`), trimmed; `None` for none.
pub(crate) fn query_of(q: &Fields) -> Option<&str> {
    Some(field(q, "q").trim()).filter(|t| !t.is_empty())
}

/// What a call's page needs of a search for `text`: the ids of the call's responses that
/// match, and the index to ask for their snippets. Anything else is the page to answer with
/// (too long, being prepared, failed).
pub(crate) async fn in_call(
    st: &State,
    staffer: &Staffer,
    call: &str,
    text: &str,
    form: impl FnOnce() -> String,
) -> Result<(Arc<LiveIndex>, Vec<i64>), Response> {
    let w = staffer.words;
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(too_long(staffer));
    }
    let live = match st.console.search.ready(st).await {
        Index::Ready(live) => live,
        Index::Preparing => return Err(preparing(staffer, form())),
        Index::Failed(e) => return Err(unavailable(w, Fault::Search(e), staffer)),
    };
    match live.matching(Some(call), text).await {
        Ok(ids) => Ok((live, ids)),
        Err(e) => Err(failed(w, e, staffer)),
    }
}

/// The matching answer texts of the responses a page shows, by response: each as its
/// question's id and its `<mark>`ed snippet (already escaped HTML).
pub(crate) fn snippets(
    live: &LiveIndex,
    text: &str,
    shown: &[i64],
) -> Result<BTreeMap<i64, Vec<(String, String)>>, SearchError> {
    let mut by_response: BTreeMap<i64, Vec<(String, String)>> = BTreeMap::new();
    for hit in live.hits_of(text, shown)? {
        by_response
            .entry(hit.id)
            .or_default()
            .push((hit.question_id, hit.snippet_html));
    }
    for hits in by_response.values_mut() {
        hits.sort();
    }
    Ok(by_response)
}

/// Only `ids` of what `before` allowed (`None`: everything).
pub(crate) fn narrow(before: Option<Vec<i64>>, ids: Vec<i64>) -> Vec<i64> {
    match before {
        None => ids,
        Some(before) => {
            // Both can hold every answer of a big call: no list scanned per id.
            let before: std::collections::HashSet<i64> = before.into_iter().collect();
            ids.into_iter().filter(|id| before.contains(id)).collect()
        }
    }
}

fn too_long(staffer: &Staffer) -> Response {
    Refusal::new(StatusCode::BAD_REQUEST, "refused_title", "search_too_long")
        .page(staffer.words, Some(staffer))
}

/// The search form and the sentence that the index is being prepared: 503 with
/// `Retry-After`, so a script tries again too.
fn preparing(staffer: &Staffer, form: String) -> Response {
    let w = staffer.words;
    let mut res = Page {
        words: w,
        staffer: Some(staffer),
        title: w.get("search_preparing_title").into(),
        here: "/admin/search",
        section: Section::Search,
        body: format!(
            "{form}<p class=\"note\" role=\"status\">{}</p>",
            escape(w.get("search_preparing"))
        ),
        status: StatusCode::SERVICE_UNAVAILABLE,
    }
    .respond();
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    res
}

/// The index or the store failed: 503, the fault for the request log.
pub(crate) fn failed(w: Words, e: SearchError, staffer: &Staffer) -> Response {
    let fault = match e {
        SearchError::TooLong => return too_long(staffer),
        SearchError::Store(e) => return layout::unavailable(w, e),
        SearchError::Index(e) => Fault::Search(e.to_string()),
    };
    unavailable(w, fault, staffer)
}

/// 503, nothing said of why; the request log logs `fault`.
fn unavailable(w: Words, fault: Fault, staffer: &Staffer) -> Response {
    let mut res = Refusal::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable_title",
        "unavailable",
    )
    .page(w, Some(staffer));
    res.extensions_mut().insert(fault);
    res
}

/// The search field as a GET form to `action`, with its label and help.
pub(crate) fn field_html(w: Words, id: &str, value: &str) -> String {
    format!(
        "<label for=\"{id}\">{label}</label>\
         <input type=\"search\" id=\"{id}\" name=\"q\" value=\"{value}\" \
         maxlength=\"{MAX_QUERY_CHARS}\" aria-describedby=\"{id}-help\">\
         <p id=\"{id}-help\" class=\"help\">{help}</p>",
        label = escape(w.get("search_label")),
        value = escape(value),
        help = escape(w.get("search_help")),
    )
}

fn form(w: Words, value: &str) -> String {
    format!(
        "<form method=\"get\" action=\"/admin/search\" role=\"search\">{}\
         <p><button type=\"submit\">{}</button></p></form>",
        field_html(w, "q", value),
        escape(w.get("search_button")),
    )
}

/// "No answers match" and what to try instead.
pub(crate) fn nothing_found(w: Words, text: &str) -> String {
    format!(
        "<p>{}</p><p class=\"note\">{}</p>",
        escape(&w.fill("search_none", &[("q", text)])),
        escape(w.get("search_hint")),
    )
}

/// `GET /admin/search?q=&page=`: every call's matching answers, best first, [`PER_PAGE`] a
/// page, each with its call, question, snippet and a link to it among its call's answers.
pub(crate) async fn page(
    AxumState(st): AxumState<AppState>,
    staffer: Staffer,
    RawQuery(raw): RawQuery,
) -> Response {
    let w = staffer.words;
    let q = query(raw);
    let Some(text) = query_of(&q) else {
        return Page {
            words: w,
            staffer: Some(&staffer),
            title: w.get("search_title").into(),
            here: "/admin/search",
            section: Section::Search,
            body: form(w, ""),
            status: StatusCode::OK,
        }
        .respond();
    };
    if text.chars().count() > MAX_QUERY_CHARS {
        return too_long(&staffer);
    }
    let live = match st.console.search.ready(&st).await {
        Index::Ready(live) => live,
        Index::Preparing => return preparing(&staffer, form(w, text)),
        Index::Failed(e) => return unavailable(w, Fault::Search(e), &staffer),
    };
    let page = page_number(&q);
    let per_page = PER_PAGE as usize;
    let offset = (page as usize - 1).saturating_mul(per_page);
    let total = match live.count(None, text).await {
        Ok(n) => n,
        Err(e) => return failed(w, e, &staffer),
    };
    if offset >= total && page > 1 {
        return Refusal::new(StatusCode::NOT_FOUND, "not_found_title", "past_the_end")
            .page(w, Some(&staffer));
    }
    let hits = match live.search(None, text, per_page, offset).await {
        Ok(hits) => hits,
        Err(e) => return failed(w, e, &staffer),
    };
    let responses = match stored(&st, &hits).await {
        Ok(r) => r,
        Err(e) => return layout::unavailable(w, e),
    };
    let encoded = form_urlencoded_component(text);
    let here = format!("/admin/search?q={encoded}&page={page}");
    let mut body = form(w, text);
    if total == 0 {
        body.push_str(&nothing_found(w, text));
    } else {
        body.push_str(&format!(
            "<p role=\"status\">{}</p><ol class=\"hits\" start=\"{}\">",
            escape(&w.fill(
                "search_found",
                &[
                    ("n", &total.to_string()),
                    ("q", text),
                    ("page", &page.to_string())
                ]
            )),
            offset + 1,
        ));
        let site = st.site.get();
        for hit in &hits {
            // Deleted since the search: nothing of it is shown.
            let Some(r) = responses.get(&hit.id) else {
                continue;
            };
            body.push_str(&hit_html(w, &site, hit, r, &encoded));
        }
        body.push_str("</ol>");
    }
    let more = offset + hits.len() < total;
    // Hits go best first, so the links say previous and next, not newer and older.
    body.push_str(&layout::pager_saying(
        w,
        ("search_prev", "search_next"),
        page,
        more,
        |p| format!("/admin/search?q={encoded}&page={p}"),
    ));
    Page {
        words: w,
        staffer: Some(&staffer),
        title: w.get("search_title").into(),
        here: &here,
        section: Section::Search,
        body,
        status: StatusCode::OK,
    }
    .respond()
}

/// The stored responses of `hits`, by id, read call by call.
async fn stored(
    st: &State,
    hits: &[AnswerHit],
) -> Result<BTreeMap<i64, StoredResponse>, crate::feedback::store::StoreError> {
    let mut by_call: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    for h in hits {
        by_call.entry(&h.call_id).or_default().push(h.id);
    }
    let mut out = BTreeMap::new();
    for (call, ids) in by_call {
        let n = ids.len() as u32;
        let filter = Filter {
            ids: Some(ids),
            ..Filter::default()
        };
        for r in st.store.page(call.to_string(), filter, 0, n).await?.0 {
            out.insert(r.id, r);
        }
    }
    Ok(out)
}

/// One hit: its call, the answer's id, when and in which language, whether it is hidden, the
/// question and the snippet, and the way to it in its call's answers.
fn hit_html(
    w: Words,
    site: &crate::feedback::calls::Site,
    hit: &AnswerHit,
    r: &StoredResponse,
    encoded_query: &str,
) -> String {
    let call = site.call(&hit.call_id);
    let title = call.map_or(hit.call_id.as_str(), |c| super::calls::title(c, w.lang));
    let question = call
        .and_then(|c| c.question(&hit.question_id))
        .map_or(hit.question_id.as_str(), |q| question_text(site, q));
    let mut html = format!(
        "<li><h2>{}</h2><p>{}</p>",
        escape(&w.fill(
            "search_hit",
            &[("call", title), ("id", &hit.id.to_string())]
        )),
        escape(&w.fill(
            "response_meta",
            &[("when", &when(r.submitted)), ("lang", &r.lang)]
        )),
    );
    if let Some(h) = &r.hidden {
        html.push_str(&format!(
            "<p class=\"note\">{}</p>",
            escape(&w.fill(
                "hidden_because",
                &[("reason", &h.reason), ("by", &h.by), ("when", &when(h.at))]
            ))
        ));
    }
    html.push_str(&format!(
        "<p class=\"question\">{}</p><blockquote><p>{}</p></blockquote>",
        escape(question),
        hit.snippet_html,
    ));
    if call.is_some() {
        let href = format!(
            "/admin/calls/{}?q={encoded_query}&id={id}#r{id}",
            form_urlencoded_component(&hit.call_id),
            id = hit.id,
        );
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape(&href),
            escape(&w.fill("search_show", &[("id", &hit.id.to_string())])),
        ));
    }
    html.push_str("</li>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feedback::store::{DbSpec, IfMissing};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_search_waits_for_the_build_a_while_then_says_it_is_being_prepared() {
        let dir = tempfile::tempdir().unwrap();
        let db = DbSpec::Sqlite(dir.path().join("answers.sqlite"));
        let store = crate::feedback::store::open(&db, IfMissing::Create).unwrap();
        let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/feedback_site");
        let site = Arc::new(SiteHandle::open(std::path::Path::new(fixture)).unwrap());
        let search = AnswerSearch::default();
        // As if a big store's build were under way.
        search.status.send_replace(Status::Building);
        let began = Instant::now();
        let index = search.ready_from(&store, &site).await;
        assert!(matches!(index, Index::Preparing), "{search:?}");
        assert!(began.elapsed() >= WAIT_FOR_BUILD);

        let staffer = Staffer {
            email: "preview".into(),
            name: String::new(),
            role: crate::feedback::staff::Role::Admin,
            csrf: String::new(),
            token: None,
            words: Words::of("en"),
            preview: true,
        };
        let res = preparing(&staffer, form(staffer.words, "benk"));
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(res.headers()[header::RETRY_AFTER], "5");
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = String::from_utf8(body.to_vec()).unwrap();
        assert!(body.contains("Search is being prepared: the answers are being read."));
        assert!(
            body.contains("value=\"benk\""),
            "the search is kept in its field"
        );

        // A build that starts now, on a small store, is done within the wait.
        search.status.send_replace(Status::NotStarted);
        assert!(matches!(
            search.ready_from(&store, &site).await,
            Index::Ready(_)
        ));
        store.close().await;
    }

    #[test]
    fn narrowing_keeps_only_ids_both_allow() {
        assert_eq!(narrow(None, vec![1, 2, 3]), [1, 2, 3]);
        assert_eq!(narrow(Some(vec![2, 3, 9]), vec![1, 2, 3]), [2, 3]);
        assert!(narrow(Some(vec![]), vec![1]).is_empty());
    }

    #[test]
    fn a_query_is_trimmed_and_blank_is_none() {
        let q = |v: &str| Fields::from([("q".to_string(), v.to_string())]);
        assert_eq!(query_of(&q("  benk ")), Some("benk"));
        assert_eq!(query_of(&q("   ")), None);
        assert_eq!(query_of(&Fields::new()), None);
    }
}
