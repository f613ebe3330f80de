//! How long an edit takes to reach the browser in `torget serve`, on a generated site of
//! 10,000 items (2,000 projects, 3,000 events, 500 calls, 4,500 news pages, each in Bokmål
//! and English). Not a test: it prints figures for docs/performance.md.
//!
//! ```sh
//! cargo run --release --example serve_latency            # 20 edits of each kind
//! cargo run --release --example serve_latency -- 5 /tmp/corpus   # 5 each, keep the site
//! cargo run --release --example serve_latency -- 5 --site /tmp/c10k --body-only
//! ```
//!
//! `--site` edits a site written by `examples/corpus.rs` instead of generating its own (any
//! size; `examples/bench.rs` uses it), `--body-only` makes only the body edits and skips the
//! summary edits and the new and deleted files, `--search` keeps the search index as
//! `torget serve` does by default (built in the background after each rebuild).
//!
//! Each edit writes one content file and waits for what a browser on the edited page waits
//! for: the `reload` event naming the page, then the page itself with the new text. The time
//! from the write to the last byte of that page is the latency, debounce included. The edit
//! changes the summary too, which listings show: the time until the last of them (section,
//! home, areas, project) is reloaded is reported beside it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use torget::serve::{self, Options};

const AREAS: [&str; 5] = [
    "byutvikling",
    "helse-og-velferd",
    "innovasjon-og-omstilling",
    "oppvekst-og-utdanning",
    "smart-kommune",
];
const PROJECTS: usize = 2000;
const EVENTS: usize = 3000;
const CALLS: usize = 500;
const NEWS: usize = 4500;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let body_only = take_flag(&mut args, "--body-only");
    let search = take_flag(&mut args, "--search");
    let site = take_option(&mut args, "--site").map(PathBuf::from);
    let mut args = args.into_iter();
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let keep = args.next().map(PathBuf::from);
    let tmp = tempfile::tempdir().unwrap();
    let kinds: Vec<Kind> = match &site {
        Some(root) => corpus_kinds(root),
        None => own_kinds(),
    };
    let root = match site {
        Some(root) => root,
        None => {
            let root = keep.unwrap_or_else(|| tmp.path().to_path_buf());
            let started = Instant::now();
            generate(&root);
            println!(
                "generated {} items in {} files in {:.1} s",
                PROJECTS + EVENTS + CALLS + NEWS + AREAS.len(),
                2 * (PROJECTS + EVENTS + CALLS + NEWS + AREAS.len()) + 2,
                started.elapsed().as_secs_f64()
            );
            root
        }
    };

    let started = Instant::now();
    let server = serve::start(Options {
        root: root.clone(),
        out: None,
        listen: "127.0.0.1:0".parse().unwrap(),
        drafts: false,
        now: None,
        db: None,
        // Off by default, as when these figures were first taken, when refreshing the index
        // held up the next rebuild; `--search` measures the preview as it runs by default.
        search,
        lang: torget::messages::Lang::En,
    })
    .unwrap();
    println!(
        "first build and start: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let addr = server.addr;
    let mut events = Events::open(addr);

    // A body edit shows on the item's own pages only; a summary edit on listings too.
    let scenarios: &[(&str, bool)] = if body_only {
        &[("body", false)]
    } else {
        &[("body", false), ("summary and body", true)]
    };
    for &(scenario, summary) in scenarios {
        println!("\nedit of one item's {scenario}, {rounds} times per kind (ms):");
        println!(
            "{:<10} {:>9} {:>9} {:>9} {:>18}",
            "kind", "page p50", "page p90", "page max", "listings p50/max"
        );
        let mut all = Vec::new();
        for &(kind, count, item) in &kinds {
            let mut page = Vec::new();
            let mut listings = Vec::new();
            for round in 0..rounds {
                let i = (round * 7919 + 13 + summary as usize) % count;
                let (file, url) = item(i);
                let path = root.join("content").join(file);
                let text = std::fs::read_to_string(&path).unwrap();
                let marker = format!("Endret {round} {}", jiff::Timestamp::now().as_millisecond());
                let mut new = text.replacen("## Bakgrunn", &format!("{marker}\n\n## Bakgrunn"), 1);
                if summary {
                    new = new.replacen("summary = \"", &format!("summary = \"{marker}: "), 1);
                }
                let t0 = Instant::now();
                std::fs::write(&path, new).unwrap();
                events.wait_for_reload(&url);
                let body = get(addr, &url);
                let t_page = t0.elapsed();
                assert!(body.contains(&marker), "{url} lacks the edit");
                // Listings are reloaded after the page; feeds, calendars and data follow
                // unannounced, so wait until the server has been quiet for a while.
                let t_list = events
                    .last_reload(Duration::from_millis(1500))
                    .map_or(t_page, |at| at.duration_since(t0));
                page.push(t_page);
                listings.push(t_list);
            }
            page.sort();
            listings.sort();
            println!(
                "{kind:<10} {:>9} {:>9} {:>9} {:>18}",
                ms(page[page.len() / 2]),
                ms(page[page.len() * 9 / 10]),
                ms(*page.last().unwrap()),
                if summary {
                    format!(
                        "{}/{}",
                        ms(listings[listings.len() / 2]),
                        ms(*listings.last().unwrap())
                    )
                } else {
                    "unchanged".into()
                }
            );
            all.extend(page);
        }
        all.sort();
        println!(
            "all kinds: p50 {} ms, p90 {} ms, max {} ms over {} edits",
            ms(all[all.len() / 2]),
            ms(all[all.len() * 9 / 10]),
            ms(*all.last().unwrap()),
            all.len()
        );
    }

    if body_only {
        server.stop();
        return;
    }
    println!("\nnew and deleted files (the whole content is loaded again, cached):");
    let rel = "content/events/ny-hendelse.md";
    let t0 = Instant::now();
    std::fs::write(
        root.join(rel),
        "+++\ntitle = \"Ny hendelse\"\nsummary = \"Ny.\"\nstart = 2031-05-02T17:00:00\nend = 2031-05-02T19:00:00\nlocation = { name = \"Rådhuset\" }\nareas = [\"byutvikling\"]\n+++\nNy tekst.\n",
    )
    .unwrap();
    events.wait_for_reload("/arrangementer/ny-hendelse/");
    assert!(get(addr, "/arrangementer/ny-hendelse/").contains("Ny tekst."));
    println!("  new event's page served after {} ms", ms(t0.elapsed()));
    std::thread::sleep(Duration::from_millis(1500));
    let t0 = Instant::now();
    std::fs::remove_file(root.join(rel)).unwrap();
    events.wait_for_reload("/arrangementer/ny-hendelse/");
    println!("  deleted event's page gone after {} ms", ms(t0.elapsed()));
    server.stop();
}

/// What is edited: its name, how many there are, and the content file (under `content/`) and
/// page URL of number i.
type Kind = (&'static str, usize, fn(usize) -> (String, String));

/// The kinds of this example's own site.
fn own_kinds() -> Vec<Kind> {
    vec![
        ("event", EVENTS, |i| {
            (
                format!("events/arrangement-{i}.md"),
                format!("/arrangementer/arrangement-{i}/"),
            )
        }),
        ("project", PROJECTS, |i| {
            (
                format!("projects/prosjekt-{i}.md"),
                format!("/prosjekter/prosjekt-{i}/"),
            )
        }),
        ("call", CALLS, |i| {
            (
                format!("calls/innspill-{i}.md"),
                format!("/innspill/innspill-{i}/"),
            )
        }),
        ("news page", NEWS, |i| {
            (
                format!("nyheter/nyhet-{i}.md"),
                format!("/nyheter/nyhet-{i}/"),
            )
        }),
    ]
}

/// The kinds of a site written by `examples/corpus.rs`: item n is in the n-th group of ten,
/// whose items 0–3 are projects, 4–6 events, 7 a call and 8–9 news pages (1 in 5 of them folder
/// items). Each kind edits one of its places in the group, so `count` is the number of groups.
fn corpus_kinds(root: &Path) -> Vec<Kind> {
    let calls = std::fs::read_dir(root.join("content/calls"))
        .unwrap_or_else(|e| panic!("{} is not a corpus: {e}", root.display()))
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('_'))
        .count();
    let groups = calls / 2;
    vec![
        ("event", groups, |i| {
            corpus_item(i * 10 + 5, "events", "arrangementer")
        }),
        ("project", groups, |i| {
            corpus_item(i * 10 + 1, "projects", "prosjekter")
        }),
        ("call", groups, |i| {
            corpus_item(i * 10 + 7, "calls", "innspill")
        }),
        ("news page", groups, |i| {
            corpus_item(i * 10 + 8, "nyheter", "nyheter")
        }),
    ]
}

fn corpus_item(n: usize, section: &str, slug: &str) -> (String, String) {
    let folder = section == "nyheter" && (n / 10).is_multiple_of(5);
    let file = if folder {
        format!("{section}/sak-{n:05}/index.md")
    } else {
        format!("{section}/sak-{n:05}.md")
    };
    (file, format!("/{slug}/sak-{n:05}/"))
}

/// Removes `flag` from the arguments; whether it was there.
fn take_flag(args: &mut Vec<String>, flag: &str) -> bool {
    let before = args.len();
    args.retain(|a| a != flag);
    args.len() != before
}

/// Removes `option` and its value from the arguments; the value.
fn take_option(args: &mut Vec<String>, option: &str) -> Option<String> {
    let at = args.iter().position(|a| a == option)?;
    let value = args.get(at + 1).cloned();
    args.drain(at..(at + 2).min(args.len()));
    value
}

fn ms(d: Duration) -> String {
    format!("{}", d.as_millis())
}

fn get(addr: SocketAddr, url: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {url} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut body = String::new();
    s.read_to_string(&mut body).unwrap();
    body
}

/// The event stream, read on a thread of its own so each event is timed when it arrives.
struct Events {
    rx: std::sync::mpsc::Receiver<(Instant, String, String)>,
}

impl Events {
    fn open(addr: SocketAddr) -> Events {
        let mut s = TcpStream::connect(addr).unwrap();
        write!(s, "GET /__torget/events HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let reader = BufReader::new(s);
            let mut name = String::new();
            for line in reader.lines() {
                let Ok(line) = line else { return };
                if let Some(n) = line.strip_prefix("event:") {
                    name = n.trim().into();
                } else if let Some(d) = line.strip_prefix("data:")
                    && tx
                        .send((Instant::now(), name.clone(), d.trim().into()))
                        .is_err()
                {
                    return;
                }
            }
        });
        Events { rx }
    }

    fn wait_for_reload(&mut self, url: &str) {
        let needle = format!("\"{url}\"");
        while let Ok((_, name, data)) = self.rx.recv_timeout(Duration::from_secs(60)) {
            if name == "error" {
                panic!("the rebuild failed: {data}");
            }
            if name == "reload" && (data.contains(&needle) || data.contains("\"all\":true")) {
                return;
            }
        }
        panic!("no reload for {url}");
    }

    /// Takes events until none comes for `quiet`; returns when the last reload came.
    fn last_reload(&mut self, quiet: Duration) -> Option<Instant> {
        let mut last = None;
        while let Ok((at, name, _)) = self.rx.recv_timeout(quiet) {
            if name == "reload" {
                last = Some(at);
            }
        }
        last
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join("content").join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A small pseudo-random generator, so the corpus is the same every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn areas(&mut self) -> String {
        let a = self.next(AREAS.len());
        let b = self.next(AREAS.len());
        if a == b || self.next(2) == 0 {
            format!("[\"{}\"]", AREAS[a])
        } else {
            format!("[\"{}\", \"{}\"]", AREAS[a], AREAS[b])
        }
    }
}

fn body(nb: bool, topic: usize, project: usize, year: usize) -> String {
    let (intro, background) = if nb {
        ("Dette er et avsnitt", "Bakgrunn")
    } else {
        ("This is a paragraph", "Background")
    };
    format!(
        "{intro} om samarbeidet mellom kommunen og universitetet. Det handler om tema {topic} og hvordan vi kan gjøre byen bedre for alle som bor her.\n\n## Bakgrunn\n\n- Innbyggerne har sagt hva de mener.\n- Forskerne har samlet kunnskap.\n- Kommunen har prøvd ut nye løsninger.\n\nLes mer om [prosjektet](@/projects/prosjekt-{project}.md) og om området [byutvikling](@/areas/byutvikling.md).\n\n## {background} videre\n\nArbeidet fortsetter i {year}, og vi vil gjerne høre fra deg. *Alle* er velkomne til å delta, og **ingen** forkunnskaper trengs.\n"
    )
}

fn generate(root: &Path) {
    let _ = std::fs::remove_dir_all(root.join("content"));
    std::fs::write(
        root.join("site.toml"),
        "base_url = \"https://universitetskommunen.example.no\"\ndefault_language = \"nb\"\n\n[languages.nb]\ntitle = \"Universitetskommunen Trondheim\"\n\n[languages.en]\ntitle = \"University Municipality Trondheim\"\n",
    )
    .unwrap();
    write(
        root,
        "_index.md",
        "+++\ntitle = \"Universitetskommunen\"\nsummary = \"Forside.\"\n+++\nVelkommen.\n",
    );
    write(
        root,
        "_index.en.md",
        "+++\ntitle = \"University Municipality\"\nsummary = \"Home.\"\n+++\nWelcome.\n",
    );
    write(
        root,
        "nyheter/_index.md",
        "+++\ntitle = \"Nyheter\"\nsummary = \"Nytt.\"\n+++\n",
    );
    write(
        root,
        "nyheter/_index.en.md",
        "+++\ntitle = \"News\"\nslug = \"news\"\nsummary = \"News.\"\n+++\n",
    );
    for (i, a) in AREAS.iter().enumerate() {
        write(
            root,
            &format!("areas/{a}.md"),
            &format!(
                "+++\ntitle = \"Område {a}\"\nsummary = \"Om {a}.\"\norder = {i}\n+++\nOmrådet {a}.\n"
            ),
        );
        write(
            root,
            &format!("areas/{a}.en.md"),
            &format!(
                "+++\ntitle = \"Area {a}\"\nslug = \"area-{i}\"\nsummary = \"About {a}.\"\n+++\nThe area {a}.\n"
            ),
        );
    }
    let mut rng = Rng(0x9e3779b97f4a7c15);
    for i in 0..PROJECTS {
        let year = 2015 + i % 20;
        let status = ["active", "planned", "completed"][rng.next(3)];
        let next = (i + 1) % PROJECTS;
        write(
            root,
            &format!("projects/prosjekt-{i}.md"),
            &format!(
                "+++\ntitle = \"Prosjekt nummer {i}\"\nsummary = \"Et prosjekt om tema {i} i Trondheim.\"\nareas = {}\nstatus = \"{status}\"\nstart = {year}-0{}-01\npartners = [\"NTNU\", \"Trondheim kommune\"]\n\n[[goals]]\ntitle = \"Mål for prosjekt {i}\"\nstatus = \"planned\"\n+++\n\n{}",
                rng.areas(),
                1 + i % 9,
                body(true, i, next, year)
            ),
        );
        write(
            root,
            &format!("projects/prosjekt-{i}.en.md"),
            &format!(
                "+++\ntitle = \"Project number {i}\"\nslug = \"project-{i}\"\nsummary = \"A project about topic {i}.\"\n\n[[goals]]\ntitle = \"Goal for project {i}\"\nstatus = \"planned\"\n+++\n\n{}",
                body(false, i, next, year)
            ),
        );
    }
    for i in 0..EVENTS {
        let year = 2018 + i % 20;
        let (m, d) = (1 + i % 12, 1 + i % 28);
        let project = if i % 3 == 0 {
            format!("project = \"prosjekt-{}\"\n", i % PROJECTS)
        } else {
            String::new()
        };
        write(
            root,
            &format!("events/arrangement-{i}.md"),
            &format!(
                "+++\ntitle = \"Arrangement {i}\"\nsummary = \"Et møte om tema {i}.\"\nstart = {year}-{m:02}-{d:02}T18:00:00\nend = {year}-{m:02}-{d:02}T20:00:00\nlocation = {{ name = \"Rådhuset\", address = \"Munkegata 1, 7013 Trondheim\" }}\nareas = {}\n{project}+++\n\n{}",
                rng.areas(),
                body(true, i, i % PROJECTS, year)
            ),
        );
        write(
            root,
            &format!("events/arrangement-{i}.en.md"),
            &format!(
                "+++\ntitle = \"Event {i}\"\nslug = \"event-{i}\"\nsummary = \"A meeting about topic {i}.\"\n+++\n\n{}",
                body(false, i, i % PROJECTS, year)
            ),
        );
    }
    let questions = |nb: bool| {
        let (q1, options, q2) = if nb {
            ("Hva velger du?", "[\"Ja\", \"Nei\"]", "Hvorfor?")
        } else {
            ("What do you choose?", "[\"Yes\", \"No\"]", "Why?")
        };
        format!(
            "[[questions]]\nid = \"valg\"\nkind = \"choice\"\nlabel = \"{q1}\"\noptions = {options}\nrequired = true\n\n[[questions]]\nid = \"hvorfor\"\nkind = \"longtext\"\nlabel = \"{q2}\"\n"
        )
    };
    for i in 0..CALLS {
        let y = 2020 + i % 15;
        let project = if i % 2 == 0 {
            format!("project = \"prosjekt-{}\"\n", (i * 7) % PROJECTS)
        } else {
            String::new()
        };
        write(
            root,
            &format!("calls/innspill-{i}.md"),
            &format!(
                "+++\ntitle = \"Innspill {i}\"\nsummary = \"Si din mening om tema {i}.\"\nopens = {y}-01-01T00:00:00\ncloses = {}-06-30T23:59:00\nareas = {}\n{project}\n{}+++\n\n{}",
                y + 2,
                rng.areas(),
                questions(true),
                body(true, i, i % PROJECTS, y)
            ),
        );
        write(
            root,
            &format!("calls/innspill-{i}.en.md"),
            &format!(
                "+++\ntitle = \"Call {i}\"\nslug = \"call-{i}\"\nsummary = \"Tell us about topic {i}.\"\n\n{}+++\n\n{}",
                questions(false),
                body(false, i, i % PROJECTS, y)
            ),
        );
    }
    for i in 0..NEWS {
        let y = 2015 + i % 12;
        write(
            root,
            &format!("nyheter/nyhet-{i}.md"),
            &format!(
                "+++\ntitle = \"Nyhet {i}\"\nsummary = \"Nytt om tema {i}.\"\ndate = {y}-{:02}-{:02}\n+++\n\n{}",
                1 + i % 12,
                1 + i % 28,
                body(true, i, i % PROJECTS, y)
            ),
        );
        write(
            root,
            &format!("nyheter/nyhet-{i}.en.md"),
            &format!(
                "+++\ntitle = \"News {i}\"\nslug = \"news-{i}\"\nsummary = \"News about topic {i}.\"\n+++\n\n{}",
                body(false, i, i % PROJECTS, y)
            ),
        );
    }
}
