//! Responses for staff ([`csv`], [`xlsx`] and [`json`] exports) and public counts
//! ([`summary`]).
//!
//! Every export names questions by their text in the call's canonical language (the language
//! its option values are stored in), gives each response its store id and says which are
//! hidden and why. The CSV and the Excel file show multi-choice answers joined with `; `.

mod csv;
mod json;
mod xlsx;

pub use csv::csv;
pub use json::json;
pub use xlsx::xlsx;

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::answers::Answer;
use super::calls::{Call, Question, QuestionKind};
use super::store::{CountKey, Counts, StoredResponse};

fn rfc3339(t: jiff::Timestamp) -> String {
    t.to_string()
}

/// A question's text in the call's canonical language, else in any; its id if it has none.
fn question_text<'a>(call: &Call, q: &'a Question) -> &'a str {
    q.label
        .get(&call.canonical_lang)
        .or_else(|| q.label.values().next())
        .map_or(q.id.as_str(), String::as_str)
}

/// An answer as one cell's text: a number as digits, several options joined with `; `.
fn answer_text(a: Option<&Answer>) -> String {
    match a {
        None => String::new(),
        Some(Answer::Number(n)) => n.to_string(),
        Some(Answer::Text(s)) => s.clone(),
        Some(Answer::List(items)) => items.join("; "),
    }
}

/// The exports' own words, in the call's canonical language: Norwegian or English.
struct Words {
    answers: &'static str,
    counts: &'static str,
    id: &'static str,
    submitted: &'static str,
    lang: &'static str,
    hidden: &'static str,
    question: &'static str,
    answer: &'static str,
    count: &'static str,
    responses: &'static str,
    hidden_not_counted: &'static str,
}

const NORWEGIAN: Words = Words {
    answers: "Svar",
    counts: "Antall",
    id: "id",
    submitted: "sendt",
    lang: "språk",
    hidden: "skjult",
    question: "Spørsmål",
    answer: "Svar",
    count: "Antall",
    responses: "Svar i alt",
    hidden_not_counted: "Skjulte svar er ikke talt med.",
};

const ENGLISH: Words = Words {
    answers: "Answers",
    counts: "Counts",
    id: "id",
    submitted: "submitted",
    lang: "lang",
    hidden: "hidden",
    question: "Question",
    answer: "Answer",
    count: "Count",
    responses: "Responses",
    hidden_not_counted: "Hidden answers are not counted.",
};

fn words(call: &Call) -> &'static Words {
    match call.canonical_lang.as_str() {
        "nb" | "nn" | "no" => &NORWEGIAN,
        _ => &ENGLISH,
    }
}

/// The counts of the responses that are not hidden, as the public summary counts them.
fn visible_counts(responses: &[StoredResponse]) -> Counts {
    let mut out = Counts::default();
    for r in responses.iter().filter(|r| r.hidden.is_none()) {
        for key in CountKey::of(&r.answers) {
            *out.0.entry(key).or_default() += 1;
        }
    }
    out
}

/// Why a hidden response is hidden, or nothing.
fn hidden_reason(r: &StoredResponse) -> &str {
    r.hidden.as_ref().map_or("", |h| h.reason.as_str())
}

/// Public counts: how many responded, how many answered each question, and how often each
/// option and scale value was chosen. Text answers are never shown. `count` gives the kept
/// count of a key; [`summary_keys`] lists the keys this asks for, so the store reads those
/// and nothing else.
pub fn summary(call: &Call, count: &mut dyn FnMut(CountKey) -> u64) -> Value {
    let questions: Vec<Value> = call
        .questions
        .iter()
        .map(|q| {
            let answered = count(CountKey::answered(&q.id));
            let mut v = json!({ "id": q.id, "kind": q.kind.as_str(), "answered": answered });
            match q.kind {
                QuestionKind::Choice | QuestionKind::Multichoice => {
                    v["options"] = call
                        .canonical_options(q)
                        .iter()
                        .enumerate()
                        .map(|(i, option)| {
                            let labels: BTreeMap<&str, &str> = q
                                .options
                                .iter()
                                .filter_map(|(l, opts)| Some((l.as_str(), opts.get(i)?.as_str())))
                                .collect();
                            let n = count(CountKey::option(&q.id, option));
                            json!({ "index": i, "labels": labels, "count": n })
                        })
                        .collect();
                }
                QuestionKind::Scale => {
                    let (min, max) = q.scale();
                    // A call's bounds are small, but never trust them to be.
                    let max = max.min(min.saturating_add(100));
                    v["values"] = (min..=max)
                        .map(|value| {
                            let n = count(CountKey::number(&q.id, value));
                            json!({ "value": value, "count": n })
                        })
                        .collect();
                }
                QuestionKind::Text | QuestionKind::Longtext => {}
            }
            v
        })
        .collect();
    let responses = count(CountKey::responses());
    json!({ "call": call.id, "responses": responses, "questions": questions })
}

/// The counts [`summary`] reads for `call`.
pub fn summary_keys(call: &Call) -> Vec<CountKey> {
    let mut keys = Vec::new();
    summary(call, &mut |k| {
        keys.push(k);
        0
    });
    keys
}

#[cfg(test)]
mod tests;
