//! The PostgreSQL store's themes, tags and published results. A tag refers to its answer and
//! its theme with `ON DELETE CASCADE`, so it goes with either, whichever way the answer goes
//! (withdrawal, staff, purge, `keep_days`).

use std::collections::BTreeMap;

use tokio_postgres::{Client, Transaction};

use super::super::StoreError;
use crate::feedback::store::results::{Tag, Theme};
use crate::results_json::ResultsFile;

fn label_json(label: &BTreeMap<String, String>) -> String {
    serde_json::to_string(label).unwrap_or_else(|_| "{}".into())
}

pub(super) async fn themes(c: &Client, call_id: &str) -> Result<Vec<Theme>, StoreError> {
    let rows = c
        .query(
            "SELECT t.id, t.label, \
                (SELECT count(*) FROM tags JOIN responses r ON r.id = tags.response_id \
                 WHERE tags.theme_id = t.id AND r.hidden_at IS NULL) \
             FROM themes t WHERE t.call_id = $1 ORDER BY t.id",
            &[&call_id],
        )
        .await?;
    rows.iter()
        .map(|row| {
            let label: String = row.try_get(1)?;
            Ok(Theme {
                id: row.try_get(0)?,
                label: serde_json::from_str(&label).map_err(|e| {
                    StoreError::Corrupt(format!("a theme's label is not valid JSON: {e}"))
                })?,
                count: row.try_get::<_, i64>(2)?.max(0) as u64,
            })
        })
        .collect()
}

pub(super) async fn add_theme(
    tx: &Transaction<'_>,
    call_id: &str,
    label: &BTreeMap<String, String>,
) -> Result<i64, StoreError> {
    Ok(tx
        .query_one(
            "INSERT INTO themes (call_id, label) VALUES ($1, $2) RETURNING id",
            &[&call_id, &label_json(label)],
        )
        .await?
        .try_get(0)?)
}

pub(super) async fn rename_theme(
    tx: &Transaction<'_>,
    call_id: &str,
    id: i64,
    label: &BTreeMap<String, String>,
) -> Result<bool, StoreError> {
    Ok(tx
        .execute(
            "UPDATE themes SET label = $3 WHERE id = $1 AND call_id = $2",
            &[&id, &call_id, &label_json(label)],
        )
        .await?
        > 0)
}

/// Removes a theme of this call; its tags go with it.
pub(super) async fn remove_theme(
    tx: &Transaction<'_>,
    call_id: &str,
    id: i64,
) -> Result<bool, StoreError> {
    Ok(tx
        .execute(
            "DELETE FROM themes WHERE id = $1 AND call_id = $2",
            &[&id, &call_id],
        )
        .await?
        > 0)
}

/// Tags (or, if `on` is false, untags) an answer of the call with a theme of the same call;
/// `false` if either is not the call's. The answer's row is locked meanwhile, so a deletion
/// on another connection cannot slip between the check and the tag.
pub(super) async fn tag(
    tx: &Transaction<'_>,
    call_id: &str,
    tag: Tag,
    on: bool,
) -> Result<bool, StoreError> {
    let both = tx
        .query_opt(
            "SELECT 1 FROM responses r JOIN themes t ON t.call_id = r.call_id \
             WHERE r.id = $1 AND t.id = $2 AND r.call_id = $3 FOR KEY SHARE",
            &[&tag.response, &tag.theme, &call_id],
        )
        .await?
        .is_some();
    if !both {
        return Ok(false);
    }
    let sql = if on {
        "INSERT INTO tags (response_id, theme_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
    } else {
        "DELETE FROM tags WHERE response_id = $1 AND theme_id = $2"
    };
    tx.execute(sql, &[&tag.response, &tag.theme]).await?;
    Ok(true)
}

pub(super) async fn tags(c: &Client, call_id: &str) -> Result<Vec<Tag>, StoreError> {
    let rows = c
        .query(
            "SELECT tags.response_id, tags.theme_id FROM tags \
             JOIN themes t ON t.id = tags.theme_id WHERE t.call_id = $1 \
             ORDER BY tags.response_id, tags.theme_id",
            &[&call_id],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Tag {
                response: r.try_get(0)?,
                theme: r.try_get(1)?,
            })
        })
        .collect()
}

pub(super) async fn publish(tx: &Transaction<'_>, file: &ResultsFile) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO published (call_id, published_at, file) VALUES ($1, $2, $3) \
         ON CONFLICT (call_id) DO UPDATE SET published_at = excluded.published_at, \
                                             file = excluded.file",
        &[&file.call, &file.published.as_second(), &file.to_json()],
    )
    .await?;
    Ok(())
}

pub(super) async fn unpublish(tx: &Transaction<'_>, call_id: &str) -> Result<bool, StoreError> {
    Ok(tx
        .execute("DELETE FROM published WHERE call_id = $1", &[&call_id])
        .await?
        > 0)
}

pub(super) async fn published(
    c: &Client,
    call_id: &str,
) -> Result<Option<ResultsFile>, StoreError> {
    let row = c
        .query_opt("SELECT file FROM published WHERE call_id = $1", &[&call_id])
        .await?;
    row.map(|row| {
        let text: String = row.try_get(0)?;
        ResultsFile::parse(&text)
            .map_err(|e| StoreError::Corrupt(format!("published results of `{call_id}` {e}")))
    })
    .transpose()
}
