//! The whole loop of issue 15 through the binary: a site with a call about to close is built,
//! `torget feedback serve` takes residents' answers, the call closes, staff sign in to the
//! console, add a theme, tag answers and publish; `GET /api/calls/{id}/results` serves the
//! snapshot, `torget results pull` writes it beside the call, and `torget build` shows "Hva vi
//! hørte" and "What we heard" with the counts.

use std::path::Path;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{Request, StatusCode};
use http_body_util::Full;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use crate::common::{Html, TestSite};
use crate::endpoint_process::Server;
use crate::feedback_support::{Http, Resp};

const PASSWORD: &str = "riktig hest batteri stift";
const KARI: &str = "kari@trondheim.kommune.no";

/// The call, open since yesterday and closing at `closes` (Oslo time, as front matter says).
fn benker(closes: &str) -> String {
    let opens = (Timestamp::now() - SignedDuration::from_hours(24))
        .in_tz("Europe/Oslo")
        .unwrap()
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string();
    format!(
        "+++\ntitle = \"Benker i hagen\"\nsummary = \"Hvor skal benkene stå?\"\n\
         opens = {opens}\ncloses = {closes}\n\n\
         [[questions]]\nid = \"sted\"\nkind = \"choice\"\nlabel = \"Hvor?\"\n\
         options = [\"Ved porten\", \"Ved dammen\"]\n\n\
         [[questions]]\nid = \"hvorfor\"\nkind = \"longtext\"\nlabel = \"Hvorfor?\"\n\
         +++\nSi hvor benkene skal stå.\n"
    )
}

const BENKER_EN: &str = "+++\ntitle = \"Benches in the garden\"\nsummary = \"Where should the benches go?\"\n\
    slug = \"benches\"\n\n\
    [[questions]]\nid = \"sted\"\nkind = \"choice\"\nlabel = \"Where?\"\noptions = [\"By the gate\", \"By the pond\"]\n\n\
    [[questions]]\nid = \"hvorfor\"\nkind = \"longtext\"\nlabel = \"Why?\"\n+++\nSay where the benches should go.\n";

fn torget(site: &TestSite, args: &[&str]) -> String {
    let out = site.torget(args);
    let text = |b: &[u8]| String::from_utf8_lossy(b).to_string();
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

fn add_staff(db: &Path) {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_torget"))
        .args(["feedback", "staff", "add", KARI, "--password-stdin", "--db"])
        .arg(db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A staff member's browser against the running endpoint: its cookies, and an `Origin` of the
/// endpoint itself, as the console's own forms send.
struct Staff {
    http: Http,
    cookies: Vec<(String, String)>,
}

impl Staff {
    async fn send(&mut self, req: axum::http::request::Builder, body: String) -> Resp {
        let cookie: Vec<String> = (self.cookies.iter())
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let req = req
            .header("cookie", cookie.join("; "))
            .body(Full::new(Bytes::from(body)))
            .unwrap();
        let res = self.http.send(req).await.unwrap();
        for set in res.headers.get_all("set-cookie") {
            let set = set.to_str().unwrap();
            let (name, rest) = set.split_once('=').unwrap();
            self.cookies.retain(|(k, _)| k != name);
            self.cookies
                .push((name.into(), rest.split(';').next().unwrap().into()));
        }
        res
    }

    async fn get(&mut self, path: &str) -> Resp {
        let uri = format!("{}{path}", self.http.base);
        self.send(Request::get(uri), String::new()).await
    }

    async fn post(&mut self, path: &str, form: &str) -> Resp {
        let uri = format!("{}{path}", self.http.base);
        let req = Request::post(uri)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", self.http.base.clone());
        let res = self.send(req, form.to_string()).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{path}: {}", res.text());
        res
    }
}

fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    html[at..].split('"').next().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_close_staff_publish_pull_and_the_built_page_shows_what_was_heard() {
    let site = TestSite::fixture("minimal");
    let closes_at = Timestamp::now() + SignedDuration::from_secs(20);
    let closes = closes_at
        .in_tz("Europe/Oslo")
        .unwrap()
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string();
    site.write("content/calls/benker.md", &benker(&closes));
    site.write("content/calls/benker.en.md", BENKER_EN);
    torget(&site, &["build"]);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("feedback.sqlite");
    let server = Server::start(&site.out(), &db, &[]);
    add_staff(&db);
    let http = Http::new(server.addr);

    for (sted, hvorfor) in [
        ("Ved dammen", "Skygge fra trærne, og jeg heter Kari."),
        ("Ved dammen", "Fint å se på endene."),
        ("Ved porten", "Nær bussen."),
    ] {
        let body = json!({"lang": "nb", "answers": {"sted": sted, "hvorfor": hvorfor}});
        let r = http
            .post_json("/api/calls/benker/responses", &body)
            .await
            .unwrap();
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let r = http.get("/api/calls/benker/results", &[]).await.unwrap();
    assert_eq!(r.status, StatusCode::NOT_FOUND, "nothing published yet");

    let mut staff = Staff {
        http: Http::new(server.addr),
        cookies: Vec::new(),
    };
    let login = staff.get("/admin/login").await.text();
    staff
        .post(
            "/admin/login",
            &format!(
                "csrf={}&email={}&password={}",
                csrf_of(&login),
                KARI.replace('@', "%40"),
                PASSWORD.replace(' ', "+")
            ),
        )
        .await;
    let page = staff.get("/admin/calls/benker").await.text();
    let csrf = csrf_of(&page);
    staff
        .post(
            "/admin/calls/benker/themes",
            &format!("csrf={csrf}&label.nb=Skygge&label.en=Shade"),
        )
        .await;
    let page = staff.get("/admin/calls/benker").await.text();
    let theme: i64 = page
        .split("?theme=")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // The two answers by the pond, by their text.
    let mut tagged = 0;
    for section in page.split("<section class=\"response\"").skip(1) {
        if section.contains("Skygge fra trærne") || section.contains("endene") {
            let id = section
                .split("id=\"r")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            staff
                .post(
                    &format!("/admin/calls/benker/answers/{id}/themes"),
                    &format!("csrf={csrf}&theme.{theme}=on"),
                )
                .await;
            tagged += 1;
        }
    }
    assert_eq!(tagged, 2);

    // The call closes.
    let wait = closes_at.duration_since(Timestamp::now());
    if wait.is_positive() {
        tokio::time::sleep(Duration::try_from(wait).unwrap() + Duration::from_millis(500)).await;
    }
    let publish = staff.get("/admin/calls/benker/publish").await;
    assert_eq!(publish.status, StatusCode::OK, "{}", publish.text());
    // Staff shorten the quote to leave the name out.
    staff
        .post(
            "/admin/calls/benker/publish",
            &format!(
                "csrf={csrf}&q.sted=on&theme.{theme}=on&quote.{theme}.0=Skygge+fra+tr%C3%A6rne.&lang.{theme}.0=nb"
            ),
        )
        .await;

    let r = http.get("/api/calls/benker/results", &[]).await.unwrap();
    assert_eq!(r.status, StatusCode::OK);
    let file = torget::results_json::ResultsFile::parse(&r.text()).unwrap();
    assert_eq!(file.responses, 3);
    assert_eq!(file.themes[0].count, 2);

    let started = Instant::now();
    let pulled = torget(
        &site,
        &[
            "results",
            "pull",
            "--endpoint",
            &http.base,
            "--call",
            "benker",
        ],
    );
    assert_eq!(pulled, "wrote content/calls/benker.results.json\n");
    assert_eq!(
        std::fs::read_to_string(site.root().join("content/calls/benker.results.json")).unwrap(),
        r.text()
    );
    torget(&site, &["build"]);
    let took = started.elapsed();

    let nb = Html::parse(&site.page("/innspill/benker/"));
    assert_eq!(nb.texts("#h-heard"), ["Hva vi hørte"]);
    assert_eq!(
        nb.texts(".chart-table tbody th"),
        ["Ved porten", "Ved dammen"]
    );
    assert_eq!(
        nb.texts(".chart-table tbody td"),
        ["1", "33 %", "2", "67 %"]
    );
    assert_eq!(nb.texts(".theme-label"), ["Skygge Tatt opp i 2 svar"]);
    let en = Html::parse(&site.page("/en/calls/benches/"));
    assert_eq!(en.texts("#h-heard"), ["What we heard"]);
    assert_eq!(
        en.texts(".chart-table tbody th"),
        ["By the gate", "By the pond"]
    );
    assert_eq!(en.texts(".chart-table tbody td"), ["1", "33%", "2", "67%"]);
    let page = site.page("/en/calls/benches/");
    assert!(
        page.contains("Skygge fra trærne."),
        "the quote as staff shortened it"
    );
    assert!(!page.contains("Kari"), "the name staff removed is nowhere");
    assert!(
        took < Duration::from_secs(60),
        "pull and build took {took:?}"
    );
}
