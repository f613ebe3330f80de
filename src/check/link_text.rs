//! A link's text says where it leads. "Klikk her" and "les mer" say nothing to someone who
//! lists a page's links with a screen reader, or skims.

use super::Body;
use crate::diag::Diagnostics;
use crate::messages::Text;

/// Link texts that say nothing about where the link leads, in Norwegian and English.
const VAGUE: &[&str] = &[
    "klikk her",
    "trykk her",
    "her",
    "les mer",
    "les mer her",
    "mer",
    "se her",
    "lenke",
    "denne lenken",
    "click here",
    "here",
    "read more",
    "more",
    "see here",
    "link",
    "this link",
];

pub(crate) fn check(body: &Body<'_>, diags: &mut Diagnostics) {
    for link in body.links.iter().filter(|l| !l.image && !l.autolink) {
        let text = normalize(&link.text);
        if text.is_empty() {
            let text = Text::new("check-link-no-text");
            diags.push(body.warning(link.range.start, "").says(text));
        } else if VAGUE.contains(&text.as_str()) {
            let text = Text::new("check-link-text-vague").arg("text", link.text.trim());
            diags.push(body.warning(link.range.start, "").says(text));
        }
    }
}

/// Lowercase, without surrounding space, quotes, arrows and end punctuation.
fn normalize(text: &str) -> String {
    text.trim()
        .trim_matches(|c: char| {
            c.is_whitespace() || matches!(c, '.' | ':' | '!' | '«' | '»' | '"' | '›' | '→' | '>')
        })
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vague_texts_are_found_whatever_their_case_and_punctuation() {
        for t in ["Klikk her", "«les mer»", "Read more →", "HER."] {
            assert!(VAGUE.contains(&normalize(t).as_str()), "{t}");
        }
        assert!(!VAGUE.contains(&normalize("Les mer om sykkelveiene").as_str()));
    }
}
