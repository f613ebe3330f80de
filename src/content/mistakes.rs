//! What a front-matter mistake means to a writer, when TOML's own words would send them the
//! wrong way: a date or time written another way or out of range (with the same date written
//! as torget reads it), and a page's key below a `[[questions]]`, `[[goals]]`, `[location]` or
//! `[outcome]` line, where TOML reads it as part of that table.

use super::keys::KEYS;
use crate::messages::Text;

/// The keys whose values are dates or date-times.
const DATE_KEYS: &[&str] = &["date", "updated", "start", "end", "opens", "closes"];

/// The sentence for a TOML error at byte `at` of the front matter `front`, when it is one of
/// the mistakes this module knows; `message` is TOML's own.
pub(super) fn explain(front: &str, at: usize, message: &str) -> Option<Text> {
    if let Some(key) = unknown_key(message) {
        return misplaced_key(front, at, key);
    }
    let line = line_at(front, at);
    let (key, value) = line.split_once('=')?;
    let key = key.trim();
    DATE_KEYS
        .contains(&key)
        .then(|| date(key, strip_comment(value)))
}

/// A date that TOML read but that does not exist (`2026-02-30`), said like [`explain`] does.
pub(super) fn impossible_date(key: &str, written: &str) -> Text {
    date(key, written)
}

pub(super) fn unknown_key(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

/// A page's key inside a table: "move `keep_days` above the first `[[questions]]`".
fn misplaced_key(front: &str, at: usize, key: &str) -> Option<Text> {
    if !KEYS.iter().any(|k| k.top() == key) {
        return None;
    }
    let before = &front[..at.min(front.len())];
    let headers = front.lines().filter_map(table_header);
    let first = headers.clone().next()?;
    let inside = before.lines().filter_map(table_header).next_back()?;
    Some(
        Text::new("key-inside-table")
            .arg("key", key)
            .arg("table", inside)
            .arg("first", first),
    )
}

/// `[[questions]]` or `[location]` as written, for a table's header line.
fn table_header(line: &str) -> Option<&str> {
    let t = line.trim();
    let t = t.split(" #").next().unwrap_or(t).trim();
    (t.starts_with('[') && t.ends_with(']') && !t.contains('=')).then_some(t)
}

fn line_at(text: &str, at: usize) -> &str {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    &text[start..end]
}

fn strip_comment(value: &str) -> &str {
    let v = value.trim();
    match v.find(" #") {
        Some(i) if !v.starts_with(['"', '\'']) => v[..i].trim(),
        _ => v,
    }
}

/// A date's parts as numbers, with the time's when it has one.
#[derive(Debug, PartialEq)]
struct Parts {
    year: i64,
    month: i64,
    day: i64,
    time: Option<(i64, i64, Option<i64>)>,
}

impl Parts {
    /// As torget reads it: `2026-12-01`, `2026-12-01T18:00`.
    fn written(&self) -> String {
        let date = format!("{:04}-{:02}-{:02}", self.year, self.month, self.day);
        match self.time {
            None => date,
            Some((h, m, None)) => format!("{date}T{h:02}:{m:02}"),
            Some((h, m, Some(s))) => format!("{date}T{h:02}:{m:02}:{s:02}"),
        }
    }
}

fn number(s: &str, digits: std::ops::RangeInclusive<usize>) -> Option<i64> {
    (digits.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn time(s: &str) -> Option<(i64, i64, Option<i64>)> {
    let mut parts = s.split(':');
    let h = number(parts.next()?, 1..=2)?;
    let m = number(parts.next()?, 2..=2)?;
    let sec = match parts.next() {
        Some(sec) => Some(number(sec, 2..=2)?),
        None => None,
    };
    parts.next().is_none().then_some((h, m, sec))
}

/// `2026-12-01`, `2026-12-01T18:00`, `2026-12-01 18:00:00`.
fn year_first(s: &str) -> Option<Parts> {
    let (date, rest) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], Some(s[i + 1..].trim())),
        None => (s, None),
    };
    let mut d = date.split('-');
    let parts = Parts {
        year: number(d.next()?, 4..=4)?,
        month: number(d.next()?, 1..=2)?,
        day: number(d.next()?, 1..=2)?,
        time: match rest {
            Some(t) => Some(time(t)?),
            None => None,
        },
    };
    d.next().is_none().then_some(parts)
}

/// The Norwegian habit: `01.12.2026`, `1.12.2026 18:00`, `01.12.2026 kl. 18.00`.
fn day_first(s: &str) -> Option<Parts> {
    let (date, rest) = match s.find(' ') {
        Some(i) => (&s[..i], Some(s[i + 1..].trim())),
        None => (s, None),
    };
    let mut d = date.split(['.', '/']);
    let day = number(d.next()?, 1..=2)?;
    let month = number(d.next()?, 1..=2)?;
    let year = number(d.next()?, 4..=4)?;
    if d.next().is_some() {
        return None;
    }
    let time = match rest {
        Some(t) => {
            let t = t.strip_prefix("kl.").unwrap_or(t).trim().replace('.', ":");
            Some(self::time(&t)?)
        }
        None => None,
    };
    Some(Parts {
        year,
        month,
        day,
        time,
    })
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// What is out of range in `p`, if anything.
fn out_of_range(key: &str, written: &str, p: &Parts) -> Option<Text> {
    let text = if !(1..=12).contains(&p.month) {
        Text::new("date-no-such-month").arg("month", p.month)
    } else if !(1..=days_in_month(p.year, p.month)).contains(&p.day) {
        Text::new("date-no-such-day")
            .arg("month", p.month)
            .arg("days", days_in_month(p.year, p.month))
            .arg("day", p.day)
    } else {
        match p.time? {
            (h, _, _) if h > 23 => Text::new("date-no-such-hour").arg("hour", h),
            (_, m, s) if m > 59 || s.is_some_and(|s| s > 59) => Text::new("date-no-such-minute"),
            _ => return None,
        }
    };
    Some(text.arg("key", key).arg("written", written))
}

/// The sentence for a date value that TOML refused or that does not exist.
fn date(key: &str, value: &str) -> Text {
    let quoted = value.len() >= 2
        && (value.starts_with('"') && value.ends_with('"')
            || value.starts_with('\'') && value.ends_with('\''));
    let bare = if quoted {
        &value[1..value.len() - 1]
    } else {
        value
    };
    if let Some(p) = year_first(bare) {
        if let Some(problem) = out_of_range(key, value, &p) {
            return problem;
        }
        if quoted || bare.contains(' ') {
            return Text::new("date-as-text")
                .arg("key", key)
                .arg("written", value)
                .arg("rewritten", p.written());
        }
    }
    if let Some(p) = day_first(bare) {
        if let Some(problem) = out_of_range(key, value, &p) {
            return problem;
        }
        return Text::new("date-day-first")
            .arg("key", key)
            .arg("written", value)
            .arg("rewritten", p.written());
    }
    Text::new("date-format")
        .arg("key", key)
        .arg("written", value)
}

#[cfg(test)]
mod tests;
