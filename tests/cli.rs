//! The `torget` binary as a content writer and a script run it: what it prints, and its exit
//! status.

mod common;

use std::process::{Command, Output};

use common::TestSite;

/// Runs the built `torget` in the site's folder.
fn torget(site: &TestSite, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_torget"))
        .args(args)
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .output()
        .expect("torget runs")
}

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
    let out = torget(&site, &["build"]);
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
    let out = torget(&site, &["build", "--now", "2026-11-26T11:00:00Z"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("built "), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
}

const NOW: &str = "2026-11-26T11:00:00Z";

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn check_passes_a_good_site_with_exit_status_0() {
    let site = TestSite::fixture("minimal");
    let out = torget(&site, &["check", "--now", NOW]);
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
    let out = torget(&site, &["check", "--now", NOW]);
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
    let out = torget(&site, &["check", "--now", now]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).ends_with("checked 11 content files: 1 warning and 1 note\n"),
        "{}",
        stderr(&out)
    );
    let out = torget(&site, &["check", "--now", now, "--deny-warnings"]);
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
    let out = torget(&site, &["check", "--now", now, "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn check_speaks_json_to_scripts() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/om.md",
        "+++\ntitle = \"Om\"\nsummary = \"x\"\n+++\n[Klikk her](/om/) og ![](/borte.png)\n",
    );
    let out = torget(&site, &["check", "--now", NOW, "--format", "json"]);
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
    let out = torget(&site, &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["errors"], 1);
    assert_eq!(report["diagnostics"][0]["path"], "site.toml");
}
