//! auditrail: Linux Audit logs in, exact and traceable compliance evidence out.
//!
//! The pipeline runs one way: [`input`] -> [`parse`] -> [`classify`] -> [`aggregate`] ->
//! [`findings`]/[`policy`] -> [`report`] -> [`render`]; [`cmd`] and [`cli`] drive it. See
//! `ARCHITECTURE.md`.
#![forbid(unsafe_code)]

pub mod aggregate;
pub mod classify;
pub mod cli;
pub mod cmd;
pub mod compare;
pub mod digest;
pub mod findings;
pub mod inert;
pub mod input;
pub mod integrity;
pub mod limits;
pub mod model;
pub mod package;
pub mod parse;
pub mod period;
pub mod pipeline;
pub mod policy;
pub mod render;
pub mod report;
pub mod rules_text;
pub mod site;
#[cfg(test)]
pub(crate) mod timing;
