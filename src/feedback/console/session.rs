//! Who is asking, and whether a form may change anything: the console's cookies, the signed-in
//! staff member ([`Staffer`]), the session's CSRF token, the origin check, and the forms
//! ([`StaffForm`], [`read_form`]) that state-changing routes read.
//!
//! The session cookie holds a random token; the store keeps only its SHA-256, so any instance
//! sharing the database knows the session. The CSRF token is a hash of the session token, so
//! every instance can check it without sharing a key, and a page on another site, which can
//! read neither, cannot forge it.

use std::collections::HashMap;

use axum::body::to_bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, RawQuery, Request, State as AxumState};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::hex;
use super::layout::{self, Refusal};
use super::words::{self, LANGS, Words};
use crate::feedback::answers::form_pairs;
use crate::feedback::router::{AppState, State};
use crate::feedback::staff::{Role, hash_token};

pub(crate) const SESSION_COOKIE: &str = "torget_session";
pub(crate) const LOGIN_COOKIE: &str = "torget_login";
const LANG_COOKIE: &str = "torget_lang";

/// The largest console form read: an email, two passwords and a token fit many times over.
const MAX_FORM: usize = 16 * 1024;

/// The value of cookie `name`, from every `Cookie` header.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// A `Set-Cookie` value for the console's own paths: `HttpOnly`, `SameSite=Strict`,
/// `Path=/admin`, `Secure` unless on loopback; `max_age` 0 removes it, `None` keeps it until
/// the browser closes.
pub(crate) fn set_cookie(st: &State, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/admin; HttpOnly; SameSite=Strict");
    if st.console.secure_cookies {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&c).unwrap_or(HeaderValue::from_static(""))
}

/// The language the console speaks to this request: the staff member's choice (a cookie),
/// else the site's default.
pub(crate) fn words(st: &State, headers: &HeaderMap) -> Words {
    match cookie(headers, LANG_COOKIE).filter(|l| LANGS.contains(l)) {
        Some(lang) => Words::of(lang),
        None => Words::of(words::for_site(&st.site.get().default_language)),
    }
}

/// A local console path to go on to, or `/admin/`: never another host (`//evil.example`,
/// `/\evil.example`), so a link cannot send staff away after signing in.
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if (n == "/admin" || n.starts_with("/admin/"))
                && !n.contains('\\')
                && !n.contains("//")
                && !n.chars().any(char::is_control) =>
        {
            n.to_string()
        }
        _ => "/admin/".into(),
    }
}

/// The CSRF token of the session with this token.
pub(crate) fn csrf_for(session_token: &str) -> String {
    hex(&Sha256::digest(
        [
            b"torget console csrf\0".as_slice(),
            session_token.trim().as_bytes(),
        ]
        .concat(),
    ))
}

/// Whether two tokens are equal, in time that does not say how much of them matched.
pub(crate) fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Whether a form comes from the console itself: its `Origin` (or, where a privacy tool
/// removed that, its `Referer`) is the endpoint's own (the `Host` asked for) or one of
/// `--origin`. A post that says neither is refused: every browser sends one of them.
pub(crate) fn origin_ok(st: &State, headers: &HeaderMap) -> bool {
    let origin = match headers.get(header::ORIGIN) {
        Some(o) => o.to_str().unwrap_or("null").to_ascii_lowercase(),
        None => match headers.get(header::REFERER).and_then(|r| r.to_str().ok()) {
            Some(r) => origin_of(r),
            None => return false,
        },
    };
    if st.origins.allowed.contains(&origin) {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let authority = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h))
}

/// `https://example.no/admin/?x` → `https://example.no`.
fn origin_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
            format!("{scheme}://{authority}").to_ascii_lowercase()
        }
        None => "null".into(),
    }
}

/// The staff member a request comes from, with their session's CSRF token and the words of
/// their language. In the preview, the writer, as an admin.
#[derive(Debug, Clone)]
pub(crate) struct Staffer {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub csrf: String,
    /// The session's token as the cookie holds it (`None` in the preview).
    pub token: Option<String>,
    pub words: Words,
    pub preview: bool,
}

impl FromRequestParts<AppState> for Staffer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Staffer, Response> {
        let words = words(st, &parts.headers);
        if st.console.preview() {
            return Ok(Staffer {
                email: "preview".into(),
                name: words.get("console").into(),
                role: Role::Admin,
                csrf: hex(&st.console.mac(&[b"preview csrf"])),
                token: None,
                words,
                preview: true,
            });
        }
        let token = cookie(&parts.headers, SESSION_COOKIE).map(str::to_string);
        let now = st.clock.now();
        let idle = st.console.settings.session_idle;
        let session = match &token {
            Some(t) => {
                let hash = hash_token(t);
                match st.store.session(hash, now, idle).await {
                    Ok(Some(s)) => match st.store.touch_session(hash, now, idle).await {
                        Ok(true) => Some(s),
                        Ok(false) => None,
                        Err(e) => return Err(layout::unavailable(words, e)),
                    },
                    Ok(None) => None,
                    Err(e) => return Err(layout::unavailable(words, e)),
                }
            }
            None => None,
        };
        match (session, token) {
            (Some(s), Some(token)) => Ok(Staffer {
                email: s.email,
                name: s.name,
                role: s.role,
                csrf: csrf_for(&token),
                token: Some(token),
                words,
                preview: false,
            }),
            (None, token) => Err(sign_in_first(parts, token.is_some())),
            (Some(_), None) => Err(sign_in_first(parts, false)),
        }
    }
}

/// No valid session: a script (`Accept: application/json`) gets 401, a browser the sign-in
/// page with the way back to where it was, told its session ended if it had one.
fn sign_in_first(parts: &Parts, ended: bool) -> Response {
    let accept = (parts.headers.get(header::ACCEPT))
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if accept.contains("application/json") && !accept.contains("text/html") {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::CACHE_CONTROL, "no-store")],
            axum::Json(serde_json::json!({
                "error": "sign in at /admin/login first: this needs a staff session"
            })),
        )
            .into_response();
    }
    let here = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/admin/");
    let next = safe_next(Some(here));
    layout::see_other(&format!(
        "/admin/login?next={}{}",
        form_urlencoded_component(&next),
        if ended { "&ended" } else { "" }
    ))
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub(crate) fn form_urlencoded_component(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// A form's fields; the last of a repeated name wins.
pub(crate) type Fields = HashMap<String, String>;

/// A query string's fields, as leniently as browsers write them: one that cannot be read is
/// empty.
pub(crate) fn query(raw: Option<String>) -> Fields {
    raw.and_then(|q| form_pairs(q.as_bytes()).ok())
        .map(|p| p.into_iter().collect())
        .unwrap_or_default()
}

/// The `page` asked for, counting from 1; anything that is no page number is the first.
pub(crate) fn page_number(q: &Fields) -> u32 {
    field(q, "page")
        .parse::<u32>()
        .ok()
        .filter(|&n| n >= 1)
        .unwrap_or(1)
}

/// The value of field `name`, or an empty string.
pub(crate) fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.get(name).map(String::as_str).unwrap_or("")
}

/// Reads a form post from the console: from an allowed origin, urlencoded, at most
/// [`MAX_FORM`] bytes. Anything else is refused before the body is looked at.
pub(crate) async fn read_form(st: &State, req: Request, words: Words) -> Result<Fields, Response> {
    if !origin_ok(st, req.headers()) {
        return Err(
            Refusal::new(StatusCode::FORBIDDEN, "refused_title", "origin_refused")
                .page(words, None),
        );
    }
    let form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| ct.split(';').next())
        .is_some_and(|ct| {
            ct.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !form {
        return Err(Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "refused_title",
            "csrf_refused",
        )
        .page(words, None));
    }
    let body = to_bytes(req.into_body(), MAX_FORM).await.map_err(|_| {
        Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "refused_title",
            "csrf_refused",
        )
        .page(words, None)
    })?;
    let pairs = form_pairs(&body).map_err(|_| {
        Refusal::new(StatusCode::BAD_REQUEST, "refused_title", "csrf_refused").page(words, None)
    })?;
    Ok(pairs.into_iter().collect())
}

/// A form post from a signed-in staff member, from an allowed origin, carrying their
/// session's CSRF token: what every state-changing route takes. Refused with 403 (and
/// nothing changed) otherwise.
pub(crate) struct StaffForm {
    pub staffer: Staffer,
    pub fields: Fields,
}

impl FromRequest<AppState> for StaffForm {
    type Rejection = Response;

    async fn from_request(req: Request, st: &AppState) -> Result<StaffForm, Response> {
        let (mut parts, body) = req.into_parts();
        let staffer = Staffer::from_request_parts(&mut parts, st).await?;
        let words = staffer.words;
        let fields = read_form(st, Request::from_parts(parts, body), words).await?;
        if !same_token(field(&fields, "csrf"), &staffer.csrf) {
            return Err(
                Refusal::new(StatusCode::FORBIDDEN, "refused_title", "csrf_refused")
                    .page(words, Some(&staffer)),
            );
        }
        Ok(StaffForm { staffer, fields })
    }
}

/// `GET /admin/lang/{lang}?next=…`: remembers the console language chosen (a cookie for a
/// year) and goes back to the page it was chosen on.
pub(crate) async fn choose_lang(
    AxumState(st): AxumState<AppState>,
    Path(lang): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let q = query(q);
    let next = safe_next(Some(field(&q, "next")));
    if !LANGS.contains(&lang.as_str()) {
        return layout::see_other(&next);
    }
    let mut res = layout::see_other(&next);
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&st, LANG_COOKIE, &lang, Some(365 * 24 * 60 * 60)),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_number_is_a_positive_whole_number_else_the_first() {
        let q = |v: &str| Fields::from([("page".to_string(), v.to_string())]);
        assert_eq!(page_number(&q("3")), 3);
        for bad in ["0", "-1", "x", "", "99999999999"] {
            assert_eq!(page_number(&q(bad)), 1, "{bad}");
        }
        assert_eq!(page_number(&Fields::new()), 1);
    }

    #[test]
    fn next_stays_on_the_console() {
        assert_eq!(
            safe_next(Some("/admin/audit?page=2")),
            "/admin/audit?page=2"
        );
        assert_eq!(safe_next(Some("/admin")), "/admin");
        for away in [
            "//evil.example/admin/",
            "https://evil.example/admin/",
            "/admin/\\evil.example",
            "/admin//evil.example",
            "/adminx",
            "/api/withdraw",
            "",
        ] {
            assert_eq!(safe_next(Some(away)), "/admin/", "{away}");
        }
        assert_eq!(safe_next(None), "/admin/");
    }

    #[test]
    fn cookies_are_read_from_every_cookie_header() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; torget_lang=en"),
        );
        h.append(
            header::COOKIE,
            HeaderValue::from_static("torget_session=abc"),
        );
        assert_eq!(cookie(&h, "torget_lang"), Some("en"));
        assert_eq!(cookie(&h, "torget_session"), Some("abc"));
        assert_eq!(cookie(&h, "torget"), None);
    }

    #[test]
    fn the_csrf_token_belongs_to_its_session() {
        assert_eq!(csrf_for("abc"), csrf_for("abc"));
        assert_ne!(csrf_for("abc"), csrf_for("abd"));
        assert_ne!(csrf_for("abc"), "abc");
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("", "abc"));
    }
}
