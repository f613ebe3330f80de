//! Defences against automated posting that need no third-party CAPTCHA and no cookies.
//!
//! - the honeypot: a field hidden from people that must stay empty (checked in the router);
//! - form tokens: the page script fetches a token signed with a server secret when the form is
//!   shown; a post that carries one must come at least a few seconds later and within hours;
//! - a per-client rate limit in memory, keyed by a salted hash of the address (never stored);
//! - origin checks: a browser's post must come from the site's own origin.
//!
//! A post without a token is still accepted, because a resident without JavaScript must be able
//! to answer; such posts rely on the other defences. docs/api.md says this plainly.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::header::{HOST, ORIGIN, REFERER};
use axum::http::{HeaderMap, HeaderName};
use hmac::{Hmac, KeyInit, Mac};
use jiff::Timestamp;
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// Why a form token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    TooFast,
    Expired,
    Invalid,
}

/// Issues and checks signed form-render times.
pub struct FormTokens {
    key: [u8; 32],
    pub min_fill: Duration,
    pub max_age: Duration,
}

impl FormTokens {
    /// `secret` is any string shared by every endpoint instance; a random one makes tokens
    /// valid only until restart, which is fine for a single instance.
    pub fn new(secret: &[u8], min_fill: Duration, max_age: Duration) -> FormTokens {
        let key = Sha256::digest([b"torget form token\0".as_slice(), secret].concat()).into();
        FormTokens {
            key,
            min_fill,
            max_age,
        }
    }

    fn mac(&self, call_id: &str, issued: i64) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(call_id.as_bytes());
        mac.update(b"\0");
        mac.update(issued.to_string().as_bytes());
        mac
    }

    /// A token saying "the form for `call_id` was shown at `now`": `<unix seconds>.<hex MAC>`.
    pub fn issue(&self, call_id: &str, now: Timestamp) -> String {
        let issued = now.as_second();
        let tag = self.mac(call_id, issued).finalize().into_bytes();
        format!("{issued}.{}", hex(&tag[..16]))
    }

    pub fn check(&self, call_id: &str, token: &str, now: Timestamp) -> Result<(), TokenProblem> {
        let (issued, tag) = token.split_once('.').ok_or(TokenProblem::Invalid)?;
        let issued: i64 = issued.parse().map_err(|_| TokenProblem::Invalid)?;
        let tag = unhex(tag).ok_or(TokenProblem::Invalid)?;
        if tag.len() != 16 {
            return Err(TokenProblem::Invalid);
        }
        self.mac(call_id, issued)
            .verify_truncated_left(&tag)
            .map_err(|_| TokenProblem::Invalid)?;
        let age = now.as_second() - issued;
        if age < self.min_fill.as_secs() as i64 {
            return Err(TokenProblem::TooFast);
        }
        if age > self.max_age.as_secs() as i64 {
            return Err(TokenProblem::Expired);
        }
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

/// Where a client's address comes from: the connection, or a header the reverse proxy sets.
#[derive(Debug, Clone, Default)]
pub struct ClientAddrs {
    /// The proxy's header (`X-Real-IP`, `X-Forwarded-For`); `None`: the connection's address.
    pub header: Option<HeaderName>,
    /// How many addresses at the header's right end were added by proxies behind the one that
    /// saw the client (0: the right-most address is the client's).
    pub trusted_proxies: usize,
}

impl ClientAddrs {
    /// The client's address. Every line of the header counts, joined in order, because a
    /// client may send its own line before the one the proxy adds; only the address the
    /// trusted proxy added is believed. Without a header, or with one that does not hold an
    /// address there, it is the connection's (`peer`), so a client cannot pick its bucket.
    pub fn of(&self, headers: &HeaderMap, peer: Option<IpAddr>) -> IpAddr {
        let peer = peer.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let Some(name) = &self.header else {
            return peer;
        };
        let addrs: Vec<&str> = headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        addrs
            .len()
            .checked_sub(1 + self.trusted_proxies)
            .and_then(|i| parse_addr(addrs[i]))
            .unwrap_or(peer)
    }
}

/// `192.0.2.1`, `2001:db8::1`, or either with a port (`192.0.2.1:4711`, `[2001:db8::1]:4711`).
fn parse_addr(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    s.parse::<IpAddr>()
        .or_else(|_| s.parse::<SocketAddr>().map(|a| a.ip()))
        .ok()
}

/// A token bucket per client: `per_minute` posts at once, refilled at that rate.
///
/// Buckets live in two generations of at most half of `max_clients` each: when the current one
/// is full it becomes the previous one and the old previous one is forgotten; a client found in
/// the previous one moves back. So a flood of new addresses costs bounded memory and constant
/// time per post, and a client that keeps posting is remembered; one that was forgotten merely
/// starts with a full bucket again.
pub struct RateLimiter {
    per_minute: u32,
    salt: [u8; 16],
    max_clients: usize,
    buckets: Mutex<Generations>,
}

#[derive(Default)]
struct Generations {
    current: HashMap<u64, Bucket>,
    previous: HashMap<u64, Bucket>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Posts per client address per minute by default (`--rate-limit`, and the preview's): a token
/// bucket that also allows this many at once, so a full room on one network can answer together.
pub const DEFAULT_RATE_LIMIT: u32 = 60;

/// Clients the rate limit remembers by default (`--rate-limit-clients`): some megabytes.
pub const MAX_CLIENTS: usize = 100_000;

impl RateLimiter {
    /// `per_minute = 0` turns the limit off (for load tests); at most `max_clients` clients
    /// are remembered.
    pub fn new(per_minute: u32, max_clients: usize) -> RateLimiter {
        let mut salt = [0u8; 16];
        // Without randomness the salt is merely constant; the hash still never leaves memory.
        let _ = getrandom::fill(&mut salt);
        RateLimiter {
            per_minute,
            salt,
            max_clients: max_clients.max(2),
            buckets: Mutex::new(Generations::default()),
        }
    }

    /// The client's key: a salted hash of its address. IPv6 clients are keyed by their /64,
    /// which is what one household or phone usually gets.
    fn key(&self, addr: IpAddr) -> u64 {
        let mut h = Sha256::new();
        h.update(self.salt);
        match addr {
            IpAddr::V4(a) => h.update(a.octets()),
            IpAddr::V6(a) => match a.to_ipv4_mapped() {
                Some(v4) => h.update(v4.octets()),
                None => h.update(&a.octets()[..8]),
            },
        }
        let d = h.finalize();
        u64::from_le_bytes(d[..8].try_into().expect("8 bytes"))
    }

    /// Whether this client has a token left, without taking it; else how long to wait.
    pub fn peek(&self, addr: IpAddr, now: Instant) -> Result<(), Duration> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let key = self.key(addr);
        let g = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        match g.current.get(&key).or_else(|| g.previous.get(&key)) {
            Some(b) => refilled(*b, self.per_minute, now).ready(rate(self.per_minute)),
            None => Ok(()),
        }
    }

    /// Takes one token for this client, or says how long to wait for the next. `limit` is a
    /// call's own posts per minute (a meeting's call may allow more); `None` is the default.
    pub fn check(&self, addr: IpAddr, limit: Option<u32>, now: Instant) -> Result<(), Duration> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let per_minute = limit.unwrap_or(self.per_minute).max(1);
        let key = self.key(addr);
        let mut g = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let b = match g.current.get(&key) {
            Some(b) => *b,
            None => {
                let b = g.previous.remove(&key).unwrap_or(Bucket {
                    tokens: f64::from(per_minute),
                    at: now,
                });
                if g.current.len() >= self.max_clients / 2 {
                    g.previous = std::mem::take(&mut g.current);
                }
                b
            }
        };
        let mut b = refilled(b, per_minute, now);
        let ready = b.ready(rate(per_minute));
        if ready.is_ok() {
            b.tokens -= 1.0;
        }
        g.current.insert(key, b);
        ready
    }

    /// How many clients are remembered now.
    #[cfg(test)]
    fn remembered(&self) -> usize {
        let g = self.buckets.lock().unwrap();
        g.current.len() + g.previous.len()
    }
}

/// Tokens per second for a limit of `per_minute`.
fn rate(per_minute: u32) -> f64 {
    f64::from(per_minute) / 60.0
}

/// The bucket as it is at `now`, refilled since it was last used, up to `per_minute`.
fn refilled(b: Bucket, per_minute: u32, now: Instant) -> Bucket {
    let tokens = b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * rate(per_minute);
    Bucket {
        tokens: tokens.min(f64::from(per_minute)),
        at: now,
    }
}

impl Bucket {
    /// Whether a token can be taken; else how long until one can.
    fn ready(&self, rate: f64) -> Result<(), Duration> {
        if self.tokens >= 1.0 {
            return Ok(());
        }
        // Whole seconds, rounded up, as Retry-After wants them.
        let wait = ((1.0 - self.tokens) / rate).ceil().max(1.0);
        Err(Duration::from_secs(wait as u64))
    }
}

/// Which origins may post and call the API from a browser.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// `https://example.no` forms, without a trailing slash. Empty: the endpoint's own origin
    /// and `localhost` are allowed, which suits a same-origin reverse proxy and development.
    pub allowed: Vec<String>,
}

impl Origins {
    pub fn new(allowed: impl IntoIterator<Item = String>) -> Origins {
        Origins {
            allowed: allowed
                .into_iter()
                .map(|o| o.trim_end_matches('/').to_ascii_lowercase())
                .collect(),
        }
    }

    /// The site's origin for links back to it, if one is configured.
    pub fn site(&self) -> Option<&str> {
        self.allowed.first().map(String::as_str)
    }

    /// Whether a browser request may post here. Browsers send `Origin` on every POST; where a
    /// privacy tool strips it, `Referer` is used; where both are missing the post is allowed,
    /// since only a browser enforces them anyway and the other defences still apply.
    pub fn allows(&self, headers: &HeaderMap) -> bool {
        let origin = match headers.get(ORIGIN) {
            Some(o) => o.to_str().unwrap_or("null").to_ascii_lowercase(),
            None => match headers.get(REFERER).and_then(|r| r.to_str().ok()) {
                Some(r) => origin_of(r).unwrap_or_else(|| "null".into()),
                None => return true,
            },
        };
        self.allows_origin(&origin, headers.get(HOST).and_then(|h| h.to_str().ok()))
    }

    pub fn allows_origin(&self, origin: &str, host: Option<&str>) -> bool {
        let origin = origin.trim_end_matches('/').to_ascii_lowercase();
        if !self.allowed.is_empty() {
            return self.allowed.contains(&origin);
        }
        let Some(authority) = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
        else {
            return false;
        };
        let hostname = host_part(authority);
        matches!(hostname, "localhost" | "127.0.0.1" | "[::1]")
            || host.is_some_and(|h| h.eq_ignore_ascii_case(authority))
    }
}

fn host_part(authority: &str) -> &str {
    if authority.starts_with('[') {
        authority.split_inclusive(']').next().unwrap_or(authority)
    } else {
        authority.split(':').next().unwrap_or(authority)
    }
}

/// `https://example.no/path?q` → `https://example.no`.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    Some(format!("{scheme}://{authority}").to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn at(s: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + s).unwrap()
    }

    #[test]
    fn tokens_need_patience_but_not_too_much() {
        let t = FormTokens::new(b"secret", Duration::from_secs(3), Duration::from_secs(3600));
        let tok = t.issue("c", at(0));
        assert_eq!(t.check("c", &tok, at(1)), Err(TokenProblem::TooFast));
        assert_eq!(t.check("c", &tok, at(3)), Ok(()));
        assert_eq!(t.check("c", &tok, at(3601)), Err(TokenProblem::Expired));
        assert_eq!(t.check("other", &tok, at(5)), Err(TokenProblem::Invalid));
        let forged = tok.replacen(
            &at(0).as_second().to_string(),
            &at(-100).as_second().to_string(),
            1,
        );
        assert_eq!(t.check("c", &forged, at(5)), Err(TokenProblem::Invalid));
        assert_eq!(t.check("c", "garbage", at(5)), Err(TokenProblem::Invalid));
        let other_secret =
            FormTokens::new(b"other", Duration::from_secs(3), Duration::from_secs(3600));
        assert_eq!(
            other_secret.check("c", &tok, at(5)),
            Err(TokenProblem::Invalid)
        );
    }

    #[test]
    fn the_rate_limit_is_per_client_and_refills() {
        let l = RateLimiter::new(2, MAX_CLIENTS);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let t0 = Instant::now();
        assert!(l.check(a, None, t0).is_ok());
        assert!(l.check(a, None, t0).is_ok());
        let wait = l.check(a, None, t0).unwrap_err();
        assert_eq!(wait, Duration::from_secs(30));
        assert!(
            l.check(b, None, t0).is_ok(),
            "another client has its own bucket"
        );
        assert!(l.check(a, None, t0 + Duration::from_secs(30)).is_ok());
        let off = RateLimiter::new(0, MAX_CLIENTS);
        for _ in 0..1000 {
            assert!(off.check(a, None, t0).is_ok());
        }
    }

    #[test]
    fn ipv6_clients_share_their_64() {
        let l = RateLimiter::new(1, MAX_CLIENTS);
        let t0 = Instant::now();
        assert!(l.check("2001:db8::1".parse().unwrap(), None, t0).is_ok());
        assert!(l.check("2001:db8::2".parse().unwrap(), None, t0).is_err());
        assert!(
            l.check("2001:db8:0:1::1".parse().unwrap(), None, t0)
                .is_ok()
        );
    }

    fn forwarded(lines: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for l in lines {
            h.append("x-forwarded-for", HeaderValue::from_str(l).unwrap());
        }
        h
    }

    // Only the first X-Forwarded-For line was read, so a client that sent its own line before
    // the one the proxy added chose its address, and with it a fresh bucket for every post.
    #[test]
    fn x_forwarded_for_believes_only_the_address_the_proxy_added() {
        let peer: IpAddr = "10.0.0.1".parse().unwrap();
        let xff = ClientAddrs {
            header: Some(HeaderName::from_static("x-forwarded-for")),
            trusted_proxies: 0,
        };
        let own_line_first = forwarded(&["198.51.100.66", "203.0.113.5"]);
        assert_eq!(xff.of(&own_line_first, Some(peer)), ip("203.0.113.5"));
        let appended = forwarded(&["198.51.100.66, 203.0.113.5"]);
        assert_eq!(xff.of(&appended, Some(peer)), ip("203.0.113.5"));
        let behind_a_cdn = ClientAddrs {
            trusted_proxies: 1,
            ..xff.clone()
        };
        let through_two = forwarded(&["198.51.100.66, 203.0.113.5", "192.0.2.80"]);
        assert_eq!(behind_a_cdn.of(&through_two, Some(peer)), ip("203.0.113.5"));
        assert_eq!(
            xff.of(&forwarded(&["[2001:db8::7]:4711"]), Some(peer)),
            ip("2001:db8::7")
        );
    }

    // Posts without the header (or with garbage in it) all shared one "unknown" bucket, so one
    // client could lock out everyone whose proxy line was missing.
    #[test]
    fn a_missing_or_unreadable_header_means_the_connections_address() {
        let peer: IpAddr = "10.0.0.1".parse().unwrap();
        let xff = ClientAddrs {
            header: Some(HeaderName::from_static("x-forwarded-for")),
            trusted_proxies: 0,
        };
        assert_eq!(xff.of(&HeaderMap::new(), Some(peer)), peer);
        assert_eq!(xff.of(&forwarded(&["not an address"]), Some(peer)), peer);
        let too_few = ClientAddrs {
            trusted_proxies: 2,
            ..xff
        };
        assert_eq!(too_few.of(&forwarded(&["203.0.113.5"]), Some(peer)), peer);
    }

    // A flood of distinct addresses grew the table without bound (and each new one scanned it
    // whole once it was full): throughput fell from 107k to 20k posts per second.
    #[test]
    fn a_flood_of_addresses_costs_bounded_memory_and_keeps_a_steady_client() {
        let l = RateLimiter::new(2, 1000);
        let t0 = Instant::now();
        let steady = ip("192.0.2.1");
        assert!(l.check(steady, None, t0).is_ok());
        assert!(l.check(steady, None, t0).is_ok());
        for i in 0..100_000u32 {
            let flood = IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + i));
            let _ = l.check(flood, None, t0);
            if i % 400 == 0 {
                assert!(
                    l.check(steady, None, t0).is_err(),
                    "still remembered at {i}"
                );
            }
        }
        assert!(l.remembered() <= 1000, "{} remembered", l.remembered());
    }

    // At a meeting the whole room shares one address: 10 a minute refused the 11th resident.
    #[test]
    fn a_full_room_on_one_address_can_answer_and_a_call_may_allow_more() {
        let school = ip("192.0.2.50");
        let t0 = Instant::now();
        let l = RateLimiter::new(60, MAX_CLIENTS);
        for i in 0..60 {
            assert!(l.check(school, None, t0).is_ok(), "resident {i}");
        }
        assert_eq!(l.check(school, None, t0), Err(Duration::from_secs(1)));
        let meeting = RateLimiter::new(60, MAX_CLIENTS);
        for i in 0..300 {
            assert!(meeting.check(school, Some(300), t0).is_ok(), "resident {i}");
        }
        assert!(meeting.check(school, Some(300), t0).is_err());
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn origins_are_checked_against_the_site() {
        let site = Origins::new(["https://Site.example/".to_string()]);
        assert!(site.allows_origin("https://site.example", None));
        assert!(!site.allows_origin("https://evil.example", None));
        assert!(!site.allows_origin("null", None));
        let open = Origins::default();
        assert!(open.allows_origin("http://localhost:1111", None));
        assert!(open.allows_origin("http://[::1]:8080", None));
        assert!(open.allows_origin("https://api.example", Some("api.example")));
        assert!(!open.allows_origin("https://evil.example", Some("api.example")));

        let mut h = HeaderMap::new();
        assert!(site.allows(&h), "no Origin and no Referer: allowed");
        h.insert(
            REFERER,
            HeaderValue::from_static("https://evil.example/x?y"),
        );
        assert!(!site.allows(&h));
        h.insert(
            REFERER,
            HeaderValue::from_static("https://site.example/innspill/x/"),
        );
        assert!(site.allows(&h));
        h.insert(ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!site.allows(&h), "Origin wins over Referer");
    }
}
