//! `torget results pull`: each call's published results from the feedback endpoint
//! (`GET {endpoint}/api/calls/{id}/results`, 404 until staff publish), checked against the
//! contract and the call as the build checks them, and written beside the call, atomically and
//! only when they changed, so a Git-based publishing pipeline commits only real changes. The
//! build itself never touches the network.

use std::time::Duration;

use anyhow::{Result, bail};

use crate::cli::PullArgs;
use crate::content::{Item, Kind, check_results, results_path};
use crate::fsx;
use crate::site;

/// Largest results file read from the endpoint: a snapshot is counts and a few quotes.
const MAX_BODY: u64 = 1024 * 1024;

/// What pulling one call's results did.
#[derive(Debug, PartialEq, Eq)]
enum Pulled {
    Wrote,
    Unchanged,
    NotPublished,
}

pub fn pull(args: PullArgs) -> Result<()> {
    let (site, _) = site::load_all(&args.site, false)?;
    let mut calls: Vec<&Item> = site.lib.of_kind(Kind::Call).collect();
    if let Some(id) = &args.call {
        calls.retain(|c| c.name == *id);
        if calls.is_empty() {
            let known: Vec<&str> = site
                .lib
                .of_kind(Kind::Call)
                .map(|c| c.name.as_str())
                .collect();
            bail!(
                "the site has no call `{id}` (its calls: {}); the id is the call's file name without `.md`",
                known.join(", ")
            );
        }
    }
    let endpoint = args.endpoint.trim_end_matches('/');
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(10)))
        .timeout_global(Some(Duration::from_secs(30)))
        .http_status_as_error(false)
        .user_agent(concat!("torget/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut failed = 0;
    for call in calls {
        let path = results_path(call);
        match pull_one(&agent, endpoint, &args.site, call) {
            Ok(Pulled::Wrote) => println!("wrote {}", path.display()),
            Ok(Pulled::Unchanged) => println!("{}: unchanged", path.display()),
            Ok(Pulled::NotPublished) if args.site.join(&path).exists() => println!(
                "{}: not published on the endpoint; {} kept (remove it to take the results off the site)",
                call.name,
                path.display()
            ),
            Ok(Pulled::NotPublished) => println!("{}: not published, skipped", call.name),
            Err(e) => {
                eprintln!("error: {}: {e:#}", call.name);
                failed += 1;
            }
        }
    }
    if failed > 0 {
        bail!("the results of {failed} call(s) could not be pulled; nothing was written for them");
    }
    Ok(())
}

fn pull_one(
    agent: &ureq::Agent,
    endpoint: &str,
    root: &std::path::Path,
    call: &Item,
) -> Result<Pulled> {
    let url = format!("{endpoint}/api/calls/{}/results", call.name);
    let mut response = match agent.get(&url).header("Accept", "application/json").call() {
        Ok(r) => r,
        Err(e) => bail!("cannot reach {url}: {e} (is the feedback endpoint running there?)"),
    };
    let status = response.status().as_u16();
    if status == 404 {
        return Ok(Pulled::NotPublished);
    }
    if !(200..300).contains(&status) {
        bail!("{url} answered HTTP {status}; try again later, or ask the endpoint's operator");
    }
    let body = match response
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_string()
    {
        Ok(b) => b,
        Err(e) => bail!("cannot read the answer of {url}: {e}"),
    };
    let results = match check_results(call, &body) {
        Ok(r) => r,
        Err(diags) => {
            let problems: Vec<String> = diags
                .0
                .iter()
                .map(|d| match &d.help {
                    Some(h) => format!("{} ({h})", d.message),
                    None => d.message.clone(),
                })
                .collect();
            bail!(
                "{url} did not answer with results this call can show: {}",
                problems.join("; ")
            );
        }
    };
    let text = results.to_json();
    let path = root.join(results_path(call));
    if std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(Pulled::Unchanged);
    }
    fsx::write_atomic(&path, text)?;
    Ok(Pulled::Wrote)
}
