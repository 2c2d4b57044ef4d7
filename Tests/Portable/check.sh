#!/usr/bin/env bash
# Proves CONTRACT §14: the static-stdlib release binary, copied ALONE into a bare Debian root (debootstrap minbase
# plus libssl3, libsqlite3-0 and ca-certificates, no Swift anywhere), serves the web assets and the demo, signs and
# inspects tokens, and stops cleanly on SIGTERM. Run as root from anywhere:
#
#   Tests/Portable/check.sh                 # builds the binary, makes the root, checks; ~15 min the first time
#   BIN=path/to/moveo-emulator Tests/Portable/check.sh     # an already built binary
#   ROOT=/var/tmp/moveo-root Tests/Portable/check.sh        # keep (and reuse) the Debian root there
#
# Prints one line per check and exits 0 only when every check held.
set -euo pipefail
cd "$(dirname "$0")/../.."

SUITE=${SUITE:-bookworm}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
ROOT=${ROOT:-/var/tmp/moveo-portable-root-$SUITE}
failures=0
pass() { echo "[pass] $*"; }
fail() { echo "[FAIL] $*"; failures=$((failures + 1)); }

[ "$(id -u)" = 0 ] || { echo "check.sh needs root (debootstrap, chroot, mount)"; exit 2; }
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap
command -v curl >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y curl

# 1. The binary: release, Swift standard library and Foundation linked statically.
if [ -z "${BIN:-}" ]; then
    swift build -c release --static-swift-stdlib --product moveo-emulator
    BIN=$(swift build -c release --static-swift-stdlib --show-bin-path)/moveo-emulator
fi
echo "binary: $BIN ($(du -h "$BIN" | cut -f1))"
echo "ldd:"; ldd "$BIN" | sed 's/^/    /'
unexpected=$(ldd "$BIN" | awk '{print $1}' | grep -Ev '^(linux-vdso\.so|/lib64/ld-linux|ld-linux|libc\.so|libm\.so|libpthread\.so|libdl\.so|librt\.so|libutil\.so|libstdc\+\+\.so|libgcc_s\.so|libz\.so|libcrypto\.so\.3|libsqlite3\.so)' || true)
if [ -z "$unexpected" ]; then pass "shared libraries: glibc, libstdc++/libgcc, zlib, libcrypto 3, libsqlite3 only"; else fail "unexpected shared libraries: $unexpected"; fi

# 2. A bare Debian root with only the two libraries the binary needs (reused when it exists).
if [ ! -x "$ROOT/bin/sh" ]; then
    rm -rf "$ROOT"
    debootstrap --variant=minbase --include=libssl3,libsqlite3-0,ca-certificates "$SUITE" "$ROOT" "$MIRROR"
fi
if chroot "$ROOT" find / -xdev \( -name 'libswiftCore*' -o -name 'libFoundation*.so' -o -name swift \) -print -quit | grep -q .; then
    fail "the root holds Swift files"
else
    pass "no Swift in the root (find / -name 'libswiftCore*' finds nothing)"
fi
rm -rf "$ROOT/opt/moveo" "$ROOT/tmp/moveo-check"
mkdir -p "$ROOT/opt/moveo" "$ROOT/tmp/moveo-check/work"
cp "$BIN" "$ROOT/opt/moveo/moveo-emulator"
mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"   # the static runtime reads /proc/self/cmdline
cleanup() {
    [ -n "${pid:-}" ] && kill -KILL "$pid" 2>/dev/null || true
    umount "$ROOT/proc" 2>/dev/null || true
}
trap cleanup EXIT
run() { chroot "$ROOT" /bin/sh -c "cd /tmp/moveo-check/work && $*"; }

# 3. serve --port 0 in an empty folder, nothing else beside the binary.
log="$ROOT/tmp/moveo-check/serve.log"
chroot "$ROOT" /bin/sh -c 'cd /tmp/moveo-check/work && exec /opt/moveo/moveo-emulator serve --port 0 --db /tmp/moveo-check/work/e.sqlite' >"$log" 2>&1 &
pid=$!
port=""
for _ in $(seq 1 600); do
    port=$(sed -n 's#^listening on http://127\.0\.0\.1:\([0-9]*\)$#\1#p' "$log" | head -n1)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$port" ]; then fail "serve did not start:"; cat "$log"; exit 1; fi
pass "serve started in an empty folder: $(grep -m1 'listening on' "$log")"
base="http://127.0.0.1:$port"
status() { curl -s -o "$ROOT/tmp/moveo-check/body" -w '%{http_code}' "$@"; }
for path in /health /webchat.js / /demo; do
    code=$(status "$base$path")
    if [ "$code" = 200 ]; then pass "GET $path → 200 ($(wc -c <"$ROOT/tmp/moveo-check/body") bytes)"; else fail "GET $path → $code"; fi
done
# The demo page carries a token minted with the built-in test-only key: create the session it creates.
token=$(curl -s "$base/demo" | sed -n 's/^var token = "\([^"]*\)";$/\1/p')
code=$(status -X POST "$base/v1/webchat/demo/sessions" -H 'Content-Type: application/json' -d "{\"identity_token\":\"$token\"}")
if [ "$code" = 201 ]; then pass "the demo session was created ($(cut -c1-60 "$ROOT/tmp/moveo-check/body")…)"; else fail "demo session → $code $(cat "$ROOT/tmp/moveo-check/body")"; fi

# 4. A token round trip with the binary's own keys generate, token sign (a context from standard input) and token inspect.
run "/opt/moveo/moveo-emulator keys generate --out customer >/dev/null && /opt/moveo/moveo-emulator keys generate --out platform >/dev/null"
signed=$(run "echo '{\"user\":{\"is_vip\":true}}' | /opt/moveo/moveo-emulator token sign --key customer/private.pem --iss portable --sub u1 --context - --platform-key platform/public.pem")
if run "/opt/moveo/moveo-emulator token inspect '$signed' --public-key customer/public.pem --platform-private-key platform/private.pem" >"$ROOT/tmp/moveo-check/inspect" 2>&1 \
    && grep -q 'accepted: iss portable, sub u1' "$ROOT/tmp/moveo-check/inspect"; then
    pass "token sign | token inspect: $(grep -c '^\[pass\]' "$ROOT/tmp/moveo-check/inspect") checks passed, context decrypted"
else
    fail "token round trip:"; cat "$ROOT/tmp/moveo-check/inspect"
fi

# 5. SIGTERM: stops, closes the database, exits 0.
kill -TERM "$pid"
set +e; wait "$pid"; code=$?; set -e
pid=""
if [ "$code" = 0 ] && grep -q 'database closed' "$log"; then pass "SIGTERM → exit 0, database closed"; else fail "SIGTERM → exit $code"; tail -5 "$log"; fi

if [ "$failures" = 0 ]; then echo "portable: all checks passed"; exit 0; fi
echo "portable: $failures check(s) failed"; exit 1
