#!/usr/bin/env bash
# Compile time of a generated crate, the cost a user pays on every build: `cargo check` of the crate generated from
# progenitor's `nexus.json` (the corpus copy), by this generator and by progenitor's `cargo progenitor` (installed
# under target/tools when missing), side by side in one run, runs alternating between the two, dependencies warm,
# `touch src/lib.rs` before each run, median of RUNS (default 3). Prints the figures and their ratio. Not part of CI: it installs a tool and takes minutes.
#
# Usage: scripts/compile-time.sh [SPEC] [RUNS]     (default SPEC: ../shared/corpus/progenitor/nexus.json)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
spec="$(realpath "${1:-$root/../shared/corpus/progenitor/nexus.json}")"
runs="${2:-3}"
tools="$root/target/tools"
progenitor="$tools/bin/cargo-progenitor"
if [ ! -x "$progenitor" ]; then
    cargo install --quiet --locked --root "$tools" cargo-progenitor --version 0.15.1
fi
cargo build -q --release -p generator --manifest-path "$root/Cargo.toml"
work="$root/target/compile-time"
rm -rf "$work/ours" "$work/progenitor"
mkdir -p "$work"
"$root/target/release/generator" --spec "$spec" --out "$work/ours" --name nexus-ours \
    --runtime "path=$root/runtime" > /dev/null 2>&1
"$progenitor" progenitor --input "$spec" --output "$work/progenitor" --name nexus-progenitor --version 0.1.0 \
    > /dev/null
# One workspace, one target dir and lock file, so both crates see warm dependencies.
cat > "$work/Cargo.toml" <<'TOML'
[workspace]
members = ["ours", "progenitor"]
resolver = "2"
TOML
cd "$work"
cargo check -q -p nexus-ours -p nexus-progenitor

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
seconds() {
    local package="$1" dir="$2" start end
    touch "$dir/src/lib.rs"
    start=$(date +%s.%N)
    cargo check -q -p "$package" 2> /dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
# Runs alternate between the two crates, so a machine that slows down or speeds up mid-run affects both alike.
: > ours.times
: > progenitor.times
for _ in $(seq "$runs"); do
    seconds nexus-ours ours >> ours.times
    seconds nexus-progenitor progenitor >> progenitor.times
done
ours=$(median < ours.times)
theirs=$(median < progenitor.times)
count() { grep -ho "$1" "$2"/src/*.rs "$2"/src/**/*.rs 2> /dev/null | wc -l; }
printf '| crate | cargo check (s, median of %d) | structs | enums | derives |\n|---|---|---|---|---|\n' "$runs"
printf '| ours | %.2f | %d | %d | %d |\n' "$ours" "$(count '^pub struct' ours)" "$(count '^pub enum' ours)" "$(count '#\[derive' ours)"
printf '| progenitor | %.2f | %d | %d | %d |\n' "$theirs" "$(count 'pub struct' progenitor)" "$(count 'pub enum' progenitor)" "$(count '#\[derive' progenitor)"
printf 'ratio ours / progenitor: %.2f\n' "$(echo "$ours / $theirs" | bc -l)"
