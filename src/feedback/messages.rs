//! What the endpoint says to residents, in Norwegian Bokmål and English.
//!
//! The site's own UI strings live in `i18n/` and belong to the generator; the endpoint keeps
//! its few sentences here so that it needs nothing but `calls.json` and the built pages. Any
//! language other than `nb` gets the English text.

/// A language the endpoint has its own sentences for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tongue {
    Nb,
    En,
}

impl Tongue {
    pub fn of(lang: &str) -> Tongue {
        match lang {
            "nb" | "no" | "nn" => Tongue::Nb,
            _ => Tongue::En,
        }
    }
}

/// One sentence, with what it needs to be said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg<'a> {
    // Top-level outcomes.
    Invalid,
    UnknownCall,
    NotYetOpen { opens: &'a str },
    Closed { closes: &'a str },
    Honeypot,
    TooFast,
    TokenExpired,
    TokenInvalid,
    RateLimited,
    ForeignOrigin,
    TooLarge,
    UnsupportedMediaType,
    MalformedJson,
    NotUtf8,
    Unavailable,
    Withdrawn,
    UnknownReceipt,
    ReceiptMissing,
    // Per question.
    Required,
    TooLong { chars: usize, max: usize },
    NotAnOption,
    NotInScale { min: i64, max: i64 },
    OnlyOne,
    MustBeText,
    NoSuchQuestion,
    // Page headings.
    ThanksHeading,
    ErrorHeading,
    WithdrawErrorHeading,
    WithdrawnHeading,
    BackHint,
}

/// `2036-06-30T23:59:00+02:00` → `30.06.2036 kl. 23:59` or `30 June 2036 at 23:59`, in the
/// offset the site wrote (the site's own time zone).
pub fn date_time(t: Tongue, iso: &str) -> String {
    let parse = || -> Option<(i32, usize, u32, &str)> {
        let y = iso.get(0..4)?.parse().ok()?;
        let m: usize = iso.get(5..7)?.parse().ok()?;
        let d = iso.get(8..10)?.parse().ok()?;
        let hm = iso.get(11..16)?;
        (1..=12).contains(&m).then_some((y, m, d, hm))
    };
    let Some((y, m, d, hm)) = parse() else {
        return iso.to_string();
    };
    match t {
        Tongue::Nb => format!("{d}.{m:02}.{y} kl. {hm}"),
        Tongue::En => {
            const MONTHS: [&str; 12] = [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ];
            format!("{d} {} {y} at {hm}", MONTHS[m - 1])
        }
    }
}

pub fn text(lang: &str, msg: &Msg<'_>) -> String {
    let t = Tongue::of(lang);
    use Msg::*;
    use Tongue::*;
    match (t, msg) {
        (Nb, Invalid) => "Noen av svarene må rettes før skjemaet kan sendes inn.".into(),
        (En, Invalid) => "Some answers need correcting before the form can be sent.".into(),
        (Nb, UnknownCall) => "Vi finner ikke denne innspillsrunden. Sjekk lenken, eller se oversikten over innspillsrunder på nettstedet.".into(),
        (En, UnknownCall) => "We cannot find this call for input. Check the link, or see the list of calls for input on the site.".into(),
        (Nb, NotYetOpen { opens }) => format!("Denne innspillsrunden åpner {}. Kom gjerne tilbake da.", date_time(t, opens)),
        (En, NotYetOpen { opens }) => format!("This call for input opens on {}. Please come back then.", date_time(t, opens)),
        (Nb, Closed { closes }) => format!("Denne innspillsrunden ble avsluttet {}, så vi kan ikke ta imot flere svar.", date_time(t, closes)),
        (En, Closed { closes }) => format!("This call for input closed on {}, so we can no longer accept answers.", date_time(t, closes)),
        (Nb, Honeypot) => "Skjemaet ble fylt ut slik bare automatiske programmer gjør (det skjulte feltet «website» skal være tomt). Er du et menneske, last inn siden på nytt og prøv igjen.".into(),
        (En, Honeypot) => "The form was filled in the way only automated programs do (the hidden field “website” must be empty). If you are a person, reload the page and try again.".into(),
        (Nb, TooFast) => "Skjemaet ble sendt uvanlig raskt. Vent noen sekunder og send det igjen.".into(),
        (En, TooFast) => "The form was sent unusually quickly. Wait a few seconds and send it again.".into(),
        (Nb, TokenExpired) => "Skjemaet har vært åpent for lenge. Last inn siden på nytt og send igjen; svarene dine ligger fortsatt i skjemaet.".into(),
        (En, TokenExpired) => "The form has been open for too long. Reload the page and send again; your answers are still in the form.".into(),
        (Nb, TokenInvalid) => "Skjemaet hører ikke til denne innspillsrunden eller er endret. Last inn siden på nytt og send igjen.".into(),
        (En, TokenInvalid) => "The form does not belong to this call for input or has been altered. Reload the page and send again.".into(),
        (Nb, RateLimited) => "Det er sendt mange svar fra din tilkobling på kort tid. Vent noen minutter og prøv igjen.".into(),
        (En, RateLimited) => "Many answers have been sent from your connection in a short time. Wait a few minutes and try again.".into(),
        (Nb, ForeignOrigin) => "Skjemaet kan bare sendes fra nettstedet det hører til. Åpne innspillsrunden på nettstedet og send derfra.".into(),
        (En, ForeignOrigin) => "The form can only be sent from the site it belongs to. Open the call for input on the site and send it from there.".into(),
        (Nb, TooLarge) => "Svaret er for stort til å sendes (høyst 64 KiB i alt). Gjør de lengste svarene kortere og send igjen.".into(),
        (En, TooLarge) => "The answer is too large to send (at most 64 KiB in all). Shorten the longest answers and send again.".into(),
        (Nb, UnsupportedMediaType) => "Send svarene som et vanlig skjema (application/x-www-form-urlencoded) eller som JSON (application/json).".into(),
        (En, UnsupportedMediaType) => "Send the answers as a plain form (application/x-www-form-urlencoded) or as JSON (application/json).".into(),
        (Nb, MalformedJson) => "Svarene er ikke gyldig JSON av formen {\"lang\": \"nb\", \"answers\": {...}}.".into(),
        (En, MalformedJson) => "The answers are not valid JSON of the form {\"lang\": \"en\", \"answers\": {...}}.".into(),
        (Nb, NotUtf8) => "Skjemaet ble ikke sendt som UTF-8. Send det fra nettstedets side, eller bruk UTF-8.".into(),
        (En, NotUtf8) => "The form was not sent as UTF-8. Send it from the site's page, or use UTF-8.".into(),
        (Nb, Unavailable) => "Vi kunne ikke lagre svaret akkurat nå, og ingenting er lagret. Prøv igjen om litt.".into(),
        (En, Unavailable) => "We could not save the answer just now, and nothing has been stored. Please try again in a moment.".into(),
        (Nb, Withdrawn) => "Svaret ditt er slettet. Det er ikke bare skjult: det finnes ikke lenger hos oss.".into(),
        (En, Withdrawn) => "Your answer has been deleted. It is not merely hidden: we no longer have it.".into(),
        (Nb, UnknownReceipt) => "Vi finner ikke noe svar med denne kvitteringskoden. Sjekk at den er skrevet riktig; svaret kan også allerede være trukket tilbake eller slettet.".into(),
        (En, UnknownReceipt) => "We cannot find an answer with this receipt code. Check that it is typed correctly; the answer may also have been withdrawn or deleted already.".into(),
        (Nb, ReceiptMissing) => "Skriv inn kvitteringskoden du fikk da du svarte.".into(),
        (En, ReceiptMissing) => "Enter the receipt code you were given when you answered.".into(),
        (Nb, Required) => "Dette spørsmålet må besvares.".into(),
        (En, Required) => "This question needs an answer.".into(),
        (Nb, TooLong { chars, max }) => format!("Svaret er for langt: {chars} tegn, men høyst {max} er tillatt."),
        (En, TooLong { chars, max }) => format!("The answer is too long: {chars} characters, but at most {max} are allowed."),
        (Nb, NotAnOption) => "Velg blant svaralternativene.".into(),
        (En, NotAnOption) => "Choose from the options given.".into(),
        (Nb, NotInScale { min, max }) => format!("Velg et helt tall fra {min} til {max}."),
        (En, NotInScale { min, max }) => format!("Choose a whole number from {min} to {max}."),
        (Nb, OnlyOne) => "Gi bare ett svar på dette spørsmålet.".into(),
        (En, OnlyOne) => "Give only one answer to this question.".into(),
        (Nb, MustBeText) => "Svaret må være tekst.".into(),
        (En, MustBeText) => "The answer must be text.".into(),
        (Nb, NoSuchQuestion) => "Denne innspillsrunden har ikke noe spørsmål med denne id-en.".into(),
        (En, NoSuchQuestion) => "This call for input has no question with this id.".into(),
        (Nb, ThanksHeading) => "Takk for innspillet!".into(),
        (En, ThanksHeading) => "Thank you for your input!".into(),
        (Nb, ErrorHeading) => "Svaret ble ikke sendt".into(),
        (En, ErrorHeading) => "The answer was not sent".into(),
        (Nb, WithdrawErrorHeading) => "Svaret ble ikke trukket tilbake".into(),
        (En, WithdrawErrorHeading) => "The answer was not withdrawn".into(),
        (Nb, WithdrawnHeading) => "Svaret er trukket tilbake".into(),
        (En, WithdrawnHeading) => "The answer has been withdrawn".into(),
        (Nb, BackHint) => "Gå tilbake i nettleseren for å rette svarene; det du skrev, ligger fortsatt i skjemaet.".into(),
        (En, BackHint) => "Go back in your browser to correct the answers; what you wrote is still in the form.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_the_local_way() {
        assert_eq!(
            date_time(Tongue::Nb, "2036-06-30T23:59:00+02:00"),
            "30.06.2036 kl. 23:59"
        );
        assert_eq!(
            date_time(Tongue::En, "2036-06-30T23:59:00+02:00"),
            "30 June 2036 at 23:59"
        );
        assert_eq!(date_time(Tongue::En, "soon"), "soon");
    }

    #[test]
    fn other_languages_fall_back_to_english() {
        assert_eq!(text("se", &Msg::Required), "This question needs an answer.");
        assert_eq!(text("nb", &Msg::Required), "Dette spørsmålet må besvares.");
    }
}
