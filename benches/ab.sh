#!/usr/bin/env bash
# Compares the decoder at two git revisions, interleaved, on this machine.
#
#   benches/ab.sh REV_A REV_B [ROW...]
#
# A ROW is WORKLOAD:CHUNK_BYTES (default: llm:64 llm:4096 multiline:64
# multiline:4096 comments:4096 big:4096). Each revision is exported into a
# directory of its own (the working tree is left alone) and its profile
# example built; then every row runs ROUNDS times (default 5), alternating
# the revisions, each time the best of RUNS passes (default 20), and the
# best MB/s of each revision is printed with B's ratio to A.
#
# Environment: API (decoder or stream, default decoder), DECODER (default
# sse-core, ours; any name from the tables works), ROUNDS, RUNS,
# CARGO_TARGET_DIR (default target/; builds go to its ab/ subfolder).
#
# Why: on a shared machine one criterion run moves a row by 10-20%, more
# than most single changes are worth. Alternating the two builds and keeping
# each one's best run cancels most of that drift. Use callgrind (see
# benches/examples/profile.rs) for instruction counts that do not move.
set -euo pipefail

[[ $# -ge 2 ]] || { sed -n '2,20p' "$0" >&2; exit 2; }
repo=$(git rev-parse --show-toplevel)
rev_a=$(git -C "$repo" rev-parse --short "$1")
rev_b=$(git -C "$repo" rev-parse --short "$2")
shift 2
rows=("$@")
[[ ${#rows[@]} -gt 0 ]] || rows=(llm:64 llm:4096 multiline:64 multiline:4096 comments:4096 big:4096)
api=${API:-decoder} decoder=${DECODER:-sse-core} rounds=${ROUNDS:-5} runs=${RUNS:-20}
target=${CARGO_TARGET_DIR:-$repo/target}/ab
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for rev in "$rev_a" "$rev_b"; do
    mkdir -p "$work/$rev"
    # Fresh modification times: with the archive's own (the commit's), cargo
    # would take the other revision's build in the shared target folder for
    # this one's.
    git -C "$repo" archive "$rev" | tar -x -m -C "$work/$rev"
    echo "== building $rev" >&2
    CARGO_TARGET_DIR=$target cargo build -q --profile bench \
        --manifest-path "$work/$rev/Cargo.toml" -p sse-benches --example profile
    cp "$target/release/examples/profile" "$work/profile-$rev"
done

# The best MB/s of one revision on one row over RUNS passes.
mb_per_s() {
    "$work/profile-$1" "$2" "$3" "$api" "$decoder" "$runs" 2>&1 |
        grep -o '[0-9]* MB/s' | cut -d' ' -f1
}

printf '%-18s %10s %10s %7s\n' "row ($api)" "$rev_a" "$rev_b" "B/A"
for row in "${rows[@]}"; do
    workload=${row%%:*} chunk=${row##*:}
    best_a=0 best_b=0
    for _ in $(seq "$rounds"); do
        a=$(mb_per_s "$rev_a" "$workload" "$chunk")
        b=$(mb_per_s "$rev_b" "$workload" "$chunk")
        (( a > best_a )) && best_a=$a
        (( b > best_b )) && best_b=$b
    done
    printf '%-18s %10s %10s %7s\n' "$row" "$best_a" "$best_b" \
        "$(awk -v a="$best_a" -v b="$best_b" 'BEGIN { printf "%.3f", b / a }')"
done
