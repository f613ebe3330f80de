//! What staff make of a call's answers once they read them: its [`Theme`]s (a label per
//! language), which answers carry which theme (tags), and the results snapshot they published
//! ([`crate::results_json::ResultsFile`]). Plain data, the same for every store.
//!
//! A theme's count is how many of the call's visible (not hidden) answers carry it, counted
//! when asked: tags are few and staff-made, so no kept count is needed. An answer that is
//! withdrawn or deleted takes its tags with it.

use std::collections::BTreeMap;

/// One theme of one call, with how many visible answers carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// The store's id for it: unique in the store, never given to another theme.
    pub id: i64,
    /// Language → label, as staff wrote them.
    pub label: BTreeMap<String, String>,
    /// Visible answers tagged with it.
    pub count: u64,
}

impl Theme {
    /// The label in `lang`, else in any language staff gave.
    pub fn label_in(&self, lang: &str) -> &str {
        self.label
            .get(lang)
            .or_else(|| self.label.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// One tag: answer `response` carries theme `theme`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tag {
    pub response: i64,
    pub theme: i64,
}
