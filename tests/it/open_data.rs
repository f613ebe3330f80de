//! Open data: the DCAT-AP-NO catalogue in Turtle and JSON-LD (one graph, read back with real
//! RDF parsers), the CSV files beside the JSON files, and `[open_data]` in site.toml.
//! `tests/dcat/run.sh` validates the same catalogues against DCAT-AP-NO's SHACL shapes.

use std::collections::HashSet;

use oxrdf::{Term, Triple};
use serde_json::Value;

use crate::common::{Html, TestSite, repo_root};

const DCAT: &str = "http://www.w3.org/ns/dcat#";
const DCT: &str = "http://purl.org/dc/terms/";

/// The minimal fixture, published by Bergen kommune under CC BY 4.0.
fn other_publisher() -> TestSite {
    let site = TestSite::fixture("minimal");
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    let extra = std::fs::read_to_string(repo_root().join("tests/dcat/other-publisher.toml"));
    site.write("site.toml", &format!("{config}{}", extra.unwrap()));
    site
}

fn turtle(site: &TestSite) -> HashSet<Triple> {
    oxttl::TurtleParser::new()
        .for_slice(site.read("data/catalog.ttl").as_bytes())
        .map(|t| t.expect("catalog.ttl is valid Turtle"))
        .collect()
}

fn json_ld(site: &TestSite) -> HashSet<Triple> {
    oxjsonld::JsonLdParser::new()
        .for_slice(site.read("data/catalog.jsonld").as_bytes())
        .map(|q| Triple::from(q.expect("catalog.jsonld is valid JSON-LD")))
        .collect()
}

/// The objects of `subject`'s `predicate`, as N-Triples terms (`"Title"@nb`, `<http://…>`),
/// sorted.
fn objects(graph: &HashSet<Triple>, subject: &str, predicate: &str) -> Vec<String> {
    graph
        .iter()
        .filter(|t| t.subject.to_string() == format!("<{subject}>"))
        .filter(|t| t.predicate.as_str() == predicate)
        .map(|t| t.object.to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

#[test]
fn the_turtle_and_json_ld_catalogues_are_the_same_graph() {
    for site in [TestSite::sample(), other_publisher()] {
        site.build_ok();
        let ttl = turtle(&site);
        // Every node has an IRI, so the graphs compare as plain sets of triples.
        assert!(ttl.iter().all(|t| !matches!(t.object, Term::BlankNode(_))));
        assert!(ttl.len() > 100, "{} triples", ttl.len());
        assert_eq!(ttl, json_ld(&site));
    }
}

#[test]
fn the_catalogue_describes_each_dataset_in_every_language() {
    let site = TestSite::sample();
    site.build_ok();
    let g = turtle(&site);
    let catalog = "https://universitetskommunen.example.no/data/catalog";
    let publisher = "<https://data.brreg.no/enhetsregisteret/api/enheter/942110464>";
    assert_eq!(
        objects(&g, catalog, &format!("{DCT}publisher")),
        [publisher]
    );
    assert_eq!(
        objects(&g, catalog, &format!("{DCT}title")),
        [
            "\"Open data from University Municipality Trondheim\"@en",
            "\"Åpne data fra Universitetskommunen Trondheim\"@nb",
        ]
    );
    let datasets = objects(&g, catalog, &format!("{DCAT}dataset"));
    assert_eq!(datasets.len(), 4);
    for name in ["projects", "events", "calls", "results"] {
        let dataset = format!("{catalog}#{name}");
        assert!(datasets.contains(&format!("<{dataset}>")), "{datasets:?}");
        let titles = objects(&g, &dataset, &format!("{DCT}title"));
        assert!(titles.iter().any(|t| t.ends_with("@nb")), "{titles:?}");
        assert!(titles.iter().any(|t| t.ends_with("@en")), "{titles:?}");
        assert_eq!(
            objects(&g, &dataset, &format!("{DCT}publisher")),
            [publisher]
        );
        assert_eq!(
            objects(&g, &dataset, &format!("{DCAT}theme")),
            ["<http://publications.europa.eu/resource/authority/data-theme/GOVE>"]
        );
        for ext in ["json", "csv"] {
            let dist = format!("{dataset}-{ext}");
            assert_eq!(
                objects(&g, &dist, &format!("{DCAT}accessURL")),
                [format!(
                    "<https://universitetskommunen.example.no/data/{name}.{ext}>"
                )]
            );
            assert_eq!(
                objects(&g, &dist, &format!("{DCT}license")),
                ["<http://publications.europa.eu/resource/authority/licence/NLOD_2_0>"]
            );
            // The file it describes is really there.
            assert!(site.exists(&format!("data/{name}.{ext}")));
        }
    }
}

#[test]
fn another_publisher_gets_its_own_catalogue_and_titles_in_every_site_language() {
    let site = other_publisher();
    site.add_nynorsk();
    site.build_ok();
    let ttl = site.read("data/catalog.ttl");
    assert!(ttl.contains("\"Bergen kommune\"@nb"), "{ttl}");
    assert!(ttl.contains("licence/CC_BY_4_0"));
    assert!(ttl.contains("\"Opne data frå Testkommunen\"@nn"));
    for other in ["Trondheim", "942110464", "NLOD"] {
        assert!(!ttl.contains(other), "{other} in {ttl}");
    }
}

#[test]
fn modified_is_the_newest_items_date_not_the_build_time() {
    let site = other_publisher();
    let project = std::fs::read_to_string(site.root().join("content/projects/skolehage.md"));
    site.write(
        "content/projects/skolehage.md",
        &project
            .unwrap()
            .replacen("+++\n", "+++\nupdated = 2040-03-04\n", 1),
    );
    site.build_ok();
    let first = site.read("data/catalog.ttl");
    let g = turtle(&site);
    let modified = format!("{DCT}modified");
    let date = "\"2040-03-04\"^^<http://www.w3.org/2001/XMLSchema#date>";
    let catalog = "https://test.example.no/data/catalog";
    assert_eq!(
        objects(&g, &format!("{catalog}#projects"), &modified),
        [date]
    );
    assert_eq!(objects(&g, catalog, &modified), [date]);

    // Another moment, the same content: the same bytes.
    let mut site = site;
    site.now = "2031-01-01T00:00:00Z".parse().unwrap();
    site.build_ok();
    assert_eq!(site.read("data/catalog.ttl"), first);
}

#[test]
fn a_site_without_open_data_settings_writes_csv_but_no_catalogue() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    assert!(!site.exists("data/catalog.ttl"));
    assert!(!site.exists("data/catalog.jsonld"));
    assert!(site.exists("data/projects.csv"));
}

#[test]
fn a_missing_open_data_key_fails_the_build_naming_it() {
    let site = TestSite::fixture("minimal");
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    let extra = std::fs::read_to_string(repo_root().join("tests/dcat/other-publisher.toml"));
    let without = extra
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("contact_email"))
        .collect::<Vec<_>>()
        .join("\n");
    site.write("site.toml", &format!("{config}{without}\n"));
    let errors = site.build_errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].message, "`[open_data] contact_email` is missing");
    assert_eq!(
        errors[0].help.as_deref(),
        Some("write it like `contact_email = \"postmottak@example.no\"`")
    );
}

/// A CSV file's rows after the header, read with a real CSV reader, the BOM checked.
fn csv_rows(site: &TestSite, name: &str) -> Vec<csv::StringRecord> {
    let text = site.read(&format!("data/{name}.csv"));
    let body = text.strip_prefix('\u{feff}').expect("a BOM for Excel");
    csv::Reader::from_reader(body.as_bytes())
        .records()
        .map(|r| r.expect("a valid CSV row"))
        .collect()
}

/// A spreadsheet cell back to its value: `'` was put before what looks like a formula.
fn unneutralised(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

#[test]
fn csv_files_have_the_json_files_rows() {
    let site = TestSite::sample();
    // A title a spreadsheet would run, with the `;` Norwegian Excel splits on.
    let path = "content/projects/apne-data.md";
    let project = std::fs::read_to_string(site.root().join(path)).unwrap();
    let title = project.lines().find(|l| l.starts_with("title = ")).unwrap();
    site.write(
        path,
        &project.replacen(title, "title = \"=1+1; så dette\"", 1),
    );
    site.build_ok();
    let base = "https://universitetskommunen.example.no";
    for name in ["projects", "events", "calls"] {
        let json: Value = serde_json::from_str(&site.read(&format!("data/{name}.json"))).unwrap();
        let mut expected = Vec::new();
        for item in json[name].as_array().unwrap() {
            for (lang, v) in item["languages"].as_object().unwrap() {
                let url = v["url"].as_str().unwrap();
                let url = if url.starts_with('/') {
                    format!("{base}{url}")
                } else {
                    url.to_string()
                };
                expected.push(vec![
                    item["id"].as_str().unwrap().to_string(),
                    lang.clone(),
                    v["title"].as_str().unwrap().to_string(),
                    url,
                ]);
            }
        }
        let rows: Vec<Vec<String>> = csv_rows(&site, name)
            .iter()
            .map(|r| {
                // id, lang, title, and the url in its column.
                let url = if name == "calls" { 3 } else { 4 };
                [0, 1, 2, url]
                    .iter()
                    .map(|&i| unneutralised(&r[i]).to_string())
                    .collect()
            })
            .collect();
        assert!(!rows.is_empty(), "{name}");
        assert_eq!(rows, expected, "{name}");
    }
    let projects = site.read("data/projects.csv");
    assert!(projects.contains("\"'=1+1; så dette\""), "{projects}");
}

#[test]
fn the_open_data_page_lists_each_dataset_in_both_languages_from_the_footer() {
    let site = TestSite::sample();
    site.build_ok();
    let home = Html::parse(&site.page("/"));
    assert!(
        home.attrs(".site-footer a", "href")
            .contains(&"/apne-data/".to_string())
    );
    let page = Html::parse(&site.page("/apne-data/"));
    assert_eq!(page.texts("h1"), ["Åpne data"]);
    assert_eq!(
        page.texts("main h2"),
        [
            "Prosjekter",
            "Arrangementer",
            "Innspillsrunder",
            "Resultater av innspill",
            "Beskrivelse for datakataloger"
        ]
    );
    // The catalogue's foaf:page links land on the datasets' sections.
    assert_eq!(
        page.attrs("main h2[id]", "id")[..4],
        ["projects", "events", "calls", "results"]
    );
    let links = page.attrs("main a", "href");
    for file in [
        "projects.json",
        "projects.csv",
        "calls.csv",
        "results.json",
        "results.csv",
        "catalog.ttl",
        "catalog.jsonld",
    ] {
        assert!(
            links.contains(&format!("/data/{file}")),
            "{file} in {links:?}"
        );
    }
    assert!(links.contains(
        &"http://publications.europa.eu/resource/authority/licence/NLOD_2_0".to_string()
    ));
    assert_eq!(
        page.attrs("link[rel=alternate][type='text/turtle']", "href"),
        ["/data/catalog.ttl"]
    );
    // Every column of the CSV file is explained, in a table with column headers.
    assert_eq!(page.count("caption"), 4);
    assert_eq!(page.count("th[scope=col]"), 8);
    assert!(
        page.texts("td code")
            .contains(&"registration_url".to_string())
    );

    let en = Html::parse(&site.page("/en/open-data/"));
    assert_eq!(en.texts("h1"), ["Open data"]);
    assert!(en.texts("main h2").contains(&"Calls for input".to_string()));
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("/en/open-data/"), "{sitemap}");
}

#[test]
fn a_site_without_open_data_settings_has_no_open_data_page() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    assert!(!site.exists("apne-data/index.html"));
    let home = Html::parse(&site.page("/"));
    assert!(!home.attrs("a", "href").contains(&"/apne-data/".to_string()));
}

#[test]
fn the_preview_writes_the_csv_and_catalogue_again_when_an_event_changes() {
    let site = other_publisher();
    let server = site.serve();
    let data = site.root().join(".torget/serve/data");
    let path = "content/events/hagedag.md";
    let event = std::fs::read_to_string(site.root().join(path)).unwrap();
    site.write(
        path,
        &event.replacen(
            "title = \"Hagedag\"\n",
            "title = \"Hagedag med dugnad\"\nupdated = 2041-02-03\n",
            1,
        ),
    );
    let started = std::time::Instant::now();
    let read = |file: &str| std::fs::read_to_string(data.join(file)).unwrap_or_default();
    while !(read("events.csv").contains("Hagedag med dugnad")
        && read("catalog.ttl").contains("\"2041-02-03\""))
    {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the preview kept\n{}\n{}",
            read("events.csv"),
            read("catalog.ttl")
        );
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    server.stop();
}
