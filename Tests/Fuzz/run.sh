#!/usr/bin/env bash
# Builds the libFuzzer targets with AddressSanitizer and runs each for a while on its committed corpus.
#   Tests/Fuzz/run.sh [SECONDS_PER_TARGET] [TARGET…]      (default: 60 s each, all three targets)
# Crashes are written to Tests/Fuzz/artifacts/; the last lines of each run give executions and coverage.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzToken FuzzContext FuzzKeyImport)

swift build -c debug --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 | tail -3
mkdir -p artifacts
for target in "${targets[@]}"; do
    corpus="corpus/$target"
    work="$(mktemp -d)"
    cp -r "$corpus"/. "$work"/ 2>/dev/null || true
    echo "== $target: ${seconds}s"
    ASAN_OPTIONS=detect_leaks=0 ".build-fuzz/debug/$target" "$work" -max_total_time="$seconds" -max_len=8192 \
        -artifact_prefix="artifacts/$target-" -print_final_stats=1 2>&1 | grep -E "^(#|stat::|==|INFO: Seed)" | tail -8
    rm -rf "$work"
done
