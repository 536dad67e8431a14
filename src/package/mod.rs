//! The evidence package on disk, and the files in it that other runs read back.
//!
//! - [`staging`]: a package (`report`, `compare --format csv`) is written into a partial
//!   sibling directory of `--out`, every file hashed as it is written, and renamed into
//!   place only when complete and only if `--out` is still what was checked.
//! - [`replace`]: what `--out` may replace (`--force` only a package of ours of the same
//!   kind, never an input), and the sweep of partial directories of killed runs.
//! - [`interrupt`]: partial output removed on SIGINT, SIGTERM and SIGHUP.
//! - [`manifest`]: the one [`Manifest`] type, written by `report` and `compare` and read
//!   back (validated, errors naming file and key) by `--force`, F-AUD-11 and
//!   `compare --baseline-manifest`.
//! - [`sign`]: `report --sign KEY` (SHA256SUMS signed in OpenSSH's sshsig format) and the
//!   package's VERIFY.txt.
//! - [`verify`]: `auditrail verify DIR` (SHA256SUMS, manifest.json's hashes, signature).

pub mod interrupt;
pub mod manifest;
pub mod replace;
pub mod sign;
pub mod staging;
pub mod verify;

pub use manifest::{Manifest, ManifestFile, ManifestInput};
pub use staging::{Staging, Target};
