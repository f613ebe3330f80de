//! The JSON export: the call's questions with their labels, and every response with its id,
//! its answers as stored and, if hidden, why, by whom and when.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use super::rfc3339;
use crate::feedback::calls::Call;
use crate::feedback::store::StoredResponse;

#[derive(Serialize)]
struct JsonQuestion<'a> {
    id: &'a str,
    kind: &'a str,
    label: &'a BTreeMap<String, String>,
}

/// The export as a JSON value (the bearer-token API sends it as is).
pub fn value(call: &Call, responses: &[StoredResponse]) -> Value {
    json!({
        "call": call.id,
        "questions": call.questions.iter().map(|q| JsonQuestion {
            id: &q.id,
            kind: q.kind.as_str(),
            label: &q.label,
        }).collect::<Vec<_>>(),
        "responses": responses.iter().map(|r| {
            let mut v = json!({
                "id": r.id,
                "submitted": rfc3339(r.submitted),
                "lang": r.lang,
                "answers": r.answers,
                "hidden": null,
            });
            if let Some(h) = &r.hidden {
                v["hidden"] = json!({ "reason": h.reason, "by": h.by, "at": rfc3339(h.at) });
            }
            v
        }).collect::<Vec<_>>(),
    })
}

/// The export as a file: indented JSON ending in a line break.
pub fn json(call: &Call, responses: &[StoredResponse]) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(&value(call, responses)).unwrap_or_default();
    out.push(b'\n');
    out
}
