//! The SQLite store's writer thread: the one writing connection, taking every waiting write
//! into one transaction (group commit), answering each only after the commit, and the
//! checkpoint that erases deleted answers from the WAL.

use super::*;

/// Runs `write` in a savepoint: if it fails, what it did is undone and the batch goes on.
pub(super) fn in_savepoint<T>(
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

/// A reply that waits for the batch's commit.
enum Pending {
    Insert(
        oneshot::Sender<Result<(), StoreError>>,
        Result<(), StoreError>,
    ),
    Withdraw(
        oneshot::Sender<Result<Option<String>, StoreError>>,
        Result<Option<String>, StoreError>,
    ),
    Delete(
        oneshot::Sender<Result<u64, StoreError>>,
        Result<u64, StoreError>,
    ),
    /// A job's reply, and whether the job may have deleted a response.
    Job(Reply, bool),
}

impl Pending {
    /// Whether this write deleted a response.
    fn deleted(&self) -> bool {
        matches!(
            self,
            Pending::Withdraw(_, Ok(Some(_))) | Pending::Delete(_, Ok(1..)) | Pending::Job(_, true)
        )
    }

    fn reply(self) {
        match self {
            Pending::Insert(s, r) => drop(s.send(r)),
            Pending::Withdraw(s, r) => drop(s.send(r)),
            Pending::Delete(s, r) => drop(s.send(r)),
            Pending::Job(reply, _) => reply(None),
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
            Pending::Job(reply, erases) => reply(if deletions_only && !erases {
                None
            } else {
                Some(fail)
            }),
        }
    }
}

pub(super) fn write_loop(mut conn: Connection, rx: mpsc::Receiver<Op>) {
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
                        Op::Job(job, _) => job(None)(Some(&fail)),
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
                record(tx, tx.last_insert_rowid(), &r.call_id, ChangeKind::Insert)?;
                tally.add(&r.call_id, &r.answers, 1);
                Ok(())
            })();
            Pending::Insert(s, res)
        }
        Op::Withdraw(hash, s) => {
            let res = (|| {
                let found = tx
                    .prepare_cached(
                        "DELETE FROM responses WHERE receipt_hash = ?1
                         RETURNING id, call_id, answers, hidden_at IS NOT NULL",
                    )?
                    .query_row([&hash[..]], Gone::from_row)
                    .optional()?;
                let Some(gone) = found else {
                    return Ok(None);
                };
                record(tx, gone.id, &gone.call_id, ChangeKind::Withdraw)?;
                gone.uncount(tally);
                Ok(Some(gone.call_id))
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
        Op::Job(job, erases) => {
            // A job may change counts itself (hiding): the batch's own changes go first, so
            // that no count is seen below zero and dropped.
            match write_tally(tx, tally) {
                Ok(()) => Pending::Job(job(Some(tx)), erases),
                Err(e) => {
                    job(None)(Some(&StoreError::from(e)));
                    Pending::Job(Box::new(|_| {}), false)
                }
            }
        }
    }
}

/// Deletes responses, lowers their counts and records each as purged; the batch's own tally
/// is already written.
fn delete(tx: &rusqlite::Transaction<'_>, which: Delete) -> Result<u64, StoreError> {
    match which {
        Delete::Before(t) => {
            let mut tally = Tally::default();
            let mut stmt = tx.prepare_cached(
                "SELECT call_id, answers FROM responses
                 WHERE submitted_at < ?1 AND hidden_at IS NULL",
            )?;
            let mut rows = stmt.query([t.as_second()])?;
            while let Some(row) = rows.next()? {
                let answers = parse_answers(row.get_ref(1)?.as_str()?)?;
                tally.add(&row.get::<_, String>(0)?, &answers, -1);
                if tally.len() >= MAX_TALLY {
                    write_tally(tx, &mut tally)?;
                }
            }
            write_tally(tx, &mut tally)?;
            tx.execute(
                "INSERT INTO changes (response_id, call_id, kind)
                 SELECT id, call_id, ?2 FROM responses WHERE submitted_at < ?1 ORDER BY id",
                params![t.as_second(), ChangeKind::Purge.as_str()],
            )?;
            Ok(tx.execute(
                "DELETE FROM responses WHERE submitted_at < ?1",
                [t.as_second()],
            )? as u64)
        }
        Delete::Call(id) => {
            tx.execute("DELETE FROM counts WHERE call_id = ?1", [&id])?;
            tx.execute(
                "INSERT INTO changes (response_id, call_id, kind)
                 SELECT id, call_id, ?2 FROM responses WHERE call_id = ?1 ORDER BY id",
                params![id, ChangeKind::Purge.as_str()],
            )?;
            Ok(tx.execute("DELETE FROM responses WHERE call_id = ?1", [&id])? as u64)
        }
    }
}

/// Adds `kind` happening to response `id` to the change sequence, in the caller's
/// transaction.
pub(super) fn record(
    conn: &Connection,
    id: i64,
    call_id: &str,
    kind: ChangeKind,
) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT INTO changes (response_id, call_id, kind) VALUES (?1, ?2, ?3)")?
        .execute(params![id, call_id, kind.as_str()])?;
    Ok(())
}

/// A response just deleted, as `RETURNING id, call_id, answers, hidden_at IS NOT NULL` gives it.
pub(super) struct Gone {
    pub id: i64,
    pub call_id: String,
    answers: String,
    hidden: bool,
}

impl Gone {
    pub fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Gone> {
        Ok(Gone {
            id: r.get(0)?,
            call_id: r.get(1)?,
            answers: r.get(2)?,
            hidden: r.get(3)?,
        })
    }

    /// Takes it out of the counts, unless hiding already did.
    pub fn uncount(&self, tally: &mut Tally) {
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
