//! CSV for spreadsheets: what the endpoint's exports and the build's open-data files share.
//! A leaf that imports nothing of the crate, so the pipeline and the endpoint can both use it.
//!
//! UTF-8 with a byte-order mark so Excel reads æøå, CRLF line ends, and a cell quoted when it
//! holds a `,`, a `"`, a line break or a `;`: Norwegian Excel splits on `;`, which the `csv`
//! crate (quoting only for its own delimiter) leaves bare, so cells are quoted here.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// Makes text safe to hand to a spreadsheet as one cell: C0 control characters (NUL, ESC, BEL
/// …) and DEL are dropped, tab and line feed kept; and a cell a spreadsheet would read as a formula is
/// prefixed with `'`, so it shows as text and never runs. A formula is what starts with `=`,
/// `+`, `-` or `@` once leading white space is skipped and the text is NFKC-normalised, so
/// ` =1+1`, `\n=1+1` and the full-width `＝1+1` count too (spreadsheets skip the first and
/// fold the last), as does a cell starting with a tab or a carriage return.
pub fn neutralise(cell: &str) -> String {
    let kept: String = cell
        .chars()
        .filter(|&c| !c.is_ascii_control() || c == '\t' || c == '\n')
        .collect();
    let starts_with_control = cell.starts_with(['\t', '\r']);
    let first = kept
        .trim_start()
        .chars()
        .next()
        .map(|c| c.to_string().nfkc().next().unwrap_or(c));
    if starts_with_control || matches!(first, Some('=' | '+' | '-' | '@')) {
        format!("'{kept}")
    } else {
        kept
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

    #[test]
    fn formulas_behind_white_space_or_in_full_width_are_neutralised() {
        for (cell, safe) in [
            ("=1+1", "'=1+1"),
            (" =1+1", "' =1+1"),
            ("\n=HYPERLINK(\"x\")", "'\n=HYPERLINK(\"x\")"),
            ("\u{3000}+47", "'\u{3000}+47"),
            ("\u{ff1d}1+1", "'\u{ff1d}1+1"),
            ("\u{ff20}SUM(A1)", "'\u{ff20}SUM(A1)"),
            ("\t-2", "'\t-2"),
            ("\r@x", "'@x"),
            ("Ja, takk", "Ja, takk"),
            ("1-2 ganger", "1-2 ganger"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), safe, "{cell:?}");
        }
    }

    #[test]
    fn control_characters_are_dropped_but_tab_and_line_feed_kept() {
        assert_eq!(neutralise("a\0b\x1bc\x07d\te\nf\r\n"), "abcd\te\nf\n");
    }
}
