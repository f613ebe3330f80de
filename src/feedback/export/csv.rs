//! The CSV export, made for spreadsheets ([`crate::spreadsheet`]): every text cell a
//! spreadsheet would take for a formula is neutralised so it shows as text and never runs.

use super::{answer_text, hidden_reason, question_text, rfc3339, words};
use crate::feedback::answers::Answer;
use crate::feedback::calls::Call;
use crate::feedback::store::StoredResponse;
use crate::spreadsheet::{Csv, neutralise};

/// One row per response: its id, when, in which language, why it is hidden (empty if it is
/// not), then one column per question headed by the question's text.
pub fn csv(call: &Call, responses: &[StoredResponse]) -> Vec<u8> {
    let w = words(call);
    let mut out = Csv::default();
    let mut header: Vec<String> = [w.id, w.submitted, w.lang, w.hidden]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(
        call.questions
            .iter()
            .map(|q| neutralise(question_text(call, q))),
    );
    out.row(&header);
    for r in responses {
        let mut row = vec![
            r.id.to_string(),
            rfc3339(r.submitted),
            neutralise(&r.lang),
            neutralise(hidden_reason(r)),
        ];
        for q in &call.questions {
            row.push(match r.answers.get(&q.id) {
                // A scale's -2 is a number, not a formula.
                Some(Answer::Number(n)) => n.to_string(),
                a => neutralise(&answer_text(a)),
            });
        }
        out.row(&row);
    }
    out.into_bytes()
}
