//! Published results, end to end on the site side: `torget results pull` against a small server
//! that answers as the endpoint's `GET /api/calls/{id}/results` does, then the build showing
//! "What we heard" and "What we did" in both languages, the project that came from the call,
//! the results page, the home page, the feed and the open data.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use crate::common::{Html, TestSite};
use torget::results_json::ResultsFile;

/// A closed call (March 2026) with a choice question, a free-text one and an outcome naming the
/// minimal fixture's project.
const BENKER: &str = "+++\ntitle = \"Benker i hagen\"\nsummary = \"Hvor skal benkene stå?\"\n\
    opens = 2026-03-01T00:00:00\ncloses = 2026-04-01T00:00:00\nareas = [\"byutvikling\"]\n\n\
    [[questions]]\nid = \"sted\"\nkind = \"choice\"\nlabel = \"Hvor?\"\noptions = [\"Ved porten\", \"Ved dammen\"]\n\n\
    [[questions]]\nid = \"hvorfor\"\nkind = \"longtext\"\nlabel = \"Hvorfor?\"\n\n\
    [outcome]\ndate = 2026-06-01\ntext = \"Vi setter opp fire benker ved dammen.\"\nprojects = [\"skolehage\"]\n\
    +++\nSi hvor benkene skal stå.\n";

const BENKER_EN: &str = "+++\ntitle = \"Benches in the garden\"\nsummary = \"Where should the benches go?\"\n\
    slug = \"benches\"\n\n\
    [[questions]]\nid = \"sted\"\nkind = \"choice\"\nlabel = \"Where?\"\noptions = [\"By the gate\", \"By the pond\"]\n\n\
    [[questions]]\nid = \"hvorfor\"\nkind = \"longtext\"\nlabel = \"Why?\"\n\n\
    [outcome]\ntext = \"We are putting up four benches by the pond.\"\n+++\nSay where the benches should go.\n";

const PUBLISHED: &str = r#"{"format": 1, "call": "benker", "published": "2026-04-10T10:00:00Z", "responses": 40,
 "questions": [{"id": "sted", "counts": {"Ved porten": 12, "Ved dammen": 28}}],
 "themes": [{"label": {"nb": "Skygge", "en": "Shade"}, "count": 9,
             "quotes": [{"lang": "nb", "text": "Trær over benkene."}]}]}"#;

fn site_with_closed_call() -> TestSite {
    let site = TestSite::fixture("minimal");
    site.write("content/calls/benker.md", BENKER);
    site.write("content/calls/benker.en.md", BENKER_EN);
    site
}

/// One canned answer: status line, content type and body for a path.
type Route = (&'static str, &'static str, &'static str, String);

/// A server on a free port that answers each path in `routes` as given, and 404 otherwise;
/// returns its address. It runs until the test process ends.
fn endpoint(routes: Vec<Route>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            reader.read_line(&mut request).unwrap();
            // The headers, up to the blank line.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (status, kind, body) = routes
                .iter()
                .find(|(p, ..)| *p == path)
                .map(|(_, s, k, b)| (*s, *k, b.clone()))
                .unwrap_or((
                    "404 Not Found",
                    "application/json",
                    "{\"error\":\"not_published\"}".into(),
                ));
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-type: {kind}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}")
}

fn published(body: &str) -> String {
    endpoint(vec![(
        "/api/calls/benker/results",
        "200 OK",
        "application/json",
        body.to_string(),
    )])
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

#[test]
fn pull_writes_the_published_results_once_and_the_build_shows_them() {
    let site = site_with_closed_call();
    let url = published(PUBLISHED);
    let out = site.torget(&["results", "pull", "--endpoint", &url]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "wrote content/calls/benker.results.json\nhagen: not published, skipped\n"
    );
    let written =
        std::fs::read_to_string(site.root().join("content/calls/benker.results.json")).unwrap();
    assert_eq!(written, ResultsFile::parse(PUBLISHED).unwrap().to_json());

    // Pulled again, the same snapshot leaves the file alone.
    let again = site.torget(&["results", "pull", "--endpoint", &url, "--call", "benker"]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(
        text(&again.stdout),
        "content/calls/benker.results.json: unchanged\n"
    );

    site.build_ok();
    let nb = Html::parse(&site.page("/innspill/benker/"));
    assert_eq!(nb.texts("#h-heard"), ["Hva vi hørte"]);
    assert_eq!(
        nb.texts(".chart-table tbody th"),
        ["Ved porten", "Ved dammen"]
    );
    assert_eq!(
        nb.texts(".chart-table tbody td"),
        ["12", "30 %", "28", "70 %"]
    );
    assert_eq!(nb.texts(".chart-table caption"), ["Hvor?"]);
    assert_eq!(nb.attrs("svg.chart", "aria-hidden"), ["true"]);
    assert_eq!(nb.texts(".theme-label"), ["Skygge Tatt opp i 9 svar"]);
    assert_eq!(nb.texts("#h-did"), ["Hva vi gjorde"]);
    assert_eq!(
        nb.texts(".outcome .prose"),
        ["Vi setter opp fire benker ved dammen."]
    );
    assert_eq!(
        nb.attrs(".outcome li a", "href"),
        ["/prosjekter/skolehage/"]
    );
}

#[test]
fn the_english_page_shows_the_options_and_themes_in_english_and_marks_norwegian_quotes() {
    let site = site_with_closed_call();
    site.write("content/calls/benker.results.json", PUBLISHED);
    site.build_ok();
    let en = Html::parse(&site.page("/en/calls/benches/"));
    assert_eq!(en.texts("#h-heard"), ["What we heard"]);
    assert_eq!(
        en.texts(".chart-table tbody th"),
        ["By the gate", "By the pond"]
    );
    assert_eq!(en.texts(".theme-label strong"), ["Shade"]);
    assert_eq!(en.attrs("blockquote.quote", "lang"), ["nb"]);
    assert_eq!(
        en.texts(".outcome .prose"),
        ["We are putting up four benches by the pond."]
    );
    // The call's results and outcome are not repeated as a form: it is closed.
    assert_eq!(en.count("form.answer-form"), 0);
}

#[test]
fn the_project_the_results_and_home_pages_the_feed_and_open_data_show_the_outcome() {
    let site = site_with_closed_call();
    site.write("content/calls/benker.results.json", PUBLISHED);
    site.build_ok();
    let project = Html::parse(&site.page("/prosjekter/skolehage/"));
    assert_eq!(
        project.attrs("#h-came-from + p + ul a", "href"),
        ["/innspill/benker/#h-did"]
    );
    let results = Html::parse(&site.page("/resultater/"));
    assert_eq!(results.texts("h1"), ["Resultater"]);
    assert_eq!(results.texts(".card-outcome h2"), ["Benker i hagen"]);
    assert_eq!(
        results.texts(".card-outcome .card-summary"),
        ["Vi setter opp fire benker ved dammen."]
    );
    let home = Html::parse(&site.page("/en/"));
    assert_eq!(home.texts("#h-outcomes"), ["What we did with your input"]);
    assert_eq!(
        home.attrs(".card-outcome a", "href"),
        ["/en/calls/benches/#h-did"]
    );
    let feed = site.read("/en/atom.xml");
    assert!(
        feed.contains("<title>What we did: Benches in the garden</title>"),
        "{feed}"
    );
    assert!(
        feed.contains("<updated>2026-06-01T00:00:00+00:00</updated>"),
        "{feed}"
    );
    let data: serde_json::Value = serde_json::from_str(&site.read("/data/results.json")).unwrap();
    assert_eq!(data["results"][0]["id"], "benker");
    assert_eq!(data["results"][0]["responses"], 40);
    assert_eq!(
        data["results"][0]["questions"][0]["counts"]["Ved dammen"],
        28
    );
    assert_eq!(
        data["results"][0]["languages"]["en"]["outcome"],
        "We are putting up four benches by the pond."
    );
    let csv = site.read("/data/results.csv");
    assert!(
        csv.contains(
            "benker,en,Benches in the garden,https://test.example.no/en/calls/benches/,40,"
        ),
        "{csv}"
    );
}

#[test]
fn a_closed_call_without_results_says_when_they_are_expected() {
    let site = site_with_closed_call();
    site.write(
        "content/calls/benker.md",
        &BENKER.replace("areas = [", "results_expected = 2026-12-15\nareas = ["),
    );
    site.build_ok();
    let nb = Html::parse(&site.page("/innspill/benker/"));
    assert_eq!(
        nb.texts(".results .notice"),
        ["Resultatene ventes publisert innen 15. desember 2026."]
    );
    assert_eq!(nb.count(".chart"), 0);
}

#[test]
fn a_build_refuses_results_of_a_call_still_open() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/calls/hagen.results.json",
        &PUBLISHED
            .replace("\"benker\"", "\"hagen\"")
            .replace("\"sted\"", "\"plante\"")
            .replace("Ved porten", "Epler")
            .replace("Ved dammen", "Poteter"),
    );
    let errors = site.build_errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        errors[0].path,
        std::path::Path::new("content/calls/hagen.results.json")
    );
    assert!(
        errors[0]
            .message
            .starts_with("results of a call that is not closed yet: it closes 2030-01-01"),
        "{}",
        errors[0].message
    );
}

#[test]
fn pull_refuses_answers_that_are_not_results_of_the_call_and_writes_nothing() {
    let site = site_with_closed_call();
    for (body, says) in [
        (
            "<html>Sign in</html>".to_string(),
            "did not answer with results this call can show: is not a results file: ",
        ),
        (
            r#"{"format": 2, "call": "benker"}"#.to_string(),
            "results format 2, but this torget reads format 1",
        ),
        (
            PUBLISHED.replace("Ved porten", "Ved elva"),
            "unknown option `Ved elva` of question `sted`",
        ),
        (
            PUBLISHED.replace("\"sted\"", "\"hvorfor\""),
            "question `hvorfor` is free text",
        ),
    ] {
        let out = site.torget(&[
            "results",
            "pull",
            "--endpoint",
            &published(&body),
            "--call",
            "benker",
        ]);
        assert!(!out.status.success());
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("error: benker: http://127.0.0.1:"),
            "{stderr}"
        );
        assert!(stderr.contains(says), "{says}: {stderr}");
        assert!(
            !site
                .root()
                .join("content/calls/benker.results.json")
                .exists()
        );
    }
}

#[test]
fn pull_says_when_the_endpoint_cannot_be_reached_or_the_call_is_unknown() {
    let site = site_with_closed_call();
    // A port nothing listens on: bound, then closed.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = site.torget(&[
        "results",
        "pull",
        "--endpoint",
        &format!("http://127.0.0.1:{port}"),
        "--call",
        "benker",
    ]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "cannot reach http://127.0.0.1:{port}/api/calls/benker/results"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("is the feedback endpoint running there?"),
        "{stderr}"
    );

    let out = site.torget(&[
        "results",
        "pull",
        "--endpoint",
        "http://127.0.0.1:9",
        "--call",
        "benkene",
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("the site has no call `benkene` (its calls: benker, hagen)"),
        "{}",
        text(&out.stderr)
    );
}

/// The call page's "What we heard" and "What we did", as built (unminified).
fn results_part(page: &str) -> String {
    let start = page
        .find("<section class=\"results\"")
        .expect("the page has results");
    let end = page[start..]
        .find("<section class=\"answer\"")
        .map_or(page.len(), |i| start + i);
    page[start..end].trim().to_string()
}

#[test]
fn the_results_part_of_a_call_page_in_both_languages() {
    let site = site_with_closed_call();
    site.write("content/calls/benker.results.json", PUBLISHED);
    site.build_ok();
    insta::assert_snapshot!("results_nb", results_part(&site.page("/innspill/benker/")));
    insta::assert_snapshot!("results_en", results_part(&site.page("/en/calls/benches/")));
}
