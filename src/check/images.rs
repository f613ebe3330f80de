//! Images in the text exist and have alt text. (The front matter's `image` is checked by the
//! build.)

use super::links::{join, web_problem};
use super::{Body, Ctx};
use crate::diag::Diagnostics;
use crate::messages::Text;

pub(crate) fn check(ctx: &Ctx<'_>, body: &Body<'_>, diags: &mut Diagnostics) {
    for image in body.links.iter().filter(|l| l.image) {
        let at = image.range.start;
        let src = image.dest.trim();
        let alt = image.text.trim();
        if alt.is_empty() {
            let text = Text::new("check-image-no-alt").arg("src", src);
            diags.push(body.error(at, "").says(text));
        } else if looks_like_a_file_name(alt, src) {
            let text = Text::new("check-image-alt-is-file-name").arg("src", src);
            diags.push(body.warning(at, "").says(text));
        }
        if src.is_empty() {
            let text = Text::new("check-image-no-address");
            diags.push(body.error(at, "").says(text));
        } else if src.starts_with("http:") || src.starts_with("https:") {
            if let Some(why) = web_problem(src) {
                let text = Text::new("check-image-bad-address")
                    .arg("src", src)
                    .arg_each("problem", |lang| why.say(lang));
                diags.push(body.error(at, "").says(text));
            }
        } else if src.starts_with("data:") || src.starts_with("@/") {
            // Inline data is there by definition; `@/` is resolved (and checked) by the build.
        } else if !exists(ctx, body, src) {
            let text = Text::new("check-image-missing").arg("src", src);
            diags.push(body.error(at, "").says(text));
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
