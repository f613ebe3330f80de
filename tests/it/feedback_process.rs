//! The endpoint as a process: `torget feedback serve` killed with SIGKILL mid-stream loses no
//! acknowledged answer and invents none; SIGTERM finishes the answers in flight; `export` and
//! `purge` work on the database it leaves; a withdrawn or purged answer leaves no byte in the
//! database's files.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::endpoint_process::{Launch, Server};
use crate::feedback_support::*;
use axum::http::StatusCode;
use serde_json::json;

pub(crate) const RESPONSES: &str = "/api/calls/open-call/responses";

/// The endpoint on the fixture site, with the admin token and an info log.
fn start(db: &Path) -> Server {
    Server::start(
        &fixture_site(),
        db,
        &[("TORGET_ADMIN_TOKEN", ADMIN_TOKEN), ("RUST_LOG", "info")],
    )
}

/// What a run of clients sent and what the server acknowledged.
#[derive(Default)]
pub(crate) struct Ledger {
    pub sent: HashSet<String>,
    pub acked: HashMap<String, String>,
}

/// `clients` tasks post answers with unique markers until the server goes away, `stop` is
/// set, or each has sent `per_client`.
async fn flood(
    http: Http,
    clients: usize,
    per_client: usize,
    stop: Arc<AtomicBool>,
    acks: Arc<AtomicUsize>,
) -> Ledger {
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut tasks = Vec::new();
    for c in 0..clients {
        let http = http.clone();
        let ledger = ledger.clone();
        let stop = stop.clone();
        let acks = acks.clone();
        tasks.push(tokio::spawn(async move {
            for n in 0..per_client {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let marker = format!("client {c} answer {n}");
                let body =
                    json!({"lang": "nb", "answers": {"pick": "Annet", "n": 3, "long": marker}});
                ledger.lock().unwrap().sent.insert(marker.clone());
                let res =
                    tokio::time::timeout(Duration::from_secs(10), http.post_json(RESPONSES, &body))
                        .await;
                match res {
                    Ok(Ok(r)) if r.status == StatusCode::CREATED => {
                        let receipt = r.json()["receipt"].as_str().unwrap().to_string();
                        ledger.lock().unwrap().acked.insert(marker, receipt);
                        acks.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(Ok(r)) => panic!("unexpected answer {}: {}", r.status, r.text()),
                    // The server went away: this client is done.
                    Ok(Err(_)) | Err(_) => break,
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    Arc::try_unwrap(ledger).ok().unwrap().into_inner().unwrap()
}

/// The markers of every stored response, read back through the admin export.
pub(crate) async fn stored_markers(http: &Http) -> Vec<String> {
    let res = http
        .get(
            "/api/admin/calls/open-call/responses?format=json",
            &[("authorization", &format!("Bearer {ADMIN_TOKEN}"))],
        )
        .await
        .unwrap();
    assert_eq!(res.status, StatusCode::OK);
    res.json()["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["answers"]["long"].as_str().unwrap().to_string())
        .collect()
}

pub(crate) async fn wait_for(acks: &AtomicUsize, n: usize) {
    let start = Instant::now();
    while acks.load(Ordering::Relaxed) < n {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "too few answers acknowledged"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_stream_loses_no_acknowledged_answer_and_invents_none() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("feedback.sqlite");
    let mut server = start(&db);
    let http = Http::new(server.addr);
    let stop = Arc::new(AtomicBool::new(false));
    let acks = Arc::new(AtomicUsize::new(0));
    let run = tokio::spawn(flood(http, 48, 400, stop.clone(), acks.clone()));

    wait_for(&acks, 500).await;
    server.child.kill().unwrap(); // SIGKILL, with answers in flight
    let killed_at = acks.load(Ordering::Relaxed);
    server.wait(Duration::from_secs(10));
    stop.store(true, Ordering::Relaxed);
    let ledger = run.await.unwrap();
    assert!(killed_at >= 500);

    let server = start(&db);
    let http = Http::new(server.addr);
    let stored = stored_markers(&http).await;
    let unique: HashSet<&String> = stored.iter().collect();
    assert_eq!(unique.len(), stored.len(), "an answer was stored twice");
    for marker in ledger.acked.keys() {
        assert!(unique.contains(marker), "acknowledged but lost: {marker}");
    }
    for marker in &stored {
        assert!(
            ledger.sent.contains(marker),
            "stored but never sent: {marker}"
        );
    }
    // Every answer stored but not acknowledged was in flight when the server died.
    let in_flight = stored.len() - ledger.acked.len();
    assert!(in_flight <= 48, "{in_flight} unacknowledged answers stored");
    eprintln!(
        "sent {}, acknowledged {}, stored {} after SIGKILL",
        ledger.sent.len(),
        ledger.acked.len(),
        stored.len()
    );

    // The receipts given out before the crash still withdraw their answers.
    for (marker, receipt) in ledger.acked.iter().take(20) {
        let res = http
            .post_json("/api/withdraw", &json!({"receipt": receipt, "lang": "en"}))
            .await
            .unwrap();
        assert_eq!(res.status, StatusCode::OK, "withdrawing {marker}");
    }
    assert_eq!(stored_markers(&http).await.len(), stored.len() - 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_answers_in_flight_and_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("feedback.sqlite");
    let mut server = start(&db);
    let http = Http::new(server.addr);
    let stop = Arc::new(AtomicBool::new(false));
    let acks = Arc::new(AtomicUsize::new(0));
    let run = tokio::spawn(flood(http, 32, 200, stop.clone(), acks.clone()));
    wait_for(&acks, 200).await;
    server.signal("-TERM");
    let status = server.wait(Duration::from_secs(30));
    assert!(
        status.success(),
        "exit status {status}: {}",
        server.log.lock().unwrap()
    );
    stop.store(true, Ordering::Relaxed);
    let ledger = run.await.unwrap();
    let log = server.log.lock().unwrap().clone();
    assert!(
        log.contains("shutting down: finishing answers in flight"),
        "{log}"
    );
    assert!(log.contains("stopped"), "{log}");

    let server = start(&db);
    let stored = stored_markers(&Http::new(server.addr)).await;
    let stored: HashSet<String> = stored.into_iter().collect();
    for marker in ledger.acked.keys() {
        assert!(stored.contains(marker), "acknowledged but lost: {marker}");
    }
    // Logs say what happened, never who: no address, no receipt, no answer text.
    for receipt in ledger.acked.values().take(50) {
        assert!(!log.contains(receipt.as_str()), "a receipt was logged");
    }
    assert!(!log.contains("client 0 answer"), "an answer was logged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_and_purge_work_on_the_database_the_server_left() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("feedback.sqlite");
    {
        let mut server = start(&db);
        let http = Http::new(server.addr);
        for t in ["first", "=2+2"] {
            let body = json!({"lang": "en", "answers": {"pick": "Online", "n": 2, "t": t}});
            let res = http.post_json(RESPONSES, &body).await.unwrap();
            assert_eq!(res.status, StatusCode::CREATED);
        }
        server.signal("-TERM");
        assert!(server.wait(Duration::from_secs(30)).success());
    }
    let torget = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_torget"))
            .args(["feedback"])
            .args(args)
            .arg("--db")
            .arg(&db)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let site = fixture_site();
    let site = site.to_str().unwrap();
    let (ok, csv, err) = torget(&[
        "export",
        "--site",
        site,
        "--call",
        "open-call",
        "--format",
        "csv",
    ]);
    assert!(ok, "{err}");
    assert!(csv.starts_with(
        "\u{feff}id,sendt,språk,skjult,Hvilken?,Hvilke?,Hvor mye?,Humør,Tema,Noe mer?\r\n"
    ));
    assert!(csv.contains(",en,,På nett,,2,,'=2+2,\r\n"), "{csv}");
    assert!(err.contains("exported 2 responses to open-call"), "{err}");

    let (ok, json, _) = torget(&[
        "export",
        "--site",
        site,
        "--call",
        "open-call",
        "--format",
        "json",
    ]);
    assert!(ok);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["responses"][1]["answers"]["t"], "=2+2");

    let book = dir.path().join("open-call.xlsx");
    let (ok, _, err) = torget(&[
        "export",
        "--site",
        site,
        "--call",
        "open-call",
        "--format",
        "xlsx",
        "--out",
        book.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&book).unwrap();
    let answers = book.worksheet_range("Svar").unwrap();
    assert_eq!(answers.height(), 3, "a header and the two answers");
    assert_eq!(
        answers.get_value((2, 8)),
        Some(&calamine::Data::String("=2+2".into()))
    );

    let (ok, _, err) = torget(&[
        "export", "--site", site, "--call", "nope", "--format", "csv",
    ]);
    assert!(!ok);
    assert!(
        err.contains(
            "no call with id `nope`; the calls are: closed-call, open-call, upcoming-call"
        ),
        "{err}"
    );

    let (ok, _, err) = torget(&["purge", "--before", "2000-01-01"]);
    assert!(ok, "{err}");
    assert!(err.contains("deleted 0 responses"), "{err}");
    let (ok, _, err) = torget(&["purge", "--before", "2999-01-01"]);
    assert!(ok, "{err}");
    assert!(err.contains("deleted 2 responses"), "{err}");
    let (_, csv, _) = torget(&[
        "export",
        "--site",
        site,
        "--call",
        "open-call",
        "--format",
        "csv",
    ]);
    assert_eq!(csv.lines().count(), 1, "only the header is left");
}

/// The endpoint on the fixture site with these flags besides the usual.
fn start_with_flags(dir: &tempfile::TempDir, flags: &[&str]) -> Server {
    let args = flags.iter().map(|f| f.to_string()).collect();
    let launch = Launch {
        args,
        ..Launch::default()
    };
    Server::start_with(
        &fixture_site(),
        &dir.path().join("feedback.sqlite"),
        &[],
        &launch,
    )
}

/// A connection that has sent `head` and then keeps quiet.
fn quiet_after(addr: std::net::SocketAddr, head: &str) -> std::net::TcpStream {
    use std::io::Write;
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    s
}

/// Everything the server sends on `s` until it closes, waiting at most `limit`.
fn read_until_closed(s: &mut std::net::TcpStream, limit: Duration) -> Result<String, String> {
    use std::io::Read;
    s.set_read_timeout(Some(limit)).unwrap();
    let mut got = Vec::new();
    match s.read_to_end(&mut got) {
        Ok(_) => Ok(String::from_utf8_lossy(&got).into_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
            Ok(String::from_utf8_lossy(&got).into_owned())
        }
        Err(e) => Err(format!("still open after {limit:?} ({e})")),
    }
}

// About 1,100 connections that sent half their headers used up a 1,024 file limit (systemd's
// default), and the endpoint stopped answering everyone, /healthz included.
#[test]
fn slow_connections_under_a_1024_file_limit_leave_healthz_answering() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(
        &fixture_site(),
        &dir.path().join("feedback.sqlite"),
        &[("RUST_LOG", "info")],
        &Launch {
            file_limit: Some(1024),
            ..Launch::default()
        },
    );
    let slow: Vec<_> = (0..1100)
        .map(|_| quiet_after(server.addr, "GET /healthz HTTP/1.1\r\nHost: x\r\n"))
        .collect();
    let start = Instant::now();
    let mut health = quiet_after(
        server.addr,
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    let answer = read_until_closed(&mut health, Duration::from_secs(5)).unwrap();
    let took = start.elapsed();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(took < Duration::from_secs(1), "/healthz took {took:?}");
    drop(slow);
    assert!(
        server
            .log_line("serving at most 960 connections at once", Duration::ZERO)
            .is_some(),
        "{}",
        server.log.lock().unwrap()
    );
}

// A client could send its headers, or its body, as slowly as it liked, or idle between
// requests, and keep its connection (and a file descriptor) for ever.
#[test]
fn slow_headers_slow_bodies_and_idle_connections_are_closed() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_with_flags(&dir, &["--header-timeout", "1", "--body-timeout", "1"]);
    let half_headers = quiet_after(server.addr, "GET /healthz HTTP/1.1\r\nHost: x\r\n");
    let half_body = quiet_after(
        server.addr,
        &format!(
            "POST {RESPONSES} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
             Content-Length: 100\r\n\r\n{{\"answers\":"
        ),
    );
    let idle = quiet_after(server.addr, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    let start = Instant::now();
    for (what, mut s) in [
        ("headers", half_headers),
        ("body", half_body),
        ("idle", idle),
    ] {
        let said = read_until_closed(&mut s, Duration::from_secs(4))
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        if what == "body" {
            assert!(said.starts_with("HTTP/1.1 408"), "{said}");
        }
        if what == "idle" {
            assert!(said.starts_with("HTTP/1.1 200"), "{said}");
        }
    }
    assert!(start.elapsed() < Duration::from_secs(4));
}

// A kept-alive connection between requests was only closed by the header timeout, so idling
// could not be bounded tighter than a slow but honest client's headers.
#[test]
fn idle_connections_close_after_the_idle_timeout_whatever_the_header_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_with_flags(&dir, &["--header-timeout", "30", "--idle-timeout", "1"]);
    let silent = quiet_after(server.addr, "");
    let kept_alive = quiet_after(server.addr, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    let start = Instant::now();
    for (what, mut s) in [("silent", silent), ("kept alive", kept_alive)] {
        let said = read_until_closed(&mut s, Duration::from_secs(5))
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        if what == "kept alive" {
            assert!(said.starts_with("HTTP/1.1 200"), "{said}");
        }
    }
    assert!(start.elapsed() < Duration::from_secs(5));
}

/// Which of the database's files (the database, its `-wal` and `-shm`) hold `marker`.
fn files_holding(db: &Path, marker: &str) -> Vec<String> {
    let mut found = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{}{suffix}", db.display());
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        if bytes.windows(marker.len()).any(|w| w == marker.as_bytes()) {
            found.push(path);
        }
    }
    found
}

/// Posts an answer whose long text is `marker`; returns its receipt.
async fn answer_with(http: &Http, marker: &str) -> String {
    let body = json!({"lang": "nb", "answers": {"pick": "Annet", "n": 2, "long": marker}});
    let res = http.post_json(RESPONSES, &body).await.unwrap();
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    res.json()["receipt"].as_str().unwrap().to_string()
}

/// A withdrawal used to leave six copies of the answer in the `-wal` file, and one in the
/// database after a clean stop once a read connection had been opened: the resident was told
/// the answer no longer existed while its text was still on disk.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_withdrawn_answer_leaves_no_byte_in_the_database_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("feedback.sqlite");
    let mut server = start(&db);
    let http = Http::new(server.addr);
    let gone = "withdrawn-answer-7f3a9c";
    let kept = "kept-answer-51be20";
    for n in 0..20 {
        answer_with(&http, &format!("filler {n} {}", "x".repeat(200))).await;
    }
    let receipt = answer_with(&http, gone).await;
    answer_with(&http, kept).await;
    // Reads open pooled read connections, as they do in service.
    assert_eq!(stored_markers(&http).await.len(), 22);
    let summary = http.get("/api/calls/open-call/summary", &[]).await.unwrap();
    assert_eq!(summary.status, StatusCode::OK);
    assert_eq!(files_holding(&db, gone).len(), 1, "the marker is on disk");

    let res = http
        .post_json("/api/withdraw", &json!({"receipt": receipt, "lang": "en"}))
        .await
        .unwrap();
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(files_holding(&db, gone), Vec::<String>::new());
    assert!(
        !files_holding(&db, kept).is_empty(),
        "the kept answer is found"
    );
    assert_eq!(stored_markers(&http).await.len(), 21);

    server.signal("-TERM");
    assert!(server.wait(Duration::from_secs(30)).success());
    assert_eq!(files_holding(&db, gone), Vec::<String>::new());
    assert!(
        !files_holding(&db, kept).is_empty(),
        "the kept answer is found"
    );
}

/// `torget feedback purge` deleted the rows but left their text in free pages and the WAL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_purged_answer_leaves_no_byte_in_the_database_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("feedback.sqlite");
    let purged = "purged-answer-c40e1d";
    {
        let mut server = start(&db);
        let http = Http::new(server.addr);
        for n in 0..20 {
            answer_with(&http, &format!("{purged} {n} {}", "y".repeat(200))).await;
        }
        assert_eq!(stored_markers(&http).await.len(), 20);
        server.signal("-TERM");
        assert!(server.wait(Duration::from_secs(30)).success());
    }
    assert!(
        !files_holding(&db, purged).is_empty(),
        "the marker is on disk"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_torget"))
        .args(["feedback", "purge", "--before", "2999-01-01", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(files_holding(&db, purged), Vec::<String>::new());
}
