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
    // Each on a core of its own when one is free: the calendars (some 25 MB at 10,000 items
    // × 2) and the open data take the longest, and neither waits for the other.
    let ((feeds, calendars), (data, catalog)) = rayon::join(
        || rayon::join(|| feeds::all(inp), || calendar::all(inp)),
        || rayon::join(|| data::all(inp), || catalog::all(inp)),
    );
    let mut files = feeds?;
    files.extend(calendars);
    files.extend(data?);
    files.extend(catalog?);
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
