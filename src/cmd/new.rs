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
use crate::messages::Text;
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
            "{}",
            Text::new("new-unknown-language")
                .arg("lang", &lang)
                .arg("langs", langs.join(", "))
                .say_here()
        );
    }
    let folder = folder(&args)?;
    let name = match &args.name {
        Some(n) => n.clone(),
        None => slugify(&args.title),
    };
    if name.is_empty() {
        bail!(
            "{}",
            Text::new("new-no-file-name")
                .arg("title", &args.title)
                .say_here()
        );
    }
    if slugify(&name) != name {
        bail!(
            "{}",
            Text::new("new-bad-file-name")
                .arg("name", &name)
                .arg("suggestion", slugify(&name))
                .say_here()
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
    let shown = path.display().to_string();
    create_new(&site.root.join(&path), &text).with_context(|| {
        Text::new("new-cannot-create")
            .arg("path", &shown)
            .say_here()
    })?;
    println!(
        "{}",
        Text::new("new-created").arg("path", &shown).say_here()
    );
    if item.is_none() && lang != config.default_language {
        let said = Text::new("new-only-in-language")
            .arg("lang", &lang)
            .arg("kind", template::kind_name(args.kind))
            .arg("title", &args.title)
            .say_here();
        println!("{said}");
    }
    let said = match preview_url(&site.root, &path) {
        Some(url) => Text::new("new-draft-preview").arg("url", url),
        None => Text::new("new-draft"),
    };
    println!("{}", said.say_here());
    Ok(())
}

/// Where `torget serve` (on its default port) shows the page of the file at `path`, once it
/// loads with drafts included.
fn preview_url(root: &Path, path: &Path) -> Option<String> {
    let (site, _) = site::load_all(root, true).ok()?;
    let version = (site.lib.items.iter())
        .flat_map(|i| i.versions.values())
        .find(|v| v.source.path == path)?;
    Some(format!(
        "http://127.0.0.1:{}{}",
        crate::cli::DEFAULT_SERVE_PORT,
        version.url
    ))
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
        (Some(_), Some(_)) => bail!("{}", Text::new("new-section-only-pages").say_here()),
        (Some(folder), None) => Ok(folder.to_string()),
        (None, None) => Ok(String::new()),
        (None, Some(section)) => {
            let section = section.trim_matches('/').to_string();
            let first = section.split('/').next().unwrap_or_default();
            if [AREAS, PROJECTS, EVENTS, CALLS].contains(&first) {
                bail!(
                    "{}",
                    Text::new("new-section-holds-no-pages")
                        .arg("folder", first)
                        .arg("kind", first.trim_end_matches('s'))
                        .say_here()
                );
            }
            if section
                .split('/')
                .any(|part| part.is_empty() || part == "." || part == ".." || slugify(part) != part)
            {
                bail!(
                    "{}",
                    Text::new("new-bad-section")
                        .arg("section", &section)
                        .say_here()
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
            "{}",
            Text::new("new-exists-with-mistakes")
                .arg(
                    "path",
                    found
                        .strip_prefix(root)
                        .unwrap_or(found)
                        .display()
                        .to_string()
                )
                .say_here()
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
        bail!("{}", Text::new("new-page-has-no-areas").say_here());
    }
    if let Some(unknown) = args.areas.iter().find(|a| !known_areas.contains(a)) {
        let said = if known_areas.is_empty() {
            Text::new("new-unknown-area-none")
        } else {
            Text::new("new-unknown-area").arg("areas", known_areas.join(", "))
        };
        bail!("{}", said.arg("area", unknown).say_here());
    }
    let mut areas = args.areas.clone();
    if args.kind == NewKind::Project && areas.is_empty() {
        // A project needs an area: start from the first, and the note lists the others.
        match known_areas.first() {
            Some(first) => areas.push(first.clone()),
            None => bail!("{}", Text::new("new-project-needs-an-area").say_here()),
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
            "{}",
            Text::new("new-translation-exists")
                .arg("path", path.display().to_string())
                .say_here()
        );
    }
    if !args.areas.is_empty() {
        bail!(
            "{}",
            Text::new("new-translation-takes-areas")
                .arg("path", primary.source.path.display().to_string())
                .say_here()
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
                anyhow::anyhow!("{}", Text::new("new-file-exists").say_here())
            }
            _ => e.into(),
        })?;
    file.write_all(text.as_bytes())?;
    Ok(())
}
