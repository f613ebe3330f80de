//! What a writer reads about a results file that does not fit its call.

use std::sync::Arc;

use jiff::tz::TimeZone;

use super::*;
use crate::content::files::{messages, test_file};
use crate::content::items::build_item;

/// A call closed at the start of 2026 with a choice, a scale and a free-text question.
const CALL: &str = "title = \"Skolestart\"\nsummary = \"x\"\n\
    opens = 2025-12-01T00:00:00\ncloses = 2026-01-01T00:00:00\n\
    [[questions]]\nid = \"bydel\"\nkind = \"choice\"\nlabel = \"Bydel?\"\noptions = [\"Lade\", \"Midtbyen\"]\n\
    [[questions]]\nid = \"viktighet\"\nkind = \"scale\"\nlabel = \"Hvor viktig?\"\n\
    [[questions]]\nid = \"hvorfor\"\nkind = \"longtext\"\nlabel = \"Hvorfor?\"\n";

fn call() -> Item {
    let group = vec![Arc::new(test_file("content/calls/skolestart.md", CALL))];
    let mut diags = Diagnostics::default();
    let item = build_item(
        "calls/skolestart.md".into(),
        group,
        &TimeZone::UTC,
        &mut diags,
    );
    assert!(!diags.has_errors(), "{diags:?}");
    item.unwrap()
}

/// The messages about `json` as the results file of the call above.
fn errors(json: &str) -> Vec<String> {
    let mut diags = Diagnostics::default();
    let path = Path::new("content/calls/skolestart.results.json");
    let read = read(path, json, &call(), &mut diags);
    assert_eq!(read.is_some(), diags.0.is_empty());
    for d in &diags.0 {
        assert_eq!(d.path, path, "every message names the results file");
    }
    messages(&diags)
}

fn file(questions: &str, themes: &str) -> String {
    format!(
        r#"{{"format": 1, "call": "skolestart", "published": "2026-01-15T10:00:00Z", "responses": 412,
            "questions": [{questions}], "themes": [{themes}]}}"#
    )
}

#[test]
fn results_that_fit_the_call_are_read() {
    let json = file(
        r#"{"id": "bydel", "counts": {"Lade": 120, "Midtbyen": 80}},
           {"id": "viktighet", "counts": {"1": 3, "5": 199}}"#,
        r#"{"label": {"nb": "Flere benker", "en": "More benches"}, "count": 57,
            "quotes": [{"lang": "nb", "text": "Flere benker ved lekeplassen."}]}"#,
    );
    assert_eq!(errors(&json), Vec::<String>::new());
}

#[test]
fn an_unknown_question_names_the_calls_questions() {
    assert_eq!(
        errors(&file(r#"{"id": "alder", "counts": {}}"#, "")),
        [
            "0: unknown question `alder`: the call (content/calls/skolestart.md) has no such question \
             (its questions are bydel, viktighet, hvorfor; pull the results again after changing a question's id)"
        ]
    );
}

#[test]
fn a_free_text_question_is_never_published_as_counts() {
    assert_eq!(
        errors(&file(r#"{"id": "hvorfor", "counts": {"ja": 1}}"#, "")),
        [
            "0: question `hvorfor` is free text: its answers are never published as counts \
             (remove it from `questions`; publish what residents wrote as themes with quotes)"
        ]
    );
}

#[test]
fn an_unknown_option_lists_the_options_in_the_calls_language() {
    assert_eq!(
        errors(&file(
            r#"{"id": "bydel", "counts": {"Lade": 1, "Heimdal": 2}},
               {"id": "viktighet", "counts": {"6": 1, "05": 1}}"#,
            ""
        )),
        [
            "0: unknown option `Heimdal` of question `bydel` (its options in nb are `Lade`, `Midtbyen` \
             (the keys are the options' text in the call's own language))",
            "0: unknown option `05` of question `viktighet` (the scale runs from 1 to 5)",
            "0: unknown option `6` of question `viktighet` (the scale runs from 1 to 5)",
        ]
    );
}

#[test]
fn counts_above_the_responses_are_refused() {
    assert_eq!(
        errors(&file(
            r#"{"id": "bydel", "counts": {"Lade": 413, "Midtbyen": 0}},
               {"id": "viktighet", "counts": {"1": 300, "2": 200}}"#,
            r#"{"label": {"nb": "Benker"}, "count": 500}"#
        )),
        [
            "0: question `bydel` counts 413 answers for `Lade`, more than the 412 responses \
             (a snapshot never counts more answers than responses; pull the results again)",
            "0: question `bydel` counts 413 answers in all, more than the 412 responses \
             (each response chooses one option at most; pull the results again)",
            "0: question `viktighet` counts 500 answers in all, more than the 412 responses \
             (each response chooses one option at most; pull the results again)",
            "0: theme `Benker` counts 500 answers, more than the 412 responses \
             (a theme counts the answers tagged with it; pull the results again)",
        ]
    );
}

#[test]
fn a_theme_needs_a_label_in_the_default_language() {
    assert_eq!(
        errors(&file("", r#"{"label": {"en": "Benches"}, "count": 5}"#)),
        [
            "0: theme 1 has no label in nb (give every theme a label in the site's default language: \
             `\"label\": {\"nb\": \"…\"}`)"
        ]
    );
}

#[test]
fn results_of_another_call_say_where_they_belong() {
    let json = file("", "").replace("\"skolestart\"", "\"benker\"");
    assert_eq!(
        errors(&json),
        [
            "0: the results are of the call `benker`, not of `skolestart` (this file belongs beside \
             content/calls/benker.md; pull the results of `skolestart` again)"
        ]
    );
}

#[test]
fn a_malformed_file_or_another_format_says_what_to_do() {
    assert_eq!(
        errors("{\"format\": 1,\n\"call\": \"skolestart\",\n\"responses\": \"many\"}"),
        [
            "3: is not a results file torget reads: invalid type: string \"many\", expected u64 \
             at line 3 column 19 (download the results again from the staff console, or run `torget results pull`)"
        ]
    );
    assert_eq!(
        errors(r#"{"format": 0}"#),
        [
            "0: results format 0, but this torget reads format 1 (download the results again from \
             the staff console, or run `torget results pull` with this torget)"
        ]
    );
}

#[test]
fn results_or_an_outcome_of_a_call_still_open_are_refused() {
    let front = format!("{CALL}[outcome]\ndate = 2026-02-01\ntext = \"Vi bygger.\"\n");
    let group = vec![Arc::new(test_file("content/calls/skolestart.md", &front))];
    let mut diags = Diagnostics::default();
    let mut item = build_item(
        "calls/skolestart.md".into(),
        group,
        &TimeZone::UTC,
        &mut diags,
    )
    .expect("a call");
    assert!(!diags.has_errors(), "{diags:?}");
    let results = ResultsFile::parse(&file("", "")).unwrap();
    if let Data::Call(c) = &mut item.data {
        c.results = Some(Arc::new(results));
    }
    let lib = Library::new(vec![item], Vec::new());
    let open: jiff::Timestamp = "2025-12-24T12:00:00Z".parse().unwrap();
    assert_eq!(
        messages(&check_closed(&lib, &open)),
        [
            "0: results of a call that is not closed yet: it closes 2026-01-01 00:00 (results are \
             published after the call closes, so they cannot steer it: remove this file until then, \
             or check `closes` in content/calls/skolestart.md)",
            "19: `[outcome]` of a call that is not closed yet: it closes 2026-01-01 00:00 (say what \
             came of the call after it closes: remove `[outcome]` until then, or check `closes`)",
        ]
    );
    let closed: jiff::Timestamp = "2026-01-02T00:00:00Z".parse().unwrap();
    assert!(check_closed(&lib, &closed).0.is_empty());
}

#[test]
fn a_results_file_without_its_call_is_an_error_but_a_drafts_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("content/calls");
    std::fs::create_dir_all(&calls).unwrap();
    std::fs::write(calls.join("benker.results.json"), file("", "")).unwrap();
    std::fs::write(calls.join("utkast.results.json"), file("", "")).unwrap();
    let mut items = vec![call()];
    let mut diags = Diagnostics::default();
    let drafts = HashSet::from(["calls/utkast.md".to_string()]);
    attach_all(dir.path(), &mut items, &drafts, &mut diags);
    assert_eq!(
        messages(&diags),
        [
            "0: results for `benker`, but there is no call `benker` in content/calls (name the file \
             after the call's file (`<call>.results.json` beside `<call>.md`), or remove it)"
        ]
    );
}

#[test]
fn a_calls_results_file_is_read_into_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("content/calls");
    std::fs::create_dir_all(&calls).unwrap();
    std::fs::write(
        calls.join("skolestart.results.json"),
        file(r#"{"id": "bydel", "counts": {"Lade": 1}}"#, ""),
    )
    .unwrap();
    let mut items = vec![call()];
    let mut diags = Diagnostics::default();
    attach_all(dir.path(), &mut items, &HashSet::new(), &mut diags);
    assert!(diags.0.is_empty(), "{diags:?}");
    let results = items[0].call().unwrap().results.as_ref().expect("read");
    assert_eq!(results.questions[0].counts["Lade"], 1);
}

/// The messages about the call above with `outcome` added to its front matter.
fn outcome_errors(outcome: &str) -> Vec<String> {
    let front = format!("{CALL}{outcome}");
    let group = vec![Arc::new(test_file("content/calls/skolestart.md", &front))];
    let mut diags = Diagnostics::default();
    if let Some(item) = build_item(
        "calls/skolestart.md".into(),
        group,
        &TimeZone::UTC,
        &mut diags,
    ) {
        crate::content::items::check_references(&[item], &Default::default(), &mut diags);
    }
    messages(&diags)
}

#[test]
fn an_outcome_needs_a_date_and_a_text() {
    assert_eq!(
        outcome_errors("[outcome]\nprojects = []\n"),
        [
            "19: `[outcome]` has no `date` (add when it was decided or done, e.g. `date = 2026-03-01` under `[outcome]`)",
            "19: `[outcome]` has no `text` (say what was done because of the answers: `text = \"…\"` under `[outcome]` (Markdown))",
        ]
    );
}

#[test]
fn an_outcome_naming_an_unknown_project_says_which_exist() {
    assert_eq!(
        outcome_errors(
            "[outcome]\ndate = 2026-03-01\ntext = \"Vi bygger.\"\nprojects = [\"benkene\"]\n"
        ),
        [
            "19: unknown project `benkene` in `[outcome]`'s `projects` (each of `projects` names a file in content/projects/ without `.md`; known: )"
        ]
    );
}

#[test]
fn a_translated_outcome_needs_one_in_the_primary_file() {
    let group = vec![
        Arc::new(test_file("content/calls/skolestart.md", CALL)),
        Arc::new(test_file(
            "content/calls/skolestart.en.md",
            "title = \"School start\"\nsummary = \"x\"\n[outcome]\ntext = \"We build.\"\n",
        )),
    ];
    let mut diags = Diagnostics::default();
    build_item(
        "calls/skolestart.md".into(),
        group,
        &TimeZone::UTC,
        &mut diags,
    );
    assert!(
        messages(&diags).contains(
            &"4: `[outcome]` is translated, but the nb version (content/calls/skolestart.md) has none \
              (its date and projects are shared: add `[outcome]` to that file first, or remove it here)"
                .to_string()
        ),
        "{diags:?}"
    );
}
