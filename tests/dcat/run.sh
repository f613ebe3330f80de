#!/usr/bin/env bash
# The open-data catalogue against DCAT-AP-NO's own SHACL shapes, as data.norge.no checks what it
# harvests: zero violations on the sample site (Trondheim kommune) and on the minimal fixture
# published by someone else (tests/dcat/other-publisher.toml), in Turtle and in JSON-LD.
#
# Makes a Python venv in target/dcat-venv with a pinned pyshacl (kept between runs), builds both
# sites with the debug binary into a temporary folder and runs
#   pyshacl -s DCAT-AP-NO-shacl_shapes_2.00.ttl -e ontologies.ttl -i rdfs <catalogue>
# Exits non-zero, with pyshacl's report, on any violation.
#
#   bash tests/dcat/run.sh                            # shapes in ../shared/dcat-ap-no/
#   DCAT_AP_NO=/path/to/shapes bash tests/dcat/run.sh
set -euo pipefail

cd "$(dirname "$0")/../.."
shapes="${DCAT_AP_NO:-../shared/dcat-ap-no}"
if [[ ! -f "$shapes/DCAT-AP-NO-shacl_shapes_2.00.ttl" ]]; then
  echo "no DCAT-AP-NO shapes in $shapes: set DCAT_AP_NO to the folder that has" \
    "DCAT-AP-NO-shacl_shapes_2.00.ttl and ontologies.ttl" >&2
  exit 1
fi

venv="target/dcat-venv"
if [[ ! -x "$venv/bin/pyshacl" ]]; then
  echo "installing pyshacl from PyPI into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'pyshacl==0.40.1'
fi

cargo build --quiet --bin torget
bin="target/debug/torget"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

build() {
  "$bin" build --no-search "$@" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
}
build --out "$work/sample"
cp -r tests/fixtures/minimal "$work/other"
cat tests/dcat/other-publisher.toml >>"$work/other/site.toml"
build --root "$work/other" --out "$work/other-out"

status=0
for out in sample other-out; do
  for file in catalog.ttl:turtle catalog.jsonld:json-ld; do
    catalogue="$work/$out/data/${file%%:*}"
    # Warnings (recommendations) are reported but allowed; a violation fails.
    if report="$("$venv/bin/pyshacl" -s "$shapes/DCAT-AP-NO-shacl_shapes_2.00.ttl" \
      -e "$shapes/ontologies.ttl" -i rdfs --allow-warnings -df "${file##*:}" "$catalogue")"; then
      echo "ok: $out/data/${file%%:*} conforms to DCAT-AP-NO 2"
      if grep -q "sh:Warning\|Severity: sh:Warning" <<<"$report"; then echo "$report"; fi
    else
      echo "FAILED: $out/data/${file%%:*} breaks DCAT-AP-NO 2:" >&2
      echo "$report" >&2
      status=1
    fi
  done
done
exit "$status"
