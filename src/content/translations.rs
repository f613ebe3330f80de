//! Agreement between a translation and its primary file: shared keys, goals and questions.

use super::files::File;
use super::*;
use crate::diag::Diagnostics;
use crate::messages::Text;

pub(super) fn check_goals_match(
    f: &File,
    primary: &File,
    p: &[Goal],
    t: &[Goal],
    diags: &mut Diagnostics,
) {
    let span = f.fm.goals.as_ref().map(|g| g.span());
    let text = if p.len() != t.len() {
        Text::new("translations-goal-count")
            .arg("here", t.len())
            .arg("there", p.len())
    } else if let Some(i) = p.iter().zip(t).position(|(a, b)| a.status != b.status) {
        Text::new("translations-goal-status").arg("goal", i + 1)
    } else {
        return;
    };
    let text = text
        .arg("lang", &primary.lang)
        .arg("primary", primary.source.path.display().to_string());
    diags.push(f.err(span, "").says(text));
}

pub(super) fn check_questions_match(
    f: &File,
    primary: &File,
    p: &[Question],
    t: &[Question],
    diags: &mut Diagnostics,
) {
    let span = f.fm.questions.as_ref().map(|g| g.span());
    let with_primary = |text: Text| {
        text.arg("lang", &primary.lang)
            .arg("primary", primary.source.path.display().to_string())
    };
    if p.len() != t.len() {
        let text = Text::new("translations-question-count")
            .arg("here", t.len())
            .arg("there", p.len());
        diags.push(f.err(span, "").says(with_primary(text)));
        return;
    }
    for (a, b) in p.iter().zip(t) {
        let text = if a.id != b.id {
            Text::new("translations-question-id")
                .arg("here", &b.id)
                .arg("there", &a.id)
        } else if a.kind != b.kind {
            Text::new("translations-question-kind")
                .arg("id", &a.id)
                .arg("here", format!("{:?}", b.kind).to_lowercase())
                .arg("there", format!("{:?}", a.kind).to_lowercase())
        } else if a.options.len() != b.options.len() {
            Text::new("translations-question-options")
                .arg("id", &a.id)
                .arg("here", b.options.len())
                .arg("there", a.options.len())
        } else if (a.required, a.min, a.max, a.max_length)
            != (b.required, b.min, b.max, b.max_length)
        {
            Text::new("translations-question-rules").arg("id", &a.id)
        } else {
            continue;
        };
        diags.push(f.err(span.clone(), "").says(with_primary(text)));
    }
}

/// A translation may translate the contact's name only when the primary file has a contact:
/// the e-mail address comes from there.
pub(super) fn check_contact(f: &File, primary: &File, diags: &mut Diagnostics) {
    let (Some(c), None) = (&f.fm.contact, &primary.fm.contact) else {
        return;
    };
    let text = Text::new("translations-contact-without-primary")
        .arg("lang", &primary.lang)
        .arg("primary", primary.source.path.display().to_string());
    diags.push(f.err(Some(c.span()), "").says(text));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::files::{messages, test_file};
    use crate::content::kinds::build_goals;
    use crate::content::questions::build_questions;

    const GOALS: &str = "[[goals]]\ntitle = \"Hagen er bygd\"\nstatus = \"achieved\"\n\
                         [[goals]]\ntitle = \"Hagen brukes\"\nstatus = \"planned\"\n";

    fn goals(translation: &str) -> Vec<String> {
        let p = test_file("content/projects/hage.md", GOALS);
        let t = test_file("content/projects/hage.en.md", translation);
        let mut diags = Diagnostics::default();
        let (pg, tg) = (build_goals(&p, &mut diags), build_goals(&t, &mut diags));
        check_goals_match(&t, &p, &pg, &tg, &mut diags);
        messages(&diags)
    }

    #[test]
    fn translated_goals_in_the_same_order_and_status_agree() {
        let en = "[[goals]]\ntitle = \"The garden is built\"\nstatus = \"achieved\"\n\
                  [[goals]]\ntitle = \"The garden is used\"\nstatus = \"planned\"\n";
        assert_eq!(goals(en), Vec::<String>::new());
    }

    #[test]
    fn a_translation_with_fewer_goals_names_the_primary_file() {
        let en = "[[goals]]\ntitle = \"The garden is built\"\nstatus = \"achieved\"\n";
        assert_eq!(
            goals(en),
            [
                "2: this translation has 1 goals, the nb version has 2 (translate the same goals in the same order as content/projects/hage.md)"
            ]
        );
    }

    #[test]
    fn a_goal_status_is_the_same_in_every_language() {
        let en = "[[goals]]\ntitle = \"The garden is built\"\nstatus = \"planned\"\n\
                  [[goals]]\ntitle = \"The garden is used\"\nstatus = \"planned\"\n";
        assert_eq!(
            goals(en),
            [
                "2: goal 1 has another `status` than in the nb version (a goal's status is the same in every language (content/projects/hage.md); change both files)"
            ]
        );
    }

    #[test]
    fn translated_questions_keep_ids_and_kinds() {
        let p = test_file(
            "content/calls/hagen.md",
            "[[questions]]\nid = \"plante\"\nkind = \"text\"\nlabel = \"Hva?\"\n",
        );
        let t = test_file(
            "content/calls/hagen.en.md",
            "[[questions]]\nid = \"plant\"\nkind = \"text\"\nlabel = \"What?\"\n",
        );
        let mut diags = Diagnostics::default();
        let (pq, tq) = (
            build_questions(&p, &mut diags),
            build_questions(&t, &mut diags),
        );
        check_questions_match(&t, &p, &pq, &tq, &mut diags);
        assert_eq!(
            messages(&diags),
            [
                "2: question id `plant` does not match `plante` in the nb version (a translation asks the same questions as content/calls/hagen.md: same ids and kinds in the same order, same number of options)"
            ]
        );
    }
}
