//! Grouping a primary file and its translations into an [`Item`], and the checks across items
//! (images, areas and projects named).

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use indexmap::IndexMap;
use jiff::tz::TimeZone;

use super::files::File;
use super::keys::{check_keys, check_shared};
use super::kinds::{build_data, build_goals, check_slug, required_text, to_date};
use super::questions::build_questions;
use super::translations::{check_contact, check_goals_match, check_questions_match};
use super::urls::is_slug;
use super::*;
use crate::diag::Diagnostics;

/// The item of a primary file and its translations (`group`, primary first), with every
/// mistake in them reported; `None` when its shared data cannot be read.
pub(super) fn build_item(
    key: String,
    group: Vec<Arc<File>>,
    tz: &TimeZone,
    diags: &mut Diagnostics,
) -> Option<Item> {
    let primary = &group[0];
    let kind = Kind::of_section(&primary.section);
    for f in &group {
        check_keys(f, kind, diags);
    }
    if kind == Kind::Area && !primary.section.eq(AREAS) {
        diags.push(
            primary
                .err_top("areas cannot be nested in folders")
                .help("put the file directly in content/areas/"),
        );
    }
    let data = build_data(primary, kind, tz, diags);
    let primary_goals = build_goals(primary, diags);
    let primary_questions = build_questions(primary, diags);
    let mut versions = IndexMap::new();
    for f in &group {
        let title = required_text(f, &f.fm.title, "title", diags);
        let summary = required_text(f, &f.fm.summary, "summary", diags);
        let slug = match check_slug(f, &f.fm.slug, diags) {
            Some(slug) => slug,
            None if f.fm.slug.is_none() && !is_slug(&f.name) => {
                let suggestion = crate::markdown::slugify(&f.name);
                diags.push(
                    f.err_top(format!("the file name `{}` cannot be used in a web address", f.name))
                        .help(format!("rename the file to `{suggestion}.md`, or set `slug = \"{suggestion}\"` (lowercase a–z, digits and `-`)")),
                );
                f.name.clone()
            }
            None => f.name.clone(),
        };
        let is_primary = std::ptr::eq(f, primary);
        if !is_primary {
            check_shared(f, primary, diags);
            check_contact(f, primary, diags);
            check_outcome(f, primary, diags);
        }
        // Residents reading a translation would otherwise meet the other language's text.
        if !is_primary && f.fm.goals.is_none() && !primary_goals.is_empty() {
            diags.push(f.source.warning(
                0,
                format!(
                    "the goals are not translated: this page will show the {} goals",
                    primary.lang
                ),
            ));
        }
        if !is_primary && f.fm.questions.is_none() && !primary_questions.is_empty() {
            diags.push(f.source.warning(
                0,
                format!(
                    "the questions are not translated: this form will ask them in {}",
                    primary.lang
                ),
            ));
        }
        let goals = if is_primary || f.fm.goals.is_none() {
            primary_goals.clone()
        } else {
            let goals = build_goals(f, diags);
            check_goals_match(f, primary, &primary_goals, &goals, diags);
            goals
        };
        let questions = if is_primary || f.fm.questions.is_none() {
            primary_questions.clone()
        } else {
            let qs = build_questions(f, diags);
            check_questions_match(f, primary, &primary_questions, &qs, diags);
            qs
        };
        let image =
            f.fm.image
                .as_ref()
                .or(primary.fm.image.as_ref())
                .map(|s| s.get_ref().clone());
        let image_alt =
            f.fm.image_alt
                .as_ref()
                .map(|s| s.get_ref().trim().to_string())
                .filter(|s| !s.is_empty());
        if image.is_some() && image_alt.is_none() {
            let span = f.fm.image.as_ref().map(|s| s.span());
            diags.push(f.err(span, "`image` has no `image_alt`").help("describe the image for residents who cannot see it: `image_alt = \"…\"` (alt text is required by WCAG)"));
        }
        let date =
            f.fm.date
                .as_ref()
                .or(primary.fm.date.as_ref())
                .and_then(|d| to_date(f, "date", d, diags));
        let updated =
            f.fm.updated
                .as_ref()
                .and_then(|d| to_date(f, "updated", d, diags));
        versions.insert(
            f.lang.clone(),
            Version {
                lang: f.lang.clone(),
                source: f.source.clone(),
                title,
                summary,
                slug,
                url: String::new(),
                date,
                updated,
                image,
                image_alt,
                translation_of: f.fm.translation_of.as_ref().map(|s| s.get_ref().clone()),
                goals,
                questions,
                location: f
                    .fm
                    .location
                    .as_ref()
                    .or(primary.fm.location.as_ref())
                    .map(|l| l.get_ref().clone()),
                partners: f
                    .fm
                    .partners
                    .as_ref()
                    .or(primary.fm.partners.as_ref())
                    .map(|p| p.get_ref().clone())
                    .unwrap_or_default(),
                contact: contact(f, primary),
                html: String::new(),
                text: String::new(),
                headings: Vec::new(),
                body_offset: f.body_offset,
                outcome: outcome_text(f, primary),
            },
        );
    }
    Some(Item {
        key,
        name: primary.name.clone(),
        section: primary.section.clone(),
        data: data?,
        versions,
        assets: Vec::new(),
    })
}

pub(super) fn check_images(root: &Path, item: &Item, diags: &mut Diagnostics) {
    for v in item.versions.values() {
        let Some(image) = &v.image else { continue };
        let found = if let Some(abs) = image.strip_prefix('/') {
            root.join("static").join(abs).is_file()
        } else if image.starts_with("http://") || image.starts_with("https://") {
            true
        } else {
            item.assets.iter().any(|(_, rel)| rel == image)
        };
        if !found {
            diags.push(v.source.error(0, format!("image `{image}` does not exist"))
                .help("put the image beside the item's index.md (a folder item), or in static/ and write its path from the site root, e.g. `/bilder/x.jpg`"));
        }
    }
}

pub(super) fn check_references(items: &[Item], drafts: &HashSet<String>, diags: &mut Diagnostics) {
    check_references_to(items, items, drafts, diags);
}

/// Checks the areas and projects that `items` name against those in `all`.
pub(super) fn check_references_to(
    items: &[Item],
    all: &[Item],
    drafts: &HashSet<String>,
    diags: &mut Diagnostics,
) {
    let areas: Vec<&str> = all
        .iter()
        .filter(|i| i.kind() == Kind::Area)
        .map(|i| i.name.as_str())
        .collect();
    let projects: HashSet<&str> = all
        .iter()
        .filter(|i| i.kind() == Kind::Project)
        .map(|i| i.name.as_str())
        .collect();
    for item in items {
        let v = item.primary();
        let src = &v.source;
        let fm_text = &src.text;
        // Point at the key in the file: find `key` at a line start inside the front matter.
        let key_offset = |key: &str| -> usize {
            let mut pos = 0;
            for line in fm_text[..v.body_offset.min(fm_text.len())].split_inclusive('\n') {
                let t = line.trim_start();
                if t.starts_with(key) && t[key.len()..].trim_start().starts_with('=') {
                    return pos + (line.len() - t.len());
                }
                pos += line.len();
            }
            0
        };
        for area in item.data.areas() {
            if !areas.contains(&area.as_str()) {
                diags.push(
                    src.error(
                        key_offset("areas"),
                        format!("unknown area `{area}` in `areas`"),
                    )
                    .help(format!("known areas: {}", areas.join(", "))),
                );
            }
        }
        let project = match &item.data {
            Data::Event(e) => e.project.as_ref(),
            Data::Call(c) => c.project.as_ref(),
            _ => None,
        };
        let named = project
            .map(|p| (p, "project"))
            .into_iter()
            .chain(item.data.outcome_projects().iter().map(|p| (p, "outcome")));
        for (p, key) in named {
            if projects.contains(p.as_str()) {
                continue;
            }
            let draft = drafts.contains(&format!("{PROJECTS}/{p}.md"))
                || drafts.contains(&format!("{PROJECTS}/{p}/index.md"));
            let help = if draft {
                "that project is a draft; publish it or remove `project`".to_string()
            } else {
                format!(
                    "{} a file in content/projects/ without `.md`; known: {}",
                    if key == "project" {
                        "`project` names"
                    } else {
                        "each of `projects` names"
                    },
                    {
                        let mut p: Vec<_> = projects.iter().copied().collect();
                        p.sort();
                        p.join(", ")
                    }
                )
            };
            let (offset, what) = match key {
                "project" => (key_offset("project"), "`project`"),
                _ => (
                    fm_text[..v.body_offset.min(fm_text.len())]
                        .find("[outcome]")
                        .unwrap_or(0),
                    "`[outcome]`'s `projects`",
                ),
            };
            diags.push(
                src.error(offset, format!("unknown project `{p}` in {what}"))
                    .help(help),
            );
        }
    }
}

/// A call's outcome text in `f`'s language: its own, else the primary file's.
fn outcome_text(f: &File, primary: &File) -> Option<OutcomeText> {
    let (from, text) = [f, primary].into_iter().find_map(|file| {
        let text = file.fm.outcome.as_ref()?.get_ref().text.as_ref()?;
        Some((file, text))
    })?;
    // The text may come from the primary file; its offset only means something in its own.
    let offset = if std::ptr::eq(from, f) {
        f.front_offset + text.span().start
    } else {
        0
    };
    Some(OutcomeText {
        lang: from.lang.clone(),
        markdown: text.get_ref().trim().to_string(),
        offset,
        html: String::new(),
        text: String::new(),
    })
}

/// A translation's `[outcome]` translates the primary file's: it cannot have one of its own.
fn check_outcome(t: &File, primary: &File, diags: &mut Diagnostics) {
    if let Some(o) = &t.fm.outcome
        && primary.fm.outcome.is_none()
    {
        diags.push(
            t.err(Some(o.span()), format!(
                "`[outcome]` is translated, but the {} version ({}) has none",
                primary.lang,
                primary.source.path.display()
            ))
            .help("its date and projects are shared: add `[outcome]` to that file first, or remove it here"),
        );
    }
}

/// A project's contact in `f`'s language: its own name, else the primary file's, with the
/// primary file's e-mail address.
fn contact(f: &File, primary: &File) -> Option<Contact> {
    let shared = primary.fm.contact.as_ref()?.get_ref();
    let name =
        f.fm.contact
            .as_ref()
            .unwrap_or(primary.fm.contact.as_ref()?);
    Some(Contact {
        name: name.get_ref().name.clone(),
        email: shared.email.clone()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::files::{messages, test_file};

    const HAGE: &str = "title = \"Hage\"\nsummary = \"x\"\nareas = [\"byutvikling\"]\n\
                        status = \"active\"\nstart = 2019-08-01\npartners = [\"Trondheim kommune\"]\n";

    fn item(nb: &str, en: &str) -> (Option<Item>, Vec<String>) {
        let group = vec![
            Arc::new(test_file("content/projects/hage.md", nb)),
            Arc::new(test_file("content/projects/hage.en.md", en)),
        ];
        let mut diags = Diagnostics::default();
        let item = build_item("projects/hage.md".into(), group, &TimeZone::UTC, &mut diags);
        (item, messages(&diags))
    }

    #[test]
    fn a_translation_inherits_or_translates_partners_and_the_contact_name() {
        let nb = format!(
            "{HAGE}contact = {{ name = \"Prosjektleder\", email = \"hage@example.no\" }}\n"
        );
        let (item, errors) = item(
            &nb,
            "title = \"Garden\"\nsummary = \"x\"\ncontact = { name = \"Project lead\" }\n",
        );
        assert_eq!(errors, Vec::<String>::new());
        let item = item.unwrap();
        let en = item.version("en").unwrap();
        assert_eq!(en.partners, ["Trondheim kommune"]);
        let contact = en.contact.as_ref().unwrap();
        assert_eq!(
            (contact.name.as_str(), contact.email.as_str()),
            ("Project lead", "hage@example.no")
        );
        assert_eq!(
            item.primary().contact.as_ref().unwrap().name,
            "Prosjektleder"
        );
    }

    #[test]
    fn a_translated_contact_needs_one_in_the_primary_file() {
        let (_, errors) = item(
            HAGE,
            "title = \"Garden\"\nsummary = \"x\"\ncontact = { name = \"Project lead\" }\n",
        );
        assert_eq!(
            errors,
            [
                "4: `contact` is translated, but the nb version (content/projects/hage.md) has none (the contact's e-mail address is shared: add `contact = { name = \"…\", email = \"…\" }` to that file, or remove it here)"
            ]
        );
    }
}
