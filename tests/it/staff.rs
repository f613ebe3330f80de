//! `torget feedback staff`: adding, listing, resetting and removing staff on the command line,
//! and what it says when something is wrong.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use torget::feedback::store::{self, DbSpec, IfMissing};

struct Db {
    dir: tempfile::TempDir,
}

impl Db {
    /// A folder with the endpoint's database in it, as `feedback serve` leaves it.
    async fn new() -> Db {
        let dir = tempfile::tempdir().unwrap();
        let spec = DbSpec::Sqlite(dir.path().join("feedback.sqlite"));
        store::open(&spec, IfMissing::Create).unwrap().close().await;
        Db { dir }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("feedback.sqlite")
    }

    /// Runs `torget feedback staff ARGS` in the folder, with `stdin` on standard input.
    fn staff(&self, args: &[&str], stdin: &str) -> Output {
        run_in(self.dir.path(), args, stdin)
    }

    fn ok(&self, args: &[&str], stdin: &str) -> (String, String) {
        let out = self.staff(args, stdin);
        let (stdout, stderr) = texts(&out);
        assert!(out.status.success(), "{args:?}: {stderr}");
        (stdout, stderr)
    }

    /// What a failing command says, without the store's log lines.
    fn fails(&self, args: &[&str], stdin: &str) -> String {
        let out = self.staff(args, stdin);
        let (_, stderr) = texts(&out);
        assert!(!out.status.success(), "{args:?} should fail");
        stderr
            .lines()
            .filter(|l| !l.contains(" INFO "))
            .map(|l| format!("{l}\n"))
            .collect()
    }

    fn list(&self) -> Vec<String> {
        let (stdout, _) = self.ok(&["list"], "");
        stdout.lines().skip(1).map(str::to_string).collect()
    }
}

fn run_in(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_torget"))
        .args(["feedback", "staff"])
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("torget runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn texts(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The setup link printed, checked for its shape.
fn setup_link(stdout: &str) -> String {
    let link = stdout.trim();
    let token = link.strip_prefix("/admin/setup/").expect(link);
    assert_eq!(token.len(), 64, "{link}");
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()), "{link}");
    link.to_string()
}

#[tokio::test]
async fn staff_are_added_with_a_setup_link_or_a_password_listed_reset_and_removed() {
    let db = Db::new().await;
    let (stdout, stderr) = db.ok(
        &["add", "  Kari@Oslo.Kommune.NO ", "--name", "Kari Nordmann"],
        "",
    );
    let first = setup_link(&stdout);
    assert!(
        stderr.contains("give kari@oslo.kommune.no this setup link"),
        "{stderr}"
    );
    assert!(stderr.contains("it works once, until "), "{stderr}");

    let (stdout, stderr) = db.ok(
        &[
            "add",
            "ola@oslo.kommune.no",
            "--role",
            "admin",
            "--password-stdin",
        ],
        "riktig hest batteri stift\n",
    );
    assert_eq!(stdout, "", "no setup link when a password is given");
    assert!(
        stderr.contains("added ola@oslo.kommune.no as admin"),
        "{stderr}"
    );

    assert_eq!(
        db.list(),
        [
            "kari@oslo.kommune.no\tKari Nordmann\teditor\tnot set\tnever",
            "ola@oslo.kommune.no\tola@oslo.kommune.no\tadmin\tset\tnever",
        ]
    );

    // A reset forgets the password and gives a new link.
    let (stdout, _) = db.ok(&["reset", "OLA@oslo.kommune.no"], "");
    assert_ne!(setup_link(&stdout), first);
    assert!(db.list()[1].ends_with("\tadmin\tnot set\tnever"));

    let (_, stderr) = db.ok(&["remove", "kari@oslo.kommune.no"], "");
    assert!(stderr.contains("removed kari@oslo.kommune.no"), "{stderr}");
    assert_eq!(db.list().len(), 1);

    // Every change is in the audit log, by the command line, without a password.
    let store = store::open(&DbSpec::Sqlite(db.path()), IfMissing::Refuse).unwrap();
    let log = store.audit_log(0, 10).await.unwrap();
    store.close().await;
    let lines: Vec<_> = log
        .iter()
        .map(|e| format!("{} {} {}", e.who, e.action, e.detail))
        .collect();
    assert_eq!(
        lines,
        [
            "cli staff.remove kari@oslo.kommune.no",
            "cli staff.reset ola@oslo.kommune.no",
            "cli staff.add ola@oslo.kommune.no as admin",
            "cli staff.add kari@oslo.kommune.no as editor",
        ]
    );
    let file = std::fs::read(db.path()).unwrap();
    assert!(
        !file
            .windows(b"riktig hest".len())
            .any(|w| w == b"riktig hest"),
        "the password itself is never stored"
    );
}

#[tokio::test]
async fn staff_commands_say_what_to_do_when_something_is_wrong() {
    let db = Db::new().await;
    db.ok(&["add", "kari@oslo.no"], "");
    let path = "feedback.sqlite";

    assert_eq!(
        db.fails(&["add", "Kari@oslo.no "], ""),
        format!(
            "error: kari@oslo.no is already staff in {path}; to give them a new setup link, \
             run `torget feedback staff reset kari@oslo.no`\n"
        )
    );
    for (args, said) in [
        (&["remove", "per@oslo.no"][..], "remove"),
        (&["reset", "per@oslo.no"][..], "reset"),
    ] {
        assert_eq!(
            db.fails(args, ""),
            format!(
                "error: per@oslo.no is not staff in {path}; `torget feedback staff list` shows \
                 who is\n"
            ),
            "{said}"
        );
    }
    assert_eq!(
        db.fails(&["add", "per.oslo.no"], ""),
        "error: `per.oslo.no` is not an email address: give one like name@example.no\n"
    );
    assert_eq!(
        db.fails(&["add", "per@oslo.no", "--password-stdin"], "for kort\n"),
        "error: the password has 8 characters; it needs at least 12 (a few words make a long \
         password easy to remember)\n"
    );
    let bad_role = db.fails(&["add", "per@oslo.no", "--role", "owner"], "");
    assert!(
        bad_role.contains("invalid value 'owner' for '--role <ROLE>'")
            && bad_role.contains("[possible values: editor, admin]"),
        "{bad_role}"
    );
    assert_eq!(
        db.fails(&["list", "--db", "feedbak.sqlite"], ""),
        "error: feedbak.sqlite: no such database; pass the file the endpoint writes with --db\n"
    );
    assert!(!db.dir.path().join("feedbak.sqlite").exists());
    // Nothing was added by the failed commands.
    assert_eq!(db.list().len(), 1);
}

#[test]
fn staff_help_says_where_the_setup_link_opens() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["add", "--help"], "");
    let (stdout, _) = texts(&out);
    assert!(
        stdout.contains(
            "where they choose a password on the console (open it after the endpoint's address)"
        ),
        "{stdout}"
    );
}
