//! The SQLite store's themes, tags and published results: the schema step that creates them
//! and the statements that read and write them. A trigger removes an answer's tags in the
//! statement that deletes it, whichever way it goes (withdrawal, staff, purge, `keep_days`).

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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::tests::response;
    use super::super::{SqliteStore, VERSION};
    use crate::feedback::store::{Hidden, Store, Tag};
    use crate::results_json::ResultsFile;

    fn label(nb: &str, en: &str) -> BTreeMap<String, String> {
        [("nb".to_string(), nb.to_string()), ("en".into(), en.into())].into()
    }

    async fn store_with(n: i64) -> (tempfile::TempDir, SqliteStore, Vec<i64>) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("a.sqlite")).unwrap();
        for i in 0..n {
            store.insert(response("c", i).0).await.unwrap();
        }
        let ids = store
            .responses("c".into())
            .await
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        (dir, store, ids)
    }

    fn tag(response: i64, theme: i64) -> Tag {
        Tag { response, theme }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_themes_count_is_its_visible_tagged_answers_and_deleting_an_answer_drops_its_tags() {
        let (_dir, store, ids) = store_with(3).await;
        let benches = store
            .add_theme("c".into(), label("Benker", "Benches"))
            .await
            .unwrap();
        let light = store
            .add_theme("c".into(), label("Lys", "Light"))
            .await
            .unwrap();
        for id in &ids {
            assert!(
                store
                    .tag("c".into(), tag(*id, benches), true)
                    .await
                    .unwrap()
            );
        }
        assert!(
            store
                .tag("c".into(), tag(ids[0], benches), true)
                .await
                .unwrap(),
            "twice is once"
        );
        assert!(
            store
                .tag("c".into(), tag(ids[0], light), true)
                .await
                .unwrap()
        );
        let counts = |t: Vec<crate::feedback::store::Theme>| -> Vec<(String, u64)> {
            t.iter()
                .map(|t| (t.label_in("en").to_string(), t.count))
                .collect()
        };
        assert_eq!(
            counts(store.themes("c".into()).await.unwrap()),
            [("Benches".into(), 3), ("Light".into(), 1)]
        );
        let hidden = Hidden {
            reason: "a name".into(),
            by: "a@b.no".into(),
            at: jiff::Timestamp::UNIX_EPOCH,
        };
        assert!(store.hide("c".into(), ids[1], hidden).await.unwrap());
        assert_eq!(
            store.themes("c".into()).await.unwrap()[0].count,
            2,
            "hidden is not counted"
        );
        assert!(store.delete_response("c".into(), ids[0]).await.unwrap());
        assert_eq!(
            counts(store.themes("c".into()).await.unwrap()),
            [("Benches".into(), 1), ("Light".into(), 0)]
        );
        assert_eq!(
            store.tags("c".into()).await.unwrap(),
            [tag(ids[1], benches), tag(ids[2], benches)],
            "the deleted answer's tags went with it"
        );
        assert!(
            store
                .tag("c".into(), tag(ids[2], benches), false)
                .await
                .unwrap()
        );
        assert_eq!(
            store.tags("c".into()).await.unwrap(),
            [tag(ids[1], benches)]
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn another_calls_theme_or_answer_is_as_if_there_were_none() {
        let (_dir, store, ids) = store_with(1).await;
        store.insert(response("other", 9).0).await.unwrap();
        let other_answer = store.responses("other".into()).await.unwrap()[0].id;
        let theme = store.add_theme("c".into(), label("A", "A")).await.unwrap();
        let other_theme = store
            .add_theme("other".into(), label("B", "B"))
            .await
            .unwrap();
        assert!(
            !store
                .tag("c".into(), tag(other_answer, theme), true)
                .await
                .unwrap()
        );
        assert!(
            !store
                .tag("c".into(), tag(ids[0], other_theme), true)
                .await
                .unwrap()
        );
        assert!(
            !store
                .tag("other".into(), tag(ids[0], theme), true)
                .await
                .unwrap()
        );
        assert!(
            !store
                .rename_theme("other".into(), theme, label("X", "X"))
                .await
                .unwrap()
        );
        assert!(!store.remove_theme("other".into(), theme).await.unwrap());
        assert!(store.tags("c".into()).await.unwrap().is_empty());
        assert!(
            store
                .rename_theme("c".into(), theme, label("Ny", "New"))
                .await
                .unwrap()
        );
        assert!(
            store
                .tag("c".into(), tag(ids[0], theme), true)
                .await
                .unwrap()
        );
        assert!(store.remove_theme("c".into(), theme).await.unwrap());
        assert!(
            store.tags("c".into()).await.unwrap().is_empty(),
            "its tags went with it"
        );
        assert_eq!(store.themes("c".into()).await.unwrap(), []);
        assert_eq!(
            store.themes("other".into()).await.unwrap()[0].label_in("nb"),
            "B"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn publishing_again_replaces_and_unpublishing_removes_across_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.sqlite");
        let mut file = ResultsFile {
            format: crate::results_json::FORMAT,
            call: "c".into(),
            published: "2026-05-01T10:00:00Z".parse().unwrap(),
            responses: 3,
            questions: Vec::new(),
            themes: Vec::new(),
        };
        {
            let store = SqliteStore::open(&path).unwrap();
            assert_eq!(store.published("c".into()).await.unwrap(), None);
            store.publish(file.clone()).await.unwrap();
            file.responses = 4;
            store.publish(file.clone()).await.unwrap();
            store.close().await;
        }
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.published("c".into()).await.unwrap(), Some(file));
        assert!(store.unpublish("c".into()).await.unwrap());
        assert!(!store.unpublish("c".into()).await.unwrap());
        assert_eq!(store.published("c".into()).await.unwrap(), None);
        assert_eq!(VERSION, 5);
    }
}
