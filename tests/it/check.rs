//! `torget check`: each check with a site that trips it and one that passes, run in-process on
//! the minimal fixture. (The command line itself, exit codes and JSON are in tests/cli.rs.)

use crate::common::TestSite;
use torget::check::{self, Options};
use torget::diag::{Diagnostic, Severity};
use torget::site;

/// Everything `torget check` finds in the site, as the CLI does it: load, then the checks.
fn check_at(site: &TestSite, now: &str, drafts: bool) -> Vec<Diagnostic> {
    let (s, mut diags) = site::load_all(site.root(), drafts).expect("site.toml and i18n load");
    let opts = Options {
        now: now.parse().unwrap(),
        closing_days: 7,
    };
    diags.extend(check::run(&s, &opts).expect("checks run").0);
    diags.sort();
    diags.0
}

fn check(site: &TestSite) -> Vec<Diagnostic> {
    check_at(site, "2026-11-26T11:00:00Z", false)
}

/// `path:line: severity: message` of each problem that is not a note.
fn problems(site: &TestSite) -> Vec<String> {
    check(site)
        .iter()
        .filter(|d| d.severity != Severity::Note)
        .map(|d| {
            format!(
                "{}:{}: {}: {}",
                d.path.display(),
                d.line.unwrap_or(0),
                d.severity.as_str(),
                d.message
            )
        })
        .collect()
}

fn assert_clean(site: &TestSite) {
    let p = problems(site);
    assert!(p.is_empty(), "expected no problems, got:\n{}", p.join("\n"));
}

/// The problems found, which must include `expected` (each a substring of one line).
#[track_caller]
fn assert_found(site: &TestSite, expected: &[&str]) -> Vec<String> {
    let p = problems(site);
    for e in expected {
        assert!(
            p.iter().any(|l| l.contains(e)),
            "expected `{e}` among:\n{}",
            p.join("\n")
        );
    }
    p
}

fn page(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\nsummary = \"x\"\n+++\n{body}")
}

const PROJECT_NB: &str = "+++\ntitle = \"Skolehage\"\nsummary = \"En hage ved skolen.\"\nareas = [\"byutvikling\"]\nstatus = \"active\"\nstart = 2019-08-01\n\n[[goals]]\ntitle = \"Hagen er bygd\"\nstatus = \"achieved\"\n+++\n## Mål\n\nHagen skal bygges.\n\n## Økonomi\n";

#[test]
fn the_fixture_and_the_sample_site_pass_every_check() {
    assert_clean(&TestSite::fixture("minimal"));
    assert_clean(&TestSite::sample());
}

#[test]
fn check_runs_the_builds_own_checks_too() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/events/hagedag.md",
        "+++\ntitle = \"Hagedag\"\nsummary = \"x\"\nstart = 2018-01-11T12:00:00\nend = 2018-01-11T10:00:00\nlocation = { name = \"Skolen\" }\n+++\n",
    );
    site.write(
        "content/calls/hagen.md",
        "+++\ntitle = \"H\"\nsummary = \"x\"\nopens = 2020-01-01T00:00:00\ncloses = 2030-01-01T00:00:00\n+++\n",
    );
    site.remove("content/calls/hagen.en.md");
    assert_found(
        &site,
        &[
            "content/events/hagedag.md:5: error: `end` is before `start`",
            "content/calls/hagen.md:1: error: a call for input has no `[[questions]]`",
        ],
    );
}

#[test]
fn content_errors_and_check_problems_are_reported_in_one_run() {
    let site = TestSite::fixture("minimal");
    site.write("content/projects/skolehage.md", "+++\ntitle = \"S\"\n+++\n");
    site.write("content/om.md", &page("Om", "[Klikk her](/om/).\n"));
    assert_found(
        &site,
        &[
            "content/projects/skolehage.md:1: error: missing `summary`",
            "content/om.md:5: warning: the link text `Klikk her` does not say where it leads",
        ],
    );
}

#[test]
fn anchors_of_at_links_must_be_headings_of_the_page_in_that_language() {
    let site = TestSite::fixture("minimal");
    site.write("content/projects/skolehage.md", PROJECT_NB);
    site.write(
        "content/om.md",
        &page("Om", "Se [målene](@/projects/skolehage.md#mal).\n"),
    );
    assert_clean(&site);

    site.write(
        "content/om.md",
        &page("Om", "Se [målene](@/projects/skolehage.md#maal).\n"),
    );
    let p = assert_found(
        &site,
        &[
            "content/om.md:5: error: the link `@/projects/skolehage.md#maal` leads to no heading `maal` in content/projects/skolehage.md",
        ],
    );
    assert_eq!(p.len(), 1, "{p:?}");

    // From English, the link leads to the English page, whose headings have English ids.
    site.write("content/om.md", &page("Om", "Tekst.\n"));
    site.write(
        "content/_index.en.md",
        &page("Home", "See [the goals](@/projects/skolehage.md#mal).\n"),
    );
    assert_found(
        &site,
        &[
            "content/_index.en.md:5: error: the link `@/projects/skolehage.md#mal` leads to no heading `mal` in content/projects/skolehage.en.md",
        ],
    );
    site.write(
        "content/projects/skolehage.en.md",
        "+++\ntitle = \"School garden\"\nsummary = \"A garden.\"\nslug = \"school-garden\"\n\n[[goals]]\ntitle = \"Built\"\nstatus = \"achieved\"\n+++\n## Goals {#mal}\n",
    );
    assert_clean(&site);
}

#[test]
fn links_by_url_must_lead_to_a_page_or_file_of_the_site_and_a_heading_on_it() {
    let site = TestSite::fixture("minimal");
    site.write("content/projects/skolehage.md", PROJECT_NB);
    site.write(
        "content/om.md",
        &page(
            "Om",
            "[Hagen](/prosjekter/skolehage/#okonomi), [engelsk](/en/projects/school-garden/), \
             [uten skråstrek](/prosjekter/skolehage), [feed](/atom.xml), [data](/data/calls.json), \
             [hovedinnhold](/om/#main), [forsiden](/).\n",
        ),
    );
    assert_clean(&site);

    site.write(
        "content/om.md",
        &page(
            "Om",
            "[Hagen](/prosjekter/skolehagen/) og [økonomien](/prosjekter/skolehage/#penger).\n",
        ),
    );
    let p = assert_found(
        &site,
        &[
            "content/om.md:5: error: the link `/prosjekter/skolehagen/` leads to no page or file of this site",
            "content/om.md:5: error: the link `/prosjekter/skolehage/#penger` leads to no heading `penger` in content/projects/skolehage.md",
        ],
    );
    assert_eq!(p.len(), 2, "{p:?}");
}

#[test]
fn anchors_on_the_same_page_must_be_its_headings() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/om.md",
        &page("Om", "[Til målene](#mal)\n\n## Mål\n"),
    );
    assert_clean(&site);
    site.write(
        "content/om.md",
        &page("Om", "[Til målene](#maal)\n\n## Mål\n"),
    );
    assert_found(
        &site,
        &["content/om.md:5: error: the link `#maal` leads to no heading on this page"],
    );
}

#[test]
fn relative_links_resolve_against_the_page_and_md_files_need_at_links() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/om.md",
        &page(
            "Om",
            "[Hagen](../prosjekter/skolehage/) og [feeden](../atom.xml).\n",
        ),
    );
    assert_clean(&site);
    site.write(
        "content/om.md",
        &page(
            "Om",
            "[Hagen](projects/skolehage.md) og [borte](../borte/).\n",
        ),
    );
    assert_found(
        &site,
        &[
            "content/om.md:5: error: the link `projects/skolehage.md` names a file, not a page",
            "content/om.md:5: error: the link `../borte/` leads to no page or file of this site",
        ],
    );
    let d = check(&site);
    let md = d
        .iter()
        .find(|d| d.message.contains("names a file"))
        .unwrap();
    assert!(
        md.help
            .as_deref()
            .unwrap()
            .contains("`@/projects/skolehage.md`"),
        "{md}"
    );
}

#[test]
fn external_links_must_be_well_formed() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/om.md",
        &page(
            "Om",
            "[NTNU](https://www.ntnu.no/), [kommunen](http://trondheim.kommune.no/x?y=1#z), \
             [e-post](mailto:post@example.no), [telefon](tel:+4772540000), <https://example.org>, \
             <post@example.no>.\n",
        ),
    );
    assert_clean(&site);
    site.write(
        "content/om.md",
        &page(
            "Om",
            "[a](https:/www.ntnu.no), [b](www.ntnu.no), [c](htps://ntnu.no), [d](https://ntnu), \
             [e](mailto:post.example.no), [f](javascript:alert(1)), [g](tel:ring-meg).\n",
        ),
    );
    let p = assert_found(
        &site,
        &[
            "the link `https:/www.ntnu.no` is not a web address: `https:` must be followed by `//`",
            "the link `www.ntnu.no` has no `https://`",
            "the link `htps://ntnu.no` starts with `htps:`, not `https:`",
            "the link `https://ntnu` is not a web address: `ntnu` has no domain, e.g. `ntnu.no`",
            "the link `mailto:post.example.no` is not an e-mail address: it has no `@`",
            "the link `javascript:alert(1)` uses `javascript:`, which content may not link to",
            "the link `tel:ring-meg` is not a phone number",
        ],
    );
    assert!(p.iter().all(|l| l.contains(": error: ")), "{p:?}");
}

#[test]
fn web_addresses_in_the_front_matter_are_well_formed() {
    let site = TestSite::fixture("minimal");
    let event = |url: &str| {
        format!(
            "+++\ntitle = \"Hagedag\"\nsummary = \"x\"\nstart = 2018-01-11T12:00:00\nend = 2018-01-11T14:00:00\nonline_url = \"{url}\"\n+++\n"
        )
    };
    site.write(
        "content/events/hagedag.md",
        &event("https://example.org/live"),
    );
    site.remove("content/events/hagedag.en.md");
    assert_clean(&site);
    // The build only asks for `https://` and no spaces; check also wants a host.
    site.write("content/events/hagedag.md", &event("https://live"));
    assert_found(
        &site,
        &[
            "content/events/hagedag.md:6: error: `online_url = \"https://live\"` is not a web address: `live` has no domain",
        ],
    );
}

#[test]
fn images_in_the_text_must_exist_and_have_alt_text() {
    let site = TestSite::fixture("minimal");
    site.write("static/bilder/kart.png", "png");
    site.write("content/nyheter/park/park.jpg", "jpg");
    site.write(
        "content/nyheter/park/index.md",
        &page(
            "Park",
            "![Kart over hagen](/bilder/kart.png)\n\n![Barn i parken](park.jpg)\n\n![Fra lufta](https://example.org/luft.jpg)\n",
        ),
    );
    assert_clean(&site);
    site.write(
        "content/nyheter/park/index.md",
        &page(
            "Park",
            "![Kart](/bilder/borte.png)\n\n![](park.jpg)\n\n![park.jpg](park.jpg)\n\n![Luft](https:/example.org/luft.jpg)\n",
        ),
    );
    let p = assert_found(
        &site,
        &[
            "content/nyheter/park/index.md:5: error: the image `/bilder/borte.png` does not exist",
            "content/nyheter/park/index.md:7: error: the image `park.jpg` has no alt text",
            "content/nyheter/park/index.md:9: warning: the alt text of `park.jpg` is a file name",
            "content/nyheter/park/index.md:11: error: the image `https:/example.org/luft.jpg` is not a web address",
        ],
    );
    assert_eq!(p.len(), 4, "{p:?}");
}

#[test]
fn headings_start_at_level_two_and_skip_no_level() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/om.md",
        &page("Om", "## Mål\n\n### Delmål\n\n## Økonomi\n"),
    );
    assert_clean(&site);
    site.write(
        "content/om.md",
        &page("Om", "# Om oss\n\n## Mål\n\n#### Delmål\n\n## Økonomi\n"),
    );
    let p = assert_found(
        &site,
        &[
            "content/om.md:5: warning: `# Om oss` is a second main heading",
            "content/om.md:9: warning: the heading `Delmål` skips from level 2 to level 4",
        ],
    );
    assert_eq!(p.len(), 2, "{p:?}");
    site.write("content/om.md", &page("Om", "### Først\n"));
    assert_found(
        &site,
        &["content/om.md:5: warning: the heading `Først` skips from level 1 to level 3"],
    );
}

#[test]
fn link_texts_say_where_they_lead() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/om.md",
        &page(
            "Om",
            "Les [årsrapporten for 2026](/om/) og <https://example.org>.\n",
        ),
    );
    assert_clean(&site);
    site.write(
        "content/om.md",
        &page(
            "Om",
            "[Klikk her](/om/), [les mer](/om/), [Read more →](/om/), [](/om/).\n",
        ),
    );
    let p = assert_found(
        &site,
        &[
            "the link text `Klikk her` does not say where it leads",
            "the link text `les mer` does not say where it leads",
            "the link text `Read more →` does not say where it leads",
            "the link has no text",
        ],
    );
    assert!(p.iter().all(|l| l.contains(": warning: ")), "{p:?}");
}

#[test]
fn an_open_call_that_closes_soon_gets_a_note() {
    let site = TestSite::fixture("minimal");
    let notes = |now: &str| -> Vec<String> {
        check_at(&site, now, false)
            .into_iter()
            .filter(|d| d.severity == Severity::Note)
            .map(|d| format!("{}:{}: {}", d.path.display(), d.line.unwrap(), d.message))
            .collect()
    };
    // `hagen` closes 2030-01-01T00:00 Oslo time.
    assert_eq!(
        notes("2029-12-28T23:00:00Z"),
        ["content/calls/hagen.md:5: the call closes in 3 days, at 2030-01-01 00:00"]
    );
    assert_eq!(
        notes("2029-12-31T20:00:00Z"),
        ["content/calls/hagen.md:5: the call closes in 3 hours, at 2030-01-01 00:00"]
    );
    assert!(notes("2029-12-20T00:00:00Z").is_empty());
    // Closed and upcoming calls are no news.
    assert!(notes("2030-01-02T00:00:00Z").is_empty());
    assert!(notes("2019-12-30T00:00:00Z").is_empty());
}

#[test]
fn a_translation_is_stale_once_its_source_text_changes() {
    let site = TestSite::fixture("minimal");
    let (s, _) = site::load_all(site.root(), false).unwrap();
    let hash = |s: &site::Site| {
        let item = s.lib.items.iter().find(|i| i.name == "hagen").unwrap();
        check::translations::source_hash(item.primary())
    };
    let h = hash(&s);
    let en = std::fs::read_to_string(site.root().join("content/calls/hagen.en.md")).unwrap();
    site.write(
        "content/calls/hagen.en.md",
        &en.replacen("slug =", &format!("translation_of = \"{h}\"\nslug ="), 1),
    );
    assert_clean(&site);

    // Dates, comments and layout are not translated: changing them keeps it current.
    let nb = std::fs::read_to_string(site.root().join("content/calls/hagen.md")).unwrap();
    site.write(
        "content/calls/hagen.md",
        &nb.replace(
            "closes = 2030-01-01T00:00:00",
            "# ny frist\ncloses   =   2031-01-01T00:00:00",
        )
        .replace("Svar innen fristen.\n", "Svar innen fristen.   \n\n\n"),
    );
    assert_clean(&site);
    // Editing only the translation keeps it current too.
    let en = std::fs::read_to_string(site.root().join("content/calls/hagen.en.md")).unwrap();
    site.write(
        "content/calls/hagen.en.md",
        &en.replace("Answer before", "Please answer before"),
    );
    assert_clean(&site);

    // A changed question label or body text makes it stale.
    site.write(
        "content/calls/hagen.md",
        &nb.replace("Hvorfor?", "Hvorfor det?"),
    );
    assert_found(
        &site,
        &[
            "content/calls/hagen.en.md:4: warning: this translation was made from an older version of content/calls/hagen.md",
        ],
    );
    site.write(
        "content/calls/hagen.md",
        &nb.replace("Svar innen fristen.", "Svar innen 1. januar."),
    );
    assert_found(&site, &["this translation was made from an older version"]);
}

#[test]
fn translation_of_belongs_in_translations_only() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/om.md",
        "+++\ntitle = \"Om\"\nsummary = \"x\"\ntranslation_of = \"0123456789abcdef\"\n+++\n",
    );
    assert_found(
        &site,
        &["content/om.md:4: warning: `translation_of` in the source file of a translation"],
    );
}

#[test]
fn a_translation_whose_text_is_the_source_text_is_not_translated() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/projects/skolehage.en.md",
        "+++\ntitle = \"School garden\"\nsummary = \"A garden.\"\n\n[[goals]]\ntitle = \"Built\"\nstatus = \"achieved\"\n+++\nOm hagen. Se [området](@/areas/byutvikling.md).\n",
    );
    assert_found(
        &site,
        &[
            "content/projects/skolehage.en.md:9: warning: the text is the same as in content/projects/skolehage.md",
        ],
    );
}

#[test]
fn text_left_for_the_writer_is_pointed_out() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/om.md",
        "+++\ntitle = \"Om\"\nsummary = \"…\"\n+++\n",
    );
    site.write(
        "content/areas/byutvikling.en.md",
        "+++\ntitle = \"Urban development\"\nsummary = \"Den fysiske byen.\" # TRANSLATE\nslug = \"urban-development\"\n+++\n",
    );
    let p = assert_found(
        &site,
        &[
            "content/om.md:3: warning: the placeholder `…` is still here",
            "content/areas/byutvikling.en.md:3: warning: `summary` is marked for translation",
        ],
    );
    assert_eq!(p.len(), 2, "{p:?}");
}

#[test]
fn drafts_are_checked_only_when_asked() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/utkast.md",
        "+++\ntitle = \"Utkast\"\nsummary = \"…\"\ndraft = true\n+++\n",
    );
    assert_clean(&site);
    let with_drafts = check_at(&site, "2026-11-26T11:00:00Z", true);
    assert!(
        with_drafts
            .iter()
            .any(|d| d.message == "the placeholder `…` is still here"),
        "{with_drafts:?}"
    );
}

#[test]
fn a_template_that_cannot_render_is_an_error() {
    let site = TestSite::fixture("minimal");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{{ nope.nothing }}",
    );
    let p = assert_found(&site, &["templates:0: error: the site cannot be rendered"]);
    assert_eq!(p.len(), 1, "{p:?}");
}
