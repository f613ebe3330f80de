//! The `torget` binary: parses the command line, sets up logging, runs the subcommand, prints
//! the error chain and chooses the exit code. Everything else lives in the library.

use std::process::ExitCode;

use clap::Parser;
use torget::cli::{Cli, Command, ResultsCommand, TranslationCommand};
use torget::cmd;
use torget::messages::{Lang, Text};

/// Turns transparent huge pages off for this process. mimalloc asks the kernel for them
/// (`madvise(MADV_HUGEPAGE)`) on its arenas, and the kernel zeroes a whole 2 MiB page on the
/// first touch of any byte in it: a fifth of a warm build's samples went to `clear_page`, and
/// the peak grew with pages barely used. Without them a warm build at 10,000 items × 2 spends
/// about a third of the kernel time and peaks ~40 MiB lower (docs/performance.md).
fn no_huge_pages() {
    // Refused only by kernels without the setting, where there is nothing to turn off.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

// The build allocates heavily from many threads (pagefind above all); glibc's allocator spent
// about a quarter of a large build's CPU time in malloc and free. See docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    no_huge_pages();
    let cli = Cli::parse();
    init_logging();
    let result = match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Feedback(args) => cmd::feedback::run(args),
        Command::New(args) => cmd::new::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Translation(TranslationCommand::Status(args)) => cmd::translation::status(args),
        Command::Translation(TranslationCommand::Mark(args)) => cmd::translation::mark(args),
        Command::Results(ResultsCommand::Pull(args)) => cmd::results::pull(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is::<cmd::Reported>() => ExitCode::FAILURE,
        Err(e) => {
            // Content errors carry their own complete report.
            if let Some(content) = e.downcast_ref::<torget::diag::ContentErrors>() {
                let lang = Lang::current();
                for d in content.0.errors() {
                    eprintln!("{}", d.show(lang));
                }
                let n = content.0.errors().count();
                eprintln!(
                    "{}",
                    Text::new("build-content-errors").arg("errors", n).say(lang)
                );
            } else {
                eprintln!(
                    "{}",
                    Text::new("main-error")
                        .arg("error", e.to_string())
                        .say_here()
                );
                for cause in e.chain().skip(1) {
                    let said = Text::new("main-caused-by").arg("cause", cause.to_string());
                    eprintln!("{}", said.say_here());
                }
            }
            ExitCode::FAILURE
        }
    }
}

/// Structured logs on stderr; `RUST_LOG` overrides the default of `info`.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}
