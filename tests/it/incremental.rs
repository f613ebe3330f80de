//! Loading a site again after a few files changed: the parse and Markdown caches give what a
//! fresh load gives, `content::reload` patches an item in place only when nothing else can be
//! affected, and `output::Mirror` writes only what changed.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::common::TestSite;
use torget::content::{self, Cache, LoadOptions, Reload};
use torget::site::{self, Site};

fn load(site: &TestSite, cache: &mut Cache) -> Site {
    site::load_cached(site.root(), false, cache).unwrap_or_else(|e| panic!("{e:#}"))
}

fn html_of(s: &Site, key: &str, lang: &str) -> String {
    s.lib.by_key(key).unwrap().versions[lang].html.clone()
}

fn reload(site: &TestSite, s: &mut Site, cache: &mut Cache, paths: &[&str]) -> Reload {
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    content::reload(
        site.root(),
        &s.config,
        &LoadOptions { drafts: false },
        &mut s.lib,
        cache,
        &paths,
    )
}

fn reason(r: Reload) -> String {
    match r {
        Reload::Load(why) => why.say(torget::messages::Lang::En),
        Reload::Patched { replaced, .. } => panic!("patched {} items", replaced.len()),
    }
}

#[test]
fn a_cached_load_sees_edited_added_and_removed_files() {
    let site = TestSite::fixture("minimal");
    let mut cache = Cache::default();
    let first = load(&site, &mut cache);
    assert!(!cache.is_empty());

    let p = "content/projects/skolehage.md";
    let text = std::fs::read_to_string(site.root().join(p)).unwrap();
    site.write(p, &text.replace("Om hagen.", "Om den nye hagen."));
    // Same length and a coarse clock can hide an edit; the watcher says so explicitly.
    cache.forget(p.as_ref());
    site.write(
        "content/projects/ny.md",
        "+++\ntitle = \"Ny\"\nsummary = \"Nytt.\"\nareas = [\"byutvikling\"]\nstatus = \"planned\"\nstart = 2030-01-01\n+++\nSe [hagen](@/projects/skolehage.md).\n",
    );
    site.remove("content/om.md");
    let second = load(&site, &mut cache);

    assert!(html_of(&second, "projects/skolehage.md", "nb").contains("Om den nye hagen."));
    assert!(second.lib.by_key("projects/ny.md").is_some());
    assert!(second.lib.by_key("om.md").is_none());
    // Unchanged files gave the very same parse.
    let unchanged = |s: &Site| {
        s.lib.by_key("events/hagedag.md").unwrap().versions["nb"]
            .source
            .text
            .clone()
    };
    assert!(std::sync::Arc::ptr_eq(
        &unchanged(&first),
        &unchanged(&second)
    ));
    // And the result is what a fresh load gives.
    let fresh = site::load(site.root(), false).unwrap();
    for (a, b) in fresh.lib.items.iter().zip(&second.lib.items) {
        assert_eq!(a.key, b.key);
        for (va, vb) in a.versions.values().zip(b.versions.values()) {
            assert_eq!((&va.url, &va.html, &va.text), (&vb.url, &vb.html, &vb.text));
        }
    }
    assert_eq!(fresh.lib.items.len(), second.lib.items.len());
}

/// A cached body must be rendered again when a page it links to moves, although its own file
/// did not change.
#[test]
fn a_cached_body_follows_a_link_target_to_its_new_url() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/om.md",
        "+++\ntitle = \"Om oss\"\nsummary = \"Bare på norsk.\"\nmenu = \"main\"\n+++\nSe [hagen](@/projects/skolehage.md).\n",
    );
    let mut cache = Cache::default();
    let om = |s: &Site| html_of(s, "om.md", "nb");
    let project_url = |s: &Site| {
        s.lib.by_key("projects/skolehage.md").unwrap().versions["nb"]
            .url
            .clone()
    };
    let before = load(&site, &mut cache);
    assert!(
        om(&before).contains(&format!("href=\"{}\"", project_url(&before))),
        "{}",
        om(&before)
    );

    let p = "content/projects/skolehage.md";
    let text = std::fs::read_to_string(site.root().join(p)).unwrap();
    site.write(
        p,
        &text.replace(
            "title = \"Skolehage\"",
            "title = \"Skolehage\"\nslug = \"hagen\"",
        ),
    );
    cache.forget(p.as_ref());
    let after = load(&site, &mut cache);
    assert!(project_url(&after).ends_with("/hagen/"));
    assert!(
        om(&after).contains(&format!("href=\"{}\"", project_url(&after))),
        "stale link: {}",
        om(&after)
    );
}

#[test]
fn reload_patches_an_edited_item_in_place() {
    let site = TestSite::fixture("minimal");
    let mut cache = Cache::default();
    let mut s = load(&site, &mut cache);
    let p = "content/events/hagedag.md";
    let text = std::fs::read_to_string(site.root().join(p)).unwrap();
    site.write(
        p,
        &text
            .replace("Ta med spade.", "Ta med spade og hansker.")
            .replace("title = \"Hagedag\"", "title = \"Hagedagen\""),
    );
    match reload(&site, &mut s, &mut cache, &[p]) {
        Reload::Patched { replaced, .. } => {
            assert_eq!(replaced.len(), 1);
            assert_eq!(replaced[0].versions["nb"].title, "Hagedag");
        }
        Reload::Load(why) => panic!("full load asked for: {why:?}"),
    }
    let item = s.lib.by_key("events/hagedag.md").unwrap();
    assert_eq!(item.versions["nb"].title, "Hagedagen");
    assert!(item.versions["nb"].html.contains("spade og hansker"));
    assert_eq!(item.versions["nb"].url, "/arrangementer/hagedag/");
    // The project still knows its event.
    assert_eq!(s.lib.of_project("skolehage").count(), 2);

    // Saving without a change patches nothing.
    match reload(&site, &mut s, &mut cache, &[p]) {
        Reload::Patched { replaced, .. } => assert!(replaced.is_empty()),
        Reload::Load(why) => panic!("full load asked for: {why:?}"),
    }
}

#[test]
fn reload_asks_for_a_full_load_when_more_than_the_item_may_change() {
    let site = TestSite::fixture("minimal");
    let mut cache = Cache::default();
    let mut s = load(&site, &mut cache);
    let p = "content/projects/skolehage.md";
    let text = std::fs::read_to_string(site.root().join(p)).unwrap();

    site.write(
        p,
        &text.replace(
            "title = \"Skolehage\"",
            "title = \"Skolehage\"\nslug = \"hage\"",
        ),
    );
    assert!(reason(reload(&site, &mut s, &mut cache, &[p])).contains("slug"));

    site.write(
        p,
        &text.replace("areas = [\"byutvikling\"]", "areas = [\"nope\"]"),
    );
    assert!(reason(reload(&site, &mut s, &mut cache, &[p])).contains("mistakes"));

    site.write(p, &text.replace("+++\nOm", "\nOm"));
    assert!(reason(reload(&site, &mut s, &mut cache, &[p])).contains("cannot be read or parsed"));

    site.write(
        p,
        &text.replace("status = \"active\"", "status = \"active\"\ndraft = true"),
    );
    assert!(reason(reload(&site, &mut s, &mut cache, &[p])).contains("draft"));

    site.write(p, &text);
    site.write("content/projects/ny.md", &text);
    assert!(
        reason(reload(
            &site,
            &mut s,
            &mut cache,
            &["content/projects/ny.md"]
        ))
        .contains("is a new page or a section")
    );
    site.write(
        "content/om.en.md",
        "+++\ntitle = \"About\"\nsummary = \"x\"\n+++\n",
    );
    assert!(
        reason(reload(&site, &mut s, &mut cache, &["content/om.en.md"]))
            .contains("new translation")
    );
    assert!(
        reason(reload(&site, &mut s, &mut cache, &["content/_index.md"]))
            .contains("is a new page or a section")
    );
    site.remove("content/projects/skolehage.en.md");
    assert!(
        reason(reload(
            &site,
            &mut s,
            &mut cache,
            &["content/projects/skolehage.en.md"]
        ))
        .contains("cannot be read")
    );
    // Nothing was patched along the way.
    assert_eq!(
        s.lib
            .by_key("projects/skolehage.md")
            .unwrap()
            .versions
            .len(),
        2
    );
}

#[test]
fn a_mirror_writes_only_changed_files_and_removes_what_is_gone() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("left-over.html"), "old").unwrap();
    let m = torget::output::Mirror::new(&dir).unwrap();
    assert!(
        !dir.join("left-over.html").exists(),
        "a mirror starts empty"
    );
    m.write("a/index.html", b"one").unwrap();
    m.write("b.css", b"x").unwrap();
    assert_eq!(m.take_changed(), ["a/index.html", "b.css"]);
    m.write("a/index.html", b"one").unwrap();
    assert!(m.take_changed().is_empty());
    m.write("a/index.html", b"two").unwrap();
    assert_eq!(m.take_changed(), ["a/index.html"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("a/index.html")).unwrap(),
        "two"
    );
    let keep: HashSet<String> = ["b.css".to_string()].into();
    assert_eq!(m.retain(&keep).unwrap(), ["a/index.html"]);
    assert!(!dir.join("a").exists(), "an emptied folder is removed");
    assert!(dir.join("b.css").exists());
    assert!(m.write("../x", b"no").is_err());
    // No temporary files are left behind.
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["b.css"]);
}
