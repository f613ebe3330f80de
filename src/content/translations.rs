//! Agreement between a translation and its primary file: shared keys, goals and questions.

use super::files::File;
use super::*;
use crate::diag::Diagnostics;

pub(super) fn check_goals_match(
    f: &File,
    primary: &File,
    p: &[Goal],
    t: &[Goal],
    diags: &mut Diagnostics,
) {
    let span = f.fm.goals.as_ref().map(|g| g.span());
    if p.len() != t.len() {
        diags.push(
            f.err(
                span,
                format!(
                    "this translation has {} goals, the {} version has {}",
                    t.len(),
                    primary.lang,
                    p.len()
                ),
            )
            .help(format!(
                "translate the same goals in the same order as {}",
                primary.source.path.display()
            )),
        );
    } else if let Some(i) = p.iter().zip(t).position(|(a, b)| a.status != b.status) {
        diags.push(
            f.err(
                span,
                format!(
                    "goal {} has another `status` than in the {} version",
                    i + 1,
                    primary.lang
                ),
            )
            .help("a goal's status is the same in every language; change both files"),
        );
    }
}

pub(super) fn check_questions_match(
    f: &File,
    primary: &File,
    p: &[Question],
    t: &[Question],
    diags: &mut Diagnostics,
) {
    let span = f.fm.questions.as_ref().map(|g| g.span());
    let fix = format!(
        "a translation asks the same questions as {}: same ids and kinds in the same order, same number of options",
        primary.source.path.display()
    );
    if p.len() != t.len() {
        diags.push(
            f.err(
                span,
                format!(
                    "this translation has {} questions, the {} version has {}",
                    t.len(),
                    primary.lang,
                    p.len()
                ),
            )
            .help(fix),
        );
        return;
    }
    for (a, b) in p.iter().zip(t) {
        let problem = if a.id != b.id {
            Some(format!(
                "question id `{}` does not match `{}` in the {} version",
                b.id, a.id, primary.lang
            ))
        } else if a.kind != b.kind {
            Some(
                format!(
                    "question `{}` is `{:?}` here but `{:?}` in the {} version",
                    a.id, b.kind, a.kind, primary.lang
                )
                .to_lowercase(),
            )
        } else if a.options.len() != b.options.len() {
            Some(format!(
                "question `{}` has {} options here but {} in the {} version",
                a.id,
                b.options.len(),
                a.options.len(),
                primary.lang
            ))
        } else if (a.required, a.min, a.max, a.max_length)
            != (b.required, b.min, b.max, b.max_length)
        {
            Some(format!(
                "question `{}` differs in `required`, `min`, `max` or `max_length` from the {} version",
                a.id, primary.lang
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            diags.push(f.err(span.clone(), problem).help(fix.clone()));
        }
    }
}

/// A translation may translate the contact's name only when the primary file has a contact:
/// the e-mail address comes from there.
pub(super) fn check_contact(f: &File, primary: &File, diags: &mut Diagnostics) {
    let (Some(c), None) = (&f.fm.contact, &primary.fm.contact) else {
        return;
    };
    let message = format!(
        "`contact` is translated, but the {} version ({}) has none",
        primary.lang,
        primary.source.path.display()
    );
    diags.push(f.err(Some(c.span()), message).help(
        "the contact's e-mail address is shared: add `contact = { name = \"…\", email = \"…\" }` \
         to that file, or remove it here",
    ));
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
                "2: goal 1 has another `status` than in the nb version (a goal's status is the same in every language; change both files)"
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
