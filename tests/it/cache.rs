//! The build cache in `.torget/cache/`: a warm `torget build` gives, byte for byte, what a cold
//! build of the same sources gives, and takes from the cache only what did not change.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::TestSite;

const NOW: &str = "2026-11-26T11:00:00Z";

/// Every file under `dir` by its path under `dir`.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn assert_same_tree(warm: &Path, cold: &Path) {
    let (warm, cold) = (tree(warm), tree(cold));
    let only_warm: Vec<&String> = warm.keys().filter(|k| !cold.contains_key(*k)).collect();
    let only_cold: Vec<&String> = cold.keys().filter(|k| !warm.contains_key(*k)).collect();
    assert!(
        only_warm.is_empty() && only_cold.is_empty(),
        "only in the warm build: {only_warm:?}; only in the cold one: {only_cold:?}"
    );
    let differ: Vec<&String> = warm.keys().filter(|k| warm[*k] != cold[*k]).collect();
    assert!(differ.is_empty(), "differ: {differ:?}");
}

/// `torget build` with the given extra arguments; returns what it said.
fn build(site: &TestSite, extra: &[&str]) -> String {
    build_at(site, NOW, extra)
}

/// [`build`] at the time `now`.
fn build_at(site: &TestSite, now: &str, extra: &[&str]) -> String {
    let mut args = vec!["build", "--now", now];
    args.extend_from_slice(extra);
    let out = site.torget(&args);
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{said}");
    said
}

/// The same sources, built cold (`--no-cache`) in a folder of their own.
fn cold_copy(site: &TestSite) -> TestSite {
    cold_copy_at(site, NOW)
}

/// [`cold_copy`] at the time `now`.
fn cold_copy_at(site: &TestSite, now: &str) -> TestSite {
    let copy = TestSite {
        dir: tempfile::tempdir().unwrap(),
        now: crate::common::fixed_now(),
    };
    for e in walkdir::WalkDir::new(site.root()) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(site.root()).unwrap();
        let top = rel.components().next().map(|c| c.as_os_str().to_owned());
        if top
            .as_deref()
            .is_some_and(|t| t == "public" || t == ".torget")
        {
            continue;
        }
        let to = copy.root().join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    let said = build_at(&copy, now, &["--no-cache"]);
    assert!(!said.contains("build cache"), "{said}");
    assert!(!copy.root().join(".torget/cache").exists());
    copy
}

fn edit(site: &TestSite, rel: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(site.root().join(rel)).unwrap();
    assert!(text.contains(from), "{rel} lacks {from:?}");
    site.write(rel, &text.replacen(from, to, 1));
}

#[test]
fn a_warm_build_after_an_edit_is_byte_identical_to_a_cold_one() {
    let site = TestSite::sample();
    let said = build(&site, &[]);
    assert!(
        !said.contains("build cache"),
        "a first build has none: {said}"
    );
    assert!(site.root().join(".torget/cache").is_dir());

    // Nothing changed: every language's index comes from the cache.
    let said = build(&site, &[]);
    assert!(
        said.contains("search index of nb, en: unchanged, taken from the build cache"),
        "{said}"
    );
    assert_same_tree(&site.out(), &cold_copy(&site).out());

    // One Bokmål body changed: the English index is the one taken, the Bokmål one updated
    // with that one page.
    let rel = "content/om.md";
    let body = std::fs::read_to_string(site.root().join(rel)).unwrap();
    site.write(rel, &format!("{body}\nEt nytt avsnitt om kjøkkenhagen.\n"));
    let said = build(&site, &[]);
    assert!(
        said.contains("search index of en: unchanged, taken from the build cache"),
        "{said}"
    );
    assert!(
        said.contains("search index of nb: updated, one page read again"),
        "{said}"
    );
    let cold = cold_copy(&site);
    assert_same_tree(&site.out(), &cold.out());
    assert!(
        tree(&site.out().join("pagefind"))
            .keys()
            .any(|f| f.starts_with("fragment/nb_")),
        "the index has Bokmål fragments"
    );
}

#[test]
fn what_the_index_shows_besides_content_is_not_taken_from_the_cache() {
    let site = TestSite::sample();
    build(&site, &[]);
    // The kind's label is in every record's meta: both languages' indexes are made again.
    edit(
        &site,
        "i18n/en.toml",
        "project = \"Project\"",
        "project = \"Scheme\"",
    );
    let said = build(&site, &[]);
    assert!(
        said.contains("search index of nb: unchanged, taken from the build cache"),
        "{said}"
    );
    assert_same_tree(&site.out(), &cold_copy(&site).out());

    // A template changes pages, not the index: still the same output as a cold build.
    let base = std::fs::read_to_string(
        crate::common::repo_root().join("themes/default/templates/base.html"),
    )
    .unwrap();
    site.write(
        "templates/base.html",
        &base.replacen("<body", "<body data-changed", 1),
    );
    build(&site, &[]);
    let cold = cold_copy(&site);
    assert_same_tree(&site.out(), &cold.out());
    assert!(site.page("/").contains("data-changed"));
}

#[test]
fn another_torget_binary_does_not_use_the_cache_and_no_cache_leaves_it_alone() {
    let site = TestSite::sample();
    build(&site, &[]);
    // The same version rebuilt: a binary of another size or time.
    let other = tempfile::tempdir().unwrap();
    let exe = other.path().join("torget");
    std::fs::copy(env!("CARGO_BIN_EXE_torget"), &exe).unwrap();
    let out = std::process::Command::new(&exe)
        .args(["build", "--now", NOW])
        .current_dir(site.root())
        .env("TORGET_LANG", "en")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(!said.contains("taken from the build cache"), "{said}");
    // What the output folder holds is known by its bytes, whichever binary wrote them.
    assert!(
        said.contains("output: 0 files written, 0 removed"),
        "{said}"
    );
    assert_same_tree(&site.out(), &cold_copy(&site).out());

    // `--no-cache` neither reads nor writes it.
    let cache = site.root().join(".torget/cache");
    let before = tree(&cache);
    let said = build(&site, &["--no-cache"]);
    assert!(!said.contains("build cache"), "{said}");
    assert_eq!(tree(&cache), before);
}

#[test]
fn a_changed_title_shows_in_the_listings_and_the_updated_index_as_in_a_cold_build() {
    let site = TestSite::sample();
    build(&site, &[]);
    edit(
        &site,
        "content/projects/apne-data.md",
        "title = \"Åpne data for Trondheim\"",
        "title = \"Delte data for Trondheim\"",
    );
    let said = build(&site, &[]);
    // The title is in the project's own record; its page is the one read again.
    assert!(
        said.contains("search index of nb: updated, one page read again"),
        "{said}"
    );
    assert_same_tree(&site.out(), &cold_copy(&site).out());
    assert!(
        site.page("/prosjekter/")
            .contains("Delte data for Trondheim")
    );
}

#[test]
fn an_added_or_removed_item_gives_what_a_cold_build_gives() {
    let site = TestSite::sample();
    build(&site, &[]);
    // A new project: Bokmål's pages are numbered anew, so its index is built whole.
    site.write(
        "content/projects/kjokkenhage.md",
        "+++\ntitle = \"Kjøkkenhage ved rådhuset\"\nsummary = \"En hage for alle.\"\n\
         areas = [\"byutvikling\"]\nstatus = \"active\"\nstart = 2026-01-01\n+++\n\
         Grønnsaker og urter ved rådhuset.\n",
    );
    let said = build(&site, &[]);
    assert!(!said.contains("search index of nb: updated"), "{said}");
    assert!(
        said.contains("search index of en: unchanged, taken from the build cache"),
        "{said}"
    );
    assert_same_tree(&site.out(), &cold_copy(&site).out());
    assert!(
        site.page("/prosjekter/")
            .contains("Kjøkkenhage ved rådhuset")
    );

    // An event gone, in both languages: both indexes are built whole.
    let title = "Universitetskommunekonferansen 2019";
    assert!(site.page("/arrangementer/").contains(title));
    site.remove("content/events/konferanse-2019.md");
    site.remove("content/events/konferanse-2019.en.md");
    let said = build(&site, &[]);
    assert!(!said.contains("updated"), "{said}");
    assert!(!said.contains("unchanged"), "{said}");
    assert_same_tree(&site.out(), &cold_copy(&site).out());
    assert!(!site.page("/arrangementer/").contains(title));

    // The edit after a whole build updates the index that build kept.
    let rel = "content/projects/kjokkenhage.md";
    let text = std::fs::read_to_string(site.root().join(rel)).unwrap();
    site.write(rel, &format!("{text}\nNå også med bringebær.\n"));
    let said = build(&site, &[]);
    assert!(
        said.contains("search index of nb: updated, one page read again"),
        "{said}"
    );
    assert_same_tree(&site.out(), &cold_copy(&site).out());
}

#[test]
fn a_changed_site_toml_gives_what_a_cold_build_gives() {
    let site = TestSite::sample();
    build(&site, &[]);
    edit(
        &site,
        "site.toml",
        "title = \"University Municipality Trondheim\"",
        "title = \"The University Municipality of Trondheim\"",
    );
    build(&site, &[]);
    assert_same_tree(&site.out(), &cold_copy(&site).out());
    assert!(
        site.page("/en/")
            .contains("The University Municipality of Trondheim")
    );
}

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).unwrap().ino()
}

#[cfg(unix)]
#[test]
fn a_warm_build_leaves_unchanged_files_in_place_and_undoes_hand_edits() {
    let site = TestSite::sample();
    build(&site, &[]);
    let untouched = site.out().join("en/index.html");
    let before = inode(&untouched);

    // One body changed: the files it changes are moved into place, the rest stay as they are.
    edit(
        &site,
        "content/om.md",
        "\n\n",
        "\n\nEt nytt avsnitt om kjøkkenhagen.\n\n",
    );
    let said = build(&site, &[]);
    assert!(
        said.contains("the rest unchanged (the build cache remembered them)"),
        "{said}"
    );
    assert_eq!(
        inode(&untouched),
        before,
        "an unchanged page was written again"
    );
    assert!(
        std::fs::read_to_string(site.out().join("om/index.html"))
            .unwrap()
            .contains("kjøkkenhagen")
    );
    assert_same_tree(&site.out(), &cold_copy(&site).out());

    // Someone edits a page in the output by hand, deletes one and adds a file of their own:
    // the next build puts the output back to what the sources make, as a cold build would.
    let edited = site.out().join("en/index.html");
    let mut html = std::fs::read(&edited).unwrap();
    html.extend_from_slice(b"<!-- edited by hand -->");
    std::fs::write(&edited, html).unwrap();
    std::fs::remove_file(site.out().join("om/index.html")).unwrap();
    std::fs::write(site.out().join("stray.txt"), "mine").unwrap();
    build(&site, &[]);
    assert_same_tree(&site.out(), &cold_copy(&site).out());
}

/// How many pages a build rendered and how many it left as they were, from what it said.
fn pages_rendered_and_kept(said: &str) -> (usize, usize) {
    let line = said
        .lines()
        .find(|l| l.starts_with("pages: "))
        .unwrap_or_else(|| panic!("no line about pages left: {said}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

#[test]
fn a_warm_build_renders_only_the_pages_an_edit_reaches_and_matches_a_cold_build() {
    let site = TestSite::sample();
    build(&site, &[]);

    // An event's body: its own two pages and the listings, not every page.
    edit(
        &site,
        "content/events/byvandring-sykkel-2033.md",
        "- Vi går i all slags vær",
        "- Vi går i nesten all slags vær",
    );
    let said = build(&site, &[]);
    let (rendered, kept) = pages_rendered_and_kept(&said);
    assert!(
        rendered < kept,
        "{rendered} pages rendered for one body: {said}"
    );
    assert_same_tree(&site.out(), &cold_copy(&site).out());

    // Edits whose words other items' pages show: a project's title (on its events' and
    // calls' pages, its areas'), an event moved to another project, an area's title and a
    // menu page's title (on every page), a section's title (in every page's menu).
    let edits = [
        (
            "content/projects/sykkelveier-og-byrom.en.md",
            "title = \"Cycle paths and good urban spaces\"",
            "title = \"Cycle paths and better urban spaces\"",
        ),
        (
            "content/events/byvandring-sykkel-2033.md",
            "project = \"sykkelveier-og-byrom\"",
            "project = \"universitetsskolen\"",
        ),
        (
            "content/areas/smart-kommune.md",
            "title = \"Smart kommune\"",
            "title = \"Smartere kommune\"",
        ),
        (
            "content/om.md",
            "title = \"Om Universitetskommunen\"",
            "title = \"Om oss\"",
        ),
        (
            "content/events/_index.md",
            "title = \"Arrangementer\"",
            "title = \"Hva skjer\"",
        ),
    ];
    for (rel, from, to) in edits {
        edit(&site, rel, from, to);
        build(&site, &[]);
        assert_same_tree(&site.out(), &cold_copy(&site).out());
    }
    assert!(
        site.page("/prosjekter/universitetsskolen/")
            .contains("Byvandring")
    );
}

#[test]
fn an_untranslated_page_follows_its_section_renamed_in_the_other_language() {
    let site = TestSite::sample();
    // A section below the news, not in any menu, with a page only in Bokmål: its English
    // switcher link leads to the section's English page.
    site.write(
        "content/nyheter/arkiv/_index.md",
        "+++\ntitle = \"Arkiv\"\n+++\n",
    );
    site.write(
        "content/nyheter/arkiv/_index.en.md",
        "+++\ntitle = \"Archive\"\nslug = \"archive\"\n+++\n",
    );
    site.write(
        "content/nyheter/arkiv/gammel.md",
        "+++\ntitle = \"En gammel nyhet\"\nsummary = \"Fra arkivet.\"\ndate = 2019-01-01\n+++\nTekst.\n",
    );
    build(&site, &[]);
    edit(
        &site,
        "content/nyheter/arkiv/_index.en.md",
        "slug = \"archive\"",
        "slug = \"old-news\"",
    );
    build(&site, &[]);
    assert_same_tree(&site.out(), &cold_copy(&site).out());
    assert!(site.page("/nyheter/arkiv/gammel/").contains("old-news"));
}

#[test]
fn a_warm_build_later_in_time_shows_calls_closed_and_events_past_as_a_cold_build() {
    let site = TestSite::sample();
    // Before the cycling call opens, while it is open, after it closed; the walk in 2033
    // upcoming, then past.
    for now in [
        "2026-11-26T11:00:00Z",
        "2033-01-01T12:00:00Z",
        "2035-03-15T12:00:00Z",
        "2035-05-15T12:00:00Z",
    ] {
        build_at(&site, now, &[]);
        assert_same_tree(&site.out(), &cold_copy_at(&site, now).out());
    }
}
