//! Themes: the default theme is embedded in the binary so torget works anywhere; a theme folder
//! under `themes/` and a site's `templates/` and `static/` override it file by file.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::fsx;

/// The embedded default theme, `themes/default/` in torget's repository.
const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "macros.html",
        include_str!("../../themes/default/templates/macros.html"),
    ),
    (
        "call_results.html",
        include_str!("../../themes/default/templates/call_results.html"),
    ),
    (
        "results.html",
        include_str!("../../themes/default/templates/results.html"),
    ),
    (
        "home.html",
        include_str!("../../themes/default/templates/home.html"),
    ),
    (
        "page.html",
        include_str!("../../themes/default/templates/page.html"),
    ),
    (
        "section.html",
        include_str!("../../themes/default/templates/section.html"),
    ),
    (
        "areas.html",
        include_str!("../../themes/default/templates/areas.html"),
    ),
    (
        "area.html",
        include_str!("../../themes/default/templates/area.html"),
    ),
    (
        "projects.html",
        include_str!("../../themes/default/templates/projects.html"),
    ),
    (
        "project.html",
        include_str!("../../themes/default/templates/project.html"),
    ),
    (
        "events.html",
        include_str!("../../themes/default/templates/events.html"),
    ),
    (
        "event.html",
        include_str!("../../themes/default/templates/event.html"),
    ),
    (
        "calls.html",
        include_str!("../../themes/default/templates/calls.html"),
    ),
    (
        "call.html",
        include_str!("../../themes/default/templates/call.html"),
    ),
    (
        "thanks.html",
        include_str!("../../themes/default/templates/thanks.html"),
    ),
    (
        "withdraw.html",
        include_str!("../../themes/default/templates/withdraw.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "open_data.html",
        include_str!("../../themes/default/templates/open_data.html"),
    ),
];

const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "torget.js",
        include_bytes!("../../themes/default/static/torget.js"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
];

/// A theme's files, after overrides.
pub struct Theme {
    pub templates: BTreeMap<String, String>,
    /// Files served from the site root, e.g. `style.css`.
    pub assets: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The theme `name` for the site at `root`, with the site's own `templates/` on top.
    pub fn load(root: &Path, name: &str) -> Result<Theme> {
        let mut templates: BTreeMap<String, String> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let mut assets: BTreeMap<String, Vec<u8>> = DEFAULT_STATIC
            .iter()
            .map(|(n, b)| (n.to_string(), b.to_vec()))
            .collect();
        if name != "default" {
            let dir = root.join("themes").join(name);
            if !dir.is_dir() {
                bail!(
                    "site.toml: theme `{name}` not found: there is no folder {}; use `theme = \"default\"` or create it",
                    dir.display()
                );
            }
            overlay(&dir.join("templates"), &mut templates, fsx::read_to_string)?;
            overlay(&dir.join("static"), &mut assets, |p| {
                std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))
            })?;
        }
        overlay(&root.join("templates"), &mut templates, fsx::read_to_string)?;
        Ok(Theme { templates, assets })
    }
}

/// Puts every file under `dir` (if it exists) into `files`, named by its path under `dir`
/// with `/` separators, replacing the file of the same name: a theme's or site's override.
fn overlay<T>(
    dir: &Path,
    files: &mut BTreeMap<String, T>,
    read: impl Fn(&Path) -> Result<T>,
) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry?;
        if entry.file_type().is_file() {
            let name = entry
                .path()
                .strip_prefix(dir)?
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(name, read(entry.path())?);
        }
    }
    Ok(())
}
