//! `auditrail report`: reads the logs once, builds the [`Report`] view model and writes the
//! evidence package (HTML, PDF, CSV, JSON, manifest and checksums) atomically.
//!
//! It is the only place that knows both the pipeline and the package layout: the package is
//! written into a temporary directory next to `--out` and renamed into place at the end, so
//! an interrupted run leaves no package that looks complete. Every input file and every
//! output file is hashed (SHA-256) into `manifest.json` and `SHA256SUMS`; `VERIFY.txt` says
//! how to check them, and with `--sign KEY` `SHA256SUMS.sig` signs them
//! ([`crate::package::sign`]).
//!
//! Controls and findings come from `policy::assess` over the summary (the site configuration
//! and the selected policies); `report::assessment` turns them into the report's rows, with
//! each evidence item's raw line (read back from its file:line by `pipeline::cited_lines`).
//!
//! With `--summaries` ([`summaries`]) the summary is the combination of summary.json files
//! (as `merge` makes it) and no log is read: the manifest's inputs are the summaries, the
//! evidence is cited `host:file:line` and its raw lines are those the summaries carry.

use crate::cli::{ReportArgs, ReportFormat};
use crate::digest::sha256_file;
use crate::package::manifest::{self, ManifestPeriod, ManifestPolicy, Tool};
use crate::package::sign::{self, Signer};
use crate::package::ManifestInput;
use crate::package::{Manifest, ManifestFile, Staging, Target};
use crate::period::Period;
use crate::pipeline;
use crate::policy;
use crate::render::{self, OutputFile};
use crate::report::{build_report, PolicyRef, Report, ReportInputs, ReportMeta};
use anyhow::Context;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod summaries;

/// `./auditrail-report-<spec>` with characters unsafe in file names replaced.
fn default_out(period: &Period) -> PathBuf {
    let spec = crate::cmd::scheduled::file_name(period);
    PathBuf::from(format!("auditrail-report-{spec}"))
}

/// Everything read and computed before rendering.
struct Evidence {
    meta: ReportMeta,
    period: Period,
    hashes: Vec<Option<String>>,
    summary: crate::aggregate::Summary,
    quality: crate::parse::InputQuality,
    inputs: Vec<ManifestInput>,
    config: Option<ManifestFile>,
    exceptions: Option<ManifestFile>,
    assessment: policy::Assessment,
    files: Vec<crate::input::InputFile>,
    /// With `--summaries`: the summaries and the log files they name.
    summaries: Option<summaries::Read>,
}

/// What a run reads before its evidence: the site configuration, the policies, the
/// exceptions register.
struct Setup {
    site: crate::site::SiteConfig,
    terminations: Vec<(String, chrono::NaiveDate)>,
    choice: policy::Choice,
    selected: Vec<policy::Policy>,
    exceptions: Option<crate::site::exceptions::ExceptionsFile>,
}

impl Setup {
    fn read(args: &ReportArgs) -> anyhow::Result<Setup> {
        let site = pipeline::site(args.config.as_deref())?;
        let terminations = site.terminations()?;
        let choice = policy::choose(&args.policy, &site)?;
        let selected = policy::select(&choice.args)?;
        let exceptions = pipeline::exceptions(args.exceptions.as_deref(), &site)?;
        Ok(Setup {
            site,
            terminations,
            choice,
            selected,
            exceptions,
        })
    }
}

/// What is assessed and stated alike whether the summary comes from logs or summaries.
struct Assessed {
    assessment: policy::Assessment,
    config: Option<ManifestFile>,
    exceptions: Option<ManifestFile>,
    meta: ReportMeta,
}

/// Assesses `summary` and states the run's options: `head` (what counted), then the site's
/// files and the previous period.
fn assess(
    args: &ReportArgs,
    setup: Setup,
    summary: &crate::aggregate::Summary,
    baseline: Option<&crate::findings::Baseline>,
    chosen: &crate::cmd::scheduled::Chosen,
    mut options: Vec<(String, String)>,
) -> anyhow::Result<Assessed> {
    let Setup {
        site,
        terminations,
        choice,
        selected,
        exceptions,
    } = setup;
    let assessment = policy::assess_with(
        summary,
        &site,
        &terminations,
        baseline,
        &selected,
        exceptions.as_ref(),
    );
    let policies = selected
        .iter()
        .map(|p| PolicyRef {
            path: p.origin.clone(),
            version: format!("{} {}", p.framework, p.version),
            sha256: p.sha256.clone(),
        })
        .collect();
    // The file used, whether named by --config or found (site::discover).
    let config = match site.source.path() {
        Some(p) => Some(ManifestFile {
            path: p.display().to_string(),
            bytes: std::fs::metadata(p)
                .with_context(|| format!("cannot read the configuration {}", p.display()))?
                .len(),
            sha256: sha256_file(p)?,
        }),
        None => None,
    };
    let exceptions = exceptions.map(|e| ManifestFile {
        path: e.path.display().to_string(),
        bytes: e.bytes,
        sha256: e.sha256,
    });
    options.insert(
        0,
        ("Site configuration".to_string(), site.source.to_string()),
    );
    for (name, p) in [
        ("passwd file", &args.names.passwd),
        ("group file", &args.names.group),
    ] {
        if let Some(p) = p {
            options.push((name.to_string(), p.display().to_string()));
        }
    }
    if let Some(e) = &exceptions {
        options.push(("Exceptions register".to_string(), e.path.clone()));
    }
    if let Some(b) = baseline {
        let integrity = crate::findings::baseline::integrity_note(b);
        let found = chosen
            .note
            .as_ref()
            .map(|n| format!("; {n}"))
            .unwrap_or_default();
        options.push((
            "Previous period (--baseline)".to_string(),
            format!("{} ({}; {integrity}{found})", b.path, b.label),
        ));
    } else if let Some(note) = &chosen.note {
        options.push(("Previous period (--baseline)".to_string(), note.clone()));
    }
    let meta = ReportMeta {
        title: args.title.clone(),
        organization: args.organization.clone(),
        reviewer: args.reviewer.clone(),
        approver: args.approver.clone(),
        generated_at: crate::cmd::stamp::generated_at(args.generated_at.generated_at.as_deref())?,
        options,
        policies,
        no_evidence: None,
        policy_choice: choice.why,
    };
    Ok(Assessed {
        assessment,
        config,
        exceptions,
        meta,
    })
}

fn read_evidence(
    args: &ReportArgs,
    period: Period,
    chosen: &crate::cmd::scheduled::Chosen,
) -> anyhow::Result<Evidence> {
    let inputs = args.input.collect()?;
    let setup = Setup::read(args)?;
    let opts = super::summary_options(&setup.site, &args.names, &args.rules)?;
    let mut bar = crate::cmd::progress::Reading::start("reading", &inputs, args.quiet);
    let mut progress = |n: u64| bar.update(n);
    // Input hashes come from the read-ahead thread (the bytes parsed, no second read).
    let mut read_opts = args.input.read_options();
    read_opts.keep_evidence = true;
    let read = pipeline::summarize(&inputs, &read_opts, period.clone(), opts, &mut progress);
    bar.finish();
    let (summary, quality) = read?;
    let hashes = quality
        .files
        .iter()
        .map(|f| match &f.sha256 {
            Some(h) => Ok(Some(h.clone())),
            // Not read to its end (cannot happen for a successful read): hash it now.
            None if f.path.as_os_str() != "-" => sha256_file(&f.path)
                .map(Some)
                .with_context(|| format!("cannot hash {}", f.path.display())),
            None => Ok(None),
        })
        .collect::<anyhow::Result<Vec<Option<String>>>>()?;

    let mut current = pipeline::current_files(&quality);
    for (c, h) in current.iter_mut().zip(&hashes) {
        c.sha256.clone_from(h);
    }
    let baseline = pipeline::baseline(chosen.path.as_deref(), &current)?;
    let options = vec![
        (
            "Silence threshold".to_string(),
            format!("{} h", setup.site.thresholds.silent_hours),
        ),
        (
            "Event timeout".to_string(),
            format!("{} s", args.input.eoe_timeout),
        ),
    ];
    let a = assess(args, setup, &summary, baseline.as_ref(), chosen, options)?;
    let input_files = quality
        .files
        .iter()
        .zip(&hashes)
        .map(|(f, h)| ManifestInput {
            path: f.path.display().to_string(),
            bytes: f
                .raw_bytes
                .unwrap_or_else(|| std::fs::metadata(&f.path).map_or(0, |m| m.len())),
            sha256: h.clone().unwrap_or_else(|| "-".to_string()),
            decompressed_bytes: f.decompressed_sha256.as_ref().map(|_| f.bytes),
            decompressed_sha256: f.decompressed_sha256.clone(),
            first_ms: f.first,
            last_ms: f.last,
            summary: false,
        })
        .collect();
    Ok(Evidence {
        meta: a.meta,
        period,
        hashes,
        summary,
        quality,
        inputs: input_files,
        config: a.config,
        exceptions: a.exceptions,
        assessment: a.assessment,
        files: inputs.files.clone(),
        summaries: None,
    })
}

impl Evidence {
    /// The view model.
    fn report(&self) -> Report<'_> {
        use crate::report::assessment::{self, cited_sources, rows, Citing, RAW_LINE_MAX};
        let wanted = cited_sources(&self.assessment);
        let (paths, lines) = match &self.summaries {
            None => {
                // Read back on their own (summary.json's are written as they are read).
                let cited =
                    pipeline::cited_lines(&self.files, &self.quality, &wanted, RAW_LINE_MAX);
                (
                    assessment::paths(&self.files),
                    assessment::raw_texts(&cited),
                )
            }
            Some(s) => (s.paths(), summaries::raw_texts(&self.summary, &wanted)),
        };
        let cite = Citing {
            paths: &paths,
            with_host: self.summaries.is_some(),
            lines: &lines,
        };
        let (controls, findings) = rows(&self.assessment, &cite);
        let mut report = build_report(ReportInputs {
            summary: &self.summary,
            quality: &self.quality,
            period: &self.period,
            input_hashes: &self.hashes,
            meta: self.meta.clone(),
            controls: Some(controls),
            findings,
            sources_with_host: self.summaries.is_some(),
        });
        report.exceptions.clone_from(&self.assessment.exceptions);
        if let Some(s) = &self.summaries {
            report.integrity = s.integrity();
        }
        report
    }

    /// Writes summary.json: the summary of the logs with their input quality and the raw
    /// lines of its sources (read back as it is written, as `summary` writes it), or the
    /// combination of the summaries as `merge` writes it.
    fn write_summary(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        match &self.summaries {
            None => crate::cmd::summary::write_summary_json_of_logs(
                &self.summary,
                &self.quality,
                &self.files,
                w,
            ),
            Some(s) => s.write(&self.summary, w),
        }
    }
}

/// Renders every requested format into `staging` on `threads` threads (this one and
/// `threads - 1` more; rendering is single-threaded per file and the formats are
/// independent), each taking the next format not yet taken: no more threads than cores, so
/// that the renderers' allocations do not spread over more allocator arenas than run at
/// once. Returns the files written, in format order.
fn write_all(
    staging: &Staging,
    report: &Report,
    formats: &[ReportFormat],
    templates: Option<&Path>,
    csv_raw: bool,
    threads: usize,
) -> anyhow::Result<Vec<ManifestFile>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let mut formats = formats.to_vec();
    formats.sort();
    formats.dedup();
    let next = AtomicUsize::new(0);
    let work = || -> anyhow::Result<Vec<(usize, Vec<ManifestFile>)>> {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(&f) = formats.get(i) else {
                return Ok(done);
            };
            done.push((i, write_one(staging, report, f, templates, csv_raw)?));
        }
    };
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads.clamp(1, formats.len().max(1)))
            .map(|_| scope.spawn(work))
            .collect();
        let mine = work();
        let mut done = Vec::new();
        for h in helpers {
            done.extend(
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a renderer panicked")))?,
            );
        }
        done.extend(mine?);
        done.sort_by_key(|(i, _)| *i);
        Ok(done.into_iter().flat_map(|(_, files)| files).collect())
    })
}

fn write_one(
    staging: &Staging,
    report: &Report,
    format: ReportFormat,
    templates: Option<&Path>,
    csv_raw: bool,
) -> anyhow::Result<Vec<ManifestFile>> {
    let bytes = |name: &str, bytes: Vec<u8>| staging.write(name, |w| Ok(w.write_all(&bytes)?));
    Ok(match format {
        ReportFormat::Html => {
            let t = render::html::templates(templates)?;
            vec![bytes("report.html", render::html::render(report, &t)?)?]
        }
        ReportFormat::Pdf => vec![bytes("report.pdf", render::pdf::render(report)?)?],
        ReportFormat::Csv => {
            let mut files = Vec::new();
            render::csv::render_each(report, csv_raw, &mut |OutputFile { name, bytes: b }| {
                files.push(bytes(&name, b)?);
                Ok(())
            })?;
            files
        }
        ReportFormat::Json => {
            vec![staging.write("report.json", |w| render::json::write(report, w))?]
        }
    })
}

/// Writes `manifest.json` and `SHA256SUMS` for the files written so far, and with a
/// signer `SHA256SUMS.sig`.
fn seal(
    staging: &Staging,
    ev: &Evidence,
    r: &Report,
    mut outputs: Vec<ManifestFile>,
    signer: Option<&Signer>,
) -> anyhow::Result<usize> {
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    let mut sums: Vec<(String, String)> = outputs
        .iter()
        .map(|o| (o.path.clone(), o.sha256.clone()))
        .collect();
    let (tool, period) = (&r.scope.tool, &r.scope.period);
    let manifest = Manifest {
        schema_version: crate::report::REPORT_SCHEMA_VERSION.into(),
        kind: manifest::REPORT.to_string(),
        tool: Tool {
            name: tool.name.clone(),
            version: tool.version.clone(),
        },
        command_line: std::env::args().collect(),
        generated_at: Some(r.scope.generated_at.clone()),
        period: Some(ManifestPeriod {
            spec: period.spec.clone(),
            description: period.description.clone(),
            tz: period.tz.clone(),
            start: period.start.clone(),
            end: period.end.clone(),
        }),
        inputs: ev.inputs.clone(),
        policies: r
            .scope
            .policies
            .iter()
            .map(|p| ManifestPolicy {
                path: p.path.clone(),
                version: p.version.clone(),
                sha256: p.sha256.clone(),
            })
            .collect(),
        config: ev.config.clone(),
        exceptions: ev.exceptions.clone(),
        baseline: None,
        current: None,
        outputs,
    };
    let m = staging.write(manifest::MANIFEST, |w| {
        serde_json::to_writer_pretty(&mut *w, &manifest)?;
        Ok(w.write_all(b"\n")?)
    })?;
    sums.push((manifest::MANIFEST.into(), m.sha256));
    sums.sort();
    let sums: String = sums
        .iter()
        .map(|(name, hash)| format!("{hash}  {name}\n"))
        .collect();
    staging.write(sign::SUMS, |w| Ok(w.write_all(sums.as_bytes())?))?;
    if let Some(signer) = signer {
        let sig = signer.sign(sums.as_bytes())?;
        staging.write(sign::SIGNATURE, |w| Ok(w.write_all(sig.as_bytes())?))?;
        return Ok(manifest.outputs.len() + 3);
    }
    Ok(manifest.outputs.len() + 2)
}

/// Runs `report`.
pub fn run(args: &ReportArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    // With --summaries the period is theirs: they are combined first.
    let combined = (!args.summaries.is_empty())
        .then(|| crate::cmd::merge::combine_files(&args.summaries))
        .transpose()?;
    let period = match &combined {
        Some(c) => summaries::period(&c.summary)?,
        None => args.period.resolve(Period::default_report)?,
    };
    let dir = match &args.output.out {
        Some(o) => crate::cmd::scheduled::expand_out(o, &period),
        None => default_out(&period),
    };
    let chosen = crate::cmd::scheduled::resolve(args.baseline.as_deref(), &dir, &period)?;
    // Checked before the (possibly long) read, and again at the final rename.
    let mut read_paths = match &combined {
        Some(c) => c.from.iter().map(|f| PathBuf::from(&f.file)).collect(),
        None => args.input.paths(),
    };
    read_paths.extend(chosen.path.clone());
    let target = Target::check(&dir, "report", args.output.force, &read_paths)?;
    if let Some(b) = &chosen.path {
        pipeline::check_baseline(b)?;
    }
    if let Some(t) = &args.templates.templates {
        if !t.is_dir() {
            anyhow::bail!("--templates {}: not a directory", t.display());
        }
    }
    // The key is read before the logs: a run that cannot sign fails early.
    let signer = args.sign.as_deref().map(Signer::load).transpose()?;
    let mut ev = match combined {
        Some(c) => summaries::evidence(args, period, c)?,
        None => read_evidence(args, period, &chosen)?,
    };
    // Checked before anything is written: a package from no records would look complete.
    ev.meta.no_evidence =
        crate::cmd::empty::require_records(&ev.quality, &ev.summary, "", args.allow_empty)?;
    let staging = Staging::create(target)?;
    let with_json = args.format.contains(&ReportFormat::Json);
    // summary.json is written while the view model is built and rendered.
    let (report, written) = std::thread::scope(|scope| {
        let summary = scope.spawn(|| {
            with_json
                .then(|| staging.write("summary.json", |w| ev.write_summary(w)))
                .transpose()
        });
        let report = ev.report();
        // As many renderers as cores, summary.json's writer counted.
        let threads = args.input.read_options().threads;
        let files = write_all(
            &staging,
            &report,
            &args.format,
            args.templates.templates.as_deref(),
            args.csv_raw,
            threads.saturating_sub(usize::from(with_json)).max(1),
        );
        let summary = summary
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("summary.json writer panicked")));
        let written = files.and_then(|mut files| {
            files.extend(summary?);
            let keys = signer.as_ref().map(|s| (s.public_key(), s.fingerprint()));
            let text = sign::verify_text(keys.as_ref().map(|(p, f)| (p.as_str(), f.as_str())));
            files.push(staging.write("VERIFY.txt", |w| Ok(w.write_all(text.as_bytes())?))?);
            Ok(files)
        });
        (report, written)
    });
    let failing = args.fail_on.fail_on.map(|f| {
        let open = crate::findings::open_at_or_above(&ev.assessment.rules, f.severity());
        (!open.is_empty()).then(|| render::text::fail_on::line(&open, f.severity()))
    });
    let count = seal(&staging, &ev, &report, written?, signer.as_ref())?;
    staging.commit()?;
    if let Some(v) = &report.no_evidence {
        writeln!(out, "{v}")?;
    }
    if !args.quiet {
        let text = render::text::executive::render(&report.executive);
        out.write_all(args.colour.palette().paint(&text).as_bytes())?;
        writeln!(out, "wrote {count} file(s) to {}", dir.display())?;
    }
    // The command ends here and the process with it: freeing the summary and the view
    // model piece by piece would only keep a finished run waiting (about 1% of a 1 GB run).
    std::mem::forget(report);
    std::mem::forget(ev);
    // After the package is in place: a timer's failed state then points at a package.
    // Open findings only: those the exceptions register accepts do not fail the run.
    if let Some(Some(line)) = failing {
        out.flush()?;
        eprintln!("{line}");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
