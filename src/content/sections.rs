//! Sections: one [`Section`] per folder, described by its `_index` files or the theme's defaults.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use indexmap::IndexMap;

use super::files::File;
use super::keys::check_keys;
use super::kinds::{check_slug, required_text};
use super::urls::is_slug;
use super::*;
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::i18n::I18n;
use crate::messages::Text;

pub(super) fn build_sections(
    config: &Config,
    mut files: BTreeMap<String, Vec<Arc<File>>>,
    items: &[Item],
    langs: &[String],
    i18n: &I18n,
    diags: &mut Diagnostics,
) -> Vec<Section> {
    let mut paths: Vec<String> = vec![
        String::new(),
        AREAS.into(),
        PROJECTS.into(),
        EVENTS.into(),
        CALLS.into(),
    ];
    paths.extend(files.keys().cloned());
    paths.extend(items.iter().map(|i| i.section.clone()));
    paths.sort();
    paths.dedup();
    let mut sections = Vec::new();
    for path in paths {
        let kind = Kind::of_section(&path);
        let group = files.remove(&path).unwrap_or_default();
        let folder = PathBuf::from("content").join(&path);
        if kind != Kind::Page && path.contains('/') {
            let text = Text::new("sections-no-sub-folders")
                .arg("kind", kind.as_str())
                .arg("folder", path.split('/').next().unwrap_or_default());
            diags.push(Diagnostic::error(&folder, "").says(text));
        }

        for f in &group {
            check_keys(f, kind, diags);
        }
        let mut versions = IndexMap::new();
        for lang in langs {
            let strings = i18n.strings(lang);
            let own = group.iter().find(|f| &f.lang == lang);
            let last = path.rsplit('/').next().unwrap_or(&path).to_string();
            let default_title = strings
                .get(&format!("section.{last}"), &[])
                .unwrap_or_else(|_| last.clone());
            let default_slug = strings
                .get(&format!("slug.{last}"), &[])
                .unwrap_or_else(|_| last.clone());
            let default_title = if path.is_empty() {
                config.title(lang)
            } else {
                default_title
            };
            let v = match own {
                Some(f) => SectionVersion {
                    lang: lang.clone(),
                    title: required_text(f, &f.fm.title, "title", diags),
                    summary: f
                        .fm
                        .summary
                        .as_ref()
                        .map(|s| s.get_ref().trim().to_string())
                        .unwrap_or_default(),
                    slug: check_slug(f, &f.fm.slug, diags).unwrap_or(default_slug),
                    url: String::new(),
                    html: String::new(),
                    text: String::new(),
                    written: true,
                    source: Some(f.source.clone()),
                    headings: Vec::new(),
                    body_offset: f.body_offset,
                },
                None => SectionVersion {
                    lang: lang.clone(),
                    title: default_title,
                    summary: String::new(),
                    slug: default_slug,
                    url: String::new(),
                    html: String::new(),
                    text: String::new(),
                    written: kind != Kind::Page || path.is_empty(),
                    source: None,
                    headings: Vec::new(),
                    body_offset: 0,
                },
            };
            versions.insert(lang.clone(), v);
        }
        if let Some(v) = versions
            .values()
            .find(|v| !path.is_empty() && !is_slug(&v.slug))
        {
            let text = Text::new("sections-bad-folder-name")
                .arg("name", &v.slug)
                .arg("suggestion", crate::markdown::slugify(&v.slug));
            diags.push(Diagnostic::error(&folder, "").says(text));
        }
        sections.push(Section {
            path,
            kind,
            versions,
        });
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::files::{messages, test_file};
    use crate::content::urls::assign_urls;

    /// The sections of a site in `nb` and `en` with these `_index` files, with their URLs.
    fn sections(files: &[(&str, &str)]) -> (Vec<Section>, Vec<String>) {
        let config = Config::default();
        let langs = config.language_codes();
        let i18n = I18n::load(std::path::Path::new("/nonexistent"), &langs).unwrap();
        let mut by_folder: BTreeMap<String, Vec<Arc<File>>> = BTreeMap::new();
        for (path, front) in files {
            let f = test_file(path, front);
            by_folder
                .entry(f.section.clone())
                .or_default()
                .push(Arc::new(f));
        }
        let mut diags = Diagnostics::default();
        let mut sections = build_sections(&config, by_folder, &[], &langs, &i18n, &mut diags);
        assign_urls(&config, &i18n, &mut sections, &mut [], &mut diags);
        (sections, messages(&diags))
    }

    fn urls(sections: &[Section], path: &str) -> Vec<String> {
        let s = sections.iter().find(|s| s.path == path).unwrap();
        s.versions.values().map(|v| v.url.clone()).collect()
    }

    #[test]
    fn the_typed_sections_exist_with_the_languages_own_slugs() {
        let (sections, errors) = sections(&[]);
        assert_eq!(errors, Vec::<String>::new());
        assert_eq!(urls(&sections, ""), ["/", "/en/"]);
        assert_eq!(
            urls(&sections, "projects"),
            ["/prosjekter/", "/en/projects/"]
        );
    }

    #[test]
    fn an_index_file_names_its_folder_in_its_language() {
        let (sections, errors) = sections(&[
            ("content/nyheter/_index.md", "title = \"Nyheter\"\n"),
            (
                "content/nyheter/_index.en.md",
                "title = \"News\"\nslug = \"news\"\n",
            ),
        ]);
        assert_eq!(errors, Vec::<String>::new());
        assert_eq!(urls(&sections, "nyheter"), ["/nyheter/", "/en/news/"]);
        let s = sections.iter().find(|s| s.path == "nyheter").unwrap();
        assert_eq!(s.versions["en"].title, "News");
        assert_eq!(s.versions["en"].markdown(), "Body\n");
    }

    #[test]
    fn a_folder_name_unusable_in_a_web_address_says_how_to_rename_it() {
        let (_, errors) = sections(&[("content/Møter/_index.md", "title = \"Møter\"\n")]);
        assert_eq!(
            errors,
            [
                "0: the folder name `Møter` cannot be used in a web address (rename the folder to `moter`, or give it an `_index.md` with a `slug`)"
            ]
        );
    }

    #[test]
    fn a_typed_section_has_no_sub_folders() {
        let (_, errors) = sections(&[("content/projects/gamle/_index.md", "title = \"Gamle\"\n")]);
        assert_eq!(
            errors,
            [
                "0: the projects folder cannot have sub-folders (move the files directly into content/projects/)"
            ]
        );
    }
}
