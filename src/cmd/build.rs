//! `torget build`: build the site once and report what was written.

use anyhow::Result;

use crate::cli::BuildArgs;
use crate::cmd::Reported;
use crate::diag::ContentErrors;
use crate::messages::{Lang, Text};
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
    if !args.no_cache {
        opts.cache = Some(crate::cache::dir(&args.root));
    }
    if let Some(now) = args.now {
        opts.now = now;
    }
    let color = report::color_on_stderr();
    let lang = Lang::current();
    let built = match site::build(&opts) {
        Ok(built) => built,
        Err(e) => {
            let errors = e.downcast::<ContentErrors>()?;
            let list: Vec<_> = errors.0.errors().cloned().collect();
            eprintln!("{}\n", report::human(&list, &args.root, color, lang));
            let said = Text::new("build-content-errors").arg("errors", list.len());
            eprintln!("{}", said.say(lang));
            return Err(Reported.into());
        }
    };
    let warnings: Vec<_> = built.warnings.warnings().cloned().collect();
    if !warnings.is_empty() {
        eprintln!("{}\n", report::human(&warnings, &args.root, color, lang));
    }
    let said = Text::new("build-done")
        .arg("pages", built.pages)
        .arg("files", built.files - built.pages)
        .arg("out", built.out.display().to_string())
        .arg("ms", built.total_time.as_millis() as usize);
    eprintln!("{}", said.say(lang));
    if built.published.in_place {
        let said = Text::new("build-output-updated")
            .arg("changed", built.published.changed)
            .arg("removed", built.published.removed);
        eprintln!("{}", said.say(lang));
    }
    if built.rendered < built.pages {
        let said = Text::new("build-pages-kept")
            .arg("rendered", built.rendered)
            .arg("kept", built.pages - built.rendered);
        eprintln!("{}", said.say(lang));
    }
    if let Some(s) = &built.search {
        let per_lang: Vec<String> = s.records.iter().map(|(l, n)| format!("{l} {n}")).collect();
        let total = built.total_time.as_secs_f64().max(1e-9);
        let said = Text::new("build-search-index")
            .arg("pages", s.records.iter().map(|(_, n)| n).sum::<usize>())
            .arg("languages", per_lang.join(", "))
            .arg("files", s.files)
            .arg("megabytes", format!("{:.1}", s.bytes as f64 / 1e6))
            .arg("ms", s.time.as_millis() as usize)
            .arg(
                "percent",
                format!("{:.0}", 100.0 * s.time.as_secs_f64() / total),
            );
        eprintln!("{}", said.say(lang));
        if !s.reused.is_empty() {
            let said = Text::new("build-search-reused").arg("languages", s.reused.join(", "));
            eprintln!("{}", said.say(lang));
        }
        for (language, pages) in &s.updated {
            let said = Text::new("build-search-updated")
                .arg("language", language.as_str())
                .arg("pages", *pages);
            eprintln!("{}", said.say(lang));
        }
    }
    Ok(())
}
