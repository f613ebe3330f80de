//! The PostgreSQL store's schema as numbered steps, and [`migrate`], which applies the missing
//! ones when the store opens: all in one transaction, recorded in `torget_schema`, under an
//! advisory lock so that two instances starting together do not both apply a step.
//!
//! Times are whole seconds since 1970 (`BIGINT`), as in the SQLite store, so that
//! `torget feedback migrate` copies them unchanged. Response ids are `BIGINT` identities:
//! the order answers arrived in, and what a change sequence or paging can refer to; an
//! identity never hands out a number twice, so an id once shown to staff or followed by a
//! search index never names another answer. A later step appends to [`STEPS`]; a step is
//! never edited once released.

use anyhow::Context;
use tokio_postgres::Client;

/// The schema after each version, in order; `torget_schema` holds the versions applied.
pub(super) const STEPS: [&str; 3] = [
    // Responses and their counts (`store::counts`).
    "CREATE TABLE responses (
        id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        receipt_hash BYTEA  NOT NULL UNIQUE,
        call_id      TEXT   NOT NULL,
        lang         TEXT   NOT NULL,
        submitted_at BIGINT NOT NULL,
        answers      TEXT   NOT NULL
    );
    CREATE INDEX responses_by_call ON responses (call_id, id);
    CREATE INDEX responses_by_time ON responses (submitted_at);
    CREATE TABLE counts (
        call_id  TEXT   NOT NULL,
        question TEXT   NOT NULL,
        value    TEXT   NOT NULL,
        n        BIGINT NOT NULL,
        PRIMARY KEY (call_id, question, value)
    );",
    // Staff accounts, setup links, sessions, failed sign-ins and the audit log.
    "CREATE TABLE staff (
        email        TEXT   PRIMARY KEY,
        name         TEXT   NOT NULL,
        role         TEXT   NOT NULL,
        password     TEXT,
        created_at   BIGINT NOT NULL,
        last_sign_in BIGINT
    );
    CREATE TABLE staff_setup (
        token_hash BYTEA  PRIMARY KEY,
        email      TEXT   NOT NULL,
        expires_at BIGINT NOT NULL
    );
    CREATE INDEX staff_setup_by_email ON staff_setup (email);
    CREATE TABLE staff_sessions (
        token_hash BYTEA  PRIMARY KEY,
        email      TEXT   NOT NULL,
        created_at BIGINT NOT NULL,
        last_seen  BIGINT NOT NULL
    );
    CREATE INDEX staff_sessions_by_email ON staff_sessions (email);
    CREATE INDEX staff_sessions_by_last_seen ON staff_sessions (last_seen);
    CREATE TABLE sign_in_failures (
        key BYTEA  NOT NULL,
        at  BIGINT NOT NULL
    );
    CREATE INDEX sign_in_failures_by_key ON sign_in_failures (key, at);
    CREATE INDEX sign_in_failures_by_time ON sign_in_failures (at);
    CREATE TABLE audit (
        id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at      BIGINT NOT NULL,
        who     TEXT   NOT NULL,
        action  TEXT   NOT NULL,
        call_id TEXT,
        detail  TEXT   NOT NULL
    );",
    // Staff moderation, the change sequence (`seq` handed out in commit order: see
    // `writer::record`), themes, their tags (gone with their answer or theme, whatever deletes
    // it) and each call's published results.
    "ALTER TABLE responses
        ADD COLUMN hidden_reason TEXT,
        ADD COLUMN hidden_by     TEXT,
        ADD COLUMN hidden_at     BIGINT;
    CREATE TABLE changes (
        seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        response_id BIGINT NOT NULL,
        call_id     TEXT   NOT NULL,
        kind        TEXT   NOT NULL
    );
    CREATE TABLE themes (
        id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        call_id TEXT   NOT NULL,
        label   TEXT   NOT NULL
    );
    CREATE INDEX themes_by_call ON themes (call_id, id);
    CREATE TABLE tags (
        response_id BIGINT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
        theme_id    BIGINT NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
        PRIMARY KEY (response_id, theme_id)
    );
    CREATE INDEX tags_by_theme ON tags (theme_id, response_id);
    CREATE TABLE published (
        call_id      TEXT   PRIMARY KEY,
        published_at BIGINT NOT NULL,
        file         TEXT   NOT NULL
    );",
];

/// The schema version this build writes.
pub(super) const VERSION: i32 = STEPS.len() as i32;

/// The advisory lock migrations take: any number that other programs sharing the database
/// are unlikely to use ("torget" in ASCII).
const LOCK: i64 = 0x746f_7267_6574;

/// The version a database is at, `None` if torget never wrote to it.
pub(super) async fn version(client: &Client) -> anyhow::Result<Option<i32>> {
    let exists: bool = client
        .query_one("SELECT to_regclass('torget_schema') IS NOT NULL", &[])
        .await?
        .get(0);
    if !exists {
        return Ok(None);
    }
    let v: Option<i32> = client
        .query_one("SELECT max(version) FROM torget_schema", &[])
        .await?
        .get(0);
    Ok(Some(v.unwrap_or(0)))
}

/// Brings the database to [`VERSION`] in one transaction; refuses one a newer torget wrote.
/// `db` names it in messages (without its password).
pub(super) async fn migrate(client: &mut Client, db: &str) -> anyhow::Result<()> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS torget_schema (
            version    INTEGER     PRIMARY KEY,
            applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )",
    )
    .await
    .with_context(|| {
        format!("{db}: cannot create torget's tables; grant the user CREATE on the database")
    })?;
    let found: i32 = tx
        .query_one("SELECT coalesce(max(version), 0) FROM torget_schema", &[])
        .await?
        .get(0);
    if found > VERSION {
        anyhow::bail!(
            "{db}: the database was written by a newer torget (schema version {found}, this one \
             knows up to {VERSION}); run that torget, or restore a backup made before it"
        );
    }
    for (i, step) in STEPS.iter().enumerate().skip(found.max(0) as usize) {
        let version = i as i32 + 1;
        tx.batch_execute(step)
            .await
            .with_context(|| format!("{db}: cannot bring the tables to version {version}"))?;
        tx.execute(
            "INSERT INTO torget_schema (version) VALUES ($1)",
            &[&version],
        )
        .await?;
        tracing::info!(version, "database schema brought up to date");
    }
    tx.commit().await?;
    Ok(())
}
