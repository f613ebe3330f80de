//! The staff console at `/admin/`: signing in and out, the lock-out, sessions (idle limit,
//! across two endpoint processes sharing one database), CSRF and origin checks, setup links,
//! the call list and the audit log. In-process through the router (its clock moved instead of
//! waiting), and through the binary where processes matter.

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use http_body_util::Full;
use jiff::Timestamp;
use torget::feedback::staff::{self, NewStaff, Role, Setup, Token};
use torget::feedback::store::Store;

use crate::endpoint_process::Server;
use crate::feedback_support::{Http, Resp, SITE_ORIGIN, TestApp, fixture_site};

pub(crate) const PASSWORD: &str = "riktig hest batteri stift";

pub(crate) async fn add_staff(store: &dyn Store, email: &str, role: Role) {
    let added = store
        .add_staff(NewStaff {
            email: email.into(),
            name: format!("Navn {email}"),
            role,
            created: Timestamp::now(),
            password: Some(staff::hash_password(PASSWORD).unwrap()),
            setup: None,
        })
        .await
        .unwrap();
    assert!(added);
}

/// A browser: the cookies it was given, and the address it comes from.
pub(crate) struct Browser<'a> {
    app: &'a TestApp,
    cookies: Vec<(String, String)>,
    peer: SocketAddr,
}

impl<'a> Browser<'a> {
    pub(crate) fn new(app: &'a TestApp) -> Browser<'a> {
        Browser::from(app, "192.0.2.1:4000")
    }

    fn from(app: &'a TestApp, peer: &str) -> Browser<'a> {
        Browser {
            app,
            cookies: Vec::new(),
            peer: peer.parse().unwrap(),
        }
    }

    fn cookie_header(&self) -> String {
        (self.cookies.iter())
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn send(&mut self, mut req: Request<Body>) -> Resp {
        if !self.cookies.is_empty() {
            req.headers_mut()
                .insert("cookie", self.cookie_header().parse().unwrap());
        }
        req.extensions_mut().insert(ConnectInfo(self.peer));
        let res = self.app.send(req).await;
        for set in res.headers.get_all("set-cookie") {
            let set = set.to_str().unwrap();
            let (name, rest) = set.split_once('=').unwrap();
            let value = rest.split(';').next().unwrap();
            self.cookies.retain(|(k, _)| k != name);
            if !set.contains("Max-Age=0") {
                self.cookies.push((name.into(), value.into()));
            }
        }
        res
    }

    pub(crate) async fn get(&mut self, path: &str) -> Resp {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    pub(crate) async fn post(&mut self, path: &str, origin: &str, body: &str) -> Resp {
        self.send(
            Request::post(path)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("origin", origin)
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }

    /// Opens the sign-in form and sends it; the answer to the post.
    pub(crate) async fn sign_in(&mut self, email: &str, password: &str) -> Resp {
        let form = self.get("/admin/login").await;
        assert_eq!(form.status, StatusCode::OK);
        let csrf = csrf_of(&form.text());
        self.post(
            "/admin/login",
            SITE_ORIGIN,
            &format!(
                "csrf={csrf}&email={}&password={}",
                enc(email),
                enc(password)
            ),
        )
        .await
    }

    fn has(&self, cookie: &str) -> bool {
        self.cookies.iter().any(|(k, _)| k == cookie)
    }
}

pub(crate) fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// The value of a page's first `csrf` field.
pub(crate) fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("no csrf field in {html}"))
        .to_string()
}

pub(crate) async fn audit_actions(app: &TestApp) -> Vec<(String, String, String)> {
    let mut log: Vec<_> = (app.store.audit_log(0, 100).await.unwrap().into_iter())
        .map(|e| (e.who, e.action, e.detail))
        .collect();
    log.reverse();
    log
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer_the_right_one_a_session() {
    let app = TestApp::new();
    add_staff(&*app.store, "kari@trondheim.kommune.no", Role::Editor).await;

    let mut b = Browser::new(&app);
    let wrong = b
        .sign_in("kari@trondheim.kommune.no", "feil passord her")
        .await;
    let unknown = b.sign_in("ola@trondheim.kommune.no", PASSWORD).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(unknown.status, wrong.status);
    // The form comes back with the email typed; apart from it, the pages are the same.
    let same = |r: &Resp, email: &str| r.text().replace(email, "EMAIL");
    assert_eq!(
        same(&wrong, "kari@trondheim.kommune.no"),
        same(&unknown, "ola@trondheim.kommune.no")
    );
    assert!(
        wrong
            .text()
            .contains("E-postadressen eller passordet er feil."),
        "{}",
        wrong.text()
    );
    assert!(!b.has("torget_session"));

    let ok = b.sign_in("Kari@Trondheim.Kommune.no ", PASSWORD).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text());
    assert_eq!(ok.header("location"), Some("/admin/"));
    let cookie = ok
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("torget_session="))
        .expect("a session cookie");
    assert!(
        cookie.ends_with("; Path=/admin; HttpOnly; SameSite=Strict"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "on loopback over plain HTTP a Secure cookie would never come back"
    );
    assert!(b.has("torget_session"));

    let list = b.get("/admin/").await;
    assert_eq!(list.status, StatusCode::OK);
    let html = list.text();
    assert!(html.contains("Innlogget som Navn kari@trondheim.kommune.no (redaktør)"));
    assert_eq!(
        list.header("cache-control"),
        Some("no-store"),
        "a page of answers stays out of caches"
    );
    // Every call, open first, with its dates and a link to its public page.
    let open = html.find("En åpen innspillsrunde").expect("the open call");
    let upcoming = html.find(">Kommer<").unwrap();
    assert!(open < upcoming, "open calls come first");
    assert!(html.contains("<a href=\"https://site.example/innspill/open-call/\">"));
    assert!(html.contains("torsdag 31. desember 2099 kl. 23.59"));
    // Editors have no audit log in their navigation.
    assert!(!html.contains("/admin/audit"));

    let log = audit_actions(&app).await;
    assert_eq!(
        log,
        vec![(
            "kari@trondheim.kommune.no".into(),
            "signin".into(),
            String::new()
        )]
    );
}

#[tokio::test]
async fn the_call_list_counts_the_answers_of_each_call() {
    let app = TestApp::new();
    add_staff(&*app.store, "kari@trondheim.kommune.no", Role::Editor).await;
    for _ in 0..3 {
        let r = app
            .send(crate::feedback_support::json_post(
                "/api/calls/open-call/responses",
                serde_json::json!({"lang": "nb", "answers": crate::feedback_support::valid_answers()}),
            ))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let mut b = Browser::new(&app);
    b.sign_in("kari@trondheim.kommune.no", PASSWORD).await;
    let html = b.get("/admin/").await.text();
    let row = html
        .split("<tr>")
        .find(|r| r.contains("En åpen innspillsrunde"))
        .unwrap();
    assert!(row.contains("<td class=\"n\">3</td>"), "{row}");
    let closed = html
        .split("<tr>")
        .find(|r| r.contains("Avsluttet"))
        .unwrap();
    assert!(closed.contains("<td class=\"n\">0</td>"), "{closed}");
}

#[tokio::test]
async fn the_cookie_is_secure_when_the_endpoint_listens_beyond_loopback() {
    let app = TestApp::with(|o| o.listen = "0.0.0.0:8081".parse().unwrap());
    add_staff(&*app.store, "kari@trondheim.kommune.no", Role::Editor).await;
    let mut b = Browser::new(&app);
    let ok = b.sign_in("kari@trondheim.kommune.no", PASSWORD).await;
    let cookie = ok.header("set-cookie").unwrap();
    assert!(
        cookie.starts_with("torget_session=")
            && cookie.ends_with("; Path=/admin; HttpOnly; SameSite=Strict; Secure"),
        "{cookie}"
    );
}

#[tokio::test]
async fn ten_failures_for_an_account_lock_it_for_fifteen_minutes_from_any_address() {
    let app = TestApp::new();
    add_staff(&*app.store, "kari@trondheim.kommune.no", Role::Admin).await;
    for i in 0..10 {
        // Each from another address: the account's own count locks it.
        let mut b = Browser::from(&app, &format!("198.51.100.{i}:4000"));
        let r = b
            .sign_in("kari@trondheim.kommune.no", "gjetter og gjetter")
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "failure {i}");
    }
    let mut b = Browser::from(&app, "203.0.113.9:4000");
    let locked = b.sign_in("kari@trondheim.kommune.no", PASSWORD).await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the right password too, while locked"
    );
    assert!(
        locked
            .text()
            .contains("Innloggingen er stengt i 15 minutter")
    );
    assert!(!b.has("torget_session"));

    app.state.clock.advance(Duration::from_secs(14 * 60));
    let still = b.sign_in("kari@trondheim.kommune.no", PASSWORD).await;
    assert_eq!(
        still.status,
        StatusCode::TOO_MANY_REQUESTS,
        "after 14 minutes"
    );
    app.state.clock.advance(Duration::from_secs(61));
    let open = b.sign_in("kari@trondheim.kommune.no", PASSWORD).await;
    assert_eq!(open.status, StatusCode::SEE_OTHER, "after 15 minutes");

    let log = audit_actions(&app).await;
    assert_eq!(
        log,
        vec![
            (
                "kari@trondheim.kommune.no".into(),
                "signin.locked".into(),
                "account".into()
            ),
            (
                "kari@trondheim.kommune.no".into(),
                "signin".into(),
                String::new()
            ),
        ]
    );
}

#[tokio::test]
async fn ten_failures_from_one_address_lock_it_whatever_the_emails() {
    let app = TestApp::new();
    add_staff(&*app.store, "kari@trondheim.kommune.no", Role::Admin).await;
    let mut b = Browser::from(&app, "198.51.100.7:4000");
    for i in 0..10 {
        let r = b
            .sign_in(&format!("gjest{i}@example.no"), "gjetter og gjetter")
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "failure {i}");
    }
    let locked = b.sign_in("kari@trondheim.kommune.no", PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    // Another address is not locked out of the account.
    let mut other = Browser::from(&app, "198.51.100.8:4000");
    let ok = other.sign_in("kari@trondheim.kommune.no", PASSWORD).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    // The lock-out is audited without the emails tried or the address.
    let log = audit_actions(&app).await;
    assert_eq!(
        log[0],
        ("unknown".into(), "signin.locked".into(), "address".into())
    );
    let all = format!("{log:?}");
    assert!(
        !all.contains("gjest") && !all.contains("198.51.100"),
        "{all}"
    );
}

#[tokio::test]
async fn sign_in_without_the_forms_token_or_from_another_origin_is_refused() {
    let app = TestApp::new();
    add_staff(&*app.store, "kari@trondheim.kommune.no", Role::Editor).await;
    let mut b = Browser::new(&app);
    b.get("/admin/login").await;
    let body = format!(
        "email=kari%40trondheim.kommune.no&password={}",
        enc(PASSWORD)
    );
    let missing = b.post("/admin/login", SITE_ORIGIN, &body).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(missing.text().contains("uten gyldig sikkerhetsnøkkel"));
    let forged = b
        .post(
            "/admin/login",
            SITE_ORIGIN,
            &format!("csrf={}&{body}", "0".repeat(64)),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // The right token, from another website.
    let csrf = csrf_of(&b.get("/admin/login").await.text());
    let foreign = b
        .post(
            "/admin/login",
            "https://evil.example",
            &format!("csrf={csrf}&{body}"),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert!(foreign.text().contains("kom fra et annet nettsted"));
    assert!(!b.has("torget_session"));
    assert!(audit_actions(&app).await.is_empty(), "nobody signed in");
}

#[tokio::test]
async fn sign_out_needs_the_sessions_token_and_the_consoles_origin() {
    let app = TestApp::new();
    add_staff(&*app.store, "kari@trondheim.kommune.no", Role::Admin).await;
    let mut b = Browser::new(&app);
    b.sign_in("kari@trondheim.kommune.no", PASSWORD).await;
    let page = b.get("/admin/").await.text();
    let csrf = csrf_of(&page);

    let missing = b.post("/admin/logout", SITE_ORIGIN, "").await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    let forged = b
        .post(
            "/admin/logout",
            SITE_ORIGIN,
            &format!("csrf={}", "0".repeat(64)),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let foreign = b
        .post(
            "/admin/logout",
            "https://evil.example",
            &format!("csrf={csrf}"),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    // The endpoint's own origin (the Host asked for) is allowed as well as --origin.
    let no_origin = b
        .send(
            Request::post("/admin/logout")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!("csrf={csrf}")))
                .unwrap(),
        )
        .await;
    assert_eq!(no_origin.status, StatusCode::FORBIDDEN, "no origin at all");
    // Nothing changed: still signed in.
    assert_eq!(b.get("/admin/").await.status, StatusCode::OK);

    let out = b
        .send(
            Request::post("/admin/logout")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("host", "svar.example")
                .header("origin", "https://svar.example")
                .body(Body::from(format!("csrf={csrf}")))
                .unwrap(),
        )
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.header("location"), Some("/admin/login?out"));
    assert!(!b.has("torget_session"));
    assert!(
        b.get("/admin/login?out")
            .await
            .text()
            .contains("Du er logget ut.")
    );
    let again = b.get("/admin/").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let actions: Vec<String> = audit_actions(&app).await.into_iter().map(|l| l.1).collect();
    assert_eq!(actions, ["signin", "signout"]);
}

#[tokio::test]
async fn a_session_idle_past_the_limit_sends_back_to_sign_in() {
    let app = TestApp::with(|o| o.console.session_idle = jiff::SignedDuration::from_hours(1));
    add_staff(&*app.store, "kari@trondheim.kommune.no", Role::Editor).await;
    let mut b = Browser::new(&app);
    b.sign_in("kari@trondheim.kommune.no", PASSWORD).await;
    // Each request keeps it alive.
    for _ in 0..3 {
        app.state.clock.advance(Duration::from_secs(50 * 60));
        assert_eq!(b.get("/admin/").await.status, StatusCode::OK);
    }
    app.state.clock.advance(Duration::from_secs(61 * 60));
    let gone = b.get("/admin/audit?page=2").await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert_eq!(
        gone.header("location"),
        Some("/admin/login?next=%2Fadmin%2Faudit%3Fpage%3D2&ended"),
        "back to where it was after signing in"
    );
    let login = b.get(gone.header("location").unwrap()).await.text();
    assert!(
        login.contains("Økten er utløpt. Logg inn igjen."),
        "{login}"
    );
}

#[tokio::test]
async fn without_a_session_a_browser_is_sent_to_sign_in_and_a_script_gets_401() {
    let app = TestApp::new();
    let page = app.send(crate::feedback_support::get("/admin/")).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.header("location"),
        Some("/admin/login?next=%2Fadmin%2F")
    );
    let script = app
        .send(
            Request::get("/admin/audit")
                .header("accept", "application/json")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(script.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        script.json()["error"],
        "sign in at /admin/login first: this needs a staff session"
    );
    let forged = app
        .send(
            Request::get("/admin/")
                .header("cookie", format!("torget_session={}", "a".repeat(64)))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(forged.status, StatusCode::SEE_OTHER, "a made-up session");
}

#[tokio::test]
async fn after_signing_in_staff_go_where_they_were_but_never_off_the_console() {
    let app = TestApp::new();
    add_staff(&*app.store, "kari@trondheim.kommune.no", Role::Admin).await;
    for (next, to) in [
        ("/admin/audit?page=1", "/admin/audit?page=1"),
        ("//evil.example/", "/admin/"),
        ("https://evil.example/admin/", "/admin/"),
    ] {
        let mut b = Browser::new(&app);
        let form = b.get(&format!("/admin/login?next={}", enc(next))).await;
        let csrf = csrf_of(&form.text());
        let r = b
            .post(
                "/admin/login",
                SITE_ORIGIN,
                &format!(
                    "csrf={csrf}&next={}&email=kari%40trondheim.kommune.no&password={}",
                    enc(next),
                    enc(PASSWORD)
                ),
            )
            .await;
        assert_eq!(r.header("location"), Some(to), "next={next}");
    }
}

async fn setup_link(store: &dyn Store, email: &str) -> String {
    let token = Token::generate().unwrap();
    store
        .add_staff(NewStaff {
            email: email.into(),
            name: "Ny Ansatt".into(),
            role: Role::Admin,
            created: Timestamp::now(),
            password: None,
            setup: Some(Setup {
                token: token.hash(),
                expires: Timestamp::now() + staff::SETUP_VALID,
            }),
        })
        .await
        .unwrap();
    staff::setup_path(&token)
}

#[tokio::test]
async fn a_setup_link_sets_a_password_once_and_signs_in() {
    let app = TestApp::new();
    let link = setup_link(&*app.store, "ny@trondheim.kommune.no").await;
    let mut b = Browser::new(&app);
    let form = b.get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.text()
            .contains("Velg et passord for ny@trondheim.kommune.no")
    );
    assert_eq!(
        form.header("referrer-policy"),
        Some("same-origin"),
        "the token in the address never reaches another site"
    );
    let csrf = csrf_of(&form.text());

    let mismatch = b
        .post(
            &link,
            SITE_ORIGIN,
            &format!(
                "csrf={csrf}&password={}&again=noe+annet+helt",
                enc(PASSWORD)
            ),
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.text().contains("Passordene er ikke like."));
    let short = b
        .post(
            &link,
            SITE_ORIGIN,
            &format!("csrf={csrf}&password=kort&again=kort"),
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        short
            .text()
            .contains("Passordet har 4 tegn. Det må ha minst 12.")
    );
    let no_token = b
        .post(
            &link,
            SITE_ORIGIN,
            &format!("password={0}&again={0}", enc(PASSWORD)),
        )
        .await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);

    let set = b
        .post(
            &link,
            SITE_ORIGIN,
            &format!("csrf={csrf}&password={0}&again={0}", enc(PASSWORD)),
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.text());
    assert_eq!(set.header("location"), Some("/admin/"));
    assert_eq!(b.get("/admin/").await.status, StatusCode::OK, "signed in");

    // The link is used up.
    let again = Browser::new(&app).get(&link).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(again.text().contains("Lenken er brukt eller utløpt"));
    // With a valid form token (from the sign-in page), the used link is still refused.
    let csrf = csrf_of(&b.get("/admin/login").await.text());
    let reuse = b
        .post(
            &link,
            SITE_ORIGIN,
            &format!(
                "csrf={csrf}&password={0}&again={0}",
                enc("et annet langt passord")
            ),
        )
        .await;
    assert_eq!(reuse.status, StatusCode::NOT_FOUND);
    // The password chosen is the one that works.
    let mut fresh = Browser::new(&app);
    let ok = fresh.sign_in("ny@trondheim.kommune.no", PASSWORD).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let actions: Vec<String> = audit_actions(&app).await.into_iter().map(|l| l.1).collect();
    assert_eq!(actions, ["staff.setup", "signin", "signin"]);
}

#[tokio::test]
async fn the_audit_log_is_for_admins_and_pages_back() {
    let app = TestApp::new();
    add_staff(&*app.store, "admin@trondheim.kommune.no", Role::Admin).await;
    add_staff(&*app.store, "kari@trondheim.kommune.no", Role::Editor).await;
    let mut editor = Browser::new(&app);
    editor.sign_in("kari@trondheim.kommune.no", PASSWORD).await;
    let refused = editor.get("/admin/audit").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused
            .text()
            .contains("Bare administratorer kan se loggen.")
    );

    for i in 0..60 {
        app.store
            .audit(staff::AuditEntry {
                at: Timestamp::from_second(1_780_000_000 + i).unwrap(),
                who: "cli".into(),
                action: "staff.add".into(),
                call: None,
                detail: format!("person{i}@trondheim.kommune.no"),
            })
            .await
            .unwrap();
    }
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@trondheim.kommune.no", PASSWORD).await;
    let first = admin.get("/admin/audit").await;
    assert_eq!(first.status, StatusCode::OK);
    let html = first.text();
    assert!(html.contains("aria-current=\"page\">Logg</a>"));
    // Newest first: the admin's own sign-in heads the log.
    let signin = html.find("Logget inn").unwrap();
    assert!(signin < html.find("person59@").unwrap());
    assert!(html.contains("rel=\"next\">Eldre</a>"));
    assert!(!html.contains("person9@"), "on the second page");
    let second = admin.get("/admin/audit?page=2").await.text();
    assert!(second.contains("person9@") && second.contains("La til ansatt"));
    assert!(second.contains("rel=\"prev\">Nyere</a>"));
    let past = admin.get("/admin/audit?page=9").await;
    assert_eq!(past.status, StatusCode::NOT_FOUND);
    assert!(past.text().contains("Loggen har ikke side 9."));
}

#[tokio::test]
async fn staff_choose_the_consoles_language_and_it_stays() {
    let app = TestApp::new();
    add_staff(&*app.store, "kari@trondheim.kommune.no", Role::Admin).await;
    let mut b = Browser::new(&app);
    let login = b.get("/admin/login").await.text();
    assert!(login.contains("<html lang=\"nb\">"), "the site's default");
    assert!(login.contains(
        "<a href=\"/admin/lang/en?next=%2Fadmin%2Flogin%3Fnext%3D%252Fadmin%252F\" lang=\"en\" \
         hreflang=\"en\">English</a>"
    ));
    let chosen = b.get("/admin/lang/en?next=%2Fadmin%2F").await;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER);
    assert_eq!(chosen.header("location"), Some("/admin/"));
    let r = b
        .sign_in("kari@trondheim.kommune.no", "feil passord her")
        .await;
    assert!(
        r.text()
            .contains("The email address or the password is wrong.")
    );
    b.sign_in("kari@trondheim.kommune.no", PASSWORD).await;
    let list = b.get("/admin/").await.text();
    assert!(list.contains("<html lang=\"en\">") && list.contains("Calls for input"));
    assert!(
        list.contains("An open call"),
        "call titles in the chosen language"
    );
    // A language the console does not speak changes nothing; nor does a way off the console.
    let odd = b.get("/admin/lang/de?next=https://evil.example/").await;
    assert_eq!(odd.header("location"), Some("/admin/"));
    assert!(b.get("/admin/").await.text().contains("<html lang=\"en\">"));
}

#[tokio::test]
async fn an_unknown_console_path_is_a_404_page() {
    let app = TestApp::new();
    let r = app
        .send(crate::feedback_support::get("/admin/nothing/here"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        r.text()
            .contains("Svarpulten har ingen side på denne adressen.")
    );
}

/// Sessions live in the store: signed in on one instance, the cookie works on another that
/// shares the database, and signing out there ends it everywhere.
#[tokio::test]
async fn a_session_works_across_two_endpoint_processes_sharing_one_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("feedback.sqlite");
    {
        let spec = torget::feedback::store::DbSpec::Sqlite(db.clone());
        let store =
            torget::feedback::store::open(&spec, torget::feedback::store::IfMissing::Create)
                .unwrap();
        add_staff(&*store, "kari@trondheim.kommune.no", Role::Admin).await;
        store.close().await;
    }
    let env = [("TORGET_FORM_SECRET", "delt hemmelighet for begge")];
    let a = Server::start(&fixture_site(), &db, &env);
    let b = Server::start(&fixture_site(), &db, &env);
    let (ha, hb) = (Http::new(a.addr), Http::new(b.addr));
    let origin = |s: &Server| format!("http://{}", s.addr);

    let post = |http: &Http, path: &str, origin: String, cookie: String, body: String| {
        let req = Request::post(format!("{}{path}", http.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", origin)
            .header("cookie", cookie)
            .body(Full::new(body.into()))
            .unwrap();
        let http = http.clone();
        async move { http.send(req).await.unwrap() }
    };
    let cookie_of = |r: &Resp, name: &str| -> String {
        r.headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap())
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(|c| c.split(';').next().unwrap().to_string())
            .unwrap_or_else(|| panic!("no {name} cookie"))
    };

    // The sign-in form from A, posted to B: with TORGET_FORM_SECRET they agree on its token.
    let form = ha.get("/admin/login", &[]).await.unwrap();
    let login_cookie = cookie_of(&form, "torget_login");
    let csrf = csrf_of(&form.text());
    let signed_in = post(
        &ha,
        "/admin/login",
        origin(&a),
        login_cookie,
        format!(
            "csrf={csrf}&email=kari%40trondheim.kommune.no&password={}",
            enc(PASSWORD)
        ),
    )
    .await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.text()
    );
    let session = cookie_of(&signed_in, "torget_session");

    let on_b = hb.get("/admin/", &[("cookie", &session)]).await.unwrap();
    assert_eq!(on_b.status, StatusCode::OK, "B knows A's session");
    let csrf = csrf_of(&on_b.text());
    let out = post(
        &hb,
        "/admin/logout",
        origin(&b),
        session.clone(),
        format!("csrf={csrf}"),
    )
    .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);

    let on_a = ha.get("/admin/", &[("cookie", &session)]).await.unwrap();
    assert_eq!(on_a.status, StatusCode::SEE_OTHER, "A no longer accepts it");
    assert!(
        on_a.header("location").unwrap().starts_with("/admin/login"),
        "{:?}",
        on_a.header("location")
    );
}

/// Posts `n` answers to the fixture's open call through the API, the `i`-th choosing option
/// `pick(i)` (in Bokmål) with the scale at `i % 5 + 1`.
pub(crate) async fn answer(app: &TestApp, n: usize, pick: impl Fn(usize) -> &'static str) {
    for i in 0..n {
        let mut answers = crate::feedback_support::valid_answers();
        answers["pick"] = pick(i).into();
        answers["n"] = ((i % 5) as i64 + 1).into();
        answers["t"] = format!("Svar nummer {i}").into();
        let r = app
            .send(crate::feedback_support::json_post(
                "/api/calls/open-call/responses",
                serde_json::json!({"lang": "nb", "answers": answers}),
            ))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
}

async fn summary_count(app: &TestApp, option: &str) -> u64 {
    let s = app
        .send(crate::feedback_support::get("/api/calls/open-call/summary"))
        .await
        .json();
    let pick = (s["questions"].as_array().unwrap().iter())
        .find(|q| q["id"] == "pick")
        .unwrap()
        .clone();
    (pick["options"].as_array().unwrap().iter())
        .find(|o| o["labels"]["nb"] == option)
        .unwrap()["count"]
        .as_u64()
        .unwrap()
}

/// The ids of the answers a call page shows, in order.
pub(crate) fn answer_ids(html: &str) -> Vec<i64> {
    html.split("<h2 id=\"r")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().parse().unwrap())
        .collect()
}

#[tokio::test]
async fn a_calls_answers_are_listed_newest_first_under_their_questions_paged_and_filtered() {
    let app = TestApp::new();
    add_staff(&*app.store, "kari@trondheim.kommune.no", Role::Editor).await;
    answer(
        &app,
        23,
        |i| if i % 2 == 0 { "På nett" } else { "På papir" },
    )
    .await;
    let mut b = Browser::new(&app);
    b.sign_in("kari@trondheim.kommune.no", PASSWORD).await;

    let list = b.get("/admin/").await.text();
    assert!(list.contains("<a href=\"/admin/calls/open-call\">En åpen innspillsrunde</a>"));
    assert!(list.contains("<details><summary>Svar per dag: En åpen innspillsrunde</summary>"));

    let first = b.get("/admin/calls/open-call").await;
    assert_eq!(first.status, StatusCode::OK);
    let html = first.text();
    let ids = answer_ids(&html);
    assert_eq!(ids.len(), 20, "a page holds 20");
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    assert!(
        html.contains("<dt>Hvilken?</dt><dd>På papir</dd>"),
        "question texts, not ids"
    );
    assert!(html.contains("23 svar med disse filtrene. Side 1"));
    assert!(html.contains("rel=\"next\""));
    // The chart of the choice question, with its table.
    assert!(
        html.contains("<th scope=\"row\">På nett</th><td class=\"n\">12</td>"),
        "{html}"
    );
    let second = b.get("/admin/calls/open-call?page=2").await.text();
    assert_eq!(answer_ids(&second).len(), 3);
    let past = b.get("/admin/calls/open-call?page=3").await;
    assert_eq!(past.status, StatusCode::NOT_FOUND);

    // Option 1 is "På papir"; the scale's 3 is every fifth answer from the third.
    let paper = b.get("/admin/calls/open-call?answer=pick%3A1").await.text();
    assert!(paper.contains("11 svar med disse filtrene."), "{paper}");
    assert!(!paper.contains("<dd>På nett</dd>"));
    let three = b
        .get("/admin/calls/open-call?answer=n%3A3&lang=nb")
        .await
        .text();
    assert!(three.contains("5 svar med disse filtrene."));
    let tomorrow = (Timestamp::now() + jiff::SignedDuration::from_hours(48))
        .strftime("%Y-%m-%d")
        .to_string();
    let none = b
        .get(&format!("/admin/calls/open-call?from={tomorrow}"))
        .await
        .text();
    assert!(none.contains("0 svar med disse filtrene."));

    for (bad, says) in [
        (
            "answer=pick%3A9",
            "Filteret nevner et svar innspillsrunden ikke har.",
        ),
        ("from=1.+mai", "Skriv datoer som 2026-05-01."),
        (
            "lang=de",
            "Språket i filteret er ikke et av innspillsrundens språk.",
        ),
    ] {
        let r = b.get(&format!("/admin/calls/open-call?{bad}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(r.text().contains(says), "{bad}: {}", r.text());
    }
    let unknown = b.get("/admin/calls/no-such-call").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn hiding_needs_a_reason_leaves_the_public_counts_and_is_audited_then_undone() {
    let app = TestApp::new();
    add_staff(&*app.store, "kari@trondheim.kommune.no", Role::Editor).await;
    answer(&app, 3, |_| "På nett").await;
    let mut b = Browser::new(&app);
    b.sign_in("kari@trondheim.kommune.no", PASSWORD).await;
    let html = b.get("/admin/calls/open-call").await.text();
    let id = answer_ids(&html)[0];
    let csrf = csrf_of(&html);
    let hide = format!("/admin/calls/open-call/answers/{id}/hide");
    assert_eq!(summary_count(&app, "På nett").await, 3);

    let no_reason = b
        .post(&hide, SITE_ORIGIN, &format!("csrf={csrf}&reason=+"))
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.text().contains("Skriv en grunn"));
    let no_token = b.post(&hide, SITE_ORIGIN, "reason=Telefonnummer").await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    let foreign = b
        .post(
            &hide,
            "https://evil.example",
            &format!("csrf={csrf}&reason=Telefonnummer"),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    // An id that is no answer of this call, in the path of another call.
    let other = b
        .post(
            &format!("/admin/calls/closed-call/answers/{id}/hide"),
            SITE_ORIGIN,
            &format!("csrf={csrf}&reason=Telefonnummer"),
        )
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(
        summary_count(&app, "På nett").await,
        3,
        "nothing changed yet"
    );

    let hidden = b
        .post(
            &hide,
            SITE_ORIGIN,
            &format!(
                "csrf={csrf}&reason=Inneholder+et+telefonnummer&back=%2Fadmin%2Fcalls%2Fopen-call"
            ),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::SEE_OTHER, "{}", hidden.text());
    assert_eq!(hidden.header("location"), Some("/admin/calls/open-call"));
    assert_eq!(
        summary_count(&app, "På nett").await,
        2,
        "left the public counts"
    );
    let page = b.get("/admin/calls/open-call").await.text();
    assert!(page.contains("Skjult fra de offentlige tallene av kari@trondheim.kommune.no"));
    assert!(page.contains("Inneholder et telefonnummer"));
    let only_hidden = b.get("/admin/calls/open-call?show=hidden").await.text();
    assert_eq!(answer_ids(&only_hidden), vec![id]);

    let shown = b
        .post(
            &format!("/admin/calls/open-call/answers/{id}/unhide"),
            SITE_ORIGIN,
            &format!("csrf={csrf}"),
        )
        .await;
    assert_eq!(shown.status, StatusCode::SEE_OTHER);
    assert_eq!(summary_count(&app, "På nett").await, 3);

    let log = audit_actions(&app).await;
    assert_eq!(
        log[1..],
        [
            (
                "kari@trondheim.kommune.no".to_string(),
                "answer.hide".to_string(),
                format!("{id}: Inneholder et telefonnummer")
            ),
            (
                "kari@trondheim.kommune.no".to_string(),
                "answer.unhide".to_string(),
                id.to_string()
            ),
        ]
    );
    assert!(
        !format!("{log:?}").contains("Svar nummer"),
        "no answer text in the log"
    );
}

#[tokio::test]
async fn deleting_asks_to_confirm_with_a_reason_and_removes_the_answer() {
    let app = TestApp::new();
    add_staff(&*app.store, "kari@trondheim.kommune.no", Role::Editor).await;
    answer(&app, 2, |_| "Annet").await;
    let mut b = Browser::new(&app);
    b.sign_in("kari@trondheim.kommune.no", PASSWORD).await;
    let html = b.get("/admin/calls/open-call").await.text();
    let id = answer_ids(&html)[0];
    let path = format!("/admin/calls/open-call/answers/{id}/delete");
    assert!(html.contains(&format!(
        "<a href=\"{path}?back=%2Fadmin%2Fcalls%2Fopen-call\">"
    )));

    let confirm = b
        .get(&format!("{path}?back=%2Fadmin%2Fcalls%2Fopen-call"))
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    let page = confirm.text();
    assert!(page.contains("Slette svar"), "{page}");
    assert!(
        page.contains("Svar nummer 1"),
        "the answer is shown before it goes"
    );
    let csrf = csrf_of(&page);
    let no_reason = b.post(&path, SITE_ORIGIN, &format!("csrf={csrf}")).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.stored().await, 2);

    // Deleted from a later page of a filtered list: back to that list's first page, since
    // the page it was on may no longer exist (it answered 404 "past the end").
    let deleted = b
        .post(
            &path,
            SITE_ORIGIN,
            &format!(
                "csrf={csrf}&reason=Personopplysninger&back={}",
                enc("/admin/calls/open-call?lang=nb&page=2")
            ),
        )
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert_eq!(
        deleted.header("location"),
        Some("/admin/calls/open-call?lang=nb")
    );
    assert_eq!(app.stored().await, 1);
    assert_eq!(summary_count(&app, "Annet").await, 1);
    let again = b
        .post(
            &path,
            SITE_ORIGIN,
            &format!("csrf={csrf}&reason=Personopplysninger"),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "gone");
    assert_eq!(b.get(&path).await.status, StatusCode::NOT_FOUND);
    let last = audit_actions(&app).await.pop().unwrap();
    assert_eq!(
        last,
        (
            "kari@trondheim.kommune.no".into(),
            "answer.delete".into(),
            format!("{id}: Personopplysninger")
        )
    );
}

#[tokio::test]
async fn exports_download_every_answer_and_are_audited() {
    let app = TestApp::new();
    add_staff(&*app.store, "kari@trondheim.kommune.no", Role::Editor).await;
    answer(&app, 3, |_| "På nett").await;
    let anonymous = app
        .send(crate::feedback_support::get(
            "/admin/calls/open-call/export.csv",
        ))
        .await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "staff only");
    let mut b = Browser::new(&app);
    b.sign_in("kari@trondheim.kommune.no", PASSWORD).await;
    let page = b.get("/admin/calls/open-call").await.text();
    assert!(page.contains("<a href=\"/admin/calls/open-call/export.csv\" download>"));

    let csv = b.get("/admin/calls/open-call/export.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(
        csv.header("content-disposition"),
        Some("attachment; filename=\"open-call-answers.csv\"")
    );
    assert_eq!(csv.header("cache-control"), Some("no-store"));
    assert_eq!(csv.text().matches("Svar nummer").count(), 3);
    let json = b.get("/admin/calls/open-call/export.json").await;
    assert_eq!(json.json()["responses"].as_array().unwrap().len(), 3);
    assert!(page.contains("<a href=\"/admin/calls/open-call/export.xlsx\" download>"));
    let xlsx = b.get("/admin/calls/open-call/export.xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(
        xlsx.header("content-disposition"),
        Some("attachment; filename=\"open-call-answers.xlsx\"")
    );
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(xlsx.body.to_vec())).unwrap();
    let answers = book.worksheet_range("Svar").unwrap();
    assert_eq!(answers.height(), 4, "a header row and the three answers");
    assert_eq!(
        b.get("/admin/calls/nope/export.csv").await.status,
        StatusCode::NOT_FOUND
    );

    let log = audit_actions(&app).await;
    let exports: Vec<_> = log.iter().filter(|l| l.1.starts_with("export.")).collect();
    assert_eq!(exports.len(), 3, "{log:?}");
    assert_eq!(exports[0].1, "export.csv");
    assert_eq!(exports[0].2, "3 answers");
    let entries = app.store.audit_log(0, 10).await.unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.action == "export.json" && e.call.as_deref() == Some("open-call"))
    );
}
