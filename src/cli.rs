//! The command line: `torget` and its subcommands, as clap derive structs.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::feedback::store::DbSpec;

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
    /// Run or manage the feedback endpoint that collects residents' answers.
    Feedback(FeedbackArgs),
    /// Start a new content file: a project, event, call or page, or a translation.
    New(NewArgs),
    /// Check the content as the build does, and more: links, images, headings, translations.
    Check(CheckArgs),
    /// Which items lack a translation or have a stale one; record what a translation was made from.
    #[command(subcommand)]
    Translation(TranslationCommand),
    /// Published results of calls for input, from the feedback endpoint to content/.
    #[command(subcommand)]
    Results(ResultsCommand),
}

#[derive(Debug, Subcommand)]
pub enum ResultsCommand {
    /// Fetch each call's published results from the feedback endpoint and write them beside
    /// the call as `content/calls/<call>.results.json` (only files whose results changed).
    Pull(PullArgs),
}

#[derive(Debug, clap::Args)]
pub struct PullArgs {
    /// The feedback endpoint's address, e.g. https://innspill.example.no
    #[arg(long, value_name = "URL")]
    pub endpoint: String,
    /// Only this call (its file name without `.md`); default: every call of the site.
    #[arg(long, value_name = "ID")]
    pub call: Option<String>,
    /// The site's folder, holding site.toml and content/.
    #[arg(long, default_value = ".")]
    pub site: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum TranslationCommand {
    /// List missing, stale and untracked translations.
    Status(StatusArgs),
    /// Record that translations are up to date with their source (writes `translation_of`).
    Mark(MarkArgs),
}

/// How to print a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: each problem with the line it is on.
    Human,
    /// For scripts: one JSON document on standard output.
    Json,
}

/// The kinds of content `torget new` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NewKind {
    Project,
    Event,
    Call,
    Page,
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// What to write.
    pub kind: NewKind,
    /// The title, in the file's language; the file name is made from it.
    pub title: String,
    /// The file's language (default: the site's default language). If the item exists in
    /// another language, the new file is its translation.
    #[arg(long)]
    pub lang: Option<String>,
    /// An area the item belongs to, by file name in content/areas/; repeat for more.
    #[arg(long = "area", value_name = "AREA")]
    pub areas: Vec<String>,
    /// File name without `.md`, instead of one made from the title. With `--lang`, the name
    /// of the item to translate.
    #[arg(long)]
    pub name: Option<String>,
    /// For a page: the folder under content/ to put it in, e.g. `nyheter`.
    #[arg(long)]
    pub section: Option<String>,
    /// The site's folder, holding site.toml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The site's folder, holding site.toml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Check content marked `draft = true` too.
    #[arg(long)]
    pub drafts: bool,
    /// Check as if it were this moment (RFC 3339), e.g. for which calls are open.
    #[arg(long, value_name = "TIME")]
    pub now: Option<jiff::Timestamp>,
    /// Tell of open calls that close within this many days.
    #[arg(long, value_name = "DAYS", default_value_t = 7)]
    pub closing_days: u32,
    /// Fail (exit status 1) on warnings too, not only on errors.
    #[arg(long)]
    pub deny_warnings: bool,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// The site's folder, holding site.toml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Only this language.
    #[arg(long)]
    pub lang: Option<String>,
    /// Count drafts as written.
    #[arg(long)]
    pub drafts: bool,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct MarkArgs {
    /// The translation files, e.g. content/projects/skolehage.en.md.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The site's folder, holding site.toml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
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
    /// Minify every HTML page, whatever site.toml says.
    #[arg(long, conflicts_with = "no_minify")]
    pub minify: bool,
    /// Write readable, unminified HTML, CSS and JS.
    #[arg(long)]
    pub no_minify: bool,
    /// Skip the search index: a faster build, but the search page cannot search.
    #[arg(long)]
    pub no_search: bool,
    /// Neither use nor keep the build cache in .torget/cache/ (the output is the same either
    /// way; the cache only makes the next build faster).
    #[arg(long)]
    pub no_cache: bool,
    /// Build as if it were this moment (RFC 3339), e.g. to preview which calls will be open.
    #[arg(long, value_name = "TIME")]
    pub now: Option<jiff::Timestamp>,
}

/// Where `torget serve` listens unless told otherwise; `torget new` prints addresses on it.
pub const DEFAULT_SERVE_PORT: u16 = 1111;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The site's folder, holding site.toml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Port to listen on; 0 picks any free port.
    #[arg(long, short, default_value_t = DEFAULT_SERVE_PORT)]
    pub port: u16,
    /// Address to listen on. Only this computer can reach the default; another address lets
    /// others on the network see your unpublished preview.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    pub bind: std::net::IpAddr,
    /// Open the preview in the web browser.
    #[arg(long)]
    pub open: bool,
    /// Leave out content marked `draft = true`, to see only what a build publishes. Without
    /// it, drafts are shown with a banner saying they are not published.
    #[arg(long)]
    pub no_drafts: bool,
    /// Where the preview is built (default: .torget/serve under the site's folder).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Preview as if it were this moment (RFC 3339), e.g. to see a call before it opens.
    #[arg(long, value_name = "TIME")]
    pub now: Option<jiff::Timestamp>,
    /// Leave the search index out of the preview, so that very large sites rebuild faster
    /// after each save; the search page then cannot search.
    #[arg(long)]
    pub no_search: bool,
}

#[derive(Debug, clap::Args)]
pub struct FeedbackArgs {
    #[command(subcommand)]
    pub command: FeedbackCommand,
}

#[derive(Debug, Subcommand)]
pub enum FeedbackCommand {
    /// Serve the endpoint, with the staff console at /admin/. Admin API routes need
    /// TORGET_ADMIN_TOKEN; several instances share form tokens and sign-in forms through
    /// TORGET_FORM_SECRET.
    Serve(FeedbackServeArgs),
    /// Write one call's responses as CSV or JSON.
    Export(FeedbackExportArgs),
    /// Delete responses submitted before a date.
    Purge(FeedbackPurgeArgs),
    /// Manage the staff who sign in to the answers console at /admin/.
    Staff(FeedbackStaffArgs),
    /// Copy everything from an SQLite database into a PostgreSQL one (safe to run again).
    Migrate(FeedbackMigrateArgs),
}

#[derive(Debug, clap::Args)]
pub struct FeedbackMigrateArgs {
    /// The SQLite database the endpoint wrote.
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    /// The PostgreSQL database to copy into: postgres://user:password@host:5432/dbname.
    #[arg(
        long,
        value_name = "URL",
        env = "TORGET_DATABASE_URL",
        hide_env_values = true
    )]
    pub to: DbSpec,
}

#[derive(Debug, clap::Args)]
pub struct FeedbackServeArgs {
    /// The built site (reads data/calls.json and the thank-you pages).
    #[arg(long, default_value = "public")]
    pub site: PathBuf,
    /// The database of responses: the path of an SQLite file, created if missing, or a
    /// PostgreSQL URL (postgres://user:password@host:5432/dbname) shared by several instances.
    #[arg(
        long,
        default_value = "feedback.sqlite",
        env = "TORGET_DATABASE_URL",
        hide_env_values = true
    )]
    pub db: DbSpec,
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8081")]
    pub listen: std::net::SocketAddr,
    /// The site's origin, e.g. https://example.no; may repeat. Browsers may post and call the
    /// API only from these. Without it: the endpoint's own origin and localhost.
    #[arg(long = "origin", value_name = "URL")]
    pub origins: Vec<String>,
    /// Posts per client address per minute, as a token bucket that also allows this many at
    /// once: 60 lets a full room on one school or town-hall network answer together (0 turns
    /// the limit off, for load tests).
    #[arg(long, default_value_t = crate::feedback::abuse::DEFAULT_RATE_LIMIT)]
    pub rate_limit: u32,
    /// A post with a form token must come at least this long after the form was shown.
    #[arg(long, default_value_t = 3, value_name = "SECONDS")]
    pub min_fill_seconds: u64,
    /// Take the client's address from this header set by the reverse proxy (e.g. X-Real-IP,
    /// X-Forwarded-For) instead of the connection: the right-most address in it, which the
    /// proxy added. Without the header, the connection's address.
    #[arg(long, value_name = "HEADER")]
    pub real_ip_header: Option<String>,
    /// How many more proxies behind the first one add to --real-ip-header (e.g. 1 behind a
    /// CDN): the address that many places left of the right-most is the client's.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub trusted_proxies: usize,
    /// Client addresses the rate limit remembers at most (bounds its memory under a flood of
    /// addresses; one forgotten starts afresh).
    #[arg(long, default_value_t = crate::feedback::abuse::MAX_CLIENTS, value_name = "N")]
    pub rate_limit_clients: usize,
    /// A request's headers must arrive within this time from when the server waits for them.
    #[arg(long, default_value_t = 5, value_name = "SECONDS")]
    pub header_timeout: u64,
    /// A connection that sends and receives nothing for this long while no request is being
    /// handled (idling between kept-alive requests, or never starting one) is closed.
    #[arg(long, default_value_t = 5, value_name = "SECONDS")]
    pub idle_timeout: u64,
    /// A post's body must arrive within this time after its headers (408 otherwise).
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub body_timeout: u64,
    /// Connections open at once (default: as many as the file limit allows, less 64 for the
    /// database and files; the soft limit is raised to the hard one at start).
    #[arg(long, value_name = "N")]
    pub max_connections: Option<usize>,
    /// A staff console session ends after this long without a request (e.g. 8h, 30m, 1h 30m).
    #[arg(long, default_value = "8h", value_name = "DURATION", value_parser = session_idle)]
    pub session_idle: jiff::SignedDuration,
}

/// `--session-idle`: a duration like `8h` or `1h 30m`, from a minute to 30 days.
fn session_idle(s: &str) -> Result<jiff::SignedDuration, String> {
    let d: jiff::SignedDuration = s
        .parse()
        .map_err(|_| format!("`{s}` is not a duration: write it like 8h, 30m or 1h 30m"))?;
    let (min, max) = (
        jiff::SignedDuration::from_mins(1),
        jiff::SignedDuration::from_hours(30 * 24),
    );
    if d < min || d > max {
        return Err(format!(
            "`{s}` is outside a minute to 30 days: staff would be signed out at once or never"
        ));
    }
    Ok(d)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
    /// An Excel workbook: a sheet of answers and one of counts per question.
    Xlsx,
}

#[derive(Debug, clap::Args)]
pub struct FeedbackExportArgs {
    /// The built site (for the call's questions). Default: public, or the preview's
    /// .torget/serve when public/ has no site and torget serve has built one.
    #[arg(long)]
    pub site: Option<PathBuf>,
    /// The database of responses the endpoint writes: an SQLite file or a postgres:// URL.
    /// Default: feedback.sqlite, or the preview's .torget/feedback.sqlite when there is no such
    /// file and torget serve has made one.
    #[arg(long, env = "TORGET_DATABASE_URL", hide_env_values = true)]
    pub db: Option<DbSpec>,
    /// The call's id, as in data/calls.json.
    #[arg(long = "call", value_name = "ID")]
    pub call: String,
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// Write here instead of to standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct FeedbackPurgeArgs {
    /// The database of responses the endpoint writes: an SQLite file or a postgres:// URL.
    #[arg(
        long,
        default_value = "feedback.sqlite",
        env = "TORGET_DATABASE_URL",
        hide_env_values = true
    )]
    pub db: DbSpec,
    /// Delete responses submitted before this date (YYYY-MM-DD, midnight in the machine's time
    /// zone) or moment (RFC 3339, e.g. 2025-01-01T00:00:00+01:00).
    #[arg(long, value_name = "DATE")]
    pub before: String,
}

#[derive(Debug, clap::Args)]
pub struct FeedbackStaffArgs {
    /// The database of responses the endpoint writes: an SQLite file or a postgres:// URL.
    #[arg(
        long,
        default_value = "feedback.sqlite",
        global = true,
        env = "TORGET_DATABASE_URL",
        hide_env_values = true
    )]
    pub db: DbSpec,
    #[command(subcommand)]
    pub command: StaffCommand,
}

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Add a staff member. Prints a one-time setup link, valid 24 hours, where they choose a
    /// password on the console (open it after the endpoint's address), unless
    /// --password-stdin sets one.
    Add(StaffAddArgs),
    /// List the staff: email, name, role, whether a password is set, last sign-in.
    List,
    /// Remove a staff member; their sessions end.
    Remove(StaffEmailArg),
    /// Forget a staff member's password, end their sessions and print a new setup link.
    Reset(StaffEmailArg),
}

#[derive(Debug, clap::Args)]
pub struct StaffAddArgs {
    /// Their email address, which they sign in with.
    pub email: String,
    /// Their name, as the console and the audit log show it (default: the email).
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long, value_enum, default_value_t = crate::feedback::staff::Role::Editor)]
    pub role: crate::feedback::staff::Role,
    /// Read the password (at least 12 characters) from standard input, e.g. for scripts,
    /// instead of printing a setup link.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, clap::Args)]
pub struct StaffEmailArg {
    /// The staff member's email address.
    pub email: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn session_idle_is_a_duration_from_a_minute_to_30_days() {
        assert_eq!(
            session_idle("1h 30m"),
            Ok(jiff::SignedDuration::from_mins(90))
        );
        assert_eq!(session_idle("8h"), Ok(jiff::SignedDuration::from_hours(8)));
        assert_eq!(
            session_idle("lenge").unwrap_err(),
            "`lenge` is not a duration: write it like 8h, 30m or 1h 30m"
        );
        assert!(session_idle("0s").is_err());
        assert!(session_idle("31 days").is_err());
    }

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn the_cli_takes_a_postgres_url_and_refuses_another_scheme_before_anything_starts() {
        let parse = |db: &str| {
            Cli::try_parse_from([
                "torget",
                "feedback",
                "purge",
                "--db",
                db,
                "--before",
                "2025-01-01",
            ])
        };
        let Cli {
            command:
                Command::Feedback(FeedbackArgs {
                    command: FeedbackCommand::Purge(a),
                }),
            ..
        } = parse("postgres://db.example/torget").unwrap()
        else {
            panic!("not feedback purge");
        };
        assert!(a.db.is_shared());
        let e = parse("mysql://db.example/torget").unwrap_err();
        assert!(
            e.to_string()
                .contains("`mysql://` is not a database this build knows"),
            "{e}"
        );
    }

    // The default of 10 posts per minute per address refused the 11th resident answering at a
    // meeting, where the whole room shares one network address.
    #[test]
    fn the_default_rate_limit_fits_a_full_room() {
        let Cli {
            command:
                Command::Feedback(FeedbackArgs {
                    command: FeedbackCommand::Serve(a),
                }),
            ..
        } = Cli::try_parse_from(["torget", "feedback", "serve"]).unwrap()
        else {
            panic!("not feedback serve");
        };
        assert_eq!(a.rate_limit, 60);
    }
}
