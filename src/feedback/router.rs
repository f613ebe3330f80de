//! The HTTP routes, as `router(state) -> Router`, and the state they share.
//!
//! Routes (docs/api.md and docs/openapi.yaml describe them for callers):
//! - `POST /api/calls/{id}/responses`: a resident's answers, as a form or JSON
//! - `GET  /api/calls/{id}/form-token`: a signed form-render time for the page script
//! - `GET  /api/calls/{id}/thanks`: the thank-you page with the receipt, for form posts
//! - `GET  /api/calls/{id}/summary`: public counts
//! - `POST /api/withdraw`, `GET /api/withdrawn`: withdrawing an answer by its receipt
//! - `GET  /api/admin/calls/{id}/responses`: staff export (bearer token)
//! - `GET  /healthz`
//!
//! Whether to answer with JSON or HTML follows the request: a JSON post (or one that accepts
//! JSON and not HTML) gets JSON; a plain form post gets redirects and pages.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

use axum::extract::rejection::PathRejection;
use axum::extract::{MatchedPath, Path, RawQuery, Request, State as AxumState};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;
use serde_json::json;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::abuse::{FormTokens, Origins, RateLimiter, TokenProblem};
use super::answers::{self, Submission};
use super::calls::{Call, CallState, Site, SiteHandle};
use super::errors::{Error, Fault};
use super::export;
use super::messages::{Msg, text};
use super::pages::{Frame, escape};
use super::posted::{Posted, Withdrawal};
use super::receipt::Receipt;
use super::store::{NewResponse, Store};

/// The endpoint's clock. Tests move it forward instead of sleeping.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    pub fn now(&self) -> Timestamp {
        let now = Timestamp::now();
        let off = self.offset_ms.load(Ordering::Relaxed);
        if off == 0 {
            return now;
        }
        Timestamp::from_millisecond(now.as_millisecond() + off).unwrap_or(now)
    }

    pub fn advance(&self, d: std::time::Duration) {
        self.offset_ms
            .fetch_add(d.as_millis() as i64, Ordering::Relaxed);
    }
}

/// What every route needs.
pub struct State {
    pub site: Arc<SiteHandle>,
    pub store: Arc<dyn Store>,
    pub tokens: FormTokens,
    pub limiter: RateLimiter,
    pub origins: Origins,
    /// SHA-256 of `TORGET_ADMIN_TOKEN`; `None` turns the admin routes off.
    pub admin_token: Option<[u8; 32]>,
    /// A header set by the reverse proxy that holds the client's address (e.g. `X-Real-IP`).
    pub real_ip_header: Option<HeaderName>,
    pub clock: Clock,
}

pub type AppState = Arc<State>;

impl State {
    pub fn admin_token_hash(token: &str) -> Option<[u8; 32]> {
        let token = token.trim();
        (!token.is_empty()).then(|| Sha256::digest(token.as_bytes()).into())
    }
}

pub fn router(state: AppState) -> Router {
    let origins = state.origins.clone();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin, parts| {
            let host = parts
                .headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok());
            origin
                .to_str()
                .is_ok_and(|o| origins.allows_origin(o, host))
        }))
        .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::ACCEPT])
        .max_age(std::time::Duration::from_secs(3600));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/calls/{id}/form-token", get(form_token))
        .route("/api/calls/{id}/responses", post(post_response))
        .route("/api/calls/{id}/thanks", get(thanks))
        .route("/api/calls/{id}/summary", get(summary))
        .route("/api/withdraw", post(withdraw))
        .route("/api/withdrawn", get(withdrawn))
        // On the method, not the path: a wrong method still gets 405 without the token.
        .route(
            "/api/admin/calls/{id}/responses",
            get(admin_export)
                .route_layer(middleware::from_fn_with_state(state.clone(), require_admin)),
        )
        .route_layer(middleware::from_fn(log_request))
        .fallback(|| async { Error::NoSuchRoute })
        .method_not_allowed_fallback(|| async { Error::MethodNotAllowed })
        .layer(cors)
        .with_state(state)
}

/// Logs each request by its route pattern, never its path or query (they can hold a receipt),
/// and never the client's address. This is the one place an internal [`Fault`] is logged: the
/// response carries it here from wherever it happened.
async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let start = Instant::now();
    let res = next.run(req).await;
    let status = res.status().as_u16();
    let micros = start.elapsed().as_micros() as u64;
    if let Some(fault) = res.extensions().get::<Fault>() {
        tracing::error!(%method, %route, status, micros, error = %fault, "request failed");
    } else if status >= 500 {
        tracing::warn!(%method, %route, status, micros, "request failed");
    } else {
        tracing::debug!(%method, %route, status, micros, "request");
    }
    res
}

async fn healthz() -> impl IntoResponse {
    Json(json!({ "status": "ok" }))
}

/// Whether the caller wants pages and redirects over JSON: a browser navigating (it accepts
/// `text/html`), or a plain form post that says nothing about what it accepts.
fn wants_html(headers: &HeaderMap) -> bool {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if accept.contains("text/html") {
        return true;
    }
    if accept.contains("application/json") {
        return false;
    }
    ct.trim_start()
        .to_ascii_lowercase()
        .starts_with("application/x-www-form-urlencoded")
}

/// The first language in `Accept-Language` that the site has, else the site's default.
fn lang_hint(headers: &HeaderMap, site: &Site) -> String {
    let known =
        |l: &str| l == site.default_language || site.calls().any(|c| c.languages.contains_key(l));
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .into_iter()
        .flat_map(|v| v.split(','))
        .filter_map(|part| {
            let tag = part.split(';').next()?.trim();
            let primary = tag.split('-').next()?.to_ascii_lowercase();
            let primary = if primary == "no" || primary == "nn" {
                "nb".to_string()
            } else {
                primary
            };
            known(&primary).then_some(primary)
        })
        .next()
        .unwrap_or_else(|| site.default_language.clone())
}

/// A call id from the path. One that cannot be decoded (bad percent-escapes, not UTF-8) is no
/// call we know, so it is an empty id and gets the usual 404.
struct CallId(String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for CallId {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let id: Result<Path<String>, PathRejection> = Path::from_request_parts(parts, state).await;
        Ok(CallId(id.map(|p| p.0).unwrap_or_default()))
    }
}

/// Query parameters, read as leniently as browsers write them: the last of a repeated name
/// wins, and a query that is not UTF-8 counts as absent.
fn query(raw: Option<String>) -> HashMap<String, String> {
    raw.and_then(|q| answers::form_pairs(q.as_bytes()).ok())
        .map(|pairs| pairs.into_iter().collect())
        .unwrap_or_default()
}

async fn post_response(
    AxumState(st): AxumState<AppState>,
    CallId(id): CallId,
    headers: HeaderMap,
    posted: Result<Posted<Submission>, Error>,
) -> Response {
    let html = wants_html(&headers);
    let site = st.site.get();
    let call = site.call(&id).cloned();
    // The language of whatever we answer: the post's own `lang` once it is read.
    let mut lang = lang_hint(&headers, &site);
    let result = receive(&st, &site, call.as_deref(), posted, &mut lang).await;
    let thanks_url = call
        .as_ref()
        .and_then(|c| c.languages.get(&lang))
        .map(|l| l.thanks_url.clone());
    match result {
        Ok(receipt) if html => {
            // Relative, so that it works behind a proxy that mounts the endpoint under a path.
            Redirect::to(&format!(
                "thanks?lang={}&receipt={}",
                url_component(&lang),
                receipt
            ))
            .into_response()
        }
        Ok(receipt) => (
            StatusCode::CREATED,
            [(header::CACHE_CONTROL, "no-store")],
            Json(json!({ "receipt": receipt.as_str(), "thanks_url": thanks_url.unwrap_or_default() })),
        )
            .into_response(),
        Err(e) if html => {
            let frame = Frame::new(&site, &lang, st.origins.site(), thanks_url.as_deref());
            e.to_html(&lang, &frame, Msg::ErrorHeading)
        }
        Err(e) => e.to_json(&lang),
    }
}

/// Language codes and receipts are plain ASCII, but never trust that in a URL.
fn url_component(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

async fn receive(
    st: &State,
    site: &Site,
    call: Option<&Call>,
    posted: Result<Posted<Submission>, Error>,
    lang: &mut String,
) -> Result<Receipt, Error> {
    let Posted(sub) = posted?;
    if let Some(l) = &sub.lang {
        let ok = match call {
            Some(c) => c.languages.contains_key(l),
            None => {
                *l == site.default_language || site.calls().any(|c| c.languages.contains_key(l))
            }
        };
        if ok {
            *lang = l.clone();
        }
    }
    let call = call.ok_or(Error::UnknownCall)?;
    if !call.languages.contains_key(lang.as_str()) {
        *lang = call.canonical_lang.clone();
    }
    let now = st.clock.now();
    match call.state(now) {
        CallState::Upcoming => {
            return Err(Error::NotYetOpen {
                opens: call.opens_text.clone(),
            });
        }
        CallState::Closed => {
            return Err(Error::Closed {
                closes: call.closes_text.clone(),
            });
        }
        CallState::Open => {}
    }
    if sub.website.as_deref().is_some_and(|w| !w.trim().is_empty()) {
        return Err(Error::Honeypot);
    }
    if let Some(token) = sub.form_token.as_deref().filter(|t| !t.is_empty()) {
        st.tokens.check(&call.id, token, now).map_err(|p| match p {
            TokenProblem::TooFast => Error::TooFast,
            TokenProblem::Expired => Error::TokenExpired,
            TokenProblem::Invalid => Error::TokenInvalid,
        })?;
    }
    let answers = answers::validate(call, lang, &sub).map_err(Error::Invalid)?;
    let receipt =
        Receipt::generate().map_err(|e| Error::Unavailable(Fault::NoRandomness(e.to_string())))?;
    st.store
        .insert(NewResponse {
            call_id: call.id.clone(),
            lang: lang.clone(),
            submitted: now,
            answers,
            receipt: receipt.hash(),
        })
        .await
        .map_err(|e| Error::Unavailable(e.into()))?;
    tracing::debug!(call = %call.id, %lang, "stored a response");
    Ok(receipt)
}

fn page_headers(html: String, status: StatusCode) -> Response {
    (
        status,
        [
            (header::CACHE_CONTROL, "no-store"),
            // The URL holds the receipt: keep it out of Referer headers to the site's host.
            (header::REFERRER_POLICY, "no-referrer"),
            (HeaderName::from_static("x-robots-tag"), "noindex"),
        ],
        Html(html),
    )
        .into_response()
}

async fn thanks(
    AxumState(st): AxumState<AppState>,
    CallId(id): CallId,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let mut q = query(q);
    let site = st.site.get();
    let Some(call) = site.call(&id).cloned() else {
        let lang = q
            .remove("lang")
            .filter(|l| !l.is_empty() && l.len() <= 16)
            .unwrap_or_else(|| lang_hint(&headers, &site));
        let frame = Frame::new(&site, &lang, st.origins.site(), None);
        return Error::UnknownCall.to_html(&lang, &frame, Msg::ErrorHeading);
    };
    let lang = q
        .remove("lang")
        .filter(|l| call.languages.contains_key(l))
        .unwrap_or_else(|| call.canonical_lang.clone());
    let thanks_url = call.languages.get(&lang).map(|l| l.thanks_url.as_str());
    let frame = Frame::new(&site, &lang, st.origins.site(), thanks_url);
    let receipt = q
        .get("receipt")
        .map(String::as_str)
        .and_then(Receipt::parse)
        .map(|r| r.to_string())
        .unwrap_or_else(|| "—".into());
    page_headers(
        frame.thanks(&receipt, &text(&lang, &Msg::ThanksHeading)),
        StatusCode::OK,
    )
}

async fn form_token(
    AxumState(st): AxumState<AppState>,
    CallId(id): CallId,
    headers: HeaderMap,
) -> Response {
    let site = st.site.get();
    if site.call(&id).is_none() {
        return Error::UnknownCall.to_json(&lang_hint(&headers, &site));
    }
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({
            "token": st.tokens.issue(&id, st.clock.now()),
            "min_seconds": st.tokens.min_fill.as_secs(),
        })),
    )
        .into_response()
}

async fn summary(
    AxumState(st): AxumState<AppState>,
    CallId(id): CallId,
    headers: HeaderMap,
) -> Response {
    let site = st.site.get();
    let Some(call) = site.call(&id).cloned() else {
        return Error::UnknownCall.to_json(&lang_hint(&headers, &site));
    };
    match st.store.responses(id).await {
        Ok(rs) => (
            [(header::CACHE_CONTROL, "no-cache")],
            Json(export::summary(&call, &rs)),
        )
            .into_response(),
        Err(e) => Error::Unavailable(e.into()).to_json(&lang_hint(&headers, &site)),
    }
}

async fn withdraw(
    AxumState(st): AxumState<AppState>,
    headers: HeaderMap,
    posted: Result<Posted<Withdrawal>, Error>,
) -> Response {
    let html = wants_html(&headers);
    let site = st.site.get();
    let mut lang = lang_hint(&headers, &site);
    let result = withdraw_inner(&st, posted, &mut lang).await;
    match result {
        Ok(()) if html => {
            Redirect::to(&format!("withdrawn?lang={}", url_component(&lang))).into_response()
        }
        Ok(()) => (
            [(header::CACHE_CONTROL, "no-store")],
            Json(json!({ "message": text(&lang, &Msg::Withdrawn) })),
        )
            .into_response(),
        Err(e) if html => e.to_html(
            &lang,
            &Frame::new(&site, &lang, st.origins.site(), None),
            Msg::WithdrawErrorHeading,
        ),
        Err(e) => e.to_json(&lang),
    }
}

async fn withdraw_inner(
    st: &State,
    posted: Result<Posted<Withdrawal>, Error>,
    lang: &mut String,
) -> Result<(), Error> {
    let Posted(Withdrawal { receipt, lang: l }) = posted?;
    if let Some(l) = l.filter(|l| !l.is_empty() && l.len() <= 16) {
        *lang = l;
    }
    let receipt = receipt
        .filter(|r| !r.trim().is_empty())
        .ok_or(Error::ReceiptMissing)?;
    let receipt = Receipt::parse(&receipt).ok_or(Error::UnknownReceipt)?;
    match st.store.withdraw(receipt.hash()).await {
        Ok(true) => {
            tracing::info!("a response was withdrawn");
            Ok(())
        }
        Ok(false) => Err(Error::UnknownReceipt),
        Err(e) => Err(Error::Unavailable(e.into())),
    }
}

async fn withdrawn(
    AxumState(st): AxumState<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let site = st.site.get();
    let lang = query(q)
        .remove("lang")
        .filter(|l| !l.is_empty() && l.len() <= 16)
        .unwrap_or_else(|| lang_hint(&headers, &site));
    let frame = Frame::new(&site, &lang, st.origins.site(), None);
    let body = format!(
        "<p class=\"lead\">{}</p>",
        escape(&text(&lang, &Msg::Withdrawn))
    );
    page_headers(
        frame.page(&text(&lang, &Msg::WithdrawnHeading), &body),
        StatusCode::OK,
    )
}

/// The admin routes' guard: they are off without `TORGET_ADMIN_TOKEN`, and otherwise need it
/// as a bearer token.
async fn require_admin(
    AxumState(st): AxumState<AppState>,
    req: Request,
    next: Next,
) -> Result<Response, Error> {
    let expected = st.admin_token.ok_or(Error::AdminOff)?;
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(Error::Unauthorized)?;
    // Comparing digests in constant time hides both the token and its length.
    let given: [u8; 32] = Sha256::digest(given.trim().as_bytes()).into();
    if !bool::from(given.ct_eq(&expected)) {
        return Err(Error::Unauthorized);
    }
    Ok(next.run(req).await)
}

async fn admin_export(
    AxumState(st): AxumState<AppState>,
    CallId(id): CallId,
    RawQuery(q): RawQuery,
) -> Result<Response, Error> {
    let format = query(q).remove("format").unwrap_or_else(|| "csv".into());
    let format = format.as_str();
    if format != "csv" && format != "json" {
        return Err(Error::BadFormat);
    }
    let site = st.site.get();
    let call = site.call(&id).cloned().ok_or(Error::UnknownCall)?;
    let rs = st
        .store
        .responses(id)
        .await
        .map_err(|e| Error::Unavailable(e.into()))?;
    tracing::info!(call = %call.id, format, responses = rs.len(), "responses exported");
    let disposition = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}-responses.{format}\"",
        url_component(&call.id)
    ))
    .unwrap_or(HeaderValue::from_static("attachment"));
    Ok(if format == "csv" {
        (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/csv; charset=utf-8"),
                ),
                (header::CONTENT_DISPOSITION, disposition),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            export::csv(&call, &rs),
        )
            .into_response()
    } else {
        (
            [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
            Json(export::json(&call, &rs)),
        )
            .into_response()
    })
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::path::PathBuf;
    use std::sync::Mutex;
    use std::time::Duration;

    use axum::body::Body;
    use axum::http::Method;
    use tower::ServiceExt;

    use super::*;
    use crate::feedback::Options;
    use crate::feedback::posted::MAX_BODY;
    use crate::feedback::store::{
        self, BoxFuture, DbSpec, Delete, IfMissing, StoreError, StoredResponse,
    };

    const ADMIN_TOKEN: &str = "correct horse battery staple";
    const EXPORT: &str = "/api/admin/calls/open-call/responses?format=csv";
    const ANSWERS: &str = "/api/calls/open-call/responses";

    fn options(db: DbSpec) -> Options {
        Options {
            site: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feedback_site"),
            db,
            listen: "127.0.0.1:0".parse().unwrap(),
            origins: vec!["https://site.example".into()],
            rate_limit: 0,
            min_fill: Duration::from_secs(3),
            max_form_age: Duration::from_secs(3600),
            admin_token: Some(ADMIN_TOKEN.into()),
            form_secret: Some("test secret".into()),
            real_ip_header: None,
        }
    }

    /// The router over the fixture site and `store`, with `tweak` applied to the options.
    fn app(store: Arc<dyn Store>, tweak: impl FnOnce(&mut Options)) -> Router {
        let mut opts = options(DbSpec::Sqlite(PathBuf::from("unused.sqlite")));
        tweak(&mut opts);
        let site = Arc::new(SiteHandle::open(&opts.site).unwrap());
        router(opts.state(site, store).unwrap())
    }

    /// The router over a fresh SQLite store; keep the folder for as long as the router.
    fn app_with_db(tweak: impl FnOnce(&mut Options)) -> (Router, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let db = DbSpec::Sqlite(dir.path().join("feedback.sqlite"));
        (
            app(store::open(&db, IfMissing::Create).unwrap(), tweak),
            dir,
        )
    }

    /// A store whose disk is full: every call fails with what SQLite would say, path and all.
    struct FullDisk;

    fn full() -> StoreError {
        StoreError::Full("/var/lib/torget/feedback.sqlite: database or disk is full".into())
    }

    impl Store for FullDisk {
        fn insert(&self, _: NewResponse) -> BoxFuture<'_, Result<(), StoreError>> {
            Box::pin(async { Err(full()) })
        }
        fn withdraw(
            &self,
            _: crate::feedback::receipt::ReceiptHash,
        ) -> BoxFuture<'_, Result<bool, StoreError>> {
            Box::pin(async { Err(full()) })
        }
        fn responses(&self, _: String) -> BoxFuture<'_, Result<Vec<StoredResponse>, StoreError>> {
            Box::pin(async { Err(full()) })
        }
        fn delete(&self, _: Delete) -> BoxFuture<'_, Result<u64, StoreError>> {
            Box::pin(async { Err(full()) })
        }
        fn close(&self) -> BoxFuture<'_, ()> {
            Box::pin(async {})
        }
    }

    fn post(path: &str, content_type: &str, body: impl Into<Body>) -> Request {
        Request::post(path)
            .header(header::CONTENT_TYPE, content_type)
            .header(header::ACCEPT, "application/json")
            .header(header::ACCEPT_LANGUAGE, "en")
            .body(body.into())
            .unwrap()
    }

    fn with_token(token: Option<&str>) -> Request {
        let mut req = Request::get(EXPORT);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        req.body(Body::empty()).unwrap()
    }

    async fn send(app: &Router, req: Request) -> (StatusCode, HeaderMap, String) {
        let res = app.clone().oneshot(req).await.unwrap();
        let (status, headers) = (res.status(), res.headers().clone());
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, headers, String::from_utf8_lossy(&body).into_owned())
    }

    fn message(body: &str) -> String {
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        v["message"].as_str().unwrap().to_string()
    }

    #[tokio::test]
    async fn both_posts_refuse_the_same_way_before_reading_the_body() {
        let (app, _dir) = app_with_db(|_| {});
        for path in [ANSWERS, "/api/withdraw"] {
            // The origin is checked first: a foreign post learns nothing about its body.
            let mut foreign = post(path, "text/plain", "x");
            foreign.headers_mut().insert(
                header::ORIGIN,
                HeaderValue::from_static("https://evil.example"),
            );
            let (status, _, body) = send(&app, foreign).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
            assert_eq!(message(&body), Error::ForeignOrigin.message("en"), "{path}");

            let (status, _, body) = send(&app, post(path, "text/plain", "x")).await;
            assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{path}");
            assert_eq!(message(&body), Error::UnsupportedMediaType.message("en"));

            let huge = vec![b' '; MAX_BODY + 1];
            let (status, _, body) = send(&app, post(path, "application/json", huge)).await;
            assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{path}");
            assert_eq!(message(&body), Error::TooLarge.message("en"));

            let (status, _, body) = send(&app, post(path, "application/json", "{")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
            assert_eq!(
                message(&body),
                Error::Unreadable(answers::Unreadable::MalformedJson).message("en")
            );
        }
    }

    #[tokio::test]
    async fn one_rate_limit_covers_answers_and_withdrawals() {
        let (app, _dir) = app_with_db(|o| o.rate_limit = 1);
        let (status, _, _) = send(&app, post(ANSWERS, "application/json", "{")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, headers, body) =
            send(&app, post("/api/withdraw", "application/json", "{")).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert!(headers.contains_key(header::RETRY_AFTER));
        assert_eq!(
            message(&body),
            Error::RateLimited {
                retry_after: Duration::ZERO
            }
            .message("en")
        );
    }

    #[tokio::test]
    async fn the_admin_layer_lets_only_the_right_token_through() {
        let (app, _dir) = app_with_db(|_| {});
        let (status, headers, _) = send(&app, with_token(None)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer");
        let (status, _, body) = send(&app, with_token(Some("wrong"))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(message(&body), Error::Unauthorized.message("en"));
        let (status, headers, _) = send(&app, with_token(Some(ADMIN_TOKEN))).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
        // The layer sits on the method: a wrong method is told so, token or not.
        let wrong_method = Request::builder()
            .method(Method::DELETE)
            .uri(EXPORT)
            .body(Body::empty())
            .unwrap();
        assert_eq!(
            send(&app, wrong_method).await.0,
            StatusCode::METHOD_NOT_ALLOWED
        );

        let (off, _dir) = app_with_db(|o| o.admin_token = None);
        let (status, _, body) = send(&off, with_token(Some(ADMIN_TOKEN))).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(message(&body), Error::AdminOff.message("en"));
    }

    /// Collects what the endpoint logs.
    #[derive(Clone, Default)]
    struct Log(Arc<Mutex<Vec<u8>>>);

    impl Write for Log {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().write(buf)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_failing_store_gives_503_logged_once_and_says_nothing_about_the_inside() {
        let log = Log::default();
        let writer = log.clone();
        let _guard = tracing::subscriber::set_default(
            tracing_subscriber::fmt()
                .with_writer(move || writer.clone())
                .with_ansi(false)
                .finish(),
        );
        let app = app(Arc::new(FullDisk), |_| {});
        let answer = json!({"lang": "en", "answers": {"pick": "Online", "n": 4}}).to_string();
        let receipt = Receipt::generate().unwrap().to_string();
        let withdrawal = json!({ "receipt": receipt }).to_string();
        let requests = [
            post(ANSWERS, "application/json", answer),
            post("/api/withdraw", "application/json", withdrawal),
            Request::get("/api/calls/open-call/summary")
                .header(header::ACCEPT_LANGUAGE, "en")
                .body(Body::empty())
                .unwrap(),
            with_token(Some(ADMIN_TOKEN)),
        ];
        for req in requests {
            let what = format!("{} {}", req.method(), req.uri().path());
            log.0.lock().unwrap().clear();
            let (status, headers, body) = send(&app, req).await;
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{what}");
            assert_eq!(headers[header::CACHE_CONTROL], "no-store", "{what}");
            assert_eq!(
                message(&body),
                Error::Unavailable(full().into()).message("en")
            );
            for inside in ["sqlite", "/var/lib", "disk", "full"] {
                assert!(!body.contains(inside), "{what} said {inside:?}: {body}");
            }
            let logged = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
            assert_eq!(
                logged.matches("database or disk is full").count(),
                1,
                "{what} logged: {logged}"
            );
            assert!(logged.contains("request failed"), "{what} logged: {logged}");
        }
    }
}
