//! CSV for spreadsheets: what the endpoint's exports and the build's open-data files share.
//! A leaf that imports nothing of the crate, so the pipeline and the endpoint can both use it.
//!
//! UTF-8 with a byte-order mark so Excel reads æøå, CRLF line ends, and a row with a `;` in
//! any cell has every cell quoted: Norwegian Excel splits on `;`, and the `csv` crate quotes
//! only cells holding its own delimiter.

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
    pub fn row<S: AsRef<[u8]>>(&mut self, cells: &[S]) {
        let semicolon = cells.iter().any(|c| c.as_ref().contains(&b';'));
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(if semicolon {
                csv::QuoteStyle::Always
            } else {
                csv::QuoteStyle::Necessary
            })
            .from_writer(&mut self.out);
        // Writing to a Vec cannot fail.
        let _ = w.write_record(cells);
        let _ = w.flush();
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_with_a_semicolon_is_quoted_for_norwegian_excel() {
        let mut csv = Csv::default();
        csv.row(&["id", "title"]);
        csv.row(&["a", "Ja; nei"]);
        csv.row(&["b", "fine, \"quoted\""]);
        assert_eq!(
            String::from_utf8(csv.into_bytes()).unwrap(),
            "\u{feff}id,title\r\n\"a\",\"Ja; nei\"\r\nb,\"fine, \"\"quoted\"\"\"\r\n"
        );
    }
}
