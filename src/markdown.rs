//! Markdown to HTML: CommonMark plus tables and footnotes, `@/` links resolved to URLs, ids on
//! headings for anchors, and the plain text of the body for feeds and search. Pure functions.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};

use crate::messages::Text;

/// A mistake in a body, at a byte offset into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    /// What is wrong and what to do, from the writers' catalogues.
    pub text: Text,
}

/// What `resolve` says of an `@/` link it cannot resolve: why, or nothing when the problem is
/// reported elsewhere (the link leads to a file that failed to load).
pub type Unresolved = Option<Text>;

/// A heading of a body, with the id its anchor links use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 for `#`, 2 for `##` …
    pub level: u8,
    pub id: String,
    pub text: String,
    /// Byte offset of the heading in the body.
    pub offset: usize,
}

/// The result of rendering one body.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// The text without markup, paragraphs separated by blank lines.
    pub text: String,
    /// What is wrong in the body: broken `@/` links, scripts.
    pub problems: Vec<Problem>,
    /// Headings in order.
    pub headings: Vec<Heading>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `body`; `resolve` turns the part after `@/` into a URL or says why it cannot.
pub fn render(body: &str, resolve: &dyn Fn(&str) -> Result<String, Unresolved>) -> Rendered {
    let mut out = Rendered::default();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut used_ids = HashSet::new();
    // Where the heading's start event sits in `events`, its level, given id and body offset.
    let mut heading: Option<(usize, HeadingLevel, Option<CowStr<'_>>, usize)> = None;
    let mut heading_text = String::new();

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = resolve_dest(dest_url, range.start, resolve, &mut out.problems);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = resolve_dest(dest_url, range.start, resolve, &mut out.problems);
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((events.len(), level, id, range.start));
                heading_text.clear();
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes: vec![],
                    attrs: vec![],
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((at, _, given, offset)) = heading.take() {
                    let base = given
                        .map(|g| g.to_string())
                        .unwrap_or_else(|| slugify(&heading_text));
                    let base = if base.is_empty() {
                        "section".to_string()
                    } else {
                        base
                    };
                    let mut id = base.clone();
                    let mut n = 1;
                    while !used_ids.insert(id.clone()) {
                        n += 1;
                        id = format!("{base}-{n}");
                    }
                    events[at] = Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(id.clone())),
                        classes: vec![],
                        attrs: vec![],
                    });
                    out.headings.push(Heading {
                        level: level as u8,
                        id,
                        text: heading_text.trim().to_string(),
                        offset,
                    });
                }
                push_break(&mut out.text, true);
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if heading.is_some() {
                    heading_text.push_str(t);
                }
                out.text.push_str(t);
                events.push(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                if heading.is_some() {
                    heading_text.push(' ');
                }
                out.text.push(' ');
                events.push(event);
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::BlockQuote(_)) => {
                push_break(&mut out.text, true);
                events.push(event);
            }
            Event::End(TagEnd::TableCell | TagEnd::TableRow | TagEnd::CodeBlock) => {
                push_break(&mut out.text, false);
                events.push(event);
            }
            // Raw HTML is allowed, but a script would run on every visitor's phone and break the
            // site's privacy promise: refuse it, and keep it out of the page.
            Event::Html(ref h) | Event::InlineHtml(ref h)
                if h.to_ascii_lowercase().contains("script") =>
            {
                let lower = h.to_ascii_lowercase();
                if lower.contains("<script") {
                    out.problems.push(Problem {
                        offset: range.start,
                        text: Text::new("markdown-script"),
                    });
                } else if !lower.contains("</script") {
                    events.push(event);
                }
            }
            other => events.push(other),
        }
    }
    html::push_html(&mut out.html, events.into_iter());
    out.text = out.text.trim().to_string();
    out
}

/// A link or an image in a body, as written, for checks that look at more than the HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyLink {
    pub image: bool,
    /// The address as written, `@/` links unresolved.
    pub dest: String,
    /// What a reader sees (a link's text) or hears (an image's alt text), without markup.
    pub text: String,
    /// `<https://…>` or `<navn@example.no>`: the text is the address itself.
    pub autolink: bool,
    /// Byte range of the whole link in the body.
    pub range: Range<usize>,
}

/// Every link and image of `body` in order, parsed exactly as [`render`] parses it.
pub fn links(body: &str) -> Vec<BodyLink> {
    let mut done = Vec::new();
    // Open links and images; an image inside a link lends its alt text to the link's text.
    let mut open: Vec<BodyLink> = Vec::new();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => open.push(BodyLink {
                image: false,
                dest: dest_url.to_string(),
                text: String::new(),
                autolink: matches!(link_type, LinkType::Autolink | LinkType::Email),
                range,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => open.push(BodyLink {
                image: true,
                dest: dest_url.to_string(),
                text: String::new(),
                autolink: false,
                range,
            }),
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some(mut link) = open.pop() {
                    link.text = link.text.split_whitespace().collect::<Vec<_>>().join(" ");
                    if let Some(outer) = open.last_mut() {
                        outer.text.push_str(&link.text);
                    }
                    done.push(link);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(l) = open.last_mut() {
                    l.text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(l) = open.last_mut() {
                    l.text.push(' ');
                }
            }
            _ => {}
        }
    }
    done.sort_by_key(|l| l.range.start);
    done
}

/// Resolves an `@/` destination to a URL; any other destination is kept as written. A target
/// that resolves to nothing is kept too, and reported.
fn resolve_dest<'a>(
    dest: CowStr<'a>,
    offset: usize,
    resolve: &dyn Fn(&str) -> Result<String, Unresolved>,
    problems: &mut Vec<Problem>,
) -> CowStr<'a> {
    let Some(target) = dest.strip_prefix("@/") else {
        return dest;
    };
    match resolve(target) {
        Ok(url) => CowStr::from(url),
        Err(text) => {
            if let Some(text) = text {
                problems.push(Problem { offset, text });
            }
            dest
        }
    }
}

/// Ends a block in the plain text. With `full_stop` (a paragraph, list item, heading or quote)
/// a block that ends without punctuation gets one, so that search excerpts, which join the
/// text into one line, read "… fem skoler. Elevene …" rather than "… fem skoler Elevene …".
fn push_break(text: &mut String, full_stop: bool) {
    if text.is_empty() || text.ends_with("\n\n") {
        return;
    }
    let trimmed = text.trim_end().len();
    text.truncate(trimmed);
    if full_stop && text.ends_with(|c: char| c.is_alphanumeric() || c == ')') {
        text.push('.');
    }
    text.push_str("\n\n");
}

/// A URL- and id-safe form of a text: lowercase ASCII, `æ`→`ae`, `ø`→`o`, `å`→`a`, other
/// letters without accents, runs of anything else as one `-`.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        let mapped: &str = match c {
            'æ' => "ae",
            'ø' | 'ö' | 'ó' | 'ò' | 'ô' => "o",
            'å' | 'ä' | 'á' | 'à' | 'â' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'ü' | 'ú' | 'ù' | 'û' => "u",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        if mapped == "-" {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push_str(mapped);
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_links(_: &str) -> Result<String, Unresolved> {
        Err(None)
    }

    #[test]
    fn at_links_resolve_and_broken_ones_are_reported_with_offset() {
        let md = "Se [avtalen](@/avtalen.md) og [x](@/mangler.md).";
        let r = render(md, &|t| {
            if t == "avtalen.md" {
                Ok("/avtalen/".into())
            } else {
                Err(Some(Text::new("links-no-content-file").arg("path", t)))
            }
        });
        assert!(
            r.html.contains(r#"<a href="/avtalen/">avtalen</a>"#),
            "{}",
            r.html
        );
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].offset, md.find("[x]").unwrap());
        assert_eq!(
            r.problems[0].text.say(crate::messages::Lang::En),
            "the link `@/mangler.md` points to no content file"
        );
    }

    #[test]
    fn headings_get_unique_readable_ids() {
        let r = render("## Mål og økonomi\n\n## Mål og økonomi\n", &no_links);
        assert!(r.html.contains(r#"<h2 id="mal-og-okonomi">"#), "{}", r.html);
        assert!(
            r.html.contains(r#"<h2 id="mal-og-okonomi-2">"#),
            "{}",
            r.html
        );
    }

    #[test]
    fn headings_keep_level_text_and_offset() {
        let md = "Intro.\n\n## Mål {#mal}\n\n### Økonomi\n";
        let r = render(md, &no_links);
        let h: Vec<_> = r
            .headings
            .iter()
            .map(|h| (h.level, h.id.as_str(), h.text.as_str(), h.offset))
            .collect();
        assert_eq!(
            h,
            [
                (2, "mal", "Mål", md.find("##").unwrap()),
                (3, "okonomi", "Økonomi", md.find("###").unwrap())
            ]
        );
    }

    #[test]
    fn links_lists_links_and_images_with_text_and_place() {
        let md = "Se [*prosjektet*](@/projects/x.md#mal) og <https://example.no>.\n\n\
                  [![Kart over området](/kart.png)](https://kart.example.no)\n";
        let l = links(md);
        let seen: Vec<_> = l
            .iter()
            .map(|l| (l.image, l.dest.as_str(), l.text.as_str(), l.autolink))
            .collect();
        assert_eq!(
            seen,
            [
                (false, "@/projects/x.md#mal", "prosjektet", false),
                (false, "https://example.no", "https://example.no", true),
                (false, "https://kart.example.no", "Kart over området", false),
                (true, "/kart.png", "Kart over området", false),
            ]
        );
        assert_eq!(
            &md[l[0].range.clone()],
            "[*prosjektet*](@/projects/x.md#mal)"
        );
        // An e-mail autolink's address comes without `mailto:`.
        let mail = &links("<post@example.no>")[0];
        assert_eq!(
            (mail.dest.as_str(), mail.autolink),
            ("post@example.no", true)
        );
    }

    #[test]
    fn tables_render_and_text_has_no_markup() {
        let r = render(
            "| A | B |\n|---|---|\n| 1 | 2 |\n\n**Fet** tekst.",
            &no_links,
        );
        assert!(r.html.contains("<table>"));
        assert!(r.text.contains("Fet tekst."), "{}", r.text);
        assert!(!r.text.contains("**"));
    }

    #[test]
    fn script_tags_are_refused_and_dropped() {
        let r = render(
            "Hei\n\n<script>alert(1)</script>\n\nTekst <script>x()</script> her.\n",
            &no_links,
        );
        assert!(!r.html.contains("script"), "{}", r.html);
        assert_eq!(r.problems.len(), 2, "{:?}", r.problems);
        assert_eq!(r.problems[0].text.id, "markdown-script");
        assert_eq!(
            r.problems[0].text.say(crate::messages::Lang::Nb),
            "innholdet kan ikke inneholde <script>"
        );
    }

    #[test]
    fn slugify_folds_norwegian_letters() {
        assert_eq!(
            slugify("Sykkelvei på Østre Ålesund – fase 2"),
            "sykkelvei-pa-ostre-alesund-fase-2"
        );
    }

    /// Search excerpts read "… fem skoler Elevene …": list items and headings ran together
    /// once pagefind joined the text into one line.
    #[test]
    fn blocks_without_punctuation_end_with_a_full_stop_in_the_text() {
        let r = render(
            "## Skolene\n\n- Prosjektet gjelder fem skoler\n- Elevene er med\n\nSpørsmål?\n\n| A | B |\n|---|---|\n| 1 | 2 |\n",
            &no_links,
        );
        let one_line = r.text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(
            one_line,
            "Skolene. Prosjektet gjelder fem skoler. Elevene er med. Spørsmål? A B 1 2"
        );
    }
}
