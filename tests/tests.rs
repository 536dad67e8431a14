//! One integration-test binary (faster to build than one per file); modules by subject.

mod baseline;
mod cli;
mod common;
mod compare;
mod compare_output;
mod corpus;
mod exceptions;
mod export;
mod findings;
mod fuzz;
mod inputs;
mod journal;
mod layering;
mod merge;
mod no_evidence;
mod operations;
mod oracle;
mod package;
mod parallel;
mod properties;
mod quirks;
mod report;
mod text_output;
mod trust_time;
mod verify;
mod watches;
