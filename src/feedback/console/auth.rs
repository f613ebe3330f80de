//! Signing in and out, and choosing a password from a setup link.
//!
//! - A wrong password and an unknown email get the same answer in the same time (an unknown
//!   account is verified against a stand-in hash).
//! - Lock-out: [`MAX_FAILURES`] failed sign-ins for one account, or from one address, within
//!   [`WINDOW`] refuse every sign-in for that account or address, the right password too,
//!   until fewer than that many remain in the window: 15 minutes after a burst of failures.
//!   Failures are counted in the store, so every instance sharing it counts together; the
//!   address is kept only as an HMAC under the console's key ([`address_key`]).
//! - Before there is a session, the forms' CSRF token is a signed double submit: a random
//!   value in a cookie and its HMAC in the form.

use std::net::IpAddr;

use axum::extract::{Path, RawQuery, Request, State as AxumState};
use axum::http::{StatusCode, header};
use axum::response::Response;
use jiff::{SignedDuration, Timestamp};

use super::hex;
use super::layout::{self, Page, Refusal, Section};
use super::session::{
    self, Fields, LOGIN_COOKIE, SESSION_COOKIE, StaffForm, cookie, field, read_form, safe_next,
    same_token,
};
use super::words::Words;
use crate::feedback::pages::escape;
use crate::feedback::posted::client_addr;
use crate::feedback::router::{AppState, State};
use crate::feedback::staff::{
    self, AddressKey, AuditEntry, Failures, Token, hash_token, normalise_email, verify_password,
};

/// Failed sign-ins that lock an account or an address.
pub const MAX_FAILURES: u64 = 10;
/// How far back failures count, and so how long a lock-out lasts.
pub const WINDOW: SignedDuration = SignedDuration::from_mins(15);

/// Whether these recent failures lock sign-in.
pub(crate) fn locked(f: Failures) -> bool {
    f.account >= MAX_FAILURES || f.address >= MAX_FAILURES
}

/// What the store keeps of a client's address for counting its failures.
fn address_key(st: &State, addr: IpAddr) -> AddressKey {
    st.console.mac(&[b"address", addr.to_string().as_bytes()])
}

/// The sign-in forms' CSRF token for the random value in the browser's cookie.
fn form_csrf(st: &State, nonce: &str) -> String {
    hex(&st.console.mac(&[b"login form", nonce.as_bytes()]))
}

/// The random value of this browser's sign-in cookie, or a new one to set.
fn login_nonce(headers: &axum::http::HeaderMap) -> (String, bool) {
    match cookie(headers, LOGIN_COOKIE)
        .filter(|n| n.len() == 64 && n.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        Some(n) => (n.to_string(), false),
        None => match Token::generate() {
            Ok(t) => (t.as_str().to_string(), true),
            Err(_) => (String::new(), true),
        },
    }
}

/// Whether a sign-in form carries the token for this browser's cookie.
fn form_csrf_ok(st: &State, nonce: Option<&str>, fields: &Fields) -> bool {
    nonce.is_some_and(|n| !n.is_empty() && same_token(field(fields, "csrf"), &form_csrf(st, n)))
}

/// A sign-in or setup form as posted, with its CSRF token checked against this browser's
/// sign-in cookie: the words to answer in, the cookie's value and the fields; else the 403.
async fn read_sign_in_form(st: &State, req: Request) -> Result<(Words, String, Fields), Response> {
    let words = session::words(st, req.headers());
    let nonce = cookie(req.headers(), LOGIN_COOKIE).map(str::to_string);
    let fields = read_form(st, req, words).await?;
    if !form_csrf_ok(st, nonce.as_deref(), &fields) {
        return Err(
            Refusal::new(StatusCode::FORBIDDEN, "refused_title", "csrf_refused").page(words, None),
        );
    }
    Ok((words, nonce.unwrap_or_default(), fields))
}

/// A page with the sign-in cookie set if the browser had none.
fn with_nonce(st: &State, mut res: Response, nonce: &str, fresh: bool) -> Response {
    if fresh && !nonce.is_empty() {
        res.headers_mut().append(
            header::SET_COOKIE,
            session::set_cookie(st, LOGIN_COOKIE, nonce, None),
        );
    }
    res
}

struct LoginForm<'a> {
    words: Words,
    csrf: String,
    next: &'a str,
    email: &'a str,
    /// A sentence above the form: (class, words key).
    say: Option<(&'static str, &'static str)>,
    status: StatusCode,
}

impl LoginForm<'_> {
    fn respond(&self) -> Response {
        let w = self.words;
        let mut body = String::new();
        let invalid = match self.say {
            Some((class, key)) => {
                let role = if class == "error" {
                    " role=\"alert\""
                } else {
                    ""
                };
                body.push_str(&format!(
                    "<p class=\"{class}\" id=\"login-note\"{role}>{}</p>",
                    escape(w.get(key))
                ));
                class == "error"
            }
            None => false,
        };
        let described = if invalid {
            " aria-invalid=\"true\" aria-describedby=\"login-note\""
        } else {
            ""
        };
        body.push_str(&format!(
            "<form method=\"post\" action=\"/admin/login\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
             <input type=\"hidden\" name=\"next\" value=\"{next}\">\
             <label for=\"email\">{email_label}</label>\
             <input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" \
             required value=\"{email}\"{described}>\
             <label for=\"password\">{password_label}</label>\
             <input id=\"password\" name=\"password\" type=\"password\" \
             autocomplete=\"current-password\" required{described}>\
             <p><button type=\"submit\">{sign_in}</button></p></form>",
            csrf = escape(&self.csrf),
            next = escape(self.next),
            email_label = escape(w.get("email")),
            email = escape(self.email),
            password_label = escape(w.get("password")),
            sign_in = escape(w.get("sign_in")),
        ));
        let here = format!(
            "/admin/login?next={}",
            session::form_urlencoded_component(self.next)
        );
        Page {
            words: w,
            staffer: None,
            title: w.get("login_title").into(),
            here: &here,
            section: Section::None,
            body,
            status: self.status,
        }
        .respond()
    }
}

/// `GET /admin/login`: the sign-in form (`?next=` where to go after; `?out` after signing out).
pub(crate) async fn login_page(
    AxumState(st): AxumState<AppState>,
    RawQuery(q): RawQuery,
    headers: axum::http::HeaderMap,
) -> Response {
    if st.console.preview() {
        return layout::see_other("/admin/");
    }
    let q = session::query(q);
    let words = session::words(&st, &headers);
    let (nonce, fresh) = login_nonce(&headers);
    let next = safe_next(Some(field(&q, "next")));
    let say = if q.contains_key("out") {
        Some(("note", "signed_out"))
    } else if q.contains_key("ended") {
        Some(("note", "session_ended"))
    } else {
        None
    };
    let page = LoginForm {
        words,
        csrf: form_csrf(&st, &nonce),
        next: &next,
        email: "",
        say,
        status: StatusCode::OK,
    }
    .respond();
    with_nonce(&st, page, &nonce, fresh)
}

/// `POST /admin/login`: `email`, `password`, `csrf`, `next`.
pub(crate) async fn login(AxumState(st): AxumState<AppState>, req: Request) -> Response {
    let addr = client_addr(&st, &req);
    let (words, nonce, fields) = match read_sign_in_form(&st, req).await {
        Ok(read) => read,
        Err(refused) => return refused,
    };
    let next = safe_next(Some(field(&fields, "next")));
    let typed = field(&fields, "email");
    // An address that is no email is counted like any unknown one, as typed.
    let email = normalise_email(typed)
        .unwrap_or_else(|_| typed.trim().to_lowercase().chars().take(254).collect());
    let form = |say: &'static str, status: StatusCode| LoginForm {
        words,
        csrf: form_csrf(&st, &nonce),
        next: &next,
        email: typed,
        say: Some(("error", say)),
        status,
    };
    match sign_in(&st, &email, field(&fields, "password"), addr).await {
        Ok(SignedIn::Yes(token)) => signed_in(&st, &next, &token),
        Ok(SignedIn::Wrong) => form("login_wrong", StatusCode::FORBIDDEN).respond(),
        Ok(SignedIn::Locked) => form("login_locked", StatusCode::TOO_MANY_REQUESTS).respond(),
        Err(e) => layout::unavailable(words, e),
    }
}

/// On to `next` with the new session's cookie, the sign-in form's cookie no longer needed.
fn signed_in(st: &State, next: &str, token: &Token) -> Response {
    let mut res = layout::see_other(next);
    let h = res.headers_mut();
    h.append(
        header::SET_COOKIE,
        session::set_cookie(st, SESSION_COOKIE, token.as_str(), None),
    );
    h.append(
        header::SET_COOKIE,
        session::set_cookie(st, LOGIN_COOKIE, "", Some(0)),
    );
    res
}

enum SignedIn {
    Yes(Token),
    Wrong,
    Locked,
}

/// The sign-in rule: refused while locked; else the password checked, a failure counted
/// (and the lock-out it causes audited), or a session started and the sign-in audited.
async fn sign_in(
    st: &State,
    email: &str,
    password: &str,
    addr: IpAddr,
) -> Result<SignedIn, crate::feedback::store::StoreError> {
    let key = address_key(st, addr);
    let now = st.clock.now();
    let since = now - WINDOW;
    let before = st
        .store
        .failures_since(email.to_string(), key, since)
        .await?;
    if locked(before) {
        return Ok(SignedIn::Locked);
    }
    let stored = st.store.password(email.to_string()).await?;
    let exists = stored.is_some();
    let hash = stored.flatten();
    let typed = password.to_string();
    // Argon2 takes tens of milliseconds of CPU: off the async threads.
    let right = tokio::task::spawn_blocking(move || verify_password(&typed, hash.as_deref()))
        .await
        .unwrap_or(false);
    // The account may have been removed meanwhile: then it is a failure like any other.
    if right
        && let Ok(token) = Token::generate()
        && st
            .store
            .create_session(token.hash(), email.to_string(), now)
            .await?
    {
        audit(st, now, email, "signin", String::new()).await?;
        return Ok(SignedIn::Yes(token));
    }
    st.store
        .record_failure(email.to_string(), key, now, since)
        .await?;
    let after = Failures {
        account: before.account + 1,
        address: before.address + 1,
    };
    if locked(after) {
        let what = match (after.account >= MAX_FAILURES, after.address >= MAX_FAILURES) {
            (true, true) => "account and address",
            (true, false) => "account",
            _ => "address",
        };
        // Who was locked out, if it is an account; an email that is no account's is not kept.
        let who = if exists { email } else { "unknown" };
        audit(st, now, who, "signin.locked", what.into()).await?;
        tracing::warn!(what, "sign-in locked after {MAX_FAILURES} failures");
    }
    Ok(SignedIn::Wrong)
}

async fn audit(
    st: &State,
    at: Timestamp,
    who: &str,
    action: &str,
    detail: String,
) -> Result<(), crate::feedback::store::StoreError> {
    st.store
        .audit(AuditEntry {
            at,
            who: who.into(),
            action: action.into(),
            call: None,
            detail,
        })
        .await
}

/// `POST /admin/logout`: ends the session here and on every instance, and says so.
pub(crate) async fn logout(AxumState(st): AxumState<AppState>, form: StaffForm) -> Response {
    let s = form.staffer;
    if let Some(token) = &s.token {
        if let Err(e) = st.store.end_session(hash_token(token)).await {
            return layout::unavailable(s.words, e);
        }
        if let Err(e) = audit(&st, st.clock.now(), &s.email, "signout", String::new()).await {
            return layout::unavailable(s.words, e);
        }
    }
    let mut res = layout::see_other(if s.preview {
        "/admin/"
    } else {
        "/admin/login?out"
    });
    res.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie(&st, SESSION_COOKIE, "", Some(0)),
    );
    res
}

struct SetupForm<'a> {
    words: Words,
    csrf: String,
    token: &'a str,
    email: &'a str,
    /// A mistake to show: its sentence, already filled in.
    mistake: Option<String>,
    status: StatusCode,
}

impl SetupForm<'_> {
    fn respond(&self) -> Response {
        let w = self.words;
        let mut body = format!(
            "<p>{}</p>",
            escape(&w.fill("setup_intro", &[("email", self.email)]))
        );
        let described = match &self.mistake {
            Some(m) => {
                body.push_str(&format!(
                    "<p class=\"error\" id=\"setup-note\" role=\"alert\">{}</p>",
                    escape(m)
                ));
                " aria-invalid=\"true\" aria-describedby=\"setup-note\""
            }
            None => "",
        };
        let action = format!("/admin/setup/{}", self.token);
        body.push_str(&format!(
            "<form method=\"post\" action=\"{action}\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
             <input type=\"text\" name=\"username\" autocomplete=\"username\" value=\"{email}\" \
             hidden>\
             <label for=\"password\">{new}</label>\
             <input id=\"password\" name=\"password\" type=\"password\" minlength=\"12\" \
             autocomplete=\"new-password\" required{described}>\
             <label for=\"again\">{again}</label>\
             <input id=\"again\" name=\"again\" type=\"password\" minlength=\"12\" \
             autocomplete=\"new-password\" required{described}>\
             <p><button type=\"submit\">{save}</button></p></form>",
            action = escape(&action),
            csrf = escape(&self.csrf),
            email = escape(self.email),
            new = escape(w.get("password_new")),
            again = escape(w.get("password_again")),
            save = escape(w.get("setup_save")),
        ));
        Page {
            words: w,
            staffer: None,
            title: w.get("setup_title").into(),
            here: &action,
            section: Section::None,
            body,
            status: self.status,
        }
        .respond()
    }
}

/// A setup token from the path: 64 hex digits, else none that could work.
fn setup_token(token: &str) -> Option<&str> {
    (token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())).then_some(token)
}

fn setup_gone(words: Words) -> Response {
    Refusal::new(StatusCode::NOT_FOUND, "setup_gone_title", "setup_gone").page(words, None)
}

/// `GET /admin/setup/{token}`: the form where the link's holder chooses a password.
pub(crate) async fn setup_page(
    AxumState(st): AxumState<AppState>,
    Path(token): Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    let words = session::words(&st, &headers);
    let Some(token) = setup_token(&token) else {
        return setup_gone(words);
    };
    let email = match st.store.setup_for(hash_token(token), st.clock.now()).await {
        Ok(Some(email)) => email,
        Ok(None) => return setup_gone(words),
        Err(e) => return layout::unavailable(words, e),
    };
    let (nonce, fresh) = login_nonce(&headers);
    let page = SetupForm {
        words,
        csrf: form_csrf(&st, &nonce),
        token,
        email: &email,
        mistake: None,
        status: StatusCode::OK,
    }
    .respond();
    with_nonce(&st, page, &nonce, fresh)
}

/// `POST /admin/setup/{token}`: `password` twice (`password`, `again`) and `csrf`. Sets the
/// password, uses up the link, and signs the person in.
pub(crate) async fn setup(
    AxumState(st): AxumState<AppState>,
    Path(token): Path<String>,
    req: Request,
) -> Response {
    let (words, nonce, fields) = match read_sign_in_form(&st, req).await {
        Ok(read) => read,
        Err(refused) => return refused,
    };
    let Some(token) = setup_token(&token) else {
        return setup_gone(words);
    };
    let now = st.clock.now();
    let email = match st.store.setup_for(hash_token(token), now).await {
        Ok(Some(email)) => email,
        Ok(None) => return setup_gone(words),
        Err(e) => return layout::unavailable(words, e),
    };
    let password = field(&fields, "password");
    let n = password.chars().count().to_string();
    let mistake = if password != field(&fields, "again") {
        Some(words.get("setup_mismatch").to_string())
    } else if password.chars().count() < staff::MIN_PASSWORD_CHARS {
        Some(words.fill("setup_short", &[("n", &n)]))
    } else if password.chars().count() > staff::MAX_PASSWORD_CHARS {
        Some(words.fill("setup_long", &[("n", &n)]))
    } else {
        None
    };
    if mistake.is_some() {
        return SetupForm {
            words,
            csrf: form_csrf(&st, &nonce),
            token,
            email: &email,
            mistake,
            status: StatusCode::UNPROCESSABLE_ENTITY,
        }
        .respond();
    }
    let typed = password.to_string();
    let phc = match tokio::task::spawn_blocking(move || staff::hash_password(&typed)).await {
        Ok(Ok(phc)) => phc,
        _ => {
            return Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable_title",
                "unavailable",
            )
            .page(words, None);
        }
    };
    let done = async {
        let Some(email) = st.store.consume_setup(hash_token(token), now, phc).await? else {
            return Ok(None);
        };
        audit(&st, now, &email, "staff.setup", String::new()).await?;
        let Ok(session) = Token::generate() else {
            return Ok(Some(None));
        };
        if !st
            .store
            .create_session(session.hash(), email.clone(), now)
            .await?
        {
            return Ok(Some(None));
        }
        audit(&st, now, &email, "signin", String::new()).await?;
        Ok(Some(Some(session)))
    };
    match done.await {
        Ok(None) => setup_gone(words),
        // The password is set; only the session failed: signing in by hand works.
        Ok(Some(None)) => layout::see_other("/admin/login"),
        Ok(Some(Some(session))) => signed_in(&st, "/admin/", &session),
        Err(e) => layout::unavailable(words, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_failures_for_an_account_or_an_address_lock_sign_in() {
        let f = |account, address| locked(Failures { account, address });
        assert!(!f(0, 0));
        assert!(!f(9, 9), "nine of each is not yet a lock-out");
        assert!(f(10, 0), "ten for the account");
        assert!(f(0, 10), "ten from the address");
        assert_eq!(WINDOW, SignedDuration::from_mins(15));
    }

    #[test]
    fn a_setup_token_is_64_hex_digits() {
        assert!(setup_token(&"a".repeat(64)).is_some());
        assert!(setup_token(&"a".repeat(63)).is_none());
        assert!(setup_token(&"g".repeat(64)).is_none());
        assert!(setup_token("../../etc/passwd").is_none());
    }
}
