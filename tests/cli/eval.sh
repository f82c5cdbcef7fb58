#!/usr/bin/env bash
# `quarry eval`: file and folder modes, the diff, --fail-under, and usage errors.
set -uo pipefail
: "${QUARRY:?set QUARRY to the quarry binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
gold=corpus/gold/nabil-iran-alqaeda-taliban.entities.json

# The gold against itself: perfect scores.
"$QUARRY" eval --gold "$gold" --system "$gold" > "$tmp/self" || fail "self eval failed"
grep -q "^(all) .* 1.000  1.000  1.000 |" "$tmp/self" || fail "gold vs gold is not 1.0: $(cat "$tmp/self")"

# Folder mode: documents matched by file name; a removed mention shows up as a MISS.
mkdir -p "$tmp/g" "$tmp/s"
cp "$gold" "$tmp/g/"
python3 - "$gold" "$tmp/s/nabil-iran-alqaeda-taliban.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d['entities'] = d['entities'][1:]
json.dump(d, open(sys.argv[2], 'w'))
PY
"$QUARRY" eval --gold "$tmp/g" --system "$tmp/s" > "$tmp/folder" || fail "folder eval failed"
grep -q "MISS  \[0,4) GPE 'Iran' entity=country:IR" "$tmp/folder" || fail "no MISS line: $(cat "$tmp/folder")"
"$QUARRY" eval --json --gold "$tmp/g" --system "$tmp/s" | python3 -c "
import json,sys; r=json.load(sys.stdin); e=r['layers']['entities']['exact']['(all)']
assert e['fn']==1 and e['fp']==0, e" || fail "JSON report"
"$QUARRY" eval --gold "$tmp/g" --system "$tmp/s" --fail-under 1.0 > /dev/null 2>&1 && fail "--fail-under 1.0 should fail"

# Usage errors.
"$QUARRY" eval --gold "$gold" > /dev/null 2>&1; [ $? -eq 2 ] || fail "missing --system should exit 2"
"$QUARRY" eval --gold "$gold" --system "$tmp/g" > /dev/null 2>&1; [ $? -eq 2 ] || fail "file vs folder should exit 2"
echo '{"entities":[{"type":"X"}]}' > "$tmp/bad.json"
"$QUARRY" eval --gold "$tmp/bad.json" --system "$gold" > /dev/null 2> "$tmp/err"; [ $? -eq 1 ] || fail "bad gold should exit 1"
grep -q "bad.json: entities\[0\]" "$tmp/err" || fail "error does not name the item"
echo ok
