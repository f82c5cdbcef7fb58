#!/usr/bin/env bash
# --resume: inputs whose output was written by the same pipeline are skipped; outputs of another
# pipeline (other options or data), missing or partial ones are redone; the fingerprint is in the
# JSON's generator and does not depend on where the data is.
source "$(dirname "$0")/lib.sh"
mkdir -p "$TMP/in"
for i in 1 2 3 4; do echo "Iran hosted the Taliban in 201$i. Kabul said so on Monday." > "$TMP/in/d$i.txt"; done
expect_exit 2 "$QUARRY" annotate --resume "$TMP/in"
expect_err "--resume needs an output folder"
expect_exit 0 "$QUARRY" annotate -q "$TMP/in" -o "$TMP/o"
fp=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["generator"]["pipeline"])' "$TMP/o/d1.json")
[[ "$fp" =~ ^[0-9a-f]{64}$ ]] && ok || bad "no pipeline fingerprint in generator: '$fp'"
# The same pipeline saved and loaded has the same fingerprint.
expect_exit 0 "$QUARRY" compile -o "$TMP/p.qpl"
"$QUARRY" annotate -q --pipeline "$TMP/p.qpl" "$TMP/in/d1.txt" > "$TMP/loaded.json"
grep -q "\"pipeline\":\"$fp\"" "$TMP/loaded.json" && ok || bad "a loaded pipeline has another fingerprint"
# Everything up to date: nothing is rewritten.
touch -d '2001-01-01' "$TMP/o"/*.json
expect_exit 0 "$QUARRY" annotate --resume "$TMP/in" -o "$TMP/o"
expect_err "4 inputs skipped"
[ -z "$(find "$TMP/o" -name '*.json' -newer "$TMP/in/d1.txt")" ] && ok || bad "up-to-date outputs were rewritten"
# A missing output and a truncated one are redone, the others skipped.
rm "$TMP/o/d2.json"
head -c 20 "$TMP/o/d1.json" > "$TMP/t" && mv "$TMP/t" "$TMP/o/d3.json"
expect_exit 0 "$QUARRY" annotate --resume "$TMP/in" -o "$TMP/o"
expect_err "2 inputs skipped"
[ "$(find "$TMP/o" -name '*.json' -newer "$TMP/in/d1.txt" | wc -l)" -eq 2 ] && ok || bad "expected 2 outputs redone"
grep -q "\"pipeline\":\"$fp\"" "$TMP/o/d3.json" && ok || bad "the truncated output was not redone"
# Another pipeline (an option changed) redoes everything.
expect_exit 0 "$QUARRY" annotate --resume --no-link "$TMP/in" -o "$TMP/o"
if grep -q "inputs skipped" "$TMP/err"; then bad "outputs of another pipeline were taken as up to date"; else ok; fi
grep -q "\"pipeline\":\"$fp\"" "$TMP/o/d4.json" && bad "fingerprint unchanged by --no-link" || ok
# The closing line counts documents, failures and skipped inputs, with bytes and throughput.
expect_err "quarry annotate: 4 annotated, 0 failed, 0 skipped; 0\.[0-9]+ MB in [0-9.]+ s \([0-9.]+ MB/s\)"
# --progress shows documents and bytes done, MB/s and the time left.
expect_exit 0 "$QUARRY" annotate --progress "$TMP/in" -o "$TMP/p"
expect_err "\[4/4\] [0-9.]+/[0-9.]+ MB, [0-9.]+ MB/s, [0-9]+ s left"
# JSONL input with -o: one file per id, resumed the same way.
printf '%s\n' '{"id":"a","text":"Iran met the Taliban."}' '{"id":"b","text":"Kabul fell."}' > "$TMP/in.jsonl"
expect_exit 0 "$QUARRY" annotate -q --jsonl "$TMP/in.jsonl" -o "$TMP/j"
expect_exit 0 "$QUARRY" annotate --resume --jsonl "$TMP/in.jsonl" -o "$TMP/j"
expect_err "2 inputs skipped"
# The data folder's location does not change the fingerprint.
# (the shipped gazetteers, then those generated into the build folder, as the default is)
cp -r gazetteers rules "$TMP/"
gaz=(-g "$TMP/gazetteers")
if [ -d "${QUARRY_BUILD_DIR:-build}/data/gazetteers" ]; then
  mkdir -p "$TMP/b" && cp -r "${QUARRY_BUILD_DIR:-build}/data/gazetteers" "$TMP/b/"
  gaz+=(-g "$TMP/b/gazetteers")
fi
"$QUARRY" annotate -q "${gaz[@]}" -r "$TMP/rules" "$TMP/in/d1.txt" > "$TMP/moved.json"
grep -q "\"pipeline\":\"$fp\"" "$TMP/moved.json" && ok || bad "the fingerprint depends on the data folder's location"
finish
