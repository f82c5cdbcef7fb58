#!/usr/bin/env bash
# tests/cli/rules.sh: `quarry rules test|compile|stats` and `quarry explain` behaviour.
set -u
: "${QUARRY:?set QUARRY to the quarry binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# The shipped rule files pass their own examples.
"$QUARRY" rules test rules/ > "$tmp/out" 2>&1 || { cat "$tmp/out"; fail "shipped rules do not pass"; }
grep -q " 0 failed" "$tmp/out" || fail "summary missing"

# A bad rule file: every error, located, exit 1.
cat > "$tmp/bad.qr" <<'QR'
type E: event;
rule a { match [lemma == kill] @NOPE; emit E; }
rule b { match [color == red]; emit E; }
rule c { match x:[lower == a]; emit E(agent: y); }
rule d { match [lower == a]?; emit E; }
QR
"$QUARRY" rules compile "$tmp/bad.qr" > "$tmp/out" 2>&1 && fail "bad file accepted"
check() { grep -F "$1" "$tmp/out" | grep -qF "$2" || { cat "$tmp/out"; fail "missing: $1 ... $2"; }; }
check "bad.qr:2:32 " "error: unknown annotation type '@NOPE'"
check "bad.qr:3:17 " "error: unknown token attribute 'color'"
check "bad.qr:4:46 " "error: unbound capture name 'y'"
check "bad.qr:5:16 " "error: the pattern of rule 'd' can match an empty sequence"
grep -q "^4 errors in the rule files" "$tmp/out" || fail "error count missing"

# A failing example is reported with its file:line and what was produced instead.
cat > "$tmp/ex.qr" <<'QR'
type HIT: event (cameo);
rule hit {
  match who:@PERSON trigger:[lemma == hit];
  emit HIT(agent: who) at trigger { cameo = "190" };
  example "[[Bob|PERSON]] hits Al." => HIT "hits" (agent = "Bob");
  example "[[Bob|PERSON]] hits Al." => HIT "Bob hits";
}
QR
"$QUARRY" rules test --no-gazetteers --no-temporal "$tmp/ex.qr" > "$tmp/out" 2>&1 && fail "failing example passed"
grep -qF "ex.qr:6: rule 'hit'" "$tmp/out" || { cat "$tmp/out"; fail "failure not located"; }
grep -qF 'HIT "hits" (agent="Bob")' "$tmp/out" || { cat "$tmp/out"; fail "produced output not shown"; }
grep -qF "1 passed, 1 failed" "$tmp/out" || fail "bad summary"

# Save and load a compiled rule set.
"$QUARRY" rules compile -o "$tmp/r.qrb" rules/ 2> "$tmp/out" || { cat "$tmp/out"; fail "compile -o failed"; }
"$QUARRY" rules test "$tmp/r.qrb" > "$tmp/out" 2>&1 || { cat "$tmp/out"; fail "saved rule set fails"; }
printf 'garbage' > "$tmp/bad.qrb"
"$QUARRY" rules test "$tmp/bad.qrb" > "$tmp/out" 2>&1 && fail "garbage .qrb accepted"
# A saved rule set carries the files its sources import: it loads with the import gone.
mkdir -p "$tmp/imp/sub"
printf 'words greet = {hello, hi};\n' > "$tmp/imp/sub/common.qr"
cat > "$tmp/imp/main.qr" <<'EOF'
import "sub/common.qr";
type GREET: other;
rule g { match [lower in greet]; emit GREET; example "[[hello|GREET]] there"; }
EOF
"$QUARRY" rules compile -o "$tmp/imp.qrb" "$tmp/imp/main.qr" 2> "$tmp/out" || { cat "$tmp/out"; fail "compile with import failed"; }
rm -r "$tmp/imp/sub"
"$QUARRY" rules test "$tmp/imp.qrb" > "$tmp/out" 2>&1 || { cat "$tmp/out"; fail "saved rule set needs its import on disk"; }
grep -qF "1 passed, 0 failed" "$tmp/out" || { cat "$tmp/out"; fail "saved rule set with import: bad summary"; }
"$QUARRY" rules test "$tmp/imp/main.qr" > "$tmp/out" 2>&1 && fail "sources with a missing import accepted"
grep -qF 'cannot import "sub/common.qr"' "$tmp/out" || { cat "$tmp/out"; fail "missing import not reported"; }

# Explain names the rule that fired and, for a named rule, the failing element.
"$QUARRY" explain --rules "$tmp/ex.qr" --no-gazetteers --text "Bob hits Al." --rule hit > "$tmp/out" 2>&1
grep -qF "failed on token" "$tmp/out" || { cat "$tmp/out"; fail "explain did not locate the failure"; }
"$QUARRY" explain --rules "$tmp/ex.qr" --no-gazetteers --text "Nothing here." > "$tmp/out" 2>&1
grep -qF "no rule fired in 1 sentence(s)" "$tmp/out" || { cat "$tmp/out"; fail "explain said nothing when no rule fired"; }

# Stats over the seed corpus.
"$QUARRY" rules stats corpus/nabil-iran-alqaeda-taliban.txt > "$tmp/out" 2> "$tmp/err" || { cat "$tmp/err"; fail "stats failed"; }
grep -q "imprisoned" "$tmp/out" || fail "stats table missing rules"
grep -q "never fired" "$tmp/err" || fail "never-fired list missing"
# End to end: the pipeline (tokenizer, gazetteers, temporal tagger, rules) on the seed commentary.
"$QUARRY" annotate -q corpus/nabil-iran-alqaeda-taliban.txt > "$tmp/seed.json" || fail "annotate failed"
python3 - "$tmp/seed.json" <<'PY' || fail "seed commentary outputs"
import json, sys
d = json.load(open(sys.argv[1]))
def args(a): return {x["role"]: x.get("text") for x in a.get("args", [])}
ev = [(e["type"], e["text"], e.get("cameo"), e.get("date"), e.get("date_source"), args(e)) for e in d["events"]]
want = ("ASSASSINATE", "assassinated", "186", "2020", "argument")
hits = [e for e in ev if e[:5] == want and e[5].get("target") == "Al-Masri" and e[5].get("place") == "Tehran"]
assert hits, ev
assert any(e[0] == "NEGOTIATE" and e[3] == "2018" and e[4] == "sentence" for e in ev), ev
rel = [(r["type"], args(r).get("subject"), args(r).get("object")) for r in d["relations"]]
assert ("leader_of", "Mullah Omar", "Taliban") in rel, rel
assert ("hosts", "Iran", "Taliban") in rel, rel
for a in d["events"] + d["relations"]:
    # Hand-written rules, or the imported verb dictionary (the block and its .qv line).
    assert a["prov"]["source"] in ("rule", "dictionary") and a["prov"]["rule"] and a["prov"]["line"] > 0, a
PY
# rules import: PETRARCH dictionaries to .qv/.qa; a bad line is a located warning and skipped,
# a file of another format is an error (exit 1), and the output is used by the pipeline.
mkdir -p "$tmp/import"
cat > "$tmp/import/verbs.txt" <<'TXT'
&TRUCE
+CEASEFIRE

--- BESIEGE [191] ---
BESIEGE
- * + WITH TANKS [191]
- * NO CODE HERE
TXT
"$QUARRY" rules import --from petrarch-verbs -o "$tmp/import/v.qv" "$tmp/import/verbs.txt" 2> "$tmp/err" \
  || { cat "$tmp/err"; fail "rules import failed"; }
grep -qE "verbs.txt:7:1: warning: pattern without a \[CODE\]" "$tmp/err" || { cat "$tmp/err"; fail "bad dictionary line not reported with its line"; }
grep -q "^block BESIEGE 191" "$tmp/import/v.qv" || { cat "$tmp/import/v.qv"; fail "block not imported"; }
grep -q "verb besiege = besiege | besieges | besieged | besieging" "$tmp/import/v.qv" || { cat "$tmp/import/v.qv"; fail "regular forms not generated"; }
printf 'POLICE [~COP]\nARMY [~MIL]\n' > "$tmp/import/agents.txt"
"$QUARRY" rules import --from petrarch-verbs -o "$tmp/import/x.qv" "$tmp/import/agents.txt" 2> "$tmp/err" \
  && fail "an agents file imported as verbs"
grep -q "not a PETRARCH verb dictionary" "$tmp/err" || { cat "$tmp/err"; fail "wrong format not said"; }
[ ! -e "$tmp/import/x.qv" ] || fail "output written for a failed import"
"$QUARRY" rules import --from petrarch-agents -o "$tmp/import/a.qa" "$tmp/import/agents.txt" 2> "$tmp/err" \
  || { cat "$tmp/err"; fail "agents import failed"; }
printf 'The army besieged the rebels.\n' > "$tmp/import/doc.txt"
"$QUARRY" annotate -q --no-gazetteers -r "$tmp/import" "$tmp/import/doc.txt" > "$tmp/import/doc.json" \
  || fail "annotate with imported dictionaries failed"
grep -q '"cameo":"191"' "$tmp/import/doc.json" || { cat "$tmp/import/doc.json"; fail "imported verb not coded"; }
# A capture that can be unbound: a located warning, an error under --strict; the shipped rules
# have none (their optional arguments are marked `role: capture?`).
"$QUARRY" rules compile --strict rules/ > /dev/null 2> "$tmp/err" || { cat "$tmp/err"; fail "shipped rules warn under --strict"; }
grep -q "warning:" "$tmp/err" && fail "shipped rules print warnings"
mkdir -p "$tmp/warn"
cat > "$tmp/warn/w.qr" <<'QR'
type MET: event;
phase p { input entity; output event; }
rule met_twice {
  phase p;
  match a:@PERSON [lower == met] (t:[lower == twice])?;
  emit MET(source: a) at t;
}
QR
"$QUARRY" rules compile "$tmp/warn" > /dev/null 2> "$tmp/err" || { cat "$tmp/err"; fail "a warning failed rules compile"; }
grep -q "w.qr:6:26 (byte [0-9]*): warning: capture 't' (emit ... at) can be unbound" "$tmp/err" \
  || { cat "$tmp/err"; fail "no located warning for an unbound at-capture"; }
"$QUARRY" rules compile --strict "$tmp/warn" > /dev/null 2> "$tmp/err" && fail "--strict accepted a warning"
grep -q "1 warning in the rule files, errors under --strict" "$tmp/err" || { cat "$tmp/err"; fail "--strict message"; }
echo ok
