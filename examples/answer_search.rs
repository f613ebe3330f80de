//! What the staff console's answer search costs: 100,000 generated answers (Norwegian
//! sentences from a small word list, one in ten in English, spread over 50 calls) indexed from
//! cold in RAM, then 1,000 searches (words, stems, folded spellings, phrases; half within one
//! call). Then the same answers stored in an SQLite store and the live index built from it, as
//! the endpoint does at start, and a search that first catches up with one new answer. Not a
//! test: it prints figures for docs/performance.md ("Staff search over answers").
//!
//! ```sh
//! cargo run --release --example answer_search            # 100,000 answers, 1,000 searches
//! cargo run --release --example answer_search -- 20000 200
//! ```

use std::time::{Duration, Instant};

use std::sync::Arc;

use torget::feedback::answers::{Answer, Answers};
use torget::feedback::receipt::Receipt;
use torget::feedback::search::{AnswerIndex, AnswerText, LiveIndex};
use torget::feedback::store::{self, DbSpec, IfMissing, NewResponse};

const SUBJECTS: [&str; 12] = [
    "Barnehagen",
    "Skolen",
    "Parken",
    "Bussen",
    "Gangveien",
    "Biblioteket",
    "Torget",
    "Idrettshallen",
    "Lekeplassen",
    "Sykkelveien",
    "Badeplassen",
    "Kvartalet",
];
const VERBS: [&str; 8] = [
    "trenger",
    "mangler",
    "har for få",
    "burde få",
    "ønsker seg",
    "har fått",
    "må ha",
    "savner",
];
const OBJECTS: [&str; 14] = [
    "flere benker",
    "bedre lys om kvelden",
    "trær og blomster",
    "et nytt toalett",
    "tryggere krysninger",
    "plass til barnevogner",
    "søppelkasser",
    "sykkelstativer",
    "lærere som bor i nærheten",
    "åpningstider i helgene",
    "en kafé",
    "ladestasjoner",
    "mindre støy fra veien",
    "vann til hundene",
];
const PLACES: [&str; 10] = [
    "ved Østensjøvannet",
    "i bydelen",
    "langs elva",
    "nær barnehagene",
    "på Grünerløkka",
    "ved skolene",
    "i sentrum",
    "om vinteren",
    "for de eldre",
    "på lørdager",
];
const ENGLISH: [&str; 8] = [
    "The park needs more benches and light in the evening.",
    "Buses run too rarely after nine.",
    "Please keep the library open on Sundays.",
    "The crossing by the school is dangerous for children.",
    "More trees would make the square a nicer place.",
    "We need bike parking near the station.",
    "The playground is great but the toilets are closed.",
    "Noise from the road keeps us awake.",
];
const QUERIES: [&str; 16] = [
    "barnehage",
    "benk",
    "laerer",
    "lys kvelden",
    "\"flere benker\"",
    "ostensjovannet",
    "sykkel",
    "toalett",
    "parks",
    "søppelkasse",
    "\"i bydelen\"",
    "trær blomster",
    "støy",
    "grunerlokka",
    "library sundays",
    "bussen helgene",
];

/// xorshift64*: the same answers on every run, with no dependency.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }
}

fn sentence(dice: &mut Dice) -> String {
    format!(
        "{} {} {} {}.",
        SUBJECTS[dice.below(SUBJECTS.len())],
        VERBS[dice.below(VERBS.len())],
        OBJECTS[dice.below(OBJECTS.len())],
        PLACES[dice.below(PLACES.len())],
    )
}

fn answer_text(dice: &mut Dice, english: bool) -> String {
    let sentences = 1 + dice.below(4);
    let mut text = String::new();
    for _ in 0..sentences {
        if !text.is_empty() {
            text.push(' ');
        }
        if english {
            text.push_str(ENGLISH[dice.below(ENGLISH.len())]);
        } else {
            text.push_str(&sentence(dice));
        }
    }
    text
}

fn peak_memory_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let answers: usize = args
        .next()
        .map_or(100_000, |a| a.parse().expect("answers: a number"));
    let searches: usize = args
        .next()
        .map_or(1_000, |a| a.parse().expect("searches: a number"));

    let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
    let texts: Vec<(String, String, &'static str, String)> = (0..answers)
        .map(|i| {
            let english = dice.below(10) == 0;
            let call = format!("call-{}", dice.below(50));
            let text = answer_text(&mut dice, english);
            (
                format!("r{i}"),
                call,
                if english { "en" } else { "nb" },
                text,
            )
        })
        .collect();
    let chars: usize = texts.iter().map(|t| t.3.chars().count()).sum();
    let memory_before = peak_memory_kb();

    let started = Instant::now();
    let index = AnswerIndex::in_ram().expect("an index in RAM");
    let submitted = jiff::Timestamp::from_second(1_780_000_000).unwrap();
    for (response_id, call_id, lang, text) in &texts {
        index
            .add(&AnswerText {
                response_id,
                call_id,
                question_id: "q1",
                lang,
                submitted,
                text,
            })
            .expect("add");
    }
    index.commit().expect("commit");
    let indexed = started.elapsed();

    let mut times = Vec::with_capacity(searches);
    let mut hits = 0;
    for i in 0..searches {
        let query = QUERIES[i % QUERIES.len()];
        let call = (i % 2 == 0).then(|| format!("call-{}", i % 50));
        let started = Instant::now();
        hits += index
            .search(call.as_deref(), query, 20, 0)
            .expect("search")
            .len();
        times.push(started.elapsed());
    }
    times.sort();

    println!(
        "{answers} answers ({:.1} MB of text, {} documents) indexed from cold in {:.2} s",
        chars as f64 / 1e6,
        index.len(),
        indexed.as_secs_f64()
    );
    println!(
        "{searches} searches (20 hits each, {hits} in all): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3,
    );
    println!(
        "peak memory (VmHWM) {:.0} MB; {:.0} MB before the index (the generated answers)",
        peak_memory_kb() as f64 / 1024.0,
        memory_before as f64 / 1024.0
    );
    drop(index);
    from_the_store(texts);
}

/// The live index as the endpoint builds it: the answers stored first (many inserts in flight,
/// so they share commits), then [`LiveIndex::build`] timed, then one search that catches up.
fn from_the_store(texts: Vec<(String, String, &'static str, String)>) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async move {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let db = DbSpec::Sqlite(dir.path().join("answers.sqlite"));
        let store = store::open(&db, IfMissing::Create).expect("a store");
        let started = Instant::now();
        let mut calls: Vec<String> = texts.iter().map(|t| t.1.clone()).collect();
        calls.sort();
        calls.dedup();
        let n = texts.len();
        for chunk in texts.chunks(1_000) {
            let inserts = chunk.iter().map(|(_, call, lang, text)| {
                let store = store.clone();
                let mut answers = Answers::new();
                answers.insert("q1".into(), Answer::Text(text.clone()));
                let r = NewResponse {
                    call_id: call.clone(),
                    lang: lang.to_string(),
                    submitted: jiff::Timestamp::from_second(1_780_000_000).unwrap(),
                    answers,
                    receipt: Receipt::generate().expect("randomness").hash(),
                };
                tokio::spawn(async move { store.insert(r).await.expect("stored") })
            });
            for task in inserts.collect::<Vec<_>>() {
                task.await.expect("insert task");
            }
        }
        let stored = started.elapsed();
        let started = Instant::now();
        let free_text = Arc::new(|_: &str, q: &str| q == "q1");
        let live = LiveIndex::build(store.clone(), calls, free_text)
            .await
            .expect("the live index");
        let built = started.elapsed();
        println!(
            "{n} answers stored in {:.1} s; live index built from the store in {:.2} s ({} documents)",
            stored.as_secs_f64(),
            built.as_secs_f64(),
            live.len()
        );
        let mut answers = Answers::new();
        answers.insert("q1".into(), Answer::Text("Benkene ved kaia er knust.".into()));
        store
            .insert(NewResponse {
                call_id: "call-0".into(),
                lang: "nb".into(),
                submitted: jiff::Timestamp::from_second(1_780_000_001).unwrap(),
                answers,
                receipt: Receipt::generate().expect("randomness").hash(),
            })
            .await
            .expect("stored");
        let started = Instant::now();
        let hits = live.search(Some("call-0"), "kaia", 20).await.expect("search");
        println!(
            "a search that catches up with one new answer first: {:.2} ms ({} hit)",
            started.elapsed().as_secs_f64() * 1e3,
            hits.len()
        );
        println!(
            "peak memory (VmHWM) of the whole run {:.0} MB",
            peak_memory_kb() as f64 / 1024.0
        );
        store.close().await;
    });
}
