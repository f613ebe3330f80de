//! The `torget` binary as a content writer and a script run it: what it prints, and its exit
//! status.

use std::process::Output;

use crate::common::TestSite;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn build_quotes_the_broken_line_and_fails() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/projects/ny.md",
        "+++\ntitle = \"S\"\nsummary = \"x\"\nstatus = \"active\"\nstart = 2019-08-01\nareas = [\"nope\"]\n+++\n",
    );
    let out = site.torget(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with(
            "error: unknown area `nope` in `areas`\n \
             --> content/projects/ny.md:6:1\n  \
             |\n\
             6 | areas = [\"nope\"]\n  \
             | ^^^^^\n  \
             |\n  \
             = help: known areas: byutvikling\n"
        ),
        "{err}"
    );
    assert!(
        err.ends_with("\nthe site has 1 content error; nothing was published\n"),
        "{err}"
    );
}

#[test]
fn build_succeeds_quietly_but_for_its_summary() {
    let site = TestSite::fixture("minimal");
    let out = site.torget(&["build", "--now", "2026-11-26T11:00:00Z"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("built "), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
}

#[test]
fn build_into_a_folder_it_cannot_make_names_the_folder_and_publishes_nothing() {
    let site = TestSite::fixture("minimal");
    // A file where the output folder's parent must be: even root cannot make a folder there.
    site.write("taken", "a file");
    let out = site.torget(&["build", "--out", "taken/public", "--now", NOW]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("cannot create folder taken"), "{err}");
    assert!(site.root().join("taken").is_file());
}

const NOW: &str = "2026-11-26T11:00:00Z";

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn check_passes_a_good_site_with_exit_status_0() {
    let site = TestSite::fixture("minimal");
    let out = site.torget(&["check", "--now", NOW]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "checked 11 content files: no problems\n");
}

#[test]
fn check_fails_on_errors_and_shows_the_line() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/om.md",
        "+++\ntitle = \"Om\"\nsummary = \"x\"\n+++\nSe [hagen](/prosjekter/hagen/).\n",
    );
    let out = site.torget(&["check", "--now", NOW]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: the link `/prosjekter/hagen/` leads to no page or file of this site\n \
         --> content/om.md:5:4\n  \
         |\n\
         5 | Se [hagen](/prosjekter/hagen/).\n  \
         |    ^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  \
         |\n  \
         = help: link to content with `@/` and its path under content/, e.g. `@/projects/x.md`: \
         Torget then finds its address in every language; files go in static/\n\
         \n\
         checked 11 content files: 1 error\n"
    );
}

#[test]
fn warnings_fail_the_check_only_when_denied_and_notes_never() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/om.md",
        "+++\ntitle = \"Om\"\nsummary = \"x\"\n+++\n[Les mer](/om/).\n",
    );
    // Two days before `hagen` closes: a note as well as the warning.
    let now = "2029-12-30T00:00:00Z";
    let out = site.torget(&["check", "--now", now]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).ends_with("checked 11 content files: 1 warning and 1 note\n"),
        "{}",
        stderr(&out)
    );
    let out = site.torget(&["check", "--now", now, "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .ends_with("checked 11 content files: 1 warning and 1 note (warnings denied)\n"),
        "{}",
        stderr(&out)
    );
    site.write(
        "content/om.md",
        "+++\ntitle = \"Om\"\nsummary = \"x\"\n+++\n[Om oss](/om/).\n",
    );
    let out = site.torget(&["check", "--now", now, "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn check_speaks_json_to_scripts() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/om.md",
        "+++\ntitle = \"Om\"\nsummary = \"x\"\n+++\n[Klikk her](/om/) og ![](/borte.png)\n",
    );
    let out = site.torget(&["check", "--now", NOW, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["files"], 11);
    assert_eq!(report["errors"], 2);
    assert_eq!(report["warnings"], 1);
    assert_eq!(report["notes"], 0);
    let first = &report["diagnostics"][0];
    assert_eq!(first["severity"], "warning");
    assert_eq!(first["path"], "content/om.md");
    assert_eq!(first["line"], 5);
    assert_eq!(first["column"], 1);
    assert_eq!(
        first["message"],
        "the link text `Klikk her` does not say where it leads"
    );
    assert!(first["help"].as_str().unwrap().contains("klikk her"));
}

#[test]
fn a_broken_site_toml_is_reported_by_check() {
    let site = TestSite::fixture("minimal");
    site.write("site.toml", "titel = \"x\"\n");
    let out = site.torget(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["errors"], 1);
    assert_eq!(report["diagnostics"][0]["path"], "site.toml");
}

/// Most of the sample's translations were marked by earlier versions of Torget: a hash that
/// changed for the same text (keys hashed in another order, a key added to the hash even when
/// unset) would make all of them stale at once.
#[test]
fn the_samples_marked_translations_stay_current() {
    let site = TestSite::sample();
    let out = site.torget(&["translation", "status"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(" 0 stale, 0 untracked, "),
        "{}",
        stdout(&out)
    );
}

#[test]
fn translation_status_lists_missing_stale_and_untracked_translations() {
    let site = TestSite::fixture("minimal");
    let out = site.torget(&["translation", "status"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "missing: write these files (`torget new <kind> \"<title>\" --lang <lang> --name <name>` starts one)\n  \
         en  content/om.en.md  (from content/om.md)\n\
         \n\
         untracked: no `translation_of`; run `torget translation mark <file>` on those that are up to date\n  \
         en  content/areas/byutvikling.en.md\n  \
         en  content/calls/hagen.en.md\n  \
         en  content/events/hagedag.en.md\n  \
         en  content/projects/skolehage.en.md\n\
         \n\
         1 missing, 0 stale, 4 untracked, 0 up to date\n"
    );

    let out = site.torget(&["translation", "mark", "content/calls/hagen.en.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with(
            "marked content/calls/hagen.en.md as translated from content/calls/hagen.md ("
        ),
        "{}",
        stdout(&out)
    );
    let marked = std::fs::read_to_string(site.root().join("content/calls/hagen.en.md")).unwrap();
    assert!(marked.contains("\ntranslation_of = \""), "{marked}");

    let status = |site: &TestSite| {
        let out = site.torget(&["translation", "status", "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let report = json(&out);
        report["translations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["file"] == "content/calls/hagen.en.md")
            .unwrap()["state"]
            .clone()
    };
    assert_eq!(status(&site), "current");
    let nb = std::fs::read_to_string(site.root().join("content/calls/hagen.md")).unwrap();
    site.write(
        "content/calls/hagen.md",
        &nb.replace("Hvorfor?", "Hvorfor det?"),
    );
    assert_eq!(status(&site), "stale");
    // Marking again after updating it records the new source.
    let out = site.torget(&["translation", "mark", "content/calls/hagen.en.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(status(&site), "current");
    let again = std::fs::read_to_string(site.root().join("content/calls/hagen.en.md")).unwrap();
    assert_eq!(again.matches("translation_of").count(), 1, "{again}");
}

#[test]
fn translation_mark_refuses_a_source_file() {
    let site = TestSite::fixture("minimal");
    let out = site.torget(&["translation", "mark", "content/calls/hagen.md"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: content/calls/hagen.md: this is the file translations are made from; mark its translations instead\n"
    );
}

#[test]
fn translation_mark_on_a_section_file_says_what_it_does_there() {
    // It used to say "not a content file of this site, or it has errors" of a file that was
    // both a content file and free of errors.
    let site = TestSite::fixture("minimal");
    let before = std::fs::read_to_string(site.root().join("content/_index.en.md")).unwrap();
    let out = site.torget(&["translation", "mark", "content/_index.en.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "content/_index.en.md: a section's `_index` file has no `translation_of`, so there is \
         nothing to mark; torget does not track whether it is up to date, so when the default \
         language's `_index` file changes, compare the two yourself\n"
    );
    let out = site.torget_in("nb", &["translation", "mark", "content/_index.en.md"]);
    assert!(
        stdout(&out).starts_with(
            "content/_index.en.md: en seksjons `_index`-fil har ingen `translation_of`, så det er ingenting å merke;"
        ),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("content/_index.en.md")).unwrap(),
        before
    );
}

/// HTML pages are minified only when asked; the theme's CSS always is, unless the build asks
/// for readable output.
#[test]
fn pages_are_minified_only_when_asked() {
    let site = TestSite::fixture("minimal");
    let home = |site: &TestSite| site.read("index.html");
    let css = |site: &TestSite| {
        let dir = site.out();
        let name = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .find(|n| n.starts_with("style.") && n.ends_with(".css"))
            .expect("a stylesheet");
        std::fs::read_to_string(dir.join(name)).unwrap()
    };

    assert!(site.torget(&["build", "--no-search"]).status.success());
    let (plain_home, default_css) = (home(&site), css(&site));
    assert!(
        plain_home.contains("\n  "),
        "an unminified page keeps its indentation"
    );
    assert!(!default_css.contains("\n  "), "the stylesheet is minified");

    assert!(
        site.torget(&["build", "--no-search", "--minify"])
            .status
            .success()
    );
    let minified = home(&site);
    assert!(
        minified.len() < plain_home.len() * 95 / 100,
        "--minify makes pages smaller"
    );
    assert!(!minified.contains("\n  "));

    site.write(
        "site.toml",
        &std::fs::read_to_string(site.root().join("site.toml"))
            .unwrap()
            .replacen("[languages", "minify = true\n\n[languages", 1),
    );
    assert!(site.torget(&["build", "--no-search"]).status.success());
    assert_eq!(
        home(&site),
        minified,
        "minify = true in site.toml does the same"
    );

    assert!(
        site.torget(&["build", "--no-search", "--no-minify"])
            .status
            .success()
    );
    assert!(
        home(&site).contains("\n  "),
        "--no-minify wins over site.toml"
    );
    assert!(
        css(&site).len() > default_css.len(),
        "--no-minify leaves CSS readable"
    );
}

#[test]
fn build_and_check_speak_the_writers_language_and_json_stays_english() {
    let site = TestSite::fixture("minimal");
    let project = std::fs::read_to_string(site.root().join("content/projects/skolehage.md"))
        .unwrap()
        .replace("areas = [\"byutvikling\"]", "areas = [\"byutvikl\"]");
    site.write("content/projects/skolehage.md", &project);

    let out = site.torget_in("nb", &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "feil: ukjent område `byutvikl` i `areas`\n \
         --> content/projects/skolehage.md:4:1\n  \
         |\n\
         4 | areas = [\"byutvikl\"]\n  \
         | ^^^^^\n  \
         |\n  \
         = hjelp: kjente områder: byutvikling\n\
         \n\
         nettstedet har 1 feil i innholdet; ingenting ble publisert\n"
    );
    let out = site.torget(&["build"]);
    assert!(
        stderr(&out).starts_with("error: unknown area `byutvikl` in `areas`\n"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).ends_with("\nthe site has 1 content error; nothing was published\n"),
        "{}",
        stderr(&out)
    );

    let out = site.torget_in("nb", &["check", "--format", "json"]);
    let report = json(&out);
    let d = &report["diagnostics"][0];
    assert_eq!(d["code"], "items-unknown-area");
    assert_eq!(d["message"], "unknown area `byutvikl` in `areas`");
    assert_eq!(d["help"], "known areas: byutvikling");
    let out = site.torget_in("nb", &["check"]);
    assert!(
        stderr(&out).ends_with(": 1 feil\n") && stderr(&out).contains("\nsjekket "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn site_toml_markdown_and_results_problems_speak_the_writers_language_too() {
    // Once only the content's keys were in Norwegian: site.toml, the text's own links and a
    // call's results file answered a Norwegian writer in English.
    let site = TestSite::fixture("minimal");
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &format!("timezone = \"Europe/Trondhjem\"\n{config}"),
    );
    let out = site.torget_in("nb", &["check"]);
    assert!(
        stderr(&out).contains("feil: ukjent tidssone `Europe/Trondhjem`")
            && stderr(&out).contains("hjelp: bruk et navn fra tidssonelisten"),
        "{}",
        stderr(&out)
    );
    site.write("site.toml", &config);

    let project =
        std::fs::read_to_string(site.root().join("content/projects/skolehage.md")).unwrap();
    site.write(
        "content/projects/skolehage.md",
        &format!("{project}\nSe [planen](@/projects/planen.md).\n"),
    );
    site.write("content/calls/hagen.results.json", "{\"format\": 1,");
    let out = site.torget_in("nb", &["check", "--format", "json"]);
    let codes: Vec<String> = json(&out)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("(none)").to_string())
        .collect();
    assert!(
        codes.contains(&"links-no-content-file".to_string()),
        "{codes:?}"
    );
    assert!(
        codes.contains(&"results-unreadable".to_string()),
        "{codes:?}"
    );
    let out = site.torget_in("nb", &["check"]);
    let said = stderr(&out);
    assert!(
        said.contains("feil: lenken `@/projects/planen.md` peker ikke til noen innholdsfil"),
        "{said}"
    );
    assert!(
        said.contains("feil: denne resultatfila kan ikke leses: "),
        "{said}"
    );
}
