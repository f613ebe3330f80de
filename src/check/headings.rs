//! Headings go down one level at a time, starting at `##`: the page's title is its only `#`
//! heading, and people using screen readers move through a page by heading level.

use super::Body;
use crate::diag::Diagnostics;

pub(crate) fn check(body: &Body<'_>, diags: &mut Diagnostics) {
    // The title above the text is the level-1 heading.
    let mut previous = 1;
    for h in body.headings {
        if h.level == 1 {
            diags.push(
                body.warning(h.offset, format!("`# {}` is a second main heading", h.text))
                    .help("the page's title is already its main heading: start the text's headings at `##`"),
            );
        } else if h.level > previous + 1 {
            diags.push(
                body.warning(
                    h.offset,
                    format!(
                        "the heading `{}` skips from level {previous} to level {}",
                        h.text, h.level
                    ),
                )
                .help(format!(
                    "use `{} {}`: headings go down one level at a time (the title is level 1)",
                    "#".repeat(usize::from(previous) + 1),
                    h.text
                )),
            );
        }
        previous = h.level;
    }
}
