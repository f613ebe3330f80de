//! The text of a new content file: front matter with a short note on every key, for a new item
//! of each kind, or for a translation of an existing item that copies its structure.
//!
//! New files are drafts, and text Torget cannot guess is the placeholder `"…"`, so nothing
//! half-written reaches residents; `torget check` points at what is left to do.

use std::fmt::Write as _;

use jiff::civil::{Date, DateTime};

use crate::check::translations::source_hash;
use crate::cli::NewKind;
use crate::content::{Item, MAX_ANSWER_CHARS, QuestionKind};
use crate::markdown::slugify;

/// What a new item's file is made from.
pub(crate) struct NewItem<'a> {
    pub kind: NewKind,
    pub title: &'a str,
    /// Areas to write, already checked to exist.
    pub areas: &'a [String],
    /// Every area and project of the site, named in the notes.
    pub known_areas: &'a [String],
    pub known_projects: &'a [String],
    /// A page directly in content/ (it can be in a menu) rather than in a section.
    pub top_level: bool,
    /// Dates in the file start from this day.
    pub today: Date,
    /// The site's time zone name, for the notes on date-times.
    pub timezone: &'a str,
}

/// A front matter being written.
#[derive(Default)]
struct Front(String);

impl Front {
    /// A comment, wrapped to fit a narrow editor window.
    fn note(&mut self, text: &str) {
        const WIDTH: usize = 90;
        for paragraph in text.lines() {
            let mut line = String::from("#");
            for word in paragraph.split(' ') {
                if line.len() > 1 && line.chars().count() + 1 + word.chars().count() > WIDTH {
                    let _ = writeln!(self.0, "{line}");
                    line = String::from("#");
                }
                line.push(' ');
                line.push_str(word);
            }
            let _ = writeln!(self.0, "{line}");
        }
    }

    fn key(&mut self, key: &str, value: &str) {
        let _ = writeln!(self.0, "{key} = {value}");
    }

    /// A value still in the source's language.
    fn untranslated(&mut self, key: &str, value: &str) {
        let _ = writeln!(self.0, "{key} = {value} # TRANSLATE");
    }

    fn blank(&mut self) {
        self.0.push('\n');
    }

    fn finish(self, body: &str) -> String {
        format!("+++\n{}+++\n{body}", self.0)
    }
}

/// A TOML string.
fn text(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A TOML list of strings.
fn list(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| text(s)).collect();
    format!("[{}]", parts.join(", "))
}

pub(crate) fn kind_name(kind: NewKind) -> &'static str {
    match kind {
        NewKind::Project => "project",
        NewKind::Event => "event",
        NewKind::Call => "call",
        NewKind::Page => "page",
    }
}

fn known(names: &[String]) -> String {
    if names.is_empty() {
        "none yet".to_string()
    } else {
        names.join(", ")
    }
}

/// The file of a new item.
pub(crate) fn new_item(n: &NewItem<'_>) -> String {
    let kind = kind_name(n.kind);
    let mut f = Front::default();
    f.note("Made by `torget new`. Lines starting with # are notes for you; the build skips them.");
    f.note("docs/content.md explains every key. Write the text in Markdown below the closing +++;");
    f.note("the title is the page's main heading, so start your own headings at ##.");
    f.blank();
    f.note(&format!(
        "A draft is left out of the site. Delete this line when the {kind} is ready."
    ));
    f.key("draft", "true");
    f.blank();
    f.note("The title, as residents read it.");
    f.key("title", &text(n.title));
    f.note("One or two sentences for lists, feeds and search results.");
    f.key("summary", &text("…"));
    let areas_note = format!(
        "Thematic areas, by file name in content/areas/ (here: {}).",
        known(n.known_areas)
    );
    let project_note = format!(
        "The project it belongs to, by file name in content/projects/ (here: {}).",
        known(n.known_projects)
    );
    let example_area = n
        .known_areas
        .first()
        .cloned()
        .unwrap_or_else(|| "byutvikling".into());
    let example_project = n
        .known_projects
        .first()
        .cloned()
        .unwrap_or_else(|| "skolehage".into());
    let optional_areas = |f: &mut Front| {
        f.note(&areas_note);
        if n.areas.is_empty() {
            f.note(&format!(
                "areas = {}",
                list(std::slice::from_ref(&example_area))
            ));
        } else {
            f.key("areas", &list(n.areas));
        }
    };
    let at = |days: i64, hour: i8, minute: i8| -> DateTime {
        n.today
            .checked_add(jiff::SignedDuration::from_hours(24 * days))
            .unwrap_or(n.today)
            .at(hour, minute, 0, 0)
    };
    let clock = format!("as the clock in {} shows it", n.timezone);
    match n.kind {
        NewKind::Project => {
            f.note(&areas_note);
            f.key("areas", &list(n.areas));
            f.note(
                "\"planned\", \"active\" or \"completed\". Active projects are on the home page.",
            );
            f.key("status", &text("planned"));
            f.note("The first day, and the last one when it is known (dates have no quotes).");
            f.key("start", &n.today.to_string());
            f.note(&format!("end = {}", at(365, 0, 0).date()));
            f.note("Partners, shown as written; a translation may give them in its language.");
            f.note("partners = [\"NTNU\", \"Trondheim kommune\"]");
            f.note("Who residents can ask: both a name and an e-mail address.");
            f.note("contact = { name = \"…\", email = \"…\" }");
            f.blank();
            f.note(
                "Goals, if any: one [[goals]] block each, after every other key. A goal's status",
            );
            f.note("is \"planned\", \"on-track\", \"at-risk\" or \"achieved\".");
            f.note("[[goals]]");
            f.note("title = \"…\"");
            f.note("status = \"planned\"");
        }
        NewKind::Event => {
            f.note(&format!("When it begins and ends, {clock}."));
            f.key("start", &at(14, 18, 0).to_string());
            f.key("end", &at(14, 20, 0).to_string());
            f.note("Where: a name, and an address if it helps. A translation may translate it.");
            f.key("location", "{ name = \"…\", address = \"…\" }");
            f.note(
                "For an online or hybrid event, where to join. An online event needs no location.",
            );
            f.note("online_url = \"https://…\"");
            f.note("Where to sign up, if residents must.");
            f.note("registration_url = \"https://…\"");
            optional_areas(&mut f);
            f.note(&project_note);
            f.note(&format!("project = {}", text(&example_project)));
        }
        NewKind::Call => {
            f.note(&format!(
                "When the form opens, and the deadline, {clock}. The form opens and closes by itself."
            ));
            // Open from today, so its form can be tried in the preview at once.
            f.key("opens", &at(0, 0, 0).to_string());
            f.key("closes", &at(30, 23, 59).to_string());
            f.note("How many days the feedback service keeps the answers; leave it out to let it decide.");
            f.note("keep_days = 365");
            optional_areas(&mut f);
            f.note(&project_note);
            f.note(&format!("project = {}", text(&example_project)));
            f.blank();
            f.note(
                "The questions, in the order they are asked: one [[questions]] block each, after",
            );
            f.note("every other key. `id` is a short name (a–z, digits, - and _): never change it once");
            f.note("the call has opened. `kind` is \"text\", \"longtext\", \"choice\", \"multichoice\" or");
            f.note("\"scale\"; choice and multichoice need `options = [\"…\", \"…\"]`, a scale takes `min`,");
            f.note("`max`, `min_label` and `max_label`. `help` is a hint under the question.");
            f.0.push_str("[[questions]]\n");
            f.key("id", &text("innspill"));
            f.key("kind", &text("longtext"));
            f.key("label", &text("…"));
            f.note("help = \"…\"");
            f.key("required", "true");
        }
        NewKind::Page => {
            if n.top_level {
                f.note("\"main\" puts the page in the main menu, \"footer\" in the footer menu.");
                f.note("menu = \"footer\"");
                f.note("Its place in the menu, smallest first.");
                f.note("order = 1");
            } else {
                f.note("The publication date: the section lists its pages newest first.");
                f.key("date", &n.today.to_string());
            }
        }
    }
    f.finish("")
}

/// The file of `item`'s translation into `lang`, with the structure of its primary file.
pub(crate) fn translation(item: &Item, lang: &str, title: &str) -> String {
    let source = item.primary();
    let from = source.source.path.display().to_string();
    let mut f = Front::default();
    f.note(&format!(
        "The `{lang}` translation of {from}, made by `torget new`."
    ));
    f.note(&format!(
        "Translate the values with a TRANSLATE comment (then delete the comment) and the text \
         below the closing +++. Dates, areas and other shared settings come from {from}."
    ));
    f.note("Lines starting with # are notes for you; the build skips them.");
    f.blank();
    f.note("A draft is left out of the site. Delete this line when the translation is ready.");
    f.key("draft", "true");
    f.note(&format!(
        "What this was translated from. When {from} changes, `torget check` says so: then \
         bring this file up to date and run `torget translation mark` on it."
    ));
    f.key("translation_of", &text(&source_hash(source)));
    f.blank();
    f.key("title", &text(title));
    f.untranslated("summary", &text(&source.summary));
    let slug = slugify(title);
    if !slug.is_empty() {
        f.note(&format!("The last part of the page's address in `{lang}`."));
        f.key("slug", &text(&slug));
    }
    if let Some(alt) = &source.image_alt {
        f.note("What the image shows, for people who cannot see it.");
        f.untranslated("image_alt", &text(alt));
    }
    if let Some(l) = &source.location {
        f.note(&format!(
            "Delete `location` to show the {} one.",
            source.lang
        ));
        let mut value = format!("{{ name = {}", text(&l.name));
        if !l.address.is_empty() {
            let _ = write!(value, ", address = {}", text(&l.address));
        }
        value.push_str(" }");
        f.untranslated("location", &value);
    }
    if !source.partners.is_empty() {
        f.note(&format!(
            "Partners as `{lang}` readers know them. Delete `partners` to show the {} ones.",
            source.lang
        ));
        f.untranslated("partners", &list(&source.partners));
    }
    if let Some(c) = &source.contact {
        f.note(&format!(
            "The contact's name in `{lang}`; the e-mail address comes from {from}. Delete \
             `contact` to show the {} name.",
            source.lang
        ));
        f.untranslated("contact", &format!("{{ name = {} }}", text(&c.name)));
    }
    if !source.goals.is_empty() {
        f.blank();
        f.note("The same goals in the same order; keep each status.");
        for g in &source.goals {
            f.0.push_str("[[goals]]\n");
            f.untranslated("title", &text(&g.title));
            f.key("status", &text(goal_status(g.status)));
        }
    }
    if !source.questions.is_empty() {
        f.blank();
        f.note("The same questions in the same order, with the same id, kind, required, min, max");
        f.note("and max_length. Translate the texts, and keep the order of the options.");
        for q in &source.questions {
            f.0.push_str("[[questions]]\n");
            f.key("id", &text(&q.id));
            f.key("kind", &text(question_kind(q.kind)));
            f.untranslated("label", &text(&q.label));
            if let Some(help) = &q.help {
                f.untranslated("help", &text(help));
            }
            if q.kind.has_options() {
                f.untranslated("options", &list(&q.options));
            }
            if q.required {
                f.key("required", "true");
            }
            if q.kind == QuestionKind::Scale {
                f.key("min", &q.min.to_string());
                f.key("max", &q.max.to_string());
                if let Some(l) = &q.min_label {
                    f.untranslated("min_label", &text(l));
                }
                if let Some(l) = &q.max_label {
                    f.untranslated("max_label", &text(l));
                }
            }
            let default_len = if q.kind == QuestionKind::Text {
                500
            } else {
                MAX_ANSWER_CHARS
            };
            if q.max_length != default_len {
                f.key("max_length", &q.max_length.to_string());
            }
        }
    }
    let body = source.markdown();
    f.finish(body)
}

fn goal_status(s: crate::content::GoalStatus) -> &'static str {
    use crate::content::GoalStatus::*;
    match s {
        Planned => "planned",
        OnTrack => "on-track",
        AtRisk => "at-risk",
        Achieved => "achieved",
    }
}

fn question_kind(k: QuestionKind) -> &'static str {
    match k {
        QuestionKind::Text => "text",
        QuestionKind::Longtext => "longtext",
        QuestionKind::Choice => "choice",
        QuestionKind::Multichoice => "multichoice",
        QuestionKind::Scale => "scale",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_valid_toml_whatever_the_title() {
        for title in ["Si «hei» \"der\"", "a\\b 'c' \"d\"", "Æ ø å", "#1 = [x]"] {
            let doc: toml::Table = format!("t = {}\nl = {}", text(title), list(&[title.into()]))
                .parse()
                .unwrap();
            assert_eq!(doc["t"].as_str(), Some(title));
            assert_eq!(doc["l"][0].as_str(), Some(title));
        }
    }

    #[test]
    fn a_new_project_names_its_area_and_is_a_draft() {
        let areas = vec!["byutvikling".to_string(), "miljo".to_string()];
        let text = new_item(&NewItem {
            kind: NewKind::Project,
            title: "Ny sykkelvei",
            areas: &areas[..1],
            known_areas: &areas,
            known_projects: &[],
            top_level: false,
            today: jiff::civil::date(2026, 11, 26),
            timezone: "Europe/Oslo",
        });
        assert!(text.starts_with("+++\n# Made by `torget new`."), "{text}");
        for line in [
            "draft = true\n",
            "title = \"Ny sykkelvei\"\n",
            "summary = \"…\"\n",
            "# Thematic areas, by file name in content/areas/ (here: byutvikling, miljo).\n",
            "areas = [\"byutvikling\"]\n",
            "start = 2026-11-26\n",
            "# end = 2027-11-26\n",
        ] {
            assert!(text.contains(line), "{line}: {text}");
        }
        assert!(text.ends_with("# status = \"planned\"\n+++\n"), "{text}");
    }
}
