//! `torget new`: write a new content file with the front matter its kind needs, named after its
//! title, or start the translation of an existing item. Never overwrites a file.

mod template;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::check::translations::translation_file;
use crate::cli::{NewArgs, NewKind};
use crate::content::{AREAS, CALLS, EVENTS, Item, Kind, PROJECTS};
use crate::markdown::slugify;
use crate::site::{self, Site};

pub fn run(args: NewArgs) -> Result<()> {
    // Drafts count: a draft item can be translated, and its name is taken.
    let (site, _) = site::load_all(&args.root, true)?;
    let config = &site.config;
    let lang = args
        .lang
        .clone()
        .unwrap_or_else(|| config.default_language.clone());
    let langs = config.language_codes();
    if !langs.contains(&lang) {
        bail!(
            "`{lang}` is not a language of this site (it has {}); add `[languages.{lang}]` to site.toml first",
            langs.join(", ")
        );
    }
    let folder = folder(&args)?;
    let name = match &args.name {
        Some(n) => n.clone(),
        None => slugify(&args.title),
    };
    if name.is_empty() {
        bail!(
            "cannot make a file name from the title {:?}; give one with `--name`",
            args.title
        );
    }
    if slugify(&name) != name {
        bail!(
            "`{name}` cannot be a file name: it is also the page's address; use `--name {}`",
            slugify(&name)
        );
    }
    let prefix = if folder.is_empty() {
        String::new()
    } else {
        format!("{folder}/")
    };
    let item = site.lib.items.iter().find(|i| {
        i.key == format!("{prefix}{name}.md") || i.key == format!("{prefix}{name}/index.md")
    });
    let (path, text) = match item {
        Some(item) => translation(&site, item, &args, &lang)?,
        None => {
            refuse_if_unloaded(&site.root, &folder, &name, &langs)?;
            let file = if lang == config.default_language {
                format!("{name}.md")
            } else {
                format!("{name}.{lang}.md")
            };
            let path = Path::new("content").join(&folder).join(file);
            (path, new_item(&site, &args, folder.is_empty())?)
        }
    };
    create_new(&site.root.join(&path), &text)
        .with_context(|| format!("cannot create {}", path.display()))?;
    println!("created {}", path.display());
    if item.is_none() && lang != config.default_language {
        println!(
            "  It is a new item in `{lang}` only. To translate an existing one instead, name it: \
             `torget new {} \"{}\" --lang {lang} --name <its file name>`.",
            template::kind_name(args.kind),
            args.title
        );
    }
    println!(
        "  It is a draft: see it with `torget build --drafts`, check it with `torget check --drafts`,\n  \
         and delete the line `draft = true` to publish it."
    );
    Ok(())
}

/// The folder under content/ the new file goes in.
fn folder(args: &NewArgs) -> Result<String> {
    let typed = match args.kind {
        NewKind::Project => Some(PROJECTS),
        NewKind::Event => Some(EVENTS),
        NewKind::Call => Some(CALLS),
        NewKind::Page => None,
    };
    match (typed, &args.section) {
        (Some(_), Some(_)) => bail!("`--section` is only for pages"),
        (Some(folder), None) => Ok(folder.to_string()),
        (None, None) => Ok(String::new()),
        (None, Some(section)) => {
            let section = section.trim_matches('/').to_string();
            let first = section.split('/').next().unwrap_or_default();
            if [AREAS, PROJECTS, EVENTS, CALLS].contains(&first) {
                bail!(
                    "content/{first}/ holds no pages; use `torget new {}`",
                    first.trim_end_matches('s')
                );
            }
            if section
                .split('/')
                .any(|part| part.is_empty() || part == "." || part == ".." || slugify(part) != part)
            {
                bail!(
                    "`{section}` is not a folder name under content/ (lowercase a–z, digits and -, separated by /)"
                );
            }
            Ok(section)
        }
    }
}

/// A file for `name` that exists but did not load has errors; a new file beside it would
/// silently become its translation or clash with it.
fn refuse_if_unloaded(root: &Path, folder: &str, name: &str, langs: &[String]) -> Result<()> {
    let dir = root.join("content").join(folder);
    let mut candidates = vec![
        dir.join(format!("{name}.md")),
        dir.join(name).join("index.md"),
    ];
    for l in langs {
        candidates.push(dir.join(format!("{name}.{l}.md")));
        candidates.push(dir.join(name).join(format!("index.{l}.md")));
    }
    if let Some(found) = candidates.iter().find(|p| p.is_file()) {
        bail!(
            "{} exists but could not be read; run `torget check --drafts` and fix it first",
            found.strip_prefix(root).unwrap_or(found).display()
        );
    }
    Ok(())
}

fn new_item(site: &Site, args: &NewArgs, top_level: bool) -> Result<String> {
    let known_areas: Vec<String> = site.lib.areas().iter().map(|a| a.name.clone()).collect();
    let known_projects: Vec<String> = site
        .lib
        .of_kind(Kind::Project)
        .map(|p| p.name.clone())
        .collect();
    if args.kind == NewKind::Page && !args.areas.is_empty() {
        bail!("pages have no areas; `--area` is for projects, events and calls");
    }
    if let Some(unknown) = args.areas.iter().find(|a| !known_areas.contains(a)) {
        bail!(
            "unknown area `{unknown}`; the areas are {}",
            if known_areas.is_empty() {
                "none yet".to_string()
            } else {
                known_areas.join(", ")
            }
        );
    }
    let mut areas = args.areas.clone();
    if args.kind == NewKind::Project && areas.is_empty() {
        // A project needs an area: start from the first, and the note lists the others.
        match known_areas.first() {
            Some(first) => areas.push(first.clone()),
            None => bail!(
                "a project needs an area, and the site has none yet: write one in content/areas/ first (see docs/content.md)"
            ),
        }
    }
    let tz = jiff::tz::TimeZone::get(&site.config.timezone).unwrap_or(jiff::tz::TimeZone::UTC);
    let today = jiff::Timestamp::now().to_zoned_datetime(tz).date();
    Ok(template::new_item(&template::NewItem {
        kind: args.kind,
        title: &args.title,
        areas: &areas,
        known_areas: &known_areas,
        known_projects: &known_projects,
        top_level,
        today,
        timezone: &site.config.timezone,
    }))
}

fn translation(site: &Site, item: &Item, args: &NewArgs, lang: &str) -> Result<(PathBuf, String)> {
    let primary = item.primary();
    let path = translation_file(
        &primary.source.path,
        &primary.lang,
        lang,
        &site.config.default_language,
    );
    if item.version(lang).is_some() || site.root.join(&path).exists() {
        bail!(
            "{} already exists; torget new never overwrites a file",
            path.display()
        );
    }
    if !args.areas.is_empty() {
        bail!(
            "a translation takes its areas from {}; leave out `--area`",
            primary.source.path.display()
        );
    }
    Ok((path, template::translation(item, lang, &args.title)))
}

/// Writes a file that must not exist yet.
fn create_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        crate::fsx::create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                anyhow::anyhow!("the file already exists; torget new never overwrites a file")
            }
            _ => e.into(),
        })?;
    file.write_all(text.as_bytes())?;
    Ok(())
}
