#!/usr/bin/env bash
# Real-browser test of search: builds the sample site, serves it on 127.0.0.1 and searches it
# in headless Chromium driven by playwright-core (tests/browser/*.test.mjs).
#
#   tests/browser/run.sh            build the sample site and run the tests
#   SITE_ROOT=/tmp/corpus RELEASE=1 tests/browser/run.sh measure.mjs   another site, a script
#
# Installs what is missing: Chromium from Debian, playwright-core from package-lock.json.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
site="${SITE_ROOT:-$repo}"

if [ ! -x /usr/bin/chromium ]; then
  apt-get update && apt-get install -y chromium
fi
if [ ! -f "$here/node_modules/playwright-core/package.json" ]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi

work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The fixed "now" of the Rust tests: one call open, one upcoming, one closed.
cargo run --quiet ${RELEASE:+--release} --manifest-path "$repo/Cargo.toml" -- \
  build --root "$site" --out "$work/public" --now 2026-11-26T11:00:00Z

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/public" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do
  if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null; then break; fi
  sleep 0.1
done

cd "$here"
if [ "$#" -gt 0 ]; then
  SITE_URL="http://127.0.0.1:$port" node "$@"
else
  SITE_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 ./*.test.mjs
fi
