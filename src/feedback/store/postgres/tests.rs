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

/// A second handle on a test's database: another endpoint instance, with its own pool and
/// its own batches.
fn another_instance(db: &TestDb) -> Arc<dyn Store> {
    Arc::new(PgStore::open(&db.url, IfMissing::Refuse).unwrap())
}

/// Whoever follows the change sequence reads `seq > last seen`; a `seq` seen while a lower
/// one can still commit would be skipped for good. Here one transaction has numbered its
/// change and not yet committed when another instance stores an answer (numbered after it,
/// committed before it): a follower reading then must wait for the first and get both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_numbered_first_is_never_skipped_by_one_that_commits_before_it() {
    let Some(db) = store("a_change_numbered_first") else {
        return;
    };
    let other = another_instance(&db);
    let (mut client, conn) = db.url.config().connect(tls().unwrap()).await.unwrap();
    tokio::spawn(conn);
    let slow = client.transaction().await.unwrap();
    let mut first = writer::Changes::default();
    first.push(999, "c", super::super::ChangeKind::Hide);
    first.record(&slow).await.unwrap();
    // Writers do not wait for each other: this one commits while the first is still open.
    other
        .insert(super::super::conformance::response("c", 1).0)
        .await
        .unwrap();
    let follower = db.store.clone();
    let read = tokio::spawn(async move { follower.changes(0, 100).await.unwrap() });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !read.is_finished(),
        "the follower read past an open numbering"
    );
    slow.commit().await.unwrap();
    let seen = read.await.unwrap();
    let responses: Vec<i64> = seen.iter().map(|c| c.response).collect();
    assert_eq!(responses.len(), 2, "{seen:?}");
    assert_eq!(responses[0], 999, "{seen:?}");
    assert_eq!(db.store.last_change().await.unwrap(), seen[1].seq);
    other.close().await;
}

/// Two endpoint instances on one database: an answer stored through one is found by the
/// other's answer search within 2 s, by its own once-a-second poll, and a withdrawal there
/// takes it out before the next search. (The console's search pages use this index.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_stored_on_one_instance_is_found_by_the_other_s_search_within_2_s() {
    use crate::feedback::answers::{Answer, Answers};
    use crate::feedback::receipt::Receipt;
    use crate::feedback::search::LiveIndex;
    let Some(db) = store("an_answer_stored_on_one_instance") else {
        return;
    };
    let (a, b) = (another_instance(&db), db.store.clone());
    let free_text: crate::feedback::search::FreeText = Arc::new(|_, q| q == "t");
    let live = Arc::new(
        LiveIndex::build(b, vec!["c".into()], free_text)
            .await
            .unwrap(),
    );
    let follower = live.follow(Duration::from_secs(1));
    let receipt = Receipt::generate().unwrap();
    let mut answers = Answers::new();
    answers.insert(
        "t".into(),
        Answer::Text("Sykkelveien er mørk om kvelden.".into()),
    );
    a.insert(crate::feedback::store::NewResponse {
        call_id: "c".into(),
        lang: "nb".into(),
        submitted: Timestamp::from_second(1_780_000_000).unwrap(),
        answers,
        receipt: receipt.hash(),
    })
    .await
    .unwrap();
    let stored = std::time::Instant::now();
    while live.is_empty() {
        assert!(
            stored.elapsed() < Duration::from_secs(2),
            "not found on the other instance within 2 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let hits = live.search(Some("c"), "sykkelvei", 10, 0).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        a.withdraw(receipt.hash()).await.unwrap().as_deref(),
        Some("c")
    );
    assert!(
        live.search(Some("c"), "sykkelvei", 10, 0)
            .await
            .unwrap()
            .is_empty()
    );
    drop(live);
    follower.await.unwrap();
    a.close().await;
}

/// A database an earlier torget wrote (schema version 2: no moderation, no change sequence,
/// no themes) keeps its answers and ids when step 3 is applied, and they can then be hidden,
/// tagged and deleted like new ones.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn step_3_keeps_an_older_database_s_answers_and_their_ids() {
    let Some((url, admin_url, name)) = empty("step_3_keeps") else {
        return;
    };
    let (client, conn) = url.config().connect(tls().unwrap()).await.unwrap();
    tokio::spawn(conn);
    client
        .batch_execute(&format!(
            "CREATE TABLE torget_schema (version INTEGER PRIMARY KEY, \
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
             {} {}
             INSERT INTO torget_schema (version) VALUES (1), (2);
             INSERT INTO responses (receipt_hash, call_id, lang, submitted_at, answers)
                 VALUES ('\\x01', 'a', 'nb', 1700000000, '{{\"pick\":\"Ja\"}}'),
                        ('\\x02', 'a', 'nb', 1700000001, '{{\"pick\":\"Nei\"}}');
             INSERT INTO counts VALUES ('a', '', '', 2);",
            schema::STEPS[0],
            schema::STEPS[1]
        ))
        .await
        .unwrap();
    let store: Arc<dyn Store> = Arc::new(PgStore::open(&url, IfMissing::Refuse).unwrap());
    let all = store.responses("a".into()).await.unwrap();
    assert_eq!(all.iter().map(|r| r.id).collect::<Vec<_>>(), vec![1, 2]);
    assert!(all.iter().all(|r| r.hidden.is_none()));
    assert_eq!(store.last_change().await.unwrap(), 0);
    let hidden = super::super::Hidden {
        reason: "x".into(),
        by: "kari@kommune.example".into(),
        at: Timestamp::from_second(1_800_000_000).unwrap(),
    };
    assert!(store.hide("a".into(), 1, hidden).await.unwrap());
    let theme = store
        .add_theme(
            "a".into(),
            [("nb".to_string(), "Benker".to_string())].into(),
        )
        .await
        .unwrap();
    let tag = super::super::Tag { response: 2, theme };
    assert!(store.tag("a".into(), tag, true).await.unwrap());
    assert!(store.delete_response("a".into(), 2).await.unwrap());
    assert!(store.tags("a".into()).await.unwrap().is_empty());
    let responses = super::super::CountKey::responses();
    let counts = store.counts("a".into(), vec![responses.clone()]).await;
    assert_eq!(counts.unwrap().get(&responses), 0);
    store
        .insert(super::super::conformance::response("a", 3).0)
        .await
        .unwrap();
    assert!(store.responses("a".into()).await.unwrap()[1].id > 2);
    store.close().await;
    assert_eq!(versions(&url).await, (1..=VERSION).collect::<Vec<_>>());
    admin(&admin_url, format!("DROP DATABASE {name} WITH (FORCE)"));
}
