//! What each page is made from, as one digest: a build whose output remembers the
//! digests leaves a page whose digest did not change where it is, without rendering it again
//! (see `site::write_pages`). The rule is the live preview's ([`Pages::shown`] and
//! [`Pages::showing`]), kept between processes as digests rather than the previous library.
//!
//! An item's page shows the item (its files, rendered bodies, data, and its state at the
//! build's time, which its card holds), its section's URLs (where the language switcher
//! leads from a language the item lacks), the cards of the items whose [`Pages::showing`] names
//! it (an area's items, a project's events and calls, an event's project …), and what every
//! page has: the theme, the settings, the UI strings, the menus, the areas (named on cards
//! everywhere) and the pages in a menu. Listings, the home page and the results pages show
//! cards and sections only: they are made from every item's card and the sections, and so
//! kept after an edit no card shows (a body, most often). The other pages torget adds are few
//! and small, and always rendered.

use std::collections::HashMap;
use std::fmt::{self, Debug, Write as _};

use rayon::prelude::*;
use sha2::{Digest as _, Sha256};

use super::{PageRef, Pages, Source};
use crate::cache;
use crate::content::Item;
use crate::output::Digest;

/// The digests of what a site's pages are made from.
pub struct MadeFrom {
    /// Of what every page is made from.
    everywhere: cache::Key,
    /// Of what the pages of each item (by key) are made from, besides `everywhere`.
    items: HashMap<String, cache::Key>,
    /// Of what listings and the results pages are made from, besides `everywhere`: every
    /// item's card and what places it (its [`Pages::shown`]), and the sections.
    listings: cache::Key,
}

impl MadeFrom {
    /// What `page` is made from; none for the pages rendered every time (the thank-you,
    /// withdraw, search, open-data and 404 pages).
    pub fn of(&self, page: &PageRef<'_>) -> Option<Digest> {
        let of_page = match page.source {
            Source::Item(item) => self.items.get(&item.key)?,
            Source::Section(_) | Source::Results => &self.listings,
            _ => return None,
        };
        let key = cache::key(&[
            &self.everywhere,
            of_page,
            page.lang.as_bytes(),
            page.url.as_bytes(),
        ]);
        Some(key[..16].try_into().expect("16 of 32 bytes"))
    }
}

impl Pages<'_> {
    /// What the site's pages are made from. `rendering` is a digest of how pages are
    /// rendered: the templates, and whether pages are minified.
    pub fn made_from(&self, rendering: &cache::Key) -> MadeFrom {
        let lib = self.inp.lib;
        let shown: Vec<cache::Key> = lib
            .items
            .par_iter()
            .map(|i| debug_digest(&self.shown(i)))
            .collect();
        let showing: Vec<_> = lib.items.par_iter().map(|i| self.showing(i)).collect();
        // The items each item's pages show (by index), and what every page shows.
        let mut shows: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut everywhere = cache::KeyHasher::default();
        for (at, s) in showing.iter().enumerate() {
            if s.everywhere.is_some() {
                everywhere.part(lib.items[at].key.as_bytes());
                everywhere.part(&shown[at]);
            }
            for key in &s.items {
                shows.entry(key.as_str()).or_default().push(at);
            }
        }
        everywhere.part(&cache::salt("pages"));
        everywhere.part(rendering);
        let mut chrome: Vec<_> = self.chrome.iter().collect();
        chrome.sort_by_key(|(lang, _)| *lang);
        let parts: [&dyn Debug; 3] = [&self.inp.config, &self.inp.i18n, &chrome];
        for part in parts {
            everywhere.part(&debug_digest(part));
        }
        let mut listings = cache::KeyHasher::default();
        listings.part(&debug_digest(&lib.sections));
        for (item, shown) in lib.items.iter().zip(&shown) {
            listings.part(item.key.as_bytes());
            listings.part(shown);
        }
        let items = (lib.items.par_iter().enumerate())
            .map(|(at, item)| {
                let mut h = cache::KeyHasher::default();
                h.part(&own(item));
                h.part(&shown[at]);
                // Its section's page in each language: where the language switcher leads
                // from a language the item is not written in.
                if let Some(section) = lib.section(&item.section) {
                    for (lang, v) in &section.versions {
                        h.part(&debug_digest(&(lang, &v.url, v.written)));
                    }
                }
                let mut others = shows.get(item.key.as_str()).cloned().unwrap_or_default();
                others.sort_by_key(|&o| &lib.items[o].key);
                for o in others {
                    h.part(lib.items[o].key.as_bytes());
                    h.part(&shown[o]);
                }
                (item.key.clone(), h.finish())
            })
            .collect();
        MadeFrom {
            everywhere: everywhere.finish(),
            items,
            listings: listings.finish(),
        }
    }
}

/// A digest of an item itself, in every language: its files as written, what loading made of
/// them that depends on more than the file (bodies with their links resolved, URLs, a call's
/// results), and its data. Everything else in a version follows from its file and the
/// settings.
fn own(item: &Item) -> cache::Key {
    let mut h = cache::KeyHasher::default();
    h.part(item.key.as_bytes());
    h.part(item.section.as_bytes());
    h.part(&debug_digest(&(&item.data, &item.assets)));
    for v in item.versions.values() {
        h.part(v.lang.as_bytes());
        h.part(v.url.as_bytes());
        h.part(v.source.text.as_bytes());
        h.part(v.html.as_bytes());
        h.part(&debug_digest(&v.outcome));
    }
    h.finish()
}

/// A SHA-256 of a value's `Debug` form, written straight into the hash.
fn debug_digest(value: &(impl Debug + ?Sized)) -> cache::Key {
    let mut h = Hashing(Sha256::new());
    write!(h, "{value:?}").expect("hashing cannot fail");
    h.0.finalize().into()
}

/// A hasher that `write!` writes into.
struct Hashing(Sha256);

impl fmt::Write for Hashing {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}
