#!/usr/bin/env bash
# scripts/annotate-corpus.sh: set up, build, and annotate corpus/ with the shipped gazetteers and
# rules. Writes one JSON file per document to out/ (or $1) and prints a summary line for each.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
out=${1:-out}
./build/tools/quarry annotate -o "$out" corpus/
echo "annotations written to $out/" >&2
