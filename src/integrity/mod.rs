//! Evidence integrity (F-AUD-11): the input files a previous report package's
//! `manifest.json` recorded must still be there with the bytes it hashed. Files are followed
//! by content, not by name, because auditd renames them (`audit.log` -> `audit.log.1`) and
//! logrotate compresses them:
//!
//! 1. An archived input is matched to an input of this run with the same bytes (`unchanged`
//!    under its name, `renamed` under another) or the same decompressed content
//!    (`compressed`, `decompressed`, `recompressed`), whatever its name now.
//! 2. Else to an input that starts with its bytes and is longer (`appended`: a live log
//!    that grew, perhaps rotated since).
//! 3. Else it is looked for under its own name and the names rotation gives it
//!    (`audit.log` -> `audit.log.N` or `audit.log-DATE`, `.N` -> `.N+k`, each with or
//!    without `.gz`) among this run's inputs, leaving out files that start after its last
//!    record (newer files that took the name): found with other bytes, it is `changed`
//!    (F-AUD-11, critical); not found, `missing` (F-AUD-11, high).
//!
//! Archived inputs in directories this run does not read, or whose names still exist
//! there without being inputs of this run, are not checked (as before: the check covers
//! this run's inputs). Standard input is never checked.
//!
//! It sits next to [`crate::input`] because it is about input files and nothing else, so
//! both the finding rules (`report --baseline`, `findings --baseline`) and
//! `compare --baseline-manifest` use it.

pub use crate::package::manifest::{is_sha256, read_manifest, Manifest, ManifestInput};

use crate::digest::hex;
use crate::input::{split_rotation, RotationOrder};
use anyhow::Context;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Same path, same bytes.
pub const UNCHANGED: &str = "unchanged";
/// Same bytes under another name (rotation).
pub const RENAMED: &str = "renamed";
/// Same content, now gzip-compressed.
pub const COMPRESSED: &str = "compressed";
/// Same content, no longer compressed.
pub const DECOMPRESSED: &str = "decompressed";
/// Same content, compressed again with other bytes.
pub const RECOMPRESSED: &str = "recompressed";
/// An input starts with its bytes and is longer.
pub const APPENDED: &str = "appended";
/// Found under its name or a rotated name with other bytes: F-AUD-11, critical.
pub const CHANGED: &str = "changed";
/// Found nowhere: F-AUD-11, high.
pub const MISSING: &str = "missing";

/// One archived input of the baseline package, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputCheck {
    /// The path as the manifest states it.
    pub path: String,
    /// One of the statuses above.
    pub status: &'static str,
    /// `F-AUD-11 critical` for `changed`, `F-AUD-11 high` for `missing`, else `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finding: Option<&'static str>,
    /// SHA-256 the manifest recorded.
    pub baseline_sha256: String,
    /// The input it was found as, when not missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_path: Option<String>,
    /// SHA-256 of that input now (empty when missing).
    pub current_sha256: String,
}

impl InputCheck {
    /// The severity of its F-AUD-11 finding (`critical`, `high`), if it is one.
    pub fn severity(&self) -> Option<&'static str> {
        match self.status {
            CHANGED => Some("critical"),
            MISSING => Some("high"),
            _ => None,
        }
    }

    /// Where it is now, for people: `audit.log.1` when it moved, else nothing.
    pub fn moved_to(&self) -> Option<&str> {
        self.current_path.as_deref().filter(|p| *p != self.path)
    }
}

/// Counts by status, in a fixed order, for people: `3 unchanged, 1 renamed`.
pub fn tally(checks: &[InputCheck]) -> String {
    let parts: Vec<String> = [
        UNCHANGED,
        RENAMED,
        COMPRESSED,
        DECOMPRESSED,
        RECOMPRESSED,
        APPENDED,
        CHANGED,
        MISSING,
    ]
    .iter()
    .filter_map(|s| {
        let n = checks.iter().filter(|c| c.status == *s).count();
        (n > 0).then(|| format!("{n} {s}"))
    })
    .collect();
    parts.join(", ")
}

/// One input of this run, as the check sees it: what reading it found (hashes computed on
/// the read-ahead thread, record times), or `None` where unknown (hashed here then).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CurrentFile {
    /// The path as given.
    pub path: PathBuf,
    /// Gzip-compressed.
    pub compressed: bool,
    /// SHA-256 of its bytes as read.
    pub sha256: Option<String>,
    /// Its size as read.
    pub bytes: Option<u64>,
    /// SHA-256 of its decompressed bytes (gzip only).
    pub decompressed_sha256: Option<String>,
    /// Its decompressed size (gzip only).
    pub decompressed_bytes: Option<u64>,
    /// Its earliest record's time, epoch ms.
    pub first_ms: Option<i64>,
    /// Its latest record's time, epoch ms.
    pub last_ms: Option<i64>,
}

impl CurrentFile {
    /// A file known by its path only: hashed when checked.
    pub fn at(path: impl Into<PathBuf>) -> CurrentFile {
        CurrentFile {
            path: path.into(),
            ..CurrentFile::default()
        }
    }

    fn content(&self) -> Option<(&str, u64)> {
        if self.compressed {
            Some((
                self.decompressed_sha256.as_deref()?,
                self.decompressed_bytes?,
            ))
        } else {
            Some((self.sha256.as_deref()?, self.bytes?))
        }
    }

    /// Hashes what is not known yet (raw and, for gzip, decompressed bytes).
    fn complete(&mut self) -> anyhow::Result<()> {
        if self.sha256.is_some() && (!self.compressed || self.decompressed_sha256.is_some()) {
            return Ok(());
        }
        let context = || format!("cannot hash {}", self.path.display());
        let mut f = std::fs::File::open(&self.path).with_context(context)?;
        let (sha, n) = hash_all(&mut f).with_context(context)?;
        (self.sha256, self.bytes) = (Some(sha), Some(n));
        let mut head = [0u8; 2];
        let gz = std::fs::File::open(&self.path)
            .and_then(|mut f| f.read_exact(&mut head))
            .is_ok()
            && head == [0x1f, 0x8b];
        if gz {
            self.compressed = true;
            let f = std::fs::File::open(&self.path).with_context(context)?;
            let (sha, n) =
                hash_all(&mut flate2::read::MultiGzDecoder::new(f)).with_context(context)?;
            (self.decompressed_sha256, self.decompressed_bytes) = (Some(sha), Some(n));
        }
        Ok(())
    }
}

fn hash_all(r: &mut impl Read) -> std::io::Result<(String, u64)> {
    let mut h = Sha256::new();
    let n = std::io::copy(r, &mut h)?;
    Ok((hex(&h.finalize()), n))
}

/// SHA-256 of the first `len` bytes of `r`, for each of `lens` that `r` is long enough for.
fn hash_prefixes(mut r: impl Read, lens: &[u64]) -> std::io::Result<HashMap<u64, String>> {
    let mut want = lens.to_vec();
    want.sort_unstable();
    want.dedup();
    let mut out = HashMap::new();
    let (mut h, mut seen) = (Sha256::new(), 0u64);
    let mut buf = vec![0u8; 1 << 20];
    let mut next = want.into_iter().peekable();
    while let Some(&target) = next.peek() {
        if seen == target {
            out.insert(target, hex(&h.clone().finalize()));
            next.next();
            continue;
        }
        let room = usize::try_from(target - seen).map_or(buf.len(), |t| t.min(buf.len()));
        let n = match r.read(&mut buf[..room]) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => other?,
        };
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        seen += n as u64;
    }
    Ok(out)
}

/// Prefix hashes of one current file by length: of its bytes, and of its content.
struct Prefixes {
    raw: HashMap<u64, String>,
    text: HashMap<u64, String>,
}

/// A path's place among rotations: directory, log name, rotation (`.gz` ignored).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Name {
    dir: PathBuf,
    stem: String,
    order: RotationOrder,
}

impl Name {
    fn of(path: &Path) -> Option<Name> {
        let file = path.file_name()?.to_str()?;
        let file = file.strip_suffix(".gz").unwrap_or(file);
        let (stem, order) = split_rotation(file);
        Some(Name {
            dir: dir_key(path),
            stem: stem.to_string(),
            order,
        })
    }

    /// How many rotations turn `self` (archived) into `later` (0: the same name), when
    /// `later` is a name it can have now.
    fn steps_to(&self, later: &Name) -> Option<u64> {
        use std::cmp::Reverse;
        if self.dir != later.dir || self.stem != later.stem {
            return None;
        }
        match (&self.order, &later.order) {
            (a, b) if a == b => Some(0),
            (RotationOrder::Live, RotationOrder::Numbered(Reverse(m))) => Some(*m),
            (RotationOrder::Live, RotationOrder::Dated(_)) => Some(1),
            (RotationOrder::Numbered(Reverse(n)), RotationOrder::Numbered(Reverse(m))) => {
                m.checked_sub(*n).filter(|k| *k > 0)
            }
            _ => None,
        }
    }
}

/// A directory as compared: resolved when it exists.
fn dir_key(path: &Path) -> PathBuf {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// A path as compared: resolved when it exists, else as written.
fn resolved(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The check of one manifest against this run's inputs (see the module documentation).
struct Matcher<'a> {
    manifest: &'a Manifest,
    current: &'a [CurrentFile],
    /// Each current file's path resolved, and its place among rotations.
    paths: Vec<PathBuf>,
    names: Vec<Option<Name>>,
    /// Each archived input's path resolved, and its place among rotations.
    archived: Vec<(PathBuf, Option<Name>)>,
    /// Which archived input (index into `manifest.inputs`) each current file was matched to.
    claimed: Vec<Option<usize>>,
    found: Vec<Option<InputCheck>>,
}

impl<'a> Matcher<'a> {
    fn new(manifest: &'a Manifest, current: &'a [CurrentFile]) -> Self {
        let archived = manifest
            .inputs
            .iter()
            .map(|a| (resolved(Path::new(&a.path)), Name::of(Path::new(&a.path))))
            .collect();
        Matcher {
            manifest,
            current,
            paths: current.iter().map(|c| resolved(&c.path)).collect(),
            names: current.iter().map(|c| Name::of(&c.path)).collect(),
            archived,
            claimed: vec![None; current.len()],
            found: vec![None; manifest.inputs.len()],
        }
    }

    /// The archived inputs still to place (standard input is never checked).
    fn open(&self) -> Vec<usize> {
        (0..self.manifest.inputs.len())
            .filter(|&i| self.found[i].is_none())
            .filter(|&i| {
                // Standard input cannot be followed; a summary.json (`report --summaries`)
                // is not a log, so its absence later says nothing about the logs.
                let a = &self.manifest.inputs[i];
                a.path != "-" && a.sha256 != "-" && !a.summary
            })
            .collect()
    }

    /// True when archived input `i` and current file `j` are the same path.
    fn same(&self, i: usize, j: usize) -> bool {
        self.archived[i].0 == self.paths[j]
    }

    /// Unclaimed current files in the order they are tried for archived input `a`: the
    /// same path, then its rotated names (fewest rotations first), then the others.
    fn candidates(&self, i: usize) -> Vec<usize> {
        let name = &self.archived[i].1;
        let mut c: Vec<(u64, usize)> = (0..self.current.len())
            .filter(|&j| self.claimed[j].is_none())
            .map(|j| {
                let rank = if self.same(i, j) {
                    0
                } else {
                    match (name, &self.names[j]) {
                        (Some(n), Some(m)) => {
                            n.steps_to(m).map_or(u64::MAX, |k| k.saturating_add(1))
                        }
                        _ => u64::MAX,
                    }
                };
                (rank, j)
            })
            .collect();
        c.sort();
        c.into_iter().map(|(_, j)| j).collect()
    }

    fn place(&mut self, i: usize, j: Option<usize>, status: &'static str) {
        let a = &self.manifest.inputs[i];
        let c = j.map(|j| &self.current[j]);
        self.found[i] = Some(InputCheck {
            path: a.path.clone(),
            status,
            finding: match status {
                CHANGED => Some("F-AUD-11 critical"),
                MISSING => Some("F-AUD-11 high"),
                _ => None,
            },
            baseline_sha256: a.sha256.clone(),
            current_path: c.map(|c| c.path.display().to_string()),
            current_sha256: c.and_then(|c| c.sha256.clone()).unwrap_or_default(),
        });
        if let Some(j) = j {
            self.claimed[j] = Some(i);
        }
    }

    /// Step 1: the same bytes, or the same decompressed content.
    fn by_content(&mut self) {
        // The same path first, so that no other archived copy takes a file's own match.
        for i in self.open() {
            let a = &self.manifest.inputs[i];
            let j = (0..self.current.len()).find(|&j| {
                self.claimed[j].is_none()
                    && self.current[j].sha256.as_deref() == Some(a.sha256.as_str())
                    && self.same(i, j)
            });
            if let Some(j) = j {
                self.place(i, Some(j), UNCHANGED);
            }
        }
        for i in self.open() {
            let a = &self.manifest.inputs[i];
            let content = a.content().map(|(h, _)| h);
            let hit = self.candidates(i).into_iter().find_map(|j| {
                let c = &self.current[j];
                if c.sha256.as_deref() == Some(a.sha256.as_str()) {
                    return Some((j, RENAMED));
                }
                if content.is_some() && c.content().map(|(h, _)| h) == content {
                    return Some((
                        j,
                        match (a.compressed(), c.compressed) {
                            (false, true) => COMPRESSED,
                            (true, false) => DECOMPRESSED,
                            _ => RECOMPRESSED,
                        },
                    ));
                }
                None
            });
            if let Some((j, status)) = hit {
                let status = if status == RENAMED && self.same(i, j) {
                    UNCHANGED
                } else {
                    status
                };
                self.place(i, Some(j), status);
            }
        }
    }

    /// Step 2: an input that starts with its bytes (or content) and is longer.
    fn by_prefix(&mut self) -> anyhow::Result<()> {
        let open: Vec<usize> = self
            .open()
            .into_iter()
            .filter(|&i| self.manifest.inputs[i].bytes > 0)
            .collect();
        if open.is_empty() {
            return Ok(());
        }
        let prefixes = self.read_prefixes(&open)?;
        for i in open {
            let a = &self.manifest.inputs[i];
            let hit = self.candidates(i).into_iter().find(|j| {
                let Some(p) = prefixes.get(j) else {
                    return false;
                };
                let c = &self.current[*j];
                let by_raw = c.bytes.is_some_and(|n| n > a.bytes)
                    && p.raw.get(&a.bytes).is_some_and(|h| *h == a.sha256);
                let by_text = match (a.content(), c.content()) {
                    (Some((h, len)), Some((_, now))) if now > len => {
                        p.text.get(&len).is_some_and(|t| t == h)
                    }
                    _ => false,
                };
                by_raw || by_text
            });
            if let Some(j) = hit {
                self.place(i, Some(j), APPENDED);
            }
        }
        Ok(())
    }

    /// The prefix hashes step 2 needs, by current file: each is read once (raw, and
    /// decompressed for gzip), up to the longest prefix asked of it. A file whose earliest
    /// record is later than the archived file's first cannot start with it: not read.
    fn read_prefixes(&self, open: &[usize]) -> anyhow::Result<HashMap<usize, Prefixes>> {
        let mut wanted: std::collections::BTreeMap<usize, (Vec<u64>, Vec<u64>)> =
            std::collections::BTreeMap::new();
        for &i in open {
            let a = &self.manifest.inputs[i];
            for j in self.candidates(i) {
                let c = &self.current[j];
                if matches!((c.first_ms, a.first_ms), (Some(c), Some(a)) if c > a) {
                    continue;
                }
                let w = wanted.entry(j).or_default();
                if c.bytes.is_some_and(|n| n > a.bytes) {
                    w.0.push(a.bytes);
                }
                if let (Some((_, len)), Some((_, now))) = (a.content(), c.content()) {
                    if now > len {
                        w.1.push(len);
                    }
                }
            }
        }
        let mut out = HashMap::new();
        for (j, (raw, text)) in wanted {
            let c = &self.current[j];
            let context = || format!("cannot hash {}", c.path.display());
            let open = || std::fs::File::open(&c.path).with_context(context);
            let p = if c.compressed {
                Prefixes {
                    raw: hash_prefixes(open()?, &raw).with_context(context)?,
                    text: hash_prefixes(flate2::read::MultiGzDecoder::new(open()?), &text)
                        .with_context(context)?,
                }
            } else {
                let all: Vec<u64> = raw.iter().chain(&text).copied().collect();
                let h = hash_prefixes(open()?, &all).with_context(context)?;
                Prefixes {
                    raw: h.clone(),
                    text: h,
                }
            };
            out.insert(j, p);
        }
        Ok(out)
    }

    /// Step 3: its own name, then a rotated name, among this run's inputs, holding a file
    /// whose records overlap its records in time (a file wholly after or before it is
    /// another file that took the name); else missing, when its directory is read and no
    /// file of those names is left out of the inputs.
    fn by_name(&mut self) {
        for own_name in [true, false] {
            for i in self.open() {
                let a = &self.manifest.inputs[i];
                let Some(name) = Name::of(Path::new(&a.path)) else {
                    continue;
                };
                let hit = self.candidates(i).into_iter().find(|&j| {
                    let c = &self.current[j];
                    let named = if own_name {
                        self.same(i, j)
                    } else {
                        self.names[j]
                            .as_ref()
                            .and_then(|m| name.steps_to(m))
                            .is_some()
                    };
                    named && self.may_be(a, c)
                });
                if let Some(j) = hit {
                    self.place(i, Some(j), CHANGED);
                }
            }
        }
        let dirs: Vec<PathBuf> = self.names.iter().flatten().map(|n| n.dir.clone()).collect();
        for i in self.open() {
            let a = &self.manifest.inputs[i];
            if let Some(name) = Name::of(Path::new(&a.path)) {
                if dirs.contains(&name.dir) && !self.left_out(&name) {
                    self.place(i, None, MISSING);
                }
            }
        }
    }

    /// True unless `c`'s records are all after `a`'s last record (or, for a manifest that
    /// does not have it, after the package was generated) or all before `a`'s first.
    fn may_be(&self, a: &ManifestInput, c: &CurrentFile) -> bool {
        let after = a.last_ms.or(self.manifest.generated_ms());
        let newer = matches!((c.first_ms, after), (Some(f), Some(b)) if f >= b);
        let older = matches!((c.last_ms, a.first_ms), (Some(l), Some(f)) if l < f);
        !newer && !older
    }

    /// True when a file of `name` (itself or rotated) exists but is not an input now.
    fn left_out(&self, name: &Name) -> bool {
        let Ok(entries) = std::fs::read_dir(&name.dir) else {
            return false;
        };
        entries.flatten().any(|e| {
            let path = e.path();
            let named = Name::of(&path).is_some_and(|m| name.steps_to(&m).is_some());
            named && !self.paths.contains(&resolved(&path))
        })
    }
}

/// Checks the manifest's inputs against this run's inputs (see the module documentation),
/// hashing those whose hashes are not known yet. Sorted by path.
pub fn check(manifest: &Manifest, current: &[CurrentFile]) -> anyhow::Result<Vec<InputCheck>> {
    let mut current = current.to_vec();
    for c in current.iter_mut().filter(|c| c.path.as_os_str() != "-") {
        c.complete()?;
    }
    let mut m = Matcher::new(manifest, &current);
    m.by_content();
    m.by_prefix()?;
    m.by_name();
    let mut out: Vec<InputCheck> = m.found.into_iter().flatten().collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

#[cfg(test)]
mod tests;
