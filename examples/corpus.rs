//! A large made-up site for measuring the build and the search index:
//!
//! ```text
//! cargo run --release --example corpus -- /tmp/corpus 10000
//! cargo run --release -- build --root /tmp/corpus
//! ```
//!
//! Writes `site.toml` and `content/` with the given number of items (default 10 000), each in
//! bokmål and English: 5 areas, then projects, events, calls and news pages in the ratio
//! 4:3:1:2. Bodies are about 250 words drawn with a Zipf-like skew from a vocabulary of common
//! words, some Norwegian compounds, made-up rare words and place names, so that the index has a
//! long tail and the hidden search terms about as much work as on the sample site (about one
//! extra term per ten words of Norwegian text).
//! Deterministic: the same count gives the same site. A throwaway until the benchmark issue
//! brings a proper generator; it fills what the search index needs, nothing more.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const NB_WORDS: &str = "kommune innbygger skole barnehage helse omsorg sykkel vei buss transport \
    kollektiv byrom park bolig energi klima miljø forskning utdanning lærer elev student \
    universitet samarbeid prosjekt tjeneste digital løsning data plan område bydel nabolag \
    møte folkemøte innspill høring medvirkning eldre ungdom barn familie arbeid næring kultur \
    idrett bibliotek senter hage torg gate trafikk sikkerhet vann avløp avfall gjenbruk \
    teknologi innovasjon velferd rehabilitering sykehjem legevakt skolebygg sykkelvei \
    kollektivtransport helsetjeneste hjemmetjeneste lærerutdanning ungdomsskole barneskole \
    nærmiljø byutvikling energibruk klimagass sykkelparkering bussholdeplass fritidsklubb \
    og i på for med til som er det en et av de at den har skal vil kan blir ble nye flere \
    mange alle hvordan hva hvor når også bare mer mest godt bedre viktig sammen videre";
const EN_WORDS: &str = "municipality resident school kindergarten health care bicycle road bus \
    transport public space park housing energy climate environment research education teacher \
    pupil student university cooperation project service digital solution data plan area \
    district neighbourhood meeting town hall input hearing participation elderly youth children \
    family work business culture sport library centre garden square street traffic safety \
    water waste reuse technology innovation welfare rehabilitation nursing home emergency \
    building cycle lane and in on for with to as is the a of that has will can be new more \
    many all how what where when also only better important together further";
const PLACES: &[&str] = &[
    "Østensjø",
    "Lade",
    "Moholt",
    "Byåsen",
    "Heimdal",
    "Tiller",
    "Ranheim",
    "Saupstad",
    "Kolstad",
    "Strindheim",
    "Nardo",
    "Lerkendal",
    "Øya",
    "Bakklandet",
    "Ila",
    "Sjetnmarka",
    "Charlottenlund",
    "Vikåsen",
    "Flatåsen",
    "Kattem",
    "Nidarvoll",
    "Åsvang",
    "Jakobsli",
];
const AREAS: &[(&str, &str, &str)] = &[
    (
        "oppvekst",
        "Oppvekst og utdanning",
        "Childhood and education",
    ),
    ("helse", "Helse og velferd", "Health and welfare"),
    ("byutvikling", "Byutvikling", "Urban development"),
    (
        "innovasjon",
        "Innovasjon og omstilling",
        "Innovation and change",
    ),
    ("smart", "Smart kommune", "Smart municipality"),
];

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// An index into `n` items, skewed to the front like word frequencies.
    fn zipf(&mut self, n: usize) -> usize {
        ((n as f64).powf(self.unit()) as usize)
            .saturating_sub(1)
            .min(n - 1)
    }
}

/// The vocabulary: the given words (function words first, so the skew makes them the most
/// frequent), some compounds of two of them, and made-up words for the long tail that real
/// text has: names, rare words, typos. About one in eight made-up words has æ, ø or å.
fn vocabulary(words: &str, rng: &mut Rng, compounds: usize, made_up: usize) -> Vec<String> {
    let base: Vec<&str> = words.split_whitespace().collect();
    let (long, short): (Vec<&str>, Vec<&str>) = base.iter().partition(|w| w.chars().count() > 4);
    let mut v: Vec<String> = short
        .iter()
        .chain(long.iter())
        .map(|w| w.to_string())
        .collect();
    let mut tail = Vec::new();
    for _ in 0..compounds {
        let a = long[rng.below(long.len())];
        let b = long[rng.below(long.len())];
        if a != b {
            tail.push(format!("{a}{b}"));
        }
    }
    const SYLLABLES: &[&str] = &[
        "ber", "dal", "vik", "mo", "gar", "lin", "sto", "ran", "hei", "ter", "ka", "nes", "bru",
        "sk", "fjel", "ly", "vol", "ha", "ri", "tun",
    ];
    const SPECIAL: &[&str] = &["gå", "sø", "bæk", "røn", "sæ", "å"];
    for _ in 0..made_up {
        let n = 2 + rng.below(2);
        let mut parts: Vec<&str> = (0..n)
            .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
            .collect();
        if rng.below(8) == 0 {
            parts[rng.below(n)] = SPECIAL[rng.below(SPECIAL.len())];
        }
        tail.push(parts.concat());
    }
    // Shuffle the tail, so compounds and made-up words are equally rare.
    for i in (1..tail.len()).rev() {
        tail.swap(i, rng.below(i + 1));
    }
    v.extend(tail);
    v
}

fn sentence(rng: &mut Rng, vocab: &[String], place: &str) -> String {
    let n = 6 + rng.below(10);
    let mut words: Vec<String> = (0..n)
        .map(|_| vocab[rng.zipf(vocab.len())].clone())
        .collect();
    if rng.below(4) == 0 {
        let at = rng.below(words.len());
        words[at] = place.to_string();
    }
    let mut s = words.join(" ");
    if let Some(first) = s.get(..1) {
        s = first.to_uppercase() + &s[1..];
    }
    s + "."
}

fn body(rng: &mut Rng, vocab: &[String], place: &str, heading: &str) -> String {
    let mut out = String::new();
    for p in 0..3 {
        if p == 1 {
            let _ = writeln!(out, "## {heading}\n");
        }
        let sentences: Vec<String> = (0..5 + rng.below(3))
            .map(|_| sentence(rng, vocab, place))
            .collect();
        let _ = writeln!(out, "{}\n", sentences.join(" "));
    }
    out
}

fn write(path: PathBuf, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| {
        eprintln!("usage: corpus <folder> [items]");
        std::process::exit(2);
    }));
    let items: usize = args
        .next()
        .map(|n| n.parse().expect("items: a number"))
        .unwrap_or(10_000);
    if root.join("content").exists() {
        std::fs::remove_dir_all(root.join("content")).unwrap();
    }
    generate(&root, items);
    eprintln!(
        "wrote a site with {items} items in two languages into {}",
        root.display()
    );
}

fn generate(root: &Path, items: usize) {
    let mut rng = Rng(0x9E3779B97F4A7C15);
    let nb = vocabulary(NB_WORDS, &mut rng, 150, 3000);
    let en = vocabulary(EN_WORDS, &mut rng, 0, 3000);
    write(
        root.join("site.toml"),
        "base_url = \"https://corpus.example.no\"\ndefault_language = \"nb\"\n\n\
         [languages.nb]\ntitle = \"Korpus\"\n\n[languages.en]\ntitle = \"Corpus\"\n",
    );
    let c = root.join("content");
    write(c.join("_index.md"), "+++\ntitle = \"Korpus\"\n+++\n");
    write(c.join("_index.en.md"), "+++\ntitle = \"Corpus\"\n+++\n");
    for (i, (name, nb_title, en_title)) in AREAS.iter().enumerate() {
        let fm = |title: &str, slug: &str| {
            format!("+++\ntitle = \"{title}\"\nsummary = \"{title}.\"\n{slug}order = {i}\n+++\n")
        };
        write(c.join(format!("areas/{name}.md")), &fm(nb_title, ""));
        write(
            c.join(format!("areas/{name}.en.md")),
            &fm(en_title, &format!("slug = \"{name}-en\"\n"))
                .replace(&format!("order = {i}\n"), ""),
        );
    }
    for n in 0..items.saturating_sub(AREAS.len()) {
        let place = PLACES[rng.below(PLACES.len())];
        let area = AREAS[rng.below(AREAS.len())].0;
        let nb_title = sentence(&mut rng, &nb, place)
            .trim_end_matches('.')
            .to_string();
        let en_title = sentence(&mut rng, &en, place)
            .trim_end_matches('.')
            .to_string();
        let nb_summary = sentence(&mut rng, &nb, place);
        let en_summary = sentence(&mut rng, &en, place);
        let nb_body = body(&mut rng, &nb, place, "Bakgrunn");
        let en_body = body(&mut rng, &en, place, "Background");
        let year = 2018 + (n % 15);
        let month = 1 + n % 12;
        let (section, shared, en_extra) = match n % 10 {
            0..=3 => (
                "projects",
                format!(
                    "areas = [\"{area}\"]\nstatus = \"active\"\nstart = {year}-{month:02}-01\npartners = [\"NTNU\"]\n"
                ),
                String::new(),
            ),
            4..=6 => (
                "events",
                format!(
                    "start = {year}-{month:02}-10T18:00:00\nend = {year}-{month:02}-10T20:00:00\nareas = [\"{area}\"]\n\
                     location = {{ name = \"{place} bibliotek\", address = \"Gate 1, Trondheim\" }}\n"
                ),
                format!(
                    "location = {{ name = \"{place} library\", address = \"Gate 1, Trondheim\" }}\n"
                ),
            ),
            7 => (
                "calls",
                format!(
                    "opens = {year}-{month:02}-01T00:00:00\ncloses = {year}-{month:02}-28T23:59:00\nareas = [\"{area}\"]\n\n\
                     [[questions]]\nid = \"svar\"\nkind = \"text\"\nlabel = \"Hva mener du?\"\n"
                ),
                "\n[[questions]]\nid = \"svar\"\nkind = \"text\"\nlabel = \"What do you think?\"\n"
                    .to_string(),
            ),
            _ => (
                "nyheter",
                format!("date = {year}-{month:02}-15\n"),
                String::new(),
            ),
        };
        let stem = format!("{section}/sak-{n:05}");
        write(
            c.join(format!("{stem}.md")),
            &format!(
                "+++\ntitle = \"{nb_title}\"\nsummary = \"{nb_summary}\"\n{shared}+++\n\n{nb_body}"
            ),
        );
        // Shared data (dates, areas) comes from the bokmål file; the translation names itself.
        let en_questions = en_extra.contains("[[questions]]");
        let question =
            "\n[[questions]]\nid = \"svar\"\nkind = \"text\"\nlabel = \"What do you think?\"\n";
        let en_head = en_extra.replace(question, "");
        let mut en_fm = format!(
            "+++\ntitle = \"{en_title}\"\nslug = \"item-{n:05}\"\nsummary = \"{en_summary}\"\n{en_head}"
        );
        if en_questions {
            en_fm.push_str(question);
        }
        write(
            c.join(format!("{stem}.en.md")),
            &format!("{en_fm}+++\n\n{en_body}"),
        );
    }
    for (section, nb, en, slug) in [
        ("projects", "Prosjekter", "Projects", "projects"),
        ("events", "Arrangementer", "Events", "events"),
        ("calls", "Innspill", "Calls", "calls"),
        ("nyheter", "Nyheter", "News", "news"),
    ] {
        write(
            c.join(format!("{section}/_index.md")),
            &format!("+++\ntitle = \"{nb}\"\n+++\n"),
        );
        write(
            c.join(format!("{section}/_index.en.md")),
            &format!("+++\ntitle = \"{en}\"\nslug = \"{slug}\"\n+++\n"),
        );
    }
    write(c.join("areas/_index.md"), "+++\ntitle = \"Områder\"\n+++\n");
    write(
        c.join("areas/_index.en.md"),
        "+++\ntitle = \"Areas\"\nslug = \"areas\"\n+++\n",
    );
}
