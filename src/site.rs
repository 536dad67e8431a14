//! Site configuration (`auditrail.toml`): who counts as an administrator, a service or a
//! shared account, which hosts are in scope, and the threshold of every finding rule.
//!
//! Every key is optional; a missing key takes the default printed by
//! `auditrail config --print-defaults` ([`DEFAULTS_TOML`]). Unknown keys are errors (a typo
//! must not silently fall back to a default an auditor then reads as the site's choice).
//! Every threshold has a range ([`Thresholds::check`]): a window of 0 minutes, a percentage
//! over 100 or a duration too long to count in milliseconds is an error naming the file,
//! the key and its line, never a rule quietly evaluated with it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub mod discover;
pub mod exceptions;
pub use discover::ConfigSource;

/// The documented default file, printed by `auditrail config --print-defaults`.
pub const DEFAULTS_TOML: &str = include_str!("site_defaults.toml");

/// The site configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteConfig {
    /// Lowest uid of a person's account; below it (except 0) is a system/service account.
    pub uid_min: u32,
    /// Groups whose membership grants administrative rights.
    pub admin_groups: Vec<String>,
    /// People allowed to use sudo; empty means "not configured" (F-PRIV-02 is then not
    /// evaluated).
    pub admin_users: Vec<String>,
    /// Service accounts by name, in addition to uids below `uid_min`.
    pub service_accounts: Vec<String>,
    /// Shared or generic accounts.
    pub shared_accounts: Vec<String>,
    /// Executables whose clock changes are routine.
    pub time_daemons: Vec<String>,
    /// Executables that manage accounts: identity files they write are not hand edits
    /// (F-ACCT-07).
    pub account_tools: Vec<String>,
    /// People allowed to read the audit logs (F-AUD-13); empty: every read by a person is
    /// a finding.
    pub audit_log_readers: Vec<String>,
    /// Executables allowed to write, rotate and delete the audit logs (F-AUD-12).
    pub audit_log_writers: Vec<String>,
    /// Directories holding the audit logs (F-AUD-12, F-AUD-13).
    pub audit_log_dirs: Vec<String>,
    /// Hosts expected in the input (as `node=` names or input labels); empty: not checked.
    pub hosts: Vec<String>,
    /// The policies `report` and `findings` evaluate when `--policy` is not given: built-in
    /// names or policy files (relative paths from this file's directory); empty: all
    /// built-ins. Names are checked by `policy::choose` (errors name this file and key).
    pub policies: Vec<String>,
    /// Optional CSV of terminated accounts: `account,YYYY-MM-DD` per line.
    pub terminations: Option<PathBuf>,
    /// Optional exceptions register (TOML, `[[exception]]` entries; see
    /// [`exceptions`]); a relative path is relative to this file's directory.
    pub exceptions: Option<PathBuf>,
    /// SELinux types and path prefixes whose denials are sensitive (F-MAC-04).
    pub sensitive_targets: Vec<String>,
    /// The site locks its audit rules (`-e 2` at the end of the rules): F-AUD-07 checks that
    /// every start of auditd is followed by `audit_enabled=2`.
    pub expect_locked_rules: bool,
    /// Thresholds of the finding rules.
    pub thresholds: Thresholds,
    /// Rule keys (or patterns with `*`) -> meanings. Entries given in the file are added to
    /// the built-in table ([`crate::classify::meaning::BUILTIN_KEYS`]) or replace its entry.
    pub keys: BTreeMap<String, String>,
    /// Where this configuration came from (not a key of the file): stated in every output.
    #[serde(skip)]
    pub source: ConfigSource,
}

/// Thresholds of the finding rules (defaults in `site_defaults.toml`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// F-AUD-01: auditd must be back within this many minutes of a stop.
    pub audit_restart_minutes: u64,
    /// F-AUD-06: rule changes this many seconds after DAEMON_START are the boot load.
    pub rule_load_seconds: u64,
    /// F-AUD-08: serial gaps larger than this many missing serials are findings.
    pub serial_gap_max: u64,
    /// F-AUD-09: a host silent for more than this many hours.
    pub silent_hours: u64,
    /// F-AUD-10: first/last record this many hours inside the period.
    pub coverage_edge_hours: u64,
    /// F-AUD-14: days of records the input must reach back from the period's end.
    pub retention_days: u64,
    /// F-AUTH-01: failures for one account on one host ...
    pub brute_force_failures: u64,
    /// ... within this many minutes.
    pub brute_force_minutes: u64,
    /// F-AUTH-02: failures for one account in one day.
    pub daily_failures: u64,
    /// F-AUTH-03: distinct accounts failed from one address ...
    pub spray_accounts: u64,
    /// ... within this many minutes.
    pub spray_minutes: u64,
    /// F-AUTH-03: invalid-user attempts from one address in one day.
    pub invalid_user_daily: u64,
    /// F-AUTH-04: failures before a success ...
    pub success_after_failures: u64,
    /// ... within this many minutes.
    pub success_after_minutes: u64,
    /// F-AUTH-06: lockouts of one account that raise the finding to medium.
    pub lockouts_escalate: u64,
    /// F-ACCT-01: an account deleted or locked within this many hours of creation.
    pub short_lived_hours: u64,
    /// F-ACCT-04: days after its termination date by which an account must be deleted or
    /// locked.
    pub termination_days: u64,
    /// F-ACCT-05: days without a successful login.
    pub dormant_days: u64,
    /// F-PRIV-03: denied elevations per user per day.
    pub denied_elevations_daily: u64,
    /// F-TIME-02: a clock step backwards of more than this many seconds.
    pub clock_backwards_seconds: u64,
    /// F-FLD-01: percent of user-space records without actor, result or origin.
    pub missing_fields_percent: f64,
    /// F-FILE-01: accesses to sensitive files denied to one person on one host in a day.
    pub denied_access_daily: u64,
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            uid_min: 1000,
            admin_groups: strings(&["wheel", "sudo", "admin", "root", "adm", "docker", "lxd"]),
            admin_users: Vec::new(),
            service_accounts: Vec::new(),
            shared_accounts: strings(&["root"]),
            time_daemons: strings(&["chronyd", "ntpd", "systemd-timesyncd", "ptp4l", "phc2sys"]),
            account_tools: strings(&[
                "useradd",
                "usermod",
                "userdel",
                "groupadd",
                "groupmod",
                "groupdel",
                "gpasswd",
                "passwd",
                "chpasswd",
                "chage",
                "newusers",
                "vipw",
                "vigr",
                "visudo",
                "authselect",
                "chfn",
                "chsh",
                "pwconv",
                "grpconv",
                "systemd-sysusers",
            ]),
            audit_log_readers: Vec::new(),
            audit_log_writers: strings(&["auditd"]),
            audit_log_dirs: strings(&["/var/log/audit/"]),
            hosts: Vec::new(),
            policies: Vec::new(),
            terminations: None,
            exceptions: None,
            expect_locked_rules: false,
            // The SELinux types, then the paths the watched-file rules use by default.
            sensitive_targets: strings(&[
                "shadow_t",
                "auditd_log_t",
                "auditd_etc_t",
                "security_t",
                "sshd_key_t",
            ])
            .into_iter()
            .chain(strings(crate::aggregate::watches::DEFAULT_SENSITIVE_PATHS))
            .collect(),
            thresholds: Thresholds::default(),
            keys: builtin_keys(),
            source: ConfigSource::Defaults,
        }
    }
}

/// The built-in key table as the configuration holds it.
fn builtin_keys() -> BTreeMap<String, String> {
    crate::classify::meaning::BUILTIN_KEYS
        .iter()
        .map(|(k, m)| (k.to_string(), m.to_string()))
        .collect()
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            audit_restart_minutes: 5,
            rule_load_seconds: 120,
            serial_gap_max: 0,
            silent_hours: 4,
            coverage_edge_hours: 24,
            retention_days: 90,
            brute_force_failures: 10,
            brute_force_minutes: 15,
            daily_failures: 20,
            spray_accounts: 5,
            spray_minutes: 60,
            invalid_user_daily: 10,
            success_after_failures: 5,
            success_after_minutes: 30,
            lockouts_escalate: 3,
            short_lived_hours: 720,
            termination_days: 1,
            dormant_days: 90,
            denied_elevations_daily: 3,
            clock_backwards_seconds: 1,
            missing_fields_percent: 1.0,
            denied_access_daily: 3,
        }
    }
}

/// Longest duration a threshold may give, in each unit: 100 years. Longer would be no
/// threshold at all, and a larger number could overflow when turned into milliseconds.
const MAX_DAYS: u64 = 36_500;
const MAX_HOURS: u64 = MAX_DAYS * 24;
const MAX_MINUTES: u64 = MAX_HOURS * 60;
const MAX_SECONDS: u64 = MAX_MINUTES * 60;
/// Largest count threshold (failures, accounts, lockouts, missing serials).
const MAX_COUNT: u64 = u32::MAX as u64;

/// One integer threshold: key, minimum, maximum, unit, and how to read it.
struct Range(&'static str, u64, u64, &'static str, fn(&Thresholds) -> u64);

/// Every integer threshold with its range. A window or a "this many" of 0 would make its
/// rule meaningless (a 0-minute window holds nothing; 0 failures would flag every login),
/// so those start at 1; 0 is kept where it means "none allowed" (missing serials, clock
/// steps, grace after a termination or after DAEMON_START, hours inside the period).
#[rustfmt::skip]
const RANGES: &[Range] = &[
    Range("audit_restart_minutes",   1, MAX_MINUTES, "minutes",  |t| t.audit_restart_minutes),
    Range("rule_load_seconds",       0, MAX_SECONDS, "seconds",  |t| t.rule_load_seconds),
    Range("serial_gap_max",          0, MAX_COUNT,   "serials",  |t| t.serial_gap_max),
    Range("silent_hours",            1, MAX_HOURS,   "hours",    |t| t.silent_hours),
    Range("coverage_edge_hours",     0, MAX_HOURS,   "hours",    |t| t.coverage_edge_hours),
    Range("retention_days",          1, MAX_DAYS,    "days",     |t| t.retention_days),
    Range("brute_force_failures",    1, MAX_COUNT,   "failures", |t| t.brute_force_failures),
    Range("brute_force_minutes",     1, MAX_MINUTES, "minutes",  |t| t.brute_force_minutes),
    Range("daily_failures",          1, MAX_COUNT,   "failures", |t| t.daily_failures),
    Range("spray_accounts",          1, MAX_COUNT,   "accounts", |t| t.spray_accounts),
    Range("spray_minutes",           1, MAX_MINUTES, "minutes",  |t| t.spray_minutes),
    Range("invalid_user_daily",      1, MAX_COUNT,   "attempts", |t| t.invalid_user_daily),
    Range("success_after_failures",  1, MAX_COUNT,   "failures", |t| t.success_after_failures),
    Range("success_after_minutes",   1, MAX_MINUTES, "minutes",  |t| t.success_after_minutes),
    Range("lockouts_escalate",       1, MAX_COUNT,   "lockouts", |t| t.lockouts_escalate),
    Range("short_lived_hours",       1, MAX_HOURS,   "hours",    |t| t.short_lived_hours),
    Range("termination_days",        0, MAX_DAYS,    "days",     |t| t.termination_days),
    Range("dormant_days",            1, MAX_DAYS,    "days",     |t| t.dormant_days),
    Range("denied_elevations_daily", 1, MAX_COUNT,   "denials",  |t| t.denied_elevations_daily),
    Range("denied_access_daily",     1, MAX_COUNT,   "denials",  |t| t.denied_access_daily),
    Range("clock_backwards_seconds", 0, MAX_SECONDS, "seconds",  |t| t.clock_backwards_seconds),
];

impl Thresholds {
    /// `Err((key, message))` for the first threshold outside its range: every integer one
    /// against [`RANGES`], `missing_fields_percent` a percentage from 0 to 100.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        for &Range(key, min, max, unit, get) in RANGES {
            let v = get(self);
            if !(min..=max).contains(&v) {
                return Err((key, format!("{v} is out of range ({min} to {max} {unit})")));
            }
        }
        let pct = self.missing_fields_percent;
        if !(0.0..=100.0).contains(&pct) {
            return Err((
                "missing_fields_percent",
                format!("{pct} is not a percentage (0 to 100)"),
            ));
        }
        Ok(())
    }
}

/// A configuration file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has an unknown or mistyped key.
    #[error("{path}: {message} (see `auditrail config --print-defaults`)")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What toml said.
        message: String,
    },
    /// A threshold outside its range.
    #[error(
        "{path}: key `thresholds.{key}`{line}: {message} (see `auditrail config --print-defaults`)"
    )]
    Range {
        /// The file.
        path: PathBuf,
        /// The key inside `[thresholds]`.
        key: &'static str,
        /// ` (line N)` when the key was found in the file, else empty.
        line: String,
        /// The value and its range.
        message: String,
    },
    /// A line of the terminations file is not `account,YYYY-MM-DD`.
    #[error("{path}:{line}: expected `account,YYYY-MM-DD`")]
    Termination {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
    },
}

impl SiteConfig {
    /// Parses a configuration; `path` names it in errors. Its `[keys]` entries are added
    /// to the built-in table.
    pub fn parse(text: &str, path: &Path) -> Result<Self, SiteError> {
        let mut site: SiteConfig = toml::from_str(text).map_err(|e| SiteError::Parse {
            path: path.to_path_buf(),
            message: e.message().to_string() + &key_hint(&e, text),
        })?;
        for (key, meaning) in &site.keys {
            let ok = !meaning.is_empty()
                && meaning
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !ok || key.is_empty() {
                return Err(SiteError::Parse {
                    path: path.to_path_buf(),
                    message: format!(
                        "keys.\"{key}\": a meaning is lowercase letters, digits and `-` \
                         (e.g. \"identity-files\"), got \"{meaning}\""
                    ),
                });
            }
        }
        if let Some(dup) = site
            .policies
            .iter()
            .enumerate()
            .find(|(i, p)| p.is_empty() || site.policies[..*i].contains(p))
            .map(|(_, p)| p.clone())
        {
            return Err(SiteError::Parse {
                path: path.to_path_buf(),
                message: format!(
                    "key `policies`{}: {}",
                    key_line(text, "policies").map_or_else(String::new, |n| format!(" (line {n})")),
                    if dup.is_empty() {
                        "an empty name".to_string()
                    } else {
                        format!("\"{dup}\" is listed twice")
                    }
                ),
            });
        }
        site.thresholds
            .check()
            .map_err(|(key, message)| SiteError::Range {
                path: path.to_path_buf(),
                key,
                line: key_line(text, key).map_or_else(String::new, |n| format!(" (line {n})")),
                message,
            })?;
        let mut keys = builtin_keys();
        keys.append(&mut site.keys);
        site.keys = keys;
        Ok(site)
    }

    /// What the aggregator needs from the configuration: the key table, the audit log
    /// directories and the sensitive path prefixes.
    pub fn watch_config(&self) -> crate::aggregate::WatchConfig {
        let meanings = crate::classify::KeyMeanings::from_pairs(
            self.keys.iter().map(|(k, m)| (k.as_str(), m.as_str())),
        );
        let paths = self
            .sensitive_targets
            .iter()
            .filter(|t| t.starts_with('/'))
            .cloned()
            .collect();
        crate::aggregate::WatchConfig::new(meanings, self.audit_log_dirs.clone(), paths)
    }

    /// Reads `path`.
    pub fn load(path: &Path) -> Result<Self, SiteError> {
        let text = std::fs::read_to_string(path).map_err(|source| SiteError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut site = Self::parse(&text, path)?;
        if let (Some(e), Some(dir)) = (&site.exceptions, path.parent()) {
            site.exceptions = Some(dir.join(e));
        }
        site.source = ConfigSource::File(path.to_path_buf());
        Ok(site)
    }

    /// Reads the terminations file, if one is configured: (account, day) pairs.
    pub fn terminations(&self) -> Result<Vec<(String, chrono::NaiveDate)>, SiteError> {
        let Some(path) = &self.terminations else {
            return Ok(Vec::new());
        };
        let text = std::fs::read_to_string(path).map_err(|source| SiteError::Read {
            path: path.clone(),
            source,
        })?;
        parse_terminations(&text, path)
    }
}

/// Parses `account,YYYY-MM-DD` lines; blank lines, `#` comments and a header line starting
/// with `account` are skipped.
pub fn parse_terminations(
    text: &str,
    path: &Path,
) -> Result<Vec<(String, chrono::NaiveDate)>, SiteError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || (i == 0 && line.starts_with("account")) {
            continue;
        }
        let bad = || SiteError::Termination {
            path: path.to_path_buf(),
            line: i + 1,
        };
        let (acct, day) = line.split_once(',').ok_or_else(bad)?;
        let day = chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").map_err(|_| bad())?;
        out.push((acct.trim().to_string(), day));
    }
    Ok(out)
}

/// The 1-based line of `key = ...` in `text`, if it is there (for range errors: the value
/// parsed, so the key is in the file unless it took its default).
pub(crate) fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

fn key_hint(e: &toml::de::Error, text: &str) -> String {
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            // The key of a `key = value` line, so a wrong value names it.
            let key = text
                .lines()
                .nth(line - 1)
                .and_then(|l| l.split_once('='))
                .map(|(k, _)| k.trim())
                .filter(|k| {
                    !k.is_empty()
                        && k.chars()
                            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
                });
            match key {
                Some(k) => format!(" (line {line}, key `{k}`)"),
                None => format!(" (line {line})"),
            }
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_defaults_are_the_defaults() {
        let parsed = SiteConfig::parse(DEFAULTS_TOML, Path::new("defaults")).unwrap();
        assert_eq!(parsed, SiteConfig::default());
    }

    /// The field names serde knows, from the error an unknown key gives (it lists them
    /// all), so a field added later is covered without editing this test.
    fn fields(table: &str) -> Vec<String> {
        let text = format!("{table}\nzz_not_a_key = 1\n");
        let err = toml::from_str::<SiteConfig>(&text).unwrap_err().to_string();
        let expected = err.split("expected one of").nth(1).expect("field list");
        expected
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn printed_defaults_list_every_key() {
        let top = fields("");
        let thresholds = fields("[thresholds]");
        assert!(top.contains(&"expect_locked_rules".to_string()), "{top:?}");
        assert!(
            thresholds.contains(&"retention_days".to_string()),
            "{thresholds:?}"
        );
        let (head, rest) = DEFAULTS_TOML.split_once("\n[thresholds]\n").unwrap();
        let (thr, _) = rest.split_once("\n[keys]\n").unwrap();
        let listed = |text: &str, key: &str| {
            text.lines().any(|l| {
                let l = l.trim_start_matches("# ");
                l.strip_prefix(key)
                    .is_some_and(|r| r.trim_start().starts_with('='))
            }) || (key == "keys" || key == "thresholds") && text.contains(&format!("[{key}]"))
        };
        for key in &top {
            let in_file = listed(head, key) || key == "thresholds" || key == "keys";
            assert!(in_file, "`{key}` missing from site_defaults.toml");
        }
        for key in &thresholds {
            assert!(
                listed(thr, key),
                "`thresholds.{key}` missing from site_defaults.toml"
            );
        }
    }

    #[test]
    fn the_printed_key_table_is_the_builtin_one() {
        let raw: SiteConfig = toml::from_str(DEFAULTS_TOML).unwrap();
        assert_eq!(raw.keys, builtin_keys());
    }

    #[test]
    fn empty_file_is_all_defaults() {
        assert_eq!(
            SiteConfig::parse("", Path::new("x")).unwrap(),
            SiteConfig::default()
        );
    }

    #[test]
    fn unknown_key_names_file_and_key() {
        let err = SiteConfig::parse("[thresholds]\nbrute_force = 3\n", Path::new("site.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("site.toml: "), "{err}");
        assert!(err.contains("brute_force"), "{err}");
    }

    #[test]
    fn thresholds_out_of_range_name_file_key_and_line() {
        let err = |t: &str| {
            SiteConfig::parse(
                &format!("uid_min = 1000\n[thresholds]\n{t}\n"),
                Path::new("site.toml"),
            )
            .unwrap_err()
            .to_string()
        };
        let see = "(see `auditrail config --print-defaults`)";
        assert_eq!(
            err("brute_force_minutes = 0"),
            format!("site.toml: key `thresholds.brute_force_minutes` (line 3): 0 is out of range (1 to 52560000 minutes) {see}")
        );
        assert_eq!(
            err("rule_load_seconds = 18446744073709551615"),
            format!("site.toml: key `thresholds.rule_load_seconds` (line 3): 18446744073709551615 is out of range (0 to 3153600000 seconds) {see}")
        );
        assert_eq!(
            err("missing_fields_percent = 150.0"),
            format!("site.toml: key `thresholds.missing_fields_percent` (line 3): 150 is not a percentage (0 to 100) {see}")
        );
        assert!(err("missing_fields_percent = nan").contains("NaN is not a percentage"));
        assert!(err("missing_fields_percent = -1.0").contains("-1 is not a percentage"));
        assert!(err("silent_hours = 0")
            .contains("`thresholds.silent_hours` (line 3): 0 is out of range"));
        assert!(err("retention_days = 40000").contains("40000 is out of range (1 to 36500 days)"));
        assert!(err("success_after_failures = 0").contains("success_after_failures"));
        // A negative integer is a type error from toml; it names the line and the key.
        let neg = err("daily_failures = -3");
        assert!(
            neg.contains("(line 3") && neg.contains("daily_failures"),
            "{neg}"
        );
        // Every integer threshold has a range.
        let keys = toml::Value::try_from(Thresholds::default()).unwrap();
        for (key, v) in keys.as_table().unwrap() {
            let ranged = RANGES.iter().any(|r| r.0 == key);
            assert_eq!(ranged, v.is_integer(), "{key}: range in RANGES");
        }
        // Every default is inside its range, and each boundary is accepted.
        assert!(Thresholds::default().check().is_ok());
        for &Range(key, min, max, ..) in RANGES {
            for v in [min, max] {
                let text = format!("[thresholds]\n{key} = {v}\n");
                assert!(SiteConfig::parse(&text, Path::new("x")).is_ok(), "{text}");
            }
        }
    }

    #[test]
    fn site_keys_add_to_the_builtin_table() {
        let site = SiteConfig::parse(
            "[keys]\n\"chd-*\" = \"cardholder-data\"\naccess = \"file-access\"\n",
            Path::new("site.toml"),
        )
        .unwrap();
        assert_eq!(site.keys["chd-*"], "cardholder-data");
        assert_eq!(site.keys["access"], "file-access");
        assert_eq!(site.keys["identity"], "identity-files", "built-in kept");
        let w = site.watch_config();
        assert_eq!(w.meanings().resolve("chd-orders"), Some("cardholder-data"));
        let err = SiteConfig::parse("[keys]\nx = \"Bad Meaning\"\n", Path::new("s.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("keys.\"x\""), "{err}");
    }

    #[test]
    fn default_sensitive_paths_are_the_aggregators() {
        let site = SiteConfig::default();
        assert_eq!(
            site.watch_config(),
            crate::aggregate::WatchConfig::default()
        );
    }

    #[test]
    fn terminations_parse_and_reject() {
        let t = parse_terminations("account,date\nbob,2026-10-05\n", Path::new("t.csv")).unwrap();
        assert_eq!(t[0].0, "bob");
        let err = parse_terminations("bob 2026\n", Path::new("t.csv")).unwrap_err();
        assert_eq!(err.to_string(), "t.csv:1: expected `account,YYYY-MM-DD`");
    }
}
