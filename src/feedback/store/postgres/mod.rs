//! The PostgreSQL store, for several endpoint instances behind one load balancer.
//!
//! [`PgStore`] holds a pool of connections (deadpool-postgres over tokio-postgres, TLS by
//! rustls as the URL's `sslmode` says: `disable`, `prefer` or `require`; a certificate is
//! always checked against the system's roots). Every connection runs with
//! `synchronous_commit = on`, so a commit that returned has reached the server's disk, and an
//! answer is acknowledged only after that. Answers are committed in batches
//! ([`writer`]): whatever arrived while the previous batch committed goes into the next
//! transaction, so many answers share one WAL flush. The counts change in the same
//! transaction, as in the SQLite store.
//!
//! Deletion: a withdrawn or purged answer is gone from every query once its transaction has
//! committed, on every instance. PostgreSQL has no `secure_delete`: the deleted row versions
//! stay in the table's files (and in the WAL, in WAL archives and in backups) until `VACUUM`
//! marks their space reusable and later writes overwrite it; autovacuum does this on its own
//! schedule, and nothing zeroes the bytes. `VACUUM FULL responses` rewrites the table into new
//! files and removes the old ones, which is as far as PostgreSQL goes. The README's hosting
//! section says what an operator can then promise residents.
//!
//! Staff's reads and moderation are in [`browse`], themes, tags and published results in
//! [`results`]. Every write to a response adds to the change sequence in its transaction,
//! numbered in commit order across instances (`writer::Changes::record` says how), so each
//! instance's search index can follow it.
//!
//! The schema is versioned in `torget_schema` ([`schema`]); [`PgStore::open`] applies the
//! missing steps in one transaction, and refuses a database a newer torget wrote.

mod browse;
pub(crate) mod copy;
mod results;
mod schema;
mod staff;
mod writer;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use tokio_postgres::error::SqlState;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::{
    BoxFuture, Change, CountKey, Counts, Delete, Filter, Hidden, IfMissing, NewResponse, Store,
    StoreError, StoredResponse, Tag, Theme,
};
use crate::feedback::answers::Answers;
use crate::feedback::receipt::ReceiptHash;
use crate::feedback::staff::{
    AddressKey, AuditEntry, Failures, NewStaff, Session, Setup, Staff, TokenHash,
};
use crate::results_json::ResultsFile;
use writer::Inserts;

/// Connections one instance keeps at most. PostgreSQL's default `max_connections` is 100:
/// this leaves room for several instances and the operator's tools.
const POOL_SIZE: usize = 16;

/// How long a request waits for a connection, for a new one to be made, or for a query,
/// before it fails: a stopped database makes residents wait seconds, not minutes.
const WAIT: Duration = Duration::from_secs(5);

/// A `postgres://` URL. Shown and debugged without its password.
#[derive(Clone, PartialEq, Eq)]
pub struct PgUrl {
    url: String,
    shown: String,
}

impl PgUrl {
    /// The connection settings, with torget's own added: durable commits, a name in
    /// `pg_stat_activity`, timeouts.
    fn config(&self) -> tokio_postgres::Config {
        let mut c: tokio_postgres::Config = self.url.parse().unwrap_or_default();
        let options = c.get_options().unwrap_or("").to_string();
        c.options(format!("{options} -c synchronous_commit=on").trim());
        if c.get_application_name().is_none() {
            c.application_name("torget");
        }
        if c.get_connect_timeout().is_none() {
            c.connect_timeout(WAIT);
        }
        // A server that vanished without closing the connection is noticed within seconds.
        c.keepalives_idle(Duration::from_secs(10));
        c.tcp_user_timeout(Duration::from_secs(10));
        c
    }

    /// The same server and credentials, another database (tests make one each).
    #[cfg(test)]
    fn with_dbname(&self, dbname: &str) -> PgUrl {
        let (base, query) = match self.url.split_once('?') {
            Some((b, q)) => (b, format!("?{q}")),
            None => (self.url.as_str(), String::new()),
        };
        let authority_end = base["postgres://".len()..]
            .find('/')
            .map(|i| i + "postgres://".len())
            .unwrap_or(base.len());
        format!("{}/{dbname}{query}", &base[..authority_end])
            .parse()
            .unwrap()
    }
}

impl FromStr for PgUrl {
    type Err = String;

    /// Checks the URL the way the client will read it. The error never repeats it.
    fn from_str(url: &str) -> Result<PgUrl, String> {
        // The client reads only a lower-case scheme.
        let url = match url.split_once("://") {
            Some((scheme, rest)) => format!("{}://{rest}", scheme.to_ascii_lowercase()),
            None => url.to_string(),
        };
        let url = url.as_str();
        let config: tokio_postgres::Config = url.parse().map_err(|e| {
            format!(
                "the postgres:// URL cannot be read ({e}); write it as \
                 postgres://user:password@host:5432/dbname, with ?sslmode=disable, prefer or \
                 require if needed"
            )
        })?;
        let user = config.get_user().unwrap_or("");
        let host = match config.get_hosts().first() {
            Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
            Some(tokio_postgres::config::Host::Unix(p)) => p.display().to_string(),
            None => "localhost".into(),
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let db = config.get_dbname().unwrap_or(user);
        let at = if user.is_empty() { "" } else { "@" };
        Ok(PgUrl {
            url: url.to_string(),
            shown: format!("postgres://{user}{at}{host}:{port}/{db}"),
        })
    }
}

impl fmt::Display for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl fmt::Debug for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

/// TLS for `sslmode=prefer` and `require`: the server's certificate must chain to a root in
/// the system's store (add a private CA there, e.g. /usr/local/share/ca-certificates).
fn tls() -> anyhow::Result<MakeRustlsConnect> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .context("cannot set up TLS for the database connection")?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

pub struct PgStore {
    pool: Pool,
    inserts: Arc<Inserts>,
    closed: AtomicBool,
}

impl PgStore {
    /// Connects, brings the schema up to date (or, for staff tools, refuses a database torget
    /// never wrote to), and makes the pool.
    pub fn open(url: &PgUrl, if_missing: IfMissing) -> anyhow::Result<PgStore> {
        let config = url.config();
        let tls = tls()?;
        let shown = url.to_string();
        // `open` is not async, and may be called inside a runtime: the first connection gets
        // a thread and a runtime of its own. The pool's connections are made later, by the
        // runtime that uses them.
        let (c, t) = (config.clone(), tls.clone());
        std::thread::scope(|s| {
            s.spawn(move || prepare(c, t, &shown, if_missing))
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("the database set-up thread failed")))
        })?;
        let manager = Manager::from_config(
            config,
            tls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(WAIT))
            .create_timeout(Some(WAIT))
            .recycle_timeout(Some(WAIT))
            .build()
            .context("cannot make the database connection pool")?;
        Ok(PgStore {
            pool,
            inserts: Arc::new(Inserts::default()),
            closed: AtomicBool::new(false),
        })
    }

    /// A pooled connection, or why there is none.
    async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        if self.closed.load(Ordering::Acquire) {
            return Err(StoreError::Closed);
        }
        get(&self.pool).await
    }

    /// Runs `f` in a transaction on a pooled connection, committing if it succeeds; in a task
    /// of its own, so that a client going away cannot leave it half done.
    fn write<T: Send + 'static>(
        &self,
        f: impl for<'a> FnOnce(
            &'a tokio_postgres::Transaction<'a>,
        ) -> BoxFuture<'a, Result<T, StoreError>>
        + Send
        + 'static,
    ) -> BoxFuture<'_, Result<T, StoreError>> {
        Box::pin(async move {
            let mut client = self.client().await?;
            let task = tokio::spawn(async move {
                let tx = client.transaction().await?;
                let out = f(&tx).await?;
                tx.commit().await?;
                Ok(out)
            });
            within(task).await
        })
    }

    /// Runs `f` on a pooled connection.
    fn read<T: Send + 'static>(
        &self,
        f: impl for<'a> FnOnce(&'a tokio_postgres::Client) -> BoxFuture<'a, Result<T, StoreError>>
        + Send
        + 'static,
    ) -> BoxFuture<'_, Result<T, StoreError>> {
        Box::pin(async move {
            let client = self.client().await?;
            within(tokio::spawn(async move { f(&client).await })).await
        })
    }
}

/// The first connection: refuses a newer schema, applies the missing steps.
fn prepare(
    config: tokio_postgres::Config,
    tls: MakeRustlsConnect,
    db: &str,
    if_missing: IfMissing,
) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the database set-up")?;
    rt.block_on(async {
        let (mut client, connection) = config.connect(tls).await.with_context(|| {
            format!(
                "{db}: cannot connect to PostgreSQL; check the URL given with --db or \
                 TORGET_DATABASE_URL, and that the server is running"
            )
        })?;
        let conn = tokio::spawn(connection);
        if if_missing == IfMissing::Refuse && schema::version(&client).await?.is_none() {
            anyhow::bail!(
                "{db}: torget has never written to this database; check the URL, or start \
                 `torget feedback serve --db` with it first"
            );
        }
        schema::migrate(&mut client, db).await?;
        drop(client);
        let _ = conn.await;
        Ok(())
    })
}

async fn get(pool: &Pool) -> Result<deadpool_postgres::Object, StoreError> {
    pool.get().await.map_err(|e| match e {
        PoolError::Backend(e) => StoreError::from(e),
        PoolError::Closed => StoreError::Closed,
        PoolError::Timeout(_) => StoreError::Unreachable(format!(
            "no database connection within {} s",
            WAIT.as_secs()
        )),
        other => StoreError::Unreachable(other.to_string()),
    })
}

/// Awaits a store task, giving up after a while: the database may be gone mid-query.
async fn within<T>(task: tokio::task::JoinHandle<Result<T, StoreError>>) -> Result<T, StoreError> {
    match tokio::time::timeout(WAIT * 2, task).await {
        Ok(Ok(out)) => out,
        Ok(Err(e)) => Err(StoreError::Failed(format!("a database task failed: {e}"))),
        Err(_) => Err(StoreError::Unreachable(format!(
            "no answer from the database within {} s",
            (WAIT * 2).as_secs()
        ))),
    }
}

/// PostgreSQL's error codes sorted into what an operator can act on.
impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> StoreError {
        let Some(db) = e.as_db_error() else {
            // No answer from the server: it is down, unreachable, or closed the connection.
            let mut what = e.to_string();
            if let Some(cause) = std::error::Error::source(&e) {
                what = format!("{what}: {cause}");
            }
            return StoreError::Unreachable(what);
        };
        let what = format!("{}: {}", db.code().code(), db.message());
        let code = db.code();
        if *code == SqlState::DISK_FULL || *code == SqlState::PROGRAM_LIMIT_EXCEEDED {
            StoreError::Full(what)
        } else if *code == SqlState::DATA_CORRUPTED || *code == SqlState::INDEX_CORRUPTED {
            StoreError::Corrupt(what)
        } else if *code == SqlState::T_R_DEADLOCK_DETECTED
            || *code == SqlState::T_R_SERIALIZATION_FAILURE
            || *code == SqlState::LOCK_NOT_AVAILABLE
        {
            StoreError::Busy(what)
        } else if code.code().starts_with("08")
            || code.code().starts_with("57P")
            || *code == SqlState::TOO_MANY_CONNECTIONS
        {
            // Connection exceptions, and the server shutting down or starting up.
            StoreError::Unreachable(what)
        } else {
            StoreError::Failed(what)
        }
    }
}

fn parse_answers(json: &str) -> Result<Answers, StoreError> {
    serde_json::from_str(json)
        .map_err(|e| StoreError::Corrupt(format!("stored answers are not valid JSON: {e}")))
}

fn time(t: i64) -> Timestamp {
    Timestamp::from_second(t).unwrap_or(Timestamp::UNIX_EPOCH)
}

impl Store for PgStore {
    fn insert(&self, r: NewResponse) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async move {
            if self.closed.load(Ordering::Acquire) {
                return Err(StoreError::Closed);
            }
            writer::insert(&self.pool, &self.inserts, r).await
        })
    }

    fn withdraw(&self, receipt: ReceiptHash) -> BoxFuture<'_, Result<Option<String>, StoreError>> {
        self.write(move |tx| Box::pin(writer::withdraw(tx, receipt)))
    }

    fn responses(&self, call_id: String) -> BoxFuture<'_, Result<Vec<StoredResponse>, StoreError>> {
        self.read(move |c| Box::pin(async move { browse::responses(c, &call_id).await }))
    }

    fn page(
        &self,
        call_id: String,
        filter: Filter,
        offset: u64,
        limit: u32,
    ) -> BoxFuture<'_, Result<(Vec<StoredResponse>, u64), StoreError>> {
        self.read(move |c| {
            Box::pin(async move { browse::page(c, &call_id, &filter, offset, limit).await })
        })
    }

    fn per_day(
        &self,
        call_id: String,
        tz: TimeZone,
    ) -> BoxFuture<'_, Result<Vec<(Date, u64)>, StoreError>> {
        self.read(move |c| Box::pin(async move { browse::per_day(c, &call_id, &tz).await }))
    }

    fn hide(
        &self,
        call_id: String,
        id: i64,
        hidden: Hidden,
    ) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.write(move |tx| Box::pin(async move { browse::hide(tx, &call_id, id, &hidden).await }))
    }

    fn unhide(&self, call_id: String, id: i64) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.write(move |tx| Box::pin(async move { browse::unhide(tx, &call_id, id).await }))
    }

    fn delete_response(&self, call_id: String, id: i64) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.write(move |tx| {
            Box::pin(async move { browse::delete_response(tx, &call_id, id).await })
        })
    }

    fn changes(&self, after: i64, limit: u32) -> BoxFuture<'_, Result<Vec<Change>, StoreError>> {
        self.write(move |tx| Box::pin(async move { browse::read_changes(tx, after, limit).await }))
    }

    fn last_change(&self) -> BoxFuture<'_, Result<i64, StoreError>> {
        self.write(|tx| Box::pin(browse::last_change(tx)))
    }

    fn counts(
        &self,
        call_id: String,
        keys: Vec<CountKey>,
    ) -> BoxFuture<'_, Result<Counts, StoreError>> {
        self.read(move |c| {
            Box::pin(async move {
                let questions: Vec<&str> = keys.iter().map(|k| k.question.as_str()).collect();
                let values: Vec<&str> = keys.iter().map(|k| k.value.as_str()).collect();
                let rows = c
                    .query(
                        "SELECT question, value, n FROM counts WHERE call_id = $1 \
                         AND (question, value) IN \
                         (SELECT * FROM unnest($2::text[], $3::text[]))",
                        &[&call_id, &questions, &values],
                    )
                    .await?;
                let mut out = Counts::default();
                for key in &keys {
                    out.0.insert(key.clone(), 0);
                }
                for row in rows {
                    let key = CountKey {
                        question: row.try_get(0)?,
                        value: row.try_get(1)?,
                    };
                    out.0.insert(key, row.try_get::<_, i64>(2)?.max(0) as u64);
                }
                Ok(out)
            })
        })
    }

    fn delete(&self, which: Delete) -> BoxFuture<'_, Result<u64, StoreError>> {
        self.write(move |tx| Box::pin(writer::delete(tx, which)))
    }

    fn ping(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        self.read(|c| {
            Box::pin(async move {
                c.simple_query("SELECT 1").await?;
                Ok(())
            })
        })
    }

    fn close(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            self.closed.store(true, Ordering::Release);
            self.inserts.drain(WAIT * 4).await;
            self.pool.close();
        })
    }

    fn add_staff(&self, s: NewStaff) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.write(move |tx| Box::pin(async move { staff::add(tx, &s).await }))
    }

    fn staff_list(&self) -> BoxFuture<'_, Result<Vec<Staff>, StoreError>> {
        self.read(|c| Box::pin(staff::list(c)))
    }

    fn remove_staff(&self, email: String) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.write(move |tx| Box::pin(async move { staff::remove(tx, &email).await }))
    }

    fn set_password(
        &self,
        email: String,
        password: String,
    ) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.write(move |tx| {
            Box::pin(async move { staff::set_password(tx, &email, &password).await })
        })
    }

    fn reset_staff(&self, email: String, setup: Setup) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.write(move |tx| Box::pin(async move { staff::reset(tx, &email, &setup).await }))
    }

    fn password(&self, email: String) -> BoxFuture<'_, Result<Option<Option<String>>, StoreError>> {
        self.read(move |c| Box::pin(async move { staff::password(c, &email).await }))
    }

    fn setup_for(
        &self,
        token: TokenHash,
        now: Timestamp,
    ) -> BoxFuture<'_, Result<Option<String>, StoreError>> {
        self.read(move |c| Box::pin(async move { staff::setup_for(c, &token, now).await }))
    }

    fn consume_setup(
        &self,
        token: TokenHash,
        now: Timestamp,
        password: String,
    ) -> BoxFuture<'_, Result<Option<String>, StoreError>> {
        self.write(move |tx| {
            Box::pin(async move { staff::consume_setup(tx, &token, now, &password).await })
        })
    }

    fn create_session(
        &self,
        token: TokenHash,
        email: String,
        now: Timestamp,
    ) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.write(move |tx| {
            Box::pin(async move { staff::create_session(tx, &token, &email, now).await })
        })
    }

    fn session(
        &self,
        token: TokenHash,
        now: Timestamp,
        idle: SignedDuration,
    ) -> BoxFuture<'_, Result<Option<Session>, StoreError>> {
        self.read(move |c| Box::pin(async move { staff::session(c, &token, now, idle).await }))
    }

    fn touch_session(
        &self,
        token: TokenHash,
        now: Timestamp,
        idle: SignedDuration,
    ) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.write(move |tx| {
            Box::pin(async move { staff::touch_session(tx, &token, now, idle).await })
        })
    }

    fn end_session(&self, token: TokenHash) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.write(move |tx| Box::pin(async move { staff::end_session(tx, &token).await }))
    }

    fn record_failure(
        &self,
        email: String,
        address: AddressKey,
        at: Timestamp,
        forget_before: Timestamp,
    ) -> BoxFuture<'_, Result<(), StoreError>> {
        self.write(move |tx| {
            Box::pin(
                async move { staff::record_failure(tx, &email, &address, at, forget_before).await },
            )
        })
    }

    fn failures_since(
        &self,
        email: String,
        address: AddressKey,
        since: Timestamp,
    ) -> BoxFuture<'_, Result<Failures, StoreError>> {
        self.read(move |c| {
            Box::pin(async move { staff::failures_since(c, &email, &address, since).await })
        })
    }

    fn audit(&self, entry: AuditEntry) -> BoxFuture<'_, Result<(), StoreError>> {
        self.write(move |tx| Box::pin(async move { staff::audit(tx, &entry).await }))
    }

    fn audit_log(
        &self,
        page: u32,
        per_page: u32,
    ) -> BoxFuture<'_, Result<Vec<AuditEntry>, StoreError>> {
        self.read(move |c| Box::pin(async move { staff::audit_log(c, page, per_page).await }))
    }

    fn themes(&self, call_id: String) -> BoxFuture<'_, Result<Vec<Theme>, StoreError>> {
        self.read(move |c| Box::pin(async move { results::themes(c, &call_id).await }))
    }

    fn add_theme(
        &self,
        call_id: String,
        label: BTreeMap<String, String>,
    ) -> BoxFuture<'_, Result<i64, StoreError>> {
        self.write(move |tx| {
            Box::pin(async move { results::add_theme(tx, &call_id, &label).await })
        })
    }

    fn rename_theme(
        &self,
        call_id: String,
        id: i64,
        label: BTreeMap<String, String>,
    ) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.write(move |tx| {
            Box::pin(async move { results::rename_theme(tx, &call_id, id, &label).await })
        })
    }

    fn remove_theme(&self, call_id: String, id: i64) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.write(move |tx| Box::pin(async move { results::remove_theme(tx, &call_id, id).await }))
    }

    fn tag(&self, call_id: String, tag: Tag, on: bool) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.write(move |tx| Box::pin(async move { results::tag(tx, &call_id, tag, on).await }))
    }

    fn tags(&self, call_id: String) -> BoxFuture<'_, Result<Vec<Tag>, StoreError>> {
        self.read(move |c| Box::pin(async move { results::tags(c, &call_id).await }))
    }

    fn publish(&self, file: ResultsFile) -> BoxFuture<'_, Result<(), StoreError>> {
        self.write(move |tx| Box::pin(async move { results::publish(tx, &file).await }))
    }

    fn unpublish(&self, call_id: String) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.write(move |tx| Box::pin(async move { results::unpublish(tx, &call_id).await }))
    }

    fn published(&self, call_id: String) -> BoxFuture<'_, Result<Option<ResultsFile>, StoreError>> {
        self.read(move |c| Box::pin(async move { results::published(c, &call_id).await }))
    }
}

#[cfg(test)]
pub(super) mod tests;
