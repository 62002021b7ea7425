#!/usr/bin/env bash
# Fuzzes the JSON API against its own OpenAPI document with schemathesis: a real server (the
# release binary, a fresh data directory, the demo community), the document it serves, every
# check, three times: as staff, as a resident and signed out. Any finding fails the command.
#
#   tools/fuzz-api.sh            (./run test calls it after the end-to-end tests)
#
# Schemathesis and its dependencies come from PyPI at the versions pinned in
# tools/fuzz-requirements.txt, into .venv/ (created once, git-ignored). Bounded and repeatable:
# a fixed seed and a fixed number of examples per operation (FUZZ_SEED, FUZZ_MAX_EXAMPLES).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SCHEMATHESIS_VERSION=4.32.5
VENV=$ROOT/.venv
SERVER=${FUZZ_SERVER:-$ROOT/target/release/citizen-server}
SEED=${FUZZ_SEED:-20261204}
MAX_EXAMPLES=${FUZZ_MAX_EXAMPLES:-50}
# 0: the server picks a free port and says which.
PORT=${FUZZ_PORT:-0}
# The demo accounts (README.md).
STAFF=13800000003
RESIDENT=13800000001
PASSWORD=demo-pass-2026

log() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

ensure_schemathesis() {
  if [ -x "$VENV/bin/st" ] && "$VENV/bin/st" --version 2>/dev/null | grep -qx "st, version $SCHEMATHESIS_VERSION"; then
    return
  fi
  log "Installing schemathesis $SCHEMATHESIS_VERSION into .venv (about a minute)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r tools/fuzz-requirements.txt
}

ensure_schemathesis
[ -x "$SERVER" ] || die "no server binary at $SERVER: build it with cargo build --release -p citizen-server"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/citizen-fuzz.XXXXXX")
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/data" "$WORK/dist"
# The API needs no bundle: a stand-in page, and the served config of ./run serve.
printf '<!doctype html><title>fuzz</title>\n' >"$WORK/dist/index.html"
RUST_LOG=${RUST_LOG:-warn} "$SERVER" --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" \
  --dist "$WORK/dist" --config config/serve.json --demo >"$WORK/server.out" 2>"$WORK/server.log" &
SERVER_PID=$!

BASE=
for _ in $(seq 100); do
  BASE=$(sed -n 's|^Citizen Cloud is serving at \(http://[^ ]*\)/$|\1|p' "$WORK/server.out")
  [ -n "$BASE" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; die "the server did not start"; }
  sleep 0.1
done
[ -n "$BASE" ] || die "the server did not say where it serves"
API=$BASE/api/v1

# Signs in with the demo password and prints the bearer token.
token_of() {
  "$VENV/bin/python" - "$API/session" "$1" "$PASSWORD" <<'EOF'
import json, sys, urllib.request
url, mobile, password = sys.argv[1:4]
body = json.dumps({"mobile": mobile, "password": password}).encode()
request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
with urllib.request.urlopen(request, timeout=30) as reply:
    print(json.load(reply)["token"])
EOF
}
STAFF_TOKEN=$(token_of "$STAFF")
RESIDENT_TOKEN=$(token_of "$RESIDENT")

# One schemathesis run against the served document; extra arguments name who calls. The narrow
# exceptions to its checks, each with its reason, are in tools/schemathesis.toml.
fuzz() {
  local who=$1 har="$WORK/run-$RANDOM.har"
  shift
  log "Fuzzing the API $who (schemathesis $SCHEMATHESIS_VERSION, every check, seed $SEED)"
  local started=$SECONDS status=0
  "$VENV/bin/st" --config-file tools/schemathesis.toml run "$API/openapi.json" \
    --url "$API" \
    --checks all \
    --seed "$SEED" \
    --max-examples "$MAX_EXAMPLES" \
    --workers 1 \
    --generation-database none \
    --no-color \
    --report har --report-har-path "$har" \
    "$@" || status=$?
  local requests
  requests=$("$VENV/bin/python" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["log"]["entries"]))' "$har" 2>/dev/null || echo "?")
  echo "Fuzzed $who: $requests requests in $((SECONDS - started)) s"
  [ "$status" = 0 ] || FAILED+=("$who")
}
FAILED=()

# Signing out would end the session the run uses: the signed-out run covers DELETE /session.
fuzz "as staff" -H "Authorization: Bearer $STAFF_TOKEN" --exclude-operation-id sign_out
fuzz "as a resident" -H "Authorization: Bearer $RESIDENT_TOKEN" --exclude-operation-id sign_out
fuzz "signed out"
[ ${#FAILED[@]} = 0 ] || die "schemathesis found failures (above) fuzzing ${FAILED[*]}"
