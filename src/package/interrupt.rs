//! What an interrupted run leaves behind: nothing. A command that writes `--out` lists
//! the partial directory or file it creates (under the lock of [`hold`], so that no signal
//! falls between creating it and listing it); on SIGINT, SIGTERM or SIGHUP a watcher thread
//! removes every registered path, says so on stderr and exits with 128 + the signal number.
//!
//! The watcher takes the same lock as [`hold`], which `Staging::commit` holds while it
//! renames the package into place, so a signal never lands between two renames: either the
//! package is complete where it belongs, or nothing of this run is left. The handler is
//! installed only once a command has something to clean up (until then the default action,
//! ending the process at once, leaves nothing either). `signal-hook` gives the signal number
//! (for the exit status) and runs the cleanup on an ordinary thread, where removing files
//! is allowed, unlike in a signal handler.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// Paths this run created and removes if it is interrupted.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Set once a signal arrived: writers stop creating files in partial directories.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// `path` no longer needs removing (renamed into place or removed already).
pub fn unregister(path: &Path) {
    pending().retain(|p| p != path);
}

/// The paths to remove if the run is interrupted, locked: the cleanup waits while the
/// caller creates a path and adds it to the list, or renames things into place. Installs
/// the signal watcher on first use.
pub fn hold() -> MutexGuard<'static, Vec<PathBuf>> {
    install();
    pending()
}

/// True once a signal arrived (a writer then stops instead of creating more files).
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Removes what is registered; returns what was removed. Several tries: a writer thread
/// may still create a file while the directory is being emptied.
fn clean_up(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    for p in paths {
        for _ in 0..20 {
            let gone = match std::fs::symlink_metadata(p) {
                Err(_) => true,
                Ok(m) if m.is_dir() => std::fs::remove_dir_all(p).is_ok(),
                Ok(_) => std::fs::remove_file(p).is_ok(),
            };
            if gone {
                removed.push(p.clone());
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
    removed
}

/// Installs the signal watcher (once).
fn install() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(watch);
}

#[cfg(unix)]
fn watch() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return; // no handler: the default action still ends the process
    };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            INTERRUPTED.store(true, Ordering::SeqCst);
            let mut list = pending();
            for p in clean_up(&list) {
                eprintln!(
                    "auditrail: interrupted: removed the partial output {}",
                    p.display()
                );
            }
            list.clear();
            std::process::exit(128 + sig);
        }
    });
}

#[cfg(not(unix))]
fn watch() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_up_removes_directories_and_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join(".pkg.partial-1");
        std::fs::create_dir(&d).unwrap();
        std::fs::write(d.join("a"), b"x").unwrap();
        let f = dir.path().join(".x.html.partial-1");
        std::fs::write(&f, b"x").unwrap();
        let gone = dir.path().join("never-created");
        let removed = clean_up(&[d.clone(), f.clone(), gone]);
        assert_eq!(removed.len(), 3);
        assert!(!d.exists() && !f.exists());
    }
}
