//! Headings go down one level at a time, starting at `##`: the page's title is its only `#`
//! heading, and people using screen readers move through a page by heading level.

use super::Body;
use crate::diag::Diagnostics;
use crate::messages::Text;

pub(crate) fn check(body: &Body<'_>, diags: &mut Diagnostics) {
    // The title above the text is the level-1 heading.
    let mut previous = 1;
    for h in body.headings {
        if h.level == 1 {
            let text = Text::new("check-second-main-heading").arg("heading", &h.text);
            diags.push(body.warning(h.offset, "").says(text));
        } else if h.level > previous + 1 {
            let text = Text::new("check-heading-skips")
                .arg("heading", &h.text)
                .arg("from", usize::from(previous))
                .arg("to", usize::from(h.level))
                .arg("marks", "#".repeat(usize::from(previous) + 1));
            diags.push(body.warning(h.offset, "").says(text));
        }
        previous = h.level;
    }
}
