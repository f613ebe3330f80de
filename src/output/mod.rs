//! Writing the site atomically: a build writes into a fresh staging folder beside the output
//! folder and publishes it only when everything succeeded, so a failed build leaves the previous
//! site untouched and a web server never sees a half-written file. A build that remembers what
//! it last wrote ([`manifest`]) stages only the files whose bytes changed and moves them into
//! place; otherwise the staging folder is swapped in whole. A [`Mirror`] instead keeps a folder
//! up to date in place, one atomically replaced file at a time, for the preview's rebuilds.

pub mod manifest;

use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};

use crate::fsx;
pub use manifest::Digest;
use manifest::{Entry, Manifest, Stamp};

/// Where a build writes its files; paths are relative to the output folder, `/`-separated.
pub trait Sink: Sync {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()>;

    fn copy(&self, from: &Path, rel: &str) -> Result<()>;

    /// [`Sink::write`] for a file made from inputs whose digest is `made_from`: a sink that
    /// remembers its files remembers that too, for the next build's [`Sink::keep`].
    fn write_made_from(&self, rel: &str, bytes: &[u8], made_from: Digest) -> Result<()> {
        let _ = made_from;
        self.write(rel, bytes)
    }

    /// Leaves the file at `rel` as the last build published it, when that build made it from
    /// inputs with the digest `made_from` and it is still as written; it then counts as
    /// written by this build, and `true` says the caller need not make it. `false` (the
    /// default, for sinks that remember nothing) means the caller writes it.
    fn keep(&self, rel: &str, made_from: &Digest) -> bool {
        let _ = (rel, made_from);
        false
    }
}

/// Refuses paths that would leave the output folder.
fn checked(rel: &str) -> Result<&str> {
    let rel = rel.trim_start_matches('/');
    if rel.split(['/', '\\']).any(|part| part == "..") {
        bail!("refusing to write outside the output folder: {rel}");
    }
    Ok(rel)
}

/// A folder being filled; becomes the output folder on [`Staging::publish`], and is removed if
/// dropped before that.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    published: bool,
    /// The folders made in `dir` so far. The folder is new, so each is made once and not
    /// looked up again for every file written into it (two system calls a file, some 46,000
    /// files on a large site).
    made: Mutex<HashSet<PathBuf>>,
    /// What the output folder holds and what this build wrote, when the build keeps a manifest.
    memory: Option<Memory>,
    /// How many files were written into `dir`.
    count: std::sync::atomic::AtomicUsize,
}

/// A staging folder's record of the output folder before and after.
struct Memory {
    /// Where the manifest is kept.
    path: PathBuf,
    /// The output folder as checked against the last manifest, once the check is done.
    found: std::sync::OnceLock<Found>,
    /// The check, under way in a thread of its own while the build gets going.
    checking: Mutex<Option<std::thread::JoinHandle<Found>>>,
    /// Every file this build wrote, and whether it was staged (or is already in place).
    wrote: Mutex<HashMap<String, (Entry, bool)>>,
}

/// The files of an output folder that the last manifest and the disk agree on, and those in it
/// that the manifest does not vouch for.
#[derive(Default)]
struct Found {
    known: HashMap<String, Entry>,
    stray: Vec<String>,
}

impl Memory {
    /// What the check found, waiting for it if it is still under way.
    fn found(&self) -> &Found {
        self.found.get_or_init(|| {
            let checking = self.checking.lock().expect("not poisoned").take();
            // A check that failed knows nothing: every file is written.
            checking.and_then(|t| t.join().ok()).unwrap_or_default()
        })
    }
}

/// What publishing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    /// The files written or replaced.
    pub changed: usize,
    /// The files removed from the previous output.
    pub removed: usize,
    /// Whether the files were moved into the output folder one by one rather than the whole
    /// folder swapped (only when a manifest said what was there, and few files changed).
    pub in_place: bool,
}

impl Staging {
    /// A staging folder for `target`, swapped in whole on publishing.
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fsx::create_dir_all(parent)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "public".into());
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.staging-"))
            .tempdir_in(parent)
            .with_context(|| format!("cannot create a staging folder in {}", parent.display()))?
            .keep();
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            published: false,
            made: Mutex::default(),
            memory: None,
            count: Default::default(),
        })
    }

    /// A staging folder for `target` that remembers, in the manifest at `manifest` (see
    /// [`manifest::path`]), what it publishes. Where the last manifest and the output folder
    /// agree, a file written with the bytes it already has there is not written again.
    ///
    /// The output folder is checked against the manifest in a thread of its own (a walk of
    /// every file, a few tenths of a second for a large site), so the build may go on: made
    /// before the content is loaded, the two overlap.
    pub fn remembering(target: &Path, manifest: PathBuf) -> Result<Staging> {
        let mut staging = Staging::new(target)?;
        let (dir, last) = (target.to_path_buf(), manifest.clone());
        let check = move || {
            Manifest::load(&last)
                .and_then(|m| m.check(&dir))
                .map(|(known, stray)| Found { known, stray })
                .unwrap_or_default()
        };
        let checking = std::thread::Builder::new()
            .name("output-check".into())
            .spawn(check)
            .ok();
        staging.memory = Some(Memory {
            path: manifest,
            found: Default::default(),
            checking: Mutex::new(checking),
            wrote: Mutex::default(),
        });
        Ok(staging)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` at `rel` (a path under the output folder, `/`-separated).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.write_entry(rel, bytes, None)
    }

    fn write_entry(&self, rel: &str, bytes: &[u8], made_from: Option<Digest>) -> Result<()> {
        let rel = checked(rel)?;
        let path = self.dir.join(rel);
        let Some(memory) = &self.memory else {
            self.count
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            self.make_parent(&path)?;
            return std::fs::write(&path, bytes)
                .with_context(|| format!("cannot write {}", path.display()));
        };
        let digest = manifest::digest(bytes);
        let (entry, staged) = match memory.found().known.get(rel) {
            Some(e) if e.digest == digest => (Entry { made_from, ..*e }, false),
            _ => {
                self.make_parent(&path)?;
                let stamp = write_stamped(&path, bytes)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                let entry = Entry {
                    digest,
                    stamp,
                    made_from,
                };
                (entry, true)
            }
        };
        memory
            .wrote
            .lock()
            .expect("not poisoned")
            .insert(rel.to_string(), (entry, staged));
        Ok(())
    }

    /// Makes the folder `path` goes in, unless this staging made it already.
    fn make_parent(&self, path: &Path) -> Result<()> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        if self.made.lock().expect("not poisoned").contains(parent) {
            return Ok(());
        }
        fsx::create_dir_all(parent)?;
        self.made
            .lock()
            .expect("not poisoned")
            .insert(parent.to_path_buf());
        Ok(())
    }

    /// Publishes what was written as the output folder.
    ///
    /// Without a manifest, or when more than a fifth of the files changed, the staging folder
    /// is swapped in whole (files left in place are linked into it first). Otherwise the
    /// changed files are moved into the output folder one by one, each atomically, before the
    /// files the build no longer makes are removed: a reader sees each file old or new, and new
    /// pages before the old ones go. Either way the manifest is kept for the next build.
    pub fn publish(mut self) -> Result<Published> {
        let Some(memory) = self.memory.take() else {
            let changed = self.count.load(std::sync::atomic::Ordering::Relaxed);
            self.swap()?;
            return Ok(Published {
                changed,
                removed: 0,
                in_place: false,
            });
        };
        memory.found();
        let Found { known, stray } = memory.found.into_inner().unwrap_or_default();
        let wrote = memory.wrote.into_inner().expect("not poisoned");
        let staged: Vec<&str> = wrote
            .iter()
            .filter(|(_, (_, staged))| *staged)
            .map(|(rel, _)| rel.as_str())
            .collect();
        // A stray file the build wrote again was staged (nothing vouched for it), and replaces
        // the stray one; the rest of both go.
        let mut gone: Vec<&str> = known
            .keys()
            .chain(&stray)
            .map(String::as_str)
            .filter(|rel| !wrote.contains_key(*rel))
            .collect();
        gone.sort_unstable();
        let in_place = !known.is_empty()
            && (staged.len() + gone.len()) * 5 <= wrote.len()
            && !self.clashes(&wrote, &staged);
        if in_place {
            for rel in &staged {
                let (from, to) = (self.dir.join(rel), self.target.join(rel));
                if let Some(parent) = to.parent() {
                    fsx::create_dir_all(parent)?;
                }
                std::fs::rename(&from, &to)
                    .with_context(|| format!("cannot move {} into place", to.display()))?;
            }
            for rel in &gone {
                remove_file_and_empty_folders(&self.target, rel)?;
            }
            self.published = true;
            fsx::remove_dir_all(&self.dir)?;
        } else {
            for (rel, (_, staged)) in &wrote {
                if !staged {
                    let to = self.dir.join(rel);
                    self.make_parent(&to)?;
                    std::fs::hard_link(self.target.join(rel), &to)
                        .or_else(|_| std::fs::copy(self.target.join(rel), &to).map(|_| ()))
                        .with_context(|| format!("cannot keep {} in the new output", rel))?;
                }
            }
            self.swap()?;
        }
        let published = Published {
            changed: staged.len(),
            removed: gone.len(),
            in_place,
        };
        let files = wrote.into_iter().map(|(rel, (e, _))| (rel, e)).collect();
        Manifest { files }.save(&memory.path)?;
        Ok(published)
    }

    /// Whether moving the `staged` files into the output folder one by one would meet a file
    /// where a folder must go or a folder where a file must go.
    fn clashes(&self, wrote: &HashMap<String, (Entry, bool)>, staged: &[&str]) -> bool {
        staged.iter().any(|rel| {
            self.target.join(rel).is_dir()
                || std::iter::successors(Path::new(rel).parent(), |p| p.parent())
                    .filter(|p| !p.as_os_str().is_empty())
                    .any(|p| {
                        wrote.contains_key(&*p.to_string_lossy()) || self.target.join(p).is_file()
                    })
        })
    }

    /// Swaps the staging folder in as the output folder. On Linux the swap is one atomic
    /// `renameat2(RENAME_EXCHANGE)`; elsewhere two renames.
    fn swap(&mut self) -> Result<()> {
        if self.target.exists() {
            #[cfg(target_os = "linux")]
            {
                use rustix::fs::{CWD, RenameFlags, renameat_with};
                if renameat_with(CWD, &self.dir, CWD, &self.target, RenameFlags::EXCHANGE).is_ok() {
                    // `self.dir` now holds the previous site.
                    self.published = true;
                    fsx::remove_dir_all(&self.dir)?;
                    return Ok(());
                }
            }
            let old = self.dir.with_extension("old");
            std::fs::rename(&self.target, &old).with_context(|| {
                format!("cannot move the previous {} aside", self.target.display())
            })?;
            std::fs::rename(&self.dir, &self.target)
                .with_context(|| format!("cannot publish into {}", self.target.display()))?;
            self.published = true;
            fsx::remove_dir_all(&old)?;
        } else {
            std::fs::rename(&self.dir, &self.target)
                .with_context(|| format!("cannot publish into {}", self.target.display()))?;
            self.published = true;
        }
        Ok(())
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        Staging::write(self, rel, bytes)
    }

    fn write_made_from(&self, rel: &str, bytes: &[u8], made_from: Digest) -> Result<()> {
        self.write_entry(rel, bytes, Some(made_from))
    }

    fn keep(&self, rel: &str, made_from: &Digest) -> bool {
        let (Some(memory), Ok(rel)) = (&self.memory, checked(rel)) else {
            return false;
        };
        let Some(entry) = memory.found().known.get(rel) else {
            return false;
        };
        if entry.made_from.as_ref() != Some(made_from) {
            return false;
        }
        (memory.wrote.lock().expect("not poisoned")).insert(rel.to_string(), (*entry, false));
        true
    }

    fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        if self.memory.is_some() {
            let bytes =
                std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
            return Staging::write(self, rel, &bytes);
        }
        let to = self.dir.join(checked(rel)?);
        self.make_parent(&to)?;
        self.count
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        std::fs::copy(from, &to)
            .map(|_| ())
            .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))
    }
}

/// Writes a new file and returns its stamp as it was left.
fn write_stamped(path: &Path, bytes: &[u8]) -> std::io::Result<Stamp> {
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    Ok(Stamp::of(&file.metadata()?))
}

/// Removes `rel` under `dir`, then each folder above it that is left empty: a removed page's
/// folder would otherwise still be served.
fn remove_file_and_empty_folders(dir: &Path, rel: &str) -> Result<()> {
    let path = dir.join(rel);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(e).with_context(|| format!("cannot remove {}", path.display()));
        }
        _ => {}
    }
    let mut folder = path.parent();
    while let Some(d) = folder.filter(|d| *d != dir) {
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        folder = d.parent();
    }
    Ok(())
}

/// A folder kept up to date in place. A file is written only when its bytes differ from what
/// this mirror last wrote there, and then atomically (written beside its place and renamed
/// over it), so a reader sees the old file or the new one, never part of one.
pub struct Mirror {
    dir: PathBuf,
    /// Every file in the folder, with its length and a hash of its bytes.
    files: Mutex<HashMap<String, (usize, u64)>>,
    /// Files written (changed) since [`Mirror::take_changed`] was last called.
    changed: Mutex<Vec<String>>,
}

impl Mirror {
    /// Empties `dir` (creating it if needed) and mirrors into it.
    pub fn new(dir: &Path) -> Result<Mirror> {
        fsx::remove_dir_all(dir)?;
        fsx::create_dir_all(dir)?;
        Ok(Mirror {
            dir: dir.to_path_buf(),
            files: Mutex::default(),
            changed: Mutex::default(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` at `rel` unless the file already holds them.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let rel = checked(rel)?;
        let hash = (bytes.len(), fnv1a(bytes));
        if self.files.lock().expect("not poisoned").get(rel) == Some(&hash) {
            return Ok(());
        }
        let path = self.dir.join(rel);
        let parent = path.parent().unwrap_or(&self.dir);
        fsx::create_dir_all(parent)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".torget-")
            .tempfile_in(parent)
            .with_context(|| format!("cannot create a file in {}", parent.display()))?;
        std::io::Write::write_all(&mut tmp, bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
        tmp.persist(&path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        self.files
            .lock()
            .expect("not poisoned")
            .insert(rel.to_string(), hash);
        self.changed
            .lock()
            .expect("not poisoned")
            .push(rel.to_string());
        Ok(())
    }

    /// Removes every file but those in `keep`; returns what it removed.
    pub fn retain(&self, keep: &HashSet<String>) -> Result<Vec<String>> {
        let mut files = self.files.lock().expect("not poisoned");
        let gone: Vec<String> = files
            .keys()
            .filter(|f| !keep.contains(*f))
            .cloned()
            .collect();
        for rel in &gone {
            remove_file_and_empty_folders(&self.dir, rel)?;
            files.remove(rel);
        }
        self.changed
            .lock()
            .expect("not poisoned")
            .extend(gone.iter().cloned());
        Ok(gone)
    }

    /// A hash of the bytes last written at `rel`, if the mirror holds it.
    pub fn hash(&self, rel: &str) -> Option<u64> {
        self.files
            .lock()
            .expect("not poisoned")
            .get(rel)
            .map(|(_, h)| *h)
    }

    /// Every file the mirror holds.
    pub fn files(&self) -> HashSet<String> {
        self.files
            .lock()
            .expect("not poisoned")
            .keys()
            .cloned()
            .collect()
    }

    /// The files written or removed since the last call, each once.
    pub fn take_changed(&self) -> Vec<String> {
        let mut changed = std::mem::take(&mut *self.changed.lock().expect("not poisoned"));
        changed.sort();
        changed.dedup();
        changed
    }
}

impl Sink for Mirror {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        Mirror::write(self, rel, bytes)
    }

    fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        let bytes =
            std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
        Mirror::write(self, rel, &bytes)
    }
}

/// FNV-1a: enough to tell whether a file's bytes changed.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
    })
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Refuses output folders that would replace the site's own sources.
pub fn check_target(root: &Path, target: &Path) -> Result<()> {
    let canon =
        |p: &Path| -> PathBuf { std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()) };
    let root_c = canon(root);
    let target_c = match (target.parent(), target.file_name()) {
        (Some(parent), Some(name)) => canon(if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        })
        .join(name),
        _ => canon(target),
    };
    for protected in [
        "",
        "content",
        "templates",
        "themes",
        "static",
        "i18n",
        "src",
    ] {
        let p = if protected.is_empty() {
            root_c.clone()
        } else {
            root_c.join(protected)
        };
        if p.starts_with(&target_c) {
            bail!(
                "the output folder {} would replace {}; choose another `output_dir` in site.toml or --out",
                target.display(),
                if protected.is_empty() {
                    "the site itself".to_string()
                } else {
                    format!("the site's {protected}/ folder")
                }
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_staging_leaves_the_old_output() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        fsx::write(&target.join("index.html"), "old").unwrap();
        {
            let s = Staging::new(&target).unwrap();
            s.write("index.html", b"new").unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "old"
        );
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "staging folder was not cleaned up"
        );
    }

    #[test]
    fn publish_replaces_the_old_output_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        fsx::write(&target.join("stale.html"), "old").unwrap();
        let s = Staging::new(&target).unwrap();
        s.write("index.html", b"new").unwrap();
        s.publish().unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "new"
        );
        assert!(!target.join("stale.html").exists());
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_file_where_a_folder_must_go_is_an_error_naming_it() {
        let tmp = tempfile::tempdir().unwrap();
        let s = Staging::new(&tmp.path().join("public")).unwrap();
        s.write("en/index.html", b"page").unwrap();
        s.write("en/events", b"a file").unwrap();
        let e = s.write("en/events/index.html", b"page").unwrap_err();
        let said = format!("{e:#}");
        assert!(
            said.starts_with("cannot create folder ") && said.contains("en/events"),
            "{said}"
        );
        // A folder made once is still there for the next file.
        s.write("en/about.html", b"page").unwrap();
        s.publish().unwrap();
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("public/en/about.html")).unwrap(),
            "page"
        );
    }

    /// Builds `files` into `target`, remembering them in `manifest`.
    fn build_remembering(target: &Path, manifest: &Path, files: &[(&str, &str)]) -> Published {
        let s = Staging::remembering(target, manifest.to_path_buf()).unwrap();
        for (rel, text) in files {
            s.write(rel, text.as_bytes()).unwrap();
        }
        s.publish().unwrap()
    }

    #[cfg(unix)]
    fn inode(path: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).unwrap().ino()
    }

    #[cfg(unix)]
    #[test]
    fn a_remembering_build_moves_only_changed_files_into_place() {
        let tmp = tempfile::tempdir().unwrap();
        let (target, manifest) = (tmp.path().join("public"), tmp.path().join("m.bin"));
        let names: Vec<String> = (0..20).map(|i| format!("p{i}/index.html")).collect();
        let mut files: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "same")).collect();
        files.push(("gone/index.html", "old"));
        let first = build_remembering(&target, &manifest, &files);
        assert!(!first.in_place, "a first build has nothing to update");
        assert_eq!(first.changed, 21);
        let kept = inode(&target.join("p1/index.html"));

        files.pop();
        files[0].1 = "changed";
        files.push(("new/index.html", "new"));
        let second = build_remembering(&target, &manifest, &files);
        assert_eq!(
            second,
            Published {
                changed: 2,
                removed: 1,
                in_place: true
            }
        );
        assert_eq!(inode(&target.join("p1/index.html")), kept);
        let read = |rel: &str| std::fs::read_to_string(target.join(rel)).unwrap();
        assert_eq!(read("p0/index.html"), "changed");
        assert_eq!(read("new/index.html"), "new");
        assert!(!target.join("gone").exists(), "an emptied folder stays");
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            2,
            "the staging folder was not removed"
        );
    }

    #[test]
    fn a_file_made_from_the_same_inputs_is_kept_unless_changed_since() {
        let tmp = tempfile::tempdir().unwrap();
        let (target, manifest) = (tmp.path().join("public"), tmp.path().join("m.bin"));
        let (a, b) = (manifest::digest(b"inputs a"), manifest::digest(b"inputs b"));
        let s = Staging::remembering(&target, manifest.clone()).unwrap();
        assert!(
            !s.keep("a.html", &a),
            "nothing to keep before a first build"
        );
        s.write_made_from("a.html", b"A", a).unwrap();
        s.write_made_from("b.html", b"B", b).unwrap();
        s.write("c.html", b"C").unwrap();
        s.publish().unwrap();

        let s = Staging::remembering(&target, manifest.clone()).unwrap();
        assert!(s.keep("a.html", &a));
        assert!(!s.keep("b.html", &a), "made from other inputs");
        assert!(!s.keep("c.html", &a), "written without saying from what");
        s.write_made_from("b.html", b"B2", a).unwrap();
        s.write("c.html", b"C").unwrap();
        let published = s.publish().unwrap();
        assert_eq!(published.changed, 1);
        assert_eq!(std::fs::read(target.join("a.html")).unwrap(), b"A");
        assert_eq!(std::fs::read(target.join("b.html")).unwrap(), b"B2");

        // Kept files are remembered for the build after; a file edited by hand is not kept.
        std::fs::write(target.join("b.html"), "edited by hand").unwrap();
        let s = Staging::remembering(&target, manifest.clone()).unwrap();
        assert!(s.keep("a.html", &a), "a kept file is remembered again");
        assert!(!s.keep("b.html", &a), "a hand-edited file is made again");
        s.write_made_from("b.html", b"B2", a).unwrap();
        s.write("c.html", b"C").unwrap();
        s.publish().unwrap();
        assert_eq!(std::fs::read(target.join("b.html")).unwrap(), b"B2");
        assert!(target.join("a.html").exists(), "a kept file is not removed");

        // A file not kept and not written is gone, as any file the build no longer makes.
        let s = Staging::remembering(&target, manifest).unwrap();
        s.write("c.html", b"C").unwrap();
        s.publish().unwrap();
        assert!(!target.join("a.html").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_remembering_build_that_changes_much_swaps_the_folder_keeping_unchanged_files() {
        let tmp = tempfile::tempdir().unwrap();
        let (target, manifest) = (tmp.path().join("public"), tmp.path().join("m.bin"));
        build_remembering(&target, &manifest, &[("a.html", "a"), ("b.html", "b")]);
        let kept = inode(&target.join("a.html"));
        let second = build_remembering(&target, &manifest, &[("a.html", "a"), ("b.html", "B")]);
        assert!(!second.in_place, "half the files changed: {second:?}");
        assert_eq!(second.changed, 1);
        assert_eq!(inode(&target.join("a.html")), kept, "linked, not written");
        assert_eq!(std::fs::read_to_string(target.join("b.html")).unwrap(), "B");
        // The manifest still holds after the swap: nothing changed, nothing is written.
        let third = build_remembering(&target, &manifest, &[("a.html", "a"), ("b.html", "B")]);
        assert_eq!(third.changed, 0);
    }

    #[test]
    fn a_remembering_build_where_a_file_becomes_a_folder_swaps() {
        let tmp = tempfile::tempdir().unwrap();
        let (target, manifest) = (tmp.path().join("public"), tmp.path().join("m.bin"));
        let names: Vec<String> = (0..20).map(|i| format!("p{i}.html")).collect();
        let mut files: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "same")).collect();
        files.push(("events", "a file"));
        build_remembering(&target, &manifest, &files);
        files.pop();
        files.push(("events/index.html", "a page"));
        let second = build_remembering(&target, &manifest, &files);
        assert!(!second.in_place);
        assert_eq!(
            std::fs::read_to_string(target.join("events/index.html")).unwrap(),
            "a page"
        );
    }

    #[test]
    fn a_dropped_remembering_staging_leaves_the_old_output() {
        let tmp = tempfile::tempdir().unwrap();
        let (target, manifest) = (tmp.path().join("public"), tmp.path().join("m.bin"));
        build_remembering(&target, &manifest, &[("index.html", "old")]);
        {
            let s = Staging::remembering(&target, manifest.clone()).unwrap();
            s.write("index.html", b"new").unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "old"
        );
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 2);
    }

    #[test]
    fn refuses_to_publish_over_content() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("content")).unwrap();
        let e = check_target(tmp.path(), &tmp.path().join("content")).unwrap_err();
        assert!(e.to_string().contains("content/"), "{e}");
        assert!(check_target(tmp.path(), &tmp.path().join("public")).is_ok());
    }
}
