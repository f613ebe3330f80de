//! Turning the library into HTML pages: the Tera set-up with the embedded default theme and a
//! site's own overrides, the `t()` function for UI strings, parallel rendering and minification.

pub mod open_data;
pub mod pages;
pub mod theme;
pub mod views;

use std::sync::Arc;

use anyhow::{Result, anyhow};
use tera::{Context, Kwargs, State, Tera};

use crate::i18n::I18n;
pub use theme::Theme;

/// Renders templates; cheap to share between threads.
pub struct Renderer {
    tera: Tera,
    minify: bool,
}

impl Renderer {
    pub fn new(theme: &Theme, i18n: Arc<I18n>, minify: bool) -> Result<Renderer> {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        let strings = i18n.clone();
        // `t(key="nav.projects")`, `t(key="count.calls", n=3)`: the UI string in the page's
        // language. A missing key is an error naming key and language.
        tera.register_function(
            "t",
            move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
                let key: String = kwargs.must_get("key")?;
                let lang: String = state
                    .get("lang")?
                    .ok_or_else(|| tera::Error::message("t() needs `lang` in the page context"))?;
                let s = strings.strings(&lang);
                let args: Vec<(String, String)> = kwargs
                    .iter()
                    .filter(|(k, _)| k.as_str() != Some("key") && k.as_str() != Some("n"))
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                let args: Vec<(&str, &str)> =
                    args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let result = match kwargs.get::<i64>("n")? {
                    Some(n) => s.plural(&key, n, &args),
                    None => s.get(&key, &args),
                };
                result.map_err(tera::Error::message)
            },
        );
        // Functions must be known before templates are parsed.
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|(n, t)| (n.as_str(), t.as_str())),
        )
        .map_err(|e| anyhow!("a template has an error: {}", tera_error_chain(&e)))?;
        Ok(Renderer { tera, minify })
    }

    /// Renders `template` and minifies the result unless turned off.
    pub fn render(&self, template: &str, context: &Context) -> Result<String> {
        let html = self
            .tera
            .render(template, context)
            .map_err(|e| anyhow!("cannot render {template}: {}", tera_error_chain(&e)))?;
        Ok(if self.minify && template.ends_with(".html") {
            minify_html(&html)
        } else {
            html
        })
    }
}

fn tera_error_chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

pub fn minify_html(html: &str) -> String {
    let cfg = minify_html::Cfg {
        minify_css: true,
        minify_js: true,
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        // Themes style and script `input[type=text]`; removing the default attribute once left
        // the published answer form unstyled.
        keep_input_type_text_attr: true,
        ..minify_html::Cfg::default()
    };
    String::from_utf8(minify_html::minify(html.as_bytes(), &cfg))
        .unwrap_or_else(|_| html.to_string())
}
