//! Agreement between a translation and its primary file: shared keys, goals and questions.

use super::files::*;
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
