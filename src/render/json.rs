//! `report.json`: the view model as it is, for programs (the same values every other
//! format shows). Field order is the struct order; lists are already sorted.

use crate::report::Report;

/// The report as pretty JSON with a trailing newline.
pub fn render(report: &Report) -> anyhow::Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(report)?;
    out.push(b'\n');
    Ok(out)
}

/// [`render`] streamed to `w`.
pub fn write(report: &Report, w: &mut dyn std::io::Write) -> anyhow::Result<()> {
    write_pretty(report, w)
}

/// Any document as pretty JSON with a trailing newline, streamed to `w`.
pub fn write_pretty<T: serde::Serialize + ?Sized>(
    doc: &T,
    w: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *w, doc)?;
    w.write_all(b"\n")?;
    Ok(())
}
