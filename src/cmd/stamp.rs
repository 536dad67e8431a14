//! The generation time stated in generated documents: `--generated-at`, else
//! `SOURCE_DATE_EPOCH`, else now; RFC 3339 in UTC to the second, so two runs with the same
//! stamp give the same bytes.

/// The generation time (see the module documentation).
pub fn generated_at(given: Option<&str>) -> anyhow::Result<String> {
    let t = match given {
        Some(t) => chrono::DateTime::parse_from_rfc3339(t)
            .map_err(|e| {
                anyhow::anyhow!("--generated-at {t}: {e} (use RFC 3339, e.g. 2026-11-02T00:00:00Z)")
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

/// Writes a one-file document: to `out` (through a temporary sibling renamed into place,
/// so a failed run leaves no half-written file; its path is printed on `stdout`), else to
/// `stdout` itself unless it is binary and `stdout` is a terminal.
pub fn write_document(
    bytes: &[u8],
    out: Option<&std::path::Path>,
    binary: bool,
    stdout: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let Some(path) = out else {
        if binary && std::io::stdout().is_terminal() {
            anyhow::bail!("a PDF is not written to a terminal: give --out FILE or redirect");
        }
        stdout.write_all(bytes)?;
        return Ok(());
    };
    if path.is_dir() {
        anyhow::bail!(
            "--out {} is a directory: give the file to write (e.g. {}/compare.{})",
            path.display(),
            path.display(),
            if binary { "pdf" } else { "html" }
        );
    }
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            anyhow::anyhow!("cannot write {}: {e}", path.display())
        })?;
    writeln!(stdout, "{}", path.display())?;
    Ok(())
}
