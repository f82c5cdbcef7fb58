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
exit 0
