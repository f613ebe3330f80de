//! `torget new`: every kind of file it writes builds, names come from titles, nothing is
//! overwritten, and a translation keeps the structure of its source.

use std::process::Output;

use crate::common::TestSite;
use torget::site;

#[track_caller]
fn ok(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn read(site: &TestSite, rel: &str) -> String {
    std::fs::read_to_string(site.root().join(rel)).unwrap()
}

/// Builds with drafts: new files are drafts.
#[track_caller]
fn builds_with_drafts(site: &TestSite) {
    let mut opts = site.options();
    opts.drafts = true;
    if let Err(e) = site::build(&opts) {
        panic!("build failed: {e:#}");
    }
}

#[test]
fn each_kind_is_written_where_it_belongs_and_builds() {
    let site = TestSite::fixture("minimal");
    let cases = [
        (
            vec!["project", "Ny sykkelvei på Øya"],
            "content/projects/ny-sykkelvei-pa-oya.md",
            "/prosjekter/ny-sykkelvei-pa-oya/",
        ),
        (
            vec!["event", "Åpent møte", "--area", "byutvikling"],
            "content/events/apent-mote.md",
            "/arrangementer/apent-mote/",
        ),
        (
            vec!["call", "Hva mener du?"],
            "content/calls/hva-mener-du.md",
            "/innspill/hva-mener-du/",
        ),
        (
            vec!["page", "Kontakt oss"],
            "content/kontakt-oss.md",
            "/kontakt-oss/",
        ),
        (
            vec!["page", "Nytt bygg", "--section", "nyheter"],
            "content/nyheter/nytt-bygg.md",
            "/nyheter/nytt-bygg/",
        ),
        (
            vec!["project", "Bike paths", "--lang", "en"],
            "content/projects/bike-paths.en.md",
            "/en/projects/bike-paths/",
        ),
    ];
    for (args, file, _) in &cases {
        let mut all = vec!["new"];
        all.extend(args);
        let out = ok(&site.torget(&all));
        assert!(out.starts_with(&format!("created {file}\n")), "{out}");
        let text = read(&site, file);
        assert!(text.contains("\ndraft = true\n"), "{text}");
    }
    // Drafts are left out of a normal build, and published with --drafts.
    site.build_ok();
    assert!(!site.exists(&torget::content::urls::page_path(
        "/prosjekter/ny-sykkelvei-pa-oya/"
    )));
    builds_with_drafts(&site);
    for (_, _, url) in &cases {
        assert!(site.exists(&torget::content::urls::page_path(url)), "{url}");
    }
    let project = read(&site, "content/projects/ny-sykkelvei-pa-oya.md");
    assert!(
        project.contains("\ntitle = \"Ny sykkelvei på Øya\"\n"),
        "{project}"
    );
    assert!(
        project.contains("\nareas = [\"byutvikling\"]\n"),
        "{project}"
    );
    let event = read(&site, "content/events/apent-mote.md");
    assert!(event.contains("\nareas = [\"byutvikling\"]\n"), "{event}");
    // Known projects are named in the note, drafts too (the new project above is one).
    assert!(
        event.contains("\n# project = \"ny-sykkelvei-pa-oya\"\n"),
        "{event}"
    );
}

#[test]
fn every_key_has_a_note_and_only_placeholders_are_left_to_check() {
    let site = TestSite::fixture("minimal");
    ok(&site.torget(&["new", "call", "Hva mener du?"]));
    let text = read(&site, "content/calls/hva-mener-du.md");
    let front = text.trim_end().trim_end_matches("+++");
    let lines: Vec<&str> = front.lines().skip(1).collect();
    let is_key = |l: &str| !l.starts_with('#') && l.contains(" = ");
    for (i, line) in lines.iter().enumerate() {
        // The keys of a question are explained together above `[[questions]]`.
        if !is_key(line) || lines[..i].contains(&"[[questions]]") {
            continue;
        }
        // Keys that go together (`opens` and `closes`) share one note.
        let above = lines[..i].iter().rev().find(|l| !is_key(l));
        assert!(
            above.is_some_and(|l| l.starts_with('#')),
            "no note above `{line}`:\n{text}"
        );
    }
    // Published as it is, the file builds, and check points at what to write.
    site.write(
        "content/calls/hva-mener-du.md",
        &text.replace("draft = true\n", ""),
    );
    site.build_ok();
    let out = site.torget(&["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors"], 0, "{report:#}");
    let messages: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "warning")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "the placeholder `…` is still here",
            "the placeholder `…` is still here"
        ]
    );
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let site = TestSite::fixture("minimal");
    let before = read(&site, "content/om.md");
    let out = site.torget(&["new", "page", "Om"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: content/om.md already exists; torget new never overwrites a file\n"
    );
    assert_eq!(read(&site, "content/om.md"), before);

    ok(&site.torget(&["new", "page", "Ny side"]));
    let out = site.torget(&["new", "page", "Ny side"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_translation_copies_the_structure_of_its_source() {
    let site = TestSite::fixture("minimal");
    site.remove("content/calls/hagen.en.md");
    let out = ok(&site.torget(&[
        "new",
        "call",
        "What shall we plant?",
        "--lang",
        "en",
        "--name",
        "hagen",
    ]));
    assert!(
        out.starts_with("created content/calls/hagen.en.md\n"),
        "{out}"
    );
    let text = read(&site, "content/calls/hagen.en.md");
    for line in [
        "title = \"What shall we plant?\"\n",
        "summary = \"Si hva du vil ha i hagen.\" # TRANSLATE\n",
        "slug = \"what-shall-we-plant\"\n",
        "[[questions]]\nid = \"plante\"\nkind = \"choice\"\nlabel = \"Hva vil du plante?\" # TRANSLATE\n\
         options = [\"Epler\", \"Poteter\"] # TRANSLATE\nrequired = true\n",
        "[[questions]]\nid = \"viktig\"\nkind = \"scale\"\nlabel = \"Hvor viktig er hagen?\" # TRANSLATE\nmin = 1\nmax = 5\n",
    ] {
        assert!(text.contains(line), "{line}\n---\n{text}");
    }
    assert!(text.ends_with("+++\nSvar innen fristen.\n"), "{text}");
    // Shared settings are not repeated: they come from the source.
    assert!(!text.contains("opens ="), "{text}");
    builds_with_drafts(&site);

    // It records what it was made from, so it is current until the source changes.
    let status = ok(&site.torget(&["translation", "status", "--drafts", "--format", "json"]));
    let report: serde_json::Value = serde_json::from_slice(status.as_bytes()).unwrap();
    let hagen = report["translations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["file"] == "content/calls/hagen.en.md")
        .unwrap();
    assert_eq!(hagen["state"], "current");

    // Check points at everything still to translate.
    let out = site.torget(&["check", "--drafts", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let to_translate = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == "content/calls/hagen.en.md")
        .count();
    // summary, three labels, the options, and the text below the front matter.
    assert_eq!(to_translate, 6, "{report:#}");
}

#[test]
fn an_event_translation_offers_its_location_to_translate() {
    let site = TestSite::fixture("minimal");
    site.remove("content/events/hagedag.en.md");
    ok(&site.torget(&[
        "new",
        "event",
        "Garden day",
        "--lang",
        "en",
        "--name",
        "hagedag",
    ]));
    let text = read(&site, "content/events/hagedag.en.md");
    assert!(
        text.contains("\nlocation = { name = \"Skolen\", address = \"Skoleveien 1, Trondheim\" } # TRANSLATE\n"),
        "{text}"
    );
    assert!(!text.contains("start ="), "{text}");
    builds_with_drafts(&site);
}

#[test]
fn wrong_arguments_are_refused_with_what_to_do() {
    let site = TestSite::fixture("minimal");
    let err = |args: &[&str]| {
        let out = site.torget(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert_eq!(
        err(&["new", "event", "X", "--area", "miljo"]),
        "error: unknown area `miljo`; the areas are byutvikling\n"
    );
    assert_eq!(
        err(&["new", "page", "X", "--lang", "de"]),
        "error: `de` is not a language of this site (it has nb, en); add `[languages.de]` to site.toml first\n"
    );
    assert_eq!(
        err(&["new", "page", "???"]),
        "error: cannot make a file name from the title \"???\"; give one with `--name`\n"
    );
    assert_eq!(
        err(&["new", "project", "X", "--section", "nyheter"]),
        "error: `--section` is only for pages\n"
    );
    assert_eq!(
        err(&[
            "new",
            "project",
            "Skolehage",
            "--lang",
            "en",
            "--name",
            "skolehage"
        ]),
        "error: content/projects/skolehage.en.md already exists; torget new never overwrites a file\n"
    );
}

#[test]
fn new_prints_where_the_preview_shows_the_page_in_the_writers_language() {
    // It used to say "see it with `torget build --drafts`" to a writer running `torget serve`.
    let site = TestSite::fixture("minimal");
    let out = ok(&site.torget(&["new", "event", "Åpent møte"]));
    assert_eq!(
        out,
        "created content/events/apent-mote.md\n  \
         It is a draft: you see it in the preview, `torget serve`, at \
         http://127.0.0.1:1111/arrangementer/apent-mote/\n  \
         Check it with `torget check --drafts`, and delete the line `draft = true` to publish it.\n"
    );
    let out = ok(&site.torget_in("nb", &["new", "page", "Om parken", "--section", "nyheter"]));
    assert_eq!(
        out,
        "opprettet content/nyheter/om-parken.md\n  \
         Det er et utkast: du ser det i forhåndsvisningen, `torget serve`, på \
         http://127.0.0.1:1111/nyheter/om-parken/\n  \
         Sjekk det med `torget check --drafts`, og slett linja `draft = true` for å publisere det.\n"
    );
    let refused = site.torget_in("nb", &["new", "page", "Om parken", "--section", "nyheter"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains(
            "content/nyheter/om-parken.md finnes allerede; torget new skriver aldri over en fil"
        ),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

#[test]
fn a_new_call_is_open_from_today_for_thirty_days() {
    let site = TestSite::fixture("minimal");
    ok(&site.torget(&["new", "call", "Hva mener du om parken?"]));
    let text = read(&site, "content/calls/hva-mener-du-om-parken.md");
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::get("Europe/Oslo").unwrap())
        .date();
    let closing = today.checked_add(jiff::ToSpan::days(30_i64)).unwrap();
    assert!(
        text.contains(&format!("\nopens = {today}T00:00:00\n")),
        "{text}"
    );
    assert!(
        text.contains(&format!("\ncloses = {closing}T23:59:00\n")),
        "{text}"
    );
}
