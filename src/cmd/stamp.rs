//! The generation time stated in generated documents: `--generated-at`, else
//! `SOURCE_DATE_EPOCH`, else now; RFC 3339 in UTC to the second, so two runs with the same
//! stamp give the same bytes. Also one-file output (`--out FILE`).

use anyhow::Context;
use std::path::{Path, PathBuf};

/// The generation time (see the module documentation).
pub fn generated_at(given: Option<&str>) -> anyhow::Result<String> {
    let t = match given {
        Some(t) => chrono::DateTime::parse_from_rfc3339(t)
            .with_context(|| {
                format!("--generated-at {t} (use RFC 3339, e.g. 2026-11-02T00:00:00Z)")
            })?
            .with_timezone(&chrono::Utc),
        None => match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(s) => {
                let secs: i64 = s.trim().parse().map_err(|_| {
                    anyhow::anyhow!("SOURCE_DATE_EPOCH={s}: expected seconds since 1970")
                })?;
                chrono::DateTime::from_timestamp(secs, 0)
                    .ok_or_else(|| anyhow::anyhow!("SOURCE_DATE_EPOCH={s}: out of range"))?
            }
            Err(_) => chrono::Utc::now(),
        },
    };
    Ok(t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// A checked one-file `--out` (rules in [`crate::package::replace`]): absent, or with `force` a
/// regular file that is not one of the run's inputs; checked before the run does its work
/// and again when the file is renamed into place.
#[derive(Clone, Debug)]
pub struct OutFile {
    path: PathBuf,
    /// The identity of the file to replace; `None` when there was none.
    replaces: Option<crate::package::replace::Ident>,
}

impl OutFile {
    /// Checks `path` (`binary` only names the example in the error for a directory).
    pub fn check(
        path: &Path,
        force: bool,
        binary: bool,
        inputs: &[PathBuf],
    ) -> anyhow::Result<OutFile> {
        use crate::package::replace;
        let shown = path.display();
        if path.is_dir() {
            anyhow::bail!(
                "--out {shown} is a directory: give the file to write (e.g. {shown}/compare.{})",
                if binary { "pdf" } else { "html" }
            );
        }
        replace::check_not_input(path, inputs)?;
        let replaces = match std::fs::symlink_metadata(path) {
            Err(_) => None,
            Ok(m) if !m.is_file() => {
                anyhow::bail!("--out {shown} exists and is not a regular file: nothing was written")
            }
            Ok(_) if !force => {
                anyhow::bail!(
                    "--out {shown} exists: choose another file or pass --force to replace it"
                )
            }
            Ok(_) => Some(replace::ident(path)),
        };
        Ok(OutFile {
            path: path.to_path_buf(),
            replaces,
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `bytes` through a temporary sibling `.NAME.partial-PID` (removed on failure or
    /// interruption), then moves it into place if `--out` is still what was checked.
    pub fn write(&self, bytes: &[u8]) -> anyhow::Result<()> {
        use std::io::Write;
        self.write_with(|file| {
            file.write_all(bytes)
                .with_context(|| format!("cannot write {}", self.path.display()))
        })
    }

    /// [`OutFile::write`] with the content streamed by `fill` into the temporary sibling.
    pub fn write_with(
        &self,
        fill: impl FnOnce(&mut std::fs::File) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        use crate::package::{interrupt, replace};
        let tmp = replace::sibling(&self.path, "partial")?;
        let shown = self.path.display();
        let mut file = {
            let mut pending = interrupt::hold();
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp)
                .with_context(|| format!("cannot write {}", tmp.display()))?;
            pending.push(tmp.clone());
            file
        };
        let done = (|| -> anyhow::Result<()> {
            fill(&mut file)?;
            file.sync_all()
                .with_context(|| format!("cannot write {shown}"))?;
            let _held = interrupt::hold();
            let changed = || {
                anyhow::anyhow!(
                    "--out {shown} changed while this run was working (another run writing \
                     it?): nothing was replaced"
                )
            };
            match self.replaces {
                // A hard link never replaces a file that appeared meanwhile.
                None => match std::fs::hard_link(&tmp, &self.path) {
                    Ok(()) => Ok(()),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(changed()),
                    Err(_) if self.path.exists() => Err(changed()),
                    Err(_) => std::fs::rename(&tmp, &self.path)
                        .with_context(|| format!("cannot write {shown}")),
                },
                Some(id) if replace::ident(&self.path) != id => Err(changed()),
                Some(_) => std::fs::rename(&tmp, &self.path)
                    .with_context(|| format!("cannot write {shown}")),
            }
        })();
        let _ = std::fs::remove_file(&tmp);
        interrupt::unregister(&tmp);
        done
    }
}

/// Writes a one-file document: to `out` (see [`OutFile::write`]; its path is printed on
/// `stdout`), else to `stdout` itself unless it is binary and `stdout` is a terminal.
pub fn write_document(
    bytes: &[u8],
    out: Option<&OutFile>,
    binary: bool,
    stdout: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let Some(out) = out else {
        if binary && std::io::stdout().is_terminal() {
            anyhow::bail!("a PDF is not written to a terminal: give --out FILE or redirect");
        }
        stdout.write_all(bytes)?;
        return Ok(());
    };
    out.write(bytes)?;
    writeln!(stdout, "{}", out.path().display())?;
    Ok(())
}
