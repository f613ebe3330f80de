//! The SQLite store's themes, tags and published results: the schema step that creates them
//! and the statements that read and write them. A trigger removes an answer's tags in the
//! statement that deletes it, whichever way it goes (withdrawal, staff, purge, `keep_days`).
//! Their tests are every store's, in `store::conformance::results`.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;
use crate::feedback::store::results::{Tag, Theme};
use crate::results_json::ResultsFile;

/// The schema step that adds themes, tags and published results.
pub(super) const SCHEMA: &str = "CREATE TABLE themes (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        call_id TEXT    NOT NULL,
        label   TEXT    NOT NULL
    );
    CREATE INDEX themes_by_call ON themes (call_id, id);
    CREATE TABLE tags (
        response_id INTEGER NOT NULL,
        theme_id    INTEGER NOT NULL,
        PRIMARY KEY (response_id, theme_id)
    ) WITHOUT ROWID;
    CREATE INDEX tags_by_theme ON tags (theme_id, response_id);
    CREATE TRIGGER tags_go_with_their_answer AFTER DELETE ON responses BEGIN
        DELETE FROM tags WHERE response_id = old.id;
    END;
    CREATE TABLE published (
        call_id      TEXT    PRIMARY KEY,
        published_at INTEGER NOT NULL,
        file         TEXT    NOT NULL
    );";

fn label_json(label: &BTreeMap<String, String>) -> String {
    serde_json::to_string(label).unwrap_or_else(|_| "{}".into())
}

pub(super) fn themes(conn: &Connection, call_id: &str) -> Result<Vec<Theme>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.label,
                (SELECT count(*) FROM tags JOIN responses r ON r.id = tags.response_id
                 WHERE tags.theme_id = t.id AND r.hidden_at IS NULL)
         FROM themes t WHERE t.call_id = ?1 ORDER BY t.id",
    )?;
    let mut rows = stmt.query([call_id])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let label: String = row.get(1)?;
        out.push(Theme {
            id: row.get(0)?,
            label: serde_json::from_str(&label).map_err(|e| {
                StoreError::Corrupt(format!("a theme's label is not valid JSON: {e}"))
            })?,
            count: row.get::<_, i64>(2)?.max(0) as u64,
        });
    }
    Ok(out)
}

pub(super) fn add_theme(
    conn: &Connection,
    call_id: &str,
    label: &BTreeMap<String, String>,
) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO themes (call_id, label) VALUES (?1, ?2)",
        params![call_id, label_json(label)],
    )?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn rename_theme(
    conn: &Connection,
    call_id: &str,
    id: i64,
    label: &BTreeMap<String, String>,
) -> Result<bool, StoreError> {
    Ok(conn.execute(
        "UPDATE themes SET label = ?3 WHERE id = ?1 AND call_id = ?2",
        params![id, call_id, label_json(label)],
    )? > 0)
}

pub(super) fn remove_theme(conn: &Connection, call_id: &str, id: i64) -> Result<bool, StoreError> {
    let gone = conn.execute(
        "DELETE FROM themes WHERE id = ?1 AND call_id = ?2",
        params![id, call_id],
    )?;
    if gone > 0 {
        conn.execute("DELETE FROM tags WHERE theme_id = ?1", [id])?;
    }
    Ok(gone > 0)
}

/// Tags (or, if `on` is false, untags) an answer of the call with a theme of the same call;
/// `false` if either is not the call's.
pub(super) fn tag(
    conn: &Connection,
    call_id: &str,
    tag: Tag,
    on: bool,
) -> Result<bool, StoreError> {
    let both = conn
        .prepare_cached(
            "SELECT 1 FROM responses r JOIN themes t ON t.call_id = r.call_id
             WHERE r.id = ?1 AND t.id = ?2 AND r.call_id = ?3",
        )?
        .query_row(params![tag.response, tag.theme, call_id], |_| Ok(()))
        .optional()?
        .is_some();
    if !both {
        return Ok(false);
    }
    let sql = if on {
        "INSERT OR IGNORE INTO tags (response_id, theme_id) VALUES (?1, ?2)"
    } else {
        "DELETE FROM tags WHERE response_id = ?1 AND theme_id = ?2"
    };
    conn.execute(sql, params![tag.response, tag.theme])?;
    Ok(true)
}

pub(super) fn tags(conn: &Connection, call_id: &str) -> Result<Vec<Tag>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT tags.response_id, tags.theme_id FROM tags
         JOIN themes t ON t.id = tags.theme_id WHERE t.call_id = ?1
         ORDER BY tags.response_id, tags.theme_id",
    )?;
    let rows = stmt.query_map([call_id], |r| {
        Ok(Tag {
            response: r.get(0)?,
            theme: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn publish(conn: &Connection, file: &ResultsFile) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO published (call_id, published_at, file) VALUES (?1, ?2, ?3)
         ON CONFLICT (call_id) DO UPDATE SET published_at = excluded.published_at,
                                             file = excluded.file",
        params![file.call, file.published.as_second(), file.to_json()],
    )?;
    Ok(())
}

pub(super) fn unpublish(conn: &Connection, call_id: &str) -> Result<bool, StoreError> {
    Ok(conn.execute("DELETE FROM published WHERE call_id = ?1", [call_id])? > 0)
}

pub(super) fn published(
    conn: &Connection,
    call_id: &str,
) -> Result<Option<ResultsFile>, StoreError> {
    let text: Option<String> = conn
        .prepare_cached("SELECT file FROM published WHERE call_id = ?1")?
        .query_row([call_id], |r| r.get(0))
        .optional()?;
    text.map(|t| {
        ResultsFile::parse(&t)
            .map_err(|e| StoreError::Corrupt(format!("published results of `{call_id}` {e}")))
    })
    .transpose()
}
