//! The evidence package on disk: files are written (and hashed as they are written) into a
//! temporary sibling directory of `--out`, which is renamed into place only when every file
//! is complete, so an interrupted or failed run never leaves a package that looks complete.
//!
//! Writers may run on several threads at once: each file is independent. Files are flushed
//! to disk on a thread of their own (a large one also while it is written), so writers go on
//! while the disk catches up; the package is moved into place only once every file is on
//! disk, and a failed flush fails the run before that.

use super::interrupt;
use super::manifest::ManifestFile;
use super::replace::{self, Ident};
use crate::digest::hex;
use anyhow::Context;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;

/// A file written this far is handed to the flushing thread once more every this many bytes,
/// so that little of it is left to flush when it is complete.
const FLUSH_EVERY: u64 = 16 << 20;

/// What `--out DIR` held when the run started (see [`Target::check`]).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Seen {
    Absent,
    Empty(Ident),
    Package {
        ident: Ident,
        manifest: Option<String>,
    },
}

/// A checked `--out DIR`: what the run may replace there, decided before the (possibly
/// long) work and checked again at the final rename (rules in [`super::replace`]).
#[derive(Clone, Debug)]
pub struct Target {
    out: PathBuf,
    kind: &'static str,
    seen: Seen,
}

impl Target {
    /// Checks `out` for a package of `kind` (`report`, `compare`): absent or empty, or with
    /// `force` a package of that kind; never one of `inputs` or a directory holding one.
    /// Removes partial directories left there by killed runs.
    pub fn check(
        out: &Path,
        kind: &'static str,
        force: bool,
        inputs: &[PathBuf],
    ) -> anyhow::Result<Target> {
        let started = std::time::SystemTime::now();
        let shown = out.display();
        let seen = match std::fs::symlink_metadata(out) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Seen::Absent,
            Err(e) => anyhow::bail!("--out {shown}: {e}"),
            Ok(m) if m.file_type().is_symlink() => {
                anyhow::bail!("--out {shown} is a symbolic link: give the directory it points to")
            }
            Ok(m) if !m.is_dir() => anyhow::bail!("--out {shown} exists and is not a directory"),
            Ok(_) => {
                replace::check_not_input(out, inputs)?;
                let empty = std::fs::read_dir(out)
                    .with_context(|| format!("--out {shown}"))?
                    .next()
                    .is_none();
                if empty {
                    Seen::Empty(replace::ident(out))
                } else if !force {
                    anyhow::bail!(
                        "--out {shown} exists and is not empty: choose another directory or \
                         pass --force to replace the auditrail {kind} package it holds"
                    );
                } else {
                    match replace::package_kind(out) {
                        Ok(k) if k == kind => Seen::Package {
                            ident: replace::ident(out),
                            manifest: replace::manifest_hash(out),
                        },
                        Ok(k) => anyhow::bail!(
                            "--out {shown} holds an auditrail {k} package: --force replaces \
                             only a {kind} package; nothing was deleted"
                        ),
                        Err(why) => anyhow::bail!(
                            "--out {shown} is not an auditrail package ({why}): --force \
                             replaces only a directory auditrail wrote; nothing was deleted"
                        ),
                    }
                }
            }
        };
        for p in replace::sweep(out, started) {
            eprintln!(
                "auditrail: removed {}, left by an interrupted run",
                p.display()
            );
        }
        Ok(Target {
            out: out.to_path_buf(),
            kind,
            seen,
        })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.out
    }

    /// Fails unless `out` is still what [`Target::check`] saw.
    fn still_as_seen(&self) -> anyhow::Result<()> {
        let out = &self.out;
        let same = match &self.seen {
            Seen::Absent => std::fs::symlink_metadata(out).is_err(),
            Seen::Empty(id) => replace::ident(out) == *id && out.is_dir() && !non_empty(out),
            Seen::Package { ident, manifest } => {
                replace::ident(out) == *ident
                    && replace::manifest_hash(out) == *manifest
                    && replace::package_kind(out).is_ok_and(|k| k == self.kind)
            }
        };
        if !same {
            anyhow::bail!(
                "--out {} changed while this run was working (another run writing it?): \
                 nothing was replaced and this run's {} package was discarded",
                out.display(),
                self.kind
            );
        }
        Ok(())
    }
}

/// True when `dir` exists and holds anything.
pub fn non_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some())
}

/// A package being written. Dropped without [`Staging::commit`], it removes what it wrote;
/// an interrupted run removes it too ([`super::interrupt`]).
pub struct Staging {
    tmp: PathBuf,
    target: Target,
    committed: bool,
    /// Files to flush to disk (path, open handle), to [`flusher`]'s thread.
    flush: Option<Sender<(PathBuf, File)>>,
    flushed: Option<JoinHandle<anyhow::Result<()>>>,
}

/// Flushes each file it is handed to disk (`fsync`), in order; the first failure is the
/// result, after the rest are flushed too.
fn flusher() -> (Sender<(PathBuf, File)>, JoinHandle<anyhow::Result<()>>) {
    let (tx, rx) = std::sync::mpsc::channel::<(PathBuf, File)>();
    let thread = std::thread::spawn(move || {
        let mut result = Ok(());
        for (path, file) in rx {
            if let Err(e) = file.sync_all() {
                if result.is_ok() {
                    result = Err(anyhow::anyhow!("cannot write {}: {e}", path.display()));
                }
            }
        }
        result
    });
    (tx, thread)
}

impl Staging {
    /// Creates the temporary directory `.NAME.partial-PID` beside the checked `--out`.
    pub fn create(target: Target) -> anyhow::Result<Staging> {
        let parent = replace::parent_of(&target.out);
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let tmp = replace::sibling(&target.out, "partial")?;
        if tmp.exists() {
            // Left by an earlier process with our pid: removed only if it is ours.
            if replace::package_kind(&tmp).is_err()
                && !std::fs::read(tmp.join(replace::MARKER))
                    .is_ok_and(|m| m == replace::MARKER_TEXT)
            {
                anyhow::bail!(
                    "{} exists and was not written by auditrail: remove or rename it",
                    tmp.display()
                );
            }
            std::fs::remove_dir_all(&tmp)
                .with_context(|| format!("cannot clear {}", tmp.display()))?;
        }
        {
            let mut pending = interrupt::hold();
            std::fs::create_dir(&tmp)
                .with_context(|| format!("cannot create {}", tmp.display()))?;
            pending.push(tmp.clone());
        }
        let (flush, flushed) = flusher();
        let staging = Staging {
            tmp,
            target,
            committed: false,
            flush: Some(flush),
            flushed: Some(flushed),
        };
        std::fs::write(staging.tmp.join(replace::MARKER), replace::MARKER_TEXT)
            .with_context(|| format!("cannot write in {}", staging.tmp.display()))?;
        Ok(staging)
    }

    /// Writes file `name` with `fill` and hands it to be flushed to disk (see the module
    /// documentation); returns its manifest entry.
    pub fn write(
        &self,
        name: &str,
        fill: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
    ) -> anyhow::Result<ManifestFile> {
        if interrupt::interrupted() {
            anyhow::bail!("interrupted");
        }
        let path = self.tmp.join(name);
        let file =
            File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
        // Buffered in front of the hasher, so that it (and the file) see large writes.
        let mut w = BufWriter::with_capacity(
            1 << 20,
            Hashing {
                inner: file,
                hasher: Sha256::new(),
                bytes: 0,
                flush: self.flush.as_ref().map(|tx| (tx, path.as_path())),
                unflushed: 0,
            },
        );
        fill(&mut w)?;
        let Hashing {
            inner: file,
            hasher,
            bytes,
            ..
        } = w
            .into_inner()
            .map_err(|e| anyhow::anyhow!("cannot write {}: {}", path.display(), e.error()))?;
        self.flush_later(&path, file)?;
        Ok(ManifestFile {
            path: name.to_string(),
            bytes,
            sha256: hex(&hasher.finalize()),
        })
    }

    /// Hands `file` to the flushing thread (flushes it here if that thread is gone).
    fn flush_later(&self, path: &Path, file: File) -> anyhow::Result<()> {
        let file = match &self.flush {
            Some(tx) => match tx.send((path.to_path_buf(), file)) {
                Ok(()) => return Ok(()),
                Err(std::sync::mpsc::SendError((_, file))) => file,
            },
            None => file,
        };
        file.sync_all()
            .with_context(|| format!("cannot write {}", path.display()))
    }

    /// Waits until every file handed over is on disk.
    fn wait_flushed(&mut self) -> anyhow::Result<()> {
        drop(self.flush.take());
        match self.flushed.take() {
            Some(t) => t
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("the flushing thread panicked"))),
            None => Ok(()),
        }
    }

    /// Moves the finished package into place. `--out` must still be what
    /// [`Target::check`] saw: absent, the same empty directory, or the same package, which
    /// is moved aside to `.NAME.replaced-PID`, replaced, and removed only after.
    pub fn commit(mut self) -> anyhow::Result<()> {
        self.wait_flushed()?;
        let out = self.target.out.clone();
        let mut pending = interrupt::hold();
        let _ = std::fs::remove_file(self.tmp.join(replace::MARKER));
        self.target.still_as_seen()?;
        let occupied = |e: std::io::Error| {
            anyhow::anyhow!(
                "cannot move the package into {} ({e}): another run wrote it meanwhile? \
                 nothing was replaced and this run's package was discarded",
                out.display()
            )
        };
        match &self.target.seen {
            Seen::Absent | Seen::Empty(_) => std::fs::rename(&self.tmp, &out).map_err(occupied)?,
            Seen::Package { ident, .. } => {
                let aside = replace::sibling(&out, "replaced")?;
                std::fs::rename(&out, &aside)
                    .with_context(|| format!("cannot move {} aside", out.display()))?;
                // The rename moved what was there at that instant: put back anything else.
                if replace::ident(&aside) != *ident {
                    let _ = std::fs::rename(&aside, &out);
                    return Err(occupied(std::io::ErrorKind::Other.into()));
                }
                if let Err(e) = std::fs::rename(&self.tmp, &out) {
                    let _ = std::fs::rename(&aside, &out);
                    return Err(occupied(e));
                }
                pending.push(aside.clone());
                if replace::package_kind(&aside).is_ok() {
                    let _ = std::fs::remove_dir_all(&aside);
                } else {
                    eprintln!(
                        "auditrail: the previous package, moved aside to {}, holds files \
                         auditrail did not write: left there",
                        aside.display()
                    );
                }
                pending.retain(|p| p != &aside);
            }
        }
        pending.retain(|p| p != &self.tmp);
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
            interrupt::unregister(&self.tmp);
        }
    }
}

/// Counts and hashes what passes through to `inner`, handing the file to be flushed every
/// [`FLUSH_EVERY`] bytes.
struct Hashing<'a> {
    inner: File,
    hasher: Sha256,
    bytes: u64,
    flush: Option<(&'a Sender<(PathBuf, File)>, &'a Path)>,
    unflushed: u64,
}

impl Write for Hashing<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        self.unflushed += n as u64;
        if self.unflushed >= FLUSH_EVERY {
            self.unflushed = 0;
            if let (Some((tx, path)), Ok(file)) = (self.flush, self.inner.try_clone()) {
                // A failed hand-over only leaves more to flush at the end.
                let _ = tx.send((path.to_path_buf(), file));
            }
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staging(out: &Path, force: bool) -> anyhow::Result<Staging> {
        Staging::create(Target::check(out, "report", force, &[])?)
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// A package as `report` seals it: the files, then a manifest listing them.
    fn seal(st: &Staging, files: &[(&str, &[u8])]) {
        let outputs: Vec<ManifestFile> = files
            .iter()
            .map(|(n, b)| st.write(n, |w| Ok(w.write_all(b)?)).unwrap())
            .collect();
        let m = serde_json::json!({"tool": {"name": "auditrail"}, "kind": "report", "outputs": outputs});
        st.write(replace::MANIFEST, |w| Ok(serde_json::to_writer(w, &m)?))
            .unwrap();
    }

    #[test]
    fn files_are_hashed_as_written_and_appear_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("pkg");
        let st = staging(&out, false).unwrap();
        let m = st.write("a.txt", |w| Ok(w.write_all(b"hello\n")?)).unwrap();
        assert_eq!(m.bytes, 6);
        assert_eq!(m.sha256, hex(&Sha256::digest(b"hello\n")));
        assert!(!out.exists(), "nothing visible before commit");
        st.commit().unwrap();
        assert_eq!(std::fs::read(out.join("a.txt")).unwrap(), b"hello\n");
        assert_eq!(
            names(&out),
            ["a.txt"],
            "the marker is not part of the package"
        );
        assert_eq!(names(dir.path()), ["pkg"], "no leftovers");
    }

    #[test]
    fn a_file_handed_over_to_be_flushed_while_written_is_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("pkg");
        let st = staging(&out, false).unwrap();
        // Two hand-overs to the flushing thread while the file is written, then the last.
        let chunk = vec![b'x'; 1 << 20];
        let n = 2 * (FLUSH_EVERY >> 20) + 1;
        let m = st
            .write("big.txt", |w| {
                for _ in 0..n {
                    w.write_all(&chunk)?;
                }
                Ok(())
            })
            .unwrap();
        let mut h = Sha256::new();
        for _ in 0..n {
            h.update(&chunk);
        }
        assert_eq!((m.bytes, &m.sha256), (n << 20, &hex(&h.finalize())));
        st.commit().unwrap();
        let written = std::fs::read(out.join("big.txt")).unwrap();
        assert_eq!(hex(&Sha256::digest(&written)), m.sha256);
    }

    #[test]
    fn a_dropped_package_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("pkg");
        {
            let st = staging(&out, false).unwrap();
            st.write("a.txt", |w| Ok(w.write_all(b"x")?)).unwrap();
            let failed = st.write("b.txt", |_| anyhow::bail!("renderer failed"));
            assert!(failed.is_err());
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn force_replaces_a_package_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("pkg");
        let st = staging(&out, false).unwrap();
        seal(&st, &[("report.html", b"one")]);
        st.commit().unwrap();
        let err = staging(&out, false).err().unwrap().to_string();
        assert!(err.contains("--force"), "{err}");
        let st = staging(&out, true).unwrap();
        seal(&st, &[("report.pdf", b"two")]);
        st.commit().unwrap();
        assert_eq!(names(&out), ["manifest.json", "report.pdf"]);
        assert_eq!(names(dir.path()), ["pkg"], "the old package is gone");

        // A file the manifest does not list: refused, nothing deleted.
        std::fs::write(out.join("signed.asc"), b"mine").unwrap();
        let err = staging(&out, true).err().unwrap().to_string();
        assert!(
            err.contains("signed.asc") && err.contains("nothing was deleted"),
            "{err}"
        );
        // A compare package is not replaced by a report.
        let cmp = dir.path().join("cmp");
        std::fs::create_dir(&cmp).unwrap();
        std::fs::write(cmp.join("m.csv"), b"x").unwrap();
        std::fs::write(
            cmp.join(replace::MANIFEST),
            br#"{"tool":{"name":"auditrail"},"kind":"compare","outputs":[{"path":"m.csv"}]}"#,
        )
        .unwrap();
        let err = staging(&cmp, true).err().unwrap().to_string();
        assert!(err.contains("compare package"), "{err}");
        assert!(cmp.join("m.csv").exists());
    }

    #[test]
    fn a_run_never_replaces_what_another_run_wrote_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("pkg");
        // Two runs start while --out does not exist; the first to finish wins.
        let (a, b) = (staging(&out, false).unwrap(), staging(&out, false).unwrap());
        seal(&a, &[("report.html", b"a")]);
        seal(&b, &[("report.html", b"b")]);
        b.commit().unwrap();
        let err = a.commit().unwrap_err().to_string();
        assert!(err.contains("changed while this run was working"), "{err}");
        assert_eq!(std::fs::read(out.join("report.html")).unwrap(), b"b");
        // Two runs replace the same package with --force: the second sees it changed.
        let (a, b) = (staging(&out, true).unwrap(), staging(&out, true).unwrap());
        seal(&a, &[("report.html", b"c")]);
        seal(&b, &[("report.html", b"d")]);
        a.commit().unwrap();
        assert!(b.commit().is_err());
        assert_eq!(std::fs::read(out.join("report.html")).unwrap(), b"c");
        assert_eq!(names(dir.path()), ["pkg"], "no leftovers");
    }
}
