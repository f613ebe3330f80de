//! The SQLite store.
//!
//! [`SqliteStore`] keeps one writer thread with the only writing connection. Writes queue on a
//! channel; the writer takes everything that is waiting, commits it in one transaction and only
//! then answers each waiting request. While one commit waits for its fsync, the next batch
//! gathers, so many concurrent answers share one fsync (group commit) without any added delay.
//! The database is in WAL mode with `synchronous = FULL`, so a commit that returned has reached
//! the disk: an answer is acknowledged only after that.
//!
//! The counts ([`super::counts`]) live in the `counts` table, changed in the same transaction
//! as the responses. Deleted answers are erased, not just unlinked: `secure_delete` zeroes
//! their bytes in the pages, and a batch that deleted anything is followed by a checkpoint
//! that copies the WAL into the database and truncates it (older frames still hold the
//! answer) before anyone in the batch hears back. On close the readers go first, so the
//! writer's connection is the last and SQLite removes the WAL.
//!
//! The schema is versioned in `PRAGMA user_version`; [`migrate`] brings an older database up
//! to date when it is opened, in one transaction.

mod browse;
mod results;
mod schema;
mod writer;

#[cfg(test)]
pub(super) use schema::VERSION;
use schema::migrate;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use writer::{in_savepoint, write_loop};

use anyhow::Context;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use tokio::sync::oneshot;

use jiff::SignedDuration;

use super::counts::Tally;
use super::results::{Tag, Theme};
use super::sqlite_staff as staff;
use super::{
    BoxFuture, Change, ChangeKind, CountKey, Counts, Delete, Filter, Hidden, NewResponse, Store,
    StoreError, StoredResponse,
};
use crate::feedback::answers::Answers;
use crate::feedback::receipt::ReceiptHash;
use crate::feedback::staff::{
    AddressKey, AuditEntry, Failures, NewStaff, Session, Setup, Staff, TokenHash,
};
use crate::results_json::ResultsFile;

enum Op {
    Insert(NewResponse, oneshot::Sender<Result<(), StoreError>>),
    Withdraw(
        ReceiptHash,
        oneshot::Sender<Result<Option<String>, StoreError>>,
    ),
    Delete(Delete, oneshot::Sender<Result<u64, StoreError>>),
    /// A job, and whether it may delete a response (then its batch is checkpointed).
    Job(Job, bool),
}

/// A write of the staff tables. They are rare (a sign-in, a session touched, a line of the
/// audit log), so they take no queue of their own: they go through the one writer with the
/// answers, keeping SQLite to one writing connection, and commit with whatever batch they
/// land in. A job runs in the batch's transaction in a savepoint, so that its failure leaves
/// the rest of the batch; it is called with `None` if the transaction never began. It returns
/// how to reply once the batch's fate is known: `Some(error)` if the commit failed.
type Job = Box<dyn FnOnce(Option<&Connection>) -> Reply + Send>;
type Reply = Box<dyn FnOnce(Option<&StoreError>) + Send>;

/// The most writes committed together; bounds how long one commit holds its waiters.
const MAX_BATCH: usize = 2048;

/// Count rows gathered in memory before they are written, while counting many responses
/// (a purge, the first build of the counts): bounds the memory that takes.
const MAX_TALLY: usize = 100_000;

/// How long a checkpoint after a deletion waits for readers to finish with the WAL.
const CHECKPOINT_PATIENCE: Duration = Duration::from_secs(20);

pub struct SqliteStore {
    tx: RwLock<Option<mpsc::Sender<Op>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    readers: Arc<Readers>,
}

/// Read-only connections, reused; WAL lets them read while the writer commits.
struct Readers {
    path: PathBuf,
    pool: Mutex<Vec<Connection>>,
    /// Set by `close`: no connection is opened or kept after it.
    closed: AtomicBool,
}

/// Every connection, the writer's and the readers': deleted content is overwritten.
const PRAGMAS: &str = "PRAGMA secure_delete = ON;";

fn parse_answers(json: &str) -> Result<Answers, StoreError> {
    serde_json::from_str(json)
        .map_err(|e| StoreError::Corrupt(format!("stored answers are not valid JSON: {e}")))
}

/// Applies the gathered changes to `counts`; a count that reaches zero is removed.
fn write_tally(tx: &Connection, tally: &mut Tally) -> rusqlite::Result<()> {
    let mut add = tx.prepare_cached(
        "INSERT INTO counts (call_id, question, value, n) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (call_id, question, value) DO UPDATE SET n = n + excluded.n",
    )?;
    let mut drop_zero = tx.prepare_cached(
        "DELETE FROM counts WHERE call_id = ?1 AND question = ?2 AND value = ?3 AND n <= 0",
    )?;
    for (call, key, delta) in tally.drain() {
        add.execute(params![call, key.question, key.value, delta])?;
        if delta < 0 {
            drop_zero.execute(params![call, key.question, key.value])?;
        }
    }
    Ok(())
}

impl SqliteStore {
    /// Opens (creating if needed) the database file, brings its schema up to date and starts
    /// its writer.
    pub fn open(path: &Path) -> anyhow::Result<SqliteStore> {
        let mut conn = Connection::open(path).with_context(|| {
            format!(
                "cannot open the answers database {}: check that its folder exists and is writable",
                path.display()
            )
        })?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .with_context(|| format!("cannot use {} as an SQLite database", path.display()))?;
        if !mode.eq_ignore_ascii_case("wal") {
            anyhow::bail!(
                "{}: SQLite refused WAL mode (got {mode}); put the database on a local disk",
                path.display()
            );
        }
        conn.execute_batch(PRAGMAS)?;
        conn.execute_batch(
            "PRAGMA synchronous = FULL;
             PRAGMA busy_timeout = 5000;",
        )?;
        migrate(&mut conn, path)?;
        let (tx, rx) = mpsc::channel();
        let writer = std::thread::Builder::new()
            .name("torget-store-writer".into())
            .spawn(move || write_loop(conn, rx))
            .context("cannot start the store's writer thread")?;
        Ok(SqliteStore {
            tx: RwLock::new(Some(tx)),
            writer: Mutex::new(Some(writer)),
            readers: Arc::new(Readers {
                path: path.to_path_buf(),
                pool: Mutex::new(Vec::new()),
                closed: AtomicBool::new(false),
            }),
        })
    }

    /// Runs `write` on the writer thread in the next batch; answers once that has committed
    /// and, if it `erases` (deletes a response), once the deleted bytes are gone from disk.
    fn job<T: Send + 'static>(
        &self,
        erases: bool,
        write: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> BoxFuture<'_, Result<T, StoreError>> {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let done = match conn {
                Some(conn) => in_savepoint(conn, write),
                None => Err(StoreError::Closed),
            };
            Box::new(move |failed| {
                drop(tx.send(match failed {
                    Some(e) => Err(e.clone()),
                    None => done,
                }))
            })
        });
        let sent = self.send(Op::Job(job, erases));
        Box::pin(async move {
            sent?;
            answer(rx).await
        })
    }

    /// Runs `read` on a reader on the blocking pool.
    fn read<T: Send + 'static>(
        &self,
        read: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> BoxFuture<'_, Result<T, StoreError>> {
        let readers = self.readers.clone();
        Box::pin(blocking(move || readers.read(read)))
    }

    fn send(&self, op: Op) -> Result<(), StoreError> {
        let guard = self.tx.read().unwrap_or_else(|e| e.into_inner());
        match guard.as_ref() {
            Some(tx) => tx.send(op).map_err(|_| StoreError::Closed),
            None => Err(StoreError::Closed),
        }
    }

    /// Closes the readers, then lets the writer drain its queue and stop; returns its thread.
    fn shut(&self) -> Option<JoinHandle<()>> {
        self.readers.close();
        // Dropping the sender lets the writer drain the queue and stop.
        self.tx.write().unwrap_or_else(|e| e.into_inner()).take();
        self.writer.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

impl Readers {
    fn reader(&self) -> Result<Connection, StoreError> {
        if self.closed.load(Ordering::Acquire) {
            return Err(StoreError::Closed);
        }
        if let Some(c) = self.pool.lock().unwrap_or_else(|e| e.into_inner()).pop() {
            return Ok(c);
        }
        let c = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        c.execute_batch(PRAGMAS)?;
        c.busy_timeout(Duration::from_secs(5))?;
        Ok(c)
    }

    fn give_back(&self, c: Connection) {
        let mut pool = self.pool.lock().unwrap_or_else(|e| e.into_inner());
        if pool.len() < 8 && !self.closed.load(Ordering::Acquire) {
            pool.push(c);
        }
    }

    /// Closes every pooled connection: an open reader would keep the WAL, and what deleted
    /// answers it held, on disk after the writer closes.
    fn close(&self) {
        self.closed.store(true, Ordering::Release);
        self.pool.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Runs `read` on a pooled connection inside one read transaction (one snapshot).
    fn read<T>(
        &self,
        read: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let conn = self.reader()?;
        let out = conn
            .unchecked_transaction()
            .map_err(StoreError::from)
            .and_then(|tx| {
                let out = read(&tx)?;
                tx.commit()?;
                Ok(out)
            });
        self.give_back(conn);
        out
    }

    fn read_counts(&self, call_id: &str, keys: Vec<CountKey>) -> Result<Counts, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT n FROM counts WHERE call_id = ?1 AND question = ?2 AND value = ?3",
            )?;
            let mut out = Counts::default();
            for key in keys {
                let n: Option<i64> = stmt
                    .query_row(params![call_id, key.question, key.value], |r| r.get(0))
                    .optional()?;
                out.0.insert(key, n.unwrap_or(0).max(0) as u64);
            }
            Ok(out)
        })
    }
}

/// SQLite's error codes sorted into what an operator can act on.
impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode::*;
        let code = match &e {
            rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
            _ => None,
        };
        let what = e.to_string();
        match code {
            Some(DatabaseBusy | DatabaseLocked) => StoreError::Busy(what),
            Some(DiskFull) => StoreError::Full(what),
            Some(DatabaseCorrupt | NotADatabase) => StoreError::Corrupt(what),
            _ => StoreError::Failed(what),
        }
    }
}

impl From<rusqlite::types::FromSqlError> for StoreError {
    fn from(e: rusqlite::types::FromSqlError) -> StoreError {
        StoreError::Corrupt(format!("a stored value has the wrong type: {e}"))
    }
}

async fn answer<T>(rx: oneshot::Receiver<Result<T, StoreError>>) -> Result<T, StoreError> {
    rx.await.unwrap_or(Err(StoreError::Closed))
}

/// Runs a read on the blocking pool.
async fn blocking<T: Send + 'static>(
    read: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(read)
        .await
        .map_err(|e| StoreError::Failed(format!("reader task failed: {e}")))?
}

impl Store for SqliteStore {
    fn insert(&self, r: NewResponse) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async move {
            let (tx, rx) = oneshot::channel();
            self.send(Op::Insert(r, tx))?;
            answer(rx).await
        })
    }

    fn withdraw(&self, receipt: ReceiptHash) -> BoxFuture<'_, Result<Option<String>, StoreError>> {
        Box::pin(async move {
            let (tx, rx) = oneshot::channel();
            self.send(Op::Withdraw(receipt, tx))?;
            answer(rx).await
        })
    }

    fn responses(&self, call_id: String) -> BoxFuture<'_, Result<Vec<StoredResponse>, StoreError>> {
        self.read(move |c| browse::responses(c, &call_id))
    }

    fn page(
        &self,
        call_id: String,
        filter: Filter,
        offset: u64,
        limit: u32,
    ) -> BoxFuture<'_, Result<(Vec<StoredResponse>, u64), StoreError>> {
        self.read(move |c| browse::page(c, &call_id, &filter, offset, limit))
    }

    fn per_day(
        &self,
        call_id: String,
        tz: TimeZone,
    ) -> BoxFuture<'_, Result<Vec<(Date, u64)>, StoreError>> {
        self.read(move |c| browse::per_day(c, &call_id, &tz))
    }

    fn hide(
        &self,
        call_id: String,
        id: i64,
        hidden: Hidden,
    ) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.job(false, move |c| browse::hide(c, &call_id, id, &hidden))
    }

    fn unhide(&self, call_id: String, id: i64) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.job(false, move |c| browse::unhide(c, &call_id, id))
    }

    fn delete_response(&self, call_id: String, id: i64) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.job(true, move |c| browse::delete_response(c, &call_id, id))
    }

    fn changes(&self, after: i64, limit: u32) -> BoxFuture<'_, Result<Vec<Change>, StoreError>> {
        self.read(move |c| browse::changes(c, after, limit))
    }

    fn last_change(&self) -> BoxFuture<'_, Result<i64, StoreError>> {
        self.read(browse::last_change)
    }

    fn counts(
        &self,
        call_id: String,
        keys: Vec<CountKey>,
    ) -> BoxFuture<'_, Result<Counts, StoreError>> {
        let readers = self.readers.clone();
        Box::pin(blocking(move || readers.read_counts(&call_id, keys)))
    }

    fn delete(&self, which: Delete) -> BoxFuture<'_, Result<u64, StoreError>> {
        Box::pin(async move {
            let (tx, rx) = oneshot::channel();
            self.send(Op::Delete(which, tx))?;
            answer(rx).await
        })
    }

    fn close(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            if let Some(h) = self.shut() {
                let _ = tokio::task::spawn_blocking(move || h.join()).await;
            }
        })
    }

    fn add_staff(&self, s: NewStaff) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.job(false, move |c| staff::add(c, &s))
    }

    fn staff_list(&self) -> BoxFuture<'_, Result<Vec<Staff>, StoreError>> {
        self.read(staff::list)
    }

    fn remove_staff(&self, email: String) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.job(false, move |c| staff::remove(c, &email))
    }

    fn set_password(
        &self,
        email: String,
        password: String,
    ) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.job(false, move |c| staff::set_password(c, &email, &password))
    }

    fn reset_staff(&self, email: String, setup: Setup) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.job(false, move |c| staff::reset(c, &email, &setup))
    }

    fn password(&self, email: String) -> BoxFuture<'_, Result<Option<Option<String>>, StoreError>> {
        self.read(move |c| staff::password(c, &email))
    }

    fn setup_for(
        &self,
        token: TokenHash,
        now: Timestamp,
    ) -> BoxFuture<'_, Result<Option<String>, StoreError>> {
        self.read(move |c| staff::setup_for(c, &token, now))
    }

    fn consume_setup(
        &self,
        token: TokenHash,
        now: Timestamp,
        password: String,
    ) -> BoxFuture<'_, Result<Option<String>, StoreError>> {
        self.job(false, move |c| {
            staff::consume_setup(c, &token, now, &password)
        })
    }

    fn create_session(
        &self,
        token: TokenHash,
        email: String,
        now: Timestamp,
    ) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.job(false, move |c| {
            staff::create_session(c, &token, &email, now)
        })
    }

    fn session(
        &self,
        token: TokenHash,
        now: Timestamp,
        idle: SignedDuration,
    ) -> BoxFuture<'_, Result<Option<Session>, StoreError>> {
        self.read(move |c| staff::session(c, &token, now, idle))
    }

    fn touch_session(
        &self,
        token: TokenHash,
        now: Timestamp,
        idle: SignedDuration,
    ) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.job(false, move |c| staff::touch_session(c, &token, now, idle))
    }

    fn end_session(&self, token: TokenHash) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.job(false, move |c| staff::end_session(c, &token))
    }

    fn record_failure(
        &self,
        email: String,
        address: AddressKey,
        at: Timestamp,
        forget_before: Timestamp,
    ) -> BoxFuture<'_, Result<(), StoreError>> {
        self.job(false, move |c| {
            staff::record_failure(c, &email, &address, at, forget_before)
        })
    }

    fn failures_since(
        &self,
        email: String,
        address: AddressKey,
        since: Timestamp,
    ) -> BoxFuture<'_, Result<Failures, StoreError>> {
        self.read(move |c| staff::failures_since(c, &email, &address, since))
    }

    fn audit(&self, entry: AuditEntry) -> BoxFuture<'_, Result<(), StoreError>> {
        self.job(false, move |c| staff::audit(c, &entry))
    }

    fn audit_log(
        &self,
        page: u32,
        per_page: u32,
    ) -> BoxFuture<'_, Result<Vec<AuditEntry>, StoreError>> {
        self.read(move |c| staff::audit_log(c, page, per_page))
    }

    fn themes(&self, call_id: String) -> BoxFuture<'_, Result<Vec<Theme>, StoreError>> {
        self.read(move |c| results::themes(c, &call_id))
    }

    fn add_theme(
        &self,
        call_id: String,
        label: BTreeMap<String, String>,
    ) -> BoxFuture<'_, Result<i64, StoreError>> {
        self.job(false, move |c| results::add_theme(c, &call_id, &label))
    }

    fn rename_theme(
        &self,
        call_id: String,
        id: i64,
        label: BTreeMap<String, String>,
    ) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.job(false, move |c| {
            results::rename_theme(c, &call_id, id, &label)
        })
    }

    fn remove_theme(&self, call_id: String, id: i64) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.job(false, move |c| results::remove_theme(c, &call_id, id))
    }

    fn tag(&self, call_id: String, tag: Tag, on: bool) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.job(false, move |c| results::tag(c, &call_id, tag, on))
    }

    fn tags(&self, call_id: String) -> BoxFuture<'_, Result<Vec<Tag>, StoreError>> {
        self.read(move |c| results::tags(c, &call_id))
    }

    fn publish(&self, file: ResultsFile) -> BoxFuture<'_, Result<(), StoreError>> {
        self.job(false, move |c| results::publish(c, &file))
    }

    fn unpublish(&self, call_id: String) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.job(false, move |c| results::unpublish(c, &call_id))
    }

    fn published(&self, call_id: String) -> BoxFuture<'_, Result<Option<ResultsFile>, StoreError>> {
        self.read(move |c| results::published(c, &call_id))
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        if let Some(h) = self.shut() {
            let _ = h.join();
        }
    }
}

#[cfg(test)]
mod tests;
