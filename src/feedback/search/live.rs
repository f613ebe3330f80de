//! The answer index kept current with the store: [`LiveIndex`] fills an [`AnswerIndex`] with
//! every call's free-text answers when it starts, then follows the store's change sequence
//! ([`Store::changes`]). Before each search it catches up, so what this instance just stored,
//! withdrew or deleted is reflected at once; [`LiveIndex::follow`] also polls about once a
//! second, so changes other instances make to a shared store arrive within two.
//!
//! Following is idempotent: a new answer is read from the store when its change is applied and
//! indexed afresh (its old documents removed first), a removal of what is not indexed does
//! nothing. So the start can read the sequence's position first and the answers after it, and
//! any change in between is simply applied twice. Hidden answers stay indexed: staff search
//! them too, and the console marks them. A call the site gains while the index lives (a new
//! call published, the endpoint's site reloaded) has its stored answers read at the next
//! catch-up ([`LiveIndex::watch_calls`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Weak};
use std::time::Duration;

use super::{AnswerIndex, AnswerText, SearchError};
use crate::feedback::answers::Answer;
use crate::feedback::calls::{QuestionKind, SiteHandle};
use crate::feedback::store::{ChangeKind, Filter, Store, StoredResponse};

/// Whether question `question` of call `call` takes free text: only those answers are indexed
/// (a chosen option is text too, but the console filters by options instead).
pub type FreeText = Arc<dyn Fn(&str, &str) -> bool + Send + Sync>;

/// The ids of the calls the site has now, read again at each catch-up.
pub type CallIds = Arc<dyn Fn() -> Vec<String> + Send + Sync>;

/// Changes read from the store at a time while catching up.
const CHANGES_PER_READ: u32 = 1_000;

/// One answer that matched, for the console.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerHit {
    /// The response's id in the store.
    pub id: i64,
    pub call_id: String,
    pub question_id: String,
    /// An excerpt of the answer as HTML: matches in `<mark>`, everything else escaped.
    pub snippet_html: String,
}

impl From<super::Hit> for AnswerHit {
    fn from(h: super::Hit) -> AnswerHit {
        AnswerHit {
            id: h.response_id,
            call_id: h.call_id,
            question_id: h.question_id,
            snippet_html: h.snippet,
        }
    }
}

/// An answer index that follows the store.
pub struct LiveIndex {
    store: Arc<dyn Store>,
    index: Arc<AnswerIndex>,
    free_text: FreeText,
    /// The last change applied; held while catching up, so one catch-up runs at a time.
    applied: tokio::sync::Mutex<i64>,
    /// Which calls' answers were read whole: at the start, and any new call since.
    calls: std::sync::Mutex<BTreeSet<String>>,
    /// Where new calls are seen, if anywhere.
    calls_now: Option<CallIds>,
}

impl LiveIndex {
    /// Builds the index in memory from the store: every answer of `calls` that `free_text`
    /// names, then whatever changed meanwhile.
    pub async fn build(
        store: Arc<dyn Store>,
        calls: Vec<String>,
        free_text: FreeText,
    ) -> Result<LiveIndex, SearchError> {
        let live = LiveIndex {
            store,
            index: Arc::new(AnswerIndex::in_ram()?),
            free_text,
            applied: tokio::sync::Mutex::new(0),
            calls: std::sync::Mutex::new(calls.iter().cloned().collect()),
            calls_now: None,
        };
        {
            let mut applied = live.applied.lock().await;
            // Read first: whatever changes after this is applied again below.
            *applied = live.store.last_change().await?;
            live.read_whole(calls).await?;
        }
        live.catch_up().await?;
        Ok(live)
    }

    /// From now on, before each catch-up, reads every stored answer of a call that `now`
    /// names and the index has not read yet: answers stored before the site had the call are
    /// not in the change sequence's future.
    pub fn watch_calls(&mut self, now: CallIds) {
        self.calls_now = Some(now);
    }

    /// Indexes every stored answer of `calls`, with one commit at the end (each costs a
    /// segment write). Called with the catch-up lock held.
    async fn read_whole(&self, calls: Vec<String>) -> Result<(), SearchError> {
        if calls.is_empty() {
            return Ok(());
        }
        for call in calls {
            let responses = self.store.responses(call).await?;
            self.index_blocking(responses, Vec::new(), false).await?;
        }
        self.index_blocking(Vec::new(), Vec::new(), true).await
    }

    /// The calls `calls_now` names that were not read yet, marked as read.
    fn new_calls(&self) -> Vec<String> {
        let Some(now) = &self.calls_now else {
            return Vec::new();
        };
        let mut known = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        now()
            .into_iter()
            .filter(|c| known.insert(c.clone()))
            .collect()
    }

    /// Which answers of the site behind `site` are free text, as its calls say now (the
    /// site is read again at each answer, so a rebuilt site's calls count).
    pub fn free_text_of(site: Arc<SiteHandle>) -> FreeText {
        Arc::new(move |call, question| {
            site.get().call(call).is_some_and(|c| {
                c.questions.iter().any(|q| {
                    q.id == question
                        && matches!(q.kind, QuestionKind::Text | QuestionKind::Longtext)
                })
            })
        })
    }

    /// Applies every change the store has recorded since the last one applied.
    pub async fn catch_up(&self) -> Result<(), SearchError> {
        let mut applied = self.applied.lock().await;
        let fresh_calls = self.new_calls();
        if let Err(e) = self.read_whole(fresh_calls.clone()).await {
            // Read again at the next catch-up.
            let mut known = self.calls.lock().unwrap_or_else(|e| e.into_inner());
            for c in &fresh_calls {
                known.remove(c);
            }
            return Err(e);
        }
        loop {
            let changes = self.store.changes(*applied, CHANGES_PER_READ).await?;
            let Some(last) = changes.last() else {
                return Ok(());
            };
            let last = last.seq;
            let mut gone = Vec::new();
            let mut new: BTreeMap<String, Vec<i64>> = BTreeMap::new();
            for c in &changes {
                if c.kind.removes() {
                    gone.push(c.response);
                } else if c.kind == ChangeKind::Insert {
                    new.entry(c.call_id.clone()).or_default().push(c.response);
                }
            }
            let mut fresh = Vec::new();
            for (call, ids) in new {
                let n = ids.len() as u32;
                let filter = Filter {
                    ids: Some(ids),
                    ..Filter::default()
                };
                // What is gone by now is simply not found; its removal follows.
                fresh.extend(self.store.page(call, filter, 0, n).await?.0);
            }
            // Hiding and unhiding change nothing here.
            let changed = !(fresh.is_empty() && gone.is_empty());
            self.index_blocking(fresh, gone, changed).await?;
            *applied = last;
        }
    }

    /// Indexes `responses` afresh and removes `gone`, then, if `commit`, commits, off the
    /// async threads.
    async fn index_blocking(
        &self,
        responses: Vec<StoredResponse>,
        gone: Vec<i64>,
        commit: bool,
    ) -> Result<(), SearchError> {
        if responses.is_empty() && gone.is_empty() && !commit {
            return Ok(());
        }
        let index = self.index.clone();
        let free_text = self.free_text.clone();
        tokio::task::spawn_blocking(move || {
            for id in gone {
                index.remove(id);
            }
            for r in &responses {
                index.remove(r.id);
                for (question, answer) in &r.answers {
                    let Answer::Text(text) = answer else {
                        continue;
                    };
                    if !free_text(&r.call_id, question) {
                        continue;
                    }
                    index.add(&AnswerText {
                        response_id: r.id,
                        call_id: &r.call_id,
                        question_id: question,
                        lang: &r.lang,
                        submitted: r.submitted,
                        text,
                    })?;
                }
            }
            if commit { index.commit() } else { Ok(()) }
        })
        .await
        .map_err(|e| {
            SearchError::Index(tantivy::TantivyError::SystemError(format!(
                "indexing stopped: {e}"
            )))
        })?
    }

    /// The best `limit` answers for `query` from `offset`, in one call or in all, after
    /// catching up.
    pub async fn search(
        &self,
        call: Option<&str>,
        query: &str,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<AnswerHit>, SearchError> {
        self.checked(query)?;
        self.catch_up().await?;
        let hits = self.index.search(call, query, limit, offset)?;
        Ok(hits.into_iter().map(AnswerHit::from).collect())
    }

    /// How many answer texts match `query`, in one call or in all, after catching up.
    pub async fn count(&self, call: Option<&str>, query: &str) -> Result<usize, SearchError> {
        self.checked(query)?;
        self.catch_up().await?;
        self.index.count(call, query)
    }

    /// The ids of every response with an answer text that matches `query`, in one call or in
    /// all, after catching up: what a filter of the store's responses takes.
    pub async fn matching(&self, call: Option<&str>, query: &str) -> Result<Vec<i64>, SearchError> {
        self.checked(query)?;
        self.catch_up().await?;
        self.index.matching(call, query)
    }

    /// The answer texts of `responses` that match `query`, with their highlighted snippets
    /// (no catching up: the responses were just read from the store).
    pub fn hits_of(&self, query: &str, responses: &[i64]) -> Result<Vec<AnswerHit>, SearchError> {
        let hits = self.index.hits_of(query, responses)?;
        Ok(hits.into_iter().map(AnswerHit::from).collect())
    }

    fn checked(&self, query: &str) -> Result<(), SearchError> {
        if query.chars().count() > super::MAX_QUERY_CHARS {
            return Err(SearchError::TooLong);
        }
        Ok(())
    }

    /// Catches up every `every` in the background, for changes other instances make, until
    /// the last [`Arc`] of the index is dropped. A failure is logged and tried again.
    pub fn follow(self: &Arc<Self>, every: Duration) -> tokio::task::JoinHandle<()> {
        let weak: Weak<LiveIndex> = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut failing = false;
            loop {
                tokio::time::sleep(every).await;
                let Some(live) = weak.upgrade() else {
                    return;
                };
                match live.catch_up().await {
                    Ok(()) => failing = false,
                    // Once per spell of failures: a closed or busy store says so every second.
                    Err(e) if !failing => {
                        failing = true;
                        tracing::warn!(error = %e, "the answer index could not follow the store");
                    }
                    Err(_) => {}
                }
            }
        })
    }

    /// How many answer texts searches see.
    pub fn len(&self) -> u64 {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }
}

#[cfg(test)]
mod tests;
