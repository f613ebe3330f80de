//! The SQLite store's schema: its steps, in order, and [`migrate`], which brings an older
//! database up to date when it is opened, in one transaction. `PRAGMA user_version` is how
//! many steps a database has had.

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use rusqlite::Connection;

use super::{MAX_TALLY, StoreError, Tally, parse_answers, results, staff, write_tally};

/// Fills what a schema step created from the responses already stored; returns how many.
pub(super) type Fill = fn(&rusqlite::Transaction<'_>) -> Result<u64, StoreError>;

/// One version of the schema: what it creates, and how it fills that from what is stored.
pub(super) struct Step {
    pub(super) sql: &'static str,
    fill: Option<Fill>,
}

/// The schema after each version, in order; `PRAGMA user_version` is how many are applied.
/// Databases made before the version was recorded have the first step's tables at version 0,
/// hence `IF NOT EXISTS`.
pub(super) const STEPS: [Step; 5] = [
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
    // Staff moderation and the change sequence. `responses` is rebuilt with AUTOINCREMENT so
    // that an id, once shown to staff or followed by a search index, never names another
    // answer after its own is deleted; hidden answers carry why, by whom and when.
    Step {
        sql: "CREATE TABLE responses_v4 (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        receipt_hash  BLOB    NOT NULL UNIQUE,
        call_id       TEXT    NOT NULL,
        lang          TEXT    NOT NULL,
        submitted_at  INTEGER NOT NULL,
        answers       TEXT    NOT NULL,
        hidden_reason TEXT,
        hidden_by     TEXT,
        hidden_at     INTEGER
    );
    INSERT INTO responses_v4 (id, receipt_hash, call_id, lang, submitted_at, answers)
        SELECT id, receipt_hash, call_id, lang, submitted_at, answers FROM responses;
    DROP TABLE responses;
    ALTER TABLE responses_v4 RENAME TO responses;
    CREATE INDEX responses_by_call ON responses (call_id, id);
    CREATE INDEX responses_by_time ON responses (submitted_at);
    CREATE TABLE changes (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        response_id INTEGER NOT NULL,
        call_id     TEXT    NOT NULL,
        kind        TEXT    NOT NULL
    );",
        fill: None,
    },
    // Themes staff tag answers with, the tags, and each call's published results.
    Step {
        sql: results::SCHEMA,
        fill: None,
    },
];

/// The schema version this build writes.
pub(crate) const VERSION: i64 = STEPS.len() as i64;

/// Brings the database at `path` to [`VERSION`], in one transaction.
pub(super) fn migrate(conn: &mut Connection, path: &Path) -> anyhow::Result<()> {
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
pub(super) fn build_counts(tx: &rusqlite::Transaction<'_>) -> Result<u64, StoreError> {
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
