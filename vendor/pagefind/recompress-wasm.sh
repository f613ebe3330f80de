#!/usr/bin/env bash
# Recompresses pagefind's WASM files (vendor/wasm/*.wasm.gz) with zopfli: the same bytes once
# decompressed, about 5% fewer to download (see PATCHES.md). Checks each file against
# WASM.sha256, the SHA-256 of pagefind 1.6.0's decompressed files, before and after.
#
#   apt-get install zopfli && bash vendor/pagefind/recompress-wasm.sh
set -euo pipefail
cd "$(dirname "$0")/vendor/wasm"
command -v zopfli >/dev/null || { echo "needs zopfli (apt-get install zopfli)" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for gz in pagefind_web_bg.*.wasm.gz; do
  raw="$tmp/${gz%.gz}"
  gzip -dc "$gz" >"$raw"
  want="$(grep " ${gz%.gz}\$" ../../WASM.sha256 | cut -d' ' -f1)"
  got="$(sha256sum "$raw" | cut -d' ' -f1)"
  [[ -n "$want" && "$want" == "$got" ]] || { echo "$gz: not pagefind 1.6.0's WASM" >&2; exit 1; }
  zopfli --i15 -c "$raw" >"$tmp/$gz"
  [[ "$(gzip -dc "$tmp/$gz" | sha256sum | cut -d' ' -f1)" == "$want" ]] || { echo "$gz: zopfli changed it" >&2; exit 1; }
  # Only ever smaller.
  if (( $(stat -c %s "$tmp/$gz") < $(stat -c %s "$gz") )); then
    mv "$tmp/$gz" "$gz"
  fi
  echo "$gz $(stat -c %s "$gz")"
done
