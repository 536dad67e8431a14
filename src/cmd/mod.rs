//! One module per command: each turns checked arguments into output.

pub mod check;
pub mod compare;
pub mod completions;
pub mod empty;
pub mod events;
pub mod findings;
pub mod interrupt;
pub mod man;
pub mod package;
pub mod progress;
pub mod replace;
pub mod report;
pub mod scheduled;
pub mod stamp;
pub mod summary;
