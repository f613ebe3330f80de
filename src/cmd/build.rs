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
    }
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
    Ok(())
}
