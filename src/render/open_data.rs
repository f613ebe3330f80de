//! What the open-data page shows: each dataset with its files, the CSV file's columns and
//! their meanings, the licence, and the catalogue `emit::catalog` writes. Only for a site with
//! `[open_data]` in site.toml.

use serde::Serialize;

use super::pages::Inputs;
use crate::open_data::{DATASETS, FORMATS};

#[derive(Debug, Serialize)]
pub struct OpenDataView {
    pub datasets: Vec<DatasetView>,
    /// The publisher's name.
    pub publisher: String,
    pub contact_email: String,
    /// The licence's URI in the EU vocabulary, which describes it and links to its text.
    pub license_url: String,
    /// Its name, from its code: `NLOD_2_0` → `NLOD 2.0`.
    pub license_name: String,
    /// `data/catalog.ttl` and `data/catalog.jsonld`.
    pub catalog: Vec<FileView>,
}

#[derive(Debug, Serialize)]
pub struct DatasetView {
    /// Also the section's `id`, which the catalogue links to as the field documentation.
    pub name: &'static str,
    pub title: String,
    pub description: String,
    /// The newest item's date, in the language's words; empty without items.
    pub modified: String,
    pub modified_iso: String,
    pub files: Vec<FileView>,
    pub fields: Vec<FieldView>,
}

#[derive(Debug, Serialize)]
pub struct FileView {
    pub url: String,
    pub name: String,
    /// What people call the format: `JSON`, `CSV`, `Turtle`.
    pub format: &'static str,
    pub media_type: &'static str,
}

#[derive(Debug, Serialize)]
pub struct FieldView {
    pub name: &'static str,
    pub meaning: String,
}

/// The page's view in `lang`, or `None` for a site without `[open_data]`.
pub fn view(inp: &Inputs<'_>, lang: &str) -> Option<OpenDataView> {
    let open_data = inp.config.open_data.as_ref()?;
    let strings = inp.i18n.strings(lang);
    let t = |key: String| strings.get(&key, &[]).unwrap_or_default();
    let file = |name: String, format, media_type| FileView {
        url: format!("/data/{name}"),
        name,
        format,
        media_type,
    };
    let datasets = DATASETS
        .iter()
        .map(|d| {
            let modified = d.modified(inp.lib);
            DatasetView {
                name: d.name,
                title: t(format!("open_data.{}_title", d.name)),
                description: t(format!("open_data.{}_description", d.name)),
                modified: modified.map(|m| strings.date(m)).unwrap_or_default(),
                modified_iso: modified.map(|m| m.to_string()).unwrap_or_default(),
                files: FORMATS
                    .iter()
                    .map(|(ext, format, media_type)| {
                        file(format!("{}.{ext}", d.name), *format, *media_type)
                    })
                    .collect(),
                fields: d
                    .columns
                    .iter()
                    .map(|&name| FieldView {
                        name,
                        meaning: t(format!("open_data.field_{name}")),
                    })
                    .collect(),
            }
        })
        .collect();
    Some(OpenDataView {
        datasets,
        publisher: open_data.publisher_name.clone(),
        contact_email: open_data.contact_email.clone(),
        license_url: open_data.license.clone(),
        license_name: license_name(open_data.license_code()),
        catalog: vec![
            file("catalog.ttl".into(), "Turtle", "text/turtle"),
            file("catalog.jsonld".into(), "JSON-LD", "application/ld+json"),
        ],
    })
}

/// A licence's name from its code in the EU vocabulary: words apart, version numbers joined
/// with dots (`NLOD_2_0` → `NLOD 2.0`, `CC_BY_4_0` → `CC BY 4.0`, `CC0` stays).
fn license_name(code: &str) -> String {
    let mut name = String::new();
    let mut last_digit = false;
    for part in code.split('_') {
        let digit = part.chars().all(|c| c.is_ascii_digit());
        if !name.is_empty() {
            name.push(if digit && last_digit { '.' } else { ' ' });
        }
        name.push_str(part);
        last_digit = digit;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::license_name;

    #[test]
    fn licence_codes_read_as_their_names() {
        assert_eq!(license_name("NLOD_2_0"), "NLOD 2.0");
        assert_eq!(license_name("CC_BY_4_0"), "CC BY 4.0");
        assert_eq!(license_name("CC0"), "CC0");
    }
}
