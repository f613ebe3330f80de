//! The SQLite store's statements for staff: listing a call's responses a page at a time
//! through a [`Filter`], answers per day, hiding, unhiding and deleting one response, and
//! reading the change sequence. [`super`] runs the reads on its readers and the writes as
//! jobs on its writer, each in the batch's transaction with its [`Change`].
//!
//! What a page costs: one call's rows are found through `responses_by_call (call_id, id)`,
//! newest first, so an unfiltered page reads `limit` rows and its total counts index entries
//! only. Each other condition is checked row by row over the call's responses; the answer
//! condition reads each one's JSON (`json_each`), so a filtered page, and its total, grow with
//! the call's responses: 0.2 s for 100,000 of them in a debug build, against 20 ms for an
//! unfiltered page at offset 50,000 (the test `a_filtered_page_of_many_answers_is_quick` in
//! `sqlite/tests.rs`).

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use super::writer::{Gone, record};
use super::{Change, ChangeKind, Filter, Hidden, StoreError, StoredResponse, Tally};
use super::{parse_answers, write_tally};
use crate::feedback::store::{AnswerValue, Visibility};

/// The columns [`stored`] reads, in its order.
const COLUMNS: &str =
    "id, call_id, lang, submitted_at, answers, hidden_reason, hidden_by, hidden_at";

fn time(t: i64) -> Timestamp {
    Timestamp::from_second(t).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// A response from a row of [`COLUMNS`].
fn stored(row: &rusqlite::Row<'_>) -> Result<StoredResponse, StoreError> {
    let hidden_at: Option<i64> = row.get(7)?;
    Ok(StoredResponse {
        id: row.get(0)?,
        call_id: row.get(1)?,
        lang: row.get(2)?,
        submitted: time(row.get(3)?),
        answers: parse_answers(row.get_ref(4)?.as_str()?)?,
        hidden: match hidden_at {
            Some(at) => Some(Hidden {
                reason: row.get::<_, Option<String>>(5)?.unwrap_or_default(),
                by: row.get::<_, Option<String>>(6)?.unwrap_or_default(),
                at: time(at),
            }),
            None => None,
        },
    })
}

/// One call's responses, oldest first.
pub(super) fn responses(
    conn: &Connection,
    call_id: &str,
) -> Result<Vec<StoredResponse>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM responses WHERE call_id = ?1 ORDER BY id"
    ))?;
    let mut rows = stmt.query([call_id])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(stored(row)?);
    }
    Ok(out)
}

/// The first whole second at or after `t`: answers are stored by the second.
fn second_at_or_after(t: Timestamp) -> i64 {
    t.as_second() + i64::from(t.subsec_nanosecond() > 0)
}

/// Adds `v` to the values and returns its placeholder; `?1` is the call.
fn bind(values: &mut Vec<Value>, v: Value) -> String {
    values.push(v);
    format!("?{}", values.len() + 1)
}

/// `filter` as SQL conditions on `responses r` with their values, after `?1` (the call).
fn conditions(filter: &Filter) -> (String, Vec<Value>) {
    let mut sql = String::from("r.call_id = ?1");
    let mut values: Vec<Value> = Vec::new();
    let v = &mut values;
    if let Some(lang) = &filter.lang {
        sql += &format!(" AND r.lang = {}", bind(v, Value::Text(lang.clone())));
    }
    if let Some(from) = filter.from {
        let from = Value::Integer(second_at_or_after(from));
        sql += &format!(" AND r.submitted_at >= {}", bind(v, from));
    }
    if let Some(until) = filter.until {
        let until = Value::Integer(second_at_or_after(until));
        sql += &format!(" AND r.submitted_at < {}", bind(v, until));
    }
    if let Some(ids) = &filter.ids {
        let json = Value::Text(serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()));
        sql += &format!(
            " AND r.id IN (SELECT value FROM json_each({}))",
            bind(v, json)
        );
    }
    if let Some(a) = &filter.answer {
        let q = bind(v, Value::Text(a.question.clone()));
        let x = bind(
            v,
            match &a.value {
                AnswerValue::Option(text) => Value::Text(text.clone()),
                AnswerValue::Number(n) => Value::Integer(*n),
            },
        );
        // A text is never equal to a number here (json_each's values carry no affinity), so
        // an option "3" and a scale's 3 stay apart. A multi-choice answer is an array.
        sql += &format!(
            " AND EXISTS (SELECT 1 FROM json_each(r.answers) a WHERE a.key = {q}
               AND (a.value = {x} OR (a.type = 'array'
                    AND EXISTS (SELECT 1 FROM json_each(a.value) b WHERE b.value = {x}))))"
        );
    }
    match filter.visibility {
        Visibility::Any => {}
        Visibility::Hidden => sql.push_str(" AND r.hidden_at IS NOT NULL"),
        Visibility::Visible => sql.push_str(" AND r.hidden_at IS NULL"),
    }
    (sql, values)
}

/// One page of the responses `filter` keeps, newest first, and how many it keeps in all.
pub(super) fn page(
    conn: &Connection,
    call_id: &str,
    filter: &Filter,
    offset: u64,
    limit: u32,
) -> Result<(Vec<StoredResponse>, u64), StoreError> {
    let (cond, values) = conditions(filter);
    let with_call = || std::iter::once(Value::Text(call_id.to_string())).chain(values.clone());
    let total: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM responses r WHERE {cond}"))?
        .query_row(params_from_iter(with_call()), |r| r.get(0))?;
    let n = values.len() + 1;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM responses r WHERE {cond} ORDER BY r.id DESC LIMIT ?{} OFFSET ?{}",
        n + 1,
        n + 2
    ))?;
    let offset = i64::try_from(offset).unwrap_or(i64::MAX);
    let all = with_call().chain([Value::Integer(limit.into()), Value::Integer(offset)]);
    let mut rows = stmt.query(params_from_iter(all))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(stored(row)?);
    }
    Ok((out, total.max(0) as u64))
}

/// Visible responses per day in `tz`. They are counted in SQL by quarter hour, which no
/// time zone's midnight falls inside, and the quarters are put into days here: the rows read
/// grow with the days the call was open, not with its answers.
pub(super) fn per_day(
    conn: &Connection,
    call_id: &str,
    tz: &TimeZone,
) -> Result<Vec<(Date, u64)>, StoreError> {
    const QUARTER: i64 = 15 * 60;
    let mut stmt = conn.prepare_cached(
        "SELECT submitted_at / ?2, count(*) FROM responses
         WHERE call_id = ?1 AND hidden_at IS NULL GROUP BY 1",
    )?;
    let mut rows = stmt.query(params![call_id, QUARTER])?;
    let mut days: BTreeMap<Date, u64> = BTreeMap::new();
    while let Some(row) = rows.next()? {
        let quarter: i64 = row.get(0)?;
        let n: i64 = row.get(1)?;
        let day = tz.to_datetime(time(quarter * QUARTER)).date();
        *days.entry(day).or_default() += n.max(0) as u64;
    }
    Ok(days.into_iter().collect())
}

/// Up to `limit` changes after `after`, in order.
pub(super) fn changes(
    conn: &Connection,
    after: i64,
    limit: u32,
) -> Result<Vec<Change>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, response_id, call_id, kind FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    let mut rows = stmt.query(params![after, limit])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let kind: String = row.get(3)?;
        out.push(Change {
            seq: row.get(0)?,
            response: row.get(1)?,
            call_id: row.get(2)?,
            kind: ChangeKind::parse(&kind).ok_or_else(|| {
                StoreError::Corrupt(format!("a change of the unknown kind `{kind}`"))
            })?,
        });
    }
    Ok(out)
}

pub(super) fn last_change(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT coalesce(max(seq), 0) FROM changes")?
        .query_row([], |r| r.get(0))?)
}

/// Hides a visible response of this call and takes it out of the counts.
pub(super) fn hide(
    conn: &Connection,
    call_id: &str,
    id: i64,
    h: &Hidden,
) -> Result<bool, StoreError> {
    let answers: Option<String> = conn
        .prepare_cached(
            "UPDATE responses SET hidden_reason = ?3, hidden_by = ?4, hidden_at = ?5
             WHERE id = ?1 AND call_id = ?2 AND hidden_at IS NULL RETURNING answers",
        )?
        .query_row(
            params![id, call_id, h.reason, h.by, h.at.as_second()],
            |r| r.get(0),
        )
        .optional()?;
    recount(conn, call_id, id, answers, -1, ChangeKind::Hide)
}

/// Shows a hidden response of this call again and counts it.
pub(super) fn unhide(conn: &Connection, call_id: &str, id: i64) -> Result<bool, StoreError> {
    let answers: Option<String> = conn
        .prepare_cached(
            "UPDATE responses SET hidden_reason = NULL, hidden_by = NULL, hidden_at = NULL
             WHERE id = ?1 AND call_id = ?2 AND hidden_at IS NOT NULL RETURNING answers",
        )?
        .query_row(params![id, call_id], |r| r.get(0))
        .optional()?;
    recount(conn, call_id, id, answers, 1, ChangeKind::Unhide)
}

/// After hiding or unhiding: `sign` applied to the counts of the `answers` changed, if any,
/// and the change recorded.
fn recount(
    conn: &Connection,
    call_id: &str,
    id: i64,
    answers: Option<String>,
    sign: i64,
    kind: ChangeKind,
) -> Result<bool, StoreError> {
    let Some(answers) = answers else {
        return Ok(false);
    };
    let mut tally = Tally::default();
    tally.add(call_id, &parse_answers(&answers)?, sign);
    write_tally(conn, &mut tally)?;
    record(conn, id, call_id, kind)?;
    Ok(true)
}

/// Deletes a response of this call, lowering its counts unless it was hidden.
pub(super) fn delete_response(
    conn: &Connection,
    call_id: &str,
    id: i64,
) -> Result<bool, StoreError> {
    let gone = conn
        .prepare_cached(
            "DELETE FROM responses WHERE id = ?1 AND call_id = ?2
             RETURNING id, call_id, answers, hidden_at IS NOT NULL",
        )?
        .query_row(params![id, call_id], Gone::from_row)
        .optional()?;
    let Some(gone) = gone else {
        return Ok(false);
    };
    let mut tally = Tally::default();
    gone.uncount(&mut tally);
    write_tally(conn, &mut tally)?;
    record(conn, gone.id, &gone.call_id, ChangeKind::Delete)?;
    Ok(true)
}

#[cfg(test)]
mod tests;
