//! `torget feedback serve` as a child process on an ephemeral 127.0.0.1 port, with the rate
//! limit off: how the process tests and the load benchmark (`benches/feedback_load.rs`, which
//! includes this file with `#[path]`) both start it. Self-contained: no other test module.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How to start the endpoint besides the usual.
#[derive(Debug, Default, Clone)]
pub struct Launch {
    /// More flags for `torget feedback serve`.
    pub args: Vec<String>,
    /// The file limit (soft and hard) to start it under, with `prlimit`.
    pub file_limit: Option<u64>,
}

/// A running endpoint; killed when dropped.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    /// Everything it has written to stderr so far.
    pub log: Arc<Mutex<String>>,
}

impl Server {
    /// Starts the endpoint for the built site `site` with the database `db`; `env` adds
    /// variables (`RUST_LOG`, `TORGET_ADMIN_TOKEN`, …). Waits until it says where it listens.
    pub fn start(site: &Path, db: &Path, env: &[(&str, &str)]) -> Server {
        Server::start_with(site, db, env, &Launch::default())
    }

    /// [`Server::start`] with more flags, or under a lower file limit.
    pub fn start_with(site: &Path, db: &Path, env: &[(&str, &str)], launch: &Launch) -> Server {
        let torget = env!("CARGO_BIN_EXE_torget");
        let mut cmd = match launch.file_limit {
            // Soft and hard limit both, as a systemd unit's LimitNOFILE= would set them.
            Some(n) => {
                let mut c = Command::new("prlimit");
                c.arg(format!("--nofile={n}:{n}")).arg(torget);
                c
            }
            None => Command::new(torget),
        };
        let mut child = cmd
            .args([
                "feedback",
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--rate-limit",
                "0",
            ])
            .args(&launch.args)
            .arg("--site")
            .arg(site)
            .arg("--db")
            .arg(db)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the torget binary starts");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = log.clone();
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(i) = line.find("listening on http://") {
                    let addr = line[i + "listening on http://".len()..].trim().to_string();
                    let _ = tx.send(addr);
                }
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("the server did not start: {}", log.lock().unwrap()));
        Server {
            child,
            addr: addr.parse().unwrap(),
            log,
        }
    }

    /// Sends a signal (`-TERM`, `-KILL`) with `kill`.
    pub fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill {sig} failed");
    }

    /// Waits for the process to end, at most `limit`.
    pub fn wait(&mut self, limit: Duration) -> std::process::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if start.elapsed() > limit {
                let _ = self.child.kill();
                panic!(
                    "the server did not stop in {limit:?}: {}",
                    self.log.lock().unwrap()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The first line of its log that contains `needle`, waiting up to `limit` for it.
    pub fn log_line(&self, needle: &str, limit: Duration) -> Option<String> {
        let start = Instant::now();
        loop {
            let found = (self.log.lock().unwrap().lines())
                .find(|l| l.contains(needle))
                .map(str::to_string);
            if found.is_some() || start.elapsed() > limit {
                return found;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
