#!/usr/bin/env bash
# How many lines of `client.rs` one operation costs, on three large corpus specs: the measure of how thin generated
# code is (behaviour belongs in the runtime). Fails when a spec costs more than LIMIT_FRACTION (default 0.6) of its
# figure before the runtime took over sending, paging and errors (nexus 75, Stripe 94, DigitalOcean 83 lines).
#
# Usage: [LIMIT_FRACTION=F] scripts/operation-lines.sh [CORPUS_DIR]   (default: ../shared/corpus beside the repository)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${1:-$root/../shared/corpus}"
if [ ! -d "$corpus" ]; then
    echo "no corpus at $corpus" >&2
    exit 2
fi
cargo build -q -p generator --manifest-path "$root/Cargo.toml"
generator="${CARGO_TARGET_DIR:-$root/target}/debug/generator"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fraction="${LIMIT_FRACTION:-0.6}"
status=0
printf '| spec | operations | client.rs lines | lines per operation | before | limit (%s of before) |\n|---|---|---|---|---|---|\n' "$fraction"
while read -r name spec before; do
    "$generator" --spec "$corpus/$spec" --out "$work/$name" --name "$name-client" \
        --runtime "path=$root/runtime" > /dev/null 2>&1
    client="$work/$name/src/client.rs"
    operations=$(grep -c '^rt::operation!' "$client")
    lines=$(wc -l < "$client")
    read -r per limit ok < <(awk -v l="$lines" -v o="$operations" -v b="$before" -v f="$fraction" \
        'BEGIN { per = l / o; limit = b * f; printf "%.1f %.1f %d\n", per, limit, per <= limit }')
    printf '| %s | %d | %d | %s | %d | %s |\n' "$name" "$operations" "$lines" "$per" "$before" "$limit"
    if [ "$ok" -ne 1 ]; then
        echo "$name: $per lines per operation, more than $limit" >&2
        status=1
    fi
done <<'SPECS'
nexus progenitor/nexus.json 75
stripe stripe/spec3.yaml 94
digitalocean digitalocean-official/specification/DigitalOcean-public.v2.yaml 83
SPECS
exit "$status"
