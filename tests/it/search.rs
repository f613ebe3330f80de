//! The search index and the search page: pagefind's bundle with one index per language, what
//! the records hold, the hidden terms for æøå-free and compound-part searches, the search page
//! in every language and the search field in every page's header. The browser test in
//! `tests/browser/` searches the built sample site for real.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use crate::common::{Html, TestSite};
use serde_json::Value;

/// A record as pagefind stored it: one `fragment/<lang>_<hash>.pf_fragment` file, gzipped JSON
/// behind pagefind's `pagefind_dcd` signature.
#[derive(Debug)]
struct Indexed {
    lang: String,
    url: String,
    content: String,
    meta: BTreeMap<String, String>,
    filters: BTreeMap<String, Vec<String>>,
}

/// A gzipped file's bytes behind pagefind's signature; `None` if it is not (yet) one, e.g.
/// while a preview server replaces it.
fn gunzip(path: &Path) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).ok()?)
        .read_to_end(&mut out)
        .ok()?;
    Some(out.strip_prefix(b"pagefind_dcd")?.to_vec())
}

fn indexed(site: &TestSite) -> Vec<Indexed> {
    indexed_in(&site.out())
}

/// The records in the pagefind bundle of the site built into `out`.
fn indexed_in(out: &Path) -> Vec<Indexed> {
    let dir = out.join("pagefind/fragment");
    let mut out: Vec<Indexed> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let path = e.ok()?.path();
            let name = path.file_name()?.to_string_lossy().to_string();
            let lang = name.split('_').next()?.to_string();
            let j: Value = serde_json::from_slice(&gunzip(&path)?).ok()?;
            Some(Indexed {
                lang,
                url: j["url"].as_str()?.to_string(),
                content: j["content"].as_str()?.to_string(),
                meta: serde_json::from_value(j["meta"].clone()).ok()?,
                filters: serde_json::from_value(j["filters"].clone()).ok()?,
            })
        })
        .collect();
    out.sort_by(|a, b| a.url.cmp(&b.url));
    out
}

fn entry(site: &TestSite) -> Value {
    serde_json::from_str(&site.read("pagefind/pagefind-entry.json")).unwrap()
}

fn record<'a>(all: &'a [Indexed], url: &str) -> &'a Indexed {
    all.iter()
        .find(|r| r.url == url)
        .unwrap_or_else(|| panic!("no record for {url}"))
}

fn html_files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .to_string()
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_index_holds_one_record_per_page_per_language() {
    let site = TestSite::sample();
    let report = site.build_ok();
    let all = indexed(&site);
    let lib = torget::site::load(site.root(), false).unwrap().lib;

    let mut expected: Vec<(String, String)> = Vec::new();
    for item in &lib.items {
        for (lang, v) in &item.versions {
            expected.push((lang.clone(), v.url.clone()));
        }
    }
    for s in &lib.sections {
        for (lang, v) in s.versions.iter().filter(|(_, v)| v.written) {
            expected.push((lang.clone(), v.url.clone()));
        }
    }
    expected.sort_by(|a, b| a.1.cmp(&b.1));
    let got: Vec<(String, String)> = all
        .iter()
        .map(|r| (r.lang.clone(), r.url.clone()))
        .collect();
    assert_eq!(got, expected);

    // Pagefind's own count per language agrees, and so does the build report.
    let entry = entry(&site);
    let search = report.search.expect("the build reports the index");
    for (lang, n) in &search.records {
        let in_index = all.iter().filter(|r| r.lang == *lang).count();
        assert_eq!(*n, in_index, "{lang}");
        assert_eq!(entry["languages"][lang]["page_count"], *n, "{lang}");
    }
    assert_eq!(
        search
            .records
            .iter()
            .map(|(l, _)| l.as_str())
            .collect::<Vec<_>>(),
        ["nb", "en"]
    );
    // Pages that are not content are not searchable.
    for url in [
        "/takk/",
        "/sok/",
        "/en/search/",
        "/404.html",
        "/trekk-tilbake/",
    ] {
        assert!(all.iter().all(|r| r.url != url), "{url} is in the index");
    }
}

#[test]
fn records_carry_type_area_and_call_status_filters() {
    let site = TestSite::sample();
    site.build_ok();
    let all = indexed(&site);
    let filters = |url: &str| record(&all, url).filters.clone();
    let f = |pairs: &[(&str, &[&str])]| -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect()
    };

    assert_eq!(
        filters("/prosjekter/apne-data/"),
        f(&[
            ("type", &["project"]),
            ("area", &["smart-kommune", "innovasjon-og-omstilling"])
        ])
    );
    // The same filter values in every language: they are names, not words.
    assert_eq!(
        filters("/en/projects/open-data/"),
        filters("/prosjekter/apne-data/")
    );
    // Calls as they stand at the build's "now" (2026-11-26).
    assert_eq!(
        filters("/innspill/hva-bor-vi-forske-pa/")["status"],
        ["open"]
    );
    assert_eq!(
        filters("/innspill/sykkelveier-og-byrom-2035/")["status"],
        ["upcoming"]
    );
    assert_eq!(
        filters("/innspill/digital-dialog-2020/")["status"],
        ["closed"]
    );
    assert_eq!(filters("/innspill/digital-dialog-2020/")["type"], ["call"]);
    assert_eq!(filters("/arrangementer/folkemote-2031/")["type"], ["event"]);
    // An area page belongs to its own area; plain pages and listings are pages.
    assert_eq!(
        filters("/omrader/byutvikling/"),
        f(&[("type", &["area"]), ("area", &["byutvikling"])])
    );
    assert_eq!(filters("/om/"), f(&[("type", &["page"])]));
    assert_eq!(filters("/prosjekter/"), f(&[("type", &["page"])]));
    // Only calls have a status filter: one filter per name, never "a:x, b:y" in one value.
    for r in &all {
        assert_eq!(
            r.filters.contains_key("status"),
            r.filters["type"] == ["call"],
            "{}",
            r.url
        );
        for values in r.filters.values() {
            assert!(values.iter().all(|v| !v.contains(',')), "{}", r.url);
        }
    }
}

#[test]
fn records_show_title_type_area_and_status_in_their_language() {
    let site = TestSite::sample();
    site.build_ok();
    let all = indexed(&site);
    let nb = record(&all, "/innspill/hva-bor-vi-forske-pa/");
    assert_eq!(nb.meta["title"], "Hva bør vi forske på?");
    assert_eq!(nb.meta["type"], "Innspill");
    assert_eq!(nb.meta["status"], "Åpen");
    assert!(
        nb.meta["areas"].starts_with("Oppvekst og utdanning, "),
        "{:?}",
        nb.meta
    );
    assert!(nb.meta["when"].starts_with("Frist "), "{:?}", nb.meta);
    let en = record(&all, "/en/calls/what-should-we-research/");
    assert_eq!(en.meta["type"], "Call for input");
    assert_eq!(en.meta["status"], "Open");
    assert!(
        en.meta["areas"].starts_with("Childhood and education"),
        "{:?}",
        en.meta
    );
}

#[test]
fn only_main_content_is_indexed() {
    let site = TestSite::sample();
    site.build_ok();
    let all = indexed(&site);
    let strings = |lang: &str| {
        torget::i18n::I18n::load(site.root(), &["nb".into(), "en".into()])
            .unwrap()
            .strings(lang)
            .clone()
    };
    for r in &all {
        let s = strings(&r.lang);
        // Menus, the footer and the language switcher say these; no record may.
        for key in [
            "a11y.skip",
            "follow.feed",
            "follow.calendar",
            "nav.main",
            "withdraw.title",
            "search.header_label",
        ] {
            let text = s.get(key, &[]).unwrap();
            assert!(!r.content.contains(&text), "{} holds `{text}`", r.url);
        }
    }
    // A record is the page's summary, body and other main content.
    let p = record(&all, "/prosjekter/apne-data/");
    assert!(
        p.content
            .starts_with("Kommunen og NTNU laget en felles datakatalog"),
        "{}",
        p.content
    );
    assert!(
        p.content.contains("Hva prosjektet gjorde"),
        "headings are text"
    );
    assert!(
        p.content
            .contains("Minst 50 datasett er publisert med åpen lisens"),
        "goals"
    );
    let call = record(&all, "/innspill/hva-bor-vi-forske-pa/");
    assert!(
        call.content.contains("Hvilket tema bør vi forske mer på?"),
        "questions"
    );
    let event = record(&all, "/arrangementer/folkemote-2031/");
    assert!(event.content.contains("Peter Egges plass 1"), "location");
    let closed = record(&all, "/en/calls/the-university-municipality-in-town/");
    assert!(
        closed
            .content
            .contains("hold regular drop-in hours at the Main Library"),
        "a closed call's outcome"
    );
    assert!(!p.content.contains("](@/"), "no Markdown");
}

#[test]
fn hidden_terms_hold_spellings_without_ae_oe_and_parts_of_compounds() {
    let site = TestSite::sample();
    site.build_ok();
    let all = indexed(&site);
    let terms = |url: &str| -> Vec<String> {
        record(&all, url)
            .meta
            .get("terms")
            .map(|t| t.split(' ').map(str::to_string).collect())
            .unwrap_or_default()
    };
    let folk = terms("/arrangementer/folkemote-2031/");
    // "Folkemøte" typed without ø, and the part "møte" alone, in both spellings.
    for t in ["folkemote", "møte", "mote"] {
        assert!(folk.contains(&t.to_string()), "{t} missing from {folk:?}");
    }
    // "sykkeltellinger" → "tellinger", which the text never says alone.
    let data = terms("/prosjekter/apne-data/");
    assert!(data.contains(&"tellinger".to_string()), "{data:?}");
    // English records get the æøå-free spellings of Norwegian names, but no compound parts.
    let en = terms("/en/events/folkemote-2031/");
    assert!(en.iter().all(|t| !t.contains(['æ', 'ø'])), "{en:?}");
    // Terms never show: pagefind cuts excerpts from the content, which does not hold them.
    let r = record(&all, "/arrangementer/folkemote-2031/");
    assert!(!r.content.contains("folkemote"), "{}", r.content);
}

#[test]
fn the_bundle_has_the_runtime_and_a_stemmer_per_language() {
    let site = TestSite::sample();
    site.build_ok();
    for f in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.nb.pagefind",
        "pagefind/wasm.en.pagefind",
    ] {
        assert!(site.exists(f), "missing {f}");
    }
    let entry = entry(&site);
    assert_eq!(entry["languages"]["nb"]["wasm"], "nb");
    assert_eq!(entry["languages"]["en"]["wasm"], "en");
    for lang in ["nb", "en"] {
        let hash = entry["languages"][lang]["hash"].as_str().unwrap();
        assert!(hash.starts_with(&format!("{lang}_")), "{hash}");
        assert!(site.exists(&format!("pagefind/pagefind.{hash}.pf_meta")));
    }
    // The search page runs pagefind on the main thread: no worker to ship.
    assert!(!site.exists("pagefind/pagefind-worker.js"));
    // The theme has its own search page: pagefind's widgets are not shipped.
    assert!(!site.exists("pagefind/pagefind-ui.js"));
    assert!(!site.exists("pagefind/pagefind-component-ui.js"));
}

/// One CBOR item of pagefind's metadata (definite lengths; maps with text keys), enough to read
/// the page table: `(value, offset after it)`.
fn cbor(b: &[u8], at: usize) -> (Value, usize) {
    let (major, info) = (b[at] >> 5, b[at] & 31);
    let mut at = at + 1;
    let mut n = u64::from(info);
    if info >= 24 {
        let width = 1 << (info - 24);
        n = b[at..at + width]
            .iter()
            .fold(0, |n, &x| n << 8 | u64::from(x));
        at += width;
    }
    let n = n as usize;
    match major {
        0 => (Value::from(n), at),
        2 => (Value::from(b[at..at + n].to_vec()), at + n),
        3 => (
            Value::from(std::str::from_utf8(&b[at..at + n]).unwrap()),
            at + n,
        ),
        4 => {
            let mut items = Vec::new();
            for _ in 0..n {
                let (v, next) = cbor(b, at);
                items.push(v);
                at = next;
            }
            (Value::from(items), at)
        }
        5 => {
            let mut map = serde_json::Map::new();
            for _ in 0..n {
                let (k, next) = cbor(b, at);
                let (v, next) = cbor(b, next);
                map.insert(k.as_str().unwrap().to_string(), v);
                at = next;
            }
            (Value::from(map), at)
        }
        _ => panic!("unexpected CBOR major type {major}"),
    }
}

#[test]
fn the_metadata_names_no_page_and_the_page_lists_name_every_fragment() {
    let site = TestSite::sample();
    site.build_ok();
    let entry = entry(&site);
    let out = site.out();
    for lang in ["nb", "en"] {
        let hash = entry["languages"][lang]["hash"].as_str().unwrap();
        let bytes = gunzip(&out.join(format!("pagefind/pagefind.{hash}.pf_meta"))).unwrap();
        let (meta, end) = cbor(&bytes, 0);
        assert_eq!(end, bytes.len(), "{lang}: bytes after the metadata");
        // [version, page table, index chunks, filters, sorts, meta fields]
        let table = &meta[1];
        assert_eq!(table["size"], 32, "{table}");
        let pages = entry["languages"][lang]["page_count"].as_u64().unwrap() as usize;
        assert_eq!(table["pages"], pages, "{lang}");
        // Every page's word count, one LEB128 varint each, each above zero.
        let words = table["words"].as_str().unwrap();
        let words = gunzip(&out.join(format!("pagefind/pages/{words}.pf_words"))).unwrap();
        let mut counts = Vec::new();
        let (mut n, mut shift) = (0u64, 0);
        for &b in &words {
            n |= u64::from(b & 0x7f) << shift;
            shift += 7;
            if b < 0x80 {
                counts.push(n);
                (n, shift) = (0, 0);
            }
        }
        assert_eq!(counts.len(), pages, "{lang}");
        assert!(counts.iter().all(|&n| n > 0), "{lang}: a page of no words");
        assert_eq!(table["total"], counts.iter().sum::<u64>(), "{lang}");
        // The lists: each page's fragment name and word count, in page order.
        let mut names = Vec::new();
        for list in table["lists"].as_array().unwrap() {
            let list = list.as_str().unwrap();
            assert!(list.starts_with(&format!("{lang}_")), "{list}");
            let text = gunzip(&out.join(format!("pagefind/pages/{list}.pf_pages"))).unwrap();
            for line in String::from_utf8(text).unwrap().split('\n') {
                let (name, words) = line.split_once(' ').unwrap();
                assert_eq!(words.parse::<u64>().unwrap(), counts[names.len()], "{line}");
                names.push(name.to_string());
            }
        }
        assert_eq!(names.len(), pages, "{lang}");
        for name in &names {
            assert!(
                site.exists(&format!("pagefind/fragment/{name}.pf_fragment")),
                "{lang}: the page list names {name}, which has no fragment"
            );
        }
        let fragments = std::fs::read_dir(out.join("pagefind/fragment"))
            .unwrap()
            .filter(|e| {
                let e = e.as_ref().unwrap();
                e.file_name()
                    .to_string_lossy()
                    .starts_with(&format!("{lang}_"))
            })
            .count();
        assert_eq!(
            fragments, pages,
            "{lang}: fragments the page lists leave out"
        );
    }
}

#[test]
fn the_shipped_wasm_is_pagefinds_own_once_decompressed() {
    // vendor/pagefind/recompress-wasm.sh recompresses pagefind's WASM with zopfli; the bytes
    // the browser runs must stay the release's, listed in vendor/pagefind/WASM.sha256.
    use sha2::{Digest, Sha256};
    let sums = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor/pagefind/WASM.sha256"),
    )
    .unwrap();
    let site = TestSite::sample();
    site.build_ok();
    for lang in ["nb", "en"] {
        let mut raw = Vec::new();
        let file = std::fs::File::open(site.out().join(format!("pagefind/wasm.{lang}.pagefind")));
        flate2::read::GzDecoder::new(file.unwrap())
            .read_to_end(&mut raw)
            .unwrap();
        let hex: String = Sha256::digest(&raw)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        // Pagefind's `nb` is its Norwegian build.
        let want = format!("{hex}  pagefind_web_bg.{lang}.1.6.0.wasm");
        assert!(
            sums.lines().any(|l| l == want),
            "{lang}: {want} is not in WASM.sha256"
        );
    }
}

#[test]
fn a_third_language_gets_its_own_index() {
    let site = TestSite::fixture("minimal");
    site.add_nynorsk();
    site.build_ok();
    let entry = entry(&site);
    assert_eq!(entry["languages"]["nn"]["wasm"], "nn");
    assert_eq!(entry["languages"]["nn"]["page_count"], 2, "{entry}");
    let all = indexed(&site);
    assert!(
        all.iter()
            .any(|r| r.lang == "nn" && r.url == "/nn/prosjekt/skulehage/")
    );
    let html = Html::parse(&site.page("/nn/sok/"));
    assert_eq!(html.attrs("html", "lang"), ["nn"]);
    assert_eq!(html.texts("h1"), ["Søk"]);
    assert_eq!(html.texts("label[for=search-q]"), ["Søkjeord"]);
}

#[test]
fn the_search_page_exists_in_each_language() {
    let site = TestSite::sample();
    site.build_ok();
    for (url, lang, h1, label, other) in [
        ("/sok/", "nb", "Søk", "Søkeord", "/en/search/"),
        ("/en/search/", "en", "Search", "Search terms", "/sok/"),
    ] {
        let html = Html::parse(&site.page(url));
        assert_eq!(html.attrs("html", "lang"), [lang]);
        assert_eq!(html.texts("h1"), [h1]);
        assert_eq!(html.attrs("meta[name=robots]", "content"), ["noindex"]);
        // The form: a labelled field, the filters as fieldsets with legends.
        assert_eq!(html.attrs("form[role=search]#search-form", "action"), [url]);
        assert_eq!(html.texts("label[for=search-q]"), [label]);
        assert_eq!(html.attrs("input#search-q", "name"), ["q"]);
        assert_eq!(html.attrs("input#search-q", "type"), ["search"]);
        assert_eq!(html.count("fieldset legend"), 3);
        assert_eq!(
            html.attrs("input[name=type]", "value"),
            ["project", "event", "call", "area", "page"]
        );
        assert_eq!(html.count("input[name=area]"), 5);
        assert_eq!(
            html.attrs("input[name=status]", "value"),
            ["open", "upcoming", "closed"]
        );
        for id in html.attrs("input[type=checkbox]", "id") {
            assert_eq!(
                html.count(&format!("label[for={id}]")),
                1,
                "{id} has no label"
            );
        }
        // The count is announced.
        assert_eq!(html.attrs("[data-search-status]", "aria-live"), ["polite"]);
        // The other language's search page.
        assert_eq!(html.attrs("body a[hreflang]", "href"), [other]);
        // The script and the index it loads.
        let script = html.attrs("script[src]", "src");
        assert!(
            script
                .iter()
                .any(|s| s.starts_with("/search.") && s.ends_with(".js")),
            "{script:?}"
        );
        assert_eq!(
            html.attrs("[data-search-form]", "data-bundle"),
            ["/pagefind/pagefind.js"]
        );
    }
    // Each script source exists under its fingerprinted name.
    let html = Html::parse(&site.page("/sok/"));
    for src in html.attrs("script[src]", "src") {
        assert!(site.exists(&src), "{src}");
    }
    // Plural forms for the browser's count, from i18n.
    let forms: Value =
        serde_json::from_str(&html.attrs("[data-search-form]", "data-count-forms")[0]).unwrap();
    assert_eq!(forms["one"], "{n} treff");
    // In the sitemap? No: it is a tool, not content.
    assert!(!site.read("sitemap.xml").contains("/sok/"));
}

#[test]
fn without_javascript_the_search_page_says_so_and_links_to_the_listings() {
    let site = TestSite::sample();
    site.build_ok();
    let html = Html::parse(&site.page("/sok/"));
    let notice = html.texts("[data-search-nojs] p");
    assert_eq!(notice.len(), 1);
    assert!(
        notice[0].starts_with("Søket trenger JavaScript"),
        "{notice:?}"
    );
    assert_eq!(
        html.attrs("[data-search-nojs] a", "href"),
        ["/prosjekter/", "/arrangementer/", "/innspill/", "/omrader/"]
    );
    // The script shows the form; without it, the form stays hidden.
    assert_eq!(html.count("form#search-form[hidden]"), 1);
    let en = Html::parse(&site.page("/en/search/"));
    assert!(en.texts("[data-search-nojs] p")[0].starts_with("Search needs JavaScript"));
    assert_eq!(
        en.attrs("[data-search-nojs] a", "href"),
        ["/en/projects/", "/en/events/", "/en/calls/", "/en/areas/"]
    );
}

#[test]
fn every_page_has_a_search_field_in_its_header() {
    let site = TestSite::sample();
    site.build_ok();
    for file in html_files(&site.out()) {
        let html = Html::parse(&site.read(&file));
        let lang = html.attrs("html", "lang")[0].clone();
        let search_url = if lang == "nb" { "/sok/" } else { "/en/search/" };
        if file == "sok/index.html" || file == "en/search/index.html" {
            // The search page's own field takes its place.
            assert_eq!(html.count("header form"), 0, "{file}");
            continue;
        }
        assert_eq!(
            html.attrs("header form.site-search[role=search][method=get]", "action"),
            [search_url],
            "{file}"
        );
        assert_eq!(
            html.attrs("header form input#site-search-q", "name"),
            ["q"],
            "{file}"
        );
        let label = html.texts("header label[for=site-search-q]");
        assert_eq!(
            label,
            [if lang == "nb" {
                "Søk på nettstedet"
            } else {
                "Search the site"
            }],
            "{file}"
        );
    }
}

#[test]
fn only_the_search_page_loads_the_search_script_and_index() {
    let site = TestSite::sample();
    site.build_ok();
    let mut loading = Vec::new();
    for file in html_files(&site.out()) {
        let text = site.read(&file);
        if text.contains("/search.") || text.contains("/pagefind/") {
            loading.push(file);
        }
    }
    assert_eq!(loading, ["en/search/index.html", "sok/index.html"]);
    // Nor does the site's own script reach for it.
    let js = walkdir::WalkDir::new(site.out())
        .max_depth(1)
        .into_iter()
        .map(|e| e.unwrap().path().to_path_buf())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("torget.")
        })
        .unwrap();
    assert!(!std::fs::read_to_string(js).unwrap().contains("pagefind"));
}

#[test]
fn the_index_can_be_left_out() {
    let site = TestSite::fixture("minimal");
    let mut opts = site.options();
    opts.search = false;
    let report = torget::site::build(&opts).unwrap();
    assert!(report.search.is_none());
    assert!(!site.exists("pagefind"));
    // The page is still there; it says search could not be loaded when used.
    assert!(site.exists("sok/index.html"));
}

/// Regression: a stale index must not survive a rebuild. Pagefind's `write_files` never removes
/// files, so torget writes its files into the fresh staging folder instead.
#[test]
fn a_rebuild_leaves_no_stale_index_files() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    let before: Vec<String> = walkdir::WalkDir::new(site.out().join("pagefind"))
        .into_iter()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    site.write(
        "content/om.md",
        "+++\ntitle = \"Om\"\nsummary = \"Noe helt annet nå.\"\n+++\n\nNy tekst.\n",
    );
    site.build_ok();
    let after: Vec<String> = walkdir::WalkDir::new(site.out().join("pagefind/fragment"))
        .into_iter()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    let frags = indexed(&site);
    assert_eq!(after.len() - 1, frags.len(), "one file per record");
    assert!(before.len() > 1);
    assert!(record(&frags, "/om/").content.contains("Noe helt annet"));
}

/// The dev server will build from inside its tokio runtime; pagefind's own runtime must not
/// be started on a thread that already runs one ("Cannot start a runtime from within a runtime").
#[tokio::test]
async fn a_build_from_inside_a_tokio_runtime_indexes_too() {
    let site = TestSite::fixture("minimal");
    let report = site.build_ok();
    assert!(
        report
            .search
            .is_some_and(|s| s.records.iter().all(|(_, n)| *n > 0))
    );
}

/// `torget serve` builds the index in the background after its first build (it serves the
/// pages before) and again after each rebuild, after the pages were told to reload, and leaves
/// no files of the previous index behind.
#[test]
fn the_preview_keeps_its_search_index_up_to_date() {
    let site = TestSite::fixture("minimal");
    let running = site.serve();
    let started = std::time::Instant::now();
    while !running.out.join("pagefind/pagefind-entry.json").exists() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "the first index never came"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let says = |text: &str| {
        indexed_in(&running.out)
            .iter()
            .any(|r| r.url == "/prosjekter/skolehage/" && r.content.contains(text))
    };
    assert!(says("Om hagen."));
    let records = indexed_in(&running.out).len();
    let path = site.root().join("content/projects/skolehage.md");
    let text = std::fs::read_to_string(&path).unwrap();
    site.write(
        "content/projects/skolehage.md",
        &text.replace("Om hagen.", "Om den nye hagen."),
    );
    // The new record appears, and then (files are written before old ones go) exactly one
    // record per page is left: the old fragment is gone.
    let started = std::time::Instant::now();
    while !(says("Om den nye hagen.")
        && !says("Om hagen.")
        && indexed_in(&running.out).len() == records)
    {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "the index never changed: {:?}",
            indexed_in(&running.out)
                .iter()
                .map(|r| &r.url)
                .collect::<Vec<_>>()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    running.stop();
}

/// A translation's own `partners` are what its language's record holds.
#[test]
fn a_translations_record_holds_its_own_partners() {
    let site = TestSite::fixture("minimal");
    site.english_skolehage("partners = [\"Trondheim Municipality\"]\n");
    site.build_ok();
    let all = indexed(&site);
    let en = record(&all, "/en/projects/school-garden/");
    assert!(
        en.content.contains("Trondheim Municipality"),
        "{}",
        en.content
    );
    let nb = record(&all, "/prosjekter/skolehage/");
    assert!(nb.content.contains("NTNU"), "{}", nb.content);
    assert!(
        !nb.content.contains("Trondheim Municipality"),
        "{}",
        nb.content
    );
}
