//! Themes while reading a call's answers: the call's theme list with counts (add, rename,
//! remove), a link per theme that lists only its answers, and under each answer a form of
//! checkboxes that sets its themes. Plain form posts with the session's CSRF token; each
//! change is audited with the theme's id and labels or the answer's id, never its text.

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::{Path, State as AxumState};
use axum::http::StatusCode;
use axum::response::Response;

use super::audit;
use super::layout::{self, Refusal};
use super::session::{Fields, StaffForm, Staffer, field, form_urlencoded_component, safe_next};
use super::words::{LANGS, Words};
use crate::feedback::calls::Call;
use crate::feedback::pages::escape;
use crate::feedback::router::{AppState, State};
use crate::feedback::store::{Tag, Theme};

/// The longest label kept: a few words.
const MAX_LABEL: usize = 80;

fn call_path(call: &Call) -> String {
    format!("/admin/calls/{}", form_urlencoded_component(&call.id))
}

/// The hidden fields every form here carries.
fn hidden(csrf: &str, back: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <input type=\"hidden\" name=\"back\" value=\"{}\">",
        escape(csrf),
        escape(back)
    )
}

/// Label inputs, one per console language, prefilled with `label`.
fn label_inputs(w: Words, prefix: &str, label: &BTreeMap<String, String>) -> String {
    LANGS
        .iter()
        .map(|l| {
            format!(
                "<label for=\"{prefix}-{l}\">{}</label>\
                 <input type=\"text\" id=\"{prefix}-{l}\" name=\"label.{l}\" value=\"{}\" \
                 maxlength=\"{MAX_LABEL}\"{}>",
                escape(&w.fill("theme_label", &[("lang", l)])),
                escape(label.get(*l).map(String::as_str).unwrap_or("")),
                if *l == "nb" { " required" } else { "" },
            )
        })
        .collect()
}

/// The themes section of a call's page: each theme with its count, a link to its answers
/// (keeping the page's other filters and search, `query`), and forms to rename or remove it; a
/// form to add one; the way to publish.
pub(crate) fn section(
    w: Words,
    call: &Call,
    themes: &[Theme],
    query: &str,
    csrf: &str,
    back: &str,
) -> String {
    let base = call_path(call);
    let also = if query.is_empty() {
        String::new()
    } else {
        format!("&{query}")
    };
    let mut html = format!(
        "<section aria-labelledby=\"themes\"><h2 id=\"themes\">{}</h2><p>{}</p>",
        escape(w.get("themes_title")),
        escape(w.get("themes_intro")),
    );
    if themes.is_empty() {
        html.push_str(&format!("<p>{}</p>", escape(w.get("themes_none"))));
    } else {
        html.push_str("<ul class=\"themes\">");
        for t in themes {
            html.push_str(&format!(
                "<li><a href=\"{base}?theme={id}{also}\">{}</a>\
                 <details><summary>{}</summary>\
                 <form method=\"post\" action=\"{base}/themes/{id}\">{}{}\
                 <button type=\"submit\">{}</button></form>\
                 <form method=\"post\" action=\"{base}/themes/{id}/remove\">{}\
                 <button type=\"submit\">{}</button></form></details></li>",
                escape(&w.fill(
                    "theme_count",
                    &[("label", t.label_in(w.lang)), ("n", &t.count.to_string())]
                )),
                escape(&w.fill("theme_change", &[("label", t.label_in(w.lang))])),
                hidden(csrf, back),
                label_inputs(w, &format!("theme-{}", t.id), &t.label),
                escape(w.get("theme_rename")),
                hidden(csrf, back),
                escape(&w.fill("theme_remove", &[("label", t.label_in(w.lang))])),
                base = escape(&base),
                id = t.id,
                also = escape(&also),
            ));
        }
        html.push_str("</ul>");
    }
    html.push_str(&format!(
        "<form method=\"post\" action=\"{base}/themes\"><fieldset><legend>{}</legend>{}{}\
         <p><button type=\"submit\">{}</button></p></fieldset></form>\
         <p><a href=\"{base}/publish\">{}</a></p></section>",
        escape(w.get("theme_new")),
        hidden(csrf, back),
        label_inputs(w, "theme-new", &BTreeMap::new()),
        escape(w.get("theme_add")),
        escape(w.get("publish_link")),
        base = escape(&base),
    ));
    html
}

/// The form under an answer that sets its themes: a checkbox per theme, checked if it carries
/// it. Nothing when the call has no themes yet.
pub(crate) fn tag_form(
    w: Words,
    call: &Call,
    rid: i64,
    themes: &[Theme],
    tags: &[Tag],
    csrf: &str,
    back: &str,
) -> String {
    if themes.is_empty() {
        return String::new();
    }
    let mut html = format!(
        "<form method=\"post\" action=\"{}/answers/{rid}/themes\"><fieldset><legend>{}</legend>{}",
        escape(&call_path(call)),
        escape(&w.fill("tag_legend", &[("id", &rid.to_string())])),
        hidden(csrf, back),
    );
    for t in themes {
        let on = tags.iter().any(|g| g.response == rid && g.theme == t.id);
        html.push_str(&format!(
            "<input type=\"checkbox\" id=\"tag-{rid}-{id}\" name=\"theme.{id}\" value=\"on\"{}>\
             <label for=\"tag-{rid}-{id}\">{}</label> ",
            if on { " checked" } else { "" },
            escape(t.label_in(w.lang)),
            id = t.id,
        ));
    }
    html.push_str(&format!(
        "<button type=\"submit\">{}</button></fieldset></form>",
        escape(w.get("tag_save"))
    ));
    html
}

/// The answer ids `theme` (the filter's field) names, checked against the call's themes: `None`
/// for no theme filter; the words key of what is wrong.
pub(crate) fn filter_ids(
    themes: &[Theme],
    tags: &[Tag],
    theme: &str,
) -> Result<Option<Vec<i64>>, &'static str> {
    if theme.is_empty() {
        return Ok(None);
    }
    let id: i64 = theme.parse().map_err(|_| "bad_filter")?;
    if !themes.iter().any(|t| t.id == id) {
        return Err("bad_filter");
    }
    Ok(Some(
        (tags.iter().filter(|t| t.theme == id))
            .map(|t| t.response)
            .collect(),
    ))
}

/// The labels a form sent, trimmed; the words key of what is wrong with them.
fn labels(fields: &Fields) -> Result<BTreeMap<String, String>, &'static str> {
    let mut out = BTreeMap::new();
    for l in LANGS {
        let text = field(fields, &format!("label.{l}")).trim();
        if text.chars().count() > MAX_LABEL {
            return Err("theme_label_long");
        }
        if !text.is_empty() {
            out.insert(l.to_string(), text.to_string());
        }
    }
    if !out.contains_key("nb") {
        return Err("theme_label_missing");
    }
    Ok(out)
}

fn refuse(s: &Staffer, status: StatusCode, key: &'static str) -> Response {
    Refusal::new(status, "refused_title", key).page(s.words, Some(s))
}

/// Audits a change by `form`'s staff member to `call`, then goes back where the form was.
async fn audited(
    st: &State,
    form: &StaffForm,
    call: &Call,
    action: &str,
    detail: String,
) -> Response {
    let s = &form.staffer;
    if let Err(e) = audit::record(st, &s.email, action, Some(call), detail).await {
        return layout::unavailable(s.words, e);
    }
    let back = field(&form.fields, "back");
    layout::see_other(&if back.is_empty() {
        call_path(call)
    } else {
        safe_next(Some(back))
    })
}

fn the_call(st: &State, id: &str) -> Option<Call> {
    st.site.get().call(id).map(|c| (**c).clone())
}

fn labels_text(label: &BTreeMap<String, String>) -> String {
    label
        .iter()
        .map(|(l, t)| format!("{l}: {t}"))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// `POST /admin/calls/{id}/themes`: `label.nb`, `label.en`, `csrf`, `back`.
pub(crate) async fn add(
    AxumState(st): AxumState<AppState>,
    Path(id): Path<String>,
    form: StaffForm,
) -> Response {
    let s = &form.staffer;
    let Some(call) = the_call(&st, &id) else {
        return refuse(s, StatusCode::NOT_FOUND, "no_such_call");
    };
    let label = match labels(&form.fields) {
        Ok(l) => l,
        Err(key) => return refuse(s, StatusCode::UNPROCESSABLE_ENTITY, key),
    };
    let tid = match st.store.add_theme(call.id.clone(), label.clone()).await {
        Ok(tid) => tid,
        Err(e) => return layout::unavailable(s.words, e),
    };
    audited(
        &st,
        &form,
        &call,
        "theme.add",
        format!("{tid}: {}", labels_text(&label)),
    )
    .await
}

/// `POST /admin/calls/{id}/themes/{tid}`: new labels.
pub(crate) async fn rename(
    AxumState(st): AxumState<AppState>,
    Path((id, tid)): Path<(String, String)>,
    form: StaffForm,
) -> Response {
    let s = &form.staffer;
    let (Some(call), Ok(tid)) = (the_call(&st, &id), tid.parse::<i64>()) else {
        return refuse(s, StatusCode::NOT_FOUND, "no_such_theme");
    };
    let label = match labels(&form.fields) {
        Ok(l) => l,
        Err(key) => return refuse(s, StatusCode::UNPROCESSABLE_ENTITY, key),
    };
    match st
        .store
        .rename_theme(call.id.clone(), tid, label.clone())
        .await
    {
        Ok(true) => {}
        Ok(false) => return refuse(s, StatusCode::NOT_FOUND, "no_such_theme"),
        Err(e) => return layout::unavailable(s.words, e),
    }
    audited(
        &st,
        &form,
        &call,
        "theme.rename",
        format!("{tid}: {}", labels_text(&label)),
    )
    .await
}

/// `POST /admin/calls/{id}/themes/{tid}/remove`: removes the theme and its tags.
pub(crate) async fn remove(
    AxumState(st): AxumState<AppState>,
    Path((id, tid)): Path<(String, String)>,
    form: StaffForm,
) -> Response {
    let s = &form.staffer;
    let (Some(call), Ok(tid)) = (the_call(&st, &id), tid.parse::<i64>()) else {
        return refuse(s, StatusCode::NOT_FOUND, "no_such_theme");
    };
    match st.store.remove_theme(call.id.clone(), tid).await {
        Ok(true) => {}
        Ok(false) => return refuse(s, StatusCode::NOT_FOUND, "no_such_theme"),
        Err(e) => return layout::unavailable(s.words, e),
    }
    audited(&st, &form, &call, "theme.remove", tid.to_string()).await
}

/// `POST /admin/calls/{id}/answers/{rid}/themes`: `theme.{tid}=on` for each theme the answer
/// carries; the others are taken off.
pub(crate) async fn tag(
    AxumState(st): AxumState<AppState>,
    Path((id, rid)): Path<(String, String)>,
    form: StaffForm,
) -> Response {
    let s = &form.staffer;
    let (Some(call), Ok(rid)) = (the_call(&st, &id), rid.parse::<i64>()) else {
        return refuse(s, StatusCode::NOT_FOUND, "no_such_answer");
    };
    let themes = match st.store.themes(call.id.clone()).await {
        Ok(t) => t,
        Err(e) => return layout::unavailable(s.words, e),
    };
    let known: BTreeSet<i64> = themes.iter().map(|t| t.id).collect();
    if known.is_empty() {
        return refuse(s, StatusCode::UNPROCESSABLE_ENTITY, "no_such_theme");
    }
    let mut chosen = BTreeSet::new();
    for (k, v) in &form.fields {
        if let Some(tid) = k.strip_prefix("theme.") {
            match tid.parse::<i64>() {
                Ok(tid) if known.contains(&tid) && v == "on" => {
                    chosen.insert(tid);
                }
                _ => return refuse(s, StatusCode::UNPROCESSABLE_ENTITY, "no_such_theme"),
            }
        }
    }
    for tid in &known {
        let tag = Tag {
            response: rid,
            theme: *tid,
        };
        match st
            .store
            .tag(call.id.clone(), tag, chosen.contains(tid))
            .await
        {
            Ok(true) => {}
            Ok(false) => return refuse(s, StatusCode::NOT_FOUND, "no_such_answer"),
            Err(e) => return layout::unavailable(s.words, e),
        }
    }
    let detail = format!(
        "{rid}: {}",
        chosen
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    audited(&st, &form, &call, "answer.tag", detail).await
}
