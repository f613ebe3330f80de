//! Extra words for the search index, for two things pagefind does not do itself: residents
//! type Norwegian letters as ASCII ("ostensjo" for "Østensjø"), and they search for a part of
//! a compound ("transport" in "kollektivtransport"). Pure functions; the index stores their
//! output as hidden, searchable terms of each record.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};

use rayon::prelude::*;

/// Common nouns, so that parts of compounds are found even when the site never uses them alone.
const NOUNS_NB: &str = include_str!("nouns.nb.txt");

/// Words that are never a part of a compound: they make splits like `over|sikt` or `for|deling`
/// that find nothing a resident looks for.
const NOT_PARTS: &[&str] = &[
    "alle", "andre", "bare", "blant", "både", "denne", "dette", "disse", "eller", "etter", "fordi",
    "fram", "frem", "gjennom", "godt", "helt", "hver", "ikke", "inne", "innen", "langs", "mellom",
    "mest", "mange", "noen", "nede", "også", "oppe", "over", "rundt", "samme", "selv", "siden",
    "slik", "under", "uten", "ute", "utenfor", "innenfor", "foran", "hvor", "hvordan", "skal",
    "blir", "ble", "være", "vært", "kunne", "skulle", "ville",
];

/// Endings a compound's last part may have beyond a known word: `skole` + `ne` = `skolene`.
const ENDINGS: &[&str] = &[
    "e", "en", "er", "ene", "et", "a", "n", "r", "ne", "s", "t", "ens", "ets", "ers", "enes",
];

/// Letters that may join the parts of a compound: `universitet-s-kommunen`, `barn-e-hage`.
const JOINERS: &[&str] = &["", "s", "e"];

/// Shortest word that is split into parts, in characters.
const MIN_COMPOUND: usize = 7;
/// Longest word that is split; longer "words" are usually identifiers or links.
const MAX_COMPOUND: usize = 40;

/// True for the languages compounds are split in: Norwegian bokmål, nynorsk and `no`.
pub fn splits_compounds(lang: &str) -> bool {
    matches!(lang.split('-').next(), Some("nb" | "nn" | "no"))
}

/// The words of a text, lowercase: runs of letters and digits.
pub fn words(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(lowercase)
}

/// `word` in lower case, borrowed when it is already: most words of a text are, and a site's
/// text has millions of them.
fn lowercase(word: &str) -> Cow<'_, str> {
    let lower = |c: char| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || {
            let mut l = c.to_lowercase();
            l.next() == Some(c) && l.next().is_none()
        }
    };
    if word.chars().all(lower) {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(word.to_lowercase())
    }
}

/// How a word with `æ` or `ø` is typed without them: `østensjø` → `ostensjo`, `lærer` →
/// `laerer`; `None` for other words and for words shorter than three letters.
///
/// `å` becomes `a`, which pagefind does on its own (it strips what Unicode decomposes), so a
/// word whose only special letter is `å` needs nothing; `æ` and `ø` do not decompose. Other
/// spellings are left out on purpose: `æ` → `a` turns `være` into `vare` and `lære` into
/// `lare`, other words; `ø` → `oe` and `å` → `aa` are rare outside names.
pub fn folded(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    if lower.chars().count() < 3 || !lower.contains(['æ', 'ø']) {
        return None;
    }
    let mut f = String::with_capacity(lower.len() + 2);
    for c in lower.chars() {
        match c {
            'æ' => f.push_str("ae"),
            'ø' => f.push('o'),
            'å' => f.push('a'),
            c => f.push(c),
        }
    }
    Some(f)
}

/// The words compounds are split into: common nouns plus the words of the site's own text.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Curated nouns; three letters are enough for them (`vei`, `hus`).
    nouns: HashSet<String>,
    /// Words seen in the site's text; only four letters and more count.
    seen: HashSet<String>,
}

impl Vocabulary {
    /// The embedded Norwegian nouns and nothing else.
    pub fn norwegian() -> Vocabulary {
        let nouns = NOUNS_NB
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect();
        Vocabulary {
            nouns,
            seen: HashSet::new(),
        }
    }

    /// Adds words (lowercase) of the site's text.
    pub fn add_words<'a, I: IntoIterator<Item = &'a str>>(&mut self, words: I) {
        self.seen.extend(
            words
                .into_iter()
                .filter(|w| w.chars().count() >= 4 && !w.chars().any(|c| c.is_ascii_digit()))
                .map(str::to_string),
        );
    }

    /// A word that can stand as a part of a compound.
    fn known(&self, w: &str) -> bool {
        let found = match w.chars().count() {
            0..=2 => false,
            3 => self.nouns.contains(w),
            _ => self.nouns.contains(w) || self.seen.contains(w),
        };
        // Looked through only for words found: most pieces tried are not words at all.
        found && !NOT_PARTS.contains(&w)
    }

    /// A known word, or a known word with an ending: the last part of a compound.
    fn known_head(&self, w: &str) -> bool {
        self.known(w)
            || ENDINGS.iter().any(|e| {
                w.strip_suffix(e)
                    .is_some_and(|stem| stem.chars().count() >= 3 && self.known(stem))
            })
    }

    /// The parts of a compound as byte ranges of `word` (lowercase), joining letters left out;
    /// `None` unless it splits into at least two known words. Of several splits, the one with
    /// the fewest parts wins, then the one with the longest last part.
    pub fn split(&self, word: &str) -> Option<Vec<(usize, usize)>> {
        let n = word.chars().count();
        if !(MIN_COMPOUND..=MAX_COMPOUND).contains(&n) {
            return None;
        }
        let bounds: Vec<usize> = word
            .char_indices()
            .map(|(i, _)| i)
            .chain([word.len()])
            .collect();
        // best[k]: the best split of word[bounds[k]..], as (parts, last part's length, ranges).
        type Best = Option<(usize, usize, Vec<(usize, usize)>)>;
        let mut best: Vec<Best> = vec![None; bounds.len()];
        for k in (0..bounds.len() - 1).rev() {
            let start = bounds[k];
            let mut candidate: Best = None;
            let mut consider = |c: (usize, usize, Vec<(usize, usize)>)| {
                let better = match &candidate {
                    None => true,
                    Some((parts, last, _)) => c.0 < *parts || (c.0 == *parts && c.1 > *last),
                };
                if better {
                    candidate = Some(c);
                }
            };
            // The whole word as one part is a split only inside a longer word.
            if k > 0 && self.known_head(&word[start..]) {
                consider((1, word.len() - start, vec![(start, word.len())]));
            }
            for e in k + 1..bounds.len() - 1 {
                let end = bounds[e];
                if !self.known(&word[start..end]) {
                    continue;
                }
                for joiner in JOINERS {
                    if !word[end..].starts_with(joiner) {
                        continue;
                    }
                    let next = end + joiner.len();
                    let Some(nk) = bounds.iter().position(|&b| b == next) else {
                        continue;
                    };
                    if let Some((parts, last, ranges)) = &best[nk] {
                        let mut r = vec![(start, end)];
                        r.extend_from_slice(ranges);
                        consider((parts + 1, *last, r));
                    }
                }
            }
            best[k] = candidate;
        }
        best[0]
            .take()
            .filter(|(parts, _, _)| *parts >= 2)
            .map(|(_, _, r)| r)
    }

    /// What a compound adds to the index: its parts and every tail that starts at a part
    /// (`kollektivtransportplan` → `kollektiv`, `transport`, `plan`, `transportplan`).
    pub fn compound_terms(&self, word: &str) -> Vec<String> {
        let Some(parts) = self.split(word) else {
            return Vec::new();
        };
        let mut out: Vec<String> = parts.iter().map(|&(a, b)| word[a..b].to_string()).collect();
        for &(a, _) in parts.iter().skip(1).rev().skip(1) {
            out.push(word[a..].to_string());
        }
        out.dedup();
        out
    }
}

/// Extra terms for the records of one language: for each text (in parts, e.g. a title and a
/// body), the parts of its compounds (when a vocabulary is given; the texts' own words are
/// added to it) and the æø-free spelling of its words and of those parts, leaving out what
/// the text says already. Each distinct word is split and folded once for all texts.
/// Deterministic output.
pub fn extra_terms<'t, T>(texts: &'t [T], vocab: Option<Vocabulary>) -> Vec<Vec<String>>
where
    T: AsRef<[&'t str]> + Sync,
{
    // Each text's words, sorted and without repeats.
    let own: Vec<Vec<Cow<'t, str>>> = texts
        .par_iter()
        .map(|t| {
            let mut w: Vec<Cow<'t, str>> = t.as_ref().iter().flat_map(|p| words(p)).collect();
            w.sort_unstable();
            w.dedup();
            w
        })
        .collect();
    // A set per thread's share of the texts, then one: a million words at 10,000 pages.
    let distinct: HashSet<&str> = own
        .par_iter()
        .fold(HashSet::new, |mut set, words| {
            set.extend(words.iter().map(|w| w.as_ref()));
            set
        })
        .reduce(HashSet::new, |a, b| {
            let (mut big, small) = if a.len() < b.len() { (b, a) } else { (a, b) };
            big.extend(small);
            big
        });
    let splits: HashMap<&str, Vec<String>> = match vocab {
        Some(mut v) => {
            v.add_words(distinct.iter().copied());
            distinct
                .par_iter()
                .filter(|w| w.chars().count() >= MIN_COMPOUND)
                .map(|&w| (w, v.compound_terms(w)))
                .filter(|(_, t)| !t.is_empty())
                .collect()
        }
        None => HashMap::new(),
    };
    let parts: HashSet<&str> = splits.values().flatten().map(String::as_str).collect();
    let folds: HashMap<&str, String> = distinct
        .par_iter()
        .chain(parts.par_iter())
        .filter_map(|&w| Some((w, folded(w)?)))
        .collect();
    own.par_iter()
        .map(|own| {
            let mut extra: BTreeSet<&str> = BTreeSet::new();
            for w in own {
                if let Some(parts) = splits.get(w.as_ref()) {
                    extra.extend(parts.iter().map(String::as_str));
                }
            }
            let spelt: Vec<&str> = own
                .iter()
                .map(|w| w.as_ref())
                .chain(extra.iter().copied())
                .filter_map(|w| folds.get(w))
                .map(String::as_str)
                .collect();
            extra.extend(spelt);
            extra
                .into_iter()
                .filter(|w| own.binary_search_by(|o| o.as_ref().cmp(*w)).is_err())
                .map(str::to_string)
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab(site_text: &str) -> Vocabulary {
        let mut v = Vocabulary::norwegian();
        let w: Vec<Cow<str>> = words(site_text).collect();
        v.add_words(w.iter().map(|w| w.as_ref()));
        v
    }

    fn parts(v: &Vocabulary, word: &str) -> Vec<String> {
        v.split(word)
            .unwrap_or_default()
            .into_iter()
            .map(|(a, b)| word[a..b].to_string())
            .collect()
    }

    #[test]
    fn folding_spells_norwegian_letters_in_ascii() {
        assert_eq!(folded("Østensjø").as_deref(), Some("ostensjo"));
        assert_eq!(folded("lærer").as_deref(), Some("laerer"));
        assert_eq!(folded("Sæbøvågen").as_deref(), Some("saebovagen"));
        // `å` alone: pagefind folds it to `a` itself.
        assert_eq!(folded("Åsveien"), None);
        assert_eq!(folded("barnehage"), None);
        assert_eq!(folded("bø"), None);
    }

    #[test]
    fn compounds_split_into_known_words() {
        let v = vocab("");
        assert_eq!(parts(&v, "kollektivtransport"), ["kollektiv", "transport"]);
        assert_eq!(parts(&v, "barnehagen"), ["barn", "hagen"]);
        assert_eq!(parts(&v, "helsetjenester"), ["helse", "tjenester"]);
        assert_eq!(parts(&v, "sykkeltellinger"), ["sykkel", "tellinger"]);
        assert_eq!(parts(&v, "ungdomsskolene"), ["ungdom", "skolene"]);
        assert_eq!(parts(&v, "velferdsteknologi"), ["velferd", "teknologi"]);
        assert_eq!(parts(&v, "helsehus"), ["helse", "hus"]);
    }

    #[test]
    fn the_sites_own_words_count_as_parts() {
        // `byen` is no noun in the list (`by` is too short to be a part), but the site says it.
        let v = vocab("Trondheim er en forskningsby. Byen vokser.");
        assert_eq!(parts(&v, "forskningsbyen"), ["forskning", "byen"]);
        assert!(parts(&vocab(""), "forskningsbyen").is_empty());
    }

    #[test]
    fn function_words_and_short_words_are_not_parts() {
        let v = vocab("over sikt sikten for deling deler");
        assert!(
            parts(&v, "oversikten").is_empty(),
            "{:?}",
            parts(&v, "oversikten")
        );
        assert!(parts(&v, "fordeling").is_empty());
        // Too short to be worth splitting.
        assert!(v.split("bydel").is_none());
        // Not a compound of known words.
        assert!(v.split("trondheim").is_none());
        assert!(v.split("universitetet").is_none());
        assert!(v.split("tjenestene").is_none());
    }

    #[test]
    fn fewest_parts_win() {
        let v = vocab("sykkelvei sykkelveien nettet");
        assert_eq!(parts(&v, "sykkelveinettet"), ["sykkelvei", "nettet"]);
    }

    #[test]
    fn compound_terms_add_parts_and_tails() {
        let v = vocab("");
        assert_eq!(
            v.compound_terms("kollektivtransportplan"),
            ["kollektiv", "transport", "plan", "transportplan"]
        );
        assert_eq!(v.compound_terms("helsetjenester"), ["helse", "tjenester"]);
        assert!(v.compound_terms("kommune").is_empty());
    }

    #[test]
    fn words_are_lowercase_and_borrowed_when_they_were() {
        let w: Vec<Cow<str>> = words("Østensjø SKOLE, i ǅemal-gata 2026 ΟΔΟΣ").collect();
        assert_eq!(
            w,
            ["østensjø", "skole", "i", "ǆemal", "gata", "2026", "οδος"]
        );
        assert!(matches!(w[2], Cow::Borrowed(_)) && matches!(w[5], Cow::Borrowed(_)));
        assert!(matches!(w[0], Cow::Owned(_)), "Ø is upper case");
    }

    #[test]
    fn extra_terms_leave_out_what_the_text_says() {
        let texts = [
            ["Ny kollektivtransport", "i Østensjø. Transport er viktig."],
            ["Nothing Norwegian", "here"],
            ["Barnehagelærere", "og andre lærere"],
        ];
        let extra = extra_terms(&texts, Some(Vocabulary::norwegian()));
        assert_eq!(
            extra[0],
            ["kollektiv", "ostensjo"],
            "`transport` is in the text already"
        );
        assert!(extra[1].is_empty());
        // Parts are folded too; `lærere` is the site's own word, so it is a part.
        assert_eq!(extra[2], ["barnehage", "barnehagelaerere", "laerere"]);
        // Without a vocabulary (English), only folding.
        let extra = extra_terms(&[["The Østensjø school"]], None);
        assert_eq!(extra[0], ["ostensjo"]);
    }
}
