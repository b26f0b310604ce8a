#!/usr/bin/env bash
# Generation time of this checkout against an earlier revision, on one spec (default: the largest corpus spec,
# Stripe's 4 MB spec3.yaml), in one run: both release binaries alternate RUNS times (default 5), medians and their
# ratio printed. The base revision is built in a git worktree under target/ unless BASE_GENERATOR names a binary.
#
# Usage: scripts/generation-time.sh BASE_REV [SPEC] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base_rev="${1:?usage: scripts/generation-time.sh BASE_REV [SPEC] [RUNS]}"
spec="$(realpath "${2:-$root/../shared/corpus/stripe/spec3.yaml}")"
runs="${3:-5}"
work="$root/target/generation-time"
mkdir -p "$work"
cargo build -q --release -p generator --manifest-path "$root/Cargo.toml"
head_bin="$root/target/release/generator"
base_bin="${BASE_GENERATOR:-}"
if [ -z "$base_bin" ]; then
    rm -rf "$work/base"
    git -C "$root" worktree add --force --detach "$work/base" "$base_rev" > /dev/null
    CARGO_TARGET_DIR="$work/base-target" cargo build -q --release -p generator --manifest-path "$work/base/Cargo.toml"
    git -C "$root" worktree remove --force "$work/base"
    base_bin="$work/base-target/release/generator"
fi
run() {
    rm -rf "$work/out"
    local start end
    start=$(date +%s.%N)
    "$1" --spec "$spec" --out "$work/out" --name generation-time-client --runtime "path=$root/runtime" > /dev/null 2>&1
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
: > "$work/base.times"
: > "$work/head.times"
for _ in $(seq "$runs"); do
    run "$base_bin" >> "$work/base.times"
    run "$head_bin" >> "$work/head.times"
done
base=$(median < "$work/base.times")
head=$(median < "$work/head.times")
printf 'spec %s, median of %d: base %s %.3f s, this checkout %.3f s, ratio %.2f\n' \
    "$(basename "$spec")" "$runs" "$base_rev" "$base" "$head" "$(echo "$head / $base" | bc -l)"
