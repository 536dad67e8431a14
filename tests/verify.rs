//! `auditrail verify` and `report --sign`: an intact package passes, an edited output fails
//! naming the file, an edited SHA256SUMS fails on the signature, an edited input log fails
//! naming it; and `ssh-keygen -Y verify` accepts our signature (when ssh-keygen is here).

use crate::common::root;
use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

const SCENARIO: &str = "samples/scenarios/ssh-brute-force.log";

fn cmd() -> Command {
    let mut c = crate::common::auditrail();
    c.current_dir(root());
    c
}

/// An unencrypted OpenSSH Ed25519 key from a fixed seed, and its public line.
fn key(dir: &Path, seed: u8) -> (PathBuf, PathBuf) {
    use ssh_key::private::Ed25519Keypair;
    let pair = Ed25519Keypair::from_seed(&[seed; 32]);
    let mut private = ssh_key::PrivateKey::from(pair);
    private.set_comment("test");
    let (k, p) = (
        dir.join(format!("key{seed}")),
        dir.join(format!("key{seed}.pub")),
    );
    std::fs::write(
        &k,
        private
            .to_openssh(ssh_key::LineEnding::LF)
            .unwrap()
            .as_bytes(),
    )
    .unwrap();
    std::fs::write(&p, private.public_key().to_openssh().unwrap() + "\n").unwrap();
    (k, p)
}

/// A signed package of the scenario (copied to `dir/audit.log`, so its input is checked).
fn package(dir: &Path, sign: Option<&Path>) -> PathBuf {
    let log = dir.join("audit.log");
    std::fs::copy(root().join(SCENARIO), &log).unwrap();
    let out = dir.join("pkg");
    let mut c = cmd();
    c.args([
        "report", "-q", "--period", "2026-10", "--format", "csv,json", "--out",
    ])
    .arg(&out)
    .arg(&log);
    if let Some(k) = sign {
        c.arg("--sign").arg(k);
    }
    c.assert().success();
    out
}

fn verify(dir: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    cmd().arg("verify").arg(dir).args(extra).assert()
}

#[test]
fn intact_signed_package_passes_and_edits_fail_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let (k, pubkey) = key(tmp.path(), 7);
    let (_, other) = key(tmp.path(), 8);
    let pkg = package(tmp.path(), Some(&k));
    assert!(pkg.join("SHA256SUMS.sig").is_file());
    // --force replaces a signed package of ours (SHA256SUMS.sig is part of it).
    cmd()
        .args([
            "report", "-q", "--period", "2026-10", "--format", "csv,json", "--force",
        ])
        .arg("--sign")
        .arg(&k)
        .arg("--out")
        .arg(&pkg)
        .arg(tmp.path().join("audit.log"))
        .assert()
        .success();
    let verify_txt = std::fs::read_to_string(pkg.join("VERIFY.txt")).unwrap();
    assert!(verify_txt.contains("ssh-keygen -Y verify -f allowed_signers -I signer -n auditrail"));
    assert!(verify_txt.contains("sha256sum -c SHA256SUMS"));

    verify(&pkg, &[])
        .code(0)
        .stdout(
            predicate::str::contains("intact\n").and(predicate::str::contains(
                "signature: valid for the key it names",
            )),
        );
    let key_arg = ["--key", pubkey.to_str().unwrap()];
    verify(&pkg, &key_arg)
        .code(0)
        .stdout(predicate::str::contains("signature: valid, by --key"));
    verify(&pkg, &["--key", other.to_str().unwrap()])
        .code(1)
        .stdout(predicate::str::contains(
            "MISMATCH SHA256SUMS.sig: signed by key",
        ));
    let allowed = tmp.path().join("allowed_signers");
    let line = std::fs::read_to_string(&pubkey).unwrap();
    std::fs::write(
        &allowed,
        format!("auditor@example.org namespaces=\"auditrail\" {line}"),
    )
    .unwrap();
    verify(&pkg, &["--allowed-signers", allowed.to_str().unwrap()])
        .code(0)
        .stdout(predicate::str::contains("valid, by auditor@example.org"));

    // An edited output: named, with the hash found and the one listed.
    let csv = pkg.join("findings.csv");
    let mut bytes = std::fs::read(&csv).unwrap();
    bytes.extend_from_slice(b"forged,row\n");
    std::fs::write(&csv, &bytes).unwrap();
    verify(&pkg, &key_arg).code(1).stdout(
        predicate::str::contains("MISMATCH findings.csv: sha256 ")
            .and(predicate::str::contains(
                "MISMATCH findings.csv (output in manifest.json)",
            ))
            .and(predicate::str::contains("NOT INTACT")),
    );

    // SHA256SUMS rewritten to match: the signature no longer does.
    let sums = std::fs::read_to_string(pkg.join("SHA256SUMS")).unwrap();
    let new_hash = auditrail::digest::sha256(&bytes);
    let forged: String = sums
        .lines()
        .map(|l| match l.split_once("  ") {
            Some((_, "findings.csv")) => format!("{new_hash}  findings.csv\n"),
            _ => format!("{l}\n"),
        })
        .collect();
    std::fs::write(pkg.join("SHA256SUMS"), forged).unwrap();
    verify(&pkg, &[]).code(1).stdout(
        predicate::str::contains("MISMATCH SHA256SUMS.sig: does not match SHA256SUMS")
            .and(predicate::str::contains("MISMATCH findings.csv:").not()),
    );
}

#[test]
fn inputs_are_checked_when_present_and_named_when_absent() {
    let tmp = tempfile::tempdir().unwrap();
    let pkg = package(tmp.path(), None);
    verify(&pkg, &[]).code(0).stdout(
        predicate::str::contains("signature: none").and(predicate::str::contains("intact")),
    );
    let key_arg = ["--key", "/nonexistent/key.pub"];
    verify(&pkg, &key_arg).code(2);
    let (_, pubkey) = key(tmp.path(), 9);
    verify(&pkg, &["--key", pubkey.to_str().unwrap()])
        .code(1)
        .stdout(predicate::str::contains(
            "the package has no SHA256SUMS.sig",
        ));

    // A log that grew (auditd kept writing) still holds the bytes read: named, not a mismatch.
    let log = tmp.path().join("audit.log");
    let mut bytes = std::fs::read(&log).unwrap();
    let read = bytes.len();
    bytes.extend_from_slice(b"appended\n");
    std::fs::write(&log, &bytes).unwrap();
    verify(&pkg, &[])
        .code(0)
        .stdout(predicate::str::contains(format!(
            "grown input {}: its first {read} bytes are the ones recorded; {} bytes now",
            log.display(),
            read + 9
        )));
    // A changed byte among those read is a mismatch naming the input.
    bytes[10] ^= 1;
    std::fs::write(&log, &bytes).unwrap();
    verify(&pkg, &[])
        .code(1)
        .stdout(predicate::str::contains(format!(
            "MISMATCH {} (input in manifest.json): sha256 ",
            log.display()
        )));
    std::fs::remove_file(&log).unwrap();
    verify(&pkg, &[])
        .code(0)
        .stdout(predicate::str::contains(format!(
            "absent input {}",
            log.display()
        )));
    // A file added to the package is named; a directory that is no package is an error.
    std::fs::write(pkg.join("extra.txt"), "x").unwrap();
    verify(&pkg, &[]).code(1).stdout(predicate::str::contains(
        "MISMATCH extra.txt: in the package but not listed in SHA256SUMS",
    ));
    verify(tmp.path(), &[])
        .code(2)
        .stderr(predicate::str::contains("SHA256SUMS"));
}

#[test]
#[cfg_attr(
    not(auditrail_ssh_keygen),
    ignore = "needs ssh-keygen (apt-get install openssh-client)"
)]
fn ssh_keygen_verifies_our_signature_and_we_verify_its_key() {
    let tmp = tempfile::tempdir().unwrap();
    let k = tmp.path().join("id_ed25519");
    let gen = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "ci", "-f"])
        .arg(&k)
        .status()
        .unwrap();
    assert!(gen.success());
    let pkg = package(tmp.path(), Some(&k));
    let public = std::fs::read_to_string(k.with_extension("pub")).unwrap();
    let allowed = tmp.path().join("allowed_signers");
    std::fs::write(&allowed, format!("signer {public}")).unwrap();
    let run = |sums: &Path| {
        std::process::Command::new("ssh-keygen")
            .args(["-Y", "verify", "-f"])
            .arg(&allowed)
            .args(["-I", "signer", "-n", "auditrail", "-s"])
            .arg(pkg.join("SHA256SUMS.sig"))
            .stdin(std::fs::File::open(sums).unwrap())
            .output()
            .unwrap()
    };
    let ok = run(&pkg.join("SHA256SUMS"));
    assert!(ok.status.success(), "{ok:?}");
    assert!(String::from_utf8_lossy(&ok.stdout).contains("Good \"auditrail\" signature for signer"));
    let edited = tmp.path().join("sums");
    let mut bytes = std::fs::read(pkg.join("SHA256SUMS")).unwrap();
    bytes[0] ^= 1;
    std::fs::write(&edited, bytes).unwrap();
    assert!(!run(&edited).status.success(), "an edited SHA256SUMS fails");
    verify(&pkg, &["--allowed-signers", allowed.to_str().unwrap()])
        .code(0)
        .stdout(predicate::str::contains("signature: valid, by signer"));
}
