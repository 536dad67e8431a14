//! Reading cited lines again from their file, by the line index or from the start.

use super::error::{open_error, InputError};
use super::index::LineIndex;
use super::lines::LineReader;
use super::open::open;
use super::sources::InputFile;
use std::fs::File;

/// A cited line read again from its file, or why it could not be. The report says which
/// beside the evidence item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CitedLine {
    /// The line: its first bytes (up to the limit the caller asked for) and its length.
    Found {
        /// The first bytes of the line, without its line ending.
        head: Vec<u8>,
        /// The whole line's length in bytes.
        len: usize,
    },
    /// It was read from standard input, which cannot be read again.
    StandardInput,
    /// It was read once from a pipe or device named on the command line.
    Stream,
    /// The file has no such line any more.
    Gone,
    /// The file could not be opened or read again.
    Unreadable,
}

impl CitedLine {
    /// The line `bytes`, keeping at most `keep` of them.
    pub fn found(bytes: &[u8], keep: usize) -> CitedLine {
        CitedLine::Found {
            head: bytes[..bytes.len().min(keep)].to_vec(),
            len: bytes.len(),
        }
    }
}

/// Reads lines `wanted` (1-based, ascending) of `file` again and hands each to `found` with
/// its number. With an index of the uncompressed file it seeks to each line's block;
/// otherwise (gzip, no index) it reads the file from the start. Lines the file no longer
/// has are not handed over.
pub fn read_lines_at(
    file: &InputFile,
    index: Option<&LineIndex>,
    wanted: &[u64],
    max_len: usize,
    found: &mut dyn FnMut(u64, &[u8]),
) -> Result<(), InputError> {
    use std::io::{Seek, SeekFrom};
    if let Some(index) = index.filter(|i| !i.is_empty()) {
        let f = File::open(&file.path).map_err(|e| open_error(&file.path, e))?;
        // A small buffer: a seek reads on average half a block (about 6 KB of audit lines).
        let mut reader = LineReader::with_capacity(f, max_len, 8 * 1024);
        for &target in wanted {
            let (line, offset) = index.before(target).unwrap_or((1, 0));
            // Seek when the target's block lies ahead of where the reader stands.
            if reader.line_number() + 1 < line || reader.line_number() >= target {
                reader
                    .inner
                    .seek(SeekFrom::Start(offset))
                    .map_err(|e| open_error(&file.path, e))?;
                reader.restart(line - 1, offset);
            }
            while reader.line_number() < target {
                match reader.next_line() {
                    Ok(Some(l)) if l.number == target => found(target, l.bytes),
                    Ok(Some(_)) => {}
                    Ok(None) => return Ok(()),
                    Err(e) => {
                        return Err(InputError::Read {
                            path: file.path.clone(),
                            line: reader.line_number(),
                            source: e,
                        })
                    }
                }
            }
        }
        return Ok(());
    }
    let (inner, _) = open(file)?;
    let mut reader = LineReader::new(inner, max_len);
    let mut want = wanted.iter().peekable();
    while let Some(&&target) = want.peek() {
        match reader.next_line() {
            Ok(Some(l)) => {
                if l.number == target {
                    found(target, l.bytes);
                }
                while want.next_if(|&&t| t <= l.number).is_some() {}
            }
            Ok(None) => break,
            Err(e) => {
                return Err(InputError::Read {
                    path: file.path.clone(),
                    line: reader.line_number(),
                    source: e,
                })
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// A file of `n` numbered lines of varying length, some over `max`.
    fn numbered(dir: &Path, n: u64) -> (InputFile, LineIndex, Vec<Vec<u8>>) {
        let mut text = Vec::new();
        let mut index = LineIndex::default();
        let mut expected = Vec::new();
        for i in 1..=n {
            index.note(i, text.len() as u64);
            let line = format!("line {i} {}", "x".repeat((i % 37) as usize)).into_bytes();
            text.extend_from_slice(&line);
            text.push(b'\n');
            expected.push(line);
        }
        let path = dir.join("numbered.log");
        std::fs::write(&path, &text).unwrap();
        let file = InputFile { path, group: 0 };
        (file, index, expected)
    }

    #[test]
    fn lines_are_read_back_by_seeking_and_by_scanning() {
        let dir = tempfile::tempdir().unwrap();
        let (file, index, expected) = numbered(dir.path(), 2000);
        let wanted = [
            1, 2, 63, 64, 65, 66, 255, 256, 257, 700, 1999, 2000, 2001, 5000,
        ];
        for index in [Some(&index), None] {
            let mut got = Vec::new();
            read_lines_at(&file, index, &wanted, 1 << 20, &mut |n, b| {
                got.push((n, b.to_vec()))
            })
            .unwrap();
            let want: Vec<(u64, Vec<u8>)> = wanted
                .iter()
                .filter(|&&n| n <= 2000)
                .map(|&n| (n, expected[n as usize - 1].clone()))
                .collect();
            assert_eq!(got, want, "index: {}", index.is_some());
        }
    }
}
