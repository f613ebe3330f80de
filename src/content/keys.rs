//! Which front-matter keys each kind of file may use, and where a misplaced key belongs.

use toml::Spanned;

use super::files::*;
use super::frontmatter::FrontMatter;
use super::*;
use crate::diag::Diagnostics;

/// Keys each kind of file may use, besides the common ones.
pub(super) fn allowed_keys(kind: Kind, is_section: bool) -> &'static [&'static str] {
    if is_section {
        return &["title", "summary", "slug"];
    }
    match kind {
        Kind::Area => &["order"],
        Kind::Page => &["order", "menu"],
        Kind::Project => &[
            "areas", "status", "start", "end", "partners", "contact", "goals",
        ],
        Kind::Event => &[
            "start",
            "end",
            "location",
            "online_url",
            "registration_url",
            "areas",
            "project",
        ],
        Kind::Call => &[
            "opens",
            "closes",
            "areas",
            "project",
            "keep_days",
            "questions",
        ],
    }
}

pub(super) const COMMON_KEYS: &[&str] = &[
    "title",
    "summary",
    "slug",
    "date",
    "updated",
    "draft",
    "image",
    "image_alt",
    "translation_of",
];

/// Keys whose value is the same in every language: a translation may leave them out.
pub(super) const SHARED_KEYS: &[&str] = &[
    "areas",
    "status",
    "start",
    "end",
    "partners",
    "contact",
    "order",
    "menu",
    "online_url",
    "registration_url",
    "project",
    "opens",
    "closes",
    "keep_days",
    "date",
    "image",
];

pub(super) fn span_of<T>(s: &Option<Spanned<T>>) -> Option<usize> {
    s.as_ref().map(|s| s.span().start)
}

/// The keys a file set, with their offsets in the front matter.
pub(super) fn present_keys(fm: &FrontMatter) -> Vec<(&'static str, usize)> {
    let keys = [
        ("title", span_of(&fm.title)),
        ("summary", span_of(&fm.summary)),
        ("slug", span_of(&fm.slug)),
        ("date", span_of(&fm.date)),
        ("updated", span_of(&fm.updated)),
        ("draft", span_of(&fm.draft)),
        ("image", span_of(&fm.image)),
        ("image_alt", span_of(&fm.image_alt)),
        ("order", span_of(&fm.order)),
        ("menu", span_of(&fm.menu)),
        ("translation_of", span_of(&fm.translation_of)),
        ("areas", span_of(&fm.areas)),
        ("status", span_of(&fm.status)),
        ("start", span_of(&fm.start)),
        ("end", span_of(&fm.end)),
        ("partners", span_of(&fm.partners)),
        ("contact", span_of(&fm.contact)),
        ("goals", span_of(&fm.goals)),
        ("location", span_of(&fm.location)),
        ("online_url", span_of(&fm.online_url)),
        ("registration_url", span_of(&fm.registration_url)),
        ("project", span_of(&fm.project)),
        ("opens", span_of(&fm.opens)),
        ("closes", span_of(&fm.closes)),
        ("keep_days", span_of(&fm.keep_days)),
        ("questions", span_of(&fm.questions)),
    ];
    keys.into_iter()
        .filter_map(|(k, s)| s.map(|s| (k, s)))
        .collect()
}

pub(super) fn where_key_belongs(key: &str) -> &'static str {
    match key {
        "status" | "partners" | "contact" | "goals" => "content/projects/",
        "location" | "online_url" | "registration_url" => "content/events/",
        "opens" | "closes" | "keep_days" | "questions" => "content/calls/",
        "start" | "end" => "content/projects/ and content/events/",
        "areas" | "project" => "projects, events and calls",
        "menu" => "plain pages",
        "order" => "areas and plain pages",
        _ => "items, not section `_index.md` files",
    }
}

pub(super) fn check_keys(f: &File, kind: Kind, diags: &mut Diagnostics) {
    let allowed = allowed_keys(kind, f.is_section);
    for (key, offset) in present_keys(&f.fm) {
        let ok = allowed.contains(&key) || (!f.is_section && COMMON_KEYS.contains(&key));
        if !ok {
            let what = if f.is_section {
                "a section's `_index` file".to_string()
            } else {
                format!("a {}", kind.as_str())
            };
            diags.push(
                f.source
                    .error(
                        f.front_offset + offset,
                        format!("`{key}` has no meaning in {what}"),
                    )
                    .help(format!(
                        "`{key}` is used in {}; remove it here",
                        where_key_belongs(key)
                    )),
            );
        }
    }
}
