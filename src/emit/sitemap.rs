//! `sitemap.xml` with `hreflang` alternates for every translated page, and `robots.txt`.

use std::collections::HashMap;
use std::fmt::Write;

use super::Inputs;
use crate::config::Config;

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Lists every indexable page URL; pages that are versions of one item carry each other as alternates.
pub fn sitemap(inp: &Inputs<'_>, page_urls: &[String]) -> String {
    let base = inp.config.base();
    // URL → the language versions of the same page.
    let mut groups: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
    let mut alternates: Vec<Vec<(&str, &str)>> = Vec::new();
    for item in &inp.lib.items {
        alternates.push(
            item.versions
                .iter()
                .map(|(l, v)| (l.as_str(), v.url.as_str()))
                .collect(),
        );
    }
    for s in &inp.lib.sections {
        alternates.push(
            s.versions
                .iter()
                .filter(|(_, v)| v.written)
                .map(|(l, v)| (l.as_str(), v.url.as_str()))
                .collect(),
        );
    }
    for group in &alternates {
        for (_, url) in group {
            groups.insert(url, group.clone());
        }
    }
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for url in page_urls {
        let _ = writeln!(
            out,
            "  <url>\n    <loc>{}</loc>",
            xml_escape(&format!("{base}{url}"))
        );
        if let Some(group) = groups.get(url.as_str()).filter(|g| g.len() > 1) {
            for (lang, alt) in group {
                let _ = writeln!(
                    out,
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{}\"/>",
                    xml_escape(&format!("{base}{alt}"))
                );
            }
            if let Some((_, first)) = group.first() {
                let _ = writeln!(
                    out,
                    "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>",
                    xml_escape(&format!("{base}{first}"))
                );
            }
        }
        out.push_str("  </url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

pub fn robots(config: &Config) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n",
        config.base()
    )
}
