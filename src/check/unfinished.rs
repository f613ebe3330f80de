//! Text that `torget new` left for the writer: the placeholder `"…"` in a new file, and lines a
//! new translation marks `# TRANSLATE` because they still hold the source's words.
//!
//! New files are drafts, so this only speaks up once a file is published, or with `--drafts`.

use crate::diag::{Diagnostics, Source};
use crate::messages::Text;

/// The comment `torget new` puts after a value still in the source language.
pub const TRANSLATE_MARK: &str = "# TRANSLATE";
/// The value `torget new` gives text it cannot guess.
pub const PLACEHOLDER: &str = "\"…\"";

pub(crate) fn check(source: &Source, body_offset: usize, diags: &mut Diagnostics) {
    let front = &source.text[..body_offset.min(source.text.len())];
    let mut pos = 0;
    for line in front.split_inclusive('\n') {
        if line.trim_start().starts_with('#') {
            // A comment line is a note, not a value.
            pos += line.len();
            continue;
        }
        if let Some(i) = line.find(TRANSLATE_MARK)
            && outside_quotes(&line[..i])
        {
            let key = line.split('=').next().unwrap_or_default().trim();
            let text = Text::new("check-marked-for-translation").arg("key", key);
            diags.push(source.warning(pos + i, "").says(text));
        }
        if let Some(i) = line.find(PLACEHOLDER)
            && outside_quotes(&line[..i])
        {
            let text = Text::new("check-placeholder");
            diags.push(source.warning(pos + i, "").says(text));
        }
        pos += line.len();
    }
}

/// Whether the end of `before` is outside a TOML string, basic (`"…"`) or literal (`'…'`).
fn outside_quotes(before: &str) -> bool {
    let mut open: Option<char> = None;
    let mut escaped = false;
    for c in before.chars() {
        match (open, c) {
            (Some('"'), '\\') if !escaped => {
                escaped = true;
                continue;
            }
            (Some(q), c) if c == q && !escaped => open = None,
            (None, '"' | '\'') => open = Some(c),
            _ => {}
        }
        escaped = false;
    }
    open.is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(front: &str) -> Vec<String> {
        let text = format!("+++\n{front}+++\nBody # TRANSLATE \"…\"\n");
        let body = text.rfind("+++\n").unwrap() + 4;
        let mut d = Diagnostics::default();
        check(&Source::new("a.md", text.as_str()), body, &mut d);
        d.0.into_iter()
            .map(|d| format!("{}:{} {}", d.line.unwrap(), d.column.unwrap(), d.message))
            .collect()
    }

    #[test]
    fn marks_and_placeholders_are_found_outside_strings_only() {
        assert_eq!(
            found(
                "title = \"Hage\"\nsummary = \"En hage.\" # TRANSLATE\nlabel = \"Svar # TRANSLATE\"\n\
                 location = { name = \"…\" }\n# summary = \"…\"\n\
                 help = 'Si \"hei' # TRANSLATE\n"
            ),
            [
                "3:22 `summary` is marked for translation",
                "5:21 the placeholder `…` is still here",
                "7:18 `help` is marked for translation"
            ]
        );
    }
}
