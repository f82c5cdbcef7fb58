#!/usr/bin/env bash
# Hostile data files: a gazetteer and a rule file with every kind of error (all reported at once,
# each with file:line:column), data files with bad UTF-8, a missing path and folders without data
# files; a rule over its match limit;
# a temporal grammar with errors; saved pipelines that are truncated, corrupt, of another format
# version or kind, empty, or a folder. Each is refused with exit 2 before any document is touched.
source "$(dirname "$0")/lib.sh"
in="$TMP/in"; mkdir -p "$in"
printf 'Iran and the Taliban met in 2015.\n' > "$in/good.txt"

cat > "$TMP/bad.gaz" <<'GAZ'
@frobnicate yes
@source
  alias: orphan line
Bad-Id! PERSON Someone
noType
x1 WIDGET Thing
x2 PERSON
x3 PERSON Some One
  alias: A || B
  alias: ---
  cameo: lowercase
  role: ; 2001..2002
  role: leader; 2005..2001
  role: leader; 20X1..
  role: leader; 2001
  colour: blue
  country: AF
  country: PK
  note:
  just words
x3 PERSON Duplicate
GAZ
expect_exit 2 "$QUARRY" annotate -g "$TMP/bad.gaz" -o "$TMP/o" "$in"
expect_err "19 errors in gazetteer files"
for want in "bad.gaz:1:1 \(byte 0\): error: unknown directive '@frobnicate'" \
            "bad.gaz:2:8 \(byte 23\): error: @source needs a text" \
            "bad.gaz:3:3 \(byte 26\): error: indented line outside an entry" \
            "bad.gaz:4:1 \(byte 45\): error: entity id 'Bad-Id!' may only contain" \
            "bad.gaz:5:7 \(byte 74\): error: expected a type" \
            "bad.gaz:6:4 \(byte 78\): error: unknown entity type 'WIDGET'" \
            "bad.gaz:7:10 \(byte 100\): error: expected the canonical name" \
            "bad.gaz:9:13 \(byte 132\): error: empty alias" \
            "bad.gaz:10:10 \(byte 145\): error: alias '---' has no word to match" \
            "bad.gaz:11:10 \(byte 158\): error: a CAMEO actor code" \
            "bad.gaz:12:9 \(byte 176\): error: a role needs a title" \
            "bad.gaz:13:23 \(byte 211\): error: role ends before it starts" \
            "bad.gaz:14:17 \(byte 232\): error: bad date '20X1'" \
            "bad.gaz:15:17 \(byte 255\): error: a role's dates are FROM..TO" \
            "bad.gaz:16:3 \(byte 262\): error: unknown key 'colour'" \
            "bad.gaz:18:3 \(byte 291\): error: 'country' given twice for 'x3'" \
            "bad.gaz:19:8 \(byte 310\): error: empty value for 'note'" \
            "bad.gaz:20:3 \(byte 313\): error: expected 'key: value'" \
            "bad.gaz:21:1 \(byte 324\): error: duplicate id 'x3' \(first defined at line 8\)"; do
  expect_err "$want"
done
expect_no_file "$TMP/o"
# The same through `quarry gazetteer check`.
expect_exit 1 "$QUARRY" gazetteer check "$TMP/bad.gaz"  # a checker: 1 = the input has errors
expect_err "bad.gaz:21:1"

# Bad UTF-8 in a data file; a missing path; a folder without data files.
printf 'x4 PERSON Caf\xE9 Owner\n' > "$TMP/latin1.gaz"
expect_exit 2 "$QUARRY" annotate -g "$TMP/latin1.gaz" "$in/good.txt"
expect_err "latin1.gaz: invalid UTF-8 at byte 13"
expect_exit 2 "$QUARRY" annotate -g "$TMP/none.gaz" "$in/good.txt"
expect_err "none.gaz: no such file or folder"
mkdir -p "$TMP/nogaz"; printf 'x\n' > "$TMP/nogaz/readme.txt"
expect_exit 2 "$QUARRY" annotate -g "$TMP/nogaz" "$in/good.txt"
expect_err "nogaz: folder has no \*.gaz files"

# A rule file with every kind of error: all 25 reported at once, each at its line and column,
# including an import of a missing file, an import of a device (refused at the import size limit
# instead of exhausting memory) and a regular expression over the RE2 memory budget.
cat > "$TMP/bad.qr" <<'QR'
import "missing.qr";
import "/dev/zero";
type PERSON: event;
type entity: other;
type EV: event (cameo);
words w = {a, b};
words w = {c};
define d = [lower == x];
define d = [lower == y];
define loop = loop;
phase p { input entity; output event; policy longest; }
phase p { input entity; output event; }
rule r1 { match [lower == a]; emit EV(); }
rule r2 { phase nosuch; match [lower == a]; emit EV(); }
rule r3 { phase p; match [lower =~ /(/]; emit EV(); }
rule r4 { phase p; match [lower =~ /\pL{1000}\pL{1000}\pL{1000}/]; emit EV(); }
rule r5 { phase p; match @NOTYPE; emit EV(); }
rule r6 { phase p; match [lower in nolist]; emit EV(); }
rule r7 { phase p; match [kind == blob]; emit EV(); }
rule r8 { phase p; match [lower == a]{200}; emit EV(); }
rule r9 { phase p; match ([]?)*; emit EV(); }
rule r10 { phase p; match x:[lower == a]; emit NOOUT(a: x); }
rule r11 { phase p; match x:[lower == a]; emit EV(a: y); }
rule r12 { phase p; match x:[lower == a]; }
rule r1 { phase p; match [lower == b]; emit EV(); }
rule r13 { phase p; match [colour == red]; emit EV(); }
rule r14 { phase p; match [lower == "unclosed]; emit EV(); }
rule r15 { phase p; match [lower == a] ~ ; emit EV(); }
QR
expect_exit 2 "$QUARRY" annotate -r "$TMP/bad.qr" -o "$TMP/or" "$in"
expect_err "25 errors in the rule files"
for want in 'bad.qr:1:8 \(byte 7\): error: cannot import "missing.qr": .*No such file or directory' \
            'bad.qr:2:8 \(byte 28\): error: cannot import "/dev/zero": /dev/zero: input is over the limit of 16777216 bytes' \
            "bad.qr:3:6 \(byte 46\): error: type 'PERSON' was declared before with layer" \
            "bad.qr:4:6 \(byte 66\): error: 'entity' is a layer name" \
            "bad.qr:7:1 \(byte 123\): error: word list 'w' is declared twice" \
            "bad.qr:9:1 \(byte 163\): error: sub-pattern 'd' is defined twice" \
            "bad.qr:12:1 \(byte 264\): error: phase 'p' is declared twice" \
            "bad.qr:13:1 \(byte 304\): error: rule 'r1' names no phase" \
            "bad.qr:14:17 \(byte 363\): error: unknown phase 'nosuch'" \
            "bad.qr:15:27 \(byte 430\): error: invalid regular expression /\(/: missing \)" \
            "bad.qr:16:27 \(byte 484\): error: regular expression .* is too large for the RE2 memory budget of 8 MiB per expression" \
            "bad.qr:17:26 \(byte 563\): error: unknown annotation type '@NOTYPE'" \
            "bad.qr:18:27 \(byte 611\): error: unknown word list 'nolist'" \
            "bad.qr:19:27 \(byte 668\): error: unknown token kind 'blob'" \
            "bad.qr:20:26 \(byte 721\): error: repetition counts above 100 are not supported" \
            "bad.qr:21:27 \(byte 779\): error: the pattern of rule 'r9' can match an empty sequence" \
            "bad.qr:22:48 \(byte 846\): error: unknown output type 'NOOUT'" \
            "bad.qr:23:54 \(byte 914\): error: unbound capture name 'y'" \
            "bad.qr:24:1 \(byte 920\): error: rule 'r12' emits nothing" \
            "bad.qr:25:1 \(byte 964\): error: rule 'r1' is declared twice \(first at .*bad.qr:13\)" \
            "bad.qr:26:28 \(byte 1043\): error: unknown token attribute 'colour'" \
            "bad.qr:27:37 \(byte 1108\): error: this string is not closed" \
            "bad.qr:28:1 \(byte 1133\): error: rule 'r14' is not closed" \
            "bad.qr:28:40 \(byte 1172\): error: unexpected character '~'"; do
  expect_err "$want"
done
expect_no_file "$TMP/or"
mkdir -p "$TMP/norules"; printf 'x\n' > "$TMP/norules/notes.txt"
expect_exit 2 "$QUARRY" annotate -r "$TMP/norules" "$in/good.txt"
expect_err "norules: folder has no \*.qr, \*.qv or \*.qa files"

# A rule matching too often fails only its document, naming the document, rule and place.
cat > "$TMP/every.qr" <<'QR'
type TOK: other;
phase p { input entity; output other; policy all; }
rule every { phase p; match w:[kind == word]; emit TOK() at w; }
QR
printf 'Iran met the envoy in Kabul today, and then the envoy left for Doha.\n' > "$in/words.txt"
expect_exit 1 "$QUARRY" annotate -r "$TMP/every.qr" --max-matches-per-rule 8 -o "$TMP/ow" "$in"
expect_err "words.txt: rule 'every' \(.*every.qr:3\) produced more than 8 matches in one document"
expect_file "$TMP/ow/good.json"
expect_no_file "$TMP/ow/words.json"
rm "$in/words.txt"

# A temporal grammar with errors: all of them, located.
cat > "$TMP/bad.qt" <<'QT'
rule bad_fn
  pattern  y:@YEAR
  value    frobnicate(y)
end

rule unbound
  pattern  y:@YEAR
  value    date(q)
end

rule bad_pattern
  pattern  ( y:@YEAR
  value    date(y)
end

junk at top level
QT
expect_exit 2 "$QUARRY" timex test "$TMP/bad.qt"
expect_err "bad.qt:3:12: error: unknown function 'frobnicate'"
expect_err "bad.qt:8:17: error: 'q' is not a capture of the pattern"
expect_err "bad.qt:12:12: error: unclosed '\('"
expect_err "bad.qt:16:1: error: expected \`lexicon NAME\` or \`rule NAME\`, found 'junk'"

# Saved pipelines: each damage is named, with exit 2 and no output.
expect_exit 0 "$QUARRY" compile -o "$TMP/p.qpl"
size=$(stat -c %s "$TMP/p.qpl")
damage() {  # damage NAME PYTHON-EXPRESSION-ON-b: writes $TMP/NAME.qpl
  /usr/bin/python3 -c "import sys; b = bytearray(open(sys.argv[1],'rb').read()); b = $2; open(sys.argv[2],'wb').write(b)" \
    "$TMP/p.qpl" "$TMP/$1.qpl"
}
damage v99 'b[:12] + bytes([99,0,0,0]) + b[16:]'
damage kind 'b[:8] + b"GAZT" + b[12:]'
damage flip 'b[:-10] + bytes([b[-10] ^ 0xFF]) + b[-9:]'
damage header 'b[:20]'
damage half "b[:$((size / 2))]"
damage empty 'b[:0]'
mkdir -p "$TMP/folder.qpl"
for t in "v99:format version 99, this build reads version [0-9]+ \(recompile the source files\)" \
         "kind:holds a 'GAZT' object where 'PIPE' was expected" \
         "flip:checksum mismatch \(corrupt file\)" \
         "header:truncated header \(20 bytes\)" \
         "half:payload is [0-9]+ bytes, header says [0-9]+ \(truncated or padded file\)" \
         "empty:truncated quarry file \(0 bytes\)" \
         "folder:is a folder, not a file"; do
  name=${t%%:*}; msg=${t#*:}
  expect_exit 2 "$QUARRY" annotate -q --pipeline "$TMP/$name.qpl" -o "$TMP/o_$name" "$in/good.txt"
  expect_err "$name.qpl: $msg"
  expect_no_file "$TMP/o_$name/good.json"
done
finish
