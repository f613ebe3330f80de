//! Load benchmark for the feedback endpoint (not a test): starts `torget feedback serve` as a
//! child process on 127.0.0.1 with a fresh database and the rate limit off, has 64 clients post
//! valid JSON answers over keep-alive connections for a fixed time, and prints durable
//! answers per second with p50/p99 latency. Every 201 counted was committed with fsync.
//!
//! `cargo bench --bench feedback_load` (release build). `FEEDBACK_BENCH_SECONDS` (default 10),
//! `FEEDBACK_BENCH_CLIENTS` (default 64) and `FEEDBACK_BENCH_DB_DIR` (default: a temporary
//! folder under the system's temp dir) change the run.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

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

    let mut server = Server::start(&site, &db, &[("RUST_LOG", "warn,torget=info")]);
    let addr = server.addr.to_string();

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (lat, errors, elapsed) = rt.block_on(run(addr, clients, Duration::from_secs(seconds)));
    // SIGTERM: the server finishes, closes the store and logs how many commits it made.
    server.signal("-TERM");
    server.wait(Duration::from_secs(30));
    let stats = server.log_line("the store is closed", Duration::from_secs(5));
    let field = |name: &str| -> Option<f64> {
        let line = stats.as_deref()?;
        let at = line.find(&format!("{name}="))? + name.len() + 1;
        line[at..].split(' ').next()?.parse().ok()
    };

    let mut lat = lat;
    lat.sort_unstable();
    let pct = |p: f64| -> f64 {
        if lat.is_empty() {
            return f64::NAN;
        }
        let i = ((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1;
        lat[i].as_secs_f64() * 1000.0
    };
    let rate = lat.len() as f64 / elapsed.as_secs_f64();
    println!(
        "feedback endpoint load: {clients} concurrent clients, {seconds} s, JSON answers to one call"
    );
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
    println!("  database:        {}", db.display());
}

async fn run(addr: String, clients: usize, dur: Duration) -> (Vec<Duration>, usize, Duration) {
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(clients)
        .build_http();
    let url = format!("http://{addr}/api/calls/open-call/responses");
    let body = Bytes::from(
        r#"{"lang":"nb","website":"","answers":{"pick":"På nett","many":["Is","Bakker"],"n":4,"mood":1,"t":"Sykkelveier","long":"Mer lys langs sykkelveiene om vinteren, takk."}}"#,
    );
    // Warm up: open the connections and let SQLite settle.
    let warm_until = Instant::now() + Duration::from_secs(1);
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    let start_at = warm_until;
    for _ in 0..clients {
        let client = client.clone();
        let url = url.clone();
        let body = body.clone();
        let stop = stop.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0;
            while !stop.load(Ordering::Relaxed) {
                let req = Request::post(&url)
                    .header("content-type", "application/json")
                    .header("accept", "application/json")
                    .body(Full::new(body.clone()))
                    .unwrap();
                let t = Instant::now();
                let ok = match client.request(req).await {
                    Ok(res) => {
                        let status = res.status();
                        let _ = res.into_body().collect().await;
                        status == 201
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
