//! Addresses: every page's URL from section and item slugs per language, collisions between
//! them, and the URLs and file names of everything else the site has (feeds, calendars, the
//! 404 page, torget's own pages), with [`page_path`] from a URL to its file in the output folder
//! and [`page_url`] back. The pipeline and the preview all ask here.

use std::collections::HashMap;
use std::path::Path;

use super::*;
use crate::config::Config;
use crate::diag::{Diagnostics, Source};
use crate::i18n::I18n;
use crate::messages::{Lang, Text};

/// The file a folder URL is written as.
pub const INDEX: &str = "index.html";
/// The Atom feed beside a language's home page and every area's page.
pub const FEED: &str = "atom.xml";
/// The iCalendar file beside a language's home page and every area's page.
pub const CALENDAR: &str = "calendar.ics";
/// The page for addresses the site does not have, at each language's root.
pub const NOT_FOUND: &str = "404.html";

/// Pages torget adds besides content (`thanks`, `withdraw`, `search`, `open_data`, `results`),
/// at `slug.<which>` from the language's UI strings.
pub const SPECIAL_PAGES: &[&str] = &["thanks", "withdraw", "search", "open_data", "results"];

/// URL of one of [`SPECIAL_PAGES`] in `lang`.
pub fn special_url(config: &Config, i18n: &I18n, lang: &str, which: &str) -> String {
    let slug = i18n
        .strings(lang)
        .get(&format!("slug.{which}"), &[])
        .unwrap_or_else(|_| which.to_string());
    format!("{}{slug}/", lang_root(config, lang))
}

/// URL of a language's root: `/` for the default language, `/<code>/` for the others.
pub fn lang_root(config: &Config, lang: &str) -> String {
    if lang == config.default_language {
        "/".to_string()
    } else {
        format!("/{lang}/")
    }
}

/// The feed of the page at `url` (a language's root or an area): `/en/` → `/en/atom.xml`.
pub fn feed_url(url: &str) -> String {
    format!("{url}{FEED}")
}

/// The calendar of the page at `url` (a language's root or an area).
pub fn calendar_url(url: &str) -> String {
    format!("{url}{CALENDAR}")
}

/// The calendar file of the event whose page is at `url`, beside it and named after it
/// (`/arrangementer/folkemote-2031/folkemote-2031.ics`), so a downloaded file says what it is.
pub fn event_calendar_url(url: &str) -> String {
    let name = (url.trim_end_matches('/').rsplit('/').next())
        .filter(|n| !n.is_empty())
        .unwrap_or("event");
    format!("{url}{name}.ics")
}

/// URL of a language's 404 page; the default language's is `/404.html`, what hosts serve.
pub fn not_found_url(config: &Config, lang: &str) -> String {
    format!("{}{NOT_FOUND}", lang_root(config, lang))
}

/// The file, relative to the output folder, that serves `url`: `/x/` → `x/index.html`,
/// `/404.html` → `404.html`. [`page_url`] goes back.
pub fn page_path(url: &str) -> String {
    let path = url.trim_start_matches('/');
    if url.ends_with('/') {
        format!("{path}{INDEX}")
    } else {
        path.to_string()
    }
}

/// The URL of a page the output folder holds at `file`: `x/index.html` → `/x/`,
/// `404.html` → `/404.html`; `None` for files that are not pages.
pub fn page_url(file: &str) -> Option<String> {
    if let Some(dir) = file.strip_suffix(INDEX)
        && (dir.is_empty() || dir.ends_with('/'))
    {
        return Some(format!("/{dir}"));
    }
    file.ends_with(".html").then(|| format!("/{file}"))
}

pub(super) fn assign_urls(
    config: &Config,
    i18n: &I18n,
    sections: &mut [Section],
    items: &mut [Item],
    diags: &mut Diagnostics,
) {
    // Section URLs are built from their ancestors' slugs.
    let slugs: HashMap<(String, String), String> = sections
        .iter()
        .flat_map(|s| {
            s.versions
                .values()
                .map(move |v| ((s.path.clone(), v.lang.clone()), v.slug.clone()))
        })
        .collect();
    let section_url = |path: &str, lang: &str| -> String {
        let mut url = lang_root(config, lang);
        if path.is_empty() {
            return url;
        }
        let mut acc = String::new();
        for part in path.split('/') {
            acc = if acc.is_empty() {
                part.to_string()
            } else {
                format!("{acc}/{part}")
            };
            let slug = slugs
                .get(&(acc.clone(), lang.to_string()))
                .cloned()
                .unwrap_or_else(|| part.to_string());
            url.push_str(&slug);
            url.push('/');
        }
        url
    };
    for s in sections.iter_mut() {
        let path = s.path.clone();
        for v in s.versions.values_mut() {
            v.url = section_url(&path, &v.lang);
        }
    }
    // Every URL with what wants it; everything written at a clashing URL gets told.
    // What wants a URL, as each language names it.
    let each = |text: Text| Lang::ALL.map(|lang| text.say(lang));
    let file = |path: &Path| Lang::ALL.map(|_| path.display().to_string());
    let mut claims: HashMap<String, Vec<Claim>> = HashMap::new();
    for s in sections.iter() {
        for v in s.versions.values() {
            let label = match &v.source {
                Some(src) => file(&src.path),
                None if s.path.is_empty() => each(Text::new("urls-home-listing")),
                None => each(Text::new("urls-listing").arg("section", &s.path)),
            };
            claims
                .entry(v.url.clone())
                .or_default()
                .push((label, v.source.clone()));
        }
    }
    for lang in config.language_codes() {
        for which in SPECIAL_PAGES {
            let url = special_url(config, i18n, &lang, which);
            claims.entry(url).or_default().push((
                each(Text::new("urls-special-page").arg("page", *which)),
                None,
            ));
        }
    }
    for item in items.iter_mut() {
        for v in item.versions.values_mut() {
            v.url = format!("{}{}/", section_url(&item.section, &v.lang), v.slug);
            claims
                .entry(v.url.clone())
                .or_default()
                .push((file(&v.source.path), Some(v.source.clone())));
        }
    }
    let mut clashes: Vec<_> = claims.iter().filter(|(_, c)| c.len() > 1).collect();
    clashes.sort_by_key(|(url, _)| url.as_str());
    for (url, claimants) in clashes {
        for (label, source) in claimants {
            let Some(source) = source else { continue };
            let others: Vec<&[String; 2]> = claimants
                .iter()
                .filter(|(l, _)| l != label)
                .map(|(l, _)| l)
                .collect();
            let text = Text::new("urls-clash")
                .arg("url", url)
                .arg_each("others", |lang| {
                    let names: Vec<&str> =
                        others.iter().map(|o| o[lang as usize].as_str()).collect();
                    names.join(", ")
                });
            diags.push(source.error(0, "").says(text));
        }
    }
}

/// What wants a URL, named in each language (`Lang::ALL`'s order), with its file if it has one.
type Claim = ([String; 2], Option<Source>);

/// A URL segment: lowercase ASCII letters, digits and `-`.
pub(super) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_url_and_its_file_lead_to_each_other() {
        for (url, file) in [
            ("/", "index.html"),
            ("/en/", "en/index.html"),
            ("/prosjekter/hage/", "prosjekter/hage/index.html"),
            ("/404.html", "404.html"),
            ("/en/404.html", "en/404.html"),
        ] {
            assert_eq!(page_path(url), file);
            assert_eq!(page_url(file).as_deref(), Some(url), "{file}");
        }
    }

    #[test]
    fn files_that_are_not_pages_have_no_page_url() {
        assert_eq!(page_url("atom.xml"), None);
        assert_eq!(page_url("en/calendar.ics"), None);
        // A page whose name merely ends like the index file is a page of its own.
        assert_eq!(
            page_url("x/myindex.html").as_deref(),
            Some("/x/myindex.html")
        );
    }

    #[test]
    fn feeds_and_calendars_sit_beside_their_page() {
        assert_eq!(feed_url("/en/"), "/en/atom.xml");
        assert_eq!(
            page_path(&feed_url("/omrader/miljo/")),
            "omrader/miljo/atom.xml"
        );
        assert_eq!(calendar_url("/"), "/calendar.ics");
        assert_eq!(
            event_calendar_url("/arrangementer/dag/"),
            "/arrangementer/dag/dag.ics"
        );
    }

    #[test]
    fn slugs_are_lowercase_ascii_digits_and_dashes() {
        assert!(is_slug("bike-paths-2"));
        for bad in ["", "Bike", "sykkel vei", "blåbær", "a/b", "a_b"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }
}
