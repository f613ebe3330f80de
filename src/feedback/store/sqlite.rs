//! The SQLite store.
//!
//! [`SqliteStore`] keeps one writer thread with the only writing connection. Writes queue on a
//! channel; the writer takes everything that is waiting, commits it in one transaction and only
//! then answers each waiting request. While one commit waits for its fsync, the next batch
//! gathers, so many concurrent answers share one fsync (group commit) without any added delay.
//! The database is in WAL mode with `synchronous = FULL`, so a commit that returned has reached
//! the disk: an answer is acknowledged only after that.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;

use anyhow::Context;
use jiff::Timestamp;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use tokio::sync::oneshot;

use super::{BoxFuture, Delete, NewResponse, Store, StoreError, StoredResponse};
use crate::feedback::receipt::ReceiptHash;

enum Op {
    Insert(NewResponse, oneshot::Sender<Result<(), StoreError>>),
    Withdraw(ReceiptHash, oneshot::Sender<Result<bool, StoreError>>),
    Delete(Delete, oneshot::Sender<Result<u64, StoreError>>),
}

/// The most writes committed together; bounds how long one commit holds its waiters.
const MAX_BATCH: usize = 2048;

pub struct SqliteStore {
    tx: RwLock<Option<mpsc::Sender<Op>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    readers: Arc<Readers>,
}

/// Read-only connections, reused; WAL lets them read while the writer commits.
struct Readers {
    path: PathBuf,
    pool: Mutex<Vec<Connection>>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS responses (
    id           INTEGER PRIMARY KEY,
    receipt_hash BLOB    NOT NULL UNIQUE,
    call_id      TEXT    NOT NULL,
    lang         TEXT    NOT NULL,
    submitted_at INTEGER NOT NULL,
    answers      TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS responses_by_call ON responses (call_id, id);
CREATE INDEX IF NOT EXISTS responses_by_time ON responses (submitted_at);
";

impl SqliteStore {
    /// Opens (creating if needed) the database file and starts its writer.
    pub fn open(path: &Path) -> anyhow::Result<SqliteStore> {
        let conn = Connection::open(path).with_context(|| {
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
        conn.execute_batch(
            "PRAGMA synchronous = FULL;
             PRAGMA secure_delete = ON;
             PRAGMA busy_timeout = 5000;",
        )?;
        conn.execute_batch(SCHEMA)
            .with_context(|| format!("cannot create the tables in {}", path.display()))?;
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
            }),
        })
    }

    fn send(&self, op: Op) -> Result<(), StoreError> {
        let guard = self.tx.read().unwrap_or_else(|e| e.into_inner());
        match guard.as_ref() {
            Some(tx) => tx.send(op).map_err(|_| StoreError::Closed),
            None => Err(StoreError::Closed),
        }
    }
}

impl Readers {
    fn reader(&self) -> Result<Connection, StoreError> {
        if let Some(c) = self.pool.lock().unwrap_or_else(|e| e.into_inner()).pop() {
            return Ok(c);
        }
        let c = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        c.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(c)
    }

    fn give_back(&self, c: Connection) {
        let mut pool = self.pool.lock().unwrap_or_else(|e| e.into_inner());
        if pool.len() < 8 {
            pool.push(c);
        }
    }

    fn read_responses(&self, call_id: &str) -> Result<Vec<StoredResponse>, StoreError> {
        let conn = self.reader()?;
        let out = (|| {
            let mut stmt = conn.prepare_cached(
                "SELECT lang, submitted_at, answers FROM responses WHERE call_id = ?1 ORDER BY id",
            )?;
            let rows = stmt.query_map([call_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (lang, at, answers) = row?;
                out.push(StoredResponse {
                    call_id: call_id.to_string(),
                    lang,
                    submitted: Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH),
                    answers: serde_json::from_str(&answers).map_err(|e| {
                        StoreError::Corrupt(format!("stored answers are not valid JSON: {e}"))
                    })?,
                });
            }
            Ok(out)
        })();
        self.give_back(conn);
        out
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

async fn answer<T>(rx: oneshot::Receiver<Result<T, StoreError>>) -> Result<T, StoreError> {
    rx.await.unwrap_or(Err(StoreError::Closed))
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
        Box::pin(async move {
            tokio::task::spawn_blocking(move || readers.read_responses(&call_id))
                .await
                .map_err(|e| StoreError::Failed(format!("reader task failed: {e}")))?
        })
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
            // Dropping the sender lets the writer drain the queue and stop.
            self.tx.write().unwrap_or_else(|e| e.into_inner()).take();
            let handle = self.writer.lock().unwrap_or_else(|e| e.into_inner()).take();
            if let Some(h) = handle {
                let _ = tokio::task::spawn_blocking(move || h.join()).await;
            }
        })
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        self.tx.write().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(h) = self.writer.lock().unwrap_or_else(|e| e.into_inner()).take() {
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
}

fn write_loop(mut conn: Connection, rx: mpsc::Receiver<Op>) {
    let mut batch = Vec::new();
    let (mut commits, mut writes) = (0u64, 0u64);
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
                pending.push(apply(&tx, op));
            }
            tx.commit()
        })();
        match committed {
            Ok(()) => {
                for p in pending {
                    match p {
                        Pending::Insert(s, r) => drop(s.send(r)),
                        Pending::Withdraw(s, r) => drop(s.send(r)),
                        Pending::Delete(s, r) => drop(s.send(r)),
                    }
                }
            }
            Err(e) => {
                // Each waiter's caller logs the failure once; here it is only counted.
                tracing::debug!(error = %e, writes = n, "commit failed; the batch was not stored");
                let fail = StoreError::from(e);
                // Ops not yet applied when the transaction failed to begin are still in `batch`.
                for op in batch.drain(..) {
                    match op {
                        Op::Insert(_, s) => drop(s.send(Err(fail.clone()))),
                        Op::Withdraw(_, s) => drop(s.send(Err(fail.clone()))),
                        Op::Delete(_, s) => drop(s.send(Err(fail.clone()))),
                    }
                }
                for p in pending {
                    match p {
                        Pending::Insert(s, _) => drop(s.send(Err(fail.clone()))),
                        Pending::Withdraw(s, _) => drop(s.send(Err(fail.clone()))),
                        Pending::Delete(s, _) => drop(s.send(Err(fail.clone()))),
                    }
                }
            }
        }
        commits += 1;
        writes += n as u64;
        tracing::trace!(writes = n, "committed a batch");
    }
    // How well group commit worked: writes per commit (each commit is one fsync of the WAL).
    tracing::info!(writes, commits, "the store is closed");
}

fn apply(tx: &rusqlite::Transaction<'_>, op: Op) -> Pending {
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
                Ok(())
            })();
            Pending::Insert(s, res)
        }
        Op::Withdraw(hash, s) => {
            let res = tx
                .prepare_cached("DELETE FROM responses WHERE receipt_hash = ?1 RETURNING id")
                .and_then(|mut st| st.query_row([&hash[..]], |r| r.get::<_, i64>(0)).optional())
                .map(|found| found.is_some())
                .map_err(StoreError::from);
            Pending::Withdraw(s, res)
        }
        Op::Delete(which, s) => {
            let res = match which {
                Delete::Before(t) => tx.execute(
                    "DELETE FROM responses WHERE submitted_at < ?1",
                    [t.as_second()],
                ),
                Delete::Call(id) => tx.execute("DELETE FROM responses WHERE call_id = ?1", [id]),
            }
            .map(|n| n as u64)
            .map_err(StoreError::from);
            Pending::Delete(s, res)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feedback::answers::{Answer, Answers};
    use crate::feedback::receipt::Receipt;

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
