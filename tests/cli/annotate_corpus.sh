#!/usr/bin/env bash
# The main job: annotate corpus/ with the shipped data; output validates against the schema and
# every span's text equals the slice of the document, in each offset unit.
source "$(dirname "$0")/lib.sh"
doc=corpus/nabil-iran-alqaeda-taliban.txt
expect_exit 0 "$QUARRY" annotate -o "$TMP/cp" corpus/
expect_err "nabil-iran-alqaeda-taliban.txt: [0-9]+ tokens, [0-9]+ sentences, [0-9]+ entities, [0-9]+ timexes, [0-9]+ events, [0-9]+ relations"
expect_file "$TMP/cp/nabil-iran-alqaeda-taliban.json"
for unit in codepoint utf16 utf8; do
  expect_exit 0 "$QUARRY" annotate -q --offsets $unit -o "$TMP/$unit" "$doc"
  if /usr/bin/python3 tests/cli/check_standoff.py docs/schema/standoff.schema.json "$doc" \
      "$TMP/$unit/nabil-iran-alqaeda-taliban.json" >"$TMP/check" 2>&1; then ok
  else bad "$unit output does not check:"; cat "$TMP/check"; fi
  grep -q "\"unit\":\"$unit\"" "$TMP/$unit/nabil-iran-alqaeda-taliban.json" && ok || bad "offsets.unit is not $unit"
done
# stdout mode (no -o) prints the same document.
expect_exit 0 "$QUARRY" annotate -q "$doc"
cmp -s "$TMP/out" "$TMP/codepoint/nabil-iran-alqaeda-taliban.json" && ok || bad "stdout differs from file output"
# Determinism: a second run is byte-identical; so is a run on one thread.
expect_exit 0 "$QUARRY" annotate -q -j 1 -o "$TMP/again" "$doc"
cmp -s "$TMP/again/nabil-iran-alqaeda-taliban.json" "$TMP/codepoint/nabil-iran-alqaeda-taliban.json" && ok || bad "output not deterministic"
# No absolute paths and nothing from the checkout's location: the data copied elsewhere and
# the command run from another folder give the same bytes, and provenance names files from
# their data folder down ("rules/cameo/verbs.qv").
mkdir -p "$TMP/elsewhere/data"
cp -r gazetteers rules "$TMP/elsewhere/data/"
mkdir -p "$TMP/elsewhere/corpus" && cp "$doc" "$TMP/elsewhere/corpus/"
here=$PWD
expect_exit 0 "$QUARRY" annotate -q -o "$TMP/here" -g gazetteers -r rules "$doc"
(cd "$TMP/elsewhere" && "$QUARRY" annotate -q -o "$TMP/there" -g data/gazetteers \
   -r "$TMP/elsewhere/data/rules" "$doc") && ok || bad "annotate from elsewhere failed"
cmp -s "$TMP/here/nabil-iran-alqaeda-taliban.json" "$TMP/there/nabil-iran-alqaeda-taliban.json" \
  && ok || bad "output depends on where the data is or where quarry runs"
grep -q "$here\|$TMP" "$TMP/codepoint/nabil-iran-alqaeda-taliban.json" \
  && bad "output holds an absolute path" || ok
grep -q '"file":"rules/events.qr"' "$TMP/codepoint/nabil-iran-alqaeda-taliban.json" \
  && ok || bad "provenance does not name rules/events.qr"
# The header.
/usr/bin/python3 - "$TMP/codepoint/nabil-iran-alqaeda-taliban.json" <<'PY' && ok || bad "header"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "quarry.standoff/1"
assert d["document"]["length"] == {"codepoint": 19119, "utf8": 19207, "utf16": 19119}, d["document"]["length"]
assert d["offsets"] == {"unit": "codepoint", "end": "exclusive"}
assert len(d["tokens"]["span"]) > 3000 and len(d["sentences"]["span"]) > 80
PY
# Exports beside the JSON.
expect_exit 0 "$QUARRY" annotate -q --export brat,conll,events,html,timeml -o "$TMP/ex" "$doc"
for f in nabil-iran-alqaeda-taliban.ann nabil-iran-alqaeda-taliban.txt annotation.conf \
         nabil-iran-alqaeda-taliban.conll nabil-iran-alqaeda-taliban.events.tsv \
         nabil-iran-alqaeda-taliban.html nabil-iran-alqaeda-taliban.tml; do
  expect_file "$TMP/ex/$f"
done
cmp -s "$TMP/ex/nabil-iran-alqaeda-taliban.txt" "$doc" && ok || bad "brat .txt differs from the document"
grep -qP '^T[0-9]+\tGPE [0-9]+ [0-9]+\tIran$' "$TMP/ex/nabil-iran-alqaeda-taliban.ann" && ok || bad "brat has no Iran entity"
grep -q '<TIMEX3 tid="t[0-9]*" type="DATE" value="2001-09-11">9/11</TIMEX3>' "$TMP/ex/nabil-iran-alqaeda-taliban.tml" && ok || bad "TimeML lacks 9/11"
# The event table as CSV and JSON lines, and the W3C Web Annotation JSON-LD: they parse, with one
# row per event and relation, and one annotation per annotation of the JSON.
expect_exit 0 "$QUARRY" annotate -q --export events-csv,events-jsonl,w3c -o "$TMP/ex3" "$doc"
/usr/bin/python3 - "$TMP/ex3" nabil-iran-alqaeda-taliban <<'PY' && ok || bad "events-csv, events-jsonl or w3c export"
import csv, json, sys
d, name = sys.argv[1], sys.argv[2]
j = json.load(open(f"{d}/{name}.json"))
n = len(j["events"]) + len(j["relations"])
rows = list(csv.DictReader(open(f"{d}/{name}.events.csv", newline="", encoding="utf-8")))
assert len(rows) == n and n > 50, (len(rows), n)
assert {"document", "date", "date_source", "source", "source_code", "cameo", "plover", "target",
        "target_code", "place", "trigger", "sentence", "rule"} <= set(rows[0])
lines = [json.loads(l) for l in open(f"{d}/{name}.events.jsonl", encoding="utf-8")]
assert len(lines) == n and [l["id"] for l in lines] == [r["id"] for r in rows]
ev = {e["id"]: e for e in j["events"]}
for l in lines:
    if l["layer"] == "event":
        assert l["cameo"] == ev[l["id"]].get("cameo") and l["date"] == ev[l["id"]].get("date"), l
w = json.load(open(f"{d}/{name}.w3c.jsonld", encoding="utf-8"))
assert w["@context"] == "http://www.w3.org/ns/anno.jsonld" and w["type"] == "AnnotationCollection"
items = w["first"]["items"]
total = sum(len(j[k]) for k in ("entities", "timexes", "events", "relations", "other") if k in j)
assert w["total"] == len(items) == total, (w["total"], len(items), total)
for it in items:
    q, p = it["target"]["selector"]
    assert q["type"] == "TextQuoteSelector" and p["type"] == "TextPositionSelector"
    assert p["end"] - p["start"] == len(q["exact"]), it
PY
expect_exit 2 "$QUARRY" annotate -q --export pdf -o "$TMP/ex2" "$doc"
expect_err "unknown export format 'pdf'"
expect_exit 2 "$QUARRY" annotate -q --export html "$doc"
expect_err "--export needs an output folder"
finish
