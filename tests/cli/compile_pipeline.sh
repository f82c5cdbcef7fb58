#!/usr/bin/env bash
# `quarry compile` saves a pipeline; `annotate --pipeline` gives the same output as compiling;
# damaged pipeline files are refused with a clear message.
source "$(dirname "$0")/lib.sh"
doc=corpus/nabil-iran-alqaeda-taliban.txt
expect_exit 0 "$QUARRY" compile -o "$TMP/p.qpl"
expect_err "p.qpl: [0-9]+ gazetteer entries, [0-9]+ rules, stages: tokenize"
expect_exit 0 "$QUARRY" annotate -q --pipeline "$TMP/p.qpl" -o "$TMP/a" "$doc"
expect_exit 0 "$QUARRY" annotate -q -o "$TMP/b" "$doc"
cmp -s "$TMP/a/nabil-iran-alqaeda-taliban.json" "$TMP/b/nabil-iran-alqaeda-taliban.json" && ok || bad "loaded pipeline gives different output"
head -c -3 "$TMP/p.qpl" > "$TMP/trunc.qpl"
expect_exit 2 "$QUARRY" annotate -q --pipeline "$TMP/trunc.qpl" "$doc"
expect_err "trunc.qpl: (truncated|payload is)"
printf 'hello' > "$TMP/junk.qpl"
expect_exit 2 "$QUARRY" annotate -q --pipeline "$TMP/junk.qpl" "$doc"
expect_err "junk.qpl: not a quarry binary file"
expect_exit 2 "$QUARRY" annotate -q --pipeline "$TMP/none.qpl" "$doc"
expect_err "none.qpl: cannot open"
# A saved pipeline bundles the files its rules import: it runs with them gone.
mkdir -p "$TMP/imp/sub"
printf 'words greet = {hello, hi};\n' > "$TMP/imp/sub/common.qr"
cat > "$TMP/imp/main.qr" <<'EOF'
import "sub/common.qr";
type GREET: other;
rule g { match [lower in greet]; emit GREET; }
EOF
expect_exit 0 "$QUARRY" compile --no-gazetteers -r "$TMP/imp/main.qr" -o "$TMP/imp.qpl"
rm -r "$TMP/imp/sub"
printf 'Hello there.\n' > "$TMP/hello.txt"
expect_exit 0 "$QUARRY" annotate -q --pipeline "$TMP/imp.qpl" -o "$TMP/c" "$TMP/hello.txt"
grep -q '"GREET"' "$TMP/c/hello.json" && ok || bad "pipeline with an import: no GREET output"
expect_exit 2 "$QUARRY" compile
expect_err "no output file"
finish
