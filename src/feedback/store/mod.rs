//! Where responses are kept: the [`Store`] trait, what it stores, and its errors.
//!
//! The trait is what the router sees, so that a PostgreSQL store can follow for several
//! endpoint instances behind one load balancer. It is deliberately small: insert, withdraw,
//! read one call's responses, delete old ones, and close. [`sqlite`] is the store this build has.

pub mod sqlite;

use std::future::Future;
use std::pin::Pin;

use jiff::Timestamp;

use super::answers::Answers;
use super::receipt::ReceiptHash;

pub use sqlite::SqliteStore;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One resident's answers to one call, as they are to be stored. Nothing else about the
/// resident is kept: no address, no user agent.
#[derive(Debug, Clone)]
pub struct NewResponse {
    pub call_id: String,
    pub lang: String,
    pub submitted: Timestamp,
    pub answers: Answers,
    pub receipt: ReceiptHash,
}

/// A stored response as staff see it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredResponse {
    pub call_id: String,
    pub lang: String,
    pub submitted: Timestamp,
    pub answers: Answers,
}

/// Which responses to delete.
#[derive(Debug, Clone)]
pub enum Delete {
    /// Every response submitted before this moment (`torget feedback purge --before`).
    Before(Timestamp),
    /// Every response to one call (its `keep_days` have passed).
    Call(String),
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the store is shutting down")]
    Closed,
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("stored answers are not valid JSON: {0}")]
    Corrupt(#[from] serde_json::Error),
    #[error("{0}")]
    Other(String),
}

pub trait Store: Send + Sync + 'static {
    /// Stores a response; returns only once it is durable.
    fn insert(&self, r: NewResponse) -> BoxFuture<'_, Result<(), StoreError>>;
    /// Deletes the response with this receipt; `false` if there is none.
    fn withdraw(&self, receipt: ReceiptHash) -> BoxFuture<'_, Result<bool, StoreError>>;
    /// One call's responses, oldest first.
    fn responses(&self, call_id: String) -> BoxFuture<'_, Result<Vec<StoredResponse>, StoreError>>;
    /// Deletes responses; returns how many.
    fn delete(&self, which: Delete) -> BoxFuture<'_, Result<u64, StoreError>>;
    /// Finishes every queued write, then refuses new ones.
    fn close(&self) -> BoxFuture<'_, ()>;
}

