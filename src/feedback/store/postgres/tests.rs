//! Tests of the PostgreSQL store's own concerns (its URL, its schema steps), and [`store`],
//! which gives each test a database of its own on the server `TORGET_TEST_DATABASE_URL`
//! names, so that tests run in parallel. Without that variable the tests fail under CI
//! (`CI` set) and are skipped, saying so, elsewhere.

use std::sync::Arc;

use super::super::{DbSpec, IfMissing, Store};
use super::*;
use schema::VERSION;

/// A database made for one test; dropped (with its connections) when the test ends.
pub(crate) struct TestDb {
    pub store: Arc<dyn Store>,
    pub url: PgUrl,
    admin: PgUrl,
    name: String,
}

/// The server the tests use, or `None` (after saying so) if there is none outside CI.
pub(crate) fn server(test: &str) -> Option<PgUrl> {
    match std::env::var("TORGET_TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => Some(
            url.parse()
                .expect("TORGET_TEST_DATABASE_URL is not a postgres:// URL"),
        ),
        _ if std::env::var_os("CI").is_some() => panic!(
            "{test}: TORGET_TEST_DATABASE_URL is not set, and CI must test the PostgreSQL \
             store: .ci/run starts a server and sets it"
        ),
        _ => {
            eprintln!("{test}: skipped, TORGET_TEST_DATABASE_URL is not set");
            None
        }
    }
}

/// Runs `sql` on the server's administrative database, in a thread of its own (it is
/// called from tests' runtimes and from `Drop`).
fn admin(url: &PgUrl, sql: String) {
    let config = url.config();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let (client, conn) = config.connect(tls().unwrap()).await.unwrap();
            let conn = tokio::spawn(conn);
            client.batch_execute(&sql).await.unwrap();
            drop(client);
            let _ = conn.await;
        })
    })
    .join()
    .unwrap();
}

/// A new, empty database for `test`, without torget's tables.
pub(crate) fn empty(test: &str) -> Option<(PgUrl, PgUrl, String)> {
    let admin_url = server(test)?;
    let mut suffix = [0u8; 6];
    getrandom::fill(&mut suffix).unwrap();
    let hex: String = suffix.iter().map(|b| format!("{b:02x}")).collect();
    let name = format!("torget_test_{hex}");
    admin(&admin_url, format!("CREATE DATABASE {name}"));
    Some((admin_url.with_dbname(&name), admin_url, name))
}

/// A PostgreSQL store in a database of its own, for `test`.
pub(crate) fn store(test: &str) -> Option<TestDb> {
    let (url, admin, name) = empty(test)?;
    let store = PgStore::open(&url, IfMissing::Create).unwrap();
    Some(TestDb {
        store: Arc::new(store),
        url,
        admin,
        name,
    })
}

impl Drop for TestDb {
    fn drop(&mut self) {
        admin(
            &self.admin,
            format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

#[test]
fn a_url_is_shown_and_debugged_without_its_password() {
    let spec: DbSpec = "postgres://torget:hemmelig@db.example:5433/svar?sslmode=require"
        .parse()
        .unwrap();
    assert_eq!(spec.to_string(), "postgres://torget@db.example:5433/svar");
    assert!(!format!("{spec:?}").contains("hemmelig"));
    assert!(spec.is_shared());
    let e = "postgres://torget:hemmelig@db.example/svar?sslmode=verify-full"
        .parse::<DbSpec>()
        .unwrap_err();
    assert!(!e.contains("hemmelig"), "{e}");
    assert!(e.contains("sslmode=disable, prefer or require"), "{e}");
}

#[test]
fn each_setting_torget_needs_is_added_to_the_url() {
    let url: PgUrl = "postgres://torget@localhost/svar?options=-c%20work_mem%3D8MB"
        .parse()
        .unwrap();
    let c = url.config();
    assert_eq!(
        c.get_options(),
        Some("-c work_mem=8MB -c synchronous_commit=on")
    );
    assert_eq!(c.get_application_name(), Some("torget"));
    assert_eq!(c.get_connect_timeout(), Some(&WAIT));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_tools_refuse_a_database_torget_never_wrote_to() {
    let Some((url, admin_url, name)) = empty("staff_tools_refuse_a_database") else {
        return;
    };
    let e = PgStore::open(&url, IfMissing::Refuse).err().unwrap();
    assert_eq!(
        e.to_string(),
        format!(
            "{url}: torget has never written to this database; check the URL, or start \
             `torget feedback serve --db` with it first"
        )
    );
    admin(&admin_url, format!("DROP DATABASE {name} WITH (FORCE)"));
}

/// The version each step reached, as the database records it.
async fn versions(url: &PgUrl) -> Vec<i32> {
    let (client, conn) = url.config().connect(tls().unwrap()).await.unwrap();
    tokio::spawn(conn);
    client
        .query("SELECT version FROM torget_schema ORDER BY version", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_schema_is_recorded_and_a_newer_one_refused_untouched() {
    let Some(db) = store("the_schema_is_recorded") else {
        return;
    };
    db.store.close().await;
    assert_eq!(versions(&db.url).await, (1..=VERSION).collect::<Vec<_>>());
    // Opening again applies nothing twice.
    PgStore::open(&db.url, IfMissing::Refuse).unwrap();
    assert_eq!(versions(&db.url).await.len(), VERSION as usize);

    let (client, conn) = db.url.config().connect(tls().unwrap()).await.unwrap();
    tokio::spawn(conn);
    client
        .execute(
            "INSERT INTO torget_schema (version) VALUES ($1)",
            &[&(VERSION + 1)],
        )
        .await
        .unwrap();
    let e = PgStore::open(&db.url, IfMissing::Create).err().unwrap();
    assert_eq!(
        e.to_string(),
        format!(
            "{}: the database was written by a newer torget (schema version {}, this one knows \
             up to {VERSION}); run that torget, or restore a backup made before it",
            db.url,
            VERSION + 1
        )
    );
    assert_eq!(versions(&db.url).await.last(), Some(&(VERSION + 1)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_server_is_reported_as_unreachable_within_seconds() {
    // Nothing listens on port 1: the pool cannot make a connection.
    let url: PgUrl = "postgres://torget@127.0.0.1:1/svar?sslmode=disable"
        .parse()
        .unwrap();
    let e = PgStore::open(&url, IfMissing::Create).err().unwrap();
    assert!(
        format!("{e:#}").starts_with(
            "postgres://torget@127.0.0.1:1/svar: cannot connect to PostgreSQL; check the URL"
        ),
        "{e:#}"
    );
}
