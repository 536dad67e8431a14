//! Text for terminals: the outputs of `summary`, `findings`, `check` and `events`, each a
//! module that receives what its command read and returns (or writes) the text. Every
//! value taken from a log goes through [`crate::render::terminal::sanitize`]; tables are
//! [`crate::render::terminal::table`].
//!
//! Unlike the report formats, these read the `Summary`, the `Assessment`, the
//! `InputQuality` and (`events`) the `Event` directly: the terminal summary chooses its own lists per category today
//! (issue 11 moves it onto the report's sections).

pub mod check;
pub mod colour;
pub mod compare;
pub mod events;
pub mod exceptions;
pub mod executive;
pub mod fail_on;
pub mod findings;
pub mod summary;
pub mod trend;
pub mod verify;
