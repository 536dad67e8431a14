//! Input paths -> the ordered list of files to read, with their input groups.
//!
//! Directories are walked (sorted, recursively); names that look like audit logs are taken,
//! other files listed as skipped, non-regular entries listed and never opened. Rotations of
//! one log are ordered oldest first (see the module documentation of [`crate::input`]).

use super::error::{open_error, InputError};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The default log directory when no input is given.
pub const DEFAULT_DIR: &str = "/var/log/audit/";

/// One input to read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputFile {
    /// The path as the user will recognise it (`-` for standard input).
    pub path: PathBuf,
    /// The input group (see the module documentation).
    pub group: u32,
}

/// The inputs to read, in order, and the files that were looked at but not taken.
#[derive(Clone, Debug, Default, Serialize)]
pub struct InputSet {
    /// Files to read, in reading order.
    pub files: Vec<InputFile>,
    /// Files inside given directories that do not look like audit logs.
    pub skipped: Vec<PathBuf>,
    /// Entries inside given directories that are not regular files (FIFOs, sockets,
    /// devices, broken links): never opened.
    pub not_regular: Vec<NotRegular>,
}

/// A directory entry that is not a regular file, and what it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotRegular {
    /// Its path.
    pub path: PathBuf,
    /// `fifo`, `socket`, `character device`, `block device`, `broken link` or `other`.
    pub kind: &'static str,
}

/// What a directory entry is, following symbolic links: `None` for a regular file or a
/// directory, else the kind of [`NotRegular`] entry.
fn irregular_kind(path: &Path) -> Option<&'static str> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Some("broken link");
    };
    if meta.is_file() || meta.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return Some("fifo");
        }
        if t.is_socket() {
            return Some("socket");
        }
        if t.is_char_device() {
            return Some("character device");
        }
        if t.is_block_device() {
            return Some("block device");
        }
    }
    Some("other")
}

/// True for an input that is read once as a stream: standard input, or anything that is
/// not a regular file (a FIFO or device named on the command line). Its lines cannot be
/// read again by seeking.
pub fn is_stream(path: &Path) -> bool {
    path.as_os_str() == "-" || !std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

impl InputSet {
    /// A label per input group, for hosts whose records carry no node name: `(local)` when
    /// only one group exists, else `(local) PATH` with the log's path without its rotation
    /// suffix (`(local) evidence/host1/audit.log`).
    pub fn group_labels(&self) -> Vec<String> {
        let groups = self
            .files
            .iter()
            .map(|f| f.group)
            .max()
            .map_or(0, |g| g as usize + 1);
        if groups <= 1 {
            return vec!["(local)".to_string(); groups];
        }
        let mut labels = vec![String::new(); groups];
        for f in &self.files {
            let label = &mut labels[f.group as usize];
            if label.is_empty() {
                let ((dir, stem), _) = group_key(&f.path);
                *label = if f.path.as_os_str() == "-" {
                    "(local) stdin".to_string()
                } else {
                    format!("(local) {}", dir.join(stem).display())
                };
            }
        }
        labels
    }
}

/// Expands the user's paths (or the default directory) into an ordered [`InputSet`].
pub fn collect(paths: &[PathBuf]) -> Result<InputSet, InputError> {
    let defaulted = paths.is_empty();
    let default = [PathBuf::from(DEFAULT_DIR)];
    let paths = if defaulted { &default[..] } else { paths };
    let mut set = InputSet::default();
    let mut groups: HashMap<(PathBuf, String), u32> = HashMap::new();
    let mut explicit: Vec<PathBuf> = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            flush_explicit(&mut explicit, &mut set, &mut groups);
            let group = groups.len() as u32;
            groups.insert((PathBuf::from("-"), format!("stdin{group}")), group);
            set.files.push(InputFile {
                path: p.clone(),
                group,
            });
            continue;
        }
        let meta = std::fs::metadata(p).map_err(|e| open_error(p, e))?;
        if meta.is_dir() {
            flush_explicit(&mut explicit, &mut set, &mut groups);
            let before = set.files.len();
            walk_dir(p, &mut set, &mut groups)?;
            if set.files.len() == before {
                return Err(InputError::Empty(p.clone()));
            }
        } else {
            explicit.push(p.clone());
        }
    }
    flush_explicit(&mut explicit, &mut set, &mut groups);
    Ok(set)
}

/// Adds explicitly named files, each run of one group ordered oldest rotation first.
fn flush_explicit(
    files: &mut Vec<PathBuf>,
    set: &mut InputSet,
    groups: &mut HashMap<(PathBuf, String), u32>,
) {
    add_ordered(std::mem::take(files), set, groups);
}

fn add_ordered(
    files: Vec<PathBuf>,
    set: &mut InputSet,
    groups: &mut HashMap<(PathBuf, String), u32>,
) {
    // Order of first appearance of each group, then rotation order inside it (a hash map:
    // a directory of a million single-file logs is a million groups).
    let mut first_seen: Vec<(PathBuf, String)> = Vec::new();
    let mut seen_at: HashMap<(PathBuf, String), usize> = HashMap::new();
    let mut keyed: Vec<(usize, RotationOrder, PathBuf)> = files
        .into_iter()
        .map(|p| {
            let (gk, order) = group_key(&p);
            let idx = *seen_at.entry(gk.clone()).or_insert_with(|| {
                first_seen.push(gk);
                first_seen.len() - 1
            });
            (idx, order, p)
        })
        .collect();
    keyed.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    for (idx, _, path) in keyed {
        let next = groups.len() as u32;
        let group = *groups.entry(first_seen[idx].clone()).or_insert(next);
        set.files.push(InputFile { path, group });
    }
}

fn walk_dir(
    dir: &Path,
    set: &mut InputSet,
    groups: &mut HashMap<(PathBuf, String), u32>,
) -> Result<(), InputError> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| open_error(dir, e))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(|e| open_error(dir, e))?;
    entries.sort();
    let mut logs = Vec::new();
    let mut subdirs = Vec::new();
    for path in entries {
        if let Some(kind) = irregular_kind(&path) {
            set.not_regular.push(NotRegular { path, kind });
        } else if path.is_dir() {
            subdirs.push(path);
        } else if looks_like_log(&path) {
            logs.push(path);
        } else {
            set.skipped.push(path);
        }
    }
    add_ordered(logs, set, groups);
    for sub in subdirs {
        walk_dir(&sub, set, groups)?;
    }
    Ok(())
}

/// True for names like `audit.log`, `audit.log.3`, `audit.log-20261001`, `x.log`, each
/// optionally ending in `.gz`.
pub fn looks_like_log(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let name = name.strip_suffix(".gz").unwrap_or(name);
    let (stem, _) = split_rotation(name);
    stem.ends_with(".log") || stem.starts_with("audit")
}

/// Sort key for rotations of one log: dated names by date, then `.N` by descending N, then
/// the live file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum RotationOrder {
    Dated(String),
    Numbered(std::cmp::Reverse<u64>),
    Live,
}

/// Splits `audit.log.3` into (`audit.log`, Numbered(3)) and `audit.log-20261001` into
/// (`audit.log`, Dated("20261001")).
pub(crate) fn split_rotation(name: &str) -> (&str, RotationOrder) {
    if let Some((stem, n)) = name.rsplit_once('.') {
        if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(n) = n.parse::<u64>() {
                return (stem, RotationOrder::Numbered(std::cmp::Reverse(n)));
            }
        }
    }
    if let Some((stem, d)) = name.rsplit_once('-') {
        if d.len() >= 8
            && d.bytes()
                .all(|b| b.is_ascii_digit() || b == b'_' || b == b'T')
            && stem.ends_with(".log")
        {
            return (stem, RotationOrder::Dated(d.to_string()));
        }
    }
    (name, RotationOrder::Live)
}

fn group_key(path: &Path) -> ((PathBuf, String), RotationOrder) {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let (stem, order) = split_rotation(name);
    ((dir, stem.to_string()), order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_order_is_oldest_first() {
        let files: Vec<PathBuf> = [
            "d/audit.log",
            "d/audit.log.1",
            "d/audit.log.10",
            "d/audit.log.2",
            "d/audit.log-20260901.gz",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let mut set = InputSet::default();
        add_ordered(files, &mut set, &mut HashMap::new());
        let names: Vec<_> = set
            .files
            .iter()
            .map(|f| f.path.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            vec![
                "d/audit.log-20260901.gz",
                "d/audit.log.10",
                "d/audit.log.2",
                "d/audit.log.1",
                "d/audit.log"
            ]
        );
        assert!(set.files.iter().all(|f| f.group == 0));
    }

    /// Grouping is linear in the number of logs (it was a search per file: a directory of
    /// 100,000 single-file logs took minutes); 8 times the logs take about 8 times as long
    /// (a search per file: 64 times). Small and large runs alternate and the fastest of each
    /// counts, so a busy machine slows both.
    #[test]
    fn grouping_time_is_linear_in_logs() {
        let time = |n: u64| {
            let n = n as usize;
            let files: Vec<PathBuf> = (0..n)
                .map(|i| PathBuf::from(format!("d/h{i}.log")))
                .collect();
            let mut set = InputSet::default();
            let t = std::time::Instant::now();
            add_ordered(files, &mut set, &mut HashMap::new());
            let took = t.elapsed().as_secs_f64();
            assert_eq!(set.files.last().map(|f| f.group as usize), Some(n - 1));
            took
        };
        let (small, large) = crate::timing::fastest_pair(7, 8_000, 64_000, time);
        assert!(
            large < 32.0 * small,
            "8k logs {small:.4} s, 64k {large:.4} s"
        );
    }

    #[test]
    fn different_logs_get_different_groups() {
        let files: Vec<PathBuf> = ["a/audit.log", "b/audit.log", "a/other.log"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let mut set = InputSet::default();
        add_ordered(files, &mut set, &mut HashMap::new());
        let groups: Vec<_> = set.files.iter().map(|f| f.group).collect();
        assert_eq!(groups, vec![0, 1, 2]);
    }

    #[test]
    fn log_names() {
        for ok in [
            "audit.log",
            "audit.log.1",
            "audit.log-20261001",
            "audit.log.2.gz",
            "x.log",
            "USER_LOGIN.log",
        ] {
            assert!(looks_like_log(Path::new(ok)), "{ok}");
        }
        for no in ["README.md", "notes.txt", "generate.py"] {
            assert!(!looks_like_log(Path::new(no)), "{no}");
        }
    }
}
