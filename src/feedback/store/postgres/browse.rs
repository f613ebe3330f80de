//! The PostgreSQL store's statements for staff: a call's responses (all, or a page through a
//! [`Filter`]), answers per day, hiding, unhiding and deleting one response, and reading the
//! change sequence. Each write changes the counts and records its [`Change`] in its own
//! transaction, as the SQLite store's do.
//!
//! What a page costs: one call's rows are found through `responses_by_call (call_id, id)`,
//! newest first, so an unfiltered page reads `limit` rows. The answer condition reads each of
//! the call's responses' JSON (`answers::jsonb @>`), so a filtered page, and its total, grow
//! with the call's responses, as in SQLite.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Row, Transaction};

use super::super::counts::Tally;
use super::super::{
    AnswerValue, Change, ChangeKind, Filter, Hidden, StoreError, StoredResponse, Visibility,
};
use super::writer::{CHANGES_LOCK, Changes, Gone, write_tally};
use super::{parse_answers, time};

/// The columns [`stored`] reads, in its order.
const COLUMNS: &str =
    "id, call_id, lang, submitted_at, answers, hidden_reason, hidden_by, hidden_at";

/// A response from a row of [`COLUMNS`].
fn stored(row: &Row) -> Result<StoredResponse, StoreError> {
    let hidden_at: Option<i64> = row.try_get(7)?;
    Ok(StoredResponse {
        id: row.try_get(0)?,
        call_id: row.try_get(1)?,
        lang: row.try_get(2)?,
        submitted: time(row.try_get(3)?),
        answers: parse_answers(row.try_get(4)?)?,
        hidden: match hidden_at {
            Some(at) => Some(Hidden {
                reason: row.try_get::<_, Option<String>>(5)?.unwrap_or_default(),
                by: row.try_get::<_, Option<String>>(6)?.unwrap_or_default(),
                at: time(at),
            }),
            None => None,
        },
    })
}

/// One call's responses, oldest first.
pub(super) async fn responses(
    c: &Client,
    call_id: &str,
) -> Result<Vec<StoredResponse>, StoreError> {
    let rows = c
        .query(
            &format!("SELECT {COLUMNS} FROM responses WHERE call_id = $1 ORDER BY id"),
            &[&call_id],
        )
        .await?;
    rows.iter().map(stored).collect()
}

/// The first whole second at or after `t`: answers are stored by the second.
fn second_at_or_after(t: Timestamp) -> i64 {
    t.as_second() + i64::from(t.subsec_nanosecond() > 0)
}

type Param = Box<dyn ToSql + Sync + Send>;

/// Adds `v` to the values and returns its placeholder; `$1` is the call.
fn bind(values: &mut Vec<Param>, v: Param) -> String {
    values.push(v);
    format!("${}", values.len())
}

/// `filter` as SQL conditions on `responses r` with their values, `$1` being the call.
fn conditions(call_id: &str, filter: &Filter) -> (String, Vec<Param>) {
    let mut values: Vec<Param> = vec![Box::new(call_id.to_string())];
    let mut sql = String::from("r.call_id = $1");
    let v = &mut values;
    if let Some(lang) = &filter.lang {
        sql += &format!(" AND r.lang = {}", bind(v, Box::new(lang.clone())));
    }
    if let Some(from) = filter.from {
        let from = Box::new(second_at_or_after(from));
        sql += &format!(" AND r.submitted_at >= {}", bind(v, from));
    }
    if let Some(until) = filter.until {
        let until = Box::new(second_at_or_after(until));
        sql += &format!(" AND r.submitted_at < {}", bind(v, until));
    }
    if let Some(ids) = &filter.ids {
        sql += &format!(
            " AND r.id = ANY({}::bigint[])",
            bind(v, Box::new(ids.clone()))
        );
    }
    if let Some(a) = &filter.answer {
        let q = bind(v, Box::new(a.question.clone()));
        // A scalar contains only an equal scalar, and an array each of its elements: an
        // option's answer or one of a multi-choice answer's. A string is never equal to a
        // number, so an option "3" and a scale's 3 stay apart.
        let x = match &a.value {
            AnswerValue::Option(text) => format!("{}::text", bind(v, Box::new(text.clone()))),
            AnswerValue::Number(n) => format!("{}::bigint", bind(v, Box::new(*n))),
        };
        sql += &format!(" AND (r.answers::jsonb -> {q}) @> to_jsonb({x})");
    }
    match filter.visibility {
        Visibility::Any => {}
        Visibility::Hidden => sql.push_str(" AND r.hidden_at IS NOT NULL"),
        Visibility::Visible => sql.push_str(" AND r.hidden_at IS NULL"),
    }
    (sql, values)
}

fn refs(values: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    values
        .iter()
        .map(|v| v.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

/// One page of the responses `filter` keeps, newest first, and how many it keeps in all.
pub(super) async fn page(
    c: &Client,
    call_id: &str,
    filter: &Filter,
    offset: u64,
    limit: u32,
) -> Result<(Vec<StoredResponse>, u64), StoreError> {
    let (cond, mut values) = conditions(call_id, filter);
    let total: i64 = c
        .query_one(
            &format!("SELECT count(*) FROM responses r WHERE {cond}"),
            &refs(&values),
        )
        .await?
        .try_get(0)?;
    let l = bind(&mut values, Box::new(i64::from(limit)));
    let o = bind(
        &mut values,
        Box::new(i64::try_from(offset).unwrap_or(i64::MAX)),
    );
    let rows = c
        .query(
            &format!(
                "SELECT {COLUMNS} FROM responses r WHERE {cond} ORDER BY r.id DESC \
                 LIMIT {l} OFFSET {o}"
            ),
            &refs(&values),
        )
        .await?;
    let page = rows.iter().map(stored).collect::<Result<_, _>>()?;
    Ok((page, total.max(0) as u64))
}

/// Visible responses per day in `tz`, counted in SQL by quarter hour (no time zone's midnight
/// falls inside one) and put into days here: the rows read grow with the days the call was
/// open, not with its answers.
pub(super) async fn per_day(
    c: &Client,
    call_id: &str,
    tz: &TimeZone,
) -> Result<Vec<(Date, u64)>, StoreError> {
    const QUARTER: i64 = 15 * 60;
    let rows = c
        .query(
            "SELECT submitted_at / $2::bigint, count(*) FROM responses \
             WHERE call_id = $1 AND hidden_at IS NULL GROUP BY 1",
            &[&call_id, &QUARTER],
        )
        .await?;
    let mut days: BTreeMap<Date, u64> = BTreeMap::new();
    for row in rows {
        let quarter: i64 = row.try_get(0)?;
        let n: i64 = row.try_get(1)?;
        let day = tz.to_datetime(time(quarter * QUARTER)).date();
        *days.entry(day).or_default() += n.max(0) as u64;
    }
    Ok(days.into_iter().collect())
}

/// Up to `limit` changes after `after`, in order; in a transaction of its own, under
/// [`CHANGES_LOCK`] (see [`Changes::record`] for why).
pub(super) async fn read_changes(
    tx: &Transaction<'_>,
    after: i64,
    limit: u32,
) -> Result<Vec<Change>, StoreError> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CHANGES_LOCK])
        .await?;
    let rows = tx
        .query(
            "SELECT seq, response_id, call_id, kind FROM changes WHERE seq > $1 \
             ORDER BY seq LIMIT $2",
            &[&after, &i64::from(limit)],
        )
        .await?;
    rows.iter()
        .map(|row| {
            let kind: String = row.try_get(3)?;
            Ok(Change {
                seq: row.try_get(0)?,
                response: row.try_get(1)?,
                call_id: row.try_get(2)?,
                kind: ChangeKind::parse(&kind).ok_or_else(|| {
                    StoreError::Corrupt(format!("a change of the unknown kind `{kind}`"))
                })?,
            })
        })
        .collect()
}

/// The latest change's `seq`, under [`CHANGES_LOCK`] too: every change up to it has committed.
pub(super) async fn last_change(tx: &Transaction<'_>) -> Result<i64, StoreError> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CHANGES_LOCK])
        .await?;
    Ok(tx
        .query_one("SELECT coalesce(max(seq), 0) FROM changes", &[])
        .await?
        .try_get(0)?)
}

/// Hides a visible response of this call and takes it out of the counts.
pub(super) async fn hide(
    tx: &Transaction<'_>,
    call_id: &str,
    id: i64,
    h: &Hidden,
) -> Result<bool, StoreError> {
    let row = tx
        .query_opt(
            "UPDATE responses SET hidden_reason = $3, hidden_by = $4, hidden_at = $5 \
             WHERE id = $1 AND call_id = $2 AND hidden_at IS NULL RETURNING answers",
            &[&id, &call_id, &h.reason, &h.by, &h.at.as_second()],
        )
        .await?;
    recount(tx, call_id, id, row, -1, ChangeKind::Hide).await
}

/// Shows a hidden response of this call again and counts it.
pub(super) async fn unhide(
    tx: &Transaction<'_>,
    call_id: &str,
    id: i64,
) -> Result<bool, StoreError> {
    let row = tx
        .query_opt(
            "UPDATE responses SET hidden_reason = NULL, hidden_by = NULL, hidden_at = NULL \
             WHERE id = $1 AND call_id = $2 AND hidden_at IS NOT NULL RETURNING answers",
            &[&id, &call_id],
        )
        .await?;
    recount(tx, call_id, id, row, 1, ChangeKind::Unhide).await
}

/// After hiding or unhiding: `sign` applied to the counts of the answers changed, if any, and
/// the change recorded.
async fn recount(
    tx: &Transaction<'_>,
    call_id: &str,
    id: i64,
    row: Option<Row>,
    sign: i64,
    kind: ChangeKind,
) -> Result<bool, StoreError> {
    let Some(row) = row else {
        return Ok(false);
    };
    let mut tally = Tally::default();
    tally.add(call_id, &parse_answers(row.try_get(0)?)?, sign);
    write_tally(tx, &mut tally).await?;
    let mut changes = Changes::default();
    changes.push(id, call_id, kind);
    changes.record(tx).await?;
    Ok(true)
}

/// Deletes a response of this call (its tags go with it), lowering its counts unless it was
/// hidden.
pub(super) async fn delete_response(
    tx: &Transaction<'_>,
    call_id: &str,
    id: i64,
) -> Result<bool, StoreError> {
    let row = tx
        .query_opt(
            "DELETE FROM responses WHERE id = $1 AND call_id = $2 \
             RETURNING id, call_id, answers, hidden_at IS NOT NULL",
            &[&id, &call_id],
        )
        .await?;
    let Some(row) = row else {
        return Ok(false);
    };
    let gone = Gone::from_row(&row)?;
    let mut tally = Tally::default();
    gone.uncount(&mut tally);
    write_tally(tx, &mut tally).await?;
    let mut changes = Changes::default();
    changes.push(gone.id, &gone.call_id, ChangeKind::Delete);
    changes.record(tx).await?;
    Ok(true)
}
