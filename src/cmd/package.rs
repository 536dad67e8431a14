//! The evidence package on disk: files are written (and hashed as they are written) into a
//! temporary sibling directory of `--out`, which is renamed into place only when every file
//! is complete, so an interrupted or failed run never leaves a package that looks complete.
//!
//! Writers may run on several threads at once: each file is independent.

use crate::digest::hex;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// One file of the package (or an input) as the manifest lists it.
#[derive(Clone, Debug, Serialize)]
pub struct ManifestFile {
    /// Path (inside the package for outputs).
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256, lowercase hex.
    pub sha256: String,
}

/// True when `dir` exists and holds anything.
pub fn non_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some())
}

/// A package being written. Dropped without [`Staging::commit`], it removes what it wrote.
pub struct Staging {
    tmp: PathBuf,
    out: PathBuf,
    committed: bool,
}

impl Staging {
    /// Checks `out` (an existing non-empty directory needs `force`) and creates the
    /// temporary directory beside it.
    pub fn create(out: &Path, force: bool) -> anyhow::Result<Staging> {
        if out.exists() && !out.is_dir() {
            anyhow::bail!("--out {} exists and is not a directory", out.display());
        }
        if non_empty(out) && !force {
            anyhow::bail!(
                "--out {} exists and is not empty: choose another directory or pass --force",
                out.display()
            );
        }
        let name = out
            .file_name()
            .ok_or_else(|| anyhow::anyhow!("--out {}: needs a directory name", out.display()))?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", parent.display()))?;
        let tmp = parent.join(format!(
            ".{}.partial-{}",
            name.to_string_lossy(),
            std::process::id()
        ));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)
                .map_err(|e| anyhow::anyhow!("cannot clear {}: {e}", tmp.display()))?;
        }
        std::fs::create_dir(&tmp)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", tmp.display()))?;
        Ok(Staging {
            tmp,
            out: out.to_path_buf(),
            committed: false,
        })
    }

    /// Writes file `name` with `fill`, flushed to disk; returns its manifest entry.
    pub fn write(
        &self,
        name: &str,
        fill: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
    ) -> anyhow::Result<ManifestFile> {
        let path = self.tmp.join(name);
        let file = std::fs::File::create(&path)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        // Buffered in front of the hasher, so that it (and the file) see large writes.
        let mut w = BufWriter::with_capacity(
            1 << 20,
            Hashing {
                inner: file,
                hasher: Sha256::new(),
                bytes: 0,
            },
        );
        fill(&mut w)?;
        let Hashing {
            inner: file,
            hasher,
            bytes,
        } = w
            .into_inner()
            .map_err(|e| anyhow::anyhow!("cannot write {}: {}", path.display(), e.error()))?;
        file.sync_all()
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        Ok(ManifestFile {
            path: name.to_string(),
            bytes,
            sha256: hex(&hasher.finalize()),
        })
    }

    /// Moves the finished package into place (replacing `out` when allowed at creation).
    pub fn commit(mut self) -> anyhow::Result<()> {
        if self.out.exists() {
            std::fs::remove_dir_all(&self.out)
                .map_err(|e| anyhow::anyhow!("cannot replace {}: {e}", self.out.display()))?;
        }
        std::fs::rename(&self.tmp, &self.out).map_err(|e| {
            anyhow::anyhow!("cannot move the package into {}: {e}", self.out.display())
        })?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Counts and hashes what passes through to `inner`.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_hashed_as_written_and_appear_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("pkg");
        let st = Staging::create(&out, false).unwrap();
        let m = st.write("a.txt", |w| Ok(w.write_all(b"hello\n")?)).unwrap();
        assert_eq!(m.bytes, 6);
        assert_eq!(m.sha256, hex(&Sha256::digest(b"hello\n")));
        assert!(!out.exists(), "nothing visible before commit");
        st.commit().unwrap();
        assert_eq!(std::fs::read(out.join("a.txt")).unwrap(), b"hello\n");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no leftovers"
        );
    }

    #[test]
    fn a_dropped_package_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("pkg");
        {
            let st = Staging::create(&out, false).unwrap();
            st.write("a.txt", |w| Ok(w.write_all(b"x")?)).unwrap();
            let failed = st.write("b.txt", |_| anyhow::bail!("renderer failed"));
            assert!(failed.is_err());
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
