//! A call's `[[questions]]`: front matter to [`Question`]s, with every check a writer needs.

use std::collections::HashSet;

use super::files::File;
use super::frontmatter::RawQuestion;
use super::kinds::{QUESTION_KINDS, parse_enum};
use super::*;
use crate::diag::Diagnostics;
use crate::messages::Text;

pub(super) fn build_questions(f: &File, diags: &mut Diagnostics) -> Vec<Question> {
    let Some(qs) = &f.fm.questions else {
        return Vec::new();
    };
    let mut seen = HashSet::new();
    qs.get_ref()
        .iter()
        .filter_map(|q| build_question(f, q.get_ref(), &mut seen, diags))
        .collect()
}

pub(super) fn build_question(
    f: &File,
    q: &RawQuestion,
    seen: &mut HashSet<String>,
    diags: &mut Diagnostics,
) -> Option<Question> {
    let before = diags.0.len();
    let id = q.id.get_ref();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        let text = Text::new("questions-bad-id").arg("id", id);
        diags.push(f.err(Some(q.id.span()), "").says(text));
    } else if ["lang", "website", "form_token"].contains(&id.as_str()) {
        let text = Text::new("questions-reserved-id").arg("id", id);
        diags.push(f.err(Some(q.id.span()), "").says(text));
    } else if !seen.insert(id.clone()) {
        let text = Text::new("questions-id-twice").arg("id", id);
        diags.push(f.err(Some(q.id.span()), "").says(text));
    }
    let kind = parse_enum(f, "kind", &q.kind, QUESTION_KINDS, diags);
    if q.label.get_ref().trim().is_empty() {
        let text = Text::new("questions-empty-label");
        diags.push(f.err(Some(q.label.span()), "").says(text));
    }
    let options = q
        .options
        .as_ref()
        .map(|o| o.get_ref().clone())
        .unwrap_or_default();
    if let Some(kind) = kind {
        if kind.has_options() && options.len() < 2 {
            let text = Text::new("questions-needs-options").arg("kind", q.kind.get_ref());
            diags.push(f.err(Some(q.kind.span()), "").says(text));
        }
        if !kind.has_options()
            && let Some(o) = &q.options
        {
            let text = Text::new("questions-no-options").arg("kind", q.kind.get_ref());
            diags.push(f.err(Some(o.span()), "").says(text));
        }
        let mut unique = HashSet::new();
        if options.iter().any(|o| !unique.insert(o)) {
            let text = Text::new("questions-same-option");
            diags.push(f.err(Some(q.kind.span()), "").says(text));
        }
        if kind != QuestionKind::Scale
            && let Some(m) = q.min.as_ref().or(q.max.as_ref())
        {
            let text = Text::new("questions-min-max-not-scale");
            diags.push(f.err(Some(m.span()), "").says(text));
        }
    }
    let min = q.min.as_ref().map_or(1, |m| *m.get_ref());
    let max = q.max.as_ref().map_or(5, |m| *m.get_ref());
    if max <= min || max - min > 20 {
        let span = q.max.as_ref().or(q.min.as_ref()).map(|s| s.span());
        let text = Text::new("questions-bad-scale")
            .arg("min", min.to_string())
            .arg("max", max.to_string());
        diags.push(f.err(span, "").says(text));
    }
    let default_len = if kind == Some(QuestionKind::Text) {
        500
    } else {
        MAX_ANSWER_CHARS
    };
    let max_length = match &q.max_length {
        Some(m) if (1..=MAX_ANSWER_CHARS as i64).contains(m.get_ref()) => *m.get_ref() as usize,
        Some(m) => {
            let text = Text::new("questions-bad-max-length").arg("max", MAX_ANSWER_CHARS);
            diags.push(f.err(Some(m.span()), "").says(text));
            default_len
        }
        None => default_len,
    };
    (diags.0.len() == before).then(|| Question {
        id: id.clone(),
        kind: kind.expect("checked above"),
        label: q.label.get_ref().trim().to_string(),
        help: q.help.clone(),
        options,
        required: q.required,
        min,
        max,
        min_label: q.min_label.clone(),
        max_label: q.max_label.clone(),
        max_length,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::files::{messages, test_file};

    fn questions(front: &str) -> (Vec<Question>, Vec<String>) {
        let f = test_file("content/calls/hagen.md", front);
        let mut diags = Diagnostics::default();
        let qs = build_questions(&f, &mut diags);
        (qs, messages(&diags))
    }

    #[test]
    fn a_text_question_gets_the_defaults() {
        let (qs, errors) = questions(
            "[[questions]]\nid = \"navn\"\nkind = \"text\"\nlabel = \" Hva heter parken? \"\n",
        );
        assert_eq!(errors, Vec::<String>::new());
        let q = &qs[0];
        assert_eq!(
            (q.id.as_str(), q.kind, q.label.as_str()),
            ("navn", QuestionKind::Text, "Hva heter parken?")
        );
        assert_eq!((q.min, q.max, q.max_length, q.required), (1, 5, 500, false));
    }

    #[test]
    fn an_id_the_form_uses_is_reserved() {
        let (qs, errors) =
            questions("[[questions]]\nid = \"lang\"\nkind = \"text\"\nlabel = \"Språk?\"\n");
        assert!(qs.is_empty());
        assert_eq!(
            errors,
            ["3: question id `lang` is reserved by the answer form (choose another id)"]
        );
    }

    #[test]
    fn the_same_id_twice_is_an_error() {
        let (_, errors) = questions(
            "[[questions]]\nid = \"a\"\nkind = \"text\"\nlabel = \"A?\"\n\
             [[questions]]\nid = \"a\"\nkind = \"text\"\nlabel = \"B?\"\n",
        );
        assert_eq!(
            errors,
            ["7: question id `a` is used twice in this call (give every question its own id)"]
        );
    }

    #[test]
    fn a_choice_needs_two_options_and_a_text_none() {
        let (_, errors) = questions(
            "[[questions]]\nid = \"a\"\nkind = \"choice\"\nlabel = \"A?\"\noptions = [\"Ja\"]\n\
             [[questions]]\nid = \"b\"\nkind = \"text\"\nlabel = \"B?\"\noptions = [\"Ja\", \"Nei\"]\n",
        );
        assert_eq!(
            errors,
            [
                "4: a `choice` question needs at least two `options` (add e.g. `options = [\"Ja\", \"Nei\"]`)",
                "11: a `text` question has no `options` (remove `options`, or use `kind = \"choice\"`)",
            ]
        );
    }

    #[test]
    fn a_scale_with_too_many_steps_is_not_usable() {
        let (_, errors) = questions(
            "[[questions]]\nid = \"a\"\nkind = \"scale\"\nlabel = \"A?\"\nmin = 0\nmax = 30\n",
        );
        assert_eq!(
            errors,
            [
                "7: the scale 0–30 is not usable (`max` must be above `min`, with at most 21 steps (the default is 1–5))"
            ]
        );
    }
}
