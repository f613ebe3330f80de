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

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Context;
use jiff::Timestamp;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use tokio::sync::oneshot;

use jiff::SignedDuration;

use super::counts::Tally;
use super::sqlite_staff as staff;
use super::{BoxFuture, CountKey, Counts, Delete, NewResponse, Store, StoreError, StoredResponse};
use crate::feedback::answers::Answers;
use crate::feedback::receipt::ReceiptHash;
use crate::feedback::staff::{
    AddressKey, AuditEntry, Failures, NewStaff, Session, Setup, Staff, TokenHash,
};

enum Op {
    Insert(NewResponse, oneshot::Sender<Result<(), StoreError>>),
    Withdraw(ReceiptHash, oneshot::Sender<Result<bool, StoreError>>),
    Delete(Delete, oneshot::Sender<Result<u64, StoreError>>),
    Job(Job),
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

/// Fills what a schema step created from the responses already stored; returns how many.
type Fill = fn(&rusqlite::Transaction<'_>) -> Result<u64, StoreError>;

/// One version of the schema: what it creates, and how it fills that from what is stored.
struct Step {
    sql: &'static str,
    fill: Option<Fill>,
}

/// The schema after each version, in order; `PRAGMA user_version` is how many are applied.
/// Databases made before the version was recorded have the first step's tables at version 0,
/// hence `IF NOT EXISTS`.
const STEPS: [Step; 3] = [
    Step {
        sql: "CREATE TABLE IF NOT EXISTS responses (
        id           INTEGER PRIMARY KEY,
        receipt_hash BLOB    NOT NULL UNIQUE,
        call_id      TEXT    NOT NULL,
        lang         TEXT    NOT NULL,
        submitted_at INTEGER NOT NULL,
        answers      TEXT    NOT NULL
    );
    CREATE INDEX IF NOT EXISTS responses_by_call ON responses (call_id, id);
    CREATE INDEX IF NOT EXISTS responses_by_time ON responses (submitted_at);",
        fill: None,
    },
    // The public counts (`counts::CountKey`), built from the responses already stored.
    Step {
        sql: "CREATE TABLE counts (
        call_id  TEXT    NOT NULL,
        question TEXT    NOT NULL,
        value    TEXT    NOT NULL,
        n        INTEGER NOT NULL,
        PRIMARY KEY (call_id, question, value)
    ) WITHOUT ROWID;",
        fill: Some(build_counts),
    },
    // Staff accounts, setup links, sessions, failed sign-ins and the audit log.
    Step {
        sql: staff::SCHEMA,
        fill: None,
    },
];

/// The schema version this build writes.
const VERSION: i64 = STEPS.len() as i64;

/// Brings the database at `path` to [`VERSION`], in one transaction.
fn migrate(conn: &mut Connection, path: &Path) -> anyhow::Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > VERSION {
        anyhow::bail!(
            "{}: the database was written by a newer torget (schema version {found}, this one \
             knows up to {VERSION}); run that torget, or restore a backup made before it",
            path.display()
        );
    }
    for step in STEPS.iter().skip(found.max(0) as usize) {
        tx.execute_batch(step.sql)
            .with_context(|| format!("cannot create the tables in {}", path.display()))?;
        if let Some(fill) = step.fill {
            let started = Instant::now();
            let n = fill(&tx).with_context(|| {
                format!("cannot count the responses stored in {}", path.display())
            })?;
            if n > 0 {
                tracing::info!(responses = n, took = ?started.elapsed(), "counts built");
            }
        }
    }
    tx.pragma_update(None, "user_version", VERSION)?;
    tx.commit()?;
    Ok(())
}

/// Counts every stored response into the empty `counts` table; returns how many.
fn build_counts(tx: &rusqlite::Transaction<'_>) -> Result<u64, StoreError> {
    let mut tally = Tally::default();
    let mut n = 0;
    let mut stmt = tx.prepare("SELECT call_id, answers FROM responses")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        tally.add(
            &row.get::<_, String>(0)?,
            &parse_answers(row.get_ref(1)?.as_str()?)?,
            1,
        );
        n += 1;
        if tally.len() >= MAX_TALLY {
            write_tally(tx, &mut tally)?;
        }
    }
    write_tally(tx, &mut tally)?;
    Ok(n)
}

fn parse_answers(json: &str) -> Result<Answers, StoreError> {
    serde_json::from_str(json)
        .map_err(|e| StoreError::Corrupt(format!("stored answers are not valid JSON: {e}")))
}

/// Applies the gathered changes to `counts`; a count that reaches zero is removed.
fn write_tally(tx: &rusqlite::Transaction<'_>, tally: &mut Tally) -> rusqlite::Result<()> {
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

    /// Runs `write` on the writer thread in the next batch; answers once that has committed.
    fn job<T: Send + 'static>(
        &self,
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
        let sent = self.send(Op::Job(job));
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

    fn read_responses(&self, call_id: &str) -> Result<Vec<StoredResponse>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT lang, submitted_at, answers FROM responses WHERE call_id = ?1 ORDER BY id",
            )?;
            let mut rows = stmt.query([call_id])?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(StoredResponse {
                    call_id: call_id.to_string(),
                    lang: row.get(0)?,
                    submitted: Timestamp::from_second(row.get(1)?).unwrap_or(Timestamp::UNIX_EPOCH),
                    answers: parse_answers(row.get_ref(2)?.as_str()?)?,
                });
            }
            Ok(out)
        })
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

    fn withdraw(&self, receipt: ReceiptHash) -> BoxFuture<'_, Result<bool, StoreError>> {
        Box::pin(async move {
            let (tx, rx) = oneshot::channel();
            self.send(Op::Withdraw(receipt, tx))?;
            answer(rx).await
        })
    }

    fn responses(&self, call_id: String) -> BoxFuture<'_, Result<Vec<StoredResponse>, StoreError>> {
        let readers = self.readers.clone();
        Box::pin(blocking(move || readers.read_responses(&call_id)))
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
        self.job(move |c| staff::add(c, &s))
    }

    fn staff_list(&self) -> BoxFuture<'_, Result<Vec<Staff>, StoreError>> {
        self.read(staff::list)
    }

    fn remove_staff(&self, email: String) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.job(move |c| staff::remove(c, &email))
    }

    fn set_password(
        &self,
        email: String,
        password: String,
    ) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.job(move |c| staff::set_password(c, &email, &password))
    }

    fn reset_staff(&self, email: String, setup: Setup) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.job(move |c| staff::reset(c, &email, &setup))
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
        self.job(move |c| staff::consume_setup(c, &token, now, &password))
    }

    fn create_session(
        &self,
        token: TokenHash,
        email: String,
        now: Timestamp,
    ) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.job(move |c| staff::create_session(c, &token, &email, now))
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
        self.job(move |c| staff::touch_session(c, &token, now, idle))
    }

    fn end_session(&self, token: TokenHash) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.job(move |c| staff::end_session(c, &token))
    }

    fn record_failure(
        &self,
        email: String,
        address: AddressKey,
        at: Timestamp,
        forget_before: Timestamp,
    ) -> BoxFuture<'_, Result<(), StoreError>> {
        self.job(move |c| staff::record_failure(c, &email, &address, at, forget_before))
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
        self.job(move |c| staff::audit(c, &entry))
    }

    fn audit_log(
        &self,
        page: u32,
        per_page: u32,
    ) -> BoxFuture<'_, Result<Vec<AuditEntry>, StoreError>> {
        self.read(move |c| staff::audit_log(c, page, per_page))
    }
}

/// Runs `write` in a savepoint: if it fails, what it did is undone and the batch goes on.
fn in_savepoint<T>(
    conn: &Connection,
    write: impl FnOnce(&Connection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    conn.execute_batch("SAVEPOINT one_write")?;
    let done = write(conn);
    conn.execute_batch(if done.is_ok() {
        "RELEASE one_write"
    } else {
        "ROLLBACK TO one_write; RELEASE one_write"
    })?;
    done
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        if let Some(h) = self.shut() {
            let _ = h.join();
        }
    }
}

/// A reply that waits for the batch's commit.
enum Pending {
    Insert(
        oneshot::Sender<Result<(), StoreError>>,
        Result<(), StoreError>,
    ),
    Withdraw(
        oneshot::Sender<Result<bool, StoreError>>,
        Result<bool, StoreError>,
    ),
    Delete(
        oneshot::Sender<Result<u64, StoreError>>,
        Result<u64, StoreError>,
    ),
    Job(Reply),
}

impl Pending {
    /// Whether this write deleted a response.
    fn deleted(&self) -> bool {
        matches!(
            self,
            Pending::Withdraw(_, Ok(true)) | Pending::Delete(_, Ok(1..))
        )
    }

    fn reply(self) {
        match self {
            Pending::Insert(s, r) => drop(s.send(r)),
            Pending::Withdraw(s, r) => drop(s.send(r)),
            Pending::Delete(s, r) => drop(s.send(r)),
            Pending::Job(reply) => reply(None),
        }
    }

    /// Replies `fail` instead of the result, to a deletion only if `deletions_only`.
    fn fail(self, fail: &StoreError, deletions_only: bool) {
        match self {
            Pending::Insert(s, r) => {
                drop(s.send(if deletions_only { r } else { Err(fail.clone()) }))
            }
            Pending::Withdraw(s, _) => drop(s.send(Err(fail.clone()))),
            Pending::Delete(s, _) => drop(s.send(Err(fail.clone()))),
            Pending::Job(reply) => reply(if deletions_only { None } else { Some(fail) }),
        }
    }
}

fn write_loop(mut conn: Connection, rx: mpsc::Receiver<Op>) {
    let mut batch = Vec::new();
    let mut tally = Tally::default();
    let (mut commits, mut writes) = (0u64, 0u64);
    // A checkpoint that readers kept from finishing; the next batch tries again.
    let mut owed = false;
    while let Ok(first) = rx.recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(op) => batch.push(op),
                Err(_) => break,
            }
        }
        let n = batch.len();
        let mut pending = Vec::with_capacity(n);
        let committed = (|| -> Result<(), rusqlite::Error> {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            for op in batch.drain(..) {
                pending.push(apply(&tx, op, &mut tally));
            }
            write_tally(&tx, &mut tally)?;
            tx.commit()
        })();
        match committed {
            Ok(()) => {
                let deleted = pending.iter().any(Pending::deleted);
                let erased = if deleted || owed {
                    checkpoint(&conn)
                } else {
                    Ok(())
                };
                owed = erased.is_err();
                match erased {
                    Ok(()) => pending.into_iter().for_each(Pending::reply),
                    Err(e) => {
                        tracing::debug!(error = %e, "the WAL still holds deleted answers");
                        pending.into_iter().for_each(|p| p.fail(&e, true));
                    }
                }
            }
            Err(e) => {
                // Each waiter's caller logs the failure once; here it is only counted.
                tracing::debug!(error = %e, writes = n, "commit failed; the batch was not stored");
                tally = Tally::default();
                let fail = StoreError::from(e);
                // Ops not yet applied when the transaction failed to begin are still in `batch`.
                for op in batch.drain(..) {
                    match op {
                        Op::Insert(_, s) => drop(s.send(Err(fail.clone()))),
                        Op::Withdraw(_, s) => drop(s.send(Err(fail.clone()))),
                        Op::Delete(_, s) => drop(s.send(Err(fail.clone()))),
                        Op::Job(job) => job(None)(Some(&fail)),
                    }
                }
                pending.into_iter().for_each(|p| p.fail(&fail, false));
            }
        }
        commits += 1;
        writes += n as u64;
        tracing::trace!(writes = n, "committed a batch");
    }
    // How well group commit worked: writes per commit (each commit is one fsync of the WAL).
    tracing::info!(writes, commits, "the store is closed");
}

/// Copies the WAL into the database and truncates it. `secure_delete` zeroed the deleted
/// answers in the pages this batch wrote, but older WAL frames still hold them until then.
/// Waits for readers to finish with the log (a long export can hold it), at most
/// [`CHECKPOINT_PATIENCE`].
fn checkpoint(conn: &Connection) -> Result<(), StoreError> {
    let started = Instant::now();
    loop {
        let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        if busy == 0 {
            return Ok(());
        }
        if started.elapsed() > CHECKPOINT_PATIENCE {
            return Err(StoreError::Busy(
                "readers kept the write-ahead log open, so the deleted answers could not yet be \
                 erased from it"
                    .into(),
            ));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn apply(tx: &rusqlite::Transaction<'_>, op: Op, tally: &mut Tally) -> Pending {
    match op {
        Op::Insert(r, s) => {
            let res = (|| {
                let answers = serde_json::to_string(&r.answers).map_err(|e| {
                    StoreError::Failed(format!("cannot write answers as JSON: {e}"))
                })?;
                tx.prepare_cached(
                    "INSERT INTO responses (receipt_hash, call_id, lang, submitted_at, answers)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![
                    &r.receipt[..],
                    r.call_id,
                    r.lang,
                    r.submitted.as_second(),
                    answers
                ])?;
                tally.add(&r.call_id, &r.answers, 1);
                Ok(())
            })();
            Pending::Insert(s, res)
        }
        Op::Withdraw(hash, s) => {
            let res = (|| {
                let found = tx
                    .prepare_cached(
                        "DELETE FROM responses WHERE receipt_hash = ?1 RETURNING call_id, answers",
                    )?
                    .query_row([&hash[..]], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                    })
                    .optional()?;
                let Some((call_id, answers)) = found else {
                    return Ok(false);
                };
                match parse_answers(&answers) {
                    Ok(a) => tally.add(&call_id, &a, -1),
                    // The resident still gets their answer deleted; only the counts are off.
                    Err(e) => tracing::error!(call = %call_id, "{e}: its counts were not lowered"),
                }
                Ok(true)
            })();
            Pending::Withdraw(s, res)
        }
        Op::Delete(which, s) => {
            // In a savepoint: a deletion that fails halfway leaves the rest of the batch, and
            // the counts, as they were.
            let res = write_tally(tx, tally)
                .map_err(StoreError::from)
                .and_then(|()| in_savepoint(tx, |_| delete(tx, which)));
            Pending::Delete(s, res)
        }
        Op::Job(job) => Pending::Job(job(Some(tx))),
    }
}

/// Deletes responses and lowers their counts; the batch's own tally is already written.
fn delete(tx: &rusqlite::Transaction<'_>, which: Delete) -> Result<u64, StoreError> {
    match which {
        Delete::Before(t) => {
            let mut tally = Tally::default();
            let mut stmt = tx
                .prepare_cached("SELECT call_id, answers FROM responses WHERE submitted_at < ?1")?;
            let mut rows = stmt.query([t.as_second()])?;
            while let Some(row) = rows.next()? {
                let answers = parse_answers(row.get_ref(1)?.as_str()?)?;
                tally.add(&row.get::<_, String>(0)?, &answers, -1);
                if tally.len() >= MAX_TALLY {
                    write_tally(tx, &mut tally)?;
                }
            }
            write_tally(tx, &mut tally)?;
            Ok(tx.execute(
                "DELETE FROM responses WHERE submitted_at < ?1",
                [t.as_second()],
            )? as u64)
        }
        Delete::Call(id) => {
            tx.execute("DELETE FROM counts WHERE call_id = ?1", [&id])?;
            Ok(tx.execute("DELETE FROM responses WHERE call_id = ?1", [&id])? as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feedback::answers::{Answer, Answers};
    use crate::feedback::receipt::Receipt;
    use proptest::prelude::*;

    fn response(call: &str, n: i64) -> (NewResponse, Receipt) {
        let receipt = Receipt::generate().unwrap();
        let mut answers = Answers::new();
        answers.insert("n".into(), Answer::Number(n));
        (
            NewResponse {
                call_id: call.into(),
                lang: "nb".into(),
                submitted: Timestamp::from_second(1_700_000_000 + n).unwrap(),
                answers,
                receipt: receipt.hash(),
            },
            receipt,
        )
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_inserts_are_all_stored_and_withdrawals_delete() {
        let dir = tempfile::tempdir().unwrap();
        let store = std::sync::Arc::new(SqliteStore::open(&dir.path().join("a.sqlite")).unwrap());
        let mut tasks = Vec::new();
        for n in 0..200 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let (r, receipt) = response("c", n);
                store.insert(r).await.unwrap();
                receipt
            }));
        }
        let mut receipts = Vec::new();
        for t in tasks {
            receipts.push(t.await.unwrap());
        }
        assert_eq!(store.responses("c".into()).await.unwrap().len(), 200);
        assert!(store.withdraw(receipts[0].hash()).await.unwrap());
        assert!(!store.withdraw(receipts[0].hash()).await.unwrap());
        assert_eq!(store.responses("c".into()).await.unwrap().len(), 199);
        let before = Timestamp::from_second(1_700_000_100).unwrap();
        assert_eq!(store.delete(Delete::Before(before)).await.unwrap(), 99);
        assert_eq!(store.delete(Delete::Call("c".into())).await.unwrap(), 100);
        store.close().await;
        let (r, _) = response("c", 1);
        assert!(matches!(store.insert(r).await, Err(StoreError::Closed)));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn answers_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.sqlite");
        let (r, _) = response("c", 3);
        {
            let store = SqliteStore::open(&path).unwrap();
            store.insert(r.clone()).await.unwrap();
            store.close().await;
        }
        let store = SqliteStore::open(&path).unwrap();
        let got = store.responses("c".into()).await.unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].answers, r.answers);
        assert_eq!(got[0].submitted, r.submitted);
    }

    /// Which of the database's files hold `marker`.
    fn files_holding(db: &Path, marker: &str) -> Vec<String> {
        ["", "-wal", "-shm"]
            .iter()
            .map(|suffix| format!("{}{suffix}", db.display()))
            .filter(|path| {
                std::fs::read(path)
                    .map(|b| b.windows(marker.len()).any(|w| w == marker.as_bytes()))
                    .unwrap_or(false)
            })
            .collect()
    }

    fn with_text(call: &str, n: i64, text: &str) -> NewResponse {
        let (mut r, _) = response(call, n);
        r.answers.insert("t".into(), Answer::Text(text.into()));
        r
    }

    /// The daily `keep_days` clean-up and `purge` run while the endpoint serves: their
    /// deleted answers stayed in the WAL for as long as it did.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn deleted_answers_leave_no_byte_on_disk_while_the_store_is_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.sqlite");
        let store = SqliteStore::open(&path).unwrap();
        for n in 0..50 {
            store
                .insert(with_text("old", n, &format!("old-call-marker {n}")))
                .await
                .unwrap();
            store
                .insert(with_text("kept", 1000 + n, &format!("early-marker {n}")))
                .await
                .unwrap();
            store
                .insert(with_text("kept", 2000 + n, "kept-marker"))
                .await
                .unwrap();
        }
        // A reader in the pool, as the summary and the exports leave one.
        assert_eq!(store.responses("kept".into()).await.unwrap().len(), 100);
        assert_eq!(files_holding(&path, "old-call-marker").len(), 1);

        assert_eq!(store.delete(Delete::Call("old".into())).await.unwrap(), 50);
        assert_eq!(
            files_holding(&path, "old-call-marker"),
            Vec::<String>::new()
        );
        let before = Timestamp::from_second(1_700_002_000).unwrap();
        assert_eq!(store.delete(Delete::Before(before)).await.unwrap(), 50);
        assert_eq!(files_holding(&path, "early-marker"), Vec::<String>::new());
        assert!(!files_holding(&path, "kept-marker").is_empty());
        store.close().await;
        assert_eq!(files_holding(&path, "early-marker"), Vec::<String>::new());
        assert!(
            !path.with_extension("sqlite-wal").exists(),
            "the WAL is removed"
        );
    }

    /// Every count the store keeps for `call`, read straight from the table.
    fn kept_counts(path: &Path, call: &str) -> Counts {
        let conn = Connection::open(path).unwrap();
        let mut stmt = conn
            .prepare("SELECT question, value, n FROM counts WHERE call_id = ?1")
            .unwrap();
        let rows = stmt
            .query_map([call], |r| {
                let key = CountKey {
                    question: r.get(0)?,
                    value: r.get(1)?,
                };
                Ok((key, r.get::<_, i64>(2)?))
            })
            .unwrap();
        let mut out = Counts::default();
        for row in rows {
            let (key, n) = row.unwrap();
            assert!(n > 0, "a count of {n} is kept for {key:?}");
            out.0.insert(key, n as u64);
        }
        out
    }

    fn answers_strategy() -> impl Strategy<Value = Answers> {
        let options = ["Ja", "Nei", "Kanskje"];
        (
            proptest::option::of(0usize..3),
            proptest::option::of(proptest::collection::btree_set(0usize..3, 0..3)),
            proptest::option::of(1i64..=5),
            proptest::option::of("[a-zæøå ]{0,6}"),
        )
            .prop_map(move |(pick, many, n, t)| {
                let mut a = Answers::new();
                if let Some(i) = pick {
                    a.insert("pick".into(), Answer::Text(options[i].into()));
                }
                if let Some(set) = many {
                    let chosen = set.into_iter().map(|i| options[i].to_string()).collect();
                    a.insert("many".into(), Answer::List(chosen));
                }
                if let Some(n) = n {
                    a.insert("n".into(), Answer::Number(n));
                }
                if let Some(t) = t {
                    a.insert("t".into(), Answer::Text(t));
                }
                a
            })
    }

    /// One step of the property: answers arriving together (so they share batches) with
    /// withdrawals of earlier ones, or a purge, or a call's clean-up.
    #[derive(Debug, Clone)]
    enum Step {
        Round(Vec<(bool, i64, Answers)>, Vec<usize>),
        Before(i64),
        Call(bool),
    }

    fn steps() -> impl Strategy<Value = Vec<Step>> {
        let round = (
            proptest::collection::vec((any::<bool>(), 0i64..100, answers_strategy()), 0..12),
            proptest::collection::vec(any::<usize>(), 0..6),
        )
            .prop_map(|(new, gone)| Step::Round(new, gone));
        let step = prop_oneof![
            6 => round,
            1 => (0i64..100).prop_map(Step::Before),
            1 => any::<bool>().prop_map(Step::Call),
        ];
        proptest::collection::vec(step, 1..8)
    }

    fn call_name(first: bool) -> &'static str {
        if first { "a" } else { "b" }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// The kept counts after any mix of answers, withdrawals and deletions are exactly
        /// what counting the remaining answers one by one gives, and no zero count is kept.
        #[test]
        fn kept_counts_equal_a_full_recount(steps in steps()) {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("a.sqlite");
            let store = std::sync::Arc::new(SqliteStore::open(&path).unwrap());
            // What should be stored: (call, submitted second, answers, receipt).
            let mut model: Vec<(&str, i64, Answers, Receipt)> = Vec::new();
            rt.block_on(async {
                for step in steps {
                    match step {
                        Step::Round(new, gone) => {
                            let mut tasks = Vec::new();
                            let mut withdrawn = Vec::new();
                            for pick in gone {
                                if model.is_empty() {
                                    break;
                                }
                                let (_, _, _, receipt) = model.swap_remove(pick % model.len());
                                withdrawn.push(receipt.clone());
                                let store = store.clone();
                                tasks.push(tokio::spawn(async move {
                                    assert!(store.withdraw(receipt.hash()).await.unwrap());
                                }));
                            }
                            for (first, at, answers) in new {
                                let receipt = Receipt::generate().unwrap();
                                let r = NewResponse {
                                    call_id: call_name(first).into(),
                                    lang: "nb".into(),
                                    submitted: Timestamp::from_second(at).unwrap(),
                                    answers: answers.clone(),
                                    receipt: receipt.hash(),
                                };
                                model.push((call_name(first), at, answers, receipt));
                                let store = store.clone();
                                tasks.push(tokio::spawn(async move {
                                    store.insert(r).await.unwrap();
                                }));
                            }
                            for t in tasks {
                                t.await.unwrap();
                            }
                        }
                        Step::Before(at) => {
                            let n = store
                                .delete(Delete::Before(Timestamp::from_second(at).unwrap()))
                                .await
                                .unwrap();
                            let before = model.len();
                            model.retain(|(_, t, _, _)| *t >= at);
                            assert_eq!(n as usize, before - model.len());
                        }
                        Step::Call(first) => {
                            store.delete(Delete::Call(call_name(first).into())).await.unwrap();
                            model.retain(|(c, _, _, _)| *c != call_name(first));
                        }
                    }
                }
                for call in ["a", "b"] {
                    let remaining = model.iter().filter(|m| m.0 == call).map(|m| &m.2);
                    let expected = Counts::recount(remaining);
                    assert_eq!(kept_counts(&path, call), expected, "call {call}");
                    let keys: Vec<CountKey> = expected.0.keys().cloned().collect();
                    assert_eq!(store.counts(call.into(), keys).await.unwrap(), expected);
                }
                store.close().await;
            });
        }
    }

    /// A database from before the counts (no `user_version`) gets them built once, when it is
    /// opened, and the version is recorded.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_older_database_gets_its_counts_built_when_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.sqlite");
        let mut stored = Vec::new();
        {
            let store = SqliteStore::open(&path).unwrap();
            for n in 0..30 {
                let r = with_text(if n % 3 == 0 { "a" } else { "b" }, n, &format!("{}", n % 4));
                stored.push(r.clone());
                store.insert(r).await.unwrap();
            }
            store.close().await;
        }
        {
            let conn = Connection::open(&path).unwrap();
            // As a database from before the counts: without the tables of later steps.
            conn.execute_batch(
                "DROP TABLE counts; DROP TABLE staff; DROP TABLE staff_setup;
                 DROP TABLE staff_sessions; DROP TABLE sign_in_failures; DROP TABLE audit;
                 PRAGMA user_version = 0;",
            )
            .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        store.close().await;
        for call in ["a", "b"] {
            let answers = stored.iter().filter(|r| r.call_id == call);
            assert_eq!(
                kept_counts(&path, call),
                Counts::recount(answers.map(|r| &r.answers))
            );
        }
        let conn = Connection::open(&path).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, VERSION);

        // Opening it again builds nothing twice.
        drop(conn);
        let store = SqliteStore::open(&path).unwrap();
        store.close().await;
        assert_eq!(kept_counts(&path, "a").get(&CountKey::responses()), 10);
    }

    #[test]
    fn a_database_from_a_newer_torget_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.sqlite");
        Connection::open(&path)
            .unwrap()
            .execute_batch("PRAGMA user_version = 99;")
            .unwrap();
        let e = SqliteStore::open(&path).err().unwrap();
        assert_eq!(
            e.to_string(),
            format!(
                "{}: the database was written by a newer torget (schema version 99, this one \
                 knows up to {VERSION}); run that torget, or restore a backup made before it",
                path.display()
            )
        );
    }

    #[test]
    fn sqlite_errors_become_what_an_operator_can_act_on() {
        use rusqlite::ffi;
        let failure =
            |code| StoreError::from(rusqlite::Error::SqliteFailure(ffi::Error::new(code), None));
        let cases = [
            (ffi::SQLITE_FULL, StoreError::Full(String::new())),
            (ffi::SQLITE_BUSY, StoreError::Busy(String::new())),
            (ffi::SQLITE_CORRUPT, StoreError::Corrupt(String::new())),
            (ffi::SQLITE_IOERR, StoreError::Failed(String::new())),
        ];
        for (code, kind) in cases {
            let e = failure(code);
            assert_eq!(
                std::mem::discriminant(&e),
                std::mem::discriminant(&kind),
                "{e}"
            );
        }
        assert!(
            failure(ffi::SQLITE_FULL)
                .to_string()
                .ends_with("free space, then try again")
        );
    }
}
