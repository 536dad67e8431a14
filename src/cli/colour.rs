//! `--color`, shared by the commands with text output (`summary`, `findings`, `check`,
//! `report`, `compare`, `verify`): the argument only; what it means is
//! [`crate::render::text::colour`].

use crate::render::text::colour::{Palette, When};
use clap::{Args, ValueEnum};
use std::io::IsTerminal;

/// When to colour severities and statuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Never.
    Never,
    /// When standard output is a terminal and NO_COLOR is not set.
    Auto,
    /// Always, even into a pipe or a file.
    Always,
}

/// `--color WHEN`.
#[derive(Clone, Copy, Debug, Args)]
pub struct ColourArgs {
    /// Colour severities and statuses in text output: auto (standard output is a terminal
    /// and NO_COLOR is not set), always, never.
    #[arg(long = "color", value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

impl ColourArgs {
    /// The palette for this run: reads whether standard output is a terminal and `NO_COLOR`.
    pub fn palette(&self) -> Palette {
        let when = match self.color {
            ColorChoice::Never => When::Never,
            ColorChoice::Auto => When::Auto,
            ColorChoice::Always => When::Always,
        };
        let no_color = std::env::var_os("NO_COLOR");
        Palette::decide(when, std::io::stdout().is_terminal(), no_color.as_deref())
    }
}
