//! The SQLite store's own tests of what staff do with stored responses: a deleted answer
//! erased from the files, and schema step 4 on an older file. What every store does (ids,
//! filtered pages, answers per day, hiding, the change sequence) is in `store::conformance`.

use std::path::Path;

use super::super::tests::{files_holding, response, with_text};
use super::super::*;
use crate::feedback::answers::Answer;

fn text(s: &str) -> Answer {
    Answer::Text(s.into())
}

fn hidden(reason: &str) -> Hidden {
    Hidden {
        reason: reason.into(),
        by: "kari@kommune.example".into(),
        at: Timestamp::from_second(1_800_000_000).unwrap(),
    }
}

async fn ids(store: &SqliteStore, call: &str, filter: Filter) -> (Vec<i64>, u64) {
    let (page, total) = store.page(call.into(), filter, 0, 100).await.unwrap();
    (page.iter().map(|r| r.id).collect(), total)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_answer_leaves_no_byte_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    let store = SqliteStore::open(&path).unwrap();
    store
        .insert(with_text("c", 1, "personal-marker Storgata 5"))
        .await
        .unwrap();
    store
        .insert(with_text("c", 2, "kept-marker"))
        .await
        .unwrap();
    let (got, _) = ids(&store, "c", Filter::default()).await;
    // Hidden first, so the reason is on disk too and must go with the answer.
    assert!(
        store
            .hide("c".into(), got[1], hidden("reason-marker"))
            .await
            .unwrap()
    );
    assert_eq!(files_holding(&path, "personal-marker").len(), 1);
    assert!(store.delete_response("c".into(), got[1]).await.unwrap());
    assert_eq!(
        files_holding(&path, "personal-marker"),
        Vec::<String>::new()
    );
    assert_eq!(files_holding(&path, "reason-marker"), Vec::<String>::new());
    assert!(!files_holding(&path, "kept-marker").is_empty());
    store.close().await;
    assert_eq!(
        files_holding(&path, "personal-marker"),
        Vec::<String>::new()
    );
}

/// A database of schema version 3, as torget wrote it before moderation: responses without
/// hidden columns, ids from plain rowids.
fn version_3_database(path: &Path) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA journal_mode = WAL;").unwrap();
    let tx = conn.unchecked_transaction().unwrap();
    for step in &schema::STEPS[..3] {
        tx.execute_batch(step.sql).unwrap();
    }
    for (id, call) in [(5, "a"), (9, "a"), (12, "b")] {
        let answers = format!("{{\"t\":\"old answer {id}\",\"pick\":\"Ja\"}}");
        tx.execute(
            "INSERT INTO responses (id, receipt_hash, call_id, lang, submitted_at, answers)
             VALUES (?1, ?2, ?3, 'nb', ?4, ?5)",
            params![id, vec![id as u8; 32], call, 1_700_000_000 + id, answers],
        )
        .unwrap();
        tx.execute(
            "INSERT INTO counts (call_id, question, value, n) VALUES (?1, '', '', 1)
             ON CONFLICT DO UPDATE SET n = n + 1",
            [call],
        )
        .unwrap();
    }
    tx.execute_batch("PRAGMA user_version = 3;").unwrap();
    tx.commit().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn step_4_keeps_an_older_database_s_answers_and_their_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    version_3_database(&path);
    let store = SqliteStore::open(&path).unwrap();
    let all = store.responses("a".into()).await.unwrap();
    assert_eq!(all.iter().map(|r| r.id).collect::<Vec<_>>(), vec![5, 9]);
    assert_eq!(all[1].answers.get("t"), Some(&text("old answer 9")));
    assert!(all.iter().all(|r| r.hidden.is_none()));
    assert_eq!(store.last_change().await.unwrap(), 0);

    // The old answers can be hidden and deleted like new ones, and counts follow.
    assert!(store.hide("a".into(), 9, hidden("x")).await.unwrap());
    let responses = store
        .counts("a".into(), vec![CountKey::responses()])
        .await
        .unwrap();
    assert_eq!(responses.get(&CountKey::responses()), 1);
    assert!(store.delete_response("b".into(), 12).await.unwrap());
    // The highest id was deleted; a new answer still gets a higher one.
    store.insert(response("b", 1).0).await.unwrap();
    let (got, _) = ids(&store, "b", Filter::default()).await;
    assert!(got[0] > 12, "{got:?}");
    store.close().await;
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, VERSION, "and the later steps after it");
}
