//! The HTTP routes, as `router(state) -> Router`, and the state they share.
//!
//! Routes (docs/api.md and docs/openapi.yaml describe them for callers):
//! - `POST /api/calls/{id}/responses`: a resident's answers, as a form or JSON
//! - `GET  /api/calls/{id}/form-token`: a signed form-render time for the page script
//! - `GET  /api/calls/{id}/thanks`: the thank-you page with the receipt, for form posts
//! - `GET  /api/calls/{id}/summary`: public counts
//! - `GET  /api/calls/{id}/results`: the results staff published, once they have
//! - `POST /api/withdraw`, `GET /api/withdrawn`: withdrawing an answer by its receipt
//! - `GET  /api/admin/calls/{id}/responses`: staff export (bearer token)
//! - `GET  /healthz`
//! - `/admin/…`: the staff console's pages ([`super::console`])
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

use super::abuse::{ClientAddrs, FormTokens, Origins, RateLimiter, TokenProblem};
use super::answers::{self, Submission};
use super::calls::{Call, CallState, Site, SiteHandle};
use super::errors::{Error, Fault};
use super::export;
use super::messages::Msg;
use super::pages::{Frame, escape};
use super::posted::{Encoding, Posted, Withdrawal, client_addr};
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
    /// Failed admin token attempts per address: guessing is made to wait.
    pub admin_failures: RateLimiter,
    /// Where a client's address comes from, for the rate limits.
    pub client_addrs: ClientAddrs,
    /// How long a post's body may take to arrive once its headers have.
    pub body_timeout: std::time::Duration,
    /// The staff console's keys and settings.
    pub console: super::console::Console,
    pub clock: Clock,
}

pub type AppState = Arc<State>;

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
        .route("/api/calls/{id}/results", get(results))
        .route("/api/withdraw", post(withdraw))
        .route("/api/withdrawn", get(withdrawn))
        // On the method, not the path: a wrong method still gets 405 without the token.
        .route(
            "/api/admin/calls/{id}/responses",
            get(admin_export)
                .route_layer(middleware::from_fn_with_state(state.clone(), require_admin)),
        )
        .merge(super::console::routes())
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

/// Up when the database answers: a load balancer takes an instance whose database is
/// unreachable out of rotation, and puts it back when it answers again.
async fn healthz(AxumState(state): AxumState<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(json!({ "status": "ok" })).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "healthz: the database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "database": "down" })),
            )
                .into_response()
        }
    }
}

/// Whether the caller wants pages and redirects over JSON: a browser navigating (it accepts
/// `text/html`), or a plain form post that says nothing about what it accepts.
fn wants_html(headers: &HeaderMap) -> bool {
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
    Encoding::of(headers) == Some(Encoding::Form)
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
            // A Nynorsk reader on a site without Nynorsk reads Bokmål rather than English.
            let nearest = match primary.as_str() {
                "no" | "nn" if !known(&primary) => "nb".to_string(),
                _ => primary,
            };
            known(&nearest).then_some(nearest)
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
    // What the resident wrote, for the form that comes back when it has mistakes.
    let sent = posted.as_ref().ok().map(|Posted(sub)| sub.values.clone());
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
            if let Error::Invalid(problems) = &e
                && let (Some(call), Some(sent)) = (call.as_deref(), sent.as_deref())
                && let Some(page) = frame.form_again(call, sent, problems)
            {
                return e.with_page(page);
            }
            e.to_html(&lang, &frame, Msg::ErrorHeading)
        }
        Err(e) => e.to_json(&site.sentences, &lang),
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
                opens: call.opens_text(lang),
            });
        }
        CallState::Closed => {
            return Err(Error::Closed {
                closes: call.closes_text(lang),
            });
        }
        CallState::Open => {}
    }
    if sub.website.as_deref().is_some_and(|w| !w.trim().is_empty()) {
        return Err(Error::Honeypot);
    }
    // Mistakes first: an empty form sent at once lists its missing answers, not "too fast".
    let answers = answers::validate(call, lang, &sub).map_err(Error::Invalid)?;
    if let Some(token) = sub.form_token.as_deref().filter(|t| !t.is_empty()) {
        st.tokens.check(&call.id, token, now).map_err(|p| match p {
            TokenProblem::TooFast => Error::TooFast,
            TokenProblem::Expired => Error::TokenExpired,
            TokenProblem::Invalid => Error::TokenInvalid,
        })?;
    }
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
        frame.thanks(&receipt, &frame.say(&Msg::ThanksHeading), Some(&call)),
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
        return Error::UnknownCall.to_json(&site.sentences, &lang_hint(&headers, &site));
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
        return Error::UnknownCall.to_json(&site.sentences, &lang_hint(&headers, &site));
    };
    match st.store.counts(id, export::summary_keys(&call)).await {
        Ok(counts) => (
            [(header::CACHE_CONTROL, "no-cache")],
            Json(export::summary(&call, &mut |k| counts.get(&k))),
        )
            .into_response(),
        Err(e) => {
            Error::Unavailable(e.into()).to_json(&site.sentences, &lang_hint(&headers, &site))
        }
    }
}

/// The results staff published for a closed call, as the results file
/// (`content/calls/<name>.results.json`) holds them; 404 until they are published.
async fn results(
    AxumState(st): AxumState<AppState>,
    CallId(id): CallId,
    headers: HeaderMap,
) -> Response {
    let site = st.site.get();
    let lang = lang_hint(&headers, &site);
    if site.call(&id).is_none() {
        return Error::UnknownCall.to_json(&site.sentences, &lang);
    }
    match st.store.published(id).await {
        Ok(Some(file)) => (
            [
                (header::CACHE_CONTROL, "no-cache"),
                (header::CONTENT_TYPE, "application/json"),
            ],
            file.to_json(),
        )
            .into_response(),
        Ok(None) => Error::NotPublished.to_json(&site.sentences, &lang),
        Err(e) => Error::Unavailable(e.into()).to_json(&site.sentences, &lang),
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
    let mut from_call = None;
    let result = withdraw_inner(&st, posted, &mut lang, &mut from_call).await;
    match result {
        Ok(call) if html => Redirect::to(&format!(
            "withdrawn?lang={}&call={}",
            url_component(&lang),
            url_component(&call)
        ))
        .into_response(),
        Ok(_) => (
            [(header::CACHE_CONTROL, "no-store")],
            Json(json!({ "message": site.sentences.text(&lang, &Msg::Withdrawn) })),
        )
            .into_response(),
        Err(e) if html => {
            let frame = Frame::new(&site, &lang, st.origins.site(), None);
            // The form said which call it came from: lead back there rather than nowhere.
            let back = from_call
                .and_then(|id| site.call(&id).cloned())
                .map(|call| frame.back_to_call(&call))
                .unwrap_or_default();
            e.to_html_with(&lang, &frame, Msg::WithdrawErrorHeading, &back)
        }
        Err(e) => e.to_json(&site.sentences, &lang),
    }
}

/// Withdraws the answer whose receipt was posted; the id of its call.
async fn withdraw_inner(
    st: &State,
    posted: Result<Posted<Withdrawal>, Error>,
    lang: &mut String,
    from_call: &mut Option<String>,
) -> Result<String, Error> {
    let Posted(Withdrawal {
        receipt,
        lang: l,
        call,
    }) = posted?;
    if let Some(l) = l.filter(|l| !l.is_empty() && l.len() <= 16) {
        *lang = l;
    }
    *from_call = call;
    let receipt = receipt
        .filter(|r| !r.trim().is_empty())
        .ok_or(Error::ReceiptMissing)?;
    let receipt = Receipt::parse(&receipt).ok_or(Error::UnknownReceipt)?;
    match st.store.withdraw(receipt.hash()).await {
        Ok(Some(call)) => {
            tracing::info!("a response was withdrawn");
            Ok(call)
        }
        Ok(None) => Err(Error::UnknownReceipt),
        Err(e) => Err(Error::Unavailable(e.into())),
    }
}

async fn withdrawn(
    AxumState(st): AxumState<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let site = st.site.get();
    let mut q = query(q);
    let lang = q
        .remove("lang")
        .filter(|l| !l.is_empty() && l.len() <= 16)
        .unwrap_or_else(|| lang_hint(&headers, &site));
    let frame = Frame::new(&site, &lang, st.origins.site(), None);
    let back = q
        .remove("call")
        .and_then(|id| site.call(&id).cloned())
        .map(|call| frame.back_to_call(&call))
        .unwrap_or_default();
    let body = format!(
        "<p class=\"lead\">{}</p>{back}",
        escape(&frame.say(&Msg::Withdrawn))
    );
    page_headers(
        frame.page(&frame.say(&Msg::WithdrawnHeading), &body),
        StatusCode::OK,
    )
}

/// The admin routes' guard: they are off without `TORGET_ADMIN_TOKEN`, and otherwise need it
/// as a bearer token. An address that keeps sending wrong tokens is made to wait (429), even
/// with the right one, so that guessing costs time.
async fn require_admin(
    AxumState(st): AxumState<AppState>,
    req: Request,
    next: Next,
) -> Result<Response, Error> {
    let expected = st.admin_token.ok_or(Error::AdminOff)?;
    let addr = client_addr(&st, &req);
    let now = Instant::now();
    if let Err(retry_after) = st.admin_failures.peek(addr, now) {
        return Err(Error::AdminThrottled { retry_after });
    }
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token);
    // Comparing digests in constant time hides both the token and its length.
    let right = given.is_some_and(|given| {
        let given: [u8; 32] = Sha256::digest(given.as_bytes()).into();
        bool::from(given.ct_eq(&expected))
    });
    if !right {
        return Err(match st.admin_failures.check(addr, None, now) {
            Ok(()) => Error::Unauthorized,
            Err(retry_after) => Error::AdminThrottled { retry_after },
        });
    }
    Ok(next.run(req).await)
}

/// The token of an `Authorization: Bearer <token>` header; the scheme's name is
/// case-insensitive (RFC 7235, section 2.1).
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

async fn admin_export(
    AxumState(st): AxumState<AppState>,
    CallId(id): CallId,
    RawQuery(q): RawQuery,
) -> Result<Response, Error> {
    let format = query(q).remove("format").unwrap_or_else(|| "csv".into());
    let format = format.as_str();
    if !matches!(format, "csv" | "json" | "xlsx") {
        return Err(Error::BadFormat);
    }
    let site = st.site.get();
    // Answered here rather than with `?`: only these know the site's sentences.
    let Some(call) = site.call(&id).cloned() else {
        return Ok(Error::UnknownCall.to_json(&site.sentences, "en"));
    };
    let rs = match st.store.responses(id).await {
        Ok(rs) => rs,
        Err(e) => return Ok(Error::Unavailable(e.into()).to_json(&site.sentences, "en")),
    };
    tracing::info!(call = %call.id, format, responses = rs.len(), "responses exported");
    let disposition = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}-responses.{format}\"",
        url_component(&call.id)
    ))
    .unwrap_or(HeaderValue::from_static("attachment"));
    let (content_type, bytes) = match format {
        "csv" => ("text/csv; charset=utf-8", export::csv(&call, &rs)),
        "xlsx" => match export::xlsx(&call, &rs) {
            Ok(bytes) => (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                bytes,
            ),
            Err(e) => {
                let fault = Fault::Export(e.to_string());
                return Ok(Error::Unavailable(fault).to_json(&site.sentences, "en"));
            }
        },
        _ => ("application/json", export::json(&call, &rs)),
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response())
}
