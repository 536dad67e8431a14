//! One module per command: each turns checked arguments into output (arguments ->
//! pipeline -> view -> render -> write); [`run`] dispatches a parsed command line.

pub mod check;
pub mod compare;
pub mod completions;
pub mod empty;
pub mod events;
pub mod export;
pub mod findings;
pub mod man;
pub mod merge;
pub mod progress;
pub mod report;
pub mod scheduled;
pub mod stamp;
pub mod summary;
pub mod verify;

use crate::cli::Command;
use std::io::Write;
use std::process::ExitCode;

/// Runs one parsed command, writing to `out`: exit status 0, or 1 for findings at or above
/// `--fail-on`; an error is the caller's to print (exit status 2).
pub fn run(command: Command, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    match command {
        Command::Check(args) => check::run(&args, out),
        Command::Events(args) => events::run(&args, out),
        Command::Summary(args) => summary::run(&args, out),
        Command::Findings(args) => findings::run(&args, out),
        Command::Config(args) => findings::config(&args, out),
        Command::Report(args) => report::run(&args, out),
        Command::Compare(args) => compare::run(&args, out),
        Command::Trend(args) => compare::trend(&args, out),
        Command::Merge(args) => merge::run(&args, out),
        Command::Export(args) => export::run(&args, out),
        Command::Completions(args) => completions::run(&args, out),
        Command::Man(args) => man::run(&args, out),
        Command::Verify(args) => verify::run(&args, out),
    }
}

/// The summary options of `findings` and `report`: names from `--passwd`/`--group`, the
/// site's silence threshold, the site's watch lists with the rules `--rules` declares.
fn summary_options(
    site: &crate::site::SiteConfig,
    names: &crate::cli::NameArgs,
    rules: &[String],
) -> anyhow::Result<crate::pipeline::SummaryOptions> {
    Ok(crate::pipeline::SummaryOptions {
        names: names.resolver()?,
        silence_ms: crate::pipeline::hours_ms(site.thresholds.silent_hours),
        aureport: false,
        watch: site
            .watch_config()
            .with_declared(crate::rules_text::read_args(rules)?),
    })
}
