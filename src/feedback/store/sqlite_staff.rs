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
fn account_key(email: &str) -> [u8; 32] {
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
mod tests {
    use rusqlite::Connection;

    use super::super::sqlite::SqliteStore;
    use super::super::{Store, StoreError};
    use crate::feedback::staff::{AuditEntry, Failures, NewStaff, Role, Setup, Token};
    use jiff::{SignedDuration, Timestamp};

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn kari(setup: Option<Setup>) -> NewStaff {
        NewStaff {
            email: "kari@oslo.no".into(),
            name: "Kari".into(),
            role: Role::Editor,
            created: at("2026-12-01T10:00:00Z"),
            password: setup.is_none().then(|| "$argon2id$stand-in".into()),
            setup,
        }
    }

    fn store() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("a.sqlite")).unwrap();
        (dir, store)
    }

    #[tokio::test]
    async fn staff_are_added_once_listed_reset_and_removed() {
        let (_dir, store) = store();
        assert!(store.add_staff(kari(None)).await.unwrap());
        assert!(!store.add_staff(kari(None)).await.unwrap(), "a duplicate");
        let list = store.staff_list().await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(
            (list[0].email.as_str(), list[0].role, list[0].password_set),
            ("kari@oslo.no", Role::Editor, true)
        );

        let token = Token::generate().unwrap();
        let now = at("2026-12-01T12:00:00Z");
        assert!(
            store
                .create_session(token.hash(), "kari@oslo.no".into(), now)
                .await
                .unwrap()
        );
        let setup = Token::generate().unwrap();
        let expires = now + SignedDuration::from_hours(24);
        let reset = Setup {
            token: setup.hash(),
            expires,
        };
        assert!(
            store
                .reset_staff("kari@oslo.no".into(), reset.clone())
                .await
                .unwrap()
        );
        assert!(
            !store
                .reset_staff("per@oslo.no".into(), reset)
                .await
                .unwrap()
        );
        let list = store.staff_list().await.unwrap();
        assert!(!list[0].password_set, "the old password is gone");
        assert_eq!(list[0].last_sign_in, Some(now));
        assert_eq!(
            store
                .session(token.hash(), now, SignedDuration::from_hours(8))
                .await
                .unwrap(),
            None,
            "the sessions are gone"
        );
        assert_eq!(
            store.setup_for(setup.hash(), now).await.unwrap().as_deref(),
            Some("kari@oslo.no")
        );

        assert!(store.remove_staff("kari@oslo.no".into()).await.unwrap());
        assert!(!store.remove_staff("kari@oslo.no".into()).await.unwrap());
        assert!(store.staff_list().await.unwrap().is_empty());
        assert_eq!(store.setup_for(setup.hash(), now).await.unwrap(), None);
        store.close().await;
    }

    #[tokio::test]
    async fn a_setup_link_works_once_and_only_for_a_day() {
        let (_dir, store) = store();
        let now = at("2026-12-01T12:00:00Z");
        let (first, second) = (Token::generate().unwrap(), Token::generate().unwrap());
        let setup = |t: &Token| Setup {
            token: t.hash(),
            expires: now + SignedDuration::from_hours(24),
        };
        store.add_staff(kari(Some(setup(&first)))).await.unwrap();
        let late = now + SignedDuration::from_hours(24);
        assert_eq!(store.setup_for(first.hash(), late).await.unwrap(), None);
        assert_eq!(
            store
                .consume_setup(first.hash(), late, "$argon2id$x".into())
                .await
                .unwrap(),
            None,
            "expired"
        );
        assert_eq!(
            store.password("kari@oslo.no".into()).await.unwrap(),
            Some(None)
        );

        store
            .reset_staff("kari@oslo.no".into(), setup(&second))
            .await
            .unwrap();
        let soon = now + SignedDuration::from_hours(1);
        assert_eq!(
            store
                .consume_setup(second.hash(), soon, "$argon2id$x".into())
                .await
                .unwrap()
                .as_deref(),
            Some("kari@oslo.no")
        );
        assert_eq!(
            store.password("kari@oslo.no".into()).await.unwrap(),
            Some(Some("$argon2id$x".into()))
        );
        assert_eq!(
            store
                .consume_setup(second.hash(), soon, "$argon2id$y".into())
                .await
                .unwrap(),
            None,
            "used"
        );
        assert_eq!(store.password("per@oslo.no".into()).await.unwrap(), None);
        store.close().await;
    }

    #[tokio::test]
    async fn a_session_is_found_by_its_token_touched_expires_when_idle_and_ends() {
        let (_dir, store) = store();
        store.add_staff(kari(None)).await.unwrap();
        let idle = SignedDuration::from_hours(8);
        let start = at("2026-12-01T08:00:00Z");
        let token = Token::generate().unwrap();
        assert!(
            !store
                .create_session(token.hash(), "per@oslo.no".into(), start)
                .await
                .unwrap()
        );
        assert!(
            store
                .create_session(token.hash(), "kari@oslo.no".into(), start)
                .await
                .unwrap()
        );

        let s = store
            .session(token.hash(), start, idle)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (s.email.as_str(), s.name.as_str(), s.role),
            ("kari@oslo.no", "Kari", Role::Editor)
        );
        assert_eq!((s.created, s.last_seen), (start, start));
        let other = Token::generate().unwrap();
        assert_eq!(
            store.session(other.hash(), start, idle).await.unwrap(),
            None
        );

        // Touched after 7 hours, it lives 8 hours from then.
        let later = start + SignedDuration::from_hours(7);
        assert!(
            store
                .touch_session(token.hash(), later, idle)
                .await
                .unwrap()
        );
        let s = store
            .session(token.hash(), later + SignedDuration::from_hours(7), idle)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((s.created, s.last_seen), (start, later));

        // Idle for 8 hours, it has expired, and touching it does not bring it back.
        let gone = later + idle;
        assert_eq!(store.session(token.hash(), gone, idle).await.unwrap(), None);
        assert!(!store.touch_session(token.hash(), gone, idle).await.unwrap());
        assert_eq!(
            store.session(token.hash(), later, idle).await.unwrap(),
            None,
            "removed"
        );

        // A live session ends on sign-out.
        let next = Token::generate().unwrap();
        store
            .create_session(next.hash(), "kari@oslo.no".into(), gone)
            .await
            .unwrap();
        assert!(store.end_session(next.hash()).await.unwrap());
        assert!(!store.end_session(next.hash()).await.unwrap());
        assert_eq!(store.session(next.hash(), gone, idle).await.unwrap(), None);
        store.close().await;
    }

    #[tokio::test]
    async fn failed_sign_ins_are_counted_per_account_and_per_address() {
        let (dir, store) = store();
        let (home, cafe) = ([1u8; 32], [2u8; 32]);
        let t0 = at("2026-12-01T12:00:00Z");
        let min = SignedDuration::from_mins;
        let day_before = t0 - SignedDuration::from_hours(24);
        for i in 0..3 {
            store
                .record_failure("kari@oslo.no".into(), home, t0 + min(i), day_before)
                .await
                .unwrap();
        }
        store
            .record_failure("per@oslo.no".into(), home, t0 + min(3), day_before)
            .await
            .unwrap();
        store
            .record_failure("kari@oslo.no".into(), cafe, t0 + min(4), day_before)
            .await
            .unwrap();
        assert_eq!(
            store
                .failures_since("kari@oslo.no".into(), home, t0)
                .await
                .unwrap(),
            Failures {
                account: 4,
                address: 4
            }
        );
        assert_eq!(
            store
                .failures_since("per@oslo.no".into(), cafe, t0 + min(2))
                .await
                .unwrap(),
            Failures {
                account: 1,
                address: 1
            }
        );
        // Old failures are forgotten as new ones come.
        let next_day = t0 + SignedDuration::from_hours(30);
        store
            .record_failure("ola@oslo.no".into(), cafe, next_day, next_day - min(15))
            .await
            .unwrap();
        assert_eq!(
            store
                .failures_since("kari@oslo.no".into(), home, t0)
                .await
                .unwrap(),
            Failures::default()
        );
        store.close().await;
        // Neither the email typed nor the address is kept as given.
        let conn = Connection::open(dir.path().join("a.sqlite")).unwrap();
        let kept: Vec<u8> = conn
            .query_row("SELECT key FROM sign_in_failures LIMIT 1", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept.len(), 32);
        assert!(!String::from_utf8_lossy(&kept).contains("ola"));
    }

    #[tokio::test]
    async fn the_audit_log_reads_newest_first_a_page_at_a_time() {
        let (_dir, store) = store();
        for i in 0..5 {
            store
                .audit(AuditEntry {
                    at: at("2026-12-01T12:00:00Z") + SignedDuration::from_secs(i),
                    who: "cli".into(),
                    action: "staff.add".into(),
                    call: (i == 4).then(|| "budsjett".into()),
                    detail: format!("staff{i}@oslo.no"),
                })
                .await
                .unwrap();
        }
        let first = store.audit_log(0, 2).await.unwrap();
        assert_eq!(
            first.iter().map(|e| e.detail.as_str()).collect::<Vec<_>>(),
            ["staff4@oslo.no", "staff3@oslo.no"]
        );
        assert_eq!(first[0].call.as_deref(), Some("budsjett"));
        assert_eq!(store.audit_log(2, 2).await.unwrap().len(), 1);
        assert!(
            store.audit_log(3, 2).await.unwrap().is_empty(),
            "past the end"
        );
        store.close().await;
    }

    #[tokio::test]
    async fn an_older_database_gets_the_staff_tables_when_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.sqlite");
        SqliteStore::open(&path).unwrap().close().await;
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(
                "DROP TABLE staff; DROP TABLE staff_setup; DROP TABLE staff_sessions;
                 DROP TABLE sign_in_failures; DROP TABLE audit; PRAGMA user_version = 2;",
            )
            .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        assert!(store.add_staff(kari(None)).await.unwrap());
        store.close().await;
        let version: i64 = Connection::open(&path)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, 3);
        // Opening it again creates nothing twice.
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.staff_list().await.unwrap().len(), 1);
        store.close().await;
    }

    #[tokio::test]
    async fn a_failed_staff_write_leaves_the_rest_of_its_batch() {
        let (_dir, store) = store();
        let bad = kari(Some(Setup {
            token: [7; 32],
            expires: at("2026-12-02T00:00:00Z"),
        }));
        store.add_staff(bad).await.unwrap();
        // The same setup token again fails its unique key; nothing of this account is kept.
        let mut again = kari(Some(Setup {
            token: [7; 32],
            expires: at("2026-12-02T00:00:00Z"),
        }));
        again.email = "per@oslo.no".into();
        let (failed, other) = tokio::join!(
            store.add_staff(again),
            store.audit(AuditEntry {
                at: at("2026-12-01T12:00:00Z"),
                who: "cli".into(),
                action: "staff.add".into(),
                call: None,
                detail: "kari@oslo.no".into(),
            })
        );
        assert!(matches!(failed, Err(StoreError::Failed(_))), "{failed:?}");
        other.unwrap();
        assert_eq!(store.staff_list().await.unwrap().len(), 1);
        assert_eq!(store.audit_log(0, 10).await.unwrap().len(), 1);
        store.close().await;
    }
}
