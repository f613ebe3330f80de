//! [`Posted`]: the checks every post goes through before a handler sees it, in this order:
//! origin, rate limit, media type, size; then the body, read whole and decoded into what the
//! route takes ([`Submission`] for answers, [`Withdrawal`] for withdrawing one).
//!
//! A handler takes `Result<Posted<T>, Error>`, not `Posted<T>`, because how a refusal is
//! shown (JSON or a page, in which language, under which heading) is the route's to decide.

use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use axum::RequestExt;
use axum::extract::{ConnectInfo, FromRequest, RawPathParams, Request};
use axum::http::{HeaderMap, header};
use serde::Deserialize;

use super::answers::{self, Submission, Unreadable};
use super::errors::Error;
use super::router::{AppState, State};
use crate::calls_json::{MAX_BODY, MAX_FORM_BODY};

/// A post that passed the checks, with its body decoded.
#[derive(Debug)]
pub struct Posted<T>(pub T);

/// How a post's body is written, from its `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Form,
    Json,
}

impl Encoding {
    /// From the `Content-Type`: exactly one of the two media types, in any case, with or
    /// without parameters (`; charset=utf-8`); anything else (`application/jsonp`) is none.
    pub(crate) fn of(headers: &HeaderMap) -> Option<Encoding> {
        let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
        let essence = ct.split(';').next().unwrap_or("").trim();
        if essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
            Some(Encoding::Form)
        } else if essence.eq_ignore_ascii_case("application/json") {
            Some(Encoding::Json)
        } else {
            None
        }
    }

    /// The largest body read in this encoding.
    fn max_body(self) -> usize {
        match self {
            Encoding::Form => MAX_FORM_BODY,
            Encoding::Json => MAX_BODY,
        }
    }
}

/// A body a route accepts, as a form or as JSON.
pub trait Decode: Sized {
    fn decode(encoding: Encoding, body: &[u8]) -> Result<Self, Unreadable>;
}

impl<T: Decode> FromRequest<AppState> for Posted<T> {
    type Rejection = Error;

    async fn from_request(mut req: Request, st: &AppState) -> Result<Self, Error> {
        if !st.origins.allows(req.headers()) {
            return Err(Error::ForeignOrigin);
        }
        // A call's own limit (`rate_limit`, for a meeting on one network) where the path names
        // a call; else (`None`, and for withdrawals) the endpoint's.
        let call_limit = match req.extract_parts::<RawPathParams>().await {
            Ok(params) => (params.iter().find(|(k, _)| *k == "id"))
                .and_then(|(_, id)| st.site.get().call(id).and_then(|c| c.rate_limit)),
            Err(_) => None,
        };
        st.limiter
            .check(client_addr(st, &req), call_limit, Instant::now())
            .map_err(|retry_after| Error::RateLimited { retry_after })?;
        let encoding = Encoding::of(req.headers()).ok_or(Error::UnsupportedMediaType)?;
        let limit = encoding.max_body();
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(Error::TooLarge);
        }
        // A client that sends its body slowly must not hold its connection for ever.
        let body = tokio::time::timeout(
            st.body_timeout,
            axum::body::to_bytes(req.into_body(), limit),
        )
        .await
        .map_err(|_| Error::BodyTimeout)?
        .map_err(|_| Error::TooLarge)?;
        T::decode(encoding, &body)
            .map(Posted)
            .map_err(Error::Unreadable)
    }
}

/// The client's address: from the proxy's header when one is configured, else the connection.
pub(crate) fn client_addr(st: &State, req: &Request) -> IpAddr {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    st.client_addrs.of(req.headers(), peer)
}

impl Decode for Submission {
    fn decode(encoding: Encoding, body: &[u8]) -> Result<Submission, Unreadable> {
        match encoding {
            Encoding::Form => answers::parse_form(body),
            Encoding::Json => answers::parse_json(body),
        }
    }
}

/// A request to withdraw an answer: its receipt and the language to answer in, as sent.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    pub receipt: Option<String>,
    pub lang: Option<String>,
    /// The call the withdraw form was opened from, so a page that cannot withdraw can still
    /// lead back to it.
    #[serde(default)]
    pub call: Option<String>,
}

impl Decode for Withdrawal {
    fn decode(encoding: Encoding, body: &[u8]) -> Result<Withdrawal, Unreadable> {
        match encoding {
            Encoding::Form => {
                let pairs = answers::form_pairs(body)?;
                let get = |name: &str| {
                    pairs
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, v)| v.clone())
                };
                Ok(Withdrawal {
                    receipt: get("receipt"),
                    lang: get("lang"),
                    call: get("call"),
                })
            }
            Encoding::Json => {
                if std::str::from_utf8(body).is_err() {
                    return Err(Unreadable::NotUtf8);
                }
                serde_json::from_slice(body).map_err(|_| Unreadable::MalformedJson)
            }
        }
    }
}
