//! `torget serve`: preview the site while editing it, until Ctrl-C.

use std::net::SocketAddr;

use anyhow::{Context, Result};

use crate::cli::ServeArgs;
use crate::messages::{Lang, Text};
use crate::serve::{self, Options};

pub fn run(args: ServeArgs) -> Result<()> {
    let running = serve::start(Options {
        root: args.root,
        out: args.out,
        listen: SocketAddr::new(args.bind, args.port),
        drafts: !args.no_drafts,
        now: args.now,
        db: None,
        search: !args.no_search,
        lang: Lang::current(),
    })?;
    let url = running.url();
    // On stdout, alone on its line and always in English, so that scripts (and tests) can
    // read where it is.
    println!("serving {url}");
    eprintln!("{}", Text::new("serve-stop-with-ctrl-c").say_here());
    if !args.bind.is_loopback() {
        let said = if args.no_drafts {
            Text::new("serve-others-can-see")
        } else {
            Text::new("serve-others-can-see-drafts")
        };
        eprintln!("{}", said.arg("address", args.bind.to_string()).say_here());
    }
    if args.open {
        open_browser(&url);
    }
    wait_for_stop()?;
    eprintln!("{}", Text::new("serve-stopping").say_here());
    running.stop();
    Ok(())
}

/// Waits for Ctrl-C, or SIGTERM where there is one.
fn wait_for_stop() -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .with_context(|| Text::new("serve-cannot-wait").say_here())?;
    runtime.block_on(async {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let mut term = signal(SignalKind::terminate())
                .with_context(|| Text::new("serve-cannot-wait").say_here())?;
            tokio::select! {
                r = tokio::signal::ctrl_c() => r.with_context(|| Text::new("serve-cannot-wait").say_here()),
                _ = term.recv() => Ok(()),
            }
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c()
                .await
                .with_context(|| Text::new("serve-cannot-wait").say_here())
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
        let said = Text::new("serve-no-browser").arg("url", url);
        eprintln!("{}", said.say_here());
    }
}
