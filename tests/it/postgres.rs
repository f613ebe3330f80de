//! The endpoint on a PostgreSQL database: what it refuses at start.

use std::process::Command;

/// Two instances with secrets of their own would each refuse the other's form tokens: a
/// resident whose post reached the other instance lost their answer.
#[test]
fn a_postgres_backed_endpoint_will_not_start_without_a_shared_form_secret() {
    let out = Command::new(env!("CARGO_BIN_EXE_torget"))
        .args(["feedback", "serve", "--listen", "127.0.0.1:0", "--db"])
        .arg("postgres://torget:hemmelig@127.0.0.1:1/svar")
        .env_remove("TORGET_FORM_SECRET")
        .env_remove("TORGET_DATABASE_URL")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "TORGET_FORM_SECRET is not set: with a PostgreSQL database several instances may \
             serve the site, and each must accept the form tokens the others made"
        ),
        "{err}"
    );
    assert!(!err.contains("hemmelig"), "{err}");
}

/// `TORGET_DATABASE_URL` stands for `--db`, and its password is never printed.
#[test]
fn the_database_url_comes_from_the_environment_and_its_password_is_not_shown() {
    let out = Command::new(env!("CARGO_BIN_EXE_torget"))
        .args(["feedback", "staff", "list"])
        .env(
            "TORGET_DATABASE_URL",
            "postgres://torget:hemmelig@127.0.0.1:1/svar",
        )
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("postgres://torget@127.0.0.1:1/svar: cannot connect to PostgreSQL"),
        "{err}"
    );
    assert!(!err.contains("hemmelig"), "{err}");
}
