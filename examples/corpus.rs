//! A large made-up site for measuring the build, the preview and the search index, and for
//! comparing them with Hugo (`examples/bench.rs`, `bench/hugo/`):
//!
//! ```text
//! cargo run --release --example corpus -- /tmp/corpus 10000
//! cargo run --release -- build --root /tmp/corpus
//! ```
//!
//! Writes `site.toml`, `static/bilder/` and `content/` with the given number of items (default
//! 10 000), each in bokmål and English: 5 areas, then projects, events, calls and news pages in
//! the ratio 4:3:1:2. One news page in five is a folder item with its own picture.
//!
//! Bodies read like the pages a municipality writes, in Markdown: about 230 words in three
//! paragraphs, headings, a bullet list and a numbered list of links: `@/` links to other
//! items (with and without a heading anchor), to an area and, from bokmål, to another item's
//! English version; links to public bodies' sites and a bare address. One item in five has a
//! table, one in six a picture from `static/bilder/`, one project in four a picture at the top;
//! a third of the events and half of the calls name their project. The prose is drawn with a
//! Zipf-like skew from a vocabulary of common words, some Norwegian compounds, made-up rare words
//! and place names, so that the search index has a long tail and the hidden search terms about as
//! much work as on the sample site (about one extra term per ten words of Norwegian text). Each
//! item names a contact person, a made-up surname found on one item or a few: the words a
//! resident searches for that are on a few pages only.
//!
//! Deterministic: the same count gives the same site. It builds and checks without errors
//! (`torget check --root /tmp/corpus`), and Hugo builds it too (see `bench/hugo/`).

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

/// What made-up words (rare words, names) are made of.
const SYLLABLES: &[&str] = &[
    "ber", "dal", "vik", "mo", "gar", "lin", "sto", "ran", "hei", "ter", "ka", "nes", "bru", "sk",
    "fjel", "ly", "vol", "ha", "ri", "tun",
];

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

/// Pictures in `static/bilder/`: file name, colours, and what it shows in bokmål and English
/// (`{}` is the place).
const PICTURES: &[(&str, [u8; 3], &str, &str)] = &[
    ("kart", [70, 130, 180], "Kart over {}", "Map of {}"),
    (
        "skole",
        [200, 120, 60],
        "Elever i skolegården på {}",
        "Pupils in the schoolyard at {}",
    ),
    (
        "park",
        [60, 160, 80],
        "Den nye parken på {}",
        "The new park at {}",
    ),
    (
        "buss",
        [180, 40, 50],
        "Bussholdeplassen på {}",
        "The bus stop at {}",
    ),
    (
        "torg",
        [150, 150, 40],
        "Folkemøte på torget på {}",
        "A town hall meeting in the square at {}",
    ),
    (
        "sykkel",
        [90, 60, 160],
        "Sykkelparkering ved stasjonen på {}",
        "Bicycle parking by the station at {}",
    ),
];

/// Other sites the bodies link to.
const SITES: &[(&str, &str)] = &[
    ("Trondheim kommune", "https://www.trondheim.kommune.no/"),
    ("NTNU", "https://www.ntnu.no/"),
    ("Statistisk sentralbyrå", "https://www.ssb.no/"),
    ("Miljødirektoratet", "https://www.miljodirektoratet.no/"),
    ("Regjeringen", "https://www.regjeringen.no/"),
];

/// What a body says in one language, besides the drawn prose.
struct Lang<'a> {
    en: bool,
    vocab: &'a [String],
    background: &'a str,
    see_also: &'a str,
    measures: &'a str,
    table_head: &'a str,
    statuses: [&'a str; 3],
    read_more: &'a str,
    source: &'a str,
    contact: &'a str,
}

/// One item, planned before any body is written so that bodies can link to any other item by
/// its title.
struct Plan {
    section: &'static str,
    /// A folder item (`sak-00008/index.md` with its picture beside it).
    folder: bool,
    place: &'static str,
    area: usize,
    nb_title: String,
    en_title: String,
}

impl Plan {
    fn stem(&self, n: usize) -> String {
        if self.folder {
            format!("{}/sak-{n:05}/index", self.section)
        } else {
            format!("{}/sak-{n:05}", self.section)
        }
    }
    /// The `@/` link to its page in the language written in, or to its English version.
    fn link(&self, n: usize, english: bool) -> String {
        let lang = if english { ".en" } else { "" };
        format!("@/{}{lang}.md", self.stem(n))
    }
    fn title(&self, en: bool) -> &str {
        if en { &self.en_title } else { &self.nb_title }
    }
}

fn section(n: usize) -> &'static str {
    match n % 10 {
        0..=3 => "projects",
        4..=6 => "events",
        7 => "calls",
        _ => "nyheter",
    }
}

/// Item `n`'s contact person, the same in both languages: a made-up surname of four
/// syllables, one of 160,000, so that most are on one item. Real pages are full of such words
/// (names of people, streets, firms) that the Zipf-skewed prose does not give: its rarest
/// words are on some sixty pages at 10,000 items.
fn contact(n: usize) -> String {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (n as u64).wrapping_mul(0xbf58_476d_1ce4_e5b9));
    let name: String = (0..4)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect();
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn paragraph(rng: &mut Rng, vocab: &[String], place: &str) -> String {
    let sentences: Vec<String> = (0..3 + rng.below(3))
        .map(|_| sentence(rng, vocab, place))
        .collect();
    sentences.join(" ")
}

/// One version's Markdown body of item `n`.
fn body(rng: &mut Rng, l: &Lang, n: usize, plans: &[Plan]) -> String {
    let me = &plans[n];
    let place = me.place;
    let other = |rng: &mut Rng| {
        let m = rng.below(plans.len());
        (m, &plans[m])
    };
    let mut out = String::new();
    let (a, pa) = other(rng);
    let _ = writeln!(
        out,
        "{} {} [{}]({}).\n",
        paragraph(rng, l.vocab, place),
        l.see_also,
        pa.title(l.en),
        pa.link(a, false)
    );
    let _ = writeln!(out, "## {}\n", l.background);
    let _ = writeln!(out, "{}\n", paragraph(rng, l.vocab, place));
    for _ in 0..1 + rng.below(3) {
        let _ = writeln!(out, "- {}", sentence(rng, l.vocab, place));
    }
    let _ = writeln!(out, "- {}: {}", l.contact, contact(n));
    let word = &l.vocab[l.vocab.len() / 3 + rng.below(l.vocab.len() / 2)];
    let _ = writeln!(out, "- **{word}**: {}", sentence(rng, l.vocab, place));
    let (b, pb) = other(rng);
    let _ = writeln!(out, "- [{}]({})\n", pb.title(l.en), pb.link(b, false));
    if n % 5 == 2 {
        let _ = writeln!(
            out,
            "## {}\n\n{}\n| --- | --- | ---: | --- |",
            l.measures, l.table_head
        );
        for _ in 0..3 + rng.below(3) {
            let what = sentence(rng, l.vocab, place);
            let what: Vec<&str> = what.trim_end_matches('.').split(' ').take(4).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} 000 | {} |",
                what.join(" "),
                PLACES[rng.below(PLACES.len())],
                50 * (1 + rng.below(200)),
                l.statuses[rng.below(3)]
            );
        }
        out.push('\n');
    }
    if me.folder || n % 6 == 1 {
        let (name, _, nb_alt, en_alt) = PICTURES[(n / 10) % PICTURES.len()];
        let alt = if l.en { en_alt } else { nb_alt }.replace("{}", place);
        let src = if me.folder {
            "bilde.png".to_string()
        } else {
            format!("/bilder/{name}.png")
        };
        let _ = writeln!(out, "![{alt}]({src})\n");
    }
    let _ = writeln!(out, "{}\n", paragraph(rng, l.vocab, place));
    let _ = writeln!(out, "## {}\n", l.read_more);
    let (nb_area, en_area) = (AREAS[me.area].1, AREAS[me.area].2);
    let _ = writeln!(
        out,
        "1. [{}](@/areas/{}.md)",
        if l.en { en_area } else { nb_area },
        AREAS[me.area].0
    );
    let (c, pc) = other(rng);
    let _ = writeln!(
        out,
        "2. [{}]({}#{})",
        pc.title(l.en),
        pc.link(c, false),
        l.background.to_lowercase()
    );
    let (site, url) = SITES[rng.below(SITES.len())];
    let _ = writeln!(out, "3. [{site}]({url})");
    if !l.en {
        let (d, pd) = other(rng);
        let _ = writeln!(out, "4. [{} (engelsk)]({})", pd.en_title, pd.link(d, true));
    }
    let _ = writeln!(out, "\n{} <{}>", l.source, SITES[rng.below(SITES.len())].1);
    out
}

/// A small gradient picture as a valid PNG (8-bit RGB, zlib-compressed).
fn png(width: u32, height: u32, rgb: [u8; 3]) -> Vec<u8> {
    use std::io::Write as _;
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    let mut raw = Vec::new();
    for y in 0..height {
        raw.push(0); // no filter
        for x in 0..width {
            for c in rgb {
                let shade = (x * 64 / width + y * 64 / height) as u8;
                raw.push(c.saturating_add(shade));
            }
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&raw).unwrap();
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z.finish().unwrap());
    chunk(&mut out, b"IEND", &[]);
    out
}

fn write(path: PathBuf, text: impl AsRef<[u8]>) {
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
    for old in ["content", "static"] {
        if root.join(old).exists() {
            std::fs::remove_dir_all(root.join(old)).unwrap();
        }
    }
    generate(&root, items);
    eprintln!(
        "wrote a site with {items} items in two languages into {}",
        root.display()
    );
}

fn generate(root: &Path, items: usize) {
    let mut rng = Rng(0x9E3779B97F4A7C15);
    let nb_vocab = vocabulary(NB_WORDS, &mut rng, 150, 3000);
    let en_vocab = vocabulary(EN_WORDS, &mut rng, 0, 3000);
    let nb = Lang {
        en: false,
        vocab: &nb_vocab,
        background: "Bakgrunn",
        see_also: "Se også",
        measures: "Tiltak og kostnader",
        table_head: "| Tiltak | Sted | Kostnad (kr) | Status |",
        statuses: ["Planlagt", "Pågår", "Ferdig"],
        read_more: "Les mer",
        source: "Kilde:",
        contact: "Kontaktperson",
    };
    let en = Lang {
        en: true,
        vocab: &en_vocab,
        background: "Background",
        see_also: "See also",
        measures: "Measures and costs",
        table_head: "| Measure | Place | Cost (NOK) | Status |",
        statuses: ["Planned", "Under way", "Done"],
        read_more: "Read more",
        source: "Source:",
        contact: "Contact",
    };
    write(
        root.join("site.toml"),
        "base_url = \"https://corpus.example.no\"\ndefault_language = \"nb\"\n\n\
         [languages.nb]\ntitle = \"Korpus\"\n\n[languages.en]\ntitle = \"Corpus\"\n",
    );
    for (name, rgb, _, _) in PICTURES {
        write(
            root.join(format!("static/bilder/{name}.png")),
            png(96, 64, *rgb),
        );
    }
    let c = root.join("content");
    write(c.join("_index.md"), "+++\ntitle = \"Korpus\"\n+++\n");
    write(c.join("_index.en.md"), "+++\ntitle = \"Corpus\"\n+++\n");
    for (i, (name, nb_title, en_title)) in AREAS.iter().enumerate() {
        let fm = |title: &str, slug: &str| {
            format!("+++\ntitle = \"{title}\"\nsummary = \"{title}.\"\n{slug}order = {i}\n+++\n")
        };
        write(c.join(format!("areas/{name}.md")), fm(nb_title, ""));
        write(
            c.join(format!("areas/{name}.en.md")),
            fm(en_title, &format!("slug = \"{name}-en\"\n")).replace(&format!("order = {i}\n"), ""),
        );
    }
    let count = items.saturating_sub(AREAS.len());
    let plans: Vec<Plan> = (0..count)
        .map(|n| {
            let place = PLACES[rng.below(PLACES.len())];
            let area = rng.below(AREAS.len());
            let section = section(n);
            let title = |rng: &mut Rng, vocab| {
                sentence(rng, vocab, place)
                    .trim_end_matches('.')
                    .to_string()
            };
            Plan {
                section,
                folder: section == "nyheter" && (n / 10) % 5 == 0,
                place,
                area,
                nb_title: title(&mut rng, &nb_vocab),
                en_title: title(&mut rng, &en_vocab),
            }
        })
        .collect();
    let png_for_folder = png(64, 48, [120, 120, 120]);
    for (n, plan) in plans.iter().enumerate() {
        let place = plan.place;
        let area = AREAS[plan.area].0;
        let nb_summary = sentence(&mut rng, &nb_vocab, place);
        let en_summary = sentence(&mut rng, &en_vocab, place);
        let nb_body = body(&mut rng, &nb, n, &plans);
        let en_body = body(&mut rng, &en, n, &plans);
        let year = 2018 + (n % 15);
        let month = 1 + n % 12;
        // The project an event or call belongs to: the project that comes before it.
        let project = format!("project = \"sak-{:05}\"\n", n - n % 10);
        let (mut shared, en_extra) = match plan.section {
            "projects" => (
                format!(
                    "areas = [\"{area}\"]\nstatus = \"active\"\nstart = {year}-{month:02}-01\npartners = [\"NTNU\"]\n"
                ),
                String::new(),
            ),
            "events" => (
                format!(
                    "start = {year}-{month:02}-10T18:00:00\nend = {year}-{month:02}-10T20:00:00\nareas = [\"{area}\"]\n\
                     location = {{ name = \"{place} bibliotek\", address = \"Gate 1, Trondheim\" }}\n{}",
                    if n % 3 == 0 { project.as_str() } else { "" }
                ),
                format!(
                    "location = {{ name = \"{place} library\", address = \"Gate 1, Trondheim\" }}\n"
                ),
            ),
            "calls" => (
                format!(
                    "opens = {year}-{month:02}-01T00:00:00\ncloses = {year}-{month:02}-28T23:59:00\nareas = [\"{area}\"]\n{}",
                    if n % 2 == 0 { project.as_str() } else { "" }
                ),
                String::new(),
            ),
            _ => (format!("date = {year}-{month:02}-15\n"), String::new()),
        };
        // A picture at the top: a folder item's own, or one from static/ for some projects.
        let mut nb_alt = String::new();
        let mut en_alt = String::new();
        let image = if plan.folder {
            Some("bilde.png".to_string())
        } else if plan.section == "projects" && n % 5 == 0 {
            Some(format!(
                "/bilder/{}.png",
                PICTURES[(n / 10) % PICTURES.len()].0
            ))
        } else {
            None
        };
        if let Some(image) = image {
            let (_, _, nb_text, en_text) = PICTURES[(n / 10) % PICTURES.len()];
            shared.push_str(&format!("image = \"{image}\"\n"));
            nb_alt = format!("image_alt = \"{}\"\n", nb_text.replace("{}", place));
            en_alt = format!("image_alt = \"{}\"\n", en_text.replace("{}", place));
        }
        let (nb_questions, en_questions) = if plan.section == "calls" {
            (
                "\n[[questions]]\nid = \"svar\"\nkind = \"text\"\nlabel = \"Hva mener du?\"\n",
                "\n[[questions]]\nid = \"svar\"\nkind = \"text\"\nlabel = \"What do you think?\"\n",
            )
        } else {
            ("", "")
        };
        let stem = plan.stem(n);
        write(
            c.join(format!("{stem}.md")),
            format!(
                "+++\ntitle = \"{}\"\nsummary = \"{nb_summary}\"\n{shared}{nb_alt}{nb_questions}+++\n\n{nb_body}",
                plan.nb_title
            ),
        );
        // Shared data (dates, areas) comes from the bokmål file; the translation names itself.
        write(
            c.join(format!("{stem}.en.md")),
            format!(
                "+++\ntitle = \"{}\"\nslug = \"item-{n:05}\"\nsummary = \"{en_summary}\"\n{en_extra}{en_alt}{en_questions}+++\n\n{en_body}",
                plan.en_title
            ),
        );
        if plan.folder {
            write(
                c.join(format!("{}/sak-{n:05}/bilde.png", plan.section)),
                &png_for_folder,
            );
        }
    }
    for (section, nb, en, slug) in [
        ("projects", "Prosjekter", "Projects", "projects"),
        ("events", "Arrangementer", "Events", "events"),
        ("calls", "Innspill", "Calls", "calls"),
        ("nyheter", "Nyheter", "News", "news"),
    ] {
        write(
            c.join(format!("{section}/_index.md")),
            format!("+++\ntitle = \"{nb}\"\n+++\n"),
        );
        write(
            c.join(format!("{section}/_index.en.md")),
            format!("+++\ntitle = \"{en}\"\nslug = \"{slug}\"\n+++\n"),
        );
    }
    write(c.join("areas/_index.md"), "+++\ntitle = \"Områder\"\n+++\n");
    write(
        c.join("areas/_index.en.md"),
        "+++\ntitle = \"Areas\"\nslug = \"areas\"\n+++\n",
    );
}
