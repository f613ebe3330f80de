//! The catalogues are complete: the same messages, attributes and values in both languages,
//! and every id the code uses is in them.

use std::collections::{BTreeMap, BTreeSet};

use super::*;

/// Each message of a catalogue as `id` or `id.attribute`, with the values it puts in (on any of
/// its lines, in any variant).
fn entries(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut id = String::new();
    let mut current = String::new();
    for line in lang.catalogue().lines() {
        if let Some(attr) = line.trim_start().strip_prefix('.')
            && line.starts_with(' ')
        {
            current = format!("{id}.{}", attr.split('=').next().unwrap_or("").trim());
        } else if line.starts_with(|c: char| c.is_ascii_lowercase()) {
            id = line.split('=').next().unwrap_or("").trim().to_string();
            current = id.clone();
        } else if !line.starts_with(' ') {
            continue; // a comment or a blank line
        }
        let values = line.split("{$").skip(1).map(|v| {
            v.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect::<String>()
        });
        out.entry(current.clone()).or_default().extend(values);
    }
    out
}

#[test]
fn both_catalogues_have_the_same_messages_with_the_same_values() {
    let nb = entries(Lang::Nb);
    let en = entries(Lang::En);
    let only_nb: Vec<_> = nb.keys().filter(|k| !en.contains_key(*k)).collect();
    let only_en: Vec<_> = en.keys().filter(|k| !nb.contains_key(*k)).collect();
    assert!(
        only_nb.is_empty() && only_en.is_empty(),
        "missing in locales/en: {only_nb:?}; missing in locales/nb: {only_en:?}"
    );
    for (id, values) in &nb {
        assert_eq!(
            Some(values),
            en.get(id),
            "`{id}` puts in other values in nb than in en"
        );
    }
    assert!(nb.len() > 10, "{nb:?}");
}

/// Every id given to `Text::new` in `src/`, with the file that says it.
fn ids_in_code() -> BTreeMap<String, String> {
    let mut ids = BTreeMap::new();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for part in text.split("Text::new(\"").skip(1) {
            let id = part.split('"').next().unwrap();
            ids.insert(id.to_string(), entry.path().display().to_string());
        }
    }
    ids
}

#[test]
fn every_message_the_code_says_is_in_both_catalogues() {
    let ids = ids_in_code();
    assert!(ids.len() > 10, "{ids:?}");
    for lang in Lang::ALL {
        let catalogue = entries(lang);
        for (id, file) in &ids {
            assert!(
                catalogue.contains_key(id),
                "{file} says `{id}`, which locales/{}/torget.ftl lacks",
                lang.code()
            );
        }
    }
}

#[test]
fn a_message_is_said_with_its_values_in_either_language() {
    let text = Text::new("date-no-such-month")
        .arg("key", "start")
        .arg("written", "2026-13-45")
        .arg("month", 13_i64);
    assert_eq!(
        text.say(Lang::En),
        "`start = 2026-13-45`: there is no month 13"
    );
    assert_eq!(
        text.say(Lang::Nb),
        "`start = 2026-13-45`: det finnes ingen måned 13"
    );
    assert!(text.help(Lang::Nb).unwrap().contains("år-måned-dag"));
}

#[test]
fn the_language_comes_from_torget_lang_then_the_locale() {
    let lang = |vars: &[(&str, &str)]| {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Lang::from_vars(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    };
    assert_eq!(lang(&[]), Lang::En);
    assert_eq!(lang(&[("LANG", "nb_NO.UTF-8")]), Lang::Nb);
    assert_eq!(lang(&[("LANG", "nn_NO")]), Lang::Nb);
    assert_eq!(lang(&[("LANG", "no")]), Lang::Nb);
    assert_eq!(lang(&[("LANG", "C.UTF-8")]), Lang::En);
    assert_eq!(
        lang(&[("LANG", "nb_NO.UTF-8"), ("LC_ALL", "en_GB")]),
        Lang::En
    );
    assert_eq!(
        lang(&[("LC_MESSAGES", "nb_NO.UTF-8"), ("LANG", "en_US")]),
        Lang::Nb
    );
    assert_eq!(lang(&[("LC_ALL", ""), ("LANG", "nb_NO")]), Lang::Nb);
    assert_eq!(lang(&[("TORGET_LANG", "en"), ("LANG", "nb_NO")]), Lang::En);
    assert_eq!(lang(&[("TORGET_LANG", "nb"), ("LC_ALL", "C")]), Lang::Nb);
}

#[test]
fn numbers_choose_the_variant_in_either_language() {
    let help = |count: usize, lang| {
        Text::new("links-no-heading-here")
            .arg("dest", "#mal")
            .arg("count", count)
            .arg("ids", "`#bakgrunn`, `#tidsplan`")
            .help(lang)
            .unwrap()
    };
    assert!(help(0, Lang::En).starts_with("that page has no headings; a heading's id"));
    assert!(help(2, Lang::En).starts_with("its headings are `#bakgrunn`, `#tidsplan`; "));
    assert!(help(0, Lang::Nb).starts_with("den siden har ingen overskrifter; "));
    assert!(help(2, Lang::Nb).ends_with("`## Mål {#mal}`, den samme på alle språk"));
    let errors = |n: usize, lang| Text::new("build-content-errors").arg("errors", n).say(lang);
    assert_eq!(
        errors(1, Lang::En),
        "the site has 1 content error; nothing was published"
    );
    assert_eq!(
        errors(3, Lang::En),
        "the site has 3 content errors; nothing was published"
    );
    assert_eq!(
        errors(3, Lang::Nb),
        "nettstedet har 3 feil i innholdet; ingenting ble publisert"
    );
}
