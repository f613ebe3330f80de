//! HTML pages the endpoint serves to residents without JavaScript: the thank-you page with
//! their receipt, the withdrawal confirmation, the call's form again when an answer has
//! mistakes, and what else went wrong with a form post.
//!
//! The endpoint has no templates of its own. It takes the site's built thank-you page in the
//! resident's language as the frame, so the page looks like the site and carries its header and
//! footer: for a receipt it fills `<code data-receipt>`; for other messages it replaces what is
//! inside `<main>`. An answer with mistakes gets the call's own built page back, its form
//! filled in with what the resident wrote (see [`Frame::form_again`]). When the site has its
//! own origin (`--origin`), a `<base href>` makes the page's site-relative links and styles
//! load from the site, not from the endpoint.

use std::collections::HashMap;

use super::answers::{Problem, Raw};
use super::calls::{Call, Site};
use super::messages::{Msg, Sentences};

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page to build on: the thank-you page in `lang`, else in the site's default language.
pub struct Frame<'a> {
    site: &'a Site,
    html: Option<&'a str>,
    /// `https://site.example/takk/`: where the frame's relative links point.
    base: Option<String>,
    lang: &'a str,
    sentences: &'a Sentences,
}

impl<'a> Frame<'a> {
    pub fn new(
        site: &'a Site,
        lang: &'a str,
        origin: Option<&str>,
        thanks_url: Option<&str>,
    ) -> Frame<'a> {
        let html = site
            .thanks_pages
            .get(lang)
            .or_else(|| site.thanks_pages.get(&site.default_language))
            .map(String::as_str);
        let base = origin.map(|o| format!("{o}{}", thanks_url.unwrap_or("/")));
        Frame {
            site,
            html,
            base,
            lang,
            sentences: &site.sentences,
        }
    }

    /// The site's sentences, which the page's words come from.
    pub fn sentences(&self) -> &'a Sentences {
        self.sentences
    }

    /// `msg` in the page's language.
    pub fn say(&self, msg: &Msg<'_>) -> String {
        self.sentences.text(self.lang, msg)
    }

    fn with_base(&self, html: String) -> String {
        let Some(base) = &self.base else {
            return html;
        };
        let Some(head) = html.find("<head") else {
            return html;
        };
        let Some(end) = html[head..].find('>') else {
            return html;
        };
        let at = head + end + 1;
        format!(
            "{}<base href=\"{}\">{}",
            &html[..at],
            escape(base),
            &html[at..]
        )
    }

    /// The thank-you page with the receipt filled in, breakable only between its groups. With
    /// the call, the page also names it, and its language links lead to this page in their
    /// language with the same receipt.
    pub fn thanks(&self, receipt: &str, heading: &str, call: Option<&Call>) -> String {
        if let Some(html) = self.html
            && html.contains("data-receipt")
        {
            let shown = escape(receipt).replace('-', "-<wbr>");
            // Relative, like the redirect here; not under a <base>, which points at the site.
            let keep_in_links = self.base.is_none()
                && receipt
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-');
            let here = call.and_then(|c| c.languages.get(self.lang).map(|l| (c, l)));
            let filled = each_tag(html, None, |tag, _| {
                if tag.get("data-receipt").is_some() {
                    return (format!("{}{shown}", tag.to_html()), true);
                }
                let Some((call, l)) = here else {
                    return (String::new(), false);
                };
                if tag.get("data-thanks-call").is_some() {
                    tag.remove("hidden");
                    return (tag.to_html(), false);
                }
                if tag.get("data-call-link").is_some() {
                    tag.set("href", Some(l.url.clone()));
                    return (format!("{}{}", tag.to_html(), escape(&l.title)), true);
                }
                if keep_in_links
                    && tag.name == "a"
                    && let Some(to) = tag.get("hreflang")
                    && call.languages.contains_key(to)
                {
                    let href = format!("thanks?lang={to}&receipt={receipt}");
                    tag.set("href", Some(href));
                    return (tag.to_html(), false);
                }
                (String::new(), false)
            });
            return self.with_base(filled);
        }
        self.page(
            heading,
            &format!(
                "<p class=\"receipt\"><code data-receipt>{}</code></p>",
                escape(receipt)
            ),
        )
    }

    /// The call's built page in the frame's language with its form as the resident sent it:
    /// every answer kept, each mistake beside its question and, at the top of the form, a
    /// summary that names the questions by their text and links to them. `None` when the site
    /// has no built page for the call in this language.
    pub fn form_again(
        &self,
        call: &Call,
        values: &[(String, Vec<Raw>)],
        problems: &[Problem],
    ) -> Option<String> {
        let html = self.site.call_page(&call.id, self.lang)?;
        Some(self.with_base(refill(html, call, self.lang, values, problems, self)))
    }

    /// A paragraph with a link back to `call`'s page in the frame's language, else in the
    /// site's default language (marked with `hreflang`); empty if the site built neither.
    pub fn back_to_call(&self, call: &Call) -> String {
        let found = [self.lang, self.site.default_language.as_str()]
            .into_iter()
            .find_map(|l| call.languages.get(l).map(|page| (l, page)));
        let Some((lang, page)) = found else {
            return String::new();
        };
        let hreflang = if lang == self.lang {
            String::new()
        } else {
            format!(" hreflang=\"{}\"", escape(lang))
        };
        format!(
            "<p><a href=\"{}\"{hreflang}>{}</a></p>",
            escape(&page.url),
            escape(&self.say(&Msg::BackToCall { title: &page.title }))
        )
    }

    /// A page with a heading and some HTML (already escaped) in place of the frame's content.
    pub fn page(&self, heading: &str, body_html: &str) -> String {
        let main = format!(
            "<div class=\"wrap narrow\"><h1>{}</h1>{body_html}</div>",
            escape(heading)
        );
        if let Some(html) = self.html
            && let Some(open) = html.find("<main")
            && let Some(open_end) = html[open..].find('>')
            && let Some(close) = html.rfind("</main>")
            && close > open + open_end
        {
            let inner = open + open_end + 1;
            let mut out = format!("{}{main}{}", &html[..inner], &html[close..]);
            if let Some(t) = out.find("<title>")
                && let Some(te) = out[t..].find("</title>")
            {
                let old = &out[t + 7..t + te];
                let site_name = old.rsplit_once(" – ").map(|(_, s)| s);
                let title = match site_name {
                    Some(s) => format!("{} – {s}", escape(heading)),
                    None => escape(heading),
                };
                out.replace_range(t + 7..t + te, &title);
            }
            return self.with_base(out);
        }
        self.with_base(format!(
            "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title></head><body><main>{main}</main></body></html>",
            escape(self.lang),
            escape(heading)
        ))
    }
}

/// One start tag, its attribute values decoded; written back with every value in double
/// quotes, so pages built with or without `--minify` are read alike.
#[derive(Debug)]
struct StartTag {
    name: String,
    attrs: Vec<(String, Option<String>)>,
}

impl StartTag {
    fn get(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_deref().unwrap_or(""))
    }

    fn has_class(&self, class: &str) -> bool {
        self.get("class")
            .is_some_and(|c| c.split_ascii_whitespace().any(|c| c == class))
    }

    fn set(&mut self, name: &str, value: Option<String>) {
        match self.attrs.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.attrs.push((name.to_string(), value)),
        }
    }

    fn remove(&mut self, name: &str) {
        self.attrs.retain(|(n, _)| n != name);
    }

    /// Adds `id` to `aria-describedby`, so a screen reader reads the mistake with the field.
    fn describe_by(&mut self, id: &str) {
        let ids = match self.get("aria-describedby") {
            Some(old) if !old.split_ascii_whitespace().any(|x| x == id) => format!("{old} {id}"),
            Some(old) => old.to_string(),
            None => id.to_string(),
        };
        self.set("aria-describedby", Some(ids));
    }

    fn to_html(&self) -> String {
        let mut out = format!("<{}", self.name);
        for (name, value) in &self.attrs {
            out.push(' ');
            out.push_str(name);
            if let Some(v) = value {
                out.push_str("=\"");
                out.push_str(&escape(v));
                out.push('"');
            }
        }
        out.push('>');
        out
    }
}

/// Decodes the character references our pages' attribute values use.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The start tag at `html[at..]` (which starts with `<` and a letter), and where it ends.
fn parse_tag(html: &str, at: usize) -> Option<(StartTag, usize)> {
    let b = html.as_bytes();
    let mut i = at + 1;
    let name_start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
        i += 1;
    }
    let name = html[name_start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if *b.get(i)? == b'>' {
            return Some((StartTag { name, attrs }, i + 1));
        }
        let n0 = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let attr = html[n0..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            attrs.push((attr, None));
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let value = match b.get(i)? {
            q @ (b'"' | b'\'') => {
                let end = i + 1 + html[i + 1..].find(*q as char)?;
                let v = &html[i + 1..end];
                i = end + 1;
                v
            }
            _ => {
                let v0 = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                &html[v0..i]
            }
        };
        attrs.push((attr, Some(unescape(value))));
    }
}

/// What `refill` needs to know of the form before it writes it: per question, the id of the
/// element its mistake goes into and the id of its first field (the summary's link target).
#[derive(Default)]
struct FormIds {
    error: HashMap<String, String>,
    first_field: HashMap<String, String>,
}

/// Calls `visit` with every start tag (with `form`, only those inside that call's answer form,
/// `<form data-call=…>`) and the question it belongs to (`data-question`), and copies
/// everything else as it is. `visit` returns what to write instead of the tag (nothing: the tag
/// as it was) and whether to drop the element's old content (a `<textarea>`'s) up to its end tag.
fn each_tag(
    html: &str,
    form: Option<&str>,
    mut visit: impl FnMut(&mut StartTag, Option<&str>) -> (String, bool),
) -> String {
    let mut out = String::with_capacity(html.len() + 1024);
    let mut in_form = false;
    let mut question: Option<String> = None;
    let mut copied = 0;
    let mut at = 0;
    while let Some(off) = html[at..].find('<') {
        let lt = at + off;
        let rest = &html[lt..];
        if rest.starts_with("<!--") {
            at = rest.find("-->").map_or(html.len(), |e| lt + e + 3);
            continue;
        }
        if rest.starts_with("</") {
            if in_form
                && rest
                    .get(..7)
                    .is_some_and(|t| t.eq_ignore_ascii_case("</form>"))
            {
                in_form = false;
            }
            at = lt + 2;
            continue;
        }
        if !rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            at = lt + 1;
            continue;
        }
        let Some((mut tag, end)) = parse_tag(html, lt) else {
            break;
        };
        at = end;
        if tag.name == "script" || tag.name == "style" {
            let close = format!("</{}", tag.name);
            at = html[end..]
                .to_ascii_lowercase()
                .find(&close)
                .map_or(html.len(), |e| end + e);
            continue;
        }
        if let Some(call_id) = form {
            if tag.name == "form" && tag.get("data-call") == Some(call_id) {
                in_form = true;
                continue;
            }
            if !in_form {
                continue;
            }
        }
        if let Some(q) = tag.get("data-question") {
            question = Some(q.to_string());
        }
        let (written, drop_content) = visit(&mut tag, question.as_deref());
        if written.is_empty() {
            continue;
        }
        out.push_str(&html[copied..lt]);
        out.push_str(&written);
        copied = end;
        if drop_content {
            let close = format!("</{}", tag.name);
            copied = html[end..]
                .to_ascii_lowercase()
                .find(&close)
                .map_or(end, |e| end + e);
            at = copied;
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// The call's page with its form filled in again (see [`Frame::form_again`]).
fn refill(
    html: &str,
    call: &Call,
    lang: &str,
    values: &[(String, Vec<Raw>)],
    problems: &[Problem],
    frame: &Frame<'_>,
) -> String {
    let mut ids = FormIds::default();
    each_tag(html, Some(&call.id), |tag, question| {
        let Some(q) = question else {
            return (String::new(), false);
        };
        if tag.has_class("field-error")
            && let Some(id) = tag.get("id")
        {
            ids.error.insert(q.to_string(), id.to_string());
        }
        if matches!(tag.name.as_str(), "input" | "textarea")
            && tag.get("name") == Some(q)
            && let Some(id) = tag.get("id")
        {
            ids.first_field
                .entry(q.to_string())
                .or_insert_with(|| id.to_string());
        }
        (String::new(), false)
    });

    let mistakes = |q: &str| -> Vec<String> {
        problems
            .iter()
            .filter(|p| p.question == q)
            .map(|p| frame.say(&p.msg))
            .collect()
    };
    let sent = |q: &str| -> Vec<&str> {
        values
            .iter()
            .filter(|(name, _)| name == q)
            .flat_map(|(_, vs)| vs)
            .flat_map(|v| match v {
                Raw::List(items) => items.iter().collect(),
                v => vec![v],
            })
            .filter_map(|v| match v {
                Raw::Str(s) => Some(s.as_str()),
                Raw::Int(_) | Raw::List(_) | Raw::Other => None,
            })
            .collect()
    };
    let mut summary_list = String::new();
    for p in problems {
        let message = frame.say(&p.msg);
        let text = call
            .question(&p.question)
            .and_then(|q| {
                (q.label.get(lang))
                    .or_else(|| q.label.get(&call.canonical_lang))
                    .or_else(|| q.label.values().next())
            })
            .map_or(message.clone(), |label| format!("{label} – {message}"));
        match ids.first_field.get(&p.question) {
            Some(id) => summary_list.push_str(&format!(
                "<li><a href=\"#{}\">{}</a></li>",
                escape(id),
                escape(&text)
            )),
            None => summary_list.push_str(&format!("<li>{}</li>", escape(&text))),
        }
    }

    let mut in_summary = false;
    each_tag(html, Some(&call.id), |tag, question| {
        if tag.get("data-error-summary").is_some() {
            tag.remove("hidden");
            in_summary = true;
            return (tag.to_html(), false);
        }
        if in_summary && tag.name == "ul" {
            in_summary = false;
            return (format!("{}{summary_list}", tag.to_html()), false);
        }
        let Some(q) = question else {
            return (String::new(), false);
        };
        let wrong = mistakes(q);
        let error_id = ids.error.get(q).filter(|_| !wrong.is_empty());
        if tag.get("data-question") == Some(q) && tag.name == "fieldset" {
            if let Some(id) = error_id {
                tag.describe_by(id);
                return (tag.to_html(), false);
            }
            return (String::new(), false);
        }
        if tag.has_class("field-error") {
            if wrong.is_empty() {
                return (String::new(), false);
            }
            tag.remove("hidden");
            return (
                format!("{}{}", tag.to_html(), escape(&wrong.join(" "))),
                true,
            );
        }
        if !matches!(tag.name.as_str(), "input" | "textarea") || tag.get("name") != Some(q) {
            return (String::new(), false);
        }
        let answers = sent(q);
        if !wrong.is_empty() {
            tag.set("aria-invalid", Some("true".into()));
        }
        match (tag.name.as_str(), tag.get("type").unwrap_or("text")) {
            ("input", "radio" | "checkbox") => {
                let chosen = tag.get("value").is_some_and(|v| answers.contains(&v));
                if chosen {
                    tag.set("checked", None);
                } else {
                    tag.remove("checked");
                }
                (tag.to_html(), false)
            }
            ("textarea", _) => {
                if let Some(id) = error_id {
                    tag.describe_by(id);
                }
                let text = answers.first().copied().unwrap_or("");
                // A parser drops one newline right after <textarea>: keep the resident's.
                let lead = if text.starts_with('\n') { "\n" } else { "" };
                (format!("{}{lead}{}", tag.to_html(), escape(text)), true)
            }
            _ => {
                if let Some(id) = error_id {
                    tag.describe_by(id);
                }
                match answers.first() {
                    Some(v) => tag.set("value", Some((*v).to_string())),
                    None => tag.remove("value"),
                }
                (tag.to_html(), false)
            }
        }
    })
}

#[cfg(test)]
mod tests;
