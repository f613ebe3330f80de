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
    /// Skip the search index: a faster build, but the search page cannot search.
    #[arg(long)]
    pub no_search: bool,
    /// Build as if it were this moment (RFC 3339), e.g. to preview which calls will be open.
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
