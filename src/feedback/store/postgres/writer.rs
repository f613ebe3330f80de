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
//! always lock them in the same order and cannot deadlock each other.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use deadpool_postgres::Pool;
use futures_util::{StreamExt, pin_mut};
use tokio::sync::{Semaphore, oneshot};
use tokio_postgres::Transaction;

use super::super::counts::Tally;
use super::super::{Delete, NewResponse, StoreError};
use super::{get, parse_answers, within};
use crate::feedback::receipt::ReceiptHash;

/// Batches committed at once by one instance.
const COMMITTERS: usize = 4;

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

/// Stores `responses` and their counts in one transaction.
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
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .await?;
        let mut tally = Tally::default();
        // Sent together: the server answers them in one round trip, not one each.
        let each = rows.iter().map(|(r, json)| {
            let (receipt, submitted) = (&r.receipt[..], r.submitted.as_second());
            let stmt = &stmt;
            let tx = &tx;
            async move {
                tx.execute(stmt, &[&receipt, &r.call_id, &r.lang, &submitted, json])
                    .await
            }
        });
        futures_util::future::try_join_all(each).await?;
        for (r, _) in &rows {
            tally.add(&r.call_id, &r.answers, 1);
        }
        write_tally(&tx, &mut tally).await?;
        tx.commit().await?;
        Ok(())
    });
    within(task).await
}

/// Deletes the response with this receipt and lowers its counts.
pub(super) async fn withdraw(
    tx: &Transaction<'_>,
    receipt: ReceiptHash,
) -> Result<bool, StoreError> {
    let row = tx
        .query_opt(
            "DELETE FROM responses WHERE receipt_hash = $1 RETURNING call_id, answers",
            &[&&receipt[..]],
        )
        .await?;
    let Some(row) = row else {
        return Ok(false);
    };
    let call_id: String = row.try_get(0)?;
    let mut tally = Tally::default();
    match parse_answers(row.try_get(1)?) {
        Ok(a) => tally.add(&call_id, &a, -1),
        // The resident still gets their answer deleted; only the counts are off.
        Err(e) => tracing::error!(call = %call_id, "{e}: its counts were not lowered"),
    }
    write_tally(tx, &mut tally).await?;
    Ok(true)
}

/// Deletes responses and lowers their counts; returns how many.
pub(super) async fn delete(tx: &Transaction<'_>, which: Delete) -> Result<u64, StoreError> {
    match which {
        Delete::Before(t) => {
            let rows = tx
                .query_raw(
                    "DELETE FROM responses WHERE submitted_at < $1 RETURNING call_id, answers",
                    [t.as_second()],
                )
                .await?;
            pin_mut!(rows);
            // The tally grows with the distinct count keys, not with the rows deleted; it is
            // written after the last row, as a transaction answers one statement at a time.
            let mut tally = Tally::default();
            let mut n = 0;
            while let Some(row) = rows.next().await {
                let row = row?;
                let call_id: String = row.try_get(0)?;
                tally.add(&call_id, &parse_answers(row.try_get(1)?)?, -1);
                n += 1;
            }
            write_tally(tx, &mut tally).await?;
            Ok(n)
        }
        Delete::Call(id) => {
            tx.execute("DELETE FROM counts WHERE call_id = $1", &[&id])
                .await?;
            Ok(tx
                .execute("DELETE FROM responses WHERE call_id = $1", &[&id])
                .await?)
        }
    }
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
