//! A call's published results, `<name>.results.json` beside the call's file: read through the
//! contract ([`crate::results_json`]), checked against the call's questions, and kept in the
//! call's data; and its `[outcome]`, what came of it. Whether the call is closed depends on the build's time, which loading does not
//! know: [`check_closed`] asks that of a loaded library.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::files::File;
use super::kinds::to_date;
use super::*;
use crate::diag::{Diagnostic, Diagnostics};
use crate::results_json::ResultsFile;

/// The suffix of a results file's name: `skolestart.results.json`.
const SUFFIX: &str = ".results.json";

/// Where a call's results file is, relative to the site root: beside the call's file (or
/// folder), named after the call.
pub fn results_path(item: &Item) -> PathBuf {
    PathBuf::from("content")
        .join(&item.section)
        .join(format!("{}{SUFFIX}", item.name))
}

/// Reads every call's results file, when it has one, into its data; reports results files that
/// belong to no call (a draft's, left out with it, are not reported).
pub(super) fn attach_all(
    root: &Path,
    items: &mut [Item],
    drafts: &HashSet<String>,
    diags: &mut Diagnostics,
) {
    let mut folders = BTreeSet::from([PathBuf::from("content").join(CALLS)]);
    for item in items.iter_mut().filter(|i| i.kind() == Kind::Call) {
        folders.insert(PathBuf::from("content").join(&item.section));
        attach(root, item, diags);
    }
    let calls: BTreeSet<PathBuf> = items
        .iter()
        .filter(|i| i.kind() == Kind::Call)
        .map(results_path)
        .collect();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(root.join(&folder)) else {
            continue;
        };
        let mut orphans: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .map(|e| folder.join(e.file_name()))
            .filter(|p| p.to_string_lossy().ends_with(SUFFIX) && !calls.contains(p))
            .filter(|p| !is_drafts(p, drafts))
            .collect();
        orphans.sort();
        for path in orphans {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let call = name.trim_end_matches(SUFFIX).to_string();
            diags.push(
                Diagnostic::error(&path, format!("results for `{call}`, but there is no call `{call}` in {}", folder.display()))
                    .help("name the file after the call's file (`<call>.results.json` beside `<call>.md`), or remove it"),
            );
        }
    }
}

/// Whether the results file at `path` belongs to a draft call.
fn is_drafts(path: &Path, drafts: &HashSet<String>) -> bool {
    let rel = path
        .strip_prefix("content")
        .unwrap_or(path)
        .to_string_lossy();
    let Some(base) = rel.strip_suffix(SUFFIX) else {
        return false;
    };
    drafts.contains(&format!("{base}.md")) || drafts.contains(&format!("{base}/index.md"))
}

/// Reads `item`'s results file, if there is one, and keeps it in the call's data when it fits
/// the call; every way it does not is reported.
pub(super) fn attach(root: &Path, item: &mut Item, diags: &mut Diagnostics) {
    let path = results_path(item);
    let text = match std::fs::read_to_string(root.join(&path)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
        Err(e) => {
            diags.push(Diagnostic::error(&path, format!("cannot read: {e}")));
            return;
        }
    };
    let Some(results) = read(&path, &text, item, diags) else {
        return;
    };
    if let Data::Call(call) = &mut item.data {
        call.results = Some(Arc::new(results));
    }
}

/// `text` as the results file of the call `item`, or every way it does not fit the call, as
/// the build would report them on the file beside the call.
pub fn check_results(item: &Item, text: &str) -> Result<ResultsFile, Diagnostics> {
    let mut diags = Diagnostics::default();
    read(&results_path(item), text, item, &mut diags).ok_or(diags)
}

/// The results in `text` when they are a results file of `item` that fits its questions.
fn read(path: &Path, text: &str, item: &Item, diags: &mut Diagnostics) -> Option<ResultsFile> {
    let results = match ResultsFile::parse(text) {
        Ok(r) => r,
        Err(e) => {
            let mut d = Diagnostic::error(path, e.message).help(e.help);
            if let Some(line) = e.line {
                d = d.at(line, 1);
            }
            diags.push(d);
            return None;
        }
    };
    let before = diags.0.len();
    let call_file = item.primary().source.path.display().to_string();
    let mut error = |message: String, help: String| {
        diags.push(Diagnostic::error(path, message).help(help));
    };
    if results.call != item.name {
        error(
            format!(
                "the results are of the call `{}`, not of `{}`",
                results.call, item.name
            ),
            format!(
                "this file belongs beside content/calls/{}.md; pull the results of `{}` again",
                results.call, item.name
            ),
        );
    }
    let n = results.responses;
    let questions = &item.primary().questions;
    for q in &results.questions {
        let Some(question) = questions.iter().find(|x| x.id == q.id) else {
            let ids: Vec<&str> = questions.iter().map(|x| x.id.as_str()).collect();
            error(
                format!(
                    "unknown question `{}`: the call ({call_file}) has no such question",
                    q.id
                ),
                format!(
                    "its questions are {}; pull the results again after changing a question's id",
                    ids.join(", ")
                ),
            );
            continue;
        };
        if !(question.kind.has_options() || question.kind == QuestionKind::Scale) {
            error(
                format!(
                    "question `{}` is free text: its answers are never published as counts",
                    q.id
                ),
                "remove it from `questions`; publish what residents wrote as themes with quotes"
                    .into(),
            );
            continue;
        }
        for (option, &count) in &q.counts {
            if !is_option(question, option) {
                let help = if question.kind == QuestionKind::Scale {
                    format!("the scale runs from {} to {}", question.min, question.max)
                } else {
                    format!(
                        "its options in {} are {} (the keys are the options' text in the call's own language)",
                        item.primary().lang,
                        question
                            .options
                            .iter()
                            .map(|o| format!("`{o}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                error(
                    format!("unknown option `{option}` of question `{}`", q.id),
                    help,
                );
            }
            if count > n {
                error(
                    format!(
                        "question `{}` counts {count} answers for `{option}`, more than the {n} responses",
                        q.id
                    ),
                    "a snapshot never counts more answers than responses; pull the results again"
                        .into(),
                );
            }
        }
        let total: u64 = q.counts.values().sum();
        if question.kind != QuestionKind::Multichoice && total > n {
            error(
                format!(
                    "question `{}` counts {total} answers in all, more than the {n} responses",
                    q.id
                ),
                "each response chooses one option at most; pull the results again".into(),
            );
        }
    }
    let lang = &item.primary().lang;
    for (i, theme) in results.themes.iter().enumerate() {
        let Some(label) = theme.label.get(lang).filter(|l| !l.trim().is_empty()) else {
            error(
                format!("theme {} has no label in {lang}", i + 1),
                format!(
                    "give every theme a label in the site's default language: `\"label\": {{\"{lang}\": \"…\"}}`"
                ),
            );
            continue;
        };
        if theme.count > n {
            error(
                format!(
                    "theme `{label}` counts {} answers, more than the {n} responses",
                    theme.count
                ),
                "a theme counts the answers tagged with it; pull the results again".into(),
            );
        }
        if theme
            .quotes
            .iter()
            .any(|q| q.text.trim().is_empty() || q.lang.trim().is_empty())
        {
            error(
                format!("theme `{label}` has a quote without `text` or `lang`"),
                "every quote needs the words and the language they are in, e.g. `{\"lang\": \"nb\", \"text\": \"…\"}`".into(),
            );
        }
    }
    (diags.0.len() == before).then_some(results)
}

/// A call's `[outcome]`, from its primary file: a date and a text are required.
pub(super) fn build_outcome(f: &File, diags: &mut Diagnostics) -> Option<Outcome> {
    let raw = f.fm.outcome.as_ref()?;
    let o = raw.get_ref();
    let date = match &o.date {
        Some(d) => to_date(f, "outcome.date", d, diags),
        None => {
            diags.push(f.err(Some(raw.span()), "`[outcome]` has no `date`").help(
                "add when it was decided or done, e.g. `date = 2026-03-01` under `[outcome]`",
            ));
            None
        }
    };
    if o.text
        .as_ref()
        .is_none_or(|t| t.get_ref().trim().is_empty())
    {
        diags.push(f.err(Some(raw.span()), "`[outcome]` has no `text`").help(
            "say what was done because of the answers: `text = \"…\"` under `[outcome]` (Markdown)",
        ));
    }
    Some(Outcome {
        date: date?,
        projects: o
            .projects
            .as_ref()
            .map(|p| p.get_ref().clone())
            .unwrap_or_default(),
    })
}

/// A count's key is one of the question's options in the call's own language, or a value on
/// its scale written as digits.
fn is_option(q: &Question, key: &str) -> bool {
    match q.kind {
        QuestionKind::Scale => key
            .parse::<i64>()
            .is_ok_and(|v| (q.min..=q.max).contains(&v) && v.to_string() == key),
        _ => q.options.iter().any(|o| o == key),
    }
}

/// Results and outcomes are published after a call closes: a call with either that is not
/// closed at `now` (the build's time) is a mistake, reported on its results file or its
/// `[outcome]`.
pub fn check_closed(lib: &Library, now: &jiff::Timestamp) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for item in lib.of_kind(Kind::Call) {
        let Some(call) = item.call() else { continue };
        if call.state(now) == CallState::Closed {
            continue;
        }
        let closes = call.closes.strftime("%Y-%m-%d %H:%M");
        let call_file = item.primary().source.path.display().to_string();
        if call.results.is_some() {
            diags.push(
                Diagnostic::error(results_path(item), format!("results of a call that is not closed yet: it closes {closes}"))
                    .help(format!("results are published after the call closes, so they cannot steer it: remove this file until then, or check `closes` in {call_file}")),
            );
        }
        if call.outcome.is_some() {
            let v = item.primary();
            let offset = v.source.text.find("[outcome]").unwrap_or(0);
            diags.push(
                v.source
                    .error(offset, format!("`[outcome]` of a call that is not closed yet: it closes {closes}"))
                    .help("say what came of the call after it closes: remove `[outcome]` until then, or check `closes`"),
            );
        }
    }
    diags
}

#[cfg(test)]
mod tests;
