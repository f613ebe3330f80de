//! Torget patch: a language's merged index kept between runs (see `build_indexes_keeping` and
//! `update_indexes`), written into a stream as it is encoded and read back from one, so that
//! the encoded index (tens of megabytes) is never held whole in memory beside the index.
//!
//! The stream is a sequence of frames, each a little-endian `u32` length, the CRC-32 of its
//! bytes (little-endian too) and that many bytes of CBOR items one after another; a frame is
//! written once it holds about [`FRAME`] bytes, so writing or reading holds at most one frame.
//! The checksum tells a damaged frame (which could otherwise decode into a wrong index) from a
//! sound one at little cost. The items, in order: the header (format
//! version, language, meta fields, and how many pages, words and filters follow), each page's
//! URL, each word with its pages, each filter with its values' pages, and each page's fragment
//! with its meta fields (ids into the meta fields). The URLs come first so that a reader can
//! decide which pages are replaced before the words are read, and take their postings out as
//! each word is read.

use std::io::{Read, Write};

use anyhow::{bail, Context, Result};
use minicbor::{Decode, Encode};

use super::{IntermediaryPageData, Merged};

/// The format of the stream; a stream of another is not read.
const VERSION: u32 = 1;

/// About how many bytes a frame holds before it is written.
const FRAME: usize = 1 << 20;

/// What the stream starts with: its version, the language, its meta fields, and how many
/// pages, words and filters follow.
pub(super) type Header = (u32, String, Vec<String>, u64, u64, u64);

/// One filter: its name and, per value, the pages that have it.
pub(super) type Filter = (String, Vec<(String, Vec<usize>)>);

/// Writes `m`, the merged index of `language`, into `out`.
pub(super) fn encode(m: &Merged, language: &str, out: &mut dyn Write) -> Result<()> {
    let mut w = FrameWriter {
        out,
        buf: Vec::with_capacity(FRAME + FRAME / 4),
    };
    w.item(&(
        VERSION,
        language,
        &m.meta_fields,
        m.pages.len() as u64,
        m.word_map.len() as u64,
        m.filter_map.len() as u64,
    ))?;
    for url in &m.urls {
        w.item(url)?;
    }
    for word in m.word_map.values() {
        w.item(word)?;
    }
    for (filter, values) in &m.filter_map {
        let values: Vec<(&String, &Vec<usize>)> = values.iter().collect();
        w.item(&(filter, values))?;
    }
    for (page, fields) in m.pages.iter().zip(&m.page_fields) {
        w.item(&(page, fields))?;
    }
    w.flush()?;
    w.out.flush().context("cannot write the kept index")
}

struct FrameWriter<'a> {
    out: &'a mut dyn Write,
    buf: Vec<u8>,
}

impl FrameWriter<'_> {
    fn item<T: Encode<()> + ?Sized>(&mut self, item: &T) -> Result<()> {
        minicbor::encode(item, &mut self.buf).expect("encoding into memory does not fail");
        if self.buf.len() >= FRAME {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let len = u32::try_from(self.buf.len()).context("an item of the kept index is over 4 GiB")?;
        let crc = crc32fast::hash(&self.buf);
        self.out
            .write_all(&len.to_le_bytes())
            .and_then(|()| self.out.write_all(&crc.to_le_bytes()))
            .and_then(|()| self.out.write_all(&self.buf))
            .context("cannot write the kept index")?;
        self.buf.clear();
        Ok(())
    }
}

/// Reads what [`encode`] wrote, item by item. Any error (the stream damaged, cut short or of
/// another version) means the stream is not to be used.
pub(super) struct Reader<'a> {
    input: &'a mut dyn Read,
    buf: Vec<u8>,
    /// Where the next item starts in `buf`.
    at: usize,
}

impl<'a> Reader<'a> {
    /// A reader of the stream in `input`, and its header.
    pub(super) fn new(input: &'a mut dyn Read) -> Result<(Reader<'a>, Header)> {
        let mut r = Reader {
            input,
            buf: Vec::new(),
            at: 0,
        };
        let header: Header = r.item()?;
        if header.0 != VERSION {
            bail!("a kept index of another format ({})", header.0);
        }
        Ok((r, header))
    }

    /// The next item.
    pub(super) fn item<T: for<'b> Decode<'b, ()>>(&mut self) -> Result<T> {
        if self.at == self.buf.len() {
            self.next_frame()?;
        }
        let mut d = minicbor::Decoder::new(&self.buf[self.at..]);
        let item = d.decode().context("a damaged kept index")?;
        self.at += d.position();
        Ok(item)
    }

    fn next_frame(&mut self) -> Result<()> {
        let mut head = [0u8; 8];
        self.input
            .read_exact(&mut head)
            .context("a kept index cut short")?;
        let len = u32::from_le_bytes(head[..4].try_into().expect("4 bytes")) as usize;
        let crc = u32::from_le_bytes(head[4..].try_into().expect("4 bytes"));
        self.buf.clear();
        self.at = 0;
        // Read as it comes rather than allocated at once: a damaged length must not ask for
        // gigabytes.
        (&mut self.input)
            .take(len as u64)
            .read_to_end(&mut self.buf)
            .context("cannot read the kept index")?;
        if self.buf.len() != len || len == 0 {
            bail!("a kept index cut short");
        }
        if crc32fast::hash(&self.buf) != crc {
            bail!("a damaged kept index");
        }
        Ok(())
    }

    /// Whether every item was read and the stream ends there.
    pub(super) fn at_end(self) -> bool {
        self.at == self.buf.len() && matches!(self.input.read(&mut [0u8; 1]), Ok(0))
    }
}

/// A page as kept: its fragment and its meta fields.
pub(super) type Page = (IntermediaryPageData, Vec<u16>);
