#!/usr/bin/env bash
# Runs the cargo-fuzz targets of sse-core, one after the other, each for the
# given number of seconds, and reports per target the executions reached and
# any crash. Exits non-zero if a target crashed.
#
#   fuzz/run.sh <seconds-per-target> [target...]
#
# Needs a nightly toolchain; installs cargo-fuzz if missing. The corpus grows
# in fuzz/corpus/<target>/ (only the seed-* files are in git); crashes are
# written to fuzz/artifacts/<target>/. FUZZ_SANITIZER=address (or memory,
# thread...) builds with a sanitizer; the default, none, is about twice as
# fast, and sse-core is safe Rust.
set -euo pipefail
cd "$(dirname "$0")"

usage() { echo "usage: $0 <seconds-per-target> [target...]" >&2; exit 2; }
[[ $# -ge 1 && $1 =~ ^[0-9]+$ ]] || usage
seconds=$1; shift
sanitizer=${FUZZ_SANITIZER:-none}

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    echo "== installing the nightly toolchain"
    rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

echo "== building ${targets[*]} (sanitizer: $sanitizer)"
cargo +nightly fuzz build --sanitizer "$sanitizer"

logs=target/run-logs
mkdir -p "$logs"
failed=()
summary=()
for target in "${targets[@]}"; do
    log="$logs/$target.log"
    echo "== $target: ${seconds}s (log: fuzz/$log)"
    mkdir -p "corpus/$target" "artifacts/$target"
    status=0
    # One job at a time; a run slower than 10 s counts as a hang.
    cargo +nightly fuzz run --sanitizer "$sanitizer" "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
        -dict=sse.dict >"$log" 2>&1 || status=$?

    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [[ -z $execs ]]; then
        execs=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')
    fi
    execs=${execs:-0}
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)

    if [[ $status -eq 0 ]]; then
        summary+=("$(printf '%-8s %12s executions in %ss, no crash' "$target" "$execs" "$seconds")")
    else
        failed+=("$target")
        summary+=("$(printf '%-8s %12s executions, CRASH (exit %s) %s' "$target" "$execs" "$status" "${artifact:+-> $artifact}")")
        # The panic message and the first frames, then how to reproduce.
        grep -m 1 -A 12 -E "panicked at|ERROR: libFuzzer|ERROR: AddressSanitizer" "$log" || tail -n 30 "$log"
        if [[ -n $artifact ]]; then
            echo "reproduce: cargo +nightly fuzz run --sanitizer $sanitizer $target $artifact"
            echo "minimize:  cargo +nightly fuzz tmin --sanitizer $sanitizer $target $artifact"
        fi
    fi
done

echo "== summary"
printf '%s\n' "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "crashed: ${failed[*]}" >&2
    exit 1
fi
