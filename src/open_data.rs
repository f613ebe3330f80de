//! What the site publishes as open data: its datasets, the columns of their CSV files, and
//! the date each last changed. `emit::data` writes the files, `emit::catalog` describes them
//! for national catalogues, and the open-data page lists them for people; all three read this
//! list, which imports only the content model.

use crate::content::{Kind, Library};

/// One dataset: `data/<name>.json` and the CSV file beside it.
#[derive(Debug, Clone, Copy)]
pub struct Dataset {
    /// The files' name (`projects` for `data/projects.json`), the key of the JSON's list, the
    /// dataset's fragment in the catalogue and on the open-data page, and the prefix of its UI
    /// strings (`open_data.projects_title` …).
    pub name: &'static str,
    /// The items it holds.
    pub kind: Kind,
    /// The CSV file's columns: a field of the item, or of its `languages` entry (`lang` is the
    /// language itself). Their meanings are the UI strings `open_data.field_<column>`.
    pub columns: &'static [&'static str],
}

/// The site's datasets, in the catalogue's and the open-data page's order.
pub const DATASETS: [Dataset; 4] = [
    Dataset {
        name: "projects",
        kind: Kind::Project,
        columns: &[
            "id", "lang", "title", "summary", "url", "status", "start", "end", "areas", "partners",
        ],
    },
    Dataset {
        name: "events",
        kind: Kind::Event,
        columns: &[
            "id",
            "lang",
            "title",
            "summary",
            "url",
            "start",
            "end",
            "location",
            "online_url",
            "registration_url",
            "areas",
            "project",
        ],
    },
    Dataset {
        name: "calls",
        kind: Kind::Call,
        columns: &[
            "id", "lang", "title", "url", "opens", "closes", "areas", "project",
        ],
    },
    // Closed calls' published results and outcomes (`emit::data::results`).
    Dataset {
        name: "results",
        kind: Kind::Call,
        columns: &[
            "id",
            "lang",
            "title",
            "url",
            "responses",
            "published",
            "outcome_date",
            "outcome",
            "projects",
        ],
    },
];

/// The formats each dataset is written in: file extension, EU file type, IANA media type.
pub const FORMATS: [(&str, &str, &str); 2] = [
    ("json", "JSON", "application/json"),
    ("csv", "CSV", "text/csv"),
];

impl Dataset {
    /// The newest date among its items (`updated`, else `date`, else the item's own date, as
    /// feeds sort them); `None` when there are none. From the content, never the clock, so a
    /// build of the same content writes the same bytes.
    pub fn modified(&self, lib: &Library) -> Option<jiff::civil::Date> {
        if self.name == "results" {
            // When results were published or an outcome came: what changes this dataset.
            return lib
                .of_kind(Kind::Call)
                .filter_map(|i| i.call())
                .flat_map(|c| {
                    let published = c.results.as_ref().map(|r| {
                        r.published
                            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                            .date()
                    });
                    [published, c.outcome.as_ref().map(|o| o.date)]
                })
                .flatten()
                .max();
        }
        lib.of_kind(self.kind)
            .flat_map(|item| item.versions.values().filter_map(|v| item.feed_date(v)))
            .max()
            .map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
    }
}
