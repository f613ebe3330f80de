//! Responses for staff (CSV and JSON exports) and public counts (the summary).
//!
//! The CSV is made for spreadsheets ([`crate::spreadsheet`]): one column per question,
//! multi-choice answers joined with `; `, and every text cell that a spreadsheet would take for
//! a formula neutralised so it shows as text and never runs.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use super::answers::Answer;
use super::calls::{Call, QuestionKind};
use super::store::{CountKey, StoredResponse};
use crate::spreadsheet::{Csv, neutralise};

fn rfc3339(t: jiff::Timestamp) -> String {
    t.to_string()
}

pub fn csv(call: &Call, responses: &[StoredResponse]) -> Vec<u8> {
    let mut out = Csv::default();
    let mut header = vec!["submitted".to_string(), "lang".to_string()];
    header.extend(call.questions.iter().map(|q| neutralise(&q.id)));
    out.row(&header);
    for r in responses {
        let mut row = vec![rfc3339(r.submitted), neutralise(&r.lang)];
        for q in &call.questions {
            row.push(match r.answers.get(&q.id) {
                None => String::new(),
                Some(Answer::Number(n)) => n.to_string(),
                Some(Answer::Text(s)) => neutralise(s),
                Some(Answer::List(items)) => neutralise(&items.join("; ")),
            });
        }
        out.row(&row);
    }
    out.into_bytes()
}

#[derive(Serialize)]
struct JsonQuestion<'a> {
    id: &'a str,
    kind: &'a str,
    label: &'a BTreeMap<String, String>,
}

pub fn json(call: &Call, responses: &[StoredResponse]) -> Value {
    json!({
        "call": call.id,
        "questions": call.questions.iter().map(|q| JsonQuestion {
            id: &q.id,
            kind: q.kind.as_str(),
            label: &q.label,
        }).collect::<Vec<_>>(),
        "responses": responses.iter().map(|r| json!({
            "submitted": rfc3339(r.submitted),
            "lang": r.lang,
            "answers": r.answers,
        })).collect::<Vec<_>>(),
    })
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
mod tests {
    use super::*;
    use crate::calls_json::sample::{choice, required, scale, text};
    use crate::feedback::answers::Answers;
    use crate::feedback::calls::sample_call;
    use crate::feedback::store::Counts;

    fn call() -> std::sync::Arc<Call> {
        sample_call(vec![
            required(choice("pick", false, &["Yes", "No"], &["Ja", "Nei"])),
            choice("many", true, &["A", "B"], &["Æ", "Ø"]),
            scale("n", 1, 3),
            text("t", false, None),
        ])
    }

    fn resp(answers: &[(&str, Answer)]) -> StoredResponse {
        StoredResponse {
            id: 1,
            call_id: "c".into(),
            lang: "nb".into(),
            submitted: "2025-03-01T12:00:00Z".parse().unwrap(),
            answers: answers
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<Answers>(),
            hidden: None,
        }
    }

    #[test]
    fn csv_cells_that_look_like_formulas_are_neutralised() {
        let call = &call();
        let rows = [
            resp(&[
                ("pick", Answer::Text("Ja".into())),
                ("many", Answer::List(vec!["Æ".into(), "Ø".into()])),
                ("n", Answer::Number(2)),
                ("t", Answer::Text("=HYPERLINK(\"http://x\")".into())),
            ]),
            resp(&[("t", Answer::Text("+1".into()))]),
            resp(&[("t", Answer::Text("-1".into()))]),
            resp(&[("t", Answer::Text("@SUM(A1)".into()))]),
            resp(&[("t", Answer::Text("fine, \"quoted\"".into()))]),
            // Found by attacking the export: these went out as formulas, or raw.
            resp(&[("t", Answer::Text(" =1+1".into()))]),
            resp(&[("t", Answer::Text("\u{ff1d}1+1".into()))]),
            resp(&[("t", Answer::Text("Ja;\0 nei\x1b[2J".into()))]),
        ];
        let out = String::from_utf8(csv(call, &rows)).unwrap();
        assert_eq!(
            out,
            "\u{feff}submitted,lang,pick,many,n,t\r\n\
             2025-03-01T12:00:00Z,nb,Ja,\"Æ; Ø\",2,\"'=HYPERLINK(\"\"http://x\"\")\"\r\n\
             2025-03-01T12:00:00Z,nb,,,,'+1\r\n\
             2025-03-01T12:00:00Z,nb,,,,'-1\r\n\
             2025-03-01T12:00:00Z,nb,,,,'@SUM(A1)\r\n\
             2025-03-01T12:00:00Z,nb,,,,\"fine, \"\"quoted\"\"\"\r\n\
             2025-03-01T12:00:00Z,nb,,,,' =1+1\r\n\
             2025-03-01T12:00:00Z,nb,,,,'\u{ff1d}1+1\r\n\
             2025-03-01T12:00:00Z,nb,,,,\"Ja; nei[2J\"\r\n"
        );
    }

    #[test]
    fn summary_counts_options_across_languages_and_hides_text() {
        let call = &call();
        let rows = [
            resp(&[
                ("pick", Answer::Text("Nei".into())),
                ("many", Answer::List(vec!["Æ".into(), "Ø".into()])),
                ("n", Answer::Number(3)),
                ("t", Answer::Text("secret".into())),
            ]),
            resp(&[
                ("pick", Answer::Text("Nei".into())),
                ("n", Answer::Number(1)),
            ]),
        ];
        let counts = Counts::recount(rows.iter().map(|r| &r.answers));
        let s = summary(call, &mut |k| counts.get(&k));
        assert_eq!(s["responses"], 2);
        assert_eq!(s["questions"][0]["options"][1]["count"], 2);
        assert_eq!(s["questions"][0]["options"][1]["labels"]["en"], "No");
        assert_eq!(s["questions"][1]["options"][0]["count"], 1);
        assert_eq!(s["questions"][1]["answered"], 1);
        assert_eq!(
            s["questions"][2]["values"],
            json!([{"value":1,"count":1},{"value":2,"count":0},{"value":3,"count":1}])
        );
        assert_eq!(
            s["questions"][3],
            json!({"id":"t","kind":"text","answered":1})
        );
        assert!(!s.to_string().contains("secret"));
    }
}
