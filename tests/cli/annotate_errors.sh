#!/usr/bin/env bash
# Bad input to `quarry annotate`: each gets a clear message naming what and where, the right exit
# code, the good documents are still written, and no partial or temporary file is left behind.
source "$(dirname "$0")/lib.sh"
in="$TMP/in"; mkdir -p "$in"
printf 'Iran and the Taliban met in 2015.\n' > "$in/good.txt"
printf 'ab\ncd\xC3(ef\n' > "$in/badutf8.txt"
printf 'ab\0cd\n' > "$in/nul.txt"
: > "$in/empty.txt"
printf '\xEF\xBB\xBFIran\xE2\x80\x99s envoy.\r\nSecond line.\r\n' > "$in/bom_crlf.txt"

expect_exit 1 "$QUARRY" annotate -o "$TMP/o" "$in"
expect_err "badutf8.txt: invalid UTF-8 at byte 5 \(line 2, column 3\)"
expect_err "nul.txt: NUL byte at byte 2"
expect_err "empty.txt: empty document"
expect_err "3 of 5 inputs failed"
expect_file "$TMP/o/good.json"
expect_file "$TMP/o/bom_crlf.json"
expect_no_file "$TMP/o/badutf8.json"
expect_no_file "$TMP/o/nul.json"
[ -z "$(find "$TMP/o" -name '*.tmp.*')" ] && ok || bad "temporary files left behind"
/usr/bin/python3 tests/cli/check_standoff.py docs/schema/standoff.schema.json "$in/bom_crlf.txt" "$TMP/o/bom_crlf.json" >/dev/null && ok || bad "BOM/CRLF output does not check"
grep -q '"bom":true' "$TMP/o/bom_crlf.json" && ok || bad "bom not recorded"

# A missing path is reported; the other input is still annotated.
expect_exit 1 "$QUARRY" annotate -o "$TMP/o2" "$in/good.txt" "$TMP/nope.txt"
expect_err "nope.txt: no such file or folder"
expect_file "$TMP/o2/good.json"
# A folder with no text files.
mkdir -p "$TMP/emptydir"; touch "$TMP/emptydir/readme.pdf"
expect_exit 1 "$QUARRY" annotate -o "$TMP/o3" "$TMP/emptydir"
expect_err "emptydir: folder has no text files"
# An output folder that cannot be created: bad usage, nothing done.
expect_exit 2 "$QUARRY" annotate -o /dev/null/sub "$in/good.txt"
expect_err "cannot create output folder /dev/null/sub"
# Bad usage.
expect_exit 2 "$QUARRY" annotate --offsets bytes "$in/good.txt"
expect_err "--offsets must be codepoint, utf16 or utf8"
expect_exit 2 "$QUARRY" annotate --no-such-option "$in/good.txt"
expect_exit 2 "$QUARRY" annotate
expect_err "no INPUT given"
expect_exit 2 "$QUARRY" frobnicate
expect_err "unknown command 'frobnicate'"
expect_exit 2 "$QUARRY" annotate --dct yesterday "$in/good.txt"
# Version and help.
expect_exit 0 "$QUARRY" --version
grep -qE '^quarry [0-9]+\.[0-9]+\.[0-9]+$' "$TMP/out" && ok || bad "--version output"
expect_exit 0 "$QUARRY" --help
sed -n 's/^  \([a-z][a-z -]*[a-z]\)  .*/\1/p' "$TMP/out" > "$TMP/commands"
[ "$(wc -l < "$TMP/commands")" -ge 3 ] && ok || bad "too few commands listed"
while read -r c; do
  expect_exit 0 "$QUARRY" $c --help
  grep -q "usage: quarry" "$TMP/out" && ok || bad "$c --help has no usage line"
done < "$TMP/commands"
finish
