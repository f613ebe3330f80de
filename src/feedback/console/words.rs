//! The console's words in Norwegian Bokmål and English: one table per language, the same keys
//! in both (a test holds them to it), looked up by key. `{name}` marks a placeholder.
//!
//! The console is for the site's staff, so it speaks the two languages they work in rather
//! than every language the site publishes; a site whose default is Nynorsk gets Bokmål.

/// The languages the console speaks.
pub(crate) const LANGS: [&str; 2] = ["nb", "en"];

/// The language the console speaks for a site whose default language is `site_default`.
pub(crate) fn for_site(site_default: &str) -> &'static str {
    match site_default {
        "en" => "en",
        _ => "nb",
    }
}

/// One language's words.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Words {
    pub lang: &'static str,
    table: &'static [(&'static str, &'static str)],
}

impl Words {
    /// The words of `lang` (one of [`LANGS`]; anything else gets Bokmål).
    pub fn of(lang: &str) -> Words {
        match lang {
            "en" => Words {
                lang: "en",
                table: EN,
            },
            _ => Words {
                lang: "nb",
                table: NB,
            },
        }
    }

    /// The words of the other language, for the language switch.
    pub fn other(self) -> Words {
        Words::of(if self.lang == "en" { "nb" } else { "en" })
    }

    /// The text of `key`. A key missing from the tables (which a test rules out for every key
    /// the console's code names) shows as itself rather than failing a page.
    pub fn get(self, key: &str) -> &'static str {
        match self.table.iter().find(|(k, _)| *k == key) {
            Some((_, text)) => text,
            None => {
                debug_assert!(false, "no console word `{key}`");
                ""
            }
        }
    }

    /// The text of `key` with `{name}` placeholders filled in.
    pub fn fill(self, key: &str, values: &[(&str, &str)]) -> String {
        let mut text = self.get(key).to_string();
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    /// What an audit action is called, or its code for one these words do not know.
    pub fn action(self, code: &str) -> String {
        let key = format!("action.{code}");
        match self.table.iter().find(|(k, _)| *k == key) {
            Some((_, text)) => (*text).to_string(),
            None => code.to_string(),
        }
    }
}

const NB: &[(&str, &str)] = &[
    ("lang_name", "Norsk bokmål"),
    ("lang_switch", "Språk"),
    ("console", "Svarpulten"),
    ("skip", "Hopp til innholdet"),
    ("nav", "Svarpulten"),
    ("nav_calls", "Innspillsrunder"),
    ("nav_audit", "Logg"),
    ("nav_search", "Søk"),
    ("search_title", "Søk i svarene"),
    ("search_label", "Søk i fritekstsvarene"),
    ("search_button", "Søk"),
    (
        "search_help",
        "Et ord finner også andre former av det (benk finner benker), og ae, o og a finner æ, ø og å. Sett ord i anførselstegn for å søke etter dem i den rekkefølgen. Skjulte svar er med.",
    ),
    (
        "search_found",
        "{n} treff på «{q}». Side {page}, beste treff først.",
    ),
    ("search_none", "Ingen svar passer med «{q}»."),
    (
        "search_hint",
        "Prøv færre ord, et annet ord eller en annen stavemåte. Tegn som : ( ) og \" søkes som vanlige ord.",
    ),
    (
        "search_too_long",
        "Søket er lengre enn 200 tegn, så ingenting ble søkt. Søk med færre ord.",
    ),
    ("search_preparing_title", "Søket gjøres klart"),
    (
        "search_preparing",
        "Søket gjøres klart: svarene leses inn. Prøv igjen om litt.",
    ),
    ("search_hit", "{call}: svar {id}"),
    ("search_show", "Vis svar {id} i innspillsrunden"),
    ("search_prev", "Forrige side"),
    ("search_next", "Neste side"),
    ("search_matches", "Treff i fritekst:"),
    ("only_answer", "Viser bare svar {id}."),
    ("all_matching", "Vis alle svarene med disse filtrene"),
    ("signed_in_as", "Innlogget som {name} ({role})"),
    ("role.editor", "redaktør"),
    ("role.admin", "administrator"),
    ("sign_out", "Logg ut"),
    (
        "preview_banner",
        "Forhåndsvisning: ingen innlogging. Svarene her er forhåndsvisningens egne, ikke nettstedets.",
    ),
    ("login_title", "Logg inn"),
    ("email", "E-postadresse"),
    ("password", "Passord"),
    ("sign_in", "Logg inn"),
    (
        "login_wrong",
        "E-postadressen eller passordet er feil. Prøv igjen, eller be en administrator om en ny lenke for å velge passord.",
    ),
    (
        "login_locked",
        "For mange mislykkede innlogginger. Innloggingen er stengt i 15 minutter; prøv igjen senere.",
    ),
    ("signed_out", "Du er logget ut."),
    ("session_ended", "Økten er utløpt. Logg inn igjen."),
    ("setup_title", "Velg passord"),
    (
        "setup_intro",
        "Velg et passord for {email}. Det må ha minst 12 tegn; noen ord etter hverandre gir et langt passord som er lett å huske.",
    ),
    ("password_new", "Nytt passord"),
    ("password_again", "Nytt passord en gang til"),
    ("setup_save", "Lagre passordet og logg inn"),
    (
        "setup_mismatch",
        "Passordene er ikke like. Skriv det samme passordet i begge feltene.",
    ),
    ("setup_short", "Passordet har {n} tegn. Det må ha minst 12."),
    (
        "setup_long",
        "Passordet har {n} tegn. Det kan ha høyst 1024.",
    ),
    ("setup_gone_title", "Lenken virker ikke"),
    (
        "setup_gone",
        "Lenken er brukt eller utløpt: den virker én gang, i 24 timer. Be en administrator om en ny (torget feedback staff reset).",
    ),
    ("refused_title", "Forespørselen ble avvist"),
    (
        "csrf_refused",
        "Skjemaet kom uten gyldig sikkerhetsnøkkel, så ingenting ble endret. Last inn siden på nytt og prøv igjen.",
    ),
    (
        "origin_refused",
        "Skjemaet kom fra et annet nettsted, så ingenting ble endret. Åpne Svarpulten direkte og prøv igjen.",
    ),
    (
        "admins_only",
        "Bare administratorer kan se loggen. Be en administrator om hjelp om du trenger den.",
    ),
    ("not_found_title", "Siden finnes ikke"),
    (
        "not_found",
        "Svarpulten har ingen side på denne adressen. Gå til innspillsrundene for å finne svarene.",
    ),
    ("export_failed_title", "Filen kunne ikke lages"),
    (
        "export_failed",
        "Excel-filen kunne ikke lages. Last ned CSV-filen i stedet, og si fra til den som drifter Svarpulten.",
    ),
    ("unavailable_title", "Svarpulten er utilgjengelig"),
    (
        "unavailable",
        "Databasen svarte ikke, så ingenting ble endret. Prøv igjen om et øyeblikk.",
    ),
    ("calls_title", "Innspillsrunder"),
    (
        "calls_intro",
        "Alle innspillsrundene på nettstedet: åpne, kommende og avsluttede, med antall svar.",
    ),
    ("calls_caption", "Innspillsrunder og antall svar"),
    ("col_call", "Innspillsrunde"),
    ("col_status", "Status"),
    ("col_opens", "Åpner"),
    ("col_closes", "Stenger"),
    ("col_answers", "Svar"),
    ("col_public", "Offentlig side"),
    ("col_per_day", "Svar per dag"),
    ("col_day", "Dag"),
    ("per_day_summary", "Svar per dag: {call}"),
    ("status.open", "Åpen"),
    ("status.upcoming", "Kommer"),
    ("status.closed", "Avsluttet"),
    ("public_link", "Åpne siden"),
    ("no_calls", "Nettstedet har ingen innspillsrunder ennå."),
    ("audit_title", "Logg over handlinger"),
    (
        "audit_intro",
        "Hvem gjorde hva, og når: innlogging, utlogging, stengte innlogginger, endringer av ansatte, eksport og moderering. Loggen inneholder aldri svartekst.",
    ),
    ("audit_caption", "Handlinger, nyeste først"),
    ("col_when", "Når"),
    ("col_who", "Hvem"),
    ("col_action", "Handling"),
    ("col_detail", "Gjelder"),
    ("audit_empty", "Loggen er tom."),
    (
        "audit_past_end",
        "Loggen har ikke side {page}. Gå til første side for de nyeste handlingene.",
    ),
    ("pages", "Sider"),
    ("newer", "Nyere"),
    ("older", "Eldre"),
    ("page_n", "Side {page}"),
    ("first_page", "Til første side"),
    ("action.signin", "Logget inn"),
    ("action.signout", "Logget ut"),
    (
        "action.signin.locked",
        "Innlogging stengt etter for mange feil",
    ),
    ("action.staff.add", "La til ansatt"),
    ("action.staff.remove", "Fjernet ansatt"),
    ("action.staff.reset", "Ny lenke for passord"),
    ("action.staff.setup", "Valgte passord"),
    (
        "no_such_call",
        "Nettstedet har ingen innspillsrunde med denne adressen. Gå til innspillsrundene og velg en der.",
    ),
    (
        "no_such_answer",
        "Innspillsrunden har ikke noe slikt svar (det kan være slettet), så ingenting ble endret.",
    ),
    (
        "bad_lang",
        "Språket i filteret er ikke et av innspillsrundens språk. Velg et i listen.",
    ),
    (
        "bad_date",
        "En dato i filteret er ikke en dato. Skriv datoer som 2026-05-01.",
    ),
    (
        "bad_filter",
        "Filteret nevner et svar innspillsrunden ikke har. Velg et i listen.",
    ),
    (
        "past_the_end",
        "Det er ikke så mange sider med svar. Gå tilbake til første side.",
    ),
    (
        "answers_found",
        "{n} svar med disse filtrene. Side {page}, nyeste først.",
    ),
    ("counts_title", "Svar per spørsmål"),
    (
        "counts_intro",
        "Tallene er de offentlige: skjulte svar er ikke med.",
    ),
    ("answered_n", "{n} har svart på dette spørsmålet."),
    ("col_answer", "Svar"),
    ("col_count", "Antall"),
    ("filters", "Filtrer svarene"),
    ("filter_answer", "Med svaret"),
    ("any_answer", "Alle svar"),
    ("filter_lang", "Språk"),
    ("any_lang", "Alle språk"),
    ("filter_theme", "Tema"),
    ("any_theme", "Alle temaer"),
    ("filter_from", "Fra og med dato"),
    ("filter_to", "Til og med dato"),
    ("filter_show", "Vis"),
    ("show_all", "Alle svar"),
    ("show_visible", "Bare synlige svar"),
    ("show_hidden", "Bare skjulte svar"),
    ("apply", "Filtrer"),
    ("response_n", "Svar {id}"),
    ("response_meta", "Sendt {when}, på {lang}."),
    (
        "hidden_because",
        "Skjult fra de offentlige tallene av {by} {when}: {reason}",
    ),
    ("hide_reason", "Grunn til å skjule svar {id}"),
    ("hide", "Skjul"),
    ("unhide", "Vis svar {id} igjen"),
    ("delete_link", "Slett svar {id} …"),
    ("delete_title", "Slette svar {id}?"),
    (
        "delete_intro",
        "Et slettet svar fjernes helt, som når innbyggeren trekker det tilbake. Det kan ikke angres.",
    ),
    ("delete_reason", "Grunn til å slette"),
    ("delete_confirm", "Slett svaret for godt"),
    ("cancel", "Avbryt"),
    (
        "reason_missing",
        "Skriv en grunn, så ingenting ble endret. Grunnen står i loggen.",
    ),
    (
        "reason_long",
        "Grunnen er for lang (høyst 500 tegn), så ingenting ble endret.",
    ),
    ("action.answer.hide", "Skjulte svar"),
    ("action.answer.unhide", "Viste svar igjen"),
    ("action.answer.delete", "Slettet svar"),
    ("action.export.csv", "Lastet ned svarene som CSV"),
    ("action.export.json", "Lastet ned svarene som JSON"),
    ("action.export.xlsx", "Lastet ned svarene som Excel-fil"),
    ("export_intro", "Last ned alle svarene, også de skjulte:"),
    ("export_xlsx", "Excel (med en fane med tellinger)"),
    ("export_csv", "CSV (for andre regneark)"),
    ("export_json", "JSON (med id-er)"),
    ("themes_title", "Temaer"),
    (
        "themes_intro",
        "Merk svarene med temaene du finner mens du leser. Tallet er svar med temaet som ikke er skjult.",
    ),
    ("themes_none", "Innspillsrunden har ingen temaer ennå."),
    ("theme_label", "Navn ({lang})"),
    ("theme_count", "{label}: {n} svar"),
    ("theme_change", "Endre eller fjern «{label}»"),
    ("theme_rename", "Lagre navnet"),
    ("theme_remove", "Fjern «{label}» og merkene med det"),
    ("theme_new", "Nytt tema"),
    ("theme_add", "Legg til temaet"),
    (
        "theme_label_missing",
        "Gi temaet et navn på bokmål; ingenting ble endret.",
    ),
    (
        "theme_label_long",
        "Navnet er for langt (høyst 80 tegn), så ingenting ble endret.",
    ),
    (
        "no_such_theme",
        "Innspillsrunden har ikke det temaet; ingenting ble endret.",
    ),
    ("tag_legend", "Temaer for svar {id}"),
    ("tag_save", "Lagre temaene"),
    ("publish_link", "Publiser resultatene"),
    ("publish_title", "Publiser resultatene: {call}"),
    ("publish_refused", "Kan ikke publisere ennå"),
    (
        "publish_open",
        "Innspillsrunden er åpen til {closes}. Resultatene kan publiseres når den har stengt, så ingen kan styre en åpen runde med dem.",
    ),
    (
        "publish_upcoming",
        "Innspillsrunden åpner {opens}. Resultatene kan publiseres når den har stengt.",
    ),
    ("back_to_call", "Tilbake til svarene"),
    ("not_published", "Resultatene er ikke publisert."),
    ("published_at", "Publisert {when}."),
    ("results_download", "Last ned resultatfilen"),
    ("unpublish", "Avpubliser"),
    (
        "publish_questions",
        "Spørsmål med tall som publiseres (fritekst publiseres aldri)",
    ),
    (
        "publish_no_questions",
        "Innspillsrunden har ingen valg- eller skalaspørsmål.",
    ),
    (
        "publish_themes_intro",
        "Velg temaene som publiseres og opptil tre sitater for hvert. Sitatene er fylt inn fra svarene med temaet: kort dem ned og fjern navn før du publiserer.",
    ),
    ("publish_theme", "Publiser «{label}»"),
    ("quote_n", "Sitat {n}"),
    ("tagged_texts", "Alle {n} svar med temaet"),
    ("publish", "Publiser"),
    (
        "publish_again",
        "Publiser på nytt (erstatter det publiserte)",
    ),
    (
        "publish_bad_question",
        "Bare valg- og skalaspørsmål i innspillsrunden kan publiseres; ingenting ble publisert.",
    ),
    (
        "quote_long",
        "Et sitat er for langt (høyst 1000 tegn), så ingenting ble publisert.",
    ),
    ("action.theme.add", "La til tema"),
    ("action.theme.rename", "Endret tema"),
    ("action.theme.remove", "Fjernet tema"),
    ("action.answer.tag", "Satte temaer på svar"),
    ("action.results.publish", "Publiserte resultater"),
    ("action.results.unpublish", "Avpubliserte resultater"),
];

const EN: &[(&str, &str)] = &[
    ("lang_name", "English"),
    ("lang_switch", "Language"),
    ("console", "Svarpulten"),
    ("skip", "Skip to content"),
    ("nav", "Svarpulten"),
    ("nav_calls", "Calls for input"),
    ("nav_audit", "Audit log"),
    ("nav_search", "Search"),
    ("search_title", "Search the answers"),
    ("search_label", "Search the free-text answers"),
    ("search_button", "Search"),
    (
        "search_help",
        "A word also finds its other forms (bench finds benches), and ae, o and a find æ, ø and å. Put words in quotes to find them in that order. Hidden answers are included.",
    ),
    (
        "search_found",
        "{n} matches for “{q}”. Page {page}, best first.",
    ),
    ("search_none", "No answers match “{q}”."),
    (
        "search_hint",
        "Try fewer words, another word or another spelling. Characters such as : ( ) and \" are searched as plain words.",
    ),
    (
        "search_too_long",
        "The search is longer than 200 characters, so nothing was searched. Search with fewer words.",
    ),
    ("search_preparing_title", "Search is being prepared"),
    (
        "search_preparing",
        "Search is being prepared: the answers are being read. Try again in a moment.",
    ),
    ("search_hit", "{call}: answer {id}"),
    ("search_show", "Show answer {id} in its call"),
    ("search_prev", "Previous page"),
    ("search_next", "Next page"),
    ("search_matches", "Matches in the free text:"),
    ("only_answer", "Showing answer {id} only."),
    ("all_matching", "Show every answer with these filters"),
    ("signed_in_as", "Signed in as {name} ({role})"),
    ("role.editor", "editor"),
    ("role.admin", "administrator"),
    ("sign_out", "Sign out"),
    (
        "preview_banner",
        "Preview: no sign-in. The answers here are the preview's own, not the site's.",
    ),
    ("login_title", "Sign in"),
    ("email", "Email address"),
    ("password", "Password"),
    ("sign_in", "Sign in"),
    (
        "login_wrong",
        "The email address or the password is wrong. Try again, or ask an administrator for a new link to choose a password.",
    ),
    (
        "login_locked",
        "Too many failed sign-ins. Signing in is closed for 15 minutes; try again later.",
    ),
    ("signed_out", "You have signed out."),
    ("session_ended", "Your session has ended. Sign in again."),
    ("setup_title", "Choose a password"),
    (
        "setup_intro",
        "Choose a password for {email}. It needs at least 12 characters; a few words in a row make a long password that is easy to remember.",
    ),
    ("password_new", "New password"),
    ("password_again", "New password again"),
    ("setup_save", "Save the password and sign in"),
    (
        "setup_mismatch",
        "The passwords differ. Type the same password in both fields.",
    ),
    (
        "setup_short",
        "The password has {n} characters. It needs at least 12.",
    ),
    (
        "setup_long",
        "The password has {n} characters. It may have at most 1024.",
    ),
    ("setup_gone_title", "This link does not work"),
    (
        "setup_gone",
        "The link was used or has expired: it works once, for 24 hours. Ask an administrator for a new one (torget feedback staff reset).",
    ),
    ("refused_title", "Request refused"),
    (
        "csrf_refused",
        "The form came without a valid security token, so nothing was changed. Reload the page and try again.",
    ),
    (
        "origin_refused",
        "The form came from another website, so nothing was changed. Open Svarpulten directly and try again.",
    ),
    (
        "admins_only",
        "Only administrators can see the audit log. Ask one if you need it.",
    ),
    ("not_found_title", "No such page"),
    (
        "not_found",
        "Svarpulten has no page at this address. Go to the calls for input to find the answers.",
    ),
    ("export_failed_title", "The file could not be made"),
    (
        "export_failed",
        "The Excel file could not be made. Download the CSV file instead, and tell whoever runs Svarpulten.",
    ),
    ("unavailable_title", "Svarpulten is unavailable"),
    (
        "unavailable",
        "The database did not answer, so nothing was changed. Try again in a moment.",
    ),
    ("calls_title", "Calls for input"),
    (
        "calls_intro",
        "Every call for input on the site: open, upcoming and closed, with its number of answers.",
    ),
    ("calls_caption", "Calls for input and their answers"),
    ("col_call", "Call"),
    ("col_status", "Status"),
    ("col_opens", "Opens"),
    ("col_closes", "Closes"),
    ("col_answers", "Answers"),
    ("col_public", "Public page"),
    ("col_per_day", "Answers per day"),
    ("col_day", "Day"),
    ("per_day_summary", "Answers per day: {call}"),
    ("status.open", "Open"),
    ("status.upcoming", "Upcoming"),
    ("status.closed", "Closed"),
    ("public_link", "Open the page"),
    ("no_calls", "The site has no calls for input yet."),
    ("audit_title", "Audit log"),
    (
        "audit_intro",
        "Who did what, and when: sign-ins, sign-outs, locked sign-ins, staff changes, exports and moderation. The log never holds answer text.",
    ),
    ("audit_caption", "Actions, newest first"),
    ("col_when", "When"),
    ("col_who", "Who"),
    ("col_action", "Action"),
    ("col_detail", "Concerning"),
    ("audit_empty", "The log is empty."),
    (
        "audit_past_end",
        "The log has no page {page}. Go to the first page for the newest actions.",
    ),
    ("pages", "Pages"),
    ("newer", "Newer"),
    ("older", "Older"),
    ("page_n", "Page {page}"),
    ("first_page", "To the first page"),
    ("action.signin", "Signed in"),
    ("action.signout", "Signed out"),
    (
        "action.signin.locked",
        "Sign-in locked after too many failures",
    ),
    ("action.staff.add", "Added staff"),
    ("action.staff.remove", "Removed staff"),
    ("action.staff.reset", "New password link"),
    ("action.staff.setup", "Chose a password"),
    (
        "no_such_call",
        "The site has no call for input at this address. Go to the calls and choose one there.",
    ),
    (
        "no_such_answer",
        "The call has no such answer (it may have been deleted), so nothing was changed.",
    ),
    (
        "bad_lang",
        "The language in the filter is not one of the call's languages. Choose one in the list.",
    ),
    (
        "bad_date",
        "A date in the filter is not a date. Write dates like 2026-05-01.",
    ),
    (
        "bad_filter",
        "The filter names an answer the call does not have. Choose one in the list.",
    ),
    (
        "past_the_end",
        "There are not that many pages of answers. Go back to the first page.",
    ),
    (
        "answers_found",
        "{n} answers with these filters. Page {page}, newest first.",
    ),
    ("counts_title", "Answers per question"),
    (
        "counts_intro",
        "These are the public counts: hidden answers are left out.",
    ),
    ("answered_n", "{n} answered this question."),
    ("col_answer", "Answer"),
    ("col_count", "Count"),
    ("filters", "Filter the answers"),
    ("filter_answer", "With the answer"),
    ("any_answer", "Any answer"),
    ("filter_lang", "Language"),
    ("any_lang", "Any language"),
    ("filter_theme", "Theme"),
    ("any_theme", "Any theme"),
    ("filter_from", "From date"),
    ("filter_to", "To date (inclusive)"),
    ("filter_show", "Show"),
    ("show_all", "All answers"),
    ("show_visible", "Visible answers only"),
    ("show_hidden", "Hidden answers only"),
    ("apply", "Filter"),
    ("response_n", "Answer {id}"),
    ("response_meta", "Sent {when}, in {lang}."),
    (
        "hidden_because",
        "Hidden from the public counts by {by} {when}: {reason}",
    ),
    ("hide_reason", "Reason to hide answer {id}"),
    ("hide", "Hide"),
    ("unhide", "Show answer {id} again"),
    ("delete_link", "Delete answer {id} …"),
    ("delete_title", "Delete answer {id}?"),
    (
        "delete_intro",
        "A deleted answer is removed completely, as when the resident withdraws it. It cannot be undone.",
    ),
    ("delete_reason", "Reason to delete"),
    ("delete_confirm", "Delete the answer for good"),
    ("cancel", "Cancel"),
    (
        "reason_missing",
        "Give a reason; nothing was changed. The reason goes into the audit log.",
    ),
    (
        "reason_long",
        "The reason is too long (at most 500 characters), so nothing was changed.",
    ),
    ("action.answer.hide", "Hid an answer"),
    ("action.answer.unhide", "Showed an answer again"),
    ("action.answer.delete", "Deleted an answer"),
    ("action.export.csv", "Downloaded the answers as CSV"),
    ("action.export.json", "Downloaded the answers as JSON"),
    (
        "action.export.xlsx",
        "Downloaded the answers as an Excel file",
    ),
    ("export_intro", "Download every answer, hidden ones too:"),
    ("export_xlsx", "Excel (with a sheet of counts)"),
    ("export_csv", "CSV (for other spreadsheets)"),
    ("export_json", "JSON (with ids)"),
    ("themes_title", "Themes"),
    (
        "themes_intro",
        "Tag the answers with the themes you find while reading. The number counts tagged answers that are not hidden.",
    ),
    ("themes_none", "This call has no themes yet."),
    ("theme_label", "Name ({lang})"),
    ("theme_count", "{label}: {n} answers"),
    ("theme_change", "Change or remove “{label}”"),
    ("theme_rename", "Save the name"),
    ("theme_remove", "Remove “{label}” and its tags"),
    ("theme_new", "New theme"),
    ("theme_add", "Add the theme"),
    (
        "theme_label_missing",
        "Give the theme a name in Bokmål; nothing was changed.",
    ),
    (
        "theme_label_long",
        "The name is too long (at most 80 characters), so nothing was changed.",
    ),
    (
        "no_such_theme",
        "This call has no such theme; nothing was changed.",
    ),
    ("tag_legend", "Themes of answer {id}"),
    ("tag_save", "Save the themes"),
    ("publish_link", "Publish the results"),
    ("publish_title", "Publish the results: {call}"),
    ("publish_refused", "Cannot publish yet"),
    (
        "publish_open",
        "The call is open until {closes}. Its results can be published once it has closed, so no one can steer an open call with them.",
    ),
    (
        "publish_upcoming",
        "The call opens {opens}. Its results can be published once it has closed.",
    ),
    ("back_to_call", "Back to the answers"),
    ("not_published", "The results are not published."),
    ("published_at", "Published {when}."),
    ("results_download", "Download the results file"),
    ("unpublish", "Unpublish"),
    (
        "publish_questions",
        "Questions whose counts are published (free text never is)",
    ),
    (
        "publish_no_questions",
        "This call has no choice or scale questions.",
    ),
    (
        "publish_themes_intro",
        "Choose the themes to publish and up to three quotes for each. The quotes are filled in from the answers with the theme: shorten them and remove names before you publish.",
    ),
    ("publish_theme", "Publish “{label}”"),
    ("quote_n", "Quote {n}"),
    ("tagged_texts", "All {n} answers with the theme"),
    ("publish", "Publish"),
    (
        "publish_again",
        "Publish again (replaces what is published)",
    ),
    (
        "publish_bad_question",
        "Only the call's choice and scale questions can be published; nothing was published.",
    ),
    (
        "quote_long",
        "A quote is too long (at most 1000 characters), so nothing was published.",
    ),
    ("action.theme.add", "Added a theme"),
    ("action.theme.rename", "Renamed a theme"),
    ("action.theme.remove", "Removed a theme"),
    ("action.answer.tag", "Set an answer's themes"),
    ("action.results.publish", "Published results"),
    ("action.results.unpublish", "Unpublished results"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(table: &[(&'static str, &str)]) -> Vec<&'static str> {
        table.iter().map(|(k, _)| *k).collect()
    }

    #[test]
    fn both_languages_have_the_same_keys_once_each() {
        assert_eq!(keys(NB), keys(EN), "nb and en list the same keys in order");
        let mut sorted = keys(NB);
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), NB.len(), "a key appears twice");
        for (k, v) in NB.iter().chain(EN) {
            assert!(!v.trim().is_empty(), "`{k}` is empty");
        }
    }

    /// Every `get("…")`/`fill("…")` in the console's code names a key the tables have, so no
    /// page shows an empty string where a word belongs.
    #[test]
    fn every_key_the_console_names_is_in_the_tables() {
        let sources = [
            include_str!("mod.rs"),
            include_str!("layout.rs"),
            include_str!("session.rs"),
            include_str!("auth.rs"),
            include_str!("calls.rs"),
            include_str!("audit.rs"),
            include_str!("chart.rs"),
            include_str!("answers.rs"),
            include_str!("moderate.rs"),
            include_str!("export.rs"),
            include_str!("themes.rs"),
            include_str!("results.rs"),
            include_str!("search.rs"),
        ];
        let mut named = 0;
        for src in sources {
            for call in [".get(\"", ".fill(\""] {
                for (i, _) in src.match_indices(call) {
                    let rest = &src[i + call.len()..];
                    let key = &rest[..rest.find('"').unwrap()];
                    assert!(keys(NB).contains(&key), "no word `{key}`");
                    named += 1;
                }
            }
        }
        assert!(
            named > 40,
            "found only {named} keys named: is the scan broken?"
        );
    }

    #[test]
    fn placeholders_are_filled_and_unknown_actions_show_their_code() {
        let en = Words::of("en");
        assert_eq!(
            en.fill("page_n", &[("page", "3")]),
            "Page 3",
            "placeholders are filled"
        );
        assert_eq!(en.action("signin"), "Signed in");
        assert_eq!(en.action("answer.frobnicate"), "answer.frobnicate");
        assert_eq!(Words::of("nn").lang, "nb");
        assert_eq!(for_site("nn"), "nb");
        assert_eq!(for_site("en"), "en");
        assert_eq!(Words::of("en").other().lang, "nb");
    }
}
