//! Images in the text exist and have alt text. (The front matter's `image` is checked by the
//! build.)

use super::links::{join, web_problem};
use super::{Body, Ctx};
use crate::diag::Diagnostics;

const IMAGE_HELP: &str = "put the image beside a folder item's index.md and write its name \
     (`![…](park.jpg)`), or in static/ and write its path from the site root (`![…](/bilder/park.jpg)`)";

pub(crate) fn check(ctx: &Ctx<'_>, body: &Body<'_>, diags: &mut Diagnostics) {
    for image in body.links.iter().filter(|l| l.image) {
        let at = image.range.start;
        let src = image.dest.trim();
        let alt = image.text.trim();
        if alt.is_empty() {
            diags.push(
                body.error(at, format!("the image `{src}` has no alt text"))
                    .help("describe what it shows between the [ ], e.g. `![Barn planter poteter i skolehagen](hage.jpg)`; people who cannot see it hear this text"),
            );
        } else if looks_like_a_file_name(alt, src) {
            diags.push(
                body.warning(at, format!("the alt text of `{src}` is a file name"))
                    .help("describe what the image shows, for people who cannot see it"),
            );
        }
        if src.is_empty() {
            diags.push(body.error(at, "the image has no address").help(IMAGE_HELP));
        } else if src.starts_with("http:") || src.starts_with("https:") {
            if let Some(why) = web_problem(src) {
                diags.push(
                    body.error(at, format!("the image `{src}` is not a web address: {why}"))
                        .help(IMAGE_HELP),
                );
            }
        } else if src.starts_with("data:") || src.starts_with("@/") {
            // Inline data is there by definition; `@/` is resolved (and checked) by the build.
        } else if !exists(ctx, body, src) {
            diags.push(
                body.error(at, format!("the image `{src}` does not exist"))
                    .help(IMAGE_HELP),
            );
        }
    }
}

fn exists(ctx: &Ctx<'_>, body: &Body<'_>, src: &str) -> bool {
    let path = src.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with('/') && body.assets.contains(&path) {
        return true;
    }
    let url = if path.starts_with('/') {
        path.to_string()
    } else {
        join(body.url, path)
    };
    match &ctx.built {
        Some(built) => built.contains(&url),
        // The site could not be rendered: fall back to the site's own static files.
        None => ctx
            .root
            .join("static")
            .join(url.trim_start_matches('/'))
            .is_file(),
    }
}

/// `IMG_2041.jpg`, or the image's own file name.
fn looks_like_a_file_name(alt: &str, src: &str) -> bool {
    let name = src.rsplit('/').next().unwrap_or(src);
    let lower = alt.to_lowercase();
    lower == name.to_lowercase()
        || [".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif"]
            .iter()
            .any(|ext| lower.ends_with(ext))
}
