//! What the endpoint says to residents: each sentence named by a [`Msg`], its words taken from
//! the built site.
//!
//! The sentences are the site's `endpoint.*` i18n keys, which the build copies into
//! `calls.json` for every language the site has; so a new language, or a site's own wording,
//! is a change to `i18n/<lang>.toml` and a build, and the endpoint keeps needing nothing but
//! the built site. Parameters are `{name}` placeholders, as in every i18n string.

use std::collections::BTreeMap;

use crate::calls_json::MAX_BODY;

/// One sentence, with what it needs to be said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg<'a> {
    // Top-level outcomes.
    Invalid,
    UnknownCall,
    /// When the call opens, already written the resident's way.
    NotYetOpen {
        opens: &'a str,
    },
    Closed {
        closes: &'a str,
    },
    Honeypot,
    TooFast,
    TokenExpired,
    TokenInvalid,
    /// How long to wait before sending again.
    RateLimited {
        seconds: u64,
    },
    ForeignOrigin,
    TooLarge,
    UnsupportedMediaType,
    MalformedJson,
    NotUtf8,
    Unavailable,
    Withdrawn,
    UnknownReceipt,
    ReceiptMissing,
    // Per question.
    Required,
    TooLong {
        chars: usize,
        max: usize,
    },
    NotAnOption,
    NotInScale {
        min: i64,
        max: i64,
    },
    OnlyOne,
    MustBeText,
    NoSuchQuestion,
    // Page headings.
    ThanksHeading,
    ErrorHeading,
    WithdrawErrorHeading,
    WithdrawnHeading,
    BackHint,
    /// A link's words back to the call titled `title`.
    BackToCall {
        title: &'a str,
    },
}

impl Msg<'_> {
    /// The sentence's key under `endpoint.` in the i18n files, and its placeholders' values.
    fn key(&self) -> (&'static str, Vec<(&'static str, String)>) {
        use Msg::*;
        let key = match self {
            Invalid => "invalid",
            UnknownCall => "unknown_call",
            NotYetOpen { opens } => return ("not_yet_open", vec![("opens", opens.to_string())]),
            Closed { closes } => return ("closed", vec![("closes", closes.to_string())]),
            Honeypot => "honeypot",
            TooFast => "too_fast",
            TokenExpired => "token_expired",
            TokenInvalid => "token_invalid",
            RateLimited { seconds } => {
                return ("rate_limited_wait", vec![("seconds", seconds.to_string())]);
            }
            ForeignOrigin => "foreign_origin",
            TooLarge => return ("too_large", vec![("kib", (MAX_BODY / 1024).to_string())]),
            UnsupportedMediaType => "unsupported_media_type",
            MalformedJson => "malformed_json",
            NotUtf8 => "not_utf8",
            Unavailable => "unavailable",
            Withdrawn => "withdrawn",
            UnknownReceipt => "unknown_receipt",
            ReceiptMissing => "receipt_missing",
            Required => "required",
            TooLong { chars, max } => {
                let args = vec![("chars", chars.to_string()), ("max", max.to_string())];
                return ("too_long", args);
            }
            NotAnOption => "not_an_option",
            NotInScale { min, max } => {
                let args = vec![("min", min.to_string()), ("max", max.to_string())];
                return ("not_in_scale", args);
            }
            OnlyOne => "only_one",
            MustBeText => "must_be_text",
            NoSuchQuestion => "no_such_question",
            ThanksHeading => "thanks_heading",
            ErrorHeading => "error_heading",
            WithdrawErrorHeading => "withdraw_error_heading",
            WithdrawnHeading => "withdrawn_heading",
            BackHint => "back_hint",
            BackToCall { title } => return ("back_to_call", vec![("title", title.to_string())]),
        };
        (key, Vec::new())
    }
}

/// The endpoint's sentences in each of the site's languages, as `calls.json` brought them.
#[derive(Debug, Clone, Default)]
pub struct Sentences {
    default_language: String,
    by_lang: BTreeMap<String, BTreeMap<String, String>>,
}

impl Sentences {
    pub fn new(
        default_language: &str,
        by_lang: BTreeMap<String, BTreeMap<String, String>>,
    ) -> Self {
        Sentences {
            default_language: default_language.to_string(),
            by_lang,
        }
    }

    /// `msg` in `lang`. A language the site has no sentence in gets the site's default
    /// language, then any language that has it; a file without it at all (only a broken or
    /// hand-made one) gets the key, so a resident always gets an answer.
    pub fn text(&self, lang: &str, msg: &Msg<'_>) -> String {
        let (key, args) = msg.key();
        let template = [lang, self.default_language.as_str()]
            .iter()
            .find_map(|l| self.by_lang.get(*l)?.get(key))
            .or_else(|| self.by_lang.values().find_map(|m| m.get(key)));
        let Some(template) = template else {
            return format!("endpoint.{key}");
        };
        args.iter().fold(template.clone(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls_json::sample;

    fn sentences() -> Sentences {
        let nn = BTreeMap::from([(
            "required".to_string(),
            "Dette spørsmålet må svarast på.".to_string(),
        )]);
        Sentences::new(
            "nb",
            BTreeMap::from([
                ("nb".into(), sample::messages("nb")),
                ("en".into(), sample::messages("en")),
                ("nn".into(), nn),
            ]),
        )
    }

    #[test]
    fn each_language_gets_its_own_sentence_with_its_placeholders_filled() {
        let s = sentences();
        assert_eq!(
            s.text("nn", &Msg::Required),
            "Dette spørsmålet må svarast på."
        );
        assert_eq!(
            s.text("en", &Msg::TooLong { chars: 12, max: 10 }),
            "The answer is too long: 12 characters, but at most 10 are allowed."
        );
        assert_eq!(
            s.text("nb", &Msg::TooLarge),
            "Svaret er for stort til å sendes (høyst 64 KiB i alt). Gjør de lengste svarene kortere og send igjen."
        );
    }

    #[test]
    fn a_language_without_the_sentence_gets_the_default_languages() {
        let s = sentences();
        assert_eq!(
            s.text("nn", &Msg::OnlyOne),
            "Gi bare ett svar på dette spørsmålet."
        );
        assert_eq!(
            s.text("se", &Msg::Required),
            "Dette spørsmålet må besvares."
        );
        assert_eq!(
            Sentences::default().text("nb", &Msg::Required),
            "endpoint.required"
        );
    }
}
