//! The `auditrail` binary: parse the arguments, run the command, print an error once, map
//! exit codes: 0 success, 1 findings at or above --fail-on, 2 error. A closed output pipe
//! exits quietly.

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = auditrail::cli::Cli::parse();
    // `merge` reads one large summary.json after another: with the setting, each part's
    // large buffers would be mapped and unmapped again (1,000 summaries: 45 s -> 54 s).
    if !matches!(cli.command, auditrail::cli::Command::Merge(_)) {
        settle_allocator();
    }
    match run(cli.command) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // Errors can quote names from the input (a key of a crafted summary.json).
            let message = auditrail::render::terminal::sanitize_text(&format!("{err:#}"));
            eprintln!("auditrail: {message}");
            ExitCode::from(2)
        }
    }
}

/// Fixes glibc malloc's thresholds at their defaults. By default glibc raises the size from
/// which a block gets its own mapping to that of the largest such block freed so far (up to
/// 32 MiB), so after the read frees its large buffers, the fact lists and the renderers'
/// buffers come from the heap and what they free stays in the process. Setting the trim
/// threshold turns that off (`MALLOC_TRIM_THRESHOLD_=1048576` in the environment has the same
/// effect): about a fifth less peak RSS for `summary` and `report` on a large log (the README's
/// performance section).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn settle_allocator() {
    // SAFETY: `mallopt` takes two integers and changes only malloc's tuning; it runs in
    // `main` before any other thread exists. A refusal (return 0) leaves the defaults.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn settle_allocator() {}

/// Runs one command with standard output buffered, flushed before the exit code counts.
fn run(command: auditrail::cli::Command) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let code = auditrail::cmd::run(command, &mut out)?;
    out.flush()?;
    Ok(code)
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
