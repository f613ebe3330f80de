//! Tests of the exports and the public summary.

use super::*;
use crate::calls_json::sample::{choice, required, scale, text};
use crate::feedback::answers::Answers;
use crate::feedback::calls::sample_call;
use crate::feedback::store::{Counts, Hidden};

/// `q` with its text in Norwegian and English.
fn labelled(q: Question, nb: &str, en: &str) -> Question {
    Question {
        label: BTreeMap::from([("nb".into(), nb.into()), ("en".into(), en.into())]),
        ..q
    }
}

fn call() -> std::sync::Arc<Call> {
    sample_call(vec![
        labelled(
            required(choice("pick", false, &["Yes", "No"], &["Ja", "Nei"])),
            "Vil du ha benker?",
            "Do you want benches?",
        ),
        labelled(
            choice("many", true, &["A", "B"], &["Æ", "Ø"]),
            "Hvilke?",
            "Which?",
        ),
        labelled(scale("n", 1, 3), "Hvor viktig?", "How important?"),
        labelled(text("t", false, None), "=Noe mer?", "=Anything else?"),
    ])
}

fn resp(answers: &[(&str, Answer)]) -> StoredResponse {
    StoredResponse {
        id: 1,
        call_id: "c".into(),
        lang: "nb".into(),
        submitted: "2025-03-01T12:00:00Z".parse().unwrap(),
        answers: answers
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect::<Answers>(),
        hidden: None,
    }
}

#[test]
fn csv_cells_that_look_like_formulas_are_neutralised() {
    let call = &call();
    let rows = [
        resp(&[
            ("pick", Answer::Text("Ja".into())),
            ("many", Answer::List(vec!["Æ".into(), "Ø".into()])),
            ("n", Answer::Number(2)),
            ("t", Answer::Text("=HYPERLINK(\"http://x\")".into())),
        ]),
        resp(&[("t", Answer::Text("+1".into()))]),
        resp(&[("t", Answer::Text("-1".into()))]),
        resp(&[("t", Answer::Text("@SUM(A1)".into()))]),
        resp(&[("t", Answer::Text("fine, \"quoted\"".into()))]),
        // Found by attacking the export: these went out as formulas, or raw.
        resp(&[("t", Answer::Text(" =1+1".into()))]),
        resp(&[("t", Answer::Text("\u{ff1d}1+1".into()))]),
        resp(&[("t", Answer::Text("Ja;\0 nei\x1b[2J".into()))]),
    ];
    let out = String::from_utf8(csv(call, &rows)).unwrap();
    assert_eq!(
        out,
        "\u{feff}id,sendt,språk,skjult,Vil du ha benker?,Hvilke?,Hvor viktig?,'=Noe mer?\r\n\
         1,2025-03-01T12:00:00Z,nb,,Ja,\"Æ; Ø\",2,\"'=HYPERLINK(\"\"http://x\"\")\"\r\n\
         1,2025-03-01T12:00:00Z,nb,,,,,'+1\r\n\
         1,2025-03-01T12:00:00Z,nb,,,,,'-1\r\n\
         1,2025-03-01T12:00:00Z,nb,,,,,'@SUM(A1)\r\n\
         1,2025-03-01T12:00:00Z,nb,,,,,\"fine, \"\"quoted\"\"\"\r\n\
         1,2025-03-01T12:00:00Z,nb,,,,,' =1+1\r\n\
         1,2025-03-01T12:00:00Z,nb,,,,,'\u{ff1d}1+1\r\n\
         1,2025-03-01T12:00:00Z,nb,,,,,\"Ja; nei[2J\"\r\n"
    );
}

#[test]
fn summary_counts_options_across_languages_and_hides_text() {
    let call = &call();
    let rows = [
        resp(&[
            ("pick", Answer::Text("Nei".into())),
            ("many", Answer::List(vec!["Æ".into(), "Ø".into()])),
            ("n", Answer::Number(3)),
            ("t", Answer::Text("secret".into())),
        ]),
        resp(&[
            ("pick", Answer::Text("Nei".into())),
            ("n", Answer::Number(1)),
        ]),
    ];
    let counts = Counts::recount(rows.iter().map(|r| &r.answers));
    let s = summary(call, &mut |k| counts.get(&k));
    assert_eq!(s["responses"], 2);
    assert_eq!(s["questions"][0]["options"][1]["count"], 2);
    assert_eq!(s["questions"][0]["options"][1]["labels"]["en"], "No");
    assert_eq!(s["questions"][1]["options"][0]["count"], 1);
    assert_eq!(s["questions"][1]["answered"], 1);
    assert_eq!(
        s["questions"][2]["values"],
        json!([{"value":1,"count":1},{"value":2,"count":0},{"value":3,"count":1}])
    );
    assert_eq!(
        s["questions"][3],
        json!({"id":"t","kind":"text","answered":1})
    );
    assert!(!s.to_string().contains("secret"));
}

/// Two responses, the second hidden: what every export below gets.
fn with_hidden() -> Vec<StoredResponse> {
    let mut first = resp(&[
        ("pick", Answer::Text("Ja".into())),
        ("n", Answer::Number(3)),
        ("t", Answer::Text("=1+1 er to".into())),
    ]);
    first.id = 7;
    let mut second = resp(&[
        ("pick", Answer::Text("Nei".into())),
        ("many", Answer::List(vec!["Æ".into(), "Ø".into()])),
        ("t", Answer::Text("Naboen min heter Ola".into())),
    ]);
    second.id = 9;
    second.hidden = Some(Hidden {
        reason: "Navn på en nabo".into(),
        by: "kari@kommune.example".into(),
        at: "2025-03-02T08:00:00Z".parse().unwrap(),
    });
    vec![first, second]
}

#[test]
fn csv_has_each_answer_s_id_and_why_it_is_hidden() {
    let out = String::from_utf8(csv(&call(), &with_hidden())).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[1], "7,2025-03-01T12:00:00Z,nb,,Ja,,3,'=1+1 er to");
    assert_eq!(
        lines[2],
        "9,2025-03-01T12:00:00Z,nb,Navn på en nabo,Nei,\"Æ; Ø\",,Naboen min heter Ola"
    );
}

#[test]
fn json_has_ids_and_who_hid_what_when() {
    let v: Value = serde_json::from_slice(&json(&call(), &with_hidden())).unwrap();
    assert_eq!(v["responses"][0]["id"], 7);
    assert_eq!(v["responses"][0]["hidden"], Value::Null);
    assert_eq!(
        v["responses"][1]["hidden"],
        json!({"reason": "Navn på en nabo", "by": "kari@kommune.example", "at": "2025-03-02T08:00:00Z"})
    );
    assert_eq!(v["questions"][0]["label"]["nb"], "Vil du ha benker?");
}

/// Reads the workbook back as a spreadsheet program would: every sheet's cells by name.
fn read_xlsx(bytes: Vec<u8>) -> Vec<(String, calamine::Range<calamine::Data>)> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            (name, range)
        })
        .collect()
}

#[test]
fn the_excel_file_has_the_answers_as_text_and_the_visible_counts() {
    use calamine::{Data, DataType};
    let bytes = xlsx(&call(), &with_hidden()).unwrap();
    let sheets = read_xlsx(bytes);
    assert_eq!(
        sheets.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        ["Svar", "Antall"]
    );
    let answers = &sheets[0].1;
    let row = |r: u32| -> Vec<String> {
        (0..8)
            .map(|c| {
                answers
                    .get_value((r, c))
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            })
            .collect()
    };
    assert_eq!(
        row(0),
        [
            "id",
            "sendt",
            "språk",
            "skjult",
            "Vil du ha benker?",
            "Hvilke?",
            "Hvor viktig?",
            "=Noe mer?"
        ]
    );
    assert_eq!(answers.get_value((1, 0)), Some(&Data::Float(7.0)));
    assert_eq!(answers.get_value((1, 6)), Some(&Data::Float(3.0)));
    // Text a spreadsheet would run is a plain string cell, shown as written, never a formula.
    assert_eq!(
        answers.get_value((1, 7)),
        Some(&Data::String("=1+1 er to".into()))
    );
    assert!(answers.get_value((0, 7)).unwrap().is_string());
    assert_eq!(row(2)[3], "Navn på en nabo");
    assert_eq!(row(2)[5], "Æ; Ø");

    let counts = &sheets[1].1;
    let cell = |r: u32, c: u32| {
        counts
            .get_value((r, c))
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    assert_eq!(
        (cell(0, 0), cell(0, 1)),
        ("Svar i alt".into(), "1".into()),
        "the hidden one left out"
    );
    assert_eq!(cell(1, 0), "Skjulte svar er ikke talt med.");
    let table: Vec<[String; 3]> = (3..counts.height() as u32)
        .map(|r| [cell(r, 0), cell(r, 1), cell(r, 2)])
        .collect();
    let s = |a: &str, b: &str, c: &str| [a.to_string(), b.to_string(), c.to_string()];
    assert_eq!(
        table,
        [
            s("Spørsmål", "Svar", "Antall"),
            s("Vil du ha benker?", "", "1"),
            s("", "Ja", "1"),
            s("", "Nei", "0"),
            s("Hvilke?", "", "0"),
            s("", "Æ", "0"),
            s("", "Ø", "0"),
            s("Hvor viktig?", "", "1"),
            s("", "1", "0"),
            s("", "2", "0"),
            s("", "3", "1"),
            s("=Noe mer?", "", "1"),
        ]
    );
}

/// Excel keeps at most 32,767 characters in a cell and refuses a file with more; control
/// characters are not allowed in its XML at all.
#[test]
fn an_answer_longer_than_a_cell_holds_or_with_control_characters_still_opens() {
    let long = resp(&[("t", Answer::Text("benk ".repeat(10_000)))]);
    let odd = resp(&[("t", Answer::Text("Ja;\0 nei\x1b[2J".into()))]);
    let sheets = read_xlsx(xlsx(&call(), &[long, odd]).unwrap());
    let cell = sheets[0].1.get_value((1, 7)).unwrap().to_string();
    assert_eq!(cell.chars().count(), 32_767);
    let cell = sheets[0].1.get_value((2, 7)).unwrap().to_string();
    assert!(cell.starts_with("Ja;") && cell.contains("nei"), "{cell:?}");
}
