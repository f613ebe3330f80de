//! `torget feedback migrate`: everything an SQLite database holds (responses, staff, setup
//! links, sessions, failed sign-ins, the audit log), copied into a PostgreSQL one in one
//! transaction, then checked; the counts are rebuilt from the responses there.
//!
//! Safe to run again: a response is known by its receipt, an account by its email, a link or
//! session by its token, an audit line or a failed sign-in by all it says; what is already
//! there is left alone. So an operator copies once while the old endpoint still runs, stops
//! it, and copies again for the answers that came in between.

use std::path::Path;

use anyhow::{Context, bail};
use rusqlite::{Connection, OpenFlags};
use tokio_postgres::Transaction;
use tokio_postgres::types::ToSql;

use super::super::counts::Tally;
use super::super::sqlite::SqliteStore;
use super::writer::write_tally;
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
    pub staff: u64,
    pub audit: u64,
}

/// One table's rows, each row its values in the order of `columns`.
struct Table {
    name: &'static str,
    columns: &'static str,
    /// How a row already there is recognised.
    conflict: Conflict,
    rows: Vec<Vec<Value>>,
}

enum Conflict {
    /// A unique column: `ON CONFLICT (…) DO NOTHING`.
    Key(&'static str),
    /// No key: a row equal in every column is already there.
    Equal,
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

/// What each table is, as `(name, columns, conflict)`; the columns have the same names in
/// both stores.
const TABLES: [(&str, &str, Conflict); 6] = [
    (
        "responses",
        "receipt_hash, call_id, lang, submitted_at, answers",
        Conflict::Key("receipt_hash"),
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
];

/// A column's kind, by its name (the same in both stores).
fn kind(column: &str) -> Value {
    match column {
        "receipt_hash" | "token_hash" | "key" => Value::Bytes(Vec::new()),
        "submitted_at" | "created_at" | "last_sign_in" | "expires_at" | "last_seen" | "at" => {
            Value::Int(None)
        }
        _ => Value::Text(None),
    }
}

/// Reads every table of the SQLite database at `from`, oldest row first.
fn read(from: &Path) -> anyhow::Result<Vec<Table>> {
    use rusqlite::types::ValueRef;
    let conn = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("cannot open {}", from.display()))?;
    let tx = conn.unchecked_transaction()?;
    let mut out = Vec::new();
    for (name, columns, conflict) in TABLES {
        let kinds: Vec<Value> = columns.split(", ").map(kind).collect();
        let mut stmt = tx.prepare(&format!("SELECT {columns} FROM {name} ORDER BY rowid"))?;
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
    Ok(out)
}

/// Inserts `rows` into `table`, leaving what is already there; returns how many were new.
async fn insert(tx: &Transaction<'_>, table: &Table, rows: &[Vec<Value>]) -> anyhow::Result<u64> {
    let Some(first) = rows.first() else {
        return Ok(0);
    };
    let width = first.len();
    let mut sql = format!("INSERT INTO {} ({}) ", table.name, table.columns);
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
    let tables = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<Table>> {
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
    tx.batch_execute("LOCK TABLE responses, counts IN EXCLUSIVE MODE")
        .await?;
    let mut copied = Copied::default();
    for table in &tables {
        let mut new = 0;
        for chunk in table.rows.chunks(CHUNK) {
            new += insert(&tx, table, chunk).await?;
        }
        match table.name {
            "responses" => {
                copied.responses = table.rows.len() as u64;
                copied.new_responses = new;
            }
            "staff" => copied.staff = table.rows.len() as u64,
            "audit" => copied.audit = table.rows.len() as u64,
            _ => {}
        }
    }
    rebuild_counts(&tx).await?;
    verify(&tx, &tables, to).await?;
    tx.commit().await?;
    drop(client);
    super::super::Store::close(&store).await;
    Ok(copied)
}

/// Counts every response in the database afresh.
async fn rebuild_counts(tx: &Transaction<'_>) -> anyhow::Result<()> {
    tx.execute("DELETE FROM counts", &[]).await?;
    let rows = tx
        .query("SELECT call_id, answers FROM responses", &[])
        .await?;
    let mut tally = Tally::default();
    for row in rows {
        let call: &str = row.try_get(0)?;
        tally.add(call, &parse_answers(row.try_get(1)?)?, 1);
    }
    write_tally(tx, &mut tally).await?;
    Ok(())
}

/// Every response, account and audit line of the SQLite database is in PostgreSQL, and each
/// call's count of responses is its number of responses.
async fn verify(tx: &Transaction<'_>, tables: &[Table], to: &PgUrl) -> anyhow::Result<()> {
    for table in tables
        .iter()
        .filter(|t| matches!(t.name, "responses" | "staff"))
    {
        let key = match table.conflict {
            Conflict::Key(k) => k,
            Conflict::Equal => continue,
        };
        let mut found = 0i64;
        for chunk in table.rows.chunks(CHUNK) {
            let params: Vec<&(dyn ToSql + Sync)> = chunk.iter().map(|r| r[0].sql()).collect();
            let list: Vec<String> = (1..=chunk.len())
                .map(|i| format!("${i}::{}", chunk[0][0].cast()))
                .collect();
            found += tx
                .query_one(
                    &format!(
                        "SELECT count(*) FROM {} WHERE {key} IN ({})",
                        table.name,
                        list.join(", ")
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
            "SELECT count(*) FROM (SELECT call_id, count(*) AS n FROM responses GROUP BY call_id) r \
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
