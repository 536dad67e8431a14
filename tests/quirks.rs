//! Each quirk of the format, end to end: a line in, the JSON that `auditrail events` prints.

use crate::common::write;
use auditrail::cmd::events::event_json;
use auditrail::input;
use auditrail::parse::{read_events, Event, InputQuality, ReadOptions};
use serde_json::{json, Value};

fn events(text: &[u8]) -> (Vec<Value>, InputQuality) {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "audit.log", text);
    let set = input::collect(&[p]).unwrap();
    let mut out = Vec::new();
    let q = read_events(&set, &ReadOptions::default(), &mut |ev: &Event| {
        out.push(serde_json::to_value(event_json(ev, &set.files, true)).unwrap());
    })
    .unwrap();
    assert!(q.is_balanced());
    (out, q)
}

fn one(text: &str) -> Value {
    let (mut evs, _) = events(text.as_bytes());
    assert_eq!(evs.len(), 1, "{evs:#?}");
    evs.remove(0)
}

#[test]
fn user_space_payload_is_its_own_fields() {
    let ev = one("node=bastion type=USER_LOGIN msg=audit(1790812800.250:812): pid=1 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0 msg='op=login acct=\"alice\" exe=\"/usr/sbin/sshd\" hostname=? addr=198.51.100.9 terminal=ssh res=failed'\n");
    assert_eq!(ev["node"], "bastion");
    assert_eq!(ev["time"], "2026-10-01T00:00:00.250Z");
    assert_eq!(ev["serial"], 812);
    let r = &ev["records"][0];
    assert_eq!(r["type"], "USER_LOGIN");
    assert_eq!(r["fields"]["auid"], "4294967295");
    assert_eq!(r["msg"]["op"], "login");
    assert_eq!(r["msg"]["acct"], "alice");
    assert_eq!(r["msg"]["res"], "failed");
    assert_eq!(r["source"]["line"], 1);
}

#[test]
fn hex_fields_decode_but_numeric_ids_do_not() {
    let ev = one("type=ADD_USER msg=audit(1790812800.000:1): pid=5 uid=0 auid=1000 ses=2 msg='op=adding user id=1501 exe=\"/usr/sbin/useradd\" acct=6A6F686E20646F65 res=success'");
    let r = &ev["records"][0];
    assert_eq!(r["msg"]["id"], "1501");
    assert_eq!(r["msg"]["op"], "adding user");
    assert_eq!(r["decoded"]["acct"], "john doe");
    assert!(r["decoded"].get("id").is_none());
}

#[test]
fn execve_chunks_and_proctitle_and_keys() {
    let log = "type=SYSCALL msg=audit(1790812800.000:9): arch=c000003e syscall=59 success=yes exit=0 a0=55d a1=10 key=74696D652D6368616E6765016964656E74697479\n\
type=EXECVE msg=audit(1790812800.000:9): argc=3 a0=\"ls\" a1=2D6C20 a2_len=6 a2[0]=\"abc\" a2[1]=646566\n\
type=PROCTITLE msg=audit(1790812800.000:9): proctitle=6C73002D6C20\n\
type=EOE msg=audit(1790812800.000:9): \n";
    let ev = one(log);
    assert_eq!(ev["argv"], json!(["ls", "-l ", "abcdef"]));
    assert_eq!(
        ev["records"][0]["decoded"]["key"],
        json!(["time-change", "identity"])
    );
    assert!(
        ev["records"][0]["decoded"].get("a1").is_none(),
        "SYSCALL a1 is a number"
    );
    assert_eq!(
        ev["records"][2]["decoded"]["proctitle"],
        json!(["ls", "-l "])
    );
    assert_eq!(ev["completion"], "eoe");
}

#[test]
fn enriched_section_is_kept_apart() {
    let ev = one("type=SYSCALL msg=audit(1790812800.000:3): arch=c000003e syscall=2 auid=1001 uid=0 key=(null)\x1dARCH=x86_64 SYSCALL=open AUID=\"carol\" UID=\"root\"\ntype=EOE msg=audit(1790812800.000:3): \n");
    let r = &ev["records"][0];
    assert_eq!(r["fields"]["key"], "(null)");
    assert_eq!(r["enriched"]["AUID"], "carol");
    assert_eq!(r["enriched"]["SYSCALL"], "open");
    assert!(r["fields"].get("AUID").is_none());
    // ENRICHED written with a space instead of 0x1d, as some forwarders do.
    let ev = one("type=USER_AUTH msg=audit(1790812800.000:4): pid=1 uid=0 auid=1001 msg='op=PAM:authentication acct=\"carol\" res=success' UID=\"root\" AUID=\"carol\"");
    assert_eq!(ev["records"][0]["enriched"]["AUID"], "carol");
    assert_eq!(ev["records"][0]["msg"]["res"], "success");
}

#[test]
fn avc_selinux_and_apparmor() {
    let ev = one("type=AVC msg=audit(1790812800.000:5): avc:  denied  { read write } for  pid=77 comm=\"httpd\" name=\"x\" scontext=system_u:system_r:httpd_t:s0 tcontext=unconfined_u:object_r:user_home_t:s0 tclass=file permissive=0\ntype=EOE msg=audit(1790812800.000:5): \n");
    let f = &ev["records"][0]["fields"];
    assert_eq!(f["seresult"], "denied");
    assert_eq!(f["seperms"], "read write");
    assert_eq!(f["tclass"], "file");
    let ev = one("audit: type=1400 audit(1790812800.000:6): apparmor=\"DENIED\" operation=\"open\" profile=\"/usr/sbin/cupsd\" name=\"/etc/shadow\" pid=9 comm=\"cupsd\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0");
    assert_eq!(ev["records"][0]["type"], "AVC");
    assert_eq!(ev["records"][0]["fields"]["apparmor"], "DENIED");
}

#[test]
fn legacy_forms() {
    let ev = one("type=USER_START msg=audit(1190000000.000:5): user pid=2027 uid=0 auid=500 msg='uid=848: exe=\"/bin/login\" (hostname=?, addr=?, terminal=tty3 res=success)'");
    let r = &ev["records"][0];
    assert_eq!(r["words"], json!(["user"]));
    assert_eq!(r["msg"]["terminal"], "tty3");
    assert_eq!(r["msg"]["res"], "success");
    let ev = one("type=DAEMON_START msg=audit(1190000000.000:6): auditd start, ver=2.4 format=raw kernel=2.6.32 auid=-1 pid=1 res=success");
    assert_eq!(ev["records"][0]["fields"]["res"], "success");
    assert_eq!(ev["records"][0]["fields"]["auid"], "-1");
    let ev = one("type=USER_ACCT msg=audit(1190000000:7): user pid=1 uid=0 auid=4294967295 msg='PAM: accounting acct=root : exe=\"/usr/sbin/crond\" (hostname=?, addr=?, terminal=cron res=success)'");
    assert_eq!(ev["records"][0]["msg"]["acct"], "root");
    assert_eq!(ev["time"], "2007-09-17T03:33:20.000Z");
}

#[test]
fn prefixes_syslog_rsyslog_and_node() {
    let (evs, _) = events(b"Oct  3 14:25:25 web1 audispd: type=USER_AUTH msg=audit(1790812800.000:8): pid=1 msg='op=PAM:authentication acct=\"bob\" res=success'\n\
Oct  3 14:25:25 relay audispd: node=db2 type=USER_AUTH msg=audit(1790812800.000:8): pid=1 msg='res=success'\n\
type=SYSCALL msg=audit(1790812800.000:9): syscall=2 key=(null)#035AUID=\"bob\"\n");
    assert_eq!(evs[0]["node"], "web1");
    assert_eq!(evs[1]["node"], "db2");
    assert_eq!(evs[2]["records"][0]["enriched"]["AUID"], "bob");
}

#[test]
fn bytes_line_endings_and_long_lines() {
    let mut log = b"type=USER_CMD msg=audit(1790812800.000:1): pid=1 msg='cwd=\"/\" cmd=\xff\xfe res=success'\r\n".to_vec();
    log.extend_from_slice(
        b"type=USER_CMD msg=audit(1790812800.000:2): pid=1 msg='cmd=\"a\0b\" res=success'\n",
    );
    log.extend_from_slice(b"type=EXECVE msg=audit(1790812800.000:3): argc=1 a0=\"");
    log.extend(std::iter::repeat_n(b'x', 100_000));
    log.extend_from_slice(b"\"\n");
    log.extend_from_slice(b"type=USER_END msg=audit(1790812800.000:4): pid=1 msg='res=success'");
    let (evs, q) = events(&log);
    assert_eq!(q.records, 4);
    assert_eq!(evs.len(), 4);
    assert_eq!(evs[0]["records"][0]["msg"]["cmd"], "\\xff\\xfe");
    assert_eq!(
        evs[0]["records"][0]["msg"]["res"], "success",
        "CR is not part of the value"
    );
    assert_eq!(evs[1]["records"][0]["msg"]["cmd"], "a\u{0}b");
    assert_eq!(
        evs.iter().find(|e| e["argv"].is_array()).unwrap()["argv"][0]
            .as_str()
            .unwrap()
            .len(),
        100_000
    );
    let last = evs
        .iter()
        .find(|e| e["serial"] == 4)
        .expect("last line without newline");
    assert_eq!(last["records"][0]["type"], "USER_END");
}

#[test]
fn rejected_lines_are_counted_with_file_and_line() {
    let (evs, q) = events(b"hello\n\ntype=USER_END msg=audit(1.0:1): x=1\ntype=BOGUS msg=audit(1.0:2): \ntype=EOE msg=audit(x:1): \n");
    assert_eq!(evs.len(), 1);
    assert_eq!(q.blank_lines, 1);
    assert_eq!(q.rejected.total, 3);
    let samples: Vec<&str> = q
        .rejected
        .reasons
        .iter()
        .flat_map(|r| r.samples.iter().map(String::as_str))
        .collect();
    assert!(samples.iter().any(|s| s.ends_with("audit.log:1")));
    assert!(samples.iter().any(|s| s.ends_with("audit.log:4")));
    assert!(samples.iter().any(|s| s.ends_with("audit.log:5")));
}

#[test]
fn gzip_input_is_detected_by_content() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"type=USER_END msg=audit(1.0:1): x=1\n")
        .unwrap();
    let mut bytes = gz.finish().unwrap();
    // A second gzip member: concatenated archives are read whole.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"type=USER_END msg=audit(2.0:2): x=1\n")
        .unwrap();
    bytes.extend(gz.finish().unwrap());
    let p = write(dir.path(), "audit.log.1", &bytes);
    let set = input::collect(&[p]).unwrap();
    let q = read_events(&set, &ReadOptions::default(), &mut |_: &Event| {}).unwrap();
    assert_eq!(q.records, 2);
    assert!(q.files[0].compressed);
}
