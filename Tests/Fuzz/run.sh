#!/usr/bin/env bash
# Builds the libFuzzer targets with AddressSanitizer and runs each for a while on its committed corpus.
#   Tests/Fuzz/run.sh [SECONDS_PER_TARGET] [TARGET…]      (default: 60 s each, all three targets)
#   RUNS=10500000 Tests/Fuzz/run.sh 0 FuzzContext          (a number of executions instead of a time)
# The targets are optimised (-c release) with AddressSanitizer on: about 5× the executions of a debug build.
# Crashes are written to Tests/Fuzz/artifacts/; the last lines of each run give executions and coverage.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzToken FuzzContext FuzzKeyImport)

swift build -c release --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 | tail -3
mkdir -p artifacts
for target in "${targets[@]}"; do
    corpus="corpus/$target"
    work="$(mktemp -d)"
    cp -r "$corpus"/. "$work"/ 2>/dev/null || true
    if [ -n "${RUNS:-}" ]; then limit=(-runs="$RUNS"); echo "== $target: $RUNS executions"
    else limit=(-max_total_time="$seconds"); echo "== $target: ${seconds}s"; fi
    ASAN_OPTIONS=detect_leaks=0 ".build-fuzz/release/$target" "$work" "${limit[@]}" -max_len=8192 \
        -artifact_prefix="artifacts/$target-" -print_final_stats=1 2>&1 | grep -E "^(#|stat::|==|INFO: Seed)" | tail -8
    rm -rf "$work"
done
