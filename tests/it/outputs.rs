//! What the build writes besides pages: calendars, feeds, open data, and a third language
//! added by configuration alone.

use crate::common::{Html, TestSite};

/// Checks the RFC 5545 rules a calendar client trips over: CRLF lines of at most 75 octets,
/// one VERSION and PRODID, UID/DTSTAMP/DTSTART in every event, a VTIMEZONE for every TZID.
fn assert_valid_ics(ics: &str) {
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert!(ics.trim_end().ends_with("END:VCALENDAR"));
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "line longer than 75 octets: {line:?}");
        assert!(!line.contains('\n'), "bare LF in {line:?}");
    }
    let unfolded = ics.replace("\r\n ", "").replace("\r\n\t", "");
    let lines: Vec<&str> = unfolded.split("\r\n").collect();
    let top: Vec<&&str> = lines
        .iter()
        .take_while(|l| !l.starts_with("BEGIN:V") || l.starts_with("BEGIN:VCALENDAR"))
        .collect();
    assert_eq!(
        top.iter().filter(|l| l.starts_with("PRODID:")).count(),
        1,
        "{ics}"
    );
    assert_eq!(
        top.iter().filter(|l| l.starts_with("VERSION:2.0")).count(),
        1
    );
    for event in unfolded.split("BEGIN:VEVENT").skip(1) {
        let event = event.split("END:VEVENT").next().unwrap();
        for prop in ["UID:", "DTSTAMP:", "DTSTART", "DTEND", "SUMMARY:"] {
            assert!(
                event.contains(&format!("\r\n{prop}")),
                "event without {prop}: {event}"
            );
        }
        if event.contains("TZID=Europe/Oslo") {
            assert!(unfolded.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Oslo\r\n"));
        }
    }
    icalendar::parser::read_calendar(&icalendar::parser::unfold(ics)).expect("the calendar parses");
}

#[test]
fn event_calendars_are_valid_and_in_oslo_time() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    let ics = site.read("arrangementer/hagedag/hagedag.ics");
    assert_valid_ics(&ics);
    assert!(
        ics.contains("DTSTART;TZID=Europe/Oslo:20180111T120000\r\n"),
        "{ics}"
    );
    assert!(ics.contains("DTEND;TZID=Europe/Oslo:20180111T140000\r\n"));
    assert!(ics.contains("SUMMARY:Hagedag\r\n"));
    assert!(
        site.read("en/events/garden-day/garden-day.ics")
            .contains("SUMMARY:Garden day\r\n")
    );
    // The file is named after the event (it was `event.ics` for every event), the event page
    // links to it, and the listings offer a subscription as well as the file.
    let page = crate::common::Html::parse(&site.page("/arrangementer/hagedag/"));
    assert_eq!(
        page.attrs("a[type='text/calendar'][download]", "href"),
        ["/arrangementer/hagedag/hagedag.ics"]
    );
    let events = crate::common::Html::parse(&site.page("/arrangementer/"));
    let webcal = events.attrs("a[href^='webcal://']", "href");
    assert_eq!(webcal.len(), 1, "{webcal:?}");
    assert!(webcal[0].ends_with("/calendar.ics"), "{webcal:?}");
    let area = crate::common::Html::parse(&site.page("/omrader/byutvikling/"));
    let webcal = area.attrs("a[href^='webcal://']", "href");
    assert!(
        webcal.len() == 1 && webcal[0].ends_with("/omrader/byutvikling/calendar.ics"),
        "{webcal:?}"
    );
    for cal in [
        "calendar.ics",
        "en/calendar.ics",
        "omrader/byutvikling/calendar.ics",
        "en/areas/urban-development/calendar.ics",
    ] {
        let ics = site.read(cal);
        assert_valid_ics(&ics);
        assert!(ics.contains("BEGIN:VEVENT"), "{cal} has no events");
    }
}

#[test]
fn sample_calendars_are_valid() {
    let site = TestSite::sample();
    site.build_ok();
    for entry in walkdir::WalkDir::new(site.out()) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "ics") {
            assert_valid_ics(&std::fs::read_to_string(entry.path()).unwrap());
        }
    }
}

#[test]
fn atom_feeds_parse_per_language_and_per_area() {
    let site = TestSite::sample();
    site.build_ok();
    for (path, lang, must_have) in [
        ("atom.xml", "nb", "Universitetsskolen"),
        ("en/atom.xml", "en", "University School"),
        ("omrader/byutvikling/atom.xml", "nb", "Sykkelveier"),
        ("en/areas/urban-development/atom.xml", "en", "ycle"),
    ] {
        let xml = site.read(path);
        let feed = atom_syndication::Feed::read_from(xml.as_bytes())
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(feed.lang(), Some(lang), "{path}");
        assert!(!feed.entries().is_empty(), "{path} is empty");
        assert!(
            feed.entries()
                .iter()
                .any(|e| e.title().as_str().contains(must_have)),
            "{path} lacks {must_have}"
        );
        for e in feed.entries() {
            assert!(
                e.links()[0]
                    .href()
                    .starts_with("https://universitetskommunen.example.no/"),
                "{path}: relative link"
            );
        }
        // Area feeds hold only that area's items.
        if path.contains("byutvikling") {
            assert!(
                !feed
                    .entries()
                    .iter()
                    .any(|e| e.title().as_str().contains("Universitetsskolen")),
                "{path} has another area's item"
            );
        }
    }
    // Feeds are advertised on pages.
    let home = Html::parse(&site.page("/"));
    assert_eq!(
        home.attrs("link[type='application/atom+xml']", "href"),
        ["/atom.xml"]
    );
}

#[test]
fn calls_json_describes_every_call() {
    let site = TestSite::sample();
    site.build_ok();
    let lib = torget::site::load(site.root(), false).unwrap().lib;
    let json: serde_json::Value = serde_json::from_str(&site.read("data/calls.json")).unwrap();
    let calls = json["calls"].as_array().unwrap();
    let ids: Vec<&str> = calls.iter().map(|c| c["id"].as_str().unwrap()).collect();
    let mut expected: Vec<&str> = lib
        .of_kind(torget::content::Kind::Call)
        .map(|i| i.name.as_str())
        .collect();
    expected.sort();
    let mut got = ids.clone();
    got.sort();
    assert_eq!(got, expected);
    let open = calls
        .iter()
        .find(|c| c["id"] == "hva-bor-vi-forske-pa")
        .unwrap();
    assert_eq!(open["opens"], "2026-01-01T00:00:00+01:00");
    assert_eq!(open["closes"], "2036-06-30T23:59:00+02:00");
    assert_eq!(open["languages"]["nb"]["thanks_url"], "/takk/");
    assert_eq!(open["languages"]["en"]["thanks_url"], "/en/thanks/");
    let kinds: Vec<&str> = open["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["kind"].as_str().unwrap())
        .collect();
    for kind in ["text", "longtext", "choice", "multichoice", "scale"] {
        assert!(kinds.contains(&kind), "open call lacks a {kind} question");
    }
    for q in open["questions"].as_array().unwrap() {
        assert!(
            q["label"]["nb"].is_string() && q["label"]["en"].is_string(),
            "{q}"
        );
        if q["kind"] == "choice" || q["kind"] == "multichoice" {
            assert_eq!(
                q["options"]["nb"].as_array().unwrap().len(),
                q["options"]["en"].as_array().unwrap().len()
            );
        }
        if q["kind"] == "scale" {
            assert!(q["min"].is_i64() && q["max"].is_i64());
        }
    }
    for file in ["data/projects.json", "data/events.json"] {
        let v: serde_json::Value = serde_json::from_str(&site.read(file)).unwrap();
        assert_eq!(v["format"], 1, "{file}");
    }
}

#[test]
fn events_carry_schema_org_json_ld() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    let html = Html::parse(&site.page("/arrangementer/hagedag/"));
    let ld = html.texts("script[type='application/ld+json']");
    let v: serde_json::Value = serde_json::from_str(&ld[0]).unwrap();
    assert_eq!(v["@type"], "Event");
    assert_eq!(v["startDate"], "2018-01-11T12:00:00+01:00");
    assert_eq!(v["location"]["name"], "Skolen");
    assert_eq!(v["url"], "https://test.example.no/arrangementer/hagedag/");
}

#[test]
fn the_call_page_carries_a_labelled_form_posting_to_the_endpoint() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    let html = Html::parse(&site.page("/innspill/hagen/"));
    assert_eq!(
        html.attrs("form.answer-form", "action"),
        ["/api/calls/hagen/responses"]
    );
    assert_eq!(html.attrs("form.answer-form", "method"), ["post"]);
    // Every input is labelled; groups have legends.
    let ids = html.attrs(
        "form.answer-form input:not([type=hidden]), form.answer-form textarea",
        "id",
    );
    assert!(!ids.is_empty());
    for id in ids {
        assert_eq!(
            html.count(&format!("label[for='{id}']")),
            1,
            "input #{id} has no label"
        );
    }
    assert_eq!(
        html.texts("form.answer-form legend").len(),
        2,
        "choice and scale are fieldsets with legends"
    );
    assert_eq!(
        html.attrs("input[name=viktig]", "value"),
        ["1", "2", "3", "4", "5"]
    );
    assert!(html.texts("form.answer-form legend")[0].contains("(må besvares)"));
    assert_eq!(html.attrs("input[name=lang]", "value"), ["nb"]);
    // A closed call shows no form.
    let mut site = site;
    site.now = "2031-01-01T00:00:00Z".parse().unwrap();
    site.build_ok();
    let html = Html::parse(&site.page("/innspill/hagen/"));
    assert_eq!(html.count("form.answer-form"), 0);
}

#[test]
fn the_feedback_endpoint_setting_changes_form_targets() {
    let site = TestSite::fixture("minimal");
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &format!("{config}\n[feedback]\nendpoint = \"https://innspill.example.no/\"\n"),
    );
    site.build_ok();
    let html = Html::parse(&site.page("/en/calls/the-garden/"));
    assert_eq!(
        html.attrs("form.answer-form", "action"),
        ["https://innspill.example.no/api/calls/hagen/responses"]
    );
}

#[test]
fn a_third_language_needs_only_config_an_i18n_file_and_content() {
    let site = TestSite::fixture("minimal");
    site.add_nynorsk();
    site.build_ok();
    let html = Html::parse(&site.page("/nn/prosjekt/skulehage/"));
    assert_eq!(html.attrs("html", "lang"), ["nn"]);
    assert!(html.texts("h1")[0].contains("Skulehage"));
    // All three versions know each other.
    let hreflangs = html.attrs("link[rel=alternate][hreflang]", "hreflang");
    assert_eq!(hreflangs, ["nb", "en", "nn", "x-default"]);
    let nb = Html::parse(&site.page("/prosjekter/skolehage/"));
    assert_eq!(
        nb.attrs("body a[hreflang=nn]", "href"),
        ["/nn/prosjekt/skulehage/"]
    );
    // Untranslated items fall back to the nn listing, which then says why, in nynorsk.
    let event = Html::parse(&site.page("/arrangementer/hagedag/"));
    assert_eq!(
        event.attrs("body a[hreflang=nn]", "href"),
        ["/nn/arrangement/#not-translated"]
    );
    let listing = Html::parse(&site.page("/nn/arrangement/"));
    assert!(
        listing
            .texts("#not-translated")
            .join(" ")
            .contains("Sida du kom frå, finst ikkje på nynorsk")
    );
    assert!(site.exists("nn/atom.xml") && site.exists("nn/calendar.ics"));
}

// Regression: minify-html drops `type="text"` by default, so `input[type=text]` in the theme's
// CSS matched nothing on published (minified) pages and text fields were left unstyled.
#[test]
fn minified_pages_keep_text_input_types() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/calls/hagen.md",
        &std::fs::read_to_string(site.root().join("content/calls/hagen.md"))
            .unwrap()
            .replace("kind = \"longtext\"", "kind = \"text\""),
    );
    site.write(
        "content/calls/hagen.en.md",
        &std::fs::read_to_string(site.root().join("content/calls/hagen.en.md"))
            .unwrap()
            .replace("kind = \"longtext\"", "kind = \"text\""),
    );
    let mut opts = site.options();
    opts.minify = Some(true);
    torget::site::build(&opts).unwrap();
    let html = Html::parse(&site.page("/innspill/hagen/"));
    assert_eq!(html.attrs("input[name=hvorfor]", "type"), ["text"]);
}
