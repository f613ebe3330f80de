//! The PostgreSQL store's staff tables: accounts, setup links, sessions, failed sign-ins and
//! the audit log, as the statements the SQLite store runs (`sqlite_staff`), in PostgreSQL's
//! words. Sessions and lock-outs live here, so every instance sees the same ones.
//!
//! Tokens are kept as their SHA-256 ([`TokenHash`]); a failed sign-in under a SHA-256 of the
//! email tried or the caller's [`AddressKey`], never the address.

use jiff::{SignedDuration, Timestamp};
use tokio_postgres::{Client, GenericClient, Transaction};

use super::super::StoreError;
use super::super::sqlite_staff::account_key;
use super::time;
use crate::feedback::staff::{
    AddressKey, AuditEntry, Failures, NewStaff, Role, Session, Setup, Staff, TokenHash,
};

fn role(s: &str) -> Result<Role, StoreError> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("a staff member has the unknown role `{s}`")))
}

async fn exists(c: &impl GenericClient, email: &str) -> Result<bool, StoreError> {
    Ok(
        c.query_opt("SELECT 1 FROM staff WHERE email = $1", &[&email])
            .await?
            .is_some(),
    )
}

pub(super) async fn add(tx: &Transaction<'_>, s: &NewStaff) -> Result<bool, StoreError> {
    let added = tx
        .execute(
            "INSERT INTO staff (email, name, role, password, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (email) DO NOTHING",
            &[
                &s.email,
                &s.name,
                &s.role.as_str(),
                &s.password,
                &s.created.as_second(),
            ],
        )
        .await?;
    if added == 0 {
        return Ok(false);
    }
    if let Some(setup) = &s.setup {
        add_setup(tx, &s.email, setup).await?;
    }
    Ok(true)
}

async fn add_setup(tx: &Transaction<'_>, email: &str, setup: &Setup) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO staff_setup (token_hash, email, expires_at) VALUES ($1, $2, $3)",
        &[&&setup.token[..], &email, &setup.expires.as_second()],
    )
    .await?;
    Ok(())
}

pub(super) async fn list(c: &Client) -> Result<Vec<Staff>, StoreError> {
    let rows = c
        .query(
            "SELECT email, name, role, password IS NOT NULL, last_sign_in FROM staff \
             ORDER BY email",
            &[],
        )
        .await?;
    rows.iter()
        .map(|row| {
            Ok(Staff {
                email: row.try_get(0)?,
                name: row.try_get(1)?,
                role: role(row.try_get(2)?)?,
                password_set: row.try_get(3)?,
                last_sign_in: row.try_get::<_, Option<i64>>(4)?.map(time),
            })
        })
        .collect()
}

/// Removes the account's sessions and setup links.
async fn end_all(tx: &Transaction<'_>, email: &str) -> Result<(), StoreError> {
    tx.execute("DELETE FROM staff_sessions WHERE email = $1", &[&email])
        .await?;
    tx.execute("DELETE FROM staff_setup WHERE email = $1", &[&email])
        .await?;
    Ok(())
}

pub(super) async fn remove(tx: &Transaction<'_>, email: &str) -> Result<bool, StoreError> {
    end_all(tx, email).await?;
    tx.execute(
        "DELETE FROM sign_in_failures WHERE key = $1",
        &[&&account_key(email)[..]],
    )
    .await?;
    Ok(tx
        .execute("DELETE FROM staff WHERE email = $1", &[&email])
        .await?
        > 0)
}

pub(super) async fn set_password(
    tx: &Transaction<'_>,
    email: &str,
    password: &str,
) -> Result<bool, StoreError> {
    tx.execute("DELETE FROM staff_sessions WHERE email = $1", &[&email])
        .await?;
    Ok(tx
        .execute(
            "UPDATE staff SET password = $2 WHERE email = $1",
            &[&email, &password],
        )
        .await?
        > 0)
}

pub(super) async fn reset(
    tx: &Transaction<'_>,
    email: &str,
    setup: &Setup,
) -> Result<bool, StoreError> {
    if !exists(tx, email).await? {
        return Ok(false);
    }
    end_all(tx, email).await?;
    tx.execute(
        "UPDATE staff SET password = NULL WHERE email = $1",
        &[&email],
    )
    .await?;
    add_setup(tx, email, setup).await?;
    Ok(true)
}

pub(super) async fn password(
    c: &Client,
    email: &str,
) -> Result<Option<Option<String>>, StoreError> {
    Ok(
        c.query_opt("SELECT password FROM staff WHERE email = $1", &[&email])
            .await?
            .map(|row| row.try_get(0))
            .transpose()?,
    )
}

pub(super) async fn setup_for(
    c: &impl GenericClient,
    token: &TokenHash,
    now: Timestamp,
) -> Result<Option<String>, StoreError> {
    Ok(c.query_opt(
        "SELECT email FROM staff_setup WHERE token_hash = $1 AND expires_at > $2",
        &[&&token[..], &now.as_second()],
    )
    .await?
    .map(|row| row.try_get(0))
    .transpose()?)
}

pub(super) async fn consume_setup(
    tx: &Transaction<'_>,
    token: &TokenHash,
    now: Timestamp,
    password: &str,
) -> Result<Option<String>, StoreError> {
    let Some(email) = setup_for(tx, token, now).await? else {
        return Ok(None);
    };
    end_all(tx, &email).await?;
    set_password(tx, &email, password).await?;
    Ok(Some(email))
}

pub(super) async fn create_session(
    tx: &Transaction<'_>,
    token: &TokenHash,
    email: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let signed_in = tx
        .execute(
            "UPDATE staff SET last_sign_in = $2 WHERE email = $1",
            &[&email, &now.as_second()],
        )
        .await?;
    if signed_in == 0 {
        return Ok(false);
    }
    tx.execute(
        "INSERT INTO staff_sessions (token_hash, email, created_at, last_seen) \
         VALUES ($1, $2, $3, $3)",
        &[&&token[..], &email, &now.as_second()],
    )
    .await?;
    Ok(true)
}

/// The last moment a session seen then is still alive at `now`, exclusive.
fn idle_since(now: Timestamp, idle: SignedDuration) -> i64 {
    now.as_second() - idle.as_secs()
}

pub(super) async fn session(
    c: &Client,
    token: &TokenHash,
    now: Timestamp,
    idle: SignedDuration,
) -> Result<Option<Session>, StoreError> {
    let Some(row) = c
        .query_opt(
            "SELECT s.email, staff.name, staff.role, s.created_at, s.last_seen \
             FROM staff_sessions AS s JOIN staff ON staff.email = s.email \
             WHERE s.token_hash = $1 AND s.last_seen > $2",
            &[&&token[..], &idle_since(now, idle)],
        )
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(Session {
        email: row.try_get(0)?,
        name: row.try_get(1)?,
        role: role(row.try_get(2)?)?,
        created: time(row.try_get(3)?),
        last_seen: time(row.try_get(4)?),
    }))
}

pub(super) async fn touch_session(
    tx: &Transaction<'_>,
    token: &TokenHash,
    now: Timestamp,
    idle: SignedDuration,
) -> Result<bool, StoreError> {
    tx.execute(
        "DELETE FROM staff_sessions WHERE last_seen <= $1",
        &[&idle_since(now, idle)],
    )
    .await?;
    Ok(tx
        .execute(
            "UPDATE staff_sessions SET last_seen = greatest(last_seen, $2) WHERE token_hash = $1",
            &[&&token[..], &now.as_second()],
        )
        .await?
        > 0)
}

pub(super) async fn end_session(
    tx: &Transaction<'_>,
    token: &TokenHash,
) -> Result<bool, StoreError> {
    Ok(tx
        .execute(
            "DELETE FROM staff_sessions WHERE token_hash = $1",
            &[&&token[..]],
        )
        .await?
        > 0)
}

pub(super) async fn record_failure(
    tx: &Transaction<'_>,
    email: &str,
    address: &AddressKey,
    at: Timestamp,
    forget_before: Timestamp,
) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM sign_in_failures WHERE at < $1",
        &[&forget_before.as_second()],
    )
    .await?;
    tx.execute(
        "INSERT INTO sign_in_failures (key, at) VALUES ($1, $3), ($2, $3)",
        &[&&account_key(email)[..], &&address[..], &at.as_second()],
    )
    .await?;
    Ok(())
}

pub(super) async fn failures_since(
    c: &Client,
    email: &str,
    address: &AddressKey,
    since: Timestamp,
) -> Result<Failures, StoreError> {
    let row = c
        .query_one(
            "SELECT count(*) FILTER (WHERE key = $1), count(*) FILTER (WHERE key = $2) \
             FROM sign_in_failures WHERE key IN ($1, $2) AND at >= $3",
            &[&&account_key(email)[..], &&address[..], &since.as_second()],
        )
        .await?;
    Ok(Failures {
        account: row.try_get::<_, i64>(0)? as u64,
        address: row.try_get::<_, i64>(1)? as u64,
    })
}

pub(super) async fn audit(tx: &Transaction<'_>, e: &AuditEntry) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO audit (at, who, action, call_id, detail) VALUES ($1, $2, $3, $4, $5)",
        &[&e.at.as_second(), &e.who, &e.action, &e.call, &e.detail],
    )
    .await?;
    Ok(())
}

pub(super) async fn audit_log(
    c: &Client,
    page: u32,
    per_page: u32,
) -> Result<Vec<AuditEntry>, StoreError> {
    let offset = i64::from(page) * i64::from(per_page);
    let rows = c
        .query(
            "SELECT at, who, action, call_id, detail FROM audit ORDER BY id DESC \
             LIMIT $1 OFFSET $2",
            &[&i64::from(per_page), &offset],
        )
        .await?;
    rows.iter()
        .map(|row| {
            Ok(AuditEntry {
                at: time(row.try_get(0)?),
                who: row.try_get(1)?,
                action: row.try_get(2)?,
                call: row.try_get(3)?,
                detail: row.try_get(4)?,
            })
        })
        .collect()
}
