//! What an `--out` may replace, decided before the run does its work and again at the final
//! rename: no run deletes what it did not write.
//!
//! - `--out DIR` that does not exist or is empty is written. A non-empty one needs `--force`,
//!   and `--force` replaces only an auditrail package of the same kind (`report` or
//!   `compare`): its `manifest.json` names this tool, and every entry in it is a plain file
//!   that manifest lists (or `manifest.json`, `SHA256SUMS`, `SHA256SUMS.sig`). Anything else (a directory of
//!   logs, a package someone added files to, a symbolic link) is refused and left alone.
//! - `--out FILE` that exists needs `--force` and must be a regular file.
//! - `--out` that is an input of the run, or holds one, is refused even with `--force`:
//!   replacing it would delete the evidence being read. A package *inside* an input
//!   directory is allowed (its files do not look like logs and are listed as skipped).
//! - What `--out` held is remembered (its inode, and its manifest's hash), so a run that
//!   finds it changed at the final rename (another run wrote it meanwhile) gives up instead
//!   of replacing the other run's package.
//! - `.NAME.partial-PID` directories left by an interrupted run (killed before it could
//!   clean up) are removed by the next run for the same `--out`: only when process PID is
//!   gone, the directory is older than this run, and it holds only what a partial package
//!   holds (the marker file this tool writes, or a complete package of ours).

use super::manifest::Manifest;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The package's manifest file.
pub use super::manifest::MANIFEST;
/// The checksum file of a report package.
pub const SUMS: &str = "SHA256SUMS";
/// Written first into every partial directory, removed just before the final rename: what
/// tells the next run that a leftover partial directory is ours.
pub const MARKER: &str = ".auditrail-partial";
/// The marker's content.
pub const MARKER_TEXT: &[u8] =
    b"auditrail partial package: removed when complete, or by the next run\n";

/// A manifest larger than this is not one of ours (a report's lists its inputs and outputs).
const MANIFEST_MAX: u64 = 64 << 20;

/// Identity of a directory entry (device and inode), to notice that it was replaced.
pub type Ident = Option<(u64, u64)>;

/// The identity of `path` itself (a symbolic link is not followed).
#[cfg(unix)]
pub fn ident(path: &Path) -> Ident {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path)
        .ok()
        .map(|m| (m.dev(), m.ino()))
}

/// The identity of `path` itself (not tracked on this platform).
#[cfg(not(unix))]
pub fn ident(_path: &Path) -> Ident {
    None
}

/// The kind of auditrail package `dir` holds (`report` for packages written before the
/// manifest said), or why it is not one (see the module documentation).
pub fn package_kind(dir: &Path) -> Result<String, String> {
    let path = dir.join(MANIFEST);
    let meta = std::fs::symlink_metadata(&path).map_err(|_| format!("it has no {MANIFEST}"))?;
    if !meta.is_file() || meta.len() > MANIFEST_MAX {
        return Err(format!("its {MANIFEST} is not one auditrail writes"));
    }
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read its {MANIFEST}: {e}"))?;
    let v: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("its {MANIFEST} is not JSON ({e})"))?;
    let m = Manifest::from_value(&v)
        .map_err(|e| format!("its {MANIFEST} is not one auditrail writes ({e})"))?;
    if !m.is_ours() {
        return Err(format!("its {MANIFEST} was not written by auditrail"));
    }
    if !v["outputs"].is_array() {
        return Err(format!("its {MANIFEST} lists no outputs"));
    }
    let mut listed: Vec<OsString> =
        vec![MANIFEST.into(), SUMS.into(), super::sign::SIGNATURE.into()];
    listed.extend(m.outputs.iter().map(|o| OsString::from(&o.path)));
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot list it: {e}"))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list it: {e}"))?;
        let name = entry.file_name();
        let file = entry.file_type().is_ok_and(|t| t.is_file());
        if !file || !listed.contains(&name) {
            return Err(format!(
                "it holds {}, which its {MANIFEST} does not list",
                name.to_string_lossy()
            ));
        }
    }
    Ok(m.kind)
}

/// The SHA-256 of `dir/manifest.json`, to notice a package replaced meanwhile.
pub fn manifest_hash(dir: &Path) -> Option<String> {
    crate::digest::sha256_file(&dir.join(MANIFEST)).ok()
}

/// Where `out` is, resolved (its parent resolved when it does not exist yet); `None` when
/// not even its parent exists.
fn resolved(out: &Path) -> Option<PathBuf> {
    if let Ok(p) = std::fs::canonicalize(out) {
        return Some(p);
    }
    let name = out.file_name()?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(parent).ok()?.join(name))
}

/// Refuses an `--out` that is one of `inputs` (paths the run reads: logs, summaries,
/// packages) or holds one of them.
pub fn check_not_input(out: &Path, inputs: &[PathBuf]) -> anyhow::Result<()> {
    let Some(target) = resolved(out) else {
        return Ok(());
    };
    for input in inputs {
        if input.as_os_str() == "-" {
            continue;
        }
        let Ok(read) = std::fs::canonicalize(input) else {
            continue;
        };
        if read == target {
            anyhow::bail!(
                "--out {} is an input of this run: choose an --out outside the inputs \
                 (nothing was written or deleted)",
                out.display()
            );
        }
        if read.starts_with(&target) {
            anyhow::bail!(
                "--out {} holds {}, an input of this run: choose an --out outside the inputs \
                 (nothing was written or deleted)",
                out.display(),
                input.display()
            );
        }
    }
    Ok(())
}

/// The directory `out` lives in (`.` for a bare name).
pub fn parent_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The name of a temporary sibling of `out`: `.NAME.WHAT-PID` (`.NAME.WHAT-PID-N` for the
/// N+1-th of this process, which the library's tests need).
pub fn sibling(out: &Path, what: &str) -> anyhow::Result<PathBuf> {
    static SEQ: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = out.file_name().ok_or_else(|| {
        anyhow::anyhow!("--out {}: needs a file or directory name", out.display())
    })?;
    let mut tmp = format!(".{}.{what}-{}", name.to_string_lossy(), std::process::id());
    match SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed) {
        0 => {}
        n => tmp += &format!("-{n}"),
    }
    Ok(parent_of(out).join(tmp))
}

/// True when process `pid` may still be running (and so may still be writing its partial
/// directory). Without `/proc` this cannot be told: a day-old directory is taken as dead.
fn may_be_running(pid: u32, modified: SystemTime) -> bool {
    if Path::new("/proc/self").exists() {
        return Path::new("/proc").join(pid.to_string()).exists();
    }
    modified
        .elapsed()
        .is_ok_and(|age| age < std::time::Duration::from_secs(86_400))
}

/// A partial directory we wrote: our marker and plain files only, or a complete package
/// of ours (the marker is removed just before the final rename).
fn looks_partial(dir: &Path) -> bool {
    let marker = std::fs::read(dir.join(MARKER)).is_ok_and(|m| m == MARKER_TEXT);
    let only_files = std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .into_iter()
            .all(|e| e.is_ok_and(|e| e.file_type().is_ok_and(|t| t.is_file())))
    });
    (marker && only_files) || package_kind(dir).is_ok()
}

/// Removes `.NAME.partial-PID` directories of `out` left by runs that were killed (see the
/// module documentation), and `.NAME.replaced-PID` packages whose replacement is in place.
/// Returns what it removed.
pub fn sweep(out: &Path, started: SystemTime) -> Vec<PathBuf> {
    let Some(name) = out.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(parent_of(out)) else {
        return Vec::new();
    };
    let partial = format!(".{name}.partial-");
    let replaced = format!(".{name}.replaced-");
    let own = std::process::id();
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let (is_partial, pid) = match (
            file_name.strip_prefix(&partial),
            file_name.strip_prefix(&replaced),
        ) {
            (Some(pid), _) => (true, pid),
            (_, Some(pid)) => (false, pid),
            _ => continue,
        };
        let pid = pid.split_once('-').map_or(pid, |(pid, _)| pid);
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let modified = meta.modified().unwrap_or(SystemTime::now());
        let ours = if is_partial {
            looks_partial(&path)
        } else {
            // The old package moved aside: only once the new one is in place.
            package_kind(&path).is_ok() && package_kind(out).is_ok()
        };
        if pid == own
            || !meta.is_dir()
            || modified >= started
            || may_be_running(pid, modified)
            || !ours
        {
            continue;
        }
        if std::fs::remove_dir_all(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(dir: &Path, kind: Option<&str>, outputs: &[&str]) {
        std::fs::create_dir_all(dir).unwrap();
        let mut m = serde_json::json!({
            "tool": {"name": "auditrail", "version": "0"},
            "outputs": outputs.iter().map(|o| serde_json::json!({"path": o})).collect::<Vec<_>>(),
        });
        if let Some(k) = kind {
            m["kind"] = k.into();
        }
        std::fs::write(dir.join(MANIFEST), m.to_string()).unwrap();
        for o in outputs {
            std::fs::write(dir.join(o), b"x").unwrap();
        }
    }

    #[test]
    fn only_a_directory_of_listed_files_is_a_package() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("pkg");
        package(&p, None, &["report.html"]);
        assert_eq!(
            package_kind(&p).unwrap(),
            "report",
            "older packages say no kind"
        );
        std::fs::write(p.join(SUMS), b"").unwrap();
        assert!(package_kind(&p).is_ok());
        std::fs::write(p.join("notes.txt"), b"mine").unwrap();
        assert!(package_kind(&p).unwrap_err().contains("notes.txt"));

        let c = tmp.path().join("cmp");
        package(&c, Some("compare"), &["metrics.csv"]);
        assert_eq!(package_kind(&c).unwrap(), "compare");
        std::fs::create_dir(c.join("sub")).unwrap();
        assert!(package_kind(&c).is_err(), "a subdirectory is not ours");

        let logs = tmp.path().join("logs");
        std::fs::create_dir(&logs).unwrap();
        std::fs::write(logs.join("audit.log"), b"x").unwrap();
        assert!(package_kind(&logs)
            .unwrap_err()
            .contains("no manifest.json"));
        std::fs::write(
            logs.join(MANIFEST),
            br#"{"tool":{"name":"other"},"outputs":[]}"#,
        )
        .unwrap();
        assert!(package_kind(&logs)
            .unwrap_err()
            .contains("not written by auditrail"));
        std::fs::write(
            logs.join(MANIFEST),
            br#"{"tool":{"name":"auditrail"},"outputs":[{"path":"../x"}]}"#,
        )
        .unwrap();
        assert!(package_kind(&logs).is_err());
    }

    #[test]
    fn inputs_cannot_be_or_be_inside_the_out() {
        let tmp = tempfile::tempdir().unwrap();
        let logs = tmp.path().join("logs");
        std::fs::create_dir(&logs).unwrap();
        let log = logs.join("audit.log");
        std::fs::write(&log, b"x").unwrap();
        let msg = |out: &Path, inputs: &[PathBuf]| {
            check_not_input(out, inputs).map_err(|e| e.to_string())
        };
        assert!(msg(&logs, std::slice::from_ref(&logs))
            .unwrap_err()
            .contains("is an input"));
        assert!(msg(&logs, std::slice::from_ref(&log))
            .unwrap_err()
            .contains("holds"));
        assert!(msg(&log, std::slice::from_ref(&log))
            .unwrap_err()
            .contains("is an input"));
        // Through another spelling of the same path.
        let odd = logs.join("../logs");
        assert!(msg(&odd, std::slice::from_ref(&log)).is_err());
        // A new directory inside the logs' directory, or beside it, is fine.
        assert!(msg(&logs.join("pkg"), std::slice::from_ref(&logs)).is_ok());
        assert!(msg(&tmp.path().join("pkg"), &[logs.clone(), "-".into()]).is_ok());
    }

    #[test]
    fn the_sweep_removes_only_dead_partial_directories_of_ours() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("pkg");
        // No process has this pid (above the kernel's pid_max).
        let dead = |what: &str| tmp.path().join(format!(".pkg.{what}-4194305"));
        let stale = dead("partial");
        std::fs::create_dir(&stale).unwrap();
        std::fs::write(stale.join(MARKER), MARKER_TEXT).unwrap();
        std::fs::write(stale.join("report.pdf"), b"half").unwrap();
        // Similar names that are not ours: no marker, another name, a live pid.
        let foreign = tmp.path().join(".pkg.partial-4194306");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), b"mine").unwrap();
        let other = tmp.path().join(".pkg2.partial-4194305");
        std::fs::create_dir(&other).unwrap();
        std::fs::write(other.join(MARKER), MARKER_TEXT).unwrap();
        let live = tmp
            .path()
            .join(format!(".pkg.partial-{}", std::process::id()));
        std::fs::create_dir(&live).unwrap();
        std::fs::write(live.join(MARKER), MARKER_TEXT).unwrap();
        // An old package moved aside is removed only once a package is in place.
        let aside = dead("replaced");
        package(&aside, None, &["report.html"]);

        let later = SystemTime::now() + std::time::Duration::from_secs(5);
        assert_eq!(
            sweep(&out, SystemTime::UNIX_EPOCH),
            Vec::<PathBuf>::new(),
            "too new"
        );
        assert_eq!(sweep(&out, later), vec![stale.clone()]);
        assert!(foreign.join("keep.txt").exists() && other.exists() && live.exists());
        assert!(aside.exists(), "no package at --out yet");
        package(&out, None, &["report.html"]);
        assert_eq!(sweep(&out, later), vec![aside]);
    }
}
