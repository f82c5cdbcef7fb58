#!/usr/bin/env bash
# Hostile document text through `quarry annotate`: invalid UTF-8 at the start, middle and end,
# overlongs and surrogates, NUL bytes, a BOM (alone, before bad bytes, before text), CRLF and lone
# CR, an empty file, a very long line, one token repeated, and runs that made the tokenizer
# quadratic. Each bad document is named with its byte offset, line and column; every good document
# in the same batch is still annotated, and its spans check against the text.
source "$(dirname "$0")/lib.sh"
schema=docs/schema/standoff.schema.json
check() { /usr/bin/python3 tests/cli/check_standoff.py "$schema" "$1" "$2" >/dev/null && ok || bad "$2 does not check against $1"; }
in="$TMP/in"; mkdir -p "$in"
printf 'Iran and the Taliban met in 2015.\n' > "$in/good.txt"
printf '\xFFIran met the envoy.\n' > "$in/bad_start.txt"
printf 'Iran met\nthe \x80 envoy.\n' > "$in/bad_middle.txt"
printf 'Truncated at the end \xE2\x80' > "$in/bad_end.txt"
printf 'slash \xC0\xAF overlong\n' > "$in/overlong.txt"
printf 'a \xED\xA0\x80 surrogate\n' > "$in/surrogate.txt"
printf 'above \xF4\x90\x80\x80 U+10FFFF\n' > "$in/toobig.txt"
printf 'text then NUL\0' > "$in/nul_end.txt"
printf '\xEF\xBB\xBF' > "$in/bom_only.txt"
printf '\xEF\xBB\xBF\xFE after a BOM\n' > "$in/bom_bad.txt"
printf '\xEF\xBB\xBFIran\xE2\x80\x99s envoy left.\n' > "$in/bom_text.txt"
printf 'One line.\r\nTwo line.\r\n\r\nNew paragraph.\r\n' > "$in/crlf.txt"
printf 'One.\rTwo.\rThree\r' > "$in/cr.txt"
: > "$in/empty.txt"

expect_exit 1 "$QUARRY" annotate -o "$TMP/o" "$in"
expect_err "bad_start.txt: invalid UTF-8 at byte 0 \(line 1, column 1\)"
expect_err "bad_middle.txt: invalid UTF-8 at byte 13 \(line 2, column 5\)"
expect_err "bad_end.txt: invalid UTF-8 at byte 21 \(line 1, column 22\)"
expect_err "overlong.txt: invalid UTF-8 at byte 6 \(line 1, column 7\)"
expect_err "surrogate.txt: invalid UTF-8 at byte 2 \(line 1, column 3\)"
expect_err "toobig.txt: invalid UTF-8 at byte 6 \(line 1, column 7\)"
expect_err "nul_end.txt: NUL byte at byte 13 \(line 1, column 14\)"
# Offsets count the input as given, BOM included; columns count from the text after it.
expect_err "bom_bad.txt: invalid UTF-8 at byte 3 \(line 1, column 1\)"
expect_err "bom_only.txt: empty document"
expect_err "empty.txt: empty document"
expect_err "10 of 14 inputs failed"
for f in good bom_text crlf cr; do expect_file "$TMP/o/$f.json"; check "$in/$f.txt" "$TMP/o/$f.json"; done
for f in bad_start bad_middle bad_end overlong surrogate toobig nul_end bom_only bom_bad empty; do
  expect_no_file "$TMP/o/$f.json"
done
[ -z "$(find "$TMP/o" -name '*.tmp.*')" ] && ok || bad "temporary files left behind"
# Line ends: CRLF counts once, lone CR is a line break; offsets still name the original bytes.
/usr/bin/python3 - "$TMP/o" <<'PY' && ok || bad "line-end handling"
import json, sys
d = sys.argv[1]
crlf = json.load(open(d + "/crlf.json"))
assert len(crlf["sentences"]["span"]) == 3, crlf["sentences"]
assert crlf["document"]["length"]["utf8"] == len(b"One line.\r\nTwo line.\r\n\r\nNew paragraph.\r\n")
cr = json.load(open(d + "/cr.json"))
assert len(cr["sentences"]["span"]) == 3, cr["sentences"]
assert cr["tokens"]["utf8"][2] == [5, 8], cr["tokens"]["utf8"]   # "Two" after "One.\r"
bom = json.load(open(d + "/bom_text.json"))
assert bom["document"]["bom"] is True and bom["tokens"]["utf8"][0] == [0, 4]
PY

# The same refusals through the JSONL stream: offsets are in the decoded "text" string.
printf '%s\n' '{"id":"ok","text":"Fine text."}' '{"id":"nul","text":"a\u0000b"}' \
              '{"id":"empty","text":""}' '{"id":"lone","text":"x\ud800y"}' > "$TMP/in.jsonl"
expect_exit 1 "$QUARRY" annotate -q --jsonl "$TMP/in.jsonl"
expect_err "in.jsonl:2: nul: NUL byte at byte 1 \(line 1, column 2\) \(in the decoded \"text\" string\)"
expect_err "in.jsonl:3: empty document"
expect_err "in.jsonl:4: invalid JSON"
[ "$(wc -l < "$TMP/out")" -eq 1 ] && grep -q '"id":"ok"' "$TMP/out" && ok || bad "good JSONL line not annotated"

# Big but legitimate shapes are annotated, and in linear time: a 4 MB line, a 4 MB document of one
# repeated token, 1 MB runs of ")" and "a/", and 1 MB of gazetteer mentions (all three were
# quadratic). The time budget turns a
# regression into a clear failure instead of a hung test.
/usr/bin/python3 - "$in" <<'PY'
import sys
d = sys.argv[1]
open(d + "/longline.txt", "w").write("Iran sent envoys to Kabul, " * 150000 + "end.\n")
open(d + "/repeated.txt", "w").write("the " * 1000000)
open(d + "/closers.txt", "w").write("Start. " + ")" * 1000000 + "\n")
open(d + "/slashes.txt", "w").write("a/" * 500000 + "\n")
# Many gazetteer mentions with shorter names inside them, and many sentences for the linker
# (both were quadratic in the gazetteer stages).
open(d + "/mentions.txt", "w").write(
    "The Islamic Revolutionary Guard Corps met Mullah Omar and the Taliban in Kabul. " * 12000)
PY
rm -f "$in"/bad_* "$in"/overlong.txt "$in"/surrogate.txt "$in"/toobig.txt "$in"/nul_end.txt \
      "$in"/bom_* "$in"/empty.txt "$in"/cr*.txt
expect_exit 0 "$QUARRY" annotate --no-tokens --time-budget 60 -o "$TMP/big" "$in"
for f in good longline repeated closers slashes mentions; do expect_file "$TMP/big/$f.json"; done
/usr/bin/python3 - "$TMP/big" <<'PY' && ok || bad "big documents"
import json, sys
d = sys.argv[1]
rep = json.load(open(d + "/repeated.json"))
assert rep["document"]["length"]["utf8"] == 4000000
long = json.load(open(d + "/longline.json"))
assert long["document"]["length"]["utf8"] == 27 * 150000 + 5
PY
grep -qE "repeated.txt: 1000000 tokens, 1 sentences" "$TMP/err" && ok || bad "repeated token count"
grep -qE "closers.txt: 1000002 tokens" "$TMP/err" && ok || bad "closer run token count"
finish
