//! Every figure of issue 8 in one run, side by side with Hugo. Not a test: it prints a table
//! for docs/performance.md.
//!
//! ```sh
//! cargo run --release --example bench                      # N = 1,000 and 10,000, 3 runs each
//! cargo run --release --example bench -- --sizes 1000 --runs 5 --edits 10 --endpoint-seconds 5
//! ```
//!
//! It first builds the release `torget`, `examples/corpus` and `examples/serve_latency` and
//! the `feedback_load` bench (`cargo build`), so that no compiler runs while it measures. Then,
//! for each N, into a temporary folder:
//!
//! 1. `examples/corpus` writes N items in bokmål and English (2N pages).
//! 2. Full builds, each into an empty folder, alternating, `--runs` times each: `torget build`,
//!    `torget build --no-search`, `hugo`, and both with minified pages (`torget build --minify`,
//!    `hugo --minify`), Hugo with the theme in `bench/hugo/`. Each is a child process; its wall
//!    time is taken around it and its peak memory (maximum resident set) and CPU time from
//!    `wait4`'s rusage. The median wall time and CPU time and the highest peak are reported.
//!    Dirty pages are synced before each run, so one run's writes do not land in the next.
//!    These builds are cold (`--no-cache`). In the same rotation, the warm build: `torget
//!    build` with an empty `.torget/cache/`, then, after one project's body was changed, again
//!    with the cache and the output that build left (the edit is undone after); on disk too.
//! 3. What the first search downloads, worked out from the built site for a common word and a
//!    rare one per language (the rare one: of the words on three pages or more, one on the
//!    fewest), as a browser coming from another page fetches it: the search page and its
//!    script, then what pagefind's runtime fetches on the main thread: `pagefind.js`, the
//!    language's wasm (stemmer), `pagefind-entry.json`, the language's `pf_meta` (with
//!    Torget's page table), the index chunks holding words that start with the query's stem,
//!    the results' word counts (their page lists, or one file of every count when they are
//!    spread over many lists), the page lists naming the first 10 results' fragments and those
//!    fragments, ranked with BM25 as pagefind does. "As served" is the files' size (the index files are gzipped
//!    already), "gz" also gzips the HTML, JS and JSON, as a host that compresses would.
//!    `tests/browser/measure.mjs` measures the same in Chromium; `bench --first-search <site>`
//!    prints only these figures for a site built already, to hold against it.
//! 4. `serve_latency --site … --body-only`: `torget serve` on the corpus, `--edits` edits of
//!    one item's body per kind (event, project, call, news page); the time from saving the file
//!    until the browser has the reload event and the new page. Twice: with the search index
//!    refreshed in the background after each rebuild, as `torget serve` runs by default
//!    (`--search`), and without it, as `torget serve --no-search`. Before the edits: the time
//!    until the preview serves its first page, and (with the index) until its first search
//!    index, built in the background, is there.
//!
//! Then, once (it does not depend on N), `feedback_load` for `--endpoint-seconds`: durable
//! answers per second and p99 latency of the feedback endpoint at 64 clients.
//!
//! Everything is written under `--dir`, by default `/dev/shm` (memory), so that the disk's
//! varying speed on a shared virtual machine does not hide the generators' own. The disk is
//! measured beside it: in the same rotation, `torget build` (with the index) and `hugo` also
//! write into a folder under `--disk` (default: the system's temporary folder, when it is not
//! in memory; `--no-disk` leaves this out), and the table compares the two there too. Every
//! build's kernel (system) time is shown beside its CPU time: creating some 46,000 files is
//! kernel work, most of what the disk adds.
//! `--keep` keeps the corpora and outputs in the printed folder; `--no-hugo` leaves Hugo out;
//! `--no-serve` leaves the preview out.

use std::fmt::Write as _;
use std::fs::File;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Options {
    sizes: Vec<usize>,
    runs: usize,
    edits: usize,
    endpoint_seconds: u64,
    keep: bool,
    hugo: bool,
    /// Whether to measure the preview (`--no-serve` leaves it out).
    serve: bool,
    dir: PathBuf,
    /// `--first-search <site>`: only the first-search figures of a site built already.
    first_search: Option<PathBuf>,
    /// Where the on-disk builds write, if anywhere.
    disk: Option<PathBuf>,
}

fn options() -> Options {
    let mut o = Options {
        sizes: vec![1000, 10_000],
        runs: 3,
        edits: 5,
        endpoint_seconds: 5,
        keep: false,
        hugo: true,
        serve: true,
        // Into memory: on the project's machine, writing a 10,000-item site to the virtual
        // disk took 10-20 s of kernel time, varying from run to run, which measures the disk
        // rather than the generators.
        dir: if Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        },
        first_search: None,
        disk: Some(std::env::temp_dir()),
    };
    let mut args = std::env::args().skip(1);
    let usage = "usage: bench [--sizes 1000,10000] [--runs 3] [--edits 5] \
                 [--endpoint-seconds 5] [--dir /dev/shm] [--disk /tmp | --no-disk] [--keep] \
                 [--no-hugo] [--no-serve] | bench --first-search <built corpus site>";
    while let Some(a) = args.next() {
        let mut value = || {
            args.next().unwrap_or_else(|| {
                eprintln!("{a} needs a value\n{usage}");
                std::process::exit(2)
            })
        };
        let number = |v: String| -> usize {
            v.replace('_', "").parse().unwrap_or_else(|_| {
                eprintln!("not a number: {v}\n{usage}");
                std::process::exit(2)
            })
        };
        match a.as_str() {
            "--sizes" => o.sizes = value().split(',').map(|s| number(s.into())).collect(),
            "--runs" => o.runs = number(value()).max(1),
            "--edits" => o.edits = number(value()).max(1),
            "--endpoint-seconds" => o.endpoint_seconds = number(value()) as u64,
            "--dir" => o.dir = PathBuf::from(value()),
            "--disk" => o.disk = Some(PathBuf::from(value())),
            "--no-disk" => o.disk = None,
            "--keep" => o.keep = true,
            "--no-hugo" => o.hugo = false,
            "--no-serve" => o.serve = false,
            "--first-search" => o.first_search = Some(PathBuf::from(value())),
            _ => {
                eprintln!("{usage}");
                std::process::exit(2)
            }
        }
    }
    if let Some(disk) = &o.disk
        && in_memory(disk)
    {
        eprintln!(
            "{} is in memory (tmpfs): leaving the on-disk builds out (--disk <folder on a disk>)",
            disk.display()
        );
        o.disk = None;
    }
    o
}

/// Whether `dir` is on a file system in memory (tmpfs, ramfs).
fn in_memory(dir: &Path) -> bool {
    let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()) else {
        return false;
    };
    // SAFETY: statfs is plain data, zeroes are a valid value; statfs fills it.
    let mut fs: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a valid C string, `fs` a valid pointer.
    if unsafe { libc::statfs(c.as_ptr(), &mut fs) } != 0 {
        return false;
    }
    const TMPFS_MAGIC: i64 = 0x0102_1994;
    const RAMFS_MAGIC: i64 = 0x8584_58f6;
    matches!(fs.f_type as i64, TMPFS_MAGIC | RAMFS_MAGIC)
}

fn main() {
    let o = options();
    if let Some(site) = &o.first_search {
        print_first_searches(site);
        return;
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("building the release torget, corpus, serve_latency and feedback_load …");
    run_ok(
        Command::new(&cargo)
            .current_dir(repo)
            .args(["build", "--release", "--bin", "torget"])
            .args(["--example", "corpus", "--example", "serve_latency"]),
    );
    if o.endpoint_seconds > 0 {
        run_ok(Command::new(&cargo).current_dir(repo).args([
            "bench",
            "--bench",
            "feedback_load",
            "--no-run",
        ]));
    }
    // This example is target/release/examples/bench.
    let release = std::env::current_exe()
        .unwrap()
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .to_path_buf();
    let torget = release.join("torget");
    let hugo = o.hugo.then(hugo_version).flatten();
    if o.hugo && hugo.is_none() {
        eprintln!("hugo not found: leaving it out (Debian: apt-get install hugo)");
    }

    let work = tempfile::Builder::new()
        .prefix("torget-bench-")
        .tempdir_in(&o.dir)
        .unwrap_or_else(|e| panic!("cannot make a folder in {}: {e}", o.dir.display()));
    let disk = o.disk.as_ref().map(|d| {
        tempfile::Builder::new()
            .prefix("torget-bench-disk-")
            .tempdir_in(d)
            .unwrap_or_else(|e| panic!("cannot make a folder in {}: {e}", d.display()))
    });
    let machine = Machine::now();
    println!("{}", machine.describe(repo, hugo.as_deref()));
    println!("working in {}\n", work.path().display());
    if let Some(d) = &disk {
        println!("on-disk builds write into {}\n", d.path().display());
    }

    let mut results = Vec::new();
    for &n in &o.sizes {
        results.push(measure_size(
            &o,
            n,
            work.path(),
            &release,
            &torget,
            hugo.is_some(),
            disk.as_ref().map(|d| d.path()),
        ));
    }
    let endpoint = (o.endpoint_seconds > 0).then(|| endpoint(&cargo, repo, o.endpoint_seconds));
    let load_end = loadavg();

    println!("\n{}", table(&results, endpoint.as_ref(), o.runs));
    println!(
        "load average (1, 5, 15 min): at the start {}, at the end {load_end}",
        machine.load
    );
    if o.keep {
        let kept = work.keep();
        println!("kept the corpora and outputs in {}", kept.display());
    }
}

/// The figures for one corpus size.
struct SizeResult {
    n: usize,
    pages: String,
    search: Vec<Run>,
    no_search: Vec<Run>,
    minify: Vec<Run>,
    hugo: Vec<Run>,
    hugo_minify: Vec<Run>,
    /// `torget build` (with the index) and `hugo` writing onto the disk.
    search_disk: Vec<Run>,
    warm_disk: Vec<Run>,
    hugo_disk: Vec<Run>,
    index_line: String,
    first_query: Vec<(String, String, Option<QueryBytes>)>,
    /// The preview with its search index, and without.
    serve: Option<Serve>,
    serve_no_search: Option<Serve>,
    /// Whether the preview was measured (not with `--no-serve`).
    serve_measured: bool,
    /// `torget build` with an empty build cache, then again after one file changed.
    cold_cached: Vec<Run>,
    warm: Vec<Run>,
}

/// `torget build` with an empty `.torget/cache/`, then one body edited and built again with
/// the cache and the output the first build left, as a second build finds them. The edit is
/// undone afterwards.
fn warm_build(torget: &Path, root: &Path, dest: &Path, run: usize) -> (Run, Run) {
    let _ = std::fs::remove_dir_all(root.join(".torget/cache"));
    let build = || {
        let mut cmd = Command::new(torget);
        cmd.args(["build", "--root"])
            .arg(root)
            .arg("--out")
            .arg(dest);
        cmd
    };
    let cold = timed(&mut build(), dest);
    let file = root.join("content/projects/sak-00000.md");
    let text = std::fs::read_to_string(&file).expect("the corpus's first project");
    std::fs::write(&file, format!("{text}\nEndret i kjøring {run}.\n")).unwrap();
    let warm = timed_keeping(&mut build(), dest);
    std::fs::write(&file, text).unwrap();
    (cold, warm)
}

fn measure_size(
    o: &Options,
    n: usize,
    work: &Path,
    release: &Path,
    torget: &Path,
    hugo: bool,
    disk: Option<&Path>,
) -> SizeResult {
    let root = work.join(format!("corpus-{n}"));
    eprintln!("\n== N = {n}: generating the corpus in {}", root.display());
    let started = Instant::now();
    run_ok(
        Command::new(release.join("examples/corpus"))
            .arg(&root)
            .arg(n.to_string()),
    );
    eprintln!(
        "   generated in {:.1} s; load average {}",
        started.elapsed().as_secs_f64(),
        loadavg()
    );
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/hugo"),
        &root.join("hugo"),
    );

    let out = |name: &str| work.join(format!("out-{n}-{name}"));
    let mut r = SizeResult {
        n,
        pages: String::new(),
        search: Vec::new(),
        no_search: Vec::new(),
        minify: Vec::new(),
        hugo: Vec::new(),
        hugo_minify: Vec::new(),
        search_disk: Vec::new(),
        warm_disk: Vec::new(),
        hugo_disk: Vec::new(),
        index_line: String::new(),
        first_query: Vec::new(),
        serve: None,
        serve_no_search: None,
        serve_measured: o.serve,
        cold_cached: Vec::new(),
        warm: Vec::new(),
    };
    // A cold `torget build` with the index into `dest`, in memory or on disk.
    let cold_build = |dest: &Path| {
        timed(
            Command::new(torget)
                .args(["build", "--no-cache", "--root"])
                .arg(&root)
                .arg("--out")
                .arg(dest),
            dest,
        )
    };
    for run in 1..=o.runs {
        let dest = out("torget");
        let t = cold_build(&dest);
        eprintln!("   run {run}: torget build              {t}");
        for line in t.log.lines() {
            if line.starts_with("search index:") {
                r.index_line = line.to_string();
            } else if line.starts_with("built ") {
                r.pages = line.to_string();
            }
        }
        r.search.push(t);
        let dest = out("torget-no-search");
        let t = timed(
            Command::new(torget)
                .args(["build", "--no-cache", "--no-search", "--root"])
                .arg(&root)
                .arg("--out")
                .arg(&dest),
            &dest,
        );
        eprintln!("   run {run}: torget build --no-search  {t}");
        r.no_search.push(t);
        let dest = out("torget-minify");
        let t = timed(
            Command::new(torget)
                .args(["build", "--no-cache", "--minify", "--root"])
                .arg(&root)
                .arg("--out")
                .arg(&dest),
            &dest,
        );
        eprintln!("   run {run}: torget build --minify     {t}");
        r.minify.push(t);
        let (cold, warm) = warm_build(torget, &root, &out("torget-warm"), run);
        eprintln!("   run {run}: torget build, cache empty {cold}");
        eprintln!("   run {run}: … after a one-file edit   {warm}");
        r.cold_cached.push(cold);
        r.warm.push(warm);
        if hugo {
            for minify in [false, true] {
                let dest = out(if minify { "hugo-minify" } else { "hugo" });
                let mut cmd = Command::new("hugo");
                cmd.arg("--source")
                    .arg(root.join("hugo"))
                    .arg("--destination")
                    .arg(&dest);
                if minify {
                    cmd.arg("--minify");
                }
                let t = timed(&mut cmd, &dest);
                eprintln!(
                    "   run {run}: hugo{}             {t}",
                    if minify { " --minify" } else { "         " }
                );
                if minify {
                    r.hugo_minify.push(t);
                } else {
                    r.hugo.push(t);
                }
            }
        }
        // Each on-disk build writes into a folder of its own, and all are removed at the end:
        // ext4 without a journal (as on the project's machine) checks every inode it hands out
        // for a recent deletion, so creating files right after many were deleted costs seconds
        // of kernel time more, which would charge one build for the other's deletions.
        if let Some(disk) = disk {
            let dest = disk.join(format!("out-{n}-torget-{run}"));
            let t = cold_build(&dest);
            eprintln!("   run {run}: torget build, on disk     {t}");
            r.search_disk.push(t);
            let dest = disk.join(format!("out-{n}-torget-warm-{run}"));
            let (_, warm) = warm_build(torget, &root, &dest, run);
            eprintln!("   run {run}: … warm, on disk           {warm}");
            r.warm_disk.push(warm);
            if hugo {
                let dest = disk.join(format!("out-{n}-hugo-{run}"));
                let t = timed(
                    Command::new("hugo")
                        .arg("--source")
                        .arg(root.join("hugo"))
                        .arg("--destination")
                        .arg(&dest),
                    &dest,
                );
                eprintln!("   run {run}: hugo, on disk             {t}");
                r.hugo_disk.push(t);
            }
        }
    }
    if let Some(disk) = disk {
        for run in 1..=o.runs {
            for name in ["torget", "torget-warm", "hugo"] {
                let _ = std::fs::remove_dir_all(disk.join(format!("out-{n}-{name}-{run}")));
            }
        }
    }
    eprintln!("   {}\n   {}", r.pages, r.index_line);

    let site = out("torget");
    for (lang, common) in [("nb", "kommune"), ("en", "municipality")] {
        let rare = match rare_word(&site.join("pagefind"), lang) {
            Ok(w) => w,
            Err(e) => {
                eprintln!("   no rare word in {lang}: {e}");
                continue;
            }
        };
        for word in [common.to_string(), rare] {
            let bytes = first_query(&site, lang, &word);
            if let Err(e) = &bytes {
                eprintln!("   first query {lang} `{word}`: {e}");
            }
            r.first_query.push((lang.to_string(), word, bytes.ok()));
        }
    }
    for name in [
        "torget",
        "torget-no-search",
        "torget-minify",
        "hugo",
        "hugo-minify",
    ] {
        let _ = std::fs::remove_dir_all(out(name));
    }

    for search in [true, false].into_iter().filter(|_| o.serve) {
        eprintln!(
            "   serve{}: {} body edits per kind, load average {}",
            if search { "" } else { " --no-search" },
            o.edits,
            loadavg()
        );
        let mut cmd = Command::new(release.join("examples/serve_latency"));
        cmd.arg(o.edits.to_string())
            .arg("--site")
            .arg(&root)
            .arg("--body-only");
        if search {
            cmd.arg("--search");
        }
        let output = cmd
            .stderr(Stdio::null())
            .output()
            .expect("run serve_latency");
        let text = String::from_utf8_lossy(&output.stdout);
        let serve = Serve::parse(&text);
        if serve.is_none() || !output.status.success() {
            eprintln!("   serve_latency failed ({}):\n{text}", output.status);
        }
        if search {
            r.serve = serve;
        } else {
            r.serve_no_search = serve;
        }
    }
    if !o.keep {
        let _ = std::fs::remove_dir_all(&root);
    }
    r
}

/// One child process, as `wait4` saw it.
struct Run {
    wall: Duration,
    /// User and system time together.
    cpu: Duration,
    /// System (kernel) time alone: creating and writing files, faulting memory in.
    sys: Duration,
    peak_kib: u64,
    log: String,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:6.2} s wall, {:6.2} s CPU ({:5.2} s system), peak {:5} MiB",
            self.wall.as_secs_f64(),
            self.cpu.as_secs_f64(),
            self.sys.as_secs_f64(),
            self.peak_kib / 1024
        )
    }
}

/// Runs `cmd` into the empty folder `dest`, its output into a log; panics if it fails.
fn timed(cmd: &mut Command, dest: &Path) -> Run {
    let _ = std::fs::remove_dir_all(dest);
    timed_keeping(cmd, dest)
}

/// [`timed`], leaving what `dest` holds for the build to find.
fn timed_keeping(cmd: &mut Command, dest: &Path) -> Run {
    let log_path = dest.with_extension("log");
    let log = File::create(&log_path).unwrap();
    cmd.stdout(log.try_clone().unwrap()).stderr(log);
    // SAFETY: sync takes no arguments and cannot fail.
    unsafe { libc::sync() };
    let started = Instant::now();
    // Reaped by wait4 below, which also gives its rusage (Child::wait would not).
    #[allow(clippy::zombie_processes)]
    let child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let mut status = 0;
    // SAFETY: rusage is plain data, zeroes are a valid value; wait4 fills it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our child's, not yet waited for; both pointers are valid.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 failed");
    let mut text = String::new();
    File::open(&log_path)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        panic!("{cmd:?} failed (status {status}):\n{text}");
    }
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Run {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        sys: tv(usage.ru_stime),
        peak_kib: usage.ru_maxrss as u64,
        log: text,
    }
}

fn run_ok(cmd: &mut Command) {
    let status = cmd
        .status()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    assert!(status.success(), "{cmd:?} failed: {status}");
}

fn hugo_version() -> Option<String> {
    let out = Command::new("hugo").arg("version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    Some(text.split_whitespace().nth(1)?.to_string())
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The machine and the software measured.
struct Machine {
    cores: usize,
    cpu: String,
    memory: String,
    kernel: String,
    load: String,
}

impl Machine {
    fn now() -> Machine {
        let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
        let cpuinfo = read("/proc/cpuinfo");
        let cpu = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
            .unwrap_or_default();
        let kib: f64 = number_after(&read("/proc/meminfo"), "MemTotal:").unwrap_or(0.0);
        Machine {
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu,
            memory: format!("{:.1} GiB", kib / 1024.0 / 1024.0),
            kernel: read("/proc/sys/kernel/osrelease").trim().to_string(),
            load: loadavg(),
        }
    }

    fn describe(&self, repo: &Path, hugo: Option<&str>) -> String {
        let commit = Command::new("git")
            .current_dir(repo)
            .args(["describe", "--always", "--dirty"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default();
        format!(
            "machine: {} cores ({}), {}, Linux {}, load average {}\ntorget {commit}, hugo {}",
            self.cores,
            self.cpu,
            self.memory,
            self.kernel,
            self.load,
            hugo.unwrap_or("not run")
        )
    }
}

/// The load average over 1, 5 and 15 minutes, and how much of the last minute some task was
/// waiting for a CPU (pressure stall information): on a shared machine, how much others ran.
fn loadavg() -> String {
    let load = std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    match std::fs::read_to_string("/proc/pressure/cpu")
        .ok()
        .and_then(|p| number_after(&p, "avg60="))
    {
        Some(stall) => format!("{load} (CPU stall {stall:.0}% of the last minute)"),
        None => load,
    }
}

/// What `serve_latency` printed for the body edits.
struct Serve {
    first_build: f64,
    /// Until the first search index was there (with `--search`).
    first_index: Option<f64>,
    p50: f64,
    p90: f64,
    max: f64,
    edits: f64,
}

impl Serve {
    fn parse(text: &str) -> Option<Serve> {
        let line = text.lines().find(|l| l.starts_with("all kinds:"))?;
        Some(Serve {
            first_build: number_after(text, "first build and start:")?,
            first_index: number_after(text, "first search index ready:"),
            p50: number_after(line, "p50")?,
            p90: number_after(line, "p90")?,
            max: number_after(line, "max")?,
            edits: number_after(line, "over")?,
        })
    }
}

/// What `feedback_load` printed.
struct Endpoint {
    seconds: u64,
    answers_per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
}

impl Endpoint {
    fn parse(text: &str, seconds: u64) -> Option<Endpoint> {
        Some(Endpoint {
            seconds,
            answers_per_s: number_after(text, "answers/s:")?,
            p50_ms: number_after(text, "latency p50:")?,
            p99_ms: number_after(text, "latency p99:")?,
        })
    }
}

fn endpoint(cargo: &str, repo: &Path, seconds: u64) -> Endpoint {
    eprintln!(
        "\n== feedback endpoint: {seconds} s of load, load average {}",
        loadavg()
    );
    let output = Command::new(cargo)
        .current_dir(repo)
        .args(["bench", "--bench", "feedback_load"])
        .env("FEEDBACK_BENCH_SECONDS", seconds.to_string())
        .stderr(Stdio::null())
        .output()
        .expect("run cargo bench");
    let text = String::from_utf8_lossy(&output.stdout);
    Endpoint::parse(&text, seconds).unwrap_or_else(|| {
        panic!(
            "feedback_load printed no figures ({}):\n{text}",
            output.status
        )
    })
}

/// The first number after `label` in `text`, e.g. `12.5` in `label: 12.5 ms`.
fn number_after(text: &str, label: &str) -> Option<f64> {
    let rest = &text[text.find(label)? + label.len()..];
    let start = rest.find(|c: char| c.is_ascii_digit())?;
    let digits: String = rest[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    digits.trim_end_matches('.').parse().ok()
}

/// The bytes of a first search, by kind of file: (as served, gzipped).
struct QueryBytes {
    results: usize,
    parts: Vec<(&'static str, usize, u64, u64)>,
}

impl QueryBytes {
    fn total(&self) -> (u64, u64) {
        self.parts
            .iter()
            .fold((0, 0), |(a, b), p| (a + p.2, b + p.3))
    }
}

/// The first-search figures of a site built already, as the benchmark prints them, to hold
/// against `tests/browser/measure.mjs` on the same site.
fn print_first_searches(site: &Path) {
    for (lang, common) in [("nb", "kommune"), ("en", "municipality")] {
        let rare = rare_word(&site.join("pagefind"), lang).unwrap_or_else(|e| {
            eprintln!("no rare word in {lang}: {e}");
            std::process::exit(1)
        });
        for word in [common.to_string(), rare] {
            match first_query(site, lang, &word) {
                Ok(q) => {
                    let (served, gz) = q.total();
                    let parts: Vec<String> = q
                        .parts
                        .iter()
                        .map(|(name, n, _, gz)| format!("{name} {n}: {:.1}", *gz as f64 / 1024.0))
                        .collect();
                    println!(
                        "{lang} `{word}`: {} results, {:.1} KiB ({:.1} KiB gz): {}",
                        q.results,
                        served as f64 / 1024.0,
                        gz as f64 / 1024.0,
                        parts.join(", ")
                    );
                }
                Err(e) => println!("{lang} `{word}`: {e}"),
            }
        }
    }
}

/// The search page of `lang` in the corpus, as the browser gets it from the header's form.
fn search_page(lang: &str) -> &'static str {
    match lang {
        "nb" => "sok/index.html",
        _ => "en/search/index.html",
    }
}

/// A word on a few pages of `lang`: of the words on at least three pages (none with digits),
/// one on the fewest, the first in the alphabet among those.
fn rare_word(dir: &Path, lang: &str) -> Result<String, String> {
    let (_, meta) = language_meta(dir, lang)?;
    let mut best: Option<(usize, String)> = None;
    for chunk in meta
        .at(2)
        .and_then(Cbor::items)
        .ok_or("pf_meta: no chunks")?
    {
        let h = chunk
            .at(2)
            .and_then(Cbor::text)
            .ok_or("pf_meta: a chunk without hash")?;
        let index = decode_pagefind(&dir.join(format!("index/{h}.pf_index")))?;
        for w in index.at(0).and_then(Cbor::items).unwrap_or(&[]) {
            let (Some(word), Some(pages)) =
                (w.at(0).and_then(Cbor::text), w.at(1).and_then(Cbor::items))
            else {
                continue;
            };
            if pages.len() < 3 || !word.chars().all(char::is_alphabetic) {
                continue;
            }
            let this = (pages.len(), word.to_string());
            if best.as_ref().is_none_or(|b| this < *b) {
                best = Some(this);
            }
        }
    }
    best.map(|b| b.1)
        .ok_or_else(|| "no word on three pages or more".into())
}

/// The language's `pf_meta`: its path and what it holds.
fn language_meta(dir: &Path, lang: &str) -> Result<(PathBuf, Cbor), String> {
    let entry: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join("pagefind-entry.json")).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let hash = entry["languages"][lang]["hash"]
        .as_str()
        .ok_or("no such language")?;
    let path = dir.join(format!("pagefind.{hash}.pf_meta"));
    let meta = decode_pagefind(&path)?;
    Ok((path, meta))
}

/// Works out what the browser fetches to show the first results for `word` on the search page
/// of `lang` of the site built into `site`, coming from another page: the search page and its
/// script, then what pagefind's runtime fetches (without its worker, as the theme runs it).
fn first_query(site: &Path, lang: &str, word: &str) -> Result<QueryBytes, String> {
    let dir = site.join("pagefind");
    let size = |p: &Path| -> Result<u64, String> {
        std::fs::metadata(p)
            .map(|m| m.len())
            .map_err(|e| format!("{}: {e}", p.display()))
    };
    let gz_size = |p: &Path| -> Result<u64, String> {
        use std::io::Write as _;
        let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(&bytes).unwrap();
        Ok(z.finish().unwrap().len() as u64)
    };
    let entry: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join("pagefind-entry.json")).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let wasm = entry["languages"][lang]["wasm"].as_str().unwrap_or(lang);

    let mut parts = Vec::new();
    let page = site.join(search_page(lang));
    parts.push(("search page", 1, size(&page)?, gz_size(&page)?));
    let script = std::fs::read_dir(site)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with("search.") && name.ends_with(".js")
        })
        .ok_or("no search script")?;
    parts.push(("page script", 1, size(&script)?, gz_size(&script)?));
    let p = dir.join("pagefind.js");
    parts.push(("runtime JS", 1, size(&p)?, gz_size(&p)?));
    let p = dir.join("pagefind-entry.json");
    parts.push(("entry", 1, size(&p)?, gz_size(&p)?));
    let p = dir.join(format!("wasm.{wasm}.pagefind"));
    parts.push(("wasm (stemmer)", 1, size(&p)?, size(&p)?));
    let (meta_path, meta) = language_meta(&dir, lang)?;
    parts.push(("language meta", 1, size(&meta_path)?, size(&meta_path)?));

    // pf_meta: [version, pages, chunks [[from, to, hash]], …]; pages either pagefind's list
    // [[fragment name, word count, group]] or Torget's page table {size, lists, pages, total,
    // words}: lists of `size` pages ("name words" a line) and every word count in one file.
    let table = match meta.at(1) {
        Some(Cbor::Map(m)) => Some(m),
        _ => None,
    };
    let field = |name: &str| {
        table.and_then(|m| {
            m.iter()
                .find(|(k, _)| k.text() == Some(name))
                .map(|(_, v)| v)
        })
    };
    let list_size = match field("size") {
        Some(Cbor::Uint(n)) => std::num::NonZeroUsize::new(*n as usize),
        _ => None,
    };
    let lists: Vec<&str> = field("lists")
        .and_then(Cbor::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(Cbor::text)
        .collect();
    let words_file = field("words").and_then(Cbor::text);
    let word_counts: Vec<u64> = match (words_file, meta.at(1).and_then(Cbor::items)) {
        (Some(name), _) => {
            let path = dir.join(format!("pages/{name}.pf_words"));
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(
                File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?,
            )
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{}: {e}", path.display()))?;
            let (mut counts, mut n, mut shift) = (Vec::new(), 0, 0);
            for &x in bytes.strip_prefix(b"pagefind_dcd").unwrap_or(&bytes) {
                n |= u64::from(x & 0x7f) << shift;
                shift += 7;
                if x < 0x80 {
                    counts.push(n);
                    (n, shift) = (0, 0);
                }
            }
            counts
        }
        (_, Some(pages)) => pages
            .iter()
            .map(|p| match p.at(1) {
                Some(Cbor::Uint(n)) => *n,
                _ => 1,
            })
            .collect(),
        _ => return Err("pf_meta: neither pages nor a page table".into()),
    };
    let chunks = meta
        .at(2)
        .and_then(Cbor::items)
        .ok_or("pf_meta: no chunks")?;
    let algorithm = match lang {
        "nb" | "nn" | "no" => pagefind_stem::Algorithm::Norwegian,
        _ => pagefind_stem::Algorithm::English,
    };
    let stem = pagefind_stem::Stemmer::create(algorithm)
        .stem(&word.to_lowercase())
        .into_owned();
    let mut counts: std::collections::HashMap<usize, usize> = Default::default();
    let (mut n_chunks, mut chunk_bytes) = (0, 0);
    for chunk in chunks {
        let (Some(from), Some(to), Some(h)) = (
            chunk.at(0).and_then(Cbor::text),
            chunk.at(1).and_then(Cbor::text),
            chunk.at(2).and_then(Cbor::text),
        ) else {
            return Err("pf_meta: a chunk is not [from, to, hash]".into());
        };
        // Words starting with the stem sort from `stem` up to `stem` followed by anything.
        if !(to >= stem.as_str() && (from <= stem.as_str() || from.starts_with(&stem))) {
            continue;
        }
        let path = dir.join(format!("index/{h}.pf_index"));
        n_chunks += 1;
        chunk_bytes += size(&path)?;
        // pf_index: [words [[word, pages [[page number, locations, meta locations]], variants]]]
        let index = decode_pagefind(&path)?;
        for w in index.at(0).and_then(Cbor::items).unwrap_or(&[]) {
            if !w
                .at(0)
                .and_then(Cbor::text)
                .is_some_and(|t| t.starts_with(&stem))
            {
                continue;
            }
            // Page numbers are delta-encoded within a word's list; negative locations mark a
            // change of weight, the others are occurrences.
            let mut number = 0;
            for page in w.at(1).and_then(Cbor::items).unwrap_or(&[]) {
                if let Some(Cbor::Uint(delta)) = page.at(0) {
                    number += *delta as usize;
                    let hits = [page.at(1), page.at(2)]
                        .into_iter()
                        .flat_map(|l| l.and_then(Cbor::items).unwrap_or(&[]))
                        .filter(|l| matches!(l, Cbor::Uint(_)))
                        .count();
                    *counts.entry(number).or_default() += hits.max(1);
                }
            }
        }
    }
    parts.push(("index chunks", n_chunks, chunk_bytes, chunk_bytes));
    // Pagefind ranks with BM25 (k1 = 1.2, b = 0.75 by default): occurrences, damped, in
    // relation to the page's length.
    let words = |page: usize| word_counts.get(page).copied().unwrap_or(1) as f64;
    let average = (0..word_counts.len()).map(words).sum::<f64>() / word_counts.len().max(1) as f64;
    let bm25 = |page: usize, hits: usize| {
        let tf = hits as f64;
        tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * words(page) / average))
    };
    let mut ranked: Vec<(usize, f64)> = counts.iter().map(|(&p, &c)| (p, bm25(p, c))).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let shown: Vec<usize> = ranked.iter().take(10).map(|r| r.0).collect();
    // With a page table the runtime fetches the word counts of every result before ranking:
    // their lists, or the file of every count when they span a sixth of the lists or more;
    // then the lists of the results shown, for their fragments' names.
    let mut fetched = std::collections::BTreeMap::new();
    let mut fetch_list = |k: usize| -> Result<(), String> {
        let list = lists.get(k).ok_or("pf_meta: a page number out of range")?;
        if let std::collections::btree_map::Entry::Vacant(e) = fetched.entry(k) {
            let path = dir.join(format!("pages/{list}.pf_pages"));
            e.insert((size(&path)?, gunzip_pagefind(&path)?));
        }
        Ok(())
    };
    let mut words_bytes = None;
    if let Some(per_list) = list_size {
        let needed: std::collections::BTreeSet<usize> =
            ranked.iter().map(|r| r.0 / per_list).collect();
        if needed.len() * 6 >= lists.len() {
            let name = words_file.ok_or("pf_meta: no word-count file")?;
            words_bytes = Some(size(&dir.join(format!("pages/{name}.pf_words")))?);
        } else {
            for k in needed {
                fetch_list(k)?;
            }
        }
        for &page in &shown {
            fetch_list(page / per_list)?;
        }
    }
    let mut names = Vec::new();
    for &page in &shown {
        let name = if let Some(per_list) = list_size {
            let line = fetched[&(page / per_list)]
                .1
                .split('\n')
                .nth(page % per_list)
                .ok_or("a page list is short")?;
            line.split(' ').next().unwrap_or_default().to_string()
        } else {
            meta.at(1)
                .and_then(|p| p.at(page))
                .and_then(|p| p.at(0))
                .and_then(Cbor::text)
                .ok_or("pf_meta: a page number out of range")?
                .to_string()
        };
        names.push(name);
    }
    if let Some(bytes) = words_bytes {
        parts.push(("word counts", 1, bytes, bytes));
    }
    if list_size.is_some() {
        let bytes = fetched.values().map(|f| f.0).sum();
        parts.push(("page lists", fetched.len(), bytes, bytes));
    }
    let mut fragments = 0;
    for name in &names {
        fragments += size(&dir.join(format!("fragment/{name}.pf_fragment")))?;
    }
    parts.push(("fragments", names.len(), fragments, fragments));
    Ok(QueryBytes {
        results: ranked.len(),
        parts,
    })
}

/// What a pagefind file holds: gzip around `pagefind_dcd` and the body.
fn pagefind_body(path: &Path) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(File::open(path).map_err(|e| format!("{}: {e}", path.display()))?)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    bytes
        .strip_prefix(b"pagefind_dcd")
        .map(<[u8]>::to_vec)
        .ok_or_else(|| format!("{}: not a pagefind file", path.display()))
}

/// A page list's text: the names, one a line.
fn gunzip_pagefind(path: &Path) -> Result<String, String> {
    String::from_utf8(pagefind_body(path)?).map_err(|e| format!("{}: {e}", path.display()))
}

/// A pagefind index file's CBOR.
fn decode_pagefind(path: &Path) -> Result<Cbor, String> {
    Cbor::decode(&pagefind_body(path)?, &mut 0).map_err(|e| format!("{}: {e}", path.display()))
}

/// The CBOR that pagefind writes (minicbor's derive: structs as arrays, definite lengths).
#[derive(Debug, PartialEq)]
enum Cbor {
    Uint(u64),
    Negative(i64),
    Bytes(Vec<u8>),
    Text(String),
    Array(Vec<Cbor>),
    Map(Vec<(Cbor, Cbor)>),
    Other,
}

impl Cbor {
    fn decode(b: &[u8], at: &mut usize) -> Result<Cbor, String> {
        let head = *b.get(*at).ok_or("CBOR ends early")?;
        *at += 1;
        let (major, info) = (head >> 5, head & 31);
        let mut arg = |info: u8| -> Result<u64, String> {
            let len = match info {
                0..=23 => return Ok(u64::from(info)),
                24 => 1,
                25 => 2,
                26 => 4,
                27 => 8,
                _ => return Err(format!("CBOR: unsupported length {info} at {}", *at - 1)),
            };
            let bytes = b.get(*at..*at + len).ok_or("CBOR ends early")?;
            *at += len;
            Ok(bytes.iter().fold(0, |n, &x| n << 8 | u64::from(x)))
        };
        Ok(match major {
            0 => Cbor::Uint(arg(info)?),
            1 => Cbor::Negative(-1 - arg(info)? as i64),
            2 | 3 => {
                let len = arg(info)? as usize;
                let bytes = b.get(*at..*at + len).ok_or("CBOR ends early")?.to_vec();
                *at += len;
                if major == 2 {
                    Cbor::Bytes(bytes)
                } else {
                    Cbor::Text(String::from_utf8(bytes).map_err(|e| e.to_string())?)
                }
            }
            4 => {
                let len = arg(info)? as usize;
                let mut items = Vec::with_capacity(len.min(1 << 16));
                for _ in 0..len {
                    items.push(Cbor::decode(b, at)?);
                }
                Cbor::Array(items)
            }
            5 => {
                let len = arg(info)? as usize;
                let mut items = Vec::new();
                for _ in 0..len {
                    let k = Cbor::decode(b, at)?;
                    items.push((k, Cbor::decode(b, at)?));
                }
                Cbor::Map(items)
            }
            6 => {
                arg(info)?;
                Cbor::decode(b, at)?
            }
            _ => {
                arg(info)?;
                Cbor::Other
            }
        })
    }

    fn items(&self) -> Option<&[Cbor]> {
        match self {
            Cbor::Array(items) => Some(items),
            _ => None,
        }
    }

    fn at(&self, i: usize) -> Option<&Cbor> {
        self.items()?.get(i)
    }

    fn text(&self) -> Option<&str> {
        match self {
            Cbor::Text(t) => Some(t),
            _ => None,
        }
    }
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn secs(runs: &[Run]) -> f64 {
    median(runs.iter().map(|r| r.wall).collect()).as_secs_f64()
}

fn cpu(runs: &[Run]) -> f64 {
    median(runs.iter().map(|r| r.cpu).collect()).as_secs_f64()
}

fn sys(runs: &[Run]) -> f64 {
    median(runs.iter().map(|r| r.sys).collect()).as_secs_f64()
}

fn peak_mb(runs: &[Run]) -> f64 {
    runs.iter().map(|r| r.peak_kib).max().unwrap_or(0) as f64 / 1024.0
}

/// The summary: one column per corpus size.
fn table(results: &[SizeResult], endpoint: Option<&Endpoint>, runs: usize) -> String {
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    let mut row = |label: &str, f: &dyn Fn(&SizeResult) -> String| {
        rows.push((label.to_string(), results.iter().map(f).collect()));
    };
    let build = |runs: &[Run]| {
        if runs.is_empty() {
            "–".to_string()
        } else {
            format!(
                "{:.2} s, {:.0} MiB (CPU {:.1} s, system {:.1} s)",
                secs(runs),
                peak_mb(runs),
                cpu(runs),
                sys(runs)
            )
        }
    };
    row("build with search index", &|r| build(&r.search));
    row("build --no-search", &|r| build(&r.no_search));
    row("build --minify (with search)", &|r| build(&r.minify));
    row("build, empty cache", &|r| build(&r.cold_cached));
    row("  … after one file changed (warm)", &|r| build(&r.warm));
    row("  warm / cold (--no-cache)", &|r| {
        if r.warm.is_empty() || r.search.is_empty() {
            "–".to_string()
        } else {
            format!("{:.2}", secs(&r.warm) / secs(&r.search))
        }
    });
    row("hugo", &|r| build(&r.hugo));
    row("hugo --minify", &|r| build(&r.hugo_minify));
    if results.iter().any(|r| !r.search_disk.is_empty()) {
        row("build with search index, on disk", &|r| {
            build(&r.search_disk)
        });
        row("hugo, on disk", &|r| build(&r.hugo_disk));
        row("build after one file changed (warm), on disk", &|r| {
            build(&r.warm_disk)
        });
        row("  warm / cold (--no-cache), on disk", &|r| {
            if r.warm_disk.is_empty() || r.search_disk.is_empty() {
                "–".to_string()
            } else {
                format!("{:.2}", secs(&r.warm_disk) / secs(&r.search_disk))
            }
        });
    }
    let ratio = |a: &[Run], b: &[Run]| {
        if a.is_empty() || b.is_empty() {
            "–".to_string()
        } else {
            format!(
                "time {:.2}, memory {:.2}",
                secs(a) / secs(b),
                peak_mb(a) / peak_mb(b)
            )
        }
    };
    row("Torget/Hugo, with search", &|r| ratio(&r.search, &r.hugo));
    row("Torget/Hugo, --no-search", &|r| {
        ratio(&r.no_search, &r.hugo)
    });
    row("Torget/Hugo, both --minify", &|r| {
        ratio(&r.minify, &r.hugo_minify)
    });
    if results.iter().any(|r| !r.search_disk.is_empty()) {
        row("Torget/Hugo, with search, on disk", &|r| {
            ratio(&r.search_disk, &r.hugo_disk)
        });
    }
    let edits = |s: &Option<Serve>| match s {
        Some(s) => format!(
            "{:.0} / {:.0} ms (max {:.0}, {:.0} edits)",
            s.p50, s.p90, s.max, s.edits
        ),
        None => "failed".into(),
    };
    let measured = |r: &SizeResult, s: &Option<Serve>| {
        if r.serve_measured {
            edits(s)
        } else {
            "– (--no-serve)".into()
        }
    };
    row("one-item rebuild p50 / p90", &|r| measured(r, &r.serve));
    row("  … serve --no-search", &|r| {
        measured(r, &r.serve_no_search)
    });
    row(
        "serve's first build, until it serves",
        &|r| match &r.serve {
            Some(s) => format!("{:.1} s", s.first_build),
            None => "–".into(),
        },
    );
    row("  … until its first search index is there", &|r| match r
        .serve
        .as_ref()
        .and_then(|s| s.first_index)
    {
        Some(t) => format!("{t:.1} s"),
        None => "–".into(),
    });
    for i in 0..4 {
        let label = results
            .first()
            .and_then(|r| r.first_query.get(i))
            .map(|(lang, word, _)| format!("first search, {lang} `{word}`"))
            .unwrap_or_default();
        row(&label, &|r| match r.first_query.get(i) {
            Some((_, _, Some(q))) => {
                let (served, gz) = q.total();
                format!(
                    "{:.0} KiB ({:.0} KiB gz), {} results",
                    served as f64 / 1024.0,
                    gz as f64 / 1024.0,
                    q.results
                )
            }
            _ => "–".into(),
        });
    }

    let mut out = String::new();
    let width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let col = rows
        .iter()
        .flat_map(|r| r.1.iter().map(|c| c.chars().count()))
        .max()
        .unwrap_or(0)
        .max(12);
    let _ = write!(out, "{:width$}", format!("median of {runs} runs"));
    for r in results {
        let _ = write!(
            out,
            " | {:col$}",
            format!("N = {} × 2 languages", group(r.n))
        );
    }
    out.push('\n');
    for (label, cells) in &rows {
        let _ = write!(out, "{label:width$}");
        for c in cells {
            let _ = write!(out, " | {c:col$}");
        }
        out.push('\n');
    }
    for r in results {
        for (lang, word, q) in &r.first_query {
            if let Some(q) = q {
                let parts: Vec<String> = q
                    .parts
                    .iter()
                    .map(|(name, files, served, gz)| {
                        format!("{name} {files}: {:.1} KiB", *served as f64 / 1024.0)
                            + &if gz != served {
                                format!(" ({:.1} gz)", *gz as f64 / 1024.0)
                            } else {
                                String::new()
                            }
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "N = {}, {lang} `{word}`: {}",
                    group(r.n),
                    parts.join(", ")
                );
            }
        }
        if !r.index_line.is_empty() {
            let _ = writeln!(out, "N = {}, last build: {}", group(r.n), r.index_line);
        }
    }
    if let Some(e) = endpoint {
        let _ = writeln!(
            out,
            "feedback endpoint (64 clients, {} s): {:.0} answers/s, p50 {:.2} ms, p99 {:.2} ms",
            e.seconds, e.answers_per_s, e.p50_ms, e.p99_ms
        );
    }
    out
}

/// 10000 as "10,000".
fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cbor_decodes_what_minicbor_writes_for_pagefind() {
        // [["kommun", [[3, [1, 24]]]], -2, h'00', {}]
        let bytes = [
            0x84, 0x82, 0x66, b'k', b'o', b'm', b'm', b'u', b'n', 0x81, 0x82, 0x03, 0x82, 0x01,
            0x18, 24, 0x21, 0x41, 0x00, 0xa0,
        ];
        let v = Cbor::decode(&bytes, &mut 0).unwrap();
        assert_eq!(
            v.at(0).and_then(|w| w.at(0)).and_then(Cbor::text),
            Some("kommun")
        );
        let page = v.at(0).and_then(|w| w.at(1)).and_then(|p| p.at(0)).unwrap();
        assert_eq!(page.at(0), Some(&Cbor::Uint(3)));
        assert_eq!(page.at(1).and_then(|l| l.at(1)), Some(&Cbor::Uint(24)));
        assert_eq!(v.at(1), Some(&Cbor::Negative(-2)));
        assert_eq!(v.at(2), Some(&Cbor::Bytes(vec![0])));
        assert_eq!(v.at(3), Some(&Cbor::Map(vec![])));
        assert!(Cbor::decode(&[0x82, 0x01], &mut 0).is_err());
    }

    #[test]
    fn figures_are_read_from_what_the_tools_print() {
        let serve = "first build and start: 2.5 s\nfirst search index ready: 7.5 s\n\n\
                     edit of one item's body …\n\
                     all kinds: p50 39 ms, p90 42 ms, max 47 ms over 12 edits\n";
        let s = Serve::parse(serve).unwrap();
        assert_eq!(
            (s.first_build, s.first_index, s.p50, s.p90, s.max, s.edits),
            (2.5, Some(7.5), 39.0, 42.0, 47.0, 12.0)
        );
        let load = "  durable answers: 50000 (0 errors)\n  answers/s:       9470\n  \
                    latency p50:     4.07 ms\n  latency p99:     27.98 ms\n";
        let e = Endpoint::parse(load, 5).unwrap();
        assert_eq!((e.answers_per_s, e.p50_ms, e.p99_ms), (9470.0, 4.07, 27.98));
        assert_eq!(
            number_after("MemTotal:       24567890 kB", "MemTotal:"),
            Some(24567890.0)
        );
        assert_eq!(group(10_000), "10,000");
        assert_eq!(group(999), "999");
    }
}
