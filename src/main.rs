//! The `auditrail` binary: parse the arguments, run the command, print an error once, map
//! exit codes: 0 success, 1 findings at or above --fail-on, 2 error. A closed output pipe
//! exits quietly.

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = auditrail::cli::Cli::parse();
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
