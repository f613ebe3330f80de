//! `torget build` end to end: the sample site and small fixture sites built into temp folders.

use crate::common::{Html, TestSite};

#[test]
fn sample_site_builds_every_item_in_both_languages() {
    let site = TestSite::sample();
    let report = site.build_ok();
    assert!(
        report.warnings.0.is_empty(),
        "warnings: {:?}",
        report.warnings
    );
    let lib = torget::site::load(site.root(), false).unwrap().lib;
    let mut untranslated = Vec::new();
    for item in &lib.items {
        for v in item.versions.values() {
            let html = site.page(&v.url);
            assert!(
                html.contains(&format!("<html lang=\"{}\">", v.lang)),
                "{} lacks <html lang>",
                v.url
            );
        }
        if item.versions.len() < 2 {
            untranslated.push(item.key.clone());
        }
    }
    // The sample keeps exactly one item untranslated on purpose, to show the fallback.
    assert_eq!(
        untranslated,
        ["nyheter/doktorgrader-kommunal-innovasjon.md"]
    );
    assert!(
        lib.items.len() >= 29,
        "sample has {} items",
        lib.items.len()
    );
    for url in [
        "/",
        "/en/",
        "/prosjekter/",
        "/en/projects/",
        "/innspill/",
        "/en/calls/",
        "/arrangementer/",
        "/en/events/",
        "/omrader/",
        "/en/areas/",
        "/takk/",
        "/en/thanks/",
        "/trekk-tilbake/",
        "/en/withdraw/",
        "/404.html",
        "/en/404.html",
    ] {
        assert!(
            site.exists(&torget::content::urls::page_path(url)),
            "missing {url}"
        );
    }
}

#[test]
fn each_translated_item_links_to_its_translation_both_ways() {
    let site = TestSite::sample();
    site.build_ok();
    let lib = torget::site::load(site.root(), false).unwrap().lib;
    for item in lib.items.iter().filter(|i| i.versions.len() == 2) {
        let nb = &item.versions["nb"];
        let en = &item.versions["en"];
        let nb_html = Html::parse(&site.page(&nb.url));
        let en_html = Html::parse(&site.page(&en.url));
        assert_eq!(
            nb_html.attrs("body a[hreflang=en]", "href"),
            std::slice::from_ref(&en.url),
            "{} does not link to its translation",
            nb.url
        );
        assert_eq!(
            en_html.attrs("body a[hreflang=nb]", "href"),
            std::slice::from_ref(&nb.url),
            "{} does not link to its translation",
            en.url
        );
    }
}

#[test]
fn pages_declare_hreflang_alternates_and_x_default() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    let html = site.page("/en/projects/school-garden/");
    assert!(html.contains(r#"<link rel="alternate" hreflang="nb" href="https://test.example.no/prosjekter/skolehage/">"#), "{html}");
    assert!(html.contains(r#"<link rel="alternate" hreflang="en" href="https://test.example.no/en/projects/school-garden/">"#));
    assert!(html.contains(r#"<link rel="alternate" hreflang="x-default" href="https://test.example.no/prosjekter/skolehage/">"#));
    // An untranslated page names only itself.
    let om = site.page("/om/");
    assert!(om.contains(r#"hreflang="nb" href="https://test.example.no/om/""#));
    assert!(
        !om.contains(r#"<link rel="alternate" hreflang="en""#),
        "untranslated page claims an English version"
    );
}

#[test]
fn sitemap_lists_pages_with_their_alternates() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    let xml = site.read("sitemap.xml");
    let entry = xml
        .split("<url>")
        .find(|u| u.contains("<loc>https://test.example.no/prosjekter/skolehage/</loc>"))
        .expect("project in sitemap");
    assert!(entry.contains(r#"<xhtml:link rel="alternate" hreflang="en" href="https://test.example.no/en/projects/school-garden/"/>"#), "{entry}");
    assert!(entry.contains(r#"hreflang="x-default""#));
    assert!(xml.contains("<loc>https://test.example.no/om/</loc>"));
    assert!(!xml.contains("404.html"), "404 page in sitemap");
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://test.example.no/sitemap.xml")
    );
}

#[test]
fn untranslated_page_switches_to_the_other_languages_section_and_says_so() {
    let site = TestSite::sample();
    site.build_ok();
    let html = Html::parse(&site.page("/nyheter/doktorgrader-kommunal-innovasjon/"));
    // The fragment shows the landing page's notice (CSS :target), which says why.
    assert_eq!(
        html.attrs("body a[hreflang=en]", "href"),
        ["/en/news/#not-translated"]
    );
    assert!(
        html.texts("header")
            .join(" ")
            .contains("this page is not available in English")
    );
    let news = Html::parse(&site.page("/en/news/"));
    assert!(
        news.texts("main #not-translated")
            .join(" ")
            .contains("The page you came from is not available in English")
    );
    // A translated page's switch leads straight to the translation.
    let html = Html::parse(&site.page("/nyheter/avtalen-signert/"));
    assert_eq!(
        html.attrs("body a[hreflang=en]", "href"),
        ["/en/news/agreement-signed/"]
    );
    // A top-level page without translation falls back to the other language's home.
    let site = TestSite::fixture("minimal");
    site.build_ok();
    let html = Html::parse(&site.page("/om/"));
    assert_eq!(
        html.attrs("body a[hreflang=en]", "href"),
        ["/en/#not-translated"]
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    assert!(!site.exists("utkast/index.html"));
    let mut opts = site.options();
    opts.drafts = true;
    torget::site::build(&opts).unwrap();
    assert!(site.exists("utkast/index.html"));
}

#[test]
fn dates_and_times_read_naturally_in_each_language() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    let nb = site.page("/arrangementer/hagedag/");
    assert!(
        nb.contains("torsdag 11. januar 2018 kl. 12.00\u{2060}–\u{2060}14.00"),
        "{nb}"
    );
    assert!(nb.contains(r#"datetime="2018-01-11T12:00:00+01:00""#));
    let en = site.page("/en/events/garden-day/");
    assert!(
        en.contains("Thursday 11 January 2018, 12:00\u{2060}–\u{2060}14:00"),
        "{en}"
    );
}

#[test]
fn listings_use_plural_forms() {
    let mut site = TestSite::fixture("minimal");
    site.build_ok();
    assert!(site.page("/innspill/").contains("(1 innspill)"));
    assert!(site.page("/en/calls/").contains("(1 call for input)"));
    site.now = "2040-01-01T00:00:00Z".parse().unwrap();
    site.build_ok();
    assert!(site.page("/en/calls/").contains("(0 calls for input)"));
}

/// Asserts that a page of the minimal fixture's project shows `partners` and the contact's
/// `name` with its (shared) e-mail address.
fn shows_partners_and_contact(html: &str, partners: &str, name: &str) {
    assert!(html.contains(&format!("<dd>{partners}</dd>")), "{html}");
    let contact = format!("{name}, <a href=\"mailto:hage@example.no\">");
    assert!(html.contains(&contact), "{html}");
}

/// `partners` and `contact.name` are text a translation may translate, like `location`; they
/// were shared keys, and an English file writing its own partners failed the build.
#[test]
fn a_translation_shows_its_own_partners_and_contact_name() {
    let site = TestSite::fixture("minimal");
    site.english_skolehage(
        "partners = [\"Trondheim Municipality\", \"NTNU\"]\ncontact = { name = \"Project lead\" }\n",
    );
    site.build_ok();
    shows_partners_and_contact(
        &site.page("/en/projects/school-garden/"),
        "Trondheim Municipality, NTNU",
        "Project lead",
    );
    shows_partners_and_contact(
        &site.page("/prosjekter/skolehage/"),
        "NTNU",
        "Prosjektleder",
    );
    let data: serde_json::Value = serde_json::from_str(&site.read("data/projects.json")).unwrap();
    let p = &data["projects"][0];
    assert_eq!(p["partners"], serde_json::json!(["NTNU"]));
    assert_eq!(
        p["languages"]["nb"]["partners"],
        serde_json::json!(["NTNU"])
    );
    assert_eq!(
        p["languages"]["en"]["partners"],
        serde_json::json!(["Trondheim Municipality", "NTNU"])
    );
}

#[test]
fn a_translation_without_partners_shows_the_primary_files() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    shows_partners_and_contact(
        &site.page("/en/projects/school-garden/"),
        "NTNU",
        "Prosjektleder",
    );
    let data: serde_json::Value = serde_json::from_str(&site.read("data/projects.json")).unwrap();
    assert_eq!(
        data["projects"][0]["languages"]["en"]["partners"],
        serde_json::json!(["NTNU"])
    );
}

/// An English listing showed a Norwegian-only item's card as if it were English: nothing said
/// so, and the link had no `hreflang`.
#[test]
fn an_english_listing_marks_items_only_in_norwegian() {
    let site = TestSite::fixture("minimal");
    site.remove("content/events/hagedag.en.md");
    site.build_ok();
    let html = Html::parse(&site.page("/en/events/"));
    assert_eq!(html.attrs(".card-title a", "hreflang"), ["nb"]);
    assert_eq!(html.texts(".card-title"), ["Hagedag (in Norwegian)"]);
    // Areas on cards are links.
    assert_eq!(
        html.attrs(".card-areas a", "href"),
        html.attrs(".card-areas a", "href")
            .iter()
            .filter(|h| h.starts_with("/en/areas/"))
            .cloned()
            .collect::<Vec<_>>()
    );
    assert_eq!(html.count(".card-areas a"), 1);
    let nb = Html::parse(&site.page("/arrangementer/"));
    assert_eq!(nb.count(".card-title a[hreflang]"), 0);
    assert_eq!(nb.texts(".card-title"), ["Hagedag"]);
}
