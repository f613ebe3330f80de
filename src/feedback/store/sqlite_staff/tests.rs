//! Tests of the staff tables: accounts, setup links, sessions, failed sign-ins, the audit log.

use rusqlite::Connection;

use super::super::Store;
use super::super::conformance::{at, kari};
use super::super::sqlite::SqliteStore;

fn store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("a.sqlite")).unwrap();
    (dir, store)
}

#[tokio::test]
async fn failed_sign_ins_keep_neither_the_email_nor_the_address() {
    let (dir, store) = store();
    let t0 = at("2026-12-01T12:00:00Z");
    store
        .record_failure("ola@oslo.no".into(), [2u8; 32], t0, t0)
        .await
        .unwrap();
    store.close().await;
    let conn = Connection::open(dir.path().join("a.sqlite")).unwrap();
    let mut stmt = conn.prepare("SELECT key FROM sign_in_failures").unwrap();
    let kept: Vec<Vec<u8>> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(kept.len(), 2);
    assert!(kept.iter().all(|k| k.len() == 32));
    assert!(
        !kept
            .iter()
            .any(|k| String::from_utf8_lossy(k).contains("ola"))
    );
}

#[tokio::test]
async fn an_older_database_gets_the_staff_tables_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    SqliteStore::open(&path).unwrap().close().await;
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP TABLE staff; DROP TABLE staff_setup; DROP TABLE staff_sessions;
             DROP TABLE sign_in_failures; DROP TABLE audit; DROP TABLE changes;
             DROP TABLE themes; DROP TABLE tags; DROP TABLE published;
             PRAGMA user_version = 2;",
        )
        .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert!(store.add_staff(kari(None)).await.unwrap());
    store.close().await;
    let version: i64 = Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, super::super::sqlite::VERSION);
    // Opening it again creates nothing twice.
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.staff_list().await.unwrap().len(), 1);
    store.close().await;
}
