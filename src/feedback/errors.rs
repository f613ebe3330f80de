//! Everything the endpoint can refuse, as one enum that becomes a response.
//!
//! Each variant has one status code and one sentence per language (from the site's
//! [`Sentences`]). A script gets JSON — `{"message"}`, plus `"errors": [{"question", "message"}]` for 422 — and a
//! browser posting a plain form gets the same sentences as an HTML page framed by the site.
//! Internal failures reach the resident only as [`Error::Unavailable`]: what failed (a
//! [`Fault`]) rides along in the response's extensions, where the router's request log finds
//! it and logs it once, and no database message, path or backtrace ever leaves the server.

use std::time::Duration;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use super::answers::{Problem, Unreadable};
use super::messages::{Msg, Sentences};
use super::pages::{Frame, escape};
use super::store::StoreError;

/// What failed inside the server, for the log only: never sent to the client.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Fault {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the operating system gave no randomness for a receipt: {0}")]
    NoRandomness(String),
    #[error("cannot write the Excel export: {0}")]
    Export(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    UnknownCall,
    NotYetOpen {
        opens: String,
    },
    Closed {
        closes: String,
    },
    Invalid(Vec<Problem>),
    Unreadable(Unreadable),
    Honeypot,
    TooFast,
    TokenExpired,
    TokenInvalid,
    RateLimited {
        retry_after: Duration,
    },
    ForeignOrigin,
    TooLarge,
    /// The body did not arrive within the body timeout.
    BodyTimeout,
    UnsupportedMediaType,
    UnknownReceipt,
    ReceiptMissing,
    /// Something inside failed: the fault is logged, never said.
    Unavailable(Fault),
    /// Admin routes without `TORGET_ADMIN_TOKEN` set.
    AdminOff,
    Unauthorized,
    /// Too many wrong admin tokens from this address.
    AdminThrottled {
        retry_after: Duration,
    },
    BadFormat,
    /// A call whose results staff have not published (or have unpublished).
    NotPublished,
    NoSuchRoute,
    MethodNotAllowed,
}

impl Error {
    pub fn status(&self) -> StatusCode {
        use Error::*;
        match self {
            UnknownCall | UnknownReceipt | AdminOff | NotPublished | NoSuchRoute => {
                StatusCode::NOT_FOUND
            }
            NotYetOpen { .. } | Closed { .. } => StatusCode::CONFLICT,
            Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Unreadable(_) | Honeypot | TooFast | TokenExpired | TokenInvalid | ReceiptMissing
            | BadFormat => StatusCode::BAD_REQUEST,
            RateLimited { .. } | AdminThrottled { .. } => StatusCode::TOO_MANY_REQUESTS,
            ForeignOrigin => StatusCode::FORBIDDEN,
            TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Unauthorized => StatusCode::UNAUTHORIZED,
            MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    /// The sentence for a resident (or, for the staff and protocol errors, for whoever calls).
    pub fn message(&self, sentences: &Sentences, lang: &str) -> String {
        use Error::*;
        let m = match self {
            UnknownCall => Msg::UnknownCall,
            NotYetOpen { opens } => Msg::NotYetOpen { opens },
            Closed { closes } => Msg::Closed { closes },
            Invalid(_) => Msg::Invalid,
            Unreadable(super::answers::Unreadable::NotUtf8) => Msg::NotUtf8,
            Unreadable(super::answers::Unreadable::MalformedJson) => Msg::MalformedJson,
            Honeypot => Msg::Honeypot,
            TooFast => Msg::TooFast,
            TokenExpired => Msg::TokenExpired,
            TokenInvalid => Msg::TokenInvalid,
            RateLimited { retry_after } => Msg::RateLimited {
                seconds: retry_after.as_secs(),
            },
            ForeignOrigin => Msg::ForeignOrigin,
            TooLarge => Msg::TooLarge,
            UnsupportedMediaType => Msg::UnsupportedMediaType,
            UnknownReceipt => Msg::UnknownReceipt,
            ReceiptMissing => Msg::ReceiptMissing,
            // "Nothing was stored, try again in a moment" is what a resident needs to hear.
            Unavailable(_) | BodyTimeout => Msg::Unavailable,
            AdminOff => {
                return "admin routes are off: start the endpoint with TORGET_ADMIN_TOKEN set to enable them".into();
            }
            Unauthorized => {
                return "send the admin token from TORGET_ADMIN_TOKEN as `Authorization: Bearer <token>`".into();
            }
            AdminThrottled { retry_after } => {
                return format!(
                    "too many wrong admin tokens from this address: wait {} seconds",
                    retry_after.as_secs()
                );
            }
            BadFormat => return "`format` must be `csv`, `json` or `xlsx`".into(),
            NotPublished => {
                return "the results of this call are not published: staff publish them in the \
                        console once the call has closed"
                    .into();
            }
            NoSuchRoute => {
                return "no such endpoint: see docs/api.md for the routes this server has".into();
            }
            MethodNotAllowed => {
                return "this route does not take that method: see docs/api.md".into();
            }
        };
        sentences.text(lang, &m)
    }

    /// JSON for a script: `{"message"}`, and per-question `errors` for 422.
    pub fn to_json(&self, sentences: &Sentences, lang: &str) -> Response {
        let mut body = json!({ "message": self.message(sentences, lang) });
        if let Error::Invalid(problems) = self {
            body["errors"] = problems
                .iter()
                .map(|p| json!({ "question": p.question, "message": sentences.text(lang, &p.msg) }))
                .collect();
        }
        self.decorate((self.status(), Json(body)).into_response())
    }

    /// An HTML page for a browser that posted a plain form, under `heading`.
    pub fn to_html(&self, lang: &str, frame: &Frame<'_>, heading: Msg<'_>) -> Response {
        self.to_html_with(lang, frame, heading, "")
    }

    /// [`Error::to_html`] with `more` (HTML, already escaped) at the end of the page.
    pub fn to_html_with(
        &self,
        lang: &str,
        frame: &Frame<'_>,
        heading: Msg<'_>,
        more: &str,
    ) -> Response {
        let sentences = frame.sentences();
        let mut body = format!(
            "<p class=\"lead\">{}</p>",
            escape(&self.message(sentences, lang))
        );
        if let Error::Invalid(problems) = self {
            body.push_str("<ul class=\"error-list\">");
            for p in problems {
                body.push_str(&format!(
                    "<li><strong>{}</strong>: {}</li>",
                    escape(&p.question),
                    escape(&sentences.text(lang, &p.msg))
                ));
            }
            body.push_str("</ul>");
        }
        if matches!(self, Error::Invalid(_) | Error::TooFast | Error::TooLarge) {
            body.push_str(&format!(
                "<p>{}</p>",
                escape(&sentences.text(lang, &Msg::BackHint))
            ));
        }
        body.push_str(more);
        let html = frame.page(&sentences.text(lang, &heading), &body);
        self.decorate((self.status(), Html(html)).into_response())
    }

    /// A page built elsewhere (the call's form again, [`Frame::form_again`]) as this error's
    /// response.
    pub fn with_page(&self, html: String) -> Response {
        self.decorate((self.status(), Html(html)).into_response())
    }

    fn decorate(&self, mut res: Response) -> Response {
        let h = res.headers_mut();
        match self {
            Error::RateLimited { retry_after } | Error::AdminThrottled { retry_after } => {
                h.insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(retry_after.as_secs()),
                );
            }
            Error::Unauthorized => {
                h.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Error::Unavailable(fault) = self {
            res.extensions_mut().insert(fault.clone());
        }
        res
    }
}

/// Without the site's sentences, for the staff routes' own errors (`AdminOff`, `Unauthorized`,
/// `BadFormat`), which are in English and need none.
impl IntoResponse for Error {
    fn into_response(self) -> Response {
        self.to_json(&Sentences::default(), "en")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls_json::sample;
    use crate::feedback::calls::Site;

    fn sentences() -> Sentences {
        Site::from_file(sample::file(vec![])).unwrap().sentences
    }

    #[test]
    fn internal_failures_say_nothing_about_the_inside() {
        let fault = Fault::Store(StoreError::Full(
            "/var/lib/torget/feedback.sqlite: database or disk is full".into(),
        ));
        let e = Error::Unavailable(fault.clone());
        let res = e.to_json(&sentences(), "nb");
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        // The fault rides along for the request log, and only there.
        assert_eq!(res.extensions().get::<Fault>(), Some(&fault));
        assert_eq!(
            e.message(&sentences(), "nb"),
            "Vi kunne ikke lagre svaret akkurat nå, og ingenting er lagret. Prøv igjen om litt."
        );
    }

    #[test]
    fn closed_calls_say_when_they_closed_in_the_residents_language() {
        let e = Error::Closed {
            closes: "torsdag 15. oktober 2020 kl. 23.59".into(),
        };
        assert_eq!(e.status(), StatusCode::CONFLICT);
        assert_eq!(
            e.message(&sentences(), "nb"),
            "Denne innspillsrunden ble avsluttet torsdag 15. oktober 2020 kl. 23.59, så vi kan ikke ta imot flere svar."
        );
    }
}
