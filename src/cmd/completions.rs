//! `auditrail completions SHELL`: the shell completion script, generated from the clap
//! definitions (so it can never list an option the binary does not have). The Debian
//! package installs the bash, zsh and fish ones (`packaging/assets.sh`).

use crate::cli::{Cli, CompletionsArgs};
use clap::CommandFactory;
use std::io::Write;
use std::process::ExitCode;

/// Runs `completions`: the script for `args.shell` on `out`.
pub fn run(args: &CompletionsArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let mut cmd = Cli::command();
    let name = cmd.get_name().to_string();
    clap_complete::generate(args.shell, &mut cmd, name, out);
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap_complete::Shell;

    fn script(shell: Shell) -> String {
        let mut out = Vec::new();
        run(&CompletionsArgs { shell }, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_shell_completes_every_command_and_an_option() {
        let commands: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        assert!(commands.contains(&"completions".to_string()));
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::Elvish,
            Shell::PowerShell,
        ] {
            let s = script(shell);
            for c in &commands {
                assert!(s.contains(c.as_str()), "{shell}: no `{c}`");
            }
            assert!(s.contains("baseline"), "{shell}: no --baseline");
        }
    }
}
