//! Output for people and programs. Renderers receive plain values and return bytes or
//! text; they never read logs themselves.
//!
//! The report formats (`html`, `pdf`, `csv`, `json`) each take a [`crate::report::Report`]
//! and return the bytes of their file(s); they never import `parse` or `aggregate`, so a
//! renderer can only show what the view model holds. `text` holds the terminal outputs of
//! `summary`, `findings` and `check`; `terminal` their escaping and tables.
//! Terminal text, CSV, HTML and PDF write every text they did not compose through [`inert`]
//! (control, bidi and zero-width characters shown escaped).

pub mod csv;
pub mod format;
pub mod html;
pub use crate::inert;
pub mod json;
pub mod jsonl;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod pdf;
pub mod terminal;
pub mod text;

/// One output file of a renderer: its name inside the package and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    /// File name inside the package (`report.html`, `logins.csv`).
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
}
