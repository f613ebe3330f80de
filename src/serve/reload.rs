//! Telling open pages what happened: a server-sent event stream (`/__torget/events`), the small
//! script that listens to it (`/__torget/live.js`, added to HTML responses at serve time only),
//! and the problems shown in the browser's error overlay.
//!
//! Events, each with a JSON payload:
//! - `hello` `{"build"}` on connecting: the current build, so a page that missed a rebuild
//!   while disconnected reloads;
//! - `reload` `{"build", "pages": [url…], "all"}`: these pages were rebuilt (`all`: every page
//!   may have changed), a page reloads if it is among them;
//! - `css` `{"build", "hrefs": [url…]}`: these stylesheets changed, swap them in place;
//! - `error` `{"problems": [{file, line, column, message, help}…]}`: the last rebuild failed,
//!   the pages still show the last good build;
//! - `ok` `{}`: the problems are fixed.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use serde::Serialize;
use tokio::sync::{broadcast, watch};

use crate::diag::Diagnostic;
use crate::messages::{Lang, Text};

pub const EVENTS_PATH: &str = "/__torget/events";
pub const SCRIPT_PATH: &str = "/__torget/live.js";

const SCRIPT: &str = include_str!("live.js");

/// One problem as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Relative to the site root, when the problem is in a file.
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    /// A diagnostic as the overlay shows it, in `lang`.
    pub fn new(d: &Diagnostic, lang: Lang) -> Problem {
        Problem {
            file: Some(d.path.to_string_lossy().replace('\\', "/")).filter(|f| !f.is_empty()),
            line: d.line,
            column: d.column,
            message: d.message_in(lang),
            help: d.help_in(lang),
        }
    }

    /// A problem that is not in one file, e.g. a template that cannot be rendered.
    pub fn general(message: impl Into<String>) -> Problem {
        Problem {
            file: None,
            line: None,
            column: None,
            message: message.into(),
            help: None,
        }
    }
}

/// One event for the pages.
#[derive(Debug, Clone)]
pub struct Message {
    pub event: &'static str,
    /// JSON.
    pub data: String,
}

/// What the pages are told, and what a page that connects now should know.
pub struct Live {
    tx: broadcast::Sender<Message>,
    state: Mutex<LiveState>,
    /// The writer's language: the overlay's words and problems, and the terminal's lines.
    pub lang: Lang,
}

struct LiveState {
    build: String,
    problems: Option<Vec<Problem>>,
}

impl Live {
    /// `instance` tells this server's builds from a previous server's.
    pub fn new(instance: &str, lang: Lang) -> Live {
        let (tx, _) = broadcast::channel(64);
        Live {
            tx,
            state: Mutex::new(LiveState {
                build: format!("{instance}-0"),
                problems: None,
            }),
            lang,
        }
    }

    fn send(&self, event: &'static str, data: serde_json::Value) {
        // Nobody listening is fine: no page is open.
        let _ = self.tx.send(Message {
            event,
            data: data.to_string(),
        });
    }

    fn next_build(&self) -> String {
        let mut state = self.state.lock().expect("not poisoned");
        let (instance, n) = state.build.rsplit_once('-').unwrap_or(("0", "0"));
        let n: u64 = n.parse().unwrap_or(0);
        state.build = format!("{instance}-{}", n + 1);
        state.build.clone()
    }

    pub fn build(&self) -> String {
        self.state.lock().expect("not poisoned").build.clone()
    }

    /// These pages (URLs) were rebuilt; `all`: any page may have changed.
    pub fn reload(&self, pages: &[String], all: bool) {
        let build = self.next_build();
        self.send(
            "reload",
            serde_json::json!({ "build": build, "pages": pages, "all": all }),
        );
    }

    /// These stylesheets (URLs, with a query that changes with their content) changed.
    pub fn css(&self, hrefs: &[String]) {
        let build = self.next_build();
        self.send("css", serde_json::json!({ "build": build, "hrefs": hrefs }));
    }

    /// The last rebuild failed with these problems.
    pub fn failed(&self, problems: Vec<Problem>) {
        self.state.lock().expect("not poisoned").problems = Some(problems.clone());
        self.send("error", self.error(&problems));
    }

    /// The last rebuild succeeded; clears the problems if there were any.
    pub fn succeeded(&self) {
        let had = self
            .state
            .lock()
            .expect("not poisoned")
            .problems
            .take()
            .is_some();
        if had {
            self.send("ok", serde_json::json!({}));
        }
    }

    pub fn problems(&self) -> Option<Vec<Problem>> {
        self.state.lock().expect("not poisoned").problems.clone()
    }

    /// The `error` event: the problems, and the overlay's words in the writer's language.
    fn error(&self, problems: &[Problem]) -> serde_json::Value {
        let say = |id| Text::new(id).say(self.lang);
        let words = serde_json::json!({
            "title": say("overlay-title"),
            "keep": say("overlay-keep"),
            "help": say("overlay-help"),
            "close": say("overlay-close"),
        });
        serde_json::json!({ "problems": problems, "words": words })
    }

    /// What a page connecting now is told first, then every later event.
    fn subscribe(&self) -> (Vec<Message>, broadcast::Receiver<Message>) {
        let rx = self.tx.subscribe();
        let state = self.state.lock().expect("not poisoned");
        let mut first = vec![Message {
            event: "hello",
            data: serde_json::json!({ "build": state.build }).to_string(),
        }];
        if let Some(problems) = &state.problems {
            first.push(Message {
                event: "error",
                data: self.error(problems).to_string(),
            });
        }
        (first, rx)
    }
}

/// The state the event stream needs: what to tell, and when the server stops.
#[derive(Clone)]
pub struct Events {
    pub live: Arc<Live>,
    pub stopping: watch::Receiver<bool>,
}

/// `GET /__torget/events`.
pub async fn events(
    State(state): State<Events>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let (first, rx) = state.live.subscribe();
    let later = stream::unfold(rx, |mut rx| async move {
        match rx.recv().await {
            Ok(m) => Some((m, rx)),
            // A page that fell behind may have missed a reload: reload it.
            Err(broadcast::error::RecvError::Lagged(_)) => {
                let m = Message {
                    event: "reload",
                    data: serde_json::json!({ "build": "", "pages": [], "all": true }).to_string(),
                };
                Some((m, rx))
            }
            Err(broadcast::error::RecvError::Closed) => None,
        }
    });
    // The stream ends when the server stops, or graceful shutdown would wait for it forever.
    let mut stopping = state.stopping.clone();
    let stop = async move {
        let _ = stopping.wait_for(|s| *s).await;
    };
    let stream = stream::iter(first)
        .chain(later)
        .take_until(stop)
        .map(|m| Ok(Event::default().event(m.event).data(m.data)));
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// `GET /__torget/live.js`.
pub async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        SCRIPT,
    )
}

/// Adds the live script to an HTML page, before its last `</body>` (or at its end).
pub fn inject(html: &[u8], not_found: bool) -> Vec<u8> {
    let tag = if not_found {
        format!("<script src=\"{SCRIPT_PATH}\" data-status=\"404\" defer></script>")
    } else {
        format!("<script src=\"{SCRIPT_PATH}\" defer></script>")
    };
    let at = find_last_ignore_case(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if haystack.len() < needle.len() {
        return None;
    }
    (0..=haystack.len() - needle.len())
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_closing_body() {
        let html = b"<html><body><p>&lt;/body&gt;</p></BODY></html>";
        let out = String::from_utf8(inject(html, false)).unwrap();
        assert_eq!(
            out,
            "<html><body><p>&lt;/body&gt;</p><script src=\"/__torget/live.js\" defer></script></BODY></html>"
        );
        let out = String::from_utf8(inject(b"<p>no body", true)).unwrap();
        assert_eq!(
            out,
            "<p>no body<script src=\"/__torget/live.js\" data-status=\"404\" defer></script>"
        );
    }

    #[test]
    fn a_new_page_hears_hello_then_the_current_problems() {
        let live = Live::new("abc", Lang::En);
        live.failed(vec![Problem::general("broken")]);
        let (first, _) = live.subscribe();
        assert_eq!(first[0].event, "hello");
        assert_eq!(first[0].data, r#"{"build":"abc-0"}"#);
        assert_eq!(first[1].event, "error");
        assert!(
            first[1]
                .data
                .contains(r#""title":"Torget cannot build the site""#),
            "{}",
            first[1].data
        );
        let nb = Live::new("abc", Lang::Nb);
        let mut d = Diagnostic::error("content/a.md", "").at(3, 9);
        d = d.says(
            Text::new("date-no-such-month")
                .arg("key", "start")
                .arg("written", "2026-13-45")
                .arg("month", 13_i64),
        );
        nb.failed(vec![Problem::new(&d, nb.lang)]);
        let (first, _) = nb.subscribe();
        // One language in the whole box: its words and the problems.
        assert!(
            first[1]
                .data
                .contains(r#""title":"Torget kan ikke bygge nettstedet""#),
            "{}",
            first[1].data
        );
        assert!(
            first[1]
                .data
                .contains(r#""message":"`start = 2026-13-45`: det finnes ingen måned 13""#),
            "{}",
            first[1].data
        );
        live.succeeded();
        let (first, mut rx) = live.subscribe();
        assert_eq!(first.len(), 1);
        live.reload(&["/x/".into()], false);
        let m = rx.try_recv().unwrap();
        assert_eq!(m.event, "reload");
        assert_eq!(m.data, r#"{"all":false,"build":"abc-1","pages":["/x/"]}"#);
    }

    #[test]
    fn ok_is_sent_only_after_a_failure() {
        let live = Live::new("abc", Lang::En);
        let (_, mut rx) = live.subscribe();
        live.succeeded();
        assert!(rx.try_recv().is_err());
        live.failed(vec![]);
        live.succeeded();
        assert_eq!(rx.try_recv().unwrap().event, "error");
        assert_eq!(rx.try_recv().unwrap().event, "ok");
    }
}
