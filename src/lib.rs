//! Torget: a citizen-facing participation portal that is also a static site generator.
//!
//! Content writers keep Markdown about projects, events and calls for input in `content/`;
//! [`site::build`] turns it into a bilingual static site. Data flows one way:
//! config and i18n → content → render → emit → output, with [`site`] as the conductor.

pub mod cache;
pub mod calls_json;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod diag;
pub mod emit;
pub mod feedback;
pub mod fsx;
pub mod i18n;
pub mod markdown;
pub mod memory;
pub mod messages;
pub mod open_data;
pub mod output;
pub mod render;
pub mod report;
pub mod results_json;
pub mod serve;
pub mod site;
pub mod spreadsheet;
