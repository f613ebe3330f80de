//! URLs: every page's address from section and item slugs per language, and collisions between
//! them.

use std::collections::HashMap;

use super::*;
use crate::config::Config;
use crate::diag::{Diagnostics, Source};
use crate::i18n::I18n;

/// Pages torget adds besides content (`thanks`, `withdraw`, `search`), at `slug.<which>` from
/// the language's UI strings.
pub const SPECIAL_PAGES: &[&str] = &["thanks", "withdraw", "search"];

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
    let mut claims: HashMap<String, Vec<(String, Option<Source>)>> = HashMap::new();
    for s in sections.iter() {
        for v in s.versions.values() {
            let label = match &v.source {
                Some(src) => src.path.display().to_string(),
                None => format!(
                    "the {} listing",
                    if s.path.is_empty() { "home" } else { &s.path }
                ),
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
            claims
                .entry(url)
                .or_default()
                .push((format!("torget's {which} page"), None));
        }
    }
    for item in items.iter_mut() {
        for v in item.versions.values_mut() {
            v.url = format!("{}{}/", section_url(&item.section, &v.lang), v.slug);
            claims
                .entry(v.url.clone())
                .or_default()
                .push((v.source.path.display().to_string(), Some(v.source.clone())));
        }
    }
    let mut clashes: Vec<_> = claims.iter().filter(|(_, c)| c.len() > 1).collect();
    clashes.sort_by_key(|(url, _)| url.as_str());
    for (url, claimants) in clashes {
        for (label, source) in claimants {
            let Some(source) = source else { continue };
            let others: Vec<&str> = claimants
                .iter()
                .filter(|(l, _)| l != label)
                .map(|(l, _)| l.as_str())
                .collect();
            diags.push(
                source
                    .error(
                        0,
                        format!("the URL {url} is also used by {}", others.join(", ")),
                    )
                    .help("give this page another `slug`"),
            );
        }
    }
}

/// A URL segment: lowercase ASCII letters, digits and `-`.
pub(super) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
