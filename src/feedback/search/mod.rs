//! The staff console's search over residents' free-text answers: a tantivy index with one
//! document per answer text, searched by call with stemming, folded spellings, phrases and
//! highlighted snippets.
//!
//! The index is derived, never the truth: [`LiveIndex`] ([`live`]) fills it from the store and
//! keeps it current from the store's change sequence (`add`, `remove`, then `commit`). It
//! lives in RAM or in a folder the caller gives, so a restart or a second instance can always
//! build its own.

mod analyzers;
mod live;

pub use live::{AnswerHit, CallIds, FreeText, LiveIndex};

use std::path::Path;
use std::sync::Mutex;

use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, TermQuery, TermSetQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Longer queries are refused: nobody types them, and each word costs a lookup per field.
pub const MAX_QUERY_CHARS: usize = 200;

/// What the writer may buffer before it flushes a segment, across its threads.
const WRITER_BUDGET_BYTES: usize = 64 * 1024 * 1024;

/// Characters of answer text around the matches in a hit's snippet.
const SNIPPET_CHARS: usize = 200;

/// One resident's text answer to one question, as the index takes it.
#[derive(Debug, Clone)]
pub struct AnswerText<'a> {
    /// The response's id in the store.
    pub response_id: i64,
    pub call_id: &'a str,
    pub question_id: &'a str,
    /// The language the resident answered in (`nb`, `nn`, `no`, `en`, or another).
    pub lang: &'a str,
    pub submitted: jiff::Timestamp,
    pub text: &'a str,
}

/// One answer that matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub response_id: i64,
    pub call_id: String,
    pub question_id: String,
    pub score: f32,
    /// An excerpt of the answer as HTML: matches in `<mark>`, everything else escaped.
    pub snippet: String,
}

/// Why a search gave no hits; the console shows "no results" with a hint for the first.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the search is longer than {MAX_QUERY_CHARS} characters; search for fewer words")]
    TooLong,
    #[error("the answer index failed: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The live index could not read the store's changes, so it does not search rather than
    /// show answers that may have been withdrawn.
    #[error("cannot read the answers' changes: {0}")]
    Store(#[from] crate::feedback::store::StoreError),
}

struct Fields {
    response_id: Field,
    call_id: Field,
    question_id: Field,
    lang: Field,
    submitted: Field,
    text: Field,
    norwegian: Field,
    english: Field,
    plain: Field,
    folded: Field,
}

/// The answer index.
pub struct AnswerIndex {
    writer: Mutex<IndexWriter>,
    reader: IndexReader,
    fields: Fields,
    parser: QueryParser,
}

impl AnswerIndex {
    /// A new, empty index in memory.
    pub fn in_ram() -> Result<Self, SearchError> {
        Self::with(Index::create_in_ram(schema()))
    }

    /// The index kept in `folder`: opened if one is there, made if not. An index a Torget with
    /// another schema left there is an error; being derived, its folder can simply be removed.
    pub fn in_folder(folder: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(folder).map_err(|e| {
            SearchError::Index(tantivy::TantivyError::SystemError(format!(
                "{}: cannot make the answer index's folder: {e}",
                folder.display()
            )))
        })?;
        let directory = tantivy::directory::MmapDirectory::open(folder)
            .map_err(|e| SearchError::Index(e.into()))?;
        Self::with(Index::open_or_create(directory, schema())?)
    }

    fn with(index: Index) -> Result<Self, SearchError> {
        analyzers::register(index.tokenizers());
        let fields = Fields::of(&index.schema());
        let writer = index.writer(WRITER_BUDGET_BYTES)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let mut parser = QueryParser::for_index(
            &index,
            vec![
                fields.norwegian,
                fields.english,
                fields.plain,
                fields.folded,
            ],
        );
        parser.set_conjunction_by_default();
        Ok(AnswerIndex {
            writer: Mutex::new(writer),
            reader,
            fields,
            parser,
        })
    }

    /// Adds an answer; searches see it after [`AnswerIndex::commit`].
    pub fn add(&self, answer: &AnswerText<'_>) -> Result<(), SearchError> {
        let f = &self.fields;
        let analyzed = match answer.lang {
            "nb" | "nn" | "no" => f.norwegian,
            "en" => f.english,
            _ => f.plain,
        };
        let mut doc = TantivyDocument::new();
        doc.add_i64(f.response_id, answer.response_id);
        doc.add_text(f.call_id, answer.call_id);
        doc.add_text(f.question_id, answer.question_id);
        doc.add_text(f.lang, answer.lang);
        doc.add_i64(f.submitted, answer.submitted.as_second());
        doc.add_text(f.text, answer.text);
        doc.add_text(analyzed, answer.text);
        doc.add_text(f.folded, answer.text);
        self.writer().add_document(doc)?;
        Ok(())
    }

    /// Removes every answer of a response (withdrawn, deleted); gone after the next commit.
    pub fn remove(&self, response_id: i64) {
        self.writer()
            .delete_term(Term::from_field_i64(self.fields.response_id, response_id));
    }

    /// Makes what was added and removed visible to searches.
    pub fn commit(&self) -> Result<(), SearchError> {
        self.writer().commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// The best answers for `query`, in one call or in all, `limit` from `offset`.
    pub fn search(
        &self,
        call: Option<&str>,
        query: &str,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        let query = self.query(call, query)?;
        self.hits(&*query, limit, offset)
    }

    /// How many answer texts match `query`, in one call or in all.
    pub fn count(&self, call: Option<&str>, query: &str) -> Result<usize, SearchError> {
        let query = self.query(call, query)?;
        Ok(self.reader.searcher().search(&*query, &Count)?)
    }

    /// Every response with an answer text that matches `query`, in one call or in all: their
    /// ids, ascending, each once. Read from a fast field, so a query that matches most
    /// answers costs no stored document.
    pub fn matching(&self, call: Option<&str>, query: &str) -> Result<Vec<i64>, SearchError> {
        let query = self.query(call, query)?;
        let mut ids = self
            .reader
            .searcher()
            .search(&*query, &ResponseIds("response_id"))?;
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// The answer texts of `responses` that match `query`, with their snippets: the
    /// highlights for the answers a page shows.
    pub fn hits_of(&self, query: &str, responses: &[i64]) -> Result<Vec<Hit>, SearchError> {
        if responses.is_empty() {
            return Ok(Vec::new());
        }
        let parsed = self.query(None, query)?;
        let terms = responses
            .iter()
            .map(|&id| Term::from_field_i64(self.fields.response_id, id));
        let query = BooleanQuery::new(vec![
            (Occur::Must, parsed),
            (Occur::Must, Box::new(TermSetQuery::new(terms))),
        ]);
        // A response has at most one text per question; a call has few questions.
        self.hits(&query, responses.len() * 64, 0)
    }

    /// `query` checked and parsed, within `call` if one is given.
    fn query(&self, call: Option<&str>, query: &str) -> Result<Box<dyn Query>, SearchError> {
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(SearchError::TooLong);
        }
        let parsed = self.parse(query);
        Ok(match call {
            None => parsed,
            Some(call) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, parsed),
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(self.fields.call_id, call),
                        IndexRecordOption::Basic,
                    )),
                ),
            ])),
        })
    }

    /// The best `limit` hits of `query` from `offset`, with their snippets.
    fn hits(
        &self,
        query: &dyn Query,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        let f = &self.fields;
        let searcher = self.reader.searcher();
        // Tantivy sets aside room for `limit + offset` hits before it looks: an offset past
        // the documents (a page number typed by hand) must not become an allocation.
        let docs = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        if offset >= docs {
            return Ok(Vec::new());
        }
        let limit = limit.min(docs - offset);
        let top = searcher.search(
            query,
            &TopDocs::with_limit(limit.max(1))
                .and_offset(offset)
                .order_by_score(),
        )?;
        let snippets = [f.norwegian, f.english, f.plain, f.folded]
            .map(|field| snippet_generator(&searcher, query, field));
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
            };
            let body = text(f.text);
            // The stemmed field's matches first; the folded one finds what was typed without æ/ø/å.
            let snippet = snippets
                .iter()
                .flatten()
                .map(|generator| generator.snippet(body))
                .find(|snippet| !snippet.is_empty())
                .map(|mut snippet| {
                    snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
                    snippet.to_html()
                })
                .unwrap_or_else(|| escape_start(body));
            hits.push(Hit {
                response_id: doc
                    .get_first(f.response_id)
                    .and_then(|v| v.as_i64())
                    .unwrap_or_default(),
                call_id: text(f.call_id).to_owned(),
                question_id: text(f.question_id).to_owned(),
                score,
                snippet,
            });
        }
        Ok(hits)
    }

    /// `query` as tantivy reads it. What its syntax cannot read (`10:30` is field `10`, value
    /// `30`; a lone `(` or `"`) is searched as a phrase of its words instead, and failing
    /// that word by word, so a resident's wording never makes the search fail.
    fn parse(&self, query: &str) -> Box<dyn Query> {
        if let Ok(q) = self.parser.parse_query(query) {
            return q;
        }
        let words: String = query
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Ok(q) = self.parser.parse_query(&format!("\"{words}\"")) {
            return q;
        }
        self.parser.parse_query_lenient(&words).0
    }

    /// How many answer texts searches see.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        // A panic while the lock was held leaves tantivy's writer usable; its buffered changes
        // are the caller's to redo, as after any failed commit.
        self.writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Collects the response id (an i64 fast field) of every matching document.
struct ResponseIds(&'static str);

struct SegmentResponseIds {
    column: Column<i64>,
    ids: Vec<i64>,
}

impl Collector for ResponseIds {
    type Fruit = Vec<i64>;
    type Child = SegmentResponseIds;

    fn for_segment(
        &self,
        _segment: tantivy::SegmentOrdinal,
        reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentResponseIds> {
        Ok(SegmentResponseIds {
            column: reader.fast_fields().i64(self.0)?,
            ids: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<i64>>) -> tantivy::Result<Vec<i64>> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for SegmentResponseIds {
    type Fruit = Vec<i64>;

    fn collect(&mut self, doc: tantivy::DocId, _score: tantivy::Score) {
        self.ids.extend(self.column.first(doc));
    }

    fn harvest(self) -> Vec<i64> {
        self.ids
    }
}

fn snippet_generator(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    field: Field,
) -> Option<SnippetGenerator> {
    let mut generator = SnippetGenerator::create(searcher, query, field).ok()?;
    generator.set_max_num_chars(SNIPPET_CHARS);
    Some(generator)
}

/// The start of an answer as escaped HTML, for a hit whose match no snippet shows (a phrase
/// of stop words, say).
fn escape_start(text: &str) -> String {
    let start: String = text.chars().take(SNIPPET_CHARS).collect();
    super::pages::escape(&start)
}

fn schema() -> Schema {
    let mut builder = Schema::builder();
    builder.add_i64_field("response_id", INDEXED | STORED | FAST);
    builder.add_text_field("call_id", STRING | STORED);
    builder.add_text_field("question_id", STORED);
    builder.add_text_field("lang", STRING | STORED);
    builder.add_i64_field("submitted", STORED);
    builder.add_text_field("text", STORED);
    for (name, analyzer) in [
        ("text_nb", analyzers::NORWEGIAN),
        ("text_en", analyzers::ENGLISH),
        ("text_plain", analyzers::PLAIN),
        ("text_folded", analyzers::FOLDED),
    ] {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        builder.add_text_field(name, TextOptions::default().set_indexing_options(indexing));
    }
    builder.build()
}

impl Fields {
    fn of(schema: &Schema) -> Fields {
        let field = |name| {
            schema
                .get_field(name)
                .expect("the answer index's schema has this field")
        };
        Fields {
            response_id: field("response_id"),
            call_id: field("call_id"),
            question_id: field("question_id"),
            lang: field("lang"),
            submitted: field("submitted"),
            text: field("text"),
            norwegian: field("text_nb"),
            english: field("text_en"),
            plain: field("text_plain"),
            folded: field("text_folded"),
        }
    }
}

#[cfg(test)]
mod tests;
