#!/usr/bin/env bash
# Annotates the seed commentary with the shipped gazetteers and scores its entities against the
# hand-made gold (corpus/gold/nabil-iran-alqaeda-taliban.entities.json); fails under F1 0.95
# (exact span and type, and strict: entity ids too).
set -euo pipefail
: "${QUARRY:?set QUARRY to the quarry binary}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$QUARRY" annotate -q --no-rules --no-temporal -g gazetteers -g "$QUARRY_BUILD_DIR/data/gazetteers" -o "$out" corpus/nabil-iran-alqaeda-taliban.txt
"$QUARRY" eval --gold corpus/gold/nabil-iran-alqaeda-taliban.entities.json \
  --system "$out/nabil-iran-alqaeda-taliban.json" --fail-under 0.95
