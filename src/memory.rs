//! The process's resident memory, logged at the steps of a build (`RUST_LOG=torget::memory=debug`),
//! to see what holds memory while a large site is built.

/// Logs the process's resident memory now and at its peak so far, at debug level under
/// `torget::memory` (`RUST_LOG=torget::memory=debug torget build`): where a build's memory
/// goes, step by step. Linux only; elsewhere it logs nothing.
pub fn note(step: &str) {
    if !tracing::enabled!(target: "torget::memory", tracing::Level::DEBUG) {
        return;
    }
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return;
    };
    let mib = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kib| kib / 1024)
    };
    tracing::debug!(
        target: "torget::memory",
        "{step}: resident {} MiB, peak {} MiB",
        mib("VmRSS:"),
        mib("VmHWM:")
    );
}
