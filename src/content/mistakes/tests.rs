//! What a writer reads for a date written another way and a key inside a table, in both
//! languages, through the whole parse of a file.

use crate::content::frontmatter::{parse, split};
use crate::diag::{Diagnostic, Source};
use crate::messages::Lang;

fn error(front: &str) -> Diagnostic {
    let src = Source::new("content/events/mote.md", format!("+++\n{front}+++\n"));
    let s = split(&src).unwrap();
    parse(&src, &s).unwrap_err()
}

/// Message and help in `lang`, on one line each.
fn said(d: &Diagnostic, lang: Lang) -> String {
    format!(
        "{}\nhelp: {}",
        d.message_in(lang),
        d.help_in(lang).unwrap_or_default()
    )
}

const EVENT: &str = "title = \"Møte\"\nsummary = \"x\"\n";

#[test]
fn a_month_out_of_range_is_named_with_the_format_and_an_example_without_quotes() {
    let d = error(&format!("{EVENT}start = 2026-13-45\n"));
    assert_eq!(d.line, Some(4));
    assert_eq!(d.code(), Some("date-no-such-month"));
    assert_eq!(
        said(&d, Lang::En),
        "`start = 2026-13-45`: there is no month 13\nhelp: the month comes in the middle and goes \
         from 01 to 12: year-month-day, e.g. `start = 2026-12-01` or `start = 2026-12-01T18:00`"
    );
    assert_eq!(
        said(&d, Lang::Nb),
        "`start = 2026-13-45`: det finnes ingen måned 13\nhelp: måneden står i midten og går fra \
         01 til 12: år-måned-dag, f.eks. `start = 2026-12-01` eller `start = 2026-12-01T18:00`"
    );
    assert!(!d.help.unwrap().contains('"'));
}

#[test]
fn a_day_out_of_range_is_named_even_where_toml_reads_it() {
    let d = error(&format!("{EVENT}start = 2026-12-45T18:00\n"));
    assert_eq!(
        d.message_in(Lang::En),
        "`start = 2026-12-45T18:00`: month 12 has 31 days, not 45"
    );
    assert_eq!(
        d.message_in(Lang::Nb),
        "`start = 2026-12-45T18:00`: måned 12 har 31 dager, ikke 45"
    );
    let d = error(&format!("{EVENT}start = 2026-12-01T25:00\n"));
    assert_eq!(d.code(), Some("date-no-such-hour"));
}

#[test]
fn the_norwegian_habit_is_recognised_and_shown_rewritten() {
    let d = error(&format!("{EVENT}start = 01.12.2026\n"));
    assert_eq!(
        said(&d, Lang::En),
        "`start = 01.12.2026` has the day first; torget reads dates year first\nhelp: write it \
         `start = 2026-12-01` (year-month-day, no quotes; a time goes after `T`)"
    );
    assert_eq!(
        said(&d, Lang::Nb),
        "`start = 01.12.2026` har dagen først; torget leser datoer med året først\nhelp: skriv \
         `start = 2026-12-01` (år-måned-dag, uten anførselstegn; klokkeslettet etter `T`)"
    );
    let d = error(&format!("{EVENT}start = \"1.12.2026 kl. 18.00\"\n"));
    assert!(
        d.help_in(Lang::En)
            .unwrap()
            .contains("`start = 2026-12-01T18:00`"),
        "{d}"
    );
}

#[test]
fn a_date_in_quotes_is_shown_without_them() {
    let d = error(&format!("{EVENT}start = \"2026-12-01 18:00\"\n"));
    assert_eq!(d.code(), Some("date-as-text"));
    assert_eq!(
        d.help_in(Lang::En).unwrap(),
        "write it `start = 2026-12-01T18:00`: no quotes, and `T` between the date and the time"
    );
}

#[test]
fn something_else_gets_the_format_and_an_example() {
    let d = error(&format!("{EVENT}start = neste uke\n"));
    assert_eq!(d.code(), Some("date-format"));
    assert!(
        d.help_in(Lang::Nb)
            .unwrap()
            .contains("`start = 2026-12-01T18:00`")
    );
}

#[test]
fn a_page_key_below_questions_says_to_move_it_above_them() {
    let d = error(&format!(
        "{EVENT}[[questions]]\nid = \"q\"\nkind = \"text\"\nlabel = \"Hva?\"\nkeep_days = 30\n"
    ));
    assert_eq!(d.line, Some(8), "{d}");
    assert_eq!(
        said(&d, Lang::En),
        "`keep_days` belongs to the page, but here it is inside `[[questions]]`\nhelp: move \
         `keep_days` above the first `[[questions]]`: the lines below a line in brackets belong to it"
    );
    assert_eq!(
        said(&d, Lang::Nb),
        "`keep_days` hører til siden, men her står den inni `[[questions]]`\nhelp: flytt \
         `keep_days` over den første `[[questions]]`: linjene under en linje i hakeparenteser hører til den"
    );
}

#[test]
fn the_same_for_goals_and_location_naming_the_first_table() {
    let d = error(&format!(
        "{EVENT}[location]\nname = \"Rådhuset\"\n[[goals]]\ntitle = \"Mål\"\nstatus = \"done\"\nstart = 2026-12-01\n"
    ));
    assert_eq!(
        d.message_in(Lang::En),
        "`start` belongs to the page, but here it is inside `[[goals]]`"
    );
    assert!(
        d.help_in(Lang::En)
            .unwrap()
            .starts_with("move `start` above the first `[location]`")
    );
    let d = error(&format!(
        "{EVENT}[location]\nname = \"Rådhuset\"\nproject = \"x\"\n"
    ));
    assert_eq!(d.code(), Some("key-inside-table"), "{d}");
}

#[test]
fn a_misspelt_key_is_still_a_spelling_mistake() {
    let d = error(&format!("{EVENT}titel = \"x\"\n"));
    assert_eq!(
        said(&d, Lang::En),
        "`titel` is not a key torget knows\nhelp: check the spelling; docs/content.md lists the \
         keys of each kind of page"
    );
    let d = error(&format!(
        "{EVENT}[[questions]]\nid = \"q\"\nkind = \"text\"\nlabel = \"x\"\nlable = \"y\"\n"
    ));
    assert_eq!(d.code(), Some("frontmatter-unknown-key"));
}
