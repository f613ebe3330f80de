//! Svarpulten, the staff console at `/admin/`: staff sign in, see the calls with their
//! answers, filter and moderate them; admins also see the audit log. Pages are plain HTML that work without JavaScript,
//! in Bokmål or English (the staff member's choice, else the site's default language).
//!
//! - [`session`]: cookies, the signed-in staff member ([`session::Staffer`]), the session's
//!   CSRF token, the origin check and the forms every state-changing route reads
//! - [`auth`]: signing in (with the lock-out rule), choosing a password from a setup link,
//!   signing out
//! - [`layout`]: the page every route answers with, and the refusals
//! - [`words`]: the console's words in nb and en
//! - [`calls`]: the list of calls with their answer counts and answers per day
//! - [`chart`]: bar charts as SVG with their numbers in a table
//! - [`answers`]: one call's answers, filtered and paged, with a chart per question
//! - [`moderate`]: hiding, showing again and deleting an answer
//! - [`export`]: a call's answers as CSV or JSON files, audited
//! - [`audit`]: the audit log, for admins
//! - [`themes`]: a call's themes, tagging answers with them, and the filter by theme
//! - [`results`]: publishing a closed call's results, unpublishing, the results file
//!
//! In `torget serve` the console needs no sign-in ([`SignIn::Preview`]): the preview listens
//! on loopback for the writer alone, and every page says so.

mod answers;
mod audit;
mod auth;
mod calls;
mod chart;
mod export;
mod layout;
mod moderate;
mod results;
mod session;
mod themes;
mod words;

use std::net::SocketAddr;

use axum::Router;
use axum::routing::{get, post};
use hmac::{Hmac, KeyInit, Mac};
use jiff::SignedDuration;
use sha2::{Digest, Sha256};

use super::router::AppState;

/// How long a session lasts without a request, unless `--session-idle` says otherwise.
pub const DEFAULT_SESSION_IDLE: SignedDuration = SignedDuration::from_hours(8);

/// Whether the console asks staff to sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignIn {
    /// Staff sign in with their email and password (`torget feedback serve`).
    #[default]
    Required,
    /// No sign-in: the preview (`torget serve`), on loopback for the writer alone.
    Preview,
}

/// The console's settings, from the command line.
#[derive(Debug, Clone)]
pub struct Settings {
    /// A session ends after this long without a request (default 8 hours).
    pub session_idle: SignedDuration,
    pub sign_in: SignIn,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            session_idle: DEFAULT_SESSION_IDLE,
            sign_in: SignIn::Required,
        }
    }
}

/// The console's part of the endpoint's state: its settings and the keys it signs with.
#[derive(Debug)]
pub struct Console {
    pub settings: Settings,
    /// Whether cookies carry `Secure`: everywhere but on loopback over plain HTTP.
    pub secure_cookies: bool,
    /// Signs the sign-in form's CSRF token and keys the hash of a client's address. From
    /// `TORGET_FORM_SECRET` when set, so every instance agrees; else random per process.
    key: [u8; 32],
}

impl Console {
    pub fn new(secret: &[u8], settings: &Settings, listen: SocketAddr) -> Console {
        Console {
            settings: settings.clone(),
            secure_cookies: !listen.ip().is_loopback(),
            key: Sha256::digest([b"torget console\0".as_slice(), secret].concat()).into(),
        }
    }

    pub fn preview(&self) -> bool {
        self.settings.sign_in == SignIn::Preview
    }

    /// HMAC-SHA256 of `parts` under the console's key, each part ended by a zero byte.
    fn mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut mac =
            <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key).expect("HMAC takes any key");
        for p in parts {
            mac.update(p);
            mac.update(b"\0");
        }
        mac.finalize().into_bytes().into()
    }
}

/// The console's routes, every one under `/admin`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(|| async { layout::see_other("/admin/") }))
        .route("/admin/", get(calls::list))
        .route("/admin/login", get(auth::login_page).post(auth::login))
        .route("/admin/logout", post(auth::logout))
        .route(
            "/admin/setup/{token}",
            get(auth::setup_page).post(auth::setup),
        )
        .route("/admin/lang/{lang}", get(session::choose_lang))
        .route("/admin/audit", get(audit::log))
        .route("/admin/calls/{id}", get(answers::call_page))
        .route("/admin/calls/{id}/export.csv", get(export::csv))
        .route("/admin/calls/{id}/export.xlsx", get(export::xlsx))
        .route("/admin/calls/{id}/export.json", get(export::json))
        .route("/admin/calls/{id}/answers/{rid}/hide", post(moderate::hide))
        .route(
            "/admin/calls/{id}/answers/{rid}/unhide",
            post(moderate::unhide),
        )
        .route(
            "/admin/calls/{id}/answers/{rid}/delete",
            get(moderate::delete_page).post(moderate::delete),
        )
        .route("/admin/calls/{id}/themes", post(themes::add))
        .route("/admin/calls/{id}/themes/{tid}", post(themes::rename))
        .route(
            "/admin/calls/{id}/themes/{tid}/remove",
            post(themes::remove),
        )
        .route("/admin/calls/{id}/answers/{rid}/themes", post(themes::tag))
        .route(
            "/admin/calls/{id}/publish",
            get(results::page).post(results::publish),
        )
        .route("/admin/calls/{id}/unpublish", post(results::unpublish))
        .route("/admin/calls/{id}/results.json", get(results::download))
        .route(
            "/admin/{*rest}",
            get(layout::not_found).post(layout::not_found),
        )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
