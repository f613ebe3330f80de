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
//! them too, and the console marks them.

use std::collections::BTreeMap;
use std::sync::{Arc, Weak};
use std::time::Duration;

use super::{AnswerIndex, AnswerText, SearchError};
use crate::feedback::answers::Answer;
use crate::feedback::calls::{QuestionKind, SiteHandle};
use crate::feedback::store::{ChangeKind, Filter, Store, StoredResponse};

/// Whether question `question` of call `call` takes free text: only those answers are indexed
/// (a chosen option is text too, but the console filters by options instead).
pub type FreeText = Arc<dyn Fn(&str, &str) -> bool + Send + Sync>;

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

/// An answer index that follows the store.
pub struct LiveIndex {
    store: Arc<dyn Store>,
    index: Arc<AnswerIndex>,
    free_text: FreeText,
    /// The last change applied; held while catching up, so one catch-up runs at a time.
    applied: tokio::sync::Mutex<i64>,
    /// Which calls to read at the start.
    calls: Vec<String>,
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
            calls,
        };
        {
            let mut applied = live.applied.lock().await;
            // Read first: whatever changes after this is applied again below.
            *applied = live.store.last_change().await?;
            // One commit at the end: each costs a segment write.
            for call in &live.calls {
                let responses = live.store.responses(call.clone()).await?;
                live.index_blocking(responses, Vec::new(), false).await?;
            }
            live.index_blocking(Vec::new(), Vec::new(), true).await?;
        }
        live.catch_up().await?;
        Ok(live)
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
                index.remove(&id.to_string());
            }
            for r in &responses {
                let id = r.id.to_string();
                index.remove(&id);
                for (question, answer) in &r.answers {
                    let Answer::Text(text) = answer else {
                        continue;
                    };
                    if !free_text(&r.call_id, question) {
                        continue;
                    }
                    index.add(&AnswerText {
                        response_id: &id,
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

    /// The best `limit` answers for `query`, in one call or in all, after catching up.
    pub async fn search(
        &self,
        call: Option<&str>,
        query: &str,
        limit: usize,
    ) -> Result<Vec<AnswerHit>, SearchError> {
        if query.chars().count() > super::MAX_QUERY_CHARS {
            return Err(SearchError::TooLong);
        }
        self.catch_up().await?;
        let hits = self.index.search(call, query, limit, 0)?;
        Ok(hits
            .into_iter()
            .filter_map(|h| {
                Some(AnswerHit {
                    id: h.response_id.parse().ok()?,
                    call_id: h.call_id,
                    question_id: h.question_id,
                    snippet_html: h.snippet,
                })
            })
            .collect())
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
