//! The sentences a content writer reads, in Norwegian Bokmål or English: one Fluent catalogue
//! per language (`locales/<lang>/torget.ftl`, embedded), the writer's language from the
//! environment, and [`Text`], a sentence by its catalogue id with its values, said in either.
//!
//! A message's id is also its stable `code` for scripts (`--format json`), which always get
//! English. A message's `.help` attribute is what to do about it.

use std::sync::{LazyLock, OnceLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

#[cfg(test)]
mod tests;

/// The languages torget speaks to writers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Nb,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nb, Lang::En];

    /// The writer's language: `TORGET_LANG`, else the first of `LC_ALL`, `LC_MESSAGES`, `LANG`
    /// that is set; `nb…`, `nn…` and `no…` are Norwegian, anything else English. Read once.
    pub fn current() -> Lang {
        static CURRENT: OnceLock<Lang> = OnceLock::new();
        *CURRENT.get_or_init(|| Lang::from_vars(|name| std::env::var(name).ok()))
    }

    /// [`Lang::current`] from any source of variables, for tests.
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Lang {
        ["TORGET_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(|name| get(name).filter(|v| !v.trim().is_empty()))
            .map(|v| {
                let v = v.trim().to_ascii_lowercase();
                if ["nb", "nn", "no"].iter().any(|p| v.starts_with(p)) {
                    Lang::Nb
                } else {
                    Lang::En
                }
            })
            .next()
            .unwrap_or(Lang::En)
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::En => "en",
        }
    }

    fn catalogue(self) -> &'static str {
        match self {
            Lang::Nb => include_str!("../../locales/nb/torget.ftl"),
            Lang::En => include_str!("../../locales/en/torget.ftl"),
        }
    }
}

type Bundle = FluentBundle<FluentResource>;

fn bundle(lang: Lang) -> &'static Bundle {
    static BUNDLES: LazyLock<[Bundle; 2]> = LazyLock::new(|| Lang::ALL.map(make_bundle));
    &BUNDLES[lang as usize]
}

fn make_bundle(lang: Lang) -> Bundle {
    let id = lang.code().parse().expect("a language code");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Bidi isolation marks around values would show as stray characters in a terminal.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(lang.catalogue().to_string())
        .unwrap_or_else(|(_, errors)| panic!("locales/{}/torget.ftl: {errors:?}", lang.code()));
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("locales/{}/torget.ftl: {errors:?}", lang.code()));
    bundle
}

/// A value put into a sentence: text, or a number (which chooses plural forms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Number(i64),
    /// Text made in each language (`Lang::ALL`'s order), e.g. a list joined with its "and".
    Each([String; 2]),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Number(n)
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// One sentence of the catalogues by id, with its values; said in a language when shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub id: &'static str,
    args: Vec<(&'static str, Arg)>,
}

impl Text {
    /// The catalogues' message `id`. Write the id as a literal string right here: the
    /// completeness test finds every id the code uses by looking for this call.
    pub fn new(id: &'static str) -> Self {
        Text {
            id,
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    /// A value that is itself said differently in each language.
    pub fn arg_each(mut self, name: &'static str, value: impl Fn(Lang) -> String) -> Self {
        self.args.push((name, Arg::Each(Lang::ALL.map(value))));
        self
    }

    /// The sentence in `lang`.
    pub fn say(&self, lang: Lang) -> String {
        self.format(lang, None)
            .unwrap_or_else(|| self.id.to_string())
    }

    /// The sentence in the writer's language ([`Lang::current`]).
    pub fn say_here(&self) -> String {
        self.say(Lang::current())
    }

    /// The message's `.help` attribute in `lang`, if it has one.
    pub fn help(&self, lang: Lang) -> Option<String> {
        self.format(lang, Some("help"))
    }

    fn format(&self, lang: Lang, attribute: Option<&str>) -> Option<String> {
        let bundle = bundle(lang);
        let message = bundle.get_message(self.id)?;
        let pattern = match attribute {
            None => message.value()?,
            Some(name) => message.get_attribute(name)?.value(),
        };
        let mut args = FluentArgs::new();
        for (name, value) in &self.args {
            match value {
                Arg::Text(s) => args.set(*name, FluentValue::from(s.as_str())),
                Arg::Number(n) => args.set(*name, FluentValue::from(*n)),
                Arg::Each(each) => args.set(*name, FluentValue::from(each[lang as usize].as_str())),
            }
        }
        let mut errors = Vec::new();
        let said = bundle.format_pattern(pattern, Some(&args), &mut errors);
        Some(said.into_owned())
    }
}
