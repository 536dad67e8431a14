//! Inputs that are not plain, quiet files: a FIFO or socket among the logs, a FIFO named on
//! the command line, a byte order mark, a file truncated while it is read.

use crate::common::write;
use assert_cmd::Command;
use auditrail::input::{self, FileChange};
use auditrail::parse::reader::read_events_with_progress;
use auditrail::parse::{read_events, Event, ReadOptions};
use std::path::Path;
use std::time::Duration;

const LOGIN: &str = "node=web-01 type=USER_LOGIN msg=audit(1790812800.250:812): pid=1 uid=0 \
    auid=1000 ses=1 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" hostname=? addr=? \
    terminal=ssh res=success'\n";

/// Makes a FIFO with `mkfifo`; `false` (and says why) when that is not possible here.
fn mkfifo(path: &Path) -> bool {
    match std::process::Command::new("mkfifo").arg(path).status() {
        Ok(s) if s.success() => true,
        other => {
            eprintln!("skipped: cannot run mkfifo ({other:?})");
            false
        }
    }
}

fn auditrail() -> Command {
    crate::common::auditrail()
}

#[test]
fn a_fifo_named_like_a_rotation_in_a_directory_is_skipped_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "audit.log", LOGIN.as_bytes());
    if !mkfifo(&dir.path().join("audit.log.1")) {
        return;
    }
    let set = input::collect(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(set.files.len(), 1, "{:?}", set.files);
    assert_eq!(set.not_regular.len(), 1);
    assert_eq!(set.not_regular[0].kind, "fifo");
    // Before, every command waited for a writer forever.
    let out = auditrail()
        .arg("check")
        .arg(dir.path())
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains("1 records"), "{text}");
    assert!(
        text.contains("audit.log.1 skipped: a fifo, not a regular file"),
        "{text}"
    );
    let out = auditrail()
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(json["not_regular_files"][0]["kind"], "fifo");
    // The report's scope says so too.
    let pkg = dir.path().join("pkg");
    auditrail()
        .args([
            "report", "--period", "2026-10", "--format", "json", "--quiet", "--out",
        ])
        .arg(&pkg)
        .arg(dir.path().join("audit.log"))
        .arg(dir.path())
        .timeout(Duration::from_secs(120))
        .assert()
        .success();
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(pkg.join("report.json")).unwrap()).unwrap();
    let warnings = report["scope"]["input_warnings"].to_string();
    assert!(
        warnings.contains("a fifo, not a regular file"),
        "{warnings}"
    );
}

#[test]
fn a_fifo_named_on_the_command_line_is_read_like_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.log");
    if !mkfifo(&fifo) {
        return;
    }
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, LOGIN.repeat(3)).unwrap())
    };
    let out = auditrail()
        .args(["check", "--format", "json"])
        .arg(&fifo)
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    writer.join().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(json["records"], 3);
    assert!(input::is_stream(&fifo));
}

#[test]
fn a_byte_order_mark_does_not_cost_the_first_record_its_host() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = b"\xef\xbb\xbf".to_vec();
    text.extend_from_slice(LOGIN.repeat(2).as_bytes());
    let p = write(dir.path(), "audit.log", &text);
    let set = input::collect(&[p]).unwrap();
    let mut nodes = Vec::new();
    let q = read_events(&set, &ReadOptions::default(), &mut |ev: &Event| {
        nodes.push(ev.node().map(<[u8]>::to_vec));
    })
    .unwrap();
    assert_eq!((q.records, q.rejected.total), (2, 0));
    assert_eq!(nodes, vec![Some(b"web-01".to_vec()); 2]);
    assert_eq!(q.nodes.len(), 1, "{:?}", q.nodes);
}

#[test]
fn a_file_truncated_while_it_is_read_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    // 200,000 lines (about 40 MB): the read-ahead thread is at most a few MB ahead of the
    // parser when the first progress report (after 65,536 lines) truncates the file.
    let p = write(dir.path(), "audit.log", LOGIN.repeat(200_000).as_bytes());
    let set = input::collect(std::slice::from_ref(&p)).unwrap();
    let mut truncated = false;
    let q = read_events_with_progress(
        &set,
        &ReadOptions::default(),
        &mut |_: &Event| {},
        &mut |_| {
            if !truncated {
                std::fs::File::options()
                    .write(true)
                    .open(&p)
                    .unwrap()
                    .set_len(0)
                    .unwrap();
                truncated = true;
            }
        },
    )
    .unwrap();
    assert!(q.records < 200_000, "read {} records", q.records);
    assert!(matches!(
        q.files[0].changed,
        Some(FileChange::Shrank { size_at_end: 0, .. })
    ));
    assert!(q.has_changed_files());
    let w = q.warnings();
    assert!(
        w[0].contains("shrank from") && w[0].contains("copytruncate"),
        "{w:?}"
    );
    let json = serde_json::to_value(&q).unwrap();
    assert_eq!(json["files"][0]["changed"]["change"], "shrank");

    // A file left alone is not reported.
    let p = write(dir.path(), "quiet.log", LOGIN.as_bytes());
    let set = input::collect(&[p]).unwrap();
    let q = read_events(&set, &ReadOptions::default(), &mut |_: &Event| {}).unwrap();
    assert!(q.files[0].changed.is_none() && q.warnings().is_empty());
}

#[test]
fn snapshots_tell_shrunk_replaced_and_removed_files() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "audit.log", LOGIN.as_bytes());
    let len = LOGIN.len() as u64;
    let snap = input::Snapshot::of(&p).unwrap();
    assert_eq!(snap.change(&p, Some(len)), None);
    std::fs::write(&p, LOGIN.repeat(2)).unwrap();
    assert_eq!(snap.change(&p, Some(2 * len)), None, "growth is normal");
    assert_eq!(
        snap.change(&p, Some(3)),
        Some(FileChange::ReadShort {
            size_at_start: len,
            bytes_read: 3
        })
    );
    let other = write(dir.path(), "new.log", b"");
    std::fs::rename(&other, &p).unwrap();
    assert_eq!(snap.change(&p, Some(len)), Some(FileChange::Replaced));
    std::fs::remove_file(&p).unwrap();
    assert_eq!(snap.change(&p, Some(len)), Some(FileChange::Removed));
}

/// The lines a report cites are read back from a plain file (by its line index) and from a
/// gzip file (from the start), cut at the limit asked for; a line the file no longer has,
/// standard input and a file that cannot be read again say so instead.
#[test]
fn cited_lines_are_read_back_or_say_why_not() {
    use auditrail::input::{CitedLine, InputFile};
    use auditrail::model::{FileId, Source};
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let mut plain = Vec::new();
    for i in 1..=300u32 {
        writeln!(
            plain,
            "line {i} {}",
            "x".repeat(if i == 200 { 5000 } else { 10 })
        )
        .unwrap();
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b"first\nsecond\n").unwrap();
    let a = write(dir.path(), "a.log", &plain);
    let b = write(dir.path(), "b.log.gz", &gz.finish().unwrap());
    let set = input::collect(&[a, b.clone()]).unwrap();
    let opts = ReadOptions {
        keep_evidence: true,
        ..ReadOptions::default()
    };
    let quality = read_events(&set, &opts, &mut |_: &Event| {}).unwrap();
    assert!(quality.files[0].line_index.is_some());
    let at = |file, line| Source {
        file: FileId(file),
        line,
    };
    let mut files = set.files.clone();
    files.push(InputFile {
        path: "-".into(),
        group: 9,
    });
    let wanted = [
        at(0, 1),
        at(0, 150),
        at(0, 200),
        at(0, 301),
        at(1, 2),
        at(2, 7),
    ];
    let got = auditrail::pipeline::cited_lines(&files, &quality, &wanted.into(), 64);
    let found = |text: &str| CitedLine::found(text.as_bytes(), 64);
    assert_eq!(got[&at(0, 1)], found("line 1 xxxxxxxxxx"));
    assert_eq!(got[&at(0, 150)], found("line 150 xxxxxxxxxx"));
    let long = format!("line 200 {}", "x".repeat(5000));
    assert_eq!(
        got[&at(0, 200)],
        CitedLine::Found {
            head: long.as_bytes()[..64].to_vec(),
            len: long.len()
        }
    );
    assert_eq!(got[&at(0, 301)], CitedLine::Gone);
    assert_eq!(got[&at(1, 2)], found("second"));
    assert_eq!(got[&at(2, 7)], CitedLine::StandardInput);
    // A file that is no longer readable as it was (now xz-compressed) is not read again.
    std::fs::write(&b, [0xfd, b'7', b'z', b'X', b'Z', 0, 1, 2]).unwrap();
    let got = auditrail::pipeline::cited_lines(&files, &quality, &[at(1, 2)].into(), 64);
    assert_eq!(got[&at(1, 2)], CitedLine::Unreadable);
}
