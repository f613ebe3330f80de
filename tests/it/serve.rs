//! `torget serve` end to end: a fixture site served on an ephemeral 127.0.0.1 port, its files
//! changed, and what a browser would get checked over real sockets. Requests are written by
//! hand so that paths reach the server exactly as written (an HTTP client would tidy `..`).
//! Every wait is bounded.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::TestSite;

/// Long enough for a debug build on a busy machine; the waits end as soon as things happen.
const WAIT: Duration = Duration::from_secs(20);

struct Response {
    status: u16,
    headers: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// One request, written as is; HTTP/1.0 so the answer is not chunked and ends with the
/// connection.
fn request(addr: SocketAddr, method: &str, target: &str, extra: &str, body: &str) -> Response {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.0\r\nHost: {addr}\r\n{extra}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        headers: head.to_string(),
        body: body.to_string(),
    }
}

fn get(addr: SocketAddr, target: &str) -> Response {
    request(addr, "GET", target, "", "")
}

/// Polls until `ok` holds for the page at `url`; panics with the last body after [`WAIT`].
fn wait_for_page(addr: SocketAddr, url: &str, ok: impl Fn(&Response) -> bool) -> Response {
    let started = Instant::now();
    loop {
        let r = get(addr, url);
        if ok(&r) {
            return r;
        }
        if started.elapsed() > WAIT {
            panic!(
                "{url} never became as expected; last answer {}:\n{}",
                r.status, r.body
            );
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// The server-sent event stream, read as a browser's EventSource would.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(addr: SocketAddr) -> Events {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        write!(
            s,
            "GET /__torget/events HTTP/1.0\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut events = Events {
            reader: BufReader::new(s),
        };
        // Skip the response head.
        let started = Instant::now();
        let mut line = String::new();
        loop {
            line.clear();
            match events.reader.read_line(&mut line) {
                Ok(_) if line == "\r\n" || line == "\n" => break,
                Ok(0) => panic!("the event stream closed"),
                Ok(_) => assert!(!line.contains(" 404 "), "no event stream: {line}"),
                Err(_) if started.elapsed() < WAIT => {}
                Err(e) => panic!("no event stream: {e}"),
            }
        }
        let (name, _) = events.next_within(WAIT).expect("a hello");
        assert_eq!(name, "hello");
        events
    }

    /// The next event (name, data), if one comes within `wait`.
    fn next_within(&mut self, wait: Duration) -> Option<(String, String)> {
        let started = Instant::now();
        let (mut name, mut data) = (String::new(), String::new());
        let mut line = String::new();
        while started.elapsed() < wait {
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) => return None,
                Ok(_) => {
                    let l = line.trim_end_matches(['\r', '\n']);
                    if let Some(n) = l.strip_prefix("event:") {
                        name = n.trim().to_string();
                    } else if let Some(d) = l.strip_prefix("data:") {
                        data.push_str(d.trim_start());
                    } else if l.is_empty() && !name.is_empty() {
                        return Some((name, data));
                    }
                }
                // A read timeout only means nothing came yet; partial lines stay in `line`'s
                // buffer of the reader.
                Err(_) => {}
            }
        }
        None
    }

    /// Waits for an event named `name` whose data satisfies `ok`; returns its data as JSON.
    fn wait_for(
        &mut self,
        name: &str,
        ok: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let started = Instant::now();
        let mut seen = Vec::new();
        while started.elapsed() < WAIT {
            if let Some((n, d)) = self.next_within(WAIT - started.elapsed()) {
                let v: serde_json::Value = serde_json::from_str(&d).unwrap();
                if n == name && ok(&v) {
                    return v;
                }
                seen.push(format!("{n} {d}"));
            }
        }
        panic!("no `{name}` event came; saw: {seen:#?}");
    }
}

fn reloads(url: &str) -> impl Fn(&serde_json::Value) -> bool + '_ {
    move |v| v["all"] == true || v["pages"].as_array().unwrap().iter().any(|p| p == url)
}

fn edit(site: &TestSite, rel: &str, from: &str, to: &str) {
    let path = site.root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} lacks {from:?}");
    site.write(rel, &text.replace(from, to));
}

#[test]
fn editing_a_content_file_changes_the_served_page() {
    let site = TestSite::fixture("minimal");
    let server = site.serve();
    let addr = server.addr;
    let page = get(addr, "/prosjekter/skolehage/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Om hagen."));
    assert_eq!(page.header("cache-control").as_deref(), Some("no-store"));
    assert_eq!(
        page.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    // The live script is added when serving, never written into the built files.
    assert!(
        page.body
            .contains("<script src=\"/__torget/live.js\" defer></script></body>")
    );
    let built =
        std::fs::read_to_string(server.out.join("prosjekter/skolehage/index.html")).unwrap();
    assert!(!built.contains("__torget"));
    assert!(!site.out().exists(), "serve must not write public/");

    let mut events = Events::open(addr);
    edit(
        &site,
        "content/projects/skolehage.md",
        "Om hagen.",
        "Om den nye hagen.",
    );
    events.wait_for("reload", reloads("/prosjekter/skolehage/"));
    let page = get(addr, "/prosjekter/skolehage/");
    assert!(page.body.contains("Om den nye hagen."), "{}", page.body);

    // A title shows in listings too: they are rebuilt and reloaded as well.
    edit(
        &site,
        "content/projects/skolehage.md",
        "title = \"Skolehage\"",
        "title = \"Skolehagen vår\"",
    );
    events.wait_for("reload", reloads("/prosjekter/"));
    for url in [
        "/prosjekter/skolehage/",
        "/prosjekter/",
        "/",
        "/omrader/byutvikling/",
    ] {
        wait_for_page(addr, url, |r| r.body.contains("Skolehagen vår"));
    }
    // The English page names the project by its English title; the event names the project.
    wait_for_page(addr, "/arrangementer/hagedag/", |r| {
        r.body.contains("Skolehagen vår")
    });
    server.stop();
}

#[test]
fn adding_and_deleting_items_updates_listings() {
    let site = TestSite::fixture("minimal");
    let server = site.serve();
    let addr = server.addr;
    let mut events = Events::open(addr);
    site.write(
        "content/events/dugnad.md",
        "+++\ntitle = \"Dugnad i hagen\"\nsummary = \"Vi rydder.\"\nstart = 2030-05-02T17:00:00\nend = 2030-05-02T19:00:00\nlocation = { name = \"Skolen\" }\nareas = [\"byutvikling\"]\n+++\nTa med hansker.\n",
    );
    events.wait_for("reload", reloads("/arrangementer/"));
    let page = get(addr, "/arrangementer/dugnad/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Ta med hansker."));
    for url in ["/arrangementer/", "/omrader/byutvikling/"] {
        assert!(get(addr, url).body.contains("Dugnad i hagen"), "{url}");
    }
    wait_for_page(addr, "/sitemap.xml", |r| {
        r.body.contains("/arrangementer/dugnad/")
    });
    wait_for_page(addr, "/arrangementer/dugnad/dugnad.ics", |r| {
        r.status == 200
    });

    site.remove("content/events/dugnad.md");
    events.wait_for("reload", reloads("/arrangementer/dugnad/"));
    assert!(!get(addr, "/arrangementer/").body.contains("Dugnad i hagen"));
    assert!(
        !get(addr, "/omrader/byutvikling/")
            .body
            .contains("Dugnad i hagen")
    );
    let gone = get(addr, "/arrangementer/dugnad/");
    assert_eq!(gone.status, 404);
    assert!(!server.out.join("arrangementer/dugnad").exists());
    wait_for_page(addr, "/sitemap.xml", |r| {
        !r.body.contains("/arrangementer/dugnad/")
    });
    server.stop();
}

/// Files beside a folder item's `index.md` are copied next to its pages; changing one
/// changes no page, and once changed nothing but the copy.
#[test]
fn a_folder_items_files_follow_their_changes() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/hagen/index.md",
        "+++\ntitle = \"Hagen\"\nsummary = \"Et kart.\"\n+++\n![Kart over hagen](kart.svg)\n",
    );
    site.write("content/hagen/kart.svg", "<svg>første</svg>");
    let server = site.serve();
    let addr = server.addr;
    let map = get(addr, "/hagen/kart.svg");
    assert_eq!(map.header("content-type").as_deref(), Some("image/svg+xml"));
    assert!(map.body.contains("første"));
    let mut events = Events::open(addr);
    site.write("content/hagen/kart.svg", "<svg>andre</svg>");
    // An image may be on any page: every page reloads.
    events.wait_for("reload", |v| v["all"] == true);
    assert!(get(addr, "/hagen/kart.svg").body.contains("andre"));
    // A removed one is gone from the preview too.
    site.write(
        "content/hagen/index.md",
        "+++\ntitle = \"Hagen\"\nsummary = \"Uten kart.\"\n+++\nIkke noe kart.\n",
    );
    site.remove("content/hagen/kart.svg");
    events.wait_for("reload", reloads("/hagen/"));
    wait_for_page(addr, "/hagen/kart.svg", |r| r.status == 404);
    server.stop();
}

#[test]
fn a_broken_file_shows_the_overlay_and_recovers() {
    let site = TestSite::fixture("minimal");
    let server = site.serve();
    let addr = server.addr;
    let mut events = Events::open(addr);
    let rel = "content/projects/skolehage.md";
    let good = std::fs::read_to_string(site.root().join(rel)).unwrap();
    site.write(
        rel,
        &good.replace("status = \"active\"", "status = \"aktiv\"\nOm hagen."),
    );

    let error = events.wait_for("error", |_| true);
    // The saved file comes first; problems it causes elsewhere follow.
    let p = &error["problems"][0];
    assert_eq!(p["file"], rel, "{error}");
    assert_eq!(p["line"], 6);
    assert!(p["message"].as_str().unwrap().len() > 3, "{p}");
    // The page keeps showing the last good build.
    let page = get(addr, "/prosjekter/skolehage/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Om hagen."));
    // A page opened now hears about the problem at once.
    let mut late = Events::open(addr);
    assert_eq!(late.next_within(WAIT).unwrap().0, "error");

    // Saving another, good file does not hide the mistake that is still there.
    edit(
        &site,
        "content/events/hagedag.md",
        "Ta med spade.",
        "Ta med spade og bøtte.",
    );
    let still = events.wait_for("error", |_| true);
    assert!(
        still["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["file"] == rel),
        "{still}"
    );
    // Nor does a stylesheet.
    site.write("static/ekstra.css", "p { margin: 0 }\n");
    events.wait_for("error", |_| true);

    site.write(rel, &good.replace("Om hagen.", "Om hagen, igjen."));
    events.wait_for("ok", |_| true);
    late.wait_for("ok", |_| true);
    wait_for_page(addr, "/arrangementer/hagedag/", |r| {
        r.body.contains("spade og bøtte")
    });
    wait_for_page(addr, "/prosjekter/skolehage/", |r| {
        r.body.contains("Om hagen, igjen.")
    });
    server.stop();
}

#[test]
fn a_site_broken_from_the_start_is_served_once_fixed() {
    let site = TestSite::fixture("minimal");
    let rel = "content/_index.md";
    let good = std::fs::read_to_string(site.root().join(rel)).unwrap();
    site.write(rel, &good.replacen("+++", "", 2));
    let server = site.serve();
    let addr = server.addr;
    let waiting = get(addr, "/");
    assert_eq!(waiting.status, 503);
    assert!(waiting.body.contains("/__torget/live.js"));
    let mut events = Events::open(addr);
    assert_eq!(events.next_within(WAIT).unwrap().0, "error");
    site.write(rel, &good);
    events.wait_for("ok", |_| true);
    events.wait_for("reload", reloads("/"));
    assert_eq!(get(addr, "/").status, 200);
    server.stop();
}

#[test]
fn traversal_attempts_are_refused() {
    let site = TestSite::fixture("minimal");
    let server = site.serve();
    let addr = server.addr;
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc/passwd", server.out.join("passwd.txt")).unwrap();
        std::os::unix::fs::symlink(site.root(), server.out.join("up")).unwrap();
    }
    for target in [
        "/../site.toml",
        "/../../../../etc/passwd",
        "/%2e%2e/site.toml",
        "/%2E%2E/%2e%2e/site.toml",
        "/..%2fsite.toml",
        "/prosjekter/..%2f..%2fsite.toml",
        "/%2e%2e%2fsite.toml",
        "/..%5csite.toml",
        "/..\\site.toml",
        "/prosjekter/../../site.toml",
        "/passwd.txt",
        "/up/site.toml",
        "/up/content/om.md",
    ] {
        let r = get(addr, target);
        assert!(
            matches!(r.status, 400 | 403),
            "{target} answered {}:\n{}",
            r.status,
            r.body
        );
        assert!(!r.body.contains("root:"), "{target} leaked /etc/passwd");
        assert!(!r.body.contains("base_url"), "{target} leaked site.toml");
    }
    // What a client sends for a full URL is the path; `http://` in it is no way out either.
    let r = get(addr, &format!("http://{addr}/../site.toml"));
    assert!(matches!(r.status, 400 | 403), "{}", r.status);
    // Only reading.
    assert_eq!(request(addr, "DELETE", "/index.html", "", "").status, 405);
    // Ordinary answers around them.
    assert_eq!(
        get(addr, "/atom.xml").header("content-type").as_deref(),
        Some("application/atom+xml")
    );
    let missing = get(addr, "/en/nothing-here/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("<html lang=\"en\">"),
        "the English 404 page"
    );
    let folder = get(addr, "/prosjekter");
    assert_eq!(folder.status, 308);
    assert_eq!(folder.header("location").as_deref(), Some("/prosjekter/"));
    server.stop();
}

#[test]
fn a_stylesheet_change_swaps_the_stylesheet_without_a_reload() {
    let site = TestSite::fixture("minimal");
    edit(
        &site,
        "site.toml",
        "default_language",
        "theme = \"kommune\"\ndefault_language",
    );
    site.write("themes/kommune/static/style.css", "body { color: black }\n");
    let server = site.serve();
    let addr = server.addr;
    assert!(
        get(addr, "/")
            .body
            .contains("<link rel=\"stylesheet\" href=\"/style.css\">")
    );
    let mut events = Events::open(addr);
    site.write("themes/kommune/static/style.css", "body { color: navy }\n");
    let css = events.wait_for("css", |_| true);
    let href = css["hrefs"][0].as_str().unwrap().to_string();
    assert!(href.starts_with("/style.css?v="), "{href}");
    assert!(get(addr, &href).body.contains("navy"));
    // No page was told to reload: the scroll position stays.
    if let Some((name, data)) = events.next_within(Duration::from_millis(500)) {
        assert_ne!(name, "reload", "{data}");
    }
    server.stop();
}

#[test]
fn a_template_change_rebuilds_every_page() {
    let site = TestSite::fixture("minimal");
    let server = site.serve();
    let addr = server.addr;
    let mut events = Events::open(addr);
    let base = std::fs::read_to_string(
        crate::common::repo_root().join("themes/default/templates/page.html"),
    )
    .unwrap();
    site.write(
        "templates/page.html",
        &base.replace("{% block main %}", "{% block main %}<p>Lokal mal</p>"),
    );
    events.wait_for("reload", reloads("/om/"));
    assert!(get(addr, "/om/").body.contains("Lokal mal"));
    server.stop();
}

#[test]
fn the_form_on_a_call_page_posts_to_the_embedded_endpoint_and_gets_a_receipt() {
    let site = TestSite::fixture("minimal");
    let server = site.serve();
    let addr = server.addr;
    let page = get(addr, "/innspill/hagen/");
    assert_eq!(page.status, 200);
    let action = page
        .body
        .split("<form class=\"answer-form\" method=\"post\" action=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the call page has an answer form");
    assert_eq!(
        action, "/api/calls/hagen/responses",
        "same origin as the page"
    );
    let origin = format!("Origin: http://{addr}\r\n");
    let form = format!("{origin}Content-Type: application/x-www-form-urlencoded\r\n");

    // A plain form post, as a browser without JavaScript sends it.
    let posted = request(
        addr,
        "POST",
        action,
        &form,
        "lang=nb&website=&plante=Epler&hvorfor=For+eplenes+skyld&viktig=4",
    );
    assert_eq!(posted.status, 303, "{}", posted.body);
    let location = posted.header("location").unwrap();
    assert!(
        location.starts_with("thanks?lang=nb&receipt="),
        "{location}"
    );
    let receipt = location.rsplit('=').next().unwrap();
    let thanks = get(addr, &format!("/api/calls/hagen/{location}"));
    assert_eq!(thanks.status, 200);
    assert!(
        thanks.body.contains(&format!(
            "<code data-receipt>{}</code>",
            receipt.replace('-', "-<wbr>")
        )),
        "{}",
        thanks.body
    );

    // The page script's JSON post gets its receipt in the answer.
    let json = request(
        addr,
        "POST",
        action,
        &format!("{origin}Content-Type: application/json\r\nAccept: application/json\r\n"),
        r#"{"lang": "en", "answers": {"plante": "Poteter", "viktig": 2}, "website": ""}"#,
    );
    assert_eq!(json.status, 201, "{}", json.body);
    let answer: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert!(answer["receipt"].as_str().is_some_and(|r| !r.is_empty()));
    assert_eq!(get(addr, "/healthz").status, 200);
    let db = site.root().join(".torget/feedback.sqlite");
    assert!(db.exists(), "answers are kept in a local file");

    // The staff console, without signing in, says so and counts the preview's own answers.
    let console = get(addr, "/admin/");
    assert_eq!(console.status, 200, "{}", console.body);
    assert!(
        console
            .body
            .contains("<p class=\"banner\">Forhåndsvisning: ingen innlogging."),
        "{}",
        console.body
    );
    let row = (console.body.split("<tr>"))
        .find(|r| r.contains("/innspill/hagen/"))
        .expect("the call is listed");
    assert!(row.contains("<td class=\"n\">2</td>"), "{row}");
    assert!(
        !console.body.contains("Logg ut"),
        "nobody to sign out in the preview"
    );
    assert_eq!(get(addr, "/admin/login").status, 303, "no sign-in form");
    assert_eq!(
        get(addr, "/admin/audit").status,
        200,
        "the writer sees everything"
    );

    // The endpoint follows the rebuilt site: a call closed in its file is closed for answers.
    let mut events = Events::open(addr);
    edit(
        &site,
        "content/calls/hagen.md",
        "closes = 2030-01-01T00:00:00",
        "closes = 2021-01-01T00:00:00",
    );
    events.wait_for("reload", reloads("/innspill/hagen/"));
    let started = Instant::now();
    loop {
        let late = request(
            addr,
            "POST",
            action,
            &form,
            "lang=nb&website=&plante=Epler&viktig=4",
        );
        if late.status == 409 {
            break;
        }
        assert!(
            started.elapsed() < WAIT,
            "still {}: {}",
            late.status,
            late.body
        );
        std::thread::sleep(Duration::from_millis(25));
    }
    server.stop();
}

#[test]
fn the_embedded_endpoint_speaks_the_sites_own_words_after_a_rebuild() {
    let site = TestSite::fixture("minimal");
    let server = site.serve();
    let addr = server.addr;
    let say = || {
        let r = request(
            addr,
            "POST",
            "/api/calls/hagen/responses",
            &format!("Origin: http://{addr}\r\nContent-Type: application/json\r\n"),
            r#"{"lang": "nb", "answers": {}, "website": ""}"#,
        );
        assert_eq!(r.status, 422, "{}", r.body);
        serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        say(),
        "Noen av svarene må rettes før skjemaet kan sendes inn."
    );
    // The site overrides one of the endpoint's sentences, as it can any UI string.
    site.write(
        "i18n/nb.toml",
        "[endpoint]\ninvalid = \"Rett svarene først.\"\n",
    );
    let started = Instant::now();
    while say() != "Rett svarene først." {
        assert!(started.elapsed() < WAIT, "the endpoint kept its old words");
        std::thread::sleep(Duration::from_millis(25));
    }
    server.stop();
}

#[test]
fn drafts_are_previewed_with_a_banner_unless_no_drafts() {
    // `torget new` makes drafts and the writer previews with `torget serve`, which used to hide
    // them: the page just written was not there.
    let site = TestSite::fixture("minimal");
    site.write(
        "content/utkast.en.md",
        "+++\ntitle = \"Draft\"\nsummary = \"Not published.\"\ndraft = true\n+++\nSecret.\n",
    );
    let banner = |body: &str| body.contains("notice-draft");
    let server = site.serve();
    let nb = get(server.addr, "/utkast/");
    assert_eq!(nb.status, 200);
    assert!(
        nb.body
            .contains("<p class=\"notice notice-draft\">Utkast – ikke publisert</p>"),
        "{}",
        nb.body
    );
    let en = get(server.addr, "/en/utkast/");
    assert!(
        en.body
            .contains("<p class=\"notice notice-draft\">Draft – not published</p>"),
        "{}",
        en.body
    );
    assert!(!banner(&get(server.addr, "/om/").body));
    server.stop();

    let server = site.serve_with(false);
    assert_eq!(get(server.addr, "/utkast/").status, 404);
    assert!(!banner(&get(server.addr, "/om/").body));
    server.stop();

    // A built site never has the draft, nor the banner anywhere.
    site.build_ok();
    assert!(!site.exists("utkast/index.html"));
    assert!(!banner(&site.page("/om/")));
}

#[test]
fn the_binary_prints_its_url_and_stops_on_ctrl_c() {
    let site = TestSite::fixture("minimal");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_torget"))
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let url = line
        .trim()
        .strip_prefix("serving http://")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .trim_end_matches('/');
    let addr: SocketAddr = url.parse().unwrap();
    assert!(addr.ip().is_loopback());
    assert_eq!(get(addr, "/").status, 200);
    let _events = Events::open(addr);

    interrupt(child.id());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > WAIT {
            let _ = child.kill();
            panic!("torget serve did not stop on Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(25));
    };
    assert!(status.success(), "{status}");
    assert!(TcpStream::connect(addr).is_err(), "still listening");
    assert!(Path::new(&site.root().join(".torget/serve/index.html")).exists());
}

/// Sends SIGINT, what Ctrl-C sends.
fn interrupt(pid: u32) {
    let ok = std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

#[test]
fn feedback_export_in_a_previewed_site_finds_the_previews_files() {
    // A writer tries the form in the preview, then asks for the answers: `export` looked for
    // public/ and feedback.sqlite and failed twice.
    let site = TestSite::fixture("minimal");
    site.serve().stop();
    assert!(!site.root().join("public").exists());
    let out = site.torget(&["feedback", "export", "--call", "hagen"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("\u{feff}id,sendt,språk,skjult,"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        stderr.contains("no site in public/: reading the preview's, .torget/serve"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "no feedback.sqlite here: reading the preview's answers, .torget/feedback.sqlite"
        ),
        "{stderr}"
    );
}
