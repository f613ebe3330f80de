//! The front-matter keys, in one table ([`KEYS`]): for each key the kinds of file it belongs to,
//! how a translation treats it, and what it means. The key check, "where does this key belong",
//! the comparison of a translation's shared keys with its primary file, the translation hash
//! (`check::translations::source_hash`) and the key tables in docs/content.md all come from it.
//! Over 600 lines: half of it is tests, with the renderers of the docs tables they compare.

use std::ops::Range;

use super::Kind;
use super::files::File;
use super::frontmatter::FrontMatter;
use crate::diag::Diagnostics;
use crate::messages::{Lang, Text};

/// How a translation treats a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sharing {
    /// The same in every language: a translation may leave it out, or repeat it unchanged.
    Shared,
    /// Every file writes its own; a translation does not inherit it.
    Own,
    /// Every file writes its own, and it is text a translator translates.
    OwnText,
    /// A translation may leave it out (the primary file's is shown) or translate it freely.
    Translatable,
    /// A translation may leave it out or translate it, keeping the primary file's structure.
    UnderRules,
}

impl Sharing {
    /// Whether a translator translates the key's text: a change to it in the primary file
    /// makes translations stale.
    pub(crate) fn translated(self) -> bool {
        matches!(
            self,
            Sharing::OwnText | Sharing::Translatable | Sharing::UnderRules
        )
    }
}

/// One front-matter key. A dotted name (`contact.email`) is a part of a table.
pub(crate) struct Key {
    pub(crate) name: &'static str,
    /// The kinds of item that may use it.
    pub(crate) kinds: &'static [Kind],
    /// Whether a section's `_index` file may use it.
    pub(crate) in_sections: bool,
    pub(crate) sharing: Sharing,
    /// Written as `[[name]]`: one table per entry.
    #[cfg_attr(not(test), allow(dead_code))] // read by the docs' tables, made in tests
    table_array: bool,
    /// What the key means, for docs/content.md.
    #[cfg_attr(not(test), allow(dead_code))]
    help: &'static str,
    /// Where the key's value starts in the front matter, when the file sets it.
    span: fn(&FrontMatter) -> Option<Range<usize>>,
    /// The value, for comparing a translation's shared key with the primary file's.
    value: fn(&FrontMatter) -> Option<toml::Value>,
}

impl Key {
    /// The key's name in the front matter: `contact` for `contact.email`.
    pub(crate) fn top(&self) -> &'static str {
        self.name.split('.').next().unwrap_or(self.name)
    }

    /// As a writer types it: `[[goals]]`, `contact.email`, `title`.
    #[cfg(test)]
    fn written(&self) -> String {
        if self.table_array {
            format!("[[{}]]", self.name)
        } else {
            self.name.to_string()
        }
    }

    fn allowed(&self, kind: Kind, is_section: bool) -> bool {
        if is_section {
            self.in_sections
        } else {
            self.kinds.contains(&kind)
        }
    }
}

const ITEMS: &[Kind] = &[
    Kind::Area,
    Kind::Project,
    Kind::Event,
    Kind::Call,
    Kind::Page,
];

/// A key whose whole value is compared between languages.
macro_rules! key {
    ($name:ident, $kinds:expr, $sections:expr, $sharing:ident, $help:expr) => {
        Key {
            name: stringify!($name),
            kinds: $kinds,
            in_sections: $sections,
            sharing: Sharing::$sharing,
            table_array: false,
            help: $help,
            span: |fm| fm.$name.as_ref().map(|v| v.span()),
            value: |fm| {
                fm.$name
                    .as_ref()
                    .and_then(|v| toml::Value::try_from(v.get_ref()).ok())
            },
        }
    };
}

/// A `[[key]]` array of tables, translated under rules; never compared whole.
macro_rules! tables {
    ($name:ident, $kinds:expr, $help:expr) => {
        Key {
            name: stringify!($name),
            kinds: $kinds,
            in_sections: false,
            sharing: Sharing::UnderRules,
            table_array: true,
            help: $help,
            span: |fm| fm.$name.as_ref().map(|v| v.span()),
            value: |_| None,
        }
    };
}

/// Every front-matter key. The order is the order of docs/content.md's reference table, and the
/// order of the translated keys in the translation hash: moving `title`, `summary`, `image_alt`,
/// `location`, `goals` or `questions` past one another changes every translation's hash.
pub(crate) const KEYS: &[Key] = &[
    key!(
        title,
        ITEMS,
        true,
        OwnText,
        "The page's heading and title. Required, not empty."
    ),
    key!(
        summary,
        ITEMS,
        true,
        OwnText,
        "One or two sentences, shown under the heading, in listings, feeds and search results. Required in items, not empty."
    ),
    key!(
        slug,
        ITEMS,
        true,
        Own,
        "The last part of the page's address. Default: the file (or folder) name."
    ),
    key!(date, ITEMS, false, Shared, "Publication date."),
    key!(
        updated,
        ITEMS,
        false,
        Own,
        "When the page was last changed in a way readers should know."
    ),
    key!(
        draft,
        ITEMS,
        false,
        Own,
        "Leave this file out unless building with `--drafts`."
    ),
    key!(
        image,
        ITEMS,
        false,
        Shared,
        "A picture at the top of the page."
    ),
    key!(
        image_alt,
        ITEMS,
        false,
        OwnText,
        "What the image shows, for people who cannot see it. Required with `image`."
    ),
    key!(
        translation_of,
        ITEMS,
        false,
        Own,
        "In a translation: the hash of the source it was translated from."
    ),
    key!(
        order,
        &[Kind::Area, Kind::Page],
        false,
        Shared,
        "Position in lists, smallest first."
    ),
    key!(
        menu,
        &[Kind::Page],
        false,
        Shared,
        "`\"main\"` or `\"footer\"`: the menu that links to the page."
    ),
    key!(
        areas,
        &[Kind::Project, Kind::Event, Kind::Call],
        false,
        Shared,
        "The areas the item belongs to, by file name."
    ),
    key!(
        project,
        &[Kind::Event, Kind::Call],
        false,
        Shared,
        "The project it belongs to, by file name."
    ),
    key!(
        status,
        &[Kind::Project],
        false,
        Shared,
        "`\"planned\"`, `\"active\"` or `\"completed\"`."
    ),
    key!(
        start,
        &[Kind::Project, Kind::Event],
        false,
        Shared,
        "When it starts: a date for projects, a date and time for events."
    ),
    key!(
        end,
        &[Kind::Project, Kind::Event],
        false,
        Shared,
        "When it ends; not before `start`."
    ),
    key!(
        partners,
        &[Kind::Project],
        false,
        Translatable,
        "Partner names, shown as written in each language."
    ),
    Key {
        name: "contact.name",
        kinds: &[Kind::Project],
        in_sections: false,
        sharing: Sharing::Translatable,
        table_array: false,
        help: "Who residents can ask: a person or an office.",
        span: |fm| fm.contact.as_ref().map(|c| c.span()),
        value: |fm| {
            let c = fm.contact.as_ref()?;
            Some(toml::Value::String(c.get_ref().name.clone()))
        },
    },
    Key {
        name: "contact.email",
        kinds: &[Kind::Project],
        in_sections: false,
        sharing: Sharing::Shared,
        table_array: false,
        help: "The contact's e-mail address; required in the primary file's `contact`.",
        span: |fm| fm.contact.as_ref().map(|c| c.span()),
        value: |fm| {
            let email = fm.contact.as_ref()?.get_ref().email.clone()?;
            Some(toml::Value::String(email))
        },
    },
    key!(
        location,
        &[Kind::Event],
        false,
        Translatable,
        "Where: `name` and `address`. Required unless `online_url`."
    ),
    key!(
        online_url,
        &[Kind::Event],
        false,
        Shared,
        "Where to join online."
    ),
    key!(
        registration_url,
        &[Kind::Event],
        false,
        Shared,
        "Where to sign up."
    ),
    key!(opens, &[Kind::Call], false, Shared, "When the form opens."),
    key!(
        closes,
        &[Kind::Call],
        false,
        Shared,
        "The deadline; after `opens`."
    ),
    key!(
        keep_days,
        &[Kind::Call],
        false,
        Shared,
        "How many days the feedback service keeps the answers."
    ),
    key!(
        rate_limit,
        &[Kind::Call],
        false,
        Shared,
        "Answers per minute the feedback service takes from one address, for a meeting on one network."
    ),
    key!(
        results_expected,
        &[Kind::Call],
        false,
        Shared,
        "When results are expected after the call closes; its page says so until they are published."
    ),
    Key {
        name: "outcome.date",
        kinds: &[Kind::Call],
        in_sections: false,
        sharing: Sharing::Shared,
        table_array: false,
        help: "When it was decided or done; required in `[outcome]`, which is shown once the call is closed.",
        span: |fm| fm.outcome.as_ref().map(|o| o.span()),
        value: |fm| {
            let date = fm.outcome.as_ref()?.get_ref().date.as_ref()?;
            toml::Value::try_from(date.get_ref()).ok()
        },
    },
    Key {
        name: "outcome.text",
        kinds: &[Kind::Call],
        in_sections: false,
        sharing: Sharing::Translatable,
        table_array: false,
        help: "What was done because of the answers, in Markdown; required in the primary file's `[outcome]`.",
        span: |fm| fm.outcome.as_ref().map(|o| o.span()),
        value: |fm| {
            let text = fm.outcome.as_ref()?.get_ref().text.as_ref()?;
            Some(toml::Value::String(text.get_ref().clone()))
        },
    },
    Key {
        name: "outcome.projects",
        kinds: &[Kind::Call],
        in_sections: false,
        sharing: Sharing::Shared,
        table_array: false,
        help: "Projects started or changed because of the call, by file name; their pages link back to it.",
        span: |fm| fm.outcome.as_ref().map(|o| o.span()),
        value: |fm| {
            let projects = fm.outcome.as_ref()?.get_ref().projects.as_ref()?;
            toml::Value::try_from(projects.get_ref()).ok()
        },
    },
    // Arrays of tables last, where a file must write them too.
    tables!(
        goals,
        &[Kind::Project],
        "One table per goal, with `title` and `status`."
    ),
    tables!(
        questions,
        &[Kind::Call],
        "One table per question, in the order they are asked."
    ),
];

/// The keys a file sets, with their offsets in the front matter; a table's key once.
fn present_keys(fm: &FrontMatter) -> Vec<(&'static str, usize)> {
    let mut present: Vec<(&'static str, usize)> = Vec::new();
    for key in KEYS {
        if let Some(span) = (key.span)(fm)
            && !present.iter().any(|(k, _)| *k == key.top())
        {
            present.push((key.top(), span.start));
        }
    }
    present
}

/// The kind's name in the plural, in `lang`.
fn plural(kind: Kind, lang: Lang) -> String {
    Text::new("keys-kinds").arg("kind", kind.as_str()).say(lang)
}

/// Joins `a`, `b` and `c` the way a sentence does in `lang`.
fn and_list(words: &[String], lang: Lang) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => Text::new("list-and")
            .arg("init", init.join(", "))
            .arg("last", last)
            .say(lang),
    }
}

/// Where a key is used, in `lang`, for the help of a writer who put it elsewhere.
pub(crate) fn where_key_belongs(key: &str, lang: Lang) -> String {
    let mut kinds: Vec<Kind> = Vec::new();
    for k in KEYS.iter().filter(|k| k.top() == key) {
        for kind in k.kinds {
            if !kinds.contains(kind) {
                kinds.push(*kind);
            }
        }
    }
    kinds.sort_by_key(|k| ITEMS.iter().position(|i| i == k));
    if kinds.len() == ITEMS.len() {
        return Text::new("keys-in-items").say(lang);
    }
    let typed = kinds.iter().all(|k| *k != Kind::Area && *k != Kind::Page);
    let words: Vec<String> = if typed && kinds.len() <= 2 {
        kinds
            .iter()
            .map(|k| format!("content/{}/", plural(*k, Lang::En)))
            .collect()
    } else {
        kinds.iter().map(|k| plural(*k, lang)).collect()
    };
    and_list(&words, lang)
}

/// Reports every key `f` sets that a file of its kind does not use.
pub(super) fn check_keys(f: &File, kind: Kind, diags: &mut Diagnostics) {
    for (key, offset) in present_keys(&f.fm) {
        let ok = KEYS
            .iter()
            .any(|k| k.top() == key && k.allowed(kind, f.is_section));
        if ok {
            continue;
        }
        let what = if f.is_section {
            "section"
        } else {
            kind.as_str()
        };
        let text = Text::new("keys-no-meaning")
            .arg("key", key)
            .arg("kind", what)
            .arg_each("belongs", |lang| where_key_belongs(key, lang));
        diags.push(f.source.error(f.front_offset + offset, "").says(text));
    }
}

/// Reports every shared key a translation repeats with another value than its primary file.
pub(super) fn check_shared(t: &File, primary: &File, diags: &mut Diagnostics) {
    for key in KEYS.iter().filter(|k| k.sharing == Sharing::Shared) {
        let Some(value) = (key.value)(&t.fm) else {
            continue;
        };
        if (key.value)(&primary.fm).as_ref() == Some(&value) {
            continue;
        }
        let name = key.name;
        let text = Text::new("keys-shared-differs")
            .arg("key", name)
            .arg("lang", &primary.lang)
            .arg("primary", primary.source.path.display().to_string());
        diags.push(t.err((key.span)(&t.fm), "").says(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::files::{messages as errors, test_file};

    /// The docs' table of what a translation writes and inherits, as Markdown.
    fn translation_table() -> String {
        let rows = [
            (
                "**may be left out** (taken from the primary file); **if written, must be exactly the same**",
                &[Sharing::Shared][..],
            ),
            (
                "**own to each file**, not inherited",
                &[Sharing::Own, Sharing::OwnText][..],
            ),
            (
                "**may be left out** (taken from the primary file) **or translated freely**",
                &[Sharing::Translatable][..],
            ),
            (
                "**may be left out** (taken from the primary file) **or translated under rules**",
                &[Sharing::UnderRules][..],
            ),
        ];
        let mut out = String::from("| In a translation… | Keys |\n| --- | --- |\n");
        for (what, sharing) in rows {
            let keys: Vec<String> = KEYS
                .iter()
                .filter(|k| sharing.contains(&k.sharing))
                .map(|k| format!("`{}`", k.written()))
                .collect();
            out.push_str(&format!("| {what} | {} |\n", keys.join(", ")));
        }
        out
    }

    /// The docs' table of every key: where it is used, how a translation treats it, what it means.
    fn reference_table() -> String {
        let mut out = String::from(
            "| Key | Used in | In a translation | Meaning |\n| --- | --- | --- | --- |\n",
        );
        for k in KEYS {
            let mut used = if k.kinds.len() == ITEMS.len() {
                "every item".to_string()
            } else {
                and_list(
                    &k.kinds
                        .iter()
                        .map(|k| plural(*k, Lang::En))
                        .collect::<Vec<_>>(),
                    Lang::En,
                )
            };
            if k.in_sections {
                used.push_str(", `_index.md`");
            }
            let sharing = match k.sharing {
                Sharing::Shared => "shared",
                Sharing::Own => "own",
                Sharing::OwnText => "own, translated",
                Sharing::Translatable => "inherited or translated",
                Sharing::UnderRules => "inherited or translated under rules",
            };
            out.push_str(&format!(
                "| `{}` | {used} | {sharing} | {} |\n",
                k.written(),
                k.help
            ));
        }
        out
    }

    fn key_errors(path: &str, front: &str, kind: Kind) -> Vec<String> {
        let mut diags = Diagnostics::default();
        check_keys(&test_file(path, front), kind, &mut diags);
        errors(&diags)
    }

    #[test]
    fn a_project_may_use_its_own_and_the_common_keys() {
        assert_eq!(
            key_errors(
                "content/projects/hage.md",
                "title = \"Hage\"\nsummary = \"x\"\nstatus = \"active\"\npartners = [\"NTNU\"]\ncontact = { name = \"Kari\", email = \"kari@example.no\" }\n",
                Kind::Project
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_misplaced_key_says_where_it_belongs() {
        assert_eq!(
            key_errors(
                "content/om.md",
                "title = \"Om\"\nsummary = \"x\"\nstatus = \"active\"\n",
                Kind::Page
            ),
            [
                "4: `status` has no meaning in a page (`status` is used in content/projects/; remove it here)"
            ]
        );
    }

    #[test]
    fn a_misplaced_key_says_where_it_belongs_in_norwegian_too() {
        let mut diags = Diagnostics::default();
        let f = test_file(
            "content/om.md",
            "title = \"Om\"\nsummary = \"x\"\nstart = 2026-01-01\n",
        );
        check_keys(&f, Kind::Page, &mut diags);
        let d = &diags.0[0];
        assert_eq!(d.message_in(Lang::Nb), "`start` betyr ingenting i en side");
        assert_eq!(
            d.help_in(Lang::Nb).unwrap(),
            "`start` brukes i content/projects/ og content/events/; fjern den her"
        );
        assert_eq!(d.code(), Some("keys-no-meaning"));
    }

    #[test]
    fn a_section_file_takes_only_title_summary_and_slug() {
        assert_eq!(
            key_errors(
                "content/nyheter/_index.md",
                "title = \"Nyheter\"\ndate = 2026-01-01\n",
                Kind::Page
            ),
            [
                "3: `date` has no meaning in a section's `_index` file (`date` is used in items, not section `_index.md` files; remove it here)"
            ]
        );
    }

    #[test]
    fn where_keys_belong_in_words() {
        let en = |key| where_key_belongs(key, Lang::En);
        assert_eq!(en("contact"), "content/projects/");
        assert_eq!(en("start"), "content/projects/ and content/events/");
        assert_eq!(en("areas"), "projects, events and calls");
        assert_eq!(en("order"), "areas and plain pages");
        assert_eq!(en("menu"), "plain pages");
        let nb = |key| where_key_belongs(key, Lang::Nb);
        assert_eq!(nb("start"), "content/projects/ og content/events/");
        assert_eq!(nb("areas"), "prosjekter, arrangementer og innspill");
        assert_eq!(nb("date"), "sider, ikke seksjoners `_index.md`-filer");
    }

    #[test]
    fn a_shared_key_that_differs_is_an_error_naming_the_primary_file() {
        let p = test_file("content/events/dag.md", "start = 2026-05-01T10:00:00\n");
        let t = test_file("content/events/dag.en.md", "start = 2026-05-01T11:00:00\n");
        let mut diags = Diagnostics::default();
        check_shared(&t, &p, &mut diags);
        assert_eq!(
            errors(&diags),
            [
                "2: `start` differs from the nb version (content/events/dag.md) (`start` is shared by all languages: remove it from this translation, or change both files)"
            ]
        );
    }

    #[test]
    fn a_translation_may_translate_partners_and_the_contact_name_but_not_the_email() {
        let p = test_file(
            "content/projects/hage.md",
            "partners = [\"Trondheim kommune\"]\ncontact = { name = \"Prosjektleder\", email = \"hage@example.no\" }\n",
        );
        let same_email = test_file(
            "content/projects/hage.en.md",
            "partners = [\"Trondheim Municipality\"]\ncontact = { name = \"Project lead\", email = \"hage@example.no\" }\n",
        );
        let mut diags = Diagnostics::default();
        check_shared(&same_email, &p, &mut diags);
        assert_eq!(errors(&diags), Vec::<String>::new());

        let other_email = test_file(
            "content/projects/hage.en.md",
            "contact = { name = \"Project lead\", email = \"garden@example.no\" }\n",
        );
        check_shared(&other_email, &p, &mut diags);
        assert_eq!(
            errors(&diags),
            [
                "2: `contact.email` differs from the nb version (content/projects/hage.md) (`contact.email` is shared by all languages: remove it from this translation, or change both files)"
            ]
        );
    }

    #[test]
    fn every_front_matter_key_is_in_the_table() {
        // A key parsed but missing from the table would pass every check unseen.
        let fm: FrontMatter = toml::from_str(
            "title = \"t\"\nsummary = \"s\"\nslug = \"s\"\ndate = 2026-01-01\nupdated = 2026-01-01\n\
             draft = false\nimage = \"i\"\nimage_alt = \"a\"\norder = 1\nmenu = \"main\"\n\
             translation_of = \"h\"\nareas = []\nstatus = \"s\"\nstart = 2026-01-01\nend = 2026-01-01\n\
             partners = []\ncontact = { name = \"n\", email = \"e\" }\ngoals = []\n\
             location = { name = \"n\" }\nonline_url = \"u\"\nregistration_url = \"u\"\nproject = \"p\"\n\
             opens = 2026-01-01T00:00:00\ncloses = 2026-01-01T00:00:00\nkeep_days = 1\nquestions = []\n\
             results_expected = 2026-01-01\noutcome = { date = 2026-01-01, text = \"t\" }\n",
        )
        .unwrap();
        assert_eq!(present_keys(&fm).len(), 28);
    }

    /// With `TORGET_WRITE_DOCS=1` the docs' tables are written first, so a changed key table is
    /// one command away from matching docs.
    #[test]
    fn the_docs_tables_are_the_key_table() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/content.md");
        let mut docs = std::fs::read_to_string(path).unwrap();
        let write = std::env::var_os("TORGET_WRITE_DOCS").is_some();
        for (name, table) in [
            ("translation", translation_table()),
            ("reference", reference_table()),
        ] {
            let begin = format!("<!-- keys:{name} begin -->\n");
            let end = format!("<!-- keys:{name} end -->");
            let start = docs
                .find(&begin)
                .expect("docs/content.md has the begin marker")
                + begin.len();
            let stop = start
                + docs[start..]
                    .find(&end)
                    .expect("docs/content.md has the end marker");
            if write {
                docs.replace_range(start..stop, &table);
            } else {
                assert_eq!(
                    docs[start..stop],
                    table,
                    "docs/content.md's `{name}` key table is not what src/content/keys.rs says; \
                     regenerate it with `TORGET_WRITE_DOCS=1 cargo test --lib content::keys`"
                );
            }
        }
        if write {
            std::fs::write(path, docs).unwrap();
        }
    }
}
