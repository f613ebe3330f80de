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
use crate::messages::Text;

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
    let text = match left.as_hours() {
        0 => Text::new("check-call-closes-minutes").arg("n", left.as_mins().max(1)),
        h if h < 48 => Text::new("check-call-closes-hours").arg("n", h),
        h => Text::new("check-call-closes-days").arg("n", h / 24),
    };
    let text = text.arg("at", call.closes.strftime("%Y-%m-%d %H:%M").to_string());
    diags.push(v.source.note(at, "").says(text));
}
