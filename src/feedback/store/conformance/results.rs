//! What every store does with themes, tags and published results: a theme's count, tags
//! going with their answer or theme, another call's ids refused, publishing again.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::response;
use crate::feedback::store::{Hidden, Store, Tag};
use crate::results_json::ResultsFile;

every_store!(
    a_themes_count_is_its_visible_tagged_answers_and_deleting_an_answer_drops_its_tags,
    another_calls_theme_or_answer_is_as_if_there_were_none,
    publishing_again_replaces_and_unpublishing_removes,
);

fn label(nb: &str, en: &str) -> BTreeMap<String, String> {
    [("nb".to_string(), nb.to_string()), ("en".into(), en.into())].into()
}

/// `n` answers to call `c`, and their ids.
async fn store_with(store: &Arc<dyn Store>, n: i64) -> Vec<i64> {
    for i in 0..n {
        store.insert(response("c", i).0).await.unwrap();
    }
    store
        .responses("c".into())
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect()
}

fn tag(response: i64, theme: i64) -> Tag {
    Tag { response, theme }
}

async fn a_themes_count_is_its_visible_tagged_answers_and_deleting_an_answer_drops_its_tags(
    store: Arc<dyn Store>,
) {
    let ids = store_with(&store, 3).await;
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

async fn another_calls_theme_or_answer_is_as_if_there_were_none(store: Arc<dyn Store>) {
    let ids = store_with(&store, 1).await;
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

async fn publishing_again_replaces_and_unpublishing_removes(store: Arc<dyn Store>) {
    let mut file = ResultsFile {
        format: crate::results_json::FORMAT,
        call: "c".into(),
        published: "2026-05-01T10:00:00Z".parse().unwrap(),
        responses: 3,
        questions: Vec::new(),
        themes: Vec::new(),
    };
    assert_eq!(store.published("c".into()).await.unwrap(), None);
    store.publish(file.clone()).await.unwrap();
    file.responses = 4;
    store.publish(file.clone()).await.unwrap();
    assert_eq!(store.published("c".into()).await.unwrap(), Some(file));
    assert_eq!(store.published("other".into()).await.unwrap(), None);
    assert!(store.unpublish("c".into()).await.unwrap());
    assert!(!store.unpublish("c".into()).await.unwrap());
    assert_eq!(store.published("c".into()).await.unwrap(), None);
}
