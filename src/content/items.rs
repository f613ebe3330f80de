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
use crate::messages::Text;

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
        diags.push(primary.err_top("").says(Text::new("items-area-nested")));
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
                    f.err_top("").says(
                        Text::new("items-bad-file-name")
                            .arg("name", &f.name)
                            .arg("suggestion", suggestion),
                    ),
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
            let text = Text::new("items-goals-not-translated").arg("lang", &primary.lang);
            diags.push(f.source.warning(0, "").says(text));
        }
        if !is_primary && f.fm.questions.is_none() && !primary_questions.is_empty() {
            let text = Text::new("items-questions-not-translated").arg("lang", &primary.lang);
            diags.push(f.source.warning(0, "").says(text));
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
            diags.push(f.err(span, "").says(Text::new("items-image-no-alt")));
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
                draft: f.fm.draft.as_ref().is_some_and(|d| *d.get_ref()),
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
            let text = Text::new("items-image-missing").arg("image", image);
            diags.push(v.source.error(0, "").says(text));
        }
    }
}

/// Items that files may name but the library does not hold, by content path
/// (`projects/hage.md`): drafts left out, and files that failed to load. A reference to a
/// failed one is not reported: the file's own error says what to fix, and once it is fixed the
/// reference works.
#[derive(Debug, Default)]
pub(super) struct Absent {
    pub(super) drafts: HashSet<String>,
    pub(super) failed: HashSet<String>,
}

impl Absent {
    fn named(set: &HashSet<String>, section: &str, name: &str) -> bool {
        set.contains(&format!("{section}/{name}.md"))
            || set.contains(&format!("{section}/{name}/index.md"))
    }
}

pub(super) fn check_references(items: &[Item], absent: &Absent, diags: &mut Diagnostics) {
    check_references_to(items, items, absent, diags);
}

/// Checks the areas and projects that `items` name against those in `all`.
pub(super) fn check_references_to(
    items: &[Item],
    all: &[Item],
    absent: &Absent,
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
            if !areas.contains(&area.as_str()) && !Absent::named(&absent.failed, AREAS, area) {
                let text = Text::new("items-unknown-area")
                    .arg("area", area)
                    .arg("areas", areas.join(", "));
                diags.push(src.error(key_offset("areas"), "").says(text));
            }
        }
        let project = match &item.data {
            Data::Event(e) => e.project.as_ref(),
            Data::Call(c) => c.project.as_ref(),
            _ => None,
        };
        let named = project
            .map(|p| (p, false))
            .into_iter()
            .chain(item.data.outcome_projects().iter().map(|p| (p, true)));
        for (p, in_outcome) in named {
            if projects.contains(p.as_str()) || Absent::named(&absent.failed, PROJECTS, p) {
                continue;
            }
            let id = match (in_outcome, Absent::named(&absent.drafts, PROJECTS, p)) {
                (false, true) => "items-unknown-project-draft",
                (false, false) => "items-unknown-project",
                (true, true) => "items-unknown-outcome-project-draft",
                (true, false) => "items-unknown-outcome-project",
            };
            let mut known: Vec<_> = projects.iter().copied().collect();
            known.sort();
            let text = Text::new(id)
                .arg("projects", known.join(", "))
                .arg("project", p);
            let offset = if in_outcome {
                fm_text[..v.body_offset.min(fm_text.len())]
                    .find("[outcome]")
                    .unwrap_or(0)
            } else {
                key_offset("project")
            };
            diags.push(src.error(offset, "").says(text));
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
