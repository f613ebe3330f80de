//! The live preview's incremental rebuilds against a fresh build: after every edit in [`edits`],
//! the folder `torget serve`'s [`Rebuilder`] keeps up to date must hold exactly what
//! `torget build --no-minify` makes from the same sources, byte for byte. A rebuild that
//! renders too little (a listing left stale after a card's field changed, a file left behind)
//! shows up here as a differing file.
//!
//! Both sides build with the preview's options (`serve::start`): no minifying, asset names
//! without a fingerprint, and the same fixed "now" (the preview's `--now`), so that they may
//! only differ where the rebuild missed something. The search index is left out on both sides
//! (`search: false`): pagefind's files are not compared, and the search page does not depend
//! on whether an index was built.
//!
//! To cover a new feature, add its edit to [`edits`]: what changes, and the files it writes or
//! removes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::TestSite;
use torget::serve::rebuild::Rebuilder;
use torget::site::{self, BuildOptions};

/// One change to a file of the site, as a writer would make it in an editor.
enum Op {
    /// Writes the whole file (creating it and its folders when new).
    Write(&'static str, String),
    /// Replaces the one occurrence of a text in a file.
    Replace(&'static str, &'static str, &'static str),
    Remove(&'static str),
    /// Moves a file, as renaming it in an editor does.
    Rename(&'static str, &'static str),
}

use Op::{Remove, Rename, Replace, Write};

fn write(path: &'static str, text: &str) -> Op {
    Write(path, text.to_string())
}

/// One step of the oracle: a change saved at once (the watcher hands over a burst of paths).
struct Edit {
    what: &'static str,
    ops: Vec<Op>,
    /// The change is a mistake: both the build and the rebuild must fail, and the preview must
    /// keep the last good files.
    mistake: bool,
}

fn edit(what: &'static str, ops: Vec<Op>) -> Edit {
    Edit {
        what,
        ops,
        mistake: false,
    }
}

fn mistake(what: &'static str, ops: Vec<Op>) -> Edit {
    Edit {
        what,
        ops,
        mistake: true,
    }
}

const NEW_EVENT: &str = "+++\ntitle = \"Plantedag\"\nsummary = \"Vi planter epler.\"\nstart = 2031-04-02T10:00:00\nend = 2031-04-02T12:00:00\nlocation = { name = \"Skolen\", address = \"Skoleveien 1\" }\nareas = [\"byutvikling\"]\nproject = \"skolehage\"\n+++\nTa med hansker.\n";

const NEW_AREA: &str =
    "+++\ntitle = \"Natur\"\nsummary = \"Parker og skog.\"\norder = 2\n+++\nOm naturen.\n";

const NEWS_SECTION: &str =
    "+++\ntitle = \"Nyheter\"\nslug = \"nyheter\"\nsummary = \"Nytt fra kommunen.\"\n+++\n";

const NEWS_ONE: &str = "+++\ntitle = \"Hagen åpner\"\nsummary = \"Skolehagen er klar.\"\ndate = 2026-05-01\n+++\nSe [hagen](@/projects/skolehage.md).\n";

const NEWS_TWO: &str =
    "+++\ntitle = \"Epler høstet\"\nsummary = \"Første høst.\"\ndate = 2026-09-01\n+++\nGodt år.\n";

const FOLDER_PROJECT: &str = "+++\ntitle = \"Ny bro\"\nsummary = \"En bro over elva.\"\nareas = [\"byutvikling\"]\nstatus = \"planned\"\nstart = 2030-01-01\n+++\n![Kart over brua](kart.svg)\n";

const ABOUT_EN: &str = "+++\ntitle = \"About us\"\nsummary = \"Now in English too.\"\nmenu = \"main\"\ndate = 2018-01-11\n+++\nThis page is translated.\n";

const CLOSED_CALL: &str = "+++\ntitle = \"Benker i hagen\"\nsummary = \"Hvor skal benkene stå?\"\nopens = 2026-03-01T00:00:00\ncloses = 2026-04-01T00:00:00\nareas = [\"byutvikling\"]\n\n[[questions]]\nid = \"sted\"\nkind = \"choice\"\nlabel = \"Hvor?\"\noptions = [\"Ved porten\", \"Ved dammen\"]\n\n[outcome]\ndate = 2026-06-01\ntext = \"Vi setter opp fire benker ved dammen.\"\nprojects = [\"skolehage\"]\n+++\nSi hvor benkene skal stå.\n";

const CLOSED_CALL_RESULTS: &str = r#"{"format": 1, "call": "benker", "published": "2026-04-10T10:00:00Z", "responses": 40,
 "questions": [{"id": "sted", "counts": {"Ved porten": 12, "Ved dammen": 28}}],
 "themes": [{"label": {"nb": "Skygge"}, "count": 9, "quotes": [{"lang": "nb", "text": "Trær over benkene."}]}]}
"#;

/// The edits, applied in this order to `tests/fixtures/minimal`; each may build on those before.
fn edits() -> Vec<Edit> {
    let page_template = include_str!("../../themes/default/templates/page.html");
    let site_toml = include_str!("../fixtures/minimal/site.toml");
    let event = "content/events/hagedag.md";
    vec![
        edit(
            "an event's title",
            vec![Replace(
                event,
                "title = \"Hagedag\"",
                "title = \"Hagedagen\"",
            )],
        ),
        edit(
            "a project's summary",
            vec![Replace(
                "content/projects/skolehage.md",
                "En hage ved skolen.",
                "En stor hage ved skolen.",
            )],
        ),
        edit(
            "an event's body",
            vec![Replace(event, "Ta med spade.", "Ta med spade og hansker.")],
        ),
        edit(
            "an event's date, from past to upcoming",
            vec![
                Replace(
                    event,
                    "start = 2018-01-11T12:00:00",
                    "start = 2030-05-02T12:00:00",
                ),
                Replace(
                    event,
                    "end = 2018-01-11T14:00:00",
                    "end = 2030-05-02T14:00:00",
                ),
            ],
        ),
        edit(
            "a project's status",
            vec![Replace(
                "content/projects/skolehage.md",
                "status = \"active\"",
                "status = \"completed\"",
            )],
        ),
        edit(
            "a call's question",
            vec![Replace(
                "content/calls/hagen.md",
                "label = \"Hvorfor?\"",
                "label = \"Hvorfor det?\"",
            )],
        ),
        edit(
            "a new area",
            vec![write("content/areas/natur.md", NEW_AREA)],
        ),
        edit(
            "an event moved to another area",
            vec![Replace(
                event,
                "areas = [\"byutvikling\"]",
                "areas = [\"natur\"]",
            )],
        ),
        edit(
            "an area's title",
            vec![Replace(
                "content/areas/natur.md",
                "title = \"Natur\"",
                "title = \"Natur og friluft\"",
            )],
        ),
        edit(
            "a translation's slug",
            vec![Replace(
                "content/calls/hagen.en.md",
                "slug = \"the-garden\"",
                "slug = \"the-school-garden\"",
            )],
        ),
        edit(
            "a new event",
            vec![write("content/events/plantedag.md", NEW_EVENT)],
        ),
        edit(
            "a removed event",
            vec![Remove("content/events/plantedag.md")],
        ),
        edit(
            "a draft published",
            vec![Replace(
                "content/utkast.md",
                "draft = true",
                "draft = false",
            )],
        ),
        edit(
            "a page made a draft again",
            vec![Replace(
                "content/utkast.md",
                "draft = false",
                "draft = true",
            )],
        ),
        edit(
            "an event's translation removed: English listings show the Norwegian card",
            vec![Remove("content/events/hagedag.en.md")],
        ),
        edit(
            "the event's translation back",
            vec![write(
                "content/events/hagedag.en.md",
                include_str!("../fixtures/minimal/content/events/hagedag.en.md"),
            )],
        ),
        edit(
            "a translation added",
            vec![write("content/om.en.md", ABOUT_EN)],
        ),
        edit(
            "a menu page's title",
            vec![Replace(
                "content/om.md",
                "title = \"Om oss\"",
                "title = \"Om kommunen\"",
            )],
        ),
        edit("a translation removed", vec![Remove("content/om.en.md")]),
        edit(
            "a new section with a page",
            vec![
                write("content/nyheter/_index.md", NEWS_SECTION),
                write("content/nyheter/hagen-apner.md", NEWS_ONE),
            ],
        ),
        edit(
            "a second page in the section",
            vec![write("content/nyheter/epler.md", NEWS_TWO)],
        ),
        edit(
            "a section page's date, reordering its listing",
            vec![Replace(
                "content/nyheter/hagen-apner.md",
                "date = 2026-05-01",
                "date = 2026-10-01",
            )],
        ),
        edit(
            "a section page's file renamed",
            vec![Rename(
                "content/nyheter/epler.md",
                "content/nyheter/eplene.md",
            )],
        ),
        edit(
            "a section page's title",
            vec![Replace(
                "content/nyheter/eplene.md",
                "title = \"Epler høstet\"",
                "title = \"Eplene er høstet\"",
            )],
        ),
        edit(
            "a section's title",
            vec![Replace(
                "content/nyheter/_index.md",
                "title = \"Nyheter\"",
                "title = \"Nytt\"",
            )],
        ),
        edit(
            "a folder item with an image",
            vec![
                write("content/projects/bro/index.md", FOLDER_PROJECT),
                write(
                    "content/projects/bro/kart.svg",
                    "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
                ),
            ],
        ),
        edit(
            "a folder item's image changed",
            vec![write(
                "content/projects/bro/kart.svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\"/>\n",
            )],
        ),
        edit(
            "an event's project removed",
            vec![Replace(event, "project = \"skolehage\"\n", "")],
        ),
        edit(
            "a call's deadline passed",
            vec![Replace(
                "content/calls/hagen.md",
                "closes = 2030-01-01T00:00:00",
                "closes = 2021-01-01T00:00:00",
            )],
        ),
        edit(
            "a translation's title only",
            vec![Replace(
                "content/calls/hagen.en.md",
                "title = \"What shall we plant?\"",
                "title = \"What should we plant?\"",
            )],
        ),
        edit(
            "a linked item's slug: bodies linking to it change",
            vec![Replace(
                "content/projects/skolehage.en.md",
                "slug = \"school-garden\"",
                "slug = \"the-school-garden\"",
            )],
        ),
        edit(
            "a section page's updated date",
            vec![Replace(
                "content/nyheter/eplene.md",
                "date = 2026-09-01",
                "date = 2026-09-01\nupdated = 2026-11-01",
            )],
        ),
        edit(
            "a page put in the footer",
            vec![Replace(
                "content/utkast.md",
                "draft = true",
                "draft = false\nmenu = \"footer\"",
            )],
        ),
        edit(
            "a page taken out of the footer",
            vec![Replace("content/utkast.md", "menu = \"footer\"\n", "")],
        ),
        edit(
            "the home page's text",
            vec![Replace("content/_index.md", "Velkommen.", "Velkommen hit.")],
        ),
        edit(
            "a section's English text added",
            vec![write(
                "content/nyheter/_index.en.md",
                "+++\ntitle = \"News\"\nslug = \"news\"\nsummary = \"News from the municipality.\"\n+++\n",
            )],
        ),
        edit(
            "a folder item's slug: its image moves with it",
            vec![Replace(
                "content/projects/bro/index.md",
                "title = \"Ny bro\"",
                "title = \"Ny bro\"\nslug = \"brua\"",
            )],
        ),
        edit(
            "a listed page made a draft",
            vec![Replace(
                "content/nyheter/hagen-apner.md",
                "date = 2026-10-01",
                "date = 2026-10-01\ndraft = true",
            )],
        ),
        edit(
            "the page published again",
            vec![Replace(
                "content/nyheter/hagen-apner.md",
                "draft = true\n",
                "",
            )],
        ),
        edit(
            "a folder item's image removed",
            vec![
                Replace(
                    "content/projects/bro/index.md",
                    "![Kart over brua](kart.svg)\n",
                    "Ingen kart.\n",
                ),
                Remove("content/projects/bro/kart.svg"),
            ],
        ),
        edit(
            "a folder item removed",
            vec![Remove("content/projects/bro/index.md")],
        ),
        mistake(
            "a mistake in front matter",
            vec![Replace(event, "title = \"Hagedagen\"", "title = Hagedagen")],
        ),
        edit(
            "the mistake fixed",
            vec![Replace(event, "title = Hagedagen", "title = \"Hagedagen\"")],
        ),
        mistake(
            "a new file with a mistake",
            vec![write("content/events/feil.md", "+++\ntitle = \"Feil\"\n")],
        ),
        edit(
            "the file with the mistake removed",
            vec![Remove("content/events/feil.md")],
        ),
        mistake(
            "a mistake in site.toml",
            vec![Replace(
                "site.toml",
                "default_language = \"nb\"",
                "default_langauge = \"nb\"",
            )],
        ),
        edit(
            "site.toml fixed",
            vec![Replace(
                "site.toml",
                "default_langauge = \"nb\"",
                "default_language = \"nb\"",
            )],
        ),
        edit(
            "a template",
            vec![Write(
                "templates/page.html",
                page_template.replace("<div class=\"prose\">", "<div class=\"prose eget\">"),
            )],
        ),
        edit(
            "an i18n string",
            vec![write(
                "i18n/en.toml",
                "[section]\nevents = \"Happenings\"\n",
            )],
        ),
        edit(
            "a section's slug in i18n",
            vec![write(
                "i18n/en.toml",
                "[section]\nevents = \"Happenings\"\n\n[slug]\nevents = \"happenings\"\n",
            )],
        ),
        edit(
            "site.toml",
            vec![Replace(
                "site.toml",
                "Et lite testnettsted.",
                "Et lite nettsted for tester.",
            )],
        ),
        edit(
            "a static file",
            vec![write("static/robots.txt", "User-agent: *\nDisallow: /\n")],
        ),
        edit(
            "a static file removed, uncovering a built one",
            vec![Remove("static/robots.txt")],
        ),
        edit(
            "a site stylesheet over the theme's",
            vec![write("static/style.css", "body { color: #123; }\n")],
        ),
        edit(
            "the site stylesheet removed",
            vec![Remove("static/style.css")],
        ),
        mistake(
            "a mistake in a UI string file",
            vec![write("i18n/en.toml", "[section\nevents = \"Happenings\"\n")],
        ),
        edit(
            "the UI strings fixed",
            vec![write("i18n/en.toml", "[section]\nevents = \"Events\"\n")],
        ),
        edit(
            "the site publishes open data: a catalogue and the open-data pages",
            vec![Write("site.toml", format!("{site_toml}\n{OPEN_DATA}"))],
        ),
        // The open-data pages show each dataset's last change, which no card shows.
        edit(
            "an event's `updated`, the newest change of the events",
            vec![Replace(
                event,
                "end = 2030-05-02T14:00:00\n",
                "end = 2030-05-02T14:00:00\nupdated = 2031-06-01\n",
            )],
        ),
        edit(
            "a closed call with an outcome that names a project",
            vec![write("content/calls/benker.md", CLOSED_CALL)],
        ),
        edit(
            "its results published beside it",
            vec![write(
                "content/calls/benker.results.json",
                CLOSED_CALL_RESULTS,
            )],
        ),
        edit(
            "the outcome's text",
            vec![Replace(
                "content/calls/benker.md",
                "fire benker",
                "seks benker",
            )],
        ),
        edit(
            "the results published again with other counts",
            vec![Replace(
                "content/calls/benker.results.json",
                "\"Ved dammen\": 28",
                "\"Ved dammen\": 27",
            )],
        ),
        mistake(
            "results that count an option the call does not have",
            vec![Replace(
                "content/calls/benker.results.json",
                "\"Ved porten\": 12",
                "\"Ved elva\": 12",
            )],
        ),
        edit(
            "the results withdrawn",
            vec![Remove("content/calls/benker.results.json")],
        ),
        edit(
            "the outcome no longer names the project",
            vec![Replace(
                "content/calls/benker.md",
                "projects = [\"skolehage\"]\n",
                "",
            )],
        ),
        edit(
            "an event moved later",
            vec![Replace(
                event,
                "start = 2030-05-02T12:00:00\nend = 2030-05-02T14:00:00\nupdated = 2031-06-01\n",
                "start = 2032-01-11T12:00:00\nend = 2032-01-11T14:00:00\n",
            )],
        ),
    ]
}

/// What `tests/dcat/other-publisher.toml` adds to the fixture's site.toml.
const OPEN_DATA: &str = include_str!("../dcat/other-publisher.toml");

/// Applies the edit to the site's files; returns the paths changed, as the watcher gives them.
fn apply(site: &TestSite, ops: &[Op]) -> Vec<PathBuf> {
    ops.iter()
        .flat_map(|op| match op {
            Write(path, text) => {
                site.write(path, text);
                vec![PathBuf::from(path)]
            }
            Replace(path, from, to) => {
                let text = std::fs::read_to_string(site.root().join(path)).unwrap();
                assert_eq!(text.matches(from).count(), 1, "{path} has `{from}` once");
                site.write(path, &text.replacen(from, to, 1));
                vec![PathBuf::from(path)]
            }
            Remove(path) => {
                site.remove(path);
                vec![PathBuf::from(path)]
            }
            Rename(from, to) => {
                std::fs::rename(site.root().join(from), site.root().join(to)).unwrap();
                vec![PathBuf::from(from), PathBuf::from(to)]
            }
        })
        .collect()
}

/// The preview's build options (see `serve::start`), with the test's fixed "now", and drafts
/// as `torget serve` (`drafts`) or `torget serve --no-drafts` shows them.
fn options(site: &TestSite, drafts: bool) -> BuildOptions {
    let mut o = BuildOptions::new(site.root());
    o.drafts = drafts;
    o.now = site.now;
    o.minify = Some(false);
    o.fingerprint = false;
    o.search = false;
    o
}

/// Every file under `dir` but the search index, by its path under `dir`.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                e.path().to_path_buf(),
            )
        })
        .filter(|(rel, _)| !rel.starts_with("pagefind/"))
        .map(|(rel, p)| (rel, std::fs::read(p).unwrap()))
        .collect()
}

/// What differs between the preview and a fresh build: each file only one has, and each file
/// both have with its first differing line.
fn differences(
    preview: &BTreeMap<String, Vec<u8>>,
    fresh: &BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (path, bytes) in fresh {
        match preview.get(path) {
            None => out.push(format!("{path}: missing in the preview")),
            Some(p) if p != bytes => {
                let (a, b) = (String::from_utf8_lossy(p), String::from_utf8_lossy(bytes));
                let (n, (pa, fr)) = a
                    .lines()
                    .chain(std::iter::repeat("<end of file>"))
                    .zip(b.lines().chain(std::iter::repeat("<end of file>")))
                    .enumerate()
                    .find(|(_, (x, y))| x != y)
                    .expect("different bytes differ in a line");
                out.push(format!(
                    "{path}: line {}\n    preview: {}\n    fresh:   {}",
                    n + 1,
                    pa.trim(),
                    fr.trim()
                ));
            }
            Some(_) => {}
        }
    }
    for path in preview.keys().filter(|p| !fresh.contains_key(*p)) {
        out.push(format!(
            "{path}: left in the preview, not made by a fresh build"
        ));
    }
    out
}

#[test]
fn every_edit_leaves_the_preview_as_a_fresh_build_makes_it() {
    every_edit_leaves_the_preview_as_a_fresh_build(false);
}

/// `torget serve` shows drafts with a banner: its pages are those of `torget build --drafts`,
/// banner and all, also as a page becomes a draft and stops being one.
#[test]
fn with_drafts_every_edit_leaves_the_preview_as_a_fresh_build_with_drafts() {
    every_edit_leaves_the_preview_as_a_fresh_build(true);
}

fn every_edit_leaves_the_preview_as_a_fresh_build(drafts: bool) {
    let site = TestSite::fixture("minimal");
    let dirs = tempfile::tempdir().unwrap();
    let preview = dirs.path().join("preview");
    let mut rebuilder = Rebuilder::new(options(&site, drafts), Some(site.now), &preview).unwrap();
    let fresh = |n: usize| -> anyhow::Result<BTreeMap<String, Vec<u8>>> {
        let mut o = options(&site, drafts);
        let out = dirs.path().join(format!("fresh-{n}"));
        o.out = Some(out.clone());
        site::build(&o)?;
        Ok(files(&out))
    };
    let rebuild = |r: &mut Rebuilder, paths: &[PathBuf]| r.rebuild(paths, &mut |_| {});

    if let Err(e) = rebuild(&mut rebuilder, &[]) {
        panic!("the first build failed: {e:?}");
    }
    let mut last_good = fresh(0).unwrap();
    let first = differences(&files(&preview), &last_good);
    assert!(first.is_empty(), "the first build:\n{}", first.join("\n"));
    let draft = last_good
        .get("utkast/index.html")
        .map(|b| String::from_utf8_lossy(b));
    assert_eq!(
        draft
            .as_ref()
            .is_some_and(|page| page.contains("Utkast – ikke publisert")),
        drafts,
        "the draft's page with drafts {drafts}: {draft:?}"
    );

    let mut failures = Vec::new();
    for (n, e) in edits().into_iter().enumerate() {
        let paths = apply(&site, &e.ops);
        let rebuilt = rebuild(&mut rebuilder, &paths);
        let expected = if e.mistake {
            assert!(
                rebuilt.is_err(),
                "{}: the rebuild should have failed",
                e.what
            );
            assert!(
                fresh(n + 1).is_err(),
                "{}: the build should have failed",
                e.what
            );
            // The preview keeps showing the last good build.
            last_good.clone()
        } else {
            if let Err(err) = rebuilt {
                panic!("{}: the rebuild failed: {err:?}", e.what);
            }
            last_good = fresh(n + 1).unwrap_or_else(|err| panic!("{}: {err:#}", e.what));
            last_good.clone()
        };
        let diff = differences(&files(&preview), &expected);
        if !diff.is_empty() {
            failures.push(format!("after {}:\n  {}", e.what, diff.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "the preview differs from a fresh build\n{}",
        failures.join("\n")
    );
}

#[test]
fn a_difference_names_the_file_and_its_first_differing_line() {
    let files = |list: &[(&str, &str)]| -> BTreeMap<String, Vec<u8>> {
        list.iter()
            .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
            .collect()
    };
    let preview = files(&[("index.html", "<h1>\n<p>Gammel</p>\n"), ("old.html", "")]);
    let fresh = files(&[("index.html", "<h1>\n<p>Ny</p>\n"), ("new.html", "")]);
    assert_eq!(
        differences(&preview, &fresh),
        [
            "index.html: line 2\n    preview: <p>Gammel</p>\n    fresh:   <p>Ny</p>",
            "new.html: missing in the preview",
            "old.html: left in the preview, not made by a fresh build",
        ]
    );
}
