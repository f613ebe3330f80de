//! Load benchmark for the feedback endpoint (not a test): starts `torget feedback serve` as a
//! child process on 127.0.0.1 with a fresh database and the rate limit off, has 64 clients post
//! valid JSON answers over keep-alive connections for a fixed time, and prints durable
//! answers per second with p50/p99 latency. Every 201 counted was committed with fsync.
//!
//! `FEEDBACK_BENCH_MODE=summary` measures the public counts instead: it first stores
//! `FEEDBACK_BENCH_ANSWERS` (default 500,000) varied answers through the store in big batches,
//! then the clients read `GET /api/calls/open-call/summary`, one more client reads `/healthz`,
//! and it prints p50/p99 and the server's peak memory (VmHWM from /proc/<pid>/status).
//!
//! `FEEDBACK_BENCH_DATABASE_URL=postgres://…` runs the answers load against PostgreSQL
//! instead, with `FEEDBACK_BENCH_INSTANCES` (default 2) endpoint instances on that database,
//! the clients spread over them as a load balancer would. The database should be empty or
//! disposable: the answers stay in it.
//!
//! `cargo bench --bench feedback_load` (release build). `FEEDBACK_BENCH_SECONDS` (default 10),
//! `FEEDBACK_BENCH_CLIENTS` (default 64) and `FEEDBACK_BENCH_DB_DIR` (default: a temporary
//! folder under the system's temp dir) change the run.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use torget::feedback::answers::{Answer, Answers};
use torget::feedback::receipt::Receipt;
use torget::feedback::store::{self, DbSpec, IfMissing, NewResponse};

#[path = "../tests/it/endpoint_process.rs"]
mod endpoint_process;
use endpoint_process::Server;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let seconds: u64 = env_or("FEEDBACK_BENCH_SECONDS", 10);
    let clients: usize = env_or("FEEDBACK_BENCH_CLIENTS", 64);
    let db_dir = match std::env::var("FEEDBACK_BENCH_DB_DIR") {
        Ok(d) => tempfile::tempdir_in(d).unwrap(),
        Err(_) => tempfile::tempdir().unwrap(),
    };
    let db = db_dir.path().join("bench.sqlite");
    let site = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feedback_site");
    if std::env::var("FEEDBACK_BENCH_MODE").as_deref() == Ok("summary") {
        let answers: usize = env_or("FEEDBACK_BENCH_ANSWERS", 500_000);
        return summary_bench(&site, &db, answers, clients, Duration::from_secs(seconds));
    }

    let postgres = std::env::var("FEEDBACK_BENCH_DATABASE_URL").ok();
    let (db_arg, instances) = match &postgres {
        Some(url) => (PathBuf::from(url), env_or("FEEDBACK_BENCH_INSTANCES", 2)),
        None => (db.clone(), 1),
    };
    let env = [
        ("RUST_LOG", "warn,torget=info"),
        ("TORGET_FORM_SECRET", "shared by every instance"),
    ];
    let mut servers: Vec<Server> = (0..instances)
        .map(|_| Server::start(&site, &db_arg, &env))
        .collect();
    let addrs = servers.iter().map(|s| s.addr.to_string()).collect();

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (lat, errors, elapsed) =
        rt.block_on(run(addrs, "answers", clients, Duration::from_secs(seconds)));
    // SIGTERM: each server finishes, closes the store and logs how many commits it made.
    let (mut writes, mut commits) = (None::<f64>, None::<f64>);
    for server in &mut servers {
        server.signal("-TERM");
        server.wait(Duration::from_secs(30));
        let stats = server.log_line("the store is closed", Duration::from_secs(5));
        let field = |name: &str| -> Option<f64> {
            let line = stats.as_deref()?;
            let at = line.find(&format!("{name}="))? + name.len() + 1;
            line[at..].split(' ').next()?.parse().ok()
        };
        writes = field("writes").map(|w| w + writes.unwrap_or(0.0));
        commits = field("commits").map(|c| c + commits.unwrap_or(0.0));
    }
    let field = |name: &str| if name == "writes" { writes } else { commits };

    let mut lat = lat;
    lat.sort_unstable();
    let pct = |p: f64| percentile(&lat, p);
    let rate = lat.len() as f64 / elapsed.as_secs_f64();
    println!(
        "feedback endpoint load: {clients} concurrent clients, {seconds} s, JSON answers to one call"
    );
    if postgres.is_some() {
        println!("  store:           PostgreSQL, {instances} endpoint instances");
    }
    println!("  durable answers: {} ({} errors)", lat.len(), errors);
    println!("  answers/s:       {rate:.0}");
    println!("  latency p50:     {:.2} ms", pct(0.50));
    println!("  latency p99:     {:.2} ms", pct(0.99));
    println!("  latency max:     {:.2} ms", pct(1.0));
    if let (Some(w), Some(c)) = (field("writes"), field("commits")) {
        println!(
            "  group commit:    {w:.0} writes in {c:.0} commits (fsyncs), {:.1} per commit",
            w / c.max(1.0)
        );
    }
    if postgres.is_none() {
        println!("  database:        {}", db.display());
    }
}

/// The latency at fraction `p` of the sorted `lat`, in milliseconds.
fn percentile(lat: &[Duration], p: f64) -> f64 {
    if lat.is_empty() {
        return f64::NAN;
    }
    let i = ((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1;
    lat[i].as_secs_f64() * 1000.0
}

/// Stores `n` varied answers to the open call through the store, many at a time so the
/// writer commits them in big batches.
async fn fill(db: &Path, n: usize) {
    let store = store::open(&DbSpec::Sqlite(db.to_path_buf()), IfMissing::Create).unwrap();
    let picks = ["På nett", "På papir", "Annet"];
    let many = ["Is", "Trafikk", "Bakker"];
    let start = jiff::Timestamp::now().as_second() - 86_400;
    let mut i = 0;
    while i < n {
        let mut batch = Vec::new();
        for k in i..(i + 8192).min(n) {
            let mut a = Answers::new();
            a.insert("pick".into(), Answer::Text(picks[k % 3].into()));
            let chosen = (0..3)
                .filter(|b| k >> b & 1 == 1)
                .map(|b| many[b].to_string());
            a.insert("many".into(), Answer::List(chosen.collect()));
            a.insert("n".into(), Answer::Number(1 + (k % 5) as i64));
            a.insert("mood".into(), Answer::Number((k % 5) as i64 - 2));
            a.insert("t".into(), Answer::Text(format!("Sykkelveier {}", k % 100)));
            a.insert(
                "long".into(),
                Answer::Text(format!(
                    "Svar nummer {k}: mer lys langs sykkelveiene om vinteren."
                )),
            );
            let r = NewResponse {
                call_id: "open-call".into(),
                lang: "nb".into(),
                submitted: jiff::Timestamp::from_second(start + (k % 86_400) as i64).unwrap(),
                answers: a,
                receipt: Receipt::generate().unwrap().hash(),
            };
            let store = store.clone();
            batch.push(tokio::spawn(async move { store.insert(r).await.unwrap() }));
        }
        for t in batch {
            t.await.unwrap();
        }
        i += 8192;
    }
    store.close().await;
}

/// The server's peak resident memory so far, in MB (VmHWM in /proc/<pid>/status).
fn peak_rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn summary_bench(site: &Path, db: &Path, answers: usize, clients: usize, dur: Duration) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    rt.block_on(fill(db, answers));
    let filled = started.elapsed();

    let started = Instant::now();
    let mut server = Server::start(site, db, &[("RUST_LOG", "warn,torget=info")]);
    let ready = started.elapsed();
    let pid = server.child.id();
    let at_start = peak_rss_mb(pid);
    let addr = server.addr.to_string();
    let (lat, health, errors) = rt.block_on(async {
        let health = tokio::spawn(healthz(addr.clone(), dur + Duration::from_secs(1)));
        let (lat, errors, _) = run(vec![addr.clone()], "summary", clients, dur).await;
        (lat, health.await.unwrap(), errors)
    });
    let peak = peak_rss_mb(pid);
    server.signal("-TERM");
    server.wait(Duration::from_secs(30));

    let mut lat = lat;
    lat.sort_unstable();
    let mb = |v: Option<f64>| v.map_or("?".to_string(), |v| format!("{v:.0} MB"));
    println!(
        "feedback endpoint summary: {answers} stored answers, {clients} concurrent clients, {} s",
        dur.as_secs()
    );
    println!(
        "  filled in:       {:.1} s (through the store)",
        filled.as_secs_f64()
    );
    println!(
        "  server ready:    {:.2} s after start",
        ready.as_secs_f64()
    );
    println!("  summaries:       {} ({errors} errors)", lat.len());
    println!(
        "  summaries/s:     {:.0}",
        lat.len() as f64 / dur.as_secs_f64()
    );
    println!("  latency p50:     {:.2} ms", percentile(&lat, 0.50));
    println!("  latency p99:     {:.2} ms", percentile(&lat, 0.99));
    println!("  latency max:     {:.2} ms", percentile(&lat, 1.0));
    println!("  /healthz max:    {:.2} ms", percentile(&health, 1.0));
    println!(
        "  peak memory:     {} (after start: {})",
        mb(peak),
        mb(at_start)
    );
}

/// One client asking `/healthz` every 50 ms; its latencies.
async fn healthz(addr: String, dur: Duration) -> Vec<Duration> {
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let url = format!("http://{addr}/healthz");
    let until = Instant::now() + dur;
    let mut lat = Vec::new();
    while Instant::now() < until {
        let t = Instant::now();
        if let Ok(res) = client.get(url.parse().unwrap()).await {
            let _ = res.into_body().collect().await;
            lat.push(t.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    lat
}

/// `clients` clients posting answers (`what` = "answers") or reading the summary for `dur`,
/// client `i` to `addrs[i % n]`; the latencies of what succeeded, and how many failed.
async fn run(
    addrs: Vec<String>,
    what: &'static str,
    clients: usize,
    dur: Duration,
) -> (Vec<Duration>, usize, Duration) {
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(clients)
        .build_http();
    let summary = what == "summary";
    let path = if summary {
        "/api/calls/open-call/summary"
    } else {
        "/api/calls/open-call/responses"
    };
    let body = Bytes::from(
        r#"{"lang":"nb","website":"","answers":{"pick":"På nett","many":["Is","Bakker"],"n":4,"mood":1,"t":"Sykkelveier","long":"Mer lys langs sykkelveiene om vinteren, takk."}}"#,
    );
    // Warm up: open the connections and let SQLite settle.
    let warm_until = Instant::now() + Duration::from_secs(1);
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    let start_at = warm_until;
    for i in 0..clients {
        let client = client.clone();
        let url = format!("http://{}{path}", addrs[i % addrs.len()]);
        let body = body.clone();
        let stop = stop.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0;
            while !stop.load(Ordering::Relaxed) {
                let req = if summary {
                    Request::get(&url).body(Full::new(Bytes::new())).unwrap()
                } else {
                    Request::post(&url)
                        .header("content-type", "application/json")
                        .header("accept", "application/json")
                        .body(Full::new(body.clone()))
                        .unwrap()
                };
                let t = Instant::now();
                let ok = match client.request(req).await {
                    Ok(res) => {
                        let status = res.status();
                        let _ = res.into_body().collect().await;
                        status == if summary { 200 } else { 201 }
                    }
                    Err(_) => false,
                };
                if t >= start_at && !stop.load(Ordering::Relaxed) {
                    if ok {
                        lat.push(t.elapsed());
                    } else {
                        errors += 1;
                    }
                }
            }
            (lat, errors)
        }));
    }
    tokio::time::sleep_until(tokio::time::Instant::from_std(start_at + dur)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.unwrap();
        all.extend(l);
        errors += e;
    }
    (all, errors, dur)
}
