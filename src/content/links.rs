//! `@/` links and Markdown: [`LinkTargets`], and rendering bodies with their links resolved,
//! reusing a cached body while neither its file nor its links' targets changed.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use indexmap::IndexMap;
use rayon::prelude::*;

use super::files::Cache;
use super::*;
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::{self, Unresolved};
use crate::messages::Text;

/// A rendered body and the file text it was rendered from.
#[derive(Clone)]
pub(super) struct Body {
    pub(super) source: Arc<str>,
    pub(super) lang: String,
    pub(super) html: String,
    pub(super) text: String,
    pub(super) problems: Vec<Diagnostic>,
    pub(super) headings: Vec<crate::markdown::Heading>,
    /// Every `@/` link in the body with where it led; the body is stale once one leads
    /// elsewhere.
    pub(super) links: Vec<(String, Result<String, Unresolved>)>,
}

impl Body {
    pub(super) fn renders(&self, v: &Version) -> bool {
        self.lang == v.lang
            && (Arc::ptr_eq(&self.source, &v.source.text) || *self.source == *v.source.text)
    }
}

/// Every content path an `@/` link may name, with the URL of its page in each language.
#[derive(Debug, Clone, Default)]
pub struct LinkTargets {
    pub(super) langs: Vec<String>,
    /// Content path → language → URL, languages in the site's order.
    pub(super) paths: HashMap<String, IndexMap<String, String>>,
    /// Content paths of files that failed to load: a link to one is not a mistake of its own,
    /// the file's error says what to fix.
    pub(super) failed: HashSet<String>,
}

impl LinkTargets {
    pub fn new(items: &[Item], sections: &[Section], langs: &[String]) -> LinkTargets {
        let mut paths = HashMap::new();
        for item in items {
            let urls: IndexMap<String, String> = item
                .versions
                .iter()
                .map(|(l, v)| (l.clone(), v.url.clone()))
                .collect();
            // A folder item may be named by its folder: `@/projects/x.md` for `x/index.md`.
            if let Some(k) = item.key.strip_suffix("/index.md") {
                paths.insert(format!("{k}.md"), urls.clone());
            }
            paths.insert(item.key.clone(), urls);
        }
        for s in sections {
            let urls = s
                .versions
                .iter()
                .filter(|(_, v)| v.written)
                .map(|(l, v)| (l.clone(), v.url.clone()))
                .collect();
            let key = if s.path.is_empty() {
                "_index.md".to_string()
            } else {
                format!("{}/_index.md", s.path)
            };
            paths.insert(key, urls);
        }
        LinkTargets {
            langs: langs.to_vec(),
            paths,
            failed: HashSet::new(),
        }
    }

    /// The URL, `#anchor` kept, that `@/<target>` leads to from a page in `lang`: the page in
    /// that language, else the item's primary page. The error says what is wrong.
    pub fn resolve(&self, lang: &str, target: &str) -> Result<String, Unresolved> {
        let (path, anchor) = match target.split_once('#') {
            Some((p, a)) => (p, format!("#{a}")),
            None => (target, String::new()),
        };
        let path = path.trim_start_matches('/');
        // A link may name a translation file directly: `@/projects/x.en.md`.
        let (path, lang) = match path.strip_suffix(".md").and_then(|p| p.rsplit_once('.')) {
            Some((base, l)) if self.langs.iter().any(|x| x == l) => (format!("{base}.md"), l),
            _ => (path.to_string(), lang),
        };
        if self.failed.contains(&path) {
            return Err(None);
        }
        let urls = self
            .paths
            .get(&path)
            .ok_or_else(|| Some(Text::new("links-no-content-file").arg("path", &path)))?;
        // The first version is the primary one: versions are kept in the site's language order.
        match urls.get(lang).or_else(|| urls.values().next()) {
            Some(url) => Ok(format!("{url}{anchor}")),
            None => Err(Some(
                Text::new("links-no-published-page").arg("path", &path),
            )),
        }
    }
}

/// Renders a version's body, or takes it from `bodies` when neither the file nor any link in it
/// changed.
pub(super) fn render_body(
    v: &Version,
    links: &LinkTargets,
    bodies: &HashMap<PathBuf, Body>,
) -> Body {
    if let Some(body) = bodies.get(&v.source.path)
        && body.renders(v)
        && body
            .links
            .iter()
            .all(|(target, url)| links.resolve(&v.lang, target) == *url)
    {
        return body.clone();
    }
    let seen = std::cell::RefCell::new(Vec::new());
    let rendered = markdown::render(v.markdown(), &|t| {
        let url = links.resolve(&v.lang, t);
        seen.borrow_mut().push((t.to_string(), url.clone()));
        url
    });
    let problems = rendered
        .problems
        .into_iter()
        .map(|p| v.source.error(v.body_offset + p.offset, "").says(p.text))
        .collect();
    Body {
        source: v.source.text.clone(),
        lang: v.lang.clone(),
        html: rendered.html,
        text: rendered.text,
        problems,
        headings: rendered.headings,
        links: seen.into_inner(),
    }
}

pub(super) fn render_markdown(
    items: &mut [Item],
    sections: &mut [Section],
    langs: &[String],
    failed: &HashSet<String>,
    cache: &mut Cache,
    diags: &mut Diagnostics,
) -> LinkTargets {
    let mut links = LinkTargets::new(items, sections, langs);
    links.failed = failed.clone();
    let (bodies, once) = (&cache.bodies, cache.once);
    let results: Vec<Body> = items
        .par_iter_mut()
        .flat_map_iter(|item| item.versions.values_mut())
        .map(|v| {
            let mut body = render_body(v, &links, bodies);
            if once {
                // Nothing is kept: the version takes the body's parts.
                v.html = std::mem::take(&mut body.html);
                v.text = std::mem::take(&mut body.text);
                v.headings = std::mem::take(&mut body.headings);
            } else {
                v.html = body.html.clone();
                v.text = body.text.clone();
                v.headings = body.headings.clone();
            }
            body
        })
        .collect();
    let versions = items.iter().flat_map(|item| item.versions.values());
    let mut kept = HashMap::with_capacity(if once { 0 } else { results.len() });
    for (v, body) in versions.zip(results) {
        diags.extend(body.problems.iter().cloned());
        if !once {
            kept.insert(v.source.path.clone(), body);
        }
    }
    cache.bodies = kept;
    for v in items.iter_mut().flat_map(|i| i.versions.values_mut()) {
        render_outcome(v, &links, diags);
    }
    for s in sections.iter_mut() {
        for v in s.versions.values_mut() {
            if v.markdown().is_empty() {
                continue;
            }
            let rendered = markdown::render(v.markdown(), &|t| links.resolve(&v.lang, t));
            if let Some(source) = &v.source {
                for p in rendered.problems {
                    diags.push(source.error(v.body_offset + p.offset, "").says(p.text));
                }
            }
            v.html = rendered.html;
            v.text = rendered.text;
            v.headings = rendered.headings;
        }
    }
    links
}

/// Renders a call's outcome text in `v`'s language, its `@/` links resolved; problems are
/// reported on the file that has the text (a translation without one shows the primary file's,
/// which reports them itself).
pub(super) fn render_outcome(v: &mut Version, links: &LinkTargets, diags: &mut Diagnostics) {
    let Some(o) = &mut v.outcome else { return };
    let rendered = markdown::render(&o.markdown, &|t| links.resolve(&v.lang, t));
    if o.lang == v.lang {
        for p in rendered.problems {
            diags.push(v.source.error(o.offset, "").says(p.text));
        }
    }
    o.html = rendered.html;
    o.text = rendered.text;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `projects/hage.md` in both languages, `om.md` only in Norwegian.
    fn targets() -> LinkTargets {
        let urls = |pairs: &[(&str, &str)]| -> IndexMap<String, String> {
            pairs
                .iter()
                .map(|(l, u)| (l.to_string(), u.to_string()))
                .collect()
        };
        LinkTargets {
            langs: vec!["nb".into(), "en".into()],
            paths: HashMap::from([
                (
                    "projects/hage.md".to_string(),
                    urls(&[("nb", "/prosjekter/hage/"), ("en", "/en/projects/garden/")]),
                ),
                ("om.md".to_string(), urls(&[("nb", "/om/")])),
            ]),
            failed: HashSet::new(),
        }
    }

    #[test]
    fn a_link_leads_to_the_page_in_the_same_language_anchor_kept() {
        let t = targets();
        assert_eq!(
            t.resolve("en", "projects/hage.md#mal").as_deref(),
            Ok("/en/projects/garden/#mal")
        );
        assert_eq!(
            t.resolve("nb", "/projects/hage.md").as_deref(),
            Ok("/prosjekter/hage/")
        );
    }

    #[test]
    fn an_untranslated_page_is_linked_in_its_own_language() {
        assert_eq!(targets().resolve("en", "om.md").as_deref(), Ok("/om/"));
    }

    #[test]
    fn a_link_may_name_a_translation_file() {
        assert_eq!(
            targets().resolve("nb", "projects/hage.en.md").as_deref(),
            Ok("/en/projects/garden/")
        );
    }

    #[test]
    fn a_link_to_no_file_says_so() {
        assert_eq!(
            targets().resolve("nb", "projects/ny.md"),
            Err(Some(
                Text::new("links-no-content-file").arg("path", "projects/ny.md")
            ))
        );
    }
}
