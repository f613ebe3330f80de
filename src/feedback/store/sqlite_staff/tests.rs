//! Tests of the staff tables: accounts, setup links, sessions, failed sign-ins, the audit log.

use rusqlite::Connection;

use super::super::sqlite::SqliteStore;
use super::super::{Store, StoreError};
use crate::feedback::staff::{AuditEntry, Failures, NewStaff, Role, Setup, Token};
use jiff::{SignedDuration, Timestamp};

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn kari(setup: Option<Setup>) -> NewStaff {
    NewStaff {
        email: "kari@oslo.no".into(),
        name: "Kari".into(),
        role: Role::Editor,
        created: at("2026-12-01T10:00:00Z"),
        password: setup.is_none().then(|| "$argon2id$stand-in".into()),
        setup,
    }
}

fn store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("a.sqlite")).unwrap();
    (dir, store)
}

#[tokio::test]
async fn staff_are_added_once_listed_reset_and_removed() {
    let (_dir, store) = store();
    assert!(store.add_staff(kari(None)).await.unwrap());
    assert!(!store.add_staff(kari(None)).await.unwrap(), "a duplicate");
    let list = store.staff_list().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].email.as_str(), list[0].role, list[0].password_set),
        ("kari@oslo.no", Role::Editor, true)
    );

    let token = Token::generate().unwrap();
    let now = at("2026-12-01T12:00:00Z");
    assert!(
        store
            .create_session(token.hash(), "kari@oslo.no".into(), now)
            .await
            .unwrap()
    );
    let setup = Token::generate().unwrap();
    let expires = now + SignedDuration::from_hours(24);
    let reset = Setup {
        token: setup.hash(),
        expires,
    };
    assert!(
        store
            .reset_staff("kari@oslo.no".into(), reset.clone())
            .await
            .unwrap()
    );
    assert!(
        !store
            .reset_staff("per@oslo.no".into(), reset)
            .await
            .unwrap()
    );
    let list = store.staff_list().await.unwrap();
    assert!(!list[0].password_set, "the old password is gone");
    assert_eq!(list[0].last_sign_in, Some(now));
    assert_eq!(
        store
            .session(token.hash(), now, SignedDuration::from_hours(8))
            .await
            .unwrap(),
        None,
        "the sessions are gone"
    );
    assert_eq!(
        store.setup_for(setup.hash(), now).await.unwrap().as_deref(),
        Some("kari@oslo.no")
    );

    assert!(store.remove_staff("kari@oslo.no".into()).await.unwrap());
    assert!(!store.remove_staff("kari@oslo.no".into()).await.unwrap());
    assert!(store.staff_list().await.unwrap().is_empty());
    assert_eq!(store.setup_for(setup.hash(), now).await.unwrap(), None);
    store.close().await;
}

#[tokio::test]
async fn a_setup_link_works_once_and_only_for_a_day() {
    let (_dir, store) = store();
    let now = at("2026-12-01T12:00:00Z");
    let (first, second) = (Token::generate().unwrap(), Token::generate().unwrap());
    let setup = |t: &Token| Setup {
        token: t.hash(),
        expires: now + SignedDuration::from_hours(24),
    };
    store.add_staff(kari(Some(setup(&first)))).await.unwrap();
    let late = now + SignedDuration::from_hours(24);
    assert_eq!(store.setup_for(first.hash(), late).await.unwrap(), None);
    assert_eq!(
        store
            .consume_setup(first.hash(), late, "$argon2id$x".into())
            .await
            .unwrap(),
        None,
        "expired"
    );
    assert_eq!(
        store.password("kari@oslo.no".into()).await.unwrap(),
        Some(None)
    );

    store
        .reset_staff("kari@oslo.no".into(), setup(&second))
        .await
        .unwrap();
    let soon = now + SignedDuration::from_hours(1);
    assert_eq!(
        store
            .consume_setup(second.hash(), soon, "$argon2id$x".into())
            .await
            .unwrap()
            .as_deref(),
        Some("kari@oslo.no")
    );
    assert_eq!(
        store.password("kari@oslo.no".into()).await.unwrap(),
        Some(Some("$argon2id$x".into()))
    );
    assert_eq!(
        store
            .consume_setup(second.hash(), soon, "$argon2id$y".into())
            .await
            .unwrap(),
        None,
        "used"
    );
    assert_eq!(store.password("per@oslo.no".into()).await.unwrap(), None);
    store.close().await;
}

#[tokio::test]
async fn a_session_is_found_by_its_token_touched_expires_when_idle_and_ends() {
    let (_dir, store) = store();
    store.add_staff(kari(None)).await.unwrap();
    let idle = SignedDuration::from_hours(8);
    let start = at("2026-12-01T08:00:00Z");
    let token = Token::generate().unwrap();
    assert!(
        !store
            .create_session(token.hash(), "per@oslo.no".into(), start)
            .await
            .unwrap()
    );
    assert!(
        store
            .create_session(token.hash(), "kari@oslo.no".into(), start)
            .await
            .unwrap()
    );

    let s = store
        .session(token.hash(), start, idle)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (s.email.as_str(), s.name.as_str(), s.role),
        ("kari@oslo.no", "Kari", Role::Editor)
    );
    assert_eq!((s.created, s.last_seen), (start, start));
    let other = Token::generate().unwrap();
    assert_eq!(
        store.session(other.hash(), start, idle).await.unwrap(),
        None
    );

    // Touched after 7 hours, it lives 8 hours from then.
    let later = start + SignedDuration::from_hours(7);
    assert!(
        store
            .touch_session(token.hash(), later, idle)
            .await
            .unwrap()
    );
    let s = store
        .session(token.hash(), later + SignedDuration::from_hours(7), idle)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((s.created, s.last_seen), (start, later));

    // Idle for 8 hours, it has expired, and touching it does not bring it back.
    let gone = later + idle;
    assert_eq!(store.session(token.hash(), gone, idle).await.unwrap(), None);
    assert!(!store.touch_session(token.hash(), gone, idle).await.unwrap());
    assert_eq!(
        store.session(token.hash(), later, idle).await.unwrap(),
        None,
        "removed"
    );

    // A live session ends on sign-out.
    let next = Token::generate().unwrap();
    store
        .create_session(next.hash(), "kari@oslo.no".into(), gone)
        .await
        .unwrap();
    assert!(store.end_session(next.hash()).await.unwrap());
    assert!(!store.end_session(next.hash()).await.unwrap());
    assert_eq!(store.session(next.hash(), gone, idle).await.unwrap(), None);
    store.close().await;
}

#[tokio::test]
async fn failed_sign_ins_are_counted_per_account_and_per_address() {
    let (dir, store) = store();
    let (home, cafe) = ([1u8; 32], [2u8; 32]);
    let t0 = at("2026-12-01T12:00:00Z");
    let min = SignedDuration::from_mins;
    let day_before = t0 - SignedDuration::from_hours(24);
    for i in 0..3 {
        store
            .record_failure("kari@oslo.no".into(), home, t0 + min(i), day_before)
            .await
            .unwrap();
    }
    store
        .record_failure("per@oslo.no".into(), home, t0 + min(3), day_before)
        .await
        .unwrap();
    store
        .record_failure("kari@oslo.no".into(), cafe, t0 + min(4), day_before)
        .await
        .unwrap();
    assert_eq!(
        store
            .failures_since("kari@oslo.no".into(), home, t0)
            .await
            .unwrap(),
        Failures {
            account: 4,
            address: 4
        }
    );
    assert_eq!(
        store
            .failures_since("per@oslo.no".into(), cafe, t0 + min(2))
            .await
            .unwrap(),
        Failures {
            account: 1,
            address: 1
        }
    );
    // Old failures are forgotten as new ones come.
    let next_day = t0 + SignedDuration::from_hours(30);
    store
        .record_failure("ola@oslo.no".into(), cafe, next_day, next_day - min(15))
        .await
        .unwrap();
    assert_eq!(
        store
            .failures_since("kari@oslo.no".into(), home, t0)
            .await
            .unwrap(),
        Failures::default()
    );
    store.close().await;
    // Neither the email typed nor the address is kept as given.
    let conn = Connection::open(dir.path().join("a.sqlite")).unwrap();
    let kept: Vec<u8> = conn
        .query_row("SELECT key FROM sign_in_failures LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept.len(), 32);
    assert!(!String::from_utf8_lossy(&kept).contains("ola"));
}

#[tokio::test]
async fn the_audit_log_reads_newest_first_a_page_at_a_time() {
    let (_dir, store) = store();
    for i in 0..5 {
        store
            .audit(AuditEntry {
                at: at("2026-12-01T12:00:00Z") + SignedDuration::from_secs(i),
                who: "cli".into(),
                action: "staff.add".into(),
                call: (i == 4).then(|| "budsjett".into()),
                detail: format!("staff{i}@oslo.no"),
            })
            .await
            .unwrap();
    }
    let first = store.audit_log(0, 2).await.unwrap();
    assert_eq!(
        first.iter().map(|e| e.detail.as_str()).collect::<Vec<_>>(),
        ["staff4@oslo.no", "staff3@oslo.no"]
    );
    assert_eq!(first[0].call.as_deref(), Some("budsjett"));
    assert_eq!(store.audit_log(2, 2).await.unwrap().len(), 1);
    assert!(
        store.audit_log(3, 2).await.unwrap().is_empty(),
        "past the end"
    );
    store.close().await;
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

#[tokio::test]
async fn a_failed_staff_write_leaves_the_rest_of_its_batch() {
    let (_dir, store) = store();
    let bad = kari(Some(Setup {
        token: [7; 32],
        expires: at("2026-12-02T00:00:00Z"),
    }));
    store.add_staff(bad).await.unwrap();
    // The same setup token again fails its unique key; nothing of this account is kept.
    let mut again = kari(Some(Setup {
        token: [7; 32],
        expires: at("2026-12-02T00:00:00Z"),
    }));
    again.email = "per@oslo.no".into();
    let (failed, other) = tokio::join!(
        store.add_staff(again),
        store.audit(AuditEntry {
            at: at("2026-12-01T12:00:00Z"),
            who: "cli".into(),
            action: "staff.add".into(),
            call: None,
            detail: "kari@oslo.no".into(),
        })
    );
    assert!(matches!(failed, Err(StoreError::Failed(_))), "{failed:?}");
    other.unwrap();
    assert_eq!(store.staff_list().await.unwrap().len(), 1);
    assert_eq!(store.audit_log(0, 10).await.unwrap().len(), 1);
    store.close().await;
}
