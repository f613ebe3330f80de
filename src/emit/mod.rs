//! Everything a build writes besides HTML pages: feeds, calendars, sitemap, robots.txt, open
//! data with its catalogue, and the search index. Each emitter returns files (path under the
//! output folder, bytes).

pub mod calendar;
pub mod catalog;
pub mod data;
pub mod feeds;
pub mod search;
pub mod sitemap;

use crate::config::Config;
use crate::content::Library;
use crate::i18n::I18n;

/// A file to write: path relative to the output folder, and its bytes.
pub type OutFile = (String, Vec<u8>);

pub struct Inputs<'a> {
    pub config: &'a Config,
    pub i18n: &'a I18n,
    pub lib: &'a Library,
    pub now: &'a jiff::Timestamp,
}

/// All non-page files of the site except the search index, which `site` builds and times on
/// its own ([`search::all`]).
pub fn all(inp: &Inputs<'_>, page_urls: &[String]) -> anyhow::Result<Vec<OutFile>> {
    let mut files = Vec::new();
    files.extend(feeds::all(inp)?);
    files.extend(calendar::all(inp));
    files.extend(data::all(inp)?);
    files.extend(catalog::all(inp)?);
    files.push((
        "sitemap.xml".into(),
        sitemap::sitemap(inp, page_urls).into_bytes(),
    ));
    files.push((
        "robots.txt".into(),
        sitemap::robots(inp.config).into_bytes(),
    ));
    Ok(files)
}
