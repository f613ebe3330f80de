//! `torget feedback migrate`: everything an SQLite database holds (responses with their ids
//! and hidden state, staff, setup links, sessions, failed sign-ins, the audit log, themes,
//! tags, published results), copied into a PostgreSQL one in one transaction, then checked;
//! the counts are rebuilt from the visible responses there.
//!
//! Responses and themes keep their ids, so tags, the console's links and the audit log's
//! details still name the same answers; the identities then continue after the highest id
//! SQLite ever gave out. The change sequence starts afresh: an instance's search index is
//! built from the answers when it starts.
//!
//! Safe to run again: a response is known by its receipt (its hidden state taken from SQLite
//! again), an account by its email, a link or session by its token, a theme by its id (its
//! labels taken again), a published result by its call, an audit line or a failed sign-in by
//! all it says. An answer SQLite's change sequence says was withdrawn, deleted or purged is
//! deleted from PostgreSQL, and so are tags and themes SQLite no longer has. So an operator
//! copies once while the old endpoint still runs, stops it, and copies again for what changed
//! in between, before the PostgreSQL instances start.

use std::path::Path;

use anyhow::{Context, bail};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use tokio_postgres::Transaction;
use tokio_postgres::types::ToSql;

use super::super::ChangeKind;
use super::super::counts::Tally;
use super::super::sqlite::SqliteStore;
use super::writer::{Changes, Gone, write_tally};
use super::{PgStore, PgUrl, parse_answers};
use crate::feedback::store::IfMissing;

/// Rows sent in one statement.
const CHUNK: usize = 1000;

/// What was copied, and what the PostgreSQL database holds after.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Copied {
    /// Responses in the SQLite database; all of them are in PostgreSQL after.
    pub responses: u64,
    /// Of those, the ones a previous run had not copied.
    pub new_responses: u64,
    /// Responses deleted from PostgreSQL because they were withdrawn or deleted in SQLite
    /// after an earlier run copied them.
    pub removed: u64,
    pub staff: u64,
    pub audit: u64,
    pub themes: u64,
    pub tags: u64,
    pub published: u64,
}

/// One table's rows, each row its values in the order of `columns`.
struct Table {
    name: &'static str,
    columns: &'static str,
    /// How a row already there is recognised.
    conflict: Conflict,
    rows: Vec<Vec<Value>>,
}

#[derive(Clone, Copy)]
enum Conflict {
    /// Unique columns: `ON CONFLICT (…) DO NOTHING`.
    Key(&'static str),
    /// Unique columns, and the columns taken again from SQLite when the row is there:
    /// `ON CONFLICT (…) DO UPDATE`.
    Update(&'static str, &'static [&'static str]),
    /// No key: a row equal in every column is already there.
    Equal,
}

impl Conflict {
    /// The key columns, if any.
    fn key(self) -> Option<&'static str> {
        match self {
            Conflict::Key(k) | Conflict::Update(k, _) => Some(k),
            Conflict::Equal => None,
        }
    }
}

#[derive(Debug, Clone)]
enum Value {
    Int(Option<i64>),
    Text(Option<String>),
    Bytes(Vec<u8>),
}

impl Value {
    fn sql(&self) -> &(dyn ToSql + Sync) {
        match self {
            Value::Int(v) => v,
            Value::Text(v) => v,
            Value::Bytes(v) => v,
        }
    }

    /// The PostgreSQL type a placeholder of this value is cast to.
    fn cast(&self) -> &'static str {
        match self {
            Value::Int(_) => "bigint",
            Value::Text(_) => "text",
            Value::Bytes(_) => "bytea",
        }
    }
}

/// What each table is, as `(name, columns, conflict)`, in an order that puts what is referred
/// to first; the columns have the same names in both stores. `id` columns are identities in
/// PostgreSQL, written with `OVERRIDING SYSTEM VALUE`.
const TABLES: [(&str, &str, Conflict); 10] = [
    (
        "responses",
        "id, receipt_hash, call_id, lang, submitted_at, answers, hidden_reason, hidden_by, \
         hidden_at",
        Conflict::Update("receipt_hash", &["hidden_reason", "hidden_by", "hidden_at"]),
    ),
    (
        "staff",
        "email, name, role, password, created_at, last_sign_in",
        Conflict::Key("email"),
    ),
    (
        "staff_setup",
        "token_hash, email, expires_at",
        Conflict::Key("token_hash"),
    ),
    (
        "staff_sessions",
        "token_hash, email, created_at, last_seen",
        Conflict::Key("token_hash"),
    ),
    ("sign_in_failures", "key, at", Conflict::Equal),
    ("audit", "at, who, action, call_id, detail", Conflict::Equal),
    (
        "themes",
        "id, call_id, label",
        Conflict::Update("id", &["label"]),
    ),
    (
        "tags",
        "response_id, theme_id",
        Conflict::Key("response_id, theme_id"),
    ),
    (
        "published",
        "call_id, published_at, file",
        Conflict::Update("call_id", &["published_at", "file"]),
    ),
    // Not copied: read for the answers SQLite no longer has (see `remove_gone`).
    ("changes", "response_id, call_id, kind", Conflict::Equal),
];

/// A column's kind, by its name (the same in both stores).
fn kind(column: &str) -> Value {
    match column {
        "receipt_hash" | "token_hash" | "key" => Value::Bytes(Vec::new()),
        "id" | "response_id" | "theme_id" | "submitted_at" | "created_at" | "last_sign_in"
        | "expires_at" | "last_seen" | "at" | "hidden_at" | "published_at" => Value::Int(None),
        _ => Value::Text(None),
    }
}

/// Reads every table of the SQLite database at `from`, oldest row first, and the highest id
/// it ever gave a response and a theme (`sqlite_sequence`, as its ids are `AUTOINCREMENT`).
#[allow(clippy::type_complexity)]
fn read(from: &Path) -> anyhow::Result<(Vec<Table>, Vec<(&'static str, i64)>)> {
    use rusqlite::types::ValueRef;
    let conn = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("cannot open {}", from.display()))?;
    let tx = conn.unchecked_transaction()?;
    let mut out = Vec::new();
    for (name, columns, conflict) in TABLES {
        let kinds: Vec<Value> = columns.split(", ").map(kind).collect();
        // `tags` has no rowid (`WITHOUT ROWID`): its key is its order.
        let order = if name == "tags" { columns } else { "rowid" };
        let mut stmt = tx.prepare(&format!("SELECT {columns} FROM {name} ORDER BY {order}"))?;
        let mut rows = Vec::new();
        let mut q = stmt.query([])?;
        while let Some(row) = q.next()? {
            let mut values = Vec::with_capacity(kinds.len());
            for (i, k) in kinds.iter().enumerate() {
                values.push(match (k, row.get_ref(i)?) {
                    (Value::Int(_), ValueRef::Integer(v)) => Value::Int(Some(v)),
                    (Value::Int(_), ValueRef::Null) => Value::Int(None),
                    (Value::Text(_), ValueRef::Text(t)) => {
                        Value::Text(Some(String::from_utf8(t.to_vec())?))
                    }
                    (Value::Text(_), ValueRef::Null) => Value::Text(None),
                    (Value::Bytes(_), ValueRef::Blob(b)) => Value::Bytes(b.to_vec()),
                    (_, other) => bail!(
                        "{}: {name} holds a {:?} where torget wrote something else; is it a \
                         torget database?",
                        from.display(),
                        other.data_type()
                    ),
                });
            }
            rows.push(values);
        }
        out.push(Table {
            name,
            columns,
            conflict,
            rows,
        });
    }
    let mut sequences = Vec::new();
    for name in ["responses", "themes"] {
        let highest: Option<i64> = tx
            .query_row(
                "SELECT seq FROM sqlite_sequence WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()?;
        sequences.push((name, highest.unwrap_or(0)));
    }
    Ok((out, sequences))
}

/// Inserts `rows` into `table`, leaving what is already there; returns how many were new.
async fn insert(tx: &Transaction<'_>, table: &Table, rows: &[Vec<Value>]) -> anyhow::Result<u64> {
    let Some(first) = rows.first() else {
        return Ok(0);
    };
    let width = first.len();
    let overriding = if table.columns.starts_with("id,") {
        "OVERRIDING SYSTEM VALUE "
    } else {
        ""
    };
    let mut sql = format!(
        "INSERT INTO {} ({}) {overriding}",
        table.name, table.columns
    );
    let tuple = |r: usize| {
        let cells: Vec<String> = (0..width)
            .map(|c| format!("${}::{}", r * width + c + 1, first[c].cast()))
            .collect();
        format!("({})", cells.join(", "))
    };
    let values: Vec<String> = (0..rows.len()).map(tuple).collect();
    match table.conflict {
        Conflict::Key(key) => {
            sql += &format!(
                "VALUES {} ON CONFLICT ({key}) DO NOTHING",
                values.join(", ")
            );
        }
        Conflict::Update(key, columns) => {
            let set: Vec<String> = columns
                .iter()
                .map(|c| format!("{c} = excluded.{c}"))
                .collect();
            // `xmax = 0` only for a row this statement inserted, not one it updated.
            sql += &format!(
                "VALUES {} ON CONFLICT ({key}) DO UPDATE SET {} RETURNING (xmax = 0)",
                values.join(", "),
                set.join(", ")
            );
            let params: Vec<&(dyn ToSql + Sync)> = rows.iter().flatten().map(Value::sql).collect();
            let rows = tx.query(&sql, &params).await.map_err(|e| {
                let taken = e.as_db_error().and_then(|d| d.constraint()) == Some("responses_pkey");
                let e = anyhow::Error::from(e);
                if taken {
                    e.context(
                        "PostgreSQL already holds answers of its own under ids this SQLite \
                         database gave out; copy into a new, empty database",
                    )
                } else {
                    e
                }
            })?;
            return Ok(rows.iter().filter(|r| r.get::<_, bool>(0)).count() as u64);
        }
        Conflict::Equal => {
            // One row a statement: a row equal to one already there is left out.
            let names: Vec<&str> = table.columns.split(", ").collect();
            let same: Vec<String> = names
                .iter()
                .enumerate()
                .map(|(c, n)| format!("t.{n} IS NOT DISTINCT FROM ${}::{}", c + 1, first[c].cast()))
                .collect();
            let mut n = 0;
            for row in rows {
                let params: Vec<&(dyn ToSql + Sync)> = row.iter().map(Value::sql).collect();
                n += tx
                    .execute(
                        &format!(
                            "INSERT INTO {} ({}) SELECT {} WHERE NOT EXISTS \
                             (SELECT 1 FROM {} AS t WHERE {})",
                            table.name,
                            table.columns,
                            (1..=width)
                                .map(|c| format!("${c}::{}", first[c - 1].cast()))
                                .collect::<Vec<_>>()
                                .join(", "),
                            table.name,
                            same.join(" AND ")
                        ),
                        &params,
                    )
                    .await?;
            }
            return Ok(n);
        }
    }
    let params: Vec<&(dyn ToSql + Sync)> = rows.iter().flatten().map(Value::sql).collect();
    Ok(tx.execute(&sql, &params).await?)
}

/// Copies the SQLite database at `from` into the PostgreSQL database at `to`.
pub async fn from_sqlite(from: &Path, to: &PgUrl) -> anyhow::Result<Copied> {
    if !from.exists() {
        bail!(
            "{}: no such database; give the SQLite file the endpoint wrote with --from",
            from.display()
        );
    }
    // Brings an older SQLite file up to date, so that every table is there to read.
    let from_owned = from.to_path_buf();
    let tables = tokio::task::spawn_blocking(move || {
        drop(SqliteStore::open(&from_owned)?);
        read(&from_owned)
    })
    .await??;
    let store = PgStore::open(to, IfMissing::Create)?;
    let mut client = store
        .pool
        .get()
        .await
        .with_context(|| format!("{to}: cannot connect"))?;
    let tx = client.transaction().await?;
    // Nothing else writes while the counts are rebuilt.
    tx.batch_execute("LOCK TABLE responses, counts, themes, tags IN EXCLUSIVE MODE")
        .await?;
    let (tables, sequences) = tables;
    let table = |name: &str| tables.iter().find(|t| t.name == name);
    let mut copied = Copied {
        removed: match table("changes") {
            Some(changes) => remove_gone(&tx, changes).await?,
            None => 0,
        },
        ..Copied::default()
    };
    for table in tables.iter().filter(|t| t.name != "changes") {
        let mut new = 0;
        for chunk in table.rows.chunks(CHUNK) {
            new += insert(&tx, table, chunk)
                .await
                .with_context(|| format!("{to}: cannot copy {}", table.name))?;
        }
        let all = table.rows.len() as u64;
        match table.name {
            "responses" => {
                copied.responses = all;
                copied.new_responses = new;
            }
            "staff" => copied.staff = all,
            "audit" => copied.audit = all,
            "themes" => copied.themes = all,
            "tags" => copied.tags = all,
            "published" => copied.published = all,
            _ => {}
        }
    }
    if let (Some(themes), Some(tags), Some(responses)) =
        (table("themes"), table("tags"), table("responses"))
    {
        remove_untagged(&tx, themes, tags, responses, &sequences).await?;
    }
    for (name, highest) in &sequences {
        // The identity continues after the highest id SQLite ever gave out, or PostgreSQL has.
        tx.execute(
            &format!(
                "SELECT setval(pg_get_serial_sequence('{name}', 'id'), \
                 greatest((SELECT max(id) FROM {name}), $1, 1))"
            ),
            &[highest],
        )
        .await?;
    }
    rebuild_counts(&tx).await?;
    verify(&tx, &tables, to).await?;
    tx.commit().await?;
    drop(client);
    super::super::Store::close(&store).await;
    Ok(copied)
}

/// Deletes from PostgreSQL the responses SQLite's change sequence says were withdrawn,
/// deleted or purged, recording each in PostgreSQL's; returns how many.
async fn remove_gone(tx: &Transaction<'_>, changes: &Table) -> anyhow::Result<u64> {
    let ids: Vec<i64> = changes
        .rows
        .iter()
        .filter(|r| {
            matches!(&r[2], Value::Text(Some(k))
                if ChangeKind::parse(k).is_some_and(ChangeKind::removes))
        })
        .filter_map(|r| match r[0] {
            Value::Int(Some(id)) => Some(id),
            _ => None,
        })
        .collect();
    if ids.is_empty() {
        return Ok(0);
    }
    let rows = tx
        .query(
            "DELETE FROM responses WHERE id = ANY($1) \
             RETURNING id, call_id, answers, hidden_at IS NOT NULL",
            &[&ids],
        )
        .await?;
    let mut tally = Tally::default();
    let mut recorded = Changes::default();
    for row in &rows {
        let gone = Gone::from_row(row)?;
        gone.uncount(&mut tally);
        recorded.push(gone.id, &gone.call_id, ChangeKind::Purge);
    }
    write_tally(tx, &mut tally).await?;
    recorded.record(tx).await?;
    Ok(rows.len() as u64)
}

/// Deletes the tags of SQLite's answers that SQLite no longer has, and the themes SQLite gave
/// an id to and no longer has.
async fn remove_untagged(
    tx: &Transaction<'_>,
    themes: &Table,
    tags: &Table,
    responses: &Table,
    sequences: &[(&'static str, i64)],
) -> anyhow::Result<()> {
    let ints = |t: &Table, c: usize| -> Vec<i64> {
        t.rows
            .iter()
            .filter_map(|r| match r[c] {
                Value::Int(Some(v)) => Some(v),
                _ => None,
            })
            .collect()
    };
    let (tag_responses, tag_themes) = (ints(tags, 0), ints(tags, 1));
    tx.execute(
        "DELETE FROM tags WHERE response_id = ANY($1) AND (response_id, theme_id) NOT IN \
         (SELECT * FROM unnest($2::bigint[], $3::bigint[]))",
        &[&ints(responses, 0), &tag_responses, &tag_themes],
    )
    .await?;
    let highest = sequences
        .iter()
        .find(|(n, _)| *n == "themes")
        .map_or(0, |(_, h)| *h);
    tx.execute(
        "DELETE FROM themes WHERE id <= $1 AND id <> ALL($2)",
        &[&highest, &ints(themes, 0)],
    )
    .await?;
    Ok(())
}

/// Counts every response in the database afresh.
async fn rebuild_counts(tx: &Transaction<'_>) -> anyhow::Result<()> {
    tx.execute("DELETE FROM counts", &[]).await?;
    let rows = tx
        .query(
            "SELECT call_id, answers FROM responses WHERE hidden_at IS NULL",
            &[],
        )
        .await?;
    let mut tally = Tally::default();
    for row in rows {
        let call: &str = row.try_get(0)?;
        tally.add(call, &parse_answers(row.try_get(1)?)?, 1);
    }
    write_tally(tx, &mut tally).await?;
    Ok(())
}

/// Every row of the SQLite database that has a key (responses, accounts, links, sessions,
/// themes, tags, published results) is in PostgreSQL, and each call's count of responses is
/// its number of visible responses.
async fn verify(tx: &Transaction<'_>, tables: &[Table], to: &PgUrl) -> anyhow::Result<()> {
    for table in tables.iter().filter(|t| t.name != "changes") {
        let Some(key) = table.conflict.key() else {
            continue;
        };
        let columns: Vec<&str> = table.columns.split(", ").map(str::trim).collect();
        let at: Vec<usize> = key
            .split(", ")
            .map(|k| columns.iter().position(|c| c == &k).unwrap_or(0))
            .collect();
        let mut found = 0i64;
        for chunk in table.rows.chunks(CHUNK) {
            let params: Vec<&(dyn ToSql + Sync)> = chunk
                .iter()
                .flat_map(|r| at.iter().map(|&i| r[i].sql()))
                .collect();
            let tuples: Vec<String> = (0..chunk.len())
                .map(|r| {
                    let cells: Vec<String> = at
                        .iter()
                        .enumerate()
                        .map(|(c, &i)| format!("${}::{}", r * at.len() + c + 1, chunk[0][i].cast()))
                        .collect();
                    format!("({})", cells.join(", "))
                })
                .collect();
            found += tx
                .query_one(
                    &format!(
                        "SELECT count(*) FROM {} WHERE ({key}) IN ({})",
                        table.name,
                        tuples.join(", ")
                    ),
                    &params,
                )
                .await?
                .get::<_, i64>(0);
        }
        if found != table.rows.len() as i64 {
            bail!(
                "{to}: only {found} of the {} rows of {} arrived; nothing was changed, try again",
                table.rows.len(),
                table.name
            );
        }
    }
    let wrong: i64 = tx
        .query_one(
            "SELECT count(*) FROM (SELECT call_id, count(*) AS n FROM responses \
             WHERE hidden_at IS NULL GROUP BY call_id) r \
             FULL JOIN (SELECT call_id, n FROM counts WHERE question = '' AND value = '') c \
             USING (call_id) WHERE r.n IS DISTINCT FROM c.n",
            &[],
        )
        .await?
        .get(0);
    if wrong > 0 {
        bail!(
            "{to}: the counts of {wrong} calls do not match their responses; nothing was changed"
        );
    }
    Ok(())
}
