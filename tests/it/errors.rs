//! Broken content: every mistake a content writer can make fails the build with the file, the
//! line and what to do, all mistakes are reported at once, and nothing is published.

use crate::common::TestSite;

/// One broken file written over the minimal fixture, and what the error must say.
struct Case {
    name: &'static str,
    file: &'static str,
    text: &'static str,
    line: Option<usize>,
    message: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "script in content",
        file: "content/om.md",
        text: "+++\ntitle = \"Om\"\nsummary = \"x\"\n+++\nTekst.\n\n<script>alert(1)</script>\n",
        line: Some(7),
        message: "content may not contain <script>",
    },
    Case {
        name: "file name unusable in a URL",
        file: "content/Møte referat.md",
        text: "+++\ntitle = \"Møte\"\nsummary = \"x\"\n+++\n",
        line: Some(1),
        message: "the file name `Møte referat` cannot be used in a web address",
    },
    Case {
        name: "page at the thank-you page's URL",
        file: "content/takk.md",
        text: "+++\ntitle = \"Takk\"\nsummary = \"x\"\n+++\n",
        line: Some(1),
        message: "the URL /takk/ is also used by torget's thanks page",
    },
    Case {
        name: "a time the clocks skip",
        file: "content/events/hagedag.md",
        text: "+++\ntitle = \"H\"\nsummary = \"x\"\nstart = 2026-03-29T02:30:00\nend = 2026-03-29T04:00:00\nlocation = { name = \"S\" }\n+++\n",
        line: Some(4),
        message: "`start` is a time that does not exist in Europe/Oslo",
    },
    Case {
        name: "invalid TOML",
        file: "content/projects/skolehage.md",
        text: "+++\ntitle = \"Skolehage\"\nsummary = En hage\n+++\n",
        line: Some(3),
        message: "the keys at the top of the file cannot be read",
    },
    Case {
        name: "unclosed front matter",
        file: "content/projects/skolehage.md",
        text: "+++\ntitle = \"Skolehage\"\nsummary = \"x\"\n",
        line: Some(1),
        message: "the `+++` line after the keys at the top of the file is missing",
    },
    Case {
        name: "no front matter",
        file: "content/om.md",
        text: "# Om oss\n",
        line: Some(1),
        message: "the file does not start with a `+++` line",
    },
    Case {
        name: "month out of range",
        file: "content/events/hagedag.md",
        text: "+++\ntitle = \"H\"\nsummary = \"x\"\nstart = 2026-13-45\nend = 2026-12-01T20:00\nlocation = { name = \"S\" }\n+++\n",
        line: Some(4),
        message: "`start = 2026-13-45`: there is no month 13",
    },
    Case {
        name: "date written day first",
        file: "content/projects/skolehage.md",
        text: "+++\ntitle = \"S\"\nsummary = \"x\"\nareas = [\"byutvikling\"]\nstatus = \"active\"\nstart = 01.08.2019\n+++\n",
        line: Some(6),
        message: "`start = 01.08.2019` has the day first",
    },
    Case {
        name: "page key below the questions",
        file: "content/calls/hagen.md",
        text: "+++\ntitle = \"H\"\nsummary = \"x\"\nopens = 2020-01-01T00:00:00\ncloses = 2030-01-01T00:00:00\n[[questions]]\nid = \"a\"\nkind = \"text\"\nlabel = \"A?\"\nkeep_days = 30\n+++\n",
        line: Some(10),
        message: "`keep_days` belongs to the page, but here it is inside `[[questions]]`",
    },
    Case {
        name: "missing title",
        file: "content/om.md",
        text: "+++\nsummary = \"x\"\n+++\n",
        line: Some(1),
        message: "missing `title`",
    },
    Case {
        name: "misspelt key",
        file: "content/om.md",
        text: "+++\ntitle = \"Om\"\nsummary = \"x\"\nsumary = \"y\"\n+++\n",
        line: Some(4),
        message: "`sumary` is not a key torget knows",
    },
    Case {
        name: "mistyped value",
        file: "content/projects/skolehage.md",
        text: "+++\ntitle = \"S\"\nsummary = \"x\"\nareas = \"byutvikling\"\nstatus = \"active\"\nstart = 2019-08-01\n+++\n",
        line: Some(4),
        message: "`areas` has the wrong kind of value",
    },
    Case {
        name: "key of another kind",
        file: "content/om.md",
        text: "+++\ntitle = \"Om\"\nsummary = \"x\"\nstatus = \"active\"\n+++\n",
        line: Some(4),
        message: "`status` has no meaning in a page",
    },
    Case {
        name: "unknown area",
        file: "content/projects/skolehage.md",
        text: "+++\ntitle = \"S\"\nsummary = \"x\"\nstatus = \"active\"\nstart = 2019-08-01\nareas = [\"byutvikl\"]\n+++\n",
        line: Some(6),
        message: "unknown area `byutvikl` in `areas`",
    },
    Case {
        name: "unknown project",
        file: "content/events/hagedag.md",
        text: "+++\ntitle = \"H\"\nsummary = \"x\"\nstart = 2018-01-11T12:00:00\nend = 2018-01-11T14:00:00\nlocation = { name = \"S\" }\nproject = \"skolehagen\"\n+++\n",
        line: Some(7),
        message: "unknown project `skolehagen` in `project`",
    },
    Case {
        name: "unknown status",
        file: "content/projects/skolehage.md",
        text: "+++\ntitle = \"S\"\nsummary = \"x\"\nareas = [\"byutvikling\"]\nstatus = \"ongoing\"\nstart = 2019-08-01\n+++\n",
        line: Some(5),
        message: "`status = \"ongoing\"` is not a known status",
    },
    Case {
        name: "closes before opens",
        file: "content/calls/hagen.md",
        text: "+++\ntitle = \"H\"\nsummary = \"x\"\nopens = 2020-01-01T00:00:00\ncloses = 2019-01-01T00:00:00\n[[questions]]\nid = \"a\"\nkind = \"text\"\nlabel = \"A?\"\n+++\n",
        line: Some(5),
        message: "`closes` is before `opens`",
    },
    Case {
        name: "event ends before it starts",
        file: "content/events/hagedag.md",
        text: "+++\ntitle = \"H\"\nsummary = \"x\"\nstart = 2018-01-11T12:00:00\nend = 2018-01-11T10:00:00\nlocation = { name = \"S\" }\n+++\n",
        line: Some(5),
        message: "`end` is before `start`",
    },
    Case {
        name: "date-time without time",
        file: "content/events/hagedag.md",
        text: "+++\ntitle = \"H\"\nsummary = \"x\"\nstart = 2018-01-11\nend = 2018-01-11T10:00:00\nlocation = { name = \"S\" }\n+++\n",
        line: Some(4),
        message: "`start` needs both a date and a time",
    },
    Case {
        name: "image without alt text",
        file: "content/om.md",
        text: "+++\ntitle = \"Om\"\nsummary = \"x\"\nimage = \"/bilde.jpg\"\n+++\n",
        line: Some(4),
        message: "`image` has no `image_alt`",
    },
    Case {
        name: "link to a missing item",
        file: "content/om.md",
        text: "+++\ntitle = \"Om\"\nsummary = \"x\"\n+++\nFørste linje.\n\nSe [dette](@/projects/mangler.md).\n",
        line: Some(7),
        message: "the link `@/projects/mangler.md` points to no content file",
    },
    Case {
        name: "choice without options",
        file: "content/calls/hagen.md",
        text: "+++\ntitle = \"H\"\nsummary = \"x\"\nopens = 2020-01-01T00:00:00\ncloses = 2030-01-01T00:00:00\n[[questions]]\nid = \"a\"\nkind = \"choice\"\nlabel = \"A?\"\n+++\n",
        line: Some(8),
        message: "a `choice` question needs at least two `options`",
    },
    Case {
        name: "translated call with another question id",
        file: "content/calls/hagen.en.md",
        text: "+++\ntitle = \"G\"\nsummary = \"x\"\n[[questions]]\nid = \"plant\"\nkind = \"choice\"\nlabel = \"What?\"\noptions = [\"Apples\", \"Potatoes\"]\nrequired = true\n[[questions]]\nid = \"hvorfor\"\nkind = \"longtext\"\nlabel = \"Why?\"\n[[questions]]\nid = \"viktig\"\nkind = \"scale\"\nlabel = \"How?\"\n+++\n",
        line: Some(4),
        message: "question id `plant` does not match `plante` in the nb version",
    },
    Case {
        name: "translated call with fewer options",
        file: "content/calls/hagen.en.md",
        text: "+++\ntitle = \"G\"\nsummary = \"x\"\n[[questions]]\nid = \"plante\"\nkind = \"choice\"\nlabel = \"What?\"\noptions = [\"Apples\"]\nrequired = true\n[[questions]]\nid = \"hvorfor\"\nkind = \"longtext\"\nlabel = \"Why?\"\n[[questions]]\nid = \"viktig\"\nkind = \"scale\"\nlabel = \"How?\"\n+++\n",
        line: Some(6),
        message: "needs at least two `options`",
    },
    Case {
        name: "translation changes a shared date",
        file: "content/events/hagedag.en.md",
        text: "+++\ntitle = \"G\"\nsummary = \"x\"\nstart = 2018-01-12T12:00:00\n+++\n",
        line: Some(4),
        message: "`start` differs from the nb version",
    },
    Case {
        name: "translation changes the shared contact e-mail",
        file: "content/projects/skolehage.en.md",
        text: "+++\ntitle = \"G\"\nsummary = \"x\"\ncontact = { name = \"Project lead\", email = \"garden@example.no\" }\n+++\n",
        line: Some(4),
        message: "`contact.email` differs from the nb version",
    },
    Case {
        name: "contact without an e-mail address",
        file: "content/projects/hage.md",
        text: "+++\ntitle = \"H\"\nsummary = \"x\"\nareas = [\"byutvikling\"]\nstatus = \"active\"\nstart = 2019-08-01\ncontact = { name = \"Kari\" }\n+++\n",
        line: Some(7),
        message: "`contact` has no `email`",
    },
    Case {
        name: "unknown language suffix",
        file: "content/om.de.md",
        text: "+++\ntitle = \"Über\"\nsummary = \"x\"\n+++\n",
        line: Some(1),
        message: "`.de` in the file name is not a language of this site",
    },
    Case {
        name: "two items at one URL",
        file: "content/projects/hage.md",
        text: "+++\ntitle = \"H\"\nsummary = \"x\"\nslug = \"skolehage\"\nareas = [\"byutvikling\"]\nstatus = \"active\"\nstart = 2019-08-01\n+++\n",
        line: Some(1),
        message: "the URL /prosjekter/skolehage/ is also used by",
    },
    Case {
        name: "invalid site.toml",
        file: "site.toml",
        text: "base_url = \"https://x.no\"\n[languages.nb]\ntitel = \"X\"\n",
        line: Some(3),
        message: "unknown field `titel`",
    },
];

#[test]
fn each_malformed_content_case_fails_with_file_line_and_message() {
    let mut failures = Vec::new();
    for case in CASES {
        let site = TestSite::fixture("minimal");
        site.write(case.file, case.text);
        let result = std::panic::catch_unwind(|| site.build_errors());
        let errors = match result {
            Ok(e) => e,
            Err(_) => {
                failures.push(format!(
                    "{}: the build did not fail with content errors",
                    case.name
                ));
                continue;
            }
        };
        let found = errors.iter().find(|d| d.message.contains(case.message));
        match found {
            None => failures.push(format!(
                "{}: no error says {:?}; got:\n{}",
                case.name,
                case.message,
                errors
                    .iter()
                    .map(|d| format!("  {d}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            )),
            Some(d) => {
                if d.path != std::path::Path::new(case.file) {
                    failures.push(format!(
                        "{}: error names {} instead of {}",
                        case.name,
                        d.path.display(),
                        case.file
                    ));
                }
                if d.line != case.line {
                    failures.push(format!(
                        "{}: error at line {:?}, expected {:?}: {d}",
                        case.name, d.line, case.line
                    ));
                }
                if d.help.is_none() {
                    failures.push(format!(
                        "{}: error says nothing about what to do: {d}",
                        case.name
                    ));
                }
            }
        }
        assert!(
            !site.exists("index.html"),
            "{}: a broken site was published",
            case.name
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn all_content_errors_are_reported_together() {
    let site = TestSite::fixture("minimal");
    site.write("content/om.md", "+++\nsummary = \"x\"\n+++\n");
    site.write("content/projects/skolehage.md", "+++\ntitle = \"S\"\nsummary = \"x\"\nstatus = \"active\"\nstart = 2019-08-01\nareas = [\"nope\"]\n+++\n");
    let errors = site.build_errors();
    assert!(errors.iter().any(|d| d.message == "missing `title`"));
    assert!(
        errors
            .iter()
            .any(|d| d.message.contains("unknown area `nope`"))
    );
}

#[test]
fn the_error_report_reads_like_a_compiler() {
    let site = TestSite::fixture("minimal");
    site.write("content/projects/ny.md", "+++\ntitle = \"S\"\nsummary = \"x\"\nstatus = \"active\"\nstart = 2019-08-01\nareas = [\"nope\"]\n+++\n");
    let e = site.build().unwrap_err();
    let report = e.to_string();
    assert!(report.starts_with("content/projects/ny.md:6:1: error: unknown area `nope` in `areas`\n  help: known areas: byutvikling"), "{report}");
    assert!(
        report.ends_with("the site has 1 content error; nothing was published"),
        "{report}"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    let before = site.page("/prosjekter/skolehage/");
    site.write(
        "content/projects/skolehage.md",
        "+++\ntitle = \"Endret\"\nsummary = \"x\"\n+++\n",
    );
    site.build().unwrap_err();
    assert_eq!(site.page("/prosjekter/skolehage/"), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn a_missing_i18n_key_fails_naming_key_and_language() {
    // A third language has no embedded strings to fall back on: its file must have every key.
    let site = TestSite::fixture("minimal");
    let nb = std::fs::read_to_string(crate::common::repo_root().join("i18n/nb.toml")).unwrap();
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &format!("{config}\n[languages.nn]\ntitle = \"Testkommunen\"\n"),
    );
    site.write(
        "i18n/nn.toml",
        &nb.replace("submit = \"Send innspill\"\n", ""),
    );
    let errors = site.build_errors();
    let d = errors
        .iter()
        .find(|d| d.message.contains("missing key"))
        .expect("missing key error");
    assert_eq!(d.message, "missing key `form.submit` for language `nn`");
    assert_eq!(d.path, std::path::Path::new("i18n/nn.toml"));
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains("add `form.submit` to i18n/nn.toml")
    );
}

#[test]
fn a_language_without_the_endpoints_sentences_fails_naming_the_missing_key() {
    // The endpoint speaks each of the site's languages from its i18n file, so Nynorsk without
    // `[endpoint]` is as incomplete as Nynorsk without a form's button.
    let site = TestSite::fixture("minimal");
    site.add_nynorsk();
    let nn = std::fs::read_to_string(site.root().join("i18n/nn.toml")).unwrap();
    let start = nn
        .find("[endpoint]")
        .expect("the fixture has an [endpoint] table");
    let end = nn[start + 1..]
        .find("\n[")
        .map_or(nn.len(), |i| start + 1 + i);
    site.write("i18n/nn.toml", &format!("{}{}", &nn[..start], &nn[end..]));
    let missing: Vec<String> = site
        .build_errors()
        .into_iter()
        .filter(|d| d.path == std::path::Path::new("i18n/nn.toml"))
        .map(|d| d.message)
        .collect();
    assert!(
        missing.contains(&"missing key `endpoint.too_long` for language `nn`".to_string()),
        "{missing:?}"
    );
    assert!(
        missing
            .iter()
            .all(|m| m.starts_with("missing key `endpoint.")),
        "{missing:?}"
    );
}

#[test]
fn non_utf8_content_is_an_error_not_a_panic() {
    let site = TestSite::fixture("minimal");
    std::fs::write(
        site.root().join("content/om.md"),
        b"+++\ntitle = \"\xff\"\n+++\n",
    )
    .unwrap();
    let errors = site.build_errors();
    assert!(
        errors
            .iter()
            .any(|d| d.message.starts_with("not UTF-8 text")),
        "{errors:?}"
    );
}

#[test]
fn a_project_that_fails_to_load_is_not_also_unknown_where_it_is_named() {
    // A bad date in a project used to come with "unknown project" in every event and call that
    // named it, listed first: the writer went to the wrong file.
    let site = TestSite::fixture("minimal");
    let project = std::fs::read_to_string(site.root().join("content/projects/skolehage.md"))
        .unwrap()
        .replace("start = 2019-08-01", "start = 2019-13-01");
    site.write("content/projects/skolehage.md", &project);
    let area = std::fs::read_to_string(site.root().join("content/areas/byutvikling.md")).unwrap();
    site.write(
        "content/areas/byutvikling.md",
        &area.replace("order = 1", "order = \"first\""),
    );
    let errors: Vec<String> = site.build_errors().iter().map(|d| d.to_string()).collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors[0].starts_with(
            "content/areas/byutvikling.md:4:9: error: `order` has the wrong kind of value"
        ),
        "{errors:#?}"
    );
    assert!(
        errors[1].starts_with(
            "content/projects/skolehage.md:6:9: error: `start = 2019-13-01`: there is no month 13"
        ),
        "{errors:#?}"
    );
}
