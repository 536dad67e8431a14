//! What a scheduled run of `report` needs to be written once and run every month unchanged
//! (the systemd timer and the cron line in `packaging/`):
//!
//! - `--out DIR/{period}`: `{period}` becomes the period's spec (`2026-10`), so one command
//!   line writes each month's package beside the previous ones;
//! - `--baseline auto`: the previous period's package is the newest auditrail report package
//!   beside `--out` (in its parent directory) whose period ends where this one starts and
//!   has the same form (`2026-09` before `2026-10`, `2026-W39` before `2026-W40`).
//!
//! Never silent: the package used is named in the report's scope; when the directory holds
//! no report package at all (the first run after installing) the report says that no
//! baseline was found and the rules that need one say *not evaluated*. When it holds
//! packages but none of the previous period (a month missing or deleted), that is an error:
//! the chain of months is broken and the run names what it found.

use crate::model::format_ms;
use crate::period::Period;
use anyhow::Context;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The `--baseline` value that asks for the previous period's package.
pub const AUTO: &str = "auto";
/// The `--out` placeholder replaced by the period's spec.
pub const PERIOD_PLACEHOLDER: &str = "{period}";

/// The period's spec with characters unsafe in a file name replaced by `_`.
pub fn file_name(period: &Period) -> String {
    period
        .spec()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// `--out` with `{period}` replaced by the period ([`file_name`]).
pub fn expand_out(out: &Path, period: &Period) -> PathBuf {
    match out.to_str() {
        Some(s) if s.contains(PERIOD_PLACEHOLDER) => {
            PathBuf::from(s.replace(PERIOD_PLACEHOLDER, &file_name(period)))
        }
        _ => out.to_path_buf(),
    }
}

/// The baseline a run uses, and what its report says about it.
#[derive(Debug, PartialEq)]
pub struct Chosen {
    /// The package or summary to read, if any.
    pub path: Option<PathBuf>,
    /// For `--baseline auto`: the sentence the report's scope shows.
    pub note: Option<String>,
}

/// Resolves `--baseline`: a path is used as given; [`AUTO`] is looked up beside `out`.
pub fn resolve(baseline: Option<&Path>, out: &Path, period: &Period) -> anyhow::Result<Chosen> {
    match baseline {
        Some(b) if b == Path::new(AUTO) => find_previous(out, period),
        other => Ok(Chosen {
            path: other.map(Path::to_path_buf),
            note: None,
        }),
    }
}

/// A report package found in the directory.
struct Found {
    dir: PathBuf,
    spec: String,
    end: Option<String>,
    generated_at: String,
}

/// Digits as `9`, everything else kept: `2026-09` and `2026-10` have the same form.
fn form(spec: &str) -> String {
    spec.chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { c })
        .collect()
}

/// The auditrail report packages directly inside `dir` (hidden entries, such as a run's
/// staging directory, are skipped).
fn packages(dir: &Path, out: &Path) -> anyhow::Result<Vec<Found>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => anyhow::bail!("--baseline auto: cannot list {}: {e}", dir.display()),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry =
            entry.with_context(|| format!("--baseline auto: cannot list {}", dir.display()))?;
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if hidden || path == out || !path.is_dir() {
            continue;
        }
        let Ok(text) = std::fs::read(path.join("manifest.json")) else {
            continue;
        };
        let Ok(m) = serde_json::from_slice::<Value>(&text) else {
            continue;
        };
        if m["tool"]["name"] != "auditrail" || m["kind"] != "report" {
            continue;
        }
        let text = |v: &Value| v.as_str().map(str::to_string);
        found.push(Found {
            dir: path,
            spec: text(&m["period"]["spec"]).unwrap_or_default(),
            end: text(&m["period"]["end"]),
            generated_at: text(&m["generated_at"]).unwrap_or_default(),
        });
    }
    Ok(found)
}

fn find_previous(out: &Path, period: &Period) -> anyhow::Result<Chosen> {
    let dir = crate::package::replace::parent_of(out);
    if !period.is_bounded() {
        anyhow::bail!(
            "--baseline auto: the period {} has no start, so it has no previous period; \
             give --period, or --baseline DIR",
            period.spec()
        );
    }
    let start = format_ms(period.start_ms);
    let all = packages(&dir, out)?;
    let previous = all
        .iter()
        .filter(|f| {
            f.end.as_deref() == Some(start.as_str()) && form(&f.spec) == form(period.spec())
        })
        .max_by(|a, b| (&a.generated_at, &a.dir).cmp(&(&b.generated_at, &b.dir)));
    if let Some(p) = previous {
        return Ok(Chosen {
            path: Some(p.dir.clone()),
            note: Some(format!(
                "found by --baseline auto: the newest package of {} in {}",
                p.spec,
                dir.display()
            )),
        });
    }
    if all.is_empty() {
        return Ok(Chosen {
            path: None,
            note: Some(format!(
                "none found by --baseline auto: {} holds no auditrail report package (a \
                 first report); the rules that compare with the previous period are not \
                 evaluated",
                dir.display()
            )),
        });
    }
    let mut specs: Vec<&str> = all.iter().map(|f| f.spec.as_str()).collect();
    specs.sort_unstable();
    specs.dedup();
    anyhow::bail!(
        "--baseline auto: no report package for the period before {} (ending {start}) in {}; \
         it holds packages of {}. Write the missing one (auditrail report --period ... --out \
         {}), or name the baseline with --baseline DIR",
        period.spec(),
        dir.display(),
        specs.join(", "),
        dir.join(PERIOD_PLACEHOLDER).display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(spec: &str) -> Period {
        Period::parse(spec, chrono_tz::UTC, chrono::Utc::now()).unwrap()
    }

    fn package(dir: &Path, name: &str, spec: &str, generated_at: &str) -> PathBuf {
        let p = period(spec);
        let d = dir.join(name);
        std::fs::create_dir_all(&d).unwrap();
        let m = serde_json::json!({
            "tool": {"name": "auditrail"}, "kind": "report", "generated_at": generated_at,
            "period": {"spec": spec, "start": format_ms(p.start_ms), "end": format_ms(p.end_ms)},
        });
        std::fs::write(d.join("manifest.json"), m.to_string()).unwrap();
        d
    }

    #[test]
    fn out_placeholder_is_the_period() {
        let p = period("2026-10");
        assert_eq!(
            expand_out(Path::new("/var/lib/auditrail/reports/{period}"), &p),
            PathBuf::from("/var/lib/auditrail/reports/2026-10")
        );
        assert_eq!(expand_out(Path::new("x"), &p), PathBuf::from("x"));
    }

    #[test]
    fn auto_picks_the_newest_package_of_the_previous_period() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        package(d, "2026-08", "2026-08", "2026-09-01T01:00:00Z");
        package(d, "2026-09", "2026-09", "2026-10-01T01:00:00Z");
        let rerun = package(d, "2026-09-rerun", "2026-09", "2026-10-02T09:00:00Z");
        package(d, "2026-09-30", "2026-09-30", "2026-10-03T09:00:00Z");
        package(d, ".2026-09.partial-1", "2026-09", "2026-10-09T09:00:00Z");
        let out = d.join("2026-10");
        let chosen = resolve(Some(Path::new("auto")), &out, &period("2026-10")).unwrap();
        assert_eq!(chosen.path, Some(rerun));
        assert!(chosen
            .note
            .unwrap()
            .starts_with("found by --baseline auto: the newest package of 2026-09 in "));
    }

    #[test]
    fn no_package_at_all_is_a_first_report_said_in_the_report() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("notes")).unwrap();
        let out = tmp.path().join("2026-10");
        let chosen = resolve(Some(Path::new("auto")), &out, &period("2026-10")).unwrap();
        assert_eq!(chosen.path, None);
        assert!(chosen
            .note
            .unwrap()
            .starts_with("none found by --baseline auto: "));
        // The reports directory not created yet: the same.
        let out = tmp.path().join("missing/2026-10");
        let chosen = resolve(Some(Path::new("auto")), &out, &period("2026-10")).unwrap();
        assert_eq!(chosen.path, None);
    }

    #[test]
    fn a_missing_previous_period_is_an_error_naming_what_is_there() {
        let tmp = tempfile::tempdir().unwrap();
        package(tmp.path(), "2026-08", "2026-08", "2026-09-01T01:00:00Z");
        let out = tmp.path().join("2026-10");
        let err = resolve(Some(Path::new("auto")), &out, &period("2026-10"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("--baseline auto: no report package for the period before 2026-10 (ending 2026-10-01T00:00:00.000Z) in ")
                && err.contains("it holds packages of 2026-08."),
            "{err}"
        );
    }

    #[test]
    fn a_given_path_is_used_as_given() {
        let chosen = resolve(Some(Path::new("prev")), Path::new("o"), &period("2026-10")).unwrap();
        assert_eq!(
            chosen,
            Chosen {
                path: Some(PathBuf::from("prev")),
                note: None
            }
        );
        assert_eq!(
            resolve(None, Path::new("o"), &period("2026-10"))
                .unwrap()
                .path,
            None
        );
    }
}
