use std::process::ExitCode;

use clap::Parser;
use torget::cli::{Cli, Command};
use torget::cmd;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Serve(args) => cmd::serve::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
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
