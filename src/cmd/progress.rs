//! The progress bar of every command that reads logs: on standard error, only when it is a
//! terminal and `-q` was not given, labelled with the phase and showing bytes read, the
//! total when it is known, and the throughput:
//!
//! ```text
//! reading 412.00 MiB/1.00 GiB [=========>          ] 380.21 MiB/s eta 2s
//! ```
//!
//! The pipeline calls [`Reading::update`] through its progress hook
//! (`parse::reader::Progress`) with the bytes read so far in the run. When the total is not
//! known in advance (standard input, `.gz` files, whose decompressed size is what is
//! counted) the bar is a spinner with bytes and throughput. Inputs under [`MIN_BYTES`] in
//! total get no bar: they are read before one would be drawn.

use crate::input::InputSet;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// Smaller inputs (in total) get no bar.
pub const MIN_BYTES: u64 = 8 << 20;

/// A progress bar over the bytes of a read, or a hidden one.
pub struct Reading {
    bar: ProgressBar,
    base: u64,
    last: u64,
}

/// The bytes the bar counts to: the files' sizes, or `None` when one is standard input or
/// compressed (its size then says nothing of the bytes read), with the compressed bytes.
pub fn total(inputs: &InputSet) -> (Option<u64>, u64) {
    let mut known = Some(0u64);
    let mut on_disk = 0u64;
    for f in &inputs.files {
        let size = std::fs::metadata(&f.path).map_or(0, |m| m.len());
        on_disk = on_disk.saturating_add(size);
        let stream = crate::input::is_stream(&f.path);
        let gz = f.path.extension().is_some_and(|e| e == "gz");
        known = match (known, stream || gz) {
            (Some(k), false) => Some(k.saturating_add(size)),
            _ => None,
        };
    }
    (known, on_disk)
}

/// Whether a bar is drawn: not `quiet`, standard error a terminal, and enough to read.
pub fn wanted(quiet: bool, terminal: bool, total: (Option<u64>, u64), streamed: bool) -> bool {
    let big = match total {
        (Some(t), _) => t >= MIN_BYTES,
        (None, on_disk) => streamed || on_disk >= MIN_BYTES / 8,
    };
    !quiet && terminal && big
}

impl Reading {
    /// A bar labelled `phase` (`reading`) over `inputs`, hidden unless [`wanted`].
    pub fn start(phase: &str, inputs: &InputSet, quiet: bool) -> Reading {
        let total = total(inputs);
        let streamed = inputs.files.iter().any(|f| f.path.as_os_str() == "-");
        let show = wanted(quiet, std::io::stderr().is_terminal(), total, streamed);
        Reading::new(phase, if show { Some(total.0) } else { None })
    }

    /// `shown`: `None` hidden, `Some(None)` a spinner, `Some(Some(total))` a bar.
    fn new(phase: &str, shown: Option<Option<u64>>) -> Reading {
        let bar = match shown {
            None => ProgressBar::hidden(),
            Some(Some(total)) => ProgressBar::new(total).with_style(style(&format!(
                "{phase} {{binary_bytes}}/{{binary_total_bytes}} [{{bar:30}}] \
                 {{binary_bytes_per_sec}} eta {{eta}}"
            ))),
            Some(None) => ProgressBar::new_spinner().with_style(style(&format!(
                "{{spinner}} {phase} {{binary_bytes}} {{binary_bytes_per_sec}}"
            ))),
        };
        if shown.is_some() {
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
        }
        Reading {
            bar,
            base: 0,
            last: 0,
        }
    }

    /// The pipeline's progress hook: `n` bytes read so far (a smaller number than the last
    /// one starts a new count, added to the previous ones).
    pub fn update(&mut self, n: u64) {
        if n < self.last {
            self.base = self.base.saturating_add(self.last);
        }
        self.last = n;
        self.bar.set_position(self.base.saturating_add(n));
    }

    /// Bytes counted so far.
    pub fn position(&self) -> u64 {
        self.bar.position()
    }

    /// Removes the bar from the terminal.
    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_only_on_a_terminal_without_quiet_and_for_enough_bytes() {
        let big = (Some(MIN_BYTES), MIN_BYTES);
        assert!(wanted(false, true, big, false));
        assert!(!wanted(true, true, big, false), "-q");
        assert!(!wanted(false, false, big, false), "not a terminal");
        assert!(
            !wanted(false, true, (Some(MIN_BYTES - 1), 0), false),
            "small"
        );
        assert!(wanted(false, true, (None, 0), true), "standard input");
        assert!(
            wanted(false, true, (None, MIN_BYTES / 8), false),
            "a big .gz"
        );
        assert!(!wanted(false, true, (None, 1000), false), "a small .gz");
    }

    #[test]
    fn the_total_is_unknown_for_compressed_files() {
        let tmp = tempfile::tempdir().unwrap();
        let plain = tmp.path().join("audit.log");
        let gz = tmp.path().join("audit.log.1.gz");
        std::fs::write(&plain, [b'x'; 100]).unwrap();
        std::fs::write(&gz, [b'x'; 30]).unwrap();
        let set = |paths: &[&std::path::Path]| InputSet {
            files: paths
                .iter()
                .map(|p| crate::input::InputFile {
                    path: p.to_path_buf(),
                    group: 0,
                })
                .collect(),
            ..InputSet::default()
        };
        assert_eq!(total(&set(&[&plain])), (Some(100), 100));
        assert_eq!(total(&set(&[&plain, &gz])), (None, 130));
    }

    #[test]
    fn updates_accumulate_across_counts() {
        let mut r = Reading::new("reading", None);
        r.update(10);
        r.update(25);
        assert_eq!(r.position(), 25);
        r.update(5);
        assert_eq!(r.position(), 30, "a new count adds to the last one");
        r.finish();
    }
}
