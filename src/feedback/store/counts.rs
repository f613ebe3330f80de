//! What the public counts count, as keys every store keeps in a table beside the responses.
//!
//! A store adds one to each of a response's [`CountKey`]s in the transaction that stores it
//! and takes one away in the transaction that deletes it, so a summary reads a few rows of
//! counts and never the answers. Hiding an answer from the counts is the same step as
//! deleting it, and showing it again the same as storing it: both are one more [`Tally`]
//! applied with the response's own keys.
//!
//! The keys come from the answers alone, not from the call's questions, so a withdrawal, a
//! purge or the first build of the counts in an existing database need no `calls.json`:
//! every answered question is counted, a number by its value, and each text or chosen option
//! by a SHA-256 of its text. A choice's count is found by hashing the option; free text is
//! never copied, and a key whose count falls to zero is removed with its last answer.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::feedback::answers::{Answer, Answers};

/// One count of one call: `(question, value)`, where an empty question is the call's
/// responses and an empty value is the question's answers. Question ids are never empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountKey {
    pub question: String,
    pub value: String,
}

impl CountKey {
    /// How many responses the call has.
    pub fn responses() -> CountKey {
        CountKey {
            question: String::new(),
            value: String::new(),
        }
    }

    /// How many responses answered `question`.
    pub fn answered(question: &str) -> CountKey {
        CountKey {
            question: question.to_string(),
            value: String::new(),
        }
    }

    /// How many chose the option `text` (in the call's canonical language) for `question`.
    pub fn option(question: &str, text: &str) -> CountKey {
        let digest = Sha256::digest(text.as_bytes());
        let mut value = String::with_capacity(33);
        value.push('#');
        for b in &digest[..16] {
            value.push_str(&format!("{b:02x}"));
        }
        CountKey {
            question: question.to_string(),
            value,
        }
    }

    /// How many gave the number `n` for `question` (a scale).
    pub fn number(question: &str, n: i64) -> CountKey {
        CountKey {
            question: question.to_string(),
            value: format!("={n}"),
        }
    }

    /// Every key one response adds one to.
    pub fn of(answers: &Answers) -> Vec<CountKey> {
        let mut keys = vec![CountKey::responses()];
        for (q, a) in answers {
            keys.push(CountKey::answered(q));
            match a {
                Answer::Number(n) => keys.push(CountKey::number(q, *n)),
                Answer::Text(s) => keys.push(CountKey::option(q, s)),
                Answer::List(items) => keys.extend(items.iter().map(|s| CountKey::option(q, s))),
            }
        }
        keys
    }
}

/// Changes to the counts gathered in one transaction, applied together before it commits,
/// so a batch of answers to one call touches each of its count rows once.
#[derive(Debug, Default)]
pub struct Tally {
    deltas: HashMap<(String, CountKey), i64>,
}

impl Tally {
    /// Counts a stored response (`+1`) or a deleted one (`-1`).
    pub fn add(&mut self, call_id: &str, answers: &Answers, sign: i64) {
        for key in CountKey::of(answers) {
            *self.deltas.entry((call_id.to_string(), key)).or_default() += sign;
        }
    }

    /// How many rows applying this would touch; a caller flushes a long tally early.
    pub fn len(&self) -> usize {
        self.deltas.len()
    }

    /// The changes that change something, emptying the tally.
    pub fn drain(&mut self) -> impl Iterator<Item = (String, CountKey, i64)> + '_ {
        self.deltas
            .drain()
            .filter(|(_, d)| *d != 0)
            .map(|((call, key), d)| (call, key, d))
    }
}

/// A call's counts as a summary reads them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts(pub HashMap<CountKey, u64>);

impl Counts {
    /// The count of `key`; zero if nothing was counted under it.
    pub fn get(&self, key: &CountKey) -> u64 {
        self.0.get(key).copied().unwrap_or(0)
    }

    /// Counts `responses` one by one: what the kept counts must always equal.
    #[cfg(test)]
    pub fn recount<'a>(answers: impl IntoIterator<Item = &'a Answers>) -> Counts {
        let mut out = Counts::default();
        for a in answers {
            for key in CountKey::of(a) {
                *out.0.entry(key).or_default() += 1;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_is_counted_by_a_hash_never_by_its_words() {
        let mut answers = Answers::new();
        answers.insert("t".into(), Answer::Text("Mer lys langs sykkelveien".into()));
        answers.insert("n".into(), Answer::Number(-2));
        answers.insert(
            "many".into(),
            Answer::List(vec!["Is".into(), "Bakker".into()]),
        );
        let keys = CountKey::of(&answers);
        assert_eq!(keys.len(), 1 + 3 + 4);
        assert!(keys.contains(&CountKey::number("n", -2)));
        assert!(keys.contains(&CountKey::option("many", "Bakker")));
        let all = format!("{keys:?}");
        assert!(!all.contains("lys"), "{all}");
        assert_eq!(CountKey::option("t", "Is").value.len(), 33);
        assert_ne!(CountKey::option("t", "Is"), CountKey::option("t", "is"));
    }

    #[test]
    fn a_withdrawal_undoes_its_answer_in_the_same_tally() {
        let mut answers = Answers::new();
        answers.insert("pick".into(), Answer::Text("Ja".into()));
        let mut tally = Tally::default();
        tally.add("c", &answers, 1);
        tally.add("c", &answers, -1);
        assert_eq!(tally.drain().count(), 0);
    }
}
