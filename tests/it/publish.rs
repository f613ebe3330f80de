//! Publishing a call's results from the staff console (issue 15): themes and tags while reading,
//! the publish page refused until the call closes, the snapshot at `/api/calls/{id}/results`
//! (hidden answers left out), the console's download, unpublishing, and the audit log. In-process
//! through the router, its clock moved past the call's closing instead of waiting.

use std::time::Duration;

use axum::http::StatusCode;
use torget::feedback::staff::Role;
use torget::results_json::ResultsFile;

use crate::console::{
    Browser, PASSWORD, add_staff, answer, answer_ids, audit_actions, csrf_of, enc,
};
use crate::feedback_support::{SITE_ORIGIN, TestApp, get};

const KARI: &str = "kari@trondheim.kommune.no";

/// The id of the theme whose label in the page is `label`, from its filter link.
fn theme_id(html: &str, label: &str) -> i64 {
    let at = html
        .find(&format!(">{label}: "))
        .unwrap_or_else(|| panic!("no theme {label} in {html}"));
    let link = &html[..at];
    let id = &link[link.rfind("?theme=").unwrap() + 7..];
    id.split(['"', '&']).next().unwrap().parse().unwrap()
}

/// Moves the endpoint's clock past the fixture's open call's closing (31 December 2099).
fn close_the_open_call(app: &TestApp) {
    app.state
        .clock
        .advance(Duration::from_secs(80 * 366 * 24 * 3600));
}

#[tokio::test]
async fn staff_tag_themes_and_publish_a_closed_calls_results_without_hidden_answers() {
    let app = TestApp::new();
    add_staff(&*app.store, KARI, Role::Editor).await;
    answer(&app, 5, |i| if i < 3 { "På nett" } else { "Annet" }).await;
    let mut b = Browser::new(&app);
    b.sign_in(KARI, PASSWORD).await;
    let base = "/admin/calls/open-call";
    let html = b.get(base).await.text();
    let csrf = csrf_of(&html);
    let ids = answer_ids(&html);
    assert_eq!(ids.len(), 5);
    assert!(html.contains("Innspillsrunden har ingen temaer ennå."));

    // While the call is open, publishing is refused, saying until when.
    let open = b.get(&format!("{base}/publish")).await;
    assert_eq!(open.status, StatusCode::CONFLICT);
    assert!(
        open.text()
            .contains("Innspillsrunden er åpen til torsdag 31. desember 2099 kl. 23.59."),
        "{}",
        open.text()
    );
    let early = b
        .post(
            &format!("{base}/publish"),
            SITE_ORIGIN,
            &format!("csrf={csrf}&q.pick=on"),
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);

    // Themes: one needs a name in Bokmål; two are added, one renamed.
    let nameless = b
        .post(
            &format!("{base}/themes"),
            SITE_ORIGIN,
            &format!("csrf={csrf}&label.en=Benches"),
        )
        .await;
    assert_eq!(nameless.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nameless.text().contains("Gi temaet et navn på bokmål"));
    for (nb, en) in [("Benker", "Benches"), ("Lys", "Light")] {
        let added = b
            .post(
                &format!("{base}/themes"),
                SITE_ORIGIN,
                &format!("csrf={csrf}&label.nb={}&label.en={}", enc(nb), enc(en)),
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text());
    }
    let html = b.get(base).await.text();
    let benches = theme_id(&html, "Benker");
    let light = theme_id(&html, "Lys");
    let renamed = b
        .post(
            &format!("{base}/themes/{benches}"),
            SITE_ORIGIN,
            &format!(
                "csrf={csrf}&label.nb={}&label.en=More+benches",
                enc("Flere benker")
            ),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER);

    // Tagging: three answers with benches, one of them also with light.
    for (i, themes) in [
        (0, vec![benches, light]),
        (1, vec![benches]),
        (2, vec![benches]),
    ] {
        let body: String = themes.iter().map(|t| format!("&theme.{t}=on")).collect();
        let tagged = b
            .post(
                &format!("{base}/answers/{}/themes", ids[i]),
                SITE_ORIGIN,
                &format!("csrf={csrf}{body}"),
            )
            .await;
        assert_eq!(tagged.status, StatusCode::SEE_OTHER, "{}", tagged.text());
    }
    let foreign = b
        .post(
            &format!("{base}/answers/{}/themes", ids[3]),
            SITE_ORIGIN,
            &format!("csrf={csrf}&theme.999999=on"),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = b.get(base).await.text();
    assert!(html.contains(">Flere benker: 3 svar</a>"), "{html}");
    assert!(html.contains(">Lys: 1 svar</a>"));
    let filtered = b.get(&format!("{base}?theme={light}")).await.text();
    assert_eq!(answer_ids(&filtered), [ids[0]], "the filter by theme");
    let checked = format!(
        "id=\"tag-{}-{light}\" name=\"theme.{light}\" value=\"on\" checked",
        ids[0]
    );
    assert!(
        filtered.contains(&checked),
        "the answer's form shows its themes"
    );
    assert_eq!(
        b.get(&format!("{base}?theme=abc")).await.status,
        StatusCode::BAD_REQUEST
    );
    // The filter form keeps the theme while other filters change, and the theme links keep
    // the other filters.
    assert!(
        filtered.contains(&format!("<option value=\"{light}\" selected>Lys</option>")),
        "{filtered}"
    );
    let narrowed = b.get(&format!("{base}?show=visible&page=1")).await.text();
    let link = format!("?theme={benches}&amp;show=visible\">Flere benker: 3 svar</a>");
    assert!(narrowed.contains(&link), "{narrowed}");
    let mut both = answer_ids(
        &b.get(&format!("{base}?theme={benches}&show=visible"))
            .await
            .text(),
    );
    both.sort();
    let mut tagged = vec![ids[0], ids[1], ids[2]];
    tagged.sort();
    assert_eq!(both, tagged, "theme and visibility together");

    // One tagged answer is hidden: it leaves every published count.
    let hidden = b
        .post(
            &format!("{base}/answers/{}/hide", ids[1]),
            SITE_ORIGIN,
            &format!("csrf={csrf}&reason=Et+navn"),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::SEE_OTHER);

    close_the_open_call(&app);
    // Decades later the session has ended: sign in again.
    b.sign_in(KARI, PASSWORD).await;
    let csrf = csrf_of(&b.get(base).await.text());
    let page = b.get(&format!("{base}/publish")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let page = page.text();
    assert!(page.contains("Resultatene er ikke publisert."));
    assert!(page.contains("<label for=\"q-pick\">Hvilken?</label>"));
    assert!(!page.contains("id=\"q-t\""), "free text is never offered");
    // Listed newest first, so ids[1], the hidden one, is the fourth answer ("Svar nummer 3").
    assert!(
        page.contains(">Svar nummer 4 Mer lys, takk.</textarea>"),
        "quotes are prefilled from tagged answers: {page}"
    );
    assert!(
        !page.contains("Svar nummer 3"),
        "but never from a hidden one"
    );
    let not_yet = app.send(get("/api/calls/open-call/results")).await;
    assert_eq!(not_yet.status, StatusCode::NOT_FOUND);

    let free_text = b
        .post(
            &format!("{base}/publish"),
            SITE_ORIGIN,
            &format!("csrf={csrf}&q.t=on"),
        )
        .await;
    assert_eq!(free_text.status, StatusCode::UNPROCESSABLE_ENTITY);
    let form = format!(
        "csrf={csrf}&q.pick=on&q.n=on&theme.{benches}=on&quote.{benches}.0={}&lang.{benches}.0=nb\
         &quote.{benches}.1=+&lang.{benches}.1=nb",
        enc("Flere benker ved lekeplassen.")
    );
    let published = b.post(&format!("{base}/publish"), SITE_ORIGIN, &form).await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.text()
    );

    let api = app.send(get("/api/calls/open-call/results")).await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.header("content-type"), Some("application/json"));
    let file = ResultsFile::parse(&api.text()).unwrap();
    assert_eq!(
        api.text(),
        file.to_json(),
        "exactly the results file's text"
    );
    assert_eq!(file.call, "open-call");
    assert_eq!(file.responses, 4, "the hidden answer is left out");
    assert_eq!(
        file.questions
            .iter()
            .map(|q| q.id.as_str())
            .collect::<Vec<_>>(),
        ["pick", "n"]
    );
    let pick = &file.questions[0].counts;
    assert_eq!(
        (pick["På nett"], pick["Annet"], pick["På papir"]),
        (3, 1, 0),
        "the hidden answer chose Annet"
    );
    assert_eq!(file.themes.len(), 1, "only the theme chosen");
    assert_eq!(file.themes[0].label["en"], "More benches");
    assert_eq!(
        file.themes[0].count, 2,
        "the hidden answer's tag is not counted"
    );
    assert_eq!(file.themes[0].quotes.len(), 1);
    assert_eq!(
        file.themes[0].quotes[0].text,
        "Flere benker ved lekeplassen."
    );
    let download = b.get(&format!("{base}/results.json")).await;
    assert_eq!(
        download.text(),
        api.text(),
        "the console's download is the same file"
    );
    assert_eq!(
        download.header("content-disposition"),
        Some("attachment; filename=\"open-call.results.json\"")
    );

    // Unpublishing takes it off the API and the download.
    let page = b.get(&format!("{base}/publish")).await.text();
    assert!(page.contains("Publisert "));
    let gone = b
        .post(
            &format!("{base}/unpublish"),
            SITE_ORIGIN,
            &format!("csrf={csrf}"),
        )
        .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    let api = app.send(get("/api/calls/open-call/results")).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(
        api.json()["message"],
        "the results of this call are not published: staff publish them in the console once the call has closed"
    );
    assert_eq!(
        b.get(&format!("{base}/results.json")).await.status,
        StatusCode::NOT_FOUND
    );

    let actions: Vec<String> = (audit_actions(&app).await.into_iter())
        .filter(|(who, ..)| who == KARI)
        .map(|(_, action, _)| action)
        .filter(|a| a != "signin")
        .collect();
    assert_eq!(
        actions,
        [
            "theme.add",
            "theme.add",
            "theme.rename",
            "answer.tag",
            "answer.tag",
            "answer.tag",
            "answer.hide",
            "results.publish",
            "results.unpublish"
        ]
    );
}

#[tokio::test]
async fn the_results_of_an_unknown_call_and_of_an_upcoming_one_are_refused() {
    let app = TestApp::new();
    add_staff(&*app.store, KARI, Role::Editor).await;
    let mut b = Browser::new(&app);
    b.sign_in(KARI, PASSWORD).await;
    let unknown = app.send(get("/api/calls/no-such-call/results")).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let upcoming = b.get("/admin/calls/upcoming-call/publish").await;
    assert_eq!(upcoming.status, StatusCode::CONFLICT);
    assert!(upcoming.text().contains("Innspillsrunden åpner "));
    let closed = b.get("/admin/calls/closed-call/publish").await;
    assert_eq!(closed.status, StatusCode::OK);
    assert!(closed.text().contains("Resultatene er ikke publisert."));
    assert!(
        closed.text().contains("<label for=\"q-pick\">"),
        "a closed call's questions are offered"
    );
}
