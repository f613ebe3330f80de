//! The analyzers the answer index registers: Norwegian (`nb`, `nn`, `no`) and English with
//! stop words and Snowball stemmers, plain lower case for other languages, and the folded
//! spellings (`æ` → `ae`, `ø` → `o`, `å` → `a`) that let `laerer` find `lærer`.

use std::mem;

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

pub(crate) const NORWEGIAN: &str = "torget_nb";
pub(crate) const ENGLISH: &str = "torget_en";
pub(crate) const PLAIN: &str = "torget_plain";
pub(crate) const FOLDED: &str = "torget_folded";

/// Longer tokens are noise (pasted URLs, keyboard mashing) and are dropped from the index.
const MAX_TOKEN_BYTES: usize = 40;

/// Registers the four analyzers under the names the schema's fields use.
pub(crate) fn register(tokenizers: &TokenizerManager) {
    tokenizers.register(NORWEGIAN, stemmed(Language::Norwegian));
    tokenizers.register(ENGLISH, stemmed(Language::English));
    tokenizers.register(PLAIN, base().build());
    tokenizers.register(FOLDED, base().filter(FoldNordic).build());
}

fn base() -> tantivy::tokenizer::TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
}

fn stemmed(language: Language) -> TextAnalyzer {
    let stop_words =
        StopWordFilter::new(language).expect("tantivy ships stop words for Norwegian and English");
    base()
        .filter(stop_words)
        .filter(Stemmer::new(language))
        .build()
}

/// Spells `æ`, `ø` and `å` as people type them without a Norwegian keyboard, as the public
/// search does. Applied after lower case; only the unstemmed folded field uses it, since the
/// stemmer must see the real letters.
#[derive(Clone)]
struct FoldNordic;

impl TokenFilter for FoldNordic {
    type Tokenizer<T: Tokenizer> = FoldNordicFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FoldNordicFilter<T> {
        FoldNordicFilter {
            tokenizer,
            buffer: String::new(),
        }
    }
}

#[derive(Clone)]
struct FoldNordicFilter<T> {
    tokenizer: T,
    buffer: String,
}

impl<T: Tokenizer> Tokenizer for FoldNordicFilter<T> {
    type TokenStream<'a> = FoldNordicStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FoldNordicStream {
            tail: self.tokenizer.token_stream(text),
            buffer: &mut self.buffer,
        }
    }
}

struct FoldNordicStream<'a, S> {
    tail: S,
    buffer: &'a mut String,
}

impl<S: TokenStream> TokenStream for FoldNordicStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let text = &self.tail.token().text;
        if text.contains(['æ', 'ø', 'å']) {
            self.buffer.clear();
            for c in text.chars() {
                match c {
                    'æ' => self.buffer.push_str("ae"),
                    'ø' => self.buffer.push('o'),
                    'å' => self.buffer.push('a'),
                    c => self.buffer.push(c),
                }
            }
            mem::swap(&mut self.tail.token_mut().text, self.buffer);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}
