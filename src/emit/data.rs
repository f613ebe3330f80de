//! Open data: `/data/projects.json`, `/data/events.json` and `/data/calls.json`, each with every
//! language. `calls.json` is also how the feedback endpoint learns the calls, their questions and
//! what to say to residents; its shape is the contract in [`crate::calls_json`].

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Inputs, OutFile};
use crate::calls_json::{CallData, CallLang, CallsFile, Question};
use crate::content::{Item, Kind, QuestionKind, Version};
use crate::render::views::Ctx;

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
    Ok(vec![projects(inp)?, events(inp)?, calls_file(inp)?])
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

/// `data/calls.json`, which the feedback endpoint reads.
pub fn calls_file(inp: &Inputs<'_>) -> anyhow::Result<OutFile> {
    Ok(("data/calls.json".into(), calls(inp).to_json()?))
}

fn to_json<T: Serialize>(v: &T) -> anyhow::Result<Vec<u8>> {
    Ok(serde_json::to_vec_pretty(v)?)
}
