//! The Excel export (`.xlsx`, with `rust_xlsxwriter`): a sheet of answers as the CSV has
//! them, and a sheet of counts per question as the public summary counts them. Every text is
//! written as a string cell, so nothing a resident wrote is ever read as a formula.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::{answer_text, hidden_reason, question_text, rfc3339, summary, visible_counts, words};
use crate::feedback::calls::Call;
use crate::feedback::store::StoredResponse;

/// The most characters Excel keeps in a cell.
const MAX_CELL_CHARS: usize = 32_767;

/// The workbook's bytes; an error only if the writer fails, which no answer can make it do.
pub fn xlsx(call: &Call, responses: &[StoredResponse]) -> Result<Vec<u8>, XlsxError> {
    let w = words(call);
    let bold = Format::new().set_bold();
    let mut book = Workbook::new();

    let sheet = book.add_worksheet();
    sheet.set_name(w.answers)?;
    let mut header: Vec<&str> = vec![w.id, w.submitted, w.lang, w.hidden];
    header.extend(call.questions.iter().map(|q| question_text(call, q)));
    for (col, text) in header.iter().enumerate() {
        text_cell(sheet, 0, col, text, Some(&bold))?;
    }
    for (i, r) in responses.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_number(row, 0, r.id as f64)?;
        text_cell(sheet, row, 1, &rfc3339(r.submitted), None)?;
        text_cell(sheet, row, 2, &r.lang, None)?;
        text_cell(sheet, row, 3, hidden_reason(r), None)?;
        for (j, q) in call.questions.iter().enumerate() {
            match r.answers.get(&q.id) {
                Some(crate::feedback::answers::Answer::Number(n)) => {
                    sheet.write_number(row, 4 + j as u16, *n as f64)?;
                }
                a => text_cell(sheet, row, 4 + j, &answer_text(a), None)?,
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_column_width(1, 22)?;
    for j in 0..call.questions.len() {
        sheet.set_column_width(4 + j as u16, 30)?;
    }

    let counts = visible_counts(responses);
    let s = summary(call, &mut |k| counts.get(&k));
    let sheet = book.add_worksheet();
    sheet.set_name(w.counts)?;
    text_cell(sheet, 0, 0, w.responses, Some(&bold))?;
    sheet.write_number(0, 1, number(&s["responses"]))?;
    text_cell(sheet, 1, 0, w.hidden_not_counted, None)?;
    for (col, text) in [w.question, w.answer, w.count].iter().enumerate() {
        text_cell(sheet, 3, col, text, Some(&bold))?;
    }
    let mut row = 4;
    let empty = Vec::new();
    for (q, counted) in call
        .questions
        .iter()
        .zip(s["questions"].as_array().unwrap_or(&empty))
    {
        text_cell(sheet, row, 0, question_text(call, q), None)?;
        sheet.write_number(row, 2, number(&counted["answered"]))?;
        row += 1;
        for option in counted["options"].as_array().unwrap_or(&empty) {
            let labels = &option["labels"];
            let label = labels[&call.canonical_lang]
                .as_str()
                .or_else(|| labels.as_object()?.values().next()?.as_str())
                .unwrap_or_default();
            text_cell(sheet, row, 1, label, None)?;
            sheet.write_number(row, 2, number(&option["count"]))?;
            row += 1;
        }
        for value in counted["values"].as_array().unwrap_or(&empty) {
            sheet.write_number(row, 1, number(&value["value"]))?;
            sheet.write_number(row, 2, number(&value["count"]))?;
            row += 1;
        }
    }
    sheet.set_column_width(0, 40)?;
    sheet.set_column_width(1, 30)?;
    book.save_to_buffer()
}

fn number(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or(0.0)
}

/// `text` as a string cell, cut to what Excel keeps.
fn text_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: usize,
    text: &str,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    let cut: String;
    let text = if text.chars().count() > MAX_CELL_CHARS {
        cut = text.chars().take(MAX_CELL_CHARS).collect();
        &cut
    } else {
        text
    };
    let col = col as u16;
    match format {
        Some(f) => sheet.write_string_with_format(row, col, text, f)?,
        None => sheet.write_string(row, col, text)?,
    };
    Ok(())
}
