use super::*;
use crate::model::Stamp;
use proptest::prelude::*;

/// A `journalctl -o json` line of the audit transport, fields in journalctl's hash order.
fn audit_json(message: &str) -> String {
    format!(
        r#"{{"_AUDIT_ID":"812","__CURSOR":"s=1;i=2","_TRANSPORT":"audit","MESSAGE":{},"_HOSTNAME":"bastion","_AUDIT_TYPE":"1112","__REALTIME_TIMESTAMP":"1790812800252001","_SOURCE_REALTIME_TIMESTAMP":"1790812800250000","_AUDIT_TYPE_NAME":"USER_LOGIN","SYSLOG_IDENTIFIER":"audit","_PID":"1"}}"#,
        serde_json::to_string(message).unwrap()
    )
}

/// The rebuilt line and header of an entry that must be a record.
fn record(entry: Option<Entry<'_>>) -> (String, Record<'_>) {
    match entry {
        Some(Entry::Record(rec, line)) => (String::from_utf8_lossy(line).into_owned(), rec),
        other => panic!("not a record: {other:?}"),
    }
}

fn outcome(entry: Option<Entry<'_>>) -> Result<Skip, Reject> {
    match entry {
        Some(Entry::Skipped(s)) => Ok(s),
        Some(Entry::Rejected(r)) => Err(r),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn json_audit_entry_becomes_the_raw_line() {
    let mut j = JournalReader::new(1 << 20);
    let line = audit_json("USER_LOGIN pid=1 uid=0 msg='op=login acct=\"bob\" res=failed'");
    let (text, rec) = record(j.json_line(line.as_bytes()));
    assert_eq!(
        text,
        "node=bastion type=USER_LOGIN msg=audit(1790812800.250:812): pid=1 uid=0 \
         msg='op=login acct=\"bob\" res=failed'"
    );
    assert_eq!(rec.rtype, RecordType::USER_LOGIN);
    assert_eq!(rec.node, Some(&b"bastion"[..]));
    assert_eq!(
        rec.stamp,
        Stamp {
            sec: 1_790_812_800,
            ms: 250,
            serial: 812
        }
    );
    assert!(rec.prefix.is_empty());
}

#[test]
fn message_as_bytes_and_with_newlines() {
    let mut j = JournalReader::new(1 << 20);
    // Not valid UTF-8: journalctl writes the value as an array of byte numbers.
    let bytes: Vec<String> = b"USER_CMD cwd=\"r\xe9sum\xe9\" res=success"
        .iter()
        .map(u8::to_string)
        .collect();
    let line = audit_json("x").replace("\"x\"", &format!("[ {} ]", bytes.join(", ")));
    let (_, rec) = record(j.json_line(line.as_bytes()));
    assert_eq!(rec.body, b"cwd=\"r\xe9sum\xe9\" res=success");
    let (_, rec) = record(j.json_line(audit_json("USER_LOGIN a=1\nb=2").as_bytes()));
    assert_eq!(
        rec.body, b"a=1 b=2",
        "newlines become spaces, as auditd writes them"
    );
}

#[test]
fn the_stamp_in_message_wins_and_type_names_fall_back() {
    let mut j = JournalReader::new(1 << 20);
    let line = audit_json("USER_LOGIN audit(1790812801.999:9): pid=1");
    let (_, rec) = record(j.json_line(line.as_bytes()));
    assert_eq!(rec.stamp.ms, 999);
    assert_eq!(rec.stamp.serial, 9);
    assert_eq!(rec.body, b"pid=1");
    // No _AUDIT_TYPE: the name decides, systemd's AUDIT<nnnn> form included.
    let line = audit_json("AUDIT1334 prog-id=5 op=LOAD")
        .replace(r#""_AUDIT_TYPE":"1112","#, "")
        .replace("USER_LOGIN", "AUDIT1334");
    let (text, rec) = record(j.json_line(line.as_bytes()));
    assert_eq!(rec.rtype, RecordType(1334));
    assert_eq!(rec.body, b"prog-id=5 op=LOAD", "{text}");
    // A body starting with a bare word keeps it: only the type name goes.
    let line = audit_json("AVC avc:  denied  { read } for pid=1").replace("USER_LOGIN", "AVC");
    let (_, rec) = record(j.json_line(line.as_bytes()));
    assert_eq!(rec.body, b"avc:  denied  { read } for pid=1");
}

#[test]
fn other_transports_are_skipped_and_copies_named() {
    let mut j = JournalReader::new(1 << 20);
    let sshd = r#"{"__CURSOR":"c","_TRANSPORT":"syslog","MESSAGE":"Accepted password for bob","_HOSTNAME":"bastion"}"#;
    assert_eq!(
        outcome(j.json_line(sshd.as_bytes())),
        Ok(Skip::JournalNotAudit)
    );
    let kmsg = r#"{"__CURSOR":"c","_TRANSPORT":"kernel","MESSAGE":"audit: type=1400 audit(1790812800.250:3): apparmor=\"DENIED\""}"#;
    assert_eq!(
        outcome(j.json_line(kmsg.as_bytes())),
        Ok(Skip::JournalAuditCopy)
    );
    let nothing = r#"{"__CURSOR":"c"}"#;
    assert_eq!(
        outcome(j.json_line(nothing.as_bytes())),
        Ok(Skip::JournalNotAudit)
    );
}

#[test]
fn unreadable_audit_entries_are_rejected_with_a_reason() {
    let mut j = JournalReader::new(1 << 20);
    let good = audit_json("USER_LOGIN pid=1");
    let cases = [
        (
            good.replace(r#""USER_LOGIN pid=1""#, "null"),
            Reject::JournalOmitted,
        ),
        (
            good.replace(r#""_AUDIT_ID":"812","#, ""),
            Reject::JournalIncomplete,
        ),
        (
            good.replace(r#""_SOURCE_REALTIME_TIMESTAMP":"1790812800250000","#, ""),
            Reject::JournalIncomplete,
        ),
        (
            good.replace(r#""MESSAGE":"USER_LOGIN pid=1","#, ""),
            Reject::JournalIncomplete,
        ),
        (
            good.replace(r#""812""#, r#""81x""#),
            Reject::JournalBadField,
        ),
        (
            good.replace(r#""812""#, r#"["1","2"]"#),
            Reject::JournalBadField,
        ),
        (
            good.replace(r#""bastion""#, r#""bad host""#),
            Reject::JournalBadField,
        ),
        (good.replace(r#""1112""#, "1112"), Reject::JournalBadField),
        (good.replace("}", ""), Reject::JournalMalformed),
        (
            good.replace(r#""_PID":"1""#, r#""_PID":"1","_AUDIT_ID":"813""#),
            Reject::JournalBadField,
        ),
        (
            good.replace("1790812800250000", "99999999999999999999"),
            Reject::JournalBadField,
        ),
    ];
    for (line, want) in cases {
        assert_eq!(outcome(j.json_line(line.as_bytes())), Err(want), "{line}");
    }
}

#[test]
fn json_that_is_no_journal_entry_is_left_to_the_raw_parser() {
    let mut j = JournalReader::new(1 << 20);
    assert!(j
        .json_line(br#"{"ID":"1.2:3","SYSCALL":{"a":"b"}}"#)
        .is_none());
    assert!(j.json_line(b"{ not json type=USER_LOGIN").is_none());
}

/// An export entry's first line and its rebuilt line, or why it is none.
type Read = (u64, Result<String, Result<Skip, Reject>>);

/// Feeds `text` to an export reader as the reading loop would: split at every newline.
fn export_entries(text: &[u8]) -> Vec<Read> {
    let mut j = JournalReader::new(1 << 20);
    let mut out = Vec::new();
    let mut take = |first, e: Entry<'_>| {
        let r = match e {
            Entry::Record(_, line) => Ok(String::from_utf8_lossy(line).into_owned()),
            Entry::Skipped(s) => Err(Ok(s)),
            Entry::Rejected(r) => Err(Err(r)),
        };
        out.push((first, r));
    };
    let text = text.strip_suffix(b"\n").unwrap_or(text);
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        let n = i as u64 + 1;
        if j.in_export() {
            if j.export_line(line, false) == ExportStep::Taken {
                continue;
            }
            if let Some((first, e)) = j.finish_export() {
                take(first, e);
            }
        }
        if starts_export_entry(line) {
            j.start_export(n);
            j.export_line(line, false);
        }
    }
    if let Some((first, e)) = j.finish_export() {
        take(first, e);
    }
    out
}

fn binary(name: &str, data: &[u8]) -> Vec<u8> {
    let mut v = format!("{name}\n").into_bytes();
    v.extend_from_slice(&(data.len() as u64).to_le_bytes());
    v.extend_from_slice(data);
    v.push(b'\n');
    v
}

const EXPORT_HEAD: &str = "__CURSOR=s=1;i=2\n__REALTIME_TIMESTAMP=1790812800252001\n\
_TRANSPORT=audit\n_AUDIT_TYPE=1112\n_AUDIT_ID=812\n_HOSTNAME=bastion\n\
_SOURCE_REALTIME_TIMESTAMP=1790812800250000\n_AUDIT_TYPE_NAME=USER_LOGIN\n";

#[test]
fn export_entries_text_and_binary() {
    let mut text = format!("{EXPORT_HEAD}MESSAGE=USER_LOGIN pid=1 res=failed\n\n").into_bytes();
    // A binary MESSAGE holding newlines, and a size whose bytes hold a newline (10 + 256).
    let mut data = b"USER_CMD cwd=\"\xe9\"\nnext=1 ".to_vec();
    data.resize(266, b'x');
    assert_eq!((data.len() as u64).to_le_bytes()[0], b'\n');
    text.extend_from_slice(EXPORT_HEAD.as_bytes());
    text.extend(binary("_AUDIT_FIELD_X", b"\n\n\n"));
    text.extend(binary("MESSAGE", &data));
    text.extend_from_slice(b"\n__CURSOR=x\n_TRANSPORT=syslog\nMESSAGE=hello\n\n");
    let got = export_entries(&text);
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0].0, 1);
    assert_eq!(
        got[0].1,
        Ok("node=bastion type=USER_LOGIN msg=audit(1790812800.250:812): pid=1 res=failed".into())
    );
    assert_eq!(got[1].0, 11);
    let line = got[1].1.as_ref().unwrap();
    assert!(
        line.ends_with(&format!("cwd=\"\u{fffd}\" next=1 {}", "x".repeat(242))),
        "{line}"
    );
    assert_eq!(got[2].1, Err(Ok(Skip::JournalNotAudit)));
}

#[test]
fn export_entry_ends_at_a_line_that_is_no_field() {
    let text = format!("{EXPORT_HEAD}MESSAGE=USER_LOGIN pid=1\ntype=EOE msg=audit(1.0:1): \n");
    let got = export_entries(text.as_bytes());
    assert_eq!(got.len(), 1);
    assert!(got[0].1.is_ok());
    // Without MESSAGE the cut entry is incomplete.
    let got = export_entries(format!("{EXPORT_HEAD}type=EOE msg=audit(1.0:1): \n").as_bytes());
    assert_eq!(got[0].1, Err(Err(Reject::JournalIncomplete)));
}

#[test]
fn broken_binary_fields_reject_the_entry() {
    // Data longer than its size says.
    let mut text = EXPORT_HEAD.as_bytes().to_vec();
    let mut b = binary("MESSAGE", b"USER_LOGIN a=1");
    b.insert(b.len() - 1, b'!');
    text.extend(b);
    assert_eq!(
        export_entries(&text)[0].1,
        Err(Err(Reject::JournalMalformed))
    );
    // The file ends inside the data.
    let mut text = EXPORT_HEAD.as_bytes().to_vec();
    let b = binary("MESSAGE", b"USER_LOGIN a=1");
    text.extend_from_slice(&b[..b.len() - 5]);
    assert_eq!(
        export_entries(&text)[0].1,
        Err(Err(Reject::JournalMalformed))
    );
    // A size over the limit.
    let mut text = EXPORT_HEAD.as_bytes().to_vec();
    text.extend_from_slice(b"MESSAGE\n");
    text.extend_from_slice(&u64::MAX.to_le_bytes());
    text.extend_from_slice(b"\n\n");
    assert_eq!(
        export_entries(&text)[0].1,
        Err(Err(Reject::JournalMalformed))
    );
}

#[test]
fn export_entry_starts_need_a_double_underscore_field() {
    assert!(starts_export_entry(b"__CURSOR=s=1"));
    assert!(starts_export_entry(b"__REALTIME_TIMESTAMP=1"));
    assert!(!starts_export_entry(b"__cursor=1"));
    assert!(!starts_export_entry(b"__CURSOR"));
    assert!(!starts_export_entry(b"_TRANSPORT=audit"));
    assert!(!starts_export_entry(b"type=EOE msg=audit(1.0:1): "));
}

proptest! {
    #[test]
    fn json_values_decode_as_serde_json_reads_them(
        fields in proptest::collection::btree_map("[A-Z_]{1,12}", any::<String>(), 0..6),
        message in any::<String>(),
    ) {
        let mut obj = serde_json::Map::new();
        for (k, v) in &fields {
            obj.insert(k.clone(), serde_json::Value::String(v.clone()));
        }
        obj.insert("MESSAGE".into(), serde_json::Value::String(message.clone()));
        let line = serde_json::to_string(&obj).unwrap();
        let mut r = json::ObjectReader::new(line.as_bytes()).unwrap();
        let mut key = Vec::new();
        let mut out = Vec::new();
        let mut seen = 0;
        while r.next_key(&mut key).unwrap() {
            out.clear();
            prop_assert_eq!(r.value_into(&mut out).unwrap(), json::Value::Bytes { start: 0 });
            let k = String::from_utf8(key.clone()).unwrap();
            prop_assert_eq!(out.as_slice(), obj[&k].as_str().unwrap().as_bytes());
            seen += 1;
        }
        prop_assert_eq!(seen, obj.len());
    }

    #[test]
    fn arbitrary_lines_never_panic(line in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut j = JournalReader::new(1 << 10);
        let mut with_brace = b"{".to_vec();
        with_brace.extend_from_slice(&line);
        let _ = j.json_line(&with_brace);
        j.start_export(1);
        for part in line.split(|&b| b == b'\n') {
            let _ = j.export_line(part, false);
        }
        let _ = j.finish_export();
    }
}
