//! `site.toml`: the site's settings as serde structs, with every default written beside its field.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;

use crate::diag::{Diagnostic, Source};
use crate::fsx;
use crate::messages::Text;

/// The whole of `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Absolute URL the site is served from, used in feeds, sitemaps and calendars.
    /// Default: `"http://127.0.0.1:1111"`.
    pub base_url: String,
    /// Language of `name.md` files, served at `/`. Default: `"nb"`.
    pub default_language: String,
    /// The site's languages in menu order. Default: `nb` and `en`.
    pub languages: IndexMap<String, LanguageConfig>,
    /// Theme folder under `themes/`; `"default"` is built into torget. Default: `"default"`.
    pub theme: String,
    /// Where `torget build` writes the site, relative to the site root. Default: `"public"`.
    pub output_dir: PathBuf,
    /// Time zone of date-times written without an offset. Default: `"Europe/Oslo"`.
    pub timezone: String,
    /// Minify every HTML page too (CSS and JS always are). Default: `false`.
    pub minify: bool,
    pub feedback: FeedbackConfig,
    /// Who publishes the site's open data, for the catalogue national portals harvest.
    /// Default: none, and then no catalogue (`data/catalog.ttl`) or open-data page is written.
    pub open_data: Option<OpenDataConfig>,
    pub brand: BrandConfig,
}

/// One language of the site: `[languages.<code>]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LanguageConfig {
    /// The site's name in this language. Default: `"Torget"`.
    pub title: String,
    /// One sentence about the site, for feeds and search engines. Default: empty.
    pub description: String,
    /// The language's own name, shown in the language switcher. Default: from `i18n/<code>.toml`.
    pub name: Option<String>,
}

/// `[feedback]`: where answers to calls for input are sent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedbackConfig {
    /// Origin of the feedback endpoint, e.g. `"https://innspill.example.no"`. Default: empty,
    /// meaning the same origin as the site.
    pub endpoint: String,
}

/// `[open_data]`: who publishes the open data and under which licence, written into the
/// DCAT-AP-NO catalogue (`data/catalog.ttl`, `data/catalog.jsonld`). Every key is required.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OpenDataConfig {
    /// The publisher's URI in the Central Coordinating Register for Legal Entities
    /// (Enhetsregisteret): `https://data.brreg.no/enhetsregisteret/api/enheter/<org. number>`.
    pub publisher: String,
    /// The publisher's name, e.g. `"Eksempel kommune"`.
    pub publisher_name: String,
    /// Where people write with questions about the data, e.g. `"postmottak@example.no"`.
    pub contact_email: String,
    /// The licence's URI in the EU licence vocabulary, e.g. NLOD 2.0:
    /// `http://publications.europa.eu/resource/authority/licence/NLOD_2_0`.
    pub license: String,
}

/// Where Enhetsregisteret keeps an organisation; its number follows.
pub const PUBLISHER_PREFIX: &str = "https://data.brreg.no/enhetsregisteret/api/enheter/";
/// The EU licence vocabulary; the licence's code follows.
pub const LICENSE_PREFIX: &str = "http://publications.europa.eu/resource/authority/licence/";

impl OpenDataConfig {
    /// The publisher's organisation number: the nine digits at the end of `publisher`.
    pub fn organisation_number(&self) -> &str {
        self.publisher.trim_start_matches(PUBLISHER_PREFIX)
    }

    /// The licence's code in the EU vocabulary, e.g. `NLOD_2_0`.
    pub fn license_code(&self) -> &str {
        self.license.trim_start_matches(LICENSE_PREFIX)
    }

    /// Every problem with the table, each naming its key and saying what to write.
    fn problems(&self) -> Vec<Text> {
        let mut problems = Vec::new();
        let mut check = |key: &'static str, value: &str, ok: bool| {
            if value.trim().is_empty() {
                problems.push(Text::new("config-open-data-missing").arg("key", key));
            } else if !ok {
                problems.push(
                    Text::new("config-open-data-invalid")
                        .arg("key", key)
                        .arg("value", value),
                );
            }
        };
        let number = self.organisation_number();
        check(
            "publisher",
            &self.publisher,
            self.publisher.starts_with(PUBLISHER_PREFIX) && is_organisation_number(number),
        );
        check("publisher_name", &self.publisher_name, true);
        let email_ok = match self.contact_email.split_once('@') {
            Some((user, domain)) => {
                !user.is_empty()
                    && domain.contains('.')
                    && !domain.contains('@')
                    && !self.contact_email.contains(char::is_whitespace)
            }
            None => false,
        };
        check("contact_email", &self.contact_email, email_ok);
        let code = self.license_code();
        check(
            "license",
            &self.license,
            self.license.starts_with(LICENSE_PREFIX)
                && !code.is_empty()
                && code
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-'),
        );
        problems
    }
}

/// Nine digits whose last is the modulus 11 check digit, as Enhetsregisteret assigns them, so a
/// mistyped number is caught before a national catalogue lists data under someone else.
fn is_organisation_number(number: &str) -> bool {
    let digits: Vec<u32> = number.chars().filter_map(|c| c.to_digit(10)).collect();
    if number.len() != 9 || digits.len() != 9 {
        return false;
    }
    let sum: u32 = [3, 2, 7, 6, 5, 4, 3, 2]
        .iter()
        .zip(&digits)
        .map(|(w, d)| w * d)
        .sum();
    match 11 - sum % 11 {
        11 => digits[8] == 0,
        10 => false,
        check => digits[8] == check,
    }
}

/// `[brand]`: the site's own look in place of the theme's placeholder mark and blue.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BrandConfig {
    /// The accent colour as `#rrggbb`: links, buttons (white text on it) and highlights. It
    /// must contrast 4.5:1 with white and with the theme's tint. Default: empty, the theme's
    /// own blue.
    pub primary: String,
    /// The logo per language: `[brand.logo.<code>]`. A language without one shows the site's
    /// name and the theme's mark. Default: none.
    pub logo: IndexMap<String, LogoConfig>,
}

/// `[brand.logo.<code>]`: one language's logo, shown in the header instead of the site's name.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogoConfig {
    /// The image under the site's `static/` folder, e.g. `"brand/logo-nb.svg"`. Default: empty.
    pub file: String,
    /// What the logo says, read instead of it (usually the site's name). Default: empty.
    pub alt: String,
}

/// The theme's backgrounds the accent colour is used on, as text or behind white text.
const BRAND_BACKGROUNDS: [(&str, [u8; 3]); 2] =
    [("white", [255, 255, 255]), ("tint", [0xf3, 0xf5, 0xf8])];

/// WCAG 2.1 AA for normal text.
pub const MIN_CONTRAST: f64 = 4.5;

/// `#rrggbb` as its three channels.
pub fn parse_hex_colour(s: &str) -> Option<[u8; 3]> {
    let hex = s.strip_prefix('#').filter(|h| h.len() == 6)?;
    let channel = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

/// The WCAG 2.1 contrast ratio of two colours, 1 to 21.
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let luminance = |c: [u8; 3]| {
        let lin = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
    };
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

impl BrandConfig {
    /// Every problem with `[brand]` as (message, help): a colour that is not `#rrggbb` or reads
    /// badly, and a logo without alt text, for a language the site does not have, or (with the
    /// site's `root`) whose file is missing.
    fn problems(
        &self,
        languages: &IndexMap<String, LanguageConfig>,
        root: Option<&Path>,
    ) -> Vec<Text> {
        let mut out = Vec::new();
        if !self.primary.is_empty() {
            match parse_hex_colour(&self.primary) {
                None => out.push(Text::new("config-brand-colour").arg("colour", &self.primary)),
                Some(c) => {
                    for (name, bg) in BRAND_BACKGROUNDS {
                        let ratio = contrast(c, bg);
                        if ratio < MIN_CONTRAST {
                            out.push(
                                Text::new("config-brand-contrast")
                                    .arg("colour", &self.primary)
                                    .arg("ratio", format!("{ratio:.2}"))
                                    .arg("against", name)
                                    .arg("needed", MIN_CONTRAST.to_string()),
                            );
                        }
                    }
                }
            }
        }
        for (lang, logo) in &self.logo {
            if !languages.contains_key(lang) {
                out.push(Text::new("config-logo-language").arg("lang", lang));
            }
            let file = logo.file.trim().trim_start_matches('/');
            if file.is_empty() {
                out.push(Text::new("config-logo-no-file").arg("lang", lang));
            } else if let Some(root) = root
                && !root.join("static").join(file).is_file()
            {
                out.push(
                    Text::new("config-logo-missing")
                        .arg("lang", lang)
                        .arg("file", &logo.file)
                        .arg("path", file),
                );
            }
            if logo.alt.trim().is_empty() {
                out.push(Text::new("config-logo-no-alt").arg("lang", lang));
            }
        }
        out
    }

    /// The accent colour and a darker one for hover, as CSS custom properties; empty without
    /// a `primary`.
    pub fn css(&self) -> String {
        let Some([r, g, b]) = parse_hex_colour(&self.primary) else {
            return String::new();
        };
        let dark = |v: u8| (f64::from(v) * 0.8).round() as u8;
        format!(
            ":root{{--accent:#{r:02x}{g:02x}{b:02x};--accent-dark:#{:02x}{:02x}{:02x}}}",
            dark(r),
            dark(g),
            dark(b)
        )
    }

    /// The logo's site URL and alt text in `lang`, if the site has one for it.
    pub fn logo(&self, lang: &str) -> Option<(String, String)> {
        let logo = self.logo.get(lang)?;
        Some((
            format!("/{}", logo.file.trim().trim_start_matches('/')),
            logo.alt.trim().to_string(),
        ))
    }
}

impl Default for Config {
    fn default() -> Self {
        let mut languages = IndexMap::new();
        languages.insert("nb".to_string(), LanguageConfig::default());
        languages.insert("en".to_string(), LanguageConfig::default());
        Config {
            base_url: "http://127.0.0.1:1111".to_string(),
            default_language: "nb".to_string(),
            languages,
            theme: "default".to_string(),
            output_dir: PathBuf::from("public"),
            timezone: "Europe/Oslo".to_string(),
            minify: false,
            feedback: FeedbackConfig::default(),
            open_data: None,
            brand: BrandConfig::default(),
        }
    }
}

pub const FILE_NAME: &str = "site.toml";

impl Config {
    /// Reads `site.toml` from the site root; a site without one gets the defaults.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(FILE_NAME);
        if !path.exists() {
            let config = Config::default();
            return config.validated(&Source::new(FILE_NAME, ""), Some(root));
        }
        let text = fsx::read_to_string(&path).map_err(|e| {
            vec![
                Diagnostic::error(FILE_NAME, "")
                    .says(Text::new("files-cannot-read").arg("problem", e.to_string())),
            ]
        })?;
        let source = Source::new(FILE_NAME, text);
        Config::parse_in(&source, Some(root))
    }

    /// Parses `site.toml`'s text; files it names (a logo) are not looked for.
    pub fn parse(source: &Source) -> Result<Config, Vec<Diagnostic>> {
        Config::parse_in(source, None)
    }

    /// Parses `site.toml`'s text; with the site's `root`, the files it names must exist.
    fn parse_in(source: &Source, root: Option<&Path>) -> Result<Config, Vec<Diagnostic>> {
        let config: Config = toml::from_str(&source.text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            vec![source.error(offset, "").says(
                Text::new("config-unreadable").arg("problem", e.message().trim().to_string()),
            )]
        })?;
        config.validated(source, root)
    }

    fn validated(self, source: &Source, root: Option<&Path>) -> Result<Config, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let err = |text: Text| Diagnostic::error(&source.path, "").says(text);
        if self.languages.is_empty() {
            problems.push(err(Text::new("config-no-languages")));
        } else if !self.languages.contains_key(&self.default_language) {
            problems.push(err(Text::new("config-default-language")
                .arg("lang", &self.default_language)
                .arg(
                    "langs",
                    self.languages
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", "),
                )));
        }
        for code in self.languages.keys() {
            if !is_language_code(code) {
                problems.push(err(Text::new("config-language-code").arg("code", code)));
            }
        }
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://")) {
            problems.push(err(Text::new("config-base-url").arg("url", &self.base_url)));
        }
        if jiff::tz::TimeZone::get(&self.timezone).is_err() {
            problems.push(err(Text::new("config-timezone").arg("zone", &self.timezone)));
        }
        let endpoint = &self.feedback.endpoint;
        if !(endpoint.is_empty()
            || endpoint.starts_with("http://")
            || endpoint.starts_with("https://"))
        {
            problems.push(err(Text::new("config-endpoint").arg("url", endpoint)));
        }
        if let Some(open_data) = &self.open_data {
            problems.extend(open_data.problems().into_iter().map(err));
        }
        problems.extend(
            self.brand
                .problems(&self.languages, root)
                .into_iter()
                .map(err),
        );
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }

    /// The site's languages in menu order, the default first.
    pub fn language_codes(&self) -> Vec<String> {
        let mut codes = vec![self.default_language.clone()];
        codes.extend(
            self.languages
                .keys()
                .filter(|c| **c != self.default_language)
                .cloned(),
        );
        codes
    }

    /// The site's name in `lang`; "Torget" when none is configured.
    pub fn title(&self, lang: &str) -> String {
        self.languages
            .get(lang)
            .map(|l| l.title.trim())
            .filter(|t| !t.is_empty())
            .unwrap_or("Torget")
            .to_string()
    }

    /// `base_url` without a trailing slash.
    pub fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// Endpoint origin for forms; empty means the page's own origin.
    pub fn endpoint(&self) -> &str {
        self.feedback.endpoint.trim_end_matches('/')
    }
}

fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests;
