//! iCalendar (RFC 5545): an `.ics` per event, a calendar per language and one per area, with
//! times in the site's zone (Europe/Oslo) and the zone's definition included.

use icalendar::{Calendar, Component, Event as IcsEvent, EventLike, Property};
use rayon::prelude::*;

use super::{Inputs, OutFile};
use crate::content::urls::{calendar_url, event_calendar_url, lang_root, page_path};
use crate::content::{Item, Kind};

/// The definition of Europe/Oslo (EU summer time rules since 1996), which RFC 5545 requires in
/// any calendar that uses `TZID=Europe/Oslo`.
const OSLO_VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Oslo\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

fn time_property(inp: &Inputs<'_>, key: &str, z: &jiff::ZonedDateTime) -> Property {
    if inp.config.timezone == "Europe/Oslo" {
        let mut p = Property::new(key, z.strftime("%Y%m%dT%H%M%S").to_string());
        p.add_parameter("TZID", "Europe/Oslo");
        p
    } else {
        // Other zones are written in UTC, which every client understands without a VTIMEZONE.
        Property::new(key, z.timestamp().strftime("%Y%m%dT%H%M%SZ").to_string())
    }
}

fn vevent(inp: &Inputs<'_>, item: &Item, lang: &str) -> Option<IcsEvent> {
    let e = item.event()?;
    let v = item.version(lang).unwrap_or_else(|| item.primary());
    // When the event's information last changed as the content tells it (`updated`, else
    // `date`, else the event's start, as in the feeds), not the build's time: stamped with the
    // build, every calendar file would change on every build, to be uploaded again and seen as
    // changed by calendar clients.
    let stamp = item.feed_date(v).unwrap_or(*inp.now);
    let host = inp
        .config
        .base()
        .split("://")
        .nth(1)
        .unwrap_or("torget")
        .trim_end_matches('/');
    let mut ev = IcsEvent::new();
    ev.uid(&format!(
        "{}@{host}",
        item.key.trim_end_matches(".md").replace('/', "-")
    ))
    .summary(&v.title)
    .description(&format!("{}\n\n{}", v.summary, v.text))
    .url(&format!("{}{}", inp.config.base(), v.url))
    .append_property(time_property(inp, "DTSTART", &e.start))
    .append_property(time_property(inp, "DTEND", &e.end))
    .add_property("DTSTAMP", stamp.strftime("%Y%m%dT%H%M%SZ").to_string());
    let mut place = v.location.as_ref().map(|l| {
        if l.address.is_empty() {
            l.name.clone()
        } else {
            format!("{}, {}", l.name, l.address)
        }
    });
    if let Some(online) = &e.online_url {
        place = Some(match place {
            Some(p) => format!("{p} / {online}"),
            None => online.clone(),
        });
    }
    if let Some(p) = place {
        ev.location(&p);
    }
    Some(ev.done())
}

/// A calendar holding the given events (each a VEVENT's text), as RFC 5545 text.
fn calendar(inp: &Inputs<'_>, name: &str, events: &[&str]) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"));
    cal.append_property(Property::new("PRODID", "-//Torget//Torget//NB"));
    cal.append_property(Property::new("CALSCALE", "GREGORIAN"));
    cal.append_property(Property::new("METHOD", "PUBLISH"));
    cal.name(name);
    let empty = cal.done().to_string();
    let mut text = empty.strip_suffix(END).unwrap_or(&empty).to_string();
    // RFC 5545 wants the zone's definition before the first component that uses it.
    if !events.is_empty() && inp.config.timezone == "Europe/Oslo" {
        text.push_str(OSLO_VTIMEZONE);
    }
    for e in events {
        text.push_str(e);
    }
    text.push_str(END);
    text
}

const END: &str = "END:VCALENDAR\r\n";

pub fn all(inp: &Inputs<'_>) -> Vec<OutFile> {
    let mut files = Vec::new();
    let mut events: Vec<&Item> = inp.lib.of_kind(Kind::Event).collect();
    events.sort_by_key(|i| i.event().map(|e| e.start.timestamp()));
    for lang in inp.config.language_codes() {
        // Each event is written once per language and then used in every calendar it is in.
        let texts: Vec<Option<String>> = events
            .par_iter()
            .map(|item| vevent(inp, item, &lang).map(|ev| Component::to_string(&ev)))
            .collect();
        let of = |pick: &dyn Fn(&Item) -> bool| -> Vec<&str> {
            events
                .iter()
                .zip(&texts)
                .filter(|(item, _)| pick(item))
                .filter_map(|(_, t)| t.as_deref())
                .collect()
        };
        let root = lang_root(inp.config, &lang);
        let title = &inp.config.title(&lang);
        files.push((
            page_path(&calendar_url(&root)),
            calendar(inp, title, &of(&|_| true)).into_bytes(),
        ));
        for (item, text) in events.iter().zip(&texts) {
            if let (Some(v), Some(text)) = (item.version(&lang), text) {
                files.push((
                    page_path(&event_calendar_url(&v.url)),
                    calendar(inp, &v.title, &[text.as_str()]).into_bytes(),
                ));
            }
        }
        for area in inp.lib.areas() {
            let Some(av) = area.version(&lang) else {
                continue;
            };
            let mine = of(&|e| e.data.areas().contains(&area.name));
            let name = format!("{} – {title}", av.title);
            files.push((
                page_path(&calendar_url(&av.url)),
                calendar(inp, &name, &mine).into_bytes(),
            ));
        }
    }
    files
}
