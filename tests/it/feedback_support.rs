//! Helpers shared by the feedback endpoint's tests: a fixture site, an app around a fresh
//! database, and a small HTTP client for tests against a real socket.
//!
//! The store is the suite's parameter: every [`TestApp`] gets an SQLite file in its folder,
//! or, with `TORGET_TEST_STORE=postgres`, a new PostgreSQL database on the server
//! `TORGET_TEST_DATABASE_URL` names, dropped when the app is ([`PgTestDb`]). `.ci/run` runs
//! the endpoint's, console's and publishing tests both ways.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tempfile::TempDir;
use torget::feedback::Options;
use torget::feedback::calls::SiteHandle;
use torget::feedback::router::{self, AppState};
use torget::feedback::store::{self, DbSpec, IfMissing, Store};
use tower::ServiceExt;

pub const SITE_ORIGIN: &str = "https://site.example";
/// At least 32 characters, as the endpoint requires.
pub const ADMIN_TOKEN: &str = "correct horse battery staple, twice over";

pub fn fixture_site() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feedback_site")
}

pub fn options(dir: &TempDir) -> Options {
    Options {
        site: fixture_site(),
        db: DbSpec::Sqlite(dir.path().join("feedback.sqlite")),
        listen: "127.0.0.1:0".parse().unwrap(),
        origins: vec![SITE_ORIGIN.into()],
        rate_limit: 0,
        rate_limit_clients: torget::feedback::abuse::MAX_CLIENTS,
        min_fill: Duration::from_secs(3),
        max_form_age: Duration::from_secs(3600),
        admin_token: Some(ADMIN_TOKEN.into()),
        form_secret: Some("test secret".into()),
        real_ip_header: None,
        trusted_proxies: 0,
        limits: Default::default(),
        console: Default::default(),
    }
}

/// The router over the fixture site and a fresh database.
pub struct TestApp {
    pub state: AppState,
    pub store: Arc<dyn Store>,
    pub dir: TempDir,
    /// The PostgreSQL database the store is in, when the suite runs on PostgreSQL.
    pub pg: Option<PgTestDb>,
}

/// A PostgreSQL database made for one test, dropped with it.
pub struct PgTestDb {
    pub url: String,
    server: String,
    name: String,
}

/// Runs `sql` on `server` from a thread of its own (tests call this from their runtimes and
/// from `Drop`).
fn on_server(server: &str, sql: String) {
    let server = server.to_string();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(&server, tokio_postgres::NoTls)
                .await
                .expect("cannot connect to TORGET_TEST_DATABASE_URL");
            let conn = tokio::spawn(conn);
            client.batch_execute(&sql).await.unwrap();
            drop(client);
            let _ = conn.await;
        })
    })
    .join()
    .unwrap();
}

impl PgTestDb {
    /// A new database when `TORGET_TEST_STORE=postgres`, else `None` (SQLite).
    pub fn if_asked() -> Option<PgTestDb> {
        match std::env::var("TORGET_TEST_STORE").as_deref() {
            Ok("postgres") => {}
            Ok("sqlite") | Err(_) => return None,
            Ok(other) => panic!("TORGET_TEST_STORE={other}: say sqlite or postgres"),
        }
        let server = std::env::var("TORGET_TEST_DATABASE_URL")
            .expect("TORGET_TEST_STORE=postgres needs TORGET_TEST_DATABASE_URL, a server's URL");
        Some(PgTestDb::on(server))
    }

    /// A new database on the server `TORGET_TEST_DATABASE_URL` names, for a test that needs
    /// PostgreSQL whatever the suite's store; `None` (after saying so) without one outside CI.
    pub fn for_test(test: &str) -> Option<PgTestDb> {
        match std::env::var("TORGET_TEST_DATABASE_URL") {
            Ok(server) if !server.trim().is_empty() => Some(PgTestDb::on(server)),
            _ => {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "{test}: TORGET_TEST_DATABASE_URL is not set, and CI must test the \
                     PostgreSQL store"
                );
                eprintln!("{test}: skipped, TORGET_TEST_DATABASE_URL is not set");
                None
            }
        }
    }

    fn on(server: String) -> PgTestDb {
        let mut suffix = [0u8; 6];
        getrandom::fill(&mut suffix).unwrap();
        let name = format!(
            "torget_it_{}",
            suffix
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        );
        on_server(&server, format!("CREATE DATABASE {name}"));
        let (base, query) = server.split_once('?').unwrap_or((&server, ""));
        let base = base.rsplit_once('/').unwrap().0;
        PgTestDb {
            url: format!("{base}/{name}?{query}"),
            server,
            name,
        }
    }
}

impl Drop for PgTestDb {
    fn drop(&mut self) {
        on_server(
            &self.server,
            format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

impl TestApp {
    pub fn new() -> TestApp {
        TestApp::with(|_| {})
    }

    pub fn with(tweak: impl FnOnce(&mut Options)) -> TestApp {
        TestApp::with_store(
            |opts| store::open(&opts.db, IfMissing::Create).unwrap(),
            tweak,
        )
    }

    /// The router over the store `open` gives for the options.
    pub fn with_store(
        open: impl FnOnce(&Options) -> Arc<dyn Store>,
        tweak: impl FnOnce(&mut Options),
    ) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let mut opts = options(&dir);
        let pg = PgTestDb::if_asked();
        if let Some(pg) = &pg {
            opts.db = pg.url.parse().unwrap();
        }
        tweak(&mut opts);
        let site = Arc::new(SiteHandle::open(&opts.site).unwrap());
        let store = open(&opts);
        let state = opts.state(site, store.clone()).unwrap();
        TestApp {
            state,
            store,
            dir,
            pg,
        }
    }

    pub fn router(&self) -> Router {
        router::router(self.state.clone())
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let res = self.router().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes();
        Resp {
            status,
            headers,
            body,
        }
    }

    /// How many responses are stored, over every call.
    pub async fn stored(&self) -> usize {
        let mut n = 0;
        for call in ["open-call", "closed-call", "upcoming-call"] {
            n += self.store.responses(call.into()).await.unwrap().len();
        }
        n
    }

    /// Serves the router on a free port on 127.0.0.1 until the test ends.
    pub async fn spawn(&self) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = self
            .router()
            .into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        addr
    }
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Resp {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

pub fn json_post(path: &str, body: serde_json::Value) -> Request<Body> {
    Request::post(path)
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

pub fn form_post(path: &str, body: impl Into<Vec<u8>>) -> Request<Body> {
    Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html,application/xhtml+xml")
        .header("origin", SITE_ORIGIN)
        .body(Body::from(body.into()))
        .unwrap()
}

pub fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

/// A valid set of answers to the fixture's open call.
pub fn valid_answers() -> serde_json::Value {
    serde_json::json!({"pick": "På nett", "many": ["Is", "Bakker"], "n": 4, "t": "Sykkelveier", "long": "Mer lys, takk."})
}

/// A keep-alive HTTP/1.1 client for tests against a real socket.
#[derive(Clone)]
pub struct Http {
    client: Client<HttpConnector, Full<Bytes>>,
    pub base: String,
}

impl Http {
    pub fn new(addr: SocketAddr) -> Http {
        Http {
            client: Client::builder(TokioExecutor::new())
                .pool_idle_timeout(Duration::from_secs(30))
                .build_http(),
            base: format!("http://{addr}"),
        }
    }

    pub async fn send(&self, req: Request<Full<Bytes>>) -> Result<Resp, String> {
        let res = self
            .client
            .request(req)
            .await
            .map_err(|e| format!("request failed: {e}"))?;
        let status = res.status();
        let headers = res.headers().clone();
        let body = res
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("reading the body failed: {e}"))?
            .to_bytes();
        Ok(Resp {
            status,
            headers,
            body,
        })
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> Result<Resp, String> {
        self.send(
            Request::post(format!("{}{path}", self.base))
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .body(Full::new(Bytes::from(body.to_string())))
                .unwrap(),
        )
        .await
    }

    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> Result<Resp, String> {
        let mut req = Request::get(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(Full::new(Bytes::new())).unwrap()).await
    }
}
