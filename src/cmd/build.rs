//! `torget build`: build the site once and report what was written.

use anyhow::Result;

use crate::cli::BuildArgs;
use crate::site::{self, BuildOptions};

pub fn run(args: BuildArgs) -> Result<()> {
    let mut opts = BuildOptions::new(&args.root);
    opts.out = args.out;
    opts.drafts = args.drafts;
    if args.no_minify {
        opts.minify = Some(false);
    }
    if let Some(now) = args.now {
        opts.now = now;
    }
    let report = site::build(&opts)?;
    for w in report.warnings.warnings() {
        eprintln!("{w}");
    }
    eprintln!(
        "built {} pages and {} other files into {} in {} ms",
        report.pages,
        report.files - report.pages,
        report.out.display(),
        report.total_time.as_millis()
    );
    Ok(())
}
