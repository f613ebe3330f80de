//! What every store does with stored responses for staff: ids, filtered pages, answers per
//! day, hiding and deleting one answer, and the change sequence.

use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::response;
use crate::feedback::answers::{Answer, Answers};
use crate::feedback::receipt::Receipt;
use crate::feedback::store::{
    AnswerIs, AnswerValue, ChangeKind, CountKey, Counts, Delete, Filter, Hidden, NewResponse,
    Store, Visibility,
};

every_store!(
    ids_are_given_in_order_and_never_reused_after_a_deletion,
    filters_keep_only_the_answers_asked_for,
    pages_split_the_answers_and_a_page_past_the_end_is_empty,
    hiding_takes_an_answer_out_of_the_counts_and_unhiding_puts_it_back,
    a_hidden_answer_withdrawn_or_purged_lowers_no_count,
    an_id_of_another_call_is_refused_and_left_as_it_was,
    every_write_to_a_response_is_in_the_change_sequence_in_order,
    answers_per_day_follow_the_site_s_days_and_leave_hidden_ones_out,
);

/// A response to `call` in `lang` at `second`, with these answers.
pub(super) fn answered(
    call: &str,
    lang: &str,
    second: i64,
    answers: &[(&str, Answer)],
) -> NewResponse {
    NewResponse {
        call_id: call.into(),
        lang: lang.into(),
        submitted: Timestamp::from_second(second).unwrap(),
        answers: answers
            .iter()
            .map(|(q, a)| (q.to_string(), a.clone()))
            .collect::<Answers>(),
        receipt: Receipt::generate().unwrap().hash(),
    }
}

fn text(s: &str) -> Answer {
    Answer::Text(s.into())
}

fn list(items: &[&str]) -> Answer {
    Answer::List(items.iter().map(|s| s.to_string()).collect())
}

pub(super) fn hidden(reason: &str) -> Hidden {
    Hidden {
        reason: reason.into(),
        by: "kari@kommune.example".into(),
        at: Timestamp::from_second(1_800_000_000).unwrap(),
    }
}

pub(super) async fn ids(store: &Arc<dyn Store>, call: &str, filter: Filter) -> (Vec<i64>, u64) {
    let (page, total) = store.page(call.into(), filter, 0, 100).await.unwrap();
    (page.iter().map(|r| r.id).collect(), total)
}

/// Every count of `call` the store keeps, read through the trait.
async fn counts_of(store: &Arc<dyn Store>, call: &str, like: &[&Answers]) -> Counts {
    let keys: Vec<CountKey> = like.iter().flat_map(|a| CountKey::of(a)).collect();
    let mut got = store.counts(call.into(), keys).await.unwrap();
    got.0.retain(|_, n| *n > 0);
    got
}

async fn ids_are_given_in_order_and_never_reused_after_a_deletion(store: Arc<dyn Store>) {
    let (first, _) = response("c", 1);
    let (second, receipt) = response("c", 2);
    store.insert(first).await.unwrap();
    store.insert(second).await.unwrap();
    let (got, total) = ids(&store, "c", Filter::default()).await;
    assert_eq!(total, 2);
    assert!(got[0] > got[1], "newest first: {got:?}");
    let newest = got[0];
    // Deleting the newest frees the highest id, which plain SQLite rowids would hand out again.
    assert!(store.withdraw(receipt.hash()).await.unwrap().is_some());
    let (third, _) = response("c", 3);
    store.insert(third).await.unwrap();
    let (got, _) = ids(&store, "c", Filter::default()).await;
    assert_eq!(got.len(), 2);
    assert!(got[0] > newest, "{got:?} reuses {newest}");
    let all = store.responses("c".into()).await.unwrap();
    assert_eq!(
        all.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![got[1], got[0]],
        "responses() lists oldest first, with the ids page() gives"
    );
    store.close().await;
}

async fn filters_keep_only_the_answers_asked_for(store: Arc<dyn Store>) {
    let rows = [
        answered(
            "c",
            "nb",
            100,
            &[("pick", text("Ja")), ("n", Answer::Number(3))],
        ),
        answered(
            "c",
            "en",
            200,
            &[("pick", text("Nei")), ("many", list(&["Is", "Bakker"]))],
        ),
        answered(
            "c",
            "nb",
            300,
            &[("pick", text("3")), ("many", list(&["Bakker"]))],
        ),
        answered("c", "nb", 400, &[("t", text("Ja"))]),
        answered("other", "nb", 250, &[("pick", text("Ja"))]),
    ];
    for r in rows {
        store.insert(r).await.unwrap();
    }
    let (all, total) = ids(&store, "c", Filter::default()).await;
    assert_eq!(total, 4);
    // Newest first: all[0] is the answer at 400, all[3] the one at 100.
    let at = |second: i64| all[((400 - second) / 100) as usize];

    let by_lang = Filter {
        lang: Some("en".into()),
        ..Filter::default()
    };
    assert_eq!(ids(&store, "c", by_lang).await, (vec![at(200)], 1));

    let between = Filter {
        from: Some(Timestamp::from_second(200).unwrap()),
        until: Some(Timestamp::from_second(400).unwrap()),
        ..Filter::default()
    };
    assert_eq!(ids(&store, "c", between).await, (vec![at(300), at(200)], 2));

    let answer = |q: &str, value: AnswerValue| Filter {
        answer: Some(AnswerIs {
            question: q.into(),
            value,
        }),
        ..Filter::default()
    };
    let option = |s: &str| AnswerValue::Option(s.into());
    assert_eq!(
        ids(&store, "c", answer("pick", option("Ja"))).await,
        (vec![at(100)], 1),
        "only the question asked about: `t` also says Ja, and another call's answer is left out"
    );
    assert_eq!(
        ids(&store, "c", answer("many", option("Bakker"))).await,
        (vec![at(300), at(200)], 2),
        "a multi-choice answer that includes the option"
    );
    assert_eq!(
        ids(&store, "c", answer("n", AnswerValue::Number(3))).await,
        (vec![at(100)], 1),
        "the scale's 3, not the option text \"3\""
    );
    assert_eq!(
        ids(&store, "c", answer("pick", option("3"))).await,
        (vec![at(300)], 1)
    );
    assert_eq!(ids(&store, "c", answer("pick", option("ja"))).await.1, 0);

    let hits = Filter {
        ids: Some(vec![at(100), at(400), 999_999]),
        ..Filter::default()
    };
    assert_eq!(ids(&store, "c", hits).await, (vec![at(400), at(100)], 2));
    let no_hits = Filter {
        ids: Some(Vec::new()),
        ..Filter::default()
    };
    assert_eq!(ids(&store, "c", no_hits).await, (vec![], 0));

    assert!(store.hide("c".into(), at(200), hidden("x")).await.unwrap());
    let only = |visibility| Filter {
        visibility,
        ..Filter::default()
    };
    assert_eq!(
        ids(&store, "c", only(Visibility::Hidden)).await,
        (vec![at(200)], 1)
    );
    assert_eq!(ids(&store, "c", only(Visibility::Visible)).await.1, 3);
    let combined = Filter {
        lang: Some("nb".into()),
        answer: Some(AnswerIs {
            question: "many".into(),
            value: option("Bakker"),
        }),
        visibility: Visibility::Visible,
        ..Filter::default()
    };
    assert_eq!(ids(&store, "c", combined).await, (vec![at(300)], 1));
    store.close().await;
}

async fn pages_split_the_answers_and_a_page_past_the_end_is_empty(store: Arc<dyn Store>) {
    for n in 0..7 {
        store.insert(response("c", n).0).await.unwrap();
    }
    let mut seen = Vec::new();
    for offset in [0, 3, 6] {
        let (page, total) = store
            .page("c".into(), Filter::default(), offset, 3)
            .await
            .unwrap();
        assert_eq!(total, 7);
        seen.extend(page.iter().map(|r| r.submitted.as_second()));
    }
    let newest_first: Vec<i64> = (0..7).rev().map(|n| 1_700_000_000 + n).collect();
    assert_eq!(seen, newest_first);
    for offset in [7, 1_000, u64::MAX] {
        let (page, total) = store
            .page("c".into(), Filter::default(), offset, 3)
            .await
            .unwrap();
        assert!(page.is_empty(), "offset {offset}");
        assert_eq!(total, 7);
    }
    let (page, total) = store
        .page("none".into(), Filter::default(), 0, 3)
        .await
        .unwrap();
    assert!(page.is_empty());
    assert_eq!(total, 0);
    store.close().await;
}

async fn hiding_takes_an_answer_out_of_the_counts_and_unhiding_puts_it_back(store: Arc<dyn Store>) {
    let a = answered(
        "c",
        "nb",
        1,
        &[("pick", text("Ja")), ("n", Answer::Number(2))],
    );
    let b = answered(
        "c",
        "nb",
        2,
        &[("pick", text("Nei")), ("n", Answer::Number(2))],
    );
    let (aa, ba) = (a.answers.clone(), b.answers.clone());
    store.insert(a).await.unwrap();
    store.insert(b).await.unwrap();
    let both = Counts::recount([&aa, &ba]);
    assert_eq!(counts_of(&store, "c", &[&aa, &ba]).await, both);
    let (got, _) = ids(&store, "c", Filter::default()).await;
    let (b_id, a_id) = (got[0], got[1]);

    assert!(
        store
            .hide("c".into(), a_id, hidden("names a neighbour"))
            .await
            .unwrap()
    );
    assert!(
        !store.hide("c".into(), a_id, hidden("again")).await.unwrap(),
        "already hidden"
    );
    assert_eq!(
        counts_of(&store, "c", &[&aa, &ba]).await,
        Counts::recount([&ba])
    );
    // Staff still see it, with why, by whom and when.
    let all = store.responses("c".into()).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].hidden, Some(hidden("names a neighbour")));
    assert_eq!(all[1].hidden, None);
    assert_eq!(
        store.per_day("c".into(), TimeZone::UTC).await.unwrap()[0].1,
        1
    );

    assert!(store.unhide("c".into(), a_id).await.unwrap());
    assert!(!store.unhide("c".into(), a_id).await.unwrap(), "not hidden");
    assert_eq!(counts_of(&store, "c", &[&aa, &ba]).await, both);
    assert_eq!(store.responses("c".into()).await.unwrap()[0].hidden, None);

    // A hidden answer that is then deleted is not taken out of the counts twice.
    assert!(store.hide("c".into(), b_id, hidden("x")).await.unwrap());
    assert!(store.delete_response("c".into(), b_id).await.unwrap());
    assert_eq!(
        counts_of(&store, "c", &[&aa, &ba]).await,
        Counts::recount([&aa])
    );
    assert!(
        !store.delete_response("c".into(), b_id).await.unwrap(),
        "gone"
    );
    store.close().await;
}

/// Hiding a withdrawn or purged answer's counts must not go below what is left either.
async fn a_hidden_answer_withdrawn_or_purged_lowers_no_count(store: Arc<dyn Store>) {
    let receipt = Receipt::generate().unwrap();
    let mut a = answered("c", "nb", 10, &[("pick", text("Ja"))]);
    a.receipt = receipt.hash();
    let b = answered("c", "nb", 20, &[("pick", text("Ja"))]);
    let c = answered("c", "nb", 30, &[("pick", text("Ja"))]);
    let kept = c.answers.clone();
    for r in [a, b, c] {
        store.insert(r).await.unwrap();
    }
    let (got, _) = ids(&store, "c", Filter::default()).await;
    for id in &got[1..] {
        assert!(store.hide("c".into(), *id, hidden("x")).await.unwrap());
    }
    assert_eq!(
        store.withdraw(receipt.hash()).await.unwrap().as_deref(),
        Some("c")
    );
    let before = Delete::Before(Timestamp::from_second(25).unwrap());
    assert_eq!(store.delete(before).await.unwrap(), 1);
    assert_eq!(
        counts_of(&store, "c", &[&kept]).await,
        Counts::recount([&kept])
    );
    store.close().await;
}

async fn an_id_of_another_call_is_refused_and_left_as_it_was(store: Arc<dyn Store>) {
    let theirs = answered("other", "nb", 1, &[("pick", text("Ja"))]);
    let answers = theirs.answers.clone();
    store.insert(theirs).await.unwrap();
    let (got, _) = ids(&store, "other", Filter::default()).await;
    let id = got[0];
    let last = store.last_change().await.unwrap();

    assert!(!store.hide("c".into(), id, hidden("x")).await.unwrap());
    assert!(!store.delete_response("c".into(), id).await.unwrap());
    assert!(store.hide("other".into(), id, hidden("x")).await.unwrap());
    assert!(!store.unhide("c".into(), id).await.unwrap());

    let all = store.responses("other".into()).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].hidden, Some(hidden("x")), "still hidden");
    assert_eq!(
        counts_of(&store, "other", &[&answers]).await,
        Counts::default()
    );
    assert_eq!(
        store.changes(last, 10).await.unwrap().len(),
        1,
        "only the hide in its own call was recorded"
    );
    store.close().await;
}

async fn every_write_to_a_response_is_in_the_change_sequence_in_order(store: Arc<dyn Store>) {
    assert_eq!(store.last_change().await.unwrap(), 0);
    let (a, receipt) = response("a", 1);
    store.insert(a).await.unwrap();
    store.insert(response("b", 2).0).await.unwrap();
    store.insert(response("b", 3).0).await.unwrap();
    store.insert(response("old", 4).0).await.unwrap();
    let id = |call: &'static str| {
        let store = &store;
        async move { ids(store, call, Filter::default()).await.0 }
    };
    let (a_id, b_ids, old_id) = (id("a").await[0], id("b").await, id("old").await[0]);
    assert!(store.hide("b".into(), b_ids[0], hidden("x")).await.unwrap());
    assert!(store.unhide("b".into(), b_ids[0]).await.unwrap());
    assert!(store.delete_response("b".into(), b_ids[1]).await.unwrap());
    assert!(store.withdraw(receipt.hash()).await.unwrap().is_some());
    store.delete(Delete::Call("old".into())).await.unwrap();
    let before = Delete::Before(Timestamp::from_second(1_700_000_100).unwrap());
    store.delete(before).await.unwrap();

    let changes = store.changes(0, 100).await.unwrap();
    let seen: Vec<(i64, &str, ChangeKind)> = changes
        .iter()
        .map(|c| (c.response, c.call_id.as_str(), c.kind))
        .collect();
    use ChangeKind::{Hide, Insert, Purge, Unhide, Withdraw};
    assert_eq!(
        seen,
        vec![
            (a_id, "a", Insert),
            (b_ids[1], "b", Insert),
            (b_ids[0], "b", Insert),
            (old_id, "old", Insert),
            (b_ids[0], "b", Hide),
            (b_ids[0], "b", Unhide),
            (b_ids[1], "b", ChangeKind::Delete),
            (a_id, "a", Withdraw),
            (old_id, "old", Purge),
            (b_ids[0], "b", Purge),
        ]
    );
    assert!(changes.windows(2).all(|w| w[0].seq < w[1].seq));
    assert_eq!(store.last_change().await.unwrap(), changes[9].seq);
    // Followed a few at a time, from where the last read stopped.
    let next = store.changes(changes[3].seq, 2).await.unwrap();
    assert_eq!(next, changes[4..6].to_vec());
    assert!(store.changes(changes[9].seq, 10).await.unwrap().is_empty());
    store.close().await;
}

async fn answers_per_day_follow_the_site_s_days_and_leave_hidden_ones_out(store: Arc<dyn Store>) {
    let oslo = TimeZone::get("Europe/Oslo").unwrap();
    // 2026-06-01 21:30 UTC is 23:30 in Oslo; 22:30 UTC is already 2 June there.
    let at = |s: &str| s.parse::<Timestamp>().unwrap().as_second();
    for (second, call) in [
        (at("2026-06-01T21:30:00Z"), "c"),
        (at("2026-06-01T22:30:00Z"), "c"),
        (at("2026-06-01T23:59:00Z"), "c"),
        (at("2026-06-03T08:00:00Z"), "c"),
        (at("2026-06-01T10:00:00Z"), "other"),
    ] {
        store
            .insert(answered(call, "nb", second, &[("n", Answer::Number(1))]))
            .await
            .unwrap();
    }
    let newest = ids(&store, "c", Filter::default()).await.0[0];
    let date = |s: &str| s.parse::<Date>().unwrap();
    assert_eq!(
        store.per_day("c".into(), oslo.clone()).await.unwrap(),
        vec![
            (date("2026-06-01"), 1),
            (date("2026-06-02"), 2),
            (date("2026-06-03"), 1)
        ]
    );
    assert!(store.hide("c".into(), newest, hidden("x")).await.unwrap());
    assert_eq!(
        store.per_day("c".into(), oslo).await.unwrap(),
        vec![(date("2026-06-01"), 1), (date("2026-06-02"), 2)]
    );
    assert_eq!(
        store.per_day("c".into(), TimeZone::UTC).await.unwrap(),
        vec![(date("2026-06-01"), 3)]
    );
    store.close().await;
}
