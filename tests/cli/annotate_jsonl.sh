#!/usr/bin/env bash
# JSONL mode: a filter from stdin to stdout, one object per line, bad lines reported and skipped.
source "$(dirname "$0")/lib.sh"
printf '%s\n' '{"id":"a","text":"Iran met the Taliban in Tehran."}' \
              'this is not json' \
              '{"id":"b","text":"Al-Qaeda\u2019s leader."}' \
              '{"id":"c"}' \
              '{"id":"d","text":"The US left in August 2021.","dct":"2023-01-01","url":"http://x/1","title":"Tít","n":2}' > "$TMP/in.jsonl"
set +e
"$QUARRY" annotate -q - < "$TMP/in.jsonl" > "$TMP/out.jsonl" 2> "$TMP/err"
code=$?
set -e
[ "$code" -eq 1 ] && ok || bad "exit $code, expected 1"
expect_err "<stdin>:2: invalid JSON"
expect_err "<stdin>:4: expected an object with a string \"text\""
[ "$(wc -l < "$TMP/out.jsonl")" -eq 3 ] && ok || bad "expected 3 output lines"
/usr/bin/python3 - "$TMP/out.jsonl" <<'PY' && ok || bad "JSONL output content"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["document"]["id"] for r in rows] == ["a", "b", "d"], [r["document"]["id"] for r in rows]
assert rows[2]["document"]["dct"] == "2023-01-01"
# The line's other fields are carried into document.meta; none for lines without any.
assert rows[2]["document"]["meta"] == {"n": 2, "title": "Tít", "url": "http://x/1"}, rows[2]["document"]
assert "meta" not in rows[0]["document"]
assert rows[1]["document"]["length"]["utf8"] == len("Al-Qaeda’s leader.".encode())
PY
# --jsonl FILE with -o writes one file per id.
expect_exit 1 "$QUARRY" annotate -q --jsonl "$TMP/in.jsonl" -o "$TMP/o"
expect_file "$TMP/o/a.json"
expect_file "$TMP/o/d.json"
finish
