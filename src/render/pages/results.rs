//! What residents see of a closed call's results and outcome: "What we heard" (the number of
//! responses, a bar chart per published question with its numbers as a table, the themes with
//! their quotes) and "What we did" on the call's page, the calls a project came from on its
//! page, and the calls with outcomes, newest first, on the results page and the home page.

use serde::Serialize;

use super::Inputs;
use crate::content::{CallState, Item, Kind, Question, QuestionKind, Version};
use crate::render::views::{Card, Ctx, Link};
use crate::results_json::ResultsFile;

/// Height of one bar's row in the chart, in pixels: the option's words above a bar.
const ROW: u32 = 44;

/// The results part of a call's page: only a closed call has one.
#[derive(Serialize)]
pub(super) struct CallResults {
    /// What was heard, once published.
    heard: Option<Heard>,
    /// When results are expected, while they are not published.
    expected: Option<String>,
    expected_iso: Option<String>,
    did: Option<Did>,
}

#[derive(Serialize)]
struct Heard {
    /// "412 responses"
    responses: String,
    published: String,
    published_iso: String,
    questions: Vec<Chart>,
    themes: Vec<ThemeView>,
}

/// One published question as a bar chart and a table of the same numbers.
#[derive(Serialize)]
struct Chart {
    id: String,
    label: String,
    /// Pixels: one row per option.
    height: u32,
    bars: Vec<Bar>,
    /// Said under a multi-choice question: its shares add up to more than the whole.
    many: bool,
}

#[derive(Serialize)]
struct Bar {
    label: String,
    count: String,
    /// Of the responses, rounded: "29 %".
    share: String,
    /// The bar's width, of the chart's, as a CSS length ("29.1%").
    width: String,
    /// Where the bar's label and bar start, in pixels from the chart's top.
    y_label: u32,
    y_bar: u32,
}

#[derive(Serialize)]
struct ThemeView {
    label: String,
    /// Set when the label is in another language than the page (its translation is missing).
    label_lang: Option<String>,
    count: String,
    quotes: Vec<QuoteView>,
}

#[derive(Serialize)]
struct QuoteView {
    text: String,
    /// Set when the quote is in another language than the page.
    lang: Option<String>,
}

/// "What we did".
#[derive(Serialize)]
struct Did {
    date: String,
    date_iso: String,
    html: String,
    /// Set when the text is the primary file's, in another language than the page.
    lang: Option<String>,
    projects: Vec<Link>,
}

/// The results part of a call's page, `None` unless the call is closed.
pub(super) fn call_results(ctx: &Ctx<'_>, inp: &Inputs<'_>, item: &Item) -> Option<CallResults> {
    let call = item.call()?;
    if call.state(inp.now) != CallState::Closed {
        return None;
    }
    let v = ctx.version(item);
    let tz = jiff::tz::TimeZone::get(&inp.config.timezone).unwrap_or(jiff::tz::TimeZone::UTC);
    let heard = call.results.as_deref().map(|r| heard(ctx, item, v, r, tz));
    let expected = call.results_expected.filter(|_| heard.is_none());
    let did = call.outcome.as_ref().and_then(|o| {
        let text = v.outcome.as_ref()?;
        Some(Did {
            date: ctx.strings.date(o.date),
            date_iso: o.date.to_string(),
            html: text.html.clone(),
            lang: (text.lang != ctx.lang).then(|| text.lang.clone()),
            projects: o
                .projects
                .iter()
                .filter_map(|p| ctx.project_link(Some(p)))
                .collect(),
        })
    });
    Some(CallResults {
        heard,
        expected: expected.map(|d| ctx.strings.date(d)),
        expected_iso: expected.map(|d| d.to_string()),
        did,
    })
}

fn heard(
    ctx: &Ctx<'_>,
    item: &Item,
    v: &Version,
    r: &ResultsFile,
    tz: jiff::tz::TimeZone,
) -> Heard {
    let responses = |n: u64| {
        ctx.strings
            .plural("count.responses", n as i64, &[])
            .unwrap_or_else(|e| e)
    };
    let primary = item.primary();
    let questions = r
        .questions
        .iter()
        .filter_map(|q| {
            let at = primary.questions.iter().position(|x| x.id == q.id)?;
            let canonical = &primary.questions[at];
            // A translation's questions match the primary file's one for one (content checks).
            let shown = v.questions.get(at).unwrap_or(canonical);
            let options = options(canonical, shown);
            let bars = options
                .iter()
                .enumerate()
                .map(|(i, (key, label))| {
                    let count = q.counts.get(key).copied().unwrap_or(0);
                    let share = if r.responses == 0 {
                        0.0
                    } else {
                        count as f64 * 100.0 / r.responses as f64
                    };
                    let i = i as u32;
                    Bar {
                        label: label.clone(),
                        count: ctx.strings.number(count as i64),
                        share: ctx.t_with("results.percent", &[("n", &share.round().to_string())]),
                        width: format!("{:.1}%", share),
                        y_label: i * ROW + 14,
                        y_bar: i * ROW + 20,
                    }
                })
                .collect::<Vec<_>>();
            Some(Chart {
                id: q.id.clone(),
                label: shown.label.clone(),
                height: bars.len() as u32 * ROW,
                bars,
                many: canonical.kind == QuestionKind::Multichoice,
            })
        })
        .collect();
    let themes = r
        .themes
        .iter()
        .map(|t| {
            let (label, lang) = match t.label.get(ctx.lang) {
                Some(l) => (l.clone(), None),
                None => (
                    t.label.get(&primary.lang).cloned().unwrap_or_default(),
                    Some(primary.lang.clone()),
                ),
            };
            ThemeView {
                label,
                label_lang: lang,
                count: responses(t.count),
                quotes: t
                    .quotes
                    .iter()
                    .map(|q| QuoteView {
                        text: q.text.clone(),
                        lang: (q.lang != ctx.lang).then(|| q.lang.clone()),
                    })
                    .collect(),
            }
        })
        .collect();
    let published = r.published.to_zoned_datetime(tz).date();
    Heard {
        responses: responses(r.responses),
        published: ctx.strings.date(published),
        published_iso: r.published.to_string(),
        questions,
        themes,
    }
}

/// Each option's key in the results (the primary file's text, or a scale's value) and its
/// words on the page.
fn options(canonical: &Question, shown: &Question) -> Vec<(String, String)> {
    if canonical.kind == QuestionKind::Scale {
        return (canonical.min..=canonical.max)
            .map(|n| {
                let end = if n == shown.min {
                    shown.min_label.as_ref()
                } else if n == shown.max {
                    shown.max_label.as_ref()
                } else {
                    None
                };
                let label = match end {
                    Some(words) => format!("{n} – {words}"),
                    None => n.to_string(),
                };
                (n.to_string(), label)
            })
            .collect();
    }
    canonical
        .options
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let label = shown.options.get(i).unwrap_or(key);
            (key.clone(), label.clone())
        })
        .collect()
}

/// Calls whose outcome names `project`, as links from its page back to them.
pub(super) fn came_from(ctx: &Ctx<'_>, inp: &Inputs<'_>, project: &Item) -> Vec<Link> {
    with_outcomes(inp)
        .into_iter()
        .filter(|c| c.data.outcome_projects().contains(&project.name))
        .map(|c| {
            let v = ctx.version(c);
            Link {
                title: v.title.clone(),
                url: v.url.clone(),
                current: false,
            }
        })
        .collect()
}

/// Closed calls with an outcome, the newest outcome first.
pub(super) fn with_outcomes<'a>(inp: &Inputs<'a>) -> Vec<&'a Item> {
    let mut calls: Vec<&Item> = inp
        .lib
        .of_kind(Kind::Call)
        .filter(|i| {
            i.call()
                .is_some_and(|c| c.outcome.is_some() && c.state(inp.now) == CallState::Closed)
        })
        .collect();
    calls.sort_by_key(|i| {
        let date = i.call().and_then(|c| c.outcome.as_ref()).map(|o| o.date);
        (std::cmp::Reverse(date), i.name.clone())
    });
    calls
}

/// A call with an outcome, as listed: its card, when the outcome came, and what it was.
#[derive(Serialize)]
pub(super) struct OutcomeCard {
    card: Card,
    date: String,
    date_iso: String,
    /// The outcome's text, plain and shortened, and its language.
    excerpt: String,
    lang: String,
}

/// The calls with outcomes, newest first, as the results page and the home page list them.
pub(super) fn outcome_cards(ctx: &Ctx<'_>, inp: &Inputs<'_>, most: usize) -> Vec<OutcomeCard> {
    with_outcomes(inp)
        .into_iter()
        .take(most)
        .filter_map(|item| {
            let o = item.call()?.outcome.as_ref()?;
            let text = ctx.version(item).outcome.as_ref()?;
            Some(OutcomeCard {
                card: ctx.card(item),
                date: ctx.strings.date(o.date),
                date_iso: o.date.to_string(),
                excerpt: excerpt(&text.text, 220),
                lang: text.lang.clone(),
            })
        })
        .collect()
}

/// The first `most` characters of `text`, cut at a word, with an ellipsis when cut.
fn excerpt(text: &str, most: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= most {
        return text;
    }
    let cut: String = text.chars().take(most).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

/// The results page: every call with an outcome.
#[derive(Serialize)]
pub(super) struct ResultsPage {
    outcomes: Vec<OutcomeCard>,
}

pub(super) fn results_page(ctx: &Ctx<'_>, inp: &Inputs<'_>) -> ResultsPage {
    ResultsPage {
        outcomes: outcome_cards(ctx, inp, usize::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_cut_at_a_word() {
        assert_eq!(
            excerpt("Vi bygger  benker\nved skolen.", 100),
            "Vi bygger benker ved skolen."
        );
        assert_eq!(excerpt("Vi bygger benker ved skolen.", 14), "Vi bygger…");
    }
}
