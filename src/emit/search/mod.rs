//! The search index.

pub mod words;
