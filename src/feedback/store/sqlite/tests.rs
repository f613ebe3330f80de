//! Tests of the SQLite store: durability, group commit, counts, schema steps, erasure, and
//! what a filtered page of many answers costs.

use super::schema::VERSION;
use super::*;
use crate::feedback::answers::{Answer, Answers};
use crate::feedback::receipt::Receipt;
use crate::feedback::store::{AnswerIs, AnswerValue, Filter};
use proptest::prelude::*;

pub(super) use super::super::conformance::response;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    let (r, _) = response("c", 3);
    {
        let store = SqliteStore::open(&path).unwrap();
        store.insert(r.clone()).await.unwrap();
        store.close().await;
    }
    let store = SqliteStore::open(&path).unwrap();
    let got = store.responses("c".into()).await.unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].answers, r.answers);
    assert_eq!(got[0].submitted, r.submitted);
}

/// Which of the database's files hold `marker`.
pub(super) fn files_holding(db: &Path, marker: &str) -> Vec<String> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| format!("{}{suffix}", db.display()))
        .filter(|path| {
            std::fs::read(path)
                .map(|b| b.windows(marker.len()).any(|w| w == marker.as_bytes()))
                .unwrap_or(false)
        })
        .collect()
}

pub(super) fn with_text(call: &str, n: i64, text: &str) -> NewResponse {
    let (mut r, _) = response(call, n);
    r.answers.insert("t".into(), Answer::Text(text.into()));
    r
}

/// The daily `keep_days` clean-up and `purge` run while the endpoint serves: their
/// deleted answers stayed in the WAL for as long as it did.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_answers_leave_no_byte_on_disk_while_the_store_is_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    let store = SqliteStore::open(&path).unwrap();
    for n in 0..50 {
        store
            .insert(with_text("old", n, &format!("old-call-marker {n}")))
            .await
            .unwrap();
        store
            .insert(with_text("kept", 1000 + n, &format!("early-marker {n}")))
            .await
            .unwrap();
        store
            .insert(with_text("kept", 2000 + n, "kept-marker"))
            .await
            .unwrap();
    }
    // A reader in the pool, as the summary and the exports leave one.
    assert_eq!(store.responses("kept".into()).await.unwrap().len(), 100);
    assert!(!files_holding(&path, "old-call-marker").is_empty());

    assert_eq!(store.delete(Delete::Call("old".into())).await.unwrap(), 50);
    assert_eq!(
        files_holding(&path, "old-call-marker"),
        Vec::<String>::new()
    );
    let before = Timestamp::from_second(1_700_002_000).unwrap();
    assert_eq!(store.delete(Delete::Before(before)).await.unwrap(), 50);
    assert_eq!(files_holding(&path, "early-marker"), Vec::<String>::new());
    assert!(!files_holding(&path, "kept-marker").is_empty());
    store.close().await;
    assert_eq!(files_holding(&path, "early-marker"), Vec::<String>::new());
    assert!(
        !path.with_extension("sqlite-wal").exists(),
        "the WAL is removed"
    );
}

/// Every count the store keeps for `call`, read straight from the table.
fn kept_counts(path: &Path, call: &str) -> Counts {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT question, value, n FROM counts WHERE call_id = ?1")
        .unwrap();
    let rows = stmt
        .query_map([call], |r| {
            let key = CountKey {
                question: r.get(0)?,
                value: r.get(1)?,
            };
            Ok((key, r.get::<_, i64>(2)?))
        })
        .unwrap();
    let mut out = Counts::default();
    for row in rows {
        let (key, n) = row.unwrap();
        assert!(n > 0, "a count of {n} is kept for {key:?}");
        out.0.insert(key, n as u64);
    }
    out
}

fn answers_strategy() -> impl Strategy<Value = Answers> {
    let options = ["Ja", "Nei", "Kanskje"];
    (
        proptest::option::of(0usize..3),
        proptest::option::of(proptest::collection::btree_set(0usize..3, 0..3)),
        proptest::option::of(1i64..=5),
        proptest::option::of("[a-zæøå ]{0,6}"),
    )
        .prop_map(move |(pick, many, n, t)| {
            let mut a = Answers::new();
            if let Some(i) = pick {
                a.insert("pick".into(), Answer::Text(options[i].into()));
            }
            if let Some(set) = many {
                let chosen = set.into_iter().map(|i| options[i].to_string()).collect();
                a.insert("many".into(), Answer::List(chosen));
            }
            if let Some(n) = n {
                a.insert("n".into(), Answer::Number(n));
            }
            if let Some(t) = t {
                a.insert("t".into(), Answer::Text(t));
            }
            a
        })
}

/// One step of the property: answers arriving together (so they share batches) with
/// withdrawals of earlier ones, or a purge, or a call's clean-up.
#[derive(Debug, Clone)]
enum Step {
    Round(Vec<(bool, i64, Answers)>, Vec<usize>),
    Before(i64),
    Call(bool),
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    let round = (
        proptest::collection::vec((any::<bool>(), 0i64..100, answers_strategy()), 0..12),
        proptest::collection::vec(any::<usize>(), 0..6),
    )
        .prop_map(|(new, gone)| Step::Round(new, gone));
    let step = prop_oneof![
        6 => round,
        1 => (0i64..100).prop_map(Step::Before),
        1 => any::<bool>().prop_map(Step::Call),
    ];
    proptest::collection::vec(step, 1..8)
}

fn call_name(first: bool) -> &'static str {
    if first { "a" } else { "b" }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The kept counts after any mix of answers, withdrawals and deletions are exactly
    /// what counting the remaining answers one by one gives, and no zero count is kept.
    #[test]
    fn kept_counts_equal_a_full_recount(steps in steps()) {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.sqlite");
        let store = std::sync::Arc::new(SqliteStore::open(&path).unwrap());
        // What should be stored: (call, submitted second, answers, receipt).
        let mut model: Vec<(&str, i64, Answers, Receipt)> = Vec::new();
        rt.block_on(async {
            for step in steps {
                match step {
                    Step::Round(new, gone) => {
                        let mut tasks = Vec::new();
                        let mut withdrawn = Vec::new();
                        for pick in gone {
                            if model.is_empty() {
                                break;
                            }
                            let (_, _, _, receipt) = model.swap_remove(pick % model.len());
                            withdrawn.push(receipt.clone());
                            let store = store.clone();
                            tasks.push(tokio::spawn(async move {
                                assert!(store.withdraw(receipt.hash()).await.unwrap().is_some());
                            }));
                        }
                        for (first, at, answers) in new {
                            let receipt = Receipt::generate().unwrap();
                            let r = NewResponse {
                                call_id: call_name(first).into(),
                                lang: "nb".into(),
                                submitted: Timestamp::from_second(at).unwrap(),
                                answers: answers.clone(),
                                receipt: receipt.hash(),
                            };
                            model.push((call_name(first), at, answers, receipt));
                            let store = store.clone();
                            tasks.push(tokio::spawn(async move {
                                store.insert(r).await.unwrap();
                            }));
                        }
                        for t in tasks {
                            t.await.unwrap();
                        }
                    }
                    Step::Before(at) => {
                        let n = store
                            .delete(Delete::Before(Timestamp::from_second(at).unwrap()))
                            .await
                            .unwrap();
                        let before = model.len();
                        model.retain(|(_, t, _, _)| *t >= at);
                        assert_eq!(n as usize, before - model.len());
                    }
                    Step::Call(first) => {
                        store.delete(Delete::Call(call_name(first).into())).await.unwrap();
                        model.retain(|(c, _, _, _)| *c != call_name(first));
                    }
                }
            }
            for call in ["a", "b"] {
                let remaining = model.iter().filter(|m| m.0 == call).map(|m| &m.2);
                let expected = Counts::recount(remaining);
                assert_eq!(kept_counts(&path, call), expected, "call {call}");
                let keys: Vec<CountKey> = expected.0.keys().cloned().collect();
                assert_eq!(store.counts(call.into(), keys).await.unwrap(), expected);
            }
            store.close().await;
        });
    }
}

/// A database from before the counts (no `user_version`) gets them built once, when it is
/// opened, and the version is recorded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_database_gets_its_counts_built_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    let mut stored = Vec::new();
    {
        let store = SqliteStore::open(&path).unwrap();
        for n in 0..30 {
            let r = with_text(if n % 3 == 0 { "a" } else { "b" }, n, &format!("{}", n % 4));
            stored.push(r.clone());
            store.insert(r).await.unwrap();
        }
        store.close().await;
    }
    {
        let conn = Connection::open(&path).unwrap();
        // As a database from before the counts: without the tables of later steps.
        conn.execute_batch(
            "DROP TABLE counts; DROP TABLE staff; DROP TABLE staff_setup;
             DROP TABLE staff_sessions; DROP TABLE sign_in_failures; DROP TABLE audit;
             DROP TABLE changes; DROP TABLE themes; DROP TABLE tags; DROP TABLE published;
             PRAGMA user_version = 0;",
        )
        .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    store.close().await;
    for call in ["a", "b"] {
        let answers = stored.iter().filter(|r| r.call_id == call);
        assert_eq!(
            kept_counts(&path, call),
            Counts::recount(answers.map(|r| &r.answers))
        );
    }
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, VERSION);

    // Opening it again builds nothing twice.
    drop(conn);
    let store = SqliteStore::open(&path).unwrap();
    store.close().await;
    assert_eq!(kept_counts(&path, "a").get(&CountKey::responses()), 10);
}

#[test]
fn a_database_from_a_newer_torget_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99;")
        .unwrap();
    let e = SqliteStore::open(&path).err().unwrap();
    assert_eq!(
        e.to_string(),
        format!(
            "{}: the database was written by a newer torget (schema version 99, this one \
             knows up to {VERSION}); run that torget, or restore a backup made before it",
            path.display()
        )
    );
}

#[test]
fn sqlite_errors_become_what_an_operator_can_act_on() {
    use rusqlite::ffi;
    let failure =
        |code| StoreError::from(rusqlite::Error::SqliteFailure(ffi::Error::new(code), None));
    let cases = [
        (ffi::SQLITE_FULL, StoreError::Full(String::new())),
        (ffi::SQLITE_BUSY, StoreError::Busy(String::new())),
        (ffi::SQLITE_CORRUPT, StoreError::Corrupt(String::new())),
        (ffi::SQLITE_IOERR, StoreError::Failed(String::new())),
    ];
    for (code, kind) in cases {
        let e = failure(code);
        assert_eq!(
            std::mem::discriminant(&e),
            std::mem::discriminant(&kind),
            "{e}"
        );
    }
    assert!(
        failure(ffi::SQLITE_FULL)
            .to_string()
            .ends_with("free space, then try again")
    );
}

/// A call with 100,000 answers, written straight into the file (through the store it takes
/// a minute of commits); one in ten chose "Bakker" among others.
fn many_answers(path: &Path, n: i64) {
    let mut conn = Connection::open(path).unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO responses (receipt_hash, call_id, lang, submitted_at, answers)
                 VALUES (?1, 'big', ?2, ?3, ?4)",
            )
            .unwrap();
        for i in 0..n {
            let many = if i % 10 == 0 {
                "[\"Is\",\"Bakker\"]"
            } else {
                "[\"Is\"]"
            };
            let answers = format!(
                "{{\"many\":{many},\"n\":{},\"t\":\"Mer lys langs sykkelveien ved skolen {i}\"}}",
                i % 5
            );
            let lang = if i % 3 == 0 { "en" } else { "nb" };
            insert
                .execute(params![i.to_le_bytes(), lang, 1_700_000_000 + i, answers])
                .unwrap();
        }
    }
    tx.commit().unwrap();
}

/// What the module's cost note promises: paging a call of 100,000 answers through an answer
/// filter reads each answer's JSON once, and stays well inside a page view's time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_filtered_page_of_many_answers_is_quick() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    SqliteStore::open(&path).unwrap().close().await;
    many_answers(&path, 100_000);
    let store = SqliteStore::open(&path).unwrap();
    let filter = Filter {
        lang: Some("nb".into()),
        answer: Some(AnswerIs {
            question: "many".into(),
            value: AnswerValue::Option("Bakker".into()),
        }),
        ..Filter::default()
    };
    // Once to warm the page cache, as a second page view finds it.
    store
        .page("big".into(), filter.clone(), 0, 50)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let (page, total) = store.page("big".into(), filter, 500, 50).await.unwrap();
    let filtered = started.elapsed();
    let started = std::time::Instant::now();
    let (plain, all) = store
        .page("big".into(), Filter::default(), 50_000, 50)
        .await
        .unwrap();
    let unfiltered = started.elapsed();
    eprintln!("filtered page: {filtered:?}, unfiltered page at 50,000: {unfiltered:?}");
    // One in ten has Bakker; of those, the ones whose number is not a multiple of 3 are nb.
    assert_eq!(
        total,
        (0..100_000).filter(|i| i % 10 == 0 && i % 3 != 0).count() as u64
    );
    assert_eq!(page.len(), 50);
    assert_eq!((plain.len(), all), (50, 100_000));
    assert!(filtered.as_millis() < 2_000, "{filtered:?}");
    assert!(unfiltered.as_millis() < 500, "{unfiltered:?}");
}
