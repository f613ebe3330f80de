use std::process::ExitCode;

use clap::Parser;
use torget::cli::{Cli, Command, TranslationCommand};
use torget::cmd;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::New(args) => cmd::new::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Translation(TranslationCommand::Status(args)) => cmd::translation::status(args),
        Command::Translation(TranslationCommand::Mark(args)) => cmd::translation::mark(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is::<cmd::Reported>() => ExitCode::FAILURE,
        Err(e) => {
            // Content errors carry their own complete report.
            if let Some(content) = e.downcast_ref::<torget::diag::ContentErrors>() {
                eprintln!("{content}");
            } else {
                eprintln!("error: {e}");
                for cause in e.chain().skip(1) {
                    eprintln!("  caused by: {cause}");
                }
            }
            ExitCode::FAILURE
        }
    }
}
