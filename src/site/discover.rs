//! Where the site configuration comes from when `--config` is not given.
//!
//! Administrators put a tool's configuration where they look for every other one, and a
//! report run by a timer has no `--config` on its command line. So, in order, the first
//! that is set or exists is used:
//!
//! 1. `--config FILE` (clap also fills it from `AUDITRAIL_CONFIG`);
//! 2. `AUDITRAIL_CONFIG` (for callers of the library that bypass clap);
//! 3. `/etc/auditrail/auditrail.toml` (the site's file, installed by the package;
//!    `AUDITRAIL_SYSCONFDIR` names another directory, for relocated installs and tests);
//! 4. `$XDG_CONFIG_HOME/auditrail/auditrail.toml` (`~/.config` when it is unset or empty);
//! 5. the built-in defaults.
//!
//! A file named by the first two must exist (a typo must not fall back to the defaults); a
//! file found by the last two that cannot be read is an error too, never skipped. The
//! system file comes before the user's: a compliance report run by one administrator must
//! not quietly take thresholds from that administrator's home directory when the site has
//! set its own. Every output names the file used, or "defaults" ([`ConfigSource`]).
//!
//! The environment is passed in ([`ConfigEnv`]), never read here, so tests running in
//! parallel each give their own.

use super::{SiteConfig, SiteError};
use std::fmt;
use std::path::{Path, PathBuf};

/// The system-wide configuration directory.
pub const ETC_DIR: &str = "/etc/auditrail";
/// The configuration's file name, in each directory searched.
pub const FILE_NAME: &str = "auditrail.toml";

/// What discovery looks at: the process environment, or a test's.
#[derive(Clone, Debug, Default)]
pub struct ConfigEnv {
    /// `AUDITRAIL_CONFIG`.
    pub auditrail_config: Option<PathBuf>,
    /// `XDG_CONFIG_HOME`.
    pub xdg_config_home: Option<PathBuf>,
    /// `HOME`, for `~/.config` when `XDG_CONFIG_HOME` is unset.
    pub home: Option<PathBuf>,
    /// The system directory ([`ETC_DIR`]; a test gives a temporary one).
    pub etc_dir: PathBuf,
}

impl ConfigEnv {
    /// The process environment (`AUDITRAIL_SYSCONFDIR` replaces [`ETC_DIR`]). An empty
    /// variable counts as unset.
    pub fn from_process() -> Self {
        let var = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        ConfigEnv {
            auditrail_config: var("AUDITRAIL_CONFIG"),
            xdg_config_home: var("XDG_CONFIG_HOME"),
            home: var("HOME"),
            etc_dir: var("AUDITRAIL_SYSCONFDIR").unwrap_or_else(|| PathBuf::from(ETC_DIR)),
        }
    }

    /// The files searched when none is named, in order.
    pub fn candidates(&self) -> Vec<PathBuf> {
        let mut out = vec![self.etc_dir.join(FILE_NAME)];
        let user = match (&self.xdg_config_home, &self.home) {
            // The XDG specification: a relative XDG_CONFIG_HOME is invalid and ignored.
            (Some(x), _) if x.is_absolute() => Some(x.clone()),
            (_, Some(h)) => Some(h.join(".config")),
            _ => None,
        };
        out.extend(user.map(|d| d.join("auditrail").join(FILE_NAME)));
        out
    }
}

/// Where the configuration in use came from, as every output states it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ConfigSource {
    /// No file: the built-in defaults (`auditrail config --print-defaults`).
    #[default]
    Defaults,
    /// This file.
    File(PathBuf),
}

impl ConfigSource {
    /// The file, if one was used.
    pub fn path(&self) -> Option<&Path> {
        match self {
            ConfigSource::Defaults => None,
            ConfigSource::File(p) => Some(p),
        }
    }
}

impl fmt::Display for ConfigSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigSource::Defaults => f.write_str("defaults"),
            ConfigSource::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// Which configuration to use: `explicit` (`--config`), else the first of the
/// environment's that is set or exists ([`ConfigEnv::candidates`]), else the defaults.
pub fn locate(explicit: Option<&Path>, env: &ConfigEnv) -> Result<ConfigSource, SiteError> {
    if let Some(p) = explicit.or(env.auditrail_config.as_deref()) {
        return Ok(ConfigSource::File(p.to_path_buf()));
    }
    for path in env.candidates() {
        // An unreadable directory is an error: the site's file may be behind it.
        let exists = path.try_exists().map_err(|source| SiteError::Read {
            path: path.clone(),
            source,
        })?;
        if exists {
            return Ok(ConfigSource::File(path));
        }
    }
    Ok(ConfigSource::Defaults)
}

/// The configuration [`locate`] finds, read and checked, with its source set.
pub fn discover(explicit: Option<&Path>, env: &ConfigEnv) -> Result<SiteConfig, SiteError> {
    let source = locate(explicit, env)?;
    let mut site = match source.path() {
        Some(p) => SiteConfig::load(p)?,
        None => SiteConfig::default(),
    };
    site.source = source;
    Ok(site)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Dirs {
        _tmp: tempfile::TempDir,
        etc: PathBuf,
        xdg: PathBuf,
        home: PathBuf,
    }

    fn dirs() -> Dirs {
        let tmp = tempfile::tempdir().unwrap();
        let [etc, xdg, home] = ["etc", "xdg", "home"].map(|d| tmp.path().join(d));
        for d in [
            &etc,
            &xdg.join("auditrail"),
            &home.join(".config/auditrail"),
        ] {
            std::fs::create_dir_all(d).unwrap();
        }
        Dirs {
            _tmp: tmp,
            etc,
            xdg,
            home,
        }
    }

    fn env(d: &Dirs) -> ConfigEnv {
        ConfigEnv {
            auditrail_config: None,
            xdg_config_home: Some(d.xdg.clone()),
            home: Some(d.home.clone()),
            etc_dir: d.etc.clone(),
        }
    }

    fn write(path: &Path, uid_min: u32) -> PathBuf {
        std::fs::write(path, format!("uid_min = {uid_min}\n")).unwrap();
        path.to_path_buf()
    }

    #[test]
    fn nothing_found_is_the_defaults_and_says_so() {
        let d = dirs();
        let site = discover(None, &env(&d)).unwrap();
        assert_eq!(site.source, ConfigSource::Defaults);
        assert_eq!(site.source.to_string(), "defaults");
        assert_eq!(site.uid_min, SiteConfig::default().uid_min);
    }

    #[test]
    fn the_order_is_flag_env_etc_xdg() {
        let d = dirs();
        let xdg = write(&d.xdg.join("auditrail/auditrail.toml"), 1004);
        let mut e = env(&d);
        let found = |e: &ConfigEnv, explicit: Option<&Path>| {
            let s = discover(explicit, e).unwrap();
            (s.uid_min, s.source)
        };
        assert_eq!(found(&e, None), (1004, ConfigSource::File(xdg)));
        let etc = write(&d.etc.join("auditrail.toml"), 1003);
        assert_eq!(found(&e, None), (1003, ConfigSource::File(etc)));
        let var = write(&d.etc.join("from-env.toml"), 1002);
        e.auditrail_config = Some(var.clone());
        assert_eq!(found(&e, None), (1002, ConfigSource::File(var)));
        let flag = write(&d.etc.join("flag.toml"), 1001);
        assert_eq!(
            found(&e, Some(&flag)),
            (1001, ConfigSource::File(flag.clone()))
        );
    }

    #[test]
    fn home_config_when_xdg_is_unset_or_relative() {
        let d = dirs();
        let home = write(&d.home.join(".config/auditrail/auditrail.toml"), 1005);
        let mut e = env(&d);
        e.xdg_config_home = None;
        assert_eq!(locate(None, &e).unwrap(), ConfigSource::File(home.clone()));
        e.xdg_config_home = Some(PathBuf::from("relative/dir"));
        assert_eq!(locate(None, &e).unwrap(), ConfigSource::File(home));
        e.home = None;
        e.xdg_config_home = None;
        assert_eq!(locate(None, &e).unwrap(), ConfigSource::Defaults);
    }

    #[test]
    fn a_named_file_that_is_missing_is_an_error_not_the_defaults() {
        let d = dirs();
        let mut e = env(&d);
        e.auditrail_config = Some(d.etc.join("typo.toml"));
        let err = discover(None, &e).unwrap_err().to_string();
        assert!(
            err.starts_with("cannot read ") && err.contains("typo.toml"),
            "{err}"
        );
    }

    #[test]
    fn a_found_file_with_an_error_is_an_error_naming_it() {
        let d = dirs();
        std::fs::write(d.etc.join("auditrail.toml"), "uid_mn = 3\n").unwrap();
        let err = discover(None, &env(&d)).unwrap_err().to_string();
        assert!(
            err.contains("auditrail.toml") && err.contains("uid_mn"),
            "{err}"
        );
    }
}
