//! `torget build`: build the site once and report what was written.

use anyhow::Result;

use crate::cli::BuildArgs;
use crate::cmd::Reported;
use crate::diag::ContentErrors;
use crate::report;
use crate::site::{self, BuildOptions};

pub fn run(args: BuildArgs) -> Result<()> {
    let mut opts = BuildOptions::new(&args.root);
    opts.out = args.out;
    opts.drafts = args.drafts;
    if args.no_minify {
        opts.minify = Some(false);
    } else if args.minify {
        opts.minify = Some(true);
    }
    opts.search = !args.no_search;
    if let Some(now) = args.now {
        opts.now = now;
    }
    let color = report::color_on_stderr();
    let built = match site::build(&opts) {
        Ok(built) => built,
        Err(e) => {
            let errors = e.downcast::<ContentErrors>()?;
            let list: Vec<_> = errors.0.errors().cloned().collect();
            eprintln!("{}\n", report::human(&list, &args.root, color));
            // The last line of the plain report, so that both say the same.
            let plain = errors.to_string();
            eprintln!("{}", plain.lines().last().unwrap_or_default());
            return Err(Reported.into());
        }
    };
    let warnings: Vec<_> = built.warnings.warnings().cloned().collect();
    if !warnings.is_empty() {
        eprintln!("{}\n", report::human(&warnings, &args.root, color));
    }
    eprintln!(
        "built {} pages and {} other files into {} in {} ms",
        built.pages,
        built.files - built.pages,
        built.out.display(),
        built.total_time.as_millis()
    );
    if let Some(s) = &built.search {
        let per_lang: Vec<String> = s.records.iter().map(|(l, n)| format!("{l} {n}")).collect();
        let total = built.total_time.as_secs_f64().max(1e-9);
        eprintln!(
            "search index: {} pages ({}), {} files, {:.1} MB; built in {} ms ({:.0}% of the build)",
            s.records.iter().map(|(_, n)| n).sum::<usize>(),
            per_lang.join(", "),
            s.files,
            s.bytes as f64 / 1e6,
            s.time.as_millis(),
            100.0 * s.time.as_secs_f64() / total
        );
    }
    Ok(())
}
