#!/usr/bin/env bash
# quarry diff: two runs of annotate compared per layer and type, grouped by rule, with the
# sentence; exit 0 when they agree, 1 when they differ, 2 on bad input.
source "$(dirname "$0")/lib.sh"
mkdir -p "$TMP/in"
printf 'Please send it to Maria before noon. Iran hosted the Taliban on Monday.\n' > "$TMP/in/a.txt"
printf 'The University of Tampa met on Friday. Kabul said so.\n' > "$TMP/in/b.txt"
expect_exit 0 "$QUARRY" annotate -q --dct 2020-01-01 "$TMP/in" -o "$TMP/r1"
expect_exit 0 "$QUARRY" annotate -q --dct 2020-01-01 "$TMP/in" -o "$TMP/r2"

# The same run twice: no difference.
expect_exit 0 "$QUARRY" diff "$TMP/r1" "$TMP/r2"
grep -q "0 added, 0 removed, 0 changed" "$TMP/out" && ok || bad "identical runs: totals line"

# A rule taken out: its annotations are reported removed, under the rule, with the sentence.
cp -r rules "$TMP/rules"  # ctest runs the CLI tests from the source root
/usr/bin/python3 - "$TMP/rules/names.qr" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
s2 = re.sub(r"\nrule person_given_name_alone \{.*?\n\}\n", "\n", s, flags=re.S)
assert s2 != s, "rule not found"
open(p, "w").write(s2)
PY
expect_exit 0 "$QUARRY" annotate -q --dct 2020-01-01 -r "$TMP/rules" "$TMP/in" -o "$TMP/r3"
expect_exit 1 "$QUARRY" diff "$TMP/r1" "$TMP/r3"
grep -q "^  person_given_name_alone$" "$TMP/out" && ok || bad "changes not grouped under the rule"
grep -q "^    - entities PERSON 'Maria'" "$TMP/out" && ok || bad "removed PERSON 'Maria' not listed"
grep -q "| Please send it to Maria before noon." "$TMP/out" && ok || bad "no sentence for the change"
grep -qE "^person_given_name_alone +0 +1 +0" "$TMP/out" && ok || bad "per-rule totals"
# Reversed: the same annotation is added.
expect_exit 1 "$QUARRY" diff "$TMP/r3" "$TMP/r1"
grep -q "^    + entities PERSON 'Maria'" "$TMP/out" && ok || bad "added PERSON 'Maria' not listed"

# Same spans, other values: changed, with what changed.
expect_exit 0 "$QUARRY" annotate -q --dct 2021-06-01 "$TMP/in" -o "$TMP/r4"
expect_exit 1 "$QUARRY" diff --layers timexes "$TMP/r1" "$TMP/r4"
grep -q "^    ~ timexes DATE 'Monday'" "$TMP/out" && ok || bad "changed timex not listed"
grep -qE "value: \"2019-12-30\" -> \"2021-05-31\"" "$TMP/out" && ok || bad "the delta of the value"
# Ignoring the changed fields makes the runs agree.
expect_exit 0 "$QUARRY" diff --layers timexes --ignore value,anchor "$TMP/r1" "$TMP/r4"

# JSON output, with the filters.
expect_exit 1 "$QUARRY" diff --json --types PERSON "$TMP/r1" "$TMP/r3"
/usr/bin/python3 - "$TMP/out" <<'PY' && ok || bad "diff --json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["removed"] == 1 and d["added"] == 0 and d["changed"] == 0, d
assert d["by_rule"]["person_given_name_alone"]["removed"] == 1
ch = [c for doc in d["docs"] for c in doc.get("changes", [])]
assert ch[0]["type"] == "PERSON" and ch[0]["text"] == "Maria" and "Maria" in ch[0]["sentence"]
PY

# A document in one run only; JSONL against a folder.
rm "$TMP/r2/b.json"
expect_exit 1 "$QUARRY" diff "$TMP/r1" "$TMP/r2"
grep -q "only in BEFORE" "$TMP/out" && ok || bad "a document missing AFTER"
cat "$TMP/r1"/*.json > "$TMP/r1.jsonl"
expect_exit 0 "$QUARRY" diff "$TMP/r1.jsonl" "$TMP/r1"

# Bad input: usage, a missing folder, a foreign file, an unknown layer.
expect_exit 2 "$QUARRY" diff "$TMP/r1"
expect_err "give BEFORE and AFTER"
expect_exit 2 "$QUARRY" diff "$TMP/r1" "$TMP/nothing"
expect_err "nothing: no such file or folder"
echo '{"a": 1}' > "$TMP/stray.json"
expect_exit 2 "$QUARRY" diff "$TMP/r1" "$TMP/stray.json"
expect_err "stray.json: not the JSON of quarry annotate"
/usr/bin/python3 - "$TMP/r1/a.json" "$TMP/bad.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["entities"][0]["type"] = 7
json.dump(d, open(sys.argv[2], "w"))
PY
expect_exit 2 "$QUARRY" diff "$TMP/bad.json" "$TMP/r1/a.json"
expect_err "bad.json: malformed annotation"
expect_exit 2 "$QUARRY" diff --layers tokens "$TMP/r1" "$TMP/r2"
expect_err "unknown layer 'tokens'"
finish
