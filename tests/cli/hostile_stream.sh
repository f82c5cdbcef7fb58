#!/usr/bin/env bash
# The JSONL filter streams (so memory holds only the documents in flight, however long the
# stream): the first result is written while the input is still open, results keep input order
# with several workers, and a stream that dies mid-line or holds junk loses only the bad lines.
source "$(dirname "$0")/lib.sh"

# First result before the stream ends: the producer holds back its second line until the first
# result has arrived (or 60 s have passed), so a reader that waits for the end of the stream fails
# here however slow the machine is.
{ printf '%s\n' '{"id":"a","text":"First document."}'
  for _ in $(seq 600); do [ -s "$TMP/first" ] && { echo yes > "$TMP/saw"; break; }; sleep 0.1; done
  printf '%s\n' '{"id":"b","text":"Second document."}'; } |
  "$QUARRY" annotate -q -j 2 - 2>"$TMP/err" | {
    IFS= read -r first
    printf '%s\n' "$first" > "$TMP/first"
    cat > "$TMP/rest"
  }
[ -s "$TMP/saw" ] && ok || bad "no result before the end of the stream: JSONL input is not streamed"
grep -q '"id":"a"' "$TMP/first" && ok || bad "first line is not document a"
grep -q '"id":"b"' "$TMP/rest" && ok || bad "second document missing"

# Order with several workers, junk lines, and a last line cut off without a newline.
/usr/bin/python3 - "$TMP/in.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(300):
        if i % 50 == 7:
            f.write("{not json\n")
        else:
            f.write(json.dumps({"id": f"d{i}", "text": f"Document {i}: Iran met the Taliban. " * (1 + i % 13)}) + "\n")
    f.write('{"id":"cut","text":"no end')
PY
expect_exit 1 "$QUARRY" annotate -q -j 4 --no-tokens --jsonl "$TMP/in.jsonl"
/usr/bin/python3 - "$TMP/out" <<'PY' && ok || bad "stream output order or content"
import json, sys
ids = [json.loads(l)["document"]["id"] for l in open(sys.argv[1])]
want = [f"d{i}" for i in range(300) if i % 50 != 7]
assert ids == want, (len(ids), ids[:5])
PY
expect_err "in.jsonl:8: invalid JSON"
expect_err "in.jsonl:301: invalid JSON"
expect_err "7 of 301 inputs failed"
finish
