//! The SQLite store's staff tables: accounts, setup links, sessions, failed sign-ins and the
//! audit log, as the schema step that creates them and the statements that read and write
//! them. [`super::sqlite`] runs the writes on its writer thread and the reads on its readers.
//!
//! Tokens are kept as their SHA-256 ([`TokenHash`]). A failed sign-in is kept under a key: a
//! SHA-256 of the email tried (so what strangers type is not kept as text) or the caller's
//! [`AddressKey`] (never the address).

use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::StoreError;
use crate::feedback::staff::{
    AddressKey, AuditEntry, Failures, NewStaff, Role, Session, Setup, Staff, TokenHash,
};

/// The schema step that adds the staff tables.
pub(super) const SCHEMA: &str = "CREATE TABLE staff (
        email        TEXT    PRIMARY KEY,
        name         TEXT    NOT NULL,
        role         TEXT    NOT NULL,
        password     TEXT,
        created_at   INTEGER NOT NULL,
        last_sign_in INTEGER
    );
    CREATE TABLE staff_setup (
        token_hash BLOB    PRIMARY KEY,
        email      TEXT    NOT NULL,
        expires_at INTEGER NOT NULL
    );
    CREATE INDEX staff_setup_by_email ON staff_setup (email);
    CREATE TABLE staff_sessions (
        token_hash BLOB    PRIMARY KEY,
        email      TEXT    NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen  INTEGER NOT NULL
    );
    CREATE INDEX staff_sessions_by_email ON staff_sessions (email);
    CREATE INDEX staff_sessions_by_last_seen ON staff_sessions (last_seen);
    CREATE TABLE sign_in_failures (
        key BLOB    NOT NULL,
        at  INTEGER NOT NULL
    );
    CREATE INDEX sign_in_failures_by_key ON sign_in_failures (key, at);
    CREATE INDEX sign_in_failures_by_time ON sign_in_failures (at);
    CREATE TABLE audit (
        id      INTEGER PRIMARY KEY,
        at      INTEGER NOT NULL,
        who     TEXT    NOT NULL,
        action  TEXT    NOT NULL,
        call_id TEXT,
        detail  TEXT    NOT NULL
    );";

/// The key an account's failed sign-ins are counted under.
pub(super) fn account_key(email: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"torget staff account\0");
    h.update(email.as_bytes());
    h.finalize().into()
}

fn time(t: i64) -> Timestamp {
    Timestamp::from_second(t).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn role(s: &str) -> Result<Role, StoreError> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("a staff member has the unknown role `{s}`")))
}

fn exists(conn: &Connection, email: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM staff WHERE email = ?1")?
        .query_row([email], |_| Ok(()))
        .optional()?
        .is_some())
}

pub(super) fn add(conn: &Connection, s: &NewStaff) -> Result<bool, StoreError> {
    if exists(conn, &s.email)? {
        return Ok(false);
    }
    conn.execute(
        "INSERT INTO staff (email, name, role, password, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            s.email,
            s.name,
            s.role.as_str(),
            s.password,
            s.created.as_second()
        ],
    )?;
    if let Some(setup) = &s.setup {
        add_setup(conn, &s.email, setup)?;
    }
    Ok(true)
}

fn add_setup(conn: &Connection, email: &str, setup: &Setup) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO staff_setup (token_hash, email, expires_at) VALUES (?1, ?2, ?3)",
        params![&setup.token[..], email, setup.expires.as_second()],
    )?;
    Ok(())
}

pub(super) fn list(conn: &Connection) -> Result<Vec<Staff>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT email, name, role, password IS NOT NULL, last_sign_in FROM staff ORDER BY email",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(Staff {
            email: row.get(0)?,
            name: row.get(1)?,
            role: role(row.get_ref(2)?.as_str()?)?,
            password_set: row.get(3)?,
            last_sign_in: row.get::<_, Option<i64>>(4)?.map(time),
        });
    }
    Ok(out)
}

/// Removes the account's sessions and setup links.
fn end_all(conn: &Connection, email: &str) -> Result<(), StoreError> {
    conn.execute("DELETE FROM staff_sessions WHERE email = ?1", [email])?;
    conn.execute("DELETE FROM staff_setup WHERE email = ?1", [email])?;
    Ok(())
}

pub(super) fn remove(conn: &Connection, email: &str) -> Result<bool, StoreError> {
    end_all(conn, email)?;
    conn.execute(
        "DELETE FROM sign_in_failures WHERE key = ?1",
        [&account_key(email)[..]],
    )?;
    Ok(conn.execute("DELETE FROM staff WHERE email = ?1", [email])? > 0)
}

pub(super) fn set_password(
    conn: &Connection,
    email: &str,
    password: &str,
) -> Result<bool, StoreError> {
    conn.execute("DELETE FROM staff_sessions WHERE email = ?1", [email])?;
    Ok(conn.execute(
        "UPDATE staff SET password = ?2 WHERE email = ?1",
        params![email, password],
    )? > 0)
}

pub(super) fn reset(conn: &Connection, email: &str, setup: &Setup) -> Result<bool, StoreError> {
    if !exists(conn, email)? {
        return Ok(false);
    }
    end_all(conn, email)?;
    conn.execute("UPDATE staff SET password = NULL WHERE email = ?1", [email])?;
    add_setup(conn, email, setup)?;
    Ok(true)
}

pub(super) fn password(
    conn: &Connection,
    email: &str,
) -> Result<Option<Option<String>>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT password FROM staff WHERE email = ?1")?
        .query_row([email], |r| r.get(0))
        .optional()?)
}

pub(super) fn setup_for(
    conn: &Connection,
    token: &TokenHash,
    now: Timestamp,
) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT email FROM staff_setup WHERE token_hash = ?1 AND expires_at > ?2")?
        .query_row(params![&token[..], now.as_second()], |r| r.get(0))
        .optional()?)
}

pub(super) fn consume_setup(
    conn: &Connection,
    token: &TokenHash,
    now: Timestamp,
    password: &str,
) -> Result<Option<String>, StoreError> {
    let Some(email) = setup_for(conn, token, now)? else {
        return Ok(None);
    };
    end_all(conn, &email)?;
    set_password(conn, &email, password)?;
    Ok(Some(email))
}

pub(super) fn create_session(
    conn: &Connection,
    token: &TokenHash,
    email: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let signed_in = conn.execute(
        "UPDATE staff SET last_sign_in = ?2 WHERE email = ?1",
        params![email, now.as_second()],
    )?;
    if signed_in == 0 {
        return Ok(false);
    }
    conn.execute(
        "INSERT INTO staff_sessions (token_hash, email, created_at, last_seen)
         VALUES (?1, ?2, ?3, ?3)",
        params![&token[..], email, now.as_second()],
    )?;
    Ok(true)
}

/// The last moment a session seen then is still alive at `now`, exclusive.
fn idle_since(now: Timestamp, idle: SignedDuration) -> i64 {
    now.as_second() - idle.as_secs()
}

pub(super) fn session(
    conn: &Connection,
    token: &TokenHash,
    now: Timestamp,
    idle: SignedDuration,
) -> Result<Option<Session>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.email, staff.name, staff.role, s.created_at, s.last_seen
         FROM staff_sessions AS s JOIN staff ON staff.email = s.email
         WHERE s.token_hash = ?1 AND s.last_seen > ?2",
    )?;
    let mut rows = stmt.query(params![&token[..], idle_since(now, idle)])?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    Ok(Some(Session {
        email: row.get(0)?,
        name: row.get(1)?,
        role: role(row.get_ref(2)?.as_str()?)?,
        created: time(row.get(3)?),
        last_seen: time(row.get(4)?),
    }))
}

pub(super) fn touch_session(
    conn: &Connection,
    token: &TokenHash,
    now: Timestamp,
    idle: SignedDuration,
) -> Result<bool, StoreError> {
    conn.execute(
        "DELETE FROM staff_sessions WHERE last_seen <= ?1",
        [idle_since(now, idle)],
    )?;
    Ok(conn.execute(
        "UPDATE staff_sessions SET last_seen = max(last_seen, ?2) WHERE token_hash = ?1",
        params![&token[..], now.as_second()],
    )? > 0)
}

pub(super) fn end_session(conn: &Connection, token: &TokenHash) -> Result<bool, StoreError> {
    Ok(conn.execute(
        "DELETE FROM staff_sessions WHERE token_hash = ?1",
        [&token[..]],
    )? > 0)
}

pub(super) fn record_failure(
    conn: &Connection,
    email: &str,
    address: &AddressKey,
    at: Timestamp,
    forget_before: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        "DELETE FROM sign_in_failures WHERE at < ?1",
        [forget_before.as_second()],
    )?;
    let mut add = conn.prepare_cached("INSERT INTO sign_in_failures (key, at) VALUES (?1, ?2)")?;
    add.execute(params![&account_key(email)[..], at.as_second()])?;
    add.execute(params![&address[..], at.as_second()])?;
    Ok(())
}

pub(super) fn failures_since(
    conn: &Connection,
    email: &str,
    address: &AddressKey,
    since: Timestamp,
) -> Result<Failures, StoreError> {
    let mut count =
        conn.prepare_cached("SELECT count(*) FROM sign_in_failures WHERE key = ?1 AND at >= ?2")?;
    let mut n = |key: &[u8]| -> Result<u64, StoreError> {
        Ok(count.query_row(params![key, since.as_second()], |r| r.get::<_, i64>(0))? as u64)
    };
    Ok(Failures {
        account: n(&account_key(email))?,
        address: n(address)?,
    })
}

pub(super) fn audit(conn: &Connection, e: &AuditEntry) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO audit (at, who, action, call_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![e.at.as_second(), e.who, e.action, e.call, e.detail],
    )?;
    Ok(())
}

pub(super) fn audit_log(
    conn: &Connection,
    page: u32,
    per_page: u32,
) -> Result<Vec<AuditEntry>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, who, action, call_id, detail FROM audit ORDER BY id DESC LIMIT ?1 OFFSET ?2",
    )?;
    let offset = i64::from(page) * i64::from(per_page);
    let mut rows = stmt.query(params![per_page, offset])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(AuditEntry {
            at: time(row.get(0)?),
            who: row.get(1)?,
            action: row.get(2)?,
            call: row.get(3)?,
            detail: row.get(4)?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
