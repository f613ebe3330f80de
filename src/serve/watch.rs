//! Watching the site's sources: `content/`, `themes/`, `templates/`, `i18n/`, `static/` and
//! `site.toml`, and nothing else (not the output, not `target/`). Changes come in bursts (an
//! editor writes a temporary file and renames it; `git checkout` writes hundreds), so they are
//! collected until the burst is over: a short quiet time, bounded so a file written without
//! pause still gets rebuilt.
//!
//! notify's own debouncers are not used: on Linux notify reports a file being *opened*, and the
//! mini debouncer cannot tell that from a write, so every rebuild (which opens files) would
//! cause the next. Here events that only read are dropped before anything else.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

/// The folders watched recursively, relative to the site root.
pub const FOLDERS: &[&str] = &["content", "themes", "templates", "i18n", "static"];

/// How long no change must come before a burst counts as over.
pub const QUIET: Duration = Duration::from_millis(30);
/// The longest a burst is collected before it is rebuilt anyway.
pub const LONGEST: Duration = Duration::from_millis(500);

/// Watches a site; dropping it stops watching.
pub struct Watcher {
    root: PathBuf,
    inner: RecommendedWatcher,
    /// The folders watched so far; one created later is added when it appears.
    watching: BTreeSet<String>,
    rx: Receiver<PathBuf>,
}

impl Watcher {
    /// Starts watching the site at `root` (an absolute path).
    pub fn new(root: &Path) -> Result<Watcher> {
        let (tx, rx) = mpsc::channel();
        let base = root.to_path_buf();
        let inner = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let Ok(event) = event else { return };
            if matches!(event.kind, EventKind::Access(_)) {
                return;
            }
            for path in event.paths {
                if let Some(rel) = relevant(&base, &path) {
                    // The receiver is gone only when serving stops.
                    let _ = tx.send(rel);
                }
            }
        })
        .context("cannot watch the site's files")?;
        let mut w = Watcher {
            root: root.to_path_buf(),
            inner,
            watching: BTreeSet::new(),
            rx,
        };
        w.inner
            .watch(root, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch {}", root.display()))?;
        w.watch_new_folders()?;
        Ok(w)
    }

    /// Starts watching source folders created since the last call.
    fn watch_new_folders(&mut self) -> Result<()> {
        for folder in FOLDERS {
            let dir = self.root.join(folder);
            if !self.watching.contains(*folder) && dir.is_dir() {
                self.inner
                    .watch(&dir, RecursiveMode::Recursive)
                    .with_context(|| format!("cannot watch {}", dir.display()))?;
                self.watching.insert(folder.to_string());
            }
        }
        Ok(())
    }

    /// The next burst of changed paths (relative to the root, each once), waiting at most
    /// `wait` for it to start. `None`: nothing changed in that time.
    pub fn next(&mut self, wait: Duration) -> Option<Vec<PathBuf>> {
        let first = match self.rx.recv_timeout(wait) {
            Ok(p) => p,
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
        };
        let started = Instant::now();
        let mut paths = BTreeSet::from([first]);
        while started.elapsed() < LONGEST {
            match self.rx.recv_timeout(QUIET) {
                Ok(p) => {
                    paths.insert(p);
                }
                Err(_) => break,
            }
        }
        if paths.iter().any(|p| p.components().count() == 1) {
            // A folder may have been created at the top; a failure here shows on the next
            // change, and the paths already seen are still rebuilt.
            let _ = self.watch_new_folders();
        }
        Some(paths.into_iter().collect())
    }
}

/// `path` relative to `root`, if it is a source of the site and not an editor's scratch file.
pub fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<&str> = rel
        .components()
        .map(|c| match c {
            Component::Normal(n) => n.to_str(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let (first, name) = (parts.first()?, parts.last()?);
    let source = FOLDERS.contains(first) || (parts.len() == 1 && *first == "site.toml");
    let scratch = parts.iter().any(|p| p.starts_with('.'))
        || name.ends_with('~')
        || name.starts_with('#')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        // vim checks it may write in a folder by creating this file.
        || *name == "4913";
    (source && !scratch).then(|| rel.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_count() {
        let root = Path::new("/site");
        let yes = |p: &str| relevant(root, &root.join(p)).is_some();
        assert!(yes("content/projects/x.md"));
        assert!(yes("content/projects/x/bilde.jpg"));
        assert!(yes("site.toml"));
        assert!(yes("templates/base.html"));
        assert!(yes("themes/kommune/static/style.css"));
        assert!(yes("i18n/nb.toml"));
        assert!(yes("static/logo.svg"));
        assert!(yes("content"));
        assert!(!yes(".torget/serve/index.html"));
        assert!(!yes("public/index.html"));
        assert!(!yes("target/debug/torget"));
        assert!(!yes("README.md"));
        assert!(!yes("content/projects/.x.md.swp"));
        assert!(!yes("content/projects/x.md~"));
        assert!(!yes("content/projects/4913"));
        assert!(!yes("content/.git/HEAD"));
        assert!(!yes("other/site.toml"));
        assert!(relevant(root, Path::new("/elsewhere/content/x.md")).is_none());
    }

    #[test]
    fn a_burst_of_writes_comes_as_one_batch() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("content")).unwrap();
        let mut w = Watcher::new(&root).unwrap();
        assert!(w.next(Duration::from_millis(50)).is_none());
        for i in 0..5 {
            std::fs::write(root.join(format!("content/{i}.md")), "x").unwrap();
        }
        let paths = w.next(Duration::from_secs(5)).expect("a change");
        assert_eq!(paths.len(), 5, "{paths:?}");
        // Reading a file is not a change.
        let _ = std::fs::read(root.join("content/0.md")).unwrap();
        assert!(w.next(Duration::from_millis(200)).is_none());
        // A source folder created after the start is watched too.
        std::fs::create_dir_all(root.join("templates")).unwrap();
        let paths = w.next(Duration::from_secs(5)).expect("a change");
        assert_eq!(paths, [PathBuf::from("templates")]);
        std::fs::write(root.join("templates/page.html"), "x").unwrap();
        let paths = w.next(Duration::from_secs(5)).expect("a change");
        assert_eq!(paths, [PathBuf::from("templates/page.html")]);
    }
}
