//! Snapshots of generated files for the minimal fixture: a change to feeds, sitemaps,
//! calendars or data shows up as a reviewable diff (`cargo insta review`).

use crate::common::TestSite;

fn built() -> TestSite {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    site
}

#[test]
fn atom_feed() {
    insta::assert_snapshot!(built().read("en/atom.xml"));
}

#[test]
fn sitemap() {
    insta::assert_snapshot!(built().read("sitemap.xml"));
}

#[test]
fn event_calendar() {
    insta::assert_snapshot!(
        built()
            .read("arrangementer/hagedag/hagedag.ics")
            .replace("\r\n", "⏎\n")
    );
}

#[test]
fn calls_json() {
    // The torget that wrote the file is named in it; its version is not what is checked here.
    let written_by = concat!("\"torget ", env!("CARGO_PKG_VERSION"), "\"");
    insta::assert_snapshot!(
        built()
            .read("data/calls.json")
            .replace(written_by, "\"torget [version]\"")
    );
}

#[test]
fn markdown_body() {
    let site = built();
    let html = site.page("/prosjekter/skolehage/");
    let body = html
        .split("<div class=\"prose\">")
        .nth(1)
        .and_then(|s| s.split("</div>").next())
        .unwrap_or_default();
    insta::assert_snapshot!(body);
}
