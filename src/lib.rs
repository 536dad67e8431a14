//! auditrail: Linux Audit logs in, exact and traceable compliance evidence out.
//!
//! The pipeline runs one way: [`input`] -> [`parse`] -> (classify -> aggregate ->
//! findings/policy -> report -> render). See `ARCHITECTURE.md`.

pub mod aggregate;
pub mod classify;
pub mod model;
pub mod parse;
pub mod period;
