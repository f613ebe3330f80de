//! What every store must do, as test functions over an `Arc<dyn Store>`, run against each
//! store by [`every_store!`] (here: answers, counts and staff; [`browse`]: what staff do with
//! answers and the change sequence; [`results`]: themes, tags, published results): the SQLite store in a temporary folder, the PostgreSQL store in
//! a database of its own on the server `TORGET_TEST_DATABASE_URL` names (see
//! `postgres::tests::store`). A store's own tests (erasure on disk, schema steps) stay beside
//! it.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};

use super::{CountKey, Counts, Delete, NewResponse, Store, StoreError};
use crate::feedback::answers::{Answer, Answers};
use crate::feedback::receipt::Receipt;
use crate::feedback::staff::{AuditEntry, Failures, NewStaff, Role, Setup, Token};

/// Runs each named test function against both stores: `<store>::<name>` in the test list.
macro_rules! every_store {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let dir = tempfile::tempdir().unwrap();
                    let store = crate::feedback::store::sqlite::SqliteStore::open(&dir.path().join("a.sqlite"))
                        .unwrap();
                    super::$name(std::sync::Arc::new(store)).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = crate::feedback::store::postgres::tests::store(stringify!($name)) else {
                        return;
                    };
                    super::$name(db.store.clone()).await;
                }
            )*
        }
    };
}

mod browse;
mod results;

every_store!(
    concurrent_inserts_are_all_stored_and_withdrawals_delete,
    counts_follow_answers_withdrawals_and_deletions,
    staff_are_added_once_listed_reset_and_removed,
    a_setup_link_works_once_and_only_for_a_day,
    a_session_is_found_by_its_token_touched_expires_when_idle_and_ends,
    failed_sign_ins_are_counted_per_account_and_per_address,
    the_audit_log_reads_newest_first_a_page_at_a_time,
    a_failed_staff_write_leaves_the_rest_of_its_batch,
);

pub(super) fn response(call: &str, n: i64) -> (NewResponse, Receipt) {
    let receipt = Receipt::generate().unwrap();
    let mut answers = Answers::new();
    answers.insert("n".into(), Answer::Number(n));
    (
        NewResponse {
            call_id: call.into(),
            lang: "nb".into(),
            submitted: Timestamp::from_second(1_700_000_000 + n).unwrap(),
            answers,
            receipt: receipt.hash(),
        },
        receipt,
    )
}

async fn concurrent_inserts_are_all_stored_and_withdrawals_delete(store: Arc<dyn Store>) {
    let mut tasks = Vec::new();
    for n in 0..200 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let (r, receipt) = response("c", n);
            store.insert(r).await.unwrap();
            receipt
        }));
    }
    let mut receipts = Vec::new();
    for t in tasks {
        receipts.push(t.await.unwrap());
    }
    let stored = store.responses("c".into()).await.unwrap();
    assert_eq!(stored.len(), 200);
    assert!(stored.iter().all(|r| r.lang == "nb" && r.call_id == "c"));
    assert_eq!(
        store.withdraw(receipts[0].hash()).await.unwrap().as_deref(),
        Some("c")
    );
    assert_eq!(store.withdraw(receipts[0].hash()).await.unwrap(), None);
    assert_eq!(store.responses("c".into()).await.unwrap().len(), 199);
    let before = Timestamp::from_second(1_700_000_100).unwrap();
    assert_eq!(store.delete(Delete::Before(before)).await.unwrap(), 99);
    assert_eq!(store.delete(Delete::Call("c".into())).await.unwrap(), 100);
    store.close().await;
    let (r, _) = response("c", 1);
    assert!(matches!(store.insert(r).await, Err(StoreError::Closed)));
}

fn picked(n: i64, choice: &str) -> (NewResponse, Receipt) {
    let (mut r, receipt) = response("poll", n);
    r.answers.insert("pick".into(), Answer::Text(choice.into()));
    (r, receipt)
}

async fn counts_follow_answers_withdrawals_and_deletions(store: Arc<dyn Store>) {
    let mut kept = Vec::new();
    let mut receipts = Vec::new();
    for n in 0..12 {
        let (r, receipt) = picked(n, if n % 3 == 0 { "Ja" } else { "Nei" });
        store.insert(r.clone()).await.unwrap();
        kept.push(r.answers);
        receipts.push(receipt);
    }
    // One withdrawn "Ja" (n = 0), then everything before n = 6 purged.
    assert!(store.withdraw(receipts[0].hash()).await.unwrap().is_some());
    kept.remove(0);
    let before = Timestamp::from_second(1_700_000_006).unwrap();
    assert_eq!(store.delete(Delete::Before(before)).await.unwrap(), 5);
    kept.retain(|a| matches!(a.get("n"), Some(Answer::Number(n)) if *n >= 6));
    let expected = Counts::recount(&kept);
    let mut keys: Vec<CountKey> = expected.0.keys().cloned().collect();
    let gone = CountKey::number("n", 1);
    keys.push(gone.clone());
    let counts = store.counts("poll".into(), keys).await.unwrap();
    assert_eq!(counts.get(&CountKey::responses()), 6);
    assert_eq!(counts.get(&CountKey::option("pick", "Ja")), 2);
    assert_eq!(counts.get(&CountKey::option("pick", "Nei")), 4);
    assert_eq!(counts.get(&gone), 0, "a purged answer is no longer counted");
    counts
        .0
        .iter()
        .filter(|(k, _)| **k != gone)
        .for_each(|(k, n)| assert_eq!(*n, expected.get(k), "{k:?}"));
    assert_eq!(store.delete(Delete::Call("poll".into())).await.unwrap(), 6);
    let after = store
        .counts("poll".into(), vec![CountKey::responses()])
        .await
        .unwrap();
    assert_eq!(after.get(&CountKey::responses()), 0);
    store.close().await;
}

pub(super) fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

pub(super) fn kari(setup: Option<Setup>) -> NewStaff {
    NewStaff {
        email: "kari@oslo.no".into(),
        name: "Kari".into(),
        role: Role::Editor,
        created: at("2026-12-01T10:00:00Z"),
        password: setup.is_none().then(|| "$argon2id$stand-in".into()),
        setup,
    }
}

async fn staff_are_added_once_listed_reset_and_removed(store: Arc<dyn Store>) {
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

async fn a_setup_link_works_once_and_only_for_a_day(store: Arc<dyn Store>) {
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

async fn a_session_is_found_by_its_token_touched_expires_when_idle_and_ends(store: Arc<dyn Store>) {
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

async fn failed_sign_ins_are_counted_per_account_and_per_address(store: Arc<dyn Store>) {
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
}

async fn the_audit_log_reads_newest_first_a_page_at_a_time(store: Arc<dyn Store>) {
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

async fn a_failed_staff_write_leaves_the_rest_of_its_batch(store: Arc<dyn Store>) {
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
