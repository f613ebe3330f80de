//! Atom feeds: one per language, and one per area so residents can follow an area without an
//! account.

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text};

use super::{Inputs, OutFile};
use crate::content::urls::{feed_url, lang_root, page_path};
use crate::content::{CallState, Item, Kind, Version};

/// Most entries in a feed; readers only show the newest anyway.
const MAX_ENTRIES: usize = 50;

fn atom_time(ts: jiff::Timestamp) -> FixedDateTime {
    FixedDateTime::parse_from_rfc3339(&ts.to_string()).unwrap_or_default()
}

/// The entry of a call's outcome (`[outcome]`): news of its own, on the day it came, leading
/// to "What we did" on the call's page.
fn outcome_entry(inp: &Inputs<'_>, v: &Version, when: jiff::Timestamp) -> Option<Entry> {
    let text = v.outcome.as_ref()?;
    let did = inp
        .i18n
        .strings(&v.lang)
        .get("results.did", &[])
        .unwrap_or_default();
    let url = format!("{}{}#h-did", inp.config.base(), v.url);
    let title = format!("{did}: {}", v.title);
    Some(page_entry(title, url, &v.lang, when, &text.html))
}

/// An entry for a page in `lang` at `url`, with `html` as its content.
fn page_entry(title: String, url: String, lang: &str, when: jiff::Timestamp, html: &str) -> Entry {
    let mut e = Entry::default();
    e.set_title(Text::plain(title));
    e.set_id(url.clone());
    e.set_updated(atom_time(when));
    e.set_links(vec![Link {
        href: url,
        rel: "alternate".into(),
        hreflang: Some(lang.to_string()),
        mime_type: Some("text/html".into()),
        ..Link::default()
    }]);
    let mut content = Content::default();
    content.set_content_type(Some("html".to_string()));
    content.set_value(Some(html.to_string()));
    e.set_content(Some(content));
    e
}

/// When a call's outcome came, if it is shown: the call is closed at the build's time.
fn outcome_date(inp: &Inputs<'_>, item: &Item) -> Option<jiff::Timestamp> {
    let call = item.call()?;
    if call.state(inp.now) != CallState::Closed {
        return None;
    }
    let date = call.outcome.as_ref()?.date;
    date.to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

fn entry(inp: &Inputs<'_>, item: &Item, v: &Version) -> Entry {
    let url = format!("{}{}", inp.config.base(), v.url);
    let when = item.feed_date(v).unwrap_or_default();
    let kind = inp
        .i18n
        .strings(&v.lang)
        .get(&format!("kind.{}", item.kind().as_str()), &[])
        .unwrap_or_default();
    let mut e = page_entry(format!("{kind}: {}", v.title), url, &v.lang, when, &v.html);
    e.set_summary(Some(Text::plain(v.summary.clone())));
    e
}

fn feed(
    inp: &Inputs<'_>,
    lang: &str,
    title: String,
    self_url: String,
    page_url: String,
    items: Vec<&Item>,
) -> String {
    let mut newest: Vec<(jiff::Timestamp, &Item, &Version, bool)> = items
        .into_iter()
        .filter(|i| i.kind() != Kind::Area)
        // An undated page has no moment to be news at; stamping it with the build time would
        // make it look new after every build.
        .filter_map(|i| {
            let v = i.version(lang)?;
            Some((i.feed_date(v)?, i, v, false))
        })
        .collect();
    let outcomes: Vec<_> = newest
        .iter()
        .filter_map(|&(_, i, v, _)| Some((outcome_date(inp, i)?, i, v, true)))
        .collect();
    newest.extend(outcomes);
    newest.sort_by_key(|e| std::cmp::Reverse(e.0));
    newest.truncate(MAX_ENTRIES);
    // Entries are built for the newest only: a large site would otherwise copy every body.
    let entries: Vec<(jiff::Timestamp, Entry)> = newest
        .into_iter()
        .filter_map(|(t, i, v, outcome)| {
            let e = if outcome {
                outcome_entry(inp, v, t)?
            } else {
                entry(inp, i, v)
            };
            Some((t, e))
        })
        .collect();
    let updated = entries.first().map_or(*inp.now, |(t, _)| *t);
    let mut f = Feed::default();
    f.set_title(Text::plain(title));
    f.set_id(self_url.clone());
    f.set_updated(atom_time(updated));
    f.set_lang(Some(lang.to_string()));
    f.set_authors(vec![Person {
        name: inp.config.title(lang),
        ..Person::default()
    }]);
    f.set_generator(Some(Generator {
        value: "Torget".into(),
        ..Generator::default()
    }));
    f.set_links(vec![
        Link {
            href: self_url,
            rel: "self".into(),
            mime_type: Some("application/atom+xml".into()),
            ..Link::default()
        },
        Link {
            href: page_url,
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Link::default()
        },
    ]);
    f.set_entries(entries.into_iter().map(|(_, e)| e).collect::<Vec<_>>());
    f.to_string()
}

pub fn all(inp: &Inputs<'_>) -> anyhow::Result<Vec<OutFile>> {
    let base = inp.config.base();
    let mut files = Vec::new();
    for lang in inp.config.language_codes() {
        let root = lang_root(inp.config, &lang);
        let site_title = inp.config.title(&lang);
        let xml = feed(
            inp,
            &lang,
            site_title.clone(),
            format!("{base}{}", feed_url(&root)),
            format!("{base}{root}"),
            inp.lib.items.iter().collect(),
        );
        files.push((page_path(&feed_url(&root)), xml.into_bytes()));
        for area in inp.lib.areas() {
            let Some(av) = area.version(&lang) else {
                continue;
            };
            let items: Vec<&Item> = inp
                .lib
                .items
                .iter()
                .filter(|i| i.data.areas().contains(&area.name))
                .collect();
            let title = format!("{} – {site_title}", av.title);
            let xml = feed(
                inp,
                &lang,
                title,
                format!("{base}{}", feed_url(&av.url)),
                format!("{base}{}", av.url),
                items,
            );
            files.push((page_path(&feed_url(&av.url)), xml.into_bytes()));
        }
    }
    Ok(files)
}
