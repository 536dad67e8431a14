//! Parser and assembler throughput on generated input (`cargo bench`).
//!
//! Wall-clock numbers on a shared 2-core machine are noisy; the documented end-to-end figure
//! is the timed `auditrail check` on a generated 1 GB log (README, "Performance").

use auditrail::parse::{each_event, parse_record, AssembleOptions, Event, Fields};
use divan::counter::BytesCount;
use divan::Bencher;

fn main() {
    divan::main();
}

/// About `size` bytes of a realistic mix: kernel events with EXECVE/CWD/PATH/PROCTITLE/EOE,
/// PAM records with a payload, some lines with an ENRICHED section, four nodes.
fn generate(size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(size + 4096);
    let mut serial = [1000u32; 4];
    let mut t = 1_790_812_800_000u64;
    let mut i = 0usize;
    while out.len() < size {
        let h = i % 4;
        serial[h] += 1;
        t += 3;
        let stamp = format!(
            "node=web-{h} type={{}} msg=audit({}.{:03}:{}): ",
            t / 1000,
            t % 1000,
            serial[h]
        );
        let line = |ty: &str, body: &str| format!("{}{body}\n", stamp.replace("{}", ty));
        if i.is_multiple_of(3) {
            out.extend(line("USER_AUTH", "pid=812 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0 msg='op=PAM:authentication grantors=pam_unix acct=\"alice\" exe=\"/usr/sbin/sshd\" hostname=203.0.113.7 addr=203.0.113.7 terminal=ssh res=success'\x1dUID=\"root\" AUID=\"unset\"").bytes());
        } else {
            out.extend(line("SYSCALL", "arch=c000003e syscall=59 success=yes exit=0 a0=55d5c8a0 a1=55d5c8b0 a2=55d5c8c0 a3=0 items=2 ppid=1234 pid=5678 auid=1000 uid=0 gid=0 euid=0 tty=pts0 ses=3 comm=\"ls\" exe=\"/usr/bin/ls\" key=\"exec\"\x1dARCH=x86_64 SYSCALL=execve AUID=\"alice\" UID=\"root\"").bytes());
            out.extend(line("EXECVE", "argc=3 a0=\"ls\" a1=\"-la\" a2=\"/var/log\"").bytes());
            out.extend(line("CWD", "cwd=\"/home/alice\"").bytes());
            out.extend(line("PATH", "item=0 name=\"/usr/bin/ls\" inode=1234 dev=fd:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL").bytes());
            out.extend(line("PROCTITLE", "proctitle=6C73002D6C61002F7661722F6C6F67").bytes());
            out.extend(line("EOE", "").bytes());
        }
        i += 1;
    }
    out
}

const SIZE: usize = 16 << 20;

#[divan::bench]
fn headers_only(b: Bencher) {
    let data = generate(SIZE);
    b.counter(BytesCount::of_slice(&data)).bench(|| {
        let mut n = 0u64;
        for line in data.split(|&c| c == b'\n') {
            n += u64::from(parse_record(line).is_ok());
        }
        n
    });
}

#[divan::bench]
fn headers_and_fields(b: Bencher) {
    let data = generate(SIZE);
    b.counter(BytesCount::of_slice(&data)).bench(|| {
        let mut n = 0usize;
        for line in data.split(|&c| c == b'\n') {
            if let Ok(r) = parse_record(line) {
                n += Fields::body(r.body).count() + Fields::enriched(r.enriched).count();
            }
        }
        n
    });
}

/// Lines -> records -> events in memory (`parse::each_event`), without files or input quality.
#[divan::bench]
fn read_and_assemble(b: Bencher) {
    let data = generate(SIZE);
    b.counter(BytesCount::of_slice(&data)).bench(|| {
        let mut events = 0u64;
        each_event(&data, AssembleOptions::default(), &mut |_: &Event| {
            events += 1
        });
        events
    });
}
