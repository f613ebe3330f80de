//! Cells for spreadsheets: what the endpoint's exports and the build's open-data CSV files
//! share. A leaf that imports nothing of the crate, so the pipeline and the endpoint can both
//! use it.

/// Prefixes a cell that a spreadsheet would read as a formula (starting with `=`, `+`, `-`,
/// `@`, tab or carriage return) with `'`, so it shows as text and never runs.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}
