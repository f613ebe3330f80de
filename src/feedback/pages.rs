//! HTML pages the endpoint serves to residents without JavaScript: the thank-you page with
//! their receipt, the withdrawal confirmation, and what went wrong with a form post.
//!
//! The endpoint has no templates of its own. It takes the site's built thank-you page in the
//! resident's language as the frame, so the page looks like the site and carries its header and
//! footer: for a receipt it fills `<code data-receipt>`; for other messages it replaces what is
//! inside `<main>`. When the site has its own origin (`--origin`), a `<base href>` makes the
//! page's site-relative links and styles load from the site, not from the endpoint.

use super::calls::Site;
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

    /// The thank-you page with the receipt filled in.
    pub fn thanks(&self, receipt: &str, heading: &str) -> String {
        const MARK: &str = "<code data-receipt>";
        if let Some(html) = self.html
            && let Some(start) = html.find(MARK)
            && let Some(len) = html[start..].find("</code>")
        {
            let inner = start + MARK.len();
            let filled = format!(
                "{}{}{}",
                &html[..inner],
                escape(receipt),
                &html[start + len..]
            );
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls_json::sample;

    fn site_with(html: &str) -> Site {
        let mut site = Site::from_file(sample::file(vec![])).unwrap();
        site.thanks_pages.insert("nb".into(), html.into());
        site
    }

    const PAGE: &str = "<!doctype html><html lang=nb><head><meta charset=utf-8><title>Takk for innspillet! – Kommunen</title><link href=/style.css rel=stylesheet></head><body><main id=main tabindex=-1><h1>Takk</h1><code data-receipt>—</code></main><footer>f</footer></body></html>";

    #[test]
    fn the_receipt_is_filled_in_escaped() {
        let site = site_with(PAGE);
        let f = Frame::new(&site, "nb", None, None);
        let html = f.thanks("AB<CD", "Takk");
        assert!(html.contains("<code data-receipt>AB&lt;CD</code></main>"));
    }

    #[test]
    fn messages_replace_the_main_content_and_keep_the_site_around_them() {
        let site = site_with(PAGE);
        let f = Frame::new(&site, "en", Some("https://site.example"), Some("/takk/"));
        let html = f.page("Withdrawn", "<p>Gone.</p>");
        assert_eq!(
            html,
            "<!doctype html><html lang=nb><head><base href=\"https://site.example/takk/\"><meta charset=utf-8><title>Withdrawn – Kommunen</title><link href=/style.css rel=stylesheet></head><body><main id=main tabindex=-1><div class=\"wrap narrow\"><h1>Withdrawn</h1><p>Gone.</p></div></main><footer>f</footer></body></html>"
        );
    }

    #[test]
    fn without_a_built_page_a_plain_page_is_served() {
        let site = Site::from_file(sample::file(vec![])).unwrap();
        let f = Frame::new(&site, "en", None, None);
        let html = f.thanks("X", "Thanks");
        assert!(html.starts_with("<!doctype html><html lang=\"en\">"));
        assert!(
            html.contains("<h1>Thanks</h1><p class=\"receipt\"><code data-receipt>X</code></p>")
        );
    }
}
