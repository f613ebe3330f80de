//! `torget serve`: preview the site while editing it, until Ctrl-C.

use std::net::SocketAddr;

use anyhow::{Context, Result};

use crate::cli::ServeArgs;
use crate::serve::{self, Options};

pub fn run(args: ServeArgs) -> Result<()> {
    let running = serve::start(Options {
        root: args.root,
        out: args.out,
        listen: SocketAddr::new(args.bind, args.port),
        drafts: args.drafts,
        now: args.now,
        db: None,
        search: !args.no_search,
    })?;
    let url = running.url();
    // On stdout, alone on its line, so that scripts (and tests) can read where it is.
    println!("serving {url}");
    eprintln!("press Ctrl-C to stop");
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: others on the network can see this preview, drafts included if --drafts",
            args.bind
        );
    }
    if args.open {
        open_browser(&url);
    }
    wait_for_stop()?;
    eprintln!("stopping");
    running.stop();
    Ok(())
}

/// Waits for Ctrl-C, or SIGTERM where there is one.
fn wait_for_stop() -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot wait for Ctrl-C")?;
    runtime.block_on(async {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let mut term = signal(SignalKind::terminate()).context("cannot wait for SIGTERM")?;
            tokio::select! {
                r = tokio::signal::ctrl_c() => r.context("cannot wait for Ctrl-C"),
                _ = term.recv() => Ok(()),
            }
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c()
                .await
                .context("cannot wait for Ctrl-C")
        }
    })
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let started = std::process::Command::new(opener.0)
        .args(&opener.1)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if started.is_err() {
        eprintln!("cannot open a browser; open {url} yourself");
    }
}
