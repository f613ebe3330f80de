//! `torget check`: everything the build checks, then `check`'s own checks, reported together.
//! The exit status is 1 if there is an error (or, with `--deny-warnings`, a warning).

use std::collections::HashSet;
use std::path::PathBuf;

use anyhow::Result;

use crate::check;
use crate::cli::{CheckArgs, Format};
use crate::cmd::Reported;
use crate::diag::{ContentErrors, Diagnostics, Severity};
use crate::messages::{Lang, Text};
use crate::report;
use crate::site::{self, Site};

pub fn run(args: CheckArgs) -> Result<()> {
    let (site, mut diags) = match site::load_all(&args.root, args.drafts) {
        Ok(loaded) => loaded,
        // site.toml or the UI strings are broken: there is no site to check further.
        Err(e) => {
            let ContentErrors(diags) = e.downcast::<ContentErrors>()?;
            print(&args, &diags, 0);
            return Err(Reported.into());
        }
    };
    let opts = check::Options {
        now: args.now.unwrap_or_else(jiff::Timestamp::now),
        closing_days: args.closing_days,
    };
    diags.extend(check::run(&site, &opts)?.0);
    diags.sort();
    print(&args, &diags, files_checked(&site, &diags));
    let failed = diags.has_errors() || (args.deny_warnings && diags.count(Severity::Warning) > 0);
    if failed { Err(Reported.into()) } else { Ok(()) }
}

fn print(args: &CheckArgs, diags: &Diagnostics, files: usize) {
    match args.format {
        Format::Json => println!("{}", report::json(diags, files)),
        Format::Human => {
            if !diags.0.is_empty() {
                let color = report::color_on_stderr();
                let lang = Lang::current();
                eprintln!("{}\n", report::human(&diags.0, &args.root, color, lang));
            }
            let denied = args.deny_warnings && diags.count(Severity::Warning) > 0;
            let said = Text::new(if denied {
                "check-done-warnings-denied"
            } else {
                "check-done"
            });
            let said = said
                .arg("files", files)
                .arg("counts", report::counts(diags, Lang::current()));
            eprintln!("{}", said.say_here());
        }
    }
}

/// Content files read: those that loaded, and those that could not be (they have errors).
fn files_checked(site: &Site, diags: &Diagnostics) -> usize {
    let mut files: HashSet<PathBuf> = HashSet::new();
    for item in &site.lib.items {
        files.extend(item.versions.values().map(|v| v.source.path.clone()));
    }
    for s in &site.lib.sections {
        files.extend(
            s.versions
                .values()
                .filter_map(|v| Some(v.source.as_ref()?.path.clone())),
        );
    }
    files.extend(
        diags
            .0
            .iter()
            .filter(|d| {
                d.path.starts_with("content") && d.path.extension().is_some_and(|e| e == "md")
            })
            .map(|d| d.path.clone()),
    );
    files.len()
}
