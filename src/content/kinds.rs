//! Front matter to typed data, one function per kind (`Project`, `Event`, `Call`, area, page),
//! with the checks of single values (text, slugs, dates, times, web addresses, statuses).
//! Over 600 lines: a quarter of it is the tests of what a writer reads for each kind.

use jiff::ZonedDateTime as Zoned;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use toml::Spanned;
use toml::value::{Datetime, Offset};

use super::files::File;
use super::mistakes;
use super::urls::is_slug;
use super::*;
use crate::calls_json::MAX_RATE_LIMIT;
use crate::diag::Diagnostics;
use crate::messages::Text;

pub(super) fn required_text(
    f: &File,
    value: &Option<Spanned<String>>,
    key: &str,
    diags: &mut Diagnostics,
) -> String {
    match value {
        Some(v) if !v.get_ref().trim().is_empty() => v.get_ref().trim().to_string(),
        Some(v) => {
            diags.push(
                f.err(Some(v.span()), "")
                    .says(Text::new("kinds-empty").arg("key", key)),
            );
            String::new()
        }
        None => {
            diags.push(
                f.err_top("")
                    .says(Text::new("kinds-missing-text").arg("key", key)),
            );
            String::new()
        }
    }
}

pub(super) fn check_slug(
    f: &File,
    slug: &Option<Spanned<String>>,
    diags: &mut Diagnostics,
) -> Option<String> {
    let s = slug.as_ref()?;
    let v = s.get_ref();
    if !is_slug(v) {
        diags.push(
            f.err(Some(s.span()), "")
                .says(Text::new("kinds-bad-slug").arg("slug", v)),
        );
        return None;
    }
    Some(v.clone())
}

pub(super) fn to_date(
    f: &File,
    key: &str,
    v: &Spanned<Datetime>,
    diags: &mut Diagnostics,
) -> Option<Date> {
    let dt = v.get_ref();
    match (dt.date, dt.time) {
        (Some(d), None) => match Date::new(d.year as i16, d.month as i8, d.day as i8) {
            Ok(date) => Some(date),
            Err(_) => {
                let text = mistakes::impossible_date(key, written(f, v));
                diags.push(f.err(Some(v.span()), "").says(text));
                None
            }
        },
        _ => {
            diags.push(
                f.err(Some(v.span()), "")
                    .says(Text::new("kinds-date-with-time").arg("key", key)),
            );
            None
        }
    }
}

/// A value as the file writes it.
fn written<'a, T>(f: &'a File, v: &Spanned<T>) -> &'a str {
    let span = v.span();
    f.source
        .text
        .get(f.front_offset + span.start..f.front_offset + span.end)
        .unwrap_or("")
}

/// A TOML date-time as a time in the site's zone. Without an offset it is local time there.
pub(super) fn to_zoned(
    f: &File,
    key: &str,
    v: &Spanned<Datetime>,
    tz: &TimeZone,
    diags: &mut Diagnostics,
) -> Option<Zoned> {
    let dt = v.get_ref();
    let zone = tz.iana_name().unwrap_or("local").to_string();
    let bad = |diags: &mut Diagnostics, text: Text| {
        let text = text.arg("key", key).arg("zone", zone.as_str());
        diags.push(f.err(Some(v.span()), "").says(text));
        None
    };
    let (Some(d), Some(t)) = (dt.date, dt.time) else {
        return bad(diags, Text::new("kinds-needs-date-and-time"));
    };
    let civil = match jiff::civil::DateTime::new(
        d.year as i16,
        d.month as i8,
        d.day as i8,
        t.hour as i8,
        t.minute as i8,
        t.second.unwrap_or(0) as i8,
        0,
    ) {
        Ok(c) => c,
        Err(_) => {
            let text = mistakes::impossible_date(key, written(f, v));
            diags.push(f.err(Some(v.span()), "").says(text));
            return None;
        }
    };
    let zoned = match dt.offset {
        None => {
            // A local time that the clocks skip when summer time starts never happens.
            let ambiguous = tz.to_ambiguous_zoned_datetime(civil);
            if let jiff::tz::AmbiguousOffset::Gap { .. } = ambiguous.offset() {
                return bad(diags, Text::new("kinds-time-skipped"));
            }
            ambiguous.compatible()
        }
        Some(offset) => {
            let seconds = match offset {
                Offset::Z => 0,
                Offset::Custom { minutes } => i32::from(minutes) * 60,
            };
            jiff::tz::Offset::from_seconds(seconds)
                .and_then(|o| o.to_timestamp(civil))
                .map(|ts| ts.to_zoned_datetime(tz.clone()))
        }
    };
    match zoned {
        Ok(z) => Some(z),
        Err(e) => bad(
            diags,
            Text::new("kinds-invalid-time").arg("problem", e.to_string()),
        ),
    }
}

pub(super) fn list_areas(f: &File, diags: &mut Diagnostics, required: bool) -> Vec<String> {
    match &f.fm.areas {
        Some(a) => {
            if required && a.get_ref().is_empty() {
                diags.push(
                    f.err(Some(a.span()), "")
                        .says(Text::new("kinds-areas-empty")),
                );
            }
            a.get_ref().iter().map(|s| s.get_ref().clone()).collect()
        }
        None if required => {
            diags.push(f.err_top("").says(Text::new("kinds-missing-areas")));
            Vec::new()
        }
        None => Vec::new(),
    }
}

pub(super) fn parse_enum<T: Copy>(
    f: &File,
    key: &str,
    v: &Spanned<String>,
    options: &[(&str, T)],
    diags: &mut Diagnostics,
) -> Option<T> {
    match options.iter().find(|(name, _)| *name == v.get_ref()) {
        Some((_, t)) => Some(*t),
        None => {
            let names: Vec<String> = options.iter().map(|(n, _)| format!("\"{n}\"")).collect();
            let text = Text::new("kinds-unknown-value")
                .arg("key", key)
                .arg("value", v.get_ref())
                .arg("values", names.join(", "));
            diags.push(f.err(Some(v.span()), "").says(text));
            None
        }
    }
}

pub(super) const PROJECT_STATUSES: &[(&str, ProjectStatus)] = &[
    ("planned", ProjectStatus::Planned),
    ("active", ProjectStatus::Active),
    ("completed", ProjectStatus::Completed),
];
pub(super) const GOAL_STATUSES: &[(&str, GoalStatus)] = &[
    ("planned", GoalStatus::Planned),
    ("on-track", GoalStatus::OnTrack),
    ("at-risk", GoalStatus::AtRisk),
    ("achieved", GoalStatus::Achieved),
];
pub(super) const QUESTION_KINDS: &[(&str, QuestionKind)] = &[
    ("text", QuestionKind::Text),
    ("longtext", QuestionKind::Longtext),
    ("choice", QuestionKind::Choice),
    ("multichoice", QuestionKind::Multichoice),
    ("scale", QuestionKind::Scale),
];

pub(super) fn check_url(
    f: &File,
    key: &str,
    v: &Option<Spanned<String>>,
    diags: &mut Diagnostics,
) -> Option<String> {
    let v = v.as_ref()?;
    let s = v.get_ref();
    if !(s.starts_with("https://") || s.starts_with("http://")) || s.contains(char::is_whitespace) {
        diags.push(
            f.err(Some(v.span()), "").says(
                Text::new("kinds-not-an-address")
                    .arg("key", key)
                    .arg("value", s),
            ),
        );
        return None;
    }
    Some(s.clone())
}

/// The shared data of an item, from its primary file.
pub(super) fn build_data(
    f: &File,
    kind: Kind,
    tz: &TimeZone,
    diags: &mut Diagnostics,
) -> Option<Data> {
    let before = diags.0.len();
    let fm = &f.fm;
    let data = match kind {
        Kind::Area => Data::Area {
            order: fm.order.as_ref().map_or(i64::MAX, |o| *o.get_ref()),
        },
        Kind::Page => {
            let menu = fm.menu.as_ref().and_then(|m| {
                let v = m.get_ref();
                if v == "main" || v == "footer" {
                    Some(v.clone())
                } else {
                    diags.push(
                        f.err(Some(m.span()), "")
                            .says(Text::new("kinds-unknown-menu").arg("menu", v)),
                    );
                    None
                }
            });
            Data::Page {
                menu,
                order: fm.order.as_ref().map_or(i64::MAX, |o| *o.get_ref()),
            }
        }
        Kind::Project => {
            let areas = list_areas(f, diags, true);
            let status = match &fm.status {
                Some(s) => parse_enum(f, "status", s, PROJECT_STATUSES, diags),
                None => {
                    diags.push(
                        f.err_top("")
                            .says(Text::new("kinds-project-missing-status")),
                    );
                    None
                }
            };
            let start = match &fm.start {
                Some(s) => to_date(f, "start", s, diags),
                None => {
                    diags.push(f.err_top("").says(Text::new("kinds-project-missing-start")));
                    None
                }
            };
            let end = fm.end.as_ref().and_then(|e| to_date(f, "end", e, diags));
            if let (Some(s), Some(e), Some(span)) = (start, end, &fm.end)
                && e < s
            {
                diags.push(
                    f.err(Some(span.span()), "")
                        .says(Text::new("kinds-project-ends-before-start")),
                );
            }
            if let Some(c) = &fm.contact
                && c.get_ref().email.is_none()
            {
                diags.push(
                    f.err(Some(c.span()), "")
                        .says(Text::new("kinds-contact-no-email")),
                );
            }
            Data::Project(Project {
                areas,
                status: status?,
                start: start?,
                end,
            })
        }
        Kind::Event => {
            let start = match &fm.start {
                Some(s) => to_zoned(f, "start", s, tz, diags),
                None => {
                    diags.push(f.err_top("").says(Text::new("kinds-event-missing-start")));
                    None
                }
            };
            let end = match &fm.end {
                Some(s) => to_zoned(f, "end", s, tz, diags),
                None => {
                    diags.push(f.err_top("").says(Text::new("kinds-event-missing-end")));
                    None
                }
            };
            if let (Some(s), Some(e), Some(span)) = (&start, &end, &fm.end)
                && e < s
            {
                diags.push(
                    f.err(Some(span.span()), "")
                        .says(Text::new("kinds-event-ends-before-start")),
                );
            }
            if fm.location.is_none() && fm.online_url.is_none() {
                diags.push(
                    f.err_top("")
                        .says(Text::new("kinds-event-missing-location")),
                );
            }
            Data::Event(Event {
                start: start?,
                end: end?,
                online_url: check_url(f, "online_url", &fm.online_url, diags),
                registration_url: check_url(f, "registration_url", &fm.registration_url, diags),
                areas: list_areas(f, diags, false),
                project: fm.project.as_ref().map(|p| p.get_ref().clone()),
            })
        }
        Kind::Call => {
            let opens = match &fm.opens {
                Some(s) => to_zoned(f, "opens", s, tz, diags),
                None => {
                    diags.push(f.err_top("").says(Text::new("kinds-call-missing-opens")));
                    None
                }
            };
            let closes = match &fm.closes {
                Some(s) => to_zoned(f, "closes", s, tz, diags),
                None => {
                    diags.push(f.err_top("").says(Text::new("kinds-call-missing-closes")));
                    None
                }
            };
            if let (Some(o), Some(c), Some(span)) = (&opens, &closes, &fm.closes)
                && c <= o
            {
                diags.push(
                    f.err(Some(span.span()), "")
                        .says(Text::new("kinds-call-closes-before-opens")),
                );
            }
            let keep_days = fm
                .keep_days
                .as_ref()
                .and_then(|k| match u32::try_from(*k.get_ref()) {
                    Ok(d) if d > 0 => Some(d),
                    _ => {
                        diags.push(
                            f.err(Some(k.span()), "")
                                .says(Text::new("kinds-bad-keep-days")),
                        );
                        None
                    }
                });
            let rate_limit =
                fm.rate_limit
                    .as_ref()
                    .and_then(|r| match u32::try_from(*r.get_ref()) {
                        Ok(n) if (1..=MAX_RATE_LIMIT).contains(&n) => Some(n),
                        _ => {
                            diags.push(
                                f.err(Some(r.span()), "").says(
                                    Text::new("kinds-bad-rate-limit")
                                        .arg("max", MAX_RATE_LIMIT as usize),
                                ),
                            );
                            None
                        }
                    });
            if fm.questions.as_ref().is_none_or(|q| q.get_ref().is_empty()) {
                diags.push(f.err_top("").says(Text::new("kinds-call-no-questions")));
            }
            let results_expected = fm
                .results_expected
                .as_ref()
                .and_then(|d| to_date(f, "results_expected", d, diags));
            Data::Call(Call {
                opens: opens?,
                closes: closes?,
                areas: list_areas(f, diags, false),
                project: fm.project.as_ref().map(|p| p.get_ref().clone()),
                keep_days,
                rate_limit,
                results_expected,
                outcome: super::results::build_outcome(f, diags),
                results: None,
            })
        }
    };
    (diags.0.len() == before).then_some(data)
}

pub(super) fn build_goals(f: &File, diags: &mut Diagnostics) -> Vec<Goal> {
    let Some(goals) = &f.fm.goals else {
        return Vec::new();
    };
    goals
        .get_ref()
        .iter()
        .filter_map(|g| {
            let g = g.get_ref();
            let status = parse_enum(f, "status", &g.status, GOAL_STATUSES, diags)?;
            Some(Goal {
                title: g.title.get_ref().clone(),
                status,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::files::{messages, test_file};

    fn data(path: &str, front: &str) -> (Option<Data>, Vec<String>) {
        let f = test_file(path, front);
        let mut diags = Diagnostics::default();
        let tz = TimeZone::get("Europe/Oslo").unwrap();
        let data = build_data(&f, Kind::of_section(&f.section), &tz, &mut diags);
        (data, messages(&diags))
    }

    #[test]
    fn a_project_reads_its_shared_data() {
        let (data, errors) = data(
            "content/projects/hage.md",
            "areas = [\"byutvikling\"]\nstatus = \"active\"\nstart = 2019-08-01\nend = 2020-06-30\n",
        );
        assert_eq!(errors, Vec::<String>::new());
        let Some(Data::Project(p)) = data else {
            panic!("not a project")
        };
        assert_eq!(p.areas, ["byutvikling"]);
        assert_eq!(p.status, ProjectStatus::Active);
        assert_eq!(p.end, Some(jiff::civil::date(2020, 6, 30)));
    }

    #[test]
    fn a_project_without_status_and_start_says_what_to_add() {
        let (data, errors) = data("content/projects/hage.md", "areas = [\"byutvikling\"]\n");
        assert!(data.is_none());
        assert_eq!(
            errors,
            [
                "1: missing `status` (add `status = \"planned\"`, `\"active\"` or `\"completed\"`)",
                "1: missing `start` (add the start date, e.g. `start = 2019-08-01`)",
            ]
        );
    }

    #[test]
    fn an_unknown_status_lists_the_known_ones() {
        let (_, errors) = data(
            "content/projects/hage.md",
            "areas = [\"byutvikling\"]\nstatus = \"done\"\nstart = 2019-08-01\n",
        );
        assert_eq!(
            errors,
            [
                "3: `status = \"done\"` is not a known status (use one of \"planned\", \"active\", \"completed\")"
            ]
        );
    }

    #[test]
    fn an_event_that_ends_before_it_starts_is_an_error() {
        let (_, errors) = data(
            "content/events/dag.md",
            "start = 2026-05-01T18:00:00\nend = 2026-05-01T17:00:00\nlocation = { name = \"Skolen\" }\n",
        );
        assert_eq!(
            errors,
            [
                "3: `end` is before `start` (an event must end after it starts; check the date and time)"
            ]
        );
    }

    #[test]
    fn a_time_the_clocks_skip_never_happens() {
        let (_, errors) = data(
            "content/events/dag.md",
            "start = 2026-03-29T02:30:00\nend = 2026-03-29T04:00:00\nonline_url = \"https://example.no/live\"\n",
        );
        assert_eq!(
            errors,
            [
                "2: `start` is a time that does not exist in Europe/Oslo: the clocks go forward then (write a local date and time, e.g. `start = 2026-12-03T18:00:00` (Europe/Oslo time))"
            ]
        );
    }

    #[test]
    fn a_projects_contact_needs_an_email_address() {
        let (_, errors) = data(
            "content/projects/hage.md",
            "areas = [\"byutvikling\"]\nstatus = \"active\"\nstart = 2019-08-01\ncontact = { name = \"Kari\" }\n",
        );
        assert_eq!(
            errors,
            [
                "5: `contact` has no `email` (write it like `contact = { name = \"Kari Nordmann\", email = \"kari@example.no\" }`)"
            ]
        );
    }

    #[test]
    fn a_call_needs_questions_and_a_deadline_after_it_opens() {
        let (_, errors) = data(
            "content/calls/hagen.md",
            "opens = 2026-02-01T00:00:00\ncloses = 2026-01-01T00:00:00\n",
        );
        assert_eq!(
            errors,
            [
                "3: `closes` is before `opens` (the deadline must come after the call opens; check the dates)",
                "1: a call for input has no `[[questions]]` (add at least one `[[questions]]` table with `id`, `kind` and `label`)",
            ]
        );
    }

    const A_CALL: &str = "opens = 2026-01-01T00:00:00\ncloses = 2026-02-01T00:00:00\n\
                          [[questions]]\nid = \"q\"\nkind = \"text\"\nlabel = \"Q?\"\n";

    #[test]
    fn a_call_for_a_meeting_raises_its_rate_limit() {
        let (data, errors) = data(
            "content/calls/hagen.md",
            &format!("rate_limit = 300\n{A_CALL}"),
        );
        assert_eq!(errors, Vec::<String>::new());
        let Some(Data::Call(c)) = data else {
            panic!("not a call")
        };
        assert_eq!(c.rate_limit, Some(300));
        let (data, _) = data_of_call(A_CALL);
        assert_eq!(data.rate_limit, None, "left out: the endpoint's default");
    }

    fn data_of_call(front: &str) -> (Call, Vec<String>) {
        let (data, errors) = data("content/calls/hagen.md", front);
        let Some(Data::Call(c)) = data else {
            panic!("not a call: {errors:?}")
        };
        (c, errors)
    }

    #[test]
    fn a_rate_limit_of_nothing_or_too_much_says_what_to_write() {
        for bad in ["0", "-5", "10001"] {
            let (_, errors) = data(
                "content/calls/hagen.md",
                &format!("rate_limit = {bad}\n{A_CALL}"),
            );
            assert_eq!(
                errors,
                [
                    "2: `rate_limit` must be a whole number of answers per minute from 1 to 10000 \
                     (e.g. `rate_limit = 300` for a meeting where everyone answers on the same \
                     network; leave it out for the service's default)"
                ],
                "rate_limit = {bad}"
            );
        }
    }
}
