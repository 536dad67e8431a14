//! `verify`'s text: one line per failed file (named, with the hash listed and found), the
//! inputs not checked because they are absent, the signature, and the verdict last.
//! Paths come from the package, so every line is sanitized.

use crate::package::verify::{FileCheck, Signature, State, Verification};
use crate::render::terminal::sanitize;

/// The whole text.
pub fn render(v: &Verification) -> String {
    let mut o = String::new();
    let count = |list: &str, ok: bool| {
        v.files
            .iter()
            .filter(|f| (f.list == "SHA256SUMS") == (list == "SHA256SUMS"))
            .filter(|f| !matches!(f.state, State::Absent | State::Appended(..)))
            .filter(|f| (f.state == State::Ok) == ok)
            .count()
    };
    o += &format!(
        "SHA256SUMS: {} file(s) match, {} do not\n",
        count("SHA256SUMS", true),
        count("SHA256SUMS", false)
    );
    o += &format!(
        "manifest.json: {} hash(es) match, {} do not\n",
        count("manifest", true),
        count("manifest", false)
    );
    for f in v.files.iter().filter(|f| f.failed()) {
        o += &format!("MISMATCH {}\n", failed(f));
    }
    for name in &v.unlisted {
        o += &format!("MISMATCH {name}: in the package but not listed in SHA256SUMS\n");
    }
    for f in &v.files {
        if let State::Appended(then, now) = f.state {
            o += &format!(
                "  grown {} {}: its first {then} bytes are the ones recorded; {now} bytes now\n",
                f.list, f.path
            );
        }
    }
    let absent: Vec<&FileCheck> = v
        .files
        .iter()
        .filter(|f| f.state == State::Absent)
        .collect();
    if !absent.is_empty() {
        o += &format!(
            "not checked: {} file(s) manifest.json lists are not at their path\n",
            absent.len()
        );
        for f in absent {
            o += &format!("  absent {} {}\n", f.list, f.path);
        }
    }
    if v.builtin_policies > 0 {
        o += &format!(
            "built in: {} policy(ies), part of auditrail (their hashes are in manifest.json)\n",
            v.builtin_policies
        );
    }
    o += &match &v.signature {
        Signature::Unsigned => "signature: none (SHA256SUMS.sig absent)\n".to_string(),
        Signature::Required => {
            "MISMATCH signature: a signer was given but the package has no SHA256SUMS.sig\n"
                .to_string()
        }
        Signature::Valid {
            fingerprint,
            signer: Some(s),
        } => format!("signature: valid, by {s} (key {fingerprint})\n"),
        Signature::Valid {
            fingerprint,
            signer: None,
        } => format!(
            "signature: valid for the key it names, {fingerprint}; give --allowed-signers \
             or --key to check who signed\n"
        ),
        Signature::Invalid(why) => format!("MISMATCH {}: {why}\n", crate::package::sign::SIGNATURE),
    };
    o += if v.intact() {
        "intact\n"
    } else {
        "NOT INTACT: the files named MISMATCH differ from what was written\n"
    };
    o.lines().map(|l| sanitize(l) + "\n").collect()
}

fn failed(f: &FileCheck) -> String {
    let what = match f.list {
        "SHA256SUMS" => String::new(),
        l => format!(" ({l} in manifest.json)"),
    };
    match &f.state {
        State::Differs(found) => format!("{}{what}: sha256 {found}, listed {}", f.path, f.expected),
        State::Missing => format!("{}{what}: missing", f.path),
        State::Bad(why) => format!("{}{what}: {why}", f.path),
        State::Ok | State::Absent | State::Appended(..) => f.path.clone(),
    }
}
