//! CSV for spreadsheets: what the endpoint's exports and the build's open-data files share.
//! A leaf that imports nothing of the crate, so the pipeline and the endpoint can both use it.
//!
//! UTF-8 with a byte-order mark so Excel reads æøå, CRLF line ends, and a cell quoted when it
//! holds a `,`, a `"`, a line break or a `;`: Norwegian Excel splits on `;`, which the `csv`
//! crate (quoting only for its own delimiter) leaves bare, so cells are quoted here.

use std::borrow::Cow;

/// Prefixes a cell that a spreadsheet would read as a formula (starting with `=`, `+`, `-`,
/// `@`, tab or carriage return) with `'`, so it shows as text and never runs.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// A CSV file being written, row by row. Cells are written as given: neutralise text that
/// residents or content writers wrote before handing it over.
pub struct Csv {
    out: Vec<u8>,
}

impl Default for Csv {
    fn default() -> Self {
        Csv {
            out: "\u{feff}".into(),
        }
    }
}

impl Csv {
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        let line: Vec<Cow<'_, str>> = cells.iter().map(|c| quoted(c.as_ref())).collect();
        self.out.extend_from_slice(line.join(",").as_bytes());
        // A row of one empty cell would read as a blank line.
        if cells.len() == 1 && line[0].is_empty() {
            self.out.extend_from_slice(b"\"\"");
        }
        self.out.extend_from_slice(b"\r\n");
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }
}

/// The cell as CSV: in quotes, with its quotes doubled, when it holds what would split it.
fn quoted(cell: &str) -> Cow<'_, str> {
    if cell.contains([',', ';', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", cell.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_with_a_semicolon_is_quoted_for_norwegian_excel() {
        let mut csv = Csv::default();
        csv.row(&["id", "title"]);
        csv.row(&["a", "Ja; nei"]);
        csv.row(&["b", "fine, \"quoted\"\nline"]);
        csv.row(&[""]);
        let text = String::from_utf8(csv.into_bytes()).unwrap();
        assert_eq!(
            text,
            "\u{feff}id,title\r\na,\"Ja; nei\"\r\nb,\"fine, \"\"quoted\"\"\nline\"\r\n\"\"\r\n"
        );
        // What a CSV reader makes of it.
        let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(
            rows,
            [
                vec!["a", "Ja; nei"],
                vec!["b", "fine, \"quoted\"\nline"],
                vec![""]
            ]
        );
    }
}
