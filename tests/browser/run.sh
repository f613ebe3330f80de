#!/usr/bin/env bash
# Real-browser tests of the bundled site: accessibility (axe-core, WCAG 2.1 A and AA), HTML
# validity (the Nu Html Checker), the answer / receipt / withdraw flows with and without
# JavaScript, the language switch, privacy (no request leaves the site's origin), page weight,
# screenshots at phone and desktop widths under target/screenshots/, and the staff console
# (signed in as the admin and the editor that start_site adds).
#
# Installs what it needs on a fresh machine (Debian's chromium, a Java runtime for the checker,
# `npm ci` from package-lock.json), builds the sample site into a temporary folder, serves it on
# 127.0.0.1 together with the feedback endpoint on the same origin, runs every
# tests/browser/*.test.mjs with node's test runner, and stops the servers whatever happens.
#
#   bash tests/browser/run.sh                      # everything, as CI does (a minute or two)
#   bash tests/browser/run.sh tests/browser/a11y.test.mjs   # only some test files
#   TORGET_BROWSER_KEEP=1 bash tests/browser/run.sh         # keep the built site and server logs
#   bash tests/browser/run.sh tests/browser/measure.mjs     # what the first search downloads
set -euo pipefail

cd "$(dirname "$0")/../.."
root="$PWD"
here="$root/tests/browser"

# --- what the tests need -------------------------------------------------------------------
apt_updated=""
apt_install() {
  [[ -n "$apt_updated" ]] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
if [[ ! -x /usr/bin/chromium ]]; then
  echo "installing chromium from Debian" >&2
  apt_install chromium
fi
if ! command -v java >/dev/null 2>&1; then
  echo "installing a Java runtime for the Nu Html Checker" >&2
  apt_install default-jre-headless
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "installing node and npm from Debian" >&2
  apt_install nodejs npm
fi
# --ignore-scripts: vnu-jar's install script would download a Java runtime; we use the system's.
if ! (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null); then
  echo "npm ci failed in tests/browser" >&2
  exit 1
fi

# --- the site --------------------------------------------------------------------------------
# TORGET_BROWSER_ROOT: another site to build (default: the bundled sample), e.g. a large
# corpus for tests/browser/measure.mjs; TORGET_BROWSER_RELEASE=1: an optimized torget for it.
if [[ -n "${TORGET_BROWSER_RELEASE:-}" ]]; then
  cargo build --quiet --release --bin torget
  bin="$root/target/release/torget"
else
  cargo build --quiet --bin torget
  bin="$root/target/debug/torget"
fi
work="$(mktemp -d)"
site="$work/public"
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [[ -n "${TORGET_BROWSER_KEEP:-}" ]]; then
    echo "kept $work (built site, server logs)" >&2
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$bin" build --root "${TORGET_BROWSER_ROOT:-$root}" --out "$site" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }

# Waits for `listening on http://…` in a log and prints the address.
wait_for_address() {
  local log="$1" pid="$2" what="$3" addr=""
  for _ in $(seq 1 300); do
    addr="$(grep -o 'listening on http://[0-9.:]*' "$log" | head -n1 | sed 's|listening on ||' || true)"
    [[ -n "$addr" ]] && { echo "$addr"; return 0; }
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "$what did not start" >&2; return 1; }
    sleep 0.1
  done
  cat "$log" >&2
  echo "$what did not start in 30 s" >&2
  return 1
}

# Serves the built site and the feedback endpoint on one origin and sets TORGET_BROWSER_URL.
# Today: `torget feedback serve` plus a small static server that passes /api/ on to it. When
# `torget serve` can do both in one process, only this function changes.
start_site() {
  # Rate limit and minimum fill time off: the tests answer many times, faster than a person.
  RUST_LOG=info "$bin" feedback serve --site "$site" --db "$work/feedback.sqlite" \
    --listen 127.0.0.1:0 --rate-limit 0 --min-fill-seconds 0 >"$work/endpoint.log" 2>&1 &
  pids+=($!)
  local api
  api="$(wait_for_address "$work/endpoint.log" "$!" "the feedback endpoint")"
  # Staff for the console's pages: an admin and an editor, with passwords set by script.
  for role in admin editor; do
    printf '%s' "$TORGET_BROWSER_STAFF_PASSWORD" | "$bin" feedback staff add \
      "$role@torget.example" --role "$role" --name "Test $role" --password-stdin \
      --db "$work/feedback.sqlite" >>"$work/staff.log" 2>&1 \
      || { cat "$work/staff.log" >&2; exit 1; }
  done
  node "$here/static-server.mjs" --site "$site" --api "$api" --listen 127.0.0.1:0 \
    >"$work/static.log" 2>&1 &
  pids+=($!)
  TORGET_BROWSER_URL="$(wait_for_address "$work/static.log" "$!" "the static server")"
  export TORGET_BROWSER_URL
}
export TORGET_BROWSER_STAFF_PASSWORD="riktig hest batteri stift"
start_site
echo "site at $TORGET_BROWSER_URL (built into $site)"

# --- the tests -------------------------------------------------------------------------------
export TORGET_BROWSER_SITE="$site"
export TORGET_BROWSER_OUT="$root/target/browser"
export TORGET_SCREENSHOTS="$root/target/screenshots"
mkdir -p "$TORGET_BROWSER_OUT" "$TORGET_SCREENSHOTS"
rm -f "$TORGET_BROWSER_OUT"/*.txt

files=("$@")
[[ ${#files[@]} -gt 0 ]] || files=("$here"/*.test.mjs)
status=0
# One file at a time: the machine has two cores, and Chromium and the checker want both.
timeout 540 node --test --test-concurrency=1 --test-timeout=240000 "${files[@]}" || status=$?

for report in "$TORGET_BROWSER_OUT"/*.txt; do
  [[ -e "$report" ]] && { echo; cat "$report"; }
done
if grep -q ' status=5[0-9][0-9]' "$work/endpoint.log"; then
  echo "the endpoint logged 5xx responses:" >&2
  grep ' status=5' "$work/endpoint.log" | head -n 20 >&2
  status=1
fi
exit "$status"
