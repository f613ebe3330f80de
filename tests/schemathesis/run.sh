#!/usr/bin/env bash
# Property-based fuzzing of the feedback endpoint against its OpenAPI description
# (docs/openapi.yaml) with schemathesis: no 5xx, and no response that breaks the description.
#
# Builds the sample site into a temporary folder, starts `torget feedback serve` on a free
# 127.0.0.1 port with a fresh database and the rate limit off, runs a bounded number of
# examples per operation, then stops the server. Exits non-zero on any failure.
#
#   bash tests/schemathesis/run.sh              # brief run, as CI does (about a minute)
#   SCHEMATHESIS_EXAMPLES=500 bash tests/schemathesis/run.sh   # longer
#   SCHEMATHESIS_SEED=random  bash tests/schemathesis/run.sh   # a fresh seed
#   SCHEMATHESIS_CHECKS=all   bash tests/schemathesis/run.sh   # every check schemathesis has
set -euo pipefail

cd "$(dirname "$0")/../.."
examples="${SCHEMATHESIS_EXAMPLES:-150}"
seed="${SCHEMATHESIS_SEED:-4}"
checks="${SCHEMATHESIS_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection}"

if ! command -v st >/dev/null 2>&1; then
  echo "installing schemathesis from PyPI" >&2
  python3 -m pip install --quiet --disable-pip-version-check 'schemathesis>=4.3,<5'
fi

cargo build --quiet --bin torget
bin="target/debug/torget"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" build --out "$work/public" >/dev/null 2>&1
token="schemathesis-admin-token-at-least-32-characters"
TORGET_ADMIN_TOKEN="$token" RUST_LOG=info "$bin" feedback serve \
  --site "$work/public" --db "$work/feedback.sqlite" --listen 127.0.0.1:0 \
  --rate-limit 0 --min-fill-seconds 0 2>"$work/server.log" &
server_pid=$!

addr=""
for _ in $(seq 1 300); do
  addr="$(grep -o 'listening on http://[0-9.:]*' "$work/server.log" | head -n1 | sed 's|listening on ||' || true)"
  [[ -n "$addr" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "the endpoint did not start" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$addr" ]] || { cat "$work/server.log" >&2; echo "the endpoint did not start in 30 s" >&2; exit 1; }
echo "fuzzing the endpoint at $addr ($examples examples per operation, seed $seed)"

seed_args=()
[[ "$seed" != "random" ]] && seed_args=(--seed "$seed")
status=0
st run docs/openapi.yaml \
  --url "$addr" \
  --header "Authorization: Bearer $token" \
  --checks "$checks" \
  --max-examples "$examples" \
  --phases examples,coverage,fuzzing \
  --request-timeout 10 \
  --no-color \
  --generation-database none \
  --report-dir "$work/report" \
  "${seed_args[@]}" || status=$?

if grep -q ' status=5[0-9][0-9]' "$work/server.log"; then
  echo "the server logged 5xx responses:" >&2
  grep ' status=5' "$work/server.log" | head -n 20 >&2
  status=1
fi
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "the endpoint died during the run:" >&2
  tail -n 50 "$work/server.log" >&2
  status=1
fi
exit "$status"
