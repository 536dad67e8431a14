#!/bin/sh
# Writes the files of the Debian package that come from the binary itself, so they always
# match its options: the manual pages (`auditrail man --dir`), the bash, zsh and fish
# completions (`auditrail completions`) and /etc/auditrail/auditrail.toml, the documented
# defaults (`auditrail config --print-defaults`). Run it after building, before `cargo deb`:
#
#   cargo build --release --locked
#   packaging/assets.sh target/release/auditrail target/assets
#   cargo deb --no-build
#
# Everything goes under the output directory (default target/assets), which holds only
# what this script writes; its man/ directory is emptied first, so a page of a command that
# no longer exists is not packaged.
set -eu
bin=${1:-target/release/auditrail}
out=${2:-target/assets}
rm -rf "$out/man"
mkdir -p "$out/man" "$out/completions"
"$bin" man --dir "$out/man" >/dev/null
"$bin" completions bash >"$out/completions/auditrail"
"$bin" completions zsh >"$out/completions/_auditrail"
"$bin" completions fish >"$out/completions/auditrail.fish"
"$bin" config --print-defaults >"$out/auditrail.toml"
echo "wrote $(ls "$out/man" | wc -l) manual page(s), 3 completion scripts and auditrail.toml to $out"
