//! Tests of the endpoint's pages: the receipt, the form returned with its mistakes.

use super::*;
use crate::calls_json::sample;

fn site_with(html: &str) -> Site {
    let mut site = Site::from_file(sample::file(vec![])).unwrap();
    site.thanks_pages.insert("nb".into(), html.into());
    site
}

const PAGE: &str = "<!doctype html><html lang=nb><head><meta charset=utf-8><title>Takk for innspillet! – Kommunen</title><link href=/style.css rel=stylesheet></head><body><main id=main tabindex=-1><h1>Takk</h1><code data-receipt>—</code></main><footer>f</footer></body></html>";

#[test]
fn the_receipt_is_filled_in_escaped() {
    let site = site_with(PAGE);
    let f = Frame::new(&site, "nb", None, None);
    let html = f.thanks("AB<CD", "Takk", None);
    assert!(html.contains("<code data-receipt>AB&lt;CD</code></main>"));
}

#[test]
fn messages_replace_the_main_content_and_keep_the_site_around_them() {
    let site = site_with(PAGE);
    let f = Frame::new(&site, "en", Some("https://site.example"), Some("/takk/"));
    let html = f.page("Withdrawn", "<p>Gone.</p>");
    assert_eq!(
        html,
        "<!doctype html><html lang=nb><head><base href=\"https://site.example/takk/\"><meta charset=utf-8><title>Withdrawn – Kommunen</title><link href=/style.css rel=stylesheet></head><body><main id=main tabindex=-1><div class=\"wrap narrow\"><h1>Withdrawn</h1><p>Gone.</p></div></main><footer>f</footer></body></html>"
    );
}

#[test]
fn without_a_built_page_a_plain_page_is_served() {
    let site = Site::from_file(sample::file(vec![])).unwrap();
    let f = Frame::new(&site, "en", None, None);
    let html = f.thanks("X", "Thanks", None);
    assert!(html.starts_with("<!doctype html><html lang=\"en\">"));
    assert!(html.contains("<h1>Thanks</h1><p class=\"receipt\"><code data-receipt>X</code></p>"));
}

#[test]
fn tags_are_read_however_they_were_written_and_scripts_are_skipped() {
    let html = "<script>var s = '<input name=tema>';</script><form class=answer-form data-call=c><div data-question=tema><input id=q-tema name=tema value='old \"x\"'></div></form><input name=tema>";
    let seen = std::cell::RefCell::new(Vec::new());
    let out = each_tag(html, Some("c"), |tag, q| {
        seen.borrow_mut()
            .push(format!("{} {:?} {:?}", tag.name, q, tag.get("value")));
        if tag.name == "input" {
            tag.set("value", Some("ny & <b>".into()));
            return (tag.to_html(), false);
        }
        (String::new(), false)
    });
    assert_eq!(
        seen.into_inner(),
        [
            "div Some(\"tema\") None",
            "input Some(\"tema\") Some(\"old \\\"x\\\"\")"
        ]
    );
    assert!(out.contains(
        "<input id=\"q-tema\" name=\"tema\" value=\"ny &amp; &lt;b&gt;\"></div></form><input name=tema>"
    ));
    assert!(out.starts_with("<script>var s = '<input name=tema>';</script>"));
}
