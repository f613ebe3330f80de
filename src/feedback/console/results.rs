//! Publishing a closed call's results: `GET /admin/calls/{id}/publish` (what to publish),
//! `POST …/publish` (freeze a [`ResultsFile`] snapshot), `POST …/unpublish`, and
//! `GET …/results.json` (the published file, to commit beside the call). Refused while the
//! call is open or upcoming, so no one steers a running call with its results.
//!
//! Staff choose the choice, multi-choice and scale questions to publish (free text never is),
//! and per theme whether to publish it and up to [`MAX_QUOTES`] quotes, prefilled from its
//! tagged answers' text for them to shorten. Counts are the public counts and the themes'
//! counts, both without hidden answers; options are keyed by their canonical-language text,
//! as answers store them. Publishing and unpublishing are audited.

use axum::extract::{Path, State as AxumState};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::answers::question_text;
use super::audit::when;
use super::layout::{self, Page, Refusal, Section};
use super::session::{Fields, StaffForm, Staffer, field, form_urlencoded_component};
use super::words::Words;
use crate::calls_json::QuestionKind;
use crate::feedback::answers::Answer;
use crate::feedback::calls::{Call, CallState, Question};
use crate::feedback::pages::escape;
use crate::feedback::router::{AppState, State};
use crate::feedback::staff::AuditEntry;
use crate::feedback::store::{CountKey, Filter, StoreError, Theme, Visibility};
use crate::results_json::{FORMAT, QuestionCounts, Quote, ResultsFile};

/// Quotes per theme at most.
pub const MAX_QUOTES: usize = 3;
/// The longest quote kept, in characters.
const MAX_QUOTE: usize = 1000;
/// Tagged answers read for a theme's quotes.
const READ_TAGGED: u32 = 200;

fn base(call: &Call) -> String {
    format!("/admin/calls/{}", form_urlencoded_component(&call.id))
}

/// Whether a question's answers may be published as counts.
fn publishable(q: &Question) -> bool {
    matches!(
        q.kind,
        QuestionKind::Choice | QuestionKind::Multichoice | QuestionKind::Scale
    )
}

/// A question's counts under the keys the results file uses: canonical option texts, or a
/// scale's values as digits.
fn keys(call: &Call, q: &Question) -> Vec<(String, CountKey)> {
    match q.kind {
        QuestionKind::Choice | QuestionKind::Multichoice => call
            .canonical_options(q)
            .iter()
            .map(|o| (o.clone(), CountKey::option(&q.id, o)))
            .collect(),
        QuestionKind::Scale => {
            let (min, max) = q.scale();
            (min..=max)
                .map(|n| (n.to_string(), CountKey::number(&q.id, n)))
                .collect()
        }
        QuestionKind::Text | QuestionKind::Longtext => Vec::new(),
    }
}

/// The call in the path if it exists and has closed; else the refusal, saying why.
fn closed_call(st: &State, s: &Staffer, id: &str) -> Result<Call, Box<Response>> {
    let Some(call) = st.site.get().call(id).map(|c| (**c).clone()) else {
        return Err(Box::new(
            Refusal::new(StatusCode::NOT_FOUND, "not_found_title", "no_such_call")
                .page(s.words, Some(s)),
        ));
    };
    let w = s.words;
    let why = match call.state(st.clock.now()) {
        CallState::Closed => return Ok(call),
        CallState::Open => w.fill("publish_open", &[("closes", &call.closes_text(w.lang))]),
        CallState::Upcoming => w.fill("publish_upcoming", &[("opens", &call.opens_text(w.lang))]),
    };
    Err(Page {
        words: w,
        staffer: Some(s),
        title: w.get("publish_refused").into(),
        here: &format!("{}/publish", base(&call)),
        section: Section::Calls,
        body: format!(
            "<p>{}</p><p><a href=\"{}\">{}</a></p>",
            escape(&why),
            escape(&base(&call)),
            escape(w.get("back_to_call")),
        ),
        status: StatusCode::CONFLICT,
    }
    .respond()
    .into())
}

/// The text of a response's free-text answers, for a quote.
fn free_text(call: &Call, answers: &crate::feedback::answers::Answers) -> Option<String> {
    let texts: Vec<&str> = (call.questions.iter())
        .filter(|q| matches!(q.kind, QuestionKind::Text | QuestionKind::Longtext))
        .filter_map(|q| match answers.get(&q.id) {
            Some(Answer::Text(t)) if !t.trim().is_empty() => Some(t.trim()),
            _ => None,
        })
        .collect();
    (!texts.is_empty()).then(|| texts.join(" "))
}

/// A theme's visible tagged answers' texts with their language, newest first.
async fn tagged_texts(st: &State, call: &Call, theme: i64) -> Result<Vec<Quote>, StoreError> {
    let tags = st.store.tags(call.id.clone()).await?;
    let ids: Vec<i64> = tags
        .iter()
        .filter(|t| t.theme == theme)
        .map(|t| t.response)
        .collect();
    let filter = Filter {
        ids: Some(ids),
        visibility: Visibility::Visible,
        ..Filter::default()
    };
    let (responses, _) = st
        .store
        .page(call.id.clone(), filter, 0, READ_TAGGED)
        .await?;
    Ok(responses
        .iter()
        .filter_map(|r| {
            free_text(call, &r.answers).map(|text| Quote {
                lang: r.lang.clone(),
                text,
            })
        })
        .collect())
}

/// One theme's part of the publish form: whether to publish it, and its quote boxes.
fn theme_fieldset(w: Words, t: &Theme, published: Option<&[Quote]>, texts: &[Quote]) -> String {
    let id = t.id;
    let label = t.label_in(w.lang);
    let mut html = format!(
        "<fieldset><legend>{}</legend>\
         <input type=\"checkbox\" id=\"theme-{id}\" name=\"theme.{id}\" value=\"on\"{}>\
         <label for=\"theme-{id}\">{}</label>",
        escape(&w.fill(
            "theme_count",
            &[("label", label), ("n", &t.count.to_string())]
        )),
        if published.is_some() || t.count > 0 {
            " checked"
        } else {
            ""
        },
        escape(&w.fill("publish_theme", &[("label", label)])),
    );
    let prefill: Vec<&Quote> = match published {
        Some(quotes) => quotes.iter().collect(),
        None => texts.iter().take(MAX_QUOTES).collect(),
    };
    for n in 0..MAX_QUOTES {
        let q = prefill.get(n);
        html.push_str(&format!(
            "<p><label for=\"quote-{id}-{n}\">{}</label>\
             <textarea id=\"quote-{id}-{n}\" name=\"quote.{id}.{n}\" rows=\"3\" \
             maxlength=\"{MAX_QUOTE}\">{}</textarea>\
             <input type=\"hidden\" name=\"lang.{id}.{n}\" value=\"{}\"></p>",
            escape(&w.fill("quote_n", &[("n", &(n + 1).to_string())])),
            escape(q.map(|q| q.text.as_str()).unwrap_or("")),
            escape(q.map(|q| q.lang.as_str()).unwrap_or("")),
        ));
    }
    if !texts.is_empty() {
        html.push_str(&format!(
            "<details><summary>{}</summary><ul>",
            escape(&w.fill("tagged_texts", &[("n", &texts.len().to_string())]))
        ));
        for q in texts {
            html.push_str(&format!(
                "<li lang=\"{}\">{}</li>",
                escape(&q.lang),
                escape(&q.text)
            ));
        }
        html.push_str("</ul></details>");
    }
    html.push_str("</fieldset>");
    html
}

/// `GET /admin/calls/{id}/publish`.
pub(crate) async fn page(
    AxumState(st): AxumState<AppState>,
    staffer: Staffer,
    Path(id): Path<String>,
) -> Response {
    let w = staffer.words;
    let call = match closed_call(&st, &staffer, &id) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let site = st.site.get();
    let loaded = async {
        let published = st.store.published(call.id.clone()).await?;
        let themes = st.store.themes(call.id.clone()).await?;
        let mut texts = Vec::new();
        for t in &themes {
            texts.push(tagged_texts(&st, &call, t.id).await?);
        }
        Ok::<_, StoreError>((published, themes, texts))
    };
    let (published, themes, texts) = match loaded.await {
        Ok(l) => l,
        Err(e) => return layout::unavailable(w, e),
    };
    let base = base(&call);
    let mut body = String::new();
    match &published {
        Some(file) => body.push_str(&format!(
            "<p>{} <a href=\"{b}/results.json\" download>{}</a></p>\
             <form method=\"post\" action=\"{b}/unpublish\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <button type=\"submit\">{}</button></form>",
            escape(&w.fill("published_at", &[("when", &when(file.published))])),
            escape(w.get("results_download")),
            escape(&staffer.csrf),
            escape(w.get("unpublish")),
            b = escape(&base),
        )),
        None => body.push_str(&format!("<p>{}</p>", escape(w.get("not_published")))),
    }
    body.push_str(&format!(
        "<form method=\"post\" action=\"{}/publish\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <fieldset><legend>{}</legend>",
        escape(&base),
        escape(&staffer.csrf),
        escape(w.get("publish_questions")),
    ));
    let mut any = false;
    for q in call.questions.iter().filter(|q| publishable(q)) {
        any = true;
        let on = match &published {
            Some(f) => f.questions.iter().any(|p| p.id == q.id),
            None => true,
        };
        body.push_str(&format!(
            "<p><input type=\"checkbox\" id=\"q-{id}\" name=\"q.{id}\" value=\"on\"{}>\
             <label for=\"q-{id}\">{}</label></p>",
            if on { " checked" } else { "" },
            escape(question_text(&site, q)),
            id = escape(&q.id),
        ));
    }
    if !any {
        body.push_str(&format!("<p>{}</p>", escape(w.get("publish_no_questions"))));
    }
    body.push_str("</fieldset>");
    body.push_str(&format!(
        "<h2>{}</h2><p>{}</p>",
        escape(w.get("themes_title")),
        escape(w.get("publish_themes_intro"))
    ));
    for (t, texts) in themes.iter().zip(&texts) {
        let before = published.as_ref().and_then(|f| {
            (f.themes.iter())
                .find(|p| p.label == t.label)
                .map(|p| p.quotes.as_slice())
        });
        body.push_str(&theme_fieldset(w, t, before, texts));
    }
    body.push_str(&format!(
        "<p><button type=\"submit\">{}</button></p></form>",
        escape(w.get(if published.is_some() {
            "publish_again"
        } else {
            "publish"
        }))
    ));
    Page {
        words: w,
        staffer: Some(&staffer),
        title: w.fill(
            "publish_title",
            &[("call", super::calls::title(&call, w.lang))],
        ),
        here: &format!("{base}/publish"),
        section: Section::Calls,
        body,
        status: StatusCode::OK,
    }
    .respond()
}

/// The snapshot a publish form asks for; the words key of what is wrong with the form.
async fn snapshot(
    st: &State,
    call: &Call,
    fields: &Fields,
) -> Result<Result<ResultsFile, &'static str>, StoreError> {
    let mut chosen = Vec::new();
    for (k, v) in fields {
        if let Some(qid) = k.strip_prefix("q.") {
            match call.question(qid) {
                Some(q) if publishable(q) && v == "on" => chosen.push(q),
                _ => return Ok(Err("publish_bad_question")),
            }
        }
    }
    // In the call's order, whatever order the form sent them in.
    chosen.sort_by_key(|q| call.questions.iter().position(|c| c.id == q.id));
    let mut wanted = vec![CountKey::responses()];
    for q in &chosen {
        wanted.extend(keys(call, q).into_iter().map(|(_, k)| k));
    }
    let counts = st.store.counts(call.id.clone(), wanted).await?;
    let questions = chosen
        .iter()
        .map(|q| QuestionCounts {
            id: q.id.clone(),
            counts: keys(call, q)
                .into_iter()
                .map(|(name, k)| (name, counts.get(&k)))
                .collect(),
        })
        .collect();
    let mut themes = Vec::new();
    for t in st.store.themes(call.id.clone()).await? {
        if field(fields, &format!("theme.{}", t.id)) != "on" {
            continue;
        }
        let mut quotes = Vec::new();
        for n in 0..MAX_QUOTES {
            let text = field(fields, &format!("quote.{}.{n}", t.id)).trim();
            if text.is_empty() {
                continue;
            }
            if text.chars().count() > MAX_QUOTE {
                return Ok(Err("quote_long"));
            }
            let lang = field(fields, &format!("lang.{}.{n}", t.id));
            let lang = if call.languages.contains_key(lang) {
                lang
            } else {
                &call.canonical_lang
            };
            quotes.push(Quote {
                lang: lang.to_string(),
                text: text.replace("\r\n", "\n"),
            });
        }
        themes.push(crate::results_json::Theme {
            label: t.label,
            count: t.count,
            quotes,
        });
    }
    Ok(Ok(ResultsFile {
        format: FORMAT,
        call: call.id.clone(),
        published: st.clock.now(),
        responses: counts.get(&CountKey::responses()),
        questions,
        themes,
    }))
}

async fn audit(
    st: &State,
    who: &str,
    action: &str,
    call: &Call,
    detail: String,
) -> Result<(), StoreError> {
    st.store
        .audit(AuditEntry {
            at: st.clock.now(),
            who: who.into(),
            action: action.into(),
            call: Some(call.id.clone()),
            detail,
        })
        .await
}

/// `POST /admin/calls/{id}/publish`: `q.{question}=on`, `theme.{tid}=on`,
/// `quote.{tid}.{n}` with `lang.{tid}.{n}`, `csrf`. Replaces what was published.
pub(crate) async fn publish(
    AxumState(st): AxumState<AppState>,
    Path(id): Path<String>,
    form: StaffForm,
) -> Response {
    let s = &form.staffer;
    let call = match closed_call(&st, s, &id) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let file = match snapshot(&st, &call, &form.fields).await {
        Ok(Ok(f)) => f,
        Ok(Err(key)) => {
            return Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, "refused_title", key)
                .page(s.words, Some(s));
        }
        Err(e) => return layout::unavailable(s.words, e),
    };
    let detail = format!(
        "{} responses, questions: {}; themes: {}",
        file.responses,
        file.questions
            .iter()
            .map(|q| q.id.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        file.themes.len()
    );
    let done = async {
        st.store.publish(file).await?;
        audit(&st, &s.email, "results.publish", &call, detail).await
    };
    if let Err(e) = done.await {
        return layout::unavailable(s.words, e);
    }
    layout::see_other(&format!("{}/publish", base(&call)))
}

/// `POST /admin/calls/{id}/unpublish`: `csrf`.
pub(crate) async fn unpublish(
    AxumState(st): AxumState<AppState>,
    Path(id): Path<String>,
    form: StaffForm,
) -> Response {
    let s = &form.staffer;
    let Some(call) = st.site.get().call(&id).map(|c| (**c).clone()) else {
        return Refusal::new(StatusCode::NOT_FOUND, "not_found_title", "no_such_call")
            .page(s.words, Some(s));
    };
    match st.store.unpublish(call.id.clone()).await {
        Ok(true) => {}
        Ok(false) => {
            return Refusal::new(StatusCode::NOT_FOUND, "not_found_title", "not_published")
                .page(s.words, Some(s));
        }
        Err(e) => return layout::unavailable(s.words, e),
    }
    if let Err(e) = audit(&st, &s.email, "results.unpublish", &call, String::new()).await {
        return layout::unavailable(s.words, e);
    }
    layout::see_other(&format!("{}/publish", base(&call)))
}

/// `GET /admin/calls/{id}/results.json`: the published file, as `torget results pull` writes
/// it, named as it goes in `content/calls/`.
pub(crate) async fn download(
    AxumState(st): AxumState<AppState>,
    staffer: Staffer,
    Path(id): Path<String>,
) -> Response {
    let w = staffer.words;
    let file = match st.store.published(id).await {
        Ok(Some(f)) => f,
        Ok(None) => {
            return Refusal::new(StatusCode::NOT_FOUND, "not_found_title", "not_published")
                .page(w, Some(&staffer));
        }
        Err(e) => return layout::unavailable(w, e),
    };
    let name: String = (file.call.chars())
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    let disposition =
        HeaderValue::from_str(&format!("attachment; filename=\"{name}.results.json\""))
            .unwrap_or(HeaderValue::from_static("attachment"));
    layout::with_headers(
        (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            file.to_json(),
        )
            .into_response(),
    )
}
