//! Languages and their UI strings: `i18n/<lang>.toml`, plural forms, dates and times.
//!
//! Everything a language needs lives in its i18n file (words, month names, date patterns), so a
//! new language needs only configuration, an i18n file and content. Torget embeds the files for
//! `nb` and `en`; a site's own file overrides them key by key.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::ZonedDateTime as Zoned;
use jiff::civil::Date;

use crate::diag::{Diagnostic, Source};
use crate::fsx;
use crate::messages::Text;

/// Embedded UI strings, keyed by language code.
const EMBEDDED: &[(&str, &str)] = &[
    ("nb", include_str!("../i18n/nb.toml")),
    ("en", include_str!("../i18n/en.toml")),
];

/// The language whose embedded file defines the set of keys every language must have.
const REFERENCE: &str = "nb";

/// A UI string: plain, or one form per plural category.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Text(String),
    Plural(BTreeMap<String, String>),
    List(Vec<String>),
}

/// The UI strings of one language.
#[derive(Debug, Clone)]
pub struct Strings {
    pub lang: String,
    messages: BTreeMap<String, Message>,
}

/// The UI strings of all of a site's languages.
#[derive(Debug, Clone)]
pub struct I18n {
    by_lang: BTreeMap<String, Strings>,
}

impl I18n {
    /// Loads the strings for `langs`: embedded defaults overlaid with `<root>/i18n/<lang>.toml`.
    /// A language that ends up without a key the theme uses is an error naming key and language.
    pub fn load(root: &Path, langs: &[String]) -> Result<I18n, Vec<Diagnostic>> {
        let reference = parse_embedded(REFERENCE);
        let mut by_lang = BTreeMap::new();
        let mut problems = Vec::new();
        for lang in langs {
            let mut messages = EMBEDDED
                .iter()
                .find(|(code, _)| code == lang)
                .map(|_| parse_embedded(lang))
                .unwrap_or_default();
            let rel = Path::new("i18n").join(format!("{lang}.toml"));
            let path = root.join(&rel);
            let site_file = path.exists();
            if site_file {
                match fsx::read_to_string(&path) {
                    Ok(text) => match parse(&Source::new(&rel, text)) {
                        Ok(own) => messages.extend(own),
                        Err(d) => {
                            problems.push(d);
                            continue;
                        }
                    },
                    Err(e) => {
                        problems
                            .push(Diagnostic::error(&rel, "").says(
                                Text::new("files-cannot-read").arg("problem", e.to_string()),
                            ));
                        continue;
                    }
                }
            } else if messages.is_empty() {
                problems.push(
                    Diagnostic::error(&rel, "").says(
                        Text::new("i18n-no-strings")
                            .arg("lang", lang)
                            .arg("file", rel.display().to_string()),
                    ),
                );
                continue;
            }
            for key in reference.keys() {
                if !messages.contains_key(key) {
                    problems.push(
                        Diagnostic::error(&rel, "").says(
                            Text::new("i18n-missing-key")
                                .arg("key", key)
                                .arg("lang", lang)
                                .arg("file", rel.display().to_string()),
                        ),
                    );
                }
            }
            by_lang.insert(
                lang.clone(),
                Strings {
                    lang: lang.clone(),
                    messages,
                },
            );
        }
        if problems.is_empty() {
            Ok(I18n { by_lang })
        } else {
            Err(problems)
        }
    }

    pub fn strings(&self, lang: &str) -> &Strings {
        self.by_lang
            .get(lang)
            .unwrap_or_else(|| panic!("language `{lang}` was not loaded"))
    }
}

fn parse_embedded(lang: &str) -> BTreeMap<String, Message> {
    let (_, text) = EMBEDDED
        .iter()
        .find(|(c, _)| *c == lang)
        .expect("embedded language");
    parse(&Source::new(format!("i18n/{lang}.toml"), *text))
        .unwrap_or_else(|e| panic!("embedded i18n/{lang}.toml is invalid: {e}"))
}

/// Parses an i18n file into dotted keys. A table whose keys are all plural categories is one
/// plural message; other tables nest.
fn parse(source: &Source) -> Result<BTreeMap<String, Message>, Diagnostic> {
    let table: toml::Table = toml::from_str(&source.text).map_err(|e| {
        source
            .error(e.span().map_or(0, |s| s.start), "")
            .says(Text::new("i18n-unreadable").arg("problem", e.message().trim().to_string()))
    })?;
    let mut out = BTreeMap::new();
    flatten("", &table, &mut out).map_err(|key| {
        Diagnostic::error(&source.path, "").says(Text::new("i18n-bad-value").arg("key", key))
    })?;
    Ok(out)
}

const PLURAL_CATEGORIES: &[&str] = &["zero", "one", "two", "few", "many", "other"];

fn flatten(
    prefix: &str,
    table: &toml::Table,
    out: &mut BTreeMap<String, Message>,
) -> Result<(), String> {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::String(s) => {
                out.insert(key, Message::Text(s.clone()));
            }
            toml::Value::Array(items) => {
                let list = items
                    .iter()
                    .map(|i| i.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| key.clone())?;
                out.insert(key, Message::List(list));
            }
            toml::Value::Table(t)
                if t.contains_key("other")
                    && t.iter()
                        .all(|(k, v)| PLURAL_CATEGORIES.contains(&k.as_str()) && v.is_str()) =>
            {
                let forms = t
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()));
                out.insert(key, Message::Plural(forms.collect()));
            }
            toml::Value::Table(t) => flatten(&key, t, out)?,
            _ => return Err(key),
        }
    }
    Ok(())
}

/// CLDR plural category of a whole number for a language. Languages not listed use the rule
/// shared by Norwegian, English, Swedish, Danish and German: `one` for 1, else `other`.
pub fn plural_category(lang: &str, n: i64) -> &'static str {
    let base = lang.split('-').next().unwrap_or(lang);
    match base {
        // Sámi languages have a dual.
        "se" | "sma" | "smj" | "smn" | "sms" => match n {
            1 => "one",
            2 => "two",
            _ => "other",
        },
        _ => {
            if n == 1 {
                "one"
            } else {
                "other"
            }
        }
    }
}

impl Strings {
    /// The text of `key`, with `{name}` placeholders filled from `args`.
    pub fn get(&self, key: &str, args: &[(&str, &str)]) -> Result<String, String> {
        match self.messages.get(key) {
            Some(Message::Text(s)) => Ok(fill(s, args)),
            Some(Message::Plural(forms)) => Ok(fill(&forms["other"], args)),
            Some(Message::List(_)) => Err(format!("i18n key `{key}` is a list, not a text")),
            None => Err(self.missing(key)),
        }
    }

    /// `n` as the language writes it: `10 000` (a no-break space) in Norwegian and other
    /// languages from five digits, `10,000` in English from four.
    pub fn number(&self, n: i64) -> String {
        let english = self.lang == "en" || self.lang.starts_with("en-");
        let (sep, from) = if english {
            (',', 1000)
        } else {
            ('\u{a0}', 10_000)
        };
        let digits = n.unsigned_abs().to_string();
        if n.unsigned_abs() < from {
            return n.to_string();
        }
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        if n < 0 { format!("-{out}") } else { out }
    }

    /// The plural form of `key` for `n`; `{n}` in it becomes the number, written as the
    /// language writes numbers.
    pub fn plural(&self, key: &str, n: i64, args: &[(&str, &str)]) -> Result<String, String> {
        let n_text = self.number(n);
        let mut all = vec![("n", n_text.as_str())];
        all.extend_from_slice(args);
        match self.messages.get(key) {
            Some(Message::Plural(forms)) => {
                let cat = plural_category(&self.lang, n);
                let form = forms.get(cat).unwrap_or(&forms["other"]);
                Ok(fill(form, &all))
            }
            Some(Message::Text(s)) => Ok(fill(s, &all)),
            Some(Message::List(_)) => Err(format!("i18n key `{key}` is a list, not a text")),
            None => Err(self.missing(key)),
        }
    }

    /// The forms of a plural message by category (`one`, `other`…), with `{n}` left in, for
    /// scripts that count in the browser; a plain text counts as `other`.
    pub fn plural_forms(&self, key: &str) -> BTreeMap<String, String> {
        match self.messages.get(key) {
            Some(Message::Plural(forms)) => forms.clone(),
            Some(Message::Text(s)) => BTreeMap::from([("other".to_string(), s.clone())]),
            _ => BTreeMap::new(),
        }
    }

    /// Every plain text under `table` (`endpoint` → `closed`, `too_long` …), placeholders
    /// left in, for what takes the strings out of the build (the feedback endpoint).
    pub fn table(&self, table: &str) -> BTreeMap<String, String> {
        let prefix = format!("{table}.");
        self.messages
            .iter()
            .filter_map(|(key, m)| match (key.strip_prefix(&prefix), m) {
                (Some(name), Message::Text(text)) => Some((name.to_string(), text.clone())),
                _ => None,
            })
            .collect()
    }

    fn list(&self, key: &str) -> &[String] {
        match self.messages.get(key) {
            Some(Message::List(l)) => l,
            _ => &[],
        }
    }

    fn missing(&self, key: &str) -> String {
        format!(
            "missing i18n key `{key}` for language `{}`; add it to i18n/{}.toml",
            self.lang, self.lang
        )
    }

    /// "11. januar 2018" / "11 January 2018".
    pub fn date(&self, d: Date) -> String {
        let month = self
            .list("date.months")
            .get(d.month() as usize - 1)
            .cloned()
            .unwrap_or_default();
        self.get(
            "date.date",
            &[
                ("day", &d.day().to_string()),
                ("month", &month),
                ("year", &d.year().to_string()),
            ],
        )
        .unwrap_or_else(|_| d.to_string())
    }

    /// "kl. 18.00" / "6:00 pm"-free 24-hour "18:00", per the language's pattern.
    pub fn time(&self, z: &Zoned) -> String {
        self.get(
            "date.time",
            &[
                ("hour", &format!("{:02}", z.hour())),
                ("minute", &format!("{:02}", z.minute())),
            ],
        )
        .unwrap_or_else(|_| z.strftime("%H:%M").to_string())
    }

    pub fn weekday(&self, d: Date) -> String {
        let i = d.weekday().to_monday_zero_offset() as usize;
        self.list("date.weekdays")
            .get(i)
            .cloned()
            .unwrap_or_default()
    }

    /// "torsdag 3. desember 2026 kl. 18.00".
    pub fn datetime(&self, z: &Zoned) -> String {
        self.get(
            "date.datetime",
            &[
                ("weekday", &self.weekday(z.date())),
                ("date", &self.date(z.date())),
                ("time", &self.time(z)),
            ],
        )
        .unwrap_or_else(|_| z.to_string())
    }

    /// A time span: "3. desember 2026 kl. 18.00–20.00", or two full date-times across days.
    pub fn span(&self, start: &Zoned, end: &Zoned) -> String {
        if start.date() == end.date() {
            // Word joiners: "18:00–20:30" never wraps at its dash.
            format!(
                "{}\u{2060}–\u{2060}{}",
                self.datetime(start),
                self.time_digits(end)
            )
        } else {
            format!("{} – {}", self.datetime(start), self.datetime(end))
        }
    }

    fn time_digits(&self, z: &Zoned) -> String {
        self.get(
            "date.time_short",
            &[
                ("hour", &format!("{:02}", z.hour())),
                ("minute", &format!("{:02}", z.minute())),
            ],
        )
        .unwrap_or_else(|_| z.strftime("%H:%M").to_string())
    }
}

fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(langs: &[&str]) -> I18n {
        let langs: Vec<String> = langs.iter().map(|s| s.to_string()).collect();
        I18n::load(Path::new("/nonexistent"), &langs).unwrap()
    }

    #[test]
    fn dates_read_naturally_in_each_language() {
        let i = load(&["nb", "en"]);
        let d = jiff::civil::date(2018, 1, 11);
        assert_eq!(i.strings("nb").date(d), "11. januar 2018");
        assert_eq!(i.strings("en").date(d), "11 January 2018");
    }

    #[test]
    fn times_are_in_the_language_pattern() {
        let i = load(&["nb", "en"]);
        let z = jiff::civil::date(2026, 12, 3)
            .at(18, 0, 0, 0)
            .in_tz("Europe/Oslo")
            .unwrap();
        assert_eq!(
            i.strings("nb").datetime(&z),
            "torsdag 3. desember 2026 kl. 18.00"
        );
        assert_eq!(
            i.strings("en").datetime(&z),
            "Thursday 3 December 2026, 18:00"
        );
    }

    #[test]
    fn plurals_follow_the_count() {
        let i = load(&["nb", "en"]);
        assert_eq!(
            i.strings("nb").plural("count.calls", 1, &[]).unwrap(),
            "1 innspill"
        );
        assert_eq!(
            i.strings("nb").plural("count.calls", 3, &[]).unwrap(),
            "3 innspill"
        );
        assert_eq!(
            i.strings("en").plural("count.responses", 1, &[]).unwrap(),
            "1 response"
        );
        assert_eq!(
            i.strings("en").plural("count.responses", 3, &[]).unwrap(),
            "3 responses"
        );
    }

    /// "Inntil 10000 tegn": numbers were written without the language's grouping.
    #[test]
    fn numbers_are_grouped_as_each_language_writes_them() {
        let i = load(&["nb", "en"]);
        assert_eq!(
            i.strings("nb")
                .plural("form.max_chars", 10_000, &[])
                .unwrap(),
            "Inntil 10\u{a0}000 tegn."
        );
        assert_eq!(i.strings("nb").number(2000), "2000");
        assert_eq!(i.strings("nb").number(-1_234_567), "-1\u{a0}234\u{a0}567");
        assert_eq!(i.strings("en").number(2000), "2,000");
        assert_eq!(i.strings("en").number(999), "999");
    }

    #[test]
    fn a_language_without_strings_is_an_error() {
        let e = I18n::load(Path::new("/nonexistent"), &["nn".to_string()]).unwrap_err();
        assert!(
            e[0].message.contains("no UI strings for language `nn`"),
            "{}",
            e[0]
        );
    }

    #[test]
    fn sami_has_a_dual() {
        assert_eq!(plural_category("se", 2), "two");
        assert_eq!(plural_category("nb", 2), "other");
    }
}
