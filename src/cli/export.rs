//! `auditrail export` arguments.

use super::{InputArgs, NameArgs, ProgressArgs};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// What `export` writes, one row each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportWhat {
    /// Every audit record.
    Records,
    /// Every assembled event.
    Events,
    /// Every classified fact (what `summary` counts).
    Facts,
}

impl ExportWhat {
    /// The name written in the file's schema line or metadata.
    pub fn name(self) -> &'static str {
        match self {
            ExportWhat::Records => "records",
            ExportWhat::Events => "events",
            ExportWhat::Facts => "facts",
        }
    }
}

/// The file format of `export`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Apache Parquet (row groups of 16,384 rows; docs/export.md).
    #[cfg(feature = "parquet")]
    Parquet,
    /// JSON Lines: a schema line, then one object per row.
    Jsonl,
}

/// `auditrail export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// What to write, one row each.
    #[arg(long, value_enum, default_value_t = ExportWhat::Records)]
    pub what: ExportWhat,
    /// File format.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// The file to write (written complete or not at all).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Replace an existing --out (never an input).
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub names: NameArgs,
    #[command(flatten)]
    pub progress: ProgressArgs,
}
