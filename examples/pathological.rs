//! Generates pathological Linux Audit logs: inputs shaped to make per-key state grow, for
//! checking that memory stays bounded and time linear (README, "Performance").
//!
//! ```text
//! cargo run --release --example pathological -- --shape signatures --count 1000000 > sig.log
//! cargo run --release --example pathological -- --shape open --count 40960 | auditrail check -
//! ```
//!
//! Options:
//! - `--shape S`   what grows (below). Required.
//! - `--count N`   how many distinct keys (or records, for `serial`). Default 100000.
//! - `--rounds R`  `open` only: records per open event. Default 100.
//! - `--out FILE`  write to FILE instead of stdout.
//!
//! Shapes (all in October 2026 UTC, so `--period 2026-10` holds every event, except `days`):
//! - `signatures`: N SELinux AVC denials on one host, each with its own signature (target
//!   type `tN_t`).
//! - `keys`: N keyed file writes (SYSCALL openat with a PATH record) over 64 hosts, each
//!   under its own rule key, by its own login user, on its own file.
//! - `hosts`: N hosts (`node=hN`), each with a failed login (its own address and account),
//!   a denial and a syscall event with EOE.
//! - `accounts`: N failed authentications and N account creations, each for its own account.
//! - `addresses`: N failed logins of one account, each from its own address.
//! - `commands`: N sudo commands, each by its own login user (auid) and its own command, and
//!   N service starts, each of its own unit.
//! - `days`: N events on one host, one per day from 1970 on (read with `--period all`).
//! - `serial`: N records sharing one stamp and serial, never closed by EOE.
//! - `open`: N events open at once: R rounds in which every event gets one more record
//!   (about 1 KB), all in the same second, none closed by EOE.
//!
//! The same arguments always give the same bytes. Only std is used.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

/// 2026-10-01T00:00:00Z.
const START: u64 = 1_790_812_800;
/// October 2026, in milliseconds.
const MONTH_MS: u64 = 31 * 86_400_000;

struct Args {
    shape: String,
    count: u64,
    rounds: u64,
    out: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        shape: String::new(),
        count: 100_000,
        rounds: 100,
        out: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--shape" => args.shape = value()?,
            "--count" => args.count = number(&value()?)?,
            "--rounds" => args.rounds = number(&value()?)?,
            "--out" => args.out = Some(value()?),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown option {other}")),
        }
    }
    if args.shape.is_empty() {
        return Err("--shape is required".into());
    }
    Ok(args)
}

fn number(s: &str) -> Result<u64, String> {
    s.replace('_', "")
        .parse()
        .map_err(|_| format!("not a number: {s}"))
}

/// The stamp of event `i` of `n`, spread over October 2026: `sec.ms`.
fn stamp(i: u64, n: u64) -> String {
    let ms = START * 1000 + i * (MONTH_MS / n.max(1));
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

fn signatures(w: &mut dyn Write, n: u64) -> io::Result<()> {
    for i in 0..n {
        writeln!(
            w,
            "node=victim type=AVC msg=audit({}:{}): avc:  denied  {{ read }} for  pid=1304 \
             comm=\"nginx\" name=\"f{i}\" dev=\"dm-0\" ino={i} \
             scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:t{i}_t:s0 \
             tclass=file permissive=0",
            stamp(i, n),
            i + 1
        )?;
    }
    Ok(())
}

/// Keyed kernel events, each under its own rule key, by its own person, writing its own file
/// (the watches' key, meaning, actor and population state).
fn keys(w: &mut dyn Write, n: u64) -> io::Result<()> {
    for i in 0..n {
        let t = stamp(i, n);
        let serial = i + 1;
        let auid = 1000 + i % 4_000_000_000;
        writeln!(
            w,
            "node=h{h} type=SYSCALL msg=audit({t}:{serial}): arch=c000003e syscall=257 \
             success=yes exit=3 a0=ffffff9c a1=7ffd1 a2=241 a3=1b6 items=2 ppid=1 pid=2 \
             auid={auid} uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 \
             ses=3 comm=\"vi\" exe=\"/usr/bin/vi\" key=\"k{i}\"",
            h = i % 64
        )?;
        writeln!(
            w,
            "node=h{h} type=PATH msg=audit({t}:{serial}): item=1 name=\"/etc/app/f{i}\" \
             inode={i} dev=fd:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=CREATE",
            h = i % 64
        )?;
        writeln!(
            w,
            "node=h{h} type=EOE msg=audit({t}:{serial}): ",
            h = i % 64
        )?;
    }
    Ok(())
}

fn hosts(w: &mut dyn Write, n: u64) -> io::Result<()> {
    for i in 0..n {
        let t = stamp(i, n);
        let (a, b) = (i / 65536 % 256, i / 256 % 256);
        writeln!(
            w,
            "node=h{i} type=USER_LOGIN msg=audit({t}:1): pid=812 uid=0 auid=4294967295 \
             ses=4294967295 msg='op=login acct=\"u{i}\" exe=\"/usr/sbin/sshd\" \
             hostname=? addr=10.{a}.{b}.{c} terminal=ssh res=failed'",
            c = i % 256
        )?;
        writeln!(
            w,
            "node=h{i} type=AVC msg=audit({t}:2): avc:  denied  {{ read }} for  pid=1304 \
             comm=\"nginx\" name=\"index.html\" scontext=system_u:system_r:httpd_t:s0 \
             tcontext=system_u:object_r:user_home_t:s0 tclass=file permissive=0"
        )?;
        writeln!(
            w,
            "node=h{i} type=SYSCALL msg=audit({t}:3): arch=c000003e syscall=59 success=yes \
             exit=0 items=1 ppid=1 pid=2 auid=1000 uid=0 gid=0 euid=0 tty=pts0 ses=3 \
             comm=\"ls\" exe=\"/usr/bin/ls\" key=\"exec\""
        )?;
        writeln!(w, "node=h{i} type=EOE msg=audit({t}:3): ")?;
    }
    Ok(())
}

fn accounts(w: &mut dyn Write, n: u64) -> io::Result<()> {
    for i in 0..n {
        let t = stamp(i, n);
        writeln!(
            w,
            "node=idm type=USER_AUTH msg=audit({t}:{s}): pid=48211 uid=0 auid=4294967295 \
             ses=4294967295 msg='op=PAM:authentication grantors=? acct=\"u{i}\" \
             exe=\"/usr/sbin/sshd\" hostname=198.51.100.23 addr=198.51.100.23 terminal=ssh \
             res=failed'",
            s = 2 * i + 1
        )?;
        writeln!(
            w,
            "node=idm type=ADD_USER msg=audit({t}:{s}): pid=7 uid=0 auid=1000 ses=3 \
             msg='op=add-user id={id} exe=\"/usr/sbin/useradd\" hostname=idm addr=? \
             terminal=pts/0 res=success'",
            s = 2 * i + 2,
            id = 100_000 + i
        )?;
    }
    Ok(())
}

fn addresses(w: &mut dyn Write, n: u64) -> io::Result<()> {
    for i in 0..n {
        let (a, b, c) = (i >> 16 & 255, i >> 8 & 255, i & 255);
        writeln!(
            w,
            "node=edge type=USER_LOGIN msg=audit({}:{}): pid=812 uid=0 auid=4294967295 \
             ses=4294967295 msg='op=login acct=\"root\" exe=\"/usr/sbin/sshd\" hostname=? \
             addr=10.{a}.{b}.{c} terminal=ssh res=failed'",
            stamp(i, n),
            i + 1
        )?;
    }
    Ok(())
}

fn commands(w: &mut dyn Write, n: u64) -> io::Result<()> {
    for i in 0..n {
        let t = stamp(i, n);
        writeln!(
            w,
            "node=jump type=USER_CMD msg=audit({t}:{s}): pid=52101 uid={u} auid={u} ses=7 \
             msg='cwd=\"/\" cmd=\"/usr/bin/run-{i}\" exe=\"/usr/bin/sudo\" terminal=pts/0 \
             res=success'",
            s = 2 * i + 1,
            u = 10_000 + i
        )?;
        writeln!(
            w,
            "node=jump type=SERVICE_START msg=audit({t}:{s}): pid=1 uid=0 auid=4294967295 \
             ses=4294967295 msg='unit=unit-{i} comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" \
             hostname=? addr=? terminal=? res=success'",
            s = 2 * i + 2
        )?;
    }
    Ok(())
}

fn days(w: &mut dyn Write, n: u64) -> io::Result<()> {
    for i in 0..n {
        writeln!(
            w,
            "node=old type=USER_LOGIN msg=audit({}.000:{}): pid=812 uid=0 auid=1000 ses=3 \
             msg='op=login id=1000 exe=\"/usr/sbin/sshd\" hostname=? addr=192.0.2.1 \
             terminal=ssh res=success'",
            i * 86_400 + 3600,
            i + 1
        )?;
    }
    Ok(())
}

fn serial(w: &mut dyn Write, n: u64) -> io::Result<()> {
    for i in 0..n {
        writeln!(
            w,
            "node=one type=PATH msg=audit({START}.000:1): item={i} name=\"/tmp/f\" inode=1 \
             dev=fd:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL"
        )?;
    }
    Ok(())
}

fn open(w: &mut dyn Write, n: u64, rounds: u64) -> io::Result<()> {
    let pad = "x".repeat(900);
    for r in 0..rounds {
        for i in 0..n {
            writeln!(
                w,
                "node=busy type=PATH msg=audit({START}.000:{}): item={r} name=\"/tmp/{pad}\" \
                 inode=1 dev=fd:00 mode=0100644 nametype=NORMAL",
                i + 1
            )?;
        }
    }
    Ok(())
}

fn run(args: &Args) -> io::Result<()> {
    let sink: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(std::fs::File::create(path)?),
        None => Box::new(io::stdout().lock()),
    };
    let mut w = BufWriter::with_capacity(1 << 20, sink);
    let n = args.count;
    match args.shape.as_str() {
        "signatures" => signatures(&mut w, n)?,
        "keys" => keys(&mut w, n)?,
        "hosts" => hosts(&mut w, n)?,
        "accounts" => accounts(&mut w, n)?,
        "addresses" => addresses(&mut w, n)?,
        "commands" => commands(&mut w, n)?,
        "days" => days(&mut w, n)?,
        "serial" => serial(&mut w, n)?,
        "open" => open(&mut w, n, args.rounds)?,
        other => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("unknown shape {other}"),
            ))
        }
    }
    w.flush()
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("pathological: {e}");
            }
            eprintln!(
                "usage: pathological --shape signatures|hosts|accounts|addresses|commands|days|\
                 serial|open [--count N] [--rounds R] [--out FILE]"
            );
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pathological: {e}");
            ExitCode::FAILURE
        }
    }
}
