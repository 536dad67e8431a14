//! The `auditrail` binary: everything happens in the library's `cli` module.

fn main() -> std::process::ExitCode {
    auditrail::cli::main()
}
