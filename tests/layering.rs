//! ARCHITECTURE.md's module table is an order: a module uses only the modules above it.
//! This reads the table and every file under `src/`, and fails when a file reaches a
//! top-level module listed below its own (`use crate::x`, `crate::x::...` in code, or
//! `auditrail::x` in the binary). Modules are compared by their top-level name; the rows of
//! one module (`parse::record`, `parse::journal`, ...) share its first row's place.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The table's modules in order: each row's first cell, its backticked names reduced to
/// their top-level module (`parse::record` -> `parse`, `aggregate/*` -> `aggregate`,
/// `main` (binary) -> `main`); a module's place is its first row.
fn table_order(text: &str) -> BTreeMap<String, usize> {
    let mut order = BTreeMap::new();
    let rows = text
        .lines()
        .skip_while(|l| !l.starts_with("| module |"))
        .skip(2)
        .take_while(|l| l.starts_with('|') || l.trim().is_empty())
        .filter(|l| l.starts_with('|'));
    for (rank, row) in rows.enumerate() {
        let cell = row.split('|').nth(1).unwrap_or_default();
        for name in cell.split('`').skip(1).step_by(2) {
            let top: String = name
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            assert!(!top.is_empty(), "unreadable module name `{name}` in {row}");
            order.entry(top).or_insert(rank);
        }
    }
    order
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file under `src/` belongs to (`src/render/text/summary.rs` ->
/// `render`, `src/main.rs` -> `main`); `None` for the crate root.
fn module_of(rel: &Path) -> Option<String> {
    let first = rel.components().nth(1)?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib").then(|| name.to_string())
}

/// The top-level modules a line of code names through `prefix` (`crate::` or
/// `auditrail::`), including each name of a braced group (`crate::{a, b::c}`).
fn reached(code: &str, prefix: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + prefix.len()..];
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                found.push(ident(item.trim()));
            }
        } else {
            found.push(ident(rest));
        }
    }
    found.retain(|m| !m.is_empty() && m != "self");
    found
}

fn ident(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// Code of a line: without `//` comments (doc comments name modules in links) and without
/// string literals' contents (messages may say `crate::`).
fn code(line: &str) -> String {
    let mut out = String::new();
    let mut in_str = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => in_str = !in_str,
            '\\' if in_str => {
                chars.next();
            }
            '/' if !in_str && chars.peek() == Some(&'/') => break,
            _ if in_str => {}
            _ => out.push(c),
        }
    }
    out
}

/// Every use of a module listed below the using file's own module: (file:line, module,
/// its module, the module used).
fn upward_uses(order: &BTreeMap<String, usize>) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    files.sort();
    let mut bad = Vec::new();
    for path in files {
        let rel = path.strip_prefix(root()).unwrap().to_path_buf();
        let Some(own) = module_of(&rel) else { continue };
        let own_rank = *order.get(&own).unwrap_or_else(|| {
            panic!(
                "{own} (of {}) is not in ARCHITECTURE.md's table",
                rel.display()
            )
        });
        let prefix = if own == "main" {
            "auditrail::"
        } else {
            "crate::"
        };
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            for used in reached(&code(line), prefix) {
                let Some(&rank) = order.get(&used) else {
                    continue; // a crate-root item (`crate::Error`), not a module
                };
                let file = rel.to_str().unwrap().replace('\\', "/");
                if rank > own_rank {
                    bad.push(format!(
                        "{file}:{}: {own} uses {used}, listed below it",
                        n + 1
                    ));
                }
            }
        }
    }
    bad
}

#[test]
fn no_module_uses_one_listed_below_it_in_architecture_md() {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let order = table_order(&text);
    for m in [
        "model",
        "parse",
        "aggregate",
        "report",
        "render",
        "cli",
        "cmd",
        "main",
    ] {
        assert!(order.contains_key(m), "ARCHITECTURE.md's table lost `{m}`");
    }
    let bad = upward_uses(&order);
    assert!(bad.is_empty(), "upward imports:\n{}", bad.join("\n"));
}

#[test]
fn the_checker_sees_grouped_inline_and_binary_uses() {
    assert_eq!(
        reached("use crate::{cmd, render::text};", "crate::"),
        ["cmd", "render"]
    );
    assert_eq!(
        reached("let x = crate::cmd::empty::f(q);", "crate::"),
        ["cmd"]
    );
    assert_eq!(reached("auditrail::cmd::run(c)", "auditrail::"), ["cmd"]);
    assert!(reached(&code("/// [`crate::cmd::run`]"), "crate::").is_empty());
    assert!(reached(&code(r#"bail!("crate::cmd")"#), "crate::").is_empty());
    assert!(reached("use mycrate::cmd;", "crate::").is_empty());
    let order = table_order("| module | owns |\n|---|---|\n| `a::x`, `b` | . |\n| `c/*` | . |\n");
    assert_eq!(order["a"], 0);
    assert_eq!(order["b"], 0);
    assert_eq!(order["c"], 1);
}
