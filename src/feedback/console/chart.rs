//! Bar charts drawn on the server as SVG, each with its numbers as a table beside it: the
//! table is what screen readers and keyboard users read (the drawing is `aria-hidden`), and
//! neither needs JavaScript.

use crate::feedback::pages::escape;

const BAR_COLOUR: &str = "#0b4f9c";

/// Horizontal bars, one per `(label, count)`, then the same as a table with `caption`.
pub(crate) fn bars(
    caption: &str,
    label_head: &str,
    count_head: &str,
    rows: &[(String, u64)],
) -> String {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let (row_h, width, label_w) = (24u64, 480u64, 200u64);
    let height = row_h * rows.len() as u64;
    let mut svg = format!(
        "<svg class=\"chart\" aria-hidden=\"true\" focusable=\"false\" width=\"{width}\" \
         height=\"{height}\" viewBox=\"0 0 {width} {height}\">"
    );
    for (i, (label, n)) in rows.iter().enumerate() {
        let y = i as u64 * row_h;
        let w = (width - label_w - 48) * n / max;
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{ty}\" font-size=\"13\">{label}</text>\
             <rect x=\"{label_w}\" y=\"{ry}\" width=\"{w}\" height=\"{bh}\" fill=\"{BAR_COLOUR}\"/>\
             <text x=\"{tx}\" y=\"{ty}\" font-size=\"13\">{n}</text>",
            ty = y + 16,
            ry = y + 4,
            bh = row_h - 8,
            tx = label_w + w + 6,
            label = escape(&shorten(label, 28)),
        ));
    }
    svg.push_str("</svg>");
    format!(
        "<div class=\"chart-pair\">{svg}{}</div>",
        table(caption, label_head, count_head, rows)
    )
}

/// Vertical bars for answers per day, small enough for a row of the call list, with the
/// days and counts in a table inside a `<details>` that opens without JavaScript.
pub(crate) fn per_day(
    summary: &str,
    day_head: &str,
    count_head: &str,
    days: &[(String, u64)],
) -> String {
    if days.is_empty() {
        return String::new();
    }
    let max = days.iter().map(|d| d.1).max().unwrap_or(0).max(1);
    let (bar_w, height) = (6u64, 32u64);
    let width = bar_w * days.len() as u64;
    let mut svg = format!(
        "<svg class=\"spark\" aria-hidden=\"true\" focusable=\"false\" width=\"{width}\" \
         height=\"{height}\" viewBox=\"0 0 {width} {height}\">"
    );
    for (i, (_, n)) in days.iter().enumerate() {
        let h = (height * n / max).max(1);
        svg.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{h}\" fill=\"{BAR_COLOUR}\"/>",
            i as u64 * bar_w,
            height - h,
            bar_w - 1,
        ));
    }
    svg.push_str("</svg>");
    format!(
        "{svg}<details><summary>{}</summary>{}</details>",
        escape(summary),
        table(summary, day_head, count_head, days)
    )
}

fn table(caption: &str, label_head: &str, count_head: &str, rows: &[(String, u64)]) -> String {
    let mut t = format!(
        "<table><caption>{}</caption><thead><tr><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th></tr></thead><tbody>",
        escape(caption),
        escape(label_head),
        escape(count_head)
    );
    for (label, n) in rows {
        t.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{n}</td></tr>",
            escape(label)
        ));
    }
    t.push_str("</tbody></table>");
    t
}

/// A label cut to `max` characters with an ellipsis; the table beside it has it whole.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_the_table_holds_every_number() {
        let rows = vec![("Ja".to_string(), 4), ("Nei <b>".to_string(), 2)];
        let html = bars("Svar", "Svar", "Antall", &rows);
        assert!(
            html.contains("width=\"232\""),
            "the largest bar is full width: {html}"
        );
        assert!(html.contains("width=\"116\""), "half as many, half as long");
        assert!(html.contains("<th scope=\"row\">Nei &lt;b&gt;</th><td class=\"n\">2</td>"));
        assert!(
            html.contains("aria-hidden=\"true\""),
            "the table is the text equivalent"
        );
    }

    #[test]
    fn no_answers_draws_empty_bars_not_a_division_by_zero() {
        let html = bars("Svar", "Svar", "Antall", &[("Ja".to_string(), 0)]);
        assert!(html.contains("width=\"0\""));
        assert_eq!(per_day("Svar per dag", "Dag", "Svar", &[]), "");
        let days = per_day("Svar per dag", "Dag", "Svar", &[("2026-05-01".into(), 3)]);
        assert!(days.contains("<details><summary>Svar per dag</summary>"));
        assert!(days.contains("height=\"32\""));
    }

    #[test]
    fn long_labels_are_shortened_in_the_drawing_only() {
        let long = "a".repeat(40);
        let html = bars("c", "l", "n", &[(long.clone(), 1)]);
        assert!(html.contains(&format!("{}…", "a".repeat(27))));
        assert!(html.contains(&format!("<th scope=\"row\">{long}</th>")));
    }
}
