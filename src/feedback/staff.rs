//! Staff accounts: who may read and moderate answers, their roles, email addresses as they
//! are kept, passwords (Argon2id) and the random tokens of setup links and sessions.
//!
//! A token is 32 random bytes from the operating system, written as 64 hex digits. Like a
//! receipt code ([`super::receipt`]), only its SHA-256 is stored, so a copy of the database
//! opens no account and no session.

use std::fmt;
use std::str::FromStr;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The most: hashing costs the same for any length, but a megabyte pasted into a form is no
/// password.
pub const MAX_PASSWORD_CHARS: usize = 1024;
/// How long a setup link works.
pub const SETUP_VALID: SignedDuration = SignedDuration::from_hours(24);

/// What a staff member may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Role {
    /// Reads, searches, moderates and exports answers.
    Editor,
    /// Also manages staff.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Role, String> {
        match s {
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            _ => Err(format!("`{s}` is not a role: give editor or admin")),
        }
    }
}

/// A staff member as the store lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_set: bool,
    pub last_sign_in: Option<Timestamp>,
}

/// A setup link as stored: its token's hash and when it stops working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    pub token: TokenHash,
    pub expires: Timestamp,
}

/// A staff member to add: with a password (a PHC string from [`hash_password`]) or a setup
/// link where they choose one.
#[derive(Debug, Clone)]
pub struct NewStaff {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub created: Timestamp,
    pub password: Option<String>,
    pub setup: Option<Setup>,
}

/// A signed-in staff member's session, as the store finds it by its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub created: Timestamp,
    pub last_seen: Timestamp,
}

/// Recent failed sign-ins: for the account tried and for the address trying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Failures {
    pub account: u64,
    pub address: u64,
}

/// What the store keeps of a client address for counting failed sign-ins: a keyed hash the
/// caller makes, never the address itself.
pub type AddressKey = [u8; 32];

/// One line of the audit log: who did what, to which call, when. Never answer text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: Timestamp,
    /// A staff member's email, or `cli` for the command line.
    pub who: String,
    /// What was done, e.g. `staff.add`.
    pub action: String,
    pub call: Option<String>,
    /// What the action was done to, e.g. the account changed; never an answer.
    pub detail: String,
}

/// An email address as it is kept: trimmed and lower-cased, checked for the shape of one.
pub fn normalise_email(typed: &str) -> Result<String, String> {
    let email = typed.trim().to_lowercase();
    let well_formed = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            }
            None => false,
        };
    if well_formed {
        Ok(email)
    } else {
        Err(format!(
            "`{}` is not an email address: give one like name@example.no",
            typed.trim()
        ))
    }
}

/// Whether a password may be used: at least [`MIN_PASSWORD_CHARS`] characters.
pub fn check_password(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(format!(
            "the password has {n} characters; it needs at least {MIN_PASSWORD_CHARS} (a few \
             words make a long password easy to remember)"
        ));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(format!(
            "the password has {n} characters; it may have at most {MAX_PASSWORD_CHARS}"
        ));
    }
    Ok(())
}

/// Argon2id with OWASP's parameters: 19 MiB of memory, 2 passes, 1 lane.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP's Argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) the store keeps for a password that
/// passed [`check_password`].
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    check_password(password).map_err(anyhow::Error::msg)?;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| anyhow::anyhow!("cannot get random bytes for a password's salt: {e}"))?;
    let hash = hasher()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))?;
    Ok(hash.to_string())
}

/// A stored hash of a password nobody has, so that an unknown account costs as much time to
/// refuse as a wrong password.
const NOBODY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c3RhZmYtbm9ib2R5LXNhbHQ$ZQ3BeuxRnN6J54fZSlN9TmwjCfqsxANOlR5PsyT1w5M";

/// Whether `password` is the one `stored` was made from; `None` (no such account, or no
/// password set yet) is verified against a stand-in and is never a match. The hashes are
/// compared in constant time (argon2's `Output` equality).
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    let checked = hasher().verify_password(password.as_bytes(), stored.unwrap_or(NOBODY));
    stored.is_some() && checked.is_ok()
}

/// What the store keeps instead of a token.
pub type TokenHash = [u8; 32];

/// A secret token of a setup link or a session.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn generate() -> Result<Token, getrandom::Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)?;
        Ok(Token(bytes.iter().map(|b| format!("{b:02x}")).collect()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> TokenHash {
        hash_token(&self.0)
    }
}

/// Never printed by accident, e.g. in a log of a value holding one.
impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

/// The hash of a token as it came back (in a link or a cookie).
pub fn hash_token(token: &str) -> TokenHash {
    Sha256::digest(token.trim().as_bytes()).into()
}

/// The console page where a setup link's holder chooses a password.
pub fn setup_path(token: &Token) -> String {
    format!("/admin/setup/{}", token.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_kept_trimmed_and_lower_cased() {
        assert_eq!(
            normalise_email("  Kari.Nordmann@Oslo.Kommune.NO \n").unwrap(),
            "kari.nordmann@oslo.kommune.no"
        );
        for bad in [
            "kari",
            "kari@",
            "@oslo.no",
            "kari@oslo",
            "ka ri@oslo.no",
            "a@b@oslo.no",
            "",
        ] {
            assert_eq!(
                normalise_email(bad).unwrap_err(),
                format!(
                    "`{}` is not an email address: give one like name@example.no",
                    bad.trim()
                )
            );
        }
    }

    #[test]
    fn passwords_need_twelve_characters_counted_as_characters() {
        assert_eq!(
            check_password("kort passord").map_err(|_| ()),
            Ok(()),
            "12 characters"
        );
        assert_eq!(
            check_password("elleve tegn").unwrap_err(),
            "the password has 11 characters; it needs at least 12 (a few words make a long \
             password easy to remember)"
        );
        // Eleven characters but more than twelve bytes.
        assert!(check_password("æøåæøåæøåæø").is_err());
        assert!(check_password(&"x".repeat(MAX_PASSWORD_CHARS + 1)).is_err());
        assert!(hash_password("elleve tegn").is_err());
    }

    #[test]
    fn a_password_is_kept_as_argon2id_with_owasp_parameters_and_verifies() {
        let stored = hash_password("riktig hest batteri").unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(!stored.contains("riktig"));
        assert!(verify_password("riktig hest batteri", Some(&stored)));
        assert!(!verify_password("riktig hest batterI", Some(&stored)));
        // The same password hashes differently each time (a fresh salt).
        assert_ne!(stored, hash_password("riktig hest batteri").unwrap());
    }

    #[test]
    fn no_account_never_verifies() {
        assert!(!verify_password("riktig hest batteri", None));
        assert!(!verify_password("", None));
        // The stand-in is a well-formed hash, so refusing an unknown account costs a full
        // hash, as a wrong password does.
        assert!(argon2::password_hash::phc::PasswordHash::new(NOBODY).is_ok());
    }

    #[test]
    fn roles_read_back_as_written() {
        for r in [Role::Editor, Role::Admin] {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
        }
        assert_eq!(
            "owner".parse::<Role>().unwrap_err(),
            "`owner` is not a role: give editor or admin"
        );
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let a = Token::generate().unwrap();
        let b = Token::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 64);
        assert_eq!(a.hash(), hash_token(a.as_str()));
        assert_ne!(a.hash(), b.hash());
        assert_eq!(setup_path(&a), format!("/admin/setup/{}", a.as_str()));
        assert_eq!(format!("{a:?}"), "Token(…)");
    }
}
