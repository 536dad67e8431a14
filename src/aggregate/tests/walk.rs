//! The walk over what a summary writes ([`crate::aggregate::walk`]) finds every source the
//! file states: the raw lines a summary.json carries are those of every `{file, line}` in
//! it, whichever list, coverage entry or range states it.

use super::corpus::{logs, summarize_file};
use crate::model::{FileId, Source};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// Every `{"file": N, "line": M}` object in `v`.
fn stated(v: &Value, out: &mut BTreeSet<Source>) {
    match v {
        Value::Object(o) => {
            if let (2, Some(file), Some(line)) = (o.len(), o.get("file"), o.get("line")) {
                if let (Some(file), Some(line)) = (file.as_u64(), line.as_u64()) {
                    out.insert(Source {
                        file: FileId(u32::try_from(file).unwrap()),
                        line,
                    });
                    return;
                }
            }
            o.values().for_each(|x| stated(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| stated(x, out)),
        _ => {}
    }
}

#[test]
fn every_source_a_summary_states_is_found() {
    let mut files = Vec::new();
    logs(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"),
        &mut files,
    );
    let mut found = 0;
    let mut kinds = BTreeSet::new();
    for f in &files {
        let s = summarize_file(f);
        let v = serde_json::to_value(&s).unwrap();
        let mut expected = BTreeSet::new();
        stated(&v, &mut expected);
        assert_eq!(s.cited_sources(), expected, "{}", f.display());
        found += expected.len();
        // Which parts stated them: facts, coverage, outside ranges, rule loads, ...
        for (k, x) in v.as_object().unwrap() {
            let mut here = BTreeSet::new();
            stated(x, &mut here);
            if !here.is_empty() {
                kinds.insert(k.clone());
            }
        }
    }
    assert!(found > 500, "{found} sources");
    for part in ["hosts", "logins", "mac", "watches", "config", "accounts"] {
        assert!(kinds.contains(part), "no source under {part}: {kinds:?}");
    }
}
