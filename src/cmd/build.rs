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
    opts.search = !args.no_search;
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
    if let Some(s) = &report.search {
        let per_lang: Vec<String> = s.records.iter().map(|(l, n)| format!("{l} {n}")).collect();
        let total = report.total_time.as_secs_f64().max(1e-9);
        eprintln!(
            "search index: {} pages ({}), {} files, {:.1} MB; built in {} ms beside the pages, \
             the build waited {} ms for it ({:.0}% of the build)",
            s.records.iter().map(|(_, n)| n).sum::<usize>(),
            per_lang.join(", "),
            s.files,
            s.bytes as f64 / 1e6,
            s.time.as_millis(),
            s.waited.as_millis(),
            100.0 * s.waited.as_secs_f64() / total
        );
    }
    Ok(())
}
