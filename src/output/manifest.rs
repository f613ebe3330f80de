//! What the last build wrote into an output folder: each file with a digest of its bytes and
//! the length, inode and modification time it had on disk. Kept in the build cache, it lets the
//! next build tell which files it would write again unchanged, and leave them where they are
//! (see [`super::Staging::remembering`]).
//!
//! The manifest is only believed where the disk agrees: a file whose length, inode or
//! modification time is not the one recorded (edited, replaced or restored by someone else) is
//! written again, and a file the manifest does not name is removed when the build publishes,
//! as a build without the manifest would have done.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::fsx;

/// Written first in every manifest file; a file without it is not read.
const MAGIC: &[u8] = b"torget output manifest 2\n";

/// The first half of a SHA-256 of a file's bytes.
pub type Digest = [u8; 16];

pub fn digest(bytes: &[u8]) -> Digest {
    let full: [u8; 32] = Sha256::digest(bytes).into();
    full[..16].try_into().expect("16 of 32 bytes")
}

/// What the disk says about a file, enough to notice that someone else changed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    len: u64,
    ino: u64,
    mtime_s: i64,
    mtime_ns: i64,
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Stamp {
                len: meta.len(),
                ino: meta.ino(),
                mtime_s: meta.mtime(),
                mtime_ns: meta.mtime_nsec(),
            }
        }
        #[cfg(not(unix))]
        {
            let since = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .unwrap_or_default();
            Stamp {
                len: meta.len(),
                ino: 0,
                mtime_s: since.as_secs() as i64,
                mtime_ns: i64::from(since.subsec_nanos()),
            }
        }
    }
}

/// One file of the output: its bytes' digest, its stamp on disk, and, when the build said,
/// a digest of what the file was made from (see [`super::Sink::keep`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub digest: Digest,
    pub stamp: Stamp,
    pub made_from: Option<Digest>,
}

/// Every file of an output folder, by path under it (`/`-separated).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub files: HashMap<String, Entry>,
}

/// Where the manifest of the output folder `target` is kept in the cache folder `cache`: one
/// per output folder, so that `--out` elsewhere does not take another folder's manifest.
pub fn path(cache: &Path, target: &Path) -> PathBuf {
    let absolute = std::path::absolute(target).unwrap_or_else(|_| target.to_path_buf());
    let key = digest(absolute.to_string_lossy().as_bytes());
    let hex: String = key[..8].iter().map(|b| format!("{b:02x}")).collect();
    cache.join(format!("output-{hex}.bin"))
}

impl Manifest {
    /// The manifest kept at `path`; none when there is none, or it is damaged or foreign.
    pub fn load(path: &Path) -> Option<Manifest> {
        let bytes = std::fs::read(path).ok()?;
        postcard::from_bytes(bytes.strip_prefix(MAGIC)?).ok()
    }

    /// Keeps the manifest at `path`, replacing the last one whole.
    pub fn save(&self, path: &Path) -> Result<()> {
        let mut bytes = MAGIC.to_vec();
        bytes.extend(
            postcard::to_stdvec(self).context("cannot encode the output folder's manifest")?,
        );
        fsx::write_atomic(path, &bytes)
    }

    /// The files of `dir` as the disk and the manifest agree on them, and the paths of the
    /// files (and links) there that the manifest does not vouch for. `None` when `dir` cannot
    /// be read through: then nothing in it is known.
    pub fn check(mut self, dir: &Path) -> Option<(HashMap<String, Entry>, Vec<String>)> {
        let mut known = HashMap::with_capacity(self.files.len());
        let mut stray = Vec::new();
        for entry in walkdir::WalkDir::new(dir).min_depth(1) {
            let entry = entry.ok()?;
            if entry.file_type().is_dir() {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let vouched = match (entry.file_type().is_file(), self.files.remove(&rel)) {
                (true, Some(e)) => entry
                    .metadata()
                    .ok()
                    .filter(|m| Stamp::of(m) == e.stamp)
                    .map(|_| e),
                _ => None,
            };
            match vouched {
                Some(e) => {
                    known.insert(rel, e);
                }
                None => stray.push(rel),
            }
        }
        Some((known, stray))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry_for(path: &Path, bytes: &[u8]) -> Entry {
        Entry {
            digest: digest(bytes),
            stamp: Stamp::of(&std::fs::metadata(path).unwrap()),
            made_from: None,
        }
    }

    #[test]
    fn a_file_changed_behind_the_manifest_is_not_vouched_for() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        fsx::write(&dir.join("index.html"), "home").unwrap();
        fsx::write(&dir.join("en/index.html"), "english").unwrap();
        let mut m = Manifest::default();
        for (rel, bytes) in [("index.html", "home"), ("en/index.html", "english")] {
            m.files
                .insert(rel.into(), entry_for(&dir.join(rel), bytes.as_bytes()));
        }
        let saved = tmp.path().join("m.bin");
        m.save(&saved).unwrap();

        // Someone edits one page (a new length) and adds a file of their own.
        fsx::write(&dir.join("en/index.html"), "edited by hand").unwrap();
        fsx::write(&dir.join("extra.txt"), "mine").unwrap();
        let (known, mut stray) = Manifest::load(&saved).unwrap().check(&dir).unwrap();
        stray.sort();
        assert_eq!(known.keys().collect::<Vec<_>>(), ["index.html"]);
        assert_eq!(stray, ["en/index.html", "extra.txt"]);
    }

    #[test]
    fn a_damaged_manifest_is_no_manifest() {
        let tmp = tempfile::tempdir().unwrap();
        let at = tmp.path().join("m.bin");
        let mut m = Manifest::default();
        m.files.insert(
            "a.html".into(),
            Entry {
                digest: digest(b"a"),
                stamp: Stamp {
                    len: 1,
                    ino: 2,
                    mtime_s: 3,
                    mtime_ns: 4,
                },
                made_from: Some(digest(b"inputs")),
            },
        );
        m.save(&at).unwrap();
        assert_eq!(Manifest::load(&at).unwrap().files.len(), 1);
        let bytes = std::fs::read(&at).unwrap();
        std::fs::write(&at, &bytes[..bytes.len() - 3]).unwrap();
        assert!(Manifest::load(&at).is_none());
        std::fs::write(&at, b"something else").unwrap();
        assert!(Manifest::load(&at).is_none());
    }
}
