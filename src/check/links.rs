//! Links lead somewhere: `@/` links and site URLs to a page of this site and, with `#anchor`,
//! to a heading on it; relative links to a file that is there; other addresses are well formed.
//! Nothing is fetched: whether another site's page exists is not checked.
//!
//! That an `@/` link names an existing content file is checked by the build already.

use super::{Body, Ctx, key_offset};
use crate::content::{Data, Item};
use crate::diag::{Diagnostic, Diagnostics};
use crate::messages::Text;

/// A reason (itself a catalogue sentence) put into a message as `problem`.
fn with_problem(text: Text, why: &Text) -> Text {
    text.arg_each("problem", |lang| why.say(lang))
}

pub(crate) fn check(ctx: &Ctx<'_>, body: &Body<'_>, diags: &mut Diagnostics) {
    for link in body.links.iter().filter(|l| !l.image) {
        let at = link.range.start;
        // `<post@example.no>`: Markdown makes it a mailto: link itself.
        let problem = if link.autolink && scheme(&link.dest).is_none() {
            email_problem(&link.dest).map(|why| {
                let text = Text::new("links-bad-email").arg("dest", &link.dest);
                body.error(at, "").says(with_problem(text, &why))
            })
        } else {
            problem(ctx, body, &link.dest, at)
        };
        diags.extend(problem);
    }
}

/// What is wrong with a link to `dest`, written at `at` in `body`, if anything.
fn problem(ctx: &Ctx<'_>, body: &Body<'_>, dest: &str, at: usize) -> Option<Diagnostic> {
    let dest = dest.trim();
    if dest.is_empty() {
        return Some(body.error(at, "").says(Text::new("links-no-address")));
    }
    if let Some(target) = dest.strip_prefix("@/") {
        // A content path that does not exist is the build's error; here only the anchor.
        let url = ctx.targets.resolve(body.lang, target).ok()?;
        return anchor_problem(ctx, body, dest, &url, at);
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        let ok = anchor.is_empty()
            || body.headings.iter().any(|h| h.id == anchor)
            || ctx.theme_ids.contains(anchor);
        return (!ok).then(|| {
            let text = headings(Text::new("links-no-heading-here"), body.headings);
            body.error(at, "").says(text.arg("dest", dest))
        });
    }
    if let Some(rest) = dest.strip_prefix("//") {
        return web_problem(&format!("https://{rest}")).map(|why| {
            let text = Text::new("links-not-web").arg("dest", dest);
            body.error(at, "").says(with_problem(text, &why))
        });
    }
    if let Some(scheme) = scheme(dest) {
        return scheme_problem(&scheme, dest).map(|(error, text)| {
            let text = text.arg("dest", dest);
            if error {
                body.error(at, "").says(text)
            } else {
                body.warning(at, "").says(text)
            }
        });
    }
    if looks_like_a_domain(dest) {
        let text = Text::new("links-no-https").arg("dest", dest);
        return Some(body.error(at, "").says(text));
    }
    let path = if dest.starts_with('/') {
        dest.to_string()
    } else {
        let (path, _) = split_anchor(dest);
        if path.ends_with(".md") {
            let text = Text::new("links-names-a-file")
                .arg("dest", dest)
                .arg("path", content_path(body, path));
            return Some(body.error(at, "").says(text));
        }
        join(body.url, dest)
    };
    site_problem(ctx, body, dest, &path, at)
}

/// A link to a path of this site: a page or file the build writes, and the anchor on it.
fn site_problem(
    ctx: &Ctx<'_>,
    body: &Body<'_>,
    dest: &str,
    path: &str,
    at: usize,
) -> Option<Diagnostic> {
    let built = ctx.built.as_ref()?;
    let (path, _) = split_anchor(path);
    let path = path.split('?').next().unwrap_or_default();
    let path = percent_decode(path);
    // `/prosjekter/x` is served as `/prosjekter/x/`.
    let exists = built.contains(&path) || built.contains(&format!("{path}/"));
    if !exists {
        let text = Text::new("links-leads-nowhere").arg("dest", dest);
        return Some(body.error(at, "").says(text));
    }
    let (_, anchor) = split_anchor(dest);
    let page = path.strip_suffix("index.html").unwrap_or(&path);
    let page = if page.ends_with('/') {
        page.to_string()
    } else {
        format!("{page}/")
    };
    anchor_problem(ctx, body, dest, &format!("{page}#{}", anchor?), at)
}

/// Whether the anchor of a link resolved to `url` (`/x/#anchor`) is on that page.
fn anchor_problem(
    ctx: &Ctx<'_>,
    body: &Body<'_>,
    dest: &str,
    url: &str,
    at: usize,
) -> Option<Diagnostic> {
    let (page_url, anchor) = split_anchor(url);
    let anchor = anchor.filter(|a| !a.is_empty())?;
    if ctx.theme_ids.contains(anchor) {
        return None;
    }
    let page = ctx.pages.get(page_url)?;
    if page.headings.iter().any(|h| h.id == anchor) {
        return None;
    }
    let text = Text::new("links-no-heading-there")
        .arg("dest", dest)
        .arg("anchor", anchor)
        .arg("file", page.source.path.display().to_string());
    Some(body.error(at, "").says(headings(text, page.headings)))
}

/// The headings a link may lead to, for the help: `count` and the `ids`.
fn headings(text: Text, headings: &[crate::markdown::Heading]) -> Text {
    let ids: Vec<String> = headings.iter().map(|h| format!("`#{}`", h.id)).collect();
    text.arg("count", headings.len()).arg("ids", ids.join(", "))
}

fn split_anchor(s: &str) -> (&str, Option<&str>) {
    match s.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (s, None),
    }
}

/// The scheme of an absolute address (`https`, `mailto` …), lowercase.
fn scheme(dest: &str) -> Option<String> {
    let (scheme, _) = dest.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| scheme.to_ascii_lowercase())
}

/// (is it an error, what is wrong and what to do) for an address with a scheme.
fn scheme_problem(scheme: &str, dest: &str) -> Option<(bool, Text)> {
    match scheme {
        "http" | "https" => {
            web_problem(dest).map(|why| (true, with_problem(Text::new("links-scheme-web"), &why)))
        }
        "mailto" => {
            let address = dest[7..].split('?').next().unwrap_or_default();
            email_problem(address)
                .map(|why| (true, with_problem(Text::new("links-scheme-mailto"), &why)))
        }
        "tel" => {
            let number = &dest[4..];
            let ok = number.chars().any(|c| c.is_ascii_digit())
                && number
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | '(' | ')'));
            (!ok).then(|| (true, Text::new("links-scheme-tel")))
        }
        "sms" | "webcal" | "geo" => None,
        "javascript" | "data" | "vbscript" | "file" => Some((
            true,
            Text::new("links-scheme-forbidden").arg("scheme", scheme),
        )),
        // `htps:`, `htp:`, `hhtps:`: a misspelt web address, which no browser opens.
        typo if typo.chars().all(|c| "htps".contains(c)) => {
            Some((true, Text::new("links-scheme-typo").arg("scheme", typo)))
        }
        other => Some((
            false,
            Text::new("links-scheme-unknown").arg("scheme", other),
        )),
    }
}

/// What is wrong with an `http(s)://` address, if anything. Only its form, never the network.
pub(crate) fn web_problem(url: &str) -> Option<Text> {
    let (scheme, rest) = url.split_once(':')?;
    let Some(rest) = rest.strip_prefix("//") else {
        return Some(Text::new("why-no-slashes").arg("scheme", scheme));
    };
    if url.contains(char::is_whitespace) {
        return Some(Text::new("why-space"));
    }
    if let Some(c) = url.chars().find(|c| matches!(c, '<' | '>' | '"' | '\\')) {
        return Some(Text::new("why-character").arg("char", c.to_string()));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    if host_port.starts_with('[') {
        // An IPv6 address; rare in content and left to the browser.
        return None;
    }
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (host_port, None),
    };
    if host.is_empty() {
        return Some(Text::new("why-no-host"));
    }
    if let Some(p) = port
        && (p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return Some(Text::new("why-port").arg("port", p));
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    let labels: Vec<&str> = host.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if !labels.iter().all(label_ok) {
        return Some(Text::new("why-host").arg("host", host));
    }
    if labels.len() < 2 && host != "localhost" {
        return Some(Text::new("why-no-domain").arg("host", host));
    }
    None
}

fn email_problem(address: &str) -> Option<Text> {
    let Some((user, domain)) = address.split_once('@') else {
        return Some(Text::new("why-no-at"));
    };
    if user.is_empty() || user.contains(char::is_whitespace) {
        return Some(Text::new("why-nothing-before-at"));
    }
    web_problem(&format!("https://{domain}"))
        .map(|_| Text::new("why-not-a-domain").arg("domain", domain))
}

/// `www.ntnu.no` or `ntnu.no/om`: an address written without `https://`.
fn looks_like_a_domain(dest: &str) -> bool {
    let first = dest.split(['/', '?', '#']).next().unwrap_or_default();
    if first.starts_with("www.") {
        return true;
    }
    const TLDS: &[&str] = &[
        "no", "com", "org", "net", "eu", "se", "dk", "fi", "is", "uk", "de", "io", "edu", "gov",
        "int", "info",
    ];
    let labels: Vec<&str> = first.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && TLDS.contains(&labels[labels.len() - 1].to_ascii_lowercase().as_str())
}

/// A relative link resolved against the page URL it is on: `../y/` from `/a/x/` is `/a/y/`.
pub(crate) fn join(base: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    if !base.ends_with('/') {
        parts.pop();
    }
    let (path, tail) = match rel.find(['?', '#']) {
        Some(i) => (&rel[..i], &rel[i..]),
        None => (rel, ""),
    };
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    let mut trailing_slash = path.is_empty() || path.ends_with('/');
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
        if i == last && matches!(*seg, "." | "..") {
            trailing_slash = true;
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if trailing_slash && !out.ends_with('/') {
        out.push('/');
    }
    out + tail
}

/// `y.md` written in `content/projects/x.md` → `projects/y.md`, for the `@/` suggestion.
fn content_path(body: &Body<'_>, rel: &str) -> String {
    let dir = body
        .source
        .path
        .parent()
        .and_then(|p| p.strip_prefix("content").ok())
        .map(|p| format!("/{}/", p.to_string_lossy().replace('\\', "/")))
        .unwrap_or_else(|| "/".into());
    join(&dir, rel).trim_start_matches('/').to_string()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Web addresses and e-mail addresses in the front matter are well formed too.
pub(crate) fn check_front_matter(item: &Item, diags: &mut Diagnostics) {
    let primary = item.primary();
    let mut addresses: Vec<(&str, &str)> = Vec::new();
    match &item.data {
        Data::Event(e) => {
            if let Some(u) = &e.online_url {
                addresses.push(("online_url", u));
            }
            if let Some(u) = &e.registration_url {
                addresses.push(("registration_url", u));
            }
        }
        Data::Project(_) => {
            if let Some(c) = &primary.contact
                && let Some(why) = email_problem(&c.email)
            {
                let at = key_offset(&primary.source, primary.body_offset, "contact").unwrap_or(0);
                let text = Text::new("links-contact-email").arg("email", &c.email);
                diags.push(primary.source.error(at, "").says(with_problem(text, &why)));
            }
        }
        _ => {}
    }
    if let Some(image) = &primary.image
        && image.starts_with("http")
    {
        addresses.push(("image", image));
    }
    for (key, url) in addresses {
        if let Some(why) = web_problem(url) {
            let at = key_offset(&primary.source, primary.body_offset, key).unwrap_or(0);
            let text = Text::new("links-front-matter-web")
                .arg("key", key)
                .arg("url", url);
            diags.push(primary.source.error(at, "").says(with_problem(text, &why)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_resolve_against_the_page() {
        assert_eq!(join("/prosjekter/x/", "../y/"), "/prosjekter/y/");
        assert_eq!(join("/prosjekter/x/", "kart.png"), "/prosjekter/x/kart.png");
        assert_eq!(join("/prosjekter/x/", ".."), "/prosjekter/");
        assert_eq!(join("/prosjekter/x/", "../../om/#mal"), "/om/#mal");
        assert_eq!(join("/", "../../x"), "/x");
    }

    #[test]
    fn web_addresses_are_checked_by_form_only() {
        for ok in [
            "https://www.ntnu.no/",
            "https://trondheim.kommune.no/aktuelt?side=2#nytt",
            "http://localhost:1111/",
            "https://bø.no/",
            "https://example.org/a%20b",
        ] {
            assert_eq!(web_problem(ok), None, "{ok}");
        }
        for (bad, why) in [
            ("https:/www.ntnu.no", "`https:` must be followed by `//`"),
            ("https://", "it has no host name after `//`"),
            ("https://https://ntnu.no", "`:` is not a port number"),
            ("https://ntnu", "`ntnu` has no domain, e.g. `ntnu.no`"),
            ("https://ntnu..no", "`ntnu..no` is not a host name"),
            ("https://ntnu.no/a b", "it contains a space (write `%20`)"),
            ("https://ntnu.no:80a/", "`:80a` is not a port number"),
        ] {
            let said = web_problem(bad).map(|t| t.say(crate::messages::Lang::En));
            assert_eq!(said.as_deref(), Some(why), "{bad}");
        }
    }

    #[test]
    fn domains_without_a_scheme_are_recognised() {
        assert!(looks_like_a_domain("www.example.org/x"));
        assert!(looks_like_a_domain("ntnu.no"));
        assert!(!looks_like_a_domain("kart.png"));
        assert!(!looks_like_a_domain("../om/"));
    }
}
