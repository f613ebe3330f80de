//! Writing the site atomically: a build writes into a fresh staging folder beside the output
//! folder and swaps it in only when everything succeeded, so a failed build leaves the previous
//! site untouched and a web server never sees a half-written one. A [`Mirror`] instead keeps a
//! folder up to date in place, one atomically replaced file at a time, for rebuilds that touch
//! a few files of a large site.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};

use crate::fsx;

/// Where a build writes its files; paths are relative to the output folder, `/`-separated.
pub trait Sink: Sync {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()>;

    fn copy(&self, from: &Path, rel: &str) -> Result<()>;
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
}

impl Staging {
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
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` at `rel` (a path under the output folder, `/`-separated).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.join(checked(rel)?);
        self.make_parent(&path)?;
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
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

    /// Swaps the staging folder in as the output folder. On Linux the swap is one atomic
    /// `renameat2(RENAME_EXCHANGE)`; elsewhere two renames.
    pub fn publish(mut self) -> Result<()> {
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

    fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        let to = self.dir.join(checked(rel)?);
        self.make_parent(&to)?;
        std::fs::copy(from, &to)
            .map(|_| ())
            .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))
    }
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
            let path = self.dir.join(rel);
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(e).with_context(|| format!("cannot remove {}", path.display()));
                }
                _ => {}
            }
            files.remove(rel);
            // Leave no empty folders behind, or a removed page's folder would still be served.
            let mut dir = path.parent();
            while let Some(d) = dir.filter(|d| *d != self.dir) {
                if std::fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
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

    #[test]
    fn refuses_to_publish_over_content() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("content")).unwrap();
        let e = check_target(tmp.path(), &tmp.path().join("content")).unwrap_err();
        assert!(e.to_string().contains("content/"), "{e}");
        assert!(check_target(tmp.path(), &tmp.path().join("public")).is_ok());
    }
}
