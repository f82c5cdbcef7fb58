#!/usr/bin/env bash
# `quarry annotate -j 1` and `-j 4` give byte-identical output: files under -o, stdout (printed in
# input order), and a JSONL stream; and the same failures. Runs under ThreadSanitizer in CI.
source "$(dirname "$0")/lib.sh"
in="$TMP/in"; mkdir -p "$in/sub"
cp corpus/*.txt corpus/*.meta.json "$in/" 2>/dev/null || cp corpus/*.txt "$in/"
/usr/bin/python3 - "$in" <<'PY'
import sys, glob
d = sys.argv[1]
seed = open(sorted(glob.glob(d + "/*.txt"))[0], encoding="utf-8").read()
for i in range(12):
    cut = seed[: max(200, len(seed) * (i + 1) // 12)]
    open(f"{d}/sub/part{i:02d}.txt", "w", encoding="utf-8", newline="").write(
        cut.replace("\n", "\r\n") if i % 3 == 0 else cut)
open(f"{d}/sub/bad.txt", "wb").write(b"valid start \xff then bad\n")
with open(f"{d}/stream.jsonl", "w", encoding="utf-8") as f:
    import json
    for i in range(30):
        f.write(json.dumps({"id": f"s{i}", "text": seed[i * 200:(i + 1) * 200 + 300],
                            "dct": "2023-03-01"}) + "\n")
PY
for j in 1 4; do
  expect_exit 1 "$QUARRY" annotate -q -j $j -o "$TMP/out$j" "$in"
  sort "$TMP/err" > "$TMP/err$j"
  expect_exit 1 "$QUARRY" annotate -q -j $j "$in"
  mv "$TMP/out" "$TMP/stdout$j"
  expect_exit 0 "$QUARRY" annotate -q -j $j --jsonl "$in/stream.jsonl"
  mv "$TMP/out" "$TMP/jsonl$j"
done
[ "$(find "$TMP/out1" -name '*.json' | wc -l)" -ge 13 ] && ok || bad "too few outputs"
diff -r "$TMP/out1" "$TMP/out4" >/dev/null && ok || bad "-o output differs between -j 1 and -j 4"
cmp -s "$TMP/stdout1" "$TMP/stdout4" && ok || bad "stdout differs between -j 1 and -j 4"
cmp -s "$TMP/jsonl1" "$TMP/jsonl4" && ok || bad "JSONL output differs between -j 1 and -j 4"
cmp -s "$TMP/err1" "$TMP/err4" && ok || bad "reported failures differ between -j 1 and -j 4"
grep -q "bad.txt: invalid UTF-8 at byte 12" "$TMP/err4" && ok || bad "bad document not reported"
[ "$(wc -l < "$TMP/jsonl4")" -eq 30 ] && ok || bad "JSONL lines lost"
finish
