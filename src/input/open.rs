//! Opening an input: standard input or a file, gzip told by its magic bytes (concatenated
//! members read with `MultiGzDecoder`), other compression formats refused with the command
//! that decompresses them; optionally hashing the bytes as they are read ([`InputDigest`]).

use super::error::{open_error, InputError};
use super::sources::InputFile;
use crate::digest::hex;
use sha2::{Digest as _, Sha256};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// Opens an input for reading, decompressing gzip. Returns the reader and whether it was
/// compressed.
pub fn open(file: &InputFile) -> Result<(Box<dyn Read + Send>, bool), InputError> {
    if file.path.as_os_str() == "-" {
        return sniff(Box::new(io::stdin()), &file.path);
    }
    let f = File::open(&file.path).map_err(|e| open_error(&file.path, e))?;
    sniff(Box::new(f), &file.path)
}

/// The SHA-256 of a file's bytes as they were read (before decompression), available once
/// the file was read to its end. Hashing the bytes the parser saw, on the read-ahead
/// thread, costs no second read and cannot disagree with what was parsed. A gzip file's
/// decompressed bytes are hashed too (on the same thread), so that a log compressed by
/// rotation can be recognised by its content.
#[derive(Clone, Debug, Default)]
pub struct InputDigest(
    Arc<OnceLock<([u8; 32], u64)>>,
    Arc<OnceLock<([u8; 32], u64)>>,
);

impl InputDigest {
    /// The digest in lowercase hex, or `None` when the file was not read to its end.
    pub fn hex(&self) -> Option<String> {
        self.0.get().map(|(d, _)| hex(d))
    }

    /// How many bytes were hashed (the file's size as read; for standard input the only
    /// way to know it), or `None` when the file was not read to its end.
    pub fn bytes(&self) -> Option<u64> {
        self.0.get().map(|&(_, n)| n)
    }

    /// The digest and size of the decompressed bytes of a gzip file read to its end.
    pub fn decompressed(&self) -> Option<(String, u64)> {
        self.1.get().map(|(d, n)| (hex(d), *n))
    }
}

/// Hashes everything read through it; publishes the digest at the end of the stream.
struct Hashing<R> {
    inner: R,
    hasher: Option<Sha256>,
    bytes: u64,
    digest: Arc<OnceLock<([u8; 32], u64)>>,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            if let Some(h) = self.hasher.take() {
                let _ = self.digest.set((h.finalize().into(), self.bytes));
            }
        } else if let Some(h) = &mut self.hasher {
            h.update(&buf[..n]);
            self.bytes += n as u64;
        }
        Ok(n)
    }
}

/// [`open`], also hashing the file's bytes (SHA-256) as they are read.
pub fn open_hashed(
    file: &InputFile,
) -> Result<(Box<dyn Read + Send>, bool, InputDigest), InputError> {
    let digest = InputDigest::default();
    let hashing = |inner: Box<dyn Read + Send>, into: &Arc<_>| -> Box<dyn Read + Send> {
        Box::new(Hashing {
            inner,
            hasher: Some(Sha256::new()),
            bytes: 0,
            digest: Arc::clone(into),
        })
    };
    let (reader, compressed) = if file.path.as_os_str() == "-" {
        sniff(hashing(Box::new(io::stdin()), &digest.0), &file.path)?
    } else {
        let f = File::open(&file.path).map_err(|e| open_error(&file.path, e))?;
        sniff(hashing(Box::new(f), &digest.0), &file.path)?
    };
    let reader = if compressed {
        hashing(reader, &digest.1)
    } else {
        reader
    };
    Ok((reader, compressed, digest))
}

fn sniff(
    inner: Box<dyn Read + Send>,
    path: &Path,
) -> Result<(Box<dyn Read + Send>, bool), InputError> {
    let mut buffered = BufReader::with_capacity(256 * 1024, inner);
    let head = buffered.fill_buf().map_err(|e| open_error(path, e))?;
    let unsupported = |format, tool| InputError::Unsupported {
        path: path.to_path_buf(),
        format,
        tool,
    };
    if head.starts_with(&[0x1f, 0x8b]) {
        let gz = flate2::bufread::MultiGzDecoder::new(buffered);
        return Ok((Box::new(gz), true));
    }
    if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        return Err(unsupported("xz", "xz"));
    }
    if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        return Err(unsupported("zstd", "zstd"));
    }
    if head.starts_with(b"BZh") {
        return Err(unsupported("bzip2", "bzip2"));
    }
    Ok((Box::new(buffered), false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::read_ahead;

    #[test]
    fn the_digest_is_of_the_bytes_read_and_decompressed() {
        use std::io::Write as _;
        let dir = tempfile::tempdir().unwrap();
        let plain = b"type=DAEMON_START msg=audit(1.000:1): ok\n".repeat(1000);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&plain).unwrap();
        let gz = gz.finish().unwrap();
        for (name, bytes) in [("a.log", plain.clone()), ("a.log.1.gz", gz)] {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).unwrap();
            let file = InputFile { path, group: 0 };
            let (reader, _, digest) = open_hashed(&file).unwrap();
            assert_eq!(digest.hex(), None, "not read yet");
            let mut text = Vec::new();
            read_ahead(reader).read_to_end(&mut text).unwrap();
            assert_eq!(text, plain);
            assert_eq!(digest.hex(), Some(hex(&Sha256::digest(&bytes))), "{name}");
            assert_eq!(digest.bytes(), Some(bytes.len() as u64));
            let text = (hex(&Sha256::digest(&plain)), plain.len() as u64);
            let want = name.ends_with(".gz").then_some(text);
            assert_eq!(digest.decompressed(), want, "{name}");
        }
    }
}
