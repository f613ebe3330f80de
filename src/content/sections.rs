//! Sections: one [`Section`] per folder, described by its `_index` files or the theme's defaults.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use indexmap::IndexMap;

use super::files::*;
use super::keys::*;
use super::kinds::*;
use super::urls::*;
use super::*;
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::i18n::I18n;

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
            diags.push(
                Diagnostic::error(
                    &folder,
                    format!("the {}s folder cannot have sub-folders", kind.as_str()),
                )
                .help(format!(
                    "move the files directly into content/{}/",
                    path.split('/').next().unwrap_or_default()
                )),
            );
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
            diags.push(
                Diagnostic::error(
                    &folder,
                    format!(
                        "the folder name `{}` cannot be used in a web address",
                        v.slug
                    ),
                )
                .help(format!(
                    "rename the folder to `{}`, or give it an `_index.md` with a `slug`",
                    crate::markdown::slugify(&v.slug)
                )),
            );
        }
        sections.push(Section {
            path,
            kind,
            versions,
        });
    }
    sections
}
