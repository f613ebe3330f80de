//! A resident's answers: reading them from a form post or a JSON post, and checking them
//! against the call's questions.
//!
//! Both ways in end in the same [`Submission`], so the two paths cannot drift apart: a plain
//! HTML form (one field per question, a multi-choice question repeating its field) and the
//! page script's JSON (`{"lang", "answers": {id: string | number | [string]}}`). Validation
//! collects every problem at once, so the form can show all of them next to their questions.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::calls::{Call, Question, QuestionKind};
use super::messages::Msg;

/// One answer as stored: choice answers hold the option's text in the call's canonical
/// language, so that answers given in any language are counted together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    Number(i64),
    Text(String),
    List(Vec<String>),
}

/// Answers by question id; unanswered optional questions are absent.
pub type Answers = BTreeMap<String, Answer>;

/// A value as it arrived, before it is checked against its question.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Str(String),
    Int(i64),
    /// A JSON array: only a multi-choice question takes one.
    List(Vec<Raw>),
    /// Anything JSON can say that no question accepts (a fraction, `true`, an object, …).
    Other,
}

/// What a post said, whichever way it came.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Submission {
    pub lang: Option<String>,
    /// The honeypot: a field residents never see and bots fill in.
    pub website: Option<String>,
    pub form_token: Option<String>,
    /// Values by field name, in the order they came; a field may repeat.
    pub values: Vec<(String, Vec<Raw>)>,
    /// Whether names that are not questions are problems (JSON) or ignored (forms: a changed
    /// template must not lock residents out).
    pub strict: bool,
}

/// Why a post could not even be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    NotUtf8,
    MalformedJson,
}

/// Field names in a form post that are not questions.
const META_FIELDS: [&str; 3] = ["lang", "website", "form_token"];

/// Reads `application/x-www-form-urlencoded`. Unlike the usual lossy decoders this refuses
/// bytes that are not UTF-8, so a mis-encoded answer is refused rather than stored garbled.
pub fn parse_form(body: &[u8]) -> Result<Submission, Unreadable> {
    let mut sub = Submission::default();
    // Where each name's values are, so a body of many names is read in linear time.
    let mut index: HashMap<String, usize> = HashMap::new();
    for (name, value) in form_pairs(body)? {
        match name.as_str() {
            "lang" => sub.lang = Some(value),
            "website" => sub.website = Some(value),
            "form_token" => sub.form_token = Some(value),
            _ => match index.get(&name) {
                Some(&i) => sub.values[i].1.push(Raw::Str(value)),
                None => {
                    index.insert(name.clone(), sub.values.len());
                    sub.values.push((name, vec![Raw::Str(value)]));
                }
            },
        }
    }
    Ok(sub)
}

/// Splits an urlencoded body into decoded name/value pairs.
pub fn form_pairs(body: &[u8]) -> Result<Vec<(String, String)>, Unreadable> {
    let mut pairs = Vec::new();
    for part in body.split(|&b| b == b'&') {
        if part.is_empty() {
            continue;
        }
        let (name, value) = match part.iter().position(|&b| b == b'=') {
            Some(i) => (&part[..i], &part[i + 1..]),
            None => (part, &[][..]),
        };
        pairs.push((decode(name)?, decode(value)?));
    }
    Ok(pairs)
}

fn decode(s: &[u8]) -> Result<String, Unreadable> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < s.len() => {
                match (hex(s[i + 1]), hex(s[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push(h << 4 | l);
                        i += 2;
                    }
                    // A stray `%` stays as it is, as browsers and the URL standard do.
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| Unreadable::NotUtf8)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonPost {
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    website: Option<String>,
    #[serde(default)]
    form_token: Option<String>,
    answers: JsonAnswers,
}

/// Reads the page script's JSON: `{"lang": "nb", "answers": {...}, "website": "", "form_token": "..."}`.
/// An object that repeats a key anywhere is malformed: which of the two would be the answer?
pub fn parse_json(body: &[u8]) -> Result<Submission, Unreadable> {
    if std::str::from_utf8(body).is_err() {
        return Err(Unreadable::NotUtf8);
    }
    let post: JsonPost = serde_json::from_slice(body).map_err(|_| Unreadable::MalformedJson)?;
    Ok(Submission {
        lang: post.lang,
        website: post.website,
        form_token: post.form_token,
        values: post.answers.0,
        strict: true,
    })
}

/// `answers`: values by question id in the order they came, each key once.
struct JsonAnswers(Vec<(String, Vec<Raw>)>);

/// One JSON value as a [`Raw`]; `None` for `null`.
struct JsonValue(Option<Raw>);

impl<'de> Deserialize<'de> for JsonAnswers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = JsonAnswers;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of answers by question id")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<JsonAnswers, A::Error> {
                let values = each_key_once(map)?
                    .into_iter()
                    .map(|(name, JsonValue(raw))| (name, raw.into_iter().collect()))
                    .collect();
                Ok(JsonAnswers(values))
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for JsonValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = JsonValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<JsonValue, E> {
                Ok(JsonValue(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<JsonValue, E> {
                Ok(JsonValue(Some(Raw::Other)))
            }
            fn visit_i64<E>(self, n: i64) -> Result<JsonValue, E> {
                Ok(JsonValue(Some(Raw::Int(n))))
            }
            fn visit_u64<E>(self, n: u64) -> Result<JsonValue, E> {
                Ok(JsonValue(Some(
                    i64::try_from(n).map_or(Raw::Other, Raw::Int),
                )))
            }
            fn visit_f64<E>(self, _: f64) -> Result<JsonValue, E> {
                Ok(JsonValue(Some(Raw::Other)))
            }
            fn visit_str<E>(self, s: &str) -> Result<JsonValue, E> {
                Ok(JsonValue(Some(Raw::Str(s.to_owned()))))
            }
            fn visit_string<E>(self, s: String) -> Result<JsonValue, E> {
                Ok(JsonValue(Some(Raw::Str(s))))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonValue, A::Error> {
                let mut items = Vec::new();
                while let Some(JsonValue(item)) = seq.next_element()? {
                    items.push(item.unwrap_or(Raw::Other));
                }
                Ok(JsonValue(Some(Raw::List(items))))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<JsonValue, A::Error> {
                each_key_once(map)?;
                Ok(JsonValue(Some(Raw::Other)))
            }
        }
        d.deserialize_any(V)
    }
}

/// An object's entries in order, refusing one whose key came before.
fn each_key_once<'de, A: MapAccess<'de>>(mut map: A) -> Result<Vec<(String, JsonValue)>, A::Error> {
    let mut seen = HashSet::new();
    let mut entries = Vec::new();
    while let Some(key) = map.next_key::<String>()? {
        if !seen.insert(key.clone()) {
            return Err(de::Error::custom(format!("`{key}` is repeated")));
        }
        entries.push((key, map.next_value()?));
    }
    Ok(entries)
}

/// A problem with one question's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub question: String,
    pub msg: Msg<'static>,
}

/// Checks a submission against the call's questions, in the language `lang` (already one of
/// the call's languages). Returns the answers to store, or every problem found.
pub fn validate(call: &Call, lang: &str, sub: &Submission) -> Result<Answers, Vec<Problem>> {
    let mut answers = Answers::new();
    let mut problems = Vec::new();
    for (name, _) in &sub.values {
        if sub.strict && call.question(name).is_none() && !META_FIELDS.contains(&name.as_str()) {
            problems.push(Problem {
                question: name.clone(),
                msg: Msg::NoSuchQuestion,
            });
        }
    }
    let by_name: HashMap<&str, &[Raw]> = sub
        .values
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    for q in &call.questions {
        let raws: &[Raw] = by_name.get(q.id.as_str()).copied().unwrap_or(&[]);
        match check(call, q, lang, raws) {
            Ok(Some(a)) => {
                answers.insert(q.id.clone(), a);
            }
            Ok(None) if q.required => problems.push(Problem {
                question: q.id.clone(),
                msg: Msg::Required,
            }),
            Ok(None) => {}
            Err(msg) => problems.push(Problem {
                question: q.id.clone(),
                msg,
            }),
        }
    }
    if problems.is_empty() {
        Ok(answers)
    } else {
        Err(problems)
    }
}

/// Whether a raw value says nothing (an empty text box, an unchosen select, `[]`).
fn blank(r: &Raw) -> bool {
    match r {
        Raw::Str(s) => s.trim().is_empty(),
        Raw::List(items) => items.iter().all(blank),
        _ => false,
    }
}

/// How many answers a raw value gives: a JSON array gives each of its items.
fn count(r: &Raw) -> usize {
    match r {
        Raw::List(items) => items.iter().filter(|i| !blank(i)).count(),
        _ => 1,
    }
}

fn check(
    call: &Call,
    q: &Question,
    lang: &str,
    raws: &[Raw],
) -> Result<Option<Answer>, Msg<'static>> {
    let given: Vec<&Raw> = raws.iter().filter(|r| !blank(r)).collect();
    match q.kind {
        QuestionKind::Multichoice => {
            let opts = call.canonical_options(q);
            let mut chosen = vec![false; opts.len()];
            let items = given.iter().flat_map(|r| match r {
                Raw::List(items) => items.iter().filter(|i| !blank(i)).collect(),
                r => vec![*r],
            });
            for r in items {
                let Raw::Str(s) = r else {
                    return Err(Msg::NotAnOption);
                };
                let i = call.option_index(q, lang, s).ok_or(Msg::NotAnOption)?;
                chosen[i] = true;
            }
            let list: Vec<String> = opts
                .iter()
                .zip(&chosen)
                .filter(|(_, c)| **c)
                .map(|(o, _)| o.clone())
                .collect();
            Ok((!list.is_empty()).then_some(Answer::List(list)))
        }
        // A one-item array is still the wrong shape: each kind below refuses it.
        _ if given.iter().map(|r| count(r)).sum::<usize>() > 1 => Err(Msg::OnlyOne),
        _ if given.is_empty() => Ok(None),
        QuestionKind::Text | QuestionKind::Longtext => {
            let Raw::Str(s) = given[0] else {
                return Err(Msg::MustBeText);
            };
            // Browsers send a textarea's line breaks as CRLF but count them as one character
            // against `maxlength`; count (and keep) them as the resident saw them.
            let s = s.replace("\r\n", "\n");
            let chars = s.chars().count();
            let max = q.max_chars();
            if chars > max {
                return Err(Msg::TooLong { chars, max });
            }
            Ok(Some(Answer::Text(s)))
        }
        QuestionKind::Choice => {
            let Raw::Str(s) = given[0] else {
                return Err(Msg::NotAnOption);
            };
            let i = call.option_index(q, lang, s).ok_or(Msg::NotAnOption)?;
            let opts = call.canonical_options(q);
            Ok(Some(Answer::Text(opts[i].clone())))
        }
        QuestionKind::Scale => {
            let (min, max) = q.scale();
            let n = match given[0] {
                Raw::Int(n) => Some(*n),
                Raw::Str(s) => s.trim().parse::<i64>().ok(),
                Raw::List(_) | Raw::Other => None,
            };
            match n {
                Some(n) if (min..=max).contains(&n) => Ok(Some(Answer::Number(n))),
                _ => Err(Msg::NotInScale { min, max }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls_json::sample::{choice, required, scale, text};
    use crate::feedback::calls::sample_call;

    fn call() -> std::sync::Arc<Call> {
        sample_call(vec![
            required(choice("pick", false, &["Yes", "No"], &["Ja", "Nei"])),
            choice("many", true, &["A", "B", "C"], &["Æ", "Ø", "Å"]),
            required(scale("n", 1, 5)),
            text("t", false, Some(5)),
            text("long", true, Some(10000)),
        ])
    }

    #[test]
    fn a_form_post_in_english_is_stored_in_the_canonical_language() {
        let sub = parse_form(b"lang=en&website=&pick=No&many=C&many=A&n=4&t=hi+yo&long=").unwrap();
        let answers = validate(&call(), "en", &sub).unwrap();
        assert_eq!(answers["pick"], Answer::Text("Nei".into()));
        assert_eq!(answers["many"], Answer::List(vec!["Æ".into(), "Å".into()]));
        assert_eq!(answers["n"], Answer::Number(4));
        assert_eq!(answers["t"], Answer::Text("hi yo".into()));
        assert!(!answers.contains_key("long"), "a blank answer is no answer");
        assert_eq!(sub.lang.as_deref(), Some("en"));
    }

    #[test]
    fn percent_escapes_must_decode_to_utf8() {
        let sub = parse_form("pick=P%C3%A5+nett%".as_bytes()).unwrap();
        assert_eq!(sub.values[0].1, vec![Raw::Str("På nett%".into())]);
        assert_eq!(parse_form(b"t=%FF%FE"), Err(Unreadable::NotUtf8));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let sub = parse_json(
            r#"{"lang":"nb","answers":{"pick":"Kanskje","many":["Æ",3],"n":6,"t":"seks tegn","nope":1}}"#.as_bytes(),
        )
        .unwrap();
        let problems = validate(&call(), "nb", &sub).unwrap_err();
        let got: Vec<(&str, &Msg)> = problems
            .iter()
            .map(|p| (p.question.as_str(), &p.msg))
            .collect();
        assert_eq!(
            got,
            vec![
                ("nope", &Msg::NoSuchQuestion),
                ("pick", &Msg::NotAnOption),
                ("many", &Msg::NotAnOption),
                ("n", &Msg::NotInScale { min: 1, max: 5 }),
                ("t", &Msg::TooLong { chars: 9, max: 5 }),
            ]
        );
    }

    #[test]
    fn crlf_counts_as_one_character_as_in_the_browser() {
        let sub = parse_form(b"pick=Ja&n=1&t=ab%0D%0Acd").unwrap();
        let answers = validate(&call(), "nb", &sub).unwrap();
        assert_eq!(answers["t"], Answer::Text("ab\ncd".into()));
    }

    #[test]
    fn json_values_of_the_wrong_shape_are_problems_not_errors() {
        let sub = parse_json(br#"{"answers":{"pick":["Ja","Nei"],"n":2.5,"t":7}}"#).unwrap();
        let problems = validate(&call(), "nb", &sub).unwrap_err();
        let msgs: Vec<_> = problems.iter().map(|p| p.msg.clone()).collect();
        assert_eq!(
            msgs,
            vec![
                Msg::OnlyOne,
                Msg::NotInScale { min: 1, max: 5 },
                Msg::MustBeText
            ]
        );
        assert_eq!(
            parse_json(br#"{"answers":{}, "extra":1}"#),
            Err(Unreadable::MalformedJson)
        );
        assert_eq!(
            parse_json(b"{\"answers\":{\"t\":\"\xff\"}}"),
            Err(Unreadable::NotUtf8)
        );
    }

    #[test]
    fn answers_round_trip_through_their_stored_json() {
        let mut a = Answers::new();
        a.insert("n".into(), Answer::Number(3));
        a.insert("t".into(), Answer::Text("x".into()));
        a.insert("m".into(), Answer::List(vec!["Æ".into()]));
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, r#"{"m":["Æ"],"n":3,"t":"x"}"#);
        assert_eq!(serde_json::from_str::<Answers>(&json).unwrap(), a);
    }
}

/// Properties over many generated posts: reading never panics, encoding round-trips, and any
/// well-formed set of answers is accepted in either language and stored the same way.
#[cfg(test)]
mod props {
    use super::*;
    use crate::calls_json::sample::{choice, required, scale, text};
    use crate::feedback::calls::sample_call;
    use proptest::prelude::*;

    fn call() -> std::sync::Arc<Call> {
        sample_call(vec![
            required(choice(
                "pick",
                false,
                &["Yes", "No", "Maybe"],
                &["Ja", "Nei", "Kanskje"],
            )),
            choice("many", true, &["A", "B", "C", "D"], &["Æ", "Ø", "Å", "D"]),
            required(scale("n", -3, 3)),
            text("t", false, Some(40)),
        ])
    }

    fn enc(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                    (b as char).to_string()
                }
                b' ' => "+".into(),
                b => format!("%{b:02X}"),
            })
            .collect()
    }

    proptest! {
        #[test]
        fn reading_any_bytes_never_panics(body in proptest::collection::vec(any::<u8>(), 0..512)) {
            let call = call();
            if let Ok(sub) = parse_form(&body) {
                let _ = validate(&call, "nb", &sub);
            }
            if let Ok(sub) = parse_json(&body) {
                let _ = validate(&call, "en", &sub);
            }
        }

        #[test]
        fn form_encoding_round_trips(pairs in proptest::collection::vec(("[a-z]{1,8}", any::<String>()), 0..8)) {
            let body: Vec<String> = pairs.iter().map(|(n, v)| format!("{}={}", enc(n), enc(v))).collect();
            let decoded = form_pairs(body.join("&").as_bytes()).unwrap();
            prop_assert_eq!(decoded, pairs);
        }

        #[test]
        fn well_formed_answers_are_accepted_in_either_language_and_stored_alike(
            pick in 0usize..3,
            many in proptest::collection::btree_set(0usize..4, 0..4),
            n in -3i64..=3,
            t in "[^\r]{0,40}",
            english in any::<bool>(),
            as_json in any::<bool>(),
        ) {
            let call = call();
            let lang = if english { "en" } else { "nb" };
            let q = |id: &str| call.question(id).unwrap();
            let opt = |id: &str, i: usize| q(id).options[lang][i].clone();
            let sub = if as_json {
                let body = serde_json::json!({"lang": lang, "answers": {
                    "pick": opt("pick", pick),
                    "many": many.iter().map(|i| opt("many", *i)).collect::<Vec<_>>(),
                    "n": n,
                    "t": t,
                }});
                parse_json(body.to_string().as_bytes()).unwrap()
            } else {
                let mut fields = vec![format!("lang={lang}"), format!("pick={}", enc(&opt("pick", pick))), format!("n={n}"), format!("t={}", enc(&t))];
                fields.extend(many.iter().map(|i| format!("many={}", enc(&opt("many", *i)))));
                parse_form(fields.join("&").as_bytes()).unwrap()
            };
            let answers = validate(&call, lang, &sub).unwrap();
            prop_assert_eq!(&answers["pick"], &Answer::Text(q("pick").options["nb"][pick].clone()));
            prop_assert_eq!(&answers["n"], &Answer::Number(n));
            let many_nb: Vec<String> = many.iter().map(|i| q("many").options["nb"][*i].clone()).collect();
            let many_given = (!many_nb.is_empty()).then_some(Answer::List(many_nb));
            prop_assert_eq!(answers.get("many"), many_given.as_ref());
            let t_given = (!t.trim().is_empty()).then(|| Answer::Text(t.clone()));
            prop_assert_eq!(answers.get("t"), t_given.as_ref());
        }
    }
}
