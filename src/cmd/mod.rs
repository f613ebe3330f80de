//! One module per subcommand, each with a `run(args) -> Result<()>`.

pub mod build;
pub mod serve;
