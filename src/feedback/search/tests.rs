//! Tests of the answer index: stemming and folding in Norwegian and English, phrases,
//! removal, filtering by call, escaped snippets, and queries it cannot read.

use super::*;

fn answer<'a>(
    response_id: &'a str,
    call_id: &'a str,
    lang: &'a str,
    text: &'a str,
) -> AnswerText<'a> {
    AnswerText {
        response_id,
        call_id,
        question_id: "q1",
        lang,
        submitted: jiff::Timestamp::from_second(1_780_000_000).unwrap(),
        text,
    }
}

/// An index holding `answers`, committed.
fn index_of(answers: &[AnswerText<'_>]) -> AnswerIndex {
    let index = AnswerIndex::in_ram().unwrap();
    for a in answers {
        index.add(a).unwrap();
    }
    index.commit().unwrap();
    index
}

fn found(index: &AnswerIndex, call: Option<&str>, query: &str) -> Vec<String> {
    let mut ids: Vec<String> = index
        .search(call, query, 10, 0)
        .unwrap()
        .into_iter()
        .map(|h| h.response_id)
        .collect();
    ids.sort();
    ids
}

#[test]
fn norwegian_stems_find_other_forms() {
    let index = index_of(&[
        answer("r1", "c1", "nb", "Barnehagene i bydelen trenger mer plass."),
        answer("r2", "c1", "nb", "Vi vil ha flere benker langs elva."),
        answer("r3", "c1", "nb", "Bussen går for sjelden."),
    ]);
    assert_eq!(found(&index, None, "barnehage"), ["r1"]);
    assert_eq!(found(&index, None, "benk"), ["r2"]);
}

#[test]
fn folded_spellings_find_norwegian_letters() {
    let index = index_of(&[
        answer("r1", "c1", "nb", "Læreren på skolen er flink."),
        answer(
            "r2",
            "c1",
            "nb",
            "Gangveien ved Østensjøvannet er mørk om kvelden.",
        ),
    ]);
    assert_eq!(found(&index, None, "laereren"), ["r1"]);
    assert_eq!(found(&index, None, "ostensjovannet"), ["r2"]);
    assert_eq!(found(&index, None, "pa skolen"), ["r1"]);
    // Real letters go to the stemmed field: `mørke` finds `mørk`.
    assert_eq!(found(&index, None, "mørke"), ["r2"]);
}

#[test]
fn laerer_finds_laerer_with_ae() {
    let index = index_of(&[answer("r1", "c1", "nb", "En lærer sa det.")]);
    assert_eq!(found(&index, None, "laerer"), ["r1"]);
    let hits = index.search(None, "laerer", 10, 0).unwrap();
    assert_eq!(hits[0].snippet, "En <mark>lærer</mark> sa det");
}

#[test]
fn english_answers_are_stemmed_in_english() {
    let index = index_of(&[
        answer("r1", "c1", "en", "The park needs more light."),
        answer("r2", "c1", "nb", "Parkeringen er full."),
    ]);
    assert_eq!(found(&index, None, "parks"), ["r1"]);
}

#[test]
fn quoted_phrases_match_words_in_order() {
    let index = index_of(&[
        answer("r1", "c1", "nb", "Vi ønsker flere benker i parken."),
        answer(
            "r2",
            "c1",
            "nb",
            "Parken har benker, men vi ønsker flere trær.",
        ),
    ]);
    assert_eq!(found(&index, None, "\"flere benker\""), ["r1"]);
    assert_eq!(found(&index, None, "flere benker"), ["r1", "r2"]);
}

#[test]
fn removed_response_disappears_at_the_next_commit() {
    let index = index_of(&[
        answer("r1", "c1", "nb", "Benkene er for få."),
        answer("r2", "c1", "nb", "Flere benker, takk."),
    ]);
    index.remove("r1");
    index.commit().unwrap();
    assert_eq!(found(&index, None, "benk"), ["r2"]);
    assert_eq!(index.len(), 1);
}

#[test]
fn search_in_one_call_leaves_out_other_calls() {
    let index = index_of(&[
        answer("r1", "c1", "nb", "Trafikken er farlig."),
        answer("r2", "c2", "nb", "Trafikken er farlig her også."),
    ]);
    assert_eq!(found(&index, Some("c2"), "trafikk"), ["r2"]);
    assert_eq!(found(&index, None, "trafikk"), ["r1", "r2"]);
    assert!(found(&index, Some("c3"), "trafikk").is_empty());
}

#[test]
fn snippets_mark_matches_and_escape_the_rest() {
    let index = index_of(&[answer(
        "r1",
        "c1",
        "nb",
        "<script>alert('benk')</script> Flere benker & bord.",
    )]);
    let hits = index.search(None, "benk", 10, 0).unwrap();
    assert_eq!(hits.len(), 1);
    let snippet = &hits[0].snippet;
    assert!(!snippet.contains("<script>"), "{snippet}");
    assert!(snippet.contains("&lt;script&gt;"), "{snippet}");
    assert!(
        snippet.contains("<mark>benker</mark> &amp; bord"),
        "{snippet}"
    );
}

/// `10:30` was read as field `10`, value `30`: a syntax error where staff searched for a time.
#[test]
fn what_the_query_syntax_cannot_read_is_searched_as_words() {
    let index = index_of(&[
        answer("r1", "c1", "nb", "Bussen går 10:30 og 11:30."),
        answer("r2", "c1", "nb", "Klokka ti er fint."),
    ]);
    assert_eq!(found(&index, None, "10:30"), ["r1"]);
    assert_eq!(found(&index, None, "klokka:ti"), ["r2"]);
    assert!(found(&index, None, "finnesikke:fint").is_empty());
    for odd in ["(", "\"", "bussen AND (", "*", "[10 TO", "^2", ":", "-"] {
        assert!(index.search(None, odd, 10, 0).is_ok(), "{odd}");
    }
    assert_eq!(found(&index, None, "(bussen"), ["r1"]);
}

#[test]
fn huge_query_is_refused() {
    let index = index_of(&[answer("r1", "c1", "nb", "Benker.")]);
    let err = index
        .search(None, &"benk ".repeat(2_000), 10, 0)
        .unwrap_err();
    assert!(matches!(err, SearchError::TooLong), "{err:?}");
}

#[test]
fn paging_moves_past_the_first_hits() {
    let index = index_of(&[
        answer("r1", "c1", "nb", "Benk."),
        answer("r2", "c1", "nb", "Benk."),
        answer("r3", "c1", "nb", "Benk."),
    ]);
    let first = index.search(None, "benk", 2, 0).unwrap();
    let rest = index.search(None, "benk", 2, 2).unwrap();
    assert_eq!((first.len(), rest.len()), (2, 1));
    assert!(!first.iter().any(|h| h.response_id == rest[0].response_id));
}

#[test]
fn an_index_in_a_folder_opens_again_with_its_answers() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = AnswerIndex::in_folder(dir.path()).unwrap();
        index.add(&answer("r1", "c1", "nb", "Barnehagene")).unwrap();
        index.commit().unwrap();
    }
    let index = AnswerIndex::in_folder(dir.path()).unwrap();
    assert_eq!(found(&index, None, "barnehage"), ["r1"]);
}
