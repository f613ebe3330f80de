//! `torget feedback serve|export|purge`: the feedback endpoint and its staff tools.

use std::io::Write;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use jiff::Timestamp;

use crate::cli::{
    ExportFormat, FeedbackArgs, FeedbackCommand, FeedbackExportArgs, FeedbackPurgeArgs,
    FeedbackServeArgs,
};
use crate::feedback::calls::Site;
use crate::feedback::store::{self, Delete, IfMissing};
use crate::feedback::{self, Options, export};

pub fn run(args: FeedbackArgs) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    match args.command {
        FeedbackCommand::Serve(a) => rt.block_on(serve(a)),
        FeedbackCommand::Export(a) => rt.block_on(export(a)),
        FeedbackCommand::Purge(a) => rt.block_on(purge(a)),
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

async fn serve(a: FeedbackServeArgs) -> Result<()> {
    feedback::serve(Options {
        site: a.site,
        db: a.db,
        listen: a.listen,
        origins: a.origins,
        rate_limit: a.rate_limit,
        rate_limit_clients: a.rate_limit_clients,
        min_fill: Duration::from_secs(a.min_fill_seconds),
        max_form_age: Duration::from_secs(12 * 60 * 60),
        admin_token: env("TORGET_ADMIN_TOKEN"),
        form_secret: env("TORGET_FORM_SECRET"),
        real_ip_header: a.real_ip_header,
        trusted_proxies: a.trusted_proxies,
        limits: feedback::server::Limits {
            header_timeout: Duration::from_secs(a.header_timeout),
            body_timeout: Duration::from_secs(a.body_timeout),
            idle_timeout: Some(Duration::from_secs(a.idle_timeout)),
            max_connections: a.max_connections,
        },
    })
    .await
}

async fn export(a: FeedbackExportArgs) -> Result<()> {
    let site = Site::load(&a.site)?;
    let Some(call) = site.call(&a.call) else {
        let mut ids: Vec<&str> = site.calls().map(|c| c.id.as_str()).collect();
        ids.sort();
        bail!(
            "{}: no call with id `{}`; the calls are: {}",
            crate::feedback::calls::calls_path(&a.site).display(),
            a.call,
            ids.join(", ")
        );
    };
    let store = store::open(&a.db, IfMissing::Refuse)?;
    let rs = store
        .responses(call.id.clone())
        .await
        .with_context(|| format!("cannot read responses from {}", a.db))?;
    store.close().await;
    let bytes = match a.format {
        ExportFormat::Csv => export::csv(call, &rs),
        ExportFormat::Json => {
            let mut v = serde_json::to_vec_pretty(&export::json(call, &rs))?;
            v.push(b'\n');
            v
        }
    };
    match &a.out {
        Some(path) => crate::fsx::write(path, &bytes)?,
        None => std::io::stdout()
            .write_all(&bytes)
            .context("cannot write to standard output")?,
    }
    eprintln!("exported {} responses to {}", rs.len(), call.id);
    Ok(())
}

/// `2025-01-01` (midnight in the machine's time zone) or an RFC 3339 moment.
pub fn parse_before(s: &str) -> Result<Timestamp> {
    if let Ok(t) = s.parse::<Timestamp>() {
        return Ok(t);
    }
    let date: jiff::civil::Date = s.parse().with_context(|| {
        format!(
            "--before {s:?} is neither a date (2025-01-01) nor a moment (2025-01-01T00:00:00+01:00)"
        )
    })?;
    Ok(date
        .to_zoned_datetime(jiff::tz::TimeZone::system())
        .with_context(|| format!("--before {s:?} is out of range"))?
        .timestamp())
}

async fn purge(a: FeedbackPurgeArgs) -> Result<()> {
    let before = parse_before(&a.before)?;
    let store = store::open(&a.db, IfMissing::Refuse)?;
    let n = store
        .delete(Delete::Before(before))
        .await
        .with_context(|| format!("cannot delete from {}", a.db))?;
    store.close().await;
    eprintln!("deleted {n} responses submitted before {before}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn before_takes_dates_and_moments() {
        assert_eq!(
            parse_before("2025-01-01T00:00:00+01:00").unwrap(),
            "2024-12-31T23:00:00Z".parse::<Timestamp>().unwrap()
        );
        assert!(parse_before("2025-01-01").is_ok());
        assert_eq!(
            parse_before("last week").unwrap_err().to_string(),
            "--before \"last week\" is neither a date (2025-01-01) nor a moment (2025-01-01T00:00:00+01:00)"
        );
    }
}
