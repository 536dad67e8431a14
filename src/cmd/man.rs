//! `auditrail man [COMMAND]`: manual pages in roff, generated from the clap definitions
//! (the same text as `--help`). `--dir DIR` writes every page (`auditrail.1`,
//! `auditrail-report.1`, ...): `packaging/assets.sh` uses it to build the pages the Debian
//! package installs.

use crate::cli::{Cli, ManArgs};
use anyhow::Context;
use clap::CommandFactory;
use std::io::Write;
use std::process::ExitCode;

/// The command tree as the pages show it: built (so subcommands are named
/// `auditrail-report`), without clap's `help` subcommand.
fn command() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// A page, its footer naming the program and version (a subcommand has none of its own).
fn manual(page: clap::Command) -> clap_mangen::Man {
    let source = format!("auditrail {}", env!("CARGO_PKG_VERSION"));
    clap_mangen::Man::new(page).source(source)
}

/// Runs `man`: one page on `out`, or with `--dir` every page written there.
pub fn run(args: &ManArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let cmd = command();
    if let Some(dir) = &args.dir {
        std::fs::create_dir_all(dir).with_context(|| format!("--dir {}", dir.display()))?;
        let mut names = Vec::new();
        for page in std::iter::once(&cmd).chain(cmd.get_subcommands()) {
            let man = manual(page.clone());
            let path = man
                .generate_to(dir)
                .with_context(|| format!("cannot write a page to {}", dir.display()))?;
            names.push(path);
        }
        writeln!(out, "wrote {} page(s) to {}", names.len(), dir.display())?;
        return Ok(ExitCode::SUCCESS);
    }
    let page = match &args.command {
        None => cmd,
        Some(name) => cmd.find_subcommand(name).cloned().ok_or_else(|| {
            let known: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
            anyhow::anyhow!("no command `{name}`; the commands are {}", known.join(", "))
        })?,
    };
    manual(page).render(out)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(command: Option<&str>) -> anyhow::Result<String> {
        let mut out = Vec::new();
        let args = ManArgs {
            command: command.map(str::to_string),
            dir: None,
        };
        run(&args, &mut out)?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn the_main_page_lists_the_commands() {
        let p = page(None).unwrap();
        assert!(
            p.starts_with(".ie \\n(.g .ds Aq") || p.contains(".TH auditrail 1"),
            "{p}"
        );
        assert!(p.contains(".TH auditrail 1"), "{p}");
        assert!(p.contains("auditrail\\-report(1)"), "{p}");
    }

    #[test]
    fn a_command_page_has_its_options() {
        let p = page(Some("report")).unwrap();
        assert!(p.contains(".TH auditrail-report 1"), "{p}");
        assert!(p.contains("\\-\\-baseline"), "{p}");
        assert!(
            !p.contains("\\-\\-by\\-host"),
            "summary's option on report's page"
        );
    }

    #[test]
    fn an_unknown_command_names_the_known_ones() {
        let err = page(Some("reprot")).unwrap_err().to_string();
        assert!(
            err.starts_with("no command `reprot`; the commands are check, events"),
            "{err}"
        );
    }

    #[test]
    fn dir_writes_a_page_per_command() {
        let tmp = tempfile::tempdir().unwrap();
        let mut out = Vec::new();
        let args = ManArgs {
            command: None,
            dir: Some(tmp.path().join("man1")),
        };
        run(&args, &mut out).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(tmp.path().join("man1"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let commands = Cli::command().get_subcommands().count();
        assert_eq!(names.len(), commands + 1, "{names:?}");
        assert!(names.contains(&"auditrail.1".to_string()));
        assert!(names.contains(&"auditrail-report.1".to_string()));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!(
                "wrote {} page(s) to {}\n",
                commands + 1,
                tmp.path().join("man1").display()
            )
        );
    }
}
