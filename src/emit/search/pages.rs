//! A language's search metadata with a page table in place of pagefind's page list, so that
//! what the browser reads before a first search no longer grows with every page.
//!
//! Pagefind's `pagefind.<lang>_<hash>.pf_meta` lists every page as `[fragment name, word count,
//! group]`; the browser fetches it whole before it can search (on 10,000 pages about 63 KB
//! gzipped, most of it the names, which are hashes). [`split`] rewrites it: the pages move
//! into lists of [`LIST_SIZE`] pages, `pages/<lang>_<hash>.pf_pages` (each page's fragment
//! name and word count), and every word count also into one file, `pages/<lang>_<hash>.pf_words`
//! (LEB128 varints); the metadata keeps the number of pages and their total word count. The
//! patched runtime (`vendor/pagefind/vendor/*.js`) fetches the lists of the results it finds,
//! or the word-count file when they are spread over many lists, and ranks with every result's
//! own length and the same average as before. The format is described in
//! `vendor/pagefind/PATCHES.md`.

use std::collections::BTreeSet;
use std::io::{Read, Write};

use anyhow::{Context, Result, bail};
use pagefind::api::SyntheticFile;
use sha2::{Digest, Sha256};

/// Pages per list: ten results on a 10,000-page site fetch at most ten lists of about 250
/// bytes each, and the metadata names about 300 lists.
pub const LIST_SIZE: usize = 32;

/// What pagefind's files start with once decompressed.
const SIGNATURE: &[u8] = b"pagefind_dcd";

/// Rewrites one language's `pf_meta` among `files` (pagefind's output for that language) with
/// a page table, adds the lists of fragment names and points `pagefind-entry.json` at the new
/// metadata. Files without metadata (no pages) are left as they are.
pub fn split(files: &mut Vec<SyntheticFile>) -> Result<()> {
    let name = |f: &SyntheticFile| f.filename.to_string_lossy().replace('\\', "/");
    let Some(at) = files.iter().position(|f| {
        let n = name(f);
        n.starts_with("pagefind.") && n.ends_with(".pf_meta")
    }) else {
        return Ok(());
    };
    let old_name = name(&files[at]);
    let old_hash = &old_name["pagefind.".len()..old_name.len() - ".pf_meta".len()];
    let lang = old_hash
        .rsplit_once('_')
        .map(|(l, _)| l.to_string())
        .unwrap_or_default();
    let meta = gunzip(&files[at].contents).with_context(|| format!("pagefind's {old_name}"))?;
    let meta = meta
        .strip_prefix(SIGNATURE)
        .with_context(|| format!("pagefind's {old_name} lacks its signature"))?;
    let table = PageList::read(meta).with_context(|| {
        format!("pagefind's {old_name} is not the metadata this torget knows (pagefind 1.6)")
    })?;

    let mut out: Vec<SyntheticFile> = Vec::new();
    let mut taken = BTreeSet::new();
    let mut lists = Vec::new();
    for (names, counts) in table
        .names
        .chunks(LIST_SIZE)
        .zip(table.word_counts.chunks(LIST_SIZE))
    {
        let lines: Vec<String> = names
            .iter()
            .zip(counts)
            .map(|(name, words)| format!("{name} {words}"))
            .collect();
        let mut body = SIGNATURE.to_vec();
        body.extend_from_slice(lines.join("\n").as_bytes());
        let hash = unique_hash(&lang, &body, &mut taken);
        out.push(SyntheticFile {
            filename: format!("pages/{hash}.pf_pages").into(),
            contents: gzip(&body),
        });
        lists.push(hash);
    }
    let mut words = SIGNATURE.to_vec();
    for &n in &table.word_counts {
        leb128(&mut words, n);
    }
    let words_hash = unique_hash(&lang, &words, &mut taken);
    out.push(SyntheticFile {
        filename: format!("pages/{words_hash}.pf_words").into(),
        contents: gzip(&words),
    });

    let mut new_meta = SIGNATURE.to_vec();
    new_meta.extend_from_slice(&meta[..table.table_at]);
    head(&mut new_meta, 5, 5);
    text(&mut new_meta, "size");
    head(&mut new_meta, 0, LIST_SIZE as u64);
    text(&mut new_meta, "lists");
    head(&mut new_meta, 4, lists.len() as u64);
    for l in &lists {
        text(&mut new_meta, l);
    }
    text(&mut new_meta, "pages");
    head(&mut new_meta, 0, table.word_counts.len() as u64);
    text(&mut new_meta, "total");
    head(&mut new_meta, 0, table.word_counts.iter().sum());
    text(&mut new_meta, "words");
    text(&mut new_meta, &words_hash);
    new_meta.extend_from_slice(&meta[table.rest_at..]);
    let new_hash = unique_hash(&lang, &new_meta, &mut BTreeSet::new());
    out.push(SyntheticFile {
        filename: format!("pagefind.{new_hash}.pf_meta").into(),
        contents: gzip(&new_meta),
    });

    if let Some(entry) = files.iter_mut().find(|f| name(f) == "pagefind-entry.json") {
        let mut e: serde_json::Value = serde_json::from_slice(&entry.contents)
            .context("pagefind wrote an unreadable pagefind-entry.json")?;
        let languages = e.get_mut("languages").and_then(|l| l.as_object_mut());
        for l in languages.into_iter().flat_map(|l| l.values_mut()) {
            if l.get("hash").and_then(|h| h.as_str()) == Some(old_hash) {
                l["hash"] = serde_json::Value::String(new_hash.clone());
            }
        }
        entry.contents = serde_json::to_vec(&e)?;
    }
    files.remove(at);
    files.extend(out);
    Ok(())
}

/// Where pagefind's page list sits in its metadata, and what it holds.
struct PageList {
    /// The offset of the page list (after the version).
    table_at: usize,
    /// The offset of what follows it (index chunks, filters, sorts, meta fields).
    rest_at: usize,
    names: Vec<String>,
    word_counts: Vec<u64>,
}

impl PageList {
    /// `[version, [[name, word count, group]…], …]`, as pagefind 1.6 writes it (minicbor's
    /// derive: structs as arrays of definite length).
    fn read(meta: &[u8]) -> Result<PageList> {
        let mut at = 0;
        let (major, n) = read_head(meta, &mut at)?;
        if major != 4 || n != 6 {
            bail!("it does not start with an array of six");
        }
        let (major, n) = read_head(meta, &mut at)?;
        if major != 3 {
            bail!("its version is not text");
        }
        at += n as usize;
        let table_at = at;
        let (major, pages) = read_head(meta, &mut at)?;
        if major != 4 {
            bail!("its pages are not a list");
        }
        let mut names = Vec::with_capacity(pages as usize);
        let mut word_counts = Vec::with_capacity(pages as usize);
        for _ in 0..pages {
            if read_head(meta, &mut at)? != (4, 3) {
                bail!("a page is not [name, word count, group]");
            }
            names.push(read_text(meta, &mut at)?);
            let (major, words) = read_head(meta, &mut at)?;
            if major != 0 {
                bail!("a page's word count is not a number");
            }
            word_counts.push(words);
            if !read_text(meta, &mut at)?.is_empty() {
                bail!("its fragments are bundled in groups, which a page table cannot name");
            }
        }
        Ok(PageList {
            table_at,
            rest_at: at,
            names,
            word_counts,
        })
    }
}

fn read_head(b: &[u8], at: &mut usize) -> Result<(u8, u64)> {
    let first = *b.get(*at).context("it ends early")?;
    *at += 1;
    let (major, info) = (first >> 5, first & 31);
    let width = match info {
        0..=23 => return Ok((major, u64::from(info))),
        24 => 1,
        25 => 2,
        26 => 4,
        27 => 8,
        _ => bail!("it has a CBOR item of indefinite length"),
    };
    let bytes = b.get(*at..*at + width).context("it ends early")?;
    *at += width;
    Ok((major, bytes.iter().fold(0, |n, &x| n << 8 | u64::from(x))))
}

fn read_text(b: &[u8], at: &mut usize) -> Result<String> {
    let (major, n) = read_head(b, at)?;
    if major != 3 {
        bail!("a name is not text");
    }
    let bytes = b.get(*at..*at + n as usize).context("it ends early")?;
    *at += n as usize;
    Ok(String::from_utf8(bytes.to_vec())?)
}

/// A CBOR head: major type and length or value, in the shortest form.
fn head(out: &mut Vec<u8>, major: u8, n: u64) {
    let m = major << 5;
    match n {
        0..=23 => out.push(m | n as u8),
        24..=0xff => out.extend_from_slice(&[m | 24, n as u8]),
        0x100..=0xffff => {
            out.push(m | 25);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(m | 26);
            out.extend_from_slice(&(n as u32).to_be_bytes());
        }
        _ => {
            out.push(m | 27);
            out.extend_from_slice(&n.to_be_bytes());
        }
    }
}

fn text(out: &mut Vec<u8>, s: &str) {
    head(out, 3, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn leb128(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n & 0x7f) as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// `<lang>_<first 8 hex digits of SHA-256>`, longer when another file has those digits.
fn unique_hash(lang: &str, bytes: &[u8], taken: &mut BTreeSet<String>) -> String {
    let hex: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut len = 8;
    loop {
        let name = format!("{lang}_{}", &hex[..len]);
        if len == hex.len() || taken.insert(name.clone()) {
            return name;
        }
        len += 1;
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(bytes).expect("writing into memory");
    z.finish().expect("writing into memory")
}

fn gunzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pagefind's metadata for `pages` (name, word count), with two index chunks after them.
    fn pagefind_meta(pages: &[(&str, u64)]) -> Vec<u8> {
        let mut m = SIGNATURE.to_vec();
        head(&mut m, 4, 6);
        text(&mut m, "1.6.0");
        head(&mut m, 4, pages.len() as u64);
        for (name, words) in pages {
            head(&mut m, 4, 3);
            text(&mut m, name);
            head(&mut m, 0, *words);
            text(&mut m, "");
        }
        m.extend_from_slice(REST);
        m
    }
    /// Index chunks `[["a", "m", "nb_1"], ["n", "z", "nb_2"]]`, no filters, sorts or fields.
    const REST: &[u8] = &[
        0x82, 0x83, 0x61, b'a', 0x61, b'm', 0x64, b'n', b'b', b'_', b'1', 0x83, 0x61, b'n', 0x61,
        b'z', 0x64, b'n', b'b', b'_', b'2', 0x80, 0x80, 0x80,
    ];

    fn file(name: &str, contents: Vec<u8>) -> SyntheticFile {
        SyntheticFile {
            filename: name.into(),
            contents,
        }
    }

    #[test]
    fn the_page_list_moves_into_lists_and_the_rest_stays_byte_for_byte() {
        let names: Vec<String> = (0..70).map(|i| format!("nb_{i:07x}")).collect();
        let pages: Vec<(&str, u64)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), 100 + 7 * i as u64))
            .collect();
        let entry = br#"{"version":"1.6.0","languages":{"nb":{"hash":"nb_0123456789","wasm":"nb","page_count":70}}}"#;
        let mut files = vec![
            file("pagefind-entry.json", entry.to_vec()),
            file(
                "pagefind.nb_0123456789.pf_meta",
                gzip(&pagefind_meta(&pages)),
            ),
            file("fragment/nb_0000000.pf_fragment", vec![1, 2, 3]),
        ];
        split(&mut files).unwrap();

        let named = |prefix: &str| -> Vec<&SyntheticFile> {
            files
                .iter()
                .filter(|f| f.filename.to_string_lossy().starts_with(prefix))
                .collect()
        };
        assert_eq!(named("fragment/")[0].contents, vec![1, 2, 3]);
        assert!(
            named("pagefind.nb_0123456789").is_empty(),
            "the old metadata stays"
        );
        let e: serde_json::Value =
            serde_json::from_slice(&named("pagefind-entry")[0].contents).unwrap();
        let hash = e["languages"]["nb"]["hash"].as_str().unwrap();
        let meta = &named(&format!("pagefind.{hash}.pf_meta"))[0].contents;
        let meta = gunzip(meta).unwrap();
        let meta = meta.strip_prefix(SIGNATURE).unwrap();

        // [version, {size, lists, pages, total, words}, …the rest as pagefind wrote it]
        let mut at = 0;
        assert_eq!(read_head(meta, &mut at).unwrap(), (4, 6));
        assert_eq!(read_text(meta, &mut at).unwrap(), "1.6.0");
        assert_eq!(read_head(meta, &mut at).unwrap(), (5, 5));
        assert_eq!(read_text(meta, &mut at).unwrap(), "size");
        assert_eq!(read_head(meta, &mut at).unwrap(), (0, LIST_SIZE as u64));
        assert_eq!(read_text(meta, &mut at).unwrap(), "lists");
        assert_eq!(
            read_head(meta, &mut at).unwrap(),
            (4, 3),
            "70 pages in lists of 32"
        );
        let lists: Vec<String> = (0..3).map(|_| read_text(meta, &mut at).unwrap()).collect();
        assert_eq!(read_text(meta, &mut at).unwrap(), "pages");
        assert_eq!(read_head(meta, &mut at).unwrap(), (0, 70));
        assert_eq!(read_text(meta, &mut at).unwrap(), "total");
        let total: u64 = pages.iter().map(|p| p.1).sum();
        assert_eq!(read_head(meta, &mut at).unwrap(), (0, total));
        assert_eq!(read_text(meta, &mut at).unwrap(), "words");
        let words = read_text(meta, &mut at).unwrap();
        assert_eq!(&meta[at..], REST);

        let words = gunzip(&named(&format!("pages/{words}.pf_words"))[0].contents).unwrap();
        let mut counts = Vec::new();
        let (mut n, mut shift) = (0, 0);
        for &b in words.strip_prefix(SIGNATURE).unwrap() {
            n |= u64::from(b & 0x7f) << shift;
            shift += 7;
            if b < 0x80 {
                counts.push(n);
                (n, shift) = (0, 0);
            }
        }
        assert_eq!(counts, pages.iter().map(|p| p.1).collect::<Vec<_>>());

        let mut listed = Vec::new();
        for l in &lists {
            let list = &named(&format!("pages/{l}.pf_pages"))[0].contents;
            let text = gunzip(list).unwrap();
            let text = String::from_utf8(text.strip_prefix(SIGNATURE).unwrap().to_vec()).unwrap();
            listed.extend(text.split('\n').map(str::to_string));
        }
        let expected: Vec<String> = pages.iter().map(|(n, w)| format!("{n} {w}")).collect();
        assert_eq!(listed, expected);
    }

    #[test]
    fn metadata_of_another_shape_is_refused_with_the_file_named() {
        let mut files = vec![file(
            "pagefind.nb_0123456789.pf_meta",
            gzip(b"pagefind_dcd\x83\x61a\x80\x80"),
        )];
        let e = format!("{:#}", split(&mut files).unwrap_err());
        assert!(e.contains("pagefind.nb_0123456789.pf_meta"), "{e}");
        assert!(e.contains("pagefind 1.6"), "{e}");
    }

    #[test]
    fn a_bundle_without_metadata_is_left_alone() {
        let mut files = vec![file("pagefind.js", b"x".to_vec())];
        split(&mut files).unwrap();
        assert_eq!(files.len(), 1);
    }
}
