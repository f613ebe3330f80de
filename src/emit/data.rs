//! Open data: `/data/projects.json`, `/data/events.json`, `/data/calls.json` and
//! `/data/results.json` (closed calls' published results and outcomes), each with every language, and beside each a CSV file for spreadsheets with one row per item and language.
//! `calls.json` is also how the feedback endpoint learns the calls, their questions and what to
//! say to residents; its shape is the contract in [`crate::calls_json`]. The files' shapes are
//! documented for outsiders in docs/open-data.md; [`super::catalog`] describes them for
//! national catalogues.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::{Inputs, OutFile};
use crate::calls_json::{CallData, CallLang, CallsFile, Question};
use crate::content::{Item, Kind, QuestionKind, Version};
use crate::open_data::{DATASETS, Dataset};
use crate::render::views::Ctx;
use crate::spreadsheet::{Csv, neutralise};

/// Version of the format of `projects.json` and `events.json`; bump on incompatible change.
/// `calls.json` has its own, [`crate::calls_json::FORMAT`].
pub const FORMAT: u32 = 1;

#[derive(Debug, Serialize)]
struct Localized {
    title: String,
    summary: String,
    url: String,
}

impl Localized {
    fn of(v: &Version, base: &str) -> Localized {
        Localized {
            title: v.title.clone(),
            summary: v.summary.clone(),
            url: format!("{base}{}", v.url),
        }
    }
}

fn localized(item: &Item, base: &str) -> BTreeMap<String, Localized> {
    item.versions
        .iter()
        .map(|(l, v)| (l.clone(), Localized::of(v, base)))
        .collect()
}

pub fn calls(inp: &Inputs<'_>) -> CallsFile {
    let calls = inp
        .lib
        .of_kind(Kind::Call)
        .filter_map(|item| {
            let c = item.call()?;
            let primary = item.primary();
            let questions = primary
                .questions
                .iter()
                .enumerate()
                .map(|(i, q)| {
                    let scale = q.kind == QuestionKind::Scale;
                    let text = matches!(q.kind, QuestionKind::Text | QuestionKind::Longtext);
                    Question {
                        id: q.id.clone(),
                        kind: q.kind,
                        required: q.required,
                        min: scale.then_some(q.min),
                        max: scale.then_some(q.max),
                        max_length: text.then_some(q.max_length),
                        label: item
                            .versions
                            .iter()
                            .map(|(l, v)| (l.clone(), v.questions[i].label.clone()))
                            .collect(),
                        options: if q.kind.has_options() {
                            item.versions
                                .iter()
                                .map(|(l, v)| (l.clone(), v.questions[i].options.clone()))
                                .collect()
                        } else {
                            BTreeMap::new()
                        },
                    }
                })
                .collect();
            Some(CallData {
                id: item.name.clone(),
                opens: Ctx::iso(&c.opens),
                closes: Ctx::iso(&c.closes),
                keep_days: c.keep_days,
                rate_limit: c.rate_limit,
                areas: c.areas.clone(),
                project: c.project.clone(),
                languages: inp
                    .config
                    .language_codes()
                    .into_iter()
                    .map(|l| {
                        let v = item.version(&l).unwrap_or(primary);
                        let strings = inp.i18n.strings(&l);
                        let thanks =
                            crate::render::pages::special_url(inp.config, inp.i18n, &l, "thanks");
                        (
                            l,
                            CallLang {
                                title: v.title.clone(),
                                url: v.url.clone(),
                                thanks_url: thanks,
                                opens_text: strings.datetime(&c.opens),
                                closes_text: strings.datetime(&c.closes),
                            },
                        )
                    })
                    .collect(),
                questions,
            })
        })
        .collect();
    let messages = inp
        .config
        .language_codes()
        .into_iter()
        .map(|l| {
            let sentences = inp.i18n.strings(&l).table("endpoint");
            (l, sentences)
        })
        .collect();
    CallsFile::new(
        inp.config.base().to_string(),
        inp.config.default_language.clone(),
        calls,
        messages,
    )
}

pub fn all(inp: &Inputs<'_>) -> anyhow::Result<Vec<OutFile>> {
    let mut files = Vec::new();
    for d in &DATASETS {
        files.extend(dataset(inp, d)?);
    }
    Ok(files)
}

/// The JSON and CSV files of the dataset called `name` (`projects`, `events`, `calls`).
pub fn files(inp: &Inputs<'_>, name: &str) -> anyhow::Result<Vec<OutFile>> {
    match DATASETS.iter().find(|d| d.name == name) {
        Some(d) => dataset(inp, d),
        None => anyhow::bail!("no open-data set is called `{name}`"),
    }
}

fn dataset(inp: &Inputs<'_>, d: &Dataset) -> anyhow::Result<Vec<OutFile>> {
    let json = json(inp, d)?;
    let csv = csv_beside(&json.1, d, inp.config.base())?;
    Ok(vec![json, (format!("data/{}.csv", d.name), csv)])
}

/// A dataset's JSON file.
fn json(inp: &Inputs<'_>, d: &Dataset) -> anyhow::Result<OutFile> {
    match d.name {
        "projects" => projects(inp),
        "events" => events(inp),
        "calls" => calls_file(inp),
        "results" => results(inp),
        name => anyhow::bail!("no open-data file for `{name}`"),
    }
}

/// The CSV file made from the JSON file's own values, so the two never disagree: one row per
/// item and language of its `languages`; lists joined with `; `, a location as `name, address`,
/// addresses absolute, and every cell safe to open in a spreadsheet.
fn csv_beside(json: &[u8], d: &Dataset, base: &str) -> anyhow::Result<Vec<u8>> {
    let value: Value = serde_json::from_slice(json)?;
    let mut out = Csv::default();
    out.row(d.columns);
    for item in value[d.name].as_array().into_iter().flatten() {
        for (lang, localized) in item["languages"].as_object().into_iter().flatten() {
            let row: Vec<String> = d
                .columns
                .iter()
                .map(|&column| {
                    let cell = match column {
                        "lang" => lang.clone(),
                        _ => cell(item.get(column).unwrap_or(&localized[column]), lang),
                    };
                    if column == "url" && cell.starts_with('/') {
                        format!("{base}{cell}")
                    } else {
                        neutralise(&cell)
                    }
                })
                .collect();
            out.row(&row);
        }
    }
    Ok(out.into_bytes())
}

/// One JSON value as a spreadsheet cell, in `lang` where it has languages.
fn cell(v: &Value, lang: &str) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|i| cell(i, lang))
            .collect::<Vec<_>>()
            .join("; "),
        Value::Object(map) => match map.get(lang) {
            Some(v) => cell(v, lang),
            // A location: its name, then its address.
            None => ["name", "address"]
                .iter()
                .filter_map(|k| map.get(*k).map(|v| cell(v, lang)))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
        },
        other => other.to_string(),
    }
}

/// `data/projects.json`.
pub fn projects(inp: &Inputs<'_>) -> anyhow::Result<OutFile> {
    let base = inp.config.base();
    let projects: Vec<serde_json::Value> = inp
        .lib
        .of_kind(Kind::Project)
        .filter_map(|item| {
            let p = item.project()?;
            Some(serde_json::json!({
                "id": item.name,
                "status": p.status,
                "start": p.start.to_string(),
                "end": p.end.map(|d| d.to_string()),
                "areas": p.areas,
                "partners": item.primary().partners,
                "goals": item.primary().goals.iter().enumerate().map(|(i, g)| serde_json::json!({
                    "status": g.status,
                    "title": item.versions.iter().map(|(l, v)| (l.clone(), v.goals.get(i).map(|g| g.title.clone()))).collect::<BTreeMap<_, _>>(),
                })).collect::<Vec<_>>(),
                "languages": item.versions.iter().map(|(l, v)| {
                    let mut entry = serde_json::to_value(Localized::of(v, base)).expect("plain data");
                    entry["partners"] = serde_json::json!(v.partners);
                    (l.clone(), entry)
                }).collect::<BTreeMap<_, _>>(),
            }))
        })
        .collect();
    Ok((
        "data/projects.json".into(),
        to_json(&serde_json::json!({ "format": FORMAT, "projects": projects }))?,
    ))
}

/// `data/events.json`.
pub fn events(inp: &Inputs<'_>) -> anyhow::Result<OutFile> {
    let base = inp.config.base();
    let events: Vec<serde_json::Value> = inp
        .lib
        .of_kind(Kind::Event)
        .filter_map(|item| {
            let e = item.event()?;
            Some(serde_json::json!({
                "id": item.name,
                "start": Ctx::iso(&e.start),
                "end": Ctx::iso(&e.end),
                "location": item.primary().location,
                "online_url": e.online_url,
                "registration_url": e.registration_url,
                "areas": e.areas,
                "project": e.project,
                "languages": localized(item, base),
            }))
        })
        .collect();
    Ok((
        "data/events.json".into(),
        to_json(&serde_json::json!({ "format": FORMAT, "events": events }))?,
    ))
}

/// `data/results.json`: every closed call's published results and outcome, with the outcome's
/// text (plain) in each language. Only what staff published: counts, themes and quotes.
pub fn results(inp: &Inputs<'_>) -> anyhow::Result<OutFile> {
    let base = inp.config.base();
    let results: Vec<serde_json::Value> = inp
        .lib
        .of_kind(Kind::Call)
        .filter_map(|item| {
            let c = item.call()?;
            // Only closed calls have either (the build refuses them on others), so the file
            // depends on the content alone, not on the build's clock.
            if c.results.is_none() && c.outcome.is_none() {
                return None;
            }
            let r = c.results.as_deref();
            Some(serde_json::json!({
                "id": item.name,
                "responses": r.map(|r| r.responses),
                "published": r.map(|r| r.published.to_string()),
                "questions": r.map(|r| &r.questions),
                "themes": r.map(|r| &r.themes),
                "outcome_date": c.outcome.as_ref().map(|o| o.date.to_string()),
                "projects": c.outcome.as_ref().map(|o| &o.projects),
                "languages": item.versions.iter().map(|(l, v)| {
                    let mut entry = serde_json::to_value(Localized::of(v, base)).expect("plain data");
                    entry["outcome"] = serde_json::json!(v.outcome.as_ref().map(|o| &o.text));
                    (l.clone(), entry)
                }).collect::<BTreeMap<_, _>>(),
            }))
        })
        .collect();
    Ok((
        "data/results.json".into(),
        to_json(&serde_json::json!({ "format": crate::results_json::FORMAT, "results": results }))?,
    ))
}

/// `data/calls.json`, which the feedback endpoint reads.
pub fn calls_file(inp: &Inputs<'_>) -> anyhow::Result<OutFile> {
    Ok(("data/calls.json".into(), calls(inp).to_json()?))
}

fn to_json<T: Serialize>(v: &T) -> anyhow::Result<Vec<u8>> {
    Ok(serde_json::to_vec_pretty(v)?)
}
