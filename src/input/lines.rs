//! Splitting a byte stream into numbered lines with one reusable buffer.

use std::io::{self, Read};

/// One line from a [`LineReader`].
#[derive(Debug)]
pub struct Line<'a> {
    /// The bytes without the line ending (empty for a line that was too long).
    pub bytes: &'a [u8],
    /// 1-based line number.
    pub number: u64,
    /// Byte offset of the line's start in the stream (after decompression).
    pub offset: u64,
    /// True when the line exceeded the limit and was skipped.
    pub too_long: bool,
}

/// Splits a byte stream into lines with one reusable buffer. Handles a last line without
/// newline, and lines of any length up to `max_len` (longer ones are reported, not kept).
pub struct LineReader<R> {
    pub(super) inner: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    number: u64,
    max_len: usize,
    bytes_read: u64,
}

impl<R: Read> LineReader<R> {
    /// A reader with lines of at most `max_len` bytes.
    pub fn new(inner: R, max_len: usize) -> Self {
        Self::with_capacity(inner, max_len, 256 * 1024)
    }

    /// A reader whose buffer starts at `capacity` bytes (it grows for longer lines).
    pub fn with_capacity(inner: R, max_len: usize, capacity: usize) -> Self {
        LineReader {
            inner,
            buf: vec![0; capacity.max(1)],
            start: 0,
            end: 0,
            eof: false,
            number: 0,
            max_len: max_len.max(1),
            bytes_read: 0,
        }
    }

    /// A reader of a stream that starts at byte `offset` of a file, where line
    /// `lines_before + 1` starts: line numbers and offsets are the file's (a byte range
    /// of a file read on its own).
    pub fn starting_at(inner: R, max_len: usize, lines_before: u64, offset: u64) -> Self {
        let mut reader = Self::new(inner, max_len);
        reader.restart(lines_before, offset);
        reader
    }

    /// Bytes read so far (after decompression).
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// Forgets the buffer after the caller moved the underlying stream to `offset`, where
    /// line `number + 1` starts.
    pub(super) fn restart(&mut self, number: u64, offset: u64) {
        self.start = 0;
        self.end = 0;
        self.eof = false;
        self.number = number;
        self.bytes_read = offset;
    }

    /// Byte offset in the stream of buffer position `pos`.
    fn offset_of(&self, pos: usize) -> u64 {
        self.bytes_read - (self.end - pos) as u64
    }

    /// Lines read so far.
    pub fn line_number(&self) -> u64 {
        self.number
    }

    fn fill(&mut self) -> io::Result<()> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            let grown = (self.buf.len() * 2)
                .min(self.max_len + 1)
                .max(self.buf.len() + 1);
            self.buf.resize(grown, 0);
        }
        loop {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    self.end += n;
                    self.bytes_read += n as u64;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// The next line, or `None` at the end.
    pub fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        let mut scanned = 0;
        loop {
            let window = &self.buf[self.start + scanned..self.end];
            if let Some(i) = memchr::memchr(b'\n', window) {
                let line_start = self.start;
                let line_end = self.start + scanned + i;
                let offset = self.offset_of(line_start);
                self.start = line_end + 1;
                self.number += 1;
                // Over the limit even when it came whole in one fill: what counts as too
                // long must not depend on where the reads happened to fall.
                let too_long = line_end - line_start > self.max_len;
                return Ok(Some(Line {
                    bytes: if too_long {
                        &[]
                    } else {
                        &self.buf[line_start..line_end]
                    },
                    number: self.number,
                    offset,
                    too_long,
                }));
            }
            scanned = self.end - self.start;
            if self.eof {
                if scanned == 0 {
                    return Ok(None);
                }
                let line_start = self.start;
                let offset = self.offset_of(line_start);
                self.start = self.end;
                self.number += 1;
                let too_long = self.end - line_start > self.max_len;
                return Ok(Some(Line {
                    bytes: if too_long {
                        &[]
                    } else {
                        &self.buf[line_start..self.end]
                    },
                    number: self.number,
                    offset,
                    too_long,
                }));
            }
            if scanned > self.max_len {
                return self.skip_long_line();
            }
            self.fill()?;
        }
    }

    /// Discards the rest of an over-long line.
    fn skip_long_line(&mut self) -> io::Result<Option<Line<'_>>> {
        let offset = self.offset_of(self.start);
        self.number += 1;
        loop {
            if let Some(i) = memchr::memchr(b'\n', &self.buf[self.start..self.end]) {
                self.start += i + 1;
                break;
            }
            self.start = self.end;
            if self.eof {
                break;
            }
            self.fill()?;
            if self.eof && self.start == self.end {
                break;
            }
        }
        Ok(Some(Line {
            bytes: &[],
            number: self.number,
            offset,
            too_long: true,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(data: &[u8], max: usize) -> Vec<(Vec<u8>, bool)> {
        let mut r = LineReader::new(data, max);
        r.buf = vec![0; 4]; // tiny buffer: exercise refills and growth
        let mut out = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            out.push((l.bytes.to_vec(), l.too_long));
        }
        out
    }

    #[test]
    fn line_offsets_point_at_line_starts() {
        let data = b"one\ntwo two\n\nlast";
        let mut r = LineReader::new(&data[..], 100);
        r.buf = vec![0; 4];
        let mut offsets = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            assert!(data[l.offset as usize..].starts_with(l.bytes));
            offsets.push(l.offset);
        }
        assert_eq!(offsets, vec![0, 4, 12, 13]);
    }

    #[test]
    fn splits_lines_across_refills() {
        let got = lines(b"one\ntwo two\n\nlast", 100);
        let texts: Vec<_> = got.iter().map(|(b, _)| b.as_slice()).collect();
        assert_eq!(texts, vec![&b"one"[..], b"two two", b"", b"last"]);
    }

    #[test]
    fn long_lines_are_reported_and_skipped() {
        let mut data = b"short\n".to_vec();
        data.extend(std::iter::repeat_n(b'x', 50));
        data.extend_from_slice(b"\nafter\n");
        let got = lines(&data, 20);
        assert_eq!(got.len(), 3);
        assert!(got[1].1);
        assert_eq!(got[2].0, b"after");
        // Up to the limit is fine.
        let got = lines(&data, 60);
        assert_eq!(got[1].0.len(), 50);
    }

    /// A line over the limit is too long however the reads fall: here it arrives whole
    /// in the first fill of a large buffer (it was accepted, while a reader whose fills
    /// cut it rejected it).
    #[test]
    fn long_lines_are_too_long_when_they_arrive_whole() {
        let mut data = b"short\n".to_vec();
        data.extend(std::iter::repeat_n(b'x', 50));
        data.extend_from_slice(b"\nafter\n");
        data.extend(std::iter::repeat_n(b'y', 30));
        let mut r = LineReader::new(&data[..], 20);
        let mut got = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            got.push((l.bytes.to_vec(), l.too_long));
        }
        assert_eq!(
            got,
            vec![
                (b"short".to_vec(), false),
                (Vec::new(), true),
                (b"after".to_vec(), false),
                (Vec::new(), true),
            ]
        );
    }
}
