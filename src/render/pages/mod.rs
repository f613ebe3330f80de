//! The list of pages a site has, each with its template and context: items in every language
//! they exist in, home pages, listings, area pages and the endpoint's companion pages.
//!
//! Contexts are serialized from view structs that borrow from the library: what every page has
//! is here, an item's page in `items`, listings in `listings`. `showing` says which pages
//! show an item besides its own, and what they show of it, for the live preview.

use std::collections::HashMap;

use serde::Serialize;
use tera::Context;

mod items;
mod listings;
mod made_from;
mod results;
mod search;
mod showing;

use super::views::{Ctx, Link};
use crate::config::Config;
use crate::content::{Data, Item, Kind, Library, Section, lang_root, urls};
use crate::i18n::I18n;
pub use made_from::MadeFrom;
pub use showing::{Showing, Shown};

/// One HTML page to write.
pub struct Page {
    /// URL path, ending in `/` (written as `index.html`) or a file name.
    pub url: String,
    pub template: &'static str,
    pub context: Context,
    /// Kept out of search engines and the sitemap (404, thank-you, withdraw and search pages).
    pub noindex: bool,
}

/// A language in the switcher and in `hreflang` links.
#[derive(Debug, Clone, Serialize)]
pub struct LangLink {
    pub lang: String,
    pub name: String,
    pub url: String,
    pub abs_url: String,
    /// False when the page has no version in that language and the link leads to a fallback.
    pub translated: bool,
    pub current: bool,
    /// Said in that language when not translated, e.g. "This page is not available in English".
    pub note: String,
}

/// What every page of a language shares: site name, menus, asset URLs.
#[derive(Debug, Clone, Serialize)]
pub struct Chrome {
    pub site_title: String,
    pub site_description: String,
    pub base_url: String,
    pub home_url: String,
    pub nav: Vec<Link>,
    pub footer: Vec<Link>,
    pub css_url: String,
    pub js_url: String,
    pub feed_url: String,
    pub calendar_url: String,
    /// The events calendar as a `webcal://` address: calendar apps subscribe to it.
    pub webcal_url: String,
    pub endpoint: String,
    pub thanks_url: String,
    pub withdraw_url: String,
    /// Where the search field in the header sends its query (`?q=`).
    pub search_url: String,
    /// The results page (calls with outcomes), linked from the footer.
    pub results_url: String,
    /// The open-data page, linked from the footer; none without `[open_data]`.
    pub open_data_url: Option<String>,
    /// `[brand] primary` as CSS custom properties for a `<style>` in the head; empty for the
    /// theme's own colours.
    pub brand_css: String,
    /// `[brand.logo.<lang>]`: shown in the header in place of the site's name and mark.
    pub logo: Option<Logo>,
}

/// A logo image's site URL and what it says.
#[derive(Debug, Clone, Serialize)]
pub struct Logo {
    pub url: String,
    pub alt: String,
}

pub struct Inputs<'a> {
    pub config: &'a Config,
    pub i18n: &'a I18n,
    pub lib: &'a Library,
    pub now: &'a jiff::Timestamp,
    pub css_url: String,
    pub js_url: String,
    /// The search page's script; no other page loads it.
    pub search_js_url: String,
}

/// The folder under the output folder that holds the search index and pagefind's runtime.
pub const SEARCH_BUNDLE_DIR: &str = "pagefind";

/// The content types the search page filters by, in its order; the index uses the same names.
pub const SEARCH_TYPES: &[Kind] = &[
    Kind::Project,
    Kind::Event,
    Kind::Call,
    Kind::Area,
    Kind::Page,
];

/// URLs of pages torget adds besides content, per language.
pub use crate::content::special_url;

/// An absolute http(s) address as `webcal://`, which calendar apps open as a subscription.
pub(super) fn webcal(abs_url: &str) -> String {
    let rest = abs_url
        .strip_prefix("https://")
        .or_else(|| abs_url.strip_prefix("http://"))
        .unwrap_or(abs_url);
    format!("webcal://{rest}")
}

fn chrome(inp: &Inputs<'_>, lang: &str) -> Chrome {
    let c = inp.config;
    let lc = &c.languages[lang];
    let section_link = |path: &str| {
        inp.lib
            .section(path)
            .and_then(|s| s.versions.get(lang))
            .map(|v| Link {
                title: v.title.clone(),
                url: v.url.clone(),
                current: false,
            })
    };
    let mut nav: Vec<Link> = ["calls", "projects", "events", "areas"]
        .iter()
        .filter_map(|p| section_link(p))
        .collect();
    let mut footer = Vec::new();
    let mut pages: Vec<&Item> = inp
        .lib
        .of_kind(Kind::Page)
        .filter(|i| i.section.is_empty())
        .collect();
    pages.sort_by_key(|i| match i.data {
        Data::Page { order, .. } => (order, i.name.clone()),
        _ => (0, i.name.clone()),
    });
    for item in pages {
        let Data::Page { menu, .. } = &item.data else {
            continue;
        };
        let Some(v) = item.version(lang) else {
            continue;
        };
        let link = Link {
            title: v.title.clone(),
            url: v.url.clone(),
            current: false,
        };
        match menu.as_deref() {
            Some("main") => nav.push(link),
            Some("footer") => footer.push(link),
            _ => {}
        }
    }
    for s in &inp.lib.sections {
        if s.kind == Kind::Page
            && !s.path.is_empty()
            && !s.path.contains('/')
            && let Some(v) = s.versions.get(lang).filter(|v| v.written)
        {
            footer.push(Link {
                title: v.title.clone(),
                url: v.url.clone(),
                current: false,
            });
        }
    }
    let home = lang_root(c, lang);
    let calendar_url = urls::calendar_url(&home);
    Chrome {
        site_title: c.title(lang),
        site_description: lc.description.clone(),
        base_url: c.base().to_string(),
        feed_url: urls::feed_url(&home),
        webcal_url: webcal(&format!("{}{calendar_url}", c.base())),
        calendar_url,
        home_url: home,
        nav,
        footer,
        css_url: inp.css_url.clone(),
        js_url: inp.js_url.clone(),
        endpoint: c.endpoint().to_string(),
        thanks_url: special_url(c, inp.i18n, lang, "thanks"),
        withdraw_url: special_url(c, inp.i18n, lang, "withdraw"),
        search_url: special_url(c, inp.i18n, lang, "search"),
        results_url: special_url(c, inp.i18n, lang, "results"),
        open_data_url: (c.open_data.is_some()).then(|| special_url(c, inp.i18n, lang, "open_data")),
        brand_css: c.brand.css(),
        logo: c.brand.logo(lang).map(|(url, alt)| Logo { url, alt }),
    }
}

/// Builds the switcher for a page that exists at `urls` (lang → URL); for a missing language
/// `fallback(lang)` gives the nearest page that exists.
fn switcher(
    inp: &Inputs<'_>,
    current: &str,
    urls: &[(String, String)],
    fallback: &dyn Fn(&str) -> String,
) -> Vec<LangLink> {
    inp.config
        .language_codes()
        .into_iter()
        .map(|lang| {
            let strings = inp.i18n.strings(&lang);
            let name = inp.config.languages[&lang].name.clone().unwrap_or_else(|| {
                strings
                    .get("lang.name", &[])
                    .unwrap_or_else(|_| lang.clone())
            });
            let found = urls
                .iter()
                .find(|(l, _)| *l == lang)
                .map(|(_, u)| u.clone());
            let translated = found.is_some();
            let url = found.unwrap_or_else(|| fallback(&lang));
            LangLink {
                abs_url: format!("{}{}", inp.config.base(), url),
                note: if translated {
                    String::new()
                } else {
                    strings.get("lang.not_translated", &[]).unwrap_or_default()
                },
                current: lang == current,
                lang,
                name,
                url,
                translated,
            }
        })
        .collect()
}

/// What every page's context holds, whatever it shows: its language, URL and chrome, and the
/// page in the other languages.
#[derive(Serialize)]
struct Base<'a> {
    lang: &'a str,
    chrome: &'a Chrome,
    url: &'a str,
    canonical: String,
    /// The languages the page is written in, for `hreflang` links.
    alternates: Vec<&'a LangLink>,
    /// The first of them.
    x_default: &'a str,
    /// The switcher: every language, with a fallback where the page is not written in it.
    languages: &'a [LangLink],
    /// Only on pages kept out of search engines.
    #[serde(skip_serializing_if = "is_false")]
    noindex: bool,
    /// Only on a draft's pages, which only a preview or a build with `--drafts` has: the
    /// page says it is not published.
    #[serde(skip_serializing_if = "is_false")]
    draft: bool,
}

fn is_false(b: &bool) -> bool {
    !b
}

/// The open-data page: its datasets, files and licence.
#[derive(Serialize)]
struct OpenDataPage {
    open_data: Option<super::open_data::OpenDataView>,
}

/// A page with nothing of its own besides what every page has.
#[derive(Serialize)]
struct Plain {}

/// A page's context: what every page has, and what its kind adds.
fn context(base: &Base<'_>, view: &impl Serialize) -> Context {
    // View structs have string keys only, which cannot fail to serialize.
    let mut c = Context::from_serialize(base).expect("a page's base serializes to a map");
    c.extend(Context::from_serialize(view).expect("a page's view serializes to a map"));
    c
}

fn section_urls(s: &Section) -> Vec<(String, String)> {
    s.versions
        .iter()
        .filter(|(_, v)| v.written)
        .map(|(l, v)| (l.clone(), v.url.clone()))
        .collect()
}

/// What a page shows.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    Item(&'a Item),
    /// A section's listing; the root section is the home page.
    Section(&'a Section),
    /// The page the feedback endpoint sends a resident to after answering.
    Thanks,
    /// Where a resident withdraws an answer with their receipt.
    Withdraw,
    /// The search page; the browser searches the index of the page's own language.
    Search,
    /// The site's open data: datasets, files, columns, licence (`render::open_data`).
    OpenData,
    /// The calls with outcomes, newest first.
    Results,
    NotFound,
}

/// A page before its context is built: cheap, so the whole site can be listed and a few of
/// its pages built.
#[derive(Debug, Clone)]
pub struct PageRef<'a> {
    pub lang: String,
    pub source: Source<'a>,
    pub url: String,
    /// Kept out of search engines and the sitemap.
    pub noindex: bool,
}

/// Lists a site's pages and builds their contexts, one by one or all together.
pub struct Pages<'a> {
    inp: &'a Inputs<'a>,
    chrome: HashMap<String, Chrome>,
}

impl<'a> Pages<'a> {
    pub fn new(inp: &'a Inputs<'a>) -> Pages<'a> {
        let chrome = inp
            .config
            .language_codes()
            .into_iter()
            .map(|lang| {
                let c = chrome(inp, &lang);
                (lang, c)
            })
            .collect();
        Pages { inp, chrome }
    }

    /// Every page of the site, language by language.
    pub fn list(&self) -> Vec<PageRef<'a>> {
        let inp = self.inp;
        let lib: &'a Library = inp.lib;
        let mut pages = Vec::new();
        for lang in inp.config.language_codes() {
            // Items, in the languages they are written in.
            pages.extend(lib.items.iter().filter_map(|i| self.item_page(i, &lang)));
            // Sections: home, typed listings and plain sections.
            pages.extend(
                lib.sections
                    .iter()
                    .filter_map(|s| self.section_page(s, &lang)),
            );
            let page = |source, url: String| PageRef {
                lang: lang.clone(),
                source,
                url,
                noindex: true,
            };
            // Pages the feedback endpoint sends residents to, and the search page.
            for (which, source) in [
                ("thanks", Source::Thanks),
                ("withdraw", Source::Withdraw),
                ("search", Source::Search),
            ] {
                pages.push(page(
                    source,
                    special_url(inp.config, inp.i18n, &lang, which),
                ));
            }
            pages.extend(self.open_data_page(&lang));
            pages.push(self.results_page(&lang));
            // A 404 page per language; the default language's is `/404.html`, what hosts
            // look for.
            let url = urls::not_found_url(inp.config, &lang);
            pages.push(page(Source::NotFound, url));
        }
        pages
    }

    /// An item's pages, one per language it is written in.
    pub fn of_item(&self, item: &'a Item) -> Vec<PageRef<'a>> {
        item.versions
            .keys()
            .filter_map(|lang| self.item_page(item, lang))
            .collect()
    }

    /// The open-data pages, one per language; none without `[open_data]`.
    pub fn of_open_data(&self) -> Vec<PageRef<'a>> {
        (self.inp.config.language_codes().iter())
            .filter_map(|lang| self.open_data_page(lang))
            .collect()
    }

    /// The results pages, one per language.
    pub fn of_results(&self) -> Vec<PageRef<'a>> {
        (self.inp.config.language_codes().iter())
            .map(|lang| self.results_page(lang))
            .collect()
    }

    fn results_page(&self, lang: &str) -> PageRef<'a> {
        PageRef {
            lang: lang.to_string(),
            source: Source::Results,
            url: special_url(self.inp.config, self.inp.i18n, lang, "results"),
            noindex: false,
        }
    }

    fn open_data_page(&self, lang: &str) -> Option<PageRef<'a>> {
        let inp = self.inp;
        inp.config.open_data.as_ref().map(|_| PageRef {
            lang: lang.to_string(),
            source: Source::OpenData,
            url: special_url(inp.config, inp.i18n, lang, "open_data"),
            noindex: false,
        })
    }

    /// A section's listing pages, one per language it has one in.
    pub fn of_section(&self, section: &'a Section) -> Vec<PageRef<'a>> {
        section
            .versions
            .keys()
            .filter_map(|lang| self.section_page(section, lang))
            .collect()
    }

    fn item_page(&self, item: &'a Item, lang: &str) -> Option<PageRef<'a>> {
        item.version(lang).map(|v| PageRef {
            lang: lang.to_string(),
            source: Source::Item(item),
            url: v.url.clone(),
            noindex: false,
        })
    }

    fn section_page(&self, s: &'a Section, lang: &str) -> Option<PageRef<'a>> {
        s.versions.get(lang).filter(|v| v.written).map(|v| PageRef {
            lang: lang.to_string(),
            source: Source::Section(s),
            url: v.url.clone(),
            noindex: false,
        })
    }

    /// The page's template and context.
    pub fn build(&self, page: &PageRef<'a>) -> Page {
        let inp = self.inp;
        let lang = page.lang.as_str();
        let ctx = Ctx {
            lib: inp.lib,
            strings: inp.i18n.strings(lang),
            lang,
            now: inp.now,
        };
        let home = |l: &str| lang_root(inp.config, l);
        let every_language = |url: &dyn Fn(&str) -> String| -> Vec<(String, String)> {
            let langs = inp.config.language_codes();
            langs
                .into_iter()
                .map(|l| {
                    let u = url(&l);
                    (l, u)
                })
                .collect()
        };
        // The page in every language (a fallback where it is not written in one).
        let languages = match page.source {
            Source::Item(item) => {
                let section_or_home = |l: &str| {
                    inp.lib
                        .section(&item.section)
                        .and_then(|s| s.versions.get(l))
                        .filter(|v| v.written)
                        .map(|v| v.url.clone())
                        .unwrap_or_else(|| lang_root(inp.config, l))
                };
                let urls: Vec<(String, String)> = item
                    .versions
                    .iter()
                    .map(|(l, v)| (l.clone(), v.url.clone()))
                    .collect();
                switcher(inp, lang, &urls, &section_or_home)
            }
            Source::Section(s) => switcher(inp, lang, &section_urls(s), &home),
            Source::Thanks
            | Source::Withdraw
            | Source::Search
            | Source::OpenData
            | Source::Results => {
                let which = match page.source {
                    Source::Thanks => "thanks",
                    Source::Withdraw => "withdraw",
                    Source::OpenData => "open_data",
                    Source::Results => "results",
                    _ => "search",
                };
                let urls = every_language(&|l| special_url(inp.config, inp.i18n, l, which));
                switcher(inp, lang, &urls, &home)
            }
            Source::NotFound => switcher(inp, lang, &every_language(&home), &home),
        };
        let alternates: Vec<&LangLink> = languages.iter().filter(|l| l.translated).collect();
        let base = Base {
            lang,
            chrome: &self.chrome[lang],
            url: &page.url,
            canonical: format!("{}{}", inp.config.base(), page.url),
            x_default: alternates.first().map_or("", |l| l.abs_url.as_str()),
            alternates,
            languages: &languages,
            noindex: page.noindex,
            draft: matches!(page.source, Source::Item(item) if item.version(lang).is_some_and(|v| v.draft)),
        };
        let (template, context) = match page.source {
            Source::Item(item) => {
                let (template, view) = items::item_page(&ctx, inp, item);
                (template, context(&base, &view))
            }
            Source::Section(s) => {
                let (template, view) = listings::listing_page(&ctx, inp, s);
                (template, context(&base, &view))
            }
            Source::Thanks => ("thanks.html", context(&base, &Plain {})),
            Source::Withdraw => ("withdraw.html", context(&base, &Plain {})),
            Source::Search => {
                let search = search::search_view(inp, &ctx);
                let view = search::SearchPage { search };
                ("search.html", context(&base, &view))
            }
            Source::OpenData => {
                let open_data = super::open_data::view(inp, lang);
                (
                    "open_data.html",
                    context(&base, &OpenDataPage { open_data }),
                )
            }
            Source::Results => {
                let view = results::results_page(&ctx, inp);
                ("results.html", context(&base, &view))
            }
            Source::NotFound => ("404.html", context(&base, &Plain {})),
        };
        Page {
            url: page.url.clone(),
            template,
            context,
            noindex: page.noindex,
        }
    }
}

/// Every page of the site, with its context.
pub fn all(inp: &Inputs<'_>) -> Vec<Page> {
    let pages = Pages::new(inp);
    pages.list().iter().map(|p| pages.build(p)).collect()
}
