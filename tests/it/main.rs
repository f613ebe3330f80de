//! Torget's integration tests, one binary: each module is one area of behaviour, and they share
//! the fixture helpers in `common` (sites) and `feedback_support` (the endpoint). One binary
//! links once, instead of once per file.

mod common;
mod endpoint_process;
mod feedback_support;

mod build;
mod cache;
mod check;
mod cli;
mod console;
mod console_search;
mod errors;
mod feedback;
mod feedback_process;
mod incremental;
mod new;
mod open_data;
mod oracle;
mod outputs;
mod postgres;
mod publish;
mod results;
mod results_loop;
mod search;
mod serve;
mod snapshots;
mod staff;
