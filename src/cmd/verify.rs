//! `auditrail verify DIR`: checks a report package ([`crate::package::verify`]) and prints
//! what it found ([`crate::render::text::verify`]); exit status 0 intact, 1 a file differs,
//! 2 an error (not a package, unreadable key).

use crate::cli::VerifyArgs;
use crate::package::verify::{verify, Trusted};
use std::io::Write;
use std::process::ExitCode;

/// Runs `verify`.
pub fn run(args: &VerifyArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let trusted = Trusted::load(args.allowed_signers.as_deref(), args.key.as_deref())?;
    let v = verify(&args.dir, &trusted)?;
    let text = crate::render::text::verify::render(&v);
    out.write_all(args.colour.palette().paint(&text).as_bytes())?;
    Ok(if v.intact() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
