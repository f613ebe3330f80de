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
