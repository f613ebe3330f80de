//! Moderation, as plain form posts with the session's CSRF token: hide an answer from the
//! public counts (a reason is required), show it again, or delete it as a withdrawal does (a
//! reason and a page that asks to confirm, so it works without JavaScript). Each is audited
//! with who, when, the call and the answer's id and reason, never the answer's text. An id
//! that is not an answer of the call in the path is a 404, and nothing changes.

use axum::extract::{Path, State as AxumState};
use axum::http::StatusCode;
use axum::response::Response;

use super::answers::response_html;
use super::layout::{self, Page, Refusal, Section};
use super::session::{StaffForm, Staffer, field, form_urlencoded_component, safe_next};
use super::words::Words;
use crate::feedback::calls::Call;
use crate::feedback::pages::escape;
use crate::feedback::router::{AppState, State};
use crate::feedback::staff::AuditEntry;
use crate::feedback::store::{Filter, Hidden, StoreError, StoredResponse};

/// The longest reason kept: a sentence or two.
const MAX_REASON: usize = 500;

fn answer_path(call: &Call, id: i64) -> String {
    format!(
        "/admin/calls/{}/answers/{id}",
        form_urlencoded_component(&call.id)
    )
}

/// The forms under an answer: hide (with its reason) or show again, and the way to delete.
pub(crate) fn forms(w: Words, call: &Call, r: &StoredResponse, csrf: &str, back: &str) -> String {
    let path = answer_path(call, r.id);
    let hidden = |extra: &str| {
        format!(
            "<input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <input type=\"hidden\" name=\"back\" value=\"{}\">{extra}",
            escape(csrf),
            escape(back)
        )
    };
    let mut html = String::from("<div class=\"moderate\">");
    if r.hidden.is_some() {
        html.push_str(&format!(
            "<form method=\"post\" action=\"{path}/unhide\">{}<button type=\"submit\">{}</button></form>",
            hidden(""),
            escape(&w.fill("unhide", &[("id", &r.id.to_string())])),
        ));
    } else {
        html.push_str(&format!(
            "<form method=\"post\" action=\"{path}/hide\">{}\
             <label for=\"reason-{id}\">{}</label>\
             <input type=\"text\" id=\"reason-{id}\" name=\"reason\" required maxlength=\"{MAX_REASON}\">\
             <button type=\"submit\">{}</button></form>",
            hidden(""),
            escape(&w.fill("hide_reason", &[("id", &r.id.to_string())])),
            escape(w.get("hide")),
            id = r.id,
        ));
    }
    html.push_str(&format!(
        "<p><a href=\"{path}/delete?back={}\">{}</a></p></div>",
        escape(&form_urlencoded_component(back)),
        escape(&w.fill("delete_link", &[("id", &r.id.to_string())])),
    ));
    html
}

/// The call and answer id from the path, if the call exists and the id is a number.
fn target(st: &State, id: &str, rid: &str) -> Option<(Call, i64)> {
    let call = st.site.get().call(id).map(|c| (**c).clone())?;
    Some((call, rid.parse::<i64>().ok()?))
}

fn no_such_answer(staffer: &Staffer) -> Response {
    Refusal::new(StatusCode::NOT_FOUND, "not_found_title", "no_such_answer")
        .page(staffer.words, Some(staffer))
}

/// The reason given, trimmed; the words key of what is wrong with it.
fn reason(form: &StaffForm) -> Result<String, &'static str> {
    let reason = field(&form.fields, "reason").trim();
    if reason.is_empty() {
        Err("reason_missing")
    } else if reason.chars().count() > MAX_REASON {
        Err("reason_long")
    } else {
        Ok(reason.to_string())
    }
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

/// Back to the page the form was on (a console path), else the call's answers. After a
/// deletion, to the first page of the same list: the page it was on may be past the end now.
fn back(form: &StaffForm, call: &Call, action: Action) -> Response {
    let back = field(&form.fields, "back");
    let mut to = if back.is_empty() {
        format!("/admin/calls/{}", form_urlencoded_component(&call.id))
    } else {
        safe_next(Some(back))
    };
    if action == Action::Delete
        && let Some((path, query)) = to.split_once('?')
    {
        let kept: Vec<&str> = (query.split('&'))
            .filter(|p| !p.starts_with("page="))
            .collect();
        to = if kept.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", kept.join("&"))
        };
    }
    layout::see_other(&to)
}

/// What a moderation form asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Hide,
    Unhide,
    Delete,
}

impl Action {
    /// Its name in the audit log.
    fn audited(self) -> &'static str {
        match self {
            Action::Hide => "answer.hide",
            Action::Unhide => "answer.unhide",
            Action::Delete => "answer.delete",
        }
    }
}

/// Carries out a moderation form: the answer found in the path's call, the reason checked
/// (hiding and deleting need one), the store changed, the change audited, and back.
async fn act(st: &State, id: &str, rid: &str, form: &StaffForm, action: Action) -> Response {
    let s = &form.staffer;
    let Some((call, rid)) = target(st, id, rid) else {
        return no_such_answer(s);
    };
    let reason = match action {
        Action::Unhide => None,
        Action::Hide | Action::Delete => match reason(form) {
            Ok(r) => Some(r),
            Err(key) => {
                return Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, "refused_title", key)
                    .page(s.words, Some(s));
            }
        },
    };
    let done = match (action, &reason) {
        (Action::Hide, Some(reason)) => {
            let hidden = Hidden {
                reason: reason.clone(),
                by: s.email.clone(),
                at: st.clock.now(),
            };
            st.store.hide(call.id.clone(), rid, hidden).await
        }
        (Action::Delete, _) => st.store.delete_response(call.id.clone(), rid).await,
        _ => st.store.unhide(call.id.clone(), rid).await,
    };
    match done {
        Ok(true) => {}
        Ok(false) => return no_such_answer(s),
        Err(e) => return layout::unavailable(s.words, e),
    }
    let detail = match &reason {
        Some(reason) => format!("{rid}: {reason}"),
        None => rid.to_string(),
    };
    if let Err(e) = audit(st, &s.email, action.audited(), &call, detail).await {
        return layout::unavailable(s.words, e);
    }
    back(form, &call, action)
}

/// `POST /admin/calls/{id}/answers/{rid}/hide`: `reason`, `csrf`, `back`.
pub(crate) async fn hide(
    AxumState(st): AxumState<AppState>,
    Path((id, rid)): Path<(String, String)>,
    form: StaffForm,
) -> Response {
    act(&st, &id, &rid, &form, Action::Hide).await
}

/// `POST /admin/calls/{id}/answers/{rid}/unhide`: `csrf`, `back`.
pub(crate) async fn unhide(
    AxumState(st): AxumState<AppState>,
    Path((id, rid)): Path<(String, String)>,
    form: StaffForm,
) -> Response {
    act(&st, &id, &rid, &form, Action::Unhide).await
}

/// `POST /admin/calls/{id}/answers/{rid}/delete`: `reason`, `csrf`, `back`. Deletes it as a
/// withdrawal does: nothing of it is left on disk.
pub(crate) async fn delete(
    AxumState(st): AxumState<AppState>,
    Path((id, rid)): Path<(String, String)>,
    form: StaffForm,
) -> Response {
    act(&st, &id, &rid, &form, Action::Delete).await
}

/// `GET /admin/calls/{id}/answers/{rid}/delete`: the answer, and a form that asks for a reason
/// and to confirm.
pub(crate) async fn delete_page(
    AxumState(st): AxumState<AppState>,
    staffer: Staffer,
    Path((id, rid)): Path<(String, String)>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    let w = staffer.words;
    let Some((call, rid)) = target(&st, &id, &rid) else {
        return no_such_answer(&staffer);
    };
    let filter = Filter {
        ids: Some(vec![rid]),
        ..Filter::default()
    };
    let response = match st.store.page(call.id.clone(), filter, 0, 1).await {
        Ok((mut rs, _)) if !rs.is_empty() => rs.remove(0),
        Ok(_) => return no_such_answer(&staffer),
        Err(e) => return layout::unavailable(w, e),
    };
    let q = super::session::query(raw);
    let back = safe_next(Some(match field(&q, "back") {
        "" => "/admin/",
        b => b,
    }));
    let site = st.site.get();
    let path = answer_path(&call, rid);
    let mut body = format!("<p>{}</p>", escape(w.get("delete_intro")));
    // The answer as it is, without its own moderation forms.
    let shown = response_html(w, &site, &call, &response, &staffer.csrf, &back);
    body.push_str(shown.split("<div class=\"moderate\">").next().unwrap_or(""));
    body.push_str("</section>");
    body.push_str(&format!(
        "<form method=\"post\" action=\"{path}/delete\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <input type=\"hidden\" name=\"back\" value=\"{}\">\
         <label for=\"reason\">{}</label>\
         <input type=\"text\" id=\"reason\" name=\"reason\" required maxlength=\"{MAX_REASON}\">\
         <p><button type=\"submit\">{}</button> <a href=\"{}\">{}</a></p></form>",
        escape(&staffer.csrf),
        escape(&back),
        escape(w.get("delete_reason")),
        escape(w.get("delete_confirm")),
        escape(&back),
        escape(w.get("cancel")),
    ));
    Page {
        words: w,
        staffer: Some(&staffer),
        title: w.fill("delete_title", &[("id", &rid.to_string())]),
        here: &format!("{path}/delete"),
        section: Section::Calls,
        body,
        status: StatusCode::OK,
    }
    .respond()
}
