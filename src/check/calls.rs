//! Calls for input. The build already makes sure each call has questions and closes after it
//! opens. A call has no "open" switch: it is open from `opens` until `closes`, so an open call's
//! deadline is always ahead. What is worth telling is an open call whose deadline is near, so
//! that its writers can announce it, extend it (change `closes` and rebuild), or plan the
//! rebuild that moves it to the closed calls. That is a note, not a warning: nothing is wrong,
//! and a check run with `--deny-warnings` must not start failing the week a call closes.

use jiff::SignedDuration;

use super::{Options, key_offset};
use crate::content::{CallState, Item};
use crate::diag::Diagnostics;

pub(crate) fn check(item: &Item, opts: &Options, diags: &mut Diagnostics) {
    let Some(call) = item.call() else { return };
    if call.state(&opts.now) != CallState::Open {
        return;
    }
    let left = opts.now.duration_until(call.closes.timestamp());
    if left > SignedDuration::from_hours(24 * i64::from(opts.closing_days)) {
        return;
    }
    let v = item.primary();
    let at = key_offset(&v.source, v.body_offset, "closes").unwrap_or(0);
    let when = match left.as_hours() {
        0 => format!("in {} minutes", left.as_mins().max(1)),
        h if h < 48 => format!("in {h} hours"),
        h => format!("in {} days", h / 24),
    };
    diags.push(
        v.source
            .note(
                at,
                format!(
                    "the call closes {when}, at {}",
                    call.closes.strftime("%Y-%m-%d %H:%M")
                ),
            )
            .help("the form closes by itself; listings move it to the closed calls at the next build after that"),
    );
}
