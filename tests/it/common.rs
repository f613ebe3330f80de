//! Test helper: a fixture site copied into a temp folder, changed per test, built with a fixed
//! "now" so that open and closed calls and past events do not drift with the calendar.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use torget::diag::{ContentErrors, Diagnostic};
use torget::site::{self, BuildOptions, BuildReport};

pub struct TestSite {
    pub dir: tempfile::TempDir,
    pub now: jiff::Timestamp,
}

/// 2026-11-26 12:00 in Oslo: the sample call `hva-bor-vi-forske-pa` is open, 2035's is upcoming.
pub fn fixed_now() -> jiff::Timestamp {
    "2026-11-26T11:00:00Z".parse().unwrap()
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let top = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().to_string());
        // Only what a site is made of; never the repo's build output or sources.
        if matches!(
            top.as_deref(),
            Some("public" | "target" | "src" | "tests" | ".git" | "node_modules" | "docs")
        ) {
            continue;
        }
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

impl TestSite {
    /// Runs the built `torget` binary in the site's folder, as a writer would, without colour.
    /// `torget` run in the site's folder, speaking English whatever the machine's locale.
    pub fn torget(&self, args: &[&str]) -> std::process::Output {
        self.torget_in("en", args)
    }

    /// `torget` run in the site's folder, speaking `lang` (`TORGET_LANG`).
    pub fn torget_in(&self, lang: &str, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_torget"))
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .env("TORGET_LANG", lang)
            .output()
            .expect("torget runs")
    }

    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> TestSite {
        Self::copy_of(&repo_root().join("tests/fixtures").join(name))
    }

    /// Adds Nynorsk as a third language by configuration, an i18n file and content alone
    /// (`tests/fixtures/nynorsk`, made for the `minimal` fixture).
    pub fn add_nynorsk(&self) -> &Self {
        let extra = repo_root().join("tests/fixtures/nynorsk");
        let config = std::fs::read_to_string(self.root().join("site.toml")).unwrap();
        let append = std::fs::read_to_string(extra.join("site.toml.append")).unwrap();
        self.write("site.toml", &format!("{config}{append}"));
        for f in [
            "i18n/nn.toml",
            "content/_index.nn.md",
            "content/projects/skolehage.nn.md",
        ] {
            self.write(f, &std::fs::read_to_string(extra.join(f)).unwrap());
        }
        self
    }

    /// `torget serve` on this site, with its search index, on a free port on 127.0.0.1; drafts
    /// shown, as `torget serve` shows them.
    pub fn serve(&self) -> torget::serve::Running {
        self.serve_with(true)
    }

    /// [`TestSite::serve`], with or without drafts (`--no-drafts`).
    pub fn serve_with(&self, drafts: bool) -> torget::serve::Running {
        torget::serve::start(torget::serve::Options {
            root: self.root().to_path_buf(),
            out: None,
            listen: "127.0.0.1:0".parse().unwrap(),
            drafts,
            now: Some(self.now),
            db: None,
            search: true,
            lang: torget::messages::Lang::En,
        })
        .unwrap_or_else(|e| panic!("cannot serve: {e:#}"))
    }

    /// A copy of the bundled sample site (the repository root).
    pub fn sample() -> TestSite {
        let site = Self::copy_of(&repo_root());
        // Only the site's parts were copied; keep it that way.
        site
    }

    fn copy_of(src: &Path) -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(src, dir.path());
        TestSite {
            dir,
            now: fixed_now(),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Writes the minimal fixture's English school garden with `keys` (translated `partners`,
    /// `contact`, …) added to its front matter.
    pub fn english_skolehage(&self, keys: &str) -> &Self {
        self.write(
            "content/projects/skolehage.en.md",
            &format!(
                "+++\ntitle = \"School garden\"\nsummary = \"A garden at the school.\"\n\
                 slug = \"school-garden\"\n{keys}\n[[goals]]\ntitle = \"The garden is built\"\n\
                 status = \"achieved\"\n+++\nAbout the garden.\n"
            ),
        )
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.root().join(rel)).unwrap();
        self
    }

    pub fn options(&self) -> BuildOptions {
        let mut o = BuildOptions::new(self.root());
        o.now = self.now;
        o.minify = Some(false);
        o
    }

    pub fn build(&self) -> anyhow::Result<BuildReport> {
        site::build(&self.options())
    }

    pub fn build_ok(&self) -> BuildReport {
        match self.build() {
            Ok(r) => r,
            Err(e) => panic!("build failed: {e:#}"),
        }
    }

    /// The content errors of a build that must fail.
    pub fn build_errors(&self) -> Vec<Diagnostic> {
        let e = self.build().expect_err("the build should have failed");
        match e.downcast::<ContentErrors>() {
            Ok(ContentErrors(d)) => d.errors().cloned().collect(),
            Err(e) => panic!("expected content errors, got: {e:#}"),
        }
    }

    /// A built file's text.
    pub fn read(&self, rel: &str) -> String {
        let p = self.out().join(rel.trim_start_matches('/'));
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }

    /// The built page at `url`.
    pub fn page(&self, url: &str) -> String {
        self.read(&torget::content::urls::page_path(url))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out().join(rel.trim_start_matches('/')).exists()
    }
}

/// Parsed HTML with CSS-selector queries, so tests do not depend on attribute order.
pub struct Html(pub scraper::Html);

impl Html {
    pub fn parse(text: &str) -> Html {
        Html(scraper::Html::parse_document(text))
    }

    /// `attr` of every element matching `selector`.
    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).unwrap();
        self.0
            .select(&sel)
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    /// Text of every element matching `selector`, whitespace collapsed.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).unwrap();
        self.0
            .select(&sel)
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    pub fn count(&self, selector: &str) -> usize {
        let sel = scraper::Selector::parse(selector).unwrap();
        self.0.select(&sel).count()
    }
}
