//! Reading in parallel byte ranges (`--threads`) gives the bytes one thread gives: every
//! output format of `summary`, `findings` and `report`, cut into tiny ranges
//! (`--range-bytes`) so that nearly every event boundary is a cut somewhere.

use crate::common::{read_paths, root};
use auditrail::input;
use auditrail::parse::reader::read_ranges;
use auditrail::parse::{Event, ReadOptions};
use std::path::{Path, PathBuf};

const AT: &str = "2026-11-02T00:00:00Z";

/// A log of three hosts: kernel events under CIS keys (SYSCALL, CWD, PATH, PROCTITLE, EOE),
/// AVC denials, logins (failed bursts from one address), sudo; with `untidy`, some kernel
/// events lose their EOE (completed by the timeout) and some hosts' records interleave.
fn generated(events: u64, untidy: bool) -> String {
    let mut out = String::new();
    let mut serial = [7_000u64, 91_000, 300];
    let keys = ["identity", "access", "scope", "time-change", "perm_mod"];
    for i in 0..events {
        let h = (i % 3) as usize;
        serial[h] += 1;
        let t = 1_791_000_000_000 + i * 730;
        let n = format!("node=host-{h} ");
        let st = format!("msg=audit({}.{:03}:{})", t / 1000, t % 1000, serial[h]);
        let uid = 1000 + i % 5;
        let kernel = |out: &mut String, key: &str, eoe: bool| {
            let exit = if i % 4 == 0 {
                "success=no exit=-13"
            } else {
                "success=yes exit=3"
            };
            out.push_str(&format!("{n}type=SYSCALL {st}: arch=c000003e syscall=257 {exit} a0=ffffff9c a1=2 a2=0 a3=0 items=1 ppid=1 pid={i} auid={uid} uid={uid} gid=1 euid={uid} suid=1 fsuid=1 egid=1 sgid=1 fsgid=1 tty=pts1 ses=4 comm=\"cat\" exe=\"/usr/bin/cat\" key=\"{key}\"\n"));
            out.push_str(&format!("{n}type=CWD {st}: cwd=\"/home/u{uid}\"\n"));
            out.push_str(&format!("{n}type=PATH {st}: item=0 name=\"/etc/f{}\" inode=4 dev=fd:00 mode=0100600 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL\n", i % 13));
            out.push_str(&format!(
                "{n}type=PROCTITLE {st}: proctitle=636174002F6574632F736861646F77\n"
            ));
            if eoe {
                out.push_str(&format!("{n}type=EOE {st}: \n"));
            }
        };
        match i % 9 {
            0..=4 => kernel(&mut out, keys[(i % 5) as usize], !(untidy && i % 17 == 0)),
            5 => out.push_str(&format!("{n}type=USER_LOGIN {st}: pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=login acct=\"u{uid}\" exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.{} terminal=sshd res=failed'\n", i % 4)),
            6 => out.push_str(&format!("{n}type=USER_CMD {st}: pid=1 uid={uid} auid={uid} ses=1 msg='cwd=\"/\" cmd=6C73 exe=\"/usr/bin/sudo\" terminal=pts/0 res=success'\n")),
            7 => {
                out.push_str(&format!("{n}type=AVC {st}: avc:  denied  {{ read }} for  pid=1 comm=\"nginx\" name=\"f{}\" scontext=system_u:system_r:httpd_t:s0 tcontext=unconfined_u:object_r:user_home_t:s0 tclass=file permissive=0\n", i % 7));
                kernel(&mut out, "access", true);
            }
            _ => out.push_str(&format!("{n}type=SERVICE_START {st}: pid=1 uid=0 auid=4294967295 ses=4294967295 msg='unit=cron comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? res=success'\n")),
        }
        if untidy && i % 23 == 0 {
            // Another host's record in the middle of this host's next event.
            out.push_str(&format!("node=host-9 type=USER_AUTH msg=audit({}.{:03}:{}): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication acct=\"root\" exe=\"/usr/sbin/sshd\" hostname=? addr=10.9.9.9 terminal=ssh res=failed'\n", t / 1000, t % 1000, i));
        }
    }
    out
}

/// The bytes of every file a command wrote (stdout, or each file of its package).
fn run(
    args: &[&str],
    inputs: &[PathBuf],
    out: Option<&Path>,
    threads: &[&str],
) -> Vec<(String, Vec<u8>)> {
    let mut cmd = crate::common::auditrail();
    cmd.current_dir(root())
        .args(args)
        .args(inputs)
        .args(threads);
    if let Some(out) = out {
        cmd.args(["--generated-at", AT, "--force", "--out"])
            .arg(out);
    }
    let output = cmd.output().expect("run auditrail");
    assert!(
        output.status.code().is_some_and(|c| c < 2),
        "{args:?} {threads:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut files = vec![("stdout".to_string(), output.stdout)];
    if let Some(out) = out {
        let mut names: Vec<_> = std::fs::read_dir(out)
            .expect("package")
            .map(|e| e.expect("entry").path())
            .collect();
        names.sort();
        for p in names {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            files.push((name, std::fs::read(&p).expect("read output")));
        }
    }
    files
}

/// A file's bytes, less what names the command line (which differs by `--threads`): the
/// manifest's `command_line` and the manifest's line in SHA256SUMS.
fn comparable(name: &str, bytes: &[u8]) -> Vec<u8> {
    match name {
        "manifest.json" => {
            let mut v: serde_json::Value = serde_json::from_slice(bytes).expect("manifest");
            v["command_line"] = serde_json::Value::Null;
            serde_json::to_vec(&v).unwrap()
        }
        "SHA256SUMS" => String::from_utf8_lossy(bytes)
            .lines()
            .filter(|l| !l.ends_with("manifest.json"))
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes(),
        _ => bytes.to_vec(),
    }
}

fn same_as_one_thread(inputs: &[PathBuf], range_bytes: &str) {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    let one = ["--threads", "1"];
    let many = ["--threads", "3", "--range-bytes", range_bytes];
    let commands: [(&[&str], bool); 5] = [
        (&["summary", "--period", "all", "--format", "json"], false),
        (&["summary", "--period", "all"], false),
        (&["findings", "--period", "all", "--format", "json"], false),
        (
            &[
                "summary",
                "--period",
                "2026-10",
                "--format",
                "json",
                "--silence-hours",
                "1",
            ],
            false,
        ),
        (&["report", "--period", "all", "--quiet"], true),
    ];
    for (args, package) in commands {
        let out = package.then_some(pkg.as_path());
        let a = run(args, inputs, out, &one);
        let b = run(args, inputs, out, &many);
        assert_eq!(a.len(), b.len(), "{args:?}: files written");
        for ((name, x), (_, y)) in a.iter().zip(&b) {
            let (x, y) = (comparable(name, x), comparable(name, y));
            assert!(
                x == y,
                "{args:?} {inputs:?}: {name} differs between one thread and byte ranges"
            );
        }
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn byte_ranges_give_the_bytes_of_one_thread_on_the_samples() {
    same_as_one_thread(&[root().join("samples/scenarios")], "700");
}

#[test]
fn byte_ranges_give_the_bytes_of_one_thread_on_generated_logs() {
    let dir = tempfile::tempdir().unwrap();
    let tidy = write(dir.path(), "tidy.log", &generated(3_000, false));
    let untidy = write(dir.path(), "untidy.log", &generated(3_000, true));
    same_as_one_thread(std::slice::from_ref(&tidy), "1000");
    same_as_one_thread(&[untidy], "1500");
    // Rotations of one log: events and the assembler's state carry across the files.
    let text = generated(2_000, false);
    let (a, b) = text.split_at(text.len() / 2 + 37);
    let cut = a.rfind('\n').unwrap() + 1;
    let rot = tempfile::tempdir().unwrap();
    let (first, second) = (&text[..cut], [&a[cut..], b].concat());
    write(rot.path(), "audit.log.1", first);
    write(rot.path(), "audit.log", &second);
    same_as_one_thread(&[rot.path().to_path_buf()], "900");
}

/// The ranges are really read apart (not left to the single read) on a tidy log, and give
/// the events and input quality of one read.
#[test]
fn a_tidy_log_is_read_in_ranges() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "tidy.log", &generated(2_000, false));
    let set = input::collect(std::slice::from_ref(&path)).unwrap();
    let opts = ReadOptions {
        threads: 3,
        range_bytes: Some(4_000),
        ..ReadOptions::default()
    };
    let (quality, parts) = read_ranges(
        &set,
        &opts,
        |_, _| Vec::new(),
        |evs: &mut Vec<(u32, u64)>, ev: &Event| {
            evs.push((ev.stamp().serial, ev.record_meta()[0].source.line))
        },
        &mut |_| {},
    )
    .unwrap()
    .expect("read in ranges");
    assert!(parts.len() > 50, "{} ranges", parts.len());
    let (whole, q1) = read_paths(&[path]);
    let ranged: Vec<_> = parts.into_iter().flatten().collect();
    assert_eq!(ranged.len(), whole.len());
    assert!(ranged.iter().zip(&whole).all(|(a, b)| a.0 == b.serial));
    assert_eq!(
        serde_json::to_string(&quality).unwrap(),
        serde_json::to_string(&q1).unwrap()
    );
}

/// Cuts are placed where an assembler of the bytes before them has no event open, so even
/// the hand-written samples (many records without EOE) are read in ranges of 700 bytes.
#[test]
fn the_samples_are_read_in_ranges() {
    let set = input::collect(&[root().join("samples/scenarios")]).unwrap();
    let opts = ReadOptions {
        threads: 2,
        range_bytes: Some(700),
        ..ReadOptions::default()
    };
    let read = read_ranges(&set, &opts, |_, _| 0u64, |n, _| *n += 1, &mut |_| {}).unwrap();
    let (quality, parts) = read.expect("read in ranges");
    assert!(parts.len() > 100, "{} ranges", parts.len());
    assert_eq!(parts.iter().sum::<u64>(), quality.events);
}

/// `summary --format json` reads its raw lines back by the line index: the index is kept
/// without the input hash, in one read and in byte ranges (where it is the same index).
#[test]
fn the_line_index_is_kept_without_the_hash() {
    use auditrail::parse::reader::read_events;
    let set = input::collect(&[root().join("samples/scenarios")]).unwrap();
    let single = |line_index| ReadOptions {
        line_index,
        ..ReadOptions::default()
    };
    let ranged = |line_index| ReadOptions {
        threads: 2,
        range_bytes: Some(700),
        ..single(line_index)
    };
    let one = read_events(&set, &single(true), &mut |_: &Event| {}).unwrap();
    let (parts, _) = read_ranges(&set, &ranged(true), |_, _| (), |_, _| {}, &mut |_| {})
        .unwrap()
        .expect("read in ranges");
    for (a, b) in one.files.iter().zip(&parts.files) {
        assert!(
            a.sha256.is_none() && b.sha256.is_none(),
            "{}",
            a.path.display()
        );
        let (a, b) = (a.line_index.as_ref(), b.line_index.as_ref());
        assert!(
            a.is_some_and(|i| *i != input::LineIndex::default()),
            "one read"
        );
        assert_eq!(a, b, "byte ranges");
    }
    let none = read_events(&set, &single(false), &mut |_: &Event| {}).unwrap();
    let (parts, _) = read_ranges(&set, &ranged(false), |_, _| (), |_, _| {}, &mut |_| {})
        .unwrap()
        .expect("read in ranges");
    assert!(none.files.iter().all(|f| f.line_index.is_none()));
    assert!(parts.files.iter().all(|f| f.line_index.is_none()));
}
