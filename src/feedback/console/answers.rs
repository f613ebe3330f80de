//! `GET /admin/calls/{id}`: one call's answers, newest first, [`PER_PAGE`] a page, with each
//! question's text in the site's default language; a GET form of filters (a search of the
//! free text, `q`, through [`super::search`], with the matches highlighted under each answer;
//! an answer to a choice or scale question, the language, the dates, hidden or not; one
//! answer by its `id`, where the search over every call links); and per question a bar chart
//! of the public counts with its table. Each answer carries its moderation forms
//! ([`super::moderate`]).

use axum::extract::{RawQuery, State as AxumState};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::Date;

use super::audit::{oslo, when};
use super::chart;
use super::layout::{self, Page, Refusal, Section};
use super::session::{Fields, Staffer, field, form_urlencoded_component, page_number, query};
use super::words::Words;
use crate::calls_json::QuestionKind;
use crate::feedback::answers::Answer;
use crate::feedback::calls::{Call, Question, Site};
use crate::feedback::export;
use crate::feedback::pages::escape;
use crate::feedback::router::AppState;
use crate::feedback::store::{
    AnswerIs, AnswerValue, CountKey, Filter, StoredResponse, Theme, Visibility,
};

/// Answers on one page.
pub const PER_PAGE: u32 = 20;

/// A question's text in the site's default language, else in any, else its id.
pub(crate) fn question_text<'a>(site: &Site, q: &'a Question) -> &'a str {
    q.label
        .get(&site.default_language)
        .or_else(|| q.label.values().next())
        .map(String::as_str)
        .unwrap_or(&q.id)
}

/// The filters as the form sent them, checked against the call: what the store is asked, or
/// the words key of what is wrong.
fn filter(call: &Call, q: &Fields) -> Result<Filter, &'static str> {
    let mut f = Filter::default();
    match field(q, "lang") {
        "" => {}
        l if call.languages.contains_key(l) => f.lang = Some(l.to_string()),
        _ => return Err("bad_lang"),
    }
    let day = |s: &str| -> Result<Option<Date>, &'static str> {
        match s {
            "" => Ok(None),
            s => s.parse::<Date>().map(Some).map_err(|_| "bad_date"),
        }
    };
    let start = |d: Date| {
        d.to_zoned_datetime(oslo())
            .map(|z| z.timestamp())
            .map_err(|_| "bad_date")
    };
    if let Some(d) = day(field(q, "from"))? {
        f.from = Some(start(d)?);
    }
    if let Some(d) = day(field(q, "to"))? {
        let next = d.tomorrow().map_err(|_| "bad_date")?;
        f.until = Some(start(next)?);
    }
    match field(q, "id") {
        "" => {}
        id => {
            let id: i64 = id.parse().map_err(|_| "bad_filter")?;
            f.ids = Some(vec![id]);
        }
    }
    f.visibility = match field(q, "show") {
        "" | "all" => Visibility::Any,
        "hidden" => Visibility::Hidden,
        "visible" => Visibility::Visible,
        _ => return Err("bad_filter"),
    };
    let answer = field(q, "answer");
    if !answer.is_empty() {
        let (qid, value) = answer.split_once(':').ok_or("bad_filter")?;
        let question = call.question(qid).ok_or("bad_filter")?;
        let value = match question.kind {
            QuestionKind::Choice | QuestionKind::Multichoice => {
                let i: usize = value.parse().map_err(|_| "bad_filter")?;
                let option = call
                    .canonical_options(question)
                    .get(i)
                    .ok_or("bad_filter")?;
                AnswerValue::Option(option.clone())
            }
            QuestionKind::Scale => {
                let n: i64 = value.parse().map_err(|_| "bad_filter")?;
                let (min, max) = question.scale();
                if n < min || n > max {
                    return Err("bad_filter");
                }
                AnswerValue::Number(n)
            }
            _ => return Err("bad_filter"),
        };
        f.answer = Some(AnswerIs {
            question: qid.to_string(),
            value,
        });
    }
    Ok(f)
}

/// The page's query without `page`, for the paging links and the moderation forms' way back.
fn query_without_page(q: &Fields) -> String {
    query_without(q, &["page"])
}

/// The page's query without the fields named in `leave`, in a stable order.
fn query_without(q: &Fields, leave: &[&str]) -> String {
    let mut keys: Vec<&String> = q.keys().filter(|k| !leave.contains(&k.as_str())).collect();
    keys.sort();
    keys.iter()
        .filter(|k| !q[k.as_str()].is_empty())
        .map(|k| format!("{}={}", k, form_urlencoded_component(&q[k.as_str()])))
        .collect::<Vec<_>>()
        .join("&")
}

pub(crate) async fn call_page(
    AxumState(st): AxumState<AppState>,
    staffer: Staffer,
    axum::extract::Path(id): axum::extract::Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let w = staffer.words;
    let site = st.site.get();
    let Some(call) = site.call(&id).cloned() else {
        return Refusal::new(StatusCode::NOT_FOUND, "not_found_title", "no_such_call")
            .page(w, Some(&staffer));
    };
    let q = query(raw);
    let page = page_number(&q);
    let mut filter = match filter(&call, &q) {
        Ok(f) => f,
        Err(key) => {
            return Refusal::new(StatusCode::BAD_REQUEST, "refused_title", key)
                .page(w, Some(&staffer));
        }
    };
    let (themes, tags) = match (
        st.store.themes(id.clone()).await,
        st.store.tags(id.clone()).await,
    ) {
        (Ok(themes), Ok(tags)) => (themes, tags),
        (Err(e), _) | (_, Err(e)) => return layout::unavailable(w, e),
    };
    match super::themes::filter_ids(&themes, &tags, field(&q, "theme")) {
        Ok(Some(ids)) => filter.ids = Some(super::search::narrow(filter.ids.take(), ids)),
        Ok(None) => {}
        Err(key) => {
            return Refusal::new(StatusCode::BAD_REQUEST, "refused_title", key)
                .page(w, Some(&staffer));
        }
    }
    let base = format!("/admin/calls/{}", form_urlencoded_component(&call.id));
    let searched = match super::search::query_of(&q) {
        None => None,
        Some(text) => {
            let form = || filter_form(w, &site, &call, &themes, &q, &base);
            match super::search::in_call(&st, &staffer, &call.id, text, form).await {
                Ok((live, ids)) => {
                    filter.ids = Some(super::search::narrow(filter.ids.take(), ids));
                    Some((live, text))
                }
                Err(page) => return page,
            }
        }
    };
    let offset = u64::from(page - 1) * u64::from(PER_PAGE);
    let (responses, total) = match st.store.page(id.clone(), filter, offset, PER_PAGE).await {
        Ok(p) => p,
        Err(e) => return layout::unavailable(w, e),
    };
    let shown: Vec<i64> = responses.iter().map(|r| r.id).collect();
    let snippets = match &searched {
        None => Default::default(),
        Some((live, text)) => match super::search::snippets(live, text, &shown) {
            Ok(s) => s,
            Err(e) => return super::search::failed(w, e, &staffer),
        },
    };
    if responses.is_empty() && page > 1 {
        return Refusal::new(StatusCode::NOT_FOUND, "not_found_title", "past_the_end")
            .page(w, Some(&staffer));
    }
    let counts = match st
        .store
        .counts(id.clone(), export::summary_keys(&call))
        .await
    {
        Ok(c) => c,
        Err(e) => return layout::unavailable(w, e),
    };
    let rest = query_without_page(&q);
    let here = if page > 1 || !rest.is_empty() {
        format!(
            "{base}?{}",
            [rest.clone(), format!("page={page}")].join("&")
        )
    } else {
        base.clone()
    };
    let title = super::calls::title(&call, w.lang).to_string();
    let mut body = format!(
        "<p>{} <a href=\"{base}/export.xlsx\" download>{}</a> · \
         <a href=\"{base}/export.csv\" download>{}</a> · \
         <a href=\"{base}/export.json\" download>{}</a></p>",
        escape(w.get("export_intro")),
        escape(w.get("export_xlsx")),
        escape(w.get("export_csv")),
        escape(w.get("export_json")),
        base = escape(&base),
    );
    body.push_str(&filter_form(w, &site, &call, &themes, &q, &base));
    if let Ok(one) = field(&q, "id").parse::<i64>() {
        let without: Fields = (q.iter())
            .filter(|(k, _)| *k != "id")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let all = match query_without_page(&without) {
            rest if rest.is_empty() => base.clone(),
            rest => format!("{base}?{rest}"),
        };
        body.push_str(&format!(
            "<p class=\"note\">{} <a href=\"{}\">{}</a></p>",
            escape(&w.fill("only_answer", &[("id", &one.to_string())])),
            escape(&all),
            escape(w.get("all_matching")),
        ));
    }
    body.push_str(&format!(
        "<p role=\"status\">{}</p>",
        escape(&w.fill(
            "answers_found",
            &[("n", &total.to_string()), ("page", &page.to_string())]
        ))
    ));
    if let (Some((_, text)), 0) = (&searched, total) {
        body.push_str(&super::search::nothing_found(w, text));
    }
    for r in &responses {
        let html = response_html(w, &site, &call, r, &staffer.csrf, &here);
        let tag_form =
            super::themes::tag_form(w, &call, r.id, &themes, &tags, &staffer.csrf, &here);
        let hits = matches_html(w, &site, &call, snippets.get(&r.id));
        body.push_str(&html.replacen(
            "<div class=\"moderate\">",
            &format!("{hits}{tag_form}<div class=\"moderate\">"),
            1,
        ));
    }
    let older = u64::from(page) < total.div_ceil(u64::from(PER_PAGE));
    body.push_str(&layout::pager(w, page, older, |p| {
        let q = [rest.clone(), format!("page={p}")].join("&");
        format!("{base}?{}", q.trim_start_matches('&'))
    }));
    body.push_str(&super::themes::section(
        w,
        &call,
        &themes,
        &query_without(&q, &["page", "theme", "id"]),
        &staffer.csrf,
        &here,
    ));
    body.push_str(&format!("<h2>{}</h2>", escape(w.get("counts_title"))));
    body.push_str(&format!("<p>{}</p>", escape(w.get("counts_intro"))));
    for question in &call.questions {
        let text = question_text(&site, question);
        let rows: Vec<(String, u64)> = match question.kind {
            QuestionKind::Choice | QuestionKind::Multichoice => call
                .canonical_options(question)
                .iter()
                .map(|o| (o.clone(), counts.get(&CountKey::option(&question.id, o))))
                .collect(),
            QuestionKind::Scale => {
                let (min, max) = question.scale();
                (min..=max)
                    .map(|n| {
                        (
                            n.to_string(),
                            counts.get(&CountKey::number(&question.id, n)),
                        )
                    })
                    .collect()
            }
            QuestionKind::Text | QuestionKind::Longtext => Vec::new(),
        };
        body.push_str(&format!("<h3>{}</h3>", escape(text)));
        let answered = counts.get(&CountKey::answered(&question.id)).to_string();
        body.push_str(&format!(
            "<p>{}</p>",
            escape(&w.fill("answered_n", &[("n", &answered)]))
        ));
        if !rows.is_empty() {
            body.push_str(&chart::bars(
                text,
                w.get("col_answer"),
                w.get("col_count"),
                &rows,
            ));
        }
    }
    Page {
        words: w,
        staffer: Some(&staffer),
        title,
        here: &here,
        section: Section::Calls,
        body,
        status: StatusCode::OK,
    }
    .respond()
}

/// The filters as a GET form: it works without JavaScript, and its address can be shared.
fn filter_form(
    w: Words,
    site: &Site,
    call: &Call,
    themes: &[Theme],
    q: &Fields,
    base: &str,
) -> String {
    let selected = |name: &str, value: &str| {
        if field(q, name) == value {
            " selected"
        } else {
            ""
        }
    };
    let mut answer = format!(
        "<option value=\"\"{}>{}</option>",
        selected("answer", ""),
        escape(w.get("any_answer"))
    );
    for question in &call.questions {
        let values: Vec<(String, String)> = match question.kind {
            QuestionKind::Choice | QuestionKind::Multichoice => (call.canonical_options(question))
                .iter()
                .enumerate()
                .map(|(i, o)| (format!("{}:{i}", question.id), o.clone()))
                .collect(),
            QuestionKind::Scale => {
                let (min, max) = question.scale();
                (min..=max)
                    .map(|n| (format!("{}:{n}", question.id), n.to_string()))
                    .collect()
            }
            _ => continue,
        };
        answer.push_str(&format!(
            "<optgroup label=\"{}\">",
            escape(question_text(site, question))
        ));
        for (value, label) in values {
            answer.push_str(&format!(
                "<option value=\"{}\"{}>{}</option>",
                escape(&value),
                selected("answer", &value),
                escape(&label)
            ));
        }
        answer.push_str("</optgroup>");
    }
    let mut langs = format!(
        "<option value=\"\"{}>{}</option>",
        selected("lang", ""),
        escape(w.get("any_lang"))
    );
    for l in call.languages.keys() {
        langs.push_str(&format!(
            "<option value=\"{l}\"{}>{l}</option>",
            selected("lang", l)
        ));
    }
    // The theme links under the list set `theme`; the form keeps it while other filters change.
    let theme = if themes.is_empty() {
        String::new()
    } else {
        let mut options = format!(
            "<option value=\"\"{}>{}</option>",
            selected("theme", ""),
            escape(w.get("any_theme"))
        );
        for t in themes {
            let id = t.id.to_string();
            options.push_str(&format!(
                "<option value=\"{id}\"{}>{}</option>",
                selected("theme", &id),
                escape(t.label_in(w.lang))
            ));
        }
        format!(
            "<label for=\"f-theme\">{}</label><select id=\"f-theme\" name=\"theme\">{options}</select>",
            escape(w.get("filter_theme"))
        )
    };
    // A call without text questions has no free text to search.
    let searchable = !field(q, "q").is_empty()
        || (call.questions.iter())
            .any(|q| matches!(q.kind, QuestionKind::Text | QuestionKind::Longtext));
    let show: String = [
        ("all", "show_all"),
        ("visible", "show_visible"),
        ("hidden", "show_hidden"),
    ]
    .iter()
    .map(|(v, key)| {
        format!(
            "<option value=\"{v}\"{}>{}</option>",
            selected("show", v),
            escape(w.get(key))
        )
    })
    .collect();
    format!(
        "<form method=\"get\" action=\"{base}\" class=\"filters\"><fieldset><legend>{legend}</legend>{search}\
         <label for=\"f-answer\">{answer_label}</label><select id=\"f-answer\" name=\"answer\">{answer}</select>\
         <label for=\"f-lang\">{lang_label}</label><select id=\"f-lang\" name=\"lang\">{langs}</select>{theme}\
         <label for=\"f-from\">{from_label}</label><input id=\"f-from\" name=\"from\" type=\"date\" value=\"{from}\">\
         <label for=\"f-to\">{to_label}</label><input id=\"f-to\" name=\"to\" type=\"date\" value=\"{to}\">\
         <label for=\"f-show\">{show_label}</label><select id=\"f-show\" name=\"show\">{show}</select>\
         <p><button type=\"submit\">{apply}</button></p></fieldset></form>",
        base = escape(base),
        legend = escape(w.get("filters")),
        search = if searchable {
            super::search::field_html(w, "f-q", field(q, "q"))
        } else {
            String::new()
        },
        answer_label = escape(w.get("filter_answer")),
        lang_label = escape(w.get("filter_lang")),
        from_label = escape(w.get("filter_from")),
        to_label = escape(w.get("filter_to")),
        show_label = escape(w.get("filter_show")),
        from = escape(field(q, "from")),
        to = escape(field(q, "to")),
        apply = escape(w.get("apply")),
    )
}

/// The matches of a search in one answer, under it: each question's snippet, the matched
/// words in `<mark>`.
fn matches_html(
    w: Words,
    site: &Site,
    call: &Call,
    hits: Option<&Vec<(String, String)>>,
) -> String {
    let Some(hits) = hits.filter(|h| !h.is_empty()) else {
        return String::new();
    };
    let mut html = format!(
        "<div class=\"matches\"><p>{}</p><ul>",
        escape(w.get("search_matches"))
    );
    for (question, snippet) in hits {
        let text = call
            .question(question)
            .map_or(question.as_str(), |q| question_text(site, q));
        html.push_str(&format!("<li>{}: {snippet}</li>", escape(text)));
    }
    html.push_str("</ul></div>");
    html
}

/// One answer as staff read it, `;` between the options of a multi-choice answer.
pub(crate) fn answer_text(a: &Answer) -> String {
    match a {
        Answer::Number(n) => n.to_string(),
        Answer::Text(s) => s.clone(),
        Answer::List(items) => items.join("; "),
    }
}

/// One response: when, in which language, every answer under its question's text, whether it
/// is hidden (why, by whom), and its moderation forms.
pub(crate) fn response_html(
    w: Words,
    site: &Site,
    call: &Call,
    r: &StoredResponse,
    csrf: &str,
    back: &str,
) -> String {
    let mut html = format!(
        "<section class=\"response\" aria-labelledby=\"r{id}\"><h2 id=\"r{id}\">{}</h2><p>{}</p>",
        escape(&w.fill("response_n", &[("id", &r.id.to_string())])),
        escape(&w.fill(
            "response_meta",
            &[("when", &when(r.submitted)), ("lang", &r.lang)]
        )),
        id = r.id,
    );
    if let Some(h) = &r.hidden {
        html.push_str(&format!(
            "<p class=\"note\">{}</p>",
            escape(&w.fill(
                "hidden_because",
                &[("reason", &h.reason), ("by", &h.by), ("when", &when(h.at))]
            ))
        ));
    }
    html.push_str("<dl>");
    for question in &call.questions {
        if let Some(a) = r.answers.get(&question.id) {
            html.push_str(&format!(
                "<dt>{}</dt><dd>{}</dd>",
                escape(question_text(site, question)),
                escape(&answer_text(a))
            ));
        }
    }
    html.push_str("</dl>");
    html.push_str(&super::moderate::forms(w, call, r, csrf, back));
    html.push_str("</section>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls_json::sample::{choice, scale, text};
    use crate::feedback::calls::sample_call;

    fn q(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn filters_are_read_from_the_form_and_checked_against_the_call() {
        let call = sample_call(vec![
            choice("pick", false, &["Yes", "No"], &["Ja", "Nei"]),
            scale("n", 1, 5),
            text("t", false, None),
        ]);
        let f = filter(
            &call,
            &q(&[
                ("answer", "pick:1"),
                ("from", "2026-05-01"),
                ("show", "hidden"),
            ]),
        )
        .unwrap();
        assert_eq!(
            f.answer,
            Some(AnswerIs {
                question: "pick".into(),
                value: AnswerValue::Option(
                    call.canonical_options(call.question("pick").unwrap())[1].clone()
                ),
            })
        );
        assert_eq!(
            f.from,
            Some("2026-04-30T22:00:00Z".parse().unwrap()),
            "midnight in Oslo"
        );
        assert_eq!(f.visibility, Visibility::Hidden);
        let to = filter(&call, &q(&[("to", "2026-05-01")])).unwrap();
        assert_eq!(
            to.until,
            Some("2026-05-01T22:00:00Z".parse().unwrap()),
            "the whole day"
        );
        assert_eq!(
            filter(&call, &q(&[("answer", "n:4")]))
                .unwrap()
                .answer
                .unwrap()
                .value,
            AnswerValue::Number(4)
        );
        for (k, v, problem) in [
            ("answer", "pick:9", "bad_filter"),
            ("answer", "n:6", "bad_filter"),
            ("answer", "t:x", "bad_filter"),
            ("answer", "nope:1", "bad_filter"),
            ("answer", "pick", "bad_filter"),
            ("from", "1. mai", "bad_date"),
            ("lang", "de", "bad_lang"),
            ("show", "everything", "bad_filter"),
        ] {
            assert_eq!(filter(&call, &q(&[(k, v)])), Err(problem), "{k}={v}");
        }
    }

    #[test]
    fn paging_links_keep_the_filters_but_not_the_page() {
        let fields = q(&[
            ("page", "3"),
            ("lang", "nb"),
            ("answer", "pick:1"),
            ("from", ""),
        ]);
        assert_eq!(query_without_page(&fields), "answer=pick%3A1&lang=nb");
    }
}
