#!/usr/bin/env bash
# tests/cli/timex.sh: `quarry timex test` passes on the shipped grammar, reports every error of a
# broken grammar with file:line:column (exit 2), and `quarry timex tag` finds the seed's dates.
set -u
QUARRY=${QUARRY:-build/tools/quarry}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

out=$("$QUARRY" timex test 2>&1) || fail "built-in grammar examples: $out"
echo "$out" | grep -q " 0 failed" || fail "unexpected summary: $out"
"$QUARRY" timex test rules/temporal rules/timex2 >/dev/null 2>&1 || fail "shipped folders"

printf 'rule a\n  pattern  @nope\n  value    date(y)\nend\nrule b\n  pattern  y:@YEAR\n  value    nofn(y)\nend\n' > "$tmp/bad.qt"
"$QUARRY" timex test "$tmp/bad.qt" > "$tmp/out" 2>&1
rc=$?
[ $rc -eq 2 ] || fail "bad grammar exit $rc"
grep -q "bad.qt:2:12: error: unknown lexicon or class '@nope'" "$tmp/out" || fail "missing located error 1: $(cat "$tmp/out")"
grep -q "bad.qt:3:17: error: 'y' is not a capture" "$tmp/out" || fail "missing located error 2: $(cat "$tmp/out")"
grep -q "bad.qt:7:12: error: unknown function 'nofn'" "$tmp/out" || fail "missing located error 3: $(cat "$tmp/out")"

printf 'rule a\n  pattern  y:@YEAR\n  value    date(y)\n  example  "in [1999] it" => 2000\nend\n' > "$tmp/ex.qt"
"$QUARRY" timex test "$tmp/ex.qt" > "$tmp/out" 2>&1
[ $? -eq 1 ] || fail "failing example should exit 1"
grep -q "ex.qt:4:1: error: rule a: expected \[1999\] = 2000" "$tmp/out" || fail "example failure not located: $(cat "$tmp/out")"

"$QUARRY" timex tag corpus/nabil-iran-alqaeda-taliban.txt > "$tmp/tags" || fail "timex tag"
grep -q $'\tDATE\t2001-09-11\t.*\t9/11\t' "$tmp/tags" || fail "9/11 not found"
grep -q $'\tDURATION\tP20Y\t.*\tthe last two decades\t' "$tmp/tags" || fail "two decades not found"
"$QUARRY" timex test --help | grep -q "usage: quarry timex test" || fail "help"

# News mode: weekdays resolve around the document date by tense; without a date they stay
# unresolved and say why; --mode and the JSONL "mode" field choose it; a bad date is an error.
printf 'Police said on Tuesday that six people died. The ministers will meet on Tuesday.\n' > "$tmp/news.txt"
"$QUARRY" annotate --no-tokens --dct 2025-03-14 --mode news "$tmp/news.txt" > "$tmp/news.json" 2>/dev/null || fail "annotate --mode news"
python3 - "$tmp/news.json" <<'PY' || fail "weekdays by tense"
import json, sys
d = json.load(open(sys.argv[1]))
vals = [t["value"] for t in d["timexes"]]
assert vals == ["2025-03-11", "2025-03-18"], vals
PY
"$QUARRY" annotate --no-tokens --mode news "$tmp/news.txt" > "$tmp/nodct.json" 2>/dev/null || fail "news without a date"
python3 - "$tmp/nodct.json" <<'PY' || fail "news mode without a date must not invent values"
import json, sys
d = json.load(open(sys.argv[1]))
for t in d["timexes"]:
    assert t["value"] == "XXXX-WXX-2" and t["unresolved"] is True, t
    assert "no document date" in t["reason"], t
PY
"$QUARRY" annotate --mode sometimes "$tmp/news.txt" > /dev/null 2> "$tmp/err" && fail "bad --mode accepted"
grep -q "mode must be news, narrative or auto" "$tmp/err" || fail "bad --mode message: $(cat "$tmp/err")"
printf '{"id":"a","text":"He left on Tuesday.","dct":"2025-03-14","mode":"news"}\n{"id":"b","text":"x","mode":7}\n{"id":"c","text":"y","dct":"last week"}\n' \
  | "$QUARRY" annotate --no-tokens - > "$tmp/j.jsonl" 2> "$tmp/err"
[ $? -eq 1 ] || fail "JSONL with bad lines should exit 1"
grep -q '"value":"2025-03-11"' "$tmp/j.jsonl" || fail "JSONL mode: $(cat "$tmp/j.jsonl")"
grep -q '<stdin>:2: "mode" must be' "$tmp/err" || fail "bad JSONL mode not reported: $(cat "$tmp/err")"
grep -q "c: document date 'last week' is not an ISO 8601 date" "$tmp/err" || fail "bad dct not reported: $(cat "$tmp/err")"

# Non-dates: numbers in names are not years.
printf 'Operation 1027 began as Resolution 1701 stood; Flight 1549 landed in 2009.\n' > "$tmp/nd.txt"
"$QUARRY" timex tag "$tmp/nd.txt" > "$tmp/nd" || fail "timex tag non-dates"
[ "$(cut -f3 "$tmp/nd")" = "2009" ] || fail "non-dates tagged: $(cat "$tmp/nd")"

# TimeML in and out: the TEXT is annotated with the DCT, written back with TIMEX3; a malformed
# file is reported with its line and skipped, the others annotated.
mkdir -p "$tmp/tml"
printf '<?xml version="1.0"?>\n<TimeML>\n<DOCID>x</DOCID>\n<DCT><TIMEX3 tid="t0" type="DATE" value="1998-08-07" functionInDocument="CREATION_TIME">1998-08-07</TIMEX3></DCT>\n<TEXT>\nBombs <EVENT eid="e1">exploded</EVENT> outside the embassies <TIMEX3 tid="t1" type="DATE" value="1998-08-07">Friday</TIMEX3> &amp; killed dozens.\n</TEXT>\n</TimeML>\n' > "$tmp/tml/good.tml"
printf '<TimeML>\n<TEXT>\nOn Friday <TIMEX3 tid="t1">a</EVENT> b\n</TEXT></TimeML>\n' > "$tmp/tml/bad.tml"
"$QUARRY" annotate -o "$tmp/tmlout" --export timeml "$tmp/tml" 2> "$tmp/err"
[ $? -eq 1 ] || fail "a malformed TimeML file should make the batch exit 1"
grep -q "bad.tml:3:29 (byte 44): </EVENT> closes <TIMEX3>" "$tmp/err" || fail "malformed TimeML not located: $(cat "$tmp/err")"
grep -q '<TIMEX3 tid="t1" type="DATE" value="1998-08-07">Friday</TIMEX3> &amp; killed' "$tmp/tmlout/good.tml" \
  || fail "TimeML out: $(cat "$tmp/tmlout/good.tml")"
grep -q '"dct":"1998-08-07"' "$tmp/tmlout/good.json" || fail "TimeML DCT not used"
exit 0
