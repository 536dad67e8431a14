//! Signing a package (`report --sign KEY`): `SHA256SUMS` signed with an OpenSSH Ed25519
//! private key in OpenSSH's `sshsig` format (namespace [`NAMESPACE`], SHA-512), written as
//! `SHA256SUMS.sig`, so `ssh-keygen -Y verify` checks it without auditrail and
//! [`super::verify`] checks it with. SHA256SUMS lists every other file of the package
//! (manifest.json included), so the one signature covers them all.
//!
//! The `ssh-key` crate (RustCrypto, Apache-2.0 OR MIT) reads the key and writes the
//! signature; only its `ed25519` feature is enabled. Encrypted keys are refused with what
//! to do: auditrail asks for no passphrase (it runs from timers).

use anyhow::Context;
use ssh_key::{Algorithm, HashAlg, LineEnding, PrivateKey};
use std::path::{Path, PathBuf};

/// The sshsig namespace of a package signature (`ssh-keygen -Y ... -n auditrail`).
pub const NAMESPACE: &str = "auditrail";

/// The checksums file a package's signature covers.
pub const SUMS: &str = "SHA256SUMS";

/// The signature's file name in a package.
pub const SIGNATURE: &str = "SHA256SUMS.sig";

/// A loaded signing key.
pub struct Signer {
    key: PrivateKey,
    path: PathBuf,
}

impl Signer {
    /// Reads an unencrypted OpenSSH Ed25519 private key.
    pub fn load(path: &Path) -> anyhow::Result<Signer> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("--sign {}: cannot read the key", path.display()))?;
        let key = PrivateKey::from_openssh(text.trim()).map_err(|e| {
            anyhow::anyhow!(
                "--sign {}: not an OpenSSH private key ({e}); create one with \
                 `ssh-keygen -t ed25519 -N '' -f KEY`",
                path.display()
            )
        })?;
        if key.is_encrypted() {
            anyhow::bail!(
                "--sign {}: the key is protected by a passphrase, which auditrail does not \
                 ask for; use a key without one kept readable only by the account that runs \
                 the report (`ssh-keygen -t ed25519 -N '' -f KEY`)",
                path.display()
            );
        }
        if key.algorithm() != Algorithm::Ed25519 {
            anyhow::bail!(
                "--sign {}: a {} key; auditrail signs with Ed25519 keys only \
                 (`ssh-keygen -t ed25519 -N '' -f KEY`)",
                path.display(),
                key.algorithm()
            );
        }
        Ok(Signer {
            key,
            path: path.to_path_buf(),
        })
    }

    /// The signature of `message` (the bytes of SHA256SUMS), PEM-armoured as
    /// `ssh-keygen -Y sign` writes it.
    pub fn sign(&self, message: &[u8]) -> anyhow::Result<String> {
        let sig = self
            .key
            .sign(NAMESPACE, HashAlg::Sha512, message)
            .with_context(|| format!("cannot sign with {}", self.path.display()))?;
        let mut pem = sig
            .to_pem(LineEnding::LF)
            .context("cannot encode the signature")?;
        if !pem.ends_with('\n') {
            pem.push('\n');
        }
        Ok(pem)
    }

    /// The public key as an OpenSSH line (`ssh-ed25519 AAAA... comment`).
    pub fn public_key(&self) -> String {
        self.key
            .public_key()
            .to_openssh()
            .unwrap_or_else(|_| String::from("(unencodable key)"))
    }

    /// The public key's fingerprint (`SHA256:...`).
    pub fn fingerprint(&self) -> String {
        self.key.fingerprint(HashAlg::Sha256).to_string()
    }
}

/// `VERIFY.txt`: how to check the package, with and without auditrail. `signer` is the
/// signing key's public line and fingerprint when the package is signed.
pub fn verify_text(signer: Option<(&str, &str)>) -> String {
    let mut t = String::from(
        "How to verify this evidence package\n\
         ===================================\n\n\
         Every file of the package except SHA256SUMS and SHA256SUMS.sig is listed with its\n\
         SHA-256 in SHA256SUMS; manifest.json also lists the SHA-256 of every input log, of\n\
         the site configuration, of the exceptions register and of each policy used.\n\n\
         With auditrail (checks SHA256SUMS, every hash manifest.json lists whose file is\n\
         present, and the signature when there is one; exit status 0 intact, 1 a file\n\
         differs, each one named):\n\n\
         \x20   auditrail verify DIR\n\
         \x20   auditrail verify DIR --key signer.pub\n\
         \x20   auditrail verify DIR --allowed-signers allowed_signers\n\n\
         Without auditrail, in this directory:\n\n\
         \x20   sha256sum -c SHA256SUMS\n",
    );
    match signer {
        Some((public, fingerprint)) => {
            t += &format!(
                "\nSHA256SUMS is signed (SHA256SUMS.sig, OpenSSH sshsig format, namespace\n\
                 \"{NAMESPACE}\") by the Ed25519 key {fingerprint}:\n\n    {public}\n\n\
                 Check the fingerprint against the one you were given, not against this file.\n\
                 With OpenSSH 8.1 or later, put the key in an allowed_signers file, one line:\n\n\
                 \x20   signer namespaces=\"{NAMESPACE}\" ssh-ed25519 AAAA...\n\n\
                 then:\n\n\
                 \x20   ssh-keygen -Y verify -f allowed_signers -I signer -n {NAMESPACE} \\\n\
                 \x20       -s SHA256SUMS.sig < SHA256SUMS\n"
            );
        }
        None => {
            t += "\nThis package is not signed: anyone able to edit it can also rewrite\n\
                  SHA256SUMS. Keep SHA256SUMS (or its hash) somewhere else, or sign packages\n\
                  with `auditrail report --sign KEY`.\n";
        }
    }
    t
}
