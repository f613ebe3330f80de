//! The command line: `torget` and its subcommands, as clap derive structs.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "torget",
    version,
    about = "Build a bilingual participation portal from Markdown"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into its output folder (default: public/).
    Build(BuildArgs),
    /// Preview the site while you edit it: build, serve on 127.0.0.1, rebuild on every change.
    Serve(ServeArgs),
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The site's folder, holding site.toml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output folder (default: `output_dir` in site.toml, under the root).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Include content marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Write readable, unminified HTML, CSS and JS.
    #[arg(long)]
    pub no_minify: bool,
    /// Build as if it were this moment (RFC 3339), e.g. to preview which calls will be open.
    #[arg(long, value_name = "TIME")]
    pub now: Option<jiff::Timestamp>,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The site's folder, holding site.toml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Port to listen on; 0 picks any free port.
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on. Only this computer can reach the default; another address lets
    /// others on the network see your unpublished preview.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    pub bind: std::net::IpAddr,
    /// Open the preview in the web browser.
    #[arg(long)]
    pub open: bool,
    /// Include content marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Where the preview is built (default: .torget/serve under the site's folder).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Preview as if it were this moment (RFC 3339), e.g. to see a call before it opens.
    #[arg(long, value_name = "TIME")]
    pub now: Option<jiff::Timestamp>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
