//! Command lines of kernel events: the EXECVE arguments (chunks joined) or the PROCTITLE,
//! and the kernel module a module tool's command names.

use crate::model::RecordType;
use crate::parse::decode::{decoded, is_execve_arg, looks_hex, split_list, to_text};
use crate::parse::{Event, Field, Fields, Quote};
use std::borrow::Cow;

/// Longest command line kept in a fact, in bytes (the rest is cut with a marker).
pub const COMMAND_MAX: usize = 2048;

/// The decoded text of a field (hex-decoded when auditd encoded it).
pub(crate) fn text_of<'e>(f: &Field<'e>, rtype: RecordType) -> Cow<'e, str> {
    match decoded(f, rtype) {
        Cow::Borrowed(b) => to_text(b),
        Cow::Owned(b) => Cow::Owned(to_text(&b).into_owned()),
    }
}

/// Appends the EXECVE arguments of `event` (in argument order, chunks concatenated) to
/// `out`, separated by spaces, stopping past [`COMMAND_MAX`].
pub(crate) fn execve_args(event: &Event, out: &mut String) {
    let mut current: Option<u32> = None;
    for (i, m) in event.record_meta().iter().enumerate() {
        if m.rtype != RecordType::EXECVE {
            continue;
        }
        let Some(rec) = event.record(i) else { continue };
        for f in Fields::body(rec.body) {
            let Some((n, _chunk)) = is_execve_arg(f.key) else {
                continue;
            };
            if current != Some(n) {
                if current.is_some() {
                    out.push(' ');
                }
                current = Some(n);
            }
            let text = if f.quote == Quote::None && !looks_hex(f.value) {
                to_text(f.value)
            } else {
                text_of(&f, RecordType::EXECVE)
            };
            out.push_str(&text);
            if out.len() > COMMAND_MAX {
                return;
            }
        }
    }
}

/// The kernel module a module tool's command line names: the first operand of `modprobe`
/// or `rmmod` (options skipped), or the file name of `insmod`'s path without `.ko` and its
/// compression suffix. `None` for other programs and for commands naming no module.
pub fn module_from_command(event: &Event) -> Option<String> {
    let argv = argv(event);
    let mut args = argv.iter().map(String::as_str);
    let prog = args.next()?.rsplit('/').next()?;
    let operand = args.find(|a| !a.starts_with('-') && !a.is_empty())?;
    match prog {
        "modprobe" | "rmmod" => Some(operand.to_string()),
        "insmod" => {
            let file = operand.rsplit('/').next()?;
            let stem = [".ko.xz", ".ko.zst", ".ko.gz", ".ko"]
                .iter()
                .find_map(|s| file.strip_suffix(s))
                .unwrap_or(file);
            Some(stem.to_string())
        }
        _ => None,
    }
}

/// The first arguments of the command (EXECVE, else PROCTITLE), at most eight.
fn argv(event: &Event) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = None;
    for (i, m) in event.record_meta().iter().enumerate() {
        if m.rtype != RecordType::EXECVE {
            continue;
        }
        let Some(rec) = event.record(i) else { continue };
        for f in Fields::body(rec.body) {
            let Some((n, _)) = is_execve_arg(f.key) else {
                continue;
            };
            if current != Some(n) {
                if out.len() == 8 {
                    return out;
                }
                current = Some(n);
                out.push(String::new());
            }
            if let Some(last) = out.last_mut() {
                last.push_str(&text_of(&f, RecordType::EXECVE));
            }
        }
    }
    if out.is_empty() {
        if let Some((rec, _)) = event.first_of(RecordType::PROCTITLE) {
            if let Some(f) = Fields::body(rec.body).find(|f| f.key == b"proctitle") {
                let bytes = decoded(&f, RecordType::PROCTITLE);
                out = split_list(&bytes, 0)
                    .into_iter()
                    .take(8)
                    .map(|a| to_text(a).into_owned())
                    .collect();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::testing::each_event;

    #[test]
    fn module_tools_name_their_module() {
        let ev = |title: &str| {
            let hex: String = title.bytes().map(|b| format!("{b:02X}")).collect();
            format!("type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=313 success=yes exit=0 items=0 auid=1 uid=0 comm=\"m\" exe=\"/usr/bin/kmod\" key=\"modules\"\ntype=PROCTITLE msg=audit(1.0:1): proctitle={hex}\ntype=EOE msg=audit(1.0:1):\n")
        };
        for (title, want) in [
            ("modprobe\0wireguard", Some("wireguard")),
            ("modprobe\0-r\0-v\0nf_tables", Some("nf_tables")),
            ("insmod\0/lib/modules/6.1/extra/evil.ko.xz", Some("evil")),
            ("/sbin/rmmod\0usb_storage", Some("usb_storage")),
            ("bash\0-c\0modprobe x", None),
            ("modprobe", None),
        ] {
            let mut got = None;
            each_event(&ev(title), 0, |e| got = Some(module_from_command(e)));
            assert_eq!(got.flatten().as_deref(), want, "{title}");
        }
    }
}
