//! What staff ask of the stored responses beyond the public counts: which ones to list
//! ([`Filter`]), how an answer is hidden ([`Hidden`]), and the change sequence ([`Change`]) that
//! derived indexes (answer search) follow, on this instance and on others sharing the store.
//!
//! These are plain data, the same for every store; each store turns a [`Filter`] into its own
//! query and writes a [`Change`] in the transaction of the write it records.

use jiff::Timestamp;

/// Why and by whom an answer was hidden from the public counts. Staff still see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hidden {
    /// The reason staff gave, in their words.
    pub reason: String,
    /// The staff member's email.
    pub by: String,
    pub at: Timestamp,
}

/// Which responses of one call to list. The default lists them all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only responses given in this language (`nb`, `en`).
    pub lang: Option<String>,
    /// Only responses submitted at or after this moment.
    pub from: Option<Timestamp>,
    /// Only responses submitted before this moment.
    pub until: Option<Timestamp>,
    /// Only responses with this answer to this question.
    pub answer: Option<AnswerIs>,
    /// Only responses with these ids (the hits of a search); an empty list matches none.
    pub ids: Option<Vec<i64>>,
    pub visibility: Visibility,
}

/// One answer a [`Filter`] asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerIs {
    /// The question's id.
    pub question: String,
    pub value: AnswerValue,
}

/// The value a question's answer must have (or, for a multi-choice answer, include).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerValue {
    /// A choice option's text in the call's canonical language, as answers store it.
    Option(String),
    /// A scale's (or number question's) value.
    Number(i64),
}

/// Which responses a [`Filter`] keeps by whether they are hidden.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Visibility {
    /// Hidden or not.
    #[default]
    Any,
    /// Only hidden ones.
    Hidden,
    /// Only ones the public counts count.
    Visible,
}

/// What happened to a response; recorded without any of its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// A resident answered.
    Insert,
    /// The resident withdrew it with their receipt.
    Withdraw,
    /// Staff deleted it.
    Delete,
    /// It went with a purge or its call's `keep_days` clean-up.
    Purge,
    Hide,
    Unhide,
}

impl ChangeKind {
    /// The word a store keeps.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Insert => "insert",
            ChangeKind::Withdraw => "withdraw",
            ChangeKind::Delete => "delete",
            ChangeKind::Purge => "purge",
            ChangeKind::Hide => "hide",
            ChangeKind::Unhide => "unhide",
        }
    }

    /// The kind a store's word names, if any.
    pub fn parse(s: &str) -> Option<ChangeKind> {
        [
            ChangeKind::Insert,
            ChangeKind::Withdraw,
            ChangeKind::Delete,
            ChangeKind::Purge,
            ChangeKind::Hide,
            ChangeKind::Unhide,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// Whether the response no longer exists after this change.
    pub fn removes(self) -> bool {
        matches!(
            self,
            ChangeKind::Withdraw | ChangeKind::Delete | ChangeKind::Purge
        )
    }
}

/// One entry of the change sequence: response `response` of call `call_id` had `kind` happen
/// to it. `seq` grows with every change and is never reused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub response: i64,
    pub call_id: String,
    pub kind: ChangeKind,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_change_kind_reads_back_from_its_word() {
        for k in [
            ChangeKind::Insert,
            ChangeKind::Withdraw,
            ChangeKind::Delete,
            ChangeKind::Purge,
            ChangeKind::Hide,
            ChangeKind::Unhide,
        ] {
            assert_eq!(ChangeKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(ChangeKind::parse("update"), None);
    }
}
