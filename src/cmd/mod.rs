//! One module per subcommand, each with a `run(args) -> Result<()>`.

pub mod build;
pub mod check;
pub mod feedback;
pub mod new;
pub mod results;
pub mod serve;
pub mod translation;

/// The command has already told the user what went wrong (e.g. a report of content errors);
/// `main` only has to exit with a failure status.
#[derive(Debug)]
pub struct Reported;

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("problems were reported above")
    }
}

impl std::error::Error for Reported {}
