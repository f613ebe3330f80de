//! The feedback endpoint driven through its router (`oneshot`) and over a real socket on
//! 127.0.0.1: bad inputs, spam defences, closed and unknown calls, withdrawal, admin auth,
//! CSV neutralising, summary counts, and the built sample site's own form.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use crate::feedback_support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use torget::feedback::answers::Answer;
use torget::feedback::receipt::{Receipt, ReceiptHash};
use torget::feedback::staff::{
    AddressKey, AuditEntry, Failures, NewStaff, Session, Setup, Staff, TokenHash,
};
use torget::feedback::store::{
    BoxFuture, Change, CountKey, Counts, Delete, Filter, Hidden, NewResponse, Store, StoreError,
    StoredResponse, Tag, Theme,
};
use torget::results_json::ResultsFile;

const RESPONSES: &str = "/api/calls/open-call/responses";

/// One bad request and what the endpoint must say to it.
struct Bad {
    what: &'static str,
    req: Request<Body>,
    status: StatusCode,
    message: &'static str,
    errors: Value,
}

/// Posts a valid answer to the open call; returns its receipt.
async fn answer(app: &TestApp) -> String {
    app.send(json_post(RESPONSES, json_body(valid_answers(), "nb")))
        .await
        .json()["receipt"]
        .as_str()
        .unwrap()
        .to_string()
}

fn json_body(answers: Value, lang: &str) -> Value {
    json!({"lang": lang, "answers": answers, "website": ""})
}

fn with(mut base: Value, key: &str, v: Value) -> Value {
    base[key] = v;
    base
}

fn without(mut base: Value, key: &str) -> Value {
    base.as_object_mut().unwrap().remove(key);
    base
}

fn bad_inputs() -> Vec<Bad> {
    let ok = valid_answers();
    vec![
        Bad {
            what: "unknown call",
            req: json_post(
                "/api/calls/no-such-call/responses",
                json_body(ok.clone(), "nb"),
            ),
            status: StatusCode::NOT_FOUND,
            message: "Vi finner ikke denne innspillsrunden. Sjekk lenken, eller se oversikten over innspillsrunder på nettstedet.",
            errors: Value::Null,
        },
        Bad {
            what: "closed call",
            req: json_post(
                "/api/calls/closed-call/responses",
                json_body(json!({"pick": "Ja"}), "nb"),
            ),
            status: StatusCode::CONFLICT,
            message: "Denne innspillsrunden ble avsluttet lørdag 1. februar 2020 kl. 23.59, så vi kan ikke ta imot flere svar.",
            errors: Value::Null,
        },
        Bad {
            what: "call not yet open, in English",
            req: json_post(
                "/api/calls/upcoming-call/responses",
                json_body(json!({"t": "hi"}), "en"),
            ),
            status: StatusCode::CONFLICT,
            message: "This call for input opens on Saturday 1 March 2098, 09:00. Please come back then.",
            errors: Value::Null,
        },
        Bad {
            what: "required answers missing",
            req: json_post(
                RESPONSES,
                json_body(without(without(ok.clone(), "pick"), "n"), "nb"),
            ),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: "Noen av svarene må rettes før skjemaet kan sendes inn.",
            errors: json!([
                {"question": "pick", "message": "Dette spørsmålet må besvares."},
                {"question": "n", "message": "Dette spørsmålet må besvares."}
            ]),
        },
        Bad {
            what: "an option that is not offered",
            req: json_post(
                RESPONSES,
                json_body(with(ok.clone(), "pick", json!("Per brevdue")), "en"),
            ),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: "Some answers need correcting before the form can be sent.",
            errors: json!([{"question": "pick", "message": "Choose from the options given."}]),
        },
        Bad {
            what: "a multi-choice option that is not offered",
            req: json_post(
                RESPONSES,
                json_body(with(ok.clone(), "many", json!(["Is", "Snø"])), "nb"),
            ),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: "Noen av svarene må rettes før skjemaet kan sendes inn.",
            errors: json!([{"question": "many", "message": "Velg blant svaralternativene."}]),
        },
        Bad {
            what: "scale above its range",
            req: json_post(RESPONSES, json_body(with(ok.clone(), "n", json!(6)), "nb")),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: "Noen av svarene må rettes før skjemaet kan sendes inn.",
            errors: json!([{"question": "n", "message": "Velg et helt tall fra 1 til 5."}]),
        },
        Bad {
            what: "scale below a call's own range",
            req: json_post(
                RESPONSES,
                json_body(with(ok.clone(), "mood", json!(-3)), "en"),
            ),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: "Some answers need correcting before the form can be sent.",
            errors: json!([{"question": "mood", "message": "Choose a whole number from -2 to 2."}]),
        },
        Bad {
            what: "scale that is not a whole number",
            req: json_post(
                RESPONSES,
                json_body(with(ok.clone(), "n", json!(2.5)), "en"),
            ),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: "Some answers need correcting before the form can be sent.",
            errors: json!([{"question": "n", "message": "Choose a whole number from 1 to 5."}]),
        },
        Bad {
            what: "text longer than 10,000 characters",
            req: json_post(
                RESPONSES,
                json_body(with(ok.clone(), "long", json!("å".repeat(10_001))), "nb"),
            ),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: "Noen av svarene må rettes før skjemaet kan sendes inn.",
            errors: json!([{"question": "long", "message": "Svaret er for langt: 10001 tegn, men høyst 10000 er tillatt."}]),
        },
        Bad {
            what: "text longer than the question allows",
            req: json_post(
                RESPONSES,
                json_body(with(ok.clone(), "t", json!("x".repeat(201))), "en"),
            ),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: "Some answers need correcting before the form can be sent.",
            errors: json!([{"question": "t", "message": "The answer is too long: 201 characters, but at most 200 are allowed."}]),
        },
        Bad {
            what: "two answers to a single-choice question",
            req: json_post(
                RESPONSES,
                json_body(with(ok.clone(), "pick", json!(["På nett", "Annet"])), "en"),
            ),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: "Some answers need correcting before the form can be sent.",
            errors: json!([{"question": "pick", "message": "Give only one answer to this question."}]),
        },
        Bad {
            what: "an answer of the wrong kind",
            req: json_post(
                RESPONSES,
                json_body(with(ok.clone(), "t", json!(true)), "en"),
            ),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: "Some answers need correcting before the form can be sent.",
            errors: json!([{"question": "t", "message": "The answer must be text."}]),
        },
        Bad {
            what: "a question the call does not have",
            req: json_post(
                RESPONSES,
                json_body(with(ok.clone(), "age", json!(40)), "en"),
            ),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: "Some answers need correcting before the form can be sent.",
            errors: json!([{"question": "age", "message": "This call for input has no question with this id."}]),
        },
        Bad {
            what: "malformed JSON",
            req: Request::post(RESPONSES)
                .header("content-type", "application/json")
                .body(Body::from("{\"lang\": \"en\", \"answers\": {"))
                .unwrap(),
            status: StatusCode::BAD_REQUEST,
            message: "Svarene er ikke gyldig JSON av formen {\"lang\": \"nb\", \"answers\": {...}}.",
            errors: Value::Null,
        },
        Bad {
            what: "JSON with a field the contract does not have",
            req: json_post(
                RESPONSES,
                with(json_body(ok.clone(), "en"), "email", json!("a@b.no")),
            ),
            status: StatusCode::BAD_REQUEST,
            // The body was not understood, so neither was its `lang`: the default language.
            message: "Svarene er ikke gyldig JSON av formen {\"lang\": \"nb\", \"answers\": {...}}.",
            errors: Value::Null,
        },
        Bad {
            what: "a form that is not UTF-8",
            req: Request::post(RESPONSES)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .header("accept-language", "en")
                .body(Body::from("lang=en&pick=P%E5+nett&n=3"))
                .unwrap(),
            status: StatusCode::BAD_REQUEST,
            message: "The form was not sent as UTF-8. Send it from the site’s page, or use UTF-8.",
            errors: Value::Null,
        },
        Bad {
            what: "a body over 64 KiB",
            req: json_post(
                RESPONSES,
                json_body(with(ok.clone(), "long", json!("x".repeat(70_000))), "en"),
            ),
            status: StatusCode::PAYLOAD_TOO_LARGE,
            message: "Svaret er for stort til å sendes (høyst 64 KiB i alt). Gjør de lengste svarene kortere og send igjen.",
            errors: Value::Null,
        },
        Bad {
            what: "a media type that is neither form nor JSON",
            req: Request::post(RESPONSES)
                .header("content-type", "text/plain")
                .header("accept-language", "en-GB,en;q=0.8")
                .body(Body::from("pick=Online"))
                .unwrap(),
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            message: "Send the answers as a plain form (application/x-www-form-urlencoded) or as JSON (application/json).",
            errors: Value::Null,
        },
        Bad {
            what: "a filled honeypot",
            req: json_post(
                RESPONSES,
                with(
                    json_body(ok.clone(), "en"),
                    "website",
                    json!("http://spam.example"),
                ),
            ),
            status: StatusCode::BAD_REQUEST,
            message: "The form was filled in the way only automated programs do (the hidden field “website” must be empty). If you are a person, reload the page and try again.",
            errors: Value::Null,
        },
        Bad {
            what: "a post from another site",
            req: Request::post(RESPONSES)
                .header("content-type", "application/json")
                .header("origin", "https://evil.example")
                .header("accept-language", "nb")
                .body(Body::from(json_body(ok.clone(), "nb").to_string()))
                .unwrap(),
            status: StatusCode::FORBIDDEN,
            message: "Skjemaet kan bare sendes fra nettstedet det hører til. Åpne innspillsrunden på nettstedet og send derfra.",
            errors: Value::Null,
        },
        Bad {
            what: "a forged form token",
            req: json_post(
                RESPONSES,
                with(
                    json_body(ok.clone(), "en"),
                    "form_token",
                    json!("1.00112233445566778899aabbccddeeff"),
                ),
            ),
            status: StatusCode::BAD_REQUEST,
            message: "The form does not belong to this call for input or has been altered. Reload the page and send again.",
            errors: Value::Null,
        },
    ]
}

#[tokio::test]
async fn bad_inputs_get_the_right_status_and_message_and_store_nothing() {
    let app = TestApp::new();
    for bad in bad_inputs() {
        let res = app.send(bad.req).await;
        assert_eq!(res.status, bad.status, "{}: {}", bad.what, res.text());
        let body = res.json();
        assert_eq!(body["message"], bad.message, "{}", bad.what);
        assert_eq!(body["errors"], bad.errors, "{}", bad.what);
        assert_eq!(app.stored().await, 0, "{} stored something", bad.what);
    }
}

#[tokio::test]
async fn a_json_answer_is_stored_and_acknowledged_with_a_receipt() {
    let app = TestApp::new();
    let res = app
        .send(json_post(RESPONSES, json_body(valid_answers(), "en")))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let body = res.json();
    assert_eq!(body["thanks_url"], "/en/thanks/");
    let receipt = body["receipt"].as_str().unwrap();
    assert_eq!(receipt.len(), 24);
    let stored = app.store.responses("open-call".into()).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].lang, "en");
    // Choices are stored in the default language whatever language they were given in.
    assert_eq!(stored[0].answers["pick"], Answer::Text("På nett".into()));
    assert_eq!(stored[0].answers["n"], Answer::Number(4));
}

#[tokio::test]
async fn a_plain_form_post_without_script_gets_its_receipt_on_a_page() {
    let app = TestApp::new();
    let res = app
        .send(form_post(
            RESPONSES,
            "lang=en&website=&pick=On+paper&many=Ice&many=Hills&n=2&mood=&t=&long=Line+one%0D%0ALine+two",
        ))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let location = res.header("location").unwrap().to_string();
    assert!(
        location.starts_with("thanks?lang=en&receipt="),
        "{location}"
    );
    let receipt = location.rsplit('=').next().unwrap().to_string();

    let page = app
        .send(get(&format!("/api/calls/open-call/{location}")))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(page.header("cache-control"), Some("no-store"));
    let html = page.text();
    assert!(
        html.contains(&format!(
            "<code data-receipt>{}</code>",
            receipt.replace('-', "-<wbr>")
        )),
        "{html}"
    );
    assert!(
        html.contains("<base href=\"https://site.example/en/thanks/\">"),
        "{html}"
    );
    assert!(html.contains("Thank you for your input!"));

    let stored = app.store.responses("open-call".into()).await.unwrap();
    assert_eq!(
        stored[0].answers["long"],
        Answer::Text("Line one\nLine two".into())
    );
    assert_eq!(
        stored[0].answers["many"],
        Answer::List(vec!["Is".into(), "Bakker".into()])
    );
    assert!(!stored[0].answers.contains_key("mood"));
}

#[tokio::test]
async fn a_plain_form_post_with_problems_gets_a_page_in_its_language() {
    let app = TestApp::new();
    let res = app
        .send(form_post(RESPONSES, "lang=nb&website=&pick=&n=9"))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text();
    assert!(html.contains("<h1>Svaret ble ikke sendt</h1>"), "{html}");
    assert!(html.contains("<li><strong>pick</strong>: Dette spørsmålet må besvares.</li>"));
    assert!(html.contains("<li><strong>n</strong>: Velg et helt tall fra 1 til 5.</li>"));
    assert!(html.contains("Gå tilbake i nettleseren"));
    assert!(html.contains("<title>Svaret ble ikke sendt – Testkommunen</title>"));
    assert!(
        html.contains("<footer>Bunntekst</footer>"),
        "framed by the site"
    );
    assert_eq!(app.stored().await, 0);

    let closed = app
        .send(form_post(
            "/api/calls/closed-call/responses",
            "lang=en&pick=Yes",
        ))
        .await;
    assert_eq!(closed.status, StatusCode::CONFLICT);
    assert!(
        closed
            .text()
            .contains("This call for input closed on Saturday 1 February 2020, 23:59")
    );
}

#[tokio::test]
async fn form_tokens_enforce_a_minimum_fill_time_and_expire() {
    let app = TestApp::new();
    let token = app.send(get("/api/calls/open-call/form-token")).await;
    assert_eq!(token.status, StatusCode::OK);
    assert_eq!(token.json()["min_seconds"], 3);
    let token = token.json()["token"].as_str().unwrap().to_string();
    let post = |token: &str| {
        json_post(
            RESPONSES,
            with(json_body(valid_answers(), "en"), "form_token", json!(token)),
        )
    };

    let fast = app.send(post(&token)).await;
    assert_eq!(fast.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        fast.json()["message"],
        "The form was sent unusually quickly. Wait a few seconds and send it again."
    );
    app.state.clock.advance(Duration::from_secs(4));
    assert_eq!(app.send(post(&token)).await.status, StatusCode::CREATED);

    let other = app
        .send(get("/api/calls/closed-call/form-token"))
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    app.state.clock.advance(Duration::from_secs(4));
    let wrong_call = app.send(post(&other)).await;
    assert_eq!(
        wrong_call.status,
        StatusCode::BAD_REQUEST,
        "a token is for one call"
    );

    app.state.clock.advance(Duration::from_secs(3600));
    let old = app.send(post(&token)).await;
    assert_eq!(old.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        old.json()["message"],
        "The form has been open for too long. Reload the page and send again; your answers are still in the form."
    );
    assert_eq!(app.stored().await, 1);
    assert_eq!(
        app.send(get("/api/calls/nope/form-token")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_rate_limit_stops_a_flood_and_says_when_to_retry() {
    let app = TestApp::with(|o| o.rate_limit = 3);
    for _ in 0..3 {
        let res = app
            .send(json_post(RESPONSES, json_body(valid_answers(), "nb")))
            .await;
        assert_eq!(res.status, StatusCode::CREATED);
    }
    let res = app
        .send(json_post(RESPONSES, json_body(valid_answers(), "nb")))
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.header("retry-after"), Some("20"));
    // It said "wait a few minutes" when the wait was seconds: say the wait, in their language.
    assert_eq!(
        res.json()["message"],
        "Det er sendt mange svar fra din tilkobling på kort tid. Vent 20 s og send igjen."
    );
    let mut page = form_post(RESPONSES, "lang=en");
    page.headers_mut()
        .insert("accept-language", "en".parse().unwrap());
    let page = app.send(page).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        page.text()
            .contains("Many answers have been sent from your connection in a short time. Wait 20 s and send again."),
        "{}",
        page.text()
    );
    assert_eq!(app.stored().await, 3);
}

#[tokio::test]
async fn withdrawal_deletes_the_answer() {
    let app = TestApp::new();
    let receipt = answer(&app).await;
    let keep = app
        .send(json_post(RESPONSES, json_body(valid_answers(), "nb")))
        .await;
    assert_eq!(keep.status, StatusCode::CREATED);
    assert_eq!(app.stored().await, 2);

    // Typed back carelessly: lower case, spaces for dashes.
    let typed = receipt.to_lowercase().replace('-', " ");
    let res = app
        .send(json_post(
            "/api/withdraw",
            json!({"receipt": typed, "lang": "en"}),
        ))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(
        res.json()["message"],
        "Your answer has been deleted. It is not merely hidden: we no longer have it."
    );
    assert_eq!(app.stored().await, 1);

    let again = app
        .send(json_post(
            "/api/withdraw",
            json!({"receipt": receipt, "lang": "nb"}),
        ))
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(
        again.json()["message"],
        "Vi finner ikke noe svar med denne kvitteringskoden. Sjekk at den er skrevet riktig; svaret kan også allerede være trukket tilbake eller slettet."
    );
    let empty = app
        .send(json_post(
            "/api/withdraw",
            json!({"receipt": " ", "lang": "en"}),
        ))
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        empty.json()["message"],
        "Enter the receipt code you were given when you answered."
    );
    assert_eq!(app.stored().await, 1);
}

/// A post refused before its body is decoded; `accept-language: en`.
fn refused_post(
    path: &str,
    content_type: &str,
    origin: Option<&str>,
    body: Vec<u8>,
) -> Request<Body> {
    let mut req = Request::post(path)
        .header("content-type", content_type)
        .header("accept", "application/json")
        .header("accept-language", "en");
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    req.body(Body::from(body)).unwrap()
}

#[tokio::test]
async fn a_withdrawal_is_refused_exactly_like_an_answer_before_its_body_is_read() {
    let app = TestApp::new();
    let cases = [
        // The origin comes first: a foreign post learns nothing about its body.
        (
            "text/plain",
            Some("https://evil.example"),
            b"x".to_vec(),
            StatusCode::FORBIDDEN,
        ),
        (
            "text/plain",
            None,
            b"x".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "application/json",
            None,
            vec![b' '; 70_000],
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        (
            "application/json",
            None,
            b"{".to_vec(),
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (content_type, origin, body, status) in cases {
        let to_answers = app
            .send(refused_post(RESPONSES, content_type, origin, body.clone()))
            .await;
        let to_withdraw = app
            .send(refused_post("/api/withdraw", content_type, origin, body))
            .await;
        assert_eq!(to_answers.status, status, "{content_type} {origin:?}");
        assert_eq!(to_withdraw.status, status, "{content_type} {origin:?}");
        assert_eq!(to_withdraw.json()["message"], to_answers.json()["message"]);
    }

    // One rate limit covers both posts.
    let limited = TestApp::with(|o| o.rate_limit = 1);
    let first = limited
        .send(refused_post(
            RESPONSES,
            "application/json",
            None,
            b"{".to_vec(),
        ))
        .await;
    assert_eq!(first.status, StatusCode::BAD_REQUEST);
    let second = limited
        .send(refused_post(
            "/api/withdraw",
            "application/json",
            None,
            b"{".to_vec(),
        ))
        .await;
    assert_eq!(second.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(second.header("retry-after").is_some());
}

#[tokio::test]
async fn withdrawal_by_plain_form_ends_on_a_confirmation_page() {
    let app = TestApp::new();
    let receipt = answer(&app).await;
    let res = app
        .send(form_post(
            "/api/withdraw",
            format!("lang=nb&receipt={receipt}"),
        ))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    // The call comes from the store: the form sent none.
    assert_eq!(
        res.header("location"),
        Some("withdrawn?lang=nb&call=open-call")
    );
    assert_eq!(app.stored().await, 0);
    let page = app.send(get("/api/withdrawn?lang=nb&call=open-call")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(
        html.contains("<h1>Svaret er trukket tilbake</h1>"),
        "{html}"
    );
    assert!(html.contains("Svaret ditt er slettet."));
    assert!(
        html.contains(
            "<p><a href=\"/innspill/open-call/\">Tilbake til «En åpen innspillsrunde»</a></p>"
        ),
        "{html}"
    );
    // A call the site does not have gets no link, and no error.
    let page = app.send(get("/api/withdrawn?lang=nb&call=nope")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text().contains("Tilbake til"));

    let unknown = app
        .send(form_post(
            "/api/withdraw",
            "lang=en&receipt=0000-0000-0000-0000-0000&call=open-call",
        ))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let html = unknown.text();
    assert!(html.contains("We cannot find an answer with this receipt code."));
    assert!(
        html.contains("<p><a href=\"/en/calls/open-call/\">Back to “An open call”</a></p>"),
        "the not-found page leads back to the call the form came from: {html}"
    );
}

fn admin_get(auth: &str, from: &str) -> Request<Body> {
    let mut req = Request::get("/api/admin/calls/open-call/responses?format=json")
        .header("authorization", auth)
        .body(Body::empty())
        .unwrap();
    let addr: std::net::SocketAddr = format!("{from}:40000").parse().unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    req
}

// A short TORGET_ADMIN_TOKEN was accepted, so a guessable one protected every answer.
#[test]
fn a_short_admin_token_is_refused_at_start_with_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = options(&dir);
    opts.admin_token = Some("hunter2-hunter2-hunter2-hunter2".into());
    let site = std::sync::Arc::new(torget::feedback::calls::SiteHandle::open(&opts.site).unwrap());
    let store = torget::feedback::store::open(&opts.db, torget::feedback::store::IfMissing::Create)
        .unwrap();
    let err = opts
        .state(site, store)
        .err()
        .expect("a short token is refused");
    assert_eq!(
        err.to_string(),
        "TORGET_ADMIN_TOKEN has 31 characters, fewer than the 32 needed to resist guessing: \
         make one with `openssl rand -base64 32`"
    );
}

// Wrong admin tokens could be tried as fast as the network allowed.
#[tokio::test]
async fn wrong_admin_tokens_from_one_address_are_throttled_with_retry_after() {
    let app = TestApp::new();
    for i in 0..10 {
        let res = app.send(admin_get("Bearer wrong", "192.0.2.7")).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let res = app.send(admin_get("Bearer wrong", "192.0.2.7")).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.header("retry-after"), Some("6"));
    assert_eq!(
        res.json()["message"],
        "too many wrong admin tokens from this address: wait 6 seconds"
    );
    // Even the right token waits, or guessing would only need to be a little slower.
    let right = format!("Bearer {ADMIN_TOKEN}");
    let res = app.send(admin_get(&right, "192.0.2.7")).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    // Another address is not held back.
    let res = app.send(admin_get(&right, "192.0.2.8")).await;
    assert_eq!(res.status, StatusCode::OK);
}

// `Authorization: bearer <token>` was refused, though RFC 7235 makes the scheme case-insensitive.
#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let app = TestApp::new();
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let res = app
            .send(admin_get(&format!("{scheme} {ADMIN_TOKEN}"), "192.0.2.9"))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{scheme}");
    }
}

#[tokio::test]
async fn admin_routes_need_the_token_and_are_off_without_it() {
    let off = TestApp::with(|o| o.admin_token = None);
    let res = off
        .send(get("/api/admin/calls/open-call/responses?format=csv"))
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(
        res.json()["message"],
        "admin routes are off: start the endpoint with TORGET_ADMIN_TOKEN set to enable them"
    );

    let app = TestApp::new();
    let path = "/api/admin/calls/open-call/responses?format=json";
    let cases = [
        (None, StatusCode::UNAUTHORIZED),
        (Some("Bearer wrong".to_string()), StatusCode::UNAUTHORIZED),
        (
            Some(format!("Bearer {ADMIN_TOKEN}x")),
            StatusCode::UNAUTHORIZED,
        ),
        (
            Some(format!("Basic {ADMIN_TOKEN}")),
            StatusCode::UNAUTHORIZED,
        ),
        (Some(format!("Bearer {ADMIN_TOKEN}")), StatusCode::OK),
    ];
    for (auth, status) in cases {
        let mut req = Request::get(path);
        if let Some(a) = &auth {
            req = req.header("authorization", a);
        }
        let res = app.send(req.body(Body::empty()).unwrap()).await;
        assert_eq!(res.status, status, "{auth:?}");
        if status == StatusCode::UNAUTHORIZED {
            assert_eq!(res.header("www-authenticate"), Some("Bearer"));
            assert_eq!(
                res.json()["message"],
                "send the admin token from TORGET_ADMIN_TOKEN as `Authorization: Bearer <token>`"
            );
        }
    }
    let bad_format = app
        .send(
            Request::get("/api/admin/calls/open-call/responses?format=ods")
                .header("authorization", format!("Bearer {ADMIN_TOKEN}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(bad_format.status, StatusCode::BAD_REQUEST);
    // The token check is layered on the GET route only: another method is told so, token or not.
    let other_method = app
        .send(Request::delete(path).body(Body::empty()).unwrap())
        .await;
    assert_eq!(other_method.status, StatusCode::METHOD_NOT_ALLOWED);
}

/// A store whose disk is full: every call fails with what SQLite says, path and all.
struct FullDisk;

fn disk_full() -> StoreError {
    StoreError::Full("/var/lib/torget/feedback.sqlite: database or disk is full".into())
}

impl Store for FullDisk {
    fn insert(&self, _: NewResponse) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn withdraw(&self, _: ReceiptHash) -> BoxFuture<'_, Result<Option<String>, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn page(
        &self,
        _: String,
        _: Filter,
        _: u64,
        _: u32,
    ) -> BoxFuture<'_, Result<(Vec<StoredResponse>, u64), StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn per_day(
        &self,
        _: String,
        _: TimeZone,
    ) -> BoxFuture<'_, Result<Vec<(Date, u64)>, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn hide(&self, _: String, _: i64, _: Hidden) -> BoxFuture<'_, Result<bool, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn unhide(&self, _: String, _: i64) -> BoxFuture<'_, Result<bool, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn delete_response(&self, _: String, _: i64) -> BoxFuture<'_, Result<bool, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn changes(&self, _: i64, _: u32) -> BoxFuture<'_, Result<Vec<Change>, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn last_change(&self) -> BoxFuture<'_, Result<i64, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn responses(&self, _: String) -> BoxFuture<'_, Result<Vec<StoredResponse>, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn counts(&self, _: String, _: Vec<CountKey>) -> BoxFuture<'_, Result<Counts, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn delete(&self, _: Delete) -> BoxFuture<'_, Result<u64, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn close(&self) -> BoxFuture<'_, ()> {
        Box::pin(async {})
    }
    fn add_staff(&self, _: NewStaff) -> BoxFuture<'_, Result<bool, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn staff_list(&self) -> BoxFuture<'_, Result<Vec<Staff>, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn remove_staff(&self, _: String) -> BoxFuture<'_, Result<bool, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn set_password(&self, _: String, _: String) -> BoxFuture<'_, Result<bool, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn reset_staff(&self, _: String, _: Setup) -> BoxFuture<'_, Result<bool, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn password(&self, _: String) -> BoxFuture<'_, Result<Option<Option<String>>, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn setup_for(
        &self,
        _: TokenHash,
        _: Timestamp,
    ) -> BoxFuture<'_, Result<Option<String>, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn consume_setup(
        &self,
        _: TokenHash,
        _: Timestamp,
        _: String,
    ) -> BoxFuture<'_, Result<Option<String>, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn create_session(
        &self,
        _: TokenHash,
        _: String,
        _: Timestamp,
    ) -> BoxFuture<'_, Result<bool, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn session(
        &self,
        _: TokenHash,
        _: Timestamp,
        _: SignedDuration,
    ) -> BoxFuture<'_, Result<Option<Session>, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn touch_session(
        &self,
        _: TokenHash,
        _: Timestamp,
        _: SignedDuration,
    ) -> BoxFuture<'_, Result<bool, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn end_session(&self, _: TokenHash) -> BoxFuture<'_, Result<bool, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn record_failure(
        &self,
        _: String,
        _: AddressKey,
        _: Timestamp,
        _: Timestamp,
    ) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn failures_since(
        &self,
        _: String,
        _: AddressKey,
        _: Timestamp,
    ) -> BoxFuture<'_, Result<Failures, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn audit(&self, _: AuditEntry) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn audit_log(&self, _: u32, _: u32) -> BoxFuture<'_, Result<Vec<AuditEntry>, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn themes(&self, _: String) -> BoxFuture<'_, Result<Vec<Theme>, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn add_theme(
        &self,
        _: String,
        _: BTreeMap<String, String>,
    ) -> BoxFuture<'_, Result<i64, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn rename_theme(
        &self,
        _: String,
        _: i64,
        _: BTreeMap<String, String>,
    ) -> BoxFuture<'_, Result<bool, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn remove_theme(&self, _: String, _: i64) -> BoxFuture<'_, Result<bool, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn tag(&self, _: String, _: Tag, _: bool) -> BoxFuture<'_, Result<bool, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn tags(&self, _: String) -> BoxFuture<'_, Result<Vec<Tag>, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn publish(&self, _: ResultsFile) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn unpublish(&self, _: String) -> BoxFuture<'_, Result<bool, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
    fn published(&self, _: String) -> BoxFuture<'_, Result<Option<ResultsFile>, StoreError>> {
        Box::pin(async { Err(disk_full()) })
    }
}

/// Collects what the endpoint logs.
#[derive(Clone, Default)]
struct Log(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    fn take(&self) -> String {
        String::from_utf8(std::mem::take(&mut *self.0.lock().unwrap())).unwrap()
    }
}

#[tokio::test]
async fn a_failing_store_gives_503_logged_once_and_says_nothing_about_the_inside() {
    let log = Log::default();
    let writer = log.clone();
    let _logging = tracing::subscriber::set_default(
        tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish(),
    );
    let app = TestApp::with_store(|_| std::sync::Arc::new(FullDisk), |_| {});
    let receipt = Receipt::generate().unwrap().to_string();
    let requests = [
        json_post(RESPONSES, json_body(valid_answers(), "en")),
        json_post("/api/withdraw", json!({ "receipt": receipt, "lang": "en" })),
        Request::get("/api/calls/open-call/summary")
            .header("accept-language", "en")
            .body(Body::empty())
            .unwrap(),
        Request::get("/api/calls/open-call/results")
            .header("accept-language", "en")
            .body(Body::empty())
            .unwrap(),
        admin("/api/admin/calls/open-call/responses?format=csv"),
    ];
    for req in requests {
        let what = format!("{} {}", req.method(), req.uri().path());
        let res = app.send(req).await;
        assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE, "{what}");
        assert_eq!(res.header("cache-control"), Some("no-store"), "{what}");
        let message = res.json()["message"].as_str().unwrap().to_string();
        assert!(
            message.ends_with("try again in a moment."),
            "{what}: {message}"
        );
        for inside in ["sqlite", "/var/lib", "disk", "full"] {
            assert!(
                !res.text().contains(inside),
                "{what} said {inside:?}: {}",
                res.text()
            );
        }
        let logged = log.take();
        assert_eq!(
            logged.matches("database or disk is full").count(),
            1,
            "{what} logged: {logged}"
        );
        assert!(logged.contains("request failed"), "{what} logged: {logged}");
    }
}

fn admin(path: &str) -> Request<Body> {
    Request::get(path)
        .header("authorization", format!("Bearer {ADMIN_TOKEN}"))
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn the_csv_export_opens_safely_in_a_spreadsheet() {
    let app = TestApp::new();
    let answers = with(
        with(
            valid_answers(),
            "t",
            json!("=HYPERLINK(\"http://evil.example\")"),
        ),
        "long",
        json!("@SUM(A1)"),
    );
    let answers = with(answers, "mood", json!(-2));
    let res = app
        .send(json_post(RESPONSES, json_body(answers, "en")))
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let res = app
        .send(json_post(
            RESPONSES,
            json_body(with(valid_answers(), "t", json!("+47 73 00 00 00")), "nb"),
        ))
        .await;
    assert_eq!(res.status, StatusCode::CREATED);

    let csv = app
        .send(admin("/api/admin/calls/open-call/responses?format=csv"))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(
        csv.header("content-disposition"),
        Some("attachment; filename=\"open-call-responses.csv\"")
    );
    let text = csv.text();
    assert!(text.starts_with('\u{feff}'), "a BOM, so Excel reads UTF-8");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    // The questions by their text in the site's default language, as staff know them.
    assert_eq!(
        lines[0],
        "id,sendt,språk,skjult,Hvilken?,Hvilke?,Hvor mye?,Humør,Tema,Noe mer?"
    );
    let row1: Vec<&str> = lines[1].splitn(5, ',').collect();
    assert_eq!((row1[2], row1[3]), ("en", ""));
    assert!(row1[0].parse::<i64>().is_ok(), "{}", lines[1]);
    assert!(
        lines[1].ends_with(
            ",På nett,\"Is; Bakker\",4,-2,\"'=HYPERLINK(\"\"http://evil.example\"\")\",'@SUM(A1)"
        ),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].ends_with(",'+47 73 00 00 00,\"Mer lys, takk.\""),
        "{}",
        lines[2]
    );

    let json = app
        .send(admin("/api/admin/calls/open-call/responses?format=json"))
        .await
        .json();
    assert_eq!(json["responses"].as_array().unwrap().len(), 2);
    assert_eq!(
        json["responses"][0]["answers"]["t"],
        "=HYPERLINK(\"http://evil.example\")"
    );
    assert_eq!(json["questions"][0]["label"]["en"], "Which one?");
    assert!(json["responses"][0]["id"].is_i64());
    assert_eq!(json["responses"][0]["hidden"], Value::Null);

    let xlsx = app
        .send(admin("/api/admin/calls/open-call/responses?format=xlsx"))
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(
        xlsx.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    assert_eq!(
        xlsx.header("content-disposition"),
        Some("attachment; filename=\"open-call-responses.xlsx\"")
    );
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(xlsx.body.to_vec())).unwrap();
    assert_eq!(book.sheet_names(), ["Svar", "Antall"]);
    let answers = book.worksheet_range("Svar").unwrap();
    assert_eq!(
        answers.get_value((1, 8)),
        Some(&calamine::Data::String(
            "=HYPERLINK(\"http://evil.example\")".into()
        )),
        "a string cell, never a formula"
    );
}

#[tokio::test]
async fn the_summary_counts_responses_options_and_scale_values() {
    let app = TestApp::new();
    let posts = [
        (
            json!({"pick": "Online", "many": ["Ice", "Traffic"], "n": 5, "t": "secret words"}),
            "en",
        ),
        (json!({"pick": "På nett", "many": ["Is"], "n": 5}), "nb"),
        (json!({"pick": "Annet", "n": 1}), "nb"),
    ];
    for (answers, lang) in posts {
        let res = app
            .send(json_post(RESPONSES, json_body(answers, lang)))
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }
    let res = app.send(get("/api/calls/open-call/summary")).await;
    assert_eq!(res.status, StatusCode::OK);
    let s = res.json();
    assert_eq!(s["responses"], 3);
    let q = &s["questions"];
    let counts = |i: usize| -> Vec<u64> {
        q[i]["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["count"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(
        counts(0),
        [2, 0, 1],
        "pick: online twice, once in each language"
    );
    assert_eq!(
        q[0]["options"][0]["labels"],
        json!({"en": "Online", "nb": "På nett"})
    );
    assert_eq!(counts(1), [2, 1, 0]);
    assert_eq!(q[1]["answered"], 2);
    let scale: Vec<u64> = q[2]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["count"].as_u64().unwrap())
        .collect();
    assert_eq!(scale, [1, 0, 0, 0, 2]);
    assert_eq!(q[4], json!({"id": "t", "kind": "text", "answered": 1}));
    assert!(
        !res.text().contains("secret"),
        "text answers are never public"
    );

    let unknown = app.send(get("/api/calls/nope/summary")).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn keep_days_deletes_a_calls_responses_after_it_closed() {
    let app = TestApp::new();
    let insert = |call: &str| NewResponse {
        call_id: call.into(),
        lang: "nb".into(),
        submitted: "2020-01-15T12:00:00Z".parse().unwrap(),
        answers: [("pick".to_string(), Answer::Text("Ja".into()))].into(),
        receipt: torget::feedback::receipt::Receipt::generate()
            .unwrap()
            .hash(),
    };
    app.store.insert(insert("closed-call")).await.unwrap();
    app.store.insert(insert("open-call")).await.unwrap();
    // closed-call closed 2020-02-01 and keeps its responses for 30 days.
    let day_29 = "2020-03-01T12:00:00Z".parse().unwrap();
    assert_eq!(
        torget::feedback::apply_retention(&app.state, day_29)
            .await
            .unwrap(),
        0
    );
    let day_31 = "2020-03-03T12:00:00Z".parse().unwrap();
    assert_eq!(
        torget::feedback::apply_retention(&app.state, day_31)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        app.stored().await,
        1,
        "calls without keep_days keep their responses"
    );
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_json() {
    let app = TestApp::new();
    let res = app.send(get("/api/nothing-here")).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(
        res.json()["message"],
        "no such endpoint: see docs/api.md for the routes this server has"
    );
    let res = app.send(get(RESPONSES)).await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    let res = app.send(get("/healthz")).await;
    assert_eq!(res.json(), json!({"status": "ok"}));
}

#[tokio::test]
async fn calls_are_reloaded_when_the_site_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("public");
    std::fs::create_dir_all(site.join("data")).unwrap();
    let original = std::fs::read_to_string(fixture_site().join("data/calls.json")).unwrap();
    std::fs::write(site.join("data/calls.json"), &original).unwrap();
    let handle = torget::feedback::calls::SiteHandle::open(&site).unwrap();
    assert!(handle.get().call("new-call").is_none());
    assert!(!handle.reload_if_changed().unwrap());

    let rebuilt = original.replacen("\"id\": \"upcoming-call\"", "\"id\": \"new-call\"", 1);
    std::fs::write(site.join("data/calls.json"), rebuilt).unwrap();
    assert!(handle.reload_if_changed().unwrap());
    assert!(handle.get().call("new-call").is_some());

    // A broken rebuild keeps the calls in service.
    std::fs::write(site.join("data/calls.json"), "{").unwrap();
    assert!(handle.reload_if_changed().is_err());
    assert!(handle.get().call("new-call").is_some());
}

// ---- over a real socket ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_server_stores_answers_from_concurrent_clients() {
    let app = TestApp::new();
    let addr = app.spawn().await;
    let http = Http::new(addr);
    assert_eq!(
        http.get("/healthz", &[]).await.unwrap().status,
        StatusCode::OK
    );
    let mut tasks = Vec::new();
    for i in 0..16 {
        let http = http.clone();
        tasks.push(tokio::spawn(async move {
            let body = json_body(
                with(valid_answers(), "t", json!(format!("client {i}"))),
                "nb",
            );
            http.post_json(RESPONSES, &body).await.unwrap()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().status, StatusCode::CREATED);
    }
    assert_eq!(app.stored().await, 16);
    let bad = http
        .post_json(RESPONSES, &json_body(json!({"pick": "Nope"}), "en"))
        .await
        .unwrap();
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"][0]["question"], "pick");
    assert_eq!(app.stored().await, 16);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_server_rate_limits_by_client_address() {
    let app = TestApp::with(|o| o.rate_limit = 2);
    let addr = app.spawn().await;
    let http = Http::new(addr);
    let body = json_body(valid_answers(), "en");
    for _ in 0..2 {
        assert_eq!(
            http.post_json(RESPONSES, &body).await.unwrap().status,
            StatusCode::CREATED
        );
    }
    let res = http.post_json(RESPONSES, &body).await.unwrap();
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.stored().await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_server_allows_cors_only_for_the_sites_origin() {
    let app = TestApp::new();
    let http = Http::new(app.spawn().await);
    let preflight = |origin: &'static str| {
        Request::options(format!("{}{RESPONSES}", http.base))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .body(http_body_util::Full::new(axum::body::Bytes::new()))
            .unwrap()
    };
    let ok = http.send(preflight(SITE_ORIGIN)).await.unwrap();
    assert_eq!(
        ok.header("access-control-allow-origin"),
        Some(SITE_ORIGIN),
        "{:?}",
        ok.headers
    );
    let evil = http.send(preflight("https://evil.example")).await.unwrap();
    assert_eq!(evil.header("access-control-allow-origin"), None);
    let summary = http
        .get("/api/calls/open-call/summary", &[("origin", SITE_ORIGIN)])
        .await
        .unwrap();
    assert_eq!(
        summary.header("access-control-allow-origin"),
        Some(SITE_ORIGIN)
    );
}

// ---- the bundled sample site's own forms ----

/// The attributes of every `<input>` and `<textarea>` in a (non-minified) page.
fn form_fields(html: &str) -> Vec<HashMap<String, String>> {
    let mut fields = Vec::new();
    for tag in ["<input", "<textarea"] {
        let mut rest = html;
        while let Some(i) = rest.find(tag) {
            rest = &rest[i + tag.len()..];
            let end = rest.find('>').unwrap();
            let mut attrs = HashMap::new();
            attrs.insert("tag".to_string(), tag[1..].to_string());
            let mut s = &rest[..end];
            while let Some(eq) = s.find("=\"") {
                let name = s[..eq].rsplit([' ', '\n']).next().unwrap().to_string();
                let after = &s[eq + 2..];
                let close = after.find('"').unwrap();
                attrs.insert(name, after[..close].replace("&amp;", "&"));
                s = &after[close + 1..];
            }
            fields.push(attrs);
        }
    }
    fields
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".into(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// The bundled sample built (without its search index) into a temp folder: the folder and
/// the built site in it.
fn built_sample(minify: bool) -> (tempfile::TempDir, std::path::PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let mut build = torget::site::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    build.out = Some(out.path().join("public"));
    build.minify = Some(minify);
    build.search = false;
    torget::site::build(&build).unwrap();
    let site_dir = out.path().join("public");
    (out, site_dir)
}

#[tokio::test]
async fn the_sample_sites_forms_post_successfully_without_script_in_every_language() {
    let (_out, site_dir) = built_sample(false);
    let app = TestApp::with(|o| o.site = site_dir.clone());
    let calls: Value =
        serde_json::from_str(&std::fs::read_to_string(site_dir.join("data/calls.json")).unwrap())
            .unwrap();
    let now = jiff::Timestamp::now();
    let mut posted: HashMap<String, usize> = HashMap::new();
    for call in calls["calls"].as_array().unwrap() {
        let opens: jiff::Timestamp = call["opens"].as_str().unwrap().parse().unwrap();
        let closes: jiff::Timestamp = call["closes"].as_str().unwrap().parse().unwrap();
        if !(opens <= now && now < closes) {
            continue;
        }
        for (lang, l) in call["languages"].as_object().unwrap() {
            let url = l["url"].as_str().unwrap();
            let page =
                std::fs::read_to_string(site_dir.join(url.trim_matches('/')).join("index.html"))
                    .unwrap();
            // The answer form only: the header has a search form too.
            let page = &page[page.find("<form class=\"answer-form\"").unwrap()..];
            let page = &page[..page.find("</form>").unwrap()];
            let action = page
                .split("action=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap();
            assert_eq!(
                action,
                format!("/api/calls/{}/responses", call["id"].as_str().unwrap())
            );
            let mut body = Vec::new();
            let mut seen_radio = HashSet::new();
            let mut checkboxes = 0;
            for f in form_fields(page) {
                let Some(name) = f.get("name") else { continue };
                let kind = f.get("type").map(String::as_str).unwrap_or("text");
                let value = match (f["tag"].as_str(), kind) {
                    (_, "hidden") => f["value"].clone(),
                    (_, "radio") if seen_radio.insert(name.clone()) => f["value"].clone(),
                    (_, "radio") => continue,
                    (_, "checkbox") if checkboxes < 2 => {
                        checkboxes += 1;
                        f["value"].clone()
                    }
                    (_, "checkbox") => continue,
                    _ if name == "website" => String::new(),
                    _ => "Et svar – an answer".into(),
                };
                body.push(format!("{}={}", urlencode(name), urlencode(&value)));
            }
            let res = app.send(form_post(action, body.join("&"))).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{url}: {}", res.text());
            let location = res.header("location").unwrap();
            assert!(location.starts_with(&format!("thanks?lang={lang}&receipt=")));
            let thanks = app
                .send(get(&format!(
                    "{}/{location}",
                    action.trim_end_matches("/responses")
                )))
                .await;
            let receipt = location.rsplit('=').next().unwrap();
            assert!(
                thanks.text().contains(&format!(
                    "<code data-receipt>{}</code>",
                    receipt.replace('-', "-<wbr>")
                )),
                "the built thank-you page in {lang} shows the receipt"
            );
            *posted
                .entry(call["id"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    assert!(
        posted.values().any(|n| *n >= 2),
        "the sample site has an open call in two languages"
    );
    for (id, n) in posted {
        assert_eq!(app.store.responses(id).await.unwrap().len(), n);
    }
}

/// It broke like this: without script, an answer with mistakes got a page that listed the
/// questions by their ids (`omrade`) and sent the resident back to an empty form. Minified, so
/// the form is read however the page was written.
#[tokio::test]
async fn without_script_an_answer_with_mistakes_comes_back_as_its_form_filled_in() {
    let (_out, site_dir) = built_sample(true);
    let app = TestApp::with(|o| o.site = site_dir.clone());

    let long = "Bussen går sjelden.\n«Sitat» & <tegn> \"her\"";
    let body = format!(
        "lang=nb&website=&tema={}&utfordring={}&delta={}&delta={}",
        urlencode("Ensomhet blant eldre"),
        urlencode(long),
        urlencode("Komme på folkemøter"),
        urlencode("Teste nye tjenester"),
    );
    let res = app
        .send(form_post("/api/calls/hva-bor-vi-forske-pa/responses", body))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.stored().await, 0);
    let page = crate::common::Html::parse(&res.text());
    assert_eq!(
        page.texts("h1"),
        ["Hva bør vi forske på?"],
        "the call's own page"
    );
    assert_eq!(
        page.attrs("form.answer-form #q-tema", "value"),
        ["Ensomhet blant eldre"]
    );
    assert_eq!(
        page.texts("form.answer-form #q-utfordring"),
        [long.split_whitespace().collect::<Vec<_>>().join(" ")]
    );
    assert_eq!(
        page.attrs("[data-question=delta] input[checked]", "value"),
        ["Komme på folkemøter", "Teste nye tjenester"]
    );
    assert_eq!(page.count("[data-question=omrade] input[checked]"), 0);

    let summary = page.texts("[data-error-summary]:not([hidden]) li");
    assert_eq!(
        summary,
        [
            "Hvilket område er viktigst for deg? – Dette spørsmålet må besvares.",
            "Hvor godt synes du kommunen bruker forskning og ny kunnskap i dag? – Dette spørsmålet må besvares.",
        ]
    );
    assert_eq!(
        page.attrs("[data-error-summary] li a", "href"),
        ["#q-omrade-1", "#q-bruk-av-forskning-1"]
    );
    assert_eq!(
        page.texts("[data-question=omrade] .field-error:not([hidden])"),
        ["Dette spørsmålet må besvares."]
    );
    assert_eq!(
        page.count("[data-question=tema] .field-error:not([hidden])"),
        0
    );
    assert_eq!(
        page.attrs("fieldset[data-question=omrade]", "aria-describedby"),
        ["q-omrade-error"]
    );
    assert_eq!(
        page.count("[data-question=omrade] input[aria-invalid=true]"),
        6
    );

    // In English the same mistakes are named by the English questions.
    let res = app
        .send(form_post(
            "/api/calls/hva-bor-vi-forske-pa/responses",
            "lang=en&website=&tema=x&omrade=Health+and+welfare",
        ))
        .await;
    let page = crate::common::Html::parse(&res.text());
    assert_eq!(
        page.attrs("form.answer-form input[checked]", "value"),
        ["Health and welfare"]
    );
    let summary = page.texts("[data-error-summary] li");
    assert_eq!(summary.len(), 1, "{summary:?}");
    assert!(
        summary[0].starts_with("How well do you think"),
        "{summary:?}"
    );
}

/// The `minimal` fixture with Nynorsk added, built by this torget, and the endpoint over it.
fn nynorsk_site() -> (crate::common::TestSite, TestApp) {
    let site = crate::common::TestSite::fixture("minimal");
    site.add_nynorsk();
    site.build_ok();
    let out = site.out();
    let app = TestApp::with(|o| o.site = out);
    (site, app)
}

const HAGEN: &str = "/api/calls/hagen/responses";

#[tokio::test]
async fn a_nynorsk_site_answers_nynorsk_readers_in_nynorsk() {
    let (_site, app) = nynorsk_site();
    let res = app
        .send(json_post(HAGEN, json!({"lang": "nn", "answers": {}})))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        res.json(),
        json!({
            "message": "Nokre av svara må rettast før skjemaet kan sendast inn.",
            "errors": [{"question": "plante", "message": "Dette spørsmålet må svarast på."}],
        })
    );

    let page = app
        .send(form_post(HAGEN, "lang=nn&website=&plante="))
        .await
        .text();
    // The call's own form again, its mistake named by the question's text.
    let page = crate::common::Html::parse(&page);
    assert_eq!(
        page.texts("[data-error-summary] li"),
        ["Hva vil du plante? – Dette spørsmålet må svarast på."]
    );
    assert_eq!(
        page.texts("[data-question=plante] .field-error"),
        ["Dette spørsmålet må svarast på."]
    );

    let unknown = app
        .send(
            Request::post("/api/calls/ingen/responses")
                .header("content-type", "application/json")
                .header("accept-language", "nn-NO, nb;q=0.8")
                .body(Body::from(r#"{"answers": {}}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(
        unknown.json()["message"],
        "Vi finn ikkje denne innspelsrunden. Sjekk lenkja, eller sjå oversikta over innspelsrundar på nettstaden."
    );

    let res = app
        .send(form_post(HAGEN, "lang=nn&website=&plante=Epler"))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let location = res.header("location").unwrap().to_string();
    let receipt = location.rsplit('=').next().unwrap().to_string();
    let thanks = app
        .send(get(&format!("/api/calls/hagen/{location}")))
        .await
        .text();
    assert!(thanks.contains("<html lang=\"nn\""), "{thanks}");
    assert!(thanks.contains(&format!(
        "<code data-receipt>{}</code>",
        receipt.replace('-', "-<wbr>")
    )));

    let withdrawn = app
        .send(form_post(
            "/api/withdraw",
            format!("lang=nn&receipt={receipt}"),
        ))
        .await;
    let location = withdrawn.header("location").unwrap();
    let page = app.send(get(&format!("/api/{location}"))).await.text();
    assert!(page.contains("<h1>Svaret er trekt tilbake</h1>"), "{page}");
    assert!(page.contains("Svaret ditt er sletta. Det er ikkje berre skjult"));
}

#[tokio::test]
async fn a_nynorsk_site_answers_english_readers_in_english() {
    let (_site, app) = nynorsk_site();
    let res = app
        .send(json_post(HAGEN, json!({"lang": "en", "answers": {}})))
        .await;
    assert_eq!(
        res.json()["errors"][0]["message"],
        "This question needs an answer."
    );
    let receipt = app
        .send(json_post(
            HAGEN,
            json!({"lang": "en", "answers": {"plante": "Epler"}}),
        ))
        .await
        .json()["receipt"]
        .as_str()
        .unwrap()
        .to_string();
    let res = app
        .send(json_post(
            "/api/withdraw",
            json!({"receipt": receipt, "lang": "en"}),
        ))
        .await;
    assert_eq!(
        res.json()["message"],
        "Your answer has been deleted. It is not merely hidden: we no longer have it."
    );
}

#[test]
fn the_fixture_sites_sentences_are_the_ones_a_build_writes() {
    // The fixture stands for a site this torget built: when a sentence in i18n/ changes, the
    // fixture must change with it, or the tests above check words no site has any more.
    let site = crate::common::TestSite::fixture("minimal");
    site.build_ok();
    let built: Value = serde_json::from_str(&site.read("data/calls.json")).unwrap();
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture_site().join("data/calls.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(fixture["messages"], built["messages"]);
    assert_eq!(fixture["format"], built["format"]);
}

// A scale answered `[4]` or a single choice answered `["På nett"]` was stored as if it were the
// plain value, so a script's shape mistakes went unnoticed.
#[tokio::test]
async fn a_list_for_a_question_that_takes_one_answer_is_refused() {
    let app = TestApp::new();
    let mut answers = valid_answers();
    answers["pick"] = json!(["På nett"]);
    answers["n"] = json!([4]);
    answers["t"] = json!(["Sykkelveier"]);
    let res = app
        .send(json_post(
            RESPONSES,
            json!({"lang": "nb", "answers": answers}),
        ))
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        res.text()
    );
    let json = res.json();
    let questions: Vec<&str> = json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["question"].as_str().unwrap())
        .collect();
    assert_eq!(questions, ["pick", "n", "t"]);
    assert_eq!(app.stored().await, 0);
}

// `{"answers": {"t": "a", "t": "b"}}` was stored with the last `t`, silently.
#[tokio::test]
async fn a_json_object_with_a_repeated_key_is_malformed() {
    let app = TestApp::new();
    let bodies = [
        r#"{"answers": {"pick": "På nett", "n": 4, "t": "a", "t": "b"}}"#,
        r#"{"lang": "nb", "lang": "en", "answers": {"pick": "På nett", "n": 4}}"#,
        r#"{"answers": {"pick": "På nett", "n": 4, "t": {"x": 1, "x": 2}}}"#,
    ];
    for body in bodies {
        let res = app
            .send(refused_post(
                RESPONSES,
                "application/json",
                None,
                body.into(),
            ))
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{body}");
    }
    assert_eq!(app.stored().await, 0);
}

// `application/jsonp` (and any type that merely began like one of the two) was read as JSON.
#[tokio::test]
async fn only_the_two_media_types_are_read_with_or_without_parameters() {
    let app = TestApp::new();
    let body = json!({"lang": "nb", "answers": valid_answers()}).to_string();
    for (content_type, status) in [
        ("application/jsonp", StatusCode::UNSUPPORTED_MEDIA_TYPE),
        ("application/json-seq", StatusCode::UNSUPPORTED_MEDIA_TYPE),
        (
            "application/x-www-form-urlencodedx",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        ("application/json; charset=utf-8", StatusCode::CREATED),
        ("Application/JSON", StatusCode::CREATED),
    ] {
        let res = app
            .send(refused_post(
                RESPONSES,
                content_type,
                None,
                body.clone().into(),
            ))
            .await;
        assert_eq!(res.status, status, "{content_type}");
    }
}

/// `s` percent-encoded as a browser writes a form field.
fn form_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

// A 10,000-character answer in a three-byte script was 201 as JSON but 413 as a form:
// percent-encoding makes it 90,000 bytes, and the form's limit was JSON's 64 KiB.
#[tokio::test]
async fn a_form_carries_every_answer_the_json_route_accepts() {
    let app = TestApp::new();
    let long: String = "ᚠ".repeat(10_000);
    let json = app
        .send(json_post(
            RESPONSES,
            json!({"lang": "nb", "answers": {"pick": "På nett", "n": 4, "long": long}}),
        ))
        .await;
    assert_eq!(json.status, StatusCode::CREATED);
    let body = format!(
        "lang=nb&pick={}&n=4&long={}",
        form_encode("På nett"),
        form_encode(&long)
    );
    let form = app.send(form_post(RESPONSES, body)).await;
    assert_eq!(form.status, StatusCode::SEE_OTHER, "{}", form.text());
    assert_eq!(app.stored().await, 2);
}

// Reading a form looked each name up among all names before it: a body of many distinct
// names cost time quadratic in their number (151 ms for 64 KiB in a release build).
#[test]
fn a_form_of_many_distinct_names_is_read_in_linear_time() {
    let mut body = String::from("lang=nb");
    let mut names = 0;
    while body.len() < 400_000 {
        body.push_str(&format!("&f{names}=x"));
        names += 1;
    }
    let start = std::time::Instant::now();
    let sub = torget::feedback::answers::parse_form(body.as_bytes()).unwrap();
    let took = start.elapsed();
    assert_eq!(sub.values.len(), names);
    // About 45,000 names: quadratic reading takes many seconds, linear some milliseconds.
    assert!(took < Duration::from_secs(2), "{names} names took {took:?}");
}

/// An answer to the open call from the connection `peer`, with `forwarded` lines.
fn answer_from(peer: &str, forwarded: &[&str]) -> Request<Body> {
    let mut req = json_post(RESPONSES, json!({"lang": "nb", "answers": valid_answers()}));
    for line in forwarded {
        req.headers_mut()
            .append("x-forwarded-for", line.parse().unwrap());
    }
    let addr: std::net::SocketAddr = format!("{peer}:40000").parse().unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    req
}

// Behind `--real-ip-header X-Forwarded-For`, a client that sent its own line first escaped the
// limit, and every post without the header shared one bucket.
#[tokio::test]
async fn behind_a_proxy_the_limit_follows_the_address_the_proxy_added() {
    let app = TestApp::with(|o| {
        o.rate_limit = 1;
        o.real_ip_header = Some("X-Forwarded-For".into());
    });
    let proxy = "10.0.0.1";
    let first = app
        .send(answer_from(proxy, &["1.1.1.1", "203.0.113.5"]))
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    let spoofed = app
        .send(answer_from(proxy, &["2.2.2.2", "203.0.113.5"]))
        .await;
    assert_eq!(spoofed.status, StatusCode::TOO_MANY_REQUESTS);
    // Without the header, each connection is its own client.
    for peer in ["192.0.2.1", "192.0.2.2"] {
        let res = app.send(answer_from(peer, &[])).await;
        assert_eq!(res.status, StatusCode::CREATED, "{peer}");
    }
}

// A class or a meeting answers from one network: the call's `rate_limit` raises the limit for
// that call alone, from the front matter through calls.json to the endpoint.
#[tokio::test]
async fn a_calls_rate_limit_lets_a_whole_meeting_answer_from_one_address() {
    let site = crate::common::TestSite::fixture("minimal");
    let call = std::fs::read_to_string(site.root().join("content/calls/hagen.md")).unwrap();
    site.write(
        "content/calls/hagen.md",
        &call.replacen(
            "project = \"skolehage\"\n",
            "project = \"skolehage\"\nrate_limit = 5\n",
            1,
        ),
    );
    site.build_ok();
    let app = TestApp::with(|o| {
        o.site = site.out();
        o.rate_limit = 2;
    });
    let empty = || json_post(HAGEN, json!({"lang": "nb", "answers": {}}));
    for i in 0..5 {
        let res = app.send(empty()).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "post {i}");
    }
    let res = app.send(empty()).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    // Withdrawals name no call: the endpoint's own limit.
    let withdraw = || {
        json_post(
            "/api/withdraw",
            json!({"receipt": "AAAA-BBBB-CCCC", "lang": "nb"}),
        )
    };
    let fresh = TestApp::with(|o| {
        o.site = site.out();
        o.rate_limit = 2;
    });
    for _ in 0..2 {
        assert_ne!(
            fresh.send(withdraw()).await.status,
            StatusCode::TOO_MANY_REQUESTS
        );
    }
    assert_eq!(
        fresh.send(withdraw()).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}
