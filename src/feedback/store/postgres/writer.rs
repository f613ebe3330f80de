//! The PostgreSQL store's writes of responses: answers committed in batches (group commit),
//! withdrawals and deletions, each changing the counts in its own transaction.
//!
//! An answer joins a queue and a task is started to commit what is queued. At most
//! [`COMMITTERS`] such tasks hold a transaction at once; a task that gets its turn takes
//! everything queued by then (up to [`MAX_BATCH`]), so while one batch waits for its WAL flush
//! the next one gathers. Each answer is acknowledged only after its batch's `COMMIT` returned.
//! If a batch fails for a reason of its own data (not the connection), its answers are
//! committed one by one, so that one bad answer cannot fail the others.
//!
//! Count rows are written sorted by key, so two transactions (on this instance or another)
//! always lock them in the same order and cannot deadlock each other. Every write to a
//! response adds its [`Changes`] last, numbered in commit order (see [`Changes::record`]).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use deadpool_postgres::Pool;
use futures_util::{StreamExt, pin_mut};
use tokio::sync::{Semaphore, oneshot};
use tokio_postgres::Transaction;

use super::super::counts::Tally;
use super::super::{ChangeKind, Delete, NewResponse, StoreError};
use super::{get, parse_answers, within};
use crate::feedback::receipt::ReceiptHash;

/// Batches committed at once by one instance. One: every answer to a call changes the same
/// count rows, so a second transaction would only wait for the first's row locks, holding
/// answers that could have joined the next batch (4 gave 3,850 answers/s where 1 gives 10,300
/// in the benchmark, docs/performance.md).
const COMMITTERS: usize = 1;

/// The most answers committed together; bounds how long one commit holds its waiters.
const MAX_BATCH: usize = 1024;

type Waiting = (NewResponse, oneshot::Sender<Result<(), StoreError>>);

pub(super) struct Inserts {
    queue: Mutex<Vec<Waiting>>,
    committers: Semaphore,
    /// Answers stored and transactions that stored them: how well group commit works.
    writes: AtomicU64,
    commits: AtomicU64,
}

impl Default for Inserts {
    fn default() -> Inserts {
        Inserts {
            queue: Mutex::new(Vec::new()),
            committers: Semaphore::new(COMMITTERS),
            writes: AtomicU64::new(0),
            commits: AtomicU64::new(0),
        }
    }
}

impl Inserts {
    fn take(&self) -> Vec<Waiting> {
        let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        let n = q.len().min(MAX_BATCH);
        q.drain(..n).collect()
    }

    /// Waits, at most `patience`, until every queued answer has been committed (or failed).
    pub(super) async fn drain(&self, patience: Duration) {
        let started = tokio::time::Instant::now();
        while started.elapsed() < patience {
            let queued = !self
                .queue
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .is_empty();
            if !queued && self.committers.available_permits() == COMMITTERS {
                let writes = self.writes.load(Ordering::Relaxed);
                let commits = self.commits.load(Ordering::Relaxed);
                tracing::info!(writes, commits, "the store is closed");
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        tracing::warn!("answers still being stored when the store closed");
    }
}

/// Queues an answer and returns once its batch has committed.
pub(super) async fn insert(
    pool: &Pool,
    inserts: &std::sync::Arc<Inserts>,
    r: NewResponse,
) -> Result<(), StoreError> {
    let (tx, rx) = oneshot::channel();
    inserts
        .queue
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((r, tx));
    // In a task of its own: a client going away must not abandon a batch that holds others.
    tokio::spawn(commit_queued(pool.clone(), inserts.clone()));
    rx.await.unwrap_or(Err(StoreError::Closed))
}

async fn commit_queued(pool: Pool, inserts: std::sync::Arc<Inserts>) {
    let Ok(_turn) = inserts.committers.acquire().await else {
        return;
    };
    let batch = inserts.take();
    if batch.is_empty() {
        return;
    }
    let (responses, waiting): (Vec<NewResponse>, Vec<_>) = batch.into_iter().unzip();
    let n = responses.len();
    let committed = commit_batch(&pool, &responses).await;
    match committed {
        Ok(()) => {
            inserts.writes.fetch_add(n as u64, Ordering::Relaxed);
            inserts.commits.fetch_add(1, Ordering::Relaxed);
            waiting.into_iter().for_each(|w| drop(w.send(Ok(()))));
        }
        Err(e) if n > 1 && !matches!(e, StoreError::Unreachable(_) | StoreError::Closed) => {
            tracing::debug!(error = %e, answers = n, "a batch failed; committing one by one");
            for (r, w) in responses.into_iter().zip(waiting) {
                drop(w.send(commit_batch(&pool, std::slice::from_ref(&r)).await));
            }
        }
        Err(e) => {
            tracing::debug!(error = %e, answers = n, "commit failed; the batch was not stored");
            waiting
                .into_iter()
                .for_each(|w| drop(w.send(Err(e.clone()))));
        }
    }
}

/// Stores `responses`, their counts and their changes in one transaction.
async fn commit_batch(pool: &Pool, responses: &[NewResponse]) -> Result<(), StoreError> {
    let mut client = get(pool).await?;
    let rows: Vec<(NewResponse, String)> = responses
        .iter()
        .map(|r| {
            serde_json::to_string(&r.answers)
                .map(|json| (r.clone(), json))
                .map_err(|e| StoreError::Failed(format!("cannot write answers as JSON: {e}")))
        })
        .collect::<Result<_, _>>()?;
    let task = tokio::spawn(async move {
        let tx = client.transaction().await?;
        let stmt = tx
            .prepare_cached(
                "INSERT INTO responses (receipt_hash, call_id, lang, submitted_at, answers) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .await?;
        let mut tally = Tally::default();
        // Sent together: the server answers them in one round trip, not one each.
        let each = rows.iter().map(|(r, json)| {
            let (receipt, submitted) = (&r.receipt[..], r.submitted.as_second());
            let stmt = &stmt;
            let tx = &tx;
            async move {
                tx.query_one(stmt, &[&receipt, &r.call_id, &r.lang, &submitted, json])
                    .await
            }
        });
        let ids = futures_util::future::try_join_all(each).await?;
        let mut changes = Changes::default();
        for ((r, _), id) in rows.iter().zip(ids) {
            tally.add(&r.call_id, &r.answers, 1);
            changes.push(id.try_get(0)?, &r.call_id, ChangeKind::Insert);
        }
        write_tally(&tx, &mut tally).await?;
        changes.record(&tx).await?;
        tx.commit().await?;
        Ok(())
    });
    within(task).await
}

/// Responses changed in one transaction, to be added to the change sequence as its last
/// statement ([`Changes::record`]).
#[derive(Default)]
pub(super) struct Changes {
    ids: Vec<i64>,
    calls: Vec<String>,
    kinds: Vec<&'static str>,
}

/// The transaction-scoped advisory lock writers hold shared while they number `changes` rows,
/// and readers of the sequence take exclusively ("changes" in ASCII; distinct from the
/// schema's lock).
pub(super) const CHANGES_LOCK: i64 = 0x0063_6861_6e67_6573;

impl Changes {
    pub(super) fn push(&mut self, id: i64, call_id: &str, kind: ChangeKind) {
        self.ids.push(id);
        self.calls.push(call_id.to_string());
        self.kinds.push(kind.as_str());
    }

    /// Adds the changes to the sequence. Must be the transaction's last statement before
    /// `COMMIT`.
    ///
    /// Whoever follows the sequence reads `seq > last seen` and moves on, so a follower must
    /// never see a `seq` while a lower one can still commit: it would skip that one for good.
    /// An identity (or any sequence) hands out numbers when rows are inserted, not when they
    /// commit, and transactions on several connections and instances commit in any order.
    /// So numbers are taken under [`CHANGES_LOCK`] held shared, and `browse::read_changes`
    /// takes it exclusively before it reads: it waits until every transaction that has numbered its
    /// changes has committed or rolled back (PostgreSQL releases a transaction's advisory
    /// locks only after its commit is durable and visible), and a transaction that numbers
    /// later gets higher numbers (the identity hands them out in order, `CACHE 1`). Writers
    /// do not wait for each other, so their commits still share WAL flushes; a reader waits
    /// at most for the commits in flight, and writers that come after it wait for its one
    /// query. Taking the lock last keeps the row locks on `counts` out of it, so it cannot
    /// take part in a deadlock. A transaction that rolls back after numbering leaves a gap,
    /// which followers step over. A lock every writer took exclusively, until its commit,
    /// would be simpler, but it queues every commit's WAL flush behind the one before, on
    /// every instance, whatever the transactions touch.
    pub(super) async fn record(self, tx: &Transaction<'_>) -> Result<(), StoreError> {
        if self.ids.is_empty() {
            return Ok(());
        }
        tx.execute("SELECT pg_advisory_xact_lock_shared($1)", &[&CHANGES_LOCK])
            .await?;
        tx.execute(
            "INSERT INTO changes (response_id, call_id, kind) \
             SELECT id, call_id, kind FROM \
             unnest($1::bigint[], $2::text[], $3::text[]) WITH ORDINALITY \
             AS c (id, call_id, kind, n) ORDER BY n",
            &[&self.ids, &self.calls, &self.kinds],
        )
        .await?;
        Ok(())
    }
}

/// A response just deleted, as `RETURNING id, call_id, answers, hidden_at IS NOT NULL`
/// gives it.
pub(super) struct Gone {
    pub(super) id: i64,
    pub(super) call_id: String,
    answers: String,
    hidden: bool,
}

impl Gone {
    pub(super) fn from_row(row: &tokio_postgres::Row) -> Result<Gone, StoreError> {
        Ok(Gone {
            id: row.try_get(0)?,
            call_id: row.try_get(1)?,
            answers: row.try_get(2)?,
            hidden: row.try_get(3)?,
        })
    }

    /// Takes it out of the counts, unless hiding already did.
    pub(super) fn uncount(&self, tally: &mut Tally) {
        if self.hidden {
            return;
        }
        match parse_answers(&self.answers) {
            Ok(a) => tally.add(&self.call_id, &a, -1),
            // The answer is still deleted; only the counts are off.
            Err(e) => tracing::error!(call = %self.call_id, "{e}: its counts were not lowered"),
        }
    }
}

/// Deletes the response with this receipt, lowers its counts and records the withdrawal;
/// the id of its call, `None` if there is no such response.
pub(super) async fn withdraw(
    tx: &Transaction<'_>,
    receipt: ReceiptHash,
) -> Result<Option<String>, StoreError> {
    let row = tx
        .query_opt(
            "DELETE FROM responses WHERE receipt_hash = $1 \
             RETURNING id, call_id, answers, hidden_at IS NOT NULL",
            &[&&receipt[..]],
        )
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let gone = Gone::from_row(&row)?;
    let mut tally = Tally::default();
    gone.uncount(&mut tally);
    write_tally(tx, &mut tally).await?;
    let mut changes = Changes::default();
    changes.push(gone.id, &gone.call_id, ChangeKind::Withdraw);
    changes.record(tx).await?;
    Ok(Some(gone.call_id))
}

/// Deletes responses, lowers their counts and records each as purged; returns how many.
pub(super) async fn delete(tx: &Transaction<'_>, which: Delete) -> Result<u64, StoreError> {
    let mut changes = Changes::default();
    match which {
        Delete::Before(t) => {
            let rows = tx
                .query_raw(
                    "DELETE FROM responses WHERE submitted_at < $1 \
                     RETURNING id, call_id, answers, hidden_at IS NOT NULL",
                    [t.as_second()],
                )
                .await?;
            pin_mut!(rows);
            // The tally grows with the distinct count keys, not with the rows deleted; it is
            // written after the last row, as a transaction answers one statement at a time.
            let mut tally = Tally::default();
            let mut gone = Vec::new();
            while let Some(row) = rows.next().await {
                let g = Gone::from_row(&row?)?;
                if !g.hidden {
                    tally.add(&g.call_id, &parse_answers(&g.answers)?, -1);
                }
                gone.push((g.id, g.call_id));
            }
            gone.sort_unstable();
            for (id, call) in &gone {
                changes.push(*id, call, ChangeKind::Purge);
            }
            write_tally(tx, &mut tally).await?;
        }
        Delete::Call(id) => {
            tx.execute("DELETE FROM counts WHERE call_id = $1", &[&id])
                .await?;
            let rows = tx
                .query(
                    "DELETE FROM responses WHERE call_id = $1 RETURNING id",
                    &[&id],
                )
                .await?;
            let mut ids = rows
                .iter()
                .map(|r| r.try_get(0))
                .collect::<Result<Vec<i64>, _>>()?;
            ids.sort_unstable();
            for response in ids {
                changes.push(response, &id, ChangeKind::Purge);
            }
        }
    }
    let n = changes.ids.len() as u64;
    changes.record(tx).await?;
    Ok(n)
}

/// Applies the gathered changes to `counts`, in key order; a count that reaches zero is
/// removed.
pub(super) async fn write_tally(tx: &Transaction<'_>, tally: &mut Tally) -> Result<(), StoreError> {
    let mut rows: Vec<_> = tally.drain().collect();
    if rows.is_empty() {
        return Ok(());
    }
    rows.sort_unstable_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let calls: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let questions: Vec<&str> = rows.iter().map(|r| r.1.question.as_str()).collect();
    let values: Vec<&str> = rows.iter().map(|r| r.1.value.as_str()).collect();
    let deltas: Vec<i64> = rows.iter().map(|r| r.2).collect();
    tx.execute(
        "INSERT INTO counts (call_id, question, value, n) \
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) \
         ON CONFLICT (call_id, question, value) DO UPDATE SET n = counts.n + excluded.n",
        &[&calls, &questions, &values, &deltas],
    )
    .await?;
    if deltas.iter().any(|d| *d < 0) {
        tx.execute(
            "DELETE FROM counts WHERE n <= 0 AND (call_id, question, value) IN \
             (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))",
            &[&calls, &questions, &values],
        )
        .await?;
    }
    Ok(())
}
