//! Tests of the live index: built from the store, caught up before each search, a withdrawn
//! or deleted answer gone at once, a hidden one still found, and a second instance's answers
//! found through a shared database.

use std::sync::Arc;

use jiff::Timestamp;

use super::*;
use crate::feedback::answers::Answers;
use crate::feedback::receipt::Receipt;
use crate::feedback::store::{self, DbSpec, Hidden, IfMissing, NewResponse};

/// Only question `t` takes free text; `pick` is a choice.
fn free_text() -> FreeText {
    Arc::new(|_, question| question == "t")
}

fn new_response(call: &str, text: &str, pick: &str) -> (NewResponse, Receipt) {
    let receipt = Receipt::generate().unwrap();
    let mut answers = Answers::new();
    answers.insert("t".into(), Answer::Text(text.into()));
    answers.insert("pick".into(), Answer::Text(pick.into()));
    let r = NewResponse {
        call_id: call.into(),
        lang: "nb".into(),
        submitted: Timestamp::from_second(1_780_000_000).unwrap(),
        answers,
        receipt: receipt.hash(),
    };
    (r, receipt)
}

fn open(path: &std::path::Path) -> Arc<dyn Store> {
    store::open(&DbSpec::Sqlite(path.to_path_buf()), IfMissing::Create).unwrap()
}

async fn ids(live: &LiveIndex, call: Option<&str>, q: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = live
        .search(call, q, 20, 0)
        .await
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    ids.sort();
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_starts_from_the_store_and_follows_each_change_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("a.sqlite"));
    let (r, _) = new_response("c1", "Barnehagene trenger mer plass.", "Barnehage");
    store.insert(r).await.unwrap();
    let (r, _) = new_response("c2", "Flere benker i parken.", "Ja");
    store.insert(r).await.unwrap();
    let live = LiveIndex::build(store.clone(), vec!["c1".into(), "c2".into()], free_text())
        .await
        .unwrap();
    assert_eq!(live.len(), 2, "the choice answers are not indexed");
    let first = ids(&live, None, "barnehage").await;
    assert_eq!(first.len(), 1);
    assert_eq!(ids(&live, Some("c2"), "barnehage").await, Vec::<i64>::new());
    let hits = live.search(Some("c2"), "benk", 5, 0).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].call_id, "c2");
    assert_eq!(hits[0].question_id, "t");
    assert!(
        hits[0].snippet_html.contains("<mark>benker</mark>"),
        "{hits:?}"
    );

    // A new answer, then its withdrawal: each found or gone at the next search.
    let (r, receipt) = new_response("c1", "Barnehagen mangler lys.", "Nei");
    store.insert(r).await.unwrap();
    let both = ids(&live, Some("c1"), "barnehage").await;
    assert_eq!(both.len(), 2);
    assert_eq!(
        store.withdraw(receipt.hash()).await.unwrap().as_deref(),
        Some("c1")
    );
    assert_eq!(ids(&live, Some("c1"), "barnehage").await, first);

    // Hidden: still found (the console marks it). Then deleted: gone at once.
    let hidden = Hidden {
        reason: "names a neighbour".into(),
        by: "kari@kommune.example".into(),
        at: Timestamp::from_second(1_800_000_000).unwrap(),
    };
    assert!(store.hide("c1".into(), first[0], hidden).await.unwrap());
    assert_eq!(ids(&live, None, "barnehage").await, first);
    assert!(store.delete_response("c1".into(), first[0]).await.unwrap());
    assert!(ids(&live, None, "barnehage").await.is_empty());

    // A purge of a whole call takes its answers out too.
    store
        .delete(store::Delete::Call("c2".into()))
        .await
        .unwrap();
    assert!(ids(&live, None, "benk").await.is_empty());
    assert!(live.is_empty());
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_the_syntax_cannot_read_or_too_long_is_no_failure_or_a_typed_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("a.sqlite"));
    let (r, _) = new_response("c1", "Bussen går 10:30 hver dag.", "Ja");
    store.insert(r).await.unwrap();
    let live = LiveIndex::build(store.clone(), vec!["c1".into()], free_text())
        .await
        .unwrap();
    assert_eq!(ids(&live, None, "10:30").await.len(), 1);
    assert!(live.search(None, "\"(", 5, 0).await.unwrap().is_empty());
    let long = "buss ".repeat(2_000);
    assert!(matches!(
        live.search(None, &long, 5, 0).await,
        Err(SearchError::TooLong)
    ));
    store.close().await;
}

/// Two endpoint instances share one database: what one stores, the other's index finds
/// after catching up, by its own poll or before its next search.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_stored_by_another_instance_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.sqlite");
    let here = open(&path);
    let there = open(&path);
    let live = Arc::new(
        LiveIndex::build(here.clone(), vec!["c1".into()], free_text())
            .await
            .unwrap(),
    );
    assert!(live.is_empty());
    let follower = live.follow(Duration::from_millis(100));
    let (r, receipt) = new_response("c1", "Sykkelveien er mørk om kvelden.", "Ja");
    there.insert(r).await.unwrap();
    // The poll brings it in without a search asking.
    let started = std::time::Instant::now();
    while live.is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "not followed within 2 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(ids(&live, Some("c1"), "sykkelvei").await.len(), 1);
    there.withdraw(receipt.hash()).await.unwrap();
    assert!(ids(&live, Some("c1"), "sykkelvei").await.is_empty());
    drop(live);
    // The last handle gone, the poll ends by itself.
    tokio::time::timeout(Duration::from_secs(2), follower)
        .await
        .expect("the poll stops once the index is dropped")
        .unwrap();
    here.close().await;
    there.close().await;
}

/// A call published after the endpoint started may already have answers in a shared
/// database (or from before a restart with an older site): they are read once the site names
/// the call, not only the ones that arrive after.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_the_site_gains_later_has_its_stored_answers_found() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("a.sqlite"));
    let (r, _) = new_response("c1", "Barnehagene trenger mer plass.", "Ja");
    store.insert(r).await.unwrap();
    let (r, _) = new_response("c2", "Flere benker i parken.", "Ja");
    store.insert(r).await.unwrap();
    let site_calls = Arc::new(std::sync::Mutex::new(vec!["c1".to_string()]));
    let mut live = LiveIndex::build(store.clone(), vec!["c1".into()], free_text())
        .await
        .unwrap();
    let seen = site_calls.clone();
    live.watch_calls(Arc::new(move || seen.lock().unwrap().clone()));
    assert!(
        ids(&live, None, "benk").await.is_empty(),
        "c2 is not on the site"
    );
    site_calls.lock().unwrap().push("c2".into());
    assert_eq!(ids(&live, Some("c2"), "benk").await.len(), 1);
    // Read once: a second search does not index it twice.
    assert_eq!(ids(&live, None, "benk").await.len(), 1);
    assert_eq!(live.len(), 2);
    store.close().await;
}
