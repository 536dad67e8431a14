//! Helpers shared by the integration tests.

use auditrail::input::{self, InputSet};
use auditrail::parse::{read_events, Event, InputQuality, ReadOptions};
use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `$AUDITRAIL_CORPUS`, else `../shared/corpus`, if present; `None` (and a message) when it is
/// absent, as on a user's clone. Tests that need it are also marked `ignored` then (build.rs).
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("AUDITRAIL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/corpus"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipping: ../shared/corpus is not present (it is only on the developers' machines)"
        );
        None
    }
}

/// A summary of one event that is easy to compare: key and record lines.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct EventSig {
    pub node: Option<Vec<u8>>,
    pub sec: u64,
    pub ms: u16,
    pub serial: u32,
    pub lines: Vec<Vec<u8>>,
}

pub fn sig(ev: &Event) -> EventSig {
    let s = ev.stamp();
    EventSig {
        node: ev.node().map(<[u8]>::to_vec),
        sec: s.sec,
        ms: s.ms,
        serial: s.serial,
        lines: (0..ev.len()).map(|i| ev.line(i).to_vec()).collect(),
    }
}

/// Reads `paths` and returns the event signatures and the quality.
pub fn read_paths(paths: &[PathBuf]) -> (Vec<EventSig>, InputQuality) {
    let set = input::collect(paths).expect("inputs");
    read_set(&set)
}

pub fn read_set(set: &InputSet) -> (Vec<EventSig>, InputQuality) {
    let mut out = Vec::new();
    let q = read_events(set, &ReadOptions::default(), &mut |ev: &Event| {
        out.push(sig(ev))
    })
    .expect("read");
    (out, q)
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

/// Whether `name` runs; says how to install it when not (the test then skips).
pub fn tool(name: &str) -> bool {
    let ok = std::process::Command::new(name).arg("-v").output().is_ok();
    if !ok {
        eprintln!("skipping: {name} not installed (apt-get install -y poppler-utils)");
    }
    ok
}

/// `pdftotext -layout` of a PDF.
pub fn pdf_text(pdf: &Path) -> String {
    let o = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The page count `pdfinfo` reports.
pub fn pdf_pages(pdf: &Path) -> usize {
    let o = std::process::Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// The `generate` example, built next to the test binary by a plain `cargo test`; `None`
/// (and a message) when it is not built.
pub fn generator() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?.parent()?.join("examples");
    let bin = dir.join(format!("generate{}", std::env::consts::EXE_SUFFIX));
    if bin.is_file() {
        Some(bin)
    } else {
        eprintln!(
            "skipping: {} is not built (plain `cargo test` builds it)",
            bin.display()
        );
        None
    }
}

/// Runs `cmd`, requires it to succeed (naming its stderr otherwise); its stdout.
pub fn stdout_ok(cmd: &mut assert_cmd::Command) -> Vec<u8> {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The binary, with no site configuration to find: `AUDITRAIL_CONFIG` removed and the
/// system and user directories pointed at a path that does not exist, so that a package
/// installed on the machine (`/etc/auditrail/auditrail.toml`) or a developer's own
/// `~/.config/auditrail/auditrail.toml` cannot change what the tests see.
pub fn auditrail() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("auditrail").unwrap();
    c.env_remove("AUDITRAIL_CONFIG")
        .env("AUDITRAIL_SYSCONFDIR", "/nonexistent/auditrail-tests/etc")
        .env("XDG_CONFIG_HOME", "/nonexistent/auditrail-tests/xdg");
    c
}
