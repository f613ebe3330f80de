//! Where responses are kept: [`DbSpec`] (what `--db` says), [`open`], the [`Store`] trait,
//! what it stores, and the backend-neutral [`StoreError`].
//!
//! Everything outside this folder sees only these: the router, `torget feedback` and the
//! preview hold an `Arc<dyn Store>` from [`open`] and never name a database. The trait says
//! what, not how (insert, withdraw, read one call's responses, a page of them or its
//! [`Counts`], hide, delete, follow the changes, close; staff accounts; themes and published
//! results). [`sqlite`] is the embedded default; [`postgres`] is for several endpoint
//! instances behind one load balancer; [`counts`] is what every store counts; [`browse`] is
//! what staff filter by and the change sequence; [`results`] is the themes staff tag answers
//! with and the results they publish.
//!
//! Three promises every store keeps. The counts change in the transaction that stores or
//! deletes a response, so a summary never reads answers. Once a deletion (a withdrawal, a
//! staff member's delete, `purge`, the `keep_days` clean-up) has returned, the deleted answers
//! can no longer be read through the database: SQLite also leaves no byte of them in its
//! files; PostgreSQL keeps the old row versions on disk until `VACUUM` reclaims the space (see
//! [`postgres`]). And every write to a response (insert, withdraw, delete, purge, hide,
//! unhide) adds a [`Change`] in its own transaction, its `seq` handed out in commit order, so
//! whatever follows [`Store::changes`] misses nothing.

mod browse;
#[cfg(test)]
mod conformance;
mod counts;
mod postgres;
mod results;
mod sqlite;
mod sqlite_staff;

pub use browse::{AnswerIs, AnswerValue, Change, ChangeKind, Filter, Hidden, Visibility};
pub use counts::{CountKey, Counts};
pub use postgres::PgUrl;
pub(crate) use postgres::copy;
pub use results::{Tag, Theme};

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::Arc;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::answers::Answers;
use super::receipt::ReceiptHash;
use super::staff::{AddressKey, AuditEntry, Failures, NewStaff, Session, Setup, Staff, TokenHash};
use crate::results_json::ResultsFile;

/// Where the responses are kept, as `--db` (or `TORGET_DATABASE_URL`) says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbSpec {
    /// An SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL database, as a `postgres://` URL (its password never shown).
    Postgres(PgUrl),
}

impl DbSpec {
    /// Whether several endpoint instances can share this database.
    pub fn is_shared(&self) -> bool {
        matches!(self, DbSpec::Postgres(_))
    }
}

impl FromStr for DbSpec {
    type Err = String;

    /// A path is an SQLite file; a `postgres://` or `postgresql://` URL a PostgreSQL database.
    /// Any other URL (`scheme://…`) is refused rather than taken for a file named `mysql:`.
    /// The URL is never repeated in an error: it may hold a password.
    fn from_str(s: &str) -> Result<DbSpec, String> {
        if s.trim().is_empty() {
            return Err(
                "give the path of the SQLite database file, e.g. feedback.sqlite, or a \
                 postgres:// URL"
                    .into(),
            );
        }
        if let Some((scheme, _)) = s.split_once("://") {
            let is_scheme = !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            if is_scheme {
                let scheme = scheme.to_ascii_lowercase();
                if scheme == "postgres" || scheme == "postgresql" {
                    return s.parse().map(DbSpec::Postgres);
                }
                return Err(format!(
                    "`{scheme}://` is not a database this build knows: give the path of an \
                     SQLite database file, e.g. /var/lib/torget/feedback.sqlite, or a \
                     postgres:// URL"
                ));
            }
        }
        Ok(DbSpec::Sqlite(PathBuf::from(s)))
    }
}

/// How the database is named in messages: its path, or its URL without the password.
impl fmt::Display for DbSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbSpec::Sqlite(path) => write!(f, "{}", path.display()),
            DbSpec::Postgres(url) => write!(f, "{url}"),
        }
    }
}

/// What [`open`] does when the database does not exist yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfMissing {
    /// Create it (the endpoint, which writes answers).
    Create,
    /// Refuse, saying so (staff tools: a mistyped `--db` must not export an empty new file).
    Refuse,
}

/// Opens the store `spec` names; the one way anything gets a [`Store`].
pub fn open(spec: &DbSpec, if_missing: IfMissing) -> anyhow::Result<Arc<dyn Store>> {
    match spec {
        DbSpec::Sqlite(path) => {
            if if_missing == IfMissing::Refuse && !path.exists() {
                anyhow::bail!(
                    "{}: no such database; pass the file the endpoint writes with --db",
                    path.display()
                );
            }
            Ok(Arc::new(sqlite::SqliteStore::open(path)?))
        }
        // A server's database is made by its administrator; torget makes only its tables,
        // and staff tools refuse a database it never wrote to.
        DbSpec::Postgres(url) => Ok(Arc::new(postgres::PgStore::open(url, if_missing)?)),
    }
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One resident's answers to one call, as they are to be stored. Nothing else about the
/// resident is kept: no address, no user agent.
#[derive(Debug, Clone)]
pub struct NewResponse {
    pub call_id: String,
    pub lang: String,
    pub submitted: Timestamp,
    pub answers: Answers,
    pub receipt: ReceiptHash,
}

/// A stored response as staff see it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredResponse {
    /// The store's id for it: unique in the store, never given to another response.
    pub id: i64,
    pub call_id: String,
    pub lang: String,
    pub submitted: Timestamp,
    pub answers: Answers,
    /// Set while staff have hidden it from the public counts.
    pub hidden: Option<Hidden>,
}

/// Which responses to delete.
#[derive(Debug, Clone)]
pub enum Delete {
    /// Every response submitted before this moment (`torget feedback purge --before`).
    Before(Timestamp),
    /// Every response to one call (its `keep_days` have passed).
    Call(String),
}

/// Why the store could not do something, whatever the database. Each case says what the
/// operator can do; residents only ever learn that their answer could not be stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The store was closed: the server is shutting down.
    #[error("the store is shutting down")]
    Closed,
    /// Another process held the database locked for longer than the store waits.
    #[error(
        "the database stayed locked by another process ({0}); try again, and check for long-running backups or tools holding it open"
    )]
    Busy(String),
    /// The disk (or the database's quota) is full.
    #[error("the disk holding the database is full ({0}); free space, then try again")]
    Full(String),
    /// What is stored cannot be read back.
    #[error("the database is damaged ({0}); restore it from a backup")]
    Corrupt(String),
    /// The database server could not be reached, or went away mid-request.
    #[error(
        "cannot reach the database server ({0}); check that it is running and reachable, and the URL given with --db"
    )]
    Unreachable(String),
    /// Anything else the database reported.
    #[error("database error: {0}")]
    Failed(String),
}

pub trait Store: Send + Sync + 'static {
    /// Stores a response; returns only once it is durable.
    fn insert(&self, r: NewResponse) -> BoxFuture<'_, Result<(), StoreError>>;
    /// Deletes the response with this receipt; the id of its call, `None` if there is none.
    /// Returns once no byte of it is left on disk.
    fn withdraw(&self, receipt: ReceiptHash) -> BoxFuture<'_, Result<Option<String>, StoreError>>;
    /// One call's responses, oldest first, hidden ones included (exports mark them).
    fn responses(&self, call_id: String) -> BoxFuture<'_, Result<Vec<StoredResponse>, StoreError>>;
    /// One page of one call's responses that `filter` keeps, newest first, and how many it
    /// keeps in all. A page past the end is empty.
    fn page(
        &self,
        call_id: String,
        filter: Filter,
        offset: u64,
        limit: u32,
    ) -> BoxFuture<'_, Result<(Vec<StoredResponse>, u64), StoreError>>;
    /// How many of a call's visible responses were submitted on each day in `tz`, oldest day
    /// first; days without any are left out.
    fn per_day(
        &self,
        call_id: String,
        tz: TimeZone,
    ) -> BoxFuture<'_, Result<Vec<(Date, u64)>, StoreError>>;
    /// Hides response `id` of call `call_id` from the public counts; `false` if that call has
    /// no such response or it is already hidden.
    fn hide(
        &self,
        call_id: String,
        id: i64,
        hidden: Hidden,
    ) -> BoxFuture<'_, Result<bool, StoreError>>;
    /// Shows a hidden response in the public counts again; `false` if that call has no such
    /// response or it is not hidden.
    fn unhide(&self, call_id: String, id: i64) -> BoxFuture<'_, Result<bool, StoreError>>;
    /// Deletes response `id` of call `call_id` as a withdrawal does; `false` if that call has
    /// no such response. Returns once no byte of it is left on disk.
    fn delete_response(&self, call_id: String, id: i64) -> BoxFuture<'_, Result<bool, StoreError>>;
    /// Up to `limit` changes with a `seq` above `after`, in order.
    fn changes(&self, after: i64, limit: u32) -> BoxFuture<'_, Result<Vec<Change>, StoreError>>;
    /// The `seq` of the latest change; 0 before the first.
    fn last_change(&self) -> BoxFuture<'_, Result<i64, StoreError>>;
    /// One call's counts under `keys`, read from the kept counts: the cost grows with the
    /// keys asked for, never with the responses stored.
    fn counts(
        &self,
        call_id: String,
        keys: Vec<CountKey>,
    ) -> BoxFuture<'_, Result<Counts, StoreError>>;
    /// Deletes responses; returns how many, once no byte of them is left on disk.
    fn delete(&self, which: Delete) -> BoxFuture<'_, Result<u64, StoreError>>;
    /// Whether the database answers now (`/healthz`). A database inside the process, as
    /// SQLite's, is up while the process is.
    fn ping(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async { Ok(()) })
    }
    /// Finishes every queued write, closes every connection, then refuses new work.
    fn close(&self) -> BoxFuture<'_, ()>;

    // Staff accounts (`feedback::staff`). Emails arrive normalised; `false` or `None` means
    // there is no such account (or token), so callers can say so.

    /// Adds a staff member with their password or setup link; `false` if the email is taken.
    fn add_staff(&self, s: NewStaff) -> BoxFuture<'_, Result<bool, StoreError>>;
    /// Every staff member, by email.
    fn staff_list(&self) -> BoxFuture<'_, Result<Vec<Staff>, StoreError>>;
    /// Removes a staff member with their sessions, setup links and failed sign-ins.
    fn remove_staff(&self, email: String) -> BoxFuture<'_, Result<bool, StoreError>>;
    /// Sets a password (a PHC string) and ends the account's sessions.
    fn set_password(
        &self,
        email: String,
        password: String,
    ) -> BoxFuture<'_, Result<bool, StoreError>>;
    /// Forgets the password, ends every session and replaces any setup link with `setup`.
    fn reset_staff(&self, email: String, setup: Setup) -> BoxFuture<'_, Result<bool, StoreError>>;
    /// The password (a PHC string) of an account, `None` inside if it has none yet.
    fn password(&self, email: String) -> BoxFuture<'_, Result<Option<Option<String>>, StoreError>>;
    /// Whose setup link this is, if it still works at `now`.
    fn setup_for(
        &self,
        token: TokenHash,
        now: Timestamp,
    ) -> BoxFuture<'_, Result<Option<String>, StoreError>>;
    /// Uses a setup link: sets the password, removes the account's setup links and ends its
    /// sessions, in one transaction; whose it was, or `None` if it no longer works at `now`.
    fn consume_setup(
        &self,
        token: TokenHash,
        now: Timestamp,
        password: String,
    ) -> BoxFuture<'_, Result<Option<String>, StoreError>>;
    /// Starts a session for a signed-in account and records the sign-in; `false` if the
    /// account is gone.
    fn create_session(
        &self,
        token: TokenHash,
        email: String,
        now: Timestamp,
    ) -> BoxFuture<'_, Result<bool, StoreError>>;
    /// The session with this token, if it was seen within `idle` before `now`.
    fn session(
        &self,
        token: TokenHash,
        now: Timestamp,
        idle: SignedDuration,
    ) -> BoxFuture<'_, Result<Option<Session>, StoreError>>;
    /// Marks a session seen at `now`, if it was seen within `idle`; removes every session
    /// idle for longer. `false` if this one was gone or had expired.
    fn touch_session(
        &self,
        token: TokenHash,
        now: Timestamp,
        idle: SignedDuration,
    ) -> BoxFuture<'_, Result<bool, StoreError>>;
    /// Ends a session (signing out); `false` if there was none.
    fn end_session(&self, token: TokenHash) -> BoxFuture<'_, Result<bool, StoreError>>;
    /// Records a failed sign-in for the email tried (known or not) and the address trying, and
    /// forgets failures older than `forget_before`.
    fn record_failure(
        &self,
        email: String,
        address: AddressKey,
        at: Timestamp,
        forget_before: Timestamp,
    ) -> BoxFuture<'_, Result<(), StoreError>>;
    /// Failed sign-ins since `since`, for the email and for the address.
    fn failures_since(
        &self,
        email: String,
        address: AddressKey,
        since: Timestamp,
    ) -> BoxFuture<'_, Result<Failures, StoreError>>;
    /// Adds a line to the audit log.
    fn audit(&self, entry: AuditEntry) -> BoxFuture<'_, Result<(), StoreError>>;
    /// One page of the audit log, newest first; `page` counts from 0.
    fn audit_log(
        &self,
        page: u32,
        per_page: u32,
    ) -> BoxFuture<'_, Result<Vec<AuditEntry>, StoreError>>;

    // Themes, tags and published results ([`results`]). An id of another call's theme or
    // answer is `false`, as if there were none.

    /// A call's themes, oldest first, each with how many visible answers carry it.
    fn themes(&self, call_id: String) -> BoxFuture<'_, Result<Vec<Theme>, StoreError>>;
    /// Adds a theme to a call; its id.
    fn add_theme(
        &self,
        call_id: String,
        label: BTreeMap<String, String>,
    ) -> BoxFuture<'_, Result<i64, StoreError>>;
    /// Gives a theme new labels.
    fn rename_theme(
        &self,
        call_id: String,
        id: i64,
        label: BTreeMap<String, String>,
    ) -> BoxFuture<'_, Result<bool, StoreError>>;
    /// Removes a theme and its tags.
    fn remove_theme(&self, call_id: String, id: i64) -> BoxFuture<'_, Result<bool, StoreError>>;
    /// Tags an answer with a theme (`on`) or takes the tag off; tagging twice is once.
    fn tag(&self, call_id: String, tag: Tag, on: bool) -> BoxFuture<'_, Result<bool, StoreError>>;
    /// Every tag on the call's answers, by answer then theme.
    fn tags(&self, call_id: String) -> BoxFuture<'_, Result<Vec<Tag>, StoreError>>;
    /// Keeps `file` as its call's published results, replacing any before.
    fn publish(&self, file: ResultsFile) -> BoxFuture<'_, Result<(), StoreError>>;
    /// Removes a call's published results; `false` if there were none.
    fn unpublish(&self, call_id: String) -> BoxFuture<'_, Result<bool, StoreError>>;
    /// A call's published results, if published.
    fn published(&self, call_id: String) -> BoxFuture<'_, Result<Option<ResultsFile>, StoreError>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_an_sqlite_file() {
        assert_eq!(
            "/var/lib/torget/feedback.sqlite".parse::<DbSpec>(),
            Ok(DbSpec::Sqlite("/var/lib/torget/feedback.sqlite".into()))
        );
        assert_eq!(
            "feedback.sqlite".parse::<DbSpec>().unwrap().to_string(),
            "feedback.sqlite"
        );
    }

    /// `--db mysql://…` used to create a folder named `mysql:` and an SQLite file in it.
    #[test]
    fn a_postgres_url_is_a_server_and_other_urls_are_refused_without_their_password() {
        for url in [
            "postgres://torget:secret@db.example/torget",
            "postgresql://torget:secret@db.example/torget",
            "POSTGRES://torget:secret@db.example/torget",
        ] {
            let spec = url.parse::<DbSpec>().unwrap();
            assert!(matches!(spec, DbSpec::Postgres(_)), "{url}");
            assert_eq!(spec.to_string(), "postgres://torget@db.example:5432/torget");
        }
        assert_eq!(
            "mysql://torget:secret@db.example/torget"
                .parse::<DbSpec>()
                .unwrap_err(),
            "`mysql://` is not a database this build knows: give the path of an SQLite \
             database file, e.g. /var/lib/torget/feedback.sqlite, or a postgres:// URL"
        );
        assert!("".parse::<DbSpec>().is_err());
    }

    #[test]
    fn staff_tools_do_not_create_a_database_a_typo_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feedbak.sqlite");
        let e = open(&DbSpec::Sqlite(path.clone()), IfMissing::Refuse)
            .err()
            .unwrap();
        assert_eq!(
            e.to_string(),
            format!(
                "{}: no such database; pass the file the endpoint writes with --db",
                path.display()
            )
        );
        assert!(!path.exists());
    }
}
