//! Tests of `site.toml`: defaults, unknown keys, `[open_data]` and `[brand]` checks.

use super::*;

fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
    Config::parse(&Source::new("site.toml", text))
}

#[test]
fn languages_keep_their_order() {
    let c =
        parse("[languages.nb]\ntitle='A'\n[languages.en]\ntitle='B'\n[languages.nn]\ntitle='C'\n")
            .unwrap();
    assert_eq!(c.language_codes(), ["nb", "en", "nn"]);
}

#[test]
fn a_typo_names_the_line() {
    let e = parse("base_url = 'https://x.no'\ntheem = 'x'\n").unwrap_err();
    assert_eq!(e[0].line, Some(2));
    assert!(e[0].message.contains("theem"), "{}", e[0]);
}

#[test]
fn default_language_must_be_configured() {
    let e = parse("default_language = 'nn'\n").unwrap_err();
    assert!(
        e[0].message.contains("`default_language = \"nn\"`"),
        "{}",
        e[0]
    );
}

const OPEN_DATA: &str = "[open_data]\n\
    publisher = 'https://data.brreg.no/enhetsregisteret/api/enheter/942110464'\n\
    publisher_name = 'Trondheim kommune'\n\
    contact_email = 'postmottak@trondheim.kommune.no'\n\
    license = 'http://publications.europa.eu/resource/authority/licence/NLOD_2_0'\n";

#[test]
fn open_data_takes_a_publisher_with_a_valid_organisation_number() {
    let c = parse(OPEN_DATA).unwrap();
    let open_data = c.open_data.unwrap();
    assert_eq!(open_data.organisation_number(), "942110464");
    assert_eq!(open_data.license_code(), "NLOD_2_0");
    assert!(parse("").unwrap().open_data.is_none());
}

#[test]
fn a_missing_open_data_key_is_named_with_what_to_write() {
    let e = parse("[open_data]\npublisher_name = 'Trondheim kommune'\n").unwrap_err();
    let messages: Vec<_> = e.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`[open_data] publisher` is missing",
            "`[open_data] contact_email` is missing",
            "`[open_data] license` is missing",
        ]
    );
    assert_eq!(
        e[0].help.as_deref(),
        Some(
            "write it like `publisher = \"https://data.brreg.no/enhetsregisteret/api/enheter/\
             <organisation number>\"`, with the publisher's 9-digit number from Enhetsregisteret \
             (www.brreg.no)"
        )
    );
}

#[test]
fn a_mistyped_organisation_number_is_an_error() {
    // One digit off: the check digit no longer matches.
    let e = parse(&OPEN_DATA.replace("942110464", "942110465")).unwrap_err();
    assert_eq!(
        e[0].message,
        "`[open_data] publisher = \"https://data.brreg.no/enhetsregisteret/api/enheter/942110465\"` \
         is not an organisation's address in Enhetsregisteret with a valid organisation number"
    );
    let e = parse(&OPEN_DATA.replace("licence/NLOD_2_0", "licence/")).unwrap_err();
    assert!(
        e[0].message.starts_with("`[open_data] license = "),
        "{}",
        e[0]
    );
    let e = parse(&OPEN_DATA.replace("postmottak@", "postmottak")).unwrap_err();
    assert!(
        e[0].message.ends_with("is not an e-mail address"),
        "{}",
        e[0]
    );
}

#[test]
fn a_brand_colour_that_reads_badly_is_refused_naming_the_pair() {
    let e = parse("[brand]\nprimary = '#6fa8dc'\n").unwrap_err();
    assert_eq!(e.len(), 2, "{e:?}");
    assert_eq!(
        e[0].message,
        "`[brand] primary = \"#6fa8dc\"` contrasts only 2.53:1 with white (text in the colour on white, or white text on the colour); 4.5:1 is needed so everyone can read it"
    );
    assert_eq!(
        e[0].message_in(crate::messages::Lang::Nb),
        "`[brand] primary = \"#6fa8dc\"` har bare kontrast 2.53:1 mot hvitt (tekst i fargen på hvitt, eller hvit tekst på fargen); 4.5:1 trengs for at alle skal kunne lese den"
    );
    assert_eq!(e[0].code(), Some("config-brand-contrast"));
    assert!(
        e[1].message
            .contains("with the light grey background #f3f5f8"),
        "{}",
        e[1]
    );
    // Dark enough on white but not on the tint: only that pair is named.
    let e = parse("[brand]\nprimary = '#747474'\n").unwrap_err();
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].message.contains("with the light grey background"),
        "{}",
        e[0]
    );
    let ok = parse("[brand]\nprimary = '#0062ba'\n").unwrap();
    assert_eq!(
        ok.brand.css(),
        ":root{--accent:#0062ba;--accent-dark:#004e95}"
    );
    let e = parse("[brand]\nprimary = 'blue'\n").unwrap_err();
    assert!(e[0].message.contains("is not a colour"), "{}", e[0]);
}

#[test]
fn a_logo_needs_alt_text_a_language_of_the_site_and_its_file() {
    let e =
        parse("[brand.logo.nb]\nfile = 'logo.svg'\n[brand.logo.de]\nfile = 'x.svg'\nalt = 'X'\n")
            .unwrap_err();
    let messages: Vec<&str> = e.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`[brand.logo.nb]` has no `alt` text",
            "`[brand.logo.de]` is for a language the site does not have",
        ]
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("site.toml"),
        "[brand.logo.nb]\nfile = 'brand/logo.svg'\nalt = 'Kommunen'\n",
    )
    .unwrap();
    let e = Config::load(dir.path()).unwrap_err();
    assert_eq!(
        e[0].message,
        "`[brand.logo.nb] file = \"brand/logo.svg\"`: there is no static/brand/logo.svg in the site"
    );
    std::fs::create_dir_all(dir.path().join("static/brand")).unwrap();
    std::fs::write(dir.path().join("static/brand/logo.svg"), "<svg/>").unwrap();
    assert!(Config::load(dir.path()).is_ok());
}
