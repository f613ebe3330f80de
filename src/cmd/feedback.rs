//! `torget feedback serve|export|purge|staff`: the feedback endpoint and its staff tools.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use jiff::Timestamp;

use crate::cli::{
    ExportFormat, FeedbackArgs, FeedbackCommand, FeedbackExportArgs, FeedbackMigrateArgs,
    FeedbackPurgeArgs, FeedbackServeArgs, FeedbackStaffArgs, StaffAddArgs, StaffCommand,
};
use crate::feedback::calls::Site;
use crate::feedback::staff::{self, AuditEntry, NewStaff, Setup, Token};
use crate::feedback::store::{self, DbSpec, Delete, IfMissing, Store};
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
        FeedbackCommand::Staff(a) => rt.block_on(staff(a)),
        FeedbackCommand::Migrate(a) => rt.block_on(migrate(a)),
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
        console: feedback::console::Settings {
            session_idle: a.session_idle,
            sign_in: feedback::console::SignIn::Required,
        },
    })
    .await
}

/// Where `export` reads when not told: the published site and the endpoint's file, else what
/// `torget serve` left in `.torget/` of the site folder it is run in (a writer trying the
/// preview's form finds those answers).
fn export_sources(a: &FeedbackExportArgs) -> (PathBuf, DbSpec) {
    let preview = Path::new(".torget");
    let site = a.site.clone().unwrap_or_else(|| {
        let public = PathBuf::from("public");
        let serve = preview.join("serve");
        let built = |dir: &Path| crate::feedback::calls::calls_path(dir).is_file();
        if !built(&public) && built(&serve) {
            eprintln!(
                "no site in public/: reading the preview's, {}",
                serve.display()
            );
            serve
        } else {
            public
        }
    });
    let db = a.db.clone().unwrap_or_else(|| {
        let file = PathBuf::from("feedback.sqlite");
        let previewed = preview.join("feedback.sqlite");
        if !file.exists() && previewed.is_file() {
            eprintln!(
                "no feedback.sqlite here: reading the preview's answers, {}",
                previewed.display()
            );
            DbSpec::Sqlite(previewed)
        } else {
            DbSpec::Sqlite(file)
        }
    });
    (site, db)
}

async fn export(a: FeedbackExportArgs) -> Result<()> {
    let (site_dir, db) = export_sources(&a);
    let site = Site::load(&site_dir)?;
    let Some(call) = site.call(&a.call) else {
        let mut ids: Vec<&str> = site.calls().map(|c| c.id.as_str()).collect();
        ids.sort();
        bail!(
            "{}: no call with id `{}`; the calls are: {}",
            crate::feedback::calls::calls_path(&site_dir).display(),
            a.call,
            ids.join(", ")
        );
    };
    let store = store::open(&db, IfMissing::Refuse)?;
    let rs = store
        .responses(call.id.clone())
        .await
        .with_context(|| format!("cannot read responses from {db}"))?;
    store.close().await;
    let bytes = match a.format {
        ExportFormat::Csv => export::csv(call, &rs),
        ExportFormat::Json => export::json(call, &rs),
        ExportFormat::Xlsx => export::xlsx(call, &rs).context("cannot write the Excel file")?,
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

async fn staff(a: FeedbackStaffArgs) -> Result<()> {
    // The email and password are checked before the database is opened.
    let email = match &a.command {
        StaffCommand::Add(add) => Some(staff::normalise_email(&add.email)),
        StaffCommand::Remove(e) | StaffCommand::Reset(e) => Some(staff::normalise_email(&e.email)),
        StaffCommand::List => None,
    }
    .transpose()
    .map_err(anyhow::Error::msg)?;
    let password = match &a.command {
        StaffCommand::Add(add) if add.password_stdin => Some(password_from_stdin()?),
        _ => None,
    };
    let store = store::open(&a.db, IfMissing::Refuse)?;
    let done = match (a.command, email) {
        (StaffCommand::Add(add), Some(email)) => {
            staff_add(&*store, &a.db, add, email, password).await
        }
        (StaffCommand::List, _) => staff_list(&*store, &a.db).await,
        (StaffCommand::Remove(_), Some(email)) => staff_remove(&*store, &a.db, email).await,
        (StaffCommand::Reset(_), Some(email)) => staff_reset(&*store, &a.db, email).await,
        _ => unreachable!("every command but list has an email"),
    };
    store.close().await;
    done
}

async fn migrate(a: FeedbackMigrateArgs) -> Result<()> {
    let DbSpec::Postgres(to) = &a.to else {
        bail!(
            "--to {}: give the PostgreSQL database to copy into, as \
             postgres://user:password@host:5432/dbname",
            a.to
        );
    };
    let copied = store::copy::from_sqlite(&a.from, to).await?;
    eprintln!(
        "copied {} into {to}: {} responses ({} new, {} deleted since an earlier copy), {} staff, \
         {} audit lines, {} themes, {} tags, {} published results; every one checked, and the \
         counts rebuilt",
        a.from.display(),
        copied.responses,
        copied.new_responses,
        copied.removed,
        copied.staff,
        copied.audit,
        copied.themes,
        copied.tags,
        copied.published
    );
    Ok(())
}

/// The password on standard input, without the line break that ends it.
fn password_from_stdin() -> Result<String> {
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .context("cannot read the password from standard input (is it UTF-8 text?)")?;
    let password = password
        .strip_suffix('\n')
        .map(|p| p.strip_suffix('\r').unwrap_or(p))
        .unwrap_or(&password);
    staff::check_password(password).map_err(anyhow::Error::msg)?;
    Ok(password.to_string())
}

/// A fresh setup link: its token to print, and what the store keeps of it.
fn new_setup(now: Timestamp) -> Result<(Token, Setup)> {
    let token = Token::generate().context("cannot get random bytes for a setup link")?;
    let setup = Setup {
        token: token.hash(),
        expires: now + staff::SETUP_VALID,
    };
    Ok((token, setup))
}

fn print_setup(email: &str, token: &Token, setup: &Setup) {
    println!("{}", staff::setup_path(token));
    eprintln!(
        "give {email} this setup link, after the endpoint's address: it works once, until {}, \
         and lets them choose a password",
        setup.expires.strftime("%Y-%m-%d %H:%M UTC")
    );
}

/// Writes a line of the audit log for a change made on the command line.
async fn audit_cli(store: &dyn Store, db: &DbSpec, action: &str, detail: String) -> Result<()> {
    store
        .audit(AuditEntry {
            at: Timestamp::now(),
            who: "cli".into(),
            action: action.into(),
            call: None,
            detail,
        })
        .await
        .with_context(|| format!("the change was made, but cannot write the audit log in {db}"))
}

fn not_staff(email: &str, db: &DbSpec) -> anyhow::Error {
    anyhow::anyhow!("{email} is not staff in {db}; `torget feedback staff list` shows who is")
}

async fn staff_add(
    store: &dyn Store,
    db: &DbSpec,
    a: StaffAddArgs,
    email: String,
    password: Option<String>,
) -> Result<()> {
    let now = Timestamp::now();
    let hashed = password.as_deref().map(staff::hash_password).transpose()?;
    let setup = match hashed {
        Some(_) => None,
        None => Some(new_setup(now)?),
    };
    let name = a
        .name
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| email.clone());
    let added = store
        .add_staff(NewStaff {
            email: email.clone(),
            name,
            role: a.role,
            created: now,
            password: hashed,
            setup: setup.as_ref().map(|(_, s)| s.clone()),
        })
        .await
        .with_context(|| format!("cannot add staff to {db}"))?;
    if !added {
        bail!(
            "{email} is already staff in {db}; to give them a new setup link, run `torget \
             feedback staff reset {email}`"
        );
    }
    audit_cli(store, db, "staff.add", format!("{email} as {}", a.role)).await?;
    match &setup {
        Some((token, setup)) => print_setup(&email, token, setup),
        None => eprintln!("added {email} as {} with the password given", a.role),
    }
    Ok(())
}

async fn staff_list(store: &dyn Store, db: &DbSpec) -> Result<()> {
    let list = store
        .staff_list()
        .await
        .with_context(|| format!("cannot read the staff in {db}"))?;
    if list.is_empty() {
        eprintln!("no staff in {db} yet; add someone with `torget feedback staff add EMAIL`");
        return Ok(());
    }
    let mut out = String::from("email\tname\trole\tpassword\tlast sign-in\n");
    for s in list {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\n",
            s.email,
            s.name,
            s.role,
            if s.password_set { "set" } else { "not set" },
            s.last_sign_in
                .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_else(|| "never".into())
        ));
    }
    std::io::stdout()
        .write_all(out.as_bytes())
        .context("cannot write to standard output")
}

async fn staff_remove(store: &dyn Store, db: &DbSpec, email: String) -> Result<()> {
    let removed = store
        .remove_staff(email.clone())
        .await
        .with_context(|| format!("cannot remove staff from {db}"))?;
    if !removed {
        return Err(not_staff(&email, db));
    }
    audit_cli(store, db, "staff.remove", email.clone()).await?;
    eprintln!("removed {email}; their sessions have ended");
    Ok(())
}

async fn staff_reset(store: &dyn Store, db: &DbSpec, email: String) -> Result<()> {
    let (token, setup) = new_setup(Timestamp::now())?;
    let reset = store
        .reset_staff(email.clone(), setup.clone())
        .await
        .with_context(|| format!("cannot reset {email} in {db}"))?;
    if !reset {
        return Err(not_staff(&email, db));
    }
    audit_cli(store, db, "staff.reset", email.clone()).await?;
    eprintln!("{email}'s password is forgotten and their sessions have ended");
    print_setup(&email, &token, &setup);
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
