#!/usr/bin/env bash
# What operation filtering saves: `cargo check` of big corpus specs generated whole and filtered to one tag
# (`--include tag:...`), side by side in one run, runs alternating between the two, dependencies warm,
# `touch src/lib.rs` before each run, median of RUNS (default 3). Prints a Markdown table: operations, types, lines
# of Rust, check seconds and the ratio full / filtered. Not part of CI: it takes minutes.
#
# Usage: scripts/filter-compile-time.sh [RUNS]     (needs ../shared/corpus)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="$root/../shared/corpus"
runs="${1:-3}"
# name | spec | tags (comma-separated; each gives one filtered crate). Stripe's operations have no tags: these are
# the tags their paths imply (docs/options.md). `customers` is its largest, `tax_rates` among its smallest.
specs=(
    "stripe|$corpus/stripe/spec3.yaml|customers,tax_rates"
    "digitalocean|$corpus/digitalocean-bundled/DigitalOcean-public.v2.yaml|Droplets"
    "openai|$corpus/openai/openapi.yaml|Files"
)
crate_of() { echo "$1-$(echo "$2" | tr 'A-Z_ ' 'a-z--')"; }
cargo build -q --release -p generator --manifest-path "$root/Cargo.toml"
work="$root/target/filter-compile-time"
rm -rf "$work"
mkdir -p "$work"
members=()
for entry in "${specs[@]}"; do
    IFS='|' read -r name spec tags <<< "$entry"
    "$root/target/release/generator" --spec "$spec" --out "$work/$name-full" --name "$name-full" \
        --runtime "path=$root/runtime" > /dev/null 2>&1
    members+=("\"$name-full\"")
    for tag in ${tags//,/ }; do
        crate="$(crate_of "$name" "$tag")"
        "$root/target/release/generator" --spec "$spec" --out "$work/$crate" --name "$crate" \
            --runtime "path=$root/runtime" --include "tag:$tag" > /dev/null 2>&1
        members+=("\"$crate\"")
    done
done
# One workspace, one target dir and lock file (the repository's), so every crate sees the same warm dependencies.
{
    echo "[workspace]"
    echo "members = [$(IFS=,; echo "${members[*]}")]"
    echo 'resolver = "2"'
} > "$work/Cargo.toml"
cp "$root/Cargo.lock" "$work/Cargo.lock"
cd "$work"
for member in "${members[@]}"; do
    cargo check -q -p "${member//\"/}" 2> /dev/null
done

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
seconds() {
    local package="$1" start end
    touch "$package/src/lib.rs"
    start=$(date +%s.%N)
    cargo check -q -p "$package" 2> /dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
lines() { cat "$1"/src/*.rs | wc -l; }
items() { grep -hcE "^pub (struct|enum|type) " "$1"/src/types.rs | head -1; }
operations() { grep -c "rt::operation!" "$1"/src/client.rs; }
printf '| spec | crate | operations | types | lines | cargo check (s, median of %d) | full / filtered |\n' "$runs"
printf '|---|---|---|---|---|---|---|\n'
for entry in "${specs[@]}"; do
    IFS='|' read -r name spec tags <<< "$entry"
    # Runs alternate between the whole crate and each filtered one, so drift in the machine's speed hits all alike.
    : > full.times
    for tag in ${tags//,/ }; do : > "$tag.times"; done
    for _ in $(seq "$runs"); do
        seconds "$name-full" >> full.times
        for tag in ${tags//,/ }; do seconds "$(crate_of "$name" "$tag")" >> "$tag.times"; done
    done
    full=$(median < full.times)
    printf '| %s | whole | %d | %d | %d | %.2f | |\n' "$name" "$(operations "$name-full")" "$(items "$name-full")" \
        "$(lines "$name-full")" "$full"
    for tag in ${tags//,/ }; do
        crate="$(crate_of "$name" "$tag")"
        filtered=$(median < "$tag.times")
        printf '| %s | `--include tag:%s` | %d | %d | %d | %.2f | %.1f× |\n' "$name" "$tag" \
            "$(operations "$crate")" "$(items "$crate")" "$(lines "$crate")" "$filtered" \
            "$(echo "$full / $filtered" | bc -l)"
    done
done
