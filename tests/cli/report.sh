#!/usr/bin/env bash
# quarry report: the page for the corpus and for a folder of 300 documents, checked in headless
# Chromium (timeline marks, graph nodes and edges, sorting and filtering the table, no script
# errors; a screenshot is kept in the build folder), per-document pages, and a report without
# events. Chromium's part is skipped with a message when it is not installed (scripts/test.sh
# installs it).
source "$(dirname "$0")/lib.sh"
build="${QUARRY_BUILD_DIR:-build}"
expect_exit 0 "$QUARRY" annotate -q corpus -o "$TMP/ann"
expect_exit 0 "$QUARRY" report -o "$TMP/rep/report.html" "$TMP/ann"
expect_file "$TMP/rep/report.html"
expect_file "$TMP/rep/report_files/doc1.html"
cp "$TMP/err" "$TMP/report.err"
grep -qE "7 documents, [0-9]+ events and relations, [0-9]+ timeline marks" "$TMP/report.err" && ok || bad "report summary line"
# What the page should show, counted from the JSON independently: dated events (a date with a
# year), rows (events and relations), actors and edges (top 30 by participation).
/usr/bin/python3 - "$TMP/ann" > "$TMP/expected.json" <<'PY'
import json, re, sys
from pathlib import Path
docs = [json.load(open(p)) for p in sorted(Path(sys.argv[1]).rglob("*.json"))]
rows = dated = 0
count, edges = {}, {}
pairs = []
for d in docs:
    by = {a["id"]: a for k in ("entities", "timexes", "events", "relations", "other") for a in d.get(k, [])}
    for layer in ("events", "relations"):
        for a in d.get(layer, []):
            rows += 1
            if layer == "events" and re.match(r"^\d{4}", a.get("date", "")):
                dated += 1
            src = tgt = None
            for g in a.get("args", []):
                ref = by.get(g.get("ref"), {})
                code = ref.get("code") or ref.get("cameo") or ""
                if src is None and g["role"] == ("source" if layer == "events" else "subject"):
                    src = (a.get("source_code", code) if layer == "events" else code) or g["text"]
                elif tgt is None and g["role"] == ("target" if layer == "events" else "object"):
                    tgt = (a.get("target_code", code) if layer == "events" else code) or g["text"]
            if src and tgt and src != tgt:
                count[src] = count.get(src, 0) + 1
                count[tgt] = count.get(tgt, 0) + 1
                pairs.append((src, tgt))
top = [k for k, _ in sorted(sorted(count.items()), key=lambda kv: -kv[1])][:30]
edges = {(s, t) for s, t in pairs if s in top and t in top}
print(json.dumps({"rows": rows, "dated": dated, "nodes": len(top), "edges": len(edges)}))
PY
want=$(/usr/bin/python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print("%(rows)d events and relations, %(dated)d timeline marks, %(nodes)d actors, %(edges)d edges" % e)' "$TMP/expected.json")
grep -qF "$want" "$TMP/report.err" \
  && ok || { bad "report counts differ from the JSON's: want $want"; cat "$TMP/report.err"; }
grep -q "Document date: 20" "$TMP/rep/report_files/"doc*.html && ok || bad "per-document page lacks the document date"
grep -qE '<span class="evt" title="v1 [A-Z_]+' "$TMP/rep/report_files/"doc*.html && ok || bad "per-document page lacks event highlights"
# Not quarry JSON: reported and skipped, the report still written.
echo '{"x":1}' > "$TMP/ann/stray.json"
expect_exit 1 "$QUARRY" report -o "$TMP/rep2/r.html" "$TMP/ann"
expect_err "stray.json: not the JSON of quarry annotate"
expect_file "$TMP/rep2/r.html"
rm "$TMP/ann/stray.json"
# A document without events: the table says so, the timeline and graph too.
echo "Nothing happened here." > "$TMP/calm.txt"
expect_exit 0 "$QUARRY" annotate -q "$TMP/calm.txt" -o "$TMP/calm"
expect_exit 0 "$QUARRY" report -o "$TMP/calm/r.html" "$TMP/calm"
grep -q "no dated events" "$TMP/calm/r.html" && grep -q "no events found" "$TMP/calm/r.html" \
  && ok || bad "an empty report does not say there is nothing"
expect_exit 2 "$QUARRY" report "$TMP/ann"
expect_err "give -o REPORT.html"

if [ -n "${QUARRY_TEST_QUICK:-}" ]; then
  echo "SKIP: QUARRY_TEST_QUICK is set (a sanitizer run): no 300-document report, no browser"
  finish
  exit $?
fi
# A folder of 300 documents made of the corpus's paragraphs.
/usr/bin/python3 - "$TMP/many" <<'PY'
import sys
from pathlib import Path
out = Path(sys.argv[1]); out.mkdir()
paras = [p.strip() for f in sorted(Path("corpus").rglob("*.txt")) for p in f.read_text().split("\n\n") if p.strip()]
for i in range(300):
    (out / f"d{i:03d}.txt").write_text("\n\n".join(paras[(i * 5 + k) % len(paras)] for k in range(4)) + "\n")
PY
expect_exit 0 "$QUARRY" annotate -q "$TMP/many" -o "$TMP/many-out"
expect_exit 0 "$QUARRY" report -o "$TMP/many-rep/report.html" "$TMP/many-out"
grep -qE "300 documents, [0-9]+ events" "$TMP/err" && ok || bad "300-document report"

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "SKIP: chromium is not installed; the browser checks did not run"
  finish
  exit $?
fi
selftest() {  # selftest PAGE: the page's self-test result (JSON), with the console on stderr
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
    --virtual-time-budget=10000 --dump-dom "file://$1#selftest" 2> "$TMP/chromium.err" \
    | /usr/bin/python3 -c 'import html, re, sys; m = re.search(r"<pre id=\"selftest\">([^<]*)</pre>", sys.stdin.read()); print(html.unescape(m.group(1)) if m else "{}")'
}
for rep in "$TMP/rep/report.html" "$TMP/many-rep/report.html"; do
  selftest "$rep" > "$TMP/st.json"
  /usr/bin/python3 - "$TMP/st.json" "$rep" <<'PY' && ok || { bad "browser self-test of $rep"; cat "$TMP/st.json"; grep -i "uncaught\|console" "$TMP/chromium.err" | head -5; }
import json, re, sys
r = json.load(open(sys.argv[1]))
page = open(sys.argv[2], encoding="utf-8").read()
total = len(json.loads(re.search(r"var EVENTS = (.*?);\n", page, re.S).group(1)))
assert r, "no self-test result (the script did not run)"
assert r["errors"] == [], r["errors"]
assert r["first_page_rows"] == min(100, total), (r["first_page_rows"], total)
assert r["sorted_desc"] and r["sorted_asc"], r
assert 0 < r["filtered"] < total, (r["filtered"], total)
assert r["no_match_text"] == "no events match the filter", r["no_match_text"]
assert r["timeline_marks"] == page.count('class="mark'), r["timeline_marks"]
assert r["graph_nodes"] == page.count('class="node"') and r["graph_edges"] == page.count('class="edge"')
assert r["timeline_marks"] > 0 and r["graph_nodes"] > 5 and r["graph_edges"] > 5, r
PY
  if grep -q "Uncaught" "$TMP/chromium.err"; then bad "console errors in $rep"; grep "Uncaught" "$TMP/chromium.err" | head -3; else ok; fi
done
# The timeline's marks in the DOM are those the report counted for the corpus.
st=$(selftest "$TMP/rep/report.html")
marks=$(echo "$st" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["timeline_marks"])')
[ "$marks" = "$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["dated"])' "$TMP/expected.json")" ] \
  && ok || bad "timeline marks in the browser: $marks"
# A screenshot, kept for people to look at.
mkdir -p "$build/test-artifacts"
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1800 \
  --virtual-time-budget=5000 --screenshot="$build/test-artifacts/report.png" "file://$TMP/rep/report.html" \
  > /dev/null 2>&1
[ -s "$build/test-artifacts/report.png" ] && ok || bad "no screenshot"
finish
