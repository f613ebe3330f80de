//! The endpoint on a PostgreSQL database: what it refuses at start, and what happens when the
//! database stops mid-load or one of two instances on it is killed. The fault tests run a
//! cluster of their own (`tests/postgres/cluster.sh`), as stopping the shared one would
//! disturb the other tests; like every PostgreSQL test, they need `TORGET_TEST_DATABASE_URL`
//! (or fail under CI, and are skipped elsewhere).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::json;

use torget::feedback::store::{self, DbSpec, Hidden, IfMissing, Tag};
use torget::results_json::ResultsFile;

use crate::endpoint_process::Server;
use crate::feedback_process::{Ledger, RESPONSES, stored_markers, wait_for};
use crate::feedback_support::*;

/// Two instances with secrets of their own would each refuse the other's form tokens: a
/// resident whose post reached the other instance lost their answer.
#[test]
fn a_postgres_backed_endpoint_will_not_start_without_a_shared_form_secret() {
    let out = Command::new(env!("CARGO_BIN_EXE_torget"))
        .args(["feedback", "serve", "--listen", "127.0.0.1:0", "--db"])
        .arg("postgres://torget:hemmelig@127.0.0.1:1/svar")
        .env_remove("TORGET_FORM_SECRET")
        .env_remove("TORGET_DATABASE_URL")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "TORGET_FORM_SECRET is not set: with a PostgreSQL database several instances may \
             serve the site, and each must accept the form tokens the others made"
        ),
        "{err}"
    );
    assert!(!err.contains("hemmelig"), "{err}");
}

/// `TORGET_DATABASE_URL` stands for `--db`, and its password is never printed.
#[test]
fn the_database_url_comes_from_the_environment_and_its_password_is_not_shown() {
    let out = Command::new(env!("CARGO_BIN_EXE_torget"))
        .args(["feedback", "staff", "list"])
        .env(
            "TORGET_DATABASE_URL",
            "postgres://torget:hemmelig@127.0.0.1:1/svar",
        )
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("postgres://torget@127.0.0.1:1/svar: cannot connect to PostgreSQL"),
        "{err}"
    );
    assert!(!err.contains("hemmelig"), "{err}");
}

/// A PostgreSQL cluster of one test's own; removed when dropped.
struct Cluster {
    dir: tempfile::TempDir,
    url: String,
}

impl Cluster {
    /// `None` (after saying so) outside CI when no PostgreSQL tests are asked for.
    fn start(test: &str) -> Option<Cluster> {
        if std::env::var_os("TORGET_TEST_DATABASE_URL").is_none() {
            assert!(
                std::env::var_os("CI").is_none(),
                "{test}: TORGET_TEST_DATABASE_URL is not set, and CI must test the PostgreSQL \
                 store"
            );
            eprintln!("{test}: skipped, TORGET_TEST_DATABASE_URL is not set");
            return None;
        }
        let dir = tempfile::Builder::new()
            .prefix("torget-pg-")
            .tempdir()
            .unwrap();
        // The guard first: a start that fails half-way (port claimed, server up) is stopped
        // and its port's lock folder removed when the panic drops it.
        let mut guard = Cluster {
            dir,
            url: String::new(),
        };
        guard.url = cluster(guard.dir.path(), "start");
        Some(guard)
    }

    /// Stops the server at once, as a crash would.
    fn halt(&self) {
        cluster(self.dir.path(), "halt");
    }

    fn restart(&self) {
        cluster(self.dir.path(), "start");
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Never a panic here: it may run while a failed test unwinds.
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/postgres/cluster.sh");
        match Command::new("bash")
            .arg(script)
            .arg("stop")
            .arg(self.dir.path())
            .output()
        {
            Ok(out) if out.status.success() => {}
            Ok(out) => eprintln!(
                "cluster.sh stop {}: {}",
                self.dir.path().display(),
                String::from_utf8_lossy(&out.stderr)
            ),
            Err(e) => eprintln!("cluster.sh stop {}: {e}", self.dir.path().display()),
        }
    }
}

fn cluster(dir: &Path, what: &str) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/postgres/cluster.sh");
    let out = Command::new("bash")
        .arg(script)
        .arg(what)
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cluster.sh {what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The endpoint on the fixture site and the database at `url`.
fn start(url: &str) -> Server {
    Server::start(
        &fixture_site(),
        Path::new(url),
        &[
            ("TORGET_ADMIN_TOKEN", ADMIN_TOKEN),
            ("TORGET_FORM_SECRET", "shared by every instance"),
            ("RUST_LOG", "info"),
        ],
    )
}

/// What clients saw besides acknowledgements.
#[derive(Default)]
struct Refusals {
    /// 503s, each with the resident's message.
    unavailable: AtomicUsize,
    /// The longest any answer took to arrive.
    slowest: Mutex<Duration>,
}

/// `clients` tasks post answers with unique markers, client `c` to `servers[c % n]`, until
/// `stop` is set or their server goes away; a 503 is counted and the next answer tried.
async fn load(
    servers: Vec<Http>,
    clients: usize,
    stop: Arc<AtomicBool>,
    acks: Arc<AtomicUsize>,
    refusals: Arc<Refusals>,
) -> Ledger {
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut tasks = Vec::new();
    for c in 0..clients {
        let http = servers[c % servers.len()].clone();
        let (ledger, stop, acks, refusals) =
            (ledger.clone(), stop.clone(), acks.clone(), refusals.clone());
        tasks.push(tokio::spawn(async move {
            for n in 0.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let marker = format!("client {c} answer {n}");
                let body =
                    json!({"lang": "en", "answers": {"pick": "Annet", "n": 3, "long": marker}});
                ledger.lock().unwrap().sent.insert(marker.clone());
                let started = Instant::now();
                let res =
                    tokio::time::timeout(Duration::from_secs(15), http.post_json(RESPONSES, &body))
                        .await;
                let took = started.elapsed();
                {
                    let mut slowest = refusals.slowest.lock().unwrap();
                    *slowest = (*slowest).max(took);
                }
                match res {
                    Ok(Ok(r)) if r.status == StatusCode::CREATED => {
                        let receipt = r.json()["receipt"].as_str().unwrap().to_string();
                        ledger.lock().unwrap().acked.insert(marker, receipt);
                        acks.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(Ok(r)) if r.status == StatusCode::SERVICE_UNAVAILABLE => {
                        assert_eq!(
                            r.json()["message"],
                            "We could not save the answer just now, and nothing has been \
                             stored. Please try again in a moment."
                        );
                        refusals.unavailable.fetch_add(1, Ordering::Relaxed);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    Ok(Ok(r)) => panic!("unexpected answer {}: {}", r.status, r.text()),
                    // The server went away (killed): this client is done.
                    Ok(Err(_)) => break,
                    Err(_) => panic!("an answer took over 15 s"),
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    Arc::try_unwrap(ledger).ok().unwrap().into_inner().unwrap()
}

/// Every acknowledged answer is stored once, and nothing is stored that was never sent.
fn assert_nothing_lost(ledger: &Ledger, stored: &[String]) {
    let unique: HashSet<&String> = stored.iter().collect();
    assert_eq!(unique.len(), stored.len(), "an answer was stored twice");
    for marker in ledger.acked.keys() {
        assert!(unique.contains(marker), "acknowledged but lost: {marker}");
    }
    for marker in stored {
        assert!(
            ledger.sent.contains(marker),
            "stored but never sent: {marker}"
        );
    }
}

async fn wait_until(what: &str, limit: Duration, mut done: impl AsyncFnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !done().await {
        assert!(started.elapsed() < limit, "{what} took over {limit:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    started.elapsed()
}

/// Two instances on one database, which stops at once mid-load and comes back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_stopped_mid_load_gets_503s_and_the_endpoint_recovers_losing_nothing() {
    let Some(db) = Cluster::start("a_database_stopped_mid_load") else {
        return;
    };
    let instances = [start(&db.url), start(&db.url)];
    let servers: Vec<Http> = instances.iter().map(|s| Http::new(s.addr)).collect();
    let stop = Arc::new(AtomicBool::new(false));
    let acks = Arc::new(AtomicUsize::new(0));
    let refusals = Arc::new(Refusals::default());
    let run = tokio::spawn(load(
        servers.clone(),
        32,
        stop.clone(),
        acks.clone(),
        refusals.clone(),
    ));
    wait_for(&acks, 300).await;

    db.halt();
    let to_503 = wait_until("the first 503", Duration::from_secs(6), async || {
        refusals.unavailable.load(Ordering::Relaxed) > 0
    })
    .await;
    for http in &servers {
        let health = http.get("/healthz", &[]).await.unwrap();
        assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(health.json()["database"], "down");
    }

    db.restart();
    let back = acks.load(Ordering::Relaxed);
    let to_recover = wait_until("recovery", Duration::from_secs(20), async || {
        acks.load(Ordering::Relaxed) >= back + 200
    })
    .await;
    for http in &servers {
        assert_eq!(
            http.get("/healthz", &[]).await.unwrap().status,
            StatusCode::OK
        );
    }
    stop.store(true, Ordering::Relaxed);
    let ledger = run.await.unwrap();

    let slowest = *refusals.slowest.lock().unwrap();
    assert!(
        slowest < Duration::from_secs(12),
        "an answer took {slowest:?}"
    );
    assert_nothing_lost(&ledger, &stored_markers(&servers[0]).await);
    eprintln!(
        "acknowledged {}, 503s {}, first 503 after {to_503:?}, recovered in {to_recover:?}, \
         slowest answer {slowest:?}",
        ledger.acked.len(),
        refusals.unavailable.load(Ordering::Relaxed)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_of_two_instances_killed_under_64_connections_loses_no_acknowledged_answer() {
    let Some(db) = Cluster::start("one_of_two_instances_killed") else {
        return;
    };
    let mut doomed = start(&db.url);
    let survivor = start(&db.url);
    let servers = vec![Http::new(doomed.addr), Http::new(survivor.addr)];
    let stop = Arc::new(AtomicBool::new(false));
    let acks = Arc::new(AtomicUsize::new(0));
    let refusals = Arc::new(Refusals::default());
    let run = tokio::spawn(load(
        servers.clone(),
        64,
        stop.clone(),
        acks.clone(),
        refusals.clone(),
    ));
    wait_for(&acks, 600).await;
    doomed.child.kill().unwrap(); // SIGKILL, with answers in flight
    doomed.wait(Duration::from_secs(10));
    let killed_at = acks.load(Ordering::Relaxed);
    wait_for(&acks, killed_at + 300).await;
    stop.store(true, Ordering::Relaxed);
    let ledger = run.await.unwrap();

    let stored = stored_markers(&servers[1]).await;
    assert_nothing_lost(&ledger, &stored);
    // Only answers in flight on the killed instance may be stored unacknowledged.
    let in_flight = stored.len() - ledger.acked.len();
    assert!(in_flight <= 32, "{in_flight} unacknowledged answers stored");
    assert_eq!(refusals.unavailable.load(Ordering::Relaxed), 0);
    eprintln!(
        "acknowledged {} ({killed_at} before the kill), stored {}",
        ledger.acked.len(),
        stored.len()
    );
}

/// A database of its own on the test server, for one test; `None` (after saying so) outside
/// CI without a server.
async fn fresh_database(test: &str) -> Option<String> {
    let Ok(server) = std::env::var("TORGET_TEST_DATABASE_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{test}: TORGET_TEST_DATABASE_URL is not set, and CI must test the PostgreSQL store"
        );
        eprintln!("{test}: skipped, TORGET_TEST_DATABASE_URL is not set");
        return None;
    };
    let (client, conn) = tokio_postgres::connect(&server, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let name = format!("torget_it_{}", std::process::id());
    for sql in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
    ] {
        client.batch_execute(&sql).await.unwrap();
    }
    let (base, query) = server.split_once('?').unwrap_or((&server, ""));
    let base = base.rsplit_once('/').unwrap().0;
    Some(format!("{base}/{name}?{query}"))
}

fn torget(args: &[&str], stdin: &str) -> (bool, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_torget"))
        .args(args)
        .env_remove("TORGET_DATABASE_URL")
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

async fn summary(http: &Http) -> serde_json::Value {
    let res = http.get("/api/calls/open-call/summary", &[]).await.unwrap();
    assert_eq!(res.status, StatusCode::OK);
    res.json()
}

/// Moving from SQLite to PostgreSQL: answers (with their ids, receipts, hidden state and
/// counts), staff, the audit log, themes, tags and published results arrive, checked; a
/// second run, after more answers came in and one was withdrawn, copies those and deletes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_copies_an_sqlite_database_into_postgres_and_is_safe_to_run_again() {
    let Some(url) = fresh_database("migrate_copies").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sqlite = dir.path().join("feedback.sqlite");
    let db = sqlite.to_str().unwrap();
    let old = Server::start(
        &fixture_site(),
        &sqlite,
        &[("TORGET_ADMIN_TOKEN", ADMIN_TOKEN)],
    );
    let http = Http::new(old.addr);
    let mut receipts = Vec::new();
    for n in 0..25 {
        let pick = if n % 5 == 0 { "På nett" } else { "Annet" };
        let body = json!({"lang": "nb", "answers": {"pick": pick, "n": 1 + n % 5, "long": format!("answer {n}")}});
        let res = http.post_json(RESPONSES, &body).await.unwrap();
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        receipts.push(res.json()["receipt"].as_str().unwrap().to_string());
    }
    let (ok, out) = torget(
        &[
            "feedback",
            "staff",
            "add",
            "kari@oslo.no",
            "--password-stdin",
            "--db",
            db,
        ],
        "riktig hest batteri stift\n",
    );
    assert!(ok, "{out}");
    // Staff hid one answer, tagged two with a theme and published the results.
    let spec = DbSpec::Sqlite(sqlite.clone());
    let staff_store = store::open(&spec, IfMissing::Refuse).unwrap();
    let ids: Vec<i64> = staff_store
        .responses("open-call".into())
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    let hidden = Hidden {
        reason: "names a neighbour".into(),
        by: "kari@oslo.no".into(),
        at: "2026-05-01T10:00:00Z".parse().unwrap(),
    };
    assert!(
        staff_store
            .hide("open-call".into(), ids[3], hidden.clone())
            .await
            .unwrap()
    );
    let label: BTreeMap<String, String> = [("nb".to_string(), "Benker".to_string())].into();
    let theme = staff_store
        .add_theme("open-call".into(), label.clone())
        .await
        .unwrap();
    for id in [ids[1], ids[2]] {
        let tag = Tag {
            response: id,
            theme,
        };
        assert!(
            staff_store
                .tag("open-call".into(), tag, true)
                .await
                .unwrap()
        );
    }
    let published = ResultsFile {
        format: torget::results_json::FORMAT,
        call: "open-call".into(),
        published: "2026-05-02T10:00:00Z".parse().unwrap(),
        responses: 24,
        questions: Vec::new(),
        themes: Vec::new(),
    };
    staff_store.publish(published.clone()).await.unwrap();
    staff_store.close().await;
    let before = summary(&http).await;

    let (ok, out) = torget(&["feedback", "migrate", "--from", db, "--to", &url], "");
    assert!(ok, "{out}");
    assert!(
        out.contains(
            "25 responses (25 new, 0 deleted since an earlier copy), 1 staff, 1 audit lines, \
             1 themes, 2 tags, 1 published results"
        ),
        "{out}"
    );
    // The resident behind ids[1] withdraws after the first copy.
    let res = http
        .post_json(
            "/api/withdraw",
            &json!({"receipt": receipts[1], "lang": "en"}),
        )
        .await
        .unwrap();
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());

    // More answers reach the old endpoint before it stops; the second run copies them.
    for n in 25..30 {
        let body = json!({"lang": "nb", "answers": {"pick": "Annet", "n": 2, "long": format!("answer {n}")}});
        let res = http.post_json(RESPONSES, &body).await.unwrap();
        assert_eq!(res.status, StatusCode::CREATED);
    }
    let sqlite_markers = stored_markers(&http).await;
    let after = summary(&http).await;
    drop(old);
    let (ok, out) = torget(&["feedback", "migrate", "--from", db, "--to", &url], "");
    assert!(ok, "{out}");
    assert!(
        out.contains("29 responses (5 new, 1 deleted since an earlier copy)"),
        "{out}"
    );
    assert_ne!(before, after);
    let pg = store::open(&DbSpec::Postgres(url.parse().unwrap()), IfMissing::Refuse).unwrap();
    let copied = pg.responses("open-call".into()).await.unwrap();
    assert_eq!(copied.len(), 29);
    assert!(
        copied.iter().all(|r| r.id != ids[1]),
        "the withdrawn answer is gone"
    );
    let kept_hidden: Vec<_> = copied.iter().filter(|r| r.hidden.is_some()).collect();
    assert_eq!(kept_hidden.len(), 1);
    assert_eq!(
        (kept_hidden[0].id, &kept_hidden[0].hidden),
        (ids[3], &Some(hidden))
    );
    let themes = pg.themes("open-call".into()).await.unwrap();
    assert_eq!(
        (themes.len(), themes[0].id, &themes[0].label),
        (1, theme, &label)
    );
    assert_eq!(
        themes[0].count, 1,
        "the withdrawn answer's tag went with it"
    );
    assert_eq!(
        pg.tags("open-call".into()).await.unwrap(),
        [Tag {
            response: ids[2],
            theme
        }]
    );
    assert_eq!(
        pg.published("open-call".into()).await.unwrap(),
        Some(published)
    );
    // New answers and themes get ids after SQLite's.
    let new_theme = pg.add_theme("open-call".into(), label).await.unwrap();
    assert!(new_theme > theme);
    pg.close().await;

    let new = start(&url);
    let http = Http::new(new.addr);
    assert_eq!(stored_markers(&http).await, sqlite_markers);
    assert_eq!(
        summary(&http).await,
        after,
        "the counts arrived with the answers"
    );
    // A receipt given out by the old endpoint withdraws the answer from the new one.
    let res = http
        .post_json(
            "/api/withdraw",
            &json!({"receipt": receipts[0], "lang": "en"}),
        )
        .await
        .unwrap();
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let (ok, out) = torget(&["feedback", "staff", "list", "--db", &url], "");
    assert!(ok && out.contains("kari@oslo.no"), "{out}");
    drop(new);
    drop_database(&url).await;
}

async fn drop_database(url: &str) {
    let server = std::env::var("TORGET_TEST_DATABASE_URL").unwrap();
    let (client, conn) = tokio_postgres::connect(&server, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let name = url.rsplit_once('/').unwrap().1.split('?').next().unwrap();
    client
        .batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .unwrap();
}
