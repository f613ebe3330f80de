//! The console's search over free-text answers, through the router: a call's answers narrowed
//! by `?q=` (stems in Bokmål and English, æ/ø/å written without them, quoted phrases, the
//! matches marked, combined with the other filters), `/admin/search` over every call, answers
//! that leave the results at once when withdrawn or deleted, hidden ones found and marked,
//! and searches that could trip the index refused or answered with "no results", never a 500;
//! and, on PostgreSQL, an answer posted to one instance found by another instance's console.

use axum::http::StatusCode;
use jiff::Timestamp;
use torget::feedback::answers::{Answer, Answers};
use torget::feedback::receipt::Receipt;
use torget::feedback::staff::Role;
use torget::feedback::store::NewResponse;

use crate::console::{Browser, PASSWORD, add_staff, answer_ids, audit_actions, csrf_of, enc};
use crate::feedback_support::{PgTestDb, SITE_ORIGIN, TestApp, json_post};

const KARI: &str = "kari@trondheim.kommune.no";

/// Answers the fixture's open call with `text` as the free-text answer `t`, in `lang`; its
/// receipt.
async fn answer_with(app: &TestApp, lang: &str, text: &str) -> String {
    let mut answers = crate::feedback_support::valid_answers();
    answers["t"] = text.into();
    answers["long"] = "Ingenting mer.".into();
    let r = app
        .send(json_post(
            "/api/calls/open-call/responses",
            serde_json::json!({"lang": lang, "answers": answers}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["receipt"].as_str().unwrap().to_string()
}

/// A signed-in editor's browser over a fresh app.
async fn signed_in(app: &TestApp) -> Browser<'_> {
    add_staff(&*app.store, KARI, Role::Editor).await;
    let mut b = Browser::new(app);
    b.sign_in(KARI, PASSWORD).await;
    b
}

/// The ids a call page shows for `?q=` and the page's HTML.
async fn search_call(b: &mut Browser<'_>, query: &str) -> (Vec<i64>, String) {
    let res = b
        .get(&format!("/admin/calls/open-call?q={}", enc(query)))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{query}: {}", res.text());
    let html = res.text();
    let mut ids = answer_ids(&html);
    ids.sort();
    (ids, html)
}

#[tokio::test]
async fn a_calls_search_finds_other_forms_folded_spellings_and_phrases_with_marks() {
    let app = TestApp::new();
    answer_with(&app, "nb", "Barnehagene i bydelen trenger mer plass.").await;
    answer_with(&app, "nb", "Vi vil ha flere benker langs elva.").await;
    answer_with(&app, "nb", "Flere trær, og noen benker.").await;
    answer_with(&app, "nb", "Læreren sier lekeplassene er for små.").await;
    answer_with(&app, "en", "The parks need more light in the evening.").await;
    let mut b = signed_in(&app).await;
    let all = answer_ids(&b.get("/admin/calls/open-call").await.text());
    let id = |n: usize| all[all.len() - n];

    let (found, html) = search_call(&mut b, "barnehage").await;
    assert_eq!(found, [id(1)], "barnehage finds barnehagene");
    assert!(
        html.contains("<mark>Barnehagene</mark> i bydelen"),
        "the match is marked under the answer: {html}"
    );
    assert!(html.contains("1 svar med disse filtrene. Side 1"));
    assert!(
        html.contains(
            "<input type=\"search\" id=\"f-q\" name=\"q\" value=\"barnehage\" maxlength=\"200\""
        ),
        "the query stays in its labelled field"
    );
    assert!(html.contains("<label for=\"f-q\">Søk i fritekstsvarene</label>"));

    assert_eq!(search_call(&mut b, "benk").await.0, [id(2), id(3)]);
    assert_eq!(
        search_call(&mut b, "\"flere benker\"").await.0,
        [id(2)],
        "a quoted phrase keeps its words in order"
    );
    // Folded spellings, for keyboards without æ, ø and å.
    assert_eq!(search_call(&mut b, "laereren").await.0, [id(4)]);
    assert_eq!(search_call(&mut b, "sma").await.0, [id(4)]);
    let (folded, html) = search_call(&mut b, "laereren").await;
    assert_eq!(folded, [id(4)]);
    assert!(html.contains("<mark>Læreren</mark>"), "{html}");
    // English answers are stemmed in English.
    let (parks, html) = search_call(&mut b, "park evenings").await;
    assert_eq!(parks, [id(5)]);
    assert!(html.contains("<mark>parks</mark>"), "{html}");

    // Combined with the other filters.
    let en_only = b.get("/admin/calls/open-call?q=benk&lang=en").await.text();
    assert!(answer_ids(&en_only).is_empty());
    assert!(en_only.contains("0 svar med disse filtrene."));
    assert!(
        en_only.contains("Ingen svar passer med «benk».") && en_only.contains("Prøv færre ord"),
        "no results, with a hint: {en_only}"
    );
    let nb_only = b.get("/admin/calls/open-call?q=benk&lang=nb").await.text();
    assert_eq!(answer_ids(&nb_only).len(), 2);

    // A call with no text question has no free text to search.
    let closed = b.get("/admin/calls/closed-call").await.text();
    assert!(closed.contains("class=\"filters\""));
    assert!(!closed.contains("name=\"q\""), "{closed}");
}

#[tokio::test]
async fn a_calls_search_pages_its_answers_newest_first() {
    let app = TestApp::new();
    for i in 0..23 {
        answer_with(&app, "nb", &format!("Benk nummer {i}.")).await;
    }
    answer_with(&app, "nb", "Noe helt annet.").await;
    let mut b = signed_in(&app).await;
    let first = b.get("/admin/calls/open-call?q=benk").await.text();
    let ids = answer_ids(&first);
    assert_eq!(ids.len(), 20);
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    assert!(first.contains("23 svar med disse filtrene. Side 1"));
    assert!(
        first.contains("href=\"/admin/calls/open-call?q=benk&amp;page=2\" rel=\"next\""),
        "the next page keeps the search: {first}"
    );
    let second = b.get("/admin/calls/open-call?q=benk&page=2").await.text();
    assert_eq!(answer_ids(&second).len(), 3);
    let past = b.get("/admin/calls/open-call?q=benk&page=3").await;
    assert_eq!(past.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_search_over_every_call_names_each_answers_call_and_links_to_it() {
    let app = TestApp::new();
    answer_with(&app, "nb", "Flere benker ved skolen.").await;
    // The upcoming call takes no answers yet through the API; its free text is stored as an
    // earlier instance would have.
    let mut answers = Answers::new();
    answers.insert(
        "t".into(),
        Answer::Text("Benkene i parken er knust.".into()),
    );
    app.store
        .insert(NewResponse {
            call_id: "upcoming-call".into(),
            lang: "nb".into(),
            submitted: Timestamp::now(),
            answers,
            receipt: Receipt::generate().unwrap().hash(),
        })
        .await
        .unwrap();
    let mut b = signed_in(&app).await;

    let home = b.get("/admin/").await.text();
    assert!(
        home.contains("<a href=\"/admin/search\">Søk</a>"),
        "in the navigation: {home}"
    );
    let empty = b.get("/admin/search").await;
    assert_eq!(empty.status, StatusCode::OK);
    let empty = empty.text();
    assert!(empty.contains("<form method=\"get\" action=\"/admin/search\" role=\"search\">"));
    assert!(empty.contains("<a href=\"/admin/search\" aria-current=\"page\">"));
    assert!(!empty.contains("treff"), "the form only: {empty}");

    let res = b.get("/admin/search?q=benk").await;
    assert_eq!(res.status, StatusCode::OK);
    let html = res.text();
    assert!(
        html.contains("2 treff på «benk». Side 1, beste treff først."),
        "{html}"
    );
    assert!(html.contains("En åpen innspillsrunde: svar"), "{html}");
    assert!(html.contains("<mark>Benkene</mark> i parken"), "{html}");
    for past in ["2", "4294967295"] {
        let res = b.get(&format!("/admin/search?q=benk&page={past}")).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "page {past}");
        assert!(
            res.text().contains("Det er ikke så mange sider"),
            "page {past}"
        );
    }
    let open_id = answer_ids(&b.get("/admin/calls/open-call").await.text())[0];
    let link = format!("/admin/calls/open-call?q=benk&amp;id={open_id}#r{open_id}");
    assert!(
        html.contains(&link),
        "a link to the answer in its call: {html}"
    );

    // The link shows that answer alone, its match marked, and the way to the rest.
    let one = b
        .get(&format!("/admin/calls/open-call?q=benk&id={open_id}"))
        .await
        .text();
    assert_eq!(answer_ids(&one), [open_id]);
    assert!(
        one.contains("Flere <mark>benker</mark> ved skolen"),
        "{one}"
    );
    assert!(one.contains(&format!("Viser bare svar {open_id}.")));
    assert!(one.contains("<a href=\"/admin/calls/open-call?q=benk\">"));
    // An id of another call's answer shows nothing of it.
    let upcoming_hit = b.get("/admin/search?q=knust").await.text();
    assert!(upcoming_hit.contains("1 treff"), "{upcoming_hit}");
    let other_id = open_id + 1;
    let foreign = b
        .get(&format!("/admin/calls/open-call?id={other_id}"))
        .await
        .text();
    assert!(answer_ids(&foreign).is_empty());

    // In English too.
    b.get("/admin/lang/en?next=%2Fadmin%2F").await;
    let en = b.get("/admin/search?q=benk").await.text();
    assert!(
        en.contains("2 matches for “benk”. Page 1, best first."),
        "{en}"
    );
    assert!(en.contains("Show answer"));
}

#[tokio::test]
async fn withdrawn_and_deleted_answers_leave_the_results_at_once_hidden_ones_stay_marked() {
    let app = TestApp::new();
    let receipt = answer_with(&app, "nb", "Sykkelveien er mørk om kvelden.").await;
    answer_with(&app, "nb", "Sykkelstativene er fulle.").await;
    answer_with(&app, "nb", "Sykkelveien trenger lys.").await;
    let mut b = signed_in(&app).await;
    let (found, _) = search_call(&mut b, "sykkelveien").await;
    assert_eq!(found.len(), 2);

    let withdrawn = app
        .send(json_post(
            "/api/withdraw",
            serde_json::json!({ "receipt": receipt }),
        ))
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.text());
    let (after, _) = search_call(&mut b, "sykkelveien").await;
    assert_eq!(after, [found[1]], "the withdrawn answer is gone at once");
    let everywhere = b.get("/admin/search?q=m%C3%B8rk").await.text();
    assert!(
        everywhere.contains("Ingen svar passer med «mørk»."),
        "{everywhere}"
    );

    // Hidden: still found by staff, and marked.
    let (_, html) = search_call(&mut b, "sykkelveien").await;
    let csrf = csrf_of(&html);
    let hidden = b
        .post(
            &format!("/admin/calls/open-call/answers/{}/hide", found[1]),
            SITE_ORIGIN,
            &format!("csrf={csrf}&reason=Navn+p%C3%A5+en+nabo"),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::SEE_OTHER);
    let (still, html) = search_call(&mut b, "sykkelveien").await;
    assert_eq!(still, [found[1]]);
    assert!(html.contains("Skjult fra de offentlige tallene av kari@trondheim.kommune.no"));
    let everywhere = b.get("/admin/search?q=sykkelveien").await.text();
    assert!(everywhere.contains("Navn på en nabo"), "{everywhere}");

    // Deleted: gone at once, here and over every call.
    let deleted = b
        .post(
            &format!("/admin/calls/open-call/answers/{}/delete", found[1]),
            SITE_ORIGIN,
            &format!("csrf={csrf}&reason=Personopplysninger"),
        )
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert!(search_call(&mut b, "sykkelveien").await.0.is_empty());
    let everywhere = b.get("/admin/search?q=sykkelveien").await.text();
    assert!(everywhere.contains("Ingen svar passer"), "{everywhere}");
    assert_eq!(search_call(&mut b, "sykkelstativ").await.0.len(), 1);
}

#[tokio::test]
async fn odd_searches_find_nothing_with_a_hint_and_an_overlong_one_is_refused() {
    let app = TestApp::new();
    answer_with(&app, "nb", "Bussen går 10:30 hver dag.").await;
    let mut b = signed_in(&app).await;
    let audited = audit_actions(&app).await;
    for odd in [
        "\"(", "(", ")", "10:30", "t:buss", "*", "-", "AND", "OR NOT", "[1 TO", "buss~", "^2",
        "\"", "«»", "<script>",
    ] {
        for path in ["/admin/calls/open-call", "/admin/search"] {
            let res = b.get(&format!("{path}?q={}", enc(odd))).await;
            assert_eq!(res.status, StatusCode::OK, "{path} {odd}: {}", res.text());
            assert!(!res.text().contains("<script>"), "escaped: {odd}");
        }
    }
    let (time, _) = search_call(&mut b, "10:30").await;
    assert_eq!(time.len(), 1, "a time is searched as its words");
    let none = b.get("/admin/search?q=%22%28").await.text();
    assert!(none.contains("Prøv færre ord"), "a hint: {none}");

    let long = "benk ".repeat(2_000);
    for path in ["/admin/calls/open-call", "/admin/search"] {
        let res = b.get(&format!("{path}?q={}", enc(&long))).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(
            res.text().contains("Søket er lengre enn 200 tegn"),
            "{path}: {}",
            res.text()
        );
    }
    assert_eq!(app.stored().await, 1, "nothing changed");
    assert_eq!(audit_actions(&app).await, audited, "nothing audited");
}

// A store that cannot be read while the index is built gives a 503 page that says to try again,
// never a 500, and no page that looks like an empty result.
#[tokio::test]
async fn a_search_when_the_index_cannot_be_built_is_a_503_page() {
    let app = TestApp::with(|o| o.console.sign_in = torget::feedback::console::SignIn::Preview);
    app.store.close().await;
    let res = app
        .send(crate::feedback_support::get("/admin/search?q=benk"))
        .await;
    assert_eq!(
        res.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        res.text()
    );
    assert!(
        res.text().contains("Databasen svarte ikke"),
        "{}",
        res.text()
    );
    assert!(!res.text().contains("Ingen svar passer"));
}

/// Two endpoint instances on one PostgreSQL database, each with its own search index: an
/// answer posted to instance A is found by the console's search on instance B within 2 s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_posted_to_one_instance_is_found_by_the_other_s_console_within_2_s() {
    let Some(pg) = PgTestDb::for_test("an_answer_posted_to_one_instance") else {
        return;
    };
    let on_pg = |o: &mut torget::feedback::Options| o.db = pg.url.parse().unwrap();
    let a = TestApp::with(on_pg);
    let b = TestApp::with(on_pg);
    let mut staff = signed_in(&b).await;
    assert!(search_call(&mut staff, "sykkelvei").await.0.is_empty());
    answer_with(&a, "nb", "Sykkelveien langs elva er mørk om kvelden.").await;
    let posted = std::time::Instant::now();
    loop {
        let (found, html) = search_call(&mut staff, "sykkelvei").await;
        if found.len() == 1 {
            assert!(html.contains("<mark>Sykkelveien</mark>"), "{html}");
            break;
        }
        assert!(
            posted.elapsed() < std::time::Duration::from_secs(2),
            "not found on instance B within 2 s: {html}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
