//! The build cache in `.torget/cache/`: results of pure, costly steps kept from one
//! `torget build` to the next, each under a SHA-256 of everything the result depends on.
//!
//! A [`Shelf`] is one file of entries of one kind. Its header holds a salt made from torget's
//! version and the running binary's size and modification time, so another torget (or the same
//! version rebuilt) starts from an empty shelf rather than trust results an older program made.
//! A shelf keeps only the entries the last build used or made, so it never grows past one
//! build's worth; a missing, damaged or foreign file is an empty shelf, never an error, and the
//! cache is never the only copy of anything.
//!
//! A result that is the last of its kind and too large to hold whole in memory beside what it
//! is made from (a language's kept search index, holding what it was made from for the next
//! build to compare) is a [`Stream`]: a file of its own, salted like a shelf, written as it is
//! made and read back as it is used, replaced by the next build's.

use std::collections::HashMap;
use std::io::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context as _, Result};
use sha2::{Digest, Sha256};

/// The key of an entry: a SHA-256 of what its result depends on.
pub type Key = [u8; 32];

/// Written first in every shelf file; a file without it is not read.
const MAGIC: &[u8] = b"torget build cache 1\n";

/// Written first in every [`Stream`] file, so that a shelf is never read as one.
const STREAM_MAGIC: &[u8] = b"torget build cache stream 1\n";

/// The folder of the cache under a site's root.
pub fn dir(root: &Path) -> PathBuf {
    root.join(".torget").join("cache")
}

/// A SHA-256 over `parts`, each prefixed by its length so that no two lists of parts hash alike.
pub fn key(parts: &[&[u8]]) -> Key {
    let mut h = KeyHasher::default();
    for p in parts {
        h.part(p);
    }
    h.finish()
}

/// [`key`] for parts that come one at a time.
#[derive(Default)]
pub struct KeyHasher(Sha256);

impl KeyHasher {
    pub fn part(&mut self, p: &[u8]) {
        self.0.update((p.len() as u64).to_le_bytes());
        self.0.update(p);
    }

    pub fn finish(self) -> Key {
        self.0.finalize().into()
    }
}

/// One kind of cached result, read from `<dir>/<name>.bin` and written back by [`Shelf::save`].
///
/// The file is read once and its entries are used where they lie in it, not copied: a shelf
/// can hold tens of megabytes, and fresh memory costs more than the copy itself.
pub struct Shelf {
    path: PathBuf,
    salt: Key,
    /// The file as read (empty when there was none, or not one of this shelf's).
    file: Vec<u8>,
    /// Where each of its entries lies in `file`.
    old: HashMap<Key, Range<usize>>,
    /// What this build used or made: the next build's shelf.
    kept: Mutex<HashMap<Key, Entry>>,
    /// Whether anything was put: if not, and every old entry was used, the file stays.
    added: std::sync::atomic::AtomicBool,
}

/// An entry kept for the next build: one of the file's, or a new one.
enum Entry {
    Old(Range<usize>),
    New(Vec<u8>),
}

impl Shelf {
    /// The shelf `name` in `dir`; empty when there is none yet or it was made by another binary.
    pub fn open(dir: &Path, name: &str) -> Shelf {
        let salt = salt(name);
        let path = dir.join(format!("{name}.bin"));
        let file = std::fs::read(&path).unwrap_or_default();
        let (file, old) = match parse(&file, &salt) {
            Some(old) => (file, old),
            None => (Vec::new(), HashMap::new()),
        };
        Shelf {
            path,
            salt,
            file,
            old,
            kept: Mutex::new(HashMap::new()),
            added: Default::default(),
        }
    }

    /// Keeps every entry the previous build left, used or not.
    pub fn keep_all(&self) {
        let mut kept = self.kept.lock().expect("not poisoned");
        for (k, at) in &self.old {
            kept.entry(*k).or_insert_with(|| Entry::Old(at.clone()));
        }
    }

    /// The entry under `key`, if the previous build left one; kept for the next build.
    pub fn get(&self, key: &Key) -> Option<&[u8]> {
        let at = self.old.get(key)?;
        self.kept
            .lock()
            .expect("not poisoned")
            .insert(*key, Entry::Old(at.clone()));
        Some(&self.file[at.clone()])
    }

    /// Keeps `bytes` under `key` for the next build.
    pub fn put(&self, key: Key, bytes: Vec<u8>) {
        self.added.store(true, std::sync::atomic::Ordering::Relaxed);
        self.kept
            .lock()
            .expect("not poisoned")
            .insert(key, Entry::New(bytes));
    }

    /// How many entries the previous build left.
    pub fn found(&self) -> usize {
        self.old.len()
    }

    /// Writes what this build used or made, replacing the file atomically.
    pub fn save(self) -> Result<()> {
        let kept = self.kept.into_inner().expect("not poisoned");
        if !self.added.into_inner() && kept.len() == self.old.len() {
            // The same entries as the file holds.
            return Ok(());
        }
        let mut keys: Vec<&Key> = kept.keys().collect();
        // In key order, so that the same entries make the same file.
        keys.sort();
        let parent = self.path.parent().unwrap_or(Path::new("."));
        crate::fsx::create_dir_all(parent)?;
        let failed = |e: std::io::Error| {
            anyhow::Error::new(e).context(format!("cannot write {}", self.path.display()))
        };
        let tmp = tempfile::NamedTempFile::new_in(parent).map_err(failed)?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, tmp);
        out.write_all(MAGIC).map_err(failed)?;
        out.write_all(&self.salt).map_err(failed)?;
        for k in keys {
            let v = match &kept[k] {
                Entry::Old(at) => &self.file[at.clone()],
                Entry::New(bytes) => bytes.as_slice(),
            };
            out.write_all(k).map_err(failed)?;
            out.write_all(&(v.len() as u64).to_le_bytes())
                .map_err(failed)?;
            out.write_all(v).map_err(failed)?;
        }
        let tmp = out.into_inner().map_err(|e| failed(e.into_error()))?;
        tmp.as_file().sync_all().map_err(failed)?;
        tmp.persist(&self.path).map_err(|e| failed(e.error))?;
        Ok(())
    }
}

/// One result in a file of its own, `<dir>/<name>.bin`, written as a stream while it is made
/// and read back as one ([`Stream::open`]), so that it is never held whole in memory. Its
/// header is salted like a shelf's, so another binary's file is not read; what follows is the
/// writer's own, then a CRC-32 of it. A reader learns that a stream is damaged or cut short
/// only at its end, from an error where its end would be: it must read to the end before it
/// uses what it read (and then not use it: like a damaged shelf, a damaged stream is only a
/// result to make again).
///
/// The file is replaced atomically by [`Stream::commit`]; a stream dropped before then leaves
/// the previous file as it was.
pub struct Stream {
    path: PathBuf,
    out: std::io::BufWriter<tempfile::NamedTempFile>,
    /// Of what was written after the header.
    crc: crc32fast::Hasher,
}

/// A [`Stream`] as the last build left it, read after its header; see [`Stream::open`].
pub struct StreamReader {
    input: std::io::BufReader<std::fs::File>,
    /// How many bytes are left before the checksum.
    left: u64,
    crc: crc32fast::Hasher,
    /// Whether the checksum was read and found right.
    sound: bool,
}

impl std::io::Read for StreamReader {
    /// Ends (`Ok(0)`) only where the stream ends and its checksum is right; else an error.
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            if !self.sound {
                let mut stored = [0; 4];
                self.input.read_exact(&mut stored)?;
                if u32::from_le_bytes(stored) != self.crc.clone().finalize() {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "a damaged build cache file",
                    ));
                }
                self.sound = true;
            }
            return Ok(0);
        }
        let most = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.input.read(&mut buf[..most])?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        self.crc.update(&buf[..n]);
        self.left -= n as u64;
        Ok(n)
    }
}

impl Stream {
    /// The stream `name` in `dir` as the last build left it, to be read from after its header;
    /// `None` when there is none or another binary wrote it.
    pub fn open(dir: &Path, name: &str) -> Option<StreamReader> {
        let file = std::fs::File::open(dir.join(format!("{name}.bin"))).ok()?;
        let len = file.metadata().ok()?.len();
        let mut input = std::io::BufReader::with_capacity(1 << 16, file);
        let mut header = vec![0; STREAM_MAGIC.len() + 32];
        std::io::Read::read_exact(&mut input, &mut header).ok()?;
        let rest = header.strip_prefix(STREAM_MAGIC)?;
        (rest == salt(name).as_slice()).then_some(())?;
        Some(StreamReader {
            input,
            left: len.checked_sub(header.len() as u64 + 4)?,
            crc: crc32fast::Hasher::new(),
            sound: false,
        })
    }

    /// A new stream `name` in `dir`, to replace the last build's when committed.
    pub fn create(dir: &Path, name: &str) -> Result<Stream> {
        let path = dir.join(format!("{name}.bin"));
        crate::fsx::create_dir_all(dir)?;
        let tmp = tempfile::NamedTempFile::new_in(dir)
            .with_context(|| format!("cannot write {}", path.display()))?;
        let mut stream = Stream {
            path,
            out: std::io::BufWriter::with_capacity(1 << 16, tmp),
            crc: crc32fast::Hasher::new(),
        };
        stream
            .out
            .write_all(STREAM_MAGIC)
            .map_err(|e| stream.failed(e))?;
        stream
            .out
            .write_all(&salt(name))
            .map_err(|e| stream.failed(e))?;
        Ok(stream)
    }

    /// Replaces the last build's stream with this one, atomically.
    pub fn commit(mut self) -> Result<()> {
        let failed = |e: std::io::Error| {
            anyhow::Error::new(e).context(format!("cannot write {}", self.path.display()))
        };
        let crc = self.crc.clone().finalize();
        self.out.write_all(&crc.to_le_bytes()).map_err(failed)?;
        let tmp = self.out.into_inner().map_err(|e| failed(e.into_error()))?;
        tmp.as_file().sync_all().map_err(failed)?;
        tmp.persist(&self.path).map_err(|e| failed(e.error))?;
        Ok(())
    }

    /// `e` with the file's path, for whoever reports it.
    fn failed(&self, e: std::io::Error) -> std::io::Error {
        std::io::Error::new(
            e.kind(),
            format!("cannot write {}: {e}", self.path.display()),
        )
    }
}

impl std::io::Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf).map_err(|e| self.failed(e))?;
        self.crc.update(&buf[..n]);
        Ok(n)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.out.write_all(buf).map_err(|e| self.failed(e))?;
        self.crc.update(buf);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush().map_err(|e| self.failed(e))
    }
}

/// Where the entries of a shelf file lie in it, or `None` when it is not one this binary wrote
/// for this shelf.
fn parse(bytes: &[u8], salt: &Key) -> Option<HashMap<Key, Range<usize>>> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let rest = rest.strip_prefix(salt.as_slice())?;
    let base = MAGIC.len() + salt.len();
    let mut entries = HashMap::new();
    let mut at = 0;
    while at < rest.len() {
        let key: Key = rest.get(at..at + 32)?.try_into().ok()?;
        let len = u64::from_le_bytes(rest.get(at + 32..at + 40)?.try_into().ok()?) as usize;
        let end = (at + 40).checked_add(len)?;
        rest.get(at + 40..end)?;
        entries.insert(key, base + at + 40..base + end);
        at = end;
    }
    Some(entries)
}

/// What tells this binary's results from another's: torget's version and the executable's
/// size and modification time (a rebuilt binary of the same version may compute differently),
/// with the `name` of what it salts.
pub fn salt(name: &str) -> Key {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{} {modified}", m.len())
        })
        // Without it, a per-process salt: nothing is ever reused, which is safe.
        .unwrap_or_else(|_| format!("unknown {}", std::process::id()));
    key(&[
        env!("CARGO_PKG_VERSION").as_bytes(),
        exe.as_bytes(),
        name.as_bytes(),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shelf_keeps_what_one_build_used_or_made_for_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let shelf = Shelf::open(dir.path(), "test");
        assert_eq!(shelf.found(), 0);
        shelf.put(key(&[b"a"]), b"first".to_vec());
        shelf.put(key(&[b"b"]), Vec::new());
        shelf.save().unwrap();

        let shelf = Shelf::open(dir.path(), "test");
        assert_eq!(shelf.found(), 2);
        assert_eq!(shelf.get(&key(&[b"a"])), Some(&b"first"[..]));
        assert_eq!(shelf.get(&key(&[b"c"])), None);
        shelf.save().unwrap();
        // `b` was not used by the second build: gone from the third's shelf.
        let shelf = Shelf::open(dir.path(), "test");
        assert_eq!(shelf.found(), 1);
        assert_eq!(shelf.get(&key(&[b"b"])), None);
    }

    #[test]
    fn a_damaged_or_foreign_shelf_is_an_empty_one() {
        let dir = tempfile::tempdir().unwrap();
        let shelf = Shelf::open(dir.path(), "test");
        shelf.put(key(&[b"a"]), b"value".to_vec());
        shelf.save().unwrap();
        let path = dir.path().join("test.bin");
        let whole = std::fs::read(&path).unwrap();
        std::fs::write(&path, &whole[..whole.len() - 2]).unwrap();
        assert_eq!(Shelf::open(dir.path(), "test").found(), 0);
        // Another shelf's name salts differently: its file is not read as this one.
        std::fs::write(dir.path().join("other.bin"), &whole).unwrap();
        assert_eq!(Shelf::open(dir.path(), "other").found(), 0);
    }

    #[test]
    fn a_stream_is_read_back_after_its_header_only_where_it_was_written_and_committed() {
        use std::io::Read as _;
        let dir = tempfile::tempdir().unwrap();
        let read = |name: &str| {
            Stream::open(dir.path(), name).map(|mut input| {
                let mut bytes = Vec::new();
                input.read_to_end(&mut bytes).unwrap();
                bytes
            })
        };
        assert_eq!(read("kept"), None);
        let mut out = Stream::create(dir.path(), "kept").unwrap();
        out.write_all(b"first").unwrap();
        out.commit().unwrap();
        assert_eq!(read("kept").as_deref(), Some(&b"first"[..]));

        // One not committed leaves the last one as it was.
        let mut out = Stream::create(dir.path(), "kept").unwrap();
        out.write_all(b"second").unwrap();
        drop(out);
        assert_eq!(read("kept").as_deref(), Some(&b"first"[..]));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

        // Another stream's file, or a shelf's, is not read as this one.
        let whole = std::fs::read(dir.path().join("kept.bin")).unwrap();
        std::fs::write(dir.path().join("other.bin"), &whole).unwrap();
        assert_eq!(read("other"), None);
        let shelf = Shelf::open(dir.path(), "shelf");
        shelf.put(key(&[b"a"]), b"value".to_vec());
        shelf.save().unwrap();
        assert_eq!(read("shelf"), None);
        // Nor one cut short within its header.
        std::fs::write(dir.path().join("kept.bin"), &whole[..20]).unwrap();
        assert_eq!(read("kept"), None);
        // One cut short or damaged after it is read until its end, which is an error.
        for damaged in [
            whole[..whole.len() - 2].to_vec(),
            [&whole[..], b"\0"].concat(),
            {
                let mut bytes = whole.clone();
                bytes[whole.len() - 6] ^= 1;
                bytes
            },
        ] {
            std::fs::write(dir.path().join("kept.bin"), &damaged).unwrap();
            let mut input = Stream::open(dir.path(), "kept").unwrap();
            assert!(input.read_to_end(&mut Vec::new()).is_err());
        }
    }

    #[test]
    fn keys_tell_apart_parts_that_concatenate_alike() {
        assert_ne!(key(&[b"ab", b"c"]), key(&[b"a", b"bc"]));
    }
}
