//! Receipt codes: what a resident keeps to withdraw their answer later.
//!
//! A code is 100 random bits from the operating system, written as 20 Crockford base-32
//! characters in groups of four (`7K2M-Q9XD-…`): no letters that look alike, and forgiving when
//! typed back (case, spaces, `O` for `0`, `I`/`L` for `1`). The store keeps only a SHA-256 of
//! the code, so a copy of the database is no list of codes that could withdraw answers.

use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CHARS: usize = 20;

/// A receipt code as shown to a resident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt(String);

/// What the store keeps instead of the code.
pub type ReceiptHash = [u8; 32];

impl Receipt {
    /// A fresh random code.
    pub fn generate() -> Result<Receipt, getrandom::Error> {
        let mut bytes = [0u8; CHARS];
        getrandom::fill(&mut bytes)?;
        let mut s = String::with_capacity(CHARS + CHARS / 4);
        for (i, b) in bytes.iter().enumerate() {
            if i > 0 && i % 4 == 0 {
                s.push('-');
            }
            s.push(ALPHABET[(b & 31) as usize] as char);
        }
        Ok(Receipt(s))
    }

    /// Reads a code as a resident typed it; `None` if it cannot be a code.
    pub fn parse(typed: &str) -> Option<Receipt> {
        let mut norm = String::with_capacity(CHARS);
        for c in typed.chars() {
            let c = match c.to_ascii_uppercase() {
                '-' | ' ' | '\t' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) || norm.len() == CHARS {
                return None;
            }
            norm.push(c);
        }
        if norm.len() != CHARS {
            return None;
        }
        let mut s = String::with_capacity(CHARS + CHARS / 4);
        for (i, c) in norm.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                s.push('-');
            }
            s.push(c);
        }
        Some(Receipt(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> ReceiptHash {
        let plain: String = self.0.chars().filter(|c| *c != '-').collect();
        Sha256::digest(plain.as_bytes()).into()
    }
}

impl std::fmt::Display for Receipt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_fresh_and_read_back_forgivingly() {
        let a = Receipt::generate().unwrap();
        let b = Receipt::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 24);
        let typed = a
            .as_str()
            .to_lowercase()
            .replace('-', " ")
            .replace('0', "o");
        let back = Receipt::parse(&typed).unwrap();
        assert_eq!(back, a);
        assert_eq!(back.hash(), a.hash());
    }

    #[test]
    fn things_that_are_not_codes_are_refused() {
        assert_eq!(Receipt::parse(""), None);
        assert_eq!(Receipt::parse("ABCD-EFGH"), None);
        assert_eq!(Receipt::parse("ABCD-EFGH-JKMN-PQRS-TVWX-Y"), None);
        assert_eq!(
            Receipt::parse("ABCD-EFGH-JKMN-PQRS-TVWU"),
            None,
            "U is not in the alphabet"
        );
        assert_eq!(Receipt::parse("ÅBCD-EFGH-JKMN-PQRS-TVWX"), None);
        assert!(Receipt::parse("abcd efgh jkmn pqrs tvwx").is_some());
    }
}
