//! Build script. It builds nothing: it only tells the test suite which optional test inputs
//! this machine has (the shared log corpus, `aureport`, `pdftotext`, `ssh-keygen`), so a test that needs a
//! missing one is listed by `cargo test` as `ignored` with the reason, instead of passing
//! without having checked anything.
//!
//! The corpus is `$AUDITRAIL_CORPUS`, else `../shared/corpus` beside the repository. After
//! adding it or installing a tool on a machine that already built the tests, `touch build.rs`
//! (a path that does not exist cannot be watched without rebuilding the crate every time).

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=AUDITRAIL_CORPUS");
    println!("cargo::rerun-if-env-changed=PATH");
    for cfg in [
        "auditrail_corpus",
        "auditrail_aureport",
        "auditrail_pdftotext",
        "auditrail_ssh_keygen",
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
    }
    let corpus = std::env::var_os("AUDITRAIL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let root = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
            Path::new(&root).join("../shared/corpus")
        });
    if corpus.is_dir() {
        println!("cargo::rustc-cfg=auditrail_corpus");
        println!("cargo::rerun-if-changed={}", corpus.display());
    }
    for (tool, cfg) in [
        ("aureport", "auditrail_aureport"),
        ("pdftotext", "auditrail_pdftotext"),
        ("ssh-keygen", "auditrail_ssh_keygen"),
    ] {
        if let Some(path) = find(tool) {
            println!("cargo::rustc-cfg={cfg}");
            println!("cargo::rerun-if-changed={}", path.display());
        }
    }
}

/// `tool` on `PATH`, or in the sbin directories a non-root `PATH` often lacks.
fn find(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/bin"].map(PathBuf::from))
        .map(|dir| dir.join(tool))
        .find(|p| p.is_file())
}
