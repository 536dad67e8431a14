//! `auditrail report`: reads the logs once, builds the [`Report`] view model and writes the
//! evidence package (HTML, PDF, CSV, JSON, manifest and checksums) atomically.
//!
//! It is the only place that knows both the pipeline and the package layout: the package is
//! written into a temporary directory next to `--out` and renamed into place at the end, so
//! an interrupted run leaves no package that looks complete. Every input file and every
//! output file is hashed (SHA-256) into `manifest.json` and `SHA256SUMS`.
//!
//! Controls and findings come from `policy::assess` over the summary (the site configuration
//! and the selected policies); `report::assessment` turns them into the report's rows, with
//! each evidence item's raw line read back from its file:line.

use crate::cli::{ReportArgs, ReportFormat};
use crate::period::Period;
use crate::pipeline;
use crate::policy;
use crate::render::{self, OutputFile};
use crate::report::{build_report, PolicyRef, Report, ReportInputs, ReportMeta};
use anyhow::Context;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Inputs larger than this in total get a progress bar (when stderr is a terminal).
const PROGRESS_MIN_BYTES: u64 = 8 << 20;

/// Hex SHA-256 of a file, streamed.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex(&h.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex SHA-256 of bytes.
pub fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The generation time: `--generated-at`, else `SOURCE_DATE_EPOCH`, else now (RFC 3339, UTC,
/// seconds).
fn generated_at(args: &ReportArgs) -> anyhow::Result<String> {
    let t = match &args.generated_at {
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

/// `./auditrail-report-<spec>` with characters unsafe in file names replaced.
fn default_out(period: &Period) -> PathBuf {
    let spec: String = period
        .spec()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    PathBuf::from(format!("auditrail-report-{spec}"))
}

/// A progress bar over `total` bytes, or a hidden one.
fn progress_bar(total: u64, quiet: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if quiet || total < PROGRESS_MIN_BYTES || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

#[derive(Serialize)]
struct ManifestFile {
    path: String,
    bytes: u64,
    sha256: String,
}

#[derive(Serialize)]
struct Manifest<'a> {
    schema_version: u32,
    tool: &'a crate::report::ToolInfo,
    command_line: Vec<String>,
    generated_at: &'a str,
    period: &'a crate::report::PeriodView,
    inputs: Vec<ManifestFile>,
    policies: &'a [PolicyRef],
    config: Option<ManifestFile>,
    outputs: Vec<ManifestFile>,
}

/// Everything read and computed before rendering.
struct Evidence {
    meta: ReportMeta,
    period: Period,
    hashes: Vec<Option<String>>,
    summary: crate::aggregate::Summary,
    quality: crate::parse::InputQuality,
    inputs: Vec<ManifestFile>,
    config: Option<ManifestFile>,
    assessment: policy::Assessment,
    files: Vec<crate::input::InputFile>,
}

fn read_evidence(args: &ReportArgs, period: Period) -> anyhow::Result<Evidence> {
    let inputs = args.input.collect()?;
    let site = pipeline::site(args.config.as_deref())?;
    let terminations = site.terminations()?;
    let selected = policy::select(&args.policy)?;
    let opts = pipeline::SummaryOptions {
        names: args.names.resolver()?,
        silence_ms: pipeline::hours_ms(site.thresholds.silent_hours),
        aureport: false,
    };
    let paths: Vec<PathBuf> = inputs.files.iter().map(|f| f.path.clone()).collect();
    let total: u64 = paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let bar = progress_bar(total, args.quiet);
    let (mut base, mut last) = (0u64, 0u64);
    let mut progress = |n: u64| {
        if n < last {
            base += last;
        }
        last = n;
        bar.set_position(base + n);
    };
    // Input hashes are computed on another thread while the logs are parsed.
    let (read, hashes) = std::thread::scope(|scope| {
        let hasher = scope.spawn(|| {
            paths
                .iter()
                .map(|p| {
                    if p.as_os_str() == "-" {
                        Ok(None)
                    } else {
                        sha256_file(p)
                            .map(Some)
                            .with_context(|| format!("cannot hash {}", p.display()))
                    }
                })
                .collect::<anyhow::Result<Vec<Option<String>>>>()
        });
        let read = pipeline::summarize(
            &inputs,
            &args.input.read_options(),
            period.clone(),
            opts,
            &mut progress,
        );
        let hashes = hasher
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("input hashing thread failed")));
        (read, hashes)
    });
    bar.finish_and_clear();
    let (summary, quality) = read?;
    let hashes = hashes?;

    let baseline = pipeline::baseline(args.baseline.as_deref(), &paths, &hashes)?;
    let assessment = policy::assess(&summary, &site, &terminations, baseline.as_ref(), &selected);
    let policies = selected
        .iter()
        .map(|p| PolicyRef {
            path: p.origin.clone(),
            version: format!("{} {}", p.framework, p.version),
            sha256: p.sha256.clone(),
        })
        .collect();
    let config = match &args.config {
        Some(p) => Some(ManifestFile {
            path: p.display().to_string(),
            bytes: std::fs::metadata(p)
                .with_context(|| format!("cannot read --config {}", p.display()))?
                .len(),
            sha256: sha256_file(p)?,
        }),
        None => None,
    };
    let mut options = vec![
        (
            "Silence threshold".to_string(),
            format!("{} h", site.thresholds.silent_hours),
        ),
        (
            "Event timeout".to_string(),
            format!("{} s", args.input.eoe_timeout),
        ),
    ];
    for (name, p) in [
        ("passwd file", &args.names.passwd),
        ("group file", &args.names.group),
    ] {
        if let Some(p) = p {
            options.push((name.to_string(), p.display().to_string()));
        }
    }
    let meta = ReportMeta {
        title: args.title.clone(),
        organization: args.organization.clone(),
        reviewer: args.reviewer.clone(),
        approver: args.approver.clone(),
        generated_at: generated_at(args)?,
        options,
        policies,
    };
    let input_files = quality
        .files
        .iter()
        .zip(&hashes)
        .map(|(f, h)| ManifestFile {
            path: f.path.display().to_string(),
            bytes: std::fs::metadata(&f.path).map(|m| m.len()).unwrap_or(0),
            sha256: h.clone().unwrap_or_else(|| "-".to_string()),
        })
        .collect();
    Ok(Evidence {
        meta,
        period,
        hashes,
        summary,
        quality,
        inputs: input_files,
        config,
        assessment,
        files: inputs.files.clone(),
    })
}

impl Evidence {
    /// The view model.
    fn report(&self) -> Report {
        let (controls, findings) = crate::report::assessment::rows(&self.assessment, &self.files);
        build_report(ReportInputs {
            summary: &self.summary,
            quality: &self.quality,
            period: &self.period,
            input_hashes: &self.hashes,
            meta: self.meta.clone(),
            controls: Some(controls),
            findings,
        })
    }
}

/// Renders every requested format.
pub fn render_all(
    report: &Report,
    formats: &[ReportFormat],
    templates: Option<&Path>,
    csv_raw: bool,
) -> anyhow::Result<Vec<OutputFile>> {
    let mut formats = formats.to_vec();
    formats.sort();
    formats.dedup();
    // One thread per format: rendering is single-threaded per file and the formats are
    // independent, so two cores halve the time.
    std::thread::scope(|scope| {
        let jobs: Vec<_> = formats
            .into_iter()
            .map(|f| scope.spawn(move || render_one(report, f, templates, csv_raw)))
            .collect();
        let mut out = Vec::new();
        for job in jobs {
            let files = job
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("a renderer panicked")))?;
            out.extend(files);
        }
        Ok(out)
    })
}

fn render_one(
    report: &Report,
    format: ReportFormat,
    templates: Option<&Path>,
    csv_raw: bool,
) -> anyhow::Result<Vec<OutputFile>> {
    let one = |name: &str, bytes| {
        Ok(vec![OutputFile {
            name: name.into(),
            bytes,
        }])
    };
    match format {
        ReportFormat::Html => {
            let t = render::html::templates(templates)?;
            one("report.html", render::html::render(report, &t)?)
        }
        ReportFormat::Pdf => one("report.pdf", render::pdf::render(report)?),
        ReportFormat::Csv => render::csv::render(report, csv_raw),
        ReportFormat::Json => one("report.json", render::json::render(report)?),
    }
}

/// True when `dir` exists and holds anything.
fn non_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some())
}

/// Writes `files` as a package at `out`: into a temporary sibling first, then renamed.
fn write_package(out: &Path, files: &[OutputFile], force: bool) -> anyhow::Result<()> {
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
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let tmp = parent.join(format!(
        ".{}.partial-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| -> anyhow::Result<()> {
        std::fs::create_dir(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
        for f in files {
            let p = tmp.join(&f.name);
            let mut w = std::fs::File::create(&p)
                .with_context(|| format!("cannot write {}", p.display()))?;
            w.write_all(&f.bytes)?;
            w.sync_all()?;
        }
        if out.exists() {
            std::fs::remove_dir_all(out)
                .with_context(|| format!("cannot replace {}", out.display()))?;
        }
        std::fs::rename(&tmp, out)
            .with_context(|| format!("cannot move the package into {}", out.display()))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

/// The package files: rendered outputs, `summary.json`, `manifest.json`, `SHA256SUMS`.
fn package(
    ev: Evidence,
    r: &Report,
    mut files: Vec<OutputFile>,
    summary_json: Option<Vec<u8>>,
) -> anyhow::Result<Vec<OutputFile>> {
    if let Some(bytes) = summary_json {
        files.push(OutputFile {
            name: "summary.json".into(),
            bytes,
        });
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    let outputs: Vec<ManifestFile> = files
        .iter()
        .map(|f| ManifestFile {
            path: f.name.clone(),
            bytes: f.bytes.len() as u64,
            sha256: sha256(&f.bytes),
        })
        .collect();
    let mut sums: Vec<(String, String)> = outputs
        .iter()
        .map(|o| (o.path.clone(), o.sha256.clone()))
        .collect();
    let manifest = Manifest {
        schema_version: crate::report::REPORT_SCHEMA_VERSION,
        tool: &r.scope.tool,
        command_line: std::env::args().collect(),
        generated_at: &r.scope.generated_at,
        period: &r.scope.period,
        inputs: ev.inputs,
        policies: &r.scope.policies,
        config: ev.config,
        outputs,
    };
    let mut bytes = serde_json::to_vec_pretty(&manifest)?;
    bytes.push(b'\n');
    sums.push(("manifest.json".into(), sha256(&bytes)));
    files.push(OutputFile {
        name: "manifest.json".into(),
        bytes,
    });
    files.sort_by(|a, b| a.name.cmp(&b.name));
    sums.sort();
    let sums: String = sums
        .iter()
        .map(|(name, hash)| format!("{hash}  {name}\n"))
        .collect();
    files.push(OutputFile {
        name: "SHA256SUMS".into(),
        bytes: sums.into_bytes(),
    });
    Ok(files)
}

/// Runs `report`.
pub fn run(args: &ReportArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let period = args.period.resolve(Period::default_report)?;
    let dir = args.out.clone().unwrap_or_else(|| default_out(&period));
    if non_empty(&dir) && !args.force {
        anyhow::bail!(
            "--out {} exists and is not empty: choose another directory or pass --force",
            dir.display()
        );
    }
    if let Some(b) = &args.baseline {
        pipeline::check_baseline(b)?;
    }
    if let Some(t) = &args.templates {
        if !t.is_dir() {
            anyhow::bail!("--templates {}: not a directory", t.display());
        }
    }
    let ev = read_evidence(args, period)?;
    let with_json = args.format.contains(&ReportFormat::Json);
    // summary.json is serialised while the view model is built and rendered.
    let (report, files, summary_json) = std::thread::scope(|scope| {
        let summary = scope.spawn(|| {
            with_json
                .then(|| crate::cmd::summary::summary_json(&ev.summary, &ev.quality))
                .transpose()
        });
        let report = ev.report();
        let files = render_all(
            &report,
            &args.format,
            args.templates.as_deref(),
            args.csv_raw,
        );
        let summary = summary
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("summary.json writer panicked")));
        (report, files, summary)
    });
    let files = package(ev, &report, files?, summary_json?)?;
    write_package(&dir, &files, args.force)?;
    if !args.quiet {
        writeln!(out, "wrote {} file(s) to {}", files.len(), dir.display())?;
    }
    Ok(ExitCode::SUCCESS)
}
