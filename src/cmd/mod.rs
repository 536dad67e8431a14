//! One module per command: each turns checked arguments into output.

pub mod check;
pub mod compare;
pub mod empty;
pub mod events;
pub mod findings;
pub mod report;
pub mod stamp;
pub mod summary;
