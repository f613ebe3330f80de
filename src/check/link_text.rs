//! A link's text says where it leads. "Klikk her" and "les mer" say nothing to someone who
//! lists a page's links with a screen reader, or skims.

use super::Body;
use crate::diag::Diagnostics;

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
            diags.push(body.warning(link.range.start, "the link has no text").help(
                "write what the reader gets between the [ ], e.g. `[årsrapporten for 2026](…)`",
            ));
        } else if VAGUE.contains(&text.as_str()) {
            diags.push(
                body.warning(
                    link.range.start,
                    format!("the link text `{}` does not say where it leads", link.text.trim()),
                )
                .help("name what the reader gets, e.g. `[les årsrapporten for 2026](…)` instead of `[klikk her](…)`"),
            );
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
